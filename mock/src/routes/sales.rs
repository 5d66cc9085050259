//! Sales and subscribers.

use serde_json::{json, Value};

use super::paging::{self, key_of};
use super::{office, ApiRequest};
use crate::http::Resp;
use crate::render::{self, SaleView};
use crate::state::{now_iso, Caller, State};
use crate::webhooks;

pub fn sale_view(state: &State, idx: usize) -> Value {
    let s = &state.data.sales[idx];
    let Some(p) = state.data.products.iter().find(|p| p.id == s.product_id) else {
        return Value::Null;
    };
    let Some(seller) = state.seller(&p.seller_id) else {
        return Value::Null;
    };
    let now = now_iso();
    let subscription = s
        .subscription_id
        .as_deref()
        .and_then(|id| state.subscription(id));
    let license = s
        .license_key
        .as_deref()
        .and_then(|k| state.license_index(k))
        .map(|i| &state.data.licenses[i]);
    let mut v = render::sale(&SaleView {
        seller,
        product: p,
        sale: s,
        subscription,
        license,
        now: &now,
    });
    // Version-2 additions that the data can answer cheaply.
    if let Value::Object(m) = &mut v {
        m.insert("currency".into(), json!(p.currency));
        m.insert(
            "access_revoked".into(),
            json!(license.is_some_and(|l| l.access_revoked)),
        );
        if let Some(l) = license {
            m.insert("license_uses".into(), json!(l.uses));
        }
        if let Some(bp) = state
            .data
            .office
            .presentments
            .iter()
            .find(|b| b.sale_id == s.id)
        {
            m.insert(
                "buyer_presentment".into(),
                json!({
                    "currency": bp.currency,
                    "price_cents": bp.price_cents,
                    "tip_cents": bp.tip_cents,
                    "seller_tax_cents": bp.seller_tax_cents,
                    "gumroad_tax_cents": bp.gumroad_tax_cents,
                    "shipping_cents": bp.shipping_cents,
                    "total_cents": bp.total_cents,
                    "fx_rate": bp.fx_rate,
                    "refunded_cents": bp.refunded_cents,
                }),
            );
        }
    }
    v
}

fn seller_of_sale(state: &State, idx: usize) -> Option<&str> {
    let pid = &state.data.sales[idx].product_id;
    state
        .data
        .products
        .iter()
        .find(|p| &p.id == pid)
        .map(|p| p.seller_id.as_str())
}

fn own_sale(state: &State, caller: &Caller, id: &str) -> Result<usize, Resp> {
    state
        .data
        .sales
        .iter()
        .position(|s| s.id == id)
        .filter(|&i| seller_of_sale(state, i) == Some(caller.seller_id.as_str()))
        .ok_or_else(|| Resp::not_found("sale"))
}

/// `GET /sales`: filters `before` (exclusive), `after` (inclusive), `email`, `name` (part of
/// the buyer's full name), `license_key` (exact, any case), `product_id`, `order_id`; 10 per
/// page, newest first.
pub fn list(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = req.require(&["view_sales"])?.clone();
    let p = &req.params;
    let mut after = None;
    let mut before = None;
    // Gumroad checks `before` first; a present but empty value is a bad date too.
    for (field, slot) in [("before", &mut before), ("after", &mut after)] {
        if let Some(v) = p.get(field) {
            let day = office::dates::parse_date(&v.as_text()).ok_or_else(|| {
                Resp::bad_request(&format!(
                    "Invalid date format provided in field '{field}'. Dates must be in the format YYYY-MM-DD."
                ))
            })?;
            *slot = Some(office::dates::format_date(day));
        }
    }
    let product = match p.text("product_id") {
        Some(id) => Some(
            state
                .product_index(&id)
                .filter(|&i| state.data.products[i].seller_id == caller.seller_id)
                .map(|i| state.data.products[i].id.clone())
                .ok_or_else(|| Resp::bad_request("Invalid product ID."))?,
        ),
        None => None,
    };
    let order_id = match p.text("order_id") {
        Some(v) => Some(
            v.parse::<u64>()
                .ok()
                .filter(|n| n.to_string() == v)
                .ok_or_else(|| Resp::bad_request("Invalid order ID."))?,
        ),
        None => None,
    };
    let name = p
        .text("name")
        .map(|n| n.trim().to_lowercase())
        .filter(|n| !n.is_empty());
    let license_key = p
        .text("license_key")
        .map(|k| k.trim().to_uppercase())
        .filter(|k| !k.is_empty());
    let email = p
        .text("email")
        .map(|e| e.trim().to_lowercase())
        .filter(|e| !e.is_empty());
    let items: Vec<_> = state
        .data
        .sales
        .iter()
        .enumerate()
        .filter(|(i, s)| {
            seller_of_sale(state, *i) == Some(caller.seller_id.as_str())
                && after
                    .as_deref()
                    .is_none_or(|a| s.created_at.get(0..10).unwrap_or_default() >= a)
                && before
                    .as_deref()
                    .is_none_or(|b| s.created_at.get(0..10).unwrap_or_default() < b)
                && product.as_deref().is_none_or(|pid| s.product_id == pid)
                && order_id.is_none_or(|o| s.order_id == o)
                && email.as_deref().is_none_or(|e| s.email.to_lowercase() == e)
                && name.as_deref().is_none_or(|n| {
                    s.full_name
                        .as_deref()
                        .is_some_and(|f| f.to_lowercase().contains(n))
                })
                && license_key.as_deref().is_none_or(|k| {
                    s.license_key
                        .as_deref()
                        .is_some_and(|l| l.eq_ignore_ascii_case(k))
                })
        })
        .map(|(i, s)| (key_of(&s.created_at, s.order_id), i))
        .collect();
    let page = paging::paginate(items, p, 10)?;
    let sales: Vec<Value> = page.items.iter().map(|&i| sale_view(state, i)).collect();
    let mut body = json!({"success": true, "sales": sales});
    if let Some(next) = &page.next {
        body["next_page_key"] = json!(paging::format_key(next));
        body["next_page_url"] = json!(paging::next_url("/sales", p, next));
    }
    Ok(Resp::ok(body))
}

pub fn retrieve(state: &mut State, req: &ApiRequest, id: &str) -> Result<Resp, Resp> {
    let caller = req.require(&["view_sales"])?.clone();
    let idx = own_sale(state, &caller, id)?;
    Ok(Resp::success("sale", sale_view(state, idx)))
}

pub fn mark_as_shipped(state: &mut State, req: &ApiRequest, id: &str) -> Result<Resp, Resp> {
    let caller = req.require(&["mark_sales_as_shipped"])?.clone();
    let idx = own_sale(state, &caller, id)?;
    let s = &mut state.data.sales[idx];
    s.shipped = true;
    if let Some(url) = req.params.text("tracking_url") {
        s.tracking_url = Some(url);
    }
    Ok(Resp::success("sale", sale_view(state, idx)))
}

/// `PUT /sales/:id/refund`: full, or partial with `amount_cents` (repeatable until fully
/// refunded). A full refund sends the `refund` webhook.
pub fn refund(state: &mut State, req: &ApiRequest, id: &str) -> Result<Resp, Resp> {
    let caller = req.require(&["refund_sales", "edit_sales"])?.clone();
    let idx = own_sale(state, &caller, id)?;
    let s = &state.data.sales[idx];
    if s.refunded {
        return Ok(Resp::failure("Purchase is already refunded."));
    }
    let remaining = s.price.saturating_sub(s.amount_refunded_cents);
    let amount = match req.params.text("amount_cents") {
        None => remaining,
        Some(v) => match v.parse::<u64>() {
            Ok(a) if a > 0 && a <= remaining => a,
            _ => return Ok(Resp::failure("Refund amount is invalid: it must be more than 0 and at most the refundable amount.")),
        },
    };
    let s = &mut state.data.sales[idx];
    s.amount_refunded_cents += amount;
    if s.amount_refunded_cents >= s.price {
        s.refunded = true;
        webhooks::emit_sale_event(state, idx, "refund");
    }
    Ok(Resp::success("sale", sale_view(state, idx)))
}

pub fn resend_receipt(state: &mut State, req: &ApiRequest, id: &str) -> Result<Resp, Resp> {
    // The docs say view_sales; Gumroad's current code requires edit_sales.
    let caller = req.require(&["edit_sales"])?.clone();
    own_sale(state, &caller, id)?;
    Ok(Resp::ok(json!({"success": true})))
}

// ---- subscribers -----------------------------------------------------------------------------

fn subscriber_view(state: &State, sub_idx: usize) -> Value {
    let s = &state.data.subscriptions[sub_idx];
    let Some(p) = state.data.products.iter().find(|p| p.id == s.product_id) else {
        return Value::Null;
    };
    let purchases = state
        .data
        .sales
        .iter()
        .filter(|x| x.subscription_id.as_deref() == Some(s.id.as_str()))
        .map(|x| x.id.clone())
        .collect();
    render::subscriber(s, p, purchases, &now_iso())
}

/// `GET /products/:id/subscribers`: every active subscriber, or 100 per page with
/// `paginated=true` (or a `page_key`).
pub fn subscribers(state: &mut State, req: &ApiRequest, pid: &str) -> Result<Resp, Resp> {
    let caller = req.require(&["view_sales"])?.clone();
    let idx = super::own_product(state, &caller, pid)?;
    let pid = state.data.products[idx].id.clone();
    let now = now_iso();
    let email = req.params.text("email").map(|e| e.to_lowercase());
    let items: Vec<_> = state
        .data
        .subscriptions
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            s.product_id == pid
                && matches!(
                    render::subscription_status(s, &now),
                    "alive" | "pending_cancellation" | "pending_failure"
                )
                && email.as_deref().is_none_or(|e| s.email.to_lowercase() == e)
        })
        .map(|(i, s)| (key_of(&s.created_at, paging::numeric_id(&s.id)), i))
        .collect();
    // `params[:paginated].in?(["1", "true"])`: JSON `true` or `1` are not those strings.
    let paginated = matches!(req.params.string("paginated"), Some("true") | Some("1"))
        || req.params.text("page_key").is_some();
    let per_page = if paginated { 100 } else { usize::MAX };
    let page = paging::paginate(items, &req.params, per_page)?;
    let list: Vec<Value> = page
        .items
        .iter()
        .map(|&i| subscriber_view(state, i))
        .collect();
    let mut body = json!({"success": true, "subscribers": list});
    if let Some(next) = &page.next {
        body["next_page_key"] = json!(paging::format_key(next));
        body["next_page_url"] = json!(paging::next_url(
            &format!("/products/{pid}/subscribers"),
            &req.params,
            next
        ));
    }
    Ok(Resp::ok(body))
}

pub fn subscriber(state: &mut State, req: &ApiRequest, id: &str) -> Result<Resp, Resp> {
    let caller = req.require(&["view_sales"])?.clone();
    let idx = state
        .data
        .subscriptions
        .iter()
        .position(|s| s.id == id)
        .filter(|&i| {
            let pid = &state.data.subscriptions[i].product_id;
            state
                .data
                .products
                .iter()
                .any(|p| &p.id == pid && p.seller_id == caller.seller_id)
        })
        .ok_or_else(|| Resp::not_found("subscriber"))?;
    Ok(Resp::success("subscriber", subscriber_view(state, idx)))
}
