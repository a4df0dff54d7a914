//! `privgate playground`: its JSON API (check, run) without a browser, served on loopback.

use serde_json::{Value, json};

use crate::support::{post_json, test_key};
use privgate::playground::{self, Playground};

/// A policy that hashes the identity and masks e-mail addresses in properties.
const POLICY: &str = "policy: playground-test
mode: enforce
rules:
  - id: hash-identity
    why: pseudonymise the identified user
    fields: [identity]
    action: hash
  - id: mask-emails
    why: no e-mail addresses in free text
    fields: [\"properties.*\"]
    detect: [email]
    action: mask
";

fn with_policy(text: &str) -> Value {
    json!([{"name": "mine.yaml", "text": text}])
}

#[test]
fn check_reports_a_typo_at_its_line_and_column_with_a_suggestion() {
    let typo = POLICY.replace("    action: mask", "    actoin: mask");
    let res = playground::check(&json!({"policies": with_policy(&typo)})).unwrap();
    assert_eq!(res["ok"], false, "{res}");
    let d = res["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("`actoin`"))
        .expect("the typo is reported");
    assert_eq!(d["policy"], "mine.yaml");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["line"], 12, "{d}");
    assert_eq!(d["col"], 5, "{d}");
    assert_eq!(d["len"], 6, "{d}");
    assert!(
        d["help"]
            .as_str()
            .unwrap()
            .contains("did you mean `action`"),
        "{d}"
    );

    let fixed = playground::check(&json!({"policies": with_policy(POLICY)})).unwrap();
    assert_eq!(fixed["ok"], true, "{fixed}");
    assert_eq!(fixed["errors"], 0);
}

#[test]
fn run_reports_what_scrub_explain_json_reports() {
    let body = std::fs::read_to_string("examples/track.json")
        .unwrap()
        .replace("Leave at the door", "call jane@example.org");
    let req =
        json!({"policies": with_policy(POLICY), "path": "/api/track", "headers": "", "body": body});
    let res = playground::run(&req, &test_key()).unwrap();
    assert_eq!(res["outcome"], "forwarded", "{res}");
    let fwd = &res["forwarded"];
    assert!(fwd["identity"].as_str().unwrap().starts_with("h:"), "{fwd}");
    let note = fwd["properties"]["note"].as_str().unwrap();
    assert!(!note.contains("jane@example.org"), "{note}");
    let changes = res["changes"].as_array().unwrap();
    let hash = changes
        .iter()
        .find(|c| c["path"] == "events[0].identity")
        .unwrap();
    assert_eq!(hash["action"], "hash");
    assert_eq!(hash["rule"], "hash-identity");
    assert_eq!(hash["why"], "pseudonymise the identified user");
    let mask = changes
        .iter()
        .find(|c| c["path"] == "events[0].properties.note")
        .unwrap();
    assert_eq!(mask["action"], "mask");
    assert_eq!(mask["detector"], "email");
    assert_eq!(mask["policy"], "playground-test");

    // The same document as `privgate scrub --explain --format json`.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.yaml"), POLICY).unwrap();
    std::fs::write(dir.path().join("b.json"), &body).unwrap();
    let (code, out, err) = crate::support::run_in(
        Some(dir.path()),
        &[
            "scrub",
            "--policy",
            "./p.yaml",
            "--explain",
            "--format",
            "json",
            "b.json",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let cli: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(cli["changes"], res["changes"]);
    assert_eq!(cli["dropped"], res["dropped"]);
    assert_eq!(cli["forwarded"]["properties"], fwd["properties"]);
}

#[test]
fn run_honours_gpc_and_refuses_broken_policies() {
    let body = std::fs::read_to_string("examples/track.json").unwrap();
    let gdpr = privgate::policy::shipped("gdpr").unwrap();
    let req = json!({"policies": [{"name": "gdpr", "text": gdpr}], "path": "/api/track", "headers": "Sec-GPC: 1", "body": body});
    let res = playground::run(&req, &test_key()).unwrap();
    assert_eq!(res["outcome"], "dropped", "{res}");
    assert_eq!(res["dropped"][0]["signal"], "gpc", "{res}");

    let broken = json!({"policies": with_policy("policy: x\nrules: [1"), "body": body});
    assert!(playground::run(&broken, &test_key()).is_err());
}

async fn start(token: Option<&str>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let pg = Playground {
        initial: vec![("mine.yaml".into(), POLICY.into())],
        key: test_key(),
        key_configured: false,
        token: token.map(str::to_owned),
        save_to: None,
        policy_args: Vec::new(),
    };
    tokio::spawn(pg.serve(listener));
    format!("http://{addr}")
}

#[tokio::test]
async fn the_page_and_its_api_are_served_over_http() {
    let url = start(None).await;
    let page = crate::support::send("GET", &format!("{url}/"), &[], bytes::Bytes::new()).await;
    assert_eq!(page.status, 200);
    assert!(page.text().contains("privgate playground"));
    assert!(
        !page.text().contains("https://"),
        "the page loads nothing from elsewhere"
    );

    let state = crate::support::send("GET", &format!("{url}/api/state"), &[], bytes::Bytes::new())
        .await
        .json();
    assert!(state["key"].as_str().unwrap().contains("throwaway"));
    assert_eq!(state["policies"][0]["text"], POLICY);
    assert!(
        state["examples"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["name"] == "track.json")
    );

    let check = post_json(
        &format!("{url}/api/check"),
        &json!({"policies": with_policy("policy: x\nrulez: []\n")}),
    )
    .await;
    assert_eq!(check.status, 200);
    let diags = check.json()["diagnostics"].clone();
    let d = diags
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("`rulez`"))
        .unwrap();
    assert_eq!(
        (d["line"].as_u64(), d["col"].as_u64()),
        (Some(2), Some(1)),
        "{d}"
    );

    let body = std::fs::read_to_string("examples/track.json").unwrap();
    let run = post_json(
        &format!("{url}/api/run"),
        &json!({"policies": with_policy(POLICY), "path": "/api/track", "body": body}),
    )
    .await;
    assert_eq!(run.status, 200);
    assert!(
        run.json()["forwarded"]["identity"]
            .as_str()
            .unwrap()
            .starts_with("h:")
    );
}

#[tokio::test]
async fn with_a_token_every_request_needs_it() {
    let url = start(Some("a-long-enough-admin-token-0123456789")).await;
    let page = crate::support::send("GET", &format!("{url}/"), &[], bytes::Bytes::new()).await;
    assert_eq!(page.status, 401);
    let ok = crate::support::send(
        "GET",
        &format!("{url}/"),
        &[(
            "authorization",
            "Bearer a-long-enough-admin-token-0123456789",
        )],
        bytes::Bytes::new(),
    )
    .await;
    assert_eq!(ok.status, 200);
}

#[test]
fn a_non_loopback_address_without_a_token_is_refused() {
    let (code, _, err) = crate::support::run(&["playground", "--listen", "0.0.0.0:0"], None);
    assert_ne!(code, 0);
    assert!(err.contains("PRIVGATE_ADMIN_TOKEN"), "{err}");
}

#[tokio::test]
async fn a_saved_case_passes_privgate_test_and_fails_when_the_policy_weakens() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("mine.yaml"), POLICY).unwrap();
    let tests = dir.path().join("saved.yaml");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let pg = Playground {
        initial: Vec::new(),
        key: test_key(),
        key_configured: false,
        token: None,
        save_to: Some(tests.clone()),
        policy_args: vec!["./mine.yaml".into()],
    };
    tokio::spawn(pg.serve(listener));
    let body = std::fs::read_to_string("examples/track.json")
        .unwrap()
        .replace("Leave at the door", "call jane@example.org");
    for (name, headers) in [("checkout is pseudonymised", ""), ("GPC", "Sec-GPC: 1")] {
        let saved = post_json(
            &format!("{url}/api/save"),
            &json!({"name": name, "policies": with_policy(POLICY), "path": "/api/track", "headers": headers, "body": body}),
        )
        .await;
        assert_eq!(saved.status, 200, "{}", saved.text());
        assert!(saved.json()["case"].as_str().unwrap().contains(name));
    }
    let text = std::fs::read_to_string(&tests).unwrap();
    assert!(
        text.contains("jane@example.org"),
        "the original must be listed as absent: {text}"
    );
    let (code, out, err) = crate::support::run_in(Some(dir.path()), &["test", "saved.yaml"], None);
    assert_eq!(code, 0, "{out}{err}\n{text}");

    // The saved case is a real regression test: without the masking rule it fails.
    let weaker = POLICY.split("  - id: mask-emails").next().unwrap();
    std::fs::write(dir.path().join("mine.yaml"), weaker).unwrap();
    let (code, out, err) = crate::support::run_in(Some(dir.path()), &["test", "saved.yaml"], None);
    assert_eq!(code, 1, "{out}{err}");
}

/// One WebDriver call.
async fn webdriver(method: &str, url: &str, body: Value) -> Value {
    let reply = crate::support::send(
        method,
        url,
        &[("content-type", "application/json")],
        body.to_string(),
    )
    .await;
    serde_json::from_slice(&reply.body)
        .unwrap_or_else(|_| panic!("WebDriver answered {}: {}", reply.status, reply.text()))
}

/// Runs `script` in the page until it returns a string containing every one of `wanted`.
async fn wait_for_text(s: &str, script: &str, wanted: &[&str]) -> String {
    let started = std::time::Instant::now();
    loop {
        let v = webdriver(
            "POST",
            &format!("{s}/execute/sync"),
            json!({"script": script, "args": []}),
        )
        .await;
        let text = v["value"].as_str().unwrap_or("").to_owned();
        if wanted.iter().all(|w| text.contains(w)) {
            return text;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "waited for {wanted:?}, page shows: {text}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

async fn find(s: &str, css: &str) -> String {
    let e = webdriver(
        "POST",
        &format!("{s}/element"),
        json!({"using": "css selector", "value": css}),
    )
    .await;
    e["value"]
        .as_object()
        .and_then(|m| m.values().next())
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("{css} not found: {e}"))
        .to_owned()
}

async fn type_into(s: &str, css: &str, text: &str) {
    let e = find(s, css).await;
    webdriver("POST", &format!("{s}/element/{e}/clear"), json!({})).await;
    webdriver(
        "POST",
        &format!("{s}/element/{e}/value"),
        json!({"text": text}),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_browser_edits_runs_and_saves_a_case_that_privgate_test_passes() {
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    let driver = ["/usr/bin/chromedriver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    let (Some(chromium), Some(driver)) = (chromium, driver) else {
        assert!(
            std::env::var_os("PRIVGATE_REQUIRE_CHROMIUM").is_none(),
            "Chromium and chromedriver are required (PRIVGATE_REQUIRE_CHROMIUM) but not installed"
        );
        println!("SKIPPED: headless Chromium and chromedriver are not installed");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("mine.yaml"), POLICY).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let page = format!("http://{}/", listener.local_addr().unwrap());
    let pg = Playground {
        initial: Vec::new(),
        key: test_key(),
        key_configured: false,
        token: None,
        save_to: Some(dir.path().join("saved.yaml")),
        policy_args: vec!["./mine.yaml".into()],
    };
    tokio::spawn(pg.serve(listener));

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut chromedriver = std::process::Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let base = format!("http://127.0.0.1:{port}");
    let started = std::time::Instant::now();
    loop {
        let req = http::Request::get(format!("{base}/status"))
            .body(http_body_util::Full::new(bytes::Bytes::new()))
            .unwrap();
        if let Ok(Ok(_)) = tokio::time::timeout(
            std::time::Duration::from_secs(2),
            crate::support::client().request(req),
        )
        .await
        {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "chromedriver did not start"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let profile = tempfile::tempdir().unwrap();
    let session = webdriver(
        "POST",
        &format!("{base}/session"),
        json!({"capabilities": {"alwaysMatch": {"goog:chromeOptions": {"binary": chromium, "args": [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1500,950",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            format!("--user-data-dir={}", profile.path().display())
        ]}}}}),
    )
    .await;
    let id = session["value"]["sessionId"]
        .as_str()
        .unwrap_or_else(|| panic!("no session: {session}"))
        .to_owned();
    let s = format!("{base}/session/{id}");
    webdriver("POST", &format!("{s}/url"), json!({"url": page})).await;
    wait_for_text(
        &s,
        "return document.getElementById('key').textContent",
        &["throwaway"],
    )
    .await;

    // A typo: the inline diagnostic names line 12, column 5, with a suggestion.
    type_into(
        &s,
        "#policy",
        &POLICY.replace("    action: mask", "    actoin: mask"),
    )
    .await;
    wait_for_text(
        &s,
        "return document.getElementById('diagnostics').textContent",
        &["line 12, column 5", "[error]", "did you mean `action`"],
    )
    .await;
    // Fixed: no problems.
    type_into(&s, "#policy", POLICY).await;
    wait_for_text(
        &s,
        "return document.getElementById('diagnostics').textContent",
        &["[ok] no problems"],
    )
    .await;

    // examples/track.json, with an e-mail typed into the note.
    webdriver(
        "POST",
        &format!("{s}/execute/sync"),
        json!({"script": "const e = document.getElementById('example'); e.value = 'track.json'; e.dispatchEvent(new Event('change'));", "args": []}),
    )
    .await;
    let body = webdriver(
        "POST",
        &format!("{s}/execute/sync"),
        json!({"script": "return document.getElementById('body').value", "args": []}),
    )
    .await;
    assert_eq!(
        body["value"].as_str().unwrap(),
        std::fs::read_to_string("examples/track.json").unwrap()
    );
    type_into(
        &s,
        "#body",
        &std::fs::read_to_string("examples/track.json")
            .unwrap()
            .replace("Leave at the door", "call jane@example.org"),
    )
    .await;
    let run = find(&s, "#run").await;
    webdriver("POST", &format!("{s}/element/{run}/click"), json!({})).await;
    let out = wait_for_text(
        &s,
        "return document.getElementById('forwarded').textContent + '\\n' + document.getElementById('changes').textContent",
        &["[hashed]", "[masked]", "hash-identity", "mask-emails", "email"],
    )
    .await;
    assert!(
        !out.contains("jane@example.org") && !out.contains("jane.doe@example.com"),
        "{out}"
    );
    let marks = webdriver(
        "POST",
        &format!("{s}/execute/sync"),
        json!({"script": "return Array.from(document.querySelectorAll('#forwarded mark')).map(m => m.className + ':' + m.textContent).join('|')", "args": []}),
    )
    .await;
    let marks = marks["value"].as_str().unwrap();
    assert!(marks.contains("hashed:\"h:"), "{marks}");
    assert!(marks.contains("masked:"), "{marks}");

    if let Some(path) = std::env::var_os("PRIVGATE_PLAYGROUND_SCREENSHOT") {
        let shot = webdriver("GET", &format!("{s}/screenshot"), json!({})).await;
        use base64::Engine as _;
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot["value"].as_str().unwrap())
            .unwrap();
        std::fs::write(path, png).unwrap();
    }

    let save = find(&s, "#save").await;
    webdriver("POST", &format!("{s}/element/{save}/click"), json!({})).await;
    wait_for_text(
        &s,
        "return document.getElementById('saved').textContent",
        &["[saved] appended to"],
    )
    .await;
    // The coverage view: the policy hashes the identity, scans properties, and leaves the
    // event name alone — shown in words, not only in colour.
    let cover = find(&s, "#cover").await;
    webdriver("POST", &format!("{s}/element/{cover}/click"), json!({})).await;
    let rows = wait_for_text(
        &s,
        "return Array.from(document.querySelectorAll('#coverage tbody tr')).map(r => r.textContent).join('\\n')",
        &["[transforms]", "[scans]", "[nothing]"],
    )
    .await;
    assert!(
        rows.lines().any(|l| l.starts_with("identity")
            && l.contains("[transforms]")
            && l.contains("hash-identity")),
        "{rows}"
    );

    let _ = webdriver("DELETE", &s, json!({})).await;
    let _ = chromedriver.kill();
    let _ = chromedriver.wait();

    let (code, out, err) = crate::support::run_in(Some(dir.path()), &["test", "saved.yaml"], None);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("1 passed") || out.contains("passed"), "{out}");
}

#[test]
fn coverage_lists_every_model_field_and_what_touches_it() {
    let policy = format!(
        "{POLICY}  - id: no-tokens\n    fields: [\"properties.api_token\", account_id]\n    action: remove\n  - id: mask-referrers\n    fields: [\"**.referrer\"]\n    action: mask\n"
    );
    let res = playground::coverage(&json!({"policies": with_policy(&policy)})).unwrap();
    let fields = res["fields"].as_array().unwrap();
    assert_eq!(fields.len(), privgate::event::schema::SCHEMA.len());
    let row = |p: &str| {
        fields
            .iter()
            .find(|f| f["path"] == p)
            .unwrap_or_else(|| panic!("{p} missing"))
    };
    assert_eq!(row("identity")["status"], "transforms");
    assert_eq!(row("identity")["by"][0]["rule"], "hash-identity");
    assert_eq!(row("identity")["by"][0]["action"], "hash");
    assert_eq!(row("properties.**")["status"], "scans");
    assert_eq!(row("account_id")["status"], "removes");
    assert_eq!(
        row("page.referrer")["status"],
        "transforms",
        "`**` reaches nested fields"
    );
    assert_eq!(row("event")["status"], "nothing");
    assert_eq!(row("event")["by"], json!([]));

    // The shipped gdpr policy scans free text wherever it is: no free-text field is untouched.
    let gdpr = privgate::policy::shipped("gdpr").unwrap();
    let res = playground::coverage(&json!({"policies": [{"name": "gdpr", "text": gdpr}]})).unwrap();
    for f in res["fields"].as_array().unwrap() {
        if f["type"] == "free_text" || f["type"] == "url" {
            assert_ne!(f["status"], "nothing", "{f}");
        }
    }
    // Policies with errors have no coverage.
    assert!(playground::coverage(&json!({"policies": with_policy("policy: [")})).is_err());
}
