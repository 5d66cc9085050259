//! The Cloudflare Worker's fetch handler (wasm only). Decisions live in `core::worker` and
//! `core::license`; this file moves bytes between workerd and them.

mod cache;

use std::rc::Rc;

use js_sys::{Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{Headers, Request, Response, ResponseInit};

use crate::core::config::ClientConfig;
use crate::core::endpoints::licenses::{self, LicenseParams};
use crate::core::error::Error;
use crate::core::license::{self, Policy, Verdict};
use crate::core::retry::Policy as RetryPolicy;
use crate::core::worker::{
    body_kind, cache_key, error_body, normalize_key, parse_form_input, ping_invalidates,
    upstream_failure, verdict_body, BodyKind, LicenseInput, WorkerConfig, WorkerError,
    MAX_BODY_BYTES,
};
use crate::js::{run_call, CallOptions, Inner};

/// `export default { fetch: handleRequest }`: answers every request with a `Response`; it never
/// rejects, so workerd never shows its own error page.
#[wasm_bindgen(js_name = handleRequest, unchecked_return_type = "Promise<Response>")]
pub fn handle_request(
    request: Request,
    #[wasm_bindgen(unchecked_param_type = "Record<string, unknown>")] env: JsValue,
    #[wasm_bindgen(unchecked_param_type = "unknown")] _ctx: JsValue,
) -> Promise {
    future_to_promise(async move {
        let out = respond(request, env).await;
        Ok(out.map(JsValue::from).unwrap_or(JsValue::NULL))
    })
}

fn env_string(env: &JsValue, key: &str) -> Option<String> {
    Reflect::get(env, &JsValue::from_str(key)).ok()?.as_string()
}

struct Reply {
    status: u16,
    body: String,
    headers: Vec<(&'static str, String)>,
    /// For verdicts: whether it is valid (picks the cache TTL).
    valid: Option<bool>,
}

impl Reply {
    fn json(status: u16, body: String) -> Self {
        Reply {
            status,
            body,
            headers: vec![],
            valid: None,
        }
    }

    fn error(e: WorkerError) -> Self {
        Reply::json(e.status(), e.body())
    }

    /// The answer as plain data for requests waiting on the same license.
    fn to_shared(&self) -> cache::Shared {
        cache::Shared {
            status: self.status,
            body: self.body.clone(),
            valid: self.valid,
            retry_after: self
                .headers
                .iter()
                .find(|(k, _)| *k == "Retry-After")
                .map(|(_, v)| v.clone()),
        }
    }

    fn from_shared(a: cache::Shared) -> Reply {
        let mut r = Reply::json(a.status, a.body);
        r.valid = a.valid;
        if let Some(ra) = a.retry_after {
            r.headers.push(("Retry-After", ra));
        }
        r
    }
}

async fn respond(request: Request, env: JsValue) -> Option<Response> {
    let origin = request.headers().get("origin").ok().flatten();
    let reply = match WorkerConfig::from_lookup(|k| env_string(&env, k)) {
        Err(e) => Reply::json(500, error_body("misconfigured", &e.message)),
        Ok(cfg) => {
            let cors = cfg.cors_origin(origin.as_deref());
            let mut r = route(&request, &cfg, cors.is_some()).await;
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

async fn route(request: &Request, cfg: &WorkerConfig, cors_ok: bool) -> Reply {
    let url = web_sys::Url::new(&request.url()).ok();
    let path = url.map(|u| u.pathname()).unwrap_or_default();
    let method = request.method();
    match (method.as_str(), path.as_str()) {
        ("OPTIONS", _) => {
            if !cors_ok {
                return Reply::error(WorkerError::Forbidden);
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
        ("POST", "/v1/licenses/verify") => license_route(request, cfg, false).await,
        ("POST", "/v1/licenses/activate") => license_route(request, cfg, true).await,
        ("POST", "/v1/gumroad/ping") => ping_route(request, cfg).await,
        (_, "/v1/licenses/verify" | "/v1/licenses/activate" | "/v1/gumroad/ping" | "/healthz") => {
            let mut r = Reply::error(WorkerError::MethodNotAllowed);
            let allow = if path == "/healthz" {
                "GET"
            } else {
                "POST, OPTIONS"
            };
            r.headers.push(("Allow", allow.into()));
            r
        }
        _ => Reply::error(WorkerError::NotFound),
    }
}

/// Reads and validates the body of a license request.
async fn read_input(request: &Request) -> Result<LicenseInput, WorkerError> {
    let kind = body_kind(
        request
            .headers()
            .get("content-type")
            .ok()
            .flatten()
            .as_deref(),
    )?;
    let declared = request
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return Err(WorkerError::BodyTooLarge);
    }
    let text = request.text().map_err(|_| WorkerError::MalformedBody)?;
    let text = JsFuture::from(text)
        .await
        .map_err(|_| WorkerError::MalformedBody)?
        .as_string()
        .ok_or(WorkerError::MalformedBody)?;
    if text.len() > MAX_BODY_BYTES {
        return Err(WorkerError::BodyTooLarge);
    }
    match kind {
        BodyKind::Form => Ok(parse_form_input(&text)),
        BodyKind::Json => {
            let v = JSON::parse(&text).map_err(|_| WorkerError::MalformedBody)?;
            if !v.is_object() || js_sys::Array::is_array(&v) {
                return Err(WorkerError::MalformedBody);
            }
            let field = |k: &str| -> Result<Option<String>, WorkerError> {
                let x = Reflect::get(&v, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
                if x.is_undefined() || x.is_null() {
                    return Ok(None);
                }
                x.as_string().map(Some).ok_or(WorkerError::MalformedBody)
            };
            Ok(LicenseInput {
                license_key: field("license_key")?,
                product_id: field("product_id")?,
            })
        }
    }
}

fn client(cfg: &WorkerConfig, max_retries: u32) -> Result<Rc<Inner>, Error> {
    let mut config = match &cfg.maton_api_key {
        Some(key) => ClientConfig::maton(key.clone(), cfg.maton_connection.clone(), None, false)?,
        None => ClientConfig::direct(None, None, false)?,
    };
    if let Some(base) = cfg.api_base.as_deref() {
        config.base = crate::js::url::parse_base(base, false, "GUMROAD_API_BASE")?;
    }
    Ok(Rc::new(Inner {
        secrets: config.secrets(),
        config,
        timeout_ms: cfg.upstream_timeout_ms,
        retry: RetryPolicy {
            max_retries,
            // At the edge a long wait is worse than a quick 503 with Retry-After.
            max_wait_secs: 2,
        },
        fetch: None,
        allow_insecure: false,
    }))
}

async fn license_route(request: &Request, cfg: &WorkerConfig, activate: bool) -> Reply {
    let input = match read_input(request).await {
        Ok(i) => i,
        Err(e) => return Reply::error(e),
    };
    let product_id = match cfg.resolve_product(input.product_id.as_deref()) {
        Ok(p) => p,
        Err(e) => return Reply::error(e),
    };
    let key = match normalize_key(input.license_key.as_deref()) {
        Ok(k) => k,
        Err(e) => return Reply::error(e),
    };
    let ck = cache_key(&product_id, &key);
    if activate {
        // Counts a use: never cached, never coalesced, sent once. The cached verdict's `uses`
        // is stale afterwards.
        let reply = upstream_verdict(cfg.clone(), product_id, key, true).await;
        cache::delete(&ck).await;
        return reply;
    }
    if let Some(body) = cache::get(&ck).await {
        let mut r = Reply::json(200, body);
        r.headers.push(("X-License-Cache", "hit".into()));
        return r;
    }
    let work = async {
        upstream_verdict(cfg.clone(), product_id, key, false)
            .await
            .to_shared()
    };
    let mut reply = Reply::from_shared(cache::single_flight(&ck, work).await);
    if let (200, Some(valid)) = (reply.status, reply.valid) {
        let ttl = if valid {
            cfg.cache_ttl_valid
        } else {
            cfg.cache_ttl_invalid
        };
        cache::put(&ck, &reply.body, ttl).await;
    }
    reply.headers.push(("X-License-Cache", "miss".into()));
    reply
}

/// Asks Gumroad and applies the policy.
async fn upstream_verdict(
    cfg: WorkerConfig,
    product_id: String,
    key: String,
    activate: bool,
) -> Reply {
    // An activation counts a use and is sent exactly once; a verify is safe to retry.
    let inner = match client(&cfg, if activate { 0 } else { 1 }) {
        Ok(i) => i,
        Err(e) => return Reply::json(500, error_body("misconfigured", &e.message)),
    };
    let params = LicenseParams {
        product_id: Some(product_id.clone()),
        product_permalink: None,
        license_key: key,
        increment_uses_count: Some(activate),
    };
    let call = match licenses::verify(&inner.config, &params) {
        Ok(c) => c,
        Err(e) => return Reply::json(500, error_body("misconfigured", &e.message)),
    };
    let policy = Policy {
        max_uses: cfg.max_uses,
        now_unix: (js_sys::Date::now() / 1000.0) as i64,
    };
    match run_call(&inner, &call, &CallOptions::default()).await {
        Ok(value) => {
            let Ok(facts) = crate::js::license_facts(&value) else {
                return Reply::json(
                    502,
                    error_body("upstream_error", "Gumroad sent an unexpected answer"),
                );
            };
            let verdict = license::judge(&facts, &policy);
            let email = if cfg.expose_email {
                Reflect::get(&value, &"purchase".into())
                    .ok()
                    .and_then(|p| Reflect::get(&p, &"email".into()).ok())
                    .and_then(|e| e.as_string())
            } else {
                None
            };
            let mut r = Reply::json(200, verdict_body(&verdict, &product_id, email.as_deref()));
            r.valid = Some(verdict.valid);
            r
        }
        Err(e) => match license::judge_error(&e) {
            Some(reason) => {
                let v = Verdict {
                    valid: false,
                    reason,
                    uses: 0,
                };
                let mut r = Reply::json(200, verdict_body(&v, &product_id, None));
                r.valid = Some(false);
                r
            }
            None => {
                let (status, code, message) = upstream_failure(&e);
                let mut r = Reply::json(status, error_body(code, message));
                if let Some(s) = e.retry_after {
                    r.headers.push(("Retry-After", s.to_string()));
                }
                r
            }
        },
    }
}

/// `POST /v1/gumroad/ping?secret=...`: Gumroad's webhooks. Gumroad signs nothing, so the secret
/// in the URL is the authentication; it is compared in constant time. Events that change a
/// license's standing drop its cached verdict.
async fn ping_route(request: &Request, cfg: &WorkerConfig) -> Reply {
    let Some(expected) = cfg.ping_secret.as_deref() else {
        return Reply::error(WorkerError::NotFound);
    };
    let given = web_sys::Url::new(&request.url())
        .ok()
        .and_then(|u| u.search_params().get("secret"))
        .unwrap_or_default();
    if !crate::core::sha256::secrets_equal(&given, expected) {
        return Reply::error(WorkerError::Forbidden);
    }
    let content_type = request.headers().get("content-type").ok().flatten();
    let text = match request.text() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|t| t.as_string()),
        Err(_) => None,
    };
    let Some(text) = text else {
        return Reply::error(WorkerError::MalformedBody);
    };
    let event = match super::js::parse_event(&JsValue::from_str(&text), content_type) {
        Ok(e) => e,
        Err(_) => return Reply::error(WorkerError::MalformedBody),
    };
    let kind = Reflect::get(&event, &"type".into())
        .ok()
        .and_then(|t| t.as_string())
        .unwrap_or_default();
    let data = Reflect::get(&event, &"data".into()).unwrap_or(JsValue::UNDEFINED);
    let field = |k: &str| {
        Reflect::get(&data, &JsValue::from_str(k))
            .ok()
            .and_then(|v| v.as_string())
    };
    let mut invalidated = false;
    if ping_invalidates(&kind) {
        if let (Some(pid), Ok(key)) = (
            field("product_id").filter(|p| cfg.product_ids.contains(p)),
            normalize_key(field("license_key").as_deref()),
        ) {
            invalidated = cache::delete(&cache_key(&pid, &key)).await;
        }
    }
    Reply::json(
        200,
        crate::core::json::J::Obj(vec![
            ("ok", crate::core::json::J::Bool(true)),
            ("type", crate::core::json::J::Str(&kind)),
            ("invalidated", crate::core::json::J::Bool(invalidated)),
        ])
        .to_json(),
    )
}
