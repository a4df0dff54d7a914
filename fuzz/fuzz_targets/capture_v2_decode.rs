//! The capture/v2 decoder: any body, on any of the three routes, must either be refused with a
//! decode error or decode into events that encode back into a message that decodes to the same
//! events (nothing lost, nothing invented), with no unknown fields and a JSON view.
//!
//! Input: the first byte picks the route (bits 0–1, modulo 3) and whether a query string
//! (bit 2) and `X-Heap-Env-Id` (bit 3) are sent; the rest is the body.

#![no_main]

use http::{HeaderMap, HeaderValue, Method};
use libfuzzer_sys::fuzz_target;
use privgate::protocol::{self, DecodeLimits, Endpoint, RawRequest};

const ROUTES: [&str; 3] = [
    "/api/capture/v2/track",
    "/api/capture/v2/identify",
    "/api/capture/v2/add_user_properties",
];

fn request(path: &str, query: Option<String>, env: bool, body: Vec<u8>) -> RawRequest {
    let mut headers = HeaderMap::new();
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    if env {
        headers.insert("x-heap-env-id", HeaderValue::from_static("11"));
    }
    RawRequest {
        method: Method::POST,
        path: path.to_owned(),
        query,
        headers,
        body: body.into(),
        client_ip: None,
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let path = ROUTES[usize::from(selector & 0x03) % 3];
    let query = (selector & 0x04 != 0).then(|| "b=swift_core&i=a%40b.co&u=42&a=11".to_owned());
    let env = selector & 0x08 != 0;
    let route = protocol::route(path).expect("a capture route");
    let Endpoint::Capture(endpoint) = route.endpoint else {
        unreachable!("capture routes have capture endpoints")
    };
    let limits = DecodeLimits::default();
    let Ok(batch) = protocol::decode(
        route,
        &request(path, query.clone(), env, body.to_vec()),
        &limits,
    ) else {
        return;
    };
    let out = protocol::encode(&batch).expect("a decoded capture batch has events");
    // The output is a valid message of the schema, with nothing the schema does not know.
    let view = privgate::protocol::capture_v2::json_form::to_json(endpoint, &out.body);
    assert!(view.is_ok(), "the output has a JSON view");
    // Decoding the output again gives the same events: the mapping loses and invents nothing.
    let again = protocol::decode(
        route,
        &request(path, query, env, out.body.to_vec()),
        &limits,
    )
    .expect("what privgate forwards decodes");
    assert_eq!(again.unknown_fields, 0, "no unknown fields are forwarded");
    assert_eq!(again.events.len(), batch.events.len());
    for (a, b) in batch.events.iter().zip(&again.events) {
        assert_eq!(a.kind, b.kind);
        assert_eq!(a.fields, b.fields);
    }
    let out2 = protocol::encode(&again).expect("events");
    assert_eq!(out2.path_and_query, out.path_and_query);
});
