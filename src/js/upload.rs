//! One part of `files.upload()`: a PUT of bytes to the presigned storage URL Gumroad handed
//! out. The rest of the flow (presign, progress, complete, abort) is in `js/api.js`, on top of
//! the endpoint table's `files.*` routes.

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::call::{self, Inner};
use super::options::call_options;
use super::transport::{RawResponse, ReadAs};
use crate::core::error::{Error, ErrorCode};
use crate::core::request::{is_loopback, HttpRequest, Method};

/// Resolves to the part's `ETag`. The URL must be https (http only to a loopback host, or with
/// `allowInsecureHttp`), and it never gets our credentials: it carries its own signature.
/// A part PUT is idempotent (the same bytes under the same part number), so transient failures
/// are retried like reads.
pub fn put_part(inner: Rc<Inner>, url: JsValue, body: JsValue, options: &JsValue) -> Promise {
    let prepared = call_options(options).and_then(|opts| {
        let url = url
            .as_string()
            .ok_or_else(|| Error::new(ErrorCode::Decode, "presign answer: a part has no URL"))
            .and_then(|u| checked(&u, inner.allow_insecure))?;
        let req = HttpRequest {
            method: Method::Put,
            url,
            headers: Vec::new(),
            body: None,
        };
        Ok((req, opts))
    });
    let (req, opts) = match prepared {
        Ok(p) => p,
        Err(e) => return call::refused(&e),
    };
    call::promise(
        Some(req.describe()),
        Box::pin(async move {
            let body = Some(&body);
            call::retried(&inner, &req, body, ReadAs::Text, true, &opts, &part_etag).await
        }),
    )
}

/// A part PUT's answer: its ETag, or why the storage refused it.
fn part_etag(raw: &RawResponse) -> Result<JsValue, Error> {
    let status = raw.status;
    if !(200..300).contains(&status) {
        let code = if status >= 500 || status == 429 {
            ErrorCode::Api
        } else {
            ErrorCode::InvalidRequest
        };
        let message = crate::core::text::cat(&[
            "the file storage refused a part (HTTP ",
            &crate::core::text::uint(status.into()),
            ")",
        ]);
        return Err(Error::new(code, message).with_status(status));
    }
    raw.header("etag").map(JsValue::from).ok_or_else(|| {
        Error::new(
            ErrorCode::Decode,
            "the file storage answered without an ETag (in a browser, its CORS rules must expose ETag)",
        )
        .with_status(status)
    })
}

/// The part URL, if it is one we may send bytes to.
fn checked(url: &str, allow_insecure: bool) -> Result<String, Error> {
    let p = super::url::parts(url, "a presigned part URL")
        .map_err(|e| Error::new(ErrorCode::Decode, e.message))?;
    let ok =
        p.scheme == "https" || (p.scheme == "http" && (allow_insecure || is_loopback(&p.host)));
    if !ok || p.has_credentials {
        return Err(Error::new(
            ErrorCode::Decode,
            "presign answer: a part URL is not https",
        ));
    }
    Ok(p.href)
}
