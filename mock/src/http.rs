//! Request parameters and response shapes, independent of the HTTP library.

use std::collections::BTreeMap;

use serde_json::{json, Value};

/// A parameter as Rails would see it: form strings, or typed JSON values.
#[derive(Clone, Debug, PartialEq)]
pub enum Param {
    Str(String),
    Json(Value),
}

impl Param {
    /// The string Rails' `params[:x].to_s`-style comparisons see.
    pub fn as_text(&self) -> String {
        match self {
            Param::Str(s) => s.clone(),
            Param::Json(Value::String(s)) => s.clone(),
            Param::Json(Value::Null) => String::new(),
            Param::Json(v) => v.to_string(),
        }
    }

    pub fn is_string(&self) -> bool {
        matches!(self, Param::Str(_) | Param::Json(Value::String(_)))
    }
}

/// Query and body parameters merged (body wins), as Rails does.
#[derive(Clone, Debug, Default)]
pub struct Params(pub BTreeMap<String, Param>);

impl Params {
    pub fn get(&self, k: &str) -> Option<&Param> {
        self.0.get(k)
    }
    /// Non-empty string value.
    pub fn text(&self, k: &str) -> Option<String> {
        self.get(k).map(Param::as_text).filter(|s| !s.is_empty())
    }
    pub fn insert_form(&mut self, pairs: Vec<(String, String)>) {
        for (k, v) in pairs {
            // `tags[]=a&tags[]=b` collects into an array.
            if let Some(base) = k.strip_suffix("[]") {
                let entry = self
                    .0
                    .entry(base.to_string())
                    .or_insert(Param::Json(Value::Array(vec![])));
                if let Param::Json(Value::Array(a)) = entry {
                    a.push(Value::String(v));
                }
                continue;
            }
            self.0.insert(k, Param::Str(v));
        }
    }
    pub fn insert_json(&mut self, obj: serde_json::Map<String, Value>) {
        for (k, v) in obj {
            self.0.insert(k, Param::Json(v));
        }
    }
}

#[derive(Clone, Debug)]
pub struct Resp {
    pub status: u16,
    pub content_type: Option<&'static str>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn json(status: u16, v: Value) -> Resp {
        Resp {
            status,
            content_type: Some("application/json; charset=utf-8"),
            headers: vec![],
            body: v.to_string().into_bytes(),
        }
    }
    pub fn ok(v: Value) -> Resp {
        Resp::json(200, v)
    }
    pub fn text(status: u16, body: &str) -> Resp {
        Resp {
            status,
            content_type: Some("text/plain; charset=utf-8"),
            headers: vec![],
            body: body.as_bytes().to_vec(),
        }
    }
    pub fn html(status: u16, body: &str) -> Resp {
        Resp {
            status,
            content_type: Some("text/html; charset=utf-8"),
            headers: vec![],
            body: body.as_bytes().to_vec(),
        }
    }
    pub fn empty(status: u16) -> Resp {
        Resp {
            status,
            content_type: None,
            headers: vec![],
            body: vec![],
        }
    }
    pub fn header(mut self, k: &str, v: &str) -> Resp {
        self.headers.push((k.to_string(), v.to_string()));
        self
    }

    /// `{"success":true, key: value}`.
    pub fn success(key: &str, value: Value) -> Resp {
        let mut m = serde_json::Map::new();
        m.insert("success".into(), Value::Bool(true));
        m.insert(key.into(), value);
        Resp::ok(Value::Object(m))
    }
    /// Gumroad's not-found: HTTP 200.
    pub fn not_found(name: &str) -> Resp {
        Resp::ok(json!({"success": false, "message": format!("The {name} was not found.")}))
    }
    pub fn failure(message: &str) -> Resp {
        Resp::ok(json!({"success": false, "message": message}))
    }
    pub fn deleted(name: &str) -> Resp {
        Resp::ok(
            json!({"success": true, "message": format!("The {name} was deleted successfully.")}),
        )
    }
    /// `{status, error}` 400 of list endpoints.
    pub fn bad_request(error: &str) -> Resp {
        Resp::json(400, json!({"status": 400, "error": error}))
    }
    /// Doorkeeper's 401: empty body.
    pub fn unauthorized() -> Resp {
        Resp::empty(401).header(
            "WWW-Authenticate",
            "Bearer realm=\"Doorkeeper\", error=\"invalid_token\", error_description=\"The access token is invalid\"",
        )
    }
    /// Doorkeeper's 403: empty body.
    pub fn forbidden() -> Resp {
        Resp::empty(403).header(
            "WWW-Authenticate",
            "Bearer realm=\"Doorkeeper\", error=\"insufficient_scope\", error_description=\"The request requires higher privileges than provided by the access token.\"",
        )
    }
    /// Rails' routing error for an unknown path or verb.
    pub fn route_not_found() -> Resp {
        Resp::html(
            404,
            "<!DOCTYPE html><html><head><title>The page you were looking for doesn't exist (404)</title></head><body><h1>404</h1></body></html>",
        )
    }
}
