//! The audit trail (issue 10): `audit verify` finds each kind of tampering at its file and line,
//! rotation and gzip keep one chain across restarts, acknowledged requests survive SIGKILL, a
//! log that cannot be written stops forwarding, and `audit summary` reads it for people.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use serde_json::{Value, json};

use privgate::audit::files;
use privgate::audit::{AuditLog, ChangeRecord, DropRecord, Outcome, PolicyVersion, Record};
use privgate::audit::{Rotation, SyncMode};

use crate::support::{Behaviour, Collector, Proxy, ProxyProcess, post_json, run, send};

fn track(n: usize) -> Value {
    json!({"app_id": "11", "identity": format!("user{n}@example.com"), "event": "Checkout",
           "properties": {"note": "call +44 20 7946 0958", "n": n}})
}

/// The complete lines of each file of the log in `dir` (rotated, gzipped and active files),
/// in chain order.
fn file_texts(dir: &Path) -> Vec<String> {
    let resolved = files::resolve(&[dir.to_owned()]).unwrap();
    let mut out = Vec::new();
    for f in &resolved.files {
        let mut text = String::new();
        for line in f.lines().unwrap() {
            let line = line.unwrap();
            if line.complete {
                text.push_str(std::str::from_utf8(&line.bytes).unwrap());
                text.push('\n');
            }
        }
        out.push(text);
    }
    out
}

/// Every record of the log in `dir`, in chain order, as the earlier form wrote them
/// (definitions resolved and left out; [`crate::support::audit_records`]).
fn records(dir: &Path) -> Vec<Value> {
    crate::support::audit_records_in(&file_texts(dir))
}

/// How many definition records the log in `dir` holds.
fn definitions(dir: &Path) -> usize {
    file_texts(dir)
        .iter()
        .flat_map(|t| t.lines())
        .filter(|l| l.contains(",\"def\":\""))
        .count()
}

/// The audit files of a folder (log, rotated, torn copies), by name.
/// The files of the chain in `dir` (the journal beside the active file is not one of them).
fn audit_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name().is_some_and(|n| {
                let n = n.to_string_lossy();
                n.starts_with("audit.") && !n.ends_with(".journal")
            })
        })
        .collect();
    v.sort();
    v
}

fn verify(paths: &[&Path]) -> (i32, String, String) {
    let mut args = vec!["audit".to_owned(), "verify".to_owned()];
    args.extend(paths.iter().map(|p| p.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(&args, None)
}

/// `privgate audit summary PATH --format json`, which must succeed, parsed.
fn summary_json(path: &Path) -> Value {
    let path = path.display().to_string();
    let (code, out, err) = run(&["audit", "summary", &path, "--format", "json"], None);
    assert_eq!(code, 0, "{path}: {err}");
    serde_json::from_str(&out).unwrap()
}

fn lines_of(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn write_lines(path: &Path, lines: &[String]) {
    std::fs::write(
        path,
        lines.iter().map(|l| format!("{l}\n")).collect::<String>(),
    )
    .unwrap();
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// A fresh copy of the audit files of `src`.
fn copy_log(src: &Path) -> tempfile::TempDir {
    let dst = tempfile::tempdir().unwrap();
    for f in audit_files(src) {
        std::fs::copy(&f, dst.path().join(f.file_name().unwrap())).unwrap();
    }
    dst
}

/// A log of 45 requests in several files (rotation at 4 KiB, no gzip), made by the proxy.
async fn rotated_log() -> Proxy {
    let collector = Collector::start().await;
    let proxy = Proxy::start_with(&collector.url(), &["gdpr"], |c| {
        c.audit_rotation = Rotation {
            max_bytes: Some(4096),
            ..Rotation::default()
        };
    })
    .await;
    for n in 0..46 {
        let reply = post_json(&proxy.url("/api/track"), &track(n)).await;
        assert_eq!(reply.status, 200, "{}", reply.text());
    }
    // The last outcome record is written after its answer: wait for it, or a busy machine
    // shows the last request as interrupted.
    proxy.settle_audit().await;
    proxy
}

#[tokio::test]
async fn verify_reports_each_kind_of_tampering_at_its_file_and_line() {
    let proxy = rotated_log().await;
    let src = proxy.dir.path().to_owned();
    let all = audit_files(&src);
    assert!(all.len() >= 5, "several files: {all:?}");
    let (code, out, err) = verify(&[&src]);
    assert_eq!(code, 0, "{err}");
    // Two records for each of the 46 requests, and the definitions of each file.
    let total = 92 + definitions(&src);
    assert!(
        out.starts_with(&format!(
            "ok: {total} records in {} files, seq 1–{total}, ",
            all.len()
        )),
        "{out}"
    );
    assert!(out.contains("from genesis; head "), "{out}");
    // The shell's order of the names is the chain order; `audit.*` takes the journal along,
    // which is skipped and said so.
    let listed: Vec<&Path> = all.iter().map(PathBuf::as_path).collect();
    assert_eq!(verify(&listed).0, 0);
    let journal = src.join("audit.jsonl.journal");
    assert!(journal.is_file());
    let mut globbed = listed.clone();
    globbed.push(&journal);
    let (code, _, err) = verify(&globbed);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("skipped") && err.contains("journal"), "{err}");

    // One byte edited in the middle of a closed file.
    let dir = copy_log(&src);
    let files = audit_files(dir.path());
    let mut lines = lines_of(&files[1]);
    // A decision record past the file's definitions.
    let at = (1..lines.len() - 1)
        .find(|i| lines[*i].contains("/api/track"))
        .unwrap();
    lines[at] = lines[at].replacen("/api/track", "/api/trask", 1);
    write_lines(&files[1], &lines);
    let (code, _, err) = verify(&[dir.path()]);
    assert_eq!(code, 1);
    assert!(
        err.contains(&format!(
            "{}:{}: this record was altered",
            name(&files[1]),
            at + 1
        )),
        "{err}"
    );
    assert!(
        err.contains("the chain is intact up to")
            && err.contains(&format!("{}:{at} (seq", name(&files[1]))),
        "what comes before the edited line is vouched for: {err}"
    );

    // A line deleted.
    let dir = copy_log(&src);
    let files = audit_files(dir.path());
    let mut lines = lines_of(&files[2]);
    lines.remove(1);
    write_lines(&files[2], &lines);
    let (code, _, err) = verify(&[dir.path()]);
    assert_eq!(code, 1);
    assert!(
        err.contains(&format!("{}:2: seq ", name(&files[2])))
            && err.contains("1 record is missing before this line"),
        "{err}"
    );

    // Two lines swapped in the active file.
    let dir = copy_log(&src);
    let active = dir.path().join("audit.jsonl");
    let mut lines = lines_of(&active);
    assert!(lines.len() >= 3);
    lines.swap(1, 2);
    write_lines(&active, &lines);
    let (code, _, err) = verify(&[dir.path()]);
    assert_eq!(code, 1);
    assert!(err.contains("audit.jsonl:2: lines out of order"), "{err}");

    // A closed file truncated in the middle of its last line...
    let dir = copy_log(&src);
    let files = audit_files(dir.path());
    let n = lines_of(&files[1]).len();
    let bytes = std::fs::read(&files[1]).unwrap();
    std::fs::write(&files[1], &bytes[..bytes.len() - 10]).unwrap();
    let (code, _, err) = verify(&[dir.path()]);
    assert_eq!(code, 1);
    assert!(
        err.contains(&format!(
            "{}:{n}: incomplete line at the end of a closed file",
            name(&files[1])
        )),
        "{err}"
    );
    // ...or at a line boundary: the next file shows the gap.
    let dir = copy_log(&src);
    let files = audit_files(dir.path());
    let mut lines = lines_of(&files[1]);
    lines.pop();
    write_lines(&files[1], &lines);
    let (code, _, err) = verify(&[dir.path()]);
    assert_eq!(code, 1);
    assert!(
        err.contains(&format!("{}:1: seq ", name(&files[2])))
            && err.contains(&format!("the file before, {}", files[1].display())),
        "{err}"
    );

    // The active file truncated mid-line: a torn last line.
    let dir = copy_log(&src);
    let active = dir.path().join("audit.jsonl");
    let n = lines_of(&active).len();
    let bytes = std::fs::read(&active).unwrap();
    std::fs::write(&active, &bytes[..bytes.len() - 25]).unwrap();
    let (code, _, err) = verify(&[dir.path()]);
    assert_eq!(code, 1);
    assert!(
        err.contains(&format!("audit.jsonl:{n}: incomplete last line")),
        "{err}"
    );
    assert!(err.contains("the chain is intact up to"), "{err}");

    // The oldest file removed: the chain no longer starts at genesis.
    let dir = copy_log(&src);
    let files = audit_files(dir.path());
    std::fs::remove_file(&files[0]).unwrap();
    let (code, _, err) = verify(&[dir.path()]);
    assert_eq!(code, 1);
    assert!(
        err.contains(&format!("{}:1: the chain starts at seq ", name(&files[1])))
            && err.contains("not at genesis"),
        "{err}"
    );

    // A gzipped closed file reads like the plain one; damaged gzip data is reported.
    let dir = copy_log(&src);
    let files = audit_files(dir.path());
    let gz = PathBuf::from(format!("{}.gz", files[2].display()));
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(&std::fs::read(&files[2]).unwrap()).unwrap();
    let packed = enc.finish().unwrap();
    std::fs::write(&gz, &packed).unwrap();
    std::fs::remove_file(&files[2]).unwrap();
    let (code, out, err) = verify(&[dir.path()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with(&format!("ok: {total} records")), "{out}");
    std::fs::write(&gz, &packed[..packed.len() / 2]).unwrap();
    let (code, _, err) = verify(&[dir.path()]);
    assert_eq!(code, 1);
    assert!(
        err.contains(&format!("{}:", name(&gz))) && err.contains("cannot be read"),
        "{err}"
    );
    proxy.stop().await;
}

fn config_file(dir: &Path, upstream: &str, audit: &str) {
    std::fs::write(
        dir.join("privgate.yaml"),
        format!("upstream: {upstream}\npolicies: [gdpr]\naudit:\n{audit}"),
    )
    .unwrap();
}

#[tokio::test]
async fn rotation_and_gzip_keep_one_chain_across_a_restart() {
    let collector = Collector::start().await;
    let dir = tempfile::tempdir().unwrap();
    config_file(
        dir.path(),
        &collector.url(),
        "  rotate_bytes: 4KiB\n  gzip: true\n  keep_files: 100\n",
    );
    let data = dir.path().join("privgate-data");
    let mut ids = Vec::new();
    for round in 0..2 {
        let proxy = ProxyProcess::start(dir.path(), &["--config", "privgate.yaml"], &[]);
        for n in 0..30 {
            let reply = post_json(&proxy.url("/api/track"), &track(round * 100 + n)).await;
            assert_eq!(reply.status, 200);
            ids.push(reply.headers["x-request-id"].to_str().unwrap().to_owned());
        }
        let (code, log) = proxy.terminate();
        assert_eq!(code, 0, "{log}");
    }
    // Compression runs beside the writer; a file closed just before exit is finished at the
    // next start. Every closed file is gzipped except, possibly, the newest.
    let listing = files::list(&data.join("audit.jsonl")).unwrap();
    let gz = listing.rotated.iter().filter(|f| f.name.gzip).count();
    assert!(gz >= 4 && gz + 1 >= listing.rotated.len(), "{listing:?}");
    let (code, out, err) = verify(&[&data]);
    assert_eq!(code, 0, "{err}");
    // A decision and an outcome record for each forwarded request, and definitions.
    let total = 120 + definitions(&data);
    assert!(
        out.starts_with(&format!("ok: {total} records in ")),
        "{out}"
    );
    let recs = records(&data);
    let logged: Vec<&str> = recs
        .iter()
        .filter(|r| r["phase"] == "decision")
        .map(|r| r["request_id"].as_str().unwrap())
        .collect();
    assert_eq!(logged, ids, "every request, in order, across the restart");
}

/// A request that never panics: the status and request id, or `None` when the connection failed.
async fn try_post(
    client: &hyper_util::client::legacy::Client<
        hyper_util::client::legacy::connect::HttpConnector,
        Full<Bytes>,
    >,
    url: &str,
    body: &Value,
) -> Option<(u16, Option<String>)> {
    let req = http::Request::post(url)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body.to_string())))
        .ok()?;
    let resp = tokio::time::timeout(Duration::from_secs(10), client.request(req))
        .await
        .ok()?
        .ok()?;
    let status = resp.status().as_u16();
    let id = resp
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    // The response reached the client only once its body is read.
    tokio::time::timeout(Duration::from_secs(10), resp.into_body().collect())
        .await
        .ok()?
        .ok()?;
    Some((status, id))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_requests_survive_sigkill_and_a_torn_line_is_cut_and_kept() {
    let collector = Collector::start().await;
    let dir = tempfile::tempdir().unwrap();
    config_file(
        dir.path(),
        &collector.url(),
        "  sync: always\n  rotate_bytes: 16KiB\n  gzip: true\n",
    );
    let data = dir.path().join("privgate-data");
    let mut proxy = ProxyProcess::start(dir.path(), &["--config", "privgate.yaml"], &[]);
    let url = proxy.url("/api/track");
    let answered: Arc<Mutex<Vec<(u16, String)>>> = Arc::default();
    let sent = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    const CLIENTS: usize = 8;
    const MAX_REQUESTS: usize = 600;
    let mut clients = Vec::new();
    for c in 0..CLIENTS {
        let (answered, sent, stop, url) =
            (answered.clone(), sent.clone(), stop.clone(), url.clone());
        clients.push(tokio::spawn(async move {
            let client = crate::support::client();
            while !stop.load(Ordering::SeqCst) {
                let n = sent.fetch_add(1, Ordering::SeqCst);
                if n >= MAX_REQUESTS {
                    break;
                }
                match try_post(&client, &url, &track(c * 1000 + n)).await {
                    Some((status, Some(id))) => answered.lock().unwrap().push((status, id)),
                    Some((_, None)) => panic!("every answer carries x-request-id"),
                    None => break,
                }
            }
        }));
    }
    // Kill in the middle of the load: after 200 answers, with 8 clients still sending.
    let started = Instant::now();
    while answered.lock().unwrap().len() < 200 && started.elapsed() < Duration::from_secs(60) {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    assert!(
        sent.load(Ordering::SeqCst) < MAX_REQUESTS,
        "the load was still running at the kill"
    );
    proxy.child.kill().unwrap(); // SIGKILL
    proxy.child.wait().unwrap();
    stop.store(true, Ordering::SeqCst);
    for c in clients {
        tokio::time::timeout(Duration::from_secs(30), c)
            .await
            .expect("clients stop after the kill")
            .unwrap();
    }
    drop(proxy);
    let answered = answered.lock().unwrap().clone();
    assert!(answered.len() >= 200, "{}", answered.len());
    assert!(answered.iter().all(|(s, _)| *s == 200));

    // A power cut can leave a partial line behind. SIGKILL can too, but only when it lands in
    // a group write that spans pages (the kernel stops a write between pages once a fatal
    // signal is pending), so when this kill did not, make one.
    let active = data.join("audit.jsonl");
    let planted = b"{\"seq\":999999,\"time\":\"2026-11-29T06:";
    // (The kill may even fall between a rotation's rename and the new file's creation.)
    let bytes = std::fs::read(&active).unwrap_or_default();
    if bytes.last().is_some_and(|b| *b == b'\n') || bytes.is_empty() {
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(&active)
            .unwrap();
        f.write_all(planted).unwrap();
    }
    // Whoever tore it, the torn line is what follows the last newline.
    let bytes = std::fs::read(&active).unwrap();
    let torn = bytes[bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1)..].to_vec();
    assert!(!torn.is_empty());
    let n = lines_of(&active).len();
    let (code, _, err) = verify(&[&data]);
    assert_eq!(code, 1, "a torn line fails verify");
    assert!(
        err.contains(&format!("audit.jsonl:{n}: incomplete last line")),
        "{err}"
    );

    // Restart: the torn line is cut off and kept; the chain goes on.
    let proxy = ProxyProcess::start(dir.path(), &["--config", "privgate.yaml"], &[]);
    let log = proxy.log();
    assert!(
        log.contains("Cut off a torn last audit line"),
        "the cut is logged:\n{log}"
    );
    let copies: Vec<PathBuf> = audit_files(&data)
        .into_iter()
        .filter(|p| files::is_torn_copy(&name(p)))
        .collect();
    assert_eq!(copies.len(), 1, "{copies:?}");
    assert_eq!(
        std::fs::read(&copies[0]).unwrap(),
        torn,
        "the copy keeps exactly the torn bytes"
    );
    let after = post_json(&proxy.url("/api/track"), &track(9999)).await;
    assert_eq!(after.status, 200);
    let (code, log) = proxy.terminate();
    assert_eq!(code, 0, "{log}");

    let (code, out, err) = verify(&[&data]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("from genesis"), "{out}");
    assert!(
        err.contains("torn last line kept after a crash"),
        "the copy is named and skipped: {err}"
    );
    let logged: HashSet<String> = records(&data)
        .iter()
        .map(|r| r["request_id"].as_str().unwrap().to_owned())
        .collect();
    let missing: Vec<&String> = answered
        .iter()
        .map(|(_, id)| id)
        .filter(|id| !logged.contains(*id))
        .collect();
    assert!(
        missing.is_empty(),
        "answered requests without a record: {missing:?}"
    );
    eprintln!(
        "crash test: {} requests started, {} answered before SIGKILL, {} records after restart",
        sent.load(Ordering::SeqCst).min(MAX_REQUESTS),
        answered.len(),
        logged.len()
    );
    assert!(logged.contains(after.headers["x-request-id"].to_str().unwrap()));
}

#[tokio::test]
async fn a_log_that_cannot_be_written_stops_forwarding_and_readiness() {
    if !Path::new("/dev/full").exists() {
        eprintln!("SKIP: /dev/full is not available on this system");
        return;
    }
    let collector = Collector::start().await;
    let proxy = Proxy::start_with(&collector.url(), &["gdpr"], |c| {
        c.audit_path = PathBuf::from("/dev/full");
    })
    .await;
    for n in 0..3 {
        let reply = post_json(&proxy.url("/api/track"), &track(n)).await;
        assert_eq!(reply.status, 503, "{}", reply.text());
        assert_eq!(reply.headers["retry-after"], "1");
        assert_eq!(reply.json()["error"], "the audit log cannot be written");
    }
    let ready = send("GET", &proxy.admin_url("/readyz"), &[], "").await;
    assert_eq!(ready.status, 503);
    assert_eq!(ready.text(), "audit log failing\n");
    // Every request was refused before anything left: the decision record, written before
    // forwarding, could not be written.
    assert_eq!(collector.received().len(), 0);
    proxy.stop().await;
}

/// True when `prlimit` (util-linux) is missing; the test that asks then skips, and says so.
fn prlimit_missing() -> bool {
    let missing = std::process::Command::new("prlimit")
        .arg("--version")
        .output()
        .is_err();
    if missing {
        eprintln!("SKIP: `prlimit` (util-linux) is not installed");
    }
    missing
}

/// Sets a process's soft RLIMIT_FSIZE (the hard limit stays, so no privilege is needed to
/// raise it again); false when that fails.
fn prlimit(pid: u32, fsize: &str) -> bool {
    std::process::Command::new("prlimit")
        .args(["--pid", &pid.to_string(), &format!("--fsize={fsize}:")])
        .status()
        .is_ok_and(|s| s.success())
}

#[tokio::test]
async fn a_write_failure_mid_run_answers_503_fails_readiness_and_recovers() {
    // The /dev/full test covers a failing log where prlimit is missing.
    if prlimit_missing() {
        return;
    }
    let collector = Collector::start().await;
    let dir = tempfile::tempdir().unwrap();
    // privgate ignores SIGXFSZ itself: a write past RLIMIT_FSIZE fails with EFBIG instead of
    // ending the process.
    let proxy = ProxyProcess::start(dir.path(), &["--upstream", &collector.url()], &[]);
    let pid = proxy.child.id();
    for n in 0..30 {
        assert_eq!(
            post_json(&proxy.url("/api/track"), &track(n)).await.status,
            200
        );
    }
    let audit = dir.path().join("privgate-data/audit.jsonl");
    // The last outcome record is written just after its answer: wait for it.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while crate::support::audit_records(&audit).len() < 60 {
        assert!(std::time::Instant::now() < deadline, "60 records written");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let size = std::fs::metadata(&audit).unwrap().len();
    assert!(
        prlimit(pid, &(size + 16).to_string()),
        "prlimit --pid works"
    );

    // The request that meets the failure cannot write its decision record, so it is not
    // forwarded: 503, and its record is in the process log.
    let first = post_json(&proxy.url("/api/track"), &track(100)).await;
    assert_eq!(first.status, 503, "{}", first.text());
    let first_id = first.headers["x-request-id"].to_str().unwrap().to_owned();
    assert_eq!(collector.received().len(), 30);
    // From then on nothing is forwarded.
    let second = post_json(&proxy.url("/api/track"), &track(101)).await;
    assert_eq!(second.status, 503);
    assert_eq!(collector.received().len(), 30);
    let ready = send("GET", &format!("http://{}/readyz", proxy.admin), &[], "").await;
    assert_eq!(ready.status, 503);
    assert_eq!(
        std::fs::metadata(&audit).unwrap().len(),
        size,
        "partial writes are cut off"
    );

    // Space again: the readiness probe notices, and traffic flows.
    assert!(prlimit(pid, "unlimited"));
    let ready = send("GET", &format!("http://{}/readyz", proxy.admin), &[], "").await;
    assert_eq!(ready.status, 200, "{}", ready.text());
    let third = post_json(&proxy.url("/api/track"), &track(102)).await;
    assert_eq!(third.status, 200);
    assert_eq!(collector.received().len(), 31);
    let (code, log) = proxy.terminate();
    assert_eq!(code, 0, "{log}");
    assert!(
        log.contains("Audit record not written; answering 503")
            && log.contains("record={\"time\":")
            && log.contains(&format!(
                "\"request_id\":\"{first_id}\",\"route\":\"/api/track\""
            )),
        "the unwritten record is in the process log:\n{log}"
    );
    let (code, out, err) = verify(&[&dir.path().join("privgate-data")]);
    assert_eq!(code, 0, "{err}");
    // Two records (decision, outcome) for each of the 31 forwarded requests, and definitions.
    let total = 62 + definitions(&dir.path().join("privgate-data"));
    assert!(out.starts_with(&format!("ok: {total} records")), "{out}");
}

/// An outcome record is written after its request's answer. If it cannot be written, the
/// client still hears the collector's answer (its events are there: a 503 would only make it
/// send them again), the record is in the process log, and the requests after it are refused.
#[tokio::test]
async fn an_outcome_record_that_cannot_be_written_goes_to_the_process_log_and_stops_forwarding() {
    if prlimit_missing() {
        return;
    }
    let collector = Collector::start().await;
    let dir = tempfile::tempdir().unwrap();
    let proxy = ProxyProcess::start(dir.path(), &["--upstream", &collector.url()], &[]);
    let audit = dir.path().join("privgate-data/audit.jsonl");
    // The size limit below holds for every file the process writes, its log included: enough
    // records that the log stays well below it.
    for n in 0..20 {
        let reply = post_json(&proxy.url("/api/track"), &track(n)).await;
        assert_eq!(reply.status, 200);
    }

    // The next request waits at the collector, its decision record durable; meanwhile the
    // log runs out of space.
    collector.set(Behaviour::Delay(Duration::from_millis(600)));
    let url = proxy.url("/api/track");
    let slow = tokio::spawn(async move { post_json(&url, &track(20)).await });
    let deadline = Instant::now() + Duration::from_secs(10);
    while collector.received().len() < 21 {
        assert!(
            Instant::now() < deadline,
            "the request reaches the collector"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let records = crate::support::audit_records(&audit);
    assert_eq!(records.len(), 41, "{records:?}");
    assert_eq!(records[40]["phase"], "decision");
    let size = std::fs::metadata(&audit).unwrap().len();
    assert!(prlimit(proxy.child.id(), &size.to_string()));

    let slow = slow.await.unwrap();
    assert_eq!(slow.status, 200, "the collector's answer: {}", slow.text());
    // The writer fails the outcome record just after the answer; the metric counts it.
    let metrics = format!("http://{}/metrics", proxy.admin);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let text = send("GET", &metrics, &[], "").await.text();
        if text.contains("privgate_audit_write_errors_total 1\n") {
            break;
        }
        assert!(Instant::now() < deadline, "the failure is counted:\n{text}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    collector.set(Behaviour::Ok);
    let next = post_json(&proxy.url("/api/track"), &track(21)).await;
    assert_eq!(next.status, 503, "{}", next.text());
    assert_eq!(
        collector.received().len(),
        21,
        "nothing forwarded after the failure"
    );
    assert_eq!(std::fs::metadata(&audit).unwrap().len(), size);

    assert!(prlimit(proxy.child.id(), "unlimited"));
    let (code, log) = proxy.terminate();
    assert_eq!(code, 0, "{log}");
    let decision_seq = records[40]["seq"].as_u64().unwrap();
    assert!(
        log.contains("Audit outcome record not written; it is in this log line.")
            && log.contains(&format!(
                "record={{\"of\":{decision_seq},\"outcome\":\"forwarded\""
            )),
        "the unwritten outcome record is in the process log:\n{log}"
    );
    // The log still verifies; the request shows as interrupted (its decision, no outcome).
    let (code, out, err) = verify(&[&dir.path().join("privgate-data")]);
    assert_eq!(code, 0, "{out}{err}");
    let summary = summary_json(&audit);
    let outcomes = &summary["buckets"][0]["outcomes"];
    assert_eq!(
        (&outcomes["forwarded"], &outcomes["interrupted"]),
        (&json!(20), &json!(1)),
        "{summary}"
    );
}

/// A test policy with consent, a drop rule and a detector.
const SUMMARY_POLICY: &str = r#"
policy: shop
consent:
  opt_out_when: [gpc]
  on_opt_out: drop
rules:
  - id: no-test-orders
    when: { event: { matches: "(?i)^test order" } }
    action: drop_event
  - id: order-notes
    fields: [properties.note]
    action: { replace: "[note]" }
"#;

#[tokio::test]
async fn summary_counts_by_outcome_rule_version_signal_and_error() {
    let collector = Collector::start().await;
    let proxy = Proxy::start(&collector.url(), &["gdpr", SUMMARY_POLICY]).await;
    for n in 0..3 {
        assert_eq!(
            post_json(&proxy.url("/api/track"), &track(n)).await.status,
            200
        );
    }
    for n in 0..2 {
        let r = send(
            "POST",
            &proxy.url("/api/track"),
            &[("content-type", "application/json"), ("sec-gpc", "1")],
            track(10 + n).to_string(),
        )
        .await;
        assert_eq!(r.status, 200);
    }
    let diag = json!({"app_id": "11", "events": [
        {"identity": "a", "event": "Test order placed"}, {"identity": "a", "event": "Test order paid"}]});
    assert_eq!(post_json(&proxy.url("/api/track"), &diag).await.status, 200);
    let bad = send(
        "POST",
        &proxy.url("/api/track"),
        &[("content-type", "application/json")],
        "{\"app_id\":",
    )
    .await;
    assert_eq!(bad.status, 400);
    assert_eq!(
        send("POST", &proxy.url("/nope"), &[], "{}").await.status,
        404
    );
    let recs = proxy.audit().await;
    // Forwarded, dropped and rejected alike: no request still counts as on its way to the
    // writer once its record is queued (one that did would make every group commit wait).
    let audit = &proxy.server.as_ref().unwrap().state.audit;
    assert_eq!(audit.requests_on_their_way(), 0);
    let sha = |name: &str| {
        recs[0]["policies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap()["sha256"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (gdpr, shop) = (sha("gdpr"), sha("shop"));
    let log = proxy.audit_path.display().to_string();

    let s = summary_json(&proxy.audit_path);
    assert_eq!(s["integrity"]["ok"], true, "{s}");
    assert_eq!(s["requests"], 8);
    assert_eq!(
        s["outcomes"],
        json!({"forwarded": 3, "dropped": 3, "rejected": 2, "upstream_error": 0, "shadow": 0, "interrupted": 0})
    );
    assert_eq!(s["events_in"], 3 + 2 + 2);
    assert_eq!(s["events_out"], 3);
    assert_eq!(s["events_dropped"], 4);
    let versions: Vec<(String, String, u64)> = s["policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_owned(),
                p["sha256"].as_str().unwrap().to_owned(),
                p["requests"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        versions,
        vec![
            ("gdpr".into(), gdpr.clone(), 8),
            ("shop".into(), shop.clone(), 8)
        ]
    );
    let change = |rule: &str| {
        s["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["rule"] == rule)
            .cloned()
            .unwrap_or_else(|| panic!("no change row for {rule}: {s}"))
    };
    let hashed = change("pseudonymise-identity");
    // Changes are counted for the events that were forwarded: a dropped event's changes
    // never left privgate.
    assert_eq!(
        (
            hashed["sha256"].as_str().unwrap(),
            hashed["changes"].as_u64()
        ),
        (gdpr.as_str(), Some(3))
    );
    assert_eq!(hashed["action"], "hash");
    let phones = change("pii-in-values");
    assert_eq!(phones["sha256"], gdpr.as_str());
    assert_eq!(phones["detector"], "phone");
    let notes = change("order-notes");
    assert_eq!(notes["sha256"], shop.as_str());
    assert_eq!(
        (notes["action"].as_str(), notes["detector"].as_str()),
        (Some("replace"), None)
    );
    assert_eq!(
        s["dropped"],
        json!([
            // gdpr runs first and honours GPC itself; the shop policy never sees those events.
            {"policy": "gdpr", "sha256": gdpr, "rule": "consent", "shadow": false, "events": 2},
            {"policy": "shop", "sha256": shop, "rule": "no-test-orders", "shadow": false, "events": 2}
        ])
    );
    assert_eq!(
        s["opt_outs"],
        json!([{"signal": "gpc", "requests": 2, "events": 2}])
    );
    assert_eq!(
        s["errors"],
        json!([
            {"outcome": "rejected", "code": "malformed_json", "requests": 1},
            {"outcome": "rejected", "code": "not_found", "requests": 1}
        ])
    );
    assert_eq!(s["bucket"], "hour");
    let buckets = s["buckets"].as_array().unwrap();
    assert!(!buckets.is_empty() && buckets.len() <= 2, "{buckets:?}");
    let total: u64 = buckets
        .iter()
        .flat_map(|b| b["outcomes"].as_object().unwrap().values())
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(total, 8);

    // The period filters.
    let (code, out, _) = run(
        &[
            "audit",
            "summary",
            &log,
            "--format",
            "json",
            "--since",
            "2999-01-01",
        ],
        None,
    );
    assert_eq!(code, 0);
    let s: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(s["requests"], 0);
    assert_eq!(s["since"], "2999-01-01T00:00:00Z");
    let (code, _, err) = run(&["audit", "summary", &log, "--since", "someday"], None);
    assert_eq!(code, 2);
    assert!(err.contains("--since: `someday` is not a time"), "{err}");

    // Text for people.
    let (code, text, _) = run(&["audit", "summary", &log], None);
    assert_eq!(code, 0);
    // 8 requests, three of them forwarded (two records each), and the definitions.
    let integrity = format!(
        "integrity:  ok: {} records in 1 file",
        11 + definitions(proxy.dir.path())
    );
    for expected in [
        "privgate audit summary",
        &integrity,
        "Requests by outcome",
        "Top dropped rules",
        "no-test-orders",
        &gdpr[..12],
        "Opt-outs by consent signal",
        "malformed_json",
    ] {
        assert!(text.contains(expected), "`{expected}` in:\n{text}");
    }

    // HTML: one file, nothing loaded from anywhere.
    let (code, html, _) = run(&["audit", "summary", &log, "--format", "html"], None);
    assert_eq!(code, 0);
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.contains("Content-Security-Policy"));
    assert_eq!(html.matches("<svg").count(), 2, "two charts");
    for banned in ["<script", "http://", "https://", "src=", "@import", "url("] {
        assert!(!html.contains(banned), "`{banned}` in the page");
    }
    assert!(html.contains(&gdpr[..12]) && html.contains("Policy versions"));
    proxy.stop().await;
}

#[tokio::test]
async fn a_broken_chain_is_shown_in_the_summary() {
    let proxy = rotated_log().await;
    let dir = copy_log(proxy.dir.path());
    let active = dir.path().join("audit.jsonl");
    let mut lines = lines_of(&active);
    lines.remove(0);
    write_lines(&active, &lines);
    let (code, text, err) = run(
        &["audit", "summary", &dir.path().display().to_string()],
        None,
    );
    assert_eq!(code, 0);
    assert!(text.contains("integrity:  BROKEN: "), "{text}");
    assert!(err.contains("warning: the hash chain is broken"), "{err}");
    let (_, html, _) = run(
        &[
            "audit",
            "summary",
            &dir.path().display().to_string(),
            "--format",
            "html",
        ],
        None,
    );
    assert!(html.contains("Hash chain broken"));
    proxy.stop().await;
}

#[test]
fn audit_settings_are_read_strictly() {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/privgate.yaml"
    ));
    let config = privgate::config::Config::load(path).unwrap();
    assert_eq!(
        config.audit_rotation,
        Rotation {
            max_bytes: Some(64 * 1024 * 1024),
            daily: true,
            keep_files: None,
            keep_days: Some(2192),
            gzip: true,
        }
    );
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("c.yaml");
    std::fs::write(
        &bad,
        "audit:\n  rotate_bytes: 64MB\n  keep_days: 0\n  batch_ms: 5\n  gzip: yes please\n  rotate_dayly: true\n",
    )
    .unwrap();
    let err = privgate::config::Config::load(&bad)
        .unwrap_err()
        .to_string();
    for expected in [
        ":2:17: error: `rotate_bytes` must be a size",
        ":3:14: error: `audit.keep_days` must be at least 1",
        ":4:3: error: `audit.batch_ms` applies only with `sync: batch`",
        ":5:9: error: `gzip` must be true or false",
        ":6:3: error: unknown key `rotate_dayly` in `audit`",
        "did you mean `rotate_daily`?",
    ] {
        assert!(err.contains(expected), "`{expected}` in:\n{err}");
    }
    std::fs::write(&bad, "audit:\n  keep_files: 10\n").unwrap();
    let err = privgate::config::Config::load(&bad)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            ":2:3: error: `audit.keep_files` applies to rotated files, but rotation is off"
        ),
        "{err}"
    );
    std::fs::write(
        &bad,
        "audit:\n  sync: batch\n  batch_ms: 20\n  rotate_daily: true\n  keep_files: 30\n",
    )
    .unwrap();
    let config = privgate::config::Config::load(&bad).unwrap();
    assert_eq!(config.audit_sync, SyncMode::Batch(20));
    assert_eq!(config.audit_rotation.keep_files, Some(30));
}

/// A log with requests spread over six hours, every outcome, changes and drops.
async fn varied_log(path: &Path) {
    let (log, _, writer) = AuditLog::open(path, SyncMode::None).unwrap();
    let versions = vec![PolicyVersion {
        name: "gdpr".into(),
        sha256: "4f1c9a0e2b7d5c8e1a3f6b9d0c2e4a6b8d0f1e3c5a7b9d1f3e5a7c9b1d3f5e7a".into(),
    }];
    let mut n = 0u64;
    for hour in 0..6u64 {
        for i in 0..(10 + hour * 6) {
            n += 1;
            let mut r = Record::new(format!("r{n}"), versions.clone());
            r.time = format!("2026-11-29T{:02}:{:02}:00.000Z", 6 + hour, i % 60);
            r.route = "/api/track".into();
            r.status = 200;
            r.events_in = 1;
            r.outcome = match i % 7 {
                0 => Outcome::Rejected,
                1 | 2 => Outcome::Dropped,
                3 if hour % 2 == 0 => Outcome::UpstreamError,
                _ => Outcome::Forwarded,
            };
            match r.outcome {
                Outcome::Forwarded => {
                    r.events_out = 1;
                    r.changes.push(ChangeRecord {
                        policy: "gdpr".into(),
                        rule: if i % 2 == 0 {
                            "pseudonymise-identity"
                        } else {
                            "ip-minimise"
                        }
                        .into(),
                        action: if i % 2 == 0 { "hash" } else { "truncate_ip" },
                        path: "events[0].identity".into(),
                        detector: None,
                        evidence: None,
                        count: 1,
                        shadow: false,
                    });
                }
                Outcome::Dropped => r.dropped.push(DropRecord {
                    event_index: 0,
                    policy: "gdpr".into(),
                    rule: "special-categories".into(),
                    signal: None,
                    shadow: false,
                }),
                Outcome::Rejected => {
                    r.status = 400;
                    r.error = Some("malformed_json");
                }
                Outcome::UpstreamError => {
                    // As real records say: the event was sent, the collector failed.
                    r.events_out = 1;
                    r.status = 502;
                    r.error = Some("upstream_unreachable");
                }
                Outcome::Shadow | Outcome::Interrupted | Outcome::Admin => {}
            }
            log.write(&r).await.unwrap();
        }
    }
    log.close().await;
    drop(log);
    tokio::task::spawn_blocking(move || writer.join().unwrap())
        .await
        .unwrap();
}

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// Decodes an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes) into RGB pixels.
fn decode_png(bytes: &[u8]) -> (usize, usize, Vec<[u8; 3]>) {
    use std::io::Read;
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    let (mut width, mut height, mut channels) = (0usize, 0usize, 0usize);
    let mut idat = Vec::new();
    let mut at = 8;
    while at + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        let kind = &bytes[at + 4..at + 8];
        let data = &bytes[at + 8..at + 8 + len];
        match kind {
            b"IHDR" => {
                width = u32::from_be_bytes(data[0..4].try_into().unwrap()) as usize;
                height = u32::from_be_bytes(data[4..8].try_into().unwrap()) as usize;
                assert_eq!(data[8], 8, "8-bit");
                channels = match data[9] {
                    2 => 3,
                    6 => 4,
                    other => panic!("colour type {other}"),
                };
                assert_eq!(data[12], 0, "not interlaced");
            }
            b"IDAT" => idat.extend_from_slice(data),
            b"IEND" => break,
            _ => {}
        }
        at += 12 + len;
    }
    let mut raw = Vec::new();
    flate2::read::ZlibDecoder::new(&idat[..])
        .read_to_end(&mut raw)
        .unwrap();
    let stride = width * channels;
    let mut prior = vec![0u8; stride];
    let mut pixels = Vec::with_capacity(width * height);
    for row in 0..height {
        let start = row * (stride + 1);
        let filter = raw[start];
        let mut line = raw[start + 1..start + 1 + stride].to_vec();
        for i in 0..stride {
            let a = if i >= channels {
                line[i - channels] as i32
            } else {
                0
            };
            let b = prior[i] as i32;
            let c = if i >= channels {
                prior[i - channels] as i32
            } else {
                0
            };
            let add = match filter {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                4 => {
                    let p = a + b - c;
                    let (pa, pb, pc) = ((p - a).abs(), (p - b).abs(), (p - c).abs());
                    if pa <= pb && pa <= pc {
                        a
                    } else if pb <= pc {
                        b
                    } else {
                        c
                    }
                }
                other => panic!("filter {other}"),
            };
            line[i] = (line[i] as i32 + add) as u8;
        }
        for px in line.chunks(channels) {
            pixels.push([px[0], px[1], px[2]]);
        }
        prior = line;
    }
    (width, height, pixels)
}

fn count_color(pixels: &[[u8; 3]], hex: &str) -> usize {
    let want = [
        u8::from_str_radix(&hex[1..3], 16).unwrap(),
        u8::from_str_radix(&hex[3..5], 16).unwrap(),
        u8::from_str_radix(&hex[5..7], 16).unwrap(),
    ];
    pixels
        .iter()
        .filter(|p| p.iter().zip(want).all(|(a, b)| a.abs_diff(b) <= 3))
        .count()
}

#[tokio::test]
async fn the_html_summary_renders_its_charts_in_headless_chromium() {
    let Some(browser) = chromium() else {
        let reason = "SKIP: no chromium on PATH (Debian: apt-get install -y chromium); the HTML \
                      summary was not rendered";
        if std::env::var_os("PRIVGATE_REQUIRE_CHROMIUM").is_some() {
            panic!("PRIVGATE_REQUIRE_CHROMIUM is set: {reason}");
        }
        eprintln!("{reason}");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.jsonl");
    varied_log(&log).await;
    let (code, html, err) = run(
        &[
            "audit",
            "summary",
            &log.display().to_string(),
            "--format",
            "html",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let page = dir.path().join("summary.html");
    std::fs::write(&page, &html).unwrap();
    let shot = dir.path().join("summary.png");
    let mut child = std::process::Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ))
        .arg(format!("--screenshot={}", shot.display()))
        .arg("--window-size=1280,2000")
        .arg(format!("file://{}", page.display()))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("chromium starts");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within 90 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let png = std::fs::read(&shot).expect("chromium wrote a screenshot");
    if let Some(keep) = std::env::var_os("PRIVGATE_KEEP_SCREENSHOT") {
        std::fs::write(&keep, &png).unwrap();
        std::fs::write(PathBuf::from(&keep).with_extension("html"), &html).unwrap();
    }
    let (width, height, pixels) = decode_png(&png);
    assert_eq!((width, height), (1280, 2000));
    let bars = |hex| count_color(&pixels, hex);
    let forwarded = bars(privgate::audit::html::outcome_color(Outcome::Forwarded));
    let dropped = bars(privgate::audit::html::outcome_color(Outcome::Dropped));
    let rejected = bars(privgate::audit::html::outcome_color(Outcome::Rejected));
    let upstream = bars(privgate::audit::html::outcome_color(Outcome::UpstreamError));
    let changes = bars(privgate::audit::html::CHANGES_COLOR);
    eprintln!(
        "chart pixels: forwarded {forwarded}, dropped {dropped}, rejected {rejected}, \
         upstream_error {upstream}, changes {changes}"
    );
    // Six stacked bars and the top-rules bars, not just the legend squares (~100 px each).
    assert!(forwarded > 10_000, "forwarded bars drawn: {forwarded}");
    assert!(dropped > 4_000, "dropped bars drawn: {dropped}");
    assert!(rejected > 2_000, "rejected bars drawn: {rejected}");
    assert!(upstream > 300, "upstream_error bars drawn: {upstream}");
    assert!(changes > 5_000, "top-rules bars drawn: {changes}");
}

#[tokio::test]
async fn every_sync_mode_answers_and_keeps_the_chain() {
    let collector = Collector::start().await;
    for sync in [SyncMode::Always, SyncMode::Batch(5), SyncMode::None] {
        let proxy = Proxy::start_with(&collector.url(), &["gdpr"], |c| c.audit_sync = sync).await;
        for n in 0..20 {
            assert_eq!(
                post_json(&proxy.url("/api/track"), &track(n)).await.status,
                200
            );
            if n % 5 == 0 {
                // Long enough for a batch timer to fire between records.
                tokio::time::sleep(Duration::from_millis(12)).await;
            }
        }
        // The last request's outcome record is written after its answer.
        proxy.settle_audit().await;
        let log = proxy.audit_path.clone();
        let server = proxy.server.as_ref().unwrap();
        assert!(server.state.audit.health().is_healthy(), "{sync:?}");
        let syncs = server.state.audit.health().syncs();
        match sync {
            SyncMode::Always => assert!(syncs >= 20, "{syncs}"),
            SyncMode::Batch(_) => assert!(
                (1..40).contains(&syncs),
                "fewer syncs than the 40 records: {syncs}"
            ),
            SyncMode::None => assert_eq!(syncs, 0),
        }
        let (code, out, err) = verify(&[&log]);
        assert_eq!(code, 0, "{sync:?}: {err}");
        // A decision and an outcome record for each of the 20 forwarded requests, and the
        // definitions of the policy set and of what gdpr did.
        assert!(out.starts_with("ok: 42 records"), "{out}");
        proxy.stop().await;
    }
}

#[test]
fn a_hostile_log_is_reported_not_obeyed() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.jsonl");
    let max = u64::MAX;
    let lines = [
        format!(
            r#"{{"seq":{max},"time":"0001-01-01T00:00:00Z","route":"/api/track","outcome":"forwarded","status":200,"events_in":{max},"events_out":{max},"policies":[{{"name":"<script>alert(1)</script>","sha256":"\u001b[31m"}}],"changes":[{{"policy":"<script>alert(1)</script>","rule":"<img src=x>","action":"mask","path":"p","count":{max}}}],"prev":"x"}}"#
        ),
        format!(
            r#"{{"seq":0,"time":"9999-12-31T23:59:59Z","route":"\u001b]0;title\u0007","outcome":"rejected","status":400,"events_in":{max},"events_out":0,"policies":[],"error":"</td><script>","prev":"y"}}"#
        ),
        "not json at all".to_owned(),
        r#"{"seq":3,"time":"yesterday","outcome":"nonsense","prev":"z"}"#.to_owned(),
    ];
    std::fs::write(&log, lines.join("\n") + "\n").unwrap();
    let (code, _, err) = verify(&[&log]);
    assert_eq!(code, 1);
    // The first definite break; nothing before it is vouched for (the start is not genesis).
    assert!(err.contains("audit.jsonl:2: seq 0 where"), "{err}");
    assert!(
        err.contains("no part of the chain before this line is vouched for"),
        "{err}"
    );
    for format in ["text", "json", "html"] {
        let (code, out, err) = run(
            &[
                "audit",
                "summary",
                &log.display().to_string(),
                "--format",
                format,
            ],
            None,
        );
        assert_eq!(code, 0, "{format}: {err}");
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{7}'),
            "{format}: control characters pass through"
        );
        if format == "html" {
            assert!(!out.contains("<script") && !out.contains("<img"), "{out}");
            assert!(out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        }
    }
}

#[tokio::test]
async fn events_of_upstream_errors_are_not_counted_as_forwarded() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.jsonl");
    varied_log(&log).await;
    let s = summary_json(&log);
    assert!(s["outcomes"]["upstream_error"].as_u64().unwrap() > 0, "{s}");
    // One event per forwarded request in this log; upstream errors sent theirs but the
    // collector did not take them.
    assert_eq!(s["events_out"], s["outcomes"]["forwarded"], "{s}");
}

#[tokio::test]
async fn a_subject_change_is_not_made_when_its_audit_record_cannot_be_written() {
    if prlimit_missing() {
        return;
    }
    let collector = Collector::start().await;
    let dir = tempfile::tempdir().unwrap();
    let token = "admin-token-for-tests-0123456789";
    let proxy = ProxyProcess::start(
        dir.path(),
        &["--upstream", &collector.url()],
        &[("PRIVGATE_ADMIN_TOKEN", token)],
    );
    let admin = |path: &str| format!("http://{}{path}", proxy.admin);
    let auth = format!("Bearer {token}");
    let headers = [
        ("authorization", auth.as_str()),
        ("content-type", "application/json"),
    ];
    let opt_out = |who: &'static str| {
        let (url, auth) = (admin("/v1/subjects/opt-out"), auth.clone());
        async move {
            send(
                "POST",
                &url,
                &[
                    ("authorization", auth.as_str()),
                    ("content-type", "application/json"),
                ],
                format!(r#"{{"identity":"{who}","reason":"gdpr_art21"}}"#),
            )
            .await
        }
    };
    assert_eq!(opt_out("first@example.com").await.status, 200);
    // The file-size limit applies to the process log (a file here) too: let the audit log be
    // the larger one, so that only it meets the limit.
    for n in 0..30 {
        assert_eq!(
            post_json(&proxy.url("/api/track"), &track(n)).await.status,
            200
        );
    }
    let audit = dir.path().join("privgate-data/audit.jsonl");
    let registry = dir.path().join("privgate-data/subjects.jsonl");
    let size = std::fs::metadata(&audit).unwrap().len();
    let registry_before = std::fs::read_to_string(&registry).unwrap();
    assert!(prlimit(proxy.child.id(), &(size + 16).to_string()));

    let refused = opt_out("second@example.com").await;
    assert_eq!(refused.status, 503, "{}", refused.text());
    assert_eq!(std::fs::read_to_string(&registry).unwrap(), registry_before);
    let status = send(
        "GET",
        &admin("/v1/subjects/status?identity=second@example.com"),
        &headers,
        "",
    )
    .await;
    assert_eq!(status.json()["opted_out"], false, "{}", status.text());

    // With the log writable again, the change is recorded, then made.
    assert!(prlimit(proxy.child.id(), "unlimited"));
    let ready = send("GET", &admin("/readyz"), &[], "").await;
    assert_eq!(ready.status, 200, "{}", ready.text());
    assert_eq!(opt_out("second@example.com").await.status, 200);
    let records = crate::support::read_jsonl(&audit);
    assert_eq!(
        records.iter().filter(|r| r["outcome"] == "admin").count(),
        2
    );
}

/// A log in the form written before decision and outcome records (one record per request;
/// `tests/fixtures/audit-v1`, written by the earlier release) still verifies and summarises.
#[test]
fn logs_of_the_one_record_form_still_verify_and_summarise() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audit-v1/audit.jsonl");
    let (code, out, err) = verify(&[&fixture]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("ok: 7 records"), "{out}");
    assert!(!out.contains("without an outcome"), "{out}");
    let s = summary_json(&fixture);
    assert_eq!(s["requests"], 7);
    assert_eq!(s["outcomes"]["forwarded"], 5);
    assert_eq!(s["outcomes"]["dropped"], 1);
    assert_eq!(s["outcomes"]["rejected"], 1);
    assert_eq!(s["outcomes"]["interrupted"], 0);
}

/// Writes `n` forwarded requests as decision + outcome, then `open` decisions whose outcome
/// never came (a crash while forwarding).
async fn decided_log(path: &Path, n: usize, open: usize) {
    let (log, _, writer) = AuditLog::open(path, SyncMode::None).unwrap();
    for i in 0..n + open {
        let mut r = Record::new(format!("req-{i}"), Vec::new());
        r.route = "/api/track".into();
        r.events_in = 1;
        r.events_out = 1;
        r.decision_seq = Some(log.write_decision(&r, None).await.unwrap());
        if i < n {
            r.outcome = Outcome::Forwarded;
            r.status = 200;
            r.upstream_status = Some(200);
            log.write_outcome(&r).await.unwrap();
        }
    }
    log.close().await;
    writer.join().unwrap();
}

#[tokio::test]
async fn decisions_without_an_outcome_are_reported_as_interrupted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    decided_log(&path, 5, 23).await;
    let lines = records(dir.path());
    assert_eq!(lines.len(), 5 * 2 + 23);
    assert_eq!(lines[0]["phase"], "decision");
    assert!(lines[0].get("outcome").is_none() && lines[0].get("status").is_none());
    assert_eq!(lines[1]["phase"], "outcome");
    assert_eq!(lines[1]["request_id"], lines[0]["request_id"]);

    // verify passes (the log accounts for every request) and lists the interrupted ones.
    let (code, out, err) = verify(&[&path]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("23 decision records without an outcome"),
        "{out}"
    );
    assert_eq!(
        out.matches("\n  seq ").count(),
        20,
        "at most 20 listed: {out}"
    );
    assert!(out.contains("... and 3 more"), "{out}");

    let s = summary_json(&path);
    assert_eq!(
        s["requests"], 28,
        "a decision and its outcome are one request"
    );
    assert_eq!(s["outcomes"]["forwarded"], 5);
    assert_eq!(s["outcomes"]["interrupted"], 23);
}

#[tokio::test]
async fn an_outcome_without_its_decision_breaks_verification() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("audit.jsonl");
    let (log, _, writer) = AuditLog::open(&path, SyncMode::None).unwrap();
    let mut r = Record::new("req-orphan".to_owned(), Vec::new());
    r.outcome = Outcome::Forwarded;
    r.status = 200;
    log.write_outcome(&r).await.unwrap();
    log.close().await;
    writer.join().unwrap();
    let (code, _, err) = verify(&[&path]);
    assert_eq!(code, 1);
    assert!(
        err.contains("audit.jsonl:1") && err.contains("outcome record without its decision"),
        "{err}"
    );
}

/// `kill -9` under load, 24 times: every request the collector received has its decision
/// record in the audit log, and the log verifies after each kill.
#[tokio::test]
async fn no_request_reaches_the_collector_without_a_record_across_sigkills() {
    const KILLS: usize = 24;
    let collector = Collector::start().await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("privgate-data");
    let started = Instant::now();
    for round in 0..KILLS {
        let proxy = ProxyProcess::start(dir.path(), &["--upstream", &collector.url()], &[]);
        let url = proxy.url("/api/track");
        let stop = Arc::new(AtomicBool::new(false));
        let mut clients = Vec::new();
        for c in 0..6 {
            let (url, stop) = (url.clone(), stop.clone());
            clients.push(tokio::spawn(async move {
                let client = crate::support::client();
                let mut n = 0;
                while !stop.load(Ordering::SeqCst) && n < 200 {
                    let _ = try_post(&client, &url, &track(round * 10_000 + c * 1000 + n)).await;
                    n += 1;
                }
            }));
        }
        // Kill while requests flow: once the collector has seen this round's first requests
        // (however slow a loaded machine makes the start), then a varying moment later.
        let before = collector.received().len();
        let deadline = Instant::now() + Duration::from_secs(10);
        while collector.received().len() < before + 6 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        tokio::time::sleep(Duration::from_millis((round as u64 % 5) * 20)).await;
        crate::support::send_signal(proxy.child.id(), "KILL");
        stop.store(true, Ordering::SeqCst);
        for c in clients {
            let _ = c.await;
        }
        drop(proxy);
        // A torn last line is a crash's mark; the next start cuts it off. Verify after that.
        let check = ProxyProcess::start(dir.path(), &["--upstream", &collector.url()], &[]);
        let (code, log) = check.terminate();
        assert_eq!(code, 0, "{log}");
        let (code, out, err) = verify(&[&data]);
        assert_eq!(code, 0, "after kill {round}: {out}{err}");
        assert!(
            started.elapsed() < Duration::from_secs(240),
            "bounded in time"
        );
    }
    // A record that accounts for the request: its decision (or a one-record request's record).
    let decided: HashSet<String> = records(&data)
        .iter()
        .filter(|r| r["phase"] != "outcome")
        .filter_map(|r| r["request_id"].as_str().map(str::to_owned))
        .collect();
    let received = collector.received();
    assert!(
        received.len() > KILLS * 5,
        "the load ran: {}",
        received.len()
    );
    let unrecorded: Vec<String> = received
        .iter()
        .filter_map(|c| c.headers.get("x-request-id"))
        .map(|v| v.to_str().unwrap().to_owned())
        .filter(|id| !decided.contains(id))
        .collect();
    assert_eq!(
        received
            .iter()
            .filter(|c| c.headers.get("x-request-id").is_none())
            .count(),
        0,
        "every forwarded request carries its request id"
    );
    assert!(
        unrecorded.is_empty(),
        "{} of {} captured requests have no decision record: {unrecorded:?}",
        unrecorded.len(),
        received.len()
    );
    eprintln!(
        "sigkill test: {KILLS} kills, {} requests captured, all with a decision record",
        received.len()
    );
}

/// The 1 KB track body of the load bench (`benches/load/track_body.tpl`), request `n`.
fn load_body(n: usize) -> String {
    let template = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/load/track_body.tpl"),
    )
    .unwrap();
    let template = template.trim_end_matches('\n');
    template
        .replace("%08d", &format!("{n:08}"))
        .replace("%06d", &format!("{n:06}"))
        .replace("%d", &n.to_string())
}

/// Issue 20: a forwarded gdpr-filtered 1 KB track request grows the audit log by at most 400
/// bytes (its decision and outcome records together).
#[tokio::test]
async fn a_gdpr_filtered_1kb_track_request_writes_at_most_400_audit_bytes() {
    let collector = Collector::start().await;
    let proxy = Proxy::start(&collector.url(), &["gdpr"]).await;
    let mut sizes = Vec::new();
    for n in 1..=3 {
        let body = load_body(n);
        assert!((900..1200).contains(&body.len()), "{}", body.len());
        proxy.settle_audit().await;
        let before = std::fs::metadata(&proxy.audit_path).map_or(0, |m| m.len());
        let reply = send(
            "POST",
            &proxy.url("/api/track"),
            &[("content-type", "application/json")],
            body,
        )
        .await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        proxy.settle_audit().await;
        sizes.push(std::fs::metadata(&proxy.audit_path).unwrap().len() - before);
    }
    let text = std::fs::read_to_string(&proxy.audit_path).unwrap();
    // The first request also wrote the definitions of the policy set and of what gdpr did.
    let per_request = *sizes.last().unwrap();
    // A log that has run for a while numbers its records with more digits: each request's two
    // records carry three seqs (their own, and the outcome's `of`).
    let last_seq = crate::support::audit_records(&proxy.audit_path)
        .last()
        .unwrap()["seq"]
        .as_u64()
        .unwrap();
    let at_ten_million = per_request + 3 * (8 - last_seq.to_string().len() as u64);
    println!(
        "audit bytes per 1 KB gdpr track request: {per_request} (at seq 10,000,000: \
         {at_ten_million}; the first request, with definitions: {})\n{text}",
        sizes[0]
    );
    assert!(per_request <= 400, "{per_request} bytes:\n{text}");
    assert!(at_ten_million <= 400, "{at_ten_million} bytes:\n{text}");
    proxy.stop().await;
}

/// The same traffic (gdpr: forwarded single events and a batch with a folded path, a GPC
/// opt-out, a special-category drop, identify, user properties, bad input, an unknown route)
/// logged by the release before the compact form (`tests/fixtures/audit-v2`: decision and
/// outcome records whole) and in the compact form (`audit-v3`): both verify, and `audit
/// summary` (text, JSON, HTML) shows the same facts.
#[test]
fn the_compact_form_and_the_earlier_form_show_the_same_facts() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut summaries = Vec::new();
    for form in ["audit-v2", "audit-v3"] {
        let path = fixtures.join(form).join("audit.jsonl");
        let (code, out, err) = verify(&[&path]);
        assert_eq!(code, 0, "{form}: {err}");
        assert!(out.contains("from genesis"), "{out}");
        let mut s = summary_json(&path);
        for varies in [
            "generated",
            "files",
            "integrity",
            "records",
            "first_record",
            "last_record",
            "buckets",
        ] {
            s.as_object_mut().unwrap().remove(varies);
        }
        for p in s["policies"].as_array_mut().unwrap() {
            let p = p.as_object_mut().unwrap();
            p.remove("first_seen");
            p.remove("last_seen");
        }
        let path = path.display().to_string();
        let (code, text, _) = run(&["audit", "summary", &path], None);
        assert_eq!(code, 0);
        let (code, html, _) = run(&["audit", "summary", &path, "--format", "html"], None);
        assert_eq!(code, 0);
        summaries.push((s, text, html));
    }
    let (old, new) = (&summaries[0], &summaries[1]);
    assert_eq!(old.0, new.0, "the same facts in both forms");
    assert_eq!(old.0["requests"], 10);
    assert_eq!(old.0["events_dropped"], 3);
    let notes = old.0["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["rule"] == "pii-in-values")
        .unwrap();
    // Seven fields (three of them one path folded over three events), eight emails.
    assert_eq!(
        (&notes["changes"], &notes["matches"]),
        (&json!(7), &json!(8))
    );
    for (text, html) in [(&old.1, &old.2), (&new.1, &new.2)] {
        let table = |t: &str| {
            t.split("\nField changes")
                .nth(1)
                .and_then(|t| t.split("\n\n").next())
                .map(str::to_owned)
        };
        assert_eq!(table(text), table(&old.1));
        assert!(html.contains("pii-in-values") && html.contains("art9-event-name"));
    }
    // The compact log is smaller for the same facts.
    let size = |form: &str| {
        std::fs::metadata(fixtures.join(form).join("audit.jsonl"))
            .unwrap()
            .len()
    };
    assert!(size("audit-v3") * 4 < size("audit-v2") * 3);
}
