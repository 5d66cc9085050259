//! Which handler answers a v2 route (the handlers share `ApiRequest` and helpers from the
//! parent module and never call back here).

use super::*;

pub fn dispatch(state: &mut State, req: &ApiRequest) -> Resp {
    let segs: Vec<&str> = req.segments.iter().map(String::as_str).collect();
    let m = req.method;
    // Rails' router first: a verb or path Gumroad does not route never reaches a handler.
    if !table::routed(m, &segs) {
        return Resp::route_not_found();
    }
    if let Some(r) = storefront::router::dispatch(state, req, m, &segs) {
        return r.unwrap_or_else(|r| r);
    }
    if let Some(r) = office::router::dispatch(state, req, m, &segs) {
        return r.unwrap_or_else(|r| r);
    }
    let result = match (m, segs.as_slice()) {
        ("GET", ["user"]) => user::retrieve(state, req),
        ("GET", ["products"]) => products::list(state, req),
        ("POST", ["products"]) => products::create(state, req),
        ("GET", ["products", id]) => products::retrieve(state, req, id),
        ("PUT" | "PATCH", ["products", id]) => products::update(state, req, id),
        ("DELETE", ["products", id]) => products::delete(state, req, id),
        ("PUT", ["products", id, "enable"]) => products::set_published(state, req, id, true),
        ("PUT", ["products", id, "disable"]) => products::set_published(state, req, id, false),
        (_, ["products", id, "offer_codes", rest @ ..]) => {
            catalog::offer_codes(state, req, id, rest)
        }
        (_, ["products", id, "variant_categories", rest @ ..]) => {
            catalog::variant_categories(state, req, id, rest)
        }
        (_, ["products", id, "custom_fields", rest @ ..]) => {
            catalog::custom_fields(state, req, id, rest)
        }
        ("GET", ["products", id, "skus"]) => req.require(PUBLIC_SCOPES).and_then(|c| {
            let c = c.clone();
            own_product(state, &c, id).map(|_| Resp::success("skus", serde_json::json!([])))
        }),
        ("GET", ["products", id, "subscribers"]) => sales::subscribers(state, req, id),
        ("GET", ["subscribers", id]) => sales::subscriber(state, req, id),
        ("GET", ["sales"]) => sales::list(state, req),
        ("GET", ["sales", id]) => sales::retrieve(state, req, id),
        ("PUT", ["sales", id, "mark_as_shipped"]) => sales::mark_as_shipped(state, req, id),
        ("PUT", ["sales", id, "refund"]) => sales::refund(state, req, id),
        ("POST", ["sales", id, "resend_receipt"]) => sales::resend_receipt(state, req, id),
        ("POST", ["licenses", "verify"]) => licenses::verify(state, req),
        ("PUT", ["licenses", action]) => licenses::manage(state, req, action),
        (_, ["resource_subscriptions", rest @ ..]) => {
            resource_subscriptions::handle(state, req, rest, req.allow_loopback_webhooks)
        }
        _ => Err(Resp::route_not_found()),
    };
    result.unwrap_or_else(|r| r)
}
