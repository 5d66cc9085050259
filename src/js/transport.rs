//! Sends one `HttpRequest` with the global `fetch` (or the caller's), with a timeout and the
//! caller's `AbortSignal`, and reads the whole answer.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use crate::core::error::{Error, ErrorCode};
use crate::core::request::HttpRequest;

#[wasm_bindgen]
extern "C" {
    // Global timers exist in browsers, workers, Node and workerd alike; `window` does not.
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

// One attempt in JS (fetch, timeout, abort wiring, body read): one crossing and one awaited
// promise per attempt. It never rejects, so no JS exception can unwind through the wasm (the
// reason gloo-net's `send()`, which panics on a non-Error rejection, left the transport).
#[wasm_bindgen(module = "/js/transport.js")]
extern "C" {
    type Answer;
    #[wasm_bindgen(method, getter)]
    fn status(this: &Answer) -> u16;
    #[wasm_bindgen(method, getter)]
    fn headers(this: &Answer) -> web_sys::Headers;
    #[wasm_bindgen(method, getter)]
    fn body(this: &Answer) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn failure(this: &Answer) -> u8;
    #[wasm_bindgen(method, getter)]
    fn message(this: &Answer) -> String;

    #[wasm_bindgen(js_name = sendOnce)]
    #[allow(clippy::too_many_arguments)]
    fn send_once(
        fetch: Option<&Function>,
        url: &str,
        method: &str,
        headers: Vec<JsValue>,
        body: &JsValue,
        read_bytes: bool,
        timeout_ms: u32,
        signal: Option<&AbortSignal>,
    ) -> Promise;
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
    let headers: Vec<JsValue> = req
        .headers
        .iter()
        .flat_map(|(k, v)| [JsValue::from_str(k), JsValue::from_str(v)])
        .collect();
    let body = match (raw_body, &req.body) {
        (Some(b), _) => b.clone(),
        (None, Some(text)) => JsValue::from_str(text),
        (None, None) => JsValue::UNDEFINED,
    };
    let promise = send_once(
        opts.fetch,
        &req.url,
        req.method.as_str(),
        headers,
        &body,
        read == ReadAs::BytesIfOk,
        opts.timeout_ms,
        opts.signal,
    );
    // sendOnce never rejects; a rejection here would be a bug in it, reported as a network error.
    let answer: Answer = JsFuture::from(promise)
        .await
        .map_err(|e| connection(&js_message(&e)))?
        .unchecked_into();
    match answer.failure() {
        0 => {}
        1 => return Err(aborted()),
        2 => {
            return Err(Error::new(
                ErrorCode::Timeout,
                crate::core::text::cat(&[
                    "no answer within ",
                    &crate::core::text::uint(opts.timeout_ms.into()),
                    " ms",
                ]),
            ))
        }
        _ => return Err(connection(&answer.message())),
    }
    let content = answer.body();
    let body = match content.dyn_into::<js_sys::Uint8Array>() {
        Ok(bytes) => RawBody::Bytes(bytes),
        Err(text) => RawBody::Text(text.unchecked_into()),
    };
    Ok(RawResponse {
        status: answer.status(),
        headers: answer.headers(),
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
    Error::new(
        ErrorCode::Connection,
        crate::core::text::cat(&["network error: ", detail]),
    )
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
