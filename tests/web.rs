//! Browser traffic: the heap.js query protocol through the proxy — byte-stable forwarding,
//! CORS, the pixel answer, form bodies, bad parameter lists — and a real headless Chromium
//! clicking a button of the example page.

use std::convert::Infallible;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use serde_json::{Value, json};

use crate::support::{Collector, Proxy, send};

const NOTHING: &str = "policy: nothing\nrules: []\n";

const EVENTS: &str = "a=1234567890&u=4482731952067185&v=3398210561337402&s=7715209384412056&b=web&tv=4.0&z=0&st=1732869305001&sp=r&sp=https%3A%2F%2Fwww.google.com%2F&sp=ts&sp=1732869300000&pp=d&pp=www.example.com&pp=h&pp=%2Fcheckout&id0=1111&t0=click&n0=button&c0=.btn.btn-primary&i0=buy-now&y0=%40button%3B%23buy-now%3B.btn%3B%7C&ts0=1732869305000&x0=Buy%20now&id1=2222&t1=change&n1=input&i1=email&y1=%40input%3B%23email%3B%7C&ts1=1732869306000";

#[tokio::test]
async fn an_unfiltered_hit_reaches_the_collector_byte_for_byte() {
    let collector = Collector::start().await;
    let proxy = Proxy::start(&collector.url(), &[NOTHING]).await;
    let pageview = "a=1234567890&u=4482731952067185&v=3398210561337402&s=7715209384412056&b=web&tv=4.0&z=2&h=%2Fpricing&d=www.example.com&t=Pricing%20%E2%80%93%20Example&r=https%3A%2F%2Fwww.google.com%2F&ts=1732869300123&pr=%2F&st=1732869300456";
    for (path, query) in [
        ("/h", pageview),
        ("/h", EVENTS),
        (
            "/api/identify_v3",
            "a=1&u=2&v=3&s=4&i=customer-8841&b=web&tv=4.0&z=0&st=5",
        ),
    ] {
        let reply = send("GET", &proxy.url(&format!("{path}?{query}")), &[], "").await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert_eq!(
            collector.received().last().unwrap().path_and_query,
            format!("{path}?{query}")
        );
    }
    proxy.stop().await;
}

#[tokio::test]
async fn browsers_get_cors_answers_and_the_pixel_when_everything_is_dropped() {
    let collector = Collector::start().await;
    let proxy = Proxy::start(&collector.url(), &["gdpr"]).await;
    let preflight = send(
        "OPTIONS",
        &proxy.url("/h"),
        &[
            ("origin", "https://shop.example"),
            ("access-control-request-method", "POST"),
        ],
        "",
    )
    .await;
    assert_eq!(preflight.status, 204);
    assert_eq!(preflight.headers["access-control-allow-origin"], "*");
    assert!(
        preflight.headers["access-control-allow-methods"]
            .to_str()
            .unwrap()
            .contains("POST")
    );
    let reply = send(
        "GET",
        &proxy.url("/h?a=11&u=1&h=%2F&ts=1"),
        &[("origin", "https://shop.example")],
        "",
    )
    .await;
    assert_eq!(reply.headers["access-control-allow-origin"], "*");
    // Everything dropped (GPC): the collector's empty answer, a 1x1 GIF, without a request.
    let before = collector.received().len();
    let reply = send(
        "GET",
        &proxy.url("/h?a=11&u=1&h=%2F&ts=1"),
        &[("sec-gpc", "1")],
        "",
    )
    .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.headers["content-type"], "image/gif");
    assert!(reply.body.starts_with(b"GIF89a"));
    assert_eq!(collector.received().len(), before);
    assert!(
        proxy.audit().await.iter().all(|r| r["route"] == "/h"),
        "preflights are not audited"
    );
    proxy.stop().await;
}

#[tokio::test]
async fn form_bodies_cookies_and_bad_parameter_lists() {
    let collector = Collector::start().await;
    let proxy = Proxy::start(&collector.url(), &["gdpr"]).await;
    let reply = send(
        "POST",
        &proxy.url("/h"),
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("cookie", "_hp2_id.11=%7B%22userId%22%3A%221%22%2C%22identity%22%3A%22jane%40example.com%22%7D"),
        ],
        "a=11&u=1&i=jane%40example.com&h=%2Fhome&ts=1&debug_email=jane%40example.com",
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let got = collector.received();
    let forwarded = &got[0];
    assert_eq!(forwarded.method, "POST");
    assert_eq!(forwarded.path_and_query, "/h");
    assert_eq!(
        forwarded.headers["content-type"],
        "application/x-www-form-urlencoded"
    );
    let body = String::from_utf8_lossy(&forwarded.body).into_owned();
    assert!(body.starts_with("a=11&u=1&i=h%3A"), "{body}");
    assert!(
        body.ends_with("&h=%2Fhome&ts=1"),
        "unknown parameters are dropped: {body}"
    );
    assert!(
        forwarded.headers.get("cookie").is_none(),
        "cookies stay at the edge"
    );
    assert!(!body.contains("jane"));
    assert_eq!(proxy.audit().await[0]["unknown_fields"], 1);

    for (query, status) in [
        ("a=11&x0=Buy", 400),
        ("a=11&t=%C3%28", 400),
        ("a=11&a=12", 400),
        ("u=1&h=%2F", 400),
    ] {
        let reply = send("GET", &proxy.url(&format!("/h?{query}")), &[], "").await;
        assert_eq!(reply.status, status, "{query}: {}", reply.text());
    }
    let reply = send(
        "POST",
        &proxy.url("/h"),
        &[("content-type", "application/json")],
        "{}",
    )
    .await;
    assert_eq!(reply.status, 415);
    assert_eq!(collector.received().len(), 1, "nothing bad was forwarded");
    proxy.stop().await;
}

#[tokio::test]
async fn policies_work_on_browser_traffic_without_knowing_the_protocol() {
    let collector = Collector::start().await;
    let proxy = Proxy::start(
        &collector.url(),
        &[
            "gdpr",
            "policy: web\nrules:\n  - id: no-text\n    fields: [target.text]\n    action: remove\n",
        ],
    )
    .await;
    let query = EVENTS.replace("x0=Buy%20now", "x0=Buy%20for%20jane%40example.com");
    let reply = send("GET", &proxy.url(&format!("/h?{query}")), &[], "").await;
    assert_eq!(reply.status, 200);
    let path = collector.received()[0].path_and_query.clone();
    assert!(!path.contains("x0="), "target.text removed: {path}");
    assert!(path.contains("&t0=click&n0=button"), "{path}");
    assert!(path.contains("&pp=h&pp=%2Fcheckout&"), "{path}");
    let rec = &proxy.audit().await[0];
    assert_eq!(rec["events_in"], 2);
    let paths: Vec<&str> = rec["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&"events[0].target.text"), "{paths:?}");
    proxy.stop().await;
}

/// Serves examples/web/ with the proxy address filled in.
async fn serve_example(proxy_url: String) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/web");
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let proxy_url = proxy_url.clone();
            tokio::spawn(async move {
                let svc = service_fn(move |req: Request<Incoming>| {
                    let proxy_url = proxy_url.clone();
                    async move {
                        let (file, ct) = match req.uri().path() {
                            "/heap-lite.js" => ("heap-lite.js", "text/javascript"),
                            _ => ("index.html", "text/html; charset=utf-8"),
                        };
                        let mut text =
                            std::fs::read_to_string(format!("{dir}/{file}")).unwrap_or_default();
                        text = text.replace("http://127.0.0.1:8080", &proxy_url);
                        let mut resp = Response::new(Full::new(Bytes::from(text)));
                        resp.headers_mut()
                            .insert("content-type", ct.parse().unwrap());
                        Ok::<_, Infallible>(resp)
                    }
                });
                let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(stream), svc)
                    .await;
            });
        }
    });
    addr
}

/// One WebDriver call.
async fn webdriver(method: &str, url: &str, body: Value) -> Value {
    let reply = send(
        method,
        url,
        &[("content-type", "application/json")],
        body.to_string(),
    )
    .await;
    serde_json::from_slice(&reply.body)
        .unwrap_or_else(|_| panic!("WebDriver answered {}: {}", reply.status, reply.text()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_browser_click_on_the_example_page_reaches_the_collector_filtered() {
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
        println!(
            "SKIPPED: headless Chromium and chromedriver are not installed (apt-get install -y chromium chromium-driver; .ci/run does)"
        );
        return;
    };
    let collector = Collector::start().await;
    let proxy = Proxy::start(&collector.url(), &["gdpr"]).await;
    let page = serve_example(format!("http://{}", proxy.addr)).await;

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut chromedriver = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let base = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    while send_ok(&format!("{base}/status")).await.is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let profile = tempfile::tempdir().unwrap();
    let session = webdriver(
        "POST",
        &format!("{base}/session"),
        json!({"capabilities": {"alwaysMatch": {"goog:chromeOptions": {"binary": chromium, "args": [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
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
    webdriver(
        "POST",
        &format!("{s}/url"),
        json!({"url": format!("http://{page}/")}),
    )
    .await;
    let element = webdriver(
        "POST",
        &format!("{s}/element"),
        json!({"using": "css selector", "value": "#contact"}),
    )
    .await;
    let element = element["value"]
        .as_object()
        .and_then(|m| m.values().next())
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("button not found: {element}"))
        .to_owned();
    webdriver("POST", &format!("{s}/element/{element}/click"), json!({})).await;

    // Wait for the interaction: its text carried an e-mail, which must arrive masked.
    let started = Instant::now();
    let interaction = loop {
        let found = collector
            .received()
            .into_iter()
            .find(|r| String::from_utf8_lossy(&r.body).contains("t0=click"));
        if let Some(r) = found {
            break r;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no click reached the collector: {:?}",
            collector.received()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let _ = webdriver("DELETE", &s, json!({})).await;
    let _ = chromedriver.kill();
    let _ = chromedriver.wait();

    let body = String::from_utf8_lossy(&interaction.body).into_owned();
    assert!(
        body.contains("x0=Email%20"),
        "the button text was captured: {body}"
    );
    assert!(
        !body.contains("jane.doe") && !body.contains("jane.doe%40example.com"),
        "the email was removed: {body}"
    );
    assert!(
        body.contains("n0=button") && body.contains("i0=contact"),
        "{body}"
    );
    let pageview = collector
        .received()
        .into_iter()
        .find(|r| String::from_utf8_lossy(&r.body).contains("&h="))
        .expect("the pageview arrived");
    assert!(String::from_utf8_lossy(&pageview.body).contains("t=privgate%20web%20example"));
    proxy.stop().await;
}

async fn send_ok(url: &str) -> Option<()> {
    let req = Request::get(url).body(Full::new(Bytes::new())).ok()?;
    let resp = tokio::time::timeout(
        Duration::from_secs(2),
        crate::support::client().request(req),
    )
    .await
    .ok()?
    .ok()?;
    resp.status().is_success().then_some(())
}
