//! Prometheus metrics, served as text on the admin listener's `GET /metrics`.
//!
//! Labels are bounded by configuration (routes, outcomes, policies, rules, actions, signals),
//! never by traffic: no value, identity or path from a request is ever a label.

use std::sync::Arc;
use std::time::Duration;

use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue, LabelValueEncoder};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::audit::Record;

/// A policy, rule or detector name as a label value (shared, not copied per request).
#[derive(Debug, Clone, Hash, PartialEq, Eq)]
pub struct Name(pub Arc<str>);

impl EncodeLabelValue for Name {
    fn encode(&self, encoder: &mut LabelValueEncoder<'_>) -> Result<(), std::fmt::Error> {
        EncodeLabelValue::encode(&&*self.0, encoder)
    }
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: &'static str,
    outcome: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct EventLabels {
    route: &'static str,
    stage: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ChangeLabels {
    policy: Name,
    rule: Name,
    action: &'static str,
    mode: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SignalLabels {
    signal: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ErrorLabels {
    error: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ResultLabels {
    result: &'static str,
}

/// A labelled counter of [`Metrics::request`].
#[derive(Clone, PartialEq)]
enum Handle {
    Request(RequestLabels),
    Events(EventLabels),
    Change(ChangeLabels),
    Drop(ChangeLabels),
}

/// The counters a thread counted last, for the [`Metrics`] whose id is `owner`.
#[derive(Default)]
struct Handles {
    owner: u64,
    counters: Vec<(Handle, Counter)>,
}

/// Most counters a thread keeps at hand; past this it forgets them all.
const MAX_HANDLES: usize = 64;

thread_local! {
    static HANDLES: std::cell::RefCell<Handles> = std::cell::RefCell::new(Handles::default());
}

/// Ids of [`Metrics`] instances (from 1: 0 is no instance).
static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Every metric privgate exports.
pub struct Metrics {
    /// This instance, for the counters threads keep at hand.
    id: u64,
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    events: Family<EventLabels, Counter>,
    changes: Family<ChangeLabels, Counter>,
    drops: Family<ChangeLabels, Counter>,
    opt_outs: Family<SignalLabels, Counter>,
    rejections: Family<ErrorLabels, Counter>,
    upstream_seconds: Histogram,
    upstream_errors: Family<ErrorLabels, Counter>,
    audit_seconds: Histogram,
    audit_errors: Counter,
    /// The writer's count of unwritten outcome records already added to `audit_errors`.
    outcomes_counted: std::sync::atomic::AtomicU64,
    reloads: Family<ResultLabels, Counter>,
    in_flight: Gauge,
    connections: Gauge,
    refused_connections: Counter,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    /// All metrics, registered under the `privgate_` prefix.
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("privgate");
        let m = Metrics {
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            requests: Family::default(),
            events: Family::default(),
            changes: Family::default(),
            drops: Family::default(),
            opt_outs: Family::default(),
            rejections: Family::default(),
            upstream_seconds: Histogram::new(exponential_buckets(0.0005, 2.0, 16)),
            upstream_errors: Family::default(),
            audit_seconds: Histogram::new(exponential_buckets(0.0001, 2.0, 16)),
            audit_errors: Counter::default(),
            outcomes_counted: Default::default(),
            reloads: Family::default(),
            in_flight: Gauge::default(),
            connections: Gauge::default(),
            refused_connections: Counter::default(),
            registry: Registry::default(),
        };
        registry.register(
            "requests",
            "Requests answered, by route and audit outcome",
            m.requests.clone(),
        );
        registry.register(
            "events",
            "Events by route and stage (in, out, dropped)",
            m.events.clone(),
        );
        registry.register(
            "changes",
            "Field changes, by policy, rule, action and mode (enforce or shadow)",
            m.changes.clone(),
        );
        registry.register(
            "dropped_events",
            "Events dropped, by policy, rule and mode",
            m.drops.clone(),
        );
        registry.register(
            "consent_opt_outs",
            "Requests with events opted out, by signal",
            m.opt_outs.clone(),
        );
        registry.register(
            "rejections",
            "Requests refused or failed, by error code",
            m.rejections.clone(),
        );
        registry.register(
            "upstream_duration_seconds",
            "Time the collector took to answer",
            m.upstream_seconds.clone(),
        );
        registry.register(
            "upstream_errors",
            "Collector failures, by kind",
            m.upstream_errors.clone(),
        );
        registry.register(
            "audit_write_duration_seconds",
            "Time a request waited for its audit record to be durable (a forwarded request: for its decision record; its outcome record is written after the answer)",
            m.audit_seconds.clone(),
        );
        registry.register(
            "audit_write_errors",
            "Audit records that could not be written (an outcome record, written after its answer, counted once the writer failed it)",
            m.audit_errors.clone(),
        );
        registry.register(
            "policy_reloads",
            "Policy reloads, by result (ok, failed)",
            m.reloads.clone(),
        );
        registry.register(
            "in_flight_requests",
            "Requests in progress",
            m.in_flight.clone(),
        );
        registry.register(
            "open_connections",
            "Open client connections",
            m.connections.clone(),
        );
        registry.register(
            "refused_connections",
            "Connections answered 503 because the limit was reached",
            m.refused_connections.clone(),
        );
        Metrics { registry, ..m }
    }

    /// Touches every labelled family once with placeholder label values (`<route>`), so that
    /// [`Metrics::render`] shows every metric with its label names: the metrics reference in
    /// `docs/` is generated from that. Not for a serving registry.
    #[doc(hidden)]
    pub fn with_placeholder_samples(self) -> Metrics {
        let name = |n: &str| Name(Arc::from(n));
        let change = || ChangeLabels {
            policy: name("<policy>"),
            rule: name("<rule>"),
            action: "<action>",
            mode: "<mode>",
        };
        let _ = self.requests.get_or_create(&RequestLabels {
            route: "<route>",
            outcome: "<outcome>",
        });
        let _ = self.events.get_or_create(&EventLabels {
            route: "<route>",
            stage: "<stage>",
        });
        let _ = self.changes.get_or_create(&change());
        let _ = self.drops.get_or_create(&change());
        let _ = self
            .opt_outs
            .get_or_create(&SignalLabels { signal: "<signal>" });
        let _ = self
            .rejections
            .get_or_create(&ErrorLabels { error: "<error>" });
        let _ = self
            .upstream_errors
            .get_or_create(&ErrorLabels { error: "<error>" });
        let _ = self
            .reloads
            .get_or_create(&ResultLabels { result: "<result>" });
        self
    }

    /// Adds the shared state backend's round-trip metrics (Redis).
    pub fn register_state(&mut self, instruments: &crate::store::Instruments) {
        self.registry.register(
            "state_errors",
            "Round trips to the shared subject registry and token vault that failed",
            instruments.errors.clone(),
        );
        self.registry.register(
            "state_duration_seconds",
            "Round-trip time to the shared subject registry and token vault",
            instruments.seconds.clone(),
        );
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }

    /// Counts one answered request from its audit record.
    pub fn request(&self, record: &Record, route: &'static str) {
        let outcome = outcome_name(record);
        self.count(Handle::Request(RequestLabels { route, outcome }), 1);
        let events = |stage, n: usize| {
            if n > 0 {
                self.count(Handle::Events(EventLabels { route, stage }), n as u64);
            }
        };
        events("in", record.events_in);
        events("out", record.events_out);
        events(
            "dropped",
            record.dropped.iter().filter(|d| !d.shadow).count(),
        );
        for c in &record.changes {
            let labels = ChangeLabels {
                policy: Name(c.policy.clone()),
                rule: Name(c.rule.clone()),
                action: c.action,
                mode: if c.shadow { "shadow" } else { "enforce" },
            };
            self.count(Handle::Change(labels), u64::from(c.count.max(1)));
        }
        for d in &record.dropped {
            let labels = ChangeLabels {
                policy: Name(d.policy.clone()),
                rule: Name(d.rule.clone()),
                action: "drop_event",
                mode: if d.shadow { "shadow" } else { "enforce" },
            };
            self.count(Handle::Drop(labels), 1);
        }
        if let Some(signal) = record.consent.as_ref().and_then(|c| c.signal) {
            self.opt_outs.get_or_create(&SignalLabels { signal }).inc();
        }
        if let Some(error) = record.error {
            self.rejections.get_or_create(&ErrorLabels { error }).inc();
        }
    }

    /// Adds `n` to the counter of `handle`'s labels. The counters a thread used last are kept
    /// beside it: `get_or_create` takes the family's lock and hashes the labels, and a request
    /// counts half a dozen label sets.
    fn count(&self, handle: Handle, n: u64) {
        let counted = HANDLES.try_with(|cache| {
            let mut cache = cache.borrow_mut();
            if cache.owner != self.id {
                cache.owner = self.id;
                cache.counters.clear();
            }
            if let Some((_, counter)) = cache.counters.iter().find(|(h, _)| *h == handle) {
                counter.inc_by(n);
                return;
            }
            let counter = self.counter(&handle);
            counter.inc_by(n);
            if cache.counters.len() >= MAX_HANDLES {
                cache.counters.clear();
            }
            cache.counters.push((handle.clone(), counter));
        });
        // Only while the thread is being torn down.
        if counted.is_err() {
            self.counter(&handle).inc_by(n);
        }
    }

    fn counter(&self, handle: &Handle) -> Counter {
        match handle {
            Handle::Request(l) => self.requests.get_or_create(l).clone(),
            Handle::Events(l) => self.events.get_or_create(l).clone(),
            Handle::Change(l) => self.changes.get_or_create(l).clone(),
            Handle::Drop(l) => self.drops.get_or_create(l).clone(),
        }
    }

    /// Times a collector answer.
    pub fn upstream(&self, took: Duration, error: Option<&'static str>) {
        self.upstream_seconds.observe(took.as_secs_f64());
        if let Some(error) = error {
            self.upstream_errors
                .get_or_create(&ErrorLabels { error })
                .inc();
        }
    }

    /// Times an audit write that a request waited for.
    pub fn audit(&self, took: Duration, failed: bool) {
        self.audit_seconds.observe(took.as_secs_f64());
        if failed {
            self.audit_failed();
        }
    }

    /// Counts an audit record that could not be written (or queued).
    pub fn audit_failed(&self) {
        self.audit_errors.inc();
    }

    /// Adds the outcome records the audit writer could not write (`total`: its count since
    /// start) that are not counted yet: no request waits for them, so they are counted when
    /// the metrics are read.
    pub fn count_unwritten_outcomes(&self, total: u64) {
        let before = self
            .outcomes_counted
            .fetch_max(total, std::sync::atomic::Ordering::Relaxed);
        if total > before {
            self.audit_errors.inc_by(total - before);
        }
    }

    /// Counts a reload.
    pub fn reload(&self, ok: bool) {
        self.reloads
            .get_or_create(&ResultLabels {
                result: if ok { "ok" } else { "failed" },
            })
            .inc();
    }

    /// Reloads with this result so far.
    pub fn reloads(&self, ok: bool) -> u64 {
        self.reloads
            .get_or_create(&ResultLabels {
                result: if ok { "ok" } else { "failed" },
            })
            .get()
    }

    /// The in-flight gauge.
    pub fn in_flight(&self) -> &Gauge {
        &self.in_flight
    }

    /// The open-connections gauge.
    pub fn connections(&self) -> &Gauge {
        &self.connections
    }

    /// Counts a connection refused at the limit.
    pub fn refused_connection(&self) {
        self.refused_connections.inc();
    }
}

fn outcome_name(record: &Record) -> &'static str {
    record.outcome.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{ChangeRecord, Outcome, Record};

    fn record(rule: &str) -> Record {
        let mut r = Record::new("req".into(), Vec::new());
        r.outcome = Outcome::Forwarded;
        r.events_in = 2;
        r.events_out = 2;
        r.changes = vec![ChangeRecord {
            policy: "gdpr".into(),
            rule: rule.into(),
            action: "mask",
            path: "events[0].properties.note".into(),
            detector: None,
            evidence: None,
            count: 3,
            shadow: false,
        }];
        r
    }

    fn line<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
        text.lines().find(|l| l.starts_with(prefix))
    }

    #[test]
    fn counts_land_in_their_own_instance_and_label_set() {
        // Two instances counted alternately on one thread (as tests and reloads of the admin
        // server do): the counters a thread keeps at hand never mix them up.
        let (a, b) = (Metrics::new(), Metrics::new());
        for _ in 0..3 {
            a.request(&record("r1"), "track");
            b.request(&record("r2"), "track");
        }
        a.request(&record("r2"), "track");
        let (a, b) = (a.render(), b.render());
        let requests = "privgate_requests_total{route=\"track\",outcome=\"forwarded\"}";
        assert_eq!(line(&a, requests), Some(&*format!("{requests} 4")));
        assert_eq!(line(&b, requests), Some(&*format!("{requests} 3")));
        let changes = |rule: &str| {
            format!(
                "privgate_changes_total{{policy=\"gdpr\",rule=\"{rule}\",action=\"mask\",mode=\"enforce\"}}"
            )
        };
        assert_eq!(
            line(&a, &changes("r1")),
            Some(&*format!("{} 9", changes("r1")))
        );
        assert_eq!(
            line(&a, &changes("r2")),
            Some(&*format!("{} 3", changes("r2")))
        );
        assert_eq!(
            line(&b, &changes("r2")),
            Some(&*format!("{} 9", changes("r2")))
        );
        assert_eq!(line(&b, &changes("r1")), None);
        let events = "privgate_events_total{route=\"track\",stage=\"in\"}";
        assert_eq!(line(&a, events), Some(&*format!("{events} 8")));
    }
}
