//! Request parameters as Gumroad's Rails stack reads them, before any controller runs.
//!
//! Gumroad is a full Rails app (`require "rails/all"`, no `config.api_only`: antiwork/gumroad
//! `config/application.rb`), so its middleware is Rails' default stack plus its own:
//! - **Body encodings.** Rack parses `application/x-www-form-urlencoded` and
//!   `multipart/form-data` bodies on every method, and a POST with no content type as a form
//!   (`Rack::Request#form_data?`). Rails adds JSON (`ActionDispatch::Http::Parameters`
//!   `DEFAULT_PARSERS`: a body that is not an object becomes `_json`). Any other type leaves the
//!   body unread.
//! - **Nested keys.** Every key, in a query string, a form or a multipart part, goes through
//!   `Rack::QueryParser#normalize_params`: `tags[]` builds an array, `a[b]` a hash, and
//!   `files[][url]` an array of hashes. A new hash starts when the last one already has the key.
//!   A key used both ways (`tags[]=a&tags[x]=b`) raises `ParameterTypeError`, and nesting past
//!   32 levels `ParamsTooDeepError`. Rails turns both into `ActionController::BadRequest`, which
//!   Gumroad's `lib/catch_bad_request_errors.rb` answers with 400: `{"success":false}` when
//!   `Accept` includes `application/json`, an empty `text/html` page otherwise.
//! - **Merging.** `params` is `request_parameters.merge(query_parameters)`
//!   (`ActionDispatch::Http::Parameters#parameters`): a key in both takes the query's value.
//! - **Method override.** `Rack::MethodOverride` (in Rails' default stack) turns a POST whose
//!   form body has `_method` (or, without it, an `X-HTTP-Method-Override` header) into that
//!   method when it is one Rack knows. A JSON body's `_method` is not read.
//! - **HEAD.** Rails' router answers HEAD with the GET route, and `Rack::Head` drops the body.
//!
//! A multipart body Rack cannot read to its end (`EOFError`) leaves the body's parameters
//! empty, as `ActionDispatch::Http::Parameters#parameters` rescues it.

use serde_json::{Map, Value};

/// Rack's `param_depth_limit`.
const DEPTH_LIMIT: usize = 32;

/// What Rack's HTTP_METHODS lists: the methods `_method` may name.
const OVERRIDABLE: [&str; 9] = [
    "GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS", "PATCH", "LINK", "UNLINK",
];

/// Parameters Rack refuses; Rails raises `ActionController::BadRequest` for each.
#[derive(Debug, PartialEq)]
pub enum BadParams {
    /// A key used as an array and as a hash or string (`ParameterTypeError`).
    TypeConflict(String),
    /// Nesting deeper than 32 levels (`ParamsTooDeepError`).
    TooDeep,
}

/// How a request body is read, from its `Content-Type` (lower case, parameters kept).
#[derive(Debug, PartialEq)]
pub enum BodyKind {
    Json,
    Form,
    Multipart {
        boundary: String,
    },
    /// Not read (any other type, or a multipart type without a boundary).
    Unread,
}

/// The body kind of a request with this method and content type.
pub fn body_kind(method: &str, content_type: &str) -> BodyKind {
    let media = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match media.as_str() {
        "application/json" | "text/x-json" | "application/jsonrequest" => BodyKind::Json,
        "application/x-www-form-urlencoded" => BodyKind::Form,
        "" if method == "POST" => BodyKind::Form,
        "multipart/form-data" | "multipart/mixed" | "multipart/related" => {
            match boundary(content_type) {
                Some(boundary) => BodyKind::Multipart { boundary },
                None => BodyKind::Unread,
            }
        }
        _ => BodyKind::Unread,
    }
}

/// RFC 2046's longest boundary; Rack refuses longer ones (`BoundaryTooLongError`), which also
/// keeps the search for it linear in the body.
const MAX_BOUNDARY: usize = 70;

/// The `boundary` parameter of a multipart content type (quoted or not), at most 70 bytes.
fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        if !k.trim().eq_ignore_ascii_case("boundary") {
            return None;
        }
        let v = v.trim();
        let v = v
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .unwrap_or(v);
        (!v.is_empty() && v.len() <= MAX_BOUNDARY).then(|| v.to_string())
    })
}

/// Builds Rack's nested parameters from decoded `(key, value)` pairs, in order.
pub fn nest<I>(pairs: I) -> Result<Map<String, Value>, BadParams>
where
    I: IntoIterator<Item = (String, Value)>,
{
    let mut root = Map::new();
    for (k, v) in pairs {
        normalize(&mut root, &k, v, 0)?;
    }
    Ok(root)
}

/// What one `normalize_params` step gives its caller besides changing the hash in place: Ruby
/// returns the hash, `[v]` (a bare `[]` below the top) or nil (an empty key).
enum Step {
    Hash,
    Array(Value),
    Nil,
}

/// `Rack::QueryParser#normalize_params` (Rack 3) over a hash.
fn normalize(
    params: &mut Map<String, Value>,
    name: &str,
    v: Value,
    depth: usize,
) -> Result<Step, BadParams> {
    if depth >= DEPTH_LIMIT {
        return Err(BadParams::TooDeep);
    }
    let (k, after) = split_key(name, depth);
    if k.is_empty() {
        return Ok(Step::Nil);
    }
    if after.is_empty() {
        if k == "[]" && depth != 0 {
            return Ok(Step::Array(Value::Array(vec![v])));
        }
        params.insert(k.to_string(), v);
    } else if after == "[" {
        params.insert(name.to_string(), v);
    } else if after == "[]" {
        array_at(params, k)?.push(v);
    } else if let Some(rest) = after.strip_prefix("[]") {
        // `x[][y]`: a hash inside an array; anything else after `[]` nests as it is.
        let child = rest
            .strip_prefix('[')
            .and_then(|r| r.strip_suffix(']'))
            .filter(|c| !c.is_empty() && !c.contains(['[', ']']))
            .unwrap_or(rest);
        let list = array_at(params, k)?;
        match list.last_mut() {
            Some(Value::Object(last)) if !has_key(last, child) => {
                normalize(last, child, v, depth + 1)?;
            }
            _ => {
                let mut fresh = Map::new();
                let item = match normalize(&mut fresh, child, v, depth + 1)? {
                    Step::Hash => Value::Object(fresh),
                    Step::Array(a) => a,
                    Step::Nil => Value::Null,
                };
                list.push(item);
            }
        }
    } else {
        let slot = params
            .entry(k.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(inner) = slot else {
            return Err(BadParams::TypeConflict(k.to_string()));
        };
        match normalize(inner, after, v, depth + 1)? {
            Step::Hash => {}
            Step::Array(a) => *slot = a,
            Step::Nil => *slot = Value::Null,
        }
    }
    Ok(Step::Hash)
}

/// The key and what follows it, as `normalize_params` splits a name: at the top level the key
/// runs to the first `[` after the first character; below it, `[]` or `[key]` leads.
fn split_key(name: &str, depth: usize) -> (&str, &str) {
    if depth == 0 {
        let start = name
            .char_indices()
            .skip(1)
            .find(|&(_, c)| c == '[')
            .map(|(i, _)| i);
        return match start {
            Some(i) => name.split_at_checked(i).unwrap_or((name, "")),
            None => (name, ""),
        };
    }
    if let Some(rest) = name.strip_prefix("[]") {
        return ("[]", rest);
    }
    if let Some(inner) = name.strip_prefix('[') {
        if let Some(end) = inner.find(']') {
            let key = inner.get(..end).unwrap_or_default();
            let after = inner.get(end + 1..).unwrap_or_default();
            return (key, after);
        }
    }
    (name, "")
}

/// `params[k] ||= []`, refusing a key that already holds something else.
fn array_at<'a>(
    params: &'a mut Map<String, Value>,
    k: &str,
) -> Result<&'a mut Vec<Value>, BadParams> {
    match params
        .entry(k.to_string())
        .or_insert_with(|| Value::Array(vec![]))
    {
        Value::Array(a) => Ok(a),
        _ => Err(BadParams::TypeConflict(k.to_string())),
    }
}

/// `params_hash_has_key?`: whether `key` (`y` or `[y][z]`) is already set in `hash`.
fn has_key(hash: &Map<String, Value>, key: &str) -> bool {
    if key.contains("[]") {
        return false;
    }
    let mut at = hash;
    let mut parts = key.split(['[', ']']).filter(|p| !p.is_empty()).peekable();
    while let Some(part) = parts.next() {
        match at.get(part) {
            None => return false,
            Some(Value::Object(next)) => at = next,
            Some(_) if parts.peek().is_none() => return true,
            Some(_) => return false,
        }
    }
    true
}

/// One part of a multipart body.
struct Part<'a> {
    name: Option<String>,
    filename: Option<String>,
    content_type: Option<String>,
    data: &'a [u8],
}

/// The `(name, value)` pairs of a multipart body, for [`nest`], or `None` when Rack could not
/// read it to its closing boundary. A part with a file name is an upload: its value is
/// `{original_filename, content_type, size}` (what `ActionDispatch::Http::UploadedFile`
/// answers to); an empty file name (a file input left empty) sends nothing.
pub fn multipart_pairs(boundary: &str, body: &[u8]) -> Option<Vec<(String, Value)>> {
    let mut pairs = vec![];
    for part in parts(boundary, body)? {
        let Some(name) = part.name else { continue };
        let value = match part.filename {
            Some(f) if f.is_empty() => continue,
            Some(f) => {
                // Rack keeps the base name of what the browser sent.
                let base = f.rsplit(['/', '\\']).next().unwrap_or_default().to_string();
                let mut file = Map::new();
                file.insert("original_filename".into(), Value::String(base));
                file.insert(
                    "content_type".into(),
                    part.content_type.map_or(Value::Null, Value::String),
                );
                file.insert("size".into(), Value::from(part.data.len()));
                Value::Object(file)
            }
            None => Value::String(String::from_utf8_lossy(part.data).into_owned()),
        };
        pairs.push((name, value));
    }
    Some(pairs)
}

/// Splits the body at its boundaries; `None` without a closing one.
fn parts<'a>(boundary: &str, body: &'a [u8]) -> Option<Vec<Part<'a>>> {
    let open = format!("--{boundary}");
    let delimiter = format!("\r\n--{boundary}");
    // The preamble runs to the first boundary line.
    let first = find(body, open.as_bytes())?;
    let mut rest = body.get(first + open.len()..)?;
    let mut out = vec![];
    loop {
        if rest.starts_with(b"--") {
            return Some(out);
        }
        rest = rest.strip_prefix(b"\r\n")?;
        let head_end = find(rest, b"\r\n\r\n")?;
        let head = String::from_utf8_lossy(rest.get(..head_end)?).into_owned();
        let content = rest.get(head_end + 4..)?;
        let end = delimiter_at(content, delimiter.as_bytes())?;
        out.push(part(&head, content.get(..end)?));
        rest = content.get(end + delimiter.len()..)?;
    }
}

/// Where the next delimiter starts: `\r\n--boundary` followed by `\r\n` (another part) or `--`
/// (the end). The same bytes followed by anything else are part of the content.
fn delimiter_at(content: &[u8], delimiter: &[u8]) -> Option<usize> {
    let mut from = 0;
    loop {
        let at = from + find(content.get(from..)?, delimiter)?;
        let after = content.get(at + delimiter.len()..)?;
        if after.starts_with(b"\r\n") || after.starts_with(b"--") {
            return Some(at);
        }
        from = at + 1;
    }
}

fn part<'a>(head: &str, data: &'a [u8]) -> Part<'a> {
    let mut part = Part {
        name: None,
        filename: None,
        content_type: None,
        data,
    };
    for line in head.split("\r\n") {
        let Some((field, value)) = line.split_once(':') else {
            continue;
        };
        let field = field.trim();
        if field.eq_ignore_ascii_case("content-type") {
            part.content_type = Some(value.trim().to_string());
        } else if field.eq_ignore_ascii_case("content-disposition") {
            part.name = disposition_param(value, "name");
            part.filename = disposition_param(value, "filename");
        }
    }
    part
}

/// A parameter of a `Content-Disposition` value, read left to right (`name="a[b]"`, quoted or
/// not; a `;` inside quotes is part of the value). In quotes a backslash escapes only a quote
/// (browsers send `\"`; Windows paths keep their backslashes). Names match exactly, as Rack's.
fn disposition_param(value: &str, key: &str) -> Option<String> {
    let mut chars = value.chars().peekable();
    // Skip the disposition type (`form-data`).
    for c in chars.by_ref() {
        if c == ';' {
            break;
        }
    }
    loop {
        while chars.next_if(|c| c.is_whitespace() || *c == ';').is_some() {}
        chars.peek()?;
        let mut name = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && *c != ';') {
            name.push(c);
        }
        let mut val = String::new();
        if chars.next_if_eq(&'=').is_some() {
            while chars.next_if(|c| *c == ' ').is_some() {}
            if chars.next_if_eq(&'"').is_some() {
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' if chars.peek() == Some(&'"') => val.extend(chars.next()),
                        c => val.push(c),
                    }
                }
                // Anything after the closing quote up to the next `;` is dropped.
                while chars.next_if(|c| *c != ';').is_some() {}
            } else {
                while let Some(c) = chars.next_if(|c| *c != ';') {
                    val.push(c);
                }
                val = val.trim_end().to_string();
            }
        }
        if name.trim() == key {
            return Some(val);
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The method `Rack::MethodOverride` routes a request as: a POST's form `_method` (or, when the
/// form has none, `X-HTTP-Method-Override`), upper-cased, when Rack knows it.
pub fn method_override(
    method: &str,
    kind: &BodyKind,
    body_params: &Map<String, Value>,
    header: Option<&str>,
) -> String {
    if method != "POST" {
        return method.to_string();
    }
    let from_form = match kind {
        BodyKind::Form | BodyKind::Multipart { .. } => body_params.get("_method"),
        BodyKind::Json | BodyKind::Unread => None,
    };
    let wanted = match from_form {
        Some(Value::String(s)) => Some(s.as_str()),
        Some(_) => None,
        None => header,
    };
    match wanted.map(str::to_ascii_uppercase) {
        Some(m) if OVERRIDABLE.contains(&m.as_str()) => m,
        _ => method.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn form(pairs: &[(&str, &str)]) -> Result<Value, BadParams> {
        nest(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), Value::String(v.to_string()))),
        )
        .map(Value::Object)
    }

    #[test]
    fn nests_keys_as_rack_does() {
        assert_eq!(
            form(&[("tags[]", "a"), ("tags[]", "b"), ("name", "x")]),
            Ok(json!({"tags": ["a", "b"], "name": "x"}))
        );
        assert_eq!(
            form(&[
                ("files[][url]", "u1"),
                ("files[][display_name]", "one"),
                ("files[][url]", "u2"),
            ]),
            Ok(json!({"files": [{"url": "u1", "display_name": "one"}, {"url": "u2"}]}))
        );
        assert_eq!(
            form(&[("a[b][c]", "1"), ("a[b][d]", "2"), ("a[e][]", "3")]),
            Ok(json!({"a": {"b": {"c": "1", "d": "2"}, "e": ["3"]}}))
        );
        // Deeper hashes in arrays: a new hash when the last one already has the key.
        assert_eq!(
            form(&[("x[][y][z]", "1"), ("x[][y][w]", "2"), ("x[][y][z]", "3")]),
            Ok(json!({"x": [{"y": {"z": "1", "w": "2"}}, {"y": {"z": "3"}}]}))
        );
        assert_eq!(
            form(&[("m[][]", "1"), ("m[][]", "2")]),
            Ok(json!({"m": [["1"], ["2"]]}))
        );
        // A leading bracket is part of the key; an unclosed one keeps the whole name.
        assert_eq!(form(&[("[a]", "1")]), Ok(json!({"[a]": "1"})));
        assert_eq!(form(&[("a[", "1")]), Ok(json!({"a[": "1"})));
        assert_eq!(form(&[("a[b", "1")]), Ok(json!({"a": {"[b": "1"}})));
        assert_eq!(form(&[("", "1")]), Ok(json!({})));
        assert_eq!(form(&[("é[x]", "1")]), Ok(json!({"é": {"x": "1"}})));
    }

    #[test]
    fn refuses_what_rack_refuses() {
        assert_eq!(
            form(&[("tags[]", "a"), ("tags[x]", "b")]),
            Err(BadParams::TypeConflict("tags".into()))
        );
        assert_eq!(
            form(&[("tags", "a"), ("tags[]", "b")]),
            Err(BadParams::TypeConflict("tags".into()))
        );
        let deep = format!("a{}", "[b]".repeat(40));
        assert_eq!(form(&[(&deep, "1")]), Err(BadParams::TooDeep));
        let fine = format!("a{}", "[b]".repeat(30));
        assert!(form(&[(&fine, "1")]).is_ok());
    }

    #[test]
    fn reads_multipart_bodies() {
        let body = "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"access_token\"\r\n\r\ntok\r\n--XyZ\r\nContent-Disposition: form-data; name=\"tags[]\"\r\n\r\na\r\n--XyZ\r\nContent-Disposition: form-data; name=\"tags[]\"\r\n\r\nb\r\n--XyZ\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"C:\\\\x\\\\a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n--XyZ\r\nContent-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n\r\n\r\n--XyZ--\r\n";
        let pairs = multipart_pairs("XyZ", body.as_bytes()).unwrap_or_default();
        assert_eq!(
            nest(pairs).map(Value::Object),
            Ok(json!({
                "access_token": "tok",
                "tags": ["a", "b"],
                "doc": {"original_filename": "a.pdf", "content_type": "application/pdf", "size": 4},
            }))
        );
        // A `;` in quotes belongs to the value; names match exactly; a delimiter-like line
        // inside content that is not followed by CRLF or `--` is content.
        let tricky = "--b\r\nContent-Disposition: form-data; foo=\";name=access_token;\"; name=\"x\"\r\n\r\n1\r\n--bx\r\n--b\r\nContent-Disposition: form-data; NAME=\"y\"\r\n\r\n2\r\n--b--";
        assert_eq!(
            multipart_pairs("b", tricky.as_bytes()).map(|p| nest(p).map(Value::Object)),
            Some(Ok(json!({"x": "1\r\n--bx"})))
        );
        assert_eq!(
            disposition_param(
                r#"form-data; name="a"; filename="C:\x\"q\".pdf""#,
                "filename"
            )
            .as_deref(),
            Some(r#"C:\x"q".pdf"#)
        );
        // Rack refuses boundaries longer than RFC 2046's 70 bytes.
        let long = format!("multipart/form-data; boundary={}", "-".repeat(71));
        assert_eq!(body_kind("POST", &long), BodyKind::Unread);
        // No closing boundary: Rack's EOFError, the body's parameters are dropped.
        assert!(multipart_pairs(
            "XyZ",
            b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1"
        )
        .is_none());
        assert_eq!(
            body_kind("GET", "multipart/form-data; boundary=\"a b\""),
            BodyKind::Multipart {
                boundary: "a b".into()
            }
        );
        assert_eq!(body_kind("PUT", "multipart/form-data"), BodyKind::Unread);
        assert_eq!(body_kind("POST", ""), BodyKind::Form);
        assert_eq!(body_kind("PUT", ""), BodyKind::Unread);
        assert_eq!(
            body_kind("PUT", "text/plain;charset=UTF-8"),
            BodyKind::Unread
        );
        assert_eq!(
            body_kind("DELETE", "Application/JSON; charset=utf-8"),
            BodyKind::Json
        );
    }

    #[test]
    fn overrides_posts_from_forms_only() {
        let body = |m: &str| {
            let mut p = Map::new();
            p.insert("_method".into(), Value::String(m.into()));
            p
        };
        let none = Map::new();
        assert_eq!(
            method_override("POST", &BodyKind::Form, &body("put"), None),
            "PUT"
        );
        assert_eq!(
            method_override("POST", &BodyKind::Form, &body("bogus"), Some("DELETE")),
            "POST"
        );
        assert_eq!(
            method_override("POST", &BodyKind::Form, &none, Some("delete")),
            "DELETE"
        );
        assert_eq!(
            method_override("POST", &BodyKind::Json, &body("put"), None),
            "POST"
        );
        // Rack upcases the value and nothing else.
        assert_eq!(
            method_override("POST", &BodyKind::Form, &body("put "), None),
            "POST"
        );
        assert_eq!(
            method_override("PUT", &BodyKind::Form, &body("delete"), None),
            "PUT"
        );
    }

    proptest::proptest! {
        #[test]
        fn any_keys_nest_or_refuse_without_panicking(
            keys in proptest::collection::vec("[a-zé\\[\\]]{0,12}", 0..12)
        ) {
            let pairs = keys.into_iter().map(|k| (k, Value::String("v".into())));
            let _ = nest(pairs);
        }

        #[test]
        fn any_multipart_body_reads_or_is_dropped_without_panicking(
            body in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just(b"--b".to_vec()),
                    proptest::strategy::Just(b"\r\n".to_vec()),
                    proptest::strategy::Just(b"Content-Disposition: form-data; name=\"a[]\"; filename=\"".to_vec()),
                    proptest::collection::vec(proptest::num::u8::ANY, 0..6),
                ],
                0..20,
            )
        ) {
            let body: Vec<u8> = body.concat();
            if let Some(pairs) = multipart_pairs("b", &body) {
                let _ = nest(pairs);
            }
        }
    }
}
