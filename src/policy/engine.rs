//! Evaluates a batch of events against the policy set: pure, synchronous, no I/O.
//!
//! Policies run in order and rules top to bottom. Each event either survives (possibly edited)
//! or is dropped by the first rule or opt-out that drops it. Shadow policies run on a scratch
//! copy: their changes and drops are reported, flagged `shadow`, and never applied.
//! Every change is reported with the rule, action, field path and detector — never the value.

use std::sync::Arc;

use serde_json::Value;

use crate::consent::RequestSignals;
use crate::event::{Event, Fields, RequestMeta, embedded};
use crate::policy::PolicySet;
use crate::policy::action::{Action, ActionContext, Edit, TokenError, TokenSource, scalar_text};
use crate::policy::compile::{Mode, OnOptOut, Policy, Rule};
use crate::policy::condition::{Input, signal_holds};
use crate::policy::detect::Finding;
use crate::policy::select::{
    GateState, Segment, Selector, TypeSelector, field_label, push_index, push_key,
};

/// One change made (or, in shadow mode, that would be made) to one field.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Position of the event in the request.
    pub event_index: usize,
    /// Policy name.
    pub policy: Arc<str>,
    /// Rule id (`consent` for opt-out anonymization).
    pub rule: Arc<str>,
    /// The rule's `why:`.
    pub why: Option<Arc<str>>,
    /// Action name.
    pub action: &'static str,
    /// Field path inside the event (`properties.text`).
    pub path: String,
    /// Detector that found the value, if the rule used `detect`.
    pub detector: Option<Arc<str>>,
    /// What made the detector's candidates findings (`checksum`, `context`, `key`...), with
    /// `detector`.
    pub evidence: Option<&'static str>,
    /// Number of matches changed in this field (1 for whole values).
    pub count: u32,
    /// True when only a shadow policy would have made it.
    pub shadow: bool,
}

/// One event dropped (or, in shadow mode, that would be dropped).
#[derive(Debug, Clone, PartialEq)]
pub struct Drop {
    /// Position of the event in the request.
    pub event_index: usize,
    /// Policy name.
    pub policy: Arc<str>,
    /// Rule id, or `consent` for opt-outs.
    pub rule: Arc<str>,
    /// The rule's `why:`, or the opt-out signal for consent drops.
    pub why: Option<Arc<str>>,
    /// The opt-out signal, for consent drops.
    pub signal: Option<&'static str>,
    /// True when only a shadow policy would have dropped it.
    pub shadow: bool,
}

/// The result of evaluating a batch.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Evaluation {
    /// Field changes, in order.
    pub changes: Vec<Change>,
    /// Dropped events, in order.
    pub dropped: Vec<Drop>,
    /// The first opt-out signal that applied to any event, for the audit record.
    pub consent_signal: Option<&'static str>,
}

impl Evaluation {
    /// Changes and drops that were applied (not shadow).
    pub fn enforced_changes(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| !c.shadow)
    }
}

/// The opt-out rule name used in drop records and changes.
pub const CONSENT_RULE: &str = "consent";

impl PolicySet {
    /// Evaluates `events` in place: dropped events are removed, kept ones edited.
    pub fn evaluate(
        &self,
        events: &mut Vec<Event>,
        meta: &RequestMeta,
        signals: &RequestSignals,
        tokens: &dyn TokenSource,
    ) -> Result<Evaluation, TokenError> {
        let cx = ActionContext {
            key: &self.key,
            restricted_zip3: &self.restricted_zip3,
            tokens,
            ephemeral: Default::default(),
        };
        let mut run = Run {
            set: self,
            cx: &cx,
            out: Evaluation::default(),
            findings: Vec::new(),
            path: String::new(),
            gate: Gate {
                ready: false,
                // Kept per thread: the next request's events often have the same keys.
                state: GATE_STATE.with(|g| std::mem::take(&mut *g.borrow_mut())),
                classes: None,
            },
        };
        let mut keep = Vec::with_capacity(events.len());
        for event in events.iter_mut() {
            run.gate.next_event();
            // JSON inside a string is evaluated as the tree it holds (see `event::embedded`).
            let opened = embedded::open(&mut event.fields);
            let kept = run.event(event, meta, signals)?;
            embedded::close(&mut event.fields, opened);
            keep.push(kept);
        }
        let mut flags = keep.into_iter();
        events.retain(|_| flags.next().unwrap_or(true));
        let Run { out, gate, .. } = run;
        GATE_STATE.with(|g| *g.borrow_mut() = gate.state);
        Ok(out)
    }
}

thread_local! {
    /// The key gate's state of the last event evaluated on this thread (see `KeyGate::open`).
    static GATE_STATE: std::cell::RefCell<GateState> = std::cell::RefCell::new(GateState::default());
}

struct Run<'a> {
    set: &'a PolicySet,
    cx: &'a ActionContext<'a>,
    out: Evaluation,
    findings: Vec<Finding>,
    path: String,
    gate: Gate,
}

/// The open gates of the current event (see [`crate::policy::select::KeyGate`]), computed on
/// the first gated selector the event meets, and the key classes in it
/// ([`crate::policy::select::classes_in`]), on the first `key_class:` selector.
#[derive(Default)]
struct Gate {
    ready: bool,
    state: GateState,
    classes: Option<u16>,
}

impl Gate {
    /// Forgets the last event's answers.
    fn next_event(&mut self) {
        self.ready = false;
        self.classes = None;
    }

    /// False when the selector cannot select anything in `fields`. Rules never add keys, so an
    /// answer computed for an event holds for every later rule on it.
    fn admits(&mut self, set: &PolicySet, selector: &Selector, fields: &Fields) -> bool {
        if let Some(wanted) = selector.class_gate() {
            let present = *self
                .classes
                .get_or_insert_with(|| crate::policy::select::classes_in(fields));
            if present & wanted == 0 {
                return false;
            }
        }
        let (Some(gate), Some(key_gate)) = (selector.gate, &set.key_gate) else {
            return true;
        };
        if !self.ready {
            key_gate.open(fields, &mut self.state);
            self.ready = true;
        }
        self.state.is_open(gate)
    }
}

/// What happened to an event under one policy.
enum Fate {
    Kept,
    Dropped,
}

impl Run<'_> {
    /// Runs every policy on one event; false when the event is dropped.
    fn event(
        &mut self,
        event: &mut Event,
        meta: &RequestMeta,
        signals: &RequestSignals,
    ) -> Result<bool, TokenError> {
        for policy in &self.set.policies {
            if !in_scope(policy, event, meta, signals) {
                continue;
            }
            match policy.mode {
                Mode::Enforce => {
                    if let Fate::Dropped = self.policy(policy, event, meta, signals, false)? {
                        // What earlier policies changed in it never leaves privgate: the
                        // record says the event was dropped, not how it was edited first.
                        let index = event.index;
                        self.out
                            .changes
                            .retain(|c| c.shadow || c.event_index != index);
                        return Ok(false);
                    }
                }
                Mode::Shadow => {
                    let mut scratch = event.clone();
                    self.policy(policy, &mut scratch, meta, signals, true)?;
                }
            }
        }
        Ok(true)
    }

    fn policy(
        &mut self,
        policy: &Policy,
        event: &mut Event,
        meta: &RequestMeta,
        signals: &RequestSignals,
        shadow: bool,
    ) -> Result<Fate, TokenError> {
        if let Some(consent) = &policy.consent {
            let input = Input {
                event,
                meta,
                signals,
                consent: Some(consent),
            };
            let signal = consent
                .signals
                .iter()
                .find(|s| signal_holds(**s, &input))
                .map(|s| s.as_str())
                .or_else(|| event.subject.opted_out.filter(|_| consent.registry));
            if let Some(signal) = signal {
                if self.out.consent_signal.is_none() && !shadow {
                    self.out.consent_signal = Some(signal);
                }
                match consent.on_opt_out {
                    OnOptOut::Drop => {
                        self.out.dropped.push(Drop {
                            event_index: event.index,
                            policy: policy.name.clone(),
                            rule: Arc::from(CONSENT_RULE),
                            why: Some(Arc::from(format!("opted out by {signal}"))),
                            signal: Some(signal),
                            shadow,
                        });
                        return Ok(Fate::Dropped);
                    }
                    OnOptOut::Anonymize => {
                        let rule = Rule {
                            id: Arc::from(CONSENT_RULE),
                            why: Some(Arc::from(format!("opted out by {signal}"))),
                            selectors: consent.anonymize.clone(),
                            when: None,
                            detect: Default::default(),
                            action: Action::Remove,
                        };
                        self.rule(policy, &rule, event, shadow)?;
                    }
                }
            }
        }
        for rule in &policy.rules {
            if let Some(when) = &rule.when {
                let input = Input {
                    event,
                    meta,
                    signals,
                    consent: policy.consent.as_ref(),
                };
                if !when.eval(&input) {
                    continue;
                }
            }
            if rule.action == Action::DropEvent {
                if self.drop_matches(rule, event) {
                    self.out.dropped.push(Drop {
                        event_index: event.index,
                        policy: policy.name.clone(),
                        rule: rule.id.clone(),
                        why: rule.why.clone(),
                        signal: None,
                        shadow,
                    });
                    return Ok(Fate::Dropped);
                }
                continue;
            }
            self.rule(policy, rule, event, shadow)?;
        }
        Ok(Fate::Kept)
    }

    /// `drop_event` without fields drops always; with fields, when a selected field is present
    /// (and, with `detect`, when a detector finds something in it).
    fn drop_matches(&mut self, rule: &Rule, event: &Event) -> bool {
        if rule.selectors.is_empty() {
            return true;
        }
        let set = self.set;
        let detectors = &set.detectors;
        let findings = &mut self.findings;
        let gate = &mut self.gate;
        rule.selectors.iter().any(|sel| {
            gate.admits(set, sel, &event.fields)
                && sel.any(&event.fields, &mut |v| {
                    if v.is_null() {
                        return false;
                    }
                    if rule.detect.is_empty() {
                        return true;
                    }
                    any_finding(v, None, rule, detectors, findings)
                })
        })
    }

    fn rule(
        &mut self,
        policy: &Policy,
        rule: &Rule,
        event: &mut Event,
        shadow: bool,
    ) -> Result<(), TokenError> {
        let mut ctx = Site {
            policy,
            rule,
            shadow,
            event_index: event.index,
            gate: None,
            of_type: None,
        };
        let mut error = None;
        let mut path = std::mem::take(&mut self.path);
        for selector in &rule.selectors {
            if !self.gate.admits(self.set, selector, &event.fields) {
                continue;
            }
            ctx.gate = selector.gate;
            ctx.of_type = selector.of_type;
            path.clear();
            selector.walk_mut(&mut event.fields, &mut path, &mut |map, seg, path| {
                if error.is_none()
                    && let Err(e) = self.at(&mut ctx, map, seg, path)
                {
                    error = Some(e);
                }
            });
        }
        self.path = path;
        error.map_or(Ok(()), Err)
    }

    /// Applies the rule to the keys of `map` that `seg` matches (every leaf below, for `**`).
    /// Values are edited in place; the map is only rebuilt when a field is removed.
    fn at(
        &mut self,
        site: &mut Site<'_>,
        map: &mut Fields,
        seg: &Segment,
        path: &mut String,
    ) -> Result<(), TokenError> {
        // Top-level names are the model's own (adapters write them in canonical lower case), so
        // a literal segment there is one lookup.
        if path.is_empty()
            && let Segment::Literal(name) = seg
        {
            let Some(value) = map.get_mut(name.as_str()) else {
                return Ok(());
            };
            push_key(path, name);
            let remove = self.value(site, value, name, path)?;
            if remove {
                map.shift_remove(name.as_str());
            }
            return Ok(());
        }
        let mut doomed: Vec<String> = Vec::new();
        // A form-field record's answer is selected, and scanned, under its label too (records
        // sit below the top level: the event's own fields are none).
        let label = if path.is_empty() {
            None
        } else {
            field_label(map).map(|(i, l)| (i, l.to_owned()))
        };
        let label_at = label.as_ref().map_or(usize::MAX, |(i, _)| *i);
        let gate = site.gate.filter(|_| *seg != Segment::AnyDepth);
        for (i, (key, value)) in map.iter_mut().enumerate() {
            let exact = gate.and_then(|g| self.gate.state.admits_key(g, key));
            let by_label = || {
                i == label_at
                    && label.as_ref().is_some_and(|(_, l)| {
                        gate.and_then(|g| self.gate.state.admits_key(g, l))
                            .unwrap_or_else(|| seg.matches(l))
                    })
            };
            if !(exact.unwrap_or_else(|| seg.matches(key)) || by_label()) {
                continue;
            }
            if self.key_leaks(site, key, path) {
                doomed.push(key.clone());
                continue;
            }
            let len = path.len();
            push_key(path, key);
            let result = if *seg == Segment::AnyDepth && value.is_object() {
                match value {
                    Value::Object(inner) => self.at(site, inner, seg, path).map(|_| false),
                    _ => Ok(false),
                }
            } else {
                let context = match &label {
                    Some((_, l)) if i == label_at => l.as_str(),
                    _ => key.as_str(),
                };
                self.value(site, value, context, path)
            };
            path.truncate(len);
            if result? {
                doomed.push(key.clone());
            }
        }
        for key in &doomed {
            map.shift_remove(key);
        }
        Ok(())
    }

    /// Applies the rule to one selected value; true when the field must be removed.
    fn value(
        &mut self,
        site: &mut Site<'_>,
        value: &mut Value,
        key: &str,
        path: &mut String,
    ) -> Result<bool, TokenError> {
        let rule = site.rule;
        // A `type:` selector picks values one by one: containers are walked, never taken whole.
        let whole = site.of_type.is_none();
        match value {
            Value::Null => Ok(false),
            _ if !value.is_object()
                && !value.is_array()
                && site.of_type.is_some_and(|t| !t.selects(path, value)) =>
            {
                Ok(false)
            }
            Value::Object(inner) => {
                if whole && rule.action == Action::Remove && rule.detect.is_empty() {
                    self.record(site, path, None, 1);
                    return Ok(true);
                }
                let mut doomed: Vec<String> = Vec::new();
                let label = field_label(inner).map(|(i, l)| (i, l.to_owned()));
                for (i, (k, v)) in inner.iter_mut().enumerate() {
                    if self.key_leaks(site, k, path) {
                        doomed.push(k.clone());
                        continue;
                    }
                    let len = path.len();
                    push_key(path, k);
                    let label = label.as_ref().filter(|(at, _)| *at == i);
                    let key = label.map_or(k.as_str(), |(_, l)| l.as_str());
                    let result = self.value(site, v, key, path);
                    path.truncate(len);
                    if result? {
                        doomed.push(k.clone());
                    }
                }
                for k in &doomed {
                    inner.shift_remove(k);
                }
                Ok(false)
            }
            Value::Array(items) => {
                if whole && rule.action == Action::Remove && rule.detect.is_empty() {
                    self.record(site, path, None, 1);
                    return Ok(true);
                }
                let mut doomed: Vec<usize> = Vec::new();
                for (i, item) in items.iter_mut().enumerate() {
                    let len = path.len();
                    push_index(path, i);
                    let result = self.value(site, item, key, path);
                    path.truncate(len);
                    if result? {
                        doomed.push(i);
                    }
                }
                for i in doomed.into_iter().rev() {
                    items.remove(i);
                }
                Ok(false)
            }
            _ if !rule.detect.is_empty() => self.detect_in(site, value, key, path),
            _ => match rule
                .action
                .apply_whole(value, "redacted", &rule.id, self.cx)?
            {
                Edit::Keep => Ok(false),
                Edit::Set(new) => {
                    *value = new;
                    self.record(site, path, None, 1);
                    Ok(false)
                }
                Edit::Remove => {
                    self.record(site, path, None, 1);
                    Ok(true)
                }
            },
        }
    }

    /// Runs the rule's detectors over a scalar and edits the matched spans.
    fn detect_in(
        &mut self,
        site: &mut Site<'_>,
        value: &mut Value,
        key: &str,
        path: &str,
    ) -> Result<bool, TokenError> {
        let rule = site.rule;
        let set = self.set;
        let detectors = &set.detectors;
        let mut digits = itoa::Buffer::new();
        let whole_float: String;
        let text = match value {
            Value::String(s) => s.as_str(),
            // Whole numbers are scanned in their decimal form (card numbers, phones and ZIPs
            // sent as JSON numbers), floats without a fraction too (`4111111111111111.0`);
            // fractions cannot be any of those.
            Value::Number(n) if detectors.scans_digits(rule.detect) => {
                match (n.as_u64(), n.as_i64()) {
                    (Some(u), _) => digits.format(u),
                    (None, Some(i)) => digits.format(i),
                    _ => match scalar_text(value) {
                        Some(t) if !t.contains(['.', 'e', 'E']) => {
                            whole_float = t.into_owned();
                            &whole_float
                        }
                        _ => return Ok(false),
                    },
                }
            }
            _ => return Ok(false),
        };
        self.findings.clear();
        detectors.scan_under(
            text,
            Some(key),
            parent_key(path),
            rule.detect,
            &mut self.findings,
        );
        if self.findings.is_empty() {
            return Ok(false);
        }
        if rule.action == Action::Remove {
            self.record_findings(site, path);
            return Ok(true);
        }
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for f in &self.findings {
            out.push_str(&text[last..f.start]);
            let span = &text[f.start..f.end];
            match rule
                .action
                .apply_span(span, detectors.name(f.detector), &rule.id, self.cx)?
            {
                Some(replacement) => out.push_str(&replacement),
                None => out.push_str(span),
            }
            last = f.end;
        }
        out.push_str(&text[last..]);
        if out != text {
            *value = Value::String(out);
            self.record_findings(site, path);
        }
        Ok(false)
    }

    /// A `detect` rule looks at the keys it walks too: personal data used as a key
    /// (`{"jane@example.com": "accepted"}`) cannot be masked in place without breaking the
    /// object, so the field goes, recorded as a `remove` whose path shows the detector instead
    /// of the key. True when `key` must go.
    fn key_leaks(&mut self, site: &Site<'_>, key: &str, parent: &str) -> bool {
        let rule = site.rule;
        if rule.detect.is_empty() {
            return false;
        }
        let Some((id, evidence)) = self.set.detectors.finding_in_key(key, rule.detect) else {
            return false;
        };
        let detector = self.set.detector_name(id);
        let evidence = evidence.name();
        let mut path = parent.to_owned();
        push_key(&mut path, &format!("<{detector}>"));
        self.record_as(
            site,
            Action::Remove.name(),
            &path,
            Some((detector, evidence)),
            1,
        );
        true
    }

    fn record_findings(&mut self, site: &Site<'_>, path: &str) {
        // One change per detector and evidence, with the number of matches.
        let mut findings = std::mem::take(&mut self.findings);
        findings.sort_by_key(|f| (f.detector.0, f.evidence));
        let mut i = 0;
        while i < findings.len() {
            let (id, evidence) = (findings[i].detector, findings[i].evidence);
            let n = findings[i..]
                .iter()
                .take_while(|f| f.detector == id && f.evidence == evidence)
                .count();
            let name = self.set.detector_name(id);
            self.record(site, path, Some((name, evidence.name())), n as u32);
            i += n;
        }
        self.findings = findings;
    }

    fn record(
        &mut self,
        site: &Site<'_>,
        path: &str,
        detector: Option<(Arc<str>, &'static str)>,
        count: u32,
    ) {
        self.record_as(site, site.rule.action.name(), path, detector, count);
    }

    /// Records a change the rule made with `action` (its own, or `remove` for a leaking key).
    fn record_as(
        &mut self,
        site: &Site<'_>,
        action: &'static str,
        path: &str,
        detector: Option<(Arc<str>, &'static str)>,
        count: u32,
    ) {
        let (detector, evidence) = match detector {
            Some((d, e)) => (Some(d), Some(e)),
            None => (None, None),
        };
        self.out.changes.push(Change {
            event_index: site.event_index,
            policy: site.policy.name.clone(),
            rule: site.rule.id.clone(),
            why: site.rule.why.clone(),
            action,
            path: path.to_owned(),
            detector,
            evidence,
            count,
            shadow: site.shadow,
        });
    }
}

struct Site<'a> {
    policy: &'a Policy,
    rule: &'a Rule,
    shadow: bool,
    event_index: usize,
    /// The gate of the selector being walked: its exact keys spare matching every key.
    gate: Option<u32>,
    /// For a `type:` selector: which values it selects.
    of_type: Option<TypeSelector>,
}

fn any_finding(
    value: &Value,
    key: Option<&str>,
    rule: &Rule,
    detectors: &crate::policy::detect::Detectors,
    findings: &mut Vec<Finding>,
) -> bool {
    let Some(text) = scalar_text(value) else {
        return false;
    };
    if value.is_number() && !detectors.scans_digits(rule.detect) {
        return false;
    }
    findings.clear();
    detectors.scan(&text, key, rule.detect, findings);
    !findings.is_empty()
}

fn in_scope(policy: &Policy, event: &Event, meta: &RequestMeta, signals: &RequestSignals) -> bool {
    let scope = &policy.scope;
    if let Some(kinds) = scope.kinds
        && !kinds.contains(event.kind)
    {
        return false;
    }
    if !scope.apps.is_empty() {
        let app = event.fields.get("app_id").and_then(scalar_text);
        if !app.is_some_and(|a| scope.apps.iter().any(|g| g.matches(&a))) {
            return false;
        }
    }
    if let Some(when) = &scope.when {
        let input = Input {
            event,
            meta,
            signals,
            consent: policy.consent.as_ref(),
        };
        if !when.eval(&input) {
            return false;
        }
    }
    true
}

/// The key above a value's own key in its dotted path (`events[0].properties.patient.phone` →
/// `patient`; array indices are skipped), for context evidence. A key with an escaped `.` is
/// split there, which only makes its context weaker.
fn parent_key(path: &str) -> Option<&str> {
    // Bytes, searched backwards by hand: paths are short and this runs for every scanned value.
    let bytes = path.as_bytes();
    let trim = |mut end: usize| -> usize {
        while end > 0 && bytes[end - 1] == b']' {
            match bytes[..end].iter().rposition(|&b| b == b'[') {
                Some(open) => end = open,
                None => break,
            }
        }
        end
    };
    let own_end = trim(bytes.len());
    let own_start = bytes[..own_end].iter().rposition(|&b| b == b'.')?;
    let end = trim(own_start);
    let start = bytes[..end]
        .iter()
        .rposition(|&b| b == b'.')
        .map_or(0, |d| d + 1);
    // `start` and `end` sit next to ASCII bytes (`.`, `[`) or at the ends: char boundaries.
    Some(&path[start..end]).filter(|k| !k.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parent_key_is_the_key_above_the_value() {
        assert_eq!(
            parent_key("events[0].properties.patient.phone"),
            Some("patient")
        );
        assert_eq!(
            parent_key("properties.contacts[2].mobile"),
            Some("contacts")
        );
        assert_eq!(parent_key("properties.phones[0]"), Some("properties"));
        assert_eq!(parent_key("properties.note"), Some("properties"));
        assert_eq!(parent_key("identity"), None);
        assert_eq!(parent_key("properties.straße.telefon"), Some("straße"));
        assert_eq!(parent_key("properties.a[0][1].b"), Some("a"));
        assert_eq!(parent_key("[0].b"), None);
    }
}
