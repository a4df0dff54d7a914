//! Reading records back, in either form: the compact form ([`super::compact`]: definition
//! records, request records that name them, outcome records that name their decision by seq)
//! and the earlier form (every record whole: `policies`, one `changes` entry per field, one
//! `dropped` entry per event, decision and outcome paired by `request_id`). Both become a
//! [`Request`], with the facts of the definitions a compact record names filled in.
//!
//! Definitions are looked up in the file being read ([`Definitions`], one per file): a
//! compact record whose definition is not earlier in its file does not resolve. This module
//! does not check the chain ([`super::verify`] does) and never interprets free text.

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::compact::{content_key, parse_ranges, split_folded};
use super::{Outcome, Phase, RetentionRecord};

/// Most event indices a drop group may name (a hostile log cannot make a reader allocate more).
const MAX_EVENTS: usize = 1 << 20;

/// A policy version named by a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyView {
    /// Name.
    pub name: String,
    /// SHA-256 of its file.
    pub sha256: String,
}

/// Field changes of one policy, rule, action, detector and evidence in one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeGroup {
    /// Policy name.
    pub policy: String,
    /// Rule id.
    pub rule: String,
    /// Action.
    pub action: String,
    /// Detector, for rules that detect.
    pub detector: Option<String>,
    /// What made the detector's findings.
    pub evidence: Option<String>,
    /// True for what a shadow policy would have done.
    pub shadow: bool,
    /// Matches changed, summed over the paths (at least one per field).
    pub count: u64,
    /// Each path (`events[0].properties.note`, or `events[*].properties.note` for a path
    /// folded over several events) and the number of events it stands for.
    pub paths: Vec<(String, u64)>,
}

impl ChangeGroup {
    /// Fields changed: one per path and event.
    pub fn fields(&self) -> u64 {
        self.paths
            .iter()
            .fold(0u64, |n, (_, events)| n.saturating_add(*events))
    }
}

/// Dropped events of one policy, rule and signal in one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DropGroup {
    /// Policy name.
    pub policy: String,
    /// Rule id (`consent` for opt-outs).
    pub rule: String,
    /// The opt-out signal, for consent drops.
    pub signal: Option<String>,
    /// True for what a shadow policy would have done.
    pub shadow: bool,
    /// Positions of the events in the request.
    pub events: Vec<usize>,
}

/// Consent information of a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentView {
    /// The signal that opted the request out, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal: Option<String>,
    /// Consent strings that could not be decoded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub invalid: Vec<String>,
}

/// A deletion request passed through.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasureView {
    /// Subjects in the request.
    #[serde(default)]
    pub subjects: u64,
    /// True when they were added to the registry.
    #[serde(default)]
    pub opted_out: bool,
}

/// A registry change made through the admin API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectView {
    /// `opt_out` or `withdraw`.
    pub action: String,
    /// `identity` or `user_id`.
    pub id_kind: String,
    /// The reason as written (free text in older logs: reports show only its category).
    #[serde(default)]
    pub reason: Option<String>,
}

/// The effects a compact definition names.
#[derive(Debug, Default, PartialEq, Eq)]
struct Effects {
    changes: Vec<ChangeGroup>,
    dropped: Vec<DropGroup>,
}

/// One record of a request (or an admin record), in either form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Request {
    /// Its seq.
    pub seq: u64,
    /// Its time; for a compact outcome record, empty (it is `ms` after its decision's).
    pub time: String,
    /// The request id; a compact outcome record has none (its decision has it).
    pub request_id: Option<String>,
    /// `decision` or `outcome` for the two records of a forwarded request.
    pub phase: Option<Phase>,
    /// The decision a compact outcome record completes (its seq).
    pub decision_seq: Option<u64>,
    /// Milliseconds from the decision to a compact outcome record.
    pub ms: Option<u64>,
    /// The route.
    pub route: String,
    /// The app id.
    pub app_id: Option<String>,
    /// What happened; `None` for a decision (until its outcome is read).
    pub outcome: Option<Outcome>,
    /// The status answered.
    pub status: u16,
    /// The collector's status.
    pub upstream_status: Option<u16>,
    /// Events received.
    pub events_in: u64,
    /// Events forwarded.
    pub events_out: u64,
    /// Policy versions that handled the request.
    pub policies: Arc<[PolicyView]>,
    /// Field changes, grouped.
    pub changes: Arc<[ChangeGroup]>,
    /// Dropped events, grouped.
    pub dropped: Arc<[DropGroup]>,
    /// Consent information.
    pub consent: Option<ConsentView>,
    /// Unknown fields removed.
    pub unknown_fields: u64,
    /// Error code.
    pub error: Option<String>,
    /// Deletion request details.
    pub erasure: Option<ErasureView>,
    /// Registry change details.
    pub subject: Option<SubjectView>,
    /// Retention details.
    pub retention: Option<RetentionRecord>,
    /// True for a record of the compact form.
    pub compact: bool,
}

/// How a record pairs with the other record of its request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PairKey {
    /// The earlier form pairs by request id.
    RequestId(String),
    /// The compact form: an outcome names its decision's seq.
    Seq(u64),
}

impl Request {
    /// For a decision, the key its outcome will name; for an outcome, the key of its decision.
    pub fn pair_key(&self) -> Option<PairKey> {
        match (self.phase?, self.decision_seq, &self.request_id) {
            (Phase::Outcome, Some(seq), _) => Some(PairKey::Seq(seq)),
            (Phase::Decision, _, _) if self.compact => Some(PairKey::Seq(self.seq)),
            (_, _, Some(id)) => Some(PairKey::RequestId(id.clone())),
            _ => None,
        }
    }

    /// Completes a decision with its outcome record.
    pub fn complete(&mut self, outcome: Request) {
        self.outcome = outcome.outcome;
        self.status = outcome.status;
        self.upstream_status = outcome.upstream_status;
        self.error = outcome.error;
        self.erasure = outcome.erasure;
    }
}

/// Why a line is not a readable record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// Not JSON.
    #[error("not valid JSON (column {column})")]
    NotJson {
        /// 1-based column where parsing failed.
        column: usize,
    },
    /// JSON, but not a record of either form.
    #[error("not an audit record")]
    NotRecord,
    /// A compact record names a definition that is not earlier in its file.
    #[error("`{key}` names definition {id}, which is not earlier in this file")]
    Unresolved {
        /// `set` or `effects`.
        key: &'static str,
        /// The id named (at most 16 characters of it).
        id: String,
    },
    /// A definition whose id is not the hash of its content.
    #[error("definition {id} does not match its content")]
    BadDefinition {
        /// The id (at most 16 characters of it).
        id: String,
    },
}

/// What a line is.
#[derive(Debug)]
pub enum Line {
    /// A definition (kept in [`Definitions`]).
    Definition,
    /// A record.
    Record(Box<Request>),
}

/// The definitions read so far in one file.
#[derive(Debug, Default)]
pub struct Definitions {
    policies: HashMap<String, Arc<[PolicyView]>>,
    effects: HashMap<String, Arc<Effects>>,
}

impl Definitions {
    /// Forgets every definition: a new file begins.
    pub fn clear(&mut self) {
        self.policies.clear();
        self.effects.clear();
    }
}

#[derive(Deserialize)]
struct Raw {
    #[serde(default)]
    seq: u64,
    #[serde(default)]
    time: Option<String>,
    #[serde(default)]
    def: Option<String>,
    #[serde(default)]
    request_id: Option<String>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    phase: Option<Phase>,
    #[serde(default)]
    of: Option<u64>,
    #[serde(default)]
    ms: Option<u64>,
    #[serde(default)]
    route: String,
    #[serde(default)]
    app_id: Option<String>,
    #[serde(default)]
    app: Option<String>,
    #[serde(default)]
    outcome: Option<Outcome>,
    #[serde(default)]
    status: u16,
    #[serde(default)]
    upstream_status: Option<u16>,
    #[serde(default)]
    upstream: Option<u16>,
    #[serde(default)]
    events_in: Option<u64>,
    #[serde(default)]
    events_out: Option<u64>,
    #[serde(default, rename = "in")]
    events_in_compact: Option<u64>,
    #[serde(default, rename = "out")]
    events_out_compact: Option<u64>,
    #[serde(default)]
    policies: Option<Vec<PolicyView>>,
    #[serde(default)]
    set: Option<String>,
    #[serde(default)]
    changes: Option<Vec<ChangeIn>>,
    #[serde(default)]
    dropped: Option<Vec<DropIn>>,
    #[serde(default)]
    effects: Option<String>,
    #[serde(default)]
    consent: Option<ConsentView>,
    #[serde(default)]
    unknown_fields: Option<u64>,
    #[serde(default)]
    unknown: Option<u64>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    erasure: Option<ErasureView>,
    #[serde(default)]
    subject: Option<SubjectView>,
    #[serde(default)]
    retention: Option<RetentionRecord>,
}

#[derive(Deserialize)]
struct ChangeIn {
    policy: String,
    rule: String,
    action: String,
    #[serde(default)]
    detector: Option<String>,
    #[serde(default)]
    evidence: Option<String>,
    #[serde(default)]
    count: u64,
    #[serde(default)]
    shadow: bool,
    /// The earlier form: one field.
    #[serde(default)]
    path: Option<String>,
    /// The compact form: the group's paths.
    #[serde(default)]
    paths: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct DropIn {
    policy: String,
    rule: String,
    #[serde(default)]
    signal: Option<String>,
    #[serde(default)]
    shadow: bool,
    /// The earlier form: one event.
    #[serde(default)]
    event_index: Option<usize>,
    /// The compact form: ranges of events.
    #[serde(default)]
    events: Option<String>,
}

fn groups(changes: Vec<ChangeIn>) -> Vec<ChangeGroup> {
    changes
        .into_iter()
        .map(|c| {
            let (paths, count) = match (c.paths, c.path) {
                (Some(paths), _) => (
                    paths
                        .iter()
                        .map(|p| {
                            let (path, n) = split_folded(p);
                            (path.to_owned(), n)
                        })
                        .collect(),
                    c.count,
                ),
                (None, path) => (vec![(path.unwrap_or_default(), 1)], c.count.max(1)),
            };
            ChangeGroup {
                policy: c.policy,
                rule: c.rule,
                action: c.action,
                detector: c.detector,
                evidence: c.evidence,
                shadow: c.shadow,
                count,
                paths,
            }
        })
        .collect()
}

fn drop_groups(dropped: Vec<DropIn>) -> Result<Vec<DropGroup>, ReadError> {
    dropped
        .into_iter()
        .map(|d| {
            let events = match (d.events, d.event_index) {
                (Some(ranges), _) => {
                    parse_ranges(&ranges, MAX_EVENTS).ok_or(ReadError::NotRecord)?
                }
                (None, index) => index.into_iter().collect(),
            };
            Ok(DropGroup {
                policy: d.policy,
                rule: d.rule,
                signal: d.signal,
                shadow: d.shadow,
                events,
            })
        })
        .collect()
}

/// The id and body of a compact definition line: the bytes between `"def":"<id>",` and the
/// final `,"prev":"…"}` (its id is the hash of exactly these bytes).
pub fn definition_parts(line: &[u8]) -> Option<(&str, &[u8])> {
    const DEF: &[u8] = b",\"def\":\"";
    const PREV: &[u8] = b",\"prev\":\"";
    let at = line.windows(DEF.len()).position(|w| w == DEF)? + DEF.len();
    let id = line.get(at..at + 16)?;
    let body_start = at + 16 + 2;
    if line.get(at + 16..body_start)? != b"\"," {
        return None;
    }
    let body_end = line.windows(PREV.len()).rposition(|w| w == PREV)?;
    let body = line.get(body_start..body_end)?;
    Some((std::str::from_utf8(id).ok()?, body))
}

/// Checks a definition line's id against its content.
pub fn check_definition(line: &[u8], id: &str) -> Result<(), ReadError> {
    let bad = || ReadError::BadDefinition {
        id: id.chars().take(16).collect(),
    };
    let (written, body) = definition_parts(line).ok_or_else(bad)?;
    if written != id || format!("{:016x}", content_key(body)) != id {
        return Err(bad());
    }
    Ok(())
}

/// Reads one line of `defs`'s file.
pub fn parse(line: &[u8], defs: &mut Definitions) -> Result<Line, ReadError> {
    let raw: Raw = match serde_json::from_slice(line) {
        Ok(r) => r,
        Err(e) if e.is_data() => return Err(ReadError::NotRecord),
        Err(e) => return Err(ReadError::NotJson { column: e.column() }),
    };
    if let Some(id) = raw.def {
        check_definition(line, &id)?;
        match raw.policies {
            Some(p) => {
                defs.policies.insert(id, p.into());
            }
            None => {
                let effects = Effects {
                    changes: groups(raw.changes.unwrap_or_default()),
                    dropped: drop_groups(raw.dropped.unwrap_or_default())?,
                };
                defs.effects.insert(id, Arc::new(effects));
            }
        }
        return Ok(Line::Definition);
    }
    let unresolved = |key, id: &str| ReadError::Unresolved {
        key,
        id: id.chars().take(16).collect(),
    };
    let compact = raw.id.is_some() || raw.of.is_some();
    let policies: Arc<[PolicyView]> = match (&raw.set, raw.policies) {
        (Some(set), _) => defs
            .policies
            .get(set)
            .cloned()
            .ok_or_else(|| unresolved("set", set))?,
        (None, p) => p.unwrap_or_default().into(),
    };
    let (changes, dropped): (Arc<[ChangeGroup]>, Arc<[DropGroup]>) = match &raw.effects {
        Some(id) => {
            let e = defs
                .effects
                .get(id)
                .ok_or_else(|| unresolved("effects", id))?;
            (e.changes.clone().into(), e.dropped.clone().into())
        }
        None => (
            groups(raw.changes.unwrap_or_default()).into(),
            drop_groups(raw.dropped.unwrap_or_default())?.into(),
        ),
    };
    let phase = match (raw.phase, compact) {
        (p @ Some(_), _) => p,
        (None, true) if raw.of.is_some() => Some(Phase::Outcome),
        (None, true) if raw.outcome.is_none() => Some(Phase::Decision),
        (None, _) => None,
    };
    // Decisions carry no outcome (in either form); a record of the earlier form without one
    // is read as interrupted, as it always was.
    let outcome = match phase {
        Some(Phase::Decision) => None,
        _ => Some(raw.outcome.unwrap_or(Outcome::Interrupted)),
    };
    // The compact form writes the collector's status only where it differs from the answer.
    let upstream_status = raw.upstream_status.or(raw.upstream).or_else(|| {
        (compact && matches!(outcome, Some(Outcome::Forwarded | Outcome::Shadow)))
            .then_some(raw.status)
    });
    Ok(Line::Record(Box::new(Request {
        seq: raw.seq,
        time: raw.time.unwrap_or_default(),
        request_id: raw.request_id.or(raw.id),
        phase,
        decision_seq: raw.of,
        ms: raw.ms,
        route: raw.route,
        app_id: raw.app_id.or(raw.app),
        outcome,
        status: raw.status,
        upstream_status,
        events_in: raw.events_in.or(raw.events_in_compact).unwrap_or(0),
        events_out: raw.events_out.or(raw.events_out_compact).unwrap_or(0),
        policies,
        changes,
        dropped,
        consent: raw.consent,
        unknown_fields: raw.unknown_fields.or(raw.unknown).unwrap_or(0),
        error: raw.error,
        erasure: raw.erasure,
        subject: raw.subject,
        retention: raw.retention,
        compact,
    })))
}
