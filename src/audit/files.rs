//! The files of an audit log: the active file, its rotated (closed) files, their names, and
//! reading any of them line by line, gzipped or not.
//!
//! Naming (contract): an active log `DIR/STEM.EXT` (default `privgate-data/audit.jsonl`) is
//! rotated into `DIR/STEM.<first seq, 20 digits>.<UTC start, YYYYMMDDTHHMMSSZ>.EXT`, plus `.gz`
//! once compressed — for example `audit.00000000000000000001.20261129T060000Z.jsonl.gz`. The
//! fixed-width sequence number comes first, so sorting the names (`ls`, a shell glob) gives chain
//! order, and every rotated file sorts before its active file. A torn last line cut off at start
//! is kept next to the log as `STEM.EXT.torn-<UTC time>`; it is not part of the chain.
//!
//! This module knows names and bytes; what a line means is for `verify` and `summary`.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use time::OffsetDateTime;
use time::macros::format_description;

/// Width of the sequence number in rotated file names (every `u64` fits).
const SEQ_WIDTH: usize = 20;

/// Longest line a reader accepts; real records are a few KiB at most.
pub const MAX_LINE: usize = 16 * 1024 * 1024;

/// `YYYYMMDDTHHMMSSZ` for a UTC time, as used in file names.
pub fn compact_time(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    t.format(format_description!(
        "[year][month][day]T[hour][minute][second]Z"
    ))
    .unwrap_or_else(|_| "00000000T000000Z".to_owned())
}

fn parse_compact_time(text: &str) -> Option<OffsetDateTime> {
    time::PrimitiveDateTime::parse(
        text,
        format_description!("[year][month][day]T[hour][minute][second]Z"),
    )
    .ok()
    .map(time::PrimitiveDateTime::assume_utc)
}

/// Splits a file name at its last dot: `audit.jsonl` → (`audit`, `jsonl`); no dot → (`name`, ``).
fn stem_ext(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], &name[i + 1..]),
        _ => (name, ""),
    }
}

/// The name a closed active file gets: first seq and start time of its records.
pub fn rotated_path(active: &Path, first_seq: u64, started: OffsetDateTime) -> PathBuf {
    let name = active
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (stem, ext) = stem_ext(&name);
    let mut rotated = format!(
        "{stem}.{first_seq:0width$}.{}",
        compact_time(started),
        width = SEQ_WIDTH
    );
    if !ext.is_empty() {
        rotated.push('.');
        rotated.push_str(ext);
    }
    active.with_file_name(rotated)
}

/// Where a torn last line cut off at `at` is kept.
pub fn torn_path(active: &Path, at: OffsetDateTime) -> PathBuf {
    let name = active
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    active.with_file_name(format!("{name}.torn-{}", compact_time(at)))
}

/// A rotated file name taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RotatedName {
    /// The active file's name this file was rotated from (`audit.jsonl`).
    pub active_name: String,
    /// Seq of its first record.
    pub first_seq: u64,
    /// When its first record was written (UTC, to the second).
    pub started: OffsetDateTime,
    /// True for `.gz` files.
    pub gzip: bool,
}

/// Reads `STEM.<seq>.<time>[.EXT][.gz]`; `None` for any other name.
pub fn parse_rotated(name: &str) -> Option<RotatedName> {
    let (name, gzip) = match name.strip_suffix(".gz") {
        Some(n) => (n, true),
        None => (name, false),
    };
    let parts: Vec<&str> = name.split('.').collect();
    // Find `<20 digits>.<time>` with at least a stem before it and at most an extension after.
    for i in 1..parts.len().saturating_sub(1) {
        let (seq, time) = (parts[i], parts[i + 1]);
        if seq.len() != SEQ_WIDTH || !seq.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let Some(started) = parse_compact_time(time) else {
            continue;
        };
        let rest = &parts[i + 2..];
        if rest.len() > 1 {
            continue;
        }
        let first_seq = seq.parse().ok()?;
        let stem = parts[..i].join(".");
        let active_name = match rest.first() {
            Some(ext) => format!("{stem}.{ext}"),
            None => stem,
        };
        return Some(RotatedName {
            active_name,
            first_seq,
            started,
            gzip,
        });
    }
    None
}

/// True for the copy of a torn line (`….torn-<time>`, or `….torn-<time>-<n>` when several
/// were cut in the same second).
pub fn is_torn_copy(name: &str) -> bool {
    name.rsplit_once(".torn-").is_some_and(|(_, t)| {
        let t = match t.split_once('-') {
            Some((t, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => t,
            Some(_) => return false,
            None => t,
        };
        parse_compact_time(t).is_some()
    })
}

/// One rotated file found on disk.
#[derive(Debug, Clone)]
pub struct RotatedFile {
    /// Its path.
    pub path: PathBuf,
    /// What its name says.
    pub name: RotatedName,
}

/// The rotated files of one active log, and the leftovers of interrupted work next to them.
#[derive(Debug, Default)]
pub struct Listing {
    /// Rotated files in chain order (a file present both plain and gzipped is listed once, as
    /// the plain file).
    pub rotated: Vec<RotatedFile>,
    /// `.gz` files whose plain twin still exists (a compression finished, the plain file was not
    /// yet removed): the same records twice.
    pub superseded: Vec<PathBuf>,
    /// `.gz.tmp` files: a compression that did not finish.
    pub unfinished: Vec<PathBuf>,
    /// Copies of torn lines.
    pub torn: Vec<PathBuf>,
}

/// Lists the rotated files of the log whose active file is `active`.
pub fn list(active: &Path) -> io::Result<Listing> {
    let dir = match active.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let active_name = active
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut listing = Listing::default();
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(listing),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = dir.join(&name);
        if let Some(base) = name.strip_suffix(".gz.tmp") {
            if parse_rotated(base).is_some_and(|r| r.active_name == active_name) {
                listing.unfinished.push(path);
            }
            continue;
        }
        if name.starts_with(&active_name) && is_torn_copy(&name) {
            listing.torn.push(path);
            continue;
        }
        if let Some(parsed) = parse_rotated(&name)
            && parsed.active_name == active_name
        {
            listing.rotated.push(RotatedFile { path, name: parsed });
        }
    }
    listing
        .rotated
        .sort_by_key(|f| (f.name.first_seq, f.name.gzip));
    // The plain file sorts first; a `.gz` of the same first seq is its finished twin.
    let mut kept: Vec<RotatedFile> = Vec::with_capacity(listing.rotated.len());
    for file in listing.rotated.drain(..) {
        match kept.last() {
            Some(last) if last.name.first_seq == file.name.first_seq => {
                listing.superseded.push(file.path)
            }
            _ => kept.push(file),
        }
    }
    listing.rotated = kept;
    listing.torn.sort();
    Ok(listing)
}

/// One file of a chain, as given to `verify` or `summary`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogFile {
    /// Its path.
    pub path: PathBuf,
    /// True when it is read through gzip.
    pub gzip: bool,
}

impl LogFile {
    /// A file, gzipped when its name ends in `.gz`.
    pub fn new(path: PathBuf) -> LogFile {
        let gzip = path.extension().is_some_and(|e| e == "gz");
        LogFile { path, gzip }
    }

    /// Opens it for reading line by line.
    pub fn lines(&self) -> io::Result<Lines> {
        let file = File::open(&self.path)?;
        let inner: Box<dyn BufRead> = if self.gzip {
            Box::new(BufReader::with_capacity(
                256 * 1024,
                flate2::read::MultiGzDecoder::new(BufReader::new(file)),
            ))
        } else {
            Box::new(BufReader::with_capacity(256 * 1024, file))
        };
        Ok(Lines {
            inner,
            number: 0,
            done: false,
        })
    }
}

/// Files named on a command line, expanded into one chain.
#[derive(Debug, Default)]
pub struct Resolved {
    /// The files, in chain order.
    pub files: Vec<LogFile>,
    /// Files left out, with the reason (torn-line copies, unfinished compressions, twins).
    pub skipped: Vec<(PathBuf, &'static str)>,
}

/// Why the files of a chain could not be found.
#[derive(Debug, thiserror::Error)]
pub enum FilesError {
    /// A path does not exist or cannot be read.
    #[error("cannot read {path}")]
    Io {
        /// The path.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// A folder with no audit log in it.
    #[error(
        "{0}: no audit log in this folder (looked for audit.jsonl and rotated files \
         NAME.<seq>.<time>[.EXT][.gz]); name the files instead"
    )]
    Empty(PathBuf),
    /// A folder with the files of several logs.
    #[error("{path}: this folder holds several audit logs ({names}); name the files of one")]
    Several {
        /// The folder.
        path: PathBuf,
        /// The active names found.
        names: String,
    },
}

/// Expands files and folders into the files of one chain. Files are taken in the order given;
/// a folder contributes the rotated files of the one log in it (in chain order), then its active
/// file. Torn-line copies, unfinished compressions, journals and `.gz` twins of plain files are
/// skipped and reported.
pub fn resolve(paths: &[PathBuf]) -> Result<Resolved, FilesError> {
    let mut out = Resolved::default();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|source| FilesError::Io {
            path: path.clone(),
            source,
        })?;
        if meta.is_dir() {
            resolve_folder(path, &mut out)?;
            continue;
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if is_torn_copy(&name) {
            out.skipped.push((
                path.clone(),
                "a torn last line kept after a crash; not part of the chain",
            ));
        } else if name.ends_with(".gz.tmp") {
            out.skipped.push((
                path.clone(),
                "an unfinished compression; privgate removes it at its next start",
            ));
        } else if name.ends_with(".journal") {
            out.skipped.push((
                path.clone(),
                "the audit journal of `sync: always` (what a power cut took from the log comes back from it at privgate's next start); not part of the chain",
            ));
        } else {
            out.files.push(LogFile::new(path.clone()));
        }
    }
    // A plain rotated file given together with its `.gz` twin: read it once.
    let plain: Vec<PathBuf> = out
        .files
        .iter()
        .filter(|f| !f.gzip)
        .map(|f| f.path.clone())
        .collect();
    let mut files = Vec::with_capacity(out.files.len());
    for f in out.files.drain(..) {
        let twin = f.gzip
            && plain
                .iter()
                .any(|p| p.as_os_str() == f.path.with_extension(""));
        if twin {
            out.skipped.push((
                f.path,
                "the compressed twin of a plain file also given; read once",
            ));
        } else {
            files.push(f);
        }
    }
    out.files = files;
    Ok(out)
}

fn resolve_folder(dir: &Path, out: &mut Resolved) -> Result<(), FilesError> {
    let io_err = |source| FilesError::Io {
        path: dir.to_owned(),
        source,
    };
    let mut actives: Vec<String> = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io_err)? {
        let entry = entry.map_err(io_err)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(r) = parse_rotated(&name)
            && !actives.contains(&r.active_name)
        {
            actives.push(r.active_name);
        }
    }
    if actives.is_empty() && dir.join("audit.jsonl").is_file() {
        actives.push("audit.jsonl".to_owned());
    }
    actives.sort();
    let active = match actives.as_slice() {
        [] => return Err(FilesError::Empty(dir.to_owned())),
        [one] => dir.join(one),
        several => {
            return Err(FilesError::Several {
                path: dir.to_owned(),
                names: several.join(", "),
            });
        }
    };
    let listing = list(&active).map_err(io_err)?;
    for f in &listing.rotated {
        out.files.push(LogFile {
            path: f.path.clone(),
            gzip: f.name.gzip,
        });
    }
    if active.is_file() {
        out.files.push(LogFile::new(active));
    }
    for p in listing.superseded {
        out.skipped.push((
            p,
            "the compressed twin of a plain rotated file; read once (privgate removes the plain file at its next start)",
        ));
    }
    for p in listing.unfinished {
        out.skipped.push((
            p,
            "an unfinished compression; privgate removes it at its next start",
        ));
    }
    for p in listing.torn {
        out.skipped.push((
            p,
            "a torn last line kept after a crash; not part of the chain",
        ));
    }
    Ok(())
}

/// One line of a file.
#[derive(Debug)]
pub struct Line {
    /// 1-based line number.
    pub number: u64,
    /// The bytes, without the newline.
    pub bytes: Vec<u8>,
    /// False when the file ended before a newline (a torn line).
    pub complete: bool,
}

/// Reads a file line by line, with a bound on line length.
pub struct Lines {
    inner: Box<dyn BufRead>,
    number: u64,
    done: bool,
}

impl Iterator for Lines {
    type Item = io::Result<Line>;

    fn next(&mut self) -> Option<io::Result<Line>> {
        if self.done {
            return None;
        }
        let mut bytes = Vec::new();
        loop {
            let buf = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            };
            if buf.is_empty() {
                self.done = true;
                if bytes.is_empty() {
                    return None;
                }
                self.number += 1;
                return Some(Ok(Line {
                    number: self.number,
                    bytes,
                    complete: false,
                }));
            }
            let (used, found) = match memchr::memchr(b'\n', buf) {
                Some(i) => (i + 1, true),
                None => (buf.len(), false),
            };
            bytes.extend_from_slice(&buf[..if found { used - 1 } else { used }]);
            self.inner.consume(used);
            if bytes.len() > MAX_LINE {
                self.done = true;
                return Some(Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("line {} is longer than {MAX_LINE} bytes", self.number + 1),
                )));
            }
            if found {
                self.number += 1;
                return Some(Ok(Line {
                    number: self.number,
                    bytes,
                    complete: true,
                }));
            }
        }
    }
}

/// The seq and SHA-256 (hex) of the last complete line of a file, read to its end (through
/// gzip when needed); `None` for a file without a complete line.
pub fn last_record(file: &LogFile) -> io::Result<Option<(u64, String)>> {
    let mut last: Option<Vec<u8>> = None;
    for line in file.lines()? {
        let line = line?;
        if line.complete {
            last = Some(line.bytes);
        }
    }
    let Some(bytes) = last else {
        return Ok(None);
    };
    let seq = seq_of(&bytes).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{}: the last record has no readable `seq`",
                file.path.display()
            ),
        )
    })?;
    Ok(Some((seq, super::line_hash(&bytes))))
}

/// The `seq` of a record line, if it has one.
pub fn seq_of(line: &[u8]) -> Option<u64> {
    #[derive(serde::Deserialize)]
    struct Seq {
        seq: u64,
    }
    serde_json::from_slice::<Seq>(line).ok().map(|s| s.seq)
}

/// The first line of a file (bounded), if it has a complete one.
pub fn first_line(path: &Path) -> io::Result<Option<Vec<u8>>> {
    let mut reader = BufReader::new(File::open(path)?.take(MAX_LINE as u64 + 1));
    let mut line = Vec::new();
    reader.read_until(b'\n', &mut line)?;
    if line.last() == Some(&b'\n') {
        line.pop();
        Ok(Some(line))
    } else {
        Ok(None)
    }
}

/// Makes a rename or a new file in `dir` durable.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotated_names_round_trip_and_sort_in_chain_order() {
        let t = time::macros::datetime!(2026-11-29 06:00:07 UTC);
        let a = rotated_path(Path::new("/x/audit.jsonl"), 1, t);
        assert_eq!(
            a,
            Path::new("/x/audit.00000000000000000001.20261129T060007Z.jsonl")
        );
        let name = a.file_name().unwrap().to_str().unwrap();
        let parsed = parse_rotated(name).unwrap();
        assert_eq!(parsed.active_name, "audit.jsonl");
        assert_eq!(parsed.first_seq, 1);
        assert_eq!(parsed.started, t);
        assert!(!parsed.gzip);
        let gz = parse_rotated(&format!("{name}.gz")).unwrap();
        assert!(gz.gzip);
        // No extension, dots in the stem.
        let b = rotated_path(Path::new("my.audit.log"), 42, t);
        let parsed = parse_rotated(b.to_str().unwrap()).unwrap();
        assert_eq!(parsed.active_name, "my.audit.log");
        assert_eq!(parsed.first_seq, 42);
        let c = rotated_path(Path::new("auditlog"), 7, t);
        assert_eq!(
            parse_rotated(c.to_str().unwrap()).unwrap().active_name,
            "auditlog"
        );
        // Name order is chain order, and rotated files sort before the active file.
        let mut names = [
            "audit.jsonl".to_owned(),
            rotated_path(Path::new("audit.jsonl"), 1000, t)
                .display()
                .to_string(),
            rotated_path(Path::new("audit.jsonl"), 999, t)
                .display()
                .to_string()
                + ".gz",
        ];
        names.sort();
        assert!(names[0].contains(".00000000000000000999."));
        assert!(names[1].contains(".00000000000000001000."));
        assert_eq!(names[2], "audit.jsonl");
        for not in [
            "audit.jsonl",
            "audit.1.20261129T060007Z.jsonl",
            "audit.00000000000000000001.2026-11-29.jsonl",
            "audit.00000000000000000001.20261129T060007Z.a.b",
            "capture.jsonl",
        ] {
            assert_eq!(parse_rotated(not), None, "{not}");
        }
        assert!(is_torn_copy(
            torn_path(Path::new("audit.jsonl"), t).to_str().unwrap()
        ));
    }

    #[test]
    fn lines_reports_a_torn_end_and_bounds_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        std::fs::write(&p, b"a\n\nbc\nd").unwrap();
        let lines: Vec<Line> = LogFile::new(p)
            .lines()
            .unwrap()
            .map(|l| l.unwrap())
            .collect();
        let got: Vec<(u64, &[u8], bool)> = lines
            .iter()
            .map(|l| (l.number, l.bytes.as_slice(), l.complete))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, &b"a"[..], true),
                (2, &b""[..], true),
                (3, &b"bc"[..], true),
                (4, &b"d"[..], false)
            ]
        );
    }
}
