//! The state (data folder, hash key, registry) the offline commands work on.

use super::*;

/// The config a tool works with: the file given, or the defaults, with `--data-dir` on top.
pub(super) fn tool_config(target: &StateArgs) -> Result<Config> {
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
pub(super) fn state_config(target: &StateArgs) -> Result<(Config, HashKey)> {
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
