//! Heap's server-side JSON API (heap-wire.md §4): track, add_user_properties,
//! add_account_properties (each single or bulk), v1/identify and integrations/track.
//!
//! Bodies are parsed strictly — valid UTF-8, no duplicate keys, nesting at most
//! [`DecodeLimits::max_depth`] — so that what the policies see is exactly what would be
//! forwarded. Known fields map to the normalized model and back under their wire names, in their
//! original order; unknown fields are dropped and counted.

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::event::{Event, Kind, RequestMeta};
use crate::protocol::{
    Batch, DecodeError, DecodeLimits, Envelope as AnyEnvelope, JsonEndpoint, Outgoing, RawRequest,
    Route, client_fields, count_fields, json,
};

/// How the request was shaped, so it can be written back the same way.
#[derive(Debug, Clone)]
pub struct Envelope {
    endpoint: JsonEndpoint,
    shape: Shape,
    /// Top-level fields around a bulk list, in order (`app_id`, `library`).
    top: Map<String, Value>,
    /// The body as received says exactly what the event says: one message whose every key
    /// is a model field under its own name, nothing dropped, nothing renamed. Encoding the
    /// unchanged event writes the same JSON value (in canonical spacing).
    as_received: bool,
}

impl Envelope {
    /// True when the body as received may be forwarded for an event no policy changed
    /// ([`Envelope::as_received`]).
    pub fn as_received(&self) -> bool {
        self.as_received
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// One message at the top level.
    Single,
    /// A list of messages under this key, with `app_id` at the top level.
    Bulk(&'static str),
}

/// A message's wire key → model path table.
type Fields = &'static [(&'static str, &'static str)];

const TRACK: Fields = &[
    ("app_id", "app_id"),
    ("identity", "identity"),
    ("user_id", "user_id"),
    ("event", "event"),
    ("properties", "properties"),
    ("timestamp", "timestamp"),
    ("session_id", "session_id"),
    ("idempotency_key", "idempotency_key"),
];
const USER_PROPERTIES: Fields = &[
    ("app_id", "app_id"),
    ("identity", "identity"),
    ("user_id", "user_id"),
    ("properties", "user_properties"),
];
const ACCOUNT_PROPERTIES: Fields = &[
    ("app_id", "app_id"),
    ("account_id", "account_id"),
    ("properties", "account_properties"),
];
const IDENTIFY: Fields = &[
    ("app_id", "app_id"),
    ("user_id", "user_id"),
    ("identity", "identity"),
    ("timestamp", "timestamp"),
];
const INTEGRATION_EVENT: Fields = &[
    ("event", "event"),
    ("idempotency_key", "idempotency_key"),
    ("timestamp", "timestamp"),
    ("properties", "properties"),
    ("user_identifier", "user_identifier"),
];
/// `user_identifier` inside integration events.
const USER_IDENTIFIER: Fields = &[("identity", "identity"), ("anonymous_id", "user_id")];

struct Spec {
    kind: Kind,
    fields: Fields,
    bulk_key: Option<&'static str>,
    /// Top-level keys allowed around a bulk list.
    bulk_top: &'static [&'static str],
}

fn spec(endpoint: JsonEndpoint) -> Spec {
    match endpoint {
        JsonEndpoint::Track => Spec {
            kind: Kind::Track,
            fields: TRACK,
            bulk_key: Some("events"),
            bulk_top: &["app_id"],
        },
        JsonEndpoint::AddUserProperties => Spec {
            kind: Kind::UserProperties,
            fields: USER_PROPERTIES,
            bulk_key: Some("users"),
            bulk_top: &["app_id"],
        },
        JsonEndpoint::AddAccountProperties => Spec {
            kind: Kind::AccountProperties,
            fields: ACCOUNT_PROPERTIES,
            bulk_key: Some("accounts"),
            bulk_top: &["app_id"],
        },
        JsonEndpoint::Identify => Spec {
            kind: Kind::Identify,
            fields: IDENTIFY,
            bulk_key: None,
            bulk_top: &[],
        },
        JsonEndpoint::IntegrationsTrack => Spec {
            kind: Kind::Track,
            fields: INTEGRATION_EVENT,
            bulk_key: Some("events"),
            bulk_top: &["app_id", "library"],
        },
    }
}

/// True for `application/json` and `application/*+json`, with any parameters.
fn is_json(content_type: Option<&str>) -> bool {
    let Some(ct) = content_type else { return false };
    let media = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    media == "application/json" || (media.starts_with("application/") && media.ends_with("+json"))
}

/// Parses a body strictly: UTF-8, no duplicate keys, nesting at most `max_depth`, at most
/// `max_values` values (containers and their members alike). The count is kept while parsing,
/// so an over-wide body stops there, before it takes the memory of a whole tree.
pub fn parse_strict(body: &[u8], max_depth: usize, max_values: usize) -> Result<Value, ParseError> {
    read_strict(body, max_depth, max_values, true)
}

/// [`parse_strict`] without its fast path ([`super::json::parse`] is checked against this).
#[cfg(test)]
pub(crate) fn parse_strict_serde(
    body: &[u8],
    max_depth: usize,
    max_values: usize,
) -> Result<Value, ParseError> {
    read_strict(body, max_depth, max_values, false)
}

fn read_strict(
    body: &[u8],
    max_depth: usize,
    max_values: usize,
    fast: bool,
) -> Result<Value, ParseError> {
    // One UTF-8 check of the whole body is much cheaper than serde_json's check of each string
    // in turn; a body that fails it is parsed from bytes, so the error names its place as before.
    match std::str::from_utf8(body) {
        Ok(text) => match fast.then(|| super::json::parse(text, max_depth, max_values)) {
            Some(Some(value)) => Ok(value),
            // What the fast path leaves, errors included, serde_json reads again and reports.
            _ => strict_from(
                serde_json::Deserializer::from_str(text),
                max_depth,
                max_values,
            ),
        },
        Err(_) => strict_from(
            serde_json::Deserializer::from_slice(body),
            max_depth,
            max_values,
        ),
    }
}

fn strict_from<'de, R: serde_json::de::Read<'de>>(
    mut de: serde_json::Deserializer<R>,
    max_depth: usize,
    max_values: usize,
) -> Result<Value, ParseError> {
    let left = std::cell::Cell::new(max_values);
    // Our own depth limit is tighter than serde_json's recursion guard.
    let parsed = StrictValue {
        depth: 0,
        max_depth,
        left: &left,
    }
    .deserialize(&mut de)
    .and_then(|v| de.end().map(|_| v));
    match parsed {
        Ok(v) => Ok(v),
        // The budget ran out: the error serde reports is ours; say which limit it was.
        Err(_) if left.get() == OVER_BUDGET => Err(ParseError::TooManyValues),
        Err(e) => Err(ParseError::Json(DecodeError::Json {
            line: e.line(),
            column: e.column(),
            message: json_message(&e),
        })),
    }
}

/// Why [`parse_strict`] failed.
#[derive(Debug)]
pub enum ParseError {
    /// Not strict JSON (or nested too deeply): a [`DecodeError::Json`] with line and column.
    Json(DecodeError),
    /// More values than allowed.
    TooManyValues,
}

/// `StrictValue::left` once the budget is exceeded (a count cannot reach it otherwise).
const OVER_BUDGET: usize = usize::MAX;

/// serde_json's message without its own " at line X column Y" suffix.
fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

#[derive(Clone, Copy)]
struct StrictValue<'b> {
    depth: usize,
    max_depth: usize,
    /// Values still allowed; `OVER_BUDGET` once exceeded.
    left: &'b std::cell::Cell<usize>,
}

impl<'b> StrictValue<'b> {
    fn deeper<E: de::Error>(&self) -> Result<StrictValue<'b>, E> {
        if self.depth >= self.max_depth {
            return Err(E::custom(format_args!(
                "nesting deeper than {}",
                self.max_depth
            )));
        }
        Ok(StrictValue {
            depth: self.depth + 1,
            ..*self
        })
    }

    /// Takes one value from the budget.
    fn take<E: de::Error>(&self) -> Result<(), E> {
        match self.left.get() {
            0 | OVER_BUDGET => {
                self.left.set(OVER_BUDGET);
                Err(E::custom("too many values"))
            }
            n => {
                self.left.set(n - 1);
                Ok(())
            }
        }
    }
}

impl<'de> DeserializeSeed<'de> for StrictValue<'_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.take()?;
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictValue<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("number out of range"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inner = self.deeper()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element_seed(inner)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let inner = self.deeper()?;
        // Members are gathered first, so the map is built at its final size: no regrowth,
        // one hash per key. A repeated key among the first few is found as it is read, so the
        // error points at it, not past its value; a later one is found by the build.
        let mut members: Vec<(String, Value)> = Vec::with_capacity(8);
        while let Some(key) = map.next_key::<String>()? {
            if members.len() < DUPLICATES_FOUND_AS_READ && members.iter().any(|(k, _)| *k == key) {
                return Err(duplicate_key());
            }
            members.push((key, map.next_value_seed(inner)?));
        }
        let mut out = Map::with_capacity(members.len());
        for (key, value) in members {
            if out.insert(key, value).is_some() {
                return Err(duplicate_key());
            }
        }
        Ok(Value::Object(out))
    }
}

/// Keys of an object compared with each other as they are read (a linear scan is cheaper than
/// hashing at this size); a repeat among later keys is found when the map is built.
const DUPLICATES_FOUND_AS_READ: usize = 16;

fn duplicate_key<E: de::Error>() -> E {
    // The key itself is not quoted: keys can be personal data too.
    E::custom("duplicate key in an object")
}

fn shape_error(path: impl Into<String>, message: impl Into<String>) -> DecodeError {
    DecodeError::Shape {
        path: path.into(),
        message: message.into(),
    }
}

/// Decodes a JSON API request.
pub fn decode(
    route: &'static Route,
    endpoint: JsonEndpoint,
    raw: &RawRequest,
    meta: RequestMeta,
    limits: &DecodeLimits,
) -> Result<Batch, DecodeError> {
    let content_type = raw
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    if !is_json(content_type) {
        return Err(DecodeError::content_type("application/json", content_type));
    }
    // Every value of the body becomes a model field, plus a container per event and the
    // envelope's few: the parse itself is held to the request's field budget.
    let max_values = limits
        .max_request_fields
        .saturating_add(limits.max_events)
        .saturating_add(16);
    let body = match parse_strict(&raw.body, limits.max_depth, max_values) {
        Ok(body) => body,
        Err(ParseError::Json(e)) => return Err(e),
        Err(ParseError::TooManyValues) => return Err(limits.request_fields_error()),
    };
    let Value::Object(mut root) = body else {
        return Err(shape_error("body", "must be a JSON object"));
    };
    let spec = spec(endpoint);
    let client = client_fields(&meta);
    // Query parameters are not part of the JSON API: never forwarded unseen, counted as unknown.
    let mut unknown = raw
        .query
        .as_deref()
        .map_or(0, |q| q.split('&').filter(|p| !p.is_empty()).count() as u32);
    let mut events = Vec::new();
    let mut fields = 0usize;
    let mut as_received = false;

    let bulk_key = spec.bulk_key.filter(|k| root.contains_key(*k));
    let (shape, top) = match bulk_key {
        Some(key) => {
            // The list's place among the top-level keys is kept by a placeholder.
            let Some(Value::Array(items)) = root.get_mut(key).map(Value::take) else {
                return Err(shape_error(key, "must be a list"));
            };
            if items.is_empty() {
                return Err(shape_error(key, "must not be empty"));
            }
            if items.len() > limits.max_events {
                return Err(DecodeError::TooManyEvents {
                    count: items.len(),
                    limit: limits.max_events,
                });
            }
            let mut top = Map::new();
            for (k, v) in root {
                if k == key || spec.bulk_top.contains(&k.as_str()) {
                    top.insert(k, v);
                } else {
                    unknown += 1;
                }
            }
            let app_id = top.get("app_id").cloned();
            check_app_id(app_id.as_ref(), "app_id")?;
            check_library(top.get("library"))?;
            for (i, item) in items.into_iter().enumerate() {
                let path = format!("{key}[{i}]");
                let Value::Object(obj) = item else {
                    return Err(shape_error(path, "must be an object"));
                };
                let mut event = Event::new(spec.kind, i);
                if let Some(app) = &app_id {
                    event.fields.insert("app_id".to_owned(), app.clone());
                }
                unknown += map_fields(obj, spec.fields, &mut event, &path)?.0;
                check_event(&event, endpoint, &path)?;
                count_fields(&event.fields, limits, &mut fields)?;
                if let Some(c) = &client {
                    event.fields.insert("client".to_owned(), c.clone());
                }
                events.push(event);
            }
            (Shape::Bulk(key), top)
        }
        None => {
            if endpoint == JsonEndpoint::IntegrationsTrack {
                return Err(shape_error("events", "is required"));
            }
            let mut event = Event::new(spec.kind, 0);
            let (dropped, as_is) = map_fields(root, spec.fields, &mut event, "body")?;
            unknown += dropped;
            as_received = as_is;
            check_app_id(event.fields.get("app_id"), "app_id")?;
            check_event(&event, endpoint, "body")?;
            count_fields(&event.fields, limits, &mut fields)?;
            if let Some(c) = client {
                event.fields.insert("client".to_owned(), c);
            }
            events.push(event);
            (Shape::Single, Map::new())
        }
    };
    let app_id = match shape {
        Shape::Single => events.first().and_then(|e| e.fields.get("app_id")),
        Shape::Bulk(_) => top.get("app_id"),
    }
    .and_then(|v| crate::event::scalar_text(v).map(|s| s.into_owned()));
    Ok(Batch {
        route,
        meta,
        events,
        envelope: AnyEnvelope::HeapJson(Envelope {
            endpoint,
            shape,
            top,
            // Query parameters are dropped (and counted in `unknown`).
            as_received: as_received && unknown == 0,
        }),
        unknown_fields: unknown,
        app_id,
    })
}

fn check_app_id(app_id: Option<&Value>, path: &str) -> Result<(), DecodeError> {
    match app_id {
        Some(Value::String(s)) if !s.is_empty() => Ok(()),
        Some(Value::Number(_)) => Ok(()),
        Some(_) => Err(shape_error(path, "must be a non-empty string")),
        None => Err(shape_error(path, "is required")),
    }
}

/// Moves known fields of a wire object into the event; returns the number of unknown fields
/// and whether the object became the event's fields as it was (every key a model field under
/// its own name).
fn map_fields(
    obj: Map<String, Value>,
    table: Fields,
    event: &mut Event,
    path: &str,
) -> Result<(u32, bool), DecodeError> {
    // The common case: every key names a model field under the model's own name. The parsed
    // map then becomes the event's fields as it is, in its order (no second map, no rehash).
    let own_name = |key: &str| {
        table
            .iter()
            .any(|(wire, model)| *wire == key && *model == key && key != "user_identifier")
    };
    if event.fields.is_empty() && obj.keys().all(|k| own_name(k)) {
        for (key, value) in &obj {
            check_type(key, value, path)?;
        }
        event.fields = obj;
        return Ok((0, true));
    }
    let mut unknown = 0;
    for (key, value) in obj {
        let Some((_, model)) = table.iter().find(|(wire, _)| *wire == key) else {
            unknown += 1;
            continue;
        };
        if *model == "user_identifier" {
            let Value::Object(ids) = value else {
                return Err(shape_error(
                    format!("{path}.user_identifier"),
                    "must be an object",
                ));
            };
            unknown += map_fields(
                ids,
                USER_IDENTIFIER,
                event,
                &format!("{path}.user_identifier"),
            )?
            .0;
            continue;
        }
        check_type(&key, &value, path)?;
        // Most wire names are the model's own: the parsed key is reused then.
        let name = if key == *model {
            key
        } else {
            (*model).to_owned()
        };
        event.fields.insert(name, value);
    }
    Ok((unknown, false))
}

fn check_type(key: &str, value: &Value, path: &str) -> Result<(), DecodeError> {
    let ok = match key {
        "properties" => value.is_object(),
        "event" => value.is_string(),
        "identity" | "user_id" | "account_id" | "anonymous_id" | "session_id"
        | "idempotency_key" => value.is_string() || value.is_number(),
        "timestamp" => value.is_string() || value.is_number(),
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        let expected = match key {
            "properties" => "an object",
            "event" => "a string",
            _ => "a string or a number",
        };
        Err(shape_error(
            format!("{path}.{key}"),
            format!("must be {expected}"),
        ))
    }
}

fn check_event(event: &Event, endpoint: JsonEndpoint, path: &str) -> Result<(), DecodeError> {
    let has = |k: &str| event.fields.contains_key(k);
    let required: &[&str] = match endpoint {
        JsonEndpoint::Track | JsonEndpoint::IntegrationsTrack => &["event"],
        JsonEndpoint::AddUserProperties => &["user_properties"],
        JsonEndpoint::AddAccountProperties => &["account_id", "account_properties"],
        JsonEndpoint::Identify => &["identity", "user_id"],
    };
    for key in required {
        if !has(key) {
            let wire = match *key {
                "user_properties" | "account_properties" => "properties",
                k => k,
            };
            return Err(shape_error(format!("{path}.{wire}"), "is required"));
        }
    }
    if matches!(
        endpoint,
        JsonEndpoint::Track | JsonEndpoint::AddUserProperties
    ) && !has("identity")
        && !has("user_id")
    {
        return Err(shape_error(path, "needs `identity` or `user_id`"));
    }
    if endpoint == JsonEndpoint::IntegrationsTrack && !has("identity") && !has("user_id") {
        return Err(shape_error(
            format!("{path}.user_identifier"),
            "needs `identity` or `anonymous_id`",
        ));
    }
    Ok(())
}

/// An event written back under its wire names, in its order.
struct WireEvent<'a> {
    event: &'a Event,
    table: Fields,
    include_app_id: bool,
    endpoint: JsonEndpoint,
}

impl WireEvent<'_> {
    /// The wire name of a model field inside `user_identifier` (integration events only).
    fn identifier(&self, model: &str) -> Option<&'static str> {
        if self.endpoint != JsonEndpoint::IntegrationsTrack {
            return None;
        }
        USER_IDENTIFIER
            .iter()
            .find(|(_, m)| *m == model)
            .map(|(wire, _)| *wire)
    }

    /// Writes the event as a JSON object, with the bytes serde_json would write.
    fn write(&self, out: &mut String) {
        let mut members = Members::open(out);
        let mut ids_written = false;
        for (model, value) in &self.event.fields {
            if model == "client" || (model == "app_id" && !self.include_app_id) {
                continue;
            }
            if self.identifier(model).is_some() {
                // `user_identifier` stands where its first member was, with all its members.
                if !ids_written {
                    ids_written = true;
                    self.write_identifiers(members.key("user_identifier"));
                }
                continue;
            }
            if let Some((wire, _)) = self.table.iter().find(|(_, m)| m == model) {
                json::write_value(members.key(wire), value);
            }
        }
        members.close();
    }

    /// The members of an integration event's `user_identifier`, in their order.
    fn write_identifiers(&self, out: &mut String) {
        let mut members = Members::open(out);
        for (model, value) in &self.event.fields {
            if let Some(wire) = self.identifier(model) {
                json::write_value(members.key(wire), value);
            }
        }
        members.close();
    }
}

/// A JSON object being written member by member.
struct Members<'o> {
    out: &'o mut String,
    empty: bool,
}

impl<'o> Members<'o> {
    fn open(out: &'o mut String) -> Members<'o> {
        out.push('{');
        Members { out, empty: true }
    }

    /// Writes the next member's key; its value is written to the buffer returned.
    fn key(&mut self, key: &str) -> &mut String {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        json::write_str(self.out, key);
        self.out.push(':');
        self.out
    }

    fn close(self) {
        self.out.push('}');
    }
}

/// A bulk body: the top-level fields in their order, with the kept events in the list's place.
fn write_bulk(out: &mut String, batch: &Batch, env: &Envelope, key: &str, table: Fields) {
    let write_events = |out: &mut String| {
        out.push('[');
        for (i, event) in batch.events.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let wire = WireEvent {
                event,
                table,
                include_app_id: false,
                endpoint: env.endpoint,
            };
            wire.write(out);
        }
        out.push(']');
    };
    let mut members = Members::open(out);
    let mut listed = false;
    for (k, v) in &env.top {
        if k == key {
            write_events(members.key(k));
            listed = true;
        } else {
            json::write_value(members.key(k), v);
        }
    }
    if !listed {
        write_events(members.key(key));
    }
    members.close();
}

/// `library` names the integration (`segment`, `rudderstack`); no policy sees it, so it is
/// forwarded only in that form (nothing free-form passes unseen).
fn check_library(library: Option<&Value>) -> Result<(), DecodeError> {
    let Some(library) = library else {
        return Ok(());
    };
    let ok = library.as_str().is_some_and(|l| {
        (1..=64).contains(&l.len())
            && l.starts_with(|c: char| c.is_ascii_alphanumeric())
            && l.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
    });
    if ok {
        Ok(())
    } else {
        Err(shape_error(
            "library",
            "must be an integration name (letters, digits, `_`, `-`, `.`; up to 64)",
        ))
    }
}

/// Encodes the kept events of a batch.
pub fn encode(batch: &Batch, env: &Envelope) -> Outgoing {
    let spec = spec(env.endpoint);
    // Written straight from the model (nothing is copied into a second tree first), with the
    // bytes serde_json would write.
    let mut body = String::with_capacity(1024);
    match env.shape {
        Shape::Single => WireEvent {
            event: &batch.events[0],
            table: spec.fields,
            include_app_id: true,
            endpoint: env.endpoint,
        }
        .write(&mut body),
        Shape::Bulk(key) => write_bulk(&mut body, batch, env, key, spec.fields),
    }
    outgoing(batch, body.into())
}

/// The body as received, for a request whose event no policy changed
/// ([`Envelope::as_received`]).
pub fn as_received(batch: &Batch, body: bytes::Bytes) -> Outgoing {
    outgoing(batch, body)
}

/// What goes upstream with `body`: the route's path (the JSON API takes no query parameters;
/// any that came are dropped, and were counted) and the JSON content type.
fn outgoing(batch: &Batch, body: bytes::Bytes) -> Outgoing {
    Outgoing {
        protocol: crate::protocol::Protocol::HeapJson,
        path_and_query: batch.route.path.to_owned(),
        content_type: Some(http::HeaderValue::from_static("application/json")),
        headers: http::HeaderMap::new(),
        body,
        client_ip: None,
        user_agent: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::route;
    use http::{HeaderMap, Method};
    use serde_json::json;

    fn raw(path: &str, body: &str) -> RawRequest {
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::CONTENT_TYPE,
            "application/json".parse().unwrap(),
        );
        RawRequest {
            method: Method::POST,
            path: path.to_owned(),
            query: None,
            headers,
            body: body.as_bytes().to_vec().into(),
            client_ip: None,
        }
    }

    fn round_trip(path: &str, body: Value) -> Value {
        let r = route(path).unwrap();
        let batch =
            crate::protocol::decode(r, &raw(path, &body.to_string()), &DecodeLimits::default())
                .unwrap();
        let out = crate::protocol::encode(&batch).unwrap();
        serde_json::from_slice(&out.body).unwrap()
    }

    #[test]
    fn every_shape_round_trips_unchanged() {
        let cases = [
            (
                "/api/track",
                json!({"app_id": "11", "identity": "a@b.co", "event": "Buy", "properties": {"x": 1}, "timestamp": "2026-01-01T00:00:00Z", "idempotency_key": "k"}),
            ),
            (
                "/api/track",
                json!({"app_id": "11", "events": [{"user_id": "12", "event": "A"}, {"identity": "b", "event": "B", "session_id": "s"}]}),
            ),
            (
                "/api/add_user_properties",
                json!({"app_id": "11", "identity": "a", "properties": {"plan": "pro"}}),
            ),
            (
                "/api/add_user_properties",
                json!({"app_id": "11", "users": [{"identity": "a", "properties": {"p": 1}}]}),
            ),
            (
                "/api/add_account_properties",
                json!({"app_id": "11", "account_id": "acme", "properties": {"seats": 3}}),
            ),
            (
                "/api/add_account_properties",
                json!({"app_id": "11", "accounts": [{"account_id": "acme", "properties": {"seats": 3}}]}),
            ),
            (
                "/api/v1/identify",
                json!({"app_id": "11", "user_id": "12", "identity": "a", "timestamp": "t"}),
            ),
            (
                "/api/integrations/track",
                json!({"app_id": "11", "library": "segment", "events": [{"event": "A", "idempotency_key": "k", "timestamp": "t", "properties": {}, "user_identifier": {"anonymous_id": "z"}}]}),
            ),
            (
                // The list first, and `user_identifier` with both members, between two fields.
                "/api/integrations/track",
                json!({"events": [{"event": "A", "user_identifier": {"identity": "i", "anonymous_id": "z"}, "properties": {"p": [1, {"q": null}]}}, {"user_identifier": {"anonymous_id": "y"}, "event": "B"}], "library": "segment", "app_id": "11"}),
            ),
            (
                "/api/track",
                json!({"events": [{"event": "A", "user_id": "1"}], "app_id": 11}),
            ),
        ];
        for (path, body) in cases {
            let out = round_trip(path, body.clone());
            assert_eq!(out, body, "{path}");
            // Key order survives too.
            assert_eq!(out.to_string(), body.to_string(), "{path}");
        }
    }

    #[test]
    fn unknown_fields_are_dropped_and_counted() {
        let r = route("/api/track").unwrap();
        let body =
            r#"{"app_id":"11","identity":"a","event":"E","extra":{"email":"x@y.z"},"events_x":1}"#;
        let batch =
            crate::protocol::decode(r, &raw("/api/track", body), &DecodeLimits::default()).unwrap();
        assert_eq!(batch.unknown_fields, 2);
        let out = crate::protocol::encode(&batch).unwrap();
        assert!(!String::from_utf8_lossy(&out.body).contains("x@y.z"));
    }

    /// `parse_strict` with a budget that no test body reaches.
    fn strict(body: &[u8], depth: usize) -> Result<Value, DecodeError> {
        parse_strict(body, depth, 1_000_000).map_err(|e| match e {
            ParseError::Json(e) => e,
            ParseError::TooManyValues => panic!("over the test budget"),
        })
    }

    #[test]
    fn malformed_bodies_name_line_and_column() {
        let err = strict(b"{\n  \"a\": 1,\n  \"b\" 2\n}", 32).unwrap_err();
        assert!(
            matches!(
                err,
                DecodeError::Json {
                    line: 3,
                    column: 7,
                    ..
                }
            ),
            "{err:?}"
        );
        let err = strict(br#"{"a":1,"a":2}"#, 32).unwrap_err();
        assert!(err.to_string().contains("duplicate key"), "{err}");
        // Past the keys compared as they are read, a repeat is still refused, wherever it is.
        for (first, again) in [(0, 40), (20, 39), (15, 16)] {
            let mut keys: Vec<String> = (0..40).map(|i| format!("\"k{i}\":{i}")).collect();
            keys.insert(again, format!("\"k{first}\":0"));
            let body = format!("{{{}}}", keys.join(","));
            let err = strict(body.as_bytes(), 32).unwrap_err();
            assert!(
                err.to_string().contains("duplicate key"),
                "{first} {again}: {err}"
            );
        }
        let distinct: Vec<String> = (0..40).map(|i| format!("\"k{i}\":{i}")).collect();
        let parsed = strict(format!("{{{}}}", distinct.join(",")).as_bytes(), 32).unwrap();
        assert_eq!(parsed.as_object().unwrap().len(), 40);
        assert_eq!(parsed.as_object().unwrap().keys().nth(39).unwrap(), "k39");
        // The position is the repeated key's, not the end of its value.
        let err = strict(br#"{"a":1,"a":"a long value"}"#, 32).unwrap_err();
        assert!(
            matches!(
                err,
                DecodeError::Json {
                    line: 1,
                    column: 10,
                    ..
                }
            ),
            "{err:?}"
        );
        let deep = "[".repeat(33) + &"]".repeat(33);
        let err = strict(deep.as_bytes(), 32).unwrap_err();
        assert!(err.to_string().contains("nesting deeper than 32"), "{err}");
        let ok = "[".repeat(32) + &"]".repeat(32);
        assert!(strict(ok.as_bytes(), 32).is_ok());
        let err = strict(b"{\"a\":\"\xff\"}", 32).unwrap_err();
        assert!(matches!(err, DecodeError::Json { line: 1, .. }), "{err:?}");
        let big = format!("[{}]", "9".repeat(400));
        assert!(strict(big.as_bytes(), 32).is_err());
    }

    #[test]
    fn the_value_budget_stops_a_wide_body_while_it_is_parsed() {
        let wide = format!("[{}1]", "1,".repeat(99));
        assert!(parse_strict(wide.as_bytes(), 32, 101).is_ok());
        assert!(matches!(
            parse_strict(wide.as_bytes(), 32, 100),
            Err(ParseError::TooManyValues)
        ));
        // Members of objects count as much as array elements; keys do not count apart.
        let object = r#"{"a":{"b":1,"c":[1,2]}}"#;
        assert!(parse_strict(object.as_bytes(), 32, 6).is_ok());
        assert!(matches!(
            parse_strict(object.as_bytes(), 32, 5),
            Err(ParseError::TooManyValues)
        ));
    }

    #[test]
    fn events_over_the_field_budget_are_refused() {
        let r = route("/api/track").unwrap();
        let limits = DecodeLimits {
            max_event_fields: 5,
            ..DecodeLimits::default()
        };
        // app_id, identity, event, properties, properties.a: five fields.
        let ok = r#"{"app_id":"11","identity":"a","event":"E","properties":{"a":1}}"#;
        assert!(crate::protocol::decode(r, &raw("/api/track", ok), &limits).is_ok());
        let wide = r#"{"app_id":"11","identity":"a","event":"E","properties":{"a":1,"b":2}}"#;
        let err = crate::protocol::decode(r, &raw("/api/track", wide), &limits).unwrap_err();
        assert_eq!(err.code(), "over_budget");
        assert_eq!(err.status(), http::StatusCode::BAD_REQUEST);
        // Over the request's budget, summed over a bulk request's events.
        let limits = DecodeLimits {
            max_request_fields: 7,
            ..DecodeLimits::default()
        };
        let bulk = r#"{"app_id":"11","events":[{"identity":"a","event":"E"},{"identity":"b","event":"F"},{"identity":"c","event":"G"}]}"#;
        let err = crate::protocol::decode(r, &raw("/api/track", bulk), &limits).unwrap_err();
        assert!(err.to_string().contains("max_request_fields"), "{err}");
    }

    #[test]
    fn the_integration_library_must_be_a_name() {
        let r = route("/api/integrations/track").unwrap();
        let body = |library: &str| {
            json!({"app_id": "11", "library": library, "events": [
                {"event": "A", "user_identifier": {"anonymous_id": "z"}}]})
            .to_string()
        };
        let path = "/api/integrations/track";
        for good in ["segment", "rudderstack", "mParticle-2.1"] {
            crate::protocol::decode(r, &raw(path, &body(good)), &DecodeLimits::default())
                .unwrap_or_else(|e| panic!("{good}: {e}"));
        }
        for bad in ["jane@example.com", "Jane Doe", "", "-x", &"a".repeat(65)] {
            let err = crate::protocol::decode(r, &raw(path, &body(bad)), &DecodeLimits::default())
                .expect_err(bad);
            assert!(err.to_string().starts_with("library: must be"), "{err}");
        }
    }

    #[test]
    fn wrong_shapes_are_refused() {
        let r = route("/api/track").unwrap();
        for (body, want) in [
            (r#"{"app_id":"11","events":{}}"#, "events: must be a list"),
            (r#"{"identity":"a","event":"E"}"#, "app_id: is required"),
            (
                r#"{"app_id":"11","identity":"a"}"#,
                "body.event: is required",
            ),
            (
                r#"{"app_id":"11","event":"E"}"#,
                "body: needs `identity` or `user_id`",
            ),
            (
                r#"{"app_id":"11","identity":"a","event":"E","properties":[1]}"#,
                "body.properties: must be an object",
            ),
            (r#"[1,2]"#, "body: must be a JSON object"),
        ] {
            let err =
                crate::protocol::decode(r, &raw("/api/track", body), &DecodeLimits::default())
                    .unwrap_err();
            assert_eq!(err.to_string(), want);
        }
        let many = format!(
            r#"{{"app_id":"11","events":[{}]}}"#,
            vec![r#"{"identity":"a","event":"E"}"#; 1001].join(",")
        );
        let err = crate::protocol::decode(r, &raw("/api/track", &many), &DecodeLimits::default())
            .unwrap_err();
        assert_eq!(
            err,
            DecodeError::TooManyEvents {
                count: 1001,
                limit: 1000
            }
        );
    }

    /// Found by fuzzing (json_api_decode): a number with more digits than an f64 holds came back
    /// one ulp off after a second decode, because serde_json's default float parsing is not
    /// correctly rounded. With `float_roundtrip` what is forwarded parses to what was filtered.
    #[test]
    fn long_numbers_survive_a_round_trip_exactly() {
        let body = r#"{"app_id":"11","account_id":"acme","properties":{"seats":429900000000000000000000000000040118980274290687,"ratio":0.30000000000000004441}}"#;
        let r = route("/api/add_account_properties").unwrap();
        let first = crate::protocol::decode(
            r,
            &raw("/api/add_account_properties", body),
            &DecodeLimits::default(),
        )
        .unwrap();
        let out = crate::protocol::encode(&first).unwrap();
        let text = String::from_utf8(out.body.to_vec()).unwrap();
        let second = crate::protocol::decode(
            r,
            &raw("/api/add_account_properties", &text),
            &DecodeLimits::default(),
        )
        .unwrap();
        assert_eq!(first.events[0].fields, second.events[0].fields);
    }

    #[test]
    fn json_content_types_only() {
        assert!(is_json(Some("application/json; charset=utf-8")));
        assert!(is_json(Some("application/vnd.heap+json")));
        assert!(!is_json(Some("text/plain")));
        assert!(!is_json(None));
        let _ = JsonEndpoint::Track;
    }
}
