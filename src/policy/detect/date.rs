//! The one date grammar: what `date_of_birth` finds and `generalize` coarsens to a year.

pub(super) use super::months_cldr::CLDR_MONTHS;

/// Month names (English, German, French, Spanish, Italian, Dutch, Portuguese) and abbreviations.
pub(super) const MONTHS: &[(&str, u8)] = &[
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
    // Beyond the seven: Hungarian, Romanian, Turkish and Polish (genitive, as dates write it).
    ("január", 1),
    ("február", 2),
    ("március", 3),
    ("április", 4),
    ("május", 5),
    ("június", 6),
    ("július", 7),
    ("augusztus", 8),
    ("szeptember", 9),
    ("október", 10),
    ("ianuarie", 1),
    ("februarie", 2),
    ("martie", 3),
    ("aprilie", 4),
    ("iunie", 6),
    ("iulie", 7),
    ("septembrie", 9),
    ("octombrie", 10),
    ("noiembrie", 11),
    ("decembrie", 12),
    ("ocak", 1),
    ("şubat", 2),
    ("subat", 2),
    ("mart", 3),
    ("nisan", 4),
    ("mayıs", 5),
    ("haziran", 6),
    ("temmuz", 7),
    ("ağustos", 8),
    ("eylül", 9),
    ("ekim", 10),
    ("kasım", 11),
    ("aralık", 12),
    ("stycznia", 1),
    ("lutego", 2),
    ("marca", 3),
    ("kwietnia", 4),
    ("maja", 5),
    ("czerwca", 6),
    ("lipca", 7),
    ("sierpnia", 8),
    ("września", 9),
    ("października", 10),
    ("listopada", 11),
    ("grudnia", 12),
    // ca (the months that differ from es, fr, it and pt)
    ("gener", 1),
    ("febrer", 2),
    ("març", 3),
    ("maig", 5),
    ("juny", 6),
    ("juliol", 7),
    ("agost", 8),
    ("setembre", 9),
    ("desembre", 12),
];

/// Words that may surround a written date without changing it.
pub(super) const DATE_FILLERS: &[&str] = &[
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
    // The year's word or abbreviation after or around it: Russian `8 марта 1971 г.`,
    // Ukrainian `р.`, Croatian and Serbian `1971. godine`, Lithuanian `1971 m. kovo 8 d.`.
    "г",
    "года",
    "год",
    "р",
    "року",
    "godine",
    "godina",
    "m",
    "d",
];

pub(super) fn days_in_month(month: u32, year: Option<u32>) -> u32 {
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

pub(super) fn valid_dmy(day: u32, month: u32, year: Option<u32>) -> bool {
    // Years 1300-1499 are of the Solar Hijri calendar of Iran and Afghanistan (`۱۳۶۵/۰۴/۲۲`,
    // 1365 is 1986) or the Islamic calendar (`١٤٠٥/٠٣/١٢ هـ`, 1405 is 1984): their months have
    // 29 to 31 days.
    let hijri = year.is_some_and(|y| (1300..1500).contains(&y));
    (1..=12).contains(&month)
        && day >= 1
        && day
            <= if hijri {
                31
            } else {
                days_in_month(month, year)
            }
        && year.is_none_or(|y| (1300..=2100).contains(&y))
}

pub(super) fn parse_u32(s: &str) -> Option<u32> {
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
pub(super) fn is_date(v: &str) -> bool {
    date_year(v).is_some()
}

/// The date grammar shared by `date_of_birth` and the `generalize: year` action: `Some` when the
/// whole of `v` is a date in one of the forms `is_date` lists, with what it says of the year.
pub fn date_year(v: &str) -> Option<DateYear> {
    if v.len() > 80 {
        return None;
    }
    // `1985年3月12日`, `1985년 3월 12일`: year, month and day, each with its unit.
    if !v.is_ascii() {
        let mut parts = v
            .split(|c: char| !c.is_ascii_digit())
            .filter(|p| !p.is_empty())
            .map(parse_u32);
        if let (Some(Some(y)), Some(Some(m)), Some(Some(d)), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
            && v.contains(['年', '년'])
        {
            return valid_dmy(d, m, Some(y)).then_some(DateYear::Year(y));
        }
    }
    // `14. 3. 1986` (Czech, Slovak, German by hand): the date without its spaces.
    if v.contains(". ")
        && v.bytes()
            .all(|c| c.is_ascii_digit() || c == b'.' || c == b' ')
    {
        let mut buf = [0u8; 80];
        let mut n = 0;
        for c in v.bytes().filter(|&c| c != b' ') {
            buf[n] = c;
            n += 1;
        }
        return std::str::from_utf8(&buf[..n]).ok().and_then(date_year);
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

pub(super) fn compact_date(d: &str) -> Option<u32> {
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

pub(super) fn split_time(v: &str) -> (&str, Option<&str>) {
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

pub(super) fn looks_like_time(t: &str) -> bool {
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
pub(super) fn numeric_date(d: &str) -> Option<Option<u32>> {
    if let Some(md) = d.strip_prefix("--") {
        // ISO 8601 without a year: --04-01
        return numeric_date_fields(md, Some(b'-'));
    }
    let d = d.strip_suffix('.').unwrap_or(d);
    numeric_date_fields(d, None)
}

pub(super) fn numeric_date_fields(d: &str, only_sep: Option<u8>) -> Option<Option<u32>> {
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

pub(super) fn month_number(word: &str) -> Option<u32> {
    // Case is folded for any script (`Марта`, `ΜΑΡΤΊΟΥ`); ASCII the cheap way.
    let same = |m: &str| {
        if word.is_ascii() {
            m.eq_ignore_ascii_case(word)
        } else {
            m.chars().eq(word.chars().flat_map(char::to_lowercase))
        }
    };
    MONTHS
        .iter()
        .chain(CLDR_MONTHS)
        .find(|(m, _)| same(m))
        .map(|(_, n)| u32::from(*n))
}

/// "April 1, 1990", "1. April 1990", "Sun Apr 01 1990 00:00:00 GMT+0200 (CEST)", "01-Apr-1990",
/// "1er avril 1990", "1 de abril de 1990", "April 1st".
/// `Some(year)` when `v` is a date with a month name (`Some(None)` without a four-digit year).
pub(super) fn named_date(v: &str) -> Option<Option<u32>> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_japanese_and_korean_dates_have_their_year() {
        assert_eq!(date_year("1985年3月12日"), Some(DateYear::Year(1985)));
        assert_eq!(date_year("1985년 3월 12일"), Some(DateYear::Year(1985)));
        assert_eq!(date_year("2000年2月29日"), Some(DateYear::Year(2000)));
        assert_eq!(date_year("1985年2月30日"), None);
        assert_eq!(date_year("1985年13月1日"), None);
    }
}
