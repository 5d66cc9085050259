//! Request bodies, read with a byte cap as they stream in: a chunked body has no
//! `Content-Length` to check, and reading it whole first would let one request hold megabytes.

use js_sys::{Reflect, Uint8Array, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStreamDefaultReader, Request};

use crate::core::worker::{
    body_kind, parse_form_input, BodyKind, LicenseInput, WorkerError, INPUT_FIELDS,
};

/// The body as UTF-8 text, or `BodyTooLarge` as soon as more than `cap` bytes have arrived
/// (the rest is cancelled, never read).
pub async fn read_capped(request: &Request, cap: usize) -> Result<String, WorkerError> {
    let declared = request
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > cap as u64) {
        return Err(WorkerError::BodyTooLarge);
    }
    let Some(stream) = request.body() else {
        return Ok(String::new());
    };
    let reader: ReadableStreamDefaultReader = stream
        .get_reader()
        .dyn_into()
        .map_err(|_| WorkerError::MalformedBody)?;
    let mut bytes: Vec<u8> = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|_| WorkerError::MalformedBody)?;
        let done = Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            break;
        }
        let value = Reflect::get(&chunk, &"value".into()).unwrap_or(JsValue::UNDEFINED);
        let Ok(part) = value.dyn_into::<Uint8Array>() else {
            let _ = reader.cancel();
            return Err(WorkerError::MalformedBody);
        };
        if bytes.len() + part.length() as usize > cap {
            // Stop the upload here: the client sees 413 without the worker reading the rest.
            let _ = reader.cancel();
            return Err(WorkerError::BodyTooLarge);
        }
        let at = bytes.len();
        bytes.resize(at + part.length() as usize, 0);
        if let Some(dst) = bytes.get_mut(at..) {
            part.copy_to(dst);
        }
    }
    String::from_utf8(bytes).map_err(|_| WorkerError::MalformedBody)
}

/// Reads and validates a license request's body. `json_only`: activate and deactivate.
pub async fn read_input(request: &Request, json_only: bool) -> Result<LicenseInput, WorkerError> {
    let content_type = request.headers().get("content-type").ok().flatten();
    let kind = body_kind(content_type.as_deref())?;
    if json_only && kind != BodyKind::Json {
        return Err(WorkerError::JsonRequired);
    }
    let text = read_capped(request, crate::core::worker::MAX_BODY_BYTES).await?;
    match kind {
        BodyKind::Form => Ok(parse_form_input(&text)),
        BodyKind::Json => parse_json_input(&text),
    }
}

fn parse_json_input(text: &str) -> Result<LicenseInput, WorkerError> {
    let v = JSON::parse(text).map_err(|_| WorkerError::MalformedBody)?;
    if !v.is_object() || js_sys::Array::is_array(&v) {
        return Err(WorkerError::MalformedBody);
    }
    let mut input = LicenseInput::default();
    for name in INPUT_FIELDS {
        let x = Reflect::get(&v, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
        if x.is_undefined() || x.is_null() {
            continue;
        }
        input.set(name, x.as_string().ok_or(WorkerError::MalformedBody)?);
    }
    Ok(input)
}
