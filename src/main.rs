//! The `privgate` command: serve, check, scrub, test, subjects, audit (DESIGN.md §2).
//!
//! Exit codes: 0 success, 1 a check or test failed, 2 usage or configuration error.
//! Errors go to stderr as `privgate: <what went wrong>`.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};

use privgate::config::{Config, UpstreamSpec, parse_trusted};
use privgate::keys::HashKey;
use privgate::policy::{self, Compiled, PolicySet};
use privgate::server::Server;

#[derive(Parser)]
#[command(
    name = "privgate",
    version,
    about = "A privacy-filtering reverse proxy for Heap analytics traffic"
)]
struct Cli {
    /// Log format.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Run the proxy.
    Serve(ServeArgs),
    /// Validate policy files or folders of them; exit 1 on any error.
    Check {
        /// Policy files or folders (every *.yaml / *.yml directly inside).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Show what would be forwarded for one request body.
    Scrub(ScrubArgs),
    /// A local web page to edit policies and see what they do; never forwards or audits.
    Playground(PlaygroundArgs),
    /// Manage the subject registry (opt-outs) from files.
    Subjects {
        #[command(subcommand)]
        command: SubjectsCommand,
    },
    /// Run policy test cases; exit 1 on any failure.
    Test {
        /// Test files, or folders of them (a folder's `tests/` subfolder is used when present).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Check the audit log's hash chain, or summarize it.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute the hash chain across the log and its rotated files; exit 1 at the first
    /// broken, missing, reordered or edited line.
    Verify {
        /// The log's files in chain order (gzipped ones too), or a folder holding the active log
        /// and its rotated files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Count what the log says: requests and events by outcome, changes by policy version and
    /// rule, opt-outs, errors, and requests over time.
    Summary(AuditSummaryArgs),
}

#[derive(Args)]
struct AuditSummaryArgs {
    /// The log's files in chain order, or a folder holding the log and its rotated files.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Only records at or after this time: 2026-11-29, 2026-11-29T06:00 (UTC) or RFC 3339.
    #[arg(long)]
    since: Option<String>,
    /// Only records before this time (same forms as --since).
    #[arg(long)]
    until: Option<String>,
    /// `html` is one self-contained page with charts; `json` is for scripts.
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    format: SummaryFormat,
    /// Width of the time buckets [default: hour for periods up to two days, else day].
    #[arg(long, value_enum)]
    bucket: Option<BucketArg>,
}

#[derive(Clone, Copy, ValueEnum)]
enum SummaryFormat {
    Text,
    Json,
    Html,
}

#[derive(Clone, Copy, ValueEnum)]
enum BucketArg {
    Hour,
    Day,
}

#[derive(Subcommand)]
enum SubjectsCommand {
    /// Opt out every subject in a JSON-lines file: `{"identity": "...", "reason": "ccpa_opt_out"}`
    /// or `{"user_id": "...", "reason": "gdpr_art21"}` per line (reasons: gdpr_art17,
    /// gdpr_art21, ccpa_opt_out, gpc, coppa_parental_request, user_request, other). With --hashed, the file is the output of
    /// `subjects export` (moving a registry to another backend).
    Import {
        /// The file (`-` for stdin).
        file: PathBuf,
        /// The file holds exported (already hashed) entries.
        #[arg(long)]
        hashed: bool,
        #[command(flatten)]
        target: StateArgs,
        /// Send the opt-outs to a running privgate's admin API instead, with the token in
        /// PRIVGATE_ADMIN_TOKEN: `https://...` (e.g. through your ingress), or `http://` on
        /// loopback only (e.g. http://127.0.0.1:9191), so the token never travels in clear.
        #[arg(long)]
        admin: Option<String>,
        /// A PEM file of CA certificates that replace the Mozilla roots for an `https://`
        /// --admin URL (a private CA).
        #[arg(long, requires = "admin")]
        admin_ca: Option<PathBuf>,
    },
    /// Print every registry entry as JSON lines (identifiers stay HMACs), for backups and for
    /// moving from the embedded store to Redis.
    Export {
        #[command(flatten)]
        target: StateArgs,
    },
}

/// Which deployment a tool works with: its registry, data folder and hash key.
#[derive(Args)]
struct StateArgs {
    /// The config file whose `data_dir`, `hash_key_file` and `state` apply [default: the
    /// embedded store in privgate-data].
    #[arg(long)]
    config: Option<PathBuf>,
    /// The data folder of the embedded store (overrides the config's).
    #[arg(long)]
    data_dir: Option<PathBuf>,
}

#[derive(Args)]
struct ServeArgs {
    /// Config file (YAML); flags override it [see examples/privgate.yaml].
    #[arg(long)]
    config: Option<PathBuf>,
    /// Address to listen on for traffic [default: 127.0.0.1:8080].
    #[arg(long)]
    listen: Option<String>,
    /// Collector base URL, or `capture[:PATH]` for the embedded capture collector [default: capture].
    #[arg(long)]
    upstream: Option<String>,
    /// A shipped policy name or a policy file; repeat to apply several in order [default: gdpr].
    #[arg(long = "policy")]
    policies: Vec<String>,
    /// Audit log file [default: privgate-data/audit.jsonl].
    #[arg(long)]
    audit_log: Option<PathBuf>,
    /// Address of the admin listener (health) [default: 127.0.0.1:9191].
    #[arg(long)]
    admin_listen: Option<String>,
    /// Peer address or CIDR whose X-Forwarded-For is trusted; repeatable.
    #[arg(long = "trusted-proxy")]
    trusted_proxies: Vec<String>,
}

#[derive(Args)]
struct ScrubArgs {
    /// A shipped policy name or a policy file; repeat to apply several in order.
    #[arg(long = "policy", required = true)]
    policies: Vec<String>,
    /// The route the body is sent to.
    #[arg(long, default_value = "/api/track")]
    path: String,
    /// A request header, `Name: value`; repeatable.
    #[arg(long = "header")]
    headers: Vec<String>,
    /// List every change (policy, rule, action, path, detector, why) and drop on stderr.
    #[arg(long)]
    explain: bool,
    /// `json` prints one JSON document (forwarded body, changes, drops) on stdout, for scripts.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
    /// The request body; `-` or nothing reads stdin. For capture/v2 routes, protobuf, or the
    /// message's JSON form (a JSON object), which is encoded to protobuf first.
    file: Option<PathBuf>,
    /// Where the hash key comes from, as for `serve`: `hash` outputs equal the proxy's.
    #[command(flatten)]
    state: StateArgs,
}

#[derive(Args)]
struct PlaygroundArgs {
    /// A shipped policy name or a policy file the editor starts with; repeatable.
    #[arg(long = "policy")]
    policies: Vec<String>,
    /// Where the page listens; an address other than loopback needs PRIVGATE_ADMIN_TOKEN or
    /// the config's admin_token_file.
    #[arg(long, default_value = "127.0.0.1:8181")]
    listen: std::net::SocketAddr,
    /// "Save as test case" appends to this `privgate test` file (created when missing).
    #[arg(long)]
    save_tests: Option<PathBuf>,
    /// Where the hash key comes from, as for `serve` (else a throwaway key).
    #[command(flatten)]
    state: StateArgs,
}

fn playground(args: PlaygroundArgs) -> Result<ExitCode> {
    let config = tool_config(&args.state)?;
    let configured = HashKey::configured(
        config.hash_key_file.as_deref(),
        &config.data_dir.join("hash.key"),
    )?;
    let token = match std::env::var("PRIVGATE_ADMIN_TOKEN") {
        Ok(t) if !t.trim().is_empty() => Some(t.trim().to_owned()),
        _ => match &config.admin_token_file {
            Some(p) => {
                Some(std::fs::read_to_string(p)?.trim().to_owned()).filter(|t| !t.is_empty())
            }
            None => None,
        },
    };
    if !args.listen.ip().is_loopback() && token.is_none() {
        bail!(
            "--listen {} is not loopback: set PRIVGATE_ADMIN_TOKEN or admin_token_file",
            args.listen
        );
    }
    let initial = args
        .policies
        .iter()
        .map(|a| policy::load(a).map(|s| (s.source.name.to_string(), s.source.text.to_string())))
        .collect::<Result<Vec<_>, _>>()?;
    let pg = privgate::playground::Playground {
        initial,
        key_configured: configured.is_some(),
        key: configured.unwrap_or_else(HashKey::ephemeral),
        token,
        save_to: args.save_tests,
        policy_args: args.policies,
    };
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.listen).await?;
        println!("privgate playground on http://{}/", listener.local_addr()?);
        pg.serve(listener).await
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Sets how the process takes `signal`; called once at start, before any thread exists.
///
/// `serve` ignores SIGXFSZ: a write past the file size limit (RLIMIT_FSIZE) must fail like any
/// other write — the audit log then answers 503 until it can write again — instead of ending
/// the process with a torn record. One-shot commands take SIGPIPE's default: they end quietly
/// when their reader goes away (`privgate test | head`), as other command-line tools do,
/// instead of panicking on the failed write (Rust ignores SIGPIPE; the server keeps that, a
/// client hanging up must not end it).
fn set_signal(signal: libc::c_int, disposition: libc::sighandler_t) {
    // SAFETY: no other thread exists yet; SIG_IGN and SIG_DFL are valid dispositions.
    unsafe {
        libc::signal(signal, disposition);
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if matches!(cli.command, Command::Serve(_)) {
        set_signal(libc::SIGXFSZ, libc::SIG_IGN);
    } else {
        set_signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    init_tracing(cli.log_format);
    let result = match cli.command {
        Command::Serve(args) => serve(args),
        Command::Check { paths } => check(&paths),
        Command::Scrub(args) => scrub(args),
        Command::Playground(args) => playground(args),
        Command::Test { paths } => test(&paths),
        Command::Subjects {
            command:
                SubjectsCommand::Import {
                    file,
                    hashed,
                    target,
                    admin,
                    admin_ca,
                },
        } => subjects_import(&file, hashed, &target, admin, admin_ca.as_deref()),
        Command::Subjects {
            command: SubjectsCommand::Export { target },
        } => subjects_export(&target),
        Command::Audit {
            command: AuditCommand::Verify { paths },
        } => audit_verify(&paths),
        Command::Audit {
            command: AuditCommand::Summary(args),
        } => audit_summary(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            // The whole chain of causes, each once: most messages already quote their cause.
            let mut text = e.to_string();
            for cause in e.chain().skip(1) {
                let cause = cause.to_string();
                if !text.contains(&cause) {
                    text.push_str(": ");
                    text.push_str(&cause);
                }
            }
            eprintln!("privgate: {text}");
            ExitCode::from(2)
        }
    }
}

fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().flatten_event(true).init(),
    }
}

fn config_from(args: &ServeArgs) -> Result<Config> {
    let mut config = match &args.config {
        Some(path) => match Config::load(path) {
            Ok(c) => c,
            Err(privgate::config::ConfigError::Invalid(report)) => {
                eprintln!("{report}");
                bail!("the config file has errors; nothing was started")
            }
            Err(e) => return Err(e.into()),
        },
        None => Config::default(),
    };
    if let Some(listen) = &args.listen {
        config.listen = listen.parse().with_context(|| {
            format!("--listen `{listen}` is not an address like 127.0.0.1:8080")
        })?;
    }
    if let Some(admin) = &args.admin_listen {
        config.admin_listen = admin.parse().with_context(|| {
            format!("--admin-listen `{admin}` is not an address like 127.0.0.1:9191")
        })?;
    }
    if let Some(upstream) = &args.upstream {
        config.upstream =
            UpstreamSpec::parse(upstream, &config.data_dir).map_err(anyhow::Error::msg)?;
    }
    if !args.policies.is_empty() {
        config.policies = args.policies.clone();
        config.policies_from_flags = true;
    }
    if let Some(path) = &args.audit_log {
        config.audit_path = path.clone();
    }
    for t in &args.trusted_proxies {
        config
            .trusted_proxies
            .push(parse_trusted(t).map_err(anyhow::Error::msg)?);
    }
    Ok(config)
}

fn load_policies(
    args: &[String],
    scopes: &[(String, privgate::policy::spec::ScopeSpec)],
    key: HashKey,
) -> Result<PolicySet> {
    match policy::load_set_scoped(args, scopes, key) {
        Ok((set, warnings)) => {
            for report in warnings {
                tracing::warn!("{report}");
            }
            Ok(set)
        }
        Err(policy::SetError::Invalid(reports)) => {
            for r in &reports {
                eprintln!("{r}");
            }
            bail!("the policies have errors; nothing was started")
        }
        Err(e) => Err(e.into()),
    }
}

fn serve(args: ServeArgs) -> Result<ExitCode> {
    let config = config_from(&args)?;
    let (key, generated) = HashKey::resolve(
        config.hash_key_file.as_deref(),
        &config.data_dir.join("hash.key"),
    )?;
    if generated {
        tracing::warn!(path = %config.data_dir.join("hash.key").display(), key_id = key.id(), "No hash key configured: generated one. Keep it secret and back it up; set PRIVGATE_HASH_KEY in production.");
    }
    let scopes = if config.policies_from_flags {
        Vec::new()
    } else {
        config.policy_scopes.clone()
    };
    let set = load_policies(&config.policies, &scopes, key)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let policies: Vec<String> = set
            .policies
            .iter()
            .map(|p| format!("{} ({}, sha256 {})", p.name, p.origin, &p.sha256[..12]))
            .collect();
        let transport = match &config.tls {
            None => "plain HTTP",
            Some(t) if t.client_ca.is_some() => "TLS, client certificates required",
            Some(_) => "TLS",
        };
        let server = Server::start(config, set).await?;
        tracing::info!(
            listen = %server.addr,
            transport,
            admin = %server.admin_addr,
            upstream = %server.state.upstream.describe(),
            audit = %server.state.audit.path().display(),
            "privgate listening on {}",
            server.addr
        );
        for p in &policies {
            tracing::info!("Policy active: {p}");
        }
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            if let Ok(mut hup) = signal(SignalKind::hangup()) {
                let state = server.state.clone();
                tokio::spawn(async move {
                    while hup.recv().await.is_some() {
                        tracing::info!("SIGHUP: reloading policies.");
                        let s = state.clone();
                        let _ = tokio::task::spawn_blocking(move || {
                            privgate::server::reload::reload(&s)
                        })
                        .await;
                    }
                });
            }
        }
        wait_for_signal().await;
        tracing::info!("Shutting down: draining in-flight requests.");
        server.shutdown().await;
        tracing::info!("Stopped.");
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(ExitCode::SUCCESS)
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = match signal(SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                return;
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Policy files named by the arguments: files as given, folders' *.yaml / *.yml files.
fn policy_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("{}", path.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.is_file()
                        && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
                })
                .collect();
            inside.sort();
            if inside.is_empty() {
                bail!("{}: no .yaml files in this folder", path.display());
            }
            files.extend(inside);
        } else if path.exists() {
            files.push(path.clone());
        } else {
            bail!("{}: no such file or folder", path.display());
        }
    }
    Ok(files)
}

fn check(paths: &[PathBuf]) -> Result<ExitCode> {
    let files = policy_files(paths)?;
    let (mut errors, mut warnings) = (0, 0);
    // Each file is checked on its own; names must still differ, or the files cannot be loaded
    // together (a folder is usually deployed as one set).
    let mut names: Vec<(String, &PathBuf)> = Vec::new();
    for file in &files {
        let source = policy::load_file(file)?;
        let Compiled { reports, set } =
            policy::compile_set(std::slice::from_ref(&source), HashKey::ephemeral());
        for report in &reports {
            errors += report.error_count();
            warnings += report.warning_count();
            eprintln!("{report}");
        }
        for p in set.iter().flat_map(|s| &s.policies) {
            if let Some((_, first)) = names.iter().find(|(n, _)| **n == *p.name) {
                errors += 1;
                eprintln!(
                    "{}: error: policy `{}` is also defined in {}; the two cannot be loaded together\n",
                    file.display(),
                    p.name,
                    first.display()
                );
            } else {
                names.push((p.name.to_string(), file));
            }
        }
    }
    let summary = format!(
        "checked {} file{}: {errors} error{}, {warnings} warning{}",
        files.len(),
        plural(files.len()),
        plural(errors),
        plural(warnings)
    );
    if errors > 0 {
        eprintln!("{summary}");
        return Ok(ExitCode::from(1));
    }
    println!("{summary}");
    Ok(ExitCode::SUCCESS)
}

fn test(paths: &[PathBuf]) -> Result<ExitCode> {
    use privgate::policytest;
    let files = policytest::find_files(paths)?;
    if files.is_empty() {
        bail!("no test files found");
    }
    let (mut passed, mut failed) = (0usize, 0usize);
    for path in &files {
        let file = match policytest::read(path) {
            Ok(f) => f,
            Err(report) => {
                println!("{}", path.display());
                println!("{report}");
                failed += 1;
                continue;
            }
        };
        println!(
            "{} (policies: {})",
            path.display(),
            file.policies.join(", ")
        );
        let set = match policytest::policies_for(&file) {
            Ok(set) => set,
            Err(e) => {
                println!("  FAIL the policies do not load:\n{e}");
                failed += file.cases.len().max(1);
                continue;
            }
        };
        for result in policytest::run_file(&file, &set) {
            if result.failures.is_empty() {
                passed += 1;
                println!("  ok    {}", result.name);
            } else {
                failed += 1;
                println!("  FAIL  {}", result.name);
                for f in &result.failures {
                    println!("        - {f}");
                }
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn scrub(args: ScrubArgs) -> Result<ExitCode> {
    let body = match args.file.as_deref() {
        None => read_stdin()?,
        Some(p) if p == Path::new("-") => read_stdin()?,
        Some(p) => std::fs::read(p)
            .map_err(|e| anyhow::anyhow!("{}: {}", p.display(), privgate::diag::io_reason(&e)))?,
    };
    // The key `serve` uses with the same config: so `hash` outputs match what the proxy sends.
    let config = tool_config(&args.state)?;
    let key = match HashKey::configured(
        config.hash_key_file.as_deref(),
        &config.data_dir.join("hash.key"),
    )? {
        Some(key) => key,
        None => {
            eprintln!("privgate: note: no hash key configured; `hash` outputs use a throwaway key");
            HashKey::ephemeral()
        }
    };
    let set = load_policies(&args.policies, &[], key)?;
    let (path, query) = match args.path.split_once('?') {
        Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
        None => (args.path.clone(), None),
    };
    let Some(route) = privgate::protocol::route(&path) else {
        bail!("`{path}` is not a route privgate handles");
    };
    let mut headers = http::HeaderMap::new();
    for h in &args.headers {
        let (name, value) = h
            .split_once(':')
            .with_context(|| format!("--header `{h}` must look like `Name: value`"))?;
        let name: http::HeaderName = name
            .trim()
            .parse()
            .with_context(|| format!("`{}` is not a header name", name.trim()))?;
        let value: http::HeaderValue = value
            .trim()
            .parse()
            .with_context(|| format!("the value of header `{name}` is not valid"))?;
        headers.append(name, value);
    }
    if !headers.contains_key(http::header::CONTENT_TYPE) {
        headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static(route.protocol().content_type()),
        );
    }
    // capture/v2 takes protobuf; a JSON object is the message's JSON form, for writing by hand.
    let body = match route.endpoint {
        privgate::protocol::Endpoint::Capture(endpoint) => {
            match serde_json::from_slice::<serde_json::Value>(&body) {
                Ok(json @ serde_json::Value::Object(_)) => {
                    privgate::protocol::capture_v2::json_form::from_json(endpoint, &json).map_err(
                        |e| {
                            anyhow::anyhow!(
                                "the body is not a valid `{}` in its JSON form: {e}",
                                privgate::protocol::capture_v2::message_name(endpoint)
                            )
                        },
                    )?
                }
                _ => body,
            }
        }
        _ => body,
    };
    let raw = privgate::protocol::RawRequest {
        method: route.methods[0].clone(),
        path,
        query,
        headers,
        body: body.into(),
        client_ip: None,
    };
    let processed = match privgate::pipeline::process(
        &set,
        route,
        &raw,
        &privgate::protocol::DecodeLimits::default(),
        &privgate::subjects::Registry::in_memory(),
        &privgate::vault::Vault::in_memory(),
    ) {
        Ok(p) => p,
        Err(privgate::pipeline::ProcessError::Decode(e)) => {
            if args.format == OutputFormat::Json {
                let doc = serde_json::json!({"outcome": "rejected", "status": e.status().as_u16(), "error": e.to_string()});
                println!("{}", serde_json::to_string_pretty(&doc)?);
            }
            eprintln!(
                "privgate: the request would be rejected with {}: {e}",
                e.status().as_u16()
            );
            return Ok(ExitCode::from(1));
        }
        Err(e) => bail!("{e}"),
    };
    if args.format == OutputFormat::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&privgate::pipeline::explain_json(&processed))?
        );
        return Ok(ExitCode::SUCCESS);
    }
    if args.explain {
        for c in &processed.evaluation.changes {
            let mut line = format!(
                "{}{}/{}: {} events[{}].{}",
                if c.shadow { "(shadow) " } else { "" },
                c.policy,
                c.rule,
                c.action,
                c.event_index,
                c.path
            );
            if let Some(d) = &c.detector {
                line.push_str(&format!(" [{d} x{}]", c.count));
            }
            if let Some(why) = &c.why {
                line.push_str(&format!(" — {why}"));
            }
            eprintln!("{line}");
        }
    }
    for d in &processed.evaluation.dropped {
        eprintln!(
            "{}event {} dropped by {}/{}{}",
            if d.shadow { "(shadow) " } else { "" },
            d.event_index,
            d.policy,
            d.rule,
            d.why
                .as_deref()
                .map(|w| format!(" — {w}"))
                .unwrap_or_default()
        );
    }
    match &processed.outgoing {
        Some(out) => {
            let view = privgate::protocol::forwarded_view(out);
            println!("{}", serde_json::to_string_pretty(&view)?);
        }
        None => eprintln!("privgate: nothing would be forwarded: every event was dropped"),
    }
    Ok(ExitCode::SUCCESS)
}

/// One line of an import file.
fn import_line(line: &str, number: usize) -> Result<(privgate::subjects::IdKind, String, String)> {
    use privgate::subjects::IdKind;
    let v: serde_json::Value =
        serde_json::from_str(line).with_context(|| format!("line {number}: not JSON"))?;
    let text = |k: &str| {
        v.get(k).and_then(|x| {
            x.as_str()
                .map(str::to_owned)
                .or_else(|| x.as_u64().map(|n| n.to_string()))
        })
    };
    let (kind, value) = match (text("identity"), text("user_id")) {
        (Some(i), None) => (IdKind::Identity, i),
        (None, Some(u)) => (IdKind::UserId, u),
        _ => bail!("line {number}: needs exactly one of `identity` or `user_id`"),
    };
    let reason =
        privgate::subjects::check_reason(&text("reason").unwrap_or_else(|| "other".to_owned()))
            .map_err(|e| anyhow::anyhow!("line {number}: {e}"))?;
    Ok((kind, value, reason))
}

/// The config a tool works with: the file given, or the defaults, with `--data-dir` on top.
fn tool_config(target: &StateArgs) -> Result<Config> {
    let mut config = match &target.config {
        Some(path) => Config::load(path).map_err(|e| anyhow::anyhow!("{e}"))?,
        None => Config::default(),
    };
    if let Some(dir) = &target.data_dir {
        config.data_dir = dir.clone();
        config.audit_path = dir.join("audit.jsonl");
    }
    Ok(config)
}

/// The config a `subjects` command works with, and its hash key.
fn state_config(target: &StateArgs) -> Result<(Config, HashKey)> {
    let config = tool_config(target)?;
    let (key, generated) = HashKey::resolve(
        config.hash_key_file.as_deref(),
        &config.data_dir.join("hash.key"),
    )?;
    if generated {
        eprintln!(
            "privgate: note: generated a new hash key in {}; the proxy must use the same key",
            config.data_dir.display()
        );
    }
    Ok((config, key))
}

fn subjects_import(
    file: &Path,
    hashed: bool,
    target: &StateArgs,
    admin: Option<String>,
    admin_ca: Option<&Path>,
) -> Result<ExitCode> {
    use privgate::subjects::{Change, SubjectKey};
    let text = if file == Path::new("-") {
        String::from_utf8(read_stdin()?).context("stdin is not UTF-8")?
    } else {
        std::fs::read_to_string(file).with_context(|| format!("{}", file.display()))?
    };
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i + 1, l))
        .collect();
    if let Some(url) = admin {
        if hashed {
            bail!("--hashed entries go straight into a store; the admin API takes identifiers");
        }
        let entries = lines
            .iter()
            .map(|(n, l)| import_line(l, *n))
            .collect::<Result<Vec<_>>>()?;
        return import_through_admin(&url, admin_ca, &entries);
    }
    let (config, key) = state_config(target)?;
    let mut tokens = Vec::new();
    let changes: Vec<Change> = if hashed {
        let mut changes = Vec::new();
        for (n, line) in &lines {
            match hashed_line(line, *n, key.id())? {
                Exported::Subject(c) => changes.extend(c),
                Exported::Token(k, t) => tokens.push((k, t)),
            }
        }
        changes
    } else {
        if config.state != privgate::store::Backend::Embedded {
            bail!(
                "the registry is shared (Redis): import through a running replica with --admin, so that every change is audited"
            );
        }
        lines
            .iter()
            .map(|(n, l)| {
                import_line(l, *n).map(|(kind, value, reason)| {
                    Change::OptOut(SubjectKey::new(&key, kind, &value), reason)
                })
            })
            .collect::<Result<_>>()?
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let store = privgate::store::Store::open(&config.state, &config.data_dir).map_err(|e| {
            if e.0.contains("in use by a running privgate") {
                anyhow::anyhow!("{e}; import through it with --admin http://<admin address> (token in PRIVGATE_ADMIN_TOKEN)")
            } else {
                e.into()
            }
        })?;
        store.apply(changes.clone()).await?;
        let added = store.import_tokens(tokens.clone()).await?;
        if !hashed {
            audit_imports(&config, &key, &changes).await?;
        }
        store.close();
        Ok::<_, anyhow::Error>(added)
    })
    .map(|added| {
        let backend = match config.state {
            privgate::store::Backend::Embedded => "embedded",
            privgate::store::Backend::Redis(_) => "Redis",
        };
        if hashed {
            println!(
                "imported {} registry entr{} and {} token{} ({added} new) into the {backend} store",
                changes.len(),
                if changes.len() == 1 { "y" } else { "ies" },
                tokens.len(),
                plural(tokens.len())
            );
        } else {
            println!("imported {} opt-out{} into the {backend} registry", changes.len(), plural(changes.len()));
        }
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Every imported opt-out is audited, without the identifier (embedded store: the proxy is not
/// running, since it holds the registry's lock, so its audit log is free).
async fn audit_imports(
    config: &Config,
    key: &HashKey,
    changes: &[privgate::subjects::Change],
) -> Result<()> {
    let versions = policy::load_set(&config.policies, key.clone())
        .map(|(set, _)| privgate::audit::PolicyVersion::of(&set))
        .unwrap_or_default();
    let (log, _, writer) = privgate::audit::AuditLog::open_with(
        &config.audit_path,
        privgate::audit::SyncMode::Always,
        &config.audit_rotation,
    )
    .with_context(|| format!("cannot open the audit log {}", config.audit_path.display()))?;
    for change in changes {
        let privgate::subjects::Change::OptOut(k, reason) = change else {
            continue;
        };
        let mut record = privgate::audit::Record::new("import".to_owned(), versions.clone());
        record.route = "subjects import".to_owned();
        record.outcome = privgate::audit::Outcome::Admin;
        record.status = 200;
        record.subject = Some(privgate::audit::SubjectRecord {
            action: "opt_out",
            id_kind: k.kind.as_str(),
            reason: Some(reason.clone()),
        });
        log.write(&record).await?;
    }
    log.close().await;
    drop(log);
    let _ = tokio::task::spawn_blocking(move || writer.join()).await;
    Ok(())
}

fn import_through_admin(
    url: &str,
    ca: Option<&Path>,
    entries: &[(privgate::subjects::IdKind, String, String)],
) -> Result<ExitCode> {
    let token = std::env::var("PRIVGATE_ADMIN_TOKEN")
        .context("--admin needs the token in PRIVGATE_ADMIN_TOKEN")?;
    let uri: http::Uri = url
        .parse()
        .with_context(|| format!("--admin `{url}` is not a URL"))?;
    let loopback = uri.host().is_some_and(|h| {
        h == "localhost"
            || h.trim_matches(|c| c == '[' || c == ']')
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    });
    match uri.scheme_str() {
        Some("https") => {}
        Some("http") if loopback => {}
        Some("http") => bail!(
            "--admin `{url}`: the admin token would travel unencrypted; use https:// (plain http:// is allowed on loopback only)"
        ),
        _ => bail!("--admin `{url}` must start with https:// or http://"),
    }
    let _ = rustls::crypto::ring::default_provider().install_default();
    let tls = privgate::server::tls::client_config(ca)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        use http_body_util::BodyExt;
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .build();
        let client =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build(connector);
        for (n, (kind, value, reason)) in entries.iter().enumerate() {
            let body = serde_json::json!({ kind.as_str(): value, "reason": reason }).to_string();
            let req =
                http::Request::post(format!("{}/v1/subjects/opt-out", url.trim_end_matches('/')))
                    .header("content-type", "application/json")
                    .header("authorization", format!("Bearer {token}"))
                    .body(http_body_util::Full::new(bytes::Bytes::from(body)))?;
            let resp = client.request(req).await.map_err(|e| {
                anyhow::anyhow!("cannot reach {url}: {}", privgate::diag::error_chain(&e))
            })?;
            let status = resp.status();
            let answer = resp
                .into_body()
                .collect()
                .await
                .map(|b| b.to_bytes())
                .unwrap_or_default();
            if !status.is_success() {
                bail!(
                    "entry {}: the admin API answered {status}: {}",
                    n + 1,
                    String::from_utf8_lossy(&answer)
                );
            }
        }
        Ok::<_, anyhow::Error>(())
    })?;
    println!(
        "imported {} opt-out{} through {url}",
        entries.len(),
        plural(entries.len())
    );
    Ok(ExitCode::SUCCESS)
}

/// One line of `subjects export`.
enum Exported {
    /// A registry entry, as the changes that recreate it.
    Subject(Vec<privgate::subjects::Change>),
    /// A vault token: value key and token.
    Token(privgate::vault::ValueKey, String),
}

/// One exported line: a registry entry `{"id_kind", "key" (hex HMAC), "opted_out" (reason or
/// null), "child"}` or a token `{"token_key" (hex HMAC), "token"}`.
fn hashed_line(line: &str, number: usize, key_id: &str) -> Result<Exported> {
    use privgate::subjects::{Change, IdKind, SubjectKey};
    let v: serde_json::Value =
        serde_json::from_str(line).with_context(|| format!("line {number}: not JSON"))?;
    // Entries are HMACs under the exporting deployment's key: under another key they would
    // match nobody, and the opt-outs would be lost without a sign.
    if let Some(exported) = v.get("key_id").and_then(|k| k.as_str())
        && exported != key_id
    {
        bail!(
            "line {number}: exported under hash key {exported}, but this deployment's key is {key_id}; use the same key (PRIVGATE_HASH_KEY or hash_key_file) or the entries match nobody"
        );
    }
    if let Some(hexkey) = v.get("token_key") {
        let mut k = [0u8; 32];
        hexkey
            .as_str()
            .and_then(|h| hex::decode_to_slice(h, &mut k).ok())
            .with_context(|| format!("line {number}: `token_key` must be 64 hex digits"))?;
        let token = v
            .get("token")
            .and_then(|t| t.as_str())
            .filter(|t| !t.is_empty())
            .with_context(|| format!("line {number}: `token` must be a string"))?;
        return Ok(Exported::Token(k, token.to_owned()));
    }
    let kind = match v.get("id_kind").and_then(|k| k.as_str()) {
        Some("identity") => IdKind::Identity,
        Some("user_id") => IdKind::UserId,
        _ => bail!("line {number}: `id_kind` must be identity or user_id"),
    };
    let mut mac = [0u8; 32];
    v.get("key")
        .and_then(|k| k.as_str())
        .and_then(|k| hex::decode_to_slice(k, &mut mac).ok())
        .with_context(|| format!("line {number}: `key` must be 64 hex digits"))?;
    let key = SubjectKey { kind, mac };
    let mut out = Vec::new();
    if let Some(reason) = v.get("opted_out").and_then(|r| r.as_str()) {
        out.push(Change::OptOut(
            key,
            privgate::subjects::stored_reason(reason),
        ));
    }
    if v.get("child").and_then(|c| c.as_bool()) == Some(true) {
        out.push(Change::Child(key));
    }
    Ok(Exported::Subject(out))
}

fn subjects_export(target: &StateArgs) -> Result<ExitCode> {
    let (config, key) = state_config(target)?;
    let (entries, tokens) = match &config.state {
        privgate::store::Backend::Embedded => {
            // Read without taking the registry's lock, so a running proxy can be backed up.
            let path = config.data_dir.join("subjects.jsonl");
            let entries = if path.exists() {
                privgate::subjects::Registry::read_only(&path)?.entries()
            } else {
                Vec::new()
            };
            let path = config.data_dir.join("tokens.vault");
            let tokens = if path.exists() {
                privgate::vault::Vault::open(&path)?.entries()
            } else {
                Vec::new()
            };
            (entries, tokens)
        }
        backend => {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let store = privgate::store::Store::open(backend, &config.data_dir)?;
                Ok::<_, privgate::store::StoreError>((
                    store.export().await?,
                    store.export_tokens().await?,
                ))
            })?
        }
    };
    let mut out = String::new();
    for (k, e) in &entries {
        out.push_str(
            &serde_json::json!({"id_kind": k.kind.as_str(), "key": hex::encode(k.mac), "opted_out": e.opted_out, "child": e.child, "key_id": key.id()})
                .to_string(),
        );
        out.push('\n');
    }
    for (k, t) in &tokens {
        out.push_str(
            &serde_json::json!({"token_key": hex::encode(k), "token": t, "key_id": key.id()})
                .to_string(),
        );
        out.push('\n');
    }
    std::io::Write::write_all(&mut std::io::stdout().lock(), out.as_bytes())?;
    eprintln!(
        "exported {} registry entr{} and {} token{}",
        entries.len(),
        if entries.len() == 1 { "y" } else { "ies" },
        tokens.len(),
        plural(tokens.len())
    );
    Ok(ExitCode::SUCCESS)
}

/// Expands the paths of `audit verify` / `audit summary`, noting what is left out.
fn audit_files(paths: &[PathBuf]) -> Result<privgate::audit::files::Resolved> {
    let resolved = privgate::audit::files::resolve(paths)?;
    for (path, why) in &resolved.skipped {
        eprintln!("privgate: note: skipped {}: {why}", path.display());
    }
    if resolved.files.is_empty() {
        bail!("no audit log files to read");
    }
    Ok(resolved)
}

fn audit_verify(paths: &[PathBuf]) -> Result<ExitCode> {
    let resolved = audit_files(paths)?;
    match privgate::audit::verify::verify(&resolved.files) {
        Ok(verified) => {
            println!("{verified}");
            Ok(ExitCode::SUCCESS)
        }
        Err(broken) => {
            eprintln!("privgate: {broken}");
            match &broken.good_until {
                Some((file, line, seq)) => eprintln!(
                    "privgate: the chain is intact up to {}:{line} (seq {seq})",
                    file.display()
                ),
                None => eprintln!("privgate: no part of the chain before this line is vouched for"),
            }
            Ok(ExitCode::from(1))
        }
    }
}

fn audit_summary(args: &AuditSummaryArgs) -> Result<ExitCode> {
    use privgate::audit::summary::{self, Bucket, Options};
    let time = |flag: &str, value: &Option<String>| -> Result<_> {
        value
            .as_deref()
            .map(summary::parse_time)
            .transpose()
            .map_err(|e| anyhow::anyhow!("{flag}: {e}"))
    };
    let options = Options {
        since: time("--since", &args.since)?,
        until: time("--until", &args.until)?,
        bucket: args.bucket.map(|b| match b {
            BucketArg::Hour => Bucket::Hour,
            BucketArg::Day => Bucket::Day,
        }),
    };
    if let (Some(s), Some(u)) = (options.since, options.until)
        && s >= u
    {
        bail!("--since must be before --until");
    }
    let resolved = audit_files(&args.paths)?;
    let summary = summary::summarize(&resolved, &options)?;
    if !summary.integrity.ok {
        eprintln!(
            "privgate: warning: the hash chain is broken: {}",
            summary::clean(&summary.integrity.message)
        );
    }
    let out = match args.format {
        SummaryFormat::Text => summary.to_text(),
        SummaryFormat::Json => summary.to_json() + "\n",
        SummaryFormat::Html => privgate::audit::html::render(&summary),
    };
    use std::io::Write;
    std::io::stdout()
        .write_all(out.as_bytes())
        .context("cannot write the summary")?;
    Ok(ExitCode::SUCCESS)
}

fn read_stdin() -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    std::io::stdin()
        .read_to_end(&mut buf)
        .context("cannot read stdin")?;
    Ok(buf)
}
