//! Sends one `HttpRequest` with the global `fetch` (or the caller's), with a timeout and the
//! caller's `AbortSignal`, and reads the whole answer.

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::AbortSignal;

use crate::core::error::{Error, ErrorCode};
use crate::core::request::HttpRequest;
use crate::core::response::{Body, Envelope, Unwrap};

// One attempt in JS (fetch, timeout, abort wiring, body read): one crossing per attempt, and a
// promise `drive` awaits. It never rejects, so no JS exception can unwind through the wasm (the
// reason gloo-net's `send()`, which panics on a non-Error rejection, left the transport).
#[wasm_bindgen(module = "/js/transport.js")]
extern "C" {
    pub type Answer;
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
    #[wasm_bindgen(method, getter)]
    fn kind(this: &Answer) -> u8;
    #[wasm_bindgen(method, getter)]
    fn success(this: &Answer) -> u8;
    #[wasm_bindgen(method, getter, js_name = envMessage)]
    fn env_message(this: &Answer) -> Option<String>;
    #[wasm_bindgen(method, getter, js_name = envError)]
    fn env_error(this: &Answer) -> Option<String>;
    #[wasm_bindgen(method, getter)]
    fn value(this: &Answer) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn missing(this: &Answer) -> Option<String>;

    #[wasm_bindgen(js_name = sendOnce)]
    #[allow(clippy::too_many_arguments)]
    fn send_once(
        fetch: Option<&Function>,
        url: &str,
        method: &str,
        headers: Vec<JsValue>,
        body: &JsValue,
        mode: u8,
        key: &str,
        timeout_ms: u32,
        signal: Option<&AbortSignal>,
    ) -> Promise;

    /// Runs a `Flight` (js/call.rs) to its end and frees it (the outcome stays with its
    /// `Landing`); never rejects.
    #[cfg(feature = "worker")]
    pub fn land(flight: &JsValue, signal: Option<&AbortSignal>) -> Promise;

    /// `drive`, then the flight's `finish()`: the payload, or the typed error it rejects with.
    #[cfg(feature = "client")]
    pub fn run(flight: &JsValue, signal: Option<&AbortSignal>) -> Promise;
}

/// A complete HTTP answer, read on the JS side as its `ReadAs` asked.
pub struct RawResponse {
    pub status: u16,
    answer: Answer,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<String> {
        self.answer.headers().get(name).ok().flatten()
    }

    /// The body of a 2xx download (`ReadAs::Api(Unwrap::Binary)`).
    pub fn bytes(&self) -> Option<js_sys::Uint8Array> {
        self.answer.body().dyn_into().ok()
    }

    /// What the body is, with the envelope fields `core::response::interpret` judges. The
    /// server's words are only read when the answer is a failure (they are only used then).
    pub fn envelope(&self) -> Body {
        match self.answer.kind() {
            0 => Body::Empty,
            1 => Body::Text,
            2 => Body::JsonNotObject,
            _ => {
                let success = match self.answer.success() {
                    1 => Some(true),
                    2 => Some(false),
                    _ => None,
                };
                let failed = !(200..300).contains(&self.status) || success == Some(false);
                Body::Json(Envelope {
                    success,
                    message: if failed {
                        self.answer.env_message()
                    } else {
                        None
                    },
                    error: if failed {
                        self.answer.env_error()
                    } else {
                        None
                    },
                })
            }
        }
    }

    /// The payload (`ReadAs::Api`: unwrapped; `ReadAs::Json`: the object or `undefined`).
    pub fn value(&self) -> JsValue {
        self.answer.value()
    }

    /// The field the route's `Unwrap` needed and the answer lacked.
    pub fn missing(&self) -> Option<String> {
        self.answer.missing()
    }
}

/// What the JS side does with the body.
#[derive(Clone, Copy, PartialEq, Eq)]
// The Worker build only reads API answers (uploads and OAuth are the client's).
#[cfg_attr(not(feature = "client"), allow(dead_code))]
pub enum ReadAs {
    /// Text, left alone (a storage PUT: only the status and headers matter).
    Text,
    /// JSON: the parsed object, or `undefined` (OAuth answers).
    Json,
    /// An API answer: its envelope, and the payload unwrapped as the route says. A 2xx
    /// `Unwrap::Binary` answer is read as bytes.
    Api(Unwrap),
}

impl ReadAs {
    /// The mode number and key `sendOnce` takes (the constants at the top of transport.js).
    fn mode(self) -> (u8, &'static str) {
        match self {
            ReadAs::Text => (0, ""),
            ReadAs::Json => (1, ""),
            ReadAs::Api(u) => match u {
                Unwrap::Field(k) => (2, k),
                Unwrap::Page(k) => (3, k),
                Unwrap::License => (4, ""),
                Unwrap::Message => (5, ""),
                Unwrap::Whole => (6, ""),
                Unwrap::Nothing => (7, ""),
                Unwrap::Binary => (8, ""),
            },
        }
    }
}

/// Per-attempt settings.
pub struct SendOptions<'a> {
    pub timeout_ms: u32,
    pub signal: Option<&'a AbortSignal>,
    pub fetch: Option<&'a Function>,
}

/// Starts one attempt of `req` (with `raw_body` instead of its text body when given: a Blob or
/// bytes). The promise resolves to an `Answer` for [`read_answer`], and never rejects.
pub fn start(
    req: &HttpRequest,
    raw_body: Option<&JsValue>,
    read: ReadAs,
    opts: &SendOptions<'_>,
) -> Promise {
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
    let (mode, key) = read.mode();
    send_once(
        opts.fetch,
        &req.url,
        req.method.as_str(),
        headers,
        &body,
        mode,
        key,
        opts.timeout_ms,
        opts.signal,
    )
}

/// The answer of an attempt, or the error that stopped it (aborted, timed out, no connection).
pub fn read_answer(answer: Answer, timeout_ms: u32) -> Result<RawResponse, Error> {
    match answer.failure() {
        0 => {}
        1 => return Err(aborted()),
        2 => {
            return Err(Error::new(
                ErrorCode::Timeout,
                crate::core::text::cat(&[
                    "no answer within ",
                    &crate::core::text::uint(timeout_ms.into()),
                    " ms",
                ]),
            ))
        }
        _ => return Err(connection(&answer.message())),
    }
    Ok(RawResponse {
        status: answer.status(),
        answer,
    })
}

pub fn aborted() -> Error {
    Error::new(ErrorCode::Aborted, "the request was aborted")
}

fn connection(detail: &str) -> Error {
    // Browser fetch errors say only "Failed to fetch"; keep the runtime's words for debugging.
    Error::new(
        ErrorCode::Connection,
        crate::core::text::cat(&["network error: ", detail]),
    )
}
