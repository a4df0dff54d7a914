//! The shipped policies over realistic requests with personal data planted in every field of
//! every route: none of it may reach the collector (gdpr, hipaa, coppa for a child), and benign
//! values must survive gdpr. Also: a scope given in the config file replaces a policy's own.

use serde_json::{Value, json};

use crate::support::{Collector, Proxy, post_json, send};

/// Values planted in the requests; each must be absent from everything the collector receives.
struct Planted {
    email: &'static str,
    phone: &'static str,
    card: &'static str,
    iban: &'static str,
    ssn: &'static str,
    ip_text: &'static str,
    client_ip: &'static str,
    first_name: &'static str,
    password: &'static str,
    url_secret: &'static str,
    birth: &'static str,
}

const P: Planted = Planted {
    email: "zelda.quist@example.org",
    phone: "+44 20 7946 0958",
    card: "4539 1488 0343 6467",
    iban: "GB82WEST12345698765432",
    ssn: "219-09-9999",
    ip_text: "203.0.113.77",
    client_ip: "198.51.100.231",
    first_name: "Zelda",
    password: "hunter2-pw",
    url_secret: "resetkey-9f8e7d",
    birth: "1984-03-02",
};

/// Benign values that gdpr must leave alone.
const BENIGN: &[&str] = &[
    "ORD-2024-000123",
    "4.17.21",
    "2026-11-29T10:15:00Z",
    "$1,234.56",
    "1847839267195673",
    "#FF5733",
    "978-3-16-148410-0",
    "checkout-v2",
];

fn props() -> Value {
    json!({
        "note": format!("reach me at {} or {}", P.email, P.phone),
        "payment": format!("card {} / iban {}", P.card, P.iban),
        "tax": format!("ssn {}", P.ssn),
        "seen_from": format!("client {}", P.ip_text),
        "first_name": P.first_name,
        "password": P.password,
        "landing_url": format!("https://shop.example/reset?key={}&email={}&utm_source=mail", P.url_secret, P.email),
        "birthdate": P.birth,
        "order_id": BENIGN[0],
        "app_version": BENIGN[1],
        "created_at": BENIGN[2],
        "price": BENIGN[3],
        "heap_user": BENIGN[4],
        "color": BENIGN[5],
        "isbn": BENIGN[6],
        "experiment": BENIGN[7],
        "nested": {"contact": {"mail": P.email}, "list": [P.phone, "fine"]},
    })
}

/// One request per route (single and bulk), with personal data in every field that can hold it.
fn requests(identity: &str) -> Vec<(&'static str, Value)> {
    vec![
        (
            "/api/track",
            json!({"app_id": "11", "identity": identity, "event": format!("Invoice mailed to {}", P.email),
            "properties": props(), "timestamp": "2026-11-29T10:15:00Z", "session_id": "5849260383614712"}),
        ),
        (
            "/api/track",
            json!({"app_id": "11", "events": [
            {"identity": identity, "event": "Viewed", "properties": props()},
            {"identity": identity, "event": "Clicked", "properties": {"label": format!("mail {}", P.email)}}]}),
        ),
        (
            "/api/add_user_properties",
            json!({"app_id": "11", "identity": identity, "properties": props()}),
        ),
        (
            "/api/add_user_properties",
            json!({"app_id": "11", "users": [{"identity": identity, "properties": props()}]}),
        ),
        (
            "/api/add_account_properties",
            json!({"app_id": "11", "account_id": "acme", "properties": {"billing": P.email, "phone": P.phone}}),
        ),
        (
            "/api/add_account_properties",
            json!({"app_id": "11", "accounts": [{"account_id": "acme", "properties": {"billing": P.email}}]}),
        ),
        (
            "/api/v1/identify",
            json!({"app_id": "11", "user_id": "77", "identity": identity}),
        ),
        (
            "/api/integrations/track",
            json!({"app_id": "11", "library": "segment", "events": [
            {"event": "Paid", "properties": props(), "user_identifier": {"identity": identity}}]}),
        ),
    ]
}

/// Everything the collector received, as text (paths, headers, bodies).
fn received_text(collector: &Collector) -> String {
    let mut text = String::new();
    for r in collector.received() {
        text.push_str(&r.path_and_query);
        for (k, v) in &r.headers {
            text.push_str(&format!("\n{k}: {}", v.to_str().unwrap_or("")));
        }
        text.push('\n');
        text.push_str(&String::from_utf8_lossy(&r.body));
        text.push('\n');
    }
    text
}

async fn run_corpus(policy: &str, headers: &[(&str, &str)], identity: &str) -> (Collector, usize) {
    let collector = Collector::start().await;
    let proxy = Proxy::start_with(&collector.url(), &[policy], |c| {
        c.trusted_proxies = vec![privgate::config::parse_trusted("127.0.0.1").unwrap()];
    })
    .await;
    let mut all = vec![
        ("content-type", "application/json"),
        ("x-forwarded-for", P.client_ip),
        ("user-agent", "Mozilla/5.0 (X11) zq-agent"),
    ];
    all.extend_from_slice(headers);
    let reqs = requests(identity);
    for (path, body) in &reqs {
        let reply = send("POST", &proxy.url(path), &all, body.to_string()).await;
        assert_eq!(reply.status, 200, "{policy} {path}: {}", reply.text());
    }
    proxy.stop().await;
    (collector, reqs.len())
}

fn assert_absent(policy: &str, text: &str, planted: &[&str]) {
    for value in planted {
        assert!(
            !text.contains(value),
            "{policy}: `{value}` reached the collector:\n{text}"
        );
    }
}

#[tokio::test]
async fn gdpr_forwards_no_planted_personal_data_and_keeps_benign_values() {
    let (collector, sent) = run_corpus("gdpr", &[], P.email).await;
    assert_eq!(
        collector.received().len(),
        sent,
        "gdpr drops none of these events"
    );
    let text = received_text(&collector);
    assert_absent(
        "gdpr",
        &text,
        &[
            P.email,
            "zelda.quist",
            P.phone,
            "7946 0958",
            P.card,
            P.iban,
            P.ssn,
            P.ip_text,
            P.client_ip,
            P.first_name,
            P.password,
            P.url_secret,
            "03-02",
        ],
    );
    for value in BENIGN {
        assert!(
            text.contains(value),
            "gdpr removed the benign value `{value}`:\n{text}"
        );
    }
    assert!(
        text.contains("utm_source=mail"),
        "campaign parameters survive"
    );
    assert!(
        text.contains("198.51.100.0"),
        "the client network survives as /24"
    );
}

#[tokio::test]
async fn hipaa_forwards_no_planted_identifier() {
    let (collector, _) = run_corpus("hipaa", &[], P.email).await;
    let text = received_text(&collector);
    assert_absent(
        "hipaa",
        &text,
        &[
            P.email,
            "zelda.quist",
            P.phone,
            "7946 0958",
            P.card,
            P.iban,
            P.ssn,
            P.ip_text,
            "198.51.100",
            P.first_name,
            P.password,
            P.url_secret,
            "1984-03-02",
            "zq-agent",
            "\"77\"",
        ],
    );
    assert!(
        text.contains("\"birthdate\":\"1984\""),
        "dates keep their year"
    );
}

#[tokio::test]
async fn coppa_forwards_nothing_personal_of_a_child() {
    let (collector, _) = run_corpus("coppa", &[("x-user-is-child", "1")], "kid-zelda").await;
    let text = received_text(&collector);
    assert_absent(
        "coppa",
        &text,
        &[
            P.email,
            "zelda",
            "Zelda",
            P.phone,
            P.card,
            P.iban,
            P.ssn,
            P.ip_text,
            "198.51.100",
            P.password,
            P.url_secret,
            "1984",
            "zq-agent",
            "acme",
        ],
    );
    // Only product-analytics counts survive: event names and timestamps of track events,
    // under an identity that lives for one request (Heap needs one to count the event).
    let bodies: Vec<Value> = collector.received().iter().map(|r| r.json()).collect();
    assert!(
        bodies.iter().all(|b| b
            .get("identity")
            .is_none_or(|id| id.as_str().is_some_and(|id| id.starts_with("child-")))),
        "{bodies:?}"
    );
    assert!(text.contains("\"event\":\"Viewed\""));
}

#[tokio::test]
async fn ccpa_honours_opt_outs_and_removes_sensitive_numbers() {
    let (collector, sent) = run_corpus("ccpa", &[], P.email).await;
    assert_eq!(collector.received().len(), sent);
    let text = received_text(&collector);
    assert_absent("ccpa", &text, &[P.card, P.iban, P.ssn, P.password]);
    let (collector, _) = run_corpus("ccpa", &[("sec-gpc", "1")], P.email).await;
    let passthrough: Vec<_> = collector.received();
    assert!(passthrough.is_empty(), "with GPC nothing is forwarded");
}

#[tokio::test]
async fn a_scope_in_the_config_file_applies_a_shipped_policy_to_chosen_apps_only() {
    let collector = Collector::start().await;
    let dir = tempfile::tempdir().unwrap();
    let config_path = dir.path().join("privgate.yaml");
    std::fs::write(
        &config_path,
        format!(
            "upstream: {}\npolicies:\n  - gdpr\n  - policy: hipaa\n    scope: {{ apps: [\"3200*\"], when: {{ not: {{ event: Heartbeat }} }} }}\n",
            collector.url()
        ),
    )
    .unwrap();
    let mut config = privgate::config::Config::load(&config_path).unwrap();
    config.listen = "127.0.0.1:0".parse().unwrap();
    config.admin_listen = "127.0.0.1:0".parse().unwrap();
    config.data_dir = dir.path().to_owned();
    config.audit_path = dir.path().join("audit.jsonl");
    let (set, _) = privgate::policy::load_set_scoped(
        &config.policies,
        &config.policy_scopes,
        crate::support::test_key(),
    )
    .unwrap();
    let server = privgate::server::Server::start(config, set).await.unwrap();
    let url = format!("http://{}/api/track", server.addr);
    let body = |app: &str| {
        json!({"app_id": app, "identity": "jane@example.com", "event": "Viewed", "properties": {"first_name": "Jane", "age": 93}}).to_string()
    };
    for app in ["32001", "11"] {
        let reply = send(
            "POST",
            &url,
            &[("content-type", "application/json")],
            body(app),
        )
        .await;
        assert_eq!(reply.status, 200);
    }
    let got: Vec<Value> = collector.received().iter().map(|r| r.json()).collect();
    assert!(
        got[0]["identity"].as_str().unwrap().starts_with("tok_"),
        "hipaa tokenizes in its scope: {}",
        got[0]
    );
    assert_eq!(
        got[0]["properties"]["age"], "90+",
        "hipaa's c-age applies in its scope"
    );
    assert!(
        got[1]["identity"].as_str().unwrap().starts_with("h:"),
        "outside it only gdpr applies: {}",
        got[1]
    );
    assert_eq!(got[1]["properties"]["age"], 93, "outside it, ages are kept");

    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "policies:\n  - policy: hipaa\n    scope: { kinds: [trak] }\n",
    )
    .unwrap();
    let err = privgate::config::Config::load(&bad)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(":3:22: error: unknown event kind `trak`"),
        "{err}"
    );
    server.shutdown().await;
}

#[test]
fn every_shipped_rule_is_documented_with_its_legal_reference() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/README.md"))
            .unwrap();
    for (name, text) in privgate::policy::SHIPPED {
        let root = privgate::yaml::parse(text).unwrap();
        let mut diags = privgate::yaml::Diags::default();
        let spec = privgate::policy::spec::read_policy(&root, &mut diags).unwrap();
        assert!(
            readme.contains(&format!("## {name} ")),
            "policies/README.md has no section for {name}"
        );
        for rule in &spec.rules {
            let why = rule.why.as_deref().unwrap_or_default();
            assert!(
                !why.is_empty(),
                "{name}/{}: every shipped rule says why",
                rule.id.value
            );
            assert!(
                readme.contains(&format!("| `{}` |", rule.id.value)),
                "{name}/{} is not in policies/README.md",
                rule.id.value
            );
            assert!(
                readme.contains(why),
                "{name}/{}: the README's legal reference is out of date",
                rule.id.value
            );
        }
        let tests: String =
            std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/tests"))
                .unwrap()
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
                .map(|p| std::fs::read_to_string(p).unwrap())
                .collect();
        for rule in &spec.rules {
            assert!(
                tests.contains(&rule.id.value),
                "{name}/{} has no test case in policies/tests/",
                rule.id.value
            );
        }
    }
}

/// Each worker remembers the values its detectors found clean. A value seen clean under one key
/// must still be found where its key or parent key makes it personal data (a bare nine-digit
/// number is an SSN only next to an SSN key or word), however often it was seen clean before
/// and after.
#[tokio::test]
async fn a_value_seen_clean_is_still_found_where_its_key_makes_it_personal_data() {
    const POLICY: &str = r#"
policy: ssn-in-text
rules:
  - id: ssn
    fields: ['properties.**']
    detect: [us_ssn]
    action: mask
"#;
    let collector = Collector::start().await;
    let proxy = Proxy::start(&collector.url(), &[POLICY]).await;
    let value = "219099999";
    // (properties, whether the value is personal data there)
    let cases = [
        (json!({"ticket": value}), false),
        (json!({"ssn": value}), true),
        (json!({"ticket": value}), false),
        (json!({"patient_ssn": {"value": value}}), true),
        (json!({"other": {"value": value}}), false),
        (json!({"ssn": value}), true),
    ];
    let mut expected = Vec::new();
    for _round in 0..3 {
        for (props, personal) in &cases {
            let body = json!({"app_id": "11", "identity": "a", "event": "E", "properties": props});
            let reply = send(
                "POST",
                &proxy.url("/api/track"),
                &[("content-type", "application/json")],
                body.to_string(),
            )
            .await;
            assert_eq!(reply.status, 200, "{}", reply.text());
            expected.push((props.clone(), *personal));
        }
    }
    proxy.stop().await;
    let received = collector.received();
    assert_eq!(received.len(), expected.len());
    for (got, (sent, personal)) in received.iter().zip(&expected) {
        let props = got.json()["properties"].to_string();
        assert_eq!(
            props.contains(value),
            !personal,
            "sent {sent}, forwarded {props}"
        );
        if *personal {
            assert!(props.contains("*********"), "masked in place: {props}");
        } else {
            assert_eq!(props, sent.to_string(), "forwarded unchanged");
        }
    }
}

#[tokio::test]
async fn gdpr_masks_particle_names_cyrillic_and_greek_names_and_other_scripts_street_lines() {
    let collector = Collector::start().await;
    let proxy = Proxy::start(&collector.url(), &["gdpr"]).await;
    // Keys no rule names; each value holds a name or street line and a part that must stay.
    let planted = [
        (
            "memo",
            "Graag bezorgen bij Pieter de Vries",
            "Vries",
            "Graag bezorgen",
        ),
        (
            "nota",
            "Llamar a María de los Santos mañana",
            "Santos",
            "mañana",
        ),
        ("jp", "住所: 東京都渋谷区神南1-2-3", "神南1-2-3", "住所"),
        (
            "cn",
            "收货地址：北京市朝阳区建国路88号",
            "建国路88号",
            "收货地址",
        ),
        (
            "kr",
            "주소: 서울특별시 강남구 테헤란로 152",
            "테헤란로 152",
            "주소",
        ),
        (
            "ru",
            "Доставка: ул. Тверская, д. 7, кв. 12",
            "Тверская",
            "Доставка",
        ),
        ("el", "Παράδοση: Οδός Ερμού 15", "Ερμού 15", "Παράδοση"),
        ("ru_note", "Звонил Сергей Смирнов вчера", "Смирнов", "вчера"),
        (
            "ru_to",
            "Передать Ольге Соколовой ключи",
            "Соколовой",
            "ключи",
        ),
        (
            "el_note",
            "Ο πελάτης Νίκος Παπαδόπουλος",
            "Παπαδόπουλος",
            "πελάτης",
        ),
    ];
    let props: serde_json::Map<String, Value> = planted
        .iter()
        .map(|(k, v, _, _)| (k.to_string(), json!(v)))
        .collect();
    let body = json!({"app_id": "11", "identity": "a", "event": "E", "properties": props});
    let reply = post_json(&proxy.url("/api/track"), &body).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    proxy.stop().await;
    let received = collector.received();
    let got = received[0].json()["properties"].clone();
    for (key, _, secret, kept) in planted {
        let v = got[key].as_str().unwrap_or_default();
        assert!(!v.contains(secret), "`{key}` forwarded `{secret}`: {v}");
        assert!(v.contains(kept), "`{key}` lost `{kept}`: {v}");
    }
}

#[tokio::test]
async fn gdpr_masks_names_in_han_kana_hangul_arabic_hebrew_and_devanagari() {
    // Keys no rule names; each value holds a name with the sign that marks it in its language
    // (honorific, title, label, introduction) and a part that must stay.
    let planted = [
        ("cn", "请联系王伟先生确认订单", "王伟", "确认订单"),
        ("cn_label", "收货人：张丽 电话", "张丽", "电话"),
        ("cn_intro", "我叫李明，来自上海", "李明", "来自上海"),
        ("jp", "田中様、ご注文ありがとうございます", "田中", "ご注文"),
        ("jp_label", "氏名：山田 太郎", "太郎", "氏名"),
        ("kr", "김민준님 안녕하세요", "김민준", "안녕하세요"),
        (
            "kr_title",
            "이서연 고객님, 주문이 접수되었습니다",
            "이서연",
            "고객님",
        ),
        ("ar", "السيد محمد الأحمد في المكتب", "الأحمد", "المكتب"),
        ("fa", "آقای رضا احمدی از تهران", "احمدی", "تهران"),
        ("he", "מר דוד כהן הגיע", "כהן", "הגיע"),
        ("hi", "श्रीमती सुनीता देवी का ऑर्डर", "सुनीता", "ऑर्डर"),
    ];
    let mut props: serde_json::Map<String, Value> = planted
        .iter()
        .map(|(k, v, _, _)| (k.to_string(), json!(v)))
        .collect();
    // A bare name under a key for a person, and text with no name that must arrive as sent.
    props.insert("customer".into(), json!("赵丽颖"));
    props.insert("recipient".into(), json!("أحمد العلي"));
    let untouched = [
        ("cn_plain", "客户服务中心电话"),
        ("jp_plain", "お客様の声をお聞かせください"),
        ("kr_plain", "회원님의 소중한 의견"),
        ("ar_plain", "شكرا لتسوقكم معنا"),
        ("name", "هاتف ذكي"),
    ];
    for (k, v) in untouched {
        props.insert(k.into(), json!(v));
    }
    let (got, audit) = through_gdpr(props).await;
    for (key, _, secret, kept) in planted {
        let v = got[key].as_str().unwrap_or_default();
        assert!(!v.contains(secret), "`{key}` forwarded `{secret}`: {v}");
        assert!(v.contains(kept), "`{key}` lost `{kept}`: {v}");
    }
    for (key, secret) in [("customer", "赵丽颖"), ("recipient", "العلي")] {
        let v = got[key].as_str().unwrap_or_default();
        assert!(!v.contains(secret), "`{key}` forwarded `{secret}`: {v}");
    }
    for (key, v) in untouched {
        assert_eq!(got[key], v, "`{key}` has no name and arrives as sent");
    }
    // The audit log says a person_name was masked, without the names.
    let log = serde_json::to_string(&audit).unwrap();
    assert!(log.contains("person_name"), "{log}");
    for (_, _, secret, _) in planted {
        assert!(!log.contains(secret), "the audit log holds `{secret}`");
    }
}

#[tokio::test]
async fn gdpr_masks_national_ids_birth_dates_and_phones_after_their_words_in_asian_scripts() {
    let planted = [
        ("cn", "身份证号码：110101199003074477", "110101199003074477"),
        (
            "cn_x",
            "证件 11010519491231002X 已核验",
            "11010519491231002X",
        ),
        ("kr", "주민등록번호 900101-1234567 확인", "900101-1234567"),
        ("jp", "マイナンバー：1234 5678 9018", "5678 9018"),
        ("cn_birth", "出生日期：1985年3月12日", "1985年3月12日"),
        ("jp_birth", "1985年3月12日生まれ", "1985年3月12日"),
        ("kr_birth", "생년월일: 1985년 3월 12일", "3월 12일"),
        ("ar_birth", "تاريخ الميلاد: 12/03/1985", "12/03/1985"),
        ("he_birth", "תאריך לידה 12.03.1985", "12.03.1985"),
        ("cn_phone", "手机：13800138000", "13800138000"),
        ("jp_phone", "携帯：090-1234-5678", "1234-5678"),
        ("kr_phone", "연락처 010-1234-5678", "1234-5678"),
        ("ar_phone", "هاتف: 0501234567", "0501234567"),
    ];
    let mut props: serde_json::Map<String, Value> = planted
        .iter()
        .map(|(k, v, _)| (k.to_string(), json!(v)))
        .collect();
    // The same digits without the word that names them are an order or a product code.
    let untouched = [
        ("order", "订单号 110101199003074477"),
        ("upc", "UPC 123456789018"),
        ("order_date", "订单日期：2024年3月12日"),
        ("stock", "库存 13800138000 件"),
    ];
    for (k, v) in untouched {
        props.insert(k.into(), json!(v));
    }
    let (got, audit) = through_gdpr(props).await;
    for (key, _, secret) in planted {
        let v = got[key].as_str().unwrap_or_default();
        assert!(!v.contains(secret), "`{key}` forwarded `{secret}`: {v}");
    }
    for (key, v) in untouched {
        assert_eq!(got[key], v, "`{key}` arrives as sent");
    }
    let log = serde_json::to_string(&audit).unwrap();
    for name in ["cn_ric", "kr_rrn", "jp_my_number", "date_of_birth", "phone"] {
        assert!(log.contains(name), "the audit log names {name}: {log}");
    }
    for (_, _, secret) in planted {
        assert!(!log.contains(secret), "the audit log holds `{secret}`");
    }
}

/// Sends one track event with `props` through a gdpr proxy: the properties the collector
/// received, and the audit records.
#[tokio::test]
async fn gdpr_scrubs_json_written_inside_a_property_and_keeps_its_shape() {
    // A webhook body kept as a string: its keys are keys to every rule (key globs, key
    // classes), its values are scanned with their own key as context.
    let payload = serde_json::to_string(&json!({
        "contact": {"email": "ana.canary@example.com", "national_id": "PLANTED-ID-4417"},
        "user_password": "Sekret#Canary77",
        "note": "{\"phone\": \"+44 20 7946 0958\"}",
        "sku": "A-123",
    }))
    .unwrap();
    let untouched = "{\"sku\": \"A-123\",  \"qty\": 2}";
    let mut props = serde_json::Map::new();
    props.insert("payload".into(), json!(payload));
    props.insert("cart".into(), json!(untouched));
    props.insert(
        "list".into(),
        json!(["[\"ana.canary@example.com\"]", "plain"]),
    );
    let (got, audit) = through_gdpr(props).await;
    let text = got.to_string();
    for secret in [
        "ana.canary@example.com",
        "PLANTED-ID-4417",
        "Sekret#Canary77",
        "7946 0958",
    ] {
        assert!(!text.contains(secret), "forwarded `{secret}`: {text}");
    }
    // Still a string holding JSON, with what had nothing personal kept.
    let inner: Value = serde_json::from_str(got["payload"].as_str().expect("a string")).unwrap();
    assert_eq!(inner["sku"], "A-123");
    assert!(inner["contact"]["email"].is_string(), "{inner}");
    assert!(
        inner["note"].is_string(),
        "JSON in JSON stays a string: {inner}"
    );
    // Untouched JSON arrives byte for byte.
    assert_eq!(got["cart"], untouched);
    assert_eq!(got["list"][1], "plain");
    // The audit record names the inner path, never the values.
    let log = serde_json::to_string(&audit).unwrap();
    assert!(log.contains("properties.payload.contact.email"), "{log}");
    assert!(
        !log.contains("ana.canary") && !log.contains("Canary77"),
        "{log}"
    );
}

async fn through_gdpr(props: serde_json::Map<String, Value>) -> (Value, Vec<Value>) {
    let collector = Collector::start().await;
    let proxy = Proxy::start(&collector.url(), &["gdpr"]).await;
    let body = json!({"app_id": "11", "identity": "a", "event": "E", "properties": props});
    let reply = post_json(&proxy.url("/api/track"), &body).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let audit = proxy.audit().await;
    proxy.stop().await;
    let got = collector.received()[0].json()["properties"].clone();
    (got, audit)
}
