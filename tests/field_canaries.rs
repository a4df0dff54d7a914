//! Field canaries: a value that holds an e-mail, a phone number, a card number, an SSN and an
//! IBAN is planted, one request at a time, in **every** field of the event model on every
//! route — every leaf and every key of the shipped examples (JSON API), every parameter of the
//! heap.js hits, every leaf and map key of a capture/v2 message of each kind, the capture query
//! and `X-Heap-Env-Id`, and the `User-Agent` header. For each shipped policy, no part of the
//! canary may reach the collector unless policies/README.md says the policy forwards it on
//! purpose, and none may reach the audit log, the process log (at debug level), `audit summary`
//! or any state file (registry, vault).
//!
//! The plants are enumerated from the data, not listed by hand, so a field added to an example
//! or to the capture schema is planted too. A control run with a policy without rules shows
//! that the plants do reach the collector when nothing filters them.

use std::collections::BTreeSet;
use std::path::Path;

use prost::Message as _;
use serde_json::Value;

use privgate::protocol::CaptureEndpoint;
use privgate::protocol::capture_v2::json_form;

use crate::capture_v2::{full_batch, full_identify, full_user_properties};
use crate::support::{Collector, ProxyProcess, run, send};

/// The canary: one value carrying five kinds of personal data.
const CANARY: &str = "zq.canary@example.com +1 415 555 0199 4111 1111 1111 1111 536-22-8726 GB82 WEST 1234 5698 7654 32";

/// The parts of the canary and the forms in which each must not appear (as written, and
/// without separators).
const PARTS: &[(&str, &[&str])] = &[
    ("email", &["zq.canary@example.com", "canary@example"]),
    ("phone", &["415 555 0199", "4155550199"]),
    ("card", &["4111 1111 1111 1111", "4111111111111111"]),
    ("ssn", &["536-22-8726", "536228726"]),
    (
        "iban",
        &["GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432"],
    ),
];

/// One planted request.
#[derive(Debug, Clone)]
struct Plant {
    /// Where the canary is, for messages: `track.json events[0].properties.note`.
    label: String,
    method: &'static str,
    path_and_query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn plant(label: String, method: &'static str, pq: String, ct: &str, body: Vec<u8>) -> Plant {
    Plant {
        label,
        method,
        path_and_query: pq,
        headers: vec![("content-type".to_owned(), ct.to_owned())],
        body,
    }
}

/// Every copy of `value` with the canary in one place: each leaf replaced, and a canary key
/// added to each object. `at` names the place.
fn planted(value: &Value, keys: &dyn Fn(&str) -> bool) -> Vec<(String, Value)> {
    fn walk(
        v: &Value,
        path: &mut Vec<String>,
        out: &mut Vec<Vec<String>>,
        objects: &mut Vec<Vec<String>>,
    ) {
        match v {
            Value::Object(map) => {
                objects.push(path.clone());
                for (k, child) in map {
                    path.push(k.clone());
                    walk(child, path, out, objects);
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    path.push(i.to_string());
                    walk(child, path, out, objects);
                    path.pop();
                }
            }
            _ => out.push(path.clone()),
        }
    }
    fn at<'a>(v: &'a mut Value, path: &[String]) -> &'a mut Value {
        path.iter().fold(v, |v, seg| match v {
            Value::Object(m) => m.get_mut(seg).unwrap(),
            Value::Array(a) => &mut a[seg.parse::<usize>().unwrap()],
            _ => unreachable!(),
        })
    }
    let (mut leaves, mut objects) = (Vec::new(), Vec::new());
    walk(value, &mut Vec::new(), &mut leaves, &mut objects);
    // One plant per field of the model: the same field in the next list item (the next event,
    // the next message of a batch) goes through the same code.
    let mut shapes = BTreeSet::new();
    let mut first = |path: &Vec<String>| {
        shapes.insert(
            path.iter()
                .map(|s| if s.parse::<usize>().is_ok() { "*" } else { s })
                .collect::<Vec<_>>()
                .join("."),
        )
    };
    leaves.retain(&mut first);
    objects.retain(|p| first(&[p.clone(), vec!["<key>".to_owned()]].concat()));
    let mut out = Vec::new();
    for leaf in leaves {
        let mut copy = value.clone();
        *at(&mut copy, &leaf) = Value::String(CANARY.to_owned());
        out.push((leaf.join("."), copy));
    }
    for object in objects {
        if !keys(&object.join(".")) {
            continue;
        }
        let mut copy = value.clone();
        if let Value::Object(m) = at(&mut copy, &object) {
            m.insert(CANARY.to_owned(), Value::String("x".to_owned()));
        }
        out.push((format!("{}.<key>", object.join(".")), copy));
    }
    out
}

fn json_plants() -> Vec<Plant> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    let mut out = Vec::new();
    for name in names {
        let route = match name.trim_end_matches(".json").trim_end_matches("-bulk") {
            "track" => "/api/track",
            "add_user_properties" => "/api/add_user_properties",
            "add_account_properties" => "/api/add_account_properties",
            "identify" => "/api/v1/identify",
            "integrations-track" => "/api/integrations/track",
            other => panic!("examples/{other}.json: which route is it for?"),
        };
        let body: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(&name)).unwrap()).unwrap();
        for (at, copy) in planted(&body, &|_| true) {
            out.push(plant(
                format!("{name} {at}"),
                "POST",
                route.to_owned(),
                "application/json",
                copy.to_string().into_bytes(),
            ));
        }
    }
    out
}

/// heap.js hits covering every parameter the adapter knows.
const WEB_HITS: &[&str] = &[
    // A pageview with custom properties.
    "/h?a=11&u=1001&v=2002&s=3003&i=acct-17&b=web&tv=4.0&z=2&h=%2Fhome&d=example.com&t=Home&r=https%3A%2F%2Fref.example%2F&pr=%2Fprev&ts=1732869300456&st=1732869305001&k=plan&k=pro",
    // Two interactions with session and pageview properties.
    "/h?a=11&u=1001&v=2002&s=3003&b=web&tv=4.0&sp=r&sp=https%3A%2F%2Fref.example%2F&sp=h&sp=%2Fhome&sp=d&sp=example.com&sp=ts&sp=1732869300000&sp=campaign&sp=spring&pp=h&pp=%2Fhome&pp=d&pp=example.com&pp=t&pp=Home&pp=pr&pp=%2Fprev&pp=ts&pp=1732869300456&pp=variant&pp=b&id0=1111&t0=click&n0=button&c0=btn%20primary&i0=buy&h0=%2Fbuy&y0=%40button%3B%23buy%3B.btn%3B%5Bname%3Dbuy%5D&ts0=1732869300456&x0=Buy%20now&id1=2222&t1=change&n1=input&ts1=1732869300500&st=1732869305001",
    // Classic iOS.
    "/h?a=11&u=1001&v=2002&s=3003&b=ios&tv=3.0&lv=9.1.0&m=Shop&p=1.2.3&o=iPhone15%2C2&f=iOS%2017.1&vid=8A2B3C4D-1E2F-4A5B-8C9D-0E1F2A3B4C5D&g=1&y=2&h=%2Fcart&ts=1732869300456&st=1732869305001",
    "/api/identify_v3?a=11&u=1001&v=2002&s=3003&i=acct-17&b=web&tv=4.0&z=0&st=1732869305001",
    "/api/add_user_properties_v3?a=11&u=1001&v=2002&s=3003&b=web&tv=4.0&st=1732869305001&_plan=pro&_nickname=jd",
];

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn web_plants() -> Vec<Plant> {
    let mut out = Vec::new();
    for hit in WEB_HITS {
        let (path, query) = hit.split_once('?').unwrap();
        let params: Vec<&str> = query.split('&').collect();
        for (i, param) in params.iter().enumerate() {
            let (name, _) = param.split_once('=').unwrap();
            // The value, and the name where the name is data (`_key`, a pair's key slot).
            let mut variants = vec![(
                format!("{name}=value"),
                format!("{name}={}", encode(CANARY)),
            )];
            let pair_key = matches!(name, "sp" | "pp" | "k")
                && params[..i]
                    .iter()
                    .filter(|p| p.starts_with(&format!("{name}=")))
                    .count()
                    % 2
                    == 0;
            if pair_key {
                variants[0].0 = format!("{name} pair key");
            }
            if let Some(key) = name.strip_prefix('_') {
                variants.push((
                    format!("_{key} name"),
                    format!("_{}={}", encode(CANARY), "x"),
                ));
            }
            for (what, replacement) in variants {
                let mut copy = params.clone();
                copy[i] = &replacement;
                let q = copy.join("&");
                out.push(plant(
                    format!("{path} {what}"),
                    "GET",
                    format!("{path}?{q}"),
                    "text/plain",
                    Vec::new(),
                ));
                // The POST form of the same hit.
                out.push(plant(
                    format!("POST {path} {what}"),
                    "POST",
                    path.to_owned(),
                    "application/x-www-form-urlencoded",
                    q.into_bytes(),
                ));
            }
        }
    }
    out
}

fn capture_plants() -> Vec<Plant> {
    let kinds = [
        (
            "/api/capture/v2/track",
            CaptureEndpoint::Track,
            full_batch().encode_to_vec(),
        ),
        (
            "/api/capture/v2/identify",
            CaptureEndpoint::Identify,
            full_identify().encode_to_vec(),
        ),
        (
            "/api/capture/v2/add_user_properties",
            CaptureEndpoint::AddUserProperties,
            full_user_properties().encode_to_vec(),
        ),
    ];
    let query = "b=swift_core&i=acct-17&u=4503599627370495&a=11";
    let mut out = Vec::new();
    for (path, endpoint, body) in kinds {
        let json = json_form::to_json(endpoint, &body).unwrap();
        let mut placed = 0;
        for (at, copy) in planted(&json, &|_| true) {
            // A leaf of a number or enum type cannot hold text, and a key added to a message
            // that is not a map is an unknown field: the schema refuses those copies.
            let Ok(bytes) = json_form::from_json(endpoint, &copy) else {
                continue;
            };
            placed += 1;
            let mut p = plant(
                format!("{path} {at}"),
                "POST",
                format!("{path}?{query}"),
                "application/x-protobuf",
                bytes,
            );
            p.headers
                .push(("x-heap-env-id".to_owned(), "11".to_owned()));
            out.push(p);
        }
        assert!(placed >= 8, "{path}: only {placed} plants fit the schema");
        for name in ["b", "i", "u", "a"] {
            let q: Vec<String> = query
                .split('&')
                .map(|p| match p.split_once('=') {
                    Some((n, _)) if n == name => format!("{n}={}", encode(CANARY)),
                    _ => p.to_owned(),
                })
                .collect();
            let mut p = plant(
                format!("{path} ?{name}="),
                "POST",
                format!("{path}?{}", q.join("&")),
                "application/x-protobuf",
                body.clone(),
            );
            p.headers
                .push(("x-heap-env-id".to_owned(), "11".to_owned()));
            out.push(p);
        }
        let mut p = plant(
            format!("{path} X-Heap-Env-Id"),
            "POST",
            format!("{path}?{query}"),
            "application/x-protobuf",
            body.clone(),
        );
        p.headers
            .push(("x-heap-env-id".to_owned(), CANARY.to_owned()));
        out.push(p);
    }
    out
}

fn all_plants() -> Vec<Plant> {
    let mut plants = json_plants();
    plants.extend(web_plants());
    plants.extend(capture_plants());
    // The user agent, on one request of each family.
    let mut ua: Vec<Plant> = ["track.json events", "/h ", "/api/capture/v2/track"]
        .iter()
        .filter_map(|prefix| plants.iter().find(|p| p.label.starts_with(prefix)).cloned())
        .collect();
    for p in &mut ua {
        p.label = format!("{} + User-Agent", p.label);
        p.headers.push(("user-agent".to_owned(), CANARY.to_owned()));
    }
    plants.extend(ua);
    plants
}

/// A W3C `traceparent` that carries a plant's number.
fn trace_of(index: usize) -> String {
    format!("00-{:032x}-00f067aa0ba902b7-01", index + 1)
}

fn plant_of(traceparent: &str) -> usize {
    usize::from_str_radix(&traceparent[3..35], 16).unwrap() - 1
}

/// Everything of a forwarded request that can carry text, decoded.
fn haystack(pq: &str, headers: &http::HeaderMap, body: &[u8]) -> String {
    let decode = |s: &str| -> String {
        form_urlencoded::parse(s.as_bytes())
            .flat_map(|(k, v)| [k.into_owned(), v.into_owned()])
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut text = String::from_utf8_lossy(body).into_owned();
    text.push('\n');
    text.push_str(pq);
    text.push('\n');
    text.push_str(&decode(pq.split_once('?').map_or("", |(_, q)| q)));
    text.push('\n');
    text.push_str(&decode(&String::from_utf8_lossy(body)));
    for (k, v) in headers {
        text.push('\n');
        text.push_str(k.as_str());
        text.push_str(": ");
        text.push_str(&String::from_utf8_lossy(v.as_bytes()));
    }
    text
}

/// The parts of the canary `text` holds.
fn found(text: &str) -> BTreeSet<&'static str> {
    let lower = text.to_lowercase();
    let compact: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '+' | '\u{a0}'))
        .collect();
    PARTS
        .iter()
        .filter(|(_, forms)| {
            forms.iter().any(|f| {
                text.contains(f) || lower.contains(&f.to_lowercase()) || compact.contains(f)
            })
        })
        .map(|(name, _)| *name)
        .collect()
}

/// What one run found: leaks upstream by plant, and where else the canary was.
struct Outcome {
    forwarded: usize,
    leaks: Vec<(String, BTreeSet<&'static str>)>,
    elsewhere: Vec<(String, BTreeSet<&'static str>)>,
}

async fn run_policy(policy: &str, extra_headers: &[(&str, &str)]) -> Outcome {
    let collector = Collector::start().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("privgate.yaml"),
        "data_dir: privgate-data\nforward_headers: [traceparent]\naudit:\n  path: privgate-data/audit.jsonl\n  sync: none\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("none.yaml"), "policy: none\nrules: []\n").unwrap();
    let proxy = ProxyProcess::start(
        dir.path(),
        &[
            "--config",
            "privgate.yaml",
            "--upstream",
            &collector.url(),
            "--policy",
            policy,
        ],
        &[("RUST_LOG", "debug")],
    );
    // Sixteen at a time; each carries its number in a `traceparent` (forwarded as allowed), so
    // what the collector received is matched to its plant.
    let plants = std::sync::Arc::new(all_plants());
    let extra: Vec<(String, String)> = extra_headers
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let mut tasks = tokio::task::JoinSet::new();
    let mut next = 0;
    while next < plants.len() || !tasks.is_empty() {
        while next < plants.len() && tasks.len() < 16 {
            let (plants, extra, url) = (
                plants.clone(),
                extra.clone(),
                proxy.url(&plants[next].path_and_query),
            );
            let policy = policy.to_owned();
            tasks.spawn(async move {
                let p = &plants[next];
                let trace = trace_of(next);
                let mut headers: Vec<(&str, &str)> = p
                    .headers
                    .iter()
                    .chain(&extra)
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                headers.push(("traceparent", &trace));
                let reply = send(p.method, &url, &headers, p.body.clone()).await;
                assert!(
                    reply.status < 500,
                    "{policy}: {} answered {}: {}",
                    p.label,
                    reply.status,
                    reply.text()
                );
                assert!(
                    found(&reply.text()).is_empty(),
                    "{policy}: the answer to {} quotes the canary: {}",
                    p.label,
                    reply.text()
                );
            });
            next += 1;
        }
        if let Some(done) = tasks.join_next().await {
            done.unwrap();
        }
    }
    let mut leaks = Vec::new();
    let received = collector.received();
    let forwarded = received.len();
    for c in &received {
        let trace = c
            .headers
            .get("traceparent")
            .and_then(|v| v.to_str().ok())
            .expect("every forwarded request keeps its traceparent");
        let index = plant_of(trace);
        let parts = found(&haystack(&c.path_and_query, &c.headers, &c.body));
        if !parts.is_empty() {
            leaks.push((plants[index].label.clone(), parts));
        }
    }

    // Off the wire: the process log, the audit log and what the audit tools print, the state.
    let (code, log) = proxy.terminate();
    assert_eq!(code, 0, "{log}");
    assert!(log.contains("DEBUG"), "the log ran at debug level");
    let mut elsewhere = Vec::new();
    let mut check = |what: String, text: &str| {
        let parts = found(text);
        if !parts.is_empty() {
            elsewhere.push((what, parts));
        }
    };
    check("process log".to_owned(), &log);
    let data = dir.path().join("privgate-data");
    let audit = data.join("audit.jsonl");
    for args in [
        vec!["audit", "verify"],
        vec!["audit", "summary", "--format", "text"],
        vec!["audit", "summary", "--format", "json"],
        vec!["audit", "summary", "--format", "html"],
    ] {
        let mut args = args.clone();
        let path = audit.to_string_lossy().into_owned();
        args.insert(2, &path);
        let (code, out, err) = run(&args, None);
        assert_eq!(code, 0, "{args:?}: {err}");
        check(args[..2].join(" "), &(out + &err));
    }
    let mut files = vec![data.clone()];
    let mut seen_files = 0;
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else {
            seen_files += 1;
            let bytes = std::fs::read(&path).unwrap();
            check(
                format!("state file {}", path.display()),
                &String::from_utf8_lossy(&bytes),
            );
        }
    }
    assert!(seen_files >= 2, "the audit log and the hash key are there");
    Outcome {
        forwarded,
        leaks,
        elsewhere,
    }
}

/// The parts of the canary `policy` forwards on purpose (policies/README.md says so).
fn on_purpose(policy: &str) -> &'static [&'static str] {
    match policy {
        // Contact data is personal information but not sensitive personal information; the
        // CCPA policy leaves it to notice and opt-out ("Does not" in policies/README.md).
        "ccpa" => &["email", "phone"],
        _ => &[],
    }
}

async fn shipped_policy_lets_no_canary_through(policy: &str, headers: &[(&str, &str)]) {
    let out = run_policy(policy, headers).await;
    let plants = all_plants().len();
    assert!(
        out.forwarded * 2 > plants,
        "{policy}: only {} of {plants} plants were forwarded",
        out.forwarded
    );
    let allowed = on_purpose(policy);
    let leaks: Vec<String> = out
        .leaks
        .iter()
        .filter_map(|(label, parts)| {
            let bad: Vec<&str> = parts
                .iter()
                .filter(|p| !allowed.contains(p))
                .copied()
                .collect();
            (!bad.is_empty()).then(|| format!("{label}: {}", bad.join(", ")))
        })
        .collect();
    assert!(
        leaks.is_empty(),
        "{policy}: {} of {plants} plants reached the collector with part of the canary:\n{}",
        leaks.len(),
        leaks.join("\n")
    );
    assert!(
        out.elsewhere.is_empty(),
        "{policy}: the canary is outside the wire: {:?}",
        out.elsewhere
    );
}

#[tokio::test]
async fn gdpr_lets_no_canary_through_any_field() {
    shipped_policy_lets_no_canary_through("gdpr", &[]).await;
}

#[tokio::test]
async fn hipaa_lets_no_canary_through_any_field() {
    shipped_policy_lets_no_canary_through("hipaa", &[]).await;
}

#[tokio::test]
async fn ccpa_lets_no_canary_through_any_field_but_contact_data() {
    shipped_policy_lets_no_canary_through("ccpa", &[]).await;
}

#[tokio::test]
async fn coppa_lets_no_canary_through_any_field() {
    // Adults' traffic: only the rules that apply to everyone.
    shipped_policy_lets_no_canary_through("coppa", &[]).await;
    // A child's traffic: the child rules on top.
    shipped_policy_lets_no_canary_through("coppa", &[("x-user-is-child", "1")]).await;
}

/// Without rules the plants reach the collector: the test above can fail.
#[tokio::test]
async fn without_rules_the_canaries_reach_the_collector() {
    let out = run_policy("none.yaml", &[]).await;
    let plants = all_plants().len();
    assert!(
        out.leaks.len() * 10 >= plants * 7,
        "only {} of {plants} plants carried the canary upstream",
        out.leaks.len()
    );
    let full: usize = out
        .leaks
        .iter()
        .filter(|(_, p)| p.len() == PARTS.len())
        .count();
    assert!(full * 2 > plants, "{full} of {plants} leaked every part");
    // The audit log and the process log hold none of it, policy or not.
    assert!(out.elsewhere.is_empty(), "{:?}", out.elsewhere);
}
