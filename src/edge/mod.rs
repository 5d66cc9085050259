//! The Cloudflare Worker's fetch handler (wasm only). Decisions live in `core::worker` and
//! `core::license`; this file moves bytes between workerd and them.

use std::rc::Rc;

use js_sys::{Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{Headers, Request, Response, ResponseInit};

use crate::core::config::ClientConfig;
use crate::core::endpoints::licenses::{self, LicenseParams};
use crate::core::error::Error;
use crate::core::license::{self, LicenseFacts, Policy, Verdict};
use crate::core::worker::{
    body_kind, error_body, normalize_key, parse_form_input, upstream_failure, verdict_body,
    BodyKind, LicenseInput, WorkerConfig, WorkerError, MAX_BODY_BYTES,
};
use crate::js::{run_call, CallOptions, Inner};

const UPSTREAM_TIMEOUT_MS: u32 = 8_000;

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
        Reply::json(e.status(), e.body())
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
        (_, "/v1/licenses/verify" | "/v1/licenses/activate" | "/healthz") => {
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
    let config = match &cfg.maton_api_key {
        Some(key) => ClientConfig::maton(
            key.clone(),
            cfg.maton_connection.clone(),
            cfg.api_base.as_deref(),
            false,
        )?,
        None => ClientConfig::direct(None, cfg.api_base.as_deref(), false)?,
    };
    Ok(Rc::new(Inner {
        secrets: config.secrets(),
        config,
        timeout_ms: UPSTREAM_TIMEOUT_MS,
        max_retries,
        fetch: None,
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
    // An activation counts a use and is sent exactly once; a verify is safe to retry.
    let inner = match client(cfg, if activate { 0 } else { 1 }) {
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
            let Ok(facts) = serde_wasm_bindgen::from_value::<LicenseFacts>(value.clone()) else {
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
            Reply::json(200, verdict_body(&verdict, &product_id, email.as_deref()))
        }
        Err(e) => match license::judge_error(&e) {
            Some(reason) => {
                let v = Verdict {
                    valid: false,
                    reason,
                    uses: 0,
                };
                Reply::json(200, verdict_body(&v, &product_id, None))
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
