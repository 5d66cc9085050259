//! The OAuth flows end to end through `oauth::handle`, including tokens working against
//! `/v2` afterwards.

use base64::Engine;
use serde_json::{json, Value};

use super::token::pkce_matches;
use crate::app::{App, Settings, Shared};
use crate::http::{Params, Resp};
use crate::model_office::{
    CLI_CLIENT_ID, CLI_REDIRECT_URI, OTHER_CLIENT_ID, OTHER_CLIENT_SECRET, WEB_CLIENT_ID,
    WEB_CLIENT_SECRET, WEB_REDIRECT_URI,
};
use crate::seed::{self, SELLER_A, SELLER_B};
use crate::state::State;

fn app() -> Shared {
    App::new(
        State::new(seed::default_data()),
        Settings {
            webhook_retry_scale: 1.0,
            allow_loopback_webhooks: false,
            fault_rate: 0.0,
        },
    )
}

struct Out {
    status: u16,
    body: Value,
    resp: Resp,
}

impl Out {
    fn header(&self, name: &str) -> Option<&str> {
        self.resp
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn html(&self) -> String {
        String::from_utf8_lossy(&self.resp.body).into_owned()
    }
    /// The query parameters of the `Location` of a redirect.
    fn location_params(&self) -> Vec<(String, String)> {
        let loc = self.header("Location").unwrap_or_default();
        crate::urlenc::parse_form(loc.split_once('?').map(|x| x.1).unwrap_or_default())
    }
    fn location_param(&self, k: &str) -> Option<String> {
        self.location_params()
            .into_iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v)
    }
}

fn req(
    app: &App,
    method: &str,
    path: &str,
    form: &[(&str, &str)],
    basic: Option<(&str, &str)>,
) -> Out {
    let mut params = Params::default();
    params.insert_form(
        form.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    );
    let mut headers = ::http::HeaderMap::new();
    if let Some((u, p)) = basic {
        let enc = base64::engine::general_purpose::STANDARD.encode(format!("{u}:{p}"));
        headers.insert("authorization", format!("Basic {enc}").parse().unwrap());
    }
    // The form's `_method`, as crate::dispatch applies Rack::MethodOverride before routing.
    let overridden =
        form.iter()
            .find(|(k, _)| *k == "_method")
            .map_or(method.to_string(), |(_, m)| {
                let mut body = serde_json::Map::new();
                body.insert("_method".into(), Value::String(m.to_string()));
                crate::rack::method_override(method, &crate::rack::BodyKind::Form, &body, None)
            });
    let resp = super::router::handle(app, &overridden, path, &params, &headers);
    let body = serde_json::from_slice(&resp.body).unwrap_or(Value::Null);
    Out {
        status: resp.status,
        body,
        resp,
    }
}

fn bearer_req(app: &App, method: &str, path: &str, form: &[(&str, &str)], token: &str) -> Out {
    let mut params = Params::default();
    params.insert_form(
        form.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    );
    let mut headers = ::http::HeaderMap::new();
    headers.insert("authorization", format!("Bearer {token}").parse().unwrap());
    let resp = super::router::handle(app, method, path, &params, &headers);
    let body = serde_json::from_slice(&resp.body).unwrap_or(Value::Null);
    Out {
        status: resp.status,
        body,
        resp,
    }
}

fn registered(app: &App, token: &str) -> Option<crate::model::Token> {
    app.lock()
        .data
        .tokens
        .iter()
        .find(|t| t.token == token)
        .cloned()
}

fn approve(app: &App, extra: &[(&str, &str)]) -> Out {
    let mut form = vec![
        ("client_id", WEB_CLIENT_ID),
        ("redirect_uri", WEB_REDIRECT_URI),
        ("scope", "view_sales edit_products"),
        ("state", "xyz"),
    ];
    form.extend_from_slice(extra);
    req(app, "POST", "/authorize", &form, None)
}

fn exchange(app: &App, code: &str, extra: &[(&str, &str)], basic: Option<(&str, &str)>) -> Out {
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", WEB_REDIRECT_URI),
    ];
    form.extend_from_slice(extra);
    req(app, "POST", "/token", &form, basic)
}

/// A form, the expected status and a text the page must contain.
type PageCase<'a> = (&'a [(&'a str, &'a str)], u16, &'a str);

const WEB: Option<(&str, &str)> = Some((WEB_CLIENT_ID, WEB_CLIENT_SECRET));

fn assert_error(o: &Out, status: u16, error: &str, description: &str) {
    assert_eq!(
        (o.status, o.body.clone()),
        (
            status,
            json!({"error": error, "error_description": description})
        ),
        "{}",
        o.html()
    );
}

#[test]
fn consent_page_and_its_errors() {
    let a = app();
    let o = req(
        &a,
        "GET",
        "/authorize",
        &[
            ("client_id", WEB_CLIENT_ID),
            ("redirect_uri", WEB_REDIRECT_URI),
            ("scope", "view_sales"),
            ("state", "s1"),
        ],
        None,
    );
    assert_eq!(o.status, 200);
    let html = o.html();
    assert!(
        html.contains("Gumroad Mock Web App") && html.contains("See your sales data."),
        "{html}"
    );
    assert!(
        html.contains("name=\"state\" value=\"s1\"")
            && html.contains("action=\"/oauth/authorize\"")
    );
    assert!(html.contains("name=\"_method\" value=\"delete\""));
    let cases: [PageCase; 5] = [
        (
            &[("redirect_uri", WEB_REDIRECT_URI)],
            400,
            "Missing required parameter: client_id.",
        ),
        (
            &[("client_id", "nope"), ("redirect_uri", WEB_REDIRECT_URI)],
            401,
            "Client authentication failed",
        ),
        (
            &[
                ("client_id", WEB_CLIENT_ID),
                ("redirect_uri", "http://127.0.0.1:9/elsewhere"),
            ],
            400,
            "doesn&#39;t match client redirect URI",
        ),
        (
            &[
                ("client_id", WEB_CLIENT_ID),
                ("redirect_uri", WEB_REDIRECT_URI),
                ("scope", "view_sales bogus"),
            ],
            400,
            "The requested scope is invalid, unknown, or malformed.",
        ),
        (
            &[
                ("client_id", WEB_CLIENT_ID),
                ("redirect_uri", WEB_REDIRECT_URI),
                ("code_challenge", "abc"),
            ],
            400,
            "The code_challenge_method must be one of plain, S256.",
        ),
    ];
    for (form, status, text) in cases {
        let o = req(&a, "GET", "/authorize", form, None);
        assert_eq!(o.status, status, "{form:?}");
        assert!(o.html().contains(text), "{form:?}: {}", o.html());
    }
}

#[test]
fn authorization_code_flow_with_client_secret() {
    let a = app();
    let o = approve(&a, &[]);
    assert_eq!(o.status, 302);
    assert!(o
        .header("Location")
        .unwrap()
        .starts_with("http://127.0.0.1:9/callback?code="));
    assert_eq!(o.location_param("state").as_deref(), Some("xyz"));
    let code = o.location_param("code").unwrap();
    // Wrong or missing client authentication first.
    assert_error(
        &exchange(&a, &code, &[], Some((WEB_CLIENT_ID, "wrong"))),
        401,
        "invalid_client",
        super::doorkeeper_text("invalid_client"),
    );
    assert_error(
        &exchange(&a, &code, &[], None),
        401,
        "invalid_client",
        super::doorkeeper_text("invalid_client"),
    );
    let bad_uri = req(
        &a,
        "POST",
        "/token",
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "http://127.0.0.1:9/callback/"),
        ],
        WEB,
    );
    assert_error(
        &bad_uri,
        400,
        "invalid_grant",
        super::doorkeeper_text("invalid_grant"),
    );
    let no_uri = req(
        &a,
        "POST",
        "/token",
        &[("grant_type", "authorization_code"), ("code", &code)],
        WEB,
    );
    assert_error(
        &no_uri,
        400,
        "invalid_request",
        "Missing required parameter: redirect_uri.",
    );
    // Client credentials in the body work as well as HTTP Basic.
    let ok = exchange(
        &a,
        &code,
        &[
            ("client_id", WEB_CLIENT_ID),
            ("client_secret", WEB_CLIENT_SECRET),
        ],
        None,
    );
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(ok.header("Cache-Control"), Some("no-store"));
    assert_eq!(ok.body["token_type"], "Bearer");
    assert_eq!(ok.body["scope"], "view_sales edit_products");
    assert!(ok.body.get("expires_in").is_none());
    assert!(ok.body["created_at"].as_i64().unwrap() > 1_700_000_000);
    let token = ok.body["access_token"].as_str().unwrap();
    assert_eq!(token.len(), 43);
    let t = registered(&a, token).expect("usable against /v2");
    assert_eq!(
        (t.seller_id.as_str(), t.app_id.as_str()),
        (SELLER_A, "app_demo")
    );
    assert_eq!(t.scopes, ["view_sales", "edit_products"]);
    // Codes are single-use.
    assert_error(
        &exchange(&a, &code, &[], WEB),
        400,
        "invalid_grant",
        super::doorkeeper_text("invalid_grant"),
    );
    assert!(ok.body["refresh_token"].is_string());
}

#[test]
fn codes_expire_after_ten_minutes_and_belong_to_their_client() {
    let a = app();
    let code = approve(&a, &[]).location_param("code").unwrap();
    let other = exchange(&a, &code, &[], Some((OTHER_CLIENT_ID, OTHER_CLIENT_SECRET)));
    assert_error(
        &other,
        400,
        "invalid_grant",
        super::doorkeeper_text("invalid_grant"),
    );
    a.lock().data.office.oauth_grants[0].created_at -= 601;
    assert_error(
        &exchange(&a, &code, &[], WEB),
        400,
        "invalid_grant",
        super::doorkeeper_text("invalid_grant"),
    );
}

#[test]
fn the_resource_owner_can_be_chosen() {
    let a = app();
    let code = approve(&a, &[("seller_id", SELLER_B)])
        .location_param("code")
        .unwrap();
    let ok = exchange(&a, &code, &[], WEB);
    let t = registered(&a, ok.body["access_token"].as_str().unwrap()).unwrap();
    assert_eq!(t.seller_id, SELLER_B);
    let bad = approve(&a, &[("seller_id", "nobody")]);
    assert_eq!(bad.status, 400);
}

#[test]
fn pkce_s256_matches_the_rfc_7636_appendix_b_vector() {
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    assert!(pkce_matches(challenge, Some("S256"), verifier));
    assert!(!pkce_matches(challenge, Some("plain"), verifier));
    assert!(pkce_matches("abc", Some("plain"), "abc"));

    // The whole flow with the public CLI client (no secret).
    let a = app();
    let o = req(
        &a,
        "POST",
        "/authorize",
        &[
            ("client_id", CLI_CLIENT_ID),
            ("redirect_uri", CLI_REDIRECT_URI),
            ("scope", "account edit_profile view_profile"),
            ("code_challenge", challenge),
            ("code_challenge_method", "S256"),
        ],
        None,
    );
    let code = o.location_param("code").unwrap();
    assert!(o.location_param("state").is_none());
    let base = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", CLI_REDIRECT_URI),
        ("client_id", CLI_CLIENT_ID),
    ];
    assert_error(
        &req(&a, "POST", "/token", &base, None),
        400,
        "invalid_request",
        "Missing required parameter: code_verifier.",
    );
    let mut wrong = base.to_vec();
    wrong.push(("code_verifier", "not-the-verifier"));
    assert_error(
        &req(&a, "POST", "/token", &wrong, None),
        400,
        "invalid_grant",
        super::doorkeeper_text("invalid_grant"),
    );
    let mut right = base.to_vec();
    right.push(("code_verifier", verifier));
    let ok = req(&a, "POST", "/token", &right, None);
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(ok.body["scope"], "account edit_profile view_profile");
    let t = registered(&a, ok.body["access_token"].as_str().unwrap()).unwrap();
    assert_eq!(t.app_id, "app_cli");
}

#[test]
fn authorize_post_errors_redirect_when_doorkeeper_may() {
    let a = app();
    let o = approve(&a, &[("scope", "view_sales bogus")]);
    assert_eq!(o.status, 302);
    assert_eq!(o.location_param("error").as_deref(), Some("invalid_scope"));
    assert_eq!(
        o.location_param("error_description").as_deref(),
        Some(super::doorkeeper_text("invalid_scope"))
    );
    assert_eq!(o.location_param("state").as_deref(), Some("xyz"));
    let o = approve(&a, &[("response_type", "token")]);
    assert_eq!(
        o.location_param("error").as_deref(),
        Some("unsupported_response_type")
    );
    let o = approve(&a, &[("code_challenge", "abc")]);
    assert_eq!(
        o.location_param("error").as_deref(),
        Some("invalid_code_challenge_method")
    );
    let o = req(
        &a,
        "POST",
        "/authorize",
        &[("client_id", "nope"), ("redirect_uri", WEB_REDIRECT_URI)],
        None,
    );
    assert_error(
        &o,
        401,
        "invalid_client",
        super::doorkeeper_text("invalid_client"),
    );
    let o = req(
        &a,
        "POST",
        "/authorize",
        &[
            ("client_id", WEB_CLIENT_ID),
            ("redirect_uri", "https://evil.example/cb"),
        ],
        None,
    );
    assert_error(
        &o,
        400,
        "invalid_redirect_uri",
        super::doorkeeper_text("invalid_redirect_uri"),
    );
    // Deny, directly or through the form's `_method=delete`.
    for (method, extra) in [("DELETE", None), ("POST", Some(("_method", "delete")))] {
        let mut form = vec![
            ("client_id", WEB_CLIENT_ID),
            ("redirect_uri", WEB_REDIRECT_URI),
            ("state", "q"),
        ];
        form.extend(extra);
        let o = req(&a, method, "/authorize", &form, None);
        assert_eq!(o.status, 302);
        assert_eq!(o.location_param("error").as_deref(), Some("access_denied"));
        assert_eq!(
            o.location_param("error_description").as_deref(),
            Some(super::doorkeeper_text("access_denied"))
        );
        assert_eq!(o.location_param("state").as_deref(), Some("q"));
    }
    // The default scope is view_public.
    let code = approve(&a, &[("scope", "")])
        .location_param("code")
        .unwrap();
    assert_eq!(exchange(&a, &code, &[], WEB).body["scope"], "view_public");
}

#[test]
fn refresh_tokens_rotate() {
    let a = app();
    let code = approve(&a, &[]).location_param("code").unwrap();
    let first = exchange(&a, &code, &[], WEB);
    let (access, refresh) = (
        first.body["access_token"].as_str().unwrap().to_string(),
        first.body["refresh_token"].as_str().unwrap().to_string(),
    );
    let o = req(
        &a,
        "POST",
        "/token",
        &[("grant_type", "refresh_token"), ("refresh_token", &refresh)],
        WEB,
    );
    assert_eq!(o.status, 200, "{}", o.body);
    let (new_access, new_refresh) = (
        o.body["access_token"].as_str().unwrap(),
        o.body["refresh_token"].as_str().unwrap(),
    );
    assert_ne!(new_access, access);
    assert_ne!(new_refresh, refresh);
    assert_eq!(o.body["scope"], "view_sales edit_products");
    assert!(
        registered(&a, &access).is_none(),
        "the old access token is revoked"
    );
    assert!(registered(&a, new_access).is_some());
    let again = req(
        &a,
        "POST",
        "/token",
        &[("grant_type", "refresh_token"), ("refresh_token", &refresh)],
        WEB,
    );
    assert_error(
        &again,
        400,
        "invalid_grant",
        super::doorkeeper_text("invalid_grant"),
    );
    let no_client = req(
        &a,
        "POST",
        "/token",
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", new_refresh),
        ],
        None,
    );
    assert_error(
        &no_client,
        400,
        "invalid_grant",
        super::doorkeeper_text("invalid_grant"),
    );
    let missing = req(
        &a,
        "POST",
        "/token",
        &[("grant_type", "refresh_token")],
        WEB,
    );
    assert_error(
        &missing,
        400,
        "invalid_request",
        "Missing required parameter: refresh_token.",
    );
    let narrower = req(
        &a,
        "POST",
        "/token",
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", new_refresh),
            ("scope", "view_sales"),
        ],
        WEB,
    );
    assert_eq!(narrower.body["scope"], "view_sales");
}

#[test]
fn grant_type_errors_and_client_credentials() {
    let a = app();
    assert_error(
        &req(&a, "POST", "/token", &[], WEB),
        400,
        "invalid_request",
        "Missing required parameter: grant_type.",
    );
    assert_error(
        &req(&a, "POST", "/token", &[("grant_type", "password")], WEB),
        400,
        "unsupported_grant_type",
        super::doorkeeper_text("unsupported_grant_type"),
    );
    let cc = req(
        &a,
        "POST",
        "/token",
        &[("grant_type", "client_credentials")],
        WEB,
    );
    assert_eq!(cc.status, 200, "{}", cc.body);
    assert!(cc.body.get("refresh_token").is_none());
    assert!(
        registered(&a, cc.body["access_token"].as_str().unwrap()).is_none(),
        "no resource owner, no /v2"
    );
    let public = req(
        &a,
        "POST",
        "/token",
        &[
            ("grant_type", "client_credentials"),
            ("client_id", CLI_CLIENT_ID),
        ],
        None,
    );
    assert_error(
        &public,
        401,
        "invalid_client",
        super::doorkeeper_text("invalid_client"),
    );
    assert!(public
        .header("WWW-Authenticate")
        .unwrap()
        .starts_with("Bearer realm=\"Doorkeeper\""));
}

fn device_code(a: &App, client: &str) -> Value {
    let o = req(a, "POST", "/device/code", &[("client_id", client)], None);
    assert_eq!(o.status, 200, "{}", o.body);
    o.body
}

fn poll(a: &App, client: &str, code: &str) -> Out {
    req(
        a,
        "POST",
        "/token",
        &[
            ("grant_type", super::token::DEVICE_GRANT),
            ("client_id", client),
            ("device_code", code),
        ],
        None,
    )
}

#[test]
fn the_device_flow_end_to_end() {
    let a = app();
    let d = device_code(&a, CLI_CLIENT_ID);
    let user_code = d["user_code"].as_str().unwrap().to_string();
    assert!(
        user_code.starts_with("GRD-") && user_code.len() == 13,
        "{user_code}"
    );
    assert_eq!(d["device_code"].as_str().unwrap().len(), 43);
    assert_eq!(d["verification_uri"], "http://127.0.0.1:4010/oauth/device");
    assert_eq!(
        d["verification_uri_complete"],
        format!("http://127.0.0.1:4010/oauth/device?user_code={user_code}")
    );
    assert_eq!(
        (d["expires_in"].as_i64(), d["interval"].as_i64()),
        (Some(600), Some(5))
    );
    let dc = d["device_code"].as_str().unwrap().to_string();
    assert_error(
        &poll(&a, CLI_CLIENT_ID, &dc),
        400,
        "authorization_pending",
        "Authorization is pending",
    );
    let fast = poll(&a, CLI_CLIENT_ID, &dc);
    assert_eq!(
        (fast.status, fast.body.clone()),
        (
            400,
            json!({"error": "slow_down", "error_description": "Polling too quickly", "interval": 10})
        )
    );
    assert_eq!(
        poll(&a, CLI_CLIENT_ID, &dc).body["error"],
        "slow_down",
        "every fast poll is recorded"
    );
    // The approval page, then an approval typed in lower case without dashes.
    let page = req(&a, "GET", "/device", &[("user_code", &user_code)], None);
    assert!(
        page.html().contains("Gumroad Mock CLI")
            && page.html().contains("Full access to your account."),
        "{}",
        page.html()
    );
    let typed = user_code.replace('-', "").to_lowercase();
    let ok = req(
        &a,
        "POST",
        "/device",
        &[("user_code", &typed), ("decision", "approve")],
        None,
    );
    assert_eq!(ok.status, 200, "{}", ok.html());
    let t = poll(&a, CLI_CLIENT_ID, &dc);
    assert_eq!(t.status, 200, "{}", t.body);
    assert_eq!(t.header("Cache-Control"), Some("no-store"));
    let token = registered(&a, t.body["access_token"].as_str().unwrap()).unwrap();
    assert_eq!(
        (token.seller_id.as_str(), token.app_id.as_str()),
        (SELLER_A, "app_cli")
    );
    assert!(token.scopes.contains(&"account".to_string()));
    assert_error(
        &poll(&a, CLI_CLIENT_ID, &dc),
        400,
        "expired_token",
        "Device code is invalid or expired",
    );
    let reuse = req(
        &a,
        "POST",
        "/device",
        &[("user_code", &user_code), ("decision", "approve")],
        None,
    );
    assert_eq!(reuse.status, 422);
    assert!(reuse.html().contains("This code is invalid."));
}

#[test]
fn device_flow_denials_expiry_and_bad_input() {
    let a = app();
    a.lock().settings.device_interval = 0;
    let d = device_code(&a, CLI_CLIENT_ID);
    assert_eq!(d["interval"], 0);
    let (dc, uc) = (
        d["device_code"].as_str().unwrap().to_string(),
        d["user_code"].as_str().unwrap().to_string(),
    );
    let undecided = req(&a, "POST", "/device", &[("user_code", &uc)], None);
    assert_eq!(undecided.status, 422);
    assert!(undecided
        .html()
        .contains("Choose whether to authorize or deny this application."));
    assert_eq!(
        req(
            &a,
            "POST",
            "/device",
            &[("user_code", "GRD-0000-0000"), ("decision", "approve")],
            None
        )
        .status,
        422
    );
    assert_error(
        &poll(&a, CLI_CLIENT_ID, &dc),
        400,
        "authorization_pending",
        "Authorization is pending",
    );
    assert_eq!(
        req(
            &a,
            "POST",
            "/device",
            &[("user_code", &uc), ("decision", "deny")],
            None
        )
        .status,
        200
    );
    assert_error(
        &poll(&a, CLI_CLIENT_ID, &dc),
        400,
        "access_denied",
        "Access was denied",
    );
    // Another application's code, a blank code, an expired code.
    let d2 = device_code(&a, CLI_CLIENT_ID);
    let dc2 = d2["device_code"].as_str().unwrap().to_string();
    let foreign = req(
        &a,
        "POST",
        "/token",
        &[
            ("grant_type", super::token::DEVICE_GRANT),
            ("device_code", &dc2),
        ],
        Some((OTHER_CLIENT_ID, OTHER_CLIENT_SECRET)),
    );
    assert_error(
        &foreign,
        400,
        "expired_token",
        "Device code is invalid or expired",
    );
    assert_error(
        &poll(&a, CLI_CLIENT_ID, ""),
        400,
        "invalid_request",
        "device_code is required",
    );
    {
        let mut s = a.lock();
        let last = s.data.office.device_codes.len() - 1;
        s.data.office.device_codes[last].expires_at -= 601;
    }
    assert_error(
        &poll(&a, CLI_CLIENT_ID, &dc2),
        400,
        "expired_token",
        "Device code is invalid or expired",
    );
    let uc2 = d2["user_code"].as_str().unwrap();
    let late = req(
        &a,
        "POST",
        "/device",
        &[("user_code", uc2), ("decision", "approve")],
        None,
    );
    assert!(late.html().contains("This code has expired."));
    // A token revoked between approval and the poll.
    let d3 = device_code(&a, CLI_CLIENT_ID);
    let dc3 = d3["device_code"].as_str().unwrap().to_string();
    req(
        &a,
        "POST",
        "/device",
        &[
            ("user_code", d3["user_code"].as_str().unwrap()),
            ("decision", "approve"),
            ("seller_id", SELLER_B),
        ],
        None,
    );
    let minted = a
        .lock()
        .data
        .office
        .device_codes
        .last()
        .unwrap()
        .access_token
        .clone()
        .unwrap();
    assert_eq!(registered(&a, &minted).unwrap().seller_id, SELLER_B);
    assert_eq!(
        req(
            &a,
            "POST",
            "/revoke",
            &[("token", &minted), ("client_id", CLI_CLIENT_ID)],
            None
        )
        .status,
        200
    );
    assert_error(
        &poll(&a, CLI_CLIENT_ID, &dc3),
        400,
        "access_denied",
        "Access was denied",
    );
}

#[test]
fn device_code_client_errors() {
    let a = app();
    assert_error(
        &req(&a, "POST", "/device/code", &[], None),
        400,
        "invalid_request",
        "client_id is required",
    );
    let unknown = req(&a, "POST", "/device/code", &[("client_id", "nope")], None);
    assert_error(
        &unknown,
        401,
        "invalid_client",
        "Client authentication failed due to unknown client",
    );
    assert_eq!(unknown.header("WWW-Authenticate"), None);
    let no_secret = req(
        &a,
        "POST",
        "/device/code",
        &[("client_id", OTHER_CLIENT_ID)],
        None,
    );
    assert_error(
        &no_secret,
        401,
        "invalid_client",
        "Client authentication failed",
    );
    let basic = req(
        &a,
        "POST",
        "/device/code",
        &[],
        Some((OTHER_CLIENT_ID, "wrong")),
    );
    assert_error(
        &basic,
        401,
        "invalid_client",
        "Client authentication failed",
    );
    assert_eq!(
        basic.header("WWW-Authenticate"),
        Some("Basic realm=\"Doorkeeper\"")
    );
    let web = req(&a, "POST", "/device/code", &[], WEB);
    assert_error(
        &web,
        400,
        "unauthorized_client",
        "Client is not allowed to use device authorization",
    );
    let scope = req(
        &a,
        "POST",
        "/device/code",
        &[
            ("client_id", OTHER_CLIENT_ID),
            ("client_secret", OTHER_CLIENT_SECRET),
            ("scope", "view_sales edit_products"),
        ],
        None,
    );
    assert_error(
        &scope,
        400,
        "invalid_scope",
        "The requested scope is invalid",
    );
    let ok = req(
        &a,
        "POST",
        "/device/code",
        &[("scope", "view_sales")],
        Some((OTHER_CLIENT_ID, OTHER_CLIENT_SECRET)),
    );
    assert_eq!(ok.status, 200);
    assert_eq!(ok.header("Cache-Control"), Some("no-store, no-cache"));
    assert_eq!(a.lock().data.office.device_codes[0].scopes, "view_sales");
    // The poll authenticates the same way.
    assert_error(
        &poll(&a, "nope", "x"),
        401,
        "invalid_client",
        "Client authentication failed due to unknown client",
    );
}

#[test]
fn revocation_follows_rfc_7009() {
    let a = app();
    let code = approve(&a, &[]).location_param("code").unwrap();
    let t = exchange(&a, &code, &[], WEB);
    let access = t.body["access_token"].as_str().unwrap().to_string();
    let refresh = t.body["refresh_token"].as_str().unwrap().to_string();
    let foreign = req(
        &a,
        "POST",
        "/revoke",
        &[("token", &access)],
        Some((OTHER_CLIENT_ID, OTHER_CLIENT_SECRET)),
    );
    assert_error(
        &foreign,
        403,
        "unauthorized_client",
        "You are not authorized to revoke this token",
    );
    let anonymous = req(&a, "POST", "/revoke", &[("token", &access)], None);
    assert_eq!(anonymous.status, 403);
    assert_eq!(
        req(&a, "POST", "/revoke", &[("token", "unknown")], WEB).body,
        json!({})
    );
    let ok = req(
        &a,
        "POST",
        "/revoke",
        &[("token", &refresh), ("token_type_hint", "refresh_token")],
        WEB,
    );
    assert_eq!((ok.status, ok.body), (200, json!({})));
    assert!(registered(&a, &access).is_none());
    let r = req(
        &a,
        "POST",
        "/token",
        &[("grant_type", "refresh_token"), ("refresh_token", &refresh)],
        WEB,
    );
    assert_eq!(r.body["error"], "invalid_grant");
    // Seeded demo tokens belong to the demo web app.
    assert_eq!(
        req(
            &a,
            "POST",
            "/revoke",
            &[("token", "demo-token-readonly")],
            WEB
        )
        .status,
        200
    );
    assert!(registered(&a, "demo-token-readonly").is_none());
}

#[test]
fn token_info_and_introspection() {
    let a = app();
    let info = bearer_req(&a, "GET", "/token/info", &[], "demo-token-readonly");
    assert_eq!(info.status, 200);
    assert_eq!(info.body["resource_owner_id"], 8452069472361u64);
    assert_eq!(info.body["scope"], json!(["view_public", "view_sales"]));
    assert_eq!(info.body["application"]["uid"], WEB_CLIENT_ID);
    let bad = bearer_req(&a, "GET", "/token/info", &[], "nope");
    assert_error(&bad, 401, "invalid_token", "The access token is invalid");
    let active = req(
        &a,
        "POST",
        "/introspect",
        &[("token", "demo-token-full")],
        WEB,
    );
    assert_eq!(active.body["active"], true);
    let inactive = req(&a, "POST", "/introspect", &[("token", "nope")], WEB);
    assert_eq!(inactive.body, json!({"active": false}));
    assert_eq!(
        req(
            &a,
            "POST",
            "/introspect",
            &[("token", "demo-token-full")],
            None
        )
        .status,
        401
    );
}

#[test]
fn other_oauth_pages_exist() {
    let a = app();
    for path in [
        "/authorize/somecode",
        "/applications",
        "/authorized_applications",
        "/login",
        "/device",
        "/mobile_pre_authorization/new",
    ] {
        let o = req(&a, "GET", path, &[], None);
        assert_eq!(o.status, 200, "{path}");
        assert!(!o.html().contains("doesn't exist (404)"), "{path}");
    }
    assert_eq!(req(&a, "GET", "/nope", &[], None).status, 404);
    assert_eq!(
        req(&a, "POST", "/token.json", &[], WEB).body["error"],
        "invalid_request"
    );
}

#[test]
fn settings_are_runtime_knobs_restored_by_reset() {
    let a = app();
    let r = crate::control::handle(
        &a,
        "POST",
        "/settings",
        "",
        br#"{"upload_part_size": 65536, "device_interval": 1}"#,
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(a.lock().settings.upload_part_size, 65536);
    assert_eq!(device_code(&a, CLI_CLIENT_ID)["interval"], 1);
    for bad in [
        r#"{"upload_part_size": 0}"#,
        r#"{"nope": 1}"#,
        "not json",
        r#"{"device_interval": 99999}"#,
    ] {
        assert_eq!(
            crate::control::handle(&a, "POST", "/settings", "", bad.as_bytes()).status,
            400,
            "{bad}"
        );
    }
    let got: Value =
        serde_json::from_slice(&crate::control::handle(&a, "GET", "/settings", "", b"").body)
            .unwrap();
    assert_eq!(
        got["settings"],
        json!({"upload_part_size": 65536, "device_interval": 1, "throttle": false})
    );
    crate::control::handle(&a, "POST", "/reset", "", b"");
    let s = a.lock();
    assert_eq!(
        (s.settings.upload_part_size, s.settings.device_interval),
        (100 << 20, 5)
    );
    assert!(s.data.office.device_codes.is_empty());
}
