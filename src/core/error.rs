//! One error type for every failure, with a stable machine-readable code.
//!
//! The code strings are a public contract (JS callers branch on `err.code`), so they live in one
//! place and never change meaning.

use std::fmt;

/// Declares [`ErrorCode`] from one row per code (doc line, variant, `code` string, JS class), so
/// `ALL`, `as_str`, `class_name` and `description` cannot miss a variant; `core::codegen` writes
/// the JS, TypeScript and README copies of the list from the same rows. One doc line per row: it
/// is also the text users read (`description`).
macro_rules! error_codes {
    ($(#[doc = $doc:literal] $variant:ident => $code:literal, $class:literal;)+) => {
        /// What kind of failure happened. The string form (`as_str`) is the public `code`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $(#[doc = $doc] $variant,)+
        }

        impl ErrorCode {
            pub const ALL: [ErrorCode; [$($code),+].len()] = [$(ErrorCode::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)+
                }
            }

            /// The `GumroadError` subclass (`js/errors.js`) thrown for this code.
            pub fn class_name(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $class,)+
                }
            }

            /// When this code is used, in one line (the variant's doc comment).
            pub fn description(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $doc.trim(),)+
                }
            }
        }
    };
}

// Whether a code is retryable by default is `retry::transient`, next to the other retry rules.
error_codes! {
    /// 401: missing, invalid or revoked token (or Maton key).
    Authentication => "authentication", "AuthenticationError";
    /// 403: the token lacks the scope the endpoint needs.
    Permission => "permission", "PermissionError";
    /// The object does not exist (Gumroad says so with HTTP 200 + `success:false`, or 404).
    NotFound => "not_found", "NotFoundError";
    /// The server refused the input (400, or 200 + `success:false` that is not a not-found).
    InvalidRequest => "invalid_request", "InvalidRequestError";
    /// 429: too many requests (`retryAfter` holds the server's wait when it sent one).
    RateLimited => "rate_limited", "RateLimitError";
    /// 5xx or an unexpected status.
    Api => "api_error", "APIError";
    /// The request never got an HTTP answer (DNS, refused, reset, CORS).
    Connection => "connection", "ConnectionError";
    /// No answer within `timeoutMs`.
    Timeout => "timeout", "TimeoutError";
    /// The caller's `AbortSignal` fired.
    Aborted => "aborted", "AbortError";
    /// An answer arrived but is not what the API sends (truncated JSON, HTML on a 200, ...).
    Decode => "decode", "DecodeError";
    /// The caller passed something the client refuses to send (missing key, bad base URL, ...).
    InvalidArgument => "invalid_argument", "InvalidArgumentError";
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

    /// JS callers branch on the code strings and catch the classes, so neither may change for an
    /// existing code (new codes are added, not listed here).
    #[test]
    fn codes_and_classes_are_stable() {
        use ErrorCode::*;
        for (code, name, class) in [
            (Authentication, "authentication", "AuthenticationError"),
            (Permission, "permission", "PermissionError"),
            (NotFound, "not_found", "NotFoundError"),
            (InvalidRequest, "invalid_request", "InvalidRequestError"),
            (RateLimited, "rate_limited", "RateLimitError"),
            (Api, "api_error", "APIError"),
            (Connection, "connection", "ConnectionError"),
            (Timeout, "timeout", "TimeoutError"),
            (Aborted, "aborted", "AbortError"),
            (Decode, "decode", "DecodeError"),
            (InvalidArgument, "invalid_argument", "InvalidArgumentError"),
        ] {
            assert_eq!((code.as_str(), code.class_name()), (name, class));
        }
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
