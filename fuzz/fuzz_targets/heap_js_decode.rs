//! The heap.js adapter: any parameter list, on any heap.js route, as a query string or a form
//! body, must either be refused with a decode error or decode — within the decode budget — into
//! events that encode back into parameters that decode to the same events.
//!
//! Input: the first byte picks the route (`% 3`) and where the parameters travel (`& 4`: a
//! POST form body, else a GET query string); the rest is the parameter text.

#![no_main]

use http::{HeaderMap, HeaderValue, Method};
use libfuzzer_sys::fuzz_target;
use privgate::protocol::{self, DecodeLimits, RawRequest};

const ROUTES: [&str; 3] = ["/h", "/api/identify_v3", "/api/add_user_properties_v3"];

fn request(path: &str, post: bool, query: Option<&str>, body: &[u8]) -> RawRequest {
    let mut headers = HeaderMap::new();
    if post {
        headers.insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
    }
    RawRequest {
        method: if post { Method::POST } else { Method::GET },
        path: path.to_owned(),
        query: query.map(str::to_owned),
        headers,
        body: body.to_vec().into(),
        client_ip: None,
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, params)) = data.split_first() else {
        return;
    };
    let path = ROUTES[usize::from(selector) % ROUTES.len()];
    let post = selector & 4 != 0;
    let route = protocol::route(path).expect("a heap.js route");
    let limits = DecodeLimits::default();
    let raw = if post {
        request(path, true, None, params)
    } else {
        // A query string is text: the fuzzer's bytes as far as they are UTF-8.
        let text = match std::str::from_utf8(params) {
            Ok(t) => t,
            Err(e) => std::str::from_utf8(&params[..e.valid_up_to()]).expect("valid prefix"),
        };
        request(path, false, Some(text), b"")
    };
    let Ok(batch) = protocol::decode(route, &raw, &limits) else {
        return;
    };
    // The budget held while building.
    assert!(batch.events.len() <= limits.max_events);
    let mut total = 0usize;
    for e in &batch.events {
        protocol::count_fields(&e.fields, &limits, &mut total)
            .expect("decoded events are within the budget");
    }
    let Some(out) = protocol::encode(&batch) else {
        return;
    };
    let _ = protocol::forwarded_view(&out);
    let (path_only, query) = match out.path_and_query.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (out.path_and_query.as_str(), None),
    };
    let again = protocol::decode(route, &request(path_only, post, query, &out.body), &limits)
        .expect("what privgate forwards decodes");
    assert_eq!(again.unknown_fields, 0, "no unknown parameters are forwarded");
    assert_eq!(again.events.len(), batch.events.len());
    for (a, b) in batch.events.iter().zip(&again.events) {
        assert_eq!(a.kind, b.kind);
        assert_eq!(a.fields, b.fields);
    }
});
