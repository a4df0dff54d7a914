//! Detector throughput over a realistic mix of Heap property values.
//!
//! The mix is mostly benign (UI labels, page titles, product names, prices, ISO timestamps,
//! numeric and hex ids, URLs, user agents) with about 5% of values carrying PII, each value under
//! a typical property key. Reports MB/s (`Throughput::Bytes`), values/s (`Throughput::Elements`),
//! and the time for one ~1 KB event's worth of strings.
//!
//! The `names` group scans free text (support notes, form answers, event names, delivery notes in
//! seven languages; about 30% carry a name or an address) with `person_name` and `postal_address`
//! wanted, and with every built-in wanted (issue 19).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use privgate::policy::detect::{CustomDetector, DetectorMask, Detectors, Finding};

/// splitmix64, seeded: the same mix on every run.
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
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
    fn hex(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b"0123456789abcdef"[self.below(16)]))
            .collect()
    }
}

const LABELS: &[&str] = &[
    "Add to cart",
    "Checkout",
    "Sign in",
    "Continue shopping",
    "View details",
    "Jetzt kaufen",
    "Ajouter au panier",
    "Añadir a la cesta",
    "Aggiungi al carrello",
    "Learn more",
    "Subscribe",
    "Free shipping on orders over $50",
    "Accept all cookies",
    "Download the app",
    "Next",
    "Filter by price",
    "Sort: Most popular",
    "Read the full story",
    "Close",
    "Menu",
];
const TITLES: &[&str] = &[
    "Summer Sale – Up to 50% Off | Acme Store",
    "Running Shoes for Men & Women | Acme",
    "Your Account – Order History",
    "Warenkorb – Acme Deutschland",
    "Blog: 10 tips to improve your morning routine",
    "Produits – Nouvelle collection automne 2024",
    "Help Center: How do I return an item?",
    "Pricing plans for teams of every size",
];
const PRODUCTS: &[&str] = &[
    "iPhone 15 Pro Max 256GB Natural Titanium",
    "Nike Air Zoom Pegasus 40 (Size 42)",
    "Organic Cotton T-Shirt – Navy / L",
    "Samsung 65\" QLED 4K Smart TV QE65Q80C",
    "LEGO® Technic 42115 Lamborghini Sián",
    "Bosch Professional GSR 18V-55 Akku-Bohrschrauber",
    "Kindle Paperwhite (16 GB) – Black",
    "Dyson V15 Detect Absolute",
];
const KEYS: &[&str] = &[
    "title",
    "button_text",
    "product_name",
    "price",
    "currency",
    "timestamp",
    "page_path",
    "category",
    "label",
    "sku",
    "order_id",
    "user_agent",
    "referrer",
    "search_term",
    "quantity",
    "variant",
    "experiment",
    "session_id",
    "href",
    "text",
];

fn benign(r: &mut Rng) -> String {
    match r.below(12) {
        0 | 1 => r.pick(LABELS).to_owned(),
        2 => r.pick(TITLES).to_owned(),
        3 => r.pick(PRODUCTS).to_owned(),
        4 => format!("${}.{}", r.below(2000), r.digits(2)),
        5 => format!("2024-{:02}-{:02}T{:02}:{:02}:{:02}.{}Z", 1 + r.below(12), 1 + r.below(28), r.below(24), r.below(60), r.below(60), r.digits(3)),
        6 => format!("{}{}", 1 + r.below(9), r.digits(15)),
        7 => format!("{}-{}-4{}-a{}-{}", r.hex(8), r.hex(4), r.hex(3), r.hex(3), r.hex(12)),
        8 => format!("https://www.example.com/{}/{}?utm_source={}&ref={}", r.pick(&["products", "blog", "c"]), r.pick(&["shoes", "summer-sale", "how-to-choose"]), r.pick(&["google", "newsletter"]), r.digits(6)),
        9 => "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36".to_owned(),
        10 => format!("ORD-2024-{}", r.digits(6)),
        _ => format!("{} results for \"{}\"", r.below(500), r.pick(&["running shoes", "winterjacke", "robe d'été", "usb-c cable"])),
    }
}

fn with_pii(r: &mut Rng) -> String {
    match r.below(6) {
        0 => format!(
            "Contact me at {}.{}@example.com please",
            r.pick(&["john", "anna"]),
            r.pick(&["doe", "schmidt"])
        ),
        1 => format!("Call me at (415) 555-{} tomorrow", r.digits(4)),
        2 => "Card 4111 1111 1111 1111 exp 12/27".to_owned(),
        3 => format!("Request from 192.0.2.{} rejected", r.below(255)),
        4 => "IBAN DE89 3704 0044 0532 0130 00".to_owned(),
        _ => format!("Rufen Sie mich unter +49 30 {} an", r.digits(8)),
    }
}

/// (key, value) pairs: ~5% with PII.
fn mix(n: usize) -> Vec<(&'static str, String)> {
    let mut r = Rng(42);
    (0..n)
        .map(|_| {
            let key = r.pick(KEYS);
            let value = if r.below(100) < 5 {
                with_pii(&mut r)
            } else {
                benign(&mut r)
            };
            (key, value)
        })
        .collect()
}

/// Free text as analytics properties carry it (support notes, form answers, event names,
/// delivery notes) in seven languages: about 70% without a name or an address.
const NOTES: &[&str] = &[
    "Customer asked about the delivery window for order {n}, wants it before Friday",
    "Kunde fragt nach der Rechnung für Bestellung {n} und möchte per PayPal zahlen",
    "Le client souhaite modifier l'adresse de livraison de sa commande",
    "De klant wil de bestelling annuleren en het geld terug",
    "El cliente pregunta por el estado del pedido y el plazo de entrega",
    "Il cliente chiede un rimborso per il prodotto danneggiato",
    "O cliente pediu a troca do tamanho da camisola",
    "Package arrived damaged, box was crushed. Requested a replacement via the Help Center.",
    "Paket kam beschädigt an. Bitte Ersatz schicken, Rückgabe über DHL Packstation.",
    "Colis livré en retard de 3 jours, le client demande un geste commercial",
    "Pakket niet ontvangen, Track & Trace zegt bezorgd. Graag nazoeken.",
    "No funciona el código de descuento VERANO24 en la app de Android",
    "Il pagamento con Apple Pay non va a buon fine su iPhone 13",
    "Cancelled subscription: too expensive, switching to the Basic plan next month",
    "Refund issued for 2 items (SKU {n}), customer satisfied",
    "Password reset link expired twice, escalated to Tier 2 Support",
    "42 items in 3 boxes, shipped from the Rotterdam warehouse on Monday",
    "Escalated to the Billing Team – invoice {n} shows the wrong VAT number",
    "Wants to upgrade to Pro but the Checkout page shows an error 500",
    "Liefertermin verschoben auf KW 23, Kunde informiert",
    "Feedback: great product, but the Size Guide for Women's Running Shoes is confusing",
];
const FORM_ANSWERS: &[&str] = &[
    "Through a friend",
    "Google Search",
    "Instagram ad",
    "Other – saw it at the Berlin Marathon Expo",
    "Very satisfied",
    "Plutôt satisfait",
    "Sehr zufrieden, schnelle Lieferung",
    "Ik kom er niet uit met de instellingen",
    "Me gustaría recibir la factura en PDF",
    "Mi serve la fattura intestata all'azienda",
    "Gostaria de alterar o método de pagamento",
    "Small business, 10-50 employees",
    "Marketing Manager",
    "Head of Growth at Acme Corp",
    "Prefer email, not phone calls",
];
const EVENT_NAMES: &[&str] = &[
    "Clicked Save Changes",
    "Viewed Product Page",
    "Completed Checkout – Step 3 of 4",
    "Newsletter Signup Completed",
    "Opened Help Center Article: How do I return an item?",
    "Started Free Trial",
    "Warenkorb angesehen",
    "Formulaire de contact envoyé",
    "Webinar Registration: Q3 Product Roadmap",
    "Downloaded Whitepaper – The State of European E-Commerce 2024",
    "Summer Sale – Up to 50% Off | Acme Store",
    "New York Office",
    "Siemens Healthineers GmbH",
];
const GIVEN: &[&str] = &[
    "Marijke",
    "Tomás",
    "Anna",
    "Jürgen",
    "François",
    "Giulia",
    "João",
    "Pilar",
    "Sjoerd",
    "Emily",
    "Hannah",
    "Pierre",
    "Lucía",
    "Matteo",
    "Inês",
    "James",
];
const SURNAMES: &[&str] = &[
    "de Vries-Bakker",
    "O'Connell",
    "Schmidt",
    "Müller",
    "Dubois",
    "Rossi",
    "Silva",
    "García",
    "van den Berg",
    "Hendricks",
    "Janssens",
    "Lefèvre",
    "Bianchi",
    "Fernández",
    "Costa",
    "Smith",
];
const WITH_NAME: &[&str] = &[
    "Ticket von {g} {s} wegen Rückerstattung",
    "Invited {g} {s}",
    "Dear Mrs {s}, thanks for your order",
    "Called back {g} {s}, issue resolved",
    "Bonjour {g}, votre commande {n} est en route",
    "Hallo Herr {s}, Ihre Rücksendung ist angekommen",
    "Beste {g}, bedankt voor je bestelling",
    "Estimada Sra. {s}: su pedido ha sido enviado",
    "Assigned to {g} {s} (Tier 2)",
    "{g} {s}",
    "Signed by Dr. {g} {s}",
];
const WITH_ADDRESS: &[&str] = &[
    "deliver to {n4} Orchard Hollow Apt. 12",
    "Lieferung an Kastanienallee 17/3, 10435 Berlin",
    "Livraison au 12, rue des Tanneurs, 75011 Paris",
    "Please ship to Wilhelminakade 203, 3072 AP Rotterdam",
    "Entregar en Calle Mayor, 5, 28013 Madrid",
    "Consegna in Via Roma 12, 00184 Roma",
    "Morada: Rua Augusta 100, Lisboa",
    "New address: Flat 3, 12 Abbey Road, London NW8 9AY",
    "Ship to {n4} Maple Street, Springfield, IL 62704",
];

/// (key, value) pairs of free text: ~70% without a name or address.
fn text_mix(n: usize) -> Vec<(&'static str, String)> {
    const TEXT_KEYS: &[&str] = &[
        "note",
        "support_note",
        "message",
        "answer",
        "event_name",
        "description",
        "comment",
        "reason",
        "text",
        "feedback",
    ];
    let mut r = Rng(19);
    (0..n)
        .map(|_| {
            let key = r.pick(TEXT_KEYS);
            let template = match r.below(100) {
                0..35 => r.pick(NOTES),
                35..50 => r.pick(FORM_ANSWERS),
                50..70 => r.pick(EVENT_NAMES),
                70..88 => r.pick(WITH_NAME),
                _ => r.pick(WITH_ADDRESS),
            };
            let value = template
                .replace("{g}", r.pick(GIVEN))
                .replace("{s}", r.pick(SURNAMES))
                .replace("{n4}", &format!("{}", 100 + r.below(9900)))
                .replace("{n}", &r.digits(5));
            (key, value)
        })
        .collect()
}

fn mask(d: &Detectors, names: &[&str]) -> DetectorMask {
    let mut m = DetectorMask::default();
    for n in names {
        m.insert(d.id(n).expect("known detector"));
    }
    m
}

fn scan_all(
    d: &Detectors,
    values: &[(&str, String)],
    wanted: DetectorMask,
    out: &mut Vec<Finding>,
) -> usize {
    let mut found = 0;
    for (k, v) in values {
        out.clear();
        // Without the memo of clean texts: these are the scanners' own figures.
        d.scan_afresh(black_box(v), Some(k), wanted, out);
        found += out.len();
    }
    found
}

fn bench(c: &mut Criterion) {
    let d = Detectors::new(Vec::new()).expect("built-ins compile");
    let all: Vec<&str> = d.names().collect();
    let all = mask(&d, &all);
    let gdpr = mask(
        &d,
        &[
            "email",
            "phone",
            "credit_card",
            "iban",
            "us_ssn",
            "ipv4",
            "ipv6",
        ],
    );
    // Every built-in but the two lexicon detectors (person_name, postal_address: `benches/names.rs`).
    let patterns: Vec<&str> = d
        .names()
        .filter(|n| !matches!(*n, "person_name" | "postal_address"))
        .collect();
    let patterns = mask(&d, &patterns);
    let values = mix(4000);
    let bytes: usize = values.iter().map(|(_, v)| v.len()).sum();
    let mut out = Vec::with_capacity(16);

    let mut g = c.benchmark_group("mix");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("all_detectors_bytes", |b| {
        b.iter(|| scan_all(&d, &values, all, &mut out))
    });
    g.bench_function("all_but_names_bytes", |b| {
        b.iter(|| scan_all(&d, &values, patterns, &mut out))
    });
    g.bench_function("gdpr_set_bytes", |b| {
        b.iter(|| scan_all(&d, &values, gdpr, &mut out))
    });
    g.throughput(Throughput::Elements(values.len() as u64));
    g.bench_function("all_detectors_values", |b| {
        b.iter(|| scan_all(&d, &values, all, &mut out))
    });
    g.finish();

    // Free text (issue 19): the two lexicon detectors alone and with every other built-in.
    let names = mask(&d, &["person_name", "postal_address"]);
    let text = text_mix(2000);
    let text_bytes: usize = text.iter().map(|(_, v)| v.len()).sum();
    let mut g = c.benchmark_group("names");
    g.throughput(Throughput::Bytes(text_bytes as u64));
    g.bench_function("text_person_name+postal_address", |b| {
        b.iter(|| scan_all(&d, &text, names, &mut out))
    });
    g.bench_function("text_all_detectors", |b| {
        b.iter(|| scan_all(&d, &text, all, &mut out))
    });
    g.bench_function("mix_person_name+postal_address", |b| {
        b.iter(|| scan_all(&d, &values, names, &mut out))
    });
    g.finish();

    // One ~1 KB event's worth of property strings.
    let mut event = Vec::new();
    let mut size = 0;
    for v in &values {
        if size >= 1024 {
            break;
        }
        size += v.1.len();
        event.push(v.clone());
    }
    let mut g = c.benchmark_group("event_1kb");
    g.throughput(Throughput::Bytes(size as u64));
    g.bench_function(format!("{}_values_{}_bytes", event.len(), size), |b| {
        b.iter(|| scan_all(&d, &event, all, &mut out))
    });
    g.finish();

    // Custom pattern wanted: the combined regex (built-ins + custom) is used.
    let custom = Detectors::new(vec![CustomDetector {
        name: "mrn".into(),
        pattern: Some(r"\bMRN[-: ]?\d{6,10}\b".into()),
        keys: vec!["mrn".into(), "*medical_record*".into()],
        context: vec![],
        words: vec![],
    }])
    .expect("valid custom detector");
    let names: Vec<&str> = custom.names().collect();
    let custom_all = mask(&custom, &names);
    let mut g = c.benchmark_group("mix_custom");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("all_plus_custom_bytes", |b| {
        b.iter(|| scan_all(&custom, &values, custom_all, &mut out))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
