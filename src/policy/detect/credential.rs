//! Credentials written into text: access tokens and keys in the formats their issuers document
//! (found anywhere, evidence `format`), and a password, PIN or key right after a word that names
//! it in ten languages (`password: hunter2`, `Passwort ist Sommer2024!`, `senha: brasil@123`,
//! `PIN 4821`, `api_key=…`; evidence `context`). Only the secret is the finding: the word stays,
//! so the reader still sees that a password was sent.

use super::*;
use crate::policy::script::is_cjk;

/// Token formats whose prefix names the issuer, as the issuers document them: JSON Web Tokens
/// (RFC 7519: base64url of a JSON header and payload, both starting `{"` = `eyJ`), Stripe
/// secret, restricted and webhook keys, GitHub tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`,
/// `github_pat_`), GitLab personal tokens, Slack tokens and incoming-webhook URLs, AWS access
/// key ids, Google API keys and OAuth access tokens, OpenAI and Anthropic keys, SendGrid keys,
/// npm tokens, Shopify app tokens, and PEM private keys.
static ISSUED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?x)
        (?-u:\b)(?:
            eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}
          | (?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}
          | whsec_[A-Za-z0-9+/]{24,}
          | gh[pousr]_[A-Za-z0-9]{36,}
          | github_pat_[A-Za-z0-9_]{22,}
          | glpat-[A-Za-z0-9_-]{20,}
          | xox[abprs]-[A-Za-z0-9-]{10,}
          | (?:AKIA|ASIA)[A-Z0-9]{16}
          | AIza[0-9A-Za-z_-]{35}
          | ya29\.[0-9A-Za-z_-]{20,}
          | sk-(?:proj-|ant-|svcacct-)?[A-Za-z0-9_-]{20,}
          | SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}
          | npm_[A-Za-z0-9]{36}
          | shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}
        )(?-u:\b)
        | hooks\.slack\.com/services/[A-Za-z0-9/]{20,}
        | -----BEGIN\ [A-Z\ ]*PRIVATE\ KEY-----",
    )
    .expect("token formats compile")
});

/// What a word names, which decides what may follow it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A password: any run but a stop word after `:` or `=`; after `is` only a secret's shape.
    Password,
    /// A PIN: four to eight digits, also after a bare space (`PIN 4821`).
    Pin,
    /// A key or token: sixteen or more characters with letters and digits.
    Key,
    /// A one-time, verification or card security code: three to eight digits.
    Code,
}

/// The words, lowercase, with what they name. Matched case-insensitively as whole words.
const WORDS: &[(&str, Kind)] = &[
    ("password", Kind::Password),
    ("passwort", Kind::Password),
    ("kennwort", Kind::Password),
    ("passwd", Kind::Password),
    ("pwd", Kind::Password),
    ("passcode", Kind::Password),
    ("passphrase", Kind::Password),
    ("mot de passe", Kind::Password),
    ("mdp", Kind::Password),
    ("wachtwoord", Kind::Password),
    ("contraseña", Kind::Password),
    ("contrasena", Kind::Password),
    ("clave", Kind::Password),
    ("senha", Kind::Password),
    ("parola d'ordine", Kind::Password),
    ("hasło", Kind::Password),
    ("haslo", Kind::Password),
    ("lösenord", Kind::Password),
    ("losenord", Kind::Password),
    ("adgangskode", Kind::Password),
    ("kodeord", Kind::Password),
    ("passord", Kind::Password),
    ("pw", Kind::Password),
    // Beyond the ten languages: Finnish, Czech and Slovak, Hungarian, Romanian, Croatian and
    // Serbian, Turkish typed without its `ş`.
    ("salasana", Kind::Password),
    ("heslo", Kind::Password),
    ("jelszó", Kind::Password),
    ("jelszo", Kind::Password),
    ("parolă", Kind::Password),
    ("lozinka", Kind::Password),
    ("sifre", Kind::Password),
    // Latin-script languages further out: Slovene, Estonian, Latvian, Lithuanian, Icelandic,
    // Swahili, Vietnamese, Indonesian and Malay.
    ("geslo", Kind::Password),
    ("parool", Kind::Password),
    ("parole", Kind::Password),
    ("slaptažodis", Kind::Password),
    ("lykilorð", Kind::Password),
    ("nenosiri", Kind::Password),
    ("mật khẩu", Kind::Password),
    ("mat khau", Kind::Password),
    ("kata sandi", Kind::Password),
    ("kata laluan", Kind::Password),
    ("pin", Kind::Pin),
    ("pin code", Kind::Pin),
    ("pin-code", Kind::Pin),
    ("pincode", Kind::Pin),
    ("code pin", Kind::Pin),
    ("api key", Kind::Key),
    ("api-key", Kind::Key),
    ("api_key", Kind::Key),
    ("apikey", Kind::Key),
    ("secret", Kind::Key),
    ("client secret", Kind::Key),
    ("client_secret", Kind::Key),
    ("secret key", Kind::Key),
    ("secret_key", Kind::Key),
    ("access key", Kind::Key),
    ("access_key", Kind::Key),
    ("private key", Kind::Key),
    ("token", Kind::Key),
    ("access token", Kind::Key),
    ("access_token", Kind::Key),
    ("auth token", Kind::Key),
    ("auth_token", Kind::Key),
    ("refresh token", Kind::Key),
    ("refresh_token", Kind::Key),
    ("bearer", Kind::Key),
    ("authorization", Kind::Key),
    ("session", Kind::Key),
    ("session id", Kind::Key),
    ("sessionid", Kind::Key),
    ("cookie", Kind::Key),
    ("verification code", Kind::Code),
    ("security code", Kind::Code),
    ("one-time code", Kind::Code),
    ("one time code", Kind::Code),
    ("otp", Kind::Code),
    ("login code", Kind::Code),
    ("sms code", Kind::Code),
    ("access code", Kind::Code),
    ("cvv", Kind::Code),
    ("cvv2", Kind::Code),
    ("cvc", Kind::Code),
    ("bestätigungscode", Kind::Code),
    ("sicherheitscode", Kind::Code),
    ("code de vérification", Kind::Code),
    ("code de sécurité", Kind::Code),
    ("verificatiecode", Kind::Code),
    ("beveiligingscode", Kind::Code),
    ("código de verificación", Kind::Code),
    ("código de seguridad", Kind::Code),
    ("codice di verifica", Kind::Code),
    ("codice di sicurezza", Kind::Code),
    ("código de verificação", Kind::Code),
    ("código de segurança", Kind::Code),
    ("kod weryfikacyjny", Kind::Code),
    ("verifieringskod", Kind::Code),
    ("bekræftelseskode", Kind::Code),
];

/// Words that qualify a password, PIN or code between its word and the `:` that introduces it.
const QUALIFIERS: &[&str] = &[
    "temporary",
    "temp",
    "initial",
    "default",
    "one-time",
    "new",
    "temporal",
    "provisional",
    "provisoria",
    "provisória",
    "provisório",
    "provisorio",
    "temporária",
    "temporaria",
    "inicial",
    "nueva",
    "nuevo",
    "nova",
    "novo",
    "neues",
    "neue",
    "neu",
    "vorläufiges",
    "temporäres",
    "initiales",
    "provisoire",
    "temporaire",
    "nouveau",
    "tijdelijk",
    "tijdelijke",
    "nieuw",
    "nieuwe",
    "temporanea",
    "provvisoria",
    "nuova",
    "tymczasowe",
    "nowe",
    "tillfälligt",
    "midlertidig",
    "midlertidigt",
    "väliaikainen",
    "uusi",
    "dočasné",
    "nové",
    "ideiglenes",
    "új",
    "geçici",
    "yeni",
    "temporară",
];

/// Words that say something about a password instead of being one (`password: reset`,
/// `Passwort vergessen`, `mot de passe oublié`).
const NOT_SECRETS: &[&str] = &[
    "reset",
    "forgot",
    "forgotten",
    "changed",
    "change",
    "expired",
    "expires",
    "incorrect",
    "wrong",
    "invalid",
    "required",
    "missing",
    "updated",
    "update",
    "click",
    "here",
    "link",
    "sent",
    "see",
    "please",
    "the",
    "your",
    "my",
    "new",
    "old",
    "set",
    "not",
    "none",
    "n/a",
    "null",
    "empty",
    "hidden",
    "redacted",
    "masked",
    "strength",
    "policy",
    "manager",
    "field",
    "protected",
    "weak",
    "strong",
    "too",
    "must",
    "should",
    "and",
    "or",
    "for",
    "was",
    "has",
    "vergessen",
    "geändert",
    "ändern",
    "zurücksetzen",
    "falsch",
    "ungültig",
    "erforderlich",
    "oublié",
    "changé",
    "modifié",
    "réinitialiser",
    "incorrecte",
    "vergeten",
    "gewijzigd",
    "onjuist",
    "olvidada",
    "olvidé",
    "cambiada",
    "incorrecta",
    "dimenticata",
    "cambiata",
    "errata",
    "esqueci",
    "esquecida",
    "alterada",
    "incorreta",
    "basic",
    "digest",
];

/// The words of scripts without ASCII letters, looked for only in text with a non-ASCII byte.
/// A word ending in a Chinese, Japanese or Korean character needs no boundary after it: the
/// particle that follows is written against it (`비밀번호는`, `パスワードは`).
const OTHER_SCRIPT_WORDS: &[(&str, Kind)] = &[
    ("şifre", Kind::Password),
    ("пароль", Kind::Password),
    ("парола", Kind::Password),
    ("лозинка", Kind::Password),
    ("κωδικός πρόσβασης", Kind::Password),
    ("κωδικός", Kind::Password),
    ("סיסמה", Kind::Password),
    ("סיסמא", Kind::Password),
    ("كلمة المرور", Kind::Password),
    ("كلمة السر", Kind::Password),
    ("رمز عبور", Kind::Password),
    ("گذرواژه", Kind::Password),
    ("पासवर्ड", Kind::Password),
    ("পাসওয়ার্ড", Kind::Password),
    ("รหัสผ่าน", Kind::Password),
    ("密码", Kind::Password),
    ("密碼", Kind::Password),
    ("口令", Kind::Password),
    ("パスワード", Kind::Password),
    ("暗証番号", Kind::Pin),
    ("비밀번호", Kind::Password),
    ("비번", Kind::Password),
];

/// What may stand between the word and the secret, besides `:` and `=`: a verb (`password
/// is`, `Passwort ist`, `mot de passe est`, `wachtwoord is`, `contraseña es`, `senha é`,
/// `hasło to`, `lösenordet är`, `salasana on`, `heslo je`, `parola este`).
const VERBS: &[&str] = &[
    "is",
    "was",
    "ist",
    "war",
    "lautet",
    "est",
    "c'est",
    "c’est",
    "es",
    "era",
    "é",
    "è",
    "to",
    "är",
    "er",
    "er:",
    "on",
    "je",
    "este",
    "это",
    "是",
    "为",
    "為",
    "は",
    "는",
    "은",
    "คือ",
    "là",
    "adalah",
];

/// The verbs of [`VERBS`] in scripts written without spaces, which may touch the secret.
const JOINED_VERBS: &[&str] = &["是", "为", "為", "は", "는", "은"];

/// The words ordered by their first two letters (ASCII, lowercase; a non-ASCII second letter
/// has a bucket of its own), longest first within each: `access token` is tried before
/// `access key`, `pin code` before `pin`. The second part is each bucket's range in the first.
type WordIndex = (Vec<(&'static str, Kind)>, Vec<(u8, u8)>);

static INDEX: std::sync::LazyLock<WordIndex> = std::sync::LazyLock::new(|| {
    let mut words: Vec<(&'static str, Kind)> = WORDS.to_vec();
    let key = |w: &str| {
        let b = w.as_bytes();
        bucket(b[0], b[1]).expect("every word starts with two letters")
    };
    words.sort_by_key(|(w, _)| (key(w), std::cmp::Reverse(w.len())));
    let mut ranges = vec![(0u8, 0u8); 26 * 27];
    for (i, (w, _)) in words.iter().enumerate() {
        let r = &mut ranges[key(w)];
        let i = u8::try_from(i).expect("fewer than 256 words");
        if r.0 == r.1 {
            *r = (i, i + 1);
        } else {
            r.1 = i + 1;
        }
    }
    (words, ranges)
});

/// The bucket of a word starting with bytes `a`, `b`.
fn bucket(a: u8, b: u8) -> Option<usize> {
    let a = a.to_ascii_lowercase();
    let b = b.to_ascii_lowercase();
    if !a.is_ascii_lowercase() {
        return None;
    }
    let second = match b {
        b'a'..=b'z' => usize::from(b - b'a'),
        0x80.. => 26,
        _ => return None,
    };
    Some(usize::from(a - b'a') * 27 + second)
}

/// Appends the credentials in `text` to `out`, skipping what overlaps a finding from `from` on.
///
/// One byte loop keeps the cost low on the text that holds none, which is nearly all of it:
/// the token formats are searched only in text with a run of twenty token characters (every
/// format but a PEM header is at least that long) or a PEM header, and the words are looked up
/// only where a word starts with the first two letters of one of them.
#[inline(never)]
pub(super) fn scan(text: &str, out: &mut Vec<Finding>, from: usize) {
    let b = text.as_bytes();
    let (words, ranges) = &*INDEX;
    // One pass: the longest run of token characters, and the words found (their end and kind;
    // a text naming more than eight is looked at for its first eight).
    let mut hits = [(0usize, Kind::Key); 8];
    let mut found = 0;
    let (mut run, mut long_run, mut in_word) = (0, false, false);
    let mut i = 0;
    while i < b.len() {
        let class = CLASS[usize::from(b[i])];
        run = if class & TOKEN != 0 { run + 1 } else { 0 };
        long_run |= run >= 20;
        if class & FIRST_LETTER == 0 || in_word || found == hits.len() {
            in_word = class & WORD != 0;
            i += 1;
            continue;
        }
        let hit = b
            .get(i + 1)
            .and_then(|&second| bucket(b[i], second))
            .and_then(|k| {
                let (lo, hi) = ranges[k];
                words[usize::from(lo)..usize::from(hi)]
                    .iter()
                    .find_map(|&(w, kind)| word_at(text, i, w).map(|end| (end, kind)))
            });
        in_word = true;
        if let Some(h) = hit {
            hits[found] = h;
            found += 1;
        }
        i += 1;
    }
    if !b.is_ascii() {
        // Longer words are listed first; a word inside one found already (`κωδικός` in
        // `κωδικός πρόσβασης`) adds nothing.
        let mut spans = [(0usize, 0usize); 8];
        let mut n = 0;
        for &(w, kind) in OTHER_SCRIPT_WORDS {
            for (at, _) in text.match_indices(w) {
                let end = at + w.len();
                let before = text[..at].chars().next_back();
                let after = text[end..].chars().next();
                let joins = w.chars().next_back().is_some_and(is_cjk);
                // Chinese and Japanese write words against each other (`我的密码是`,
                // `私のパスワードは`): a word of their script needs no boundary before it either.
                let opens = w.chars().next().is_some_and(is_cjk);
                if found == hits.len()
                    || before.is_some_and(|c| c.is_alphanumeric() && !(opens && is_cjk(c)))
                    || (!joins && after.is_some_and(char::is_alphanumeric))
                    || spans[..n].iter().any(|&(s, e)| s <= at && at < e)
                {
                    continue;
                }
                hits[found] = (end, kind);
                found += 1;
                spans[n] = (at, end);
                n += 1;
            }
        }
    }
    if long_run || PEM.find(b).is_some() {
        for m in ISSUED.find_iter(text) {
            let body = m.as_str();
            // A key's random part has letters and digits; JWTs and PEM headers are shapes of
            // their own.
            let random = body.starts_with("eyJ")
                || body.starts_with("-----")
                || (body.bytes().filter(u8::is_ascii_alphabetic).count() >= 4
                    && (body.bytes().any(|c| c.is_ascii_digit())
                        || (body.len() >= 30
                            && body.bytes().any(|c| c.is_ascii_uppercase())
                            && body.bytes().any(|c| c.is_ascii_lowercase()))));
            if random && no_overlap(&out[from..], m.start(), m.end()) {
                let end = if body.starts_with("-----") {
                    pem_end(text, m.start())
                } else {
                    m.end()
                };
                out.push(finding(m.start(), end, CREDENTIAL));
            }
        }
    }
    for &(end, kind) in &hits[..found] {
        if let Some((s, e)) = secret_after(text, end, kind)
            && no_overlap(&out[from..], s, e)
        {
            out.push(Finding {
                evidence: Evidence::Context,
                ..finding(s, e, CREDENTIAL)
            });
        }
    }
}

/// The start of a PEM block.
static PEM: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"-----BEGIN"));

/// Byte classes: a token format's character, a word's (letters, digits, any non-ASCII byte),
/// and the first letter of one of the words, either case.
const TOKEN: u8 = 1;
const WORD: u8 = 2;
const FIRST_LETTER: u8 = 4;
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/' | b'+' | b'=') {
            t[c] |= TOKEN;
        }
        if b.is_ascii_alphanumeric() || b >= 0x80 {
            t[c] |= WORD;
        }
        c += 1;
    }
    let mut k = 0;
    while k < WORDS.len() {
        let first = WORDS[k].0.as_bytes()[0];
        t[first as usize] |= FIRST_LETTER | WORD;
        t[first.to_ascii_uppercase() as usize] |= FIRST_LETTER | WORD;
        k += 1;
    }
    t
};

/// The end of `word` when the text at `i` is that word (case-insensitively; a space in it may
/// be written as a space, `_`, `-` or nothing) followed by a word boundary. Bytes are compared
/// while both are ASCII, which is nearly always; a non-ASCII letter of the word by its char.
fn word_at(text: &str, i: usize, word: &str) -> Option<usize> {
    let b = text.as_bytes();
    let w = word.as_bytes();
    let (mut j, mut k) = (i, 0);
    while k < w.len() {
        match w[k] {
            b' ' => {
                if b.get(j).is_some_and(|c| matches!(c, b' ' | b'_' | b'-')) {
                    j += 1;
                }
                k += 1;
            }
            ascii if ascii < 0x80 => {
                if b.get(j).map(u8::to_ascii_lowercase) != Some(ascii) {
                    return None;
                }
                j += 1;
                k += 1;
            }
            _ => {
                let wc = word[k..].chars().next()?;
                let tc = text.get(j..)?.chars().next()?;
                if tc != wc && !tc.to_lowercase().eq(wc.to_lowercase()) {
                    return None;
                }
                j += tc.len_utf8();
                k += wc.len_utf8();
            }
        }
    }
    match text[j..].chars().next() {
        Some(c) if c.is_alphanumeric() => None,
        _ => Some(j),
    }
}

/// The end of a PEM block that starts at `start`: its `-----END … KEY-----` line, or the end of
/// the text when it is cut off.
fn pem_end(text: &str, start: usize) -> usize {
    let rest = &text[start + 5..];
    match rest.find("-----END") {
        Some(i) => {
            let after = start + 5 + i + 8;
            text[after..]
                .find("-----")
                .map_or(text.len(), |j| after + j + 5)
        }
        None => text.len(),
    }
}

/// The secret right after a word ending at `at`: `(start, end)` in `text`.
fn secret_after(text: &str, at: usize, kind: Kind) -> Option<(usize, usize)> {
    let rest = &text[at..];
    let spaces = |s: &str| s.len() - s.trim_start_matches([' ', '\t']).len();
    let mut i = spaces(rest);
    // A qualifier between the word and its `:` or `=` (`contraseña temporal: …`, `senha
    // provisória: …`, `PIN initial = …`) is skipped.
    let word_len = rest[i..]
        .find(|c: char| !c.is_alphabetic() && c != '-')
        .unwrap_or(rest.len() - i);
    let word = &rest[i..i + word_len];
    if !word.is_empty()
        && QUALIFIERS
            .iter()
            .any(|q| word.chars().flat_map(char::to_lowercase).eq(q.chars()))
    {
        let after = i + word_len;
        let j = after + spaces(&rest[after..]);
        if rest[j..].starts_with([':', '=', '：']) {
            i = j;
        }
    }
    let mut separated = false;
    let mut shaped = false;
    if let Some(c) = rest[i..].chars().next()
        && matches!(c, ':' | '=' | '：')
    {
        i += c.len_utf8();
        if rest[i..].starts_with('=') {
            i += 1;
        }
        separated = true;
    } else {
        let word_end = rest[i..]
            .find(|c: char| c.is_whitespace())
            .map_or(rest.len(), |j| i + j);
        let verb = &rest[i..word_end];
        // A particle of a script without spaces may be written against the secret
        // (`密码是abc123`, `パスワードはabc12345`).
        let joined = JOINED_VERBS.iter().find(|v| {
            rest[i..]
                .strip_prefix(**v)
                .and_then(|r| r.chars().next())
                .is_some_and(|c| !is_cjk(c) && !c.is_whitespace())
        });
        if let Some(v) = joined {
            i += v.len();
        } else if !verb.is_empty() && VERBS.iter().any(|v| v.eq_ignore_ascii_case(verb)) {
            i = word_end;
        } else if matches!(kind, Kind::Pin | Kind::Code)
            && i > 0
            && let Some(j) = verb_ahead(rest, i)
        {
            // A PIN or code a few words before its verb (`PIN for the door is 7391`): the
            // digits its kind asks for must follow.
            i = j;
        } else if kind == Kind::Password && i > 0 {
            // Further from its word, a password must have a password's shape: after a
            // preposition (`changed the pwd to …`, `la pwd in …`), after a verb a few words on
            // (`Passwort für den Account ist …`), or right after the word (`비번 dkssud!1234`).
            i = if PREPOSITIONS.iter().any(|p| p.eq_ignore_ascii_case(verb)) {
                word_end
            } else {
                verb_ahead(rest, i).unwrap_or(i)
            };
            shaped = true;
        } else if kind == Kind::Password || i == 0 {
            // A password needs `:`, `=` or a verb; a PIN or key may follow a bare space.
            return None;
        }
        let more = rest[i..].trim_start_matches([' ', '\t', ':']);
        i = rest.len() - more.len();
    }
    i += spaces(&rest[i..]);
    // An authentication scheme names what follows (`Authorization: Basic dXNlcjpwYXNz`).
    let mut schemed = false;
    for scheme in ["Basic ", "Bearer ", "Token ", "Digest "] {
        if rest[i..]
            .get(..scheme.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(scheme))
        {
            i += scheme.len();
            i += spaces(&rest[i..]);
            schemed = true;
            break;
        }
    }
    // Quotes around the secret are not part of it; inside them it may hold spaces.
    let quote = rest[i..]
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '\'' | '`' | '«' | '“'));
    if let Some(q) = quote {
        i += q.len_utf8();
    }
    let len = match quote {
        Some(q) => {
            let close = match q {
                '«' => '»',
                '“' => '”',
                other => other,
            };
            rest[i..].find(close)?
        }
        None => {
            // Text without spaces ends a secret at its own punctuation, or at the words of its
            // script after a secret in another (`abc123，别告诉别人`, `sakura2024です`).
            let cjk_secret = rest[i..].chars().next().is_some_and(is_cjk);
            rest[i..]
                .find(|c: char| {
                    c.is_whitespace()
                        || matches!(c, '，' | '。' | '、' | '；' | '！' | '？' | '）' | '」')
                        || (!cjk_secret && is_cjk(c))
                })
                .unwrap_or(rest.len() - i)
        }
    };
    let mut candidate = &rest[i..i + len];
    // Punctuation that ends the sentence is not the secret's.
    if quote.is_none() {
        candidate = candidate.trim_end_matches(['.', ',', ';', ')', '!', '?']);
    }
    if candidate.is_empty() {
        return None;
    }
    // `Sommer2024!`: a '!' that ends the text after a password is kept with it.
    let kept_bang = quote.is_none()
        && kind == Kind::Password
        && rest[i + candidate.len()..].starts_with('!')
        && rest[i + candidate.len() + 1..].trim().is_empty();
    let len = candidate.len() + usize::from(kept_bang);
    let c = candidate;
    // Placeholders and masks are not secrets: `(hidden)`, `<password>`, `********`, `xxxx`.
    if c.starts_with(['(', '[', '<', '*', '{', '#']) || c.chars().all(|ch| ch == '*' || ch == 'x') {
        return None;
    }
    if NOT_SECRETS.iter().any(|w| w.eq_ignore_ascii_case(c)) {
        return None;
    }
    let digits = c.bytes().filter(u8::is_ascii_digit).count();
    let letters = c.chars().filter(|ch| ch.is_alphabetic()).count();
    let symbols = c.chars().count() - digits - letters;
    let mixed = c.chars().skip(1).any(char::is_uppercase) && c.chars().any(char::is_lowercase);
    let ok = match kind {
        // Four digits (up to six after `:` or `=`); a Dutch postcode (`pincode 1011 AB`) is
        // not one.
        Kind::Pin => {
            digits == c.len()
                && (c.len() == 4 || (separated && c.len() <= 6))
                && !postcode_letters(&rest[i + len..])
        }
        Kind::Code => (3..=8).contains(&c.len()) && digits == c.len(),
        Kind::Key => {
            c.len() >= if schemed { 8 } else { 16 }
                && (digits > 0 || schemed)
                && letters > 0
                && c.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._~+/=-".contains(&b))
        }
        Kind::Password if shaped => {
            (6..=64).contains(&c.chars().count())
                && letters >= 2
                && digits >= 2
                && (symbols > 0 || mixed || c.len() >= 8)
        }
        Kind::Password => {
            (4..=128).contains(&c.chars().count())
                && (digits > 0 || symbols > 0 || mixed || (separated && letters >= 4))
        }
    };
    ok.then_some((at + i, at + i + len))
}

/// Words that lead from a password word to the password (`changed the password to …`, `la pwd
/// in …`, `Passwort auf … geändert`, `contraseña a …`).
const PREPOSITIONS: &[&str] = &[
    "to", "into", "in", "auf", "zu", "a", "en", "para", "naar", "på", "na", "do", "sur", "em", "ke",
];

/// The end of a verb of [`VERBS`] among the next four short words after `at` (`für den
/// Account ist`, `for my account is`), if there is one.
fn verb_ahead(rest: &str, at: usize) -> Option<usize> {
    let mut i = at;
    for _ in 0..5 {
        let tail = &rest[i..];
        let start = tail.len() - tail.trim_start_matches([' ', '\t']).len();
        let word_len = tail[start..]
            .find(char::is_whitespace)
            .unwrap_or(tail.len() - start);
        let word = &tail[start..start + word_len];
        // Elided words keep their apostrophe (`c'est`, `l'accès`).
        if word.is_empty()
            || word.chars().count() > 12
            || word
                .chars()
                .any(|c| !c.is_alphabetic() && !matches!(c, '\'' | '’'))
        {
            return None;
        }
        i += start + word_len;
        if VERBS.iter().any(|v| v.eq_ignore_ascii_case(word)) {
            return Some(i);
        }
    }
    None
}

/// Two capital letters as the next word: the letters of a Dutch postcode.
fn postcode_letters(after: &str) -> bool {
    let b = after.as_bytes();
    b.len() >= 3
        && b[0] == b' '
        && b[1].is_ascii_uppercase()
        && b[2].is_ascii_uppercase()
        && b.get(3).is_none_or(|c| !c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        scan(text, &mut out, 0);
        out.iter().map(|f| &text[f.start..f.end]).collect()
    }

    #[test]
    fn issued_tokens_are_found_anywhere() {
        for (text, want) in [
            (
                "webhook_cfg api_key=sk_live_51H8xQ2eZvKYlo2C9aBcDeF",
                "sk_live_51H8xQ2eZvKYlo2C9aBcDeF",
            ),
            (
                "use ghp_1234567890abcdefghijABCDEFGHIJ123456 for CI",
                "ghp_1234567890abcdefghijABCDEFGHIJ123456",
            ),
            ("key AKIAIOSFODNN7EXAMPLE leaked", "AKIAIOSFODNN7EXAMPLE"),
            (
                "maps key AIzaSyA1234567890abcdefghijklmnopqrstuv",
                "AIzaSyA1234567890abcdefghijklmnopqrstuv",
            ),
            (
                "slack xoxb-123456789012-1234567890123-AbCdEfGhIjKl",
                "xoxb-123456789012-1234567890123-AbCdEfGhIjKl",
            ),
            (
                "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
            ),
            (
                "OPENAI_API_KEY sk-proj-AbCdEf1234567890GhIjKl",
                "sk-proj-AbCdEf1234567890GhIjKl",
            ),
            (
                "post to https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
                "hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
            ),
        ] {
            assert_eq!(found(text), [want], "{text}");
        }
        let pem = "key: -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY----- end";
        assert_eq!(
            found(pem),
            ["-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"]
        );
    }

    #[test]
    fn a_secret_after_a_word_in_another_script() {
        for (text, want) in [
            ("пароль: Kuznecov1984!", "Kuznecov1984!"),
            ("كلمة المرور: Riyadh@1990", "Riyadh@1990"),
            ("密码是 wjg19750521", "wjg19750521"),
            ("비밀번호는 minjun0703 으로 바꿨어요", "minjun0703"),
            ("パスワードは abc12345 です", "abc12345"),
            ("我的密码是 abc123", "abc123"),
            ("我的密码是abc123，别告诉别人", "abc123"),
            ("私のパスワードはsakura2024です", "sakura2024"),
            ("내 비밀번호는 minjun0703", "minjun0703"),
            ("비번 dkssud!1234 이에요", "dkssud!1234"),
            ("κωδικός πρόσβασης: Athens#2021", "Athens#2021"),
            ("şifre: Ankara1923!", "Ankara1923!"),
            ("mật khẩu: Hanoi@2024", "Hanoi@2024"),
            ("סיסמה: Tel-Aviv7", "Tel-Aviv7"),
        ] {
            assert_eq!(found(text), [want], "{text}");
        }
        // The word with nothing that separates a secret from it, and the word inside another.
        for text in [
            "пароль от wifi в описании",
            "парольный менеджер: Bitwarden",
            "忘记密码了怎么办",
            "密码学是一门科学",
            "パスワードを忘れた",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn a_secret_after_a_word_that_names_it() {
        for (text, want) in [
            ("cant login, password: hunter2", "hunter2"),
            ("Passwort ist Sommer2024!", "Sommer2024!"),
            ("senha: brasil@123", "brasil@123"),
            ("mot de passe : Chat-Noir-7", "Chat-Noir-7"),
            ("mijn wachtwoord is Tulp1234.", "Tulp1234"),
            ("la contraseña es Perro#99", "Perro#99"),
            ("contraseña temporal: Gaviota_4821", "Gaviota_4821"),
            ("senha provisória: Ipê#Amarelo19", "Ipê#Amarelo19"),
            ("salasana: Mustikka!Metsä7", "Mustikka!Metsä7"),
            ("heslo: Praha2024", "Praha2024"),
            ("jelszó: Tavasz#12", "Tavasz#12"),
            ("hasło to Kot2024, dzięki", "Kot2024"),
            ("PIN 4821", "4821"),
            ("my pin is 0042", "0042"),
            ("PIN for the door is 7391, thanks", "7391"),
            (
                "le mot de passe du wifi c'est Vacances2023!",
                "Vacances2023!",
            ),
            ("password=\"correct horse\"", "correct horse"),
            ("Authorization: Basic dXNlcjpwYXNz", "dXNlcjpwYXNz"),
            ("mijn pincode is 1234", "1234"),
            ("pwd: dragonfly", "dragonfly"),
            ("pw: Winter2023", "Winter2023"),
            (
                "Passwort für den Account ist Sommerhase!2019 – bitte nicht weitergeben",
                "Sommerhase!2019",
            ),
            (
                "ho cambiato la pwd in Gattino_Rosso77 ma non riesco",
                "Gattino_Rosso77",
            ),
            ("changed my password to Tulip#2024 yesterday", "Tulip#2024"),
            ("the password for the wifi is Fr1tz!box99", "Fr1tz!box99"),
            ("Your verification code is 482913", "482913"),
            ("Ihr Bestätigungscode: 5531", "5531"),
            ("cvv 123, exp 12/27", "123"),
            (
                "Set-Cookie: session=eyJ1c2VyIjoiamFuZSJ9.abc123; HttpOnly",
                "session=eyJ1c2VyIjoiamFuZSJ9.abc123",
            ),
            (
                "api key: 9f8e7d6c5b4a39281706f5e4d3c2b1a0",
                "9f8e7d6c5b4a39281706f5e4d3c2b1a0",
            ),
            (
                "Authorization: Token 7d9f1a2b3c4d5e6f7a8b9c0d",
                "7d9f1a2b3c4d5e6f7a8b9c0d",
            ),
        ] {
            assert_eq!(found(text), [want], "{text}");
        }
        for text in [
            "forgot password: reset link sent",
            "Passwort vergessen",
            "password reset requested",
            "mot de passe oublié",
            "the password is incorrect",
            "password: ********",
            "password: (hidden)",
            "max token: 4096",
            "prompt tokens 512",
            "PIN 12 of the connector",
            "secret santa draw on Friday",
            "token count: 1234567890",
            "Pinterest board",
            "pincode 1011 AB",
            "Authorization: Basic",
            "security code is required",
            "session: 5 minutes",
            "cookie consent given",
            "OTP sent to the phone",
            "password for the wifi is on the fridge",
            "changed the password to something longer",
            "password hash sha256",
            "password field2 is required",
            "set the password in settings",
            "the PIN for my card is wrong",
            "PIN for the card is 12",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn hostile_text_is_linear() {
        let long = "password: ".repeat(40_000);
        let _ = found(&long);
        let long = "eyJ".repeat(100_000);
        assert!(found(&long).is_empty());
    }
}
