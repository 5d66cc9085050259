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

/// Flights in progress and their answers. Each flight has a generation, so a follower always
/// gets the answer of the flight it joined, even when newer flights for the same key start
/// before it looks (under steady load they do, every few milliseconds).
#[derive(Default)]
struct Flights {
    next_gen: u64,
    pending: HashMap<String, (u64, f64)>,
    done: HashMap<(String, u64), (f64, Shared)>,
}

thread_local! {
    static FLIGHTS: RefCell<Flights> = RefCell::new(Flights::default());
}

/// A follower waits at most this long for the leader, then asks upstream itself (the leader's
/// request may have been cancelled by the runtime and will never report).
const MAX_WAIT_MS: f64 = 10_000.0;
/// How long a finished answer stays available to the followers of its flight (they poll every
/// few milliseconds, so this only bounds the map's memory).
const DONE_KEEP_MS: f64 = 1_000.0;
const POLL_MS: u32 = 2;

impl Flights {
    fn purge(&mut self, now: f64) {
        self.pending
            .retain(|_, (_, since)| now - *since < MAX_WAIT_MS);
        self.done.retain(|_, (at, _)| now - *at < DONE_KEEP_MS);
    }
}

/// Runs `work` once per `key` at a time inside this isolate: concurrent callers with the same
/// key wait for the first one's answer instead of calling Gumroad again.
pub async fn single_flight<F>(key: &str, work: F) -> Shared
where
    F: Future<Output = Shared>,
{
    let now = js_sys::Date::now();
    // Ok(gen): lead flight `gen`; Err(gen): follow flight `gen`.
    let role = FLIGHTS.with(|f| {
        let mut f = f.borrow_mut();
        f.purge(now);
        match f.pending.get(key) {
            Some((gen, _)) => Err(*gen),
            None => {
                let gen = f.next_gen;
                f.next_gen = f.next_gen.wrapping_add(1);
                f.pending.insert(key.to_string(), (gen, now));
                Ok(gen)
            }
        }
    });
    let gen = match role {
        Ok(gen) => gen,
        Err(gen) => {
            let joined = js_sys::Date::now();
            loop {
                let answer = FLIGHTS.with(|f| {
                    let f = f.borrow();
                    if let Some((_, a)) = f.done.get(&(key.to_string(), gen)) {
                        return Some(Some(a.clone()));
                    }
                    let still_running = f.pending.get(key).is_some_and(|(g, _)| *g == gen);
                    if still_running && js_sys::Date::now() - joined < MAX_WAIT_MS {
                        None
                    } else {
                        // The leader vanished (cancelled) or took too long.
                        Some(None)
                    }
                });
                match answer {
                    Some(Some(a)) => return a,
                    Some(None) => return work.await,
                    None => {
                        if crate::js::sleep(POLL_MS, None).await.is_err() {
                            return work.await;
                        }
                    }
                }
            }
        }
    };
    let answer = work.await;
    FLIGHTS.with(|f| {
        let mut f = f.borrow_mut();
        let at = js_sys::Date::now();
        f.done.insert((key.to_string(), gen), (at, answer.clone()));
        if f.pending.get(key).is_some_and(|(g, _)| *g == gen) {
            f.pending.remove(key);
        }
    });
    answer
}
