//! Key lexicon lookups: ns per key over a mix of personal-data keys (several languages,
//! prefixes, casings) and ordinary analytics keys.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use privgate::policy::lexicon::classify;

const KEYS: &[&str] = &[
    "page_title",
    "utm_campaign",
    "session_id",
    "plan",
    "price",
    "currency",
    "button_text",
    "product_name",
    "company_name",
    "email_opt_in",
    "path",
    "referrer",
    "customer_email",
    "billing_first_name",
    "GebDatum",
    "Wohnadresse",
    "fødselsdato_2",
    "shippingZipCode",
    "numero_secu",
    "burgerservicenummer",
    "fecha_nacimiento",
    "data_di_nascita",
    "Handynummer",
    "is_logged_in",
    "order_id",
    "screen_width",
    "timestamp",
    "app_version",
    "userId",
    "contactPhoneNumber",
    "kod_pocztowy",
    "efternamn",
];

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("key_lexicon");
    g.throughput(Throughput::Elements(KEYS.len() as u64));
    g.bench_function("classify_mix", |b| {
        b.iter(|| {
            for k in KEYS {
                black_box(classify(black_box(k)));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
