//! Which back-office handler answers a route.

use super::*;

/// Handles the routes of this group; `None` for any other route.
pub fn dispatch(
    state: &mut State,
    req: &ApiRequest,
    method: &str,
    segs: &[&str],
) -> Option<Result<Resp, Resp>> {
    Some(match (method, segs) {
        ("POST", ["files", "presign"]) => uploads::presign(state, req),
        ("POST", ["files", "complete"]) => uploads::complete(state, req),
        ("POST", ["files", "abort"]) => uploads::abort(state, req),
        ("POST", ["direct_uploads"]) => uploads::direct_upload(state, req),
        ("GET", ["media"]) => media::list(state, req),
        ("POST", ["media"]) => media::create(state, req),
        ("DELETE", ["media", id]) => media::delete(state, req, id),
        ("GET", ["sales", "summary"]) => sales_reports::summary(state, req),
        ("POST", ["sales", "exports"]) => sales_reports::export(state, req),
        ("GET", ["payouts"]) => payouts::list(state, req),
        ("GET", ["payouts", "upcoming"]) => payouts::upcoming_route(state, req),
        ("GET", ["payouts", id]) => payouts::retrieve(state, req, id),
        ("GET", ["tax_forms"]) => tax::list(state, req),
        ("GET", ["tax_forms", year, kind, "download"]) => tax::download(state, req, year, kind),
        ("GET", ["earnings"]) => tax::earnings(state, req),
        ("POST", ["gumhead", "v1", "messages"])
        | ("POST", ["gumhead", "v1", "messages", "count_tokens"]) => gumhead::handle(req),
        _ => return None,
    })
}
