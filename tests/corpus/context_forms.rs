//! Labelled corpus of *weak* forms — values that only a context word (or the key) makes personal
//! data: bare national and NANP phone numbers, bare nine-digit SSNs, Luhn-valid card numbers of
//! issuers outside the issuer table, and dates of birth, admission, discharge, death and visits
//! written in text — in sentences of seven languages (en, de, fr, nl, es, it, pt); and
//! look-alike negatives: order, invoice and tracking numbers, counters, Heap user ids, epoch
//! timestamps, dates of orders and memberships, and sentences that hold a context word but no
//! personal data.
//!
//! The sentence templates are written here as people write them, not from privgate's word lists.
//! Each kind has a *held-out* set of phrasings written after the detector's lists were frozen:
//! the test reports recall on them separately, so a list that only matches its own examples
//! shows up.
//!
//! Self-contained (std only, splitmix64); the same seed gives the same corpus.

use std::ops::Range;

/// One planted value: `text[span]` must be found by `detector`.
#[derive(Debug, Clone)]
pub struct Planted {
    pub text: String,
    pub span: Range<usize>,
    pub detector: &'static str,
    pub lang: &'static str,
    /// From a held-out phrasing.
    pub held_out: bool,
}

/// Positives per kind and language.
const PER_LANGUAGE: usize = 50;

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

    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }

    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }
}

type Templates = &'static [(&'static str, &'static [&'static str])];

/// A phone number as people type it without separators: a national number with its trunk 0
/// (10 or 11 digits), a NANP number (10 digits), or a 9-digit Spanish/Portuguese number.
fn phone(r: &mut Rng, lang: &str) -> String {
    match lang {
        "en" if r.below(2) == 0 => {
            let area = format!("{}{}", 2 + r.below(8), r.digits(2));
            let exch = format!("{}{}", 2 + r.below(8), r.digits(2));
            let (area, exch) = (fix_n11(area), fix_n11(exch));
            format!("{area}{exch}{}", r.digits(4))
        }
        "es" | "pt" => format!("{}{}", r.pick(&['2', '6', '7', '8', '9']), r.digits(8)),
        "en" | "de" => {
            let len = 8 + r.below(2);
            format!("0{}{}", 1 + r.below(9), r.digits(len))
        }
        _ => format!("0{}{}", 1 + r.below(9), r.digits(8)),
    }
}

fn fix_n11(mut s: String) -> String {
    if s.ends_with("11") {
        s.replace_range(2..3, "2");
    }
    s
}

fn ssn(r: &mut Rng) -> String {
    loop {
        let area = 1 + r.below(899);
        if area == 666 {
            continue;
        }
        return format!("{area:03}{:02}{:04}", 1 + r.below(99), 1 + r.below(9999));
    }
}

/// A Luhn-valid number whose prefix no issuer of the table uses (1, 7, 8, 9), 16 digits,
/// grouped by four or not.
fn card(r: &mut Rng) -> String {
    let mut d: Vec<u8> = vec![*[1u8, 7, 8, 9].get(r.below(4)).unwrap()];
    for _ in 0..14 {
        d.push(r.below(10) as u8);
    }
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            let x = u32::from(x);
            if i % 2 == 0 {
                let y = x * 2;
                if y > 9 { y - 9 } else { y }
            } else {
                x
            }
        })
        .sum();
    d.push(((10 - sum % 10) % 10) as u8);
    let s: String = d.iter().map(|x| char::from(b'0' + x)).collect();
    if r.below(2) == 0 {
        s.as_bytes()
            .chunks(4)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        s
    }
}

const MONTHS: &[(&str, [&str; 12])] = &[
    (
        "en",
        [
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
        ],
    ),
    (
        "de",
        [
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
        ],
    ),
    (
        "fr",
        [
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
        ],
    ),
    (
        "nl",
        [
            "januari",
            "februari",
            "maart",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        ],
    ),
    (
        "es",
        [
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
        ],
    ),
    (
        "it",
        [
            "gennaio",
            "febbraio",
            "marzo",
            "aprile",
            "maggio",
            "giugno",
            "luglio",
            "agosto",
            "settembre",
            "ottobre",
            "novembre",
            "dicembre",
        ],
    ),
    (
        "pt",
        [
            "janeiro",
            "fevereiro",
            "março",
            "abril",
            "maio",
            "junho",
            "julho",
            "agosto",
            "setembro",
            "outubro",
            "novembro",
            "dezembro",
        ],
    ),
];

/// A date as people of `lang` write it: numeric in the local order, ISO, or with a month name.
fn date(r: &mut Rng, lang: &str, years: Range<usize>) -> String {
    let (y, m, d) = (
        years.start + r.below(years.end - years.start),
        1 + r.below(12),
        1 + r.below(28),
    );
    let month = MONTHS.iter().find(|(l, _)| *l == lang).unwrap().1[m - 1];
    match (r.below(4), lang) {
        (0, _) => format!("{y}-{m:02}-{d:02}"),
        (1, "en") => format!("{m:02}/{d:02}/{y}"),
        (1, "de") => format!("{d:02}.{m:02}.{y}"),
        (1, "nl") => format!("{d:02}-{m:02}-{y}"),
        (1, _) => format!("{d:02}/{m:02}/{y}"),
        (2, "en") => format!("{month} {d}, {y}"),
        (2, "de") => format!("{d}. {month} {y}"),
        (2, "es" | "pt") => format!("{d} de {month} de {y}"),
        (2, _) => format!("{d} {month} {y}"),
        (_, "de") => format!("{d}.{m}.{y}"),
        (_, "en") => format!("{d} {month} {y}"),
        _ => format!("{d}/{m}/{y}"),
    }
}

const PHONE: Templates = &[
    (
        "en",
        &[
            "please call {} after 5pm",
            "my mobile: {}",
            "Phone {} (evenings)",
            "text me on WhatsApp {}",
            "customer asked us to ring {} tomorrow",
        ],
    ),
    (
        "de",
        &[
            "Rückruf unter Tel. {} erbeten",
            "Handy {} ab 18 Uhr",
            "bitte anrufen: {}",
            "Telefonnummer {} – nur vormittags",
            "Kunde erreichbar unter Telefon {}",
        ],
    ),
    (
        "fr",
        &[
            "appelez-moi au {} demain",
            "mon portable : {}",
            "Tél. {} le matin",
            "rappeler le client au téléphone {}",
            "joindre au {} après 18h",
        ],
    ),
    (
        "nl",
        &[
            "bel me op {} graag",
            "mobiel {} na 17 uur",
            "tel: {}",
            "klant vraagt terug te bellen op {}",
            "telefoonnummer {} werkt niet",
        ],
    ),
    (
        "es",
        &[
            "llámame al {} por la tarde",
            "móvil {} solo mañanas",
            "teléfono de contacto: {}",
            "el cliente pide que le llamen al {}",
            "Tel. {}",
        ],
    ),
    (
        "it",
        &[
            "chiamami al {} stasera",
            "cellulare {} dopo le 18",
            "telefono {}",
            "il cliente chiede di essere richiamato, tel {}",
            "numero di telefono: {}",
        ],
    ),
    (
        "pt",
        &[
            "ligue para {} amanhã",
            "telemóvel {} à tarde",
            "telefone: {}",
            "o cliente pede para ligar para o celular {}",
            "contacto {}",
        ],
    ),
];

const PHONE_HELD_OUT: Templates = &[
    (
        "en",
        &["reach me at {} any time", "cell {} (leave a voicemail)"],
    ),
    ("de", &["Mobilnummer {}", "Rufnummer {} für Rückfragen"]),
    ("fr", &["numéro de téléphone {}", "appeler le {} svp"]),
    ("nl", &["telefoon {} na 9 uur", "gsm {}"]),
    ("es", &["celular {}", "llamar al {} por favor"]),
    ("it", &["cell. {}", "chiamare il {}"]),
    ("pt", &["celular {}", "ligar {} depois das 18h"]),
];

const SSN: Templates = &[
    (
        "en",
        &[
            "SSN {} verified",
            "social security number: {}",
            "applicant SSN {} on file",
            "SS# {}",
            "her social security no. {} was typed in the notes",
        ],
    ),
    (
        "de",
        &[
            "US-Sozialversicherungsnummer {}",
            "Sozialversicherungsnummer (USA): {}",
            "SSN {} für das US-Formular",
        ],
    ),
    (
        "fr",
        &[
            "numéro de sécurité sociale américain {}",
            "SSN {} à vérifier",
            "sécurité sociale (US) : {}",
        ],
    ),
    (
        "nl",
        &[
            "SSN {} van de aanvrager",
            "Amerikaans social security number {}",
            "sociale zekerheid (VS) {}",
        ],
    ),
    (
        "es",
        &[
            "número de seguro social: {}",
            "SSN {} verificado",
            "seguro social {} del solicitante",
        ],
    ),
    (
        "it",
        &[
            "SSN {} del richiedente",
            "numero di previdenza sociale USA {}",
            "social security number {}",
        ],
    ),
    (
        "pt",
        &[
            "número da segurança social (EUA) {}",
            "SSN {} confirmado",
            "seguro social {}",
        ],
    ),
];

const SSN_HELD_OUT: Templates = &[
    ("en", &["soc sec {}", "SSN#: {}"]),
    ("es", &["su número de seguro social es {}"]),
];

const CARD: Templates = &[
    (
        "en",
        &[
            "card {} declined",
            "paid with card number {}",
            "credit card: {}",
            "debit card {} expired",
            "customer read out the card {} on the phone",
        ],
    ),
    (
        "de",
        &[
            "Kreditkarte {} abgelehnt",
            "Kartennummer {}",
            "bezahlt mit Karte {}",
            "EC-Karte {} gesperrt",
            "Kreditkartennummer: {}",
        ],
    ),
    (
        "fr",
        &[
            "carte bancaire {} refusée",
            "numéro de carte {}",
            "carte {} expirée",
            "payé par carte de crédit {}",
            "carte {} bloquée",
        ],
    ),
    (
        "nl",
        &[
            "creditcard {} geweigerd",
            "kaartnummer {}",
            "betaald met pinpas {}",
            "bankpas {} geblokkeerd",
            "kaart {} verlopen",
        ],
    ),
    (
        "es",
        &[
            "tarjeta {} rechazada",
            "número de tarjeta {}",
            "tarjeta de crédito: {}",
            "pagó con la tarjeta {}",
            "tarjeta de débito {} caducada",
        ],
    ),
    (
        "it",
        &[
            "carta di credito {} rifiutata",
            "numero carta {}",
            "pagato con carta {}",
            "bancomat {} bloccato",
            "carta {} scaduta",
        ],
    ),
    (
        "pt",
        &[
            "cartão {} recusado",
            "número do cartão {}",
            "cartão de crédito: {}",
            "pagou com o cartão {}",
            "cartão de débito {} expirado",
        ],
    ),
];

const CARD_HELD_OUT: Templates = &[
    ("en", &["Visa {}", "card no {}"]),
    ("de", &["Girocard {}", "Debitkarte {}"]),
    ("nl", &["betaalpas {}"]),
];

const BIRTH: Templates = &[
    (
        "en",
        &[
            "born {} in Leeds",
            "date of birth: {}",
            "DOB {}",
            "patient born on {}",
            "birthday {} – send a coupon",
        ],
    ),
    (
        "de",
        &[
            "geboren am {} in Köln",
            "Geburtsdatum: {}",
            "geb. {}",
            "Geburtstag {}",
            "Kunde ist am {} geboren, geboren am {}",
        ],
    ),
    (
        "fr",
        &[
            "née le {} à Lyon",
            "date de naissance : {}",
            "né le {}",
            "anniversaire le {}",
            "naissance {}",
        ],
    ),
    (
        "nl",
        &[
            "geboren op {} in Utrecht",
            "geboortedatum: {}",
            "geb. {}",
            "verjaardag {}",
            "geboren {}",
        ],
    ),
    (
        "es",
        &[
            "nacido el {} en Sevilla",
            "fecha de nacimiento: {}",
            "nacida el {}",
            "cumpleaños {}",
            "nació el {}",
        ],
    ),
    (
        "it",
        &[
            "nato il {} a Bari",
            "data di nascita: {}",
            "nata il {}",
            "compleanno {}",
            "nascita {}",
        ],
    ),
    (
        "pt",
        &[
            "nascido em {} no Porto",
            "data de nascimento: {}",
            "nascida em {}",
            "aniversário {}",
            "nasceu em {}",
        ],
    ),
];

const BIRTH_HELD_OUT: Templates = &[
    ("en", &["birthdate {}", "d.o.b. {}"]),
    ("de", &["Gebdatum {}"]),
    ("es", &["f. nac. {}"]),
];

const CARE: Templates = &[
    (
        "en",
        &[
            "admitted {}",
            "discharged on {}",
            "patient died {}",
            "appointment {} at 9:30",
            "seen on {} for follow-up",
        ],
    ),
    (
        "de",
        &[
            "aufgenommen am {}",
            "entlassen am {}",
            "verstorben am {}",
            "Termin am {}",
            "Aufnahme {}",
        ],
    ),
    (
        "fr",
        &[
            "hospitalisée le {}",
            "sortie le {}",
            "décédé le {}",
            "rendez-vous le {}",
            "admis le {}",
        ],
    ),
    (
        "nl",
        &[
            "opgenomen op {}",
            "ontslagen op {}",
            "overleden op {}",
            "afspraak op {}",
            "opname {}",
        ],
    ),
    (
        "es",
        &[
            "ingresó el {}",
            "alta el {}",
            "falleció el {}",
            "cita el {}",
            "ingreso {}",
        ],
    ),
    (
        "it",
        &[
            "ricoverato il {}",
            "dimesso il {}",
            "deceduto il {}",
            "appuntamento il {}",
            "visita del {}",
        ],
    ),
    (
        "pt",
        &[
            "internado em {}",
            "alta em {}",
            "faleceu em {}",
            "consulta em {}",
            "óbito em {}",
        ],
    ),
];

const CARE_HELD_OUT: Templates = &[
    ("en", &["hospitalized {}", "surgery {}"]),
    ("de", &["eingeliefert am {}", "operiert am {}"]),
    ("fr", &["consultation du {}"]),
    ("it", &["ricovero {}"]),
];

/// Every planted value: `PER_LANGUAGE` per kind and language, plus the held-out phrasings.
pub fn positives(seed: u64) -> Vec<Planted> {
    let mut r = Rng(seed ^ 0x0063_6F6E_7465_7874);
    let mut out = Vec::new();
    let kinds: &[(&str, Templates, Templates)] = &[
        ("phone", PHONE, PHONE_HELD_OUT),
        ("us_ssn", SSN, SSN_HELD_OUT),
        ("credit_card", CARD, CARD_HELD_OUT),
        ("date_of_birth", BIRTH, BIRTH_HELD_OUT),
        ("personal_date", CARE, CARE_HELD_OUT),
    ];
    for &(detector, templates, held_out) in kinds {
        for (set, held) in [(templates, false), (held_out, true)] {
            for &(lang, phrasings) in set {
                let n = if held { 20 } else { PER_LANGUAGE };
                for _ in 0..n {
                    let value = match detector {
                        "phone" => phone(&mut r, lang),
                        "us_ssn" => ssn(&mut r),
                        "credit_card" => card(&mut r),
                        "date_of_birth" => date(&mut r, lang, 1930..2010),
                        _ => date(&mut r, lang, 2015..2026),
                    };
                    let template = r.pick(phrasings);
                    // Only the first `{}` is planted; a second one gets the same value.
                    let at = template.find("{}").unwrap();
                    let text = template.replace("{}", &value);
                    out.push(Planted {
                        span: at..at + value.len(),
                        text,
                        detector,
                        lang,
                        held_out: held,
                    });
                }
            }
        }
    }
    out
}

/// Texts with nothing the five context-confirmed detectors may report.
pub fn negatives(seed: u64) -> Vec<String> {
    let mut r = Rng(seed ^ 0x6E65_6761_7469_7665);
    let mut out = Vec::new();
    const BUSINESS: &[&str] = &[
        "order {} shipped",
        "Order #{} confirmed",
        "invoice {} paid",
        "tracking number {}",
        "ticket {} closed",
        "Bestellung {} versandt",
        "Rechnungsnummer {}",
        "Kundennummer {}",
        "commande {} expédiée",
        "facture {} réglée",
        "bestelling {} verzonden",
        "factuur {}",
        "pedido {} enviado",
        "factura {}",
        "ordine {} spedito",
        "fattura {}",
        "encomenda {} enviada",
        "fatura {}",
        "build {} passed",
        "views: {}",
        "sku {}",
        "ref {}",
        "{} items in stock",
        "batch {} released",
        "serial {}",
    ];
    for _ in 0..1500 {
        let len = *[9usize, 10, 11, 12, 13, 16, 19].get(r.below(7)).unwrap();
        let mut n = r.digits(len);
        if r.below(3) == 0 {
            n.replace_range(0..1, "0");
        }
        out.push(r.pick(BUSINESS).replace("{}", &n));
    }
    const DATED: &[(&str, &[&str])] = &[
        (
            "en",
            &[
                "shipped on {}",
                "member since {}",
                "updated {}",
                "order placed {}",
                "valid until {}",
                "invoice due {}",
            ],
        ),
        (
            "de",
            &[
                "versandt am {}",
                "Mitglied seit {}",
                "geliefert am {}",
                "gültig bis {}",
                "Rechnung vom {}",
            ],
        ),
        (
            "fr",
            &[
                "expédié le {}",
                "membre depuis {}",
                "livré le {}",
                "valable jusqu'au {}",
                "facture du {}",
            ],
        ),
        (
            "nl",
            &[
                "verzonden op {}",
                "lid sinds {}",
                "geleverd op {}",
                "geldig tot {}",
                "factuur van {}",
            ],
        ),
        (
            "es",
            &[
                "enviado el {}",
                "socio desde {}",
                "entregado el {}",
                "válido hasta {}",
                "factura del {}",
            ],
        ),
        (
            "it",
            &[
                "spedito il {}",
                "socio dal {}",
                "consegnato il {}",
                "valido fino al {}",
                "fattura del {}",
            ],
        ),
        (
            "pt",
            &[
                "enviado em {}",
                "sócio desde {}",
                "entregue em {}",
                "válido até {}",
                "fatura de {}",
            ],
        ),
    ];
    for _ in 0..1500 {
        let (lang, phrasings) = r.pick(DATED);
        let d = date(&mut r, lang, 2010..2027);
        out.push(r.pick(phrasings).replace("{}", &d));
    }
    const WORDS_ONLY: &[&str] = &[
        "call us anytime, we answer within 5 minutes",
        "card declined, retry in 30 seconds",
        "born to run – 2 tickets",
        "SSN field left blank",
        "Tel. unknown",
        "birthday sale: 20% off",
        "Telefon defekt seit 3 Tagen",
        "Karte abgelaufen",
        "geboren in 1 Satz?",
        "appelez le 15",
        "carte cadeau de 50 €",
        "bel 112 bij nood",
        "tarjeta regalo 25 €",
        "chiamare il 118",
        "ligue 112",
        "discharge of 2 batteries",
        "visit our store, open 9-17",
        "Termin in 2 Wochen",
        "rendez-vous à 14h30",
        "afspraak om 10:15",
        "cita a las 10:30",
        "consulta 3 vezes",
    ];
    for w in WORDS_ONLY {
        out.push((*w).to_owned());
    }
    for _ in 0..600 {
        // Heap user ids, epoch seconds and milliseconds, after neutral words.
        let v = match r.below(3) {
            0 => format!("{}{}", 1 + r.below(9), r.digits(15)),
            1 => format!("1{}", r.digits(9)),
            _ => format!("1{}", r.digits(12)),
        };
        let t = r.pick(&[
            "user {}",
            "identity {}",
            "at {}",
            "ts={}",
            "session {} started",
        ]);
        out.push(t.replace("{}", &v));
    }
    out
}
