//! `POST /oauth/token` (authorization code with PKCE, refresh token, client credentials, and
//! Gumroad's device-code grant), `POST /oauth/revoke` (RFC 7009), `POST /oauth/introspect`
//! (RFC 7662) and `GET /oauth/token/info`, with Doorkeeper's answers.

use serde_json::json;

use super::{
    app_by_id, app_by_uid, authenticate, doorkeeper_text, mint_token, missing_param,
    revoke_access_token, scopes_valid, token_error, token_success, ClientAuth, OAuthRequest,
};
use crate::http::Resp;
use crate::routes::office::util::{base64url, sha256};
use crate::state::{now_unix, State};

pub const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

fn invalid(error: &str) -> Resp {
    token_error(error, doorkeeper_text(error))
}

pub fn token(state: &mut State, req: &OAuthRequest) -> Resp {
    match req.present("grant_type").as_deref() {
        None => token_error("invalid_request", &missing_param("grant_type")),
        Some("authorization_code") => authorization_code(state, req),
        Some("refresh_token") => refresh(state, req),
        Some("client_credentials") => client_credentials(state, req),
        Some(DEVICE_GRANT) => super::device::poll(state, req),
        Some(_) => invalid("unsupported_grant_type"),
    }
}

/// PKCE (RFC 7636): `S256` is BASE64URL(SHA256(verifier)) without padding.
pub fn pkce_matches(challenge: &str, method: Option<&str>, verifier: &str) -> bool {
    match method {
        Some("S256") => base64url(&sha256(verifier.as_bytes())) == challenge,
        Some("plain") => verifier == challenge,
        _ => false,
    }
}

fn client(state: &State, req: &OAuthRequest) -> Option<usize> {
    match authenticate(state, &req.credentials()) {
        ClientAuth::Ok(i) => Some(i),
        _ => None,
    }
}

/// `AuthorizationCodeRequest`: params, client, grant, redirect URI, verifier, in that order.
fn authorization_code(state: &mut State, req: &OAuthRequest) -> Resp {
    let code = req.text("code");
    let grant = state
        .data
        .office
        .oauth_grants
        .iter()
        .position(|g| !code.is_empty() && g.code == code);
    let verifier = req.present("code_verifier");
    let redirect_uri = req.text("redirect_uri");
    let uses_pkce = grant
        .and_then(|i| state.data.office.oauth_grants.get(i))
        .is_some_and(|g| g.code_challenge.is_some());
    if uses_pkce && verifier.is_none() {
        return token_error("invalid_request", &missing_param("code_verifier"));
    }
    if redirect_uri.trim().is_empty() {
        return token_error("invalid_request", &missing_param("redirect_uri"));
    }
    let Some(client) = client(state, req) else {
        return invalid("invalid_client");
    };
    let client_uid = state.data.office.oauth_apps[client].uid.clone();
    let Some(gi) = grant else {
        return invalid("invalid_grant");
    };
    let g = &state.data.office.oauth_grants[gi];
    let alive = !g.revoked && now_unix() < g.created_at + g.expires_in;
    if g.app_uid != client_uid || !alive {
        return invalid("invalid_grant");
    }
    if g.redirect_uri != redirect_uri {
        return invalid("invalid_grant");
    }
    let verified = match (&g.code_challenge, &verifier) {
        (None, None) => true,
        (Some(c), Some(v)) => pkce_matches(c, g.code_challenge_method.as_deref(), v),
        // A verifier for a code issued without a challenge cannot be checked: refused.
        _ => false,
    };
    if !verified {
        return invalid("invalid_grant");
    }
    let (seller, scopes) = (g.seller_id.clone(), g.scopes.clone());
    state.data.office.oauth_grants[gi].revoked = true;
    let t = mint_token(state, &client_uid, Some(&seller), &scopes, true);
    token_success(&t)
}

/// `RefreshTokenRequest`. The old pair is revoked at once (Doorkeeper's default revokes it on
/// use; unverified whether Gumroad waits for the new token's first use).
fn refresh(state: &mut State, req: &OAuthRequest) -> Resp {
    let Some(rt) = req.present("refresh_token") else {
        return token_error("invalid_request", &missing_param("refresh_token"));
    };
    let Some(ti) = state
        .data
        .office
        .oauth_tokens
        .iter()
        .position(|t| !t.revoked && t.refresh_token.as_deref() == Some(rt.as_str()))
    else {
        return invalid("invalid_grant");
    };
    let creds = req.credentials();
    let client = if creds.uid.trim().is_empty() {
        None
    } else {
        match authenticate(state, &creds) {
            ClientAuth::Ok(i) => Some(i),
            _ => return invalid("invalid_client"),
        }
    };
    let old = state.data.office.oauth_tokens[ti].clone();
    let same_client = client
        .and_then(|i| state.data.office.oauth_apps.get(i))
        .is_some_and(|a| a.uid == old.app_uid);
    if !same_client {
        return invalid("invalid_grant");
    }
    let scopes = match req.present("scope") {
        Some(s) => {
            let granted: Vec<&str> = old.scopes.split_whitespace().collect();
            if s.split_whitespace().any(|x| !granted.contains(&x)) {
                return invalid("invalid_scope");
            }
            s.split_whitespace().collect::<Vec<_>>().join(" ")
        }
        None => old.scopes.clone(),
    };
    revoke_access_token(state, &old.access_token);
    let t = mint_token(state, &old.app_uid, old.seller_id.as_deref(), &scopes, true);
    token_success(&t)
}

/// Client credentials: confidential clients only; the token has no resource owner, so `/v2`
/// refuses it (401) — Gumroad's exact answer there is unverified.
fn client_credentials(state: &mut State, req: &OAuthRequest) -> Resp {
    let Some(i) = client(state, req).filter(|&i| state.data.office.oauth_apps[i].confidential)
    else {
        return invalid("invalid_client");
    };
    let a = state.data.office.oauth_apps[i].clone();
    let scope = req.present("scope").unwrap_or_else(|| "view_public".into());
    if !scopes_valid(&scope, &a) {
        return invalid("invalid_scope");
    }
    let t = mint_token(state, &a.uid, None, &scope, false);
    token_success(&t)
}

/// A token found by `/oauth/revoke` or `/oauth/introspect`.
struct Found {
    access_token: String,
    app_uid: Option<String>,
    scopes: String,
    created_at: i64,
}

fn find_token(state: &State, token: &str, hint: Option<&str>) -> Option<Found> {
    let by_access = || {
        state.token(token).map(|t| {
            let minted = state
                .data
                .office
                .oauth_tokens
                .iter()
                .find(|o| o.access_token == token);
            Found {
                access_token: t.token.clone(),
                app_uid: app_by_id(state, &t.app_id).map(|a| a.uid.clone()),
                scopes: t.scopes.join(" "),
                created_at: minted.map(|o| o.created_at).unwrap_or(0),
            }
        })
    };
    let by_refresh = || {
        state
            .data
            .office
            .oauth_tokens
            .iter()
            .find(|o| !o.revoked && o.refresh_token.as_deref() == Some(token))
            .map(|o| Found {
                access_token: o.access_token.clone(),
                app_uid: Some(o.app_uid.clone()),
                scopes: o.scopes.clone(),
                created_at: o.created_at,
            })
    };
    if hint == Some("refresh_token") {
        by_refresh().or_else(by_access)
    } else {
        by_access().or_else(by_refresh)
    }
}

fn revocation_refused() -> Resp {
    Resp::json(
        403,
        json!({"error": "unauthorized_client", "error_description": "You are not authorized to revoke this token"}),
    )
}

/// `POST /oauth/revoke`: 200 `{}` for a revoked or unknown token; 403 when the client cannot
/// authenticate or the token belongs to another confidential application.
pub fn revoke(state: &mut State, req: &OAuthRequest) -> Resp {
    let Some(client) = client(state, req) else {
        return revocation_refused();
    };
    let Some(token) = req.present("token") else {
        return Resp::ok(json!({}));
    };
    let Some(found) = find_token(state, &token, req.present("token_type_hint").as_deref()) else {
        return Resp::ok(json!({}));
    };
    let owner = found.app_uid.as_deref().and_then(|u| app_by_uid(state, u));
    let authorized = match owner {
        Some(a) if a.confidential => state
            .data
            .office
            .oauth_apps
            .get(client)
            .is_some_and(|c| c.uid == a.uid),
        _ => true,
    };
    if !authorized {
        return revocation_refused();
    }
    revoke_access_token(state, &found.access_token);
    Resp::ok(json!({}))
}

/// `POST /oauth/introspect` (Doorkeeper's default, behaviour unverified on Gumroad): the caller
/// authenticates as a client or with a valid bearer token.
pub fn introspect(state: &mut State, req: &OAuthRequest) -> Resp {
    let bearer_ok = bearer(req).is_some_and(|t| super::token_alive(state, &t));
    if client(state, req).is_none() && !bearer_ok {
        return invalid("invalid_client");
    }
    let token = req.text("token");
    match find_token(state, &token, req.present("token_type_hint").as_deref())
        .filter(|f| super::token_alive(state, &f.access_token))
    {
        Some(f) => Resp::ok(json!({
            "active": true,
            "scope": f.scopes,
            "client_id": f.app_uid,
            "token_type": "Bearer",
            "iat": f.created_at,
        })),
        None => Resp::ok(json!({"active": false})),
    }
}

fn bearer(req: &OAuthRequest) -> Option<String> {
    let v = req.headers.get("authorization")?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

/// `GET /oauth/token/info`: Doorkeeper's token JSON, or 401 `invalid_token`.
pub fn info(state: &State, req: &OAuthRequest) -> Resp {
    let token = bearer(req).or_else(|| req.present("access_token"));
    let Some(t) = token.as_deref().and_then(|tok| state.token(tok)) else {
        return Resp::json(
            401,
            json!({"error": "invalid_token", "error_description": doorkeeper_text("invalid_token")}),
        )
        .header(
            "WWW-Authenticate",
            "Bearer realm=\"Doorkeeper\", error=\"invalid_token\", error_description=\"The access token is invalid\"",
        );
    };
    let owner: Option<u64> = state.seller(&t.seller_id).and_then(|s| s.id.parse().ok());
    let created = state
        .data
        .office
        .oauth_tokens
        .iter()
        .find(|o| o.access_token == t.token)
        .map(|o| o.created_at)
        .unwrap_or(0);
    Resp::ok(json!({
        "resource_owner_id": owner,
        "scope": t.scopes,
        "expires_in": null,
        "application": {"uid": app_by_id(state, &t.app_id).map(|a| a.uid.clone())},
        "created_at": created,
    }))
}
