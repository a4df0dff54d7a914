//! Machine-readable zones of travel documents (ICAO Doc 9303, 8th edition, parts 3–6): the two
//! or three lines of `A–Z`, `0–9` and `<` printed at the foot of a passport's data page or on
//! the back of an identity card, which scanners and OCR flows copy into text.
//!
//! A data line is recognised by its layout and its check digits (part 3, 4.9: weights 7, 3, 1
//! over the character values, `<` = 0, digits as themselves, `A`–`Z` = 10–35, modulo 10):
//!
//! | format | lines × characters | data line | check digits over |
//! | --- | --- | --- | --- |
//! | TD3 (passports, part 4) | 2 × 44 | the second | document number, birth date, expiry, optional data, composite |
//! | TD2 (cards and visas, part 6) | 2 × 36 | the second | document number, birth date, expiry, composite |
//! | TD1 (identity cards, part 5) | 3 × 30 | the second | birth date, expiry, composite (and the document number on the first) |
//!
//! A line of names next to a data line (its first line, or TD1's third) goes with it: it holds
//! the holder's surname and given names. A name line alone is found when its layout cannot be
//! anything else: a document code, an issuing state, then a name field with the `<<` between
//! surname and given names and `<` filling it out (to about the format's length: a copy may lose or
//! gain a few fillers).

use super::*;

/// The value of an MRZ character in a check-digit sum.
fn value(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some(u32::from(c - b'0')),
        b'A'..=b'Z' => Some(u32::from(c - b'A') + 10),
        b'<' => Some(0),
        _ => None,
    }
}

/// The check digit of `field` (part 3, 4.9).
fn check_digit(field: &[u8]) -> Option<u8> {
    let mut sum = 0;
    for (i, &c) in field.iter().enumerate() {
        sum += value(c)? * [7, 3, 1][i % 3];
    }
    Some(b'0' + u8::try_from(sum % 10).expect("a digit"))
}

/// `field` followed by its check digit; a field left empty (all `<`) may carry `<` or `0`.
fn checked(field: &[u8], check: u8) -> bool {
    let empty = field.iter().all(|&c| c == b'<');
    check_digit(field) == Some(check) || (empty && check == b'<')
}

/// A date `YYMMDD` with a month and a day that exist (part 3: unknown parts may be `<`).
fn date(d: &[u8]) -> bool {
    if d.iter().all(|&c| c == b'<') {
        return true;
    }
    if !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let n = |i: usize| u32::from(d[i] - b'0') * 10 + u32::from(d[i + 1] - b'0');
    (1..=12).contains(&n(2)) && (1..=31).contains(&n(4))
}

/// A sex field: `F`, `M`, `X` or `<` (unspecified).
fn sex(c: u8) -> bool {
    matches!(c, b'F' | b'M' | b'X' | b'<')
}

/// The formats, by line length.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Td1,
    Td2,
    Td3,
}

impl Format {
    fn of(len: usize) -> Option<Format> {
        match len {
            30 => Some(Format::Td1),
            36 => Some(Format::Td2),
            44 => Some(Format::Td3),
            _ => None,
        }
    }
}

/// The data line of TD2 and TD3: document number, nationality, birth date, sex, expiry,
/// optional data, composite check.
fn data_line(l: &[u8], format: Format) -> bool {
    // TD3's optional data (28..42) has a check digit of its own; TD2's (28..35) has none. The
    // composite check covers all but the nationality and the sex.
    let last = l.len() - 1;
    let opt_ok = format != Format::Td3 || checked(&l[28..42], l[42]);
    let composite = [&l[0..10], &l[13..20], &l[21..last]].concat();
    checked(&l[0..9], l[9])
        && l[10..13]
            .iter()
            .all(|c| c.is_ascii_uppercase() || *c == b'<')
        && date(&l[13..19])
        && checked(&l[13..19], l[19])
        && sex(l[20])
        && date(&l[21..27])
        && checked(&l[21..27], l[27])
        && opt_ok
        && check_digit(&composite) == Some(l[last])
}

/// TD1's second line: birth date, sex, expiry, nationality, optional data, and the composite
/// check over the first line's number and optional data and this line's fields.
fn td1_data_line(l: &[u8]) -> bool {
    date(&l[0..6])
        && checked(&l[0..6], l[6])
        && sex(l[7])
        && date(&l[8..14])
        && checked(&l[8..14], l[14])
        && l[15..18]
            .iter()
            .all(|c| c.is_ascii_uppercase() || *c == b'<')
}

/// TD1's first line: a document code, the issuing state, the document number with its check.
fn td1_first_line(l: &[u8]) -> bool {
    l[0].is_ascii_uppercase()
        && l[2..5].iter().all(|c| c.is_ascii_uppercase() || *c == b'<')
        && checked(&l[5..14], l[14])
}

/// A name field: letters and `<`, a `<<` between the primary and secondary identifiers.
fn name_field(f: &[u8]) -> bool {
    f.first().is_some_and(u8::is_ascii_uppercase)
        && f.iter().all(|&c| c.is_ascii_uppercase() || c == b'<')
        && f.windows(2).any(|w| w == b"<<")
}

/// The first line of TD2 and TD3: a document code (`P`, `I`, `A`, `C`, `V` and a second letter
/// or `<`), the issuing state, the name field.
fn name_line(l: &[u8]) -> bool {
    matches!(l[0], b'P' | b'I' | b'A' | b'C' | b'V')
        && (l[1].is_ascii_uppercase() || l[1] == b'<')
        && l[2..5].iter().all(|c| c.is_ascii_uppercase() || *c == b'<')
        && name_field(&l[5..])
}

/// A name line alone: its field is filled out with `<` to the end, as only an MRZ writes it.
/// Copied by hand or by OCR, it may have lost or gained a few fillers: any length from 28 to
/// 50 with five fillers at its end.
fn lone_name_line(l: &[u8]) -> bool {
    (28..=50).contains(&l.len()) && name_line(l) && l.ends_with(b"<<<<<")
}

/// Appends the machine-readable zones in `text` to `out` (as `passport_number`, evidence
/// `format`), skipping what overlaps a finding from `from` on.
pub(super) fn scan(text: &str, out: &mut Vec<Finding>, from: usize) {
    let b = text.as_bytes();
    // The runs of MRZ characters that have a format's length.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        while i < b.len() && (b[i].is_ascii_uppercase() || b[i].is_ascii_digit() || b[i] == b'<') {
            i += 1;
        }
        // A run inside a word (`xL898…`, `…<<10_b`) is no line.
        let glued = |c: Option<&u8>| c.is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_');
        if (28..=50).contains(&(i - start))
            && !glued(start.checked_sub(1).and_then(|p| b.get(p)))
            && !glued(b.get(i))
        {
            runs.push((start, i));
        }
        i = i.max(start + 1);
    }
    // Two runs are lines of one zone when only white space (at most one line break's worth)
    // stands between them.
    let adjacent = |a: (usize, usize), c: (usize, usize)| {
        a.1 <= c.0 && c.0 - a.1 <= 4 && b[a.1..c.0].iter().all(u8::is_ascii_whitespace)
    };
    let mut lines: Vec<(usize, usize)> = Vec::new();
    for (k, &(s, e)) in runs.iter().enumerate() {
        let l = &b[s..e];
        let Some(format) = Format::of(l.len()) else {
            if lone_name_line(l) {
                lines.push((s, e));
            }
            continue;
        };
        let prev = k.checked_sub(1).map(|p| runs[p]);
        let next = runs.get(k + 1).copied();
        let same = |r: Option<(usize, usize)>| {
            r.filter(|&r| r.1 - r.0 == l.len() && (adjacent(r, (s, e)) || adjacent((s, e), r)))
        };
        match format {
            Format::Td2 | Format::Td3 if data_line(l, format) => {
                lines.push((s, e));
                if let Some(p) = same(prev).filter(|&(ps, pe)| name_line(&b[ps..pe])) {
                    lines.push(p);
                }
            }
            Format::Td2 | Format::Td3 if lone_name_line(l) => lines.push((s, e)),
            Format::Td1 if td1_data_line(l) => {
                let first = same(prev).filter(|&(ps, pe)| td1_first_line(&b[ps..pe]));
                let third = same(next).filter(|&(ns, ne)| name_field(&b[ns..ne]));
                // Alone, a TD1 data line is two checked dates: its composite check needs the
                // first line, so it counts only beside a line of the zone.
                let composite = first.is_some_and(|(ps, pe)| {
                    let f = &b[ps..pe];
                    let all = [&f[5..30], &l[0..7], &l[8..15], &l[18..29]].concat();
                    check_digit(&all) == Some(l[29])
                });
                if composite || third.is_some() {
                    lines.push((s, e));
                    lines.extend(first);
                    lines.extend(third);
                }
            }
            _ => {}
        }
    }
    lines.sort_unstable();
    lines.dedup();
    for (s, e) in lines {
        if no_overlap(&out[from..], s, e) {
            out.push(Finding {
                evidence: Evidence::Format,
                ..finding(s, e, PASSPORT_NUMBER)
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        scan(text, &mut out, 0);
        out.iter().map(|f| &text[f.start..f.end]).collect()
    }

    // The specimens of ICAO Doc 9303 (part 4, appendix A; part 5, appendix A; part 6).
    const TD3_1: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
    const TD3_2: &str = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
    const TD1_1: &str = "I<UTOD231458907<<<<<<<<<<<<<<<";
    const TD1_2: &str = "7408122F1204159UTO<<<<<<<<<<<6";
    const TD1_3: &str = "ERIKSSON<<ANNA<MARIA<<<<<<<<<<";
    const TD2_1: &str = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<";
    const TD2_2: &str = "D231458907UTO7408122F1204159<<<<<<<6";

    #[test]
    fn the_check_digits_of_the_specimens() {
        assert_eq!(check_digit(b"L898902C3"), Some(b'6'));
        assert_eq!(check_digit(b"740812"), Some(b'2'));
        assert_eq!(check_digit(b"120415"), Some(b'9'));
        assert_eq!(check_digit(b"ZE184226B<<<<<"), Some(b'1'));
        assert_eq!(check_digit(b"D23145890"), Some(b'7'));
    }

    #[test]
    fn zones_of_each_format_with_their_name_lines() {
        let td3 = format!("scanned MRZ:\n{TD3_1}\n{TD3_2}\nthanks");
        assert_eq!(found(&td3), [TD3_1, TD3_2]);
        let td1 = format!("{TD1_1}\n{TD1_2}\n{TD1_3}");
        assert_eq!(found(&td1), [TD1_1, TD1_2, TD1_3]);
        let td2 = format!("{TD2_1} {TD2_2}");
        assert_eq!(found(&td2), [TD2_1, TD2_2]);
        // A data line alone, and a name line alone, also with a filler lost or gained.
        assert_eq!(found(&format!("mrz line 2: {TD3_2}")), [TD3_2]);
        assert_eq!(found(&format!("ocr: {TD3_1}")), [TD3_1]);
        let longer = format!("{TD3_1}<<<<");
        assert_eq!(found(&format!("ocr: {longer}")), [longer.as_str()]);
        assert_eq!(found(&TD3_1[..41]), [&TD3_1[..41]]);
    }

    #[test]
    fn lines_that_fail_their_checks_or_layout_are_left() {
        let wrong_check = TD3_2.replace("C36", "C37");
        let wrong_date = TD3_2.replace("7408122", "7413122");
        let td1_alone = TD1_2;
        for text in [
            wrong_check.as_str(),
            wrong_date.as_str(),
            td1_alone,
            // Forty-four characters of a code, a hash, a name line without its filler.
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH",
            "SKU<<BLUE<<XL<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<1",
            "P<UTOERIKSSON<<ANNA<MARIA<JOHANNA<SOFIA<LUND",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
        // Glued into a longer run or a word, a line is no line.
        assert!(found(&format!("X{TD3_2}")).is_empty());
        assert!(found(&format!("x{TD3_2}")).is_empty());
    }
}
