//! Server configuration: embedded defaults, overridden by the config file, overridden by flags
//! (docs/reference/configuration.md).
//!
//! Everything is validated here, once, so that the server never meets a half-valid setting.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use ipnet::IpNet;

use crate::audit::{Rotation, SyncMode};
use crate::diag::{Report, Source};
use crate::yaml::{self, Diags, MapReader, Node, Value, expect_str, expect_str_list};

/// Where forwarded requests go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpstreamSpec {
    /// The embedded capture collector, appending to this file.
    Capture(PathBuf),
    /// A collector at this base URL (`http://host:port[/prefix]`).
    Url(http::Uri),
}

impl UpstreamSpec {
    /// Parses `capture`, `capture:PATH` or an `http://` URL.
    pub fn parse(text: &str, data_dir: &std::path::Path) -> Result<UpstreamSpec, String> {
        if text == "capture" {
            return Ok(UpstreamSpec::Capture(data_dir.join("capture.jsonl")));
        }
        if let Some(path) = text.strip_prefix("capture:") {
            if path.is_empty() {
                return Err("`capture:` needs a file path after the colon".to_owned());
            }
            return Ok(UpstreamSpec::Capture(PathBuf::from(path)));
        }
        let uri: http::Uri = text
            .parse()
            .map_err(|e| format!("upstream `{text}` is not a URL: {e}"))?;
        match uri.scheme_str() {
            Some("http") | Some("https") => {}
            _ => {
                return Err(format!(
                    "upstream `{text}` must start with http:// or https://, or be `capture[:PATH]`"
                ));
            }
        }
        if uri.host().is_none() {
            return Err(format!("upstream `{text}` has no host"));
        }
        if uri.query().is_some() {
            return Err(format!("upstream `{text}` must not have a query string"));
        }
        Ok(UpstreamSpec::Url(uri))
    }
}

/// Limits and timeouts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest request body (after decompression).
    pub max_body_bytes: usize,
    /// The decode budget: depth, events, fields and parameters per request.
    pub decode: crate::protocol::DecodeLimits,
    /// Time allowed to receive the request headers.
    pub header_timeout: Duration,
    /// Time allowed to receive the request body.
    pub body_timeout: Duration,
    /// Time allowed to connect to the collector.
    pub upstream_connect_timeout: Duration,
    /// Time allowed for the collector's answer.
    pub upstream_timeout: Duration,
    /// Idle connections kept per collector host.
    pub upstream_pool_idle: usize,
    /// Open client connections; beyond, new ones are closed at once.
    pub max_connections: usize,
    /// Requests in progress; beyond, 503 with `Retry-After`.
    pub max_in_flight: usize,
    /// Time given to in-flight requests at shutdown.
    pub drain_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 1024 * 1024,
            decode: crate::protocol::DecodeLimits::default(),
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            upstream_connect_timeout: Duration::from_secs(5),
            upstream_timeout: Duration::from_secs(10),
            upstream_pool_idle: 64,
            max_connections: 10_000,
            max_in_flight: 4096,
            drain_timeout: Duration::from_secs(30),
        }
    }
}

/// The complete, validated configuration of `privgate serve`.
#[derive(Debug, Clone)]
pub struct Config {
    /// Traffic listener.
    pub listen: SocketAddr,
    /// Admin listener (health, metrics, subject API).
    pub admin_listen: SocketAddr,
    /// Traffic workers: each a thread with its own event loop, listener (`SO_REUSEPORT`) and
    /// collector connections. 0: one per CPU the process may run on.
    pub workers: usize,
    /// Where requests go.
    pub upstream: UpstreamSpec,
    /// `--policy` arguments, in order.
    pub policies: Vec<String>,
    /// Scopes given in the config file's `policies:` list, replacing those policies' own.
    pub policy_scopes: Vec<(String, crate::policy::spec::ScopeSpec)>,
    /// Audit log file.
    pub audit_path: PathBuf,
    /// When audit records reach the disk.
    pub audit_sync: SyncMode,
    /// Rotation and retention of the audit log (off by default).
    pub audit_rotation: Rotation,
    /// State directory (generated key, capture file, registry).
    pub data_dir: PathBuf,
    /// Hash key file, if not from the environment.
    pub hash_key_file: Option<PathBuf>,
    /// Peers whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpNet>,
    /// Extra request headers forwarded as they are (lowercase names).
    pub forward_headers: Vec<http::HeaderName>,
    /// Limits and timeouts.
    pub limits: Limits,
    /// The config file, when one was given (watched for reload).
    pub file: Option<PathBuf>,
    /// True when the policy list came from `--policy` flags (a config reload keeps it).
    pub policies_from_flags: bool,
    /// File holding the admin API's bearer token (`PRIVGATE_ADMIN_TOKEN` wins).
    pub admin_token_file: Option<PathBuf>,
    /// What a data-privacy API deletion does to the registry.
    pub on_erasure: OnErasure,
    /// TLS for the traffic listener.
    pub tls: Option<ServerTls>,
    /// CA certificates (PEM) an `https://` upstream must chain to; default: the Mozilla roots.
    pub upstream_ca: Option<PathBuf>,
    /// Where the subject registry and token vault live.
    pub state: crate::store::Backend,
}

/// What happens when a deletion request passes through and the collector accepts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnErasure {
    /// Nothing: collection for those subjects may start again.
    #[default]
    Ignore,
    /// The erased subjects are opted out (reason `gdpr_erasure`).
    OptOut,
}

/// More workers than this are not useful on any machine privgate runs on.
const MAX_WORKERS: usize = 256;

impl Config {
    /// The number of traffic workers: `workers`, or one per CPU this process may run on (its
    /// affinity mask, so `taskset -c 1` gives one).
    pub fn worker_count(&self) -> usize {
        match self.workers {
            0 => std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
            n => n,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        let data_dir = PathBuf::from("privgate-data");
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            admin_listen: SocketAddr::from(([127, 0, 0, 1], 9191)),
            workers: 0,
            upstream: UpstreamSpec::Capture(data_dir.join("capture.jsonl")),
            policies: vec!["gdpr".to_owned()],
            policy_scopes: Vec::new(),
            audit_path: data_dir.join("audit.jsonl"),
            audit_sync: SyncMode::Always,
            audit_rotation: Rotation::default(),
            hash_key_file: None,
            trusted_proxies: Vec::new(),
            forward_headers: Vec::new(),
            limits: Limits::default(),
            data_dir,
            file: None,
            policies_from_flags: false,
            admin_token_file: None,
            on_erasure: OnErasure::Ignore,
            tls: None,
            upstream_ca: None,
            state: crate::store::Backend::Embedded,
        }
    }
}

/// Why a config file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file has mistakes; all of them are in the report.
    #[error("{0}")]
    Invalid(Report),
}

const CONFIG_KEYS: &[&str] = &[
    "listen",
    "admin_listen",
    "workers",
    "upstream",
    "policies",
    "audit",
    "data_dir",
    "hash_key_file",
    "trusted_proxies",
    "forward_headers",
    "limits",
    "admin_token_file",
    "on_erasure",
    "tls",
    "upstream_ca",
    "state",
];
const AUDIT_KEYS: &[&str] = &[
    "path",
    "sync",
    "batch_ms",
    "rotate_bytes",
    "rotate_daily",
    "keep_files",
    "keep_days",
    "gzip",
];
const LIMIT_KEYS: &[&str] = &[
    "max_body_bytes",
    "max_json_depth",
    "max_events",
    "max_event_fields",
    "max_request_fields",
    "max_parameters",
    "max_key_bytes",
    "header_timeout",
    "body_timeout",
    "upstream_connect_timeout",
    "upstream_timeout",
    "upstream_pool_idle",
    "max_connections",
    "max_in_flight",
    "drain_timeout",
];

impl Config {
    /// Reads a config file over the defaults. Relative paths in it are relative to the file's
    /// folder. Every mistake is reported at once, with its line and column.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.to_owned(),
            source,
        })?;
        let base = path.parent().map(Path::to_owned).unwrap_or_default();
        let source = Source::new(path.display().to_string(), text);
        let mut diags = Diags::default();
        let mut config = Config {
            file: Some(path.to_owned()),
            ..Config::default()
        };
        match yaml::parse(&source.text) {
            Ok(root) => read_config(&root, &base, &mut config, &mut diags),
            Err(e) => diags.push(e),
        }
        if diags
            .0
            .iter()
            .any(|d| d.severity == crate::diag::Severity::Error)
        {
            diags.0.sort_by_key(|d| (d.loc.line, d.loc.col));
            return Err(ConfigError::Invalid(Report {
                source,
                diagnostics: diags.0,
            }));
        }
        Ok(config)
    }
}

fn resolve(base: &Path, p: &str) -> PathBuf {
    let path = Path::new(p);
    if path.is_absolute() {
        path.to_owned()
    } else {
        base.join(path)
    }
}

fn read_config(root: &Node, base: &Path, config: &mut Config, diags: &mut Diags) {
    if root.value == Value::Null {
        tracing::warn!("The config file is empty: running on the defaults.");
        return;
    }
    let Some(map) = MapReader::new(root, "the config file", CONFIG_KEYS, diags) else {
        return;
    };
    let addr = |key: &str, diags: &mut Diags| -> Option<SocketAddr> {
        let node = map.get(key)?;
        let text = expect_str(node, &format!("`{key}`"), diags)?;
        match text.parse() {
            Ok(a) => Some(a),
            Err(_) => {
                diags.error(
                    node.loc,
                    format!("`{key}` must be an address like 127.0.0.1:8080"),
                );
                None
            }
        }
    };
    if let Some(a) = addr("listen", diags) {
        config.listen = a;
    }
    if let Some(a) = addr("admin_listen", diags) {
        config.admin_listen = a;
    }
    if let Some(n) = map.u64("workers", diags) {
        config.workers = usize::try_from(n).unwrap_or(usize::MAX).min(MAX_WORKERS);
    }
    if let Some(d) = map.str("data_dir", diags) {
        config.data_dir = resolve(base, d);
        config.audit_path = config.data_dir.join("audit.jsonl");
        config.upstream = UpstreamSpec::Capture(config.data_dir.join("capture.jsonl"));
    }
    if let Some(node) = map.get("upstream")
        && let Some(text) = expect_str(node, "`upstream`", diags)
    {
        let text = match text.strip_prefix("capture:") {
            Some(p) if !p.is_empty() => format!("capture:{}", resolve(base, p).display()),
            _ => text.to_owned(),
        };
        match UpstreamSpec::parse(&text, &config.data_dir) {
            Ok(u) => config.upstream = u,
            Err(e) => diags.error(node.loc, e),
        }
    }
    if let Some(node) = map.get("policies") {
        read_policy_list(node, base, config, diags);
    }
    if let Some(node) = map.get("audit")
        && let Some(audit) = MapReader::new(node, "`audit`", AUDIT_KEYS, diags)
    {
        if let Some(p) = audit.str("path", diags) {
            config.audit_path = resolve(base, p);
        }
        read_audit(&audit, config, diags);
    }
    if let Some(p) = map.str("hash_key_file", diags) {
        config.hash_key_file = Some(resolve(base, p));
    }
    if let Some(node) = map.get("tls")
        && let Some(t) = MapReader::new(node, "`tls`", &["cert", "key", "client_ca"], diags)
    {
        let cert = t.required_str("cert", diags).map(|p| resolve(base, p));
        let key = t.required_str("key", diags).map(|p| resolve(base, p));
        let client_ca = t.str("client_ca", diags).map(|p| resolve(base, p));
        if let (Some(cert), Some(key)) = (cert, key) {
            config.tls = Some(ServerTls {
                cert,
                key,
                client_ca,
            });
        }
    }
    if let Some(node) = map.get("state")
        && let Some(st) = MapReader::new(
            node,
            "`state`",
            &["backend", "url", "prefix", "timeout", "fail_open_to"],
            diags,
        )
    {
        match st.str("backend", diags) {
            None | Some("embedded") => {
                // Settings that would do nothing are mistakes, not silence.
                for key in ["url", "prefix", "timeout", "fail_open_to"] {
                    if let Some(n) = st.get(key) {
                        diags.error(
                            n.loc,
                            format!("`state.{key}` is only used with `backend: redis`"),
                        );
                    }
                }
            }
            Some("redis") => {
                let url = st.required_str("url", diags).map(str::to_owned);
                if let Some(u) = &url
                    && !(u.starts_with("redis://") || u.starts_with("rediss://"))
                {
                    diags.error(
                        st.get("url").map_or(node.loc, |n| n.loc),
                        "`state.url` must start with redis:// or rediss://",
                    );
                }
                let timeout = st
                    .get("timeout")
                    .and_then(|n| duration(n, "timeout", diags))
                    .unwrap_or(Duration::from_millis(500));
                let fail_open_to_drop = match st.get("fail_open_to") {
                    None => false,
                    Some(n) => match expect_str(n, "`fail_open_to`", diags) {
                        Some("drop") => true,
                        Some(other) => {
                            diags.error_help(n.loc, format!("unknown `fail_open_to` value `{other}`"), Some("the only choice is `drop`; leave it out to answer 503 (fail closed)".to_owned()));
                            false
                        }
                        None => false,
                    },
                };
                if let Some(url) = url {
                    config.state = crate::store::Backend::Redis(crate::store::RedisSettings {
                        url,
                        prefix: st.str("prefix", diags).unwrap_or("privgate").to_owned(),
                        timeout,
                        fail_open_to_drop,
                    });
                }
            }
            Some(other) => diags.error_help(
                st.get("backend").map_or(node.loc, |n| n.loc),
                format!("unknown state backend `{other}`"),
                crate::diag::suggestion(other, ["embedded", "redis"])
                    .or(Some("expected `embedded` or `redis`".to_owned())),
            ),
        }
    }
    if let Some(p) = map.str("upstream_ca", diags) {
        config.upstream_ca = Some(resolve(base, p));
    }
    if let Some(p) = map.str("admin_token_file", diags) {
        config.admin_token_file = Some(resolve(base, p));
    }
    if let Some(node) = map.get("on_erasure") {
        match expect_str(node, "`on_erasure`", diags) {
            Some("opt_out") => config.on_erasure = OnErasure::OptOut,
            Some("ignore") => config.on_erasure = OnErasure::Ignore,
            Some(other) => diags.error_help(
                node.loc,
                format!("unknown `on_erasure` value `{other}`"),
                crate::diag::suggestion(other, ["opt_out", "ignore"])
                    .or(Some("expected `opt_out` or `ignore`".to_owned())),
            ),
            None => {}
        }
    }
    if let Some(node) = map.get("trusted_proxies") {
        for (t, n) in expect_str_list(node, "`trusted_proxies`", diags) {
            match parse_trusted(t) {
                Ok(net) => config.trusted_proxies.push(net),
                Err(e) => diags.error(n.loc, e),
            }
        }
    }
    if let Some(node) = map.get("forward_headers") {
        for (h, n) in expect_str_list(node, "`forward_headers`", diags) {
            match http::HeaderName::from_bytes(h.as_bytes()) {
                Ok(name) => match crate::forward_headers::refusal(name.as_str()) {
                    Some(why) => diags.error(n.loc, why),
                    None => config.forward_headers.push(name),
                },
                Err(_) => diags.error(n.loc, format!("`{h}` is not a header name")),
            }
        }
    }
    if let Some(node) = map.get("limits")
        && let Some(l) = MapReader::new(node, "`limits`", LIMIT_KEYS, diags)
    {
        let limits = &mut config.limits;
        if let Some(n) = l.get("max_body_bytes")
            && let Some(b) = size(n, "max_body_bytes", diags)
        {
            limits.max_body_bytes = b;
        }
        for (key, slot) in [
            ("max_json_depth", &mut limits.decode.max_depth),
            ("max_events", &mut limits.decode.max_events),
            ("max_event_fields", &mut limits.decode.max_event_fields),
            ("max_request_fields", &mut limits.decode.max_request_fields),
            ("max_parameters", &mut limits.decode.max_params),
            ("max_key_bytes", &mut limits.decode.max_key_bytes),
            ("upstream_pool_idle", &mut limits.upstream_pool_idle),
            ("max_connections", &mut limits.max_connections),
            ("max_in_flight", &mut limits.max_in_flight),
        ] {
            if let Some(v) = l.u64(key, diags) {
                if v == 0 && key != "upstream_pool_idle" {
                    diags.error(
                        l.get(key).map_or(l.loc, |n| n.loc),
                        format!("`{key}` must be at least 1"),
                    );
                } else {
                    *slot = v as usize;
                }
            }
        }
        for (key, slot) in [
            ("header_timeout", &mut limits.header_timeout),
            ("body_timeout", &mut limits.body_timeout),
            (
                "upstream_connect_timeout",
                &mut limits.upstream_connect_timeout,
            ),
            ("upstream_timeout", &mut limits.upstream_timeout),
            ("drain_timeout", &mut limits.drain_timeout),
        ] {
            if let Some(n) = l.get(key)
                && let Some(d) = duration(n, key, diags)
            {
                // A zero drain closes connections at once (allowed); a zero wait for a client
                // or the collector would fail every request.
                if d.is_zero() && key != "drain_timeout" {
                    diags.error(n.loc, format!("`{key}` must be longer than 0"));
                } else {
                    *slot = d;
                }
            }
        }
    }
}

/// `policies:` — names or files, or `{policy: NAME|FILE, scope: {...}}` to apply a policy to
/// chosen apps, kinds or pages only (its own `scope:` is replaced).
fn read_policy_list(node: &Node, base: &Path, config: &mut Config, diags: &mut Diags) {
    let items: Vec<&Node> = match &node.value {
        Value::Seq(items) => items.iter().collect(),
        Value::Str(_) => vec![node],
        _ => {
            diags.wrong_type(
                node,
                "`policies`",
                "a list of policy names, files or `{policy, scope}` entries",
            );
            return;
        }
    };
    if items.is_empty() {
        diags.error(node.loc, "`policies` must name at least one policy");
    }
    let resolve_arg = |p: &str| {
        if crate::policy::is_file_ref(p) {
            resolve(base, p).display().to_string()
        } else {
            p.to_owned()
        }
    };
    // A bare name must be a shipped policy: said here, at its line, with a suggestion.
    let check_name = |p: &str, loc, diags: &mut Diags| {
        if !crate::policy::is_file_ref(p) && crate::policy::shipped(p).is_none() {
            let names = crate::policy::SHIPPED.iter().map(|(n, _)| *n);
            diags.error_help(
                loc,
                format!("unknown policy `{p}`"),
                crate::diag::suggestion(p, names).or_else(|| {
                    Some(format!(
                        "shipped policies are {}; a file needs a `/` or a .yaml ending",
                        crate::policy::shipped_names()
                    ))
                }),
            );
        }
    };
    let mut args = Vec::new();
    let mut scopes = Vec::new();
    for item in items {
        match &item.value {
            Value::Str(p) => {
                check_name(p, item.loc, diags);
                args.push(resolve_arg(p));
            }
            Value::Map(_) => {
                let Some(entry) =
                    MapReader::new(item, "a policy entry", &["policy", "scope"], diags)
                else {
                    continue;
                };
                let Some(name) = entry.required_str("policy", diags) else {
                    continue;
                };
                check_name(name, entry.get("policy").map_or(item.loc, |n| n.loc), diags);
                let arg = resolve_arg(name);
                if let Some(scope_node) = entry.get("scope") {
                    let scope = crate::policy::spec::read_scope(scope_node, diags);
                    // Checked here, so that mistakes point at the config file.
                    let _ = crate::policy::compile::compile_scope(&scope, diags);
                    scopes.push((arg.clone(), scope));
                }
                args.push(arg);
            }
            _ => diags.wrong_type(
                item,
                "each entry of `policies`",
                "a name, a file or `{policy, scope}`",
            ),
        }
    }
    config.policies = args;
    config.policy_scopes = scopes;
}

/// The `audit:` section besides `path`: sync mode, rotation and retention.
fn read_audit(audit: &MapReader<'_>, config: &mut Config, diags: &mut Diags) {
    let batch_ms = audit.u64("batch_ms", diags);
    if let Some(sync) = audit.get("sync") {
        match expect_str(sync, "`audit.sync`", diags) {
            Some("always") => config.audit_sync = SyncMode::Always,
            Some("none") => config.audit_sync = SyncMode::None,
            Some("batch") => config.audit_sync = SyncMode::Batch(batch_ms.unwrap_or(10).max(1)),
            Some(other) => diags.error_help(
                sync.loc,
                format!("unknown `audit.sync` value `{other}`"),
                crate::diag::suggestion(other, ["always", "batch", "none"])
                    .or(Some("expected `always`, `batch` or `none`".to_owned())),
            ),
            None => {}
        }
    }
    if batch_ms.is_some() && !matches!(config.audit_sync, SyncMode::Batch(_)) {
        diags.error_help(
            audit.key("batch_ms").map_or(audit.loc, |k| k.loc),
            "`audit.batch_ms` applies only with `sync: batch`",
            Some("add `sync: batch`, or remove `batch_ms`".to_owned()),
        );
    }
    let rotation = &mut config.audit_rotation;
    if let Some(n) = audit.get("rotate_bytes")
        && let Some(b) = size(n, "rotate_bytes", diags)
    {
        if b < 1024 {
            diags.error_help(
                n.loc,
                "`audit.rotate_bytes` must be at least 1KiB",
                Some("write it like `64MiB`".to_owned()),
            );
        } else {
            rotation.max_bytes = Some(b as u64);
        }
    }
    if let Some(daily) = audit.bool("rotate_daily", diags) {
        rotation.daily = daily;
    }
    for key in ["keep_files", "keep_days"] {
        let Some(n) = audit.u64(key, diags) else {
            continue;
        };
        if n == 0 {
            diags.error(
                audit.get(key).map_or(audit.loc, |n| n.loc),
                format!("`audit.{key}` must be at least 1 (leave it out to keep everything)"),
            );
        } else if key == "keep_files" {
            rotation.keep_files = Some(usize::try_from(n).unwrap_or(usize::MAX));
        } else {
            rotation.keep_days = Some(u32::try_from(n).unwrap_or(u32::MAX));
        }
    }
    if let Some(gzip) = audit.bool("gzip", diags) {
        rotation.gzip = gzip;
    }
    if !rotation.is_enabled() {
        for key in ["keep_files", "keep_days", "gzip"] {
            if let Some(k) = audit.key(key) {
                diags.error_help(
                    k.loc,
                    format!("`audit.{key}` applies to rotated files, but rotation is off"),
                    Some("set `rotate_bytes` (like `64MiB`) or `rotate_daily: true`".to_owned()),
                );
            }
        }
    }
}

/// A duration: `250ms`, `10s`, `2m`, or a whole number of seconds.
fn duration(node: &Node, key: &str, diags: &mut Diags) -> Option<Duration> {
    let parsed = match &node.value {
        Value::Int(i) if *i >= 0 => Some(Duration::from_secs(*i as u64)),
        Value::Str(s) => {
            let s = s.trim();
            let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
            num.parse::<u64>().ok().and_then(|n| match unit.trim() {
                "ms" => Some(Duration::from_millis(n)),
                "s" | "" => Some(Duration::from_secs(n)),
                "m" => Some(Duration::from_secs(n * 60)),
                _ => None,
            })
        }
        _ => None,
    };
    if parsed.is_none() {
        diags.error_help(
            node.loc,
            format!("`{key}` must be a duration"),
            Some("write it like `250ms`, `10s` or `2m`".to_owned()),
        );
    }
    parsed
}

/// A size: a whole number of bytes, or `512KiB` / `1MiB` / `1GiB`.
fn size(node: &Node, key: &str, diags: &mut Diags) -> Option<usize> {
    let parsed = match &node.value {
        Value::Int(i) if *i > 0 => Some(*i as usize),
        Value::Str(s) => {
            let s = s.trim();
            let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
            num.parse::<usize>().ok().and_then(|n| match unit.trim() {
                "" | "B" => Some(n),
                "KiB" => n.checked_mul(1024),
                "MiB" => n.checked_mul(1024 * 1024),
                "GiB" => n.checked_mul(1024 * 1024 * 1024),
                _ => None,
            })
        }
        _ => None,
    }
    .filter(|n| *n > 0);
    if parsed.is_none() {
        diags.error_help(
            node.loc,
            format!("`{key}` must be a size"),
            Some("write it as a number of bytes or like `512KiB` or `1MiB`".to_owned()),
        );
    }
    parsed
}

/// Parses a trusted proxy entry: an address or a CIDR block.
pub fn parse_trusted(text: &str) -> Result<IpNet, String> {
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(IpNet::from))
        .map_err(|_| format!("trusted proxy `{text}` is not an IP address or CIDR block"))
}

/// TLS settings of the traffic listener.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerTls {
    /// PEM certificate chain, leaf first.
    pub cert: std::path::PathBuf,
    /// PEM private key (PKCS#8, PKCS#1 or SEC1).
    pub key: std::path::PathBuf,
    /// When set, clients must present a certificate signed by one of these CAs (PEM).
    pub client_ca: Option<std::path::PathBuf>,
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_example_config_shows_every_key() {
        let example = include_str!("../examples/privgate.yaml");
        let shown = |key: &str| {
            example.lines().any(|l| {
                let l = l.trim_start().trim_start_matches('#').trim_start();
                l.starts_with(&format!("{key}:"))
            })
        };
        let nested: &[&str] = &[
            "cert",
            "key",
            "client_ca",
            "backend",
            "url",
            "prefix",
            "timeout",
            "fail_open_to",
        ];
        let missing: Vec<&str> = CONFIG_KEYS
            .iter()
            .chain(AUDIT_KEYS)
            .chain(LIMIT_KEYS)
            .chain(nested)
            .copied()
            .filter(|k| !shown(k))
            .collect();
        assert!(
            missing.is_empty(),
            "examples/privgate.yaml (the configuration reference) does not show: {missing:?}"
        );
    }

    use super::*;

    #[test]
    fn upstream_forms() {
        let dir = std::path::Path::new("d");
        assert_eq!(
            UpstreamSpec::parse("capture", dir).unwrap(),
            UpstreamSpec::Capture(PathBuf::from("d/capture.jsonl"))
        );
        assert_eq!(
            UpstreamSpec::parse("capture:/tmp/x.jsonl", dir).unwrap(),
            UpstreamSpec::Capture(PathBuf::from("/tmp/x.jsonl"))
        );
        assert!(matches!(
            UpstreamSpec::parse("http://127.0.0.1:9", dir),
            Ok(UpstreamSpec::Url(_))
        ));
        assert!(UpstreamSpec::parse("ftp://x", dir).is_err());
        assert!(UpstreamSpec::parse("capture:", dir).is_err());
    }

    #[test]
    fn trusted_proxies_take_addresses_and_blocks() {
        assert_eq!(
            parse_trusted("10.0.0.0/8").unwrap().to_string(),
            "10.0.0.0/8"
        );
        assert_eq!(
            parse_trusted("10.1.2.3").unwrap().to_string(),
            "10.1.2.3/32"
        );
        assert!(parse_trusted("nope").is_err());
    }
}
