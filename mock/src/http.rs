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

/// Query and body parameters merged (a key in both takes the query's value), as Rails does.
#[derive(Clone, Debug, Default)]
pub struct Params(pub BTreeMap<String, Param>);

/// Rails' `blank?`: nil, false, whitespace-only strings, empty arrays and hashes.
pub fn blank(p: Option<&Param>) -> bool {
    match p {
        None => true,
        Some(Param::Str(s)) => s.trim().is_empty(),
        Some(Param::Json(v)) => match v {
            Value::Null | Value::Bool(false) => true,
            Value::String(s) => s.trim().is_empty(),
            Value::Array(a) => a.is_empty(),
            Value::Object(o) => o.is_empty(),
            _ => false,
        },
    }
}

impl Params {
    pub fn get(&self, k: &str) -> Option<&Param> {
        self.0.get(k)
    }
    /// Non-empty string value.
    pub fn text(&self, k: &str) -> Option<String> {
        self.get(k).map(Param::as_text).filter(|s| !s.is_empty())
    }
    /// The value only when it is a string (form value or JSON string): what a Rails comparison
    /// such as `params[:universal] == "true"` matches; a JSON `true` is not `"true"`.
    pub fn string(&self, k: &str) -> Option<&str> {
        match self.get(k)? {
            Param::Str(s) => Some(s),
            Param::Json(Value::String(s)) => Some(s),
            Param::Json(_) => None,
        }
    }
    /// Decoded form pairs, nested as Rack nests them (`tags[]`, `files[][url]`), for the route
    /// tests; a set Rack would refuse is dropped (the server refuses it with 400).
    #[cfg(test)]
    pub fn insert_form(&mut self, pairs: Vec<(String, String)>) {
        let pairs = pairs.into_iter().map(|(k, v)| (k, Value::String(v)));
        if let Ok(nested) = crate::rack::nest(pairs) {
            self.insert_nested(nested);
        }
    }
    /// Rack's nested parameters: top-level strings stay form strings, arrays, hashes and
    /// uploads are JSON values. A key already present is replaced.
    pub fn insert_nested(&mut self, nested: serde_json::Map<String, Value>) {
        for (k, v) in nested {
            let param = match v {
                Value::String(s) => Param::Str(s),
                v => Param::Json(v),
            };
            self.0.insert(k, param);
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
    /// Rails' routing error for an unknown path or verb, as an HTML request sees it (the
    /// server turns it into JSON for a JSON request: [`negotiate_not_found`]).
    pub fn route_not_found() -> Resp {
        Resp::html(404, ROUTE_NOT_FOUND_HTML)
    }
}

const ROUTE_NOT_FOUND_HTML: &str = "<!DOCTYPE html><html><head><title>The page you were looking for doesn't exist (404)</title></head><body><h1>404</h1></body></html>";

/// Gumroad has no `exceptions_app`: its routing errors (no route for the verb, or the GET
/// catch-all `get "/(*path)" => "application#e404_page"`, which raises one) reach Rails'
/// `ActionDispatch::PublicExceptions`, which answers in the request's format: JSON (a `.json`
/// path suffix, or a non-browser `Accept` preferring JSON) gets HTTP 404
/// `{"status":404,"error":"Not Found"}` (`application/json; charset=utf-8`), XML the same hash
/// as `Hash#to_xml`; anything else the static HTML page.
pub fn negotiate_not_found(resp: Resp, path: &str, accept: Option<&str>) -> Resp {
    if resp.status != 404 || resp.body != ROUTE_NOT_FOUND_HTML.as_bytes() {
        return resp;
    }
    match request_format(path, accept) {
        Format::Json => Resp::json(404, json!({"status": 404, "error": "Not Found"})),
        Format::Xml => Resp {
            status: 404,
            content_type: Some("application/xml; charset=utf-8"),
            headers: vec![],
            body: b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<hash>\n  <status type=\"integer\">404</status>\n  <error>Not Found</error>\n</hash>\n".to_vec(),
        },
        Format::Html => resp,
    }
}

enum Format {
    Json,
    Xml,
    Html,
}

fn format_of(mime_or_ext: &str) -> Format {
    match mime_or_ext {
        "json" | "application/json" | "text/x-json" | "application/jsonrequest" => Format::Json,
        "xml" | "application/xml" | "text/xml" | "application/x-xml" => Format::Xml,
        _ => Format::Html,
    }
}

/// Rails' `request.formats.first`: the path's extension wins; then the `Accept` header unless
/// it looks like a browser's (`*/*` next to other types); then HTML.
fn request_format(path: &str, accept: Option<&str>) -> Format {
    let last = path.rsplit('/').next().unwrap_or_default();
    if let Some((_, ext)) = last.rsplit_once('.') {
        if !ext.is_empty() {
            return format_of(&ext.to_ascii_lowercase());
        }
    }
    let Some(accept) = accept.map(str::trim).filter(|a| !a.is_empty()) else {
        return Format::Html;
    };
    let compact: String = accept.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.contains(",*/*") || compact.contains("*/*,") {
        return Format::Html;
    }
    // The preferred type: highest q, first on ties.
    let mut best: Option<(f32, String)> = None;
    for part in compact.split(',') {
        let mut it = part.split(';');
        let ty = it.next().unwrap_or_default().to_ascii_lowercase();
        let q = it
            .find_map(|p| p.strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        if best.as_ref().is_none_or(|(bq, _)| q > *bq) {
            best = Some((q, ty));
        }
    }
    best.map_or(Format::Html, |(_, t)| format_of(&t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_routes_answer_in_the_request_format() {
        let json = |path: &str, accept: Option<&str>| {
            let r = negotiate_not_found(Resp::route_not_found(), path, accept);
            (
                r.status,
                r.content_type,
                String::from_utf8(r.body).unwrap_or_default(),
            )
        };
        let want = (
            404,
            Some("application/json; charset=utf-8"),
            r#"{"status":404,"error":"Not Found"}"#.to_string(),
        );
        assert_eq!(json("/v2/nope.json", None), want);
        assert_eq!(json("/v2/nope", Some("application/json")), want);
        assert_eq!(
            json("/v2/nope", Some("text/html;q=0.5, application/json")),
            want
        );
        for accept in [None, Some("*/*"), Some("application/json, text/plain, */*")] {
            assert_eq!(json("/v2/nope", accept).1, Some("text/html; charset=utf-8"));
        }
        assert_eq!(
            json("/v2/nope.xml", Some("application/json")).1,
            Some("application/xml; charset=utf-8")
        );
        assert_eq!(
            json("/v2/nope.csv", Some("application/json")).1,
            Some("text/html; charset=utf-8")
        );
        // Other answers pass through untouched.
        let other = negotiate_not_found(Resp::not_found("product"), "/v2/x.json", None);
        assert_eq!(other.status, 200);
    }
}
