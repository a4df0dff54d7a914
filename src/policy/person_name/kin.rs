//! A relative named by the writer: `My daughter Liezl has a fever`, `Mi hija Valeria tiene
//! fiebre`, `Meine Tochter Sebastian ist krank`, `Η κόρη μου η Παναγιώτα`, `Tyttäreni Onni`,
//! `Binti yangu Achieng`, `Con gái tôi, bé Hùng`.
//!
//! Parents writing to a school, a clinic or a shop name their children this way, and a child's
//! given name alone is often in no gazetteer. The sign is where the word stands: right after a
//! possessive kinship phrase of the language (`my daughter`, `mi hija`, `дъщеря ми`,
//! `kızım`), after an optional comma, article or `named`, one or two words that each start with
//! a capital, the first a given name or a word the gazetteers do not know at all (not a
//! surname, place, everyday word, month or brand alone: `my daughter English homework` stays).
//!
//! Scripts without capitals are not looked at: there nothing tells `ابنتي سارة` (my daughter
//! Sara) from `ابنتي مريضة` (my daughter is ill) but a lexicon of each language's words.

use super::speaker::{self, skip_spaces};
use super::{Evidence, Finding};
use crate::policy::script::is_mark;

/// Possessive kinship phrases (lowercase) after which a name may stand.
const PHRASES: &[&str] = &[
    // English, Afrikaans.
    "my daughter",
    "my son",
    "my child",
    "my kid",
    "my baby",
    "my toddler",
    "my wife",
    "my husband",
    "my partner",
    "my boyfriend",
    "my girlfriend",
    "my mother",
    "my mom",
    "my mum",
    "my father",
    "my dad",
    "my sister",
    "my brother",
    "my grandson",
    "my granddaughter",
    "my grandmother",
    "my grandfather",
    "my niece",
    "my nephew",
    "my stepson",
    "my stepdaughter",
    "our daughter",
    "our son",
    "our child",
    "our baby",
    "my dogter",
    "my seun",
    "my vrou",
    "my suster",
    "my broer",
    // German, Dutch.
    "meine tochter",
    "mein sohn",
    "mein kind",
    "meine frau",
    "mein mann",
    "meine mutter",
    "mein vater",
    "meine schwester",
    "mein bruder",
    "meine enkelin",
    "mein enkel",
    "unsere tochter",
    "unser sohn",
    "mijn dochter",
    "mijn zoon",
    "mijn kind",
    "mijn vrouw",
    "mijn moeder",
    "mijn vader",
    "mijn zus",
    "mijn broer",
    "onze dochter",
    "onze zoon",
    // French, Spanish, Portuguese, Italian, Catalan, Romanian.
    "ma fille",
    "mon fils",
    "mon enfant",
    "ma femme",
    "mon mari",
    "ma mère",
    "mon père",
    "ma sœur",
    "mon frère",
    "ma petite-fille",
    "mon petit-fils",
    "notre fille",
    "notre fils",
    "mi hija",
    "mi hijo",
    "mi niña",
    "mi niño",
    "mi esposa",
    "mi esposo",
    "mi marido",
    "mi madre",
    "mi padre",
    "mi mamá",
    "mi papá",
    "mi hermana",
    "mi hermano",
    "mi nieta",
    "mi nieto",
    "nuestra hija",
    "nuestro hijo",
    "minha filha",
    "meu filho",
    "minha esposa",
    "meu marido",
    "minha mãe",
    "meu pai",
    "minha irmã",
    "meu irmão",
    "minha neta",
    "meu neto",
    "mia figlia",
    "mio figlio",
    "mia moglie",
    "mio marito",
    "mia madre",
    "mio padre",
    "mia sorella",
    "mio fratello",
    "nostra figlia",
    "nostro figlio",
    "la meva filla",
    "el meu fill",
    "fiica mea",
    "fiul meu",
    "soția mea",
    "soțul meu",
    // Slavic (Latin and Cyrillic).
    "moja córka",
    "mój syn",
    "moje dziecko",
    "moja żona",
    "mój mąż",
    "moja siostra",
    "mój brat",
    "moja wnuczka",
    "mój wnuk",
    "moje dcera",
    "můj syn",
    "moje dítě",
    "moje žena",
    "můj manžel",
    "moje sestra",
    "můj bratr",
    "moja dcéra",
    "môj syn",
    "moja hči",
    "moj sin",
    "moja žena",
    "moj mož",
    "moja kći",
    "moja kćer",
    "moja supruga",
    "moj suprug",
    "моја ћерка",
    "мој син",
    "дъщеря ми",
    "синът ми",
    "сина ми",
    "съпругата ми",
    "съпругът ми",
    "моя дочь",
    "мою дочь",
    "мой сын",
    "моего сына",
    "моя жена",
    "мой муж",
    "моя сестра",
    "мой брат",
    "моя внучка",
    "мой внук",
    "моя донька",
    "моя дочка",
    "мій син",
    "моя дружина",
    "мій чоловік",
    // Greek, Baltic, Finnic, Hungarian, Nordic.
    "η κόρη μου",
    "ο γιος μου",
    "η γυναίκα μου",
    "ο άντρας μου",
    "mana meita",
    "mans dēls",
    "mana sieva",
    "mans vīrs",
    "mano dukra",
    "mano sūnus",
    "mano žmona",
    "mano vyras",
    "mu tütar",
    "minu tütar",
    "mu poeg",
    "minu poeg",
    "tyttäreni",
    "poikani",
    "vaimoni",
    "mieheni",
    "lapseni",
    "a lányom",
    "a fiam",
    "a feleségem",
    "a férjem",
    "min dotter",
    "min son",
    "min fru",
    "dottern min",
    "sonen min",
    "datteren min",
    "sønnen min",
    "min datter",
    "min søn",
    "min sønn",
    "kona mi",
    "dóttir mín",
    "sonur minn",
    // Turkish, Mongolian, Swahili, Malay and Indonesian, Vietnamese.
    "kızım",
    "oğlum",
    "миний охин",
    "миний хүү",
    "binti yangu",
    "mwanangu",
    "mtoto wangu",
    "mke wangu",
    "mume wangu",
    "anak perempuan saya",
    "anak lelaki saya",
    "anak laki-laki saya",
    "anak saya",
    "putri saya",
    "putra saya",
    "isteri saya",
    "istri saya",
    "suami saya",
    "con gái tôi",
    "con trai tôi",
    "con tôi",
    "vợ tôi",
    "chồng tôi",
];

/// Words that may stand between the phrase and the name: an article, a Vietnamese word for a
/// child, a word for `named`.
const LINKS: &[&str] = &[
    "η", "ο", "bé", "cháu", "named", "called", "namens", "llamada", "llamado", "chamada",
    "chamado", "nommée", "nommé",
];

static AUTOMATON: std::sync::LazyLock<aho_corasick::AhoCorasick> = std::sync::LazyLock::new(|| {
    // Each phrase as written and with a capital first letter (a sentence's start); the
    // automaton ignores ASCII case only.
    let patterns: Vec<String> = PHRASES
        .iter()
        .flat_map(|p| [p.to_string(), crate::policy::context::title_case(p)])
        .collect();
    aho_corasick::AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .build(&patterns)
        .expect("the kinship phrases make an automaton")
});

/// Appends the names that follow a kinship phrase in `text` to `out`.
pub(crate) fn find(text: &str, out: &mut Vec<Finding>) {
    for m in AUTOMATON.find_iter(text) {
        let (s, e) = (m.start(), m.end());
        // Whole words only: `Amy daughter`, `sonen minst` are not the phrase.
        if text[..s].chars().next_back().is_some_and(wordy)
            || text[e..].chars().next().is_some_and(wordy)
        {
            continue;
        }
        if let Some((start, end)) = name_after(text, e) {
            out.push(Finding {
                start,
                end,
                score: 0.0,
                evidence: vec![Evidence::Cue],
            });
        }
    }
}

fn wordy(c: char) -> bool {
    c.is_alphanumeric() || is_mark(c)
}

/// One or two capitalised words after the phrase ending at `e` (past a comma and a link word).
fn name_after(text: &str, e: usize) -> Option<(usize, usize)> {
    let mut i = skip_spaces(text, e);
    if text[i..].starts_with(',') {
        i = skip_spaces(text, i + 1);
    }
    let first = word_end(text, i);
    // After a link word (`bé`, `named`, `η`) the name is expected: the first word is held to
    // the looser test of a second one.
    let linked = LINKS.iter().any(|l| text[i..first].eq_ignore_ascii_case(l))
        && text[first..].starts_with(' ');
    if linked {
        i = skip_spaces(text, first);
    }
    let mut end = None;
    let mut at = i;
    for k in 0..2 {
        let w_end = word_end(text, at);
        let w = &text[at..w_end];
        if !capitalised_name_word(w, k == 0 && !linked) {
            break;
        }
        end = Some(w_end);
        if !(text[w_end..].starts_with(' ')) {
            break;
        }
        at = w_end + 1;
    }
    end.map(|end| (i, end))
}

/// A word of a script with capitals that starts with one and can be part of a name
/// ([`speaker::name_like`]: no digit, not all capitals beyond four letters). The first word
/// after the phrase is no everyday word of a language the gazetteers know (`weil mein Sohn
/// Fußball spielt`, `my daughter English homework`; the given names that are everyday words
/// too, `Grace`, `Hope`, go with them) and a given name or a word they do not know at all
/// (`Liezl`, `Jarrah`), not a surname, place or brand alone; a second is anything but an
/// everyday word, month or brand ([`speaker::everyday`]: `Jack Smith`).
fn capitalised_name_word(w: &str, first_word: bool) -> bool {
    if !w.chars().next().is_some_and(char::is_uppercase)
        || w.chars().count() < 2
        || !speaker::name_like(w)
    {
        return false;
    }
    if !first_word {
        return !speaker::everyday(w);
    }
    let c = super::title_class(w);
    !c.calendar && !c.common && (c.given || !(c.surname || c.place || c.brand))
}

/// The end of the word at `i`: letters and marks, with `-` or `'` inside.
fn word_end(text: &str, i: usize) -> usize {
    let mut end = i;
    let mut chars = text[i..].char_indices().peekable();
    while let Some((k, c)) = chars.next() {
        let inner = matches!(c, '-' | '\'' | '’')
            && k > 0
            && chars.peek().is_some_and(|(_, n)| n.is_alphabetic());
        if c.is_alphabetic() || is_mark(c) || inner {
            end = i + k + c.len_utf8();
        } else {
            break;
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<&str> {
        super::super::spans_found_by(find, text)
    }

    #[test]
    fn a_name_after_a_kinship_phrase_in_languages_with_capitals() {
        for (text, want) in [
            (
                "My daughter Liezl has a fever, so she won't be in class today.",
                "Liezl",
            ),
            (
                "Mi hija Valeria tiene fiebre y hoy no irá al colegio.",
                "Valeria",
            ),
            ("Meine Tochter Sebastian ist heute krank.", "Sebastian"),
            ("Η κόρη μου η Παναγιώτα είναι άρρωστη", "Παναγιώτα"),
            ("Tyttäreni Onni on kipeä eikä tule tänään kouluun.", "Onni"),
            ("A lányom, Ilona beteg, ma nem megy iskolába.", "Ilona"),
            ("Дъщеря ми Десислава е болна", "Десислава"),
            ("Binti yangu Achieng ni mgonjwa", "Achieng"),
            ("Con gái tôi, bé Hùng, bị sốt", "Hùng"),
            ("Anak perempuan saya, Syafiq, demam", "Syafiq"),
            ("Datteren min Eirik er syk", "Eirik"),
            ("please tell my son Jack Smith to call", "Jack Smith"),
        ] {
            assert_eq!(names(text), vec![want], "{text}");
        }
    }

    #[test]
    fn no_name_where_none_follows() {
        for text in [
            "My daughter has a fever",
            "my son's teacher called",
            "my daughter English homework is late",
            "Mi hija tiene fiebre",
            "Amy daughter Lily",
            "my wife",
            "Meine Tochter ist krank",
            "weil mein Sohn Fußball spielt",
            "ابنتي سارة مريضة",
        ] {
            assert!(names(text).is_empty(), "{text}: {:?}", names(text));
        }
    }
}
