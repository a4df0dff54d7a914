//! Throughput of the `person_name` and `postal_address` detectors together (issue 19) over a
//! realistic mix of Heap property values: UI labels, page titles, product names, timestamps,
//! ids, URLs, and support notes, delivery notes and form answers in seven languages, about a
//! tenth of which carry a name or an address. Reports MB/s (`Throughput::Bytes`).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use privgate::policy::person_name::{self, KeyHint};
use privgate::policy::postal_address;

const VALUES: &[&str] = &[
    "Save Changes",
    "Add to Cart",
    "Checkout – Step 2 of 4",
    "Home | Acme Store",
    "Galaxy S24 Ultra 256 GB",
    "2024-05-01T12:34:56.789Z",
    "550e8400-e29b-41d4-a716-446655440000",
    "https://shop.example.com/products/blue-widget?ref=nav&utm_source=newsletter",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
    "order_1234567",
    "19.99",
    "EUR",
    "Summer Sale Starts Now",
    "Jetzt kaufen und 20% sparen",
    "Passer la commande",
    "Winkelwagen bekijken",
    "Iniciar sesión",
    "Aggiungi al carrello",
    "Finalizar compra",
    "Customer asked about the delivery window for order 88213, wants it before Friday",
    "Kunde fragt nach der Rechnung für Bestellung 4471 und möchte per PayPal zahlen",
    "Le client souhaite modifier l'adresse de livraison de sa commande",
    "De klant wil de bestelling annuleren en het geld terug",
    "El cliente pregunta por el estado del pedido y el plazo de entrega",
    "Il cliente chiede un rimborso per il prodotto danneggiato",
    "O cliente pediu a troca do tamanho da camisola",
    "New York Office",
    "Berlin",
    "Ticket von Marijke de Vries-Bakker wegen Rückerstattung",
    "Invited Tomás O'Connell",
    "deliver to 4417 Orchard Hollow Apt. 12",
    "Lieferung an Kastanienallee 17/3, 10435 Berlin",
    "Livraison au 12, rue des Tanneurs, 75011 Paris",
    "Dear Mrs Hendricks, thanks for your order",
    "42 items in 3 boxes",
    "Page 3 of 12",
];

fn bench(c: &mut Criterion) {
    let bytes: usize = VALUES.iter().map(|v| v.len()).sum();
    let mut g = c.benchmark_group("names_addresses");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("person_name+postal_address", |b| {
        b.iter(|| {
            let mut n = 0;
            for v in VALUES {
                n += person_name::find(black_box(v), KeyHint::None).len();
                n += postal_address::find(black_box(v), KeyHint::None).len();
            }
            n
        })
    });
    g.bench_function("person_name", |b| {
        b.iter(|| {
            VALUES
                .iter()
                .map(|v| person_name::find(black_box(v), KeyHint::None).len())
                .sum::<usize>()
        })
    });
    g.bench_function("postal_address", |b| {
        b.iter(|| {
            VALUES
                .iter()
                .map(|v| postal_address::find(black_box(v), KeyHint::None).len())
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
