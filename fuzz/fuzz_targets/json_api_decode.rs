//! The JSON API decoder: any body, on any JSON route, must either be refused with a decode error
//! or decode into events that encode back into a body that decodes to the same events.
//!
//! Input: the first byte picks the route; the rest is the body.

#![no_main]

use http::{HeaderMap, HeaderValue, Method};
use libfuzzer_sys::fuzz_target;
use privgate::protocol::{self, DecodeLimits, RawRequest};

const ROUTES: [&str; 6] = [
    "/api/track",
    "/api/add_user_properties",
    "/api/add_account_properties",
    "/api/v1/identify",
    "/api/integrations/track",
    "/api/public/v0/user_deletion",
];

fn request(path: &str, body: Vec<u8>) -> RawRequest {
    let mut headers = HeaderMap::new();
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    RawRequest {
        method: Method::POST,
        path: path.to_owned(),
        query: None,
        headers,
        body: body.into(),
        client_ip: None,
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let path = ROUTES[usize::from(selector) % ROUTES.len()];
    let route = protocol::route(path).expect("a JSON route");
    let limits = DecodeLimits::default();
    let Ok(batch) = protocol::decode(route, &request(path, body.to_vec()), &limits) else {
        return;
    };
    let Some(out) = protocol::encode(&batch) else {
        return;
    };
    let _ = protocol::forwarded_view(&out);
    if path.starts_with("/api/public/") {
        assert_eq!(
            &out.body[..],
            body,
            "the data-privacy API passes through unchanged"
        );
        return;
    }
    let again = protocol::decode(route, &request(path, out.body.to_vec()), &limits)
        .expect("what privgate forwards decodes");
    assert_eq!(again.unknown_fields, 0, "no unknown fields are forwarded");
    assert_eq!(again.events.len(), batch.events.len());
    for (a, b) in batch.events.iter().zip(&again.events) {
        assert_eq!(a.kind, b.kind);
        assert_eq!(a.fields, b.fields);
    }
});
