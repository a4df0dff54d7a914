//! Key globs of the keyed detectors.

use super::*;

/// What is wrong with a key glob, if anything.
pub(super) fn key_problem(key: &str) -> Option<&'static str> {
    if key.trim().is_empty() {
        Some("it is empty; write a key name such as 'mrn' or a glob such as '*medical_record*'")
    } else if key.trim() != key {
        Some("it has leading or trailing whitespace; remove it")
    } else if key.chars().any(char::is_control) {
        Some("it contains a control character")
    } else if key.contains(['?', '[', ']', '{', '}']) {
        Some("only '*' is a wildcard in key globs ('?', '[...]' and '{...}' are not supported)")
    } else {
        None
    }
}

pub(super) fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty()
        || hay
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

pub(super) fn ends_with_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.len() >= needle.len() && hay[hay.len() - needle.len()..].eq_ignore_ascii_case(needle)
}

pub(super) fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// Source of `Detectors::instance`; 0 marks an empty memo slot.
pub(super) static NEXT_INSTANCE: AtomicU64 = AtomicU64::new(1);

/// One key glob split at its `*`s.
pub(super) struct Glob {
    detector: u16,
    pieces: Vec<Box<[u8]>>,
    anchored_start: bool,
    anchored_end: bool,
}

impl Glob {
    pub(super) fn matches(&self, key: &[u8]) -> bool {
        let last = self.pieces.len().wrapping_sub(1);
        let mut rest = key;
        for (i, p) in self.pieces.iter().enumerate() {
            if i == 0 && self.anchored_start {
                if rest.len() < p.len() || !rest[..p.len()].eq_ignore_ascii_case(p) {
                    return false;
                }
                rest = &rest[p.len()..];
                if i == last && self.anchored_end {
                    return rest.is_empty();
                }
            } else if i == last && self.anchored_end {
                return ends_with_ci(rest, p);
            } else {
                match find_ci(rest, p) {
                    Some(j) => rest = &rest[j + p.len()..],
                    None => return false,
                }
            }
        }
        true
    }
}

/// All key globs. One Aho-Corasick pass over a key finds the glob pieces it contains; only the
/// globs that own such a piece are checked in full, so a key like "title" costs one short pass.
pub(super) struct KeyIndex {
    finder: Option<AhoCorasick>,
    globs: Vec<Glob>,
    /// Per piece (Aho-Corasick pattern id): the globs whose rarest... first piece it is.
    by_piece: Vec<Vec<usize>>,
    /// Globs without any literal piece (`*`), which match every key.
    always: Vec<usize>,
}

impl KeyIndex {
    pub(super) fn new(globs: &[(u16, String)]) -> KeyIndex {
        let mut pieces: Vec<Box<[u8]>> = Vec::new();
        let mut compiled: Vec<Glob> = Vec::new();
        let mut by_piece: Vec<Vec<usize>> = Vec::new();
        let mut always = Vec::new();
        for (id, glob) in globs {
            let parts: Vec<Box<[u8]>> = glob
                .split('*')
                .filter(|p| !p.is_empty())
                .map(|p| p.to_ascii_lowercase().into_bytes().into_boxed_slice())
                .collect();
            let index = compiled.len();
            // A glob can only match a key that contains its first piece: index it there.
            match parts.first() {
                None => always.push(index),
                Some(first) => {
                    let lower = first.to_ascii_lowercase();
                    let p = match pieces.iter().position(|q| q.eq_ignore_ascii_case(&lower)) {
                        Some(p) => p,
                        None => {
                            pieces.push(lower.into_boxed_slice());
                            by_piece.push(Vec::new());
                            pieces.len() - 1
                        }
                    };
                    by_piece[p].push(index);
                }
            }
            compiled.push(Glob {
                detector: *id,
                pieces: parts,
                anchored_start: !glob.starts_with('*'),
                anchored_end: !glob.ends_with('*'),
            });
        }
        let finder = if pieces.is_empty() {
            None
        } else {
            // Keys are short: a prefilter only adds start-up cost, a DFA is the fastest walk.
            Some(
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(AcMatchKind::Standard)
                    .kind(Some(AhoCorasickKind::DFA))
                    .prefilter(false)
                    .build(&pieces)
                    .or_else(|_| {
                        AhoCorasickBuilder::new()
                            .ascii_case_insensitive(true)
                            .match_kind(AcMatchKind::Standard)
                            .build(&pieces)
                    })
                    .expect("literal pieces of validated key globs always build an automaton"),
            )
        };
        KeyIndex {
            finder,
            globs: compiled,
            by_piece,
            always,
        }
    }

    /// The detectors among `candidates` that have a glob matching `key`.
    pub(super) fn matching(&self, key: &[u8], candidates: DetectorMask) -> DetectorMask {
        let mut found = DetectorMask::default();
        let mut check = |g: &Glob| {
            let id = DetectorId(g.detector);
            if candidates.contains(id) && !found.contains(id) && g.matches(key) {
                found.insert(id);
            }
        };
        for &i in &self.always {
            check(&self.globs[i]);
        }
        if let Some(ac) = &self.finder {
            for m in ac.find_overlapping_iter(key) {
                for &i in &self.by_piece[m.pattern().as_usize()] {
                    check(&self.globs[i]);
                }
            }
        }
        found
    }
}
