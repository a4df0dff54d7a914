//! Policy tests (docs/policy-owners/policy-tests.md): YAML files of requests and what must come out of them.
//!
//! Each case runs through [`crate::pipeline::process`] — the code `serve` runs — with a fixed
//! test key, so a passing case proves what the proxy does. Expectations: `forwarded` (a subset of
//! what the collector would receive), `missing` (paths that must not be there), `absent`
//! (strings that must not appear anywhere upstream), `changes` (rule / action / path / detector),
//! `dropped` (nothing forwarded, or which events), and `rejected` (bad input, with its status).

use std::fmt::Write as _;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue};
use serde_json::Value;

use crate::diag::{Loc, Report, Source};
use crate::keys::HashKey;
use crate::pipeline::{self, ProcessError, Processed};
use crate::policy::{self, PolicySet};
use crate::protocol::{self, DecodeLimits, RawRequest};
use crate::subjects::{Change, IdKind, Registry, SubjectKey};
use crate::vault::Vault;
use crate::yaml::{self, Diags, MapReader, Node, Value as Y, expect_str, expect_str_list};

/// The key policy tests hash with: fixed, so expected outputs are stable. Never a deployment key.
pub const TEST_KEY: [u8; 32] = *b"privgate policy tests, not a key";

/// A test file, read and checked.
pub struct TestFile {
    /// The file.
    pub source: Source,
    /// Policies under test, as `--policy` arguments (files resolved against the test's folder).
    pub policies: Vec<String>,
    /// The cases.
    pub cases: Vec<Case>,
}

/// One case.
pub struct Case {
    /// What it shows.
    pub name: String,
    /// Where it starts.
    pub loc: Loc,
    /// State before the request: registry entries and earlier requests.
    pub given: Given,
    /// The request.
    pub request: TestRequest,
    /// What must happen.
    pub expect: Expect,
}

/// The state a case starts from.
#[derive(Default)]
pub struct Given {
    /// Subjects opted out in the registry.
    pub opted_out: Vec<(IdKind, String)>,
    /// Subjects known to be children.
    pub children: Vec<(IdKind, String)>,
    /// Requests sent first (their effects on the registry and vault count).
    pub requests: Vec<TestRequest>,
}

/// A request in a case.
pub struct TestRequest {
    /// Method (default: the route's first).
    pub method: Option<http::Method>,
    /// Path, with an optional `?query`.
    pub path: String,
    /// Headers.
    pub headers: Vec<(String, String)>,
    /// Body: JSON from a mapping or list (for capture/v2 routes, the message's JSON form, sent
    /// as protobuf), raw text from a string.
    pub body: Option<Body>,
    /// The client's address, as the proxy would see it.
    pub client_ip: Option<IpAddr>,
}

/// A request body.
pub enum Body {
    /// Sent as JSON.
    Json(Value),
    /// Sent as written.
    Text(String),
    /// Sent as these bytes: a capture/v2 message encoded from its JSON form.
    Bytes(Vec<u8>),
}

/// What a case expects.
pub enum Expect {
    /// Every event dropped, nothing forwarded.
    Dropped,
    /// Refused as bad input, optionally with this status.
    Rejected(Option<u16>),
    /// Forwarded, with these properties.
    Forwarded(Forwarded),
}

/// Expectations about a forwarded request.
#[derive(Default)]
pub struct Forwarded {
    /// Must be contained in what is forwarded.
    pub forwarded: Option<Value>,
    /// Dotted paths that must not exist in what is forwarded.
    pub missing: Vec<String>,
    /// Strings that must not appear anywhere upstream (body, path, headers).
    pub absent: Vec<String>,
    /// Changes that must have been made.
    pub changes: Vec<ExpectedChange>,
    /// Indexes of events that must have been dropped.
    pub dropped_events: Option<Vec<usize>>,
    /// Headers that must be sent upstream with these values (`null`: not sent).
    pub headers: Vec<(String, Option<String>)>,
}

/// A change that must appear; unset parts match anything.
#[derive(Debug)]
pub struct ExpectedChange {
    /// Policy name.
    pub policy: Option<String>,
    /// Rule id.
    pub rule: Option<String>,
    /// Action.
    pub action: Option<String>,
    /// Path inside the event (`properties.text`), or `events[i].path`.
    pub path: Option<String>,
    /// Detector.
    pub detector: Option<String>,
    /// What made the detector's findings (`checksum`, `context`, `key`, ...).
    pub evidence: Option<String>,
    /// True for shadow-only changes.
    pub shadow: Option<bool>,
}

/// Reads a test file; every mistake is reported with its location.
pub fn read(path: &Path) -> Result<TestFile, Report> {
    let text = std::fs::read_to_string(path).map_err(|e| Report {
        source: Source::new(path.display().to_string(), ""),
        diagnostics: vec![crate::diag::Diagnostic::error(Loc::UNKNOWN, e.to_string())],
    })?;
    let source = Source::new(path.display().to_string(), text);
    let base = path.parent().map(Path::to_owned).unwrap_or_default();
    let mut diags = Diags::default();
    let file = match yaml::parse(&source.text) {
        Ok(root) => read_file(&root, &base, &mut diags),
        Err(e) => {
            diags.push(e);
            None
        }
    };
    match file {
        Some((policies, cases)) if diags.0.is_empty() => Ok(TestFile {
            source,
            policies,
            cases,
        }),
        _ => Err(Report {
            source,
            diagnostics: diags.0,
        }),
    }
}

fn read_file(root: &Node, base: &Path, diags: &mut Diags) -> Option<(Vec<String>, Vec<Case>)> {
    let map = MapReader::new(root, "a policy test file", &["policies", "cases"], diags)?;
    let policies: Vec<String> =
        expect_str_list(map.required("policies", diags)?, "`policies`", diags)
            .into_iter()
            .map(|(p, _)| {
                if policy::is_file_ref(p) && !Path::new(p).is_absolute() {
                    base.join(p.trim_start_matches("./")).display().to_string()
                } else {
                    p.to_owned()
                }
            })
            .collect();
    let cases_node = map.required("cases", diags)?;
    let Y::Seq(items) = &cases_node.value else {
        diags.wrong_type(cases_node, "`cases`", "a list of cases");
        return None;
    };
    let cases = items.iter().filter_map(|c| read_case(c, diags)).collect();
    Some((policies, cases))
}

fn read_case(node: &Node, diags: &mut Diags) -> Option<Case> {
    let map = MapReader::new(
        node,
        "a test case",
        &["name", "given", "request", "expect"],
        diags,
    )?;
    let name = map.required_str("name", diags).map(str::to_owned);
    let given = map
        .get("given")
        .map(|g| read_given(g, diags))
        .unwrap_or_default();
    let request = map
        .required("request", diags)
        .and_then(|r| read_request(r, diags));
    let expect = map
        .required("expect", diags)
        .and_then(|e| read_expect(e, diags));
    Some(Case {
        name: name?,
        loc: node.loc,
        given,
        request: request?,
        expect: expect?,
    })
}

fn read_given(node: &Node, diags: &mut Diags) -> Given {
    let mut given = Given::default();
    let Some(map) = MapReader::new(
        node,
        "`given`",
        &["opted_out", "children", "requests"],
        diags,
    ) else {
        return given;
    };
    for (key, out) in [
        ("opted_out", &mut given.opted_out),
        ("children", &mut given.children),
    ] {
        let Some(n) = map.get(key) else { continue };
        let Y::Seq(items) = &n.value else {
            diags.wrong_type(
                n,
                &format!("`{key}`"),
                "a list of `{identity: ...}` or `{user_id: ...}`",
            );
            continue;
        };
        for item in items {
            let Some(m) = MapReader::new(item, "a subject", &["identity", "user_id"], diags) else {
                continue;
            };
            for (name, kind) in [("identity", IdKind::Identity), ("user_id", IdKind::UserId)] {
                if let Some(v) = m.get(name) {
                    match &v.value {
                        Y::Str(s) => out.push((kind, s.clone())),
                        Y::Int(i) => out.push((kind, i.to_string())),
                        _ => diags.wrong_type(v, &format!("`{name}`"), "a string"),
                    }
                }
            }
        }
    }
    if let Some(n) = map.get("requests") {
        match &n.value {
            Y::Seq(items) => {
                given.requests = items
                    .iter()
                    .filter_map(|r| read_request(r, diags))
                    .collect()
            }
            _ => diags.wrong_type(n, "`requests`", "a list of requests"),
        }
    }
    given
}

fn read_request(node: &Node, diags: &mut Diags) -> Option<TestRequest> {
    let map = MapReader::new(
        node,
        "a test request",
        &["method", "path", "headers", "body", "client_ip"],
        diags,
    )?;
    let method = match map.get("method") {
        Some(n) => match expect_str(n, "`method`", diags).map(|m| m.parse::<http::Method>()) {
            Some(Ok(m)) => Some(m),
            Some(Err(_)) => {
                diags.error(n.loc, "`method` is not an HTTP method");
                None
            }
            None => None,
        },
        None => None,
    };
    let path = map.required_str("path", diags)?.to_owned();
    let mut headers = Vec::new();
    if let Some(h) = map.get("headers") {
        match &h.value {
            Y::Map(entries) => {
                for (k, v) in entries {
                    let value = match &v.value {
                        Y::Str(s) => s.clone(),
                        Y::Int(i) => i.to_string(),
                        Y::Bool(b) => b.to_string(),
                        _ => {
                            diags.wrong_type(v, "a header value", "a string");
                            continue;
                        }
                    };
                    if HeaderName::from_bytes(k.name.as_bytes()).is_err() {
                        diags.error(k.loc, format!("`{}` is not a header name", k.name));
                    }
                    headers.push((k.name.clone(), value));
                }
            }
            _ => diags.wrong_type(h, "`headers`", "a mapping of names to values"),
        }
    }
    let capture = protocol::route(path.split_once('?').map_or(path.as_str(), |(p, _)| p)).and_then(
        |r| match r.endpoint {
            protocol::Endpoint::Capture(e) => Some(e),
            _ => None,
        },
    );
    let body = match map.get("body") {
        None => None,
        Some(b) => match (&b.value, capture) {
            (Y::Str(s), _) => Some(Body::Text(s.clone())),
            // capture/v2 routes take protobuf: the YAML is the message's JSON form.
            (_, Some(endpoint)) => {
                match protocol::capture_v2::json_form::from_json(endpoint, &b.to_json()) {
                    Ok(bytes) => Some(Body::Bytes(bytes)),
                    Err(e) => {
                        diags.error_help(
                            b.loc,
                            format!(
                                "the body is not a valid `{}` in its JSON form: {e}",
                                protocol::capture_v2::message_name(endpoint)
                            ),
                            Some("field names are those of the .proto schema; see README.md, \"capture/v2\"".to_owned()),
                        );
                        None
                    }
                }
            }
            (_, None) => Some(Body::Json(b.to_json())),
        },
    };
    let client_ip = match map.get("client_ip") {
        Some(n) => match expect_str(n, "`client_ip`", diags).map(|s| s.parse::<IpAddr>()) {
            Some(Ok(ip)) => Some(ip),
            Some(Err(_)) => {
                diags.error(n.loc, "`client_ip` must be an IP address");
                None
            }
            None => None,
        },
        None => None,
    };
    Some(TestRequest {
        method,
        path,
        headers,
        body,
        client_ip,
    })
}

const EXPECT_KEYS: &[&str] = &[
    "forwarded",
    "missing",
    "absent",
    "changes",
    "dropped",
    "dropped_events",
    "rejected",
    "headers",
];

fn read_expect(node: &Node, diags: &mut Diags) -> Option<Expect> {
    if let Y::Str(s) = &node.value {
        return match s.as_str() {
            "dropped" => Some(Expect::Dropped),
            "rejected" => Some(Expect::Rejected(None)),
            other => {
                diags.error_help(
                    node.loc,
                    format!("unknown expectation `{other}`"),
                    Some("write `dropped`, `rejected`, or a mapping with `forwarded`, `absent`, `changes`, ...".to_owned()),
                );
                None
            }
        };
    }
    let map = MapReader::new(node, "`expect`", EXPECT_KEYS, diags)?;
    if map.bool("dropped", diags) == Some(true) {
        return Some(Expect::Dropped);
    }
    if let Some(r) = map.get("rejected") {
        return match r.value {
            Y::Int(code) => Some(Expect::Rejected(Some(code as u16))),
            Y::Bool(true) => Some(Expect::Rejected(None)),
            _ => {
                diags.wrong_type(r, "`rejected`", "a status code or true");
                None
            }
        };
    }
    let mut f = Forwarded {
        forwarded: map.get("forwarded").map(Node::to_json),
        ..Forwarded::default()
    };
    for (key, out) in [("missing", &mut f.missing), ("absent", &mut f.absent)] {
        if let Some(n) = map.get(key) {
            *out = expect_str_list(n, &format!("`{key}`"), diags)
                .into_iter()
                .map(|(s, _)| s.to_owned())
                .collect();
        }
    }
    if let Some(n) = map.get("dropped_events") {
        match &n.value {
            Y::Seq(items) => {
                f.dropped_events = Some(
                    items
                        .iter()
                        .filter_map(|i| {
                            crate::yaml::expect_u64(i, "an event index", diags).map(|v| v as usize)
                        })
                        .collect(),
                )
            }
            _ => diags.wrong_type(n, "`dropped_events`", "a list of event indexes"),
        }
    }
    if let Some(n) = map.get("changes") {
        match &n.value {
            Y::Seq(items) => {
                for item in items {
                    let Some(c) = MapReader::new(
                        item,
                        "an expected change",
                        &[
                            "policy", "rule", "action", "path", "detector", "evidence", "shadow",
                        ],
                        diags,
                    ) else {
                        continue;
                    };
                    f.changes.push(ExpectedChange {
                        policy: c.str("policy", diags).map(str::to_owned),
                        rule: c.str("rule", diags).map(str::to_owned),
                        action: c.str("action", diags).map(str::to_owned),
                        path: c.str("path", diags).map(str::to_owned),
                        detector: c.str("detector", diags).map(str::to_owned),
                        evidence: c.str("evidence", diags).map(str::to_owned),
                        shadow: c.bool("shadow", diags),
                    });
                }
            }
            _ => diags.wrong_type(n, "`changes`", "a list"),
        }
    }
    if let Some(n) = map.get("headers") {
        match &n.value {
            Y::Map(entries) => {
                for (k, v) in entries {
                    let value = match &v.value {
                        Y::Null => None,
                        Y::Str(s) => Some(s.clone()),
                        _ => {
                            diags.wrong_type(v, "an expected header", "a string or null");
                            continue;
                        }
                    };
                    f.headers.push((k.name.to_ascii_lowercase(), value));
                }
            }
            _ => diags.wrong_type(n, "`headers`", "a mapping"),
        }
    }
    Some(Expect::Forwarded(f))
}

/// The outcome of one case.
pub struct CaseResult {
    /// The case name.
    pub name: String,
    /// Mismatches; empty when it passed.
    pub failures: Vec<String>,
}

/// Runs every case of a file against a compiled set.
pub fn run_file(file: &TestFile, set: &PolicySet) -> Vec<CaseResult> {
    file.cases
        .iter()
        .map(|case| CaseResult {
            name: case.name.clone(),
            failures: run_case(case, set),
        })
        .collect()
}

/// Compiles the policies a test file names, with the test key.
pub fn policies_for(file: &TestFile) -> Result<PolicySet, String> {
    let key = HashKey::from_bytes(&TEST_KEY, "policy tests").expect("the test key is long enough");
    policy::load_set(&file.policies, key)
        .map(|(set, _)| set)
        .map_err(|e| e.to_string())
}

fn run_case(case: &Case, set: &PolicySet) -> Vec<String> {
    let registry = Registry::in_memory();
    // Seeded: the same case gives the same tokens on every run, so they can be expected.
    let vault = Vault::seeded(0x5eed);
    let mut changes = Vec::new();
    for (kind, value) in &case.given.opted_out {
        changes.push(Change::OptOut(
            SubjectKey::new(&set.key, *kind, value),
            "policy test".to_owned(),
        ));
    }
    for (kind, value) in &case.given.children {
        changes.push(Change::Child(SubjectKey::new(&set.key, *kind, value)));
    }
    if let Err(e) = registry.apply(&changes) {
        return vec![format!("cannot set up the registry: {e}")];
    }
    for (i, req) in case.given.requests.iter().enumerate() {
        if let Err(e) = send(req, set, &registry, &vault) {
            return vec![format!("given request {} failed: {e}", i + 1)];
        }
    }
    check(&case.expect, send(&case.request, set, &registry, &vault))
}

/// Runs one request through the pipeline.
fn send(
    req: &TestRequest,
    set: &PolicySet,
    registry: &Registry,
    vault: &Vault,
) -> Result<Processed, ProcessError> {
    let (path, query) = match req.path.split_once('?') {
        Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
        None => (req.path.clone(), None),
    };
    let Some(route) = protocol::route(&path) else {
        return Err(ProcessError::Decode(protocol::DecodeError::Shape {
            path: path.clone(),
            message: "is not a route privgate handles".to_owned(),
        }));
    };
    let mut headers = HeaderMap::new();
    for (k, v) in &req.headers {
        match (
            HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_str(v),
        ) {
            (Ok(n), Ok(v)) => {
                headers.append(n, v);
            }
            _ => {
                return Err(ProcessError::Decode(protocol::DecodeError::Shape {
                    path: k.clone(),
                    message: "header cannot be sent".to_owned(),
                }));
            }
        }
    }
    let body: Bytes = match &req.body {
        Some(Body::Json(v)) => v.to_string().into(),
        Some(Body::Text(t)) => t.clone().into(),
        Some(Body::Bytes(b)) => b.clone().into(),
        None => Bytes::new(),
    };
    if !body.is_empty() && !headers.contains_key(http::header::CONTENT_TYPE) {
        headers.insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static(route.protocol().content_type()),
        );
    }
    let raw = RawRequest {
        method: req
            .method
            .clone()
            .unwrap_or_else(|| route.methods[0].clone()),
        path,
        query,
        headers,
        body,
        client_ip: req.client_ip,
    };
    pipeline::process(set, route, &raw, &DecodeLimits::default(), registry, vault)
}

fn check(expect: &Expect, result: Result<Processed, ProcessError>) -> Vec<String> {
    let mut failures = Vec::new();
    let processed = match (expect, result) {
        (Expect::Rejected(status), Err(ProcessError::Decode(e))) => {
            if let Some(s) = status
                && e.status().as_u16() != *s
            {
                failures.push(format!(
                    "expected rejection with {s}, got {}: {e}",
                    e.status().as_u16()
                ));
            }
            return failures;
        }
        (_, Err(e)) => return vec![format!("the request was refused: {e}")],
        (_, Ok(p)) => p,
    };
    let forwarded = processed.outgoing.as_ref().map(protocol::forwarded_view);
    match expect {
        Expect::Rejected(_) => failures.push(format!(
            "expected a rejection, but it was {}",
            describe(&processed)
        )),
        Expect::Dropped => {
            if processed.outgoing.is_some() {
                failures.push(format!(
                    "expected every event dropped, but it was {}",
                    describe(&processed)
                ));
            }
        }
        Expect::Forwarded(f) => {
            let Some(view) = forwarded else {
                let rules: Vec<String> = processed
                    .evaluation
                    .dropped
                    .iter()
                    .map(|d| format!("{}/{}", d.policy, d.rule))
                    .collect();
                failures.push(format!(
                    "expected a forwarded request, but every event was dropped (by {})",
                    rules.join(", ")
                ));
                return failures;
            };
            if let Some(expected) = &f.forwarded {
                subset(expected, &view, &mut String::new(), &mut failures);
            }
            for path in &f.missing {
                if lookup(&view, path).is_some() {
                    failures.push(format!(
                        "`{path}` must not be forwarded, but it is: {}",
                        lookup(&view, path)
                            .map(Value::to_string)
                            .unwrap_or_default()
                    ));
                }
            }
            if let Some(out) = &processed.outgoing {
                let upstream = upstream_text(out);
                for s in &f.absent {
                    if upstream.contains(s.as_str()) {
                        failures.push(format!("`{s}` must not reach the collector, but it does"));
                    }
                }
                for (name, value) in &f.headers {
                    let actual = match name.as_str() {
                        "x-forwarded-for" => out.client_ip.clone(),
                        "user-agent" => out.user_agent.clone(),
                        "content-type" => out
                            .content_type
                            .as_ref()
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_owned),
                        // Headers the protocol forwards itself (`X-Heap-Env-Id`).
                        other => out
                            .headers
                            .get(other)
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_owned),
                    };
                    if actual != *value {
                        failures.push(format!(
                            "header `{name}`: expected {value:?}, found {actual:?}"
                        ));
                    }
                }
            }
            for want in &f.changes {
                if !processed
                    .evaluation
                    .changes
                    .iter()
                    .any(|c| change_matches(want, c))
                {
                    let actual: Vec<String> = processed
                        .evaluation
                        .changes
                        .iter()
                        .map(|c| {
                            format!(
                                "{}/{} {} {}{}",
                                c.policy,
                                c.rule,
                                c.action,
                                c.path,
                                c.detector
                                    .as_deref()
                                    .map(|d| format!(" [{d}]"))
                                    .unwrap_or_default()
                            )
                        })
                        .collect();
                    failures.push(format!(
                        "expected a change {}; the changes were: {}",
                        describe_change(want),
                        if actual.is_empty() {
                            "none".to_owned()
                        } else {
                            actual.join("; ")
                        }
                    ));
                }
            }
            if let Some(want) = &f.dropped_events {
                let mut got: Vec<usize> = processed
                    .evaluation
                    .dropped
                    .iter()
                    .filter(|d| !d.shadow)
                    .map(|d| d.event_index)
                    .collect();
                got.sort_unstable();
                if got != *want {
                    failures.push(format!(
                        "expected events {want:?} dropped, but {got:?} were"
                    ));
                }
            }
        }
    }
    failures
}

fn describe(p: &Processed) -> String {
    match &p.outgoing {
        Some(out) => format!("forwarded: {}", protocol::forwarded_view(out)),
        None => "dropped".to_owned(),
    }
}

fn describe_change(c: &ExpectedChange) -> String {
    let mut parts = Vec::new();
    for (k, v) in [
        ("policy", &c.policy),
        ("rule", &c.rule),
        ("action", &c.action),
        ("path", &c.path),
        ("detector", &c.detector),
        ("evidence", &c.evidence),
    ] {
        if let Some(v) = v {
            parts.push(format!("{k}: {v}"));
        }
    }
    format!("{{{}}}", parts.join(", "))
}

fn change_matches(want: &ExpectedChange, c: &crate::policy::Change) -> bool {
    let path_ok = want
        .path
        .as_deref()
        .is_none_or(|p| p == c.path || p == format!("events[{}].{}", c.event_index, c.path));
    want.policy.as_deref().is_none_or(|p| p == &*c.policy)
        && want.rule.as_deref().is_none_or(|r| r == &*c.rule)
        && want.action.as_deref().is_none_or(|a| a == c.action)
        && want
            .detector
            .as_deref()
            .is_none_or(|d| c.detector.as_deref() == Some(d))
        && want
            .evidence
            .as_deref()
            .is_none_or(|e| c.evidence == Some(e))
        && want.shadow.is_none_or(|s| s == c.shadow)
        && path_ok
}

/// Everything that would go upstream, as text, for `absent` checks.
fn upstream_text(out: &protocol::Outgoing) -> String {
    let mut text = String::new();
    let _ = write!(
        text,
        "{}\n{}\n",
        out.path_and_query,
        percent_encoding::percent_decode_str(&out.path_and_query).decode_utf8_lossy()
    );
    text.push_str(&String::from_utf8_lossy(&out.body));
    text.push('\n');
    let view = protocol::forwarded_view(out);
    text.push_str(&view.to_string());
    // Keys and strings as they are, not JSON-escaped: `Jane "JD" Doe` is sent as
    // `Jane \"JD\" Doe`, and must still be found.
    fn raw_strings(v: &Value, text: &mut String) {
        match v {
            Value::String(s) => {
                text.push('\n');
                text.push_str(s);
            }
            Value::Array(items) => items.iter().for_each(|i| raw_strings(i, text)),
            Value::Object(m) => {
                for (k, v) in m {
                    text.push('\n');
                    text.push_str(k);
                    raw_strings(v, text);
                }
            }
            _ => {}
        }
    }
    raw_strings(&view, &mut text);
    for h in [&out.client_ip, &out.user_agent].into_iter().flatten() {
        text.push('\n');
        text.push_str(h);
    }
    for value in out.headers.values() {
        text.push('\n');
        text.push_str(&String::from_utf8_lossy(value.as_bytes()));
    }
    text
}

/// Checks that `expected` is contained in `actual`; mismatches are described with their path.
fn subset(expected: &Value, actual: &Value, path: &mut String, out: &mut Vec<String>) {
    let at = |p: &str| {
        if p.is_empty() {
            "the forwarded body".to_owned()
        } else {
            format!("`{p}`")
        }
    };
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let len = path.len();
                crate::policy::select::push_key(path, k);
                match a.get(k) {
                    Some(av) => subset(ev, av, path, out),
                    None => out.push(format!(
                        "{}: expected {ev}, but it is not forwarded",
                        at(path)
                    )),
                }
                path.truncate(len);
            }
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                let len = path.len();
                crate::policy::select::push_index(path, i);
                subset(ev, av, path, out);
                path.truncate(len);
            }
        }
        (Value::Number(e), Value::Number(a)) if e.as_f64() == a.as_f64() => {}
        (e, a) if e == a => {}
        (e, a) => out.push(format!("{}: expected {e}, found {a}", at(path))),
    }
}

fn lookup<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(v, |cur, seg| match cur {
        Value::Object(m) => m.get(seg),
        Value::Array(items) => seg.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

/// Finds test files: files as given, folders' *.yaml / *.yml (with a `tests/` folder inside
/// searched too, so `privgate test policies/` finds `policies/tests/*.yaml`).
pub fn find_files(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let tests = path.join("tests");
            let dir = if tests.is_dir() { tests } else { path.clone() };
            files.extend(crate::policy::yaml_files_in(&dir)?);
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("{}: no such file or folder", path.display()),
            ));
        }
    }
    Ok(files)
}
