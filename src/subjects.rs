//! The subject registry: who opted out and who is a child, remembered across requests and
//! restarts (compliance.md, "Opt-out signals" and "COPPA").
//!
//! Subjects are identities and Heap user ids, stored only as keyed HMACs (tagged by kind), so
//! the registry file alone reveals no identifier. The embedded store is an append-only JSONL
//! log under `privgate-data/`, replayed at start; every acknowledged change is fsynced first.
//! The running proxy holds an exclusive lock on the file, so offline tools cannot write under it.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};

use serde::{Deserialize, Serialize};

use crate::keys::HashKey;

/// Which identifier a subject key is made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    /// The identified user (`identity`).
    Identity,
    /// Heap's user id (`user_id`).
    UserId,
}

impl IdKind {
    /// The name used in the API and audit records.
    pub fn as_str(self) -> &'static str {
        match self {
            IdKind::Identity => "identity",
            IdKind::UserId => "user_id",
        }
    }

    /// The domain tag of this kind's keys: `subject:` and the kind.
    fn mac_tag(self) -> &'static str {
        match self {
            IdKind::Identity => "subject:identity",
            IdKind::UserId => "subject:user_id",
        }
    }
}

/// A subject as stored: its kind and the HMAC of its identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SubjectKey {
    /// Identity or user id.
    pub kind: IdKind,
    /// HMAC-SHA256 of the identifier, tagged by kind.
    pub mac: [u8; 32],
}

impl SubjectKey {
    /// The key of an identifier.
    pub fn new(key: &HashKey, kind: IdKind, value: &str) -> SubjectKey {
        SubjectKey {
            kind,
            mac: key.mac_tagged(kind.mac_tag(), value.as_bytes()),
        }
    }
}

/// What the registry knows about a subject.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    /// Opted out, with the reason given.
    pub opted_out: Option<String>,
    /// Known to be a child.
    pub child: bool,
}

/// One change to the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Opt the subject out.
    OptOut(SubjectKey, String),
    /// Withdraw an opt-out.
    Withdraw(SubjectKey),
    /// Remember the subject as a child.
    Child(SubjectKey),
}

/// Reads subjects' state (the consent stage needs nothing else).
pub trait Lookup {
    /// The state of a subject (default when unknown).
    fn get(&self, key: &SubjectKey) -> Entry;
}

/// A registry that remembers nothing (for tools without state).
pub struct Empty;

impl Lookup for Empty {
    fn get(&self, _key: &SubjectKey) -> Entry {
        Entry::default()
    }
}

#[derive(Serialize, Deserialize)]
struct LogLine {
    op: String,
    kind: IdKind,
    key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    time: String,
}

/// The embedded registry.
pub struct Registry {
    path: Option<PathBuf>,
    entries: RwLock<HashMap<SubjectKey, Entry>>,
    /// The open, locked log; `None` in memory and after [`Registry::close`].
    file: Mutex<Option<File>>,
}

impl Lookup for Registry {
    fn get(&self, key: &SubjectKey) -> Entry {
        self.entries
            .read()
            .map(|m| m.get(key).cloned().unwrap_or_default())
            .unwrap_or_default()
    }
}

/// Why the registry file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// Another process (a running proxy) holds the registry.
    #[error("{0}: the subject registry is in use by a running privgate; use its admin API instead")]
    Locked(PathBuf),
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// A line of the file is not a registry record.
    #[error("{path}:{line}: not a subject registry record")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
    },
}

impl Registry {
    /// A registry that lives only in memory (scrub, policy tests).
    pub fn in_memory() -> Registry {
        Registry {
            path: None,
            entries: RwLock::new(HashMap::new()),
            file: Mutex::new(None),
        }
    }

    /// Opens the registry file (creating it), takes its lock and replays it.
    pub fn open(path: &Path) -> Result<Registry, RegistryError> {
        let io_err = |source| RegistryError::Io {
            path: path.to_owned(),
            source,
        };
        if let Some(parent) = path.parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent).map_err(io_err)?;
        }
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(io_err)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(RegistryError::Locked(path.to_owned()));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io_err(e)),
        }
        let entries = replay(path, file.try_clone().map_err(io_err)?)?;
        Ok(Registry {
            path: Some(path.to_owned()),
            entries: RwLock::new(entries),
            file: Mutex::new(Some(file)),
        })
    }

    /// Reads a registry file without taking its lock (export while the proxy runs). The result
    /// lives in memory and cannot be written.
    pub fn read_only(path: &Path) -> Result<Registry, RegistryError> {
        let file = File::open(path).map_err(|source| RegistryError::Io {
            path: path.to_owned(),
            source,
        })?;
        Ok(Registry {
            path: None,
            entries: RwLock::new(replay(path, file)?),
            file: Mutex::new(None),
        })
    }

    /// Closes the log and releases its lock (at shutdown); later changes fail.
    pub fn close(&self) {
        if let Ok(mut f) = self.file.lock() {
            *f = None;
        }
    }

    /// Every known subject (for export; keys are HMACs, never identifiers).
    pub fn entries(&self) -> Vec<(SubjectKey, Entry)> {
        self.entries
            .read()
            .map(|m| m.iter().map(|(k, e)| (*k, e.clone())).collect())
            .unwrap_or_default()
    }

    /// Number of subjects known.
    pub fn len(&self) -> usize {
        self.entries.read().map(|m| m.len()).unwrap_or(0)
    }

    /// True when no subject is known.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Writes changes durably (fsync), then makes them visible. Blocking: call it off the
    /// async runtime's worker threads.
    pub fn apply(&self, changes: &[Change]) -> Result<(), RegistryError> {
        if changes.is_empty() {
            return Ok(());
        }
        if let Some(path) = &self.path {
            let mut text = String::new();
            let time = crate::audit::now_rfc3339();
            for change in changes {
                let (op, key, reason) = match change {
                    Change::OptOut(k, r) => ("opt_out", k, Some(r.clone())),
                    Change::Withdraw(k) => ("withdraw", k, None),
                    Change::Child(k) => ("child", k, None),
                };
                let line = LogLine {
                    op: op.to_owned(),
                    kind: key.kind,
                    key: hex::encode(key.mac),
                    reason,
                    time: time.clone(),
                };
                text.push_str(
                    &serde_json::to_string(&line).expect("registry records always serialize"),
                );
                text.push('\n');
            }
            let io_err = |source| RegistryError::Io {
                path: path.clone(),
                source,
            };
            let mut guard = self
                .file
                .lock()
                .map_err(|_| io_err(io::Error::other("registry writer poisoned")))?;
            let f = guard
                .as_mut()
                .ok_or_else(|| io_err(io::Error::other("the registry is closed")))?;
            f.write_all(text.as_bytes())
                .and_then(|_| f.sync_data())
                .map_err(io_err)?;
        }
        let mut entries = self.entries.write().map_err(|_| RegistryError::Io {
            path: self.path.clone().unwrap_or_default(),
            source: io::Error::other("registry poisoned"),
        })?;
        for change in changes {
            apply(&mut entries, change);
        }
        Ok(())
    }
}

/// Reads a registry log into the state it describes.
fn replay(path: &Path, file: File) -> Result<HashMap<SubjectKey, Entry>, RegistryError> {
    let io_err = |source| RegistryError::Io {
        path: path.to_owned(),
        source,
    };
    let mut entries = HashMap::new();
    let reader = BufReader::new(file);
    for (i, line) in reader.lines().enumerate() {
        let line = line.map_err(io_err)?;
        if line.trim().is_empty() {
            continue;
        }
        let Ok(record) = serde_json::from_str::<LogLine>(&line) else {
            return Err(RegistryError::Corrupt {
                path: path.to_owned(),
                line: i + 1,
            });
        };
        let mut mac = [0u8; 32];
        if hex::decode_to_slice(&record.key, &mut mac).is_err() {
            return Err(RegistryError::Corrupt {
                path: path.to_owned(),
                line: i + 1,
            });
        }
        let key = SubjectKey {
            kind: record.kind,
            mac,
        };
        let change = match record.op.as_str() {
            "opt_out" => Change::OptOut(key, stored_reason(&record.reason.unwrap_or_default())),
            "withdraw" => Change::Withdraw(key),
            "child" => Change::Child(key),
            _ => {
                return Err(RegistryError::Corrupt {
                    path: path.to_owned(),
                    line: i + 1,
                });
            }
        };
        apply(&mut entries, &change);
    }
    Ok(entries)
}

fn apply(entries: &mut HashMap<SubjectKey, Entry>, change: &Change) {
    match change {
        Change::OptOut(k, reason) => {
            entries.entry(*k).or_default().opted_out = Some(reason.clone())
        }
        Change::Withdraw(k) => {
            if let Some(e) = entries.get_mut(k) {
                e.opted_out = None;
                if !e.child {
                    entries.remove(k);
                }
            }
        }
        Change::Child(k) => entries.entry(*k).or_default().child = true,
    }
}

/// The reasons an opt-out can have: a closed vocabulary, because reasons are written to the
/// audit log and the registry, which hold no text a client chose.
pub const REASONS: &[(&str, &str)] = &[
    ("gdpr_art17", "erasure (GDPR Art. 17)"),
    ("gdpr_art21", "objection (GDPR Art. 21)"),
    ("ccpa_opt_out", "opt-out of sale or sharing (CCPA)"),
    ("gpc", "Global Privacy Control signal"),
    ("coppa_parental_request", "a parent's request (COPPA)"),
    ("user_request", "any other request of the person"),
    ("other", "any other reason"),
];

/// Names earlier versions accepted, and what they mean now.
const LEGACY_REASONS: &[(&str, &str)] = &[
    ("gdpr_erasure", "gdpr_art17"),
    ("gdpr_objection", "gdpr_art21"),
    ("ccpa", "ccpa_opt_out"),
    ("coppa", "coppa_parental_request"),
];

/// Prefix of a reason learned through a link (an identify tied the subject to an opted-out one).
pub const LINKED: &str = "linked:";

/// The canonical form of a reason: one of [`REASONS`] (or a legacy alias of one), optionally
/// prefixed with `linked:`. `None` for anything else.
pub fn canonical_reason(text: &str) -> Option<String> {
    let text = text.trim();
    let (linked, base) = match text.strip_prefix(LINKED) {
        Some(rest) => (true, rest.trim()),
        None => (false, text),
    };
    let base = REASONS
        .iter()
        .map(|(name, _)| *name)
        .find(|name| *name == base)
        .or_else(|| {
            LEGACY_REASONS
                .iter()
                .find(|(old, _)| *old == base)
                .map(|(_, new)| *new)
        })?;
    Some(if linked {
        format!("{LINKED}{base}")
    } else {
        base.to_owned()
    })
}

/// A reason as stored by an older version (free text was accepted then): its canonical form,
/// or `other`, so that no stored free text reaches an answer or the audit log.
pub fn stored_reason(text: &str) -> String {
    canonical_reason(text).unwrap_or_else(|| {
        if text.trim_start().starts_with(LINKED) {
            format!("{LINKED}other")
        } else {
            "other".to_owned()
        }
    })
}

/// Checks an opt-out reason given to the admin API or `subjects import`; returns its canonical
/// form.
pub fn check_reason(reason: &str) -> Result<String, String> {
    canonical_reason(reason).filter(|r| !r.starts_with(LINKED)).ok_or_else(|| {
        format!(
            "`reason` must be one of {}: reasons are written to the audit log, which holds no free text",
            REASONS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> HashKey {
        HashKey::from_bytes(&[9u8; 32], "test").unwrap()
    }

    #[test]
    fn keys_are_tagged_by_kind_as_stored_registries_expect() {
        // Registries written by earlier builds hold HMACs under `subject:<kind>`.
        for kind in [IdKind::Identity, IdKind::UserId] {
            let expected = key().mac_tagged(&format!("subject:{}", kind.as_str()), b"jane");
            assert_eq!(SubjectKey::new(&key(), kind, "jane").mac, expected);
        }
        let identity = SubjectKey::new(&key(), IdKind::Identity, "jane");
        assert_ne!(
            identity.mac,
            SubjectKey::new(&key(), IdKind::UserId, "jane").mac
        );
    }

    #[test]
    fn opt_outs_survive_reopening_and_the_file_holds_no_identifier() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("subjects.jsonl");
        let jane = SubjectKey::new(&key(), IdKind::Identity, "jane@example.com");
        let kid = SubjectKey::new(&key(), IdKind::UserId, "1234");
        {
            let r = Registry::open(&path).unwrap();
            r.apply(&[
                Change::OptOut(jane, "ccpa_opt_out".into()),
                Change::Child(kid),
            ])
            .unwrap();
            assert!(
                matches!(Registry::open(&path), Err(RegistryError::Locked(_))),
                "one writer at a time"
            );
        }
        let r = Registry::open(&path).unwrap();
        assert_eq!(r.get(&jane).opted_out.as_deref(), Some("ccpa_opt_out"));
        assert!(r.get(&kid).child);
        r.apply(&[Change::Withdraw(jane)]).unwrap();
        assert_eq!(r.get(&jane), Entry::default());
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("jane") && !text.contains("1234"));
        // The same value as identity and as user id are different subjects.
        assert_ne!(SubjectKey::new(&key(), IdKind::Identity, "1234"), kid);
    }

    #[test]
    fn a_corrupt_line_is_reported_with_its_number() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("subjects.jsonl");
        std::fs::write(&path, "\n{\"oops\":1}\n").unwrap();
        let err = Registry::open(&path).err().unwrap().to_string();
        assert!(
            err.ends_with("subjects.jsonl:2: not a subject registry record"),
            "{err}"
        );
    }

    #[test]
    fn reasons_come_from_a_closed_vocabulary() {
        assert_eq!(check_reason("gdpr_art21").unwrap(), "gdpr_art21");
        assert_eq!(check_reason(" gdpr_objection ").unwrap(), "gdpr_art21");
        assert_eq!(check_reason("ccpa").unwrap(), "ccpa_opt_out");
        for free in [
            "Jane Doe asked by phone",
            "jane@example.com",
            "",
            "linked:gpc",
        ] {
            assert!(check_reason(free).is_err(), "{free}");
        }
        assert_eq!(
            canonical_reason("linked: gdpr_erasure").unwrap(),
            "linked:gdpr_art17"
        );
        assert_eq!(stored_reason("asked by Jane Doe"), "other");
        assert_eq!(stored_reason("linked: asked by Jane"), "linked:other");
    }
}
