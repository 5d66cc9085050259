//! Sends one `HttpRequest` with the global `fetch` (or the caller's), with a timeout and the
//! caller's `AbortSignal`, and reads the whole answer.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal};

use crate::core::error::{Error, ErrorCode};
use crate::core::request::HttpRequest;

#[wasm_bindgen]
extern "C" {
    // Global timers exist in browsers, workers, Node and workerd alike; `window` does not.
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);

    // Our own binding of the global `fetch` (the technique gloo-net uses, without its `send()`,
    // which panics when a rejection is not an `Error`: an abort reason, a custom fetch
    // rejecting with a string). A panic would poison the wasm instance for every later call.
    #[wasm_bindgen(js_name = fetch, catch)]
    fn global_fetch(url: &str, init: &web_sys::RequestInit) -> Result<Promise, JsValue>;
}

/// A complete HTTP answer.
pub struct RawResponse {
    pub status: u16,
    pub headers: web_sys::Headers,
    pub body: RawBody,
}

/// The body as a JS value: it stays on the JS side (JSON.parse reads it there), so large pages
/// are never copied into wasm memory and back.
pub enum RawBody {
    Text(js_sys::JsString),
    Bytes(js_sys::Uint8Array),
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).ok().flatten()
    }

    /// The text body (empty for a binary one).
    pub fn text(&self) -> js_sys::JsString {
        match &self.body {
            RawBody::Text(t) => t.clone(),
            RawBody::Bytes(_) => js_sys::JsString::from(""),
        }
    }
}

/// How to read the body.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ReadAs {
    Text,
    /// Bytes when the status is 2xx (a download), text otherwise (errors are JSON).
    BytesIfOk,
}

/// Per-attempt settings.
pub struct SendOptions<'a> {
    pub timeout_ms: u32,
    pub signal: Option<&'a AbortSignal>,
    pub fetch: Option<&'a Function>,
}

/// Sends `req` (with `raw_body` instead of its text body when given: a Blob or bytes).
pub async fn send(
    req: &HttpRequest,
    raw_body: Option<&JsValue>,
    read: ReadAs,
    opts: &SendOptions<'_>,
) -> Result<RawResponse, Error> {
    if opts.signal.is_some_and(|s| s.aborted()) {
        return Err(aborted());
    }
    let controller =
        AbortController::new().map_err(|_| connection("AbortController unavailable"))?;
    let ours = controller.signal();

    // The caller's signal aborts our controller, so one signal governs fetch and body read.
    // Bound with an explicit `undefined` reason: an event listener passes the Event, which
    // would otherwise become the abort reason.
    let forward = Reflect::get(&controller, &"abort".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or_else(|| connection("AbortController.abort unavailable"))?
        .bind1(&controller, &JsValue::UNDEFINED)
        .unchecked_into::<Function>();
    if let Some(sig) = opts.signal {
        let _ = sig.add_event_listener_with_callback("abort", &forward);
    }
    let timer = (opts.timeout_ms > 0).then(|| {
        let ms = opts.timeout_ms.min(i32::MAX as u32) as i32;
        set_timeout(&forward, ms)
    });

    let result = attempt(req, raw_body, read, &ours, opts.fetch).await;

    if let Some(t) = &timer {
        clear_timeout(t);
    }
    if let Some(sig) = opts.signal {
        let _ = sig.remove_event_listener_with_callback("abort", &forward);
    }
    match result {
        Ok(r) => Ok(r),
        Err(e) => {
            if opts.signal.is_some_and(|s| s.aborted()) {
                Err(aborted())
            } else if ours.aborted() {
                Err(Error::new(
                    ErrorCode::Timeout,
                    format!("no answer within {} ms", opts.timeout_ms),
                ))
            } else {
                Err(e)
            }
        }
    }
}

async fn attempt(
    req: &HttpRequest,
    raw_body: Option<&JsValue>,
    read: ReadAs,
    signal: &AbortSignal,
    fetch: Option<&Function>,
) -> Result<RawResponse, Error> {
    // `fetch(url, init)` with a plain headers object: no Request or Headers object is built
    // here (the runtime's fetch builds its own), which the per-call benchmark showed to be
    // the largest cost we controlled.
    let headers = js_sys::Object::new();
    for (k, v) in &req.headers {
        let _ = Reflect::set(&headers, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    let init = web_sys::RequestInit::new();
    init.set_method(req.method.as_str());
    init.set_headers(&headers);
    init.set_signal(Some(signal));
    if let Some(b) = raw_body {
        init.set_body(b);
    } else if let Some(b) = &req.body {
        init.set_body(&JsValue::from_str(b));
    }
    let promise = match fetch {
        None => global_fetch(&req.url, &init),
        Some(f) => f
            .call2(&JsValue::UNDEFINED, &JsValue::from_str(&req.url), &init)
            .and_then(|p| {
                p.dyn_into::<Promise>()
                    .map_err(|_| JsValue::from_str("the fetch option did not return a Promise"))
            }),
    }
    .map_err(|e| connection(&js_message(&e)))?;
    let value = JsFuture::from(promise)
        .await
        .map_err(|e| connection(&js_message(&e)))?;
    let response: web_sys::Response = value
        .dyn_into()
        .map_err(|_| connection("fetch did not resolve to a Response"))?;
    let status = response.status();
    let headers = response.headers();
    let failed = |e: JsValue| connection(&format!("reading the body failed: {}", js_message(&e)));
    let body = if read == ReadAs::BytesIfOk && (200..300).contains(&status) {
        let buf = JsFuture::from(response.array_buffer().map_err(failed)?)
            .await
            .map_err(failed)?;
        RawBody::Bytes(js_sys::Uint8Array::new(&buf))
    } else {
        let text = JsFuture::from(response.text().map_err(failed)?)
            .await
            .map_err(failed)?
            .dyn_into()
            .unwrap_or_else(|_| js_sys::JsString::from(""));
        RawBody::Text(text)
    };
    Ok(RawResponse {
        status,
        headers,
        body,
    })
}

/// Waits `ms`, or rejects early with `Aborted` when `signal` fires.
pub async fn sleep(ms: u32, signal: Option<&AbortSignal>) -> Result<(), Error> {
    if signal.is_some_and(|s| s.aborted()) {
        return Err(aborted());
    }
    let mut timer = JsValue::UNDEFINED;
    let mut reject_fn: Option<Function> = None;
    let promise = Promise::new(&mut |resolve, reject| {
        timer = set_timeout(&resolve, ms.min(i32::MAX as u32) as i32);
        if let Some(sig) = signal {
            let _ = sig.add_event_listener_with_callback("abort", &reject);
        }
        reject_fn = Some(reject);
    });
    let outcome = JsFuture::from(promise).await;
    clear_timeout(&timer);
    if let (Some(sig), Some(r)) = (signal, &reject_fn) {
        let _ = sig.remove_event_listener_with_callback("abort", r);
    }
    outcome.map(|_| ()).map_err(|_| aborted())
}

fn aborted() -> Error {
    Error::new(ErrorCode::Aborted, "the request was aborted")
}

fn connection(detail: &str) -> Error {
    // Browser fetch errors say only "Failed to fetch"; keep the runtime's words for debugging.
    Error::new(ErrorCode::Connection, format!("network error: {detail}"))
}

/// The `message` of a thrown JS value, without assuming it is an Error.
pub fn js_message(v: &JsValue) -> String {
    if let Some(s) = v.as_string() {
        return s;
    }
    Reflect::get(v, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| "unknown error".to_string())
}
