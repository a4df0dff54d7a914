//! decode → consent → evaluate → encode: the stages behind `serve`, `scrub` and `test`.
//!
//! The stages do no network I/O and no waiting, so the command-line tools run exactly what the
//! proxy runs. Durable writes they call for — new registry entries, new vault tokens — are
//! returned or requested, and the caller performs them: the server off its async workers,
//! [`process`] (for the tools) directly.

use serde_json::Value;

use crate::consent::RequestSignals;
use crate::event::scalar_text;
use crate::event::{Event, Kind};
use crate::keys::HashKey;
use crate::policy::PolicySet;
use crate::policy::condition::Input;
use crate::policy::engine::Evaluation;
use crate::protocol::{self, Batch, DecodeError, DecodeLimits, Outgoing, RawRequest, Route};
use crate::subjects::{self, Change, IdKind, SubjectKey};
use crate::vault::{self, Vault, Wanted};

/// A request after the policies ran.
#[derive(Debug)]
pub struct Processed {
    /// The batch with only the kept (edited) events left.
    pub batch: Batch,
    /// Events as received.
    pub events_in: usize,
    /// What the policies did.
    pub evaluation: Evaluation,
    /// The request to forward; `None` when every event was dropped.
    pub outgoing: Option<Outgoing>,
    /// Consent signals found in the request.
    pub signals: RequestSignals,
    /// Registry changes learned from the request (links, children), to be written durably
    /// before the request is answered.
    pub registry_changes: Vec<Change>,
}

/// Why a request could not be processed.
#[derive(Debug, thiserror::Error)]
pub enum ProcessError {
    /// Bad input: a 4xx, nothing forwarded.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// The token vault failed: a 503, nothing forwarded.
    #[error("token vault unavailable: {0}")]
    Tokens(String),
    /// The subject registry failed: a 503, nothing forwarded.
    #[error("subject registry unavailable: {0}")]
    Registry(String),
}

/// Stage 2: decode the request and read its consent signals.
pub fn decode(
    route: &'static Route,
    raw: &RawRequest,
    limits: &DecodeLimits,
) -> Result<(Batch, RequestSignals), DecodeError> {
    let batch = protocol::decode(route, raw, limits)?;
    let signals = RequestSignals::read(&batch.meta);
    Ok((batch, signals))
}

/// The identity and user id of an event as text, if present.
fn ids(event: &Event) -> (Option<String>, Option<String>) {
    let text = |name: &str| {
        event
            .fields
            .get(name)
            .and_then(scalar_text)
            .map(|s| s.into_owned())
            .filter(|s| !s.is_empty())
    };
    (text("identity"), text("user_id"))
}

/// The registry keys of each event's identity and user id, in event order: what stage 3 reads
/// and remembers. Empty when no policy looks at subjects; stage 3 then computes a key only for
/// what it remembers.
pub fn subject_keys(set: &PolicySet, batch: &Batch) -> Vec<EventKeys> {
    if !set.needs_subjects() {
        return Vec::new();
    }
    batch
        .events
        .iter()
        .map(|e| event_keys(&set.key, e))
        .collect()
}

/// The registry keys of an event's identity and user id, where present.
pub type EventKeys = [Option<SubjectKey>; 2];

fn event_keys(key: &HashKey, event: &Event) -> EventKeys {
    let (identity, user_id) = ids(event);
    [
        identity.map(|v| SubjectKey::new(key, IdKind::Identity, &v)),
        user_id.map(|v| SubjectKey::new(key, IdKind::UserId, &v)),
    ]
}

/// The distinct keys among `per_event`, for a registry snapshot.
fn distinct_keys(per_event: &[EventKeys]) -> Vec<SubjectKey> {
    let mut keys: Vec<SubjectKey> = per_event.iter().flatten().flatten().copied().collect();
    keys.sort_by_key(|k| (k.kind as u8, k.mac));
    keys.dedup();
    keys
}

/// Stage 3: gives each event its subject state (registry opt-outs, children) and returns what
/// the registry learns from the request: user ids linked by identify to opted-out or child
/// identities (and back), and subjects revealed to be children by their age or birth date.
pub fn consent(
    set: &PolicySet,
    batch: &mut Batch,
    signals: &RequestSignals,
    registry: &dyn subjects::Lookup,
    keys: &[EventKeys],
) -> Vec<Change> {
    let mut changes = Vec::new();
    let key = &set.key;
    let child_apps: Vec<&crate::policy::select::Glob> = set
        .policies
        .iter()
        .flat_map(|p| &p.scope.child_directed_apps)
        .collect();
    // GPC is an opt-out, not a per-request preference: a later request without the header is
    // not an opt-in (CCPA regulations §7025). Policies that honour GPC and keep a registry
    // remember it for the subject, so it also covers requests (and linked ids) without it.
    let remember_gpc = signals.gpc
        && set.policies.iter().any(|p| {
            p.consent
                .as_ref()
                .is_some_and(|c| c.registry && c.signals.contains(&crate::consent::Signal::Gpc))
        });
    for (i, event) in batch.events.iter_mut().enumerate() {
        let read = keys.get(i).copied();
        let [id_key, user_key] = read.unwrap_or_default();
        let id_entry = id_key.map(|k| registry.get(&k)).unwrap_or_default();
        let user_entry = user_key.map(|k| registry.get(&k)).unwrap_or_default();
        let opted_out = id_entry.opted_out.is_some() || user_entry.opted_out.is_some();
        event.subject.opted_out = opted_out.then_some("registry");

        let input = |event| Input {
            event,
            meta: &batch.meta,
            signals,
            consent: None,
        };
        let parental_consent = set.policies.iter().any(|p| {
            p.consent
                .as_ref()
                .and_then(|c| c.parental_consent_when.as_ref())
                .is_some_and(|c| {
                    let i = Input {
                        consent: p.consent.as_ref(),
                        ..input(event)
                    };
                    c.eval(&i)
                })
        });
        let app = event.fields.get("app_id").and_then(scalar_text);
        let directed = app.is_some_and(|a| child_apps.iter().any(|g| g.matches(&a)));
        let declared = set.policies.iter().any(|p| {
            p.consent
                .as_ref()
                .and_then(|c| c.child_when.as_ref())
                .is_some_and(|c| {
                    let i = Input {
                        consent: p.consent.as_ref(),
                        ..input(event)
                    };
                    c.eval(&i)
                })
        });
        let by_age = reveals_child(event);
        let known = id_entry.child || user_entry.child;
        event.subject.child = !parental_consent && (known || directed || declared || by_age);

        if remember_gpc {
            for (k, entry) in [(id_key, &id_entry), (user_key, &user_entry)] {
                if let Some(k) = k
                    && entry.opted_out.is_none()
                {
                    changes.push(Change::OptOut(k, "gpc".to_owned()));
                }
            }
        }
        // Remember children revealed by their age, so later events are handled as children too.
        if by_age && !parental_consent {
            let [id_key, user_key] = read.unwrap_or_else(|| event_keys(key, event));
            for (k, entry) in [(id_key, &id_entry), (user_key, &user_entry)] {
                if let Some(k) = k
                    && !entry.child
                {
                    changes.push(Change::Child(k));
                }
            }
        }
        // Learned links: an identify ties a user id and an identity together (CCPA: an opt-out
        // covers linked pseudonymous profiles).
        if event.kind == Kind::Identify
            && let (Some(ik), Some(uk)) = (id_key, user_key)
        {
            if let Some(reason) = &id_entry.opted_out
                && user_entry.opted_out.is_none()
            {
                changes.push(Change::OptOut(uk, linked(reason)));
            }
            if let Some(reason) = &user_entry.opted_out
                && id_entry.opted_out.is_none()
            {
                changes.push(Change::OptOut(ik, linked(reason)));
            }
            if id_entry.child && !user_entry.child {
                changes.push(Change::Child(uk));
            }
            if user_entry.child && !id_entry.child {
                changes.push(Change::Child(ik));
            }
        }
    }
    changes.dedup();
    changes
}

/// The reason of an opt-out learned through a link: `linked:` and the base reason.
fn linked(reason: &str) -> String {
    let base = subjects::stored_reason(reason);
    let base = base.strip_prefix(subjects::LINKED).unwrap_or(&base);
    format!("{}{base}", subjects::LINKED)
}

/// Ages under 13 among the user properties, and birth dates less than 13 years ago among the
/// user properties or the event's own properties (COPPA). Age keys are read in the key
/// lexicon's languages (`age`, `Alter`, `leeftijd`, `edad`, `età`, `idade`, `wiek`, `ålder`);
/// birth dates under any key of the `birth_date` class (`dob`, `GebDatum`, `fecha_nacimiento`,
/// `fødselsdato`). An age among an event's properties is not read: `age: 5` of a track event
/// is as often the age of an account or an order, and being taken for a child is remembered.
fn reveals_child(event: &Event) -> bool {
    const AGE_KEYS: &[&str] = &[
        "age", "alter", "âge", "leeftijd", "edad", "età", "eta", "idade", "wiek", "ålder", "alder",
    ];
    let born_under_13 = |v: &Value| {
        let text = scalar_text(v).map(|t| t.into_owned()).unwrap_or_default();
        crate::policy::action::parse_date(&text).is_some_and(|born| {
            let today = time::OffsetDateTime::now_utc().date();
            years_between(born, today) < 13
        })
    };
    // A date has a digit: a value without one is passed over before its key is classified.
    let is_birth_key = |k: &str, v: &Value| {
        let dated = match v {
            Value::String(s) => s.bytes().any(|b| b.is_ascii_digit()),
            v => v.is_number(),
        };
        dated
            && crate::policy::lexicon::classify(k)
                == Some(crate::policy::lexicon::KeyClass::BirthDate)
    };
    let user = match event.fields.get("user_properties") {
        Some(Value::Object(props)) => props.iter().any(|(k, v)| {
            let key = k.to_lowercase();
            if AGE_KEYS.contains(&key.as_str()) {
                let age = v
                    .as_f64()
                    .or_else(|| v.as_str().and_then(|s| s.trim().parse::<f64>().ok()));
                return age.is_some_and(|a| (0.0..13.0).contains(&a));
            }
            is_birth_key(k, v) && born_under_13(v)
        }),
        _ => false,
    };
    user || matches!(event.fields.get("properties"), Some(Value::Object(props))
        if props.iter().any(|(k, v)| is_birth_key(k, v) && born_under_13(v)))
}

fn years_between(born: time::Date, today: time::Date) -> i32 {
    let mut years = today.year() - born.year();
    if (today.month() as u8, today.day()) < (born.month() as u8, born.day()) {
        years -= 1;
    }
    years
}

/// Stage 4's outcome when tokens are missing: create them, then evaluate again.
#[derive(Debug)]
pub struct NeedTokens(pub Vec<Wanted>);

/// Stage 4: evaluate. If `tokenize` met values without a token, the events are restored and
/// the missing value keys returned; create them in the vault and call again.
pub fn evaluate(
    set: &PolicySet,
    batch: &mut Batch,
    signals: &RequestSignals,
    vault: &dyn vault::TokenTable,
) -> Result<Evaluation, NeedTokens> {
    let backup = set.uses_tokenize().then(|| batch.events.clone());
    let lookup = vault::Lookup::new(vault, &set.key);
    let evaluation = set
        .evaluate(&mut batch.events, &batch.meta, signals, &lookup)
        .expect("vault lookups never fail: missing tokens are noted");
    let missing = lookup.missing();
    if missing.is_empty() {
        return Ok(evaluation);
    }
    if let Some(events) = backup {
        batch.events = events;
    }
    Err(NeedTokens(missing))
}

/// Where the stages read and write state: the proxy's store (embedded files or Redis, off the
/// async workers) or, for the command-line tools, the embedded registry and vault directly.
pub trait StageStore {
    /// Why the state could not be read or written.
    type Error: std::fmt::Display;
    /// The registry entries of `keys`, read once for the request.
    fn snapshot(
        &self,
        keys: &[SubjectKey],
    ) -> impl std::future::Future<Output = Result<crate::store::Snapshot, Self::Error>>;
    /// The token vault's table, for lookups during evaluation.
    fn token_table(&self) -> &dyn vault::TokenTable;
    /// Creates the tokens evaluation asked for.
    fn create_tokens(
        &self,
        wanted: Vec<Wanted>,
    ) -> impl std::future::Future<Output = Result<(), Self::Error>>;
    /// Writes registry changes durably.
    fn apply(
        &self,
        changes: Vec<Change>,
    ) -> impl std::future::Future<Output = Result<(), Self::Error>>;
}

/// Why [`run`] stopped.
#[derive(Debug)]
pub enum StageError<E> {
    /// Bad input: a 4xx, nothing forwarded.
    Decode(DecodeError),
    /// The state could not be read (or tokens created); the decoded request comes back so the
    /// caller can decide (the server may drop its events, `state.fail_open_to: drop`).
    Unavailable {
        /// Why.
        error: E,
        /// The decoded request.
        batch: Box<Batch>,
        /// Events as received.
        events_in: usize,
        /// Its consent signals.
        signals: Box<RequestSignals>,
    },
    /// Evaluation still needed tokens after they were created twice.
    Tokens,
    /// The registry changes could not be written: nothing forwarded.
    Registry(E),
}

/// decode → consent → evaluate → encode: the one stage runner behind `serve`, `scrub`, `test`
/// and the playground. The registry is read once (a snapshot of the request's subjects), tokens
/// are created at most twice, and registry changes are written before anything is encoded.
pub async fn run<S: StageStore>(
    set: &PolicySet,
    route: &'static Route,
    raw: &RawRequest,
    limits: &DecodeLimits,
    store: &S,
) -> Result<Processed, StageError<S::Error>> {
    let (mut batch, signals) = decode(route, raw, limits).map_err(StageError::Decode)?;
    let events_in = batch.events_in();
    let keys = subject_keys(set, &batch);
    let snapshot = if keys.is_empty() {
        crate::store::Snapshot::default()
    } else {
        match store.snapshot(&distinct_keys(&keys)).await {
            Ok(s) => s,
            Err(error) => {
                return Err(StageError::Unavailable {
                    error,
                    batch: Box::new(batch),
                    events_in,
                    signals: Box::new(signals),
                });
            }
        }
    };
    let registry_changes = consent(set, &mut batch, &signals, &snapshot, &keys);
    let mut attempts = 0;
    let evaluation = loop {
        match evaluate(set, &mut batch, &signals, store.token_table()) {
            Ok(e) => break e,
            Err(NeedTokens(wanted)) if attempts < 2 => {
                attempts += 1;
                if let Err(error) = store.create_tokens(wanted).await {
                    return Err(StageError::Unavailable {
                        error,
                        batch: Box::new(batch),
                        events_in,
                        signals: Box::new(signals),
                    });
                }
            }
            Err(_) => return Err(StageError::Tokens),
        }
    };
    store
        .apply(registry_changes.clone())
        .await
        .map_err(StageError::Registry)?;
    // Nothing enforced: the body as received may go as it came (when its adapter can tell).
    let unchanged = batch.events.len() == events_in
        && evaluation.enforced_changes().next().is_none()
        && evaluation.dropped.iter().all(|d| d.shadow);
    let outgoing = protocol::encode_or_as_received(&batch, raw, unchanged);
    Ok(Processed {
        batch,
        events_in,
        evaluation,
        outgoing,
        signals,
        registry_changes,
    })
}

/// The embedded registry and vault, used directly: the state of the command-line tools.
struct Local<'a> {
    registry: &'a subjects::Registry,
    vault: &'a Vault,
}

impl StageStore for Local<'_> {
    type Error = String;

    async fn snapshot(&self, keys: &[SubjectKey]) -> Result<crate::store::Snapshot, String> {
        Ok(crate::store::Snapshot::of(keys, self.registry))
    }

    fn token_table(&self) -> &dyn vault::TokenTable {
        self.vault
    }

    async fn create_tokens(&self, wanted: Vec<Wanted>) -> Result<(), String> {
        self.vault
            .create(&wanted)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    async fn apply(&self, changes: Vec<Change>) -> Result<(), String> {
        self.registry.apply(&changes).map_err(|e| e.to_string())
    }
}

/// [`run`] for the command-line tools and tests, on the embedded registry and vault. Their
/// futures never wait, so they are driven to completion here without a runtime.
pub fn process(
    set: &PolicySet,
    route: &'static Route,
    raw: &RawRequest,
    limits: &DecodeLimits,
    registry: &subjects::Registry,
    vault: &Vault,
) -> Result<Processed, ProcessError> {
    let store = Local { registry, vault };
    let future = std::pin::pin!(run(set, route, raw, limits, &store));
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    let std::task::Poll::Ready(result) = future.poll(&mut cx) else {
        unreachable!("the embedded store's futures are always ready");
    };
    result.map_err(|e| match e {
        StageError::Decode(d) => ProcessError::Decode(d),
        StageError::Unavailable { error, .. } => ProcessError::Tokens(error),
        StageError::Tokens => ProcessError::Tokens("tokens still missing".to_owned()),
        StageError::Registry(error) => ProcessError::Registry(error),
    })
}

/// `scrub --format json`: the forwarded request and every change and drop, with reasons.
pub fn explain_json(p: &Processed) -> serde_json::Value {
    use serde_json::json;
    let changes: Vec<_> = p
        .evaluation
        .changes
        .iter()
        .map(|c| {
            json!({
                "policy": &*c.policy, "rule": &*c.rule, "why": c.why.as_deref(), "action": c.action,
                "path": format!("events[{}].{}", c.event_index, c.path), "detector": c.detector.as_deref(),
                "evidence": c.evidence, "count": c.count, "shadow": c.shadow,
            })
        })
        .collect();
    let dropped: Vec<_> = p
        .evaluation
        .dropped
        .iter()
        .map(|d| {
            json!({
                "event_index": d.event_index, "policy": &*d.policy, "rule": &*d.rule, "why": d.why.as_deref(),
                "signal": d.signal, "shadow": d.shadow,
            })
        })
        .collect();
    json!({
        // As the audit log would say it: `shadow` when a shadow policy would have changed
        // something in what is forwarded.
        "outcome": match &p.outgoing {
            None => "dropped",
            Some(_) if p.evaluation.changes.iter().any(|c| c.shadow)
                || p.evaluation.dropped.iter().any(|d| d.shadow) => "shadow",
            Some(_) => "forwarded",
        },
        "forwarded": p.outgoing.as_ref().map(crate::protocol::forwarded_view),
        "path": p.outgoing.as_ref().map(|o| o.path_and_query.clone()),
        "headers": p.outgoing.as_ref().map(|o| json!({"x-forwarded-for": o.client_ip, "user-agent": o.user_agent})),
        "events_in": p.events_in,
        "events_out": if p.outgoing.is_some() { p.batch.events.len() } else { 0 },
        "changes": changes,
        "dropped": dropped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::HashKey;
    use crate::policy::load_set;
    use bytes::Bytes;

    fn set(policy: &str) -> (PolicySet, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.yaml");
        std::fs::write(&path, policy).unwrap();
        let key = HashKey::from_bytes(&[5u8; 32], "t").unwrap();
        let (set, _) = load_set(&[path.display().to_string()], key).unwrap();
        (set, dir)
    }

    fn forwarded(set: &PolicySet, path: &str, query: Option<&str>, body: &str) -> Bytes {
        let mut headers = http::HeaderMap::new();
        headers.insert(
            http::header::CONTENT_TYPE,
            "application/json".parse().unwrap(),
        );
        let raw = RawRequest {
            method: http::Method::POST,
            path: path.to_owned(),
            query: query.map(str::to_owned),
            headers,
            body: Bytes::copy_from_slice(body.as_bytes()),
            client_ip: None,
        };
        let route = protocol::route(path).unwrap();
        let registry = subjects::Registry::in_memory();
        let vault = Vault::in_memory();
        let p = process(
            set,
            route,
            &raw,
            &DecodeLimits::default(),
            &registry,
            &vault,
        )
        .unwrap();
        p.outgoing.unwrap().body
    }

    #[test]
    fn a_body_nothing_changed_goes_as_received_and_any_other_is_written_again() {
        let (quiet, _d) = set(
            "policy: quiet\nrules:\n  - id: r\n    fields: [properties.email]\n    action: remove\n",
        );
        // Spacing and escapes as the client wrote them: forwarded byte for byte.
        let body = "{ \"app_id\": \"11\", \"identity\": \"u1\",\n  \"event\": \"Vi\\u0065w\", \"properties\": {\"n\": 1.50} }";
        assert_eq!(forwarded(&quiet, "/api/track", None, body), body.as_bytes());
        // A change, a dropped field or a query parameter: written again from the event.
        let changed =
            r#"{"app_id":"11","identity":"u1","event":"E","properties":{"email":"a@b.co"}}"#;
        assert_eq!(
            forwarded(&quiet, "/api/track", None, changed),
            r#"{"app_id":"11","identity":"u1","event":"E","properties":{}}"#.as_bytes()
        );
        let unknown = r#"{"app_id":"11", "identity":"u1","event":"E","extra":1}"#;
        assert_eq!(
            forwarded(&quiet, "/api/track", None, unknown),
            r#"{"app_id":"11","identity":"u1","event":"E"}"#.as_bytes()
        );
        let query = r#"{"app_id":"11", "identity":"u1","event":"E"}"#;
        assert_eq!(
            forwarded(&quiet, "/api/track", Some("email=a@b.co"), query),
            r#"{"app_id":"11","identity":"u1","event":"E"}"#.as_bytes()
        );
    }
}
