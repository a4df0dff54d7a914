//! Candidate patterns of the built-in formats, in priority order, and the byte pre-filter that
//! decides which of them can fire in a text before any regex runs.

use super::*;

/// Which format a pattern of the combined regex is a candidate for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
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
pub(super) const CANDIDATES: &[(Kind, &str)] = &[
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
        (?:[A-Za-z0-9\x{C0}-\x{24F}\p{L}]
           (?:[A-Za-z0-9\-\x{C0}-\x{24F}\p{L}\p{M}\p{Nd}]*[A-Za-z0-9\x{C0}-\x{24F}\p{L}\p{M}\p{Nd}])?
           \.)+                                               # domain labels, IDN too
        (?:[A-Za-z]{2,}|[\p{L}\p{M}&&[^\x00-\x7F]]{2,})             # TLD: ASCII or IDN (рф, ελ, 中国)
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
pub(super) mod need {
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
pub(super) static IBAN_COUNTRY: [u32; 26] = {
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
pub(super) static COUNT_LANES: [u64; 256] = {
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
pub(super) struct Counts {
    pub(super) digits: usize,
    pub(super) at: usize,
    pub(super) colons: usize,
    pub(super) dots: usize,
    pub(super) dashes: usize,
    pub(super) percents: usize,
}

impl Counts {
    pub(super) fn of(text: &[u8]) -> Counts {
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
pub(super) fn contains_short(text: &[u8], first: u8, needle: &[u8]) -> bool {
    memchr::memchr_iter(first, text).any(|i| text[i..].starts_with(needle))
}

/// Per byte: 1 for an ASCII digit, 2 for an ASCII letter.
pub(super) static DIGIT_LETTER: [u8; 256] = {
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
pub(super) fn has_iban_head(text: &[u8]) -> bool {
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
pub(super) fn has_cisco_mac_dots(text: &[u8]) -> bool {
    memchr::memchr_iter(b'.', text).any(|i| {
        i >= 4
            && text[i - 4..i].iter().all(u8::is_ascii_hexdigit)
            && text
                .get(i + 1..i + 5)
                .is_some_and(|g| g.iter().all(u8::is_ascii_hexdigit))
    })
}

/// True when a text with these counts may hold a finding of a detector with condition `needs`.
pub(super) fn allows(text: &[u8], c: &Counts, needs: u16) -> bool {
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
