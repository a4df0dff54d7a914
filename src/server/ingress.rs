//! Ingress: one request from arrival to answer.
//!
//! [`handle`] owns the audit record and the final answer; [`handle_inner`] does the work and
//! returns what happened. One function, [`status_of`], maps each failure to its status code
//! (docs/operators/bad-input.md), and nothing reaches the collector that did not pass decode and evaluate.

use std::io::Read;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode, header};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use ipnet::IpNet;
use serde_json::json;

use crate::audit::{
    ChangeRecord, ConsentRecord, DropRecord, ErasureRecord, Outcome, Phase, PolicyVersion, Record,
};
use crate::config::OnErasure;
use crate::pipeline::{self, Processed};
use crate::policy::PolicySet;
use crate::protocol::{self, DecodeError, DecodeLimits, RawRequest, Route};
use crate::server::State;
use crate::server::upstream::ForwardError;
use crate::subjects::{Change, SubjectKey};

/// Everything that can stop a request, mapped to a status by [`status_of`].
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// No such route.
    #[error("no such endpoint")]
    NotFound,
    /// Wrong method for the route.
    #[error("method not allowed")]
    Method(&'static Route),
    /// Body over the limit.
    #[error("request body over the limit of {0} bytes")]
    TooLarge(usize),
    /// Body not received in time.
    #[error("request body not received in time")]
    BodyTimeout,
    /// Body could not be read (connection broke, bad chunking).
    #[error("request body could not be read")]
    BodyRead,
    /// Content-Encoding we cannot undo.
    #[error("{0}")]
    Encoding(String),
    /// A body that does not decompress under its declared encoding: malformed, like bad JSON
    /// (a 415 would make the mobile SDKs retry the same bytes for ever).
    #[error("the body does not decompress as its Content-Encoding says")]
    Corrupt,
    /// Bad input.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// The token vault failed.
    #[error("token vault unavailable")]
    Tokens,
    /// The subject registry could not record what it learned.
    #[error("subject registry unavailable")]
    Registry,
    /// Forwarding failed.
    #[error(transparent)]
    Forward(#[from] ForwardError),
    /// Too many requests in progress.
    #[error("too many requests in progress")]
    Busy,
    /// The audit log is failing; nothing is forwarded until it recovers.
    #[error("the audit log cannot be written")]
    AuditDown,
}

/// The one place that maps failures to HTTP statuses.
pub fn status_of(failure: &Failure) -> StatusCode {
    match failure {
        Failure::NotFound => StatusCode::NOT_FOUND,
        Failure::Method(_) => StatusCode::METHOD_NOT_ALLOWED,
        Failure::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
        Failure::BodyTimeout => StatusCode::REQUEST_TIMEOUT,
        Failure::BodyRead => StatusCode::BAD_REQUEST,
        Failure::Encoding(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        Failure::Corrupt => StatusCode::BAD_REQUEST,
        Failure::Decode(e) => e.status(),
        Failure::Tokens | Failure::Registry | Failure::Busy | Failure::AuditDown => {
            StatusCode::SERVICE_UNAVAILABLE
        }
        Failure::Forward(e) => e.status(),
    }
}

fn code_of(failure: &Failure) -> &'static str {
    match failure {
        Failure::NotFound => "not_found",
        Failure::Method(_) => "method_not_allowed",
        Failure::TooLarge(_) => "body_too_large",
        Failure::BodyTimeout => "body_timeout",
        Failure::BodyRead => "body_unreadable",
        Failure::Encoding(_) => "unsupported_encoding",
        Failure::Corrupt => "malformed_encoding",
        Failure::Decode(e) => e.code(),
        Failure::Tokens => "token_vault_unavailable",
        Failure::Registry => "registry_unavailable",
        Failure::Forward(e) => e.code(),
        Failure::Busy => "busy",
        Failure::AuditDown => "audit_unavailable",
    }
}

/// Handles one request: work, audit, answer. The answer is sent only after its record is
/// written (and synced, with `audit.sync: always`).
///
/// The audit log's health is checked before any work and again just before forwarding; while
/// it is failing, requests get 503 and nothing is forwarded. A request that is forwarded gets
/// two records: its decision, durable before anything leaves, and its outcome after the
/// collector answered. The outcome is queued before the answer but not waited for (the events
/// are with the collector, and a 503 would only make the client send them again); should it
/// fail to be written, the writer puts it in the process log and the requests after it get
/// 503.
pub async fn handle(
    state: Arc<State>,
    req: Request<Incoming>,
    peer: SocketAddr,
) -> Response<Full<Bytes>> {
    // The route is looked up once per request.
    let route = protocol::route(req.uri().path());
    let web = route.is_some_and(|r| r.protocol() == protocol::Protocol::HeapJs);
    if web && req.method() == Method::OPTIONS {
        // A CORS preflight carries no event data: answered directly, not audited.
        let mut response = plain(StatusCode::NO_CONTENT, "text/plain", Bytes::new());
        add_cors(&mut response);
        response.headers_mut().insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST, OPTIONS"),
        );
        response.headers_mut().insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("Content-Type"),
        );
        response.headers_mut().insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("86400"),
        );
        return response;
    }
    let route_label = route.map_or("unknown", |r| r.path);
    state.metrics.in_flight().inc();
    let request_id = state.next_request_id();
    let set = state.policies.load_full();
    let mut record = Record::new(request_id.clone(), PolicyVersion::of(&set));
    let permit = state.in_flight.clone().try_acquire_owned().ok();
    // Set once the body is in: the request is then on its way to a durable record.
    let mut way = None;
    let result = if permit.is_none() {
        Err(Failure::Busy)
    } else if !state.audit.health().is_healthy() {
        Err(Failure::AuditDown)
    } else {
        // Boxed: the work's state is several KiB, and the request's task would otherwise move
        // it (spawned, polled) more than once.
        Box::pin(handle_inner(
            &state,
            &set,
            route,
            req,
            peer,
            &request_id,
            &mut record,
            &mut way,
        ))
        .await
    };
    let mut response = match result {
        Ok(response) => response,
        Err(failure) => {
            let status = status_of(&failure);
            record.outcome = match failure {
                Failure::Forward(_) => Outcome::UpstreamError,
                _ => Outcome::Rejected,
            };
            record.error = Some(code_of(&failure));
            tracing::debug!(request_id = %request_id, route = %record.route, status = status.as_u16(), error = code_of(&failure), "Request not forwarded.");
            error_response(status, &failure.to_string(), &request_id, &failure)
        }
    };
    record.status = response.status().as_u16();
    let written = if record.phase == Some(Phase::Outcome) {
        // Queued, not waited for; the wait that counts was its decision's (timed there).
        let queued = state.audit.write_outcome(&record).await;
        if queued.is_err() {
            state.metrics.audit_failed();
        }
        queued
    } else {
        let started = std::time::Instant::now();
        let written = state
            .audit
            .write_request(&record, way.take())
            .await
            .map(drop);
        state.metrics.audit(started.elapsed(), written.is_err());
        written
    };
    state.metrics.request(&record, route_label);
    state.metrics.in_flight().dec();
    if let Err(e) = written {
        // The one case where work was done without a record in the log: a request that passed
        // the health checks while the log was still healthy. Records hold no personal data,
        // so the record goes to the process log instead, to account for it.
        let unwritten = serde_json::to_string(&record).unwrap_or_default();
        tracing::error!(request_id = %request_id, error = %e, record = %unwritten, "Audit record not written; answering 503. The record is in this log line.");
        response = error_response(
            StatusCode::SERVICE_UNAVAILABLE,
            "the audit log cannot be written",
            &request_id,
            &Failure::AuditDown,
        );
    }
    if web {
        add_cors(&mut response);
    }
    response.headers_mut().insert(
        "x-request-id",
        HeaderValue::from_str(&request_id).unwrap_or(HeaderValue::from_static("-")),
    );
    response
}

// The request's parts and its audit bookkeeping (record, on-its-way mark), all owned by
// `handle`, which writes the record whatever this returns.
#[allow(clippy::too_many_arguments)]
async fn handle_inner(
    state: &State,
    set: &PolicySet,
    route: Option<&'static Route>,
    req: Request<Incoming>,
    peer: SocketAddr,
    request_id: &str,
    record: &mut Record,
    way: &mut Option<crate::audit::OnItsWay>,
) -> Result<Response<Full<Bytes>>, Failure> {
    let route = route.ok_or(Failure::NotFound)?;
    record.route = route.path.to_owned();
    if !route.methods.contains(req.method()) {
        return Err(Failure::Method(route));
    }
    let (parts, body) = req.into_parts();
    let limits = &state.config.limits;
    if let Some(len) = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        && len > limits.max_body_bytes as u64
    {
        return Err(Failure::TooLarge(limits.max_body_bytes));
    }
    let body = read_body(body, limits.max_body_bytes, limits.body_timeout).await?;
    *way = Some(state.audit.on_its_way());
    let body = decompress(&parts.headers, body, limits.max_body_bytes)?;
    let client = client_ip(peer.ip(), &parts.headers, &state.config.trusted_proxies);
    let raw = RawRequest {
        method: parts.method.clone(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers,
        body,
        client_ip: Some(client),
    };
    let processed = run_stages(state, set, route, &raw, &limits.decode, request_id).await?;
    fill_record(record, &processed, set);
    let Some(outgoing) = &processed.outgoing else {
        record.outcome = Outcome::Dropped;
        let answer = protocol::empty_answer(route);
        return Ok(plain(
            answer.status,
            answer.content_type,
            Bytes::from_static(answer.body),
        ));
    };
    // Checked again just before forwarding: a log that failed while this request was read
    // and evaluated stops it here, before anything leaves.
    if !state.audit.health().is_healthy() {
        return Err(Failure::AuditDown);
    }
    // No forward without a record: the decision is durable before the request leaves, so a
    // crash between forwarding and the outcome record still leaves the request accounted for
    // (`audit verify` and `audit summary` report such decisions as interrupted).
    record.outcome = Outcome::Forwarded;
    let started = std::time::Instant::now();
    let decided = state.audit.write_decision(record, way.take()).await;
    state.metrics.audit(started.elapsed(), false);
    match decided {
        Ok(seq) => record.decision_seq = Some(seq),
        Err(_) => return Err(Failure::AuditDown),
    }
    record.phase = Some(Phase::Outcome);
    let extra = crate::forward_headers::select(&raw.headers, &state.config.forward_headers);
    let started = std::time::Instant::now();
    let answer = state
        .upstream
        .forward(route, &raw.method, outgoing, &extra, request_id)
        .await;
    state.metrics.upstream(
        started.elapsed(),
        answer.as_ref().err().map(ForwardError::code),
    );
    let answer = answer?;
    record.upstream_status = Some(answer.status.as_u16());
    if let protocol::Envelope::Passthrough(env) = &processed.batch.envelope
        && !env.erasure.is_empty()
    {
        let opt_out = state.config.on_erasure == OnErasure::OptOut && answer.status.is_success();
        if opt_out {
            let changes: Vec<Change> = env
                .erasure
                .iter()
                .map(|(kind, value)| {
                    Change::OptOut(
                        SubjectKey::new(&set.key, *kind, value),
                        "gdpr_art17".to_owned(),
                    )
                })
                .collect();
            if let Err(e) = state.store.apply(changes).await {
                tracing::error!(request_id, error = %e, "Erased subjects could not be opted out.");
                return Err(Failure::Registry);
            }
        }
        record.erasure = Some(ErasureRecord {
            subjects: env.erasure.len(),
            opted_out: opt_out,
        });
    }
    record.outcome =
        if record.changes.iter().any(|c| c.shadow) || record.dropped.iter().any(|d| d.shadow) {
            Outcome::Shadow
        } else {
            Outcome::Forwarded
        };
    // The mobile SDKs count only exactly 200 as success and retry any other answer for ever
    // (heap-wire.md): a collector's 201 or 204 becomes the empty 200 they expect.
    if route.protocol() == protocol::Protocol::CaptureV2
        && answer.status.is_success()
        && answer.status != StatusCode::OK
    {
        let empty = protocol::empty_answer(route);
        return Ok(plain(
            empty.status,
            empty.content_type,
            Bytes::from_static(empty.body),
        ));
    }
    let mut response = Response::new(Full::new(answer.body));
    *response.status_mut() = answer.status;
    if let Some(ct) = answer.content_type {
        response.headers_mut().insert(header::CONTENT_TYPE, ct);
    }
    Ok(response)
}

/// The server's state for the stage runner: the store, embedded or Redis (blocking writes off
/// the async workers).
impl pipeline::StageStore for crate::store::Store {
    type Error = crate::store::StoreError;

    async fn snapshot(
        &self,
        keys: &[crate::subjects::SubjectKey],
    ) -> Result<crate::store::Snapshot, Self::Error> {
        crate::store::Store::snapshot(self, keys).await
    }

    fn token_table(&self) -> &dyn crate::vault::TokenTable {
        crate::store::Store::token_table(self)
    }

    async fn create_tokens(&self, wanted: Vec<crate::vault::Wanted>) -> Result<(), Self::Error> {
        crate::store::Store::create_tokens(self, wanted).await
    }

    async fn apply(&self, changes: Vec<Change>) -> Result<(), Self::Error> {
        crate::store::Store::apply(self, changes).await
    }
}

/// The stages (`pipeline::run`, the same runner `scrub` and `test` use), with the server's
/// answers to state failures.
async fn run_stages(
    state: &State,
    set: &PolicySet,
    route: &'static Route,
    raw: &RawRequest,
    limits: &DecodeLimits,
    request_id: &str,
) -> Result<Processed, Failure> {
    match pipeline::run(set, route, raw, limits, &state.store).await {
        Ok(p) => Ok(p),
        Err(pipeline::StageError::Decode(e)) => Err(e.into()),
        Err(pipeline::StageError::Unavailable {
            error,
            batch,
            events_in,
            signals,
        }) => state_unavailable(state, *batch, events_in, *signals, request_id, &error),
        Err(pipeline::StageError::Tokens) => Err(Failure::Tokens),
        Err(pipeline::StageError::Registry(e)) => {
            tracing::error!(request_id, error = %e, "Subject registry write failed.");
            Err(Failure::Registry)
        }
    }
}

/// The registry or vault cannot be reached: 503 (fail closed), or — with
/// `state.fail_open_to: drop` — every event dropped.
fn state_unavailable(
    state: &State,
    mut batch: protocol::Batch,
    events_in: usize,
    signals: crate::consent::RequestSignals,
    request_id: &str,
    error: &crate::store::StoreError,
) -> Result<Processed, Failure> {
    tracing::error!(request_id, error = %error, "Shared state unavailable.");
    if !state.store.fail_open_to_drop() {
        return Err(Failure::Registry);
    }
    let dropped = batch
        .events
        .iter()
        .map(|e| crate::policy::Drop {
            event_index: e.index,
            policy: std::sync::Arc::from("privgate"),
            rule: std::sync::Arc::from("state-unavailable"),
            why: Some(std::sync::Arc::from(
                "the subject registry could not be reached (state.fail_open_to: drop)",
            )),
            signal: None,
            shadow: false,
        })
        .collect();
    batch.events.clear();
    Ok(Processed {
        batch,
        events_in,
        evaluation: crate::policy::Evaluation {
            dropped,
            ..Default::default()
        },
        outgoing: None,
        signals,
        registry_changes: Vec::new(),
    })
}

fn fill_record(record: &mut Record, p: &Processed, set: &PolicySet) {
    record.app_id = p.batch.app_id.clone();
    record.events_in = p.events_in;
    record.events_out = if p.outgoing.is_some() {
        p.batch.events.len()
    } else {
        0
    };
    record.unknown_fields = p.batch.unknown_fields;
    let invalid = p.signals.invalid();
    if p.evaluation.consent_signal.is_some() || !invalid.is_empty() {
        record.consent = Some(ConsentRecord {
            signal: p.evaluation.consent_signal,
            invalid,
        });
    }
    record.changes = p
        .evaluation
        .changes
        .iter()
        .map(|c| ChangeRecord {
            policy: c.policy.clone(),
            rule: c.rule.clone(),
            action: c.action,
            // A key can be personal data itself: the record shows only keys that pass the
            // detectors and look like identifiers (PolicySet::audit_path).
            path: {
                let shown = set.audit_path(&c.path);
                let mut path = String::with_capacity(shown.len() + 12);
                path.push_str("events[");
                path.push_str(itoa::Buffer::new().format(c.event_index));
                path.push_str("].");
                path.push_str(&shown);
                path
            },
            detector: c.detector.clone(),
            evidence: c.evidence,
            count: c.count,
            shadow: c.shadow,
        })
        .collect();
    record.dropped = p
        .evaluation
        .dropped
        .iter()
        .map(|d| DropRecord {
            event_index: d.event_index,
            policy: d.policy.clone(),
            rule: d.rule.clone(),
            signal: d.signal,
            shadow: d.shadow,
        })
        .collect();
}

/// Reads the whole body within the size limit and the time limit.
async fn read_body(
    body: Incoming,
    max: usize,
    timeout: std::time::Duration,
) -> Result<Bytes, Failure> {
    let collected = tokio::time::timeout(timeout, Limited::new(body, max).collect())
        .await
        .map_err(|_| Failure::BodyTimeout)?;
    match collected {
        Ok(c) => Ok(c.to_bytes()),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => Err(Failure::TooLarge(max)),
        Err(_) => Err(Failure::BodyRead),
    }
}

/// Undoes `Content-Encoding: gzip` or `deflate`, bounded by the body limit.
fn decompress(headers: &HeaderMap, body: Bytes, max: usize) -> Result<Bytes, Failure> {
    let Some(encoding) = headers.get(header::CONTENT_ENCODING) else {
        return Ok(body);
    };
    let encoding = encoding.to_str().unwrap_or("").trim().to_ascii_lowercase();
    let mut out = Vec::new();
    let read = match encoding.as_str() {
        "" | "identity" => return Ok(body),
        "gzip" | "x-gzip" => flate2::read::MultiGzDecoder::new(&body[..])
            .take(max as u64 + 1)
            .read_to_end(&mut out),
        "deflate" => {
            // HTTP "deflate" is zlib-wrapped; some clients send raw deflate.
            let zlib = flate2::read::ZlibDecoder::new(&body[..])
                .take(max as u64 + 1)
                .read_to_end(&mut out);
            if zlib.is_err() {
                out.clear();
                flate2::read::DeflateDecoder::new(&body[..])
                    .take(max as u64 + 1)
                    .read_to_end(&mut out)
            } else {
                zlib
            }
        }
        _ => {
            return Err(Failure::Encoding(
                "unsupported Content-Encoding; privgate accepts gzip, deflate or none".to_owned(),
            ));
        }
    };
    read.map_err(|_| Failure::Corrupt)?;
    if out.len() > max {
        return Err(Failure::TooLarge(max));
    }
    Ok(out.into())
}

/// The end user's address: the peer, unless the peer is a trusted proxy; then the rightmost
/// `X-Forwarded-For` entry that is not itself a trusted proxy.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let peer = canonical(peer);
    if !trusted.iter().any(|n| n.contains(&peer)) {
        return peer;
    }
    let mut hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    hops.reverse();
    for hop in hops {
        let Ok(ip) = hop
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
        else {
            // An entry we cannot read: do not trust anything further left.
            return peer;
        };
        let ip = canonical(ip);
        if !trusted.iter().any(|n| n.contains(&ip)) {
            return ip;
        }
    }
    peer
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

/// Lets the tracker call privgate from pages on other origins (no credentials are involved).
fn add_cors(response: &mut Response<Full<Bytes>>) {
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
}

fn plain(status: StatusCode, content_type: &'static str, body: Bytes) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

fn error_response(
    status: StatusCode,
    message: &str,
    request_id: &str,
    failure: &Failure,
) -> Response<Full<Bytes>> {
    let body = json!({ "error": message, "request_id": request_id }).to_string();
    let mut response = plain(status, "application/json", Bytes::from(body));
    match failure {
        Failure::Busy | Failure::AuditDown | Failure::Tokens | Failure::Registry => {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        Failure::Method(route) => {
            if let Ok(allow) = HeaderValue::from_str(&allowed_methods(route)) {
                response.headers_mut().insert(header::ALLOW, allow);
            }
        }
        _ => {}
    }
    response
}

/// The `Allow` header of a route.
fn allowed_methods(route: &Route) -> String {
    route
        .methods
        .iter()
        .map(Method::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_failure_has_its_status() {
        let cases: Vec<(Failure, u16)> = vec![
            (Failure::NotFound, 404),
            (Failure::Method(&crate::protocol::ROUTES[0]), 405),
            (Failure::TooLarge(1), 413),
            (Failure::BodyTimeout, 408),
            (Failure::BodyRead, 400),
            (Failure::Encoding(String::new()), 415),
            (
                Failure::Decode(DecodeError::Json {
                    line: 1,
                    column: 1,
                    message: String::new(),
                }),
                400,
            ),
            (
                Failure::Decode(DecodeError::ContentType {
                    expected: "application/json",
                    got: None,
                }),
                415,
            ),
            // capture/v2: the SDKs drop data on 400 and retry anything else, so a body that
            // cannot be decoded (and so cannot be filtered) must be a 400.
            (
                Failure::Decode(DecodeError::Protobuf {
                    message: String::new(),
                }),
                400,
            ),
            (
                Failure::Decode(DecodeError::TooManyEvents {
                    count: 1001,
                    limit: 1000,
                }),
                400,
            ),
            (Failure::Tokens, 503),
            (Failure::Busy, 503),
            (Failure::AuditDown, 503),
            (
                Failure::Forward(ForwardError::Unreachable(String::new())),
                502,
            ),
            (
                Failure::Forward(ForwardError::Timeout(std::time::Duration::from_secs(1))),
                504,
            ),
        ];
        for (failure, status) in cases {
            assert_eq!(status_of(&failure).as_u16(), status, "{failure:?}");
        }
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "198.51.100.7, 10.0.0.2".parse().unwrap());
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let trusted = vec![crate::config::parse_trusted("10.0.0.0/8").unwrap()];
        assert_eq!(client_ip(proxy, &headers, &[]), proxy);
        assert_eq!(
            client_ip(proxy, &headers, &trusted),
            "198.51.100.7".parse::<IpAddr>().unwrap()
        );
        let stranger: IpAddr = "203.0.113.9".parse().unwrap();
        assert_eq!(client_ip(stranger, &headers, &trusted), stranger);
    }
}
