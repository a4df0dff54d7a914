//! The admin listener, separate from traffic: health and readiness for orchestrators, and the
//! subject API that records opt-outs (GDPR Art. 21 objections, erasure, CCPA opt-outs).
//!
//! The subject endpoints need `Authorization: Bearer <token>` (`PRIVGATE_ADMIN_TOKEN` or
//! `admin_token_file`), compared in constant time; without a configured token they are refused.
//! Every change is audited with its action, identifier kind and reason — never the identifier.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use bytes::Bytes;
use http::{Method, Request, Response, StatusCode, header};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use serde_json::{Value, json};
use subtle::ConstantTimeEq;

use crate::audit::{Outcome, PolicyVersion, Record, SubjectRecord};
use crate::server::State;
use crate::subjects::{Change, IdKind, SubjectKey, check_reason};

/// Largest admin request body.
const MAX_ADMIN_BODY: usize = 64 * 1024;

/// Handles one admin request.
pub async fn handle(state: Arc<State>, req: Request<Incoming>) -> Response<Full<Bytes>> {
    let path = req.uri().path().to_owned();
    match (req.method().as_str(), path.as_str()) {
        ("GET", "/healthz") => text(StatusCode::OK, "ok\n"),
        ("GET", "/metrics") => {
            state
                .metrics
                .count_unwritten_outcomes(state.audit.health().unwritten_outcomes());
            let mut response = Response::new(Full::new(Bytes::from(state.metrics.render())));
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                header::HeaderValue::from_static(
                    "application/openmetrics-text; version=1.0.0; charset=utf-8",
                ),
            );
            response
        }
        ("GET", "/readyz") => {
            if state.shutting_down.load(Ordering::SeqCst) {
                text(StatusCode::SERVICE_UNAVAILABLE, "shutting down\n")
            } else if !state.audit.health().is_healthy() && !audit_recovered(&state).await {
                text(StatusCode::SERVICE_UNAVAILABLE, "audit log failing\n")
            } else if state.policies.load().needs_subjects() && !state.store.ping().await {
                text(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "subject registry unreachable\n",
                )
            } else {
                text(StatusCode::OK, "ready\n")
            }
        }
        (_, "/v1/subjects/opt-out") | (_, "/v1/subjects/status") => match refusal(&state, &req) {
            Some(resp) => resp,
            None => subjects(state, req).await,
        },
        _ => json_response(StatusCode::NOT_FOUND, json!({"error": "not found"})),
    }
}

/// While the audit log is failing, each readiness check probes it (a write that is cut off
/// again), so that a proxy taken out of rotation notices on its own when the disk is back.
async fn audit_recovered(state: &State) -> bool {
    let probe = tokio::time::timeout(std::time::Duration::from_secs(2), state.audit.probe());
    matches!(probe.await, Ok(Ok(())))
}

/// Checks the bearer token in constant time; the answer to send when it is not right.
fn refusal(state: &State, req: &Request<Incoming>) -> Option<Response<Full<Bytes>>> {
    let Some(expected) = &state.admin_token else {
        return Some(json_response(
            StatusCode::FORBIDDEN,
            json!({"error": "the subject API is disabled: set PRIVGATE_ADMIN_TOKEN or admin_token_file"}),
        ));
    };
    let presented = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    // Compare fixed-length digests so that neither content nor length leaks through timing.
    let a = crate::keys::sha256_hex(presented.as_bytes());
    let b = crate::keys::sha256_hex(expected.as_bytes());
    if presented.is_empty() || !bool::from(a.as_bytes().ct_eq(b.as_bytes())) {
        // Worth a line: someone is trying to change the registry without the right token.
        tracing::warn!(
            method = %req.method(),
            path = %req.uri().path(),
            token = if presented.is_empty() { "missing" } else { "wrong" },
            "Admin request refused: bearer token."
        );
        let mut resp = json_response(
            StatusCode::UNAUTHORIZED,
            json!({"error": "missing or wrong bearer token"}),
        );
        resp.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer"),
        );
        return Some(resp);
    }
    None
}

/// Which subject a request names.
fn subject_of(value: &Value) -> Result<(IdKind, String), String> {
    let text = |v: &Value| match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    match (value.get("identity"), value.get("user_id")) {
        (Some(_), Some(_)) => Err("give either `identity` or `user_id`, not both".to_owned()),
        (Some(v), None) => text(v)
            .map(|t| (IdKind::Identity, t))
            .ok_or_else(|| "`identity` must be a non-empty string".to_owned()),
        (None, Some(v)) => text(v)
            .map(|t| (IdKind::UserId, t))
            .ok_or_else(|| "`user_id` must be a non-empty string or a number".to_owned()),
        (None, None) => Err("the body needs `identity` or `user_id`".to_owned()),
    }
}

async fn subjects(state: Arc<State>, req: Request<Incoming>) -> Response<Full<Bytes>> {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let key = state.policies.load().key.clone();
    if path == "/v1/subjects/status" {
        if method != Method::GET {
            return json_response(StatusCode::METHOD_NOT_ALLOWED, json!({"error": "use GET"}));
        }
        let query = req.uri().query().unwrap_or("");
        let params: serde_json::Map<String, Value> = form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
            .collect();
        return match subject_of(&Value::Object(params)) {
            Ok((kind, value)) => {
                let entry = match state.store.get(SubjectKey::new(&key, kind, &value)).await {
                    Ok(e) => e,
                    Err(_) => {
                        return json_response(
                            StatusCode::SERVICE_UNAVAILABLE,
                            json!({"error": "the subject registry cannot be read"}),
                        );
                    }
                };
                json_response(
                    StatusCode::OK,
                    json!({"opted_out": entry.opted_out.is_some(), "reason": entry.opted_out, "child": entry.child}),
                )
            }
            Err(e) => json_response(
                StatusCode::BAD_REQUEST,
                json!({"error": e.replace("the body needs", "the query needs")}),
            ),
        };
    }
    let withdraw = match method {
        Method::POST => false,
        Method::DELETE => true,
        _ => {
            return json_response(
                StatusCode::METHOD_NOT_ALLOWED,
                json!({"error": "use POST to opt out or DELETE to withdraw"}),
            );
        }
    };
    let body = match Limited::new(req.into_body(), MAX_ADMIN_BODY)
        .collect()
        .await
    {
        Ok(b) => b.to_bytes(),
        Err(_) => {
            return json_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                json!({"error": "body too large"}),
            );
        }
    };
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v @ Value::Object(_)) => v,
        Ok(_) => {
            return json_response(
                StatusCode::BAD_REQUEST,
                json!({"error": "the body must be a JSON object"}),
            );
        }
        Err(e) => {
            return json_response(
                StatusCode::BAD_REQUEST,
                json!({"error": format!("malformed JSON at line {} column {}", e.line(), e.column())}),
            );
        }
    };
    let (kind, subject) = match subject_of(&value) {
        Ok(s) => s,
        Err(e) => return json_response(StatusCode::BAD_REQUEST, json!({"error": e})),
    };
    let reason = match value.get("reason") {
        Some(Value::String(r)) => Some(r.clone()),
        Some(_) => {
            return json_response(
                StatusCode::BAD_REQUEST,
                json!({"error": "`reason` must be a string"}),
            );
        }
        None => None,
    };
    let reason = match (withdraw, &reason) {
        (true, _) => None,
        (false, None) => {
            return json_response(
                StatusCode::BAD_REQUEST,
                json!({"error": "`reason` is required: gdpr_art17, gdpr_art21, ccpa_opt_out, gpc, coppa_parental_request, user_request or other"}),
            );
        }
        (false, Some(r)) => match check_reason(r) {
            Ok(r) => Some(r),
            Err(e) => return json_response(StatusCode::BAD_REQUEST, json!({"error": e})),
        },
    };
    let subject_key = SubjectKey::new(&key, kind, &subject);
    let change = if withdraw {
        Change::Withdraw(subject_key)
    } else {
        Change::OptOut(subject_key, reason.clone().unwrap_or_default())
    };
    // The change is recorded before it is made: a registry that changed without a line in the
    // audit log would be a change no one can account for. A failing log refuses the change.
    let audit_down = || {
        json_response(
            StatusCode::SERVICE_UNAVAILABLE,
            json!({"error": "the audit log cannot be written"}),
        )
    };
    if !state.audit.health().is_healthy() {
        return audit_down();
    }
    let mut record = Record::new(
        state.next_request_id(),
        PolicyVersion::of(&state.policies.load()),
    );
    record.route = path;
    record.outcome = Outcome::Admin;
    record.status = StatusCode::OK.as_u16();
    record.subject = Some(SubjectRecord {
        action: if withdraw { "withdraw" } else { "opt_out" },
        id_kind: kind.as_str(),
        reason: reason.clone(),
    });
    if let Err(e) = state.audit.write(&record).await {
        tracing::error!(error = %e, "Audit record of a subject change not written; the change is not made.");
        return audit_down();
    }
    if let Err(e) = state.store.apply(vec![change]).await {
        tracing::error!(error = %e, "Subject registry write failed.");
        // The record above announced the change; this one says it did not happen.
        record.outcome = Outcome::Rejected;
        record.error = Some("registry_unavailable");
        record.status = StatusCode::SERVICE_UNAVAILABLE.as_u16();
        if let Err(e) = state.audit.write(&record).await {
            tracing::error!(error = %e, record = %serde_json::to_string(&record).unwrap_or_default(), "Audit record of a failed subject change not written; it is in this log line.");
        }
        return json_response(
            StatusCode::SERVICE_UNAVAILABLE,
            json!({"error": "the subject registry cannot be written"}),
        );
    }
    json_response(
        StatusCode::OK,
        json!({"status": if withdraw { "withdrawn" } else { "opted_out" }, "id_kind": kind.as_str()}),
    )
}

fn json_response(status: StatusCode, body: Value) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    response
}

fn text(status: StatusCode, body: &'static str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from_static(body.as_bytes())));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}
