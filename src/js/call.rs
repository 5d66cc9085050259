//! Runs one API call: send, interpret, retry when safe, unwrap the payload.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

use super::client::Inner;
use super::transport::{self, RawResponse, SendOptions};
use crate::core::endpoints::Call;
use crate::core::error::{Error, ErrorCode};
use crate::core::response::{self, Body, Envelope, Meta, Unwrap};
use crate::core::retry;

/// Per-call options (`{ signal, timeoutMs, maxRetries }`), already validated.
#[derive(Default)]
pub struct CallOptions {
    pub signal: Option<AbortSignal>,
    pub timeout_ms: Option<u32>,
    pub max_retries: Option<u32>,
}

/// Sends `call` and returns the unwrapped payload, or the error to throw.
pub async fn execute(inner: &Inner, call: &Call, opts: &CallOptions) -> Result<JsValue, JsValue> {
    run_call(inner, call, opts)
        .await
        .map_err(|e| super::errors::to_js(&e, Some(call.request.describe())))
}

/// Like [`execute`], keeping the Rust error (already redacted).
pub async fn run_call(inner: &Inner, call: &Call, opts: &CallOptions) -> Result<JsValue, Error> {
    run(inner, call, opts)
        .await
        .map_err(|e| e.redacted(&inner.secrets))
}

async fn run(inner: &Inner, call: &Call, opts: &CallOptions) -> Result<JsValue, Error> {
    let max_retries = opts.max_retries.unwrap_or(inner.max_retries);
    let send_opts = SendOptions {
        timeout_ms: opts.timeout_ms.unwrap_or(inner.timeout_ms),
        signal: opts.signal.as_ref(),
        fetch: inner.fetch.as_ref(),
    };
    let mut retries = 0;
    loop {
        let outcome = match transport::send(&call.request, &send_opts).await {
            Ok(raw) => handle(inner, call, raw),
            Err(e) => Err(e),
        };
        match outcome {
            Ok(v) => return Ok(v),
            Err(e)
                if retry::should_retry(call.safe_to_retry, &e, retries, max_retries)
                    && e.retry_after.is_none_or(|s| s <= inner.max_retry_wait_secs) =>
            {
                let wait = retry::delay_ms(retries, e.retry_after, js_sys::Math::random());
                transport::sleep(wait, opts.signal.as_ref()).await?;
                retries += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

fn handle(inner: &Inner, call: &Call, raw: RawResponse) -> Result<JsValue, Error> {
    let (body, parsed) = classify(&raw.text);
    let meta = Meta {
        status: raw.status,
        retry_after: raw.retry_after,
        via_maton: inner.config.is_maton(),
    };
    response::interpret(&meta, &body, &inner.secrets)?;
    let obj = parsed.ok_or_else(|| Error::new(ErrorCode::Decode, "missing JSON body"))?;
    unwrap(&obj, call.unwrap).map_err(|e| e.with_status(raw.status))
}

#[wasm_bindgen]
extern "C" {
    // `JSON.parse` taking the JS string as is (js-sys's binding takes a Rust `&str`, which
    // would copy the body into wasm and back).
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &js_sys::JsString) -> Result<JsValue, JsValue>;
}

/// Parses the body with the runtime's `JSON.parse` and reads the envelope fields.
fn classify(text: &js_sys::JsString) -> (Body, Option<JsValue>) {
    if text.trim().length() == 0 {
        return (Body::Empty, None);
    }
    let Ok(value) = json_parse(text) else {
        return (Body::Text, None);
    };
    if !value.is_object() || Array::is_array(&value) {
        return (Body::JsonNotObject, None);
    }
    let get = |k: &str| Reflect::get(&value, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
    let env = Envelope {
        success: get("success").as_bool(),
        message: get("message").as_string(),
        error: get("error").as_string(),
    };
    (Body::Json(env), Some(value))
}

fn field(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

fn missing(key: &str) -> Error {
    Error::new(
        ErrorCode::Decode,
        format!("the answer lacks the `{key}` field the API documents"),
    )
}

fn unwrap(obj: &JsValue, how: Unwrap) -> Result<JsValue, Error> {
    match how {
        Unwrap::Field(k) => {
            let v = field(obj, k);
            if v.is_undefined() || v.is_null() {
                return Err(missing(k));
            }
            Ok(v)
        }
        Unwrap::Page(k) => {
            let items = field(obj, k);
            if !Array::is_array(&items) {
                return Err(missing(k));
            }
            let out = Object::new();
            set(&out, k, &items);
            let next = field(obj, "next_page_key");
            if next.as_string().is_some_and(|s| !s.is_empty()) {
                set(&out, "next_page_key", &next);
            }
            Ok(out.into())
        }
        Unwrap::License => {
            let uses = field(obj, "uses");
            if uses.as_f64().is_none() {
                return Err(missing("uses"));
            }
            let out = Object::new();
            set(&out, "uses", &uses);
            let purchase = field(obj, "purchase");
            let imported = field(obj, "imported_customer");
            if purchase.is_object() {
                set(&out, "purchase", &purchase);
            } else if imported.is_object() {
                set(&out, "imported_customer", &imported);
            } else {
                return Err(missing("purchase"));
            }
            Ok(out.into())
        }
        Unwrap::Message => {
            let out = Object::new();
            set(&out, "message", &field(obj, "message"));
            Ok(out.into())
        }
        Unwrap::Nothing => Ok(JsValue::UNDEFINED),
        Unwrap::Whole => {
            let _ = Reflect::delete_property(&Object::from(obj.clone()), &"success".into());
            Ok(obj.clone())
        }
    }
}
