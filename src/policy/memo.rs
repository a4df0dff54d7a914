//! Per-thread memos: answers about keys (property names), and texts known to hold nothing.
//!
//! Traffic repeats its property names from event to event, and several rules ask the same
//! question of every key: which keyed detectors' globs match it, whether a detector finds
//! personal data in it, which class of the key lexicon it names. Each answer is a pure
//! function of the key and of what is asked (the question, the detector set, the detectors
//! wanted), so it is remembered per thread in a fixed table: a hash of the key picks a set of
//! two slots, and a slot answers only when its question and its key are *equal* to the ones
//! asked (never on a hash match alone, so a collision costs a recomputation, not a wrong
//! answer). Fixed size, no allocation, no lock.

use std::cell::RefCell;

/// Which question a slot answers; part of what must be equal for a hit.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Question {
    /// Which keyed detectors of a detector set have a glob matching the key.
    KeyedGlobs,
    /// The first finding of the wanted detectors in the key itself.
    FindingInKey,
    /// The key lexicon's class of the key.
    KeyClass,
    /// Whether the key names a thing (a product, brand, work or venue), not a person.
    NamesAThing,
    /// Which topics of the phone and account passes' context gate the key holds.
    GateTopics,
}

/// Longest key remembered; longer keys are answered afresh each time.
pub(crate) const MAX_KEY: usize = 40;

const SETS: usize = 512;

#[derive(Clone, Copy)]
struct Slot {
    /// The detector set asking (`Detectors::instance`); 0 marks an empty slot.
    owner: u64,
    question: Question,
    /// More of the question: the wanted detectors, for `FindingInKey`.
    tag: u128,
    len: u8,
    key: [u8; MAX_KEY],
    answer: u128,
}

const EMPTY: Slot = Slot {
    owner: 0,
    question: Question::KeyedGlobs,
    tag: 0,
    len: 0,
    key: [0; MAX_KEY],
    answer: 0,
};

thread_local! {
    /// 512 sets of two slots (about 90 KiB per thread).
    static MEMO: RefCell<[[Slot; 2]; SETS]> = const { RefCell::new([[EMPTY; 2]; SETS]) };
}

/// `compute()`, remembered for (`owner`, `question`, `tag`, `key`) on this thread. `owner` must
/// not be 0.
pub(crate) fn remember(
    owner: u64,
    question: Question,
    tag: u128,
    key: &[u8],
    compute: impl FnOnce() -> u128,
) -> u128 {
    debug_assert!(owner != 0, "owner 0 marks an empty slot");
    if key.len() > MAX_KEY {
        return compute();
    }
    let set = set_of(owner, question, tag, key);
    let same = |s: &Slot| {
        s.owner == owner
            && s.question == question
            && s.tag == tag
            && usize::from(s.len) == key.len()
            && same_bytes(&s.key[..key.len()], key)
    };
    let hit = MEMO
        .try_with(|m| m.borrow()[set].iter().find(|s| same(s)).map(|s| s.answer))
        .ok()
        .flatten();
    if let Some(answer) = hit {
        return answer;
    }
    let answer = compute();
    let _ = MEMO.try_with(|m| {
        let mut m = m.borrow_mut();
        let ways = &mut m[set];
        // The newest answer goes first; the older one keeps the second slot.
        ways[1] = ways[0];
        let s = &mut ways[0];
        s.owner = owner;
        s.question = question;
        s.tag = tag;
        s.len = key.len() as u8; // <= MAX_KEY
        s.key[..key.len()].copy_from_slice(key);
        s.answer = answer;
    });
    answer
}

/// `a == b` for the short slices a slot holds, compared eight bytes at a time in registers:
/// `==` on slices calls the C library's `memcmp`, whose call and dispatch cost more than the
/// comparison of a key or a short text (they were 8% of a gdpr request's evaluation).
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let word = |s: &[u8], i: usize| u64::from_ne_bytes(s[i..i + 8].try_into().unwrap_or([0; 8]));
    let n = a.len();
    if n < 8 {
        return a.iter().zip(b).all(|(x, y)| x == y);
    }
    let mut i = 0;
    while i + 8 <= n {
        if word(a, i) != word(b, i) {
            return false;
        }
        i += 8;
    }
    // The last eight bytes, overlapping the words already compared.
    i == n || word(a, n - 8) == word(b, n - 8)
}

fn set_of(owner: u64, question: Question, tag: u128, key: &[u8]) -> usize {
    // The first and last eight bytes and the length: keys differ there, and a collision only
    // costs a recomputation.
    let word = |b: &[u8]| {
        let mut w = [0u8; 8];
        w[..b.len()].copy_from_slice(b);
        u64::from_le_bytes(w)
    };
    let (head, tail) = if key.len() >= 8 {
        (word(&key[..8]), word(&key[key.len() - 8..]))
    } else {
        (word(key), 0)
    };
    let question = owner ^ (question as u64) << 56 ^ tag as u64 ^ (tag >> 64) as u64;
    let h = (head ^ question).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ (tail.rotate_left(29) ^ key.len() as u64).wrapping_mul(0x517C_C1B7_2722_0A95);
    (h.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 55) as usize // top 9 bits: SETS = 512
}

/// Longest text remembered as clean; longer texts are scanned afresh each time.
pub(crate) const MAX_TEXT: usize = 128;

/// Shortest text remembered as clean. Short texts (codes, flags, enum values, numbers) are
/// remembered too: even a scan of three letters runs the gates of every wanted detector, about
/// six times the cost of a lookup (remembering them cut a gdpr request by 7% of its
/// instructions). Only the empty text, which holds nothing, is not.
pub(crate) const MIN_TEXT: usize = 1;

/// Texts found clean: 1,024 sets of two slots (~0.5 MiB, allocated on a thread's first scan).
const CLEAN_SETS: usize = 1024;

/// One remembered clean scan: who asked, what was wanted, and the key, parent key and text,
/// stored end to end.
#[derive(Clone, Copy)]
struct CleanSlot {
    /// The detector set (`Detectors::instance`); 0 marks an empty slot.
    owner: u64,
    wanted: u128,
    /// `u8::MAX` for no key (a key is at most `MAX_KEY` bytes).
    key_len: u8,
    /// `u8::MAX` for no parent key.
    parent_len: u8,
    text_len: u8,
    bytes: [u8; 2 * MAX_KEY + MAX_TEXT],
}

const CLEAN_EMPTY: CleanSlot = CleanSlot {
    owner: 0,
    wanted: 0,
    key_len: 0,
    parent_len: 0,
    text_len: 0,
    bytes: [0; 2 * MAX_KEY + MAX_TEXT],
};

/// The slots, and beside them a 32-bit fingerprint per slot (8 KiB, so a text never seen
/// costs a look at a small, cache-resident array rather than at the slots).
struct CleanTable {
    tags: Box<[[u32; 2]]>,
    slots: Box<[[CleanSlot; 2]]>,
}

thread_local! {
    static CLEAN: RefCell<Option<CleanTable>> = const { RefCell::new(None) };
}

/// What a scan was asked: the detector set, the detectors wanted, the value's key, its parent
/// key and the text. A scan's findings are a pure function of exactly these.
#[derive(Clone, Copy)]
pub(crate) struct ScanQuestion<'a> {
    pub owner: u64,
    pub wanted: u128,
    pub key: Option<&'a str>,
    pub parent: Option<&'a str>,
    pub text: &'a str,
}

/// Where a question not yet known clean would be remembered ([`note_clean`]).
pub(crate) struct Place {
    set: usize,
    tag: u32,
    lens: (u8, u8, u8),
}

impl ScanQuestion<'_> {
    /// The stored lengths (`u8::MAX` for an absent key), or `None` when the question is too
    /// long (or its text too short) to remember.
    fn lens(&self) -> Option<(u8, u8, u8)> {
        let len = |k: Option<&str>| match k {
            None => Some(u8::MAX),
            Some(k) if k.len() <= MAX_KEY => Some(k.len() as u8),
            Some(_) => None,
        };
        let text = (MIN_TEXT..=MAX_TEXT)
            .contains(&self.text.len())
            .then_some(self.text.len() as u8)?;
        Some((len(self.key)?, len(self.parent)?, text))
    }

    fn place(&self) -> Option<Place> {
        use std::hash::{BuildHasher, Hash, Hasher};
        let lens = self.lens()?;
        let mut h = foldhash::fast::FixedState::with_seed(0x5eed).build_hasher();
        self.owner.hash(&mut h);
        self.wanted.hash(&mut h);
        self.key.hash(&mut h);
        self.parent.hash(&mut h);
        self.text.hash(&mut h);
        let h = h.finish();
        Some(Place {
            set: (h as usize) % CLEAN_SETS,
            // Never 0, which marks an empty slot.
            tag: (h >> 32) as u32 | 1,
            lens,
        })
    }

    fn is(&self, s: &CleanSlot, (k, p, t): (u8, u8, u8)) -> bool {
        fn bytes(x: Option<&str>) -> &[u8] {
            x.map_or(&[], str::as_bytes)
        }
        let part = |len: u8| if len == u8::MAX { 0 } else { usize::from(len) };
        let (kn, pn, tn) = (part(k), part(p), usize::from(t));
        s.owner == self.owner
            && s.wanted == self.wanted
            && (s.key_len, s.parent_len, s.text_len) == (k, p, t)
            && same_bytes(&s.bytes[..kn], bytes(self.key))
            && same_bytes(&s.bytes[kn..kn + pn], bytes(self.parent))
            && same_bytes(&s.bytes[kn + pn..kn + pn + tn], self.text.as_bytes())
    }
}

/// `Ok` when this thread scanned exactly this question before and found nothing (never on a
/// hash match alone); otherwise where to remember it, if it can be. Only clean answers are
/// remembered, so the memo never holds a text a detector found personal data in.
pub(crate) fn known_clean(q: &ScanQuestion<'_>) -> Result<(), Option<Place>> {
    let Some(place) = q.place() else {
        return Err(None);
    };
    let known = CLEAN
        .try_with(|c| {
            c.borrow().as_ref().is_some_and(|t| {
                let tags = t.tags[place.set];
                (0..2).any(|w| tags[w] == place.tag && q.is(&t.slots[place.set][w], place.lens))
            })
        })
        .unwrap_or(false);
    if known { Ok(()) } else { Err(Some(place)) }
}

/// Remembers that `q` was scanned and nothing was found (`place` from [`known_clean`]).
pub(crate) fn note_clean(q: &ScanQuestion<'_>, place: Place) {
    debug_assert!(q.owner != 0, "owner 0 marks an empty slot");
    let (k, p, t) = place.lens;
    let _ = CLEAN.try_with(|c| {
        let mut c = c.borrow_mut();
        let table = c.get_or_insert_with(|| CleanTable {
            tags: vec![[0; 2]; CLEAN_SETS].into_boxed_slice(),
            slots: vec![[CLEAN_EMPTY; 2]; CLEAN_SETS].into_boxed_slice(),
        });
        // The newest answer goes first; the older one keeps the second slot.
        let tags = &mut table.tags[place.set];
        tags[1] = tags[0];
        tags[0] = place.tag;
        let ways = &mut table.slots[place.set];
        ways[1] = ways[0];
        let s = &mut ways[0];
        s.owner = q.owner;
        s.wanted = q.wanted;
        (s.key_len, s.parent_len, s.text_len) = (k, p, t);
        let mut at = 0;
        for part in [q.key, q.parent, Some(q.text)].into_iter().flatten() {
            s.bytes[at..at + part.len()].copy_from_slice(part.as_bytes());
            at += part.len();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_only_the_question_asked() {
        let mut calls = 0;
        let mut ask = |owner, question, tag, key: &str, answer| {
            remember(owner, question, tag, key.as_bytes(), || {
                calls += 1;
                answer
            })
        };
        assert_eq!(ask(7, Question::FindingInKey, 1, "email", 11), 11);
        assert_eq!(ask(7, Question::FindingInKey, 1, "email", 99), 11);
        // Any difference in owner, question, tag or key is a different question.
        assert_eq!(ask(8, Question::FindingInKey, 1, "email", 12), 12);
        assert_eq!(ask(7, Question::KeyClass, 1, "email", 13), 13);
        assert_eq!(ask(7, Question::FindingInKey, 2, "email", 14), 14);
        assert_eq!(ask(7, Question::FindingInKey, 1, "emai", 15), 15);
        assert_eq!(ask(7, Question::FindingInKey, 1, "emails", 16), 16);
        let long = "k".repeat(MAX_KEY + 1);
        assert_eq!(ask(7, Question::FindingInKey, 1, &long, 17), 17);
        assert_eq!(ask(7, Question::FindingInKey, 1, &long, 18), 18);
        assert_eq!(calls, 8);
    }

    #[test]
    fn same_bytes_is_slice_equality() {
        for n in 0..40usize {
            let a: Vec<u8> = (0..n as u8).map(|b| b.wrapping_mul(37)).collect();
            assert!(same_bytes(&a, &a.clone()), "length {n}");
            for at in 0..n {
                let mut b = a.clone();
                b[at] ^= 1;
                assert!(!same_bytes(&a, &b), "length {n}, differing at {at}");
            }
            let mut longer = a.clone();
            longer.push(0);
            assert!(!same_bytes(&a, &longer), "lengths {n} and {}", n + 1);
        }
    }

    #[test]
    fn thousands_of_keys_never_mix_their_answers() {
        // Far more keys than slots: evictions and collisions recompute, never answer wrongly.
        for round in 0..2 {
            for i in 0..5000u128 {
                let key = format!("key_{i}");
                let got = remember(3, Question::KeyClass, 0, key.as_bytes(), || i * 3);
                assert_eq!(got, i * 3, "round {round}, key {key}");
            }
        }
    }

    fn clean(q: &ScanQuestion<'_>) -> bool {
        known_clean(q).is_ok()
    }

    fn remember_clean(q: &ScanQuestion<'_>) {
        if let Err(Some(place)) = known_clean(q) {
            note_clean(q, place);
        }
    }

    fn question<'a>(
        owner: u64,
        wanted: u128,
        key: Option<&'a str>,
        parent: Option<&'a str>,
        text: &'a str,
    ) -> ScanQuestion<'a> {
        ScanQuestion {
            owner,
            wanted,
            key,
            parent,
            text,
        }
    }

    #[test]
    fn a_clean_text_is_known_only_for_the_same_question() {
        let q = question(
            9,
            0b101,
            Some("note"),
            Some("properties"),
            "leave it at the door",
        );
        assert!(!clean(&q));
        remember_clean(&q);
        assert!(clean(&q));
        // Any difference — owner, wanted detectors, key, parent, text, or a key moved into
        // the parent's place — is another question.
        for other in [
            question(
                10,
                0b101,
                Some("note"),
                Some("properties"),
                "leave it at the door",
            ),
            question(
                9,
                0b100,
                Some("note"),
                Some("properties"),
                "leave it at the door",
            ),
            question(
                9,
                0b101,
                Some("notes"),
                Some("properties"),
                "leave it at the door",
            ),
            question(9, 0b101, Some("note"), None, "leave it at the door"),
            question(9, 0b101, None, Some("properties"), "leave it at the door"),
            question(
                9,
                0b101,
                Some(""),
                Some("properties"),
                "leave it at the door",
            ),
            question(
                9,
                0b101,
                Some("not"),
                Some("eproperties"),
                "leave it at the door",
            ),
            question(
                9,
                0b101,
                Some("note"),
                Some("properties"),
                "leave it at the doo",
            ),
            question(
                9,
                0b101,
                Some("note"),
                Some("properties"),
                "leave it at the door.",
            ),
        ] {
            assert!(!clean(&other));
        }
        // Too long to remember: never known.
        let long = "x".repeat(MAX_TEXT + 1);
        let short = "x".repeat(MIN_TEXT - 1);
        let key = "k".repeat(MAX_KEY + 1);
        for q in [
            question(9, 1, None, None, &long),
            question(9, 1, None, None, &short),
            question(9, 1, Some(&key), None, "long enough"),
        ] {
            remember_clean(&q);
            assert!(!clean(&q));
        }
    }

    #[test]
    fn thousands_of_texts_never_pass_for_one_another() {
        // Far more texts than slots: only the texts noted are ever known, whatever evicted them.
        for i in 0..20_000u32 {
            let text = format!("value {i}");
            if i % 2 == 0 {
                remember_clean(&question(4, 1, Some("k"), None, &text));
            }
        }
        for i in 0..20_000u32 {
            let text = format!("value {i}");
            if i % 2 == 1 {
                assert!(!clean(&question(4, 1, Some("k"), None, &text)), "{text}");
            }
        }
        // The most recent ones are still there.
        assert!(clean(&question(4, 1, Some("k"), None, "value 19998")));
    }
}
