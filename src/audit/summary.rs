//! `privgate audit summary`: what the audit log says, counted — for people (text, HTML) and
//! scripts (JSON).
//!
//! A summary counts requests and events by outcome, field changes by policy version, rule,
//! action and detector, dropped events by rule, opt-outs by consent signal, refused requests by
//! error code, and requests over time in hourly or daily buckets; it checks the hash chain as
//! `verify` does and says so. It reads only what records hold — names of policies, rules,
//! actions, detectors, signals, routes and error codes, counts and times — and never quotes a
//! record's free text (admin reasons are reduced to their known categories), so a summary
//! holds no more personal data than the log does: none.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::files::{LogFile, Resolved};
use super::read::{self, Definitions, Line, Request, SubjectView};
use super::{Outcome, Phase, verify};

/// Width of the time buckets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bucket {
    /// One bucket per UTC hour.
    Hour,
    /// One bucket per UTC day.
    Day,
}

/// What to summarize.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only records at or after this time.
    pub since: Option<OffsetDateTime>,
    /// Only records before this time.
    pub until: Option<OffsetDateTime>,
    /// Bucket width; by default hours for periods up to two days, days beyond.
    pub bucket: Option<Bucket>,
}

/// Most time buckets a summary draws; a longer hourly period falls back to days.
const MAX_BUCKETS: usize = 2000;

/// The result of the hash-chain check.
#[derive(Debug, Clone, Serialize)]
pub struct Integrity {
    /// True when the chain verified.
    pub ok: bool,
    /// `verify`'s one-line result (success line, or `file:line: what is wrong`).
    pub message: String,
}

/// A policy version seen in records.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyRow {
    /// Policy name.
    pub name: String,
    /// SHA-256 of the policy file.
    pub sha256: String,
    /// Requests it handled.
    pub requests: u64,
    /// Time of the first request it handled.
    pub first_seen: String,
    /// Time of the last request it handled.
    pub last_seen: String,
}

/// Field changes of one rule of one policy version.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeRow {
    /// Policy name.
    pub policy: String,
    /// SHA-256 of the policy version (empty when the record did not name it).
    pub sha256: String,
    /// Rule id.
    pub rule: String,
    /// Action.
    pub action: String,
    /// Detector, for rules that detect.
    pub detector: Option<String>,
    /// True for what a shadow policy would have done.
    pub shadow: bool,
    /// Fields changed.
    pub changes: u64,
    /// Matches changed (detector findings; 1 per field without a detector).
    pub matches: u64,
}

/// Dropped events of one rule of one policy version.
#[derive(Debug, Clone, Serialize)]
pub struct DropRow {
    /// Policy name.
    pub policy: String,
    /// SHA-256 of the policy version.
    pub sha256: String,
    /// Rule id (`consent` for opt-outs).
    pub rule: String,
    /// True for what a shadow policy would have done.
    pub shadow: bool,
    /// Events dropped.
    pub events: u64,
}

/// Opt-outs by consent signal.
#[derive(Debug, Clone, Serialize)]
pub struct OptOutRow {
    /// The signal (`gpc`, `tcf`, `registry`, ...).
    pub signal: String,
    /// Requests it opted out.
    pub requests: u64,
    /// Events dropped because of it.
    pub events: u64,
}

/// Requests not forwarded, by error code.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorRow {
    /// `rejected` or `upstream_error`.
    pub outcome: Outcome,
    /// The record's error code.
    pub code: String,
    /// Requests.
    pub requests: u64,
}

/// Records that are not requests: registry changes and retention.
#[derive(Debug, Clone, Serialize)]
pub struct AdminRow {
    /// What happened (`opt_out`, `withdraw`, `audit retention`).
    pub action: String,
    /// Identifier kind, reason category, or files removed.
    pub detail: String,
    /// How many records.
    pub records: u64,
}

/// Requests in one time bucket, by outcome.
#[derive(Debug, Clone, Serialize)]
pub struct BucketRow {
    /// Start of the bucket (UTC, RFC 3339).
    pub start: String,
    /// Requests by outcome (every request outcome, zeros included).
    pub outcomes: BTreeMap<Outcome, u64>,
}

/// Everything a summary reports.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// When the summary was made.
    pub generated: String,
    /// Files read, in chain order.
    pub files: Vec<String>,
    /// Files left out, with the reason.
    pub skipped: Vec<String>,
    /// `--since`, if given.
    pub since: Option<String>,
    /// `--until`, if given.
    pub until: Option<String>,
    /// Time of the first record in the period.
    pub first_record: Option<String>,
    /// Time of the last record in the period.
    pub last_record: Option<String>,
    /// The hash-chain check over all files (not only the period).
    pub integrity: Integrity,
    /// Records in the period.
    pub records: u64,
    /// Lines that are not readable records (they also break the chain).
    pub unreadable_lines: u64,
    /// Requests in the period (records other than admin records).
    pub requests: u64,
    /// Requests by outcome.
    pub outcomes: BTreeMap<Outcome, u64>,
    /// Requests by route.
    pub routes: BTreeMap<String, u64>,
    /// Requests by the status returned to the client.
    pub statuses: BTreeMap<u16, u64>,
    /// Events received.
    pub events_in: u64,
    /// Events forwarded.
    pub events_out: u64,
    /// Events dropped by enforcing policies.
    pub events_dropped: u64,
    /// Events a shadow policy would have dropped.
    pub events_shadow_dropped: u64,
    /// Unknown fields removed before forwarding.
    pub unknown_fields: u64,
    /// Policy versions that handled requests, by name then first use.
    pub policies: Vec<PolicyRow>,
    /// Field changes, most first.
    pub changes: Vec<ChangeRow>,
    /// Dropped events by rule, most first.
    pub dropped: Vec<DropRow>,
    /// Opt-outs by signal, most first.
    pub opt_outs: Vec<OptOutRow>,
    /// Consent strings that could not be decoded, by kind.
    pub invalid_consent: BTreeMap<String, u64>,
    /// Requests not forwarded, by error code, most first.
    pub errors: Vec<ErrorRow>,
    /// Registry changes and retention.
    pub admin: Vec<AdminRow>,
    /// Bucket width.
    pub bucket: Bucket,
    /// Requests over time.
    pub buckets: Vec<BucketRow>,
}

/// Why a summary could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SummaryError {
    /// A file could not be read.
    #[error("cannot read {path}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// Parses a `--since`/`--until` time: RFC 3339 (`2026-11-29T06:00:00Z`), or a UTC date
/// (`2026-11-29`), or a UTC date and time without offset (`2026-11-29T06:00`,
/// `2026-11-29T06:00:00`).
pub fn parse_time(text: &str) -> Result<OffsetDateTime, String> {
    let text = text.trim();
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Ok(t);
    }
    let formats = [
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]"),
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]"),
        time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]"),
    ];
    for f in formats {
        if let Ok(t) = time::PrimitiveDateTime::parse(text, &f) {
            return Ok(t.assume_utc());
        }
    }
    if let Ok(d) = time::Date::parse(
        text,
        time::macros::format_description!("[year]-[month]-[day]"),
    ) {
        return Ok(d.midnight().assume_utc());
    }
    Err(format!(
        "`{text}` is not a time; write it like 2026-11-29, 2026-11-29T06:00 (UTC) or \
         2026-11-29T06:00:00+01:00"
    ))
}

/// RFC 3339 in UTC with seconds (`2026-11-29T06:00:00Z`).
fn rfc3339(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

fn truncate(t: OffsetDateTime, bucket: Bucket) -> OffsetDateTime {
    let t = t.to_offset(time::UtcOffset::UTC);
    let day = t.date().midnight().assume_utc();
    match bucket {
        Bucket::Day => day,
        Bucket::Hour => day + time::Duration::hours(i64::from(t.hour())),
    }
}

fn step(bucket: Bucket) -> time::Duration {
    match bucket {
        Bucket::Hour => time::Duration::hours(1),
        Bucket::Day => time::Duration::days(1),
    }
}

/// The request outcomes, in report order (admin records are not requests).
pub fn request_outcomes() -> impl Iterator<Item = Outcome> {
    Outcome::ALL.into_iter().filter(|o| *o != Outcome::Admin)
}

/// A change row: policy, sha256, rule, action, detector, shadow.
type ChangeKey = (String, String, String, String, Option<String>, bool);

#[derive(Default)]
struct Tally {
    records: u64,
    unreadable: u64,
    requests: u64,
    outcomes: BTreeMap<Outcome, u64>,
    routes: BTreeMap<String, u64>,
    statuses: BTreeMap<u16, u64>,
    events_in: u64,
    events_out: u64,
    events_dropped: u64,
    events_shadow_dropped: u64,
    unknown_fields: u64,
    first: Option<OffsetDateTime>,
    last: Option<OffsetDateTime>,
    /// (name, sha256) → (requests, first, last, order seen).
    policies: HashMap<(String, String), (u64, OffsetDateTime, OffsetDateTime, usize)>,
    /// Fields changed and matches, per change row.
    changes: HashMap<ChangeKey, (u64, u64)>,
    dropped: HashMap<(String, String, String, bool), u64>,
    opt_outs: HashMap<String, (u64, u64)>,
    invalid_consent: BTreeMap<String, u64>,
    errors: HashMap<(Outcome, String), u64>,
    admin: BTreeMap<(String, String), u64>,
    /// Per record time: outcome counts by instant; bucketed at the end.
    times: Vec<(OffsetDateTime, Outcome)>,
}

impl Tally {
    fn add(&mut self, t: OffsetDateTime, v: Request) {
        // A decision without its outcome: the process stopped while forwarding it.
        let outcome = v.outcome.unwrap_or(Outcome::Interrupted);
        self.records += 1;
        self.first = Some(self.first.map_or(t, |f| f.min(t)));
        self.last = Some(self.last.map_or(t, |l| l.max(t)));
        if outcome == Outcome::Admin {
            if let Some(s) = &v.subject {
                let reason = match reason_category(s) {
                    Some(r) => format!("{}, {r}", s.id_kind),
                    None => s.id_kind.clone(),
                };
                *self.admin.entry((s.action.clone(), reason)).or_default() += 1;
            }
            if let Some(r) = &v.retention {
                let detail = format!(
                    "{} file{} removed, seq {}–{}",
                    r.files.len(),
                    if r.files.len() == 1 { "" } else { "s" },
                    r.first_seq,
                    r.through_seq
                );
                *self
                    .admin
                    .entry(("audit retention".to_owned(), detail))
                    .or_default() += 1;
            }
            return;
        }
        self.requests += 1;
        *self.outcomes.entry(outcome).or_default() += 1;
        *self.routes.entry(v.route.clone()).or_default() += 1;
        *self.statuses.entry(v.status).or_default() += 1;
        // Saturating: counts come from the log, which may have been tampered with.
        self.events_in = self.events_in.saturating_add(v.events_in);
        // Events count as forwarded only when the collector took them (an upstream error's
        // record still says how many were sent).
        if matches!(outcome, Outcome::Forwarded | Outcome::Shadow) {
            self.events_out = self.events_out.saturating_add(v.events_out);
        }
        self.unknown_fields = self.unknown_fields.saturating_add(v.unknown_fields);
        self.times.push((t, outcome));
        let order = self.policies.len();
        let mut version: HashMap<&str, &str> = HashMap::new();
        for p in v.policies.iter() {
            version.insert(&p.name, &p.sha256);
            let entry = self
                .policies
                .entry((p.name.clone(), p.sha256.clone()))
                .or_insert((0, t, t, order));
            entry.0 += 1;
            entry.1 = entry.1.min(t);
            entry.2 = entry.2.max(t);
        }
        let sha = |policy: &str| version.get(policy).map_or(String::new(), |s| s.to_string());
        for c in v.changes.iter() {
            let key = (
                c.policy.clone(),
                sha(&c.policy),
                c.rule.clone(),
                c.action.clone(),
                c.detector.clone(),
                c.shadow,
            );
            let e = self.changes.entry(key).or_default();
            e.0 = e.0.saturating_add(c.fields());
            e.1 = e.1.saturating_add(c.count);
        }
        let mut by_signal: HashMap<&str, u64> = HashMap::new();
        for d in v.dropped.iter() {
            let events = d.events.len() as u64;
            if d.shadow {
                self.events_shadow_dropped += events;
            } else {
                self.events_dropped += events;
            }
            *self
                .dropped
                .entry((d.policy.clone(), sha(&d.policy), d.rule.clone(), d.shadow))
                .or_default() += events;
            if let Some(s) = &d.signal
                && !d.shadow
            {
                *by_signal.entry(s).or_default() += events;
            }
        }
        if let Some(c) = &v.consent {
            if let Some(s) = &c.signal {
                let e = self.opt_outs.entry(s.clone()).or_default();
                e.0 += 1;
                e.1 += by_signal.remove(s.as_str()).unwrap_or(0);
            }
            for i in &c.invalid {
                *self.invalid_consent.entry(i.clone()).or_default() += 1;
            }
        }
        for (s, n) in by_signal {
            self.opt_outs.entry(s.to_owned()).or_default().1 += n;
        }
        if let Some(code) = &v.error {
            *self.errors.entry((outcome, code.clone())).or_default() += 1;
        }
    }
}

fn reason_category(s: &SubjectView) -> Option<&'static str> {
    // Older logs may hold free text: it is shown as `other`, never as written.
    let reason = crate::subjects::stored_reason(s.reason.as_deref()?);
    let base = reason
        .strip_prefix(crate::subjects::LINKED)
        .unwrap_or(&reason);
    crate::subjects::REASONS
        .iter()
        .map(|(name, _)| *name)
        .find(|name| *name == base)
}

/// Reads the files and counts what their records say.
pub fn summarize(resolved: &Resolved, options: &Options) -> Result<Summary, SummaryError> {
    let files: &[LogFile] = &resolved.files;
    let integrity = match verify::verify(files) {
        Ok(v) => Integrity {
            ok: true,
            message: v.to_string(),
        },
        Err(b) => Integrity {
            ok: false,
            message: b.to_string(),
        },
    };
    let mut tally = Tally::default();
    let mut decisions: HashMap<read::PairKey, (OffsetDateTime, Request)> = HashMap::new();
    // The time of the last record read: a compact outcome record whose decision is not at
    // hand (filtered out, or removed by retention) counts at it.
    let mut last_time: Option<OffsetDateTime> = None;
    for file in files {
        let io = |source| SummaryError::Io {
            path: file.path.display().to_string(),
            source,
        };
        let mut defs = Definitions::default();
        for line in file.lines().map_err(io)? {
            let line = match line {
                Ok(l) => l,
                // A damaged file: what was read counts, the rest is reported by `integrity`.
                Err(_) => {
                    tally.unreadable += 1;
                    break;
                }
            };
            let view = match read::parse(&line.bytes, &mut defs) {
                Ok(Line::Record(view)) => *view,
                Ok(Line::Definition) => continue,
                Err(_) => {
                    tally.unreadable += 1;
                    continue;
                }
            };
            let key = view.pair_key();
            // A forwarded request's decision and outcome records count as one request, at
            // the decision's time, with the outcome's outcome, status and error.
            if view.phase == Some(Phase::Outcome)
                && let Some((decided, mut decision)) =
                    key.as_ref().and_then(|k| decisions.remove(k))
            {
                decision.complete(view);
                tally.add(decided, decision);
                continue;
            }
            let t = if view.time.is_empty() && view.decision_seq.is_some() {
                last_time
            } else {
                OffsetDateTime::parse(&view.time, &Rfc3339).ok()
            };
            let Some(t) = t else {
                tally.unreadable += 1;
                continue;
            };
            last_time = Some(t);
            if options.since.is_some_and(|s| t < s) || options.until.is_some_and(|u| t >= u) {
                continue;
            }
            match (view.phase, key) {
                (Some(Phase::Decision), Some(key)) => {
                    decisions.insert(key, (t, view));
                }
                _ => tally.add(t, view),
            }
        }
    }
    // Decisions without an outcome: the process stopped while forwarding them.
    let mut left: Vec<(OffsetDateTime, Request)> = decisions.into_values().collect();
    left.sort_by_key(|(t, _)| *t);
    for (t, view) in left {
        tally.add(t, view);
    }
    Ok(finish(tally, resolved, options, integrity))
}

fn finish(tally: Tally, resolved: &Resolved, options: &Options, integrity: Integrity) -> Summary {
    let mut bucket = options.bucket.unwrap_or(match (tally.first, tally.last) {
        (Some(f), Some(l)) if l - f > time::Duration::hours(48) => Bucket::Day,
        _ => Bucket::Hour,
    });
    let mut buckets = Vec::new();
    if let (Some(first), Some(last)) = (tally.first, tally.last) {
        if bucket == Bucket::Hour && (last - first).whole_hours() as usize >= MAX_BUCKETS {
            bucket = Bucket::Day;
        }
        let zeros = || -> BTreeMap<Outcome, u64> { request_outcomes().map(|o| (o, 0)).collect() };
        let mut index: BTreeMap<OffsetDateTime, BTreeMap<Outcome, u64>> = BTreeMap::new();
        // Empty buckets are shown too, unless the period is longer than the chart can draw
        // (then only buckets with requests are listed).
        let mut t = Some(truncate(first, bucket));
        while let Some(at) = t.filter(|at| *at <= last) {
            if index.len() >= MAX_BUCKETS {
                index.clear();
                break;
            }
            index.insert(at, zeros());
            t = at.checked_add(step(bucket));
        }
        for (at, outcome) in &tally.times {
            *index
                .entry(truncate(*at, bucket))
                .or_insert_with(zeros)
                .entry(*outcome)
                .or_default() += 1;
        }
        buckets = index
            .into_iter()
            .map(|(start, outcomes)| BucketRow {
                start: rfc3339(start),
                outcomes,
            })
            .collect();
    }
    let mut policies: Vec<(usize, PolicyRow)> = tally
        .policies
        .into_iter()
        .map(|((name, sha256), (requests, first, last, order))| {
            (
                order,
                PolicyRow {
                    name,
                    sha256,
                    requests,
                    first_seen: rfc3339(first),
                    last_seen: rfc3339(last),
                },
            )
        })
        .collect();
    policies.sort_by(|a, b| {
        (a.1.name.as_str(), &a.1.first_seen, a.0).cmp(&(b.1.name.as_str(), &b.1.first_seen, b.0))
    });
    let mut changes: Vec<ChangeRow> = tally
        .changes
        .into_iter()
        .map(
            |((policy, sha256, rule, action, detector, shadow), (changes, matches))| ChangeRow {
                policy,
                sha256,
                rule,
                action,
                detector,
                shadow,
                changes,
                matches,
            },
        )
        .collect();
    changes.sort_by(|a, b| {
        b.changes
            .cmp(&a.changes)
            .then_with(|| (&a.policy, &a.sha256, &a.rule).cmp(&(&b.policy, &b.sha256, &b.rule)))
            .then_with(|| {
                (&a.action, &a.detector, a.shadow).cmp(&(&b.action, &b.detector, b.shadow))
            })
    });
    let mut dropped: Vec<DropRow> = tally
        .dropped
        .into_iter()
        .map(|((policy, sha256, rule, shadow), events)| DropRow {
            policy,
            sha256,
            rule,
            shadow,
            events,
        })
        .collect();
    dropped.sort_by(|a, b| {
        b.events.cmp(&a.events).then_with(|| {
            (&a.policy, &a.sha256, &a.rule, a.shadow)
                .cmp(&(&b.policy, &b.sha256, &b.rule, b.shadow))
        })
    });
    let mut opt_outs: Vec<OptOutRow> = tally
        .opt_outs
        .into_iter()
        .map(|(signal, (requests, events))| OptOutRow {
            signal,
            requests,
            events,
        })
        .collect();
    opt_outs.sort_by(|a, b| {
        (b.requests, b.events)
            .cmp(&(a.requests, a.events))
            .then_with(|| a.signal.cmp(&b.signal))
    });
    let mut errors: Vec<ErrorRow> = tally
        .errors
        .into_iter()
        .map(|((outcome, code), requests)| ErrorRow {
            outcome,
            code,
            requests,
        })
        .collect();
    errors.sort_by(|a, b| {
        b.requests
            .cmp(&a.requests)
            .then_with(|| (a.outcome, &a.code).cmp(&(b.outcome, &b.code)))
    });
    let admin = tally
        .admin
        .into_iter()
        .map(|((action, detail), records)| AdminRow {
            action,
            detail,
            records,
        })
        .collect();
    let mut outcomes: BTreeMap<Outcome, u64> = request_outcomes().map(|o| (o, 0)).collect();
    outcomes.extend(tally.outcomes);
    Summary {
        generated: rfc3339(OffsetDateTime::now_utc()),
        files: resolved
            .files
            .iter()
            .map(|f| f.path.display().to_string())
            .collect(),
        skipped: resolved
            .skipped
            .iter()
            .map(|(p, why)| format!("{}: {why}", p.display()))
            .collect(),
        since: options.since.map(rfc3339),
        until: options.until.map(rfc3339),
        first_record: tally.first.map(rfc3339),
        last_record: tally.last.map(rfc3339),
        integrity,
        records: tally.records,
        unreadable_lines: tally.unreadable,
        requests: tally.requests,
        outcomes,
        routes: tally.routes,
        statuses: tally.statuses,
        events_in: tally.events_in,
        events_out: tally.events_out,
        events_dropped: tally.events_dropped,
        events_shadow_dropped: tally.events_shadow_dropped,
        unknown_fields: tally.unknown_fields,
        policies: policies.into_iter().map(|(_, p)| p).collect(),
        changes,
        dropped,
        opt_outs,
        invalid_consent: tally.invalid_consent,
        errors,
        admin,
        bucket,
        buckets,
    }
}

/// First 12 hex digits of a SHA-256, as reports show policy versions.
pub fn short_sha(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}

/// A policy's name as reports show it, marked when only its shadow run made the change.
pub fn policy_label(policy: &str, shadow: bool) -> String {
    if shadow {
        format!("{policy} (shadow)")
    } else {
        policy.to_owned()
    }
}

/// Text for a terminal: control characters (which a tampered log could use to move the cursor
/// or recolour the screen) are replaced.
pub fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}

impl Summary {
    /// The period the summary covers, in words.
    pub fn period(&self) -> String {
        let from = self
            .since
            .as_deref()
            .or(self.first_record.as_deref())
            .unwrap_or("the beginning");
        let to = self
            .until
            .as_deref()
            .or(self.last_record.as_deref())
            .unwrap_or("the end");
        format!("{from} – {to}")
    }

    /// The time-axis label of a bucket start.
    pub fn bucket_label(&self, start: &str) -> String {
        match self.bucket {
            Bucket::Hour => start
                .get(..13)
                .map_or(start.to_owned(), |s| format!("{s}:00")),
            Bucket::Day => start.get(..10).unwrap_or(start).to_owned(),
        }
    }

    /// Renders the summary as plain text.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let c = clean;
        let _ = writeln!(out, "privgate audit summary");
        let _ = writeln!(out, "period:     {} (UTC)", c(&self.period()));
        let _ = writeln!(
            out,
            "integrity:  {}",
            c(&if self.integrity.ok {
                self.integrity.message.clone()
            } else {
                format!("BROKEN: {}", self.integrity.message)
            })
        );
        let _ = writeln!(out, "files:      {}", c(&self.files.join(", ")));
        for s in &self.skipped {
            let _ = writeln!(out, "skipped:    {}", c(s));
        }
        if self.unreadable_lines > 0 {
            let _ = writeln!(
                out,
                "unreadable: {} line(s) are not readable records",
                self.unreadable_lines
            );
        }
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "requests {}   events in {}   forwarded {}   dropped {}   shadow-dropped {}   unknown fields removed {}",
            self.requests,
            self.events_in,
            self.events_out,
            self.events_dropped,
            self.events_shadow_dropped,
            self.unknown_fields
        );
        section(&mut out, "Requests by outcome", &["outcome", "requests"], {
            request_outcomes()
                .map(|o| {
                    let n = self.outcomes.get(&o).copied().unwrap_or(0);
                    vec![o.as_str().to_owned(), n.to_string()]
                })
                .collect()
        });
        section(
            &mut out,
            "Policy versions",
            &["policy", "sha256", "requests", "first seen", "last seen"],
            self.policies
                .iter()
                .map(|p| {
                    vec![
                        c(&p.name),
                        c(short_sha(&p.sha256)),
                        p.requests.to_string(),
                        p.first_seen.clone(),
                        p.last_seen.clone(),
                    ]
                })
                .collect(),
        );
        section(
            &mut out,
            "Field changes by policy version, rule, action and detector",
            &[
                "policy", "sha256", "rule", "action", "detector", "fields", "matches",
            ],
            self.changes
                .iter()
                .map(|r| {
                    vec![
                        c(&policy_label(&r.policy, r.shadow)),
                        c(short_sha(&r.sha256)),
                        c(&r.rule),
                        c(&r.action),
                        c(r.detector.as_deref().unwrap_or("-")),
                        r.changes.to_string(),
                        r.matches.to_string(),
                    ]
                })
                .collect(),
        );
        let top: Vec<Vec<String>> = self
            .dropped
            .iter()
            .take(10)
            .map(|r| {
                vec![
                    c(&policy_label(&r.policy, r.shadow)),
                    c(short_sha(&r.sha256)),
                    c(&r.rule),
                    r.events.to_string(),
                ]
            })
            .collect();
        section(
            &mut out,
            "Top dropped rules",
            &["policy", "sha256", "rule", "events"],
            top,
        );
        if self.dropped.len() > 10 {
            let _ = writeln!(out, "  … and {} more rules", self.dropped.len() - 10);
        }
        section(
            &mut out,
            "Opt-outs by consent signal",
            &["signal", "requests", "events dropped"],
            self.opt_outs
                .iter()
                .map(|r| vec![c(&r.signal), r.requests.to_string(), r.events.to_string()])
                .collect(),
        );
        section(
            &mut out,
            "Undecodable consent strings",
            &["kind", "requests"],
            self.invalid_consent
                .iter()
                .map(|(k, n)| vec![c(k), n.to_string()])
                .collect(),
        );
        section(
            &mut out,
            "Requests not forwarded, by error code",
            &["outcome", "code", "requests"],
            self.errors
                .iter()
                .map(|r| {
                    vec![
                        r.outcome.as_str().to_owned(),
                        c(&r.code),
                        r.requests.to_string(),
                    ]
                })
                .collect(),
        );
        section(
            &mut out,
            "Requests by route",
            &["route", "requests"],
            self.routes
                .iter()
                .map(|(r, n)| vec![c(r), n.to_string()])
                .collect(),
        );
        section(
            &mut out,
            "Registry changes and retention",
            &["action", "detail", "records"],
            self.admin
                .iter()
                .map(|r| vec![c(&r.action), c(&r.detail), r.records.to_string()])
                .collect(),
        );
        let mut header = vec![match self.bucket {
            Bucket::Hour => "hour (UTC)",
            Bucket::Day => "day (UTC)",
        }];
        header.extend(request_outcomes().map(Outcome::as_str));
        section(
            &mut out,
            "Requests over time",
            &header,
            self.buckets
                .iter()
                .map(|b| {
                    let mut row = vec![self.bucket_label(&b.start)];
                    row.extend(
                        request_outcomes()
                            .map(|o| b.outcomes.get(&o).copied().unwrap_or(0).to_string()),
                    );
                    row
                })
                .collect(),
        );
        out
    }

    /// Renders the summary as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_owned())
    }

    /// The distinct policy names seen, for titles.
    pub fn policy_names(&self) -> BTreeSet<&str> {
        self.policies.iter().map(|p| p.name.as_str()).collect()
    }
}

/// Appends a titled table; "none" when it has no rows.
fn section(out: &mut String, title: &str, header: &[&str], rows: Vec<Vec<String>>) {
    let _ = writeln!(out, "\n{title}");
    if rows.is_empty() {
        let _ = writeln!(out, "  none");
        return;
    }
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let line = |cells: Vec<&str>| {
        let mut s = String::from(" ");
        for (i, cell) in cells.iter().enumerate() {
            let w = widths.get(i).copied().unwrap_or(0);
            let numeric = !cell.is_empty() && cell.bytes().all(|b| b.is_ascii_digit());
            if numeric && i > 0 {
                let _ = write!(s, " {cell:>w$}");
            } else {
                let _ = write!(s, " {cell:<w$}");
            }
        }
        s.trim_end().to_owned()
    };
    let _ = writeln!(out, "{}", line(header.to_vec()));
    for row in &rows {
        let _ = writeln!(out, "{}", line(row.iter().map(String::as_str).collect()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_read_in_the_documented_forms() {
        let t = |s| rfc3339(parse_time(s).unwrap());
        assert_eq!(t("2026-11-29"), "2026-11-29T00:00:00Z");
        assert_eq!(t("2026-11-29T06:30"), "2026-11-29T06:30:00Z");
        assert_eq!(t("2026-11-29T06:30:05"), "2026-11-29T06:30:05Z");
        assert_eq!(t("2026-11-29T06:30:05+01:00"), "2026-11-29T05:30:05Z");
        assert_eq!(t("2026-11-29T06:30:05.250Z"), "2026-11-29T06:30:05Z");
        assert!(parse_time("yesterday").unwrap_err().contains("not a time"));
    }
}
