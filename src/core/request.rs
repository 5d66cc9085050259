//! Transport-neutral HTTP requests and the encodings Gumroad expects.

use super::error::Error;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

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
        format!("{} {}", self.method.as_str(), path)
    }
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

/// A validated API root such as `https://api.gumroad.com/v2` (no trailing slash).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseUrl(String);

impl BaseUrl {
    /// Accepts `https://` anywhere and `http://` only for loopback hosts (local mocks), unless
    /// `allow_insecure` is set. Refuses query strings, fragments and credentials in the URL,
    /// because we append paths to it and print it in errors.
    pub fn parse(input: &str, allow_insecure: bool) -> Result<Self, Error> {
        let trimmed = input.trim().trim_end_matches('/');
        let (scheme, rest) = trimmed
            .split_once("://")
            .ok_or_else(|| Error::invalid_argument("baseUrl must be an absolute http(s) URL"))?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "https" && scheme != "http" {
            return Err(Error::invalid_argument("baseUrl must use https"));
        }
        if rest.contains(['?', '#', '@', ' ']) {
            return Err(Error::invalid_argument(
                "baseUrl must not contain a query, fragment, credentials or spaces",
            ));
        }
        let authority = rest.split('/').next().unwrap_or_default();
        let host = host_of(authority);
        if host.is_empty() {
            return Err(Error::invalid_argument("baseUrl has no host"));
        }
        if scheme == "http" && !allow_insecure && !is_loopback(host) {
            return Err(Error::invalid_argument(
                "baseUrl must use https (plain http is allowed only for loopback hosts)",
            ));
        }
        Ok(BaseUrl(format!("{scheme}://{rest}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Joins a path that starts with `/`.
    pub fn join(&self, path: &str) -> String {
        format!("{}{}", self.0, path)
    }
}

fn host_of(authority: &str) -> &str {
    if let Some(stripped) = authority.strip_prefix('[') {
        return stripped.split(']').next().unwrap_or_default();
    }
    authority.split(':').next().unwrap_or_default()
}

pub fn is_loopback(host: &str) -> bool {
    let h = host.to_ascii_lowercase();
    h == "localhost" || h == "::1" || h.starts_with("127.") || h.ends_with(".localhost")
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
