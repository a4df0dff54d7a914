//! Test support: a mock collector on 127.0.0.1:0, a proxy started in-process or as a process,
//! and a small HTTP client.

#![allow(dead_code)]

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioIo};
use serde_json::Value;
use tokio::net::TcpListener;

use privgate::config::{Config, UpstreamSpec};
use privgate::keys::HashKey;
use privgate::server::Server;

/// A fixed key for tests, so hash outputs are stable.
pub const TEST_KEY_HEX: &str = "7f1c2a9e4b6d8f0a1c3e5a7b9d1f2e4c6a8b0d2f4e6a8c0e2b4d6f8a0c2e4b6d";

pub fn test_key() -> HashKey {
    HashKey::from_text(TEST_KEY_HEX, "test").expect("the test key is valid")
}

/// One request the collector received.
#[derive(Debug, Clone)]
pub struct Captured {
    pub method: String,
    pub path_and_query: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Captured {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("the collector received JSON")
    }
}

/// How the mock collector answers.
#[derive(Debug, Clone)]
pub enum Behaviour {
    Ok,
    Status(u16),
    Delay(Duration),
}

/// A collector on 127.0.0.1:0 that records everything it receives.
pub struct Collector {
    pub addr: SocketAddr,
    pub requests: Arc<Mutex<Vec<Captured>>>,
    pub behaviour: Arc<Mutex<Behaviour>>,
    task: tokio::task::JoinHandle<()>,
}

impl Collector {
    pub async fn start() -> Collector {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let behaviour = Arc::new(Mutex::new(Behaviour::Ok));
        let (r, b) = (requests.clone(), behaviour.clone());
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let (r, b) = (r.clone(), b.clone());
                tokio::spawn(async move {
                    let svc = service_fn(move |req: Request<Incoming>| {
                        let (r, b) = (r.clone(), b.clone());
                        async move {
                            let (parts, body) = req.into_parts();
                            let body = body
                                .collect()
                                .await
                                .map(|c| c.to_bytes())
                                .unwrap_or_default();
                            r.lock().unwrap().push(Captured {
                                method: parts.method.to_string(),
                                path_and_query: parts
                                    .uri
                                    .path_and_query()
                                    .map(|p| p.to_string())
                                    .unwrap_or_default(),
                                headers: parts.headers,
                                body,
                            });
                            let behaviour = b.lock().unwrap().clone();
                            let mut resp = Response::new(Full::new(Bytes::from_static(
                                b"{\"collector\":true}",
                            )));
                            resp.headers_mut()
                                .insert("content-type", "application/json".parse().unwrap());
                            match behaviour {
                                Behaviour::Ok => {}
                                Behaviour::Status(s) => {
                                    *resp.status_mut() = StatusCode::from_u16(s).unwrap()
                                }
                                Behaviour::Delay(d) => tokio::time::sleep(d).await,
                            }
                            Ok::<_, Infallible>(resp)
                        }
                    });
                    let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                        .serve_connection(TokioIo::new(stream), svc)
                        .await;
                });
            }
        });
        Collector {
            addr,
            requests,
            behaviour,
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn received(&self) -> Vec<Captured> {
        self.requests.lock().unwrap().clone()
    }

    pub fn set(&self, b: Behaviour) {
        *self.behaviour.lock().unwrap() = b;
    }
}

impl Drop for Collector {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A proxy started in-process, with its own data folder.
pub struct Proxy {
    pub server: Option<Server>,
    pub addr: SocketAddr,
    pub admin: SocketAddr,
    pub dir: tempfile::TempDir,
    pub audit_path: PathBuf,
    config: Config,
}

/// Writes policy texts into `dir` and returns their paths as `--policy` arguments.
pub fn write_policies(dir: &Path, policies: &[&str]) -> Vec<String> {
    policies
        .iter()
        .enumerate()
        .map(|(i, text)| {
            if !text.contains('\n') {
                return (*text).to_owned(); // a shipped policy name
            }
            let path = dir.join(format!("policy{i}.yaml"));
            std::fs::write(&path, text).unwrap();
            path.display().to_string()
        })
        .collect()
}

impl Proxy {
    /// Starts a proxy in front of `upstream` with the given policies (names or YAML texts).
    pub async fn start(upstream: &str, policies: &[&str]) -> Proxy {
        Proxy::start_with(upstream, policies, |_| {}).await
    }

    pub async fn start_with(
        upstream: &str,
        policies: &[&str],
        tweak: impl FnOnce(&mut Config),
    ) -> Proxy {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            admin_listen: "127.0.0.1:0".parse().unwrap(),
            data_dir: dir.path().to_owned(),
            audit_path: dir.path().join("audit.jsonl"),
            ..Config::default()
        };
        config.upstream = UpstreamSpec::parse(upstream, dir.path()).unwrap();
        config.policies = write_policies(dir.path(), policies);
        tweak(&mut config);
        Proxy::launch(dir, config).await
    }

    async fn launch(dir: tempfile::TempDir, config: Config) -> Proxy {
        let audit_path = config.audit_path.clone();
        let (set, _) =
            privgate::policy::load_set_scoped(&config.policies, &config.policy_scopes, test_key())
                .expect("test policies compile");
        let server = Server::start(config.clone(), set).await.unwrap();
        Proxy {
            addr: server.addr,
            admin: server.admin_addr,
            server: Some(server),
            dir,
            audit_path,
            config,
        }
    }

    /// Stops the proxy and starts it again on the same data folder and configuration.
    pub async fn restart(mut self) -> Proxy {
        if let Some(s) = self.server.take() {
            s.shutdown().await;
        }
        let dir = std::mem::replace(&mut self.dir, tempfile::tempdir().unwrap());
        Proxy::launch(dir, self.config.clone()).await
    }

    pub fn admin_url(&self, path: &str) -> String {
        format!("http://{}{}", self.admin, path)
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Audit records written so far, one per request: a forwarded request's decision and
    /// outcome records are merged into one, as `audit summary` counts them
    /// ([`audit_requests`]). `read_jsonl` gives the lines as written.
    pub async fn audit(&self) -> Vec<Value> {
        self.settle_audit().await;
        audit_requests(audit_records(&self.audit_path))
    }

    /// Waits until the audit writer has written every record queued so far: an outcome
    /// record is written after its request's answer.
    pub async fn settle_audit(&self) {
        if let Some(server) = &self.server {
            server
                .state
                .audit
                .settled()
                .await
                .expect("the audit writer runs");
        }
    }

    pub async fn stop(mut self) {
        if let Some(s) = self.server.take() {
            s.shutdown().await;
        }
    }
}

/// Audit lines as requests: each decision record (`"phase":"decision"`) takes the outcome,
/// status, collector status, error and erasure of its outcome record and stands for the
/// request, in the decision's place; a decision without an outcome stays as it is. Checks that
/// every outcome record follows its decision.
pub fn audit_requests(lines: Vec<Value>) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::with_capacity(lines.len());
    let mut open: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for line in lines {
        let id = line["request_id"].as_str().map(str::to_owned);
        match line["phase"].as_str() {
            Some("decision") => {
                open.insert(id.expect("a decision has a request id"), out.len());
                out.push(line);
            }
            Some("outcome") => {
                let at = open
                    .remove(id.as_deref().expect("an outcome has a request id"))
                    .expect("every outcome record follows its decision record");
                let decision = out[at].as_object_mut().unwrap();
                for key in ["outcome", "status", "upstream_status", "error", "erasure"] {
                    if let Some(v) = line.get(key) {
                        decision.insert(key.to_owned(), v.clone());
                    }
                }
                decision.remove("phase");
            }
            _ => out.push(line),
        }
    }
    out
}

/// The records of an audit log, in either form, as the earlier form wrote them: definitions
/// resolved (`policies`, one `changes` entry per path, one `dropped` entry per event) and left
/// out, outcome records with their decision's `request_id`. Every line must be a record.
pub fn audit_records(path: &Path) -> Vec<Value> {
    audit_records_in(&[std::fs::read_to_string(path).unwrap_or_default()])
}

/// [`audit_records`] of several files (their texts), in chain order.
pub fn audit_records_in(files: &[String]) -> Vec<Value> {
    use privgate::audit::read::{self, Definitions, Line};
    let mut decided: std::collections::HashMap<u64, String> = std::collections::HashMap::new();
    let mut defs = Definitions::default();
    let mut out = Vec::new();
    for line in files.iter().flat_map(|text| {
        // Definitions are per file.
        std::iter::once(None).chain(text.lines().map(Some))
    }) {
        let Some(line) = line else {
            defs = Definitions::default();
            continue;
        };
        let r = match read::parse(line.as_bytes(), &mut defs) {
            Ok(Line::Record(r)) => r,
            Ok(Line::Definition) => continue,
            Err(e) => panic!("{e}: {line}"),
        };
        let mut v = serde_json::json!({
            "seq": r.seq, "time": r.time, "route": r.route,
            "events_in": r.events_in, "events_out": r.events_out,
            "policies": r.policies.iter().map(|p| serde_json::json!({"name": p.name, "sha256": p.sha256})).collect::<Vec<_>>(),
        });
        let m = v.as_object_mut().unwrap();
        if r.outcome.is_some() {
            m.insert("status".into(), serde_json::json!(r.status));
        }
        let mut put = |k: &str, x: Value| {
            if !x.is_null() {
                m.insert(k.to_owned(), x);
            }
        };
        let id = r
            .request_id
            .clone()
            .or_else(|| decided.get(&r.decision_seq?).cloned());
        if let (Some(id), Some(privgate::audit::Phase::Decision)) = (&id, r.phase) {
            decided.insert(r.seq, id.clone());
        }
        put("request_id", serde_json::json!(id));
        put("phase", serde_json::json!(r.phase));
        put("outcome", serde_json::json!(r.outcome));
        put("app_id", serde_json::json!(r.app_id));
        put("upstream_status", serde_json::json!(r.upstream_status));
        put("consent", serde_json::json!(r.consent));
        put("error", serde_json::json!(r.error));
        put("erasure", serde_json::json!(r.erasure));
        put("subject", serde_json::json!(r.subject));
        put("retention", serde_json::json!(r.retention));
        if r.unknown_fields > 0 {
            put("unknown_fields", serde_json::json!(r.unknown_fields));
        }
        let mut changes = Vec::new();
        for g in r.changes.iter() {
            for (path, events) in &g.paths {
                let mut c = serde_json::json!({"policy": g.policy, "rule": g.rule,
                    "action": g.action, "path": path,
                    "count": if g.paths.len() == 1 { g.count } else { *events }});
                let c_map = c.as_object_mut().unwrap();
                if let Some(d) = &g.detector {
                    c_map.insert("detector".into(), serde_json::json!(d));
                }
                if let Some(e) = &g.evidence {
                    c_map.insert("evidence".into(), serde_json::json!(e));
                }
                if g.shadow {
                    c_map.insert("shadow".into(), serde_json::json!(true));
                }
                if *events > 1 {
                    c_map.insert("events".into(), serde_json::json!(events));
                }
                changes.push(c);
            }
        }
        if !changes.is_empty() {
            put("changes", Value::Array(changes));
        }
        let mut dropped: Vec<(usize, Value)> = Vec::new();
        for d in r.dropped.iter() {
            for i in &d.events {
                let mut x =
                    serde_json::json!({"event_index": i, "policy": d.policy, "rule": d.rule});
                let x_map = x.as_object_mut().unwrap();
                if let Some(s) = &d.signal {
                    x_map.insert("signal".into(), serde_json::json!(s));
                }
                if d.shadow {
                    x_map.insert("shadow".into(), serde_json::json!(true));
                }
                dropped.push((*i, x));
            }
        }
        dropped.sort_by_key(|(i, _)| *i);
        if !dropped.is_empty() {
            put(
                "dropped",
                Value::Array(dropped.into_iter().map(|(_, x)| x).collect()),
            );
        }
        out.push(v);
    }
    out
}

pub fn read_jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

/// A response as the tests see it.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|_| panic!("not JSON: {:?}", self.body))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

pub fn client() -> Client<HttpConnector, Full<Bytes>> {
    Client::builder(TokioExecutor::new()).build(HttpConnector::new())
}

/// Sends a request and reads the whole answer.
pub async fn send(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: impl Into<Bytes>,
) -> Reply {
    let mut req = Request::builder().method(method).uri(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = req.body(Full::new(body.into())).unwrap();
    let resp = client().request(req).await.expect("the proxy answers");
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        body,
    }
}

/// POSTs JSON.
pub async fn post_json(url: &str, body: &Value) -> Reply {
    send(
        "POST",
        url,
        &[("content-type", "application/json")],
        body.to_string(),
    )
    .await
}

/// Path of the built `privgate` binary.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_privgate"))
}

/// Runs `privgate` with arguments; returns (exit code, stdout, stderr).
pub fn run(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    run_in(None, args, stdin)
}

pub fn run_in(dir: Option<&Path>, args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .env("PRIVGATE_HASH_KEY", TEST_KEY_HEX)
        .env_remove("RUST_LOG")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(d) = dir {
        cmd.current_dir(d);
    }
    let mut child = cmd.spawn().expect("privgate runs");
    if let Some(input) = stdin {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A `privgate serve` process; its stderr (the log) is collected in a file.
pub struct ProxyProcess {
    pub child: Child,
    pub addr: SocketAddr,
    pub admin: SocketAddr,
    pub log_path: PathBuf,
}

impl ProxyProcess {
    /// Starts `privgate serve` with `args` in `dir` and waits until it listens.
    pub fn start(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> ProxyProcess {
        ProxyProcess::start_wrapped(dir, &[], args, env)
    }

    /// Like [`ProxyProcess::start`], through a wrapper command that ends by exec-ing its
    /// arguments (the binary's path, then `serve` and the flags), so the pid stays the proxy's:
    /// e.g. `["sh", "-c", "trap '' XFSZ; exec \"$0\" \"$@\""]`.
    pub fn start_wrapped(
        dir: &Path,
        wrapper: &[&str],
        args: &[&str],
        env: &[(&str, &str)],
    ) -> ProxyProcess {
        let log_path = dir.join(format!("privgate-{}.log", std::process::id()));
        let log = std::fs::File::create(&log_path).unwrap();
        let mut cmd = match wrapper.split_first() {
            Some((program, rest)) => {
                let mut c = Command::new(program);
                c.args(rest).arg(bin());
                c
            }
            None => Command::new(bin()),
        };
        cmd.arg("serve")
            .args(["--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0"])
            .args(args)
            .current_dir(dir)
            .env("PRIVGATE_HASH_KEY", TEST_KEY_HEX)
            .stdout(Stdio::null())
            .stderr(log);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("privgate serve starts");
        let started = std::time::Instant::now();
        loop {
            let text = std::fs::read_to_string(&log_path).unwrap_or_default();
            if let Some(line) = text.lines().find(|l| l.contains("privgate listening on")) {
                let addr = field(line, "listen=");
                let admin = field(line, "admin=");
                return ProxyProcess {
                    child,
                    addr,
                    admin,
                    log_path,
                };
            }
            if started.elapsed() > Duration::from_secs(20)
                || child.try_wait().ok().flatten().is_some()
            {
                let _ = child.kill();
                let _ = child.wait();
                panic!("privgate did not start:\n{text}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_path).unwrap_or_default()
    }

    /// Sends SIGTERM and waits for exit; returns the exit code.
    pub fn terminate(mut self) -> (i32, String) {
        send_signal(self.child.id(), "TERM");
        let status = self.child.wait().unwrap();
        (status.code().unwrap_or(-1), self.log())
    }
}

impl Drop for ProxyProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn field(line: &str, name: &str) -> SocketAddr {
    let start = line.find(name).unwrap() + name.len();
    let rest = &line[start..];
    let end = rest.find(' ').unwrap_or(rest.len());
    rest[..end].trim_matches('"').parse().unwrap()
}

/// Sends a signal with the `kill` command.
pub fn send_signal(pid: u32, signal: &str) {
    let _ = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(pid.to_string())
        .status();
}
