//! Opt-outs and consent: request signals in real formats, the persistent subject registry and
//! its admin API, learned links, COPPA child state, the token vault and the data-privacy API.

use serde_json::{Value, json};

use privgate::consent::fixtures::{gpp_usnat, tcf_string};

use crate::support::{Collector, Proxy, post_json, send};

const CONSENT: &str = r#"
policy: consent
consent:
  opt_out_when: [gpc, us_privacy, tcf, gpp, cookie, field, registry]
  cookies:
    - { name: OptanonConsent, opt_out_matches: "C0002:0" }
    - { name: CookieConsent, opt_out_matches: "statistics:false" }
  field: { field: properties.do_not_sell, equals: true }
rules:
  - id: hash-identity
    fields: [identity]
    action: hash
"#;

fn track(identity: &str) -> Value {
    json!({"app_id": "11", "identity": identity, "event": "Viewed"})
}

/// Sends a track request with the headers; true when it was forwarded.
async fn forwarded(
    proxy: &Proxy,
    collector: &Collector,
    path: &str,
    headers: &[(&str, &str)],
    body: &Value,
) -> bool {
    let before = collector.received().len();
    let mut all = vec![("content-type", "application/json")];
    all.extend_from_slice(headers);
    let reply = send("POST", &proxy.url(path), &all, body.to_string()).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    collector.received().len() > before
}

/// (name, path, headers, forwarded?)
type SignalCase = (&'static str, String, Vec<(&'static str, String)>, bool);

#[tokio::test]
async fn every_request_signal_in_its_real_format() {
    let collector = Collector::start().await;
    let proxy = Proxy::start(&collector.url(), &[CONSENT]).await;
    let tcf_ok = format!("euconsent-v2={}", tcf_string(&[1, 8, 10]));
    let tcf_no_storage = format!("euconsent-v2={}", tcf_string(&[8, 9]));
    let tcf_no_measurement = format!("euconsent-v2={}", tcf_string(&[1, 2, 3]));
    let gpp_sale = format!("/api/track?gpp={}", gpp_usnat(1, 2));
    let gpp_fine = format!("/api/track?gpp={}", gpp_usnat(2, 2));
    let cases: Vec<SignalCase> = vec![
        ("no signal", "/api/track".into(), vec![], true),
        ("GPC 1", "/api/track".into(), vec![("sec-gpc", "1".into())], false),
        ("GPC padded", "/api/track".into(), vec![("sec-gpc", " 1 ".into())], false),
        ("GPC 0", "/api/track".into(), vec![("sec-gpc", "0".into())], true),
        ("GPC true", "/api/track".into(), vec![("sec-gpc", "true".into())], true),
        ("US Privacy 1YNN", "/api/track".into(), vec![("cookie", "usprivacy=1YNN".into())], true),
        ("US Privacy 1NNN", "/api/track?us_privacy=1NNN".into(), vec![], true),
        ("US Privacy 1---", "/api/track".into(), vec![("us-privacy", "1---".into())], true),
        ("US Privacy 1YYN", "/api/track".into(), vec![("us-privacy", "1YYN".into())], false),
        ("US Privacy garbage", "/api/track".into(), vec![("us-privacy", "yes please".into())], false),
        ("TCF purposes 1 and 8", "/api/track".into(), vec![("cookie", tcf_ok.clone())], true),
        ("TCF purpose 1 denied", "/api/track".into(), vec![("cookie", tcf_no_storage)], false),
        ("TCF no measurement purpose", "/api/track".into(), vec![("cookie", tcf_no_measurement)], false),
        ("TCF malformed", "/api/track?gdpr=1&gdpr_consent=CPc%21%21bogus".into(), vec![], false),
        ("TCF required but missing", "/api/track?gdpr=1".into(), vec![], false),
        ("TCF not applicable", "/api/track?gdpr=0".into(), vec![("cookie", "euconsent-v2=garbage".into())], true),
        ("GPP usnat sale opt-out", gpp_sale, vec![], false),
        ("GPP usnat no opt-out", gpp_fine, vec![], true),
        (
            "OneTrust performance off",
            "/api/track".into(),
            vec![("cookie", "OptanonConsent=isGpcEnabled=0&groups=C0001%3A1%2CC0002%3A0%2CC0004%3A0".into())],
            false,
        ),
        (
            "OneTrust performance on",
            "/api/track".into(),
            vec![("cookie", "OptanonConsent=groups=C0001%3A1%2CC0002%3A1".into())],
            true,
        ),
        (
            "Cookiebot statistics off",
            "/api/track".into(),
            vec![("cookie", "CookieConsent={stamp:%27abc%27%2Cnecessary:true%2Cpreferences:true%2Cstatistics:false%2Cmarketing:false}".into())],
            false,
        ),
    ];
    // One subject per case: a GPC opt-out is remembered for its subject (a later request
    // without the header is not an opt-in), which is not what this table is about.
    for (i, (name, path, headers, want)) in cases.iter().enumerate() {
        let h: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let body = track(&format!("case-{i}@example.com"));
        assert_eq!(
            forwarded(&proxy, &collector, path, &h, &body).await,
            *want,
            "{name}"
        );
    }
    let server_side =
        json!({"app_id": "11", "identity": "a", "event": "E", "properties": {"do_not_sell": true}});
    assert!(
        !forwarded(&proxy, &collector, "/api/track", &[], &server_side).await,
        "a property can carry the signal"
    );

    let audit = proxy.audit().await;
    let by_case = |i: usize| &audit[i];
    assert_eq!(by_case(1)["outcome"], "dropped");
    assert_eq!(by_case(1)["consent"], json!({"signal": "gpc"}));
    assert_eq!(by_case(1)["dropped"][0]["rule"], "consent");
    assert_eq!(by_case(1)["dropped"][0]["signal"], "gpc");
    assert_eq!(
        by_case(9)["consent"],
        json!({"signal": "us_privacy", "invalid": ["us_privacy"]})
    );
    assert_eq!(
        by_case(13)["consent"],
        json!({"signal": "tcf", "invalid": ["tcf"]})
    );
    assert_eq!(by_case(16)["consent"]["signal"], "gpp");
    assert_eq!(by_case(18)["consent"]["signal"], "cookie");
    assert_eq!(audit.last().unwrap()["consent"]["signal"], "field");
    proxy.stop().await;
}

fn with_admin_token(c: &mut privgate::config::Config) {
    let path = c.data_dir.join("admin.token");
    std::fs::write(&path, "s3cret-admin-token\n").unwrap();
    c.admin_token_file = Some(path);
}

async fn admin(
    proxy: &Proxy,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> crate::support::Reply {
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("content-type", "application/json")];
    if let Some(a) = &auth {
        headers.push(("authorization", a.as_str()));
    }
    send(method, &proxy.admin_url(path), &headers, body.to_owned()).await
}

const REGISTRY_POLICY: &str = r#"
policy: registry
consent:
  opt_out_when: [registry]
rules: []
"#;

#[tokio::test]
async fn an_opt_out_survives_a_restart_covers_linked_user_ids_and_can_be_withdrawn() {
    let collector = Collector::start().await;
    let proxy = Proxy::start_with(&collector.url(), &[REGISTRY_POLICY], with_admin_token).await;
    let ok = "s3cret-admin-token";
    let reply = admin(
        &proxy,
        "POST",
        "/v1/subjects/opt-out",
        Some(ok),
        r#"{"identity":"jane@example.com","reason":"gdpr_art21"}"#,
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["status"], "opted_out");
    let status = admin(
        &proxy,
        "GET",
        "/v1/subjects/status?identity=jane%40example.com",
        Some(ok),
        "",
    )
    .await;
    assert_eq!(
        status.json(),
        json!({"opted_out": true, "reason": "gdpr_art21", "child": false})
    );

    let proxy = proxy.restart().await;
    assert!(
        !forwarded(
            &proxy,
            &collector,
            "/api/track",
            &[],
            &track("jane@example.com")
        )
        .await,
        "opt-out survives a restart"
    );
    assert!(
        forwarded(
            &proxy,
            &collector,
            "/api/track",
            &[],
            &track("john@example.com")
        )
        .await
    );
    // A user id not yet linked is forwarded; identify links it; from then on it is dropped too.
    let anon = json!({"app_id": "11", "user_id": "4415", "event": "Viewed"});
    assert!(forwarded(&proxy, &collector, "/api/track", &[], &anon).await);
    let identify = json!({"app_id": "11", "user_id": "4415", "identity": "jane@example.com"});
    assert!(
        !forwarded(&proxy, &collector, "/api/v1/identify", &[], &identify).await,
        "the identify itself is dropped"
    );
    let proxy = proxy.restart().await;
    assert!(
        !forwarded(&proxy, &collector, "/api/track", &[], &anon).await,
        "the linked user id is opted out too"
    );
    // A later request without any signal does not undo the opt-out.
    assert!(
        !forwarded(
            &proxy,
            &collector,
            "/api/track",
            &[("sec-gpc", "0")],
            &track("jane@example.com")
        )
        .await
    );

    let reply = admin(
        &proxy,
        "DELETE",
        "/v1/subjects/opt-out",
        Some(ok),
        r#"{"identity":"jane@example.com"}"#,
    )
    .await;
    assert_eq!(reply.json()["status"], "withdrawn");
    assert!(
        forwarded(
            &proxy,
            &collector,
            "/api/track",
            &[],
            &track("jane@example.com")
        )
        .await,
        "withdrawal restores forwarding"
    );

    let registry = std::fs::read_to_string(proxy.dir.path().join("subjects.jsonl")).unwrap();
    assert!(registry.lines().count() >= 3);
    for raw in ["jane", "example.com", "4415"] {
        assert!(
            !registry.contains(raw),
            "the registry holds `{raw}`:\n{registry}"
        );
    }
    let audit_text = std::fs::read_to_string(&proxy.audit_path).unwrap();
    assert!(
        !audit_text.contains("jane"),
        "admin changes are audited without the identifier"
    );
    let admin_records: Vec<Value> = proxy
        .audit()
        .await
        .into_iter()
        .filter(|r| r["outcome"] == "admin")
        .collect();
    assert_eq!(admin_records.len(), 2);
    assert_eq!(
        admin_records[0]["subject"],
        json!({"action": "opt_out", "id_kind": "identity", "reason": "gdpr_art21"})
    );
    assert_eq!(admin_records[1]["subject"]["action"], "withdraw");
    proxy.stop().await;
}

#[tokio::test]
async fn the_admin_api_wants_the_right_token_and_well_formed_bodies() {
    let proxy = Proxy::start("capture", &[REGISTRY_POLICY]).await;
    let reply = admin(
        &proxy,
        "POST",
        "/v1/subjects/opt-out",
        Some("anything"),
        r#"{"identity":"a","reason":"ccpa"}"#,
    )
    .await;
    assert_eq!(
        reply.status, 403,
        "without a configured token the API is off"
    );
    proxy.stop().await;

    let proxy = Proxy::start_with("capture", &[REGISTRY_POLICY], with_admin_token).await;
    let body = r#"{"identity":"a","reason":"ccpa"}"#;
    assert_eq!(
        admin(&proxy, "POST", "/v1/subjects/opt-out", None, body)
            .await
            .status,
        401
    );
    assert_eq!(
        admin(
            &proxy,
            "POST",
            "/v1/subjects/opt-out",
            Some("s3cret-admin-tokeN"),
            body
        )
        .await
        .status,
        401
    );
    assert_eq!(
        admin(&proxy, "POST", "/v1/subjects/opt-out", Some("s3cret"), body)
            .await
            .status,
        401
    );
    let ok = Some("s3cret-admin-token");
    for (bad, message) in [
        ("{", "malformed JSON at line 1 column 1"),
        ("[1]", "the body must be a JSON object"),
        (
            r#"{"reason":"ccpa"}"#,
            "the body needs `identity` or `user_id`",
        ),
        (
            r#"{"identity":"a","user_id":"1","reason":"ccpa"}"#,
            "either `identity` or `user_id`",
        ),
        (
            r#"{"identity":""}"#,
            "`identity` must be a non-empty string",
        ),
        (r#"{"identity":"a"}"#, "`reason` is required"),
        (
            r#"{"identity":"a","reason":7}"#,
            "`reason` must be a string",
        ),
        (
            r#"{"user_id":"12345","reason":"customer bob.canary@example.com asked"}"#,
            "`reason` must be one of gdpr_art17, gdpr_art21, ccpa_opt_out",
        ),
        (
            r#"{"user_id":"12345","reason":"Zelda Quixote called"}"#,
            "which holds no free text",
        ),
    ] {
        let reply = admin(&proxy, "POST", "/v1/subjects/opt-out", ok, bad).await;
        assert_eq!(reply.status, 400, "{bad}");
        assert!(
            reply.json()["error"].as_str().unwrap().contains(message),
            "{bad}: {}",
            reply.text()
        );
    }
    assert_eq!(
        admin(&proxy, "POST", "/v1/subjects/opt-out", ok, body)
            .await
            .status,
        200
    );
    assert_eq!(
        admin(&proxy, "GET", "/v1/subjects/status", ok, "")
            .await
            .status,
        400
    );
    assert_eq!(
        admin(&proxy, "GET", "/v1/subjects/status?user_id=1", ok, "")
            .await
            .json()["opted_out"],
        false
    );
    proxy.stop().await;
}

const COPPA_LIKE: &str = r#"
policy: kids
consent:
  parental_consent_when: { header: x-parental-consent, equals: "granted" }
rules:
  - id: child-events
    when: { subject: child }
    fields: ["properties.**"]
    action: remove
  - id: child-profiles
    when: { all: [ { subject: child }, { kind: [identify, user_properties] } ] }
    action: drop_event
"#;

#[tokio::test]
async fn a_child_revealed_by_age_is_remembered_for_later_events() {
    let collector = Collector::start().await;
    let proxy = Proxy::start(&collector.url(), &[COPPA_LIKE]).await;
    let props = |id: &str, age: Value| json!({"app_id": "11", "identity": id, "properties": {"age": age, "plan": "free"}});
    // The user-properties call that reveals the age is itself dropped for a child.
    assert!(
        !forwarded(
            &proxy,
            &collector,
            "/api/add_user_properties",
            &[],
            &props("kid-1", json!(11))
        )
        .await
    );
    assert!(
        forwarded(
            &proxy,
            &collector,
            "/api/add_user_properties",
            &[],
            &props("teen-1", json!(15))
        )
        .await
    );
    let proxy = proxy.restart().await;
    let event = |id: &str| json!({"app_id": "11", "identity": id, "event": "Played", "properties": {"level": 3, "nickname": "x"}});
    assert!(forwarded(&proxy, &collector, "/api/track", &[], &event("kid-1")).await);
    assert_eq!(
        collector.received().last().unwrap().json()["properties"],
        json!({}),
        "handled as a child"
    );
    assert!(forwarded(&proxy, &collector, "/api/track", &[], &event("teen-1")).await);
    assert_eq!(
        collector.received().last().unwrap().json()["properties"]["level"],
        3
    );
    // A birth date less than 13 years ago counts too; parental consent overrides.
    let born = |id: &str| json!({"app_id": "11", "identity": id, "properties": {"birthdate": "2020-05-01"}});
    assert!(
        !forwarded(
            &proxy,
            &collector,
            "/api/add_user_properties",
            &[],
            &born("kid-2")
        )
        .await
    );
    assert!(
        forwarded(
            &proxy,
            &collector,
            "/api/add_user_properties",
            &[("x-parental-consent", "granted")],
            &born("kid-3")
        )
        .await
    );
    proxy.stop().await;
}

const HIPAA_LIKE: &str = r#"
policy: tokens
rules:
  - id: ids
    fields: [identity, user_id]
    action: tokenize
"#;

#[tokio::test]
async fn tokenize_gives_the_same_token_across_requests_and_restarts() {
    let collector = Collector::start().await;
    let proxy = Proxy::start(&collector.url(), &[HIPAA_LIKE]).await;
    post_json(&proxy.url("/api/track"), &track("patient-77@example.com")).await;
    post_json(&proxy.url("/api/track"), &track("patient-77@example.com")).await;
    post_json(&proxy.url("/api/track"), &track("patient-78@example.com")).await;
    let proxy = proxy.restart().await;
    post_json(&proxy.url("/api/track"), &track("patient-77@example.com")).await;
    let tokens: Vec<String> = collector
        .received()
        .iter()
        .map(|r| r.json()["identity"].as_str().unwrap().to_owned())
        .collect();
    assert!(tokens[0].starts_with("tok_"), "{tokens:?}");
    assert_eq!(tokens[0], tokens[1]);
    assert_ne!(tokens[0], tokens[2]);
    assert_eq!(tokens[0], tokens[3], "the vault survives a restart");
    let vault = std::fs::read_to_string(proxy.dir.path().join("tokens.vault")).unwrap();
    assert_eq!(vault.lines().count(), 2);
    assert!(!vault.contains("patient"));
    proxy.stop().await;
}

#[tokio::test]
async fn deletion_requests_pass_through_unchanged_and_can_opt_the_subjects_out() {
    let collector = Collector::start().await;
    let proxy = Proxy::start_with(&collector.url(), &["gdpr", REGISTRY_POLICY], |c| {
        c.on_erasure = privgate::config::OnErasure::OptOut;
    })
    .await;
    let body = r#"{"users":[{"identity":"jane@example.com"},{"user_id":"u-8812-zq"}]}"#;
    let reply = send(
        "POST",
        &proxy.url("/api/public/v0/user_deletion"),
        &[
            ("content-type", "application/json"),
            ("authorization", "Bearer heap-token-123"),
        ],
        body,
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let got = collector.received();
    assert_eq!(got[0].path_and_query, "/api/public/v0/user_deletion");
    assert_eq!(got[0].body, body.as_bytes(), "byte for byte");
    assert_eq!(got[0].headers["authorization"], "Bearer heap-token-123");
    let reply = send(
        "GET",
        &proxy.url("/api/public/v0/deletion_status/del-42"),
        &[("authorization", "Bearer t")],
        "",
    )
    .await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        collector.received()[1].path_and_query,
        "/api/public/v0/deletion_status/del-42"
    );

    assert!(
        !forwarded(
            &proxy,
            &collector,
            "/api/track",
            &[],
            &track("jane@example.com")
        )
        .await,
        "collection does not start again"
    );
    let by_user_id = json!({"app_id": "11", "user_id": "u-8812-zq", "event": "E"});
    assert!(!forwarded(&proxy, &collector, "/api/track", &[], &by_user_id).await);
    let audit = proxy.audit().await;
    assert_eq!(audit[0]["route"], "/api/public/v0/user_deletion");
    assert_eq!(
        audit[0]["erasure"],
        json!({"subjects": 2, "opted_out": true})
    );
    assert_eq!(audit[1]["route"], "/api/public/v0/deletion_status/{id}");
    let text = std::fs::read_to_string(&proxy.audit_path).unwrap();
    assert!(!text.contains("jane") && !text.contains("u-8812-zq") && !text.contains("heap-token"));
    proxy.stop().await;
}

#[tokio::test]
async fn without_on_erasure_a_deletion_only_passes_through() {
    let collector = Collector::start().await;
    let proxy = Proxy::start(&collector.url(), &[REGISTRY_POLICY]).await;
    let body = r#"{"users":[{"identity":"jane@example.com"}]}"#;
    let reply = send(
        "POST",
        &proxy.url("/api/public/v0/user_deletion"),
        &[("content-type", "application/json")],
        body,
    )
    .await;
    assert_eq!(reply.status, 200);
    assert!(
        forwarded(
            &proxy,
            &collector,
            "/api/track",
            &[],
            &track("jane@example.com")
        )
        .await
    );
    assert_eq!(
        proxy.audit().await[0]["erasure"],
        json!({"subjects": 1, "opted_out": false})
    );
    proxy.stop().await;
}

#[test]
fn subjects_import_writes_the_registry_offline() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("optouts.jsonl");
    std::fs::write(
        &file,
        "{\"identity\":\"a@example.com\",\"reason\":\"ccpa\"}\n\n{\"user_id\":\"991\"}\n",
    )
    .unwrap();
    let data = dir.path().join("data");
    let (code, out, err) = crate::support::run(
        &[
            "subjects",
            "import",
            file.to_str().unwrap(),
            "--data-dir",
            data.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("imported 2 opt-outs"), "{out}");
    let registry = std::fs::read_to_string(data.join("subjects.jsonl")).unwrap();
    assert_eq!(registry.lines().count(), 2);
    assert!(!registry.contains("a@example.com"));
    let audit = crate::support::audit_records(&data.join("audit.jsonl"));
    assert_eq!(audit.len(), 2, "every imported change is audited");
    assert_eq!(
        audit[0]["subject"],
        json!({"action": "opt_out", "id_kind": "identity", "reason": "ccpa_opt_out"})
    );
    assert!(
        !std::fs::read_to_string(data.join("audit.jsonl"))
            .unwrap()
            .contains("a@example.com")
    );
    std::fs::write(&file, "{\"identity\":\"a\",\"user_id\":\"1\"}\n").unwrap();
    let (code, _, err) = crate::support::run(
        &[
            "subjects",
            "import",
            file.to_str().unwrap(),
            "--data-dir",
            data.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("line 1: needs exactly one of `identity` or `user_id`"),
        "{err}"
    );
}

#[tokio::test]
async fn a_gpc_opt_out_is_remembered_for_later_requests_without_the_header() {
    let collector = Collector::start().await;
    let proxy = Proxy::start(&collector.url(), &["ccpa"]).await;
    let identify = json!({"app_id": "11", "identity": "gpc@example.com", "user_id": 9002});
    assert!(
        !forwarded(
            &proxy,
            &collector,
            "/api/v1/identify",
            &[("sec-gpc", "1")],
            &identify
        )
        .await,
        "dropped under GPC"
    );
    // The same person later, without the header: by identity, and by the user id the
    // identify linked.
    let by_identity = json!({"app_id": "11", "identity": "gpc@example.com", "event": "Viewed"});
    let by_user = json!({"app_id": "11", "user_id": 9002, "event": "Viewed"});
    for body in [&by_identity, &by_user] {
        assert!(
            !forwarded(&proxy, &collector, "/api/track", &[], body).await,
            "still opted out: {body}"
        );
    }
    let other = json!({"app_id": "11", "identity": "other@example.com", "event": "Viewed"});
    assert!(forwarded(&proxy, &collector, "/api/track", &[], &other).await);
    let registry = std::fs::read_to_string(proxy.dir.path().join("subjects.jsonl")).unwrap();
    assert!(registry.contains("gpc"), "{registry}");
    assert!(!registry.contains("gpc@example.com"), "keyed by HMAC only");
    proxy.stop().await;
}
