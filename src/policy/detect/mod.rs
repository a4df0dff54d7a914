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
use crate::policy::memo::{self, Question};
use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::atomic::{AtomicU64, Ordering};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind as AcMatchKind};
use regex_automata::{Anchored, Input, Match, MatchKind, PatternID, meta};

mod builtins;
mod candidates;
mod checksum;
mod credential;
mod date;
mod email;
mod keyed;
mod keys;
mod months_cldr;
mod mrz;
mod network;
mod phone;
mod words;

use builtins::*;
use candidates::*;
use checksum::*;
use date::*;
use email::*;
use keyed::*;
use keys::*;
use network::*;
use phone::*;

pub use date::{DateYear, date_year};
pub use words::word_problem;

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
    /// Every kind, in declaration order (`ALL[e as usize] == e`).
    pub const ALL: [Evidence; 6] = [
        Evidence::Format,
        Evidence::Checksum,
        Evidence::Context,
        Evidence::Key,
        Evidence::Pattern,
        Evidence::Lexicon,
    ];

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
    /// Terms found as words in free text, in any language ([`words`]); each is a finding.
    pub words: Vec<String>,
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
        if self.pattern.is_none() && self.keys.is_empty() && self.words.is_empty() {
            return Err(DetectorError::Empty { name: name() });
        }
        if let Some(word) = self.words.iter().find(|w| words::word_problem(w).is_some()) {
            return Err(DetectorError::BadWord {
                name: name(),
                word: word.clone(),
            });
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
    /// A term of `words:` cannot be matched (empty, too long, no letter or digit, a `*` that
    /// does not end it).
    BadWord {
        /// The detector the term belongs to.
        name: String,
        /// The term, as written.
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
                "detector '{name}' has no 'pattern', 'keys' or 'words'; give at least one of them"
            ),
            DetectorError::BadWord { name, word } => write!(
                f,
                "detector '{name}': unusable term '{word}': {}",
                words::word_problem(word).unwrap_or("not a usable term")
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

/// Index of the e-mail pattern in `CANDIDATES` (and so in every combined regex).
const EMAIL_PATTERN: usize = 1;
const MAX_DETECTORS: usize = 128;

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
    /// The custom detectors' word lists, one automaton for all.
    words: Option<words::WordLists>,
}

impl fmt::Debug for Detectors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Detectors")
            .field("names", &self.names)
            .finish_non_exhaustive()
    }
}

impl Detectors {
    /// Names of the built-in detectors, in id order ([`builtins::BUILTINS`]).
    pub const BUILTIN: &'static [&'static str] = &builtins::NAMES;

    /// Detector groups a rule may name in `detect:`: each stands for several built-ins.
    pub const GROUPS: &'static [(&'static str, &'static [&'static str])] =
        &[("national_id", &builtins::NATIONAL_GROUP)];

    /// Built-ins plus custom detectors; everything compiled here, once. Custom detectors may
    /// share a name (each policy has its own); none may take a built-in's.
    pub fn new(custom: Vec<CustomDetector>) -> Result<Detectors, DetectorError> {
        // The context gate's automaton takes about 15 ms to build: when policies compile, not
        // on the first request that needs it.
        std::sync::LazyLock::force(&GATE);
        let count = BUILTIN_COUNT + custom.len();
        if count > MAX_DETECTORS {
            return Err(DetectorError::TooMany { count });
        }
        let mut names: Vec<Box<str>> = Self::BUILTIN.iter().map(|n| Box::from(*n)).collect();
        let mut globs: Vec<(u16, String)> = Vec::new();
        for (id, b) in (0u16..).zip(builtins::BUILTINS.iter()) {
            globs.extend(b.keys.iter().map(|g| (id, (*g).to_owned())));
        }

        let mut patterns: Vec<&str> = CANDIDATES.iter().map(|(_, p)| *p).collect();
        let mut compiled_customs: Vec<String> = Vec::new();
        let mut kinds: Vec<Kind> = CANDIDATES.iter().map(|(k, _)| *k).collect();
        let mut custom_patterns = DetectorMask::default();
        let mut digit_detectors = DetectorMask::default();
        let mut custom_names: Vec<&str> = Vec::new();
        let mut word_lists: Vec<(DetectorId, &[String])> = Vec::new();
        for (id, d) in (BUILTIN_COUNT..).zip(custom.iter()) {
            let id = u16::try_from(id).map_err(|_| DetectorError::TooMany { count })?;
            d.validate()?;
            globs.extend(d.keys.iter().map(|key| (id, key.clone())));
            if !d.words.is_empty() {
                word_lists.push((DetectorId(id), &d.words));
            }
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
        let words = words::WordLists::new(&word_lists);

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
            words,
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

    /// Unique to this set (per-thread memos key their answers by it).
    pub fn instance(&self) -> u64 {
        self.instance
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
        // Not the detectors that need a key to fire (`in_redaction` in the table).
        let mut wanted = DetectorMask::default();
        wanted.extend(
            BUILTINS
                .iter()
                .zip(0u16..)
                .filter(|(b, _)| b.in_redaction)
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
    /// digits, ligatures...) is scanned in its NFKC fold, with Unicode dashes read as `-` and
    /// invisible format characters (zero-width space, soft hyphen...) dropped, and findings are
    /// mapped back to the byte ranges of the original text, so that redaction covers what was
    /// sent. Only text with non-ASCII characters that the fold changes is folded (and only then
    /// allocates).
    pub fn scan(
        &self,
        text: &str,
        key: Option<&str>,
        wanted: DetectorMask,
        out: &mut Vec<Finding>,
    ) {
        self.scan_under(text, key, None, wanted, out);
    }

    /// The first finding of the `wanted` detectors in `key` itself (a field name that is
    /// personal data, `{"jane@example.com": "accepted"}`): its detector and evidence.
    /// Remembered per thread, as property names repeat from event to event.
    pub fn finding_in_key(
        &self,
        key: &str,
        wanted: DetectorMask,
    ) -> Option<(DetectorId, Evidence)> {
        if wanted.is_empty() {
            return None;
        }
        let answer = memo::remember(
            self.instance,
            Question::FindingInKey,
            wanted.0,
            key.as_bytes(),
            || {
                // This memo remembers the answer; the memo of clean texts need not too.
                let mut out = Vec::new();
                self.scan_fresh(key, None, None, wanted, &mut out);
                // Field names glue their words with underscores (`phone_+4915…`, `rrn_940715…`,
                // `cf_FRRMTT…`): read apart, the key's words are the context that confirms the
                // identifier glued to them.
                if out.is_empty() && key.contains('_') {
                    self.scan_fresh(&key.replace('_', " "), None, None, wanted, &mut out);
                }
                if out.is_empty() {
                    national_id_as_key(key, wanted, &mut out);
                }
                if out.is_empty()
                    && wanted.0 & (1u128 << PERSON_NAME) != 0
                    && let Some((start, end)) =
                        crate::policy::person_name::scripts::name_as_key(key)
                {
                    out.push(Finding {
                        evidence: Evidence::Lexicon,
                        ..finding(start, end, PERSON_NAME)
                    });
                }
                out.first().map_or(0, |f| {
                    1 | u128::from(f.detector.0) << 8 | (f.evidence as u128) << 32
                })
            },
        );
        (answer != 0).then(|| {
            let detector = DetectorId((answer >> 8) as u16);
            (detector, Evidence::ALL[((answer >> 32) & 0xff) as usize])
        })
    }

    /// [`scan`](Self::scan) of a value whose key sits under `parent` (`{"patient": {"dob":
    /// …}}`): a context word or personal-data class in the parent key confirms weak candidates
    /// as the value's own key does. Key globs and keyed forms look at the value's own key only.
    pub fn scan_under(
        &self,
        text: &str,
        key: Option<&str>,
        parent: Option<&str>,
        wanted: DetectorMask,
        out: &mut Vec<Finding>,
    ) {
        if wanted.is_empty() {
            return;
        }
        // Traffic repeats its values (page titles, labels, event names): a text this thread
        // already scanned under the same key, parent key and detectors, and found clean, is
        // clean again. Texts with findings are never remembered.
        let question = memo::ScanQuestion {
            owner: self.instance,
            wanted: wanted.0,
            key,
            parent,
            text,
        };
        let place = match memo::known_clean(&question) {
            Ok(()) => return,
            Err(place) => place,
        };
        let from = out.len();
        self.scan_fresh(text, key, parent, wanted, out);
        if out.len() == from
            && let Some(place) = place
        {
            memo::note_clean(&question, place);
        }
    }

    /// [`scan`](Self::scan) without the per-thread memo of clean texts: what a value never
    /// seen before costs. For benchmarks of the scanners themselves; the engine scans through
    /// the memo.
    pub fn scan_afresh(
        &self,
        text: &str,
        key: Option<&str>,
        wanted: DetectorMask,
        out: &mut Vec<Finding>,
    ) {
        if !wanted.is_empty() {
            self.scan_fresh(text, key, None, wanted, out);
        }
    }

    /// [`Detectors::scan_under`] without the memo of clean texts.
    fn scan_fresh(
        &self,
        text: &str,
        key: Option<&str>,
        parent: Option<&str>,
        wanted: DetectorMask,
        out: &mut Vec<Finding>,
    ) {
        // Every scanner reads the fold; its findings are moved back to the original's bytes.
        let folded = if text.is_ascii() {
            None
        } else {
            Folded::of(text)
        };
        let from = out.len();
        let read = folded.as_ref().map_or(text, |f| f.text.as_str());
        self.scan_read(read, key, parent, wanted, out, from);
        if let Some(f) = &folded {
            f.map_back(&mut out[from..]);
        }
    }

    /// [`Detectors::scan_fresh`] of text in the form the detectors read (see [`Folded`]);
    /// findings from `from` on are this text's.
    fn scan_read(
        &self,
        text: &str,
        key: Option<&str>,
        parent: Option<&str>,
        wanted: DetectorMask,
        out: &mut Vec<Finding>,
        from: usize,
    ) {
        self.scan_folded(text, key, wanted, out);
        if wanted.0 & CONTEXT_MASK != 0 {
            let before = out.len();
            scan_context_confirmed(text, [key, parent], wanted, out, from);
            if out.len() > before {
                out[from..].sort_by_key(|f| f.start);
            }
        }
        let before = out.len();
        if let Some(words) = &self.words {
            words.scan(text, wanted, out);
        }
        if wanted.contains(DetectorId(EMAIL)) {
            email::scan_obfuscated(text, out);
        }
        if wanted.contains(DetectorId(CREDENTIAL)) {
            credential::scan(text, out, from);
        }
        if wanted.0 & EVIDENCE_MASK != 0 {
            scan_evidence(text, key, wanted, out);
        }
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
        // The same fold as `scan`: only the filters differ.
        let folded = Folded::of(text);
        let scanned = folded.as_ref().map_or(text, |f| f.text.as_str());
        let scan = Scan::new(scanned, None, wanted, &Counts::of(scanned.as_bytes()));
        let custom = wanted.0 & self.custom_patterns.0 != 0;
        match &self.combined_re {
            Some(re) if custom => self.scan_range(re, &scan, 0, scanned.len(), out),
            _ => self.scan_range(&self.builtin_re, &scan, 0, scanned.len(), out),
        };
        if let Some(f) = &folded {
            f.map_back(out);
        }
        // The context pass runs behind no pre-filter; it is the same in both.
        if wanted.0 & CONTEXT_MASK != 0 {
            scan_context_confirmed(text, [None, None], wanted, out, 0);
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
        let matched = memo::remember(self.instance, Question::KeyedGlobs, 0, key, || {
            self.keys.matching(key, self.keyed).0
        });
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

/// The NFKC fold of a text with compatibility characters (full-width forms, no-break and thin
/// spaces), Unicode dashes read as `-` and invisible format characters (zero-width space and
/// joiners, word joiner, soft hyphen, byte-order mark) dropped — pasted text carries them inside
/// numbers and addresses (`078–05–1120`, `jane\u{200B}.doe@…`) — and where each of its byte
/// offsets falls in the original text.
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
        if is_nfkc_quick(text.chars()) == IsNormalized::Yes && !has_dash_or_invisible(text) {
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
        let mut prev = ' ';
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
            let extra = beyond_nfkc(c, prev, &text[b..]);
            match extra {
                Some(replacement) => folded.text.push_str(replacement),
                None => folded.text.extend(text[a..b].nfkc()),
            }
            // A dropped character does not separate the digits around a dash; a digit of
            // another script counts as the digit it reads as.
            match extra {
                Some("") => {}
                Some(r) if r.len() == 1 => prev = char::from(r.as_bytes()[0]),
                _ => prev = c,
            }
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

    /// Moves findings in the folded text to the byte ranges of the original.
    fn map_back(&self, findings: &mut [Finding]) {
        for f in findings {
            f.start = self.start[f.start];
            f.end = self.end[f.end];
        }
    }
}

/// True when [`Folded`] would change `text` beyond NFKC (see [`beyond_nfkc`]); a dash that is
/// not between digits, as in `Summer Sale – 50% Off`, does not count, so such text is not folded.
fn has_dash_or_invisible(text: &str) -> bool {
    let mut prev = ' ';
    text.char_indices().any(|(i, c)| {
        let extra = beyond_nfkc(c, prev, &text[i + c.len_utf8()..]);
        prev = c;
        extra.is_some()
    })
}

/// What [`Folded`] makes of `c` beyond NFKC, given the character before it (`prev`, invisible
/// ones skipped) and the text after it: a Unicode dash between two digits becomes `-`, an
/// invisible format character (zero-width space and joiners, word joiner, soft hyphen,
/// byte-order mark) nothing. A dash elsewhere ends a word and stays as it is: as `-` it would
/// join the word before it (`john@example.com–thanks` keeps its e-mail). `None`: NFKC only.
fn beyond_nfkc(c: char, prev: char, after: &str) -> Option<&'static str> {
    const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    match c {
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' => (prev.is_ascii_digit()
            && after
                .chars()
                .next()
                .is_some_and(|n| decimal_digit(n).is_some()))
        .then_some("-"),
        '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => Some(""),
        _ => decimal_digit(c).map(|d| DIGITS[usize::from(d)]),
    }
}

/// The value of a decimal digit of any script (Unicode general category Nd, whose digits run
/// from zero to nine in code point order): phone numbers, dates and ids are written in
/// Arabic-Indic (`٠١٠٢٤٨٣٩١٧٥`), Persian (`۱۳۶۵/۰۴/۲۲`), Devanagari, Bengali or Thai digits as
/// often as in ASCII ones. ASCII digits too; full-width ones are NFKC's.
fn decimal_digit(c: char) -> Option<u8> {
    /// The zero of each script's digits in the Basic Multilingual Plane (Unicode 15, Nd).
    const ZEROS: &[u32] = &[
        0x0030, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66,
        0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946,
        0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0,
        0xA9F0, 0xAA50, 0xABF0,
    ];
    let code = u32::from(c);
    if code < 0x0660 {
        return c.is_ascii_digit().then(|| c as u8 - b'0');
    }
    ZEROS
        .iter()
        .find(|&&zero| (zero..zero + 10).contains(&code))
        .map(|&zero| (code - zero) as u8)
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
    keys: [Option<&str>; 2],
    wanted: DetectorMask,
    out: &mut Vec<Finding>,
    from: usize,
) {
    let b = text.as_bytes();
    let digits = b.iter().filter(|c| c.is_ascii_digit()).count();
    let wants = |id: u16| wanted.0 & (1u128 << id) != 0;
    use crate::policy::lexicon::KeyClass;
    // The value's key or its parent names the topic, or is of the class `own`.
    let in_keys = |topic: context::Topic, own: Option<KeyClass>| {
        keys.into_iter().flatten().any(|k| {
            own.is_some_and(|c| crate::policy::lexicon::classify(k) == Some(c))
                || context::in_key(k, topic)
        })
    };
    let confirmed = |at: usize, end: usize, topic: context::Topic, own: Option<KeyClass>| {
        if context::countered(text, at) {
            None
        } else if context::before(text, at, topic) || context::after(text, end, topic) {
            Some(Evidence::Context)
        } else if in_keys(topic, own) {
            Some(Evidence::Key)
        } else {
            None
        }
    };
    let free = |out: &[Finding], s: usize, e: usize| no_overlap(&out[from..], s, e);
    if wants(ONLINE_HANDLE) && memchr::memchr(b'@', b).is_some() {
        online_handles(text, out, from, &confirmed);
    }
    // A travel document's machine-readable zone needs no word: its layout and check digits
    // say what it is. Every line of one has `<<` (fillers) and a data line twelve digits.
    if wants(PASSPORT_NUMBER) && b.len() >= 28 && memchr::memmem::find(b, b"<<").is_some() {
        mrz::scan(text, out, from);
    }
    // The context words of the passes below that look for them before their candidates
    // (documents and vehicles, phone layouts, accounts), looked for once when one needs them.
    let topics = std::cell::OnceCell::new();
    let topics = || *topics.get_or_init(|| gate_topics(text, keys));
    let names_a_document = || topics() & GATE_DOCUMENT != 0;
    // An Indian UPI payment address names its bank's app (`name@okaxis`).
    if wants(BANK_ACCOUNT) && memchr::memchr(b'@', b).is_some() {
        upi_addresses(text, out, from);
    }
    // A Reddit user (`u/kirra_surfs_bondi`) names itself.
    if wants(ONLINE_HANDLE) && memchr::memmem::find(b, b"u/").is_some() {
        reddit_users(text, out, from);
    }
    // A handle written without its `@` follows a network's name.
    if wants(ONLINE_HANDLE)
        && b.iter()
            .any(|c| matches!(c, b'_' | b'#' | b'.' | b'0'..=b'9'))
        && topics() & GATE_SOCIAL != 0
    {
        bare_handles(text, out, from);
    }
    let plates = |out: &mut Vec<Finding>| {
        if wants(VEHICLE_ID)
            && (b.iter().any(u8::is_ascii_uppercase) || b.contains(&b'-'))
            && names_a_document()
        {
            vehicle_numbers(text, out, from, &confirmed);
        }
        if wants(VEHICLE_ID) && !b.is_ascii() && names_a_document() {
            other_script_plates(text, out, from, &confirmed);
        }
    };
    if wants(GEO_COORDINATES) && b.contains(&b'+') {
        plus_codes(text, out, from);
    }
    if wants(GEO_COORDINATES) && memchr::memmem::find(b, b"///").is_some() {
        three_word_addresses(text, out, from);
    }
    if digits < 4 {
        // Only a registration plate has so few digits (one at least).
        if digits > 0 {
            plates(out);
        }
        return;
    }
    if digits >= 7 && (wants(PHONE) || wants(US_SSN) || wants(CREDIT_CARD)) {
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
                // Only with a phone word or key (below): seven or eight digits (the whole
                // national number of Iceland, the Baltics, the Nordics, Singapore, Hong Kong,
                // the Gulf states and much of Central America and the Caribbean), nine digits,
                // a national number with its trunk 0, ten digits without it (NANP, and the
                // mobiles of India, Nepal, Russia, Turkey… that are dialled without one),
                // eleven with a NANP `1`, Russia's trunk `8` or Brazil's mobile `9` after the
                // area code.
                let phone = wants(PHONE)
                    && match pn {
                        7..=9 => r[0] >= 2,
                        10..=12 if r[0] == 0 => r[1] != 0,
                        10 => nanp_ok(r) || r[0] >= 5,
                        11 => (r[0] == 1 && nanp_ok(&r[1..])) || r[0] == 8 || r[2] == 9,
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
    // Without a phone word only a layout that names itself can be one: `8 (812) 315-47-09`.
    if wants(PHONE) && digits >= 7 && (topics() & GATE_PHONE != 0 || b.contains(&b'(')) {
        grouped_phones(text, out, from, &confirmed);
        chinese_mobiles(text, out, from, &confirmed);
    }
    if wants(GEO_COORDINATES) && digits >= 6 && (b.contains(&b'.') || text.contains('°')) {
        // A bare pair of decimals is a position only next to a word of place or under a key
        // with one (`location: 52.3702, 4.8952`, `geo`, `standort`); exchange rates and
        // measurements are pairs of decimals too (and compliance.md lists bare lat/long pairs
        // among the traps no detector may report). `geo:` URIs and degrees name themselves.
        for c in COORDINATES.captures_iter(text) {
            let m = c.get(0).expect("the whole match");
            let (s, e) = (m.start(), m.end());
            if glued_before(b, s, b".-+") || glued_after(b, e, b".") || !free(out, s, e) {
                continue;
            }
            let Some(position) = geo_position(&c) else {
                continue;
            };
            let evidence = if position == Position::Named {
                Some(Evidence::Format)
            } else if context::countered(text, s) {
                None
            } else if context::before(text, s, context::Topic::Location)
                || context::after(text, e, context::Topic::Location)
            {
                Some(Evidence::Context)
            } else if keys
                .into_iter()
                .flatten()
                .any(|k| context::in_key(k, context::Topic::Location))
            {
                Some(Evidence::Key)
            } else {
                None
            };
            if let Some(evidence) = evidence {
                out.push(Finding {
                    evidence,
                    ..finding(s, e, GEO_COORDINATES)
                });
            }
        }
    }
    if (wants(PASSPORT_NUMBER) || wants(DRIVING_LICENCE)) && names_a_document() {
        // A passport, identity card or driving licence number has no checksum that all
        // countries share: any run of six to eighteen letters and digits with three digits or
        // more, next to a word that names the document (or under a key that does).
        for m in DOCUMENT_NUMBER.find_iter(b) {
            let (s, e) = (m.start(), m.end());
            let run = m.as_bytes();
            let digits = run.iter().filter(|c| c.is_ascii_digit()).count();
            let alnum = run.iter().filter(|c| c.is_ascii_alphanumeric()).count();
            // A date is not a document number (`passport expiry 2030-05-01`).
            if digits < 3
                || !(6..=18).contains(&alnum)
                || matches!(
                    date_year(&text[s..e]),
                    Some(DateYear::Year(_) | DateYear::Unknown)
                )
                || glued_before(b, s, b".-/:@")
                || glued_after(b, e, b".-/@")
                || !free(out, s, e)
            {
                continue;
            }
            // A word before the number decides first ("driver's license D123-4567-8901 and
            // passport 123456789"), then a word after it, then the key.
            let kinds = [
                (
                    PASSPORT_NUMBER,
                    context::Topic::Passport,
                    KeyClass::Passport,
                ),
                (
                    DRIVING_LICENCE,
                    context::Topic::Licence,
                    KeyClass::DrivingLicence,
                ),
            ];
            let first_kind = |by: &dyn Fn(context::Topic, KeyClass) -> bool| {
                kinds
                    .into_iter()
                    .find(|&(id, topic, class)| wants(id) && by(topic, class))
                    .map(|(id, ..)| id)
            };
            let hit = if context::countered(text, s) {
                None
            } else {
                first_kind(&|topic, _| context::before(text, s, topic))
                    .or_else(|| first_kind(&|topic, _| context::after(text, e, topic)))
                    .map(|id| (id, Evidence::Context))
                    .or_else(|| {
                        first_kind(&|topic, class| in_keys(topic, Some(class)))
                            .map(|id| (id, Evidence::Key))
                    })
            };
            if let Some((id, evidence)) = hit {
                out.push(Finding {
                    evidence,
                    ..finding(s, e, id)
                });
            }
        }
    }
    if (wants(BANK_ACCOUNT) || wants(HEALTH_ID) || wants(OTHER_NATIONAL_ID))
        && digits >= 4
        && topics() & GATE_ACCOUNT != 0
    {
        account_numbers(text, keys, wanted, out, from);
    }
    if wants(VEHICLE_ID)
        && b.len() >= 17
        && b.iter().filter(|c| c.is_ascii_uppercase()).count() >= 2
    {
        // A VIN whose check digit holds (mandatory in North America, ISO 3779 position 9)
        // stands on its own.
        for m in VIN.find_iter(b) {
            let (s, e) = (m.start(), m.end());
            if vin_check_digit_holds(m.as_bytes())
                && !glued_before(b, s, b".-/:@")
                && !glued_after(b, e, b".-/@")
                && free(out, s, e)
            {
                out.push(Finding {
                    evidence: Evidence::Checksum,
                    ..finding(s, e, VEHICLE_ID)
                });
            }
        }
    }
    plates(out);
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
            } else if context::before(text, s, context::Topic::Birth)
                || born_abbreviated(b, s)
                || born_asterisk(b, s)
            {
                Some((birth_id, Evidence::Context))
            } else if wants(PERSONAL_DATE) && context::before(text, s, context::Topic::Care) {
                Some((PERSONAL_DATE, Evidence::Context))
            } else if context::after(text, e, context::Topic::Birth) {
                Some((birth_id, Evidence::Context))
            } else if wants(PERSONAL_DATE) && context::after(text, e, context::Topic::Care) {
                Some((PERSONAL_DATE, Evidence::Context))
            } else if keys
                .into_iter()
                .flatten()
                .any(|k| crate::policy::lexicon::classify(k) == Some(KeyClass::BirthDate))
            {
                Some((birth_id, Evidence::Key))
            } else if wants(PERSONAL_DATE) && keys.into_iter().flatten().any(context::care_in_key) {
                // `aufnahmedatum`, `fecha_de_ingreso`, `data_ricovero`: a date of care.
                Some((PERSONAL_DATE, Evidence::Key))
            } else {
                None
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

/// `*` right before a date, the genealogical sign for "born" that German and Nordic notes use
/// (`Kunde ist *14.2.2001`, `* 02.11.1958`): after a space, a bracket or the start, so `2*3`
/// and `**bold**` are not it.
fn born_asterisk(b: &[u8], date_start: usize) -> bool {
    let mut i = date_start;
    if i > 0 && b[i - 1] == b' ' {
        i -= 1;
    }
    i >= 1 && b[i - 1] == b'*' && (i == 1 || matches!(b[i - 2], b' ' | b'(' | b'[' | b',' | b'\n'))
}

/// `b.` right before a date, as English notes abbreviate "born" (`Customer b. 05/01/1980`,
/// `(b. 5 Jan 1980)`, `b.1980-01-05`): the `b` stands alone (after a space, a bracket or the
/// start), so `plan b. 05/01` and `Ab. 05/01/2024` are not it.
fn born_abbreviated(b: &[u8], date_start: usize) -> bool {
    let mut i = date_start;
    while i > 0 && b[i - 1] == b' ' {
        i -= 1;
    }
    i >= 2
        && b[i - 1] == b'.'
        && matches!(b[i - 2], b'b' | b'B')
        && (i == 2 || matches!(b[i - 3], b' ' | b'(' | b'[' | b',' | b';' | b'\n'))
        && !(i >= 7 && b[i - 7..i - 2].eq_ignore_ascii_case(b"plan "))
}

/// Positions on the earth in text: a decimal latitude and longitude with at least three decimal
/// places each (about 110 m: "precise" under CCPA's 1,850-foot radius), a `geo:` URI (RFC 5870),
/// or degrees, minutes and seconds with their hemispheres. Checked by [`geo_position`].
static COORDINATES: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r#"(?x)
        (?P<uri>geo:)?
        (?P<lat>[-+]?[0-9]{1,2}\.[0-9]{3,12}) (?:\x20?[,;]\x20?|\x20) (?P<lon>[-+]?[0-9]{1,3}\.[0-9]{3,12})
      | (?i:lat(?:itude)?)\x20?[:=]?\x20?(?P<llat>[-+]?[0-9]{1,2}\.[0-9]{3,12})[,;]?\x20?
        (?i:lo?ng?(?:itude)?)\x20?[:=]?\x20?(?P<llon>[-+]?[0-9]{1,3}\.[0-9]{3,12})
      | (?P<dms>
          [0-9]{1,2}°\x20?[0-9]{1,2}['′]\x20?[0-9]{1,2}(?:\.[0-9]+)?(?:"|″|'')\x20?[NSns]
          ,?\x20?
          [0-9]{1,3}°\x20?[0-9]{1,2}['′]\x20?[0-9]{1,2}(?:\.[0-9]+)?(?:"|″|'')\x20?[EWOewo]
        )"#,
    )
    .expect("the coordinate pattern is a constant")
});

/// A match of [`COORDINATES`] that is a position: latitude within ±90, longitude within ±180,
/// not both zero, and how it says so.
fn geo_position(c: &regex::Captures<'_>) -> Option<Position> {
    if c.name("dms").is_some() {
        return Some(Position::Named);
    }
    let labelled = c.name("llat").is_some();
    let (lat, lon) = if labelled {
        (c.name("llat")?.as_str(), c.name("llon")?.as_str())
    } else {
        (c.name("lat")?.as_str(), c.name("lon")?.as_str())
    };
    let (lat, lon): (f64, f64) = (lat.parse().ok()?, lon.parse().ok()?);
    if lat.abs() > 90.0 || lon.abs() > 180.0 || (lat.abs() < 0.001 && lon.abs() < 0.001) {
        return None;
    }
    Some(if c.name("uri").is_some() || labelled {
        Position::Named
    } else {
        Position::Bare
    })
}

/// Open Location Codes ("Plus Codes") in their full form, `7HP8PM5Q+RM`: eight characters of
/// the code's alphabet (`23456789CFGHJMPQRVWX`, the first at most `C` and the second at most
/// `V`, the ranges of latitude and longitude), a `+` and two or three more — a place to about
/// 14 m, named by its layout. Short codes (`PM5Q+RM Riyadh`) need a locality and are left.
fn plus_codes(text: &str, out: &mut Vec<Finding>, from: usize) {
    static CODE: std::sync::LazyLock<regex::bytes::Regex> = std::sync::LazyLock::new(|| {
        regex::bytes::Regex::new(
            r"(?-u:\b)[2-9C][2-9CFGHJMPQRV][2-9CFGHJMPQRVWX]{6}\+[2-9CFGHJMPQRVWX]{2,3}(?-u:\b)",
        )
        .expect("the plus code pattern is a constant")
    });
    let b = text.as_bytes();
    for m in CODE.find_iter(b) {
        let (s, e) = (m.start(), m.end());
        // Mixed digits and letters, as every real code is (`CCCCCCCC+CC` is no place).
        let digits = m.as_bytes().iter().filter(|c| c.is_ascii_digit()).count();
        if digits == 0 || digits == 10 || glued_after(b, e, b"+") || !no_overlap(&out[from..], s, e)
        {
            continue;
        }
        out.push(Finding {
            evidence: Evidence::Format,
            ..finding(s, e, GEO_COORDINATES)
        });
    }
}

/// A what3words address written with its `///` (`///dance.puzzle.raft`, `///índice.regra.mala`):
/// three words of letters joined by dots, a 3 m square. Without the slashes three dotted words
/// are a domain or a file name, and are left.
fn three_word_addresses(text: &str, out: &mut Vec<Finding>, from: usize) {
    static W3W: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"///\p{L}+\.\p{L}+\.\p{L}+")
            .expect("the three-word address pattern is a constant")
    });
    for m in W3W.find_iter(text) {
        let (s, e) = (m.start(), m.end());
        // Not the slashes of a URL's path (`https://example.com///a.b.c`).
        if text[..s]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || matches!(c, '/' | ':' | '.'))
            || text[e..]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric() || c == '.')
            || !no_overlap(&out[from..], s, e)
        {
            continue;
        }
        out.push(Finding {
            evidence: Evidence::Format,
            ..finding(s, e, GEO_COORDINATES)
        });
    }
}

/// How a match of [`COORDINATES`] says it is a position.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Position {
    /// A `geo:` URI, degrees with hemispheres, `lat … lon …`: no word needed.
    Named,
    /// A bare pair: a place word or key must confirm it (exchange rates, measurements and
    /// statistics come in pairs of decimals too).
    Bare,
}

/// [`DATE_IN_TEXT`], compiled once; [`Detectors::new`] forces it, so that the first request does
/// not pay for it.
static DATES: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(DATE_IN_TEXT).expect("the date pattern is a constant")
});

/// Candidate passport, identity card and driving licence numbers: letters and digits, with
/// inner dashes (`X1234567`, `C01X00T47`, `D123-4567-8901`, `MORGA753116SM9IJ`, Florida's
/// `W189-555-97-971-1`).
static DOCUMENT_NUMBER: std::sync::LazyLock<regex::bytes::Regex> = std::sync::LazyLock::new(|| {
    regex::bytes::Regex::new(r"(?-u:\b)[A-Za-z0-9]+(?:-[A-Za-z0-9]+){0,4}(?-u:\b)")
        .expect("the document number pattern is a constant")
});

/// The evidence that confirms a weak candidate at `at..end` for a topic (a context word near
/// it or in its keys, or a key of the lexicon class), as `scan_context_confirmed` builds it.
type Confirmed<'a> = dyn Fn(usize, usize, context::Topic, Option<crate::policy::lexicon::KeyClass>) -> Option<Evidence>
    + 'a;

/// True when no finding of `found` overlaps `start..end`.
fn no_overlap(found: &[Finding], start: usize, end: usize) -> bool {
    !found.iter().any(|f| f.start < end && start < f.end)
}

/// Vehicle registration plates and VINs next to a word that names them (`vehicle_id`), in a
/// text that holds such a word ([`may_name_a_document`]): a part of [`scan_context_confirmed`]
/// that also runs on text with fewer than four digits, as plates have (`AB-123-CD`, `12-ABC-3`).
fn vehicle_numbers(text: &str, out: &mut Vec<Finding>, from: usize, confirmed: &Confirmed<'_>) {
    let b = text.as_bytes();
    // A vehicle identification number (17 characters, no I, O or Q) or a registration
    // plate in any country's layout (`M-AB 1234`, `AB-123-CD`, `7ABC123`, `1234 BCD`):
    // capital letters and digits in up to four groups, with a digit and a letter, next to
    // a word that names them (`VIN`, `Kennzeichen`, `kenteken`, `targa`...) or under such
    // a key. The plate's groups may be spaced, so the word must be near.
    let mut at = 0;
    while let Some(m) = VEHICLE_NUMBER.find_at(b, at) {
        let (s, e) = (m.start(), m.end());
        let run = m.as_bytes();
        // A rejected run is tried again from its second group: `VIN WVWZZZ1JZXW000001`
        // starts with the word that names it.
        at = run
            .iter()
            .position(|c| matches!(c, b' ' | b'-'))
            .map_or(e, |p| s + p + 1);
        let digits = run.iter().filter(|c| c.is_ascii_digit()).count();
        let letters = run.iter().filter(|c| c.is_ascii_uppercase()).count();
        // Israel's plates are digits only, in dashed groups (`481-27-903`, `12-345-67`).
        let dashed_digits = letters == 0
            && (6..=8).contains(&digits)
            && run.iter().filter(|&&c| c == b'-').count() == 2;
        if digits == 0
            || (letters == 0 && !dashed_digits)
            || !(4..=17).contains(&(digits + letters))
            || glued_before(b, s, b".-/:@")
            || glued_after(b, e, b".-/@")
            || !no_overlap(&out[from..], s, e)
        {
            continue;
        }
        if let Some(evidence) = confirmed(s, e, context::Topic::Vehicle, None) {
            out.push(Finding {
                evidence,
                ..finding(s, e, VEHICLE_ID)
            });
            at = e;
        }
    }
}

/// Registration plates written in other scripts, next to a word that names them or under such
/// a key, as [`vehicle_numbers`] finds the Latin ones:
///
/// - Cyrillic and Greek capitals (the letters these countries choose for looking like Latin
///   ones) with three or four digits: Russia's `О482КМ 197` (GOST R 50577), Ukraine's
///   `АА 1234 ВС`, Bulgaria's `СВ 1234 АК`, Greece's `ΙΚΤ-4821`;
/// - Japan's `品川 300 あ 12-34`: the office in kanji, the class number, a kana, the serial;
/// - China's `京A·12345` and `粤B 8K3L2`: the province's character, a letter, five characters;
/// - Korea's `12가 3456` and `123가 4567`: a Hangul syllable between the digit groups;
/// - Thailand's `กข 1234`: one or two Thai consonants (a digit before them in newer series)
///   and up to four digits.
fn other_script_plates(text: &str, out: &mut Vec<Finding>, from: usize, confirmed: &Confirmed<'_>) {
    for m in OTHER_SCRIPT_PLATE.find_iter(text) {
        let (s, e) = (m.start(), m.end());
        // Scripts written without spaces may touch the plate; others need a word boundary.
        use crate::policy::script::is_cjk;
        let open = |c: char| is_cjk(c) || ('\u{0E00}'..='\u{0E7F}').contains(&c);
        let glued = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() && !open(c));
        if !no_overlap(&out[from..], s, e)
            || m.as_str().is_ascii()
            || glued(text[..s].chars().next_back())
            || glued(text[e..].chars().next())
        {
            continue;
        }
        if let Some(evidence) = confirmed(s, e, context::Topic::Vehicle, None) {
            out.push(Finding {
                evidence,
                ..finding(s, e, VEHICLE_ID)
            });
        }
    }
}

/// The layouts of [`other_script_plates`].
static OTHER_SCRIPT_PLATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?x)
        (?:
            [АВЕКМНОРСТУХІ]\d{3}[АВЕКМНОРСТУХ]{2}[\ ]?\d{2,3}
          | [АВЕКМНОРСТУХІABCEHIKMOPTX]{1,2}[\ ]?\d{4}[\ ]?[АВЕКМНОРСТУХІABCEHIKMOPTX]{2}
          | [ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ]{3}[\ -]?\d{4}
          | \p{Han}{1,4}[\ ]?\d{2,3}[\ ]?\p{Hiragana}[\ ]?(?:\d{1,2}-\d{2}|[・･]{1,3}\d{1,3})
          | \p{Han}[A-Z][·・\ ]?[A-Z0-9]{5,6}
          | \d{2,3}\p{Hangul}[\ ]?\d{4}
          | \d?[ก-ฮ]{1,2}[\ ]?\d{1,4}
        )",
    )
    .expect("the plate layouts are constants")
});

/// Indian UPI virtual payment addresses (NPCI): a name, `@` and the handle of a payment app's
/// bank, which is no e-mail domain (`rashmi.srivastava92@okaxis`, `9876543210@ybl`), as
/// `bank_account` (evidence `format`).
fn upi_addresses(text: &str, out: &mut Vec<Finding>, from: usize) {
    /// The handles of the largest UPI apps and banks (NPCI's list of PSP handles).
    const HANDLES: &[&str] = &[
        "okaxis",
        "oksbi",
        "okhdfcbank",
        "okicici",
        "ybl",
        "ibl",
        "axl",
        "paytm",
        "ptyes",
        "ptaxis",
        "pthdfc",
        "ptsbi",
        "upi",
        "apl",
        "yapl",
        "rapl",
        "abfspay",
        "axisbank",
        "sbi",
        "hdfcbank",
        "icici",
        "kotak",
        "barodampay",
        "aubank",
        "idfcbank",
        "indus",
        "yesbank",
        "fbl",
        "jupiteraxis",
        "freecharge",
        "ikwik",
        "waaxis",
        "wahdfcbank",
        "wasbi",
        "waicici",
        "pnb",
        "cnrb",
        "boi",
        "unionbank",
        "federal",
        "rbl",
        "airtel",
        "jio",
        "slice",
        "naviaxis",
    ];
    let b = text.as_bytes();
    for at in memchr::memchr_iter(b'@', b) {
        let name_len = b[..at]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_'))
            .count();
        let handle_len = b[at + 1..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        let (s, e) = (at - name_len, at + 1 + handle_len);
        let handle = &text[at + 1..e];
        if name_len >= 2
            && b.get(e)
                .is_none_or(|&c| c != b'.' && c != b'@' && !c.is_ascii_alphanumeric())
            && HANDLES.iter().any(|h| h.eq_ignore_ascii_case(handle))
            && no_overlap(&out[from..], s, e)
        {
            out.push(Finding {
                evidence: Evidence::Format,
                ..finding(s, e, BANK_ACCOUNT)
            });
        }
    }
}

/// Reddit users as Reddit writes them, `u/` and three to twenty letters, digits, `_` or `-`, at
/// the start of a word or after `/` in a link (`reddit.com/u/…`, `/user/` is the long form).
fn reddit_users(text: &str, out: &mut Vec<Finding>, from: usize) {
    let b = text.as_bytes();
    for at in memchr::memmem::find_iter(b, b"u/") {
        if at > 0 && !matches!(b[at - 1], b' ' | b'\n' | b'\t' | b'(' | b'/' | b':' | b'"') {
            continue;
        }
        let name = &b[at + 2..];
        let len = name
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-'))
            .count();
        let end = at + 2 + len;
        if (3..=20).contains(&len)
            && b.get(end)
                .is_none_or(|c| !c.is_ascii_alphanumeric() && *c != b'/')
            && no_overlap(&out[from..], at, end)
        {
            out.push(Finding {
                evidence: Evidence::Format,
                ..finding(at, end, ONLINE_HANDLE)
            });
        }
    }
}

/// Handles on a social network or chat written with their `@` (`@jane.doe88`, `@kowalski_jan`,
/// `@bob`) in text that is not an e-mail address or a package name (`@babel/core`,
/// `lodash@4.17.21`): found next to a word that names a network or a user name (Instagram,
/// Telegram, DM me, Benutzername, pseudo, usuario...; evidence `context`) or under a key with
/// one (`key`); without such a word only in a user's shape — a letter first and a digit, `_`
/// or `.` inside (`@jane_doe`, `@kowalski_jan`; evidence `format`) — so `@media`, `@Override`
/// and `@bob` alone stay.
fn online_handles(text: &str, out: &mut Vec<Finding>, from: usize, confirmed: &Confirmed<'_>) {
    let b = text.as_bytes();
    for at in memchr::memchr_iter(b'@', b) {
        if at > 0 && (b[at - 1].is_ascii_alphanumeric() || b"._%+-@/".contains(&b[at - 1])) {
            continue;
        }
        let name = &b[at + 1..];
        let len = name
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.'))
            .count();
        // A trailing dot ends the sentence, not the handle.
        let len = name[..len]
            .iter()
            .rposition(|&c| c != b'.')
            .map_or(0, |p| p + 1);
        let end = at + 1 + len;
        if !(2..=30).contains(&len)
            || !name[0].is_ascii_alphabetic()
            || matches!(b.get(end), Some(b'/' | b'@' | b'-'))
            || (b.get(end) == Some(&b'.') && b.get(end + 1).is_some_and(u8::is_ascii_alphanumeric))
            || !no_overlap(&out[from..], at, end)
        {
            continue;
        }
        let handle = &name[..len];
        // `@example.com` names a site: a last label that is a common TLD.
        let domain = handle.iter().rposition(|&c| c == b'.').is_some_and(|dot| {
            let tld = &handle[dot + 1..];
            email::SPELLED_TLDS
                .iter()
                .any(|t| t.as_bytes().eq_ignore_ascii_case(tld))
        });
        // `follow us @acme_shop`, `folgt uns`, `suivez-nous`, `volg ons`, `síguenos`,
        // `seguici`: a company's own account, not a person's.
        let before = text[..at].trim_end_matches([' ', ':']);
        let word = before
            .rsplit(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("");
        let ours = [
            "us",
            "uns",
            "nous",
            "ons",
            "nos",
            "ci",
            "nas",
            "oss",
            "síguenos",
            "seguici",
        ]
        .iter()
        .any(|w| w.eq_ignore_ascii_case(word));
        if domain || ours {
            continue;
        }
        let user_shape = handle
            .iter()
            .any(|c| c.is_ascii_digit() || matches!(c, b'_' | b'.'))
            && handle.iter().filter(|c| c.is_ascii_alphabetic()).count() >= 2;
        let evidence = confirmed(at, end, context::Topic::Social, None)
            .or_else(|| (user_shape && !context::countered(text, at)).then_some(Evidence::Format));
        if let Some(evidence) = evidence {
            out.push(Finding {
                evidence,
                ..finding(at, end, ONLINE_HANDLE)
            });
        }
    }
}

/// `my twitch is fairweather_immy`, `Benutzername: juergen.brz1971`, `pseudo discord:
/// nadiab#4821`: a handle written without its `@`, right after a word that names a network or
/// a user name ([`context::SOCIAL`]) — the word itself, or the word and a copula (`is`, `ist`,
/// `est`, `è`, `es`, `é`, `är`, `jest`) — in a user's shape: a letter first, two letters at
/// least, and a digit, `_`, `.` or `#` inside (`my instagram is great` stays).
fn bare_handles(text: &str, out: &mut Vec<Finding>, from: usize) {
    const COPULAS: &[&str] = &[
        "is", "ist", "est", "è", "e", "es", "é", "är", "er", "on", "jest", "je", "=",
    ];
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // The next word: a run of non-space bytes.
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        // Trailing punctuation ends the sentence, not the handle.
        let mut end = i;
        while end > start && matches!(b[end - 1], b'.' | b',' | b'!' | b'?' | b')' | b';') {
            end -= 1;
        }
        // In text without spaces the handle starts after the last character of its script
        // (`微信号：xiaowen_0723`); a Reddit user keeps its `u/`.
        let mut start = b[start..end]
            .iter()
            .rposition(|&c| c >= 0x80)
            .map_or(start, |p| start + p + 1);
        while start < end && matches!(b[start], b':' | b'=' | b'(' | b'"' | b'\'') {
            start += 1;
        }
        let word = &b[start..end];
        let word = word.strip_prefix(b"u/").unwrap_or(word);
        if !(3..=32).contains(&word.len())
            || !word[0].is_ascii_alphabetic()
            || !word
                .iter()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'#' | b'-'))
            || !word
                .iter()
                .any(|c| matches!(c, b'_' | b'.' | b'#' | b'0'..=b'9'))
            || word.iter().filter(|c| c.is_ascii_alphabetic()).count() < 2
            || !no_overlap(&out[from..], start, end)
        {
            continue;
        }
        // The one or two words before it, without `:`.
        let before = text[..start].trim_end_matches([' ', ':', '=', '：']);
        let last = before
            .rsplit(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("");
        let lead = if COPULAS.iter().any(|c| c.eq_ignore_ascii_case(last)) {
            before[..before.len() - last.len()].trim_end_matches([' ', ':'])
        } else {
            before
        };
        let w0 = lead
            .char_indices()
            .rev()
            .filter(|(_, c)| c.is_whitespace())
            .nth(1)
            .map_or(0, |(k, c)| k + c.len_utf8());
        if lead.is_empty() || !context::before(&lead[w0..], lead.len() - w0, context::Topic::Social)
        {
            continue;
        }
        out.push(Finding {
            evidence: Evidence::Context,
            ..finding(start, end, ONLINE_HANDLE)
        });
    }
}

/// Seventeen characters of a VIN (no I, O or Q), at least two letters and two digits.
static VIN: std::sync::LazyLock<regex::bytes::Regex> = std::sync::LazyLock::new(|| {
    regex::bytes::Regex::new(r"(?-u:\b)[A-HJ-NPR-Z0-9]{17}(?-u:\b)")
        .expect("the VIN pattern is a constant")
});

/// The check digit of a 17-character VIN (49 CFR 565.15, ISO 3779): letters transliterated
/// (A–H = 1–8, J–N = 1–5, P = 7, R = 9, S–Z = 2–9), weights 8 7 6 5 4 3 2 10 0 9 8 7 6 5 4 3 2,
/// the sum mod 11 (10 written `X`) in position 9. Needs two letters and two digits, so a run
/// of digits is not a VIN.
fn vin_check_digit_holds(v: &[u8]) -> bool {
    const WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
    let value = |c: u8| -> Option<u32> {
        Some(u32::from(match c {
            b'0'..=b'9' => c - b'0',
            b'A'..=b'H' => c - b'A' + 1,
            b'J'..=b'N' => c - b'J' + 1,
            b'P' => 7,
            b'R' => 9,
            b'S'..=b'Z' => c - b'S' + 2,
            _ => return None,
        }))
    };
    let letters = v.iter().filter(|c| c.is_ascii_uppercase()).count();
    if v.len() != 17 || letters < 2 || v.len() - letters < 2 {
        return false;
    }
    let mut sum = 0;
    for (&c, w) in v.iter().zip(WEIGHTS) {
        let Some(x) = value(c) else { return false };
        sum += x * w;
    }
    let check = match sum % 11 {
        10 => b'X',
        r => b'0' + r as u8,
    };
    v[8] == check
}

/// Candidate vehicle numbers: capital letters and digits in up to four groups joined by one
/// space or dash (`1HGCM82633A004352`, `M-AB 1234`, `AB-123-CD`, `WX 12345`).
static VEHICLE_NUMBER: std::sync::LazyLock<regex::bytes::Regex> = std::sync::LazyLock::new(|| {
    regex::bytes::Regex::new(r"(?-u:\b)[A-Z0-9]+(?:[- ][A-Z0-9]+){0,3}(?-u:\b)")
        .expect("the vehicle number pattern is a constant")
});

/// Phone numbers in the national layouts that no strong form covers, next to a phone word or
/// under a phone key: an area code in parentheses without a trunk 0 (`(11) 98274-3361`,
/// `(81) 8347 2615`), groups without a trunk 0 (`22 628 41 73`, `924 18 377`), a slash with
/// spaces around it and an extension (`0221 / 48 73 96-12`), Iceland's `809 6188`. Seven to
/// thirteen digits in two groups or more; dates and amounts are not phone numbers. Russia's
/// `8 (812) 315-47-09` needs no word ([`cis_layout`]).
fn grouped_phones(text: &str, out: &mut Vec<Finding>, from: usize, confirmed: &Confirmed<'_>) {
    let b = text.as_bytes();
    for m in GROUPED_PHONE.find_iter(b) {
        let (s, e) = (m.start(), m.end());
        let run = m.as_bytes();
        let digits = run.iter().filter(|c| c.is_ascii_digit()).count();
        let groups = run
            .split(|c| !c.is_ascii_digit())
            .filter(|g| !g.is_empty())
            .count();
        if !(7..=13).contains(&digits)
            || groups < 2
            || glued_before(b, s, b".-/:,")
            || glued_after(b, e, b".-/:,")
            || b.get(e).is_some_and(u8::is_ascii_alphanumeric)
            || looks_like_amount(b, s, e)
            || DATES.find(&text[s..e]).is_some_and(|d| d.start() == 0)
            || !no_overlap(&out[from..], s, e)
        {
            continue;
        }
        if cis_layout(run) {
            out.push(Finding {
                evidence: Evidence::Format,
                ..finding(s, e, PHONE)
            });
        } else {
            phone_if_confirmed(out, s, e, confirmed);
        }
    }
}

/// The layout of Russia, Kazakhstan and their neighbours, `8 (812) 315-47-09` or
/// `+7 (812) 315-47-09` without the `+`: a trunk `8` (or country code `7`), an area code of
/// three to five digits in parentheses, and the number in a group of one to three digits and
/// two of two, joined by dashes, ten digits after the trunk. Nothing else is written so.
fn cis_layout(run: &[u8]) -> bool {
    static CIS: std::sync::LazyLock<regex::bytes::Regex> = std::sync::LazyLock::new(|| {
        regex::bytes::Regex::new(r"^[78]\x20?\([0-9]{3,5}\)\x20?[0-9]{1,3}-[0-9]{2}-[0-9]{2}$")
            .expect("the layout is a constant")
    });
    CIS.is_match(run) && run.iter().filter(|c| c.is_ascii_digit()).count() == 11
}

/// A phone number at `s..e` when a phone word near it or a phone key confirms it.
fn phone_if_confirmed(out: &mut Vec<Finding>, s: usize, e: usize, confirmed: &Confirmed<'_>) {
    use crate::policy::lexicon::KeyClass;
    if let Some(evidence) = confirmed(s, e, context::Topic::Phone, Some(KeyClass::Phone)) {
        out.push(Finding {
            evidence,
            ..finding(s, e, PHONE)
        });
    }
}

/// Chinese mobile numbers written bare, as they are dialled at home (`13800138000`: 1, a
/// second digit 3–9, nine more; no trunk 0), next to a phone word or under a phone key. The
/// grouped forms (`138 0013 8000`) are [`grouped_phones`].
fn chinese_mobiles(text: &str, out: &mut Vec<Finding>, from: usize, confirmed: &Confirmed<'_>) {
    static MOBILE: std::sync::LazyLock<regex::bytes::Regex> = std::sync::LazyLock::new(|| {
        regex::bytes::Regex::new(r"(?-u:\b)1[3-9][0-9]{9}(?-u:\b)")
            .expect("the mobile pattern is a constant")
    });
    let b = text.as_bytes();
    for m in MOBILE.find_iter(b) {
        let (s, e) = (m.start(), m.end());
        if glued_before(b, s, b".-/:,")
            || glued_after(b, e, b".-/:,")
            || !no_overlap(&out[from..], s, e)
        {
            continue;
        }
        phone_if_confirmed(out, s, e, confirmed);
    }
}

/// Digit groups of a national phone layout: an optional area code in parentheses, then groups
/// joined by one space, dash, dot or slash (or a slash with spaces around it).
static GROUPED_PHONE: std::sync::LazyLock<regex::bytes::Regex> = std::sync::LazyLock::new(|| {
    regex::bytes::Regex::new(
        r"(?:(?:(?-u:\b)[78]\x20?)?\([0-9]{1,5}\)\x20?|(?-u:\b))[0-9]{1,5}(?:(?:\x20/\x20|[\x20./-])[0-9]{1,5}){1,6}(?-u:\b)",
    )
    .expect("the grouped phone pattern is a constant")
});

/// Account and record numbers: bank accounts (with their sort, routing and branch codes) and
/// health identifiers (medical record, patient, insured-member and health card numbers). None
/// has a checksum that every issuer shares, so a run of digits (for `health_id` also letters)
/// is one only next to a word that names it — a word of [`context::BANK`] or
/// [`context::HEALTH`] before it — or under a key that does (a key of the `bank_account` class,
/// or a key holding one of those words). Dates and amounts of money are not account numbers.
fn account_numbers(
    text: &str,
    keys: [Option<&str>; 2],
    wanted: DetectorMask,
    out: &mut Vec<Finding>,
    from: usize,
) {
    use crate::policy::lexicon::{KeyClass, classify};
    let b = text.as_bytes();
    let wants = |id: u16| wanted.0 & (1u128 << id) != 0;
    for m in ACCOUNT_NUMBER.find_iter(b) {
        let (s, e) = (m.start(), m.end());
        let run = m.as_bytes();
        let digits = run.iter().filter(|c| c.is_ascii_digit()).count();
        let letters = run.iter().filter(|c| c.is_ascii_alphabetic()).count();
        if !(4..=34).contains(&digits)
            || glued_before(b, s, b".-/:@#")
            || glued_after(b, e, b"-/@")
            || b.get(e).is_some_and(|&c| c == b'.' || c == b',')
                && b.get(e + 1).is_some_and(u8::is_ascii_digit)
            || matches!(
                date_year(&text[s..e]),
                Some(DateYear::Year(_) | DateYear::Unknown)
            )
            || money_next_to(text, s, e)
        {
            continue;
        }
        // A phone number read inside the run (`cuenta 0049 1500 05 1234567892`: "0049…" looks
        // international) gives way to the whole run when a word names the account.
        let inside = |f: &Finding| f.start < e && s < f.end;
        if !out[from..]
            .iter()
            .filter(|f| inside(f))
            .all(|f| f.detector.0 == PHONE && f.start >= s && f.end <= e)
        {
            continue;
        }
        // A bank account is digits only, six at least; a health identifier may hold letters
        // (`XZH884213057`, `T482917366`) but is mostly digits.
        // An identity or tax number: six digits or more, or four with letters (`ABKPL4821M`,
        // `OEVM910522MJCRLR09`).
        let kinds = [
            (
                OTHER_NATIONAL_ID,
                context::Topic::IdNumber,
                None,
                digits + letters <= 24
                    && letters <= 12
                    && (digits >= 6 || (digits >= 4 && letters > 0 && digits + letters >= 8)),
            ),
            (
                HEALTH_ID,
                context::Topic::Health,
                None,
                // New Zealand's NHI is three letters and four digits (`TGW4849`).
                (digits >= 5 || (digits >= 4 && letters >= 2 && digits + letters >= 7))
                    && digits + letters <= 24
                    && letters <= 6,
            ),
            (
                BANK_ACCOUNT,
                context::Topic::Bank,
                Some(KeyClass::BankAccount),
                letters == 0 && digits >= 6,
            ),
        ];
        let found = |by: &dyn Fn(context::Topic, Option<KeyClass>) -> bool| {
            kinds
                .into_iter()
                .find(|&(id, topic, class, shaped)| shaped && wants(id) && by(topic, class))
                .map(|(id, ..)| id)
        };
        if context::countered_ignoring(text, s, &["account", "id", "identity", "member"]) {
            continue;
        }
        // A number named as an identifier privgate can check, and written in that
        // identifier's form, is left to its checksum (`Mi DNI es 89018419Y` with a wrong letter
        // is not an identity number); in another form the word is a generic one (`ID card
        // 8823411`, `身分證字號 A123456789`, Taiwan's).
        // The form may go on past the run: `A123456(3)`, with its check character in
        // parentheses.
        let checkable = || {
            crate::policy::national_id::NationalId::ALL
                .into_iter()
                .zip(&NATIONAL_CANDIDATES.1)
                .any(|(nid, re)| {
                    context_before(text, s, nid.context_words())
                        && re.find(&text[s..]).is_some_and(|m| {
                            m.start() == 0
                                && (m.end() == e - s
                                    || (m.end() > e - s
                                        && text[s + m.end() - 1..].starts_with(')')))
                        })
                })
        };
        let hit = found(&|topic, _| {
            context::before(text, s, topic) && (topic != context::Topic::IdNumber || !checkable())
        })
        .map(|id| (id, Evidence::Context))
        .or_else(|| {
            // Identity numbers under a key are the `national_id` key class's (and the
            // checksummed detectors' key globs); the words find them in text only.
            found(&|topic, class| {
                topic != context::Topic::IdNumber
                    && keys.into_iter().flatten().any(|k| {
                        context::in_key(k, topic) || class.is_some_and(|c| classify(k) == Some(c))
                    })
            })
            .map(|id| (id, Evidence::Key))
        });
        if let Some((id, evidence)) = hit {
            let mut k = from;
            while k < out.len() {
                if inside(&out[k]) {
                    out.remove(k);
                } else {
                    k += 1;
                }
            }
            out.push(Finding {
                evidence,
                ..finding(s, e, id)
            });
        }
    }
}

/// A run of digits (and for health identifiers up to four letters), in groups joined by
/// `-`, `.` or `/` (`1503.29.47163`, `19-2000145399/0800`, `1EG4-TE5-MK73`) or digit groups
/// joined by single spaces (`54 1140 2004 0000 3202 8473 1056`, `2953 41822 1`).
static ACCOUNT_NUMBER: std::sync::LazyLock<regex::bytes::Regex> = std::sync::LazyLock::new(|| {
    regex::bytes::Regex::new(
        r"(?-u:\b)[A-Za-z]{0,6}[0-9][0-9A-Za-z]*(?:[-./][0-9A-Za-z]+|\x20[0-9]+){0,8}(?-u:\b)",
    )
    .expect("the account number pattern is a constant")
});

/// Whether a currency sign or code stands right before or after `s..e`: an amount
/// (`Konto 1.250 EUR`, `€ 125000`), not an account number.
fn money_next_to(text: &str, s: usize, e: usize) -> bool {
    const SIGNS: [char; 7] = ['$', '€', '£', '¥', '₹', '₺', '₽'];
    const CODES: [&str; 24] = [
        "eur", "usd", "gbp", "chf", "pln", "zł", "zl", "kr", "sek", "nok", "dkk", "huf", "ft",
        "czk", "kč", "ron", "lei", "try", "tl", "mxn", "brl", "aud", "cad", "inr",
    ];
    let before = text[..s].trim_end();
    if before.ends_with(SIGNS) || before.ends_with("R$") {
        return true;
    }
    let after = text[e..].trim_start();
    if after.starts_with(SIGNS) {
        return true;
    }
    let word: String = after
        .chars()
        .take_while(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    CODES.contains(&word.as_str())
}

/// The context gate of the passes that need a word before their candidates: the words of
/// [`context::PHONE`] (bit 0), [`context::BANK`], [`context::HEALTH`] and
/// [`context::ID_NUMBER`] (bits 1 to 3), [`context::PASSPORT`], [`context::LICENCE`] and
/// [`context::VEHICLE`] (bits 4 to 6) and [`context::SOCIAL`] (bit 7), looked for in one pass
/// ([`context::Gate`]).
static GATE: std::sync::LazyLock<context::Gate> = std::sync::LazyLock::new(|| {
    context::Gate::new(&[
        context::Topic::Phone,
        context::Topic::Bank,
        context::Topic::Health,
        context::Topic::IdNumber,
        context::Topic::Passport,
        context::Topic::Licence,
        context::Topic::Vehicle,
        context::Topic::Social,
    ])
});
const GATE_PHONE: u32 = 1;
const GATE_BANK: u32 = 0b10;
const GATE_ACCOUNT: u32 = 0b1110;
const GATE_SOCIAL: u32 = 0b1000_0000;
const GATE_PASSPORT: u32 = 0b1_0000;
const GATE_LICENCE: u32 = 0b10_0000;
const GATE_DOCUMENT: u32 = 0b111_0000;

/// Which of the gate's topics `text` names as a whole word or its keys hold (a key of the
/// `phone` or `bank_account` class counts for its topic).
fn gate_topics(text: &str, keys: [Option<&str>; 2]) -> u32 {
    use crate::policy::lexicon::{KeyClass, classify};
    /// The memo's owner for these answers (any constant no detector set uses: sets count up
    /// from 1).
    const OWNER: u64 = u64::MAX - 1;
    let mut topics = GATE.text(text);
    for k in keys.into_iter().flatten() {
        // Keys repeat from event to event: their answer is remembered per thread.
        let answer = memo::remember(OWNER, memo::Question::GateTopics, 0, k.as_bytes(), || {
            let class = match classify(k) {
                Some(KeyClass::Phone) => GATE_PHONE,
                Some(KeyClass::BankAccount) => GATE_BANK,
                Some(KeyClass::Passport) => GATE_PASSPORT,
                Some(KeyClass::DrivingLicence) => GATE_LICENCE,
                _ => 0,
            };
            u128::from(GATE.key(k) | class)
        });
        topics |= answer as u32;
    }
    topics
}

/// Whether `text` or its keys can hold a word that names an account, a health or an identity
/// number (see [`gate_topics`]).
#[cfg(test)]
fn may_name_an_account(text: &str, keys: [Option<&str>; 2]) -> bool {
    gate_topics(text, keys) & GATE_ACCOUNT != 0
}

/// Whether `text` or its keys can hold a phone word (see [`gate_topics`]).
#[cfg(test)]
fn may_name_a_phone(text: &str, keys: [Option<&str>; 2]) -> bool {
    gate_topics(text, keys) & GATE_PHONE != 0
}

/// Whether `text` or its keys can hold a word that names an identity document or a vehicle
/// (see [`gate_topics`]).
#[cfg(test)]
fn may_name_a_document(text: &str, keys: [Option<&str>; 2]) -> bool {
    gate_topics(text, keys) & GATE_DOCUMENT != 0
}

/// Dates as people write them in text: ISO, year-first with `/` or `.` (Hungarian `1990.10.03.`,
/// `1988. május 21.`), `14. 3. 1986`, `11-Jan-1959`, numeric day/month/year in either order with `.`,
/// `/` or `-`, and with a month name of the date grammar's languages, in their scripts
/// (`8 марта 1971`, `8 Μαρτίου 1971`, `8 मार्च 1971`, Lithuanian `1971 m. kovo 8 d.`; checked by
/// [`date_year`] after the match).
const DATE_IN_TEXT: &str = r"(?x)
    (?-u:\b)(?:
        [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}
      | [0-9]{4}/[0-9]{1,2}/[0-9]{1,2}
      | [0-9]{4}\.[0-9]{1,2}\.[0-9]{1,2}
      | [0-9]{4}\.\x20[A-Za-z\x{C0}-\x{24F}]{3,12}\x20[0-9]{1,2}
      | [0-9]{1,2}\.\x20[0-9]{1,2}\.\x20[0-9]{4}
      | [0-9]{1,2}-[A-Za-z]{3,9}-(?:[0-9]{4}|[0-9]{2})
      | [0-9]{1,2}[./-][0-9]{1,2}[./-](?:[0-9]{4}|[0-9]{2})
      | [0-9]{1,2}(?:st|nd|rd|th|er|e|º|ª|\.)?\x20(?:de\x20|of\x20)?[A-Za-z\x{C0}-\x{24F}\x{370}-\x{3FF}\x{400}-\x{4FF}\x{530}-\x{58F}\x{5D0}-\x{5EA}\x{600}-\x{6FF}\x{900}-\x{BFF}\x{E00}-\x{E7F}\x{10A0}-\x{10FF}]{3,14}\.?,?\x20(?:de\x20)?[0-9]{4}
      | [A-Za-z\x{C0}-\x{24F}]{3,10}\.?\x20[0-9]{1,2}(?:st|nd|rd|th)?,?\x20[0-9]{4}
    )(?-u:\b)
    # Lithuanian: 1971 m. kovo 8 d.
    | (?-u:\b)[0-9]{4}\x20m\.\x20[a-zA-Z\x{C0}-\x{24F}]{3,12}\x20[0-9]{1,2}\x20d\.
    # Chinese, Japanese and Korean: 1985年3月12日, 1985년 3월 12일.
    | (?-u:\b)[0-9]{4}\x20?(?:年|년)\x20?[0-9]{1,2}\x20?(?:月|월)\x20?[0-9]{1,2}\x20?(?:日|일|号|號)";

/// The national identifiers' candidate patterns, together and one by one (in
/// `NationalId::ALL` order).
static NATIONAL_CANDIDATES: std::sync::LazyLock<(regex::RegexSet, Vec<regex::Regex>)> =
    std::sync::LazyLock::new(|| {
        let patterns: Vec<&str> = crate::policy::national_id::NationalId::ALL
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

/// National identifiers, names and postal addresses: each has its own scanner (candidate
/// patterns and checksums, gazetteers and evidence scores), run only when a rule asks for them.
fn scan_evidence(text: &str, key: Option<&str>, wanted: DetectorMask, out: &mut Vec<Finding>) {
    use crate::policy::national_id::{self, NationalId, Strength};
    let national = wanted.0 & (((1u128 << NATIONAL_COUNT) - 1) << NATIONAL_FIRST);
    if national != 0 && text.bytes().any(|b| b.is_ascii_digit()) {
        let (set, each) = &*NATIONAL_CANDIDATES;
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
        let mut matched = [false; NATIONAL_COUNT];
        set.matches_read_at(&mut matched, text, 0);
        for i in (0..NATIONAL_COUNT).filter(|&i| matched[i]) {
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

/// A key that is nothing but an identity number whose check digit holds (`{"87010112806":
/// "verified"}`): the weak identifiers — bare digit runs that order and invoice numbers can
/// look like in text — are found here without a word beside them. A field's name is not a
/// number; one that passes a national scheme's layout, dates and check digit names a person.
fn national_id_as_key(key: &str, wanted: DetectorMask, out: &mut Vec<Finding>) {
    use crate::policy::national_id::{self, NationalId};
    let national = wanted.0 & (((1u128 << NATIONAL_COUNT) - 1) << NATIONAL_FIRST);
    if national == 0 || !(8..=20).contains(&key.len()) || !key.bytes().all(|b| b.is_ascii_digit()) {
        return;
    }
    // Keys that read as a Unix time (seconds or milliseconds, 2001 to 2036) are times: a
    // thirteen-digit millisecond time passes the Romanian CNP's layout one time in ten.
    let n: u64 = key.parse().unwrap_or(0);
    if (1_000_000_000..2_100_000_000).contains(&n) && key.len() == 10
        || (1_000_000_000_000..2_100_000_000_000).contains(&n) && key.len() == 13
    {
        return;
    }
    let (set, each) = &*NATIONAL_CANDIDATES;
    let mut matched = [false; NATIONAL_COUNT];
    set.matches_read_at(&mut matched, key, 0);
    for i in (0..NATIONAL_COUNT).filter(|&i| matched[i]) {
        let id = NATIONAL_FIRST + i as u16;
        if national & (1u128 << id) == 0 {
            continue;
        }
        let whole = each[i]
            .find(key)
            .is_some_and(|m| m.start() == 0 && m.end() == key.len());
        if whole && national_id::validate(NationalId::ALL[i], key).is_some() {
            out.push(Finding {
                evidence: Evidence::Checksum,
                ..finding(0, key.len(), id)
            });
            return;
        }
    }
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
    // Each detector's own pre-filter decides whether `text` can hold one of its findings.
    if names || addresses {
        use crate::policy::lexicon::KeyClass;
        use crate::policy::person_name::{self, KeyHint, Tok};
        use crate::policy::postal_address;
        thread_local! {
            // Reused buffers: scanning allocates nothing when nothing is found.
            static BUFFERS: std::cell::RefCell<(Vec<Tok>, Vec<person_name::Finding>)> =
                const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
        }
        /// The names one of the name finders finds in `text`, through the thread's buffer, as
        /// `person_name` findings.
        fn names_by(
            find: fn(&str, &mut Vec<person_name::Finding>),
            text: &str,
            out: &mut Vec<Finding>,
        ) {
            BUFFERS.with(|b| {
                let (_, found) = &mut *b.borrow_mut();
                found.clear();
                find(text, found);
                out.extend(found.iter().map(|f| lexicon_finding(f, PERSON_NAME)));
            });
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
        // Keys naming a person: what they hold, when it is a name shape, is that person's name.
        const PERSON_KEYS: &[&str] = &[
            "customer",
            "assignee",
            "signed_by",
            "user",
            "username",
            "patient",
            "buyer",
            "recipient",
            "contact",
            "sender",
            "owner",
            "author",
            "member",
            "client",
            "guest",
            "passenger",
            "employee",
            "student",
        ];
        let class = key.and_then(crate::policy::lexicon::classify);
        let is =
            |list: &[&str]| key.is_some_and(|k| list.iter().any(|g| g.eq_ignore_ascii_case(k)));
        // Under a key that names a person's name field in any of the lexicon's languages
        // (`vorname`, `achternaam`, `prénom`, `customer_name`), the value is a name whatever it
        // looks like — an unknown, lowercase or foreign name too: fail closed. The generic
        // words (`name`, `nom`, `naam`, `account_name`…, which also name products and plans)
        // leave the decision to the detector's evidence.
        if names
            && class == Some(KeyClass::PersonName)
            && key.is_some_and(crate::policy::lexicon::names_a_person)
        {
            let start = text.len() - text.trim_start().len();
            let end = text.trim_end().len();
            if text[start..end].chars().any(char::is_alphabetic) {
                out.push(Finding {
                    evidence: Evidence::Key,
                    ..finding(start, end, PERSON_NAME)
                });
                return;
            }
        }
        // Under a key for a person (`customer`, `patient`, `recipient`), a value that is only
        // a name's words is that person's name, in capitals or in an order the detector's
        // evidence would not trust in running text (`TAKAHASHI Yuki`, `DE ROSA ANTONELLA`).
        if names
            && is(PERSON_KEYS)
            && let Some((start, end)) = person_name::whole_name_value(text)
        {
            out.push(Finding {
                evidence: Evidence::Key,
                ..finding(start, end, PERSON_NAME)
            });
            return;
        }
        // Under a key of the name class in the value's own script (`الاسم`, `নাম`, `ΟΝΟΜΑ`),
        // a value of that script's words only: the name field of an app in that language.
        if names
            && class == Some(KeyClass::PersonName)
            && let Some(k) = key
            && let Some((start, end)) = person_name::scripts::name_in_key_script(text, k)
        {
            out.push(Finding {
                evidence: Evidence::Key,
                ..finding(start, end, PERSON_NAME)
            });
            return;
        }
        // A URL or a path (only these can hold a name in a path segment), without spaces.
        if names && (text.starts_with('/') || text.starts_with("http")) && !text.contains(' ') {
            names_by(person_name::url_path_names, text, out);
        }
        // The writer introducing themselves after a greeting, in any script (`Hola, soy
        // Federico Pereira, …`, `Сәлем, мен Сейітқали Нұрлан, …`): one look at the first word.
        if names {
            names_by(person_name::speaker::find, text, out);
            // A relative the writer names (`My daughter Liezl`, `Mi hija Valeria`).
            names_by(person_name::kin::find, text, out);
        }
        // Names in scripts without capitals (Han, Hangul, Arabic…) have their own finder.
        let other = names && person_name::scripts::may_hold(text);
        let names = names && (person_name::may_hold(text) || person_name::may_hold_lowercase(text));
        let addresses =
            addresses && (postal_address::may_hold(text) || postal_address::may_hold_uncased(text));
        if !(names || addresses || other) {
            return;
        }
        let generic = is(GENERIC);
        let thing = names && !generic && key.is_some_and(crate::policy::lexicon::names_a_thing);
        let hint = |own: KeyClass| {
            if class == Some(own) {
                KeyHint::Class
            } else if generic {
                KeyHint::Generic
            } else if thing && own == KeyClass::PersonName {
                KeyHint::Thing
            } else {
                KeyHint::None
            }
        };
        BUFFERS.with(|b| {
            let (toks, found) = &mut *b.borrow_mut();
            // One tokenizing pass for both.
            person_name::tokens(text, toks);
            if names {
                person_name::find_in_tokens(text, hint(KeyClass::PersonName), toks, found);
                out.extend(found.iter().map(|f| lexicon_finding(f, PERSON_NAME)));
            }
            if other {
                // A value that is only a name shape counts under a key for a person. A key of
                // the name class that does not name a person (`name`, `nom`,
                // `display_name`: a product's too) gets the stricter Han and Hangul shapes only.
                let whole = if is(PERSON_KEYS) {
                    person_name::scripts::Key::Person
                } else if class == Some(KeyClass::PersonName) {
                    person_name::scripts::Key::Name
                } else {
                    person_name::scripts::Key::Other
                };
                found.clear();
                person_name::scripts::find(text, whole, found);
                out.extend(found.iter().map(|f| lexicon_finding(f, PERSON_NAME)));
            }
            if addresses {
                postal_address::find_in_tokens(text, hint(KeyClass::PostalAddress), toks, found);
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
    // Chinese, Japanese and Korean words are not separated by spaces: a word of theirs needs no
    // boundary on its CJK side (`身份证号码：` holds `身份证号`).
    use crate::policy::script::is_cjk;
    words.iter().any(|w| {
        let w = w.to_lowercase();
        let open_start = w.chars().next().is_some_and(is_cjk);
        let open_end = w.chars().next_back().is_some_and(is_cjk);
        window.match_indices(&w).any(|(i, _)| {
            let before = window[..i].chars().next_back();
            let after = window[i + w.len()..].chars().next();
            (open_start || !before.is_some_and(char::is_alphanumeric))
                && (open_end || !after.is_some_and(char::is_alphanumeric))
        })
    })
}

fn finding(start: usize, end: usize, detector: u16) -> Finding {
    let evidence = builtins::BUILTINS
        .get(usize::from(detector))
        .map_or(Evidence::Pattern, |b| b.evidence);
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

    #[test]
    fn evidence_all_is_in_declaration_order() {
        for (i, e) in Evidence::ALL.iter().enumerate() {
            assert_eq!(*e as usize, i, "{e:?}");
        }
    }

    #[test]
    fn finding_in_key_is_the_scans_first_finding_asked_twice() {
        let d = dets();
        let every = all(&d);
        let mut email = DetectorMask::default();
        email.insert(d.id("email").expect("email"));
        let keys = [
            "jane.doe@example.com",
            "order_id",
            "+44 20 7946 0958",
            "4111 1111 1111 1111",
            "Marijke de Vries",
            "x",
            "",
        ];
        for wanted in [every, email] {
            // The second round is answered by the memo: it must say the same.
            for round in 0..2 {
                for key in keys {
                    let mut out = Vec::new();
                    d.scan(key, None, wanted, &mut out);
                    let expected = out.first().map(|f| (f.detector, f.evidence));
                    assert_eq!(
                        d.finding_in_key(key, wanted),
                        expected,
                        "{key} (round {round})"
                    );
                }
            }
        }
        assert!(d.finding_in_key("jane.doe@example.com", email).is_some());
        assert_eq!(d.finding_in_key("order_id", every), None);
        // Another detector set never sees this one's answers.
        let other = Detectors::new(vec![CustomDetector {
            name: "order".into(),
            pattern: Some("order_id".into()),
            keys: vec![],
            context: vec![],
            words: vec![],
        }])
        .expect("valid");
        let mut order = DetectorMask::default();
        order.insert(other.id("order").expect("custom id"));
        assert!(other.finding_in_key("order_id", order).is_some());
    }

    #[test]
    fn a_key_that_is_an_identity_number_is_found_without_a_word() {
        let d = dets();
        let every = all(&d);
        let name = |k: &str| {
            d.finding_in_key(k, every)
                .map(|(id, e)| (d.name(id).to_string(), e))
        };
        // Weak in text (bare digits): as a whole key, their check digits are enough.
        for (key, detector) in [
            ("87010112806", "pl_pesel"),
            ("110105199605244678", "cn_ric"),
        ] {
            assert_eq!(
                name(key),
                Some((detector.to_owned(), Evidence::Checksum)),
                "{key}"
            );
        }
        // A wrong check digit, a date, Unix times, a number with other characters.
        for key in [
            "87010112807",
            "110105199605244679",
            "20240101",
            "1690713333911",
            "1690713333",
            "87010112806a",
        ] {
            assert_eq!(name(key), None, "{key}");
        }
    }

    #[test]
    fn a_key_s_words_are_read_apart_at_its_underscores() {
        let d = dets();
        let every = all(&d);
        let name = |k: &str| {
            d.finding_in_key(k, every)
                .map(|(id, _)| d.name(id).to_string())
        };
        // An identifier glued to the key's words: the words confirm it.
        for (key, detector) in [
            ("phone_+4915123456789", "phone"),
            ("sms_optin_+19513747219", "phone"),
            ("medicare_2123456701", "health_id"),
        ] {
            assert_eq!(name(key).as_deref(), Some(detector), "{key}");
        }
        for key in ["cf_RSSMRA85T10A562S", "rrn_9407152084720"] {
            assert!(name(key).is_some(), "{key}");
        }
        // Ordinary field names, and numbers no word confirms.
        for key in [
            "order_2024_11",
            "utm_source",
            "item_4006381333931",
            "sku_100234",
            "phone_verified",
            "first_purchase_at",
            "1690713333911",
        ] {
            assert_eq!(name(key), None, "{key}");
        }
    }

    #[test]
    fn the_writer_introducing_themselves_is_a_name_in_any_value() {
        let d = dets();
        for (text, name) in [
            (
                "Hola, soy Federico Pereira, no llegó el envío",
                "Federico Pereira",
            ),
            (
                "Sveiki, čia Austėja Vasiliauskaitė, siuntinys dingo",
                "Austėja Vasiliauskaitė",
            ),
            ("வணக்கம், நான் லட்சுமி கிருஷ்ணன், என் ஆர்டர்", "லட்சுமி கிருஷ்ணன்"),
        ] {
            let found = find(&d, text, Some("message"));
            assert!(
                found.contains(&("person_name".to_string(), name.to_string())),
                "{text}: {found:?}"
            );
        }
        assert!(find(&d, "Hi, I'm having trouble with my order", Some("message")).is_empty());
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

    #[test]
    fn positions_need_a_place_word_unless_their_form_names_them() {
        let d = dets();
        let geo = |text: &str, key: Option<&str>| -> Vec<String> {
            find(&d, text, key)
                .into_iter()
                .filter(|(n, _)| n == "geo_coordinates")
                .map(|(_, t)| t)
                .collect()
        };
        assert_eq!(geo("location: 52.3702, 4.8952", None), ["52.3702, 4.8952"]);
        assert_eq!(geo("Standort 48.1371 11.5754", None), ["48.1371 11.5754"]);
        assert_eq!(
            geo("39.7817,-89.6501", Some("geo_point")),
            ["39.7817,-89.6501"]
        );
        assert_eq!(
            geo("share geo:37.786971,-122.399677 now", None),
            ["geo:37.786971,-122.399677"]
        );
        // Labelled, or next to a place word in another script or under such a key.
        assert_eq!(
            geo("lat 41.388790 lon 2.158990", None),
            ["lat 41.388790 lon 2.158990"]
        );
        assert_eq!(geo("พิกัด 13.7356, 100.5679", None), ["13.7356, 100.5679"]);
        assert_eq!(
            geo("31.1946, 121.4371", Some("定位")),
            ["31.1946, 121.4371"]
        );
        assert_eq!(
            geo("40°44'54.3\"N 73°59'08.4\"W", None),
            ["40°44'54.3\"N 73°59'08.4\"W"]
        );
        for text in [
            "39.7817,-89.6501",               // no place word, neutral key
            "EUR/USD 1.0856, 0.8612",         // a rate pair
            "location 95.1234, 10.1234",      // latitude out of range
            "location 45.1234, 190.1234",     // longitude out of range
            "location 52.37, 4.89",           // two decimals: about 1 km, not precise
            "location 0.0000, 0.0000",        // no position
            "location 1.2.3456, 4.5678",      // glued to a version
            "order 12.3456, 45.6789 shipped", // an order word counters
            "25.07712, 55.14031",             // no word: a rate pair may look so too
            "41.85540, 12.47457",             // however precise (compliance.md: lat/long traps)
        ] {
            assert!(geo(text, Some("value")).is_empty(), "{text}");
        }
        // Plus Codes and what3words addresses name themselves.
        assert_eq!(geo("7HP8PM5Q+RM", None), ["7HP8PM5Q+RM"]);
        assert_eq!(geo("meet at 588MC8JX+52 ok", None), ["588MC8JX+52"]);
        assert_eq!(
            geo("pin ///dance.puzzle.raft", None),
            ["///dance.puzzle.raft"]
        );
        for text in [
            "ABCDEFGH+CC",                     // no digit: no code
            "see https://example.com///a.b.c", // a URL's slashes
            "file.tar.gz",                     // three dotted words without slashes
        ] {
            assert!(geo(text, None).is_empty(), "{text}");
        }
    }

    fn assert_found(d: &Detectors, det: &str, text: &str, span: &str) {
        let got = one(d, text);
        assert!(
            got.iter().any(|(n, s)| n == det && s == span),
            "expected {det} {span:?} in {text:?}, got {got:?}"
        );
    }

    /// None of `detectors` finds anything in `text`.
    fn assert_none_of(d: &Detectors, text: &str, detectors: &[&str]) {
        let all = find(d, text, None);
        assert!(
            !all.iter().any(|(n, _)| detectors.contains(&n.as_str())),
            "{text}: {all:?}"
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
        // National layouts without a strong form: an area code in parentheses without a trunk
        // 0, groups without one, a slash with spaces and an extension.
        for (text, span) in [
            ("Tel. dienstlich: 0221 / 48 73 96-12", "0221 / 48 73 96-12"),
            ("tel (81) 8347 2615 ext 12", "(81) 8347 2615"),
            ("Contato: (11) 98274-3361", "(11) 98274-3361"),
            ("Proszę dzwonić na 22 628 41 73", "22 628 41 73"),
            ("Ring meg på 924 18 377", "924 18 377"),
        ] {
            has(text, None, "phone", span, "context");
        }
        for text in [
            "Tel: 12.03.2024 10:30 Termin",
            "Telefon: Preis 1 234 567,00 EUR",
            "Build 10.0.19045.3803 phone app",
            "call center open 9 to 17, room 4 12",
            "22 628 41 73",
        ] {
            let got = evidence(&d, text, None);
            assert!(!got.iter().any(|(n, ..)| n == "phone"), "{text}: {got:?}");
        }
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
            "born on the 4th of July 1976",
            None,
            "date_of_birth",
            "4th of July 1976",
            "context",
        );
        has(
            "O meu CPF é válido e nasci em 03/07/1988",
            None,
            "date_of_birth",
            "03/07/1988",
            "context",
        );
        has(
            "urodzona 12.05.1990 w Krakowie",
            None,
            "date_of_birth",
            "12.05.1990",
            "context",
        );
        has(
            "född 1985-06-21 i Malmö",
            None,
            "date_of_birth",
            "1985-06-21",
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
    fn passport_and_driving_licence_numbers_need_a_word_that_names_the_document() {
        let d = dets();
        let found = |text: &str, key: Option<&str>| -> Vec<(String, String, &'static str)> {
            evidence(&d, text, key)
                .into_iter()
                .filter(|(n, _, _)| matches!(n.as_str(), "passport_number" | "driving_licence"))
                .collect()
        };
        for (text, det, span) in [
            (
                "passport no. X1234567 expires 2030",
                "passport_number",
                "X1234567",
            ),
            ("Reisepassnummer C01X00T47", "passport_number", "C01X00T47"),
            (
                "numéro de passeport: 12AB34567",
                "passport_number",
                "12AB34567",
            ),
            ("paspoortnummer NXC4R2F19", "passport_number", "NXC4R2F19"),
            (
                "número de pasaporte: AAB123456",
                "passport_number",
                "AAB123456",
            ),
            ("paszport EA1234567", "passport_number", "EA1234567"),
            ("US passport 123456789", "passport_number", "123456789"),
            (
                "US passport 123456789 and more",
                "passport_number",
                "123456789",
            ),
            ("Führerschein B072RRE2I55", "driving_licence", "B072RRE2I55"),
            (
                "driver license D123-4567-8901 (FL)",
                "driving_licence",
                "D123-4567-8901",
            ),
            (
                "driving licence MORGA753116SM9IJ",
                "driving_licence",
                "MORGA753116SM9IJ",
            ),
            ("rijbewijs 5123456789", "driving_licence", "5123456789"),
            (
                "carnet de conducir 12345678Z",
                "driving_licence",
                "12345678Z",
            ),
        ] {
            assert_eq!(
                found(text, None),
                [(det.to_owned(), span.to_owned(), "context")],
                "{text}: {:?}",
                evidence(&d, text, None)
            );
        }
        assert_eq!(
            found("X1234567", Some("reisepass_nr")),
            [("passport_number".to_owned(), "X1234567".to_owned(), "key")]
        );
        for text in [
            "X1234567",
            "order ORD-2024-000123 shipped",
            "passport photo size 35x45 mm, order ORD-2024-000123",
            "Pass 3 of 10 completed, build 2026.11.2",
            "boarding pass ABC12 gate B12",
            "driver license renewal in 30 days",
            "Führerschein Klasse B seit 2005",
            "passport expiry 2030-05-01",
            "password reset for account 1234567",
        ] {
            assert!(
                found(text, None).is_empty(),
                "{text}: {:?}",
                found(text, None)
            );
        }
    }

    #[test]
    fn account_and_health_numbers_need_a_word_that_names_them() {
        let d = dets();
        let found = |text: &str, key: Option<&str>| -> Vec<(String, String, &'static str)> {
            evidence(&d, text, key)
                .into_iter()
                .filter(|(n, _, _)| matches!(n.as_str(), "bank_account" | "health_id"))
                .collect()
        };
        let bank = "bank_account";
        let health = "health_id";
        for (text, spans) in [
            (
                "Zwrot na konto nr 54 1140 2004 0000 3202 8473 1056",
                &[(bank, "54 1140 2004 0000 3202 8473 1056")][..],
            ),
            ("kontonr. 1503.29.47163", &[(bank, "1503.29.47163")]),
            (
                "Sort code 20-45-77, account no. 43817265 (Barclays)",
                &[(bank, "20-45-77"), (bank, "43817265")],
            ),
            (
                "ACH: routing 322271627, acct 4817362950",
                &[(bank, "322271627"), (bank, "4817362950")],
            ),
            (
                "CLABE interbancaria 012180004827391657",
                &[(bank, "012180004827391657")],
            ),
            (
                "A/c no. 50100284731962, IFSC HDFC0004127",
                &[(bank, "50100284731962")],
            ),
            (
                "Kontonummer 1234567890, BLZ 37040044",
                &[(bank, "1234567890"), (bank, "37040044")],
            ),
            // "0049…" reads as an international phone number; the account word wins.
            (
                "cuenta 0049 1500 05 1234567892",
                &[(bank, "0049 1500 05 1234567892")],
            ),
            (
                "číslo účtu 19-2000145399/0800",
                &[(bank, "19-2000145399/0800")],
            ),
            (
                "Számlaszám: 11773016-11111018-00000000",
                &[(bank, "11773016-11111018-00000000")],
            ),
            (
                "Versichertennummer T482917366 (TK)",
                &[(health, "T482917366")],
            ),
            ("MRN 00482913 – admitted via ER", &[(health, "00482913")]),
            (
                "Member ID: XZH884213057 (Anthem)",
                &[(health, "XZH884213057")],
            ),
            ("Medicare card 2953 41822 1", &[(health, "2953 41822 1")]),
            (
                "tessera sanitaria n. 80380000301234567891",
                &[(health, "80380000301234567891")],
            ),
            (
                "polisnummer zorgverzekering 203847561",
                &[(health, "203847561")],
            ),
            (
                "número de afiliación 28/12345678/90",
                &[(health, "28/12345678/90")],
            ),
        ] {
            let want: Vec<_> = spans
                .iter()
                .map(|(det, span)| ((*det).to_owned(), (*span).to_owned(), "context"))
                .collect();
            assert_eq!(found(text, None), want, "{text}");
        }
        assert_eq!(
            found("1503.29.47163", Some("kontonummer")),
            [(bank.to_owned(), "1503.29.47163".to_owned(), "key")]
        );
        assert_eq!(
            found("XZH884213057", Some("member_id")),
            [(health.to_owned(), "XZH884213057".to_owned(), "key")]
        );
        for text in [
            "43817265",
            "Account balance 1.234.567 EUR",
            "Account 12345 locked after 3 attempts",
            "Order 4417-2231 shipped to the account holder",
            "Transfer of € 125000 to your account",
            "Konto gesperrt seit 2024-01-05",
            "Policy 2.4.1 applies since 12.03.2024",
            "Member since 2019, 1200 points",
            "see https://bank.example/account/12345678/settings",
            "Kontostand: 1.250,00",
        ] {
            assert!(
                found(text, None).is_empty(),
                "{text}: {:?}",
                found(text, None)
            );
        }
    }

    #[test]
    fn identity_and_tax_numbers_of_other_countries_need_the_word_that_names_them() {
        let d = dets();
        let found = |text: &str| -> Vec<(String, String, &'static str)> {
            evidence(&d, text, None)
                .into_iter()
                .filter(|(n, _, _)| n == "other_national_id")
                .collect()
        };
        for (text, span) in [
            (
                "Faktura na osobę prywatną, NIP 527-318-90-45",
                "527-318-90-45",
            ),
            ("nr dowodu osobistego AYK248213", "AYK248213"),
            ("PAN ABKPL4821M linked to the account", "ABKPL4821M"),
            ("CURP: OEVM910522MJCRLR09", "OEVM910522MJCRLR09"),
            ("mi curp es zamg850114hdfvnr03", "zamg850114hdfvnr03"),
            ("hola mi rut es 9871204-6", "9871204-6"),
            (
                "Cédula de ciudadanía C.C. 1.020.437.896 de Bogotá",
                "1.020.437.896",
            ),
            ("OIB: 71840229536", "71840229536"),
            ("Asmens kodas 49106270419", "49106270419"),
            ("Isikukood: 38504125712", "38504125712"),
            ("Adóazonosító jel: 8435302717", "8435302717"),
            ("NIK 3174054204870003", "3174054204870003"),
            ("Số CCCD: 001087014728", "001087014728"),
            ("Nambari ya kitambulisho 28471936", "28471936"),
            // A word a checked identifier also uses (`id card`, `身分證`) stays generic for a
            // number not in that identifier's form: Taiwan's, Thailand's.
            ("ID card 8823411", "8823411"),
            ("身分證字號 A123456789", "A123456789"),
            ("เลขบัตรประชาชน 1101700230705", "1101700230705"),
        ] {
            assert_eq!(
                found(text),
                [("other_national_id".to_owned(), span.to_owned(), "context")],
                "{text}: {:?}",
                evidence(&d, text, None)
            );
        }
        for text in [
            "3174054204870003",
            "order ID number 88041751",
            "tax 19% on 1250.00",
            "TIN pending, order 4417223 shipped",
            "DNI caducado desde 2024-01-05",
            "pan 28 cm, 4 pieces",
            // In the checked identifier's own form, its checksum decides.
            "身份证号 110101199003074478",
            "订单号 A123456789",
            // Hong Kong's, with its check character in parentheses (`A123456(3)` is valid).
            "HKID A123456(7)",
            // A South African identity number is checked: this one is, by its own detector.
            "ID number 8804175182085",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
        assert_eq!(
            evidence(&d, "ID number 8804175182085", None),
            [("za_id".to_owned(), "8804175182085".to_owned(), "context")]
        );
    }

    /// Every word of `lists`, as written, capitalised and in capitals, before `number` in a
    /// text and as a key, that `gate` turns away.
    fn gate_misses(
        lists: &[context::Words],
        number: &str,
        gate: fn(&str, [Option<&str>; 2]) -> bool,
    ) -> Vec<String> {
        let mut missed = Vec::new();
        for (_, words) in lists.iter().flat_map(|l| l.iter()) {
            for w in *words {
                for form in [w.to_string(), context::title_case(w), w.to_uppercase()] {
                    let text = format!("{form} {number}");
                    if !gate(&text, [None, None]) {
                        missed.push(text);
                    }
                    if !gate(number, [Some(&form), None]) {
                        missed.push(format!("key {form}"));
                    }
                }
            }
        }
        missed
    }

    #[test]
    fn the_gate_stays_a_small_part_of_the_memory_budget() {
        // The DFA of these words took 8.3 MB of the 64 MiB that 256 connections may use.
        let bytes = GATE.memory_usage();
        assert!(bytes < 1 << 20, "the context gate takes {bytes} bytes");
    }

    #[test]
    fn every_account_and_health_word_passes_their_gate() {
        let accounts = [context::BANK, context::HEALTH, context::ID_NUMBER];
        let missed = gate_misses(&accounts, "12345678", may_name_an_account);
        assert!(missed.is_empty(), "{missed:?}");
        let missed = gate_misses(&[context::PHONE], "22 628 41 73.", may_name_a_phone);
        assert!(missed.is_empty(), "{missed:?}");
        // Inside another word the gate stays shut.
        assert!(!may_name_an_account(
            "contents 12345678 in the cabinet",
            [None, None]
        ));
        assert!(!may_name_a_phone(
            "hotel booking 2024 1234 5678",
            [None, None]
        ));
    }

    #[test]
    fn identifiers_in_the_forms_and_words_of_more_countries() {
        let d = dets();
        for (text, key, detector, span) in [
            // Cards of national schemes by their issuers' prefixes: Mir, Troy, Shetab.
            (
                "2202 1570 5504 5744",
                None,
                "credit_card",
                "2202 1570 5504 5744",
            ),
            (
                "9792 8454 0625 3451",
                None,
                "credit_card",
                "9792 8454 0625 3451",
            ),
            (
                "۶۰۳۷-۹۹۷۳-۹۱۸۴-۶۸۱۴",
                None,
                "credit_card",
                "۶۰۳۷-۹۹۷۳-۹۱۸۴-۶۸۱۴",
            ),
            // Ten digits without a trunk 0 under a phone key; Russia's layout alone.
            ("9841273648", Some("phone"), "phone", "9841273648"),
            ("९८४१२७३६४८", Some("फोन"), "phone", "९८४१२७३६४८"),
            (
                "8 (812) 315-47-09, спросить Ксению",
                None,
                "phone",
                "8 (812) 315-47-09",
            ),
            ("Mi celu es 15-5037-2186", None, "phone", "15-5037-2186"),
            // Identity numbers after the words of their countries, in their scripts and
            // digits (the Thai word's SARA AM survives the fold of the Thai digits).
            (
                "Driver iqama no. 2317011381",
                None,
                "other_national_id",
                "2317011381",
            ),
            (
                "מספר ת.ז. שלי 224706051",
                None,
                "other_national_id",
                "224706051",
            ),
            (
                "เลขประจำตัวประชาชน ๑ ๗๓๐๓ ๕๔๐๔๑ ๐๐ ๔ ค่ะ",
                None,
                "other_national_id",
                "๑ ๗๓๐๓ ๕๔๐๔๑ ๐๐ ๔",
            ),
            // Handles: Reddit's `u/`, a WeChat id after a full-width colon, a Line id after a
            // Thai word written against others.
            (
                "ask u/kirra_surfs_bondi",
                None,
                "online_handle",
                "u/kirra_surfs_bondi",
            ),
            (
                "微信号：xiaowen_0723",
                None,
                "online_handle",
                "xiaowen_0723",
            ),
            (
                "pay rashmi.srivastava92@okaxis",
                None,
                "bank_account",
                "rashmi.srivastava92@okaxis",
            ),
            ("NHI TGW4849", None, "health_id", "TGW4849"),
            ("481-27-903", Some("מספר_רכב"), "vehicle_id", "481-27-903"),
            (
                "شماره شبا: IR927399070768704835751237",
                None,
                "iban",
                "IR927399070768704835751237",
            ),
            (
                "แอดไลน์มาได้ค่ะ: pimchanok.s99",
                None,
                "online_handle",
                "pimchanok.s99",
            ),
            // A street line in capitals before its postcode and town.
            (
                "KÖNIGSBERGER STR. 112, 40231 DÜSSELDORF",
                None,
                "postal_address",
                "KÖNIGSBERGER STR. 112, 40231 DÜSSELDORF",
            ),
        ] {
            let got = evidence(&d, text, key);
            assert!(
                got.iter().any(|(n, s, _)| n == detector && s == span),
                "{text}: expected {detector} {span:?}, got {got:?}"
            );
        }
        for (text, detectors) in [
            ("see r/rust and menu/item_5", &["online_handle"][..]),
            ("mail jane@upi.example.com", &["bank_account"][..]),
            ("call 481-27-903 today", &["vehicle_id"][..]),
            ("see (2019) 123-45-67 table", &["phone"][..]),
            ("order 2202157055045744", &["credit_card"][..]),
            (
                "ORDER 12345 SHIPPED TODAY, 40231 DÜSSELDORF",
                &["postal_address"][..],
            ),
        ] {
            assert_none_of(&d, text, detectors);
        }
    }

    #[test]
    fn plates_in_other_scripts_next_to_a_word_that_names_them() {
        let d = dets();
        let found = |text: &str, key: Option<&str>| -> Vec<String> {
            evidence(&d, text, key)
                .into_iter()
                .filter(|(n, _, _)| n == "vehicle_id")
                .map(|(_, span, _)| span)
                .collect()
        };
        for (text, plate) in [
            ("госномер О482КМ 197, белая машина", "О482КМ 197"),
            ("номерний знак АА 1234 ВС", "АА 1234 ВС"),
            ("αριθμός κυκλοφορίας ΙΚΤ-4821", "ΙΚΤ-4821"),
            ("ナンバーは品川 300 あ 12-34です", "品川 300 あ 12-34"),
            ("车牌号京A·12345的车", "京A·12345"),
            ("차량번호 12가 3456", "12가 3456"),
            ("ทะเบียนรถ กข 1234 กรุงเทพมหานคร", "กข 1234"),
        ] {
            assert_eq!(found(text, None), [plate], "{text}");
        }
        assert_eq!(found("О482КМ 197", Some("госномер")), ["О482КМ 197"]);
        // The same shapes with no word for a vehicle, and words with no plate.
        for text in [
            "О482КМ 197",
            "品川 300 あ 12-34",
            "заказ АВ 1234 СК отправлен",
            "госномер не указан",
            "ナンバーを忘れた",
        ] {
            assert!(
                found(text, None).is_empty(),
                "{text}: {:?}",
                found(text, None)
            );
        }
    }

    #[test]
    fn vehicle_numbers_by_check_digit_or_next_to_a_word_that_names_them() {
        let d = dets();
        let found = |text: &str, key: Option<&str>| -> Vec<(String, String, &'static str)> {
            evidence(&d, text, key)
                .into_iter()
                .filter(|(n, _, _)| n == "vehicle_id")
                .collect()
        };
        for (text, span, how) in [
            (
                "car 1HGCM82633A004352 in bay 4",
                "1HGCM82633A004352",
                "checksum",
            ),
            (
                "VIN WVWZZZ1JZXW000001 registered",
                "WVWZZZ1JZXW000001",
                "context",
            ),
            (
                "Fahrgestellnummer WDB2030461A123456",
                "WDB2030461A123456",
                "context",
            ),
            ("Kennzeichen M-AB 1234", "M-AB 1234", "context"),
            ("license plate 7ABC123", "7ABC123", "context"),
            ("kenteken 12-ABC-3 geparkeerd", "12-ABC-3", "context"),
            ("plaque d'immatriculation AB-123-CD", "AB-123-CD", "context"),
            ("matrícula 1234 BCD", "1234 BCD", "context"),
            ("targa AB 123 CD", "AB 123 CD", "context"),
            ("parking permit for reg LB19 KXD", "LB19 KXD", "context"),
            (
                "voiture immatriculée GH-417-PK garée",
                "GH-417-PK",
                "context",
            ),
            ("vehicle no MH 12 KX 4821", "MH 12 KX 4821", "context"),
            ("SPZ 1AB 2345", "1AB 2345", "context"),
        ] {
            assert_eq!(
                found(text, None),
                [("vehicle_id".to_owned(), span.to_owned(), how)],
                "{text}: {:?}",
                evidence(&d, text, None)
            );
        }
        assert_eq!(
            found("B-MW 1234", Some("kennzeichen")),
            [("vehicle_id".to_owned(), "B-MW 1234".to_owned(), "key")]
        );
        for (text, key) in [
            ("SYS1939P", "carplate"),
            ("AB 39724", "skilt"),
            ("NR-763II", "evc"),
        ] {
            assert_eq!(
                found(text, Some(key)),
                [("vehicle_id".to_owned(), text.to_owned(), "key")],
                "{key}: {text}"
            );
        }
        for text in [
            // A check digit that does not hold, with no word: an id, not a VIN.
            "ref 1HGCM82693A004352 in bay 4",
            "trace 4BF7A2C19D3E8F6A1",
            "12345678901234567",
            "license plate frames sold: 3",
            "Kennzeichen beantragt am 12.03.2024",
            "registration opens 2026-01-05",
            "placa base ASUS",
            "VIN check complete",
            "reg 2024 results",
            "the reg form ABC",
        ] {
            assert!(
                found(text, None).is_empty(),
                "{text}: {:?}",
                found(text, None)
            );
        }
    }

    #[test]
    fn birth_dates_after_abbreviations_and_in_more_languages() {
        let d = dets();
        for (text, span) in [
            ("Customer b. 05/01/1980 requested a merge", "05/01/1980"),
            ("Customer (b. 5 Jan 1980) asked", "5 Jan 1980"),
            ("b.1980-01-05", "1980-01-05"),
            ("Birthdate 1980/01/05", "1980/01/05"),
            ("GebDat: 05.01.1980", "05.01.1980"),
            ("date de naiss. 05/04/1982", "05/04/1982"),
            ("data ur. 05.01.1980", "05.01.1980"),
            ("Doğum tarihi: 05.01.1980", "05.01.1980"),
            ("data nașterii 05.01.1980", "05.01.1980"),
            ("syntynyt 8.1.1993", "8.1.1993"),
            ("datum narození 14. 3. 1986", "14. 3. 1986"),
            ("született: 1988. május 21.", "1988. május 21"),
            ("született 1990.10.03.", "1990.10.03"),
            ("DOB: 11-Jan-1959", "11-Jan-1959"),
            ("data urodzenia 5 maja 1980", "5 maja 1980"),
        ] {
            assert_found(&d, "date_of_birth", text, span);
        }
        for text in [
            "plan b. 05/01/2024",
            "Ab. 05/01/2024 gültig",
            "Tab. 05/01/2024",
            "shipped 2024/05/01",
            "release 2024.10.03 shipped",
            "Lieferung am 14. 3. 2025",
        ] {
            assert_none_of(&d, text, &["date_of_birth"]);
        }
    }

    #[test]
    fn birth_and_phone_words_in_cyrillic_greek_and_south_east_asian_languages() {
        let d = dets();
        for (text, span) in [
            ("дата рождения 15.02.1981", "15.02.1981"),
            ("Дата народження: 03.11.1975", "03.11.1975"),
            ("роден 12.04.1968 г.", "12.04.1968"),
            ("ημερομηνία γέννησης 11/08/1970", "11/08/1970"),
            ("ur. 12.05.1947 r.", "12.05.1947"),
            ("tarikh lahir 05/01/1980", "05/01/1980"),
        ] {
            assert_found(&d, "date_of_birth", text, span);
        }
        for (text, span) in [
            ("перезвоните на (916) 402-17-58", "(916) 402-17-58"),
            ("τηλ. 210 123 4567", "210 123 4567"),
            ("meu whats é (21) 98734-5120", "(21) 98734-5120"),
            ("Rückrufnummer: 0171 / 2345 678", "0171 / 2345 678"),
            ("nomor hp 0812 3456 7890", "0812 3456 7890"),
            ("sđt 091 234 5678", "091 234 5678"),
        ] {
            assert_found(&d, "phone", text, span);
        }
        // The same digits without the words are dates of something else and order numbers.
        for text in [
            "доставка 15.02.2027",
            "ur order ships 12.05.2027",
            "заказ 40 21 75 88 от 15.02.2027",
        ] {
            assert_none_of(&d, text, &["date_of_birth", "phone"]);
        }
    }

    #[test]
    fn an_asterisk_before_a_date_is_born_only_standing_alone() {
        let d = dets();
        for text in ["2*3 = 6 on 14.2.2001", "**sale** 14.2.2026"] {
            assert!(
                !evidence(&d, text, None)
                    .iter()
                    .any(|(n, _, _)| n == "date_of_birth"),
                "{text}"
            );
        }
    }

    #[test]
    fn handles_without_their_at_follow_a_network_word() {
        let d = dets();
        let found = |text: &str| -> Vec<String> {
            evidence(&d, text, None)
                .into_iter()
                .filter(|(n, _, _)| n == "online_handle")
                .map(|(_, span, _)| span)
                .collect()
        };
        for (text, span) in [
            ("my twitch is fairweather_immy", "fairweather_immy"),
            (
                "mein insta: anke_vollmer_fotografie",
                "anke_vollmer_fotografie",
            ),
            ("mon pseudo discord: nadiab#4821", "nadiab#4821"),
            ("il mio nick su twitch è lorenzo_cappe92", "lorenzo_cappe92"),
            ("Benutzername: juergen.brz1971.", "juergen.brz1971"),
        ] {
            assert_eq!(found(text), [span], "{text}");
        }
        for text in [
            "my instagram is great",
            "instagram post 2 of 3",
            "twitch stream v1.2 tonight",
            "fairweather_immy",
            "see the stream at 20.00 on twitch",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn words_of_more_identifiers_documents_and_plates() {
        let d = dets();
        for (text, detector, span) in [
            (
                "Medicare MBI 1EG4-TE5-MK73 for the patient",
                "health_id",
                "1EG4-TE5-MK73",
            ),
            (
                "KV-Nummer I264628897, AOK Bayern",
                "health_id",
                "I264628897",
            ),
            ("TAJ szám: 145-440-910", "health_id", "145-440-910"),
            ("ΑΜΚΑ 27048972932", "other_national_id", "27048972932"),
            ("ΑΦΜ 094014298", "other_national_id", "094014298"),
            ("NIN 48291730562", "other_national_id", "48291730562"),
            (
                "no IC 880512-14-5523",
                "other_national_id",
                "880512-14-5523",
            ),
            (
                "plate 7KLM392 (CA) parked in fire lane",
                "vehicle_id",
                "7KLM392",
            ),
            (
                "rekisterinumero ABC-123 parkkeerattu väärin",
                "vehicle_id",
                "ABC-123",
            ),
            ("plaka 34 ABC 123 otoparkta", "vehicle_id", "34 ABC 123"),
            (
                "maestro 6304 3253 6593 6877 807 werkt niet",
                "credit_card",
                "6304 3253 6593 6877 807",
            ),
            (
                "fl drivers license W189-555-97-971-1",
                "driving_licence",
                "W189-555-97-971-1",
            ),
            ("Kunde ist *14.2.2001", "date_of_birth", "14.2.2001"),
            (
                "współrzędne 52.229676 21.012229",
                "geo_coordinates",
                "52.229676 21.012229",
            ),
        ] {
            let got = evidence(&d, text, None);
            assert!(
                got.iter().any(|(n, s, _)| n == detector && s == span),
                "{text}: {got:?}"
            );
        }
    }

    #[test]
    fn handles_need_a_network_word_or_a_users_shape() {
        let d = dets();
        let found = |text: &str, key: Option<&str>| -> Vec<(String, String, &'static str)> {
            evidence(&d, text, key)
                .into_iter()
                .filter(|(n, _, _)| n == "online_handle")
                .collect()
        };
        for (text, span, how) in [
            ("DM me on Instagram @jane.doe88", "@jane.doe88", "context"),
            (
                "mein Benutzername: @sonnenschein",
                "@sonnenschein",
                "context",
            ),
            ("my telegram is @kowalski_jan.", "@kowalski_jan", "context"),
            ("thanks @jane_doe for the fix", "@jane_doe", "format"),
        ] {
            assert_eq!(
                found(text, None),
                [("online_handle".to_owned(), span.to_owned(), how)],
                "{text}: {:?}",
                evidence(&d, text, None)
            );
        }
        assert_eq!(
            found("@sonnenschein", Some("instagram")),
            [(
                "online_handle".to_owned(),
                "@sonnenschein".to_owned(),
                "key"
            )]
        );
        for text in [
            "thanks @bob for the fix",
            "npm i @babel/core",
            "@media screen and (max-width: 600px)",
            "@Override public void run()",
            "mail jane.doe@example.com",
            "icon@2x.png",
            "lodash@4.17.21",
            "@2x assets",
            "meet @ 5pm",
            "see @example.com",
            "Follow us @acme_corp",
            "folgt uns @acme_shop",
            "suivez-nous @maison_dupont",
        ] {
            assert!(
                found(text, None).is_empty(),
                "{text}: {:?}",
                found(text, None)
            );
        }
    }

    #[test]
    fn every_document_word_passes_the_document_gate() {
        let documents = [context::PASSPORT, context::LICENCE, context::VEHICLE];
        let missed = gate_misses(&documents, "X1234567", may_name_a_document);
        assert!(missed.is_empty(), "{missed:?}");
        assert!(!may_name_a_document(
            "compass heading X1234567",
            [None, None]
        ));
    }

    #[test]
    fn custom_detectors_may_need_context() {
        let d = Detectors::new(vec![CustomDetector {
            name: "case_no".into(),
            pattern: Some(r"\b[0-9]{7}\b".into()),
            keys: vec![],
            context: vec!["Aktenzeichen".into(), "case".into()],
            words: vec![],
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
            words: vec![],
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
    fn internationalised_addresses() {
        let d = dets();
        for (text, span) in [
            (
                "почта: попов.алексей@дача-под-тверью.рф",
                "попов.алексей@дача-под-тверью.рф",
            ),
            (
                "αντωνόπουλος.νίκος@παράδειγμα.ελ",
                "αντωνόπουλος.νίκος@παράδειγμα.ελ",
            ),
            ("子轩.王@邮箱.中国", "子轩.王@邮箱.中国"),
            // An ASCII address in Japanese or Chinese text keeps to its ASCII letters.
            ("メールはtaro@example.jpです", "taro@example.jp"),
            ("mail jane@example.com或者打电话", "jane@example.com"),
        ] {
            assert_found(&d, "email", text, span);
        }
        for trap in ["price@単価", "@张三 你好", "user@localhost"] {
            assert_none(&d, trap);
        }
    }

    #[test]
    fn email_written_to_escape_harvesters() {
        let d = dets();
        for (text, span) in [
            (
                "jane dot doe at gmail dot com",
                "jane dot doe at gmail dot com",
            ),
            (
                "write to j.doe(at)example.org please",
                "j.doe(at)example.org",
            ),
            (
                "Kontakt: info [at] firma [dot] de",
                "info [at] firma [dot] de",
            ),
            ("mail me: jane{at}example.com", "jane{at}example.com"),
            ("jane(@)example.com", "jane(@)example.com"),
            ("JDoe88 at gmail.com", "JDoe88 at gmail.com"),
            ("max.mustermann (ät) web.de", "max.mustermann (ät) web.de"),
            (
                "contact: ana punto lopez at correo punto es",
                "ana punto lopez at correo punto es",
            ),
            (
                "manda no email rafaela.pimentel arroba gmail ponto com",
                "rafaela.pimentel arroba gmail ponto com",
            ),
            (
                "svara till: olle punkt sandberg snabel-a telia punkt se",
                "olle punkt sandberg snabel-a telia punkt se",
            ),
            (
                "scrivimi: mario.rossi (chiocciola) libero.it",
                "mario.rossi (chiocciola) libero.it",
            ),
            // The words of more languages for `@` and the dot.
            ("tcerna332 at email tečka cz", "tcerna332 at email tečka cz"),
            (
                "пишите на artyom.lebedev297[собака]yandex[dot]ru",
                "artyom.lebedev297[собака]yandex[dot]ru",
            ),
            (
                "gulsen_sahin484 et hotmail dot com",
                "gulsen_sahin484 et hotmail dot com",
            ),
            ("ha-eunkim78 at naver 점 com", "ha-eunkim78 at naver 점 com"),
            (
                "shota.nakamura.81 @マーク ezweb ドット ne ドット jp",
                "shota.nakamura.81 @マーク ezweb ドット ne ドット jp",
            ),
        ] {
            assert_found(&d, "email", text, span);
        }
        for phrase in ["Marie et Paul sont partis.", "pain et beurre point final"] {
            assert_none(&d, phrase);
        }
        for phrase in [
            "Look at example.com for details",
            "We met at home. Then at noon dot matrix printers",
            "Available at www.shop.com and at amazon.de",
            "Price at checkout.total is shown",
            "Arrived at 5.30 at the office",
            "icon(at)2x.png",
            "sold at auction dot",
            "3 arroba de café por 20 reais",
            "la arroba es un símbolo",
        ] {
            assert_none(&d, phrase);
        }
        // Linear on hostile input: many `at`s with dots, none or all of them addresses.
        let t = std::time::Instant::now();
        for hostile in [
            "look at a.b ".repeat(40_000),
            "(at)".repeat(100_000),
            "x at y dot ".repeat(40_000),
        ] {
            let _ = one(&d, &hostile);
        }
        assert!(t.elapsed() < std::time::Duration::from_secs(20));
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
    fn digits_of_other_scripts_are_read_as_digits() {
        let d = dets();
        for (det, text, span) in [
            ("phone", "كلموني على ٠١٠٢٤٨٣٩١٧٥ بعد العصر", "٠١٠٢٤٨٣٩١٧٥"),
            ("phone", "تلفن ۰۹۱۲ ۴۸۳ ۷۱۲۹", "۰۹۱۲ ۴۸۳ ۷۱۲۹"),
            ("phone", "মোবাইল ০১৭১১-৪৮২৯৩৬", "০১৭১১-৪৮২৯৩৬"),
            ("phone", "फोन ९८१२३ ४५६७८", "९८१२३ ४५६७८"),
            // Birth dates of the Islamic and the Solar Hijri calendars.
            ("date_of_birth", "تاريخ الميلاد ١٤٠٥/٠٣/١٢ هـ", "١٤٠٥/٠٣/١٢"),
            ("date_of_birth", "متولد ۱۳۶۵/۰۴/۲۲", "۱۳۶۵/۰۴/۲۲"),
            ("email", "mail jane.doe@example.com", "jane.doe@example.com"),
        ] {
            assert_found(&d, det, text, span);
        }
        assert_eq!(decimal_digit('٧'), Some(7));
        assert_eq!(decimal_digit('۰'), Some(0));
        assert_eq!(decimal_digit('๙'), Some(9));
        assert_eq!(decimal_digit('x'), None);
        // Digits without a word that makes them a phone or a birth date stay.
        for text in [
            "طلب رقم ٤٥٦٧٨٩١٢٣٤ تم",
            "order 1405/03/12 shipped",
            "سفارش ۱۳۶۵/۰۴/۲۲",
        ] {
            assert_none_of(&d, text, &["date_of_birth", "phone"]);
        }
    }

    #[test]
    fn pasted_dashes_and_invisible_characters_do_not_hide_a_value() {
        let d = dets();
        assert_found(
            &d,
            "us_ssn",
            "ssn 078\u{2013}05\u{2013}1120 ok",
            "078\u{2013}05\u{2013}1120",
        );
        assert_found(
            &d,
            "phone",
            "call +1 415\u{2011}555\u{2011}0123",
            "+1 415\u{2011}555\u{2011}0123",
        );
        // A zero-width space inside the local part: the finding covers it and the whole address.
        assert_found(
            &d,
            "email",
            "mail jane\u{200B}.doe@example.com now",
            "jane\u{200B}.doe@example.com",
        );
        assert_found(
            &d,
            "credit_card",
            "card 4111\u{00AD}1111\u{00AD}1111\u{00AD}1111",
            "4111\u{00AD}1111\u{00AD}1111\u{00AD}1111",
        );
        let f = Folded::of("a\u{200B}b 1\u{2014}2").expect("folds");
        assert_eq!(f.text, "ab 1-2");
        // Between words a dash stays a dash: it ends the e-mail.
        assert_found(
            &d,
            "email",
            "mail john@example.com\u{2013}thanks",
            "john@example.com",
        );
        assert_none(&d, "Sale \u{2014} 20% off \u{2013} today only");
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
                words: vec![],
            },
            CustomDetector {
                name: "acct".into(),
                pattern: Some(r"ACCT-\d+".into()),
                keys: vec![],
                context: vec![],
                words: vec![],
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
                words: vec![],
            },
            CustomDetector {
                name: "digits".into(),
                pattern: Some(r"\d{5}".into()),
                keys: vec![],
                context: vec![],
                words: vec![],
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
            words: vec![],
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
    fn clean_text_memo_answers_as_a_fresh_scan() {
        // Weak candidates that only a key, a parent key or the wanted detectors turn into
        // findings: the same text is clean under one question and personal data under another.
        let sets = [
            dets(),
            Detectors::new(vec![CustomDetector {
                name: "ticket".into(),
                pattern: Some(r"\bT-\d{4}\b".into()),
                keys: vec!["case_ref".into()],
                context: vec![],
                words: vec![],
            }])
            .expect("valid"),
        ];
        let texts = [
            "123456789",
            "0612345678",
            "14/03/1971",
            "call T-1234 today",
            "Marijke de Vries",
            "Save Changes",
            "4111 1111 1111 1111",
            "leave the parcel at number 12",
        ];
        let keys = [
            None,
            Some("ssn"),
            Some("telefoon"),
            Some("dob"),
            Some("note"),
            Some("case_ref"),
        ];
        let parents = [None, Some("patient"), Some("properties")];
        for round in 0..3 {
            for d in &sets {
                let wants = [
                    all(d),
                    d.id("email").map_or(all(d), |e| {
                        let mut m = DetectorMask::default();
                        m.insert(e);
                        m
                    }),
                ];
                for wanted in wants {
                    for text in texts {
                        for key in keys {
                            for parent in parents {
                                let (mut memo, mut fresh) = (Vec::new(), Vec::new());
                                d.scan_under(text, key, parent, wanted, &mut memo);
                                d.scan_fresh(text, key, parent, wanted, &mut fresh);
                                assert_eq!(
                                    memo, fresh,
                                    "{text:?} {key:?} {parent:?} round {round}"
                                );
                            }
                        }
                    }
                }
            }
        }
        // The questions above do differ: some texts are personal data only under their key.
        let d = &sets[0];
        assert!(find(d, "123456789", Some("note")).is_empty());
        assert!(!find(d, "123456789", Some("ssn")).is_empty());
        assert!(find(d, "123456789", Some("note")).is_empty());
    }

    #[test]
    fn key_memo_keeps_detector_sets_apart() {
        let with_keys = |keys: &[&str]| {
            Detectors::new(vec![CustomDetector {
                name: "acct".into(),
                pattern: None,
                keys: keys.iter().map(|k| (*k).into()).collect(),
                context: vec![],
                words: vec![],
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
            words: vec![],
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
