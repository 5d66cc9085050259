//! Back-office routes: files (multipart presign/complete/abort), direct uploads, the media
//! library, sales summary and exports, payouts, tax forms, earnings, and the first-party
//! Gumhead gateway (refused).

pub mod uploads;

use super::ApiRequest;
use crate::http::Resp;
use crate::state::State;

/// Handles the routes of this group; `None` for any other route.
pub fn dispatch(
    _state: &mut State,
    _req: &ApiRequest,
    _method: &str,
    _segs: &[&str],
) -> Option<Result<Resp, Resp>> {
    None
}
