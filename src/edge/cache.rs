//! Verdicts in the Workers Cache API (`caches.default`), and single-flight of concurrent
//! upstream calls for the same license inside one isolate.

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{Cache, Headers, Response, ResponseInit};

/// `caches.default`, when the runtime has one (workerd does; other runtimes skip caching).
fn default_cache() -> Option<Cache> {
    let caches = Reflect::get(&js_sys::global(), &"caches".into()).ok()?;
    if caches.is_undefined() || caches.is_null() {
        return None;
    }
    let default = Reflect::get(&caches, &"default".into()).ok()?;
    if default.is_undefined() || default.is_null() {
        return None;
    }
    Some(default.unchecked_into::<Cache>())
}

/// The cached verdict body, if any.
pub async fn get(key: &str) -> Option<String> {
    let cache = default_cache()?;
    let found = JsFuture::from(cache.match_with_str(key)).await.ok()?;
    let resp: Response = found.dyn_into().ok()?;
    let text = JsFuture::from(resp.text().ok()?).await.ok()?;
    text.as_string()
}

pub async fn put(key: &str, body: &str, ttl_secs: u32) {
    if ttl_secs == 0 {
        return;
    }
    let Some(cache) = default_cache() else {
        return;
    };
    let Ok(headers) = Headers::new() else {
        return;
    };
    let _ = headers.set("Content-Type", "application/json");
    let _ = headers.set("Cache-Control", &format!("max-age={ttl_secs}"));
    let init = ResponseInit::new();
    init.set_status(200);
    init.set_headers(&headers);
    if let Ok(resp) = Response::new_with_opt_str_and_init(Some(body), &init) {
        let _ = JsFuture::from(cache.put_with_str(key, &resp)).await;
    }
}

pub async fn delete(key: &str) -> bool {
    let Some(cache) = default_cache() else {
        return false;
    };
    JsFuture::from(cache.delete_with_str(key))
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

thread_local! {
    static IN_FLIGHT: RefCell<HashMap<String, Promise>> = RefCell::new(HashMap::new());
}

/// Runs `work` once per `key` at a time: concurrent callers with the same key wait for the
/// first one's result instead of calling Gumroad again. `work` resolves to a JS value that
/// every caller decodes.
pub async fn single_flight<F>(key: &str, work: F) -> Result<JsValue, JsValue>
where
    F: Future<Output = JsValue> + 'static,
{
    let existing = IN_FLIGHT.with(|m| m.borrow().get(key).cloned());
    if let Some(p) = existing {
        return JsFuture::from(p).await;
    }
    let promise = future_to_promise(async move { Ok(work.await) });
    IN_FLIGHT.with(|m| m.borrow_mut().insert(key.to_string(), promise.clone()));
    let out = JsFuture::from(promise).await;
    IN_FLIGHT.with(|m| m.borrow_mut().remove(key));
    out
}

pub fn obj(fields: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in fields {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o.into()
}
