//! The classic heap.js web tracker protocol (heap-wire.md §4, "heap.js v4"): parameters in a
//! query string (`GET /h`, `/api/identify_v3`, `/api/add_user_properties_v3`) or in a
//! form-encoded body (the `POST` variants).
//!
//! A `/h` hit becomes one `pageview` event (when it carries page parameters `h d t r ts pr k`)
//! plus one `interaction` event per indexed group (`idN tN nN cN iN hN yN tsN xN`); a hit with
//! neither is a `session` event. Request-wide parameters (`a u v s i`, session properties `sp`,
//! pageview properties `pp`) are copied into every event, so every policy sees them, and are
//! written back once: only when every kept event agrees on the value (fail closed).
//!
//! Writing back keeps every parameter's name and position; a value the policies did not change
//! keeps its exact original encoding, so an unfiltered request is forwarded byte for byte. A
//! dropped event takes its whole indexed group with it and the remaining groups are renumbered
//! `0, 1, ...` in order. Unknown parameters are dropped and counted; a parameter list that
//! cannot be decoded (a group without its `idN`/`tN`, a repeated parameter, percent-encoding
//! that is not UTF-8) is refused with 400.

use std::borrow::Cow;

use bytes::Bytes;
use http::{HeaderValue, Method};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode};
use serde_json::{Map, Value};

use crate::event::{Event, Kind, RequestMeta};
use crate::protocol::{
    Batch, DecodeError, DecodeLimits, Envelope as AnyEnvelope, Outgoing, RawRequest, Route,
    WebEndpoint, client_fields,
};

/// Characters escaped when a changed value is written back (form encoding keeps `-._~*`).
const VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'*');

/// Where the parameters came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    Query,
    Body,
}

/// One parameter of the request, in order, and where its value lives in the events.
#[derive(Debug, Clone)]
struct Slot {
    origin: Origin,
    /// The parameter exactly as received (`name=value`, encoded), for byte-stable output.
    raw: String,
    /// The decoded value as received, to tell whether a policy changed it.
    original: String,
    what: SlotKind,
}

#[derive(Debug, Clone)]
enum SlotKind {
    /// Forwarded as received (library, tracker version, send time, ...).
    Fixed,
    /// A value copied into events: (event position, field path) for each.
    Value(Vec<(usize, String)>),
    /// A parameter of indexed group `group` (renumbered on output); `path` is where its value
    /// lives in the group's event, `None` for parameters forwarded as received (`idN`).
    Indexed {
        base: &'static str,
        group: usize,
        path: Option<String>,
    },
    /// The key of a `sp`/`pp`/`k` pair; written only when the value slot after it is.
    PairKey,
}

/// What the adapter keeps between decode and encode.
#[derive(Debug, Clone)]
pub struct Envelope {
    slots: Vec<Slot>,
    /// Event position → indexed group (for interactions).
    group_of_event: Vec<Option<usize>>,
    /// Content type of a POST body.
    content_type: Option<HeaderValue>,
}

/// Common parameters: name → model path (`None`: forwarded as received).
fn common(name: &str) -> Option<Option<&'static str>> {
    Some(match name {
        "a" => Some("app_id"),
        "u" => Some("user_id"),
        "v" => Some("pageview_id"),
        "s" => Some("session_id"),
        "i" => Some("identity"),
        "m" => Some("device.app_name"),
        "p" => Some("device.app_version"),
        "o" => Some("device.model"),
        "f" => Some("device.platform"),
        "vid" => Some("device.vendor_id"),
        "g" => Some("device.g"),
        "y" => Some("device.y"),
        "b" | "tv" | "z" | "st" | "lv" => None,
        _ => return None,
    })
}

/// Page parameters of a pageview hit: name → path in the pageview event.
fn page(name: &str) -> Option<&'static str> {
    Some(match name {
        "h" => "page.path",
        "d" => "page.domain",
        "t" => "page.title",
        "r" => "page.referrer",
        "pr" => "page.previous_page",
        "ts" => "timestamp",
        _ => return None,
    })
}

/// Indexed parameters: base → path in the interaction event (`None`: forwarded as received).
fn indexed(base: &str) -> Option<(&'static str, Option<&'static str>)> {
    Some(match base {
        "id" => ("id", None),
        "t" => ("t", Some("event")),
        "n" => ("n", Some("target.tag")),
        "c" => ("c", Some("target.classes")),
        "i" => ("i", Some("target.id")),
        "h" => ("h", Some("target.href")),
        "y" => ("y", Some("target.selector")),
        "ts" => ("ts", Some("timestamp")),
        "x" => ("x", Some("target.text")),
        _ => return None,
    })
}

/// Where a `sp` (session) or `pp` (pageview) property key lives.
fn pair_path(list: &str, key: &str) -> String {
    let mapped = match (list, key) {
        ("sp", "r") => "referrer",
        ("sp", "h") => "path",
        ("sp", "d") => "domain",
        ("sp", "ts") => "timestamp",
        ("pp", "h") => "path",
        ("pp", "d") => "domain",
        ("pp", "t") => "title",
        ("pp", "pr") => "previous_page",
        ("pp", "ts") => "timestamp",
        _ => key,
    };
    match list {
        "sp" => format!("session.{mapped}"),
        "pp" => format!("page.{mapped}"),
        _ => format!("properties.{key}"),
    }
}

fn bad(message: impl Into<String>) -> DecodeError {
    DecodeError::Shape {
        path: "parameters".to_owned(),
        message: message.into(),
    }
}

/// Decodes one form-encoded component strictly: `+` is a space, every `%` starts two hex digits,
/// and the bytes must be UTF-8.
fn decode_component(raw: &str) -> Result<String, DecodeError> {
    let b = raw.as_bytes();
    for (i, c) in b.iter().enumerate() {
        if *c == b'%'
            && !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
        {
            return Err(bad("a parameter has invalid percent-encoding"));
        }
    }
    let plus = raw.replace('+', " ");
    percent_decode(plus.as_bytes())
        .decode_utf8()
        .map(Cow::into_owned)
        .map_err(|_| bad("a parameter is not valid UTF-8 after percent-decoding"))
}

/// Splits `a=1&b=2` into (raw segment, decoded name, decoded value).
fn split_params(text: &str) -> Result<Vec<(String, String, String)>, DecodeError> {
    let mut out = Vec::new();
    for segment in text.split('&').filter(|s| !s.is_empty()) {
        let (name, value) = segment.split_once('=').unwrap_or((segment, ""));
        out.push((
            segment.to_owned(),
            decode_component(name)?,
            decode_component(value)?,
        ));
    }
    Ok(out)
}

fn is_form(content_type: Option<&str>) -> bool {
    let media = content_type
        .map(|c| {
            c.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    media == "application/x-www-form-urlencoded" || media == "text/plain"
}

/// Sets a dotted path in an event, creating objects on the way.
fn set_path(fields: &mut Map<String, Value>, path: &str, value: Value) {
    let mut segments = path.split('.').peekable();
    let mut map = fields;
    while let Some(seg) = segments.next() {
        if segments.peek().is_none() {
            map.insert(seg.to_owned(), value);
            return;
        }
        let entry = map
            .entry(seg.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        let Value::Object(inner) = entry else { return };
        map = inner;
    }
}

/// Reads a dotted path of an event.
fn get_path<'a>(fields: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut segments = path.split('.');
    let mut current = fields.get(segments.next()?)?;
    for seg in segments {
        current = current.as_object()?.get(seg)?;
    }
    Some(current)
}

/// Decodes a heap.js request.
pub fn decode(
    route: &'static Route,
    endpoint: WebEndpoint,
    raw: &RawRequest,
    meta: RequestMeta,
    limits: &DecodeLimits,
) -> Result<Batch, DecodeError> {
    let mut params: Vec<(Origin, String, String, String)> = Vec::new();
    if let Some(q) = &raw.query {
        params.extend(
            split_params(q)?
                .into_iter()
                .map(|(r, n, v)| (Origin::Query, r, n, v)),
        );
    }
    let content_type = raw.headers.get(http::header::CONTENT_TYPE).cloned();
    if raw.method == Method::POST && !raw.body.is_empty() {
        let ct = content_type.as_ref().and_then(|v| v.to_str().ok());
        if !is_form(ct) {
            return Err(DecodeError::content_type(
                "application/x-www-form-urlencoded",
                ct,
            ));
        }
        let body = std::str::from_utf8(&raw.body).map_err(|_| bad("the body is not UTF-8"))?;
        params.extend(
            split_params(body.trim())?
                .into_iter()
                .map(|(r, n, v)| (Origin::Body, r, n, v)),
        );
    }

    // Which events exist: groups by index, a pageview when page parameters are present.
    let mut groups: Vec<usize> = Vec::new();
    let mut has_page = false;
    for (_, _, name, _) in &params {
        if let Some((base, index)) = split_index(name)
            && indexed(base).is_some()
        {
            if !groups.contains(&index) {
                groups.push(index);
            }
        } else if page(name).is_some() || name == "k" {
            has_page = true;
        }
    }
    groups.sort_unstable();
    // Page fields set by top-level parameters: a `pp` pair naming the same field is kept apart.
    let page_paths: Vec<&'static str> = params.iter().filter_map(|(_, _, n, _)| page(n)).collect();
    if endpoint != WebEndpoint::Track && (!groups.is_empty() || has_page) {
        return Err(bad("page and event parameters belong to /h"));
    }
    if groups.len() > limits.max_events {
        return Err(DecodeError::TooManyEvents {
            count: groups.len(),
            limit: limits.max_events,
        });
    }
    for g in &groups {
        for required in ["id", "t"] {
            let name = format!("{required}{g}");
            if !params.iter().any(|(_, _, n, _)| *n == name) {
                return Err(bad(format!("event group {g} has no `{name}`")));
            }
        }
    }

    let base_kind = match endpoint {
        WebEndpoint::Track if has_page => Some(Kind::Pageview),
        WebEndpoint::Track if groups.is_empty() => Some(Kind::Session),
        WebEndpoint::Track => None,
        WebEndpoint::Identify => Some(Kind::Identify),
        WebEndpoint::AddUserProperties => Some(Kind::UserProperties),
    };
    let mut events: Vec<Event> = Vec::new();
    let mut group_of_event = Vec::new();
    if let Some(kind) = base_kind {
        events.push(Event::new(kind, 0));
        group_of_event.push(None);
    }
    let page_event = base_kind.map(|_| 0usize);
    for g in &groups {
        events.push(Event::new(Kind::Interaction, events.len()));
        group_of_event.push(Some(*g));
    }
    let all: Vec<usize> = (0..events.len()).collect();

    let mut slots = Vec::with_capacity(params.len());
    let mut unknown = 0u32;
    let mut seen: Vec<String> = Vec::new();
    let mut i = 0;
    while i < params.len() {
        let (origin, segment, name, value) = &params[i];
        let slot = |what| Slot {
            origin: *origin,
            raw: segment.clone(),
            original: value.clone(),
            what,
        };
        // sp / pp / k come in key, value pairs.
        if matches!(name.as_str(), "sp" | "pp" | "k") {
            let Some((vorigin, vsegment, vname, vvalue)) = params.get(i + 1) else {
                return Err(bad(format!("`{name}` has a key without a value")));
            };
            if vname != name {
                return Err(bad(format!("`{name}` has a key without a value")));
            }
            let key = value.clone();
            let path = pair_path(name, &key);
            let targets: Vec<usize> = match name.as_str() {
                "k" => page_event.into_iter().collect(),
                "sp" => all.clone(),
                _ => all.clone(),
            };
            // A pageview property the page parameters already set is kept apart, not merged.
            let mut locations = Vec::new();
            for t in targets {
                let p =
                    if name == "pp" && Some(t) == page_event && page_paths.contains(&path.as_str())
                    {
                        format!("page.properties.{key}")
                    } else {
                        path.clone()
                    };
                if get_path(&events[t].fields, &p).is_some() {
                    return Err(bad(format!("`{name}` repeats the key of another pair")));
                }
                set_path(&mut events[t].fields, &p, Value::String(vvalue.clone()));
                locations.push((t, p));
            }
            slots.push(slot(SlotKind::PairKey));
            slots.push(Slot {
                origin: *vorigin,
                raw: vsegment.clone(),
                original: vvalue.clone(),
                what: SlotKind::Value(locations),
            });
            i += 2;
            continue;
        }
        if seen.contains(name) {
            return Err(bad("a parameter is repeated"));
        }
        seen.push(name.clone());
        if let Some(index) = split_index(name).filter(|(b, _)| indexed(b).is_some()) {
            let (base, path) = indexed(index.0).expect("checked above");
            let event = group_of_event
                .iter()
                .position(|g| *g == Some(index.1))
                .expect("every group has an event");
            if let Some(p) = path {
                set_path(&mut events[event].fields, p, Value::String(value.clone()));
            }
            slots.push(slot(SlotKind::Indexed {
                base,
                group: index.1,
                path: path.map(str::to_owned),
            }));
        } else if let Some(target) = common(name) {
            match target {
                Some(path) => {
                    for e in &mut events {
                        set_path(&mut e.fields, path, Value::String(value.clone()));
                    }
                    slots.push(slot(SlotKind::Value(
                        all.iter().map(|e| (*e, path.to_owned())).collect(),
                    )));
                }
                None => slots.push(slot(SlotKind::Fixed)),
            }
        } else if let (Some(path), Some(p)) = (page(name), page_event) {
            set_path(&mut events[p].fields, path, Value::String(value.clone()));
            slots.push(slot(SlotKind::Value(vec![(p, path.to_owned())])));
        } else if endpoint == WebEndpoint::AddUserProperties
            && let Some(key) = name.strip_prefix('_').filter(|k| !k.is_empty())
        {
            let path = format!("user_properties.{key}");
            set_path(&mut events[0].fields, &path, Value::String(value.clone()));
            slots.push(slot(SlotKind::Value(vec![(0, path)])));
        } else {
            unknown += 1;
        }
        i += 1;
    }
    if let Some(client) = client_fields(&meta) {
        for e in &mut events {
            e.fields.insert("client".to_owned(), client.clone());
        }
    }
    let app_id = events
        .first()
        .and_then(|e| e.fields.get("app_id"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    if app_id.is_none() {
        return Err(DecodeError::Shape {
            path: "a".to_owned(),
            message: "the app id parameter `a` is required".to_owned(),
        });
    }
    Ok(Batch {
        route,
        meta,
        events,
        envelope: AnyEnvelope::HeapJs(Envelope {
            slots,
            group_of_event,
            content_type: content_type.filter(|_| raw.method == Method::POST),
        }),
        unknown_fields: unknown,
        app_id,
    })
}

/// `x12` → (`x`, 12); `ts0` → (`ts`, 0); names without a trailing number → `None`.
fn split_index(name: &str) -> Option<(&str, usize)> {
    let digits = name.len() - name.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits == name.len() {
        return None;
    }
    let (base, number) = name.split_at(name.len() - digits);
    // `03` is not a group number heap.js would write.
    if number.len() > 1 && number.starts_with('0') {
        return None;
    }
    number.parse().ok().map(|n| (base, n))
}

/// The value kept events agree on for a slot; `None` when it was removed or they disagree.
fn agreed<'a>(kept: &[Option<&'a Event>], locations: &[(usize, String)]) -> Option<Cow<'a, str>> {
    let mut value: Option<Cow<'a, str>> = None;
    let mut any = false;
    for (event, path) in locations {
        let Some(e) = kept.get(*event).copied().flatten() else {
            continue;
        };
        any = true;
        let v = crate::policy::action::scalar_text(get_path(&e.fields, path)?)?;
        match &value {
            None => value = Some(v),
            Some(prev) if *prev == v => {}
            Some(_) => return None,
        }
    }
    if any { value } else { None }
}

/// Writes the kept events back as parameters, in their original order and encoding.
pub fn encode(batch: &Batch, env: &Envelope) -> Outgoing {
    // Original event position → the kept event, if kept.
    let mut kept: Vec<Option<&Event>> = vec![None; env.group_of_event.len()];
    for e in &batch.events {
        if let Some(slot) = kept.get_mut(e.index) {
            *slot = Some(e);
        }
    }
    // Kept groups are renumbered 0, 1, ... in their original order.
    let mut renumber: Vec<(usize, usize)> = Vec::new();
    for (pos, group) in env.group_of_event.iter().enumerate() {
        if let (Some(g), Some(_)) = (group, kept[pos]) {
            renumber.push((*g, renumber.len()));
        }
    }
    let event_of_group = |g: usize| env.group_of_event.iter().position(|x| *x == Some(g));
    let mut query: Vec<String> = Vec::new();
    let mut body: Vec<String> = Vec::new();
    let mut i = 0;
    while i < env.slots.len() {
        let slot = &env.slots[i];
        let mut emitted: Vec<(Origin, String)> = Vec::new();
        match &slot.what {
            SlotKind::Fixed => emitted.push((slot.origin, slot.raw.clone())),
            SlotKind::Value(locations) => {
                if let Some(v) = agreed(&kept, locations) {
                    emitted.push((slot.origin, param(&slot.raw, &slot.original, &v, None)));
                }
            }
            SlotKind::PairKey => {
                if let Some(next) = env.slots.get(i + 1)
                    && let SlotKind::Value(locations) = &next.what
                    && let Some(v) = agreed(&kept, locations)
                {
                    emitted.push((slot.origin, slot.raw.clone()));
                    emitted.push((next.origin, param(&next.raw, &next.original, &v, None)));
                }
                i += 1;
            }
            SlotKind::Indexed { base, group, path } => {
                if let (Some(new), Some(event)) = (
                    renumber.iter().find(|(g, _)| g == group).map(|(_, n)| *n),
                    event_of_group(*group).and_then(|p| kept[p]),
                ) {
                    let name = format!("{base}{new}");
                    match path {
                        None => emitted.push((slot.origin, rename(&slot.raw, &name))),
                        Some(p) => {
                            if let Some(v) = get_path(&event.fields, p)
                                .and_then(crate::policy::action::scalar_text)
                            {
                                emitted.push((
                                    slot.origin,
                                    param(&slot.raw, &slot.original, &v, Some(&name)),
                                ));
                            }
                        }
                    }
                }
            }
        }
        for (origin, text) in emitted {
            match origin {
                Origin::Query => query.push(text),
                Origin::Body => body.push(text),
            }
        }
        i += 1;
    }
    let path_and_query = if query.is_empty() {
        batch.meta.path.clone()
    } else {
        format!("{}?{}", batch.meta.path, query.join("&"))
    };
    Outgoing {
        protocol: crate::protocol::Protocol::HeapJs,
        path_and_query,
        content_type: env.content_type.clone(),
        headers: http::HeaderMap::new(),
        body: Bytes::from(body.join("&")),
        client_ip: None,
        user_agent: None,
    }
}

/// The parameter as written back: the original segment when nothing changed, else re-encoded.
fn param(raw: &str, original: &str, value: &str, name: Option<&str>) -> String {
    let raw_name = raw.split_once('=').map_or(raw, |(n, _)| n);
    let name = name.unwrap_or(raw_name);
    if value == original {
        return match raw.split_once('=') {
            Some((_, v)) => format!("{name}={v}"),
            None => name.to_owned(),
        };
    }
    format!(
        "{name}={}",
        percent_encoding::utf8_percent_encode(value, VALUE)
    )
}

/// The original segment under a new name (renumbered groups).
fn rename(raw: &str, name: &str) -> String {
    match raw.split_once('=') {
        Some((_, v)) => format!("{name}={v}"),
        None => name.to_owned(),
    }
}

/// The parameters a request forwards, as a JSON object (`name → value`), for policy tests.
pub fn view(out: &Outgoing) -> Value {
    let mut map = Map::new();
    let query = out
        .path_and_query
        .split_once('?')
        .map(|(_, q)| q)
        .unwrap_or("");
    let body = std::str::from_utf8(&out.body).unwrap_or("");
    for text in [query, body] {
        if let Ok(params) = split_params(text) {
            for (_, name, value) in params {
                match map.get_mut(&name) {
                    // Pairs (`sp`, `pp`, `k`) repeat: collect them in order.
                    Some(Value::Array(items)) => items.push(Value::String(value)),
                    Some(existing) => {
                        let first = existing.take();
                        *existing = Value::Array(vec![first, Value::String(value)]);
                    }
                    None => {
                        map.insert(name, Value::String(value));
                    }
                }
            }
        }
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::route;
    use http::HeaderMap;

    fn raw(path: &str, query: &str) -> RawRequest {
        RawRequest {
            method: Method::GET,
            path: path.to_owned(),
            query: Some(query.to_owned()),
            headers: HeaderMap::new(),
            body: Bytes::new(),
            client_ip: None,
        }
    }

    fn round_trip(path: &str, query: &str) -> String {
        let r = route(path).unwrap();
        let batch =
            crate::protocol::decode(r, &raw(path, query), &DecodeLimits::default()).unwrap();
        crate::protocol::encode(&batch).unwrap().path_and_query
    }

    /// Real-shaped requests (parameter tables of heap-wire.md §4).
    const PAGEVIEW: &str = "a=1234567890&u=4482731952067185&v=3398210561337402&s=7715209384412056&b=web&tv=4.0&z=2&h=%2Fpricing&d=www.example.com&t=Pricing%20%E2%80%93%20Example&r=https%3A%2F%2Fwww.google.com%2F&ts=1732869300123&pr=%2F&st=1732869300456";
    const EVENTS: &str = "a=1234567890&u=4482731952067185&v=3398210561337402&s=7715209384412056&b=web&tv=4.0&z=0&st=1732869305001&sp=r&sp=https%3A%2F%2Fwww.google.com%2F&sp=ts&sp=1732869300000&pp=d&pp=www.example.com&pp=h&pp=%2Fcheckout&id0=1111&t0=click&n0=button&c0=.btn.btn-primary&i0=buy-now&y0=%40button%3B%23buy-now%3B.btn%3B%7C&ts0=1732869305000&x0=Buy%20now&id1=2222&t1=change&n1=input&i1=email&y1=%40input%3B%23email%3B%7C&ts1=1732869306000";
    const IDENTIFY: &str = "a=1234567890&u=4482731952067185&v=3398210561337402&s=7715209384412056&i=customer-8841&b=web&tv=4.0&z=0&st=1732869307000";

    #[test]
    fn unfiltered_requests_round_trip_byte_for_byte() {
        assert_eq!(round_trip("/h", PAGEVIEW), format!("/h?{PAGEVIEW}"));
        assert_eq!(round_trip("/h", EVENTS), format!("/h?{EVENTS}"));
        assert_eq!(
            round_trip("/api/identify_v3", IDENTIFY),
            format!("/api/identify_v3?{IDENTIFY}")
        );
        let props = format!("{IDENTIFY}&_plan=pro&_Company%20Name=Acme+Corp");
        assert_eq!(
            round_trip("/api/add_user_properties_v3", &props),
            format!("/api/add_user_properties_v3?{props}")
        );
    }

    #[test]
    fn the_model_sees_pages_targets_and_shared_properties() {
        let r = route("/h").unwrap();
        let batch =
            crate::protocol::decode(r, &raw("/h", EVENTS), &DecodeLimits::default()).unwrap();
        assert_eq!(batch.events.len(), 2);
        let click = &batch.events[0];
        assert_eq!(click.kind, Kind::Interaction);
        assert_eq!(click.get_path("target.text").unwrap(), "Buy now");
        assert_eq!(click.get_path("event").unwrap(), "click");
        assert_eq!(click.get_path("page.path").unwrap(), "/checkout");
        assert_eq!(
            click.get_path("session.referrer").unwrap(),
            "https://www.google.com/"
        );
        assert_eq!(click.get_path("user_id").unwrap(), "4482731952067185");
        let batch =
            crate::protocol::decode(r, &raw("/h", PAGEVIEW), &DecodeLimits::default()).unwrap();
        assert_eq!(batch.events[0].kind, Kind::Pageview);
        assert_eq!(
            batch.events[0].get_path("page.title").unwrap(),
            "Pricing – Example"
        );
    }

    #[test]
    fn undecodable_parameter_lists_are_refused() {
        let r = route("/h").unwrap();
        for (q, want) in [
            ("a=1&x0=Buy", "event group 0 has no `id0`"),
            ("a=1&id0=1&x0=Buy", "event group 0 has no `t0`"),
            ("a=1&t=%FF%FE", "not valid UTF-8"),
            ("a=1&a=2", "repeated"),
            ("a=1&sp=r", "key without a value"),
            ("u=1&h=%2F", "`a` is required"),
        ] {
            let err =
                crate::protocol::decode(r, &raw("/h", q), &DecodeLimits::default()).unwrap_err();
            assert!(err.to_string().contains(want), "{q}: {err}");
        }
    }

    #[test]
    fn unknown_parameters_are_dropped_and_counted() {
        let r = route("/h").unwrap();
        let batch = crate::protocol::decode(
            r,
            &raw("/h", "a=1&h=%2F&email=jane%40x.io&q9=1"),
            &DecodeLimits::default(),
        )
        .unwrap();
        assert_eq!(batch.unknown_fields, 2);
        assert_eq!(
            crate::protocol::encode(&batch).unwrap().path_and_query,
            "/h?a=1&h=%2F"
        );
    }

    #[test]
    fn dropped_groups_disappear_and_the_rest_are_renumbered() {
        let r = route("/h").unwrap();
        let mut batch =
            crate::protocol::decode(r, &raw("/h", EVENTS), &DecodeLimits::default()).unwrap();
        batch.events.remove(0);
        let out = crate::protocol::encode(&batch).unwrap().path_and_query;
        assert!(out.contains("&id0=2222&t0=change&n0=input&i0=email&y0=%40input%3B%23email%3B%7C&ts0=1732869306000"), "{out}");
        assert!(!out.contains("2222&t1") && !out.contains("Buy"), "{out}");
    }

    #[test]
    fn changed_and_removed_values_are_written_back() {
        let r = route("/h").unwrap();
        let mut batch =
            crate::protocol::decode(r, &raw("/h", EVENTS), &DecodeLimits::default()).unwrap();
        for e in &mut batch.events {
            e.fields
                .insert("user_id".into(), Value::String("99".into()));
            if let Some(Value::Object(t)) = e.fields.get_mut("target") {
                t.insert("text".into(), Value::String("[email] ok?".into()));
            }
            if let Some(Value::Object(s)) = e.fields.get_mut("session") {
                s.remove("referrer");
            }
        }
        let out = crate::protocol::encode(&batch).unwrap().path_and_query;
        assert!(out.contains("&u=99&"), "{out}");
        assert!(out.contains("&x0=%5Bemail%5D%20ok%3F"), "{out}");
        assert!(
            !out.contains("sp=r&"),
            "a removed pair loses its key too: {out}"
        );
        assert!(out.contains("sp=ts&sp=1732869300000"), "{out}");
        // Events that disagree on a shared value: it is not sent at all.
        batch.events[0]
            .fields
            .insert("user_id".into(), Value::String("98".into()));
        let out = crate::protocol::encode(&batch).unwrap().path_and_query;
        assert!(!out.contains("&u="), "{out}");
    }
}
