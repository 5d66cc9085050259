//! Payouts (`view_payouts`): list with the upcoming pseudo-entry, the upcoming payout, one
//! payout. Items carry the fields Gumroad's `Payment#as_json` renders plus the ones the
//! official CLI reads (`payout_period`, `amount_cents`, `formatted_amount`, `is_upcoming`,
//! `display_payout_period`, and `transactions` on request), whose server shape is unverified.

use serde_json::{json, Map, Value};

use super::dates::{self, display_date, format_date, parse_date};
use super::util::{decimal, dollars};
use crate::http::{Param, Resp};
use crate::model_office::{Account, Payout};
use crate::routes::paging::{self, key_of, numeric_id, Key};
use crate::routes::ApiRequest;
use crate::state::{Caller, State};

pub const PER_PAGE: usize = 10;
/// Gumroad's minimum payout ($10): below it there is no next payout date.
pub const MINIMUM_PAYOUT_CENTS: u64 = 1_000;

fn account<'a>(state: &'a State, seller_id: &str) -> Option<&'a Account> {
    state
        .data
        .office
        .accounts
        .iter()
        .find(|a| a.seller_id == seller_id)
}

/// The end of the current payout period: the coming Friday (today when it is one).
pub fn current_period_end() -> i64 {
    let today = dates::today();
    today + (4 - dates::weekday(today)).rem_euclid(7)
}

fn period_fields(m: &mut Map<String, Value>, start: &str, end: &str) {
    let pretty = |d: &str| {
        parse_date(d)
            .map(display_date)
            .unwrap_or_else(|| d.to_string())
    };
    m.insert("payout_period".into(), json!(format!("{start} to {end}")));
    m.insert(
        "display_payout_period".into(),
        json!(format!("{} - {}", pretty(start), pretty(end))),
    );
}

pub fn view(p: &Payout) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("id".into(), json!(p.id));
    m.insert("amount".into(), json!(decimal(p.amount_cents)));
    m.insert("currency".into(), json!(p.currency));
    m.insert("status".into(), json!(p.status));
    m.insert("created_at".into(), json!(p.created_at));
    m.insert(
        "processed_at".into(),
        json!((p.status == "completed").then_some(&p.updated_at)),
    );
    m.insert("payment_processor".into(), json!(p.payment_processor));
    m.insert("bank_account_visual".into(), json!(p.bank_account_visual));
    m.insert("paypal_email".into(), json!(p.paypal_email));
    period_fields(&mut m, &p.period_start, &p.period_end);
    m.insert("amount_cents".into(), json!(p.amount_cents));
    m.insert("formatted_amount".into(), json!(dollars(p.amount_cents)));
    m.insert("is_upcoming".into(), json!(false));
    m
}

/// The upcoming payout of the seller, when there will be one (payable balance above the
/// minimum), as Gumroad builds it from an unsaved `Payment`.
fn upcoming(state: &State, seller_id: &str) -> Option<Map<String, Value>> {
    let a = account(state, seller_id)?;
    if a.unpaid_balance_cents < MINIMUM_PAYOUT_CENTS {
        return None;
    }
    let end = current_period_end();
    let start = own_payouts(state, seller_id)
        .filter_map(|p| parse_date(&p.period_end))
        .max()
        .map(|d| d + 1)
        .unwrap_or(end - 6)
        .min(end);
    let currency = state
        .seller(seller_id)
        .map(|s| s.currency_type.clone())
        .unwrap_or_else(|| "usd".into());
    let mut m = Map::new();
    m.insert("id".into(), Value::Null);
    m.insert("amount".into(), json!(decimal(a.unpaid_balance_cents)));
    m.insert("currency".into(), json!(currency));
    m.insert("status".into(), json!(a.payouts_status));
    for k in [
        "created_at",
        "processed_at",
        "payment_processor",
        "bank_account_visual",
        "paypal_email",
    ] {
        m.insert(k.into(), Value::Null);
    }
    period_fields(&mut m, &format_date(start), &format_date(end));
    m.insert("amount_cents".into(), json!(a.unpaid_balance_cents));
    m.insert(
        "formatted_amount".into(),
        json!(dollars(a.unpaid_balance_cents)),
    );
    m.insert("is_upcoming".into(), json!(true));
    Some(m)
}

fn own_payouts<'a>(state: &'a State, seller_id: &'a str) -> impl Iterator<Item = &'a Payout> + 'a {
    state
        .data
        .office
        .payouts
        .iter()
        .filter(move |p| p.seller_id == seller_id)
}

fn key_for(p: &Payout) -> Key {
    key_of(&p.created_at, numeric_id(&p.id))
}

/// Ruby's `Date.strptime(params[x], "%Y-%m-%d") if params[x]`: present but empty is an error too.
fn date_param(req: &ApiRequest, key: &str) -> Result<Option<i64>, Resp> {
    match req.params.get(key) {
        None => Ok(None),
        Some(v) => parse_date(&v.as_text()).map(Some).ok_or_else(|| {
            Resp::bad_request(&format!(
                "Invalid date format provided in field '{key}'. Dates must be in the format YYYY-MM-DD."
            ))
        }),
    }
}

/// `GET /v2/payouts`: newest first, 10 per page; the upcoming entry (`id: null`) comes first on
/// an unpaginated request unless `include_upcoming=false` or `before` ends before the current
/// payout period, and counts toward the 10.
pub fn list(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = req.require(&["view_payouts"])?.clone();
    let before = date_param(req, "before")?;
    let after = date_param(req, "after")?;
    let page_key = req
        .params
        .get("page_key")
        .map(Param::as_text)
        .filter(|s| !s.trim().is_empty());
    let cursor = match &page_key {
        Some(pk) => {
            Some(paging::parse_key(pk).ok_or_else(|| Resp::bad_request("Invalid page_key."))?)
        }
        None => None,
    };
    let mut items: Vec<(Key, &Payout)> = own_payouts(state, &caller.seller_id)
        .filter(|p| {
            let day = dates::day_of(&p.created_at);
            after.is_none_or(|a| day.is_some_and(|d| d >= a))
                && before.is_none_or(|b| day.is_some_and(|d| d < b))
        })
        .map(|p| (key_for(p), p))
        .filter(|(k, _)| cursor.as_ref().is_none_or(|c| k < c))
        .collect();
    items.sort_by(|a, b| b.0.cmp(&a.0));
    items.truncate(PER_PAGE + 1);
    let mut page: Vec<(Option<Key>, Map<String, Value>)> =
        items.into_iter().map(|(k, p)| (Some(k), view(p))).collect();
    let include_upcoming = page_key.is_none()
        && req
            .params
            .get("include_upcoming")
            .map(Param::as_text)
            .as_deref()
            != Some("false")
        && before.is_none_or(|b| b >= current_period_end());
    if include_upcoming {
        if let Some(u) = upcoming(state, &caller.seller_id) {
            page.insert(0, (None, u));
        }
    }
    let has_next = page.len() > PER_PAGE;
    page.truncate(PER_PAGE);
    let next = if has_next {
        page.last().and_then(|(k, _)| k.clone())
    } else {
        None
    };
    let mut body = json!({
        "success": true,
        "payouts": page.into_iter().map(|(_, m)| Value::Object(m)).collect::<Vec<_>>(),
    });
    if let Some(next) = next {
        body["next_page_key"] = json!(paging::format_key(&next));
        body["next_page_url"] = json!(paging::next_url("/payouts", &req.params, &next));
    }
    Ok(Resp::ok(body))
}

/// `view_sales` itself, not `account`: Gumroad checks `doorkeeper_token.scopes.include?`.
fn sees_sales(caller: &Caller, req: &ApiRequest) -> bool {
    caller.scopes.iter().any(|s| s == "view_sales")
        && req
            .params
            .get("include_sales")
            .map(Param::as_text)
            .as_deref()
            != Some("false")
}

fn wants_transactions(req: &ApiRequest) -> bool {
    matches!(
        req.params
            .get("include_transactions")
            .map(Param::as_text)
            .as_deref(),
        Some("true") | Some("1")
    )
}

fn transactions(state: &State, sale_ids: &[String], refunded: &[String]) -> Value {
    let mut out = vec![];
    for id in sale_ids {
        let Some(s) = state.sale(id) else { continue };
        let product = state
            .data
            .products
            .iter()
            .find(|p| p.id == s.product_id)
            .map(|p| p.name.clone())
            .unwrap_or_default();
        let net = s.price.saturating_sub(s.gumroad_fee);
        out.push(json!({
            "id": s.id, "type": "sale", "created_at": s.created_at, "product_name": product,
            "amount_cents": net, "formatted_amount": dollars(net),
        }));
        if refunded.contains(id) {
            out.push(json!({
                "id": s.id, "type": "refund", "created_at": s.created_at, "product_name": product,
                "amount_cents": -(net as i64), "formatted_amount": format!("-{}", dollars(net)),
            }));
        }
    }
    Value::Array(out)
}

/// `GET /v2/payouts/:id`.
pub fn retrieve(state: &mut State, req: &ApiRequest, id: &str) -> Result<Resp, Resp> {
    let caller = req.require(&["view_payouts"])?.clone();
    let Some(p) = own_payouts(state, &caller.seller_id).find(|p| p.id == id) else {
        return Ok(Resp::not_found("payout"));
    };
    let mut m = view(p);
    if sees_sales(&caller, req) {
        m.insert("sales".into(), json!(p.sale_ids));
        m.insert("refunded_sales".into(), json!(p.refunded_sale_ids));
        m.insert("disputed_sales".into(), json!(p.disputed_sale_ids));
    }
    if wants_transactions(req) {
        m.insert(
            "transactions".into(),
            transactions(state, &p.sale_ids, &p.refunded_sale_ids),
        );
    }
    Ok(Resp::success("payout", Value::Object(m)))
}

/// `GET /v2/payouts/upcoming`: the upcoming entry, or `payout: null` when there is none
/// (routed on Gumroad, but its controller action is unverified).
pub fn upcoming_route(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = req.require(&["view_payouts"])?.clone();
    let Some(mut m) = upcoming(state, &caller.seller_id) else {
        return Ok(Resp::success("payout", Value::Null));
    };
    let since = own_payouts(state, &caller.seller_id)
        .filter_map(|p| parse_date(&p.period_end))
        .max();
    let pending: Vec<String> = state
        .data
        .sales
        .iter()
        .filter(|s| {
            state
                .data
                .products
                .iter()
                .any(|p| p.id == s.product_id && p.seller_id == caller.seller_id)
                && dates::day_of(&s.created_at).is_some_and(|d| since.is_none_or(|x| d > x))
        })
        .map(|s| s.id.clone())
        .collect();
    let refunded: Vec<String> = pending
        .iter()
        .filter(|id| state.sale(id).is_some_and(|s| s.refunded))
        .cloned()
        .collect();
    if sees_sales(&caller, req) {
        m.insert("sales".into(), json!(pending));
        m.insert("refunded_sales".into(), json!(refunded));
        m.insert("disputed_sales".into(), json!(Vec::<String>::new()));
    }
    if wants_transactions(req) {
        m.insert(
            "transactions".into(),
            transactions(state, &pending, &refunded),
        );
    }
    Ok(Resp::success("payout", Value::Object(m)))
}
