//! The policy compiler: any text must compile or be refused with diagnostics — never panic —
//! and the diagnostics must render (they quote the offending line with a caret).

#![no_main]

use libfuzzer_sys::fuzz_target;
use privgate::diag::Source;
use privgate::keys::HashKey;
use privgate::policy::{self, PolicySource};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let key = HashKey::from_bytes(&[7u8; 32], "fuzz").expect("a 32-byte key is long enough");
    let source = PolicySource {
        source: Source::new("fuzz.yaml".to_owned(), text.to_owned()),
        origin: "fuzz".to_owned(),
        path: None,
        scope_override: None,
    };
    let compiled = policy::compile_set(&[source], key);
    for report in &compiled.reports {
        let _ = report.to_string();
    }
});
