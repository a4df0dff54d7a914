//! The policy engine and the JSON adapter on realistic traffic.
//!
//! `cargo bench --bench engine` — reports time per event (1 KB server track event, 1000-event
//! bulk request, a heap.js `/h` batch) for each shipped policy, and decode / encode alone.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use http::{HeaderMap, HeaderValue, Method};
use serde_json::{Value, json};

use privgate::consent::RequestSignals;
use privgate::keys::HashKey;
use privgate::policy::action::NoTokens;
use privgate::protocol::{self, DecodeLimits, RawRequest};
use privgate::subjects::Registry;
use privgate::vault::Vault;

mod common;
use common::evaluate_each_policy;

/// A realistic ~1 KB server-side track event: ids, a page, a search, some free text, one email.
pub fn track_event(i: usize) -> Value {
    json!({
        "identity": format!("customer-{i}@example.com"),
        "event": "Checkout Completed",
        "timestamp": "2026-11-29T10:15:00.000Z",
        "session_id": "5849260383614712",
        "idempotency_key": format!("evt-{i:08}"),
        "properties": {
            "order_id": "ORD-2024-000123",
            "total": 129.9,
            "currency": "EUR",
            "items": 3,
            "coupon": "WINTER25",
            "payment_method": "card",
            "shipping_method": "express",
            "page_title": "Checkout – Step 3 of 3 | Example Shop",
            "page_path": "/checkout/confirm",
            "referrer": "https://www.example.com/cart?utm_source=newsletter&utm_medium=email",
            "search_term": "waterproof hiking boots size 42",
            "note": "Please leave the parcel with the neighbour at number 12 if nobody is home.",
            "support_message": "Contact me at jane.doe@example.com about the delivery window",
            "app_version": "4.17.21",
            "build": "2026.11.2",
            "experiment": "checkout-v2",
            "variant": "B",
            "device_model": "iPhone14,3",
            "locale": "de-DE",
            "viewport": "390x844",
            "latency_ms": 182,
            "first_purchase": false,
            "loyalty_tier": "gold",
            "api_token": "sk_live_51HxQ2eZvKYlo2C9"
        }
    })
}

/// [`track_event`] with a number `i` in every string value, so that no value repeats across
/// 4,096 events: the detectors' memo of clean texts (about 2,000 answers per thread) never
/// answers, and every value is scanned afresh — the worst case, traffic without repetition.
pub fn unseen_track_event(i: usize) -> Value {
    let mut e = track_event(i);
    let props = e["properties"].as_object_mut().unwrap();
    props["order_id"] = json!(format!("ORD-2024-{i:06}"));
    props["coupon"] = json!(format!("WINTER{i}"));
    props["page_title"] = json!(format!(
        "Checkout – Step {} of 3 | Example Shop {i}",
        i % 3 + 1
    ));
    props["page_path"] = json!(format!("/checkout/confirm/{i}"));
    props["referrer"] = json!(format!(
        "https://www.example.com/cart?utm_source=newsletter&utm_medium=email&n={i}"
    ));
    props["search_term"] = json!(format!("waterproof hiking boots size {}", 30 + i % 4096));
    props["note"] = json!(format!(
        "Please leave the parcel with the neighbour at number {i} if nobody is home."
    ));
    props["support_message"] = json!(format!(
        "Contact me at jane.doe{i}@example.com about the delivery window"
    ));
    let suffixed = [
        (
            "-",
            &[
                "currency",
                "payment_method",
                "shipping_method",
                "experiment",
                "variant",
            ][..],
        ),
        (
            ".",
            &[
                "app_version",
                "build",
                "device_model",
                "locale",
                "viewport",
                "loyalty_tier",
                "api_token",
            ],
        ),
    ];
    for (separator, keys) in suffixed {
        for key in keys {
            let v = props[*key].as_str().unwrap().to_owned();
            props[*key] = json!(format!("{v}{separator}{i}"));
        }
    }
    e["event"] = json!(format!("Checkout Completed {i}"));
    e["timestamp"] = json!(format!(
        "2026-11-29T10:{:02}:{:02}.000Z",
        i / 60 % 60,
        i % 60
    ));
    e["session_id"] = json!(format!("{}", 5_849_260_383_614_712u64 + i as u64));
    e
}

fn raw(body: &Value) -> RawRequest {
    let mut headers = HeaderMap::new();
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(
        http::header::USER_AGENT,
        HeaderValue::from_static("Mozilla/5.0 (Macintosh) Safari/605.1.15"),
    );
    RawRequest {
        method: Method::POST,
        path: "/api/track".into(),
        query: None,
        headers,
        body: serde_json::to_vec(body).unwrap().into(),
        client_ip: Some("203.0.113.77".parse().unwrap()),
    }
}

fn single(i: usize) -> Value {
    let mut e = track_event(i);
    e["app_id"] = json!("11");
    e
}

fn bulk(n: usize) -> Value {
    json!({"app_id": "11", "events": (0..n).map(track_event).collect::<Vec<_>>()})
}

/// A heap.js `/h` event hit as the classic web tracker sends it: session and pageview props,
/// then `n` numbered click events with target text, href and selector chain.
fn heap_js_batch(n: usize) -> RawRequest {
    let enc = |s: &str| {
        percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    let mut q = String::from(
        "a=11&u=4503599627370495&v=2218876301&s=6630118276&i=jane.doe%40example.com&b=web&tv=4.0&z=2\
         &sp=r&sp=https%3A%2F%2Fwww.google.com%2F&sp=ts&sp=1764411300000&sp=d&sp=shop.example.com\
         &sp=h&sp=%2Fcheckout%2Fconfirm\
         &pp=d&pp=shop.example.com&pp=h&pp=%2Faccount%2Fjane.doe%40example.com%2Forders\
         &pp=t&pp=Orders%20%E2%80%93%20Jane%20Doe&pp=ts&pp=1764411310000&st=1764411321000",
    );
    for i in 0..n {
        q.push_str(&format!(
            "&id{i}={id}&t{i}=click&n{i}=a&c{i}=btn%20btn-primary&i{i}=order-{i}\
             &h{i}={href}&y{i}={sel}&ts{i}={ts}&x{i}={text}",
            id = 8_812_000 + i,
            href = enc(&format!(
                "/orders/ORD-2024-{i:06}?email=jane.doe@example.com"
            )),
            sel = enc(&format!(
                "@a;#order-{i};.btn;.btn-primary;[data-order=ORD-2024-{i:06}];|@li;.order;|"
            )),
            ts = 1_764_411_311_000u64 + i as u64,
            text = enc(&format!(
                "Track order {i} for Jane Doe, +44 20 7946 0{i:03}"
            )),
        ));
    }
    let mut headers = HeaderMap::new();
    headers.insert(
        http::header::USER_AGENT,
        HeaderValue::from_static("Mozilla/5.0 (Macintosh) Safari/605.1.15"),
    );
    headers.insert(
        http::header::REFERER,
        HeaderValue::from_static("https://shop.example.com/checkout/confirm"),
    );
    RawRequest {
        method: Method::GET,
        path: "/h".into(),
        query: Some(q),
        headers,
        body: Default::default(),
        client_ip: Some("203.0.113.77".parse().unwrap()),
    }
}

fn bench(c: &mut Criterion) {
    let route = protocol::route("/api/track").unwrap();
    let limits = DecodeLimits::default();
    let key = HashKey::from_bytes(&[7u8; 32], "bench").unwrap();
    let one = raw(&single(1));
    let many = raw(&bulk(1000));
    eprintln!("single track body: {} bytes", one.body.len());

    let mut g = c.benchmark_group("engine");
    g.throughput(Throughput::Elements(1));
    evaluate_each_policy(&mut g, "evaluate_1kb_track", route, &one, &key);
    g.finish();

    // The same event shape with no value ever seen before on this thread.
    let (gdpr, _) = privgate::policy::load_set(&["gdpr".to_owned()], key.clone()).unwrap();
    let unseen: Vec<_> = (0..4096)
        .map(|i| {
            let mut body = unseen_track_event(i);
            body["app_id"] = json!("11");
            protocol::decode(route, &raw(&body), &limits).unwrap()
        })
        .collect();
    let mut g = c.benchmark_group("engine");
    g.throughput(Throughput::Elements(1));
    let mut next = 0;
    g.bench_function("evaluate_1kb_track_unseen/gdpr", |b| {
        b.iter_batched(
            || {
                next = (next + 1) % unseen.len();
                unseen[next].events.clone()
            },
            |mut events| {
                let ev = gdpr
                    .evaluate(
                        &mut events,
                        &unseen[0].meta,
                        &RequestSignals::default(),
                        &NoTokens,
                    )
                    .unwrap();
                black_box((events, ev))
            },
            BatchSize::SmallInput,
        )
    });
    g.finish();

    let (gdpr, _) = privgate::policy::load_set(&["gdpr".to_owned()], key.clone()).unwrap();
    let mut g = c.benchmark_group("bulk_1000");
    g.throughput(Throughput::Elements(1000));
    g.sample_size(20);
    let batch = protocol::decode(route, &many, &limits).unwrap();
    g.bench_function("evaluate/gdpr", |b| {
        b.iter_batched(
            || batch.events.clone(),
            |mut events| {
                black_box(
                    gdpr.evaluate(
                        &mut events,
                        &batch.meta,
                        &RequestSignals::default(),
                        &NoTokens,
                    )
                    .unwrap(),
                )
            },
            BatchSize::LargeInput,
        )
    });
    g.bench_function("decode", |b| {
        b.iter(|| black_box(protocol::decode(route, &many, &limits).unwrap()))
    });
    g.bench_function("encode", |b| b.iter(|| black_box(protocol::encode(&batch))));
    g.finish();

    let mut g = c.benchmark_group("json_1kb");
    g.throughput(Throughput::Bytes(one.body.len() as u64));
    let batch = protocol::decode(route, &one, &limits).unwrap();
    g.bench_function("decode", |b| {
        b.iter(|| black_box(protocol::decode(route, &one, &limits).unwrap()))
    });
    g.bench_function("encode", |b| b.iter(|| black_box(protocol::encode(&batch))));
    g.bench_function("pipeline/gdpr", |b| {
        b.iter(|| {
            black_box(
                privgate::pipeline::process(
                    &gdpr,
                    route,
                    &one,
                    &limits,
                    &Registry::in_memory(),
                    &Vault::in_memory(),
                )
                .unwrap(),
            )
        })
    });
    g.finish();

    // heap.js: one `/h` hit with 10 click events, through each shipped policy.
    let h = heap_js_batch(10);
    let h_route = protocol::route("/h").unwrap();
    let h_batch = protocol::decode(h_route, &h, &limits).unwrap();
    eprintln!(
        "heap.js /h query: {} bytes, {} events",
        h.query.as_ref().map_or(0, String::len),
        h_batch.events.len()
    );
    let mut g = c.benchmark_group("heap_js_h");
    g.throughput(Throughput::Elements(h_batch.events.len() as u64));
    g.bench_function("decode", |b| {
        b.iter(|| black_box(protocol::decode(h_route, &h, &limits).unwrap()))
    });
    g.bench_function("encode", |b| {
        b.iter(|| black_box(protocol::encode(&h_batch)))
    });
    evaluate_each_policy(&mut g, "evaluate", h_route, &h, &key);
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
