//! JS arguments to core values: ids and parameter objects.

use js_sys::{Array, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::core::endpoints::Value;
use crate::core::error::Error;

/// A parameter object (`undefined`/`null` = none) as ordered `(name, value)` pairs. Strings,
/// numbers and booleans stay scalars; arrays of strings/numbers become lists; any other object
/// or array (files, rich content, parts) is serialised by the runtime's `JSON.stringify`.
/// `null`/`undefined` values are skipped. Whether a value suits its parameter is the endpoint
/// table's call (`core::endpoints::build`).
/// `route` (`products.list`, or `request`) names the call in the error message only, so the
/// hot path formats nothing.
pub fn params(value: &JsValue, route: &str) -> Result<Vec<(String, Value)>, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(Vec::new());
    }
    if !value.is_object() || value.is_function() || super::options::is_array(value).unwrap_or(true)
    {
        return Err(Error::invalid_argument(crate::core::text::cat(&[
            route,
            " params must be an object",
        ])));
    }
    let mut out = Vec::new();
    let listed = super::options::entries(value).map_err(|_| {
        Error::invalid_argument(crate::core::text::cat(&[
            route,
            " params could not be read",
        ]))
    })?;
    for entry in listed.iter() {
        // `Object.entries` gives `[key, value]` arrays: read in place, not copied.
        let pair: Array = entry.unchecked_into();
        let key = pair.get(0).as_string().unwrap_or_default();
        let v = pair.get(1);
        let converted = if v.is_undefined() || v.is_null() {
            continue;
        } else if let Some(s) = v.as_string() {
            Value::Str(s)
        } else if let Some(b) = v.as_bool() {
            Value::Bool(b)
        } else if let Some(n) = v.as_f64() {
            match crate::core::endpoints::int_text(n) {
                Some(_) => Value::Num(n),
                // The runtime writes other numbers (no float formatting in the wasm); the
                // endpoint table then refuses them where Gumroad wants an integer.
                None => Value::Str(
                    js_sys::Number::from(n)
                        .to_string_with_radix(10)
                        .map(String::from)
                        .unwrap_or_default(),
                ),
            }
        } else if let Some(items) = scalar_list(&v).map_err(|_| {
            Error::invalid_argument(crate::core::text::cat(&["`", &key, "` could not be read"]))
        })? {
            Value::List(items)
        } else if v.is_object() && !v.is_function() {
            let text = JSON::stringify(&v)
                .ok()
                .and_then(|s| s.as_string())
                .ok_or_else(|| {
                    Error::invalid_argument(crate::core::text::cat(&[
                        "`",
                        &key,
                        "` cannot be sent as JSON",
                    ]))
                })?;
            Value::Json(text)
        } else {
            return Err(Error::invalid_argument(crate::core::text::cat(&[
                "`",
                &key,
                "` must be a string, number, boolean, array or object",
            ])));
        };
        out.push((key, converted));
    }
    Ok(out)
}

/// The items of an array made only of strings and finite numbers (`Ok(None)`: not such an
/// array); an error when the array cannot be read (a proxy whose traps throw).
fn scalar_list(v: &JsValue) -> Result<Option<Vec<String>>, ()> {
    if !super::options::is_array(v).map_err(|_| ())? {
        return Ok(None);
    }
    let mut items = Vec::new();
    for item in super::options::array_from(v).map_err(|_| ())?.iter() {
        if let Some(s) = item.as_string() {
            items.push(s);
        } else {
            match item.as_f64().and_then(crate::core::endpoints::int_text) {
                Some(text) => items.push(text),
                None => return Ok(None),
            }
        }
    }
    Ok(Some(items))
}

/// An id argument: a non-empty string, or a non-negative integer (years, numeric ids).
pub fn id(value: &JsValue, name: &str) -> Result<String, Error> {
    if let Some(s) = value.as_string() {
        if !s.trim().is_empty() {
            return Ok(s);
        }
    } else if let Some(n) = value.as_f64() {
        if n >= 0.0 {
            if let Some(t) = crate::core::endpoints::int_text(n) {
                return Ok(t);
            }
        }
    }
    Err(Error::invalid_argument(crate::core::text::cat(&[
        name,
        " must be a non-empty string",
    ])))
}
