//! The core's request path, with no I/O: a host reads a request, asks [`prepare`] what faults
//! and latency stand in front of it, waits that long itself, and [`respond`]s with the time it
//! hands in. The answer comes back complete (CORS headers included) with the webhook pings the
//! request queued, for the host to deliver; a dropped connection is a flag the host acts on.
//! Prefixes: direct `/v2`, Maton `/gumroad/v2`, OAuth, Maton's connections, the control API
//! `/__mock` and the S3 stand-in `/__s3/`.

use ::http::HeaderMap;
use serde_json::{json, Value};

use crate::app::App;
use crate::control;
use crate::http::{Param, Params, Resp};
use crate::rack;
use crate::routes::{self, ApiRequest};
use crate::state::{Caller, LogEntry, State};
use crate::webhooks::Delivery;

/// Bodies above this are refused (413), so a hostile client cannot exhaust memory. `PUT`s to
/// the S3 stand-in get the part size (or the reserved blob size) instead.
pub const MAX_BODY: usize = 1 << 20;

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

/// A request as a host read it off the wire.
pub struct Request<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
    /// The client's address, for the throttles' `remote_ip`.
    pub peer_ip: Option<String>,
}

/// The body size a host may read for a request before refusing it with [`too_large`]: the S3
/// stand-in takes a part (or a reserved direct upload), everything else [`MAX_BODY`].
pub fn body_limit(app: &App, method: &str, path: &str, query: &str) -> usize {
    match path.strip_prefix(S3_PREFIX) {
        Some(rest) if method == "PUT" => {
            crate::routes::office::s3::body_limit(&app.lock(), rest, query).max(MAX_BODY)
        }
        _ => MAX_BODY,
    }
}

/// The answer to a body over [`body_limit`], complete.
pub fn too_large(method: &str, path: &str, headers: &HeaderMap) -> Resp {
    let resp = if method == "PUT" && path.starts_with(S3_PREFIX) {
        crate::routes::office::s3::entity_too_large()
    } else {
        Resp::text(413, "Request Entity Too Large")
    };
    finalize(resp, headers)
}

/// What stands in front of the app for one request: the method it is routed as, and the fault
/// chosen for it with its latency (which the host waits out before [`respond`]).
pub struct Prepared {
    /// The method after `Rack::MethodOverride` (HEAD stays HEAD: [`respond`] routes it as GET).
    method: String,
    plan: Plan,
    pub latency_ms: u64,
}

/// Picks the request's fault (explicit faults first, then the global rate), so its latency can
/// be waited out before the request is handled.
pub fn prepare(app: &App, req: &Request) -> Prepared {
    // Rack::MethodOverride runs before the router and Rack::Attack, so both see the method a
    // POST form's `_method` names (the mock's own `/__` routes are not Rails).
    let method = if req.path.starts_with("/__") {
        req.method.to_string()
    } else {
        overridden_method(req.method, req.headers, req.body)
    };
    // Only a preflight on the wire is the mock's 204 (a `_method` cannot make one).
    let (plan, latency_ms) = if req.method == "OPTIONS" {
        (Plan::Normal, 0)
    } else {
        plan(app, routed(&method), req.path)
    };
    Prepared {
        method,
        plan,
        latency_ms,
    }
}

/// Rails routes HEAD to the GET route (`Rack::Head` drops the body; hosts send none for HEAD).
fn routed(method: &str) -> &str {
    if method == "HEAD" {
        "GET"
    } else {
        method
    }
}

/// What a request came to: the complete answer, whether the connection is to be dropped
/// instead of answered, and the webhook pings to deliver.
pub struct Outcome {
    pub resp: Resp,
    pub dropped: bool,
    pub deliveries: Vec<Delivery>,
}

/// Handles a prepared request at `now_ms` (milliseconds since the Unix epoch).
pub fn respond(app: &App, req: &Request, prepared: Prepared, now_ms: i64) -> Outcome {
    crate::clock::at(now_ms, || respond_now(app, req, prepared))
}

fn respond_now(app: &App, req: &Request, prepared: Prepared) -> Outcome {
    let Prepared { method, plan, .. } = prepared;
    let routed = routed(&method);
    let (path, query, headers, body) = (req.path, req.query, req.headers, req.body);
    // Rack::Attack answers before the app (an injected fault stands in front of both).
    let throttled = match &plan {
        Plan::Replace(_) | Plan::DropBefore => None,
        _ if req.method == "OPTIONS" || path.starts_with("/__") => None,
        _ => {
            let mut state = app.lock();
            if state.settings.throttle {
                // Rack::Attack runs after the method override and before the router: it sees
                // HEAD as HEAD.
                let kind = rack::body_kind(req.method, content_type(headers));
                let t = crate::throttle::ThrottleRequest::new(
                    &method,
                    path,
                    query,
                    headers,
                    body,
                    &kind,
                    req.peer_ip.clone(),
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
            route(app, req.method, routed, path, query, headers, body),
            path,
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
    let mut state = app.lock();
    // Rack::Head drops the body of a HEAD, whether the wire or a `_method` said HEAD. A HEAD
    // on the wire still says how long the GET answer is (RFC 9110 §9.3.2).
    if method == "HEAD" {
        if req.method == "HEAD" {
            resp.headers
                .push(("Content-Length".into(), resp.body.len().to_string()));
        }
        resp.body.clear();
    }
    if !path.starts_with("/__mock") && req.method != "OPTIONS" {
        state.record(LogEntry {
            seq: 0,
            method: method.clone(),
            path: path.to_string(),
            query: mask_query(query),
            headers: masked_headers(headers),
            // Upload bodies can be 100 MiB of binary: the log keeps their size only. A
            // multipart body can carry a token in a part: the log keeps its size only too.
            body: if path.starts_with(S3_PREFIX) && !body.is_empty() {
                format!("<{} bytes>", body.len())
            } else if matches!(
                rack::body_kind(req.method, content_type(headers)),
                rack::BodyKind::Multipart { .. }
            ) {
                format!("<multipart, {} bytes>", body.len())
            } else {
                mask_query(&String::from_utf8_lossy(body))
            },
            status: if dropped { 0 } else { resp.status },
        });
    }
    let deliveries = std::mem::take(&mut state.outbox);
    Outcome {
        resp: finalize(resp, headers),
        dropped,
        deliveries,
    }
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
    if wire_method == "OPTIONS" {
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
        return crate::oauth::router::handle(app, method, rest, &params, headers);
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
    routes::router::dispatch(&mut state, &req)
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
        .token(&token)
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

/// The answer as it goes out: CORS as api.gumroad.com sends it (any origin,
/// GET/POST/PUT/DELETE, 2 h preflight cache), then the content type and the answer's own
/// headers.
pub fn finalize(resp: Resp, req_headers: &HeaderMap) -> Resp {
    let allow_headers = req_headers
        .get("access-control-request-headers")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("*")
        .to_string();
    let mut headers: Vec<(String, String)> = vec![
        ("Access-Control-Allow-Origin".into(), "*".into()),
        (
            "Access-Control-Allow-Methods".into(),
            "GET, POST, PUT, DELETE".into(),
        ),
        ("Access-Control-Allow-Headers".into(), allow_headers),
        ("Access-Control-Max-Age".into(), "7200".into()),
        ("Cross-Origin-Resource-Policy".into(), "cross-origin".into()),
    ];
    // An answer may name its own exposed headers (the S3 stand-in exposes `ETag`).
    if !resp
        .headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("access-control-expose-headers"))
    {
        headers.push(("Access-Control-Expose-Headers".into(), "Retry-After".into()));
    }
    if let Some(ct) = resp.content_type {
        headers.push(("Content-Type".into(), ct.into()));
    }
    headers.extend(resp.headers);
    Resp {
        status: resp.status,
        content_type: None,
        headers,
        body: resp.body,
    }
}

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
        let exposed = |r: Resp| -> Vec<String> {
            r.headers
                .iter()
                .filter(|(k, _)| k.eq_ignore_ascii_case("access-control-expose-headers"))
                .map(|(_, v)| v.clone())
                .collect()
        };
        let s3 = finalize(
            Resp::empty(200)
                .header("ETag", "\"x\"")
                .header("Access-Control-Expose-Headers", "ETag"),
            &req,
        );
        assert_eq!(exposed(s3), ["ETag"]);
        assert_eq!(
            exposed(finalize(Resp::ok(json!({})), &req)),
            ["Retry-After"]
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

    /// The core with no host: a request and a time in, the answer and the pings it queued out.
    #[test]
    fn the_core_answers_at_the_time_it_is_given_and_hands_back_its_pings() {
        let app = App::new(
            State::new(crate::seed::default_data()),
            crate::app::Settings {
                webhook_retry_scale: 1.0,
                allow_loopback_webhooks: false,
                fault_rate: 0.0,
            },
        );
        let json_headers = || {
            let mut h = HeaderMap::new();
            h.insert("content-type", "application/json".parse().unwrap());
            h.insert("authorization", "Bearer demo-token-full".parse().unwrap());
            h
        };
        let call = |method: &str, path: &str, body: &str, now_ms: i64| {
            let headers = json_headers();
            let req = Request {
                method,
                path,
                query: "",
                headers: &headers,
                body: body.as_bytes(),
                peer_ip: None,
            };
            let prepared = prepare(&app, &req);
            respond(&app, &req, prepared, now_ms)
        };
        let sub = call(
            "PUT",
            "/v2/resource_subscriptions",
            r#"{"resource_name":"sale","post_url":"https://hooks.example/ping"}"#,
            0,
        );
        assert_eq!(sub.resp.status, 200);
        assert!(sub.deliveries.is_empty());

        // 2030-01-01T00:00:00Z
        let at = 1_893_456_000_000;
        let sale = call(
            "POST",
            "/__mock/events",
            &format!(
                r#"{{"type":"sale","product_id":"{}"}}"#,
                crate::seed::P3_SKETCH
            ),
            at,
        );
        assert_eq!(sale.resp.status, 200);
        assert!(!sale.dropped);
        // The seed's own sale subscription, then the one made above.
        let urls: Vec<&str> = sale.deliveries.iter().map(|d| d.url.as_str()).collect();
        assert_eq!(
            urls,
            ["https://postatmebro.com", "https://hooks.example/ping"]
        );
        let ping = &sale.deliveries[1];
        assert_eq!(ping.resource_name, "sale");
        assert!(
            ping.body(0)
                .contains("sale_timestamp=2030-01-01T00%3A00%3A00Z"),
            "{}",
            ping.body(0)
        );
        assert!(!ping.body(0).contains("retry_count"));
        assert!(ping.body(1).contains("&retry_count=1"));
        // Nothing is left queued for a host to find later.
        assert!(app.lock().outbox.is_empty());
    }
}
