//! One error type for every failure, with a stable machine-readable code.
//!
//! The code strings are a public contract (JS callers branch on `err.code`), so they live in one
//! place and never change meaning.

use std::fmt;

/// What kind of failure happened. The string form (`as_str`) is the public `code`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// 401: missing, invalid or revoked token (or Maton key).
    Authentication,
    /// 403: the token lacks the scope the endpoint needs.
    Permission,
    /// The object does not exist (Gumroad says so with HTTP 200 + `success:false`, or 404).
    NotFound,
    /// The server refused the input (400, or 200 + `success:false` that is not a not-found).
    InvalidRequest,
    /// 429.
    RateLimited,
    /// 5xx or an unexpected status.
    Api,
    /// The request never got an HTTP answer (DNS, refused, reset, CORS).
    Connection,
    /// No answer within `timeoutMs`.
    Timeout,
    /// The caller's `AbortSignal` fired.
    Aborted,
    /// An answer arrived but is not what the API sends (truncated JSON, HTML on a 200, ...).
    Decode,
    /// The caller passed something we refuse to send (missing key, bad base URL, ...).
    InvalidArgument,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 11] = [
        ErrorCode::Authentication,
        ErrorCode::Permission,
        ErrorCode::NotFound,
        ErrorCode::InvalidRequest,
        ErrorCode::RateLimited,
        ErrorCode::Api,
        ErrorCode::Connection,
        ErrorCode::Timeout,
        ErrorCode::Aborted,
        ErrorCode::Decode,
        ErrorCode::InvalidArgument,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Authentication => "authentication",
            ErrorCode::Permission => "permission",
            ErrorCode::NotFound => "not_found",
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Api => "api_error",
            ErrorCode::Connection => "connection",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Aborted => "aborted",
            ErrorCode::Decode => "decode",
            ErrorCode::InvalidArgument => "invalid_argument",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failed call. `message` is safe to show: secrets are redacted before it is built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
    /// HTTP status when an answer arrived (200 for Gumroad's `success:false`).
    pub status: Option<u16>,
    /// Seconds the server asked us to wait (`Retry-After`).
    pub retry_after: Option<u32>,
    /// Whether sending the same request again may succeed. Says nothing about whether it is
    /// *safe* to resend: that is the request's property (see `retry`).
    pub retryable: bool,
}

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        let retryable = super::retry::transient(code);
        Error {
            code,
            message: message.into(),
            status: None,
            retry_after: None,
            retryable,
        }
    }

    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::InvalidArgument, message)
    }

    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    pub fn with_retryable(mut self, retryable: bool) -> Self {
        self.retryable = retryable;
        self
    }

    pub fn with_retry_after(mut self, secs: Option<u32>) -> Self {
        self.retry_after = secs;
        self
    }

    /// Removes every given secret from the message. Called on every error built from data we
    /// did not write ourselves (server messages can echo request input).
    pub fn redacted(mut self, secrets: &Secrets) -> Self {
        self.message = secrets.redact(&self.message);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for Error {}

/// A credential. Never printed by `Debug`; read it only where it is put on the wire.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([REDACTED])")
    }
}

/// The set of secrets a client holds, for scrubbing text that leaves the library.
#[derive(Clone, Debug, Default)]
pub struct Secrets(Vec<Secret>);

pub const REDACTED: &str = "[REDACTED]";

impl Secrets {
    pub fn new(list: impl IntoIterator<Item = Secret>) -> Self {
        // Very short strings would turn redaction into mangling of ordinary text; real tokens
        // and keys are long, so anything under 4 characters is not treated as a secret.
        Secrets(list.into_iter().filter(|s| s.0.len() >= 4).collect())
    }

    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        for s in &self.0 {
            out = replace_all(&out, s.expose());
            // A secret can also appear percent-encoded (in a URL the server echoes back).
            let encoded = crate::core::request::percent_encode(s.expose());
            if encoded != s.expose() {
                out = replace_all(&out, &encoded);
            }
        }
        out
    }
}

fn replace_all(haystack: &str, needle: &str) -> String {
    if needle.is_empty() {
        return haystack.to_string();
    }
    haystack.replace(needle, REDACTED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_strings() {
        let codes: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(
            codes,
            [
                "authentication",
                "permission",
                "not_found",
                "invalid_request",
                "rate_limited",
                "api_error",
                "connection",
                "timeout",
                "aborted",
                "decode",
                "invalid_argument"
            ]
        );
    }

    #[test]
    fn secret_debug_hides_value() {
        let s = Secret::new("tok_abcdef");
        assert!(!format!("{s:?}").contains("abcdef"));
    }

    #[test]
    fn redacts_plain_and_percent_encoded_secrets() {
        let secrets = Secrets::new([Secret::new("abc/def=="), Secret::new("x")]);
        let msg = "Invalid post URL 'https://e.com/?t=abc%2Fdef%3D%3D' and abc/def==; x stays";
        let out = secrets.redact(msg);
        assert!(!out.contains("abc"), "{out}");
        assert!(out.contains("x stays"));
        assert_eq!(out.matches(REDACTED).count(), 2);
    }

    #[test]
    fn retryable_defaults_follow_the_code() {
        assert!(Error::new(ErrorCode::RateLimited, "").retryable);
        assert!(Error::new(ErrorCode::Timeout, "").retryable);
        assert!(!Error::new(ErrorCode::NotFound, "").retryable);
        assert!(!Error::new(ErrorCode::Aborted, "").retryable);
    }
}
