//! `privgate playground`: a local page to edit policies and see what they do to a request.
//!
//! The page (embedded, no CDN) calls a small JSON API on the same listener:
//! `POST /api/check` (the diagnostics of `privgate check`, with line and column) and
//! `POST /api/run` (exactly what `privgate scrub --explain --format json` reports, from
//! [`pipeline::process`] and [`pipeline::explain_json`]). Nothing is ever forwarded and
//! nothing is written to the audit log: the subject registry and token vault are in memory.

use std::convert::Infallible;
use std::net::SocketAddr;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use serde_json::{Value, json};
use subtle::ConstantTimeEq;

use crate::diag::{Severity, Source};
use crate::keys::HashKey;
use crate::pipeline;
use crate::policy::{self, PolicySource};
use crate::protocol::{self, DecodeLimits, RawRequest};

/// The page, embedded in the binary.
pub const PAGE: &str = include_str!("../assets/playground/index.html");

/// Largest API request body accepted.
const MAX_BODY: usize = 4 << 20;

/// What the playground was started with.
pub struct Playground {
    /// Policies the editor starts with: (name, text).
    pub initial: Vec<(String, String)>,
    /// The hash key `hash` actions use.
    pub key: HashKey,
    /// Whether the key is configured (`false`: a throwaway key, and the page says so).
    pub key_configured: bool,
    /// Required as `Authorization: Bearer …` on every request when set.
    pub token: Option<String>,
    /// Saved cases are appended to this test file (`--save-tests`), else only downloaded.
    pub save_to: Option<std::path::PathBuf>,
    /// The `policies:` a new test file names (the `--policy` arguments).
    pub policy_args: Vec<String>,
}

/// One policy text from the editor.
fn sources(policies: &Value) -> Result<Vec<PolicySource>, String> {
    let list = policies
        .as_array()
        .ok_or("`policies` must be a list of {name, text}")?;
    list.iter()
        .enumerate()
        .map(|(i, p)| {
            let name = p
                .get("name")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| format!("policy-{}.yaml", i + 1));
            let text = p
                .get("text")
                .and_then(Value::as_str)
                .ok_or("each policy needs a `text`")?;
            Ok(PolicySource {
                source: Source::new(name.clone(), text.to_owned()),
                origin: format!("playground:{name}"),
                path: None,
                scope_override: None,
            })
        })
        .collect()
}

/// `POST /api/check`: every diagnostic of `privgate check`, per policy, with line and column.
pub fn check(body: &Value) -> Result<Value, String> {
    let sources = sources(body.get("policies").unwrap_or(&Value::Null))?;
    let compiled = policy::compile_set(&sources, HashKey::ephemeral());
    let mut diagnostics = Vec::new();
    for report in &compiled.reports {
        for d in &report.diagnostics {
            diagnostics.push(json!({
                "policy": &*report.source.name,
                "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "line": d.loc.line, "col": d.loc.col, "len": d.loc.len,
                "message": d.message, "help": d.help,
            }));
        }
    }
    let errors = compiled
        .reports
        .iter()
        .map(|r| r.error_count())
        .sum::<usize>();
    Ok(
        json!({"ok": errors == 0, "errors": errors, "diagnostics": diagnostics,
        "text": compiled.reports.iter().map(|r| r.to_string()).collect::<Vec<_>>().join("\n")}),
    )
}

/// `POST /api/run`: the policies applied to one request, as `scrub --explain --format json`.
pub fn run(body: &Value, key: &HashKey) -> Result<Value, String> {
    let sources = sources(body.get("policies").unwrap_or(&Value::Null))?;
    let compiled = policy::compile_set(&sources, key.clone());
    let Some(set) = compiled.set else {
        return Err("the policies have errors; fix them first".into());
    };
    let full = body
        .get("path")
        .and_then(Value::as_str)
        .unwrap_or("/api/track");
    let (path, query) = match full.split_once('?') {
        Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
        None => (full.to_owned(), None),
    };
    let route =
        protocol::route(&path).ok_or(format!("`{path}` is not a route privgate handles"))?;
    let mut headers = http::HeaderMap::new();
    if let Some(list) = body.get("headers").and_then(Value::as_str) {
        for line in list.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let (name, value) = line
                .split_once(':')
                .ok_or(format!("header `{line}` must look like `Name: value`"))?;
            let name: http::HeaderName = name
                .trim()
                .parse()
                .map_err(|_| format!("`{}` is not a header name", name.trim()))?;
            let value: http::HeaderValue = value
                .trim()
                .parse()
                .map_err(|_| format!("the value of header `{name}` is not valid"))?;
            headers.append(name, value);
        }
    }
    if !headers.contains_key(http::header::CONTENT_TYPE) {
        headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static(route.protocol().content_type()),
        );
    }
    let text = body.get("body").and_then(Value::as_str).unwrap_or("");
    let bytes: Vec<u8> = match route.endpoint {
        protocol::Endpoint::Capture(endpoint) => {
            let json: Value = serde_json::from_str(text)
                .map_err(|e| format!("capture/v2 bodies are given in their JSON form: {e}"))?;
            protocol::capture_v2::json_form::from_json(endpoint, &json).map_err(|e| {
                format!(
                    "the body is not a valid `{}` in its JSON form: {e}",
                    protocol::capture_v2::message_name(endpoint)
                )
            })?
        }
        _ => text.as_bytes().to_vec(),
    };
    let raw = RawRequest {
        method: route.methods[0].clone(),
        path,
        query,
        headers,
        body: bytes.into(),
        client_ip: None,
    };
    match pipeline::process(
        &set,
        route,
        &raw,
        &DecodeLimits::default(),
        &crate::subjects::Registry::in_memory(),
        &crate::vault::Vault::in_memory(),
    ) {
        Ok(p) => Ok(pipeline::explain_json(&p)),
        Err(pipeline::ProcessError::Decode(e)) => Ok(
            json!({"outcome": "rejected", "status": e.status().as_u16(), "error": e.to_string()}),
        ),
        Err(e) => Err(e.to_string()),
    }
}

/// `POST /api/save`: the request and what the policies did to it, as one case of the
/// `privgate test` format (docs/policy-owners/policy-tests.md), written as a JSON-style YAML list item. Values a
/// change produced (hashes depend on the key) are left out of `forwarded`; the changes and the
/// originals that must not reach Heap (`absent`) are asserted instead.
pub fn save(body: &Value, key: &HashKey) -> Result<String, String> {
    let result = run(body, key)?;
    let name = body
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.trim().is_empty())
        .unwrap_or("saved from the playground");
    let path = body
        .get("path")
        .and_then(Value::as_str)
        .unwrap_or("/api/track");
    let mut headers = serde_json::Map::new();
    if let Some(list) = body.get("headers").and_then(Value::as_str) {
        for line in list.lines().filter_map(|l| l.split_once(':')) {
            headers.insert(line.0.trim().into(), Value::String(line.1.trim().into()));
        }
    }
    let text = body.get("body").and_then(Value::as_str).unwrap_or("");
    let request_body = serde_json::from_str::<Value>(text).unwrap_or(Value::String(text.into()));
    let expect = match result["outcome"].as_str() {
        Some("dropped") => json!("dropped"),
        Some("rejected") => json!({"rejected": result["status"]}),
        _ => {
            let mut forwarded = result["forwarded"].clone();
            let single = forwarded.get("events").is_none_or(|e| !e.is_array());
            let mut changes = Vec::new();
            let mut absent = Vec::new();
            for c in result["changes"].as_array().into_iter().flatten() {
                let full = c["path"].as_str().unwrap_or("");
                let inner = if single {
                    full.split_once("].").map_or(full, |(_, p)| p)
                } else {
                    full
                };
                if let Some(original) = lookup(&request_body, inner)
                    && original.len() >= 4
                {
                    absent.push(Value::String(original));
                }
                remove_path(&mut forwarded, inner);
                changes.push(json!({"policy": c["policy"], "rule": c["rule"], "action": c["action"], "path": full}));
            }
            json!({"forwarded": forwarded, "changes": changes, "absent": absent})
        }
    };
    let case = json!({"name": name, "request": {"path": path, "headers": headers, "body": request_body}, "expect": expect});
    Ok(format!("  - {case}\n"))
}

/// `POST /api/coverage`: every field of the event model ([`SCHEMA`](crate::event::schema::SCHEMA))
/// with the rules that select it, and what the strongest of them does: `removes` (remove or
/// drop the event), `transforms` (mask, hash, tokenize, generalize... the whole value), `scans`
/// (acts on what detectors find in it) or `nothing`. A rule counts when its selectors select the
/// field in a sample event that holds only that field (`*` and `**` stand for a key `x`), by the
/// engine's own selector walk; a rule with a `when:` condition is marked `conditional`.
pub fn coverage(body: &Value) -> Result<Value, String> {
    use crate::event::schema::SCHEMA;
    use crate::policy::action::Action;
    let sources = sources(body.get("policies").unwrap_or(&Value::Null))?;
    let Some(set) = policy::compile_set(&sources, HashKey::ephemeral()).set else {
        return Err("the policies have errors; fix them first".into());
    };
    let rows: Vec<Value> = SCHEMA
        .iter()
        .map(|field| {
            let sample = sample_event(field.path);
            let mut by = Vec::new();
            for p in &set.policies {
                for r in &p.rules {
                    if !r.selectors.iter().any(|s| s.any(&sample, &mut |_| true)) {
                        continue;
                    }
                    let how = match (&r.action, r.detect.is_empty()) {
                        (_, false) => "scans",
                        (Action::Remove | Action::DropEvent, true) => "removes",
                        (_, true) => "transforms",
                    };
                    by.push(json!({"policy": &*p.name, "rule": &*r.id, "how": how,
                        "action": r.action.name(), "conditional": r.when.is_some()}));
                }
            }
            let status = ["removes", "transforms", "scans"]
                .into_iter()
                .find(|h| by.iter().any(|b| b["how"] == *h))
                .unwrap_or("nothing");
            json!({"path": field.path, "type": field.ty.name(), "about": field.about,
                "status": status, "by": by})
        })
        .collect();
    Ok(json!({"fields": rows}))
}

/// An event holding one string at a schema path, `*` and `**` standing for a key `x`.
fn sample_event(pattern: &str) -> crate::event::Fields {
    let keys: Vec<&str> = pattern
        .split('.')
        .map(|k| if k.starts_with('*') { "x" } else { k })
        .collect();
    let mut value = Value::String("x".to_owned());
    for key in keys.iter().skip(1).rev() {
        let mut map = serde_json::Map::new();
        map.insert((*key).to_owned(), value);
        value = Value::Object(map);
    }
    let mut fields = crate::event::Fields::new();
    fields.insert(keys[0].to_owned(), value);
    fields
}

/// Splits `a.b[2].c` into keys and indexes.
fn segments(path: &str) -> Vec<String> {
    path.split(['.', '[', ']'])
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The scalar text at `path` in the request body (the original of a changed value).
fn lookup(root: &Value, path: &str) -> Option<String> {
    let mut v = root;
    for seg in segments(path) {
        v = match v {
            Value::Object(m) => m.get(&seg)?,
            Value::Array(a) => a.get(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    match v {
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

/// Removes the value at `path`, if present.
fn remove_path(root: &mut Value, path: &str) {
    let segs = segments(path);
    let Some((last, parents)) = segs.split_last() else {
        return;
    };
    let mut v = root;
    for seg in parents {
        v = match v {
            Value::Object(m) => match m.get_mut(seg) {
                Some(x) => x,
                None => return,
            },
            Value::Array(a) => match seg.parse::<usize>().ok().and_then(|i| a.get_mut(i)) {
                Some(x) => x,
                None => return,
            },
            _ => return,
        };
    }
    if let Value::Object(m) = v {
        m.remove(last);
    }
}

impl Playground {
    /// The editor's starting state, the key notice and the embedded examples.
    fn state(&self) -> Value {
        let examples: Vec<Value> = EXAMPLES
            .iter()
            .map(|(name, path, body)| json!({"name": name, "path": path, "body": body}))
            .collect();
        json!({
            "policies": self.initial.iter().map(|(n, t)| json!({"name": n, "text": t})).collect::<Vec<_>>(),
            "templates": policy::SHIPPED.iter().map(|(n, t)| json!({"name": n, "text": t})).collect::<Vec<_>>(),
            "examples": examples,
            "key": if self.key_configured { "configured hash key: hashes equal the proxy's" } else { "throwaway hash key: hashes differ from the proxy's" },
        })
    }

    /// Makes a case and appends it to `--save-tests` (created with a header when new).
    fn save_case(&self, body: &Value) -> Result<Value, String> {
        let case = save(body, &self.key)?;
        let Some(file) = &self.save_to else {
            return Ok(json!({"case": case, "saved": null}));
        };
        let mut text = std::fs::read_to_string(file).unwrap_or_default();
        if text.trim().is_empty() {
            text = format!(
                "# Cases saved from privgate playground.\npolicies: {}\ncases:\n",
                json!(self.policy_args)
            );
        } else if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&case);
        std::fs::write(file, text).map_err(|e| format!("{}: {e}", file.display()))?;
        Ok(json!({"case": case, "saved": file.display().to_string()}))
    }

    fn authorized(&self, req: &Request<Incoming>) -> bool {
        let Some(expected) = &self.token else {
            return true;
        };
        let presented = req
            .headers()
            .get(http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        !presented.is_empty() && bool::from(presented.as_bytes().ct_eq(expected.as_bytes()))
    }

    /// Answers one request.
    pub async fn handle(&self, req: Request<Incoming>) -> Response<Full<Bytes>> {
        if !self.authorized(&req) {
            return reply(
                StatusCode::UNAUTHORIZED,
                "application/json",
                json!({"error": "an admin token is required"}).to_string(),
            );
        }
        match (req.method().clone(), req.uri().path()) {
            (Method::GET, "/") => reply(StatusCode::OK, "text/html; charset=utf-8", PAGE.into()),
            (Method::GET, "/api/state") => {
                reply(StatusCode::OK, "application/json", self.state().to_string())
            }
            (Method::POST, p @ ("/api/check" | "/api/run" | "/api/save" | "/api/coverage")) => {
                let p = p.to_owned();
                let body = match Limited::new(req.into_body(), MAX_BODY).collect().await {
                    Ok(b) => b.to_bytes(),
                    Err(_) => {
                        return api_error(StatusCode::PAYLOAD_TOO_LARGE, "body too large".into());
                    }
                };
                let Ok(value) = serde_json::from_slice::<Value>(&body) else {
                    return api_error(StatusCode::BAD_REQUEST, "the body must be JSON".into());
                };
                let result = match p.as_str() {
                    "/api/check" => check(&value),
                    "/api/run" => run(&value, &self.key),
                    "/api/coverage" => coverage(&value),
                    _ => self.save_case(&value),
                };
                match result {
                    Ok(v) => reply(StatusCode::OK, "application/json", v.to_string()),
                    Err(e) => api_error(StatusCode::UNPROCESSABLE_ENTITY, e),
                }
            }
            _ => reply(StatusCode::NOT_FOUND, "text/plain", "not found".into()),
        }
    }

    /// Serves until the process ends. A non-loopback address needs a token.
    pub async fn serve(self, listener: tokio::net::TcpListener) -> std::io::Result<()> {
        let addr: SocketAddr = listener.local_addr()?;
        if !addr.ip().is_loopback() && self.token.is_none() {
            return Err(std::io::Error::other(
                "a non-loopback address needs the admin token (PRIVGATE_ADMIN_TOKEN or admin_token_file)",
            ));
        }
        let this = std::sync::Arc::new(self);
        loop {
            let (stream, _) = listener.accept().await?;
            let this = this.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req| {
                    let this = this.clone();
                    async move { Ok::<_, Infallible>(this.handle(req).await) }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
            });
        }
    }
}

/// The request bodies in `examples/`, embedded: (name, route, body).
pub const EXAMPLES: &[(&str, &str, &str)] = &[
    (
        "track.json",
        "/api/track",
        include_str!("../examples/track.json"),
    ),
    (
        "identify.json",
        "/api/v1/identify",
        include_str!("../examples/identify.json"),
    ),
    (
        "add_user_properties.json",
        "/api/add_user_properties",
        include_str!("../examples/add_user_properties.json"),
    ),
    (
        "track-bulk.json",
        "/api/track",
        include_str!("../examples/track-bulk.json"),
    ),
];

fn reply(status: StatusCode, content_type: &str, body: String) -> Response<Full<Bytes>> {
    Response::builder()
        .status(status)
        .header(http::header::CONTENT_TYPE, content_type)
        .header("content-security-policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'")
        .header("x-content-type-options", "nosniff")
        .body(Full::new(Bytes::from(body)))
        .expect("a valid response")
}

fn api_error(status: StatusCode, message: String) -> Response<Full<Bytes>> {
    reply(
        status,
        "application/json",
        json!({"error": message}).to_string(),
    )
}
