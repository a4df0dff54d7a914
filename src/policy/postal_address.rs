//! The `postal_address` detector: street lines with a house number, in en de fr nl es it pt
//! (issue 19).
//!
//! A finding needs a street type and a house number:
//!
//! - a compound street word (`Kastanienallee`, `Hauptstr.`, `Wilhelminakade`) or a street word
//!   after a name (`Berliner Straße`) followed by its number (`17`, `17a`, `17/3`, `12-14`);
//! - a leading street type (`rue`, `avenue`, `calle`, `via`, `rua`…) with a name, the number
//!   before (`12, rue des Tanneurs`) or after (`Via Roma 12`, `Calle Mayor, 5`); a lowercase type
//!   needs the number before it (`sent via Slack 2 times` is not an address);
//! - a number, one to four capitalised words and a USPS Publication 28 / British street suffix
//!   (`4417 Orchard Hollow`, `12 Abbey Road`) not followed by another capitalised word.
//!
//! Unit designators (`Apt. 12`, `Suite 300`, `Flat 3,`), and a postcode with its town after the
//! street line (UK, NL `1234 AB`, five digits, US `ST 12345`) extend the finding and add
//! evidence. Post-office boxes count as street lines ([`po_box_at`]); street lines in Japanese,
//! Chinese, Korean, Cyrillic, Greek, Arabic, Hebrew, Thai and Devanagari script and in
//! Vietnamese have patterns of their own ([`other_scripts`]), and Indian and romanised Japanese
//! lines are anchored by their postcodes ([`POSTCODE_LINES`]). It deliberately does not find a
//! street without a number, or a lone postcode or town. A street line typed in lowercase or in
//! capitals is found only after a word that announces an address (`deliver to`, `neue Adresse`,
//! `bezorgen op`, `entregar en`, `nowy adres`…) or under an address key ([`uncased_lines`]):
//! lowercase `via`, `place`, `ring` and numbers are everyday words.
//!
//! Cost: one tokenizing pass, then a look at most a few tokens ahead of each token: linear.

use super::gazetteer;
pub use super::person_name::{Evidence, Finding, KeyHint};
use super::person_name::{Tok, WordList, tokens};
use crate::policy::script::{is_cjk, is_hangul};

const COMPOUND_SUFFIXES: &[&str] = &[
    "straße", "strasse", "str.", "weg", "gasse", "allee", "platz", "ring", "damm", "ufer",
    "chaussee", "steig", "pfad", "markt", "straat", "laan", "plein", "pad", "steeg", "gracht",
    "kade", "singel", "dijk", "dreef", "hof", "park", "wal",
    // Swedish, Danish, Norwegian and Finnish compounds (`Storgatan`, `Nørrebrogade`,
    // `Karl Johans gate` is two words: see `LOWER_STREET_WORD_LIST`): beyond the seven languages of
    // issue 19, for the same street-line shape.
    "gatan", "gata", "gaten", "vägen", "vagen", "gränd", "torget", "stigen", "backen", "gade",
    "vej", "vejen", "stræde", "straede", "torv", "plads", "veien", "vegen", "katu", "tie",
];

const LEADING_TYPES: &[&str] = &[
    "rue",
    "avenue",
    "av",
    "boulevard",
    "bd",
    "bld",
    "place",
    "impasse",
    "allée",
    "allee",
    "chemin",
    "quai",
    "cours",
    "route",
    "square",
    "calle",
    "c",
    "avenida",
    "avda",
    "plaza",
    "paseo",
    "camino",
    "ronda",
    "travesía",
    "carrer",
    "via",
    "viale",
    "piazza",
    "piazzale",
    "corso",
    "largo",
    "vicolo",
    "rua",
    "travessa",
    "praça",
    "estrada",
    "alameda",
    "avinguda",
    "lungomare",
    "contrada",
    "pza",
    "ctra",
    "carretera",
    "pasaje",
    "glorieta",
    "rambla",
    "avd",
    "trav",
    // Romanian (`Strada Mihai Eminescu nr. 12`, `Str. Lipscani 5`, `Bd. Unirii 20`).
    "strada",
    "str",
    "bulevardul",
    "bdul",
    "calea",
    "aleea",
    "șoseaua",
    "soseaua",
    "splaiul",
    "piața",
    "piata",
    "intrarea",
    // Greek in Latin letters (`Odos Ermou 25`, `Leoforos Kifisias 120`).
    "odos",
    "leoforos",
    "leof",
    "plateia",
    // Czech and Slovak (`náměstí Míru 15`, `třída Svobody 8`).
    "náměstí",
    "nám",
    "třída",
    "nábřeží",
    "námestie",
    // Indonesian and Malay: `Jl. Sudirman No. 45`, `Jalan Ampang 12`.
    "jl",
    "jln",
    "jalan",
];

/// Leading types taken in lowercase too: none is an everyday word of its language.
static LOWER_LEADING_TYPE_LIST: WordList = WordList::new(&[
    "rue",
    "calle",
    "avenida",
    "viale",
    "piazza",
    "piazzale",
    "rua",
    "praça",
    "travessa",
    "strada",
    "calea",
    "aleea",
    "bulevardul",
    "splaiul",
    "náměstí",
    "nám",
    "třída",
    "nábřeží",
    "námestie",
    "avinguda",
    "carrer",
    "vicolo",
    "odos",
    "leoforos",
    "boulevard",
    "impasse",
]);

/// Street types written after the name, Hungarian and Turkish: `Kossuth Lajos utca 12`,
/// `Andrássy út 60`, `Bağdat Caddesi No: 123`, `Gül Sk. No:5`. Abbreviations need their dot.
const TYPES_AFTER: &[&str] = &[
    "utca",
    "út",
    "útja",
    "tér",
    "tere",
    "körút",
    "sor",
    "köz",
    "sétány",
    "rakpart",
    "fasor",
    "caddesi",
    "sokak",
    "sokağı",
    "sokagi",
    "bulvarı",
    "bulvari",
    "bulvar",
    "yolu",
    // Slovenian, Croatian, Serbian and Slovak (`Slovenska cesta 54`, `Vukovarska ulica 12`),
    // Latvian (`Brīvības iela 88-12`), Lithuanian (`Gedimino prospektas 20`), Estonian
    // (`Pärnu maantee 12`, `Narva mnt. 5`).
    "cesta",
    "ulica",
    "trg",
    "bulevar",
    "iela",
    "gatve",
    "gatvė",
    "prospektas",
    "bulvāris",
    "tänav",
    "maantee",
    "puiestee",
];
const TYPES_AFTER_DOTTED: &[&str] = &[
    "u", "krt", "cad", "cd", "sok", "sk", "blv", "bulv", "g", "pr", "pr-kt", "mnt", "pst", "ul",
];
static TYPE_AFTER_LIST: WordList = WordList::new(TYPES_AFTER);
static TYPE_AFTER_DOTTED_LIST: WordList = WordList::new(TYPES_AFTER_DOTTED);

const LEADING_ARTICLES: &[&str] = &[
    "de", "des", "du", "de la", "la", "le", "les", "del", "della", "dei", "delle", "degli", "do",
    "da", "das", "dos", "di", "d", "l", "dell", "san", "santa", "sant", "são", "e", "y",
];

/// USPS Publication 28 street suffixes (common and abbreviated forms) and British street
/// words. Words that are ordinary UI/English words first of all (`Pass`, `Park`, `View`,
/// `Point`, `Center`, `Club`) are left out.
const SUFFIXES: &[&str] = &[
    "Street",
    "St",
    "Road",
    "Rd",
    "Avenue",
    "Ave",
    "Av",
    "Boulevard",
    "Blvd",
    "Lane",
    "Ln",
    "Drive",
    "Dr",
    "Court",
    "Ct",
    "Place",
    "Pl",
    "Terrace",
    "Ter",
    "Way",
    "Close",
    "Crescent",
    "Cres",
    "Gardens",
    "Gdns",
    "Mews",
    "Grove",
    "Gr",
    "Hollow",
    "Holw",
    "Parkway",
    "Pkwy",
    "Highway",
    "Hwy",
    "Circle",
    "Cir",
    "Square",
    "Sq",
    "Trail",
    "Trl",
    "Alley",
    "Aly",
    "Crossing",
    "Xing",
    "Row",
    "Walk",
    "Hill",
    "Heights",
    "Hts",
    "Ridge",
    "Rdg",
    "Glen",
    "Meadow",
    "Meadows",
    "Mdws",
    "Brook",
    "Creek",
    "Crk",
    "Run",
    "Loop",
    "Turnpike",
    "Tpke",
    "Expressway",
    "Expy",
    "Freeway",
    "Fwy",
    "Pike",
    "Plaza",
    "Plz",
    "Cove",
    "Cv",
    "Bend",
    "Bnd",
    "Estates",
    "Ests",
    "Falls",
    "Fls",
    "Ferry",
    "Fry",
    "Ford",
    "Frd",
    "Fork",
    "Frk",
    "Harbor",
    "Hbr",
    "Haven",
    "Hvn",
    "Isle",
    "Junction",
    "Jct",
    "Landing",
    "Lndg",
    "Manor",
    "Mnr",
    "Mill",
    "Orchard",
    "Orch",
    "Path",
    "Pines",
    "Pnes",
    "Ranch",
    "Rnch",
    "Shore",
    "Shr",
    "Spring",
    "Spg",
    "Springs",
    "Spgs",
    "Station",
    "Sta",
    "Summit",
    "Smt",
    "Trace",
    "Trce",
    "Valley",
    "Vly",
    "Village",
    "Vlg",
    "Vista",
    "Vis",
    "Wood",
    "Woods",
    "Parade",
    "Embankment",
    "Wharf",
    "Quay",
    "Hill",
    "Rise",
    "Green",
    "Yard",
    "Wynd",
    "Drove",
];

const UNITS: &[&str] = &[
    "Apt",
    "Apartment",
    "Suite",
    "Ste",
    "Unit",
    "Flat",
    "Floor",
    "Fl",
    "Room",
    "Rm",
    "Bldg",
    "Building",
    "Dept",
    "Lot",
    "Trlr",
    "Wohnung",
    "Whg",
    "Etage",
    "Stock",
    "OG",
    "bus",
    "appt",
    "Appt",
    "Bât",
    "Piso",
    "Puerta",
    "Interno",
    "Int",
    "Scala",
    "Andar",
    "Apto",
    "Esc",
    // Polish `m. 15` (mieszkanie), `lok. 3`; Swedish `lgh 1102`; Norwegian `leil. 4`.
    "m",
    "lok",
    "lgh",
    "leil",
];

const STATES: &[&str] = &[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM",
    "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA",
    "WV", "WI", "WY",
];

static LEADING_TYPE_LIST: WordList = WordList::new(LEADING_TYPES);
static LEADING_ARTICLE_LIST: WordList = WordList::new(LEADING_ARTICLES);
static SUFFIX_LIST: WordList = WordList::new(SUFFIXES);
static UNIT_LIST: WordList = WordList::new(UNITS);
static STATE_LIST: WordList = WordList::new(STATES);
/// Scandinavian street words written apart and in lowercase after a name in the genitive
/// (`Karl Johans gate 22`, `Olav Kyrres vei 5`, `Bygdøy allé 2`): a street only when the word
/// before ends in `s` or a postcode line follows, so `Schiphol gate 22` stays.
static LOWER_STREET_WORD_LIST: WordList = WordList::new(&[
    "gate", "gata", "gatan", "vei", "veien", "veg", "vegen", "vej", "gade", "plass", "plads",
    "torv", "allé", "väg", "vägen", "stræde", "gränd",
]);
/// Street words after a name (`Berliner Straße`).
static STREET_WORD_LIST: WordList = WordList::new(&[
    "Straße", "Strasse", "Str", "Weg", "Allee", "Platz", "Ring", "Damm", "Ufer",
]);

fn s<'a>(text: &'a str, t: &Tok) -> &'a str {
    &text[t.start..t.end]
}

fn cap(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

fn eq_ci(a: &str, b: &str) -> bool {
    if a.len() != b.len() {
        return false;
    }
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars()
        .zip(b.chars())
        .all(|(x, y)| x.to_lowercase().eq(y.to_lowercase()))
}

/// A leading street type (`rue`, `Via`, `AVENIDA`…), in any case.
fn is_leading_type(w: &str) -> bool {
    if w.is_ascii() {
        // An ASCII word equals no type with other letters.
        return LEADING_TYPE_LIST.contains_ascii_lowercased(w);
    }
    LEADING_TYPES.iter().any(|l| eq_ci(l, w))
}

fn ends_with_ci(w: &str, suffix: &str) -> bool {
    if w.len() <= suffix.len() {
        return false;
    }
    let cut = w.len() - suffix.len();
    w.is_char_boundary(cut) && eq_ci(&w[cut..], suffix)
}

/// Only spaces (at most three) between.
fn spaced(text: &str, a: usize, b: usize, allow: &[char]) -> bool {
    let g = &text[a..b];
    g.len() <= 4 && g.chars().all(|c| c == ' ' || allow.contains(&c)) && !g.is_empty()
}

/// The house number starting at token `i`: `17`, `17a`, `17/3`, `12-14`, `5 bis`. Returns the
/// byte end and the next token index.
fn house_number(text: &str, toks: &[Tok], i: usize) -> Option<(usize, usize)> {
    let t = toks.get(i)?;
    if !t.num || t.end - t.start > 5 {
        return None;
    }
    let mut end = t.end;
    let mut next = i + 1;
    let rest = &text[end..];
    if let Some(n) = toks.get(next) {
        let g = &text[end..n.start];
        let joined = n.num && (g == "/" || g == "-") && n.end - n.start <= 4;
        // `17a`, and `23/B` (Hungarian and Czech doors and buildings).
        let letter = !n.num && (g.is_empty() || g == "/") && n.end - n.start == 1;
        let suffix = !n.num
            && g == " "
            && ["bis", "ter", "a", "b", "c"].contains(&s(text, n))
            && rest.len() > 1;
        if joined || letter || suffix {
            end = n.end;
            next += 1;
        }
    }
    // Not a decimal, time or part of a longer id.
    let after = text[end..].chars().next();
    if after.is_some_and(|c| c.is_ascii_digit() || c == ':' || c == '%')
        || (after == Some('.') && text[end + 1..].starts_with(|c: char| c.is_ascii_digit()))
    {
        return None;
    }
    let before = text[..t.start].chars().next_back();
    // `No:5` (Turkish) is a house number; other `x:5` are times, ratios and fields.
    let numbered = text[..t.start].ends_with("No:") || text[..t.start].ends_with("no:");
    if !numbered
        && before.is_some_and(|c| {
            c.is_alphanumeric() || matches!(c, '#' | '-' | '/' | ':' | '.' | '$' | '€' | '£')
        })
    {
        return None;
    }
    Some((end, next))
}

/// Finds street addresses in `text`.
pub fn find(text: &str, key_hint: KeyHint) -> Vec<Finding> {
    let mut toks = Vec::new();
    let mut out = Vec::new();
    find_into(text, key_hint, &mut toks, &mut out);
    out
}

/// [`find`] with caller-owned buffers.
pub(crate) fn find_into(
    text: &str,
    key_hint: KeyHint,
    toks: &mut Vec<Tok>,
    out: &mut Vec<Finding>,
) {
    out.clear();
    if !may_hold(text) && !may_hold_uncased(text) {
        return;
    }
    tokens(text, toks);
    find_in_tokens(text, key_hint, toks, out);
}

/// False when `text` cannot hold a street line: it needs a house number (a digit) and a
/// capitalised word — every form of [`street_at`] has one (the street name, the compound street
/// word or the leading type), so an ASCII uppercase letter or a non-ASCII character.
pub(crate) fn may_hold(text: &str) -> bool {
    let b = text.as_bytes();
    if b.iter().any(u8::is_ascii_digit) {
        return b.iter().any(|c| c.is_ascii_uppercase() || *c >= 0x80);
    }
    // A street line of another script may number its house in full-width or Arabic-Indic
    // digits ([`other_scripts`]).
    may_hold_other_script(text) && text.chars().any(char::is_numeric)
}

/// False when `text` cannot hold a street line typed in lowercase ([`uncased_lines`]): it needs
/// a house number and two words.
pub(crate) fn may_hold_uncased(text: &str) -> bool {
    let b = text.as_bytes();
    b.iter().any(u8::is_ascii_digit) && b.iter().filter(|&&c| c == b' ').count() >= 2
}

/// [`find_into`] over `toks`, the [`tokens`] of `text`.
pub(crate) fn find_in_tokens(text: &str, key_hint: KeyHint, toks: &[Tok], out: &mut Vec<Finding>) {
    find_cased(text, key_hint, toks, out, &|_, _| true);
    if out.is_empty() {
        uncased_lines(text, key_hint, toks, out);
    }
    // A line of another script, or one anchored by its country's postcode, may hold a word
    // the Latin finders read (`Đường Lê`, `MG Road`): its longer line replaces what it covers.
    if may_hold_other_script(text) {
        let before = out.len();
        other_scripts(text, key_hint, out);
        keep_longest(out, before);
    }
    if text.bytes().filter(u8::is_ascii_digit).count() >= 6 {
        let before = out.len();
        for m in POSTCODE_LINES.find_iter(text) {
            out.push(street_line(m.start(), m.end(), key_hint));
        }
        keep_longest(out, before);
    }
}

/// Drops the findings before `before` that one from `before` on covers.
fn keep_longest(out: &mut Vec<Finding>, before: usize) {
    if out.len() == before {
        return;
    }
    let new = out.split_off(before);
    out.retain(|f| !new.iter().any(|n| n.start <= f.start && f.end <= n.end));
    out.extend(new);
}

/// Street lines anchored by a postcode of their country's own shape, in Latin letters:
///
/// - Indian: an optional flat, house or plot number, up to five capitalised words, a street
///   word (`Road`, `Marg`, `Nagar`, `Street`, `Layout`, `Colony`, `Sector 21`…), a comma, the
///   town and the six-digit PIN code (`MG Road, Bengaluru 560001`, `Flat 302, Sai Residency,
///   MG Road, Bengaluru 560001`, `Park Street, Kolkata - 700016`);
/// - Japanese: an optional block number (`1-2-3`), the district, a ward, city or town with
///   its suffix (`-ku`, `-shi`, `-cho`, `-machi`, `-gun`, `-mura`), the prefecture and the
///   postcode `NNN-NNNN` (`1-2-3 Shibuya, Shibuya-ku, Tokyo 150-0002`).
static POSTCODE_LINES: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    let india = "(?:(?:Flat|House|Plot|Door|Shop|H\\.\\s?No\\.?|No\\.)\\s*[0-9A-Za-z/-]{1,8},\\s*)?\
         (?:[0-9]{1,4}[A-Za-z]?,?\\s+)?(?:\\p{Lu}[\\p{L}.']*[\\s,]+){0,5}?\
         (?:Road|Rd\\.?|Marg|Nagar|Street|Lane|Layout|Colony|Main|Cross|Bazaar|Bazar|Chowk|Enclave|Vihar|Sector\\s[0-9]{1,3})\
         \\s*,\\s*(?:\\p{Lu}\\p{L}+\\s?){1,3}(?:\\s?[-–]\\s?|\\s)[1-9][0-9]{2}\\s?[0-9]{3}(?-u:\\b)";
    let japan = "(?:[0-9]{1,4}(?:-[0-9]{1,4}){1,3},?\\s+)?(?:\\p{Lu}[a-z]+(?:[\\s-][A-Za-z][a-z]+)?,?\\s+)?\
         \\p{Lu}[a-z]+-(?:ku|shi|cho|machi|gun|mura),?\\s+(?:\\p{Lu}[a-z]+(?:-(?:to|fu|ken|do))?,?\\s+)?\
         〒?\\s?[0-9]{3}-[0-9]{4}(?-u:\\b)";
    regex::Regex::new(&format!("{india}|{japan}")).expect("the postcode line pattern compiles")
});

/// Street lines in the scripts whose addresses have a shape of their own, each a street or
/// administrative unit word and a house number:
///
/// - Japanese, Chinese (`東京都渋谷区神南1-2-3`, `千代田区千代田1丁目1番1号`,
///   `北京市朝阳区建国路88号`, `台北市信義區信義路五段7號`): a municipality or ward (`市`, `区`,
///   `區`, `县`, `町`, `村`, `郡`…), optionally after its prefecture or province, then the
///   district or street and a block number with its unit (`丁目`, `番地`, `番`, `号`, `號`) or
///   in the dashed form (`1-2-3`, first part at most three digits);
/// - Korean road-name and lot addresses (`서울특별시 강남구 테헤란로 152`, `부산광역시
///   해운대구 우동 1408`): a province or city, a city, county or district, and a road (`로`,
///   `길`) or neighbourhood (`동`, `리`, `가`) with its number;
/// - Cyrillic (`ул. Тверская, д. 7, кв. 12`, `вул. Хрещатик, буд. 22`, `Невский проспект 28`):
///   a street type (`ул.`, `улица`, `вул.`, `просп.`, `пер.`, `бул.`, `ш.`, `наб.`, `пл.`…) and
///   a capitalised name, then the house number (after `д.`, `дом`, `буд.` or `№`, or bare);
/// - Greek (`Οδός Ερμού 15`, `Λεωφόρος Κηφισίας 123`), Arabic (`شارع التحرير 15`) and Hebrew
///   (`רחוב הרצל 12`): the street word, a name and the number; an Arabic street without a
///   number when its town and five-digit postcode follow (`شارع الملك فهد، الرياض 12345`);
/// - Thai (`123 ถนนสุขุมวิท แขวงคลองเตย`), Hindi (`12 गांधी मार्ग`) and Vietnamese (`123 Đường Lê
///   Lợi, Quận 1`): the house number, then the road word and the name (in Hindi the name, then
///   the road word), with the district after it.
///
/// Not found: an address without its house number, and in these scripts a bare street name
/// and number without the street or unit word (`Ерм 15`, `הרצל 12, תל אביב`).
fn other_scripts(text: &str, key_hint: KeyHint, out: &mut Vec<Finding>) {
    for m in OTHER_SCRIPT_STREETS.find_iter(text) {
        let (start, end) = (m.start(), m.end());
        // `2号线` is a metro line, `第2号` an ordinal: not a block number.
        if text[end..].starts_with(['线', '線']) {
            continue;
        }
        if let Some(n) = text[start..end].find(|c: char| c.is_numeric())
            && text[..start + n].ends_with('第')
        {
            continue;
        }
        // A house number glued to more digits or letters is part of something else (`3개`,
        // three items; `3시`, three o'clock).
        let last_digit = text[..end].ends_with(|c: char| c.is_numeric());
        if text[end..].chars().next().is_some_and(|c| {
            c.is_numeric() || (c.is_alphabetic() && !is_cjk(c)) || (last_digit && is_hangul(c))
        }) {
            continue;
        }
        out.push(street_line(start, end, key_hint));
    }
}

/// A street line found at `start..end`: a street type and a house number, and the key's
/// evidence when the value sits under an address key.
fn street_line(start: usize, end: usize, key_hint: KeyHint) -> Finding {
    let mut f = Finding {
        start,
        end,
        score: 3.0,
        evidence: vec![Evidence::StreetType, Evidence::HouseNumber],
    };
    if key_hint == KeyHint::Class {
        f.score += 1.0;
        f.add(Evidence::Key);
    }
    f
}

/// True when `text` has a character of a script [`other_scripts`] reads: UTF-8 lead bytes of
/// Greek to Arabic (U+0340–U+06FF), of Devanagari and Thai (U+0800–U+0FFF), of the Vietnamese
/// letters of Latin Extended Additional (U+1000–U+1FFF), and of kana, Han and Hangul
/// (U+3000–U+DFFF). Other Latin letters with diacritics (lead bytes below 0xCD) do not count.
fn may_hold_other_script(text: &str) -> bool {
    !text.is_ascii()
        && text
            .bytes()
            .any(|b| matches!(b, 0xCD..=0xDB | 0xE0 | 0xE1 | 0xE3..=0xED))
}

/// The street lines of [`other_scripts`], one alternative per script.
static OTHER_SCRIPT_STREETS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    const DASH: &str = "[-−－‐‑ー]";
    let cjk = format!(
        "(?:\\p{{Han}}{{1,4}}(?:都|道|府|県|省|自治区))?\\p{{Han}}{{1,6}}?(?:市|区|區|县|縣|町|村|郡|鎮|镇)\
         [\\p{{Han}}\\p{{Katakana}}ーヶケが・]{{0,16}}?\
         (?:[0-9０-９]{{1,4}}(?:丁目|番地|番|号|號)(?:{DASH}?[0-9０-９]{{1,4}}(?:番地|番|号|號)?){{0,3}}\
         |[一二三四五六七八九十]{{1,3}}丁目(?:{DASH}?[0-9０-９]{{1,4}}(?:番地|番|号|號)?){{0,3}}\
         |[0-9０-９]{{1,3}}(?:{DASH}[0-9０-９]{{1,4}}){{1,3}}(?:号|號)?)"
    );
    // The provinces and metropolitan cities of South Korea are also written without their
    // unit word (`서울 강남구 …`).
    let hangul = "(?:(?:서울|부산|대구|인천|광주|대전|울산|세종|경기|강원|충북|충남|전북|전남|경북|경남|제주)\\s+\
         |\\p{Hangul}{1,8}(?:특별시|광역시|특별자치시|특별자치도|시|도)\\s+)\
         (?:\\p{Hangul}{1,6}(?:시|군|구)\\s+){1,2}(?:\\p{Hangul}{1,6}(?:읍|면)\\s+)?\
         [\\p{Hangul}0-9]{1,12}(?:로|길|동|리|가)\\s?[0-9]{1,5}(?:-[0-9]{1,5})?(?:번길\\s?[0-9]{1,5})?";
    let cyrillic_type = "(?:ул\\.|улица|вул\\.|вулиця|просп\\.|проспект|пр-т|пр\\.|пер\\.|переулок|провулок|\
         бул\\.|бульвар|б-р|ш\\.|шоссе|наб\\.|набережная|пл\\.|площадь|площа|проезд|туп\\.|тупик)";
    let house = "(?:(?:д\\.|дом|буд\\.|№)\\s*)";
    let cyrillic = format!(
        "(?:{cyrillic_type}\\s*\\p{{Lu}}[\\p{{Cyrillic}}0-9.\\- ]{{1,40}}?,?\\s*{house}?\
         |\\p{{Lu}}[\\p{{Cyrillic}}\\-]{{2,30}}\\s+{cyrillic_type}\\s*,?\\s*{house}?)\
         [0-9]{{1,4}}\\p{{Cyrillic}}?(?:/[0-9]{{1,4}})?\
         (?:\\s*,?\\s*(?:корп\\.|корпус|стр\\.|строение|кв\\.|квартира|оф\\.|офис)\\s*[0-9]{{1,4}})*"
    );
    let greek = "(?:Οδός|οδός|Οδ\\.|Λεωφόρος|λεωφόρος|Λεωφ\\.|Πλατεία|πλατεία)\\s+\\p{Greek}{3,}(?:\\s\\p{Greek}{2,}){0,2}\\s+[0-9]{1,4}";
    let arabic =
        "شارع\\s+\\p{Arabic}{2,}(?:\\s\\p{Arabic}{2,}){0,3}\\s*[,،]?\\s*(?:رقم\\s*)?[0-9٠-٩]{1,4}";
    let hebrew =
        "(?:רחוב|רח'|שדרות|שד')\\s*\\p{Hebrew}{2,}(?:\\s\\p{Hebrew}{2,}){0,2}\\s+[0-9]{1,4}";
    // A street without a house number, then its town and a five-digit postcode.
    let arabic_town = "شارع\\s+\\p{Arabic}{2,}(?:\\s\\p{Arabic}{2,}){0,3}\\s*[,،]\\s*\\p{Arabic}{2,}(?:\\s\\p{Arabic}{2,})?\\s*[0-9٠-٩]{5}";
    // Thai: a house number, then the road or lane word against its name (`123 ถนนสุขุมวิท`,
    // `45/6 ซอยอารีย์`), with the sub-district and district after it.
    let thai = "[0-9]{1,5}(?:/[0-9]{1,4})?\\s*(?:ถนน|ถ\\.|ซอย|ซ\\.)\\s*\\p{Thai}{2,}\
         (?:\\s*(?:แขวง|เขต|ตำบล|อำเภอ|ต\\.|อ\\.)\\s*\\p{Thai}{2,}){0,3}";
    // Hindi: a house number, a name and the road word (`12 गांधी मार्ग`).
    let devanagari = "[0-9०-९]{1,5}\\s*,?\\s*\\p{Devanagari}{2,}(?:\\s\\p{Devanagari}{2,}){0,2}\\s+\
         (?:मार्ग|रोड|सड़क|गली|पथ|नगर|कॉलोनी|चौक)";
    // Vietnamese: a house number and the street word (`123 Đường Lê Lợi`, `45 Phố Huế`),
    // with the ward and district after it.
    let vietnamese = "[0-9]{1,5}[A-Za-z]?(?:/[0-9]{1,4})?\\s+(?:Đường|đường|Phố|phố|Ngõ|ngõ|Hẻm|hẻm)\
         (?:\\s+\\p{Lu}\\p{L}*){1,4}(?:\\s*,\\s*(?:Phường|phường|Quận|quận|P\\.|Q\\.)\\s*[\\p{L}0-9]+(?:\\s\\p{Lu}\\p{L}*){0,2}){0,2}";
    regex::Regex::new(&format!(
        "{cjk}|{hangul}|{cyrillic}|{greek}|{arabic_town}|{arabic}|{hebrew}|{thai}|{devanagari}|{vietnamese}"
    ))
    .expect("the other-script street pattern compiles")
});

/// Words after which an address follows, in any case (`deliver to`, `ship to`, `new addr`,
/// `neue Adresse`, `Lieferung an`, `livraison`, `bezorgen op`, `entregar en`, `consegnare a`,
/// `nowy adres`, `leverera till`, `toimitus`, `teslimat`, `alamat`).
static ADDRESS_CUE_LIST: WordList = WordList::new(&[
    "address",
    "addr",
    "adress",
    "deliver",
    "delivery",
    "ship",
    "shipping",
    "send",
    "mail",
    "moved",
    "adresse",
    "anschrift",
    "lieferadresse",
    "lieferung",
    "liefern",
    "wohne",
    "wohnhaft",
    "livraison",
    "livrer",
    "domicile",
    "habite",
    "adres",
    "bezorgen",
    "bezorgadres",
    "woon",
    "woonadres",
    "dirección",
    "direccion",
    "domicilio",
    "entregar",
    "entrega",
    "envío",
    "envio",
    "indirizzo",
    "consegnare",
    "consegna",
    "spedire",
    "spedizione",
    "abito",
    "endereço",
    "endereco",
    "morada",
    "moro",
    "adresa",
    "adresas",
    "wysyłka",
    "dostawa",
    "mieszkam",
    "leverera",
    "leverans",
    "lever",
    "levering",
    "leveranse",
    "bor",
    "toimitus",
    "osoite",
    "toimitusosoite",
    "asun",
    "cím",
    "teslimat",
    "adresi",
    "alamat",
    "kirim",
    "diachi",
]);

/// Street lines typed all in lowercase or in capitals, or with a lowercase type (`deliver to 9
/// kookaburra st, toowoomba qld 4350`, `neue adresse: am krummen graben 7`, `SHIP TO 455
/// SYCAMORE HOLLOW RD`, `entregar en avda. de la Constitución 22`): the text is read again with
/// each lowercase word capitalised and each word in capitals of three letters or more written
/// in title case (byte offsets stay), and a street line found so is kept only when a word of
/// [`ADDRESS_CUE_LIST`] stands at most 40 bytes before it, a postcode and town line follows it,
/// or the value sits under an address key. Capitals are what mark a street name in running text; without them, the word that
/// announces an address must. A line that starts with its number and holds an everyday
/// English word (`ship 3 items to main st`) is not one.
fn uncased_lines(text: &str, key_hint: KeyHint, toks: &[Tok], out: &mut Vec<Finding>) {
    let keyed = key_hint == KeyHint::Class;
    // The ends of the first cue words, on the stack.
    let mut cue_ends = [0usize; 8];
    let mut cues = 0;
    for t in toks.iter().filter(|t| !t.num) {
        if cues < cue_ends.len() && ADDRESS_CUE_LIST.contains_ascii_lowercased(s(text, t)) {
            cue_ends[cues] = t.end;
            cues += 1;
        }
    }
    let cue_ends = &cue_ends[..cues];
    // Without an address key, a line counts only when it starts at most 40 bytes after a cue
    // word, and its number is at or after its start: no number after the first cue, no line
    // (`… about the delivery window`).
    // A number of four or five digits before a word in capitals may be a postcode and town
    // line, which can stand for the cue (checked for the line found, in `accept`).
    let postcode_town = || {
        toks.windows(2).any(|w| {
            w[0].num
                && (4..=5).contains(&(w[0].end - w[0].start))
                && !w[1].num
                && text[w[1].start..].starts_with(char::is_uppercase)
        })
    };
    let first_cue = match cue_ends.first() {
        Some(&end) => end,
        None if keyed || postcode_town() => 0,
        None => return,
    };
    if !keyed && !toks.iter().any(|t| t.num && t.start >= first_cue) {
        return;
    }
    CASED.with(|c| {
        let mut cased = c.borrow_mut();
        uncased_lines_in(text, key_hint, keyed, toks, cue_ends, &mut cased, out);
    });
}

thread_local! {
    /// The text with its words recased, kept per thread so that a value costs no allocation.
    static CASED: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// [`uncased_lines`] once a cue word or the key allows a finding; `cased` a buffer.
fn uncased_lines_in(
    text: &str,
    key_hint: KeyHint,
    keyed: bool,
    toks: &[Tok],
    cue_ends: &[usize],
    cased: &mut String,
    out: &mut Vec<Finding>,
) {
    cased.clear();
    let mut at = 0;
    for t in toks.iter().filter(|t| !t.num) {
        cased.push_str(&text[at..t.start]);
        let w = s(text, t);
        let lower = !w.chars().any(char::is_uppercase);
        // Two capitals are a state or a code (`TN`, `NY`) unless they are a street suffix
        // and no state (`RD`, `ST`; not `CT`).
        let suffix_in_capitals = w.len() == 2
            && w.bytes().all(|c| c.is_ascii_uppercase())
            && !STATE_LIST.contains(w)
            && {
                let title = [w.as_bytes()[0], w.as_bytes()[1].to_ascii_lowercase()];
                std::str::from_utf8(&title).is_ok_and(|t| SUFFIX_LIST.contains(t))
            };
        let upper =
            !w.chars().any(char::is_lowercase) && (w.chars().count() > 2 || suffix_in_capitals);
        for (i, c) in w.char_indices() {
            let first = i == 0 || matches!(w[..i].chars().next_back(), Some('-' | '\''));
            let to: Option<char> = if lower && first {
                let mut u = c.to_uppercase();
                u.next().filter(|_| u.next().is_none())
            } else if upper && !first {
                let mut l = c.to_lowercase();
                l.next().filter(|_| l.next().is_none())
            } else {
                None
            };
            match to {
                Some(x) if x.len_utf8() == c.len_utf8() => cased.push(x),
                _ => cased.push(c),
            }
        }
        at = t.end;
    }
    cased.push_str(&text[at..]);
    debug_assert_eq!(cased.len(), text.len());
    if cased.len() != text.len() || cased.as_str() == text {
        return;
    }
    // Decided before a finding is made, so that a rejected line allocates nothing.
    let accept = |start: usize, end: usize| {
        let unit_after = toks
            .iter()
            .find(|t| t.start >= end)
            .filter(|t| !t.num && text[end..t.start].trim().is_empty())
            .is_some_and(|t| QUANTITY_LIST.contains_ascii_lowercased(s(text, t)));
        let cued = cue_ends.iter().any(|&e| e <= start && start - e <= 40);
        let everyday = text[start..].starts_with(|c: char| c.is_ascii_digit())
            && toks
                .iter()
                .filter(|t| !t.num && t.start >= start && t.end <= end)
                .any(|t| EVERYDAY_LIST.contains_ascii_lowercased(s(text, t)));
        // A postcode and town line after it says what the line is as a cue word would
        // (`KÖNIGSBERGER STR. 112, 40231 DÜSSELDORF`).
        (cued || keyed || town_and_postcode(text, end)) && !everyday && !unit_after
    };
    find_cased(cased, key_hint, toks, out, &accept);
    if !keyed {
        for f in out.iter_mut() {
            f.add(Evidence::Cue);
        }
    }
}

/// Units after a number that make it a quantity, not a house number (`via dhl 2 days`).
static QUANTITY_LIST: WordList = WordList::new(&[
    "days",
    "day",
    "hours",
    "hour",
    "hrs",
    "h",
    "weeks",
    "week",
    "months",
    "month",
    "times",
    "items",
    "pcs",
    "min",
    "mins",
    "minutes",
    "sec",
    "seconds",
    "x",
    "am",
    "pm",
    "kg",
    "g",
    "km",
    "m",
    "eur",
    "euro",
    "euros",
    "usd",
    "dollars",
    "percent",
    "tage",
    "tagen",
    "stunden",
    "wochen",
    "jours",
    "heures",
    "semaines",
    "dias",
    "días",
    "horas",
    "semanas",
    "giorni",
    "ore",
    "settimane",
    "dagen",
    "uur",
    "weken",
    "dni",
    "godzin",
    "dagar",
    "timmar",
]);

/// Everyday English words that no number-first street line holds (`ship 3 items to main st`).
static EVERYDAY_LIST: WordList = WordList::new(&[
    "to", "for", "and", "the", "with", "from", "my", "your", "our", "items", "item", "boxes",
    "box", "times", "pcs", "x", "or", "in", "at", "on", "by",
]);

/// The street lines of `text` as written (see the module's documentation).
/// Only the street lines that `accept(start, end)` takes become findings.
fn find_cased(
    text: &str,
    key_hint: KeyHint,
    toks: &[Tok],
    out: &mut Vec<Finding>,
    accept: &dyn Fn(usize, usize) -> bool,
) {
    out.clear();
    let mut i = 0;
    let mut last_end = 0;
    while i < toks.len() {
        if let Some((start, end, next)) =
            street_at(text, toks, i).or_else(|| po_box_at(text, toks, i))
            && start >= last_end
            && accept(start, end)
        {
            let mut f = street_line(start, end, key_hint);
            extend(text, toks, next, &mut f);
            last_end = f.end;
            out.push(f);
            while i < toks.len() && toks[i].start < last_end {
                i += 1;
            }
            continue;
        }
        i += 1;
    }
}

/// A street line beginning at token `i`: (start, end, next token).
fn street_at(text: &str, toks: &[Tok], i: usize) -> Option<(usize, usize, usize)> {
    let t = toks[i];
    let w = s(text, &t);
    if t.num {
        // `12, rue des Tanneurs` / `12 rue …` / `4417 Orchard Hollow`.
        let (nend, n) = house_number(text, toks, i)?;
        let ty = toks.get(n)?;
        if !spaced(text, nend, ty.start, &[',']) {
            return None;
        }
        let tw = s(text, ty);
        if is_leading_type(tw) {
            // An abbreviated type keeps its dot: `58 av. Secrétan`, `12 bd. Voltaire`; an
            // initial after it is a year (`58 av. J.-C.`: before Christ), not a street.
            let dotted = text[ty.end..].starts_with('.');
            if dotted && toks.get(n + 1).is_some_and(|nx| nx.end - nx.start < 2) {
                return None;
            }
            let after = ty.end + usize::from(dotted);
            let (end, next) = street_name(text, toks, n + 1, after)?;
            return Some((t.start, end, next));
        }
        if text[nend..ty.start].contains(',') {
            return None;
        }
        // English order: 1..4 capitalised words then a suffix.
        let mut k = n;
        let mut prev_end = nend;
        while k < toks.len() && k < n + 5 {
            let tk = toks[k];
            let wk = s(text, &tk);
            if !spaced(text, prev_end, tk.start, &[]) {
                return None;
            }
            // A numbered street: `350 5th Ave`, `221 W 42nd St`.
            if tk.num {
                let ordinal = toks.get(k + 1).filter(|o| {
                    o.start == tk.end
                        && tk.end - tk.start <= 3
                        && matches!(s(text, o), "st" | "nd" | "rd" | "th")
                });
                let o = ordinal?;
                prev_end = o.end;
                k += 2;
                continue;
            }
            if !cap(wk) {
                return None;
            }
            if k > n && SUFFIX_LIST.contains(wk) {
                let mut end = tk.end;
                if text[end..].starts_with('.') {
                    end += 1;
                }
                // A directional after the suffix: `3390 Peachtree Rd NE`, `12 Main St. W`.
                let mut kd = k;
                if let Some(d) = toks.get(kd + 1)
                    && spaced(text, end, d.start, &[])
                    && matches!(
                        s(text, d),
                        "N" | "S" | "E" | "W" | "NE" | "NW" | "SE" | "SW"
                    )
                {
                    end = d.end;
                    if text[end..].starts_with('.') {
                        end += 1;
                    }
                    kd += 1;
                }
                // `10 Best Road Trips` is a headline; `350 5th Ave New York NY 10118` is not.
                if let Some(nx) = toks.get(kd + 1)
                    && spaced(text, tk.end, nx.start, &['.'])
                    && !nx.num
                    && cap(s(text, nx))
                    && !UNIT_LIST.contains(s(text, nx))
                    && !town_and_postcode(text, end)
                {
                    // A suffix word inside the name (`455 Sycamore Hollow Rd`): read on.
                    if end == tk.end && SUFFIX_LIST.contains(s(text, nx)) {
                        prev_end = tk.end;
                        k += 1;
                        continue;
                    }
                    return None;
                }
                return Some((t.start, end, kd + 1));
            }
            prev_end = tk.end;
            k += 1;
        }
        return None;
    }
    // Every other form has its number within the next few tokens.
    if !toks[i + 1..toks.len().min(i + 8)].iter().any(|t| t.num) {
        return None;
    }
    // Compound street word, or `Berliner Straße`, followed by the number.
    let lower_ok = |suf: &str| ends_with_ci(w, suf) && w.chars().count() > suf.chars().count() + 2;
    // The same for an ASCII word, lowercased once on the stack (an ASCII word ends with no
    // suffix that has other letters).
    let compound_suffix = || {
        if !w.is_ascii() {
            return COMPOUND_SUFFIXES.iter().any(|s| lower_ok(s));
        }
        let mut buf = [0u8; 64];
        let Some(lower) = buf.get_mut(..w.len()) else {
            return COMPOUND_SUFFIXES.iter().any(|s| lower_ok(s));
        };
        lower.copy_from_slice(w.as_bytes());
        lower.make_ascii_lowercase();
        COMPOUND_SUFFIXES
            .iter()
            .any(|s| lower.len() > s.len() + 2 && lower.ends_with(s.as_bytes()))
    };
    let mut start = t.start;
    let mut word_end = t.end;
    let mut compound = cap(w) && compound_suffix() && !everyday_compound(w);
    if !compound && cap(w) && text[t.end..].starts_with('.') && ends_with_ci(w, "str") {
        compound = true;
        word_end = t.end + 1;
    }
    // A street word written apart after a capitalised word: `Berliner Straße`, `Karl Johans gate`.
    let after_capitalised =
        i > 0 && cap(s(text, &toks[i - 1])) && spaced(text, toks[i - 1].end, t.start, &[]);
    if !compound && after_capitalised && STREET_WORD_LIST.contains(w) {
        compound = true;
        start = toks[i - 1].start;
        if text[t.end..].starts_with('.') {
            word_end = t.end + 1;
        }
    }
    if !compound && after_capitalised && LOWER_STREET_WORD_LIST.contains(w) {
        let genitive = s(text, &toks[i - 1]).ends_with('s');
        let numbered = toks
            .get(i + 1)
            .filter(|n| n.num && spaced(text, t.end, n.start, &[]))
            .and_then(|_| house_number(text, toks, i + 1));
        if let Some((end, _)) = numbered
            && (genitive || town_and_postcode(text, end))
        {
            compound = true;
            // The given name before the genitive belongs to the street: `Karl Johans gate`.
            start = match i.checked_sub(2).map(|j| toks[j]) {
                Some(p)
                    if !p.num
                        && cap(s(text, &p))
                        && spaced(text, p.end, toks[i - 1].start, &[]) =>
                {
                    p.start
                }
                _ => toks[i - 1].start,
            };
        }
    }
    if compound {
        let n = toks.get(i + 1)?;
        if !spaced(text, word_end, n.start, &[',']) {
            return None;
        }
        let (end, next) = house_number(text, toks, i + 1)?;
        return Some((start, end, next));
    }
    // Leading type with the number after: `Via Roma 12`, `Calle Mayor, 5`, `Rua Augusta 100`.
    // Polish `ul. Marszałkowska 84/92` (ulica), `al.` (aleja), `pl.` (plac), `os.` (osiedle):
    // written in lowercase, always with the dot.
    let polish = matches!(w, "ul" | "Ul" | "al" | "Al" | "pl" | "Pl" | "os" | "Os")
        && text[t.end..].starts_with(". ");
    // `C/ Mayor 5` (calle).
    let slash = w == "C" && text[t.end..].starts_with("/ ");
    // Types that are no everyday word may be written in lowercase (`via Roma 12` is not
    // taken: `via Google 3 times`).
    let lower_type = !cap(w) && LOWER_LEADING_TYPE_LIST.contains(w);
    if (cap(w) && is_leading_type(w) && w.len() > 1) || lower_type || polish || slash {
        // An abbreviated type keeps its dot: `Av. Insurgentes Sur 1602`, `Avda. de América 32`.
        let type_end = if polish || slash || text[t.end..].starts_with(". ") {
            t.end + 1
        } else {
            t.end
        };
        let (name_end, next) = street_name(text, toks, i + 1, type_end)?;
        let (end, next) = number_after(text, toks, next, name_end)?;
        return Some((t.start, end, next));
    }
    if cap(w) {
        return type_after(text, toks, i).or_else(|| name_number_postcode(text, toks, i));
    }
    None
}

/// The house number of a street line whose name or type ends at byte `from`, token `k` the
/// first after it: within six bytes, after a comma or one of the words that may stand before
/// it (`n.`, `nº`, `Nr.`, `nr.`, `No:`, `No.`, tokens of their own). (end, next token).
fn number_after(text: &str, toks: &[Tok], k: usize, from: usize) -> Option<(usize, usize)> {
    const PREFIXES: &[&str] = &[
        "n.", "nº", "n°", "Nr.", "nr.", "Nr", "nr", "No:", "No.", "no:", "no.", "No", "Nº",
    ];
    let at = (k..toks.len().min(k + 3)).find(|&j| toks[j].num)?;
    let n = toks[at];
    let g = text[from..n.start].trim_start_matches([',', ' ']);
    let g = PREFIXES
        .iter()
        .find(|p| g.starts_with(**p))
        .map_or(g, |p| &g[p.len()..]);
    // The street name may have taken the capitalised `No` of `Jl. Sudirman No. 45` as its own
    // last word: its dot or colon is then all that stands before the number.
    let g = if ["No", "Nr", "no", "nr"]
        .iter()
        .any(|p| text[..from].ends_with(p))
    {
        g.trim_start_matches(['.', ':'])
    } else {
        g
    };
    if !g.trim_start().is_empty() || n.start - from > 6 {
        return None;
    }
    house_number(text, toks, at)
}

/// A Hungarian or Turkish street line beginning at the capitalised token `i`: one to five
/// capitalised words, a street type ([`TYPES_AFTER`]), then the number, with `No:` or `Nr.`
/// between or not: (start, end, next token).
fn type_after(text: &str, toks: &[Tok], i: usize) -> Option<(usize, usize, usize)> {
    let mut prev_end = toks[i].end;
    let mut k = i + 1;
    while k < toks.len() && k <= i + 5 {
        let tk = toks[k];
        if tk.num || !spaced(text, prev_end, tk.start, &['.']) {
            return None;
        }
        let wk = s(text, &tk);
        let dotted = text[tk.end..].starts_with('.');
        let is_type = if wk.is_ascii() {
            TYPE_AFTER_LIST.contains_ascii_lowercased(wk)
                || dotted && TYPE_AFTER_DOTTED_LIST.contains_ascii_lowercased(wk)
        } else {
            TYPES_AFTER.iter().any(|t| eq_ci(t, wk))
        };
        if is_type {
            let type_end = tk.end + usize::from(dotted);
            let (end, next) = number_after(text, toks, k + 1, type_end)?;
            return Some((toks[i].start, end, next));
        }
        if !cap(wk) {
            return None;
        }
        prev_end = tk.end;
        k += 1;
    }
    None
}

/// A street name without a type word, its number and a postcode line with its town:
/// `Vinohradská 45, 120 00 Praha 2`, `Ermou 25, 105 63 Athina`, `Karlova 12, 110 00 Praha`.
/// Without a type the postcode speaks for the street, so it must be one of the forms that
/// is nothing else (five digits, `123 45`, `12-345`, `1234 AB`, `1234-567`, a UK postcode)
/// and a town must follow it; a bare four-digit number (`Level 3, 1200 Points`) is not enough.
fn name_number_postcode(text: &str, toks: &[Tok], i: usize) -> Option<(usize, usize, usize)> {
    let t = toks[i];
    let n = toks.get(i + 1)?;
    if !n.num || !spaced(text, t.end, n.start, &[]) {
        return None;
    }
    let (end, next) = house_number(text, toks, i + 1)?;
    // The postcode line after a comma, as such addresses are written (`SV-Nr 65 170839 J` is
    // an insurance number, not `Nr 65` in town `J`).
    if !text[end..].starts_with(", ") {
        return None;
    }
    // A bare four-digit number and a capitalised word are not enough here.
    let line = postcode_line_after(text, end, false)?;
    if !line.evidence.contains(&Evidence::Town) {
        return None;
    }
    // The name's other words before it (`Karla Engliše 519/11`), at most two.
    let mut start = t.start;
    for back in 1..=2 {
        match i.checked_sub(back).map(|j| toks[j]) {
            Some(p) if !p.num && cap(s(text, &p)) && &text[p.end..start] == " " => {
                start = p.start;
            }
            _ => break,
        }
    }
    Some((start, end, next))
}

/// True when `word`, which ends in a street suffix, is an everyday English word rather than a
/// street: `Monitoring 24 hours`, `Offering 3 discounts` and `Notepad 2` are not addresses.
/// German and Dutch compound street words (`Kaiserring`, `Kastanienallee`, `Wilhelminakade`)
/// are not English words, so a word frequent in English text (zipf ≥ 3 in wordfreq's English
/// list, the gazetteer's word data) is not a compound street. Rarer English words are caught by
/// their form: a gerund whose stem ends in a vowel or `ur` (`Catering`, `Featuring`,
/// `Recurring`; German `-ring` streets end in a consonant before it: `Kaiserring`, `Ostring`,
/// `Stadtring`) and the `-pad` devices (`Keypad`, `Touchpad`; Dutch `Kerkepad` stays a street).
fn everyday_compound(word: &str) -> bool {
    // Everyday words with a street ending that the word list misses or rates below 3.
    const EVERYDAY: &[&str] = &[
        "keypad",
        "notepad",
        "touchpad",
        "trackpad",
        "launchpad",
        "mousepad",
        "scratchpad",
        "gamepad",
        "numpad",
        "dialpad",
        "writingpad",
        "sketchpad",
        "brigade",
        "renegade",
        "necktie",
        "bowtie",
    ];
    let lower = word.to_ascii_lowercase();
    if let Some(stem) = lower.strip_suffix("ring") {
        let last = stem.as_bytes().last().copied().unwrap_or(b'a');
        let gerund =
            matches!(last, b'a' | b'e' | b'i' | b'o' | b'u' | b'y') || stem.ends_with("ur");
        // Streets are named after people and places (`Celayaring`, `Rathenauring`): a stem
        // that is a known surname or place of five letters or more keeps the street reading.
        let named = stem.len() >= 5
            && (gazetteer::name(stem).is_some_and(|n| n.surname_langs != 0)
                || gazetteer::is_place(stem));
        if gerund && !named {
            return true;
        }
    }
    if EVERYDAY.contains(&lower.as_str()) {
        return true;
    }
    gazetteer::word(word).is_some_and(|w| w.zipf(0).is_some_and(|z| z >= 3.0))
}

/// The name after a leading street type: articles and 1..5 words, at least one capitalised.
fn street_name(
    text: &str,
    toks: &[Tok],
    mut k: usize,
    mut prev_end: usize,
) -> Option<(usize, usize)> {
    let first = k;
    let mut last_cap = None;
    while k < toks.len() && k < first + 6 {
        let tk = toks[k];
        let wk = s(text, &tk);
        if tk.num || !spaced(text, prev_end, tk.start, &['\'', '’']) {
            break;
        }
        if cap(wk) {
            last_cap = Some(k);
        } else if !LEADING_ARTICLE_LIST.contains(wk) {
            break;
        }
        prev_end = tk.end;
        k += 1;
    }
    let l = last_cap?;
    Some((toks[l].end, l + 1))
}

/// Adds units and the postcode/town line after the street line.
fn extend(text: &str, toks: &[Tok], mut k: usize, f: &mut Finding) {
    // A unit before: `Flat 3, 12 Abbey Road`.
    let before = text[..f.start].trim_end_matches([' ', ',']);
    for u in UNITS {
        if let Some(b) = before.strip_suffix(|c: char| c.is_ascii_digit()) {
            let b = b.trim_end_matches(|c: char| c.is_ascii_digit());
            let b2 = b.trim_end_matches([' ', '.']);
            if b2.ends_with(u) && b2.len() < b.len() + 2 {
                f.start = b2.len() - u.len();
                f.score += 0.5;
                f.add(Evidence::Unit);
                break;
            }
        }
    }
    // Units after: `Apt. 12`, `Suite 300`, `#5`.
    for _ in 0..2 {
        while toks.get(k).is_some_and(|t| t.start < f.end) {
            k += 1;
        }
        let Some(u) = toks.get(k) else { break };
        let g = &text[f.end..u.start];
        if g.len() > 3 || !g.chars().all(|c| matches!(c, ' ' | ',' | '#')) {
            break;
        }
        if u.num && g.contains('#') {
            f.end = u.end;
            f.add(Evidence::Unit);
            k += 1;
            continue;
        }
        // A lone `m` is a unit only as the Polish `m.` before a number.
        if !UNIT_LIST.contains(s(text, u)) || s(text, u) == "m" && !text[u.end..].starts_with(". ")
        {
            break;
        }
        let Some(n) = toks.get(k + 1) else { break };
        let g2 = &text[u.end..n.start];
        if n.num && g2.len() <= 3 && g2.chars().all(|c| matches!(c, ' ' | '.' | '#')) {
            let (e, _) = house_number(text, toks, k + 1).unwrap_or((n.end, k + 2));
            f.end = e;
            f.score += 0.5;
            f.add(Evidence::Unit);
            k += 2;
        } else {
            break;
        }
    }
    floor_and_door(text, f);
    postcode_line(text, f, true);
    if !f.evidence.contains(&Evidence::Postcode) {
        unit_then_postcode(text, f);
    }
}

/// A Spanish or Portuguese floor and door after the street line: `, 2º izq.`, `, 3º B`,
/// `, 1.º Dto.`, `, 4ª planta`.
fn floor_and_door(text: &str, f: &mut Finding) {
    let rest = &text[f.end..];
    let trimmed = rest.trim_start_matches([',', ' ']);
    let skip = rest.len() - trimmed.len();
    if skip == 0 || skip > 2 {
        return;
    }
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=2).contains(&digits) {
        return;
    }
    let after = trimmed[digits..]
        .strip_prefix('.')
        .unwrap_or(&trimmed[digits..]);
    let Some(after) = after
        .strip_prefix('º')
        .or_else(|| after.strip_prefix('ª'))
        .or_else(|| after.strip_prefix('°'))
    else {
        return;
    };
    let mut end = f.end + skip + (trimmed.len() - after.len());
    // The door: one letter or a side word, up to the next comma.
    if let Some(door) = after.strip_prefix(' ') {
        let word = door.split([',', ' ']).next().unwrap_or("");
        let bare = word.trim_end_matches('.');
        let side = [
            "izq", "izda", "dcha", "der", "dch", "esq", "dto", "dta", "centro", "planta",
        ]
        .iter()
        .any(|w| eq_ci(w, bare));
        if side || (bare.chars().count() == 1 && bare.chars().all(char::is_alphabetic)) {
            end += 1 + word.len();
        }
    }
    f.end = end;
    f.add(Evidence::Unit);
}

/// A town and postcode line follows `end` (after a space or comma).
fn town_and_postcode(text: &str, end: usize) -> bool {
    postcode_line_after(text, end, true).is_some()
}

/// The postcode line [`postcode_line`] finds after `end`, as a finding of its own (start `end`),
/// when it has a postcode; `bare_four` as there.
fn postcode_line_after(text: &str, end: usize, bare_four: bool) -> Option<Finding> {
    let mut probe = Finding {
        start: end,
        end,
        score: 0.0,
        evidence: Vec::new(),
    };
    postcode_line(text, &mut probe, bare_four);
    probe
        .evidence
        .contains(&Evidence::Postcode)
        .then_some(probe)
}

/// A short part between the street line and the postcode line — a floor, door or building
/// (`3º B`, `2º Esq.`, `3. OG`, `Bât. C`) or a district (`Marylebone`) — joins the finding
/// when a postcode line follows it: `Calle de Alcalá 48, 3º B, 28014 Madrid`.
fn unit_then_postcode(text: &str, f: &mut Finding) {
    let Some(rest) = text[f.end..].strip_prefix(", ") else {
        return;
    };
    let Some(len) = rest.find(',') else { return };
    let part = &rest[..len];
    if part.is_empty() || part.len() > 24 || part.split(' ').count() > 3 {
        return;
    }
    if !part
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | '/' | '°'))
    {
        return;
    }
    if let Some(line) = postcode_line_after(text, f.end + 2 + len, true) {
        f.end = line.end;
        f.score += line.score;
        f.add(Evidence::Unit);
        for e in line.evidence {
            f.add(e);
        }
    }
}

/// Post-office box phrases, lowercase, word by word.
const BOXES: &[&[&str]] = &[
    &["po", "box"],
    &["p", "o", "box"],
    &["post", "office", "box"],
    &["postfach"],
    &["postbus"],
    &["postboks"],
    &["postbox"],
    &["boîte", "postale"],
    &["boite", "postale"],
    &["apartado", "de", "correos"],
    &["apartado", "postal"],
    &["apdo"],
    &["casella", "postale"],
    &["caixa", "postal"],
    &["skrytka", "pocztowa"],
    &["gpo", "box"],
    &["locked", "bag"],
    &["private", "bag"],
    &["pmb"],
    &["case", "postale"],
    &["casilla", "postal"],
    &["casilla", "de", "correo"],
    // Only with a postcode line after: `Box 123, 111 22 Stockholm`, `BP 45, 75001 Paris`.
    &["box"],
    &["bp"],
];

/// Box phrases that are a post-office box only when a postcode line follows them.
const BOXES_WITH_POSTCODE: &[&[&str]] = &[&["box"], &["bp"]];

/// The first word of each of [`BOXES`] (a test checks), looked up before the phrases are tried.
static BOX_FIRST_WORDS: WordList = WordList::new(&[
    "po", "p", "post", "postfach", "postbus", "postboks", "postbox", "boîte", "boite", "apartado",
    "apdo", "casella", "caixa", "skrytka", "gpo", "locked", "private", "pmb", "case", "casilla",
    "box", "bp",
]);

/// A post-office box with its number (`PO Box 1234`, `P.O. Box 77`, `Postfach 10 07 52`,
/// `Postbus 1234`, `Apartado de Correos 15`, `Casella Postale 90`, `Caixa Postal 12`):
/// (start, end, next token).
fn po_box_at(text: &str, toks: &[Tok], i: usize) -> Option<(usize, usize, usize)> {
    let first = toks[i];
    let w = s(text, &first);
    if first.num
        || !BOX_FIRST_WORDS.contains_ascii_lowercased(w)
        || !toks[i + 1..toks.len().min(i + 5)].iter().any(|t| t.num)
    {
        return None;
    }
    let words = BOXES.iter().find_map(|phrase| {
        let mut prev_end = None;
        for (j, w) in phrase.iter().enumerate() {
            let t = toks.get(i + j)?;
            if t.num || !eq_ci(s(text, t), w) {
                return None;
            }
            if let Some(p) = prev_end
                && !spaced(text, p, t.start, &['.'])
            {
                return None;
            }
            prev_end = Some(t.end);
        }
        Some(phrase)
    })?;
    let needs_postcode = BOXES_WITH_POSTCODE.contains(words);
    let words = words.len();
    // The number: `1234`, `10 07 52` (German boxes are written in pairs), after `.`, `:` or `#`.
    let mut k = i + words;
    let mut end = toks[k - 1].end;
    let mut groups = 0;
    while let Some(t) = toks.get(k)
        && t.num
        && groups < 4
        && spaced(text, end, t.start, &['.', ':', '#', 'n', 'º', '°'])
    {
        end = t.end;
        groups += 1;
        k += 1;
    }
    if needs_postcode && !town_and_postcode(text, end) {
        return None;
    }
    (groups > 0).then_some((first.start, end, k))
}

/// The postcode and town line after `f`, which it extends. `bare_four`: four digits and a
/// capitalised word count as a postcode and town (`2200 København N`) — after a street line a
/// number is a postcode, but where nothing else says so it is as often a figure and a word.
fn postcode_line(text: &str, f: &mut Finding, bare_four: bool) {
    let rest = &text[f.end..];
    let trimmed = rest.trim_start_matches([',', ' ', '\n', '\t']);
    let skip = rest.len() - trimmed.len();
    if skip == 0 || skip > 4 {
        return;
    }
    let base = f.end + skip;
    let b = trimmed.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let mut end = None;
    if digits == 4
        && b.len() >= 7
        && b[4] == b' '
        && b[5].is_ascii_uppercase()
        && b[6].is_ascii_uppercase()
        && b.get(7).is_none_or(|c| !c.is_ascii_alphanumeric())
    {
        end = Some(7);
    } else if digits == 4 && b.len() >= 6 && b[4].is_ascii_uppercase() && b[5].is_ascii_uppercase()
    {
        end = Some(6);
    } else if (digits == 5 || digits == 6)
        && b.get(digits).is_none_or(|c| !c.is_ascii_alphanumeric())
    {
        // Five digits (DE, FR, ES, IT, US, TR…), six (Romania `010073`, India `400001`).
        end = Some(digits);
    } else if (digits == 4 || digits == 2)
        && b.get(digits) == Some(&b'-')
        && b.len() >= digits + 4
        && b[digits + 1..digits + 4].iter().all(u8::is_ascii_digit)
        && b.get(digits + 4).is_none_or(|c| !c.is_ascii_alphanumeric())
    {
        // Portugal `1100-053`, Poland `00-514`.
        end = Some(digits + 4);
    } else if digits == 3
        && b.len() >= 6
        && b[3] == b' '
        && b[4..6].iter().all(u8::is_ascii_digit)
        && b.get(6).is_none_or(|c| !c.is_ascii_alphanumeric())
    {
        // Sweden `411 38`.
        end = Some(6);
    } else if bare_four
        && digits == 4
        && b.get(4) == Some(&b' ')
        && trimmed[5..].chars().next().is_some_and(char::is_uppercase)
    {
        // Four digits and a town: Denmark, Norway, Belgium, Austria, Switzerland, Australia
        // (`2200 København N`); only after a street line, where a number is a postcode.
        end = Some(4);
    } else if let Some(n) = uk_postcode(b).or_else(|| eircode_or_canadian(b)) {
        end = Some(n);
    }
    if let Some(n) = end {
        f.end = base + n;
        f.score += 1.0;
        f.add(Evidence::Postcode);
        // The town after the postcode: capitalised words.
        town(text, f);
        return;
    }
    // Town first: `Springfield, IL 62704` / `London SW1A 1AA` / `Paris`.
    let mut e = 0;
    let mut words = 0;
    for w in trimmed.split(' ') {
        let w2 = w.trim_end_matches(',');
        if words > 0
            && (w2.len() == 2 && STATE_LIST.contains(w2)
                || AU_STATES.contains(&w2)
                || CA_PROVINCES.contains(&w2.as_bytes()))
        {
            // `New York NY 10118`, `Sydney NSW 2001`: the state ends the town.
            break;
        }
        if words < 3 && cap(w2) && w2.chars().all(char::is_alphabetic) && w2.len() > 1 {
            e += w.len() + 1;
            words += 1;
            if w.ends_with(',') {
                break;
            }
        } else {
            break;
        }
    }
    if words == 0 {
        return;
    }
    let after = &trimmed[e.min(trimmed.len())..];
    let ab = after.as_bytes();
    if ab.len() >= 8
        && after
            .get(..2)
            .is_some_and(|state| STATE_LIST.contains(state))
        && ab[2] == b' '
        && ab[3..8].iter().all(u8::is_ascii_digit)
        && ab.get(8).is_none_or(|c| !c.is_ascii_digit())
    {
        let mut n = 8;
        if ab.get(8) == Some(&b'-') && ab.len() >= 13 && ab[9..13].iter().all(u8::is_ascii_digit) {
            n = 13;
        }
        f.end = base + e + n;
        f.score += 1.5;
        f.add(Evidence::Town);
        f.add(Evidence::Postcode);
    } else if let Some(n) = au_state_postcode(ab) {
        f.end = base + e + n;
        f.score += 1.5;
        f.add(Evidence::Town);
        f.add(Evidence::Postcode);
    } else if let Some(n) = uk_postcode(ab) {
        f.end = base + e + n;
        f.score += 1.5;
        f.add(Evidence::Town);
        f.add(Evidence::Postcode);
    } else {
        // `Toronto ON M5S 1G5`, `Gaillimh H91 F2X4`, `Dublin 14, D14 YK82` (a Dublin district
        // number may stand between the town and the Eircode).
        let district = ab.iter().take_while(|c| c.is_ascii_digit()).count();
        let skip = if (1..=2).contains(&district) {
            let r = &ab[district..];
            district + r.len() - r.trim_ascii_start().len() + usize::from(r.first() == Some(&b','))
        } else {
            0
        };
        let skip = if skip > 0 {
            skip + ab[skip..].len() - ab[skip..].trim_ascii_start().len()
        } else {
            0
        };
        if let Some(n) = ab.get(skip..).and_then(eircode_or_canadian) {
            f.end = base + e + skip + n;
            f.score += 1.5;
            f.add(Evidence::Town);
            f.add(Evidence::Postcode);
        }
    }
}

fn town(text: &str, f: &mut Finding) {
    let rest = &text[f.end..];
    let Some(r) = rest.strip_prefix(' ') else {
        return;
    };
    // Lowercase links inside a town's name: `Frankfurt am Main`, `Freiburg im Breisgau`,
    // `Kingston upon Hull`, `Alphen aan den Rijn`, `Bergen op Zoom`.
    const LINKS: &[&str] = &[
        "am", "an", "der", "im", "ob", "upon", "on", "sur", "en", "aan", "den", "op", "de", "la",
        "le", "del", "di",
    ];
    let mut e = 0;
    let mut at = 0;
    let mut capitals = 0;
    let mut links = 0;
    for w in r.split(' ') {
        let clean = w.trim_end_matches([',', '.', ';']);
        let word =
            cap(clean) && clean.chars().all(|c| c.is_alphabetic() || c == '-') && !clean.is_empty();
        if word && capitals < 3 {
            // Up to the end of this word (a district letter too: `1165 København K`).
            e = at + clean.len();
            capitals += 1;
            if clean.len() != w.len() {
                break;
            }
        } else if capitals > 0 && links < 2 && clean.len() == w.len() && LINKS.contains(&w) {
            // Kept only if a capitalised word follows.
            links += 1;
        } else {
            break;
        }
        at += w.len() + 1;
    }
    if e > 0 {
        f.end += 1 + e;
        f.score += 0.5;
        f.add(Evidence::Town);
    }
}

/// Australia's states and territories, as addresses abbreviate them before the postcode.
const AU_STATES: &[&str] = &["NSW", "VIC", "QLD", "SA", "WA", "TAS", "NT", "ACT"];

/// An Australian state and four-digit postcode at the start of `b` (`NSW 2001`): its length.
fn au_state_postcode(b: &[u8]) -> Option<usize> {
    let state = AU_STATES
        .iter()
        .find(|s| b.starts_with(s.as_bytes()))?
        .len();
    let code = b.get(state + 1..state + 5)?;
    (b[state] == b' '
        && code.iter().all(u8::is_ascii_digit)
        && b.get(state + 5).is_none_or(|c| !c.is_ascii_alphanumeric()))
    .then_some(state + 5)
}

/// A UK postcode at the start of `b` (`SW1A 1AA`, `M1 1AE`, `EC1V 9HX`): its length.
/// Canadian provinces and territories (Canada Post), before a postal code.
const CA_PROVINCES: [&[u8]; 13] = [
    b"AB", b"BC", b"MB", b"NB", b"NL", b"NS", b"NT", b"NU", b"ON", b"PE", b"QC", b"SK", b"YT",
];

/// An Irish Eircode (`D14 YK82`, `V42 HT96`: a routing key of a letter and two digits, or
/// `D6W`, then four characters of its alphabet) or a Canadian province and postal code
/// (`ON M5S 1G5`). Returns its length.
fn eircode_or_canadian(b: &[u8]) -> Option<usize> {
    const ROUTING: &[u8] = b"ACDEFHKNPRTVWXY";
    const UNIQUE: &[u8] = b"0123456789ACDEFHKNPRTVWXY";
    let ends = |i: usize| b.get(i).is_none_or(|c| !c.is_ascii_alphanumeric());
    let dg = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let up = |i: usize| b.get(i).is_some_and(u8::is_ascii_uppercase);
    let routing = b.len() >= 8
        && (b.starts_with(b"D6W") || ROUTING.contains(&b[0]) && dg(1) && dg(2))
        && b[3] == b' '
        && b[4..8].iter().all(|c| UNIQUE.contains(c))
        && b[4..8].iter().any(u8::is_ascii_uppercase)
        && ends(8);
    if routing {
        return Some(8);
    }
    let canadian = b.len() >= 10
        && CA_PROVINCES.contains(&&b[..2])
        && b[2] == b' '
        && up(3)
        && dg(4)
        && up(5)
        && b[6] == b' '
        && dg(7)
        && up(8)
        && dg(9)
        && ends(10);
    canadian.then_some(10)
}

fn uk_postcode(b: &[u8]) -> Option<usize> {
    let up = |i: usize| b.get(i).is_some_and(u8::is_ascii_uppercase);
    let dg = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let mut i = 0;
    if !up(0) {
        return None;
    }
    i += 1;
    if up(i) {
        i += 1;
    }
    if !dg(i) {
        return None;
    }
    i += 1;
    if dg(i) || up(i) {
        i += 1;
    }
    if b.get(i) != Some(&b' ') {
        return None;
    }
    i += 1;
    if dg(i) && up(i + 1) && up(i + 2) && b.get(i + 3).is_none_or(|c| !c.is_ascii_alphanumeric()) {
        Some(i + 3)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        find(text, KeyHint::None)
            .into_iter()
            .map(|f| &text[f.start..f.end])
            .collect()
    }

    #[test]
    fn street_lines_in_other_scripts_need_their_street_or_unit_word_and_a_number() {
        for (text, want) in [
            ("住所: 東京都渋谷区神南1-2-3", "東京都渋谷区神南1-2-3"),
            (
                "〒100-0001 東京都千代田区千代田1番1号",
                "東京都千代田区千代田1番1号",
            ),
            ("大阪市北区梅田3丁目1-3まで", "大阪市北区梅田3丁目1-3"),
            ("千代田区千代田一丁目1番1号", "千代田区千代田一丁目1番1号"),
            ("名古屋市中区栄３丁目５−１", "名古屋市中区栄３丁目５−１"),
            ("北京市朝阳区建国路88号", "北京市朝阳区建国路88号"),
            (
                "收货地址：广东省深圳市南山区科技园路18号",
                "广东省深圳市南山区科技园路18号",
            ),
            ("台北市信義區信義路五段7號", "台北市信義區信義路五段7號"),
            (
                "서울특별시 강남구 테헤란로 152",
                "서울특별시 강남구 테헤란로 152",
            ),
            (
                "주소: 서울 종로구 세종대로 175, 3층",
                "서울 종로구 세종대로 175",
            ),
            (
                "부산광역시 해운대구 우동 1408",
                "부산광역시 해운대구 우동 1408",
            ),
            ("ул. Тверская, д. 7, кв. 12", "ул. Тверская, д. 7, кв. 12"),
            ("Москва, ул. Тверская 7", "ул. Тверская 7"),
            ("вул. Хрещатик, буд. 22, Київ", "вул. Хрещатик, буд. 22"),
            ("Невский проспект 28", "Невский проспект 28"),
            ("Οδός Ερμού 15, Αθήνα", "Οδός Ερμού 15"),
            ("شارع التحرير 15، القاهرة", "شارع التحرير 15"),
            ("רחוב הרצל 12, תל אביב", "רחוב הרצל 12"),
            (
                "العنوان: شارع الملك فهد، الرياض 12345",
                "شارع الملك فهد، الرياض 12345",
            ),
            ("ที่อยู่ 123 ถนนสุขุมวิท แขวงคลองเตย", "123 ถนนสุขุมวิท แขวงคลองเตย"),
            ("पता: 12 गांधी मार्ग, नई दिल्ली", "12 गांधी मार्ग"),
            (
                "Giao hàng: 123 Đường Lê Lợi, Quận 1, TP.HCM",
                "123 Đường Lê Lợi, Quận 1",
            ),
            ("45 Phố Huế, Hà Nội", "45 Phố Huế"),
        ] {
            assert_eq!(found(text), [want], "{text}");
        }
        for text in [
            // A metro line, an ordinal, a year range, a population, a date.
            "上海市地铁2号线",
            "北京市第2号文件",
            "大阪市の2023-2024年度",
            "東京都の人口は1400万人",
            "2023年3月15日に東京都で",
            // Counts and times after words that end like Korean road names.
            "연구 결과로 3개",
            "친구 집으로 3시",
            "서울 여행 3일",
            // A street word without a name or number.
            "на ул. 5 домов",
            "Глава 3, ул. в тексте",
            "iPhone 15 Pro 256GB (日本版)",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn street_lines_in_lowercase_or_capitals_after_a_word_that_announces_them() {
        for (text, line) in [
            (
                "deliver to 9 kookaburra st, toowoomba qld 4350",
                "9 kookaburra st",
            ),
            ("SHIP TO 455 SYCAMORE HOLLOW RD", "455 SYCAMORE HOLLOW RD"),
            ("bezorgen op keizersgracht 417 hs", "keizersgracht 417"),
            (
                "entregar en avda. de la Constitución 22, bajo B",
                "avda. de la Constitución 22",
            ),
            (
                "leverera till hornsgatan 48, 118 21 sthlm",
                "hornsgatan 48, 118 21 sthlm",
            ),
            ("nowy adres os. kalinowe 9/22", "os. kalinowe 9/22"),
        ] {
            assert_eq!(found(text), [line], "{text}");
        }
        // Under an address key no word is needed.
        let keyed = find("keizersgracht 417 hs", KeyHint::Class);
        assert_eq!(keyed.len(), 1);
        for text in [
            "keizersgracht 417 hs",
            "sent via slack 2 times",
            "shipping via dhl 2 days",
            "ship 3 items to main st",
            "deliver 2 boxes via ups",
            "new address coming in 2 weeks",
            "shipping address step 3 of 4",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn a_lowercase_line_counts_only_after_its_cue_word() {
        // The word that announces an address comes first; a number only before it, or no
        // number at all, is no street line (and the recased pass is skipped).
        assert_eq!(
            found("jane42 asked: deliver to 9 kookaburra st"),
            ["9 kookaburra st"]
        );
        for text in [
            "9 kookaburra st, then the delivery window",
            "contact jane.doe42@example.com about the delivery window",
            "about the delivery window and the shipping address",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
        // Under an address key the line stands alone.
        assert_eq!(find("9 kookaburra st", KeyHint::Class).len(), 1);
    }

    #[test]
    fn a_suffix_word_inside_a_street_name() {
        assert_eq!(
            found("ship to 455 Sycamore Hollow Rd"),
            ["455 Sycamore Hollow Rd"]
        );
        assert!(found("10 Best Road Trips").is_empty());
    }

    #[test]
    fn addresses() {
        assert_eq!(
            found("deliver to 4417 Orchard Hollow Apt. 12 today"),
            ["4417 Orchard Hollow Apt. 12"]
        );
        assert_eq!(
            found("Lieferung an Kastanienallee 17/3, 10435 Berlin"),
            ["Kastanienallee 17/3, 10435 Berlin"]
        );
        assert_eq!(found("au 12, rue des Tanneurs"), ["12, rue des Tanneurs"]);
        assert_eq!(
            found("porte gauche, 58 av. Secrétan 75019 Paris"),
            ["58 av. Secrétan 75019 Paris"]
        );
        assert_eq!(
            found("12 bd. Voltaire, 75011 Paris"),
            ["12 bd. Voltaire, 75011 Paris"]
        );
        assert!(found("en 52 av. J.-C., Vercingétorix").is_empty());
        assert_eq!(found("Wilhelminakade 203"), ["Wilhelminakade 203"]);
        assert_eq!(
            found("Via Roma 12, 00184 Roma"),
            ["Via Roma 12, 00184 Roma"]
        );
        assert_eq!(
            found("Flat 3, 12 Abbey Road, London NW8 9AY"),
            ["Flat 3, 12 Abbey Road, London NW8 9AY"]
        );
    }

    #[test]
    fn nordic_polish_and_portuguese_street_lines_with_their_postcodes() {
        assert_eq!(
            found("Hälsningar, Storgatan 12, 411 38 Göteborg"),
            ["Storgatan 12, 411 38 Göteborg"]
        );
        assert_eq!(
            found("bor på Nørrebrogade 45, 2200 København N"),
            ["Nørrebrogade 45, 2200 København N"]
        );
        assert_eq!(
            found("adres: ul. Marszałkowska 84/92, 00-514 Warszawa"),
            ["ul. Marszałkowska 84/92, 00-514 Warszawa"]
        );
        assert_eq!(
            found("morada Rua Augusta 274, 1100-053 Lisboa"),
            ["Rua Augusta 274, 1100-053 Lisboa"]
        );
        assert_eq!(found("Mannerheimintie 5"), ["Mannerheimintie 5"]);
        // A district letter that the town's own first letter repeats.
        assert_eq!(
            found("Send til Nørregade 10, 2. th., 1165 København K"),
            ["Nørregade 10, 2. th., 1165 København K"]
        );
        // Polish flat numbers, Swedish and Norwegian ones.
        assert_eq!(
            found("do ul. Marszałkowska 84/92 m. 15, 00-514 Warszawa"),
            ["ul. Marszałkowska 84/92 m. 15, 00-514 Warszawa"]
        );
        assert_eq!(
            found("Storgatan 5B lgh 1102, 114 55 Stockholm"),
            ["Storgatan 5B lgh 1102, 114 55 Stockholm"]
        );
        // Towns with lowercase links.
        assert_eq!(
            found("Goethestr. 12, 60313 Frankfurt am Main, Germany"),
            ["Goethestr. 12, 60313 Frankfurt am Main"]
        );
        assert_eq!(
            found("Hauptstraße 5, 79098 Freiburg im Breisgau"),
            ["Hauptstraße 5, 79098 Freiburg im Breisgau"]
        );
        assert_eq!(
            found("Kerkstraat 3, 2401 AB Alphen aan den Rijn"),
            ["Kerkstraat 3, 2401 AB Alphen aan den Rijn"]
        );
        assert_eq!(
            found("Kerkstraat 3, 1017 GM Amsterdam en omgeving"),
            ["Kerkstraat 3, 1017 GM Amsterdam"]
        );
        // Norwegian street words written apart after a genitive.
        assert_eq!(
            found("Lever til Karl Johans gate 22, 0159 Oslo"),
            ["Karl Johans gate 22, 0159 Oslo"]
        );
        assert_eq!(found("Olav Kyrres vei 5"), ["Olav Kyrres vei 5"]);
        for t in [
            "Boarding at Schiphol gate 22",
            "Terminal B gate 7",
            "Gate 22 is closed",
        ] {
            assert!(found(t).is_empty(), "{t}: {:?}", found(t));
        }
        // German `-ring` streets end in a consonant before the suffix.
        assert_eq!(found("Kaiserring 12"), ["Kaiserring 12"]);
        assert_eq!(found("Stadtring 7"), ["Stadtring 7"]);
        assert_eq!(found("Kerkepad 3"), ["Kerkepad 3"]);
    }

    #[test]
    fn english_words_with_a_street_ending_are_not_streets() {
        for t in [
            "Monitoring 24 hours",
            "Offering 3 discounts",
            "Recurring 12 months plan",
            "Catering 50 guests",
            "Featuring 3 artists",
            "Hiring 5 engineers",
            "Keypad 2",
            "Notepad 2 now",
            "Spring 2024 Collection",
            "Brigade 3 deployed",
            "pl. 5 items",
        ] {
            assert!(found(t).is_empty(), "{t}: {:?}", found(t));
        }
    }

    #[test]
    fn not_addresses() {
        for t in [
            "42 items in 3 boxes",
            "sent via Slack 2 times",
            "10 Best Road Trips",
            "2024-05-01T12:00:00Z",
            "Order 123456",
            "Berlin",
            "Postfach",
            "Apartado 3 del contrato",
            "Box 5 of 10",
            "Option 2, 3º B",
            "Seite 2, 3. OG",
            "Top 5th Avenue Deals",
        ] {
            assert!(found(t).is_empty(), "{t}");
        }
    }

    #[test]
    fn numbered_streets_abbreviated_types_and_post_office_boxes() {
        for (text, want) in [
            ("350 5th Ave", "350 5th Ave"),
            ("deliver to 221 W 42nd St", "221 W 42nd St"),
            (
                "deliver to apt 4B 350 5th Ave New York NY 10118",
                "350 5th Ave New York NY 10118",
            ),
            ("Av. Insurgentes Sur 1602", "Av. Insurgentes Sur 1602"),
            ("Avda. de América 32", "Avda. de América 32"),
            ("Pza. Mayor 1", "Pza. Mayor 1"),
            ("C/ Mayor 5, 2º izq.", "C/ Mayor 5, 2º izq."),
            (
                "PO Box 1234, Springfield, IL 62704",
                "PO Box 1234, Springfield, IL 62704",
            ),
            ("write to P.O. Box 77", "P.O. Box 77"),
            (
                "Postfach 10 07 52, 20005 Hamburg",
                "Postfach 10 07 52, 20005 Hamburg",
            ),
            ("Postbus 1234", "Postbus 1234"),
            ("Apartado de Correos 15", "Apartado de Correos 15"),
            ("Casella Postale 90", "Casella Postale 90"),
        ] {
            assert_eq!(found(text), [want], "{text}");
        }
    }

    #[test]
    fn central_and_south_eastern_european_street_lines() {
        for (text, want) in [
            (
                "Strada Mihai Eminescu nr. 12, Bucuresti",
                "Strada Mihai Eminescu nr. 12",
            ),
            ("livrare la Str. Lipscani 5", "Str. Lipscani 5"),
            (
                "Calea Victoriei 155, 010073 Bucuresti",
                "Calea Victoriei 155, 010073 Bucuresti",
            ),
            (
                "Kossuth Lajos utca 12, 1055 Budapest",
                "Kossuth Lajos utca 12, 1055 Budapest",
            ),
            ("szállítás: Andrássy út 60.", "Andrássy út 60"),
            ("Petőfi Sándor u. 3/B", "Petőfi Sándor u. 3/B"),
            ("Atatürk Caddesi No: 15, Kadıköy", "Atatürk Caddesi No: 15"),
            ("adres: Gül Sk. No:5", "Gül Sk. No:5"),
            (
                "Vinohradská 45, 120 00 Praha 2",
                "Vinohradská 45, 120 00 Praha",
            ),
            (
                "doručit na Karla Engliše 519/11, 150 00 Praha",
                "Karla Engliše 519/11, 150 00 Praha",
            ),
            ("Odos Ermou 25, Athina", "Odos Ermou 25"),
            ("Ermou 25, 105 63 Athina", "Ermou 25, 105 63 Athina"),
            ("náměstí Míru 15", "náměstí Míru 15"),
            (
                "Slovenska cesta 54, 1000 Ljubljana",
                "Slovenska cesta 54, 1000 Ljubljana",
            ),
            ("Brīvības iela 88-12, Rīga", "Brīvības iela 88-12"),
            ("Gedimino pr. 20-14, LT-01103 Vilnius", "Gedimino pr. 20-14"),
            // A directional after the USPS suffix, a Canadian postal code, an Eircode.
            (
                "3390 Peachtree Rd NE Ste 1410, Atlanta, GA 30326",
                "3390 Peachtree Rd NE Ste 1410, Atlanta, GA 30326",
            ),
            (
                "Suite 1102, 88 Harbord Street, Toronto ON M5S 1G5",
                "Suite 1102, 88 Harbord Street, Toronto ON M5S 1G5",
            ),
            (
                "14 Main Street, Galway H91 F2X4",
                "14 Main Street, Galway H91 F2X4",
            ),
        ] {
            assert_eq!(found(text), [want], "{text}");
        }
        // A number and a four-digit figure with a capitalised word after are no address
        // without a street word.
        for text in [
            "Level 3, 1200 Points",
            "Windows 11, 2023 Edition",
            "Chapter 5, 1984 Orwell",
            "Route 66 Playlist",
            "Box 3 of 12",
            "BP 120/80 at rest",
            "SV-Nr 65 170839 J 003",
        ] {
            assert!(found(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn more_post_office_boxes() {
        for (text, want) in [
            (
                "GPO Box 1234, Sydney NSW 2001",
                "GPO Box 1234, Sydney NSW 2001",
            ),
            (
                "Locked Bag 7, Parramatta NSW 2124",
                "Locked Bag 7, Parramatta NSW 2124",
            ),
            ("Private Bag 92019, Auckland 1142", "Private Bag 92019"),
            ("BP 45, 75001 Paris", "BP 45, 75001 Paris"),
            ("Box 123, 111 22 Stockholm", "Box 123, 111 22 Stockholm"),
            (
                "Case postale 12, 1211 Genève",
                "Case postale 12, 1211 Genève",
            ),
        ] {
            assert_eq!(found(text), [want], "{text}");
        }
    }

    #[test]
    fn every_post_office_box_phrase_starts_with_a_listed_first_word() {
        for phrase in BOXES {
            assert!(BOX_FIRST_WORDS.contains(phrase[0]), "{phrase:?}");
        }
    }

    #[test]
    fn a_floor_door_or_district_before_the_postcode_line_belongs_to_the_address() {
        for (text, want) in [
            (
                "Entregar en Calle de Alcalá 48, 3º B, 28014 Madrid hoy",
                "Calle de Alcalá 48, 3º B, 28014 Madrid",
            ),
            (
                "Bitte an Lindenstraße 7a, 3. OG, 10969 Berlin liefern",
                "Lindenstraße 7a, 3. OG, 10969 Berlin",
            ),
            (
                "chez 27 bis avenue Jean Jaurès, Bât. C, 69007 Lyon",
                "27 bis avenue Jean Jaurès, Bât. C, 69007 Lyon",
            ),
            (
                "221 Baker Street, Marylebone, London NW1 6XE",
                "221 Baker Street, Marylebone, London NW1 6XE",
            ),
        ] {
            assert_eq!(found(text), [want], "{text}");
        }
    }

    #[test]
    fn no_text_makes_the_scanners_slice_inside_a_character() {
        // A town-first postcode line ending in `São` once cut `ã` in two (a panic, found by
        // the fifth probing round). Every prefix and suffix of these texts, each hint, both
        // scanners.
        let texts = [
            "Rua Augusta, 1508, apto 72, Consolação, São Paulo - SP, 01304-001",
            "12 Abbey Road, Óbidos É 12345, Ærø ÜÖ",
            "Kossuth Lajos utca 12, 1055 Budapest, Ő",
            "Atatürk Caddesi No: 15, Kadıköy/İstanbul 34710",
            "Vinohradská 45, 120 00 Praha 2 — Žižkov",
            "Box 123, 111 22 Stockholm; BP 45, 75001 Paris Ç",
            "Frau Ulrike Sommer, ŒUVRE 5 ßtraße, JÜRGEN WEIẞ",
        ];
        for text in texts {
            for (cut, _) in text.char_indices() {
                for part in [&text[..cut], &text[cut..]] {
                    for hint in [
                        KeyHint::None,
                        KeyHint::Generic,
                        KeyHint::Class,
                        KeyHint::Thing,
                    ] {
                        let _ = find(part, hint);
                        let _ = crate::policy::person_name::find(part, hint);
                    }
                }
            }
        }
    }

    #[test]
    fn hostile_input_is_linear() {
        let t = std::time::Instant::now();
        let _ = find(&"12 rue ".repeat(150_000), KeyHint::None);
        let _ = find(&"1 Aa Aa Aa Aa ".repeat(80_000), KeyHint::None);
        assert!(t.elapsed() < std::time::Duration::from_secs(20));
    }

    #[test]
    fn indonesian_streets_and_a_number_after_no() {
        for (text, want) in [
            (
                "Alamat: Jl. Sudirman No. 45, Jakarta 10220",
                "Jl. Sudirman No. 45",
            ),
            ("Kirim ke Jalan Ampang 12", "Jalan Ampang 12"),
            ("Calle Mayor No. 5", "Calle Mayor No. 5"),
        ] {
            assert_eq!(found(text), [want], "{text}");
        }
        for text in [
            "Jalan-jalan ke Bali",
            "Buka 24 jam",
            "Apple iPhone No. 1 seller",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn indian_and_romanised_japanese_lines_with_their_postcodes() {
        for (text, want) in [
            (
                "Deliver to Flat 302, Sai Residency, MG Road, Bengaluru 560001",
                "Flat 302, Sai Residency, MG Road, Bengaluru 560001",
            ),
            (
                "Park Street, Kolkata - 700016",
                "Park Street, Kolkata - 700016",
            ),
            (
                "Ship to 1-2-3 Shibuya, Shibuya-ku, Tokyo 150-0002",
                "1-2-3 Shibuya, Shibuya-ku, Tokyo 150-0002",
            ),
            (
                "Naka-ku, Yokohama-shi, Kanagawa-ken 231-0023",
                "Naka-ku, Yokohama-shi, Kanagawa-ken 231-0023",
            ),
        ] {
            assert_eq!(found(text), [want], "{text}");
        }
        for text in [
            "Shibuya-ku is busy at 150 people per minute",
            "Road trip, Bengaluru 2024",
            "Main Street, Springfield",
            "Order 123456 shipped",
            "MG Road metro station 560001 riders",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }
}
