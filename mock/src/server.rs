//! HTTP plumbing: prefixes (direct `/v2`, Maton `/gumroad/v2`, control `/__mock`), auth, CORS,
//! request log.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::{HeaderMap, Request, Response};
use serde_json::{json, Value};

use crate::control;
use crate::faults::Dice;
use crate::http::{Param, Params, Resp};
use crate::rack;
use crate::routes::{self, ApiRequest};
use crate::state::{Caller, LogEntry, State};

/// Bodies above this are refused (413), so a hostile client cannot exhaust memory. `PUT`s to
/// the S3 stand-in get the part size (or the reserved blob size) instead.
const MAX_BODY: usize = 1 << 20;

/// Where the S3 stand-in lives (presigned part URLs, direct uploads, stored objects).
const S3_PREFIX: &str = "/__s3/";

/// The request's `Host`, for absolute URLs the mock hands out.
fn host_of(headers: &HeaderMap) -> String {
    headers
        .get("host")
        .and_then(|v| v.to_str().ok())
        .filter(|h| !h.is_empty())
        .unwrap_or(crate::state::DEFAULT_HOST)
        .to_string()
}

pub struct App {
    pub state: Mutex<State>,
    /// Multiplies Gumroad's webhook retry delays (60/180/600 s).
    pub webhook_retry_scale: f64,
    /// Accept loopback `post_url`s (Gumroad refuses them).
    pub allow_loopback_webhooks: bool,
    /// Probability of a random fault (503, 429 or dropped connection) on every API request.
    pub fault_rate: f64,
    pub dice: Mutex<Dice>,
}

pub type Shared = Arc<App>;

/// The client's address (for the throttles' `remote_ip`), set by the accept loop.
#[derive(Clone, Debug)]
pub struct PeerIp(pub String);

/// Returned by the service to make hyper close the connection without an answer.
#[derive(Debug)]
pub struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for Dropped {}

pub struct Settings {
    pub webhook_retry_scale: f64,
    pub allow_loopback_webhooks: bool,
    pub fault_rate: f64,
}

impl App {
    pub fn new(state: State, settings: Settings) -> Shared {
        Arc::new(App {
            state: Mutex::new(state),
            webhook_retry_scale: settings.webhook_retry_scale,
            allow_loopback_webhooks: settings.allow_loopback_webhooks,
            fault_rate: settings.fault_rate,
            dice: Mutex::new(Dice::new(0x5EED)),
        })
    }

    pub fn roll(&self) -> f64 {
        self.dice.lock().unwrap_or_else(|p| p.into_inner()).roll()
    }

    pub fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A handler that panicked leaves plain data behind; keep serving.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// What a fault decided before (or instead of) normal handling.
enum Plan {
    Normal,
    Replace(Resp),
    DropBefore,
    DropAfter,
    Truncate,
    NotJson,
}

fn api_path(path: &str) -> Option<&str> {
    path.strip_prefix("/gumroad/v2")
        .or_else(|| path.strip_prefix("/v2"))
}

/// Picks the fault for this request (explicit faults first, then the global rate).
fn plan(app: &App, method: &str, path: &str) -> (Plan, u64) {
    let Some(api) = api_path(path) else {
        return (Plan::Normal, 0);
    };
    let mut chosen = None;
    {
        let mut state = app.lock();
        for f in state.faults.iter_mut() {
            if !f.matches(method, api) || f.rate.is_some_and(|r| app.roll() >= r) {
                continue;
            }
            if let Some(t) = f.times.as_mut() {
                *t = t.saturating_sub(1);
            }
            chosen = Some(f.clone());
            break;
        }
    }
    let f = match chosen {
        Some(f) => f,
        None if app.fault_rate > 0.0 && app.roll() < app.fault_rate => {
            let kind = ["503", "429", "drop"][(app.roll() * 3.0) as usize % 3];
            crate::faults::Fault {
                kind: kind.into(),
                path: None,
                method: None,
                retry_after: None,
                latency_ms: None,
                times: None,
                rate: None,
            }
        }
        None => return (Plan::Normal, 0),
    };
    let latency = f.latency_ms.unwrap_or(0);
    let plan = match f.kind.as_str() {
        "429" => {
            let r = Resp::text(429, "Retry later");
            Plan::Replace(match f.retry_after {
                Some(s) => r.header("Retry-After", &s.to_string()),
                None => r,
            })
        }
        "500" | "502" | "503" => {
            let status = f.kind.parse().unwrap_or(500);
            Plan::Replace(Resp::json(
                status,
                json!({"success": false, "message": "Something broke. We're looking into what happened. Sorry about this!"}),
            ))
        }
        "html" => Plan::Replace(Resp::html(
            502,
            "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>",
        )),
        "401" => Plan::Replace(Resp::unauthorized()),
        "403" => Plan::Replace(Resp::forbidden()),
        "drop" => Plan::DropBefore,
        "drop_after" => Plan::DropAfter,
        "truncate" => Plan::Truncate,
        "not_json" => Plan::NotJson,
        _ => Plan::Normal,
    };
    (plan, latency)
}

pub async fn handle(app: Shared, req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Dropped> {
    let method = req.method().as_str().to_string();
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or_default().to_string();
    let headers = req.headers().clone();
    let peer_ip = req.extensions().get::<PeerIp>().map(|p| p.0.clone());
    let s3_put = method == "PUT" && path.starts_with(S3_PREFIX);
    // Only the S3 stand-in takes big bodies (a part, or a reserved direct upload).
    let limit = match path.strip_prefix(S3_PREFIX) {
        Some(rest) if s3_put => {
            crate::routes::office::s3::body_limit(&app.lock(), rest, &query).max(MAX_BODY)
        }
        _ => MAX_BODY,
    };
    let body = match Limited::new(req.into_body(), limit).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) if s3_put => {
            return Ok(finish(
                crate::routes::office::s3::entity_too_large(),
                &headers,
            ))
        }
        Err(_) => {
            return Ok(finish(
                Resp::text(413, "Request Entity Too Large"),
                &headers,
            ))
        }
    };
    // Rack::MethodOverride runs before the router and Rack::Attack, so both see the method a
    // POST form's `_method` names (the mock's own `/__` routes are not Rails).
    let wire_method = method;
    let method = if path.starts_with("/__") {
        wire_method.clone()
    } else {
        overridden_method(&wire_method, &headers, &body)
    };
    // Rails routes HEAD to the GET route (Rack::Head drops the body; hyper sends none for HEAD).
    let routed = if method == "HEAD" {
        "GET"
    } else {
        method.as_str()
    };
    let (plan, latency) = if method == "OPTIONS" {
        (Plan::Normal, 0)
    } else {
        plan(&app, routed, &path)
    };
    if latency > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(latency)).await;
    }
    // Rack::Attack answers before the app (an injected fault stands in front of both).
    let throttled = match &plan {
        Plan::Replace(_) | Plan::DropBefore => None,
        _ if method == "OPTIONS" || path.starts_with("/__") => None,
        _ => {
            let mut state = app.lock();
            if state.settings.throttle {
                let t = crate::throttle::ThrottleRequest::new(
                    routed, &path, &query, &headers, &body, peer_ip,
                );
                state.throttle_counts.check(&t, crate::throttle::now_secs())
            } else {
                None
            }
        }
    };
    let mut resp = match (&plan, throttled) {
        (_, Some(r)) => r,
        (Plan::Replace(r), _) => r.clone(),
        (Plan::DropBefore, _) => Resp::empty(0),
        _ => crate::http::negotiate_not_found(
            route(&app, &wire_method, routed, &path, &query, &headers, &body),
            &path,
            headers.get("accept").and_then(|v| v.to_str().ok()),
        ),
    };
    match plan {
        Plan::Truncate => {
            let keep = resp.body.len() / 2;
            resp.body.truncate(keep);
        }
        Plan::NotJson => {
            resp = Resp::text(200, "upstream answered with something that is not JSON")
        }
        _ => {}
    }
    let dropped = matches!(plan, Plan::DropBefore | Plan::DropAfter);
    if !path.starts_with("/__mock") && method != "OPTIONS" {
        app.lock().record(LogEntry {
            seq: 0,
            method: method.clone(),
            path: path.clone(),
            query: mask_query(&query),
            headers: masked_headers(&headers),
            // Upload bodies can be 100 MiB of binary: the log keeps their size only.
            body: if path.starts_with(S3_PREFIX) && !body.is_empty() {
                format!("<{} bytes>", body.len())
            } else {
                mask_query(&String::from_utf8_lossy(&body))
            },
            status: if dropped { 0 } else { resp.status },
        });
    }
    crate::webhooks::flush(&app);
    if dropped {
        return Err(Dropped);
    }
    Ok(finish(resp, &headers))
}

/// Routes a request as `method` (after the method override, HEAD as GET). `wire_method` is
/// the one on the wire, which decides whether a body without a type is a form.
fn route(
    app: &App,
    wire_method: &str,
    method: &str,
    path: &str,
    query: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Resp {
    if method == "OPTIONS" {
        return Resp::empty(204);
    }
    if let Some(rest) = path.strip_prefix("/__mock") {
        return control::handle(app, method, rest, query, body);
    }
    if let Some(rest) = path.strip_prefix(S3_PREFIX) {
        let mut state = app.lock();
        state.host = host_of(headers);
        return crate::routes::office::s3::handle(&mut state, method, rest, query, headers, body);
    }
    let params = match parse_params(wire_method, query, headers, body) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let (api_path, maton) = if let Some(rest) = path.strip_prefix("/gumroad/v2") {
        (rest, true)
    } else if let Some(rest) = path.strip_prefix("/v2") {
        (rest, false)
    } else if path == "/" || path.is_empty() {
        return Resp::ok(
            json!({"service": "gumroad-mock", "api": "/v2", "maton": "/gumroad/v2", "control": "/__mock"}),
        );
    } else if let Some(rest) = path.strip_prefix("/oauth") {
        return crate::oauth::handle(app, method, rest, &params, headers);
    } else if let Some(rest) = path.strip_prefix("/connections") {
        let host = headers
            .get("host")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("127.0.0.1");
        return crate::maton::connections(app, method, rest, &params, bearer(headers), host);
    } else {
        return Resp::route_not_found();
    };
    let mut segments: Vec<String> = api_path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(crate::urlenc::decode_path_segment)
        .collect();
    // Rails routes take an optional format suffix (`/v2/products.json`).
    if let Some(last) = segments.last_mut() {
        if let Some(stem) = last.strip_suffix(".json").filter(|s| !s.is_empty()) {
            *last = stem.to_string();
        }
    }

    let mut state = app.lock();
    state.host = host_of(headers);
    // The Gumhead gateway reads the Authorization header only.
    let header_only = segments.first().is_some_and(|s| s == "gumhead");
    let caller = if maton {
        match maton_caller(&state, headers) {
            Ok(c) => Ok(Some(c)),
            Err(r) => return r,
        }
    } else if header_only {
        direct_caller(&state, headers, &Params::default())
    } else {
        direct_caller(&state, headers, &params)
    };
    let req = ApiRequest {
        method,
        segments,
        params,
        caller,
        allow_loopback_webhooks: app.allow_loopback_webhooks,
    };
    routes::dispatch(&mut state, &req)
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let v = headers.get("authorization")?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

/// Doorkeeper's lookup: Bearer header, then `access_token`, then `bearer_token` param.
fn direct_caller(
    state: &State,
    headers: &HeaderMap,
    params: &Params,
) -> Result<Option<Caller>, ()> {
    let token = bearer(headers)
        .or_else(|| params.text("access_token"))
        .or_else(|| params.text("bearer_token"));
    let Some(token) = token else {
        return Ok(None);
    };
    state
        .data
        .tokens
        .iter()
        .find(|t| t.token == token)
        .map(|t| {
            Some(Caller {
                seller_id: t.seller_id.clone(),
                scopes: t.scopes.clone(),
                app_id: t.app_id.clone(),
            })
        })
        .ok_or(())
}

/// Maton: the key authenticates; `Maton-Connection` (or the oldest active connection) picks the
/// Gumroad account, whose grant carries every scope.
fn maton_caller(state: &State, headers: &HeaderMap) -> Result<Caller, Resp> {
    let unauthorized = || {
        Resp::json(
            401,
            json!({"error": {"code": 401, "message": "Invalid or missing Maton API key."}}),
        )
    };
    let key = bearer(headers).ok_or_else(unauthorized)?;
    let mk = state
        .data
        .maton_keys
        .iter()
        .find(|k| k.key == key)
        .ok_or_else(unauthorized)?;
    let wanted = headers
        .get("maton-connection")
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    let mut active: Vec<_> = mk
        .connections
        .iter()
        .filter(|c| c.app == "gumroad" && c.status == "ACTIVE" && c.seller_id.is_some())
        .collect();
    active.sort_by(|a, b| a.creation_time.cmp(&b.creation_time));
    let conn = match wanted {
        Some(id) => active.into_iter().find(|c| c.connection_id == id).ok_or_else(|| {
            Resp::json(400, json!({"error": {"code": 400, "message": format!("Connection {id} not found or not active for app gumroad.")}}))
        })?,
        None => active.into_iter().next().ok_or_else(|| {
            Resp::json(400, json!({"error": {"code": 400, "message": "No active connection found for app gumroad. Create one at https://ctrl.maton.ai/connections."}}))
        })?,
    };
    Ok(Caller {
        seller_id: conn.seller_id.clone().unwrap_or_default(),
        scopes: crate::seed::ALL_SCOPES
            .iter()
            .map(|s| s.to_string())
            .collect(),
        app_id: format!("maton:{}", conn.connection_id),
    })
}

fn content_type(headers: &HeaderMap) -> &str {
    headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// Decoded `(key, value)` pairs of a query string or form body, for [`rack::nest`].
fn form_pairs(text: &str) -> Vec<(String, Value)> {
    crate::urlenc::parse_form(text)
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect()
}

/// The body's parameters as Rack reads them for `kind`, or the refusal Rails answers with.
fn body_params(
    kind: &rack::BodyKind,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<serde_json::Map<String, Value>, Resp> {
    let nested = match kind {
        rack::BodyKind::Form => rack::nest(form_pairs(&String::from_utf8_lossy(body))),
        rack::BodyKind::Multipart { boundary } => match rack::multipart_pairs(boundary, body) {
            Some(pairs) => rack::nest(pairs),
            None => return Ok(Default::default()),
        },
        rack::BodyKind::Json | rack::BodyKind::Unread => return Ok(Default::default()),
    };
    nested.map_err(|_| bad_request(headers))
}

/// `ActionController::BadRequest` (malformed parameters) as Gumroad's
/// `lib/catch_bad_request_errors.rb` answers it.
fn bad_request(headers: &HeaderMap) -> Resp {
    let wants_json = headers
        .get("accept")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json"));
    if wants_json {
        Resp::json(400, json!({"success": false}))
    } else {
        Resp::html(400, "")
    }
}

/// The method Rack::MethodOverride gives the request.
fn overridden_method(method: &str, headers: &HeaderMap, body: &[u8]) -> String {
    if method != "POST" {
        return method.to_string();
    }
    let kind = rack::body_kind(method, content_type(headers));
    // Unreadable parameters override nothing (Rack rescues them); the route then refuses them.
    let form = body_params(&kind, headers, body).unwrap_or_default();
    let header = headers
        .get("x-http-method-override")
        .and_then(|v| v.to_str().ok());
    rack::method_override(method, &kind, &form, header)
}

/// `params`: the body's parameters merged with the query's (the query wins), as Rails merges
/// them; a JSON body that is not an object is `_json`.
fn parse_params(
    wire_method: &str,
    query: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Params, Resp> {
    let query = rack::nest(form_pairs(query)).map_err(|_| bad_request(headers))?;
    let mut params = Params::default();
    if !body.is_empty() {
        let kind = rack::body_kind(wire_method, content_type(headers));
        if kind == rack::BodyKind::Json {
            match serde_json::from_slice::<Value>(body) {
                Ok(Value::Object(m)) => params.insert_json(m),
                Ok(other) => {
                    params.0.insert("_json".into(), Param::Json(other));
                }
                // Rails answers a JSON parse error with 400 and an HTML page.
                Err(_) => return Err(Resp::html(400, "<html><body>Bad Request</body></html>")),
            }
        } else {
            params.insert_nested(body_params(&kind, headers, body)?);
        }
    }
    params.insert_nested(query);
    Ok(params)
}

fn finish(resp: Resp, req_headers: &HeaderMap) -> Response<Full<Bytes>> {
    let mut b = Response::builder().status(resp.status);
    // CORS as api.gumroad.com sends it (any origin, GET/POST/PUT/DELETE, 2 h preflight cache).
    let allow_headers = req_headers
        .get("access-control-request-headers")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("*")
        .to_string();
    b = b
        .header("Access-Control-Allow-Origin", "*")
        .header("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE")
        .header("Access-Control-Allow-Headers", allow_headers)
        .header("Access-Control-Max-Age", "7200")
        .header("Cross-Origin-Resource-Policy", "cross-origin");
    // An answer may name its own exposed headers (the S3 stand-in exposes `ETag`).
    if !resp
        .headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("access-control-expose-headers"))
    {
        b = b.header("Access-Control-Expose-Headers", "Retry-After");
    }
    if let Some(ct) = resp.content_type {
        b = b.header("Content-Type", ct);
    }
    for (k, v) in &resp.headers {
        b = b.header(k.as_str(), v.as_str());
    }
    b.body(Full::new(Bytes::from(resp.body)))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}

/// Credentials masked in the request log (OAuth client secrets and refresh tokens included; codes
/// and PKCE verifiers stay visible, since tests check that a client sent them).
const SECRET_PARAMS: [&str; 4] = [
    "access_token",
    "bearer_token",
    "client_secret",
    "refresh_token",
];

/// Masks credential parameters in a query string or form body.
pub fn mask_query(q: &str) -> String {
    q.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if SECRET_PARAMS.contains(&k) => format!("{k}=***"),
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn masked_headers(h: &HeaderMap) -> Vec<(String, String)> {
    h.iter()
        .map(|(k, v)| {
            let name = k.as_str().to_ascii_lowercase();
            let value = if name == "authorization" {
                let v = v.to_str().unwrap_or_default();
                match v.split_once(' ') {
                    Some((scheme, _)) => format!("{scheme} ***"),
                    None => "***".to_string(),
                }
            } else {
                v.to_str().unwrap_or("<binary>").to_string()
            };
            (name, value)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_expose_their_own_headers_or_retry_after() {
        let req = HeaderMap::new();
        let s3 = finish(
            Resp::empty(200)
                .header("ETag", "\"x\"")
                .header("Access-Control-Expose-Headers", "ETag"),
            &req,
        );
        let exposed: Vec<_> = s3
            .headers()
            .get_all("access-control-expose-headers")
            .iter()
            .collect();
        assert_eq!(exposed, ["ETag"]);
        let api = finish(Resp::ok(json!({})), &req);
        assert_eq!(
            api.headers().get("access-control-expose-headers").unwrap(),
            "Retry-After"
        );
    }

    #[test]
    fn the_log_masks_oauth_secrets_and_hosts_default() {
        assert_eq!(
            mask_query("grant_type=refresh_token&refresh_token=abc&client_secret=s&code=c"),
            "grant_type=refresh_token&refresh_token=***&client_secret=***&code=c"
        );
        assert_eq!(host_of(&HeaderMap::new()), crate::state::DEFAULT_HOST);
        let mut h = HeaderMap::new();
        h.insert("host", "localhost:9999".parse().unwrap());
        assert_eq!(host_of(&h), "localhost:9999");
    }
}
