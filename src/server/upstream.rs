//! Forwarding: a pooled HTTP client to the collector, or the embedded capture collector.
//!
//! Only an allowlist of headers goes upstream: the content type the adapter wrote, the end
//! user's address and agent as the policies left them, the request id, and the tracing headers
//! the operator listed (`forward_headers`, checked value by value). Cookies, referrers and
//! everything else stay behind (fail closed).

use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Request, header};
use http_body_util::{BodyExt, Full, Limited};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

use crate::config::{Limits, UpstreamSpec};
use crate::protocol::{Outgoing, Route};
use crate::server::capture::Capture;

/// The largest collector answer passed back.
const MAX_UPSTREAM_BODY: usize = 1024 * 1024;

/// Where requests go.
pub enum Upstream {
    /// A real collector.
    Http {
        /// Pooled clients (plain HTTP or TLS, by the URL's scheme), one per traffic worker: a
        /// worker forwards over connections its own event loop drives.
        clients: Vec<Client<HttpsConnector<HttpConnector>, Full<Bytes>>>,
        /// `scheme://authority` of the collector.
        base: String,
        /// Path prefix of the collector URL (no trailing slash).
        prefix: String,
        /// The `Host` header the client would write (host, and port when not the scheme's
        /// default), made once instead of formatted for every request.
        host: Option<HeaderValue>,
        /// Time allowed for the answer.
        timeout: Duration,
    },
    /// The embedded capture collector.
    Capture(Capture),
}

/// The upstream could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum UpstreamError {
    /// The capture file could not be opened.
    #[error("capture file: {0}")]
    Capture(#[source] std::io::Error),
    /// The TLS roots could not be loaded.
    #[error(transparent)]
    Tls(#[from] crate::server::tls::TlsError),
}

pub use crate::server::answer::{Answer, ForwardError};

impl Upstream {
    /// Builds the upstream from its spec, with a connection pool for each of `workers`; `ca`
    /// replaces the Mozilla roots for `https://`.
    pub fn new(
        spec: &UpstreamSpec,
        limits: &Limits,
        ca: Option<&std::path::Path>,
        workers: usize,
    ) -> Result<Upstream, UpstreamError> {
        match spec {
            UpstreamSpec::Capture(path) => Ok(Upstream::Capture(
                Capture::open(path).map_err(UpstreamError::Capture)?,
            )),
            UpstreamSpec::Url(uri) => {
                let mut http = HttpConnector::new();
                http.set_connect_timeout(Some(limits.upstream_connect_timeout));
                http.set_nodelay(true);
                http.enforce_http(false);
                let tls = crate::server::tls::client_config(ca)?;
                let connector = hyper_rustls::HttpsConnectorBuilder::new()
                    .with_tls_config(tls)
                    .https_or_http()
                    .enable_http1()
                    .wrap_connector(http);
                let clients = (0..workers.max(1))
                    .map(|_| {
                        Client::builder(TokioExecutor::new())
                            .pool_max_idle_per_host(limits.upstream_pool_idle)
                            .pool_idle_timeout(Duration::from_secs(60))
                            .build(connector.clone())
                    })
                    .collect();
                let scheme = uri.scheme_str().unwrap_or("http");
                let authority = uri.authority().map(|a| a.as_str()).unwrap_or("");
                Ok(Upstream::Http {
                    clients,
                    host: host_header(uri),
                    base: format!("{scheme}://{authority}"),
                    prefix: uri.path().trim_end_matches('/').to_owned(),
                    timeout: limits.upstream_timeout,
                })
            }
        }
    }

    /// A short description for the start-up log.
    pub fn describe(&self) -> String {
        match self {
            Upstream::Http { base, prefix, .. } => format!("{base}{prefix}"),
            Upstream::Capture(c) => format!("capture:{}", c.path().display()),
        }
    }

    /// Sends a filtered request and returns the collector's answer.
    pub async fn forward(
        &self,
        route: &Route,
        method: &http::Method,
        out: &Outgoing,
        extra: &HeaderMap,
        request_id: &str,
    ) -> Result<Answer, ForwardError> {
        let headers = outgoing_headers(out, extra, request_id);
        match self {
            Upstream::Capture(capture) => {
                capture
                    .record(route, method, &out.path_and_query, &headers, &out.body)
                    .await
            }
            Upstream::Http {
                clients,
                base,
                prefix,
                host,
                timeout,
            } => {
                let mut uri =
                    String::with_capacity(base.len() + prefix.len() + out.path_and_query.len());
                uri.push_str(base);
                uri.push_str(prefix);
                uri.push_str(&out.path_and_query);
                let mut req = Request::builder()
                    .method(method.clone())
                    .uri(uri)
                    .body(Full::new(out.body.clone()))
                    .map_err(|e| ForwardError::Unreachable(e.to_string()))?;
                *req.headers_mut() = headers;
                if let Some(host) = host {
                    req.headers_mut().insert(header::HOST, host.clone());
                }
                let client = &clients[crate::server::worker::index() % clients.len()];
                let answer = async {
                    let resp = client
                        .request(req)
                        .await
                        .map_err(|e| ForwardError::Unreachable(crate::diag::error_chain(&e)))?;
                    let status = resp.status();
                    let content_type = resp.headers().get(header::CONTENT_TYPE).cloned();
                    let body = Limited::new(resp.into_body(), MAX_UPSTREAM_BODY)
                        .collect()
                        .await
                        .map_err(|e| ForwardError::Unreachable(e.to_string()))?
                        .to_bytes();
                    Ok(Answer {
                        status,
                        content_type,
                        body,
                    })
                };
                tokio::time::timeout(*timeout, answer)
                    .await
                    .map_err(|_| ForwardError::Timeout(*timeout))?
            }
        }
    }
}

/// The `Host` header for the collector at `uri`, as hyper's client writes it when none is set:
/// the host, with the port when it is not the scheme's default.
fn host_header(uri: &http::Uri) -> Option<HeaderValue> {
    let host = uri.host()?;
    let default_port = match uri.scheme_str() {
        Some("https") => 443,
        _ => 80,
    };
    let value = match uri.port_u16() {
        Some(port) if port != default_port => format!("{host}:{port}"),
        _ => host.to_owned(),
    };
    HeaderValue::from_str(&value).ok()
}

/// The headers sent upstream.
fn outgoing_headers(out: &Outgoing, extra: &HeaderMap, request_id: &str) -> HeaderMap {
    let mut headers = out.headers.clone();
    if let Some(ct) = &out.content_type {
        headers.insert(header::CONTENT_TYPE, ct.clone());
    }
    if let Some(ip) = out
        .client_ip
        .as_deref()
        .and_then(|v| HeaderValue::from_str(v).ok())
    {
        headers.insert("x-forwarded-for", ip);
    }
    if let Some(ua) = out
        .user_agent
        .as_deref()
        .and_then(|v| HeaderValue::from_str(v).ok())
    {
        headers.insert(header::USER_AGENT, ua);
    }
    if let Ok(id) = HeaderValue::from_str(request_id) {
        headers.insert("x-request-id", id);
    }
    // Never a second copy of a header privgate wrote (config validation already refuses them).
    for (name, value) in extra {
        if !headers.contains_key(name) {
            headers.insert(name, value.clone());
        }
    }
    headers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_header_is_the_one_hyper_would_write() {
        let host = |uri: &str| host_header(&uri.parse().unwrap()).unwrap();
        assert_eq!(host("http://127.0.0.1:8080/x"), "127.0.0.1:8080");
        assert_eq!(host("http://collector.example:80"), "collector.example");
        assert_eq!(host("https://heapanalytics.com/"), "heapanalytics.com");
        assert_eq!(
            host("https://collector.example:8443"),
            "collector.example:8443"
        );
        assert_eq!(host("https://[::1]:9443"), "[::1]:9443");
    }
}
