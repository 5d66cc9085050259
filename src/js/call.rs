//! Runs one API call: send, interpret, retry when `core::retry` says so, unwrap the payload.

use js_sys::{Object, Reflect};
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
#[derive(Default)]
pub struct CallOptions {
    pub signal: Option<AbortSignal>,
    pub timeout_ms: Option<u32>,
    pub max_retries: Option<u32>,
}

/// Sends `call` and returns the unwrapped payload, or the error to throw.
#[cfg(feature = "client")]
pub async fn execute(inner: &Inner, call: &Call, opts: &CallOptions) -> Result<JsValue, JsValue> {
    run_call(inner, call, opts)
        .await
        .map_err(|e| super::errors::to_js(&e, Some(call.request.describe())))
}

/// Like [`execute`], keeping the Rust error (already redacted).
pub async fn run_call(inner: &Inner, call: &Call, opts: &CallOptions) -> Result<JsValue, Error> {
    send_with_retries(
        inner,
        opts,
        &call.request,
        None,
        ReadAs::Api(call.unwrap),
        call.safe_to_retry,
        &|raw| handle(inner, call, raw),
    )
    .await
    .map_err(|e| e.redacted(&inner.secrets))
}

fn send_options<'a>(inner: &'a Inner, opts: &'a CallOptions) -> SendOptions<'a> {
    SendOptions {
        timeout_ms: opts.timeout_ms.unwrap_or(inner.timeout_ms),
        signal: opts.signal.as_ref(),
        fetch: inner.fetch.as_ref(),
    }
}

/// Sends `req` (with `raw_body` instead of its text body when given) until `handle` accepts an
/// answer or `core::retry` gives up, sleeping in between (the wait ends early when the caller's
/// signal fires). Every attempt, answer, retry and final failure is reported to the client's
/// hooks, if it has any.
pub async fn send_with_retries(
    inner: &Inner,
    opts: &CallOptions,
    req: &HttpRequest,
    raw_body: Option<&JsValue>,
    read: ReadAs,
    safe_to_retry: bool,
    handle: &dyn Fn(RawResponse) -> Result<JsValue, Error>,
) -> Result<JsValue, Error> {
    let policy = Policy {
        max_retries: opts.max_retries.unwrap_or(inner.retry.max_retries),
        max_wait_secs: inner.retry.max_wait_secs,
    };
    let mut trace = inner
        .observer
        .as_ref()
        .map(|o| Trace::new(o, &inner.config, req));
    let mut retries = 0;
    loop {
        if let Some(t) = &mut trace {
            t.request(retries + 1);
        }
        let result = match transport::send(req, raw_body, read, &send_options(inner, opts)).await {
            Ok(raw) => {
                if let Some(t) = &mut trace {
                    t.response(raw.status);
                }
                handle(raw)
            }
            Err(e) => Err(e),
        };
        let e = match result {
            Ok(v) => return Ok(v),
            Err(e) => e,
        };
        let wait = retry::next_delay(&policy, safe_to_retry, &e, retries, js_sys::Math::random());
        if let Some(t) = &trace {
            t.failed(&e, wait);
        }
        let Some(wait) = wait else {
            return Err(e);
        };
        if let Err(e) = transport::sleep(wait, opts.signal.as_ref()).await {
            if let Some(t) = &trace {
                t.failed(&e, None);
            }
            return Err(e);
        }
        retries += 1;
    }
}

fn now_unix() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

fn handle(inner: &Inner, call: &Call, raw: RawResponse) -> Result<JsValue, Error> {
    // Retry-After only means something on an error answer; reading a header and the clock
    // costs two boundary crossings, so a success skips both.
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
        // Only a 2xx download is read as bytes.
        let out = Object::new();
        set(&out, "data", &bytes);
        let ctype = raw.header("content-type").unwrap_or_default();
        set(&out, "contentType", &JsValue::from_str(&ctype));
        let name = raw
            .header("content-disposition")
            .and_then(|d| response::disposition_filename(&d));
        set(
            &out,
            "filename",
            &name.map_or(JsValue::NULL, |n| JsValue::from_str(&n)),
        );
        return Ok(out.into());
    }
    response::interpret(&meta, &raw.envelope(), &inner.secrets)?;
    if let Some(key) = raw.missing() {
        return Err(missing(&key).with_status(raw.status));
    }
    match call.unwrap {
        // A 2xx download arrives as bytes (above); a JSON 2xx where a file was expected is not
        // what the API sends.
        Unwrap::Binary => Err(
            Error::new(ErrorCode::Decode, "expected a file, got a JSON answer")
                .with_status(raw.status),
        ),
        _ => Ok(raw.value()),
    }
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

fn missing(key: &str) -> Error {
    Error::new(
        ErrorCode::Decode,
        crate::core::text::cat(&["the answer lacks the `", key, "` field the API documents"]),
    )
}
