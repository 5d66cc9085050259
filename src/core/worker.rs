//! The edge worker's decisions, free of any runtime: configuration, input validation, product
//! resolution, CORS, and how every outcome is answered. `src/edge` only moves bytes.

use super::error::{Error, ErrorCode};
use super::json::J;
use super::license::{Reason, Verdict};

/// License request bodies above this are refused, counted as they stream in (a chunked body
/// has no `Content-Length` to trust).
pub const MAX_BODY_BYTES: usize = 4096;
/// Ping bodies are a few KB of form fields; anything past this is not Gumroad.
pub const MAX_PING_BYTES: usize = 65_536;
/// Longest license key accepted (Gumroad's are 35 characters).
pub const MAX_KEY_LEN: usize = 128;
/// Longest device fingerprint and instance name accepted.
pub const MAX_FINGERPRINT_LEN: usize = 512;
pub const MAX_INSTANCE_NAME_LEN: usize = 100;
/// `PING_SECRET` and `ADMIN_TOKEN` are bearer secrets: long enough not to be guessed.
pub const MIN_PING_SECRET_LEN: usize = 32;
pub const MIN_ADMIN_TOKEN_LEN: usize = 32;

/// Whether a ping secret survives a URL unchanged: RFC 3986's unreserved characters only. A `+`
/// (half of what `openssl rand -base64` prints) is read back as a space from a query string,
/// so a secret holding one would make every ping fail, and Gumroad would give up on them.
pub fn url_safe_secret(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'~' | b'-'))
}
/// Every `Retry-After` sent for an upstream failure or a per-minute limit is at most this
/// (seconds); the per-license hourly limit says how long until its window frees a slot.
pub const MAX_RETRY_AFTER_SECS: u32 = 60;

/// Worker configuration from its vars and secrets.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkerConfig {
    pub product_ids: Vec<String>,
    pub api_base: Option<String>,
    pub maton_api_key: Option<String>,
    pub maton_connection: Option<String>,
    /// The seller's OAuth token (`edit_products`), needed to free a seat upstream
    /// (`PUT /licenses/decrement_uses_count`) when the worker does not go through Maton.
    pub access_token: Option<String>,
    /// `*` allows every origin; empty allows none (server-to-server use).
    pub allowed_origins: Vec<String>,
    /// Instances allowed per seat; `None` = unlimited.
    pub max_uses: Option<u64>,
    pub cache_ttl_valid: u32,
    pub cache_ttl_invalid: u32,
    /// How long a revocation Gumroad has not confirmed (a ping's hint, an invalid answer that
    /// is not a refund or chargeback) holds before Gumroad is asked again.
    pub recheck_secs: u32,
    pub ping_secret: Option<String>,
    /// `ADMIN_TOKEN`: the seller's bearer token for `/v1/admin/...`; `None`: those routes 404.
    pub admin_token: Option<String>,
    /// `LICENSE_ISSUER`: the `iss` of signed tokens; `None`: the Worker's own origin.
    pub issuer: Option<String>,
    /// `LICENSE_PUBLIC_KEYS`: more public keys for the JWKS (a JSON array of Ed25519 JWKs): the
    /// next key before a rotation, the previous one after it. Checked where it is read.
    pub public_keys: Option<String>,
    /// Adds the buyer's e-mail to activation answers (never to verify answers, never cached).
    pub expose_email: bool,
    /// Per-attempt upstream timeout.
    pub upstream_timeout_ms: u32,
    /// `LICENSE_SIGNING_KEY`: an Ed25519 private key (JWK JSON or PKCS#8 PEM).
    pub signing_key: Option<String>,
    /// Lifetime of signed answers (`exp - iat`).
    pub offline_grace_secs: u32,
    /// Activations and deactivations one license may make per hour (counted by its ledger).
    pub key_changes_per_hour: u32,
    /// `RATE_LIMITS=off`: run without the rate-limit bindings (local experiments only).
    pub rate_limits_off: bool,
}

pub const DEFAULT_UPSTREAM_TIMEOUT_MS: u32 = 8_000;
/// Short by default: a verdict cached in one data centre is not dropped by a refund ping that
/// another data centre receives, so this is the bound on how long it may outlive a revocation.
pub const DEFAULT_TTL_VALID: u32 = 60;
pub const DEFAULT_TTL_INVALID: u32 = 30;
/// Without `RECHECK_SECONDS`, an unconfirmed revocation holds this long at least (Gumroad may
/// take a moment to show a refund that its ping already announced).
pub const MIN_DEFAULT_RECHECK_SECS: u32 = 30;
pub const DEFAULT_OFFLINE_GRACE_SECS: u32 = 7 * 86_400;
pub const DEFAULT_KEY_CHANGES_PER_HOUR: u32 = 30;

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
    /// (logged in full, answered as a bare `misconfigured` 500, never as "valid").
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
                Some(v) => v.parse::<u64>().map(Some).map_err(|_| {
                    let mut m = String::from(k);
                    m.push_str(" must be a whole number");
                    Error::invalid_argument(m)
                }),
            }
        };
        let bounded = |k: &str, d: u32, max: u64| -> Result<u32, Error> {
            Ok(uint(k)?.map(|v| v.min(max) as u32).unwrap_or(d))
        };
        let cache_ttl_invalid = bounded("CACHE_TTL_INVALID", DEFAULT_TTL_INVALID, 86_400)?;
        let ping_secret = nonempty("PING_SECRET");
        if ping_secret
            .as_deref()
            .is_some_and(|s| s.chars().count() < MIN_PING_SECRET_LEN)
        {
            return Err(Error::invalid_argument(
                "PING_SECRET must be at least 32 characters (e.g. `openssl rand -hex 32`)",
            ));
        }
        if ping_secret.as_deref().is_some_and(|s| !url_safe_secret(s)) {
            return Err(Error::invalid_argument(
                "PING_SECRET may hold only A-Z a-z 0-9 . _ ~ - (it travels in a URL; e.g. `openssl rand -hex 32`)",
            ));
        }
        let admin_token = nonempty("ADMIN_TOKEN");
        if admin_token.as_deref().is_some_and(|t| {
            t.chars().count() < MIN_ADMIN_TOKEN_LEN || t.bytes().any(|b| !b.is_ascii_graphic())
        }) {
            return Err(Error::invalid_argument(
                "ADMIN_TOKEN must be at least 32 printable characters without spaces (e.g. `openssl rand -hex 32`)",
            ));
        }
        Ok(WorkerConfig {
            product_ids,
            api_base: nonempty("GUMROAD_API_BASE"),
            maton_api_key: nonempty("MATON_API_KEY"),
            maton_connection: nonempty("MATON_CONNECTION"),
            access_token: nonempty("GUMROAD_ACCESS_TOKEN"),
            allowed_origins: nonempty("ALLOWED_ORIGINS")
                .map(|v| split_list(&v))
                .unwrap_or_default(),
            max_uses: uint("MAX_USES")?,
            cache_ttl_valid: bounded("CACHE_TTL_VALID", DEFAULT_TTL_VALID, 86_400)?,
            cache_ttl_invalid,
            recheck_secs: uint("RECHECK_SECONDS")?
                .map(|v| v.clamp(1, 86_400) as u32)
                .unwrap_or(cache_ttl_invalid.max(MIN_DEFAULT_RECHECK_SECS)),
            ping_secret,
            admin_token,
            issuer: nonempty("LICENSE_ISSUER"),
            public_keys: nonempty("LICENSE_PUBLIC_KEYS"),
            expose_email: nonempty("EXPOSE_BUYER_EMAIL").is_some_and(|v| v == "true"),
            upstream_timeout_ms: uint("UPSTREAM_TIMEOUT_MS")?
                .map(|v| v.clamp(1, 60_000) as u32)
                .unwrap_or(DEFAULT_UPSTREAM_TIMEOUT_MS),
            signing_key: nonempty("LICENSE_SIGNING_KEY"),
            offline_grace_secs: bounded(
                "OFFLINE_GRACE_SECONDS",
                DEFAULT_OFFLINE_GRACE_SECS,
                366 * 86_400,
            )?,
            key_changes_per_hour: bounded(
                "KEY_ACTIVATIONS_PER_HOUR",
                DEFAULT_KEY_CHANGES_PER_HOUR,
                1_000_000,
            )?,
            rate_limits_off: nonempty("RATE_LIMITS").is_some_and(|v| v == "off"),
        })
    }

    /// Whether the worker can free a seat upstream (decrement needs the seller's credentials).
    pub fn can_decrement(&self) -> bool {
        self.access_token.is_some() || self.maton_api_key.is_some()
    }

    /// Everything in the configuration that changes a verify answer, as one string: its hash
    /// is part of every cache key, so changing a setting never serves answers made under the
    /// old one (and a mock upstream never shares entries with production).
    pub fn answer_settings(&self) -> String {
        let mut s = String::from("v3\n");
        for id in &self.product_ids {
            s.push_str(id);
            s.push(',');
        }
        s.push('\n');
        s.push_str(self.api_base.as_deref().unwrap_or("default"));
        s.push('\n');
        s.push_str(if self.maton_api_key.is_some() {
            "maton:"
        } else {
            "direct:"
        });
        s.push_str(self.maton_connection.as_deref().unwrap_or(""));
        s.push('\n');
        if let Some(m) = self.max_uses {
            s.push_str(&super::endpoints::int_text(m as f64).unwrap_or_default());
        }
        s.push_str(if self.expose_email { "\nemail" } else { "\n" });
        // A cached entry carries its tokens' `exp`, made from the grace period.
        s.push('\n');
        s.push_str(
            &super::endpoints::int_text(f64::from(self.offline_grace_secs)).unwrap_or_default(),
        );
        // An entry made while nothing was signed recorded no token expiry in the ledger: once a
        // key signs, it must not be answered from the cache.
        s.push_str(if self.signing_key.is_some() {
            "\nsigned"
        } else {
            "\n"
        });
        s
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
    /// Activate and deactivate take JSON only: a cross-site HTML form cannot send it without
    /// a CORS preflight.
    JsonRequired,
    MalformedBody,
    MissingLicenseKey,
    InvalidLicenseKey,
    /// A verify naming an instance, or an activation, without the device's fingerprint.
    MissingFingerprint,
    InvalidFingerprint,
    InvalidInstanceName,
    MissingInstanceId,
    InvalidInstanceId,
    InvalidNonce,
    UnknownProduct,
    ProductIdRequired,
    MethodNotAllowed,
    NotFound,
    Forbidden,
    /// An admin route without the right `Authorization: Bearer <ADMIN_TOKEN>`.
    Unauthorized,
    OriginNotAllowed,
    RateLimited,
    ActivationLimitReached,
    UnknownInstance,
}

impl WorkerError {
    pub fn status(self) -> u16 {
        match self {
            WorkerError::BodyTooLarge => 413,
            WorkerError::UnsupportedMediaType | WorkerError::JsonRequired => 415,
            WorkerError::MethodNotAllowed => 405,
            WorkerError::NotFound | WorkerError::UnknownInstance => 404,
            WorkerError::Forbidden | WorkerError::OriginNotAllowed => 403,
            WorkerError::Unauthorized => 401,
            WorkerError::RateLimited => 429,
            WorkerError::ActivationLimitReached => 409,
            _ => 400,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            WorkerError::BodyTooLarge => "body_too_large",
            WorkerError::UnsupportedMediaType | WorkerError::JsonRequired => {
                "unsupported_media_type"
            }
            WorkerError::MalformedBody => "malformed_body",
            WorkerError::MissingLicenseKey => "missing_license_key",
            WorkerError::InvalidLicenseKey => "invalid_license_key",
            WorkerError::MissingFingerprint => "missing_fingerprint",
            WorkerError::InvalidFingerprint => "invalid_fingerprint",
            WorkerError::InvalidInstanceName => "invalid_instance_name",
            WorkerError::MissingInstanceId => "missing_instance_id",
            WorkerError::InvalidInstanceId => "invalid_instance_id",
            WorkerError::InvalidNonce => "invalid_nonce",
            WorkerError::UnknownProduct => "unknown_product",
            WorkerError::ProductIdRequired => "product_id_required",
            WorkerError::MethodNotAllowed => "method_not_allowed",
            WorkerError::NotFound => "not_found",
            WorkerError::Forbidden => "forbidden",
            WorkerError::Unauthorized => "unauthorized",
            WorkerError::OriginNotAllowed => "origin_not_allowed",
            WorkerError::RateLimited => "rate_limited",
            WorkerError::ActivationLimitReached => "activation_limit_reached",
            WorkerError::UnknownInstance => "unknown_instance",
        }
    }
    pub fn message(self) -> &'static str {
        match self {
            WorkerError::BodyTooLarge => "request body is too large",
            WorkerError::UnsupportedMediaType => {
                "send application/json or application/x-www-form-urlencoded"
            }
            WorkerError::JsonRequired => "send application/json",
            WorkerError::MalformedBody => "request body could not be parsed",
            WorkerError::MissingLicenseKey => "license_key is required",
            WorkerError::InvalidLicenseKey => "license_key has an invalid format",
            WorkerError::MissingFingerprint => {
                "fingerprint is required: it binds the instance to this device"
            }
            WorkerError::InvalidFingerprint => {
                "fingerprint must be a string of 1 to 512 characters"
            }
            WorkerError::InvalidInstanceName => "instance_name must be at most 100 characters",
            WorkerError::MissingInstanceId => "instance_id is required",
            WorkerError::InvalidInstanceId => "instance_id has an invalid format",
            WorkerError::InvalidNonce => "nonce must be 16 to 64 base64url characters",
            WorkerError::UnknownProduct => "product_id is not one of this worker's products",
            WorkerError::ProductIdRequired => {
                "product_id is required: this worker serves several products"
            }
            WorkerError::MethodNotAllowed => "method not allowed",
            WorkerError::NotFound => "no such route",
            WorkerError::Forbidden => "forbidden",
            WorkerError::Unauthorized => "an admin token is required (Authorization: Bearer)",
            WorkerError::OriginNotAllowed => "this origin may not call the license server",
            WorkerError::RateLimited => "too many requests; retry later",
            WorkerError::ActivationLimitReached => {
                "every seat of this license is in use: deactivate a device first"
            }
            WorkerError::UnknownInstance => "no such instance for this license",
        }
    }
    pub fn body(self) -> String {
        error_body(self.code(), self.message())
    }
}

/// The answer to a misconfigured worker: the details go to the logs only, never to callers.
pub const MISCONFIGURED_MESSAGE: &str = "the license server is not configured correctly";

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

/// The fields a license request may carry (all optional here; each route checks its own).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LicenseInput {
    pub license_key: Option<String>,
    pub product_id: Option<String>,
    pub fingerprint: Option<String>,
    pub instance_name: Option<String>,
    pub instance_id: Option<String>,
    pub nonce: Option<String>,
}

impl LicenseInput {
    /// Sets a field by its wire name (unknown names are ignored).
    pub fn set(&mut self, name: &str, value: String) {
        let slot = match name {
            "license_key" => &mut self.license_key,
            "product_id" => &mut self.product_id,
            "fingerprint" => &mut self.fingerprint,
            "instance_name" => &mut self.instance_name,
            "instance_id" => &mut self.instance_id,
            "nonce" => &mut self.nonce,
            _ => return,
        };
        *slot = Some(value);
    }
}

/// The wire names `LicenseInput` reads.
pub const INPUT_FIELDS: [&str; 6] = [
    "license_key",
    "product_id",
    "fingerprint",
    "instance_name",
    "instance_id",
    "nonce",
];

/// Reads a form body.
pub fn parse_form_input(body: &str) -> LicenseInput {
    let mut input = LicenseInput::default();
    for (k, v) in super::request::parse_form(body) {
        input.set(&k, v);
    }
    input
}

/// A device fingerprint as sent (hashed before it is stored): 1..=512 characters once trimmed
/// of ASCII whitespace. ASCII only, because `LicenseClient` and `deviceHash` trim the same way in
/// JS, whose `trim` and Rust's disagree on other characters (U+0085, U+FEFF): a device's own
/// hash must come out the same on both sides.
pub fn check_fingerprint(raw: Option<&str>) -> Result<Option<String>, WorkerError> {
    match raw {
        None => Ok(None),
        Some(f) => {
            let f = f.trim_matches(|c: char| c.is_ascii_whitespace());
            let n = f.chars().count();
            if n == 0 || n > MAX_FINGERPRINT_LEN {
                return Err(WorkerError::InvalidFingerprint);
            }
            Ok(Some(f.to_string()))
        }
    }
}

/// An instance name as sent: trimmed, control characters refused, at most 100 characters.
pub fn check_instance_name(raw: Option<&str>) -> Result<String, WorkerError> {
    let name = raw.map(str::trim).unwrap_or_default();
    if name.chars().count() > MAX_INSTANCE_NAME_LEN || name.chars().any(char::is_control) {
        return Err(WorkerError::InvalidInstanceName);
    }
    Ok(name.to_string())
}

/// An instance id as this worker issues them: `inst_` and base64url, at most 64 characters.
pub fn check_instance_id(raw: Option<&str>) -> Result<String, WorkerError> {
    let id = raw.map(str::trim).unwrap_or_default();
    if id.is_empty() {
        return Err(WorkerError::MissingInstanceId);
    }
    let ok_chars = id
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if id.len() > 64 || !ok_chars {
        return Err(WorkerError::InvalidInstanceId);
    }
    Ok(id.to_string())
}

/// A request's `nonce` (signed into its tokens): 16 to 64 base64url characters, or none.
pub fn check_nonce(raw: Option<&str>) -> Result<Option<String>, WorkerError> {
    let Some(n) = raw else {
        return Ok(None);
    };
    let ok = (16..=64).contains(&n.len())
        && n.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    ok.then(|| Some(n.to_string()))
        .ok_or(WorkerError::InvalidNonce)
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

/// The rate-limit key of a client address: an IPv4 address as is (also one written as an
/// IPv4-mapped IPv6 address), an IPv6 address by its /64 (a subscriber usually holds a whole
/// /64, so a per-address limit would not hold anyone). Anything else is used as given.
pub fn client_network(ip: &str) -> String {
    let ip = ip.trim();
    let bare = ip.split('%').next().unwrap_or(ip);
    let Ok(v6) = bare.parse::<std::net::Ipv6Addr>() else {
        return ip.to_string();
    };
    if let Some(v4) = v6.to_ipv4_mapped() {
        let mut out = String::new();
        for (i, o) in v4.octets().iter().enumerate() {
            if i > 0 {
                out.push('.');
            }
            out.push_str(&super::endpoints::int_text(f64::from(*o)).unwrap_or_default());
        }
        return out;
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::new();
    for seg in v6.segments().iter().take(4) {
        let mut started = false;
        for shift in [12u16, 8, 4, 0] {
            let nibble = usize::from((seg >> shift) & 15);
            if nibble != 0 || started || shift == 0 {
                started = true;
                out.push(HEX.get(nibble).copied().unwrap_or(b'0') as char);
            }
        }
        out.push(':');
    }
    out.push_str(":/64");
    out
}

/// The `Retry-After` seconds to send for an upstream failure: Gumroad's own value clamped to
/// 1..=60 (a client told to wait a day would lock its user out), else a short default.
pub fn clamp_retry_after(upstream: Option<u32>) -> u32 {
    upstream.unwrap_or(5).clamp(1, MAX_RETRY_AFTER_SECS)
}

/// The verdict fields: `{ valid, reason, uses, product_id }` and any extra fields.
pub fn verdict_body(v: &Verdict, product_id: &str, extra: Vec<(&str, J)>) -> String {
    let mut fields = vec![
        ("valid", J::Bool(v.valid)),
        ("reason", J::Str(v.reason.as_str())),
        ("uses", J::Num(v.uses as f64)),
        ("product_id", J::Str(product_id)),
    ];
    fields.extend(extra);
    J::Obj(fields).to_json()
}

/// What a ping means for a license's ledger.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PingEffect {
    /// The purchase no longer entitles its buyer: every later verify answers invalid.
    Revoke(Reason),
    /// A revocation for one of these reasons is undone (a dispute won, a subscription
    /// restarted); any other revocation (a refund) stands.
    Restore(&'static [Reason]),
    /// Nothing certain: drop what is cached and ask Gumroad next time (a cancellation keeps
    /// access until the paid period ends; a plan change may change seats).
    Recheck,
    Ignore,
}

/// Reads a ping's event type and its `refunded` / `disputed` flags (as sent, `"true"` or
/// `"false"`; absent when Gumroad leaves them out).
pub fn ping_effect(event: &str, refunded: Option<&str>, chargebacked: Option<&str>) -> PingEffect {
    match event {
        // A partial refund is sent with `refunded=false`: the buyer keeps the product.
        "refund" if refunded == Some("false") => PingEffect::Recheck,
        "refund" => PingEffect::Revoke(Reason::Refunded),
        "dispute" if chargebacked == Some("true") => PingEffect::Revoke(Reason::Chargebacked),
        "dispute" => PingEffect::Revoke(Reason::Disputed),
        "subscription_ended" => PingEffect::Revoke(Reason::SubscriptionEnded),
        "dispute_won" => PingEffect::Restore(&[Reason::Disputed, Reason::Chargebacked]),
        "subscription_restarted" => PingEffect::Restore(&[
            Reason::SubscriptionEnded,
            Reason::SubscriptionCancelled,
            Reason::SubscriptionFailed,
        ]),
        "cancellation" | "subscription_updated" => PingEffect::Recheck,
        _ => PingEffect::Ignore,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        assert_eq!(c.recheck_secs, 30);
        assert!(cfg(&[("GUMROAD_PRODUCT_IDS", "a"), ("MAX_USES", "many")]).is_err());
        let r = |v: &[(&str, &str)]| cfg(v).unwrap().recheck_secs;
        assert_eq!(
            r(&[("GUMROAD_PRODUCT_IDS", "a"), ("CACHE_TTL_INVALID", "90")]),
            90
        );
        assert_eq!(
            r(&[("GUMROAD_PRODUCT_IDS", "a"), ("RECHECK_SECONDS", "2")]),
            2
        );
        assert_eq!(
            r(&[("GUMROAD_PRODUCT_IDS", "a"), ("RECHECK_SECONDS", "0")]),
            1
        );
    }

    #[test]
    fn secrets_must_be_long_and_url_safe() {
        let with = |k: &'static str, v: &str| cfg(&[("GUMROAD_PRODUCT_IDS", "a"), (k, v)]);
        let hex = "0123456789abcdef0123456789abcdef";
        assert_eq!(
            with("PING_SECRET", hex).unwrap().ping_secret.as_deref(),
            Some(hex)
        );
        assert!(with("PING_SECRET", &hex[1..]).is_err(), "31 characters");
        // Half of `openssl rand -base64 32` holds a `+` or a `/`, which a query string mangles.
        let b64 = "q3Vx+1Z0m9Kp2Lr8Ts7Uw6Yx5Az4Bc3De2Fg1Hi0Jk=";
        let e = with("PING_SECRET", b64).unwrap_err();
        assert!(e.message.contains("A-Z a-z 0-9 . _ ~ -") && !e.message.contains(b64));
        assert!(with("PING_SECRET", &format!("{hex}%2B")).is_err());
        assert!(with("PING_SECRET", "ABCxyz-._~0123456789ABCDEFGHIJKLMN").is_ok());
        assert!(url_safe_secret("a-b.c_d~e") && !url_safe_secret("a b") && !url_safe_secret("é"));

        assert_eq!(
            with("ADMIN_TOKEN", hex).unwrap().admin_token.as_deref(),
            Some(hex)
        );
        assert!(with("ADMIN_TOKEN", "short").is_err());
        assert!(
            with("ADMIN_TOKEN", &format!("{hex} x")).is_err(),
            "no spaces"
        );
        assert_eq!(
            cfg(&[("GUMROAD_PRODUCT_IDS", "a")]).unwrap().admin_token,
            None
        );
        let c = cfg(&[
            ("GUMROAD_PRODUCT_IDS", "a"),
            ("LICENSE_ISSUER", " https://licenses.example "),
            ("LICENSE_PUBLIC_KEYS", "[]"),
        ])
        .unwrap();
        assert_eq!(c.issuer.as_deref(), Some("https://licenses.example"));
        assert_eq!(c.public_keys.as_deref(), Some("[]"));
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
    fn nonces_are_base64url_of_a_sensible_length() {
        assert_eq!(check_nonce(None), Ok(None));
        let n = "AbCdEfGhIjKlMnOp_-09";
        assert_eq!(check_nonce(Some(n)), Ok(Some(n.to_string())));
        for bad in [
            "short",
            &"a".repeat(65),
            "AbCdEfGhIjKlMnOp+/09",
            "AbCdEfGhIjKlMnOp 09",
            "",
        ] {
            assert_eq!(
                check_nonce(Some(bad)),
                Err(WorkerError::InvalidNonce),
                "{bad}"
            );
        }
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
        let b: serde_json::Value = serde_json::from_str(&verdict_body(&v, "p==", vec![])).unwrap();
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

#[cfg(test)]
mod ping_tests {
    use super::*;

    #[test]
    fn what_each_ping_does() {
        assert_eq!(
            ping_effect("refund", Some("true"), None),
            PingEffect::Revoke(Reason::Refunded)
        );
        assert_eq!(
            ping_effect("refund", None, None),
            PingEffect::Revoke(Reason::Refunded)
        );
        assert_eq!(
            ping_effect("refund", Some("false"), None),
            PingEffect::Recheck
        );
        assert_eq!(
            ping_effect("dispute", None, Some("true")),
            PingEffect::Revoke(Reason::Chargebacked)
        );
        assert_eq!(
            ping_effect("dispute", None, None),
            PingEffect::Revoke(Reason::Disputed)
        );
        assert_eq!(
            ping_effect("subscription_ended", None, None),
            PingEffect::Revoke(Reason::SubscriptionEnded)
        );
        assert_eq!(
            ping_effect("dispute_won", None, None),
            PingEffect::Restore(&[Reason::Disputed, Reason::Chargebacked])
        );
        assert_eq!(
            ping_effect("subscription_restarted", None, None),
            PingEffect::Restore(&[
                Reason::SubscriptionEnded,
                Reason::SubscriptionCancelled,
                Reason::SubscriptionFailed,
            ])
        );
        assert_eq!(ping_effect("cancellation", None, None), PingEffect::Recheck);
        assert_eq!(ping_effect("sale", None, None), PingEffect::Ignore);
    }

    #[test]
    fn ipv6_clients_are_limited_by_their_64() {
        assert_eq!(client_network("203.0.113.9"), "203.0.113.9");
        let a = client_network("2001:db8:1:2:aaaa::1");
        assert_eq!(a, "2001:db8:1:2::/64");
        assert_eq!(client_network("2001:0DB8:0001:0002:ffff:1:2:3"), a);
        assert_eq!(client_network("2001:db8:1:2::"), a);
        assert_ne!(client_network("2001:db8:1:3::1"), a);
        assert_eq!(client_network("::1"), "0:0:0:0::/64");
        assert_eq!(client_network("2001:db8::"), "2001:db8:0:0::/64");
        // Embedded IPv4 is two groups; a mapped IPv4 address is that IPv4 address.
        assert_eq!(client_network("1:2::3:4:5:1.2.3.4"), "1:2:0:3::/64");
        assert_eq!(client_network("::ffff:198.51.100.7"), "198.51.100.7");
        assert_eq!(client_network("fe80::1%eth0"), "fe80:0:0:0::/64");
        assert_eq!(client_network("unknown"), "unknown");
    }

    #[test]
    fn retry_after_is_clamped() {
        assert_eq!(clamp_retry_after(Some(86_400)), 60);
        assert_eq!(clamp_retry_after(Some(0)), 1);
        assert_eq!(clamp_retry_after(None), 5);
        assert_eq!(clamp_retry_after(Some(7)), 7);
    }
}
