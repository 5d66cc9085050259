//! URLs checked with the platform's own parser (WHATWG `URL`): the host we judge is the host
//! `fetch` connects to, whatever tricks the string plays (`127.evil.example`, `\`, tabs,
//! user-info, numeric IPv4 forms). `web_sys::Url` binds the runtime's parser, so this costs no
//! parser in the `.wasm`.

use web_sys::Url;

use crate::core::error::Error;
use crate::core::request::{BaseUrl, UrlParts};

/// The parts of `input` as the runtime's URL parser sees them.
pub fn parts(input: &str, what: &str) -> Result<UrlParts, Error> {
    let url = Url::new(input.trim()).map_err(|_| {
        Error::invalid_argument(crate::core::text::cat(&[
            what,
            " must be an absolute http(s) URL",
        ]))
    })?;
    let raw = input.trim();
    Ok(UrlParts {
        scheme: url.protocol().trim_end_matches(':').to_ascii_lowercase(),
        host: url.hostname(),
        has_credentials: !url.username().is_empty() || !url.password().is_empty(),
        // A bare `?` or `#` leaves `search`/`hash` empty but is still not a clean root.
        has_query: !url.search().is_empty() || raw.contains('?'),
        has_fragment: !url.hash().is_empty() || raw.contains('#'),
        href: url.href(),
    })
}

/// An API root option (`baseUrl`, `ctrlBaseUrl`, `GUMROAD_API_BASE`).
pub fn parse_base(input: &str, allow_insecure: bool, what: &str) -> Result<BaseUrl, Error> {
    BaseUrl::from_parts(&parts(input, what)?, allow_insecure)
        .map_err(|e| Error::invalid_argument(e.message.replacen("baseUrl", what, 1)))
}
