//! Sends one `HttpRequest` with `fetch` through web-sys (the global one, or the caller's
//! `fetch` option), with a timeout and the caller's `AbortSignal`, and reads the whole answer.
//!
//! Built the way that keeps a Rust-driven fetch near plain JS (measured in
//! `web-sys-fetch-costs`): the URL string and a `RequestInit` (never a `web_sys::Request`), a
//! plain object of headers, one `AbortController` whose bound `abort` serves as both the timer's
//! callback and the caller's signal listener (no Rust closure), the body kept as a JS string and
//! parsed by `JSON.parse`, and the envelope read with typed getters (no key strings made per
//! read). A rejected promise is an `Err` here, whatever was thrown: nothing can unwind through
//! the wasm.

use std::future::Future;
use std::pin::Pin;

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, Headers, RequestInit, Response};

use crate::core::error::{Error, ErrorCode};
use crate::core::request::HttpRequest;
use crate::core::response::{Body, Envelope, Unwrap};
use crate::core::text::{cat, uint};

#[wasm_bindgen]
extern "C" {
    // The platform's globals: browsers, workers, Node, Deno, Bun and workerd all have them
    // (`window` is not one of them).
    #[wasm_bindgen(js_name = fetch, catch)]
    fn global_fetch(url: &str, init: &RequestInit) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
    #[wasm_bindgen(js_namespace = Promise, js_name = resolve, catch)]
    fn promise_resolve(value: &JsValue) -> Result<Promise, JsValue>;
    /// The caller's signal, read with a binding that catches (its `aborted` may be a getter of
    /// an object that only looks like an AbortSignal).
    type SignalState;
    #[wasm_bindgen(method, getter, catch)]
    fn aborted(this: &SignalState) -> Result<bool, JsValue>;
    /// A function to bind: `f.bind(this, arg)` makes a callback of JS values alone, with no
    /// Rust closure to keep alive.
    type Bindable;
    #[wasm_bindgen(method, js_name = bind)]
    fn bind(f: &Bindable, this: &JsValue, arg: &JsValue) -> Function;
    /// An `AbortController`, for its `abort` method as a value.
    type Controller;
    #[wasm_bindgen(method, getter)]
    fn abort(this: &Controller) -> Bindable;
    // `JSON.parse` of the JS string as it is (js-sys's takes a `&str`: a copy in and out).
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &JsValue) -> Result<JsValue, JsValue>;

    /// A parsed JSON object, read through getters compiled into the glue (`value.success`).
    type JsonObject;
    #[wasm_bindgen(method, getter)]
    fn success(this: &JsonObject) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn message(this: &JsonObject) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn error(this: &JsonObject) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn uses(this: &JsonObject) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn purchase(this: &JsonObject) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn imported_customer(this: &JsonObject) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn next_page_key(this: &JsonObject) -> JsValue;

    /// What a thrown value says, without assuming it is an Error.
    type Thrown;
    #[wasm_bindgen(method, getter, structural, catch)]
    fn message(this: &Thrown) -> Result<JsValue, JsValue>;
}

/// What the body of an answer turned out to be, kept as JS values.
enum Content {
    /// Empty or only whitespace.
    Empty,
    /// Not JSON (an HTML error page, `Retry later`, truncated JSON), or a body read as text.
    Text,
    /// Valid JSON that is not an object (an array, a number...).
    NotObject,
    Object(JsonObject),
    /// The bytes of a 2xx download.
    Bytes(Uint8Array),
}

/// A complete HTTP answer.
pub struct RawResponse {
    pub status: u16,
    headers: Headers,
    content: Content,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).ok().flatten()
    }

    /// The body of a 2xx download (read as bytes when the route unwraps `Binary`).
    pub fn bytes(&self) -> Option<&Uint8Array> {
        match &self.content {
            Content::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// The parsed JSON object, if the body was one (OAuth answers).
    #[cfg(feature = "client")]
    pub fn object(&self) -> JsValue {
        match &self.content {
            Content::Object(o) => JsValue::clone(o.as_ref()),
            _ => JsValue::UNDEFINED,
        }
    }

    /// What the body is, with the envelope fields `core::response::interpret` judges. The
    /// server's words are only read when the answer is a failure (they are only used then).
    pub fn envelope(&self) -> Body {
        match &self.content {
            Content::Empty | Content::Bytes(_) => Body::Empty,
            Content::Text => Body::Text,
            Content::NotObject => Body::JsonNotObject,
            Content::Object(o) => {
                let success = o.success().as_bool();
                let failed = !(200..300).contains(&self.status) || success == Some(false);
                Body::Json(Envelope {
                    success,
                    message: if failed {
                        o.message().as_string()
                    } else {
                        None
                    },
                    error: if failed { o.error().as_string() } else { None },
                })
            }
        }
    }

    /// The payload of a successful API answer, taken out as the route's `Unwrap` says, or the
    /// field the answer lacks.
    pub fn unwrap(&self, unwrap: Unwrap) -> Result<JsValue, &'static str> {
        let Content::Object(obj) = &self.content else {
            return Ok(JsValue::UNDEFINED);
        };
        match unwrap {
            Unwrap::Field(key) => {
                let v = Reflect::get(obj, &JsValue::from_str(key)).unwrap_or_default();
                if v.is_undefined() || v.is_null() {
                    return Err(key);
                }
                Ok(v)
            }
            Unwrap::Page(key) => {
                let items = Reflect::get(obj, &JsValue::from_str(key)).unwrap_or_default();
                if !Array::is_array(&items) {
                    return Err(key);
                }
                let out = Object::new();
                set(&out, key, &items);
                let next = obj.next_page_key();
                if next.as_string().is_some_and(|s| !s.is_empty()) {
                    set(&out, "next_page_key", &next);
                }
                Ok(out.into())
            }
            Unwrap::License => {
                let uses = obj.uses();
                if uses.as_f64().is_none() {
                    return Err("uses");
                }
                let out = Object::new();
                set(&out, "uses", &uses);
                let (purchase, imported) = (obj.purchase(), obj.imported_customer());
                if is_object(&purchase) {
                    set(&out, "purchase", &purchase);
                } else if is_object(&imported) {
                    set(&out, "imported_customer", &imported);
                } else {
                    return Err("purchase");
                }
                Ok(out.into())
            }
            Unwrap::Message => {
                let out = Object::new();
                set(&out, "message", &obj.message());
                Ok(out.into())
            }
            Unwrap::Whole => {
                let _ = Reflect::delete_property(
                    obj.unchecked_ref::<Object>(),
                    &JsValue::from_str("success"),
                );
                Ok(JsValue::clone(obj.as_ref()))
            }
            // A 2xx download arrives as bytes; a JSON 2xx where a file was expected is judged
            // by the caller.
            Unwrap::Nothing | Unwrap::Binary => Ok(JsValue::UNDEFINED),
        }
    }
}

fn is_object(v: &JsValue) -> bool {
    v.is_object() && !v.is_null()
}

pub fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

/// How the body is read.
#[derive(Clone, Copy, PartialEq, Eq)]
// The Worker build only reads API answers (uploads and OAuth are the client's).
#[cfg_attr(not(feature = "client"), allow(dead_code))]
pub enum ReadAs {
    /// Read as text and left alone (a storage PUT: only the status and headers matter).
    Text,
    /// JSON when it is JSON (API and OAuth answers).
    Json,
    /// The bytes when the answer is a 2xx, JSON otherwise (downloads).
    Bytes,
}

/// Per-attempt settings.
pub struct SendOptions<'a> {
    pub timeout_ms: u32,
    pub signal: Option<&'a AbortSignal>,
    pub fetch: Option<&'a Function>,
}

/// Sends `req` once (with `raw_body` instead of its text body when given: a Blob or bytes) and
/// reads the answer; the timeout covers the body too.
/// Boxed, so its state machine is compiled once for the retry loop and OAuth alike.
pub fn send<'a>(
    req: &'a HttpRequest,
    raw_body: Option<&'a JsValue>,
    read: ReadAs,
    opts: &'a SendOptions<'a>,
) -> Pin<Box<dyn Future<Output = Result<RawResponse, Error>> + 'a>> {
    Box::pin(async move {
        let signal = opts.signal;
        if signal.is_some_and(is_aborted) {
            return Err(aborted());
        }
        let controller = AbortController::new().map_err(|e| connection(&message_of(&e)))?;
        // `abort` bound to its controller, with an explicit `undefined` reason (as an event
        // listener it would otherwise get the Event).
        let abort = controller
            .unchecked_ref::<Controller>()
            .abort()
            .bind(&controller, &JsValue::UNDEFINED);
        if let Some(s) = signal {
            let _ = s.add_event_listener_with_callback("abort", &abort);
        }
        let timer = (opts.timeout_ms > 0)
            .then(|| set_timeout(&abort, opts.timeout_ms.min(i32::MAX as u32) as i32));
        let outcome = attempt(req, raw_body, read, opts.fetch, &controller.signal()).await;
        if let Some(t) = &timer {
            clear_timeout(t);
        }
        if let Some(s) = signal {
            let _ = s.remove_event_listener_with_callback("abort", &abort);
        }
        outcome.map_err(|failure| match failure {
            _ if signal.is_some_and(is_aborted) => aborted(),
            _ if controller.signal().aborted() => Error::new(
                ErrorCode::Timeout,
                cat(&["no answer within ", &uint(opts.timeout_ms.into()), " ms"]),
            ),
            Failure::Thrown(prefix, e) => connection(&cat(&[prefix, &message_of(&e)])),
            Failure::Said(m) => connection(m),
        })
    })
}

/// Why an attempt ended without an answer, before the abort state is looked at.
enum Failure {
    /// A rejection or throw, with what to say before its message.
    Thrown(&'static str, JsValue),
    Said(&'static str),
}

async fn attempt(
    req: &HttpRequest,
    raw_body: Option<&JsValue>,
    read: ReadAs,
    fetch: Option<&Function>,
    signal: &AbortSignal,
) -> Result<RawResponse, Failure> {
    let headers = Object::new();
    for (k, v) in &req.headers {
        set(&headers, k, &JsValue::from_str(v));
    }
    let init = RequestInit::new();
    init.set_method(req.method.as_str());
    init.set_headers(&headers);
    init.set_signal(Some(signal));
    match (raw_body, &req.body) {
        (Some(b), _) => init.set_body(b),
        (None, Some(text)) => init.set_body(&JsValue::from_str(text)),
        (None, None) => {}
    }
    let pending = match fetch {
        None => global_fetch(&req.url, &init).map_err(|e| Failure::Thrown("", e))?,
        Some(f) => {
            let r = f
                .call2(&JsValue::UNDEFINED, &JsValue::from_str(&req.url), &init)
                .map_err(|e| Failure::Thrown("", e))?;
            let thenable = r.is_instance_of::<Promise>()
                || Reflect::get(&r, &JsValue::from_str("then")).is_ok_and(|t| t.is_function());
            if !thenable {
                return Err(Failure::Said("the fetch option did not return a Promise"));
            }
            as_promise(&r).map_err(|e| Failure::Thrown("", e))?
        }
    };
    let response: Response = JsFuture::from(pending)
        .await
        .map_err(|e| Failure::Thrown("", e))?
        .dyn_into()
        .map_err(|_| Failure::Said("fetch did not resolve to a Response"))?;
    let status = response.status();
    let reading = "reading the body failed: ";
    let content = if read == ReadAs::Bytes && (200..300).contains(&status) {
        let buf = body(response.array_buffer())
            .await
            .map_err(|e| Failure::Thrown(reading, e))?;
        Content::Bytes(Uint8Array::new(&buf))
    } else {
        let text = body(response.text())
            .await
            .map_err(|e| Failure::Thrown(reading, e))?;
        match read {
            ReadAs::Text => Content::Text,
            _ => parse(text),
        }
    };
    Ok(RawResponse {
        status,
        headers: response.headers(),
        content,
    })
}

async fn body(started: Result<Promise, JsValue>) -> Result<JsValue, JsValue> {
    JsFuture::from(started?).await
}

fn parse(text: JsValue) -> Content {
    match json_parse(&text) {
        // Only a failed parse needs to know whether there was anything to parse.
        Err(_) if js_sys::JsString::from(text).trim().length() == 0 => Content::Empty,
        Err(_) => Content::Text,
        Ok(v) if !is_object(&v) || Array::is_array(&v) => Content::NotObject,
        Ok(v) => Content::Object(v.unchecked_into()),
    }
}

/// `Promise.resolve(value)`, an error instead of a throw (a thenable's `then` getter, a
/// promise's `constructor` getter may throw).
pub fn as_promise(value: &JsValue) -> Result<Promise, JsValue> {
    promise_resolve(value)
}

/// Whether `signal.aborted` can be read at all.
#[cfg(feature = "client")]
pub fn signal_readable(signal: &AbortSignal) -> bool {
    signal.unchecked_ref::<SignalState>().aborted().is_ok()
}

/// Whether the caller's signal fired; a signal that cannot be read counts as fired.
pub fn is_aborted(signal: &AbortSignal) -> bool {
    signal
        .unchecked_ref::<SignalState>()
        .aborted()
        .unwrap_or(true)
}

/// `f` called with `arg` alone, as a JS function (`f.bind(undefined, arg)`): a callback made
/// of JS values, with no Rust closure to keep alive.
pub fn bound(f: &Function, arg: &JsValue) -> Function {
    f.unchecked_ref::<Bindable>().bind(&JsValue::UNDEFINED, arg)
}

/// Waits `ms`; false as soon as `signal` fires (or when it already has).
pub async fn pause(ms: u32, signal: Option<&AbortSignal>) -> bool {
    if signal.is_some_and(is_aborted) {
        return false;
    }
    let mut timer = JsValue::UNDEFINED;
    let mut stop: Option<Function> = None;
    let promise = Promise::new(&mut |resolve, _reject| {
        timer = set_timeout(
            &bound(&resolve, &JsValue::TRUE),
            ms.min(i32::MAX as u32) as i32,
        );
        if let Some(s) = signal {
            let f = bound(&resolve, &JsValue::FALSE);
            let _ = s.add_event_listener_with_callback("abort", &f);
            stop = Some(f);
        }
    });
    let finished = JsFuture::from(promise).await.is_ok_and(|v| v.is_truthy());
    clear_timeout(&timer);
    if let (Some(s), Some(f)) = (signal, &stop) {
        let _ = s.remove_event_listener_with_callback("abort", f);
    }
    finished
}

/// The `message` of a thrown value, without assuming it is an Error.
fn message_of(e: &JsValue) -> String {
    if let Some(s) = e.as_string() {
        return s;
    }
    if !is_object(e) {
        return "unknown error".into();
    }
    e.unchecked_ref::<Thrown>()
        .message()
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

pub fn aborted() -> Error {
    Error::new(ErrorCode::Aborted, "the request was aborted")
}

fn connection(detail: &str) -> Error {
    // Browser fetch errors say only "Failed to fetch"; keep the runtime's words for debugging.
    Error::new(ErrorCode::Connection, cat(&["network error: ", detail]))
}
