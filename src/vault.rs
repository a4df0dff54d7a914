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

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};

use crate::keys::HashKey;
use crate::policy::action::{TokenError, TokenSource};

/// A value's key in the vault.
pub type ValueKey = [u8; 32];

/// A value that needs a token: its key, and whether the token must look like a Heap user id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wanted {
    /// The value's key.
    pub key: ValueKey,
    /// True for decimal values (user ids): the token is a random decimal id too, so that the
    /// collector still accepts it.
    pub numeric: bool,
}

/// The embedded vault.
pub struct Vault {
    path: Option<PathBuf>,
    tokens: RwLock<Tokens>,
    /// Taken by writers for the whole of choosing, syncing and publishing new tokens.
    writers: Mutex<()>,
    file: Option<Mutex<File>>,
    /// For policy tests only: tokens from a seeded sequence, so expected outputs are stable.
    seed: Option<Mutex<u64>>,
}

/// Value key → token, and the set of tokens handed out (tokens are unique).
#[derive(Default)]
struct Tokens {
    by_key: HashMap<ValueKey, String>,
    issued: HashSet<String>,
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
    /// An imported token disagrees with the one the vault holds (hex value key).
    #[error(
        "the vault already holds another token for value key {0}, or that token for another value"
    )]
    Conflict(String),
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
            tokens: RwLock::new(Tokens::default()),
            writers: Mutex::new(()),
            file: None,
            seed: None,
        }
    }

    /// An in-memory vault whose tokens come from a fixed sequence (policy tests: the same case
    /// gives the same tokens on every run). Never used by the proxy.
    pub fn seeded(seed: u64) -> Vault {
        Vault {
            seed: Some(Mutex::new(seed)),
            ..Vault::in_memory()
        }
    }

    fn token_bytes(&self) -> [u8; 12] {
        let mut bytes = [0u8; 12];
        match &self.seed {
            Some(state) => {
                // splitmix64: a reproducible sequence, enough for test tokens.
                let mut s = state.lock().map(|g| *g).unwrap_or(0);
                for chunk in bytes.chunks_mut(8) {
                    s = s.wrapping_add(0x9e37_79b9_7f4a_7c15);
                    let mut z = s;
                    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                    z ^= z >> 31;
                    chunk.copy_from_slice(&z.to_le_bytes()[..chunk.len()]);
                }
                if let Ok(mut g) = state.lock() {
                    *g = s;
                }
            }
            // Without an OS random source nothing else in privgate works either.
            None => getrandom::fill(&mut bytes).expect("the OS random source is available"),
        }
        bytes
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
        let mut tokens = Tokens::default();
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
            tokens.issued.insert(token.to_owned());
            tokens.by_key.insert(key, token.to_owned());
        }
        Ok(Vault {
            path: Some(path.to_owned()),
            tokens: RwLock::new(tokens),
            writers: Mutex::new(()),
            file: Some(Mutex::new(file)),
            seed: None,
        })
    }

    /// The key of a value.
    pub fn value_key(key: &HashKey, value: &str) -> ValueKey {
        key.mac_tagged("vault", value.as_bytes())
    }

    /// The token of a value key, if it has one.
    pub fn get(&self, k: &ValueKey) -> Option<String> {
        self.tokens.read().ok()?.by_key.get(k).cloned()
    }

    /// Number of tokens held.
    pub fn len(&self) -> usize {
        self.tokens.read().map(|t| t.by_key.len()).unwrap_or(0)
    }

    /// True when the vault holds no token.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every (value key, token) pair (for `privgate subjects export`).
    pub fn entries(&self) -> Vec<(ValueKey, String)> {
        self.tokens
            .read()
            .map(|t| t.by_key.iter().map(|(k, v)| (*k, v.clone())).collect())
            .unwrap_or_default()
    }

    /// Adds exported tokens (moving a vault between backends), durably. A key that already has
    /// the same token is skipped; a key with another token, or a token already standing for
    /// another value, is a conflict and nothing is written. Returns how many were added.
    pub fn insert(&self, entries: &[(ValueKey, String)]) -> Result<usize, VaultError> {
        // Writers take turns on the file lock; the token table is locked only to read it and,
        // once the new pairs are durable, to add them: lookups never wait for a sync.
        let _writer = self.writer()?;
        let mut new: Vec<(ValueKey, String)> = Vec::new();
        {
            let tokens = self.tokens.read().map_err(|_| self.poisoned())?;
            for (k, t) in entries {
                match tokens.by_key.get(k) {
                    Some(existing) if existing == t => continue,
                    Some(_) => return Err(VaultError::Conflict(hex::encode(k))),
                    None if tokens.issued.contains(t)
                        || new.iter().any(|(nk, nt)| nt == t && nk != k) =>
                    {
                        return Err(VaultError::Conflict(hex::encode(k)));
                    }
                    None => {
                        if !new.iter().any(|(nk, _)| nk == k) {
                            new.push((*k, t.clone()));
                        }
                    }
                }
            }
        }
        self.persist(&new)?;
        let added = new.len();
        self.publish(new)?;
        Ok(added)
    }

    /// The writers' turn: held while new pairs are chosen and made durable, so two writers
    /// never pick the same token. Readers never take it.
    fn writer(&self) -> Result<std::sync::MutexGuard<'_, ()>, VaultError> {
        self.writers.lock().map_err(|_| self.poisoned())
    }

    fn poisoned(&self) -> VaultError {
        VaultError::Io {
            path: self.path.clone().unwrap_or_default(),
            source: io::Error::other("vault poisoned"),
        }
    }

    /// Adds durable pairs to the table.
    fn publish(&self, new: Vec<(ValueKey, String)>) -> Result<(), VaultError> {
        let mut tokens = self.tokens.write().map_err(|_| self.poisoned())?;
        for (k, t) in new {
            tokens.issued.insert(t.clone());
            tokens.by_key.insert(k, t);
        }
        Ok(())
    }

    /// Appends new pairs to the file and syncs it (nothing for an in-memory vault).
    fn persist(&self, new: &[(ValueKey, String)]) -> Result<(), VaultError> {
        let (Some(file), Some(path)) = (&self.file, &self.path) else {
            return Ok(());
        };
        if new.is_empty() {
            return Ok(());
        }
        let mut text = String::new();
        for (k, t) in new {
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
            })
    }

    /// Gives every key without a token a new random one, durably. Blocking; lookups of other
    /// values go on meanwhile (the table is not locked while the file syncs).
    pub fn create(&self, wanted: &[Wanted]) -> Result<(), VaultError> {
        let _writer = self.writer()?;
        let mut new: Vec<(ValueKey, String)> = Vec::new();
        {
            let tokens = self.tokens.read().map_err(|_| self.poisoned())?;
            for w in wanted {
                if tokens.by_key.contains_key(&w.key) || new.iter().any(|(nk, _)| *nk == w.key) {
                    continue;
                }
                // Tokens stand for one value each: draw again on the (unlikely) collision.
                let token = loop {
                    let t = token_text(self.token_bytes(), w.numeric);
                    if !tokens.issued.contains(&t) && !new.iter().any(|(_, v)| *v == t) {
                        break t;
                    }
                };
                new.push((w.key, token));
            }
        }
        self.persist(&new)?;
        self.publish(new)
    }
}

/// A new random token for a value (used by shared vaults, which draw their own).
pub fn new_token(numeric: bool) -> String {
    let mut bytes = [0u8; 12];
    // Without an OS random source nothing else in privgate works either.
    getrandom::fill(&mut bytes).expect("the OS random source is available");
    token_text(bytes, numeric)
}

/// A token from 12 random bytes: `tok_` and 24 hex digits, or for numeric values a decimal id
/// in Heap's user id range (1 to 2^53 - 1).
fn token_text(bytes: [u8; 12], numeric: bool) -> String {
    if numeric {
        let mut n = [0u8; 8];
        n.copy_from_slice(&bytes[..8]);
        let id = (u64::from_le_bytes(n) % ((1u64 << 53) - 1)) + 1;
        return id.to_string();
    }
    format!("tok_{}", hex::encode(bytes))
}

/// Tokens known without waiting: the embedded vault, or a cache of a shared one.
pub trait TokenTable: Sync {
    /// The token of a value key, if known.
    fn token_of(&self, k: &ValueKey) -> Option<String>;
}

impl TokenTable for Vault {
    fn token_of(&self, k: &ValueKey) -> Option<String> {
        self.get(k)
    }
}

/// What evaluation sees of the vault: tokens from memory; missing ones are noted and given a
/// placeholder, and the pipeline evaluates again once they exist.
pub struct Lookup<'a> {
    vault: &'a dyn TokenTable,
    key: &'a HashKey,
    missing: Mutex<Vec<Wanted>>,
}

impl<'a> Lookup<'a> {
    /// A lookup over `vault`.
    pub fn new(vault: &'a dyn TokenTable, key: &'a HashKey) -> Self {
        Lookup {
            vault,
            key,
            missing: Mutex::new(Vec::new()),
        }
    }

    /// The values that had no token.
    pub fn missing(self) -> Vec<Wanted> {
        self.missing.into_inner().unwrap_or_default()
    }
}

impl TokenSource for Lookup<'_> {
    fn token(&self, value: &str) -> Result<String, TokenError> {
        let k = Vault::value_key(self.key, value);
        if let Some(t) = self.vault.token_of(&k) {
            return Ok(t);
        }
        let numeric =
            !value.is_empty() && value.len() <= 19 && value.bytes().all(|b| b.is_ascii_digit());
        self.missing
            .lock()
            .map_err(|_| TokenError("vault lookup poisoned".to_owned()))?
            .push(Wanted { key: k, numeric });
        Ok("tok_pending".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imported_tokens_are_kept_and_conflicts_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tokens");
        let v = Vault::open(&path).unwrap();
        let (a, b) = ([1u8; 32], [2u8; 32]);
        assert_eq!(
            v.insert(&[(a, "tok_a".to_owned()), (b, "tok_b".to_owned())])
                .unwrap(),
            2
        );
        assert_eq!(
            v.insert(&[(a, "tok_a".to_owned())]).unwrap(),
            0,
            "the same pair again is a no-op"
        );
        assert!(matches!(
            v.insert(&[(a, "tok_other".to_owned())]),
            Err(VaultError::Conflict(_))
        ));
        assert!(matches!(
            v.insert(&[([3u8; 32], "tok_b".to_owned())]),
            Err(VaultError::Conflict(_))
        ));
        let reopened = Vault::open(&path).unwrap();
        assert_eq!(reopened.get(&a).as_deref(), Some("tok_a"));
        let mut entries = reopened.entries();
        entries.sort();
        assert_eq!(
            entries,
            vec![(a, "tok_a".to_owned()), (b, "tok_b".to_owned())]
        );
    }

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

    #[test]
    fn decimal_ids_get_decimal_tokens_so_the_collector_accepts_them() {
        let key = HashKey::from_bytes(&[4u8; 32], "t").unwrap();
        let v = Vault::in_memory();
        let lookup = Lookup::new(&v, &key);
        lookup.token("1847839267195673").unwrap();
        v.create(&lookup.missing()).unwrap();
        let token = Lookup::new(&v, &key).token("1847839267195673").unwrap();
        let n: u64 = token.parse().expect("a decimal token");
        assert!(n > 0 && n < (1 << 53));
        assert_ne!(token, "1847839267195673");
    }

    #[test]
    fn lookups_do_not_wait_while_new_tokens_are_synced() {
        let dir = tempfile::tempdir().unwrap();
        let v = std::sync::Arc::new(Vault::open(&dir.path().join("tokens")).unwrap());
        let known = [7u8; 32];
        v.insert(&[(known, "tok_known".to_owned())]).unwrap();
        // Hold the file, as a slow fsync would, while another thread creates a token.
        let file = v.file.as_ref().unwrap().lock().unwrap();
        let creator = {
            let v = v.clone();
            std::thread::spawn(move || {
                v.create(&[Wanted {
                    key: [8u8; 32],
                    numeric: false,
                }])
            })
        };
        std::thread::sleep(std::time::Duration::from_millis(100));
        let (tx, rx) = std::sync::mpsc::channel();
        let reader = {
            let v = v.clone();
            std::thread::spawn(move || tx.send(v.get(&known)).unwrap())
        };
        let seen = rx.recv_timeout(std::time::Duration::from_secs(5));
        drop(file);
        creator.join().unwrap().unwrap();
        reader.join().unwrap();
        assert_eq!(seen.unwrap().as_deref(), Some("tok_known"));
        assert!(v.get(&[8u8; 32]).is_some());
    }
}
