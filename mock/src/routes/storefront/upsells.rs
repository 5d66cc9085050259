//! `/upsells`: upsells (a version change of the product in the cart) and cross-sells (another
//! product), each with an optional discount of its own.

use serde_json::{json, Value};

use super::{ar_bool, as_str, present, to_sentence};
use crate::http::{Param, Resp};
use crate::model_storefront::{Upsell, UpsellDiscount, UpsellVariant};
use crate::render;
use crate::routes::{ApiRequest, READ_SCOPES};
use crate::state::{now_iso, State};

const MISSING_REFERENCE: &str =
    "The product, variant, or offer referenced by an external ID could not be found.";

fn variant_json(state: &State, id: &str) -> Value {
    let name = state
        .data
        .variants
        .iter()
        .find(|v| v.id == id)
        .map(|v| v.name.clone());
    json!({"id": id, "name": name})
}

fn upsell_json(state: &State, u: &Upsell) -> Value {
    let product = state.data.products.iter().find(|p| p.id == u.product_id);
    let discount = u.discount.as_ref().map(|d| {
        let mut v = match (d.amount_percentage, d.amount_cents) {
            (Some(p), _) => json!({"type": "percent", "percents": p}),
            (None, c) => json!({"type": "fixed", "cents": c.unwrap_or(0)}),
        };
        v["product_ids"] = json!([u.product_id]);
        v["expires_at"] = Value::Null;
        v["minimum_quantity"] = Value::Null;
        v["duration_in_billing_cycles"] = Value::Null;
        v["minimum_amount_cents"] = Value::Null;
        v
    });
    let selected: Vec<Value> = u
        .selected_product_ids
        .iter()
        .map(|id| {
            let name = state
                .data
                .products
                .iter()
                .find(|p| &p.id == id)
                .map(|p| p.name.clone());
            json!({"id": id, "name": name})
        })
        .collect();
    let variants: Vec<Value> = u
        .upsell_variants
        .iter()
        .map(|uv| {
            json!({
                "id": uv.id,
                "selected_variant": variant_json(state, &uv.selected_variant_id),
                "offered_variant": variant_json(state, &uv.offered_variant_id),
            })
        })
        .collect();
    json!({
        "id": u.id,
        "name": u.name,
        "cross_sell": u.cross_sell,
        "replace_selected_products": u.replace_selected_products,
        "universal": u.universal,
        "text": u.text,
        "description": u.description,
        "paused": u.paused,
        "product": {
            "id": u.product_id,
            "name": product.map(|p| &p.name),
            "currency_type": product.map(|p| p.currency.to_ascii_lowercase()).unwrap_or_else(|| "usd".into()),
            "variant": u.variant_id.as_deref().map(|v| variant_json(state, v)),
        },
        "discount": discount,
        "selected_products": selected,
        "upsell_variants": variants,
    })
}

fn find(state: &State, seller_id: &str, id: &str) -> Result<usize, Resp> {
    state
        .data
        .storefront
        .upsells
        .iter()
        .position(|u| u.id == id && u.seller_id == seller_id && !u.deleted)
        .ok_or_else(|| Resp::not_found("upsell"))
}

pub fn list(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = req.require(READ_SCOPES)?;
    let list: Vec<Value> = state
        .data
        .storefront
        .upsells
        .iter()
        .filter(|u| u.seller_id == caller.seller_id && !u.deleted)
        .map(|u| upsell_json(state, u))
        .collect();
    Ok(Resp::success("upsells", Value::Array(list)))
}

pub fn show(state: &mut State, req: &ApiRequest, id: &str) -> Result<Resp, Resp> {
    let caller = req.require(READ_SCOPES)?;
    let i = find(state, &caller.seller_id, id)?;
    Ok(Resp::success(
        "upsell",
        upsell_json(state, &state.data.storefront.upsells[i]),
    ))
}

/// The seller's live product with this external id.
fn own_product_id(state: &State, seller_id: &str, id: &str) -> Option<String> {
    state
        .data
        .products
        .iter()
        .find(|p| p.id == id && p.seller_id == seller_id && !p.deleted)
        .map(|p| p.id.clone())
}

fn variants_of(state: &State, product_id: &str) -> Vec<String> {
    state
        .data
        .variant_categories
        .iter()
        .filter(|c| c.product_id == product_id)
        .flat_map(|c| {
            state
                .data
                .variants
                .iter()
                .filter(move |v| v.category_id == c.id)
        })
        .map(|v| v.id.clone())
        .collect()
}

/// A string list from a JSON array or `key[]` form pairs.
fn id_list(p: &Param) -> Vec<String> {
    match p {
        Param::Json(Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect(),
        p if present(p) => vec![p.as_text()],
        _ => vec![],
    }
}

/// `offer_code` as a JSON object or `offer_code[...]` form keys (nested by Rack into the same
/// object); `Some(None)` clears it.
fn discount_param(req: &ApiRequest) -> Option<Option<UpsellDiscount>> {
    let amount = |v: Option<&Value>| -> Option<u64> {
        match v? {
            Value::Number(n) => n.as_u64().or_else(|| n.as_f64().map(|f| f.max(0.0) as u64)),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    };
    match req.params.get("offer_code") {
        Some(Param::Json(Value::Object(o))) if !o.is_empty() => Some(Some(UpsellDiscount {
            amount_cents: amount(o.get("amount_cents")),
            amount_percentage: amount(o.get("amount_percentage")),
        })),
        Some(_) => Some(None),
        None => None,
    }
}

/// `upsell_variants` pairs, resolved among the product's variants.
fn upsell_variants(
    state: &mut State,
    req: &ApiRequest,
    product_id: &str,
    existing: &[UpsellVariant],
) -> Result<Option<Vec<UpsellVariant>>, Resp> {
    let Some(p) = req.params.get("upsell_variants") else {
        return Ok(None);
    };
    let entries = match p {
        Param::Json(Value::Array(a)) => a.clone(),
        p if !present(p) => vec![],
        _ => return Err(Resp::failure(MISSING_REFERENCE)),
    };
    let known = variants_of(state, product_id);
    let mut out = vec![];
    for e in entries {
        let id = |k: &str| e.get(k).and_then(Value::as_str).map(String::from);
        let (Some(sel), Some(off)) = (id("selected_variant_id"), id("offered_variant_id")) else {
            return Err(Resp::failure(MISSING_REFERENCE));
        };
        if !known.contains(&sel) || !known.contains(&off) {
            return Err(Resp::failure(MISSING_REFERENCE));
        }
        // A mapping for the same selected variant keeps its id.
        let uid = match existing.iter().find(|x| x.selected_variant_id == sel) {
            Some(x) => x.id.clone(),
            None => state.new_id(),
        };
        out.push(UpsellVariant {
            id: uid,
            selected_variant_id: sel,
            offered_variant_id: off,
        });
    }
    Ok(Some(out))
}

/// Assigns the scalar attributes present in the request.
fn assign_attributes(u: &mut Upsell, req: &ApiRequest) {
    let text = |k: &str| {
        req.params.get(k).map(|p| match p {
            Param::Json(Value::Null) => None,
            p => Some(p.as_text()).filter(|s| !s.is_empty()),
        })
    };
    if let Some(v) = text("name") {
        u.name = v;
    }
    if let Some(v) = text("text") {
        u.text = v;
    }
    if let Some(v) = text("description") {
        u.description = v;
    }
    for (k, f) in [
        ("cross_sell", &mut u.cross_sell),
        ("universal", &mut u.universal),
        (
            "replace_selected_products",
            &mut u.replace_selected_products,
        ),
        ("paused", &mut u.paused),
    ] {
        if let Some(p) = req.params.get(k) {
            *f = ar_bool(p).unwrap_or(false);
        }
    }
}

/// The model's validations, in declaration order (plus the offer code's).
fn validate(state: &State, u: &Upsell) -> Vec<String> {
    let mut e = vec![];
    if u.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
        e.push("Name can't be blank".to_string());
    }
    let known = variants_of(state, &u.product_id);
    if u.variant_id.as_ref().is_some_and(|v| !known.contains(v)) {
        e.push("The offered variant must belong to the offered product.".into());
    }
    let mut seen = vec![];
    if u.upsell_variants.iter().any(|x| {
        let dup = seen.contains(&&x.selected_variant_id);
        seen.push(&x.selected_variant_id);
        dup
    }) {
        e.push("The upsell cannot have more than one upsell variant per selected variant.".into());
    }
    let another = state.data.storefront.upsells.iter().any(|o| {
        o.id != u.id
            && !o.deleted
            && !o.cross_sell
            && o.seller_id == u.seller_id
            && o.product_id == u.product_id
    });
    if !u.cross_sell && another {
        e.push("You can only create one upsell per product.".into());
    }
    let product = state.data.products.iter().find(|p| p.id == u.product_id);
    if product.is_some_and(|p| render::native_type(p) == "call") {
        e.push("Calls cannot be offered as upsells.".into());
    }
    if let Some(d) = &u.discount {
        match (d.amount_percentage, d.amount_cents) {
            (Some(0), _) => e.push("Please enter a positive discount amount.".into()),
            (Some(p), _) if p > 100 => {
                e.push("Please enter a discount amount that is 100% or less.".into())
            }
            (None, None) | (None, Some(0)) => {
                e.push("Please enter a positive discount amount.".into())
            }
            (None, Some(c)) => {
                let price = product.map(|p| p.price).unwrap_or(0);
                let after = price.saturating_sub(c);
                if after > 0 && after < 99 {
                    e.push("The price after discount for all of your products must be either $0 or at least $0.99.".into());
                }
            }
            _ => {}
        }
    }
    e
}

/// Applies the request to `u` (new or a copy of an existing upsell). `Err` for a reference
/// that does not resolve.
fn apply(state: &mut State, req: &ApiRequest, u: &mut Upsell, creating: bool) -> Result<(), Resp> {
    let seller_id = u.seller_id.clone();
    let was_cross_sell = u.cross_sell;
    let old_product = u.product_id.clone();
    if creating || req.params.get("product_id").is_some() {
        let pid = req
            .params
            .get("product_id")
            .and_then(as_str)
            .and_then(|id| own_product_id(state, &seller_id, id))
            .ok_or_else(|| Resp::failure(MISSING_REFERENCE))?;
        u.product_id = pid;
    }
    if let Some(p) = req.params.get("product_ids") {
        let wanted = id_list(p);
        // Unknown or foreign ids are dropped, as `by_external_ids` does.
        u.selected_product_ids = wanted
            .iter()
            .filter_map(|id| own_product_id(state, &seller_id, id))
            .collect();
    }
    assign_attributes(u, req);
    if let Some(p) = req.params.get("variant_id") {
        u.variant_id = if present(p) {
            let id = p.as_text();
            if !state.data.variants.iter().any(|v| v.id == id) {
                return Err(Resp::failure(MISSING_REFERENCE));
            }
            Some(id)
        } else {
            None
        };
    }
    // Another product or a switch to cross-sell drops the version mappings.
    if u.product_id != old_product || (u.cross_sell && !was_cross_sell) {
        u.upsell_variants.clear();
    }
    let existing = u.upsell_variants.clone();
    let product_id = u.product_id.clone();
    if let Some(v) = upsell_variants(state, req, &product_id, &existing)? {
        u.upsell_variants = v;
    }
    if let Some(d) = discount_param(req) {
        u.discount = d;
    }
    Ok(())
}

pub fn create(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_products"])?.clone();
    let mut u = Upsell {
        id: String::new(),
        seller_id: caller.seller_id.clone(),
        created_at: now_iso(),
        ..Upsell::default()
    };
    apply(state, req, &mut u, true)?;
    let errors = validate(state, &u);
    if !errors.is_empty() {
        return Ok(Resp::failure(&to_sentence(&errors)));
    }
    u.id = state.new_id();
    let body = upsell_json(state, &u);
    state.data.storefront.upsells.push(u);
    Ok(Resp::success("upsell", body))
}

pub fn update(state: &mut State, req: &ApiRequest, id: &str) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_products"])?.clone();
    let i = find(state, &caller.seller_id, id)?;
    let mut u = state.data.storefront.upsells[i].clone();
    apply(state, req, &mut u, false)?;
    let errors = validate(state, &u);
    if !errors.is_empty() {
        return Ok(Resp::failure(&to_sentence(&errors)));
    }
    let body = upsell_json(state, &u);
    state.data.storefront.upsells[i] = u;
    Ok(Resp::success("upsell", body))
}

/// Soft delete (with its offer code and variant mappings).
pub fn delete(state: &mut State, req: &ApiRequest, id: &str) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_products"])?.clone();
    let i = find(state, &caller.seller_id, id)?;
    let u = &mut state.data.storefront.upsells[i];
    u.deleted = true;
    u.discount = None;
    u.upsell_variants.clear();
    Ok(Resp::deleted("upsell"))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::model_storefront::{CROSS_SELL_SKETCH, UPSELL_PENCIL, VARIANT_BLUE, VARIANT_RED};
    use crate::seed::{P1_PENCIL, P3_SKETCH, P4_INKWELL, P6_NOTEBOOK, SELLER_A};
    use serde_json::{json, Value};

    #[test]
    fn list_and_show_seeded_upsells() {
        let mut s = state();
        let r = get(&mut s, "/upsells", who(SELLER_A, &["view_public"]));
        assert_ok(&r);
        assert_eq!(r.1["upsells"].as_array().map(Vec::len), Some(2));
        let u = get(&mut s, &format!("/upsells/{UPSELL_PENCIL}"), john()).1["upsell"].clone();
        assert_eq!(
            u["discount"],
            json!({"type": "fixed", "cents": 50, "product_ids": [P1_PENCIL], "expires_at": null, "minimum_quantity": null, "duration_in_billing_cycles": null, "minimum_amount_cents": null})
        );
        assert_eq!(
            u["upsell_variants"][0]["selected_variant"],
            json!({"id": VARIANT_BLUE, "name": "blue"})
        );
        assert_eq!(
            u["product"],
            json!({"id": P1_PENCIL, "name": "Pencil Icon PSD", "currency_type": "usd", "variant": null})
        );
        let x = get(&mut s, &format!("/upsells/{CROSS_SELL_SKETCH}"), john()).1["upsell"].clone();
        assert_eq!(
            (
                x["discount"]["type"].as_str(),
                x["discount"]["percents"].as_u64()
            ),
            (Some("percent"), Some(20))
        );
        assert_eq!(
            x["selected_products"],
            json!([{"id": P1_PENCIL, "name": "Pencil Icon PSD"}])
        );
        assert_failure(
            &get(&mut s, "/upsells/nope", john()),
            "The upsell was not found.",
        );
        assert_failure(
            &get(&mut s, &format!("/upsells/{UPSELL_PENCIL}"), ada()),
            "The upsell was not found.",
        );
        assert_empty_403(&get(&mut s, "/upsells", who(SELLER_A, &["edit_emails"])));
    }

    #[test]
    fn create_update_delete() {
        let mut s = state();
        let r = json(
            &mut s,
            "POST",
            "/upsells",
            json!({"name": "Inkwell add-on", "cross_sell": true, "product_id": P4_INKWELL, "product_ids": [P3_SKETCH, "unknown"], "offer_code": {"amount_percentage": 10}, "text": "Add it"}),
            john(),
        );
        assert_ok(&r);
        let id = r.1["upsell"]["id"].as_str().unwrap_or_default().to_string();
        assert_eq!(
            r.1["upsell"]["selected_products"],
            json!([{"id": P3_SKETCH, "name": "Sketch Pro"}])
        );
        let r = json(
            &mut s,
            "PUT",
            &format!("/upsells/{id}"),
            json!({"paused": "true", "offer_code": null}),
            john(),
        );
        assert_eq!(
            (
                r.1["upsell"]["paused"].as_bool(),
                r.1["upsell"]["discount"].clone()
            ),
            (Some(true), Value::Null)
        );
        assert_eq!(
            r.1["upsell"]["name"], "Inkwell add-on",
            "omitted fields are kept"
        );
        assert_eq!(
            form(&mut s, "DELETE", &format!("/upsells/{id}"), &[], john()).1,
            json!({"success": true, "message": "The upsell was deleted successfully."})
        );
        assert_failure(
            &get(&mut s, &format!("/upsells/{id}"), john()),
            "The upsell was not found.",
        );
        // Changing the product drops the version mappings.
        let r = json(
            &mut s,
            "PATCH",
            &format!("/upsells/{UPSELL_PENCIL}"),
            json!({"product_id": P3_SKETCH}),
            john(),
        );
        assert_eq!(r.1["upsell"]["upsell_variants"], json!([]));
    }

    #[test]
    fn create_messages() {
        let mut s = state();
        let missing =
            "The product, variant, or offer referenced by an external ID could not be found.";
        let cases = [
            (json!({"name": "x"}), missing),
            (json!({"name": "x", "product_id": P6_NOTEBOOK}), missing),
            (json!({"name": "x", "product_id": P3_SKETCH, "variant_id": "nope"}), missing),
            (json!({"name": "x", "product_id": P1_PENCIL, "upsell_variants": [{"selected_variant_id": "a", "offered_variant_id": "b"}]}), missing),
            (json!({"product_id": P3_SKETCH}), "Name can't be blank"),
            (json!({"name": "x", "product_id": P3_SKETCH, "variant_id": VARIANT_RED}), "The offered variant must belong to the offered product."),
            (json!({"name": "x", "product_id": P1_PENCIL}), "You can only create one upsell per product."),
            (json!({"name": "x", "product_id": P3_SKETCH, "offer_code": {"amount_percentage": 150}}), "Please enter a discount amount that is 100% or less."),
            (json!({"name": "x", "product_id": P3_SKETCH, "offer_code": {"amount_cents": 2850}}), "The price after discount for all of your products must be either $0 or at least $0.99."),
            (json!({"name": "x", "product_id": P1_PENCIL, "cross_sell": true, "upsell_variants": [
                {"selected_variant_id": VARIANT_BLUE, "offered_variant_id": VARIANT_RED},
                {"selected_variant_id": VARIANT_BLUE, "offered_variant_id": VARIANT_BLUE}]}), "The upsell cannot have more than one upsell variant per selected variant."),
        ];
        for (body, msg) in cases {
            assert_failure(&json(&mut s, "POST", "/upsells", body.clone(), john()), msg);
        }
        assert_failure(
            &json(
                &mut s,
                "POST",
                "/upsells",
                json!({"product_id": P1_PENCIL}),
                john(),
            ),
            "Name can't be blank and You can only create one upsell per product.",
        );
        assert_empty_403(&json(
            &mut s,
            "POST",
            "/upsells",
            json!({}),
            who(SELLER_A, &["view_sales"]),
        ));
        assert_failure(
            &json(&mut s, "PUT", "/upsells/nope", json!({"name": "x"}), john()),
            "The upsell was not found.",
        );
    }
}
