//! Gumroad's Rack::Attack throttles that an API client can meet (`--throttle`, or `POST
//! /__mock/settings {"throttle": true}`), from `config/initializers/rack_attack.rb`.
//!
//! Rack::Attack counts in fixed windows aligned to the epoch (`now / period`), increments a
//! counter for every rule whose block returns a discriminator, and answers the first rule whose
//! count exceeds its limit (`throttles.any?`, so later rules are not counted for that request)
//! with its default responder: HTTP 429, `Content-Type: text/plain`, body `Retry later\n`, no
//! `Retry-After` (Gumroad does not set `throttled_response_retry_after_header`).
//!
//! Not reproduced: the `localhost` safelist (every mock client is local; the mock stands in for
//! a remote server), the `invalid_params` rule (the mock's parser differs from Rack's), `/`
//! and the web-app routes (login, follow, checkout...), and the Gumhead hourly limit.

use std::collections::HashMap;

use ::http::HeaderMap;

pub use crate::state::Counters;
use serde_json::Value;

use crate::http::Resp;

/// What the rules look at, as Rack::Attack sees the request.
pub struct ThrottleRequest<'a> {
    pub method: &'a str,
    /// The path Gumroad sees: `/gumroad/v2/...` (Maton) is mapped to `/v2/...`.
    pub path: String,
    /// `req.remote_ip`: `CF-Connecting-IP`, else the peer address.
    pub ip: String,
    /// Rack's `req.params`: the query plus a form-encoded body (never a JSON body).
    pub params: HashMap<String, String>,
    /// `req.json_params` for JSON bodies (the device-code grant rule reads it).
    pub json: Option<serde_json::Map<String, Value>>,
    pub authorization: Option<String>,
}

impl<'a> ThrottleRequest<'a> {
    /// `kind` is how Rack reads the body (from the method on the wire and the content type).
    pub fn new(
        method: &'a str,
        path: &str,
        query: &str,
        headers: &HeaderMap,
        body: &[u8],
        kind: &crate::rack::BodyKind,
        peer_ip: Option<String>,
    ) -> Self {
        let path = match path.strip_prefix("/gumroad/v2") {
            Some(rest) => format!("/v2{rest}"),
            None => path.to_string(),
        };
        let header = |k: &str| {
            headers
                .get(k)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let ip = header("cf-connecting-ip")
            .filter(|s| !s.trim().is_empty())
            .or(peer_ip)
            .unwrap_or_else(|| "127.0.0.1".into());
        let mut params: HashMap<String, String> = HashMap::new();
        let mut json = None;
        // Rack::Attack's `req.params` reads the body as Rack does (crate::rack::body_kind).
        if !body.is_empty() {
            use crate::rack::BodyKind;
            match kind {
                BodyKind::Json => {
                    if let Ok(Value::Object(m)) = serde_json::from_slice::<Value>(body) {
                        json = Some(m);
                    }
                }
                BodyKind::Form => {
                    for (k, v) in crate::urlenc::parse_form(&String::from_utf8_lossy(body)) {
                        params.insert(k, v);
                    }
                }
                BodyKind::Multipart { boundary } => {
                    for (k, v) in crate::rack::multipart_pairs(boundary, body).unwrap_or_default() {
                        if let Value::String(v) = v {
                            params.insert(k, v);
                        }
                    }
                }
                BodyKind::Unread => {}
            }
        }
        // Rack's `params` is `GET.merge(POST)`: the body wins.
        for (k, v) in crate::urlenc::parse_form(query) {
            params.entry(k).or_insert(v);
        }
        ThrottleRequest {
            method,
            path,
            ip,
            params,
            json,
            authorization: header("authorization"),
        }
    }

    fn post(&self) -> bool {
        self.method == "POST"
    }

    /// `req.params["access_token"].presence || Authorization[/\Abearer\s+(\S+)/i, 1]`.
    fn token(&self) -> Option<String> {
        if let Some(t) = self
            .params
            .get("access_token")
            .filter(|t| !t.trim().is_empty())
        {
            return Some(t.clone());
        }
        let auth = self.authorization.as_deref()?;
        auth.get(..6).filter(|s| s.eq_ignore_ascii_case("bearer"))?;
        let after = &auth[6..];
        if !after.starts_with(|c: char| c.is_whitespace()) {
            return None;
        }
        after.split_whitespace().next().map(str::to_string)
    }
}

/// Ruby's `String#to_i` (leading whitespace, sign, digits with single underscores).
fn ruby_to_i(s: &str) -> i64 {
    let s = s.trim_start();
    let (neg, s) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let mut n: i64 = 0;
    let mut prev_digit = false;
    let bytes = s.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'0'..=b'9' => {
                n = n.saturating_mul(10).saturating_add((b - b'0') as i64);
                prev_digit = true;
            }
            b'_' if prev_digit && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                prev_digit = false;
            }
            _ => break,
        }
    }
    if neg {
        -n
    } else {
        n
    }
}

/// `(\.\w+)?\z` after `stem`: `rest` is `stem` or `stem.<word chars>`.
fn with_format(rest: &str, stem: &str) -> bool {
    match rest.strip_prefix(stem) {
        Some("") => true,
        Some(fmt) => fmt.strip_prefix('.').is_some_and(|w| {
            !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        }),
        None => false,
    }
}

/// `(?:\.[^/]+)?\z` after `stem` (the OAuth rules).
fn with_any_format(path: &str, stem: &str) -> bool {
    match path.strip_prefix(stem) {
        Some("") => true,
        Some(fmt) => fmt
            .strip_prefix('.')
            .is_some_and(|w| !w.is_empty() && !w.contains('/')),
        None => false,
    }
}

/// The part after `\A/(api/)?v2`.
fn v2_rest(path: &str) -> Option<&str> {
    path.strip_prefix("/api/v2")
        .or_else(|| path.strip_prefix("/v2"))
}

/// `/products/[^/]+` + format: one non-empty segment after `/products/`.
fn product_member(rest: &str, suffix: &str) -> bool {
    let Some(tail) = rest.strip_prefix("/products/") else {
        return false;
    };
    if suffix.is_empty() {
        // `[^/]+(\.\w+)?`: any single segment (the id part takes the dots too).
        return !tail.is_empty() && !tail.contains('/');
    }
    match tail.split_once('/') {
        Some((id, after)) if !id.is_empty() => with_format(&format!("/{after}"), suffix),
        _ => false,
    }
}

type Matcher = Box<dyn Fn(&ThrottleRequest) -> Option<String> + Send + Sync>;

struct Rule {
    name: String,
    limit: f64,
    period: u64,
    matcher: std::sync::Arc<Matcher>,
}

/// `throttle_with_exponential_backoff`: the base rule, then levels 2..=max_level with
/// limit `rpm * level` per `8^level` seconds.
fn with_backoff(
    rules: &mut Vec<Rule>,
    name: &str,
    requests: u64,
    period: u64,
    max_level: u32,
    m: Matcher,
) {
    let m = std::sync::Arc::new(m);
    rules.push(Rule {
        name: name.to_string(),
        limit: requests as f64,
        period,
        matcher: m.clone(),
    });
    let rpm = requests as f64 / period as f64 * 60.0;
    for level in 2..=max_level {
        rules.push(Rule {
            name: format!("{name}/{level}"),
            limit: rpm * level as f64,
            period: 8u64.pow(level),
            matcher: m.clone(),
        });
    }
}

/// A rule keyed like `throttle_identifier` with a Regexp path: `"#{path}:#{identifier}"`.
fn path_rule(method: &'static str, matches: fn(&str) -> bool, by_token: bool) -> Matcher {
    Box::new(move |r: &ThrottleRequest| {
        if r.method != method || !v2_rest(&r.path).is_some_and(matches) {
            return None;
        }
        let id = if by_token {
            r.token().unwrap_or_default()
        } else {
            r.ip.clone()
        };
        Some(format!("{}:{id}", r.path))
    })
}

fn rules() -> &'static [Rule] {
    static RULES: std::sync::OnceLock<Vec<Rule>> = std::sync::OnceLock::new();
    RULES.get_or_init(|| {
        let mut r = vec![];
        // OAuth device flow and token endpoint, per IP.
        with_backoff(
            &mut r,
            "oauth_device_code/ip",
            20,
            60,
            5,
            Box::new(|q| {
                (q.post() && with_any_format(&q.path, "/oauth/device/code")).then(|| q.ip.clone())
            }),
        );
        with_backoff(
            &mut r,
            "oauth_device_authorization_lookup/ip",
            30,
            60,
            5,
            Box::new(|q| {
                (matches!(q.method, "GET" | "HEAD") && with_any_format(&q.path, "/oauth/device"))
                    .then(|| q.ip.clone())
            }),
        );
        with_backoff(
            &mut r,
            "oauth_device_authorization_decision/ip",
            10,
            60,
            5,
            Box::new(|q| {
                (q.post() && with_any_format(&q.path, "/oauth/device")).then(|| q.ip.clone())
            }),
        );
        with_backoff(
            &mut r,
            "oauth_token/ip",
            3000,
            60,
            5,
            Box::new(|q| with_any_format(&q.path, "/oauth/token").then(|| q.ip.clone())),
        );
        with_backoff(
            &mut r,
            "oauth_device_token/ip/device_code",
            120,
            60,
            1,
            Box::new(|q| {
                if !(q.post() && with_any_format(&q.path, "/oauth/token")) {
                    return None;
                }
                // The JSON body merged with the query (form bodies are in `params`).
                let get = |k: &str| -> Option<String> {
                    q.json
                        .as_ref()
                        .and_then(|m| m.get(k))
                        .map(|v| match v {
                            Value::String(s) => s.clone(),
                            Value::Null => String::new(),
                            other => other.to_string(),
                        })
                        .or_else(|| q.params.get(k).cloned())
                };
                (get("grant_type").as_deref()
                    == Some("urn:ietf:params:oauth:grant-type:device_code"))
                .then(|| format!("{}:{}", q.ip, get("device_code").unwrap_or_default()))
            }),
        );
        // Deprecated page-number pagination of the sales API: 10 requests per second per IP
        // once `page` is above 10 (no backoff tiers).
        r.push(Rule {
            name: "/api/v2/sales".into(),
            limit: 10.0,
            period: 1,
            matcher: std::sync::Arc::new(Box::new(|q| {
                (q.path.ends_with("/v2/sales")
                    && q.params.get("page").is_some_and(|p| ruby_to_i(p) > 10))
                .then(|| q.ip.clone())
            })),
        });
        let products = |rest: &str| with_format(rest, "/products");
        let comps = |rest: &str| with_format(rest, "/products/comps");
        let product = |rest: &str| product_member(rest, "");
        let preview = |rest: &str| product_member(rest, "/preview_custom_html");
        let user_html = |rest: &str| with_format(rest, "/user/custom_html");
        let user_preview = |rest: &str| with_format(rest, "/user/preview_custom_html");
        let media = |rest: &str| with_format(rest, "/media");
        with_backoff(
            &mut r,
            "/ip:products:post",
            10,
            60,
            5,
            path_rule("POST", products, false),
        );
        with_backoff(
            &mut r,
            "/ip:comps:get",
            30,
            60,
            5,
            path_rule("GET", comps, false),
        );
        with_backoff(
            &mut r,
            "/ip:product:put",
            30,
            60,
            5,
            path_rule("PUT", product, false),
        );
        with_backoff(
            &mut r,
            "/ip:product:patch",
            30,
            60,
            5,
            path_rule("PATCH", product, false),
        );
        with_backoff(
            &mut r,
            "/params:product:put",
            30,
            60,
            6,
            path_rule("PUT", product, true),
        );
        with_backoff(
            &mut r,
            "/params:product:patch",
            30,
            60,
            6,
            path_rule("PATCH", product, true),
        );
        with_backoff(
            &mut r,
            "/params:comps:get",
            30,
            60,
            6,
            path_rule("GET", comps, true),
        );
        with_backoff(
            &mut r,
            "/ip:preview:post",
            60,
            60,
            5,
            path_rule("POST", preview, false),
        );
        with_backoff(
            &mut r,
            "/params:preview:post",
            60,
            60,
            6,
            path_rule("POST", preview, true),
        );
        with_backoff(
            &mut r,
            "/ip:user_html:put",
            30,
            60,
            5,
            path_rule("PUT", user_html, false),
        );
        with_backoff(
            &mut r,
            "/ip:user_html:patch",
            30,
            60,
            5,
            path_rule("PATCH", user_html, false),
        );
        with_backoff(
            &mut r,
            "/params:user_html:put",
            30,
            60,
            6,
            path_rule("PUT", user_html, true),
        );
        with_backoff(
            &mut r,
            "/params:user_html:patch",
            30,
            60,
            6,
            path_rule("PATCH", user_html, true),
        );
        with_backoff(
            &mut r,
            "/ip:user_preview:post",
            60,
            60,
            5,
            path_rule("POST", user_preview, false),
        );
        with_backoff(
            &mut r,
            "/params:user_preview:post",
            60,
            60,
            6,
            path_rule("POST", user_preview, true),
        );
        with_backoff(
            &mut r,
            "/ip:media:post",
            20,
            600,
            1,
            path_rule("POST", media, false),
        );
        with_backoff(
            &mut r,
            "media_uploads/token",
            20,
            600,
            1,
            Box::new(|q| {
                (q.post() && v2_rest(&q.path).is_some_and(|rest| with_format(rest, "/media")))
                    .then(|| q.token())
                    .flatten()
            }),
        );
        r
    })
}

impl Counters {
    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// Counts the request against every matching rule in order and answers the first one
    /// over its limit (later rules are not counted, like `throttles.any?`).
    pub fn check(&mut self, req: &ThrottleRequest, now_secs: u64) -> Option<Resp> {
        if self.0.len() > 100_000 {
            self.0
                .retain(|_, (period, window, _)| *window == now_secs / *period);
        }
        for rule in rules() {
            let Some(disc) = (rule.matcher)(req) else {
                continue;
            };
            let window = now_secs / rule.period;
            let entry =
                self.0
                    .entry(format!("{}|{disc}", rule.name))
                    .or_insert((rule.period, window, 0));
            if entry.1 != window {
                *entry = (rule.period, window, 0);
            }
            entry.2 += 1;
            if entry.2 as f64 > rule.limit {
                return Some(throttled());
            }
        }
        None
    }
}

/// Rack::Attack's default throttled response.
pub fn throttled() -> Resp {
    Resp {
        status: 429,
        content_type: Some("text/plain"),
        headers: vec![],
        body: b"Retry later\n".to_vec(),
    }
}

pub fn now_secs() -> u64 {
    crate::state::now_unix().max(0) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_come_from_the_body_as_rack_reads_it() {
        let read = |ct: &str, body: &str| {
            let mut h = HeaderMap::new();
            h.insert("content-type", ct.parse().unwrap());
            let kind = crate::rack::body_kind("POST", ct);
            let t = ThrottleRequest::new("POST", "/v2/x", "", &h, body.as_bytes(), &kind, None);
            t.params.get("access_token").cloned()
        };
        let mp =
            "--b\r\nContent-Disposition: form-data; name=\"access_token\"\r\n\r\ntok\r\n--b--\r\n";
        assert_eq!(
            read("multipart/form-data; boundary=b", mp).as_deref(),
            Some("tok")
        );
        assert_eq!(
            read("application/x-www-form-urlencoded", "access_token=tok").as_deref(),
            Some("tok")
        );
        assert_eq!(read("text/plain", "access_token=tok"), None);
    }

    fn req<'a>(
        method: &'a str,
        path: &str,
        query: &str,
        auth: Option<&str>,
    ) -> ThrottleRequest<'a> {
        let mut h = HeaderMap::new();
        if let Some(a) = auth {
            h.insert("authorization", a.parse().unwrap());
        }
        ThrottleRequest::new(
            method,
            path,
            query,
            &h,
            b"",
            &crate::rack::BodyKind::Unread,
            Some("10.0.0.1".into()),
        )
    }

    #[test]
    fn ruby_to_i_matches_ruby() {
        assert_eq!(ruby_to_i("11"), 11);
        assert_eq!(ruby_to_i(" 12abc"), 12);
        assert_eq!(ruby_to_i("1_1"), 11);
        assert_eq!(ruby_to_i("abc"), 0);
        assert_eq!(ruby_to_i("-20"), -20);
    }

    #[test]
    fn sales_page_above_ten_is_limited_to_ten_per_second() {
        let mut c = Counters::default();
        for _ in 0..10 {
            assert!(c
                .check(&req("GET", "/v2/sales", "page=11", None), 1000)
                .is_none());
        }
        let r = c
            .check(&req("GET", "/gumroad/v2/sales", "page=11", None), 1000)
            .unwrap();
        assert_eq!((r.status, r.body.as_slice()), (429, &b"Retry later\n"[..]));
        assert!(r.headers.is_empty());
        // The next second is a new window; page 10 and `.json` are never counted.
        assert!(c
            .check(&req("GET", "/v2/sales", "page=11", None), 1001)
            .is_none());
        for _ in 0..30 {
            assert!(c
                .check(&req("GET", "/v2/sales", "page=10", None), 1001)
                .is_none());
            assert!(c
                .check(&req("GET", "/v2/sales.json", "page=99", None), 1001)
                .is_none());
        }
    }

    #[test]
    fn product_rules_key_by_path_and_token() {
        let mut c = Counters::default();
        for _ in 0..10 {
            assert!(c
                .check(&req("POST", "/v2/products", "", None), 60)
                .is_none());
        }
        assert!(c
            .check(&req("POST", "/v2/products", "", None), 60)
            .is_some());
        // `/v2/products.json` is another path, hence another counter.
        assert!(c
            .check(&req("POST", "/v2/products.json", "", None), 60)
            .is_none());
        // The next minute is a new window.
        for _ in 0..10 {
            assert!(c
                .check(&req("POST", "/v2/products", "", None), 120)
                .is_none());
        }
        assert!(c
            .check(&req("POST", "/v2/products", "", None), 120)
            .is_some());

        let mut c = Counters::default();
        for _ in 0..30 {
            assert!(c
                .check(&req("PUT", "/v2/products/abc", "", Some("Bearer t1")), 60)
                .is_none());
        }
        assert!(c
            .check(&req("PUT", "/v2/products/abc", "", Some("Bearer t1")), 60)
            .is_some());
        // Another product has its own counters; PATCH has its own rules.
        assert!(c
            .check(&req("PUT", "/v2/products/def", "", Some("Bearer t1")), 60)
            .is_none());
        assert!(c
            .check(&req("PATCH", "/v2/products/abc", "", Some("Bearer t1")), 60)
            .is_none());
        // Sub-resources are not product updates.
        assert!(product_member("/products/abc", ""));
        assert!(!product_member("/products/abc/enable", ""));
        assert!(product_member(
            "/products/abc/preview_custom_html.json",
            "/preview_custom_html"
        ));
        assert!(!with_format("/products/comps.", "/products/comps"));
    }

    #[test]
    fn media_token_rule_is_keyed_by_token_alone() {
        let mut c = Counters::default();
        for i in 0..20 {
            let mut q = req("POST", "/v2/media", "", Some("Bearer tok"));
            q.ip = format!("10.0.1.{i}");
            assert!(c.check(&q, 600).is_none());
        }
        let mut q = req("POST", "/v2/media", "", Some("bearer   tok"));
        q.ip = "10.9.9.9".into();
        assert!(c.check(&q, 600).is_some());
        assert_eq!(q.token().as_deref(), Some("tok"));
    }
}
