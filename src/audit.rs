//! The audit log (DESIGN.md §6): one JSON line per request, chained by SHA-256, durable before
//! the response is sent.
//!
//! Records are built by request handlers and serialized there; a single writer thread numbers
//! them, chains them (`prev` = SHA-256 of the previous line), writes them and — with
//! `sync: always` — fsyncs once for every group of records that arrived together (group commit),
//! then acknowledges each. A failed write or sync is reported to every waiting request, which
//! then answers 503: privgate never forwards what it cannot account for.
//!
//! Records name policies, rules, actions, paths and detectors. They never hold a value a rule
//! matched, an identity, an IP address or a header value.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;
use sha2::{Digest, Sha256};
use tokio::sync::{mpsc, oneshot};

/// `prev` of the first record ever written.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// When records reach the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncMode {
    /// fsync before acknowledging (group commit). The default.
    Always,
    /// fsync at most every this many milliseconds; acknowledge after the write.
    Batch(u64),
    /// Never fsync; the OS decides.
    None,
}

/// Why a record could not be written.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AuditError {
    /// Writing or syncing failed.
    #[error("audit log {path}: {message}")]
    Io {
        /// The log file.
        path: String,
        /// The OS error.
        message: String,
    },
    /// The writer has stopped (shutdown).
    #[error("the audit writer has stopped")]
    Closed,
}

/// What happened to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Forwarded (possibly changed).
    Forwarded,
    /// Every event dropped; nothing forwarded.
    Dropped,
    /// Bad input; nothing forwarded.
    Rejected,
    /// The collector failed or timed out.
    UpstreamError,
    /// Forwarded, and a shadow policy would have changed it.
    Shadow,
    /// A change to the subject registry through the admin API.
    Admin,
}

/// A policy version.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyVersion {
    /// Name.
    pub name: Arc<str>,
    /// SHA-256 of its file.
    pub sha256: String,
}

impl PolicyVersion {
    /// The versions of every policy of a set.
    pub fn of(set: &crate::policy::PolicySet) -> Vec<PolicyVersion> {
        set.policies
            .iter()
            .map(|p| PolicyVersion {
                name: p.name.clone(),
                sha256: p.sha256.clone(),
            })
            .collect()
    }
}

/// One change in a record.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeRecord {
    /// Policy.
    pub policy: Arc<str>,
    /// Rule id.
    pub rule: Arc<str>,
    /// Action.
    pub action: &'static str,
    /// `events[i].<path>`.
    pub path: String,
    /// Detector, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detector: Option<Arc<str>>,
    /// Matches changed.
    pub count: u32,
    /// True for changes a shadow policy would have made.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub shadow: bool,
}

/// One dropped event in a record.
#[derive(Debug, Clone, Serialize)]
pub struct DropRecord {
    /// Position in the request.
    pub event_index: usize,
    /// Policy.
    pub policy: Arc<str>,
    /// Rule id (`consent` for opt-outs).
    pub rule: Arc<str>,
    /// The opt-out signal, for consent drops.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signal: Option<&'static str>,
    /// True for drops a shadow policy would have made.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub shadow: bool,
}

/// Consent information of a record.
#[derive(Debug, Clone, Serialize)]
pub struct ConsentRecord {
    /// The signal that opted the request or subject out, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signal: Option<&'static str>,
    /// Consent strings that were sent but could not be decoded (counted as "no consent").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub invalid: Vec<&'static str>,
}

/// One audit record, before numbering and chaining.
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    /// UTC, RFC 3339 with milliseconds.
    pub time: String,
    /// The request id (also sent upstream as `X-Request-Id`).
    pub request_id: String,
    /// The route (path without query), or `unknown` for unknown paths.
    pub route: String,
    /// The app (environment) id, when the request had a readable one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    /// What happened.
    pub outcome: Outcome,
    /// The status returned to the client.
    pub status: u16,
    /// The collector's status, when it answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upstream_status: Option<u16>,
    /// Events received.
    pub events_in: usize,
    /// Events forwarded.
    pub events_out: usize,
    /// Policy versions that handled the request.
    pub policies: Vec<PolicyVersion>,
    /// Field changes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<ChangeRecord>,
    /// Dropped events.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dropped: Vec<DropRecord>,
    /// The opt-out signal that applied, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consent: Option<ConsentRecord>,
    /// Unknown fields dropped from known messages.
    #[serde(skip_serializing_if = "is_zero")]
    pub unknown_fields: u32,
    /// Short error code for rejected requests and upstream errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'static str>,
    /// For data-privacy API deletions: how many subjects, and whether they were opted out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub erasure: Option<ErasureRecord>,
    /// For admin API changes: what changed (never which identifier).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<SubjectRecord>,
}

impl Record {
    /// A record for a request that is just starting: rejected until proven otherwise.
    pub fn new(request_id: String, policies: Vec<PolicyVersion>) -> Record {
        Record {
            time: now_rfc3339(),
            request_id,
            route: "unknown".to_owned(),
            app_id: None,
            outcome: Outcome::Rejected,
            status: 0,
            upstream_status: None,
            events_in: 0,
            events_out: 0,
            policies,
            changes: Vec::new(),
            dropped: Vec::new(),
            consent: None,
            unknown_fields: 0,
            error: None,
            erasure: None,
            subject: None,
        }
    }
}

/// A deletion request passed through.
#[derive(Debug, Clone, Serialize)]
pub struct ErasureRecord {
    /// Subjects in the request.
    pub subjects: usize,
    /// True when they were added to the registry (`on_erasure: opt_out`).
    pub opted_out: bool,
}

/// A registry change made through the admin API.
#[derive(Debug, Clone, Serialize)]
pub struct SubjectRecord {
    /// `opt_out` or `withdraw`.
    pub action: &'static str,
    /// `identity` or `user_id`.
    pub id_kind: &'static str,
    /// The reason given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Current UTC time as RFC 3339 with milliseconds.
pub fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second(),
        now.millisecond()
    )
}

struct Job {
    /// The record's JSON without its outer braces.
    body: String,
    ack: oneshot::Sender<Result<u64, AuditError>>,
}

enum Msg {
    Record(Job),
    /// Write what has arrived, sync, and stop.
    Close,
}

/// Shared health of the writer, for readiness and metrics.
#[derive(Debug, Default)]
pub struct AuditHealth {
    failed: AtomicBool,
    written: AtomicU64,
    errors: AtomicU64,
}

impl AuditHealth {
    /// False after a failed write, until a later write succeeds.
    pub fn is_healthy(&self) -> bool {
        !self.failed.load(Ordering::Relaxed)
    }
    /// Records written since start.
    pub fn written(&self) -> u64 {
        self.written.load(Ordering::Relaxed)
    }
    /// Write or sync failures since start.
    pub fn errors(&self) -> u64 {
        self.errors.load(Ordering::Relaxed)
    }
}

/// Handle to the audit writer; cheap to clone.
#[derive(Clone)]
pub struct AuditLog {
    tx: mpsc::Sender<Msg>,
    health: Arc<AuditHealth>,
    path: Arc<PathBuf>,
}

impl AuditLog {
    /// Opens (creating if needed) the log and starts its writer thread. A torn last line left by
    /// a crash is cut off (its request was never acknowledged) and reported in the result.
    pub fn open(
        path: &Path,
        sync: SyncMode,
    ) -> io::Result<(AuditLog, Option<u64>, std::thread::JoinHandle<()>)> {
        if let Some(parent) = path.parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent)?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)?;
        let (seq, prev, torn) = recover_tail(&mut file)?;
        let (tx, rx) = mpsc::channel::<Msg>(65_536);
        let health = Arc::new(AuditHealth::default());
        let writer = Writer {
            file,
            path: path.to_owned(),
            seq,
            prev,
            sync,
            last_sync: Instant::now(),
            dirty: false,
            health: health.clone(),
        };
        let handle = std::thread::Builder::new()
            .name("privgate-audit".to_owned())
            .spawn(move || writer.run(rx))?;
        Ok((
            AuditLog {
                tx,
                health,
                path: Arc::new(path.to_owned()),
            },
            torn,
            handle,
        ))
    }

    /// Writes a record; resolves once it is durable according to the sync mode. Returns its seq.
    pub async fn write(&self, record: &Record) -> Result<u64, AuditError> {
        let json = serde_json::to_string(record).expect("audit records always serialize");
        let body = json[1..json.len() - 1].to_owned();
        let (ack, done) = oneshot::channel();
        self.tx
            .send(Msg::Record(Job { body, ack }))
            .await
            .map_err(|_| AuditError::Closed)?;
        done.await.map_err(|_| AuditError::Closed)?
    }

    /// Asks the writer to write what it has, sync and stop; later writes fail with `Closed`.
    pub async fn close(&self) {
        let _ = self.tx.send(Msg::Close).await;
    }

    /// The writer's health.
    pub fn health(&self) -> &Arc<AuditHealth> {
        &self.health
    }

    /// The log file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

struct Writer {
    file: File,
    path: PathBuf,
    seq: u64,
    prev: String,
    sync: SyncMode,
    last_sync: Instant,
    dirty: bool,
    health: Arc<AuditHealth>,
}

impl Writer {
    fn run(mut self, mut rx: mpsc::Receiver<Msg>) {
        let mut jobs: Vec<Job> = Vec::with_capacity(256);
        let mut buf = String::with_capacity(64 * 1024);
        let mut closing = false;
        while !closing {
            let first = match self.sync {
                // Batch mode must wake up to sync even when traffic stops.
                SyncMode::Batch(ms) if self.dirty => {
                    match recv_timeout(&mut rx, Duration::from_millis(ms)) {
                        Recv::Msg(m) => m,
                        Recv::Timeout => {
                            let _ = self.sync_now();
                            continue;
                        }
                        Recv::Closed => break,
                    }
                }
                _ => match rx.blocking_recv() {
                    Some(m) => m,
                    None => break,
                },
            };
            let mut next = Some(first);
            while let Some(msg) = next.take() {
                match msg {
                    Msg::Record(job) => jobs.push(job),
                    Msg::Close => closing = true,
                }
                if jobs.len() < 4096 {
                    next = rx.try_recv().ok();
                }
            }
            if jobs.is_empty() {
                continue;
            }
            let result = self.commit(&jobs, &mut buf);
            for (i, job) in jobs.drain(..).enumerate() {
                let _ = job
                    .ack
                    .send(result.clone().map(|first_seq| first_seq + i as u64));
            }
        }
        // Shutdown: everything acknowledged is written; make it durable.
        if self.dirty {
            let _ = self.sync_now();
        }
    }

    /// Writes a group of records; returns the seq of the first.
    fn commit(&mut self, jobs: &[Job], buf: &mut String) -> Result<u64, AuditError> {
        let (seq0, prev0) = (self.seq, self.prev.clone());
        buf.clear();
        for job in jobs {
            self.seq += 1;
            let start = buf.len();
            buf.push_str("{\"seq\":");
            buf.push_str(&self.seq.to_string());
            buf.push(',');
            buf.push_str(&job.body);
            buf.push_str(",\"prev\":\"");
            buf.push_str(&self.prev);
            buf.push_str("\"}");
            self.prev = hex::encode(Sha256::digest(&buf.as_bytes()[start..]));
            buf.push('\n');
        }
        let len_before = self.file.metadata().map(|m| m.len()).ok();
        let result = self.file.write_all(buf.as_bytes()).and_then(|_| {
            self.dirty = true;
            match self.sync {
                SyncMode::Always => self.sync_now(),
                SyncMode::Batch(ms) if self.last_sync.elapsed() >= Duration::from_millis(ms) => {
                    self.sync_now()
                }
                _ => Ok(()),
            }
        });
        match result {
            Ok(()) => {
                self.health.failed.store(false, Ordering::Relaxed);
                self.health
                    .written
                    .fetch_add(jobs.len() as u64, Ordering::Relaxed);
                Ok(seq0 + 1)
            }
            Err(e) => {
                // Undo: the chain continues from the last good record, and a partial write is
                // cut off so the file stays a valid chain.
                self.seq = seq0;
                self.prev = prev0;
                if let Some(len) = len_before {
                    let _ = self.file.set_len(len);
                }
                self.health.failed.store(true, Ordering::Relaxed);
                self.health.errors.fetch_add(1, Ordering::Relaxed);
                tracing::error!(path = %self.path.display(), error = %e, "Audit write failed; answering 503 until it recovers.");
                Err(AuditError::Io {
                    path: self.path.display().to_string(),
                    message: e.to_string(),
                })
            }
        }
    }

    fn sync_now(&mut self) -> io::Result<()> {
        self.file.sync_data()?;
        self.dirty = false;
        self.last_sync = Instant::now();
        Ok(())
    }
}

enum Recv {
    Msg(Msg),
    Timeout,
    Closed,
}

fn recv_timeout(rx: &mut mpsc::Receiver<Msg>, timeout: Duration) -> Recv {
    let deadline = Instant::now() + timeout;
    loop {
        match rx.try_recv() {
            Ok(m) => return Recv::Msg(m),
            Err(mpsc::error::TryRecvError::Disconnected) => return Recv::Closed,
            Err(mpsc::error::TryRecvError::Empty) => {
                if Instant::now() >= deadline {
                    return Recv::Timeout;
                }
                std::thread::sleep(Duration::from_millis(1).min(timeout));
            }
        }
    }
}

/// Finds the last complete record (its seq and hash). A trailing partial line is truncated;
/// its length is returned.
fn recover_tail(file: &mut File) -> io::Result<(u64, String, Option<u64>)> {
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok((0, GENESIS.to_owned(), None));
    }
    // Read backwards until we hold the last complete line.
    let mut chunk = 64 * 1024u64;
    loop {
        let start = len.saturating_sub(chunk);
        let mut tail = Vec::with_capacity((len - start) as usize);
        file.seek(SeekFrom::Start(start))?;
        file.take(len - start).read_to_end(&mut tail)?;
        let torn = match tail.iter().rposition(|&b| b == b'\n') {
            Some(i) if i + 1 < tail.len() => Some((tail.len() - i - 1) as u64),
            Some(_) => None,
            None if start == 0 => Some(tail.len() as u64),
            None => {
                chunk *= 4;
                continue;
            }
        };
        let complete_end = tail.len() - torn.unwrap_or(0) as usize;
        let complete = &tail[..complete_end];
        if complete.is_empty() {
            if let Some(n) = torn {
                file.set_len(len - n)?;
            }
            return Ok((0, GENESIS.to_owned(), torn));
        }
        let body = &complete[..complete.len() - 1];
        let line_start = match body.iter().rposition(|&b| b == b'\n') {
            Some(i) => i + 1,
            None if start == 0 => 0,
            None => {
                chunk *= 4;
                continue;
            }
        };
        let line = &body[line_start..];
        let seq = serde_json::from_slice::<serde_json::Value>(line)
            .ok()
            .and_then(|v| v.get("seq").and_then(serde_json::Value::as_u64))
            .ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    "the last audit record has no readable `seq`",
                )
            })?;
        if let Some(n) = torn {
            file.set_len(len - n)?;
            file.seek(SeekFrom::End(0))?;
        }
        return Ok((seq, hex::encode(Sha256::digest(line)), torn));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(outcome: Outcome) -> Record {
        Record {
            time: now_rfc3339(),
            request_id: "r1".into(),
            route: "/api/track".into(),
            app_id: Some("11".into()),
            outcome,
            status: 200,
            upstream_status: Some(200),
            events_in: 1,
            events_out: 1,
            policies: vec![],
            changes: vec![],
            dropped: vec![],
            consent: None,
            unknown_fields: 0,
            error: None,
            erasure: None,
            subject: None,
        }
    }

    #[tokio::test]
    async fn records_are_numbered_chained_and_continue_after_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        let (log, torn, handle) = AuditLog::open(&path, SyncMode::Always).unwrap();
        assert_eq!(torn, None);
        assert_eq!(log.write(&record(Outcome::Forwarded)).await.unwrap(), 1);
        assert_eq!(log.write(&record(Outcome::Dropped)).await.unwrap(), 2);
        drop(log);
        handle.join().unwrap();
        // A torn line, as a crash mid-write would leave.
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(b"{\"seq\":3,\"ti").unwrap();
        drop(f);
        let (log, torn, handle) = AuditLog::open(&path, SyncMode::Always).unwrap();
        assert_eq!(torn, Some(12));
        assert_eq!(log.write(&record(Outcome::Rejected)).await.unwrap(), 3);
        drop(log);
        handle.join().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        let mut prev = GENESIS.to_owned();
        for (i, line) in lines.iter().enumerate() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(v["seq"], i as u64 + 1);
            assert_eq!(v["prev"], prev.as_str());
            assert!(line.starts_with("{\"seq\":"));
            assert!(line.ends_with("\"}"));
            prev = hex::encode(Sha256::digest(line.as_bytes()));
        }
    }
}
