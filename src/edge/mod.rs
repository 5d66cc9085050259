//! The license server on Cloudflare Workers (wasm only). This file is the front: routing,
//! origin checks, input, rate limits, the per-data-centre cache and signed answers. Everything
//! that changes a license's seats happens in its `LicenseLedger` Durable Object (`ledger.rs`),
//! one request at a time. Decisions live in `core::worker`, `core::ledger` and `core::license`.

mod body;
mod cache;
mod ledger;
mod platform;
mod token;
mod upstream;

use std::cell::RefCell;

use js_sys::{Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use web_sys::{Headers, Request, RequestInit, Response, ResponseInit};

use crate::core::json::J;
use crate::core::oauth::base64url;
use crate::core::worker::{
    check_fingerprint, check_instance_id, check_instance_name, error_body, normalize_key,
    WorkerConfig, WorkerError, MAX_PING_BYTES, MISCONFIGURED_MESSAGE,
};
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
        Reply::json(e.status(), e.body())
    }

    fn misconfigured(detail: &str) -> Self {
        log(detail);
        let mut r = Reply::json(500, error_body("misconfigured", MISCONFIGURED_MESSAGE));
        r.headers.push(("Retry-After", "60".into()));
        r
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
}

const POST_ROUTES: [&str; 5] = [
    "/v1/licenses/verify",
    "/v1/licenses/activate",
    "/v1/licenses/deactivate",
    "/v1/licenses/instances",
    "/v1/gumroad/ping",
];

async fn respond(request: Request, env: JsValue, ctx: JsValue) -> Option<Response> {
    let origin = request.headers().get("origin").ok().flatten();
    let reply = match WorkerConfig::from_lookup(|k| get_str(&env, k)) {
        Err(e) => Reply::misconfigured(&e.message),
        Ok(cfg) => {
            let cors = cfg.cors_origin(origin.as_deref());
            let front = Front { cfg, env, ctx };
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
    let license_route = path.starts_with("/v1/licenses/") && POST_ROUTES.contains(&path.as_str());
    // A browser page from another site (a plain HTML form needs no preflight) is refused
    // before any work; servers send no Origin and are not affected.
    if license_route && has_origin && !cors_ok {
        return Reply::error(WorkerError::OriginNotAllowed);
    }
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
        ("POST", "/v1/licenses/verify") => licenses(request, f, Op::Verify).await,
        ("POST", "/v1/licenses/activate") => licenses(request, f, Op::Activate).await,
        ("POST", "/v1/licenses/deactivate") => licenses(request, f, Op::Deactivate).await,
        ("POST", "/v1/licenses/instances") => licenses(request, f, Op::Instances).await,
        ("POST", "/v1/gumroad/ping") => ping(request, f).await,
        (_, p) if POST_ROUTES.contains(&p) || p == "/healthz" || p == "/.well-known/jwks.json" => {
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
    let Some(secret) = f.cfg.signing_key.as_deref() else {
        return Reply::error(WorkerError::NotFound);
    };
    match token::signer(secret).await {
        Ok(s) => {
            let mut r = Reply::json(200, s.jwks());
            // Public, and changes only when the key is rotated.
            r.headers.push(("Access-Control-Allow-Origin", "*".into()));
            r
        }
        Err(detail) => Reply::misconfigured(detail),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Verify,
    Activate,
    Deactivate,
    Instances,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Verify => "verify",
            Op::Activate => "activate",
            Op::Deactivate => "deactivate",
            Op::Instances => "instances",
        }
    }
    /// Changes seats: JSON only, and the stricter per-IP limit.
    fn changes_seats(self) -> bool {
        matches!(self, Op::Activate | Op::Deactivate)
    }
}

/// A license request after validation.
struct Asked {
    key: String,
    product_id: String,
    fingerprint: Option<String>,
    name: String,
    instance_id: Option<String>,
}

fn validate(
    f: &Front,
    input: crate::core::worker::LicenseInput,
    op: Op,
) -> Result<Asked, WorkerError> {
    let product_id = f.cfg.resolve_product(input.product_id.as_deref())?;
    let key = normalize_key(input.license_key.as_deref())?;
    let instance_id = match op {
        Op::Deactivate => Some(check_instance_id(input.instance_id.as_deref())?),
        Op::Verify if input.instance_id.is_some() => {
            Some(check_instance_id(input.instance_id.as_deref())?)
        }
        _ => None,
    };
    let (fingerprint, name) = if op == Op::Activate {
        (
            check_fingerprint(input.fingerprint.as_deref())?,
            check_instance_name(input.instance_name.as_deref())?,
        )
    } else {
        (None, String::new())
    };
    Ok(Asked {
        key,
        product_id,
        fingerprint,
        name,
        instance_id,
    })
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

async fn limit(f: &Front, binding: &str, key: &str) -> Result<(), Reply> {
    if let Some(l) = limiter(f, binding)? {
        if !platform::allowed(&l, key).await {
            // The binding counts per minute; a minute is the longest a caller must wait.
            return Err(Reply::error(WorkerError::RateLimited).retry_after(60));
        }
    }
    Ok(())
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

async fn licenses(request: &Request, f: &Front, op: Op) -> Reply {
    match license_flow(request, f, op).await {
        Ok(r) | Err(r) => r,
    }
}

async fn license_flow(request: &Request, f: &Front, op: Op) -> Result<Reply, Reply> {
    let input = body::read_input(request, op.changes_seats())
        .await
        .map_err(Reply::error)?;
    let asked = validate(f, input, op).map_err(Reply::error)?;
    let ip = crate::core::worker::client_network(
        &request
            .headers()
            .get("cf-connecting-ip")
            .ok()
            .flatten()
            .unwrap_or_else(|| "unknown".into()),
    );
    let ip_binding = if op.changes_seats() {
        "RATE_LIMIT_CHANGE_IP"
    } else {
        "RATE_LIMIT_VERIFY_IP"
    };
    limit(f, ip_binding, &ip).await?;
    let mut identity = asked.product_id.clone();
    identity.push('\n');
    identity.push_str(&asked.key);
    let key_hash = platform::sha256_hex(&identity)
        .await
        .ok_or_else(|| Reply::misconfigured("crypto.subtle.digest unavailable"))?;
    if !op.changes_seats() {
        // Changes are counted exactly, per hour, by the license's ledger.
        limit(f, "RATE_LIMIT_VERIFY_KEY", &key_hash).await?;
    }
    // A signing key that cannot sign must stop the request before the ledger commits a seat
    // whose answer could then not be given.
    if let Some(secret) = f.cfg.signing_key.as_deref() {
        token::signer(secret).await.map_err(Reply::misconfigured)?;
    }
    let settings = settings_hash(&f.cfg)
        .await
        .ok_or_else(|| Reply::misconfigured("crypto.subtle.digest unavailable"))?;
    let cache_url = cache::url(&settings, &key_hash);
    if op == Op::Verify {
        // An instance the cached list does not know may be newer than the entry (activated a
        // moment ago, or in another data centre): only the ledger can say it is unknown.
        // (An invalid verdict answers with its own reason whatever the instance.)
        let usable = |entry: &str| match &asked.instance_id {
            None => true,
            Some(id) => JSON::parse(entry).ok().is_some_and(|e| {
                let invalid = get(&e, "verdict")
                    .and_then(|v| get(&v, "valid"))
                    .and_then(|v| v.as_bool())
                    == Some(false);
                let listed = get(&e, "instances")
                    .is_some_and(|l| js_sys::Array::from(&l).includes(&JsValue::from_str(id), 0));
                invalid || listed
            }),
        };
        if let Some(entry) = cache::get(&cache_url).await.filter(|e| usable(e)) {
            let mut r = verify_answer(f, &asked, &entry).await?;
            r.headers.push(("X-License-Cache", "hit".into()));
            return Ok(r);
        }
    }
    // Gumroad rate-limited us a moment ago: do not even ask the ledger to call it. (Cache hits
    // above, and device lists, need no upstream call.)
    if op != Op::Instances {
        if let Some(left) = upstream::cooldown_left() {
            let fail = upstream::Failure::cooling(left);
            return Err(Reply::json(503, error_body(fail.code, fail.message)).retry_after(left));
        }
    }
    let fingerprint = match &asked.fingerprint {
        // Salted with the license, so one device is not linkable across licenses.
        Some(fp) => {
            let mut s = key_hash.clone();
            s.push('\n');
            s.push_str(fp);
            Some(
                platform::sha256_hex(&s)
                    .await
                    .ok_or_else(|| Reply::misconfigured("crypto.subtle.digest unavailable"))?,
            )
        }
        None => None,
    };
    let mut fields = vec![
        ("op", J::Str(op.name())),
        ("key", J::Str(&asked.key)),
        ("product_id", J::Str(&asked.product_id)),
        ("name", J::Str(&asked.name)),
    ];
    if let Some(fp) = &fingerprint {
        fields.push(("fingerprint", J::Str(fp)));
    }
    if let Some(id) = &asked.instance_id {
        fields.push(("instance_id", J::Str(id)));
    }
    let reply = ask_ledger(f, &key_hash, J::Obj(fields).to_json()).await?;
    if let Some(secs) = reply.cooldown {
        upstream::start_cooldown(secs);
    }
    match op {
        Op::Verify if reply.status == 200 => {
            if reply.leader {
                let valid = reply.body.contains("\"valid\":true");
                let ttl = if valid {
                    f.cfg.cache_ttl_valid
                } else {
                    f.cfg.cache_ttl_invalid
                };
                platform::wait_until(
                    &f.ctx,
                    future_to_promise({
                        let (url, body) = (cache_url.clone(), reply.body.clone());
                        async move {
                            cache::put(url, body, ttl).await;
                            Ok(JsValue::UNDEFINED)
                        }
                    }),
                );
            }
            let mut r = verify_answer(f, &asked, &reply.body).await?;
            r.headers.push(("X-License-Cache", "miss".into()));
            Ok(r)
        }
        Op::Activate | Op::Deactivate => {
            // The cached entry lists instances: drop it here (other data centres: TTL).
            platform::wait_until(
                &f.ctx,
                future_to_promise(async move {
                    cache::delete(cache_url).await;
                    Ok(JsValue::UNDEFINED)
                }),
            );
            if op == Op::Activate && reply.status == 200 {
                return with_token(f, &asked, &reply.body, None).await;
            }
            Ok(Reply::from_ledger(reply))
        }
        _ => Ok(Reply::from_ledger(reply)),
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

/// A verify answer from a ledger entry `{verdict, instances}`: the verdict, or
/// `unknown_instance` when the request names an instance the license does not have.
async fn verify_answer(f: &Front, asked: &Asked, entry: &str) -> Result<Reply, Reply> {
    let bad = || Reply::misconfigured("ledger entry unreadable");
    let entry = JSON::parse(entry).map_err(|_| bad())?;
    let verdict = get(&entry, "verdict").ok_or_else(bad)?;
    if let Some(id) = &asked.instance_id {
        let known = get(&entry, "instances")
            .map(|list| js_sys::Array::from(&list).includes(&JsValue::from_str(id), 0))
            .unwrap_or(false);
        let valid = get(&verdict, "valid").and_then(|v| v.as_bool()) == Some(true);
        // An invalid license keeps its own reason (refunded says more than unknown_instance).
        if !known && valid {
            let _ = Reflect::set(&verdict, &"valid".into(), &JsValue::FALSE);
            let _ = Reflect::set(&verdict, &"reason".into(), &"unknown_instance".into());
        }
        let _ = Reflect::set(&verdict, &"instance_id".into(), &JsValue::from_str(id));
    }
    let body = JSON::stringify(&verdict)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(bad)?;
    with_token(f, asked, &body, asked.instance_id.as_deref()).await
}

/// Adds `token` (a signed copy of the verdict) when a signing key is configured.
async fn with_token(
    f: &Front,
    asked: &Asked,
    body: &str,
    instance_id: Option<&str>,
) -> Result<Reply, Reply> {
    let Some(secret) = f.cfg.signing_key.as_deref() else {
        return Ok(Reply::json(200, body.to_string()));
    };
    let signer = token::signer(secret).await.map_err(Reply::misconfigured)?;
    let bad = || Reply::misconfigured("verdict unreadable for signing");
    let v = JSON::parse(body).map_err(|_| bad())?;
    let activated = get(&v, "instance").and_then(|i| get_str(&i, "id"));
    let instance_id = instance_id.map(String::from).or(activated);
    let digest = platform::sha256(asked.key.as_bytes())
        .await
        .ok_or_else(|| Reply::misconfigured("crypto.subtle.digest unavailable"))?;
    let sub = base64url(&digest);
    let iat = platform::now_secs();
    let reason = get_str(&v, "reason").unwrap_or_default();
    let claims = token::Claims {
        sub: &sub,
        product_id: &asked.product_id,
        instance_id: instance_id.as_deref(),
        valid: get(&v, "valid").and_then(|b| b.as_bool()) == Some(true),
        reason: &reason,
        iat,
        exp: iat + i64::from(f.cfg.offline_grace_secs),
    };
    let tok = signer
        .sign(&claims.to_json())
        .await
        .ok_or_else(|| Reply::misconfigured("signing failed"))?;
    let _ = Reflect::set(&v, &"token".into(), &JsValue::from_str(&tok));
    let body = JSON::stringify(&v)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(bad)?;
    Ok(Reply::json(200, body))
}

/// `POST /v1/gumroad/ping?secret=...`: Gumroad's webhooks. Gumroad signs nothing, so the secret
/// in the URL is the authentication (compared in constant time). Refunds, disputes and ended
/// subscriptions are recorded in the license's ledger; this data centre's cached verdict goes.
async fn ping(request: &Request, f: &Front) -> Reply {
    let Some(expected) = f.cfg.ping_secret.as_deref() else {
        return Reply::error(WorkerError::NotFound);
    };
    let given = web_sys::Url::new(&request.url())
        .ok()
        .and_then(|u| u.search_params().get("secret"))
        .unwrap_or_default();
    if !platform::secrets_equal(&given, expected).await {
        return Reply::error(WorkerError::Forbidden);
    }
    let content_type = request.headers().get("content-type").ok().flatten();
    let text = match body::read_capped(request, MAX_PING_BYTES).await {
        Ok(t) => t,
        Err(e) => return Reply::error(e),
    };
    let event = match crate::js::parse_event(&JsValue::from_str(&text), content_type) {
        Ok(e) => e,
        Err(_) => return Reply::error(WorkerError::MalformedBody),
    };
    let kind = get_str(&event, "type").unwrap_or_default();
    let data = get(&event, "data").unwrap_or(JsValue::UNDEFINED);
    let field = |k: &str| {
        get(&data, k).and_then(|v| {
            v.as_string().or_else(|| {
                v.as_bool()
                    .map(|b| if b { "true".into() } else { "false".into() })
            })
        })
    };
    let mut changed = false;
    let product = field("product_id").filter(|p| f.cfg.product_ids.contains(p));
    if let (Some(pid), Ok(key)) = (product, normalize_key(field("license_key").as_deref())) {
        let mut identity = pid.clone();
        identity.push('\n');
        identity.push_str(&key);
        let Some(key_hash) = platform::sha256_hex(&identity).await else {
            return Reply::misconfigured("crypto.subtle.digest unavailable");
        };
        let mut fields = vec![
            ("op", J::Str("ping")),
            ("key", J::Str(&key)),
            ("product_id", J::Str(&pid)),
            ("event", J::Str(&kind)),
        ];
        let refunded = field("refunded");
        let chargebacked = field("chargebacked");
        if let Some(r) = &refunded {
            fields.push(("refunded", J::Str(r)));
        }
        if let Some(c) = &chargebacked {
            fields.push(("chargebacked", J::Str(c)));
        }
        match ask_ledger(f, &key_hash, J::Obj(fields).to_json()).await {
            Ok(l) if l.status == 200 => changed = l.body.contains("\"changed\":true"),
            // Gumroad retries a ping that fails with 5xx: let it.
            Ok(l) => return Reply::from_ledger(l),
            Err(r) => return r,
        }
        if let Some(settings) = settings_hash(&f.cfg).await {
            cache::delete(cache::url(&settings, &key_hash)).await;
        }
    }
    Reply::json(
        200,
        J::Obj(vec![
            ("ok", J::Bool(true)),
            ("type", J::Str(&kind)),
            ("changed", J::Bool(changed)),
        ])
        .to_json(),
    )
}
