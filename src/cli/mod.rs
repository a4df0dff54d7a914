//! The `privgate` command line: one module per subcommand; this one parses the arguments and
//! dispatches.
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

mod audit;
mod check;
mod playground;
mod scrub;
mod serve;
mod state;
mod subjects;

use audit::*;
use check::*;
use playground::*;
use scrub::*;
use serve::*;
use state::*;
use subjects::*;

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

/// Parses the command line and runs the command; the exit code follows the conventions above.
pub fn main() -> ExitCode {
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

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn read_stdin() -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    std::io::stdin()
        .read_to_end(&mut buf)
        .context("cannot read stdin")?;
    Ok(buf)
}
