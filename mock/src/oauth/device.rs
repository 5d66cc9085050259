//! Gumroad's device authorization grant: `POST /oauth/device/code`, the approval page
//! (`GET`/`POST /oauth/device`, no session needed in the mock) and the polling outcomes of
//! `POST /oauth/token` with `grant_type=urn:ietf:params:oauth:grant-type:device_code`.

use serde_json::json;

use super::pages::{escape, hidden, page, seller_select};
use super::{
    authenticate, mint_token, scope_description, token_alive, ClientAuth, Credentials, OAuthRequest,
};
use crate::http::Resp;
use crate::model_office::DeviceCode;
use crate::routes::office::util::random_string;
use crate::state::{now_millis, now_unix, State};

/// Device codes live 10 minutes.
pub const DEVICE_CODE_LIFETIME: i64 = 600;
/// User-code characters (upper-case letters and digits).
const USER_CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

fn json_error(status: u16, error: &str, description: &str) -> Resp {
    Resp::json(
        status,
        json!({"error": error, "error_description": description}),
    )
    .header("Cache-Control", "no-store")
}

/// Gumroad's client authentication for the device flow (its own texts, not Doorkeeper's).
fn device_client(state: &State, creds: &Credentials) -> Result<usize, Resp> {
    let basic = |r: Resp| {
        if creds.basic {
            r.header("WWW-Authenticate", "Basic realm=\"Doorkeeper\"")
        } else {
            r
        }
    };
    let i = match authenticate(state, creds) {
        ClientAuth::Missing => {
            return Err(json_error(400, "invalid_request", "client_id is required"))
        }
        ClientAuth::Unknown => {
            return Err(basic(json_error(
                401,
                "invalid_client",
                "Client authentication failed due to unknown client",
            )))
        }
        ClientAuth::BadSecret => {
            return Err(basic(json_error(
                401,
                "invalid_client",
                "Client authentication failed",
            )))
        }
        ClientAuth::Ok(i) => i,
    };
    if !state.data.office.oauth_apps[i].device_authorization_enabled {
        return Err(json_error(
            400,
            "unauthorized_client",
            "Client is not allowed to use device authorization",
        ));
    }
    Ok(i)
}

/// Upper case, letters and digits only (`grd7kq2m9xd` finds `GRD-7KQ2-M9XD`).
pub fn normalize_user_code(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// `POST /oauth/device/code`.
pub fn code(state: &mut State, req: &OAuthRequest) -> Resp {
    let app = match device_client(state, &req.credentials()) {
        Ok(i) => state.data.office.oauth_apps[i].clone(),
        Err(r) => return r,
    };
    let invalid_scope = || json_error(400, "invalid_scope", "The requested scope is invalid");
    let scopes = match req.params.get("scope") {
        None => app.scopes.clone(),
        Some(p) if !p.is_string() => return invalid_scope(),
        Some(p) => {
            let s = p.as_text();
            if s.trim().is_empty() {
                app.scopes.clone()
            } else {
                let allowed: Vec<&str> = app.scopes.split_whitespace().collect();
                if s.split_whitespace().any(|x| !allowed.contains(&x)) {
                    return invalid_scope();
                }
                s.split_whitespace().collect::<Vec<_>>().join(" ")
            }
        }
    };
    let device_code = state.new_secret(32);
    let raw = random_string(state, USER_CODE_ALPHABET, 8);
    let (a, b) = raw.split_at(raw.len() / 2);
    let user_code = format!("GRD-{a}-{b}");
    let interval = state.settings.device_interval;
    let now = now_unix();
    state.data.office.device_codes.push(DeviceCode {
        device_code: device_code.clone(),
        user_code: user_code.clone(),
        app_uid: app.uid.clone(),
        scopes,
        created_at: now,
        expires_at: now + DEVICE_CODE_LIFETIME,
        interval,
        last_polled_at_ms: None,
        status: "pending".into(),
        seller_id: None,
        access_token: None,
    });
    let verification_uri = format!("http://{}/oauth/device", state.host);
    Resp::ok(json!({
        "device_code": device_code,
        "user_code": user_code,
        "verification_uri": verification_uri,
        "verification_uri_complete": format!("{verification_uri}?user_code={user_code}"),
        "expires_in": DEVICE_CODE_LIFETIME,
        "interval": interval,
    }))
    .header("Cache-Control", "no-store, no-cache")
}

/// The token-endpoint poll: every outcome of Gumroad's table.
pub fn poll(state: &mut State, req: &OAuthRequest) -> Resp {
    let app_uid = match device_client(state, &req.credentials()) {
        Ok(i) => state.data.office.oauth_apps[i].uid.clone(),
        Err(r) => return r,
    };
    let Some(device_code) = req.present("device_code") else {
        return json_error(400, "invalid_request", "device_code is required");
    };
    let now = now_unix();
    let Some(i) = state.data.office.device_codes.iter().position(|d| {
        d.device_code == device_code
            && d.app_uid == app_uid
            && d.status != "consumed"
            && now < d.expires_at
    }) else {
        return json_error(400, "expired_token", "Device code is invalid or expired");
    };
    let denied = || json_error(400, "access_denied", "Access was denied");
    let d = state.data.office.device_codes[i].clone();
    match d.status.as_str() {
        "denied" => return denied(),
        "approved" => {
            // The seller may have revoked the token before the device fetched it.
            let Some(token) = d.access_token.filter(|t| token_alive(state, t)) else {
                return denied();
            };
            let Some(t) = state
                .data
                .office
                .oauth_tokens
                .iter()
                .find(|t| t.access_token == token)
                .cloned()
            else {
                return denied();
            };
            state.data.office.device_codes[i].status = "consumed".into();
            return super::token_success(&t);
        }
        _ => {}
    }
    let now_ms = now_millis();
    let too_soon = d
        .last_polled_at_ms
        .is_some_and(|last| now_ms - last < (d.interval as i64).saturating_mul(1000));
    state.data.office.device_codes[i].last_polled_at_ms = Some(now_ms);
    if too_soon {
        // Gumroad answers 10 s against its 5 s minimum; the mock doubles whatever interval
        // is configured (unverified beyond the default).
        return Resp::json(
            400,
            json!({"error": "slow_down", "error_description": "Polling too quickly", "interval": d.interval * 2}),
        )
        .header("Cache-Control", "no-store");
    }
    json_error(400, "authorization_pending", "Authorization is pending")
}

fn find_by_user_code(state: &State, code: &str) -> Option<usize> {
    let wanted = normalize_user_code(code);
    if wanted.is_empty() {
        return None;
    }
    state
        .data
        .office
        .device_codes
        .iter()
        .position(|d| normalize_user_code(&d.user_code) == wanted)
}

fn entry_form(user_code: &str, message: Option<&str>) -> String {
    let msg = message
        .map(|m| format!("<p class=\"error\">{}</p>", escape(m)))
        .unwrap_or_default();
    format!(
        "{msg}<form method=\"post\" action=\"/oauth/device\"><label>Code <input name=\"user_code\" value=\"{}\" autocomplete=\"off\"></label><button name=\"decision\" value=\"approve\">Authorize</button><button name=\"decision\" value=\"deny\">Deny</button></form>",
        escape(user_code)
    )
}

/// `GET /oauth/device[?user_code=]`: the code entry or the approval form.
pub fn page_for(state: &State, user_code: Option<&str>) -> Resp {
    let Some(code) = user_code.filter(|c| !c.trim().is_empty()) else {
        return page(200, "Connect a device", &entry_form("", None));
    };
    let now = now_unix();
    let found = find_by_user_code(state, code)
        .and_then(|i| state.data.office.device_codes.get(i))
        .filter(|d| d.status == "pending" && now < d.expires_at);
    let Some(d) = found else {
        return page(
            200,
            "Connect a device",
            &entry_form(code, Some("This code is invalid or expired.")),
        );
    };
    let app_name = super::app_by_uid(state, &d.app_uid)
        .map(|a| a.name.clone())
        .unwrap_or_default();
    let scopes: String = d
        .scopes
        .split_whitespace()
        .map(|s| {
            format!(
                "<li><code>{}</code> {}</li>",
                escape(s),
                escape(scope_description(s))
            )
        })
        .collect();
    let body = format!(
        "<p><strong>{}</strong> wants to access your Gumroad account with code <code>{}</code>.</p><ul>{scopes}</ul><form method=\"post\" action=\"/oauth/device\">{}{}<button name=\"decision\" value=\"approve\">Authorize</button><button name=\"decision\" value=\"deny\">Deny</button></form>",
        escape(&app_name),
        escape(&d.user_code),
        hidden("user_code", &d.user_code),
        seller_select(state, None),
    );
    page(200, "Authorize device", &body)
}

pub fn show(state: &State, req: &OAuthRequest) -> Resp {
    page_for(state, req.present("user_code").as_deref())
}

fn refused(message: &str) -> Resp {
    page(422, "Connect a device", &entry_form("", Some(message)))
}

/// `POST /oauth/device` with `user_code` and `decision=approve|deny` (and, in the mock, an
/// optional `seller_id`).
pub fn decide(state: &mut State, req: &OAuthRequest) -> Resp {
    let Some(i) = find_by_user_code(state, &req.text("user_code")) else {
        return refused("This code is invalid or expired.");
    };
    let d = state.data.office.device_codes[i].clone();
    if d.status != "pending" {
        return refused("This code is invalid.");
    }
    if now_unix() >= d.expires_at {
        return refused("This code has expired.");
    }
    match req.text("decision").as_str() {
        "approve" => {
            let seller = match super::resource_owner(state, req.present("seller_id")) {
                Ok(s) => s,
                Err(msg) => return refused(&msg),
            };
            let t = mint_token(state, &d.app_uid, Some(&seller), &d.scopes, true);
            let dc = &mut state.data.office.device_codes[i];
            dc.status = "approved".into();
            dc.seller_id = Some(seller);
            dc.access_token = Some(t.access_token);
            page(
                200,
                "Device connected",
                "<p>You can return to your terminal.</p>",
            )
        }
        "deny" => {
            state.data.office.device_codes[i].status = "denied".into();
            page(
                200,
                "Request denied",
                "<p>The device was not connected.</p>",
            )
        }
        _ => refused("Choose whether to authorize or deny this application."),
    }
}
