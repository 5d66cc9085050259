//! Verdicts in the Workers Cache API (`caches.default`), and single-flight of concurrent
//! upstream calls for the same license inside one isolate.

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;

use js_sys::Reflect;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
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

/// A finished upstream answer, as plain data: JS values and Promises are bound to the request
/// that created them in workerd (sharing one across requests hangs the waiting request), so
/// only Rust data crosses between concurrent requests.
#[derive(Clone, Debug)]
pub struct Shared {
    pub status: u16,
    pub body: String,
    pub valid: Option<bool>,
    pub retry_after: Option<String>,
}

enum Slot {
    Pending { since_ms: f64 },
    Done { at_ms: f64, answer: Shared },
}

thread_local! {
    static FLIGHTS: RefCell<HashMap<String, Slot>> = RefCell::new(HashMap::new());
}

/// A follower waits at most this long for the leader, then asks upstream itself (the leader's
/// request may have been cancelled by the runtime and will never report).
const MAX_WAIT_MS: f64 = 10_000.0;
/// How long a finished answer stays available to followers that were already waiting (they
/// poll every few milliseconds, so this only bounds the map's memory).
const DONE_KEEP_MS: f64 = 1_000.0;
const POLL_MS: u32 = 5;

fn purge(map: &mut HashMap<String, Slot>, now: f64) {
    map.retain(|_, slot| match slot {
        Slot::Pending { since_ms } => now - *since_ms < MAX_WAIT_MS,
        Slot::Done { at_ms, .. } => now - *at_ms < DONE_KEEP_MS,
    });
}

/// Runs `work` once per `key` at a time inside this isolate: concurrent callers with the same
/// key wait for the first one's answer instead of calling Gumroad again.
pub async fn single_flight<F>(key: &str, work: F) -> Shared
where
    F: Future<Output = Shared>,
{
    let now = js_sys::Date::now();
    let lead = FLIGHTS.with(|m| {
        let mut m = m.borrow_mut();
        purge(&mut m, now);
        match m.get(key) {
            Some(Slot::Pending { .. }) => false,
            // A finished answer is only for requests that were already waiting for it: a new
            // request must not get a verdict older than itself (a ping may have dropped it).
            Some(Slot::Done { .. }) | None => {
                m.insert(key.to_string(), Slot::Pending { since_ms: now });
                true
            }
        }
    });
    if !lead {
        loop {
            let state = FLIGHTS.with(|m| match m.borrow().get(key) {
                Some(Slot::Done { answer, .. }) => Some(Some(answer.clone())),
                Some(Slot::Pending { since_ms })
                    if js_sys::Date::now() - since_ms < MAX_WAIT_MS =>
                {
                    None
                }
                _ => Some(None),
            });
            match state {
                Some(Some(answer)) => return answer,
                // The leader vanished or took too long: do the work ourselves.
                Some(None) => return work.await,
                None => {
                    if crate::js::sleep(POLL_MS, None).await.is_err() {
                        return work.await;
                    }
                }
            }
        }
    }
    let answer = work.await;
    FLIGHTS.with(|m| {
        m.borrow_mut().insert(
            key.to_string(),
            Slot::Done {
                at_ms: js_sys::Date::now(),
                answer: answer.clone(),
            },
        )
    });
    answer
}
