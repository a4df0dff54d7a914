//! The Heap server-side JSON API through the proxy: every route, single and bulk, every action,
//! drops, scope, client IP handling and upstream failures.

use std::time::Duration;

use serde_json::{Value, json};

use crate::support::{Behaviour, Collector, Proxy, post_json, send};

/// A policy that uses every action once.
const ALL_ACTIONS: &str = r#"
policy: actions
rules:
  - id: drop-diagnosis
    when: { event: { matches: "(?i)diagnos" } }
    action: drop_event
  - id: drop-internal-app
    when: { app: "99" }
    action: drop_event
  - id: ip
    fields: [client.ip]
    action: { truncate_ip: { v4: 16 } }
  - id: ident
    fields: [identity]
    action: hash
  - id: card
    fields: [properties.card]
    action: { mask: { keep_last: 4 } }
  - id: name
    fields: ["properties.*name*", "user_properties.*name*"]
    action: { replace: "[name]" }
  - id: secrets
    fields: ["**.*password*"]
    action: remove
  - id: account-contact
    fields: [account_properties.contact_email]
    action: remove
"#;

#[tokio::test]
async fn single_track_is_filtered_and_forwarded() {
    let collector = Collector::start().await;
    let proxy = Proxy::start_with(&collector.url(), &[ALL_ACTIONS], |c| {
        c.trusted_proxies = vec![privgate::config::parse_trusted("127.0.0.1").unwrap()];
    })
    .await;
    let reply = send(
        "POST",
        &proxy.url("/api/track?debug=1"),
        &[
            ("content-type", "application/json"),
            ("x-forwarded-for", "198.51.100.77"),
            ("user-agent", "Mozilla/5.0 test"),
            ("cookie", "session=abc"),
            ("referer", "https://shop.example/account?email=jane@example.com"),
        ],
        json!({
            "app_id": "11",
            "identity": "jane@example.com",
            "event": "Checkout",
            "properties": {"card": "4111111111111111", "full_name": "Jane Doe", "db": {"password": "hunter2"}, "total": 12.5},
            "timestamp": "2026-11-29T10:00:00Z"
        })
        .to_string(),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json(), json!({"collector": true}));
    let got = collector.received();
    assert_eq!(got.len(), 1);
    let req = &got[0];
    assert_eq!(
        req.path_and_query, "/api/track",
        "query parameters are not part of the JSON API and are dropped"
    );
    let body = req.json();
    assert_eq!(body["app_id"], "11");
    assert!(
        body["identity"].as_str().unwrap().starts_with("h:"),
        "{body}"
    );
    assert_eq!(body["properties"]["card"], "************1111");
    assert_eq!(body["properties"]["full_name"], "[name]");
    assert_eq!(body["properties"]["db"], json!({}));
    assert_eq!(body["properties"]["total"], 12.5);
    assert_eq!(body["timestamp"], "2026-11-29T10:00:00Z");
    // Request metadata after the policy: IP truncated, agent kept, cookies and referer not sent.
    assert_eq!(req.headers["x-forwarded-for"], "198.51.0.0");
    assert_eq!(req.headers["user-agent"], "Mozilla/5.0 test");
    assert!(req.headers.get("cookie").is_none());
    assert!(req.headers.get("referer").is_none());
    assert!(req.headers.get("x-request-id").is_some());

    let audit = proxy.audit().await;
    assert_eq!(audit.len(), 1);
    let rec = &audit[0];
    assert_eq!(rec["outcome"], "forwarded");
    assert_eq!(rec["upstream_status"], 200);
    assert_eq!(rec["events_in"], 1);
    assert_eq!(rec["events_out"], 1);
    let rules: Vec<&str> = rec["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, vec!["ip", "ident", "card", "name", "secrets"]);
    let paths: Vec<&str> = rec["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    assert!(
        paths.contains(&"events[0].properties.db.password"),
        "{paths:?}"
    );
    assert_eq!(rec["policies"][0]["name"], "actions");
    assert_eq!(
        rec["unknown_fields"], 1,
        "the query parameter was dropped and counted"
    );
    assert_eq!(rec["policies"][0]["sha256"].as_str().unwrap().len(), 64);
    proxy.stop().await;
}

#[tokio::test]
async fn every_route_single_and_bulk_reaches_the_collector_in_its_shape() {
    let collector = Collector::start().await;
    let proxy = Proxy::start(&collector.url(), &["gdpr"]).await;
    let cases: Vec<(&str, Value)> = vec![
        (
            "/api/track",
            json!({"app_id": "11", "user_id": "1847839267195673", "event": "View", "properties": {"page": "home"}}),
        ),
        (
            "/api/track",
            json!({"app_id": "11", "events": [
                {"identity": "a@example.com", "event": "A", "properties": {"n": 1}},
                {"user_id": "42", "event": "B", "timestamp": "2026-01-01T00:00:00Z", "idempotency_key": "k1"}
            ]}),
        ),
        (
            "/api/add_user_properties",
            json!({"app_id": "11", "identity": "a@example.com", "properties": {"plan": "pro"}}),
        ),
        (
            "/api/add_user_properties",
            json!({"app_id": "11", "users": [
                {"identity": "a@example.com", "properties": {"plan": "pro"}},
                {"identity": "b@example.com", "properties": {"plan": "free", "api_token": "t0k"}}
            ]}),
        ),
        (
            "/api/add_account_properties",
            json!({"app_id": "11", "account_id": "acme", "properties": {"seats": 10}}),
        ),
        (
            "/api/add_account_properties",
            json!({"app_id": "11", "accounts": [
                {"account_id": "acme", "properties": {"seats": 10}},
                {"account_id": "globex", "properties": {"tier": "gold"}}
            ]}),
        ),
        (
            "/api/v1/identify",
            json!({"app_id": "11", "user_id": "42", "identity": "a@example.com", "timestamp": "2026-01-01T00:00:00Z"}),
        ),
        (
            "/api/integrations/track",
            json!({"app_id": "11", "library": "segment", "events": [
                {"event": "A", "idempotency_key": "k", "timestamp": "2026-01-01T00:00:00Z", "properties": {"x": 1}, "user_identifier": {"identity": "a@example.com"}},
                {"event": "B", "idempotency_key": "k2", "timestamp": "2026-01-01T00:00:00Z", "properties": {}, "user_identifier": {"anonymous_id": "anon-1"}}
            ]}),
        ),
    ];
    for (i, (path, body)) in cases.iter().enumerate() {
        let reply = post_json(&proxy.url(path), body).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text());
        let got = collector.received();
        assert_eq!(got.len(), i + 1, "{path}");
        let forwarded = got[i].json();
        assert_eq!(got[i].path_and_query, *path);
        let expected = expected_after_gdpr(body);
        assert_eq!(forwarded, expected, "{path}");
        // Same key order as sent.
        assert_eq!(forwarded.to_string(), expected.to_string(), "{path}");
    }
    let audit = proxy.audit().await;
    assert_eq!(audit.len(), cases.len());
    assert!(audit.iter().all(|r| r["outcome"] == "forwarded"));
    assert_eq!(audit[1]["events_in"], 2);
    assert_eq!(
        audit[3]["changes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["rule"] == "secrets-by-key")
            .count(),
        1
    );
    proxy.stop().await;
}

/// What the shipped gdpr policy does to these bodies: identities hashed, token keys removed.
fn expected_after_gdpr(body: &Value) -> Value {
    let key = crate::support::test_key();
    let mut out = body.clone();
    fn walk(v: &mut Value, key: &privgate::keys::HashKey) {
        match v {
            Value::Object(m) => {
                m.retain(|k, _| !k.contains("token"));
                for (k, v) in m.iter_mut() {
                    if k == "identity" {
                        if let Value::String(s) = v {
                            *v = Value::String(key.hash(s));
                        }
                    } else {
                        walk(v, key);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| walk(i, key)),
            _ => {}
        }
    }
    walk(&mut out, &key);
    out
}

#[tokio::test]
async fn dropping_some_events_forwards_the_rest_and_all_dropped_answers_empty() {
    let collector = Collector::start().await;
    let proxy = Proxy::start(&collector.url(), &[ALL_ACTIONS]).await;
    let some = json!({"app_id": "11", "events": [
        {"identity": "a", "event": "Diagnosis viewed"},
        {"identity": "b", "event": "Pageview"},
        {"identity": "c", "event": "diagnosis shared"}
    ]});
    let reply = post_json(&proxy.url("/api/track"), &some).await;
    assert_eq!(reply.status, 200);
    let got = collector.received();
    assert_eq!(got.len(), 1);
    let events = got[0].json()["events"].as_array().unwrap().clone();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["event"], "Pageview");

    let all = json!({"app_id": "11", "events": [{"identity": "a", "event": "Diagnosis viewed"}]});
    let reply = post_json(&proxy.url("/api/track"), &all).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json(), json!({}));
    assert_eq!(
        collector.received().len(),
        1,
        "nothing forwarded when everything is dropped"
    );

    let audit = proxy.audit().await;
    assert_eq!(audit[0]["outcome"], "forwarded");
    assert_eq!(audit[0]["events_in"], 3);
    assert_eq!(audit[0]["events_out"], 1);
    assert_eq!(
        audit[0]["dropped"],
        json!([
            {"event_index": 0, "policy": "actions", "rule": "drop-diagnosis"},
            {"event_index": 2, "policy": "actions", "rule": "drop-diagnosis"}
        ])
    );
    assert_eq!(audit[1]["outcome"], "dropped");
    assert_eq!(audit[1]["status"], 200);
    assert_eq!(audit[1]["events_out"], 0);
    assert!(audit[1].get("upstream_status").is_none());
    proxy.stop().await;
}

#[tokio::test]
async fn app_conditions_and_account_fields() {
    let collector = Collector::start().await;
    let proxy = Proxy::start(&collector.url(), &[ALL_ACTIONS]).await;
    let reply = post_json(
        &proxy.url("/api/track"),
        &json!({"app_id": "99", "identity": "a", "event": "E"}),
    )
    .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json(), json!({}));
    let reply = post_json(
        &proxy.url("/api/add_account_properties"),
        &json!({"app_id": "11", "account_id": "acme", "properties": {"contact_email": "ops@acme.test", "seats": 3}}),
    )
    .await;
    assert_eq!(reply.status, 200);
    let got = collector.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].json()["properties"], json!({"seats": 3}));
    proxy.stop().await;
}

const SCOPED: &str = r#"
policy: scoped
scope:
  apps: ["51*"]
  kinds: [track]
rules:
  - id: strip-properties
    fields: ["properties.**"]
    action: remove
  - id: user-props
    fields: ["user_properties.**"]
    action: remove
"#;

#[tokio::test]
async fn scope_limits_a_policy_to_apps_and_kinds() {
    let collector = Collector::start().await;
    let proxy = Proxy::start(&collector.url(), &[SCOPED]).await;
    let in_scope = json!({"app_id": "51001", "identity": "a", "event": "E", "properties": {"symptom": "cough"}});
    let other_app =
        json!({"app_id": "11", "identity": "a", "event": "E", "properties": {"symptom": "cough"}});
    let other_kind =
        json!({"app_id": "51001", "identity": "a", "properties": {"symptom": "cough"}});
    post_json(&proxy.url("/api/track"), &in_scope).await;
    post_json(&proxy.url("/api/track"), &other_app).await;
    post_json(&proxy.url("/api/add_user_properties"), &other_kind).await;
    let got = collector.received();
    assert_eq!(got.len(), 3);
    assert_eq!(got[0].json()["properties"], json!({}));
    assert_eq!(got[1].json()["properties"]["symptom"], "cough");
    assert_eq!(
        got[2].json()["properties"]["symptom"],
        "cough",
        "user_properties kind is out of scope"
    );
    proxy.stop().await;
}

#[tokio::test]
async fn numeric_app_ids_and_nested_arrays_are_handled() {
    let collector = Collector::start().await;
    let proxy = Proxy::start(
        &collector.url(),
        &[r#"
policy: arrays
rules:
  - id: emails
    fields: ["properties.**.email"]
    action: { replace: "[email]" }
"#],
    )
    .await;
    let body = json!({"app_id": 11, "identity": "a", "event": "E",
        "properties": {"contacts": [{"email": "a@example.com"}, {"email": "b@example.com", "role": "x"}]}});
    let reply = post_json(&proxy.url("/api/track"), &body).await;
    assert_eq!(reply.status, 200);
    let got = collector.received()[0].json();
    assert_eq!(got["app_id"], 11);
    assert_eq!(
        got["properties"]["contacts"],
        json!([{"email": "[email]"}, {"email": "[email]", "role": "x"}])
    );
    let audit = proxy.audit().await;
    assert_eq!(audit[0]["app_id"], "11");
    let paths: Vec<&str> = audit[0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        vec![
            "events[0].properties.contacts[0].email",
            "events[0].properties.contacts[1].email"
        ]
    );
    proxy.stop().await;
}

#[tokio::test]
async fn upstream_refusal_is_502_and_timeout_is_504() {
    // A port bound but not listening: connections to it are refused. It stays bound for the
    // whole test, so the proxy cannot be given the same port and forward to itself (a dropped
    // listener's port can come back from the next bind to port 0).
    let closed = tokio::net::TcpSocket::new_v4().unwrap();
    closed.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let dead = format!("http://{}", closed.local_addr().unwrap());
    let proxy = Proxy::start(&dead, &["gdpr"]).await;
    let body = json!({"app_id": "11", "identity": "a", "event": "E"});
    let reply = post_json(&proxy.url("/api/track"), &body).await;
    assert_eq!(reply.status, 502, "{}", reply.text());
    let audit = proxy.audit().await;
    assert_eq!(audit[0]["outcome"], "upstream_error");
    assert_eq!(audit[0]["error"], "upstream_unreachable");
    proxy.stop().await;

    let collector = Collector::start().await;
    collector.set(Behaviour::Delay(Duration::from_secs(5)));
    let proxy = Proxy::start_with(&collector.url(), &["gdpr"], |c| {
        c.limits.upstream_timeout = Duration::from_millis(300);
    })
    .await;
    let reply = post_json(&proxy.url("/api/track"), &body).await;
    assert_eq!(reply.status, 504);
    let audit = proxy.audit().await;
    assert_eq!(audit[0]["outcome"], "upstream_error");
    assert_eq!(audit[0]["error"], "upstream_timeout");
    proxy.stop().await;
    drop(closed);
}

#[tokio::test]
async fn collector_errors_pass_through_with_their_status() {
    let collector = Collector::start().await;
    collector.set(Behaviour::Status(429));
    let proxy = Proxy::start(&collector.url(), &["gdpr"]).await;
    let reply = post_json(
        &proxy.url("/api/track"),
        &json!({"app_id": "11", "identity": "a", "event": "E"}),
    )
    .await;
    assert_eq!(reply.status, 429);
    assert_eq!(proxy.audit().await[0]["upstream_status"], 429);
    proxy.stop().await;
}

#[tokio::test]
async fn capture_upstream_records_forwarded_requests() {
    let proxy = Proxy::start("capture", &["gdpr"]).await;
    let reply = post_json(
        &proxy.url("/api/track"),
        &json!({"app_id": "11", "identity": "a@example.com", "event": "E"}),
    )
    .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json(), json!({}));
    let lines = crate::support::read_jsonl(&proxy.dir.path().join("capture.jsonl"));
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["method"], "POST");
    assert_eq!(lines[0]["path"], "/api/track");
    assert_eq!(lines[0]["headers"]["content-type"], "application/json");
    assert_eq!(lines[0]["body"]["event"], "E");
    assert!(
        lines[0]["body"]["identity"]
            .as_str()
            .unwrap()
            .starts_with("h:")
    );
    proxy.stop().await;
}

#[tokio::test]
async fn gzip_bodies_are_accepted() {
    use std::io::Write;
    let collector = Collector::start().await;
    let proxy = Proxy::start(&collector.url(), &["gdpr"]).await;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(
        json!({"app_id": "11", "user_id": "1", "event": "Zipped"})
            .to_string()
            .as_bytes(),
    )
    .unwrap();
    let reply = send(
        "POST",
        &proxy.url("/api/track"),
        &[
            ("content-type", "application/json"),
            ("content-encoding", "gzip"),
        ],
        gz.finish().unwrap(),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let got = collector.received();
    assert_eq!(got[0].json()["event"], "Zipped");
    assert!(got[0].headers.get("content-encoding").is_none());
    proxy.stop().await;
}

#[tokio::test]
async fn personal_data_used_as_a_key_is_neither_forwarded_nor_audited() {
    let collector = Collector::start().await;
    // A custom policy that selects under a key that is an address: its record must not show
    // the key either (then gdpr removes the field: the key itself is personal data).
    let by_key = "policy: by-key\nrules:\n  - id: invitees\n    fields: ['properties.invitees.*']\n    action: { replace: '[invitee]' }\n";
    let proxy = Proxy::start(&collector.url(), &[by_key, "gdpr"]).await;
    let reply = post_json(
        &proxy.url("/api/track"),
        &json!({
            "app_id": "11",
            "identity": "k@example.com",
            "event": "Invite",
            "properties": {
                "keyleak@example.com": "call +44 20 7946 0958",
                "scores": {"keyleak2@example.com": 3, "round": 2},
                "invitees": {"keyleak3@example.com": "accepted"},
                "plan": "pro"
            }
        }),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let got = collector.received();
    let body = got[0].json();
    let sent = body.to_string();
    for leak in ["keyleak@", "keyleak2@", "7946"] {
        assert!(!sent.contains(leak), "{leak} forwarded: {sent}");
    }
    assert_eq!(body["properties"]["scores"], json!({"round": 2}));
    assert_eq!(body["properties"]["plan"], "pro");
    let audit = serde_json::to_string(&proxy.audit().await).unwrap();
    assert!(!audit.contains("keyleak"), "{audit}");
    assert!(audit.contains("events[0].properties.<email>"), "{audit}");
    proxy.stop().await;
}
