//! IPv4, IPv6 and MAC addresses: validation, and the version numbers and OIDs that look like
//! addresses.

use super::*;

/// Words that make a following dotted quad a version number ("version 10.7.31.9") or an OID.
pub(super) const VERSION_WORDS: &[&str] = &[
    "version", "ver", "vers", "v", "build", "release", "rev", "revision", "firmware", "fw", "sdk",
    "update", "patch", "versión", "versione", "versie", "versjon", "versão", "versao", "oid",
];

/// Four-arc object identifiers that are written on their own (X.500 attribute types
/// `2.5.4.x`, certificate extensions `2.5.29.x`, `1.2.840.x`, `2.16.840.x`, the internet arc).
pub(super) fn well_known_oid(quad: &str) -> bool {
    quad == "1.3.6.1"
        || ["2.5.4.", "2.5.29.", "1.2.840.", "2.16.840."]
            .iter()
            .any(|p| quad.starts_with(p))
}

pub(super) fn version_word_before(b: &[u8], s: usize) -> bool {
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

pub(super) fn version_key(key: &str) -> bool {
    let k = key.as_bytes();
    contains_ci(k, b"version")
        || contains_ci(k, b"release")
        || contains_ci(k, b"build_")
        || contains_ci(k, b"_build")
        || k.eq_ignore_ascii_case(b"build")
        || k.eq_ignore_ascii_case(b"ver")
        || ends_with_ci(k, b"_ver")
}

pub(super) fn validate_ipv4(text: &str, s: usize, e: usize, key: Option<&str>) -> Eval {
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

pub(super) fn validate_ipv6(text: &str, s: usize, e: usize) -> Eval {
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

pub(super) fn validate_mac(text: &str, s: usize, e: usize) -> Eval {
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
