//! JS arguments to core values: ids and parameter objects.

use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

use crate::core::endpoints::spec::Value;
use crate::core::error::Error;

/// A parameter object (`undefined`/`null` = none) as ordered `(name, value)` pairs. Strings,
/// finite numbers, booleans and arrays of strings/numbers are accepted; `null`/`undefined`
/// values are skipped.
pub fn params(value: &JsValue, what: &str) -> Result<Vec<(String, Value)>, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(Vec::new());
    }
    if !value.is_object() || value.is_function() || Array::is_array(value) {
        return Err(Error::invalid_argument(format!("{what} must be an object")));
    }
    let mut out = Vec::new();
    for entry in Object::entries(&Object::from(value.clone())).iter() {
        let pair = Array::from(&entry);
        let key = pair.get(0).as_string().unwrap_or_default();
        let v = pair.get(1);
        let converted = if v.is_undefined() || v.is_null() {
            continue;
        } else if let Some(s) = v.as_string() {
            Value::Str(s)
        } else if let Some(b) = v.as_bool() {
            Value::Bool(b)
        } else if let Some(n) = v.as_f64() {
            Value::Num(n)
        } else if Array::is_array(&v) {
            let mut items = Vec::new();
            for item in Array::from(&v).iter() {
                match (item.as_string(), item.as_f64()) {
                    (Some(s), _) => items.push(s),
                    (None, Some(n)) if n.is_finite() => items.push(format!("{n}")),
                    _ => {
                        return Err(Error::invalid_argument(format!(
                            "`{key}` must be an array of strings or numbers"
                        )))
                    }
                }
            }
            Value::List(items)
        } else {
            return Err(Error::invalid_argument(format!(
                "`{key}` must be a string, number, boolean or array"
            )));
        };
        out.push((key, converted));
    }
    Ok(out)
}

/// An id argument: a non-empty string (numbers are accepted for numeric ids).
pub fn id(value: &JsValue, name: &str) -> Result<String, Error> {
    if let Some(s) = value.as_string() {
        if !s.trim().is_empty() {
            return Ok(s);
        }
    } else if let Some(n) = value.as_f64() {
        if n.is_finite() && n.fract() == 0.0 && n >= 0.0 {
            return Ok(format!("{}", n as u64));
        }
    }
    Err(Error::invalid_argument(format!(
        "{name} must be a non-empty string"
    )))
}
