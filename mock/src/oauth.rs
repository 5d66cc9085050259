//! Gumroad's OAuth endpoints (`/oauth/...`): authorization code with PKCE, refresh, client
//! credentials, the device authorization grant, revocation, introspection and token info.
//!
//! Doorkeeper's behaviour (error codes, English texts, statuses, `Cache-Control: no-store`)
//! for the standard flows; Gumroad's own texts for the device flow. The mock has no login:
//! the resource owner is John Smith unless a `seller_id` form field names another seller.
//! Tokens minted here are added to `Data::tokens`, so they work against `/v2/...` at once.

mod authorize;
mod device;
mod pages;
pub mod routes;
mod token;

use serde_json::{json, Value};

use crate::app::App;
use crate::http::{Params, Resp};
use crate::model::Token;
use crate::model_office::{OAuthApp, OAuthToken};
use crate::state::{now_unix, State};

pub struct OAuthRequest<'a> {
    pub params: &'a Params,
    pub headers: &'a ::http::HeaderMap,
}

impl OAuthRequest<'_> {
    /// A parameter as text (empty when absent).
    pub fn text(&self, k: &str) -> String {
        self.params.get(k).map(|p| p.as_text()).unwrap_or_default()
    }

    /// A non-blank parameter.
    pub fn present(&self, k: &str) -> Option<String> {
        self.params
            .get(k)
            .map(|p| p.as_text())
            .filter(|s| !s.trim().is_empty())
    }

    /// `client_id`/`client_secret` from HTTP Basic (preferred, as Doorkeeper reads it) or the
    /// body.
    pub fn credentials(&self) -> Credentials {
        let basic = self
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                let (scheme, rest) = v.split_once(' ')?;
                scheme.eq_ignore_ascii_case("basic").then_some(rest.trim())
            })
            .and_then(crate::routes::office::util::base64_decode)
            .map(|raw| String::from_utf8_lossy(&raw).into_owned());
        if let Some(pair) = basic {
            let (uid, secret) = pair.split_once(':').unwrap_or((pair.as_str(), ""));
            // RFC 6749 §2.3.1: both halves are form-encoded before Base64.
            return Credentials {
                uid: crate::urlenc::decode_path_segment(&uid.replace('+', " ")),
                secret: crate::urlenc::decode_path_segment(&secret.replace('+', " ")),
                basic: true,
            };
        }
        Credentials {
            uid: self.text("client_id"),
            secret: self.text("client_secret"),
            basic: false,
        }
    }
}

pub struct Credentials {
    pub uid: String,
    pub secret: String,
    /// Sent with HTTP Basic (errors then carry `WWW-Authenticate: Basic`).
    pub basic: bool,
}

/// The outcome of client authentication.
pub enum ClientAuth {
    /// No `client_id` at all.
    Missing,
    /// A `client_id` no application has.
    Unknown,
    /// A confidential application without (or with a wrong) secret.
    BadSecret,
    /// The index of the application in `office.oauth_apps`.
    Ok(usize),
}

/// Doorkeeper's `Application.by_uid_and_secret`: a public client needs no secret.
pub fn authenticate(state: &State, c: &Credentials) -> ClientAuth {
    if c.uid.trim().is_empty() {
        return ClientAuth::Missing;
    }
    let Some(i) = state
        .data
        .office
        .oauth_apps
        .iter()
        .position(|a| a.uid == c.uid)
    else {
        return ClientAuth::Unknown;
    };
    let a = &state.data.office.oauth_apps[i];
    let secret_ok = match &a.secret {
        Some(s) => !c.secret.is_empty() && constant_time_eq(s.as_bytes(), c.secret.as_bytes()),
        None => c.secret.is_empty(),
    };
    if secret_ok || (!a.confidential && c.secret.is_empty()) {
        ClientAuth::Ok(i)
    } else {
        ClientAuth::BadSecret
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn app_by_uid<'a>(state: &'a State, uid: &str) -> Option<&'a OAuthApp> {
    state.data.office.oauth_apps.iter().find(|a| a.uid == uid)
}

pub fn app_by_id<'a>(state: &'a State, id: &str) -> Option<&'a OAuthApp> {
    state.data.office.oauth_apps.iter().find(|a| a.id == id)
}

/// Doorkeeper's English error texts.
pub fn doorkeeper_text(error: &str) -> &'static str {
    match error {
        "invalid_request" => "The request is missing a required parameter, includes an unsupported parameter value, or is otherwise malformed.",
        "invalid_redirect_uri" => "The requested redirect uri is malformed or doesn't match client redirect URI.",
        "unauthorized_client" => "The client is not authorized to perform this request using this method.",
        "access_denied" => "The resource owner or authorization server denied the request.",
        "invalid_scope" => "The requested scope is invalid, unknown, or malformed.",
        "invalid_code_challenge_method" => "The code_challenge_method must be one of plain, S256.",
        "server_error" => "The authorization server encountered an unexpected condition which prevented it from fulfilling the request.",
        "unsupported_response_type" => "The authorization server does not support this response type.",
        "invalid_client" => "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
        "invalid_grant" => "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
        "unsupported_grant_type" => "The authorization grant type is not supported by the authorization server.",
        "invalid_token" => "The access token is invalid",
        _ => "",
    }
}

/// `Missing required parameter: <name>.` (Doorkeeper's `invalid_request.missing_param`).
pub fn missing_param(name: &str) -> String {
    format!("Missing required parameter: {name}.")
}

/// Doorkeeper's status for an error: 401 for client errors, else 400.
pub fn doorkeeper_status(error: &str) -> u16 {
    if matches!(error, "invalid_client" | "unauthorized_client") {
        401
    } else {
        400
    }
}

/// A Doorkeeper JSON error of the token endpoint, with its `no-store` and `WWW-Authenticate`
/// headers.
pub fn token_error(error: &str, description: &str) -> Resp {
    Resp::json(
        doorkeeper_status(error),
        json!({"error": error, "error_description": description}),
    )
    .header("Cache-Control", "no-store")
    .header("Pragma", "no-cache")
    .header(
        "WWW-Authenticate",
        &format!(
            "Bearer realm=\"Doorkeeper\", error=\"{error}\", error_description=\"{description}\""
        ),
    )
}

/// Scopes Doorkeeper is configured with (default `view_public` plus the optional ones).
pub const SERVER_SCOPES: &[&str] = &[
    "view_public",
    "edit_products",
    "edit_emails",
    "view_sales",
    "view_payouts",
    "mark_sales_as_shipped",
    "refund_sales",
    "edit_sales",
    "revenue_share",
    "ifttt",
    "mobile_api",
    "creator_api",
    "view_profile",
    "edit_profile",
    "unfurl",
    "helper_api",
    "view_tax_data",
    "account",
];

/// Doorkeeper's `ScopeChecker.valid?`: non-blank, no control characters, every scope known to
/// the server and registered on the application.
pub fn scopes_valid(scope: &str, app: &OAuthApp) -> bool {
    if scope.trim().is_empty() || scope.contains(['\r', '\n', '\t']) {
        return false;
    }
    let allowed: Vec<&str> = app.scopes.split_whitespace().collect();
    scope
        .split_whitespace()
        .all(|s| SERVER_SCOPES.contains(&s) && (allowed.is_empty() || allowed.contains(&s)))
}

/// The consent text of a scope (as Gumroad's device-approval page shows them).
pub fn scope_description(scope: &str) -> &'static str {
    match scope {
        "view_public" => "See your public information (name, bio).",
        "view_profile" => "See your profile data.",
        "edit_profile" => "Edit your profile.",
        "edit_products" => "Create new products and edit your existing products.",
        "edit_emails" => "Create and send emails to your audience.",
        "view_sales" => "See your sales data.",
        "mark_sales_as_shipped" => "Mark your sales as shipped.",
        "refund_sales" => "Refund your sales.",
        "edit_sales" => "Refund your sales and resend purchase receipts to customers.",
        "view_payouts" => "See your payouts data.",
        "view_tax_data" => "See your tax forms and annual earnings summary.",
        "account" => "Full access to your account.",
        "revenue_share" => "Revenue Share",
        "ifttt" => "See your sales data.",
        _ => "",
    }
}

/// The seller a consent acts for: `seller_id` when it names one, else the first seller
/// (John Smith in the built-in data).
pub fn resource_owner(state: &State, requested: Option<String>) -> Result<String, String> {
    match requested {
        Some(id) => state
            .seller(&id)
            .map(|s| s.user_id.clone())
            .ok_or_else(|| format!("unknown seller_id {id:?}")),
        None => state
            .data
            .sellers
            .first()
            .map(|s| s.user_id.clone())
            .ok_or_else(|| "the data set has no seller".to_string()),
    }
}

/// Mints an access token (and a refresh token unless `refresh` is false) for `app_uid`. With a
/// resource owner the token is also registered for `/v2/...`.
pub fn mint_token(
    state: &mut State,
    app_uid: &str,
    seller_id: Option<&str>,
    scopes: &str,
    refresh: bool,
) -> OAuthToken {
    let access_token = state.new_secret(32);
    let refresh_token = refresh.then(|| state.new_secret(32));
    let (app_id, app_name) = app_by_uid(state, app_uid)
        .map(|a| (a.id.clone(), a.name.clone()))
        .unwrap_or_default();
    let t = OAuthToken {
        access_token: access_token.clone(),
        refresh_token,
        app_uid: app_uid.to_string(),
        seller_id: seller_id.map(String::from),
        scopes: scopes.to_string(),
        created_at: now_unix(),
        revoked: false,
    };
    if let Some(seller) = seller_id {
        state.data.tokens.push(Token {
            token: access_token,
            seller_id: seller.to_string(),
            scopes: scopes.split_whitespace().map(String::from).collect(),
            app_id,
            note: format!("issued by /oauth/token to {app_name}"),
        });
    }
    state.data.office.oauth_tokens.push(t.clone());
    t
}

/// Doorkeeper's token response body.
pub fn token_body(t: &OAuthToken) -> Value {
    let mut v = json!({
        "access_token": t.access_token,
        "token_type": "Bearer",
        "scope": t.scopes,
        "created_at": t.created_at,
    });
    if let Some(r) = &t.refresh_token {
        v["refresh_token"] = json!(r);
    }
    v
}

pub fn token_success(t: &OAuthToken) -> Resp {
    Resp::ok(token_body(t))
        .header("Cache-Control", "no-store")
        .header("Pragma", "no-cache")
}

/// Revokes an access token everywhere: `/v2` stops accepting it at once.
pub fn revoke_access_token(state: &mut State, access_token: &str) {
    state.data.tokens.retain(|t| t.token != access_token);
    for t in state
        .data
        .office
        .oauth_tokens
        .iter_mut()
        .filter(|t| t.access_token == access_token)
    {
        t.revoked = true;
    }
}

/// Whether an access token is alive (seeded tokens and minted ones alike).
pub fn token_alive(state: &State, access_token: &str) -> bool {
    state.token(access_token).is_some()
}

pub mod router;
#[cfg(test)]
mod tests;
