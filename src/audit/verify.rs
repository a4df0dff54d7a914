//! `privgate audit verify`: recomputes the hash chain over the active log and its rotated files
//! and reports the first line that breaks it.
//!
//! Rules checked (see the chain rules in [`crate::audit`]):
//! - every line is complete (ends with a newline), non-empty, and a JSON object with a numeric
//!   `seq` and a string `prev`;
//! - `seq` goes up by exactly one from line to line, across files;
//! - `prev` is the SHA-256 of the previous line, across files (the first line of a file chains
//!   to the last line of the file before it);
//! - the first record is the genesis record (`seq` 1, `prev` = [`GENESIS`]), or a retention
//!   record later in the chain names exactly the seq and hash it continues from;
//! - in the compact form, every definition's id is the hash of its content, and every
//!   definition a record names (`set`, `effects`) is earlier in the same file; an outcome
//!   record names the seq of its decision (`of`).
//!
//! When a hash does not match, the line after is read too, to tell which line was altered: if
//! the next record still chains to the suspect one, the earlier line was edited; if not, the
//! suspect line itself was. What a chain cannot show without an anchor kept elsewhere: the
//! last lines removed or edited (no later line vouches for them) — keep the `head` printed on
//! success somewhere else to catch that.

use std::collections::VecDeque;
use std::fmt;
use std::path::PathBuf;

use serde::Deserialize;

use super::files::{Line, Lines, LogFile};
use super::read::{self, PairKey, ReadError};
use super::{GENESIS, Phase, RetentionRecord, line_hash};

/// Where the chain breaks and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    /// The file.
    pub file: PathBuf,
    /// 1-based line number in that file.
    pub line: u64,
    /// What is wrong.
    pub kind: BreakKind,
    /// The last line known good, as `file:line` and its seq, if any.
    pub good_until: Option<(PathBuf, u64, u64)>,
}

/// What is wrong at a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BreakKind {
    /// The file cannot be read past this line (I/O error, damaged gzip data).
    Unreadable(String),
    /// The last line of the chain has no newline: a write cut short by a crash.
    TornLast {
        /// Its length.
        bytes: usize,
    },
    /// A closed (rotated) file ends without a newline: it was truncated.
    TornInside,
    /// An empty line.
    Empty,
    /// Not valid JSON.
    NotJson {
        /// 1-based column where parsing failed.
        column: usize,
    },
    /// JSON, but without a numeric `seq` and a string `prev`.
    NotRecord,
    /// Records are missing before this line.
    Missing {
        /// The seq that should be here.
        expected: u64,
        /// The seq found.
        found: u64,
        /// The file before, when this is the first line of a file.
        previous_file: Option<PathBuf>,
    },
    /// This line and the next are in the wrong order.
    Reordered {
        /// The seq that should be here.
        expected: u64,
        /// The seq found.
        found: u64,
    },
    /// A seq that was already passed: a repeated or moved record.
    Repeated {
        /// The seq that should be here.
        expected: u64,
        /// The seq found.
        found: u64,
    },
    /// The seq is wrong but the hash chain holds: the seq itself was edited.
    SeqAltered {
        /// The seq that should be here.
        expected: u64,
        /// The seq found.
        found: u64,
    },
    /// This record was edited: the next record's `prev` does not match it, while the record
    /// after that still chains to the next one.
    Altered {
        /// `file:line` of the next record.
        next: String,
    },
    /// This record was edited or replaced: its `prev` does not match the previous record, and
    /// the next record does not chain to it either.
    AlteredHere,
    /// This record, or the `prev` of the next (last) record, was edited; no later record tells
    /// which.
    AlteredEither {
        /// `file:line` of the next record.
        next: String,
    },
    /// An outcome record whose decision record is not in the log: a forwarded request that
    /// the log does not account for before it was forwarded.
    OutcomeWithoutDecision,
    /// The first record is not the genesis record and no retention record accounts for it.
    BadStart {
        /// Its seq.
        seq: u64,
    },
    /// A definition whose id is not the hash of its content, or a record that names a
    /// definition not earlier in its file.
    Definition(ReadError),
}

impl fmt::Display for BreakKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BreakKind::Unreadable(e) => write!(f, "cannot be read from here on: {e}"),
            BreakKind::TornLast { bytes } => write!(
                f,
                "incomplete last line ({bytes} bytes, no newline): a write cut short by a crash. \
                 Its request was never answered; privgate cuts the line off at its next start \
                 and keeps it as <log>.torn-<time>"
            ),
            BreakKind::TornInside => write!(
                f,
                "incomplete line at the end of a closed file: the file was truncated"
            ),
            BreakKind::Empty => write!(f, "empty line: lines were removed or altered"),
            BreakKind::NotJson { column } => write!(
                f,
                "not valid JSON (column {column}): the line was altered or damaged"
            ),
            BreakKind::NotRecord => write!(
                f,
                "not an audit record (no numeric `seq` and string `prev`): the line was altered"
            ),
            BreakKind::Missing {
                expected,
                found,
                previous_file,
            } => {
                let n = found - expected;
                write!(
                    f,
                    "seq {found} where {expected} was expected: {n} record{} missing before this line",
                    if n == 1 { " is" } else { "s are" }
                )?;
                if let Some(p) = previous_file {
                    write!(
                        f,
                        " (the file before, {}, ends at seq {}: it was truncated, or a file is missing)",
                        p.display(),
                        expected - 1
                    )?;
                }
                Ok(())
            }
            BreakKind::Reordered { expected, found } => write!(
                f,
                "lines out of order: seq {found} comes before seq {expected}"
            ),
            BreakKind::Repeated { expected, found } => write!(
                f,
                "seq {found} where {expected} was expected: a record repeated or moved here"
            ),
            BreakKind::SeqAltered { expected, found } => write!(
                f,
                "seq {found} where {expected} was expected, but the hash chain holds: this \
                 record's seq was altered"
            ),
            BreakKind::Altered { next } => write!(
                f,
                "this record was altered: its SHA-256 does not match the `prev` of the next \
                 record ({next})"
            ),
            BreakKind::AlteredHere => write!(
                f,
                "this record was altered or replaced: its `prev` does not match the previous \
                 record, and the next record does not chain to it"
            ),
            BreakKind::AlteredEither { next } => write!(
                f,
                "this record, or the `prev` of the last record ({next}), was altered: their \
                 hashes do not match"
            ),
            BreakKind::OutcomeWithoutDecision => write!(
                f,
                "an outcome record without its decision record: a request was forwarded that \
                 the log did not record before it left (records were removed or altered)"
            ),
            BreakKind::BadStart { seq: 0 } => write!(
                f,
                "the first record has seq 0; records are counted from 1: the record was altered"
            ),
            BreakKind::BadStart { seq: 1 } => write!(
                f,
                "the first record's `prev` is not the genesis value (64 zeros): the record was \
                 altered"
            ),
            BreakKind::BadStart { seq } => write!(
                f,
                "the chain starts at seq {seq}, not at genesis, and no retention record in \
                 these files accounts for seqs 1–{}: records or files are missing at the start",
                seq - 1
            ),
            BreakKind::Definition(e) => write!(
                f,
                "{e}: definitions were removed or altered (each file holds the definitions its \
                 records name)"
            ),
        }
    }
}

impl fmt::Display for Break {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.kind)
    }
}

impl std::error::Error for Break {}

/// How the verified chain begins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    /// No records at all.
    Empty,
    /// At the genesis record.
    Genesis,
    /// After records removed by retention, as the retention record with this seq says.
    Retention {
        /// The last seq removed.
        through_seq: u64,
        /// The retention record's own seq.
        record_seq: u64,
    },
}

/// A chain that verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// Records checked.
    pub records: u64,
    /// Files read.
    pub files: usize,
    /// Seq and time of the first record.
    pub first: Option<(u64, String)>,
    /// Seq and time of the last record.
    pub last: Option<(u64, String)>,
    /// How the chain begins.
    pub start: Start,
    /// SHA-256 of the last line: the `prev` the next record will carry. Keep it elsewhere to
    /// detect later removal or editing of the last lines.
    pub head: String,
    /// Decision records without an outcome record, as (seq, request id), at most
    /// [`INTERRUPTED_SHOWN`]: requests the process was forwarding when it stopped (a crash or
    /// `kill -9`). The collector may have received them; the log accounts for them.
    pub interrupted: Vec<(u64, String)>,
    /// How many decision records have no outcome record.
    pub interrupted_count: u64,
}

/// How many interrupted requests `audit verify` lists.
pub const INTERRUPTED_SHOWN: usize = 20;

impl fmt::Display for Verified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let files = format!(
            "{} file{}",
            self.files,
            if self.files == 1 { "" } else { "s" }
        );
        match (&self.first, &self.last) {
            (Some((s1, t1)), Some((s2, t2))) => {
                write!(
                    f,
                    "ok: {} record{} in {files}, seq {s1}–{s2}, {t1} – {t2}",
                    self.records,
                    if self.records == 1 { "" } else { "s" }
                )?;
            }
            _ => write!(f, "ok: no records in {files}")?,
        }
        match &self.start {
            Start::Empty => Ok(()),
            Start::Genesis => write!(f, ", from genesis; head {}", self.head),
            Start::Retention {
                through_seq,
                record_seq,
            } => write!(
                f,
                ", continuing after seq {through_seq} (removed by retention, record seq \
                 {record_seq}); head {}",
                self.head
            ),
        }?;
        if self.interrupted_count > 0 {
            write!(
                f,
                "\n{} decision record{} without an outcome: the process stopped while forwarding \
                 (the collector may have received these requests; each is accounted for by its \
                 decision):",
                self.interrupted_count,
                if self.interrupted_count == 1 { "" } else { "s" }
            )?;
            for (seq, id) in &self.interrupted {
                write!(f, "\n  seq {seq}, request {id}")?;
            }
            if self.interrupted_count > self.interrupted.len() as u64 {
                write!(
                    f,
                    "\n  ... and {} more",
                    self.interrupted_count - self.interrupted.len() as u64
                )?;
            }
        }
        Ok(())
    }
}

/// One parsed line.
#[derive(Debug, Clone)]
struct Entry {
    file: usize,
    line: u64,
    seq: u64,
    prev: String,
    hash: String,
    time: String,
    retention: Option<RetentionRecord>,
    phase: Option<Phase>,
    request_id: Option<String>,
    /// How it pairs with the other record of its request.
    pair: Option<PairKey>,
    /// A compact outcome record's milliseconds after its decision.
    ms: Option<u64>,
    /// A definition that does not match its id, or a reference that does not resolve:
    /// reported once the line's place in the chain is checked (a missing line explains it).
    definition: Option<ReadError>,
}

#[derive(Deserialize)]
struct Head {
    seq: u64,
    prev: String,
    #[serde(default)]
    time: Option<String>,
    #[serde(default)]
    retention: Option<RetentionRecord>,
    #[serde(default)]
    phase: Option<Phase>,
    #[serde(default)]
    request_id: Option<String>,
    // The compact form.
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    of: Option<u64>,
    #[serde(default)]
    ms: Option<u64>,
    #[serde(default)]
    outcome: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    def: Option<String>,
    #[serde(default)]
    set: Option<String>,
    #[serde(default)]
    effects: Option<String>,
}

/// The definitions of the file being read, by id: `true` for a policy set.
#[derive(Default)]
struct Defined {
    file: usize,
    ids: std::collections::HashMap<String, bool>,
}

/// The lines of all files, parsed, with lookahead.
struct Stream<'a> {
    files: &'a [LogFile],
    index: usize,
    lines: Option<Lines>,
    last_line: u64,
    ahead: VecDeque<Result<Entry, Break>>,
    failed: bool,
    defined: Defined,
}

impl Stream<'_> {
    fn read(&mut self) -> Option<Result<Entry, Break>> {
        if self.failed {
            return None;
        }
        loop {
            let file = self.files.get(self.index)?;
            let lines = match &mut self.lines {
                Some(l) => l,
                None => match file.lines() {
                    Ok(l) => {
                        self.last_line = 0;
                        self.lines.insert(l)
                    }
                    Err(e) => {
                        self.failed = true;
                        return Some(Err(self.broken(0, BreakKind::Unreadable(e.to_string()))));
                    }
                },
            };
            match lines.next() {
                None => {
                    self.index += 1;
                    self.lines = None;
                }
                Some(Err(e)) => {
                    self.failed = true;
                    let line = self.last_line + 1;
                    return Some(Err(self.broken(line, BreakKind::Unreadable(e.to_string()))));
                }
                Some(Ok(line)) => {
                    self.last_line = line.number;
                    let parsed = self.parse(line);
                    if parsed.is_err() {
                        self.failed = true;
                    }
                    return Some(parsed);
                }
            }
        }
    }

    fn broken(&self, line: u64, kind: BreakKind) -> Break {
        Break {
            file: self
                .files
                .get(self.index)
                .map(|f| f.path.clone())
                .unwrap_or_default(),
            line,
            kind,
            good_until: None,
        }
    }

    fn parse(&mut self, line: Line) -> Result<Entry, Break> {
        if !line.complete {
            let kind = if self.index + 1 == self.files.len() {
                BreakKind::TornLast {
                    bytes: line.bytes.len(),
                }
            } else {
                BreakKind::TornInside
            };
            return Err(self.broken(line.number, kind));
        }
        if line.bytes.is_empty() {
            return Err(self.broken(line.number, BreakKind::Empty));
        }
        let head: Head = match serde_json::from_slice(&line.bytes) {
            Ok(h) => h,
            Err(e) if e.is_data() => return Err(self.broken(line.number, BreakKind::NotRecord)),
            Err(e) => {
                return Err(self.broken(line.number, BreakKind::NotJson { column: e.column() }));
            }
        };
        if self.defined.file != self.index {
            self.defined = Defined {
                file: self.index,
                ..Defined::default()
            };
        }
        let definition = self.definitions(&head, &line.bytes).err();
        let compact = head.id.is_some() || head.of.is_some();
        let (phase, pair) = match (head.phase, head.of) {
            (_, Some(of)) => (Some(Phase::Outcome), Some(PairKey::Seq(of))),
            (None, None) if compact && head.outcome.is_none() => {
                (Some(Phase::Decision), Some(PairKey::Seq(head.seq)))
            }
            (p, None) => (p, head.request_id.clone().map(PairKey::RequestId)),
        };
        Ok(Entry {
            file: self.index,
            line: line.number,
            seq: head.seq,
            prev: head.prev,
            hash: line_hash(&line.bytes),
            time: head.time.unwrap_or_default(),
            retention: head.retention,
            phase,
            request_id: head.request_id.or(head.id),
            pair,
            ms: head.ms,
            definition,
        })
    }

    /// Keeps a definition (after checking its id), or checks that the definitions a record
    /// names are earlier in its file.
    fn definitions(&mut self, head: &Head, line: &[u8]) -> Result<(), ReadError> {
        if let Some(id) = &head.def {
            read::check_definition(line, id)?;
            let is_set = read::definition_parts(line)
                .is_some_and(|(_, body)| body.starts_with(b"\"policies\":"));
            self.defined.ids.insert(id.clone(), is_set);
            return Ok(());
        }
        for (key, id, set) in [("set", &head.set, true), ("effects", &head.effects, false)] {
            if let Some(id) = id
                && self.defined.ids.get(id) != Some(&set)
            {
                return Err(ReadError::Unresolved {
                    key,
                    id: id.chars().take(16).collect(),
                });
            }
        }
        Ok(())
    }

    fn next(&mut self) -> Option<Result<Entry, Break>> {
        match self.ahead.pop_front() {
            Some(item) => Some(item),
            None => self.read(),
        }
    }

    fn peek(&mut self) -> Option<&Result<Entry, Break>> {
        if self.ahead.is_empty() {
            let item = self.read()?;
            self.ahead.push_back(item);
        }
        self.ahead.front()
    }

    fn loc(&self, e: &Entry) -> String {
        format!("{}:{}", self.files[e.file].path.display(), e.line)
    }
}

/// Verifies the chain of `files`, read in the order given.
pub fn verify(files: &[LogFile]) -> Result<Verified, Break> {
    let mut stream = Stream {
        files,
        index: 0,
        lines: None,
        last_line: 0,
        ahead: VecDeque::new(),
        failed: false,
        defined: Defined::default(),
    };
    let mut first: Option<Entry> = None;
    let mut last: Option<Entry> = None;
    let mut penultimate: Option<Entry> = None;
    let mut records = 0u64;
    let mut retention: Vec<(u64, String, u64)> = Vec::new();
    // Decision records waiting for their outcome → seq, request id and time.
    let mut open: std::collections::HashMap<PairKey, (u64, String, String)> =
        std::collections::HashMap::new();
    // The lines before a break are vouched for only when the chain's start is: the genesis
    // record, or a retention record seen so far that names it.
    let good_until =
        |last: &Option<Entry>, first: &Option<Entry>, retention: &[(u64, String, u64)]| {
            let start_ok = first.as_ref().is_some_and(|f| {
                (f.seq == 1 && f.prev == GENESIS)
                    || retention
                        .iter()
                        .any(|(t, h, _)| t.checked_add(1) == Some(f.seq) && *h == f.prev)
            });
            last.as_ref()
                .filter(|_| start_ok)
                .map(|e| (files[e.file].path.clone(), e.line, e.seq))
        };
    let at = |e: &Entry, kind: BreakKind, good: Option<(PathBuf, u64, u64)>| Break {
        file: files[e.file].path.clone(),
        line: e.line,
        kind,
        good_until: good,
    };
    while let Some(item) = stream.next() {
        let mut cur = item.map_err(|mut b| {
            b.good_until = good_until(&last, &first, &retention);
            b
        })?;
        if let Some(prev) = &last {
            let expected = prev.seq.saturating_add(1);
            if cur.seq != expected {
                let next_is_expected = matches!(stream.peek(), Some(Ok(n)) if n.seq == expected);
                let kind = if cur.prev == prev.hash {
                    BreakKind::SeqAltered {
                        expected,
                        found: cur.seq,
                    }
                } else if cur.seq < expected {
                    BreakKind::Repeated {
                        expected,
                        found: cur.seq,
                    }
                } else if next_is_expected {
                    BreakKind::Reordered {
                        expected,
                        found: cur.seq,
                    }
                } else {
                    BreakKind::Missing {
                        expected,
                        found: cur.seq,
                        previous_file: (cur.line == 1 && cur.file > 0)
                            .then(|| files[cur.file - 1].path.clone()),
                    }
                };
                return Err(at(&cur, kind, good_until(&last, &first, &retention)));
            }
            if cur.prev != prev.hash {
                let cur_loc = stream.loc(&cur);
                let verdict = match stream.peek() {
                    Some(Ok(n)) if n.prev == cur.hash && n.seq == cur.seq.saturating_add(1) => None,
                    Some(Ok(_)) => Some(BreakKind::AlteredHere),
                    Some(Err(_)) | None => Some(BreakKind::AlteredEither {
                        next: cur_loc.clone(),
                    }),
                };
                // When `prev` is the line to blame, the chain is good up to the one before it.
                let before_prev = good_until(&penultimate, &first, &retention);
                return Err(match verdict {
                    // The next record vouches for `cur`: the line before it was edited.
                    None => at(prev, BreakKind::Altered { next: cur_loc }, before_prev),
                    Some(BreakKind::AlteredEither { next }) => {
                        at(prev, BreakKind::AlteredEither { next }, before_prev)
                    }
                    Some(kind) => at(&cur, kind, good_until(&last, &first, &retention)),
                });
            }
        }
        if let Some(e) = cur.definition.take() {
            let good = good_until(&last, &first, &retention);
            return Err(at(&cur, BreakKind::Definition(e), good));
        }
        if let Some(r) = &cur.retention {
            retention.push((r.through_seq, r.last_hash.clone(), cur.seq));
        }
        if first.is_none() {
            // Only a later retention record can vouch for a start after seq 1; a start at 0 or
            // 1 must be the genesis record, and is reported at once.
            if cur.seq <= 1 && !(cur.seq == 1 && cur.prev == GENESIS) {
                return Err(at(&cur, BreakKind::BadStart { seq: cur.seq }, None));
            }
            first = Some(cur.clone());
        }
        match (cur.phase, &cur.pair) {
            (Some(Phase::Decision), Some(key)) => {
                let id = cur.request_id.clone().unwrap_or_default();
                open.insert(key.clone(), (cur.seq, id, cur.time.clone()));
            }
            (Some(Phase::Outcome), key) => {
                let decision = key.as_ref().and_then(|k| open.remove(k));
                let decided = decision.is_some();
                if cur.time.is_empty()
                    && let Some((_, _, time)) = decision
                {
                    // A compact outcome record's time is its decision's, plus `ms`.
                    cur.time = later_by(&time, cur.ms.unwrap_or(0));
                }
                // After retention the decision may have been in a removed file.
                let from_genesis = first.as_ref().is_some_and(|f| f.seq == 1);
                if !decided && from_genesis {
                    let good = good_until(&last, &first, &retention);
                    return Err(at(&cur, BreakKind::OutcomeWithoutDecision, good));
                }
            }
            _ => {}
        }
        if cur.time.is_empty()
            && let Some(before) = &last
        {
            // An outcome whose decision was removed by retention: it came after the record
            // before it, whose time it is shown with.
            cur.time = before.time.clone();
        }
        records += 1;
        penultimate = last.replace(cur);
    }
    let mut interrupted: Vec<(u64, String)> =
        open.into_values().map(|(seq, id, _)| (seq, id)).collect();
    interrupted.sort();
    let interrupted_count = interrupted.len() as u64;
    interrupted.truncate(INTERRUPTED_SHOWN);
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(Verified {
            records: 0,
            files: files.len(),
            first: None,
            last: None,
            start: Start::Empty,
            head: String::new(),
            interrupted,
            interrupted_count,
        });
    };
    let start = if first.seq == 1 && first.prev == GENESIS {
        Start::Genesis
    } else if let Some((through_seq, _, record_seq)) = retention
        .iter()
        .find(|(through, hash, _)| through.checked_add(1) == Some(first.seq) && *hash == first.prev)
    {
        Start::Retention {
            through_seq: *through_seq,
            record_seq: *record_seq,
        }
    } else {
        return Err(at(&first, BreakKind::BadStart { seq: first.seq }, None));
    };
    Ok(Verified {
        records,
        files: files.len(),
        first: Some((first.seq, first.time)),
        last: Some((last.seq, last.time)),
        start,
        head: last.hash,
        interrupted,
        interrupted_count,
    })
}

/// `time` (RFC 3339) plus `ms` milliseconds, as records write times; `time` if unreadable.
fn later_by(time: &str, ms: u64) -> String {
    use time::format_description::well_known::Rfc3339;
    match time::OffsetDateTime::parse(time, &Rfc3339) {
        Ok(t) => super::rfc3339_millis(t + time::Duration::milliseconds(ms.min(1 << 40) as i64)),
        Err(_) => time.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines of a valid chain of `n` records.
    fn chain(n: u64) -> Vec<String> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let line = format!(
                    "{{\"seq\":{seq},\"time\":\"2026-11-29T06:00:0{}.000Z\",\"route\":\"/api/track\",\"prev\":\"{prev}\"}}",
                    seq % 10
                );
                prev = line_hash(line.as_bytes());
                line
            })
            .collect()
    }

    fn check(lines: &[String]) -> Result<Verified, Break> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("audit.jsonl");
        std::fs::write(
            &p,
            lines.iter().map(|l| format!("{l}\n")).collect::<String>(),
        )
        .unwrap();
        verify(&[LogFile::new(p)]).map_err(|mut b| {
            b.file = PathBuf::from("audit.jsonl");
            b.good_until = None;
            b
        })
    }

    #[test]
    fn each_kind_of_tampering_is_reported_at_its_line() {
        let good = chain(6);
        let ok = check(&good).unwrap();
        assert_eq!(ok.records, 6);
        assert_eq!(ok.start, Start::Genesis);
        assert_eq!(ok.head, line_hash(good[5].as_bytes()));

        let mut edited = good.clone();
        edited[2] = edited[2].replace("/api/track", "/api/trick");
        let b = check(&edited).unwrap_err();
        assert_eq!(b.line, 3, "{b}");
        assert!(matches!(b.kind, BreakKind::Altered { .. }), "{b}");

        let mut prev_edited = good.clone();
        prev_edited[3] = prev_edited[3].replacen("\"prev\":\"", "\"prev\":\"0", 1);
        let b = check(&prev_edited).unwrap_err();
        assert_eq!(b.line, 4, "{b}");
        assert_eq!(b.kind, BreakKind::AlteredHere);

        let mut deleted = good.clone();
        deleted.remove(2);
        let b = check(&deleted).unwrap_err();
        assert_eq!(b.line, 3, "{b}");
        assert!(matches!(
            b.kind,
            BreakKind::Missing {
                expected: 3,
                found: 4,
                ..
            }
        ));

        let mut swapped = good.clone();
        swapped.swap(1, 2);
        let b = check(&swapped).unwrap_err();
        assert_eq!(b.line, 2, "{b}");
        assert_eq!(
            b.kind,
            BreakKind::Reordered {
                expected: 2,
                found: 3
            }
        );

        let mut seq_edited = good.clone();
        seq_edited[4] = seq_edited[4].replacen("\"seq\":5", "\"seq\":9", 1);
        let b = check(&seq_edited).unwrap_err();
        assert_eq!(b.line, 5, "{b}");
        assert_eq!(
            b.kind,
            BreakKind::SeqAltered {
                expected: 5,
                found: 9
            }
        );

        let mut repeated = good.clone();
        repeated.insert(3, good[1].clone());
        let b = check(&repeated).unwrap_err();
        assert_eq!(b.line, 4, "{b}");
        assert!(matches!(b.kind, BreakKind::Repeated { .. }), "{b}");

        let b = check(&good[1..]).unwrap_err();
        assert_eq!((b.line, b.kind), (1, BreakKind::BadStart { seq: 2 }));

        let mut last_two = good.clone();
        last_two[4] = last_two[4].replace("/api/track", "/api/trick");
        let b = check(&last_two).unwrap_err();
        assert_eq!(b.line, 5, "{b}");
        assert!(matches!(b.kind, BreakKind::AlteredEither { .. }));

        let mut not_json = good.clone();
        not_json[1] = not_json[1].replacen(',', ";", 1);
        let b = check(&not_json).unwrap_err();
        assert_eq!(b.line, 2);
        assert!(matches!(b.kind, BreakKind::NotJson { .. }), "{b}");

        let mut no_seq = good.clone();
        no_seq[1] = no_seq[1].replacen("\"seq\"", "\"seg\"", 1);
        let b = check(&no_seq).unwrap_err();
        assert_eq!((b.line, b.kind), (2, BreakKind::NotRecord));
    }

    /// Chained lines of the given record bodies, numbered from 1.
    fn chained(bodies: &[String]) -> Vec<String> {
        let mut prev = GENESIS.to_owned();
        bodies
            .iter()
            .enumerate()
            .map(|(i, body)| {
                let line = format!("{{\"seq\":{},{body},\"prev\":\"{prev}\"}}", i + 1);
                prev = line_hash(line.as_bytes());
                line
            })
            .collect()
    }

    fn definition(body: &str) -> (String, String) {
        let id = format!(
            "{:016x}",
            super::super::compact::content_key(body.as_bytes())
        );
        let line = format!("\"time\":\"2026-11-29T06:00:00.000Z\",\"def\":\"{id}\",{body}");
        (id, line)
    }

    #[test]
    fn compact_records_must_name_definitions_of_their_own_file_and_their_decision() {
        let (set, set_line) = definition(r#""policies":[{"name":"gdpr","sha256":"ab"}]"#);
        let (fx, fx_line) = definition(
            r#""changes":[{"policy":"gdpr","rule":"r","action":"hash","count":1,"paths":["events[0].identity"]}]"#,
        );
        let decision = |id: &str| {
            format!(
                r#""time":"2026-11-29T06:00:01.000Z","id":"{id}","route":"/api/track","in":1,"out":1,"set":"{set}","effects":"{fx}""#
            )
        };
        let outcome = |of: u64| format!(r#""of":{of},"outcome":"forwarded","status":200,"ms":5"#);
        let good = chained(&[
            set_line.clone(),
            fx_line.clone(),
            decision("a"),
            outcome(3),
            decision("b"),
        ]);
        let ok = check(&good).unwrap();
        assert_eq!(ok.records, 5);
        assert_eq!(ok.interrupted, vec![(5, "b".to_owned())]);
        let lines = chained(&[set_line.clone(), fx_line.clone(), decision("a"), outcome(3)]);
        assert_eq!(
            check(&lines).unwrap().last,
            Some((4, "2026-11-29T06:00:01.005Z".to_owned())),
            "an outcome's time is its decision's plus `ms`"
        );

        // A definition in the file before does not count.
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        let lines = chained(&[
            set_line.clone(),
            fx_line.clone(),
            decision("a"),
            decision("b"),
        ]);
        std::fs::write(&a, format!("{}\n{}\n{}\n", lines[0], lines[1], lines[2])).unwrap();
        std::fs::write(&b, format!("{}\n", lines[3])).unwrap();
        let err = verify(&[LogFile::new(a.clone()), LogFile::new(b.clone())]).unwrap_err();
        assert_eq!((err.file.clone(), err.line), (b, 1));
        assert!(err.to_string().contains("`set` names definition"), "{err}");
        assert_eq!(err.good_until, Some((a, 3, 3)));

        // A definition whose content does not match its id.
        let altered = fx_line.replace("hash", "mask");
        let b = check(&chained(&[set_line.clone(), altered, decision("a")])).unwrap_err();
        assert_eq!(b.line, 2, "{b}");
        assert!(b.to_string().contains("does not match its content"), "{b}");

        // An effects id used as a policy set.
        let swapped =
            decision("a").replace(&format!("\"set\":\"{set}\""), &format!("\"set\":\"{fx}\""));
        let b = check(&chained(&[set_line.clone(), fx_line.clone(), swapped])).unwrap_err();
        assert_eq!(b.line, 3, "{b}");

        // An outcome that names no decision.
        let b = check(&chained(&[set_line, fx_line, decision("a"), outcome(2)])).unwrap_err();
        assert_eq!((b.line, b.kind), (4, BreakKind::OutcomeWithoutDecision));
    }

    #[test]
    fn a_torn_last_line_and_a_truncated_closed_file_are_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        let good = chain(4);
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        std::fs::write(&a, format!("{}\n{}", good[0], &good[1][..20])).unwrap();
        std::fs::write(&b, format!("{}\n", good[2])).unwrap();
        let err = verify(&[LogFile::new(a.clone()), LogFile::new(b.clone())]).unwrap_err();
        assert_eq!((err.file.clone(), err.line), (a.clone(), 2));
        assert_eq!(err.kind, BreakKind::TornInside);
        std::fs::write(&a, format!("{}\n{}\n", good[0], good[1])).unwrap();
        std::fs::write(&b, format!("{}\n{}", good[2], &good[3][..30])).unwrap();
        let err = verify(&[LogFile::new(a.clone()), LogFile::new(b.clone())]).unwrap_err();
        assert_eq!((err.file.clone(), err.line), (b.clone(), 2));
        assert_eq!(err.kind, BreakKind::TornLast { bytes: 30 });
        assert_eq!(err.good_until, Some((b.clone(), 1, 3)));
        // A missing middle file is a gap at the first line of the next one.
        let c = dir.path().join("c");
        std::fs::write(&b, format!("{}\n", good[2])).unwrap();
        std::fs::write(&c, format!("{}\n", good[3])).unwrap();
        let err = verify(&[LogFile::new(a.clone()), LogFile::new(c.clone())]).unwrap_err();
        assert_eq!((err.file.clone(), err.line), (c.clone(), 1));
        assert!(err.to_string().contains("the file before"), "{err}");
        let ok = verify(&[LogFile::new(a), LogFile::new(b), LogFile::new(c)]).unwrap();
        assert_eq!(ok.records, 4);
        assert_eq!(ok.files, 3);
    }
}
