//! Labelled corpus of national identifiers for the detector corpus test: valid numbers of 25
//! countries planted in sentences of analytics and support traffic, and look-alike negatives.
//!
//! Every number is built from the issuing authority's specification *here*: the check digits are
//! computed by this file's own code, never by privgate's validators, so that a mistake in either
//! shows up as a disagreement. Positives carry the detector that must find them and whether they
//! are a weak form (a bare digit run) that is only reportable thanks to a context word placed
//! within ~40 characters before it, or to the property key it is sent under. Negatives are
//! order, invoice and tracking numbers, product codes, phone numbers, counters and ids (some of
//! which pass a checksum by chance, without context), amounts, dates, timestamps, Heap user ids,
//! sentences that name an identifier without containing one, and invalid numbers next to their
//! context words.
//!
//! Self-contained (std only, its own splitmix64 generator); the corpus test includes it with
//! `#[path]`. The same seed gives the same corpus.

use std::ops::Range;

/// One planted identifier: `text[span]` is a valid identifier of `detector`.
#[derive(Debug, Clone)]
pub struct Planted {
    /// The value as sent: a sentence, or the bare identifier under `key`.
    pub text: String,
    /// Byte range of the identifier in `text`.
    pub span: Range<usize>,
    /// The detector that must find it.
    pub detector: &'static str,
    /// A weak form: reportable only thanks to a context word before it or to `key`.
    pub needs_context: bool,
    /// The property key the value is sent under, if any.
    pub key: Option<String>,
    /// Language of the sentence (ISO 639-1); of the key for a bare keyed value.
    pub lang: &'static str,
}

/// Positives per identifier.
const PER_IDENTIFIER: usize = 330;

/// Valid identifiers of every kind, across their written forms, in sentences or under keys.
pub fn positives(seed: u64) -> Vec<Planted> {
    let mut r = Rng(seed ^ 0x6E61_7469_6F6E_616C);
    let mut out = Vec::with_capacity(KINDS.len() * PER_IDENTIFIER);
    for kind in KINDS {
        for _ in 0..PER_IDENTIFIER {
            let value = (kind.make)(&mut r);
            out.push(plant(&mut r, kind, value));
        }
    }
    out
}

/// Texts (with the key they are sent under, if any) that contain no identifier a detector should
/// report: look-alikes without context, and context words without a valid identifier.
pub fn negatives(seed: u64) -> Vec<(String, Option<String>)> {
    let mut r = Rng(seed ^ 0x6E65_6761_7469_7665);
    let mut out = Vec::new();
    business_numbers(&mut r, &mut out);
    checksum_passing_without_context(&mut r, &mut out);
    amounts_dates_and_times(&mut r, &mut out);
    phones_and_ids(&mut r, &mut out);
    context_without_identifier(&mut out);
    invalid_with_context(&mut r, &mut out);
    out
}

// ---------------------------------------------------------------------------------------------
// seeded generator

/// splitmix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + (self.next() % u64::from(hi - lo + 1)) as u32
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }

    fn digits(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.below(10) as u8).collect()
    }

    fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.below(i + 1);
            xs.swap(i, j);
        }
    }
}

/// Digits as text.
fn text(d: &[u8]) -> String {
    d.iter().map(|&x| char::from(b'0' + x)).collect()
}

/// `n` as exactly `width` digits.
fn fixed(n: u64, width: usize) -> Vec<u8> {
    let mut d = vec![0u8; width];
    let mut n = n;
    for slot in d.iter_mut().rev() {
        *slot = (n % 10) as u8;
        n /= 10;
    }
    d
}

fn leap(year: u32) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn month_days(year: u32, month: u32) -> u32 {
    match month {
        2 if leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A random real date: (year, month, day).
fn date(r: &mut Rng, from: u32, to: u32) -> (u32, u32, u32) {
    let year = r.range(from, to);
    let month = r.range(1, 12);
    let day = r.range(1, month_days(year, month));
    (year, month, day)
}

// ---------------------------------------------------------------------------------------------
// valid identifiers, built from each specification

/// A generated identifier in one of its written forms.
struct Value {
    text: String,
    /// A form that needs no context (letters, or the identifier's own separator layout).
    strong: bool,
}

fn strong(text: String) -> Value {
    Value { text, strong: true }
}

fn weak(text: String) -> Value {
    Value {
        text,
        strong: false,
    }
}

/// HMRC NIM39110: prefix letters, six digits, suffix A–D.
fn uk_nino(r: &mut Rng) -> Value {
    const FIRST: &[u8] = b"ABCEGHJKLMNOPRSTWXYZ";
    const SECOND: &[u8] = b"ABCEGHJKLMNPRSTWXYZ";
    const UNUSED: [&str; 7] = ["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"];
    let prefix = loop {
        let p: String = [r.pick(FIRST), r.pick(SECOND)]
            .iter()
            .map(|&b| char::from(b))
            .collect();
        if !UNUSED.contains(&p.as_str()) {
            break p;
        }
    };
    let d = text(&r.digits(6));
    let suffix = char::from(r.pick(b"ABCD"));
    let (a, b, c) = (&d[..2], &d[2..4], &d[4..]);
    match r.below(10) {
        0..=2 => strong(format!("{prefix}{d}{suffix}")),
        3..=5 => strong(format!("{prefix} {a} {b} {c} {suffix}")),
        6 => strong(format!("{prefix} {d} {suffix}")),
        7 => strong(format!("{prefix}{d}{suffix}").to_lowercase()),
        _ => weak(format!("{prefix}{d}")),
    }
}

/// BSN 11-proef: 9·d1 + … + 2·d8 − d9 ≡ 0 (mod 11).
fn bsn_check(first8: &[u8]) -> Option<u8> {
    let s: u32 = first8
        .iter()
        .zip((2..=9).rev())
        .map(|(&d, w)| u32::from(d) * w)
        .sum();
    let c = s % 11;
    (c < 10).then_some(c as u8)
}

fn nl_bsn(r: &mut Rng) -> Value {
    loop {
        let mut d = r.digits(8);
        if d[0] == 0 && d[1] == 0 {
            continue;
        }
        let Some(c) = bsn_check(&d) else { continue };
        d.push(c);
        let t = text(&d);
        return match r.below(8) {
            0..=2 => strong(format!("{}.{}.{}", &t[..4], &t[4..6], &t[6..])),
            3 => weak(format!("{} {} {}", &t[..3], &t[3..6], &t[6..])),
            4 if d[0] == 0 => weak(t[1..].to_owned()),
            _ => weak(t),
        };
    }
}

/// NIR key: 97 − (13 digits mod 97), Corsica 2A → 19, 2B → 18.
fn nir_key(body: &str) -> u64 {
    let n: u64 = body
        .replace("2A", "19")
        .replace("2B", "18")
        .parse()
        .expect("thirteen digits");
    97 - n % 97
}

fn fr_nir(r: &mut Rng) -> Value {
    let sex = r.pick(&[1, 1, 1, 2, 2, 2, 7, 8]);
    let yy = r.range(0, 99);
    let mm = if r.chance(5) {
        r.pick(&[20u32, 31, 35, 42, 50, 63])
    } else {
        r.range(1, 12)
    };
    let dept = match r.below(25) {
        0 => "2A".to_owned(),
        1 => "2B".to_owned(),
        2 | 3 => "99".to_owned(),
        4 => "97".to_owned(),
        _ => format!(
            "{:02}",
            r.pick(&[1, 6, 13, 14, 31, 33, 44, 59, 67, 69, 75, 78, 92, 93, 95])
        ),
    };
    let commune = r.range(1, 999);
    let order = r.range(1, 999);
    let body = format!("{sex}{yy:02}{mm:02}{dept}{commune:03}{order:03}");
    let key = nir_key(&body);
    let corsica = dept.starts_with("2A") || dept.starts_with("2B");
    match r.below(5) {
        0..=2 => strong(format!(
            "{sex} {yy:02} {mm:02} {dept} {commune:03} {order:03} {key:02}"
        )),
        _ if corsica => strong(format!("{body}{key:02}")),
        3 => weak(format!("{body} {key:02}")),
        _ => weak(format!("{body}{key:02}")),
    }
}

/// ISO 7064 MOD 11,10 as written in BGBl. I 1993 S. 736 (Anlage 3 ZMDV) and used for the IdNr.
fn mod11_10(d: &[u8]) -> u8 {
    let mut produkt = 10u32;
    for &c in d {
        let mut summe = (u32::from(c) + produkt) % 10;
        if summe == 0 {
            summe = 10;
        }
        produkt = (2 * summe) % 11;
    }
    let pz = 11 - produkt;
    if pz == 10 { 0 } else { pz as u8 }
}

fn de_steuer_id(r: &mut Rng) -> Value {
    loop {
        let triple = r.chance(20);
        let twin = r.below(10) as u8;
        let mut others: Vec<u8> = (0..10).filter(|&x| x != twin).collect();
        r.shuffle(&mut others);
        let mut d = vec![twin; if triple { 3 } else { 2 }];
        d.extend(&others[..if triple { 7 } else { 8 }]);
        r.shuffle(&mut d);
        if d[0] == 0 || (triple && d.windows(3).any(|w| w == [twin; 3])) {
            continue;
        }
        d.push(mod11_10(&d));
        let t = text(&d);
        return if r.chance(45) {
            strong(format!("{} {} {} {}", &t[..2], &t[2..5], &t[5..8], &t[8..]))
        } else {
            weak(t)
        };
    }
}

const DNI_TABLE: &[u8] = b"TRWAGMYFPDXBNJZSQVHLCKE";

fn es_dni(r: &mut Rng) -> Value {
    let n = u64::from(r.range(1, 99_999_999));
    let letter = char::from(DNI_TABLE[(n % 23) as usize]);
    let t = text(&fixed(n, 8));
    strong(match r.below(4) {
        0 | 1 => format!("{t}{letter}"),
        2 => format!("{t}-{letter}"),
        _ => format!("{}.{}.{}-{letter}", &t[..2], &t[2..5], &t[5..]),
    })
}

fn es_nie(r: &mut Rng) -> Value {
    let lead = r.below(3);
    let n = u64::from(r.range(0, 9_999_999));
    let letter = char::from(DNI_TABLE[((lead as u64 * 10_000_000 + n) % 23) as usize]);
    let prefix = char::from(b"XYZ"[lead]);
    let t = text(&fixed(n, 7));
    strong(if r.chance(70) {
        format!("{prefix}{t}{letter}")
    } else {
        format!("{prefix}-{t}-{letter}")
    })
}

/// Codice fiscale check letter (DM 23/12/1976): odd positions by the conversion table, even
/// positions by their ordinal, sum mod 26.
fn cf_check(first15: &[u8]) -> u8 {
    // Values of 0–9 and A–Z in odd positions.
    const ODD_DIGITS: [u32; 10] = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21];
    const ODD_LETTERS: [u32; 26] = [
        1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24,
        23,
    ];
    let mut sum = 0;
    for (i, &c) in first15.iter().enumerate() {
        let odd = i % 2 == 0; // positions count from 1
        sum += match (odd, c.is_ascii_digit()) {
            (true, true) => ODD_DIGITS[usize::from(c - b'0')],
            (true, false) => ODD_LETTERS[usize::from(c - b'A')],
            (false, true) => u32::from(c - b'0'),
            (false, false) => u32::from(c - b'A'),
        };
    }
    b'A' + (sum % 26) as u8
}

fn it_codice_fiscale(r: &mut Rng) -> Value {
    const NAME: &[u8] = b"BCDFGLMNPRSTVZAEIOX";
    let mut c: Vec<u8> = (0..6).map(|_| r.pick(NAME)).collect();
    c.extend(text(&fixed(u64::from(r.range(0, 99)), 2)).bytes());
    c.push(r.pick(b"ABCDEHLMPRST"));
    let day = r.range(1, 28) + if r.chance(50) { 40 } else { 0 };
    c.extend(format!("{day:02}").bytes());
    c.extend(r.pick(&[
        b"H501", b"F205", b"A662", b"L219", b"D612", b"G273", b"Z404", b"Z112",
    ]));
    if r.chance(12) {
        // Omocodia: the rightmost digits become letters.
        for &pos in [14, 13, 12, 10, 9, 7, 6]
            .iter()
            .take(r.range(1, 3) as usize)
        {
            c[pos] = b"LMNPQRSTUV"[usize::from(c[pos] - b'0')];
        }
    }
    c.push(cf_check(&c));
    let t = String::from_utf8(c).expect("ASCII");
    strong(if r.chance(10) { t.to_lowercase() } else { t })
}

/// Rijksregisternummer check: 97 − (9 digits mod 97), with 2 000 000 000 added from 2000.
fn be_check(body9: u64, year: u32) -> u64 {
    let n = if year >= 2000 {
        2_000_000_000 + body9
    } else {
        body9
    };
    97 - n % 97
}

fn be_nrn(r: &mut Rng) -> Value {
    let (year, month, day) = date(r, 1935, 2022);
    let coded_month = match r.below(20) {
        0 => month + 20,
        1 => month + 40,
        _ => month,
    };
    let counter = r.range(1, 997);
    let (yy, mm, dd) = (year % 100, coded_month, day);
    let body = u64::from(yy) * 10_000_000
        + u64::from(mm) * 100_000
        + u64::from(dd) * 1000
        + u64::from(counter);
    let check = be_check(body, year);
    match r.below(7) {
        0..=2 => strong(format!("{yy:02}.{mm:02}.{dd:02}-{counter:03}.{check:02}")),
        3 => strong(format!("{yy:02}{mm:02}{dd:02} {counter:03} {check:02}")),
        4 => strong(format!("{yy:02}.{mm:02}.{dd:02}.{counter:03}-{check:02}")),
        _ => weak(format!("{yy:02}{mm:02}{dd:02}{counter:03}{check:02}")),
    }
}

/// PESEL check digit: weights 1, 3, 7, 9, … and (10 − sum mod 10) mod 10.
fn pesel_check(first10: &[u8]) -> u8 {
    let w = [1, 3, 7, 9];
    let s: u32 = first10
        .iter()
        .enumerate()
        .map(|(i, &d)| u32::from(d) * w[i % 4])
        .sum();
    ((10 - s % 10) % 10) as u8
}

fn pl_pesel(r: &mut Rng) -> Value {
    let (year, month, day) = date(r, 1920, 2024);
    let coded = if year >= 2000 { month + 20 } else { month };
    let mut d = fixed(u64::from(year % 100), 2);
    d.extend(fixed(u64::from(coded), 2));
    d.extend(fixed(u64::from(day), 2));
    d.extend(r.digits(4));
    d.push(pesel_check(&d));
    weak(text(&d))
}

/// Luhn check digit of `payload` (the digit to append).
fn luhn_digit(payload: &[u8]) -> u8 {
    // Doubling starts at the rightmost payload digit.
    let s: u32 = payload
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 0 {
                let x = 2 * d;
                x / 10 + x % 10
            } else {
                d
            }
        })
        .sum();
    ((10 - s % 10) % 10) as u8
}

fn se_personnummer(r: &mut Rng) -> Value {
    let (year, month, day) = date(r, 1915, 2023);
    let coded_day = if r.chance(10) { day + 60 } else { day };
    let mut d = fixed(u64::from(year % 100), 2);
    d.extend(fixed(u64::from(month), 2));
    d.extend(fixed(u64::from(coded_day), 2));
    d.extend(fixed(u64::from(r.range(1, 999)), 3));
    d.push(luhn_digit(&d));
    let t = text(&d);
    let (birth, number) = (&t[..6], &t[6..]);
    let century = year / 100;
    match r.below(8) {
        0..=2 => strong(format!(
            "{birth}{}{number}",
            if year <= 1924 { '+' } else { '-' }
        )),
        3 | 4 => strong(format!("{century}{birth}-{number}")),
        5 => weak(format!("{century}{t}")),
        _ => weak(t),
    }
}

fn dk_cpr(r: &mut Rng) -> Value {
    loop {
        let (year, month, day) = date(r, 1937, 2024);
        let yy = year % 100;
        // CPR-kontoret: the 7th digit and the year give the century.
        let seventh: &[u8] = match year {
            1900..=1999 if yy >= 37 => &[0, 1, 2, 3, 4, 9],
            1900..=1999 => &[0, 1, 2, 3],
            _ if yy <= 36 => &[4, 9, 5, 6, 7, 8],
            _ => &[5, 6, 7, 8],
        };
        let mut d = fixed(u64::from(day), 2);
        d.extend(fixed(u64::from(month), 2));
        d.extend(fixed(u64::from(yy), 2));
        d.push(r.pick(seventh));
        d.extend(r.digits(2));
        let weights = [4, 3, 2, 7, 6, 5, 4, 3, 2];
        let s: u32 = d.iter().zip(weights).map(|(&x, w)| u32::from(x) * w).sum();
        let last = (11 - s % 11) % 11;
        if last == 10 {
            continue;
        }
        d.push(last as u8);
        let t = text(&d);
        return match r.below(10) {
            0..=5 => strong(format!("{}-{}", &t[..6], &t[6..])),
            6 => {
                // A post-2007 number without the mod-11 property (issued for 1 January dates).
                let mut late = t.clone().into_bytes();
                late[..4].copy_from_slice(b"0101");
                late[9] = b'0' + (late[9] - b'0' + 1) % 10;
                let late = String::from_utf8(late).expect("ASCII");
                let d: Vec<u8> = late.bytes().map(|b| b - b'0').collect();
                let w = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1];
                if d.iter().zip(w).map(|(&x, w)| u32::from(x) * w).sum::<u32>() % 11 == 0 {
                    continue;
                }
                weak(format!("{}-{}", &late[..6], &late[6..]))
            }
            _ => weak(t),
        };
    }
}

fn fi_hetu(r: &mut Rng) -> Value {
    const CHECK: &[u8] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";
    let (year, month, day) = date(r, 1895, 2023);
    let sign = match year {
        ..=1899 => '+',
        1900..=1999 => {
            if r.chance(80) {
                '-'
            } else {
                char::from(r.pick(b"YXWVU"))
            }
        }
        _ => {
            if r.chance(80) {
                'A'
            } else {
                char::from(r.pick(b"BCDEF"))
            }
        }
    };
    let individual = r.range(2, 899);
    let n = u64::from(day) * 10_000_000
        + u64::from(month) * 100_000
        + u64::from(year % 100) * 1000
        + u64::from(individual);
    let check = char::from(CHECK[(n % 31) as usize]);
    strong(format!(
        "{day:02}{month:02}{:02}{sign}{individual:03}{check}",
        year % 100
    ))
}

/// The two fødselsnummer check digits, or `None` when one would be 10 (never issued).
fn fnr_checks(first9: &[u8]) -> Option<(u8, u8)> {
    let k = |d: &[u8], w: &[u32]| -> Option<u8> {
        let s: u32 = d.iter().zip(w).map(|(&x, &w)| u32::from(x) * w).sum();
        match 11 - s % 11 {
            11 => Some(0),
            10 => None,
            v => Some(v as u8),
        }
    };
    let k1 = k(first9, &[3, 7, 6, 1, 8, 9, 4, 5, 2])?;
    let mut ten = first9.to_vec();
    ten.push(k1);
    let k2 = k(&ten, &[5, 4, 3, 2, 7, 6, 5, 4, 3, 2])?;
    Some((k1, k2))
}

fn no_fodselsnummer(r: &mut Rng) -> Value {
    loop {
        let (year, month, day) = date(r, 1940, 2023);
        // Skatteetaten: individual numbers 000–499 for 1900–1999, 900–999 also for 1940–1999,
        // 500–999 for 2000–2039.
        let individual = if year < 2000 {
            if r.chance(85) {
                r.range(0, 499)
            } else {
                r.range(900, 999)
            }
        } else {
            r.range(500, 999)
        };
        let coded_day = if r.chance(10) { day + 40 } else { day };
        let mut d = fixed(u64::from(coded_day), 2);
        d.extend(fixed(u64::from(month), 2));
        d.extend(fixed(u64::from(year % 100), 2));
        d.extend(fixed(u64::from(individual), 3));
        let Some((k1, k2)) = fnr_checks(&d) else {
            continue;
        };
        d.push(k1);
        d.push(k2);
        let t = text(&d);
        return if r.chance(40) {
            strong(format!("{} {}", &t[..6], &t[6..]))
        } else {
            weak(t)
        };
    }
}

fn at_svnr(r: &mut Rng) -> Value {
    loop {
        let serial = fixed(u64::from(r.range(100, 999)), 3);
        let (year, month, day) = date(r, 1930, 2023);
        let mut birth = fixed(u64::from(day), 2);
        birth.extend(fixed(u64::from(month), 2));
        birth.extend(fixed(u64::from(year % 100), 2));
        let s: u32 = serial
            .iter()
            .chain(&birth)
            .zip([3, 7, 9, 5, 8, 4, 2, 1, 6])
            .map(|(&d, w)| u32::from(d) * w)
            .sum();
        if s % 11 == 10 {
            continue;
        }
        let number = format!("{}{}", text(&serial), s % 11);
        let birth = text(&birth);
        return if r.chance(55) {
            strong(format!("{number} {birth}"))
        } else {
            weak(format!("{number}{birth}"))
        };
    }
}

fn pt_nif(r: &mut Rng) -> Value {
    let lead: &[u8] = match r.below(10) {
        0 | 1 => &[1],
        2 | 3 => &[2],
        4 => &[3],
        5 => &[5],
        6 => &[6],
        7 => &[4, 5],
        8 => &[9, 8],
        _ => &[7, 0],
    };
    let mut d = lead.to_vec();
    d.extend(r.digits(8 - lead.len()));
    let s: u32 = d
        .iter()
        .zip((2..=9).rev())
        .map(|(&x, w)| u32::from(x) * w)
        .sum();
    let c = 11 - s % 11;
    d.push(if c >= 10 { 0 } else { c as u8 });
    let t = text(&d);
    weak(if r.chance(40) {
        format!("{} {} {}", &t[..3], &t[3..6], &t[6..])
    } else {
        t
    })
}

fn ie_ppsn(r: &mut Rng) -> Value {
    let d = loop {
        let d = r.digits(7);
        if d.iter().any(|&x| x != 0) {
            break d;
        }
    };
    let second = match r.below(20) {
        0..=11 => None,
        12..=16 => Some(b'A'),
        17 => Some(b'B'),
        _ => Some(b'W'),
    };
    let letter_value = match second {
        Some(b'W') | None => 0,
        Some(l) => u32::from(l - b'A' + 1),
    };
    let s: u32 = d
        .iter()
        .zip((2..=8).rev())
        .map(|(&x, w)| u32::from(x) * w)
        .sum::<u32>()
        + 9 * letter_value;
    let check = match s % 23 {
        0 => 'W',
        v => char::from(b'A' + v as u8 - 1),
    };
    let mut t = format!("{}{check}", text(&d));
    if let Some(l) = second {
        t.push(char::from(l));
    }
    strong(t)
}

fn ch_ahv(r: &mut Rng) -> Value {
    let mut d = vec![7, 5, 6];
    d.extend(r.digits(9));
    // EAN-13: weights 1 and 3 alternating from the left.
    let s: u32 = d
        .iter()
        .enumerate()
        .map(|(i, &x)| u32::from(x) * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    d.push(((10 - s % 10) % 10) as u8);
    let t = text(&d);
    let (a, b, c, e) = (&t[..3], &t[3..7], &t[7..11], &t[11..]);
    match r.below(10) {
        0..=5 => strong(format!("{a}.{b}.{c}.{e}")),
        6 => strong(format!("{a} {b} {c} {e}")),
        _ => weak(t),
    }
}

fn us_itin(r: &mut Rng) -> Value {
    let area = r.range(900, 999);
    let group = loop {
        let g = r.range(50, 99);
        if matches!(g, 50..=65 | 70..=88 | 90..=92 | 94..=99) {
            break g;
        }
    };
    let serial = r.range(0, 9999);
    match r.below(10) {
        0..=5 => strong(format!("{area}-{group}-{serial:04}")),
        6 => strong(format!("{area} {group} {serial:04}")),
        _ => weak(format!("{area}{group}{serial:04}")),
    }
}

fn ca_sin(r: &mut Rng) -> Value {
    let mut d = vec![r.pick(&[1, 2, 3, 4, 5, 6, 7, 9])];
    d.extend(r.digits(7));
    d.push(luhn_digit(&d));
    let t = text(&d);
    weak(match r.below(3) {
        0 => format!("{} {} {}", &t[..3], &t[3..6], &t[6..]),
        1 => format!("{}-{}-{}", &t[..3], &t[3..6], &t[6..]),
        _ => t,
    })
}

/// The two CPF check digits: weights 10…2, then 11…2; a remainder below 2 gives 0.
fn cpf_checks(first9: &[u8]) -> (u8, u8) {
    let dv = |d: &[u8]| -> u8 {
        let top = d.len() as u32 + 1;
        let s: u32 = d
            .iter()
            .enumerate()
            .map(|(i, &x)| u32::from(x) * (top - i as u32))
            .sum();
        match s % 11 {
            0 | 1 => 0,
            v => (11 - v) as u8,
        }
    };
    let a = dv(first9);
    let mut ten = first9.to_vec();
    ten.push(a);
    (a, dv(&ten))
}

fn br_cpf(r: &mut Rng) -> Value {
    let d = loop {
        let d = r.digits(9);
        if d.iter().any(|&x| x != d[0]) {
            break d;
        }
    };
    let (a, b) = cpf_checks(&d);
    let t = text(&d);
    match r.below(10) {
        0..=5 => strong(format!("{}.{}.{}-{a}{b}", &t[..3], &t[3..6], &t[6..])),
        6 => strong(format!("{t}-{a}{b}")),
        _ => weak(format!("{t}{a}{b}")),
    }
}

/// Verhoeff's tables: the D5 multiplication, the position permutations and the inverses.
const VERHOEFF_D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const VERHOEFF_INV: [u8; 10] = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

/// The Verhoeff check digit to append to `payload`.
fn verhoeff_digit(payload: &[u8]) -> u8 {
    let mut c = 0u8;
    for (i, &d) in payload.iter().rev().enumerate() {
        c = VERHOEFF_D[usize::from(c)][usize::from(VERHOEFF_P[(i + 1) % 8][usize::from(d)])];
    }
    VERHOEFF_INV[usize::from(c)]
}

fn in_aadhaar(r: &mut Rng) -> Value {
    let mut d = vec![r.range(2, 9) as u8];
    d.extend(r.digits(10));
    d.push(verhoeff_digit(&d));
    let t = text(&d);
    weak(match r.below(4) {
        0 | 1 => format!("{} {} {}", &t[..4], &t[4..8], &t[8..]),
        2 => format!("{}-{}-{}", &t[..4], &t[4..8], &t[8..]),
        _ => t,
    })
}

fn ro_cnp(r: &mut Rng) -> Value {
    loop {
        let (year, month, day) = date(r, 1920, 2024);
        let sex = if year >= 2000 { 5 } else { 1 } + r.below(2) as u8;
        let mut d = vec![sex];
        d.extend(fixed(u64::from(year % 100), 2));
        d.extend(fixed(u64::from(month), 2));
        d.extend(fixed(u64::from(day), 2));
        d.extend(fixed(u64::from(r.range(1, 52)), 2));
        d.extend(r.digits(3));
        let sum: u32 = d
            .iter()
            .zip([2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9])
            .map(|(&x, w)| u32::from(x) * w)
            .sum::<u32>()
            % 11;
        d.push(if sum == 10 { 1 } else { sum as u8 });
        if d.len() == 13 {
            return weak(text(&d));
        }
    }
}

fn tr_tckn(r: &mut Rng) -> Value {
    let mut d = vec![r.range(1, 9) as u8];
    d.extend(r.digits(8));
    let odd: u32 = [0, 2, 4, 6, 8].iter().map(|&i| u32::from(d[i])).sum();
    let even: u32 = [1, 3, 5, 7].iter().map(|&i| u32::from(d[i])).sum();
    d.push(((odd * 7 + 90 - even) % 10) as u8);
    let sum: u32 = d.iter().map(|&x| u32::from(x)).sum();
    d.push((sum % 10) as u8);
    weak(text(&d))
}

fn cz_rodne_cislo(r: &mut Rng) -> Value {
    loop {
        let (year, month, day) = date(r, 1954, 2024);
        let coded = month + if r.chance(50) { 50 } else { 0 };
        let mut d = fixed(u64::from(year % 100), 2);
        d.extend(fixed(u64::from(coded), 2));
        d.extend(fixed(u64::from(day), 2));
        d.extend(r.digits(3));
        let first9 = d.iter().fold(0u64, |n, &x| n * 10 + u64::from(x));
        let check = (11 - first9 * 10 % 11) % 11;
        if check == 10 {
            continue;
        }
        d.push(check as u8);
        let t = text(&d);
        return if r.chance(75) {
            strong(format!("{}/{}", &t[..6], &t[6..]))
        } else {
            weak(t)
        };
    }
}

/// GB 11643-1999: province-level address code, birth date, order code, ISO 7064 MOD 11-2.
fn cn_ric(r: &mut Rng) -> Value {
    const PROVINCES: &[u64] = &[11, 12, 13, 31, 32, 33, 35, 37, 42, 44, 50, 51, 61, 65];
    let mut d = fixed(r.pick(PROVINCES), 2);
    d.extend(r.digits(4));
    let (year, month, day) = date(r, 1940, 2015);
    d.extend(fixed(u64::from(year), 4));
    d.extend(fixed(u64::from(month), 2));
    d.extend(fixed(u64::from(day), 2));
    d.extend(r.digits(3));
    // Weight of position i (from the left) is 2^(17 - i) mod 11.
    let sum: u64 = d
        .iter()
        .enumerate()
        .map(|(i, &x)| u64::from(x) * ((1u64 << (17 - i)) % 11))
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    let t = format!("{}{check}", text(&d));
    if check == 'X' {
        strong(t)
    } else if r.chance(20) {
        strong(format!("{} {} {}", &t[..6], &t[6..14], &t[14..]))
    } else {
        weak(t)
    }
}

/// Korean resident registration number: YYMMDD, sex and century digit, six digits, the last a
/// check digit until 2020.
fn kr_rrn(r: &mut Rng) -> Value {
    let (year, month, day) = date(r, 1940, 2019);
    let mut d = fixed(u64::from(year % 100), 2);
    d.extend(fixed(u64::from(month), 2));
    d.extend(fixed(u64::from(day), 2));
    d.push(if year < 2000 { 1 } else { 3 } + r.below(2) as u8);
    d.extend(r.digits(5));
    let sum: u32 = d
        .iter()
        .zip([2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5])
        .map(|(&x, w)| u32::from(x) * w)
        .sum();
    let check = ((11 - sum % 11) % 10) as u8;
    match r.below(10) {
        0..=5 => {
            d.push(check);
            let t = text(&d);
            strong(format!("{}-{}", &t[..6], &t[6..]))
        }
        6 | 7 => {
            // Issued since October 2020: no check digit.
            d.push((check + 1 + r.below(9) as u8) % 10);
            let t = text(&d);
            weak(format!("{}-{}", &t[..6], &t[6..]))
        }
        _ => {
            d.push(check);
            weak(text(&d))
        }
    }
}

/// Japanese individual number: eleven digits and the check digit of the My Number Act's order.
fn jp_my_number(r: &mut Rng) -> Value {
    let d = r.digits(11);
    let sum: u32 = (1..=11u32)
        .map(|n| u32::from(d[11 - n as usize]) * if n <= 6 { n + 1 } else { n - 5 })
        .sum();
    let check = if sum % 11 <= 1 { 0 } else { 11 - sum % 11 };
    let t = format!("{}{check}", text(&d));
    weak(match r.below(3) {
        0 => t,
        1 => format!("{} {} {}", &t[..4], &t[4..8], &t[8..]),
        _ => format!("{}-{}-{}", &t[..4], &t[4..8], &t[8..]),
    })
}

/// Singapore NRIC or FIN: prefix, seven digits, check letter (ICA weights and tables).
fn sg_nric(r: &mut Rng) -> Value {
    let prefix = r.pick(b"STFG");
    let d = r.digits(7);
    let sum: u32 = d
        .iter()
        .zip([2, 7, 6, 5, 4, 3, 2])
        .map(|(&x, w)| u32::from(x) * w)
        .sum::<u32>()
        + if matches!(prefix, b'T' | b'G') { 4 } else { 0 };
    let table: &[u8] = if matches!(prefix, b'S' | b'T') {
        b"JZIHGFEDCBA"
    } else {
        b"XWUTRQPNMLK"
    };
    let check = char::from(table[(sum % 11) as usize]);
    strong(format!("{}{}{check}", char::from(prefix), text(&d)))
}

/// Hong Kong identity card: one or two letters, six digits, the check character in
/// parentheses (strong) or glued on (weak).
fn hk_hkid(r: &mut Rng) -> Value {
    let letters: Vec<u8> = (0..if r.chance(20) { 2 } else { 1 })
        .map(|_| b'A' + r.below(26) as u8)
        .collect();
    let d = r.digits(6);
    let value = |c: u8| u32::from(c - b'A') + 10;
    let (first, second) = match letters.as_slice() {
        [a, b] => (value(*a), value(*b)),
        [a] => (36, value(*a)),
        _ => unreachable!("one or two letters"),
    };
    let sum = 9 * first
        + 8 * second
        + d.iter()
            .zip([7, 6, 5, 4, 3, 2])
            .map(|(&x, w)| u32::from(x) * w)
            .sum::<u32>();
    let check = match (11 - sum % 11) % 11 {
        10 => 'A',
        n => char::from(b'0' + n as u8),
    };
    let head = format!("{}{}", String::from_utf8(letters).expect("ASCII"), text(&d));
    if r.chance(80) {
        strong(format!("{head}({check})"))
    } else {
        weak(format!("{head}{check}"))
    }
}

/// South African identity number: birth date, sequence, citizenship, 8, Luhn digit; grouped
/// 6-4-3 (strong) or bare (weak).
fn za_id(r: &mut Rng) -> Value {
    let mut d = fixed(u64::from(r.range(0, 99)), 2);
    d.extend(fixed(u64::from(r.range(1, 12)), 2));
    d.extend(fixed(u64::from(r.range(1, 28)), 2));
    d.extend(fixed(u64::from(r.range(0, 9999)), 4));
    d.push(r.pick(&[0u8, 0, 0, 1]));
    d.push(8);
    let check = luhn_digit(&d);
    d.push(check);
    let t = text(&d);
    if r.chance(40) {
        strong(format!("{} {} {}", &t[..6], &t[6..10], &t[10..]))
    } else {
        weak(t)
    }
}

fn au_tfn(r: &mut Rng) -> Value {
    loop {
        if r.chance(15) {
            // Older eight-digit numbers: weights 10, 7, 8, 4, 6, 3, 5, then 1 on the check.
            let mut d = r.digits(7);
            let s: u32 = d
                .iter()
                .zip([10, 7, 8, 4, 6, 3, 5])
                .map(|(&x, w)| u32::from(x) * w)
                .sum();
            let last = (11 - s % 11) % 11;
            if last == 10 || s == 0 {
                continue;
            }
            d.push(last as u8);
            return weak(text(&d));
        }
        let mut d = r.digits(8);
        let s: u32 = d
            .iter()
            .zip([1, 4, 3, 7, 5, 8, 6, 9])
            .map(|(&x, w)| u32::from(x) * w)
            .sum();
        // The last weight is 10 ≡ −1 (mod 11): the check digit is the sum mod 11.
        let last = s % 11;
        if last == 10 || s == 0 {
            continue;
        }
        d.push(last as u8);
        let t = text(&d);
        return weak(if r.chance(50) {
            format!("{} {} {}", &t[..3], &t[3..6], &t[6..])
        } else {
            t
        });
    }
}

// ---------------------------------------------------------------------------------------------
// sentences

/// One identifier: how to make valid values, sentences that name it right before the number,
/// and keys it is sent under.
/// Deutsche Rentenversicherung, VKVV § 2: area, DDMMYY, initial, serial, check digit.
fn de_rvnr(r: &mut Rng) -> Value {
    let area = fixed(u64::from(r.range(2, 89)), 2);
    let (day, month, yy) = (r.range(1, 28), r.range(1, 12), r.range(0, 99));
    let mut d = area;
    d.extend(fixed(u64::from(day * 10_000 + month * 100 + yy), 6));
    let letter = b'A' + r.below(26) as u8;
    let place = letter - b'A' + 1;
    let serial = fixed(u64::from(r.range(0, 99)), 2);
    let mut weighted = d.clone();
    weighted.extend([place / 10, place % 10]);
    weighted.extend(&serial);
    let sum: u32 = weighted
        .iter()
        .zip([2u32, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1])
        .map(|(&x, w)| {
            let p = u32::from(x) * w;
            p / 10 + p % 10
        })
        .sum();
    let (head, birth) = (text(&d[..2]), text(&d[2..]));
    let tail = format!("{}{}", text(&serial), sum % 10);
    let letter = char::from(letter);
    strong(match r.below(3) {
        0 => format!("{head} {birth} {letter} {tail}"),
        1 => format!("{head}{birth}{letter}{tail}"),
        _ => format!("{head} {birth} {letter}{tail}"),
    })
}

/// NHS Data Dictionary: ten digits, modulus 11 check (weights 10 to 2), 10 never issued.
fn uk_nhs(r: &mut Rng) -> Value {
    loop {
        let d = r.digits(9);
        let sum: u32 = d
            .iter()
            .zip((2..=10).rev())
            .map(|(&x, w)| u32::from(x) * w)
            .sum();
        let check = match 11 - sum % 11 {
            11 => 0,
            10 => continue,
            c => c,
        };
        let mut d = d;
        d.push(check as u8);
        let t = text(&d);
        return weak(match r.below(3) {
            0 => format!("{} {} {}", &t[..3], &t[3..6], &t[6..]),
            1 => format!("{}-{}-{}", &t[..3], &t[3..6], &t[6..]),
            _ => t,
        });
    }
}

struct Kind {
    detector: &'static str,
    make: fn(&mut Rng) -> Value,
    /// (language, template); a context word ends within ~40 characters before `{}`.
    context: &'static [(&'static str, &'static str)],
    /// (key, language).
    keys: &'static [(&'static str, &'static str)],
}

/// Sentences without any context word, for strong forms.
const PLAIN: &[(&str, &str)] = &[
    ("en", "Customer entered {} in the sign-up form"),
    ("en", "Support note: caller read out {} over the phone."),
    ("en", "KYC check pending for applicant {}"),
    ("en", "{}"),
    ("en", "\"{}\""),
    ("en", "value={}&step=next"),
    ("de", "Kunde hat {} im Formular angegeben."),
    ("de", "Notiz: Rückruf wegen {} erbeten"),
    (
        "fr",
        "Le client a saisi {} dans le formulaire d'inscription.",
    ),
    ("fr", "Note du support : vérifier {} avant validation"),
    ("nl", "Klant vulde {} in bij het aanmelden."),
    ("es", "El cliente escribió {} en el formulario."),
    ("it", "Il cliente ha inserito {} nel modulo di iscrizione."),
    ("pt", "O cliente indicou {} no formulário de registo."),
];

const KINDS: &[Kind] = &[
    Kind {
        detector: "uk_nino",
        make: uk_nino,
        context: &[
            ("en", "My National Insurance number is {}"),
            ("en", "NI number: {}"),
            ("en", "Caller confirmed NINO {} for the payroll update"),
            ("en", "please update my national insurance no {} on file"),
            ("de", "Britische Sozialversicherungsnummer (NINO): {}"),
            ("fr", "Numéro d'assurance nationale britannique (NINO) : {}"),
            ("nl", "Mijn Britse national insurance number is {}"),
            ("es", "Mi NINO del Reino Unido es {}"),
            ("it", "Il mio NINO britannico è {}"),
            ("pt", "O meu NINO britânico é {}"),
        ],
        keys: &[
            ("national_insurance_number", "en"),
            ("nino", "en"),
            ("ni_number", "en"),
            ("employee_nino", "en"),
        ],
    },
    Kind {
        detector: "nl_bsn",
        make: nl_bsn,
        context: &[
            ("nl", "Mijn BSN is {}"),
            ("nl", "burgerservicenummer: {}"),
            ("nl", "BSN-nummer {} klopt niet volgens de klant"),
            ("nl", "Sofinummer (oud): {}"),
            ("en", "Customer's BSN {} failed the portal check"),
            ("en", "citizen service number {} attached"),
            ("de", "Meine BSN lautet {}"),
            ("fr", "Numéro BSN : {}"),
            ("es", "Mi número BSN es {}"),
            ("it", "Il mio BSN è {}"),
            ("pt", "O meu BSN é {}"),
        ],
        keys: &[
            ("bsn", "nl"),
            ("burgerservicenummer", "nl"),
            ("klant_bsn", "nl"),
            ("sofinummer", "nl"),
        ],
    },
    Kind {
        detector: "fr_nir",
        make: fr_nir,
        context: &[
            ("fr", "Mon numéro de sécurité sociale est {}"),
            ("fr", "N° de sécurité sociale : {}"),
            ("fr", "numéro de sécu {} à vérifier"),
            ("fr", "Carte Vitale n° {}"),
            ("fr", "NIR : {}"),
            ("en", "French social security number {}"),
            ("de", "Französische Sozialversicherungsnummer {}"),
            ("nl", "Mijn Franse sécurité sociale nummer: {}"),
            ("es", "Número de la sécurité sociale: {}"),
            ("it", "Numero NIR francese: {}"),
            ("pt", "O meu NIR francês é {}"),
        ],
        keys: &[
            ("numero_securite_sociale", "fr"),
            ("nir", "fr"),
            ("carte_vitale", "fr"),
            ("num_secu", "fr"),
        ],
    },
    Kind {
        detector: "de_tax_id",
        make: de_steuer_id,
        context: &[
            ("de", "Mein Steuer-ID ist {}"),
            ("de", "Meine Steuer-ID lautet {}"),
            ("de", "Steuerliche Identifikationsnummer: {}"),
            ("de", "IdNr {} laut Lohnabrechnung"),
            ("de", "Steueridentifikationsnummer {} bitte hinterlegen"),
            ("en", "German tax ID {} provided by the customer"),
            ("fr", "Numéro fiscal allemand (Steuer-ID) : {}"),
            ("nl", "Mijn Duitse Steuer-ID is {}"),
            ("es", "Mi Steuer-ID alemán es {}"),
            ("it", "La mia Steuer-ID tedesca è {}"),
            ("pt", "A minha Steuer-ID alemã é {}"),
        ],
        keys: &[
            ("steuer_id", "de"),
            ("steueridentifikationsnummer", "de"),
            ("idnr", "de"),
            ("mitarbeiter_steuerid", "de"),
        ],
    },
    Kind {
        detector: "es_dni",
        make: es_dni,
        context: &[
            ("es", "Mi DNI es {}"),
            ("es", "DNI del titular: {}"),
            ("es", "Documento nacional de identidad {}"),
            ("en", "Spanish ID (DNI) {} verified"),
            ("de", "Spanische DNI {}"),
            ("fr", "DNI espagnol : {}"),
            ("nl", "Spaans DNI-nummer {}"),
            ("it", "Il mio DNI spagnolo è {}"),
            ("pt", "O meu DNI espanhol é {}"),
        ],
        keys: &[("dni", "es"), ("cliente_dni", "es")],
    },
    Kind {
        detector: "es_nie",
        make: es_nie,
        context: &[
            ("es", "Mi NIE es {}"),
            ("es", "Número de identidad de extranjero: {}"),
            ("en", "NIE {} for the residence permit"),
            ("de", "Meine spanische NIE: {}"),
            ("fr", "NIE : {}"),
            ("nl", "Mijn NIE is {}"),
            ("it", "Il mio NIE è {}"),
            ("pt", "O meu NIE é {}"),
        ],
        keys: &[("nie", "es"), ("titular_nie", "es")],
    },
    Kind {
        detector: "it_codice_fiscale",
        make: it_codice_fiscale,
        context: &[
            ("it", "Il mio codice fiscale è {}"),
            ("it", "Codice fiscale: {}"),
            ("it", "C.F. {} come da tessera sanitaria"),
            ("en", "Italian tax code {}"),
            ("de", "Italienische Steuernummer (codice fiscale): {}"),
            ("fr", "Code fiscal italien (codice fiscale) : {}"),
            ("nl", "Mijn codice fiscale is {}"),
            ("es", "Mi codice fiscale italiano es {}"),
            ("pt", "O meu codice fiscale é {}"),
        ],
        keys: &[
            ("codice_fiscale", "it"),
            ("cf", "it"),
            ("utente_codicefiscale", "it"),
        ],
    },
    Kind {
        detector: "be_nrn",
        make: be_nrn,
        context: &[
            ("nl", "Mijn rijksregisternummer is {}"),
            ("nl", "INSZ-nummer: {}"),
            ("fr", "Mon numéro de registre national est {}"),
            ("fr", "NISS : {}"),
            ("de", "Nationalregisternummer {}"),
            ("en", "Belgian national register number {}"),
            ("es", "Número belga del registre national: {}"),
            ("it", "Numero del registre national belga: {}"),
            ("pt", "O meu número do rijksregister é {}"),
        ],
        keys: &[
            ("rijksregisternummer", "nl"),
            ("insz", "nl"),
            ("numero_registre_national", "fr"),
            ("niss", "fr"),
        ],
    },
    Kind {
        detector: "pl_pesel",
        make: pl_pesel,
        context: &[
            ("pl", "Mój numer PESEL to {}"),
            ("pl", "PESEL: {}"),
            ("pl", "Nr PESEL {} podany w formularzu"),
            ("en", "Polish PESEL {} for the account"),
            ("de", "PESEL-Nummer {}"),
            ("fr", "Numéro PESEL : {}"),
            ("nl", "Mijn PESEL is {}"),
            ("es", "Mi PESEL es {}"),
            ("it", "Il mio PESEL è {}"),
            ("pt", "O meu PESEL é {}"),
        ],
        keys: &[("pesel", "pl"), ("numer_pesel", "pl")],
    },
    Kind {
        detector: "se_personnummer",
        make: se_personnummer,
        context: &[
            ("sv", "Mitt personnummer är {}"),
            ("sv", "Personnr: {}"),
            ("sv", "Samordningsnummer {} enligt Skatteverket"),
            ("en", "Swedish personal number {}"),
            ("en", "personal identity number {} (Sweden)"),
            ("de", "Schwedische Personennummer {}"),
            ("fr", "Personnummer suédois : {}"),
            ("nl", "Zweeds personnummer {}"),
            ("es", "Mi personnummer sueco es {}"),
            ("it", "Il mio personnummer svedese è {}"),
            ("pt", "O meu personnummer sueco é {}"),
        ],
        keys: &[
            ("personnummer", "sv"),
            ("kund_personnummer", "sv"),
            ("samordningsnummer", "sv"),
        ],
    },
    Kind {
        detector: "dk_cpr",
        make: dk_cpr,
        context: &[
            ("da", "Mit CPR-nummer er {}"),
            ("da", "CPR nr. {}"),
            ("da", "Personnummer (CPR): {}"),
            ("en", "Danish CPR {} on the form"),
            ("de", "Dänische CPR-Nummer {}"),
            ("fr", "Numéro CPR danois : {}"),
            ("nl", "Mijn Deense CPR is {}"),
            ("es", "Mi CPR danés es {}"),
            ("it", "Il mio CPR danese è {}"),
            ("pt", "O meu CPR dinamarquês é {}"),
        ],
        keys: &[("cpr", "da"), ("cpr_nummer", "da"), ("kunde_cpr", "da")],
    },
    Kind {
        detector: "fi_hetu",
        make: fi_hetu,
        context: &[
            ("fi", "Henkilötunnus: {}"),
            ("fi", "Hetu {} tarkistettu"),
            ("sv", "Personbeteckning {}"),
            ("en", "Finnish personal identity code {}"),
            ("de", "Finnische HETU {}"),
            ("fr", "Mon HETU finlandais : {}"),
            ("nl", "Fins HETU-nummer {}"),
            ("es", "Mi HETU finlandés es {}"),
            ("it", "Il mio HETU è {}"),
            ("pt", "O meu HETU é {}"),
        ],
        keys: &[("hetu", "fi"), ("henkilotunnus", "fi")],
    },
    Kind {
        detector: "no_fnr",
        make: no_fodselsnummer,
        context: &[
            ("no", "Fødselsnummer: {}"),
            ("no", "Mitt fødselsnummer er {}"),
            ("no", "D-nummer {} registrert"),
            ("no", "fnr {} i skjemaet"),
            ("en", "Norwegian birth number {}"),
            ("de", "Norwegische Fødselsnummer {}"),
            ("fr", "Fødselsnummer norvégien : {}"),
            ("nl", "Mijn Noorse fødselsnummer is {}"),
            ("es", "Mi fødselsnummer noruego es {}"),
            ("it", "Il mio fødselsnummer è {}"),
            ("pt", "O meu fødselsnummer é {}"),
        ],
        keys: &[("fodselsnummer", "no"), ("fnr", "no"), ("kunde_fnr", "no")],
    },
    Kind {
        detector: "at_svnr",
        make: at_svnr,
        context: &[
            ("de", "Meine Sozialversicherungsnummer ist {}"),
            ("de", "SV-Nummer: {}"),
            ("de", "Versicherungsnummer {} laut e-card"),
            ("en", "Austrian social security number {}"),
            ("fr", "Numéro SVNR autrichien : {}"),
            ("nl", "Mijn Oostenrijkse SV-Nummer: {}"),
            ("es", "Mi SVNR austriaco es {}"),
            ("it", "Il mio SVNR austriaco è {}"),
            ("pt", "O meu SVNR austríaco é {}"),
        ],
        keys: &[
            ("svnr", "de"),
            ("sozialversicherungsnummer", "de"),
            ("sv_nummer", "de"),
        ],
    },
    Kind {
        detector: "pt_nif",
        make: pt_nif,
        context: &[
            ("pt", "O meu NIF é {}"),
            ("pt", "Número de contribuinte: {}"),
            ("pt", "NIF {} para a fatura, por favor"),
            ("pt", "Contribuinte n.º {}"),
            ("en", "Portuguese tax number {}"),
            ("de", "Portugiesische NIF {}"),
            ("fr", "NIF portugais : {}"),
            ("nl", "Mijn Portugese NIF is {}"),
            ("es", "Mi NIF portugués es {}"),
            ("it", "Il mio NIF portoghese è {}"),
        ],
        keys: &[
            ("nif", "pt"),
            ("numero_contribuinte", "pt"),
            ("cliente_nif", "pt"),
        ],
    },
    Kind {
        detector: "ie_ppsn",
        make: ie_ppsn,
        context: &[
            ("en", "My PPS number is {}"),
            ("en", "PPSN: {}"),
            ("en", "personal public service number {} confirmed"),
            ("ga", "Uimhir PPS: {}"),
            ("de", "Irische PPS-Nummer {}"),
            ("fr", "Numéro PPS irlandais : {}"),
            ("nl", "Mijn Ierse PPS is {}"),
            ("es", "Mi PPS irlandés es {}"),
            ("it", "Il mio PPSN è {}"),
            ("pt", "O meu PPSN é {}"),
        ],
        keys: &[("ppsn", "en"), ("pps_number", "en")],
    },
    Kind {
        detector: "ch_ahv",
        make: ch_ahv,
        context: &[
            ("de", "Meine AHV-Nummer ist {}"),
            ("de", "AHV-Nr. {}"),
            ("fr", "Mon numéro AVS est {}"),
            ("fr", "N° AVS : {}"),
            ("it", "Il mio numero AVS è {}"),
            ("en", "Swiss social security number (AHV) {}"),
            ("nl", "Mijn Zwitsers AHV-nummer is {}"),
            ("es", "Mi número AVS suizo es {}"),
            ("pt", "O meu número AVS é {}"),
        ],
        keys: &[("ahv_nummer", "de"), ("ahv", "de"), ("numero_avs", "fr")],
    },
    Kind {
        detector: "us_itin",
        make: us_itin,
        context: &[
            ("en", "My ITIN is {}"),
            ("en", "Individual Taxpayer Identification Number: {}"),
            ("en", "W-7 approved, ITIN {}"),
            ("es", "Mi ITIN es {}"),
            ("de", "Meine US-ITIN lautet {}"),
            ("fr", "Mon ITIN américain : {}"),
            ("nl", "Mijn ITIN is {}"),
            ("it", "Il mio ITIN è {}"),
            ("pt", "O meu ITIN é {}"),
        ],
        keys: &[
            ("itin", "en"),
            ("taxpayer_id", "en"),
            ("applicant_itin", "en"),
        ],
    },
    Kind {
        detector: "ca_sin",
        make: ca_sin,
        context: &[
            ("en", "My SIN is {}"),
            ("en", "Social Insurance Number: {}"),
            ("en", "SIN {} for the T4 slip"),
            ("fr", "Mon numéro d'assurance sociale est {}"),
            ("fr", "Numéro d'assurance sociale : {}"),
            ("de", "Kanadische SIN {}"),
            ("nl", "Mijn Canadese SIN is {}"),
            ("es", "Mi SIN canadiense es {}"),
            ("it", "Il mio SIN canadese è {}"),
            ("pt", "O meu SIN canadense é {}"),
        ],
        keys: &[
            ("sin", "en"),
            ("social_insurance_number", "en"),
            ("employee_sin", "en"),
            ("numero_assurance_sociale", "fr"),
        ],
    },
    Kind {
        detector: "br_cpf",
        make: br_cpf,
        context: &[
            ("pt", "Meu CPF é {}"),
            ("pt", "CPF: {}"),
            ("pt", "Número do CPF {} para a nota fiscal"),
            ("en", "Brazilian tax ID (CPF) {}"),
            ("es", "Mi CPF es {}"),
            ("de", "Brasilianische CPF {}"),
            ("fr", "CPF brésilien : {}"),
            ("nl", "Mijn CPF is {}"),
            ("it", "Il mio CPF è {}"),
        ],
        keys: &[("cpf", "pt"), ("cliente_cpf", "pt"), ("numero_cpf", "pt")],
    },
    Kind {
        detector: "in_aadhaar",
        make: in_aadhaar,
        context: &[
            ("en", "My Aadhaar number is {}"),
            ("en", "Aadhaar: {}"),
            ("en", "aadhar {} linked to the account"),
            ("hi", "मेरा आधार नंबर {} है"),
            ("hi", "आधार {}"),
            ("de", "Indische Aadhaar-Nummer {}"),
            ("fr", "Numéro Aadhaar : {}"),
            ("nl", "Mijn Aadhaar is {}"),
            ("es", "Mi número Aadhaar es {}"),
            ("it", "Il mio Aadhaar è {}"),
            ("pt", "O meu Aadhaar é {}"),
        ],
        keys: &[
            ("aadhaar", "en"),
            ("aadhaar_number", "en"),
            ("aadhar_no", "en"),
        ],
    },
    Kind {
        detector: "au_tfn",
        make: au_tfn,
        context: &[
            ("en", "My TFN is {}"),
            ("en", "Tax file number: {}"),
            ("en", "TFN {} for the super fund"),
            ("de", "Australische TFN {}"),
            ("fr", "Mon TFN australien : {}"),
            ("nl", "Mijn Australische TFN is {}"),
            ("es", "Mi TFN australiano es {}"),
            ("it", "Il mio TFN australiano è {}"),
            ("pt", "O meu TFN australiano é {}"),
        ],
        keys: &[
            ("tfn", "en"),
            ("tax_file_number", "en"),
            ("employee_tfn", "en"),
        ],
    },
    Kind {
        detector: "de_rvnr",
        make: de_rvnr,
        context: &[
            ("de", "Meine Sozialversicherungsnummer lautet {}"),
            ("de", "Rentenversicherungsnummer: {}"),
            ("en", "German social insurance number {}"),
            ("fr", "Numéro de sécurité sociale allemand : {}"),
            ("nl", "Duits sociaal verzekeringsnummer {}"),
            ("es", "Número de seguro social alemán: {}"),
            ("it", "Numero di previdenza sociale tedesco: {}"),
            ("pt", "Número de segurança social alemão: {}"),
        ],
        keys: &[
            ("sozialversicherungsnummer", "de"),
            ("sv_nummer", "de"),
            ("rentenversicherungsnummer", "de"),
        ],
    },
    Kind {
        detector: "uk_nhs",
        make: uk_nhs,
        context: &[
            ("en", "NHS number {} on the referral"),
            ("en", "Patient NHS no. {}"),
            ("en", "CHI number: {}"),
            ("de", "Britische NHS-Nummer {}"),
            ("fr", "Numéro NHS du patient : {}"),
            ("nl", "NHS-nummer {}"),
            ("es", "Número del NHS: {}"),
            ("it", "Numero NHS: {}"),
            ("pt", "Número do NHS: {}"),
        ],
        keys: &[
            ("nhs_number", "en"),
            ("nhs", "en"),
            ("patient_nhs_no", "en"),
        ],
    },
    Kind {
        detector: "ro_cnp",
        make: ro_cnp,
        context: &[
            ("en", "Romanian CNP {} on file"),
            ("en", "Personal numeric code (CNP): {}"),
            ("de", "Rumänische CNP {}"),
            ("fr", "Mon CNP roumain : {}"),
            ("nl", "Roemeens CNP {}"),
            ("es", "Mi CNP rumano es {}"),
            ("it", "Il mio CNP è {}"),
            ("pt", "O meu CNP é {}"),
        ],
        keys: &[
            ("cnp", "en"),
            ("client_cnp", "en"),
            ("cod_numeric_personal", "en"),
        ],
    },
    Kind {
        detector: "tr_tckn",
        make: tr_tckn,
        context: &[
            ("en", "Turkish ID (TC kimlik no) {}"),
            ("en", "TCKN: {}"),
            ("de", "Türkische TC Kimlik No. {}"),
            ("fr", "Numéro TC Kimlik : {}"),
            ("nl", "Turks TC kimlik nummer {}"),
            ("es", "Su TCKN es {}"),
            ("it", "Il TCKN del cliente è {}"),
            ("pt", "O TCKN é {}"),
        ],
        keys: &[
            ("tckn", "en"),
            ("tc_kimlik_no", "en"),
            ("customer_tckn", "en"),
        ],
    },
    Kind {
        detector: "cn_ric",
        make: cn_ric,
        context: &[
            ("zh", "身份证号码：{}"),
            ("zh", "客户身份证号 {}"),
            ("zh", "居民身份證 {}"),
            ("en", "Chinese ID card {}"),
            ("en", "Resident identity card: {}"),
            ("de", "Chinesische ID card {}"),
            ("fr", "Carte d'identité chinoise (ID card) {}"),
        ],
        keys: &[
            ("id_card_no", "en"),
            ("sfz", "en"),
            ("customer_idcard", "en"),
        ],
    },
    Kind {
        detector: "kr_rrn",
        make: kr_rrn,
        context: &[
            ("ko", "주민등록번호: {}"),
            ("ko", "고객 주민번호 {}"),
            ("en", "Korean RRN {}"),
            ("en", "Resident registration number {}"),
            ("de", "Koreanische RRN {}"),
        ],
        keys: &[
            ("rrn", "en"),
            ("jumin_no", "en"),
            ("resident_registration_no", "en"),
        ],
    },
    Kind {
        detector: "jp_my_number",
        make: jp_my_number,
        context: &[
            ("ja", "マイナンバー：{}"),
            ("ja", "個人番号 {}"),
            ("en", "My Number {}"),
            ("en", "Japanese individual number: {}"),
            ("de", "Japanische My Number {}"),
        ],
        keys: &[
            ("my_number", "en"),
            ("mynumber", "en"),
            ("kojin_bango", "en"),
        ],
    },
    Kind {
        detector: "sg_nric",
        make: sg_nric,
        context: &[
            ("en", "NRIC: {}"),
            ("en", "my IC no is {}"),
            ("en", "FIN {}"),
            ("ms", "No. IC {}"),
            ("zh", "身份证 {}"),
        ],
        keys: &[("nric", "en"), ("nric_no", "en"), ("fin_number", "en")],
    },
    Kind {
        detector: "hk_hkid",
        make: hk_hkid,
        context: &[
            ("en", "HKID {}"),
            ("en", "Hong Kong identity card {}"),
            ("zh", "香港身份證 {}"),
            ("zh", "身份證號碼：{}"),
        ],
        keys: &[("hkid", "en"), ("hkid_no", "en"), ("hk_id", "en")],
    },
    Kind {
        detector: "za_id",
        make: za_id,
        context: &[
            ("en", "SA ID number {}"),
            ("en", "my ID no is {}"),
            ("en", "South African ID: {}"),
            ("af", "ID-nommer {}"),
            ("af", "Identiteitsnommer: {}"),
        ],
        keys: &[
            ("sa_id", "en"),
            ("rsa_id_number", "en"),
            ("identiteitsnommer", "af"),
        ],
    },
    Kind {
        detector: "cz_rodne_cislo",
        make: cz_rodne_cislo,
        context: &[
            ("en", "Czech birth number {}"),
            ("en", "Rodné číslo: {}"),
            ("de", "Tschechische Geburtsnummer (rodné číslo) {}"),
            ("fr", "Numéro de naissance tchèque (rodné číslo) {}"),
            ("nl", "Rodné číslo {}"),
            ("es", "Su rodné číslo es {}"),
            ("it", "Il rodné číslo è {}"),
            ("pt", "O rodné číslo é {}"),
        ],
        keys: &[
            ("rodne_cislo", "en"),
            ("rodneCislo", "en"),
            ("patient_rodne_cislo", "en"),
        ],
    },
];

/// Places `value` at the `{}` of `template`.
fn embed(template: &str, value: &str) -> (String, Range<usize>) {
    let at = template.find("{}").expect("templates contain {}");
    let text = format!("{}{}{}", &template[..at], value, &template[at + 2..]);
    (text, at..at + value.len())
}

fn plant(r: &mut Rng, kind: &Kind, value: Value) -> Planted {
    let needs_context = !value.strong;
    if needs_context && r.chance(30) {
        let (key, lang) = r.pick(kind.keys);
        return Planted {
            span: 0..value.text.len(),
            text: value.text,
            detector: kind.detector,
            needs_context,
            key: Some(key.to_owned()),
            lang,
        };
    }
    let (lang, template) = if needs_context || r.chance(40) {
        r.pick(kind.context)
    } else {
        r.pick(PLAIN)
    };
    let (text, span) = embed(template, &value.text);
    Planted {
        text,
        span,
        detector: kind.detector,
        needs_context,
        key: None,
        lang,
    }
}

// ---------------------------------------------------------------------------------------------
// negatives

type Negatives = Vec<(String, Option<String>)>;

fn business_numbers(r: &mut Rng, out: &mut Negatives) {
    for _ in 0..60 {
        let year = r.range(2019, 2026);
        let n = r.range(1, 999_999);
        let items = [
            format!("Order ORD-{year}-{n:06} shipped today"),
            format!("Invoice INV-{year}-{:05} is overdue", n % 100_000),
            format!("Rechnung RE-{year}/{n:06} bezahlt"),
            format!("Commande n° CMD{year}{n:06} expédiée"),
            format!(
                "Tracking number 1Z{}{:010} out for delivery",
                ["999AA1", "A12B34", "X9Y8Z7"][r.below(3)],
                r.next() % 10_000_000_000
            ),
            format!(
                "Sendungsnummer 00340434{:012}",
                r.next() % 1_000_000_000_000
            ),
            format!(
                "SKU {}-{:04}-{}",
                ["TSH", "JKT", "MUG", "CAP"][r.below(4)],
                n % 10_000,
                ["XL", "M", "S", "BLK"][r.below(4)]
            ),
            format!("Art.-Nr. {:06} nicht auf Lager", n),
            format!("EAN 40{:011} scanned at till 3", r.next() % 100_000_000_000),
            format!("ISBN 978-3-16-{:06}-{}", n, r.below(10)),
            format!("Ticket #{} closed by agent", r.range(10_000, 9_999_999)),
            format!(
                "Bestelling {:08} verzonden",
                r.range(10_000_000, 99_999_999)
            ),
            format!("Pedido PED-{year}-{n:06} enviado"),
            format!("Ordine n. {year}/{:05} spedito", n % 100_000),
            format!("Encomenda #{n} enviada"),
            format!("coupon WELCOME{} applied", r.range(10, 99)),
        ];
        for text in items {
            out.push((text, None));
        }
        out.push((
            format!("{:09}", r.range(100_000_000, 999_999_999)),
            Some("order_id".to_owned()),
        ));
        out.push((
            format!("{}", r.next() % 100_000_000_000),
            Some("transaction_id".to_owned()),
        ));
    }
}

/// Valid bare digit runs (weak forms) of every identifier that has them, in sentences without
/// any context word: checksum-passing counters and ids.
fn checksum_passing_without_context(r: &mut Rng, out: &mut Negatives) {
    const SENTENCES: &[&str] = &[
        "Order {} shipped today",
        "Ticket #{} closed",
        "Ref {}",
        "invoice {} paid in full",
        "Sendung {} zugestellt",
        "Commande {} expédiée",
        "Bestelling {} verzonden",
        "Pedido {} enviado",
        "Ordine {} spedito",
        "Encomenda {} enviada",
        "batch {} processed in 35 ms",
        "{}",
    ];
    for kind in KINDS {
        let mut made = 0;
        let mut tries = 0;
        while made < 20 && tries < 2000 {
            tries += 1;
            let v = (kind.make)(r);
            let bare: String = v.text.chars().filter(|c| !" .-/+".contains(*c)).collect();
            if v.strong || !bare.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            let (text, _) = embed(r.pick(SENTENCES), &bare);
            let key = r
                .chance(25)
                .then(|| r.pick(&["id", "ref", "counter", "order_id"]).to_owned());
            out.push((text, key));
            made += 1;
        }
    }
}

fn amounts_dates_and_times(r: &mut Rng, out: &mut Negatives) {
    for _ in 0..50 {
        let euros = r.range(1_000, 9_999_999);
        let cents = r.range(0, 99);
        let (y, m, d) = date(r, 1950, 2030);
        let (hh, mi, ss) = (r.range(0, 23), r.range(0, 59), r.range(0, 59));
        let items = [
            format!("Total: {},{cents:02} €", group(euros, '.')),
            format!("Amount ${}.{cents:02}", group(euros, ',')),
            format!("Montant : {} € TTC", group(euros, ' ')),
            format!("CHF {}.{cents:02}", group(euros, '\'')),
            format!("Saldo {},{cents:02} EUR", group(euros, '.')),
            format!("{y}-{m:02}-{d:02}T{hh:02}:{mi:02}:{ss:02}Z"),
            format!("Termin am {d:02}.{m:02}.{y} um {hh:02}:{mi:02}"),
            format!("rendez-vous le {d:02}/{m:02}/{y} à {hh:02}h{mi:02}"),
            format!("Delivered on {y}{m:02}{d:02} at {hh:02}{mi:02}"),
            format!("shipped {d:02}{m:02}{:02}", y % 100),
            format!(
                "lat {}.{:06}, lon {}.{:06}",
                r.range(35, 60),
                r.range(0, 999_999),
                r.range(0, 30),
                r.range(0, 999_999)
            ),
            format!(
                "version {}.{}.{}",
                r.range(1, 20),
                r.range(0, 40),
                r.range(0, 200)
            ),
        ];
        for text in items {
            out.push((text, None));
        }
        let epoch = 1_500_000_000 + r.next() % 300_000_000;
        out.push((format!("ts={epoch}"), None));
        out.push((epoch.to_string(), Some("timestamp".to_owned())));
        out.push((
            format!("{}", epoch * 1000 + r.next() % 1000),
            Some("time".to_owned()),
        ));
        out.push((format!("event at {}", epoch * 1000), None));
    }
}

/// `n` with a thousands separator.
fn group(n: u32, sep: char) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

fn phones_and_ids(r: &mut Rng, out: &mut Negatives) {
    for _ in 0..50 {
        let heap = 1_000_000_000_000_000 + r.next() % 8_999_999_999_999_999;
        let items: [(String, Option<&str>); 14] = [
            (format!("+49 30 {}", r.range(1_000_000, 9_999_999)), None),
            (format!("+31 6 {}", r.range(10_000_000, 99_999_999)), None),
            (format!("Bel 06-{}", r.range(10_000_000, 99_999_999)), None),
            (format!("(555) 010-{:04}", r.range(0, 9999)), None),
            (format!("+44 20 7946 {:04}", r.range(0, 9999)), None),
            (
                format!(
                    "Tel. 01 {:02} {:02} {:02} {:02}",
                    r.range(10, 99),
                    r.range(10, 99),
                    r.range(10, 99),
                    r.range(10, 99)
                ),
                None,
            ),
            (format!("06{:08}", r.range(0, 99_999_999)), Some("phone")),
            (heap.to_string(), Some("user_id")),
            (format!("identify user {heap}"), None),
            (format!("{heap}"), Some("heap_user_id")),
            (format!("session {}", r.next() % 10_000_000_000_000), None),
            (format!("{:x}", r.next()), Some("anonymous_id")),
            (
                format!("request {} processed", r.range(100_000_000, 999_999_999)),
                None,
            ),
            (
                format!("{:011}", r.next() % 100_000_000_000),
                Some("event_id"),
            ),
        ];
        for (text, key) in items {
            out.push((text, key.map(str::to_owned)));
        }
    }
}

/// Sentences that name an identifier (its context word, in several languages) without
/// containing one, and keys that match with values that are not identifiers.
fn context_without_identifier(out: &mut Negatives) {
    const SENTENCES: &[&str] = &[
        "Wat is een BSN?",
        "Waar vind ik mijn burgerservicenummer?",
        "update your SIN address later",
        "Where do I find my SIN?",
        "Was ist die Steuer-ID und wo finde ich sie?",
        "Steueridentifikationsnummer vergessen – was tun?",
        "Où trouver mon numéro de sécurité sociale ?",
        "La carte Vitale est arrivée par la poste.",
        "¿Dónde está mi DNI?",
        "Necesito renovar el NIE antes de marzo",
        "Il codice fiscale è obbligatorio per la fattura",
        "Qual é o meu NIF?",
        "Preciso do CPF para a nota fiscal",
        "How do I get a PPS number?",
        "Hvad er et CPR-nummer?",
        "Mikä on henkilötunnus?",
        "Hva er fødselsnummer?",
        "Wo finde ich meine Sozialversicherungsnummer?",
        "Co to jest PESEL?",
        "Vad är ett personnummer?",
        "Aadhaar linking pending for this account",
        "Apply for a TFN before your first pay day",
        "AHV-Ausweis verloren, bitte neuen schicken",
        "Numéro AVS manquant dans le dossier",
        "ITIN renewal form W-7 attached",
        "Mijn rijksregisternummer staat op de achterkant van de eID",
        "National Insurance contributions are due in April",
        "What's my NI number used for?",
        "Le NIR figure sur l'attestation de droits",
        "Mein Steuer-ID-Brief ist nicht angekommen",
        "Please don't send your SIN by email.",
        "CPR-nummer mangler i formularen",
        "Personnummer saknas – kontakta Skatteverket",
        "Fødselsnummer mangler i skjemaet",
        "Il mio codice fiscale non è valido?",
        "Contribuinte sem NIF registado",
        "Tax file number declaration pending",
        "Numer PESEL nie jest wymagany",
    ];
    for s in SENTENCES {
        out.push(((*s).to_owned(), None));
    }
    let keyed = [
        ("not provided", "bsn"),
        ("n/a", "national_insurance_number"),
        ("unknown", "cpf"),
        ("—", "steuer_id"),
        ("pending", "codice_fiscale"),
        ("see attachment", "numero_securite_sociale"),
        ("", "personnummer"),
        ("none", "sin"),
        ("refused", "aadhaar"),
        ("true", "has_tfn"),
        ("yes", "tfn_provided"),
    ];
    for (value, key) in keyed {
        out.push((value.to_owned(), Some(key.to_owned())));
    }
}

/// Invalid numbers right after their context words: the check digit changed, an unallocated
/// prefix, an impossible date.
fn invalid_with_context(r: &mut Rng, out: &mut Negatives) {
    for kind in KINDS {
        for _ in 0..20 {
            let Some(bad) = corrupt(r, kind.detector) else {
                continue;
            };
            let (_, template) = r.pick(kind.context);
            out.push((embed(template, &bad).0, None));
            if r.chance(30) {
                let (key, _) = r.pick(kind.keys);
                out.push((bad, Some(key.to_owned())));
            }
        }
    }
}

/// Replaces the last digit of `s` with a different one.
fn other_last_digit(r: &mut Rng, s: &str) -> String {
    let mut b = s.as_bytes().to_vec();
    let Some(last) = b.iter().rposition(u8::is_ascii_digit) else {
        return s.to_owned();
    };
    b[last] = b'0' + (b[last] - b'0' + 1 + r.below(9) as u8) % 10;
    String::from_utf8(b).expect("ASCII")
}

/// Replaces the last letter of `s` with a different one.
fn other_last_letter(r: &mut Rng, s: &str) -> String {
    let mut b = s.as_bytes().to_vec();
    let Some(last) = b.iter().rposition(u8::is_ascii_alphabetic) else {
        return s.to_owned();
    };
    let upper = b[last].to_ascii_uppercase();
    let mut l = upper;
    while l == upper {
        l = b'A' + r.below(26) as u8;
    }
    b[last] = l;
    String::from_utf8(b).expect("ASCII")
}

/// An invalid value in the identifier's own written form.
fn corrupt(r: &mut Rng, detector: &str) -> Option<String> {
    Some(match detector {
        "uk_nino" => {
            let prefix = r.pick(&["QQ", "TN", "BG", "ZZ", "DA", "FO", "AO", "VU"]);
            format!(
                "{prefix} {:02} {:02} {:02} A",
                r.range(0, 99),
                r.range(0, 99),
                r.range(0, 99)
            )
        }
        "nl_bsn" | "fr_nir" | "de_tax_id" | "pl_pesel" | "at_svnr" | "pt_nif" | "ch_ahv"
        | "ca_sin" | "br_cpf" | "in_aadhaar" | "au_tfn" | "de_rvnr" | "uk_nhs" | "ro_cnp"
        | "tr_tckn" | "cz_rodne_cislo" | "cn_ric" | "jp_my_number" => {
            let kind = KINDS.iter().find(|k| k.detector == detector)?;
            let v = (kind.make)(r);
            if detector == "fr_nir" && (v.text.contains('A') || v.text.contains('B')) {
                return None;
            }
            if detector == "at_svnr" {
                // The check digit is the 4th.
                let mut b = v.text.into_bytes();
                b[3] = b'0' + (b[3] - b'0' + 1 + r.below(9) as u8) % 10;
                return String::from_utf8(b).ok();
            }
            other_last_digit(r, &v.text)
        }
        "kr_rrn" => {
            // Month 13: no date, whatever the check digit.
            let t = (KINDS.iter().find(|k| k.detector == detector)?.make)(r).text;
            format!("{}13{}", &t[..2], &t[4..])
        }
        "ie_ppsn" => {
            // Without a second letter, so that the check letter is the last character.
            let v = loop {
                let v = ie_ppsn(r);
                if v.text.len() == 8 {
                    break v;
                }
            };
            let mut b = v.text.into_bytes();
            let old = b[7];
            let mut l = old;
            while l == old {
                l = b'A' + r.below(23) as u8;
            }
            b[7] = l;
            String::from_utf8(b).ok()?
        }
        "za_id" => {
            let t = za_id(r).text;
            other_last_digit(r, &t)
        }
        "sg_nric" => {
            let t = sg_nric(r).text;
            other_last_letter(r, &t)
        }
        "hk_hkid" => {
            // Another check character, in the same place.
            let t = hk_hkid(r).text;
            let at = t.len() - if t.ends_with(')') { 2 } else { 1 };
            let mut b = t.into_bytes();
            let old = b[at];
            let mut c = old;
            while c == old {
                c = b"0123456789A"[r.below(11)];
            }
            b[at] = c;
            String::from_utf8(b).ok()?
        }
        "es_dni" | "es_nie" | "it_codice_fiscale" => {
            let kind = KINDS.iter().find(|k| k.detector == detector)?;
            let v = (kind.make)(r);
            other_last_letter(r, &v.text)
        }
        "fi_hetu" => {
            let v = fi_hetu(r);
            // A letter, never a digit: DDMMYY-NNND is also the layout of a Danish CPR number.
            let mut b = v.text.into_bytes();
            let old = b[10].to_ascii_uppercase();
            let mut c = old;
            while c == old {
                c = b"ABCDEFHJKLMNPRSTUVWXY"[r.below(21)];
            }
            b[10] = c;
            String::from_utf8(b).ok()?
        }
        "be_nrn" => {
            // A check that fits neither the 1900s nor the 2000s rule.
            let yy = r.range(0, 99);
            let (mm, dd, counter) = (r.range(1, 12), r.range(1, 28), r.range(1, 997));
            let body = u64::from(yy) * 10_000_000
                + u64::from(mm) * 100_000
                + u64::from(dd) * 1000
                + u64::from(counter);
            let (a, b) = (be_check(body, 1900), be_check(body, 2000));
            let check = (1..=97).find(|c| *c != a && *c != b && (c + u64::from(yy)) % 7 == 0)?;
            format!("{yy:02}.{mm:02}.{dd:02}-{counter:03}.{check:02}")
        }
        "se_personnummer" => {
            // Years 32–99 keep the date from reading as a Danish DDMMYY.
            let yy = r.range(32, 99);
            let (mm, dd) = (r.range(1, 12), r.range(1, 28));
            let mut d = fixed(u64::from(yy), 2);
            d.extend(fixed(u64::from(mm), 2));
            d.extend(fixed(u64::from(dd), 2));
            d.extend(fixed(u64::from(r.range(1, 999)), 3));
            let good = luhn_digit(&d);
            d.push((good + 1 + r.below(9) as u8) % 10);
            let t = text(&d);
            format!("{}-{}", &t[..6], &t[6..])
        }
        "dk_cpr" => {
            // Month 13–19 is no date, read as DDMMYY or as a Swedish YYMMDD.
            let (dd, mm, yy) = (r.range(1, 28), r.range(13, 19), r.range(0, 99));
            format!("{dd:02}{mm:02}{yy:02}-{:04}", r.range(0, 9999))
        }
        "no_fnr" => {
            let v = loop {
                let v = no_fodselsnummer(r);
                if v.strong {
                    break v;
                }
            };
            other_last_digit(r, &v.text)
        }
        "us_itin" => format!(
            "9{:02}-{}-{:04}",
            r.range(0, 99),
            r.pick(&[93, 40, 45, 66, 69, 89, 10]),
            r.range(0, 9999)
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corpus_is_deterministic_and_well_formed() {
        let (a, b) = (positives(7), positives(7));
        assert_eq!(a.len(), b.len());
        assert!(
            a.iter()
                .zip(&b)
                .all(|(x, y)| x.text == y.text && x.span == y.span)
        );
        for kind in KINDS {
            let n = a.iter().filter(|p| p.detector == kind.detector).count();
            assert!(n >= 300, "{}: {n}", kind.detector);
        }
        for p in &a {
            assert!(!p.span.is_empty() && p.span.end <= p.text.len(), "{p:?}");
            assert!(p.text.is_char_boundary(p.span.start) && p.text.is_char_boundary(p.span.end));
            if p.key.is_some() {
                assert_eq!(p.span, 0..p.text.len(), "{p:?}");
            }
        }
        assert_eq!(negatives(7), negatives(7));
        assert!(negatives(7).len() > 1000);
    }

    #[test]
    fn check_digit_code_agrees_with_published_examples() {
        // BSN 123456782, NIR 2 55 08 14 168 025 38, IdNr 12345678995, DNI 12345678Z,
        // codice fiscale RSSMRA85T10A562S, rijksregisternummer 93051822361, PESEL 44051401359,
        // personnummer 640823-3234, fødselsnummer 31129956715, CPF 123.456.789-09,
        // SIN 130 692 544, AHV 756.9217.0769.85, Aadhaar check of 236 (Verhoeff's example).
        assert_eq!(bsn_check(&[1, 2, 3, 4, 5, 6, 7, 8]), Some(2));
        assert_eq!(nir_key("2550814168025"), 38);
        assert_eq!(mod11_10(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 9]), 5);
        assert_eq!(DNI_TABLE[(12_345_678 % 23) as usize], b'Z');
        assert_eq!(cf_check(b"RSSMRA85T10A562"), b'S');
        assert_eq!(be_check(930_518_223, 1993), 61);
        assert_eq!(pesel_check(&[4, 4, 0, 5, 1, 4, 0, 1, 3, 5]), 9);
        assert_eq!(luhn_digit(&[6, 4, 0, 8, 2, 3, 3, 2, 3]), 4);
        assert_eq!(luhn_digit(&[1, 3, 0, 6, 9, 2, 5, 4]), 4);
        assert_eq!(fnr_checks(&[3, 1, 1, 2, 9, 9, 5, 6, 7]), Some((1, 5)));
        assert_eq!(cpf_checks(&[1, 2, 3, 4, 5, 6, 7, 8, 9]), (0, 9));
        assert_eq!(verhoeff_digit(&[2, 3, 6]), 3);
    }
}
