//! What forwarding returns: the collector's answer or why there is none. Shared by the HTTP
//! upstream and the embedded capture collector, so neither depends on the other.

use std::time::Duration;

use bytes::Bytes;
use http::{HeaderValue, StatusCode};

/// The collector's answer.
#[derive(Debug)]
pub struct Answer {
    /// Status.
    pub status: StatusCode,
    /// Content type, if any.
    pub content_type: Option<HeaderValue>,
    /// Body.
    pub body: Bytes,
}

/// Forwarding failed.
#[derive(Debug, thiserror::Error)]
pub enum ForwardError {
    /// Could not connect, or the connection broke.
    #[error("the collector could not be reached: {0}")]
    Unreachable(String),
    /// No answer in time.
    #[error("the collector did not answer within {0:?}")]
    Timeout(Duration),
    /// The capture file could not be written.
    #[error("capture file: {0}")]
    Capture(String),
}

impl ForwardError {
    /// HTTP status for the client.
    pub fn status(&self) -> StatusCode {
        match self {
            ForwardError::Unreachable(_) => StatusCode::BAD_GATEWAY,
            ForwardError::Timeout(_) => StatusCode::GATEWAY_TIMEOUT,
            ForwardError::Capture(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// Short code for audit records.
    pub fn code(&self) -> &'static str {
        match self {
            ForwardError::Unreachable(_) => "upstream_unreachable",
            ForwardError::Timeout(_) => "upstream_timeout",
            ForwardError::Capture(_) => "capture_failed",
        }
    }
}
