//! The audit log (docs/audit/records.md): JSON lines chained by SHA-256 — one per request, two
//! for a forwarded one (its decision, durable before it is forwarded, and its outcome) — each
//! durable before the response is sent.
//!
//! Records are built by request handlers and serialized there; a single writer thread numbers
//! them, chains them, writes them and — with `sync: always` — fsyncs once for every group of
//! records that arrived together (group commit), then acknowledges each. That fsync is of the
//! log's [`journal`], a file written ahead with zeros, where a sync changes no file size; the log
//! itself is synced when the journal is full, before a rotation and at shutdown, and what a
//! power cut took from it is written back from the journal at start. A failed write or sync
//! is reported to every waiting request, which then answers 503, and the writer stays unhealthy
//! (readiness fails, requests are refused before anything is forwarded) until a write or a
//! readiness probe succeeds again: privgate never forwards what it cannot account for.
//!
//! # The chain
//!
//! Every line is `{"seq":N, …, "prev":"<hex>"}`: `seq` counts records from 1 without gaps, and
//! `prev` is the SHA-256 (lowercase hex) of the previous line's bytes, without its newline.
//!
//! - **Genesis**: the very first record (`seq` 1) has `prev` = [`GENESIS`] (64 zeros).
//! - **Continuation**: rotation does not restart anything. The first record of a new file has
//!   the next `seq` and chains to the last record of the previous file, so the rotated files and
//!   the active file read in name order form one chain ([`files`] has the naming).
//! - **Retention**: when closed files are removed (`keep_files`, `keep_days`), a record is first
//!   written and synced with `outcome: admin`, `route: "audit retention"` and
//!   `retention: {files, first_seq, through_seq, last_hash}`; only then are the files deleted. A
//!   chain whose first record is not the genesis record verifies only when such a record names
//!   exactly the seq and hash it continues from ([`verify`]).
//! - **Restart**: a torn last line (a crash in the middle of a write) belonged to a request
//!   that was never answered. At start it is cut off, and its bytes are kept next to the log as
//!   `<log>.torn-<time>` for forensics (not part of the chain); the chain continues from the
//!   last complete line, or from the last record of the newest rotated file when the active
//!   file is empty.
//!
//! # The compact form
//!
//! Records are written in the compact form ([`compact`]): the policy set (the SHA-256 of each
//! policy) and each distinct set of effects (changes grouped, repeated events folded, drops)
//! are written once per file as definition records, `{"seq":N,"time":…,"def":"<id>",…}`, and
//! request records name them by id. The writer puts every definition a record refers to in
//! the record's file before the record: when the log opens, after a reload, after a rotation.
//! Readers ([`read`]) take both this form and the earlier one.
//!
//! Records name policies (with the SHA-256 of each version), rules, actions, paths and
//! detectors. They never hold a value a rule matched, an identity, an IP address or a header
//! value.

pub mod compact;
pub mod files;
pub mod html;
pub mod journal;
pub mod read;
mod rotate;
pub mod summary;
pub mod verify;

use std::cell::RefCell;
use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::sync::{mpsc, oneshot};

use compact::{Definition, Part};

/// `prev` of the first record ever written.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// When records reach the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncMode {
    /// fsync before acknowledging (group commit). The default. The outcome record of a
    /// forwarded request (its decision was synced before forwarding) is not waited for: it is
    /// written after the answer and synced with the next group, within
    /// [`OUTCOMES_SYNCED_WITHIN`] at most.
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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
    /// Only in reports: a decision record without its outcome record. The process stopped
    /// between deciding to forward and recording the collector's answer (a crash or `kill
    /// -9`), so the collector may have received the request. Never written to a record.
    Interrupted,
    /// Not a request: a change to the subject registry through the admin API, or the removal
    /// of closed audit files by retention.
    Admin,
}

impl Outcome {
    /// Every outcome, in the order reports list them.
    pub const ALL: [Outcome; 7] = [
        Outcome::Forwarded,
        Outcome::Shadow,
        Outcome::Dropped,
        Outcome::Rejected,
        Outcome::UpstreamError,
        Outcome::Interrupted,
        Outcome::Admin,
    ];

    /// The name used in records.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Forwarded => "forwarded",
            Outcome::Dropped => "dropped",
            Outcome::Rejected => "rejected",
            Outcome::UpstreamError => "upstream_error",
            Outcome::Shadow => "shadow",
            Outcome::Interrupted => "interrupted",
            Outcome::Admin => "admin",
        }
    }
}

/// A policy version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyVersion {
    /// Name.
    pub name: Arc<str>,
    /// SHA-256 of its file.
    pub sha256: String,
}

impl PolicyVersion {
    /// The versions of every policy of a set, and their definition record (made once per set
    /// on each thread, not per request).
    pub fn of(set: &crate::policy::PolicySet) -> Policies {
        thread_local! {
            static LAST: std::cell::RefCell<Option<Policies>> = const { std::cell::RefCell::new(None) };
        }
        let same = |p: &Policies| {
            p.0.versions.len() == set.policies.len()
                && p.0
                    .versions
                    .iter()
                    .zip(&set.policies)
                    .all(|(v, p)| v.name == p.name && v.sha256 == p.sha256)
        };
        LAST.with_borrow_mut(|last| match last {
            Some(p) if same(p) => p.clone(),
            _ => {
                let versions: Vec<PolicyVersion> = set
                    .policies
                    .iter()
                    .map(|p| PolicyVersion {
                        name: p.name.clone(),
                        sha256: p.sha256.clone(),
                    })
                    .collect();
                last.insert(Policies::from(versions)).clone()
            }
        })
    }
}

/// The policy versions that handled a request, with the definition record that names them
/// (none for an empty list). Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Policies(Arc<PoliciesInner>);

#[derive(Debug, Default)]
struct PoliciesInner {
    versions: Vec<PolicyVersion>,
    definition: Option<Arc<Definition>>,
}

impl Policies {
    /// The versions, in the set's order.
    pub fn versions(&self) -> &[PolicyVersion] {
        &self.0.versions
    }

    /// The definition record of the set, `None` when it is empty.
    pub fn definition(&self) -> Option<&Arc<Definition>> {
        self.0.definition.as_ref()
    }
}

impl From<Vec<PolicyVersion>> for Policies {
    fn from(versions: Vec<PolicyVersion>) -> Policies {
        let definition = (!versions.is_empty())
            .then(|| Arc::new(Definition::new(compact::policies_body(&versions))));
        Policies(Arc::new(PoliciesInner {
            versions,
            definition,
        }))
    }
}

impl Serialize for Policies {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.versions.serialize(s)
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
    /// What made the detector's findings (`checksum`, `context`, `key`, `format`...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<&'static str>,
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
    /// For a forwarded request, which of its two records this is: the `decision`, durable
    /// before anything is forwarded, or the `outcome`, after the collector answered. Requests
    /// that are not forwarded have one record without a phase. (The compact form writes no
    /// phase: a decision is the request record without `outcome`, an outcome names its
    /// decision with `of`.)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<Phase>,
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
    pub policies: Policies,
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
    /// For the removal of closed audit files: what was removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retention: Option<RetentionRecord>,
    /// The seq of the decision record, once it is written; the outcome record names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision_seq: Option<u64>,
}

impl Record {
    /// A record for a request that is just starting: rejected until proven otherwise.
    pub fn new(request_id: String, policies: impl Into<Policies>) -> Record {
        Record {
            time: now_rfc3339(),
            request_id,
            phase: None,
            route: "unknown".to_owned(),
            app_id: None,
            outcome: Outcome::Rejected,
            status: 0,
            upstream_status: None,
            events_in: 0,
            events_out: 0,
            policies: policies.into(),
            changes: Vec::new(),
            dropped: Vec::new(),
            consent: None,
            unknown_fields: 0,
            error: None,
            erasure: None,
            subject: None,
            retention: None,
            decision_seq: None,
        }
    }
}

/// Which record of a forwarded request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// What privgate decided and is about to forward: everything but the outcome.
    Decision,
    /// What came of it: outcome, status, the collector's status or the error.
    Outcome,
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

/// Closed audit files removed by retention; written (and synced) before they are deleted, so
/// that the chain that remains says where it continues from.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct RetentionRecord {
    /// The file names removed, oldest first.
    pub files: Vec<String>,
    /// Seq of the first record removed.
    pub first_seq: u64,
    /// Seq of the last record removed; the next record kept has `through_seq + 1`.
    pub through_seq: u64,
    /// SHA-256 of the last record removed: the `prev` of the next record kept.
    pub last_hash: String,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Current UTC time as RFC 3339 with milliseconds.
pub fn now_rfc3339() -> String {
    rfc3339_millis(time::OffsetDateTime::now_utc())
}

/// A UTC time as RFC 3339 with milliseconds, as records hold it.
pub fn rfc3339_millis(now: time::OffsetDateTime) -> String {
    let now = now.to_offset(time::UtcOffset::UTC);
    let year = now.year();
    if !(0..=9999).contains(&year) {
        // Outside four digits (a clock set very wrong): the general formatter writes it.
        return format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            now.year(),
            u8::from(now.month()),
            now.day(),
            now.hour(),
            now.minute(),
            now.second(),
            now.millisecond()
        );
    }
    // Written digit by digit: every record takes a time stamp, and `format!` costs several
    // times as much.
    let mut out = [0u8; 24];
    let mut put = |at: usize, width: usize, mut n: u32| {
        for i in (at..at + width).rev() {
            out[i] = b'0' + (n % 10) as u8;
            n /= 10;
        }
    };
    put(0, 4, year.unsigned_abs());
    put(5, 2, u32::from(u8::from(now.month())));
    put(8, 2, u32::from(now.day()));
    put(11, 2, u32::from(now.hour()));
    put(14, 2, u32::from(now.minute()));
    put(17, 2, u32::from(now.second()));
    put(20, 3, u32::from(now.millisecond()));
    for (i, b) in [
        (4, b'-'),
        (7, b'-'),
        (10, b'T'),
        (13, b':'),
        (16, b':'),
        (19, b'.'),
        (23, b'Z'),
    ] {
        out[i] = b;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// SHA-256 of a record line (without its newline), lowercase hex: the next record's `prev`.
pub fn line_hash(line: &[u8]) -> String {
    let mut hex = [0u8; 64];
    hex::encode_to_slice(Sha256::digest(line), &mut hex).expect("32 bytes are 64 hex digits");
    String::from_utf8_lossy(&hex).into_owned()
}

/// How the active log is rotated, and which closed files are kept (`audit:` in the config).
/// Rotation is off unless `max_bytes` or `daily` is set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rotation {
    /// Rotate before a write would take the active file past this many bytes.
    pub max_bytes: Option<u64>,
    /// Rotate at the first write of each UTC day.
    pub daily: bool,
    /// Keep at most this many closed files; older ones are removed.
    pub keep_files: Option<usize>,
    /// Remove closed files whose every record is older than this many days.
    pub keep_days: Option<u32>,
    /// Compress closed files with gzip (`.gz`), off the writer thread.
    pub gzip: bool,
}

impl Rotation {
    /// True when the active file is ever rotated.
    pub fn is_enabled(&self) -> bool {
        self.max_bytes.is_some() || self.daily
    }
}

/// A torn last line found (and cut off) when the log was opened.
#[derive(Debug)]
pub struct Torn {
    /// Its length in bytes.
    pub bytes: u64,
    /// Where its bytes were kept, or why they could not be.
    pub saved: Result<PathBuf, String>,
}

/// The writer's clock; tests move it to cross days.
pub(crate) type Clock = Arc<dyn Fn() -> time::OffsetDateTime + Send + Sync>;

struct Job {
    /// The record's JSON without its outer braces.
    body: String,
    /// Acknowledged only once synced (with `sync: always`). The outcome record of a forwarded
    /// request is not: its decision already is, and a lost outcome shows as an interrupted
    /// request, which is what it would be.
    durable: bool,
    /// Definitions the record refers to: written before it unless its file holds them.
    defs: [Option<Arc<Definition>>; 2],
    /// Who waits for the record; no one for an outcome record ([`AuditLog::write_outcome`]).
    ack: Option<Ack>,
    /// The inbox of the event loop that waits for the acknowledgement, if it has one.
    inbox: Option<Arc<Inbox>>,
}

type Ack = oneshot::Sender<Result<u64, AuditError>>;

/// Acknowledgements for one event loop, handed over by the writer in batches.
///
/// Waking a task on another thread's event loop costs a system call (the loop's eventfd) and,
/// if it sleeps, a wake-up; acknowledging each record of a group that way cost about one of
/// each per record. The writer instead puts a group's acknowledgements for one loop in its
/// inbox and wakes that loop's courier task once, which acknowledges them all from the loop's
/// own thread, where waking a task is a push onto a local queue.
#[derive(Default)]
struct Inbox {
    queue: Mutex<InboxQueue>,
    ready: tokio::sync::Notify,
}

#[derive(Default)]
struct InboxQueue {
    acks: Vec<(Ack, Result<u64, AuditError>)>,
    /// The courier is gone (its event loop stopped): acknowledge directly.
    closed: bool,
}

impl Inbox {
    fn queue(&self) -> std::sync::MutexGuard<'_, InboxQueue> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

thread_local! {
    /// This thread's inbox, once [`deliver_acks_on_this_thread`] has started its courier.
    static INBOX: RefCell<Option<Arc<Inbox>>> = const { RefCell::new(None) };
}

/// Has the audit writer hand the acknowledgements of records written from this thread's event
/// loop to a courier task on it, in batches, instead of waking each waiting request from the
/// writer thread. Call it from within each traffic worker's event loop; a second call on the
/// same thread does nothing while its courier runs. Without it, records are acknowledged one
/// by one (correct, only dearer).
pub fn deliver_acks_on_this_thread() {
    let _ = INBOX.try_with(|slot| {
        let mut slot = slot.borrow_mut();
        if slot.as_ref().is_some_and(|inbox| !inbox.queue().closed) {
            return;
        }
        let inbox = Arc::new(Inbox::default());
        *slot = Some(inbox.clone());
        tokio::spawn(courier(inbox));
    });
}

/// Acknowledges what the writer leaves in `inbox`, each time it says there is something.
async fn courier(inbox: Arc<Inbox>) {
    /// When the event loop drops the courier, whatever is still in the inbox is acknowledged
    /// at once, and later acknowledgements go directly.
    struct Close(Arc<Inbox>);
    impl Drop for Close {
        fn drop(&mut self) {
            let acks = {
                let mut queue = self.0.queue();
                queue.closed = true;
                std::mem::take(&mut queue.acks)
            };
            for (ack, result) in acks {
                let _ = ack.send(result);
            }
        }
    }
    let close = Close(inbox);
    let mut batch = Vec::new();
    loop {
        close.0.ready.notified().await;
        std::mem::swap(&mut batch, &mut close.0.queue().acks);
        for (ack, result) in batch.drain(..) {
            let _ = ack.send(result);
        }
    }
}

/// Acknowledges one record: through its loop's inbox when it has one (noting the inbox in
/// `woken`, to be told once for the group), else directly.
fn acknowledge(
    ack: Ack,
    inbox: Option<Arc<Inbox>>,
    result: Result<u64, AuditError>,
    woken: &mut Vec<Arc<Inbox>>,
) {
    if let Some(inbox) = inbox {
        let mut queue = inbox.queue();
        if !queue.closed {
            queue.acks.push((ack, result));
            drop(queue);
            if !woken.iter().any(|w| Arc::ptr_eq(w, &inbox)) {
                woken.push(inbox);
            }
            return;
        }
    }
    let _ = ack.send(result);
}

enum Msg {
    Record(Job),
    /// Check that the log can be written again (readiness while failing).
    Probe(oneshot::Sender<Result<(), AuditError>>),
    /// Acknowledge once the records sent before it are written ([`AuditLog::settled`]).
    Settled(oneshot::Sender<()>),
    /// Write what has arrived, sync, and stop.
    Close,
}

/// Shared health of the writer, for readiness and metrics.
#[derive(Debug, Default)]
pub struct AuditHealth {
    failed: AtomicBool,
    written: AtomicU64,
    errors: AtomicU64,
    syncs: AtomicU64,
    rotations: AtomicU64,
    unwritten_outcomes: AtomicU64,
}

impl AuditHealth {
    /// False after a failed write or sync, until a later write or probe succeeds; false for
    /// good once the writer has stopped.
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
    /// fsyncs since start (with `sync: always`, fewer than records under concurrency).
    pub fn syncs(&self) -> u64 {
        self.syncs.load(Ordering::Relaxed)
    }
    /// Rotations since start.
    pub fn rotations(&self) -> u64 {
        self.rotations.load(Ordering::Relaxed)
    }
    /// Outcome records that could not be written since start (no request waits for them, so
    /// the writer counts them; each is in the process log).
    pub fn unwritten_outcomes(&self) -> u64 {
        self.unwritten_outcomes.load(Ordering::Relaxed)
    }
    fn fail(&self) {
        self.failed.store(true, Ordering::Relaxed);
        self.errors.fetch_add(1, Ordering::Relaxed);
    }
}

/// Handle to the audit writer; cheap to clone.
#[derive(Clone)]
pub struct AuditLog {
    tx: mpsc::Sender<Msg>,
    health: Arc<AuditHealth>,
    path: Arc<PathBuf>,
    /// Requests on their way to a durable record ([`OnItsWay`]).
    coming: Arc<AtomicUsize>,
}

/// A request that has its body and will send a durable record (its decision, or its only
/// record) soon; the writer's group commit waits for more records only while some request is
/// on its way ([`Writer::commit_delay`]). Counted from [`AuditLog::on_its_way`] until dropped;
/// the writes that take it drop it once their record is queued.
#[must_use = "the request counts as on its way until this is dropped"]
pub struct OnItsWay(Arc<AtomicUsize>);

impl Drop for OnItsWay {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The writer thread of an open log; join it after [`AuditLog::close`].
pub type WriterThread = std::thread::JoinHandle<()>;

impl AuditLog {
    /// Opens (creating if needed) the log, without rotation, and starts its writer thread. A
    /// torn last line left by a crash is cut off (its request was never acknowledged), kept as
    /// `<log>.torn-<time>`, and reported in the result.
    pub fn open(path: &Path, sync: SyncMode) -> io::Result<(AuditLog, Option<Torn>, WriterThread)> {
        AuditLog::open_with(path, sync, &Rotation::default())
    }

    /// Opens the log with rotation and retention (see [`Rotation`]); otherwise as [`open`].
    ///
    /// [`open`]: AuditLog::open
    pub fn open_with(
        path: &Path,
        sync: SyncMode,
        rotation: &Rotation,
    ) -> io::Result<(AuditLog, Option<Torn>, WriterThread)> {
        AuditLog::open_inner(
            path,
            sync,
            rotation,
            Arc::new(time::OffsetDateTime::now_utc),
        )
    }

    pub(crate) fn open_inner(
        path: &Path,
        sync: SyncMode,
        rotation: &Rotation,
        clock: Clock,
    ) -> io::Result<(AuditLog, Option<Torn>, WriterThread)> {
        if let Some(parent) = path.parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent)?;
        }
        // Records a power cut took from the active file come back from the journal first.
        if std::fs::metadata(path).map_or(true, |m| m.is_file()) {
            let replayed = journal::replay(path)?;
            if replayed.restored > 0 {
                tracing::warn!(path = %path.display(), bytes = replayed.restored, frames = replayed.frames, "Restored audit records from the journal that the log had lost (a power cut or a crash of the system).");
            }
        }
        let mut file = open_active(path)?;
        let regular = file.metadata()?.is_file();
        if rotation.is_enabled() && !regular {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "rotation needs a regular file; turn rotation off for this path",
            ));
        }
        let journal_path = journal::path_for(path);
        let journal = if !regular {
            None
        } else if sync == SyncMode::Always {
            Some(journal::Journal::open(&journal_path)?)
        } else {
            // Replayed above: what it held is in the log.
            match std::fs::remove_file(&journal_path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => None,
            }
        };
        let now = clock();
        let (mut seq, mut prev, torn) = if regular {
            recover_tail(&mut file, path, now)?
        } else {
            (0, GENESIS.to_owned(), None)
        };
        let len = if regular { file.metadata()?.len() } else { 0 };
        if regular && len == 0 {
            // A fresh active file after a rotation: the chain goes on from the newest closed file.
            let listing = files::list(path)?;
            if let Some(newest) = listing.rotated.last() {
                let newest = files::LogFile {
                    path: newest.path.clone(),
                    gzip: newest.name.gzip,
                };
                if let Some((s, h)) = files::last_record(&newest)? {
                    (seq, prev) = (s, h);
                }
            }
        }
        let (first_seq, opened_at) = if len > 0 {
            match first_record(path)? {
                Some((s, t)) => (s, t.unwrap_or(now)),
                None if rotation.is_enabled() => {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "the first audit record has no readable `seq`, so the file cannot be \
                         named when it is rotated; run `privgate audit verify` on it",
                    ));
                }
                None => (seq + 1, now),
            }
        } else {
            (seq + 1, now)
        };
        let (tx, rx) = mpsc::channel::<Msg>(65_536);
        let health = Arc::new(AuditHealth::default());
        let coming = Arc::new(AtomicUsize::new(0));
        let maintenance = if rotation.is_enabled() {
            let m = rotate::Maintenance::spawn(
                path.to_owned(),
                rotation.clone(),
                clock.clone(),
                tx.downgrade(),
            )?;
            m.request(opened_at);
            Some(m)
        } else {
            None
        };
        let writer = Writer {
            file: Some(file),
            journal,
            path: path.to_owned(),
            seq,
            prev,
            sync,
            last_sync: Instant::now(),
            sync_took: Duration::ZERO,
            last_group: 0,
            dirty: false,
            needs_cut: false,
            defined: HashSet::new(),
            health: health.clone(),
            coming: coming.clone(),
            rotation: rotation.clone(),
            len,
            first_seq,
            opened_at,
            clock,
            maintenance,
        };
        let handle = std::thread::Builder::new()
            .name("privgate-audit".to_owned())
            .spawn(move || writer.run(rx))?;
        Ok((
            AuditLog {
                tx,
                health,
                path: Arc::new(path.to_owned()),
                coming,
            },
            torn,
            handle,
        ))
    }

    /// Writes a record; resolves once it is durable according to the sync mode. Returns its seq.
    pub async fn write(&self, record: &Record) -> Result<u64, AuditError> {
        self.write_request(record, None).await
    }

    /// Counts a request as on its way to a durable record until the returned guard is dropped
    /// (or taken by [`write_decision`](AuditLog::write_decision) or
    /// [`write_request`](AuditLog::write_request)).
    pub fn on_its_way(&self) -> OnItsWay {
        self.coming.fetch_add(1, Ordering::Relaxed);
        OnItsWay(self.coming.clone())
    }

    /// How many requests are on their way to a durable record now.
    pub fn requests_on_their_way(&self) -> usize {
        self.coming.load(Ordering::Relaxed)
    }

    /// [`write`](AuditLog::write) for a request's record, which stops counting the request as
    /// on its way once the record is queued.
    pub async fn write_request(
        &self,
        record: &Record,
        way: Option<OnItsWay>,
    ) -> Result<u64, AuditError> {
        self.write_durable(record, Part::Single, way).await
    }

    /// Writes the decision record of a request about to be forwarded: the record without its
    /// outcome, status and error, which are not known yet. Resolves once it is durable
    /// according to the sync mode, so that nothing reaches the collector unrecorded. Returns
    /// its seq, which the outcome record names ([`Record::decision_seq`]). The request stops
    /// counting as on its way once the record is queued.
    pub async fn write_decision(
        &self,
        record: &Record,
        way: Option<OnItsWay>,
    ) -> Result<u64, AuditError> {
        self.write_durable(record, Part::Decision, way).await
    }

    /// Queues the outcome record that completes a decision record: the decision's seq, the
    /// outcome, the status, and the collector's status or the error code. Resolves once the
    /// writer has it, not once it is written: the request's events are with the collector by
    /// then, and its decision record is durable, so the answer need not wait for the writer.
    /// Should the write fail, the writer puts the record in the process log (error level) and
    /// turns unhealthy, so the requests after it are refused. Fails only once the writer has
    /// stopped.
    pub async fn write_outcome(&self, record: &Record) -> Result<(), AuditError> {
        let body = compact::outcome_body(record, time::OffsetDateTime::now_utc());
        self.queue(Job {
            body,
            defs: [None, None],
            durable: false,
            ack: None,
            inbox: None,
        })
        .await
    }

    /// Resolves once every record queued before the call is written (not necessarily synced),
    /// or failed: for readers of a live log, since an outcome record is written after its
    /// request's answer.
    pub async fn settled(&self) -> Result<(), AuditError> {
        let (ack, done) = oneshot::channel();
        self.tx
            .send(Msg::Settled(ack))
            .await
            .map_err(|_| AuditError::Closed)?;
        done.await.map_err(|_| AuditError::Closed)
    }

    /// Writes `part` of a request's record, after the definitions it names; resolves once it
    /// is durable according to the sync mode. The request stops counting as on its way once
    /// the record is queued (the writer sees the record before the count drops).
    async fn write_durable(
        &self,
        record: &Record,
        part: Part,
        way: Option<OnItsWay>,
    ) -> Result<u64, AuditError> {
        let (body, effects) = compact::request_body(record, part);
        let (ack, done) = oneshot::channel();
        let inbox = INBOX.try_with(|slot| slot.borrow().clone()).ok().flatten();
        self.queue(Job {
            body,
            defs: [record.policies.definition().cloned(), effects],
            durable: true,
            ack: Some(ack),
            inbox,
        })
        .await?;
        drop(way);
        done.await.map_err(|_| AuditError::Closed)?
    }

    /// Hands a record to the writer (waiting while its queue is full).
    async fn queue(&self, job: Job) -> Result<(), AuditError> {
        self.tx
            .send(Msg::Record(job))
            .await
            .map_err(|_| AuditError::Closed)
    }

    /// While the writer is unhealthy, checks whether the log can be written again (a probe
    /// write that is cut off again at once); on success the writer is healthy again. Healthy
    /// writers answer at once.
    pub async fn probe(&self) -> Result<(), AuditError> {
        if self.health.is_healthy() {
            return Ok(());
        }
        let (ack, done) = oneshot::channel();
        self.tx
            .send(Msg::Probe(ack))
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

fn open_active(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)
}

/// Seq and time of the first record of a non-empty file.
fn first_record(path: &Path) -> io::Result<Option<(u64, Option<time::OffsetDateTime>)>> {
    #[derive(Deserialize)]
    struct First {
        seq: u64,
        time: Option<String>,
    }
    let Some(line) = files::first_line(path)? else {
        return Ok(None);
    };
    Ok(serde_json::from_slice::<First>(&line).ok().map(|f| {
        let time = f.time.as_deref().and_then(|t| {
            time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok()
        });
        (f.seq, time)
    }))
}

/// Most records written (and synced) as one group.
const MAX_GROUP: usize = 4096;

/// Longest wait for more records before a sync (see [`Writer::commit_delay`]).
const MAX_COMMIT_DELAY: Duration = Duration::from_micros(1000);

/// With `sync: always`, how long an outcome record may stay written but not yet synced when no
/// durable record follows it (under load the next decision's sync takes it along first).
const OUTCOMES_SYNCED_WITHIN: Duration = Duration::from_millis(10);

/// Most definition keys the writer remembers per file; past this it forgets them all (and
/// writes each again when a record next refers to it).
const MAX_DEFINED: usize = 65_536;

/// Bytes written (and cut off again) by a readiness probe. No newline: should the process die
/// before the cut, the next start treats them as a torn line.
const PROBE: &[u8] = b"{\"probe\":\"privgate checks that the audit log can be written again\"";

struct Writer {
    /// The active file; `None` after a rotation whose new file could not be created.
    file: Option<File>,
    /// Where `sync: always` makes groups durable ([`journal`]); the active file is synced when
    /// the journal is full, before a rotation and at shutdown.
    journal: Option<journal::Journal>,
    path: PathBuf,
    seq: u64,
    prev: String,
    sync: SyncMode,
    last_sync: Instant,
    /// How long the last sync took.
    sync_took: Duration,
    /// Durable records in the last synced group.
    last_group: usize,
    dirty: bool,
    /// A failed write could not be cut off: cut before the next write.
    needs_cut: bool,
    /// Keys of the definitions the active file holds (since this writer opened it).
    defined: HashSet<u64>,
    health: Arc<AuditHealth>,
    /// Requests on their way to a durable record (shared with [`AuditLog`]).
    coming: Arc<AtomicUsize>,
    rotation: Rotation,
    /// Bytes in the active file.
    len: u64,
    /// Seq of the active file's first record (of the next record while it is empty).
    first_seq: u64,
    /// When the active file was started (UTC), for daily rotation and its rotated name.
    opened_at: time::OffsetDateTime,
    clock: Clock,
    maintenance: Option<rotate::Maintenance>,
}

impl Writer {
    fn run(mut self, mut rx: mpsc::Receiver<Msg>) {
        yield_to_requests();
        // However the thread ends (shutdown, or a bug that panics), requests must stop being
        // forwarded: nothing could record them any more.
        let _stopped = Stopped(self.health.clone());
        let mut jobs: Vec<Job> = Vec::with_capacity(256);
        let mut seqs: Vec<u64> = Vec::with_capacity(256);
        let mut probes = Vec::new();
        let mut settled = Vec::new();
        let mut woken: Vec<Arc<Inbox>> = Vec::new();
        let mut buf = String::with_capacity(64 * 1024);
        let mut closing = false;
        // Batch mode waits for records with a deadline; a small timer runtime does that
        // without polling (polling would add up to a tick of latency to every record).
        let timer = match self.sync {
            SyncMode::Batch(_) | SyncMode::Always => tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .ok(),
            SyncMode::None => None,
        };
        while !closing {
            let first = match self.sync {
                // Batch mode must wake up to sync even when traffic stops.
                // So must `always` when it wrote outcome records without syncing them.
                SyncMode::Batch(_) | SyncMode::Always if self.dirty => {
                    let within = match self.sync {
                        SyncMode::Batch(ms) => Duration::from_millis(ms),
                        _ => OUTCOMES_SYNCED_WITHIN,
                    };
                    match recv_timeout(&mut rx, within, timer.as_ref()) {
                        Recv::Msg(m) => m,
                        Recv::Timeout => {
                            if let Err(e) = self.sync_now() {
                                self.health.fail();
                                tracing::error!(path = %self.path.display(), error = %e, "Audit sync failed; answering 503 until it recovers.");
                            }
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
            let mut waited = false;
            loop {
                while let Some(msg) = next.take() {
                    match msg {
                        Msg::Record(job) => jobs.push(job),
                        Msg::Probe(ack) => probes.push(ack),
                        Msg::Settled(ack) => settled.push(ack),
                        Msg::Close => closing = true,
                    }
                    if jobs.len() < MAX_GROUP {
                        next = rx.try_recv().ok();
                    }
                }
                // Group commit that grows with load: when the last synced group was shared by
                // several requests, more are on their way; waiting about one sync's time lets
                // the next group take them too, so a loaded proxy syncs (and wakes) less per
                // request. A lone request is synced at once.
                let delay = self.commit_delay(&jobs);
                if waited || closing || delay.is_zero() {
                    break;
                }
                waited = true;
                std::thread::sleep(delay);
                next = rx.try_recv().ok();
            }
            if !jobs.is_empty() {
                let result = self.commit(&jobs, &mut buf, &mut seqs);
                for (job, seq) in jobs.drain(..).zip(&seqs) {
                    let result = result.clone().map(|()| *seq);
                    match job.ack {
                        Some(ack) => acknowledge(ack, job.inbox, result, &mut woken),
                        // An outcome record: its request was answered already. Records hold
                        // no personal data, so the process log can account for it.
                        None => {
                            if let Err(e) = result {
                                self.health
                                    .unwritten_outcomes
                                    .fetch_add(1, Ordering::Relaxed);
                                tracing::error!(error = %e, record = %format_args!("{{{}}}", job.body), "Audit outcome record not written; it is in this log line.");
                            }
                        }
                    }
                }
                for inbox in woken.drain(..) {
                    inbox.ready.notify_one();
                }
            }
            for ack in probes.drain(..) {
                let _ = ack.send(self.probe());
            }
            for ack in settled.drain(..) {
                let _ = ack.send(());
            }
        }
        // Shutdown: everything acknowledged is written; make it durable in the log itself, so
        // that the next start has nothing to replay.
        if self.dirty || self.journal.is_some() {
            let _ = self.sync_trail();
        }
        tracing::info!(
            path = %self.path.display(),
            records = self.health.written(),
            fsyncs = self.health.syncs(),
            errors = self.health.errors(),
            "Audit log closed."
        );
        // Unblocks a maintenance thread waiting for a retention record, then waits for it.
        drop(rx);
        if let Some(m) = self.maintenance.take() {
            m.finish();
        }
    }

    /// How long to wait for more records before syncing `jobs`: with `sync: always`, when they
    /// must be synced, the last synced group held several durable records and some request
    /// is on its way to a durable record ([`OnItsWay`]), about as long as that sync took (at
    /// most [`MAX_COMMIT_DELAY`]); otherwise not at all. Without a request on its way the wait
    /// would only delay the records in hand.
    fn commit_delay(&self, jobs: &[Job]) -> Duration {
        let concurrent = self.last_group >= 2 && jobs.len() < MAX_GROUP;
        if self.sync != SyncMode::Always
            || !concurrent
            || !jobs.iter().any(|j| j.durable)
            || self.coming.load(Ordering::Relaxed) == 0
        {
            return Duration::ZERO;
        }
        self.sync_took.min(MAX_COMMIT_DELAY)
    }

    /// Writes a group of records, each after the definitions it refers to that its file does
    /// not hold yet; `seqs` gets the seq of each.
    fn commit(
        &mut self,
        jobs: &[Job],
        buf: &mut String,
        seqs: &mut Vec<u64>,
    ) -> Result<(), AuditError> {
        let durable = jobs.iter().filter(|j| j.durable).count();
        if durable > 0 {
            self.last_group = durable;
        }
        let durable = durable > 0;
        let (seq0, prev0) = (self.seq, self.prev.clone());
        let mut added = self.fill(jobs, buf, seqs);
        let mut result = Ok(());
        if self.rotation_due(buf.len() as u64) {
            // The new file must hold the definitions its records refer to: fill again.
            result = self.rotate().map(|()| {
                (self.seq, self.prev) = (seq0, prev0.clone());
                added = self.fill(jobs, buf, seqs);
            });
        }
        match result.and_then(|()| self.write_group(buf.as_bytes(), seq0, durable)) {
            Ok(()) => {
                if self.defined.len() + added.len() > MAX_DEFINED {
                    // Bounded memory: definitions are simply written again when next needed.
                    self.defined.clear();
                }
                self.defined.extend(added);
                self.health.failed.store(false, Ordering::Relaxed);
                self.health
                    .written
                    .fetch_add(self.seq - seq0, Ordering::Relaxed);
                Ok(())
            }
            Err(e) => {
                // Undo: the chain continues from the last good record.
                self.seq = seq0;
                self.prev = prev0;
                self.health.fail();
                tracing::error!(path = %self.path.display(), error = %e, "Audit write failed; answering 503 until it recovers.");
                Err(AuditError::Io {
                    path: self.path.display().to_string(),
                    message: e.to_string(),
                })
            }
        }
    }

    /// Numbers and chains the records of `jobs` into `buf`, each after the definitions it
    /// refers to that the active file does not hold; returns the keys of those definitions.
    fn fill(&mut self, jobs: &[Job], buf: &mut String, seqs: &mut Vec<u64>) -> Vec<u64> {
        buf.clear();
        seqs.clear();
        let mut added = Vec::new();
        for job in jobs {
            for def in job.defs.iter().flatten() {
                if self.defined.contains(&def.key) || added.contains(&def.key) {
                    continue;
                }
                added.push(def.key);
                let mut body = String::with_capacity(def.body.len() + 64);
                body.push_str("\"time\":\"");
                body.push_str(&rfc3339_millis((self.clock)()));
                body.push_str("\",\"def\":\"");
                body.push_str(&def.id());
                body.push_str("\",");
                body.push_str(&def.body);
                self.push_line(buf, &body);
            }
            self.push_line(buf, &job.body);
            seqs.push(self.seq);
        }
        added
    }

    fn push_line(&mut self, buf: &mut String, body: &str) {
        // A seq this high means a damaged log; `verify` reports the repeat.
        self.seq = self.seq.saturating_add(1);
        let start = buf.len();
        buf.push_str("{\"seq\":");
        buf.push_str(itoa::Buffer::new().format(self.seq));
        buf.push(',');
        buf.push_str(body);
        buf.push_str(",\"prev\":\"");
        buf.push_str(&self.prev);
        buf.push_str("\"}");
        self.prev = line_hash(&buf.as_bytes()[start..]);
        buf.push('\n');
    }

    /// Writes a group and syncs it as the sync mode asks: with `always`, at once when it holds
    /// a record that must be durable before its acknowledgement, else within
    /// [`OUTCOMES_SYNCED_WITHIN`] (or with the next durable group, whichever comes first).
    fn write_group(&mut self, bytes: &[u8], seq0: u64, durable: bool) -> io::Result<()> {
        self.ready_to_write()?;
        let len_before = self.len;
        let frame_start = self.journal.as_ref().map(|j| j.position());
        let file = self.file.as_mut().ok_or_else(closed_file)?;
        let mut result = file.write_all(bytes);
        let mut synced = false;
        if result.is_ok() {
            self.dirty = true;
            result = match &mut self.journal {
                Some(journal) if journal.has_room(bytes.len()) => journal.append(len_before, bytes),
                // The journal is full: the log itself takes this group, with all before it.
                Some(_) => self.sync_trail().map(|()| synced = true),
                None => Ok(()),
            };
        }
        let result = result.and_then(|()| match self.sync {
            SyncMode::Always if durable && !synced => self.sync_now(),
            SyncMode::Always => Ok(()),
            SyncMode::Batch(ms) if self.last_sync.elapsed() >= Duration::from_millis(ms) => {
                self.sync_now()
            }
            SyncMode::Batch(_) | SyncMode::None => Ok(()),
        });
        match result {
            Ok(()) => {
                if len_before == 0 {
                    self.first_seq = seq0 + 1;
                }
                self.len += bytes.len() as u64;
                Ok(())
            }
            Err(e) => {
                // A partial write is cut off so the file stays a valid chain, and its frame
                // taken back so that no restart writes it in again.
                self.cut_back();
                if let (Some(journal), Some(start)) = (self.journal.as_mut(), frame_start) {
                    journal.take_back(start);
                }
                Err(e)
            }
        }
    }

    /// Opens the active file if a rotation left none, and cuts off what an earlier failure left.
    fn ready_to_write(&mut self) -> io::Result<()> {
        if self.file.is_none() {
            let file = open_active(&self.path)?;
            self.len = file.metadata()?.len();
            self.file = Some(file);
        }
        if self.needs_cut {
            let file = self.file.as_ref().ok_or_else(closed_file)?;
            file.set_len(self.len)?;
            self.needs_cut = false;
        }
        Ok(())
    }

    fn cut_back(&mut self) {
        let cut = match &self.file {
            Some(f) if f.metadata().is_ok_and(|m| m.is_file()) => f.set_len(self.len).is_ok(),
            // Not a regular file (a device): there is nothing to cut.
            Some(_) => true,
            None => true,
        };
        self.needs_cut = !cut;
    }

    fn rotation_due(&self, group_len: u64) -> bool {
        if !self.rotation.is_enabled() || self.len == 0 {
            return false;
        }
        if let Some(max) = self.rotation.max_bytes
            && self.len + group_len > max
        {
            return true;
        }
        self.rotation.daily && (self.clock)().date() != self.opened_at.date()
    }

    /// Closes the active file under its rotated name and starts a new one.
    fn rotate(&mut self) -> io::Result<()> {
        // The journal's frames refer to this file: it must hold them itself before it is closed.
        self.sync_trail()?;
        let target = files::rotated_path(&self.path, self.first_seq, self.opened_at);
        let gz = PathBuf::from(format!("{}.gz", target.display()));
        if target.exists() || gz.exists() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!(
                    "cannot rotate: {} already exists (was a file copied here?)",
                    target.display()
                ),
            ));
        }
        std::fs::rename(&self.path, &target)?;
        self.file = None;
        self.len = 0;
        self.defined.clear();
        self.opened_at = (self.clock)();
        self.health.rotations.fetch_add(1, Ordering::Relaxed);
        self.file = Some(open_active(&self.path)?);
        files::sync_dir(self.path.parent().unwrap_or(Path::new("")))?;
        tracing::info!(file = %target.display(), "Rotated the audit log.");
        if let Some(m) = &self.maintenance {
            m.request(self.opened_at);
        }
        Ok(())
    }

    fn probe(&mut self) -> Result<(), AuditError> {
        if self.health.is_healthy() {
            return Ok(());
        }
        let result = self.ready_to_write().and_then(|()| {
            let file = self.file.as_mut().ok_or_else(closed_file)?;
            let written = file.write_all(PROBE).and_then(|()| file.sync_data());
            let is_regular = file.metadata().is_ok_and(|m| m.is_file());
            let cut = if is_regular {
                file.set_len(self.len).and_then(|()| file.sync_data())
            } else {
                Ok(())
            };
            if cut.is_err() {
                self.needs_cut = true;
            }
            written.and(cut)
        });
        match result {
            Ok(()) => {
                self.health.failed.store(false, Ordering::Relaxed);
                tracing::info!(path = %self.path.display(), "The audit log can be written again.");
                Ok(())
            }
            Err(e) => Err(AuditError::Io {
                path: self.path.display().to_string(),
                message: e.to_string(),
            }),
        }
    }

    /// Makes what was written durable: in the journal when there is one, else in the log.
    fn sync_now(&mut self) -> io::Result<()> {
        let started = Instant::now();
        match (&self.journal, &self.file) {
            (Some(journal), Some(_)) => journal.sync()?,
            (None, Some(f)) => f.sync_data()?,
            (_, None) => {}
        }
        self.sync_took = started.elapsed();
        self.synced();
        Ok(())
    }

    /// Syncs the active file itself and starts the journal again (it holds nothing the file
    /// does not).
    fn sync_trail(&mut self) -> io::Result<()> {
        if let Some(f) = &self.file {
            f.sync_data()?;
        }
        if let Some(journal) = &mut self.journal {
            journal.restart()?;
        }
        self.synced();
        Ok(())
    }

    /// Everything written is durable now.
    fn synced(&mut self) {
        self.dirty = false;
        self.last_sync = Instant::now();
        self.health.syncs.fetch_add(1, Ordering::Relaxed);
    }
}

/// Lets the calling thread (the writer) run when the request threads wait rather than preempt
/// them each time a record arrives (Linux `SCHED_BATCH`): on a loaded core the writer then
/// runs once the requests in progress are all waiting for it, and syncs their records as one
/// group. On one core this took the proxy from a context switch per request to one per group
/// (about 35 records). Elsewhere, or if refused, nothing changes.
fn yield_to_requests() {
    #[cfg(target_os = "linux")]
    {
        let param = libc::sched_param { sched_priority: 0 };
        // SAFETY: `param` is a valid `sched_param` that outlives the call; pid 0 is this thread.
        let refused = unsafe { libc::sched_setscheduler(0, libc::SCHED_BATCH, &param) } != 0;
        if refused {
            tracing::debug!("The audit writer keeps the default scheduling policy.");
        }
    }
}

/// Marks the writer unhealthy when its thread ends.
struct Stopped(Arc<AuditHealth>);

impl Drop for Stopped {
    fn drop(&mut self) {
        self.0.failed.store(true, Ordering::Relaxed);
    }
}

fn closed_file() -> io::Error {
    io::Error::other("the active audit file is not open")
}

enum Recv {
    Msg(Msg),
    Timeout,
    Closed,
}

fn recv_timeout(
    rx: &mut mpsc::Receiver<Msg>,
    timeout: Duration,
    timer: Option<&tokio::runtime::Runtime>,
) -> Recv {
    if let Some(rt) = timer {
        // The timeout future must be made inside the runtime: it registers with its timer.
        return match rt.block_on(async { tokio::time::timeout(timeout, rx.recv()).await }) {
            Ok(Some(m)) => Recv::Msg(m),
            Ok(None) => Recv::Closed,
            Err(_) => Recv::Timeout,
        };
    }
    // No timer runtime could be built: poll.
    let deadline = Instant::now() + timeout;
    loop {
        match rx.try_recv() {
            Ok(m) => return Recv::Msg(m),
            Err(mpsc::error::TryRecvError::Disconnected) => return Recv::Closed,
            Err(mpsc::error::TryRecvError::Empty) => {
                let now = Instant::now();
                if now >= deadline {
                    return Recv::Timeout;
                }
                std::thread::sleep(Duration::from_millis(1).min(deadline - now));
            }
        }
    }
}

/// Finds the last complete record (its seq and hash). A trailing partial line is kept as
/// `<log>.torn-<time>` and cut off.
fn recover_tail(
    file: &mut File,
    path: &Path,
    now: time::OffsetDateTime,
) -> io::Result<(u64, String, Option<Torn>)> {
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
        (&mut *file).take(len - start).read_to_end(&mut tail)?;
        let torn_len = match tail.iter().rposition(|&b| b == b'\n') {
            Some(i) if i + 1 < tail.len() => Some(tail.len() - i - 1),
            Some(_) => None,
            None if start == 0 => Some(tail.len()),
            None => {
                chunk *= 4;
                continue;
            }
        };
        let complete_end = tail.len() - torn_len.unwrap_or(0);
        let complete = &tail[..complete_end];
        let last = if complete.is_empty() {
            None
        } else {
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
            let seq = files::seq_of(line).ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    "the last audit record has no readable `seq`; run `privgate audit verify` on the log",
                )
            })?;
            Some((seq, line_hash(line)))
        };
        let torn = match torn_len {
            Some(n) => {
                let saved = save_torn(path, now, &tail[complete_end..]);
                file.set_len(len - n as u64)?;
                file.sync_data()?;
                file.seek(SeekFrom::End(0))?;
                Some(Torn {
                    bytes: n as u64,
                    saved,
                })
            }
            None => None,
        };
        let (seq, prev) = last.unwrap_or((0, GENESIS.to_owned()));
        return Ok((seq, prev, torn));
    }
}

/// Keeps the bytes of a torn line next to the log, for forensics.
fn save_torn(path: &Path, now: time::OffsetDateTime, bytes: &[u8]) -> Result<PathBuf, String> {
    let base = files::torn_path(path, now);
    for n in 0..100 {
        let target = if n == 0 {
            base.clone()
        } else {
            PathBuf::from(format!("{}-{n}", base.display()))
        };
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
        {
            Ok(mut f) => {
                return f
                    .write_all(bytes)
                    .and_then(|()| f.sync_all())
                    .and_then(|()| files::sync_dir(path.parent().unwrap_or(Path::new(""))))
                    .map(|()| target)
                    .map_err(|e| e.to_string());
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e.to_string()),
        }
    }
    Err("too many torn-line copies with the same time".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::sync::Mutex;

    /// Waits (at most 10 s) until the log's files satisfy `done`: compression and retention run
    /// beside the writer.
    async fn settle(path: &Path, done: impl Fn(&files::Listing) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !done(&files::list(path).unwrap()) && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    #[test]
    fn time_stamps_have_fixed_width_utc_and_milliseconds() {
        let at = |unix_ms: i128| {
            rfc3339_millis(
                time::OffsetDateTime::from_unix_timestamp_nanos(unix_ms * 1_000_000).unwrap(),
            )
        };
        assert_eq!(at(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(at(1_764_413_700_007), "2025-11-29T10:55:00.007Z");
        assert_eq!(at(951_782_399_999), "2000-02-28T23:59:59.999Z");
        assert_eq!(at(-62_135_596_800_000), "0001-01-01T00:00:00.000Z");
        // Another offset is written in UTC.
        let local = time::OffsetDateTime::from_unix_timestamp(0)
            .unwrap()
            .to_offset(time::UtcOffset::from_hms(5, 30, 0).unwrap());
        assert_eq!(rfc3339_millis(local), "1970-01-01T00:00:00.000Z");
    }

    fn record(outcome: Outcome) -> Record {
        let mut r = Record::new("r1".into(), vec![]);
        r.route = "/api/track".into();
        r.app_id = Some("11".into());
        r.outcome = outcome;
        r.status = 200;
        r.upstream_status = Some(200);
        r.events_in = 1;
        r.events_out = 1;
        r
    }

    fn chain_of(dir: &Path) -> verify::Verified {
        let resolved = files::resolve(&[dir.to_owned()]).unwrap();
        verify::verify(&resolved.files).unwrap_or_else(|b| panic!("{b}"))
    }

    #[test]
    fn acknowledgements_reach_an_event_loop_through_its_courier_and_after_it_stops() {
        let dir = tempfile::tempdir().unwrap();
        let (log, _, handle) =
            AuditLog::open(&dir.path().join("audit.jsonl"), SyncMode::Always).unwrap();
        let log = Arc::new(log);
        let event_loop = || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
        };
        let inbox = || INBOX.with(|slot| slot.borrow().clone());
        let runtime = event_loop();
        let mut seqs = runtime.block_on(async {
            deliver_acks_on_this_thread();
            let first = inbox().expect("the courier's inbox");
            // A second call keeps the running courier.
            deliver_acks_on_this_thread();
            assert!(Arc::ptr_eq(&first, &inbox().unwrap()));
            let writes: Vec<_> = (0..64)
                .map(|i| {
                    let log = log.clone();
                    let outcome = if i % 2 == 0 {
                        Outcome::Forwarded
                    } else {
                        Outcome::Dropped
                    };
                    tokio::spawn(async move { log.write(&record(outcome)).await })
                })
                .collect();
            let mut seqs = Vec::new();
            for w in writes {
                let acked = tokio::time::timeout(Duration::from_secs(10), w)
                    .await
                    .expect("acknowledged through the courier");
                seqs.push(acked.unwrap().unwrap());
            }
            seqs
        });
        seqs.sort_unstable();
        assert_eq!(seqs, (1..=64).collect::<Vec<u64>>());
        assert!(!inbox().unwrap().queue().closed);
        // The event loop stops: its courier goes, the inbox closes, and records written from
        // this thread afterwards are acknowledged directly.
        drop(runtime);
        assert!(inbox().unwrap().queue().closed);
        let later = event_loop().block_on(async {
            tokio::time::timeout(
                Duration::from_secs(10),
                log.write(&record(Outcome::Rejected)),
            )
            .await
            .expect("acknowledged directly")
        });
        assert_eq!(later.unwrap(), 65);
        drop(log);
        handle.join().unwrap();
    }

    #[tokio::test]
    async fn a_request_is_on_its_way_until_its_record_is_queued() {
        let dir = tempfile::tempdir().unwrap();
        let (log, _, _writer) =
            AuditLog::open(&dir.path().join("audit.jsonl"), SyncMode::Always).unwrap();
        let (first, second) = (log.on_its_way(), log.on_its_way());
        assert_eq!(log.requests_on_their_way(), 2);
        drop(second);
        assert_eq!(log.requests_on_their_way(), 1);
        let seq = log
            .write_decision(&record(Outcome::Forwarded), Some(first))
            .await
            .unwrap();
        assert_eq!((seq, log.requests_on_their_way()), (1, 0));
        let third = log.on_its_way();
        log.write_request(&record(Outcome::Rejected), Some(third))
            .await
            .unwrap();
        assert_eq!(log.requests_on_their_way(), 0);
        log.close().await;
    }

    #[tokio::test]
    async fn records_are_numbered_chained_and_continue_after_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        let (log, torn, handle) = AuditLog::open(&path, SyncMode::Always).unwrap();
        assert!(torn.is_none());
        assert_eq!(log.write(&record(Outcome::Forwarded)).await.unwrap(), 1);
        assert_eq!(log.write(&record(Outcome::Dropped)).await.unwrap(), 2);
        drop(log);
        handle.join().unwrap();
        // A torn line, as a crash mid-write would leave.
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(b"{\"seq\":3,\"ti").unwrap();
        drop(f);
        let (log, torn, handle) = AuditLog::open(&path, SyncMode::Always).unwrap();
        let torn = torn.expect("the torn line is reported");
        assert_eq!(torn.bytes, 12);
        let copy = torn.saved.expect("the torn line is kept");
        assert_eq!(std::fs::read(&copy).unwrap(), b"{\"seq\":3,\"ti");
        assert!(files::is_torn_copy(
            &copy.file_name().unwrap().to_string_lossy()
        ));
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
            prev = line_hash(line.as_bytes());
        }
        // The folder verifies; the torn copy is not part of the chain.
        let v = chain_of(dir.path());
        assert_eq!((v.records, v.start.clone()), (3, verify::Start::Genesis));
    }

    #[tokio::test]
    async fn acknowledged_records_a_power_cut_took_from_the_log_come_back_from_the_journal() {
        let live = tempfile::tempdir().unwrap();
        let path = live.path().join("audit.jsonl");
        let (log, _, handle) = AuditLog::open(&path, SyncMode::Always).unwrap();
        for outcome in [Outcome::Forwarded, Outcome::Dropped, Outcome::Rejected] {
            log.write(&record(outcome)).await.unwrap();
        }
        // The disk as a power cut would leave it, the writer still running: the journal (synced
        // before each acknowledgement) whole; the log's last records lost, here as zeros where
        // its size reached the disk and its data did not.
        let cut = tempfile::tempdir().unwrap();
        let cut_path = cut.path().join("audit.jsonl");
        let journal = std::fs::read(journal::path_for(&path)).unwrap();
        std::fs::write(journal::path_for(&cut_path), &journal).unwrap();
        let whole = std::fs::read(&path).unwrap();
        let first_line = whole.iter().position(|&b| b == b'\n').unwrap() + 1;
        let mut lost = whole.clone();
        lost[first_line..].fill(0);
        std::fs::write(&cut_path, &lost).unwrap();
        drop(log);
        handle.join().unwrap();

        let (log, torn, handle) = AuditLog::open(&cut_path, SyncMode::Always).unwrap();
        assert!(torn.is_none());
        assert_eq!(std::fs::read(&cut_path).unwrap(), whole);
        assert_eq!(log.write(&record(Outcome::Forwarded)).await.unwrap(), 4);
        drop(log);
        handle.join().unwrap();
        let v = chain_of(cut.path());
        assert_eq!((v.records, v.start.clone()), (4, verify::Start::Genesis));
        // A clean shutdown leaves the log synced and nothing to replay.
        assert_eq!(
            journal::replay(&cut_path).unwrap(),
            journal::Replayed::default()
        );
        // Without `sync: always` there is no journal.
        let (log, _, handle) = AuditLog::open(&cut_path, SyncMode::None).unwrap();
        assert!(!journal::path_for(&cut_path).exists());
        drop(log);
        handle.join().unwrap();
    }

    /// A record that names the gdpr policy set and one change.
    fn with_definitions() -> Record {
        let mut r = Record::new(
            "r1".into(),
            vec![PolicyVersion {
                name: "gdpr".into(),
                sha256: "ab".repeat(32),
            }],
        );
        r.route = "/api/track".into();
        r.outcome = Outcome::Dropped;
        r.status = 200;
        r.changes.push(ChangeRecord {
            policy: "gdpr".into(),
            rule: "pseudonymise-identity".into(),
            action: "hash",
            path: "events[0].identity".into(),
            detector: None,
            evidence: None,
            count: 1,
            shadow: false,
        });
        r
    }

    #[tokio::test]
    async fn each_file_holds_the_definitions_its_records_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        let rotation = Rotation {
            max_bytes: Some(1500),
            keep_files: Some(3),
            gzip: true,
            ..Rotation::default()
        };
        let (log, _, handle) = AuditLog::open_with(&path, SyncMode::Always, &rotation).unwrap();
        // The policy set and the effects come first; the record's seq is its own.
        assert_eq!(log.write(&with_definitions()).await.unwrap(), 3);
        assert_eq!(log.write(&with_definitions()).await.unwrap(), 4);
        for _ in 0..30 {
            log.write(&with_definitions()).await.unwrap();
        }
        assert!(log.health().rotations() >= 4);
        // Retention removes whole files; wait for it and for compression to settle.
        settle(&path, |l| {
            l.rotated.len() <= 3 && l.rotated.iter().all(|f| f.name.gzip)
        })
        .await;
        log.close().await;
        drop(log);
        handle.join().unwrap();
        // A reopened log writes them again before the next record that names them.
        let last = chain_of(dir.path()).last.unwrap().0;
        let (log, _, handle) = AuditLog::open_with(&path, SyncMode::Always, &rotation).unwrap();
        let seq = log.write(&with_definitions()).await.unwrap();
        assert_eq!(seq, last + 3, "definitions written again after reopening");
        log.close().await;
        drop(log);
        handle.join().unwrap();
        // Every file, gzipped or not, holds the definitions its records name: `verify` checks
        // that each reference resolves in its own file. (A file of retention records names
        // none.)
        let resolved = files::resolve(&[dir.path().to_owned()]).unwrap();
        let with_definitions = resolved
            .files
            .iter()
            .filter(|f| {
                f.lines()
                    .unwrap()
                    .any(|l| l.unwrap().bytes.windows(7).any(|w| w == b",\"def\":"))
            })
            .count();
        assert!(with_definitions >= 2, "{:?}", resolved.files);
        let v = chain_of(dir.path());
        assert!(matches!(v.start, verify::Start::Retention { .. }), "{v:?}");
        // The last write may rotate the file; the retention that follows is recorded after it
        // when the maintenance thread gets there before the log closes, else not at all.
        let last = v.last.unwrap().0;
        assert!(last == seq || last == seq + 1, "last {last}, written {seq}");
        if last == seq + 1 {
            let after: Vec<serde_json::Value> = resolved
                .files
                .iter()
                .flat_map(|f| f.lines().unwrap())
                .filter_map(|l| serde_json::from_slice(&l.unwrap().bytes).ok())
                .filter(|r: &serde_json::Value| r["seq"].as_u64() == Some(last))
                .collect();
            assert_eq!(after.len(), 1, "{after:?}");
            assert!(after[0].get("retention").is_some(), "{after:?}");
        }
    }

    #[tokio::test]
    async fn concurrent_records_share_an_fsync() {
        let dir = tempfile::tempdir().unwrap();
        let (log, _, handle) =
            AuditLog::open(&dir.path().join("audit.jsonl"), SyncMode::Always).unwrap();
        let rec = record(Outcome::Forwarded);
        let writes = (0..200).map(|_| log.write(&rec));
        let mut seqs: Vec<u64> = futures_join(writes).await;
        seqs.sort_unstable();
        assert_eq!(seqs, (1..=200).collect::<Vec<u64>>());
        let (written, syncs) = (log.health().written(), log.health().syncs());
        assert_eq!(written, 200);
        assert!((1..=100).contains(&syncs), "200 records, {syncs} fsyncs");
        log.close().await;
        drop(log);
        handle.join().unwrap();
    }

    /// Polls every future to completion concurrently (no extra dependency for `join_all`).
    async fn futures_join<F: std::future::Future<Output = Result<u64, AuditError>>>(
        futures: impl Iterator<Item = F>,
    ) -> Vec<u64> {
        let mut set = Vec::new();
        for f in futures {
            set.push(Box::pin(f));
        }
        let mut out = Vec::new();
        let mut pending: Vec<_> = set.into_iter().map(Some).collect();
        std::future::poll_fn(|cx| {
            let mut all = true;
            for slot in pending.iter_mut() {
                if let Some(f) = slot {
                    match f.as_mut().poll(cx) {
                        std::task::Poll::Ready(r) => {
                            out.push(r.unwrap());
                            *slot = None;
                        }
                        std::task::Poll::Pending => all = false,
                    }
                }
            }
            if all {
                std::task::Poll::Ready(())
            } else {
                std::task::Poll::Pending
            }
        })
        .await;
        out
    }

    #[tokio::test]
    async fn batch_syncs_at_most_every_interval_and_when_traffic_stops_none_never() {
        let dir = tempfile::tempdir().unwrap();
        let (log, _, handle) =
            AuditLog::open(&dir.path().join("b.jsonl"), SyncMode::Batch(200)).unwrap();
        for _ in 0..20 {
            log.write(&record(Outcome::Forwarded)).await.unwrap();
        }
        // The first write syncs (nothing synced for long); the next 19 come within 200 ms.
        assert!(log.health().syncs() <= 2, "{}", log.health().syncs());
        tokio::time::sleep(Duration::from_millis(600)).await;
        let after_idle = log.health().syncs();
        assert!(after_idle >= 1, "the timer syncs once traffic stops");
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(log.health().syncs(), after_idle, "nothing new: no sync");
        // A record right after a sync waits on the timer (not a poll) and is acknowledged.
        let started = Instant::now();
        for _ in 0..5 {
            log.write(&record(Outcome::Forwarded)).await.unwrap();
        }
        assert!(
            started.elapsed() < Duration::from_millis(150),
            "no sync on the path"
        );
        assert!(log.health().is_healthy());
        drop(log);
        handle.join().unwrap();

        let (log, _, handle) = AuditLog::open(&dir.path().join("n.jsonl"), SyncMode::None).unwrap();
        for _ in 0..20 {
            log.write(&record(Outcome::Forwarded)).await.unwrap();
        }
        assert_eq!(log.health().syncs(), 0);
        log.close().await;
        handle.join().unwrap();
        assert!(
            !log.health().is_healthy(),
            "a stopped writer is never healthy: nothing would record a request"
        );
        assert!(matches!(
            log.write(&record(Outcome::Forwarded)).await,
            Err(AuditError::Closed)
        ));
    }

    #[tokio::test]
    async fn size_rotation_gzip_and_retention_keep_one_verifiable_chain() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        let rotation = Rotation {
            max_bytes: Some(2048),
            keep_files: Some(3),
            gzip: true,
            ..Rotation::default()
        };
        let (log, _, handle) = AuditLog::open_with(&path, SyncMode::Always, &rotation).unwrap();
        for _ in 0..60 {
            log.write(&record(Outcome::Forwarded)).await.unwrap();
        }
        assert!(log.health().rotations() >= 5);
        // Compression and retention run beside the writer; wait for them to settle.
        settle(&path, |l| {
            l.rotated.len() <= 3 && l.rotated.iter().all(|f| f.name.gzip)
        })
        .await;
        log.close().await;
        drop(log);
        handle.join().unwrap();
        let listing = files::list(&path).unwrap();
        assert_eq!(listing.rotated.len(), 3, "{listing:?}");
        assert!(listing.rotated.iter().all(|f| f.name.gzip));
        assert!(listing.unfinished.is_empty() && listing.superseded.is_empty());
        assert!(std::fs::metadata(&path).unwrap().len() <= 2048);
        let v = chain_of(dir.path());
        assert!(matches!(v.start, verify::Start::Retention { .. }), "{v:?}");
        let last = v.last.clone().unwrap().0;
        // Reopen: the chain goes on, from a non-empty active file or the newest closed file.
        let (log, _, handle) = AuditLog::open_with(&path, SyncMode::Always, &rotation).unwrap();
        assert_eq!(
            log.write(&record(Outcome::Dropped)).await.unwrap(),
            last + 1
        );
        log.close().await;
        drop(log);
        handle.join().unwrap();
        assert_eq!(chain_of(dir.path()).last.unwrap().0, last + 1);
    }

    #[tokio::test]
    async fn an_empty_active_file_continues_from_the_newest_gzipped_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        let rotation = Rotation {
            max_bytes: Some(1024),
            gzip: true,
            ..Rotation::default()
        };
        let (log, _, handle) = AuditLog::open_with(&path, SyncMode::Always, &rotation).unwrap();
        for _ in 0..12 {
            log.write(&record(Outcome::Forwarded)).await.unwrap();
        }
        log.close().await;
        drop(log);
        handle.join().unwrap();
        // As if the process died right after a rotation.
        let newest = files::list(&path).unwrap().rotated.last().unwrap().clone();
        std::fs::write(&path, b"").unwrap();
        let newest_last = files::last_record(&files::LogFile {
            path: newest.path.clone(),
            gzip: newest.name.gzip,
        })
        .unwrap()
        .unwrap();
        let active: Vec<String> = std::fs::read_to_string(&path)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect();
        assert!(active.is_empty());
        let (log, _, handle) = AuditLog::open_with(&path, SyncMode::Always, &rotation).unwrap();
        assert_eq!(
            log.write(&record(Outcome::Forwarded)).await.unwrap(),
            newest_last.0 + 1
        );
        log.close().await;
        drop(log);
        handle.join().unwrap();
        let _ = chain_of(dir.path());
    }

    #[tokio::test]
    async fn daily_rotation_and_retention_by_age_follow_the_clock() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        let now = Arc::new(Mutex::new(time::macros::datetime!(2026-11-01 10:00 UTC)));
        let clock_now = now.clone();
        let clock: Clock = Arc::new(move || *clock_now.lock().unwrap());
        let rotation = Rotation {
            daily: true,
            keep_days: Some(3),
            ..Rotation::default()
        };
        let (log, _, handle) =
            AuditLog::open_inner(&path, SyncMode::Always, &rotation, clock).unwrap();
        for day in 0..6 {
            *now.lock().unwrap() =
                time::macros::datetime!(2026-11-01 10:00 UTC) + time::Duration::days(day);
            for _ in 0..3 {
                log.write(&record(Outcome::Forwarded)).await.unwrap();
            }
        }
        // Retention runs after the last rotation, beside the writer; wait for it.
        settle(&path, |l| l.rotated.len() <= 4).await;
        log.close().await;
        drop(log);
        handle.join().unwrap();
        let listing = files::list(&path).unwrap();
        let days: Vec<String> = listing
            .rotated
            .iter()
            .map(|f| files::compact_time(f.name.started)[..8].to_owned())
            .collect();
        // On Nov 6 at 10:00, files whose records all predate Nov 3 10:00 are gone: Nov 1's
        // (it ends when Nov 2's begins).
        assert_eq!(days, vec!["20261102", "20261103", "20261104", "20261105"]);
        let v = chain_of(dir.path());
        assert!(
            matches!(v.start, verify::Start::Retention { through_seq: 3, .. }),
            "{v:?}"
        );
    }

    #[tokio::test]
    async fn a_failing_device_fails_writes_and_probes() {
        let path = Path::new("/dev/full");
        if !path.exists() {
            eprintln!("SKIP: /dev/full is not available on this system");
            return;
        }
        let (log, _, handle) = AuditLog::open(path, SyncMode::Always).unwrap();
        let err = log.write(&record(Outcome::Forwarded)).await.unwrap_err();
        assert!(matches!(err, AuditError::Io { .. }), "{err}");
        assert!(!log.health().is_healthy());
        assert_eq!(log.health().errors(), 1);
        assert!(log.probe().await.is_err());
        assert!(!log.health().is_healthy());
        assert!(
            AuditLog::open_with(
                path,
                SyncMode::Always,
                &Rotation {
                    daily: true,
                    ..Rotation::default()
                }
            )
            .is_err(),
            "rotation needs a regular file"
        );
        log.close().await;
        drop(log);
        handle.join().unwrap();
    }
}
