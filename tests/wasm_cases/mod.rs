//! The client compiled to wasm, against a running gumroad-mock: shared by `tests/wasm.rs`
//! (Node) and `tests/wasm_browser.rs` (headless Chromium), so both runtimes run the same cases.
//! `GUMROAD_MOCK_URL` (e.g. `http://127.0.0.1:4010`) is fixed at compile time.
//!
//! The resource methods are JS (js/api.js, generated from the endpoint table, loaded by the
//! package's entries, not by the wasm), so the cases call the wasm's entry points the way those
//! methods do: `_call` with the route's index in the table, its ids, params and options. Every call to the mock's control API (faults,
//! the request log, license uses) goes through gloo-net, an HTTP client independent of the
//! transport under test, so the transport is never its own oracle.

use gumroad_wasm::core::endpoints::table::ROUTES;
use gumroad_wasm::js::{is_gumroad_error, GumroadClient, GumroadOAuth};
use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
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

fn client(token: Option<&str>) -> JsValue {
    let mut opts = vec![("baseUrl", JsValue::from_str(&format!("{}/v2", mock())))];
    if let Some(t) = token {
        opts.push(("accessToken", t.into()));
    }
    GumroadClient::new(obj(&opts)).unwrap().into()
}

fn maton(key: &str, connection: Option<&str>) -> JsValue {
    let mut opts = vec![
        ("apiKey", JsValue::from_str(key)),
        ("baseUrl", format!("{}/gumroad/v2", mock()).into()),
    ];
    if let Some(c) = connection {
        opts.push(("connectionId", c.into()));
    }
    GumroadClient::maton(obj(&opts)).unwrap().into()
}

/// `client.<namespace>.<method>(...args)` as the generated facade passes it on: `_call` with
/// the route's index in the table, three id slots, the params and the options (`_check` for
/// `licenses.check`).
fn call(client: &JsValue, path: &str, args: &[JsValue]) -> Promise {
    let (entry, full): (&str, Vec<JsValue>) = if path == "licenses.check" {
        ("_check", args.to_vec())
    } else {
        let (index, r) = ROUTES
            .iter()
            .enumerate()
            .find(|(_, r)| r.name == path)
            .unwrap();
        let n = r.ids().count();
        let mut full = vec![JsValue::from(index as u32)];
        let mut ids = args[..n].to_vec();
        ids.resize(3, JsValue::UNDEFINED);
        full.extend(ids);
        if !r.takes_params() {
            full.push(JsValue::UNDEFINED);
        }
        full.extend(args[n..].iter().cloned());
        ("_call", full)
    };
    let f: Function = get(client, entry).dyn_into().unwrap();
    let args: Array = full.iter().collect();
    f.apply(client, &args).unwrap().dyn_into().unwrap()
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

/// The mock's own count of a license's uses.
async fn uses_on_the_mock(key: &str) -> f64 {
    let body = control("GET", "/licenses", None).await;
    let list = Array::from(&get(&body, "licenses"));
    list.iter()
        .find(|l| get(l, "key").as_string().as_deref() == Some(key))
        .map(|l| get(&l, "uses").as_f64().unwrap())
        .unwrap()
}

/// A call to gumroad-mock's control API, with gloo-net: JSON in, JSON out.
async fn control(method: &str, path: &str, body: Option<&str>) -> JsValue {
    let url = format!("{}/__mock{path}", mock());
    let builder = match method {
        "POST" => gloo_net::http::Request::post(&url),
        "DELETE" => gloo_net::http::Request::delete(&url),
        _ => gloo_net::http::Request::get(&url),
    };
    let res = match body {
        Some(b) => builder
            .header("content-type", "application/json")
            .body(b)
            .unwrap()
            .send()
            .await
            .unwrap(),
        None => builder.send().await.unwrap(),
    };
    assert!(res.ok(), "{method} {path}: {}", res.status());
    js_sys::JSON::parse(&res.text().await.unwrap()).unwrap()
}

#[wasm_bindgen_test]
async fn a_503_is_retried_and_the_mock_saw_each_attempt() {
    // The log position before the call: the Node and Chromium runs share one mock.
    let since = get(
        &control("GET", "/requests?since=999999999", None).await,
        "last_seq",
    )
    .as_f64()
    .unwrap();
    control(
        "POST",
        "/faults",
        Some(r#"{"kind":"503","path":"/categories","method":"GET","times":2}"#),
    )
    .await;
    let page = run(call(
        &client(Some("demo-token-full")),
        "categories.list",
        &[],
    ))
    .await
    .unwrap();
    assert!(Array::is_array(&page), "the categories");
    let log = control("GET", &format!("/requests?since={since}"), None).await;
    let statuses: Vec<f64> = Array::from(&get(&log, "requests"))
        .iter()
        .filter(|e| get(e, "path").as_string().as_deref() == Some("/v2/categories"))
        .map(|e| get(&e, "status").as_f64().unwrap())
        .collect();
    assert_eq!(statuses, vec![503.0, 503.0, 200.0]);
}

#[wasm_bindgen_test]
async fn user_retrieve_returns_the_account() {
    let user = run(call(&client(Some("demo-token-full")), "user.retrieve", &[]))
        .await
        .unwrap();
    assert_eq!(get(&user, "name").as_string().unwrap(), "John Smith");
    assert_eq!(get(&user, "email").as_string().unwrap(), "john@example.com");
}

#[wasm_bindgen_test]
async fn the_wasm_installs_no_namespaces_of_its_own() {
    // The namespaces come from js/api.js, which the package's entries load: the wasm alone
    // defines only its entry points (nothing is installed from it at run time).
    let c = client(Some("demo-token-full"));
    for name in ["products", "licenses", "files", "maton"] {
        assert!(get(&c, name).is_undefined(), "{name}");
    }
    for entry in ["_call", "_page", "_upload", "_check", "request"] {
        assert!(get(&c, entry).is_function(), "{entry}");
    }
    assert_eq!(get(&c, "_isMaton").as_bool(), Some(false));
    assert_eq!(
        get(&maton("demo-maton-key", None), "_isMaton").as_bool(),
        Some(true)
    );
}

#[wasm_bindgen_test]
async fn a_2026_route_and_request_reach_the_mock() {
    let c = client(Some("demo-token-full"));
    let page = run(call(&c, "payouts.list", &[])).await.unwrap();
    assert!(Array::is_array(&get(&page, "payouts")));
    let request: Function = get(&c, "request").dyn_into().unwrap();
    let raw: Promise = request
        .call3(
            &c,
            &"GET".into(),
            &"/products/{id}".into(),
            &obj(&[("id", "pencil".into())]),
        )
        .unwrap()
        .dyn_into()
        .unwrap();
    let body = run(raw).await.unwrap();
    assert_eq!(
        get(&body, "product.id").as_string().unwrap(),
        "A-m3CDDC5dlrSdKZp0RFhA=="
    );
}

#[wasm_bindgen_test]
async fn bad_token_is_an_authentication_error_without_the_token() {
    let err = run(call(
        &client(Some("wrong-token-1234")),
        "user.retrieve",
        &[],
    ))
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
    let before = uses_on_the_mock(ACTIVE).await;
    let first = run(call(&c, "licenses.verify", &[verify_params(ACTIVE, false)]))
        .await
        .unwrap();
    run(call(&c, "licenses.verify", &[verify_params(ACTIVE, false)]))
        .await
        .unwrap();
    assert_eq!(uses_on_the_mock(ACTIVE).await, before);
    assert_eq!(get(&first, "uses").as_f64(), Some(before));
    assert_eq!(
        get(&first, "purchase.license_key").as_string().unwrap(),
        ACTIVE
    );
}

#[wasm_bindgen_test]
async fn counting_verify_increments_uses_by_one() {
    let c = client(None);
    let before = uses_on_the_mock(REFUNDED).await;
    let after = run(call(
        &c,
        "licenses.verify",
        &[verify_params(REFUNDED, true)],
    ))
    .await
    .unwrap();
    assert_eq!(get(&after, "uses").as_f64(), Some(before + 1.0));
    assert_eq!(uses_on_the_mock(REFUNDED).await, before + 1.0);
    // Refunded purchases still verify: the policy, not the API, rejects them.
    assert_eq!(get(&after, "purchase.refunded").as_bool(), Some(true));
}

#[wasm_bindgen_test]
async fn disabled_key_is_a_not_found_error_with_gumroads_message() {
    let err = run(call(
        &client(None),
        "licenses.verify",
        &[verify_params(DISABLED, false)],
    ))
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
        let v = run(call(
            &c,
            "licenses.check",
            &[obj(&[
                ("product_id", P3.into()),
                ("license_key", key.into()),
            ])],
        ))
        .await
        .unwrap();
        assert_eq!(get(&v, "valid").as_bool(), Some(valid), "{key}");
        assert_eq!(get(&v, "reason").as_string().unwrap(), reason, "{key}");
    }
}

#[wasm_bindgen_test]
async fn maton_client_selects_the_connection() {
    let default = run(call(&maton("demo-maton-key", None), "user.retrieve", &[]))
        .await
        .unwrap();
    assert_eq!(get(&default, "name").as_string().unwrap(), "John Smith");
    let second = run(call(
        &maton(
            "demo-maton-key",
            Some("6b1c4f0e-8d2a-4e57-9a3b-c0ffee000b0b"),
        ),
        "user.retrieve",
        &[],
    ))
    .await
    .unwrap();
    assert_eq!(get(&second, "name").as_string().unwrap(), "Ada Byron");
    let err = run(call(&maton("not-a-maton-key", None), "user.retrieve", &[]))
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
    let err = run(call(
        &client(None),
        "licenses.verify",
        &[obj(&[("licenseKey", "x".into())])],
    ))
    .await
    .unwrap_err();
    assert_eq!(get(&err, "code").as_string().unwrap(), "invalid_argument");
    for base in [
        "http://api.gumroad.com/v2",
        "http://127.evil.example/v2",
        "http://127.0.0.1@evil.example/v2",
        "http://evil.example\\@127.0.0.1/v2",
    ] {
        let err = GumroadClient::new(obj(&[("baseUrl", base.into())]))
            .err()
            .unwrap();
        assert_eq!(
            get(&err, "code").as_string().unwrap(),
            "invalid_argument",
            "{base}"
        );
    }
    // The platform parser normalises numeric IPv4 forms: still loopback, still allowed.
    assert!(GumroadClient::new(obj(&[("baseUrl", "http://0x7f.1/v2".into())])).is_ok());
}

#[wasm_bindgen_test]
async fn unreachable_host_is_a_connection_error() {
    let c: JsValue = GumroadClient::new(obj(&[
        ("baseUrl", "http://127.0.0.1:9/v2".into()),
        ("maxRetries", 0.into()),
    ]))
    .unwrap()
    .into();
    let err = run(call(&c, "user.retrieve", &[])).await.unwrap_err();
    assert_eq!(get(&err, "code").as_string().unwrap(), "connection");
}

#[wasm_bindgen_test]
async fn an_aborted_signal_rejects_with_aborted() {
    let ctl = web_sys::AbortController::new().unwrap();
    ctl.abort();
    let err = run(call(
        &client(Some("demo-token-full")),
        "user.retrieve",
        &[obj(&[("signal", ctl.signal().into())])],
    ))
    .await
    .unwrap_err();
    assert_eq!(get(&err, "code").as_string().unwrap(), "aborted");
}

#[wasm_bindgen_test]
async fn oauth_authorization_url_has_a_pkce_challenge_of_its_verifier() {
    let oauth = GumroadOAuth::new(obj(&[
        ("clientId", "demo-web-client-id".into()),
        ("redirectUri", "http://127.0.0.1:9/callback".into()),
        ("oauthBaseUrl", mock().into()),
    ]))
    .unwrap();
    let scopes: Array = [JsValue::from_str("view_sales")].iter().collect();
    let req = oauth
        .authorization_url(obj(&[("scopes", scopes.into())]))
        .unwrap();
    let url = web_sys::Url::new(&get(&req, "url").as_string().unwrap()).unwrap();
    let q = url.search_params();
    let verifier = get(&req, "codeVerifier").as_string().unwrap();
    assert_eq!(verifier.len(), 43);
    assert_eq!(
        q.get("code_challenge").unwrap(),
        gumroad_wasm::core::oauth::pkce_challenge(&verifier)
    );
    assert_eq!(q.get("state"), get(&req, "state").as_string());
    assert_eq!(q.get("scope").as_deref(), Some("view_sales"));
}
