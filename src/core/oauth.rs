//! OAuth for apps that act for other sellers (Gumroad's Doorkeeper setup plus its device
//! grant): the authorization URL with PKCE, the token requests (code, refresh, device code),
//! device authorization, revocation, and what each OAuth answer means. Sans-IO like the rest
//! of the core: randomness and the clock come from the caller.

use super::error::{Error, ErrorCode, Secret, Secrets};
use super::request::{BaseUrl, Form, HttpRequest, Method, FORM_CONTENT_TYPE};
use super::text::{cat, uint};
use sha2::{Digest, Sha256};

/// Where Gumroad serves `/oauth/...` (its official CLI uses this host).
pub const OAUTH_BASE_URL: &str = "https://app.gumroad.com";

/// The scopes a third-party app may request (Doorkeeper's optional scopes minus Gumroad's
/// internal ones), `view_public` being the default.
pub const SCOPES: [&str; 14] = [
    "view_public",
    "view_profile",
    "edit_profile",
    "edit_products",
    "edit_emails",
    "view_sales",
    "mark_sales_as_shipped",
    "refund_sales",
    "edit_sales",
    "view_payouts",
    "view_tax_data",
    "revenue_share",
    "ifttt",
    "account",
];

pub const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// RFC 8628's default poll interval, and Gumroad's.
pub const DEFAULT_INTERVAL_SECS: u32 = 5;

/// An app's credentials. A public app (a CLI, a single-page app) has no secret.
#[derive(Clone, Debug)]
pub struct OAuthApp {
    pub base: BaseUrl,
    pub client_id: String,
    pub client_secret: Option<Secret>,
    pub redirect_uri: Option<String>,
}

impl OAuthApp {
    pub fn new(
        base: BaseUrl,
        client_id: &str,
        client_secret: Option<String>,
        redirect_uri: Option<String>,
    ) -> Result<Self, Error> {
        let client_id = client_id.trim();
        if client_id.is_empty() {
            return Err(Error::invalid_argument("clientId is required"));
        }
        let client_secret = match client_secret {
            Some(s) if s.trim().is_empty() => {
                return Err(Error::invalid_argument("clientSecret must not be empty"))
            }
            s => s.map(|s| Secret::new(s.trim())),
        };
        Ok(OAuthApp {
            base,
            client_id: client_id.to_string(),
            client_secret,
            redirect_uri,
        })
    }

    /// The secret, for redaction (codes and tokens are added per call).
    pub fn secrets(&self, extra: &[&str]) -> Secrets {
        let mut all: Vec<Secret> = self.client_secret.iter().cloned().collect();
        all.extend(extra.iter().map(|s| Secret::new(*s)));
        Secrets::new(all)
    }

    fn post(&self, path: &str, mut form: Form) -> HttpRequest {
        form.push("client_id", self.client_id.as_str());
        if let Some(s) = &self.client_secret {
            // Doorkeeper takes client credentials from the body as well as from Basic auth.
            form.push("client_secret", s.expose());
        }
        HttpRequest {
            method: Method::Post,
            url: self.base.join(path),
            headers: vec![
                ("Content-Type", FORM_CONTENT_TYPE.to_string()),
                ("Accept", "application/json".to_string()),
            ],
            body: Some(form.encode()),
        }
    }

    fn redirect<'a>(&'a self, given: Option<&'a str>) -> Result<&'a str, Error> {
        given
            .or(self.redirect_uri.as_deref())
            .filter(|r| !r.trim().is_empty())
            .ok_or_else(|| Error::invalid_argument("redirectUri is required"))
    }

    /// The URL to send the user to. `challenge` is the PKCE S256 challenge of the verifier the
    /// caller keeps for [`OAuthApp::exchange_code`].
    pub fn authorization_url(
        &self,
        scopes: &[String],
        state: &str,
        redirect_uri: Option<&str>,
        challenge: Option<&str>,
    ) -> Result<String, Error> {
        let scope = scope_param(scopes)?;
        let mut form = Form::new();
        form.push("client_id", self.client_id.as_str())
            .push("redirect_uri", self.redirect(redirect_uri)?)
            .push("response_type", "code")
            .push("scope", scope)
            .push("state", state);
        if let Some(c) = challenge {
            form.push("code_challenge", c)
                .push("code_challenge_method", "S256");
        }
        Ok(cat(&[
            &self.base.join("/oauth/authorize"),
            "?",
            &form.encode(),
        ]))
    }

    /// `grant_type=authorization_code`.
    pub fn exchange_code(
        &self,
        code: &str,
        redirect_uri: Option<&str>,
        code_verifier: Option<&str>,
    ) -> Result<HttpRequest, Error> {
        if code.trim().is_empty() {
            return Err(Error::invalid_argument("code is required"));
        }
        let mut form = Form::new();
        form.push("grant_type", "authorization_code")
            .push("code", code.trim())
            .push("redirect_uri", self.redirect(redirect_uri)?);
        if let Some(v) = code_verifier {
            form.push("code_verifier", v);
        }
        Ok(self.post("/oauth/token", form))
    }

    /// `grant_type=refresh_token`: a new token pair.
    pub fn refresh(&self, refresh_token: &str) -> Result<HttpRequest, Error> {
        if refresh_token.trim().is_empty() {
            return Err(Error::invalid_argument("refreshToken is required"));
        }
        let mut form = Form::new();
        form.push("grant_type", "refresh_token")
            .push("refresh_token", refresh_token.trim());
        Ok(self.post("/oauth/token", form))
    }

    /// `POST /oauth/device/code`: starts the device authorization flow.
    pub fn device_code(&self, scopes: &[String]) -> Result<HttpRequest, Error> {
        let mut form = Form::new();
        if !scopes.is_empty() {
            form.push("scope", scope_param(scopes)?);
        }
        Ok(self.post("/oauth/device/code", form))
    }

    /// One poll of the device flow.
    pub fn device_token(&self, device_code: &str) -> Result<HttpRequest, Error> {
        if device_code.trim().is_empty() {
            return Err(Error::invalid_argument("device_code is required"));
        }
        let mut form = Form::new();
        form.push("grant_type", DEVICE_GRANT)
            .push("device_code", device_code);
        Ok(self.post("/oauth/token", form))
    }

    /// `POST /oauth/revoke` (RFC 7009).
    pub fn revoke(&self, token: &str) -> Result<HttpRequest, Error> {
        if token.trim().is_empty() {
            return Err(Error::invalid_argument("token is required"));
        }
        let mut form = Form::new();
        form.push("token", token.trim());
        Ok(self.post("/oauth/revoke", form))
    }
}

/// Space-separated scopes, each one Gumroad knows (default `view_public`).
fn scope_param(scopes: &[String]) -> Result<String, Error> {
    if scopes.is_empty() {
        return Ok("view_public".to_string());
    }
    for s in scopes {
        if !SCOPES.contains(&s.as_str()) {
            return Err(Error::invalid_argument(cat(&[
                "unknown OAuth scope `",
                s,
                "` (known: ",
                &SCOPES.join(", "),
                ")",
            ])));
        }
    }
    Ok(scopes.join(" "))
}

/// RFC 7636 S256: `BASE64URL(SHA-256(verifier))`, no padding.
pub fn pkce_challenge(verifier: &str) -> String {
    base64url(&Sha256::digest(verifier.as_bytes()))
}

/// A PKCE verifier or `state` from random bytes (32 bytes: 43 characters, within RFC 7636's
/// 43-128).
pub fn random_token(bytes: &[u8]) -> String {
    base64url(bytes)
}

/// Base64url without padding.
pub fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let sym = |i: u32| ALPHABET.get((i & 63) as usize).copied().unwrap_or(b'A') as char;
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = |i: usize| chunk.get(i).copied().unwrap_or(0) as u32;
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        out.push(sym(n >> 18));
        out.push(sym(n >> 12));
        if chunk.len() > 1 {
            out.push(sym(n >> 6));
        }
        if chunk.len() > 2 {
            out.push(sym(n));
        }
    }
    out
}

/// What an answer of the token endpoint says, from its status and its `error`,
/// `error_description` and `interval` fields (`None` when absent or not JSON).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenAnswer {
    /// 2xx with an access token: the JSON is the token.
    Token,
    /// Device flow: ask again after the current interval.
    Pending,
    /// Device flow: ask less often (the new interval, if the server gave one).
    SlowDown(Option<u32>),
    /// Anything else, as the error to throw.
    Failed(Error),
}

pub fn token_answer(
    status: u16,
    has_access_token: bool,
    error: Option<&str>,
    description: Option<&str>,
    interval: Option<f64>,
    secrets: &Secrets,
) -> TokenAnswer {
    if (200..300).contains(&status) && has_access_token {
        return TokenAnswer::Token;
    }
    match error {
        Some("authorization_pending") => return TokenAnswer::Pending,
        Some("slow_down") => {
            let secs = interval
                .filter(|n| n.is_finite() && *n >= 1.0 && *n <= 3600.0)
                .map(|n| n as u32);
            return TokenAnswer::SlowDown(secs);
        }
        _ => {}
    }
    TokenAnswer::Failed(oauth_error(status, error, description, secrets))
}

/// An OAuth error answer (`{error, error_description}`, or no usable body) as our error.
pub fn oauth_error(
    status: u16,
    error: Option<&str>,
    description: Option<&str>,
    secrets: &Secrets,
) -> Error {
    let code = match (status, error) {
        (429, _) => ErrorCode::RateLimited,
        (500..=599, _) => ErrorCode::Api,
        (_, Some("invalid_client")) | (401, _) => ErrorCode::Authentication,
        (_, Some("access_denied" | "unauthorized_client")) | (403, _) => ErrorCode::Permission,
        (200..=299, None) => ErrorCode::Decode,
        _ => ErrorCode::InvalidRequest,
    };
    let message = match (error, description) {
        (Some(e), Some(d)) if !d.trim().is_empty() => cat(&[e, ": ", d]),
        (Some(e), _) => match e {
            "expired_token" => "expired_token: the device code expired or was already used".into(),
            other => other.to_string(),
        },
        (None, _) if (200..300).contains(&status) => {
            "the token endpoint answered without an access_token".to_string()
        }
        (None, _) => cat(&["the OAuth endpoint answered HTTP ", &uint(status.into())]),
    };
    Error::new(code, message)
        .with_status(status)
        .redacted(secrets)
}

/// `state` as the redirect brings it back must equal the one sent (CSRF protection).
pub fn same_state(expected: &str, got: &str) -> bool {
    // Constant time over the longer length: the comparison says nothing about a prefix.
    let (a, b) = (expected.as_bytes(), got.as_bytes());
    let mut diff = (a.len() != b.len()) as u8;
    for i in 0..a.len().max(b.len()) {
        diff |= a.get(i).copied().unwrap_or(0) ^ b.get(i).copied().unwrap_or(0);
    }
    diff == 0 && !expected.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(secret: Option<&str>) -> OAuthApp {
        OAuthApp::new(
            BaseUrl::parse("https://app.gumroad.com", false).unwrap(),
            "cid",
            secret.map(String::from),
            Some("https://app.example/cb".into()),
        )
        .unwrap()
    }

    #[test]
    fn pkce_matches_rfc_7636_appendix_b() {
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert_eq!(base64url(&[0xff, 0xee]), "_-4");
        assert_eq!(random_token(&[0u8; 32]).len(), 43);
    }

    #[test]
    fn authorization_url_carries_scopes_state_and_challenge() {
        let url = app(None)
            .authorization_url(
                &["view_sales".into(), "edit_products".into()],
                "st-1",
                None,
                Some("chal"),
            )
            .unwrap();
        assert_eq!(
            url,
            "https://app.gumroad.com/oauth/authorize?client_id=cid&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&response_type=code&scope=view_sales%20edit_products&state=st-1&code_challenge=chal&code_challenge_method=S256"
        );
        let e = app(None)
            .authorization_url(&["admin".into()], "s", None, None)
            .unwrap_err();
        assert!(e.message.contains("unknown OAuth scope `admin`"));
        let no_redirect = OAuthApp::new(
            BaseUrl::parse("https://app.gumroad.com", false).unwrap(),
            "cid",
            None,
            None,
        )
        .unwrap();
        assert!(no_redirect.authorization_url(&[], "s", None, None).is_err());
    }

    #[test]
    fn token_requests_are_form_posts_with_client_credentials() {
        let r = app(Some("sec"))
            .exchange_code("c0de", None, Some("ver"))
            .unwrap();
        assert_eq!(r.url, "https://app.gumroad.com/oauth/token");
        assert_eq!(
            r.body.as_deref(),
            Some("grant_type=authorization_code&code=c0de&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&code_verifier=ver&client_id=cid&client_secret=sec")
        );
        let r = app(None).refresh("rt").unwrap();
        assert_eq!(
            r.body.as_deref(),
            Some("grant_type=refresh_token&refresh_token=rt&client_id=cid")
        );
        let r = app(None).device_token("dc").unwrap();
        assert!(r
            .body
            .unwrap()
            .starts_with("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code"));
        assert_eq!(
            app(None)
                .device_code(&["account".into()])
                .unwrap()
                .body
                .as_deref(),
            Some("scope=account&client_id=cid")
        );
        assert!(app(None).refresh(" ").is_err());
        assert!(app(None).revoke("").is_err());
    }

    #[test]
    fn token_answers() {
        let s = Secrets::default();
        assert_eq!(
            token_answer(200, true, None, None, None, &s),
            TokenAnswer::Token
        );
        assert_eq!(
            token_answer(400, false, Some("authorization_pending"), None, None, &s),
            TokenAnswer::Pending
        );
        assert_eq!(
            token_answer(400, false, Some("slow_down"), None, Some(10.0), &s),
            TokenAnswer::SlowDown(Some(10))
        );
        assert_eq!(
            token_answer(400, false, Some("slow_down"), None, Some(f64::NAN), &s),
            TokenAnswer::SlowDown(None)
        );
        let TokenAnswer::Failed(e) = token_answer(
            400,
            false,
            Some("access_denied"),
            Some("Access was denied"),
            None,
            &s,
        ) else {
            panic!("denied is an error")
        };
        assert_eq!(e.code, ErrorCode::Permission);
        assert_eq!(e.message, "access_denied: Access was denied");
        let TokenAnswer::Failed(e) =
            token_answer(401, false, Some("invalid_client"), None, None, &s)
        else {
            panic!()
        };
        assert_eq!(e.code, ErrorCode::Authentication);
        let TokenAnswer::Failed(e) = token_answer(200, false, None, None, None, &s) else {
            panic!()
        };
        assert_eq!(e.code, ErrorCode::Decode);
        let secrets = Secrets::new([Secret::new("sekrit-1")]);
        let TokenAnswer::Failed(e) = token_answer(
            400,
            false,
            Some("invalid_grant"),
            Some("code sekrit-1 is bad"),
            None,
            &secrets,
        ) else {
            panic!()
        };
        assert!(!e.message.contains("sekrit-1"));
    }

    #[test]
    fn state_comparison() {
        assert!(same_state("abc", "abc"));
        assert!(!same_state("abc", "abd"));
        assert!(!same_state("abc", "ab"));
        assert!(!same_state("", ""));
    }
}
