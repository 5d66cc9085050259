//! Calls the API as the server does, for the unit tests of this route group.

use serde_json::Value;

use crate::http::Params;
use crate::routes::router::dispatch;
use crate::routes::ApiRequest;
use crate::seed;
use crate::state::{Caller, State};

pub fn state() -> State {
    State::new(seed::default_data())
}

pub fn who(seller: &str, scopes: &[&str]) -> Result<Option<Caller>, ()> {
    Ok(Some(Caller {
        seller_id: seller.into(),
        scopes: scopes.iter().map(|s| s.to_string()).collect(),
        app_id: "app_demo".into(),
    }))
}

/// John Smith with every scope but `account` (as `demo-token-full`).
pub fn john() -> Result<Option<Caller>, ()> {
    who(seed::SELLER_A, seed::ALL_SCOPES)
}

/// Ada Byron with every scope (as `demo-token-seller-b`).
pub fn ada() -> Result<Option<Caller>, ()> {
    who(seed::SELLER_B, seed::ALL_SCOPES)
}

fn run(
    state: &mut State,
    method: &str,
    path: &str,
    params: Params,
    caller: Result<Option<Caller>, ()>,
) -> (u16, Value) {
    let req = ApiRequest {
        method,
        segments: path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        params,
        caller,
        allow_loopback_webhooks: false,
    };
    let r = dispatch(state, &req);
    let body = if r.body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&r.body)
            .unwrap_or(Value::String(String::from_utf8_lossy(&r.body).into()))
    };
    (r.status, body)
}

/// A form-encoded call (`k[]` keys collect into arrays, as on the wire).
pub fn form(
    state: &mut State,
    method: &str,
    path: &str,
    pairs: &[(&str, &str)],
    caller: Result<Option<Caller>, ()>,
) -> (u16, Value) {
    let mut params = Params::default();
    params.insert_form(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    );
    run(state, method, path, params, caller)
}

/// A JSON-body call; `body` must be an object.
pub fn json(
    state: &mut State,
    method: &str,
    path: &str,
    body: Value,
    caller: Result<Option<Caller>, ()>,
) -> (u16, Value) {
    let mut params = Params::default();
    if let Value::Object(m) = body {
        params.insert_json(m);
    }
    run(state, method, path, params, caller)
}

/// Path segments as the server hands them over (percent-decoded): ids are used as is.
pub fn get(state: &mut State, path: &str, caller: Result<Option<Caller>, ()>) -> (u16, Value) {
    form(state, "GET", path, &[], caller)
}

/// The `{success:false, message}` answer (HTTP 200) with `message`.
pub fn assert_failure(r: &(u16, Value), message: &str) {
    assert_eq!(r.0, 200, "{:?}", r.1);
    assert_eq!(
        r.1,
        serde_json::json!({"success": false, "message": message}),
        "got {:?}",
        r.1
    );
}

pub fn assert_ok(r: &(u16, Value)) {
    assert_eq!(r.0, 200, "{:?}", r.1);
    assert_eq!(r.1["success"], true, "{:?}", r.1);
}

/// The JSON 403 of a strict scope check.
pub fn assert_strict_403(r: &(u16, Value), scope: &str) {
    assert_eq!(r.0, 403);
    assert_eq!(
        r.1,
        serde_json::json!({"success": false, "message": format!("This endpoint requires the {scope} scope.")})
    );
}

/// Doorkeeper's empty 403.
pub fn assert_empty_403(r: &(u16, Value)) {
    assert_eq!((r.0, &r.1), (403, &Value::Null));
}
