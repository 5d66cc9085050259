//! Who we talk to and how we authenticate: Gumroad directly or through the Maton gateway.

use super::error::{Error, Secret, Secrets};
use super::request::{BaseUrl, Body, HttpRequest, Method, FORM_CONTENT_TYPE, JSON_CONTENT_TYPE};
use super::text::cat;

pub const DIRECT_BASE_URL: &str = "https://api.gumroad.com/v2";
pub const MATON_BASE_URL: &str = "https://gateway.maton.ai/gumroad/v2";
pub const MATON_CTRL_URL: &str = "https://ctrl.maton.ai";

/// How requests are authorised.
#[derive(Clone, Debug)]
pub enum Auth {
    /// Gumroad's own OAuth access token (optional: license verify needs none).
    Direct(Option<Secret>),
    /// A Maton API key; `connection` selects the Gumroad account (`Maton-Connection`).
    Maton {
        key: Secret,
        connection: Option<String>,
    },
}

/// Whether an endpoint needs credentials. Direct license verification needs none, and sending
/// the token there would only widen its exposure (and force a CORS preflight in browsers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthNeed {
    Required,
    NotNeeded,
}

#[derive(Clone, Debug)]
pub struct ClientConfig {
    pub base: BaseUrl,
    pub auth: Auth,
    /// Maton's connection-management root (Maton clients only).
    pub ctrl: Option<BaseUrl>,
}

impl ClientConfig {
    pub fn direct(
        token: Option<String>,
        base_url: Option<&str>,
        allow_insecure: bool,
    ) -> Result<Self, Error> {
        let token = match token {
            Some(t) if t.trim().is_empty() => {
                return Err(Error::invalid_argument("accessToken must not be empty"))
            }
            Some(t) => Some(Secret::new(t.trim())),
            None => None,
        };
        Ok(ClientConfig {
            base: BaseUrl::parse(base_url.unwrap_or(DIRECT_BASE_URL), allow_insecure)?,
            auth: Auth::Direct(token),
            ctrl: None,
        })
    }

    pub fn maton(
        key: String,
        connection: Option<String>,
        base_url: Option<&str>,
        allow_insecure: bool,
    ) -> Result<Self, Error> {
        Self::maton_with_ctrl(key, connection, base_url, None, allow_insecure)
    }

    pub fn maton_with_ctrl(
        key: String,
        connection: Option<String>,
        base_url: Option<&str>,
        ctrl_url: Option<&str>,
        allow_insecure: bool,
    ) -> Result<Self, Error> {
        if key.trim().is_empty() {
            return Err(Error::invalid_argument("apiKey must not be empty"));
        }
        if let Some(c) = &connection {
            if c.trim().is_empty() || c.contains(['\r', '\n']) {
                return Err(Error::invalid_argument(
                    "connectionId must be a non-empty single-line string",
                ));
            }
        }
        Ok(ClientConfig {
            base: BaseUrl::parse(base_url.unwrap_or(MATON_BASE_URL), allow_insecure)?,
            auth: Auth::Maton {
                key: Secret::new(key.trim()),
                connection: connection.map(|c| c.trim().to_string()),
            },
            ctrl: Some(BaseUrl::parse(
                ctrl_url.unwrap_or(MATON_CTRL_URL),
                allow_insecure,
            )?),
        })
    }

    pub fn is_maton(&self) -> bool {
        matches!(self.auth, Auth::Maton { .. })
    }

    /// Every secret this configuration holds, for redaction.
    pub fn secrets(&self) -> Secrets {
        match &self.auth {
            Auth::Direct(Some(t)) => Secrets::new([t.clone()]),
            Auth::Direct(None) => Secrets::default(),
            Auth::Maton { key, .. } => Secrets::new([key.clone()]),
        }
    }

    /// Builds a request for `path` (starting with `/`, relative to the base URL). GET and
    /// DELETE carry a form as the query string; POST, PUT and PATCH carry the body.
    pub fn build(&self, method: Method, path: &str, body: Body, need: AuthNeed) -> HttpRequest {
        let mut headers: Vec<(&'static str, String)> = Vec::new();
        let (url, body) = place(self.base.join(path), method, body, &mut headers);
        match &self.auth {
            Auth::Direct(Some(token)) if need == AuthNeed::Required => {
                headers.push(("Authorization", cat(&["Bearer ", token.expose()])));
            }
            Auth::Direct(_) => {}
            // The gateway authenticates every call, verify included.
            Auth::Maton { key, connection } => {
                headers.push(("Authorization", cat(&["Bearer ", key.expose()])));
                if let Some(c) = connection {
                    headers.push(("Maton-Connection", c.clone()));
                }
            }
        }
        HttpRequest {
            method,
            url,
            headers,
            body,
        }
    }

    /// A request to Maton's connection management (`ctrl.maton.ai`): Bearer key, JSON bodies.
    pub fn build_ctrl(&self, method: Method, path: &str, body: Body) -> Result<HttpRequest, Error> {
        let (Some(ctrl), Auth::Maton { key, .. }) = (&self.ctrl, &self.auth) else {
            return Err(Error::invalid_argument(
                "maton.connections is only available on a client made with GumroadClient.maton()",
            ));
        };
        let mut headers = vec![("Authorization", cat(&["Bearer ", key.expose()]))];
        let (url, body) = place(ctrl.join(path), method, body, &mut headers);
        Ok(HttpRequest {
            method,
            url,
            headers,
            body,
        })
    }
}

/// Puts encoded parameters where `method` carries them: the query string of GET and DELETE
/// (only forms go there; the builders never give those methods nested values), or the body.
fn place(
    mut url: String,
    method: Method,
    body: Body,
    headers: &mut Vec<(&'static str, String)>,
) -> (String, Option<String>) {
    match body {
        Body::Form(form) if !method.has_body() => {
            if !form.is_empty() {
                url.push('?');
                url.push_str(&form.encode());
            }
            (url, None)
        }
        Body::Json(_) if !method.has_body() => (url, None),
        Body::Form(form) if form.is_empty() => (url, None),
        Body::Form(form) => {
            headers.push(("Content-Type", FORM_CONTENT_TYPE.to_string()));
            (url, Some(form.encode()))
        }
        Body::Json(text) => {
            headers.push(("Content-Type", JSON_CONTENT_TYPE.to_string()));
            (url, Some(text))
        }
    }
}

/// Percent-encodes one path segment (ids contain `=`; custom field names contain anything).
pub fn segment(id: &str) -> String {
    super::request::percent_encode(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::request::Form;

    #[test]
    fn direct_get_sends_bearer_and_query() {
        let c = ClientConfig::direct(Some("tok123".into()), None, false).unwrap();
        let mut f = Form::new();
        f.push("after", "2021-01-01");
        let r = c.build(Method::Get, "/sales", Body::Form(f), AuthNeed::Required);
        assert_eq!(r.url, "https://api.gumroad.com/v2/sales?after=2021-01-01");
        assert_eq!(r.header("authorization"), Some("Bearer tok123"));
        assert_eq!(r.body, None);
        assert_eq!(r.header("content-type"), None);
    }

    #[test]
    fn direct_verify_sends_no_token() {
        let c = ClientConfig::direct(Some("tok123".into()), None, false).unwrap();
        let mut f = Form::new();
        f.push("license_key", "K");
        let r = c.build(
            Method::Post,
            "/licenses/verify",
            Body::Form(f),
            AuthNeed::NotNeeded,
        );
        assert_eq!(r.header("authorization"), None);
        assert_eq!(r.body.as_deref(), Some("license_key=K"));
        assert_eq!(
            r.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
    }

    #[test]
    fn maton_sends_key_and_connection_everywhere() {
        let c = ClientConfig::maton("mk_1".into(), Some("conn-9".into()), None, false).unwrap();
        let r = c.build(
            Method::Post,
            "/licenses/verify",
            Body::Form(Form::new()),
            AuthNeed::NotNeeded,
        );
        assert_eq!(r.url, "https://gateway.maton.ai/gumroad/v2/licenses/verify");
        assert_eq!(r.header("Authorization"), Some("Bearer mk_1"));
        assert_eq!(r.header("Maton-Connection"), Some("conn-9"));
        assert_eq!(r.body, None);
    }

    #[test]
    fn rejects_empty_credentials_and_header_injection() {
        assert!(ClientConfig::direct(Some("  ".into()), None, false).is_err());
        assert!(ClientConfig::maton("".into(), None, None, false).is_err());
        assert!(ClientConfig::maton("k".into(), Some("a\r\nX: y".into()), None, false).is_err());
    }

    #[test]
    fn secrets_cover_the_credential() {
        let c = ClientConfig::maton("maton_key_123".into(), None, None, false).unwrap();
        assert_eq!(c.secrets().redact("x maton_key_123 y"), "x [REDACTED] y");
    }
}
