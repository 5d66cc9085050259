//! `POST /v1/gumroad/ping?secret=...`: Gumroad's webhooks. Gumroad signs nothing, so the secret
//! in the URL is the authentication (compared in constant time), and even an authentic-looking
//! ping is only a hint: it drops this data centre's cached verdict and makes the license's
//! ledger ask Gumroad, whose answer decides (a ping alone holds for the recheck window at most).

use wasm_bindgen::prelude::*;
use web_sys::Request;

use super::platform::{self, get, get_str};
use super::{allowed, ask_ledger, body, drop_cached, Front, LicenseIds, Reply, UPSTREAM_BUDGET};
use crate::core::json::J;
use crate::core::worker::{normalize_key, WorkerError, MAX_PING_BYTES};

pub async fn handle(request: &Request, f: &Front) -> Reply {
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
        let ids = match LicenseIds::of(&pid, &key).await {
            Ok(ids) => ids,
            Err(r) => return r,
        };
        // A ping reaches a ledger and Gumroad: it spends the location's budget like any other
        // request that does, and past it is answered 429, which Gumroad retries later (a leaked
        // secret must not buy unbounded ledger requests). This data centre's cached verdict
        // goes all the same.
        match allowed(f, UPSTREAM_BUDGET, "upstream").await {
            Ok(true) => {}
            Ok(false) => {
                drop_cached(f, &ids.key_hash).await;
                return Reply::error(WorkerError::RateLimited).retry_after(60);
            }
            Err(r) => return r,
        }
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
        match ask_ledger(f, &ids.key_hash, J::Obj(fields).to_json()).await {
            Ok(l) if l.status == 200 => changed = l.body.contains("\"changed\":true"),
            // Gumroad retries a ping that fails with 5xx: let it.
            Ok(l) => return Reply::from_ledger(l),
            Err(r) => return r,
        }
        drop_cached(f, &ids.key_hash).await;
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
