//! Production behaviour: TLS in and out (with client certificates), limits and timeouts, the
//! admin endpoints and metrics, graceful shutdown under load, and a catalogue of hostile
//! requests.

use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::{Behaviour, Collector, Proxy, ProxyProcess, post_json, send, send_signal};

/// A throwaway PKI: a CA, a server certificate for localhost/127.0.0.1, a client certificate.
struct Pki {
    dir: tempfile::TempDir,
}

impl Pki {
    fn new() -> Pki {
        use rcgen::{
            BasicConstraints, CertificateParams, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
            KeyUsagePurpose,
        };
        let dir = tempfile::tempdir().unwrap();
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_cert = ca_params.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca_params, ca_key);
        let leaf = |names: Vec<String>, usage: ExtendedKeyUsagePurpose| {
            let key = KeyPair::generate().unwrap();
            let mut params = CertificateParams::new(names).unwrap();
            params.extended_key_usages = vec![usage];
            (
                params.signed_by(&key, &issuer).unwrap().pem(),
                key.serialize_pem(),
            )
        };
        let (server_cert, server_key) = leaf(
            vec!["localhost".into(), "127.0.0.1".into()],
            ExtendedKeyUsagePurpose::ServerAuth,
        );
        let (client_cert, client_key) = leaf(
            vec!["sender.example".into()],
            ExtendedKeyUsagePurpose::ClientAuth,
        );
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
        write("ca.pem", &ca_cert.pem());
        write("server.pem", &server_cert);
        write("server.key", &server_key);
        write("client.pem", &client_cert);
        write("client.key", &client_key);
        Pki { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn server_tls(&self, client_ca: bool) -> privgate::server::tls::ServerTls {
        privgate::server::tls::ServerTls {
            cert: self.path("server.pem"),
            key: self.path("server.key"),
            client_ca: client_ca.then(|| self.path("ca.pem")),
        }
    }

    /// A client that trusts the CA, optionally presenting the client certificate.
    fn client(
        &self,
        with_cert: bool,
        http2: bool,
    ) -> Client<
        hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
        Full<Bytes>,
    > {
        use rustls_pki_types::pem::PemObject;
        let mut roots = rustls::RootCertStore::empty();
        for c in privgate::server::tls::certificates(&self.path("ca.pem")).unwrap() {
            roots.add(c).unwrap();
        }
        let builder = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots);
        let config = if with_cert {
            let certs = privgate::server::tls::certificates(&self.path("client.pem")).unwrap();
            let key =
                rustls_pki_types::PrivateKeyDer::from_pem_file(self.path("client.key")).unwrap();
            builder.with_client_auth_cert(certs, key).unwrap()
        } else {
            builder.with_no_client_auth()
        };
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(config)
            .https_only();
        let connector = if http2 {
            connector.enable_http2().build()
        } else {
            connector.enable_http1().build()
        };
        Client::builder(TokioExecutor::new())
            .http2_only(http2)
            .build(connector)
    }
}

async fn https_post(
    client: &Client<
        hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
        Full<Bytes>,
    >,
    url: &str,
    body: serde_json::Value,
) -> Result<(u16, http::Version), String> {
    let req = Request::post(url)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body.to_string())))
        .unwrap();
    let resp = client.request(req).await.map_err(|e| format!("{e:?}"))?;
    let version = resp.version();
    let status = resp.status().as_u16();
    let _ = resp.into_body().collect().await;
    Ok((status, version))
}

fn track() -> serde_json::Value {
    json!({"app_id": "11", "identity": "a@example.com", "event": "E"})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_in_with_http2_and_http1_and_tls_out_to_a_collector_with_a_private_ca() {
    let pki = Pki::new();
    // A TLS collector whose certificate chains to the private CA.
    let tls_collector = TlsCollector::start(&pki).await;
    let proxy = Proxy::start_with(
        &format!("https://localhost:{}", tls_collector.port),
        &["gdpr"],
        |c| {
            c.tls = Some(pki.server_tls(false));
            c.upstream_ca = Some(pki.path("ca.pem"));
        },
    )
    .await;
    let url = format!("https://localhost:{}/api/track", proxy.addr.port());
    let (status, version) = https_post(&pki.client(false, true), &url, track())
        .await
        .unwrap();
    assert_eq!(
        (status, version),
        (200, http::Version::HTTP_2),
        "HTTP/2 through ALPN"
    );
    let (status, version) = https_post(&pki.client(false, false), &url, track())
        .await
        .unwrap();
    assert_eq!((status, version), (200, http::Version::HTTP_11));
    let received = tls_collector.received.lock().unwrap().clone();
    assert_eq!(
        received.len(),
        2,
        "forwarded over TLS, verified against the CA file"
    );
    assert!(
        received[0].starts_with("{\"app_id\":\"11\",\"identity\":\"h:"),
        "{}",
        received[0]
    );
    // Plain HTTP to the TLS port is not served.
    let plain = tokio::time::timeout(Duration::from_secs(5), async {
        let mut s = tokio::net::TcpStream::connect(proxy.addr).await.unwrap();
        s.write_all(b"GET /api/track HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let mut buf = Vec::new();
        let _ = s.read_to_end(&mut buf).await;
        buf
    })
    .await
    .unwrap();
    assert!(!plain.starts_with(b"HTTP/1.1 200"));
    proxy.stop().await;

    // Without the private CA, the collector's certificate is not trusted: 502, nothing sent.
    let proxy = Proxy::start_with(
        &format!("https://localhost:{}", tls_collector.port),
        &["gdpr"],
        |_| {},
    )
    .await;
    let reply = post_json(&proxy.url("/api/track"), &track()).await;
    assert_eq!(reply.status, 502, "{}", reply.text());
    assert_eq!(tls_collector.received.lock().unwrap().len(), 2);
    proxy.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mutual_tls_accepts_known_senders_and_rejects_others() {
    let pki = Pki::new();
    let collector = Collector::start().await;
    let proxy = Proxy::start_with(&collector.url(), &["gdpr"], |c| {
        c.tls = Some(pki.server_tls(true))
    })
    .await;
    let url = format!("https://localhost:{}/api/track", proxy.addr.port());
    let ok = https_post(&pki.client(true, false), &url, track()).await;
    assert_eq!(
        ok.unwrap().0,
        200,
        "a client certificate signed by the CA is accepted"
    );
    let refused = https_post(&pki.client(false, false), &url, track()).await;
    assert!(
        refused.is_err(),
        "a client without a certificate is refused: {refused:?}"
    );
    assert_eq!(collector.received().len(), 1);
    proxy.stop().await;
}

#[test]
fn a_missing_certificate_is_named_at_start() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("c.yaml"),
        "tls: { cert: missing.pem, key: missing.key }\n",
    )
    .unwrap();
    let (code, _, err) = crate::support::run(
        &[
            "serve",
            "--config",
            dir.path().join("c.yaml").to_str().unwrap(),
            "--listen",
            "127.0.0.1:0",
            "--admin-listen",
            "127.0.0.1:0",
        ],
        None,
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("missing.pem: No such file"), "{err}");
}

#[tokio::test]
async fn a_slow_client_is_cut_off_after_the_header_timeout() {
    let collector = Collector::start().await;
    let proxy = Proxy::start_with(&collector.url(), &["gdpr"], |c| {
        c.limits.header_timeout = Duration::from_millis(300)
    })
    .await;
    let mut stream = tokio::net::TcpStream::connect(proxy.addr).await.unwrap();
    stream
        .write_all(b"POST /api/track HTTP/1.1\r\nHost: x\r\nContent-Ty")
        .await
        .unwrap();
    let started = Instant::now();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "the connection was closed by the proxy");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "closed after about the header timeout"
    );
    assert!(collector.received().is_empty());
    proxy.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_answer_503_with_retry_after_instead_of_queueing() {
    let collector = Collector::start().await;
    collector.set(Behaviour::Delay(Duration::from_millis(700)));
    let proxy = Arc::new(
        Proxy::start_with(&collector.url(), &["gdpr"], |c| {
            c.limits.max_in_flight = 2;
            c.limits.max_connections = 4;
        })
        .await,
    );
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let p = proxy.clone();
        tasks.push(tokio::spawn(async move {
            post_json(&p.url("/api/track"), &track()).await
        }));
    }
    let mut statuses = Vec::new();
    let mut retry_after = 0;
    for t in tasks {
        let reply = t.await.unwrap();
        if reply.status == 503 && reply.headers.get("retry-after").is_some() {
            retry_after += 1;
        }
        statuses.push(reply.status);
    }
    statuses.sort();
    assert_eq!(
        statuses,
        vec![200, 200, 503, 503],
        "two in flight, the rest refused at once"
    );
    assert_eq!(retry_after, 2);

    // Beyond the connection limit a new connection gets one 503 and is closed.
    let mut held = Vec::new();
    for _ in 0..4 {
        let mut s = tokio::net::TcpStream::connect(proxy.addr).await.unwrap();
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        // Answered, so admitted: the connection holds its place (no race with a loaded
        // machine's accept loop).
        let mut head = [0u8; 64];
        let n = tokio::time::timeout(Duration::from_secs(10), s.read(&mut head))
            .await
            .unwrap()
            .unwrap();
        assert!(n > 0, "the held connection was answered");
        held.push(s);
    }
    let mut extra = tokio::net::TcpStream::connect(proxy.addr).await.unwrap();
    extra
        .write_all(b"POST /api/track HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
        .await
        .unwrap();
    let mut buf = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), extra.read_to_end(&mut buf))
        .await
        .unwrap()
        .unwrap();
    let text = String::from_utf8_lossy(&buf);
    assert!(text.starts_with("HTTP/1.1 503"), "{text}");
    assert!(
        text.to_ascii_lowercase().contains("retry-after: 1"),
        "{text}"
    );
    drop(held);
    assert_eq!(collector.received().len(), 2);
}

#[tokio::test]
async fn admin_endpoints_and_metrics_that_move() {
    let collector = Collector::start().await;
    let proxy = Proxy::start(&collector.url(), &["gdpr"]).await;
    let admin = |p: &str| format!("http://{}{p}", proxy.admin);
    assert_eq!(send("GET", &admin("/healthz"), &[], "").await.status, 200);
    assert_eq!(
        send("GET", &admin("/readyz"), &[], "").await.text(),
        "ready\n"
    );
    let metric = |text: &str, name: &str| -> f64 {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0)
    };
    let before = send("GET", &admin("/metrics"), &[], "").await.text();
    let body = json!({"app_id": "11", "events": [
        {"identity": "a@example.com", "event": "E", "properties": {"note": "mail a@example.com", "api_token": "x"}},
        {"identity": "b", "event": "Diagnosis viewed"}]});
    for _ in 0..3 {
        assert_eq!(post_json(&proxy.url("/api/track"), &body).await.status, 200);
    }
    send(
        "POST",
        &proxy.url("/api/track"),
        &[("content-type", "application/json")],
        "{",
    )
    .await;
    send(
        "POST",
        &proxy.url("/api/track"),
        &[("sec-gpc", "1"), ("content-type", "application/json")],
        track().to_string(),
    )
    .await;
    let after = send("GET", &admin("/metrics"), &[], "").await.text();
    for line in after
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let value = line.rsplit(' ').next().unwrap();
        assert!(value.parse::<f64>().is_ok(), "not Prometheus text: {line}");
    }
    let forwarded = "privgate_requests_total{route=\"/api/track\",outcome=\"forwarded\"}";
    assert_eq!(
        metric(&after, forwarded) - metric(&before, forwarded),
        3.0,
        "{after}"
    );
    assert_eq!(
        metric(
            &after,
            "privgate_requests_total{route=\"/api/track\",outcome=\"rejected\"}"
        ),
        1.0
    );
    assert_eq!(
        metric(
            &after,
            "privgate_events_total{route=\"/api/track\",stage=\"in\"}"
        ),
        7.0
    );
    assert_eq!(
        metric(
            &after,
            "privgate_events_total{route=\"/api/track\",stage=\"out\"}"
        ),
        3.0
    );
    assert_eq!(
        metric(
            &after,
            "privgate_dropped_events_total{policy=\"gdpr\",rule=\"art9-event-name\",action=\"drop_event\",mode=\"enforce\"}"
        ),
        3.0
    );
    assert_eq!(
        metric(
            &after,
            "privgate_changes_total{policy=\"gdpr\",rule=\"secrets-by-key\",action=\"remove\",mode=\"enforce\"}"
        ),
        3.0
    );
    assert_eq!(
        metric(&after, "privgate_consent_opt_outs_total{signal=\"gpc\"}"),
        1.0
    );
    assert_eq!(
        metric(
            &after,
            "privgate_rejections_total{error=\"malformed_json\"}"
        ),
        1.0
    );
    assert_eq!(
        metric(&after, "privgate_upstream_duration_seconds_count"),
        3.0
    );
    assert_eq!(
        metric(&after, "privgate_audit_write_duration_seconds_count"),
        5.0
    );
    assert_eq!(metric(&after, "privgate_in_flight_requests"), 0.0);
    assert!(!after.contains("example.com"), "no value is ever a label");
    proxy.stop().await;
}

/// Sends one track event; its answer's status, or `None` when no answer came.
async fn track_status(url: String) -> Option<u16> {
    let req = Request::post(&url)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(
            json!({"app_id": "11", "identity": "a", "event": "E"}).to_string(),
        )))
        .unwrap();
    crate::support::client()
        .request(req)
        .await
        .ok()
        .map(|r| r.status().as_u16())
}

/// A runtime of its own for tests that signal a child process while clients keep sending.
fn two_workers() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn sigterm_during_load_loses_no_acknowledged_request() {
    two_workers().block_on(async {
        let collector = Collector::start().await;
        collector.set(Behaviour::Delay(Duration::from_millis(20)));
        let dir = tempfile::tempdir().unwrap();
        let proxy = ProxyProcess::start(dir.path(), &["--upstream", &collector.url()], &[]);
        let url = proxy.url("/api/track");
        let mut clients = Vec::new();
        for c in 0..4 {
            let url = url.clone();
            clients.push(tokio::spawn(async move {
                let mut acknowledged = Vec::new();
                for i in 0..500 {
                    let req = Request::post(&url)
                        .header("content-type", "application/json")
                        .body(Full::new(Bytes::from(
                            json!({"app_id": "11", "identity": format!("c{c}-{i}"), "event": "E"})
                                .to_string(),
                        )))
                        .unwrap();
                    let Ok(Ok(resp)) = tokio::time::timeout(
                        Duration::from_secs(10),
                        crate::support::client().request(req),
                    )
                    .await
                    else {
                        break;
                    };
                    let id = resp
                        .headers()
                        .get("x-request-id")
                        .map(|v| v.to_str().unwrap().to_owned());
                    let status = resp.status().as_u16();
                    if resp.into_body().collect().await.is_err() {
                        break;
                    }
                    acknowledged.push((status, id));
                }
                acknowledged
            }));
        }
        tokio::time::sleep(Duration::from_millis(400)).await;
        send_signal(proxy.child.id(), "TERM");
        let mut acknowledged = Vec::new();
        for c in clients {
            acknowledged.extend(c.await.unwrap());
        }
        let (code, log) = proxy.terminate();
        assert_eq!(code, 0, "a clean exit after draining:\n{log}");
        assert!(log.contains("Shutting down"), "{log}");
        let audit = crate::support::audit_records(&dir.path().join("privgate-data/audit.jsonl"));
        let ids: std::collections::HashSet<&str> = audit
            .iter()
            .filter_map(|r| r["request_id"].as_str())
            .collect();
        assert!(acknowledged.len() > 10, "the load ran before the signal");
        for (status, id) in &acknowledged {
            let id = id
                .as_deref()
                .unwrap_or_else(|| panic!("a response without x-request-id (status {status})"));
            assert!(
                ids.contains(id),
                "response {id} (status {status}) has no audit record"
            );
        }
        let forwarded = acknowledged.iter().filter(|(s, _)| *s == 200).count();
        assert_eq!(
            collector.received().len(),
            forwarded,
            "every acknowledged request was forwarded exactly once"
        );
    });
}

#[test]
fn while_draining_new_connections_are_refused_and_the_open_request_completes() {
    two_workers().block_on(async {
        let collector = Collector::start().await;
        collector.set(Behaviour::Delay(Duration::from_millis(1500)));
        let dir = tempfile::tempdir().unwrap();
        let proxy = ProxyProcess::start(dir.path(), &["--upstream", &collector.url()], &[]);
        let url = proxy.url("/api/track");
        let addr = url
            .trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap()
            .to_owned();
        let in_flight = tokio::spawn(track_status(url));
        tokio::time::sleep(Duration::from_millis(300)).await;
        send_signal(proxy.child.id(), "TERM");
        tokio::time::sleep(Duration::from_millis(300)).await;
        let refused = tokio::time::timeout(
            Duration::from_secs(2),
            tokio::net::TcpStream::connect(&addr),
        )
        .await;
        assert!(
            matches!(refused, Ok(Err(ref e)) if e.kind() == std::io::ErrorKind::ConnectionRefused),
            "a new connection during the drain is refused, not left hanging: {refused:?}"
        );
        assert_eq!(in_flight.await.unwrap(), Some(200));
        let (code, log) = proxy.terminate();
        assert_eq!(code, 0, "{log}");
    });
}

#[test]
fn a_request_outliving_the_drain_timeout_is_still_answered_and_audited() {
    two_workers().block_on(async {
        let collector = Collector::start().await;
        collector.set(Behaviour::Delay(Duration::from_millis(1500)));
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("privgate.yaml"),
            format!(
                "upstream: {}\nlimits:\n  drain_timeout: 200ms\n",
                collector.url()
            ),
        )
        .unwrap();
        let proxy = ProxyProcess::start(dir.path(), &["--config", "privgate.yaml"], &[]);
        let url = proxy.url("/api/track");
        let in_flight = tokio::spawn(track_status(url));
        tokio::time::sleep(Duration::from_millis(300)).await;
        send_signal(proxy.child.id(), "TERM");
        assert_eq!(
            in_flight.await.unwrap(),
            Some(200),
            "the collector has it, so the client hears so"
        );
        let (code, log) = proxy.terminate();
        assert_eq!(code, 0, "{log}");
        assert_eq!(collector.received().len(), 1);
        let lines = crate::support::audit_records(&dir.path().join("privgate-data/audit.jsonl"));
        assert_eq!(
            (lines.len(), &lines[0]["phase"], &lines[1]["phase"]),
            (2, &json!("decision"), &json!("outcome")),
            "a forwarded request has its decision and its outcome record"
        );
        let audit = crate::support::audit_requests(lines);
        assert_eq!(audit[0]["outcome"], "forwarded");
    });
}

/// A request as raw bytes, with how to send it.
struct Hostile {
    name: &'static str,
    bytes: Vec<u8>,
    /// Close our sending side after writing (truncated bodies).
    half_close: bool,
    /// Status expected in the answer (`None`: the connection is closed without one).
    status: Option<u16>,
}

fn hostile_catalogue() -> Vec<Hostile> {
    let h = |name, bytes: Vec<u8>, half_close, status| Hostile {
        name,
        bytes,
        half_close,
        status,
    };
    let mut many_headers = b"POST /api/track HTTP/1.1\r\nHost: x\r\n".to_vec();
    for i in 0..300 {
        many_headers.extend(format!("X-H{i}: v\r\n").as_bytes());
    }
    many_headers.extend(b"Content-Length: 2\r\n\r\n{}");
    let brackets = "[".repeat(10 * 1024 * 1024);
    let big_number = format!(
        "{{\"app_id\":\"11\",\"identity\":\"a\",\"event\":\"E\",\"properties\":{{\"n\":{}}}}}",
        "9".repeat(400)
    );
    let json = |body: &str| {
        format!("POST /api/track HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    };
    vec![
        h("truncated body", b"POST /api/track HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"app_id\":".to_vec(), true, Some(400)),
        h("chunked body that never finishes", b"POST /api/track HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"app\r\n".to_vec(), false, Some(408)),
        h("10 MB of [ announced", format!("POST /api/track HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n", brackets.len()).into_bytes(), false, Some(413)),
        h("10 MB of [ chunked", {
            let mut b = b"POST /api/track HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
            for chunk in brackets.as_bytes().chunks(1 << 20) {
                b.extend(format!("{:x}\r\n", chunk.len()).as_bytes());
                b.extend(chunk);
                b.extend(b"\r\n");
            }
            b.extend(b"0\r\n\r\n");
            b
        }, false, Some(413)),
        h("300 headers", many_headers, false, Some(431)),
        h("invalid percent-encoding", b"GET /h?a=11&u=1&t=%ZZ&ts=1 HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(), false, Some(400)),
        h("NUL byte in a JSON string", json("{\"app_id\":\"11\",\"identity\":\"a\u{0}b\",\"event\":\"E\"}"), false, Some(400)),
        h("NUL byte in a header", b"POST /api/track HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\nContent-Length: 2\r\n\r\n{}".to_vec(), false, Some(400)),
        h("duplicate JSON keys", json("{\"app_id\":\"11\",\"identity\":\"a\",\"identity\":\"b\",\"event\":\"E\"}"), false, Some(400)),
        h("a number with 400 digits", json(&big_number), false, Some(400)),
        h("wrong method", b"DELETE /api/track HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(), false, Some(405)),
        h("GET on a POST route", b"GET /api/v1/identify HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(), false, Some(405)),
        h("not HTTP at all", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n".to_vec(), false, Some(400)),
        h("a request line of 100 KB", format!("GET /h?a=11&t={} HTTP/1.1\r\nHost: x\r\n\r\n", "x".repeat(100 * 1024)).into_bytes(), false, Some(414)),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_requests_get_their_documented_status_and_nothing_is_forwarded() {
    let collector = Collector::start().await;
    let proxy = Proxy::start_with(&collector.url(), &["gdpr"], |c| {
        c.limits.body_timeout = Duration::from_millis(500)
    })
    .await;
    for case in hostile_catalogue() {
        let mut stream = tokio::net::TcpStream::connect(proxy.addr).await.unwrap();
        let _ = stream.write_all(&case.bytes).await;
        if case.half_close {
            let _ = stream.shutdown().await;
        }
        let mut buf = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(10), async {
            let mut chunk = [0u8; 4096];
            loop {
                match stream.read(&mut chunk).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        buf.extend_from_slice(&chunk[..n]);
                        if buf.windows(4).any(|w| w == b"\r\n\r\n") {
                            break;
                        }
                    }
                }
            }
        })
        .await;
        let text = String::from_utf8_lossy(&buf);
        match case.status {
            Some(status) => assert!(
                text.starts_with(&format!("HTTP/1.1 {status}")),
                "{}: got {:?}",
                case.name,
                text.lines().next()
            ),
            None => assert!(buf.is_empty(), "{}: {text}", case.name),
        }
    }
    assert!(
        collector.received().is_empty(),
        "nothing hostile was forwarded"
    );
    // Still healthy, still forwarding.
    assert_eq!(
        send("GET", &format!("http://{}/healthz", proxy.admin), &[], "")
            .await
            .status,
        200
    );
    assert_eq!(
        post_json(&proxy.url("/api/track"), &track()).await.status,
        200
    );
    assert_eq!(collector.received().len(), 1);
    proxy.stop().await;
}

/// A collector speaking TLS with the PKI's server certificate.
struct TlsCollector {
    port: u16,
    received: Arc<std::sync::Mutex<Vec<String>>>,
}

impl TlsCollector {
    async fn start(pki: &Pki) -> TlsCollector {
        let config = privgate::server::tls::server_config(&pki.server_tls(false)).unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(std::sync::Mutex::new(Vec::new()));
        let r = received.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let (acceptor, r) = (acceptor.clone(), r.clone());
                tokio::spawn(async move {
                    let Ok(tls) = acceptor.accept(stream).await else {
                        return;
                    };
                    let svc = service_fn(move |req: Request<Incoming>| {
                        let r = r.clone();
                        async move {
                            let body = req
                                .into_body()
                                .collect()
                                .await
                                .map(|c| c.to_bytes())
                                .unwrap_or_default();
                            r.lock()
                                .unwrap()
                                .push(String::from_utf8_lossy(&body).into_owned());
                            Ok::<_, Infallible>(Response::new(Full::new(Bytes::from_static(b"{}"))))
                        }
                    });
                    let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                        .serve_connection(TokioIo::new(tls), svc)
                        .await;
                });
            }
        });
        TlsCollector { port, received }
    }
}

#[test]
fn the_kubernetes_example_config_and_policy_are_valid() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/kubernetes/configmap.yaml"
    ))
    .unwrap();
    let root = privgate::yaml::parse(&text).unwrap();
    let data = root.get("data").unwrap();
    let dir = tempfile::tempdir().unwrap();
    for name in ["privgate.yaml", "ours.yaml"] {
        std::fs::write(
            dir.path().join(name),
            data.get(name).unwrap().as_str().unwrap(),
        )
        .unwrap();
    }
    let config = privgate::config::Config::load(&dir.path().join("privgate.yaml")).unwrap();
    assert_eq!(config.listen.to_string(), "0.0.0.0:8080");
    assert_eq!(
        config.policies,
        vec!["gdpr".to_owned(), "/etc/privgate/ours.yaml".to_owned()]
    );
    let (code, out, err) = crate::support::run(
        &["check", dir.path().join("ours.yaml").to_str().unwrap()],
        None,
    );
    assert_eq!(code, 0, "{out}{err}");
}

/// An HTTPS endpoint standing in for an admin API behind a TLS-terminating ingress: it records
/// each request's authorization header and body, and answers 200.
async fn https_admin(
    pki: &Pki,
) -> (
    std::net::SocketAddr,
    Arc<std::sync::Mutex<Vec<(String, String)>>>,
) {
    let config = privgate::server::tls::server_config(&pki.server_tls(false)).unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let recorded = seen.clone();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (acceptor, seen) = (acceptor.clone(), seen.clone());
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let svc = service_fn(move |req: Request<Incoming>| {
                    let seen = seen.clone();
                    async move {
                        let auth = req
                            .headers()
                            .get("authorization")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("")
                            .to_owned();
                        let body = req.into_body().collect().await.unwrap().to_bytes();
                        seen.lock()
                            .unwrap()
                            .push((auth, String::from_utf8_lossy(&body).into_owned()));
                        Ok::<_, Infallible>(Response::new(Full::new(Bytes::from_static(
                            b"{\"status\":\"opted_out\"}",
                        ))))
                    }
                });
                let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(tls), svc)
                    .await;
            });
        }
    });
    (addr, recorded)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subjects_import_reaches_an_https_admin_api_and_never_sends_the_token_in_clear() {
    let pki = Pki::new();
    let (addr, seen) = https_admin(&pki).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("optouts.jsonl");
    std::fs::write(
        &file,
        "{\"identity\":\"jane@example.com\",\"reason\":\"gdpr_art21\"}\n",
    )
    .unwrap();
    let token = "admin-token-for-tests-0123456789";
    let import = move |args: Vec<String>| {
        let out = std::process::Command::new(crate::support::bin())
            .args(["subjects", "import"])
            .args(args)
            .arg(&file)
            .env("PRIVGATE_ADMIN_TOKEN", token)
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let import = Arc::new(import);
    let url = format!("https://localhost:{}", addr.port());
    let ca = pki.path("ca.pem").display().to_string();
    let ok = tokio::task::spawn_blocking({
        let (url, ca, import) = (url.clone(), ca.clone(), import.clone());
        move || import(vec!["--admin".into(), url, "--admin-ca".into(), ca])
    });
    let (code, err) = ok.await.unwrap();
    assert_eq!(code, 0, "{err}");
    let requests = seen.lock().unwrap().clone();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].0, format!("Bearer {token}"));
    assert!(requests[0].1.contains("jane@example.com"));

    // Without the private CA the certificate is not trusted, and nothing is sent.
    let untrusted = tokio::task::spawn_blocking({
        let (url, import) = (url.clone(), import.clone());
        move || import(vec!["--admin".into(), url])
    });
    let (code, err) = untrusted.await.unwrap();
    assert_ne!(code, 0);
    assert!(
        err.contains("cannot reach") && err.to_lowercase().contains("certificate"),
        "{err}"
    );
    assert_eq!(seen.lock().unwrap().len(), 1);

    // Plain HTTP is for loopback only: elsewhere the token would travel in clear.
    let (code, err) = import(vec!["--admin".into(), "http://10.0.0.7:9191".into()]);
    assert_ne!(code, 0);
    assert!(
        err.contains("unencrypted") && err.contains("https://"),
        "{err}"
    );
}

/// Four traffic workers share the port (`SO_REUSEPORT`): requests on many connections are all
/// answered, forwarded once and audited, and shutdown stops every worker (the port is closed).
#[tokio::test]
async fn several_workers_share_the_port_and_stop_together() {
    let collector = Collector::start().await;
    let proxy = Proxy::start_with(&collector.url(), &["gdpr"], |c| c.workers = 4).await;
    let url = proxy.url("/api/track");
    let mut sent = Vec::new();
    for i in 0..24 {
        let url = url.clone();
        sent.push(tokio::spawn(async move {
            let body =
                json!({"app_id": "11", "identity": format!("w{i}@example.com"), "event": "E"});
            post_json(&url, &body).await
        }));
    }
    for s in sent {
        let reply = s.await.unwrap();
        assert_eq!(reply.status, 200, "{:?}", reply.body);
    }
    assert_eq!(collector.received().len(), 24);
    let audit = proxy.audit().await;
    assert_eq!(audit.len(), 24);
    assert!(
        audit.iter().all(|r| r["outcome"] == "forwarded"),
        "{audit:?}"
    );
    let addr = proxy.addr;
    proxy.stop().await;
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "no worker is listening after shutdown"
    );
}
