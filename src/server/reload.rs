//! Hot reload: on SIGHUP, or when a loaded policy or config file changes (debounced), the new
//! policy set is compiled completely and then swapped in atomically.
//!
//! Requests hold the set they started with until they finish. A set with any error is refused
//! with the same messages as `privgate check`, logged and counted; the last good set stays in
//! force. Only the policy list and the policies are reloaded from the config file; other
//! settings need a restart (a warning says so).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};
use tokio::sync::mpsc;

use crate::config::Config;
use crate::policy::{self, SetError};
use crate::server::State;

/// Why a reload was refused.
#[derive(Debug, thiserror::Error)]
pub enum ReloadError {
    /// The config file has errors.
    #[error("{0}")]
    Config(#[from] crate::config::ConfigError),
    /// The policies have errors or cannot be read.
    #[error("{0}")]
    Policies(#[from] SetError),
    /// The listener's certificates could not be loaded.
    #[error("TLS: {0}")]
    Tls(#[from] crate::server::tls::TlsError),
}

/// Compiles the current files and swaps the new set in. Returns `name@sha256` of each policy.
///
/// Reloads take turns (the file watcher and SIGHUP can ask at the same moment): each reads the
/// files only once the one before it has swapped its set in, so the set left in force is always
/// built from the newest files, never an older set that happened to finish compiling last.
pub fn reload(state: &State) -> Result<Vec<String>, ReloadError> {
    let _turn = state
        .reloading
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let result = try_reload(state);
    match &result {
        Ok(versions) => {
            state.metrics.reload(true);
            tracing::info!(policies = %versions.join(", "), "Policies reloaded.");
        }
        Err(e) => {
            state.metrics.reload(false);
            tracing::error!("Reload refused; the previous policies stay in force:\n{e}");
        }
    }
    result
}

fn try_reload(state: &State) -> Result<Vec<String>, ReloadError> {
    let mut args = state
        .policy_args
        .lock()
        .map(|a| a.clone())
        .unwrap_or_default();
    let mut scopes = if state.policies_from_flags {
        Vec::new()
    } else {
        state.config.policy_scopes.clone()
    };
    if let (Some(file), false) = (&state.config.file, state.policies_from_flags) {
        let fresh = Config::load(file)?;
        warn_about_restart_only_changes(&state.config, &fresh);
        args = fresh.policies;
        scopes = fresh.policy_scopes;
    }
    let (set, warnings) = policy::load_set_scoped(&args, &scopes, state.key.clone())?;
    // Certificates reload with the configuration: a new set is built completely first.
    let tls = match &state.config.tls {
        Some(t) => Some(tokio_rustls::TlsAcceptor::from(
            crate::server::tls::server_config(t)?,
        )),
        None => None,
    };
    for w in warnings {
        tracing::warn!("{w}");
    }
    let versions = set
        .policies
        .iter()
        .map(|p| format!("{}@{}", p.name, &p.sha256[..12]))
        .collect();
    if let Ok(mut a) = state.policy_args.lock() {
        *a = args;
    }
    state.policies.store(Arc::new(set));
    if tls.is_some() {
        state.tls.store(Arc::new(tls));
    }
    Ok(versions)
}

fn warn_about_restart_only_changes(old: &Config, new: &Config) {
    let changed = [
        ("listen", old.listen != new.listen),
        ("admin_listen", old.admin_listen != new.admin_listen),
        ("upstream", old.upstream != new.upstream),
        (
            "audit",
            old.audit_path != new.audit_path || old.audit_sync != new.audit_sync,
        ),
        (
            "trusted_proxies",
            old.trusted_proxies != new.trusted_proxies,
        ),
        (
            "forward_headers",
            old.forward_headers != new.forward_headers,
        ),
        ("hash_key_file", old.hash_key_file != new.hash_key_file),
        ("limits", old.limits != new.limits),
        ("audit rotation", old.audit_rotation != new.audit_rotation),
        ("data_dir", old.data_dir != new.data_dir),
    ];
    for (name, differs) in changed {
        if differs {
            tracing::warn!(
                setting = name,
                "Config setting changed; it takes effect after a restart."
            );
        }
    }
}

/// The files whose changes trigger a reload: the config file and every policy file.
fn watched_files(state: &State) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = state.policies.load().files.clone();
    if let Some(f) = &state.config.file {
        files.push(f.clone());
    }
    // Each file as named and as resolved: a symlink's own folder sees a swapped link (a
    // Kubernetes ConfigMap), the target's folder sees edits of the file itself.
    let mut all = Vec::new();
    for f in files {
        let named = std::path::absolute(&f).unwrap_or_else(|_| f.clone());
        let resolved = std::fs::canonicalize(&f).unwrap_or(f);
        if named != resolved {
            all.push(named);
        }
        all.push(resolved);
    }
    all
}

/// Watches the loaded files and reloads on change (debounced by `debounce`). Editors replace
/// files by renaming, so the folders are watched and events filtered by file name.
pub fn spawn_watcher(state: Arc<State>, debounce: Duration) -> Option<notify::RecommendedWatcher> {
    let files = watched_files(&state);
    if files.is_empty() {
        return None;
    }
    let (tx, mut rx) = mpsc::channel::<()>(16);
    let interesting = files.clone();
    let mut watcher = match notify::recommended_watcher(
        move |event: notify::Result<notify::Event>| {
            let Ok(event) = event else { return };
            if matches!(event.kind, notify::EventKind::Access(_)) {
                return;
            }
            if event
                .paths
                .iter()
                .any(|p| is_watched(p, &interesting) || is_atomic_swap(p))
            {
                let _ = tx.try_send(());
            }
        },
    ) {
        Ok(w) => w,
        Err(e) => {
            tracing::warn!(error = %e, "Cannot watch policy files; reload with SIGHUP instead.");
            return None;
        }
    };
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| f.parent().map(Path::to_owned))
        .collect();
    dirs.sort();
    dirs.dedup();
    for dir in &dirs {
        if let Err(e) = watcher.watch(dir, RecursiveMode::NonRecursive) {
            tracing::warn!(dir = %dir.display(), error = %e, "Cannot watch a policy folder.");
        }
    }
    tokio::spawn(async move {
        while rx.recv().await.is_some() {
            // Debounce: wait until the files have been quiet for a moment.
            loop {
                match tokio::time::timeout(debounce, rx.recv()).await {
                    Ok(Some(())) => continue,
                    Ok(None) => return,
                    Err(_) => break,
                }
            }
            if state.shutting_down.load(Ordering::SeqCst) {
                return;
            }
            let s = state.clone();
            let _ = tokio::task::spawn_blocking(move || reload(&s)).await;
        }
    });
    Some(watcher)
}

/// Kubernetes updates a mounted ConfigMap by pointing the `..data` symlink at a new folder
/// (`..data_tmp` renamed over it); the files are symlinks through it and see no event of their
/// own.
fn is_atomic_swap(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("..data"))
}

fn is_watched(path: &Path, files: &[PathBuf]) -> bool {
    let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    files.iter().any(|f| {
        *f == canonical || (f.file_name() == path.file_name() && f.parent() == canonical.parent())
    })
}
