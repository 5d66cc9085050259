//! Gumroad's OAuth endpoints (`/oauth/...`): authorization code with PKCE, refresh, the device
//! authorization grant, revocation.

use crate::http::{Params, Resp};
use crate::server::App;

/// `path` is what follows `/oauth` (e.g. `/token`).
pub fn handle(
    _app: &App,
    _method: &str,
    _path: &str,
    _params: &Params,
    _headers: &hyper::HeaderMap,
) -> Resp {
    Resp::route_not_found()
}
