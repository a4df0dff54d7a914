//! The request headers an operator may have privgate pass to the collector (`forward_headers`).
//!
//! Only headers that carry no personal data and cannot change how the request is framed are
//! eligible: distributed-tracing ids. Each has a strict value format, checked on every request;
//! a value that does not match is not forwarded, so a client cannot smuggle text through a
//! listed header. Headers the policies edit (`User-Agent`, `X-Forwarded-For`), the ones
//! privgate writes itself (`Content-Type`, `X-Request-Id`, `X-Heap-Env-Id`) and framing headers
//! (`Content-Length`, `Content-Encoding`, `Transfer-Encoding`, ...) can never be listed, so no
//! second copy of an edited header and no body that disagrees with its framing goes upstream.
//!
//! This module does not read the config file or send anything; it names what is allowed.

use http::{HeaderMap, HeaderName, HeaderValue};

/// A header `forward_headers` may list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForwardHeader {
    /// The header name, lower-case.
    pub name: &'static str,
    /// What it is, for error messages and the README.
    pub about: &'static str,
    format: Format,
}

/// The value formats of the eligible headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// W3C Trace Context `traceparent`: `vv-<32 hex>-<16 hex>-ff`.
    Traceparent,
    /// Zipkin B3 single header: `<16|32 hex>-<16 hex>[-<0|1|d>[-<16 hex>]]`, or a lone `0`, `1`
    /// or `d`.
    B3Single,
    /// 16 or 32 lower-case hex digits.
    Hex16Or32,
    /// 16 lower-case hex digits.
    Hex16,
    /// `0`, `1`, `true` or `false`.
    Flag,
    /// Google Cloud `X-Cloud-Trace-Context`: `<32 hex>[/<decimal>][;o=<0|1>]`.
    CloudTrace,
    /// AWS X-Ray `X-Amzn-Trace-Id`: `Root=1-<8 hex>-<24 hex>[;Parent=<16 hex>][;Sampled=<0|1|?>]`.
    AmznTrace,
    /// Sentry `sentry-trace`: `<32 hex>-<16 hex>[-<0|1>]`.
    SentryTrace,
    /// An unsigned decimal of 1 to 20 digits (Datadog ids).
    Decimal,
    /// A small signed integer, -1 to 2 (Datadog sampling priority).
    Priority,
}

/// Every header `forward_headers` may list.
pub const ELIGIBLE: &[ForwardHeader] = &[
    header("traceparent", "W3C Trace Context", Format::Traceparent),
    header("b3", "Zipkin B3 (single header)", Format::B3Single),
    header("x-b3-traceid", "Zipkin B3 trace id", Format::Hex16Or32),
    header("x-b3-spanid", "Zipkin B3 span id", Format::Hex16),
    header(
        "x-b3-parentspanid",
        "Zipkin B3 parent span id",
        Format::Hex16,
    ),
    header("x-b3-sampled", "Zipkin B3 sampling decision", Format::Flag),
    header("x-b3-flags", "Zipkin B3 debug flag", Format::Flag),
    header(
        "x-cloud-trace-context",
        "Google Cloud trace context",
        Format::CloudTrace,
    ),
    header("x-amzn-trace-id", "AWS X-Ray trace id", Format::AmznTrace),
    header("sentry-trace", "Sentry trace id", Format::SentryTrace),
    header("x-datadog-trace-id", "Datadog trace id", Format::Decimal),
    header("x-datadog-parent-id", "Datadog parent id", Format::Decimal),
    header(
        "x-datadog-sampling-priority",
        "Datadog sampling priority",
        Format::Priority,
    ),
];

const fn header(name: &'static str, about: &'static str, format: Format) -> ForwardHeader {
    ForwardHeader {
        name,
        about,
        format,
    }
}

/// Why a header cannot be listed in `forward_headers`.
pub fn refusal(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    if ELIGIBLE.iter().any(|h| h.name == lower) {
        return None;
    }
    let why = match lower.as_str() {
        "user-agent" | "x-forwarded-for" => {
            "the policies edit it (`client.user_agent`, `client.ip`) and privgate sends the \
             edited value; a second, raw copy would go around them"
        }
        "content-type" | "x-request-id" | "x-heap-env-id" => {
            "privgate writes it itself for the request it forwards"
        }
        "content-length" | "content-encoding" | "transfer-encoding" | "connection" | "te"
        | "trailer" | "upgrade" | "keep-alive" | "expect" | "host" | "proxy-connection" => {
            "it frames or routes the request, and privgate re-encodes the body"
        }
        "cookie" | "authorization" | "proxy-authorization" => "it carries credentials",
        _ => {
            "only tracing headers with a fixed id format can be forwarded, because any other \
              header may carry personal data that no policy sees"
        }
    };
    let names: Vec<&str> = ELIGIBLE.iter().map(|h| h.name).collect();
    Some(format!(
        "`{name}` cannot be forwarded: {why}. Headers that can: {}",
        names.join(", ")
    ))
}

/// The listed headers of a request whose values have their header's format: at most one value
/// each (a repeated tracing header is ambiguous, so it is not forwarded).
pub fn select(headers: &HeaderMap, listed: &[HeaderName]) -> HeaderMap {
    let mut out = HeaderMap::new();
    for name in listed {
        let Some(eligible) = ELIGIBLE.iter().find(|h| h.name == name.as_str()) else {
            continue;
        };
        let mut values = headers.get_all(name).iter();
        let (Some(value), None) = (values.next(), values.next()) else {
            continue;
        };
        if value.to_str().is_ok_and(|v| eligible.format.accepts(v)) {
            out.insert(name.clone(), HeaderValue::clone(value));
        }
    }
    out
}

fn hex(s: &str, len: usize) -> bool {
    s.len() == len
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn decimal(s: &str, max: usize) -> bool {
    !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())
}

impl Format {
    fn accepts(self, v: &str) -> bool {
        match self {
            Format::Traceparent => {
                let parts: Vec<&str> = v.split('-').collect();
                matches!(parts.as_slice(), [ver, trace, span, flags]
                    if hex(ver, 2) && *ver != "ff" && hex(trace, 32) && hex(span, 16) && hex(flags, 2))
            }
            Format::B3Single => {
                if matches!(v, "0" | "1" | "d") {
                    return true;
                }
                let parts: Vec<&str> = v.split('-').collect();
                let ids = |t: &str, s: &str| (hex(t, 16) || hex(t, 32)) && hex(s, 16);
                match parts.as_slice() {
                    [t, s] => ids(t, s),
                    [t, s, f] => ids(t, s) && matches!(*f, "0" | "1" | "d"),
                    [t, s, f, p] => ids(t, s) && matches!(*f, "0" | "1" | "d") && hex(p, 16),
                    _ => false,
                }
            }
            Format::Hex16Or32 => hex(v, 16) || hex(v, 32),
            Format::Hex16 => hex(v, 16),
            Format::Flag => matches!(v, "0" | "1" | "true" | "false"),
            Format::CloudTrace => {
                let (rest, option) = match v.split_once(";o=") {
                    Some((r, o)) => (r, Some(o)),
                    None => (v, None),
                };
                let ids_ok = match rest.split_once('/') {
                    Some((trace, span)) => hex(trace, 32) && decimal(span, 20),
                    None => hex(rest, 32),
                };
                ids_ok && option.is_none_or(|o| matches!(o, "0" | "1"))
            }
            Format::AmznTrace => {
                let mut fields = v.split(';');
                let root = fields.next().and_then(|f| f.strip_prefix("Root=1-"));
                let root_ok = root
                    .and_then(|r| r.split_once('-'))
                    .is_some_and(|(time, id)| hex(time, 8) && hex(id, 24));
                root_ok
                    && fields.all(|f| match f.split_once('=') {
                        Some(("Parent", p)) => hex(p, 16),
                        Some(("Sampled", s)) => matches!(s, "0" | "1" | "?"),
                        _ => false,
                    })
            }
            Format::SentryTrace => {
                let parts: Vec<&str> = v.split('-').collect();
                match parts.as_slice() {
                    [t, s] => hex(t, 32) && hex(s, 16),
                    [t, s, f] => hex(t, 32) && hex(s, 16) && matches!(*f, "0" | "1"),
                    _ => false,
                }
            }
            Format::Decimal => decimal(v, 20),
            Format::Priority => matches!(v, "-1" | "0" | "1" | "2"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(name: &str, value: &str) -> Option<String> {
        let mut headers = HeaderMap::new();
        headers.insert(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            value.parse().unwrap(),
        );
        let listed = [HeaderName::from_bytes(name.as_bytes()).unwrap()];
        select(&headers, &listed)
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    }

    #[test]
    fn well_formed_tracing_ids_pass_and_anything_else_stays_behind() {
        for (name, good) in [
            (
                "traceparent",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            ),
            ("b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1"),
            ("b3", "d"),
            ("x-b3-traceid", "463ac35c9f6413ad48485a3953bb6124"),
            ("x-b3-spanid", "a2fb4a1d1a96d312"),
            ("x-b3-sampled", "1"),
            (
                "x-cloud-trace-context",
                "105445aa7843bc8bf206b12000100000/1;o=1",
            ),
            (
                "x-amzn-trace-id",
                "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
            ),
            (
                "sentry-trace",
                "771a43a4192642f0b136d5159a501700-0123456789abcdef-1",
            ),
            ("x-datadog-trace-id", "7352491930274961328"),
            ("x-datadog-sampling-priority", "-1"),
        ] {
            assert_eq!(one(name, good).as_deref(), Some(good), "{name}: {good}");
        }
        for (name, bad) in [
            (
                "traceparent",
                "00-jane@example.com-00f067aa0ba902b7-01-extra",
            ),
            (
                "traceparent",
                "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            ),
            ("b3", "jane.doe"),
            ("x-b3-traceid", "jane"),
            (
                "x-amzn-trace-id",
                "Root=1-5759e988-bd862e3fe1be46a994272793;Email=jane",
            ),
            (
                "x-cloud-trace-context",
                "105445aa7843bc8bf206b12000100000/1;o=jane",
            ),
            ("x-datadog-trace-id", "+1 555 0100"),
        ] {
            assert_eq!(one(name, bad), None, "{name}: {bad}");
        }
    }

    #[test]
    fn a_repeated_header_is_not_forwarded() {
        let mut headers = HeaderMap::new();
        let name = HeaderName::from_static("x-b3-sampled");
        headers.append(&name, "1".parse().unwrap());
        headers.append(&name, "0".parse().unwrap());
        assert!(select(&headers, &[name]).is_empty());
    }

    #[test]
    fn edited_framing_and_free_text_headers_cannot_be_listed() {
        for name in [
            "User-Agent",
            "x-forwarded-for",
            "content-length",
            "content-encoding",
            "transfer-encoding",
            "cookie",
            "x-heap-env-id",
            "accept-language",
            "tracestate",
            "baggage",
            "referer",
        ] {
            assert!(refusal(name).is_some(), "{name}");
        }
        assert!(refusal("traceparent").is_none());
        assert!(refusal("X-B3-TraceId").is_none());
        assert!(
            refusal("user-agent")
                .unwrap()
                .contains("the policies edit it")
        );
    }
}
