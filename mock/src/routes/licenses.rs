use serde_json::json;

use super::ApiRequest;
use crate::http::{blank, Param, Resp};
use crate::render;
use crate::state::State;

/// Products created after this need `product_id` (help center: 2023-01-09; Gumroad keeps the
/// cutover in Redis and compares `product.created_at > timestamp`).
const PRODUCT_ID_CUTOFF: &str = "2023-01-09T00:00:00Z";
const NOT_FOUND: &str = "That license does not exist for the provided product.";

fn license_404(message: &str) -> Resp {
    Resp::json(404, json!({"success": false, "message": message}))
}

/// The parameter when `present?`, as the string Rails compares.
fn present(req: &ApiRequest, k: &str) -> Option<String> {
    let p = req.params.get(k);
    if blank(p) {
        None
    } else {
        p.map(Param::as_text)
    }
}

/// `clean_params` (verify only): a present, non-string license parameter is a 400.
fn check_string_params(req: &ApiRequest) -> Result<(), Resp> {
    for k in [
        "license_key",
        "product_id",
        "product_permalink",
        "id",
        "link_id",
    ] {
        let p = req.params.get(k);
        if !blank(p) && !p.is_some_and(Param::is_string) {
            return Err(Resp::json(
                400,
                json!({"success": false, "message": format!("The '{k}' parameter must be a string.")}),
            ));
        }
    }
    Ok(())
}

/// Gumroad's `fetch_valid_license`, in its order: with `product_id`, the key among that
/// product's licenses; without, the key globally and its own product, then the HTTP 500 for a
/// product created after the cutoff, then the permalink check (verify reads the legacy aliases
/// `id` > `link_id` > `product_permalink`; the management routes only `product_permalink`),
/// then the 404s.
fn fetch_valid_license(state: &State, req: &ApiRequest, verify: bool) -> Result<usize, Resp> {
    let key = present(req, "license_key");
    let product_id = present(req, "product_id");
    let products = &state.data.products;
    let (license, product) = if let Some(pid) = &product_id {
        let product = products.iter().position(|p| &p.id == pid);
        let license = product.and_then(|pi| {
            key.as_deref()
                .and_then(|k| state.license_index(k))
                .filter(|&li| state.data.licenses[li].product_id == products[pi].id)
        });
        (license, product)
    } else {
        let license = key.as_deref().and_then(|k| state.license_index(k));
        let product = license.and_then(|li| {
            let lp = &state.data.licenses[li].product_id;
            products.iter().position(|p| &p.id == lp)
        });
        (license, product)
    };
    if product_id.is_none() {
        if let Some(pi) = product {
            let p = &products[pi];
            if p.created_at.as_str() > PRODUCT_ID_CUTOFF {
                return Err(Resp::json(
                    500,
                    json!({"success": false, "message": format!(
                        "The 'product_id' parameter is required to verify the license for this product. Please set 'product_id' to '{}' in the request.",
                        p.id
                    )}),
                ));
            }
        }
    }
    let Some(li) = license else {
        return Err(license_404(NOT_FOUND));
    };
    if product_id.is_none() {
        let permalink = if verify {
            ["id", "link_id", "product_permalink"]
                .iter()
                .find_map(|k| present(req, k))
        } else {
            present(req, "product_permalink")
        };
        let matches = match (permalink, product) {
            (Some(link), Some(pi)) => {
                let p = &products[pi];
                p.unique_permalink.to_lowercase() == link.to_lowercase()
                    || p.custom_permalink
                        .as_deref()
                        .is_some_and(|c| c.to_lowercase() == link.to_lowercase())
            }
            _ => false,
        };
        if !matches {
            return Err(license_404(NOT_FOUND));
        }
    }
    let l = &state.data.licenses[li];
    if l.access_revoked {
        return Err(license_404(
            "Access to the purchase associated with this license has expired.",
        ));
    }
    Ok(li)
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
    check_string_params(req)?;
    let idx = fetch_valid_license(state, req, true)?;
    if state.data.licenses[idx].disabled {
        return Err(license_404("This license key has been disabled."));
    }
    // Only `"false"` (or JSON false) skips counting; "0" and anything else count.
    let increment =
        req.params.get("increment_uses_count").map(Param::as_text) != Some("false".to_string());
    if increment {
        state.data.licenses[idx].uses += 1;
    }
    Ok(license_body(state, idx))
}

/// `PUT /licenses/{enable,disable,decrement_uses_count,rotate}`: Doorkeeper first (401/403,
/// `edit_products`), then `fetch_valid_license` (500/404 with messages), then the owner check
/// (`e404_json`: 404 `{"success":false,"error":"Not found"}`).
pub fn manage(state: &mut State, req: &ApiRequest, action: &str) -> Result<Resp, Resp> {
    if !matches!(
        action,
        "enable" | "disable" | "decrement_uses_count" | "rotate"
    ) {
        return Err(Resp::route_not_found());
    }
    let caller = req.require(&["edit_products"])?.clone();
    let idx = fetch_valid_license(state, req, false)?;
    let lp = &state.data.licenses[idx].product_id;
    let owner = state
        .data
        .products
        .iter()
        .find(|p| &p.id == lp)
        .map(|p| p.seller_id.clone());
    if owner.as_deref() != Some(caller.seller_id.as_str()) {
        return Err(Resp::json(
            404,
            json!({"success": false, "error": "Not found"}),
        ));
    }
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
