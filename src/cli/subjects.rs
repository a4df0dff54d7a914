//! `privgate subjects import|export`: the subject registry, offline or through the admin API.

use super::*;

/// One line of an import file.
pub(super) fn import_line(
    line: &str,
    number: usize,
) -> Result<(privgate::subjects::IdKind, String, String)> {
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

pub(super) fn subjects_import(
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
pub(super) async fn audit_imports(
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

pub(super) fn import_through_admin(
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
pub(super) enum Exported {
    /// A registry entry, as the changes that recreate it.
    Subject(Vec<privgate::subjects::Change>),
    /// A vault token: value key and token.
    Token(privgate::vault::ValueKey, String),
}

/// One exported line: a registry entry `{"id_kind", "key" (hex HMAC), "opted_out" (reason or
/// null), "child"}` or a token `{"token_key" (hex HMAC), "token"}`.
pub(super) fn hashed_line(line: &str, number: usize, key_id: &str) -> Result<Exported> {
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

pub(super) fn subjects_export(target: &StateArgs) -> Result<ExitCode> {
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
