//! `privgate serve`: the config from flags and file, the policies, the runtime and the signals.

use super::*;

pub(super) fn config_from(args: &ServeArgs) -> Result<Config> {
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

pub(super) fn load_policies(
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

pub(super) fn serve(args: ServeArgs) -> Result<ExitCode> {
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
    // Traffic worker 0 (with the admin listener): one thread, one event loop; the server starts
    // the other workers on threads of their own (`workers`, one per CPU by default).
    let runtime = tokio::runtime::Builder::new_current_thread()
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
        // Handlers first: a SIGTERM that arrives once the listener is up (an orchestrator
        // stopping a pod that just started) must drain and close the audit log, not kill.
        let stop = Shutdown::listen();
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
        if let Some(mut hup) = stop.hup {
            let state = server.state.clone();
            tokio::spawn(async move {
                while hup.recv().await.is_some() {
                    tracing::info!("SIGHUP: reloading policies.");
                    let s = state.clone();
                    let _ =
                        tokio::task::spawn_blocking(move || privgate::server::reload::reload(&s))
                            .await;
                }
            });
        }
        stop.stop.wait().await;
        tracing::info!("Shutting down: draining in-flight requests.");
        server.shutdown().await;
        tracing::info!("Stopped.");
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The signals `serve` answers, listened for from before the server starts.
struct Shutdown {
    /// SIGTERM or Ctrl-C: drain and stop.
    stop: Stop,
    /// SIGHUP: reload the policies.
    #[cfg(unix)]
    hup: Option<tokio::signal::unix::Signal>,
}

impl Shutdown {
    /// Registers the handlers now (must run inside the runtime); signals that arrive before
    /// anyone waits are kept, not lost.
    fn listen() -> Shutdown {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Shutdown {
                stop: Stop {
                    term: signal(SignalKind::terminate()).ok(),
                    int: signal(SignalKind::interrupt()).ok(),
                },
                hup: signal(SignalKind::hangup()).ok(),
            }
        }
        #[cfg(not(unix))]
        {
            Shutdown { stop: Stop {} }
        }
    }
}

/// The stop signals, registered.
struct Stop {
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    int: Option<tokio::signal::unix::Signal>,
}

impl Stop {
    /// Resolves on the first SIGTERM or Ctrl-C (a signal that could not be registered never
    /// resolves its side).
    async fn wait(self) {
        #[cfg(unix)]
        {
            async fn next(s: Option<tokio::signal::unix::Signal>) {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending().await,
                }
            }
            tokio::select! {
                _ = next(self.int) => {}
                _ = next(self.term) => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
