//! Tools for policy owners: `privgate test`, shadow mode, the config file and hot reload.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;

use crate::support::{Collector, Proxy, ProxyProcess, post_json, run, send, send_signal};

const V1: &str =
    "policy: live\nrules:\n  - id: hash-identity\n    fields: [identity]\n    action: hash\n";
const V2: &str =
    "policy: live\nrules:\n  - id: drop-identity\n    fields: [identity]\n    action: remove\n";

#[test]
fn the_shipped_policy_tests_pass() {
    let (code, out, err) = run(
        &["test", concat!(env!("CARGO_MANIFEST_DIR"), "/policies")],
        None,
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.lines()
            .last()
            .unwrap_or("")
            .ends_with(" passed, 0 failed"),
        "{out}"
    );
}

#[test]
fn a_failing_case_shows_what_differs_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.yaml"), "policy: p\nrules:\n  - id: m\n    fields: [properties.note]\n    action: { mask: { keep_last: 2 } }\n").unwrap();
    let file = dir.path().join("t.yaml");
    std::fs::write(
        &file,
        r#"policies: [./p.yaml]
cases:
  - name: masks the note
    request: { path: /api/track, body: { app_id: "1", identity: "a", event: "E", properties: { note: "secret" } } }
    expect:
      forwarded: { properties: { note: "****et" } }
      changes: [{ rule: m, action: mask, path: properties.note }]
  - name: wrongly expects the note untouched
    request: { path: /api/track, body: { app_id: "1", identity: "a", event: "E", properties: { note: "secret" } } }
    expect:
      forwarded: { properties: { note: "secret" } }
      absent: ["et"]
  - name: wrongly expects a drop
    request: { path: /api/track, body: { app_id: "1", identity: "a", event: "E" } }
    expect: dropped
  - name: wrongly expects quoted text gone
    request: { path: /api/track, body: { app_id: "1", identity: 'Jane "JD" Doe', event: "E", properties: { addr: "12 Elm St\nSpringfield" } } }
    expect:
      absent: ['Jane "JD" Doe', "Elm St\nSpring"]
"#,
    )
    .unwrap();
    let (code, out, _) = run(&["test", file.to_str().unwrap()], None);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("  ok    masks the note"), "{out}");
    assert!(
        out.contains("  FAIL  wrongly expects the note untouched"),
        "{out}"
    );
    assert!(
        out.contains("- `properties.note`: expected \"secret\", found \"****et\""),
        "{out}"
    );
    assert!(
        out.contains("- `et` must not reach the collector, but it does"),
        "{out}"
    );
    assert!(out.contains("  FAIL  wrongly expects a drop"), "{out}");
    assert!(
        out.contains("expected every event dropped, but it was forwarded"),
        "{out}"
    );
    assert!(
        out.contains("- `Jane \"JD\" Doe` must not reach the collector, but it does"),
        "values are compared as sent, not as escaped JSON: {out}"
    );
    assert!(
        out.contains("- `Elm St\nSpring` must not reach the collector, but it does"),
        "{out}"
    );
    assert!(out.trim_end().ends_with("1 passed, 3 failed"), "{out}");
}

#[test]
fn a_broken_test_file_is_reported_with_its_location() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.yaml");
    std::fs::write(&file, "policies: [gdpr]\ncases:\n  - name: x\n    requst: { path: /api/track }\n    expect: dropped\n").unwrap();
    let (code, out, _) = run(&["test", file.to_str().unwrap()], None);
    assert_eq!(code, 1);
    assert!(
        out.contains(":4:5: error: unknown key `requst` in a test case"),
        "{out}"
    );
    assert!(out.contains("did you mean `request`?"), "{out}");
}

const SHADOW: &str = r#"
policy: candidate
mode: shadow
rules:
  - id: would-drop-tests
    when: { event: { matches: "^Test" } }
    action: drop_event
  - id: would-remove-plan
    fields: [properties.plan]
    action: remove
"#;

#[tokio::test]
async fn shadow_mode_forwards_as_the_enforcing_policies_left_it_and_audits_what_it_would_do() {
    let collector = Collector::start().await;
    let proxy = Proxy::start(&collector.url(), &["gdpr", SHADOW]).await;
    let body = json!({"app_id": "11", "identity": "a@example.com", "event": "Test purchase", "properties": {"plan": "pro", "api_token": "x"}});
    let reply = post_json(&proxy.url("/api/track"), &body).await;
    assert_eq!(reply.status, 200);
    let got = collector.received();
    assert_eq!(got.len(), 1, "the shadow drop is not applied");
    let forwarded = got[0].json();
    assert_eq!(
        forwarded["properties"],
        json!({"plan": "pro"}),
        "gdpr enforced, candidate not"
    );
    assert!(forwarded["identity"].as_str().unwrap().starts_with("h:"));
    let rec = &proxy.audit().await[0];
    assert_eq!(rec["outcome"], "shadow");
    assert_eq!(rec["events_out"], 1);
    assert_eq!(
        rec["dropped"],
        json!([{"event_index": 0, "policy": "candidate", "rule": "would-drop-tests", "shadow": true}])
    );
    let changes = rec["changes"].as_array().unwrap();
    assert!(
        changes
            .iter()
            .any(|c| c["rule"] == "secrets-by-key" && c.get("shadow").is_none())
    );
    // The drop rule came first, so the shadow run stops there: the plan rule never ran.
    assert!(!changes.iter().any(|c| c["rule"] == "would-remove-plan"));

    let body = json!({"app_id": "11", "identity": "a", "event": "Purchase", "properties": {"plan": "pro"}});
    post_json(&proxy.url("/api/track"), &body).await;
    assert_eq!(
        collector.received()[1].json()["properties"],
        json!({"plan": "pro"})
    );
    let rec = &proxy.audit().await[1];
    assert_eq!(rec["outcome"], "shadow");
    assert_eq!(
        rec["changes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["shadow"] == true)
            .count(),
        1
    );
    proxy.stop().await;
}

#[test]
fn the_example_config_loads_and_mistakes_are_pinned() {
    let path = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/privgate.yaml"
    ));
    let config = privgate::config::Config::load(path).unwrap();
    assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
    assert_eq!(config.policies, vec!["gdpr"]);
    assert_eq!(config.limits.max_body_bytes, 1024 * 1024);
    assert_eq!(config.limits.header_timeout, Duration::from_secs(10));
    assert_eq!(config.audit_sync, privgate::audit::SyncMode::Always);
    assert!(config.audit_path.ends_with("privgate-data/audit.jsonl"));

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("c.yaml");
    std::fs::write(&bad, "listen: 127.0.0.1:8080\nlimts:\n  max_events: 5\naudit:\n  sync: sometimes\nlimits:\n  header_timeout: soon\n  upstream_timeout: 0s\npolicies: [gdpr, hipa]\nstate:\n  fail_open_to: drop\n").unwrap();
    let err = privgate::config::Config::load(&bad)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(":2:1: error: unknown key `limts` in the config file"),
        "{err}"
    );
    assert!(err.contains("did you mean `limits`?"), "{err}");
    assert!(
        err.contains(":5:9: error: unknown `audit.sync` value `sometimes`"),
        "{err}"
    );
    assert!(
        err.contains(":7:19: error: `header_timeout` must be a duration"),
        "{err}"
    );
    assert!(
        err.contains(":8:21: error: `upstream_timeout` must be longer than 0"),
        "a zero wait would fail every request: {err}"
    );
    assert!(
        err.contains(":9:18: error: unknown policy `hipa`")
            && err.contains("did you mean `hipaa`?"),
        "{err}"
    );
    assert!(
        err.contains(":11:17: error: `state.fail_open_to` is only used with `backend: redis`"),
        "a setting that would do nothing is a mistake: {err}"
    );
}

#[tokio::test]
async fn serve_reads_its_config_file_and_flags_override_it() {
    let collector = Collector::start().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("mine.yaml"), V1).unwrap();
    std::fs::write(
        dir.path().join("privgate.yaml"),
        format!(
            "upstream: {}\npolicies: [./mine.yaml]\ndata_dir: state\nlimits:\n  max_events: 2\n",
            collector.url()
        ),
    )
    .unwrap();
    let proxy = ProxyProcess::start(dir.path(), &["--config", "privgate.yaml"], &[]);
    let reply = post_json(&proxy.url("/api/track"), &json!({"app_id": "1", "events": [
        {"identity": "a", "event": "E"}, {"identity": "b", "event": "E"}, {"identity": "c", "event": "E"}]}))
    .await;
    assert_eq!(reply.status, 400, "max_events from the file applies");
    let reply = post_json(
        &proxy.url("/api/track"),
        &json!({"app_id": "1", "identity": "a", "event": "E"}),
    )
    .await;
    assert_eq!(reply.status, 200);
    assert!(
        collector.received()[0].json()["identity"]
            .as_str()
            .unwrap()
            .starts_with("h:")
    );
    assert!(
        dir.path().join("state/audit.jsonl").exists(),
        "data_dir is relative to the config file"
    );
    let (code, log) = proxy.terminate();
    assert_eq!(code, 0, "{log}");
}

/// The sha256 that handled each request, by request id.
async fn versions_by_request(proxy: &Proxy) -> HashMap<String, String> {
    proxy
        .audit()
        .await
        .iter()
        .map(|r| {
            (
                r["request_id"].as_str().unwrap().to_owned(),
                r["policies"][0]["sha256"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reload_under_load_fails_no_request_and_switches_version_once() {
    let collector = Collector::start().await;
    let proxy = Arc::new(Proxy::start(&collector.url(), &[V1]).await);
    let policy_path = proxy.dir.path().join("policy0.yaml");
    let old_sha = privgate::policy::compile::sha256_hex(V1.as_bytes());
    let new_sha = privgate::policy::compile::sha256_hex(V2.as_bytes());
    // The clients keep sending until the reload is done and then a few more requests (at most
    // 3,000 each), so the reload lands while they send however fast the machine is.
    let reloaded = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut clients = Vec::new();
    for c in 0..4 {
        let proxy = proxy.clone();
        let reloaded = reloaded.clone();
        clients.push(tokio::spawn(async move {
            let mut ids = Vec::new();
            let mut after = 0;
            for i in 0..3000 {
                let body = json!({"app_id": "1", "identity": format!("u{c}-{i}"), "event": "E"});
                let reply = post_json(&proxy.url("/api/track"), &body).await;
                assert_eq!(reply.status, 200, "{}", reply.text());
                ids.push(reply.headers["x-request-id"].to_str().unwrap().to_owned());
                if reloaded.load(std::sync::atomic::Ordering::SeqCst) {
                    after += 1;
                    if after == 20 {
                        break;
                    }
                }
            }
            ids
        }));
    }
    tokio::time::sleep(Duration::from_millis(150)).await;
    std::fs::write(&policy_path, V2).unwrap();
    let versions = proxy
        .server
        .as_ref()
        .unwrap()
        .reload()
        .expect("the new version compiles");
    assert_eq!(versions, vec![format!("live@{}", &new_sha[..12])]);
    reloaded.store(true, std::sync::atomic::Ordering::SeqCst);
    let mut per_client = Vec::new();
    for c in clients {
        per_client.push(c.await.unwrap());
    }
    let handled = versions_by_request(&proxy).await;
    let mut switched_clients = 0;
    for ids in &per_client {
        let seq: Vec<&String> = ids.iter().map(|id| &handled[id]).collect();
        assert!(seq.iter().all(|v| **v == old_sha || **v == new_sha));
        // Each client sees the old version, then the new one: never back.
        let switches = seq.windows(2).filter(|w| w[0] != w[1]).count();
        assert!(switches <= 1, "a client went back to the old policies");
        if switches == 1 {
            assert_eq!(*seq[0], old_sha);
            switched_clients += 1;
        }
    }
    assert!(
        switched_clients > 0,
        "the reload happened while the clients were sending"
    );
    let state = &proxy.server.as_ref().unwrap().state;
    assert_eq!(state.metrics.reloads(false), 0, "no reload failed");
    assert!(state.metrics.reloads(true) >= 1);
    let sent: usize = per_client.iter().map(Vec::len).sum();
    assert_eq!(
        collector.received().len(),
        sent,
        "every request was forwarded"
    );
    // The watcher may also have noticed the edit, but the version switched exactly once.
    assert!(
        proxy
            .audit()
            .await
            .iter()
            .all(|r| r["outcome"] == "forwarded")
    );
}

#[tokio::test]
async fn an_invalid_edit_leaves_the_last_good_policies_serving() {
    let collector = Collector::start().await;
    let proxy = Proxy::start(&collector.url(), &[V1]).await;
    let policy_path = proxy.dir.path().join("policy0.yaml");
    std::fs::write(
        &policy_path,
        "policy: live\nrules:\n  - id: x\n    fields: [identty]\n    action: remove\n",
    )
    .unwrap();
    let err = proxy
        .server
        .as_ref()
        .unwrap()
        .reload()
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("policy0.yaml:4:14: error: `identty` is not a field of the event model"),
        "{err}"
    );
    let reply = post_json(
        &proxy.url("/api/track"),
        &json!({"app_id": "1", "identity": "a@b.co", "event": "E"}),
    )
    .await;
    assert_eq!(reply.status, 200);
    assert!(
        collector.received()[0].json()["identity"]
            .as_str()
            .unwrap()
            .starts_with("h:"),
        "V1 still applies"
    );
    let sha = proxy.audit().await[0]["policies"][0]["sha256"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(sha, privgate::policy::compile::sha256_hex(V1.as_bytes()));
    assert!(proxy.server.as_ref().unwrap().state.metrics.reloads(false) >= 1);
    proxy.stop().await;
}

#[tokio::test]
async fn editing_a_policy_file_reloads_it_without_a_signal() {
    let collector = Collector::start().await;
    let proxy = Proxy::start(&collector.url(), &[V1]).await;
    let policy_path = proxy.dir.path().join("policy0.yaml");
    // Editors often write a new file and rename it over the old one.
    let tmp = proxy.dir.path().join(".policy0.yaml.swp");
    std::fs::write(&tmp, V2).unwrap();
    std::fs::rename(&tmp, &policy_path).unwrap();
    wait_for_v2(&proxy, &collector).await;
    proxy.stop().await;
}

/// Sends track events until one arrives without its identity (V2 in force); 10 s at most.
async fn wait_for_v2(proxy: &Proxy, collector: &Collector) {
    let started = std::time::Instant::now();
    loop {
        let reply = post_json(
            &proxy.url("/api/track"),
            &json!({"app_id": "1", "identity": "a", "event": "E"}),
        )
        .await;
        assert_eq!(reply.status, 200);
        if collector
            .received()
            .last()
            .unwrap()
            .json()
            .get("identity")
            .is_none()
        {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the edit was not picked up"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_kubernetes_configmap_update_reloads_the_policy() {
    // The kubelet's layout: files are symlinks through `..data`, which is swapped atomically.
    use std::os::unix::fs::symlink;
    let mount = tempfile::tempdir().unwrap();
    let m = mount.path();
    for (version, text) in [("..v1", V1), ("..v2", V2)] {
        std::fs::create_dir(m.join(version)).unwrap();
        std::fs::write(m.join(version).join("shop.yaml"), text).unwrap();
    }
    symlink("..v1", m.join("..data")).unwrap();
    symlink("..data/shop.yaml", m.join("shop.yaml")).unwrap();
    let collector = Collector::start().await;
    let policy = m.join("shop.yaml").display().to_string();
    let proxy = Proxy::start(&collector.url(), &[&policy]).await;
    symlink("..v2", m.join("..data_tmp")).unwrap();
    std::fs::rename(m.join("..data_tmp"), m.join("..data")).unwrap();
    wait_for_v2(&proxy, &collector).await;
    proxy.stop().await;
}

#[tokio::test]
async fn sighup_reloads_a_running_process() {
    let collector = Collector::start().await;
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("p");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(sub.join("live.yaml"), V1).unwrap();
    let proxy = ProxyProcess::start(
        dir.path(),
        &["--upstream", &collector.url(), "--policy", "p/live.yaml"],
        &[],
    );
    std::fs::write(sub.join("live.yaml"), V2).unwrap();
    send_signal(proxy.child.id(), "HUP");
    let started = std::time::Instant::now();
    while !proxy.log().contains("Policies reloaded.") {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{}",
            proxy.log()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let reply = send(
        "POST",
        &proxy.url("/api/track"),
        &[("content-type", "application/json")],
        r#"{"app_id":"1","identity":"a","event":"E"}"#,
    )
    .await;
    assert_eq!(reply.status, 200);
    assert!(collector.received()[0].json().get("identity").is_none());
    let (code, _) = proxy.terminate();
    assert_eq!(code, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_reloads_at_once_leave_the_newest_files_in_force() {
    // A policy that takes seconds to compile (in the test build), so a second reload that
    // starts later can finish first.
    let mut slow = String::from("policy: slow\nrules:\n");
    for i in 0..20_000 {
        slow.push_str(&format!(
            "  - id: r{i}\n    fields: [properties.x{i}]\n    action: remove\n"
        ));
    }
    let fast =
        "policy: fast\nrules:\n  - id: hash-identity\n    fields: [identity]\n    action: hash\n";
    let collector = Collector::start().await;
    let proxy = Proxy::start(&collector.url(), &[V1]).await;
    // Edits go through a hard link in another folder, which the file watcher does not see: the
    // two reloads below are the only ones, as when SIGHUP meets a watcher-triggered reload.
    let hidden = proxy.dir.path().join("elsewhere");
    std::fs::create_dir(&hidden).unwrap();
    let path = hidden.join("same-file.yaml");
    std::fs::hard_link(proxy.dir.path().join("policy0.yaml"), &path).unwrap();
    std::fs::write(&path, &slow).unwrap();
    let server = proxy.server.as_ref().unwrap();
    let state = server.state.clone();
    let first = std::thread::spawn(move || privgate::server::reload::reload(&state));
    // The slow reload has read its file and is compiling; the file changes again.
    std::thread::sleep(Duration::from_millis(300));
    std::fs::write(&path, fast).unwrap();
    let state = server.state.clone();
    let second = std::thread::spawn(move || privgate::server::reload::reload(&state));
    first.join().unwrap().unwrap();
    second.join().unwrap().unwrap();
    assert_eq!(&*server.state.policies.load().policies[0].name, "fast");
    proxy.stop().await;
}
