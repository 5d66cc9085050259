//! The client compiled to wasm, against a running gumroad-mock: shared by `tests/wasm.rs`
//! (Node) and `tests/wasm_browser.rs` (headless Chromium), so both runtimes run the same cases.
//! `GUMROAD_MOCK_URL` (e.g. `http://127.0.0.1:4010`) is fixed at compile time.

use gumroad_wasm::js::{is_gumroad_error, GumroadClient};
use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

const P3: &str = "U2tldGNoUHJvLURlc2t0b3A=";
const ACTIVE: &str = "DEC0DE00-00000000-00000000-00000001";
const REFUNDED: &str = "DEC0DE00-00000000-00000000-00000002";
const DISABLED: &str = "DEC0DE00-00000000-00000000-00000006";

fn mock() -> &'static str {
    option_env!("GUMROAD_MOCK_URL").unwrap_or("http://127.0.0.1:4010")
}

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.into()
}

fn get(v: &JsValue, path: &str) -> JsValue {
    path.split('.')
        .fold(v.clone(), |acc, k| Reflect::get(&acc, &k.into()).unwrap())
}

fn client(token: Option<&str>) -> GumroadClient {
    let mut opts = vec![("baseUrl", JsValue::from_str(&format!("{}/v2", mock())))];
    if let Some(t) = token {
        opts.push(("accessToken", t.into()));
    }
    GumroadClient::new(obj(&opts)).unwrap()
}

fn maton(key: &str, connection: Option<&str>) -> GumroadClient {
    let mut opts = vec![
        ("apiKey", JsValue::from_str(key)),
        ("baseUrl", format!("{}/gumroad/v2", mock()).into()),
    ];
    if let Some(c) = connection {
        opts.push(("connectionId", c.into()));
    }
    GumroadClient::maton(obj(&opts)).unwrap()
}

async fn run(p: Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(p).await
}

fn verify_params(key: &str, count: bool) -> JsValue {
    obj(&[
        ("product_id", P3.into()),
        ("license_key", key.into()),
        ("increment_uses_count", count.into()),
    ])
}

#[wasm_bindgen_test]
async fn user_retrieve_returns_the_account() {
    let user = run(client(Some("demo-token-full"))
        .user()
        .retrieve(JsValue::UNDEFINED))
    .await
    .unwrap();
    assert_eq!(get(&user, "name").as_string().unwrap(), "John Smith");
    assert_eq!(get(&user, "email").as_string().unwrap(), "john@example.com");
}

#[wasm_bindgen_test]
async fn bad_token_is_an_authentication_error_without_the_token() {
    let err = run(client(Some("wrong-token-1234"))
        .user()
        .retrieve(JsValue::UNDEFINED))
    .await
    .unwrap_err();
    assert!(is_gumroad_error(&err));
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(get(&err, "code").as_string().unwrap(), "authentication");
    assert_eq!(get(&err, "status").as_f64(), Some(401.0));
    assert_eq!(
        get(&err, "name").as_string().unwrap(),
        "AuthenticationError"
    );
    let text = js_sys::JSON::stringify(&err).unwrap().as_string().unwrap();
    let message = get(&err, "message").as_string().unwrap();
    assert!(!text.contains("wrong-token-1234") && !message.contains("wrong-token-1234"));
}

#[wasm_bindgen_test]
async fn verify_without_counting_leaves_uses_alone() {
    let c = client(None);
    let first = run(c
        .licenses()
        .verify(verify_params(ACTIVE, false), JsValue::UNDEFINED))
    .await
    .unwrap();
    let second = run(c
        .licenses()
        .verify(verify_params(ACTIVE, false), JsValue::UNDEFINED))
    .await
    .unwrap();
    assert_eq!(get(&first, "uses"), get(&second, "uses"));
    assert_eq!(
        get(&first, "purchase.license_key").as_string().unwrap(),
        ACTIVE
    );
}

#[wasm_bindgen_test]
async fn counting_verify_increments_uses_by_one() {
    let c = client(None);
    let before = run(c
        .licenses()
        .verify(verify_params(REFUNDED, false), JsValue::UNDEFINED))
    .await
    .unwrap();
    let after = run(c
        .licenses()
        .verify(verify_params(REFUNDED, true), JsValue::UNDEFINED))
    .await
    .unwrap();
    let (b, a) = (
        get(&before, "uses").as_f64().unwrap(),
        get(&after, "uses").as_f64().unwrap(),
    );
    assert_eq!(a, b + 1.0);
    // Refunded purchases still verify: the policy, not the API, rejects them.
    assert_eq!(get(&after, "purchase.refunded").as_bool(), Some(true));
}

#[wasm_bindgen_test]
async fn disabled_key_is_a_not_found_error_with_gumroads_message() {
    let err = run(client(None)
        .licenses()
        .verify(verify_params(DISABLED, false), JsValue::UNDEFINED))
    .await
    .unwrap_err();
    assert_eq!(get(&err, "code").as_string().unwrap(), "not_found");
    assert_eq!(get(&err, "status").as_f64(), Some(404.0));
    assert_eq!(
        get(&err, "message").as_string().unwrap(),
        "This license key has been disabled."
    );
}

#[wasm_bindgen_test]
async fn check_turns_answers_into_verdicts() {
    let c = client(None);
    for (key, valid, reason) in [
        (ACTIVE, true, "ok"),
        (REFUNDED, false, "refunded"),
        (DISABLED, false, "disabled"),
        ("NOT-A-KEY", false, "not_found"),
    ] {
        let v = run(c.licenses().check(
            obj(&[("product_id", P3.into()), ("license_key", key.into())]),
            JsValue::UNDEFINED,
        ))
        .await
        .unwrap();
        assert_eq!(get(&v, "valid").as_bool(), Some(valid), "{key}");
        assert_eq!(get(&v, "reason").as_string().unwrap(), reason, "{key}");
    }
}

#[wasm_bindgen_test]
async fn maton_client_selects_the_connection() {
    let default = run(maton("demo-maton-key", None)
        .user()
        .retrieve(JsValue::UNDEFINED))
    .await
    .unwrap();
    assert_eq!(get(&default, "name").as_string().unwrap(), "John Smith");
    let second = run(maton(
        "demo-maton-key",
        Some("6b1c4f0e-8d2a-4e57-9a3b-c0ffee000b0b"),
    )
    .user()
    .retrieve(JsValue::UNDEFINED))
    .await
    .unwrap();
    assert_eq!(get(&second, "name").as_string().unwrap(), "Ada Byron");
    let err = run(maton("not-a-maton-key", None)
        .user()
        .retrieve(JsValue::UNDEFINED))
    .await
    .unwrap_err();
    assert_eq!(get(&err, "code").as_string().unwrap(), "authentication");
    assert!(!get(&err, "message")
        .as_string()
        .unwrap()
        .contains("not-a-maton-key"));
}

#[wasm_bindgen_test]
async fn invalid_arguments_reject_before_any_request() {
    let err = run(client(None)
        .licenses()
        .verify(obj(&[("licenseKey", "x".into())]), JsValue::UNDEFINED))
    .await
    .unwrap_err();
    assert_eq!(get(&err, "code").as_string().unwrap(), "invalid_argument");
    let err = GumroadClient::new(obj(&[("baseUrl", "http://api.gumroad.com/v2".into())]))
        .err()
        .unwrap();
    assert_eq!(get(&err, "code").as_string().unwrap(), "invalid_argument");
}

#[wasm_bindgen_test]
async fn unreachable_host_is_a_connection_error() {
    let c = GumroadClient::new(obj(&[
        ("baseUrl", "http://127.0.0.1:9/v2".into()),
        ("maxRetries", 0.into()),
    ]))
    .unwrap();
    let err = run(c.user().retrieve(JsValue::UNDEFINED))
        .await
        .unwrap_err();
    assert_eq!(get(&err, "code").as_string().unwrap(), "connection");
}

#[wasm_bindgen_test]
async fn an_aborted_signal_rejects_with_aborted() {
    let ctl = web_sys::AbortController::new().unwrap();
    ctl.abort();
    let err = run(client(Some("demo-token-full"))
        .user()
        .retrieve(obj(&[("signal", ctl.signal().into())])))
    .await
    .unwrap_err();
    assert_eq!(get(&err, "code").as_string().unwrap(), "aborted");
}
