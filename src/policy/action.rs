//! What a rule does to a value: remove, mask, replace, hash, tokenize, truncate_ip, generalize,
//! url, drop_event (docs/policy-owners/writing-policies.md).
//!
//! Every transform is total and fails closed: a value an action cannot make sense of (an "IP"
//! that does not parse, a "date" that is not one) is removed rather than forwarded unchanged.
//! Transforms never see the path or the rule; recording what changed is the engine's job.

use std::borrow::Cow;
use std::net::IpAddr;

use serde_json::Value;

use crate::keys::HashKey;
use crate::policy::detect::{self, DateYear};

/// A compiled action.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Removes the field.
    Remove,
    /// Replaces characters with a mask character, keeping some at either end.
    Mask {
        /// Characters kept at the start.
        keep_first: u32,
        /// Characters kept at the end.
        keep_last: u32,
        /// The mask character.
        ch: char,
    },
    /// Replaces the value (or span) with a template (`{detector}`, `{rule}`).
    Replace(String),
    /// Keyed HMAC-SHA256, `h:<key-id>:<base64url>`.
    Hash,
    /// A random token from the token vault.
    Tokenize,
    /// Zeroes the host part of an IP address.
    TruncateIp {
        /// IPv4 prefix bits kept.
        v4: u8,
        /// IPv6 prefix bits kept.
        v6: u8,
    },
    /// Coarsens a date, ZIP or age.
    Generalize(Generalize),
    /// Strips query and/or fragment from URLs.
    Url(UrlAction),
    /// Drops the whole event.
    DropEvent,
}

/// `generalize` methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generalize {
    /// Any date → its year.
    Year,
    /// ZIP → first three digits (`000` for restricted prefixes).
    Zip3,
    /// Ages over 89 → `"90+"`.
    Age90,
}

impl Generalize {
    /// The method names, for suggestions.
    pub const NAMES: &'static [&'static str] = &["year", "zip3", "age_90"];

    /// Parses a method name.
    pub fn parse(name: &str) -> Option<Generalize> {
        match name {
            "year" => Some(Generalize::Year),
            "zip3" => Some(Generalize::Zip3),
            "age_90" => Some(Generalize::Age90),
            _ => None,
        }
    }
}

/// The `url` action's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlAction {
    /// Strip the query (except `keep_params`).
    pub query: bool,
    /// Strip the fragment.
    pub fragment: bool,
    /// Query parameters that survive (exact names).
    pub keep_params: Vec<String>,
}

impl Action {
    /// The action's name in audit records and explain output.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Remove => "remove",
            Action::Mask { .. } => "mask",
            Action::Replace(_) => "replace",
            Action::Hash => "hash",
            Action::Tokenize => "tokenize",
            Action::TruncateIp { .. } => "truncate_ip",
            Action::Generalize(_) => "generalize",
            Action::Url(_) => "url",
            Action::DropEvent => "drop_event",
        }
    }
}

/// What the engine should do with a value after a transform.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Nothing changed.
    Keep,
    /// Replace with this value.
    Set(Value),
    /// Remove the field.
    Remove,
}

/// Inputs a transform may need beyond the value.
pub struct ActionContext<'a> {
    /// The deployment key for `hash`.
    pub key: &'a HashKey,
    /// Restricted three-digit ZIP prefixes (sorted), for `zip3`.
    pub restricted_zip3: &'a [String],
    /// Token source for `tokenize`.
    pub tokens: &'a dyn TokenSource,
    /// A key made for this request alone, for `{ephemeral}` in `replace` (made on first use).
    pub ephemeral: std::sync::OnceLock<HashKey>,
}

/// The placeholders a `replace` template may use.
pub const PLACEHOLDERS: &[&str] = &["detector", "rule", "ephemeral"];

/// Where `tokenize` gets its tokens: the same value always gets the same token.
pub trait TokenSource: Sync {
    /// The token for `value`, creating one if needed.
    fn token(&self, value: &str) -> Result<String, TokenError>;
}

/// The token vault could not answer.
#[derive(Debug, Clone, thiserror::Error)]
#[error("token vault unavailable: {0}")]
pub struct TokenError(pub String);

/// A token source for places that have no vault (policy checks): every call fails, so a
/// `tokenize` rule can never silently pass a value through.
pub struct NoTokens;

impl TokenSource for NoTokens {
    fn token(&self, _value: &str) -> Result<String, TokenError> {
        Err(TokenError("no token vault is configured here".to_owned()))
    }
}

pub use crate::event::scalar_text;

impl Action {
    /// Applies the action to a whole scalar value. `label` fills `{detector}` in templates.
    /// Containers are handled by the engine (which visits their scalars); `remove` and
    /// `drop_event` are handled by the engine too.
    pub fn apply_whole(
        &self,
        value: &Value,
        label: &str,
        rule: &str,
        cx: &ActionContext<'_>,
    ) -> Result<Edit, TokenError> {
        if value.is_null() {
            return Ok(Edit::Keep);
        }
        let Some(text) = scalar_text(value) else {
            return Ok(Edit::Keep);
        };
        Ok(match self {
            Action::Remove | Action::DropEvent => Edit::Remove,
            Action::Mask {
                keep_first,
                keep_last,
                ch,
            } => Edit::Set(Value::String(mask(&text, *keep_first, *keep_last, *ch))),
            Action::Replace(template) => {
                Edit::Set(Value::String(fill(template, label, rule, &text, cx)))
            }
            Action::Hash => Edit::Set(Value::String(cx.key.hash(&text))),
            Action::Tokenize => Edit::Set(Value::String(cx.tokens.token(&text)?)),
            Action::TruncateIp { v4, v6 } => match truncate_ip(text.trim(), *v4, *v6) {
                Some(t) if t == text => Edit::Keep,
                Some(t) => Edit::Set(Value::String(t)),
                None => Edit::Remove,
            },
            Action::Generalize(g) => generalize(*g, value, &text, cx.restricted_zip3),
            // Only URL-looking values: `properties.**` also holds "What? Really?".
            Action::Url(u) if looks_like_url(&text) => match strip_url(&text, u) {
                Cow::Borrowed(_) => Edit::Keep,
                Cow::Owned(s) => Edit::Set(Value::String(s)),
            },
            // A query sent as a field of its own (capture/v2's `page.query`): `a=1&b=2`.
            Action::Url(u) if u.query && is_bare_query(&text) => {
                match strip_url(&format!("?{text}"), u) {
                    Cow::Owned(s) => Edit::Set(Value::String(s.trim_start_matches('?').to_owned())),
                    Cow::Borrowed(_) => Edit::Keep,
                }
            }
            Action::Url(_) => Edit::Keep,
        })
    }

    /// The replacement for one detected span inside a string, or `None` to leave it.
    pub fn apply_span(
        &self,
        span: &str,
        detector: &str,
        rule: &str,
        cx: &ActionContext<'_>,
    ) -> Result<Option<String>, TokenError> {
        Ok(match self {
            Action::Mask {
                keep_first,
                keep_last,
                ch,
            } => Some(mask(span, *keep_first, *keep_last, *ch)),
            Action::Replace(template) => Some(fill(template, detector, rule, span, cx)),
            Action::Hash => Some(cx.key.hash(span)),
            Action::Tokenize => Some(cx.tokens.token(span)?),
            Action::TruncateIp { v4, v6 } => Some(truncate_ip(span, *v4, *v6).unwrap_or_default()),
            Action::Generalize(g) => match generalize(
                *g,
                &Value::String(span.to_owned()),
                span,
                cx.restricted_zip3,
            ) {
                Edit::Keep => None,
                Edit::Set(v) => Some(scalar_text(&v).map(Cow::into_owned).unwrap_or_default()),
                Edit::Remove => Some(String::new()),
            },
            Action::Url(u) => match strip_url(span, u) {
                Cow::Borrowed(_) => None,
                Cow::Owned(s) => Some(s),
            },
            // Handled by the engine: the whole field or event goes.
            Action::Remove | Action::DropEvent => Some(String::new()),
        })
    }
}

/// Masks all but `keep_first` leading and `keep_last` trailing characters. When the value is too
/// short to keep anything hidden, everything is masked.
pub fn mask(text: &str, keep_first: u32, keep_last: u32, ch: char) -> String {
    let len = text.chars().count();
    let (first, last) = (keep_first as usize, keep_last as usize);
    let keep_any = first + last < len;
    text.chars()
        .enumerate()
        .map(|(i, c)| {
            if keep_any && (i < first || i >= len - last) {
                c
            } else {
                ch
            }
        })
        .collect()
}

/// Fills a `replace` template. `{ephemeral}` is 16 hex digits of an HMAC of the value under a
/// key made for this request alone: the same value gives the same code within the request (a
/// bulk request's events of one person stay together) and an unrelated one in every other
/// request, so it is not a persistent identifier.
fn fill(template: &str, detector: &str, rule: &str, value: &str, cx: &ActionContext<'_>) -> String {
    let mut out = template
        .replace("{detector}", detector)
        .replace("{rule}", rule);
    if out.contains("{ephemeral}") {
        let key = cx.ephemeral.get_or_init(HashKey::ephemeral);
        let code = hex::encode(&key.mac(value.as_bytes())[..8]);
        out = out.replace("{ephemeral}", &code);
    }
    out
}

/// Truncates an IP address to a prefix; IPv4-mapped IPv6 addresses use the IPv4 prefix.
/// `None` when the text is not an IP address.
pub fn truncate_ip(text: &str, v4: u8, v6: u8) -> Option<String> {
    let ip: IpAddr = text
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .ok()?;
    Some(match ip {
        IpAddr::V4(a) => {
            let bits = u32::from(a) & prefix_mask32(v4);
            crate::protocol::ip_text(IpAddr::V4(bits.into()))
        }
        IpAddr::V6(a) => {
            if let Some(mapped) = a.to_ipv4_mapped() {
                let bits = u32::from(mapped) & prefix_mask32(v4);
                std::net::Ipv4Addr::from(bits).to_ipv6_mapped().to_string()
            } else {
                let bits = u128::from(a) & prefix_mask128(v6);
                std::net::Ipv6Addr::from(bits).to_string()
            }
        }
    })
}

fn prefix_mask32(bits: u8) -> u32 {
    if bits == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(bits.min(32)))
    }
}

fn prefix_mask128(bits: u8) -> u128 {
    if bits == 0 {
        0
    } else {
        u128::MAX << (128 - u32::from(bits.min(128)))
    }
}

/// True when the value carries a query or fragment the `url` action strips: a `?` or `#`
/// preceded by one word that is a URL, a host and path, a `scheme:` form or nothing (a bare
/// query), or followed by `name=value`. Absolute, scheme-less (`example.com/p?q`),
/// protocol-relative and path-only URLs all count, whatever follows the `?` (clients do send
/// unencoded spaces); free text such as "What? Really?" or "issue #12" does not.
pub fn looks_like_url(text: &str) -> bool {
    let t = text.trim_start();
    let Some(i) = t.find(['?', '#']) else {
        return false;
    };
    let (before, after) = (&t[..i], &t[i + 1..]);
    if before.contains(char::is_whitespace) {
        return false;
    }
    let first_param = after.split(['&', ';']).next().unwrap_or("");
    before.contains(['/', '.', ':'])
        || (first_param.contains('=') && !first_param.contains(char::is_whitespace))
}

/// True for a query string without its `?`: `name=value` pairs joined by `&`, no spaces.
pub fn is_bare_query(text: &str) -> bool {
    !text.is_empty()
        && !text.contains(char::is_whitespace)
        && !text.contains(['?', '#', '/'])
        && text
            .split('&')
            .all(|pair| pair.contains('=') || pair.is_empty())
}

/// Strips query and fragment from a URL-like string, keeping listed parameters. Returns the input
/// borrowed when nothing changes. Kept parameters keep their original encoding and order.
pub fn strip_url<'a>(text: &'a str, u: &UrlAction) -> Cow<'a, str> {
    let (before_fragment, fragment) = match text.find('#') {
        Some(i) => (&text[..i], Some(&text[i..])),
        None => (text, None),
    };
    let (base, query) = match before_fragment.find('?') {
        Some(i) => (&before_fragment[..i], Some(&before_fragment[i + 1..])),
        None => (before_fragment, None),
    };
    let kept_query: Option<Cow<'a, str>> = match query {
        Some(q) if u.query => {
            let kept: Vec<&str> = q
                .split('&')
                .filter(|pair| {
                    let name = pair.split('=').next().unwrap_or("");
                    let name = percent_encoding::percent_decode_str(name).decode_utf8_lossy();
                    u.keep_params.iter().any(|k| *k == name)
                })
                .collect();
            if kept.is_empty() {
                None
            } else {
                Some(Cow::Owned(kept.join("&")))
            }
        }
        Some(q) => Some(Cow::Borrowed(q)),
        None => None,
    };
    let kept_fragment = if u.fragment { None } else { fragment };
    let unchanged = kept_query.as_deref() == query && kept_fragment == fragment;
    if unchanged {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    out.push_str(base);
    if let Some(q) = kept_query {
        out.push('?');
        out.push_str(&q);
    }
    if let Some(f) = kept_fragment {
        out.push_str(f);
    }
    Cow::Owned(out)
}

fn generalize(g: Generalize, value: &Value, text: &str, restricted: &[String]) -> Edit {
    match g {
        Generalize::Year => match year_of(value, text) {
            Some(year) if value.is_number() => {
                if value.as_i64() == Some(i64::from(year)) {
                    Edit::Keep
                } else {
                    Edit::Set(Value::from(year))
                }
            }
            Some(year) => {
                let y = year.to_string();
                if y == text {
                    Edit::Keep
                } else {
                    Edit::Set(Value::String(y))
                }
            }
            None => Edit::Remove,
        },
        Generalize::Zip3 => match zip3(value, text) {
            Some(prefix) => {
                let out = if restricted.binary_search(&prefix).is_ok() {
                    "000".to_owned()
                } else {
                    prefix
                };
                Edit::Set(Value::String(out))
            }
            None => Edit::Remove,
        },
        Generalize::Age90 => match value.as_f64().or_else(|| text.trim().parse::<f64>().ok()) {
            Some(age) if age.is_finite() && age > 89.0 => {
                Edit::Set(Value::String("90+".to_owned()))
            }
            Some(age) if age.is_finite() && age >= 0.0 => Edit::Keep,
            _ if text.trim() == "90+" => Edit::Keep,
            _ => Edit::Remove,
        },
    }
}

/// The year of a date, datetime, bare year or epoch timestamp (seconds or milliseconds).
pub fn year_of(value: &Value, text: &str) -> Option<i32> {
    if let Some(n) = value.as_i64() {
        return if (1000..=9999).contains(&n) {
            Some(n as i32)
        } else {
            epoch_year(n)
        };
    }
    let t = text.trim();
    if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
        return t.parse().ok();
    }
    if t.len() >= 10 && t.bytes().all(|b| b.is_ascii_digit()) {
        return t.parse::<i64>().ok().and_then(epoch_year);
    }
    // Everything else: the date grammar of the `date_of_birth` detector, so that every date it
    // finds can be generalized (`02.11.1958`, `2 novembre 1958`, `19581102`). Dates that do not
    // exist (`2024-02-30`) or carry no four-digit year (`04/01`, `01-04-90`) have no year: the
    // value is removed (fails closed).
    match detect::date_year(t)? {
        DateYear::Year(y) => i32::try_from(y).ok(),
        DateYear::Epoch(n) => epoch_year(n),
        DateYear::Unknown => None,
    }
}

/// Parses a calendar date from the forms people and SDKs send: ISO `1984-03-02` (with or
/// without a time), `1984/03/02`, `03/02/1984` (US order unless the first part is over 12),
/// `02.03.1984`, `March 2, 1984`, `2 March 1984`, and epoch seconds or milliseconds.
pub fn parse_date(text: &str) -> Option<time::Date> {
    let t = text.trim();
    if t.len() >= 10 && t.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = t.parse().ok()?;
        let secs = if n >= 100_000_000_000 { n / 1000 } else { n };
        return time::OffsetDateTime::from_unix_timestamp(secs)
            .ok()
            .map(|d| d.date());
    }
    let parts: Vec<&str> = t
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .take(3)
        .collect();
    if parts.len() < 3 {
        return None;
    }
    // A day may run into a time (`30T12`): read its leading digits.
    let num = |s: &str| {
        let digits = &s[..s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len())];
        (!digits.is_empty() && digits.len() <= 4)
            .then(|| digits.parse::<u32>().ok())
            .flatten()
    };
    let month_name = |s: &str| {
        let l = s.to_ascii_lowercase();
        MONTHS
            .iter()
            .position(|m| l.starts_with(m))
            .map(|i| i as u32 + 1)
    };
    let is_year = |s: &str| s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit());
    let (y, m, d) = if is_year(parts[0]) {
        (
            num(parts[0])?,
            num(parts[1]).or_else(|| month_name(parts[1]))?,
            num(parts[2])?,
        )
    } else if is_year(parts[2]) {
        let year = num(parts[2])?;
        match (
            num(parts[0]),
            num(parts[1]),
            month_name(parts[0]),
            month_name(parts[1]),
        ) {
            (_, Some(day), Some(month), _) => (year, month, day),
            (Some(day), _, _, Some(month)) => (year, month, day),
            (Some(a), Some(b), _, _) if a > 12 => (year, b, a),
            (Some(a), Some(b), _, _) if t.contains('.') => (year, b, a),
            (Some(a), Some(b), _, _) => (year, a, b),
            _ => return None,
        }
    } else {
        return None;
    };
    let month = time::Month::try_from(u8::try_from(m).ok()?).ok()?;
    time::Date::from_calendar_date(i32::try_from(y).ok()?, month, u8::try_from(d).ok()?).ok()
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn epoch_year(n: i64) -> Option<i32> {
    // Ten digits and more: seconds up to 2286, then milliseconds.
    let secs = if n.abs() >= 100_000_000_000 {
        n / 1000
    } else {
        n
    };
    time::OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .map(|t| t.year())
}

/// The first three digits of a 5- or 9-digit ZIP (string or number; leading zeros restored).
pub fn zip3(value: &Value, text: &str) -> Option<String> {
    let digits: String = if let Some(n) = value.as_u64() {
        let s = n.to_string();
        match s.len() {
            1..=5 => format!("{n:05}"),
            6..=9 => format!("{n:09}"),
            _ => return None,
        }
    } else {
        let t = text.trim();
        let ok = match t.len() {
            5 | 9 => t.bytes().all(|b| b.is_ascii_digit()),
            10 => {
                t.as_bytes()[5] == b'-'
                    && t.bytes()
                        .enumerate()
                        .all(|(i, b)| i == 5 || b.is_ascii_digit())
            }
            _ => false,
        };
        if !ok {
            return None;
        }
        t.to_owned()
    };
    Some(digits[..3].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cx_with<'a>(key: &'a HashKey, zips: &'a [String]) -> ActionContext<'a> {
        ActionContext {
            key,
            restricted_zip3: zips,
            tokens: &NoTokens,
            ephemeral: Default::default(),
        }
    }

    fn key() -> HashKey {
        HashKey::from_bytes(&[1u8; 32], "test").unwrap()
    }

    #[test]
    fn mask_keeps_ends_only_when_something_stays_hidden() {
        assert_eq!(mask("4111111111111111", 0, 4, '*'), "************1111");
        assert_eq!(mask("a@b.co", 0, 0, '*'), "******");
        assert_eq!(mask("1234", 0, 4, '*'), "****");
        assert_eq!(mask("jane", 1, 0, '#'), "j###");
    }

    #[test]
    fn truncate_ip_zeroes_host_bits() {
        assert_eq!(truncate_ip("203.0.113.77", 24, 48).unwrap(), "203.0.113.0");
        assert_eq!(truncate_ip("203.0.113.77", 16, 48).unwrap(), "203.0.0.0");
        assert_eq!(
            truncate_ip("2001:db8:abcd:12:1::5", 24, 48).unwrap(),
            "2001:db8:abcd::"
        );
        assert_eq!(
            truncate_ip("::ffff:198.51.100.9", 24, 48).unwrap(),
            "::ffff:198.51.100.0"
        );
        assert_eq!(truncate_ip("not an ip", 24, 48), None);
    }

    #[test]
    fn truncate_ip_removes_values_that_are_not_ips() {
        let k = key();
        let cx = cx_with(&k, &[]);
        let a = Action::TruncateIp { v4: 24, v6: 48 };
        assert_eq!(
            a.apply_whole(&json!("localhost"), "", "r", &cx).unwrap(),
            Edit::Remove
        );
        assert_eq!(
            a.apply_whole(&json!("10.0.0.0"), "", "r", &cx).unwrap(),
            Edit::Keep
        );
    }

    #[test]
    fn integral_floats_read_as_their_digits() {
        let text = |v: Value| scalar_text(&v).unwrap().into_owned();
        assert_eq!(
            text(serde_json::json!(4111111111111111.0)),
            "4111111111111111"
        );
        assert_eq!(
            text(serde_json::json!(4.111111111111111e15)),
            "4111111111111111"
        );
        assert_eq!(text(serde_json::json!(4155550123u64)), "4155550123");
        assert_eq!(text(serde_json::json!(129.9)), "129.9");
        assert_eq!(text(serde_json::json!(-2.0)), "-2");
    }

    #[test]
    fn url_strips_query_and_fragment_but_keeps_listed_params() {
        let u = UrlAction {
            query: true,
            fragment: true,
            keep_params: vec!["utm_source".into(), "utm_medium".into()],
        };
        assert_eq!(
            strip_url(
                "https://x.io/p?email=a%40b.co&utm_source=nl&utm_medium=mail#frag",
                &u
            ),
            "https://x.io/p?utm_source=nl&utm_medium=mail"
        );
        assert_eq!(
            strip_url("https://x.io/p?email=a%40b.co", &u),
            "https://x.io/p"
        );
        assert!(matches!(strip_url("https://x.io/p", &u), Cow::Borrowed(_)));
        assert!(looks_like_url("https://x.io/p?q=1") && looks_like_url("/checkout?step=2"));
        assert!(!looks_like_url("What? Really?") && !looks_like_url("see https://x.io later"));
        // Values clients really send: no scheme, spaces in the query, bare queries, mailto.
        for url in [
            "example.com/reset?email=jane@x.com&token=abc",
            "https://a.example/p?token=abc with space",
            "?token=abc",
            "mailto:j@x.com?subject=hi",
            "//cdn.example/x.js#user=7",
        ] {
            assert!(looks_like_url(url), "{url}");
        }
        for text in [
            "issue #12",
            "C#",
            "#hashtag",
            "Is it 3.30? Okay",
            "see you? ok=fine",
        ] {
            assert!(!looks_like_url(text), "{text}");
        }
        assert!(is_bare_query(
            "patient=John+Doe&visit=2026-12-03&sid=s3cr3t"
        ));
        assert!(is_bare_query("utm_source=nl"));
        for text in ["a = b", "total", "x/y=1", "=?"] {
            assert!(!is_bare_query(text), "{text}");
        }
        let only_fragment = UrlAction {
            query: false,
            fragment: true,
            keep_params: vec![],
        };
        assert_eq!(strip_url("/a?b=1#c", &only_fragment), "/a?b=1");
    }

    #[test]
    fn generalize_year_zip3_and_age() {
        let k = key();
        let zips = vec!["036".to_owned(), "102".to_owned()];
        let cx = cx_with(&k, &zips);
        let year = Action::Generalize(Generalize::Year);
        for (input, want) in [
            (json!("1984-03-02"), json!("1984")),
            (json!("1984-03-02T10:00:00Z"), json!("1984")),
            (json!("03/02/1984"), json!("1984")),
            (json!("2.3.1984"), json!("1984")),
            (json!("March 2, 1984"), json!("1984")),
            (json!(446_947_200), json!(1984)),
            // Every form the date_of_birth detector finds (one grammar for both).
            (json!("02.11.1958"), json!("1958")),
            (json!("2.11.1958"), json!("1958")),
            (json!("2. November 1958"), json!("1958")),
            (json!("2 novembre 1958"), json!("1958")),
            (json!("2 de noviembre de 1958"), json!("1958")),
            (json!("19581102"), json!("1958")),
            (json!("1958/11/02"), json!("1958")),
            (
                json!("Sun Nov 02 1958 00:00:00 GMT+0100 (CET)"),
                json!("1958"),
            ),
            (json!("-352252800"), json!("1958")),
        ] {
            assert_eq!(
                year.apply_whole(&input, "", "r", &cx).unwrap(),
                Edit::Set(want),
                "{input}"
            );
        }
        for not_a_date in [
            "soon",
            "2024-02-30",
            "31.02.1990",
            "13/13/2020",
            "04/01",
            "01-04-90",
            "1958-11-02 and more",
        ] {
            assert_eq!(
                year.apply_whole(&json!(not_a_date), "", "r", &cx).unwrap(),
                Edit::Remove,
                "{not_a_date}"
            );
        }
        let zip = Action::Generalize(Generalize::Zip3);
        assert_eq!(
            zip.apply_whole(&json!(2134), "", "r", &cx).unwrap(),
            Edit::Set(json!("021"))
        );
        assert_eq!(
            zip.apply_whole(&json!("10210-1234"), "", "r", &cx).unwrap(),
            Edit::Set(json!("000"))
        );
        assert_eq!(
            zip.apply_whole(&json!("03601"), "", "r", &cx).unwrap(),
            Edit::Set(json!("000"))
        );
        assert_eq!(
            zip.apply_whole(&json!("ABC"), "", "r", &cx).unwrap(),
            Edit::Remove
        );
        let age = Action::Generalize(Generalize::Age90);
        assert_eq!(
            age.apply_whole(&json!(93), "", "r", &cx).unwrap(),
            Edit::Set(json!("90+"))
        );
        assert_eq!(
            age.apply_whole(&json!("89"), "", "r", &cx).unwrap(),
            Edit::Keep
        );
    }

    #[test]
    fn dates_in_common_forms() {
        let d = |y, m, day| {
            time::Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), day).unwrap()
        };
        assert_eq!(parse_date("2015-06-30"), Some(d(2015, 6, 30)));
        assert_eq!(parse_date("2015-06-30T12:00:00Z"), Some(d(2015, 6, 30)));
        assert_eq!(parse_date("06/30/2015"), Some(d(2015, 6, 30)));
        assert_eq!(parse_date("30/06/2015"), Some(d(2015, 6, 30)));
        assert_eq!(parse_date("30.06.2015"), Some(d(2015, 6, 30)));
        assert_eq!(parse_date("June 30, 2015"), Some(d(2015, 6, 30)));
        assert_eq!(parse_date("30 June 2015"), Some(d(2015, 6, 30)));
        assert_eq!(parse_date("1435622400"), Some(d(2015, 6, 30)));
        assert_eq!(parse_date("2015-02-30"), None);
        assert_eq!(parse_date("soon"), None);
    }

    #[test]
    fn tokenize_without_a_vault_fails_instead_of_passing_the_value() {
        let k = key();
        let cx = cx_with(&k, &[]);
        assert!(
            Action::Tokenize
                .apply_whole(&json!("a@b.co"), "", "r", &cx)
                .is_err()
        );
    }

    #[test]
    fn replace_fills_placeholders() {
        let k = key();
        let cx = cx_with(&k, &[]);
        let a = Action::Replace("[{detector} by {rule}]".into());
        assert_eq!(
            a.apply_span("a@b.co", "email", "pii", &cx)
                .unwrap()
                .unwrap(),
            "[email by pii]"
        );
    }
}
