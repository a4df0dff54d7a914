//! The PII canary: distinctive values planted in every field of every route (and in headers,
//! query strings, paths and broken bodies) must never appear in the audit log or in the
//! process's log output, even at debug level.

use serde_json::{Value, json};

use crate::support::{Collector, ProxyProcess, run, send};

/// Every planted value contains this marker.
const MARK: &str = "cnry";

fn canary(field: &str) -> String {
    format!("{MARK}-{field}-q7Zx")
}

fn bodies() -> Vec<(&'static str, Value)> {
    let c = canary;
    let props = || {
        json!({
            "note": c("note"),
            "email": format!("{}@example.com", c("email")),
            "nested": {"deep": c("deep"), "list": [c("list0"), {"x": c("list1")}]},
            "number_text": c("number"),
        })
    };
    vec![
        (
            "/api/track",
            json!({"app_id": "11", "identity": c("identity"), "event": c("event"), "properties": props(),
            "timestamp": c("timestamp"), "session_id": c("session"), "idempotency_key": c("idem")}),
        ),
        (
            "/api/track",
            json!({"app_id": "11", "events": [
                {"identity": c("bulk-identity"), "event": c("bulk-event"), "properties": props()},
                {"user_id": c("bulk-user"), "event": c("bulk-event2"), "session_id": c("bulk-session")}
            ]}),
        ),
        (
            "/api/add_user_properties",
            json!({"app_id": "11", "identity": c("up-identity"), "properties": props()}),
        ),
        (
            "/api/add_user_properties",
            json!({"app_id": "11", "users": [{"identity": c("up-bulk"), "properties": props()}]}),
        ),
        (
            "/api/add_account_properties",
            json!({"app_id": "11", "account_id": c("account"), "properties": props()}),
        ),
        (
            "/api/add_account_properties",
            json!({"app_id": "11", "accounts": [{"account_id": c("account-bulk"), "properties": props()}]}),
        ),
        (
            "/api/v1/identify",
            json!({"app_id": "11", "user_id": c("id-user"), "identity": c("id-identity"), "timestamp": c("id-time")}),
        ),
        (
            "/api/integrations/track",
            json!({"app_id": "11", "library": c("library"), "events": [
                {"event": c("int-event"), "idempotency_key": c("int-idem"), "properties": props(), "user_identifier": {"identity": c("int-identity")}},
                {"event": c("int-event2"), "properties": props(), "user_identifier": {"anonymous_id": c("int-anon")}}
            ]}),
        ),
    ]
}

const DETECTING: &str = r#"
policy: canary
rules:
  - id: drop-some
    when: { event: { matches: "bulk-event2" } }
    action: drop_event
  - id: hash-ids
    fields: [identity, user_id, account_id]
    action: hash
  - id: mask-notes
    fields: [properties.note, "properties.nested.**"]
    action: mask
  - id: replace-email
    fields: ["**.email"]
    action: { replace: "[email]" }
"#;

#[tokio::test]
async fn planted_values_never_reach_the_audit_log_or_the_process_log() {
    let collector = Collector::start().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("canary.yaml"), DETECTING).unwrap();
    let proxy = ProxyProcess::start(
        dir.path(),
        &[
            "--upstream",
            &collector.url(),
            "--policy",
            "gdpr",
            "--policy",
            "canary.yaml",
            "--trusted-proxy",
            "127.0.0.1",
        ],
        &[("RUST_LOG", "debug")],
    );
    let planted_ip = "198.51.100.231";
    let agent = canary("agent");
    let cookie = format!("sid={}", canary("cookie"));
    let referer = format!("https://x.example/{}", canary("referer"));
    let headers = [
        ("content-type", "application/json"),
        ("x-forwarded-for", planted_ip),
        ("user-agent", agent.as_str()),
        ("cookie", cookie.as_str()),
        ("referer", referer.as_str()),
        ("x-custom", "cnry-header-q7Zx"),
    ];
    for (path, body) in bodies() {
        let url = proxy.url(&format!("{path}?q={}", canary("query")));
        let reply = send("POST", &url, &headers, body.to_string()).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text());
    }
    // Browser traffic: the values in every heap.js parameter.
    let c = canary;
    let web = [
        format!(
            "/h?a=11&u=1&v=2&s=3&i={}&b=web&tv=4.0&h=%2F{}&d={}&t={}&r=https%3A%2F%2Fx.example%2F{}&ts=1&k=note&k={}",
            c("web-i"),
            c("web-h"),
            c("web-d"),
            c("web-t"),
            c("web-r"),
            c("web-k")
        ),
        format!(
            "/h?a=11&u=1&sp=r&sp={}&pp=h&pp={}&id0=1&t0=click&n0=button&x0={}&h0={}&y0={}&ts0=2",
            c("web-sp"),
            c("web-pp"),
            c("web-x"),
            c("web-href"),
            c("web-y")
        ),
        format!(
            "/api/add_user_properties_v3?a=11&u=1&i={}&_plan={}",
            c("web-up-i"),
            c("web-up")
        ),
    ];
    for url in &web {
        let reply = send("GET", &proxy.url(url), &headers, "").await;
        assert_eq!(reply.status, 200, "{url}: {}", reply.text());
    }
    let reply = send(
        "GET",
        &proxy.url(&format!("/h?a=11&x0={}", c("web-bad"))),
        &headers,
        "",
    )
    .await;
    assert_eq!(reply.status, 400);

    // Bad requests carrying the values too.
    let broken = format!("{{\"app_id\":\"11\",\"identity\":\"{}\",", canary("broken"));
    let reply = send("POST", &proxy.url("/api/track"), &headers, broken).await;
    assert_eq!(reply.status, 400);
    assert!(
        !reply.text().contains(MARK),
        "error messages do not echo input: {}",
        reply.text()
    );
    let shape = json!({"app_id": "11", "events": {"identity": canary("shape")}}).to_string();
    assert_eq!(
        send("POST", &proxy.url("/api/track"), &headers, shape)
            .await
            .status,
        400
    );
    let dup = format!(
        "{{\"app_id\":\"11\",\"{0}\":1,\"{0}\":2}}",
        canary("dupkey")
    );
    assert_eq!(
        send("POST", &proxy.url("/api/track"), &headers, dup)
            .await
            .status,
        400
    );
    let unknown = proxy.url(&format!("/users/{}/track", canary("path")));
    assert_eq!(send("POST", &unknown, &headers, "{}").await.status, 404);
    let wrong_type = send(
        "POST",
        &proxy.url("/api/track"),
        &[("content-type", "text/x-cnry-ctype-q7Zx")],
        "x",
    )
    .await;
    assert_eq!(wrong_type.status, 415);

    assert!(
        collector.received().len() >= 8,
        "the good requests were forwarded"
    );
    let (code, log) = proxy.terminate();
    assert_eq!(code, 0, "{log}");
    let audit_text = std::fs::read_to_string(dir.path().join("privgate-data/audit.jsonl")).unwrap();
    assert_eq!(
        crate::support::audit_requests(crate::support::audit_records(
            &dir.path().join("privgate-data/audit.jsonl")
        ))
        .len(),
        17
    );
    for (what, text) in [("audit log", &audit_text), ("process log", &log)] {
        assert!(
            !text.contains(MARK),
            "{what} holds a planted value:\n{text}"
        );
        assert!(
            !text.contains(planted_ip),
            "{what} holds the client IP:\n{text}"
        );
        assert!(
            !text.contains("198.51.100."),
            "{what} holds the client network:\n{text}"
        );
    }
    assert!(log.contains("DEBUG"), "the log ran at debug level");

    // What `audit verify` and `audit summary` print about that log holds none of it either.
    let audit_path = dir.path().join("privgate-data/audit.jsonl");
    let audit_path = audit_path.to_string_lossy();
    let (code, out, err) = run(&["audit", "verify", &audit_path], None);
    assert_eq!(code, 0, "{err}");
    let mut outputs = vec![("verify".to_owned(), out + &err)];
    for format in ["text", "json", "html"] {
        let (code, out, err) = run(&["audit", "summary", &audit_path, "--format", format], None);
        assert_eq!(code, 0, "{err}");
        assert!(
            out.contains("canary"),
            "the summary names the policies: {out}"
        );
        outputs.push((format!("summary --format {format}"), out + &err));
    }
    for (what, text) in &outputs {
        assert!(
            !text.contains(MARK),
            "{what} holds a planted value:\n{text}"
        );
        assert!(
            !text.contains("198.51.100."),
            "{what} holds the client network:\n{text}"
        );
    }
}
