//! Runs API calls from start to end in Rust: build the request, send it (`transport::send`,
//! fetch through web-sys), judge the answer, and when `core::retry` says so wait and send
//! again, reporting each step to the hooks. The client's entry points and the Worker's
//! upstream calls await the same [`retried`] loop, so both builds share one.

use std::future::Future;
use std::pin::Pin;

use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

use super::hooks::{Observer, Trace};
use super::transport::{self, RawResponse, ReadAs, SendOptions};
use crate::core::endpoints::Call;
use crate::core::error::{Error, ErrorCode};
use crate::core::request::HttpRequest;
use crate::core::response::{self, Meta, Unwrap};
use crate::core::retry::{self, Policy};

/// What every call of one client (or of the Worker's upstream) shares.
pub struct Inner {
    pub config: crate::core::config::ClientConfig,
    pub secrets: crate::core::error::Secrets,
    pub timeout_ms: u32,
    pub retry: Policy,
    pub fetch: Option<js_sys::Function>,
    /// `allowInsecureHttp`: also governs the upload URLs Gumroad hands out.
    pub allow_insecure: bool,
    /// `hooks` / `debug` (client build only; `None` when neither is set).
    pub observer: Option<Observer>,
}

/// Per-call options (`{ signal, timeoutMs, maxRetries }`), already validated.
#[derive(Clone, Default)]
pub struct CallOptions {
    pub signal: Option<AbortSignal>,
    pub timeout_ms: Option<u32>,
    pub max_retries: Option<u32>,
}

impl Inner {
    /// The attempt settings of a call with `opts`.
    pub fn send_options<'a>(&'a self, opts: &'a CallOptions) -> SendOptions<'a> {
        SendOptions {
            timeout_ms: opts.timeout_ms.unwrap_or(self.timeout_ms),
            signal: opts.signal.as_ref(),
            fetch: self.fetch.as_ref(),
        }
    }
}

/// A call on its way: its payload, or the error it ended with. Boxed, so the retry loop's
/// state machine is compiled once and not again inside every caller's future (each copy was
/// kilobytes of wasm).
pub type Pending<'a> = Pin<Box<dyn Future<Output = Result<JsValue, Error>> + 'a>>;

/// Sends an API route's call; its unwrapped payload, or the error (redacted).
pub fn api<'a>(inner: &'a Inner, call: Call, opts: &'a CallOptions) -> Pending<'a> {
    Box::pin(async move {
        let unwrap = call.unwrap;
        let read = match unwrap {
            Unwrap::Binary => ReadAs::Bytes,
            _ => ReadAs::Json,
        };
        let accept = |raw: &RawResponse| api_payload(inner, unwrap, raw);
        let safe = call.safe_to_retry;
        retried(inner, &call.request, None, read, safe, opts, &accept).await
    })
}

/// The retry loop: sends `request` (with `raw_body` instead of its text body when given) until
/// `accept` takes an answer, or `core::retry` says the error it ended with is final. A call
/// that is not `safe_to_retry` is only retried where `core::retry` knows it did not run.
pub fn retried<'a>(
    inner: &'a Inner,
    request: &'a HttpRequest,
    raw_body: Option<&'a JsValue>,
    read: ReadAs,
    safe_to_retry: bool,
    opts: &'a CallOptions,
    accept: &'a dyn Fn(&RawResponse) -> Result<JsValue, Error>,
) -> Pending<'a> {
    Box::pin(async move {
        let policy = Policy {
            max_retries: opts.max_retries.unwrap_or(inner.retry.max_retries),
            max_wait_secs: inner.retry.max_wait_secs,
        };
        let send = inner.send_options(opts);
        let observer = inner.observer.as_ref();
        let mut trace = observer.map(|_| Trace::new(&inner.config, request));
        let mut retries = 0;
        loop {
            if let (Some(t), Some(o)) = (&mut trace, observer) {
                t.request(o, retries + 1);
            }
            let result = transport::send(request, raw_body, read, &send)
                .await
                .and_then(|raw| {
                    if let (Some(t), Some(o)) = (&mut trace, observer) {
                        t.response(o, raw.status);
                    }
                    accept(&raw)
                });
            let e = match result {
                Ok(v) => return Ok(v),
                Err(e) => e,
            };
            let wait =
                retry::next_delay(&policy, safe_to_retry, &e, retries, js_sys::Math::random());
            if let (Some(t), Some(o)) = (&trace, observer) {
                t.failed(o, &e, wait);
            }
            let Some(ms) = wait else {
                return Err(e.redacted(&inner.secrets));
            };
            retries += 1;
            if !transport::pause(ms, send.signal).await {
                let e = transport::aborted();
                if let (Some(t), Some(o)) = (&trace, observer) {
                    t.failed(o, &e, None);
                }
                return Err(e);
            }
        }
    })
}

/// A client call as the Promise JS gets: the payload, or the typed error it rejects with
/// (`request` is `METHOD url` for the error's `request` field).
#[cfg(feature = "client")]
pub fn promise(request: Option<String>, call: Pending<'static>) -> js_sys::Promise {
    to_promise(Box::pin(async move {
        call.await.map_err(|e| super::errors::to_js(&e, request))
    }))
}

/// Runs a future on wasm-bindgen-futures' queue as a Promise: the one `future_to_promise` of
/// the client build (each future type would compile another copy of it).
#[cfg(feature = "client")]
pub fn to_promise(
    call: Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>,
) -> js_sys::Promise {
    wasm_bindgen_futures::future_to_promise(call)
}

/// A Promise rejected with the error that kept a call from being built (bad arguments or
/// options).
#[cfg(feature = "client")]
pub fn refused(e: &Error) -> js_sys::Promise {
    js_sys::Promise::reject(&super::errors::to_js(e, None))
}

fn now_unix() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// An API answer's payload: `core::response::interpret` judges it, then the route's `Unwrap`
/// takes the payload out (a 2xx download is `{ data, contentType, filename }`).
fn api_payload(inner: &Inner, unwrap: Unwrap, raw: &RawResponse) -> Result<JsValue, Error> {
    // Retry-After only means something on an error answer: a success reads neither it nor
    // the clock.
    let retry_after = if (200..300).contains(&raw.status) {
        None
    } else {
        raw.header("retry-after")
    };
    let meta = Meta {
        status: raw.status,
        now_unix: if retry_after.is_some() { now_unix() } else { 0 },
        retry_after,
        via_maton: inner.config.is_maton(),
    };
    if let Some(bytes) = raw.bytes() {
        let out = js_sys::Object::new();
        transport::set(&out, "data", bytes);
        let ctype = raw.header("content-type").unwrap_or_default();
        transport::set(&out, "contentType", &JsValue::from_str(&ctype));
        let name = raw
            .header("content-disposition")
            .and_then(|d| response::disposition_filename(&d));
        let name = name.map_or(JsValue::NULL, |n| JsValue::from_str(&n));
        transport::set(&out, "filename", &name);
        return Ok(out.into());
    }
    response::interpret(&meta, &raw.envelope(), &inner.secrets)?;
    if unwrap == Unwrap::Binary {
        // A 2xx download arrives as bytes (above); a JSON 2xx where a file was expected is not
        // what the API sends.
        return Err(
            Error::new(ErrorCode::Decode, "expected a file, got a JSON answer")
                .with_status(raw.status),
        );
    }
    raw.unwrap(unwrap).map_err(|key| {
        Error::new(
            ErrorCode::Decode,
            crate::core::text::cat(&["the answer lacks the `", key, "` field the API documents"]),
        )
        .with_status(raw.status)
    })
}
