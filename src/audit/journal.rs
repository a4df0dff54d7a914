//! The audit journal: where `sync: always` makes records durable before they are acknowledged.
//!
//! An `fdatasync` after an append has the file's new size to write as well as its data: on
//! ext4 without a journal the inode block synchronously, on a journalling file system a journal
//! commit. The journal is a file beside the trail (`<log>.journal`) whose blocks are written
//! (zeros) before it is used, so that a group written over them changes only data, and its
//! `fdatasync` writes the group and flushes the disk's cache, nothing more. The trail is written
//! as before, line by line, and synced when the journal is full, before a rotation and at
//! shutdown; the journal then starts again from its beginning. A database's write-ahead log
//! works the same way.
//!
//! Each group of records is one frame: a 32-byte header (`PGJ1`, flags, the epoch, the offset in
//! the active file where the group starts, its length, a CRC-32 of header and group) and the
//! group's bytes, as written to the active file. The frames of one epoch follow each other from
//! the start of the journal, each continuing the active file where the previous one ended; a
//! new epoch starts at every restart of the journal, whose first header is zeroed (and synced)
//! before the first frame of the epoch is written, so that frames left from an earlier epoch
//! are never read as current.
//!
//! At start, before the trail's torn last line is looked at, the journal's current frames are
//! written into the active file where it lacks them: after a power cut the file may be short,
//! or hold zeros where the page cache had the records. Where the file holds other bytes (it is
//! not the file the journal was written for), nothing is written and the start is refused
//! rather than have two versions of the trail.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

/// Frame header: magic, flags (0), epoch, offset in the active file, length, CRC-32.
const HEADER: usize = 32;
const MAGIC: &[u8; 4] = b"PGJ1";
/// The journal is written (zeroed) ahead in steps of this size…
const CHUNK: u64 = 1 << 20;
/// …up to this size, after which it starts again (the trail is synced first).
const CAPACITY: u64 = 8 << 20;

/// Where the journal of the active file `trail` is kept.
pub fn path_for(trail: &Path) -> PathBuf {
    let mut name = trail
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".journal");
    trail.with_file_name(name)
}

/// What [`replay`] found and did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Replayed {
    /// Frames of the current epoch.
    pub frames: usize,
    /// Bytes written into the active file that it lacked (zeros or past its end).
    pub restored: u64,
}

pub(crate) struct Journal {
    file: File,
    /// Where the next frame goes.
    pos: u64,
    /// Bytes written (zeros or earlier frames) from the start: frames before this change no size.
    written: u64,
    epoch: u64,
    frame: Vec<u8>,
}

impl Journal {
    /// Opens (creating) the journal at `path` and starts a new epoch. Call [`replay`] first.
    pub(crate) fn open(path: &Path) -> io::Result<Journal> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)?;
        let written = file.metadata()?.len().min(CAPACITY);
        let previous = read_header(&file, 0).map_or(0, |h| h.epoch);
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        let mut journal = Journal {
            file,
            pos: 0,
            written,
            epoch: now.max(previous),
            frame: Vec::with_capacity(64 * 1024),
        };
        journal.restart()?;
        super::files::sync_dir(path.parent().unwrap_or(Path::new("")))?;
        Ok(journal)
    }

    /// True when a group of `len` bytes fits before the journal's end; when it does not, the
    /// trail must be synced and the journal started again ([`Journal::restart`]).
    pub(crate) fn has_room(&self, len: usize) -> bool {
        self.pos + (HEADER + len) as u64 <= CAPACITY
    }

    /// Adds the group `bytes`, just written to the active file at `offset`; not synced. The
    /// group must fit ([`Journal::has_room`]).
    pub(crate) fn append(&mut self, offset: u64, bytes: &[u8]) -> io::Result<()> {
        debug_assert!(self.has_room(bytes.len()));
        let need = (HEADER + bytes.len()) as u64;
        if self.pos + need > self.written {
            self.write_ahead(self.pos + need)?;
        }
        self.frame.clear();
        self.frame.extend_from_slice(MAGIC);
        self.frame.extend_from_slice(&0u32.to_le_bytes());
        self.frame.extend_from_slice(&self.epoch.to_le_bytes());
        self.frame.extend_from_slice(&offset.to_le_bytes());
        self.frame
            .extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        let mut crc = crc32fast::Hasher::new();
        crc.update(&self.frame);
        crc.update(bytes);
        self.frame.extend_from_slice(&crc.finalize().to_le_bytes());
        self.frame.extend_from_slice(bytes);
        self.file.write_all_at(&self.frame, self.pos)?;
        self.pos += need;
        Ok(())
    }

    /// Takes back the last frame (its group could not be written or synced): it must not be
    /// replayed into the trail after a crash.
    pub(crate) fn take_back(&mut self, frame_start: u64) {
        if frame_start < self.pos {
            self.pos = frame_start;
            let _ = self.file.write_all_at(&[0; HEADER], frame_start);
        }
    }

    /// Where the next frame goes (see [`Journal::take_back`]).
    pub(crate) fn position(&self) -> u64 {
        self.pos
    }

    /// Makes the frames appended so far durable.
    pub(crate) fn sync(&self) -> io::Result<()> {
        self.file.sync_data()
    }

    /// Starts a new epoch from the beginning. Call it only once the trail holds (durably)
    /// everything the journal does.
    pub(crate) fn restart(&mut self) -> io::Result<()> {
        if self.written < HEADER as u64 {
            self.write_ahead(HEADER as u64)?;
        }
        self.file.write_all_at(&[0; HEADER], 0)?;
        self.file.sync_data()?;
        self.pos = 0;
        self.epoch = self.epoch.wrapping_add(1);
        Ok(())
    }

    /// Writes zeros from what is written up to at least `end` (in whole chunks), and syncs
    /// them with the new size.
    fn write_ahead(&mut self, end: u64) -> io::Result<()> {
        let target = end.div_ceil(CHUNK).saturating_mul(CHUNK).min(CAPACITY);
        let zeros = [0u8; 16 * 1024];
        let mut at = self.written;
        while at < target {
            let n = (target - at).min(zeros.len() as u64) as usize;
            self.file.write_all_at(&zeros[..n], at)?;
            at += n as u64;
        }
        self.file.sync_data()?;
        self.written = target;
        Ok(())
    }
}

struct Header {
    epoch: u64,
    offset: u64,
    len: usize,
    crc: u32,
}

fn parse_header(h: &[u8]) -> Option<Header> {
    if h.len() < HEADER || &h[..4] != MAGIC || h[4..8] != [0; 4] {
        return None;
    }
    let u64_at = |i: usize| u64::from_le_bytes(h[i..i + 8].try_into().expect("8 bytes"));
    let u32_at = |i: usize| u32::from_le_bytes(h[i..i + 4].try_into().expect("4 bytes"));
    Some(Header {
        epoch: u64_at(8),
        offset: u64_at(16),
        len: u32_at(24) as usize,
        crc: u32_at(28),
    })
}

fn read_header(file: &File, at: u64) -> Option<Header> {
    let mut h = [0u8; HEADER];
    file.read_exact_at(&mut h, at).ok()?;
    parse_header(&h)
}

/// The frames of the current epoch, one after another, read from the journal.
struct Frames {
    file: File,
    pos: u64,
    epoch: Option<u64>,
    next_offset: Option<u64>,
}

impl Frames {
    /// The next frame of the epoch (offset in the active file, bytes), or `None` at its end:
    /// a header that is not one, a frame cut short or failing its CRC, another epoch, or a
    /// frame that does not continue where the previous one ended.
    fn next(&mut self) -> io::Result<Option<(u64, Vec<u8>)>> {
        let mut h = [0u8; HEADER];
        match self.file.read_exact_at(&mut h, self.pos) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(e),
        }
        let Some(header) = parse_header(&h) else {
            return Ok(None);
        };
        let current = self.epoch.is_none_or(|e| e == header.epoch);
        let continues = self.next_offset.is_none_or(|o| o == header.offset);
        if !current || !continues || self.pos + (HEADER + header.len) as u64 > CAPACITY {
            return Ok(None);
        }
        let mut bytes = vec![0u8; header.len];
        match self
            .file
            .read_exact_at(&mut bytes, self.pos + HEADER as u64)
        {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(e),
        }
        let mut crc = crc32fast::Hasher::new();
        crc.update(&h[..HEADER - 4]);
        crc.update(&bytes);
        if crc.finalize() != header.crc {
            return Ok(None);
        }
        self.epoch = Some(header.epoch);
        self.next_offset = Some(header.offset + header.len as u64);
        self.pos += (HEADER + header.len) as u64;
        Ok(Some((header.offset, bytes)))
    }
}

/// Writes into the active file at `trail` what the journal beside it holds and the file lacks,
/// and syncs the file. A missing journal, or one with no current frame (after a clean
/// shutdown), changes nothing.
pub fn replay(trail: &Path) -> io::Result<Replayed> {
    let path = path_for(trail);
    let mut frames = match File::open(&path) {
        Ok(file) => Frames {
            file,
            pos: 0,
            epoch: None,
            next_offset: None,
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Replayed::default()),
        Err(e) => return Err(e),
    };
    let mut replayed = Replayed::default();
    let mut log: Option<(File, u64)> = None;
    while let Some((offset, bytes)) = frames.next()? {
        replayed.frames += 1;
        let (file, len) = match &mut log {
            Some(open) => open,
            None => {
                let file = OpenOptions::new()
                    .read(true)
                    .write(true)
                    .create(true)
                    .truncate(false)
                    .open(trail)?;
                let len = file.metadata()?.len();
                log.insert((file, len))
            }
        };
        if offset > *len {
            return Err(refused(
                &path,
                format!(
                    "its records start at byte {offset}, past the end of the log ({len} bytes)"
                ),
            ));
        }
        let held = (*len - offset).min(bytes.len() as u64) as usize;
        let mut present = vec![0u8; held];
        file.read_exact_at(&mut present, offset)?;
        if let Some(i) = present
            .iter()
            .zip(&bytes)
            .position(|(&have, &want)| have != want && have != 0)
        {
            return Err(refused(
                &path,
                format!(
                    "the log holds other bytes than it at byte {}",
                    offset + i as u64
                ),
            ));
        }
        let missing = present.iter().zip(&bytes).filter(|(h, w)| h != w).count() as u64
            + (bytes.len() - held) as u64;
        if missing > 0 {
            file.write_all_at(&bytes, offset)?;
            replayed.restored += missing;
        }
        *len = (*len).max(offset + bytes.len() as u64);
    }
    // The log must hold the frames durably before the journal may start again, whether they
    // were written now or were already there (in the page cache, after a crash of the process).
    if let Some((file, _)) = &log {
        file.sync_data()?;
    }
    Ok(replayed)
}

fn refused(journal: &Path, why: String) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "the audit journal {} does not belong to this log: {why}; move one of them away \
             (and keep it) before starting",
            journal.display()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let trail = dir.path().join("audit.jsonl");
        (dir, trail)
    }

    /// Appends `bytes` to the trail and journals them, as the writer does; true when the journal
    /// was full, so the trail was synced and the journal started again instead.
    fn write(trail: &Path, journal: &mut Journal, bytes: &[u8]) -> bool {
        let mut f = OpenOptions::new()
            .create(true)
            .append(true)
            .open(trail)
            .unwrap();
        let offset = f.metadata().unwrap().len();
        std::io::Write::write_all(&mut f, bytes).unwrap();
        if !journal.has_room(bytes.len()) {
            f.sync_data().unwrap();
            journal.restart().unwrap();
            return true;
        }
        journal.append(offset, bytes).unwrap();
        journal.sync().unwrap();
        false
    }

    #[test]
    fn a_trail_cut_short_or_zeroed_gets_its_records_back() {
        let (_dir, trail) = setup();
        let mut j = Journal::open(&path_for(&trail)).unwrap();
        write(&trail, &mut j, b"{\"seq\":1}\n{\"seq\":2}\n");
        write(&trail, &mut j, b"{\"seq\":3}\n");
        let whole = std::fs::read(&trail).unwrap();
        // A power cut: the size reached the disk, the last group's data did not.
        let mut lost = whole.clone();
        for b in &mut lost[10..] {
            *b = 0;
        }
        std::fs::write(&trail, &lost).unwrap();
        let r = replay(&trail).unwrap();
        assert_eq!(r.frames, 2);
        assert_eq!(std::fs::read(&trail).unwrap(), whole);
        // Cut short instead.
        std::fs::write(&trail, &whole[..4]).unwrap();
        replay(&trail).unwrap();
        assert_eq!(std::fs::read(&trail).unwrap(), whole);
        // Nothing lacking: nothing written.
        assert_eq!(replay(&trail).unwrap().restored, 0);
    }

    #[test]
    fn a_restarted_journal_replays_nothing_from_before() {
        let (_dir, trail) = setup();
        let mut j = Journal::open(&path_for(&trail)).unwrap();
        write(&trail, &mut j, b"{\"seq\":1}\n");
        write(&trail, &mut j, b"{\"seq\":2}\n");
        j.restart().unwrap();
        // A rotation: the active file is new and empty; the old frames must not fill it.
        std::fs::write(&trail, b"").unwrap();
        assert_eq!(replay(&trail).unwrap(), Replayed::default());
        assert!(std::fs::read(&trail).unwrap().is_empty());
        // The new epoch's frame is replayed; the old frame behind it is not.
        write(&trail, &mut j, b"{\"seq\":3}\n");
        std::fs::write(&trail, b"").unwrap();
        let r = replay(&trail).unwrap();
        assert_eq!(r.frames, 1);
        assert_eq!(std::fs::read(&trail).unwrap(), b"{\"seq\":3}\n");
    }

    #[test]
    fn a_journal_of_another_log_is_refused_and_changes_nothing() {
        let (_dir, trail) = setup();
        let mut j = Journal::open(&path_for(&trail)).unwrap();
        write(&trail, &mut j, b"{\"seq\":1}\n");
        std::fs::write(&trail, b"{\"seq\":9}\n").unwrap();
        let e = replay(&trail).unwrap_err();
        assert!(e.to_string().contains("does not belong"), "{e}");
        assert_eq!(std::fs::read(&trail).unwrap(), b"{\"seq\":9}\n");
    }

    #[test]
    fn a_torn_or_taken_back_frame_is_not_replayed() {
        let (_dir, trail) = setup();
        let jpath = path_for(&trail);
        let mut j = Journal::open(&jpath).unwrap();
        write(&trail, &mut j, b"{\"seq\":1}\n");
        let start = j.position();
        write(&trail, &mut j, b"{\"seq\":2}\n");
        // A frame whose bytes did not all reach the disk fails its CRC.
        let mut bytes = std::fs::read(&jpath).unwrap();
        bytes[start as usize + HEADER + 3] ^= 1;
        std::fs::write(&jpath, &bytes).unwrap();
        std::fs::write(&trail, b"").unwrap();
        assert_eq!(replay(&trail).unwrap().frames, 1);
        assert_eq!(std::fs::read(&trail).unwrap(), b"{\"seq\":1}\n");
        // A frame taken back is gone.
        let mut j = Journal::open(&jpath).unwrap();
        write(&trail, &mut j, b"{\"seq\":2}\n");
        j.take_back(0);
        std::fs::write(&trail, b"{\"seq\":1}\n").unwrap();
        assert_eq!(replay(&trail).unwrap().frames, 0);
    }

    #[test]
    fn a_full_journal_syncs_the_trail_and_starts_again() {
        let (_dir, trail) = setup();
        let mut j = Journal::open(&path_for(&trail)).unwrap();
        let line = vec![b'x'; 1 << 20];
        let mut durable_at_once = 0;
        for _ in 0..10 {
            if write(&trail, &mut j, &line) {
                durable_at_once += 1;
            }
        }
        assert!(std::fs::metadata(path_for(&trail)).unwrap().len() <= CAPACITY);
        // Seven frames of 1 MiB fill it; the eighth group was synced with the log and the
        // journal started again: it holds the ninth and tenth only.
        assert_eq!(durable_at_once, 1);
        std::fs::write(&trail, vec![b'x'; 9 << 20]).unwrap();
        let r = replay(&trail).unwrap();
        assert_eq!((r.frames, r.restored), (2, 1 << 20));
        assert_eq!(std::fs::metadata(&trail).unwrap().len(), 10 << 20);
    }
}
