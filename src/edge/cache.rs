//! Verify answers in the Workers Cache API, as a per-data-centre accelerator in front of the
//! ledger. It is not the source of truth: a ping or a deactivation drops the entry in the data
//! centre that receives it, and entries elsewhere expire after their TTL (the staleness bound
//! the README states). The Cache API does nothing on `*.workers.dev`; there every verify reaches
//! the ledger, which stays correct, only slower.

use js_sys::Reflect;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Cache, CacheStorage, Headers, Response, ResponseInit};

/// Our own named cache, so nothing else in the zone shares `caches.default` with us.
const CACHE_NAME: &str = "gumroad-license-v2";

async fn open() -> Option<Cache> {
    let caches = Reflect::get(&js_sys::global(), &"caches".into()).ok()?;
    if caches.is_undefined() || caches.is_null() {
        return None;
    }
    let storage: CacheStorage = caches.unchecked_into();
    JsFuture::from(storage.open(CACHE_NAME))
        .await
        .ok()?
        .dyn_into()
        .ok()
}

/// The cache URL of a license: hashes only (of the settings that shape answers, and of the
/// product and key), never the key itself.
pub fn url(settings_hash: &str, key_hash: &str) -> String {
    let mut u = String::from("https://license-cache.gumroad-wasm.invalid/v2/");
    u.push_str(settings_hash);
    u.push('/');
    u.push_str(key_hash);
    u
}

pub async fn get(url: &str) -> Option<String> {
    let cache = open().await?;
    let found = JsFuture::from(cache.match_with_str(url)).await.ok()?;
    let resp: Response = found.dyn_into().ok()?;
    JsFuture::from(resp.text().ok()?).await.ok()?.as_string()
}

/// Stores `body` for `ttl_secs`; meant for `ctx.waitUntil`, off the request path.
pub async fn put(url: String, body: String, ttl_secs: u32) {
    if ttl_secs == 0 {
        return;
    }
    let Some(cache) = open().await else {
        return;
    };
    let Ok(headers) = Headers::new() else {
        return;
    };
    let _ = headers.set("Content-Type", "application/json");
    let mut cc = String::from("max-age=");
    cc.push_str(&crate::core::endpoints::int_text(f64::from(ttl_secs)).unwrap_or_default());
    let _ = headers.set("Cache-Control", &cc);
    let init = ResponseInit::new();
    init.set_status(200);
    init.set_headers(&headers);
    if let Ok(resp) = Response::new_with_opt_str_and_init(Some(&body), &init) {
        let _ = JsFuture::from(cache.put_with_str(&url, &resp)).await;
    }
}

pub async fn delete(url: String) -> bool {
    let Some(cache) = open().await else {
        return false;
    };
    JsFuture::from(cache.delete_with_str(&url))
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}
