//! Which OAuth handler answers a `/oauth/...` route.

use super::*;

/// `path` is what follows `/oauth` (e.g. `/token`).
pub fn handle(
    app: &App,
    method: &str,
    path: &str,
    params: &Params,
    headers: &::http::HeaderMap,
) -> Resp {
    let mut state = app.lock();
    state.host = headers
        .get("host")
        .and_then(|v| v.to_str().ok())
        .filter(|h| !h.is_empty())
        .unwrap_or(crate::state::DEFAULT_HOST)
        .to_string();
    let req = OAuthRequest { params, headers };
    // A consent page's "Deny" button posts `_method=delete`: the method override in
    // crate::dispatch (Rack::MethodOverride) has made it the DELETE by now.
    let path = path.strip_suffix(".json").unwrap_or(path);
    if !routes::routed(method, path) {
        return Resp::route_not_found();
    }
    match (method, path) {
        ("GET", "/authorize") => authorize::new(&mut state, &req),
        ("POST", "/authorize") => authorize::create(&mut state, &req),
        ("DELETE", "/authorize") => authorize::deny(&mut state, &req),
        ("GET", p) if p.starts_with("/authorize/") => {
            authorize::show_code(p.trim_start_matches("/authorize/"))
        }
        ("POST", "/token") => token::token(&mut state, &req),
        ("POST", "/revoke") => token::revoke(&mut state, &req),
        ("POST", "/introspect") => token::introspect(&mut state, &req),
        ("GET", "/token/info") => token::info(&state, &req),
        ("POST", "/device/code") => device::code(&mut state, &req),
        ("GET" | "HEAD", "/device") => device::show(&state, &req),
        ("POST", "/device") => device::decide(&mut state, &req),
        ("GET", "/applications") | ("GET", "/authorized_applications") => {
            pages::applications(&state, path)
        }
        ("GET", "/login") => pages::login(),
        ("GET", "/mobile_pre_authorization/new")
        | ("GET", "/mobile_pre_authorization/switch_account") => pages::first_party(),
        _ => Resp::route_not_found(),
    }
}
