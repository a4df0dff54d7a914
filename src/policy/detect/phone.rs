//! Phone numbers: digit groups, international (E.164) and national forms (NANP, trunk-0,
//! mobile), amounts that look like numbers.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sep {
    None,
    Space,
    Dash,
    Dot,
    Slash,
    Paren,
}

pub(super) const MAX_GROUPS: usize = 12;

/// A phone candidate split into digit groups.
pub(super) struct Groups {
    n: usize,
    start: [usize; MAX_GROUPS],
    end: [usize; MAX_GROUPS],
    /// Separator before each group (`Sep::None` for the first).
    sep: [Sep; MAX_GROUPS],
    paren: [bool; MAX_GROUPS],
}

impl Groups {
    pub(super) fn len(&self, g: usize) -> usize {
        self.end[g] - self.start[g]
    }

    pub(super) fn digits(&self, upto: usize) -> usize {
        (0..upto).map(|g| self.len(g)).sum()
    }
}

/// Splits `b[from..to]` into digit groups; `None` for anything but digits separated by single
/// separators (` `, `-`, `.`, `/`) and at most one parenthesised group. `open` says a `(` right
/// before `from` is still open ("(+44) 20 ...").
pub(super) fn digit_groups(b: &[u8], from: usize, to: usize, open: bool) -> Option<Groups> {
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
pub(super) fn country_code_len(d: &[u8]) -> Option<usize> {
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
pub(super) fn nsn_range(cc: u32) -> (usize, usize) {
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

pub(super) fn validate_international(text: &str, s: usize, e: usize, prefix: usize) -> Eval {
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

pub(super) fn prefix_u32(d: &[u8]) -> u32 {
    d.iter().fold(0, |a, &x| a * 10 + u32::from(x))
}

pub(super) fn sep_byte(sep: Sep) -> u8 {
    match sep {
        Sep::Space => b' ',
        Sep::Dash => b'-',
        Sep::Dot => b'.',
        Sep::Slash => b'/',
        Sep::None | Sep::Paren => b')',
    }
}

/// An amount, not a phone: "$ 612 345 678", "612 345 678,00 €", "712 345 678 EUR".
pub(super) fn looks_like_amount(b: &[u8], s: usize, e: usize) -> bool {
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

pub(super) fn validate_nanp(text: &str, s: usize, e: usize) -> Eval {
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

pub(super) fn validate_trunk(text: &str, s: usize, e: usize) -> Eval {
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

pub(super) fn validate_mobile(text: &str, s: usize, e: usize) -> Eval {
    let b = text.as_bytes();
    if glued_before(b, s, b".-/") || glued_after(b, e, b".-/:,") || looks_like_amount(b, s, e) {
        return reject(s);
    }
    found(s, e, PHONE)
}

pub(super) fn validate_grouped_national(text: &str, s: usize, e: usize) -> Eval {
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
