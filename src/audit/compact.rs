//! The compact record form (docs/audit/records.md, "The compact form"): how a [`Record`] is
//! written. What does not change from request to request is written once per file as a
//! definition record and named by a short id: the policy set (names and SHA-256 of every
//! policy) and the effects of a request (its changes, grouped by policy, rule, action,
//! detector and evidence, with the paths of repeated events folded, and its drops). Request
//! records name both by id; outcome records name their decision by seq.
//!
//! Serialisation writes straight into a `String` (no `serde_json::Value` in between). This
//! module does not number, chain or write records (the writer does), nor read them back
//! ([`super::read`]).

use std::fmt::Write as _;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::{ChangeRecord, DropRecord, Outcome, Record};
use crate::protocol::json::write_str;

/// What a definition record holds, named by a short id that request records refer to. The
/// writer puts it in a file before the first record there that refers to it.
#[derive(Debug, PartialEq, Eq)]
pub struct Definition {
    /// First 8 bytes of the SHA-256 of `body`: the writer's key.
    pub(crate) key: u64,
    /// The JSON members after `"def":"<id>",` (`"policies":[…]`, or `"changes":[…]` and/or
    /// `"dropped":[…]`).
    pub(crate) body: String,
}

impl Definition {
    /// A definition of `body`, its id derived from its content.
    pub fn new(body: String) -> Definition {
        Definition {
            key: content_key(body.as_bytes()),
            body,
        }
    }

    /// [`Definition::new`], shared with the requests before on this thread that had the same
    /// body: traffic repeats its effects, and a comparison costs less than a SHA-256.
    pub(crate) fn shared(body: String) -> Arc<Definition> {
        use std::hash::BuildHasher;
        thread_local! {
            static RECENT: std::cell::RefCell<Vec<Option<Arc<Definition>>>> =
                std::cell::RefCell::new(vec![None; RECENT_DEFINITIONS]);
        }
        let slot = foldhash::fast::FixedState::with_seed(0xdef).hash_one(body.as_str()) as usize
            % RECENT_DEFINITIONS;
        let known = RECENT
            .try_with(|recent| match &recent.borrow()[slot] {
                Some(d) if d.body == body => Some(d.clone()),
                _ => None,
            })
            .ok()
            .flatten();
        if let Some(d) = known {
            return d;
        }
        let d = Arc::new(Definition::new(body));
        let _ = RECENT.try_with(|recent| recent.borrow_mut()[slot] = Some(d.clone()));
        d
    }

    /// The id records refer to it by: 16 lowercase hex digits.
    pub fn id(&self) -> String {
        format!("{:016x}", self.key)
    }
}

/// How many effects definitions a thread remembers ([`Definition::shared`]).
const RECENT_DEFINITIONS: usize = 64;

/// The key of a definition body: the first 8 bytes of its SHA-256.
pub fn content_key(body: &[u8]) -> u64 {
    let digest = Sha256::digest(body);
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first)
}

/// Which record of a request a body is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// A request that is not forwarded, or an admin record: everything in one record.
    Single,
    /// What was decided before forwarding: everything but the outcome.
    Decision,
}

fn push_num(out: &mut String, n: impl itoa::Integer) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// Appends `,"key":"value"` (`value` escaped), or nothing for `None`.
fn push_member<'a>(out: &mut String, key: &str, value: impl Into<Option<&'a str>>) {
    if let Some(value) = value.into() {
        out.push_str(",\"");
        out.push_str(key);
        out.push_str("\":");
        write_str(out, value);
    }
}

/// Appends `{"policy":…,"rule":…` — the start of a change or drop group — and `,"action":…`,
/// `,"detector":…`, `,"evidence":…`, `,"signal":…` where given.
fn push_group_start(
    out: &mut String,
    policy: &str,
    rule: &str,
    members: [(&str, Option<&str>); 4],
) {
    out.push_str("{\"policy\":");
    write_str(out, policy);
    push_member(out, "rule", rule);
    for (key, value) in members {
        push_member(out, key, value);
    }
}

/// Appends `,"key":<json>` for a small nested object.
fn push_object(out: &mut String, key: &str, value: &impl serde::Serialize) {
    out.push_str(",\"");
    out.push_str(key);
    out.push_str("\":");
    out.push_str(&serde_json::to_string(value).expect("audit records always serialize"));
}

/// The record body (JSON members without braces, `seq` and `prev`) of a request record, and
/// the effects definition it refers to, if the request changed or dropped anything.
pub(crate) fn request_body(record: &Record, part: Part) -> (String, Option<Arc<Definition>>) {
    let mut out = String::with_capacity(192);
    out.push_str("\"time\":");
    write_str(&mut out, &record.time);
    push_member(&mut out, "id", record.request_id.as_str());
    push_member(&mut out, "route", record.route.as_str());
    push_member(&mut out, "app", record.app_id.as_deref());
    if record.outcome != Outcome::Admin || record.events_in > 0 {
        out.push_str(",\"in\":");
        push_num(&mut out, record.events_in);
        out.push_str(",\"out\":");
        push_num(&mut out, record.events_out);
    }
    if let Some(set) = record.policies.definition() {
        out.push_str(",\"set\":\"");
        let _ = write!(out, "{:016x}", set.key);
        out.push('"');
    }
    let effects = effects(&record.changes, &record.dropped).map(Definition::shared);
    if let Some(e) = &effects {
        out.push_str(",\"effects\":\"");
        let _ = write!(out, "{:016x}", e.key);
        out.push('"');
    }
    if let Some(c) = &record.consent {
        push_object(&mut out, "consent", c);
    }
    if record.unknown_fields > 0 {
        out.push_str(",\"unknown\":");
        push_num(&mut out, record.unknown_fields);
    }
    if part == Part::Single {
        outcome_members(&mut out, record);
        if let Some(s) = &record.subject {
            push_object(&mut out, "subject", s);
        }
        if let Some(r) = &record.retention {
            push_object(&mut out, "retention", r);
        }
    }
    (out, effects)
}

/// The body of the outcome record of a forwarded request: the decision's seq
/// ([`Record::decision_seq`]; 0, which names no decision, if it was never set), what came of
/// it, and the milliseconds since the decision's time.
pub(crate) fn outcome_body(record: &Record, now: time::OffsetDateTime) -> String {
    let mut out = String::with_capacity(64);
    out.push_str("\"of\":");
    push_num(&mut out, record.decision_seq.unwrap_or(0));
    outcome_members(&mut out, record);
    let decided =
        time::OffsetDateTime::parse(&record.time, &time::format_description::well_known::Rfc3339);
    if let Ok(decided) = decided {
        let ms = (now - decided).whole_milliseconds().max(0);
        out.push_str(",\"ms\":");
        push_num(&mut out, ms);
    }
    out
}

/// `"outcome"`, `"status"`, and `"upstream"` (the collector's status, only where it differs
/// from the status answered), `"error"` and `"erasure"`.
fn outcome_members(out: &mut String, record: &Record) {
    out.push_str(",\"outcome\":\"");
    out.push_str(record.outcome.as_str());
    out.push_str("\",\"status\":");
    push_num(out, record.status);
    if let Some(u) = record.upstream_status.filter(|u| *u != record.status) {
        out.push_str(",\"upstream\":");
        push_num(out, u);
    }
    push_member(out, "error", record.error);
    if let Some(e) = &record.erasure {
        push_object(out, "erasure", e);
    }
}

/// The body of a policy set's definition: `"policies":[{"name":…,"sha256":…},…]`.
pub(crate) fn policies_body(versions: &[super::PolicyVersion]) -> String {
    let mut out = String::with_capacity(16 + versions.len() * 96);
    out.push_str("\"policies\":[");
    for (i, v) in versions.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"name\":");
        write_str(&mut out, &v.name);
        push_member(&mut out, "sha256", v.sha256.as_str());
        out.push('}');
    }
    out.push(']');
    out
}

/// Splits `events[<i>].<rest>` into the event index and the rest (`""` for the whole event).
pub fn split_event_path(path: &str) -> Option<(usize, &str)> {
    let inner = path.strip_prefix("events[")?;
    let close = inner.find(']')?;
    let index = inner[..close].parse().ok()?;
    match &inner[close + 1..] {
        "" => Some((index, "")),
        rest => Some((index, rest.strip_prefix('.')?)),
    }
}

/// The effects definition body of a request's changes and drops, or `None` when it has
/// neither. Changes are grouped by (policy, rule, action, detector, evidence, shadow) in the
/// order first seen, each group listing its paths once (sorted); a path changed in several
/// events is folded to `events[*].<path> ×N`. A group's `count` sums its matches (at least one
/// per field). Drops are grouped by (policy, rule, signal, shadow) with their event indices
/// as ranges (`0-2,5`).
pub(crate) fn effects(changes: &[ChangeRecord], dropped: &[DropRecord]) -> Option<String> {
    if changes.is_empty() && dropped.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(64 + changes.len() * 96);
    if !changes.is_empty() {
        out.push_str("\"changes\":[");
        push_changes(&mut out, changes);
        out.push(']');
    }
    if !dropped.is_empty() {
        if !changes.is_empty() {
            out.push(',');
        }
        out.push_str("\"dropped\":[");
        push_drops(&mut out, dropped);
        out.push(']');
    }
    Some(out)
}

/// The changes of one group.
struct Group<'a> {
    /// The first change of the group: its policy, rule, action, detector, evidence, shadow.
    first: &'a ChangeRecord,
    /// (path within the event, event index) of each change; `usize::MAX` for a path that is
    /// not an event's.
    fields: Vec<(&'a str, usize)>,
    /// Matches, at least one per field.
    count: u64,
}

fn push_changes(out: &mut String, changes: &[ChangeRecord]) {
    let mut groups: Vec<Group> = Vec::new();
    for c in changes {
        let at = match groups.iter().position(|g| same_group(g.first, c)) {
            Some(at) => at,
            None => {
                groups.push(Group {
                    first: c,
                    fields: Vec::new(),
                    count: 0,
                });
                groups.len() - 1
            }
        };
        let g = &mut groups[at];
        g.fields.push(match split_event_path(&c.path) {
            Some((index, rest)) => (rest, index),
            // Not an event path (never written so): kept whole, as one field.
            None => (c.path.as_str(), usize::MAX),
        });
        g.count += u64::from(c.count.max(1));
    }
    for (i, g) in groups.iter_mut().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let c = g.first;
        push_group_start(
            out,
            &c.policy,
            &c.rule,
            [
                ("action", Some(c.action)),
                ("detector", c.detector.as_deref()),
                ("evidence", c.evidence),
                ("signal", None),
            ],
        );
        if c.shadow {
            out.push_str(",\"shadow\":true");
        }
        out.push_str(",\"count\":");
        push_num(out, g.count);
        out.push_str(",\"paths\":[");
        g.fields.sort_unstable();
        g.fields.dedup();
        for (j, run) in g.fields.chunk_by(|a, b| a.0 == b.0).enumerate() {
            if j > 0 {
                out.push(',');
            }
            let (rest, index) = run[0];
            let path = match (run.len(), index) {
                (_, usize::MAX) => rest.to_owned(),
                (1, _) if rest.is_empty() => format!("events[{index}]"),
                (1, _) => format!("events[{index}].{rest}"),
                (n, _) if rest.is_empty() => format!("events[*] ×{n}"),
                (n, _) => format!("events[*].{rest} ×{n}"),
            };
            write_str(out, &path);
        }
        out.push_str("]}");
    }
}

fn push_drops(out: &mut String, dropped: &[DropRecord]) {
    let mut groups: Vec<(&DropRecord, Vec<usize>)> = Vec::new();
    for d in dropped {
        let same = |g: &&mut (&DropRecord, Vec<usize>)| {
            g.0.policy == d.policy
                && g.0.rule == d.rule
                && g.0.signal == d.signal
                && g.0.shadow == d.shadow
        };
        match groups.iter_mut().find(same) {
            Some((_, events)) => events.push(d.event_index),
            None => groups.push((d, vec![d.event_index])),
        }
    }
    for (i, (d, events)) in groups.iter_mut().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_group_start(
            out,
            &d.policy,
            &d.rule,
            [
                ("action", None),
                ("detector", None),
                ("evidence", None),
                ("signal", d.signal),
            ],
        );
        if d.shadow {
            out.push_str(",\"shadow\":true");
        }
        out.push_str(",\"events\":\"");
        events.sort_unstable();
        events.dedup();
        push_ranges(out, events);
        out.push_str("\"}");
    }
}

fn same_group(a: &ChangeRecord, b: &ChangeRecord) -> bool {
    a.policy == b.policy
        && a.rule == b.rule
        && a.action == b.action
        && a.detector == b.detector
        && a.evidence == b.evidence
        && a.shadow == b.shadow
}

/// Sorted, distinct indices as ranges: `0-2,5,7-8`.
fn push_ranges(out: &mut String, sorted: &[usize]) {
    let mut i = 0;
    while i < sorted.len() {
        let start = sorted[i];
        let mut end = start;
        while i + 1 < sorted.len() && sorted[i + 1] == end + 1 {
            i += 1;
            end = sorted[i];
        }
        if start != sorted[0] {
            out.push(',');
        }
        push_num(out, start);
        if end != start {
            out.push('-');
            push_num(out, end);
        }
        i += 1;
    }
}

/// Reads ranges written by [`push_ranges`]; `None` when malformed or over `limit` indices.
pub fn parse_ranges(text: &str, limit: usize) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    if text.is_empty() {
        return Some(out);
    }
    for part in text.split(',') {
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (a.parse::<usize>().ok()?, b.parse::<usize>().ok()?),
            None => {
                let a = part.parse::<usize>().ok()?;
                (a, a)
            }
        };
        if b < a || out.len() + (b - a) >= limit {
            return None;
        }
        out.extend(a..=b);
    }
    Some(out)
}

/// Splits a path entry of a change group into the path and the number of events it stands
/// for: `events[*].properties.note ×200` → (`events[*].properties.note`, 200).
pub fn split_folded(entry: &str) -> (&str, u64) {
    match entry.rsplit_once(" ×") {
        Some((path, n)) => match n.parse::<u64>() {
            Ok(n) => (path, n),
            Err(_) => (entry, 1),
        },
        None => (entry, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(event: usize, path: &str, rule: &str, count: u32) -> ChangeRecord {
        ChangeRecord {
            policy: "gdpr".into(),
            rule: rule.into(),
            action: "mask",
            path: format!("events[{event}].{path}"),
            detector: Some("email".into()),
            evidence: Some("format"),
            count,
            shadow: false,
        }
    }

    #[test]
    fn repeated_paths_fold_groups_sum_and_drops_become_ranges() {
        let mut changes: Vec<ChangeRecord> = (0..200)
            .map(|i| change(i, "properties.note", "pii-in-values", 1))
            .collect();
        changes.push(change(7, "properties.text", "pii-in-values", 3));
        changes.push(change(2, "identity", "pseudonymise-identity", 1));
        let drop = |i| DropRecord {
            event_index: i,
            policy: "gdpr".into(),
            rule: "consent".into(),
            signal: Some("gpc"),
            shadow: false,
        };
        let dropped: Vec<DropRecord> = [0, 1, 2, 5, 9, 10].into_iter().map(drop).collect();
        let body = effects(&changes, &dropped).unwrap();
        assert_eq!(
            body,
            "\"changes\":[{\"policy\":\"gdpr\",\"rule\":\"pii-in-values\",\"action\":\"mask\",\
             \"detector\":\"email\",\"evidence\":\"format\",\"count\":203,\"paths\":\
             [\"events[*].properties.note ×200\",\"events[7].properties.text\"]},\
             {\"policy\":\"gdpr\",\"rule\":\"pseudonymise-identity\",\"action\":\"mask\",\
             \"detector\":\"email\",\"evidence\":\"format\",\"count\":1,\"paths\":\
             [\"events[2].identity\"]}],\
             \"dropped\":[{\"policy\":\"gdpr\",\"rule\":\"consent\",\"signal\":\"gpc\",\
             \"events\":\"0-2,5,9-10\"}]"
        );
        assert_eq!(
            parse_ranges("0-2,5,9-10", 100).unwrap(),
            [0, 1, 2, 5, 9, 10]
        );
        assert!(parse_ranges("0-99999999", 1000).is_none());
        assert!(parse_ranges("5-2", 1000).is_none());
        assert_eq!(
            split_folded("events[*].properties.note ×200"),
            ("events[*].properties.note", 200)
        );
        assert_eq!(split_folded("events[0].note"), ("events[0].note", 1));
        assert_eq!(split_event_path("events[12].a.b"), Some((12, "a.b")));
        assert_eq!(split_event_path("events[3]"), Some((3, "")));
        assert_eq!(split_event_path("event.a"), None);
        assert!(effects(&[], &[]).is_none());
    }

    #[test]
    fn a_repeated_body_shares_its_definition() {
        let body = "\"changes\":[{\"policy\":\"gdpr\",\"rule\":\"r\",\"paths\":[\"a\"]}]";
        let first = Definition::shared(body.to_owned());
        assert_eq!(*first, Definition::new(body.to_owned()));
        assert!(Arc::ptr_eq(&first, &Definition::shared(body.to_owned())));
        let other = Definition::shared(body.replace("\"a\"", "\"b\""));
        assert_ne!(other.key, first.key);
        assert_eq!(other.key, content_key(other.body.as_bytes()));
    }

    #[test]
    fn strings_are_escaped_and_ids_follow_the_content() {
        let mut out = String::new();
        write_str(&mut out, "a\"b\\c\u{1}");
        assert_eq!(out, r#""a\"b\\c\u0001""#);
        let a = Definition::new("\"policies\":[]".into());
        assert_eq!(a.id().len(), 16);
        assert_eq!(a, Definition::new("\"policies\":[]".into()));
        assert_ne!(a.key, Definition::new("\"policies\":[{}]".into()).key);
    }
}
