use serde_json::{json, Value};

use super::ApiRequest;
use crate::http::{Param, Resp};
use crate::render;
use crate::state::State;

/// Products created on or after this need `product_id` (help center: 2023-01-09).
const PRODUCT_ID_CUTOFF: &str = "2023-01-09T00:00:00Z";
const NOT_FOUND: &str = "That license does not exist for the provided product.";

fn license_404(message: &str) -> Resp {
    Resp::json(404, json!({"success": false, "message": message}))
}

/// Resolves the product of a license call: `product_id` wins; `product_permalink` (or legacy
/// `id`, `link_id`) only for products created before the cutoff.
fn product_for(state: &State, req: &ApiRequest) -> Result<usize, Resp> {
    for k in [
        "license_key",
        "product_id",
        "product_permalink",
        "id",
        "link_id",
    ] {
        if let Some(p) = req.params.get(k) {
            if !p.is_string() && !matches!(p, Param::Json(Value::Null)) {
                return Err(Resp::json(
                    400,
                    json!({"success": false, "message": format!("The '{k}' parameter must be a string.")}),
                ));
            }
        }
    }
    if let Some(pid) = req.params.text("product_id") {
        return state
            .data
            .products
            .iter()
            .position(|p| p.id == pid && !p.deleted)
            .ok_or_else(|| license_404(NOT_FOUND));
    }
    let permalink = ["product_permalink", "id", "link_id"]
        .iter()
        .find_map(|k| req.params.text(k))
        .ok_or_else(|| license_404(NOT_FOUND))?;
    let idx = state
        .product_index(&permalink)
        .ok_or_else(|| license_404(NOT_FOUND))?;
    let p = &state.data.products[idx];
    if p.created_at.as_str() >= PRODUCT_ID_CUTOFF {
        return Err(Resp::json(
            500,
            json!({"success": false, "message": format!(
                "The 'product_id' parameter is required to verify the license for this product. Please set 'product_id' to '{}' in the request.",
                p.id
            )}),
        ));
    }
    Ok(idx)
}

fn find_license(state: &State, req: &ApiRequest, product: usize) -> Result<usize, Resp> {
    let key = req
        .params
        .text("license_key")
        .ok_or_else(|| license_404(NOT_FOUND))?;
    let idx = state
        .license_index(&key)
        .ok_or_else(|| license_404(NOT_FOUND))?;
    if state.data.licenses[idx].product_id != state.data.products[product].id {
        return Err(license_404(NOT_FOUND));
    }
    Ok(idx)
}

/// The license answer: `{success, uses, purchase}` or `{success, uses, imported_customer}`.
fn license_body(state: &State, idx: usize) -> Resp {
    let l = &state.data.licenses[idx];
    let Some(pi) = state
        .data
        .products
        .iter()
        .position(|p| p.id == l.product_id)
    else {
        return license_404(NOT_FOUND);
    };
    let p = &state.data.products[pi];
    let Some(seller) = state.seller(&p.seller_id) else {
        return license_404(NOT_FOUND);
    };
    if let Some(c) = &l.imported_customer {
        return Resp::ok(
            json!({"success": true, "uses": l.uses, "imported_customer": render::imported_customer(p, c)}),
        );
    }
    let Some(sale) = l.sale_id.as_deref().and_then(|id| state.sale(id)) else {
        return license_404(NOT_FOUND);
    };
    let sub = sale
        .subscription_id
        .as_deref()
        .and_then(|id| state.subscription(id));
    let purchase = render::license_purchase(seller, p, sale, sub);
    Resp::ok(json!({"success": true, "uses": l.uses, "purchase": purchase}))
}

/// `POST /licenses/verify`: no token needed.
pub fn verify(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let product = product_for(state, req)?;
    let idx = find_license(state, req, product)?;
    let l = &state.data.licenses[idx];
    if l.disabled {
        return Err(license_404("This license key has been disabled."));
    }
    if l.access_revoked {
        return Err(license_404(
            "Access to the purchase associated with this license has expired.",
        ));
    }
    // Only `"false"` (or JSON false) skips counting; "0" and anything else count.
    let increment =
        req.params.get("increment_uses_count").map(Param::as_text) != Some("false".to_string());
    if increment {
        state.data.licenses[idx].uses += 1;
    }
    Ok(license_body(state, idx))
}

/// `PUT /licenses/{enable,disable,decrement_uses_count,rotate}`: `edit_products`, own products.
pub fn manage(state: &mut State, req: &ApiRequest, action: &str) -> Result<Resp, Resp> {
    if !matches!(
        action,
        "enable" | "disable" | "decrement_uses_count" | "rotate"
    ) {
        return Err(Resp::route_not_found());
    }
    let caller = req.require(&["edit_products"])?.clone();
    let not_found = || Resp::json(404, json!({"success": false, "error": "Not found"}));
    let product = product_for(state, req).map_err(|_| not_found())?;
    if state.data.products[product].seller_id != caller.seller_id {
        return Err(not_found());
    }
    let idx = find_license(state, req, product).map_err(|_| not_found())?;
    let fresh = state.new_license_key();
    let l = &mut state.data.licenses[idx];
    match action {
        "enable" => l.disabled = false,
        "disable" => l.disabled = true,
        "decrement_uses_count" => l.uses = l.uses.saturating_sub(1),
        _ => {
            let new_key = fresh;
            let old = std::mem::replace(&mut l.key, new_key.clone());
            for s in state.data.sales.iter_mut() {
                if s.license_key.as_deref() == Some(old.as_str()) {
                    s.license_key = Some(new_key.clone());
                }
            }
        }
    }
    Ok(license_body(state, idx))
}
