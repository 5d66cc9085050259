//! Offer codes, variant categories, variants and custom fields of a product.

use serde_json::Value;

use super::{own_product, ApiRequest, PUBLIC_SCOPES, READ_SCOPES};
use crate::http::Resp;
use crate::model::{CustomField, OfferCode, Variant, VariantCategory};
use crate::render;
use crate::state::State;

/// The product of a catalog call. Writes need `edit_products`; reads take `read` (Gumroad's
/// `public_api_read_scopes` + `view_public`, variant categories and variants) or
/// [`PUBLIC_SCOPES`] (offer codes and custom fields, which also accept `edit_emails` and
/// `edit_profile`).
fn product_for(
    state: &State,
    req: &ApiRequest,
    id: &str,
    write: bool,
    read: &[&str],
) -> Result<(usize, String), Resp> {
    let caller = if write {
        req.require(&["edit_products"])?
    } else {
        req.require(read)?
    }
    .clone();
    let idx = own_product(state, &caller, id)?;
    Ok((idx, state.data.products[idx].id.clone()))
}

fn uint(req: &ApiRequest, key: &str) -> Option<u64> {
    req.params.text(key).and_then(|v| v.parse().ok())
}

// ---- offer codes -------------------------------------------------------------------------

fn codes_of<'a>(
    state: &'a State,
    pid: &'a str,
    seller: &'a str,
) -> impl Iterator<Item = &'a OfferCode> {
    state.data.offer_codes.iter().filter(move |o| {
        !o.deleted
            && o.seller_id == seller
            && (o.product_id.as_deref() == Some(pid) || o.product_id.is_none())
    })
}

/// Whether Gumroad routes `method` on a product's sub-resource at `rest` (the segments after
/// its name): the collection takes GET and POST, a member PUT/PATCH/DELETE and, if
/// `member_get`, GET. Rails matches verb and shape before any controller code runs, so
/// anything else is a routing 404 whatever the product.
fn routed(method: &str, rest: &[&str], member_get: bool) -> bool {
    match (method, rest.len()) {
        ("GET" | "POST", 0) => true,
        ("GET", 1) => member_get,
        ("PUT" | "PATCH" | "DELETE", 1) => true,
        _ => false,
    }
}

pub fn offer_codes(
    state: &mut State,
    req: &ApiRequest,
    pid: &str,
    rest: &[&str],
) -> Result<Resp, Resp> {
    if !routed(req.method, rest, true) {
        return Err(Resp::route_not_found());
    }
    let write = req.method != "GET";
    if req.method == "POST" && rest.is_empty() {
        // `check_offer_code_params` runs before `fetch_product`.
        req.require(&["edit_products"])?;
        if req.params.text("amount_off").is_none() && req.params.text("amount_cents").is_none() {
            return Ok(Resp::failure("You are missing required offer code parameters. Please refer to https://gumroad.com/api#offer-codes for the correct parameters."));
        }
    }
    let (idx, pid) = product_for(state, req, pid, write, PUBLIC_SCOPES)?;
    let seller = state.data.products[idx].seller_id.clone();
    match (req.method, rest) {
        ("GET", []) => {
            let list: Vec<Value> = codes_of(state, &pid, &seller)
                .map(render::offer_code)
                .collect();
            Ok(Resp::success("offer_codes", Value::Array(list)))
        }
        ("POST", []) => {
            // `params[:offer_type] == "percent"`: percent codes read `amount_off` only; cents
            // codes prefer `amount_cents` over `amount_off`.
            let percent = req.params.string("offer_type") == Some("percent");
            let amount = if percent {
                uint(req, "amount_off")
            } else {
                uint(req, "amount_cents").or_else(|| uint(req, "amount_off"))
            };
            let (Some(name), Some(amount)) = (req.params.text("name"), amount) else {
                return Ok(Resp::failure("You are missing required offer code parameters. Please refer to https://gumroad.com/api#offer-codes for the correct parameters."));
            };
            if percent && amount > 100 {
                return Ok(Resp::failure(
                    "Please enter a discount amount that is 100% or less.",
                ));
            }
            // `params[:universal] == "true"`: a JSON `true` is not the string, so not universal.
            let universal = req.params.string("universal") == Some("true");
            let code = OfferCode {
                id: state.new_id(),
                seller_id: seller,
                product_id: (!universal).then(|| pid.clone()),
                name,
                amount_cents: (!percent).then_some(amount),
                percent_off: percent.then_some(amount),
                max_purchase_count: uint(req, "max_purchase_count"),
                times_used: 0,
                deleted: false,
            };
            let body = render::offer_code(&code);
            state.data.offer_codes.push(code);
            Ok(Resp::success("offer_code", body))
        }
        (m, [id]) => {
            let Some(i) = state.data.offer_codes.iter().position(|o| {
                o.id == *id
                    && !o.deleted
                    && o.seller_id == seller
                    && (o.product_id.as_deref() == Some(pid.as_str()) || o.product_id.is_none())
            }) else {
                return Ok(Resp::not_found("offer_code"));
            };
            match m {
                "GET" => Ok(Resp::success(
                    "offer_code",
                    render::offer_code(&state.data.offer_codes[i]),
                )),
                // Only max_purchase_count may change.
                "PUT" | "PATCH" => {
                    if req.params.get("max_purchase_count").is_some() {
                        state.data.offer_codes[i].max_purchase_count =
                            uint(req, "max_purchase_count");
                    }
                    Ok(Resp::success(
                        "offer_code",
                        render::offer_code(&state.data.offer_codes[i]),
                    ))
                }
                "DELETE" => {
                    state.data.offer_codes[i].deleted = true;
                    Ok(Resp::deleted("offer_code"))
                }
                _ => Err(Resp::route_not_found()),
            }
        }
        _ => Err(Resp::route_not_found()),
    }
}

// ---- variant categories and variants -------------------------------------------------------

pub fn variant_categories(
    state: &mut State,
    req: &ApiRequest,
    pid: &str,
    rest: &[&str],
) -> Result<Resp, Resp> {
    let shape_ok = match rest {
        [_, "variants", tail @ ..] => routed(req.method, tail, true),
        _ => routed(req.method, rest, true),
    };
    if !shape_ok {
        return Err(Resp::route_not_found());
    }
    let write = req.method != "GET";
    let (_, pid) = product_for(state, req, pid, write, READ_SCOPES)?;
    let find = |state: &State, id: &str| {
        state
            .data
            .variant_categories
            .iter()
            .position(|c| c.id == id && c.product_id == pid)
    };
    match (req.method, rest) {
        ("GET", []) => {
            let list: Vec<Value> = state
                .data
                .variant_categories
                .iter()
                .filter(|c| c.product_id == pid)
                .map(render::variant_category)
                .collect();
            Ok(Resp::success("variant_categories", Value::Array(list)))
        }
        // Create never reports validation errors on Gumroad.
        ("POST", []) => {
            let c = VariantCategory {
                id: state.new_id(),
                product_id: pid.clone(),
                title: req.params.text("title").unwrap_or_default(),
            };
            let body = render::variant_category(&c);
            state.data.variant_categories.push(c);
            Ok(Resp::success("variant_category", body))
        }
        (m, [cid]) => {
            let Some(i) = find(state, cid) else {
                return Ok(Resp::not_found("variant_category"));
            };
            match m {
                "GET" => Ok(Resp::success(
                    "variant_category",
                    render::variant_category(&state.data.variant_categories[i]),
                )),
                "PUT" | "PATCH" => {
                    if let Some(t) = req.params.text("title") {
                        state.data.variant_categories[i].title = t;
                    }
                    Ok(Resp::success(
                        "variant_category",
                        render::variant_category(&state.data.variant_categories[i]),
                    ))
                }
                "DELETE" => {
                    let id = state.data.variant_categories.remove(i).id;
                    state.data.variants.retain(|v| v.category_id != id);
                    Ok(Resp::deleted("variant_category"))
                }
                _ => Err(Resp::route_not_found()),
            }
        }
        (_, [cid, "variants", vrest @ ..]) => {
            if find(state, cid).is_none() {
                return Ok(Resp::not_found("variant_category"));
            }
            variants(state, req, cid, vrest)
        }
        _ => Err(Resp::route_not_found()),
    }
}

fn apply_variant(v: &mut Variant, req: &ApiRequest) -> Result<(), Resp> {
    if let Some(n) = req.params.text("name") {
        v.name = n;
    }
    if let Some(d) = req.params.text("description") {
        v.description = Some(d);
    }
    if let Some(p) = req.params.text("price_difference_cents") {
        v.price_difference_cents = p
            .parse()
            .map_err(|_| Resp::failure("Price difference cents is not a number"))?;
    }
    if req.params.get("max_purchase_count").is_some() {
        v.max_purchase_count = uint(req, "max_purchase_count");
    }
    Ok(())
}

fn variants(state: &mut State, req: &ApiRequest, cid: &str, rest: &[&str]) -> Result<Resp, Resp> {
    match (req.method, rest) {
        ("GET", []) => {
            let list: Vec<Value> = state
                .data
                .variants
                .iter()
                .filter(|v| v.category_id == cid)
                .map(render::variant)
                .collect();
            Ok(Resp::success("variants", Value::Array(list)))
        }
        ("POST", []) => {
            let mut v = Variant {
                id: state.new_id(),
                category_id: cid.to_string(),
                ..Variant::default()
            };
            if let Err(r) = apply_variant(&mut v, req) {
                return Ok(r);
            }
            if v.name.is_empty() {
                return Ok(Resp::failure("Name can't be blank"));
            }
            let body = render::variant(&v);
            state.data.variants.push(v);
            Ok(Resp::success("variant", body))
        }
        (m, [vid]) => {
            let Some(i) = state
                .data
                .variants
                .iter()
                .position(|v| v.id == *vid && v.category_id == cid)
            else {
                return Ok(Resp::not_found("variant"));
            };
            match m {
                "GET" => Ok(Resp::success(
                    "variant",
                    render::variant(&state.data.variants[i]),
                )),
                "PUT" | "PATCH" => {
                    let mut v = state.data.variants[i].clone();
                    if let Err(r) = apply_variant(&mut v, req) {
                        return Ok(r);
                    }
                    state.data.variants[i] = v;
                    Ok(Resp::success(
                        "variant",
                        render::variant(&state.data.variants[i]),
                    ))
                }
                "DELETE" => {
                    state.data.variants.remove(i);
                    Ok(Resp::deleted("variant"))
                }
                _ => Err(Resp::route_not_found()),
            }
        }
        _ => Err(Resp::route_not_found()),
    }
}

// ---- custom fields ---------------------------------------------------------------------------

pub fn custom_fields(
    state: &mut State,
    req: &ApiRequest,
    pid: &str,
    rest: &[&str],
) -> Result<Resp, Resp> {
    // Custom fields have no member GET.
    if !routed(req.method, rest, false) {
        return Err(Resp::route_not_found());
    }
    let write = req.method != "GET";
    let (idx, pid) = product_for(state, req, pid, write, PUBLIC_SCOPES)?;
    let seller = state.data.products[idx].seller_id.clone();
    let attached =
        |f: &CustomField| f.product_ids.contains(&pid) || (f.global && f.seller_id == seller);
    match (req.method, rest) {
        ("GET", []) => {
            let list: Vec<Value> = state
                .data
                .custom_fields
                .iter()
                .filter(|f| attached(f))
                .map(render::custom_field)
                .collect();
            Ok(Resp::success("custom_fields", Value::Array(list)))
        }
        ("POST", []) => {
            let Some(name) = ["name", "url", "label"]
                .iter()
                .find_map(|k| req.params.text(k))
            else {
                return Ok(Resp::failure("Name can't be blank"));
            };
            let f = CustomField {
                id: state.new_id(),
                seller_id: seller.clone(),
                name,
                field_type: req.params.text("type").unwrap_or_else(|| "text".into()),
                // `params[:required] == "true"`: a JSON `true` counts as false.
                required: req.params.string("required") == Some("true"),
                global: false,
                collect_per_product: false,
                product_ids: vec![pid.clone()],
            };
            let body = render::custom_field(&f);
            state.data.custom_fields.push(f);
            Ok(Resp::success("custom_field", body))
        }
        // Looked up by name (the path segment arrives percent-decoded).
        (m, [name]) => {
            let Some(i) = state
                .data
                .custom_fields
                .iter()
                .position(|f| f.name == *name && attached(f))
            else {
                return Ok(Resp::not_found("custom_field"));
            };
            match m {
                "PUT" | "PATCH" => {
                    // `params[:required].nil?` changes nothing; anything else sets
                    // `params[:required] == "true"` ("" and JSON `true` both set false).
                    let given = req
                        .params
                        .get("required")
                        .is_some_and(|p| *p != crate::http::Param::Json(Value::Null));
                    if given {
                        state.data.custom_fields[i].required =
                            req.params.string("required") == Some("true");
                    }
                    Ok(Resp::success(
                        "custom_field",
                        render::custom_field(&state.data.custom_fields[i]),
                    ))
                }
                "DELETE" => {
                    let f = &mut state.data.custom_fields[i];
                    f.product_ids.retain(|p| *p != pid);
                    // Shared with other products: detach only.
                    if f.product_ids.is_empty() && !f.global {
                        state.data.custom_fields.remove(i);
                    }
                    Ok(Resp::deleted("custom_field"))
                }
                _ => Err(Resp::route_not_found()),
            }
        }
        _ => Err(Resp::route_not_found()),
    }
}
