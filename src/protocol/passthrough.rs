//! Heap's data-privacy API (`/api/public/v0/...`): forwarded unchanged with its `Authorization`
//! header, because the request *is* the erasure. No policy runs on it.
//!
//! For `user_deletion` the adapter reads which identities and user ids are to be erased, so the
//! server can add them to the subject registry once the collector accepted the request
//! (`on_erasure: opt_out`) and collection does not silently start again.

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, header};
use serde_json::Value;

use crate::event::RequestMeta;
use crate::protocol::{
    Batch, DecodeError, Envelope as AnyEnvelope, Outgoing, PrivacyEndpoint, RawRequest, Route,
    heap_json,
};
use crate::subjects::IdKind;

/// The request as received.
#[derive(Debug, Clone)]
pub struct Envelope {
    body: Bytes,
    content_type: Option<HeaderValue>,
    authorization: Option<HeaderValue>,
    /// Subjects a `user_deletion` request erases.
    pub erasure: Vec<(IdKind, String)>,
}

/// Most subjects in one deletion request (Heap's documented limit).
const MAX_DELETIONS: usize = 10_000;

/// Reads a data-privacy API request.
pub fn decode(
    route: &'static Route,
    endpoint: PrivacyEndpoint,
    raw: &RawRequest,
    meta: RequestMeta,
) -> Result<Batch, DecodeError> {
    let mut erasure = Vec::new();
    if endpoint == PrivacyEndpoint::UserDeletion {
        // Each entry is an object of one or two ids: a few values per deletion at most.
        let body = match heap_json::parse_strict(&raw.body, 8, 4 * MAX_DELETIONS + 16) {
            Ok(body) => body,
            Err(heap_json::ParseError::Json(e)) => return Err(e),
            Err(heap_json::ParseError::TooManyValues) => {
                return Err(DecodeError::Shape {
                    path: "users".into(),
                    message: format!("more than {MAX_DELETIONS} users (Heap's limit per request)"),
                });
            }
        };
        let Some(users) = body.get("users").and_then(Value::as_array) else {
            return Err(DecodeError::Shape {
                path: "users".into(),
                message: "must be a list of {\"user_id\"} or {\"identity\"} objects".into(),
            });
        };
        if users.len() > MAX_DELETIONS {
            return Err(DecodeError::TooManyEvents {
                count: users.len(),
                limit: MAX_DELETIONS,
            });
        }
        for (i, user) in users.iter().enumerate() {
            let text = |v: &Value| match v {
                Value::String(s) if !s.is_empty() => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            };
            let found: Vec<(IdKind, String)> =
                [("identity", IdKind::Identity), ("user_id", IdKind::UserId)]
                    .into_iter()
                    .filter_map(|(k, kind)| user.get(k).and_then(text).map(|v| (kind, v)))
                    .collect();
            if found.is_empty() {
                return Err(DecodeError::Shape {
                    path: format!("users[{i}]"),
                    message: "needs `user_id` or `identity`".into(),
                });
            }
            erasure.extend(found);
        }
    }
    Ok(Batch {
        route,
        events: Vec::new(),
        envelope: AnyEnvelope::Passthrough(Envelope {
            body: raw.body.clone(),
            content_type: raw.headers.get(header::CONTENT_TYPE).cloned(),
            authorization: raw.headers.get(header::AUTHORIZATION).cloned(),
            erasure,
        }),
        unknown_fields: 0,
        app_id: None,
        meta,
    })
}

/// The request, unchanged.
pub fn encode(batch: &Batch, env: &Envelope) -> Outgoing {
    let mut headers = HeaderMap::new();
    if let Some(auth) = &env.authorization {
        headers.insert(header::AUTHORIZATION, auth.clone());
    }
    let path_and_query = match &batch.meta.query {
        Some(q) => format!("{}?{q}", batch.meta.path),
        None => batch.meta.path.clone(),
    };
    Outgoing {
        protocol: crate::protocol::Protocol::Passthrough,
        path_and_query,
        content_type: env.content_type.clone(),
        headers,
        body: env.body.clone(),
        client_ip: None,
        user_agent: None,
    }
}
