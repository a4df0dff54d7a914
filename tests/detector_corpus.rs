//! Labelled corpus for the PII detectors: measured recall per detector and false-positive rate.
//!
//! Positives and negatives come from a seeded generator (formats and locales per detector,
//! embedded in sentences in several languages) plus the hand-written cases in
//! `tests/corpus/handwritten.tsv`. A positive counts as found when a finding of the expected
//! detector covers the planted span; a negative counts as a false positive when the scan reports
//! anything at all. Run with `cargo test --release --test detector_corpus -- --nocapture` to see
//! the table.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::collections::BTreeMap;
use std::ops::Range;

use privgate::policy::detect::{DetectorMask, Detectors, Finding};

// ---------------------------------------------------------------------------------------------
// allocation counting (per thread, so parallel tests do not disturb each other)

struct CountingAlloc;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count_allocation() {
    let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
}

// SAFETY: forwards every call unchanged to the system allocator; only counts.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_allocation();
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count_allocation();
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_allocation();
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get)
}

// ---------------------------------------------------------------------------------------------
// seeded generator

/// splitmix64: small, seeded, good enough for test data.
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
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
    fn digit_from(&mut self, lo: u8, hi: u8) -> char {
        char::from(b'0' + lo + self.below(usize::from(hi - lo + 1)) as u8)
    }
    fn hex(&mut self, n: usize, upper: bool) -> String {
        let set: &[u8] = if upper {
            b"0123456789ABCDEF"
        } else {
            b"0123456789abcdef"
        };
        (0..n).map(|_| char::from(set[self.below(16)])).collect()
    }
    fn alnum(&mut self, n: usize) -> String {
        const SET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        (0..n)
            .map(|_| char::from(SET[self.below(SET.len())]))
            .collect()
    }
    fn letters(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'A' + self.below(26) as u8))
            .collect()
    }
}

fn pick_str<'a>(r: &mut Rng, xs: &[&'a str]) -> &'a str {
    xs[r.below(xs.len())]
}

/// Places `value` into `template` at `{}`; returns the text and the byte range of `planted`,
/// a part of `value` (usually all of it).
fn embed(template: &str, value: &str, planted: Range<usize>) -> (String, Range<usize>) {
    let at = template.find("{}").expect("templates contain {}");
    let text = format!("{}{}{}", &template[..at], value, &template[at + 2..]);
    (text, at + planted.start..at + planted.end)
}

// ---------------------------------------------------------------------------------------------
// corpus

#[derive(Debug, Clone)]
struct Case {
    /// Row of the recall table (a detector name, or e.g. "phone (keyed bare)").
    label: String,
    /// Detector that must cover `span`; `None` for negatives.
    detector: Option<&'static str>,
    key: Option<String>,
    text: String,
    span: Range<usize>,
    /// Trap name for negatives.
    trap: &'static str,
}

fn positive(
    label: &str,
    detector: &'static str,
    key: Option<&str>,
    text: String,
    span: Range<usize>,
) -> Case {
    Case {
        label: label.to_owned(),
        detector: Some(detector),
        key: key.map(str::to_owned),
        text,
        span,
        trap: "",
    }
}

fn negative(trap: &'static str, key: Option<&str>, text: String) -> Case {
    Case {
        label: String::new(),
        detector: None,
        key: key.map(str::to_owned),
        span: 0..0,
        text,
        trap,
    }
}

const CONTACT_TEMPLATES: &[&str] = &[
    "Please call me at {} tomorrow",
    "You can reach me on {} after 5pm.",
    "Rufen Sie mich bitte unter {} an.",
    "Meine Nummer ist {}, danke!",
    "Appelez-moi au {} demain matin.",
    "Llámame al {} mañana, por favor",
    "Chiamami al {} domani",
    "Bel me op {} morgen",
    "Ligue para {} amanhã",
    "Contact: {}",
    "{}",
    "({})",
    "details: {}; thanks",
    "\"{}\"",
    "Support ticket: customer left {} in the notes field",
];

const EMAIL_TEMPLATES: &[&str] = &[
    "Write to {} please",
    "Schreiben Sie an {}.",
    "Envoyez un mail à {} svp",
    "Escríbeme a {}",
    "Scrivimi a {}",
    "Mail: <{}>",
    "mailto:{}",
    "{}",
    "Contact {} for details",
    "Stuur een mail naar {}, bedankt",
    "signup form: email={}&plan=pro",
];

const CARD_TEMPLATES: &[&str] = &[
    "Card {} exp 12/27",
    "Meine Karte: {}",
    "Carte bancaire {} merci",
    "Tarjeta {}",
    "paid with card {}",
    "cc={}&exp=1227",
    "{}",
    "Número de tarjeta: {}.",
    "La mia carta è {}",
];

const IBAN_TEMPLATES: &[&str] = &[
    "IBAN: {}",
    "Bitte überweisen an {} bis Freitag",
    "Mon IBAN est {} merci",
    "Cuenta {}",
    "{}",
    "Pay to {} (ref 2024-01)",
    "IBAN {}.",
    "Rekeningnummer {} graag",
];

const SSN_TEMPLATES: &[&str] = &[
    "SSN {}",
    "My social is {} thanks",
    "ssn: {}",
    "{}",
    "Social Security Number: {}.",
    "applicant ({}) approved",
];

const IP_TEMPLATES: &[&str] = &[
    "Request from {} rejected",
    "client ip {} blocked",
    "X-Forwarded-For: {}",
    "Verbindung von {} abgelehnt",
    "{}",
    "connexion depuis {} refusée",
    "login from {}, new device",
    "conexión desde {} bloqueada",
];

const MAC_TEMPLATES: &[&str] = &[
    "MAC {}",
    "device mac={}",
    "Adresse MAC : {}",
    "{}",
    "WLAN-MAC {} erkannt",
    "router reported {} as new client",
];

const URL_TEMPLATES: &[&str] = &[
    "connect to {}",
    "DATABASE_URL={}",
    "{}",
    "Fehler bei {}: timeout",
    "see {} for details",
    "webhook {} returned 500",
];

const NEUTRAL_TEMPLATES: &[&str] = &[
    "{}",
    "Order {} shipped",
    "Bestellung {} versandt",
    "Commande {} expédiée",
    "Pedido {} enviado",
    "value: {}",
    "({})",
    "Item {} added to cart",
    "Ordine {} spedito",
];

const FIRST: &[&str] = &[
    "john", "anna", "marie", "lukas", "sofia", "li", "ahmed", "olga", "jan", "chloé", "josé",
    "noah", "emma", "mia", "oliver", "zoe", "pierre", "giulia", "sven", "ana",
];
const LAST: &[&str] = &[
    "doe", "schmidt", "dupont", "garcia", "rossi", "devries", "smith", "nowak", "müller",
    "o'brien", "lee", "kowalski", "martin", "bianchi", "jansen", "silva", "berg", "nguyen",
];
const DOMAINS: &[&str] = &[
    "example.com",
    "mail.example.org",
    "gmail.com",
    "outlook.de",
    "corp-mail.co.uk",
    "students.uni-wien.ac.at",
    "orange.fr",
    "posteo.de",
    "eu.mail.example.io",
    "libero.it",
    "telefonica.es",
    "ziggo.nl",
    "startup.dev",
    "icloud.com",
    "web.de",
    "company.info",
];

fn email_value(r: &mut Rng) -> String {
    let f = *r.pick(FIRST);
    let l = *r.pick(LAST);
    let local = match r.below(8) {
        0 => format!("{f}.{l}"),
        1 => format!("{f}_{l}"),
        2 => format!("{}{l}", &f[..1]),
        3 => format!("{f}+{}", r.pick(&["news", "shop", "2024", "work"])),
        4 => format!("{f}.{l}+{}", r.pick(&["promo", "x"])),
        5 => {
            let n = r.below(4) + 1;
            format!("{f}{}", r.digits(n))
        }
        6 => format!("{}.{}", f.to_uppercase(), l),
        _ => format!("{f}-{l}"),
    };
    match r.below(10) {
        0 => format!("{}@{}", local, r.pick(DOMAINS).to_uppercase()),
        1 => format!(
            "{local}@{}",
            r.pick(&["müller.de", "café-paris.fr", "société.example"])
        ),
        _ => format!("{local}@{}", r.pick(DOMAINS)),
    }
}

/// (area, exchange) for NANP: N11 never, first digit 2-9.
fn nanp_parts(r: &mut Rng) -> (String, String, String) {
    let n = |r: &mut Rng| loop {
        let v = format!("{}{}", r.digit_from(2, 9), r.digits(2));
        if &v[1..] != "11" {
            return v;
        }
    };
    let area = n(r);
    let exch = if r.chance(20) { "555".to_owned() } else { n(r) };
    let line = if exch == "555" && r.chance(50) {
        format!("01{}", r.digits(2))
    } else {
        r.digits(4)
    };
    (area, exch, line)
}

/// A phone number of one of several countries and formats, and its country label.
fn phone_value(r: &mut Rng) -> (String, &'static str) {
    match r.below(11) {
        0 | 1 => {
            let (a, e, l) = nanp_parts(r);
            let v = match r.below(9) {
                0 => format!("({a}) {e}-{l}"),
                1 => format!("{a}-{e}-{l}"),
                2 => format!("{a}.{e}.{l}"),
                3 => format!("+1 {a} {e} {l}"),
                4 => format!("+1-{a}-{e}-{l}"),
                5 => format!("1-{a}-{e}-{l}"),
                6 => format!("+1 ({a}) {e}-{l}"),
                7 => format!("{a} {e} {l}"),
                _ => format!("+1{a}{e}{l}"),
            };
            (v, "US")
        }
        2 => {
            let v = match r.below(7) {
                0 => format!(
                    "07{} {}",
                    r.digit_from(1, 9).to_string() + &r.digits(2),
                    r.digits(6)
                ),
                1 => format!("07{}{}", r.digit_from(1, 9), r.digits(8)),
                2 => format!("+44 7{} {}", r.digits(3), r.digits(6)),
                3 => format!("020 {} {}", r.digits(4), r.digits(4)),
                4 => format!("+44 20 {} {}", r.digits(4), r.digits(4)),
                5 => format!("+44 (0)20 {} {}", r.digits(4), r.digits(4)),
                _ => format!(
                    "01{}{} {} {}",
                    r.digit_from(1, 9),
                    r.digits(1),
                    r.digits(3),
                    r.digits(4)
                ),
            };
            (v, "UK")
        }
        3 => {
            let v = match r.below(7) {
                0 => format!("030 {}", r.digits(8)),
                1 => format!("015{} {}", r.digit_from(1, 9), r.digits(8)),
                2 => format!("030/{}", r.digits(7)),
                3 => format!("(089) {}", r.digits(7)),
                4 => format!("+49 30 {}", r.digits(8)),
                5 => format!("+49 151 {}", r.digits(8)),
                _ => format!("0049 30 {}", r.digits(8)),
            };
            (v, "DE")
        }
        4 => {
            let pairs =
                |r: &mut Rng, sep: &str| (0..4).map(|_| r.digits(2)).collect::<Vec<_>>().join(sep);
            let v = match r.below(6) {
                0 => format!("0{} {}", r.digit_from(1, 7), pairs(r, " ")),
                1 => format!("0{}.{}", r.digit_from(1, 7), pairs(r, ".")),
                2 => format!("06{}", r.digits(8)),
                3 => format!("+33 {} {}", r.digit_from(1, 7), pairs(r, " ")),
                4 => format!("0033 {} {}", r.digit_from(6, 7), pairs(r, " ")),
                _ => format!("07 {}", pairs(r, " ")),
            };
            (v, "FR")
        }
        5 => {
            let v = match r.below(5) {
                0 => format!("06-{}", r.digits(8)),
                1 => format!("06 {}", r.digits(8)),
                2 => format!("+31 6 {}", r.digits(8)),
                3 => format!("020-{}", r.digits(7)),
                _ => format!("010 {} {}", r.digits(3), r.digits(4)),
            };
            (v, "NL")
        }
        6 => {
            let v = match r.below(5) {
                0 => format!("6{} {} {}", r.digits(2), r.digits(3), r.digits(3)),
                1 => format!("9{} {} {}", r.digits(2), r.digits(3), r.digits(3)),
                2 => format!("91 {} {} {}", r.digits(3), r.digits(2), r.digits(2)),
                3 => format!(
                    "6{} {} {} {}",
                    r.digits(2),
                    r.digits(2),
                    r.digits(2),
                    r.digits(2)
                ),
                _ => format!("+34 6{} {} {}", r.digits(2), r.digits(3), r.digits(3)),
            };
            (v, "ES")
        }
        7 => {
            let v = match r.below(5) {
                0 => format!("3{} {} {}", r.digits(2), r.digits(3), r.digits(4)),
                1 => format!("3{} {}", r.digits(2), r.digits(7)),
                2 => format!("+39 3{} {} {}", r.digits(2), r.digits(3), r.digits(4)),
                3 => format!("06 {} {}", r.digits(4), r.digits(4)),
                _ => format!("02 {} {}", r.digits(4), r.digits(4)),
            };
            (v, "IT")
        }
        8 => {
            let (a, e, l) = nanp_parts(r);
            let v = match r.below(12) {
                0 => format!("+49 (0) 30 {}", r.digits(8)),
                1 => format!(
                    "+33 (0)6 {} {} {} {}",
                    r.digits(2),
                    r.digits(2),
                    r.digits(2),
                    r.digits(2)
                ),
                2 => format!("030-{}", r.digits(8)),
                3 => format!("tel:+1{a}{e}{l}"),
                4 => format!("+1 {a}.{e}.{l}"),
                5 => format!("+34 912 {} {} {}", r.digits(2), r.digits(2), r.digits(2)),
                6 => format!("0664 {}", r.digits(7)),
                7 => format!("044 {} {} {}", r.digits(3), r.digits(2), r.digits(2)),
                8 => format!("(0151) {} {}", r.digits(4), r.digits(4)),
                9 => format!("{a} {e}-{l}"),
                10 => format!("+31 (0)6 {}", r.digits(8)),
                _ => format!("+44 7{} {} {}", r.digits(3), r.digits(3), r.digits(3)),
            };
            (v, "mixed")
        }
        _ => {
            let v = match r.below(8) {
                0 => format!("+91 9{} {}", r.digits(4), r.digits(5)),
                1 => format!("+61 4{} {} {}", r.digits(2), r.digits(3), r.digits(3)),
                2 => format!("04{} {} {}", r.digits(2), r.digits(3), r.digits(3)),
                3 => format!("+81 3-{}-{}", r.digits(4), r.digits(4)),
                4 => format!("03-{}-{}", r.digits(4), r.digits(4)),
                5 => format!("+55 11 9{}-{}", r.digits(4), r.digits(4)),
                6 => format!("+41 44 {} {} {}", r.digits(3), r.digits(2), r.digits(2)),
                _ => format!("+48 5{} {} {}", r.digits(2), r.digits(3), r.digits(3)),
            };
            (v, "other")
        }
    }
}

fn luhn_complete(partial: &str) -> String {
    // Append the check digit that makes `partial + d` pass Luhn.
    let sum: u32 = partial
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, c)| {
            let x = u32::from(c - b'0');
            if i % 2 == 0 {
                let y = x * 2;
                if y > 9 { y - 9 } else { y }
            } else {
                x
            }
        })
        .sum();
    format!("{partial}{}", (10 - sum % 10) % 10)
}

fn luhn_ok(d: &str) -> bool {
    let sum: u32 = d
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, c)| {
            let x = u32::from(c - b'0');
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

/// Issuer prefix rules as documented (independent re-statement for the negative generator).
fn issuer_prefix_ok(d: &str) -> bool {
    let p = |k: usize| d[..k].parse::<u32>().unwrap_or(0);
    let n = d.len();
    (d.starts_with('4') && matches!(n, 13 | 16 | 19))
        || (((51..=55).contains(&p(2)) || (2221..=2720).contains(&p(4))) && n == 16)
        || ((p(2) == 34 || p(2) == 37) && n == 15)
        || ((p(4) == 6011 || (644..=649).contains(&p(3)) || p(2) == 65) && (16..=19).contains(&n))
        || ((3528..=3589).contains(&p(4)) && (16..=19).contains(&n))
        || (((300..=305).contains(&p(3)) || [36, 38, 39].contains(&p(2))) && (14..=19).contains(&n))
        || (p(2) == 62 && (16..=19).contains(&n))
}

fn card_value(r: &mut Rng) -> (String, &'static str) {
    let (issuer, prefix, len): (&str, String, usize) = match r.below(8) {
        0 => ("visa", "4".into(), *r.pick(&[16, 16, 16, 13, 19])),
        1 => ("mastercard", format!("5{}", r.digit_from(1, 5)), 16),
        2 => ("mastercard2", r.range(2221, 2720).to_string(), 16),
        3 => ("amex", r.pick(&["34", "37"]).to_string(), 15),
        4 => (
            "discover",
            r.pick(&["6011", "644", "645", "649", "65"]).to_string(),
            *r.pick(&[16, 16, 19]),
        ),
        5 => ("jcb", r.range(3528, 3589).to_string(), 16),
        6 => (
            "diners",
            r.pick(&["300", "305", "36", "38", "39"]).to_string(),
            14,
        ),
        _ => ("unionpay", "62".into(), *r.pick(&[16, 19])),
    };
    let body = format!("{prefix}{}", r.digits(len - 1 - prefix.len()));
    let number = luhn_complete(&body);
    let grouped = |sep: &str, sizes: &[usize]| {
        let mut out = Vec::new();
        let mut i = 0;
        for &s in sizes {
            out.push(&number[i..(i + s).min(number.len())]);
            i += s;
        }
        out.join(sep)
    };
    let sep = *r.pick(&[" ", "-"]);
    let v = match (len, r.below(3)) {
        (_, 0) => number.clone(),
        (16, _) => grouped(sep, &[4, 4, 4, 4]),
        (15, _) => grouped(sep, &[4, 6, 5]),
        (14, _) => grouped(sep, &[4, 6, 4]),
        (19, _) => grouped(sep, &[4, 4, 4, 4, 3]),
        _ => number.clone(),
    };
    (v, issuer)
}

fn iban_check(country: &str, bban: &str) -> String {
    let rearranged = format!("{bban}{country}00");
    let mut rem: u64 = 0;
    for c in rearranged.chars() {
        let v = c.to_digit(36).expect("alphanumeric") as u64;
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    format!("{country}{:02}{bban}", 98 - rem)
}

fn iban_value(r: &mut Rng) -> (String, &'static str) {
    let (cc, bban): (&'static str, String) = match r.below(20) {
        0 => ("DE", r.digits(18)),
        1 => ("GB", format!("{}{}", r.letters(4), r.digits(14))),
        2 => (
            "FR",
            format!("{}{}{}", r.digits(10), r.alnum(11), r.digits(2)),
        ),
        3 => ("NL", format!("{}{}", r.letters(4), r.digits(10))),
        4 => ("ES", r.digits(20)),
        5 => (
            "IT",
            format!("{}{}{}", r.letters(1), r.digits(10), r.alnum(12)),
        ),
        6 => ("BE", r.digits(12)),
        7 => ("AT", r.digits(16)),
        8 => ("CH", format!("{}{}", r.digits(5), r.alnum(12))),
        9 => ("PL", r.digits(24)),
        10 => ("PT", r.digits(21)),
        11 => ("IE", format!("{}{}", r.letters(4), r.digits(14))),
        12 => ("SE", r.digits(20)),
        13 => ("NO", r.digits(11)),
        14 => ("DK", r.digits(14)),
        15 => ("FI", r.digits(14)),
        16 => ("LU", format!("{}{}", r.digits(3), r.alnum(13))),
        17 => ("SA", format!("{}{}", r.digits(2), r.alnum(18))),
        18 => (
            "BR",
            format!("{}{}{}", r.digits(23), r.letters(1), r.alnum(1)),
        ),
        _ => (
            "MT",
            format!("{}{}{}", r.letters(4), r.digits(5), r.alnum(18)),
        ),
    };
    let iban = iban_check(cc, &bban);
    let v = match r.below(4) {
        0 | 1 => iban
            .as_bytes()
            .chunks(4)
            .map(|c| std::str::from_utf8(c).expect("ascii"))
            .collect::<Vec<_>>()
            .join(" "),
        2 => iban.to_lowercase(),
        _ => iban,
    };
    (v, cc)
}

fn ssn_parts(r: &mut Rng) -> (String, String, String) {
    let area = loop {
        let a = r.range(1, 899);
        if a != 666 {
            break a;
        }
    };
    (
        format!("{area:03}"),
        format!("{:02}", r.range(1, 99)),
        format!("{:04}", r.range(1, 9999)),
    )
}

fn ipv4_value(r: &mut Rng) -> String {
    loop {
        let v = match r.below(5) {
            0 => format!("192.0.2.{}", r.range(1, 254)),
            1 => format!("198.51.100.{}", r.range(1, 254)),
            2 => format!(
                "10.{}.{}.{}",
                r.range(0, 255),
                r.range(0, 255),
                r.range(1, 254)
            ),
            _ => format!(
                "{}.{}.{}.{}",
                r.range(1, 223),
                r.range(0, 255),
                r.range(0, 255),
                r.range(1, 254)
            ),
        };
        if v != "0.0.0.0" {
            return v;
        }
    }
}

fn ipv6_value(r: &mut Rng) -> String {
    let upper = r.chance(20);
    let mut groups: Vec<String> = (0..8)
        .map(|_| {
            let g = r.hex(4, upper);
            let trimmed = g.trim_start_matches('0');
            if trimmed.is_empty() {
                "0".into()
            } else {
                trimmed.to_owned()
            }
        })
        .collect();
    match r.below(6) {
        0 => groups.join(":"),
        1 => {
            // compressed zero run in the middle
            let at = 2 + r.below(4);
            let run = 1 + r.below(3);
            format!(
                "{}::{}",
                groups[..at].join(":"),
                groups[at + run..].join(":")
            )
        }
        2 => format!("2001:db8::{}", groups[..1 + r.below(3)].join(":")),
        3 => format!("fe80::{}", groups[..4].join(":")),
        4 => {
            groups[0] = "2001".into();
            groups[1] = "db8".into();
            let full: Vec<String> = groups.iter().map(|g| format!("{g:0>4}")).collect();
            full.join(":")
        }
        _ => format!("{}::{}", groups[..3].join(":"), groups[7]),
    }
}

fn mac_value(r: &mut Rng) -> String {
    let upper = r.chance(50);
    let bytes: Vec<String> = (0..6).map(|_| r.hex(2, upper)).collect();
    match r.below(3) {
        0 => bytes.join(":"),
        1 => bytes.join("-"),
        _ => format!(
            "{}{}.{}{}.{}{}",
            bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5]
        ),
    }
}

fn url_credentials_value(r: &mut Rng) -> (String, Range<usize>) {
    let scheme = *r.pick(&[
        "https",
        "http",
        "ftp",
        "postgres",
        "postgresql",
        "mysql",
        "redis",
        "amqp",
        "mongodb+srv",
        "sftp",
        "smtp",
    ]);
    let user = match r.below(4) {
        0 => (*r.pick(FIRST)).to_owned(),
        1 => format!("svc_{}", r.alnum(5).to_lowercase()),
        2 => "admin".to_owned(),
        _ => format!("{}.{}", r.pick(FIRST), r.pick(&["ops", "dev", "app"])),
    };
    let pass = match r.below(4) {
        0 => r.alnum(12),
        1 => format!("{}%40{}", r.alnum(4), r.digits(3)),
        2 => format!("{}!{}$", r.alnum(6).to_lowercase(), r.digits(2)),
        _ => format!("ghp_{}", r.alnum(20)),
    };
    let host = match r.below(3) {
        0 => format!("db{}.internal", r.below(9)),
        1 => (*r.pick(DOMAINS)).to_owned(),
        _ => ipv4_value(r),
    };
    let tail = *r.pick(&[
        "",
        "/",
        "/prod",
        ":5432/app?sslmode=require",
        "/path/to/file.csv",
    ]);
    let prefix = format!("{scheme}://");
    let v = format!("{prefix}{user}:{pass}@{host}{tail}");
    let span = prefix.len()..prefix.len() + user.len() + 1 + pass.len();
    (v, span)
}

/// Day of week (0 = Sunday), Sakamoto's method.
fn weekday(y: i32, m: u32, d: u32) -> usize {
    const T: [i32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = if m < 3 { y - 1 } else { y };
    ((y + y / 4 - y / 100 + y / 400 + T[(m - 1) as usize] + d as i32) % 7) as usize
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn date_value(r: &mut Rng) -> String {
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const DE: [&str; 12] = [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ];
    const FR: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    const ES: [&str; 12] = [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ];
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    let y = r.range(1920, 2012) as i32;
    let m = r.range(1, 12) as u32;
    let d = r.range(1, 28) as u32;
    let mi = (m - 1) as usize;
    match r.below(16) {
        0 => format!("{y}-{m:02}-{d:02}"),
        1 => format!("{y}-{m:02}-{d:02}T00:00:00Z"),
        2 => format!("{y}-{m:02}-{d:02}T00:00:00.000+02:00"),
        3 => format!("{m:02}/{d:02}/{y}"),
        4 => format!("{d:02}/{m:02}/{y}"),
        5 => format!("{d}.{m}.{y}"),
        6 => format!("{d:02}.{m:02}.{y}"),
        7 => format!("{} {d}, {y}", EN[mi]),
        8 => format!("{d} {} {y}", EN[mi]),
        9 => format!("{} {d}, {y}", &EN[mi][..3]),
        10 => format!("{d:02}-{}-{y}", &EN[mi][..3]),
        11 => format!("{y}/{m:02}/{d:02}"),
        12 => format!("{d}. {} {y}", DE[mi]),
        13 => format!("{d} {} {y}", FR[mi]),
        14 => format!("{d} de {} de {y}", ES[mi]),
        _ => {
            if r.chance(50) {
                format!(
                    "{} {} {d:02} {y} 00:00:00 GMT+0100 (Central European Standard Time)",
                    DAYS[weekday(y, m, d)],
                    &EN[mi][..3]
                )
            } else {
                (days_from_civil(i64::from(y), m, d) * 86_400_000).to_string()
            }
        }
    }
}

fn uuid_value(r: &mut Rng) -> String {
    let upper = r.chance(50);
    let v = format!(
        "{}-{}-4{}-{}{}-{}",
        r.hex(8, upper),
        r.hex(4, upper),
        r.hex(3, upper),
        r.pick(&["8", "9", "a", "b"]),
        r.hex(3, upper),
        r.hex(12, upper)
    );
    if r.chance(10) { format!("{{{v}}}") } else { v }
}

fn generated_positives(r: &mut Rng) -> Vec<Case> {
    let mut cases = Vec::new();
    let mut add = |label: &str,
                   det: &'static str,
                   key: Option<&str>,
                   templates: &[&str],
                   r: &mut Rng,
                   value: String,
                   planted: Range<usize>| {
        let (text, span) = embed(pick_str(r, templates), &value, planted);
        cases.push(positive(label, det, key, text, span));
    };
    for _ in 0..400 {
        let v = email_value(r);
        if r.chance(10) {
            // Percent-encoded in a page URL's query string, as analytics SDKs send it.
            let encoded = v.replace('@', "%40").replace('+', "%2B");
            let url = format!("https://shop.example.com/account?email={encoded}&utm_source=mail");
            let start = url.find("email=").expect("planted") + 6;
            add(
                "email",
                "email",
                None,
                &["{}", "page {} viewed"],
                r,
                url,
                start..start + encoded.len(),
            );
        } else {
            let n = v.len();
            add("email", "email", None, EMAIL_TEMPLATES, r, v, 0..n);
        }

        let (v, _) = phone_value(r);
        // The number is the personal data; a `tel:` scheme in front of it is not.
        let from = if v.starts_with("tel:") { 4 } else { 0 };
        let n = v.len();
        add("phone", "phone", None, CONTACT_TEMPLATES, r, v, from..n);

        let (v, _) = card_value(r);
        let n = v.len();
        add(
            "credit_card",
            "credit_card",
            None,
            CARD_TEMPLATES,
            r,
            v,
            0..n,
        );

        let (v, _) = iban_value(r);
        let n = v.len();
        add("iban", "iban", None, IBAN_TEMPLATES, r, v, 0..n);

        let (a, g, s) = ssn_parts(r);
        let sep = *r.pick(&["-", "-", " "]);
        let v = format!("{a}{sep}{g}{sep}{s}");
        let n = v.len();
        add("us_ssn", "us_ssn", None, SSN_TEMPLATES, r, v, 0..n);

        let v = ipv4_value(r);
        let (v, planted) = match r.below(6) {
            0 => (format!("{v}:8080"), 0..v.len()),
            1 => (format!("http://{v}/admin"), 7..7 + v.len()),
            2 => (format!("{v}/24"), 0..v.len()),
            3 => (format!("::ffff:{v}"), 0..7 + v.len()),
            _ => {
                let n = v.len();
                (v, 0..n)
            }
        };
        add("ipv4", "ipv4", None, IP_TEMPLATES, r, v, planted);

        let v = ipv6_value(r);
        let (v, planted) = match r.below(5) {
            0 => (format!("[{v}]:443"), 1..1 + v.len()),
            1 => (format!("http://[{v}]/status"), 8..8 + v.len()),
            2 if v.starts_with("fe80") => (format!("{v}%eth0"), 0..v.len()),
            _ => {
                let n = v.len();
                (v, 0..n)
            }
        };
        add("ipv6", "ipv6", None, IP_TEMPLATES, r, v, planted);

        let v = mac_value(r);
        let n = v.len();
        add("mac", "mac", None, MAC_TEMPLATES, r, v, 0..n);

        let (v, planted) = url_credentials_value(r);
        add(
            "url_credentials",
            "url_credentials",
            None,
            URL_TEMPLATES,
            r,
            v,
            planted,
        );
    }
    // Keyed detectors: the whole value under a matching key.
    const UUID_KEYS: &[&str] = &[
        "device_id",
        "deviceId",
        "idfa",
        "idfv",
        "advertising_id",
        "advertisingId",
        "vendor_id",
        "install_id",
        "installation_id",
        "$device_id",
        "android_id",
        "IDFA",
        "gaid",
        "adid",
    ];
    const ZIP_KEYS: &[&str] = &[
        "zip",
        "zip_code",
        "zipCode",
        "ZIP",
        "postal_code",
        "postalCode",
        "postcode",
        "shipping_zip",
        "billing_zip_code",
        "Postal",
    ];
    const DOB_KEYS: &[&str] = &[
        "dob",
        "DOB",
        "birthday",
        "birthDate",
        "date_of_birth",
        "dateOfBirth",
        "birth_date",
        "user_dob",
        "geburtsdatum",
        "fecha_nacimiento",
        "Birthday",
    ];
    const SSN_KEYS: &[&str] = &[
        "ssn",
        "SSN",
        "social_security_number",
        "tax_id",
        "customer_ssn",
        "SocialSecurityNumber",
        "tin",
    ];
    const PHONE_KEYS: &[&str] = &[
        "phone",
        "phone_number",
        "mobile",
        "Mobile_Phone",
        "tel",
        "cell_phone",
        "fax",
        "phoneNumber",
        "telefon",
        "whatsapp",
    ];
    for _ in 0..350 {
        let v = uuid_value(r);
        let key = *r.pick(UUID_KEYS);
        let text = if r.chance(10) {
            format!(" {v} ")
        } else {
            v.clone()
        };
        let start = text.find(&v).expect("planted");
        cases.push(positive(
            "uuid",
            "uuid",
            Some(key),
            text,
            start..start + v.len(),
        ));

        let v = match r.below(4) {
            0 => r.range(1001, 9999).to_string(),
            1 => format!("{}-{}", r.range(10000, 99999), r.digits(4)),
            2 => format!("{}{}", r.range(10000, 99999), r.digits(4)),
            _ => format!("{:05}", r.range(1001, 99950)),
        };
        let n = v.len();
        cases.push(positive(
            "us_zip",
            "us_zip",
            Some(*r.pick(ZIP_KEYS)),
            v,
            0..n,
        ));

        let v = date_value(r);
        let n = v.len();
        cases.push(positive(
            "date_of_birth",
            "date_of_birth",
            Some(*r.pick(DOB_KEYS)),
            v,
            0..n,
        ));

        let (a, g, s) = ssn_parts(r);
        let v = format!("{a}{g}{s}");
        cases.push(positive(
            "us_ssn (keyed bare)",
            "us_ssn",
            Some(*r.pick(SSN_KEYS)),
            v,
            0..9,
        ));

        let (a, e, l) = nanp_parts(r);
        let v = match r.below(6) {
            0..=2 => format!("{a}{e}{l}"),
            3 => format!("1{a}{e}{l}"),
            4 => format!("07{}{}", r.digit_from(1, 9), r.digits(8)),
            _ => format!("015{}{}", r.digit_from(1, 7), r.digits(8)),
        };
        let n = v.len();
        cases.push(positive(
            "phone (keyed bare)",
            "phone",
            Some(*r.pick(PHONE_KEYS)),
            v,
            0..n,
        ));
    }
    cases
}

// ---------------------------------------------------------------------------------------------
// negatives

fn heap_user_id(r: &mut Rng) -> String {
    // Heap user ids are random integers below 2^53; keep those that fail issuer or Luhn rules
    // (the others are indistinguishable from card numbers, by definition).
    loop {
        let v = r
            .range(1_000_000_000_000_000, 9_007_199_254_740_991)
            .to_string();
        if !(issuer_prefix_ok(&v) && luhn_ok(&v)) {
            return v;
        }
    }
}

fn other_16_digit_id(r: &mut Rng) -> String {
    loop {
        let v = format!("{}{}", r.digit_from(1, 9), r.digits(15));
        if !(issuer_prefix_ok(&v) && luhn_ok(&v)) {
            return v;
        }
    }
}

fn upc12(r: &mut Rng) -> String {
    let body = r.digits(11);
    let sum: u32 = body
        .bytes()
        .enumerate()
        .map(|(i, c)| u32::from(c - b'0') * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

fn ean13(r: &mut Rng) -> String {
    let body = format!(
        "{}{}",
        r.pick(&[
            "400", "401", "419", "429", "50", "54", "30", "80", "84", "87", "90"
        ]),
        r.digits(10)
    );
    let body = &body[..12];
    let sum: u32 = body
        .bytes()
        .enumerate()
        .map(|(i, c)| u32::from(c - b'0') * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

fn isbn13(r: &mut Rng) -> String {
    let body = format!("978{}", r.digits(9));
    let sum: u32 = body
        .bytes()
        .enumerate()
        .map(|(i, c)| u32::from(c - b'0') * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    let d = (10 - sum % 10) % 10;
    let b = body.as_bytes();
    let s = |r: Range<usize>| std::str::from_utf8(&b[r]).expect("ascii").to_owned();
    match r.below(3) {
        0 => format!("{body}{d}"),
        1 => format!("{}-{}-{}-{}-{d}", s(0..3), s(3..4), s(4..6), s(6..12)),
        _ => format!("ISBN {}-{}-{}-{}-{d}", s(0..3), s(3..5), s(5..9), s(9..12)),
    }
}

fn iso_timestamp(r: &mut Rng) -> String {
    let (y, mo, d, h, mi, s) = (
        r.range(2015, 2026),
        r.range(1, 12),
        r.range(1, 28),
        r.range(0, 23),
        r.range(0, 59),
        r.range(0, 59),
    );
    match r.below(6) {
        0 => format!("{y}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z"),
        1 => format!("{y}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{}Z", r.digits(3)),
        2 => format!(
            "{y}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}+0{}:00",
            r.below(10)
        ),
        3 => format!("{y}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}"),
        4 => format!("{d:02}.{mo:02}.{y} {h:02}:{mi:02}"),
        _ => format!("{mo:02}/{d:02}/{y} {h:02}:{mi:02} PM"),
    }
}

fn version_string(r: &mut Rng) -> (String, Option<&'static str>) {
    let (a, b, c) = (r.range(0, 20), r.range(0, 40), r.range(0, 300));
    match r.below(10) {
        0 => (format!("{a}.{b}.{c}"), None),
        1 => (format!("v{a}.{b}.{c}.{}", r.range(0, 999)), None),
        2 => (
            format!(
                "version {}.{}.{}.{}",
                r.range(1, 30),
                b,
                r.range(0, 99),
                r.range(0, 99)
            ),
            None,
        ),
        3 => (
            format!(
                "{}.{}.{}.{}.{}",
                r.range(1, 30),
                b,
                r.range(0, 99),
                r.range(0, 99),
                r.range(0, 9)
            ),
            None,
        ),
        4 => (
            format!(
                "Build {}.{}.{}.{}",
                r.range(1, 30),
                b,
                r.range(0, 99),
                r.range(0, 99)
            ),
            None,
        ),
        5 => (
            format!(
                "{}.{}.{}.{}",
                r.range(1, 30),
                b,
                r.range(0, 99),
                r.range(0, 99)
            ),
            Some("app_version"),
        ),
        6 => (
            format!(
                "Chrome/{}.0.{}.{}",
                r.range(90, 130),
                r.range(4000, 6999),
                r.range(1, 200)
            ),
            None,
        ),
        7 => (format!("iOS {a}.{b}.{}", r.range(0, 9)), None),
        8 => (format!("{a}.{b}.{c}-beta.{}", r.range(1, 9)), None),
        _ => (
            format!(
                "Firmware: {}.{}.{}.{}",
                r.range(1, 9),
                r.range(0, 20),
                r.range(0, 99),
                r.range(0, 999)
            ),
            None,
        ),
    }
}

fn price(r: &mut Rng) -> String {
    let whole = r.range(1, 99_999);
    let cents = r.range(0, 99);
    let thousands = |w: u64, sep: &str| {
        if w >= 1000 {
            format!("{}{sep}{:03}", w / 1000, w % 1000)
        } else {
            w.to_string()
        }
    };
    match r.below(8) {
        0 => format!("${}.{cents:02}", thousands(whole, ",")),
        1 => format!("{},{cents:02} €", thousands(whole, ".")),
        2 => format!("€ {},{cents:02}", thousands(whole, ".")),
        3 => format!("£{}.{cents:02}", thousands(whole, ",")),
        4 => format!("USD {}.{cents:02}", thousands(whole, ",")),
        5 => format!("{} {cents:02} zł", thousands(whole, " ")),
        6 => format!("CHF {}.{cents:02}", thousands(whole, "'")),
        _ => format!("¥{}", thousands(whole * 10, ",")),
    }
}

fn lat_long(r: &mut Rng) -> String {
    let lat = r.range(0, 89_999_999) as f64 / 1_000_000.0;
    let lon = r.range(0, 179_999_999) as f64 / 1_000_000.0;
    match r.below(4) {
        0 => format!("{lat:.4}, -{lon:.4}"),
        1 => format!("+{lat:.6},-{lon:.6}"),
        2 => format!("lat={lat:.5}&lng={lon:.5}"),
        _ => format!("{lat:.4}° N, {lon:.4}° E"),
    }
}

fn generated_negatives(r: &mut Rng) -> Vec<Case> {
    let mut cases = Vec::new();
    let mut neg = |trap: &'static str, key: Option<&str>, value: String, r: &mut Rng| {
        let (text, _) = if key.is_some() || r.chance(30) {
            (value, 0..0)
        } else {
            embed(pick_str(r, NEUTRAL_TEMPLATES), &value, 0..0)
        };
        cases.push(negative(trap, key, text));
    };
    for _ in 0..60 {
        let e = r.range(1_400_000_000, 1_800_000_000);
        neg("epoch seconds", None, e.to_string(), r);
        neg(
            "epoch seconds",
            Some(*r.pick(&[
                "timestamp",
                "created_at",
                "phone_verified_at",
                "last_seen",
                "time",
            ])),
            e.to_string(),
            r,
        );
        let ms = r.range(1_400_000_000_000, 1_800_000_000_000);
        neg("epoch milliseconds", None, ms.to_string(), r);
        neg(
            "epoch milliseconds",
            Some(*r.pick(&["ts", "sent_at", "client_time", "mobile_session_start"])),
            ms.to_string(),
            r,
        );
        neg("ISO timestamp", None, iso_timestamp(r), r);
        let (v, key) = version_string(r);
        neg("version string", key, v, r);
        let oid = match r.below(3) {
            0 => format!("1.3.6.1.4.1.{}.{}", r.range(1, 60000), r.range(1, 99)),
            1 => format!("2.5.4.{}", r.range(1, 99)),
            _ => format!("1.2.840.{}.1.1.{}", r.range(10000, 113549), r.range(1, 14)),
        };
        neg("OID", None, oid, r);
        let order = match r.below(4) {
            0 => format!("ORD-{}-{:06}", r.range(2015, 2026), r.range(1, 999_999)),
            1 => format!("INV-{}-{}", r.range(2015, 2026), r.digits(6)),
            2 => format!("#{}", r.range(100_000, 9_999_999)),
            _ => format!("PO-{}-{}", r.digits(5), r.digits(2)),
        };
        neg("order id", None, order, r);
        neg("Heap user id", None, heap_user_id(r), r);
        neg(
            "Heap user id",
            Some(*r.pick(&["user_id", "heap_user_id", "identity", "userId"])),
            heap_user_id(r),
            r,
        );
        neg("other 16-digit id", None, other_16_digit_id(r), r);
        neg("price", None, price(r), r);
        neg("ISBN", None, isbn13(r), r);
        neg(
            "UPC-12 / EAN-13",
            None,
            if r.chance(50) { upc12(r) } else { ean13(r) },
            r,
        );
        let hash = match r.below(4) {
            0 => r.hex(40, false),
            1 => {
                let n = 7 + r.below(6);
                r.hex(n, false)
            }
            2 => r.hex(32, false),
            _ => r.hex(64, false),
        };
        neg("git SHA / MD5", None, hash, r);
        let colour = match r.below(3) {
            0 => {
                let upper = r.chance(50);
                format!("#{}", r.hex(6, upper))
            }
            1 => format!(
                "rgb({}, {}, {})",
                r.range(0, 255),
                r.range(0, 255),
                r.range(0, 255)
            ),
            _ => format!("#{}", r.hex(3, false)),
        };
        neg("colour", None, colour, r);
        let asset = format!(
            "{}@{}x.{}",
            r.pick(&["icon", "logo", "sprite", "hero-banner", "avatar_default"]),
            r.range(1, 3),
            r.pick(&["png", "jpg", "webp", "svg", "gif"])
        );
        neg("icon@2x.png", None, asset, r);
        let clock = match r.below(4) {
            0 => format!(
                "{:02}:{:02}:{:02}",
                r.range(0, 23),
                r.range(0, 59),
                r.range(0, 59)
            ),
            1 => format!("{:02}:{:02}", r.range(0, 23), r.range(0, 59)),
            2 => format!(
                "{:02}:{:02}:{:02}.{}",
                r.range(0, 23),
                r.range(0, 59),
                r.range(0, 59),
                r.digits(3)
            ),
            _ => format!(
                "{:02}:{:02}-{:02}:{:02}",
                r.range(0, 23),
                r.range(0, 59),
                r.range(0, 23),
                r.range(0, 59)
            ),
        };
        neg("clock time", None, clock, r);
        let status = *r.pick(&[
            "HTTP/1.1 404 Not Found",
            "status=503",
            "200 OK",
            "HTTP 301 Moved Permanently",
            "Error 500",
            "429 Too Many Requests",
        ]);
        neg("HTTP status", None, status.to_owned(), r);
        neg("lat/long", None, lat_long(r), r);
        let pkg = match r.below(4) {
            0 => format!(
                "{}@{}.{}.{}",
                r.pick(&["lodash", "react", "left-pad", "express", "vue"]),
                r.range(0, 20),
                r.range(0, 30),
                r.range(0, 40)
            ),
            1 => format!(
                "npm i @{}/{}@{}.{}.{}",
                r.pick(&["angular", "babel", "types", "acme"]),
                r.pick(&["core", "cli", "node"]),
                r.range(0, 20),
                r.range(0, 30),
                r.range(0, 9)
            ),
            2 => format!(
                "@{}/{}",
                r.pick(&["scope", "vue", "aws-sdk"]),
                r.pick(&["pkg", "client-s3", "runtime"])
            ),
            _ => format!(
                "import {{ x }} from \"@{}/{}\"",
                r.pick(&["scope", "remix-run"]),
                r.pick(&["pkg", "react"])
            ),
        };
        neg("pkg@1.2.3 / @scope/pkg", None, pkg, r);
        let local = format!(
            "{}@localhost",
            r.pick(&["user", "root", "admin", "postgres", "www-data"])
        );
        neg("user@localhost", None, local, r);
        let cpp = *r.pick(&[
            "std::vector<int>",
            "std::string",
            "a::b",
            "Foo::Bar::baz()",
            "crate::policy::detect",
            "std::map<std::string, int>",
            "ns::Type::method",
        ]);
        neg("std::vector", None, cpp.to_owned(), r);
        let ui = *r.pick(&[
            "Add to cart",
            "iPhone 15 Pro Max 256GB",
            "Size 42 (EU)",
            "Qty: 3",
            "Room 101",
            "Flight LH 2034 to FRA",
            "Gate B12",
            "Page 2 of 10",
            "Save 20% today",
            "4.8 out of 5 stars (1,234 reviews)",
            "Checkout – Step 2/3",
            "Free shipping over $50",
            "Chapter 3: Getting started",
            "Top 10 tips for 2024",
            "Windows 11 Pro 64-bit",
        ]);
        neg("benign UI text", None, ui.to_owned(), r);
        let code = match r.below(6) {
            0 => format!("SKU-{}-{}", r.digits(5), r.digits(3)),
            1 => format!("1Z{}{}", r.alnum(6), r.digits(10)),
            2 => format!(
                "{} {} {}",
                r.digit_from(1, 9).to_string() + &r.digits(3),
                r.digits(4),
                r.digits(4)
            ),
            3 => format!("ART-{}-{}", r.digits(4), r.digits(2)),
            4 => format!("{}{}", r.digit_from(1, 9), r.digits(13)),
            _ => format!("REF {}/{}", r.digits(6), r.digits(4)),
        };
        neg("SKU / tracking number", None, code, r);
        let number = match r.below(6) {
            0 => format!("{}x{}", r.range(320, 3840), r.range(240, 2160)),
            1 => format!(
                "{} x {} x {} cm",
                r.range(10, 200),
                r.range(10, 200),
                r.range(10, 200)
            ),
            2 => format!("{}.{}", r.range(0, 99), r.digits(12)),
            3 => format!(
                "{:02}:{:02}:{:02}:{:02}",
                r.range(0, 23),
                r.range(0, 59),
                r.range(0, 59),
                r.range(0, 29)
            ),
            4 => format!(
                "{} {:03} {:03},{:02} €",
                r.range(1, 99),
                r.range(0, 999),
                r.range(0, 999),
                r.range(0, 99)
            ),
            _ => format!(
                "{}{:02}{:02}{:02}{:02}{:02}",
                r.range(2015, 2026),
                r.range(1, 12),
                r.range(1, 28),
                r.range(0, 23),
                r.range(0, 59),
                r.range(0, 59)
            ),
        };
        neg("dimensions / decimals / timecodes", None, number, r);
        neg(
            "EAN-13",
            Some(*r.pick(&["ean", "gtin", "barcode"])),
            ean13(r),
            r,
        );
        let day = format!(
            "{}-{:02}-{:02}",
            r.range(1950, 2025),
            r.range(1, 12),
            r.range(1, 28)
        );
        neg(
            "date without birth key",
            Some(*r.pick(&["created_at", "signup_date", "expires"])),
            day.clone(),
            r,
        );
        neg(
            "date without birth key",
            None,
            format!("shipped on {day}"),
            r,
        );
        let zip = format!("{:05}", r.range(1001, 99950));
        neg(
            "zip without zip key",
            Some(*r.pick(&["quantity", "amount", "count", "score"])),
            zip.clone(),
            r,
        );
        neg(
            "zip without zip key",
            None,
            format!("Springfield, IL {zip}"),
            r,
        );
        neg(
            "uuid without device key",
            Some(*r.pick(&["event_id", "request_id", "session_id", "pageview_id"])),
            uuid_value(r),
            r,
        );
        neg(
            "9/10 digits without key",
            Some(*r.pick(&["count", "order_total", "amount_cents", "views"])),
            r.range(100_000_000, 9_999_999_999).to_string(),
            r,
        );
    }
    cases
}

fn handwritten() -> (Vec<Case>, Vec<Case>) {
    const TSV: &str = include_str!("corpus/handwritten.tsv");
    let (mut pos, mut neg) = (Vec::new(), Vec::new());
    for (n, line) in TSV.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert!(
            cols.len() >= 3,
            "handwritten.tsv:{}: expected 3 or 4 columns",
            n + 1
        );
        let key = (cols[1] != "-").then_some(cols[1]);
        let text = cols[2].to_owned();
        if cols[0] == "-" {
            neg.push(negative("hand-written", key, text));
        } else {
            let det: &'static str = Detectors::BUILTIN
                .iter()
                .find(|d| **d == cols[0])
                .unwrap_or_else(|| {
                    panic!("handwritten.tsv:{}: unknown detector {}", n + 1, cols[0])
                });
            let span_text = cols.get(3).copied().unwrap_or("");
            let start = text
                .find(span_text)
                .unwrap_or_else(|| panic!("handwritten.tsv:{}: span not in text", n + 1));
            let label = if key.is_some() && matches!(det, "phone" | "us_ssn") {
                format!("{det} (keyed bare)")
            } else {
                det.to_owned()
            };
            pos.push(positive(
                &label,
                det,
                key,
                text,
                start..start + span_text.len(),
            ));
        }
    }
    (pos, neg)
}

fn all_mask(d: &Detectors) -> DetectorMask {
    let mut m = DetectorMask::default();
    for n in d.names() {
        m.insert(d.id(n).expect("listed name"));
    }
    m
}

fn scan(d: &Detectors, case: &Case, out: &mut Vec<Finding>) {
    out.clear();
    d.scan(&case.text, case.key.as_deref(), all_mask(d), out);
}

fn describe(d: &Detectors, case: &Case, out: &[Finding]) -> String {
    let got: Vec<String> = out
        .iter()
        .map(|f| format!("{}={:?}", d.name(f.detector), &case.text[f.start..f.end]))
        .collect();
    format!(
        "key={:?} text={:?} -> [{}]",
        case.key,
        case.text,
        got.join(", ")
    )
}

#[test]
fn corpus_recall_and_false_positives() {
    let d = Detectors::new(Vec::new()).expect("built-ins compile");
    let mut r = Rng(0x5EED_2024_0001);
    let (hand_pos, hand_neg) = handwritten();
    let mut positives = generated_positives(&mut r);
    positives.extend(hand_pos);
    let mut negatives = generated_negatives(&mut r);
    negatives.extend(hand_neg);

    let mut out = Vec::new();
    // label -> (total, found, exact span)
    let mut table: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut misses: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for case in &positives {
        scan(&d, case, &mut out);
        let det = d.id(case.detector.expect("positive")).expect("built-in");
        let hit = out
            .iter()
            .find(|f| f.detector == det && f.start <= case.span.start && f.end >= case.span.end);
        let row = table.entry(case.label.clone()).or_default();
        row.0 += 1;
        if let Some(f) = hit {
            row.1 += 1;
            row.2 += usize::from(f.start == case.span.start && f.end == case.span.end);
        } else {
            misses
                .entry(case.label.clone())
                .or_default()
                .push(describe(&d, case, &out));
        }
    }
    // trap -> (total, false positives)
    let mut traps: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut fps: Vec<String> = Vec::new();
    for case in &negatives {
        scan(&d, case, &mut out);
        let row = traps.entry(case.trap).or_default();
        row.0 += 1;
        if !out.is_empty() {
            row.1 += 1;
            fps.push(format!("[{}] {}", case.trap, describe(&d, case, &out)));
        }
    }

    println!(
        "\n{:<22} {:>9} {:>7} {:>8} {:>11}",
        "detector", "positives", "found", "recall", "exact span"
    );
    let mut failures = Vec::new();
    for (label, (total, found, exact)) in &table {
        let recall = *found as f64 / *total as f64 * 100.0;
        println!(
            "{label:<22} {total:>9} {found:>7} {recall:>7.2}% {:>10.1}%",
            *exact as f64 / *found.max(&1) as f64 * 100.0
        );
        let min = if label == "phone" { 97.0 } else { 99.0 };
        if recall < min {
            failures.push(format!("{label}: recall {recall:.2}% < {min}%"));
        }
        if *total < 300 {
            failures.push(format!("{label}: only {total} positives (want >= 300)"));
        }
    }
    let neg_total: usize = traps.values().map(|t| t.0).sum();
    let fp_total: usize = traps.values().map(|t| t.1).sum();
    println!("\n{:<28} {:>9} {:>6}", "negative trap", "negatives", "FP");
    for (trap, (total, fp)) in &traps {
        println!("{trap:<28} {total:>9} {fp:>6}");
    }
    let fp_rate = fp_total as f64 / neg_total as f64 * 100.0;
    println!("\nfalse positives: {fp_total} of {neg_total} negatives = {fp_rate:.3}%");
    for (label, list) in &misses {
        for m in list.iter().take(15) {
            println!("MISS {label}: {m}");
        }
    }
    for f in fps.iter().take(40) {
        println!("FP {f}");
    }
    if neg_total < 1000 {
        failures.push(format!("only {neg_total} negatives (want >= 1000)"));
    }
    if fp_rate > 0.5 {
        failures.push(format!("false-positive rate {fp_rate:.3}% > 0.5%"));
    }
    for trap in ["Heap user id", "epoch seconds", "epoch milliseconds"] {
        let fp = traps.get(trap).map_or(0, |t| t.1);
        if fp != 0 {
            failures.push(format!("{fp} false positives on {trap} (must be 0)"));
        }
    }
    assert!(
        failures.is_empty(),
        "corpus thresholds not met:\n{}",
        failures.join("\n")
    );
}

#[test]
fn documented_limitations_hold() {
    const TSV: &str = include_str!("corpus/limitations.tsv");
    let d = Detectors::new(Vec::new()).expect("built-ins compile");
    let mut out = Vec::new();
    let mut changed = Vec::new();
    for (n, line) in TSV.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(
            cols.len(),
            5,
            "limitations.tsv:{}: expected 5 columns",
            n + 1
        );
        let (outcome, det, key, text, why) = (cols[0], cols[1], cols[2], cols[3], cols[4]);
        let id = d
            .id(det)
            .unwrap_or_else(|| panic!("limitations.tsv:{}: unknown detector {det}", n + 1));
        out.clear();
        d.scan(text, (key != "-").then_some(key), all_mask(&d), &mut out);
        let reported = out.iter().any(|f| f.detector == id);
        let holds = match outcome {
            "missed" => !reported,
            "reported" => reported,
            other => panic!("limitations.tsv:{}: unknown outcome {other}", n + 1),
        };
        println!("{outcome:<9} {det:<16} {text:?} ({why})");
        if !holds {
            changed.push(format!(
                "limitations.tsv:{}: {outcome} {det} {text:?} no longer holds",
                n + 1
            ));
        }
    }
    assert!(
        changed.is_empty(),
        "update the documented limitations:\n{}",
        changed.join("\n")
    );
}

#[test]
fn keyed_bare_numbers() {
    let d = Detectors::new(Vec::new()).expect("built-ins compile");
    let mut out = Vec::new();
    let mut found = |text: &str, key: &str| -> Vec<&str> {
        out.clear();
        d.scan(text, Some(key), all_mask(&d), &mut out);
        out.iter()
            .map(|f| d.name(f.detector))
            .collect::<Vec<_>>()
            .into_iter()
            .map(|n| match n {
                "phone" => "phone",
                "us_ssn" => "us_ssn",
                _ => "other",
            })
            .collect()
    };
    assert_eq!(found("4155550123", "phone"), ["phone"]);
    assert!(found("4155550123", "order_total").is_empty());
    assert_eq!(found("123456789", "ssn"), ["us_ssn"]);
    assert!(found("123456789", "count").is_empty());
    assert!(d.scans_digits(all_mask(&d)));
}

#[test]
fn no_allocation_when_nothing_is_found() {
    use privgate::policy::detect::CustomDetector;
    let d = Detectors::new(vec![CustomDetector {
        name: "mrn".into(),
        pattern: Some(r"\bMRN[-: ]?\d{6,10}\b".into()),
        keys: vec!["*medical_record*".into()],
        context: vec![],
        words: vec![],
    }])
    .expect("valid custom detector");
    // The pattern detectors (the first twelve built-ins) and the custom one. The evidence
    // detectors — the 22 national identifiers, `person_name`, `postal_address` — still
    // allocate while checking some candidates (about one allocation per ten benign values
    // here): a known gap, listed in docs/policy-owners/detectors.md.
    let evidence: Vec<&str> = Detectors::GROUPS[0]
        .1
        .iter()
        .copied()
        .chain(["person_name", "postal_address"])
        .collect();
    let mut mask = DetectorMask::default();
    for name in d.names() {
        if !evidence.contains(&name) {
            mask.insert(d.id(name).unwrap());
        }
    }
    let benign = [
        ("title", "Summer Sale – up to 50% off all shoes"),
        ("price", "$1,234.56"),
        ("timestamp", "2024-01-15T10:30:00.000Z"),
        ("user_id", "1847839267195673"),
        ("version", "v2.1.1.108"),
        ("href", "https://example.com/products/123?ref=home"),
        ("text", "Call us 24/7 — we answer within 5 minutes"),
        ("phone_verified_at", "1700000000"),
        ("medical_record_no", ""),
        ("notes", "MRN pending, call back later"),
    ];
    let mut out: Vec<Finding> = Vec::new();
    // Warm-up: the regex engine fills its lazy DFA cache on first use.
    for _ in 0..3 {
        for (k, t) in &benign {
            d.scan(t, Some(k), mask, &mut out);
        }
        d.scan("mail a@b.co or +44 20 7946 0958", None, mask, &mut out);
    }
    out = Vec::new();
    // The counter works: an allocation on this thread is seen.
    let probe = allocations();
    drop(std::hint::black_box(Vec::<u8>::with_capacity(8)));
    assert!(allocations() > probe, "allocation counter sees nothing");
    let before = allocations();
    for _ in 0..100 {
        for (k, t) in &benign {
            d.scan(t, Some(k), mask, &mut out);
        }
    }
    let after = allocations();
    assert!(out.is_empty(), "benign strings produced findings: {out:?}");
    assert_eq!(out.capacity(), 0);
    assert_eq!(after - before, 0, "scanning benign strings allocated");
}

#[path = "corpus/national_ids.rs"]
mod national_ids;

/// The 24 national-identifier detectors on the generated corpus (330 planted numbers per
/// identifier, in sentences or under keys, strong and weak forms) and its look-alikes: recall
/// per identifier, and no finding on the negatives (order numbers, counters, dates, Heap ids).
#[test]
fn national_identifiers_are_found_by_checksum_and_context() {
    let d = Detectors::new(Vec::new()).expect("built-ins compile");
    let mut all = DetectorMask::default();
    for name in privgate::policy::detect::Detectors::GROUPS[0].1 {
        all.insert(d.id(name).unwrap());
    }
    let mut by_id: std::collections::BTreeMap<&str, (usize, usize, usize, usize)> =
        Default::default();
    let mut labelled: std::collections::BTreeMap<&str, usize> = Default::default();
    let mut languages = std::collections::BTreeSet::new();
    for p in national_ids::positives(7) {
        languages.insert(p.lang);
        let mut found: Vec<Finding> = Vec::new();
        d.scan(&p.text, p.key.as_deref(), all, &mut found);
        // Found: some national-identifier finding covers it (it is redacted). A number valid
        // under two schemes (a Danish CPR and a Swedish personnummer share `DDMMYY-NNNN`) may
        // be labelled with the other; `labelled` counts the exact label.
        let covering: Vec<&Finding> = found
            .iter()
            .filter(|f| f.start <= p.span.start && f.end >= p.span.end)
            .collect();
        let hit = !covering.is_empty();
        if covering.iter().any(|f| d.name(f.detector) == p.detector) {
            *labelled.entry(p.detector).or_default() += 1;
        }
        let e = by_id.entry(p.detector).or_default();
        if p.needs_context {
            e.2 += 1;
            e.3 += usize::from(hit);
        } else {
            e.0 += 1;
            e.1 += usize::from(hit);
        }
    }
    println!(
        "| identifier | strong forms found | weak forms (context, key) found | labelled as itself |"
    );
    println!("| --- | ---: | ---: | ---: |");
    let mut low = Vec::new();
    for (id, (s, sh, w, wh)) in &by_id {
        let pct = |h: &usize, n: &usize| {
            if *n == 0 {
                100.0
            } else {
                100.0 * *h as f64 / *n as f64
            }
        };
        let own = labelled.get(id).copied().unwrap_or(0);
        println!(
            "| {id} | {:.1}% of {s} | {:.1}% of {w} | {:.1}% |",
            pct(sh, s),
            pct(wh, w),
            pct(&own, &(s + w))
        );
        if pct(sh, s) < 99.0 {
            low.push(format!("{id}: strong {:.1}%", pct(sh, s)));
        }
        if pct(wh, w) < 97.0 {
            low.push(format!("{id}: weak with context {:.1}%", pct(wh, w)));
        }
    }
    assert_eq!(by_id.len(), 33, "every identifier is in the corpus");
    println!("sentences and keys in: {languages:?}");
    let negatives = national_ids::negatives(7);
    let mut false_positives = Vec::new();
    for (text, key) in &negatives {
        let mut found: Vec<Finding> = Vec::new();
        d.scan(text, key.as_deref(), all, &mut found);
        if let Some(f) = found.first() {
            false_positives.push(format!("{}: {text:?} ({:?})", d.name(f.detector), key));
        }
    }
    let fp = 100.0 * false_positives.len() as f64 / negatives.len() as f64;
    println!(
        "false positives: {} of {} ({fp:.2}%)",
        false_positives.len(),
        negatives.len()
    );
    assert!(low.is_empty(), "below target: {low:?}");
    assert!(
        fp <= 0.3,
        "false positives over 0.3%: {:?}",
        &false_positives[..false_positives.len().min(20)]
    );
}

#[path = "corpus/context_forms.rs"]
mod context_forms;

/// Weak forms confirmed by context (bare phone numbers, bare SSNs, cards of unknown issuers,
/// dates of birth and of care in text), in seven languages: recall per detector and language,
/// recall on the held-out phrasings, and false positives on look-alikes.
#[test]
fn weak_forms_are_found_with_context_words_in_seven_languages() {
    use std::collections::BTreeMap;
    let d = Detectors::new(Vec::new()).expect("built-ins compile");
    let names = [
        "phone",
        "us_ssn",
        "credit_card",
        "date_of_birth",
        "personal_date",
    ];
    let mut wanted = DetectorMask::default();
    for n in names {
        wanted.insert(d.id(n).unwrap());
    }
    // (detector, lang) -> (planted, found); held-out per detector.
    let mut table: BTreeMap<(&str, &str), (usize, usize)> = BTreeMap::new();
    let mut held: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut missed = Vec::new();
    for p in context_forms::positives(11) {
        let mut found: Vec<Finding> = Vec::new();
        d.scan(&p.text, None, wanted, &mut found);
        let hit = found.iter().any(|f| {
            f.start <= p.span.start && f.end >= p.span.end && d.name(f.detector) == p.detector
        });
        let e = if p.held_out {
            held.entry(p.detector).or_default()
        } else {
            table.entry((p.detector, p.lang)).or_default()
        };
        e.0 += 1;
        e.1 += usize::from(hit);
        if !hit && missed.len() < 40 {
            missed.push(format!("{}: {:?}", p.detector, p.text));
        }
    }
    let pct = |(n, h): (usize, usize)| 100.0 * h as f64 / n.max(1) as f64;
    println!(
        "| detector (weak form) | en | de | fr | nl | es | it | pt | all | held-out phrasings |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    let mut low = Vec::new();
    for n in names {
        let mut row = format!("| {n} |");
        let mut total = (0, 0);
        for lang in ["en", "de", "fr", "nl", "es", "it", "pt"] {
            let c = table.get(&(n, lang)).copied().unwrap_or_default();
            total.0 += c.0;
            total.1 += c.1;
            row.push_str(&format!(" {:.1}% |", pct(c)));
        }
        let h = held.get(n).copied().unwrap_or_default();
        row.push_str(&format!(
            " {:.1}% of {} | {:.1}% of {} |",
            pct(total),
            total.0,
            pct(h),
            h.0
        ));
        println!("{row}");
        assert!(total.0 >= 300, "{n}: at least 300 positives");
        if pct(total) < 97.0 {
            low.push(format!("{n}: {:.1}%", pct(total)));
        }
    }
    if !missed.is_empty() {
        println!("missed, e.g.: {missed:#?}");
    }
    let negatives = context_forms::negatives(11);
    let mut false_positives = Vec::new();
    for text in &negatives {
        let mut found: Vec<Finding> = Vec::new();
        d.scan(text, None, wanted, &mut found);
        if let Some(f) = found.first() {
            false_positives.push(format!("{}: {text:?}", d.name(f.detector)));
        }
    }
    let fp = 100.0 * false_positives.len() as f64 / negatives.len() as f64;
    println!(
        "false positives: {} of {} ({fp:.2}%)",
        false_positives.len(),
        negatives.len()
    );
    for f in &false_positives {
        println!("  false positive: {f}");
    }
    assert!(low.is_empty(), "below 97%: {low:?}; missed e.g. {missed:?}");
    assert!(
        fp <= 0.3,
        "false positives over 0.3%: {:?}",
        &false_positives[..false_positives.len().min(20)]
    );
}

/// Issue 19's false-positive target over more than its own look-alikes: `person_name` and
/// `postal_address` run over every other corpus's negatives (order, invoice and tracking
/// numbers, counters, product codes, dates that are not birth dates, sentences with a context
/// word but no personal data, in seven languages) — 9,140 texts they were not tuned on.
#[test]
fn names_and_addresses_stay_quiet_on_the_other_detectors_negatives() {
    use privgate::policy::person_name::{self, KeyHint};
    use privgate::policy::postal_address;
    let mut texts: Vec<String> = context_forms::negatives(11);
    texts.extend(national_ids::negatives(7).into_iter().map(|(t, _)| t));
    texts.extend(generated_negatives(&mut Rng(7)).into_iter().map(|c| c.text));
    let found: Vec<String> = texts
        .iter()
        .filter_map(|t| {
            let spans: Vec<&str> = person_name::find(t, KeyHint::None)
                .iter()
                .chain(postal_address::find(t, KeyHint::None).iter())
                .map(|f| &t[f.start..f.end])
                .collect();
            (!spans.is_empty()).then(|| format!("{t:?} -> {spans:?}"))
        })
        .collect();
    let rate = 100.0 * found.len() as f64 / texts.len() as f64;
    println!(
        "person_name / postal_address over {} other negatives: {} false positives ({rate:.2}%)",
        texts.len(),
        found.len()
    );
    assert!(texts.len() > 5_000, "{}", texts.len());
    assert!(rate <= 0.5, "false positives over 0.5%: {found:?}");
}
