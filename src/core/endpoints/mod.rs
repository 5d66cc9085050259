//! Every endpoint as data ([`table::ROUTES`]) and one builder that turns a route plus ids and
//! parameters into a ready-to-send [`Call`].

pub mod licenses;
pub mod raw;
pub mod route;
pub mod table;

#[cfg(not(target_arch = "wasm32"))]
pub mod codegen;

use route::{Kind, Param, Retry, Root, Route};

use super::config::ClientConfig;
use super::error::Error;
use super::json::J;
use super::request::{Body, Form, HttpRequest};
use super::response::Unwrap;
use super::text::{cat, uint};

/// A request plus what the caller needs to handle its answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    pub request: HttpRequest,
    pub unwrap: Unwrap,
    /// True when sending it twice cannot change state (reads, dry runs, a verify that does not
    /// count a use). Only such calls are ever retried automatically.
    pub safe_to_retry: bool,
}

/// A parameter value as the caller hands it over.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Str(String),
    Num(f64),
    Bool(bool),
    /// An array of strings or numbers (as text).
    List(Vec<String>),
    /// Any other JSON value (objects, arrays of objects), already serialised.
    Json(String),
}

/// Decimal text of an integral number (below 9e15) without `core::fmt`'s float machinery.
pub fn int_text(n: f64) -> Option<String> {
    if !n.is_finite() || n.fract() != 0.0 || n.abs() >= 9.0e15 {
        return None;
    }
    let mut out = String::with_capacity(21);
    if n < 0.0 {
        out.push('-');
    }
    crate::core::text::push_uint(&mut out, n.abs() as u64);
    Some(out)
}

/// `-?[0-9]+`.
fn is_int_text(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    !digits.is_empty() && digits.len() <= 16 && digits.bytes().all(|b| b.is_ascii_digit())
}

impl Value {
    /// The text form Gumroad receives for a scalar.
    fn text(&self) -> Option<String> {
        match self {
            Value::Str(s) => Some(s.clone()),
            // Gumroad's numbers are integers (cents, counts, years); the JS layer turns any
            // other number into its string first.
            Value::Num(n) => int_text(*n),
            // Gumroad compares against the string "true".
            Value::Bool(v) => Some(if *v { "true" } else { "false" }.to_string()),
            Value::List(_) | Value::Json(_) => None,
        }
    }

    fn is_blank(&self) -> bool {
        matches!(self, Value::Str(s) if s.trim().is_empty())
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Str => "a string",
        Kind::Int => "an integer",
        Kind::Bool => "a boolean",
        Kind::List => "an array of strings",
        Kind::Nested => "an object or array",
    }
}

/// `value` checked against what `p` takes, normalised for the wire.
fn check(route: &Route, p: &Param, value: &Value) -> Result<Value, Error> {
    let wrong = || {
        Error::invalid_argument(cat(&[
            route.name,
            ": `",
            p.name,
            "` must be ",
            kind_name(p.kind),
        ]))
    };
    Ok(match (p.kind, value) {
        (Kind::Nested, Value::Json(_)) => value.clone(),
        (Kind::Nested, Value::List(items)) => {
            let arr: Vec<J> = items.iter().map(|s| J::Str(s)).collect();
            Value::Json(J::Arr(arr).to_json())
        }
        (Kind::Nested, Value::Str(s)) => Value::Json(J::Str(s).to_json()),
        (Kind::Nested, _) => return Err(wrong()),
        (Kind::List, Value::List(_)) => value.clone(),
        (_, Value::List(_) | Value::Json(_)) => return Err(wrong()),
        (Kind::List, _) => return Err(wrong()),
        (_, Value::Num(n)) if int_text(*n).is_none() => return Err(wrong()),
        (Kind::Int, Value::Str(s)) if !is_int_text(s.trim()) => return Err(wrong()),
        (_, Value::Str(s)) if p.trim => Value::Str(s.trim().to_string()),
        _ => value.clone(),
    })
}

/// Builds the call for `route` with path `ids` (in the order of the path's `{slots}`) and
/// `params` (Gumroad's wire names).
pub fn build(
    cfg: &ClientConfig,
    route: &Route,
    ids: &[&str],
    params: &[(String, Value)],
) -> Result<Call, Error> {
    let path = fill_path(route, ids)?;
    let mut values: Vec<(&'static str, Value)> = Vec::with_capacity(params.len() + 1);
    for (k, v) in params {
        let Some(p) = route.param(k) else {
            return Err(unknown_param(route, k));
        };
        values.push((p.name, check(route, p, v)?));
    }
    for p in route.params {
        let given = values.iter().find(|(k, _)| *k == p.name).map(|(_, v)| v);
        match (given, p.default) {
            (None, Some(d)) => values.push((p.name, Value::Str(d.to_string()))),
            (None, None) if p.required => return Err(missing(route, p.name)),
            (Some(v), _) if p.required && !p.blank_ok && v.is_blank() => {
                return Err(missing(route, p.name))
            }
            _ => {}
        }
    }
    if !route.one_of.is_empty()
        && !values
            .iter()
            .any(|(k, v)| route.one_of.contains(k) && !v.is_blank())
    {
        return Err(Error::invalid_argument(cat(&[
            route.name,
            " requires one of: ",
            &route.one_of.join(", "),
        ])));
    }
    let safe_to_retry = match route.retry {
        Retry::Safe => true,
        Retry::Never => false,
        Retry::UnlessFalse(name) => {
            values
                .iter()
                .find(|(k, _)| *k == name)
                .is_some_and(|(_, v)| match v {
                    Value::Bool(b) => !b,
                    Value::Str(s) => s == "false",
                    _ => false,
                })
        }
    };
    // Maton's control API takes JSON bodies; Gumroad takes forms unless a value is nested.
    let body = encode(
        &values,
        route.root == Root::MatonCtrl && route.method.has_body(),
    );
    let request = match route.root {
        Root::Api => cfg.build(route.method, &path, body, route.auth),
        Root::MatonCtrl => cfg.build_ctrl(route.method, &path, body)?,
    };
    Ok(Call {
        request,
        unwrap: route.unwrap,
        safe_to_retry,
    })
}

fn unknown_param(route: &Route, k: &str) -> Error {
    if route.params.is_empty() {
        return Error::invalid_argument(cat(&[route.name, " takes no parameters (got `", k, "`)"]));
    }
    let names: Vec<&str> = route.params.iter().map(|p| p.name).collect();
    Error::invalid_argument(cat(&[
        "unknown parameter `",
        k,
        "` for ",
        route.name,
        " (expected one of: ",
        &names.join(", "),
        ")",
    ]))
}

fn missing(route: &Route, name: &str) -> Error {
    Error::invalid_argument(cat(&[route.name, " requires `", name, "`"]))
}

/// Form pairs, or a JSON object when a value is nested or an empty list (a form cannot say
/// "empty array": `tags: []` must clear the tags, not be left out), or when `json` is set.
pub(crate) fn encode(values: &[(&str, Value)], json: bool) -> Body {
    let needs_json = |v: &Value| match v {
        Value::Json(_) => true,
        Value::List(items) => items.is_empty(),
        _ => false,
    };
    if json || values.iter().any(|(_, v)| needs_json(v)) {
        if values.is_empty() {
            return Body::Json(String::from("{}"));
        }
        let fields = values
            .iter()
            .map(|(k, v)| {
                let j = match v {
                    Value::Str(s) => J::Str(s),
                    Value::Num(n) => J::Num(*n),
                    // Strings, as in form bodies: Rails compares some flags to "true".
                    Value::Bool(b) => J::Str(if *b { "true" } else { "false" }),
                    Value::List(items) => J::Arr(items.iter().map(|s| J::Str(s)).collect()),
                    Value::Json(raw) => J::Raw(raw),
                };
                (*k, j)
            })
            .collect();
        return Body::Json(J::Obj(fields).to_json());
    }
    let mut form = Form::new();
    for (k, v) in values {
        match v {
            Value::List(items) => {
                let key = cat(&[k, "[]"]);
                for item in items {
                    form.push(&key, item.clone());
                }
            }
            other => {
                if let Some(text) = other.text() {
                    form.push(k, text);
                }
            }
        }
    }
    Body::Form(form)
}

/// `.`, `..` and their percent-encoded forms (`%2e`, `.%2E`, ...), which URL parsers treat as
/// dot segments and resolve away.
pub(crate) fn is_dot_segment(seg: &str) -> bool {
    let lower = seg.to_ascii_lowercase();
    let dots = lower.replace("%2e", ".");
    dots == "." || dots == ".."
}

fn fill_path(route: &Route, ids: &[&str]) -> Result<String, Error> {
    let slots = route.ids().count();
    if slots != ids.len() {
        let names: Vec<&str> = route.ids().collect();
        return Err(Error::invalid_argument(cat(&[
            route.name,
            " takes ",
            &uint(slots as u64),
            " id argument(s) (",
            &names.join(", "),
            ")",
        ])));
    }
    let mut out = String::with_capacity(route.path.len() + 32);
    let mut rest = route.path;
    for (id, name) in ids.iter().zip(route.ids()) {
        let Some((before, after)) = rest.split_once('{') else {
            break;
        };
        let after = after.split_once('}').map_or("", |(_, a)| a);
        let id = id.trim();
        if id.is_empty() {
            return Err(Error::invalid_argument(cat(&[
                route.name,
                ": ",
                name,
                " must be a non-empty string",
            ])));
        }
        if is_dot_segment(id) {
            // URL parsers resolve `..` (even encoded) before sending: `covers.delete(p, "..")`
            // would become `DELETE /products/p`.
            return Err(Error::invalid_argument(cat(&[
                route.name,
                ": ",
                name,
                " must not be `.` or `..`",
            ])));
        }
        out.push_str(before);
        out.push_str(&crate::core::config::segment(id));
        rest = after;
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests;
