//! Generator of the labelled name and address corpus (issue 19), with a held-out half.
//!
//! Names come from `tests/corpus/gazetteer_names.tsv` (real names the gazetteer build kept) and
//! `tests/corpus/heldout_names.tsv` (real names from the same public statistics that the build
//! *removed* from `names.fst`); no fake-data generator's list is used. Every positive is drawn
//! from one of the two halves, alternately, and the held-out half is checked to be absent from
//! the embedded gazetteer. Street names are built the same way: the base word of a street is a
//! surname of the half (`Vermeulenstraat`, `rue Dubois`, `Orchard`-style English names use the
//! surname as well), so held-out streets carry words the gazetteers have never seen.
//!
//! There is no surname data for de, it and pt: their surnames are drawn from the other
//! languages' lists (names travel; the detector must not depend on the language of a surname).

use std::ops::Range;

/// Which half of the corpus a positive comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Half {
    /// Names the gazetteer has.
    InGazetteer,
    /// Names it does not have.
    HeldOut,
}

/// splitmix64, seeded: the same corpus on every run.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

pub const LANGS: [&str; 7] = ["en", "de", "fr", "nl", "es", "it", "pt"];

/// Name lists of one half: given names per language, surnames per language.
pub struct Names {
    pub given: Vec<(&'static str, Vec<String>)>,
    pub surname: Vec<(&'static str, Vec<String>)>,
}

fn load(tsv: &str) -> Names {
    let mut n = Names {
        given: LANGS.iter().map(|l| (*l, Vec::new())).collect(),
        surname: LANGS.iter().map(|l| (*l, Vec::new())).collect(),
    };
    for line in tsv.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut cols = line.split('\t');
        let (Some(role), Some(lang), Some(name)) = (cols.next(), cols.next(), cols.next()) else {
            continue;
        };
        // Single-token names with a capital initial: the shape the corpus plants.
        if name.contains(' ') || !name.chars().next().is_some_and(char::is_uppercase) {
            continue;
        }
        let list = if role == "given" {
            &mut n.given
        } else {
            &mut n.surname
        };
        if let Some((_, v)) = list.iter_mut().find(|(l, _)| *l == lang) {
            v.push(name.to_owned());
        }
    }
    n
}

pub fn in_gazetteer() -> Names {
    load(include_str!("gazetteer_names.tsv"))
}

pub fn held_out() -> Names {
    load(include_str!("heldout_names.tsv"))
}

impl Names {
    pub fn given_of(&self, rng: &mut Rng, lang: &str) -> String {
        let list = &self.given.iter().find(|(l, _)| *l == lang).unwrap().1;
        let list = if list.is_empty() {
            &self.given[0].1
        } else {
            list
        };
        rng.pick(list).clone()
    }
    pub fn surname_of(&self, rng: &mut Rng, lang: &str) -> String {
        let own = &self.surname.iter().find(|(l, _)| *l == lang).unwrap().1;
        if !own.is_empty() {
            return rng.pick(own).clone();
        }
        let with: Vec<&Vec<String>> = self
            .surname
            .iter()
            .map(|(_, v)| v)
            .filter(|v| !v.is_empty())
            .collect();
        let r = rng.next();
        rng.pick(rng_list(&with, r)).clone()
    }
}

fn rng_list<'a>(lists: &[&'a Vec<String>], r: u64) -> &'a Vec<String> {
    lists[(r % lists.len() as u64) as usize]
}

/// Plants `value` into `template` at `{}`: the text and the value's span.
pub fn plant(template: &str, value: &str) -> (String, Range<usize>) {
    let at = template.find("{}").expect("template has {}");
    let text = format!("{}{}{}", &template[..at], value, &template[at + 2..]);
    (text, at..at + value.len())
}

/// Support notes, form answers, event names with a name; `{}` is the name (titles and cues
/// stay outside the span).
pub fn name_templates(lang: &str) -> &'static [&'static str] {
    match lang {
        "en" => &[
            "Dear {}, thanks for your order",
            "Hi {}! Your refund is on its way",
            "Ticket from {} about a late delivery",
            "Invited {} to the workspace",
            "Please contact {} for access",
            "signed by {} on the form",
            "Mr {} asked for an invoice copy",
            "Assigned to {}",
            "Meeting with {} moved to Friday",
            "Customer {} called twice",
            "{} called about the invoice",
            "Notes: {} wants a refund",
        ],
        "de" => &[
            "Hallo {}, danke für Ihre Bestellung",
            "Sehr geehrte Frau {}, Ihre Rücksendung ist da",
            "Ticket von {} wegen Rückerstattung",
            "Herr {} hat angerufen",
            "Termin mit {} verschoben",
            "Kundin {} wartet auf Antwort",
            "Eingeladen: {}",
            "Rückruf an {} bis Montag",
            "{} möchte eine Rechnung",
        ],
        "fr" => &[
            "Bonjour {}, merci pour votre commande",
            "Mme {} a demandé un avoir",
            "Message de la part de {}",
            "Rendez-vous avec {} annulé",
            "Signé par {}",
            "Cher {}, votre colis est parti",
            "M. {} attend un rappel",
            "Invité : {}",
            "{} souhaite un remboursement",
        ],
        "nl" => &[
            "Beste {}, bedankt voor je bestelling",
            "Dhr. {} belde over de levering",
            "Mevr. {} wil een factuur",
            "Afspraak met {} verzet",
            "Hoi {}, je pakket is onderweg",
            "Ticket van klant {}",
            "Getekend door {}",
            "{} wil een factuur",
        ],
        "es" => &[
            "Estimado {}, gracias por su pedido",
            "Hola {}, su reembolso está en camino",
            "Sra. {} pidió una factura",
            "Reunión con {} el lunes",
            "Cliente {} llamó dos veces",
            "Sr. {} espera respuesta",
            "Firmado por {}",
            "{} quiere una factura",
        ],
        "it" => &[
            "Gentile {}, grazie per l'ordine",
            "Ciao {}, il rimborso è in arrivo",
            "Sig. {} ha chiesto una fattura",
            "Riunione con {} spostata",
            "Cliente {} in attesa",
            "Firmato da {}",
            "Sig.ra {} ha chiamato",
            "{} vuole una fattura",
        ],
        _ => &[
            "Olá {}, obrigado pela sua encomenda",
            "Prezado {}, o reembolso foi aprovado",
            "Sra. {} pediu uma fatura",
            "Reunião com {} adiada",
            "Cliente {} ligou duas vezes",
            "Assinado por {}",
            "Sr. {} aguarda resposta",
            "{} quer uma fatura",
        ],
    }
}

const PARTICLES: &[(&str, &[&str])] = &[
    ("nl", &["van", "van der", "de", "van den", "ter"]),
    ("de", &["von", "van", "zu"]),
    ("fr", &["de", "le", "du"]),
    ("it", &["di", "da", "de"]),
    ("es", &["de", "del"]),
    ("pt", &["da", "dos", "de"]),
    ("en", &["O'", "Mc", "Mac"]),
];

/// A person's name in one of the shapes the detector must handle.
pub fn person(names: &Names, rng: &mut Rng, lang: &str, title: bool) -> String {
    let given = names.given_of(rng, lang);
    let surname = names.surname_of(rng, lang);
    if title {
        // After a title the surname alone, or the full name.
        return if rng.below(2) == 0 {
            surname
        } else {
            format!("{given} {surname}")
        };
    }
    match rng.below(10) {
        0 | 1 => {
            let ps = PARTICLES.iter().find(|(l, _)| *l == lang).unwrap().1;
            let p = rng.pick(ps);
            if p.ends_with('\'') || *p == "Mc" || *p == "Mac" {
                format!("{given} {p}{surname}")
            } else {
                format!("{given} {p} {surname}")
            }
        }
        2 => {
            let s2 = names.surname_of(rng, lang);
            format!("{given} {surname}-{s2}")
        }
        3 => {
            let initial = given.chars().next().unwrap();
            format!("{initial}. {surname}")
        }
        _ => format!("{given} {surname}"),
    }
}

/// Street and town parts per language; `{s}` is the street base word, `{n}` the number.
pub fn address_templates(lang: &str) -> &'static [&'static str] {
    match lang {
        "en" => &[
            "deliver to {n} {s} Road",
            "ship to {n} {s} Street, Apt. 4B",
            "{n} {s} Lane, Springfield, IL 62704",
            "Flat 3, {n} {s} Close, Leeds LS6 2AB",
            "new address: {n} {s} Avenue Suite 210",
            "{n} {s} Gardens",
            "{n} {s} Mews, London NW8 9AY",
            "{n} {s} Hollow Apt. 12",
        ],
        "de" => &[
            "Lieferung an {s}straße {n}",
            "Neue Adresse: {s}weg {n}, 10435 Berlin",
            "{s}allee {n}/3",
            "Abholung {s}platz {n}",
            "{s}gasse {n}a, 80331 München",
            "Rechnungsadresse {s}ring {n}",
            "{s}str. {n}",
            "Paket an {s}damm {n}",
        ],
        "fr" => &[
            "Livraison au {n}, rue {s}",
            "{n} rue des {s}, 75011 Paris",
            "{n} avenue {s}",
            "{n} boulevard {s}, 69003 Lyon",
            "{n}, impasse {s}",
            "{n} allée {s}",
            "{n} chemin de {s}",
            "{n} quai {s}",
        ],
        "nl" => &[
            "Bezorgen op {s}straat {n}",
            "{s}kade {n}",
            "{s}laan {n}, 1071 AB Amsterdam",
            "{s}plein {n}",
            "{s}gracht {n}",
            "{s}singel {n}",
            "{s}weg {n} 3512 JE Utrecht",
            "{s}steeg {n}",
        ],
        "es" => &[
            "Enviar a Calle {s} {n}",
            "Calle {s}, {n}, 28013 Madrid",
            "Avenida de {s} {n}",
            "Plaza {s} {n}",
            "entrega en Calle {s} {n}",
        ],
        "it" => &[
            "Consegna in Via {s} {n}",
            "Via {s} {n}, 00184 Roma",
            "Viale {s} {n}",
            "Piazza {s} {n}",
            "Corso {s} {n}",
        ],
        _ => &[
            "Entregar na Rua {s} {n}",
            "Rua {s}, {n}",
            "Avenida {s} {n}",
            "Praça {s} {n}",
            "Travessa {s} {n}",
        ],
    }
}

/// An address planted in a note: the text and the street (and town) span.
pub fn address(names: &Names, rng: &mut Rng, lang: &str) -> (String, Range<usize>) {
    let t = rng.pick(address_templates(lang));
    let base = names.surname_of(rng, lang);
    let number = format!("{}", 1 + rng.below(250));
    // The span: from the first of {n}/{s}/street type to the end of the template, minus a
    // leading verb phrase (up to the first ':' or the words before the street).
    let lead = [
        "deliver to ",
        "ship to ",
        "new address: ",
        "Lieferung an ",
        "Neue Adresse: ",
        "Abholung ",
        "Rechnungsadresse ",
        "Paket an ",
        "Livraison au ",
        "Bezorgen op ",
        "Enviar a ",
        "entrega en ",
        "Consegna in ",
        "Entregar na ",
    ]
    .iter()
    .find(|l| t.starts_with(**l))
    .map_or(0, |l| l.len());
    let text = t.replace("{s}", &base).replace("{n}", &number);
    (text.clone(), lead..text.len())
}

/// Values that are not names or addresses (written by hand for this corpus).
pub const NEGATIVES: &[&str] = &[
    // companies and products
    "Siemens Healthineers GmbH",
    "Acme Widgets Ltd",
    "Heineken N.V.",
    "Telefónica S.A.",
    "Banco Santander",
    "Deutsche Bahn",
    "Royal Dutch Shell",
    "Galaxy S24 Ultra",
    "iPhone 15 Pro Max",
    "Pixel Buds Pro",
    "Microsoft Teams",
    "Google Analytics",
    "Adobe Creative Cloud",
    "Philips Hue Bridge",
    "Bosch Professional",
    "Fiat Panda Cross",
    "Renault Clio",
    "Zalando Plus",
    "Spotify Premium Family",
    "Salesforce Service Cloud",
    "Johnson Controls Inc",
    "Ford Motor Company",
    "Procter & Gamble",
    "Goldman Sachs Group",
    "Morgan Stanley Capital",
    "Ferrero Rocher",
    "Dr. Oetker Pizza",
    "Mercedes Benz Vans",
    "Tesla Model Y",
    "Nintendo Switch Lite",
    // cities, countries, places without streets
    "New York Office",
    "Berlin",
    "São Paulo",
    "Amsterdam Centraal",
    "Rio de Janeiro",
    "Los Angeles",
    "Frankfurt am Main",
    "Den Haag",
    "Buenos Aires",
    "Costa Rica",
    "United Kingdom",
    "Nederland",
    "Deutschland",
    "Italia",
    "España",
    "Portugal",
    "Paris La Défense",
    "Milano Centrale",
    "Madrid Barajas",
    "Lisboa",
    "Bruxelles Midi",
    "San Francisco Bay Area",
    "Zürich Flughafen",
    // headlines and UI labels
    "Save Changes",
    "Add to Cart",
    "Sign In",
    "Create New Project",
    "Download Invoice",
    "Upgrade Plan",
    "Account Settings",
    "Privacy Policy",
    "Terms of Service",
    "Summer Sale Starts Now",
    "Breaking News From Berlin",
    "Best Sellers",
    "Getting Started Guide",
    "Release Notes",
    "Black Friday Deals",
    "Jetzt Kaufen",
    "Zum Warenkorb",
    "Passer la Commande",
    "Mon Compte",
    "Mijn Account",
    "Winkelwagen Bekijken",
    "Iniciar Sesión",
    "Mi Cuenta",
    "Aggiungi al Carrello",
    "Il Mio Account",
    "Finalizar Compra",
    "Minha Conta",
    "Monday Morning Standup",
    "March Madness",
    "Quarterly Business Review",
    "Customer Success Team",
    "Help Center",
    // numbers that are not addresses
    "42 items in 3 boxes",
    "3 Day Pass",
    "10 Best Road Trips",
    "Top 5 Street Foods",
    "Save 20% on 2 items",
    "2 adults, 1 child",
    "Page 3 of 12",
    "v2.14.3",
    "Order 1234567",
    "Order #A-10023",
    "Invoice 2024-00017",
    "2024-05-01T12:34:56Z",
    "05/12/2024 14:30",
    "12:45:00",
    "SKU 88213-XL",
    "550e8400-e29b-41d4-a716-446655440000",
    "user_1234567",
    "1.234,56 €",
    "Step 2 of 4",
    // capitalised words that end like a compound street (`-ring`, `-pad`, `-gade`) before a number
    "Monitoring 24 hours",
    "Recurring 12 months",
    "Catering 50 guests",
    "Offering 3 discounts",
    "Keypad 2",
    "Brigade 3 deployed",
    "Room 101",
    "Gate 12",
    "Platform 9",
    "Flight LH 1234",
    "Seat 14C",
    "24 Stunden Lieferung",
    "3 jours ouvrés",
    "Lieferung in 2 Tagen",
    "Pedido 12345 enviado",
    "Ordine 9876 spedito",
    "Encomenda 555 enviada",
    "Bestelling 4321 verzonden",
    "sent via Slack 2 times",
    "via email 3 times",
];

/// Negatives embedded in notes (the value itself is the note).
pub const NEGATIVE_NOTES: &[&str] = &[
    "Customer asked about the New York Office opening hours",
    "Refund approved for Order 1234567",
    "Ticket escalated to Customer Success Team",
    "Delivered 42 items in 3 boxes on Monday",
    "Kunde fragt nach Lieferung in 2 Tagen",
    "Le client attend la commande depuis Paris",
    "Klant belt over Bestelling 4321 uit Amsterdam",
    "El cliente llamó desde Madrid el lunes",
    "Il cliente di Milano ha chiamato martedì",
    "O cliente de Lisboa ligou na segunda-feira",
    "Summer Sale Starts Now in all Berlin stores",
    "Upgrade Plan clicked 3 times",
    "Meeting moved to Friday 14:30",
];
