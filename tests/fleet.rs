//! Several replicas sharing one Redis: opt-outs and tokens agree across replicas, a Redis
//! outage fails closed (or drops, when configured) and recovers, and the embedded registry
//! migrates to Redis with `subjects export` / `import --hashed`.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::{Collector, ProxyProcess, post_json, send};

/// A redis-server of our own on a free loopback port (stopped on drop).
struct Redis {
    child: Option<Child>,
    port: u16,
}

impl Redis {
    /// The Redis that `.ci/run` started (`PRIVGATE_TEST_REDIS_URL`, a loopback URL), or one of
    /// our own. Tests sharing it keep apart by key prefix.
    fn shared() -> Option<Redis> {
        let Ok(url) = std::env::var("PRIVGATE_TEST_REDIS_URL") else {
            return Redis::start();
        };
        let port = url
            .rsplit(':')
            .next()
            .and_then(|p| p.trim_end_matches('/').parse().ok());
        let redis = Redis {
            child: None,
            port: port.expect("PRIVGATE_TEST_REDIS_URL is redis://127.0.0.1:PORT"),
        };
        assert!(redis.ping(), "the Redis at {url} does not answer PING");
        Some(redis)
    }

    /// Starts a redis-server we own (and can stop), or `None` with a printed reason when it is
    /// not installed. With `PRIVGATE_REQUIRE_REDIS=1` (set by `.ci/run`) a missing server fails.
    fn start() -> Option<Redis> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
            .port();
        Redis::start_on(port)
    }

    fn start_on(port: u16) -> Option<Redis> {
        let Ok(child) = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
        else {
            assert!(
                std::env::var_os("PRIVGATE_REQUIRE_REDIS").is_none(),
                "redis-server is required but not installed"
            );
            println!(
                "SKIPPED: redis-server is not installed (apt-get install -y redis-server; .ci/run does)"
            );
            return None;
        };
        let redis = Redis {
            child: Some(child),
            port,
        };
        let started = Instant::now();
        while !redis.ping() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "redis-server did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(redis)
    }

    fn ping(&self) -> bool {
        use std::io::{Read, Write};
        let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", self.port)) else {
            return false;
        };
        let _ = s.set_read_timeout(Some(Duration::from_millis(500)));
        let mut buf = [0u8; 7];
        s.write_all(b"PING\r\n").is_ok() && s.read_exact(&mut buf).is_ok() && &buf == b"+PONG\r\n"
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.stop();
    }
}

const TOKEN: &str = "fleet-admin-token";

/// A replica: its own data folder, the shared Redis, the same hash key.
/// `prefix` keeps each test's keys apart on a shared Redis.
fn replica(
    dir: &std::path::Path,
    name: &str,
    upstream: &str,
    redis: &str,
    prefix: &str,
    policies: &[&str],
    extra: &str,
) -> ProxyProcess {
    let home = dir.join(name);
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(home.join("admin.token"), TOKEN).unwrap();
    let mut list = String::new();
    for (i, p) in policies.iter().enumerate() {
        if p.contains('\n') {
            std::fs::write(home.join(format!("p{i}.yaml")), p).unwrap();
            list.push_str(&format!("  - ./p{i}.yaml\n"));
        } else {
            list.push_str(&format!("  - {p}\n"));
        }
    }
    std::fs::write(
        home.join("privgate.yaml"),
        format!("upstream: {upstream}\nadmin_token_file: admin.token\nstate:\n  backend: redis\n  url: {redis}\n  prefix: {prefix}\n  timeout: 300ms\n{extra}policies:\n{list}"),
    )
    .unwrap();
    ProxyProcess::start(&home, &["--config", "privgate.yaml"], &[])
}

const REGISTRY: &str = "policy: registry\nconsent:\n  opt_out_when: [registry]\nrules: []\n";
const PLAIN: &str = "policy: plain\nrules:\n  - id: emails\n    fields: [\"**\"]\n    detect: [email]\n    action: mask\n";
const TOKENS: &str =
    "policy: tokens\nrules:\n  - id: ids\n    fields: [identity, user_id]\n    action: tokenize\n";

fn track(identity: &str) -> serde_json::Value {
    json!({"app_id": "11", "identity": identity, "event": "E"})
}

async fn opt_out(admin: std::net::SocketAddr, body: serde_json::Value) -> u16 {
    let auth = format!("Bearer {TOKEN}");
    send(
        "POST",
        &format!("http://{admin}/v1/subjects/opt-out"),
        &[
            ("content-type", "application/json"),
            ("authorization", auth.as_str()),
        ],
        body.to_string(),
    )
    .await
    .status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_opt_out_on_one_replica_is_honoured_by_the_other_and_tokens_agree() {
    let Some(redis) = Redis::shared() else { return };
    let prefix = format!("agree{}", std::process::id());
    let collector = Collector::start().await;
    let dir = tempfile::tempdir().unwrap();
    let a = replica(
        dir.path(),
        "a",
        &collector.url(),
        &redis.url(),
        &prefix,
        &[REGISTRY, TOKENS],
        "",
    );
    let b = replica(
        dir.path(),
        "b",
        &collector.url(),
        &redis.url(),
        &prefix,
        &[REGISTRY, TOKENS],
        "",
    );

    assert_eq!(
        post_json(&b.url("/api/track"), &track("jane@example.com"))
            .await
            .status,
        200
    );
    assert_eq!(collector.received().len(), 1, "not opted out yet");
    assert_eq!(
        opt_out(
            a.admin,
            json!({"identity": "jane@example.com", "reason": "ccpa"})
        )
        .await,
        200
    );
    // The very next request on the other replica honours it: no cache in between.
    assert_eq!(
        post_json(&b.url("/api/track"), &track("jane@example.com"))
            .await
            .status,
        200
    );
    assert_eq!(
        collector.received().len(),
        1,
        "replica B dropped the opted-out subject's event"
    );
    // A user id linked by identify on B is opted out on A too.
    let identify = json!({"app_id": "11", "user_id": "5151", "identity": "jane@example.com"});
    post_json(&b.url("/api/v1/identify"), &identify).await;
    let anon = json!({"app_id": "11", "user_id": "5151", "event": "E"});
    post_json(&a.url("/api/track"), &anon).await;
    assert_eq!(collector.received().len(), 1, "the learned link is shared");

    // tokenize: the same value gets the same token on both replicas, even when both race.
    let (url_a, url_b) = (a.url("/api/track"), b.url("/api/track"));
    let body = track("patient-1@example.com");
    let (ra, rb) = tokio::join!(post_json(&url_a, &body), post_json(&url_b, &body));
    assert_eq!((ra.status, rb.status), (200, 200));
    post_json(&b.url("/api/track"), &track("patient-2@example.com")).await;
    let tokens: Vec<String> = collector.received()[1..]
        .iter()
        .map(|r| r.json()["identity"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(tokens.len(), 3);
    assert!(tokens[0].starts_with("tok_"));
    assert_eq!(tokens[0], tokens[1], "both replicas gave the same token");
    assert_ne!(tokens[0], tokens[2]);

    // Redis holds HMACs only.
    let pattern = format!("{prefix}:*");
    let keys = Command::new("redis-cli")
        .args(["-p", &redis.port.to_string(), "--no-raw", "keys", &pattern])
        .output()
        .unwrap();
    let dump = String::from_utf8_lossy(&keys.stdout).into_owned();
    assert!(dump.contains(&format!("{prefix}:s:i:")), "{dump}");
    assert!(
        !dump.contains("jane") && !dump.contains("patient") && !dump.contains("5151"),
        "{dump}"
    );
    a.terminate();
    b.terminate();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_outage_fails_closed_and_recovers() {
    let Some(mut redis) = Redis::start() else {
        return;
    };
    let port = redis.port;
    let collector = Collector::start().await;
    let dir = tempfile::tempdir().unwrap();
    let closed = replica(
        dir.path(),
        "closed",
        &collector.url(),
        &redis.url(),
        "outage",
        &[REGISTRY],
        "",
    );
    let dropping = replica(
        dir.path(),
        "dropping",
        &collector.url(),
        &redis.url(),
        "outage",
        &[REGISTRY],
        "  fail_open_to: drop\n",
    );
    let plain = replica(
        dir.path(),
        "plain",
        &collector.url(),
        &redis.url(),
        "outage",
        &[PLAIN],
        "",
    );
    assert_eq!(
        post_json(&closed.url("/api/track"), &track("u1"))
            .await
            .status,
        200
    );
    assert_eq!(collector.received().len(), 1);

    redis.stop();
    let reply = post_json(&closed.url("/api/track"), &track("u1")).await;
    assert_eq!(reply.status, 503, "fail closed: {}", reply.text());
    assert!(reply.headers.get("retry-after").is_some());
    let reply = post_json(&dropping.url("/api/track"), &track("u1")).await;
    assert_eq!(
        reply.status, 200,
        "fail_open_to: drop answers like the collector"
    );
    assert_eq!(reply.json(), json!({}));
    assert_eq!(
        collector.received().len(),
        1,
        "nothing unfiltered was forwarded"
    );
    let ready = send("GET", &format!("http://{}/readyz", closed.admin), &[], "").await;
    assert_eq!(ready.status, 503, "{}", ready.text());
    // A replica whose policies do not use the registry keeps working.
    assert_eq!(
        post_json(&plain.url("/api/track"), &track("u1"))
            .await
            .status,
        200
    );
    assert_eq!(collector.received().len(), 2);
    let metrics = send("GET", &format!("http://{}/metrics", closed.admin), &[], "")
        .await
        .text();
    assert!(
        metrics.contains("privgate_rejections_total{error=\"registry_unavailable\"} 1"),
        "{metrics}"
    );
    let state_errors = metrics
        .lines()
        .find_map(|l| l.strip_prefix("privgate_state_errors_total "))
        .map(|n| n.parse::<u64>().unwrap());
    assert!(state_errors.is_some_and(|n| n >= 1), "{metrics}");
    let dropping_metrics = send(
        "GET",
        &format!("http://{}/metrics", dropping.admin),
        &[],
        "",
    )
    .await
    .text();
    assert!(
        dropping_metrics.contains("rule=\"state-unavailable\""),
        "{dropping_metrics}"
    );

    let _redis = Redis::start_on(port).expect("redis-server restarts");
    let started = Instant::now();
    loop {
        let reply = post_json(&closed.url("/api/track"), &track("u1")).await;
        if reply.status == 200 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no recovery: {}",
            reply.status
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(
        send("GET", &format!("http://{}/readyz", closed.admin), &[], "")
            .await
            .status,
        200
    );
    let audit =
        crate::support::audit_records(&dir.path().join("dropping/privgate-data/audit.jsonl"));
    assert_eq!(
        audit.last().unwrap()["dropped"][0]["rule"],
        "state-unavailable"
    );
    closed.terminate();
    dropping.terminate();
    plain.terminate();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_embedded_store_moves_to_redis_with_export_and_import() {
    let Some(redis) = Redis::shared() else { return };
    let collector = Collector::start().await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("privgate-data"); // serve's default, in its working folder
    let run = crate::support::run;
    // One machine: opt-outs imported, a token issued by the embedded vault.
    let optouts = dir.path().join("optouts.jsonl");
    std::fs::write(
        &optouts,
        "{\"identity\":\"jane@example.com\",\"reason\":\"ccpa\"}\n{\"user_id\":\"77\"}\n",
    )
    .unwrap();
    let (code, _, err) = run(
        &[
            "subjects",
            "import",
            optouts.to_str().unwrap(),
            "--data-dir",
            data.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    std::fs::write(dir.path().join("tokens.yaml"), TOKENS).unwrap();
    let single = ProxyProcess::start(
        dir.path(),
        &["--upstream", &collector.url(), "--policy", "tokens.yaml"],
        &[],
    );
    assert_eq!(
        post_json(&single.url("/api/track"), &track("kept@example.com"))
            .await
            .status,
        200
    );
    let token = collector.received()[0].json()["identity"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(token.starts_with("tok_"), "{token}");
    single.terminate();

    let (code, exported, err) = run(
        &["subjects", "export", "--data-dir", data.to_str().unwrap()],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("exported 2 registry entries and 1 token"),
        "{err}"
    );
    assert_eq!(exported.lines().count(), 3, "{exported}");
    assert!(
        !exported.contains("jane") && !exported.contains("kept@"),
        "{exported}"
    );
    let export_file = dir.path().join("export.jsonl");
    std::fs::write(&export_file, &exported).unwrap();
    // An export made under another hash key would match nobody here: refused, not lost.
    let key_id = privgate::keys::HashKey::from_text(crate::support::TEST_KEY_HEX, "test")
        .unwrap()
        .id()
        .to_owned();
    assert!(
        exported.contains(&format!("\"key_id\":\"{key_id}\"")),
        "{exported}"
    );
    let foreign = dir.path().join("foreign.jsonl");
    std::fs::write(&foreign, exported.replace(&key_id, "0badc0de")).unwrap();
    let (code, _, err) = run(
        &[
            "subjects",
            "import",
            "--hashed",
            foreign.to_str().unwrap(),
            "--data-dir",
            dir.path().join("other").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("exported under hash key 0badc0de, but this deployment's key is"),
        "{err}"
    );
    let prefix = format!("migrate{}", std::process::id());
    let config = dir.path().join("redis.yaml");
    std::fs::write(
        &config,
        format!(
            "state:\n  backend: redis\n  url: {}\n  prefix: {prefix}\n",
            redis.url()
        ),
    )
    .unwrap();
    let (code, out, err) = run(
        &[
            "subjects",
            "import",
            "--hashed",
            export_file.to_str().unwrap(),
            "--config",
            config.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("imported 2 registry entries and 1 token (1 new) into the Redis store"),
        "{out}"
    );
    let (code, from_redis, err) = run(
        &["subjects", "export", "--config", config.to_str().unwrap()],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let mut a: Vec<&str> = exported.lines().collect();
    let mut b: Vec<&str> = from_redis.lines().collect();
    a.sort();
    b.sort();
    assert_eq!(a, b, "the same entries and tokens, still hashed");
    // Importing again changes nothing.
    let (code, out, err) = run(
        &[
            "subjects",
            "import",
            "--hashed",
            export_file.to_str().unwrap(),
            "--config",
            config.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("(0 new)"), "{out}");

    // A Redis-backed replica honours the old opt-outs and keeps the old token.
    let replica = replica(
        dir.path(),
        "fleet",
        &collector.url(),
        &redis.url(),
        &prefix,
        &[REGISTRY, TOKENS],
        "",
    );
    assert_eq!(
        post_json(&replica.url("/api/track"), &track("jane@example.com"))
            .await
            .status,
        200
    );
    assert_eq!(
        collector.received().len(),
        1,
        "jane's opt-out moved with the registry"
    );
    assert_eq!(
        post_json(&replica.url("/api/track"), &track("kept@example.com"))
            .await
            .status,
        200
    );
    assert_eq!(
        collector.received()[1].json()["identity"],
        token.as_str(),
        "the token moved with the vault"
    );
    replica.terminate();

    // New identifiers go through a running replica, so that each change is audited.
    let (code, _, err) = run(
        &[
            "subjects",
            "import",
            optouts.to_str().unwrap(),
            "--config",
            config.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("import through a running replica with --admin"),
        "{err}"
    );
}
