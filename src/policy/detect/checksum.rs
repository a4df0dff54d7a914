//! IBANs (length by country, mod 97), payment cards (issuer prefixes, Luhn) and US SSNs
//! (area, group, serial): the checksum-validated formats.

use super::*;

/// IBAN length per country (SWIFT IBAN registry, including the 2021-2025 additions), and the
/// countries whose central banks publish ISO 13616 IBANs outside the registry: Iran (SHEBA),
/// Algeria, Morocco, Angola, Mozambique, Madagascar, Cabo Verde, Guinea-Bissau and the states of
/// the West and Central African monetary unions (BCEAO, BEAC).
pub(super) const IBAN_LENGTHS: &[(&[u8; 2], u8)] = &[
    (b"AD", 24),
    (b"AE", 23),
    (b"AL", 28),
    (b"AO", 25),
    (b"AT", 20),
    (b"AZ", 28),
    (b"BA", 20),
    (b"BE", 16),
    (b"BF", 28),
    (b"BG", 22),
    (b"BH", 22),
    (b"BI", 27),
    (b"BJ", 28),
    (b"BR", 29),
    (b"BY", 28),
    (b"CF", 27),
    (b"CG", 27),
    (b"CH", 21),
    (b"CI", 28),
    (b"CM", 27),
    (b"CR", 22),
    (b"CV", 25),
    (b"CY", 28),
    (b"CZ", 24),
    (b"DE", 22),
    (b"DJ", 27),
    (b"DK", 18),
    (b"DO", 28),
    (b"DZ", 26),
    (b"EE", 20),
    (b"EG", 29),
    (b"ES", 24),
    (b"FI", 18),
    (b"FK", 18),
    (b"FO", 18),
    (b"FR", 27),
    (b"GA", 27),
    (b"GB", 22),
    (b"GE", 22),
    (b"GI", 23),
    (b"GL", 18),
    (b"GQ", 27),
    (b"GR", 27),
    (b"GT", 28),
    (b"GW", 25),
    (b"HN", 28),
    (b"HR", 21),
    (b"HU", 28),
    (b"IE", 22),
    (b"IL", 23),
    (b"IQ", 23),
    (b"IR", 26),
    (b"IS", 26),
    (b"IT", 27),
    (b"JO", 30),
    (b"KM", 27),
    (b"KW", 30),
    (b"KZ", 20),
    (b"LB", 28),
    (b"LC", 32),
    (b"LI", 21),
    (b"LT", 20),
    (b"LU", 20),
    (b"LV", 21),
    (b"LY", 25),
    (b"MA", 28),
    (b"MC", 27),
    (b"MD", 24),
    (b"ME", 22),
    (b"MG", 27),
    (b"MK", 19),
    (b"ML", 28),
    (b"MN", 20),
    (b"MR", 27),
    (b"MT", 31),
    (b"MU", 30),
    (b"MZ", 25),
    (b"NE", 28),
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
    (b"SN", 28),
    (b"SO", 23),
    (b"ST", 25),
    (b"SV", 28),
    (b"TD", 27),
    (b"TG", 28),
    (b"TL", 23),
    (b"TN", 24),
    (b"TR", 26),
    (b"UA", 29),
    (b"VA", 22),
    (b"VG", 24),
    (b"XK", 20),
    (b"YE", 30),
];

pub(super) fn iban_length(cc: [u8; 2]) -> Option<usize> {
    IBAN_LENGTHS
        .iter()
        .find(|(c, _)| **c == cc)
        .map(|(_, n)| usize::from(*n))
}

pub(super) fn validate_iban(text: &str, s: usize, e: usize) -> Eval {
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

pub(super) fn validate_card(text: &str, s: usize, e: usize) -> Eval {
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
pub(super) fn card_run_resume(b: &[u8], s: usize, e: usize) -> usize {
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

pub(super) fn prefix(d: &[u8], k: usize) -> u32 {
    d[..k].iter().fold(0, |a, &x| a * 10 + u32::from(x))
}

/// Issuer prefix and length rules (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, and
/// the national schemes below).
pub(super) fn issuer_ok(d: &[u8]) -> bool {
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
    // National schemes: Russia's Mir (NSPK, 2200–2204), India's RuPay (NPCI), Turkey's Troy
    // (BKM, 9792), Nigeria's Verve, and the cards of Iran's Shetab network by their banks' IINs
    // (Central Bank of Iran).
    let p6 = prefix(d, 6);
    let mir = (2200..=2204).contains(&p4) && (16..=19).contains(&n);
    let rupay = ((508_500..=508_999).contains(&p6)
        || (606_985..=607_984).contains(&p6)
        || (608_001..=608_500).contains(&p6)
        || (652_150..=653_149).contains(&p6))
        && n == 16;
    let troy = p4 == 9792 && n == 16;
    let verve = ((506_099..=506_198).contains(&p6)
        || (507_865..=507_964).contains(&p6)
        || (650_002..=650_027).contains(&p6))
        && (16..=19).contains(&n);
    let shetab = SHETAB_IINS.contains(&p6) && n == 16;
    visa || mastercard
        || amex
        || discover
        || jcb
        || diners
        || unionpay
        || mir
        || rupay
        || troy
        || verve
        || shetab
}

/// The IINs of Iranian banks' Shetab cards (Melli, Sepah, Saderat, Mellat, Tejarat, Keshavarzi,
/// Maskan, Refah, Post Bank, Tose'e Saderat, Sanat va Madan, Tose'e Ta'avon, Eghtesad Novin,
/// Parsian, Pasargad, Karafarin, Saman, Sina, Sarmayeh, Ayandeh, Shahr, Dey, Ansar, Mehr-e
/// Eghtesad, Resalat, Gardeshgari, Iran Zamin, Khavarmianeh).
const SHETAB_IINS: [u32; 28] = [
    603_799, 589_210, 603_769, 610_433, 627_353, 603_770, 628_023, 589_463, 627_760, 627_648,
    627_961, 502_908, 627_412, 622_106, 502_229, 627_488, 621_986, 639_346, 639_607, 636_214,
    502_806, 502_938, 627_381, 639_370, 504_172, 505_416, 505_785, 585_947,
];

pub(super) use crate::policy::national_id::{ean13_ok, luhn};

pub(super) fn ssn_ok(area: u32, group: u32, serial: u32) -> bool {
    area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
}

pub(super) fn validate_ssn(text: &str, s: usize, e: usize) -> Eval {
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
