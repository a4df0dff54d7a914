//! Which script a character belongs to, for the detectors that read Chinese, Japanese and
//! Korean text: scripts written without spaces between words.

/// A Han character (CJK unified ideographs, extension A, compatibility ideographs) or the
/// iteration mark `々` of Japanese names (`佐々木`).
pub(crate) fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '々')
}

/// A hiragana or katakana letter, or the long-vowel mark `ー`.
pub(crate) fn is_kana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}' | 'ー')
}

/// A Hangul syllable.
pub(crate) fn is_hangul(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// A letter of a script written without spaces between words: Chinese, Japanese, Korean (in
/// compounds), Thai, Lao, Khmer and Burmese. A word of theirs needs no boundary on that side,
/// and a unit word may follow a number directly.
pub(crate) fn is_unspaced(c: char) -> bool {
    is_cjk(c)
        || matches!(c, '\u{0E00}'..='\u{0EFF}' | '\u{1000}'..='\u{109F}' | '\u{1780}'..='\u{17FF}')
        // Hangul jamo: a syllable once decomposed (the context words' fold takes accents off).
        || matches!(c, '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}' | '\u{A960}'..='\u{A97F}' | '\u{D7B0}'..='\u{D7FF}')
}

/// A kana, Han (extension A to the unified ideographs) or Hangul character.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{9FFF}') || is_hangul(c)
}

/// A combining mark (General Category Mn, Mc or Me: vowel signs, viramas, accents written
/// apart), or a zero-width joiner or non-joiner: part of the word it stands in.
pub(crate) fn is_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c) || matches!(c, '\u{200C}' | '\u{200D}')
}
