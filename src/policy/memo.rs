//! A per-thread memo of answers about keys (property names).
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
            && s.key[..key.len()] == *key
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
}
