//! `/oauth/authorize`: the consent page (GET), approval (POST) and denial (DELETE), as
//! Doorkeeper's `AuthorizationsController` with Gumroad's default `response_type=code`.

use serde_json::json;

use super::pages::{escape, hidden, page, seller_select};
use super::{doorkeeper_status, doorkeeper_text, missing_param, scope_description, OAuthRequest};
use crate::http::Resp;
use crate::model_office::OAuthGrant;
use crate::state::{now_unix, State};

/// Authorization codes live 10 minutes.
pub const CODE_LIFETIME: i64 = 600;

pub struct PreAuth {
    pub app: usize,
    pub redirect_uri: String,
    pub scope: String,
    pub state: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
}

pub struct PreAuthError {
    pub error: &'static str,
    pub description: String,
    /// Where the error may be sent back (`None`: shown on the page / as JSON instead).
    pub redirect_uri: Option<String>,
    pub state: Option<String>,
}

/// Doorkeeper's redirect-URI check: an absolute URI without fragment equal to a registered one;
/// the request's query is ignored unless the registered URI has one.
pub fn redirect_uri_matches(uri: &str, registered: &[String]) -> bool {
    let Some((scheme, rest)) = uri.split_once("://") else {
        return false;
    };
    if scheme.is_empty() || rest.is_empty() || uri.contains('#') {
        return false;
    }
    let (base, query) = uri.split_once('?').unwrap_or((uri, ""));
    registered.iter().any(|r| match r.split_once('?') {
        None => r == base,
        Some((rbase, rquery)) => {
            let mut a: Vec<&str> = rquery.split('&').collect();
            let mut b: Vec<&str> = query.split('&').collect();
            a.sort_unstable();
            b.sort_unstable();
            rbase == base && a == b
        }
    })
}

/// `PreAuthorization#valid?` in Doorkeeper 5.7's order.
pub fn pre_authorize(state: &State, req: &OAuthRequest) -> Result<PreAuth, PreAuthError> {
    let fail = |error: &'static str, description: String| PreAuthError {
        error,
        description,
        redirect_uri: None,
        state: None,
    };
    let Some(client_id) = req.present("client_id") else {
        return Err(fail("invalid_request", missing_param("client_id")));
    };
    let Some(app) = state
        .data
        .office
        .oauth_apps
        .iter()
        .position(|a| a.uid == client_id)
    else {
        return Err(fail(
            "invalid_client",
            doorkeeper_text("invalid_client").into(),
        ));
    };
    let a = &state.data.office.oauth_apps[app];
    let redirect_uri = req.text("redirect_uri");
    if redirect_uri.trim().is_empty() || !redirect_uri_matches(&redirect_uri, &a.redirect_uris) {
        return Err(fail(
            "invalid_redirect_uri",
            doorkeeper_text("invalid_redirect_uri").into(),
        ));
    }
    let st = req.present("state");
    let back = |error: &'static str, description: String| PreAuthError {
        error,
        description,
        redirect_uri: Some(redirect_uri.clone()),
        state: st.clone(),
    };
    let response_type = req
        .present("response_type")
        .unwrap_or_else(|| "code".into());
    if response_type != "code" {
        return Err(back(
            "unsupported_response_type",
            doorkeeper_text("unsupported_response_type").into(),
        ));
    }
    let scope = req.present("scope").unwrap_or_else(|| {
        // Doorkeeper's default scopes, limited to what the application may request.
        if a.scopes.split_whitespace().any(|s| s == "view_public") {
            "view_public".into()
        } else {
            String::new()
        }
    });
    if !super::scopes_valid(&scope, a) {
        return Err(back(
            "invalid_scope",
            doorkeeper_text("invalid_scope").into(),
        ));
    }
    let code_challenge = req.present("code_challenge");
    let method = req.present("code_challenge_method");
    if code_challenge.is_some() && !matches!(method.as_deref(), Some("plain") | Some("S256")) {
        return Err(back(
            "invalid_code_challenge_method",
            doorkeeper_text("invalid_code_challenge_method").into(),
        ));
    }
    Ok(PreAuth {
        app,
        redirect_uri: redirect_uri.clone(),
        scope: scope.split_whitespace().collect::<Vec<_>>().join(" "),
        state: st,
        code_challenge,
        code_challenge_method: method,
    })
}

/// `uri` with `pairs` added to its query (Doorkeeper's `uri_with_query`; empty values dropped).
pub fn with_query(uri: &str, pairs: &[(&str, Option<&str>)]) -> String {
    let q: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| {
            v.filter(|v| !v.is_empty())
                .map(|v| format!("{}={}", crate::urlenc::encode(k), crate::urlenc::encode(v)))
        })
        .collect();
    let sep = if uri.contains('?') { '&' } else { '?' };
    format!("{uri}{sep}{}", q.join("&"))
}

fn redirect(to: &str) -> Resp {
    Resp::empty(302)
        .header("Location", to)
        .header("Cache-Control", "no-store")
}

/// POST/DELETE with an invalid request: back to the client when Doorkeeper may redirect
/// there, otherwise its JSON error.
fn error_answer(e: PreAuthError) -> Resp {
    match &e.redirect_uri {
        Some(uri) => redirect(&with_query(
            uri,
            &[
                ("error", Some(e.error)),
                ("error_description", Some(&e.description)),
                ("state", e.state.as_deref()),
            ],
        )),
        None => Resp::json(
            doorkeeper_status(e.error),
            json!({"error": e.error, "error_description": e.description}),
        ),
    }
}

/// `GET /oauth/authorize`: the consent page, or Doorkeeper's error page.
pub fn new(state: &mut State, req: &OAuthRequest) -> Resp {
    let pre = match pre_authorize(state, req) {
        Ok(p) => p,
        Err(e) => {
            return page(
                doorkeeper_status(e.error),
                "An error has occurred",
                &format!(
                    "<p class=\"error\">{}</p><pre>{}</pre>",
                    escape(e.error),
                    escape(&e.description)
                ),
            )
        }
    };
    let a = &state.data.office.oauth_apps[pre.app];
    let scopes: String = pre
        .scope
        .split_whitespace()
        .map(|s| {
            format!(
                "<li><code>{}</code> {}</li>",
                escape(s),
                escape(scope_description(s))
            )
        })
        .collect();
    let mut fields = vec![
        hidden("client_id", &a.uid),
        hidden("redirect_uri", &pre.redirect_uri),
        hidden("response_type", "code"),
        hidden("scope", &pre.scope),
    ];
    if let Some(s) = &pre.state {
        fields.push(hidden("state", s));
    }
    if let (Some(c), Some(m)) = (&pre.code_challenge, &pre.code_challenge_method) {
        fields.push(hidden("code_challenge", c));
        fields.push(hidden("code_challenge_method", m));
    }
    let fields = fields.join("");
    let selected = req.present("seller_id");
    let body = format!(
        "<p>Authorize <strong>{}</strong> to use your account?</p>\n<p>This application will be able to:</p><ul>{scopes}</ul>\n<form method=\"post\" action=\"/oauth/authorize\" id=\"approve\">{fields}{}<button type=\"submit\">Authorize</button></form>\n<form method=\"post\" action=\"/oauth/authorize\" id=\"deny\">{fields}{}<button type=\"submit\">Deny</button></form>",
        escape(&a.name),
        seller_select(state, selected.as_deref()),
        hidden("_method", "delete"),
    );
    page(200, "Authorization required", &body)
}

/// `POST /oauth/authorize`: approve; 302 to the redirect URI with `code` and `state`.
pub fn create(state: &mut State, req: &OAuthRequest) -> Resp {
    let pre = match pre_authorize(state, req) {
        Ok(p) => p,
        Err(e) => return error_answer(e),
    };
    let seller = match super::resource_owner(state, req.present("seller_id")) {
        Ok(s) => s,
        Err(msg) => {
            return Resp::json(
                400,
                json!({"error": "invalid_request", "error_description": msg}),
            )
        }
    };
    let code = state.new_secret(32);
    let app_uid = state.data.office.oauth_apps[pre.app].uid.clone();
    state.data.office.oauth_grants.push(OAuthGrant {
        code: code.clone(),
        app_uid,
        seller_id: seller,
        scopes: pre.scope,
        redirect_uri: pre.redirect_uri.clone(),
        code_challenge: pre.code_challenge,
        code_challenge_method: pre.code_challenge_method,
        created_at: now_unix(),
        expires_in: CODE_LIFETIME,
        revoked: false,
    });
    redirect(&with_query(
        &pre.redirect_uri,
        &[("code", Some(&code)), ("state", pre.state.as_deref())],
    ))
}

/// `DELETE /oauth/authorize` (or a POST with `_method=delete`): the user said no.
pub fn deny(state: &mut State, req: &OAuthRequest) -> Resp {
    match pre_authorize(state, req) {
        Ok(pre) => redirect(&with_query(
            &pre.redirect_uri,
            &[
                ("error", Some("access_denied")),
                ("error_description", Some(doorkeeper_text("access_denied"))),
                ("state", pre.state.as_deref()),
            ],
        )),
        Err(e) => error_answer(e),
    }
}

/// `GET /oauth/authorize/:code`: Doorkeeper's out-of-band code display.
pub fn show_code(code: &str) -> Resp {
    let code = crate::urlenc::decode_path_segment(code);
    page(
        200,
        "Authorization code",
        &format!("<code id=\"authorization_code\">{}</code>", escape(&code)),
    )
}
