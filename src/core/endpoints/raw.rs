//! `client.request(method, path, params)`: any route, for the ones Gumroad adds before the
//! table does. The path is checked so that nothing in it can leave the API root: no query,
//! fragment, dot segments, empty segments, backslashes or raw control characters.

use super::{encode, Call, Value};
use crate::core::config::{AuthNeed, ClientConfig};
use crate::core::error::Error;
use crate::core::request::{percent_encode, Method};
use crate::core::response::Unwrap;
use crate::core::text::cat;

/// Builds a call of `path` (below `baseUrl`, e.g. `/products/{id}/covers`). `{name}` slots are
/// filled from `params` (percent-encoded) and those params are not sent otherwise. Only GET is
/// retried: nothing is known about other methods of an unknown route.
pub fn build(
    cfg: &ClientConfig,
    method: &str,
    path: &str,
    params: &[(String, Value)],
) -> Result<Call, Error> {
    let method = Method::parse(method).ok_or_else(|| {
        Error::invalid_argument("request: method must be one of GET, POST, PUT, PATCH, DELETE")
    })?;
    let mut used: Vec<&str> = Vec::new();
    let filled = fill(path, params, &mut used)?;
    let values: Vec<(&str, Value)> = params
        .iter()
        .filter(|(k, _)| !used.contains(&k.as_str()))
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    if !method.has_body() && values.iter().any(|(_, v)| matches!(v, Value::Json(_))) {
        return Err(Error::invalid_argument(
            "request: GET and DELETE parameters must be strings, numbers, booleans or arrays of strings",
        ));
    }
    for (k, v) in &values {
        if matches!(v, Value::Num(n) if super::int_text(*n).is_none()) {
            return Err(Error::invalid_argument(cat(&[
                "request: `",
                k,
                "` must be an integer (send other numbers as strings)",
            ])));
        }
    }
    Ok(Call {
        request: cfg.build(method, &filled, encode(&values, false), AuthNeed::Required),
        unwrap: Unwrap::Whole,
        safe_to_retry: method == Method::Get,
    })
}

fn bad(why: &str) -> Error {
    Error::invalid_argument(cat(&["request: path ", why]))
}

/// Checks `path` and fills its `{name}` slots.
fn fill<'a>(
    path: &str,
    params: &'a [(String, Value)],
    used: &mut Vec<&'a str>,
) -> Result<String, Error> {
    let Some(rest) = path.strip_prefix('/') else {
        return Err(bad("must start with `/` (it is relative to baseUrl)"));
    };
    if rest == "v2" || rest.starts_with("v2/") {
        return Err(bad(
            "is relative to baseUrl, which already ends in /v2: pass \"/user\", not \"/v2/user\"",
        ));
    }
    let mut out = String::with_capacity(path.len() + 16);
    let mut segments = rest.split('/').peekable();
    while let Some(seg) = segments.next() {
        if seg.is_empty() {
            // A trailing slash is harmless; an empty segment in the middle is not.
            if segments.peek().is_none() {
                break;
            }
            return Err(bad("must not contain empty segments (`//`)"));
        }
        out.push('/');
        if let Some(name) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            let Some((k, v)) = params.iter().find(|(k, _)| k == name) else {
                return Err(bad(&cat(&[
                    "slot `{",
                    name,
                    "}` has no `",
                    name,
                    "` parameter",
                ])));
            };
            let text = match v {
                Value::Str(s) => s.trim().to_string(),
                Value::Num(n) => super::int_text(*n).unwrap_or_default(),
                _ => String::new(),
            };
            if text.is_empty() {
                return Err(bad(&cat(&[
                    "slot `{",
                    name,
                    "}` needs a non-empty string or integer",
                ])));
            }
            if super::is_dot_segment(&text) {
                return Err(bad(&cat(&["slot `{", name, "}` must not be `.` or `..`"])));
            }
            out.push_str(&percent_encode(&text));
            used.push(k.as_str());
            continue;
        }
        if super::is_dot_segment(seg) {
            return Err(bad(
                "must not contain `.` or `..` segments (encoded or not)",
            ));
        }
        check_literal(seg)?;
        out.push_str(seg);
    }
    Ok(out)
}

/// A literal segment may hold RFC 3986 path characters and valid `%XX` escapes only (`%2F`
/// included: data to the server, not a separator; dot segments are refused before this).
fn check_literal(seg: &str) -> Result<(), Error> {
    let bytes = seg.as_bytes();
    let mut i = 0;
    while let Some(&c) = bytes.get(i) {
        let ok = c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b':'
                    | b'@'
            );
        if c == b'%' {
            let hex = |j: usize| bytes.get(j).is_some_and(|b| b.is_ascii_hexdigit());
            if !(hex(i + 1) && hex(i + 2)) {
                return Err(bad("has a `%` that is not a `%XX` escape"));
            }
            i += 3;
            continue;
        }
        if !ok {
            return Err(bad(
                "may hold only URL path characters (encode ids, or use a `{name}` slot)",
            ));
        }
        i += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::ErrorCode;

    fn cfg() -> ClientConfig {
        ClientConfig::direct(Some("tok_1234".into()), None, false).unwrap()
    }

    fn p(k: &str, v: Value) -> (String, Value) {
        (k.to_string(), v)
    }

    #[test]
    fn fills_slots_and_encodes_the_rest() {
        let call = build(
            &cfg(),
            "post",
            "/products/{id}/covers",
            &[
                p("id", Value::Str("a==".into())),
                p("url", Value::Str("https://x/y.png".into())),
            ],
        )
        .unwrap();
        assert_eq!(
            call.request.url,
            "https://api.gumroad.com/v2/products/a%3D%3D/covers"
        );
        assert_eq!(
            call.request.body.as_deref(),
            Some("url=https%3A%2F%2Fx%2Fy.png")
        );
        assert!(!call.safe_to_retry, "only GET is retried");
        assert_eq!(call.unwrap, Unwrap::Whole);
        let get = build(&cfg(), "GET", "/sales/", &[p("page", Value::Num(2.0))]).unwrap();
        assert_eq!(get.request.url, "https://api.gumroad.com/v2/sales?page=2");
        assert!(get.safe_to_retry);
        let json = build(
            &cfg(),
            "PATCH",
            "/x",
            &[p("o", Value::Json("{\"a\":1}".into()))],
        )
        .unwrap();
        assert_eq!(json.request.body.as_deref(), Some("{\"o\":{\"a\":1}}"));
        assert_eq!(json.request.method, Method::Patch);
    }

    #[test]
    fn hostile_paths_are_refused() {
        for path in [
            "user",
            "//evil.example/v2/user",
            "/../admin",
            "/a/./b",
            "/a//b",
            "/user?access_token=x",
            "/user#frag",
            "/a\\b",
            "/a b",
            "/a\r\nX-Injected: 1",
            "/%zz",
            "/@evil.example",
            "/v2/user",
            "/products/{id}",
            "/products/%2e%2e",
            "/products/.%2E/x",
        ] {
            let e = build(&cfg(), "GET", path, &[]);
            // `/@evil.example` is a harmless literal segment below the API root.
            if path == "/@evil.example" {
                let url = e.unwrap().request.url;
                assert!(url.starts_with("https://api.gumroad.com/v2/@"), "{url}");
                continue;
            }
            let e = e.expect_err(path);
            assert_eq!(e.code, ErrorCode::InvalidArgument, "{path}");
        }
        assert!(build(&cfg(), "TRACE", "/user", &[]).is_err());
        // Slot values that are dot segments, which fetch would resolve out of the API root.
        for v in ["..", ".", "%2e%2E", " .. "] {
            let params = [
                p("a", Value::Str(v.into())),
                p("b", Value::Str("..".into())),
            ];
            assert!(
                build(&cfg(), "GET", "/products/{a}/{b}/x", &params).is_err(),
                "{v}"
            );
        }
        // A filled slot does not confuse the trailing-slash rule.
        let params = [p("id", Value::Str("abcdef".into()))];
        assert!(build(&cfg(), "DELETE", "/{id}//x", &params).is_err());
        let ok = build(&cfg(), "GET", "/products/{id}/", &params).unwrap();
        assert_eq!(ok.request.url, "https://api.gumroad.com/v2/products/abcdef");
        assert!(build(&cfg(), "GET", "/x", &[p("o", Value::Json("{}".into()))]).is_err());
    }
}
