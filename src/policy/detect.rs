//! Built-in and custom PII detectors: find personal data (e-mail addresses, phone numbers, card
//! numbers, IBANs, SSNs, IP and MAC addresses, credentials in URLs, and policy-defined patterns)
//! inside one string value and report it as byte ranges.
//!
//! Everything is compiled once in [`Detectors::new`]: one multi-pattern regex holds a *candidate*
//! pattern per format (plus the custom patterns of the policy); [`Detectors::scan`] runs a cheap
//! byte pre-filter, then that one regex, and validates only the candidates in code (Luhn and issuer
//! prefixes, IBAN length and mod-97, SSN area/group/serial, NANP area/exchange, address parsing,
//! boundaries that the regex cannot express because it has no look-around). Context-only detectors
//! (`us_zip`, `date_of_birth`, `uuid`, and bare 9/10-digit SSNs and phone numbers) fire only when the
//! value's key matches the detector's key globs and the whole trimmed value has the right form.
//!
//! This module does not decide what happens to a finding (masking, removal, auditing belong to the
//! policy engine), does not walk events or JSON, and never logs or stores the values it looks at.
//! It does not detect names, street addresses or free-form dates in prose; see the README section
//! "Detectors" for what each detector finds and what it deliberately does not.

use crate::policy::context;
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::atomic::{AtomicU64, Ordering};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind as AcMatchKind};
use regex_automata::{Anchored, Input, Match, MatchKind, PatternID, meta};

/// Identifies one detector inside a `Detectors` set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DetectorId(pub u16);

/// A set of detector ids (bit set; at most 128 detectors in a set).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DetectorMask(pub u128);

impl Extend<DetectorId> for DetectorMask {
    fn extend<I: IntoIterator<Item = DetectorId>>(&mut self, ids: I) {
        ids.into_iter().for_each(|id| self.insert(id));
    }
}

impl DetectorMask {
    /// Adds `id` to the set; ids of 128 and above cannot be represented and are ignored.
    pub fn insert(&mut self, id: DetectorId) {
        if let Some(bit) = 1u128.checked_shl(u32::from(id.0)) {
            self.0 |= bit;
        }
    }

    /// True when `id` is in the set.
    pub fn contains(self, id: DetectorId) -> bool {
        1u128
            .checked_shl(u32::from(id.0))
            .is_some_and(|bit| self.0 & bit != 0)
    }

    /// True when the set holds no detector.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// One match: byte range inside the scanned text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finding {
    /// Byte offset of the first byte of the match.
    pub start: usize,
    /// Byte offset one past the last byte of the match.
    pub end: usize,
    /// The detector that found it.
    pub detector: DetectorId,
    /// What made the candidate a finding.
    pub evidence: Evidence,
}

/// What made a candidate a finding, as `scrub --explain` and the audit record name it. Never
/// carries the value or the words around it: only the kind of evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Evidence {
    /// A format that stands on its own: e-mail syntax, an IP or MAC address, a separated SSN or
    /// phone number in a dialling plan's shape.
    Format,
    /// A check digit: Luhn with the issuer's prefix, IBAN mod 97, the national identifiers'.
    Checksum,
    /// A context word near the candidate ("SSN", "geboren am", "bel me op") turned a weak
    /// candidate (a bare digit run, a date) into a finding.
    Context,
    /// The key the value sits under (`phone`, `burgerservicenummer`, a custom detector's keys).
    Key,
    /// A custom detector's pattern.
    Pattern,
    /// Name and street lexicons with the shape of names and addresses.
    Lexicon,
}

impl Evidence {
    /// The name shown in explanations and audit records.
    pub fn name(self) -> &'static str {
        match self {
            Evidence::Format => "format",
            Evidence::Checksum => "checksum",
            Evidence::Context => "context",
            Evidence::Key => "key",
            Evidence::Pattern => "pattern",
            Evidence::Lexicon => "lexicon",
        }
    }
}

/// A detector defined in a policy file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomDetector {
    /// Name, `[a-z0-9_]+`, not a built-in's; unique within its policy.
    pub name: String,
    /// Regex (Rust `regex` syntax); every match is a finding, without further validation.
    pub pattern: Option<String>,
    /// Key globs (`*` wildcard, case-insensitive); any non-empty value under such a key is a finding.
    pub keys: Vec<String>,
    /// Context words: when given, a pattern match is a finding only with one of them in the
    /// 40 characters before it or among the words of the value's key.
    pub context: Vec<String>,
}

/// The detectors one policy's rules may name: the built-ins and the policy's own custom
/// detectors (another policy's are not visible, so a policy means the same alone and in a set).
pub struct DetectorScope<'a> {
    own: Vec<(&'a str, DetectorId)>,
}

impl<'a> DetectorScope<'a> {
    /// The built-ins plus `own`: the policy's custom detectors and their ids in the set.
    pub fn new(own: Vec<(&'a str, DetectorId)>) -> Self {
        DetectorScope { own }
    }

    /// The id of the detector a rule calls `name`.
    pub fn id(&self, name: &str) -> Option<DetectorId> {
        self.own
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, id)| *id)
            .or_else(|| {
                let i = Detectors::BUILTIN.iter().position(|b| *b == name)?;
                Some(DetectorId(u16::try_from(i).ok()?))
            })
    }

    /// Every name a rule may use here.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        Detectors::BUILTIN
            .iter()
            .copied()
            .chain(self.own.iter().map(|(n, _)| *n))
    }
}

impl CustomDetector {
    /// Checks the definition on its own: its name, that it has a pattern or keys, its key globs,
    /// and that its pattern compiles and cannot match the empty string.
    pub fn validate(&self) -> Result<(), DetectorError> {
        let name = || self.name.clone();
        if self.name.is_empty()
            || !self
                .name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(DetectorError::BadName { name: name() });
        }
        if Detectors::BUILTIN.contains(&self.name.as_str()) {
            return Err(DetectorError::Duplicate { name: name() });
        }
        if self.pattern.is_none() && self.keys.is_empty() {
            return Err(DetectorError::Empty { name: name() });
        }
        if let Some(word) = self
            .context
            .iter()
            .find(|w| crate::policy::context::word_problem(w).is_some())
        {
            return Err(DetectorError::BadContext {
                name: name(),
                word: word.clone(),
            });
        }
        if !self.context.is_empty() && self.pattern.is_none() {
            return Err(DetectorError::ContextWithoutPattern { name: name() });
        }
        if let Some(key) = self.keys.iter().find(|k| key_problem(k).is_some()) {
            return Err(DetectorError::BadKey {
                name: name(),
                key: key.clone(),
            });
        }
        if let Some(p) = &self.pattern {
            let re = regex::Regex::new(p).map_err(|e| DetectorError::BadPattern {
                name: name(),
                message: e.to_string(),
            })?;
            if re.is_match("") {
                return Err(DetectorError::BadPattern {
                    name: name(),
                    message: "the pattern matches the empty string, so it would match every \
                              value; make at least one character required"
                        .to_owned(),
                });
            }
        }
        Ok(())
    }
}

/// Why a set of custom detectors could not be compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DetectorError {
    /// A custom detector takes a built-in's name.
    Duplicate {
        /// The built-in name.
        name: String,
    },
    /// The pattern does not compile; `message` is the regex crate's message.
    BadPattern {
        /// The detector whose pattern failed.
        name: String,
        /// What the regex compiler said.
        message: String,
    },
    /// Neither pattern nor keys given.
    Empty {
        /// The detector without pattern and keys.
        name: String,
    },
    /// A key glob is invalid (e.g. empty).
    BadKey {
        /// The detector the glob belongs to.
        name: String,
        /// The offending glob, as written.
        key: String,
    },
    /// A context word cannot be matched (empty, too long, no letter or digit).
    BadContext {
        /// The detector the word belongs to.
        name: String,
        /// The word, as written.
        word: String,
    },
    /// `context:` without a `pattern`: keys alone need no context.
    ContextWithoutPattern {
        /// The detector.
        name: String,
    },
    /// Name not of [a-z0-9_]+
    BadName {
        /// The offending name, as written.
        name: String,
    },
    /// More detectors than a `DetectorMask` can address (128, built-ins included).
    TooMany {
        /// How many detectors were asked for, built-ins included.
        count: usize,
    },
}

impl fmt::Display for DetectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DetectorError::Duplicate { name } => write!(
                f,
                "detector '{name}' is a built-in detector; give the custom detector another name"
            ),
            DetectorError::BadPattern { name, message } => {
                write!(f, "detector '{name}': invalid pattern: {message}")
            }
            DetectorError::Empty { name } => write!(
                f,
                "detector '{name}' has neither 'pattern' nor 'keys'; give at least one of them"
            ),
            DetectorError::BadKey { name, key } => write!(
                f,
                "detector '{name}': invalid key glob '{key}': {}",
                key_problem(key).unwrap_or("not a valid key glob")
            ),
            DetectorError::BadContext { name, word } => write!(
                f,
                "detector '{name}': invalid context word '{word}': {}",
                crate::policy::context::word_problem(word).unwrap_or("not a usable word")
            ),
            DetectorError::ContextWithoutPattern { name } => write!(
                f,
                "detector '{name}' has 'context' but no 'pattern'; context words confirm \
                 pattern matches in text, values under 'keys' need none"
            ),
            DetectorError::BadName { name } => write!(
                f,
                "invalid detector name '{name}': use only lower-case ASCII letters, digits and '_' \
                 (e.g. 'medical_record')"
            ),
            DetectorError::TooMany { count } => write!(
                f,
                "{count} detectors defined ({} built-in); at most {MAX_DETECTORS} fit in one set, \
                 remove some custom detectors",
                BUILTIN_COUNT
            ),
        }
    }
}

impl std::error::Error for DetectorError {}

// Built-in detector ids: the index in `Detectors::BUILTIN`.
const EMAIL: u16 = 0;
const PHONE: u16 = 1;
const CREDIT_CARD: u16 = 2;
const IBAN: u16 = 3;
const US_SSN: u16 = 4;
const IPV4: u16 = 5;
const IPV6: u16 = 6;
const MAC: u16 = 7;
const UUID: u16 = 8;
const URL_CREDENTIALS: u16 = 9;
const US_ZIP: u16 = 10;
const DATE_OF_BIRTH: u16 = 11;
/// The first national-identifier detector; `NationalId::ALL[i]` is `NATIONAL_FIRST + i`.
const NATIONAL_FIRST: u16 = 12;
const PERSON_NAME: u16 = 34;
const POSTAL_ADDRESS: u16 = 35;
const PERSONAL_DATE: u16 = 36;
const BUILTIN_COUNT: usize = 37;

/// Detectors with weak candidates that a context word or the key confirms in free text.
const CONTEXT_MASK: u128 = (1u128 << PHONE)
    | (1u128 << US_SSN)
    | (1u128 << CREDIT_CARD)
    | (1u128 << DATE_OF_BIRTH)
    | (1u128 << PERSONAL_DATE);
/// The built-ins found by their own scanners (`scan_evidence`), not by the combined regex.
const EVIDENCE_MASK: u128 = ((1u128 << 24) - 1) << NATIONAL_FIRST;
/// Index of the e-mail pattern in `CANDIDATES` (and so in every combined regex).
const EMAIL_PATTERN: usize = 1;
const MAX_DETECTORS: usize = 128;

/// Key globs of the built-in detectors that use key context, by detector id.
///
/// `phone` and `us_ssn` also scan free text; under these keys they additionally accept bare digit
/// runs. `uuid`, `us_zip` and `date_of_birth` fire only under these keys.
const BUILTIN_KEYS: &[(u16, &[&str])] = &[
    (
        PHONE,
        &[
            "*phone*",
            "*mobile*",
            "tel",
            "tel_*",
            "*_tel",
            "*_tel_*",
            "telno",
            "tel_no",
            "telnumber",
            "*telefon*",
            "*fax*",
            "*msisdn*",
            "*whatsapp*",
            "cell",
            "cell_number",
        ],
    ),
    (
        US_SSN,
        &[
            "*ssn*",
            "*social_security*",
            "*socialsecurity*",
            "*tax_id*",
            "*taxid*",
            "tin",
            "*_tin",
            "itin",
        ],
    ),
    (
        UUID,
        &[
            "*device_id*",
            "*deviceid*",
            "*device_uuid*",
            "idfa",
            "*_idfa",
            "idfv",
            "*_idfv",
            "*advertising_id*",
            "*advertisingid*",
            "*advertis*",
            "gaid",
            "aaid",
            "adid",
            "ad_id",
            "*_ad_id",
            "*android_id*",
            "vendor_id",
            "*vendor_id*",
            "*vendorid*",
            "*install_id*",
            "*installation_id*",
            "*instance_id*",
            "*hardware_id*",
            "udid",
            "*_udid",
        ],
    ),
    (
        US_ZIP,
        &[
            "zip*",
            "*_zip",
            "*zip_code*",
            "*zipcode*",
            "postal*",
            "*_postal*",
            "*postcode*",
            "*post_code*",
        ],
    ),
    (
        DATE_OF_BIRTH,
        &[
            "dob",
            "*_dob",
            "dob_*",
            "birth*",
            "*_birth*",
            "*birthday*",
            "*birthdate*",
            "*date_of_birth*",
            "*dateofbirth*",
            "*geburt*",
            "*nacimiento*",
            "*naissance*",
            "*nascita*",
        ],
    ),
];

/// Which format a pattern of the combined regex is a candidate for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    UrlCredentials,
    Email,
    Iban,
    Mac,
    Ipv6,
    CreditCard,
    UsSsn,
    Ipv4,
    PhoneInternational,
    PhoneInternational00,
    PhoneNanp,
    PhoneTrunk,
    PhoneMobile,
    PhoneSpain,
    PhoneItaly,
    Custom(u16),
}

/// Candidate patterns of the built-in detectors, in priority order: when two candidates start at
/// the same byte, the earlier one is tried first, the others only if it fails validation.
///
/// All are ASCII-only except e-mail (Latin letters in local part and domain) and url userinfo.
/// `(?-u:\b)` is an ASCII word boundary; the lazy DFA supports it, a Unicode `\b` it would not.
/// In `(?x)` mode whitespace is ignored even inside classes, hence `\x20` for a space.
const CANDIDATES: &[(Kind, &str)] = &[
    (
        Kind::UrlCredentials,
        // The candidate starts at "://": the scheme before it is checked in code, by a bounded
        // walk back. A scheme pattern here would start a thread at every letter that stays alive
        // over any run of letters, digits and dots, and every search behind such a run would scan
        // it to its end (quadratic on "a.a.a.…"). Userinfo is RFC 3986 `unreserved /
        // pct-encoded / sub-delims / ":"`, plus '@' so that an unencoded e-mail user still
        // parses, plus unencoded Latin letters ("josé"). A thread of this pattern lives only
        // from one "://" to the next '/' or other byte outside the class.
        r#"(?x)
        ://
        [A-Za-z0-9\-._~%!$&'()*+,;=@\x{C0}-\x{24F}]*    # user
        :
        [A-Za-z0-9\-._~%!$&'()*+,;=:@\x{C0}-\x{24F}]*   # password; greedy, ends at the last '@'
        @
        "#,
    ),
    (
        Kind::Email,
        // The candidate starts at the '@': the local part is found by a bounded walk back in
        // `validate_email`, and candidates of other formats that start inside a local part are
        // superseded by `Detectors::email_over`. A local-part pattern here would keep a thread
        // alive over every run of digits and dots ("1.1.1.…"), making the scan quadratic.
        r"(?x)
        (?:@|%40)                                             # %40: percent-encoded in a URL
        (?:[A-Za-z0-9\x{C0}-\x{24F}]
           (?:[A-Za-z0-9\-\x{C0}-\x{24F}]*[A-Za-z0-9\x{C0}-\x{24F}])?
           \.)+                                               # domain labels
        [A-Za-z]{2,}                                          # alphabetic TLD
        ",
    ),
    (
        Kind::Iban,
        r"(?x)
        (?-u:\b)[A-Za-z]{2}[0-9]{2}
        (?:
            [A-Za-z0-9]{11,30}                                        # compact
          | (?:\x20[A-Za-z0-9]{4}){2,7}(?:\x20[A-Za-z0-9]{1,4})?      # groups of four
        )
        (?-u:\b)
        ",
    ),
    (
        Kind::Mac,
        r"(?x)
        (?-u:\b)
        (?:
            [0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}
          | [0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}
          | [0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}            # Cisco
        )
        (?-u:\b)
        ",
    ),
    (
        Kind::Ipv6,
        // Either six or more colons, or a `::`: clock times like 10:30:45 never become
        // candidates. Groups are unbounded (a {1,4} counter starting at every hex letter of
        // ordinary words blows up the lazy DFA); `Ipv6Addr` parsing checks them.
        r"(?x)
        \[?
        (?:
            [0-9A-Fa-f]*(?::[0-9A-Fa-f]*){6,7}
          | [0-9A-Fa-f:]*::[0-9A-Fa-f:]*
        )
        (?:\.[0-9]+){0,3}                                  # embedded IPv4 tail
        (?:%[0-9A-Za-z_.\-]+)?                             # zone
        \]?
        ",
    ),
    (
        Kind::CreditCard,
        r"(?x)(?-u:\b)[0-9](?:[\x20\-]?[0-9]){12,18}(?-u:\b)",
    ),
    (
        Kind::UsSsn,
        r"(?x)(?-u:\b)[0-9]{3}(?:-[0-9]{2}-|\x20[0-9]{2}\x20)[0-9]{4}(?-u:\b)",
    ),
    (
        Kind::Ipv4,
        r"(?x)(?-u:\b)[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}(?-u:\b)",
    ),
    (
        Kind::PhoneInternational,
        r"(?x)\+\x20?\(?[1-9][0-9\x20().\-/]{5,24}[0-9]",
    ),
    (
        Kind::PhoneInternational00,
        r"(?x)(?-u:\b)00\x20?\(?[1-9][0-9\x20().\-/]{5,24}[0-9]",
    ),
    (
        Kind::PhoneNanp,
        r"(?x)
        (?:(?-u:\b)1[\x20.\-]?)?                              # country code
        (?:\([2-9][0-9]{2}\)\x20? | (?-u:\b)[2-9][0-9]{2}[\x20.\-])   # area
        [2-9][0-9]{2}[\x20.\-][0-9]{4}                        # exchange, line
                                           # no end boundary: checked in code (x12 extension)
        ",
    ),
    (
        Kind::PhoneTrunk,
        r"(?x)
        (?: \((?-u:\b)0[1-9][0-9]{0,4}\)\x20?                 # (030) 1234567
          | (?-u:\b)0[1-9][0-9]{0,4}[\x20.\-/] )              # 030 / 0151- / 06.
        [0-9]{2,8}(?:[\x20.\-/][0-9]{2,8}){0,4}
        (?-u:\b)
        ",
    ),
    (
        Kind::PhoneMobile,
        r"(?x)(?-u:\b)0(?:7[1-9][0-9]{8}|[67][0-9]{8})(?-u:\b)",
    ),
    (
        Kind::PhoneSpain,
        r"(?x)
        (?-u:\b)
        (?: [6-9][0-9]{2}(?:\x20[0-9]{3}\x20[0-9]{3} | -[0-9]{3}-[0-9]{3} | \x20[0-9]{2}\x20[0-9]{2}\x20[0-9]{2})
          | [89][0-9]\x20[0-9]{3}\x20[0-9]{2}\x20[0-9]{2} )
        (?-u:\b)
        ",
    ),
    (
        Kind::PhoneItaly,
        r"(?x)
        (?-u:\b)3[0-9]{2}
        (?: \x20[0-9]{3}\x20[0-9]{4} | -[0-9]{3}-[0-9]{4} | \.[0-9]{3}\.[0-9]{4} | [\x20\-][0-9]{7} )
        (?-u:\b)
        ",
    ),
];

/// Pre-filter conditions: what a text must contain before a scanned detector can fire in it.
/// Each is a necessary condition for that detector's candidate patterns and validation.
mod need {
    /// Custom patterns: anything may match.
    pub const ANYTHING: u16 = 1;
    /// email: an '@' (or "%40").
    pub const AT: u16 = 1 << 1;
    /// url_credentials: "://" and an '@'.
    pub const URL_AT: u16 = 1 << 2;
    /// ipv6: a "::" or at least six ':'.
    pub const IPV6: u16 = 1 << 3;
    /// phone: eight digits.
    pub const PHONE: u16 = 1 << 4;
    /// credit_card: thirteen digits.
    pub const CARD: u16 = 1 << 5;
    /// us_ssn: nine digits.
    pub const SSN: u16 = 1 << 6;
    /// ipv4: four digits and three dots, or an IPv6 form (IPv4-mapped addresses).
    pub const IPV4: u16 = 1 << 7;
    /// iban: a valid country code and two digits at a word start, in 15 bytes or more.
    pub const IBAN: u16 = 1 << 8;
    /// mac: five ':' or five '-', or "hhhh.hhhh" (Cisco form).
    pub const MAC: u16 = 1 << 9;
    /// Number of conditions.
    pub const COUNT: usize = 10;
}

/// IBAN country codes as a 26x26 bit table (upper-case letters).
static IBAN_COUNTRY: [u32; 26] = {
    let mut t = [0u32; 26];
    let mut i = 0;
    while i < IBAN_LENGTHS.len() {
        let cc = IBAN_LENGTHS[i].0;
        t[(cc[0] - b'A') as usize] |= 1 << (cc[1] - b'A');
        i += 1;
    }
    t
};

/// Per byte, counters in 8-bit lanes of a `u64`: digits, '@', ':', '.', '-', '%'.
static COUNT_LANES: [u64; 256] = {
    let mut t = [0u64; 256];
    let mut c = b'0';
    while c <= b'9' {
        t[c as usize] = 1;
        c += 1;
    }
    t[b'@' as usize] = 1 << 8;
    t[b':' as usize] = 1 << 16;
    t[b'.' as usize] = 1 << 24;
    t[b'-' as usize] = 1 << 32;
    t[b'%' as usize] = 1 << 40;
    t
};

/// Byte counts of a text: one table load and one add per byte (lanes never overflow within a
/// 255-byte chunk).
#[derive(Default)]
struct Counts {
    digits: usize,
    at: usize,
    colons: usize,
    dots: usize,
    dashes: usize,
    percents: usize,
}

impl Counts {
    fn of(text: &[u8]) -> Counts {
        let mut c = Counts::default();
        for chunk in text.chunks(255) {
            let acc = chunk
                .iter()
                .fold(0u64, |acc, &b| acc + COUNT_LANES[usize::from(b)]);
            let lane = |k: u32| ((acc >> (8 * k)) & 0xff) as usize;
            c.digits += lane(0);
            c.at += lane(1);
            c.colons += lane(2);
            c.dots += lane(3);
            c.dashes += lane(4);
            c.percents += lane(5);
        }
        c
    }
}

/// True when `needle` (two or three bytes, starting with `first`) occurs in `text`.
fn contains_short(text: &[u8], first: u8, needle: &[u8]) -> bool {
    memchr::memchr_iter(first, text).any(|i| text[i..].starts_with(needle))
}

/// Per byte: 1 for an ASCII digit, 2 for an ASCII letter.
static DIGIT_LETTER: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if b.is_ascii_digit() {
            1
        } else if b.is_ascii_alphabetic() {
            2
        } else {
            0
        };
        i += 1;
    }
    t
};

/// Two ASCII letters at a word start (ASCII boundary) forming an IBAN country code, then two
/// digits. Table lookups and one rarely taken branch per byte.
fn has_iban_head(text: &[u8]) -> bool {
    let class = |i: usize| DIGIT_LETTER[usize::from(text[i])];
    for i in 2..text.len().saturating_sub(1) {
        let shape = (class(i - 2) & class(i - 1)) >> 1 & class(i) & class(i + 1);
        if shape == 0 || (i >= 3 && is_word_byte(text[i - 3])) {
            continue;
        }
        let (x, y) = (
            text[i - 2].to_ascii_uppercase() - b'A',
            text[i - 1].to_ascii_uppercase() - b'A',
        );
        if IBAN_COUNTRY[usize::from(x)] & (1 << y) != 0 {
            return true;
        }
    }
    false
}

/// A Cisco-style "hhhh.hhhh" pair of hex groups around a dot.
fn has_cisco_mac_dots(text: &[u8]) -> bool {
    memchr::memchr_iter(b'.', text).any(|i| {
        i >= 4
            && text[i - 4..i].iter().all(u8::is_ascii_hexdigit)
            && text
                .get(i + 1..i + 5)
                .is_some_and(|g| g.iter().all(u8::is_ascii_hexdigit))
    })
}

/// True when a text with these counts may hold a finding of a detector with condition `needs`.
fn allows(text: &[u8], c: &Counts, needs: u16) -> bool {
    if needs & need::ANYTHING != 0 {
        return true;
    }
    let has = |n: u16| needs & n != 0;
    if has(need::AT) && (c.at > 0 || (c.percents > 0 && contains_short(text, b'%', b"%40"))) {
        return true;
    }
    if has(need::URL_AT) && c.at > 0 && c.colons > 0 && contains_short(text, b':', b"://") {
        return true;
    }
    let ipv6 = c.colons >= 6 || (c.colons >= 2 && contains_short(text, b':', b"::"));
    if (has(need::IPV6) || has(need::IPV4)) && ipv6 {
        return true;
    }
    if has(need::IPV4) && c.digits >= 4 && c.dots >= 3 {
        return true;
    }
    if has(need::MAC)
        && (c.colons >= 5 || c.dashes >= 5 || (c.dots >= 2 && has_cisco_mac_dots(text)))
    {
        return true;
    }
    // Digit counts only: finer run-length checks cost as much per byte as the regex itself.
    if (has(need::PHONE) && c.digits >= 8)
        || (has(need::SSN) && c.digits >= 9)
        || (has(need::CARD) && c.digits >= 13)
    {
        return true;
    }
    // Last: the only check here that walks the text again.
    has(need::IBAN) && c.digits >= 2 && text.len() >= 15 && has_iban_head(text)
}

/// The compiled detector set: built-ins plus the custom detectors of a policy.
///
/// Immutable after `new`, `Send + Sync`; share it through an `Arc`.
pub struct Detectors {
    names: Vec<Box<str>>,
    /// Built-in candidate patterns only.
    builtin_re: meta::Regex,
    /// Built-in candidates followed by the custom patterns; `None` without custom patterns.
    combined_re: Option<meta::Regex>,
    /// The custom patterns alone, as a pre-check: a text none of them matches gets the built-in
    /// scan with its pre-filter (the combined scan could not find anything more in it).
    custom_re: Option<meta::Regex>,
    /// `Kind` of every pattern of `combined_re` (the first `CANDIDATES.len()` are `builtin_re`'s).
    kinds: Vec<Kind>,
    /// Per pattern: bytes a match can start with, for the same-start fallback.
    start_bytes: Vec<[bool; 256]>,
    /// Per pre-filter condition (bit `k` of `need::*`): the detectors that have it.
    need_masks: [u128; need::COUNT],
    /// Detectors that look at free text (everything but the context-only ones).
    scanned: DetectorMask,
    /// Custom detectors with a pattern.
    custom_patterns: DetectorMask,
    /// Detectors with key globs.
    keyed: DetectorMask,
    /// Unique per instance, so that the per-thread key memo never mixes two detector sets.
    instance: u64,
    /// Detectors that can fire on the decimal text of a JSON number.
    digit_detectors: DetectorMask,
    keys: KeyIndex,
    /// Per custom detector (id − `BUILTIN_COUNT`): its context words, empty when it needs none.
    custom_context: Vec<Box<[Box<str>]>>,
}

impl fmt::Debug for Detectors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Detectors")
            .field("names", &self.names)
            .finish_non_exhaustive()
    }
}

impl Detectors {
    /// Names of the built-in detectors, in documentation order.
    pub const BUILTIN: &'static [&'static str] = &[
        "email",
        "phone",
        "credit_card",
        "iban",
        "us_ssn",
        "ipv4",
        "ipv6",
        "mac",
        "uuid",
        "url_credentials",
        "us_zip",
        "date_of_birth",
        // National identifiers (`national_id.rs`), in `NationalId::ALL` order.
        "uk_nino",
        "nl_bsn",
        "fr_nir",
        "de_tax_id",
        "es_dni",
        "es_nie",
        "it_codice_fiscale",
        "be_nrn",
        "pl_pesel",
        "se_personnummer",
        "dk_cpr",
        "fi_hetu",
        "no_fnr",
        "at_svnr",
        "pt_nif",
        "ie_ppsn",
        "ch_ahv",
        "us_itin",
        "ca_sin",
        "br_cpf",
        "in_aadhaar",
        "au_tfn",
        "person_name",
        "postal_address",
        "personal_date",
    ];

    /// Detector groups a rule may name in `detect:`: each stands for several built-ins.
    pub const GROUPS: &'static [(&'static str, &'static [&'static str])] = &[(
        "national_id",
        &[
            "uk_nino",
            "nl_bsn",
            "fr_nir",
            "de_tax_id",
            "es_dni",
            "es_nie",
            "it_codice_fiscale",
            "be_nrn",
            "pl_pesel",
            "se_personnummer",
            "dk_cpr",
            "fi_hetu",
            "no_fnr",
            "at_svnr",
            "pt_nif",
            "ie_ppsn",
            "ch_ahv",
            "us_itin",
            "ca_sin",
            "br_cpf",
            "in_aadhaar",
            "au_tfn",
        ],
    )];

    /// Built-ins plus custom detectors; everything compiled here, once. Custom detectors may
    /// share a name (each policy has its own); none may take a built-in's.
    pub fn new(custom: Vec<CustomDetector>) -> Result<Detectors, DetectorError> {
        let count = BUILTIN_COUNT + custom.len();
        if count > MAX_DETECTORS {
            return Err(DetectorError::TooMany { count });
        }
        let mut names: Vec<Box<str>> = Self::BUILTIN.iter().map(|n| Box::from(*n)).collect();
        let mut globs: Vec<(u16, String)> = Vec::new();
        for (id, list) in BUILTIN_KEYS {
            globs.extend(list.iter().map(|g| (*id, (*g).to_owned())));
        }

        let mut patterns: Vec<&str> = CANDIDATES.iter().map(|(_, p)| *p).collect();
        let mut compiled_customs: Vec<String> = Vec::new();
        let mut kinds: Vec<Kind> = CANDIDATES.iter().map(|(k, _)| *k).collect();
        let mut custom_patterns = DetectorMask::default();
        let mut digit_detectors = DetectorMask::default();
        let mut custom_names: Vec<&str> = Vec::new();
        for (id, d) in (BUILTIN_COUNT..).zip(custom.iter()) {
            let id = u16::try_from(id).map_err(|_| DetectorError::TooMany { count })?;
            d.validate()?;
            globs.extend(d.keys.iter().map(|key| (id, key.clone())));
            if let Some(p) = &d.pattern {
                compiled_customs.push(ascii_word_boundaries(p));
                kinds.push(Kind::Custom(id));
                custom_patterns.insert(DetectorId(id));
                custom_names.push(&d.name);
            }
            digit_detectors.insert(DetectorId(id));
            names.push(Box::from(d.name.as_str()));
        }
        let custom_context = custom
            .iter()
            .map(|d| d.context.iter().map(|w| Box::from(w.as_str())).collect())
            .collect();

        patterns.extend(compiled_customs.iter().map(String::as_str));
        let builtin_re = build_regex(&patterns[..CANDIDATES.len()])
            .expect("built-in candidate patterns are constants covered by unit tests");
        let combined_re = if patterns.len() > CANDIDATES.len() {
            Some(build_regex(&patterns).map_err(|e| {
                // Each custom pattern compiled alone; the combination can still exceed the size
                // limits. Blame the first custom pattern that does not fit next to the built-ins.
                let culprit = (CANDIDATES.len()..patterns.len())
                    .find(|&i| {
                        let mut one: Vec<&str> = patterns[..CANDIDATES.len()].to_vec();
                        one.push(patterns[i]);
                        build_regex(&one).is_err()
                    })
                    .map_or(custom_names.len() - 1, |i| i - CANDIDATES.len());
                DetectorError::BadPattern {
                    name: custom_names[culprit].to_owned(),
                    message: e.to_string(),
                }
            })?)
        } else {
            None
        };
        let custom_re = match &combined_re {
            Some(_) => Some(build_regex(&patterns[CANDIDATES.len()..]).map_err(|e| {
                DetectorError::BadPattern {
                    name: custom_names.first().copied().unwrap_or("?").to_owned(),
                    message: e.to_string(),
                }
            })?),
            None => None,
        };

        let start_bytes = kinds.iter().map(|k| start_bytes(*k)).collect();
        let mut needs = vec![need::ANYTHING; names.len()];
        for (id, n) in [
            (EMAIL, need::AT),
            (PHONE, need::PHONE),
            (CREDIT_CARD, need::CARD),
            (IBAN, need::IBAN),
            (US_SSN, need::SSN),
            (IPV4, need::IPV4),
            (IPV6, need::IPV6),
            (MAC, need::MAC),
            (URL_CREDENTIALS, need::URL_AT),
        ] {
            needs[usize::from(id)] = n;
        }
        let mut need_masks = [0u128; need::COUNT];
        for (id, n) in needs.iter().enumerate() {
            need_masks[n.trailing_zeros() as usize] |= 1u128 << id;
        }
        let mut scanned = custom_patterns;
        for id in [
            EMAIL,
            PHONE,
            CREDIT_CARD,
            IBAN,
            US_SSN,
            IPV4,
            IPV6,
            MAC,
            URL_CREDENTIALS,
        ] {
            scanned.insert(DetectorId(id));
        }
        for id in [
            PHONE,
            CREDIT_CARD,
            US_SSN,
            US_ZIP,
            DATE_OF_BIRTH,
            PERSONAL_DATE,
        ] {
            digit_detectors.insert(DetectorId(id));
        }
        let keys = KeyIndex::new(&globs);
        std::sync::LazyLock::force(&DATES);
        let mut keyed = DetectorMask::default();
        for (id, _) in &globs {
            keyed.insert(DetectorId(*id));
        }
        Ok(Detectors {
            names,
            builtin_re,
            combined_re,
            custom_re,
            kinds,
            start_bytes,
            need_masks,
            scanned,
            custom_patterns,
            keyed,
            instance: NEXT_INSTANCE.fetch_add(1, Ordering::Relaxed),
            digit_detectors,
            keys,
            custom_context,
        })
    }

    /// The id of the detector called `name`, if there is one.
    pub fn id(&self, name: &str) -> Option<DetectorId> {
        self.names
            .iter()
            .position(|n| **n == *name)
            .and_then(|i| u16::try_from(i).ok())
            .map(DetectorId)
    }

    /// The name of detector `id`; `"?"` for an id that is not in this set.
    pub fn name(&self, id: DetectorId) -> &str {
        self.names.get(usize::from(id.0)).map_or("?", |n| n)
    }

    /// Names of all detectors: the built-ins in documentation order, then the custom ones.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(|n| &**n)
    }

    /// `text` with what the built-in free-text detectors find replaced by `<detector>`: for
    /// text that is not a value but may still carry one, such as a field path whose key is an
    /// e-mail address (the audit log shows `properties.<email>`).
    pub fn redact<'t>(&self, text: &'t str) -> Cow<'t, str> {
        // uuid, us_zip and date_of_birth need a key to fire: they find nothing in free text.
        let mut wanted = DetectorMask::default();
        wanted.extend(
            Self::BUILTIN
                .iter()
                .zip(0u16..)
                .filter(|(name, _)| !matches!(**name, "uuid" | "us_zip" | "date_of_birth"))
                .map(|(_, id)| DetectorId(id)),
        );
        let mut findings = Vec::new();
        self.scan(text, None, wanted, &mut findings);
        if findings.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for f in &findings {
            out.push_str(&text[last..f.start]);
            out.push('<');
            out.push_str(self.name(f.detector));
            out.push('>');
            last = f.end;
        }
        out.push_str(&text[last..]);
        Cow::Owned(out)
    }

    /// Appends to `out` the findings of the `wanted` detectors in `text`, a value found under the
    /// object key `key` (the nearest key, lower- or mixed-case as sent, e.g. "Phone_Number"; None
    /// when there is no key). Findings are sorted by start and never overlap (on overlap keep the
    /// longer / more specific, e.g. an email wins over a url_credentials or ipv4 inside it).
    /// Key context: when `key` matches the key globs of a wanted detector and the WHOLE trimmed value
    /// validates under that detector's keyed rules (bare 10-digit phone, bare 9-digit SSN, 5/9-digit
    /// ZIP, a date for date_of_birth, a uuid for uuid, ANY non-empty value for a custom detector with
    /// keys), the whole value is one finding of that detector.
    /// Must not allocate when nothing is found (out is caller-owned and reused).
    ///
    /// Overlaps are settled while scanning: the candidate that starts first wins, and at the same
    /// start the more specific format (order of `CANDIDATES`) wins. A valid built-in candidate keeps
    /// its span even when its detector is not wanted, so that the result for one detector never
    /// depends on which other detectors a rule asks for (e.g. the digits of an e-mail local part
    /// are not reported as a phone number by a phone-only rule).
    ///
    /// Text in Unicode compatibility forms (full-width `＠` and letters, circled or superscript
    /// digits, ligatures...) is scanned in its NFKC fold, and findings are mapped back to the
    /// byte ranges of the original text, so that redaction covers what was sent. Only text with
    /// non-ASCII characters that NFKC changes is folded (and only then allocates).
    pub fn scan(
        &self,
        text: &str,
        key: Option<&str>,
        wanted: DetectorMask,
        out: &mut Vec<Finding>,
    ) {
        if wanted.is_empty() {
            return;
        }
        let from = out.len();
        if !text.is_ascii()
            && let Some(folded) = Folded::of(text)
        {
            self.scan_folded(&folded.text, key, wanted, out);
            for f in &mut out[from..] {
                f.start = folded.start[f.start];
                f.end = folded.end[f.end];
            }
        } else {
            self.scan_folded(text, key, wanted, out);
        }
        if wanted.0 & CONTEXT_MASK != 0 {
            let before = out.len();
            scan_context_confirmed(text, key, wanted, out, from);
            if out.len() > before {
                out[from..].sort_by_key(|f| f.start);
            }
        }
        if wanted.0 & EVIDENCE_MASK != 0 {
            let before = out.len();
            scan_evidence(text, key, wanted, out);
            if out.len() > before && out.len() - from > 1 {
                // One ordered list without overlaps: the earlier (then longer) finding wins.
                let mine = &mut out[from..];
                mine.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
                let mut kept: Vec<Finding> = Vec::with_capacity(mine.len());
                for f in mine.iter() {
                    if kept.last().is_none_or(|k| f.start >= k.end) {
                        kept.push(*f);
                    }
                }
                out.truncate(from);
                out.extend(kept);
            }
        }
    }

    /// `scan` of text that is already in the form the detectors read.
    fn scan_folded(
        &self,
        text: &str,
        key: Option<&str>,
        wanted: DetectorMask,
        out: &mut Vec<Finding>,
    ) {
        let counts = Counts::of(text.as_bytes());
        if let Some(key) = key {
            let keyed = self.keyed_candidates(wanted, &counts, text.len());
            if !keyed.is_empty()
                && let Some(f) = self.keyed_finding(text, key, keyed)
            {
                out.push(f);
                return;
            }
        }
        let scanned = DetectorMask(wanted.0 & self.scanned.0);
        let scan = Scan::new(text, key, wanted, &counts);
        if scanned.0 & self.custom_patterns.0 != 0
            && let (Some(combined), Some(custom)) = (&self.combined_re, &self.custom_re)
            && custom.is_match(text)
        {
            self.scan_range(combined, &scan, 0, text.len(), out);
            return;
        }
        // No custom pattern can match here: the built-in scan, behind its pre-filter.
        let builtin = DetectorMask(scanned.0 & !self.custom_patterns.0);
        if builtin.is_empty()
            || !self.triggered(text.as_bytes(), &counts, builtin)
            || never_holds_pii(text.as_bytes())
            || all_digits_fast_path(&scan, out)
        {
            return;
        }
        self.scan_range(&self.builtin_re, &scan, 0, text.len(), out);
    }

    /// `scan` without the pre-filter and the all-digits fast path, to test that they never
    /// change a result.
    #[cfg(test)]
    fn scan_unfiltered(&self, text: &str, wanted: DetectorMask, out: &mut Vec<Finding>) {
        let scan = Scan::new(text, None, wanted, &Counts::of(text.as_bytes()));
        let custom = wanted.0 & self.custom_patterns.0 != 0;
        match &self.combined_re {
            Some(re) if custom => self.scan_range(re, &scan, 0, text.len(), out),
            _ => self.scan_range(&self.builtin_re, &scan, 0, text.len(), out),
        };
        // The context pass runs behind no pre-filter; it is the same in both.
        if wanted.0 & CONTEXT_MASK != 0 {
            scan_context_confirmed(text, None, wanted, out, 0);
            out.sort_by_key(|f| f.start);
        }
    }

    /// True when `wanted` contains a detector that can fire on a JSON number's digits
    /// (credit_card, phone, us_ssn, us_zip, ...), so callers know to scan numbers' decimal text.
    pub fn scans_digits(&self, wanted: DetectorMask) -> bool {
        wanted.0 & self.digit_detectors.0 != 0
    }

    /// Pre-filter: can any scanned wanted detector fire in `text` at all?
    fn triggered(&self, text: &[u8], counts: &Counts, scanned: DetectorMask) -> bool {
        let mut needs = 0u16;
        for (k, mask) in self.need_masks.iter().enumerate() {
            needs |= u16::from(mask & scanned.0 != 0) << k;
        }
        allows(text, counts, needs)
    }

    /// The wanted keyed detectors whose keyed rule could accept a value with these counts; the
    /// key is only matched against their globs when there is one (keys cost an automaton pass).
    fn keyed_candidates(&self, wanted: DetectorMask, c: &Counts, len: usize) -> DetectorMask {
        let mut m = DetectorMask(wanted.0 & self.keyed.0);
        let mut drop = |id: u16, cannot: bool| {
            if cannot {
                m.0 &= !(1u128 << id);
            }
        };
        drop(PHONE, c.digits < 8);
        drop(US_SSN, c.digits != 9);
        drop(US_ZIP, !(4..=9).contains(&c.digits));
        drop(DATE_OF_BIRTH, c.digits == 0);
        drop(UUID, len < 32);
        m
    }

    /// Key context: the whole trimmed value as one finding, if one of the `candidates` (wanted
    /// keyed detectors) has a glob matching `key` and accepts the value.
    fn keyed_finding(&self, text: &str, key: &str, candidates: DetectorMask) -> Option<Finding> {
        let key = key.as_bytes();
        let matched = memo_key_mask(self.instance, key, || self.keys.matching(key, self.keyed).0);
        let mut bits = matched & candidates.0;
        if bits == 0 {
            return None;
        }
        let value = text.trim();
        if value.is_empty() {
            return None;
        }
        while bits != 0 {
            let id = bits.trailing_zeros() as u16;
            bits &= bits - 1;
            let ok = match id {
                PHONE => keyed_phone(value),
                US_SSN => keyed_ssn(value),
                UUID => keyed_uuid(value),
                US_ZIP => keyed_zip(value),
                DATE_OF_BIRTH => is_date(value),
                _ => usize::from(id) >= BUILTIN_COUNT,
            };
            if ok {
                let start = text.len() - text.trim_start().len();
                return Some(Finding {
                    start,
                    end: start + value.len(),
                    detector: DetectorId(id),
                    evidence: Evidence::Key,
                });
            }
        }
        None
    }

    /// Scans candidates of `re` that start in `pos..stop`; returns where scanning stopped.
    fn scan_range(
        &self,
        re: &meta::Regex,
        scan: &Scan<'_>,
        mut pos: usize,
        stop: usize,
        out: &mut Vec<Finding>,
    ) -> usize {
        let text = scan.text;
        while pos < stop {
            let Some(m) = re.search(&Input::new(text).range(pos..)) else {
                // Nothing more in the text; a sub-scan hands `stop` back to its caller.
                return stop.max(pos);
            };
            if m.start() >= stop {
                return pos;
            }
            pos = self.step(re, scan, m, out);
        }
        pos
    }

    /// Judges one candidate (with the same-start fallback); returns where to continue.
    fn step(&self, re: &meta::Regex, scan: &Scan<'_>, m: Match, out: &mut Vec<Finding>) -> usize {
        let text = scan.text;
        let s = m.start();
        let next = next_char(text, s);
        let pid = m.pattern().as_usize();
        if !matches!(self.kinds[pid], Kind::Email | Kind::UrlCredentials)
            && let Some(f) = self.email_over(re, scan, s)
        {
            return self.emit(scan, f, f.end, out);
        }
        let mut resume = next;
        let mut unwanted_custom_end = None;
        let builtin_only =
            self.kinds.len() == CANDIDATES.len() || re.pattern_len() == CANDIDATES.len();
        match self.evaluate(pid, scan, s, m.end()) {
            Eval::Found(f, r) => return self.emit(scan, f, r.max(next), out),
            Eval::Rejected(r) if builtin_only && self.kinds[pid] == Kind::CreditCard => {
                resume = card_run_resume(text.as_bytes(), s, m.end())
                    .max(r)
                    .max(next);
            }
            Eval::Rejected(r) => resume = r.max(next),
            Eval::UnwantedCustom => unwanted_custom_end = Some(m.end()),
        }
        // Patterns after `pid` may still match at `s` (leftmost-first reported only the first).
        let first = text.as_bytes()[s];
        let kind = self.kinds[pid];
        for q in pid + 1..re.pattern_len() {
            if !self.start_bytes[q][usize::from(first)]
                || !may_share_start(kind, self.kinds[q])
                || !could_start(self.kinds[q], text.as_bytes(), s)
            {
                continue;
            }
            let input = Input::new(text)
                .range(s..)
                .anchored(Anchored::Pattern(PatternID::must(q)));
            let Some(m2) = re.search(&input) else {
                continue;
            };
            if let Eval::Found(f, r) = self.evaluate(q, scan, s, m2.end()) {
                return self.emit(scan, f, r.max(next), out);
            }
        }
        if let Some(end) = unwanted_custom_end {
            // An unwanted custom pattern must not hide built-ins inside its match.
            let stopped = self.scan_range(&self.builtin_re, scan, next, end, out);
            return stopped.max(end);
        }
        if builtin_only {
            // No built-in candidate starts inside an ASCII word: all but e-mail begin at a word
            // boundary or on a non-word byte, and an e-mail inside a word would belong to the
            // local part that an earlier candidate already covered. Custom patterns may, so this
            // only applies to the built-in scan.
            let b = text.as_bytes();
            while resume < b.len() && is_word_byte(b[resume - 1]) && is_word_byte(b[resume]) {
                resume += 1;
            }
        }
        resume
    }

    /// The valid e-mail whose local part holds `s`, the start of a candidate of another format:
    /// an e-mail candidate starts at its '@', but the e-mail begins earlier and wins over any
    /// candidate starting inside its local part ("1.2.3.4@example.com" is one e-mail).
    fn email_over(&self, re: &meta::Regex, scan: &Scan<'_>, s: usize) -> Option<Finding> {
        let text = scan.text;
        if !scan.has_at || !text[s..].chars().next().is_some_and(is_local_char) {
            return None;
        }
        if let Some((from, to, f)) = scan.local_run.get()
            && from <= s
            && s < to
        {
            return f;
        }
        let b = text.as_bytes();
        let mut end = text.len();
        let mut percent40 = None;
        for (i, c) in text[s..].char_indices() {
            if !is_local_char(c) {
                end = s + i;
                break;
            }
            if c == '%' && b[s + i..].starts_with(b"%40") {
                percent40 = Some(s + i);
            }
        }
        let anchor = if b.get(end) == Some(&b'@') {
            Some(end)
        } else {
            percent40
        };
        let email = anchor.and_then(|a| {
            let input = Input::new(text)
                .range(a..)
                .anchored(Anchored::Pattern(PatternID::must(EMAIL_PATTERN)));
            let m = re.search(&input)?;
            match validate_email(text, a, m.end(), scan.lo.get()) {
                Eval::Found(f, _)
                    if f.start <= s || text[s..f.start].bytes().all(|c| b"._%+-'".contains(&c)) =>
                {
                    Some(f)
                }
                _ => None,
            }
        });
        scan.local_run.set(Some((s, end, email)));
        email
    }

    fn emit(&self, scan: &Scan<'_>, f: Finding, resume: usize, out: &mut Vec<Finding>) -> usize {
        scan.lo.set(f.end);
        if scan.wanted.contains(f.detector) && !countered_digit_run(scan.text, &f) {
            out.push(f);
        }
        resume
    }

    fn evaluate(&self, pid: usize, scan: &Scan<'_>, s: usize, e: usize) -> Eval {
        let text = scan.text;
        match self.kinds[pid] {
            Kind::Custom(id) => {
                if !scan.wanted.contains(DetectorId(id)) {
                    Eval::UnwantedCustom
                } else if s == e {
                    Eval::Rejected(next_char(text, s))
                } else {
                    let words = &self.custom_context[usize::from(id) - BUILTIN_COUNT];
                    if words.is_empty() {
                        Eval::Found(finding(s, e, id), e)
                    } else if context::custom_before(text, s, words) {
                        Eval::Found(
                            Finding {
                                evidence: Evidence::Context,
                                ..finding(s, e, id)
                            },
                            e,
                        )
                    } else if scan.key.is_some_and(|k| context::custom_in_key(k, words)) {
                        Eval::Found(
                            Finding {
                                evidence: Evidence::Key,
                                ..finding(s, e, id)
                            },
                            e,
                        )
                    } else {
                        Eval::Rejected(next_char(text, s))
                    }
                }
            }
            Kind::UrlCredentials => validate_url_credentials(text, s, e, scan.lo.get()),
            Kind::Email => validate_email(text, s, e, scan.lo.get()),
            Kind::Iban => validate_iban(text, s, e),
            Kind::Mac => validate_mac(text, s, e),
            Kind::Ipv6 => validate_ipv6(text, s, e),
            Kind::CreditCard => validate_card(text, s, e),
            Kind::UsSsn => validate_ssn(text, s, e),
            Kind::Ipv4 => validate_ipv4(text, s, e, scan.key),
            Kind::PhoneInternational => validate_international(text, s, e, 1),
            Kind::PhoneInternational00 => validate_international(text, s, e, 2),
            Kind::PhoneNanp => validate_nanp(text, s, e),
            Kind::PhoneTrunk => validate_trunk(text, s, e),
            Kind::PhoneMobile => validate_mobile(text, s, e),
            Kind::PhoneSpain | Kind::PhoneItaly => validate_grouped_national(text, s, e),
        }
    }
}

/// The NFKC fold of a text with compatibility characters, and where each of its byte offsets
/// falls in the original text.
struct Folded {
    text: String,
    /// Per offset of `text` (and its end): the start, in the original, of the character sequence
    /// the byte at that offset came from.
    start: Vec<usize>,
    /// Per offset of `text` (and its start): the end, in the original, of the character sequence
    /// the byte before that offset came from.
    end: Vec<usize>,
}

impl Folded {
    /// None when NFKC leaves `text` as it is.
    fn of(text: &str) -> Option<Folded> {
        use unicode_normalization::char::canonical_combining_class;
        use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};
        if is_nfkc_quick(text.chars()) == IsNormalized::Yes {
            return None;
        }
        let mut folded = Folded {
            text: String::with_capacity(text.len()),
            start: Vec::with_capacity(text.len() + 1),
            end: Vec::with_capacity(text.len() + 1),
        };
        folded.end.push(0);
        // Fold each starter with the combining marks after it: NFKC composes across them
        // ("e" + U+0301 is "é"), never across two starters' sequences in the texts that matter.
        let mut chars = text.char_indices().peekable();
        while let Some((a, c)) = chars.next() {
            let mut b = a + c.len_utf8();
            while let Some(&(i, m)) = chars.peek() {
                if canonical_combining_class(m) == 0 {
                    break;
                }
                b = i + m.len_utf8();
                chars.next();
            }
            let before = folded.text.len();
            folded.text.extend(text[a..b].nfkc());
            for _ in before..folded.text.len() {
                folded.start.push(a);
                folded.end.push(b);
            }
        }
        folded.start.push(text.len());
        if folded.text == text {
            return None;
        }
        Some(folded)
    }
}

/// Whole values of a shape in which no built-in candidate can validate: an ISO 8601 date or
/// timestamp, or a UUID (outside device-id keys, which the keyed path handled). They are among the
/// commonest property values and are digit-heavy, so they would otherwise always reach the regex.
/// (`prefilter_and_fast_path_never_change_results` checks the claim against the plain scan.)
fn never_holds_pii(b: &[u8]) -> bool {
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
    let hex = |r: std::ops::Range<usize>| {
        b.get(r)
            .is_some_and(|x| x.iter().all(u8::is_ascii_hexdigit))
    };
    if b.len() == 36 && [8, 13, 18, 23].iter().all(|&i| b[i] == b'-') {
        return hex(0..8) && hex(9..13) && hex(14..18) && hex(19..23) && hex(24..36);
    }
    // YYYY-MM-DD
    if b.len() < 10
        || !(digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10))
    {
        return false;
    }
    let rest = &b[10..];
    if rest.is_empty() {
        return true;
    }
    // [T ]hh:mm[:ss[.f{1,9}]][Z|±hh[:]mm]
    let t = &rest[1..];
    let two = |x: &[u8], i: usize| {
        x.get(i..i + 2)
            .is_some_and(|y| y.iter().all(u8::is_ascii_digit))
    };
    if !(matches!(rest[0], b'T' | b' ') && two(t, 0) && t.get(2) == Some(&b':') && two(t, 3)) {
        return false;
    }
    let mut i = 5;
    if t.get(i) == Some(&b':') && two(t, i + 1) {
        i += 3;
        if t.get(i) == Some(&b'.') {
            let frac = t[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if !(1..=9).contains(&frac) {
                return false;
            }
            i += 1 + frac;
        }
    }
    match &t[i..] {
        [] | [b'Z'] => true,
        [b'+' | b'-', zone @ ..] => {
            matches!(zone.len(), 2 | 4 | 5)
                && zone
                    .iter()
                    .enumerate()
                    .all(|(k, c)| c.is_ascii_digit() || (k == 2 && *c == b':'))
        }
        _ => false,
    }
}

/// A value of ASCII digits only (a JSON number, a numeric id) can only hold a card number or an
/// unseparated mobile number, and only as the whole value: check those directly instead of
/// running the regex. Values starting with "00" (international prefix) take the regex path.
/// Returns false when the value is not of that form.
fn all_digits_fast_path(scan: &Scan<'_>, out: &mut Vec<Finding>) -> bool {
    let b = scan.text.as_bytes();
    if b.is_empty() || b.starts_with(b"00") || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let verdict = match b.len() {
        13..=19 => validate_card(scan.text, 0, b.len()),
        10 | 11 if b[0] == b'0' => {
            let mobile = matches!(
                (b.len(), b[1], b[2]),
                (11, b'7', b'1'..=b'9') | (10, b'6' | b'7', _)
            );
            if mobile {
                validate_mobile(scan.text, 0, b.len())
            } else {
                reject(0)
            }
        }
        _ => reject(0),
    };
    if let Eval::Found(f, _) = verdict
        && scan.wanted.contains(f.detector)
    {
        out.push(f);
    }
    true
}

/// Counter-evidence for the strong forms that are bare digit runs (an unseparated mobile number
/// or card number): right after "order", "invoice", "Kundennummer"... the run is that number,
/// not a phone or a card ([`context::countered`]). Separated and international forms stand.
fn countered_digit_run(text: &str, f: &Finding) -> bool {
    matches!(f.detector.0, PHONE | CREDIT_CARD)
        && f.start > 0
        && text.as_bytes()[f.start..f.end]
            .iter()
            .all(u8::is_ascii_digit)
        && context::countered(text, f.start)
}

/// The inputs of one `scan` call, passed down the scanning helpers.
struct Scan<'a> {
    text: &'a str,
    key: Option<&'a str>,
    wanted: DetectorMask,
    /// End of the last finding emitted (valid or unwanted): an e-mail local part or a url scheme
    /// walked back from its anchor stops there.
    lo: Cell<usize>,
    /// Whether the text holds an '@' or "%40" at all (else no e-mail can supersede a candidate).
    has_at: bool,
    /// `email_over`'s memo: the run of local-part characters last walked (from, to) and the
    /// e-mail ending it, if any, so that every byte of a run is walked once.
    local_run: Cell<Option<(usize, usize, Option<Finding>)>>,
}

impl<'a> Scan<'a> {
    /// `counts` are the text's byte counts: an '@' or a '%' is worth looking for an e-mail.
    fn new(text: &'a str, key: Option<&'a str>, wanted: DetectorMask, counts: &Counts) -> Self {
        let has_at = counts.at > 0 || counts.percents > 0;
        Scan {
            text,
            key,
            wanted,
            lo: Cell::new(0),
            has_at,
            local_run: Cell::new(None),
        }
    }
}

/// What validation made of a candidate.
enum Eval {
    /// A finding, and where scanning continues.
    Found(Finding, usize),
    /// Not a finding; where scanning may continue at the earliest.
    Rejected(usize),
    /// A custom pattern matched, but its detector is not wanted.
    UnwantedCustom,
}

/// Weak candidates that a context word before them (or the value's key) confirms: bare national
/// and NANP phone numbers, bare nine-digit SSNs, Luhn-valid numbers of an unknown issuer, and
/// dates next to birth words (`date_of_birth`) or words of care and life events
/// (`personal_date`). Only digit runs that start a word are looked at, and the context only for
/// a candidate that validates, so the pass is linear. Candidates overlapping a finding already in
/// `out[from..]` are skipped: a strong finding keeps its span.
fn scan_context_confirmed(
    text: &str,
    key: Option<&str>,
    wanted: DetectorMask,
    out: &mut Vec<Finding>,
    from: usize,
) {
    let b = text.as_bytes();
    let digits = b.iter().filter(|c| c.is_ascii_digit()).count();
    if digits < 4 {
        return;
    }
    let wants = |id: u16| wanted.0 & (1u128 << id) != 0;
    use crate::policy::lexicon::KeyClass;
    let confirmed = |at: usize, end: usize, topic: context::Topic, own: Option<KeyClass>| {
        if context::countered(text, at) {
            None
        } else if context::before(text, at, topic) || context::after(text, end, topic) {
            Some(Evidence::Context)
        } else if own.is_some_and(|c| key.and_then(crate::policy::lexicon::classify) == Some(c))
            || key.is_some_and(|k| context::in_key(k, topic))
        {
            Some(Evidence::Key)
        } else {
            None
        }
    };
    let free =
        |out: &[Finding], s: usize, e: usize| !out[from..].iter().any(|f| f.start < e && s < f.end);
    if digits >= 9 && (wants(PHONE) || wants(US_SSN) || wants(CREDIT_CARD)) {
        let mut i = 0;
        while i < b.len() {
            if !b[i].is_ascii_digit() || (i > 0 && (b[i - 1].is_ascii_alphanumeric())) {
                i += 1;
                continue;
            }
            let s = i;
            let mut d = [0u8; 19];
            let mut n = 0;
            let mut pure_end = None;
            let mut j = i;
            while j < b.len() {
                if b[j].is_ascii_digit() {
                    if n == d.len() {
                        n += 1;
                        break;
                    }
                    d[n] = b[j] - b'0';
                    n += 1;
                    j += 1;
                } else if matches!(b[j], b' ' | b'-')
                    && b.get(j + 1).is_some_and(u8::is_ascii_digit)
                {
                    pure_end.get_or_insert((j, n));
                    j += 1;
                } else {
                    break;
                }
            }
            let (pe, pn) = pure_end.unwrap_or((j, n));
            let glued = |e: usize| {
                b.get(e).is_some_and(|c| c.is_ascii_alphanumeric()) || glued_after(b, e, b".-/:,")
            };
            let lone = !(glued_before(b, s, b".-/:,")
                || (s > 0 && matches!(b[s - 1], b'+' | b'$' | b'#')));
            // A bare run: phone or SSN.
            if lone && !glued(pe) && free(out, s, pe) {
                let r = &d[..pn.min(19)];
                let ssn = pn == 9
                    && ssn_ok(prefix(r, 3), prefix(&r[3..], 2), prefix(&r[5..], 4))
                    && wants(US_SSN);
                let phone = wants(PHONE)
                    && match pn {
                        9 => r[0] >= 2,
                        10..=12 if r[0] == 0 => r[1] != 0,
                        10 => nanp_ok(r),
                        11 => r[0] == 1 && nanp_ok(&r[1..]),
                        _ => false,
                    };
                let hit = if ssn {
                    confirmed(s, pe, context::Topic::Ssn, Some(KeyClass::NationalId))
                        .map(|e| (US_SSN, e))
                } else {
                    None
                }
                .or_else(|| {
                    phone
                        .then(|| confirmed(s, pe, context::Topic::Phone, Some(KeyClass::Phone)))
                        .flatten()
                        .map(|e| (PHONE, e))
                });
                if let Some((id, evidence)) = hit {
                    out.push(Finding {
                        evidence,
                        ..finding(s, pe, id)
                    });
                    i = pe;
                    continue;
                }
            }
            // A (possibly grouped) Luhn-valid run of 13 to 19 digits: a card of any issuer.
            // A phone number read inside the run ("8928 0038 1799 2577": "00 38…") gives way
            // to the whole run when a card word confirms it.
            let only_phones_inside = |out: &[Finding]| {
                out[from..]
                    .iter()
                    .filter(|f| f.start < j && s < f.end)
                    .all(|f| f.detector.0 == PHONE && f.start >= s && f.end <= j)
            };
            if wants(CREDIT_CARD)
                && lone
                && (13..=19).contains(&n)
                && !glued(j)
                && luhn(&d[..n])
                && only_phones_inside(out)
                && let Some(evidence) = confirmed(s, j, context::Topic::Card, None)
            {
                let mut k = from;
                while k < out.len() {
                    if out[k].start < j && s < out[k].end {
                        out.remove(k);
                    } else {
                        k += 1;
                    }
                }
                out.push(Finding {
                    evidence,
                    ..finding(s, j, CREDIT_CARD)
                });
            }
            i = j.max(i + 1);
        }
    }
    if wants(DATE_OF_BIRTH) || wants(PERSONAL_DATE) {
        for m in DATES.find_iter(text) {
            let (s, e) = (m.start(), m.end());
            if glued_before(b, s, b".-/:") || glued_after(b, e, b".-/:") || !free(out, s, e) {
                continue;
            }
            if !matches!(
                date_year(m.as_str()),
                Some(DateYear::Year(_) | DateYear::Unknown)
            ) {
                continue;
            }
            // A birth word makes a birth date (a `personal_date` when only that is wanted); a
            // word of care a `personal_date`. The words before the date decide first: in
            // "admitted 05.02.2023, born 03.03.1984" the first date is not a birth date.
            let birth_id = if wants(DATE_OF_BIRTH) {
                DATE_OF_BIRTH
            } else {
                PERSONAL_DATE
            };
            let hit = if context::countered(text, s) {
                None
            } else if context::before(text, s, context::Topic::Birth) {
                Some((birth_id, Evidence::Context))
            } else if wants(PERSONAL_DATE) && context::before(text, s, context::Topic::Care) {
                Some((PERSONAL_DATE, Evidence::Context))
            } else if context::after(text, e, context::Topic::Birth) {
                Some((birth_id, Evidence::Context))
            } else if wants(PERSONAL_DATE) && context::after(text, e, context::Topic::Care) {
                Some((PERSONAL_DATE, Evidence::Context))
            } else {
                (key.and_then(crate::policy::lexicon::classify) == Some(KeyClass::BirthDate))
                    .then_some((birth_id, Evidence::Key))
            };
            if let Some((id, evidence)) = hit {
                out.push(Finding {
                    evidence,
                    ..finding(s, e, id)
                });
            }
        }
    }
}

/// [`DATE_IN_TEXT`], compiled once; [`Detectors::new`] forces it, so that the first request does
/// not pay for it.
static DATES: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(DATE_IN_TEXT).expect("the date pattern is a constant")
});

/// Dates as people write them in text: ISO, numeric day/month/year in either order with `.`,
/// `/` or `-`, and with a month name in the seven languages of the date grammar (checked by
/// [`date_year`] after the match).
const DATE_IN_TEXT: &str = r"(?x)
    (?-u:\b)(?:
        [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}
      | [0-9]{1,2}[./-][0-9]{1,2}[./-](?:[0-9]{4}|[0-9]{2})
      | [0-9]{1,2}(?:st|nd|rd|th|er|e|º|ª|\.)?\x20(?:de\x20)?[A-Za-z\x{C0}-\x{24F}]{3,10}\.?,?\x20(?:de\x20)?[0-9]{4}
      | [A-Za-z\x{C0}-\x{24F}]{3,10}\.?\x20[0-9]{1,2}(?:st|nd|rd|th)?,?\x20[0-9]{4}
    )(?-u:\b)";

/// National identifiers, names and postal addresses: each has its own scanner (candidate
/// patterns and checksums, gazetteers and evidence scores), run only when a rule asks for them.
fn scan_evidence(text: &str, key: Option<&str>, wanted: DetectorMask, out: &mut Vec<Finding>) {
    use crate::policy::national_id::{self, NationalId, Strength};
    static CANDIDATES: std::sync::LazyLock<(regex::RegexSet, Vec<regex::Regex>)> =
        std::sync::LazyLock::new(|| {
            let patterns: Vec<&str> = NationalId::ALL
                .iter()
                .map(|id| id.candidate_pattern())
                .collect();
            let set = regex::RegexSet::new(&patterns).expect("national id patterns compile");
            let each = patterns
                .iter()
                .map(|p| regex::Regex::new(p).expect("national id patterns compile"))
                .collect();
            (set, each)
        });
    let national = wanted.0 & (((1u128 << 22) - 1) << NATIONAL_FIRST);
    if national != 0 && text.bytes().any(|b| b.is_ascii_digit()) {
        let (set, each) = &*CANDIDATES;
        if !set.is_match(text) {
            return scan_names_and_addresses(text, key, wanted, out);
        }
        // The key, lowercased on the stack (keys over 128 bytes are not matched).
        let mut key_buf = [0u8; 128];
        let lower_key: Option<&str> = key.filter(|k| k.len() <= 128).and_then(|k| {
            let b = &mut key_buf[..k.len()];
            b.copy_from_slice(k.as_bytes());
            b.make_ascii_lowercase();
            std::str::from_utf8(b).ok()
        });
        let mut matched = [false; 22];
        set.matches_read_at(&mut matched, text, 0);
        for i in (0..22).filter(|&i| matched[i]) {
            let id = NATIONAL_FIRST + i as u16;
            if national & (1u128 << id) == 0 {
                continue;
            }
            let nid = NationalId::ALL[i];
            for m in each[i].find_iter(text) {
                // Part of a longer dashed or dotted digit run (an ISBN, a serial): not an id.
                let b = text.as_bytes();
                let glued_after = b
                    .get(m.end())
                    .is_some_and(|c| matches!(c, b'-' | b'.' | b'/'))
                    && b.get(m.end() + 1).is_some_and(u8::is_ascii_digit);
                let glued_before = m.start() >= 2
                    && matches!(b[m.start() - 1], b'-' | b'.' | b'/')
                    && b[m.start() - 2].is_ascii_digit();
                if glued_after || glued_before {
                    continue;
                }
                let strength = match national_id::validate(nid, m.as_str()) {
                    Some(s) => s,
                    None => continue,
                };
                let evidence = if strength == Strength::Strong {
                    Evidence::Checksum
                } else if lower_key
                    .is_some_and(|k| nid.key_globs().iter().any(|g| glob_match(g, k)))
                {
                    Evidence::Key
                } else if context_before(text, m.start(), nid.context_words()) {
                    Evidence::Context
                } else {
                    continue;
                };
                out.push(Finding {
                    evidence,
                    ..finding(m.start(), m.end(), id)
                });
            }
        }
    }
    scan_names_and_addresses(text, key, wanted, out);
}

/// The `person_name` and `postal_address` part of [`scan_evidence`].
fn scan_names_and_addresses(
    text: &str,
    key: Option<&str>,
    wanted: DetectorMask,
    out: &mut Vec<Finding>,
) {
    let names = wanted.0 & (1u128 << PERSON_NAME) != 0;
    let addresses = wanted.0 & (1u128 << POSTAL_ADDRESS) != 0;
    if (names || addresses) && text.bytes().any(|b| b.is_ascii_uppercase() || b >= 0x80) {
        use crate::policy::lexicon::KeyClass;
        use crate::policy::person_name::{self, KeyHint, Tok};
        use crate::policy::postal_address;
        thread_local! {
            // Reused buffers: scanning allocates nothing when nothing is found.
            static BUFFERS: std::cell::RefCell<(Vec<Tok>, Vec<person_name::Finding>)> =
                const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
        }
        const GENERIC: &[&str] = &[
            "name",
            "title",
            "value",
            "text",
            "customer",
            "assignee",
            "signed_by",
            "note",
            "notes",
            "comment",
            "message",
            "description",
            "label",
        ];
        let class = key.and_then(crate::policy::lexicon::classify);
        let generic = key.is_some_and(|k| GENERIC.iter().any(|g| g.eq_ignore_ascii_case(k)));
        let hint = |own: KeyClass| {
            if class == Some(own) {
                KeyHint::Class
            } else if generic {
                KeyHint::Generic
            } else {
                KeyHint::None
            }
        };
        BUFFERS.with(|b| {
            let (toks, found) = &mut *b.borrow_mut();
            if names {
                found.clear();
                person_name::find_into(text, hint(KeyClass::PersonName), toks, found);
                out.extend(found.iter().map(|f| lexicon_finding(f, PERSON_NAME)));
            }
            if addresses {
                found.clear();
                postal_address::find_into(text, hint(KeyClass::PostalAddress), toks, found);
                out.extend(found.iter().map(|f| lexicon_finding(f, POSTAL_ADDRESS)));
            }
        });
    }
}

/// A name or address finding, its evidence reduced to what the audit names: the key when the
/// key's class counted, a context word when a cue did, else the lexicons.
fn lexicon_finding(f: &crate::policy::person_name::Finding, detector: u16) -> Finding {
    use crate::policy::person_name::Evidence as E;
    let evidence = if f.evidence.contains(&E::Key) {
        Evidence::Key
    } else if f.evidence.contains(&E::Cue) || f.evidence.contains(&E::Title) {
        Evidence::Context
    } else {
        Evidence::Lexicon
    };
    Finding {
        evidence,
        ..finding(f.start, f.end, detector)
    }
}

/// A key glob (`*bsn*`, `ni_number`) against a lowercase key: `*` matches any run.
fn glob_match(glob: &str, key: &str) -> bool {
    let parts: Vec<&str> = glob.split('*').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if parts.len() == 1 {
        return key == glob;
    }
    if !key.starts_with(first) || !key.ends_with(last) || key.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &key[first.len()..key.len() - last.len()];
    for p in &parts[1..parts.len() - 1] {
        match rest.find(p) {
            Some(i) => rest = &rest[i + p.len()..],
            None => return false,
        }
    }
    true
}

/// A context word, as a whole word (case-insensitive), in the 40 bytes before `at`.
fn context_before(text: &str, at: usize, words: &[&str]) -> bool {
    let mut start = at.saturating_sub(40);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    let raw = &text[start..at];
    if raw.is_ascii() && words.iter().all(|w| w.is_ascii()) {
        // Without allocating: whole words compared ASCII-case-insensitively.
        let hay = raw.as_bytes();
        return words.iter().filter(|w| !w.is_empty()).any(|w| {
            let w = w.as_bytes();
            (0..hay.len().saturating_sub(w.len() - 1))
                .filter(|&i| i + w.len() <= hay.len())
                .any(|i| {
                    hay[i..i + w.len()].eq_ignore_ascii_case(w)
                        && (i == 0 || !hay[i - 1].is_ascii_alphanumeric())
                        && hay
                            .get(i + w.len())
                            .is_none_or(|c| !c.is_ascii_alphanumeric())
                })
        });
    }
    let window = raw.to_lowercase();
    words.iter().any(|w| {
        let w = w.to_lowercase();
        window.match_indices(&w).any(|(i, _)| {
            let before = window[..i].chars().next_back();
            let after = window[i + w.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    })
}

fn finding(start: usize, end: usize, detector: u16) -> Finding {
    let evidence = match detector {
        CREDIT_CARD | IBAN => Evidence::Checksum,
        d if (NATIONAL_FIRST..PERSON_NAME).contains(&d) => Evidence::Checksum,
        PERSON_NAME | POSTAL_ADDRESS => Evidence::Lexicon,
        d if usize::from(d) >= BUILTIN_COUNT => Evidence::Pattern,
        _ => Evidence::Format,
    };
    Finding {
        start,
        end,
        detector: DetectorId(detector),
        evidence,
    }
}

fn found(start: usize, end: usize, detector: u16) -> Eval {
    Eval::Found(finding(start, end, detector), end)
}

fn reject(s: usize) -> Eval {
    Eval::Rejected(s + 1)
}

/// Rewrites the Unicode word boundaries `\b`, `\B` (and `\b{start}`...) of a custom pattern
/// into ASCII ones. A Unicode boundary anywhere in the combined regex makes the lazy DFA give up on
/// every text with a non-ASCII byte, which slows all detectors down about fourfold; the ASCII
/// boundary differs only next to non-ASCII letters, where it also matches.
fn ascii_word_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.char_indices().peekable();
    let mut class_depth = 0usize;
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                let Some(&(_, next)) = chars.peek() else {
                    out.push(c);
                    continue;
                };
                chars.next();
                if class_depth == 0 && (next == 'b' || next == 'B') {
                    out.push_str("(?-u:\\");
                    out.push(next);
                    // Keep a `{start}`-style suffix inside the group.
                    if pattern[i + 2..].starts_with('{') {
                        for (_, d) in chars.by_ref() {
                            out.push(d);
                            if d == '}' {
                                break;
                            }
                        }
                    }
                    out.push(')');
                } else {
                    out.push(c);
                    out.push(next);
                }
            }
            '[' => {
                class_depth += 1;
                out.push(c);
            }
            ']' if class_depth > 0 => {
                class_depth -= 1;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

fn build_regex(patterns: &[&str]) -> Result<meta::Regex, Box<meta::BuildError>> {
    meta::Regex::builder()
        .configure(meta::Config::new().match_kind(MatchKind::LeftmostFirst))
        .build_many(patterns)
        .map_err(Box::new)
}

/// Bytes a candidate of `kind` can start with.
fn start_bytes(kind: Kind) -> [bool; 256] {
    let mut t = [false; 256];
    for (b, slot) in (0u8..=255).zip(t.iter_mut()) {
        *slot = match kind {
            Kind::UrlCredentials => b == b':',
            Kind::Iban => b.is_ascii_alphabetic(),
            Kind::Email => b == b'@' || b == b'%',
            Kind::Mac => b.is_ascii_hexdigit(),
            Kind::Ipv6 => b.is_ascii_hexdigit() || b == b':' || b == b'[',
            Kind::CreditCard | Kind::UsSsn | Kind::Ipv4 => b.is_ascii_digit(),
            Kind::PhoneInternational => b == b'+',
            Kind::PhoneInternational00 | Kind::PhoneMobile => b == b'0',
            Kind::PhoneNanp => (b'1'..=b'9').contains(&b) || b == b'(',
            Kind::PhoneTrunk => b == b'0' || b == b'(',
            Kind::PhoneSpain => (b'6'..=b'9').contains(&b),
            Kind::PhoneItaly => b == b'3',
            Kind::Custom(_) => true,
        };
    }
    t
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether a candidate of `second` can start where a rejected candidate of `first` started.
/// Leftmost-first reports only the first pattern matching at a position; this says which later
/// patterns are worth an anchored retry there. Formats whose first bytes exclude each other
/// (`ab12:` cannot begin a card, `2001:` cannot begin an SSN) are skipped.
fn may_share_start(first: Kind, second: Kind) -> bool {
    let phone = matches!(
        second,
        Kind::PhoneInternational
            | Kind::PhoneInternational00
            | Kind::PhoneNanp
            | Kind::PhoneTrunk
            | Kind::PhoneMobile
            | Kind::PhoneSpain
            | Kind::PhoneItaly
    );
    match (first, second) {
        (_, Kind::Custom(_)) => true,
        (Kind::Email | Kind::Mac | Kind::Custom(_), _) => true,
        (Kind::UrlCredentials | Kind::Iban | Kind::Ipv6, _) => false,
        (Kind::CreditCard | Kind::UsSsn | Kind::Ipv4, _) => phone,
        (_, _) => phone,
    }
}

/// Cheap shape check before an anchored retry of `kind` at `s`: phone shapes need a separator
/// (or a parenthesis) early on, unseparated mobiles an exact digit count.
fn could_start(kind: Kind, b: &[u8], s: usize) -> bool {
    let window = |from: usize, to: usize| &b[(s + from).min(b.len())..(s + to).min(b.len())];
    let has_sep = |w: &[u8]| w.iter().any(|c| b" .-/()".contains(c));
    match kind {
        Kind::PhoneNanp => has_sep(window(0, 5)),
        Kind::PhoneTrunk => has_sep(window(0, 7)),
        Kind::PhoneSpain | Kind::PhoneItaly => has_sep(window(2, 4)),
        Kind::PhoneInternational00 => window(0, 2) == b"00",
        Kind::PhoneMobile => {
            let run = b[s..].iter().take_while(|c| c.is_ascii_digit()).count();
            run == 10 || run == 11
        }
        _ => true,
    }
}

fn next_char(text: &str, i: usize) -> usize {
    let mut j = i + 1;
    while j < text.len() && !text.is_char_boundary(j) {
        j += 1;
    }
    j.min(text.len())
}

fn before(b: &[u8], i: usize, back: usize) -> Option<u8> {
    i.checked_sub(back).map(|j| b[j])
}

fn at(b: &[u8], i: usize) -> Option<u8> {
    b.get(i).copied()
}

fn is_digit(c: Option<u8>) -> bool {
    c.is_some_and(|c| c.is_ascii_digit())
}

/// True when the number ending at `end` goes on: a digit, or one of `seps` followed by a digit.
fn glued_after(b: &[u8], end: usize, seps: &[u8]) -> bool {
    is_digit(at(b, end))
        || (at(b, end).is_some_and(|c| seps.contains(&c)) && is_digit(at(b, end + 1)))
}

/// True when the number starting at `start` continues one before it.
fn glued_before(b: &[u8], start: usize, seps: &[u8]) -> bool {
    is_digit(before(b, start, 1))
        || before(b, start, 1) == Some(b'+')
        || (before(b, start, 1).is_some_and(|c| seps.contains(&c)) && is_digit(before(b, start, 2)))
}

// ---------------------------------------------------------------------------------------------
// e-mail and url credentials

/// Top-level domains that are really file extensions (none of them is a delegated TLD), so
/// `icon@2x.png` or `bundle@main.js` are asset names, not addresses.
const FILE_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "bmp", "ico", "tif", "tiff", "heic", "css",
    "js", "mjs", "cjs", "ts", "tsx", "jsx", "map", "json", "xml", "html", "htm", "woff", "woff2",
    "ttf", "otf", "eot", "mp3", "mp4", "webm", "wav", "ogg", "pdf", "txt", "csv", "yaml", "yml",
    "lock", "gz",
];

/// Longest run of local-part characters `validate_email` walks back over from an '@'. A local
/// part holds at most 64 bytes; the slack covers the leading punctuation the old pattern allowed.
const LOCAL_WALK: usize = 256;

/// A character of an e-mail local part as the candidates accept it (o'brien, josé).
fn is_local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "._%+-'".contains(c) || ('\u{C0}'..='\u{24F}').contains(&c)
}

/// Start of the run of local-part characters that ends at `at`, walking back no further than
/// `lo` (the end of the previous finding) and `LOCAL_WALK` bytes.
fn local_start(text: &str, at: usize, lo: usize) -> usize {
    let floor = lo.max(at.saturating_sub(LOCAL_WALK));
    let mut start = at;
    for (i, c) in text[..at].char_indices().rev() {
        if i < floor || !is_local_char(c) {
            break;
        }
        start = i;
    }
    start
}

/// An e-mail candidate: `s` is its '@' (or "%40"), `e` the end of its domain; the local part is
/// the run before `s` (from `lo` on at most).
fn validate_email(text: &str, s: usize, e: usize, lo: usize) -> Eval {
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
    if !(2..=63).contains(&tld.len())
        || !tld.bytes().all(|c| c.is_ascii_alphabetic())
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
fn validate_url_credentials(text: &str, s: usize, e: usize, lo: usize) -> Eval {
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

// ---------------------------------------------------------------------------------------------
// iban

/// IBAN length per country (SWIFT IBAN registry, including the 2021-2025 additions).
const IBAN_LENGTHS: &[(&[u8; 2], u8)] = &[
    (b"AD", 24),
    (b"AE", 23),
    (b"AL", 28),
    (b"AT", 20),
    (b"AZ", 28),
    (b"BA", 20),
    (b"BE", 16),
    (b"BG", 22),
    (b"BH", 22),
    (b"BI", 27),
    (b"BR", 29),
    (b"BY", 28),
    (b"CH", 21),
    (b"CR", 22),
    (b"CY", 28),
    (b"CZ", 24),
    (b"DE", 22),
    (b"DJ", 27),
    (b"DK", 18),
    (b"DO", 28),
    (b"EE", 20),
    (b"EG", 29),
    (b"ES", 24),
    (b"FI", 18),
    (b"FK", 18),
    (b"FO", 18),
    (b"FR", 27),
    (b"GB", 22),
    (b"GE", 22),
    (b"GI", 23),
    (b"GL", 18),
    (b"GR", 27),
    (b"GT", 28),
    (b"HN", 28),
    (b"HR", 21),
    (b"HU", 28),
    (b"IE", 22),
    (b"IL", 23),
    (b"IQ", 23),
    (b"IS", 26),
    (b"IT", 27),
    (b"JO", 30),
    (b"KW", 30),
    (b"KZ", 20),
    (b"LB", 28),
    (b"LC", 32),
    (b"LI", 21),
    (b"LT", 20),
    (b"LU", 20),
    (b"LV", 21),
    (b"LY", 25),
    (b"MC", 27),
    (b"MD", 24),
    (b"ME", 22),
    (b"MK", 19),
    (b"MN", 20),
    (b"MR", 27),
    (b"MT", 31),
    (b"MU", 30),
    (b"NI", 28),
    (b"NL", 18),
    (b"NO", 15),
    (b"OM", 23),
    (b"PK", 24),
    (b"PL", 28),
    (b"PS", 29),
    (b"PT", 25),
    (b"QA", 29),
    (b"RO", 24),
    (b"RS", 22),
    (b"RU", 33),
    (b"SA", 24),
    (b"SC", 31),
    (b"SD", 18),
    (b"SE", 24),
    (b"SI", 19),
    (b"SK", 24),
    (b"SM", 27),
    (b"SO", 23),
    (b"ST", 25),
    (b"SV", 28),
    (b"TL", 23),
    (b"TN", 24),
    (b"TR", 26),
    (b"UA", 29),
    (b"VA", 22),
    (b"VG", 24),
    (b"XK", 20),
    (b"YE", 30),
];

fn iban_length(cc: [u8; 2]) -> Option<usize> {
    IBAN_LENGTHS
        .iter()
        .find(|(c, _)| **c == cc)
        .map(|(_, n)| usize::from(*n))
}

fn validate_iban(text: &str, s: usize, e: usize) -> Eval {
    let b = text.as_bytes();
    let cc = [b[s].to_ascii_uppercase(), b[s + 1].to_ascii_uppercase()];
    let Some(len) = iban_length(cc) else {
        return reject(s);
    };
    // Take exactly `len` alphanumerics; they must end where a group ends.
    let mut count = 0;
    let mut end = s;
    for (i, &c) in b[s..e].iter().enumerate() {
        if c == b' ' {
            continue;
        }
        count += 1;
        if count == len {
            end = s + i + 1;
            break;
        }
    }
    if count < len || !(end == e || b[end] == b' ') {
        return reject(s);
    }
    let check = u32::from(b[s + 2] - b'0') * 10 + u32::from(b[s + 3] - b'0');
    if !(2..=98).contains(&check) {
        return reject(s);
    }
    let mut rem: u32 = 0;
    let mut feed = |c: u8| {
        let v = if c.is_ascii_digit() {
            u32::from(c - b'0')
        } else {
            u32::from(c.to_ascii_uppercase() - b'A') + 10
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    };
    for &c in b[s + 4..end].iter().filter(|c| **c != b' ') {
        feed(c);
    }
    for &c in &b[s..s + 4] {
        feed(c);
    }
    if rem != 1 {
        return reject(s);
    }
    found(s, end, IBAN)
}

// ---------------------------------------------------------------------------------------------
// card, ssn

fn validate_card(text: &str, s: usize, e: usize) -> Eval {
    let b = text.as_bytes();
    let mut digits = [0u8; 19];
    let mut nd = 0;
    // Per group: digits so far at its end, and its end byte.
    let mut ends = [(0usize, 0usize); 19];
    let mut ng = 0;
    let mut sep = None;
    let mut new_group = true;
    for (i, &c) in b[s..e].iter().enumerate() {
        if c.is_ascii_digit() {
            if nd == digits.len() {
                return reject(s);
            }
            digits[nd] = c - b'0';
            nd += 1;
            if new_group {
                ng += 1;
                new_group = false;
            }
            ends[ng - 1] = (nd, s + i + 1);
        } else {
            // Mixed separators: only the consistently separated prefix can be a card.
            if *sep.get_or_insert(c) != c {
                break;
            }
            new_group = true;
        }
    }
    // The whole candidate, then without trailing groups ("4111 1111 1111 1111 2").
    for k in (1..=ng).rev() {
        let n = ends[k - 1].0;
        let grouped = k == 1
            || (ends[0].0 == 4
                && (1..k).all(|g| {
                    let len = ends[g].0 - ends[g - 1].0;
                    let range = if g == k - 1 { 1..=6 } else { 4..=6 };
                    range.contains(&len)
                }));
        if (13..=19).contains(&n) && grouped && issuer_ok(&digits[..n]) && luhn(&digits[..n]) {
            return found(s, ends[k - 1].1, CREDIT_CARD);
        }
    }
    reject(s)
}

/// Where the built-in scan may resume after a rejected card candidate `s..e` (digit groups
/// separated by one space or dash): the first later group at which some built-in candidate can
/// start, else the last group. A group of one to two digits starts none, except "1" before a
/// three-digit group starting 2-9 (NANP country code), "0d" (trunk prefix), "00" before a group starting 1-9
/// (international prefix), "8d"/"9d" (Spanish landlines) and dash-separated pairs (MAC). Without
/// this, "1 1 1 1 …" costs a regex search per digit.
fn card_run_resume(b: &[u8], s: usize, e: usize) -> usize {
    let mut groups = [(0usize, 0usize); 24];
    let mut n = 0;
    let mut i = s;
    while i < e && n < groups.len() {
        let start = i;
        while i < e && b[i].is_ascii_digit() {
            i += 1;
        }
        groups[n] = (start, i - start);
        n += 1;
        i += 1; // the separator
    }
    if n < 2 || n == groups.len() {
        return s;
    }
    let dash = b[groups[0].0 + groups[0].1] == b'-';
    for k in 1..n {
        let (t, len) = groups[k];
        let next = groups.get(k + 1).filter(|_| k + 1 < n);
        let may_start = match len {
            0 => true,
            1 => b[t] == b'1' && next.is_none_or(|g| g.1 == 3 && (b'2'..=b'9').contains(&b[g.0])),
            2 => {
                dash || matches!(b[t], b'8' | b'9')
                    || (b[t] == b'0' && b[t + 1] != b'0')
                    || (b[t] == b'0' && next.is_none_or(|g| b[g.0] != b'0'))
            }
            _ => true,
        };
        if may_start || k == n - 1 {
            return t;
        }
    }
    s
}

fn prefix(d: &[u8], k: usize) -> u32 {
    d[..k].iter().fold(0, |a, &x| a * 10 + u32::from(x))
}

/// Issuer prefix and length rules (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay).
fn issuer_ok(d: &[u8]) -> bool {
    let n = d.len();
    let (p2, p3, p4) = (prefix(d, 2), prefix(d, 3), prefix(d, 4));
    // 13-digit Visa numbers have not been issued for decades; a 13-digit number starting with 4
    // that carries a valid EAN-13 check digit is a German/Japanese... product barcode.
    let visa = d[0] == 4 && (matches!(n, 16 | 19) || (n == 13 && !ean13_ok(d)));
    let mastercard = ((51..=55).contains(&p2) || (2221..=2720).contains(&p4)) && n == 16;
    let amex = (p2 == 34 || p2 == 37) && n == 15;
    let discover = (p4 == 6011 || (644..=649).contains(&p3) || p2 == 65) && (16..=19).contains(&n);
    let jcb = (3528..=3589).contains(&p4) && (16..=19).contains(&n);
    let diners =
        ((300..=305).contains(&p3) || p2 == 36 || p2 == 38 || p2 == 39) && (14..=19).contains(&n);
    let unionpay = p2 == 62 && (16..=19).contains(&n);
    visa || mastercard || amex || discover || jcb || diners || unionpay
}

/// GTIN/EAN-13 check digit (weights 1 and 3 from the left).
fn ean13_ok(d: &[u8]) -> bool {
    let sum: u32 = d[..12]
        .iter()
        .enumerate()
        .map(|(i, &x)| u32::from(x) * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    (10 - sum % 10) % 10 == u32::from(d[12])
}

fn luhn(d: &[u8]) -> bool {
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            let x = u32::from(x);
            if i % 2 == 1 {
                let y = x * 2;
                if y > 9 { y - 9 } else { y }
            } else {
                x
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

fn ssn_ok(area: u32, group: u32, serial: u32) -> bool {
    area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
}

fn validate_ssn(text: &str, s: usize, e: usize) -> Eval {
    let b = text.as_bytes();
    let d = &b[s..e];
    let num = |r: &[u8]| r.iter().fold(0u32, |a, &c| a * 10 + u32::from(c - b'0'));
    let sep = d[3];
    if !ssn_ok(num(&d[0..3]), num(&d[4..6]), num(&d[7..11]))
        || glued_before(b, s, &[sep, b'.', b'-', b'/'])
        || glued_after(b, e, &[sep, b'.', b'-', b'/'])
    {
        return reject(s);
    }
    found(s, e, US_SSN)
}

// ---------------------------------------------------------------------------------------------
// ip and mac addresses

/// Words that make a following dotted quad a version number ("version 10.7.31.9") or an OID.
const VERSION_WORDS: &[&str] = &[
    "version", "ver", "vers", "v", "build", "release", "rev", "revision", "firmware", "fw", "sdk",
    "update", "patch", "versión", "versione", "versie", "versjon", "versão", "versao", "oid",
];

/// Four-arc object identifiers that are written on their own (X.500 attribute types
/// `2.5.4.x`, certificate extensions `2.5.29.x`, `1.2.840.x`, `2.16.840.x`, the internet arc).
fn well_known_oid(quad: &str) -> bool {
    quad == "1.3.6.1"
        || ["2.5.4.", "2.5.29.", "1.2.840.", "2.16.840."]
            .iter()
            .any(|p| quad.starts_with(p))
}

fn version_word_before(b: &[u8], s: usize) -> bool {
    let mut j = s;
    while j > 0 && s - j < 3 && b" :=#\t".contains(&b[j - 1]) {
        j -= 1;
    }
    let mut k = j;
    while k > 0 && j - k <= 12 && (b[k - 1].is_ascii_alphabetic() || b[k - 1] >= 0x80) {
        k -= 1;
    }
    let word = &b[k..j];
    !word.is_empty()
        && (k == 0 || !b[k - 1].is_ascii_alphanumeric())
        && VERSION_WORDS
            .iter()
            .any(|w| w.as_bytes().eq_ignore_ascii_case(word))
}

fn version_key(key: &str) -> bool {
    let k = key.as_bytes();
    contains_ci(k, b"version")
        || contains_ci(k, b"release")
        || contains_ci(k, b"build_")
        || contains_ci(k, b"_build")
        || k.eq_ignore_ascii_case(b"build")
        || k.eq_ignore_ascii_case(b"ver")
        || ends_with_ci(k, b"_ver")
}

fn validate_ipv4(text: &str, s: usize, e: usize, key: Option<&str>) -> Eval {
    let b = text.as_bytes();
    // Part of a longer dotted number (version 10.7.31.9.2, OID 1.3.6.1.4.1).
    if (before(b, s, 1) == Some(b'.') && is_digit(before(b, s, 2)))
        || (at(b, e) == Some(b'.') && is_digit(at(b, e + 1)))
    {
        return reject(s);
    }
    let Ok(addr) = text[s..e].parse::<Ipv4Addr>() else {
        return reject(s);
    };
    // Unspecified and broadcast addresses identify nobody.
    if addr.is_unspecified() || addr.is_broadcast() || well_known_oid(&text[s..e]) {
        return reject(s);
    }
    // "Chrome/120.0.6099.109": a product token's version.
    let product =
        before(b, s, 1) == Some(b'/') && before(b, s, 2).is_some_and(|c| c.is_ascii_alphabetic());
    if product || version_word_before(b, s) || key.is_some_and(version_key) {
        return reject(s);
    }
    found(s, e, IPV4)
}

fn validate_ipv6(text: &str, s: usize, e: usize) -> Eval {
    let b = text.as_bytes();
    let mut a = s;
    let mut z = e;
    let bracketed = b[a] == b'[';
    if bracketed {
        a += 1;
    }
    if z > a && b[z - 1] == b']' {
        z -= 1;
    }
    if a >= z {
        return reject(s);
    }
    if !bracketed
        && before(b, a, 1).is_some_and(|c| c.is_ascii_alphanumeric() || b"_:.".contains(&c))
    {
        return reject(s);
    }
    if z == e && at(b, e).is_some_and(|c| c.is_ascii_alphanumeric() || b"_:".contains(&c)) {
        return reject(s);
    }
    let addr_end = memchr::memchr(b'%', &b[a..z]).map_or(z, |i| a + i);
    let addr_text = &text[a..addr_end];
    let Ok(addr) = addr_text.parse::<Ipv6Addr>() else {
        return reject(s);
    };
    let compressed = addr_text.contains("::");
    let has_hex_letter = addr_text.bytes().any(|c| c.is_ascii_alphabetic());
    if compressed {
        // `a::b`, `dead::beef`: C++/Rust scopes, not addresses.
        if addr.is_unspecified() || !addr_text.bytes().any(|c| c.is_ascii_digit()) {
            return reject(s);
        }
    } else if addr_text
        .split(':')
        .all(|g| g.len() == 2 && !g.contains('.'))
    {
        // Eight byte pairs ("de:ad:be:ef:00:11:22:33"): a hex dump, not an address.
        return reject(s);
    }
    // Pure decimal like `1:2:3:4:5:6:7:8` or `10::30`: ratios, counters, times.
    if !has_hex_letter
        && !addr_text.starts_with("::")
        && !addr_text.split(':').any(|g| g.len() >= 3)
    {
        return reject(s);
    }
    let detector = if addr.to_ipv4_mapped().is_some() {
        IPV4
    } else {
        IPV6
    };
    Eval::Found(finding(a, z, detector), e)
}

fn validate_mac(text: &str, s: usize, e: usize) -> Eval {
    let b = text.as_bytes();
    let sep = b[s + 2].min(b[s + 4]); // ':' / '-' for pairs, '.' for the Cisco form
    let cisco = b[s + 4] == b'.';
    let sep = if cisco { b'.' } else { sep };
    let hex_before =
        before(b, s, 1) == Some(sep) && before(b, s, 2).is_some_and(|c| c.is_ascii_hexdigit());
    let hex_after = at(b, e) == Some(sep) && at(b, e + 1).is_some_and(|c| c.is_ascii_hexdigit());
    if hex_before || hex_after || before(b, s, 1) == Some(b':') || at(b, e) == Some(b':') {
        return reject(s);
    }
    let hex = b[s..e].iter().filter(|c| c.is_ascii_hexdigit());
    let (mut zeros, mut effs, mut letters) = (0, 0, 0);
    for c in hex {
        zeros += usize::from(*c == b'0');
        effs += usize::from(c.eq_ignore_ascii_case(&b'f'));
        letters += usize::from(c.is_ascii_alphabetic());
    }
    // All zeros or broadcast identify nobody; a digits-only dotted triple is more likely a number.
    if zeros == 12 || effs == 12 || (cisco && letters == 0) {
        return reject(s);
    }
    found(s, e, MAC)
}

// ---------------------------------------------------------------------------------------------
// phone numbers

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sep {
    None,
    Space,
    Dash,
    Dot,
    Slash,
    Paren,
}

const MAX_GROUPS: usize = 12;

/// A phone candidate split into digit groups.
struct Groups {
    n: usize,
    start: [usize; MAX_GROUPS],
    end: [usize; MAX_GROUPS],
    /// Separator before each group (`Sep::None` for the first).
    sep: [Sep; MAX_GROUPS],
    paren: [bool; MAX_GROUPS],
}

impl Groups {
    fn len(&self, g: usize) -> usize {
        self.end[g] - self.start[g]
    }

    fn digits(&self, upto: usize) -> usize {
        (0..upto).map(|g| self.len(g)).sum()
    }
}

/// Splits `b[from..to]` into digit groups; `None` for anything but digits separated by single
/// separators (` `, `-`, `.`, `/`) and at most one parenthesised group. `open` says a `(` right
/// before `from` is still open ("(+44) 20 ...").
fn digit_groups(b: &[u8], from: usize, to: usize, open: bool) -> Option<Groups> {
    let mut g = Groups {
        n: 0,
        start: [0; MAX_GROUPS],
        end: [0; MAX_GROUPS],
        sep: [Sep::None; MAX_GROUPS],
        paren: [false; MAX_GROUPS],
    };
    let mut pending: Option<Sep> = None; // separator seen since the last group
    let mut after_close = false; // a ')' was the last thing, one separator may follow
    let mut open = open;
    let mut parens = usize::from(open);
    let mut in_group = false;
    for (i, &c) in b[from..to].iter().enumerate() {
        let i = from + i;
        match c {
            b'0'..=b'9' => {
                if !in_group {
                    if g.n == MAX_GROUPS || (g.n > 0 && pending.is_none()) {
                        return None;
                    }
                    g.start[g.n] = i;
                    g.sep[g.n] = if g.n == 0 {
                        Sep::None
                    } else {
                        pending.unwrap_or(Sep::None)
                    };
                    g.paren[g.n] = open;
                    g.n += 1;
                    in_group = true;
                    pending = None;
                    after_close = false;
                }
                g.end[g.n - 1] = i + 1;
            }
            b'(' => {
                if open || parens > 0 || (!in_group && pending.is_none() && g.n > 0) {
                    return None;
                }
                // "+44(0)20": a parenthesis right after digits also separates groups.
                in_group = false;
                open = true;
                parens += 1;
                if g.n > 0 {
                    pending = Some(Sep::Paren);
                }
            }
            b')' => {
                if !open || !in_group {
                    return None;
                }
                open = false;
                in_group = false;
                after_close = true;
                pending = Some(Sep::Paren);
            }
            b' ' | b'-' | b'.' | b'/' => {
                if in_group {
                    in_group = false;
                    pending = Some(match c {
                        b' ' => Sep::Space,
                        b'-' => Sep::Dash,
                        b'.' => Sep::Dot,
                        _ => Sep::Slash,
                    });
                } else if after_close {
                    // ") " and ")-" belong to the parenthesised group's separator.
                    after_close = false;
                } else {
                    return None; // two separators in a row, or a leading one
                }
            }
            _ => return None,
        }
    }
    if open || !in_group || g.n == 0 {
        return None;
    }
    Some(g)
}

/// Length of the E.164 country code at the start of `d` (ITU assignments, 2024).
fn country_code_len(d: &[u8]) -> Option<usize> {
    if d.is_empty() {
        return None;
    }
    let n = |k: usize| -> Option<u32> {
        (d.len() >= k).then(|| d[..k].iter().fold(0, |a, &x| a * 10 + u32::from(x)))
    };
    if matches!(d[0], 1 | 7) {
        return Some(1);
    }
    let two = n(2)?;
    const TWO: &[u32] = &[
        20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55,
        56, 57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98,
    ];
    if TWO.contains(&two) {
        return Some(2);
    }
    let three = n(3)?;
    let ok = matches!(three,
        211..=213 | 216 | 218 | 220..=258 | 260..=269 | 290 | 291 | 297..=299 | 350..=359
        | 370..=383 | 385..=387 | 389 | 420 | 421 | 423 | 500..=509 | 590..=599 | 670
        | 672..=683 | 685..=692 | 800 | 808 | 850 | 852 | 853 | 855 | 856 | 870 | 878 | 880..=883
        | 886 | 888 | 960..=968 | 970..=977 | 979 | 992..=996 | 998);
    ok.then_some(3)
}

/// National significant number length range for a country code (ITU national numbering plans);
/// the default admits anything from 4 digits up to the E.164 maximum.
fn nsn_range(cc: u32) -> (usize, usize) {
    match cc {
        1 | 7 | 52 | 57 | 58 | 63 | 90 | 91 | 92 => (10, 10),
        20 => (9, 10),
        27 | 33 | 34 | 40 | 41 | 48 | 56 | 61 | 351 | 380 | 420 | 421 | 966 => (9, 9),
        30 => (10, 10),
        31 => (9, 9),
        32 | 36 | 66 | 972 | 971 => (8, 9),
        39 => (6, 11),
        43 => (4, 13),
        44 => (9, 10),
        45 | 47 | 65 | 53 => (8, 8),
        46 => (7, 13),
        49 => (6, 13),
        51 => (8, 9),
        54 | 55 | 86 => (10, 11),
        60 | 64 => (8, 10),
        62 => (8, 12),
        81 | 84 => (9, 10),
        82 => (8, 10),
        352 => (6, 11),
        353 => (7, 9),
        358 => (6, 12),
        _ => (4, 14),
    }
}

fn validate_international(text: &str, s: usize, e: usize, prefix: usize) -> Eval {
    let b = text.as_bytes();
    if before(b, s, 1).is_some_and(|c| c.is_ascii_alphanumeric() || c == b'+' || c == b'_') {
        return reject(s);
    }
    let mut from = s + prefix;
    if b[from] == b' ' {
        from += 1;
    }
    // "(+44) 20 ...": the country code in parentheses; "(+44 20 ...)": the whole number.
    let open = prefix == 1 && before(b, s, 1) == Some(b'(');
    let groups = if open {
        digit_groups(b, from, e, true)
    } else {
        None
    };
    let Some(g) = groups.or_else(|| digit_groups(b, from, e, false)) else {
        return reject(s);
    };
    // "+40.712776": one dot between two groups is a decimal number (a latitude), not a phone.
    if g.n == 2 && g.sep[1] == Sep::Dot {
        return reject(s);
    }
    // "+44 (0)20 ...": the trunk zero in parentheses is not dialled from abroad.
    let trunk = g.n > 2 && g.paren[1] && g.len(1) == 1 && b[g.start[1]] == b'0';
    let mut d = [0u8; 32];
    let mut nd = 0;
    let mut cum = [0usize; MAX_GROUPS];
    for k in 0..g.n {
        if !(trunk && k == 1) {
            for &c in &b[g.start[k]..g.end[k]] {
                if nd == d.len() {
                    return reject(s);
                }
                d[nd] = c - b'0';
                nd += 1;
            }
        }
        cum[k] = nd;
    }
    let Some(cc_len) = country_code_len(&d[..nd]) else {
        return reject(s);
    };
    let cc = prefix_u32(&d[..cc_len]);
    let (lo, hi) = nsn_range(cc);
    for k in (0..g.n).rev() {
        if trunk && k == 1 {
            continue;
        }
        let total = cum[k];
        if total <= cc_len {
            break;
        }
        let nsn = total - cc_len;
        if (8..=15).contains(&total) && (lo..=hi).contains(&nsn) {
            let end = g.end[k];
            if at(b, end).is_some_and(|c| c.is_ascii_alphabetic()) {
                return reject(s);
            }
            return found(s, end, PHONE);
        }
    }
    reject(s)
}

fn prefix_u32(d: &[u8]) -> u32 {
    d.iter().fold(0, |a, &x| a * 10 + u32::from(x))
}

fn sep_byte(sep: Sep) -> u8 {
    match sep {
        Sep::Space => b' ',
        Sep::Dash => b'-',
        Sep::Dot => b'.',
        Sep::Slash => b'/',
        Sep::None | Sep::Paren => b')',
    }
}

/// An amount, not a phone: "$ 612 345 678", "612 345 678,00 €", "712 345 678 EUR".
fn looks_like_amount(b: &[u8], s: usize, e: usize) -> bool {
    let mut i = s;
    while i > 0 && b[i - 1] == b' ' && s - i < 1 {
        i -= 1;
    }
    let currency_before = i > 0
        && (b[i - 1] == b'$'
            || b[..i].ends_with("€".as_bytes())
            || b[..i].ends_with("£".as_bytes()));
    let mut j = e;
    if at(b, j) == Some(b' ') {
        j += 1;
    }
    let rest = &b[j.min(b.len())..];
    let currency_after = rest.starts_with(b"$")
        || rest.starts_with("€".as_bytes())
        || rest.starts_with("£".as_bytes())
        || rest.starts_with(b"%")
        || ["eur", "usd", "gbp", "chf"]
            .iter()
            .any(|c| rest.len() >= 3 && rest[..3].eq_ignore_ascii_case(c.as_bytes()));
    let decimal_after = matches!(at(b, e), Some(b',' | b'.')) && is_digit(at(b, e + 1));
    currency_before || currency_after || decimal_after
}

fn validate_nanp(text: &str, s: usize, e: usize) -> Eval {
    let b = text.as_bytes();
    let Some(g) = digit_groups(b, s, e, false) else {
        return reject(s);
    };
    let off = match g.n {
        3 => 0,
        4 if g.len(0) == 1 => 1,
        _ => return reject(s),
    };
    let (area, exch) = (off, off + 1);
    let n11 = |k: usize| b[g.start[k] + 1] == b'1' && b[g.start[k] + 2] == b'1';
    if g.len(area) != 3 || g.len(exch) != 3 || g.len(off + 2) != 4 || n11(area) || n11(exch) {
        return reject(s);
    }
    let main = g.sep[off + 2];
    let consistent =
        g.paren[area] || g.sep[exch] == main || (g.sep[exch] == Sep::Space && main == Sep::Dash);
    let seps = [sep_byte(main), b'.', b'-', b'/'];
    // The number ends at a non-word byte or at an extension glued on: "x12", "ext.12".
    let rest = &b[e..];
    let extension = (rest.first().is_some_and(|c| c.eq_ignore_ascii_case(&b'x'))
        && is_digit(rest.get(1).copied()))
        || (rest.len() > 3 && rest[..3].eq_ignore_ascii_case(b"ext"));
    if !consistent
        || (at(b, e).is_some_and(is_word_byte) && !extension)
        || glued_before(b, s, &seps)
        || glued_after(b, e, &[sep_byte(main), b'.', b'-', b'/', b':'])
    {
        return reject(s);
    }
    found(s, e, PHONE)
}

fn validate_trunk(text: &str, s: usize, e: usize) -> Eval {
    let b = text.as_bytes();
    let Some(g) = digit_groups(b, s, e, false) else {
        return reject(s);
    };
    // Separators after the area code must agree; cut where a different one starts
    // ("01.04.1990 10" is a date and an hour, not "01 04 1990 10").
    let mut n = g.n;
    if n >= 3
        && let Some(j) = (3..n).find(|&j| g.sep[j] != g.sep[2])
    {
        n = j;
    }
    if n < 2 {
        return reject(s);
    }
    let main = g.sep[n.min(3) - 1];
    let digits = g.digits(n);
    let pairs = (0..n).all(|k| g.len(k) == 2);
    let dots = (1..n).any(|k| g.sep[k] == Sep::Dot);
    let late_slash = (2..n).any(|k| g.sep[k] == Sep::Slash);
    let sizes_ok = (1..n).all(|k| (2..=8).contains(&g.len(k)));
    let shape_ok = if pairs { n == 5 } else { n <= 4 && !dots };
    let end = g.end[n - 1];
    let cut = n < g.n;
    let after_seps = [sep_byte(main), b'.', b'-', b'/', b':'];
    if !(9..=12).contains(&digits)
        || !sizes_ok
        || !shape_ok
        || late_slash
        || glued_before(b, s, b".-/ ")
        || (!cut && glued_after(b, end, &after_seps))
        || (cut && at(b, end) == Some(b':'))
        || looks_like_amount(b, s, end)
    {
        return reject(s);
    }
    Eval::Found(finding(s, end, PHONE), end)
}

fn validate_mobile(text: &str, s: usize, e: usize) -> Eval {
    let b = text.as_bytes();
    if glued_before(b, s, b".-/") || glued_after(b, e, b".-/:,") || looks_like_amount(b, s, e) {
        return reject(s);
    }
    found(s, e, PHONE)
}

fn validate_grouped_national(text: &str, s: usize, e: usize) -> Eval {
    let b = text.as_bytes();
    let Some(g) = digit_groups(b, s, e, false) else {
        return reject(s);
    };
    let main = sep_byte(g.sep[1]);
    if glued_before(b, s, &[main, b'.', b'-', b'/'])
        || glued_after(b, e, &[main, b'.', b'-', b'/', b':'])
        || looks_like_amount(b, s, e)
    {
        return reject(s);
    }
    found(s, e, PHONE)
}

// ---------------------------------------------------------------------------------------------
// keyed values

fn nanp_ok(d: &[u8]) -> bool {
    d.len() == 10
        && d[0] >= 2
        && d[3] >= 2
        && !(d[1] == 1 && d[2] == 1)
        && !(d[4] == 1 && d[5] == 1)
}

/// A phone number as a whole value under a phone-like key: NANP with or without the leading 1,
/// national numbers with a trunk 0, `+`/`00` international numbers, Spanish and Italian mobiles.
fn keyed_phone(v: &str) -> bool {
    let (plus, body) = match v.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, v),
    };
    let mut d = [0u8; 20];
    let mut n = 0;
    for c in body.bytes() {
        match c {
            b'0'..=b'9' => {
                if n == d.len() {
                    return false;
                }
                d[n] = c - b'0';
                n += 1;
            }
            b' ' | b'-' | b'.' | b'(' | b')' | b'/' => {}
            _ => return false,
        }
    }
    let d = &d[..n];
    if plus {
        return (8..=15).contains(&n) && country_code_len(d).is_some();
    }
    if n >= 2 && d[0] == 0 && d[1] == 0 {
        return (8..=15).contains(&(n - 2)) && country_code_len(&d[2..]).is_some();
    }
    if n >= 1 && d[0] == 0 {
        return (9..=12).contains(&n);
    }
    match n {
        10 => nanp_ok(d) || d[0] == 3,
        11 => d[0] == 1 && nanp_ok(&d[1..]),
        9 => (6..=9).contains(&d[0]),
        _ => false,
    }
}

/// A bare 9-digit (or `AAA-GG-SSSS` / `AAA GG SSSS`) SSN as a whole value under an SSN-like key.
fn keyed_ssn(v: &str) -> bool {
    let b = v.as_bytes();
    let num = |r: &[u8]| -> Option<u32> {
        r.iter().try_fold(0u32, |a, &c| {
            c.is_ascii_digit().then(|| a * 10 + u32::from(c - b'0'))
        })
    };
    let parts = match b.len() {
        9 => (num(&b[0..3]), num(&b[3..5]), num(&b[5..9])),
        11 if b[3] == b[6] && (b[3] == b'-' || b[3] == b' ') => {
            (num(&b[0..3]), num(&b[4..6]), num(&b[7..11]))
        }
        _ => return false,
    };
    matches!(parts, (Some(a), Some(g), Some(s)) if ssn_ok(a, g, s))
}

/// A US ZIP code as a whole value: 5 digits, ZIP+4 (`12345-6789`, `123456789`), or 4 digits (a
/// ZIP sent as a number loses its leading zero: `2134` is `02134`).
fn keyed_zip(v: &str) -> bool {
    let b = v.as_bytes();
    let digits = |r: &[u8]| r.iter().all(u8::is_ascii_digit);
    let ok = match b.len() {
        4 | 5 | 9 => digits(b),
        10 => digits(&b[..5]) && (b[5] == b'-' || b[5] == b' ') && digits(&b[6..]),
        _ => false,
    };
    ok && b.iter().any(|&c| c != b'0' && c != b'-' && c != b' ')
}

/// A UUID as a whole value: 8-4-4-4-12 hex (optionally in braces or as `urn:uuid:`), or 32 hex
/// digits; the nil UUID (an IDFA with tracking limited) is not an identifier.
fn keyed_uuid(v: &str) -> bool {
    let urn = v
        .as_bytes()
        .get(..9)
        .is_some_and(|p| p.eq_ignore_ascii_case(b"urn:uuid:"));
    let v = v
        .strip_prefix('{')
        .and_then(|x| x.strip_suffix('}'))
        .or_else(|| if urn { v.get(9..) } else { None })
        .unwrap_or(v);
    let b = v.as_bytes();
    let shape = match b.len() {
        36 => b.iter().enumerate().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                *c == b'-'
            } else {
                c.is_ascii_hexdigit()
            }
        }),
        32 => b.iter().all(u8::is_ascii_hexdigit),
        _ => false,
    };
    shape && b.iter().any(|&c| c != b'0' && c != b'-')
}

// ---------------------------------------------------------------------------------------------
// dates (date_of_birth, keyed only)

/// Month names (English, German, French, Spanish, Italian, Dutch, Portuguese) and abbreviations.
const MONTHS: &[(&str, u8)] = &[
    ("january", 1),
    ("jan", 1),
    ("januar", 1),
    ("janvier", 1),
    ("janv", 1),
    ("enero", 1),
    ("ene", 1),
    ("gennaio", 1),
    ("gen", 1),
    ("januari", 1),
    ("janeiro", 1),
    ("february", 2),
    ("feb", 2),
    ("februar", 2),
    ("février", 2),
    ("fevrier", 2),
    ("févr", 2),
    ("fevr", 2),
    ("febrero", 2),
    ("febbraio", 2),
    ("februari", 2),
    ("fevereiro", 2),
    ("fev", 2),
    ("march", 3),
    ("mar", 3),
    ("märz", 3),
    ("maerz", 3),
    ("mär", 3),
    ("mars", 3),
    ("marzo", 3),
    ("maart", 3),
    ("mrt", 3),
    ("março", 3),
    ("marco", 3),
    ("april", 4),
    ("apr", 4),
    ("avril", 4),
    ("avr", 4),
    ("abril", 4),
    ("abr", 4),
    ("aprile", 4),
    ("may", 5),
    ("mai", 5),
    ("mayo", 5),
    ("maggio", 5),
    ("mag", 5),
    ("mei", 5),
    ("maio", 5),
    ("june", 6),
    ("jun", 6),
    ("juni", 6),
    ("juin", 6),
    ("junio", 6),
    ("giugno", 6),
    ("giu", 6),
    ("junho", 6),
    ("july", 7),
    ("jul", 7),
    ("juli", 7),
    ("juillet", 7),
    ("juil", 7),
    ("julio", 7),
    ("luglio", 7),
    ("lug", 7),
    ("julho", 7),
    ("august", 8),
    ("aug", 8),
    ("août", 8),
    ("aout", 8),
    ("agosto", 8),
    ("ago", 8),
    ("augustus", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("septembre", 9),
    ("septiembre", 9),
    ("setiembre", 9),
    ("settembre", 9),
    ("set", 9),
    ("setembro", 9),
    ("october", 10),
    ("oct", 10),
    ("oktober", 10),
    ("okt", 10),
    ("octobre", 10),
    ("octubre", 10),
    ("ottobre", 10),
    ("ott", 10),
    ("outubro", 10),
    ("out", 10),
    ("november", 11),
    ("nov", 11),
    ("novembre", 11),
    ("noviembre", 11),
    ("novembro", 11),
    ("december", 12),
    ("dec", 12),
    ("dezember", 12),
    ("dez", 12),
    ("décembre", 12),
    ("decembre", 12),
    ("déc", 12),
    ("diciembre", 12),
    ("dic", 12),
    ("dicembre", 12),
    ("dezembro", 12),
];

/// Words that may surround a written date without changing it.
const DATE_FILLERS: &[&str] = &[
    "monday",
    "mon",
    "tuesday",
    "tue",
    "tues",
    "wednesday",
    "wed",
    "thursday",
    "thu",
    "thur",
    "thurs",
    "friday",
    "fri",
    "saturday",
    "sat",
    "sunday",
    "sun",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonntag",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "lunes",
    "martes",
    "miércoles",
    "jueves",
    "viernes",
    "sábado",
    "domingo",
    "of",
    "the",
    "de",
    "del",
    "le",
    "den",
    "am",
    "pm",
    "um",
    "at",
    "à",
    "gmt",
    "utc",
    "z",
];

fn days_in_month(month: u32, year: Option<u32>) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => match year {
            Some(y) if !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) => 28,
            _ => 29,
        },
        _ => 0,
    }
}

fn valid_dmy(day: u32, month: u32, year: Option<u32>) -> bool {
    (1..=12).contains(&month)
        && day >= 1
        && day <= days_in_month(month, year)
        && year.is_none_or(|y| (1800..=2100).contains(&y))
}

fn parse_u32(s: &str) -> Option<u32> {
    (!s.is_empty() && s.len() <= 9 && s.bytes().all(|c| c.is_ascii_digit()))
        .then(|| s.bytes().fold(0, |a, c| a * 10 + u32::from(c - b'0')))
}

/// What the date grammar knows of a date's year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateYear {
    /// A four-digit year (`02.11.1958`, `1958-11-02`, `2 novembre 1958`, `19581102`).
    Year(u32),
    /// Epoch seconds or milliseconds (9–13 digits, optionally negative): the value as written.
    Epoch(i64),
    /// A date without a usable year (`04/01`, `--04-01`, `01-04-90`).
    Unknown,
}

/// A date as a whole value under a birth-date key: ISO dates and datetimes, numeric day/month/year
/// in either order with `-`, `/` or `.`, 8-digit compact dates, month names in seven languages,
/// month and day without a year, and epoch seconds or milliseconds.
fn is_date(v: &str) -> bool {
    date_year(v).is_some()
}

/// The date grammar shared by `date_of_birth` and the `generalize: year` action: `Some` when the
/// whole of `v` is a date in one of the forms `is_date` lists, with what it says of the year.
pub fn date_year(v: &str) -> Option<DateYear> {
    if v.len() > 80 {
        return None;
    }
    let unsigned = v.strip_prefix('-').unwrap_or(v);
    if !unsigned.is_empty() && unsigned.bytes().all(|c| c.is_ascii_digit()) {
        return match unsigned.len() {
            8 => compact_date(unsigned).map(DateYear::Year),
            // epoch seconds (1973-2286) or milliseconds
            9..=13 => v.parse::<i64>().ok().map(DateYear::Epoch),
            _ => None,
        };
    }
    let (date, time) = split_time(v);
    if time.is_none_or(looks_like_time)
        && let Some(year) = numeric_date(date)
    {
        return Some(year.map_or(DateYear::Unknown, DateYear::Year));
    }
    named_date(v).map(|y| y.map_or(DateYear::Unknown, DateYear::Year))
}

fn compact_date(d: &str) -> Option<u32> {
    let p = |r: std::ops::Range<usize>| parse_u32(&d[r]).unwrap_or(0);
    if valid_dmy(p(6..8), p(4..6), Some(p(0..4))) {
        Some(p(0..4))
    } else if valid_dmy(p(0..2), p(2..4), Some(p(4..8)))
        || valid_dmy(p(2..4), p(0..2), Some(p(4..8)))
    {
        Some(p(4..8))
    } else {
        None
    }
}

fn split_time(v: &str) -> (&str, Option<&str>) {
    let b = v.as_bytes();
    if let Some(i) = v.find(['T', 't'])
        && i >= 8
        && b[i - 1].is_ascii_digit()
    {
        return (&v[..i], Some(&v[i + 1..]));
    }
    match v.find(' ') {
        Some(i) => (&v[..i], Some(v[i + 1..].trim_start())),
        None => (v, None),
    }
}

fn looks_like_time(t: &str) -> bool {
    let clock_end = t
        .bytes()
        .position(|c| !(c.is_ascii_digit() || c == b':' || c == b'.' || c == b','))
        .unwrap_or(t.len());
    let clock = &t[..clock_end];
    if clock.len() < 3 || !clock.contains(':') || !clock.as_bytes()[0].is_ascii_digit() {
        return false;
    }
    let rest = t[clock_end..].trim();
    rest.is_empty()
        || ["z", "utc", "gmt", "am", "pm"]
            .iter()
            .any(|w| rest.eq_ignore_ascii_case(w))
        || ((rest.starts_with('+') || rest.starts_with('-'))
            && rest.len() > 1
            && rest[1..].bytes().all(|c| c.is_ascii_digit() || c == b':'))
}

/// `Some(year)` when `d` is a numeric date (`Some(None)` without a four-digit year).
fn numeric_date(d: &str) -> Option<Option<u32>> {
    if let Some(md) = d.strip_prefix("--") {
        // ISO 8601 without a year: --04-01
        return numeric_date_fields(md, Some(b'-'));
    }
    let d = d.strip_suffix('.').unwrap_or(d);
    numeric_date_fields(d, None)
}

fn numeric_date_fields(d: &str, only_sep: Option<u8>) -> Option<Option<u32>> {
    let sep = d.bytes().find(|c| !c.is_ascii_digit())?;
    if !matches!(sep, b'-' | b'/' | b'.') || only_sep.is_some_and(|o| o != sep) {
        return None;
    }
    let mut fields = d.split(char::from(sep));
    let (a, b2) = (fields.next()?, fields.next()?);
    let c = fields.next();
    if fields.next().is_some() {
        return None;
    }
    let (x, y) = (parse_u32(a)?, parse_u32(b2)?);
    let ok = |valid: bool, year: Option<u32>| valid.then_some(year);
    match c {
        None if only_sep.is_some() => {
            ok(a.len() <= 2 && b2.len() <= 2 && valid_dmy(y, x, None), None)
        }
        None => match (a.len(), b2.len()) {
            (4, 1..=2) => ok(
                sep != b'.' && (1..=12).contains(&y) && (1800..=2100).contains(&x),
                Some(x),
            ),
            (1..=2, 1..=2) => ok(valid_dmy(x, y, None) || valid_dmy(y, x, None), None),
            _ => None,
        },
        Some(c) => {
            let z = parse_u32(c)?;
            match (a.len(), b2.len(), c.len()) {
                (4, 1..=2, 1..=2) => ok(valid_dmy(z, y, Some(x)), Some(x)),
                (1..=2, 1..=2, 4) => ok(
                    valid_dmy(x, y, Some(z)) || valid_dmy(y, x, Some(z)),
                    Some(z),
                ),
                (1..=2, 1..=2, 2) => ok(valid_dmy(x, y, None) || valid_dmy(y, x, None), None),
                _ => None,
            }
        }
    }
}

fn month_number(word: &str) -> Option<u32> {
    MONTHS
        .iter()
        .find(|(m, _)| m.eq_ignore_ascii_case(word))
        .map(|(_, n)| u32::from(*n))
}

/// "April 1, 1990", "1. April 1990", "Sun Apr 01 1990 00:00:00 GMT+0200 (CEST)", "01-Apr-1990",
/// "1er avril 1990", "1 de abril de 1990", "April 1st".
/// `Some(year)` when `v` is a date with a month name (`Some(None)` without a four-digit year).
fn named_date(v: &str) -> Option<Option<u32>> {
    let v = v.split('(').next().unwrap_or(v);
    let mut month = None;
    let mut numbers = [(0u32, 0usize); 2];
    let mut nn = 0;
    for tok in v.split([' ', ',', '/', '-', '.']) {
        if tok.is_empty() || tok.contains(':') {
            continue;
        }
        if let Some(m) = month_number(tok) {
            if month.is_some() {
                return None;
            }
            month = Some(m);
            continue;
        }
        if DATE_FILLERS.iter().any(|w| w.eq_ignore_ascii_case(tok)) {
            continue;
        }
        let tz = tok.len() > 3
            && tok
                .as_bytes()
                .get(..3)
                .is_some_and(|p| p.eq_ignore_ascii_case(b"gmt") || p.eq_ignore_ascii_case(b"utc"));
        if tz || tok.starts_with('+') {
            continue;
        }
        let digits_end = tok
            .bytes()
            .position(|c| !c.is_ascii_digit())
            .unwrap_or(tok.len());
        let suffix = &tok[digits_end..];
        let ordinal = ["st", "nd", "rd", "th", "er", "e", "º", "ª", "°"]
            .iter()
            .any(|s| suffix.eq_ignore_ascii_case(s));
        let value = parse_u32(&tok[..digits_end])?;
        if !(suffix.is_empty() || ordinal) || nn == numbers.len() {
            return None;
        }
        numbers[nn] = (value, digits_end);
        nn += 1;
    }
    let month = month?;
    match &numbers[..nn] {
        [(d, 1..=2)] => valid_dmy(*d, month, None).then_some(None),
        [(d, 1..=2), (y, 4)] | [(y, 4), (d, 1..=2)] => {
            valid_dmy(*d, month, Some(*y)).then_some(Some(*y))
        }
        [(d, 1..=2), (_, 2)] => valid_dmy(*d, month, None).then_some(None),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// key globs

/// What is wrong with a key glob, if anything.
fn key_problem(key: &str) -> Option<&'static str> {
    if key.trim().is_empty() {
        Some("it is empty; write a key name such as 'mrn' or a glob such as '*medical_record*'")
    } else if key.trim() != key {
        Some("it has leading or trailing whitespace; remove it")
    } else if key.chars().any(char::is_control) {
        Some("it contains a control character")
    } else if key.contains(['?', '[', ']', '{', '}']) {
        Some("only '*' is a wildcard in key globs ('?', '[...]' and '{...}' are not supported)")
    } else {
        None
    }
}

fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty()
        || hay
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

fn ends_with_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.len() >= needle.len() && hay[hay.len() - needle.len()..].eq_ignore_ascii_case(needle)
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// Source of `Detectors::instance`; 0 marks an empty memo slot.
static NEXT_INSTANCE: AtomicU64 = AtomicU64::new(1);

const MEMO_SLOTS: usize = 64;
const MEMO_KEY_LEN: usize = 40;

/// One remembered key: which keyed detectors of detector set `owner` have a glob matching it.
#[derive(Clone, Copy)]
struct MemoSlot {
    owner: u64,
    len: u8,
    key: [u8; MEMO_KEY_LEN],
    mask: u128,
}

const EMPTY_SLOT: MemoSlot = MemoSlot {
    owner: 0,
    len: 0,
    key: [0; MEMO_KEY_LEN],
    mask: 0,
};

thread_local! {
    /// Property names repeat from event to event; matching a key against every glob costs an
    /// automaton pass, remembering the answer a hash and a compare. Fixed size, no allocation.
    static KEY_MEMO: RefCell<[MemoSlot; MEMO_SLOTS]> = const { RefCell::new([EMPTY_SLOT; MEMO_SLOTS]) };
}

/// `compute()` for `key`, remembered per thread in a small direct-mapped table.
fn memo_key_mask(owner: u64, key: &[u8], compute: impl FnOnce() -> u128) -> u128 {
    if key.len() > MEMO_KEY_LEN {
        return compute();
    }
    let mut h = owner.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    for chunk in key.chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(0x517C_C1B7_2722_0A95);
    }
    let slot = (h >> 58) as usize; // top 6 bits: MEMO_SLOTS = 64
    let hit = KEY_MEMO
        .try_with(|m| {
            let m = m.borrow();
            let s = &m[slot];
            (s.owner == owner && usize::from(s.len) == key.len() && s.key[..key.len()] == *key)
                .then_some(s.mask)
        })
        .ok()
        .flatten();
    if let Some(mask) = hit {
        return mask;
    }
    let mask = compute();
    let _ = KEY_MEMO.try_with(|m| {
        let mut m = m.borrow_mut();
        let s = &mut m[slot];
        s.owner = owner;
        s.len = key.len() as u8; // <= MEMO_KEY_LEN
        s.key[..key.len()].copy_from_slice(key);
        s.mask = mask;
    });
    mask
}

/// One key glob split at its `*`s.
struct Glob {
    detector: u16,
    pieces: Vec<Box<[u8]>>,
    anchored_start: bool,
    anchored_end: bool,
}

impl Glob {
    fn matches(&self, key: &[u8]) -> bool {
        let last = self.pieces.len().wrapping_sub(1);
        let mut rest = key;
        for (i, p) in self.pieces.iter().enumerate() {
            if i == 0 && self.anchored_start {
                if rest.len() < p.len() || !rest[..p.len()].eq_ignore_ascii_case(p) {
                    return false;
                }
                rest = &rest[p.len()..];
                if i == last && self.anchored_end {
                    return rest.is_empty();
                }
            } else if i == last && self.anchored_end {
                return ends_with_ci(rest, p);
            } else {
                match find_ci(rest, p) {
                    Some(j) => rest = &rest[j + p.len()..],
                    None => return false,
                }
            }
        }
        true
    }
}

/// All key globs. One Aho-Corasick pass over a key finds the glob pieces it contains; only the
/// globs that own such a piece are checked in full, so a key like "title" costs one short pass.
struct KeyIndex {
    finder: Option<AhoCorasick>,
    globs: Vec<Glob>,
    /// Per piece (Aho-Corasick pattern id): the globs whose rarest... first piece it is.
    by_piece: Vec<Vec<usize>>,
    /// Globs without any literal piece (`*`), which match every key.
    always: Vec<usize>,
}

impl KeyIndex {
    fn new(globs: &[(u16, String)]) -> KeyIndex {
        let mut pieces: Vec<Box<[u8]>> = Vec::new();
        let mut compiled: Vec<Glob> = Vec::new();
        let mut by_piece: Vec<Vec<usize>> = Vec::new();
        let mut always = Vec::new();
        for (id, glob) in globs {
            let parts: Vec<Box<[u8]>> = glob
                .split('*')
                .filter(|p| !p.is_empty())
                .map(|p| p.to_ascii_lowercase().into_bytes().into_boxed_slice())
                .collect();
            let index = compiled.len();
            // A glob can only match a key that contains its first piece: index it there.
            match parts.first() {
                None => always.push(index),
                Some(first) => {
                    let lower = first.to_ascii_lowercase();
                    let p = match pieces.iter().position(|q| q.eq_ignore_ascii_case(&lower)) {
                        Some(p) => p,
                        None => {
                            pieces.push(lower.into_boxed_slice());
                            by_piece.push(Vec::new());
                            pieces.len() - 1
                        }
                    };
                    by_piece[p].push(index);
                }
            }
            compiled.push(Glob {
                detector: *id,
                pieces: parts,
                anchored_start: !glob.starts_with('*'),
                anchored_end: !glob.ends_with('*'),
            });
        }
        let finder = if pieces.is_empty() {
            None
        } else {
            // Keys are short: a prefilter only adds start-up cost, a DFA is the fastest walk.
            Some(
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(AcMatchKind::Standard)
                    .kind(Some(AhoCorasickKind::DFA))
                    .prefilter(false)
                    .build(&pieces)
                    .or_else(|_| {
                        AhoCorasickBuilder::new()
                            .ascii_case_insensitive(true)
                            .match_kind(AcMatchKind::Standard)
                            .build(&pieces)
                    })
                    .expect("literal pieces of validated key globs always build an automaton"),
            )
        };
        KeyIndex {
            finder,
            globs: compiled,
            by_piece,
            always,
        }
    }

    /// The detectors among `candidates` that have a glob matching `key`.
    fn matching(&self, key: &[u8], candidates: DetectorMask) -> DetectorMask {
        let mut found = DetectorMask::default();
        let mut check = |g: &Glob| {
            let id = DetectorId(g.detector);
            if candidates.contains(id) && !found.contains(id) && g.matches(key) {
                found.insert(id);
            }
        };
        for &i in &self.always {
            check(&self.globs[i]);
        }
        if let Some(ac) = &self.finder {
            for m in ac.find_overlapping_iter(key) {
                for &i in &self.by_piece[m.pattern().as_usize()] {
                    check(&self.globs[i]);
                }
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dets() -> Detectors {
        Detectors::new(Vec::new()).expect("built-ins compile")
    }

    fn all(d: &Detectors) -> DetectorMask {
        let mut m = DetectorMask::default();
        for n in d.names() {
            m.insert(d.id(n).expect("listed name has an id"));
        }
        m
    }

    /// (detector name, matched text) of every finding.
    fn find(d: &Detectors, text: &str, key: Option<&str>) -> Vec<(String, String)> {
        let mut out = Vec::new();
        d.scan(text, key, all(d), &mut out);
        out.iter()
            .map(|f| {
                (
                    d.name(f.detector).to_owned(),
                    text[f.start..f.end].to_owned(),
                )
            })
            .collect()
    }

    fn one(d: &Detectors, text: &str) -> Vec<(String, String)> {
        find(d, text, None)
    }

    fn assert_found(d: &Detectors, det: &str, text: &str, span: &str) {
        let got = one(d, text);
        assert!(
            got.iter().any(|(n, s)| n == det && s == span),
            "expected {det} {span:?} in {text:?}, got {got:?}"
        );
    }

    fn assert_none(d: &Detectors, text: &str) {
        let got = one(d, text);
        assert!(got.is_empty(), "expected nothing in {text:?}, got {got:?}");
    }

    /// (detector, span, evidence) of every finding.
    fn evidence(
        d: &Detectors,
        text: &str,
        key: Option<&str>,
    ) -> Vec<(String, String, &'static str)> {
        let mut out = Vec::new();
        d.scan(text, key, all(d), &mut out);
        out.iter()
            .map(|f| {
                (
                    d.name(f.detector).to_owned(),
                    text[f.start..f.end].to_owned(),
                    f.evidence.name(),
                )
            })
            .collect()
    }

    #[test]
    fn weak_candidates_need_a_context_word_or_the_key() {
        let d = dets();
        let has = |text: &str, key: Option<&str>, det: &str, span: &str, ev: &str| {
            let got = evidence(&d, text, key);
            assert!(
                got.iter()
                    .any(|(n, s, e)| n == det && s == span && *e == ev),
                "expected {det} {span:?} by {ev} in {text:?}, got {got:?}"
            );
        };
        has(
            "bel me op 0201234567 graag",
            None,
            "phone",
            "0201234567",
            "context",
        );
        has("Tel. 0301234567", None, "phone", "0301234567", "context");
        has(
            "call 2125551234 tomorrow",
            None,
            "phone",
            "2125551234",
            "context",
        );
        has(
            "llámame al 612345678",
            None,
            "phone",
            "612345678",
            "context",
        );
        has(
            "SSN 123456789 on file",
            None,
            "us_ssn",
            "123456789",
            "context",
        );
        has(
            "my social security number is 078051120",
            None,
            "us_ssn",
            "078051120",
            "context",
        );
        has(
            "notes 0201234567",
            Some("customer_phone_note"),
            "phone",
            "0201234567",
            "key",
        );
        // Luhn-valid, issuer not in the table: found only next to a card word.
        has(
            "Kreditkarte 8000 0000 0000 0000 2",
            None,
            "credit_card",
            "8000 0000 0000 0000 2",
            "context",
        );
        has(
            "tarjeta de débito 8928 0038 1799 2577 caducada",
            None,
            "credit_card",
            "8928 0038 1799 2577",
            "context",
        );
        has(
            "card 8000000000000003",
            None,
            "credit_card",
            "8000000000000003",
            "context",
        );
        has(
            "geboren am 02.11.1958 in Köln",
            None,
            "date_of_birth",
            "02.11.1958",
            "context",
        );
        has(
            "born 14/03/1971",
            None,
            "date_of_birth",
            "14/03/1971",
            "context",
        );
        has(
            "née le 3 mars 1984 à Lyon",
            None,
            "date_of_birth",
            "3 mars 1984",
            "context",
        );
        has(
            "fecha de nacimiento: 14 de marzo de 1971",
            None,
            "date_of_birth",
            "14 de marzo de 1971",
            "context",
        );
        has(
            "admitted on 2023-04-11, discharged 2023-04-19",
            None,
            "personal_date",
            "2023-04-11",
            "context",
        );
        has(
            "ricoverato il 11/04/2023",
            None,
            "personal_date",
            "11/04/2023",
            "context",
        );
        // Strong forms keep their own evidence.
        has(
            "4111 1111 1111 1111",
            None,
            "credit_card",
            "4111 1111 1111 1111",
            "checksum",
        );
        has(
            "mail a@example.com",
            None,
            "email",
            "a@example.com",
            "format",
        );

        for text in [
            "order 0201234567 shipped",
            "invoice 123456789",
            "ref 8000000000000003",
            "shipped on 07.12.2015",
            "member since 2016-09-10",
            "SSN pending, order 123456789",
            "phone: see order 12345678901234567890",
            "microphone 0201234567",
            "tel v0201234567",
            "phone 0201234567.5",
        ] {
            let got = evidence(&d, text, None);
            assert!(
                got.iter().all(|(n, _, _)| !matches!(
                    n.as_str(),
                    "phone" | "us_ssn" | "credit_card" | "date_of_birth" | "personal_date"
                )),
                "nothing expected in {text:?}, got {got:?}"
            );
        }
    }

    #[test]
    fn custom_detectors_may_need_context() {
        let d = Detectors::new(vec![CustomDetector {
            name: "case_no".into(),
            pattern: Some(r"\b[0-9]{7}\b".into()),
            keys: vec![],
            context: vec!["Aktenzeichen".into(), "case".into()],
        }])
        .expect("valid");
        let id = d.id("case_no").expect("defined");
        let mut want = DetectorMask::default();
        want.insert(id);
        let scan = |text: &str, key: Option<&str>| {
            let mut out = Vec::new();
            d.scan(text, key, want, &mut out);
            out.iter()
                .map(|f| (text[f.start..f.end].to_owned(), f.evidence.name()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            scan("Aktenzeichen: 1234567", None),
            [("1234567".to_owned(), "context")]
        );
        assert_eq!(
            scan("see 1234567", Some("case_ref")),
            [("1234567".to_owned(), "key")]
        );
        assert!(scan("order 1234567", None).is_empty());
        let bad = CustomDetector {
            name: "x".into(),
            pattern: None,
            keys: vec!["x".into()],
            context: vec!["case".into()],
        };
        assert_eq!(
            bad.validate(),
            Err(DetectorError::ContextWithoutPattern { name: "x".into() })
        );
    }

    #[test]
    fn email() {
        let d = dets();
        assert_found(
            &d,
            "email",
            "mail john.doe+news@mail.example.co.uk now",
            "john.doe+news@mail.example.co.uk",
        );
        assert_found(&d, "email", "<anna_b@beispiel.de>.", "anna_b@beispiel.de");
        assert_found(&d, "email", "josé@exemple.fr", "josé@exemple.fr");
        for trap in [
            "icon@2x.png",
            "logo@1.5x.webp",
            "lodash@4.17.21",
            "@scope/pkg",
            "user@localhost",
            "npm i @babel/core@7.22.0",
            "bundle@main.js",
        ] {
            assert_none(&d, trap);
        }
    }

    #[test]
    fn phone() {
        let d = dets();
        for (text, span) in [
            ("Call (415) 555-0123 today", "(415) 555-0123"),
            ("call 415-555-0199.", "415-555-0199"),
            ("415.555.0100", "415.555.0100"),
            ("+1 415 555 0123", "+1 415 555 0123"),
            ("1-800-555-0123", "1-800-555-0123"),
            ("+44 20 7946 0958", "+44 20 7946 0958"),
            ("+44 (0)20 7946 0958", "+44 (0)20 7946 0958"),
            ("0044 20 7946 0958", "0044 20 7946 0958"),
            ("07700 900123", "07700 900123"),
            ("07700900123", "07700900123"),
            ("020 7946 0958", "020 7946 0958"),
            ("Ruf an: 030 12345678", "030 12345678"),
            ("0151 23456789", "0151 23456789"),
            ("030/12345678", "030/12345678"),
            ("01 23 45 67 89", "01 23 45 67 89"),
            ("06.12.34.56.78", "06.12.34.56.78"),
            ("06-12345678", "06-12345678"),
            ("612 345 678", "612 345 678"),
            ("347 123 4567", "347 123 4567"),
            ("+49 151 23456789", "+49 151 23456789"),
        ] {
            assert_found(&d, "phone", text, span);
        }
        for trap in [
            "1700000000",
            "1700000000000",
            "2024-01-15T10:30:00Z",
            "$1,234.56",
            "1.234,56 €",
            "01.04.1990 10:30",
            "v4.17.21",
            "978-3-16-148410-0",
            "ORD-2024-000123",
            "+40.712776, -74.005974",
            "(415) 155-0123",
            "415-911-0123",
            "12:30:45",
            "555-0123",
            "4155550123",
        ] {
            assert_none(&d, trap);
        }
    }

    #[test]
    fn credit_card() {
        let d = dets();
        assert_found(
            &d,
            "credit_card",
            "card 4111111111111111 exp",
            "4111111111111111",
        );
        assert_found(
            &d,
            "credit_card",
            "4111 1111 1111 1111 12/25",
            "4111 1111 1111 1111",
        );
        assert_found(
            &d,
            "credit_card",
            "5555-5555-5555-4444",
            "5555-5555-5555-4444",
        );
        assert_found(&d, "credit_card", "3782 822463 10005", "3782 822463 10005");
        assert_found(
            &d,
            "credit_card",
            "Diners 3056 930902 5904",
            "3056 930902 5904",
        );
        for trap in [
            "1847839267195673",
            "4111111111111112",
            "4111 1111-1111 1111",
            "9783161484100",
            "036000291452",
        ] {
            assert_none(&d, trap);
        }
    }

    #[test]
    fn iban() {
        let d = dets();
        assert_found(
            &d,
            "iban",
            "IBAN DE89370400440532013000.",
            "DE89370400440532013000",
        );
        assert_found(
            &d,
            "iban",
            "DE89 3704 0044 0532 0130 00 bitte",
            "DE89 3704 0044 0532 0130 00",
        );
        assert_found(
            &d,
            "iban",
            "gb82west12345698765432",
            "gb82west12345698765432",
        );
        assert_found(
            &d,
            "iban",
            "BE68 5390 0754 7034 from",
            "BE68 5390 0754 7034",
        );
        assert_none(&d, "DE89370400440532013001");
        assert_none(&d, "XX89370400440532013000");
    }

    #[test]
    fn us_ssn() {
        let d = dets();
        assert_found(&d, "us_ssn", "SSN 123-45-6789", "123-45-6789");
        assert_found(&d, "us_ssn", "ssn 123 45 6789.", "123 45 6789");
        for trap in [
            "000-12-3456",
            "666-12-3456",
            "900-12-3456",
            "123-00-4567",
            "123-45-0000",
            "123-45 6789",
            "1-123-45-6789",
        ] {
            assert_none(&d, trap);
        }
    }

    #[test]
    fn ipv4() {
        let d = dets();
        assert_found(&d, "ipv4", "from 192.0.2.1:443", "192.0.2.1");
        assert_found(&d, "ipv4", "host 10.7.31.9 down", "10.7.31.9");
        for trap in [
            "10.7.31.9.2",
            "1.3.6.1.4.1",
            "v2.1.1.108",
            "version 10.7.31.9",
            "01.2.3.4",
            "0.0.0.0",
            "255.255.255.255",
            "Chrome/120.0.61.109",
            "4.17.21",
        ] {
            assert_none(&d, trap);
        }
        assert!(find(&d, "10.7.31.9", Some("app_version")).is_empty());
    }

    #[test]
    fn ipv6() {
        let d = dets();
        assert_found(&d, "ipv6", "src 2001:db8::1 ok", "2001:db8::1");
        assert_found(&d, "ipv6", "::1", "::1");
        assert_found(&d, "ipv6", "fe80::1%eth0", "fe80::1%eth0");
        assert_found(
            &d,
            "ipv6",
            "[2001:db8:0:0:1:0:0:1]:8080",
            "2001:db8:0:0:1:0:0:1",
        );
        assert_found(&d, "ipv4", "::ffff:192.0.2.1", "::ffff:192.0.2.1");
        for trap in [
            "std::vector<int>",
            "a::b",
            "dead::beef",
            "12:30:45",
            "1:2:3:4:5:6:7:8",
            "10::30",
            "Foo::Bar::baz",
        ] {
            assert_none(&d, trap);
        }
    }

    #[test]
    fn mac() {
        let d = dets();
        assert_found(&d, "mac", "mac 00:1A:2b:3c:4D:5e", "00:1A:2b:3c:4D:5e");
        assert_found(&d, "mac", "00-1a-2b-3c-4d-5e", "00-1a-2b-3c-4d-5e");
        assert_found(&d, "mac", "001a.2b3c.4d5e", "001a.2b3c.4d5e");
        for trap in [
            "ff:ff:ff:ff:ff:ff",
            "00:00:00:00:00:00",
            "00:1a:2b:3c:4d",
            "00:1a-2b:3c:4d:5e",
            "1234.5678.9012",
        ] {
            assert_none(&d, trap);
        }
    }

    #[test]
    fn url_credentials() {
        let d = dets();
        assert_found(
            &d,
            "url_credentials",
            "https://admin:s3cret@db.example.com/x",
            "admin:s3cret",
        );
        assert_found(
            &d,
            "url_credentials",
            "postgres://app:p%40ss@10.0.0.5:5432/db",
            "app:p%40ss",
        );
        assert_found(
            &d,
            "ipv4",
            "postgres://app:p%40ss@10.0.0.5:5432/db",
            "10.0.0.5",
        );
        assert_none(&d, "https://example.com:8443/path");
    }

    #[test]
    fn keyed() {
        let d = dets();
        assert_eq!(
            find(&d, "4155550123", Some("phone")),
            [("phone".into(), "4155550123".into())]
        );
        assert!(find(&d, "4155550123", Some("order_total")).is_empty());
        assert_eq!(
            find(&d, " 123456789 ", Some("SSN")),
            [("us_ssn".into(), "123456789".into())]
        );
        assert!(find(&d, "123456789", Some("count")).is_empty());
        assert_eq!(
            find(&d, "02134", Some("zip")),
            [("us_zip".into(), "02134".into())]
        );
        assert_eq!(
            find(&d, "02134-1234", Some("postal_code")),
            [("us_zip".into(), "02134-1234".into())]
        );
        assert!(find(&d, "02134", Some("amount")).is_empty());
        for dob in [
            "1990-04-01",
            "04/01/1990",
            "1.4.1990",
            "April 1, 1990",
            "1990-04-01T00:00:00Z",
            "1 de abril de 1990",
        ] {
            assert_eq!(
                find(&d, dob, Some("date_of_birth")),
                [("date_of_birth".into(), dob.into())],
                "{dob}"
            );
        }
        assert!(find(&d, "1990", Some("birth_year")).is_empty());
        let idfa = "6D92078A-8246-4BA4-AE5B-76104861E7DC";
        assert_eq!(find(&d, idfa, Some("idfa")), [("uuid".into(), idfa.into())]);
        assert!(find(&d, idfa, Some("event_id")).is_empty());
        assert!(find(&d, "00000000-0000-0000-0000-000000000000", Some("idfa")).is_empty());
        assert!(find(&d, "1700000000", Some("phone_verified_at")).is_empty());
    }

    #[test]
    fn overlap_resolution() {
        let d = dets();
        // An e-mail wins over the dotted quad of its local part.
        assert_eq!(
            one(&d, "1.2.3.4@example.com"),
            [("email".into(), "1.2.3.4@example.com".into())]
        );
        // Credentials win over the e-mail-looking "password@host".
        assert_eq!(
            one(&d, "ftp://bob:hunter2@files.example.com"),
            [("url_credentials".into(), "bob:hunter2".into())]
        );
        // A phone-only rule does not report the digits inside an e-mail.
        let mut out = Vec::new();
        let mut phone = DetectorMask::default();
        phone.insert(d.id("phone").expect("built-in"));
        d.scan("+14155550123@sms.example.com", None, phone, &mut out);
        assert!(out.is_empty());
        // Sorted, non-overlapping.
        let mut out = Vec::new();
        d.scan(
            "a@b.co 4111111111111111 10.0.0.1 +44 20 7946 0958",
            None,
            all(&d),
            &mut out,
        );
        assert_eq!(out.len(), 4);
        assert!(out.windows(2).all(|w| w[0].end <= w[1].start));
    }

    #[test]
    fn compatibility_forms_are_found_in_their_nfkc_fold() {
        let d = dets();
        // Full-width letters, '＠' and '．': the finding covers the original bytes.
        assert_found(
            &d,
            "email",
            "Kontakt: ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ bitte",
            "ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ",
        );
        assert_found(&d, "email", "mail jane＠example.com", "jane＠example.com");
        // Full-width digits and plus sign.
        assert_found(
            &d,
            "phone",
            "Tel. ＋４９ ３０ １２３４５６７８",
            "＋４９ ３０ １２３４５６７８",
        );
        assert_found(
            &d,
            "credit_card",
            "card ４１１１ １１１１ １１１１ １１１１ ok",
            "４１１１ １１１１ １１１１ １１１１",
        );
        // A combining accent composes with its letter, and stays inside the finding.
        assert_found(
            &d,
            "email",
            "from jose\u{301}.garcia@example.com",
            "jose\u{301}.garcia@example.com",
        );
        // Under a key, the whole folded value.
        assert_eq!(
            find(&d, "０３０ １２３４５６７", Some("phone")),
            [("phone".into(), "０３０ １２３４５６７".into())]
        );
        // Folding finds nothing where there is nothing, and NFKC-stable text is not folded.
        for text in [
            "ｈｅｌｌｏ ｗｏｒｌｄ",
            "① ② ③ ﬁnance",
            "Öffnungszeiten: täglich ab 9 Uhr",
        ] {
            assert_none(&d, text);
        }
        assert!(Folded::of("José Müller").is_none());
        let f = Folded::of("ａ＠ｂ").expect("full-width folds");
        assert_eq!(f.text, "a@b");
        assert_eq!((f.start[1], f.end[2]), (3, 6));
    }

    #[test]
    fn numbers_after_a_rejected_digit_run_are_still_found() {
        let d = dets();
        let ones = "1 ".repeat(30);
        assert_found(
            &d,
            "phone",
            &format!("{ones}+44 20 7946 0958"),
            "+44 20 7946 0958",
        );
        let zeros = "0 ".repeat(25);
        assert_found(
            &d,
            "us_ssn",
            &format!("x {zeros}, 123-45-6789"),
            "123-45-6789",
        );
        let dashes = "7-".repeat(20);
        assert_found(
            &d,
            "credit_card",
            &format!("{dashes} 4111-1111-1111-1111"),
            "4111-1111-1111-1111",
        );
        assert_none(&d, &"1 ".repeat(1000));
        assert_none(&d, &"1-".repeat(1000));
        // A skip lands on every group that can start a candidate: here a trunk-prefixed number
        // and a NANP number with its country code inside a run of single digits.
        assert_eq!(card_run_resume(b"1 1 1 1 030 1234567", 0, 19), 8);
        assert_eq!(card_run_resume(b"2 2 1 415 555 0123", 0, 18), 4);
        assert_eq!(card_run_resume(b"1 1 1 1 1 1 1 1 1 1 1 1 1", 0, 25), 24);
    }

    #[test]
    fn nothing_found_appends_nothing() {
        let d = dets();
        let mut out = Vec::with_capacity(0);
        for text in [
            "Add to cart",
            "Price: $1,234.56",
            "2024-01-15T10:30:00Z",
            "v2.1.1.108",
            "",
        ] {
            d.scan(text, Some("title"), all(&d), &mut out);
        }
        assert!(out.is_empty());
        assert_eq!(out.capacity(), 0);
    }

    #[test]
    fn custom_detectors() {
        let d = Detectors::new(vec![
            CustomDetector {
                name: "mrn".into(),
                pattern: Some(r"\bMRN[-: ]?\d{6,10}\b".into()),
                keys: vec!["mrn".into(), "*medical_record*".into()],
                context: vec![],
            },
            CustomDetector {
                name: "acct".into(),
                pattern: Some(r"ACCT-\d+".into()),
                keys: vec![],
                context: vec![],
            },
        ])
        .expect("valid custom detectors");
        let mrn = d.id("mrn").expect("custom id");
        assert_eq!(d.name(mrn), "mrn");
        assert_eq!(d.names().count(), Detectors::BUILTIN.len() + 2);
        assert_found(&d, "mrn", "Patient MRN-1234567 admitted", "MRN-1234567");
        assert_eq!(
            find(&d, "abc", Some("Medical_Record_No")),
            [("mrn".into(), "abc".into())]
        );
        // An unwanted custom pattern does not hide a card inside its match.
        let mut out = Vec::new();
        let mut want = DetectorMask::default();
        want.insert(mrn);
        want.insert(d.id("credit_card").expect("built-in"));
        d.scan("ACCT-4111111111111111", None, want, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(d.name(out[0].detector), "credit_card");
        // ... and scanning goes on after it (regression: the sub-scan used to end the scan).
        out.clear();
        d.scan("ACCT-12 then MRN-1234567", None, want, &mut out);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].detector, mrn);
        assert!(d.scans_digits(want));
    }

    #[test]
    fn prefilter_and_fast_path_never_change_results() {
        let d = Detectors::new(vec![
            CustomDetector {
                name: "mrn".into(),
                pattern: Some(r"\bMRN[-: ]?\d{6,10}\b".into()),
                keys: vec![],
                context: vec![],
            },
            CustomDetector {
                name: "digits".into(),
                pattern: Some(r"\d{5}".into()),
                keys: vec![],
                context: vec![],
            },
        ])
        .expect("valid");
        let pieces = [
            "+44 20 7946 0958",
            "(+44) 20",
            "0044 20 7946 0958",
            "(415) 555-0123",
            "415.555.0123",
            "4111 1111 1111 1111",
            "4111111111111111",
            "0612345678",
            "07700900123",
            "06 12 34 56 78",
            "DE89 3704 0044 0532 0130 00",
            "éDE89370400440532013000",
            "123-45-6789",
            "192.0.2.1",
            "::ffff:192.0.2.1",
            "2001:db8::1",
            "fe80::1%eth0",
            "00:1a:2b:3c:4d:5e",
            "aa-bb-cc-dd-ee-0f",
            "001a.2b3c.4d5e",
            "john%40example.com",
            "a@b.co",
            "https://u:p@h.io",
            "612 345 678",
            "347 123 4567",
            "030/12345678",
            "2024-01-15T10:30:45Z",
            "1700000000000",
            "v2.1.1.108",
            "$1,234.56",
            "x",
            " ",
            "–",
            "1",
            "12",
            "-",
            ".",
            ":",
            "@",
            "%",
            "(",
            "+",
            "0",
            "00",
            "3f2504e0-4f89-41d3-a9c0-0305e82c3301",
            "12345678-1234-1234-1234-123456789012",
            "2024-01-15",
            "2024-01-15 10:30",
            "2024-01-15T10:30:45.123456789+05:30",
            "0612-34-56T07:00:00.0612345678Z",
            "4111-11-11T11:11:11.111Z",
            "MRN-1234567",
            "MRN 4111111111111111",
            "ACCT-4111111111111111",
            "12345",
        ];
        let mut r: u64 = 7;
        let mut next = || {
            r ^= r << 13;
            r ^= r >> 7;
            r ^= r << 17;
            r
        };
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for _ in 0..40_000 {
            let mut text = String::new();
            for _ in 0..(1 + next() % 3) {
                text.push_str(pieces[(next() % pieces.len() as u64) as usize]);
                if next() % 2 == 0 {
                    text.push(' ');
                }
            }
            // Every subset of detectors that a rule may ask for behaves the same.
            let wanted = DetectorMask(u128::from(next() as u16 & 0x3fff) | 1);
            a.clear();
            b.clear();
            d.scan(&text, None, wanted, &mut a);
            d.scan_unfiltered(&text, wanted, &mut b);
            assert_eq!(a, b, "{text:?} wanted {wanted:?}");
        }
    }

    #[test]
    fn arbitrary_text_never_panics() {
        let d = Detectors::new(vec![CustomDetector {
            name: "mrn".into(),
            pattern: Some(r"\bMRN[-: ]?\d{6,10}\b".into()),
            keys: vec!["mrn".into()],
            context: vec![],
        }])
        .expect("valid");
        let alphabet: Vec<char> = "0123456789 -./:@%+()[]{}#TtZz_aAbBeEfFxX\u{e4}\u{20ac}\u{4e2d}\u{1f600}\u{a0}urn:uuid:GMTutc"
            .chars()
            .collect();
        let keys = [
            None,
            Some("dob"),
            Some("idfa"),
            Some("zip"),
            Some("phone"),
            Some("ssn"),
            Some("mrn"),
            Some("app_version"),
        ];
        let mut r: u64 = 99;
        let mut next = || {
            r ^= r << 13;
            r ^= r >> 7;
            r ^= r << 17;
            r
        };
        let mut all = DetectorMask::default();
        for n in d.names() {
            all.insert(d.id(n).expect("listed"));
        }
        let mut out = Vec::new();
        for _ in 0..50_000 {
            let len = (next() % 48) as usize;
            let text: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let key = keys[(next() % keys.len() as u64) as usize];
            out.clear();
            d.scan(&text, key, all, &mut out);
            for f in &out {
                assert!(f.start < f.end && f.end <= text.len());
                assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
            }
            assert!(out.windows(2).all(|w| w[0].end <= w[1].start), "{text:?}");
        }
    }

    #[test]
    fn custom_word_boundaries_become_ascii() {
        assert_eq!(
            ascii_word_boundaries(r"\bMRN\d+\b"),
            r"(?-u:\b)MRN\d+(?-u:\b)"
        );
        assert_eq!(ascii_word_boundaries(r"\\b[\w\]]\B"), r"\\b[\w\]](?-u:\B)");
        assert_eq!(ascii_word_boundaries(r"\b{start}x"), r"(?-u:\b{start})x");
        for p in [r"\bMRN\d+\b", r"\b{start}x\b{end}", r"a\Bb", r"[\\b]\b"] {
            assert!(regex::Regex::new(&ascii_word_boundaries(p)).is_ok(), "{p}");
        }
    }

    #[test]
    fn key_memo_keeps_detector_sets_apart() {
        let with_keys = |keys: &[&str]| {
            Detectors::new(vec![CustomDetector {
                name: "acct".into(),
                pattern: None,
                keys: keys.iter().map(|k| (*k).into()).collect(),
                context: vec![],
            }])
            .expect("valid")
        };
        let (a, b) = (with_keys(&["account_no"]), with_keys(&["other"]));
        let long_key = format!("{}account_no", "x".repeat(60));
        for _ in 0..3 {
            assert_eq!(find(&a, "12", Some("account_no")).len(), 1);
            assert!(find(&b, "12", Some("account_no")).is_empty());
            assert!(find(&a, "12", Some(&long_key)).is_empty());
            assert_eq!(find(&a, "12", Some("Account_No")).len(), 1);
        }
    }

    #[test]
    fn new_errors() {
        let c = |name: &str, pattern: Option<&str>, keys: &[&str]| CustomDetector {
            name: name.into(),
            pattern: pattern.map(Into::into),
            keys: keys.iter().map(|k| (*k).into()).collect(),
            context: vec![],
        };
        let err = |v| Detectors::new(v).expect_err("must be rejected");
        assert_eq!(
            err(vec![c("email", Some("x"), &[])]),
            DetectorError::Duplicate {
                name: "email".into()
            }
        );
        // Two policies may each define `a`: the set holds both, each with its own id.
        let two = Detectors::new(vec![c("a", Some("x"), &[]), c("a", Some("y"), &[])]).unwrap();
        assert_eq!(two.names().filter(|n| *n == "a").count(), 2);
        assert!(
            matches!(err(vec![c("a", Some("(x"), &[])]), DetectorError::BadPattern { ref name, ref message } if name == "a" && message.contains("unclosed"))
        );
        assert!(matches!(
            err(vec![c("a", Some("x*"), &[])]),
            DetectorError::BadPattern { .. }
        ));
        assert_eq!(
            err(vec![c("a", None, &[])]),
            DetectorError::Empty { name: "a".into() }
        );
        assert_eq!(
            err(vec![c("a", None, &[""])]),
            DetectorError::BadKey {
                name: "a".into(),
                key: "".into()
            }
        );
        assert_eq!(
            err(vec![c("a", None, &["x?"])]),
            DetectorError::BadKey {
                name: "a".into(),
                key: "x?".into()
            }
        );
        assert_eq!(
            err(vec![c("Bad-Name", Some("x"), &[])]),
            DetectorError::BadName {
                name: "Bad-Name".into()
            }
        );
        let many: Vec<_> = (0..129 - Detectors::BUILTIN.len())
            .map(|i| c(&format!("d{i}"), None, &["k"]))
            .collect();
        assert_eq!(err(many), DetectorError::TooMany { count: 129 });
        let msg = DetectorError::BadKey {
            name: "a".into(),
            key: "".into(),
        }
        .to_string();
        assert!(msg.contains("empty"), "{msg}");
    }

    #[test]
    fn mask_and_names() {
        let d = dets();
        assert_eq!(d.names().collect::<Vec<_>>(), Detectors::BUILTIN);
        assert_eq!(d.id("iban"), Some(DetectorId(3)));
        assert_eq!(d.id("nope"), None);
        assert_eq!(d.name(DetectorId(999)), "?");
        let mut m = DetectorMask::default();
        assert!(m.is_empty());
        m.insert(DetectorId(127));
        m.insert(DetectorId(128));
        assert!(m.contains(DetectorId(127)) && !m.contains(DetectorId(128)));
        let mut email = DetectorMask::default();
        email.insert(DetectorId(EMAIL));
        assert!(!d.scans_digits(email));
        let mut zip = DetectorMask::default();
        zip.insert(DetectorId(US_ZIP));
        assert!(d.scans_digits(zip));
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Detectors>();
    }
}
