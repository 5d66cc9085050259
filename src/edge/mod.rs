//! The license server on Cloudflare Workers (wasm only). This file is the front: routing,
//! origin checks, rate limits and the way every answer is built. The license routes are in
//! `licenses.rs`, the seller's in `admin.rs`, Gumroad's pings in `ping.rs`. Everything that
//! changes a license's seats happens in its `LicenseLedger` Durable Object (`ledger.rs`), one
//! request at a time. Decisions live in `core::worker`, `core::ledger` and `core::license`.

mod admin;
mod body;
mod cache;
mod ledger;
mod licenses;
mod ping;
mod platform;
mod token;
mod upstream;

use std::cell::RefCell;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use web_sys::{Headers, Request, RequestInit, Response, ResponseInit};

use crate::core::oauth::base64url;
use crate::core::worker::{error_body, WorkerConfig, WorkerError, MISCONFIGURED_MESSAGE};
use ledger::LedgerReply;
use platform::{get, get_str, log};

pub use ledger::ledger_fetch;

/// `export default { fetch: handleRequest }`: answers every request with a `Response`; it never
/// rejects, so workerd never shows its own error page.
#[wasm_bindgen(js_name = handleRequest, unchecked_return_type = "Promise<Response>")]
pub fn handle_request(
    request: Request,
    #[wasm_bindgen(unchecked_param_type = "Record<string, unknown>")] env: JsValue,
    #[wasm_bindgen(unchecked_param_type = "unknown")] ctx: JsValue,
) -> Promise {
    future_to_promise(async move {
        let out = respond(request, env, ctx).await;
        Ok(out.map(JsValue::from).unwrap_or(JsValue::NULL))
    })
}

struct Reply {
    status: u16,
    body: String,
    headers: Vec<(&'static str, String)>,
}

impl Reply {
    fn json(status: u16, body: String) -> Self {
        Reply {
            status,
            body,
            headers: vec![],
        }
    }

    fn error(e: WorkerError) -> Self {
        let mut r = Reply::json(e.status(), e.body());
        if e == WorkerError::Unauthorized {
            r.headers.push(("WWW-Authenticate", "Bearer".into()));
        }
        r
    }

    fn misconfigured(detail: &str) -> Self {
        log(detail);
        let mut r = Reply::json(500, error_body("misconfigured", MISCONFIGURED_MESSAGE));
        r.headers.push(("Retry-After", "60".into()));
        r
    }

    fn digest_unavailable() -> Self {
        Reply::misconfigured("crypto.subtle.digest unavailable")
    }

    fn retry_after(mut self, secs: u32) -> Self {
        self.headers.push(("Retry-After", int(secs.into())));
        self
    }

    fn from_ledger(l: LedgerReply) -> Self {
        let mut r = Reply::json(l.status, l.body);
        if let Some(s) = l.retry_after {
            r.headers.push(("Retry-After", int(s.into())));
        }
        r
    }
}

fn int(n: f64) -> String {
    crate::core::endpoints::int_text(n).unwrap_or_default()
}

/// Everything one request needs from its surroundings.
struct Front {
    cfg: WorkerConfig,
    env: JsValue,
    ctx: JsValue,
    /// The `iss` of tokens signed for this request: `LICENSE_ISSUER`, else this Worker's origin.
    issuer: String,
}

const LICENSE_ROUTES: [&str; 4] = [
    "/v1/licenses/verify",
    "/v1/licenses/activate",
    "/v1/licenses/deactivate",
    "/v1/licenses/instances",
];
const ADMIN_ROUTES: [&str; 3] = [
    "/v1/admin/licenses/instances",
    "/v1/admin/licenses/deactivate",
    "/v1/admin/licenses/unrevoke",
];
const PING_ROUTE: &str = "/v1/gumroad/ping";

async fn respond(request: Request, env: JsValue, ctx: JsValue) -> Option<Response> {
    let origin = request.headers().get("origin").ok().flatten();
    let reply = match WorkerConfig::from_lookup(|k| get_str(&env, k)) {
        Err(e) => Reply::misconfigured(&e.message),
        Ok(cfg) => {
            let cors = cfg.cors_origin(origin.as_deref());
            let issuer = cfg.issuer.clone().unwrap_or_else(|| {
                web_sys::Url::new(&request.url())
                    .map(|u| u.origin())
                    .unwrap_or_default()
            });
            let front = Front {
                cfg,
                env,
                ctx,
                issuer,
            };
            let mut r = route(&request, &front, origin.is_some(), cors.is_some()).await;
            if let Some(o) = cors {
                r.headers.push(("Access-Control-Allow-Origin", o));
                // Browsers hide these from pages unless exposed.
                r.headers.push((
                    "Access-Control-Expose-Headers",
                    "Retry-After, X-License-Cache".into(),
                ));
                r.headers.push(("Vary", "Origin".into()));
            }
            r
        }
    };
    build(reply)
}

fn build(reply: Reply) -> Option<Response> {
    let headers = Headers::new().ok()?;
    let _ = headers.set("Content-Type", "application/json; charset=utf-8");
    let _ = headers.set("Cache-Control", "no-store");
    let _ = headers.set("X-Content-Type-Options", "nosniff");
    for (k, v) in &reply.headers {
        let _ = headers.set(k, v);
    }
    let init = ResponseInit::new();
    init.set_status(reply.status);
    init.set_headers(&headers);
    let body = (reply.status != 204).then_some(reply.body.as_str());
    Response::new_with_opt_str_and_init(body, &init).ok()
}

async fn route(request: &Request, f: &Front, has_origin: bool, cors_ok: bool) -> Reply {
    let url = web_sys::Url::new(&request.url()).ok();
    let path = url.map(|u| u.pathname()).unwrap_or_default();
    let method = request.method();
    let post_route = LICENSE_ROUTES.contains(&path.as_str())
        || ADMIN_ROUTES.contains(&path.as_str())
        || path == PING_ROUTE;
    // A browser page from another site (a plain HTML form needs no preflight) is refused
    // before any work; servers send no Origin and are not affected.
    if post_route && path != PING_ROUTE && has_origin && !cors_ok {
        return Reply::error(WorkerError::OriginNotAllowed);
    }
    use licenses::Op;
    match (method.as_str(), path.as_str()) {
        ("OPTIONS", _) => {
            if !cors_ok {
                return Reply::error(WorkerError::OriginNotAllowed);
            }
            let mut r = Reply::json(204, String::new());
            r.headers
                .push(("Access-Control-Allow-Methods", "GET, POST, OPTIONS".into()));
            r.headers
                .push(("Access-Control-Allow-Headers", "Content-Type".into()));
            r.headers.push(("Access-Control-Max-Age", "86400".into()));
            r
        }
        ("GET", "/healthz") => Reply::json(200, "{\"ok\":true}".into()),
        ("GET", "/.well-known/jwks.json") => jwks(f).await,
        ("POST", "/v1/licenses/verify") => licenses::handle(request, f, Op::Verify).await,
        ("POST", "/v1/licenses/activate") => licenses::handle(request, f, Op::Activate).await,
        ("POST", "/v1/licenses/deactivate") => licenses::handle(request, f, Op::Deactivate).await,
        ("POST", "/v1/licenses/instances") => licenses::handle(request, f, Op::Instances).await,
        ("POST", PING_ROUTE) => ping::handle(request, f).await,
        ("POST", p) if ADMIN_ROUTES.contains(&p) => admin::handle(request, f, p).await,
        (_, p) if post_route || p == "/healthz" || p == "/.well-known/jwks.json" => {
            let mut r = Reply::error(WorkerError::MethodNotAllowed);
            let allow = if p.starts_with("/v1/") {
                "POST, OPTIONS"
            } else {
                "GET"
            };
            r.headers.push(("Allow", allow.into()));
            r
        }
        _ => Reply::error(WorkerError::NotFound),
    }
}

async fn jwks(f: &Front) -> Reply {
    match token::jwks(&f.cfg).await {
        Ok(Some(keys)) => {
            let mut r = Reply::json(200, keys);
            // Public, and changes only when keys are rotated.
            r.headers.push(("Access-Control-Allow-Origin", "*".into()));
            r
        }
        Ok(None) => Reply::error(WorkerError::NotFound),
        Err(detail) => Reply::misconfigured(detail),
    }
}

/// The limiter bound as `name`, or why there is none.
fn limiter(f: &Front, name: &str) -> Result<Option<JsValue>, Reply> {
    if f.cfg.rate_limits_off {
        return Ok(None);
    }
    match get(&f.env, name) {
        Some(l) => Ok(Some(l)),
        None => {
            let mut m = String::from("rate-limit binding missing: ");
            m.push_str(name);
            m.push_str(" (declare it in wrangler.toml, or set RATE_LIMITS=off)");
            Err(Reply::misconfigured(&m))
        }
    }
}

/// Whether the limiter `binding` lets `key` go on (`Ok(true)`: yes, or no limiter).
async fn allowed(f: &Front, binding: &str, key: &str) -> Result<bool, Reply> {
    match limiter(f, binding)? {
        Some(l) => Ok(platform::allowed(&l, key).await),
        None => Ok(true),
    }
}

async fn limit(f: &Front, binding: &str, key: &str) -> Result<(), Reply> {
    if allowed(f, binding, key).await? {
        Ok(())
    } else {
        // The bindings count per minute; a minute is the longest a caller must wait.
        Err(Reply::error(WorkerError::RateLimited).retry_after(60))
    }
}

/// The budget of calls to Gumroad from this location (a Rate Limiting binding counts per
/// Cloudflare location): one key for every request that may reach Gumroad, so a flood of
/// made-up keys costs at most the budget, whatever addresses it comes from.
const UPSTREAM_BUDGET: &str = "RATE_LIMIT_UPSTREAM";

/// The client's address for rate limits: `CF-Connecting-IPv6` first (behind Cloudflare's
/// pseudo-IPv4, `CF-Connecting-IP` holds an address shared by many), by its /64.
fn client_network(request: &Request) -> String {
    let h = request.headers();
    let ip = h
        .get("cf-connecting-ipv6")
        .ok()
        .flatten()
        .filter(|v| !v.trim().is_empty())
        .or_else(|| h.get("cf-connecting-ip").ok().flatten())
        .unwrap_or_else(|| "unknown".into());
    crate::core::worker::client_network(&ip)
}

thread_local! {
    /// The hash of the answer-shaping settings, for the settings string it was made from.
    static SETTINGS_HASH: RefCell<Option<(String, String)>> = const { RefCell::new(None) };
}

async fn settings_hash(cfg: &WorkerConfig) -> Option<String> {
    let settings = cfg.answer_settings();
    let known = SETTINGS_HASH.with(|s| {
        s.borrow()
            .as_ref()
            .filter(|(k, _)| *k == settings)
            .map(|(_, h)| h.clone())
    });
    if known.is_some() {
        return known;
    }
    let h = platform::sha256_hex(&settings).await?;
    SETTINGS_HASH.with(|s| *s.borrow_mut() = Some((settings, h.clone())));
    Some(h)
}

/// The names a license goes by, all hashes: its ledger's and cache entry's name (product and
/// key), and the `sub` of its tokens (the key alone, which an app can compute).
struct LicenseIds {
    key_hash: String,
    sub: String,
}

impl LicenseIds {
    async fn of(product_id: &str, key: &str) -> Result<Self, Reply> {
        let mut identity = String::from(product_id);
        identity.push('\n');
        identity.push_str(key);
        let key_hash = platform::sha256_hex(&identity)
            .await
            .ok_or_else(Reply::digest_unavailable)?;
        let sub = platform::sha256(key.as_bytes())
            .await
            .ok_or_else(Reply::digest_unavailable)?;
        Ok(LicenseIds {
            key_hash,
            sub: base64url(&sub),
        })
    }

    /// A device's hash: base64url SHA-256 of `sub` and the fingerprint. Salted with the license,
    /// so one device is not linkable across licenses; the token's `device` claim, which
    /// `verifyLicenseToken({ fingerprint })` recomputes.
    async fn device(&self, fingerprint: &str) -> Result<String, Reply> {
        let mut s = self.sub.clone();
        s.push('\n');
        s.push_str(fingerprint);
        platform::sha256(s.as_bytes())
            .await
            .map(|d| base64url(&d))
            .ok_or_else(Reply::digest_unavailable)
    }
}

/// Sends a command to the license's ledger.
async fn ask_ledger(f: &Front, key_hash: &str, command: String) -> Result<LedgerReply, Reply> {
    let Some(ns) = platform::namespace(&f.env, "LICENSE_LEDGER") else {
        return Err(Reply::misconfigured(
            "LICENSE_LEDGER Durable Object binding missing (see wrangler.toml)",
        ));
    };
    let stub = ns
        .named(key_hash)
        .ok_or_else(|| Reply::misconfigured("LICENSE_LEDGER: no stub"))?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(&command));
    let unavailable = || {
        Reply::json(
            503,
            error_body("ledger_unavailable", "the license ledger did not answer"),
        )
        .retry_after(5)
    };
    let req = Request::new_with_str_and_init("https://ledger.internal/", &init)
        .map_err(|_| unavailable())?;
    let resp = stub.send(&req).await.map_err(|_| unavailable())?;
    LedgerReply::from_response(&resp)
        .await
        .ok_or_else(unavailable)
}

/// Drops this data centre's cached verify answer of a license (after a change to it).
async fn drop_cached(f: &Front, key_hash: &str) {
    if let Some(settings) = settings_hash(&f.cfg).await {
        cache::delete(cache::url(&settings, key_hash)).await;
    }
}
