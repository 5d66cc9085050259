//! Storefront routes: user profile extras, pages, categories, help articles, refund policy,
//! product extras (comps, custom HTML, reviews, bundle contents, thumbnail, covers), upsells,
//! UTM links, emails and workflows.

use super::ApiRequest;
use crate::http::Resp;
use crate::state::State;

/// Handles the routes of this group; `None` for any other route. Runs before the classic
/// routes, so `GET /products/comps` is not taken for a product id.
pub fn dispatch(
    _state: &mut State,
    _req: &ApiRequest,
    _method: &str,
    _segs: &[&str],
) -> Option<Result<Resp, Resp>> {
    None
}
