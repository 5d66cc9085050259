//! One part of `files.upload()`: a PUT of bytes to the presigned storage URL Gumroad handed
//! out. The rest of the flow (presign, progress, complete, abort) is in `js/api.js`, on top of
//! the endpoint table's `files.*` routes.

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::call::{launch, Flight, Handler, Inner, Payload};
use super::options::call_options;
use crate::core::error::{Error, ErrorCode};
use crate::core::request::{is_loopback, HttpRequest, Method};

/// Resolves to the part's `ETag`. The URL must be https (http only to a loopback host, or with
/// `allowInsecureHttp`), and it never gets our credentials: it carries its own signature.
/// A part PUT is idempotent (the same bytes under the same part number), so transient failures
/// are retried like reads.
pub fn put_part(inner: Rc<Inner>, url: JsValue, body: JsValue, options: &JsValue) -> Promise {
    launch(call_options(options).and_then(|opts| {
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
        Ok(Flight::new(
            inner,
            req,
            Some(body),
            Handler::Retried(Payload::Etag),
            true,
            opts,
        ))
    }))
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
