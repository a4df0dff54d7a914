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
    Ok(json!({"ok": errors == 0, "errors": errors, "diagnostics": diagnostics,
        "text": compiled.reports.iter().map(|r| r.to_string()).collect::<Vec<_>>().join("\n")}))
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
    let route = protocol::route(&path).ok_or(format!("`{path}` is not a route privgate handles"))?;
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
            (Method::POST, p @ ("/api/check" | "/api/run")) => {
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
                let result = if p == "/api/check" {
                    check(&value)
                } else {
                    run(&value, &self.key)
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
    ("track.json", "/api/track", include_str!("../examples/track.json")),
    ("identify.json", "/api/v1/identify", include_str!("../examples/identify.json")),
    ("add_user_properties.json", "/api/add_user_properties", include_str!("../examples/add_user_properties.json")),
    ("track-bulk.json", "/api/track", include_str!("../examples/track-bulk.json")),
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
    reply(status, "application/json", json!({"error": message}).to_string())
}
