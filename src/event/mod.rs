//! The normalized event model (docs/protocols/field-types.md) that every policy sees, whatever the wire format.
//!
//! An [`Event`] is a kind plus a tree of fields (`identity`, `properties.<key>`, `page.url`,
//! `client.ip`, ...). Protocol adapters build events from requests and write them back; the policy
//! engine only reads and edits this tree. Request-wide context that policies may test but never
//! edit (headers, cookies, query parameters) lives in [`RequestMeta`], shared by the batch.

pub mod embedded;
pub mod schema;

use std::fmt;
use std::net::IpAddr;

use http::HeaderMap;
use serde_json::{Map, Value};

/// What an event is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A custom event (`track`).
    Track,
    /// Links a user id to an identity.
    Identify,
    /// Sets properties on a user.
    UserProperties,
    /// Sets properties on an account.
    AccountProperties,
    /// A page or screen view.
    Pageview,
    /// An autocaptured interaction (click, change, submit, ...).
    Interaction,
    /// A session start.
    Session,
}

impl Kind {
    /// Every kind, in documentation order.
    pub const ALL: [Kind; 7] = [
        Kind::Track,
        Kind::Identify,
        Kind::UserProperties,
        Kind::AccountProperties,
        Kind::Pageview,
        Kind::Interaction,
        Kind::Session,
    ];

    /// The name used in policies and audit records.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Track => "track",
            Kind::Identify => "identify",
            Kind::UserProperties => "user_properties",
            Kind::AccountProperties => "account_properties",
            Kind::Pageview => "pageview",
            Kind::Interaction => "interaction",
            Kind::Session => "session",
        }
    }

    /// Parses a policy name of a kind.
    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Bit for sets of kinds.
    pub fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of kinds, as a bit mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindSet(pub u8);

impl KindSet {
    /// Every kind.
    pub const ALL: KindSet = KindSet(0x7f);

    /// True when `kind` is in the set.
    pub fn contains(self, kind: Kind) -> bool {
        self.0 & kind.bit() != 0
    }
}

/// The fields of an event: a JSON object tree in which keys keep their wire order.
pub type Fields = Map<String, Value>;

/// One normalized event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// What it is.
    pub kind: Kind,
    /// Everything else, addressed by policy selectors.
    pub fields: Fields,
    /// Consent and registry state of the person the event is about.
    pub subject: Subject,
    /// Position in the request as received (audit paths say `events[index]`).
    pub index: usize,
}

impl Event {
    /// An event of `kind` with no fields, at position `index` of its request.
    pub fn new(kind: Kind, index: usize) -> Self {
        Event {
            kind,
            fields: Fields::new(),
            subject: Subject::default(),
            index,
        }
    }

    /// A top-level string field, if present and a string.
    pub fn str(&self, name: &str) -> Option<&str> {
        self.fields.get(name).and_then(Value::as_str)
    }

    /// A field at a dotted path of literal keys (`page.url`), matched exactly.
    pub fn get_path(&self, path: &str) -> Option<&Value> {
        let mut segments = path.split('.');
        let mut current = self.fields.get(segments.next()?)?;
        for seg in segments {
            current = current.as_object()?.get(seg)?;
        }
        Some(current)
    }

    /// The event name (track events) or `None`.
    pub fn name(&self) -> Option<&str> {
        self.str("event")
    }
}

/// What consent and the subject registry say about the person behind an event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subject {
    /// The signal that opted this person out, if any (`gpc`, `registry`, ...).
    pub opted_out: Option<&'static str>,
    /// True when the person is known or declared to be a child (COPPA).
    pub child: bool,
}

/// Request-wide context: the things policies may test in `when:` but never forward as-is.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    /// Request headers as received (names are case-insensitive).
    pub headers: HeaderMap,
    /// The end user's address: the socket peer, or `X-Forwarded-For` from a trusted proxy.
    pub client_ip: Option<IpAddr>,
    /// The path as received.
    pub path: String,
    /// The raw query string, if any.
    pub query: Option<String>,
}

impl RequestMeta {
    /// A header's value as text, if present and valid.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// A cookie's value, if the request carries it.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.trim_matches('"'))
    }

    /// A query parameter's decoded value, if present.
    pub fn query_param(&self, name: &str) -> Option<String> {
        let query = self.query.as_deref()?;
        form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }
}

/// The top-level fields of the model and, where the model fixes them, their children.
/// Used to reject selectors that can never match (`propertes.email`).
pub const ROOTS: &[(&str, Option<&[&str]>)] = &[
    ("app_id", None),
    ("event", None),
    ("identity", None),
    ("user_id", None),
    ("account_id", None),
    ("session_id", None),
    ("pageview_id", None),
    ("timestamp", None),
    ("idempotency_key", None),
    ("message_id", None),
    ("properties", Some(&[])),
    ("global_properties", Some(&[])),
    ("source_properties", Some(&[])),
    ("user_properties", Some(&[])),
    ("account_properties", Some(&[])),
    (
        "page",
        Some(&[
            "url",
            "path",
            "query",
            "hash",
            "title",
            "referrer",
            "domain",
            "previous_page",
            "properties",
            "time",
            "component",
            "source_properties",
            "active_contexts",
        ]),
    ),
    (
        "target",
        Some(&[
            "text",
            "href",
            "selector",
            "tag",
            "id",
            "classes",
            "label",
            "attributes",
            "property_name",
            "parents",
            "callback_name",
            "invisible_to_visible",
            "visible_to_invisible",
            "notification",
        ]),
    ),
    ("device", Some(&[])),
    ("session", Some(&[])),
    (
        "user",
        Some(&[
            "initial_referrer",
            "initial_search_keyword",
            "initial_utm",
            "initial_page",
        ]),
    ),
    ("client", Some(&["ip", "user_agent"])),
];

/// The kinds of event that can carry a top-level field, whatever the protocol. Used to warn
/// about rules whose selectors can never match the kinds they apply to.
pub fn kinds_carrying(root: &str) -> KindSet {
    use Kind::*;
    let kinds: &[Kind] = match root {
        "event" => &[Track, Interaction],
        "properties" => &[Track, Pageview, Interaction],
        "user_properties" => &[UserProperties],
        "account_id" | "account_properties" => &[AccountProperties],
        "idempotency_key" => &[Track],
        "source_properties" => &[Track, Interaction],
        "user" => &[UserProperties],
        "target" => &[Interaction],
        // capture/v2 messages of every kind carry these; a user record is `user_properties`.
        "page" | "pageview_id" | "global_properties" | "message_id" => {
            &[Track, Pageview, Interaction, Session, UserProperties]
        }
        "session" | "session_id" => &[Track, Pageview, Interaction, Session, UserProperties],
        "device" => &[
            Track,
            Identify,
            UserProperties,
            Pageview,
            Interaction,
            Session,
        ],
        _ => return KindSet::ALL,
    };
    KindSet(kinds.iter().fold(0, |acc, k| acc | k.bit()))
}

/// The text form of a scalar, if it has one (strings, numbers, booleans).
///
/// A float with no fraction reads as the integer it is (`4111111111111111.0` and
/// `4.111111111111111e15` are the card number `4111111111111111`), so detectors and `hash` see
/// the same digits however the client encoded the number.
pub fn scalar_text(value: &Value) -> Option<std::borrow::Cow<'_, str>> {
    match value {
        Value::String(s) => Some(std::borrow::Cow::Borrowed(s)),
        Value::Number(n) => Some(std::borrow::Cow::Owned(match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e21 => format!("{f:.0}"),
            _ => n.to_string(),
        })),
        Value::Bool(b) => Some(std::borrow::Cow::Borrowed(if *b {
            "true"
        } else {
            "false"
        })),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_by_exact_name() {
        let mut meta = RequestMeta::default();
        meta.headers.insert(
            http::header::COOKIE,
            "a=1; euconsent-v2=CO; _hp2_id.11=\"x\"".parse().unwrap(),
        );
        assert_eq!(meta.cookie("euconsent-v2"), Some("CO"));
        assert_eq!(meta.cookie("_hp2_id.11"), Some("x"));
        assert_eq!(meta.cookie("euconsent"), None);
    }

    #[test]
    fn kinds_round_trip_their_names() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.as_str()), Some(kind));
            assert!(KindSet::ALL.contains(kind));
        }
    }
}
