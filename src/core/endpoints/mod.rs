//! One file per resource group: typed parameters in, a ready-to-send [`Call`] out.

pub mod licenses;
pub mod spec;

use super::request::HttpRequest;
use super::response::Unwrap;

/// A request plus what the caller needs to handle its answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    pub request: HttpRequest,
    pub unwrap: Unwrap,
    /// True when sending it twice cannot change state (GET, verify without counting a use).
    /// Only such calls are ever retried automatically: Gumroad has no idempotency keys.
    pub safe_to_retry: bool,
}
