//! E-mail addresses and credentials in URLs: the candidates' validation.

use super::*;
use crate::policy::script::is_mark;

/// Top-level domains that are really file extensions (none of them is a delegated TLD), so
/// `icon@2x.png` or `bundle@main.js` are asset names, not addresses.
pub(super) const FILE_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "bmp", "ico", "tif", "tiff", "heic", "css",
    "js", "mjs", "cjs", "ts", "tsx", "jsx", "map", "json", "xml", "html", "htm", "woff", "woff2",
    "ttf", "otf", "eot", "mp3", "mp4", "webm", "wav", "ogg", "pdf", "txt", "csv", "yaml", "yml",
    "lock", "gz",
];

/// Longest run of local-part characters `validate_email` walks back over from an '@'. A local
/// part holds at most 64 bytes; the slack covers the leading punctuation the old pattern allowed.
pub(super) const LOCAL_WALK: usize = 256;

/// A character of an e-mail local part as the candidates accept it (o'brien, josé).
pub(super) fn is_local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "._%+-'".contains(c) || ('\u{C0}'..='\u{24F}').contains(&c)
}

/// Start of the run of local-part characters that ends at `at`, walking back no further than
/// `lo` (the end of the previous finding) and `LOCAL_WALK` bytes.
pub(super) fn local_start(text: &str, at: usize, lo: usize) -> usize {
    let floor = lo.max(at.saturating_sub(LOCAL_WALK));
    // An internationalised local part (RFC 6531: `попов.алексей@…`, `子轩.王@…`) is a run of
    // another script's letters, walked over only when one stands right before the '@': an
    // ASCII local part after Japanese or Chinese text (`メールはtaro@…`) stays ASCII.
    let other = text[..at]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() && !is_local_char(c));
    let accepts = |c: char| {
        if other {
            c.is_alphanumeric() || is_mark(c) || matches!(c, '.' | '_' | '-')
        } else {
            is_local_char(c)
        }
    };
    let mut start = at;
    for (i, c) in text[..at].char_indices().rev() {
        if i < floor || !accepts(c) {
            break;
        }
        start = i;
    }
    start
}

/// An e-mail candidate: `s` is its '@' (or "%40"), `e` the end of its domain; the local part is
/// the run before `s` (from `lo` on at most).
pub(super) fn validate_email(text: &str, s: usize, e: usize, lo: usize) -> Eval {
    let b = text.as_bytes();
    let (at_pos, at_len) = if b[s] == b'@' { (s, 1) } else { (s, 3) };
    // Resume after the '@': a retry inside the local part would find the same '@' again.
    let rejected = Eval::Rejected(at_pos + at_len);
    let mut start = local_start(text, at_pos, lo);
    if start + LOCAL_WALK <= at_pos
        && start > lo
        && text[..start].chars().next_back().is_some_and(is_local_char)
    {
        // The run goes on beyond the walk: far longer than any local part.
        return rejected;
    }
    while start < at_pos && b"._%+-'".contains(&b[start]) {
        start += 1;
    }
    let local = &b[start..at_pos];
    if local.is_empty()
        || local.len() > 64
        || local.ends_with(b".")
        || local.windows(2).any(|w| w == b"..")
    {
        return rejected;
    }
    if at(b, e).is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'@' || c == b'-') {
        return rejected;
    }
    let domain = &text[at_pos + at_len..e];
    if domain.len() > 253 {
        return rejected;
    }
    let mut labels = domain.rsplit('.');
    let tld = labels.next().unwrap_or("");
    // ASCII letters, or an internationalised TLD's letters (`рф`, `ελ`, `中国`, `한국`).
    let ascii_tld = tld.bytes().all(|c| c.is_ascii_alphabetic());
    let idn_tld = !tld.is_ascii() && tld.chars().all(|c| c.is_alphabetic() || is_mark(c));
    if !(2..=63).contains(&tld.len())
        || !(ascii_tld || idn_tld && tld.chars().count() >= 2)
        || FILE_EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(tld))
    {
        return rejected;
    }
    for label in labels {
        // `@2x`, `@1.5x`: retina asset suffixes.
        let retina = label.len() >= 2
            && label.as_bytes()[label.len() - 1].eq_ignore_ascii_case(&b'x')
            && label.as_bytes()[..label.len() - 1]
                .iter()
                .all(u8::is_ascii_digit);
        if label.is_empty() || label.len() > 63 || retina {
            return rejected;
        }
    }
    found(start, e, EMAIL)
}

/// A url-credentials candidate: `s` is its "://", `e` one past the '@' ending the userinfo. The
/// scheme before `s` needs a letter within 64 bytes (and after `lo`, the previous finding's end).
pub(super) fn validate_url_credentials(text: &str, s: usize, e: usize, lo: usize) -> Eval {
    let b = text.as_bytes();
    let floor = lo.max(s.saturating_sub(64));
    let scheme = b[floor..s]
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric() || b"+.-".contains(c));
    let mut has_letter = false;
    for c in scheme {
        has_letter |= c.is_ascii_alphabetic();
    }
    let sep = s + 3;
    if !has_letter {
        return Eval::Rejected(sep);
    }
    let info_end = e - 1; // the '@'
    let info = &b[sep..info_end];
    // "user:password" (either side may be empty, not both): a user alone is not a credential.
    if memchr::memchr(b':', info).is_none() {
        return Eval::Rejected(sep);
    }
    let host_ok = at(b, e).is_some_and(|c| c.is_ascii_alphanumeric() || c == b'[' || c >= 0x80);
    if info.len() < 2 || !host_ok {
        return Eval::Rejected(sep);
    }
    Eval::Found(finding(sep, info_end, URL_CREDENTIALS), e)
}

/// The words written for a dot in a spelled-out address (`gmail dot com`, `web punkt de`), in
/// the languages of the spelled `@` below: cs `tečka`, sk `bodka`, sl/hr `točka`, ru/bg/uk
/// `точка`, tr `nokta`, hu `pont`, fi `piste`, da/no `prik`, ko `점`, ja `ドット`, zh `点`.
const SPELLED_DOTS: &[&str] = &[
    "dot",
    "punkt",
    "point",
    "punto",
    "ponto",
    "kropka",
    "tečka",
    "tecka",
    "bodka",
    "točka",
    "tocka",
    "точка",
    "nokta",
    "pont",
    "piste",
    "prik",
    "점",
    "ドット",
    "点",
];

/// The words written for `@` in a spelled-out address, besides `at`: es/pt `arroba`, fr
/// `arobase`, sv `snabel-a`, pl `małpa`, it `chiocciola`, de `Klammeraffe`, nl `apenstaartje`,
/// hu `kukac` (`rafaela.pimentel arroba gmail ponto com`), tr `et`, ru `собака`, cs
/// `zavináč`, ko `골뱅이`, ja `アットマーク` and `@マーク`.
const SPELLED_ATS: &[&str] = &[
    "at",
    "ät",
    "et",
    "arroba",
    "arobase",
    "snabel-a",
    "małpa",
    "malpa",
    "chiocciola",
    "klammeraffe",
    "apenstaartje",
    "kukac",
    "собака",
    "собачка",
    "zavináč",
    "zavinac",
    "골뱅이",
    "アットマーク",
    "@マーク",
];

/// Top-level domains that a spelled-out address (`jane dot doe at gmail dot com`) may end in
/// without brackets: the generic ones and the country codes of the languages privgate reads.
/// A spelled address with brackets (`(at)`, `[dot]`) may end in any alphabetic TLD.
pub(super) const SPELLED_TLDS: &[&str] = &[
    "com", "org", "net", "edu", "gov", "info", "biz", "io", "me", "eu", "de", "at", "ch", "fr",
    "be", "nl", "es", "it", "pt", "br", "pl", "se", "dk", "no", "fi", "ie", "uk", "us", "ca", "au",
    "nz", "in", "mx", "ar", "co", "lu", "cz", "ru", "jp",
];

/// E-mail addresses written to escape harvesters: `jane(at)example.org`, `info [at] firma [dot]
/// de`, `jane{at}example.com`, `jane(@)example.com`, `jane dot doe at gmail dot com`. Found
/// with format evidence when `@` is written as a bracketed `at`/`@` (any real or spelled dots
/// after it), or as a bare word `at` (or one of [`SPELLED_ATS`]) followed by a domain whose dots are spelled (`dot`,
/// `punkt`, `point`, `punto`, `ponto`, `kropka`) or, with real dots, a local part that holds a
/// dot, digit or underscore (`j.doe at example.com`) — so "look at example.com" stays.
pub(super) fn scan_obfuscated(text: &str, out: &mut Vec<Finding>) {
    static SPELLED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        let words = SPELLED_DOTS.join("|");
        let ats = SPELLED_ATS.join("|");
        let dot = format!(
            r"(?:[ \t]*[(\[{{<][ \t]*(?:{words}|\.)[ \t]*[)\]}}>][ \t]*|[ \t]+(?:{words})[ \t]+|\.)"
        );
        let label = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
        let pattern = format!(
            r"(?i)(?:^|[^a-z0-9._%+-])(?P<local>[a-z0-9][a-z0-9_%+-]*(?:{dot}[a-z0-9_%+-]+)*)(?P<at>[ \t]*[(\[{{<][ \t]*(?:{ats}|@)[ \t]*[)\]}}>][ \t]*|[ \t]+(?:{ats})[ \t]+)(?P<domain>{label}(?:{dot}{label})+)"
        );
        regex::Regex::new(&pattern).expect("obfuscated e-mail pattern compiles")
    });
    let mut from = 0;
    let mut try_at = |at: usize, end: usize, spelled_form: bool, from: &mut usize| {
        if at < *from || spelled_form && !dot_follows(&text[end..]) {
            return;
        }
        // The local part starts at most 64 bytes before the `at`.
        let mut lo = at.saturating_sub(66).max(*from);
        while !text.is_char_boundary(lo) {
            lo += 1;
        }
        // An address ends within 256 bytes of its `at`.
        let mut hi = (end + 256).min(text.len());
        while !text.is_char_boundary(hi) {
            hi -= 1;
        }
        *from = scan_obfuscated_from(&text[..hi], lo, &SPELLED, out).max(end);
    };
    let b = text.as_bytes();
    let bracket = |c: u8| matches!(c, b'(' | b'[' | b'{' | b'<');
    // `(@)`, `[ @ ]`: an '@' right after an opening bracket ('@' is rare, so this is cheap).
    for i in memchr::memchr_iter(b'@', b) {
        let open = text[..i].trim_end_matches(' ');
        if open.bytes().next_back().is_some_and(bracket) {
            try_at(open.len() - 1, i + 1, false, &mut from);
        }
    }
    // `at`, `ät` and `et` as words: found from their `t`, cheap to look for and rarer than
    // spaces.
    from = 0;
    for i in memchr::memchr2_iter(b't', b'T', b) {
        let word_start = if i >= 1 && matches!(b[i - 1], b'a' | b'A' | b'e' | b'E') {
            i - 1
        } else if i >= 2 && matches!(&b[i - 2..i], [0xC3, 0xA4 | 0x84]) {
            i - 2
        } else {
            continue;
        };
        let after = b.get(i + 1).copied();
        if !after.is_some_and(|c| c == b' ' || c == b'\t' || matches!(c, b')' | b']' | b'}' | b'>'))
        {
            continue;
        }
        let before = text[..word_start].trim_end_matches(' ');
        let spaced = before.len() < word_start;
        match before.bytes().next_back() {
            Some(c) if bracket(c) => try_at(before.len() - 1, i + 1, false, &mut from),
            Some(_) if spaced && matches!(after, Some(b' ' | b'\t')) => {
                try_at(word_start - 1, i + 2, true, &mut from);
            }
            _ => {}
        }
    }
    // The other languages' words for `@`, as words between spaces or in brackets.
    static OTHER_ATS: std::sync::LazyLock<aho_corasick::AhoCorasick> =
        std::sync::LazyLock::new(|| {
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(&SPELLED_ATS[3..])
                .expect("the spelled @ words make an automaton")
        });
    from = 0;
    for m in OTHER_ATS.find_iter(text) {
        let (start, end) = (m.start(), m.end());
        let after = b.get(end).copied();
        let before = text[..start].trim_end_matches(' ');
        let spaced = before.len() < start;
        match (before.bytes().next_back(), after) {
            (Some(c), Some(a)) if bracket(c) && matches!(a, b')' | b']' | b'}' | b'>' | b' ') => {
                try_at(before.len() - 1, end + 1, false, &mut from);
            }
            (Some(_), Some(b' ' | b'\t')) if spaced => try_at(start - 1, end + 1, true, &mut from),
            _ => {}
        }
    }
}

/// A dot in the word after a spelled `at`, or a spelled dot after it: `gmail.com`,
/// `gmail dot com`.
fn dot_follows(tail: &str) -> bool {
    let tail = &tail.as_bytes()[..tail.len().min(80)];
    let word = tail
        .iter()
        .position(u8::is_ascii_whitespace)
        .unwrap_or(tail.len());
    // `at jane@example.com` is a plain address after the word, found by the e-mail scan.
    if tail[..word].contains(&b'@') {
        return false;
    }
    tail[..word].contains(&b'.')
        || tail[word..]
            .split(u8::is_ascii_whitespace)
            .nth(1)
            .is_some_and(|w| {
                SPELLED_DOTS
                    .iter()
                    .any(|d| w.eq_ignore_ascii_case(d.as_bytes()))
            })
}

/// The first obfuscated-address candidate at or after `from` in `text` (a window around one
/// `at`): pushes it when it passes and returns where the next search may start (0 when there
/// is no candidate: the caller goes on after its `at`).
fn scan_obfuscated_from(
    text: &str,
    from: usize,
    spelled: &regex::Regex,
    out: &mut Vec<Finding>,
) -> usize {
    let Some(c) = spelled.captures_at(text, from) else {
        return 0;
    };
    let (Some(local), Some(at), Some(domain)) = (c.name("local"), c.name("at"), c.name("domain"))
    else {
        return 0;
    };
    let next = at.start() + 1;
    let domain_text = domain.as_str();
    // The last label, after the last dot of any kind.
    let tld = domain_text
        .rsplit(|c: char| !c.is_ascii_alphanumeric() && c != '-')
        .next()
        .unwrap_or("");
    if !(2..=24).contains(&tld.len())
        || !tld.bytes().all(|b| b.is_ascii_alphabetic())
        || FILE_EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(tld))
    {
        return next;
    }
    let bracketed = at.as_str().contains(['(', '[', '{', '<']);
    // A spelled `at` between two ordinary words with real dots after it ("look at
    // example.com") is a phrase, not an address: a spelled dot or the local part's own shape
    // (a dot, `_`, or letters with digits) must say otherwise, and the TLD be a common one.
    let spelled_ok = || {
        let spelled_dot = domain_text.contains(['(', '[', '{', '<'])
            || domain_text
                .split(|c: char| !c.is_ascii_alphabetic())
                .any(|w| SPELLED_DOTS.iter().any(|d| w.eq_ignore_ascii_case(d)));
        let l = local.as_str();
        let shaped = l.contains(['.', '_']) && l.len() > 2
            || l.bytes().any(|b| b.is_ascii_digit()) && l.bytes().any(|b| b.is_ascii_alphabetic());
        SPELLED_TLDS.iter().any(|t| t.eq_ignore_ascii_case(tld)) && (spelled_dot || shaped)
    };
    if bracketed || spelled_ok() {
        out.push(finding(local.start(), domain.end(), EMAIL));
        return domain.end();
    }
    next
}
