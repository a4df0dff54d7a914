//! The deployment's secret hashing key (docs/operators/operating.md, "Keys").
//!
//! `hash` outputs and every identifier stored by privgate (subject registry, token vault) are
//! HMAC-SHA256 under this key, never plain hashes, so a dictionary of e-mail addresses cannot
//! reverse them. The key comes from `PRIVGATE_HASH_KEY`, a key file named in the config, or is
//! generated once into `privgate-data/hash.key` (mode 0600). It carries an id, derived from the
//! key, so outputs made under different keys can be told apart when keys rotate. The key never
//! appears in logs, errors or `Debug` output.

use std::fmt;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

/// Smallest accepted key, in bytes.
pub const MIN_KEY_BYTES: usize = 32;

/// Why a key could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The text is neither hex nor base64.
    #[error("{origin}: the hash key must be hex or base64 text")]
    Encoding {
        /// Where the key came from (env var or file path).
        origin: String,
    },
    /// Too short.
    #[error("{origin}: the hash key has {len} bytes; at least {MIN_KEY_BYTES} are required")]
    TooShort {
        /// Where the key came from.
        origin: String,
        /// Its length.
        len: usize,
    },
    /// The key file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What failed.
        #[source]
        source: std::io::Error,
    },
}

/// The keyed hash used by `hash`, the registry and the vault.
#[derive(Clone)]
pub struct HashKey {
    id: String,
    mac: Hmac<Sha256>,
}

impl fmt::Debug for HashKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HashKey")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl HashKey {
    /// A key from raw bytes.
    pub fn from_bytes(bytes: &[u8], origin: &str) -> Result<HashKey, KeyError> {
        if bytes.len() < MIN_KEY_BYTES {
            return Err(KeyError::TooShort {
                origin: origin.to_owned(),
                len: bytes.len(),
            });
        }
        let digest = Sha256::new()
            .chain_update(b"privgate key id\0")
            .chain_update(bytes)
            .finalize();
        let id = hex::encode(&digest[..4]);
        let mac = Hmac::<Sha256>::new_from_slice(bytes).expect("HMAC accepts keys of any length");
        Ok(HashKey { id, mac })
    }

    /// A key from hex or base64 text (surrounding whitespace ignored).
    pub fn from_text(text: &str, origin: &str) -> Result<HashKey, KeyError> {
        let text = text.trim();
        let bytes =
            if text.len().is_multiple_of(2) && text.bytes().all(|b| b.is_ascii_hexdigit()) {
                hex::decode(text).ok()
            } else {
                None
            }
            .or_else(|| base64::engine::general_purpose::STANDARD.decode(text).ok())
            .or_else(|| {
                base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(text)
                    .ok()
            })
            .ok_or_else(|| KeyError::Encoding {
                origin: origin.to_owned(),
            })?;
        HashKey::from_bytes(&bytes, origin)
    }

    /// Reads a key file.
    pub fn from_file(path: &Path) -> Result<HashKey, KeyError> {
        let text = fs::read_to_string(path).map_err(|source| KeyError::Io {
            path: path.to_owned(),
            source,
        })?;
        HashKey::from_text(&text, &path.display().to_string())
    }

    /// The key from `PRIVGATE_HASH_KEY`, or the key file, or — when neither exists — a new key
    /// written to `generate_at` with mode 0600. The flag is true when a key was generated.
    pub fn resolve(
        key_file: Option<&Path>,
        generate_at: &Path,
    ) -> Result<(HashKey, bool), KeyError> {
        if let Some(key) = HashKey::configured(key_file, generate_at)? {
            return Ok((key, false));
        }
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| KeyError::Io {
            path: generate_at.to_owned(),
            source: std::io::Error::other(e.to_string()),
        })?;
        write_private(generate_at, hex::encode(bytes).as_bytes()).map_err(|source| {
            KeyError::Io {
                path: generate_at.to_owned(),
                source,
            }
        })?;
        Ok((HashKey::from_bytes(&bytes, "generated")?, true))
    }

    /// The key `serve` would use, if one exists: `PRIVGATE_HASH_KEY`, else the key file, else the
    /// generated key at `generated` (the data folder's `hash.key`) if it is there. Generates
    /// nothing: for tools that must hash as the proxy does, or say they cannot.
    pub fn configured(
        key_file: Option<&Path>,
        generated: &Path,
    ) -> Result<Option<HashKey>, KeyError> {
        if let Ok(text) = std::env::var("PRIVGATE_HASH_KEY") {
            return Ok(Some(HashKey::from_text(&text, "PRIVGATE_HASH_KEY")?));
        }
        if let Some(path) = key_file {
            return Ok(Some(HashKey::from_file(path)?));
        }
        if generated.exists() {
            return Ok(Some(HashKey::from_file(generated)?));
        }
        Ok(None)
    }

    /// A random key that lives only as long as the process (for `scrub` without a configured key).
    pub fn ephemeral() -> HashKey {
        let mut bytes = [0u8; 32];
        // Without an OS random source nothing else in privgate would work either.
        getrandom::fill(&mut bytes).expect("the OS random source is available");
        HashKey::from_bytes(&bytes, "ephemeral").expect("32 bytes is a valid key length")
    }

    /// The key id shown in hash outputs.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// HMAC-SHA256 of `input`.
    pub fn mac(&self, input: &[u8]) -> [u8; 32] {
        let mut mac = self.mac.clone();
        mac.update(input);
        mac.finalize().into_bytes().into()
    }

    /// HMAC-SHA256 of `input` under a domain tag, so the same value stored in different places
    /// (registry, vault, hash outputs) gives unrelated codes.
    pub fn mac_tagged(&self, tag: &str, input: &[u8]) -> [u8; 32] {
        let mut mac = self.mac.clone();
        mac.update(tag.as_bytes());
        mac.update(&[0]);
        mac.update(input);
        mac.finalize().into_bytes().into()
    }

    /// The `hash` action's output: `h:<key-id>:<base64url of HMAC-SHA256>`.
    pub fn hash(&self, input: &str) -> String {
        let code = self.mac(input.as_bytes());
        let mut out = String::with_capacity(3 + self.id.len() + 43);
        out.push_str("h:");
        out.push_str(&self.id);
        out.push(':');
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode_string(code, &mut out);
        out
    }
}

/// Writes a file readable only by its owner, creating parent directories.
pub fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
    {
        fs::create_dir_all(parent)?;
    }
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

/// Lowercase hex SHA-256 (a plain hash: for file versions, never for identifiers).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    #[test]
    fn hash_is_keyed_stable_and_labelled() {
        let key = HashKey::from_text(KEY, "test").unwrap();
        let a = key.hash("a@b.co");
        assert_eq!(a, key.hash("a@b.co"));
        assert!(a.starts_with(&format!("h:{}:", key.id())));
        assert_eq!(a.len(), 2 + 8 + 1 + 43);
        let other = HashKey::from_bytes(&[7u8; 32], "test").unwrap();
        assert_ne!(other.hash("a@b.co"), a);
        // Not a plain SHA-256 of the input.
        let plain =
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(b"a@b.co"));
        assert!(!a.ends_with(&plain));
    }

    #[test]
    fn short_and_garbled_keys_are_refused_without_echoing_them() {
        let err = HashKey::from_text("abcd", "PRIVGATE_HASH_KEY").unwrap_err();
        assert!(err.to_string().contains("at least 32"));
        let err = HashKey::from_text("not a key!!", "PRIVGATE_HASH_KEY").unwrap_err();
        assert!(!err.to_string().contains("not a key"));
    }

    #[test]
    fn generated_key_is_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d/hash.key");
        let (k1, generated) = HashKey::resolve(None, &path).unwrap();
        assert!(generated);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        let (k2, generated) = HashKey::resolve(None, &path).unwrap();
        assert!(!generated);
        assert_eq!(k1.hash("x"), k2.hash("x"));
        assert!(!format!("{k1:?}").contains(&fs::read_to_string(&path).unwrap()));
    }
}
