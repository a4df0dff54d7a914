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
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

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

/// A model path as segments. Property keys from the wire are one segment each, whatever they
/// contain (a `.` in a key does not nest), so no parameter can build a deep value.
type Path = Arc<[Box<str>]>;

/// A static model path (`page.path`) as segments.
fn path_of(dotted: &str) -> Path {
    dotted.split('.').map(Box::from).collect()
}

/// One parameter of the request, in order, and where its value lives in the events.
#[derive(Debug, Clone)]
struct Slot {
    origin: Origin,
    /// The parameter exactly as received (`name=value`, encoded), for byte-stable output.
    raw: String,
    /// The decoded name.
    name: String,
    /// The decoded value as received, to tell whether a policy changed it.
    original: String,
    what: SlotKind,
}

#[derive(Debug, Clone)]
enum SlotKind {
    /// Forwarded as received (library, tracker version, send time, ...).
    Fixed,
    /// A value copied into events: (event position, field path) for each.
    Value(Vec<(usize, Path)>),
    /// A parameter of indexed group `group` (renumbered on output); `path` is where its value
    /// lives in the group's event, `None` for parameters forwarded as received (`idN`).
    Indexed {
        base: &'static str,
        group: usize,
        path: Option<Path>,
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

/// Where a `sp` (session), `pp` (pageview) or `k` (custom pageview) property lives.
fn pair_path(list: &str, key: &str) -> [Box<str>; 2] {
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
        "sp" => ["session".into(), mapped.into()],
        "pp" => ["page".into(), mapped.into()],
        _ => ["properties".into(), key.into()],
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

/// One parameter: (origin, raw segment, decoded name, decoded value).
type Param = (Origin, String, String, String);

/// Splits `a=1&b=2` into parameters, appending to `out`; stops with an error as soon as the
/// request has more than `limits.max_params`, before decoding any further.
fn split_params(
    text: &str,
    origin: Origin,
    limits: &DecodeLimits,
    out: &mut Vec<Param>,
) -> Result<(), DecodeError> {
    for segment in text.split('&').filter(|s| !s.is_empty()) {
        if out.len() >= limits.max_params {
            return Err(limits.params_error());
        }
        let (name, value) = segment.split_once('=').unwrap_or((segment, ""));
        out.push((
            origin,
            segment.to_owned(),
            decode_component(name)?,
            decode_component(value)?,
        ));
    }
    Ok(())
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

/// Sets a path in an event, creating objects on the way. Returns false, changing nothing, when
/// the path already holds a value.
fn set_path(fields: &mut Map<String, Value>, path: &[Box<str>], value: Value) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut map = fields;
    for seg in parents {
        let entry = map
            .entry(seg.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        let Value::Object(inner) = entry else {
            return false;
        };
        map = inner;
    }
    if map.contains_key(&**last) {
        return false;
    }
    map.insert(last.to_string(), value);
    true
}

/// Reads a path of an event.
fn get_path<'a>(fields: &'a Map<String, Value>, path: &[Box<str>]) -> Option<&'a Value> {
    let (first, rest) = path.split_first()?;
    let mut current = fields.get(&**first)?;
    for seg in rest {
        current = current.as_object()?.get(&**seg)?;
    }
    Some(current)
}

/// The events being built, with the fields they hold counted against the budget.
struct Builder<'l> {
    events: Vec<Event>,
    counts: Vec<usize>,
    total: usize,
    limits: &'l DecodeLimits,
}

impl Builder<'_> {
    /// Puts `value` at `path` in event `event`; `Ok(false)` when the path already has a value.
    fn set(&mut self, event: usize, path: &[Box<str>], value: &str) -> Result<bool, DecodeError> {
        if path.len() > self.limits.max_depth {
            return Err(self.limits.depth_error());
        }
        if let Some(key) = path.last() {
            self.limits.check_key(key)?;
        }
        self.counts[event] += 1;
        self.total += 1;
        if self.counts[event] > self.limits.max_event_fields {
            return Err(self.limits.event_fields_error());
        }
        if self.total > self.limits.max_request_fields {
            return Err(self.limits.request_fields_error());
        }
        Ok(set_path(
            &mut self.events[event].fields,
            path,
            Value::String(value.to_owned()),
        ))
    }
}

/// Decodes a heap.js request. Every step is linear in the number of parameters, and the
/// parameters, the fields built and their paths are held to the decode budget as they are
/// built.
pub fn decode(
    route: &'static Route,
    endpoint: WebEndpoint,
    raw: &RawRequest,
    meta: RequestMeta,
    limits: &DecodeLimits,
) -> Result<Batch, DecodeError> {
    let mut params: Vec<Param> = Vec::new();
    if let Some(q) = &raw.query {
        split_params(q, Origin::Query, limits, &mut params)?;
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
        split_params(body.trim(), Origin::Body, limits, &mut params)?;
    }

    // Which events exist: groups by index, a pageview when page parameters are present.
    let mut groups: BTreeSet<usize> = BTreeSet::new();
    let mut has_page = false;
    let mut group_heads: HashSet<(&str, usize)> = HashSet::new();
    for (_, _, name, _) in &params {
        if let Some((base, index)) = split_index(name)
            && indexed(base).is_some()
        {
            groups.insert(index);
            if base == "id" || base == "t" {
                group_heads.insert((base, index));
            }
        } else if page(name).is_some() || name == "k" {
            has_page = true;
        }
    }
    // Page fields set by top-level parameters: a `pp` pair naming the same field is kept apart.
    let page_paths: HashSet<&'static str> =
        params.iter().filter_map(|(_, _, n, _)| page(n)).collect();
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
            if !group_heads.contains(&(required, *g)) {
                return Err(bad(format!("event group {g} has no `{required}{g}`")));
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
    let mut event_of_group: HashMap<usize, usize> = HashMap::with_capacity(groups.len());
    for g in &groups {
        event_of_group.insert(*g, events.len());
        events.push(Event::new(Kind::Interaction, events.len()));
        group_of_event.push(Some(*g));
    }
    let event_count = events.len();
    let mut built = Builder {
        counts: vec![0; event_count],
        events,
        total: 0,
        limits,
    };

    let mut slots = Vec::with_capacity(params.len());
    let mut unknown = 0u32;
    let mut seen: HashSet<&str> = HashSet::with_capacity(params.len());
    let mut i = 0;
    while i < params.len() {
        let (origin, segment, name, value) = &params[i];
        let slot = |what| Slot {
            origin: *origin,
            raw: segment.clone(),
            name: name.clone(),
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
            let path: Path = Arc::new(pair_path(name, value));
            // A pageview property the page parameters already set is kept apart, not merged.
            let apart: Option<Path> = (name == "pp"
                && page_event.is_some()
                && page_paths.iter().any(|p| path_of(p)[..] == path[..]))
            .then(|| Arc::from(["page".into(), "properties".into(), value.as_str().into()]));
            let targets = match name.as_str() {
                "k" => page_event.map_or(0..0, |p| p..p + 1),
                _ => 0..event_count,
            };
            let mut locations = Vec::with_capacity(targets.len());
            for t in targets {
                let p = match &apart {
                    Some(apart) if Some(t) == page_event => apart.clone(),
                    _ => path.clone(),
                };
                if !built.set(t, &p, vvalue)? {
                    return Err(bad(format!("`{name}` repeats the key of another pair")));
                }
                locations.push((t, p));
            }
            slots.push(slot(SlotKind::PairKey));
            slots.push(Slot {
                origin: *vorigin,
                raw: vsegment.clone(),
                name: vname.clone(),
                original: vvalue.clone(),
                what: SlotKind::Value(locations),
            });
            i += 2;
            continue;
        }
        if !seen.insert(name.as_str()) {
            return Err(bad("a parameter is repeated"));
        }
        if let Some(index) = split_index(name).filter(|(b, _)| indexed(b).is_some()) {
            let (base, path) = indexed(index.0).expect("checked above");
            let event = event_of_group[&index.1];
            let path = path.map(path_of);
            match &path {
                Some(p) => {
                    built.set(event, p, value)?;
                }
                None => check_fixed(base, value)?,
            }
            slots.push(slot(SlotKind::Indexed {
                base,
                group: index.1,
                path,
            }));
        } else if let Some(target) = common(name) {
            match target {
                Some(path) => {
                    let path = path_of(path);
                    let mut locations = Vec::with_capacity(event_count);
                    for e in 0..event_count {
                        built.set(e, &path, value)?;
                        locations.push((e, path.clone()));
                    }
                    slots.push(slot(SlotKind::Value(locations)));
                }
                None => {
                    check_fixed(name, value)?;
                    slots.push(slot(SlotKind::Fixed))
                }
            }
        } else if let (Some(path), Some(p)) = (page(name), page_event) {
            let path = path_of(path);
            built.set(p, &path, value)?;
            slots.push(slot(SlotKind::Value(vec![(p, path)])));
        } else if endpoint == WebEndpoint::AddUserProperties
            && let Some(key) = name.strip_prefix('_').filter(|k| !k.is_empty())
        {
            let path: Path = Arc::new(["user_properties".into(), key.into()]);
            built.set(0, &path, value)?;
            slots.push(slot(SlotKind::Value(vec![(0, path)])));
        } else {
            unknown += 1;
        }
        i += 1;
    }
    let mut events = built.events;
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

/// Parameters forwarded as received carry no model field, so no policy sees them: each must
/// have the form heap.js gives it, or the request is refused (nothing free-form passes unseen).
fn check_fixed(name: &str, value: &str) -> Result<(), DecodeError> {
    let digits = |max: usize| {
        !value.is_empty() && value.len() <= max && value.bytes().all(|b| b.is_ascii_digit())
    };
    let (ok, form) = match name {
        // Library: `web`, `ios`, ...
        "b" => (
            (1..=32).contains(&value.len())
                && value.starts_with(|c: char| c.is_ascii_lowercase())
                && value
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
            "a lowercase library name",
        ),
        // Tracker and library versions: `4.0`, `3.0`, `9.1.0-beta.2`.
        "tv" | "lv" => (
            (1..=32).contains(&value.len())
                && value.starts_with(|c: char| c.is_ascii_digit())
                && value
                    .bytes()
                    .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-'))
                || value.split_once('-').is_some_and(|(v, pre)| {
                    v.bytes().all(|b| b.is_ascii_digit() || b == b'.')
                        && v.starts_with(|c: char| c.is_ascii_digit())
                        && value.len() <= 32
                        && matches!(
                            pre.split('.').next(),
                            Some("alpha" | "beta" | "rc" | "dev" | "pre")
                        )
                        && pre.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.')
                }),
            "a version number",
        ),
        "z" => (digits(2), "a small number"),
        "st" => (digits(16), "a time in milliseconds"),
        "id" => (digits(20), "a numeric event id"),
        _ => (false, "a known parameter"),
    };
    if ok {
        Ok(())
    } else {
        Err(bad(format!("`{name}` must be {form}")))
    }
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
fn agreed<'a>(kept: &[Option<&'a Event>], locations: &[(usize, Path)]) -> Option<Cow<'a, str>> {
    let mut value: Option<Cow<'a, str>> = None;
    let mut any = false;
    for (event, path) in locations {
        let Some(e) = kept.get(*event).copied().flatten() else {
            continue;
        };
        any = true;
        let v = crate::event::scalar_text(get_path(&e.fields, path)?)?;
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
    // Kept groups are renumbered 0, 1, ... in their original order; group → (new number, event).
    let mut renumber: HashMap<usize, (usize, &Event)> = HashMap::new();
    for (pos, group) in env.group_of_event.iter().enumerate() {
        if let (Some(g), Some(event)) = (group, kept[pos]) {
            renumber.insert(*g, (renumber.len(), event));
        }
    }
    let mut query: Vec<String> = Vec::new();
    let mut body: Vec<String> = Vec::new();
    let mut i = 0;
    while i < env.slots.len() {
        let slot = &env.slots[i];
        let mut emitted: Vec<(Origin, String)> = Vec::new();
        match &slot.what {
            SlotKind::Fixed => emitted.push((slot.origin, slot.written(None, None))),
            SlotKind::Value(locations) => {
                if let Some(v) = agreed(&kept, locations) {
                    emitted.push((slot.origin, slot.written(None, Some(&v))));
                }
            }
            SlotKind::PairKey => {
                if let Some(next) = env.slots.get(i + 1)
                    && let SlotKind::Value(locations) = &next.what
                    && let Some(v) = agreed(&kept, locations)
                {
                    emitted.push((slot.origin, slot.written(None, None)));
                    emitted.push((next.origin, next.written(None, Some(&v))));
                }
                i += 1;
            }
            SlotKind::Indexed { base, group, path } => {
                if let Some(&(new, event)) = renumber.get(group) {
                    let name = format!("{base}{new}");
                    match path {
                        None => emitted.push((slot.origin, slot.written(Some(&name), None))),
                        Some(p) => {
                            if let Some(v) =
                                get_path(&event.fields, p).and_then(crate::event::scalar_text)
                            {
                                emitted.push((slot.origin, slot.written(Some(&name), Some(&v))));
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

impl Slot {
    /// The parameter as written back, under `name` (a renumbered group) or its own, with
    /// `value` (what the policies left) or the value as received. A part the policies did not
    /// change keeps its exact encoding when that encoding is canonical — only unreserved
    /// characters, `+` and `%` escapes — so an unfiltered request is forwarded byte for byte;
    /// anything else (a `;`, a space, a `/`) is written anew, so that no collector can read the
    /// parameters otherwise than privgate did.
    fn written(&self, name: Option<&str>, value: Option<&str>) -> String {
        let (raw_name, raw_value) = match self.raw.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (self.raw.as_str(), None),
        };
        let name_part: Cow<'_, str> = match name {
            None if canonical(raw_name) => Cow::Borrowed(raw_name),
            None => percent_encoding::utf8_percent_encode(&self.name, VALUE).into(),
            Some(n) => percent_encoding::utf8_percent_encode(n, VALUE).into(),
        };
        let value = value.unwrap_or(&self.original);
        match raw_value {
            Some(raw) if value == self.original && canonical(raw) => format!("{name_part}={raw}"),
            None if value.is_empty() => name_part.into_owned(),
            _ => format!(
                "{name_part}={}",
                percent_encoding::utf8_percent_encode(value, VALUE)
            ),
        }
    }
}

/// True when an encoded name or value uses only unreserved characters, `*`, `+` and `%`
/// escapes: the form every decoder reads the same way.
fn canonical(encoded: &str) -> bool {
    encoded.bytes().all(|b| {
        b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'*' | b'+' | b'%')
    })
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
    // privgate's own output: no budget needed.
    let unlimited = DecodeLimits {
        max_params: usize::MAX,
        ..DecodeLimits::default()
    };
    for text in [query, body] {
        let mut params = Vec::new();
        if split_params(text, Origin::Query, &unlimited, &mut params).is_ok() {
            for (_, _, name, value) in params {
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

    #[test]
    fn property_keys_are_one_segment_whatever_they_contain() {
        let r = route("/h").unwrap();
        let dots = ".".repeat(1000);
        let q = format!("a=1&h=%2F&sp={dots}&sp=x&pp=a.b.c&pp=y&k=d.e&k=z");
        let batch = crate::protocol::decode(r, &raw("/h", &q), &DecodeLimits::default()).unwrap();
        let page = &batch.events[0].fields;
        assert_eq!(page["session"][dots.as_str()], "x");
        assert_eq!(page["page"]["a.b.c"], "y");
        assert_eq!(page["properties"]["d.e"], "z");
        // Written back as received.
        let out = crate::protocol::encode(&batch).unwrap().path_and_query;
        assert_eq!(out, format!("/h?{q}"));
        let err = crate::protocol::decode(r, &raw("/h", "a=1&sp=&sp=x"), &DecodeLimits::default())
            .unwrap_err();
        assert!(err.to_string().contains("key is empty"), "{err}");
        // Heap takes keys of up to 1024 characters; a longer one is over the budget.
        let long = format!("a=1&sp={}&sp=x", ".".repeat(1025));
        let err =
            crate::protocol::decode(r, &raw("/h", &long), &DecodeLimits::default()).unwrap_err();
        assert!(err.to_string().contains("max_key_bytes"), "{err}");
    }

    #[test]
    fn parameters_and_fields_are_held_to_the_budget() {
        let r = route("/h").unwrap();
        let limits = DecodeLimits {
            max_params: 10,
            ..DecodeLimits::default()
        };
        let ten = "a=1&h=%2F&sp=k1&sp=v&sp=k2&sp=v&sp=k3&sp=v&sp=k4&sp=v";
        assert!(crate::protocol::decode(r, &raw("/h", ten), &limits).is_ok());
        let err =
            crate::protocol::decode(r, &raw("/h", &format!("{ten}&z=0")), &limits).unwrap_err();
        assert_eq!(err.code(), "over_budget");
        assert!(err.to_string().contains("max_parameters"), "{err}");

        // Request-wide values are copied into every event, and every copy counts.
        let mut q = String::from("a=1");
        for g in 0..10 {
            q.push_str(&format!("&id{g}={g}&t{g}=click"));
        }
        for k in 0..10 {
            q.push_str(&format!("&sp=k{k}&sp=v"));
        }
        // Ten interaction events, each with app_id, event and the ten session values: 120.
        let fits = DecodeLimits {
            max_request_fields: 120,
            ..DecodeLimits::default()
        };
        assert!(crate::protocol::decode(r, &raw("/h", &q), &fits).is_ok());
        let tight = DecodeLimits {
            max_request_fields: 119,
            ..DecodeLimits::default()
        };
        let err = crate::protocol::decode(r, &raw("/h", &q), &tight).unwrap_err();
        assert!(err.to_string().contains("max_request_fields"), "{err}");
        let per_event = DecodeLimits {
            max_event_fields: 11,
            ..DecodeLimits::default()
        };
        let err = crate::protocol::decode(r, &raw("/h", &q), &per_event).unwrap_err();
        assert!(err.to_string().contains("max_event_fields"), "{err}");
    }

    #[test]
    fn parameters_not_in_canonical_form_are_written_anew() {
        // `;` is a separator to some servers: forwarded as sent, the collector could read a `t`
        // that privgate saw as part of `a`.
        assert_eq!(
            round_trip("/h", "a=11&u=1;t=jane@x.com;ts=1"),
            "/h?a=11&u=1%3Bt%3Djane%40x.com%3Bts%3D1"
        );
        // Swallowed into `a`, the rest makes no environment id: refused.
        let r = route("/h").unwrap();
        let err = crate::protocol::decode(
            r,
            &raw("/h", "a=11;u=1;t=jane@x.com;ts=1"),
            &DecodeLimits::default(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("numeric environment id"), "{err}");
        assert_eq!(
            round_trip("/h", "a=1&r=https://x.io/a b&h=%2F"),
            "/h?a=1&r=https%3A%2F%2Fx.io%2Fa%20b&h=%2F"
        );
        // Canonical parts keep their bytes, `+` included.
        assert_eq!(
            round_trip("/h", "a=1&t=A+b%2Fc&h=%2F"),
            "/h?a=1&t=A+b%2Fc&h=%2F"
        );
    }

    #[test]
    fn parameters_forwarded_as_received_must_have_their_heap_js_form() {
        let base = "a=11&u=1&v=2&s=3&h=%2F&ts=1";
        let limits = DecodeLimits::default();
        for good in [
            "b=web&tv=4.0&z=2&st=1732869305001",
            "b=ios&tv=3.0&lv=9.1.0-beta.2",
            "t0=click&id0=12345678901234",
        ] {
            let query = format!("{base}&{good}");
            crate::protocol::decode(route("/h").unwrap(), &raw("/h", &query), &limits)
                .unwrap_or_else(|err| panic!("{good}: {err}"));
        }
        for bad_param in [
            "b=jane%40example.com",
            "b=Web",
            "tv=4.0%20Jane",
            "lv=Jane",
            "z=555",
            "st=1732869305001x",
            "t0=click&id0=jane%40example.com",
            "t0=click&id0=",
        ] {
            let query = format!("{base}&{bad_param}");
            let err = crate::protocol::decode(route("/h").unwrap(), &raw("/h", &query), &limits)
                .expect_err(bad_param);
            let text = err.to_string();
            assert!(text.contains("must be"), "{bad_param}: {text}");
            assert!(!text.contains("jane") && !text.contains("Jane"), "{text}");
        }
    }
}
