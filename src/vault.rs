//! The token vault behind the `tokenize` action.
//!
//! HIPAA Safe Harbor allows a re-identification code only if it is not derived from the
//! identifier (45 CFR 164.514(c)), so `tokenize` gives each value a random token and keeps the
//! value → token mapping here, keyed by a tagged HMAC of the value: the vault alone reveals no
//! value, and the same value gets the same token across requests and restarts. New tokens are
//! fsynced before any request that used them is answered.
//!
//! Evaluation is pure, so it cannot wait for the vault: a [`Lookup`] answers from memory and
//! notes the values it has no token for; the pipeline creates those tokens and evaluates again.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};

use crate::keys::HashKey;
use crate::policy::action::{TokenError, TokenSource};

/// A value's key in the vault.
pub type ValueKey = [u8; 32];

/// The embedded vault.
pub struct Vault {
    path: Option<PathBuf>,
    tokens: RwLock<HashMap<ValueKey, String>>,
    file: Option<Mutex<File>>,
}

/// Why the vault could not be used.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// Reading or writing failed.
    #[error("token vault {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// A line of the file is not a vault record.
    #[error("{path}:{line}: not a token vault record")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
    },
}

impl Vault {
    /// A vault that lives only in memory (scrub, policy tests).
    pub fn in_memory() -> Vault {
        Vault {
            path: None,
            tokens: RwLock::new(HashMap::new()),
            file: None,
        }
    }

    /// Opens (creating) the vault file and loads it. Lines are `<hex key> <token>`.
    pub fn open(path: &Path) -> Result<Vault, VaultError> {
        let io_err = |source| VaultError::Io {
            path: path.to_owned(),
            source,
        };
        if let Some(parent) = path.parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent).map_err(io_err)?;
        }
        let mut options = OpenOptions::new();
        options.read(true).append(true).create(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(path).map_err(io_err)?;
        let mut tokens = HashMap::new();
        for (i, line) in BufReader::new(file.try_clone().map_err(io_err)?)
            .lines()
            .enumerate()
        {
            let line = line.map_err(io_err)?;
            if line.is_empty() {
                continue;
            }
            let corrupt = || VaultError::Corrupt {
                path: path.to_owned(),
                line: i + 1,
            };
            let (hex_key, token) = line.split_once(' ').ok_or_else(corrupt)?;
            let mut key = [0u8; 32];
            hex::decode_to_slice(hex_key, &mut key).map_err(|_| corrupt())?;
            tokens.insert(key, token.to_owned());
        }
        Ok(Vault {
            path: Some(path.to_owned()),
            tokens: RwLock::new(tokens),
            file: Some(Mutex::new(file)),
        })
    }

    /// The key of a value.
    pub fn value_key(key: &HashKey, value: &str) -> ValueKey {
        key.mac_tagged("vault", value.as_bytes())
    }

    /// The token of a value key, if it has one.
    pub fn get(&self, k: &ValueKey) -> Option<String> {
        self.tokens.read().ok()?.get(k).cloned()
    }

    /// Number of tokens held.
    pub fn len(&self) -> usize {
        self.tokens.read().map(|t| t.len()).unwrap_or(0)
    }

    /// True when the vault holds no token.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Gives every key without a token a new random one, durably. Blocking.
    pub fn create(&self, keys: &[ValueKey]) -> Result<(), VaultError> {
        let mut tokens = self.tokens.write().map_err(|_| VaultError::Io {
            path: self.path.clone().unwrap_or_default(),
            source: io::Error::other("vault poisoned"),
        })?;
        let mut new = Vec::new();
        for k in keys {
            if !tokens.contains_key(k) && !new.iter().any(|(nk, _)| nk == k) {
                new.push((*k, random_token()));
            }
        }
        if new.is_empty() {
            return Ok(());
        }
        if let (Some(file), Some(path)) = (&self.file, &self.path) {
            let mut text = String::new();
            for (k, t) in &new {
                text.push_str(&hex::encode(k));
                text.push(' ');
                text.push_str(t);
                text.push('\n');
            }
            let mut f = file.lock().map_err(|_| VaultError::Io {
                path: path.clone(),
                source: io::Error::other("vault writer poisoned"),
            })?;
            f.write_all(text.as_bytes())
                .and_then(|_| f.sync_data())
                .map_err(|source| VaultError::Io {
                    path: path.clone(),
                    source,
                })?;
        }
        tokens.extend(new);
        Ok(())
    }
}

/// A new token: `tok_` and 24 random hex digits.
fn random_token() -> String {
    let mut bytes = [0u8; 12];
    // Without an OS random source nothing else in privgate works either.
    getrandom::fill(&mut bytes).expect("the OS random source is available");
    format!("tok_{}", hex::encode(bytes))
}

/// What evaluation sees of the vault: tokens from memory; missing ones are noted and given a
/// placeholder, and the pipeline evaluates again once they exist.
pub struct Lookup<'a> {
    vault: &'a Vault,
    key: &'a HashKey,
    missing: Mutex<Vec<ValueKey>>,
}

impl<'a> Lookup<'a> {
    /// A lookup over `vault`.
    pub fn new(vault: &'a Vault, key: &'a HashKey) -> Self {
        Lookup {
            vault,
            key,
            missing: Mutex::new(Vec::new()),
        }
    }

    /// The value keys that had no token.
    pub fn missing(self) -> Vec<ValueKey> {
        self.missing.into_inner().unwrap_or_default()
    }
}

impl TokenSource for Lookup<'_> {
    fn token(&self, value: &str) -> Result<String, TokenError> {
        let k = Vault::value_key(self.key, value);
        if let Some(t) = self.vault.get(&k) {
            return Ok(t);
        }
        self.missing
            .lock()
            .map_err(|_| TokenError("vault lookup poisoned".to_owned()))?
            .push(k);
        Ok("tok_pending".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_value_same_token_across_restarts_and_no_value_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tokens");
        let key = HashKey::from_bytes(&[3u8; 32], "t").unwrap();
        let k = Vault::value_key(&key, "jane@example.com");
        let first = {
            let v = Vault::open(&path).unwrap();
            let lookup = Lookup::new(&v, &key);
            assert_eq!(lookup.token("jane@example.com").unwrap(), "tok_pending");
            v.create(&lookup.missing()).unwrap();
            v.get(&k).unwrap()
        };
        assert!(first.starts_with("tok_") && first.len() == 28);
        let v = Vault::open(&path).unwrap();
        assert_eq!(
            Lookup::new(&v, &key).token("jane@example.com").unwrap(),
            first
        );
        assert_ne!(
            Lookup::new(&v, &key).token("john@example.com").unwrap(),
            first
        );
        assert!(!std::fs::read_to_string(&path).unwrap().contains("jane"));
    }
}
