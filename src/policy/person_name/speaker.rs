//! The writer of a message introducing themselves, in any script: `Buongiorno, sono Luca
//! Ricci, il rider…`, `Hi, Ng Hui Min here, the driver…`, `Jó napot, Nagy Eszter vagyok, a
//! futár…`, `سلام، سحر حسینی هستم، سفارشم…`, `வணக்கம், நான் லட்சுமி கிருஷ்ணன், என்…`.
//!
//! Support messages, chats and contact forms open this way in every language, and the names in
//! them are often in no gazetteer (`Lerato`, `Austėja`, `Сейітқали`) or in a script without
//! capitals. So this pass does not ask what the words are, only where they stand. Three signs
//! are needed together:
//!
//! 1. the message opens with a greeting (`Hi`, `Buongiorno`, `Сәлем`, `مرحباً`, `नमस्ते`,
//!    `สวัสดีครับ`…) and a break after it;
//! 2. the words of the language around a self-introduction: one before the name (`I'm`,
//!    `sono`, `ja sam`, `мен`, `أنا`, `நான்`, `ผม`…) or one after it (`here`, `vagyok`,
//!    `هستم`, `हूँ`, `ነው`, `입니다`…);
//! 3. one to three words between them that end the clause: a comma, a full stop or the end of
//!    the text comes next (in the scripts written without spaces between words, Thai, Lao,
//!    Khmer and Burmese, one or two space-separated groups). In scripts with capitals, each
//!    word starts with one.
//!
//! `Hi, I'm having trouble with my order` has no capitals after `I'm`; `Hello, I am Dr. Ng's
//! patient and…` runs on past three words: neither is found.

use super::{Evidence, Finding};
use crate::policy::script::is_mark;

/// Greetings that open a message (lowercase; matched without regard to case).
const GREETINGS: &[&str] = &[
    // English and Afrikaans, the Philippines, Malaysia and Indonesia.
    "hi",
    "hello",
    "hey",
    "hiya",
    "howzit",
    "dear",
    "good morning",
    "good afternoon",
    "good evening",
    "greetings",
    "hallo",
    "goeie môre",
    "goeiedag",
    "hello po",
    "magandang umaga",
    "magandang hapon",
    "kumusta",
    "halo",
    "selamat pagi",
    "selamat siang",
    "selamat sore",
    "selamat malam",
    "salam",
    "xin chào",
    "chào",
    "chào bạn",
    // Romance.
    "buongiorno",
    "buonasera",
    "salve",
    "ciao",
    "hola",
    "buenas",
    "buenos días",
    "buenas tardes",
    "buenas noches",
    "bonjour",
    "bonsoir",
    "salut",
    "olá",
    "ola",
    "oi",
    "bom dia",
    "boa tarde",
    "boa noite",
    "bună ziua",
    "bună",
    "salutare",
    "bon dia",
    "bona tarda",
    // Germanic and Nordic.
    "guten tag",
    "guten morgen",
    "guten abend",
    "moin",
    "servus",
    "grüß gott",
    "grüezi",
    "hoi",
    "goedemorgen",
    "goedemiddag",
    "goedenavond",
    "dag",
    "hej",
    "hei",
    "hallå",
    "god dag",
    "goddag",
    "góðan dag",
    "halló",
    // Finnic, Baltic, Hungarian.
    "moi",
    "terve",
    "hyvää päivää",
    "tere",
    "tere päevast",
    "labdien",
    "sveiki",
    "sveikas",
    "laba diena",
    "jó napot",
    "jó napot kívánok",
    "szia",
    "sziasztok",
    "helló",
    // Slavic (Latin script).
    "dzień dobry",
    "cześć",
    "witam",
    "dobrý den",
    "dobrý deň",
    "ahoj",
    "dobar dan",
    "zdravo",
    "pozdrav",
    "bok",
    "dober dan",
    "živjo",
    // Cyrillic.
    "здравствуйте",
    "здрасте",
    "привет",
    "добрый день",
    "доброе утро",
    "добрий день",
    "вітаю",
    "доброго дня",
    "привіт",
    "здравейте",
    "добър ден",
    "поздрав",
    "добар дан",
    "здраво",
    "сәлем",
    "сәлеметсіз бе",
    "сайн байна уу",
    "сайн уу",
    "салам",
    "саламатсызбы",
    // Greek, Turkish, Caucasus.
    "γεια σας",
    "γεια",
    "καλημέρα",
    "καλησπέρα",
    "merhaba",
    "selam",
    "iyi günler",
    "გამარჯობა",
    "გამარჯობათ",
    "բարև",
    "բարեւ",
    "բարև ձեզ",
    "salam aleykum",
    // Arabic, Persian, Urdu, Hebrew.
    "مرحبا",
    "مرحباً",
    "أهلا",
    "أهلاً",
    "اهلا",
    "السلام عليكم",
    "السلام",
    "سلام",
    "درود",
    "السلام علیکم",
    "آداب",
    "שלום",
    "היי",
    "ערב טוב",
    "בוקר טוב",
    // Africa.
    "ሰላም",
    "ጤና ይስጥልኝ",
    "habari",
    "hujambo",
    "jambo",
    "sawubona",
    "sanibonani",
    "molo",
    "dumela",
    "bawo",
    "sannu",
    "ẹ n lẹ",
    "bawo ni",
    "nnọọ",
    "salaam",
    // South Asia.
    "नमस्ते",
    "नमस्कार",
    "प्रणाम",
    "नमस्कारम्",
    "আসসালামু আলাইকুম",
    "নমস্কার",
    "হ্যালো",
    "வணக்கம்",
    "నమస్తే",
    "నమస్కారం",
    "ආයුබෝවන්",
    "നമസ്കാരം",
    "ನಮಸ್ಕಾರ",
    "નમસ્તે",
    "ਸਤ ਸ੍ਰੀ ਅਕਾਲ",
    "ਨਮਸਤੇ",
    // East and Southeast Asia.
    "你好",
    "您好",
    "大家好",
    "こんにちは",
    "お世話になっております",
    "안녕하세요",
    "สวัสดี",
    "สวัสดีครับ",
    "สวัสดีค่ะ",
    "សួស្តី",
    "ជំរាបសួរ",
    "မင်္ဂလာပါ",
    "ສະບາຍດີ",
];

/// [`GREETINGS`] by their first letter.
static GREETINGS_BY_FIRST: std::sync::LazyLock<
    std::collections::HashMap<char, Vec<&'static str>, foldhash::fast::FixedState>,
> = std::sync::LazyLock::new(|| {
    let mut map = std::collections::HashMap::with_hasher(foldhash::fast::FixedState::default());
    for g in GREETINGS {
        if let Some(c) = g.chars().next() {
            map.entry(c).or_insert_with(Vec::new).push(*g);
        }
    }
    map
});

/// Words before the name: "I am", "this is", "here is", "it's", "my name is" (the naming
/// phrases the gazetteer pass knows are here too, for names in no gazetteer).
const BEFORE: &[&str] = &[
    "i'm",
    "i’m",
    "i am",
    "this is",
    "it's",
    "it’s",
    "it is",
    "my name is",
    "here is",
    // Naming phrases of more languages.
    "ik heet",
    "mijn naam is",
    "jag heter",
    "mitt namn är",
    "jeg heter",
    "mit navn er",
    "nimeni on",
    "minu nimi on",
    "mans vārds ir",
    "mano vardas",
    "მე მქვია",
    "ich heiße",
    "ich heisse",
    "meu nome é",
    "o meu nome é",
    "me chamo",
    "jmenuji se",
    "jmenuju se",
    "volám sa",
    "nazywam się",
    "mam na imię",
    "zovem se",
    "mă numesc",
    "το όνομά μου είναι",
    "mi nombre es",
    "sem",
    "ako si",
    "si",
    "saya",
    "nama saya",
    "aku",
    "tôi là",
    "mình là",
    "em là",
    "sono",
    "mi chiamo",
    "soy",
    "me llamo",
    "je suis",
    "je m'appelle",
    "je m’appelle",
    "c'est",
    "c’est",
    "ici",
    "sou",
    "sou o",
    "sou a",
    "aqui é",
    "aqui fala",
    "eu sou",
    "ich bin",
    "hier ist",
    "mein name ist",
    "ik ben",
    "met",
    "hier is",
    "jag är",
    "jeg er",
    "her er",
    "minä olen",
    "olen",
    "mina olen",
    "es esmu",
    "raksta",
    "čia",
    "aš esu",
    "jestem",
    "z tej strony",
    "tu",
    "jsem",
    "tady je",
    "som",
    "ja sam",
    "ovdje",
    "ovde",
    "jaz sem",
    "eu",
    "numele meu este",
    "ben",
    "adım",
    "benim adım",
    "είμαι",
    "με λένε",
    "я",
    "это",
    "меня зовут",
    "мене звати",
    "ја сам",
    "аз съм",
    "казвам се",
    "мен",
    "менің атым",
    "би",
    "миний нэр",
    "მე ვარ",
    "მე",
    "ჩემი სახელია",
    "ես",
    "իմ անունը",
    "أنا",
    "انا",
    "معك",
    "معاك",
    "معكم",
    "اسمي",
    "میں",
    "میرا نام",
    "نام من",
    "אני",
    "כאן",
    "שמי",
    "ስሜ",
    "እኔ",
    "mimi ni",
    "jina langu ni",
    "igama lami ngu",
    "ngu",
    "ndinguye",
    "मैं",
    "मेरा नाम",
    "मी",
    "माझे नाव",
    "म",
    "मेरो नाम",
    "আমি",
    "আমার নাম",
    "நான்",
    "என் பெயர்",
    "నేను",
    "నా పేరు",
    "මම",
    "මගේ නම",
    "ഞാൻ",
    "എന്റെ പേര്",
    "ನಾನು",
    "ನನ್ನ ಹೆಸರು",
    "હું",
    "મારું નામ",
    "ਮੈਂ",
    "ਮੇਰਾ ਨਾਮ",
    "我是",
    "我叫",
    "我係",
    "我系",
    "私は",
    "저는",
    "제 이름은",
    "ผม",
    "ผมชื่อ",
    "ฉัน",
    "ฉันชื่อ",
    "ดิฉัน",
    "ดิฉันชื่อ",
    "หนู",
    "ខ្ញុំឈ្មោះ",
    "ខ្ញុំ",
    "ကျွန်တော်",
    "ကျွန်မ",
    "ကျွန်တော့်နာမည်",
    "ຂ້ອຍຊື່",
    "ຂ້ອຍ",
];

/// Words after the name: "here", "am", "is (my name)", "speaking".
const AFTER: &[&str] = &[
    "here",
    "speaking",
    "here from",
    "po ito",
    "ito",
    "vagyok",
    "hier",
    "aqui",
    "aquí",
    "ici",
    "esmu",
    "esu",
    "sam",
    "ben",
    "olen",
    "հեմ",
    "եմ",
    "ვარ",
    "هستم",
    "هستش",
    "ہوں",
    "ہے",
    "הנה",
    "ነኝ",
    "ነው",
    "हूँ",
    "हूं",
    "यहाँ से",
    "यहां से",
    "हुँ",
    "हो",
    "आहे",
    "है",
    "છે",
    "ਹਾਂ",
    "ਹੈ",
    "です",
    "と申します",
    "입니다",
    "이에요",
    "예요",
    "ပါ",
    "ครับ",
    "ค่ะ",
    "ngiyabonga",
];

/// Words for `and` that may follow a name given with a naming phrase (`my name is Ana Díaz and
/// I…`, `me llamo Isidora Díaz y…`, `میرا نام عائشہ اعوان ہے اور…`).
const AND: &[&str] = &[
    "and",
    "y",
    "e",
    "et",
    "und",
    "en",
    "och",
    "og",
    "ja",
    "és",
    "i",
    "a",
    "in",
    "na",
    "dan",
    "at",
    "và",
    "și",
    "ve",
    "un",
    "ir",
    "dhe",
    "kai",
    "και",
    "и",
    "і",
    "та",
    "და",
    "և",
    "और",
    "आणि",
    "અને",
    "र",
    "ਅਤੇ",
    "এবং",
    "আর",
    "மற்றும்",
    "మరియు",
    "اور",
    "و",
];

/// Words that start a clause after `I am`, not a name (Thai, Lao, Khmer and Burmese write the
/// name glued to the pronoun, so what follows it must not be a verb or a negation).
const NOT_A_NAME: &[&str] = &[
    "อยาก",
    "จะ",
    "ได้",
    "สั่ง",
    "ไม่",
    "ต้องการ",
    "มี",
    "ขอ",
    "เป็น",
    "ก็",
    "ยัง",
    "เคย",
    "ได้รับ",
    "ຢາກ",
    "ຈະ",
    "ບໍ່",
    "ໄດ້",
    "មិន",
    "ចង់",
    "បាន",
    "នឹង",
    "မ",
    "လို",
    "ချင်",
];

/// Appends the writer's name to `out` when `text` opens with a greeting and a
/// self-introduction (see the module's documentation).
pub(crate) fn find(text: &str, out: &mut Vec<Finding>) {
    let lead = text.len() - text.trim_start().len();
    let Some(after_greeting) = greeting(text, lead) else {
        return;
    };
    let p = skip_break(text, after_greeting);
    if p == after_greeting && !text[p..].is_empty() && !text[..p].ends_with(' ') {
        return;
    }
    // A phrase before the name, the longest that matches; or none (a word after must come).
    let before = longest(text, p, BEFORE);
    let q = match before {
        Some(n) => {
            let e = p + n;
            let next = text[e..].chars().next();
            match next {
                Some(' ') => e + 1,
                // Glued to the pronoun: Thai `ผมวีระพงษ์`, Zulu `nguLindiwe`.
                Some(c) if c.is_alphabetic() && glues(&text[p..e]) => e,
                _ => return,
            }
        }
        None => p,
    };
    let q = q + (text.len() - q - text[q..].trim_start().len());
    let named = before.is_some_and(|n| naming(&text[p..p + n]));
    let Some((start, end)) = name_words(text, q, before.is_some(), named) else {
        return;
    };
    let evidence = if named {
        Evidence::Title
    } else {
        Evidence::Cue
    };
    out.push(Finding {
        start,
        end,
        score: 0.0,
        evidence: vec![evidence],
    });
}

/// The end of the greeting at `at`, when the text opens with one (followed by a break, not by
/// more letters: `Hiking boots` is no greeting).
fn greeting(text: &str, at: usize) -> Option<usize> {
    let first = text[at..].chars().next()?.to_lowercase().next()?;
    // Most values start with no greeting's letter: one look-up, not a pass over the list.
    let candidates = GREETINGS_BY_FIRST.get(&first)?;
    // Thai and Lao greetings with their polite particle (`สวัสดีครับ`) are in the list; the
    // particles after a greeting's end (`po`, `ạ`) are [`skip_break`]'s.
    Some(at + longest(text, at, candidates)?)
}

/// The byte length of the longest phrase of `list` at `at`, ending at a word boundary.
fn longest(text: &str, at: usize, list: &[&'static str]) -> Option<usize> {
    let rest = &text[at..];
    let mut best: Option<usize> = None;
    for p in list {
        let n = p.len();
        if n > rest.len() || best.is_some_and(|b| b >= n) || !rest.is_char_boundary(n) {
            continue;
        }
        let head = &rest[..n];
        let same = if p.is_ascii() {
            head.eq_ignore_ascii_case(p)
        } else {
            head == *p || lower_eq(head, p)
        };
        if !same {
            continue;
        }
        let next = rest[n..].chars().next();
        let boundary = next.is_none_or(|c| !c.is_alphanumeric() || glues(p) && c.is_alphabetic());
        // Scripts written without spaces end a word wherever the phrase ends.
        if boundary || unspaced(p) {
            best = Some(n);
        }
    }
    best
}

fn lower_eq(a: &str, b: &str) -> bool {
    a.chars().flat_map(char::to_lowercase).eq(b.chars())
}

/// Pronouns and phrases that the name follows without a space.
fn glues(phrase: &str) -> bool {
    matches!(
        phrase,
        "ngu"
            | "igama lami ngu"
            | "ผม"
            | "ฉัน"
            | "ดิฉัน"
            | "หนู"
            | "ผมชื่อ"
            | "ฉันชื่อ"
            | "ดิฉันชื่อ"
            | "我是"
            | "我叫"
            | "我係"
            | "我系"
            | "私は"
            | "ຂ້ອຍຊື່"
            | "ខ្ញុំឈ្មោះ"
    )
}

/// A phrase that names: what follows is a name, not an adjective (`my name is`).
fn naming(phrase: &str) -> bool {
    let p = phrase.to_lowercase();
    [
        "name",
        "nome",
        "nombre",
        "nom",
        "naam",
        "imię",
        "ime",
        "nama",
        "jina",
        "igama",
        "اسم",
        "نام",
        "שמי",
        "ስሜ",
        "नाम",
        "नाव",
        "নাম",
        "பெயர்",
        "పేరు",
        "නම",
        "പേര്",
        "ಹೆಸರು",
        "નામ",
        "ਨਾਮ",
        "ชื่อ",
        "ឈ្មោះ",
        "ຊື່",
        "이름",
        "叫",
        "зовут",
        "звати",
        "атым",
        "нэр",
        "სახელი",
        "անունը",
        "λένε",
        "llamo",
        "chiamo",
        "appelle",
        "adım",
        "numele",
        "heet",
        "heter",
        "heiße",
        "heisse",
        "nimi",
        "vārds",
        "vardas",
        "მქვია",
        "jmenu",
        "volám",
        "nazywam",
        "zovem",
        "chamo",
        "numesc",
        "όνομα",
        "λένε",
    ]
    .iter()
    .any(|w| p.contains(w))
}

/// A letter of a script written without spaces between words (Thai, Lao, Khmer, Burmese and
/// the CJK scripts) in `s`.
fn unspaced(s: &str) -> bool {
    s.chars().any(crate::policy::script::is_unspaced)
}

/// Skips the break after a greeting: spaces and one punctuation mark (`,`, `!`, `.`, the Arabic
/// and Ethiopic commas), and a polite particle (`po`).
fn skip_break(text: &str, mut i: usize) -> usize {
    for particle in [" po", " ạ", " jee", " ji"] {
        if text[i..].starts_with(particle)
            && text[i + particle.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric())
        {
            i += particle.len();
        }
    }
    let mut seen_mark = false;
    for (k, c) in text[i..].char_indices() {
        if c == ' ' || c == '\u{a0}' {
            continue;
        }
        if !seen_mark && is_break(c) {
            seen_mark = true;
            continue;
        }
        return i + k;
    }
    text.len()
}

fn is_break(c: char) -> bool {
    matches!(
        c,
        ',' | '!'
            | '.'
            | '،'
            | '፣'
            | '።'
            | '၊'
            | '။'
            | '、'
            | '，'
            | '！'
            | '。'
            | ':'
            | '-'
            | '–'
            | '—'
    )
}

/// One to three name words from `q`, then (after `I am`) the end of the clause, or (without
/// it) a word of [`AFTER`] and then the end of the clause. After a naming phrase (`my name
/// is`, `me llamo`) the name may also be followed by a word for `and`, or by a word of
/// [`AFTER`] whatever comes next (`मेरो नाम प्रकाश अधिकारी हो र…`).
fn name_words(text: &str, q: usize, introduced: bool, named: bool) -> Option<(usize, usize)> {
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut i = q;
    let head = text[q..]
        .char_indices()
        .nth(4)
        .map_or(text.len(), |(k, _)| q + k);
    let rest_unspaced = unspaced(&text[q..head]);
    let max = if rest_unspaced { 2 } else { 3 };
    // Where a word of AFTER ends the name (`Ng Hui Min here`), if one does.
    let mut after = None;
    loop {
        if !words.is_empty()
            && let Some(n) = longest(text, i, AFTER)
        {
            after = Some(i + n);
            break;
        }
        let end = word_end(text, i);
        if end == i {
            break;
        }
        let w = &text[i..end];
        if named && !words.is_empty() && AND.contains(&w) {
            break;
        }
        if !name_like(w) || (words.is_empty() && NOT_A_NAME.iter().any(|x| w.starts_with(x))) {
            return None;
        }
        words.push((i, end));
        if words.len() > max {
            return None;
        }
        // The next word, after one space.
        if text[end..].starts_with(' ')
            && text[end + 1..]
                .chars()
                .next()
                .is_some_and(char::is_alphabetic)
        {
            i = end + 1;
            if rest_unspaced && words.len() == max {
                break;
            }
            continue;
        }
        // A copula glued to the name (Japanese `翔太です`, Korean `조도윤입니다`) is not handled
        // here: the Han and Hangul finders know those.
        i = end;
        break;
    }
    let end = words.last()?.1;
    // Every word an everyday word, a month or a day (`Hi, it's Monday,`, `Hello, this is
    // Support,`): no name.
    if words.iter().all(|&(s, e)| everyday(&text[s..e])) {
        return None;
    }
    let clause_ended = match after {
        Some(a) => named || clause_ends(text, a),
        None => {
            introduced && (rest_unspaced || clause_ends(text, i) || named && and_follows(text, i))
        }
    };
    clause_ended.then_some((q, end))
}

/// A word for `and` at `i` (after spaces), followed by a space.
fn and_follows(text: &str, i: usize) -> bool {
    let j = skip_spaces(text, i);
    AND.iter()
        .any(|w| text[j..].starts_with(w) && text[j + w.len()..].starts_with(' '))
}

/// Past the spaces (and no-break spaces) at `i`.
pub(super) fn skip_spaces(text: &str, i: usize) -> usize {
    i + (text[i..].len() - text[i..].trim_start_matches([' ', '\u{a0}']).len())
}

/// A capitalised word that the gazetteers know as an everyday word, a month or a day, or a
/// brand word, and not as a name.
pub(super) fn everyday(w: &str) -> bool {
    let c = super::title_class(w);
    c.calendar || (c.common || c.brand) && !(c.given || c.surname)
}

/// A clause ends at `i`: the end of the text, or (after spaces) a comma, a full stop, an
/// exclamation mark or a dash.
fn clause_ends(text: &str, i: usize) -> bool {
    match text[i..].trim_start_matches([' ', '\u{a0}']).chars().next() {
        None => true,
        Some(c) => is_break(c) || c == '?' || c == ';',
    }
}

/// The end of the word at `i`: letters and combining marks, with `-`, `'` or `.` inside.
fn word_end(text: &str, i: usize) -> usize {
    let mut end = i;
    let mut chars = text[i..].char_indices().peekable();
    while let Some((k, c)) = chars.next() {
        let inner = matches!(c, '-' | '\'' | '’' | '.')
            && k > 0
            && chars.peek().is_some_and(|(_, n)| n.is_alphabetic());
        if c.is_alphabetic() || is_mark(c) || inner || (c == '.' && k > 0 && end - i <= 2) {
            end = i + k + c.len_utf8();
        } else {
            break;
        }
    }
    end
}

/// A word that can be part of a name: in a script with capitals it starts with one (and is not
/// all capitals longer than four letters: `URGENT`); no digits.
pub(super) fn name_like(w: &str) -> bool {
    let Some(first) = w.chars().next() else {
        return false;
    };
    if w.chars().any(|c| c.is_numeric()) {
        return false;
    }
    // Georgian's everyday letters (Mkhedruli) are lowercase to Unicode, but the script has no
    // case in use: its capitals (Mtavruli) are a display style.
    if first.is_lowercase() && !('\u{10D0}'..='\u{10FF}').contains(&first) {
        return false;
    }
    if first.is_uppercase() {
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        let upper = w.chars().filter(|c| c.is_uppercase()).count();
        return !(letters > 4 && upper == letters);
    }
    // Scripts without case.
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<&str> {
        super::super::spans_found_by(find, text)
    }

    #[test]
    fn a_greeting_and_an_introduction_frame_the_writer_s_name() {
        for (text, name) in [
            (
                "Buongiorno, sono Luca Ricci, il rider ha lasciato il pacco",
                "Luca Ricci",
            ),
            (
                "Hi, Ng Hui Min here, the grab driver left my order",
                "Ng Hui Min",
            ),
            (
                "Howzit, Lerato Patel here, the driver went to the wrong complex",
                "Lerato Patel",
            ),
            (
                "Hello po, si Rowena Bautista po ito, hindi pa dumating",
                "Rowena Bautista",
            ),
            (
                "Jó napot, Nagy Eszter vagyok, a futár nem csöngetett",
                "Nagy Eszter",
            ),
            (
                "Labdien, raksta Mārtiņš Ozoliņš, sūtījums nav saņemts",
                "Mārtiņš Ozoliņš",
            ),
            (
                "Поздрав, ја сам Милица Николић, пакет није стигао",
                "Милица Николић",
            ),
            (
                "Сәлем, мен Сейітқали Нұрлан, тапсырыс әлі келген жоқ",
                "Сейітқали Нұрлан",
            ),
            (
                "გამარჯობა, მე ვარ გიორგი მაისურაძე, შეკვეთა არ მოსულა",
                "გიორგი მაისურაძე",
            ),
            ("مرحباً، معك جواهر الغامدي، الطلب وصل ناقص", "جواهر الغامدي"),
            ("سلام، سحر حسینی هستم، سفارشم هنوز نرسیده", "سحر حسینی"),
            ("שלום, כאן עומר פרץ, ההזמנה לא הגיעה", "עומר פרץ"),
            ("ሰላም፣ ስሜ አበበ ተስፋዬ ነው፣ ትዕዛዜ አልደረሰም", "አበበ ተስፋዬ"),
            (
                "Sawubona, igama lami nguLindiwe Ndlovu, i-oda yami ayifikanga",
                "Lindiwe Ndlovu",
            ),
            ("नमस्ते, पूजा शर्मा यहाँ से, मेरा ऑर्डर अभी तक नहीं आया", "पूजा शर्मा"),
            (
                "வணக்கம், நான் லட்சுமி கிருஷ்ணன், என் ஆர்டர் இன்னும் வரவில்லை",
                "லட்சுமி கிருஷ்ணன்",
            ),
            ("ਸਤ ਸ੍ਰੀ ਅਕਾਲ, ਮੈਂ ਹਰਜੀਤ ਸੰਧੂ ਹਾਂ, ਮੇਰਾ ਆਰਡਰ ਨਹੀਂ ਆਇਆ", "ਹਰਜੀਤ ਸੰਧੂ"),
            ("สวัสดีครับ ผมวีระพงษ์ ศรีสุข สินค้ายังไม่มาส่งเลยครับ", "วีระพงษ์ ศรีสุข"),
            // A naming phrase lets `and` or a copula end the name.
            (
                "Hola, me llamo Isidora Díaz y tengo un problema con mi pedido.",
                "Isidora Díaz",
            ),
            (
                "Hi, my name is 장서윤 and I need help with my account.",
                "장서윤",
            ),
            (
                "Hallo, ik heet F. Bakker en ik heb een vraag over mijn bestelling.",
                "F. Bakker",
            ),
            (
                "नमस्ते, मेरो नाम प्रकाश अधिकारी हो र मेरो अर्डरमा समस्या छ।",
                "प्रकाश अधिकारी",
            ),
            (
                "السلام علیکم، میرا نام عائشہ اعوان ہے اور میرے آرڈر میں مسئلہ ہے۔",
                "عائشہ اعوان",
            ),
        ] {
            assert_eq!(names(text), [name], "{text}");
        }
    }

    #[test]
    fn without_the_frame_nothing_is_found() {
        for text in [
            // No greeting.
            "sono Luca Ricci, il rider",
            "Luca Ricci here, the driver",
            // No capitals after the introduction, or too many words before the clause ends.
            "Hi, I'm having trouble with my order",
            "Hello, I am Very Happy With The Service, thanks",
            "Hi, this is Order 1234, please check",
            // A greeting that is a word of something else.
            "Hiking boots, size 42",
            // Thai: a verb after the pronoun.
            "สวัสดีครับ ผมอยากสอบถาม เรื่องสินค้า",
            // Nothing after the greeting.
            "Hello!",
            // Everyday words, days and months in the frame.
            "Hi, it's Monday, the parcel is late",
            "Hello, this is Support, how can we help?",
            // `and` ends a name only after a naming phrase.
            "Hi, I'm Happy and grateful",
            "Hi, this is Anna and Tom's shop",
            "Hola, me llamo y te cuento",
        ] {
            assert!(names(text).is_empty(), "{text}: {:?}", names(text));
        }
    }
}
