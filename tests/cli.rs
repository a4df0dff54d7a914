//! `privgate scrub`: what would be forwarded, and why.

use serde_json::Value;

use crate::support::run;

const EXAMPLES: &[(&str, &str)] = &[
    ("track.json", "/api/track"),
    ("track-bulk.json", "/api/track"),
    ("add_user_properties.json", "/api/add_user_properties"),
    ("add_user_properties-bulk.json", "/api/add_user_properties"),
    ("add_account_properties.json", "/api/add_account_properties"),
    (
        "add_account_properties-bulk.json",
        "/api/add_account_properties",
    ),
    ("identify.json", "/api/v1/identify"),
    ("integrations-track.json", "/api/integrations/track"),
];

fn example(name: &str) -> String {
    format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_example_scrubs_on_its_route() {
    for (file, route) in EXAMPLES {
        let (code, out, err) = run(
            &["scrub", "--policy", "gdpr", "--path", route, &example(file)],
            None,
        );
        assert_eq!(code, 0, "{file}: {err}");
        let forwarded: Value =
            serde_json::from_str(&out).unwrap_or_else(|_| panic!("{file}: not JSON: {out}"));
        let text = forwarded.to_string();
        let mut identities = Vec::new();
        collect(&forwarded, "identity", &mut identities);
        for identity in identities {
            assert!(
                identity.as_str().is_some_and(|s| s.starts_with("h:")),
                "{file}: identity must be hashed: {text}"
            );
        }
        assert!(
            !text.contains("tok_9f8e7d6c5b4a") && !text.contains("ak_live_0a1b2c"),
            "{file}: {text}"
        );
    }
}

fn collect(v: &Value, key: &str, out: &mut Vec<Value>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                if k == key {
                    out.push(v.clone());
                }
                collect(v, key, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect(i, key, out)),
        _ => {}
    }
}

#[test]
fn explain_lists_each_change_with_rule_action_path_and_why() {
    let (code, _, err) = run(
        &[
            "scrub",
            "--policy",
            "gdpr",
            "--explain",
            &example("track.json"),
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("gdpr/pseudonymise-identity: hash events[0].identity — GDPR Art. 4(5)"),
        "{err}"
    );
    assert!(
        err.contains("gdpr/secrets-by-key: remove events[0].properties.api_token"),
        "{err}"
    );
}

#[test]
fn scrub_reads_stdin_and_says_which_rule_dropped_the_event() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("drop.yaml");
    std::fs::write(
        &policy,
        "policy: drop\nrules:\n  - id: no-health\n    why: Art. 9\n    when: { event: { matches: '(?i)diagnos' } }\n    action: drop_event\n",
    )
    .unwrap();
    let body = r#"{"app_id":"11","identity":"a","event":"Diagnosis viewed"}"#;
    let (code, out, err) = run(
        &["scrub", "--policy", policy.to_str().unwrap(), "-"],
        Some(body),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "");
    assert!(
        err.contains("event 0 dropped by drop/no-health — Art. 9"),
        "{err}"
    );
    assert!(err.contains("nothing would be forwarded"), "{err}");
}

#[test]
fn scrub_reports_bad_input_as_the_proxy_would() {
    let (code, _, err) = run(&["scrub", "--policy", "gdpr", "-"], Some("{\"app_id\": "));
    assert_eq!(code, 1);
    assert!(
        err.contains("would be rejected with 400: malformed JSON at line 1 column 11"),
        "{err}"
    );
    let (code, _, err) = run(
        &["scrub", "--policy", "gdpr", "--path", "/nope", "-"],
        Some("{}"),
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("privgate: `/nope` is not a route privgate handles"),
        "{err}"
    );
    let (code, _, err) = run(&["scrub", "--policy", "gpdr", "-"], Some("{}"));
    assert_eq!(code, 2);
    assert!(
        err.contains("unknown policy `gpdr` (did you mean `gdpr`?)"),
        "{err}"
    );
}

#[test]
fn each_policy_has_its_own_custom_detectors() {
    // A clinic's own `mrn` (a different format from hipaa's) loads next to hipaa; each policy's
    // rules use their own definition, and a policy cannot borrow another policy's detector.
    let dir = tempfile::tempdir().unwrap();
    let clinic = dir.path().join("clinic.yaml");
    std::fs::write(
        &clinic,
        "policy: clinic\ndetectors:\n  mrn:\n    pattern: '\\bCL-\\d{6}\\b'\nrules:\n  - id: clinic-mrn\n    fields: ['properties.**']\n    detect: [mrn]\n    action: { replace: '[clinic-mrn]' }\n",
    )
    .unwrap();
    let body = r#"{"app_id":"11","identity":"a","event":"Visit","properties":{"note":"chart CL-123456, MRN 99887766"}}"#;
    let clinic_arg = clinic.to_str().unwrap();
    let (code, out, err) = run(
        &["scrub", "--policy", clinic_arg, "--policy", "hipaa", "-"],
        Some(body),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("[clinic-mrn]"), "{out}");
    assert!(out.contains("[mrn]"), "hipaa's mrn still applies: {out}");
    assert!(
        !out.contains("123456") && !out.contains("99887766"),
        "{out}"
    );

    let borrow = dir.path().join("borrow.yaml");
    std::fs::write(
        &borrow,
        "policy: borrow\nrules:\n  - id: r\n    fields: ['properties.**']\n    detect: [health_plan_id]\n    action: remove\n",
    )
    .unwrap();
    let (code, _, err) = run(
        &[
            "scrub",
            "--policy",
            "hipaa",
            "--policy",
            borrow.to_str().unwrap(),
            "-",
        ],
        Some(body),
    );
    assert_eq!(code, 2, "a policy that fails check is never used: {err}");
    assert!(err.contains("unknown detector `health_plan_id`"), "{err}");
}

#[test]
fn card_and_phone_numbers_sent_as_floats_are_found() {
    let body = r#"{"app_id":"1","identity":"a","event":"E","properties":{"c1":4111111111111111.0,"c2":4.111111111111111e15,"phone":4155550123.0,"total":129.9}}"#;
    let (code, out, err) = run(&["scrub", "--policy", "gdpr", "-"], Some(body));
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["properties"]["c1"], "****************");
    assert_eq!(v["properties"]["c2"], "****************");
    assert_eq!(v["properties"]["phone"], "**********");
    assert_eq!(v["properties"]["total"], 129.9);
}

#[test]
fn anonymize_keeps_the_event_without_its_identifiers() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("anon.yaml");
    std::fs::write(
        &policy,
        "policy: anon\nconsent:\n  opt_out_when: [gpc]\n  on_opt_out: anonymize\nrules: []\n",
    )
    .unwrap();
    let body = r#"{"app_id":"1","identity":"jane@example.com","event":"E","properties":{"email":"jane@example.com","device_id":"d-123","Customer_ID":"c-9","plan":"pro","nested":{"contact_phone":"+44 20 7946 0958"}}}"#;
    let (code, out, err) = run(
        &[
            "scrub",
            "--policy",
            policy.to_str().unwrap(),
            "--header",
            "Sec-GPC: 1",
            "-",
        ],
        Some(body),
    );
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"app_id": "1", "event": "E", "properties": {"plan": "pro", "nested": {}}})
    );
}

#[test]
fn ephemeral_codes_hold_within_a_request_and_change_between_requests() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("eph.yaml");
    std::fs::write(
        &policy,
        "policy: eph\nrules:\n  - id: r\n    fields: [identity]\n    action: { replace: 'child-{ephemeral}' }\n",
    )
    .unwrap();
    let body = r#"{"app_id":"1","events":[{"identity":"kid-1","event":"A"},{"identity":"kid-1","event":"B"},{"identity":"kid-2","event":"C"}]}"#;
    let scrub = || {
        let (code, out, err) = run(
            &[
                "scrub",
                "--policy",
                policy.to_str().unwrap(),
                "--path",
                "/api/track",
                "-",
            ],
            Some(body),
        );
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        (0..3)
            .map(|i| v["events"][i]["identity"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let first = scrub();
    assert!(
        first
            .iter()
            .all(|id| id.starts_with("child-") && id.len() == 22),
        "{first:?}"
    );
    assert_eq!(first[0], first[1], "one child within a request");
    assert_ne!(first[0], first[2], "two children stay two");
    let second = scrub();
    assert_ne!(first[0], second[0], "nothing links two requests");
}

#[test]
fn scrub_hashes_with_the_key_of_the_configured_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let default_key = "11".repeat(32);
    let deployment_key = "22".repeat(32);
    std::fs::create_dir_all(dir.path().join("privgate-data")).unwrap();
    std::fs::write(dir.path().join("privgate-data/hash.key"), &default_key).unwrap();
    std::fs::create_dir_all(dir.path().join("srv/data")).unwrap();
    std::fs::write(dir.path().join("srv/data/hash.key"), &deployment_key).unwrap();
    std::fs::write(dir.path().join("privgate.yaml"), "data_dir: srv/data\n").unwrap();
    std::fs::write(
        dir.path().join("track.json"),
        r#"{"app_id":"11","identity":"jane@example.com","event":"E"}"#,
    )
    .unwrap();
    let scrub = |extra: &[&str]| {
        let out = std::process::Command::new(crate::support::bin())
            .args(["scrub", "--policy", "gdpr", "--format", "json"])
            .args(extra)
            .arg("track.json")
            .current_dir(dir.path())
            .env_remove("PRIVGATE_HASH_KEY")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["forwarded"]["identity"].as_str().unwrap().to_owned()
    };
    let by_default = scrub(&[]);
    let by_config = scrub(&["--config", "privgate.yaml"]);
    let by_folder = scrub(&["--data-dir", "srv/data"]);
    assert_ne!(
        by_default, by_config,
        "the config's data folder has another key"
    );
    assert_eq!(by_config, by_folder);
    // The same key `serve` would use: the configured folder's, not ./privgate-data's.
    let key = privgate::keys::HashKey::from_text(&deployment_key, "t").unwrap();
    let set = privgate::policy::load_set_scoped(&["gdpr".to_owned()], &[], key)
        .unwrap()
        .0;
    assert!(
        by_config.starts_with(&format!("h:{}:", set.key.id())),
        "{by_config}"
    );
}

#[test]
fn serve_refuses_an_upstream_that_is_its_own_listener() {
    let dir = tempfile::tempdir().unwrap();
    // A port free now; `serve` binds it and then finds its upstream pointing back at it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = std::process::Command::new(crate::support::bin())
        .args(["serve", "--admin-listen", "127.0.0.1:0"])
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args(["--upstream", &format!("http://localhost:{port}")])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("is privgate's own listener"),
        "the error names the mistake: {stderr}"
    );
}
