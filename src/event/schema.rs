//! The declared type of every path of the event model, in one table that every adapter's
//! output is held to and that README shows.
//!
//! A value either has a type privgate can validate — a numeric environment id, an opaque id, a
//! timestamp, an enum name, a version, an IP address — or it is free text. Free text, URLs, any
//! path the table does not know, and every value that does not parse as its declared type are
//! what the `type:free_text` selector selects, so a rule written with it scans every field that
//! could carry personal data on every route, including fields no rule names. The one type that
//! is refused instead of scanned is the environment id (`app_id`): it is written into every
//! audit record, so it must be Heap's numeric form (the adapters reject anything else with 400).
//!
//! This module knows nothing of wire formats or policies; it classifies paths and values.

use serde_json::Value;

/// What a path of the model holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldType {
    /// Heap's environment id: 1 to 20 ASCII digits. Anything else is refused (400).
    AppId,
    /// An opaque identifier: decimal digits (Heap's user, session and pageview ids), a UUID, or
    /// 16 to 64 hex digits. Anything else is scanned as free text.
    Id,
    /// An RFC 3339 / ISO 8601 date or time, or epoch seconds or milliseconds.
    Timestamp,
    /// A name privgate itself wrote for an enum value (`mobile`, `click`), or its number.
    Enum,
    /// A software version: `17.0`, `0.7.2`, `v2.1.1`, `1.0.0-beta+exp.5`.
    Version,
    /// An IP address.
    Ip,
    /// A URL, or part of one (path, query, fragment): scanned like free text.
    Url,
    /// Free text: names, notes, property values, element text, titles. Always scanned.
    Text,
}

impl FieldType {
    /// Every type, in documentation order.
    pub const ALL: [FieldType; 8] = [
        FieldType::AppId,
        FieldType::Id,
        FieldType::Timestamp,
        FieldType::Enum,
        FieldType::Version,
        FieldType::Ip,
        FieldType::Url,
        FieldType::Text,
    ];

    /// The name in policies (`type:<name>`) and documentation.
    pub fn name(self) -> &'static str {
        match self {
            FieldType::AppId => "app_id",
            FieldType::Id => "id",
            FieldType::Timestamp => "timestamp",
            FieldType::Enum => "enum",
            FieldType::Version => "version",
            FieldType::Ip => "ip",
            FieldType::Url => "url",
            FieldType::Text => "free_text",
        }
    }

    /// What a value of this type looks like, for README.
    pub fn description(self) -> &'static str {
        match self {
            FieldType::AppId => "Heap environment id: 1-20 digits; anything else is refused (400)",
            FieldType::Id => "opaque id: digits, a UUID, or 16-64 hex digits",
            FieldType::Timestamp => {
                "RFC 3339 / ISO 8601 date or time, or epoch seconds or milliseconds"
            }
            FieldType::Enum => "an enum name privgate writes (`mobile`, `click`) or its number",
            FieldType::Version => "a version (`17.0`, `v2.1.1`, `1.0.0-beta+5`)",
            FieldType::Ip => "an IPv4 or IPv6 address",
            FieldType::Url => "a URL or a part of one; scanned as free text",
            FieldType::Text => "free text; always scanned",
        }
    }

    /// True when `text` is a valid value of this type. URLs and free text accept anything.
    pub fn accepts(self, text: &str) -> bool {
        match self {
            FieldType::AppId => digits(text, 1, 20),
            FieldType::Id => digits(text, 1, 20) || is_uuid(text) || hex(text, 16, 64),
            FieldType::Timestamp => is_timestamp(text),
            FieldType::Enum => {
                (1..=40).contains(&text.len())
                    && text.bytes().all(|b| {
                        b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-'
                    })
            }
            FieldType::Version => is_version(text),
            FieldType::Ip => text.parse::<std::net::IpAddr>().is_ok(),
            FieldType::Url | FieldType::Text => true,
        }
    }

    /// Parses a name used in policies.
    pub fn parse(name: &str) -> Option<FieldType> {
        FieldType::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// One row of the table: a path pattern and its type. Segments are literal names, `*` (any one
/// key) or a final `**` (any keys below).
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// The pattern, dotted.
    pub path: &'static str,
    /// Its type.
    pub ty: FieldType,
    /// What it is, for README.
    pub about: &'static str,
}

const fn f(path: &'static str, ty: FieldType, about: &'static str) -> FieldSpec {
    FieldSpec { path, ty, about }
}

use FieldType::{AppId, Enum, Id, Ip, Text, Timestamp, Url, Version};

/// Page fields, under `page`, and under every nested pageview (`*.initial_page`).
macro_rules! page_fields {
    ($prefix:literal) => {
        [
            f(concat!($prefix, ".id"), Id, "pageview id"),
            f(concat!($prefix, ".url"), Url, "page URL"),
            f(concat!($prefix, ".path"), Url, "page path"),
            f(concat!($prefix, ".query"), Url, "query string"),
            f(concat!($prefix, ".hash"), Url, "fragment"),
            f(concat!($prefix, ".referrer"), Url, "referrer"),
            f(concat!($prefix, ".previous_page"), Url, "previous page"),
            f(concat!($prefix, ".domain"), Text, "host name"),
            f(concat!($prefix, ".title"), Text, "page or screen title"),
            f(concat!($prefix, ".time"), Timestamp, "pageview time"),
            f(
                concat!($prefix, ".timestamp"),
                Timestamp,
                "pageview time (heap.js)",
            ),
            f(
                concat!($prefix, ".component"),
                Text,
                "view controller or screen",
            ),
        ]
    };
}

/// The table. The first row whose pattern matches a path gives its type; a path no row
/// matches is free text.
pub static SCHEMA: std::sync::LazyLock<Vec<FieldSpec>> = std::sync::LazyLock::new(|| {
    let mut rows = vec![
        f("app_id", AppId, "Heap environment id"),
        f(
            "user_id",
            Id,
            "Heap user id (integrations: the anonymous id)",
        ),
        f("session_id", Id, "session id"),
        f("pageview_id", Id, "pageview id"),
        f("message_id", Id, "capture/v2 message id"),
        f("idempotency_key", Id, "client's idempotency key"),
        f("timestamp", Timestamp, "event time"),
        f(
            "identity",
            Text,
            "the identified user: often an e-mail address",
        ),
        f("account_id", Text, "the customer's own account id"),
        f("event", Text, "event name"),
        f("properties.**", Text, "event properties"),
        f(
            "global_properties.**",
            Text,
            "capture/v2 message properties",
        ),
        f("source_properties.**", Text, "capture/v2 source properties"),
        f("user_properties.**", Text, "user properties"),
        f("account_properties.**", Text, "account properties"),
        f("client.ip", Ip, "the end user's address"),
        f("client.user_agent", Text, "the end user's agent"),
        f("device.type", Enum, "form factor"),
        f("device.app_visibility", Enum, "foreground or background"),
        f("device.vendor_id", Id, "IDFV / vendor id"),
        f("device.advertiser_id", Id, "IDFA / advertising id"),
        f("device.app_version", Version, "app version"),
        f("device.library_version", Version, "SDK version"),
        f(
            "device.source_library_version",
            Version,
            "bridge SDK version",
        ),
        f(
            "device.previous_app_version",
            Version,
            "app version before an upgrade",
        ),
        f(
            "device.current_app_version",
            Version,
            "app version after an upgrade",
        ),
        f(
            "device.uach_platform_version",
            Version,
            "client hints: OS version",
        ),
        f(
            "device.uach_browser_version",
            Version,
            "client hints: browser version",
        ),
        f(
            "device.**",
            Text,
            "device, app and SDK names, carrier, user agent",
        ),
        f("session.time", Timestamp, "session start"),
        f("session.timestamp", Timestamp, "session start (heap.js)"),
        f("session.referrer", Url, "session referrer"),
        f("session.path", Url, "landing path (heap.js)"),
        f(
            "session.replay_info.platform",
            Enum,
            "session replay vendor",
        ),
        f(
            "session.replay_info.time",
            Timestamp,
            "session replay start",
        ),
        f(
            "session.**",
            Text,
            "search keyword, campaign, replay data, session properties",
        ),
        f("user.initial_referrer", Url, "first referrer"),
        f("user.**", Text, "first search keyword and campaign"),
        f("target.href", Url, "link target"),
        f("target.notification.source", Enum, "notification source"),
        f(
            "target.**",
            Text,
            "element text, label, selector, classes, attributes",
        ),
        f("page.active_contexts.**", Text, "visible components"),
        f("page.properties.**", Text, "pageview properties"),
        f(
            "page.source_properties.**",
            Text,
            "pageview source properties",
        ),
    ];
    rows.extend(page_fields!("page"));
    rows.extend(page_fields!("session.initial_page"));
    rows.extend(page_fields!("user.initial_page"));
    rows.push(f(
        "page.**",
        Text,
        "other pageview properties (heap.js `pp`)",
    ));
    // Specific rows first: a row is tried before every row that it is more specific than.
    rows.sort_by_key(|r| std::cmp::Reverse(specificity(r.path)));
    rows
});

/// Longer literal prefixes first; `**` rows after every row they cover.
fn specificity(pattern: &str) -> (usize, usize) {
    let segments: Vec<&str> = pattern.split('.').collect();
    let literal = segments
        .iter()
        .take_while(|s| **s != "*" && **s != "**")
        .count();
    let exact = usize::from(!pattern.ends_with("**"));
    (literal, exact)
}

/// The table as a tree of literal segments, looked up once per selected value without
/// allocating: `exact` is the type of the path ending here, `below` the type of every path
/// under it that no deeper node claims (a `**` row).
#[derive(Debug, Default)]
struct Node {
    children: Vec<(&'static str, Node)>,
    exact: Option<FieldType>,
    below: Option<FieldType>,
}

static TREE: std::sync::LazyLock<Node> = std::sync::LazyLock::new(|| {
    let mut root = Node::default();
    // Least specific first, so that a more specific row overwrites what it refines.
    for row in SCHEMA.iter().rev() {
        let mut node = &mut root;
        let mut segments = row.path.split('.').peekable();
        while let Some(seg) = segments.next() {
            if seg == "**" {
                node.below = Some(row.ty);
                break;
            }
            let i = match node.children.iter().position(|(name, _)| *name == seg) {
                Some(i) => i,
                None => {
                    node.children.push((seg, Node::default()));
                    node.children.len() - 1
                }
            };
            node = &mut node.children[i].1;
            if segments.peek().is_none() {
                node.exact = Some(row.ty);
            }
        }
    }
    root
});

/// The declared type of a path as the engine writes it (`page.active_contexts[0].node_text`;
/// array indices are ignored). Paths no row knows are free text.
pub fn type_of(path: &str) -> FieldType {
    let mut node = &*TREE;
    let mut fallback = FieldType::Text;
    // Bytes, not `str::split`: paths are short, and a plain loop beats the searchers' set-up.
    let mut rest = path.as_bytes();
    loop {
        let (raw, more) = match rest.iter().position(|&b| b == b'.' || b == b'[') {
            Some(i) => (&rest[..i], Some(&rest[i..])),
            None => (rest, None),
        };
        if let Some(t) = node.below {
            fallback = t;
        }
        match node
            .children
            .iter()
            .find(|(name, _)| name.as_bytes() == raw)
        {
            Some((_, child)) => node = child,
            None => return fallback,
        }
        // Array indices after the name are skipped; the next segment starts after the dot.
        let Some(next) = more.and_then(|m| m.iter().position(|&b| b == b'.').map(|i| &m[i + 1..]))
        else {
            return node.exact.unwrap_or(fallback);
        };
        if node.children.is_empty() {
            // Nothing below is named: the rest of the path (a client's key, often the longest
            // part) cannot change the answer.
            return node.below.unwrap_or(fallback);
        }
        rest = next;
    }
}

/// `type_of` by the table's rows in order (the definition the tree must agree with).
#[cfg(test)]
fn type_by_rows(path: &str) -> FieldType {
    SCHEMA
        .iter()
        .find(|row| matches(row.path, path))
        .map_or(FieldType::Text, |row| row.ty)
}

#[cfg(test)]
fn matches(pattern: &str, path: &str) -> bool {
    let mut segs = path
        .split('.')
        .map(|s| s.split_once('[').map_or(s, |(name, _)| name));
    for p in pattern.split('.') {
        match p {
            "**" => return true,
            lit => {
                if segs.next() != Some(lit) {
                    return false;
                }
            }
        }
    }
    segs.next().is_none()
}

/// True when a value at `path` is free text as far as scanning goes: its declared type is free
/// text or URL, or the value does not parse as its declared type. Numbers are checked by their
/// decimal text; booleans and nulls hold no text.
pub fn is_free_text(path: &str, value: &Value) -> bool {
    if !(value.is_string() || value.is_number()) {
        return false;
    }
    let ty = type_of(path);
    if matches!(ty, FieldType::Text | FieldType::Url) {
        return true;
    }
    match value {
        Value::String(s) => !ty.accepts(s),
        Value::Number(n) => match (n.as_u64(), ty) {
            // Non-negative integers are digits: every id and epoch type takes them.
            (Some(_), FieldType::Id | FieldType::Timestamp | FieldType::AppId) => false,
            _ => !ty.accepts(&n.to_string()),
        },
        _ => false,
    }
}

fn digits(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

fn hex(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn is_version(s: &str) -> bool {
    let body = s.strip_prefix(['v', 'V']).unwrap_or(s);
    (1..=64).contains(&body.len())
        && body.as_bytes()[0].is_ascii_digit()
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-' | b'_'))
}

/// An ISO 8601 / RFC 3339 date or date-time, or epoch seconds or milliseconds (optionally with
/// a fraction).
fn is_timestamp(s: &str) -> bool {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if digits(int, 1, 13) && (frac.is_empty() || digits(frac, 1, 9)) {
        return true;
    }
    let b = s.as_bytes();
    let two = |i: usize| {
        b.get(i..i + 2)
            .is_some_and(|x| x.iter().all(u8::is_ascii_digit))
    };
    if !(b.len() >= 10 && digits(&s[..4], 4, 4) && b[4] == b'-' && two(5) && b[7] == b'-' && two(8))
    {
        return false;
    }
    let rest = &s[10..];
    if rest.is_empty() {
        return true;
    }
    let Some(time) = rest.strip_prefix(['T', 't', ' ']) else {
        return false;
    };
    time.parse::<TimeOfDay>().is_ok()
}

/// `hh:mm[:ss[.f]][Z|±hh[:]mm]`, checked by shape only.
struct TimeOfDay;

impl std::str::FromStr for TimeOfDay {
    type Err = ();
    fn from_str(t: &str) -> Result<Self, ()> {
        let b = t.as_bytes();
        let two = |i: usize| {
            b.get(i..i + 2)
                .is_some_and(|x| x.iter().all(u8::is_ascii_digit))
        };
        if !(two(0) && b.get(2) == Some(&b':') && two(3)) {
            return Err(());
        }
        let mut i = 5;
        if b.get(i) == Some(&b':') && two(i + 1) {
            i += 3;
            if b.get(i) == Some(&b'.') {
                let n = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
                if !(1..=9).contains(&n) {
                    return Err(());
                }
                i += 1 + n;
            }
        }
        match &b[i..] {
            [] | [b'Z' | b'z'] => Ok(TimeOfDay),
            [b'+' | b'-', zone @ ..]
                if matches!(zone.len(), 2 | 4 | 5)
                    && zone
                        .iter()
                        .enumerate()
                        .all(|(k, c)| c.is_ascii_digit() || (k == 2 && *c == b':')) =>
            {
                Ok(TimeOfDay)
            }
            _ => Err(()),
        }
    }
}

/// README's field-type tables, generated from the types and [`SCHEMA`] (a test keeps README
/// equal to this).
pub fn markdown_tables() -> String {
    let mut out = String::from("| type | a valid value | otherwise |\n|---|---|---|\n");
    for t in FieldType::ALL {
        let otherwise = match t {
            FieldType::AppId => "refused (400)",
            FieldType::Url | FieldType::Text => "-",
            _ => "scanned as free text",
        };
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            t.name(),
            t.description(),
            otherwise
        ));
    }
    out.push_str("\n| model path | type | what it holds |\n|---|---|---|\n");
    let mut rows: Vec<&FieldSpec> = SCHEMA.iter().collect();
    rows.sort_by_key(|r| r.path);
    for r in rows {
        out.push_str(&format!(
            "| `{}` | `{}` | {} |\n",
            r.path,
            r.ty.name(),
            r.about
        ));
    }
    out.push_str("| any other path | `free_text` | |\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_get_their_declared_types_and_unknown_paths_are_free_text() {
        for (path, ty) in [
            ("app_id", AppId),
            ("user_id", Id),
            ("timestamp", Timestamp),
            ("properties.note", Text),
            ("properties.a.b[2].c", Text),
            ("device.type", Enum),
            ("device.model", Text),
            ("device.library_version", Version),
            ("page.url", Url),
            ("page.title", Text),
            ("page.time", Timestamp),
            ("page.plan", Text),
            ("session.initial_page.id", Id),
            ("session.utm.source", Text),
            ("target.href", Url),
            ("target.parents[1].href", Text),
            ("page.active_contexts[0].node_text", Text),
            ("client.ip", Ip),
            ("something_new", Text),
            ("user_id.extra", Text),
        ] {
            assert_eq!(type_of(path), ty, "{path}");
            assert_eq!(type_by_rows(path), ty, "{path}");
        }
        // The tree agrees with the rows for every row's own path and paths below it.
        for row in SCHEMA.iter() {
            let path = row.path.replace("**", "x.y");
            assert_eq!(type_of(&path), type_by_rows(&path), "{path}");
        }
    }

    #[test]
    fn values_that_do_not_parse_as_their_type_are_free_text() {
        assert!(!is_free_text("user_id", &json!("4503599627370495")));
        assert!(!is_free_text("user_id", &json!(42)));
        assert!(is_free_text("user_id", &json!("jane@example.com")));
        assert!(is_free_text("user_id", &json!("+1 555 0100")));
        assert!(!is_free_text(
            "session_id",
            &json!("0b7e1c6e-5bb2-4c3b-9b6a-6a6a1b2c3d4e")
        ));
        assert!(!is_free_text(
            "timestamp",
            &json!("2026-11-29T10:00:00.123Z")
        ));
        assert!(!is_free_text("timestamp", &json!(1_732_869_300_123_u64)));
        assert!(is_free_text("timestamp", &json!("born 1971-03-14, jane")));
        assert!(!is_free_text("device.app_version", &json!("17.0.1")));
        assert!(is_free_text("device.app_version", &json!("Jane's build")));
        assert!(!is_free_text("device.type", &json!("mobile")));
        assert!(is_free_text("device.type", &json!("Jane Doe")));
        assert!(is_free_text("properties.count", &json!(3)));
        assert!(!is_free_text("properties.flag", &json!(true)));
    }

    #[test]
    fn app_ids_are_heaps_numeric_form() {
        assert!(AppId.accepts("11"));
        assert!(AppId.accepts("1234567890"));
        assert!(!AppId.accepts("jane@example.com"));
        assert!(!AppId.accepts(""));
        assert!(!AppId.accepts("11 "));
    }
}
