//! Transport-neutral HTTP requests and the encodings Gumroad expects.

use super::error::Error;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Parameters go in the body (POST, PUT, PATCH), not the query string.
    pub fn has_body(self) -> bool {
        matches!(self, Method::Post | Method::Put | Method::Patch)
    }

    /// `GET`, `post`, ... (any case).
    pub fn parse(s: &str) -> Option<Method> {
        let m = s.trim();
        [
            Method::Get,
            Method::Post,
            Method::Put,
            Method::Patch,
            Method::Delete,
        ]
        .into_iter()
        .find(|x| x.as_str().eq_ignore_ascii_case(m))
    }
}

/// Request parameters, encoded: a form (query string for GET/DELETE, body otherwise) or a JSON
/// object body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    Form(Form),
    Json(String),
}

pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";
pub const JSON_CONTENT_TYPE: &str = "application/json";

/// Everything a transport needs to send one request. Header values may hold secrets: never log
/// a request as it is (see `HttpRequest::describe`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<String>,
}

impl HttpRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `METHOD url` without the query string, which is where `access_token` would live.
    pub fn describe(&self) -> String {
        let path = self.url.split('?').next().unwrap_or_default();
        crate::core::text::cat(&[self.method.as_str(), " ", path])
    }
}

/// The path of `url` that client hooks and debug lines show: below the first of `roots` it
/// starts with (an API root: `/products/abc`), else the URL's own path (an upload part's storage
/// URL). Never the query string or fragment, where a key or signature could travel, nor the host.
pub fn log_path<'a>(url: &'a str, roots: &[&str]) -> &'a str {
    let url = url.split(['?', '#']).next().unwrap_or_default();
    for root in roots {
        if let Some(rest) = url.strip_prefix(root) {
            if rest.starts_with('/') {
                return rest;
            }
        }
    }
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.find('/').and_then(|i| rest.get(i..)).unwrap_or("/")
}

/// Ordered form fields. Values are sent as strings; booleans as `"true"`/`"false"` because
/// Gumroad's controllers compare against the string `"true"`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Form(Vec<(String, String)>);

impl Form {
    pub fn new() -> Self {
        Form(Vec::new())
    }

    pub fn push(&mut self, key: &str, value: impl Into<String>) -> &mut Self {
        self.0.push((key.to_string(), value.into()));
        self
    }

    pub fn push_opt(&mut self, key: &str, value: Option<impl Into<String>>) -> &mut Self {
        if let Some(v) = value {
            self.push(key, v);
        }
        self
    }

    pub fn push_bool(&mut self, key: &str, value: Option<bool>) -> &mut Self {
        if let Some(v) = value {
            self.push(key, if v { "true" } else { "false" });
        }
        self
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }

    /// `application/x-www-form-urlencoded`, with every byte outside `A-Za-z0-9-._~` escaped
    /// (so `=` in Gumroad ids and `+` in emails survive).
    pub fn encode(&self) -> String {
        let mut out = String::new();
        for (i, (k, v)) in self.0.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            out.push_str(&percent_encode(k));
            out.push('=');
            out.push_str(&percent_encode(v));
        }
        out
    }
}

/// Percent-encodes everything except RFC 3986 unreserved characters.
pub fn percent_encode(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for &b in input.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(hex_digit(b >> 4));
            out.push(hex_digit(b & 0x0f));
        }
    }
    out
}

fn hex_digit(n: u8) -> char {
    match n {
        0..=9 => (b'0' + n) as char,
        _ => (b'A' + (n & 0x0f) - 10) as char,
    }
}

/// Decodes `%XX` in a URL path segment (`+` stays a plus there).
pub fn percent_decode_path(input: &str) -> String {
    percent_decode(&input.replace('+', "%2B"))
}

/// Decodes `%XX` and `+` (form encoding). Invalid escapes are kept literally; invalid UTF-8 is
/// replaced, so this never fails.
pub fn percent_decode(input: &str) -> String {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hi = bytes.get(i + 1).copied().and_then(hex_val);
                let lo = bytes.get(i + 2).copied().and_then(hex_val);
                match (hi, lo) {
                    (Some(h), Some(l)) => {
                        out.push((h << 4) | l);
                        i += 3;
                    }
                    _ => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Parses `a=1&b=2` into pairs, decoding both sides.
pub fn parse_form(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (percent_decode(k), percent_decode(v)),
            None => (percent_decode(pair), String::new()),
        })
        .collect()
}

/// The pieces of an absolute URL that decide whether it may serve as an API root. In wasm
/// they come from the platform's URL parser (what `fetch` itself uses, so the host we check is
/// the host we connect to); natively from [`UrlParts::parse_strict`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlParts {
    /// Lower case, without `:` (`https`).
    pub scheme: String,
    /// Host name as the parser normalised it; IPv6 literals in brackets.
    pub host: String,
    pub has_credentials: bool,
    pub has_query: bool,
    pub has_fragment: bool,
    /// The whole URL, normalised.
    pub href: String,
}

impl UrlParts {
    /// A deliberately narrow parser for native use: `scheme://host[:port][/path]` with plain
    /// host names, dotted IPv4 or bracketed IPv6, and no characters a lenient parser would
    /// reinterpret (backslashes, whitespace, control characters, `%` in the host).
    pub fn parse_strict(input: &str) -> Result<UrlParts, Error> {
        let absolute = || Error::invalid_argument("baseUrl must be an absolute http(s) URL");
        let input = input.trim();
        if input
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
        {
            return Err(Error::invalid_argument(
                "baseUrl must not contain spaces, control characters or backslashes",
            ));
        }
        let (scheme, rest) = input.split_once("://").ok_or_else(absolute)?;
        let scheme = scheme.to_ascii_lowercase();
        if !scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-')
        {
            return Err(absolute());
        }
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        let has_credentials = authority.contains('@');
        let host_port = authority.rsplit('@').next().unwrap_or_default();
        let host = if let Some(v6) = host_port.strip_prefix('[') {
            let (inner, after) = v6.split_once(']').ok_or_else(absolute)?;
            if !inner
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
            {
                return Err(absolute());
            }
            if !(after.is_empty() || after.strip_prefix(':').is_some_and(is_port)) {
                return Err(absolute());
            }
            crate::core::text::cat(&["[", &inner.to_ascii_lowercase(), "]"])
        } else {
            let (h, port) = match host_port.split_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (host_port, None),
            };
            if port.is_some_and(|p| !is_port(p)) {
                return Err(absolute());
            }
            if !h
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
            {
                return Err(absolute());
            }
            h.to_ascii_lowercase()
        };
        Ok(UrlParts {
            href: crate::core::text::cat(&[&scheme, "://", &authority.to_ascii_lowercase(), tail]),
            scheme,
            host,
            has_credentials,
            has_query: tail.contains('?'),
            has_fragment: tail.contains('#'),
        })
    }
}

fn is_port(p: &str) -> bool {
    !p.is_empty()
        && p.len() <= 5
        && p.bytes().all(|b| b.is_ascii_digit())
        && p.parse::<u32>().is_ok_and(|n| n <= 65_535)
}

/// A validated API root such as `https://api.gumroad.com/v2` (no trailing slash).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseUrl(String);

impl BaseUrl {
    /// [`BaseUrl::from_parts`] of the native strict parser.
    pub fn parse(input: &str, allow_insecure: bool) -> Result<Self, Error> {
        Self::from_parts(&UrlParts::parse_strict(input)?, allow_insecure)
    }

    /// Accepts `https://` anywhere and `http://` only for loopback hosts (local mocks), unless
    /// `allow_insecure` is set. Refuses query strings, fragments and credentials in the URL,
    /// because we append paths to it and print it in errors.
    pub fn from_parts(parts: &UrlParts, allow_insecure: bool) -> Result<Self, Error> {
        if parts.scheme != "https" && parts.scheme != "http" {
            return Err(Error::invalid_argument("baseUrl must use https"));
        }
        if parts.has_query || parts.has_fragment || parts.has_credentials {
            return Err(Error::invalid_argument(
                "baseUrl must not contain a query, fragment or credentials",
            ));
        }
        if parts.host.is_empty() {
            return Err(Error::invalid_argument("baseUrl has no host"));
        }
        if parts.scheme == "http" && !allow_insecure && !is_loopback(&parts.host) {
            return Err(Error::invalid_argument(
                "baseUrl must use https (plain http is allowed only for loopback hosts)",
            ));
        }
        Ok(BaseUrl(parts.href.trim_end_matches('/').to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Joins a path that starts with `/`.
    pub fn join(&self, path: &str) -> String {
        let mut out = String::with_capacity(self.0.len() + path.len());
        out.push_str(&self.0);
        out.push_str(path);
        out
    }
}

/// Whether `host` (as a URL parser normalised it) names this machine: `localhost`, `[::1]`, and
/// IPv4 literals in 127.0.0.0/8. A name that merely starts with `127.` (`127.evil.example`) is a
/// DNS name like any other, and so is `*.localhost`: not every resolver pins it to loopback.
pub fn is_loopback(host: &str) -> bool {
    let h = host.to_ascii_lowercase();
    if h == "localhost" || h == "[::1]" || h == "::1" {
        return true;
    }
    let octets: Vec<&str> = h.split('.').collect();
    octets.len() == 4
        && octets.iter().all(|o| {
            !o.is_empty()
                && o.len() <= 3
                && o.bytes().all(|b| b.is_ascii_digit())
                && o.parse::<u16>().is_ok_and(|n| n <= 255)
        })
        && octets.first() == Some(&"127")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_encoding_escapes_everything_but_unreserved() {
        let mut f = Form::new();
        f.push("product_id", "32-nPAicqbLj8B_WswVlMw==")
            .push("email", "a+b@x.com")
            .push("name", "Café & co")
            .push_bool("increment_uses_count", Some(false))
            .push_opt("skip", None::<String>);
        assert_eq!(
            f.encode(),
            "product_id=32-nPAicqbLj8B_WswVlMw%3D%3D&email=a%2Bb%40x.com&name=Caf%C3%A9%20%26%20co&increment_uses_count=false"
        );
    }

    #[test]
    fn form_round_trips_through_the_decoder() {
        let mut f = Form::new();
        f.push("k[a]", "v=1&2 +%").push("empty", "");
        assert_eq!(parse_form(&f.encode()), f.pairs().to_vec());
    }

    #[test]
    fn decoder_tolerates_bad_escapes() {
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%"), "%");
        assert_eq!(percent_decode("a+b%20c"), "a b c");
        assert_eq!(percent_decode("%FF"), "\u{FFFD}");
    }

    #[test]
    fn base_url_rules() {
        let ok = BaseUrl::parse("https://api.gumroad.com/v2/", false).unwrap();
        assert_eq!(ok.join("/user"), "https://api.gumroad.com/v2/user");
        assert!(BaseUrl::parse("http://127.0.0.1:8080/v2", false).is_ok());
        assert!(BaseUrl::parse("http://localhost:8080/v2", false).is_ok());
        assert!(BaseUrl::parse("http://[::1]:8080/v2", false).is_ok());
        let e = BaseUrl::parse("http://api.gumroad.com/v2", false).unwrap_err();
        assert_eq!(e.code, crate::core::error::ErrorCode::InvalidArgument);
        assert!(BaseUrl::parse("http://mock.test/v2", true).is_ok());
        assert!(BaseUrl::parse("ftp://x/v2", false).is_err());
        assert!(BaseUrl::parse("api.gumroad.com/v2", false).is_err());
        assert!(BaseUrl::parse("https://u:p@x.com/v2", false).is_err());
        assert!(BaseUrl::parse("https://x.com/v2?access_token=1", false).is_err());
        assert!(BaseUrl::parse("https:///v2", false).is_err());
        assert_eq!(
            BaseUrl::parse("HTTPS://API.Gumroad.com/v2", false)
                .unwrap()
                .as_str(),
            "https://api.gumroad.com/v2"
        );
    }

    #[test]
    fn hostile_base_urls_never_get_plain_http() {
        for url in [
            "http://127.evil.example/v2",
            "http://127.0.0.1.evil.example/v2",
            "http://localhost.evil.example/v2",
            "http://127.0.0.1@evil.example/v2",
            "http://evil.example\\@127.0.0.1/v2",
            "http://evil.example#@127.0.0.1/v2",
            "http://evil.example?@127.0.0.1/v2",
            "http://127.0.0.1%2f@evil.example/v2",
            "http://loc alhost/v2",
            "http://127.0.0.1:99999/v2",
            "http://[::1].evil/v2",
            "http://0x7f.0.0.1/v2",
            "http://127.0.0.256/v2",
        ] {
            assert!(BaseUrl::parse(url, false).is_err(), "{url}");
        }
        for url in [
            "http://127.0.0.1:4010/v2",
            "http://127.1.2.3/v2",
            "http://localhost:8080/v2",
            "http://[::1]:4010/v2",
        ] {
            assert!(BaseUrl::parse(url, false).is_ok(), "{url}");
        }
        assert!(BaseUrl::parse("http://api.localhost:8080/v2", false).is_err());
        assert!(!is_loopback("127.evil.example"));
        assert!(!is_loopback("127.0.0"));
        assert!(is_loopback("127.255.255.255"));
    }

    #[test]
    fn log_path_is_below_the_root_without_query() {
        let roots = ["https://x/v2", "https://ctrl.x"];
        assert_eq!(log_path("https://x/v2/user", &roots), "/user");
        assert_eq!(
            log_path("https://x/v2/sales?page_key=a&email=b#f", &roots),
            "/sales"
        );
        assert_eq!(
            log_path("https://ctrl.x/connections/c1", &roots),
            "/connections/c1"
        );
        // Another root that merely shares a prefix is not below it.
        assert_eq!(log_path("https://x/v2x/user", &roots), "/v2x/user");
        assert_eq!(
            log_path(
                "https://bucket.s3.example/a/b.pdf?X-Amz-Signature=s",
                &roots
            ),
            "/a/b.pdf"
        );
        assert_eq!(log_path("https://host?k=secret", &roots), "/");
        assert_eq!(log_path("", &[]), "/");
    }

    #[test]
    fn describe_drops_the_query() {
        let r = HttpRequest {
            method: Method::Get,
            url: "https://x/v2/user?access_token=secret".into(),
            headers: vec![],
            body: None,
        };
        assert_eq!(r.describe(), "GET https://x/v2/user");
    }
}
