//! Wire protocols: one adapter per protocol turns a request into a [`Batch`] of normalized
//! events and writes the kept events back in the same format.
//!
//! Adapters know nothing of policies, and policies nothing of wire formats. Routing is by path
//! only (collector hosts are configurable and change), so the same adapter serves any host.
//! Anything an adapter cannot fully account for is refused (fail closed): unknown routes, bad
//! content types, malformed bodies. Unknown fields inside known messages are dropped and counted.

pub mod capture_v2;
pub mod heap_js;
pub mod heap_json;
pub(crate) mod json;
pub mod passthrough;

use std::net::IpAddr;

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use serde_json::Value;

use crate::event::schema::FieldType;
use crate::event::{self, Event, RequestMeta};

/// A request as ingress hands it over: limits already enforced, body complete.
#[derive(Debug, Clone)]
pub struct RawRequest {
    /// HTTP method.
    pub method: Method,
    /// Path without the query.
    pub path: String,
    /// Query string without `?`.
    pub query: Option<String>,
    /// Request headers.
    pub headers: HeaderMap,
    /// Body (already decompressed).
    pub body: Bytes,
    /// The end user's address.
    pub client_ip: Option<IpAddr>,
}

/// The endpoints privgate understands, grouped by the adapter that handles them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// Heap's server-side JSON API.
    Json(JsonEndpoint),
    /// The classic heap.js web tracker.
    Web(WebEndpoint),
    /// Heap's data-privacy API.
    Privacy(PrivacyEndpoint),
    /// Heap's capture/v2 protobuf API (the current iOS, Android and web SDKs).
    Capture(CaptureEndpoint),
}

/// Endpoints of Heap's capture/v2 protobuf API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaptureEndpoint {
    /// `POST /api/capture/v2/track`: a `MessageBatch`.
    Track,
    /// `POST /api/capture/v2/identify`: a `UserIdentification`.
    Identify,
    /// `POST /api/capture/v2/add_user_properties`: a `UserProperties`.
    AddUserProperties,
}

/// Endpoints of the classic heap.js web tracker (query string or form body).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WebEndpoint {
    /// `/h`: pageviews and autocaptured events.
    Track,
    /// `/api/identify_v3`.
    Identify,
    /// `/api/add_user_properties_v3`.
    AddUserProperties,
}

/// Endpoints of Heap's server-side JSON API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JsonEndpoint {
    /// `POST /api/track` (single or bulk).
    Track,
    /// `POST /api/add_user_properties` (single or bulk).
    AddUserProperties,
    /// `POST /api/add_account_properties` (single or bulk).
    AddAccountProperties,
    /// `POST /api/v1/identify`.
    Identify,
    /// `POST /api/integrations/track`.
    IntegrationsTrack,
}

/// Endpoints of Heap's data-privacy API, passed through unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrivacyEndpoint {
    /// `POST /api/public/v0/auth_token`.
    AuthToken,
    /// `POST /api/public/v0/user_deletion`.
    UserDeletion,
    /// `GET /api/public/v0/deletion_status/{id}`.
    DeletionStatus,
}

/// Which adapter handles an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// Heap's server-side JSON API.
    HeapJson,
    /// The heap.js query protocol.
    HeapJs,
    /// Heap's data-privacy API: forwarded unchanged, it is the erasure itself.
    Passthrough,
    /// Heap's capture/v2 protobuf API.
    CaptureV2,
}

impl Protocol {
    /// The content type clients of this protocol send.
    pub fn content_type(self) -> &'static str {
        match self {
            Protocol::HeapJson | Protocol::Passthrough => "application/json",
            Protocol::HeapJs => "application/x-www-form-urlencoded",
            Protocol::CaptureV2 => "application/octet-stream",
        }
    }
}

/// One row of the route table.
#[derive(Debug)]
pub struct Route {
    /// The path matched exactly (or, when it ends with `/{id}`, as a prefix plus one segment).
    pub path: &'static str,
    /// The endpoint.
    pub endpoint: Endpoint,
    /// Methods accepted.
    pub methods: &'static [Method],
}

impl Route {
    /// The adapter for this route.
    pub fn protocol(&self) -> Protocol {
        match self.endpoint {
            Endpoint::Json(_) => Protocol::HeapJson,
            Endpoint::Web(_) => Protocol::HeapJs,
            Endpoint::Privacy(_) => Protocol::Passthrough,
            Endpoint::Capture(_) => Protocol::CaptureV2,
        }
    }
}

/// Every route privgate serves; anything else is a 404.
pub static ROUTES: &[Route] = &[
    Route {
        path: "/api/track",
        endpoint: Endpoint::Json(JsonEndpoint::Track),
        methods: &[Method::POST],
    },
    Route {
        path: "/api/add_user_properties",
        endpoint: Endpoint::Json(JsonEndpoint::AddUserProperties),
        methods: &[Method::POST],
    },
    Route {
        path: "/api/add_account_properties",
        endpoint: Endpoint::Json(JsonEndpoint::AddAccountProperties),
        methods: &[Method::POST],
    },
    Route {
        path: "/api/v1/identify",
        endpoint: Endpoint::Json(JsonEndpoint::Identify),
        methods: &[Method::POST],
    },
    Route {
        path: "/api/integrations/track",
        endpoint: Endpoint::Json(JsonEndpoint::IntegrationsTrack),
        methods: &[Method::POST],
    },
    Route {
        path: "/h",
        endpoint: Endpoint::Web(WebEndpoint::Track),
        methods: &[Method::GET, Method::POST],
    },
    Route {
        path: "/api/identify_v3",
        endpoint: Endpoint::Web(WebEndpoint::Identify),
        methods: &[Method::GET, Method::POST],
    },
    Route {
        path: "/api/add_user_properties_v3",
        endpoint: Endpoint::Web(WebEndpoint::AddUserProperties),
        methods: &[Method::GET, Method::POST],
    },
    Route {
        path: "/api/capture/v2/track",
        endpoint: Endpoint::Capture(CaptureEndpoint::Track),
        methods: &[Method::POST],
    },
    Route {
        path: "/api/capture/v2/identify",
        endpoint: Endpoint::Capture(CaptureEndpoint::Identify),
        methods: &[Method::POST],
    },
    Route {
        path: "/api/capture/v2/add_user_properties",
        endpoint: Endpoint::Capture(CaptureEndpoint::AddUserProperties),
        methods: &[Method::POST],
    },
    Route {
        path: "/api/public/v0/auth_token",
        endpoint: Endpoint::Privacy(PrivacyEndpoint::AuthToken),
        methods: &[Method::POST],
    },
    Route {
        path: "/api/public/v0/user_deletion",
        endpoint: Endpoint::Privacy(PrivacyEndpoint::UserDeletion),
        methods: &[Method::POST],
    },
    Route {
        path: "/api/public/v0/deletion_status/{id}",
        endpoint: Endpoint::Privacy(PrivacyEndpoint::DeletionStatus),
        methods: &[Method::GET],
    },
];

/// The route for a path, if privgate serves it.
pub fn route(path: &str) -> Option<&'static Route> {
    // Exact paths only: `/api/track/` is not `/api/track` (a 404), so what the README lists is
    // what is accepted.
    ROUTES.iter().find(|r| match r.path.strip_suffix("{id}") {
        Some(prefix) => path
            .strip_prefix(prefix)
            .is_some_and(|id| !id.is_empty() && !id.contains('/')),
        None => r.path == path,
    })
}

/// A decoded request.
#[derive(Debug, Clone)]
pub struct Batch {
    /// The route it came in on.
    pub route: &'static Route,
    /// Request-wide context.
    pub meta: RequestMeta,
    /// The events, in wire order.
    pub events: Vec<Event>,
    /// What the adapter needs to write the events back.
    pub envelope: Envelope,
    /// Fields inside known messages that the adapter does not know and dropped.
    pub unknown_fields: u32,
    /// The app (environment) id of the request, when it has one.
    pub app_id: Option<String>,
}

impl Batch {
    /// Number of events as received.
    pub fn events_in(&self) -> usize {
        self.events.len()
    }
}

/// Adapter-specific data kept between decode and encode.
#[derive(Debug, Clone)]
pub enum Envelope {
    /// Heap JSON API.
    HeapJson(heap_json::Envelope),
    /// heap.js query protocol.
    HeapJs(heap_js::Envelope),
    /// Data-privacy API.
    Passthrough(passthrough::Envelope),
    /// capture/v2 protobuf API.
    Capture(capture_v2::Envelope),
}

/// A request ready to be forwarded upstream.
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// The wire protocol it is written in.
    pub protocol: Protocol,
    /// Path and query to request upstream.
    pub path_and_query: String,
    /// The body's content type, if it has one.
    pub content_type: Option<HeaderValue>,
    /// Headers the protocol itself forwards (the data-privacy API's `Authorization`).
    pub headers: HeaderMap,
    /// The re-encoded body.
    pub body: Bytes,
    /// The end user's address after the policies ran (`X-Forwarded-For`), if kept.
    pub client_ip: Option<String>,
    /// The end user's agent after the policies ran (`User-Agent`), if kept.
    pub user_agent: Option<String>,
}

/// The answer a collector gives when it accepts a request, used when nothing is left to forward.
#[derive(Debug, Clone)]
pub struct EmptyAnswer {
    /// Status (always 200: Heap's SDKs treat anything else as a failure and retry).
    pub status: StatusCode,
    /// Content type.
    pub content_type: &'static str,
    /// Body.
    pub body: &'static [u8],
}

/// Why a request could not be decoded. Messages never quote request content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The body is not of a content type this endpoint takes.
    // The client's content type is never quoted back (error messages hold nothing a client
    // chose).
    #[error("this endpoint takes {expected}; the request has {}", if .got.is_some() { "another content type" } else { "no content type" })]
    ContentType {
        /// What the endpoint takes.
        expected: &'static str,
        /// What the request said (the media type only).
        got: Option<String>,
    },
    /// The body is not valid JSON (or not UTF-8, or too deeply nested).
    #[error("malformed JSON at line {line} column {column}: {message}")]
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong (never quotes the input).
        message: String,
    },
    /// The JSON is valid but not the shape the endpoint expects.
    #[error("{path}: {message}")]
    Shape {
        /// Where (`events[3].properties`).
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The body is not a valid protobuf message of the endpoint's type (truncated, wrong wire
    /// type, a string that is not UTF-8, a timestamp out of range, or not protobuf at all).
    #[error("malformed protobuf: {message}")]
    Protobuf {
        /// What is wrong, naming messages and fields (never quotes the input).
        message: String,
    },
    /// More events than the configured limit.
    #[error("{count} events in one request; the limit is {limit}")]
    TooManyEvents {
        /// How many.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// The request exceeds one of the decode budgets (fields, parameters, path depth): refused
    /// before it is built any further, so that no request can take much memory or time.
    #[error("{what}: the limit is {limit} (limits.{setting})")]
    OverBudget {
        /// What was exceeded, in words ("more than 1000 fields in one event").
        what: &'static str,
        /// The configured limit.
        limit: usize,
        /// The config key under `limits` that sets it.
        setting: &'static str,
    },
}

impl DecodeError {
    /// A content type the endpoint does not take; `got` is the request's `Content-Type` text,
    /// of which only the media type (at most 100 characters) is kept.
    pub fn content_type(expected: &'static str, got: Option<&str>) -> DecodeError {
        DecodeError::ContentType {
            expected,
            got: got.map(|c| {
                c.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .chars()
                    .take(100)
                    .collect()
            }),
        }
    }

    /// The HTTP status for this error.
    pub fn status(&self) -> StatusCode {
        match self {
            DecodeError::ContentType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            DecodeError::Json { .. }
            | DecodeError::Protobuf { .. }
            | DecodeError::Shape { .. }
            | DecodeError::TooManyEvents { .. }
            | DecodeError::OverBudget { .. } => StatusCode::BAD_REQUEST,
        }
    }

    /// A short machine-readable code for audit records and metrics.
    pub fn code(&self) -> &'static str {
        match self {
            DecodeError::ContentType { .. } => "unsupported_media_type",
            DecodeError::Json { .. } => "malformed_json",
            DecodeError::Protobuf { .. } => "malformed_protobuf",
            DecodeError::Shape { .. } => "wrong_shape",
            DecodeError::TooManyEvents { .. } => "too_many_events",
            DecodeError::OverBudget { .. } => "over_budget",
        }
    }
}

/// The decode budget: limits every adapter enforces while it builds events, so that the work
/// and memory one request can cost are bounded by settings, whatever its shape. Each is checked
/// before the thing it limits is built; a request over any of them is refused with 400 and
/// nothing is forwarded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeLimits {
    /// Deepest path of any value built: JSON nesting, and the model path of every value the
    /// other adapters build (`limits.max_json_depth`).
    pub max_depth: usize,
    /// Most events in one request (`limits.max_events`).
    pub max_events: usize,
    /// Most values in one event, containers and their members alike (`limits.max_event_fields`).
    pub max_event_fields: usize,
    /// Most values in one request, summed over its events, request-wide values counted once
    /// per event they are copied into (`limits.max_request_fields`).
    pub max_request_fields: usize,
    /// Most parameters (query and form body together) in one request
    /// (`limits.max_parameters`).
    pub max_params: usize,
    /// Longest key of an object (a property name), in bytes (`limits.max_key_bytes`). Heap
    /// itself takes keys of at most 1024 characters.
    pub max_key_bytes: usize,
}

impl Default for DecodeLimits {
    fn default() -> Self {
        DecodeLimits {
            max_depth: 32,
            max_events: 1000,
            max_event_fields: 1000,
            max_request_fields: 50_000,
            max_params: 2000,
            max_key_bytes: 1024,
        }
    }
}

impl DecodeLimits {
    /// The error for more than `max_event_fields` values in one event.
    pub fn event_fields_error(&self) -> DecodeError {
        DecodeError::OverBudget {
            what: "too many fields in one event",
            limit: self.max_event_fields,
            setting: "max_event_fields",
        }
    }

    /// The error for more than `max_request_fields` values in one request.
    pub fn request_fields_error(&self) -> DecodeError {
        DecodeError::OverBudget {
            what: "too many fields in one request",
            limit: self.max_request_fields,
            setting: "max_request_fields",
        }
    }

    /// The error for more than `max_params` parameters.
    pub fn params_error(&self) -> DecodeError {
        DecodeError::OverBudget {
            what: "too many parameters",
            limit: self.max_params,
            setting: "max_parameters",
        }
    }

    /// Checks one key of an object: not empty (an empty path segment), not over `max_key_bytes`.
    pub fn check_key(&self, key: &str) -> Result<(), DecodeError> {
        if key.is_empty() {
            return Err(DecodeError::Shape {
                path: "fields".to_owned(),
                message: "a key is empty".to_owned(),
            });
        }
        if key.len() > self.max_key_bytes {
            return Err(DecodeError::OverBudget {
                what: "a key too long",
                limit: self.max_key_bytes,
                setting: "max_key_bytes",
            });
        }
        Ok(())
    }

    /// The error for a value nested deeper than `max_depth`.
    pub fn depth_error(&self) -> DecodeError {
        DecodeError::OverBudget {
            what: "a value nested too deeply",
            limit: self.max_depth,
            setting: "max_json_depth",
        }
    }
}

/// Counts the values of an event against the budget, without recursion: every object member
/// and array element is one value. Checks every key on the way: none may be empty or longer
/// than `max_key_bytes`. Fails at the first value over a limit; `request` is the running total
/// of the request.
pub fn count_fields(
    fields: &event::Fields,
    limits: &DecodeLimits,
    request: &mut usize,
) -> Result<(), DecodeError> {
    let mut in_event = 0usize;
    let mut stack: Vec<(Option<&str>, &Value)> =
        fields.iter().map(|(k, v)| (Some(k.as_str()), v)).collect();
    while let Some((key, v)) = stack.pop() {
        in_event += 1;
        *request += 1;
        if in_event > limits.max_event_fields {
            return Err(limits.event_fields_error());
        }
        if *request > limits.max_request_fields {
            return Err(limits.request_fields_error());
        }
        if let Some(key) = key {
            limits.check_key(key)?;
        }
        match v {
            Value::Object(m) => stack.extend(m.iter().map(|(k, v)| (Some(k.as_str()), v))),
            Value::Array(a) => stack.extend(a.iter().map(|v| (None, v))),
            _ => {}
        }
    }
    Ok(())
}

/// Decodes a request with its route's adapter.
pub fn decode(
    route: &'static Route,
    raw: &RawRequest,
    limits: &DecodeLimits,
) -> Result<Batch, DecodeError> {
    let meta = RequestMeta {
        headers: raw.headers.clone(),
        client_ip: raw.client_ip,
        path: raw.path.clone(),
        query: raw.query.clone(),
    };
    let batch = match route.endpoint {
        Endpoint::Json(endpoint) => heap_json::decode(route, endpoint, raw, meta, limits),
        Endpoint::Web(endpoint) => heap_js::decode(route, endpoint, raw, meta, limits),
        Endpoint::Privacy(endpoint) => passthrough::decode(route, endpoint, raw, meta),
        Endpoint::Capture(endpoint) => capture_v2::decode(route, endpoint, raw, meta, limits),
    }?;
    check_app_ids(&batch)?;
    Ok(batch)
}

/// The environment id goes into every audit record, so it is refused unless it is Heap's
/// numeric form, in the request and in every event (an e-mail sent as `app_id` must not reach
/// the log).
fn check_app_ids(batch: &Batch) -> Result<(), DecodeError> {
    let valid =
        |v: &Value| crate::event::scalar_text(v).is_some_and(|t| FieldType::AppId.accepts(&t));
    let bad = batch
        .app_id
        .as_deref()
        .is_some_and(|a| !FieldType::AppId.accepts(a))
        || batch
            .events
            .iter()
            .filter_map(|e| e.fields.get("app_id"))
            .any(|v| !valid(v));
    if bad {
        return Err(DecodeError::Shape {
            path: "app_id".to_owned(),
            message: "must be Heap's numeric environment id (1 to 20 digits)".to_owned(),
        });
    }
    Ok(())
}

/// [`encode`], or, when the policies changed nothing (`unchanged`: no change or drop enforced)
/// and the adapter can tell that the body as received says exactly what the batch says
/// ([`heap_json::Envelope::as_received`]), that body itself: bytes nobody changed are copied,
/// not written again. Debug builds encode anyway and check that both are the same JSON value.
pub fn encode_or_as_received(batch: &Batch, raw: &RawRequest, unchanged: bool) -> Option<Outgoing> {
    let as_received = unchanged
        && batch.events.len() == 1
        && matches!(&batch.envelope, Envelope::HeapJson(env) if env.as_received());
    if !as_received {
        return encode(batch);
    }
    let out = heap_json::as_received(batch, raw.body.clone());
    #[cfg(debug_assertions)]
    if let Some(encoded) = encode(batch) {
        let value = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b).ok();
        assert_eq!(
            value(&out.body),
            value(&encoded.body),
            "a body forwarded as received must say what its events say"
        );
    }
    Some(with_client(out, batch))
}

/// Encodes the kept events of a batch for forwarding; `None` when no event is left.
pub fn encode(batch: &Batch) -> Option<Outgoing> {
    if let Envelope::Passthrough(env) = &batch.envelope {
        return Some(passthrough::encode(batch, env));
    }
    if batch.events.is_empty() {
        return None;
    }
    let out = match &batch.envelope {
        Envelope::HeapJson(env) => heap_json::encode(batch, env),
        Envelope::HeapJs(env) => heap_js::encode(batch, env),
        Envelope::Passthrough(env) => passthrough::encode(batch, env),
        Envelope::Capture(env) => capture_v2::encode(batch, env),
    };
    Some(with_client(out, batch))
}

/// `out` with the end user's address and agent as the policies left them.
fn with_client(mut out: Outgoing, batch: &Batch) -> Outgoing {
    let (ip, agent) = client_after_policies(&batch.events);
    out.client_ip = ip;
    out.user_agent = agent;
    out
}

/// What a forwarded request carries, as JSON, for policy tests and `scrub --format json`:
/// the body for JSON protocols; for capture/v2, `{"query": {...}, "body": {...}}` with the body
/// in its JSON form (see [`capture_v2::json_form`]).
pub fn forwarded_view(out: &Outgoing) -> Value {
    match out.protocol {
        Protocol::HeapJs => heap_js::view(out),
        Protocol::CaptureV2 => {
            let path = out
                .path_and_query
                .split_once('?')
                .map_or(out.path_and_query.as_str(), |(p, _)| p);
            match route(path) {
                Some(Route {
                    endpoint: Endpoint::Capture(endpoint),
                    ..
                }) => capture_v2::view(*endpoint, out),
                _ => Value::Null,
            }
        }
        Protocol::HeapJson | Protocol::Passthrough => serde_json::from_slice(&out.body)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&out.body).into_owned())),
    }
}

/// A transparent 1x1 GIF: what Heap's collector answers to the tracker's pixel requests.
pub const PIXEL_GIF: &[u8] = &[
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x01, 0x44, 0x00, 0x3b,
];

/// The collector's answer for a request whose events were all dropped.
pub fn empty_answer(route: &Route) -> EmptyAnswer {
    match route.protocol() {
        Protocol::HeapJson | Protocol::Passthrough => EmptyAnswer {
            status: StatusCode::OK,
            content_type: "application/json",
            body: b"{}",
        },
        Protocol::HeapJs => EmptyAnswer {
            status: StatusCode::OK,
            content_type: "image/gif",
            body: PIXEL_GIF,
        },
        // The SDKs ignore the body and treat exactly 200 as success; an empty body is also the
        // empty protobuf message.
        Protocol::CaptureV2 => EmptyAnswer {
            status: StatusCode::OK,
            content_type: "application/octet-stream",
            body: b"",
        },
    }
}

/// `client.ip` and `client.user_agent` as the policies left them. They travel once per request,
/// so when kept events disagree (a rule changed them for some events only) the field is not sent.
fn client_after_policies(events: &[Event]) -> (Option<String>, Option<String>) {
    let field = |name: &str| -> Option<String> {
        let mut agreed: Option<&str> = None;
        for e in events {
            let v = e
                .fields
                .get("client")
                .and_then(|c| c.get(name))
                .and_then(Value::as_str)?;
            match agreed {
                None => agreed = Some(v),
                Some(a) if a == v => {}
                Some(_) => return None,
            }
        }
        agreed.map(str::to_owned)
    };
    (field("ip"), field("user_agent"))
}

/// An address as `Display` writes it, IPv4 without the formatting machinery (every request
/// writes its client's address).
pub fn ip_text(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(a) => {
            let mut out = String::with_capacity(15);
            for (i, octet) in a.octets().into_iter().enumerate() {
                if i > 0 {
                    out.push('.');
                }
                out.push_str(itoa::Buffer::new().format(octet));
            }
            out
        }
        IpAddr::V6(a) => a.to_string(),
    }
}

/// The `client` object the adapters put into every event.
pub fn client_fields(meta: &RequestMeta) -> Option<Value> {
    let mut client = serde_json::Map::new();
    if let Some(ip) = meta.client_ip {
        client.insert("ip".to_owned(), Value::String(ip_text(ip)));
    }
    if let Some(ua) = meta.header("user-agent") {
        client.insert("user_agent".to_owned(), Value::String(ua.to_owned()));
    }
    (!client.is_empty()).then_some(Value::Object(client))
}

#[cfg(test)]
mod route_tests {
    use super::*;

    #[test]
    fn ip_text_is_display() {
        for ip in [
            "0.0.0.0",
            "203.0.113.77",
            "255.255.255.255",
            "10.0.0.1",
            "::1",
            "2001:db8::5",
            "::ffff:192.0.2.1",
        ] {
            let ip: IpAddr = ip.parse().unwrap();
            assert_eq!(ip_text(ip), ip.to_string());
        }
    }

    #[test]
    fn routes_match_paths_and_templates() {
        assert_eq!(route("/api/track").map(|r| r.path), Some("/api/track"));
        assert!(route("/api/track/").is_none(), "no trailing slash");
        assert_eq!(
            route("/api/public/v0/deletion_status/del-42").map(|r| r.path),
            Some("/api/public/v0/deletion_status/{id}")
        );
        assert!(route("/api/public/v0/deletion_status/").is_none());
        assert!(route("/api/public/v0/deletion_status/a/b").is_none());
        assert!(route("/api/trackx").is_none());
        assert_eq!(
            route("/api/capture/v2/track").map(|r| r.protocol()),
            Some(Protocol::CaptureV2)
        );
        assert_eq!(
            route("/api/capture/v2/add_user_properties").map(|r| r.endpoint),
            Some(Endpoint::Capture(CaptureEndpoint::AddUserProperties))
        );
        assert!(route("/api/capture/v2/trac").is_none());
        assert!(route("/api/capture/v2/track/").is_none());
    }
}
