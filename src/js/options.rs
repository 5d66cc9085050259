//! Reading options objects passed from JS, with clear errors for wrong types and typos.

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::AbortSignal;

use super::call::CallOptions;
use crate::core::error::Error;

#[wasm_bindgen]
extern "C" {
    // The caller's objects may be proxies whose traps throw (or revoked ones): these report the
    // throw instead of unwinding it through the wasm, which js-sys' own bindings would do.
    #[wasm_bindgen(js_namespace = Array, js_name = isArray, catch)]
    pub fn is_array(v: &JsValue) -> Result<bool, JsValue>;
    #[wasm_bindgen(js_namespace = Object, js_name = keys, catch)]
    pub fn keys(o: &JsValue) -> Result<js_sys::Array, JsValue>;
    #[wasm_bindgen(js_namespace = Object, js_name = entries, catch)]
    pub fn entries(o: &JsValue) -> Result<js_sys::Array, JsValue>;
    /// A copy as a plain array (its items then read without traps).
    #[wasm_bindgen(js_namespace = Array, js_name = from, catch)]
    pub fn array_from(v: &JsValue) -> Result<js_sys::Array, JsValue>;
}

/// A JS object we read known keys from.
pub struct OptionsObject<'a> {
    obj: Option<&'a JsValue>,
    what: &'static str,
}

impl<'a> OptionsObject<'a> {
    /// `undefined`/`null` has no fields; anything but a plain object is an error. Keys not in
    /// `allowed` are refused (a misspelt `timeoutMS` silently ignored would be worse).
    pub fn new(value: &'a JsValue, what: &'static str, allowed: &[&str]) -> Result<Self, Error> {
        if value.is_undefined() || value.is_null() {
            return Ok(OptionsObject { obj: None, what });
        }
        if !value.is_object() || value.is_function() || is_array(value).unwrap_or(true) {
            return Err(Error::invalid_argument(crate::core::text::cat(&[
                what,
                " must be an object",
            ])));
        }
        let keys = keys(value).map_err(|_| {
            Error::invalid_argument(crate::core::text::cat(&[what, " could not be read"]))
        })?;
        for k in keys.iter() {
            let name = k.as_string().unwrap_or_default();
            if !allowed.contains(&name.as_str()) {
                return Err(Error::invalid_argument(crate::core::text::cat(&[
                    "unknown ",
                    what,
                    " `",
                    &name,
                    "` (expected one of: ",
                    &allowed.join(", "),
                    ")",
                ])));
            }
        }
        Ok(OptionsObject {
            obj: Some(value),
            what,
        })
    }

    /// Whether the object names `key` at all (even with `undefined` or `null`).
    pub fn has_key(&self, key: &str) -> bool {
        self.obj
            .is_some_and(|o| Reflect::has(o, &JsValue::from_str(key)).unwrap_or(false))
    }

    /// The value of `key`, unless absent, `undefined` or `null`; an error when reading it
    /// throws (a getter, a proxy trap).
    pub fn raw_value(&self, key: &str) -> Result<Option<JsValue>, Error> {
        self.raw(key)
    }

    fn raw(&self, key: &str) -> Result<Option<JsValue>, Error> {
        let Some(obj) = self.obj else {
            return Ok(None);
        };
        let v = Reflect::get(obj, &JsValue::from_str(key)).map_err(|_| {
            Error::invalid_argument(crate::core::text::cat(&[
                self.what,
                " `",
                key,
                "` could not be read",
            ]))
        })?;
        Ok((!v.is_undefined() && !v.is_null()).then_some(v))
    }

    pub fn string(&self, key: &str) -> Result<Option<String>, Error> {
        match self.raw(key)? {
            None => Ok(None),
            Some(v) => v
                .as_string()
                .map(Some)
                .ok_or_else(|| self.wrong(key, "a string")),
        }
    }

    pub fn bool(&self, key: &str) -> Result<Option<bool>, Error> {
        match self.raw(key)? {
            None => Ok(None),
            Some(v) => v
                .as_bool()
                .map(Some)
                .ok_or_else(|| self.wrong(key, "a boolean")),
        }
    }

    /// A non-negative integer up to `max`.
    pub fn uint(&self, key: &str, max: u32) -> Result<Option<u32>, Error> {
        match self.raw(key)? {
            None => Ok(None),
            Some(v) => match v.as_f64() {
                Some(n) if n.fract() == 0.0 && n >= 0.0 && n <= max as f64 => Ok(Some(n as u32)),
                _ => Err(self.wrong(
                    key,
                    &crate::core::text::cat(&[
                        "an integer between 0 and ",
                        &crate::core::text::uint(max.into()),
                    ]),
                )),
            },
        }
    }

    pub fn function(&self, key: &str) -> Result<Option<Function>, Error> {
        match self.raw(key)? {
            None => Ok(None),
            Some(v) => v
                .dyn_into::<Function>()
                .map(Some)
                .map_err(|_| self.wrong(key, "a function")),
        }
    }

    pub fn signal(&self, key: &str) -> Result<Option<AbortSignal>, Error> {
        match self.raw(key)? {
            None => Ok(None),
            // A real one: `instanceof` alone lets `Object.create(AbortSignal.prototype)` through.
            Some(v) => v
                .dyn_into::<AbortSignal>()
                .ok()
                .filter(super::transport::signal_readable)
                .map(Some)
                .ok_or_else(|| self.wrong(key, "an AbortSignal")),
        }
    }

    fn wrong(&self, key: &str, expected: &str) -> Error {
        Error::invalid_argument(crate::core::text::cat(&[
            self.what,
            " `",
            key,
            "` must be ",
            expected,
        ]))
    }
}

pub const MAX_TIMEOUT_MS: u32 = 600_000;
pub const MAX_RETRIES_LIMIT: u32 = 10;

/// The optional last argument of every async method.
pub fn call_options(value: &JsValue) -> Result<CallOptions, Error> {
    let fields = OptionsObject::new(
        value,
        "request option",
        &["signal", "timeoutMs", "maxRetries"],
    )?;
    Ok(CallOptions {
        signal: fields.signal("signal")?,
        timeout_ms: fields.uint("timeoutMs", MAX_TIMEOUT_MS)?,
        max_retries: fields.uint("maxRetries", MAX_RETRIES_LIMIT)?,
    })
}
