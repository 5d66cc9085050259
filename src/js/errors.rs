//! Core errors to JS `Error` subclasses (defined in `js/errors.js`).

use wasm_bindgen::prelude::*;

use crate::core::error::Error;

#[wasm_bindgen(module = "/js/errors.js")]
extern "C" {
    #[wasm_bindgen(js_name = makeError)]
    fn make_error(
        code: &str,
        message: &str,
        status: Option<u16>,
        retryable: bool,
        retry_after: Option<u32>,
        request: Option<String>,
    ) -> JsValue;

    #[cfg(feature = "client")]
    #[wasm_bindgen(js_name = isGumroadError)]
    fn is_gumroad_error_js(value: &JsValue) -> bool;
}

/// Converts an error for throwing. `request` is `METHOD url-without-query`, which holds no
/// secret: tokens travel in headers, never in our URLs.
pub fn to_js(err: &Error, request: Option<String>) -> JsValue {
    make_error(
        err.code.as_str(),
        &err.message,
        err.status,
        err.retryable,
        err.retry_after,
        request,
    )
}

/// True for errors thrown by this package (also across duplicated copies of it).
#[cfg(feature = "client")]
#[wasm_bindgen(js_name = isGumroadError)]
pub fn is_gumroad_error(#[wasm_bindgen(unchecked_param_type = "unknown")] value: &JsValue) -> bool {
    is_gumroad_error_js(value)
}
