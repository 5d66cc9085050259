use serde_json::{json, Value};

use super::paging::{self, key_of, numeric_id};
use super::{own_product, ApiRequest};
use crate::http::{Param, Resp};
use crate::model::Product;
use crate::render::{self, ProductView};
use crate::state::State;

pub fn view(state: &State, idx: usize, with_sales: bool) -> Value {
    let p = &state.data.products[idx];
    let Some(seller) = state.seller(&p.seller_id) else {
        return Value::Null;
    };
    let custom_fields = state
        .data
        .custom_fields
        .iter()
        .filter(|f| f.product_ids.contains(&p.id) || (f.global && f.seller_id == p.seller_id))
        .collect();
    let categories = state
        .data
        .variant_categories
        .iter()
        .filter(|c| c.product_id == p.id)
        .map(|c| {
            let opts = state
                .data
                .variants
                .iter()
                .filter(|v| v.category_id == c.id)
                .collect();
            (c, opts)
        })
        .collect();
    let sales: Vec<_> = state
        .data
        .sales
        .iter()
        .filter(|s| s.product_id == p.id && !s.refunded && !s.chargebacked)
        .collect();
    render::product(&ProductView {
        seller,
        product: p,
        custom_fields,
        categories,
        sales_count: sales.len() as u64,
        sales_usd_cents: sales.iter().map(|s| s.price).sum(),
        with_sales,
    })
}

fn with_sales(req: &ApiRequest) -> bool {
    matches!(&req.caller, Ok(Some(c)) if c.has_any(&["view_sales"]))
}

/// `GET /products`: the seller's live products, 10 per page with `page_key`.
pub fn list(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = req.require(&[])?.clone();
    let items: Vec<_> = state
        .data
        .products
        .iter()
        .enumerate()
        .filter(|(_, p)| p.seller_id == caller.seller_id && !p.deleted)
        .map(|(i, p)| (key_of(&p.created_at, numeric_id(&p.id)), i))
        .collect();
    let page = paging::paginate(items, &req.params, 10)?;
    let products: Vec<Value> = page
        .items
        .iter()
        .map(|&i| view(state, i, with_sales(req)))
        .collect();
    let mut body = json!({"success": true, "products": products});
    if let Some(next) = &page.next {
        body["next_page_key"] = json!(paging::format_key(next));
        body["next_page_url"] = json!(paging::next_url("/products", &req.params, next));
    }
    Ok(Resp::ok(body))
}

pub fn retrieve(state: &mut State, req: &ApiRequest, id: &str) -> Result<Resp, Resp> {
    let caller = req.require(&[])?.clone();
    let idx = own_product(state, &caller, id)?;
    Ok(Resp::success("product", view(state, idx, with_sales(req))))
}

pub fn delete(state: &mut State, req: &ApiRequest, id: &str) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_products"])?.clone();
    let idx = own_product(state, &caller, id)?;
    state.data.products[idx].deleted = true;
    state.data.products[idx].published = false;
    Ok(Resp::deleted("product"))
}

pub fn set_published(
    state: &mut State,
    req: &ApiRequest,
    id: &str,
    on: bool,
) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_products"])?.clone();
    let idx = own_product(state, &caller, id)?;
    state.data.products[idx].published = on;
    Ok(Resp::success("product", view(state, idx, with_sales(req))))
}

fn cents(req: &ApiRequest, key: &str) -> Result<Option<u64>, Resp> {
    match req.params.text(key) {
        None => Ok(None),
        Some(v) => v
            .parse::<u64>()
            .map(Some)
            .map_err(|_| Resp::failure(&format!("{key} must be a whole number of cents"))),
    }
}

fn tags(req: &ApiRequest) -> Option<Vec<String>> {
    match req.params.get("tags")? {
        Param::Json(Value::Array(a)) => Some(
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect(),
        ),
        p => Some(
            p.as_text()
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
        ),
    }
}

/// `POST /products` (2026): creates a draft; publish with `/enable`.
pub fn create(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_products"])?.clone();
    let Some(name) = req.params.text("name") else {
        return Ok(Resp::failure("Name can't be blank"));
    };
    let price = cents(req, "price")?.unwrap_or(0);
    let id = state.new_id();
    let permalink: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(6)
        .collect::<String>()
        .to_lowercase();
    let duration = req.params.text("subscription_duration");
    let p = Product {
        id: id.clone(),
        seller_id: caller.seller_id.clone(),
        name,
        unique_permalink: permalink,
        description: req.params.text("description").unwrap_or_default(),
        price,
        currency: req
            .params
            .text("price_currency_type")
            .unwrap_or_else(|| "usd".into()),
        created_at: crate::state::now_iso(),
        published: false,
        is_tiered_membership: duration.is_some(),
        subscription_duration: duration,
        tags: tags(req).unwrap_or_default(),
        custom_summary: req.params.text("custom_summary"),
        ..Product::default()
    };
    state.data.products.push(p);
    let idx = state.data.products.len() - 1;
    Ok(Resp::success("product", view(state, idx, with_sales(req))))
}

/// `PUT /products/:id` (2026): partial update.
pub fn update(state: &mut State, req: &ApiRequest, id: &str) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_products"])?.clone();
    let idx = own_product(state, &caller, id)?;
    let price = cents(req, "price")?;
    let max = cents(req, "max_purchase_count")?;
    let new_tags = tags(req);
    let p = &mut state.data.products[idx];
    if price.is_some() && p.is_tiered_membership {
        return Ok(Resp::failure(
            "Price cannot be changed on tiered memberships; change the tier prices instead.",
        ));
    }
    if let Some(n) = req.params.text("name") {
        p.name = n;
    }
    if let Some(v) = price {
        p.price = v;
    }
    if let Some(v) = req.params.text("description") {
        p.description = v;
    }
    if let Some(v) = req.params.text("custom_summary") {
        p.custom_summary = Some(v);
    }
    if let Some(v) = req.params.text("custom_permalink") {
        p.custom_permalink = Some(v);
    }
    if max.is_some() {
        p.max_purchase_count = max;
    }
    if let Some(t) = new_tags {
        p.tags = t;
    }
    Ok(Resp::success("product", view(state, idx, with_sales(req))))
}
