//! Heap's capture/v2 protobuf API (the current iOS, Android and web SDKs): round trips over every
//! message kind and every field of the schema, filtering, the query string and `X-Heap-Env-Id`,
//! unknown fields, status codes for bad input, and the PII canary.

use std::collections::BTreeMap;
use std::io::Write as _;

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method};
use prost::Message as _;
use prost_types::Timestamp;
use serde_json::{Value, json};

use privgate::protocol::capture_v2::core_sdk::v1 as pb;
use privgate::protocol::capture_v2::json_form;
use privgate::protocol::{self, CaptureEndpoint, DecodeLimits, RawRequest};

use crate::support::{Behaviour, Collector, Proxy, ProxyProcess, read_jsonl, send};

const TRACK: &str = "/api/capture/v2/track";
const IDENTIFY: &str = "/api/capture/v2/identify";
const USER_PROPERTIES: &str = "/api/capture/v2/add_user_properties";
/// As the Swift SDK writes it: RFC 3986 query characters (`@` included) stay as they are.
const QUERY: &str = "b=swift_core&i=jane@example.com&u=4503599627370495&a=11";

// ---------------------------------------------------------------------------------------------
// Builders: every field of the schema set, each string distinct (`<what>-<n>`).

fn props(prefix: &str) -> BTreeMap<String, pb::Value> {
    [("plan", "pro"), ("note", "hello"), ("empty", "")]
        .into_iter()
        .map(|(k, v)| {
            (
                format!("{prefix}_{k}"),
                pb::Value {
                    string: if v.is_empty() {
                        String::new()
                    } else {
                        format!("{prefix}-{v}")
                    },
                },
            )
        })
        .collect()
}

fn ts(seconds: i64, nanos: i32) -> Option<Timestamp> {
    Some(Timestamp { seconds, nanos })
}

fn s(text: &str) -> Option<String> {
    Some(text.to_owned())
}

fn node(n: u32) -> pb::ElementNode {
    pb::ElementNode {
        node_name: s(&format!("tag-{n}")),
        node_html_class: s(&format!("class-{n} other-{n}")),
        node_id: s(&format!("elem-{n}")),
        node_text: s(&format!("text-{n}")),
        href: s(&format!("https://app.example/href-{n}")),
        accessibility_label: s(&format!("label-{n}")),
        referencing_property_name: s(&format!("ivar-{n}")),
        attributes: props(&format!("attr{n}")),
    }
}

fn library(name: &str) -> pb::LibraryInfo {
    pb::LibraryInfo {
        name: name.to_owned(),
        version: format!("{name}-version"),
        platform: format!("{name}-platform"),
        properties: props(name),
    }
}

fn app(what: &str) -> pb::ApplicationInfo {
    pb::ApplicationInfo {
        name: s(&format!("{what}-name")),
        identifier: s(&format!("{what}-identifier")),
        version_string: s(&format!("{what}-version")),
    }
}

fn device() -> pb::DeviceInfo {
    pb::DeviceInfo {
        model: "iPhone14,3".to_owned(),
        platform: "iOS 17.0".to_owned(),
        user_agent: s("device-agent"),
        r#type: pb::device_info::DeviceType::Tablet as i32,
        carrier: s("carrier-name"),
        vendor_id: s("vendor-5E2B0C1A"),
        advertiser_id: s("advertiser-9F8E7D6C"),
        uach: Some(pb::UserAgentClientHintsInfo {
            platform_version: "uach-platform".to_owned(),
            browser_version: "uach-browser".to_owned(),
            model: s("uach-model"),
        }),
    }
}

fn utm(what: &str) -> pb::Utm {
    pb::Utm {
        source: format!("{what}-source"),
        medium: format!("{what}-medium"),
        term: format!("{what}-term"),
        content: format!("{what}-content"),
        campaign: format!("{what}-campaign"),
    }
}

fn pageview(id: &str) -> pb::PageviewInfo {
    pb::PageviewInfo {
        id: id.to_owned(),
        time: ts(1_764_400_000, 5_000),
        component_or_class_name: s(&format!("{id}-component")),
        title: s(&format!("{id}-title")),
        url: Some(pb::pageview_info::Url {
            domain: format!("{id}.example"),
            path: format!("/{id}/path"),
            query: format!("?{id}=query"),
            hash: format!("#{id}-hash"),
        }),
        source_properties: props(&format!("{id}_source")),
        previous_page: s(&format!("{id}-previous")),
        properties: props(&format!("{id}_props")),
    }
}

fn session_info(id: &str) -> pb::SessionInfo {
    pb::SessionInfo {
        id: id.to_owned(),
        time: ts(1_764_399_000, 0),
        referrer: s(&format!("https://referrer.example/{id}")),
        search_keyword: s(&format!("{id}-keyword")),
        utm: Some(utm(id)),
        initial_pageview_info: Some(pageview(&format!("{id}-landing"))),
    }
}

/// A message with every field set, of the given kind.
fn message(n: u32, kind: Option<pb::message::Kind>) -> pb::Message {
    let session_id = "3012345678901234".to_owned();
    let pageview_id = format!("pv{n}");
    let id = match kind {
        Some(pb::message::Kind::Session(())) => session_id.clone(),
        Some(pb::message::Kind::Pageview(())) => pageview_id.clone(),
        _ => format!("msg-{n}"),
    };
    pb::Message {
        id,
        env_id: "11".to_owned(),
        user_id: "4503599627370495".to_owned(),
        identity: "jane@example.com".to_owned(),
        time: ts(1_764_400_000 + i64::from(n), 123_000_000),
        base_library: Some(library("swift_core")),
        source_library: Some(library("autocapture")),
        application: Some(app("application")),
        device: Some(device()),
        session_info: Some(session_info(&session_id)),
        pageview_info: Some(pageview(&pageview_id)),
        properties: props(&format!("global{n}")),
        kind,
        session_replay_info: Some(pb::SessionReplayInfo {
            platform: pb::session_replay_info::SessionReplayPlatform::Logrocket as i32,
            time: ts(1_764_400_100, 7),
            url_metadata: props("replay"),
        }),
        session_replay: s("replay-a;replay-b"),
        active_contexts: vec![node(90), node(91)],
        cs_properties: Some(pb::CsProperties {
            cspid: "cs-project".to_owned(),
            cspvid: "cs-pageview".to_owned(),
            cssn: "cs-session".to_owned(),
            csts: "cs-time".to_owned(),
            csuu: "cs-user".to_owned(),
        }),
    }
}

fn event_kind(kind: pb::event::Kind) -> Option<pb::message::Kind> {
    Some(pb::message::Kind::Event(pb::Event {
        kind: Some(kind),
        app_visibility_state: Some(pb::event::AppVisibility::Foregrounded as i32),
    }))
}

/// A batch that uses every message kind, every event kind and every field of the schema, plus
/// the corner cases of presence: empty sub-messages, optional strings set to "", empty values.
pub fn full_batch() -> pb::MessageBatch {
    use pb::event::Kind as E;
    use pb::message::Kind as M;
    let mut events = vec![
        message(0, Some(M::Session(()))),
        message(1, Some(M::Pageview(()))),
        message(
            2,
            event_kind(E::Custom(pb::event::Custom {
                name: "Checkout".to_owned(),
                properties: props("custom"),
                source_properties: props("custom_source"),
            })),
        ),
        message(
            3,
            event_kind(E::Interaction(pb::Interaction {
                callback_name: s("didTapBuy:"),
                kind: Some(pb::interaction::Kind::Builtin(
                    pb::interaction::BuiltinKind::Touch as i32,
                )),
                hierarchy: s("@UIWindow;|@BuyButton;#buy;"),
                nodes: vec![node(1), node(2), node(3)],
                source_properties: props("interaction_source"),
            })),
        ),
        message(
            4,
            event_kind(E::Interaction(pb::Interaction {
                callback_name: None,
                kind: Some(pb::interaction::Kind::Custom("Swiped card".to_owned())),
                hierarchy: None,
                nodes: vec![node(4)],
                source_properties: BTreeMap::new(),
            })),
        ),
        message(
            5,
            event_kind(E::VersionChange(pb::VersionChange {
                previous_version: Some(app("previous")),
                current_version: Some(app("current")),
            })),
        ),
        message(
            6,
            event_kind(E::ComponentTransition(pb::ComponentTransition {
                invisible_to_visible: vec![node(60), node(61)],
                visible_to_invisible: vec![node(62)],
            })),
        ),
        message(
            7,
            event_kind(E::NotificationInteraction(pb::NotificationInteraction {
                source: pb::notification_interaction::NotificationSource::SourceGeofence as i32,
                title_text: s("notification-title"),
                body_text: s("notification-body"),
                action: s("notification-action"),
                category: s("notification-category"),
                component_or_class_name: s("notification-component"),
            })),
        ),
        message(
            8,
            Some(M::User(pb::User {
                id: "4503599627370495".to_owned(),
                identity: "jane@example.com".to_owned(),
                initial_referrer: s("user-referrer"),
                initial_search_keyword: s("user-keyword"),
                initial_utm: Some(utm("user")),
                initial_pageview_info: Some(pageview("user-landing")),
                properties: props("user"),
            })),
        ),
        message(9, None),
        message(
            10,
            Some(M::Event(pb::Event {
                kind: None,
                app_visibility_state: None,
            })),
        ),
    ];
    // Presence corner cases.
    let mut sparse = pb::Message {
        env_id: "11".to_owned(),
        user_id: "4503599627370495".to_owned(),
        time: ts(0, 0),
        device: Some(pb::DeviceInfo {
            uach: Some(pb::UserAgentClientHintsInfo::default()),
            r#type: 42, // a value this schema does not name
            ..pb::DeviceInfo::default()
        }),
        session_info: Some(pb::SessionInfo {
            utm: Some(pb::Utm::default()),
            initial_pageview_info: Some(pb::PageviewInfo {
                url: Some(pb::pageview_info::Url::default()),
                ..pb::PageviewInfo::default()
            }),
            referrer: s(""),
            ..pb::SessionInfo::default()
        }),
        base_library: Some(pb::LibraryInfo::default()),
        application: Some(pb::ApplicationInfo {
            name: s(""),
            ..pb::ApplicationInfo::default()
        }),
        cs_properties: Some(pb::CsProperties::default()),
        kind: event_kind(pb::event::Kind::Interaction(pb::Interaction {
            kind: Some(pb::interaction::Kind::Builtin(0)),
            nodes: vec![pb::ElementNode::default(), node(5)],
            ..pb::Interaction::default()
        })),
        ..pb::Message::default()
    };
    sparse.properties = props("sparse");
    events.push(sparse);
    // A user record whose ids are only in the record.
    events.push(pb::Message {
        id: "msg-12".to_owned(),
        env_id: "11".to_owned(),
        kind: Some(M::User(pb::User {
            id: "4503599627370495".to_owned(),
            identity: "jane@example.com".to_owned(),
            ..pb::User::default()
        })),
        ..pb::Message::default()
    });
    pb::MessageBatch { events }
}

pub fn full_identify() -> pb::UserIdentification {
    pb::UserIdentification {
        env_id: "11".to_owned(),
        user_id: "4503599627370495".to_owned(),
        identity: "jane@example.com".to_owned(),
        time: ts(1_764_400_000, 1),
        library: Some(library("swift_core")),
    }
}

pub fn full_user_properties() -> pb::UserProperties {
    pb::UserProperties {
        env_id: "11".to_owned(),
        user_id: "4503599627370495".to_owned(),
        properties: props("userprops"),
        initial_device: Some(device()),
        initial_application: Some(app("initial")),
        library: Some(library("swift_core")),
        initial_session_info: Some(session_info("3012345678901234")),
    }
}

fn raw(path: &str, query: Option<&str>, body: Vec<u8>) -> RawRequest {
    let mut headers = HeaderMap::new();
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    headers.insert("x-heap-env-id", HeaderValue::from_static("11"));
    RawRequest {
        method: Method::POST,
        path: path.to_owned(),
        query: query.map(str::to_owned),
        headers,
        body: body.into(),
        client_ip: None,
    }
}

/// decode → encode without any policy.
fn round_trip(path: &str, query: Option<&str>, body: Vec<u8>) -> protocol::Outgoing {
    let route = protocol::route(path).unwrap();
    let batch = protocol::decode(route, &raw(path, query, body), &DecodeLimits::default())
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_eq!(batch.unknown_fields, 0, "{path}");
    protocol::encode(&batch).unwrap()
}

#[test]
fn every_message_kind_and_field_round_trips_unchanged() {
    let batch = full_batch();
    let out = round_trip(TRACK, Some(QUERY), batch.encode_to_vec());
    assert_eq!(pb::MessageBatch::decode(&out.body[..]).unwrap(), batch);
    assert_eq!(out.path_and_query, format!("{TRACK}?{QUERY}"));
    assert_eq!(out.headers["x-heap-env-id"], "11");
    assert_eq!(out.content_type.unwrap(), "application/octet-stream");

    // Only the parameters that were sent, in the SDK's order; others are dropped and counted.
    let route = protocol::route(TRACK).unwrap();
    let decoded = protocol::decode(
        route,
        &raw(
            TRACK,
            Some("a=11&x=1&i=jane%40example.com&i=other"),
            batch.encode_to_vec(),
        ),
        &DecodeLimits::default(),
    )
    .unwrap();
    assert_eq!(decoded.unknown_fields, 2);
    let out = protocol::encode(&decoded).unwrap();
    assert_eq!(
        out.path_and_query,
        format!("{TRACK}?i=jane@example.com&a=11")
    );

    let identify = full_identify();
    let out = round_trip(IDENTIFY, Some(QUERY), identify.encode_to_vec());
    assert_eq!(
        pb::UserIdentification::decode(&out.body[..]).unwrap(),
        identify
    );
    assert_eq!(out.path_and_query, format!("{IDENTIFY}?{QUERY}"));

    let props = full_user_properties();
    let out = round_trip(USER_PROPERTIES, None, props.encode_to_vec());
    assert_eq!(pb::UserProperties::decode(&out.body[..]).unwrap(), props);
    assert_eq!(out.path_and_query, USER_PROPERTIES);
}

#[test]
fn every_field_maps_into_the_event_model() {
    let route = protocol::route(TRACK).unwrap();
    let batch = protocol::decode(
        route,
        &raw(TRACK, Some(QUERY), full_batch().encode_to_vec()),
        &DecodeLimits::default(),
    )
    .unwrap();
    let kinds: Vec<&str> = batch.events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "session",
            "pageview",
            "track",
            "interaction",
            "interaction",
            "track",
            "interaction",
            "interaction",
            "user_properties",
            "track",
            "track",
            "interaction",
            "user_properties"
        ]
    );
    let e = |i: usize| Value::Object(batch.events[i].fields.clone());
    let custom = e(2);
    assert_eq!(custom["event"], "Checkout");
    assert_eq!(custom["properties"]["custom_plan"], "custom-pro");
    assert_eq!(custom["properties"]["custom_empty"], "");
    assert_eq!(
        custom["source_properties"]["custom_source_plan"],
        "custom_source-pro"
    );
    assert_eq!(custom["global_properties"]["global2_note"], "global2-hello");
    assert_eq!(custom["identity"], "jane@example.com");
    assert_eq!(custom["user_id"], "4503599627370495");
    assert_eq!(custom["app_id"], "11");
    assert_eq!(custom["message_id"], "msg-2");
    assert_eq!(custom["session_id"], "3012345678901234");
    assert_eq!(custom["pageview_id"], "pv2");
    assert_eq!(custom["timestamp"], "2025-11-29T07:06:42.123Z");
    assert_eq!(custom["device"]["advertiser_id"], "advertiser-9F8E7D6C");
    assert_eq!(custom["device"]["vendor_id"], "vendor-5E2B0C1A");
    assert_eq!(custom["device"]["carrier"], "carrier-name");
    assert_eq!(custom["device"]["type"], "tablet");
    assert_eq!(custom["device"]["app_name"], "application-name");
    assert_eq!(custom["device"]["library_name"], "swift_core");
    assert_eq!(
        custom["device"]["source_library_version"],
        "autocapture-version"
    );
    assert_eq!(custom["device"]["app_visibility"], "foregrounded");
    assert_eq!(custom["device"]["uach_model"], "uach-model");
    assert_eq!(
        custom["session"]["referrer"],
        "https://referrer.example/3012345678901234"
    );
    assert_eq!(
        custom["session"]["utm"]["campaign"],
        "3012345678901234-campaign"
    );
    assert_eq!(
        custom["session"]["initial_page"]["path"],
        "/3012345678901234-landing/path"
    );
    assert_eq!(custom["session"]["replay_info"]["platform"], "logrocket");
    assert_eq!(custom["session"]["replay"], "replay-a;replay-b");
    assert_eq!(custom["session"]["cs_properties"]["csuu"], "cs-user");
    assert_eq!(custom["page"]["title"], "pv2-title");
    assert_eq!(custom["page"]["query"], "?pv2=query");
    assert_eq!(custom["page"]["active_contexts"][1]["text"], "text-91");
    // Session and pageview messages: the message id is the session / pageview id.
    assert!(e(0).get("message_id").is_none());
    assert!(e(1).get("message_id").is_none());

    let click = e(3);
    assert_eq!(click["event"], "touch");
    assert_eq!(click["target"]["text"], "text-1");
    assert_eq!(click["target"]["href"], "https://app.example/href-1");
    assert_eq!(click["target"]["id"], "elem-1");
    assert_eq!(click["target"]["classes"], "class-1 other-1");
    assert_eq!(click["target"]["tag"], "tag-1");
    assert_eq!(click["target"]["label"], "label-1");
    assert_eq!(click["target"]["property_name"], "ivar-1");
    assert_eq!(click["target"]["attributes"]["attr1_plan"], "attr1-pro");
    assert_eq!(click["target"]["selector"], "@UIWindow;|@BuyButton;#buy;");
    assert_eq!(click["target"]["callback_name"], "didTapBuy:");
    assert_eq!(click["target"]["parents"][1]["text"], "text-3");
    assert_eq!(e(4)["event"], "Swiped card");
    assert_eq!(e(5)["device"]["previous_app_version"], "previous-version");
    assert_eq!(
        e(5)["device"]["current_app_identifier"],
        "current-identifier"
    );
    assert_eq!(e(6)["target"]["invisible_to_visible"][1]["text"], "text-61");
    assert_eq!(
        e(6)["target"]["visible_to_invisible"][0]["label"],
        "label-62"
    );
    assert_eq!(e(7)["target"]["notification"]["body"], "notification-body");
    assert_eq!(e(7)["target"]["notification"]["source"], "geofence");
    let user = e(8);
    assert_eq!(user["user_properties"]["user_plan"], "user-pro");
    assert_eq!(user["user"]["initial_referrer"], "user-referrer");
    assert_eq!(user["user"]["initial_utm"]["source"], "user-source");
    assert_eq!(user["user"]["initial_page"]["id"], "user-landing");
    assert_eq!(e(11)["device"]["type"], "42");
    assert_eq!(e(11)["event"], "unspecified");
    assert_eq!(e(12)["identity"], "jane@example.com");
}

/// The proof that the envelope holds no values: a policy that removes every field leaves no
/// string of the input in the output.
#[test]
fn nothing_but_structure_survives_when_every_field_is_removed() {
    let dir = tempfile::tempdir().unwrap();
    let policies = crate::support::write_policies(
        dir.path(),
        &["policy: nothing\nrules:\n  - id: all\n    fields: [\"**\"]\n    action: remove\n"],
    );
    let (set, _) = privgate::policy::load_set(&policies, crate::support::test_key()).unwrap();
    for (path, body) in [
        (TRACK, full_batch().encode_to_vec()),
        (IDENTIFY, full_identify().encode_to_vec()),
        (USER_PROPERTIES, full_user_properties().encode_to_vec()),
    ] {
        let route = protocol::route(path).unwrap();
        let processed = privgate::pipeline::process(
            &set,
            route,
            &raw(path, Some(QUERY), body),
            &DecodeLimits::default(),
            &privgate::subjects::Registry::in_memory(),
            &privgate::vault::Vault::in_memory(),
        )
        .unwrap();
        let out = processed.outgoing.unwrap();
        let text = String::from_utf8_lossy(&out.body);
        for planted in [
            "example",
            "pro",
            "hello",
            "4503599627370495",
            "3012345678901234",
            "swift_core",
            "iPhone",
            "iOS",
            "carrier",
            "vendor",
            "advertiser",
            "uach",
            "text-",
            "label-",
            "tag-",
            "class-",
            "elem-",
            "ivar-",
            "href",
            "title",
            "keyword",
            "source",
            "campaign",
            "cs-",
            "replay",
            "notification",
            "previous",
            "current",
            "component",
            "msg-",
            "pv",
            "Checkout",
            "Swiped",
            "didTap",
            "@UI",
            "11",
        ] {
            assert!(
                !text.contains(planted),
                "{path}: `{planted}` was forwarded: {text:?}"
            );
        }
        assert_eq!(out.path_and_query, format!("{path}?b=&i=&u=&a="), "{path}");
        assert!(out.headers.get("x-heap-env-id").is_none(), "{path}");
    }
}

#[test]
fn the_json_form_round_trips_and_is_readable() {
    let batch = full_batch();
    let json = json_form::to_json(CaptureEndpoint::Track, &batch.encode_to_vec()).unwrap();
    assert_eq!(json["events"][0]["session"], json!({}));
    assert_eq!(
        json["events"][2]["event"]["custom"]["properties"]["custom_plan"],
        "custom-pro"
    );
    assert_eq!(
        json["events"][2]["event"]["custom"]["properties"]["custom_empty"],
        ""
    );
    assert_eq!(json["events"][2]["time"], "2025-11-29T07:06:42.123Z");
    assert_eq!(json["events"][2]["device"]["type"], "DEVICE_TYPE_TABLET");
    let bytes = json_form::from_json(CaptureEndpoint::Track, &json).unwrap();
    assert_eq!(pb::MessageBatch::decode(&bytes[..]).unwrap(), batch);

    let identify = full_identify();
    let json = json_form::to_json(CaptureEndpoint::Identify, &identify.encode_to_vec()).unwrap();
    let bytes = json_form::from_json(CaptureEndpoint::Identify, &json).unwrap();
    assert_eq!(
        pb::UserIdentification::decode(&bytes[..]).unwrap(),
        identify
    );
    let props = full_user_properties();
    let json =
        json_form::to_json(CaptureEndpoint::AddUserProperties, &props.encode_to_vec()).unwrap();
    let bytes = json_form::from_json(CaptureEndpoint::AddUserProperties, &json).unwrap();
    assert_eq!(pb::UserProperties::decode(&bytes[..]).unwrap(), props);
    let err = json_form::from_json(
        CaptureEndpoint::Identify,
        &json!({"env_id": "11", "identiy": "x"}),
    )
    .unwrap_err();
    assert!(err.contains("identiy"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Through the proxy.

/// A bad request: name, path, content type, body, status, error fragment, audit error code.
type BadCase = (
    &'static str,
    &'static str,
    Option<&'static str>,
    Vec<u8>,
    u16,
    &'static str,
    &'static str,
);

fn post_proto(
    url: &str,
    body: Vec<u8>,
) -> impl std::future::Future<Output = crate::support::Reply> {
    let url = url.to_owned();
    async move {
        send(
            "POST",
            &url,
            &[
                ("content-type", "application/octet-stream"),
                ("x-heap-env-id", "11"),
            ],
            body,
        )
        .await
    }
}

fn swift_message(n: u32, kind: Option<pb::message::Kind>) -> pb::Message {
    pb::Message {
        id: format!("{n}"),
        env_id: "11".to_owned(),
        user_id: "4503599627370495".to_owned(),
        identity: "jane@example.com".to_owned(),
        time: ts(1_764_400_000, 0),
        base_library: Some(pb::LibraryInfo {
            name: "swift_core".to_owned(),
            version: "0.7.2".to_owned(),
            platform: "iOS 17.0".to_owned(),
            properties: BTreeMap::new(),
        }),
        session_info: Some(pb::SessionInfo {
            id: "3012345678901234".to_owned(),
            time: ts(1_764_399_000, 0),
            ..pb::SessionInfo::default()
        }),
        kind,
        ..pb::Message::default()
    }
}

fn custom_event(n: u32, name: &str, properties: &[(&str, &str)]) -> pb::Message {
    swift_message(
        n,
        event_kind(pb::event::Kind::Custom(pb::event::Custom {
            name: name.to_owned(),
            properties: properties
                .iter()
                .map(|(k, v)| {
                    (
                        (*k).to_owned(),
                        pb::Value {
                            string: (*v).to_owned(),
                        },
                    )
                })
                .collect(),
            source_properties: BTreeMap::new(),
        })),
    )
}

fn decode_batch(body: &Bytes) -> pb::MessageBatch {
    pb::MessageBatch::decode(&body[..]).expect("the collector received a MessageBatch")
}

#[tokio::test]
async fn gdpr_filters_a_batch_and_rewrites_the_query_and_header() {
    let collector = Collector::start().await;
    let proxy = Proxy::start(&collector.url(), &["gdpr"]).await;
    let batch = pb::MessageBatch {
        events: vec![
            custom_event(1, "Note", &[("text", "mail jane@example.com please")]),
            swift_message(2, Some(pb::message::Kind::Pageview(()))),
        ],
    };
    let reply = post_proto(
        &proxy.url(&format!("{TRACK}?{QUERY}")),
        batch.encode_to_vec(),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let got = collector.received();
    assert_eq!(got.len(), 1);
    let req = &got[0];
    let hashed = crate::support::test_key().hash("jane@example.com");
    let (path, query) = req.path_and_query.split_once('?').unwrap();
    assert_eq!(path, TRACK);
    let params: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let expected: Vec<(String, String)> = [
        ("b", "swift_core"),
        ("i", hashed.as_str()),
        ("u", "4503599627370495"),
        ("a", "11"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    assert_eq!(params, expected, "{query}");
    assert_eq!(req.headers["x-heap-env-id"], "11");
    assert_eq!(req.headers["content-type"], "application/octet-stream");
    let forwarded = decode_batch(&req.body);
    assert_eq!(forwarded.events.len(), 2);
    assert_eq!(forwarded.events[0].identity, hashed);
    let Some(pb::message::Kind::Event(pb::Event {
        kind: Some(pb::event::Kind::Custom(custom)),
        ..
    })) = &forwarded.events[0].kind
    else {
        panic!("the custom event is still a custom event");
    };
    assert_eq!(
        custom.properties["text"].string,
        "mail **************** please"
    );
    assert!(!String::from_utf8_lossy(&req.body).contains("jane@example.com"));

    let audit = proxy.audit().await;
    assert_eq!(audit[0]["route"], TRACK);
    assert_eq!(audit[0]["app_id"], "11");
    assert_eq!(audit[0]["outcome"], "forwarded");
    assert_eq!(audit[0]["events_in"], 2);
    assert_eq!(audit[0]["events_out"], 2);
    let changes = audit[0]["changes"].as_array().unwrap();
    let paths: Vec<&str> = changes
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    // The identity of both events: one path, folded.
    assert!(paths.contains(&"events[*].identity"), "{paths:?}");
    let identity = changes.iter().find(|c| c["path"] == "events[*].identity");
    assert_eq!(identity.unwrap()["events"], 2);
    assert!(paths.contains(&"events[0].properties.text"), "{paths:?}");
    proxy.stop().await;
}

const DROP_AND_SCRUB: &str = r#"
policy: mobile
rules:
  - id: no-debug
    when: { event: { equals: Debug } }
    action: drop_event
  - id: no-user-ids
    fields: [user_id]
    action: remove
  - id: mask-identity
    fields: [identity]
    action: mask
  - id: ad-ids
    fields: [device.advertiser_id, device.vendor_id]
    action: remove
"#;

#[tokio::test]
async fn dropped_messages_leave_the_batch_and_all_dropped_answers_200_empty() {
    let collector = Collector::start().await;
    let proxy = Proxy::start(&collector.url(), &[DROP_AND_SCRUB]).await;
    let mut with_ids = custom_event(2, "Bought", &[]);
    with_ids.device = Some(device());
    let batch = pb::MessageBatch {
        events: vec![
            custom_event(1, "Debug", &[]),
            with_ids,
            custom_event(3, "Debug", &[]),
        ],
    };
    let reply = post_proto(
        &proxy.url(&format!("{TRACK}?{QUERY}")),
        batch.encode_to_vec(),
    )
    .await;
    assert_eq!(reply.status, 200);
    let got = collector.received();
    let req = &got[0];
    // identity masked everywhere, user id removed: the query follows the events.
    assert_eq!(
        req.path_and_query,
        format!("{TRACK}?b=swift_core&i=****************&u=&a=11")
    );
    let forwarded = decode_batch(&req.body);
    assert_eq!(forwarded.events.len(), 1);
    let kept = &forwarded.events[0];
    assert_eq!(kept.id, "2");
    assert_eq!(kept.user_id, "");
    assert_eq!(kept.identity, "****************");
    let d = kept.device.as_ref().unwrap();
    assert_eq!(d.advertiser_id, None);
    assert_eq!(d.vendor_id, None);
    assert_eq!(d.carrier.as_deref(), Some("carrier-name"));

    let all = pb::MessageBatch {
        events: vec![custom_event(1, "Debug", &[])],
    };
    let reply = post_proto(&proxy.url(TRACK), all.encode_to_vec()).await;
    assert_eq!(reply.status, 200);
    assert!(reply.body.is_empty());
    assert_eq!(reply.headers["content-type"], "application/octet-stream");
    assert_eq!(collector.received().len(), 1, "nothing forwarded");
    let audit = proxy.audit().await;
    assert_eq!(audit[0]["events_in"], 3);
    assert_eq!(audit[0]["events_out"], 1);
    assert_eq!(audit[0]["dropped"][1]["event_index"], 2);
    assert_eq!(audit[1]["outcome"], "dropped");
    assert_eq!(audit[1]["status"], 200);

    // A collector answering 204 (or 201): the SDK would retry for ever; it gets its 200.
    collector.set(Behaviour::Status(204));
    let kept = pb::MessageBatch {
        events: vec![custom_event(4, "Bought", &[])],
    };
    let reply = post_proto(&proxy.url(TRACK), kept.encode_to_vec()).await;
    assert_eq!(reply.status, 200);
    assert!(reply.body.is_empty());
    assert_eq!(collector.received().len(), 2, "forwarded");
    assert_eq!(proxy.audit().await[2]["upstream_status"], 204);
    proxy.stop().await;
}

#[tokio::test]
async fn identify_and_user_properties_are_filtered() {
    let collector = Collector::start().await;
    let proxy = Proxy::start(&collector.url(), &["gdpr", DROP_AND_SCRUB]).await;
    let reply = post_proto(
        &proxy.url(&format!("{IDENTIFY}?{QUERY}")),
        full_identify().encode_to_vec(),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let mut props = full_user_properties();
    props.properties.insert(
        "email".to_owned(),
        pb::Value {
            string: "jane@example.com".to_owned(),
        },
    );
    let reply = post_proto(
        &proxy.url(&format!("{USER_PROPERTIES}?{QUERY}")),
        props.encode_to_vec(),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let got = collector.received();
    let identify = pb::UserIdentification::decode(&got[0].body[..]).unwrap();
    assert!(
        identify.identity.starts_with("****"),
        "{:?}",
        identify.identity
    );
    assert_eq!(identify.user_id, "");
    assert_eq!(identify.library.as_ref().unwrap().name, "swift_core");
    let up = pb::UserProperties::decode(&got[1].body[..]).unwrap();
    assert_eq!(up.properties["email"].string, "****************");
    assert_eq!(up.initial_device.as_ref().unwrap().advertiser_id, None);
    assert_eq!(up.initial_device.as_ref().unwrap().model, "iPhone14,3");
    // The identity of add_user_properties is only in the query; it is still filtered there.
    assert!(
        got[1].path_and_query.contains("&i=****"),
        "{}",
        got[1].path_and_query
    );
    for req in &got {
        assert!(!String::from_utf8_lossy(&req.body).contains("jane@example.com"));
        assert!(!req.path_and_query.contains("jane"));
    }
    proxy.stop().await;
}

/// Appends a field the schema does not know to an encoded message (field 99, a string) and
/// one inside the first message of a batch (field 77 of `Message`).
fn with_unknown_fields(batch: &pb::MessageBatch) -> Vec<u8> {
    let mut first = batch.events[0].encode_to_vec();
    first.extend_from_slice(&[0xea, 0x04, 6]); // field 77, length 6
    first.extend_from_slice(b"secret");
    let mut body = vec![0x0a];
    prost::encoding::encode_varint(first.len() as u64, &mut body);
    body.extend_from_slice(&first);
    for e in &batch.events[1..] {
        let bytes = e.encode_to_vec();
        body.push(0x0a);
        prost::encoding::encode_varint(bytes.len() as u64, &mut body);
        body.extend_from_slice(&bytes);
    }
    body.extend_from_slice(&[0x9a, 0x06, 7]); // field 99, length 7
    body.extend_from_slice(b"hidden!");
    body
}

#[tokio::test]
async fn unknown_fields_are_counted_and_never_forwarded() {
    let collector = Collector::start().await;
    let proxy = Proxy::start(&collector.url(), &["gdpr"]).await;
    let batch = pb::MessageBatch {
        events: vec![custom_event(1, "A", &[]), custom_event(2, "B", &[])],
    };
    let reply = post_proto(
        &proxy.url(&format!("{TRACK}?{QUERY}&debug=1")),
        with_unknown_fields(&batch),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let got = collector.received();
    let text = String::from_utf8_lossy(&got[0].body);
    assert!(
        !text.contains("secret") && !text.contains("hidden!"),
        "{text:?}"
    );
    assert!(!got[0].path_and_query.contains("debug"));
    assert_eq!(decode_batch(&got[0].body).events.len(), 2);
    // Two in the body, one query parameter.
    assert_eq!(proxy.audit().await[0]["unknown_fields"], 3);
    proxy.stop().await;
}

#[tokio::test]
async fn gzip_and_deflate_protobuf_bodies_are_accepted() {
    let collector = Collector::start().await;
    let proxy = Proxy::start(&collector.url(), &["gdpr"]).await;
    let body = pb::MessageBatch {
        events: vec![custom_event(1, "Zipped", &[])],
    }
    .encode_to_vec();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&body).unwrap();
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    zlib.write_all(&body).unwrap();
    for (encoding, compressed) in [
        ("gzip", gz.finish().unwrap()),
        ("deflate", zlib.finish().unwrap()),
    ] {
        let reply = send(
            "POST",
            &proxy.url(TRACK),
            &[
                ("content-type", "application/x-protobuf"),
                ("content-encoding", encoding),
            ],
            compressed,
        )
        .await;
        assert_eq!(reply.status, 200, "{encoding}: {}", reply.text());
    }
    let got = collector.received();
    assert_eq!(got.len(), 2);
    for req in &got {
        assert!(req.headers.get("content-encoding").is_none());
        assert_eq!(decode_batch(&req.body).events[0].id, "1");
    }
    proxy.stop().await;
}

#[tokio::test]
async fn bad_capture_bodies_are_refused_with_400_and_never_forwarded() {
    let collector = Collector::start().await;
    let proxy = Proxy::start(&collector.url(), &["gdpr"]).await;
    let good = pb::MessageBatch {
        events: vec![custom_event(1, "A", &[("k", "v")])],
    }
    .encode_to_vec();
    let truncated = good[..good.len() - 3].to_vec();
    // Field 1 of MessageBatch (`events`, a message) sent as a varint.
    let wrong_wire_type = vec![0x08, 0x01];
    // A string (`Message.id`) that is not UTF-8.
    let bad_utf8 = {
        let msg = vec![0x0a, 0x02, 0xff, 0xfe];
        let mut body = vec![0x0a, msg.len() as u8];
        body.extend_from_slice(&msg);
        body
    };
    let bad_time = pb::MessageBatch {
        events: vec![pb::Message {
            time: ts(0, -5),
            ..custom_event(1, "A", &[])
        }],
    }
    .encode_to_vec();
    let conflicting_ids = pb::MessageBatch {
        events: vec![pb::Message {
            identity: "a@example.com".to_owned(),
            kind: Some(pb::message::Kind::User(pb::User {
                identity: "b@example.com".to_owned(),
                ..pb::User::default()
            })),
            ..pb::Message::default()
        }],
    }
    .encode_to_vec();
    let json = br#"{"events": [{"event": {"custom": {"name": "A"}}}]}"#.to_vec();
    // (case, path, content type, body, status, error message fragment, audit error code)
    let cases: Vec<BadCase> = vec![
        (
            "truncated",
            TRACK,
            Some("application/octet-stream"),
            truncated,
            400,
            "malformed protobuf",
            "malformed_protobuf",
        ),
        (
            "wrong wire type",
            TRACK,
            Some("application/octet-stream"),
            wrong_wire_type,
            400,
            "invalid wire type",
            "malformed_protobuf",
        ),
        (
            "invalid UTF-8",
            TRACK,
            Some("application/octet-stream"),
            bad_utf8,
            400,
            "UTF-8",
            "malformed_protobuf",
        ),
        (
            "timestamp out of range",
            TRACK,
            Some("application/octet-stream"),
            bad_time,
            400,
            "events[0].time: timestamp out of range",
            "malformed_protobuf",
        ),
        (
            "two identities in one message",
            TRACK,
            Some("application/octet-stream"),
            conflicting_ids,
            400,
            "events[0]: the user record's identity differs",
            "wrong_shape",
        ),
        (
            "a JSON body",
            TRACK,
            Some("application/octet-stream"),
            json.clone(),
            400,
            "the body is JSON",
            "malformed_protobuf",
        ),
        (
            "a JSON body without a content type",
            IDENTIFY,
            None,
            json.clone(),
            400,
            "the body is JSON",
            "malformed_protobuf",
        ),
        (
            "a JSON body labelled JSON",
            TRACK,
            Some("application/json"),
            json,
            415,
            "application/octet-stream (protobuf)",
            "unsupported_media_type",
        ),
        (
            "an empty body",
            TRACK,
            Some("application/octet-stream"),
            Vec::new(),
            400,
            "events: must not be empty",
            "wrong_shape",
        ),
        (
            "an empty batch",
            TRACK,
            Some("application/octet-stream"),
            vec![0x9a, 0x06, 0],
            400,
            "events: must not be empty",
            "wrong_shape",
        ),
    ];
    for (name, path, ct, body, status, message, code) in &cases {
        let mut headers = vec![];
        if let Some(ct) = ct {
            headers.push(("content-type", *ct));
        }
        let reply = send("POST", &proxy.url(path), &headers, body.clone()).await;
        assert_eq!(reply.status, *status, "{name}: {}", reply.text());
        let error = reply.json()["error"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(error.contains(message), "{name}: {error}");
        assert!(
            !error.contains("example.com"),
            "{name}: the error quotes the input: {error}"
        );
        let audit = proxy.audit().await;
        let rec = audit.last().unwrap();
        assert_eq!(rec["outcome"], "rejected", "{name}");
        assert_eq!(rec["error"], *code, "{name}");
        assert_eq!(rec["route"], *path, "{name}");
    }
    assert!(collector.received().is_empty(), "nothing may be forwarded");
    // Without a content type, a good body is taken (browsers' sendBeacon may not set one).
    let reply = send("POST", &proxy.url(TRACK), &[], good).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(collector.received().len(), 1);
    proxy.stop().await;
}

/// Found by fuzzing (capture_v2_decode): a user-properties message holding only an unknown
/// field decodes to an event with no fields and is forwarded as the empty message — which
/// privgate must accept in turn, as it does any empty identify or user-properties message.
#[test]
fn a_message_with_nothing_known_is_forwarded_empty_and_accepted_again() {
    let body = vec![0xc8, 0xcf, 0xcc, 0x08, 0x73]; // field 2328521, varint
    let route = protocol::route(USER_PROPERTIES).unwrap();
    let batch = protocol::decode(
        route,
        &raw(USER_PROPERTIES, None, body),
        &DecodeLimits::default(),
    )
    .unwrap();
    assert_eq!(batch.unknown_fields, 1);
    let out = protocol::encode(&batch).unwrap();
    assert!(out.body.is_empty());
    for path in [USER_PROPERTIES, IDENTIFY] {
        let route = protocol::route(path).unwrap();
        let again = protocol::decode(
            route,
            &raw(path, None, Vec::new()),
            &DecodeLimits::default(),
        )
        .unwrap();
        assert_eq!(again.events.len(), 1);
        // Only what the request's `X-Heap-Env-Id` says.
        assert_eq!(
            Value::Object(again.events[0].fields.clone()),
            json!({"app_id": "11"})
        );
    }
}

#[tokio::test]
async fn batches_over_the_sdk_caps_pass_up_to_the_configured_limits() {
    let collector = Collector::start().await;
    let proxy = Proxy::start_with(&collector.url(), &["gdpr"], |c| {
        c.limits.max_body_bytes = 3 * 1024 * 1024;
    })
    .await;
    // 300 messages (the Swift SDK sends at most 200), about 1.5 MB (it caps at about 1 MB).
    let filler = "x".repeat(5_000);
    let big = pb::MessageBatch {
        events: (0..300)
            .map(|i| custom_event(i, "Big", &[("blob", filler.as_str())]))
            .collect(),
    }
    .encode_to_vec();
    assert!(big.len() > 1_400_000, "{}", big.len());
    let reply = post_proto(&proxy.url(TRACK), big.clone()).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        decode_batch(&collector.received()[0].body).events.len(),
        300
    );
    // More messages than `limits.max_events` (1000): 400, the SDK must not retry it.
    let many = pb::MessageBatch {
        events: (0..1001).map(|i| custom_event(i, "Many", &[])).collect(),
    }
    .encode_to_vec();
    let reply = post_proto(&proxy.url(TRACK), many).await;
    assert_eq!(reply.status, 400, "{}", reply.text());
    proxy.stop().await;

    // Over `limits.max_body_bytes` (default 1 MiB): 413.
    let proxy = Proxy::start(&collector.url(), &["gdpr"]).await;
    let reply = post_proto(&proxy.url(TRACK), big).await;
    assert_eq!(reply.status, 413, "{}", reply.text());
    assert_eq!(proxy.audit().await[0]["error"], "body_too_large");
    assert_eq!(collector.received().len(), 1);
    proxy.stop().await;
}

#[tokio::test]
async fn the_capture_collector_records_the_json_form() {
    let proxy = Proxy::start("capture", &["gdpr"]).await;
    let reply = post_proto(
        &proxy.url(&format!("{TRACK}?{QUERY}")),
        pb::MessageBatch {
            events: vec![custom_event(1, "Seen", &[("plan", "pro")])],
        }
        .encode_to_vec(),
    )
    .await;
    assert_eq!(reply.status, 200);
    assert!(reply.body.is_empty());
    let lines = read_jsonl(&proxy.dir.path().join("capture.jsonl"));
    let body = &lines[0]["body"];
    assert_eq!(body["events"][0]["event"]["custom"]["name"], "Seen");
    assert_eq!(
        body["events"][0]["event"]["custom"]["properties"]["plan"],
        "pro"
    );
    assert!(
        body["events"][0]["identity"]
            .as_str()
            .unwrap()
            .starts_with("h:")
    );
    assert_eq!(lines[0]["headers"]["x-heap-env-id"], "11");
    proxy.stop().await;
}

// ---------------------------------------------------------------------------------------------
// The PII canary, for capture routes.

const MARK: &str = "cnry";

#[tokio::test]
async fn planted_values_in_capture_requests_never_reach_the_audit_or_process_log() {
    let collector = Collector::start().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("mobile.yaml"), DROP_AND_SCRUB).unwrap();
    let proxy = ProxyProcess::start(
        dir.path(),
        &[
            "--upstream",
            &collector.url(),
            "--policy",
            "gdpr",
            "--policy",
            "mobile.yaml",
        ],
        &[("RUST_LOG", "debug")],
    );
    // Every string of every message, and the query, carries the marker.
    let mut batch = full_batch();
    for (i, m) in batch.events.iter_mut().enumerate() {
        m.identity = format!("{MARK}-identity-{i}@example.com");
        m.user_id = format!("{MARK}-user-{i}");
        if let Some(pb::message::Kind::User(u)) = &mut m.kind {
            u.identity = m.identity.clone();
            u.id = m.user_id.clone();
        }
    }
    let marked = |endpoint: CaptureEndpoint, bytes: Vec<u8>| -> Vec<u8> {
        // Rewrite every string in the JSON form to carry the marker, then encode again.
        let mut json = json_form::to_json(endpoint, &bytes).unwrap();
        fn walk(v: &mut Value) {
            match v {
                Value::String(s) => {
                    let is_time = time::OffsetDateTime::parse(
                        s,
                        &time::format_description::well_known::Rfc3339,
                    )
                    .is_ok();
                    let is_enum = s
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
                    if !is_time && !is_enum {
                        *s = format!("{MARK}-{s}");
                    }
                }
                Value::Array(items) => items.iter_mut().for_each(walk),
                Value::Object(m) => {
                    for (k, v) in m.iter_mut() {
                        // The environment id is recorded in the audit log by design.
                        if k != "env_id" {
                            walk(v);
                        }
                    }
                }
                _ => {}
            }
        }
        walk(&mut json);
        json_form::from_json(endpoint, &json).unwrap()
    };
    let query =
        format!("b={MARK}-lib&i={MARK}-query-identity&u={MARK}-query-user&a=11&x={MARK}-extra");
    let cases = [
        (TRACK, marked(CaptureEndpoint::Track, batch.encode_to_vec())),
        (
            IDENTIFY,
            marked(CaptureEndpoint::Identify, full_identify().encode_to_vec()),
        ),
        (
            USER_PROPERTIES,
            marked(
                CaptureEndpoint::AddUserProperties,
                full_user_properties().encode_to_vec(),
            ),
        ),
    ];
    let agent = format!("{MARK}-agent");
    for (path, body) in &cases {
        let reply = send(
            "POST",
            &proxy.url(&format!("{path}?{query}")),
            &[
                ("content-type", "application/octet-stream"),
                ("x-heap-env-id", "11"),
                ("user-agent", agent.as_str()),
            ],
            body.clone(),
        )
        .await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text());
    }
    // Broken bodies carrying the marker.
    let (_, good) = &cases[0];
    for broken in [
        good[..good.len() / 2].to_vec(),
        format!("{{\"identity\":\"{MARK}-json\"}}").into_bytes(),
    ] {
        let reply = send(
            "POST",
            &proxy.url(&format!("{TRACK}?{query}")),
            &[("content-type", "application/octet-stream")],
            broken,
        )
        .await;
        assert_eq!(reply.status, 400);
        assert!(!reply.text().contains(MARK), "{}", reply.text());
    }
    assert_eq!(collector.received().len(), 3);
    let (code, log) = proxy.terminate();
    assert_eq!(code, 0, "{log}");
    let audit = std::fs::read_to_string(dir.path().join("privgate-data/audit.jsonl")).unwrap();
    // Two records (decision, outcome) for each of the three forwarded requests, one for each
    // of the two refused.
    let records = crate::support::audit_records(&dir.path().join("privgate-data/audit.jsonl"));
    assert_eq!(records.len(), 8);
    for (what, text) in [("audit log", &audit), ("process log", &log)] {
        assert!(
            !text.contains(MARK),
            "{what} holds a planted value:\n{text}"
        );
        assert!(
            !text.contains("example.com"),
            "{what} holds an identity:\n{text}"
        );
    }
    assert!(log.contains("DEBUG"), "the log ran at debug level");
}

// ---------------------------------------------------------------------------------------------
// Fuzzing seeds.

/// The seed corpora of the fuzz targets (`fuzz/seeds/<target>/`), from this file's batches, the
/// example bodies and the shipped and test policies. `PRIVGATE_WRITE_FUZZ_SEEDS=1 cargo test
/// --test integration fuzz_seeds` writes them; every run checks that the capture seeds decode.
#[test]
fn fuzz_seeds_decode() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    if std::env::var_os("PRIVGATE_WRITE_FUZZ_SEEDS").is_some() {
        let write = |target: &str, name: &str, selector: Option<u8>, body: &[u8]| {
            let dir = root.join(target);
            std::fs::create_dir_all(&dir).unwrap();
            let mut bytes = selector.map(|s| vec![s]).unwrap_or_default();
            bytes.extend_from_slice(body);
            std::fs::write(dir.join(name), bytes).unwrap();
        };
        // capture_v2_decode: (selector & 3) % 3 = route, 0x04 = query string, 0x08 = env header.
        let t = "capture_v2_decode";
        write(t, "full-batch", Some(0x0c), &full_batch().encode_to_vec());
        write(
            t,
            "full-identify",
            Some(0x0d),
            &full_identify().encode_to_vec(),
        );
        write(
            t,
            "full-user-properties",
            Some(0x0e),
            &full_user_properties().encode_to_vec(),
        );
        let small = pb::MessageBatch {
            events: vec![
                swift_message(1, Some(pb::message::Kind::Session(()))),
                custom_event(2, "Note", &[("text", "mail jane@example.com")]),
            ],
        };
        write(t, "swift-batch", Some(0x00), &small.encode_to_vec());
        write(
            t,
            "unknown-fields",
            Some(0x04),
            &with_unknown_fields(&small),
        );
        // json_api_decode: selector % 6 = route.
        let t = "json_api_decode";
        for (selector, file) in [
            (0, "track.json"),
            (0, "track-bulk.json"),
            (1, "add_user_properties.json"),
            (1, "add_user_properties-bulk.json"),
            (2, "add_account_properties.json"),
            (2, "add_account_properties-bulk.json"),
            (3, "identify.json"),
            (4, "integrations-track.json"),
        ] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("examples")
                .join(file);
            write(t, file, Some(selector), &std::fs::read(path).unwrap());
        }
        write(
            t,
            "user_deletion.json",
            Some(5),
            br#"{"users": [{"user_id": "42"}, {"identity": "a@b.co"}]}"#,
        );
        // heap_js_decode: selector % 3 = route, & 4 = a POST form body (else a query string).
        let t = "heap_js_decode";
        let pageview = "a=1234567890&u=4482731952067185&v=3398210561337402&s=7715209384412056&b=web&tv=4.0&z=2&h=%2Fpricing&d=www.example.com&t=Pricing%20%E2%80%93%20Example&r=https%3A%2F%2Fwww.google.com%2F&ts=1732869300123&pr=%2F&st=1732869300456&k=plan&k=pro";
        let events = "a=1234567890&u=4482731952067185&v=3398210561337402&s=7715209384412056&b=web&tv=4.0&z=0&st=1732869305001&sp=r&sp=https%3A%2F%2Fwww.google.com%2F&sp=ts&sp=1732869300000&pp=d&pp=www.example.com&pp=h&pp=%2Fcheckout&id0=1111&t0=click&n0=button&c0=.btn.btn-primary&i0=buy-now&y0=%40button%3B%23buy-now%3B.btn%3B%7C&ts0=1732869305000&x0=Buy%20now&id1=2222&t1=change&n1=input&i1=email&y1=%40input%3B%23email%3B%7C&ts1=1732869306000";
        let identify = "a=1&u=2&v=3&s=4&i=customer-8841&b=web&tv=4.0&z=0&st=5";
        let props =
            "a=1&u=2&v=3&s=4&i=jane%40example.com&b=web&tv=4.0&_plan=pro&_Company%20Name=Acme+Corp";
        write(t, "pageview", Some(0), pageview.as_bytes());
        write(t, "events", Some(0), events.as_bytes());
        write(t, "events-form", Some(4), events.as_bytes());
        write(t, "identify", Some(1), identify.as_bytes());
        write(t, "user-properties", Some(2), props.as_bytes());
        write(t, "user-properties-form", Some(6), props.as_bytes());
        // policy_compile: policy texts.
        let t = "policy_compile";
        let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
        for file in ["gdpr.yaml", "hipaa.yaml", "coppa.yaml", "ccpa.yaml"] {
            let name = file.replace('/', "-");
            write(t, &name, None, &std::fs::read(base.join(file)).unwrap());
        }
        write(t, "mobile.yaml", None, DROP_AND_SCRUB.as_bytes());
    }
    let Ok(entries) = std::fs::read_dir(root.join("capture_v2_decode")) else {
        return;
    };
    for entry in entries {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let (selector, body) = bytes.split_first().unwrap();
        let path = [TRACK, IDENTIFY, USER_PROPERTIES][usize::from(selector & 0x03) % 3];
        let route = protocol::route(path).unwrap();
        protocol::decode(
            route,
            &raw(path, None, body.to_vec()),
            &DecodeLimits::default(),
        )
        .unwrap_or_else(|e| panic!("seed for {path}: {e}"));
    }
}
