//! The capture/v2 adapter on a realistic mobile batch.
//!
//! `cargo bench --bench capture_v2` — a 200-message batch as the Swift SDK sends it (its cap):
//! a session, pageviews, custom events with properties, and taps with a three-node path;
//! decode, encode, policy evaluation with each shipped policy, and the whole pipeline under the
//! gdpr policy.

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use http::{HeaderMap, HeaderValue, Method};
use prost::Message as _;
use prost_types::Timestamp;

use privgate::keys::HashKey;
use privgate::protocol::capture_v2::core_sdk::v1 as pb;
use privgate::protocol::{self, DecodeLimits, RawRequest};

mod common;

fn value(text: &str) -> pb::Value {
    pb::Value {
        string: text.to_owned(),
    }
}

fn props(pairs: &[(&str, &str)]) -> BTreeMap<String, pb::Value> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), value(v)))
        .collect()
}

fn node(name: &str, text: Option<&str>) -> pb::ElementNode {
    pb::ElementNode {
        node_name: Some(name.to_owned()),
        node_text: text.map(str::to_owned),
        accessibility_label: text.map(str::to_owned),
        ..pb::ElementNode::default()
    }
}

/// One message of a realistic Swift batch.
fn message(i: u32) -> pb::Message {
    use pb::message::Kind;
    let kind = match i % 10 {
        0 => Kind::Session(()),
        1 | 5 => Kind::Pageview(()),
        2 | 6 | 8 => Kind::Event(pb::Event {
            kind: Some(pb::event::Kind::Custom(pb::event::Custom {
                name: "Added to cart".to_owned(),
                properties: props(&[
                    ("sku", "SKU-20391"),
                    ("price", "129.90"),
                    ("currency", "EUR"),
                    ("note", "gift wrap, call me at +44 20 7946 0958"),
                ]),
                source_properties: BTreeMap::new(),
            })),
            app_visibility_state: Some(2),
        }),
        _ => Kind::Event(pb::Event {
            kind: Some(pb::event::Kind::Interaction(pb::Interaction {
                callback_name: Some("didTapCheckout:".to_owned()),
                kind: Some(pb::interaction::Kind::Builtin(2)),
                hierarchy: Some("@UIWindow;|@CheckoutView;|@UIButton;".to_owned()),
                nodes: vec![
                    node("UIButton", Some("Checkout")),
                    node("CheckoutView", None),
                    node("UIWindow", None),
                ],
                source_properties: BTreeMap::new(),
            })),
            app_visibility_state: Some(2),
        }),
    };
    pb::Message {
        id: format!("{}", 4_503_599_627_000_000u64 + u64::from(i)),
        env_id: "11".to_owned(),
        user_id: "4503599627370495".to_owned(),
        identity: "jane.doe@example.com".to_owned(),
        time: Some(Timestamp {
            seconds: 1_764_400_000 + i64::from(i),
            nanos: 250_000_000,
        }),
        base_library: Some(pb::LibraryInfo {
            name: "swift_core".to_owned(),
            version: "0.7.2".to_owned(),
            platform: "iOS 17.0".to_owned(),
            properties: BTreeMap::new(),
        }),
        application: Some(pb::ApplicationInfo {
            name: Some("Example Shop".to_owned()),
            identifier: Some("com.example.shop".to_owned()),
            version_string: Some("4.17.21".to_owned()),
        }),
        device: Some(pb::DeviceInfo {
            model: "iPhone14,3".to_owned(),
            platform: "iOS 17.0".to_owned(),
            r#type: 1,
            carrier: Some("Example Mobile".to_owned()),
            ..pb::DeviceInfo::default()
        }),
        session_info: Some(pb::SessionInfo {
            id: "3012345678901234".to_owned(),
            time: Some(Timestamp {
                seconds: 1_764_399_000,
                nanos: 0,
            }),
            ..pb::SessionInfo::default()
        }),
        pageview_info: Some(pb::PageviewInfo {
            id: format!("77{}", i / 10),
            time: Some(Timestamp {
                seconds: 1_764_399_500,
                nanos: 0,
            }),
            component_or_class_name: Some("CheckoutViewController".to_owned()),
            title: Some("Checkout".to_owned()),
            ..pb::PageviewInfo::default()
        }),
        properties: props(&[("ab_test", "checkout-v2"), ("locale", "de-DE")]),
        kind: Some(kind),
        ..pb::Message::default()
    }
}

fn bench(c: &mut Criterion) {
    let route = protocol::route("/api/capture/v2/track").unwrap();
    let limits = DecodeLimits::default();
    let body = pb::MessageBatch {
        events: (0..200).map(message).collect(),
    }
    .encode_to_vec();
    let mut headers = HeaderMap::new();
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    headers.insert("x-heap-env-id", HeaderValue::from_static("11"));
    let raw = RawRequest {
        method: Method::POST,
        path: route.path.to_owned(),
        query: Some("b=swift_core&i=jane.doe%40example.com&u=4503599627370495&a=11".to_owned()),
        headers,
        body: body.into(),
        client_ip: Some("203.0.113.77".parse().unwrap()),
    };
    eprintln!("200-message batch: {} bytes", raw.body.len());
    let key = HashKey::from_bytes(&[7u8; 32], "bench").unwrap();
    let (gdpr, _) = privgate::policy::load_set(&["gdpr".to_owned()], key.clone()).unwrap();
    let batch = protocol::decode(route, &raw, &limits).unwrap();

    let mut g = c.benchmark_group("capture_v2_200");
    g.throughput(Throughput::Elements(200));
    g.sample_size(30);
    g.bench_function("decode", |b| {
        b.iter(|| black_box(protocol::decode(route, &raw, &limits).unwrap()))
    });
    g.bench_function("encode", |b| b.iter(|| black_box(protocol::encode(&batch))));
    common::evaluate_each_policy(&mut g, "evaluate", route, &raw, &key);
    g.bench_function("pipeline/gdpr", |b| {
        b.iter(|| {
            black_box(
                privgate::pipeline::process(
                    &gdpr,
                    route,
                    &raw,
                    &limits,
                    &privgate::subjects::Registry::in_memory(),
                    &privgate::vault::Vault::in_memory(),
                )
                .unwrap(),
            )
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
