//! `parsePing(body, contentType)`: a Gumroad webhook body to `{ type, data }`.

use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::prelude::*;

use super::errors::to_js;
use crate::core::error::Error;
use crate::core::ping::{self, Node};

fn to_value(node: &Node) -> JsValue {
    match node {
        Node::Null => JsValue::NULL,
        Node::Bool(b) => JsValue::from_bool(*b),
        Node::Num(n) => JsValue::from_f64(*n),
        Node::Str(s) => JsValue::from_str(s),
        Node::List(items) => items.iter().map(to_value).collect::<Array>().into(),
        Node::Map(fields) => fields_to_object(fields),
    }
}

fn fields_to_object(fields: &[(String, Node)]) -> JsValue {
    let o = Object::new();
    for (k, v) in fields {
        let _ = Reflect::set(&o, &JsValue::from_str(k), &to_value(v));
    }
    o.into()
}

fn parse(body: &JsValue, content_type: Option<String>) -> Result<JsValue, Error> {
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
        (ping::event_type(resource)?, fields_to_object(&fields))
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
#[wasm_bindgen(js_name = parsePing, unchecked_return_type = "PingEvent")]
pub fn parse_ping(
    #[wasm_bindgen(unchecked_param_type = "string")] body: JsValue,
    content_type: Option<String>,
) -> Result<JsValue, JsValue> {
    parse(&body, content_type).map_err(|e| to_js(&e, None))
}
