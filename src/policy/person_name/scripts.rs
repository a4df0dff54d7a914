//! Names in scripts without capital letters: Chinese, Japanese and Korean (Han, kana, Hangul),
//! Arabic and Persian, Hebrew, Devanagari and Thai.
//!
//! The Latin detector starts from capitalised words and the name gazetteers; neither exists
//! here, so this part starts from the words people put next to a name, in each language:
//!
//! | sign | examples | scripts |
//! | --- | --- | --- |
//! | an honorific after the name | `王伟先生`, `李女士`, `田中様`, `佐藤さん`, `김민준님`, `박씨`, `이서연 고객님` | Han, kana, Hangul |
//! | a title before the name | `السيد محمد الأحمد`, `آقای رضا احمدی`, `מר דוד כהן`, `श्री राम कुमार`, `คุณสมชาย` | Arabic, Hebrew, Devanagari, Thai |
//! | a label before the name | `收货人：王伟`, `氏名：山田太郎`, `이름: 김민준`, `الاسم: …`, `שם: …` | all |
//! | an introduction | `我叫李明`, `田中と申します`, `저는 김민준입니다`, `اسمي …`, `मेरा नाम … है` | all |
//! | the whole value, under a key for a person (`name`, `customer`, `assignee`, `signed_by`) | `王伟`, `山田 太郎`, `김민준` | Han, kana, Hangul |
//!
//! Where a surname is needed to tell a name from a word, it comes from the most common surnames
//! of each country: China's Ministry of Public Security name report (2020) for Chinese, with
//! the traditional forms and the common compound surnames; Statistics Korea's 2015 census for
//! Korean; and, as Japan publishes no surname statistics, the common surnames of the Japanese
//! telephone-directory compilations. An honorific or an introduction after a Han or Hangul word
//! counts only when the word starts with such a surname; a label followed by a colon does not
//! need one (`姓名：` is followed by a name, whatever it is).
//!
//! Listed names need no sign: a whole value (or key) that is a given name and a surname of
//! Faker's lists for 20 locales (`data/gazetteer/script_names.tsv`; see its SOURCES.md) is a
//! name under any key, and so are those two words in running text of a spaced script; in a
//! key one listed part that is not an everyday word is enough (a field's name is not a
//! person's).
//!
//! Deliberately not found: a name with no sign at all in running text (`王伟说`), Japanese
//! given names alone (`花子ちゃん`), and Korean names with a particle but no honorific.

use super::{Evidence, Finding};
use crate::policy::script::{is_han, is_hangul, is_kana};

/// True when `text` holds a character of one of these scripts: Armenian, Hebrew and Arabic
/// (UTF-8 lead bytes `D4`–`DB`, `DD`), the Indic scripts, Sinhala and Thai (`E0`), Georgian,
/// Ethiopic and Khmer (`E1`), kana, Han and Hangul (`E3`–`ED`), and the compatibility and
/// presentation forms (`EF`).
pub(crate) fn may_hold(text: &str) -> bool {
    !text.is_ascii()
        && text
            .bytes()
            .any(|b| matches!(b, 0xD4..=0xDB | 0xDD | 0xE0 | 0xE1 | 0xE3..=0xED | 0xEF))
}

/// What the key of the value says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    /// Nothing: only signs in the text count.
    Other,
    /// A generic `name` key (people and things): a Han, kana or Hangul value that is only a
    /// name shape is a name.
    Name,
    /// A key for a person (`customer`, `patient`, `full_name`…): so is a value of one to four
    /// words of Arabic, Hebrew, Devanagari or Thai letters.
    Person,
}

/// Appends the names found in `text` to `out`.
pub(crate) fn find(text: &str, key: Key, out: &mut Vec<Finding>) {
    let cs: Vec<(usize, char)> = text.char_indices().collect();
    let t = Text { text, cs: &cs };
    let before = out.len();
    if key != Key::Other
        && let Some((s, e)) = whole_value(&t, key == Key::Person)
    {
        out.push(finding(t.byte(s), t.byte(e), Evidence::Key));
        return;
    }
    // A listed given name and a listed surname, under any key or none (a key in its own
    // right too): the whole text, or two words of running text in a spaced script.
    if let Some((s, e)) = listed_full_name(text) {
        out.push(finding(s, e, Evidence::Gazetteer));
        return;
    }
    listed_pairs(text, out);
    for (i, &(_, c)) in cs.iter().enumerate() {
        if is_han(c) || is_kana(c) {
            han_honorific(&t, i, out);
            han_label(&t, i, out);
        } else if is_hangul(c) {
            hangul_at(&t, i, out);
        } else if is_arabic(c) || is_hebrew(c) || is_devanagari(c) || is_thai(c) {
            titled_at(&t, i, out);
        }
    }
    // One finding per name: a later rule may find a name an earlier one found.
    let found = &mut out[before..];
    found.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    let mut kept = before;
    for k in before..out.len() {
        if kept > before && out[k].start < out[kept - 1].end {
            let end = out[k].end.max(out[kept - 1].end);
            out[kept - 1].end = end;
            continue;
        }
        out.swap(kept, k);
        kept += 1;
    }
    out.truncate(kept);
}

fn finding(start: usize, end: usize, e: Evidence) -> Finding {
    Finding {
        start,
        end,
        score: super::THRESHOLD + 0.5,
        evidence: vec![e],
    }
}

/// The text as characters with their byte offsets.
struct Text<'a> {
    text: &'a str,
    cs: &'a [(usize, char)],
}

impl Text<'_> {
    /// The byte offset of character `i` (the text's length past the end).
    fn byte(&self, i: usize) -> usize {
        self.cs.get(i).map_or(self.text.len(), |&(b, _)| b)
    }

    fn char(&self, i: usize) -> Option<char> {
        self.cs.get(i).map(|&(_, c)| c)
    }

    /// Whether the text at character `i` starts with `word`.
    fn at(&self, i: usize, word: &str) -> bool {
        i < self.cs.len() && self.text[self.byte(i)..].starts_with(word)
    }

    /// The longest of `words` the text at character `i` starts with, in characters.
    /// `words` is a list separated by `|`.
    fn which(&self, i: usize, words: &str) -> Option<usize> {
        words
            .split('|')
            .filter(|w| self.at(i, w))
            .map(|w| w.chars().count())
            .max()
    }

    /// The characters `s..e` as a string.
    fn slice(&self, s: usize, e: usize) -> &str {
        &self.text[self.byte(s)..self.byte(e)]
    }

    /// The end of the run of characters from `i` that satisfy `f`, at most `max` long.
    fn run(&self, i: usize, max: usize, f: impl Fn(char) -> bool) -> usize {
        let mut e = i;
        while e < self.cs.len() && e - i < max && f(self.cs[e].1) {
            e += 1;
        }
        e
    }

    /// Skips spaces (ASCII, no-break and ideographic) from `i`.
    fn skip_spaces(&self, mut i: usize) -> usize {
        while self.char(i).is_some_and(is_space) {
            i += 1;
        }
        i
    }
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{3000}' | '\t')
}

fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0620}'..='\u{064A}' | '\u{066E}'..='\u{06D3}' | '\u{06FA}'..='\u{06FF}' | '\u{0750}'..='\u{077F}')
}

fn is_hebrew(c: char) -> bool {
    ('\u{05D0}'..='\u{05EA}').contains(&c)
}

fn is_devanagari(c: char) -> bool {
    ('\u{0900}'..='\u{0963}').contains(&c) || ('\u{0971}'..='\u{097F}').contains(&c)
}

fn is_thai(c: char) -> bool {
    ('\u{0E01}'..='\u{0E4E}').contains(&c)
}

/// A letter of a script whose words are separated by spaces (for [`titled_at`]), with the
/// marks and joiners inside its words.
fn word_char(c: char) -> bool {
    is_arabic(c)
        || is_hebrew(c)
        || is_devanagari(c)
        || is_thai(c)
        || matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{05B0}'..='\u{05C7}' | '\u{0964}'..='\u{0970}' | '\u{200C}' | '\u{200D}' | '\'' | '׳' | '"' | '״')
            && !matches!(c, '\u{0964}' | '\u{0965}')
}

/// A letter (or a mark or joiner inside a word) of any caseless script written with spaces
/// between words: those of [`word_char`] and the other Indic scripts, Sinhala, Lao, Myanmar,
/// Georgian, Ethiopic, Khmer, Mongolian and Tifinagh.
fn person_word_char(c: char) -> bool {
    word_char(c)
        || spaced_script(c).is_some_and(|i| !SPACED_SCRIPTS[i].2 || i == ARMENIAN)
            && !c.is_numeric()
            && !script_punctuation(c)
}

/// Armenian's place in [`SPACED_SCRIPTS`]: a script with capitals, but no gazetteer.
const ARMENIAN: usize = 3;

// ---- Listed names: Faker's given names and surnames ------------------------------------------

/// Given names and surnames in scripts the gazetteer cannot look up (`data/gazetteer/
/// script_names.tsv`, from Faker's person providers for 20 locales; a fifth of the names is
/// held out in `tests/corpus/heldout_script_names.tsv`).
static SCRIPT_NAMES: &str = include_str!("../../../data/gazetteer/script_names.tsv");

const GIVEN: u8 = 1;
const SURNAME: u8 = 2;
/// The name is also an everyday word of its language (`שלום`, `حياة`).
const COMMON: u8 = 4;

/// The roles (`GIVEN`, `SURNAME`) the list gives `name`.
fn listed(name: &str) -> u8 {
    static MAP: std::sync::OnceLock<std::collections::HashMap<String, u8>> =
        std::sync::OnceLock::new();
    let map = MAP.get_or_init(|| {
        let mut map = std::collections::HashMap::new();
        for l in SCRIPT_NAMES.lines().filter(|l| !l.starts_with('#')) {
            let mut cols = l.split('\t');
            let (Some(name), Some(roles)) = (cols.next(), cols.next()) else {
                continue;
            };
            let bits = roles.bytes().fold(0, |b, r| match r {
                b'g' => b | GIVEN,
                b's' => b | SURNAME,
                b'c' => b | COMMON,
                _ => b,
            });
            *map.entry(fold_arabic(name).into_owned()).or_insert(0) |= bits;
        }
        map
    });
    map.get(fold_arabic(name).as_ref()).copied().unwrap_or(0)
}

/// Arabic-script spellings that vary between writers, folded to one: hamza seats on alef
/// (`أ إ آ` → `ا`), `ة` → `ه`, `ى` → `ي`, Persian `ی ک` → `ي ك`, short vowels and shadda
/// dropped. Other scripts are returned as they are, without a copy.
fn fold_arabic(name: &str) -> std::borrow::Cow<'_, str> {
    if !name.chars().any(is_arabic) {
        return std::borrow::Cow::Borrowed(name);
    }
    name.chars()
        .filter(|c| !matches!(c, '\u{064B}'..='\u{0652}' | '\u{0670}'))
        .map(|c| match c {
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ة' => 'ه',
            'ى' | 'ی' => 'ي',
            'ک' => 'ك',
            c => c,
        })
        .collect::<String>()
        .into()
}

/// Words as listed: spaced-script words joined by single spaces.
fn joined(words: &[&str]) -> String {
    words.join(" ")
}

/// The whole text (trimmed) is a listed full name: in a spaced script a given name and a
/// surname (in either order, a listed middle name between), one to three words each; in
/// Han, kana or Hangul a surname (the list's, or the common ones above) and a listed given
/// name, with or without a space. Returns its byte range.
pub(crate) fn listed_full_name(text: &str) -> Option<(usize, usize)> {
    let name = text.trim();
    let start = text.len() - text.trim_start().len();
    let range = Some((start, start + name.len()));
    let chars = name.chars().count();
    if !(2..=60).contains(&chars) || !name.chars().any(|c| c.is_alphabetic()) {
        return None;
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.iter().all(|w| w.chars().all(person_word_char)) && words.len() >= 2 {
        if words.len() > 6 {
            return None;
        }
        // Both parts listed is telling enough, everyday words as they may be (`שירה` is poetry
        // and a given name, `शर्मा` a surname common in any Hindi text).
        for k in 1..words.len() {
            let (a, b) = (joined(&words[..k]), joined(&words[k..]));
            let (ra, rb) = (listed(&a), listed(&b));
            if (ra & GIVEN != 0 && rb & SURNAME != 0) || (ra & SURNAME != 0 && rb & GIVEN != 0) {
                return range;
            }
        }
        // A given name, middle names (each listed) and a surname.
        let (first, last) = (listed(words[0]), listed(words[words.len() - 1]));
        if words.len() >= 3
            && first & GIVEN != 0
            && last & SURNAME != 0
            && words[1..words.len() - 1].iter().all(|w| listed(w) != 0)
        {
            return range;
        }
        return None;
    }
    // Han and Hangul: three characters at least (`王伟`, `高强` are names and words alike) and a
    // given name that is not an everyday word.
    let cjk = |c: char| is_han(c) || is_kana(c) || is_hangul(c);
    if !(3..=8).contains(&chars) || !name.chars().all(|c| cjk(c) || is_space(c)) || words.len() > 2
    {
        return None;
    }
    let cs: Vec<(usize, char)> = name.char_indices().collect();
    let t = Text {
        text: name,
        cs: &cs,
    };
    // The common surnames the text starts with, in characters (asked once, not per split).
    let (cn, ja, ko) = (cn_surname(&t, 0), ja_surname(&t, 0), ko_surname(&t, 0));
    let compact: String = name.chars().filter(|c| !is_space(*c)).collect();
    for (i, _) in compact.char_indices().skip(1) {
        let (surname, given) = compact.split_at(i);
        let n = Some(surname.chars().count());
        let known_surname = listed(surname) & SURNAME != 0
            || (surname.chars().all(is_han) && cn == n)
            || ja == n
            || (surname.chars().all(is_hangul) && ko == n);
        let roles = listed(given);
        if known_surname && roles & GIVEN != 0 && roles & COMMON == 0 {
            return range;
        }
    }
    None
}

/// A property key that is a person's name in a caseless spaced script (`{"نورة العتيبي":
/// "مؤكد"}`): two to four words of one such script, one of them (or a run of them) a listed
/// given name or surname that is not also an everyday word. A field's name is not a person's,
/// so one listed part is enough here, where a value needs both ([`listed_full_name`]).
/// Returns the key's byte range.
pub(crate) fn name_as_key(key: &str) -> Option<(usize, usize)> {
    if let Some(found) = listed_full_name(key) {
        return Some(found);
    }
    let name = key.trim();
    let words: Vec<&str> = name
        .split(|c: char| is_space(c) || c == '_')
        .filter(|w| !w.is_empty())
        .collect();
    if !(2..=4).contains(&words.len()) {
        return None;
    }
    let script = spaced_script(words[0].chars().next()?)?;
    let same = |w: &&str| {
        w.chars()
            .all(|c| person_word_char(c) && spaced_script(c).is_none_or(|s| s == script))
    };
    if (SPACED_SCRIPTS[script].2 && script != ARMENIAN) || !words.iter().all(same) {
        return None;
    }
    let listed_part = (0..words.len()).any(|i| {
        (i + 1..=words.len()).any(|j| {
            let roles = listed(&joined(&words[i..j]));
            roles != 0 && roles & COMMON == 0
        })
    });
    let start = key.len() - key.trim_start().len();
    listed_part.then_some((start, start + name.len()))
}

/// A listed given name followed by a listed surname in running text of a spaced script
/// (`… ஒப்படைக்க கவிதா ராமசாமி வருவார்`); both words must be listed, in that order.
fn listed_pairs(text: &str, out: &mut Vec<Finding>) {
    let mut prev: Option<(usize, &str)> = None;
    let mut rest = text;
    let mut offset = 0;
    while let Some(s) = rest.find(person_word_char) {
        let len = rest[s..]
            .find(|c: char| !person_word_char(c))
            .unwrap_or(rest.len() - s);
        let (ws, word) = (offset + s, &rest[s..s + len]);
        let between = &text[prev.map_or(0, |(p, w)| p + w.len())..ws];
        if let Some((ps, pw)) = prev
            && between.chars().all(is_space)
            && !between.is_empty()
            && let (given, surname) = (listed(pw), listed(word))
            && given & GIVEN != 0
            && surname & SURNAME != 0
        {
            out.push(finding(ps, ws + word.len(), Evidence::Gazetteer));
        }
        prev = Some((ws, word));
        offset = ws + len;
        rest = &text[offset..];
    }
}

// ---- A name field in the value's own script --------------------------------------------------

/// The Unicode block ranges of the scripts written with spaces between words that have no
/// name lists here, as `(first, last, cased)`: a letter's script is its range.
const SPACED_SCRIPTS: &[(char, char, bool)] = &[
    ('\u{0370}', '\u{03FF}', true),  // Greek
    ('\u{1F00}', '\u{1FFF}', true),  // Greek extended
    ('\u{0400}', '\u{052F}', true),  // Cyrillic
    ('\u{0530}', '\u{058F}', true),  // Armenian
    ('\u{0590}', '\u{05FF}', false), // Hebrew
    ('\u{0600}', '\u{06FF}', false), // Arabic, Persian, Urdu, Pashto
    ('\u{0750}', '\u{077F}', false), // Arabic supplement
    ('\u{0900}', '\u{097F}', false), // Devanagari
    ('\u{0980}', '\u{09FF}', false), // Bengali
    ('\u{0A00}', '\u{0A7F}', false), // Gurmukhi
    ('\u{0A80}', '\u{0AFF}', false), // Gujarati
    ('\u{0B00}', '\u{0B7F}', false), // Oriya
    ('\u{0B80}', '\u{0BFF}', false), // Tamil
    ('\u{0C00}', '\u{0C7F}', false), // Telugu
    ('\u{0C80}', '\u{0CFF}', false), // Kannada
    ('\u{0D00}', '\u{0D7F}', false), // Malayalam
    ('\u{0D80}', '\u{0DFF}', false), // Sinhala
    ('\u{0E00}', '\u{0E7F}', false), // Thai
    ('\u{0E80}', '\u{0EFF}', false), // Lao
    ('\u{1000}', '\u{109F}', false), // Myanmar
    ('\u{10A0}', '\u{10FF}', false), // Georgian
    ('\u{1200}', '\u{139F}', false), // Ethiopic
    ('\u{1780}', '\u{17FF}', false), // Khmer
    ('\u{1800}', '\u{18AF}', false), // Mongolian
    ('\u{2D30}', '\u{2D7F}', false), // Tifinagh
];

/// The script range of `c`, if it is one of [`SPACED_SCRIPTS`].
fn spaced_script(c: char) -> Option<usize> {
    SPACED_SCRIPTS
        .iter()
        .position(|&(first, last, _)| (first..=last).contains(&c))
}

/// Punctuation inside those ranges, which ends a name.
fn script_punctuation(c: char) -> bool {
    matches!(
        c,
        '\u{037E}' | '\u{0387}' | '\u{055A}'..='\u{055F}' | '\u{0589}' | '\u{05BE}' | '\u{05C0}'
            | '\u{05C3}' | '\u{05C6}' | '\u{060C}' | '\u{061B}' | '\u{061F}' | '\u{066A}'..='\u{066D}'
            | '\u{06D4}' | '\u{0964}' | '\u{0965}' | '\u{0970}' | '\u{0E2F}' | '\u{0E46}' | '\u{0E4F}'
            | '\u{0E5A}' | '\u{0E5B}' | '\u{104A}'..='\u{104F}' | '\u{10FB}' | '\u{1360}'..='\u{1368}'
            | '\u{17D4}'..='\u{17DA}' | '\u{1800}'..='\u{180A}'
    )
}

/// Under a key of the name class written in the value's own script (`الاسم`, `নাম`, `ΟΝΟΜΑ`,
/// `անուն`, `სახელი`, `ስም`), a value of one to five words of that script, and nothing else,
/// is a name: a form field of an app in that language. In a script with capitals (Greek,
/// Cyrillic, Armenian) every word must start with one. Returns the name's byte range.
pub(crate) fn name_in_key_script(text: &str, key: &str) -> Option<(usize, usize)> {
    let start = text.len() - text.trim_start().len();
    let name = text.trim();
    let script = spaced_script(name.chars().next()?)?;
    if !key.chars().any(|c| spaced_script(c) == Some(script))
        || !(2..=60).contains(&name.chars().count())
        || name.split_whitespace().count() > 5
    {
        return None;
    }
    let cased = SPACED_SCRIPTS[script].2;
    let letters = |w: &str| {
        w.chars().all(|c| {
            (spaced_script(c) == Some(script) && !c.is_numeric() && !script_punctuation(c))
                || matches!(c, '\u{200C}' | '\u{200D}' | '-' | '\'' | '’' | '.')
        }) && (!cased || w.chars().next().is_some_and(char::is_uppercase))
    };
    name.split_whitespace()
        .all(letters)
        .then_some((start, start + name.len()))
}

// ---- Chinese and Japanese -------------------------------------------------------------------

/// The most common Chinese surnames (about 90% of people): the 2020 report's first hundred and
/// the next most frequent, in simplified and traditional forms.
const CN_SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩邓冯曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付傅方邹熊白孟秦邱侯江尹薛闫阎段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文施洪辛柳牛温芦卢季俞章鲁葛伍申尤毕聂焦颜齐倪殷庞翟祝耿邢郁柴岳蓝单欧纪舒包甘游詹关凌卓霍项路鲍滕宁苗安蒙樊凤裴靳谷涂左童符萧穆解陳黃張劉楊趙吳孫馬鄭謝許韓鄧馮葉蔣蘇呂盧鍾陸譚賈韋鄒閻龍賀顧龔錢嚴湯喬賴溫蘆魯聶顏齊龐藍單歐紀關鮑寧鳳羅蕭";

/// Chinese compound surnames.
const CN_COMPOUND: &str = "欧阳|歐陽|司马|司馬|上官|诸葛|諸葛|东方|東方|皇甫|尉迟|尉遲|公孙|公孫|慕容|长孙|長孫|宇文|司徒|夏侯|令狐|端木|西门\
    |西門";

/// Common Japanese surnames.
const JA_SURNAMES: &str = "佐藤|鈴木|高橋|田中|伊藤|渡辺|渡邊|渡邉|山本|中村|小林|加藤|吉田|山田|佐々木|山口|松本|井上|木村|林|斎藤|斉藤|清水\
    |山崎|森|池田|橋本|阿部|石川|山下|中島|石井|小川|前田|岡田|長谷川|藤田|後藤|近藤|村上|遠藤|青木|坂本|福田|太田|西村\
    |藤井|金子|岡本|藤原|中野|三浦|原田|中川|松田|竹内|小野|田村|中山|和田|石田|森田|上田|原|内田|柴田|酒井|宮崎|横山\
    |高木|安藤|宮本|大野|小島|谷口|今井|工藤|高田|増田|丸山|杉山|村田|大塚|新井|小山|平野|藤本|河野|上野|野口|武田|松井\
    |千葉|岩崎|菅原|木下|久保|佐野|野村|松尾|菊地|杉本|市川|古川|大西|島田|水野|桜井|高野|渡部|吉川|山内|西田|飯田|菊池\
    |西川|小松|北村|安田|五十嵐|川口|平田|関|中田|久保田|服部|東|岩田|土屋|川崎|福島|本田|辻|樋口|秋山|田口|永井|山中\
    |中西|吉村|川上|石原|大橋|松岡|馬場|浜田|森本|星野|矢野|浅野|大久保|松下|吉井|小池|野田|荒木|大谷|内藤|松浦|熊谷|黒田\
    |尾崎|永田|川村|望月|田辺|松村|荒井|堀|大石|中尾|藤川|片山|堤|松原|早川|北川|中井|岡|小西|宮田|大島|小澤|小沢|松永\
    |坂口|岩本|奥村|西山|広瀬|廣瀬|須藤|谷|泉|宮下|松山|大川|竹田|榎本|吉岡|富田|福井|上原|小田|平井|根本|杉浦|村井|堀内\
    |宇野|桑原|大山|山岸|沢田|澤田|北野|栗原|西尾";

/// Honorifics written after a Chinese name (simplified and traditional) or a Japanese one.
const CN_HONORIFICS: &str = "先生|女士|小姐|太太|老师|老師|医生|醫生|教授|律师|律師";
const JA_HONORIFICS: &str = "様|さま|さん|くん|君|ちゃん|氏|殿|先生";

/// Labels followed by a person's name (Chinese and Japanese).
const HAN_LABELS: &str = "姓名|联系人|聯繫人|聯絡人|收件人|收货人|收貨人|收款人|寄件人|患者|病人|申请人|申請人|持卡人|乘客|负责人|負責人|经办人\
    |經辦人|签名|簽名|户主|戶主|客户|客戶|顾客|顧客|会员|會員|氏名|お名前|名前|担当者|担当|宛名|受取人|送り主|依頼者|契約者\
    |名義人";

/// Introductions followed by a name (Chinese), and the phrases a Japanese name is followed by
/// when its bearer introduces themself.
const CN_INTROS: &str = "我叫|名叫|叫做|我是|本人";
const JA_INTRO_AFTER: &str = "と申します|ともうします|といいます|と言います|です|でございます";

/// Chinese: the surname starting at character `i` (a compound one first), in characters.
fn cn_surname(t: &Text, i: usize) -> Option<usize> {
    if CN_COMPOUND.split('|').any(|s| t.at(i, s)) {
        return Some(2);
    }
    t.char(i).filter(|&c| CN_SURNAMES.contains(c)).map(|_| 1)
}

/// Japanese: the longest common surname starting at character `i`, in characters.
fn ja_surname(t: &Text, i: usize) -> Option<usize> {
    JA_SURNAMES
        .split('|')
        .filter(|s| t.at(i, s))
        .map(|s| s.chars().count())
        .max()
}

/// A name ending right before the honorific at character `h`: the best split of the Han run
/// before it into a known surname (the longest) and a given name of at most `max_given`
/// characters, or a Japanese surname and a given name after a space.
fn name_before(t: &Text, h: usize, ja: bool, cn: bool) -> Option<(usize, usize)> {
    let mut start = h;
    while start > 0 && t.char(start - 1).is_some_and(is_han) && h - start < 6 {
        start -= 1;
    }
    // `请联系王伟先生`, `感谢周老师`: the words before a name are tried without first.
    let mut from = start;
    while let Some(n) = t.which(from, LEADS)
        && from + n < h
    {
        from += n;
    }
    if from > start
        && let Some(found) = split_before(t, from, h, ja, cn)
    {
        return Some(found);
    }
    if let Some(found) = split_before(t, start, h, ja, cn) {
        return Some(found);
    }
    // `山田 太郎様`: a given name after a space, a surname before it.
    if ja && start < h && start >= 2 && t.char(start - 1).is_some_and(is_space) {
        let end = start - 1;
        let mut s = end;
        while s > 0 && t.char(s - 1).is_some_and(is_han) && end - s < 3 {
            s -= 1;
        }
        if s < end && ja_surname(t, s) == Some(end - s) {
            return Some((s, h));
        }
    }
    None
}

/// Verbs and particles a Chinese name often follows in the same run of characters.
const LEADS: &str =
    "感谢|謝謝|谢谢|感謝|联系|聯繫|请|請|致|给|給|和|与|與|跟|向|找|问|問|及|由|被|让|讓|对|對|的";

/// The best split of the characters `start..h` into a known surname (the longest one) and a
/// given name short enough for it.
fn split_before(t: &Text, start: usize, h: usize, ja: bool, cn: bool) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None; // (start, surname length)
    for s in start..h {
        let len = h - s;
        let mut consider = |surname: Option<usize>, max_given: usize| {
            if let Some(n) = surname
                && len >= n
                && len - n <= max_given
                && best.is_none_or(|(_, m)| n > m)
            {
                best = Some((s, n));
            }
        };
        if cn {
            consider(cn_surname(t, s), 2);
        }
        if ja {
            consider(ja_surname(t, s), 3);
        }
    }
    best.map(|(s, _)| (s, h))
}

/// Honorifics and introductions at character `i`.
fn han_honorific(t: &Text, i: usize, out: &mut Vec<Finding>) {
    let cn = CN_HONORIFICS.split('|').any(|h| t.at(i, h));
    let ja = JA_HONORIFICS.split('|').any(|h| t.at(i, h));
    if cn || ja {
        // `先生` follows both Chinese and Japanese names.
        let both = t.at(i, "先生");
        if let Some((s, e)) = name_before(t, i, ja, cn || both) {
            out.push(finding(t.byte(s), t.byte(e), Evidence::Title));
        }
    }
    if JA_INTRO_AFTER.split('|').any(|p| t.at(i, p))
        && let Some((s, e)) = name_before(t, i, true, false)
    {
        out.push(finding(t.byte(s), t.byte(e), Evidence::Cue));
    }
    if let Some(n) = t.which(i, CN_INTROS) {
        let s = i + n;
        if let Some(sn) = cn_surname(t, s) {
            let e = t.run(s + sn, 2, is_han);
            if e > s + sn {
                out.push(finding(t.byte(s), t.byte(e), Evidence::Cue));
            }
        }
    }
}

/// After a label at character `i`: with a colon whatever name follows; without one, a name
/// starting with a known surname.
fn han_label(t: &Text, i: usize, out: &mut Vec<Finding>) {
    let Some(n) = t.which(i, HAN_LABELS) else {
        return;
    };
    // A label inside a longer word (`客户端`, `会员卡`) is no label: the name is right after
    // it or after its separator.
    let mut j = t.skip_spaces(i + n);
    let colon = matches!(t.char(j), Some(':' | '：'));
    if colon {
        j = t.skip_spaces(j + 1);
    } else if let Some(k) = t.which(j, "是|为|為|は") {
        j += k;
    }
    if colon {
        // The value after a colon is the name: a Han or kana run (with one space inside, as
        // in `山田 太郎`).
        let e = t.run(j, 6, |c| is_han(c) || is_kana(c));
        if e > j {
            let mut end = e;
            // `山田 太郎`: a Japanese surname, a space and the given name.
            if t.char(e).is_some_and(is_space) && ja_surname(t, j) == Some(e - j) {
                let e2 = t.run(e + 1, 4, |c| is_han(c) || is_kana(c));
                if e2 > e + 1 {
                    end = e2;
                }
            }
            out.push(finding(t.byte(j), t.byte(end), Evidence::Cue));
        }
        return;
    }
    // Without a colon only a role that is always a person (`收件人`, `联系人`, not `客户` or
    // `患者`: `客户关系管理`, `患者安全`), then a known surname and a given name that ends
    // where the Han run does (`收件人刘德华，`).
    if !ROLE_LABELS.split('|').any(|l| t.at(i, l)) {
        return;
    }
    let (s, sn) = match (cn_surname(t, j), ja_surname(t, j)) {
        (_, Some(n)) => (j, n),
        (Some(n), None) if !matches!(t.char(j), Some('于' | '万')) => (j, n),
        _ => return,
    };
    let e = t.run(s + sn, 3, is_han);
    if (e > s + sn || sn >= 2) && e - (s + sn) <= 2 {
        out.push(finding(t.byte(s), t.byte(e), Evidence::Cue));
    }
}

/// The labels of [`HAN_LABELS`] that name a person in a role and may come without a colon.
const ROLE_LABELS: &str = "收件人|收货人|收貨人|收款人|寄件人|联系人|聯繫人|聯絡人|申请人|申請人|持卡人\
    |负责人|負責人|经办人|經辦人|受取人";

// ---- Korean ---------------------------------------------------------------------------------

/// The most common Korean surnames (Statistics Korea, 2015 census), two-syllable ones first.
const KO_COMPOUND: &str = "남궁|황보|제갈|사공|선우|서문|독고|동방";
const KO_SURNAMES: &str = "김이박최정강조윤장임한오서신권황안송전홍유고문양손배백허남심노하곽성차주우구민류나진지엄채원천방공현함변염여추도소석선설마길연위표명기반라왕금옥육인맹제모탁국어은편용예경봉";

/// Honorific words after a Korean name, with a space between.
const KO_TITLES: &str = "고객님|회원님|선생님|교수님|대표님|과장님|부장님|팀장님|사장님|원장님|변호사님|환자분|환자|님|씨|군|양";

/// Words of three syllables before `님`/`씨` that are roles, not names.
const KO_ROLES: &str = "이용자|사용자|관리자|작성자|판매자|구매자|신청자|주문자|담당자|운영자|개발자|보호자|수신자|발신자|예약자|참가자|지원자\
    |문의자|후원자|기부자|시청자|구독자|고객사|선생|대표자|소비자|가입자|수강생|학부모";

/// Labels followed by a Korean name.
const KO_LABELS: &str = "이름|성명|고객명|수신자|수령인|받는 사람|받는분|받는 분|보호자|환자명|담당자|예약자|신청자|주문자|보내는 사람|발신자\
    |예금주|작성자";

/// Endings of `저는 김민준입니다` (I am …).
const KO_COPULAS: &str = "입니다|이에요|예요|이고|라고|이라고";

fn ko_surname(t: &Text, i: usize) -> Option<usize> {
    if KO_COMPOUND.split('|').any(|s| t.at(i, s)) {
        return Some(2);
    }
    t.char(i).filter(|&c| KO_SURNAMES.contains(c)).map(|_| 1)
}

/// A Korean name of `len` syllables at `s`: a surname and a given name of one or two
/// syllables, not a role word.
fn ko_name(t: &Text, s: usize, len: usize) -> bool {
    ko_surname(t, s).is_some_and(|n| len > n && len - n <= 2)
        && !KO_ROLES.split('|').any(|r| t.slice(s, s + len) == r)
}

/// Korean rules at character `i`, the start of a Hangul word or a label.
fn hangul_at(t: &Text, i: usize, out: &mut Vec<Finding>) {
    // Labels and names start words: the rest of a word is not looked at again.
    if i > 0 && t.char(i - 1).is_some_and(is_hangul) {
        return;
    }
    if let Some(n) = t.which(i, KO_LABELS) {
        let mut j = t.skip_spaces(i + n);
        let colon = matches!(t.char(j), Some(':' | '：'));
        if colon {
            j = t.skip_spaces(j + 1);
        } else if let Some(k) = t.which(j, "은 |는 ") {
            j += k;
        }
        let e = t.run(j, 5, is_hangul);
        let len = e - j;
        if len >= 2 && (colon || ko_name(t, j, len.min(3))) {
            let end = if colon { e } else { j + len.min(3) };
            out.push(finding(t.byte(j), t.byte(end), Evidence::Cue));
            return;
        }
    }
    let e = t.run(i, 8, is_hangul);
    // `김민준님`, `김민준님께서`, `김씨`, `박지훈씨가`: the honorific inside the word.
    for k in i + 1..e {
        let stem = k - i;
        let ok = match t.char(k) {
            Some('님') => (3..=4).contains(&stem),
            Some('씨') => stem == 1 || (3..=4).contains(&stem),
            _ => false,
        };
        if ok && (stem == 1 && ko_surname(t, i) == Some(1) || stem > 1 && ko_name(t, i, stem)) {
            out.push(finding(t.byte(i), t.byte(k), Evidence::Title));
            return;
        }
    }
    // `이서연 고객님`: a title word after a space. A full name (three syllables, four with a
    // compound surname), not a word in its attributive form (`소중한 고객님`, `신규 회원님`).
    let len = e - i;
    if (3..=4).contains(&len)
        && t.char(e).is_some_and(is_space)
        && !t
            .char(e - 1)
            .is_some_and(|c| "한는던할된의를을에운로".contains(c))
    {
        let next = t.skip_spaces(e);
        if KO_TITLES.split('|').any(|w| {
            t.at(next, w)
                && !t
                    .char(next + w.chars().count())
                    .is_some_and(|c| is_hangul(c) && !"께이가은는을를의에".contains(c))
        }) && ko_name(t, i, len)
        {
            out.push(finding(t.byte(i), t.byte(e), Evidence::Title));
            return;
        }
    }
    // `저는 김민준입니다`, `제 이름은 김민준이에요`, and after a greeting, `안녕하세요, 조도윤입니다`.
    let before = t.text[..t.byte(i)].trim_end();
    let introduced = before.ends_with("저는") || before.ends_with("이름은");
    let greeted = !introduced
        && KO_GREETINGS.split('|').any(|g| {
            before
                .trim_end_matches([',', '.', '!', '~', '，', '。', '！', ' '])
                .ends_with(g)
        });
    if !(introduced || greeted) {
        return;
    }
    for k in i + 2..e {
        if KO_COPULAS.split('|').any(|c| t.at(k, c)) && ko_name(t, i, k - i) {
            // After a greeting, what introduces itself is often a team or a role (`배송팀입니다`,
            // `상담원입니다`): a full name of three syllables, not ending as a unit's name does.
            if greeted
                && (!(k - i == 3 || k - i == 4 && ko_surname(t, i) == Some(2))
                    || t.char(k - 1).is_some_and(|c| KO_UNIT_ENDS.contains(c))
                    || KO_NOT_SELF.split('|').any(|w| t.slice(i, k) == w))
            {
                return;
            }
            out.push(finding(t.byte(i), t.byte(k), Evidence::Cue));
            return;
        }
    }
}

/// Greetings before a self-introduction (`안녕하세요, 조도윤입니다`).
const KO_GREETINGS: &str = "안녕하세요|안녕하십니까|안녕|반갑습니다|반가워요|처음 뵙겠습니다";

/// Last syllables of the names of teams, offices and shops (`배송팀`, `고객센터`, `강남점`).
const KO_UNIT_ENDS: &str = "팀부과실점사소청국처단회관측";

/// Roles that introduce themselves after a greeting and start like a name (`상담원입니다`).
const KO_NOT_SELF: &str =
    "상담원|직원|사원|회원|기사님|관리인|안내원|도우미|매니저|선생님|고객님|운영진|제작진";

// ---- Arabic, Persian, Hebrew, Devanagari, Thai -----------------------------------------------

/// Titles, greetings and introductions before a name, each followed by a space (in this
/// order: Arabic, Persian and Urdu, Hebrew, Devanagari, Thai).
const TITLES: &str = "السيد|السيدة|الآنسة|الأستاذ|الأستاذة|الاستاذ|الاستاذة|الدكتور|الدكتورة\
    |د.|المهندس|المهندسة|الشيخ|الحاج|الحاجة|المريض|المريضة|عزيزي|عزيزتي\
    |الأخ|الأخت|اسمي|أنا اسمي|السيد/|آقای|خانم|دکتر|مهندس|جناب|محترمہ\
    |ڈاکٹر|اسم من|מר|גב'|גב׳|גברת|ד\"ר|ד״ר|דוקטור|פרופ'|פרופ׳|פרופסור\
    |עו\"ד|עו״ד|הרב|לכבוד|שמי|קוראים לי|श्री|श्रीमती|सुश्री|कुमारी|डॉ.|डा.\
    |मेरा नाम|นางสาว|คุณ";

/// Labels before a name, followed by a colon.
const LABELS: &str = "الاسم الكامل|الاسم|اسم العميل|اسم المريض|نام و نام خانوادگی|نام|שם מלא\
    |שם הלקוח|שם המטופל|שם|नाम|ชื่อ-นามสกุล|ชื่อ";

/// Words that end a name after a title: prepositions, conjunctions, pronouns, common verbs,
/// politeness particles (Arabic, Persian, Hebrew, Hindi, Thai), and the words for customer, user
/// and guest that follow `Dear` in mailings (`عزيزي العميل`, `לקוח יקר`).
const STOP_WORDS: &str = "في|من|إلى|الى|على|عن|مع|أو|ثم|قد|لقد|هو|هي|هذا|هذه|التي|الذي|كان|كانت\
    |يريد|تريد|تم|لم|لن|إن|أن|ان|قال|قالت|شكرا|شكراً|يرجى|از|به|با|در|که\
    |را|و|است|بود|של|את|עם|על|אל|כי|גם|הוא|היא|זה|זאת|אמר|אמרה|רוצה|שלום\
    |תודה|רב|है|हैं|था|थी|ने|को|से|का|की|के|और|में|जी|ครับ|ค่ะ|คะ|นะ|ที่\
    |ได้|จะ|และ|العميل|العملاء|عميلنا|المستخدم|الزبون|الزبائن|المشترك|المشتركين|الضيف|الزائر\
    |محترم|گرامی|مشتری|کاربر|ها|الرئيس|الوزير|المدير|הלקוח|לקוח|לקוחות|יקר|יקרה|ग्राहक|उपयोगकर्ता|ลูกค้า";

/// Thai words that start with `คุณ` and are not a title before a name.
const THAI_NOT_TITLE: &str = "คุณภาพ|คุณสมบัติ|คุณค่า|คุณประโยชน์|คุณธรรม|คุณลักษณะ|คุณวุฒิ|คุณูปการ";

/// The end of the word starting at `i`.
fn word_end(t: &Text, i: usize) -> usize {
    t.run(i, 40, word_char)
}

/// Up to `max` words from `i` that can be a name: stopped by punctuation, a digit, a stop word
/// or another script. Arabic connectors (`بن`, `عبد`, `أبو`, `آل`…) do not count.
fn name_words(t: &Text, i: usize, max: usize) -> Option<(usize, usize)> {
    let mut j = i;
    let mut end = i;
    let mut words = 0;
    while words < max {
        let e = word_end(t, j);
        if e == j {
            break;
        }
        let w = t.slice(j, e);
        if STOP_WORDS.split('|').any(|s| s == w) || TITLES.split('|').any(|s| s == w) {
            break;
        }
        end = e;
        if !matches!(
            w,
            "بن" | "بنت"
                | "ابن"
                | "أبو"
                | "ابو"
                | "أم"
                | "عبد"
                | "آل"
                | "بن."
                | "בן"
                | "בת"
        ) {
            words += 1;
        }
        let next = t.skip_spaces(e);
        if next == e || !t.char(next).is_some_and(word_char) {
            break;
        }
        j = next;
    }
    (end > i).then_some((i, end))
}

/// Titles and labels at character `i`, the start of a word.
fn titled_at(t: &Text, i: usize, out: &mut Vec<Finding>) {
    if i > 0 && t.char(i - 1).is_some_and(word_char) {
        return;
    }
    // A label with a colon: up to four words after it.
    if let Some(n) = t.which(i, LABELS) {
        let j = t.skip_spaces(i + n);
        if matches!(t.char(j), Some(':' | '：' | '؛')) {
            let s = t.skip_spaces(j + 1);
            if let Some((s, e)) = name_words(t, s, 4) {
                out.push(finding(t.byte(s), t.byte(e), Evidence::Cue));
            }
            return;
        }
    }
    let Some(n) = t.which(i, TITLES) else {
        return;
    };
    let after = i + n;
    // Thai writes `นางสาว` (Miss) against the name; `คุณ` is also "you", so only a space
    // after it marks a title. Every other title is a word of its own.
    let s = if t.char(i).is_some_and(is_thai) {
        if THAI_NOT_TITLE.split('|').any(|w| t.at(i, w)) {
            return;
        }
        if t.char(after).is_some_and(is_space) {
            t.skip_spaces(after)
        } else if t.at(i, "นางสาว") {
            after
        } else {
            return;
        }
    } else {
        if !t.char(after).is_some_and(is_space) && !t.slice(i, after).ends_with(['.', '/']) {
            return;
        }
        t.skip_spaces(after)
    };
    // Two words (given name and surname; three for the Arabic chain of names).
    let max = if t.char(i).is_some_and(is_arabic) {
        3
    } else {
        2
    };
    if let Some((s, e)) = name_words(t, s, max) {
        out.push(finding(t.byte(s), t.byte(e), Evidence::Title));
    }
}

// ---- The whole value ------------------------------------------------------------------------

/// The name a whole value is, under a key for a person: Chinese (a surname and one or two
/// characters), Japanese (a surname, an optional space, a given name) or Korean (a surname and
/// one or two syllables, with an optional space after the surname); with `words`, also one to
/// four words of Arabic, Hebrew, Devanagari or Thai letters.
fn whole_value(t: &Text, words: bool) -> Option<(usize, usize)> {
    let mut s = 0;
    while t.char(s).is_some_and(|c| c.is_whitespace()) {
        s += 1;
    }
    let mut e = t.cs.len();
    while e > s && t.char(e - 1).is_some_and(|c| c.is_whitespace()) {
        e -= 1;
    }
    let len = e - s;
    let all = |f: &dyn Fn(char) -> bool| (s..e).all(|i| t.char(i).is_some_and(f));
    if words
        && (2..=60).contains(&len)
        && t.char(s).is_some_and(person_word_char)
        && all(&|c| person_word_char(c) || is_space(c))
        && t.slice(s, e).split_whitespace().count() <= 4
    {
        return Some((s, e));
    }
    if !(2..=7).contains(&len) {
        return None;
    }
    if all(&|c| is_han(c) || is_kana(c) || is_space(c)) {
        // A one-character surname (`林`, `森`, `原`) only with a space after it: `林業`,
        // `森林浴` and `原材料` are words.
        if let Some(n) = ja_surname(t, s) {
            let rest = t.skip_spaces(s + n);
            if rest < e
                && (n >= 2 || rest > s + n)
                && e - rest <= 4
                && (rest..e).all(|i| !t.char(i).is_some_and(is_space))
            {
                return Some((s, e));
            }
        }
        if all(&is_han)
            && let Some(n) = cn_surname(t, s)
            && len > n
            && len - n <= 2
        {
            return Some((s, e));
        }
        return None;
    }
    if all(&|c| is_hangul(c) || is_space(c)) {
        let n = ko_surname(t, s)?;
        let rest = t.skip_spaces(s + n);
        let given = e - rest;
        if (1..=2).contains(&given) && (rest..e).all(|i| t.char(i).is_some_and(is_hangul)) {
            return Some((s, e));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_names_in_their_own_scripts() {
        // The whole text: a listed given name and surname, in either order; Han with a
        // surname of the common list and a listed given name.
        for name in [
            "ავთანდილ აბაშიძე",
            "აბაშიძე ავთანდილ",
            " Աբել Աբազյան ",
            "王丽华",
            "王 丽华",
        ] {
            assert!(listed_full_name(name).is_some(), "{name}");
        }
        // One part unknown, a word between, a number: not a listed full name.
        for name in [
            "ავთანდილ ქალაქი",
            "王先生",
            "ავთანდილ 12 აბაშიძე",
            "აბაშიძე",
        ] {
            assert_eq!(listed_full_name(name), None, "{name}");
        }
        // Spellings of Arabic letters that vary between writers meet.
        assert_eq!(fold_arabic("نورة أحمد"), fold_arabic("نوره احمد"));
        assert_eq!(SPACED_SCRIPTS[ARMENIAN].0, '\u{0530}');
        // In running text, a listed given name followed by a listed surname.
        let mut out = Vec::new();
        listed_pairs("მოვა ავთანდილ აბაშიძე ხვალ", &mut out);
        assert_eq!(out.len(), 1);
        let text = "მოვა ავთანდილ აბაშიძე ხვალ";
        assert_eq!(&text[out[0].start..out[0].end], "ავთანდილ აბაშიძე");
    }

    #[test]
    fn the_held_out_names_are_not_in_the_list() {
        let held = include_str!("../../../tests/corpus/heldout_script_names.tsv");
        let kept: std::collections::HashSet<&str> = SCRIPT_NAMES
            .lines()
            .filter_map(|l| l.split('\t').next())
            .collect();
        let names: Vec<&str> = held
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split('\t').next())
            .collect();
        assert!(names.len() > 1500, "{}", names.len());
        for name in names {
            assert!(!kept.contains(name), "{name}");
        }
    }

    #[test]
    fn a_key_needs_one_listed_part_that_is_not_an_everyday_word() {
        assert!(name_as_key("აბაშიძე ნინო").is_some());
        assert!(name_as_key("ავთანდილ_კაცი").is_some());
        // `שלום` and `חיים` are names and everyday words (peace, life): alone they do not
        // make a key a name; nor do words of another script, or one word.
        assert_eq!(name_as_key("שלום עולם"), None);
        assert_eq!(name_as_key("חיים טובים"), None);
        assert_eq!(name_as_key("აბაშიძე"), None);
        assert_eq!(name_as_key("ავთანდილ name"), None);
    }

    #[test]
    fn a_name_under_a_name_key_in_its_own_script() {
        fn name<'a>(text: &'a str, key: &str) -> Option<&'a str> {
            name_in_key_script(text, key).map(|(s, e)| &text[s..e])
        }
        for (key, text) in [
            ("الاسم", "منة الله أحمد الشربيني"),
            ("নাম", "তাসনিম জাহান চৌধুরী"),
            ("ΟΝΟΜΑ", "ΓΕΩΡΓΙΟΣ ΠΑΠΑΔΗΜΗΤΡΟΠΟΥΛΟΣ"),
            ("անուն", "Անահիտ Մկրտչյան"),
            ("სახელი_გვარი", "ნათია ჩიხლაძე"),
            ("ስም", "ሕይወት ተስፋዬ ገብረመድኅን"),
            ("ឈ្មោះ", "ចាន់ សុភាព"),
            ("نام", "فاطمه سادات حسینی\u{200c}نژاد"),
            ("нэр", "Болдбаатарын Оюунчимэг"),
        ] {
            assert_eq!(name(text, key), Some(text), "{key}: {text}");
        }
        for (key, text) in [
            // Another script than the key's, digits, punctuation, lowercase words of a cased
            // script, too many words.
            ("name", "منة الله أحمد الشربيني"),
            ("الاسم", "iPhone 15"),
            ("الاسم", "طلب رقم ١٢٣٤"),
            ("الاسم", "مرحبا، كيف حالك؟"),
            ("имя", "постоянный клиент"),
            ("नाम", "यह एक बहुत लंबा वाक्य है जो नाम नहीं"),
        ] {
            assert_eq!(name(text, key), None, "{key}: {text}");
        }
    }

    fn names(text: &str, whole: bool) -> Vec<&str> {
        names_under(text, if whole { Key::Name } else { Key::Other })
    }

    fn names_under(text: &str, key: Key) -> Vec<&str> {
        let mut out = Vec::new();
        find(text, key, &mut out);
        out.iter().map(|f| &text[f.start..f.end]).collect()
    }

    #[test]
    fn chinese_names_with_an_honorific_a_label_or_an_introduction() {
        for (text, want) in [
            ("请联系王伟先生确认订单", vec!["王伟"]),
            ("李女士您好，您的包裹已发出", vec!["李"]),
            ("陳大文先生的預約", vec!["陳大文"]),
            ("欧阳娜娜小姐", vec!["欧阳娜娜"]),
            ("收货人：张丽 电话：13800138000", vec!["张丽"]),
            ("联系人: 刘洋", vec!["刘洋"]),
            ("姓名：赵敏", vec!["赵敏"]),
            ("患者：刘德华", vec!["刘德华"]),
            ("收件人刘德华，谢谢", vec!["刘德华"]),
            ("我叫李明，来自上海", vec!["李明"]),
            ("感谢周老师的帮助", vec!["周"]),
            ("请联系王伟先生确认", vec!["王伟"]),
        ] {
            assert_eq!(names(text, false), want, "{text}");
        }
    }

    #[test]
    fn chinese_text_without_a_name_is_left() {
        for text in [
            "客户端下载",
            "会员卡余额不足",
            "请输入用户名",
            "这位先生请稍等",
            "各位女士们先生们",
            "数学老师布置了作业",
            "高级设置",
            "我是学生",
            "北京市朝阳区建国路88号",
            "用户于2024年注册",
            "客户关系管理",
            "患者安全须知",
            "收件人信息",
        ] {
            assert!(
                names(text, false).is_empty(),
                "{text}: {:?}",
                names(text, false)
            );
        }
    }

    #[test]
    fn japanese_names_with_an_honorific_a_label_or_an_introduction() {
        for (text, want) in [
            ("田中様、ご注文ありがとうございます", vec!["田中"]),
            ("山田太郎様", vec!["山田太郎"]),
            ("営業部の佐藤さんに連絡", vec!["佐藤"]),
            ("担当：鈴木 一郎", vec!["鈴木 一郎"]),
            ("氏名：高橋花子", vec!["高橋花子"]),
            ("山田 太郎様", vec!["山田 太郎"]),
            ("佐々木と申します", vec!["佐々木"]),
            ("中村先生の診察", vec!["中村"]),
            (
                "お世話になっております。佐藤 翔太です。注文した商品が届いていません。",
                vec!["佐藤 翔太"],
            ),
        ] {
            assert_eq!(names(text, false), want, "{text}");
        }
        for text in [
            "お客様各位",
            "皆様へのお知らせ",
            "仕様変更のお知らせ",
            "お母さんと一緒に",
            "店員さんに聞く",
            "同様の問題",
            "以上です",
            "大丈夫です",
            "注文は明日です",
        ] {
            assert!(
                names(text, false).is_empty(),
                "{text}: {:?}",
                names(text, false)
            );
        }
    }

    #[test]
    fn korean_names_with_an_honorific_a_label_or_an_introduction() {
        for (text, want) in [
            ("김민준님 안녕하세요", vec!["김민준"]),
            ("박지훈씨가 전화했습니다", vec!["박지훈"]),
            ("이서연 고객님, 주문이 접수되었습니다", vec!["이서연"]),
            ("이름: 최유진", vec!["최유진"]),
            ("저는 정하늘입니다", vec!["정하늘"]),
            (
                "안녕하세요, 조도윤입니다. 주문 문의드립니다",
                vec!["조도윤"],
            ),
            ("안녕하십니까. 남궁민수입니다", vec!["남궁민수"]),
            ("제 이름은 윤서준이에요", vec!["윤서준"]),
            ("김씨 아저씨", vec!["김"]),
            ("남궁민수님", vec!["남궁민수"]),
        ] {
            assert_eq!(names(text, false), want, "{text}");
        }
        for text in [
            "고객님 안녕하세요",
            "안녕하세요, 배송팀입니다",
            "안녕하세요. 상담원입니다",
            "안녕하세요, 고객센터입니다",
            "안녕하세요, 강남점입니다",
            "회원님의 포인트",
            "선생님께 감사드립니다",
            "박사님 강의",
            "사용자님 환영합니다",
            "이용자님께 알립니다",
            "서울특별시 강남구 테헤란로 152",
            "아저씨 아가씨",
            "소중한 고객님께",
            "신규 회원님",
            "한국 고객님",
            "이것입니다",
            "이메일입니다",
        ] {
            assert!(
                names(text, false).is_empty(),
                "{text}: {:?}",
                names(text, false)
            );
        }
    }

    #[test]
    fn arabic_persian_hebrew_devanagari_and_thai_names_after_a_title_or_label() {
        for (text, want) in [
            ("السيد محمد الأحمد في المكتب", vec!["محمد الأحمد"]),
            ("عزيزي أحمد بن علي، شكرا", vec!["أحمد بن علي"]),
            ("الاسم: فاطمة الزهراء", vec!["فاطمة الزهراء"]),
            ("آقای رضا احمدی از تهران", vec!["رضا احمدی"]),
            ("מר דוד כהן הגיע", vec!["דוד כהן"]),
            ("שם: יעל לוי", vec!["יעל לוי"]),
            ("श्री राम कुमार जी", vec!["राम कुमार"]),
            ("मेरा नाम प्रिया शर्मा है", vec!["प्रिया शर्मा"]),
            ("คุณ สมชาย ใจดี ครับ", vec!["สมชาย ใจดี"]),
            ("นางสาวสมศรี มีสุข", vec!["สมศรี มีสุข"]),
        ] {
            assert_eq!(names(text, false), want, "{text}");
        }
        for text in [
            "شكرا لكم على الطلب",
            "عزيزي العميل، طلبك في الطريق",
            "آقای محترم",
            "خانم ها و آقایان",
            "السيد الرئيس",
            "مرحبا بكم في متجرنا",
            "תודה רבה על ההזמנה",
            "कृपया अपना पता दर्ज करें",
            "คุณภาพสินค้าดีมาก",
            "คุณต้องการสั่งซื้อ",
            "ขอบคุณครับ",
        ] {
            assert!(
                names(text, false).is_empty(),
                "{text}: {:?}",
                names(text, false)
            );
        }
    }

    #[test]
    fn a_whole_value_under_a_person_key_is_a_name_when_it_has_a_name_shape() {
        for text in [
            "王伟",
            " 欧阳娜娜 ",
            "山田 太郎",
            "佐藤花子",
            "김민준",
            "김 민준",
        ] {
            assert_eq!(names(text, true), [text.trim()], "{text}");
        }
        for text in [
            "手机",
            "华为手机壳套装",
            "ありがとう",
            "안녕하세요",
            "森林浴",
            "原材料",
            "関連商品",
        ] {
            assert!(
                names(text, true).is_empty(),
                "{text}: {:?}",
                names(text, true)
            );
        }
        // Without the key, a bare shape is not enough.
        assert!(names("王伟", false).is_empty());
        // Words of other scripts only under a key for a person: a `name` may be a product's…
        for text in ["محمد الأحمد", "דוד כהן", "प्रिया शर्मा"]
        {
            assert_eq!(names_under(text, Key::Person), [text], "{text}");
        }
        for text in ["محمد الأحمد", "דוד כהן"] {
            assert!(names_under(text, Key::Name).is_empty(), "{text}");
        }
        // … unless the lists hold both its given name and its surname.
        assert_eq!(names_under("प्रिया शर्मा", Key::Name), ["प्रिया शर्मा"]);
        assert_eq!(names_under("प्रिया शर्मा", Key::Other), ["प्रिया शर्मा"]);
        assert!(names_under("محمد الأحمد وفاطمة الزهراء وعلي حسن", Key::Person).is_empty());
    }

    #[test]
    fn hostile_text_is_linear_and_never_panics() {
        for text in [
            "先生".repeat(5000),
            "王".repeat(20_000),
            "김님".repeat(5000),
            "السيد ".repeat(5000),
            "姓名：".repeat(5000),
            "คุณ".repeat(5000),
        ] {
            let _ = names(&text, true);
            let _ = names(&text, false);
        }
    }
}
