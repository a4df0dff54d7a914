//! The embedded capture collector: `--upstream capture[:PATH]`.
//!
//! For local development and demos. Every forwarded request becomes one JSON line in the capture
//! file — method, path, the headers that were kept, and the body (as JSON when it is JSON, a
//! capture/v2 protobuf body in its JSON form, as text when it is text, base64 otherwise) — and
//! one log line. It answers like Heap's collector. The file is written on the blocking pool,
//! never on an async worker: a slow disk delays the requests being captured, not the others.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, StatusCode};
use serde_json::{Map, Value, json};

use crate::protocol::{Route, empty_answer};
use crate::server::answer::{Answer, ForwardError};

/// The capture file writer.
pub struct Capture {
    path: PathBuf,
    file: Arc<Mutex<File>>,
}

impl Capture {
    /// Opens the capture file for appending, creating its directory.
    pub fn open(path: &Path) -> std::io::Result<Capture> {
        if let Some(parent) = path.parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent)?;
        }
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        Ok(Capture {
            path: path.to_owned(),
            file: Arc::new(Mutex::new(file)),
        })
    }

    /// The capture file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one request and answers as the collector would.
    pub async fn record(
        &self,
        route: &Route,
        method: &http::Method,
        path_and_query: &str,
        headers: &HeaderMap,
        body: &Bytes,
    ) -> Result<Answer, ForwardError> {
        let mut kept = Map::new();
        for (name, value) in headers {
            kept.insert(
                name.as_str().to_owned(),
                Value::String(String::from_utf8_lossy(value.as_bytes()).into_owned()),
            );
        }
        let capture = match route.endpoint {
            crate::protocol::Endpoint::Capture(e) => {
                crate::protocol::capture_v2::json_form::to_json(e, body).ok()
            }
            _ => None,
        };
        let body_value = match capture.map_or_else(|| serde_json::from_slice::<Value>(body), Ok) {
            Ok(v) => v,
            Err(_) => match std::str::from_utf8(body) {
                Ok(text) => Value::String(text.to_owned()),
                Err(_) => {
                    json!({ "base64": base64::engine::general_purpose::STANDARD.encode(body) })
                }
            },
        };
        let line = json!({
            "time": crate::audit::now_rfc3339(),
            "method": method.as_str(),
            "path": path_and_query,
            "headers": kept,
            "body": body_value,
        });
        let mut text = line.to_string();
        text.push('\n');
        let file = self.file.clone();
        tokio::task::spawn_blocking(move || {
            let mut file = file
                .lock()
                .map_err(|_| ForwardError::Capture("writer poisoned".into()))?;
            file.write_all(text.as_bytes())
                .map_err(|e| ForwardError::Capture(e.to_string()))
        })
        .await
        .map_err(|e| ForwardError::Capture(e.to_string()))??;
        tracing::info!(method = %method, route = route.path, bytes = body.len(), "Captured a forwarded request.");
        let answer = empty_answer(route);
        Ok(Answer {
            status: StatusCode::OK,
            content_type: Some(HeaderValue::from_static(answer.content_type)),
            body: Bytes::from_static(answer.body),
        })
    }
}
