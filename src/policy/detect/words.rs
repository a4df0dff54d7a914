//! Word-list detectors (`words:` in a custom detector): terms found in text as words, in any
//! language, by one Aho–Corasick automaton over every list of the set.
//!
//! A regex of a few hundred Unicode, case-insensitive alternatives outgrows the lazy DFA's
//! cache and costs more per value than all the built-ins together; the automaton scans a value
//! once for every term of every list, and the rules of a word are checked on its matches only:
//!
//! - a term ending in `*` is a stem: it matches the start of a word (`diabet*` finds
//!   `diabetes`, `diabétique`); any other term matches a whole word (`vih` but not `vihreä`);
//! - a word starts and ends where no letter, combining mark or digit stands next to it;
//! - a term in a script written without spaces between words (Chinese, Japanese, Korean, Thai,
//!   Lao, Khmer, Myanmar) matches anywhere;
//! - a term in Arabic or Hebrew may follow the one-letter prefixes and the article written
//!   onto a word in those languages (`و`, `ب`, `ال`…; `ה`, `ב`, `ל`…);
//! - case: each term is matched as written, in lower case, capitalised and in capitals (ASCII
//!   letters in any case).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::{DetectorId, DetectorMask, Evidence, Finding};

/// Longest term, in characters (`*` not counted).
pub const MAX_WORD: usize = 64;

/// Why a term cannot be matched, or `None` when it can: the checks of a context word
/// ([`context::word_shape_problem`]), with room for 64 characters and a `*` only at the end.
///
/// [`context::word_shape_problem`]: crate::policy::context::word_shape_problem
pub fn word_problem(word: &str) -> Option<&'static str> {
    let term = word.strip_suffix('*').unwrap_or(word);
    if term.contains('*') {
        return Some("`*` may only end a term (a stem)");
    }
    crate::policy::context::word_shape_problem(term, MAX_WORD, "it is longer than 64 characters")
}

/// How one automaton pattern is checked where it matches.
#[derive(Clone, Copy)]
struct Entry {
    detector: DetectorId,
    stem: bool,
    /// In a script without spaces: no word boundaries.
    anywhere: bool,
    /// Prefix letters that may stand before the word (Arabic, Hebrew).
    prefixes: &'static str,
}

/// The word lists of a detector set.
pub struct WordLists {
    ac: AhoCorasick,
    entries: Vec<Entry>,
    /// The detectors with a word list.
    pub mask: DetectorMask,
}

impl WordLists {
    /// Compiles the lists (terms as checked by [`word_problem`]); `None` when there are none.
    pub fn new(lists: &[(DetectorId, &[String])]) -> Option<WordLists> {
        let mut patterns: Vec<String> = Vec::new();
        let mut entries = Vec::new();
        let mut mask = DetectorMask::default();
        for (detector, words) in lists {
            for word in words.iter() {
                let (term, stem) = match word.strip_suffix('*') {
                    Some(t) => (t, true),
                    None => (word.as_str(), false),
                };
                let first = term.chars().next().unwrap_or(' ');
                let entry = Entry {
                    detector: *detector,
                    stem,
                    anywhere: without_spaces(first),
                    prefixes: prefixes_of(first),
                };
                let mut forms = vec![term.to_owned(), term.to_lowercase(), term.to_uppercase()];
                let mut chars = term.chars();
                if let Some(c) = chars.next() {
                    forms.push(c.to_uppercase().chain(chars).collect());
                }
                forms.sort();
                forms.dedup();
                for form in forms {
                    patterns.push(form);
                    entries.push(entry);
                }
                mask.insert(*detector);
            }
        }
        if patterns.is_empty() {
            return None;
        }
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .build(&patterns)
            .expect("word lists are checked for length before they are compiled");
        Some(WordLists { ac, entries, mask })
    }

    /// Adds a finding for every word of a wanted list in `text` (overlapping matches of one
    /// detector are reported once).
    pub fn scan(&self, text: &str, wanted: DetectorMask, out: &mut Vec<Finding>) {
        if wanted.0 & self.mask.0 == 0 {
            return;
        }
        let first = out.len();
        for m in self.ac.find_overlapping_iter(text) {
            let entry = self.entries[m.pattern().as_usize()];
            // The patterns and the text are UTF-8, so a match starts and ends between characters.
            if !wanted.contains(entry.detector) {
                continue;
            }
            if !entry.anywhere
                && (!starts_word(text, m.start(), entry.prefixes)
                    || (!entry.stem && continues_word(text, m.end())))
            {
                continue;
            }
            let repeated = out[first..]
                .iter()
                .any(|f| f.detector == entry.detector && f.end > m.start() && f.start < m.end());
            if !repeated {
                out.push(Finding {
                    start: m.start(),
                    end: m.end(),
                    detector: entry.detector,
                    evidence: Evidence::Pattern,
                });
            }
        }
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || crate::policy::script::is_mark(c)
}

/// No letter, mark or digit before `at`, after skipping up to three of `prefixes`.
fn starts_word(text: &str, at: usize, prefixes: &str) -> bool {
    let mut before = text[..at].chars().rev();
    for _ in 0..=3 {
        match before.next() {
            None => return true,
            Some(c) if !is_word_char(c) => return true,
            Some(c) if prefixes.contains(c) => continue,
            Some(_) => return false,
        }
    }
    false
}

/// A letter, mark or digit right after `at`.
fn continues_word(text: &str, at: usize) -> bool {
    text[at..].chars().next().is_some_and(is_word_char)
}

/// Scripts written without spaces between words.
fn without_spaces(c: char) -> bool {
    matches!(c,
        '\u{0E00}'..='\u{0EFF}' // Thai, Lao
        | '\u{1000}'..='\u{109F}' // Myanmar
        | '\u{1780}'..='\u{17FF}' // Khmer
        | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}' | '\u{AC00}'..='\u{D7AF}' // Hangul
        | '\u{3040}'..='\u{30FF}' // Hiragana, Katakana
        | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' // Han
    )
}

/// The one-letter prefixes (and the article's letters) written onto a word, by script.
fn prefixes_of(c: char) -> &'static str {
    match c {
        '\u{0600}'..='\u{06FF}' => "وفبلكال",
        '\u{0590}'..='\u{05FF}' => "ובלהמשכ",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(words: &[&str], text: &str) -> Vec<String> {
        let words: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
        let lists = WordLists::new(&[(DetectorId(100), &words)]).unwrap();
        let mut out = Vec::new();
        lists.scan(text, DetectorMask(1 << 100), &mut out);
        out.iter()
            .map(|f| text[f.start..f.end].to_owned())
            .collect()
    }

    #[test]
    fn whole_words_and_stems() {
        assert_eq!(found(&["vih"], "test VIH positif"), ["VIH"]);
        assert!(found(&["vih"], "vihreä talo").is_empty());
        assert!(found(&["vih"], "davih").is_empty());
        assert_eq!(found(&["diabet*"], "Ich habe Diabetes."), ["Diabet"]);
        assert_eq!(found(&["diabét*"], "je suis diabétique"), ["diabét"]);
        assert!(found(&["diabet*"], "prediabetic").is_empty());
        assert_eq!(
            found(&["multiple sclerosis"], "has multiple sclerosis, sadly"),
            ["multiple sclerosis"]
        );
    }

    #[test]
    fn case_in_other_scripts() {
        assert_eq!(found(&["диабет*"], "ДИАБЕТ второго типа"), ["ДИАБЕТ"]);
        assert_eq!(found(&["диабет*"], "Диабетом болею"), ["Диабет"]);
        assert_eq!(found(&["κατάθλιψ*"], "Έχω Κατάθλιψη"), ["Κατάθλιψ"]);
    }

    #[test]
    fn marks_and_digits_continue_a_word() {
        // Devanagari: a vowel sign after the term continues the word.
        assert!(found(&["दमा"], "दमाई").is_empty());
        assert_eq!(found(&["दमा"], "मुझे दमा है"), ["दमा"]);
        assert!(found(&["avc"], "avc2").is_empty());
    }

    #[test]
    fn scripts_without_spaces_match_anywhere() {
        assert_eq!(found(&["糖尿病"], "我有2型糖尿病，需要"), ["糖尿病"]);
        assert_eq!(found(&["เบาหวาน"], "ฉันเป็นเบาหวานค่ะ"), ["เบาหวาน"]);
    }

    #[test]
    fn arabic_and_hebrew_prefixes() {
        assert_eq!(found(&["سكري"], "مريض بالسكري"), ["سكري"]);
        assert_eq!(found(&["סוכרת"], "יש לי סוכרת"), ["סוכרת"]);
        assert_eq!(found(&["סוכרת"], "בסוכרת"), ["סוכרת"]);
        // A letter that is no prefix before it: another word (عسكري, military).
        assert!(found(&["سكري"], "عسكري").is_empty());
        assert!(found(&["سكري"], "تبسكري").is_empty());
    }

    #[test]
    fn unwanted_lists_find_nothing_and_overlaps_count_once() {
        let words = vec!["diabet*".to_owned(), "diabetes".to_owned()];
        let lists = WordLists::new(&[(DetectorId(100), &words)]).unwrap();
        let mut out = Vec::new();
        lists.scan("diabetes", DetectorMask(1 << 99), &mut out);
        assert!(out.is_empty());
        lists.scan("diabetes", DetectorMask(1 << 100), &mut out);
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn unusable_terms_are_told() {
        assert!(word_problem("diabet*").is_none());
        assert!(word_problem("*").is_some());
        assert!(word_problem("a*b").is_some());
        assert!(word_problem(" x").is_some());
        assert!(word_problem("--").is_some());
        assert!(word_problem(&"x".repeat(65)).is_some());
    }
}
