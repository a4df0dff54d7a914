//! Hostile input: for each adapter, the deepest, widest and most repetitive body that fits the
//! size limit. Each must be answered promptly with the right status, nothing over budget may be
//! forwarded, and the process must stay up with its memory bounded.
//!
//! The proxy runs as a process (the test binary's debug build), so its peak RSS can be read from
//! `/proc`. The time bound is loose on purpose — it is not a benchmark (see `benches/`) but a
//! guard against work that grows faster than the input (a quadratic loop takes minutes here).

use std::time::{Duration, Instant};

use crate::support::{Collector, ProxyProcess, send};

/// The default body limit (`limits.max_body_bytes`).
const BODY_LIMIT: usize = 1024 * 1024;

/// Generous even for the unoptimised test build; a super-linear path takes far longer.
const PROMPT: Duration = Duration::from_secs(10);

/// Peak and current resident memory of a process, in KiB, from `/proc/<pid>/status`.
pub fn memory_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// A request of the attack: method, path and query, content type, body.
pub struct Attack {
    pub name: &'static str,
    pub path: String,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// The status it must get.
    pub status: u16,
}

/// `POST /h` whose `sp` key is half a million dots: it once built a value nested that deep and
/// overflowed the stack when dropping it.
pub fn dotted_key() -> Attack {
    let body = format!(
        "a=11&u=1&v=2&s=3&h=%2F&ts=1&sp={}&sp=x",
        ".".repeat(500_000)
    );
    Attack {
        name: "heap.js: a property key of 500,000 dots",
        path: "/h".into(),
        content_type: "application/x-www-form-urlencoded",
        body: body.into_bytes(),
        // Keys are one segment however many dots they hold, and at most 1024 bytes long.
        status: 400,
    }
}

/// `POST /h` with 300 event groups and ~67,000 distinct `sp` pairs in one 1 MB body: every pair
/// used to be copied into every event (a minute of CPU, 5.7 GB).
pub fn copied_pairs() -> Attack {
    let mut body = String::from("a=11&u=1&v=2&s=3");
    for g in 0..300 {
        body.push_str(&format!("&id{g}={g}&t{g}=click"));
    }
    let mut k = 0;
    while body.len() < BODY_LIMIT - 32 {
        body.push_str(&format!("&sp=k{k}&sp=v"));
        k += 1;
    }
    Attack {
        name: "heap.js: 300 groups and 67,000 session pairs",
        path: "/h".into(),
        content_type: "application/x-www-form-urlencoded",
        body: body.into_bytes(),
        status: 400,
    }
}

fn json_event(properties: &str) -> Vec<u8> {
    format!(r#"{{"app_id":"11","identity":"a","event":"E","properties":{properties}}}"#)
        .into_bytes()
}

/// The hostile bodies of every adapter that the decode budget refuses.
fn refused() -> Vec<Attack> {
    let mut attacks = vec![copied_pairs()];
    // JSON: the deepest nesting that fits (a million brackets), and the widest object.
    let half = (BODY_LIMIT - 100) / 2;
    attacks.push(Attack {
        name: "JSON: nested half a million deep",
        path: "/api/track".into(),
        content_type: "application/json",
        body: json_event(&format!("{}{}", "[".repeat(half), "]".repeat(half))),
        status: 400,
    });
    let mut wide = String::from("{");
    let mut k = 0;
    while wide.len() < BODY_LIMIT - 200 {
        wide.push_str(&format!("\"{k}\":1,"));
        k += 1;
    }
    wide.push_str("\"end\":1}");
    attacks.push(Attack {
        name: "JSON: one event with 110,000 properties",
        path: "/api/track".into(),
        content_type: "application/json",
        body: json_event(&wide),
        status: 400,
    });
    let mut bulk = String::from(r#"{"app_id":"11","events":["#);
    while bulk.len() < BODY_LIMIT - 200 {
        bulk.push_str(r#"{"identity":"a","event":"E","properties":{"a":1,"b":2,"c":3}},"#);
    }
    bulk.push_str(r#"{"identity":"a","event":"E"}]}"#);
    attacks.push(Attack {
        name: "JSON: 1 MB of small events",
        path: "/api/track".into(),
        content_type: "application/json",
        body: bulk.into_bytes(),
        status: 400,
    });
    // heap.js: the most parameters that fit.
    let mut params = String::from("a=11");
    let mut k = 0;
    while params.len() < BODY_LIMIT - 16 {
        params.push_str(&format!("&q{k}=1"));
        k += 1;
    }
    attacks.push(Attack {
        name: "heap.js: 110,000 unknown parameters",
        path: "/h".into(),
        content_type: "application/x-www-form-urlencoded",
        body: params.into_bytes(),
        status: 400,
    });
    // capture/v2: an identify message nested as deep as the body allows (unknown groups), and
    // a user-properties message with as many map entries as fit.
    let mut deep = Vec::with_capacity(BODY_LIMIT);
    while deep.len() < BODY_LIMIT - 2 {
        deep.push(0x4b); // field 9, start group
    }
    attacks.push(Attack {
        name: "capture/v2: groups nested a million deep",
        path: "/api/capture/v2/identify".into(),
        content_type: "application/octet-stream",
        body: deep,
        status: 400,
    });
    let mut entries = vec![0x0a, 2, b'1', b'1', 0x12, 1, b'1']; // env_id "11", user_id "1"
    let mut k = 0u32;
    while entries.len() < BODY_LIMIT - 32 {
        // properties (3) { key (1) = "kN", value (2) { string (1) = "v" } }
        let key = format!("k{k}");
        let value = [0x0a, 1, b'v'];
        let mut entry = vec![0x0a, key.len() as u8];
        entry.extend_from_slice(key.as_bytes());
        entry.push(0x12);
        entry.push(value.len() as u8);
        entry.extend_from_slice(&value);
        entries.push(0x1a);
        entries.push(entry.len() as u8);
        entries.extend_from_slice(&entry);
        k += 1;
    }
    attacks.push(Attack {
        name: "capture/v2: 70,000 user properties",
        path: "/api/capture/v2/add_user_properties".into(),
        content_type: "application/octet-stream",
        body: entries,
        status: 400,
    });
    attacks
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_bodies_get_prompt_answers_and_nothing_over_budget_is_forwarded() {
    let collector = Collector::start().await;
    let dir = tempfile::tempdir().unwrap();
    let proxy = ProxyProcess::start(
        dir.path(),
        &["--upstream", &collector.url(), "--policy", "gdpr"],
        &[],
    );
    for attack in refused().into_iter().chain([dotted_key()]) {
        assert!(attack.body.len() <= BODY_LIMIT, "{}", attack.name);
        let before = collector.received().len();
        let started = Instant::now();
        let reply = send(
            "POST",
            &proxy.url(&attack.path),
            &[("content-type", attack.content_type)],
            attack.body,
        )
        .await;
        let took = started.elapsed();
        assert_eq!(
            reply.status,
            attack.status,
            "{}: {}",
            attack.name,
            reply.text()
        );
        assert!(took < PROMPT, "{} took {took:?}", attack.name);
        if attack.status >= 400 {
            assert_eq!(collector.received().len(), before, "{}", attack.name);
            let error = reply.json();
            assert!(error["error"].is_string() && error["request_id"].is_string());
        }
    }
    let (peak, _) = memory_kib(proxy.child.id());
    assert!(peak < 64 * 1024, "peak RSS {peak} KiB");
    // Still up, and still serving.
    let ok = send(
        "POST",
        &proxy.url("/api/track"),
        &[("content-type", "application/json")],
        json_event(r#"{"plan":"pro"}"#),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.text());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_two_heap_js_attacks_from_eight_connections_leave_memory_bounded() {
    let collector = Collector::start().await;
    let dir = tempfile::tempdir().unwrap();
    let proxy = ProxyProcess::start(dir.path(), &["--upstream", &collector.url()], &[]);
    let url = proxy.url("/h");
    let bodies = [dotted_key().body, copied_pairs().body];
    let mut workers = Vec::new();
    for c in 0..8 {
        let (url, bodies) = (url.clone(), bodies.clone());
        workers.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            for i in 0..100 / 8 + 1 {
                let body = bodies[(c + i) % 2].clone();
                let reply = send(
                    "POST",
                    &url,
                    &[("content-type", "application/x-www-form-urlencoded")],
                    body,
                )
                .await;
                statuses.push(reply.status);
            }
            statuses
        }));
    }
    let mut answered = 0;
    for w in workers {
        for status in w.await.unwrap() {
            assert_eq!(status, 400);
            answered += 1;
        }
    }
    assert!(answered >= 100);
    let (peak, _) = memory_kib(proxy.child.id());
    assert!(peak < 64 * 1024, "peak RSS {peak} KiB");
    assert!(proxy.log().find("overflow").is_none(), "{}", proxy.log());
}

#[tokio::test]
async fn listed_tracing_headers_pass_only_when_well_formed_and_edited_headers_never_twice() {
    let collector = Collector::start().await;
    let proxy = crate::support::Proxy::start_with(&collector.url(), &["gdpr"], |c| {
        c.forward_headers = vec![http::HeaderName::from_static("traceparent")];
    })
    .await;
    let trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    let body = json_event(r#"{"plan":"pro"}"#);
    for (traceparent, forwarded) in [(trace, true), ("00-jane@example.com-00-01", false)] {
        let reply = send(
            "POST",
            &proxy.url("/api/track"),
            &[
                ("content-type", "application/json"),
                ("traceparent", traceparent),
                ("user-agent", "Mozilla/5.0 jane@example.com"),
                ("content-encoding", "identity"),
            ],
            body.clone(),
        )
        .await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        let got = collector.received().pop().unwrap();
        let values: Vec<_> = got.headers.get_all("traceparent").iter().collect();
        assert_eq!(values.len(), usize::from(forwarded), "{traceparent}");
        // The policy-edited agent is the only one, and the client's framing stays behind.
        assert!(got.headers.get_all("user-agent").iter().count() <= 1);
        assert!(got.headers.get("content-encoding").is_none());
    }
    proxy.stop().await;
}

#[test]
fn forward_headers_refuses_headers_that_could_carry_personal_data_or_framing() {
    let dir = tempfile::tempdir().unwrap();
    for (header, reason) in [
        ("user-agent", "the policies edit it"),
        ("x-forwarded-for", "the policies edit it"),
        ("content-length", "frames or routes the request"),
        ("content-encoding", "frames or routes the request"),
        ("cookie", "credentials"),
        ("accept-language", "may carry personal data"),
    ] {
        let path = dir.path().join("privgate.yaml");
        std::fs::write(&path, format!("forward_headers: [traceparent, {header}]\n")).unwrap();
        let err = privgate::config::Config::load(&path)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(header) && err.contains(reason),
            "{header}: {err}"
        );
        assert!(err.contains("privgate.yaml:1:"), "{err}");
    }
    let path = dir.path().join("privgate.yaml");
    std::fs::write(&path, "forward_headers: [traceparent, X-B3-TraceId]\n").unwrap();
    let config = privgate::config::Config::load(&path).unwrap();
    assert_eq!(config.forward_headers.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_capture_file_does_not_stall_other_requests() {
    // The capture file is a pipe that nobody reads: once its buffer is full, every write to it
    // hangs, as on a disk that stopped answering.
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("capture.fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo works");
    let reader_path = fifo.clone();
    let reader = std::thread::spawn(move || std::fs::File::open(reader_path).unwrap());
    let proxy =
        crate::support::Proxy::start(&format!("capture:{}", fifo.display()), &["gdpr"]).await;
    let held_open = reader.join().unwrap();
    let big = json_event(&format!(r#"{{"note":"{}"}}"#, "x".repeat(16 * 1024)));
    let mut stuck = Vec::new();
    for _ in 0..12 {
        let (url, body) = (proxy.url("/api/track"), big.clone());
        stuck.push(tokio::spawn(async move {
            send("POST", &url, &[("content-type", "application/json")], body).await
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    // Both workers would be blocked in the capture file's write if it ran on them: ask from
    // another thread (with a runtime of its own), so this test can fail instead of hanging.
    let url = proxy.url("/nowhere");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let _ = tx.send(rt.block_on(send("GET", &url, &[], "")).status);
    });
    let other = rx.recv_timeout(Duration::from_secs(5));
    // Read the pipe: the captured requests complete.
    let drain = std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = std::io::Read::read_to_end(&mut { held_open }, &mut sink);
    });
    assert_eq!(
        other.ok(),
        Some(404),
        "a request that does not touch the capture file is answered meanwhile"
    );
    for s in stuck {
        assert_eq!(s.await.unwrap().status, 200);
    }
    proxy.stop().await;
    drain.join().unwrap();
}

/// Units whose repetition once made a detector scan quadratic (a regex search restarting at every
/// position while an e-mail local part or a url scheme stayed alive over the whole run), and
/// neighbours of the same kind. Each is repeated to fill a 1 MB value.
const REPETITIVE: &[&str] = &[
    "1.",
    "1-",
    "a@",
    "a.",
    "1",
    "+1 ",
    "1:",
    "a:",
    "f::",
    "1 ",
    "00 ",
    "ab12 ",
    "%40",
    "a%40",
    "1.1.1.1.",
    "1111111111111:",
    "://a:",
    "@1.",
];

/// Repetitive units that hold an e-mail address each time: every one must be gone.
const REPETITIVE_PII: &[(&str, &str)] = &[
    ("1.2.3.4@example.com ", "@example.com"),
    ("x a@b.co ", "a@b.co"),
];

/// `unit` repeated to `len` bytes.
fn fill(unit: &str, len: usize) -> String {
    unit.repeat(len / unit.len())
}

fn form_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b".-_".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn varint(mut n: usize, out: &mut Vec<u8>) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// A capture/v2 `UserProperties` message: env "11", user "1", one property `note` = `value`.
fn capture_user_property(value: &str) -> Vec<u8> {
    let mut string_value = vec![0x0a];
    varint(value.len(), &mut string_value);
    string_value.extend_from_slice(value.as_bytes());
    let mut entry = vec![0x0a, 4];
    entry.extend_from_slice(b"note");
    entry.push(0x12);
    varint(string_value.len(), &mut entry);
    entry.extend_from_slice(&string_value);
    let mut body = vec![0x0a, 2, b'1', b'1', 0x12, 1, b'1', 0x1a];
    varint(entry.len(), &mut body);
    body.extend_from_slice(&entry);
    body
}

/// The one property value of `unit` repeated, as each adapter carries it, filling the body limit.
fn repetitive_attacks(unit: &str) -> Vec<Attack> {
    let json_value = fill(unit, BODY_LIMIT - 200);
    let form_head = "a=11&u=1&v=2&s=3&h=%2F&ts=1&sp=note&sp=";
    let escaped_unit = form_escape(unit);
    let form_value = fill(&escaped_unit, BODY_LIMIT - form_head.len() - 16);
    vec![
        Attack {
            name: "JSON: one repetitive property value",
            path: "/api/track".into(),
            content_type: "application/json",
            body: json_event(&serde_json::json!({ "note": json_value }).to_string()),
            status: 200,
        },
        Attack {
            name: "heap.js: one repetitive session property value",
            path: "/h".into(),
            content_type: "application/x-www-form-urlencoded",
            body: format!("{form_head}{form_value}").into_bytes(),
            status: 200,
        },
        Attack {
            name: "capture/v2: one repetitive user property value",
            path: "/api/capture/v2/add_user_properties".into(),
            content_type: "application/octet-stream",
            body: capture_user_property(&fill(unit, BODY_LIMIT - 64)),
            status: 200,
        },
    ]
}

/// The most repetitive values that fit are scanned in time linear in their length: each request
/// is answered well within the loose bound, values without PII pass unchanged, and every copy of
/// an address in a repetitive value is removed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repetitive_values_are_scanned_in_linear_time() {
    let collector = Collector::start().await;
    let dir = tempfile::tempdir().unwrap();
    let proxy = ProxyProcess::start(
        dir.path(),
        &["--upstream", &collector.url(), "--policy", "gdpr"],
        &[],
    );
    let cases = REPETITIVE
        .iter()
        .map(|u| (*u, None))
        .chain(REPETITIVE_PII.iter().map(|(u, pii)| (*u, Some(*pii))));
    for (unit, pii) in cases {
        for attack in repetitive_attacks(unit) {
            let what = format!("{} of {unit:?}", attack.name);
            assert!(attack.body.len() <= BODY_LIMIT, "{what}");
            let before = collector.received().len();
            let started = Instant::now();
            let reply = send(
                "POST",
                &proxy.url(&attack.path),
                &[("content-type", attack.content_type)],
                attack.body,
            )
            .await;
            let took = started.elapsed();
            assert_eq!(reply.status, attack.status, "{what}: {}", reply.text());
            assert!(took < PROMPT, "{what} took {took:?}");
            let received = collector.received();
            assert_eq!(received.len(), before + 1, "{what}");
            let body = &received[before].body;
            let holds = |needle: &str| memchr::memmem::find(body, needle.as_bytes()).is_some();
            match pii {
                // Nothing found: the value goes on as sent (a long stretch of it is in the body).
                // heap.js goes on form-encoded: the unit percent-escaped.
                None if attack.path == "/h" => {
                    assert!(holds(&fill(&form_escape(unit), 4096)), "{what}")
                }
                None => assert!(holds(&fill(unit, 4096)), "{what}"),
                Some(pii) => assert!(!holds(pii), "{what}: an address was forwarded"),
            }
        }
    }
    // Still up, and still serving.
    let ok = send(
        "POST",
        &proxy.url("/api/track"),
        &[("content-type", "application/json")],
        json_event(r#"{"plan":"pro"}"#),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.text());
}
