//! Turns an HTTP answer into success or a typed error, covering every error shape Gumroad (and
//! the Maton gateway in front of it) sends: 200 + `success:false`, empty 401/403, `{status,error}`
//! 400s, license 404s, the 500 that asks for `product_id`, text/plain 429 and HTML 5xx pages.
//!
//! JSON parsing is the caller's job (JS `JSON.parse` in wasm, serde_json natively), so this module
//! only sees the few envelope fields it needs and the wasm build carries no JSON parser.

use super::error::{Error, ErrorCode, Secrets};
use super::text::{cat, uint};

/// The envelope fields that decide success or failure.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Envelope {
    pub success: Option<bool>,
    pub message: Option<String>,
    /// `error` as a string (`{status,error}` 400s, `{success:false,error:"Not found"}` 404s).
    pub error: Option<String>,
}

/// What the body turned out to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    Empty,
    /// A JSON object.
    Json(Envelope),
    /// Valid JSON that is not an object (array, number, ...).
    JsonNotObject,
    /// Not JSON (HTML error page, `Retry later`, truncated JSON).
    Text,
}

/// Status and the headers we act on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Meta {
    pub status: u16,
    pub retry_after: Option<String>,
    /// Whether the answer came from the Maton gateway (changes the wording of auth errors).
    pub via_maton: bool,
    /// Seconds since the epoch when the answer arrived (for a `Retry-After` date).
    pub now_unix: i64,
}

/// How the successful body is handed to the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unwrap {
    /// The value under this key (`user`, `product`, `sales` ...).
    Field(&'static str),
    /// A page: the list under this key plus `next_page_key` when present.
    Page(&'static str),
    /// License calls: `{ uses, purchase }` or `{ uses, imported_customer }`.
    License,
    /// Deletes: `{ message }`.
    Message,
    /// The body without `success`.
    Whole,
    /// Nothing (`{"success":true}` only): resolves to `undefined`.
    Nothing,
    /// A file (a PDF): the bytes, their content type and file name. Error answers are JSON.
    Binary,
}

pub const MSG_PRODUCT_ID_REQUIRED: &str = "The 'product_id' parameter is required";
pub const MSG_LICENSE_NOT_FOUND: &str = "That license does not exist for the provided product.";
pub const MSG_LICENSE_DISABLED: &str = "This license key has been disabled.";
pub const MSG_ACCESS_REVOKED: &str =
    "Access to the purchase associated with this license has expired.";

/// Decides whether a response is a success. `Ok(())` means the body is a JSON object whose
/// payload the caller may unwrap.
pub fn interpret(meta: &Meta, body: &Body, secrets: &Secrets) -> Result<(), Error> {
    let status = meta.status;
    let retry_after = super::retry::parse_retry_after(meta.retry_after.as_deref(), meta.now_unix);
    let env = match body {
        Body::Json(e) => Some(e),
        _ => None,
    };
    let server_msg = env
        .and_then(|e| e.message.clone().or_else(|| e.error.clone()))
        .filter(|m| !m.trim().is_empty());

    let err = |code: ErrorCode, fallback: &str| {
        let message = server_msg.clone().unwrap_or_else(|| fallback.to_string());
        Error::new(code, message)
            .with_status(status)
            .with_retry_after(retry_after)
            .redacted(secrets)
    };

    if (200..300).contains(&status) {
        return match body {
            Body::Json(e) if e.success == Some(false) => {
                let msg = server_msg.clone().unwrap_or_default();
                let code = if msg.ends_with("was not found.") || msg == "Not found" {
                    ErrorCode::NotFound
                } else {
                    ErrorCode::InvalidRequest
                };
                Err(err(code, "Gumroad reported success: false"))
            }
            Body::Json(_) => Ok(()),
            Body::Empty => Err(err(ErrorCode::Decode, "empty response body")),
            Body::JsonNotObject | Body::Text => Err(err(
                ErrorCode::Decode,
                "response body is not the JSON object the API sends",
            )),
        };
    }

    let e = match status {
        400 | 402 | 405..=428 | 430..=499 => err(ErrorCode::InvalidRequest, "request refused"),
        401 => {
            let fallback = if meta.via_maton {
                "authentication failed: the Maton API key (or its Gumroad grant) is invalid"
            } else {
                "authentication failed: missing, invalid or revoked access token"
            };
            err(ErrorCode::Authentication, fallback)
        }
        403 => err(
            ErrorCode::Permission,
            "the access token lacks the scope this endpoint requires",
        ),
        404 => err(ErrorCode::NotFound, "not found"),
        429 => err(ErrorCode::RateLimited, "rate limited: retry later"),
        500 if server_msg
            .as_deref()
            .is_some_and(|m| m.starts_with(MSG_PRODUCT_ID_REQUIRED)) =>
        {
            // A configuration problem, not an outage: resending cannot help.
            err(ErrorCode::InvalidRequest, "product_id is required")
        }
        500..=599 => {
            let mut e = err(ErrorCode::Api, "Gumroad server error");
            if env.is_none() {
                // An HTML page or proxy text says nothing useful and can be large.
                e.message = cat(&["Gumroad server error (HTTP ", &uint(status.into()), ")"]);
            }
            e
        }
        _ => err(ErrorCode::Api, "unexpected HTTP status"),
    };
    Err(e)
}

/// The file name of a `Content-Disposition` header (`attachment; filename="1099-K-2025.pdf"`),
/// preferring the RFC 6266 `filename*=UTF-8''...` form. Path separators are dropped, so the name
/// is safe to save as is.
pub fn disposition_filename(header: &str) -> Option<String> {
    let mut plain = None;
    let mut extended = None;
    for part in header.split(';').skip(1) {
        let Some((k, v)) = part.split_once('=') else {
            continue;
        };
        let v = v.trim();
        match k.trim().to_ascii_lowercase().as_str() {
            "filename*" => {
                let rest = v.split_once("''").map_or(v, |(_, r)| r);
                extended = Some(super::request::percent_decode_path(rest));
            }
            "filename" => plain = Some(v.trim_matches('"').replace("\\\"", "\"")),
            _ => {}
        }
    }
    let name: String = extended
        .or(plain)?
        .chars()
        .filter(|c| !matches!(c, '/' | '\\') && !c.is_control())
        .collect();
    let name = name.trim().trim_start_matches('.').to_string();
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::core::error::Secret;

    /// Native stand-in for what the wasm layer reads with `JSON.parse`.
    pub fn body_of(text: &str) -> Body {
        if text.trim().is_empty() {
            return Body::Empty;
        }
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Object(m)) => Body::Json(Envelope {
                success: m.get("success").and_then(|v| v.as_bool()),
                message: m.get("message").and_then(|v| v.as_str()).map(String::from),
                error: m.get("error").and_then(|v| v.as_str()).map(String::from),
            }),
            Ok(_) => Body::JsonNotObject,
            Err(_) => Body::Text,
        }
    }

    fn run(status: u16, text: &str) -> Result<(), Error> {
        run_with(status, text, None)
    }

    fn run_with(status: u16, text: &str, retry_after: Option<&str>) -> Result<(), Error> {
        let meta = Meta {
            status,
            retry_after: retry_after.map(String::from),
            via_maton: false,
            now_unix: 1_700_000_000,
        };
        interpret(&meta, &body_of(text), &Secrets::default())
    }

    fn example(name: &str) -> String {
        crate::core::test_support::fixture(name)
    }

    #[test]
    fn success_bodies_pass() {
        for f in [
            "user.json",
            "license_verify.json",
            "sales_page_with_next.json",
        ] {
            assert_eq!(run(200, &example(f)), Ok(()), "{f}");
        }
    }

    #[test]
    fn not_found_is_http_200_with_success_false() {
        let e = run(200, &example("product_not_found.json")).unwrap_err();
        assert_eq!(e.code, ErrorCode::NotFound);
        assert_eq!(e.status, Some(200));
        assert_eq!(e.message, "The product was not found.");
        assert!(!e.retryable);
    }

    #[test]
    fn other_success_false_is_invalid_request() {
        let e = run(
            200,
            r#"{"success":false,"message":"Purchase is already refunded."}"#,
        )
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidRequest);
    }

    #[test]
    fn license_404s_keep_the_server_message() {
        let e = run(404, &example("license_not_found.json")).unwrap_err();
        assert_eq!((e.code, e.status), (ErrorCode::NotFound, Some(404)));
        assert_eq!(e.message, MSG_LICENSE_NOT_FOUND);
        let e = run(404, &example("license_disabled.json")).unwrap_err();
        assert_eq!(e.message, MSG_LICENSE_DISABLED);
        let e = run(404, r#"{"success":false,"error":"Not found"}"#).unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str()),
            (ErrorCode::NotFound, "Not found")
        );
    }

    #[test]
    fn status_error_400_shape() {
        let e = run(400, &example("error_400_invalid_date.json")).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidRequest);
        assert!(
            e.message.starts_with("Invalid date format"),
            "{}",
            e.message
        );
    }

    #[test]
    fn empty_401_and_403() {
        let e = run(401, "").unwrap_err();
        assert_eq!((e.code, e.status), (ErrorCode::Authentication, Some(401)));
        assert!(e.message.contains("access token"));
        let e = run(403, "").unwrap_err();
        assert_eq!(e.code, ErrorCode::Permission);
    }

    #[test]
    fn maton_401_wording() {
        let meta = Meta {
            status: 401,
            retry_after: None,
            via_maton: true,
            now_unix: 0,
        };
        let e = interpret(&meta, &Body::Empty, &Secrets::default()).unwrap_err();
        assert!(e.message.contains("Maton"));
    }

    #[test]
    fn text_429_with_and_without_retry_after() {
        let e = run(429, "Retry later").unwrap_err();
        assert_eq!(e.code, ErrorCode::RateLimited);
        assert_eq!(e.retry_after, None);
        assert!(e.retryable);
        let e = run_with(429, "Retry later", Some("7")).unwrap_err();
        assert_eq!(e.retry_after, Some(7));
        // 2023-11-14T22:13:20Z is `now` in `run_with`.
        let e = run_with(429, "Retry later", Some("Tue, 14 Nov 2023 22:13:50 GMT")).unwrap_err();
        assert_eq!(e.retry_after, Some(30));
    }

    #[test]
    fn html_5xx_is_retryable_api_error_without_the_page() {
        let e = run(502, "<html><body>Bad gateway</body></html>").unwrap_err();
        assert_eq!((e.code, e.retryable), (ErrorCode::Api, true));
        assert_eq!(e.message, "Gumroad server error (HTTP 502)");
    }

    #[test]
    fn product_id_required_500_is_not_retryable() {
        let body = r#"{"success":false,"message":"The 'product_id' parameter is required to verify the license for this product. Please set 'product_id' to 'abc==' in the request."}"#;
        let e = run(500, body).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidRequest);
        assert!(!e.retryable);
        assert!(e.message.contains("'abc=='"));
    }

    #[test]
    fn download_file_names() {
        let f = |h| disposition_filename(h);
        assert_eq!(
            f("attachment; filename=\"1099-K-2025.pdf\"").as_deref(),
            Some("1099-K-2025.pdf")
        );
        assert_eq!(
            f("attachment; filename=\"a.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf").as_deref(),
            Some("résumé.pdf")
        );
        assert_eq!(
            f("attachment; filename=\"../../etc/passwd\"").as_deref(),
            Some("etcpasswd")
        );
        assert_eq!(f("inline"), None);
        assert_eq!(f("attachment; filename=\"\""), None);
    }

    #[test]
    fn bad_2xx_bodies_are_decode_errors() {
        for text in ["", "{\"success\":true", "[1,2]", "<html>"] {
            let e = run(200, text).unwrap_err();
            assert_eq!(e.code, ErrorCode::Decode, "{text:?}");
        }
    }

    #[test]
    fn server_messages_are_redacted() {
        let meta = Meta {
            status: 200,
            ..Meta::default()
        };
        let body =
            body_of(r#"{"success":false,"message":"Invalid post URL 'https://x/?k=tok_SECRET1'"}"#);
        let secrets = Secrets::new([Secret::new("tok_SECRET1")]);
        let e = interpret(&meta, &body, &secrets).unwrap_err();
        assert!(!e.message.contains("tok_SECRET1"), "{}", e.message);
    }
}
