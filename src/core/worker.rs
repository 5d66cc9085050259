//! The edge worker's decisions, free of any runtime: configuration, input validation, product
//! resolution, CORS, and how every outcome is answered. `src/edge` only moves bytes.

use super::error::{Error, ErrorCode};
use super::json::J;
use super::license::Verdict;

/// Request bodies above this are refused before parsing.
pub const MAX_BODY_BYTES: usize = 4096;
/// Longest license key accepted (Gumroad's are 35 characters).
pub const MAX_KEY_LEN: usize = 128;

/// Worker configuration from its vars and secrets.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkerConfig {
    pub product_ids: Vec<String>,
    pub api_base: Option<String>,
    pub maton_api_key: Option<String>,
    pub maton_connection: Option<String>,
    /// `*` allows every origin; empty allows none (server-to-server use).
    pub allowed_origins: Vec<String>,
    pub max_uses: Option<u64>,
    pub cache_ttl_valid: u32,
    pub cache_ttl_invalid: u32,
    pub ping_secret: Option<String>,
    /// Adds the buyer's e-mail to verdicts. Off by default: apps rarely need personal data.
    pub expose_email: bool,
    /// Per-attempt upstream timeout.
    pub upstream_timeout_ms: u32,
}

pub const DEFAULT_UPSTREAM_TIMEOUT_MS: u32 = 8_000;

pub const DEFAULT_TTL_VALID: u32 = 300;
pub const DEFAULT_TTL_INVALID: u32 = 60;

/// Splits a list var on commas and whitespace.
pub fn split_list(v: &str) -> Vec<String> {
    v.split(|c: char| c == ',' || c.is_whitespace())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

impl WorkerConfig {
    /// Builds the config from `get(name)` lookups of vars/secrets. Misconfiguration is an error
    /// (answered as a 500 with a code, never as "valid").
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let nonempty = |k: &str| {
            get(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let product_ids = nonempty("GUMROAD_PRODUCT_IDS")
            .map(|v| split_list(&v))
            .unwrap_or_default();
        if product_ids.is_empty() {
            return Err(Error::invalid_argument("GUMROAD_PRODUCT_IDS is not set"));
        }
        let uint = |k: &str| -> Result<Option<u64>, Error> {
            match nonempty(k) {
                None => Ok(None),
                Some(v) => v
                    .parse::<u64>()
                    .map(Some)
                    .map_err(|_| Error::invalid_argument(format!("{k} must be a whole number"))),
            }
        };
        let ttl = |k: &str, d: u32| -> Result<u32, Error> {
            Ok(uint(k)?.map(|v| v.min(86_400) as u32).unwrap_or(d))
        };
        Ok(WorkerConfig {
            product_ids,
            api_base: nonempty("GUMROAD_API_BASE"),
            maton_api_key: nonempty("MATON_API_KEY"),
            maton_connection: nonempty("MATON_CONNECTION"),
            allowed_origins: nonempty("ALLOWED_ORIGINS")
                .map(|v| split_list(&v))
                .unwrap_or_default(),
            max_uses: uint("MAX_USES")?,
            cache_ttl_valid: ttl("CACHE_TTL_VALID", DEFAULT_TTL_VALID)?,
            cache_ttl_invalid: ttl("CACHE_TTL_INVALID", DEFAULT_TTL_INVALID)?,
            ping_secret: nonempty("PING_SECRET"),
            expose_email: nonempty("EXPOSE_BUYER_EMAIL").is_some_and(|v| v == "true"),
            upstream_timeout_ms: uint("UPSTREAM_TIMEOUT_MS")?
                .map(|v| v.clamp(1, 60_000) as u32)
                .unwrap_or(DEFAULT_UPSTREAM_TIMEOUT_MS),
        })
    }

    /// The `Access-Control-Allow-Origin` value for `origin`, if it is allowed.
    pub fn cors_origin(&self, origin: Option<&str>) -> Option<String> {
        let origin = origin?;
        if self.allowed_origins.iter().any(|o| o == "*") {
            return Some("*".into());
        }
        self.allowed_origins
            .iter()
            .any(|o| o.eq_ignore_ascii_case(origin))
            .then(|| origin.to_string())
    }

    /// Which configured product a request is about.
    pub fn resolve_product(&self, requested: Option<&str>) -> Result<String, WorkerError> {
        match requested.map(str::trim).filter(|s| !s.is_empty()) {
            Some(p) => self
                .product_ids
                .iter()
                .find(|id| id.as_str() == p)
                .cloned()
                .ok_or(WorkerError::UnknownProduct),
            None => match self.product_ids.as_slice() {
                [only] => Ok(only.clone()),
                _ => Err(WorkerError::ProductIdRequired),
            },
        }
    }
}

/// A client-side failure of a worker request, answered with a 4xx.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkerError {
    BodyTooLarge,
    UnsupportedMediaType,
    MalformedBody,
    MissingLicenseKey,
    InvalidLicenseKey,
    UnknownProduct,
    ProductIdRequired,
    MethodNotAllowed,
    NotFound,
    Forbidden,
}

impl WorkerError {
    pub fn status(self) -> u16 {
        match self {
            WorkerError::BodyTooLarge => 413,
            WorkerError::UnsupportedMediaType => 415,
            WorkerError::MethodNotAllowed => 405,
            WorkerError::NotFound => 404,
            WorkerError::Forbidden => 403,
            _ => 400,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            WorkerError::BodyTooLarge => "body_too_large",
            WorkerError::UnsupportedMediaType => "unsupported_media_type",
            WorkerError::MalformedBody => "malformed_body",
            WorkerError::MissingLicenseKey => "missing_license_key",
            WorkerError::InvalidLicenseKey => "invalid_license_key",
            WorkerError::UnknownProduct => "unknown_product",
            WorkerError::ProductIdRequired => "product_id_required",
            WorkerError::MethodNotAllowed => "method_not_allowed",
            WorkerError::NotFound => "not_found",
            WorkerError::Forbidden => "forbidden",
        }
    }
    pub fn message(self) -> &'static str {
        match self {
            WorkerError::BodyTooLarge => "request body is too large",
            WorkerError::UnsupportedMediaType => {
                "send application/json or application/x-www-form-urlencoded"
            }
            WorkerError::MalformedBody => "request body could not be parsed",
            WorkerError::MissingLicenseKey => "license_key is required",
            WorkerError::InvalidLicenseKey => "license_key has an invalid format",
            WorkerError::UnknownProduct => "product_id is not one of this worker's products",
            WorkerError::ProductIdRequired => {
                "product_id is required: this worker serves several products"
            }
            WorkerError::MethodNotAllowed => "method not allowed",
            WorkerError::NotFound => "no such route",
            WorkerError::Forbidden => "forbidden",
        }
    }
    pub fn body(self) -> String {
        error_body(self.code(), self.message())
    }
}

pub fn error_body(code: &str, message: &str) -> String {
    J::Obj(vec![(
        "error",
        J::Obj(vec![("code", J::Str(code)), ("message", J::Str(message))]),
    )])
    .to_json()
}

/// What kind of body a `Content-Type` announces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    Json,
    Form,
}

pub fn body_kind(content_type: Option<&str>) -> Result<BodyKind, WorkerError> {
    let ct = content_type
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match ct.as_str() {
        "application/json" => Ok(BodyKind::Json),
        "application/x-www-form-urlencoded" => Ok(BodyKind::Form),
        _ => Err(WorkerError::UnsupportedMediaType),
    }
}

/// The two fields a license request carries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LicenseInput {
    pub license_key: Option<String>,
    pub product_id: Option<String>,
}

/// Reads a form body.
pub fn parse_form_input(body: &str) -> LicenseInput {
    let mut input = LicenseInput::default();
    for (k, v) in super::request::parse_form(body) {
        match k.as_str() {
            "license_key" => input.license_key = Some(v),
            "product_id" => input.product_id = Some(v),
            _ => {}
        }
    }
    input
}

/// Trims and upper-cases a key (Gumroad keys are upper-case hex; lookups are case-insensitive),
/// and refuses anything that cannot be a key before it reaches Gumroad.
pub fn normalize_key(raw: Option<&str>) -> Result<String, WorkerError> {
    let key = raw.map(str::trim).unwrap_or_default();
    if key.is_empty() {
        return Err(WorkerError::MissingLicenseKey);
    }
    if key.len() > MAX_KEY_LEN || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(WorkerError::InvalidLicenseKey);
    }
    Ok(key.to_ascii_uppercase())
}

/// How an upstream failure is answered: status, code, message.
pub fn upstream_failure(err: &Error) -> (u16, &'static str, &'static str) {
    match err.code {
        ErrorCode::RateLimited => (
            503,
            "upstream_rate_limited",
            "Gumroad is rate limiting; retry later",
        ),
        ErrorCode::Timeout => (504, "upstream_timeout", "Gumroad did not answer in time"),
        ErrorCode::Authentication | ErrorCode::Permission => (
            502,
            "upstream_auth",
            "the worker's Gumroad credentials were refused",
        ),
        ErrorCode::InvalidArgument => (500, "misconfigured", "the worker is misconfigured"),
        _ => (
            502,
            "upstream_error",
            "Gumroad could not be reached or failed",
        ),
    }
}

/// The success body: `{ valid, reason, uses, product_id }` (+ `email` when enabled).
pub fn verdict_body(v: &Verdict, product_id: &str, email: Option<&str>) -> String {
    let mut fields = vec![
        ("valid", J::Bool(v.valid)),
        ("reason", J::Str(v.reason.as_str())),
        ("uses", J::Num(v.uses as f64)),
        ("product_id", J::Str(product_id)),
    ];
    if let Some(e) = email {
        fields.push(("email", J::Str(e)));
    }
    J::Obj(fields).to_json()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::license::Reason;
    use std::collections::HashMap;

    fn cfg(vars: &[(&str, &str)]) -> Result<WorkerConfig, Error> {
        let m: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        WorkerConfig::from_lookup(|k| m.get(k).cloned())
    }

    #[test]
    fn config_requires_products_and_parses_lists() {
        assert!(cfg(&[]).is_err());
        let c = cfg(&[
            ("GUMROAD_PRODUCT_IDS", "a==, b==\nc=="),
            ("ALLOWED_ORIGINS", "https://app.example.com https://x.dev"),
            ("MAX_USES", "3"),
        ])
        .unwrap();
        assert_eq!(c.product_ids, ["a==", "b==", "c=="]);
        assert_eq!(c.allowed_origins.len(), 2);
        assert_eq!(c.max_uses, Some(3));
        assert_eq!(c.cache_ttl_valid, DEFAULT_TTL_VALID);
        assert!(cfg(&[("GUMROAD_PRODUCT_IDS", "a"), ("MAX_USES", "many")]).is_err());
    }

    #[test]
    fn product_resolution() {
        let one = cfg(&[("GUMROAD_PRODUCT_IDS", "a==")]).unwrap();
        assert_eq!(one.resolve_product(None).unwrap(), "a==");
        assert_eq!(one.resolve_product(Some(" a== ")).unwrap(), "a==");
        assert_eq!(
            one.resolve_product(Some("b")),
            Err(WorkerError::UnknownProduct)
        );
        let two = cfg(&[("GUMROAD_PRODUCT_IDS", "a==,b==")]).unwrap();
        assert_eq!(
            two.resolve_product(None),
            Err(WorkerError::ProductIdRequired)
        );
        assert_eq!(two.resolve_product(Some("b==")).unwrap(), "b==");
    }

    #[test]
    fn cors_only_for_listed_origins() {
        let c = cfg(&[
            ("GUMROAD_PRODUCT_IDS", "a"),
            ("ALLOWED_ORIGINS", "https://ok.example"),
        ])
        .unwrap();
        assert_eq!(
            c.cors_origin(Some("https://ok.example")).as_deref(),
            Some("https://ok.example")
        );
        assert_eq!(c.cors_origin(Some("https://evil.example")), None);
        assert_eq!(c.cors_origin(None), None);
        let star = cfg(&[("GUMROAD_PRODUCT_IDS", "a"), ("ALLOWED_ORIGINS", "*")]).unwrap();
        assert_eq!(star.cors_origin(Some("https://any")).as_deref(), Some("*"));
        let none = cfg(&[("GUMROAD_PRODUCT_IDS", "a")]).unwrap();
        assert_eq!(none.cors_origin(Some("https://ok.example")), None);
    }

    #[test]
    fn key_normalisation_and_format() {
        assert_eq!(
            normalize_key(Some("  dec0de00-00000000-00000000-00000001\n")).unwrap(),
            "DEC0DE00-00000000-00000000-00000001"
        );
        assert_eq!(normalize_key(None), Err(WorkerError::MissingLicenseKey));
        assert_eq!(
            normalize_key(Some("   ")),
            Err(WorkerError::MissingLicenseKey)
        );
        assert_eq!(
            normalize_key(Some("a b")),
            Err(WorkerError::InvalidLicenseKey)
        );
        assert_eq!(
            normalize_key(Some("ké")),
            Err(WorkerError::InvalidLicenseKey)
        );
        assert_eq!(
            normalize_key(Some(&"A".repeat(129))),
            Err(WorkerError::InvalidLicenseKey)
        );
    }

    #[test]
    fn content_types() {
        assert_eq!(
            body_kind(Some("application/json; charset=utf-8")),
            Ok(BodyKind::Json)
        );
        assert_eq!(
            body_kind(Some("Application/X-WWW-Form-Urlencoded")),
            Ok(BodyKind::Form)
        );
        assert_eq!(
            body_kind(Some("text/plain")),
            Err(WorkerError::UnsupportedMediaType)
        );
        assert_eq!(body_kind(None), Err(WorkerError::UnsupportedMediaType));
    }

    #[test]
    fn form_input() {
        let i = parse_form_input("license_key=K%2D1&product_id=a%3D%3D&x=1");
        assert_eq!(i.license_key.as_deref(), Some("K-1"));
        assert_eq!(i.product_id.as_deref(), Some("a=="));
    }

    #[test]
    fn bodies_are_json() {
        let v = Verdict {
            valid: false,
            reason: Reason::Refunded,
            uses: 2,
        };
        let b: serde_json::Value = serde_json::from_str(&verdict_body(&v, "p==", None)).unwrap();
        assert_eq!(
            b,
            serde_json::json!({"valid": false, "reason": "refunded", "uses": 2, "product_id": "p=="})
        );
        let e: serde_json::Value =
            serde_json::from_str(&WorkerError::UnknownProduct.body()).unwrap();
        assert_eq!(e["error"]["code"], "unknown_product");
    }

    #[test]
    fn upstream_failures_map_to_gateway_statuses() {
        assert_eq!(
            upstream_failure(&Error::new(ErrorCode::RateLimited, "")).0,
            503
        );
        assert_eq!(upstream_failure(&Error::new(ErrorCode::Api, "")).0, 502);
        assert_eq!(
            upstream_failure(&Error::new(ErrorCode::Connection, "")).0,
            502
        );
        assert_eq!(upstream_failure(&Error::new(ErrorCode::Timeout, "")).0, 504);
    }
}

/// The cache key of a verdict: a hash of product id and normalised key, so the license key
/// itself is never stored or used as a URL.
pub fn cache_key(product_id: &str, normalized_key: &str) -> String {
    let mut data = String::with_capacity(product_id.len() + normalized_key.len() + 1);
    data.push_str(product_id);
    data.push('\n');
    data.push_str(normalized_key);
    format!(
        "https://license-cache.gumroad-wasm.invalid/v1/{}",
        super::sha256::hex(&super::sha256::digest(data.as_bytes()))
    )
}

/// Ping events after which a cached verdict must go.
pub fn ping_invalidates(event: &str) -> bool {
    matches!(
        event,
        "refund"
            | "dispute"
            | "cancellation"
            | "subscription_ended"
            | "subscription_updated"
            | "subscription_restarted"
            | "dispute_won"
    )
}

#[cfg(test)]
mod cache_tests {
    use super::*;

    #[test]
    fn cache_keys_hide_the_license_key_and_separate_products() {
        let k = cache_key("p==", "DEC0DE00-00000000-00000000-00000001");
        assert!(!k.contains("DEC0DE00"));
        assert_eq!(
            k.len(),
            "https://license-cache.gumroad-wasm.invalid/v1/".len() + 64
        );
        assert_ne!(k, cache_key("q==", "DEC0DE00-00000000-00000000-00000001"));
        assert_eq!(k, cache_key("p==", "DEC0DE00-00000000-00000000-00000001"));
    }

    #[test]
    fn which_pings_invalidate() {
        for e in ["refund", "dispute", "cancellation", "subscription_ended"] {
            assert!(ping_invalidates(e), "{e}");
        }
        assert!(!ping_invalidates("sale"));
    }
}
