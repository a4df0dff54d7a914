//! Work on closed audit files, off the writer thread: cleaning up after interrupted
//! compressions, gzipping closed files, and retention (`keep_files`, `keep_days`).
//!
//! Retention only ever removes the oldest files (a prefix of the chain, never a file in the
//! middle), and never before a record naming what is removed — the seq range and the hash the
//! remaining chain continues from — has been written and synced through the writer. A crash
//! between the record and the deletion leaves the files in place, which is harmless: the next
//! run removes them (with a new record).
//!
//! Compression writes `<file>.gz.tmp`, syncs it, renames it to `<file>.gz`, and only then
//! removes the plain file; at start, a leftover `.gz.tmp` is removed and a plain file with a
//! finished `.gz` twin is removed, so every state a crash can leave is readable and repaired.

use std::fs::File;
use std::io::{self, BufWriter};
use std::path::{Path, PathBuf};
use std::sync::mpsc as std_mpsc;
use std::thread::JoinHandle;

use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot};

use super::files::{self, LogFile};
use super::{Clock, Job, Msg, Outcome, Record, RetentionRecord, Rotation};

/// The maintenance thread of one log.
pub(super) struct Maintenance {
    tx: std_mpsc::Sender<OffsetDateTime>,
    handle: JoinHandle<()>,
}

impl Maintenance {
    /// Starts the thread; it works whenever [`request`](Maintenance::request) is called.
    pub(super) fn spawn(
        active: PathBuf,
        rotation: Rotation,
        clock: Clock,
        log: mpsc::WeakSender<Msg>,
    ) -> io::Result<Maintenance> {
        let (tx, rx) = std_mpsc::channel::<OffsetDateTime>();
        let handle = std::thread::Builder::new()
            .name("privgate-audit-files".to_owned())
            .spawn(move || {
                while let Ok(mut active_started) = rx.recv() {
                    while let Ok(later) = rx.try_recv() {
                        active_started = later;
                    }
                    if let Err(e) = maintain(&active, &rotation, &clock, active_started, &log) {
                        tracing::error!(path = %active.display(), error = %e, "Audit file maintenance failed; it is tried again at the next rotation or start.");
                    }
                }
            })?;
        Ok(Maintenance { tx, handle })
    }

    /// Asks for a round of work; `active_started` is when the active file was started (the end
    /// of the newest closed file's records).
    pub(super) fn request(&self, active_started: OffsetDateTime) {
        let _ = self.tx.send(active_started);
    }

    /// Lets the current round finish and stops the thread.
    pub(super) fn finish(self) {
        drop(self.tx);
        let _ = self.handle.join();
    }
}

fn remove_if_present(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

fn dir_of(path: &Path) -> &Path {
    path.parent().unwrap_or(Path::new(""))
}

fn maintain(
    active: &Path,
    rotation: &Rotation,
    clock: &Clock,
    active_started: OffsetDateTime,
    log: &mpsc::WeakSender<Msg>,
) -> io::Result<()> {
    let listing = files::list(active)?;
    let repairs = !listing.unfinished.is_empty() || !listing.superseded.is_empty();
    for tmp in &listing.unfinished {
        remove_if_present(tmp)?;
    }
    for gz in &listing.superseded {
        // The `.gz` was renamed into place only once complete: the plain twin can go.
        remove_if_present(&gz.with_extension(""))?;
    }
    if repairs {
        files::sync_dir(dir_of(active))?;
    }
    let mut rotated = files::list(active)?.rotated;
    if rotation.gzip {
        for f in rotated.iter_mut().filter(|f| !f.name.gzip) {
            f.path = compress(&f.path)?;
            f.name.gzip = true;
        }
    }
    let remove = retained_prefix(&rotated, rotation, clock(), active_started);
    if remove == 0 {
        return Ok(());
    }
    let removed = &rotated[..remove];
    let newest = &removed[remove - 1];
    let newest = LogFile {
        path: newest.path.clone(),
        gzip: newest.name.gzip,
    };
    let Some((through_seq, last_hash)) = files::last_record(&newest)? else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{}: no complete record; not removing anything",
                newest.path.display()
            ),
        ));
    };
    let mut record = Record::new("retention".to_owned(), Vec::new());
    record.route = "audit retention".to_owned();
    record.outcome = Outcome::Admin;
    record.retention = Some(RetentionRecord {
        files: removed
            .iter()
            .map(|f| {
                f.path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            })
            .collect(),
        first_seq: removed[0].name.first_seq,
        through_seq,
        last_hash,
    });
    let (body, _) = super::compact::request_body(&record, super::compact::Part::Single);
    // The writer may be gone (shutdown): then nothing is removed.
    let Some(tx) = log.upgrade() else {
        return Ok(());
    };
    let (ack, done) = oneshot::channel();
    let sent = tx.blocking_send(Msg::Record(Job {
        body,
        durable: true,
        defs: [None, None],
        ack: Some(ack),
        // A blocking wait on this thread: acknowledged directly.
        inbox: None,
    }));
    drop(tx);
    if sent.is_err() {
        return Ok(());
    }
    match done.blocking_recv() {
        Ok(Ok(_seq)) => {}
        Ok(Err(e)) => return Err(io::Error::other(e.to_string())),
        Err(_) => return Ok(()),
    }
    for f in removed {
        remove_if_present(&f.path)?;
    }
    files::sync_dir(dir_of(active))?;
    tracing::info!(
        files = remove,
        first_seq = removed[0].name.first_seq,
        through_seq,
        "Removed closed audit files by retention."
    );
    Ok(())
}

/// How many of the oldest closed files retention removes.
fn retained_prefix(
    rotated: &[files::RotatedFile],
    rotation: &Rotation,
    now: OffsetDateTime,
    active_started: OffsetDateTime,
) -> usize {
    let n = rotated.len();
    let by_count = rotation.keep_files.map_or(0, |k| n.saturating_sub(k));
    let by_age = match rotation.keep_days {
        Some(days) => {
            // Beyond the calendar's range nothing is old enough.
            match now.checked_sub(time::Duration::days(i64::from(days))) {
                // A file's records all predate the start of the file after it.
                Some(cutoff) => (0..n)
                    .take_while(|&i| {
                        let end = rotated
                            .get(i + 1)
                            .map_or(active_started, |next| next.name.started);
                        end < cutoff
                    })
                    .count(),
                None => 0,
            }
        }
        None => 0,
    };
    by_count.max(by_age)
}

/// Gzips a closed file; returns the `.gz` path.
fn compress(plain: &Path) -> io::Result<PathBuf> {
    let tmp = PathBuf::from(format!("{}.gz.tmp", plain.display()));
    let gz = PathBuf::from(format!("{}.gz", plain.display()));
    {
        let mut input = File::open(plain)?;
        let out = BufWriter::new(File::create(&tmp)?);
        let mut encoder = flate2::write::GzEncoder::new(out, flate2::Compression::default());
        io::copy(&mut input, &mut encoder)?;
        let out = encoder
            .finish()?
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
        out.sync_all()?;
    }
    std::fs::rename(&tmp, &gz)?;
    files::sync_dir(dir_of(plain))?;
    std::fs::remove_file(plain)?;
    files::sync_dir(dir_of(plain))?;
    Ok(gz)
}

#[cfg(test)]
mod tests {
    use super::*;
    use files::{RotatedFile, RotatedName};
    use time::macros::datetime;

    fn file(seq: u64, started: OffsetDateTime) -> RotatedFile {
        RotatedFile {
            path: PathBuf::from(format!("f{seq}")),
            name: RotatedName {
                active_name: "audit.jsonl".to_owned(),
                first_seq: seq,
                started,
                gzip: false,
            },
        }
    }

    #[test]
    fn retention_removes_only_the_oldest_files() {
        let files = vec![
            file(1, datetime!(2026-11-01 00:00 UTC)),
            file(10, datetime!(2026-11-02 00:00 UTC)),
            file(20, datetime!(2026-11-20 00:00 UTC)),
        ];
        let active = datetime!(2026-11-28 00:00 UTC);
        let now = datetime!(2026-11-29 12:00 UTC);
        let keep = |keep_files, keep_days| Rotation {
            max_bytes: Some(1024),
            keep_files,
            keep_days,
            ..Rotation::default()
        };
        assert_eq!(retained_prefix(&files, &keep(None, None), now, active), 0);
        assert_eq!(
            retained_prefix(&files, &keep(Some(2), None), now, active),
            1
        );
        assert_eq!(
            retained_prefix(&files, &keep(Some(5), None), now, active),
            0
        );
        // Files 1 and 2 end (where the next begins) on Nov 2 and Nov 20; the cutoff is Nov 19.
        assert_eq!(
            retained_prefix(&files, &keep(None, Some(10)), now, active),
            1
        );
        assert_eq!(
            retained_prefix(&files, &keep(None, Some(5)), now, active),
            2
        );
        assert_eq!(
            retained_prefix(&files, &keep(None, Some(30)), now, active),
            0
        );
        // The newest closed file ends when the active file started.
        assert_eq!(
            retained_prefix(&files, &keep(None, Some(1)), now, active),
            3
        );
        assert_eq!(
            retained_prefix(&files, &keep(Some(1), Some(10)), now, active),
            2
        );
    }
}
