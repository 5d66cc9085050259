//! `parsePing(body, contentType)`: a Gumroad webhook body to `{ type, data }`.

use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::prelude::*;

#[cfg(feature = "client")]
use super::errors::to_js;
use crate::core::error::Error;
use crate::core::ping::{self, Node};

/// The parsed form as a plain JS object (serde-wasm-bindgen writes maps as `Map`s and units as
/// `undefined` unless told; an empty field is `null`, as the ping types say).
fn fields_to_object(fields: Vec<(String, Node)>) -> Result<JsValue, Error> {
    let s = serde_wasm_bindgen::Serializer::new()
        .serialize_maps_as_objects(true)
        .serialize_missing_as_null(true);
    serde::Serialize::serialize(&Node::Map(fields), &s)
        .map_err(|_| Error::invalid_argument("malformed ping: cannot be represented"))
}

/// `{ type, data }` of a ping body (for `parsePing` and the Worker's ping route).
pub fn parse_event(body: &JsValue, content_type: Option<String>) -> Result<JsValue, Error> {
    let text = body
        .as_string()
        .ok_or_else(|| Error::invalid_argument("parsePing: body must be a string"))?;
    let (kind, data) = if ping::is_json(content_type.as_deref())? {
        if text.len() > ping::MAX_PING_BYTES {
            return Err(Error::invalid_argument("malformed ping: body is too large"));
        }
        let v = JSON::parse(&text)
            .map_err(|_| Error::invalid_argument("malformed ping: invalid JSON"))?;
        if !v.is_object() || Array::is_array(&v) {
            return Err(Error::invalid_argument(
                "malformed ping: JSON body is not an object",
            ));
        }
        let resource = Reflect::get(&v, &"resource_name".into())
            .ok()
            .and_then(|r| r.as_string());
        (ping::event_type(resource.as_deref())?, v)
    } else {
        let fields = ping::parse_form(&text)?;
        let resource = match ping::get(&fields, "resource_name") {
            Some(Node::Str(s)) => Some(s.as_str()),
            _ => None,
        };
        let kind = ping::event_type(resource)?;
        (kind, fields_to_object(fields)?)
    };
    let out = Object::new();
    let _ = Reflect::set(&out, &"type".into(), &kind.into());
    let _ = Reflect::set(&out, &"data".into(), &data);
    Ok(out.into())
}

/// Turns a Gumroad ping (form-encoded with bracket keys, or JSON) into `{ type, data }`.
/// `type` is `sale`, `refund`, `dispute`, `dispute_won`, `cancellation`,
/// `subscription_updated`, `subscription_ended` or `subscription_restarted`. Gumroad signs
/// nothing: authenticate the sender yourself (a secret in the ping URL, then re-fetch the sale).
#[cfg(feature = "client")]
#[wasm_bindgen(js_name = parsePing, unchecked_return_type = "PingEvent")]
pub fn parse_ping(
    #[wasm_bindgen(unchecked_param_type = "string")] body: JsValue,
    content_type: Option<String>,
) -> Result<JsValue, JsValue> {
    parse_event(&body, content_type).map_err(|e| to_js(&e, None))
}
