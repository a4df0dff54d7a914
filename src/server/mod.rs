//! The proxy server: listeners, shared state, lifecycle.
//!
//! [`Server::start`] binds the traffic and admin listeners, opens the audit log and the
//! upstream, and serves until [`Server::shutdown`] (or a signal, in `main`): then it stops
//! accepting, lets in-flight requests finish within the drain timeout, and flushes the audit log.

pub mod admin;
pub mod answer;
pub mod capture;
pub mod ingress;
pub mod reload;
pub mod tls;
pub mod upstream;
pub mod worker;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use arc_swap::ArcSwap;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinHandle;

use crate::audit::AuditLog;
use crate::config::Config;
use crate::policy::PolicySet;
use upstream::Upstream;

/// Everything a request handler needs, shared by all connections.
pub struct State {
    /// The validated configuration.
    pub config: Config,
    /// The policy set in force; swapped whole on reload.
    pub policies: ArcSwap<PolicySet>,
    /// Where requests go.
    pub upstream: Upstream,
    /// The audit log.
    pub audit: AuditLog,
    /// The subject registry and token vault (embedded or Redis).
    pub store: crate::store::Store,
    /// Bearer token of the admin API's subject endpoints; `None` refuses them.
    pub admin_token: Option<String>,
    /// Bounds requests in progress.
    pub in_flight: Arc<Semaphore>,
    /// Bounds open traffic connections, across the workers.
    pub connections: Arc<Semaphore>,
    /// True once shutdown began.
    pub shutting_down: AtomicBool,
    /// The hash key policies are compiled with (kept for reloads).
    pub key: crate::keys::HashKey,
    /// The `--policy` list in force (updated when the config file changes it).
    pub policy_args: std::sync::Mutex<Vec<String>>,
    /// Held for the whole of a reload, so reloads take turns.
    pub reloading: std::sync::Mutex<()>,
    /// True when `--policy` flags override the config file's list.
    pub policies_from_flags: bool,
    /// Metrics served on the admin listener.
    pub metrics: crate::metrics::Metrics,
    /// The traffic listener's TLS acceptor, swapped when the certificates are reloaded.
    pub tls: ArcSwap<Option<tokio_rustls::TlsAcceptor>>,
    request_prefix: String,
    request_counter: AtomicU64,
}

impl State {
    /// A new request id: a per-process random prefix and a counter.
    pub fn next_request_id(&self) -> String {
        let n = self.request_counter.fetch_add(1, Ordering::Relaxed);
        request_id(&self.request_prefix, n)
    }
}

/// `prefix-` and the request's number in at least eight hex digits, written without `format!`
/// (every request takes one).
fn request_id(prefix: &str, n: u64) -> String {
    let digits = (64 - n.leading_zeros()).div_ceil(4).max(8) as usize;
    let mut id = String::with_capacity(prefix.len() + 1 + digits);
    id.push_str(prefix);
    id.push('-');
    for i in (0..digits).rev() {
        id.push(char::from(
            b"0123456789abcdef"[(n >> (4 * i) & 0xf) as usize],
        ));
    }
    id
}

/// Whether `upstream` names the listener bound at `addr`, as far as can be told without a
/// name lookup: an IP literal or `localhost` on the same port, where the listener's address
/// (or the wildcard it is bound to) accepts that IP.
fn forwards_to(upstream: &http::Uri, addr: SocketAddr) -> bool {
    let port = upstream
        .port_u16()
        .unwrap_or(if upstream.scheme_str() == Some("https") {
            443
        } else {
            80
        });
    if port != addr.port() {
        return false;
    }
    let host = upstream.host().unwrap_or_default();
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let ip: std::net::IpAddr = if host.eq_ignore_ascii_case("localhost") {
        std::net::Ipv4Addr::LOCALHOST.into()
    } else {
        match host.parse() {
            Ok(ip) => ip,
            Err(_) => return false,
        }
    };
    ip == addr.ip()
        || (addr.ip().is_unspecified() && (ip.is_loopback() || ip.is_unspecified()))
        || (ip.is_unspecified() && addr.ip().is_loopback())
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// A listener could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The audit log could not be opened.
    #[error("cannot open the audit log {path}: {source}")]
    Audit {
        /// The file.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The upstream is privgate's own listener: every request would be forwarded to itself.
    #[error(
        "the upstream {upstream} is privgate's own listener ({addr}); every request would come back to it"
    )]
    UpstreamIsSelf {
        /// The configured upstream.
        upstream: String,
        /// The bound listener.
        addr: SocketAddr,
    },
    /// The upstream could not be set up.
    #[error("cannot set up the upstream: {0}")]
    Upstream(#[source] upstream::UpstreamError),
    /// The listener's TLS configuration could not be built.
    #[error("TLS: {0}")]
    Tls(#[source] tls::TlsError),
    /// The subject registry or token vault could not be opened.
    #[error("{0}")]
    Store(#[source] crate::store::StoreError),
    /// The admin token file could not be read.
    #[error("cannot read the admin token file {path}: {source}")]
    AdminToken {
        /// The file.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The admin token is too short to resist guessing.
    #[error(
        "the admin token has {0} characters; use at least 16 (for example `openssl rand -hex 24`)"
    )]
    WeakAdminToken(usize),
}

/// The shortest admin token accepted: the subject API changes who is tracked.
const MIN_ADMIN_TOKEN: usize = 16;

/// A running server.
pub struct Server {
    /// The traffic listener's address.
    pub addr: SocketAddr,
    /// The admin listener's address.
    pub admin_addr: SocketAddr,
    /// Shared state (policy set, audit health).
    pub state: Arc<State>,
    stop: watch::Sender<bool>,
    /// Tells the worker threads that every request has finished.
    finished: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
    /// Traffic workers 1 and up ([`worker`]).
    workers: Vec<std::thread::JoinHandle<()>>,
    audit_thread: Option<std::thread::JoinHandle<()>>,
    _watcher: Option<notify::RecommendedWatcher>,
}

impl Server {
    /// Binds, opens and starts serving.
    pub async fn start(config: Config, set: PolicySet) -> Result<Server, ServeError> {
        let workers = config.worker_count();
        let listener =
            worker::bind(config.listen, workers > 1).map_err(|source| ServeError::Bind {
                addr: config.listen,
                source,
            })?;
        let admin_listener = TcpListener::bind(config.admin_listen)
            .await
            .map_err(|source| ServeError::Bind {
                addr: config.admin_listen,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| ServeError::Bind {
            addr: config.listen,
            source,
        })?;
        let admin_addr = admin_listener
            .local_addr()
            .map_err(|source| ServeError::Bind {
                addr: config.admin_listen,
                source,
            })?;
        if let crate::config::UpstreamSpec::Url(uri) = &config.upstream
            && forwards_to(uri, addr)
        {
            return Err(ServeError::UpstreamIsSelf {
                upstream: uri.to_string(),
                addr,
            });
        }
        let (audit, torn, audit_thread) = AuditLog::open_with(
            &config.audit_path,
            config.audit_sync,
            &config.audit_rotation,
        )
        .map_err(|source| ServeError::Audit {
            path: config.audit_path.display().to_string(),
            source,
        })?;
        if let Some(torn) = torn {
            match &torn.saved {
                Ok(copy) => {
                    tracing::warn!(path = %config.audit_path.display(), bytes = torn.bytes, copy = %copy.display(), "Cut off a torn last audit line left by a crash (its request was never answered); its bytes are kept in the copy.")
                }
                Err(e) => {
                    tracing::warn!(path = %config.audit_path.display(), bytes = torn.bytes, error = %e, "Cut off a torn last audit line left by a crash (its request was never answered); no copy could be kept.")
                }
            }
        }
        let https = matches!(&config.upstream, crate::config::UpstreamSpec::Url(u) if u.scheme_str() == Some("https"));
        if let Some(ca) = &config.upstream_ca
            && !https
        {
            tracing::warn!(upstream_ca = %ca.display(), "upstream_ca is set but the upstream is not https://; it is not used.");
        }
        let upstream = Upstream::new(
            &config.upstream,
            &config.limits,
            config.upstream_ca.as_deref(),
            workers,
        )
        .map_err(ServeError::Upstream)?;
        let tls = match &config.tls {
            Some(t) => Some(tokio_rustls::TlsAcceptor::from(
                tls::server_config(t).map_err(ServeError::Tls)?,
            )),
            None => None,
        };
        let store = crate::store::Store::open(&config.state, &config.data_dir)
            .map_err(ServeError::Store)?;
        let admin_token: Option<String> = match std::env::var("PRIVGATE_ADMIN_TOKEN") {
            Ok(t) if !t.trim().is_empty() => Some(t.trim().to_owned()),
            _ => match &config.admin_token_file {
                Some(path) => Some(
                    std::fs::read_to_string(path)
                        .map_err(|source| ServeError::AdminToken {
                            path: path.display().to_string(),
                            source,
                        })?
                        .trim()
                        .to_owned(),
                )
                .filter(|t| !t.is_empty()),
                None => None,
            },
        };
        if let Some(t) = &admin_token
            && t.chars().count() < MIN_ADMIN_TOKEN
        {
            return Err(ServeError::WeakAdminToken(t.chars().count()));
        }
        let mut prefix = [0u8; 4];
        getrandom::fill(&mut prefix).map_err(|e| {
            ServeError::Upstream(upstream::UpstreamError::Capture(std::io::Error::other(
                e.to_string(),
            )))
        })?;
        let mut metrics = crate::metrics::Metrics::new();
        if let Some(instruments) = store.instruments() {
            metrics.register_state(instruments);
        }
        let state = Arc::new(State {
            key: set.key.clone(),
            policy_args: std::sync::Mutex::new(config.policies.clone()),
            reloading: std::sync::Mutex::new(()),
            policies_from_flags: config.policies_from_flags,
            metrics,
            tls: ArcSwap::from_pointee(tls),
            in_flight: Arc::new(Semaphore::new(config.limits.max_in_flight)),
            connections: Arc::new(Semaphore::new(config.limits.max_connections)),
            policies: ArcSwap::from_pointee(set),
            upstream,
            audit,
            store,
            admin_token,
            shutting_down: AtomicBool::new(false),
            request_prefix: hex::encode(prefix),
            request_counter: AtomicU64::new(1),
            config,
        });
        let watcher = reload::spawn_watcher(state.clone(), std::time::Duration::from_millis(250));
        let (stop, stop_rx) = watch::channel(false);
        let (finished, finished_rx) = watch::channel(false);
        let mut workers_threads = Vec::with_capacity(workers.saturating_sub(1));
        for index in 1..workers {
            match worker::spawn(
                index,
                addr,
                state.clone(),
                stop_rx.clone(),
                finished_rx.clone(),
            ) {
                Ok(t) => workers_threads.push(t),
                Err(source) => {
                    // The ones started stop on their own.
                    let _ = stop.send(true);
                    let _ = finished.send(true);
                    return Err(ServeError::Bind { addr, source });
                }
            }
        }
        // Worker 0 is this event loop.
        crate::audit::deliver_acks_on_this_thread();
        let traffic = tokio::spawn(accept_loop(
            listener,
            state.clone(),
            stop_rx.clone(),
            Kind::Traffic,
        ));
        let admin = tokio::spawn(accept_loop(
            admin_listener,
            state.clone(),
            stop_rx,
            Kind::Admin,
        ));
        Ok(Server {
            addr,
            admin_addr,
            state,
            stop,
            finished,
            tasks: vec![traffic, admin],
            workers: workers_threads,
            audit_thread: Some(audit_thread),
            _watcher: watcher,
        })
    }

    /// Recompiles the policies (and the config file's policy list) and swaps them in; on any
    /// error the running set stays. Returns `name@sha256` of the new policies.
    pub fn reload(&self) -> Result<Vec<String>, reload::ReloadError> {
        reload::reload(&self.state)
    }

    /// Stops accepting, waits for in-flight requests (bounded by the drain timeout), then
    /// flushes and closes the audit log.
    pub async fn shutdown(mut self) {
        self.state.shutting_down.store(true, Ordering::SeqCst);
        let _ = self.stop.send(true);
        for task in self.tasks.drain(..) {
            let _ = task.await;
        }
        // Requests already inside privgate finish and are audited before the log closes, even
        // past the drain timeout: one being forwarded may already have reached the collector.
        // Each is bounded by its own body and upstream timeouts.
        let limits = &self.state.config.limits;
        let all = u32::try_from(limits.max_in_flight).unwrap_or(u32::MAX);
        let bound =
            limits.body_timeout + limits.upstream_timeout + std::time::Duration::from_secs(5);
        if tokio::time::timeout(bound, self.state.in_flight.acquire_many(all))
            .await
            .is_err()
        {
            tracing::warn!(timeout = ?bound, "Requests still in progress at exit; their records are in this log.");
        }
        let _ = self.finished.send(true);
        for t in std::mem::take(&mut self.workers) {
            let _ = tokio::task::spawn_blocking(move || t.join()).await;
        }
        let thread = self.audit_thread.take();
        // Every connection is done: the writer writes what it has, syncs and exits, and the
        // registry's lock is released for whoever runs next.
        self.state.audit.close().await;
        self.state.store.close();
        drop(self);
        if let Some(t) = thread {
            let _ = tokio::task::spawn_blocking(move || t.join()).await;
        }
    }
}

impl Drop for Server {
    /// A server dropped without [`Server::shutdown`] (a test, an error path) stops its worker
    /// threads too: they would otherwise keep serving on their own event loops.
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        let _ = self.finished.send(true);
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Traffic,
    Admin,
}

async fn accept_loop(
    listener: TcpListener,
    state: Arc<State>,
    mut stop: watch::Receiver<bool>,
    kind: Kind,
) {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(state.config.limits.header_timeout);
    builder.http2().timer(TokioTimer::new());
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    // Traffic connections count against one limit across the workers; admin ones apart.
    let connections = match kind {
        Kind::Traffic => state.connections.clone(),
        Kind::Admin => Arc::new(Semaphore::new(state.config.limits.max_connections)),
    };
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = stop.changed() => break,
        };
        let (stream, peer) = match accepted {
            Ok(a) => a,
            Err(e) => {
                // Out of file descriptors and the like: back off briefly instead of spinning.
                tracing::warn!(error = %e, "Accept failed.");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let permit = connections.clone().try_acquire_owned().ok();
        let tls = match kind {
            Kind::Traffic => state.tls.load_full(),
            Kind::Admin => Arc::new(None),
        };
        let state = state.clone();
        let builder = builder.clone();
        let watcher = graceful.watcher();
        tokio::spawn(async move {
            state.metrics.connections().inc();
            let handshake_timeout = state.config.limits.header_timeout;
            match tls.as_ref() {
                Some(acceptor) => {
                    match tokio::time::timeout(handshake_timeout, acceptor.accept(stream)).await {
                        Ok(Ok(tls_stream)) => {
                            serve(
                                TokioIo::new(tls_stream),
                                &state,
                                peer,
                                kind,
                                permit.is_some(),
                                &builder,
                                watcher,
                            )
                            .await
                        }
                        Ok(Err(e)) => tracing::debug!(error = %e, "TLS handshake failed."),
                        Err(_) => tracing::debug!("TLS handshake timed out."),
                    }
                }
                None => {
                    serve(
                        TokioIo::new(stream),
                        &state,
                        peer,
                        kind,
                        permit.is_some(),
                        &builder,
                        watcher,
                    )
                    .await
                }
            }
            state.metrics.connections().dec();
            drop(permit);
        });
    }
    // Stop accepting at once: new connections are refused (and a load balancer moves on)
    // while the open ones drain.
    drop(listener);
    let drain = state.config.limits.drain_timeout;
    if tokio::time::timeout(drain, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(timeout = ?drain, "Drain timeout reached; closing remaining connections.");
    }
}

/// Serves one connection: traffic, admin, or — over the connection limit — a single 503 with
/// `Retry-After`, never a queue.
async fn serve<I>(
    io: TokioIo<I>,
    state: &Arc<State>,
    peer: SocketAddr,
    kind: Kind,
    admitted: bool,
    builder: &auto::Builder<TokioExecutor>,
    watcher: hyper_util::server::graceful::Watcher,
) where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let result = match (kind, admitted) {
        (_, false) => {
            state.metrics.refused_connection();
            tracing::debug!("Connection limit reached; answering 503.");
            let svc = service_fn(|_req| async {
                let mut resp = http::Response::new(http_body_util::Full::new(
                    bytes::Bytes::from_static(b"{\"error\":\"too many connections\"}"),
                ));
                *resp.status_mut() = http::StatusCode::SERVICE_UNAVAILABLE;
                let h = resp.headers_mut();
                h.insert(
                    http::header::RETRY_AFTER,
                    http::HeaderValue::from_static("1"),
                );
                h.insert(
                    http::header::CONNECTION,
                    http::HeaderValue::from_static("close"),
                );
                h.insert(
                    http::header::CONTENT_TYPE,
                    http::HeaderValue::from_static("application/json"),
                );
                Ok::<_, Infallible>(resp)
            });
            watcher
                .watch(builder.serve_connection(io, svc).into_owned())
                .await
        }
        (Kind::Traffic, true) => {
            let state = state.clone();
            let svc = service_fn(move |req| {
                let state = state.clone();
                // Each request runs in a task of its own: a client that hangs up drops the
                // connection's future, but not a request between its decision record and its
                // outcome record.
                async move {
                    let response = match tokio::spawn(ingress::handle(state, req, peer)).await {
                        Ok(response) => response,
                        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                        // Cancelled: the runtime is shutting down.
                        Err(_) => {
                            let mut r = http::Response::new(http_body_util::Full::new(
                                bytes::Bytes::from_static(
                                    b"{\"error\":\"privgate is shutting down\"}",
                                ),
                            ));
                            *r.status_mut() = http::StatusCode::SERVICE_UNAVAILABLE;
                            r
                        }
                    };
                    Ok::<_, Infallible>(response)
                }
            });
            watcher
                .watch(builder.serve_connection(io, svc).into_owned())
                .await
        }
        (Kind::Admin, true) => {
            let state = state.clone();
            let svc = service_fn(move |req| {
                let state = state.clone();
                async move { Ok::<_, Infallible>(admin::handle(state, req).await) }
            });
            watcher
                .watch(builder.serve_connection(io, svc).into_owned())
                .await
        }
    };
    if let Err(e) = result {
        match (kind, http_layer_rejection(&*e)) {
            (Kind::Traffic, Some((status, code))) => {
                audit_http_rejection(state, status, code).await
            }
            _ => tracing::debug!(error = %e, "Connection ended with an error."),
        }
    }
}

/// A request hyper refused while parsing it, before privgate saw it: the status hyper answered
/// with (it writes that answer itself, without a body) and the error code privgate counts and
/// audits. Other connection errors (a client hanging up) are not requests.
fn http_layer_rejection(e: &(dyn std::error::Error + 'static)) -> Option<(u16, &'static str)> {
    let e = e.downcast_ref::<hyper::Error>()?;
    if !e.is_parse() && !e.is_parse_too_large() && !e.is_parse_status() {
        return None;
    }
    // hyper tells the kinds apart only in its message.
    let text = e.to_string().to_ascii_lowercase();
    Some(if text.contains("uri too long") {
        (414, "uri_too_long")
    } else if e.is_parse_too_large() {
        (431, "headers_too_large")
    } else if text.contains("content-length") {
        (400, "bad_content_length")
    } else if text.contains("transfer-encoding") {
        (400, "bad_transfer_encoding")
    } else if text.contains("header") {
        (400, "malformed_header")
    } else if text.contains("uri") {
        (400, "malformed_uri")
    } else {
        (400, "malformed_request_line")
    })
}

/// Counts and audits a request the HTTP layer refused (nothing was read into events, nothing
/// forwarded). The record names no route: the request line may not have been readable.
async fn audit_http_rejection(state: &Arc<State>, status: u16, code: &'static str) {
    let set = state.policies.load_full();
    let request_id = state.next_request_id();
    let mut record =
        crate::audit::Record::new(request_id.clone(), crate::audit::PolicyVersion::of(&set));
    record.status = status;
    record.error = Some(code);
    let written = state.audit.write(&record).await;
    state.metrics.request(&record, "unknown");
    if let Err(e) = written {
        tracing::error!(request_id = %request_id, error = %e, code, "Audit record of an HTTP-layer rejection not written.");
    }
    tracing::debug!(request_id = %request_id, status, error = code, "Request refused by the HTTP layer.");
}

#[cfg(test)]
mod tests {
    use super::{forwards_to, request_id};

    #[test]
    fn request_ids_are_the_prefix_and_at_least_eight_hex_digits() {
        for n in [0, 1, 0xabc, 0xffff_ffff, 0x1_0000_0000, u64::MAX] {
            assert_eq!(request_id("7f3a", n), format!("7f3a-{n:08x}"));
        }
    }

    #[test]
    fn an_upstream_naming_the_listener_is_caught_and_others_are_not() {
        let own = |uri: &str, addr: &str| forwards_to(&uri.parse().unwrap(), addr.parse().unwrap());
        assert!(own("http://127.0.0.1:8080", "127.0.0.1:8080"));
        assert!(own("http://localhost:8080/", "127.0.0.1:8080"));
        assert!(own("http://127.0.0.1:8080", "0.0.0.0:8080"));
        assert!(own("http://0.0.0.0:8080", "127.0.0.1:8080"));
        assert!(own("http://[::1]:8080", "[::1]:8080"));
        assert!(own("http://10.1.2.3:80", "10.1.2.3:80"));
        assert!(own("http://10.1.2.3", "10.1.2.3:80"));
        assert!(own("https://10.1.2.3", "10.1.2.3:443"));
        // Another port, another address, or a name only a lookup could resolve.
        assert!(!own("http://127.0.0.1:8081", "127.0.0.1:8080"));
        assert!(!own("http://10.1.2.3:8080", "127.0.0.1:8080"));
        assert!(!own("http://10.1.2.3", "10.1.2.3:443"));
        assert!(!own("http://collector.internal:8080", "0.0.0.0:8080"));
    }
}
