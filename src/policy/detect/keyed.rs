//! Values recognised only under their key (`phone`, `us_ssn`, `us_zip`, `uuid`): the whole
//! trimmed value has the form.

use super::*;

pub(super) fn nanp_ok(d: &[u8]) -> bool {
    d.len() == 10
        && d[0] >= 2
        && d[3] >= 2
        && !(d[1] == 1 && d[2] == 1)
        && !(d[4] == 1 && d[5] == 1)
}

/// A phone number as a whole value under a phone-like key: NANP with or without the leading 1,
/// national numbers with a trunk 0, `+`/`00` international numbers, Spanish and Italian mobiles.
pub(super) fn keyed_phone(v: &str) -> bool {
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
pub(super) fn keyed_ssn(v: &str) -> bool {
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
pub(super) fn keyed_zip(v: &str) -> bool {
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
pub(super) fn keyed_uuid(v: &str) -> bool {
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
