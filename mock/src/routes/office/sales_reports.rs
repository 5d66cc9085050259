//! `GET /v2/sales/summary` and `POST /v2/sales/exports` (`view_sales`).
//!
//! The seller's time zone is UTC in the mock (the data carries none), so "today" and the
//! day/hour buckets are UTC.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::dates::{self, format_date, parse_date};
use crate::http::{Param, Resp};
use crate::model::Sale;
use crate::model_office::SalesExport;
use crate::routes::ApiRequest;
use crate::state::{now_iso, State};

pub const VALID_GROUPS: [&str; 5] = ["product", "day", "week", "month", "hour"];
/// `CreatorAnalytics::Sales::MAX_HOURLY_DATE_RANGE_DAYS`: `to - from` may be at most this.
pub const MAX_HOURLY_RANGE_DAYS: i64 = 7;

fn present(req: &ApiRequest, key: &str) -> Option<String> {
    req.params
        .get(key)
        .map(Param::as_text)
        .filter(|s| !s.trim().is_empty())
}

fn date_param(req: &ApiRequest, key: &str) -> Result<Option<i64>, Resp> {
    match present(req, key) {
        None => Ok(None),
        Some(v) => parse_date(&v).map(Some).ok_or_else(|| {
            Resp::bad_request(&format!(
                "Invalid date format provided in field '{key}'. Dates must be in the format YYYY-MM-DD."
            ))
        }),
    }
}

/// The seller's sales (indexes into `data.sales`).
fn seller_sales<'a>(state: &'a State, seller_id: &'a str) -> impl Iterator<Item = &'a Sale> + 'a {
    state.data.sales.iter().filter(move |s| {
        state
            .data
            .products
            .iter()
            .any(|p| p.id == s.product_id && p.seller_id == seller_id)
    })
}

#[derive(Default, Clone, Copy)]
struct Totals {
    gross: u64,
    units: u64,
    refunded: u64,
    refunded_units: u64,
}

impl Totals {
    fn add(&mut self, s: &Sale) {
        self.gross += s.price;
        self.units += s.quantity;
        let refunded = if s.refunded {
            s.price
        } else {
            s.amount_refunded_cents.min(s.price)
        };
        self.refunded += refunded;
        if refunded > 0 {
            self.refunded_units += s.quantity;
        }
    }

    fn write(&self, m: &mut Map<String, Value>) {
        m.insert("gross_cents".into(), json!(self.gross));
        m.insert("net_cents".into(), json!(self.gross - self.refunded));
        m.insert("units".into(), json!(self.units));
        m.insert("refunded_cents".into(), json!(self.refunded));
        m.insert("refunded_units".into(), json!(self.refunded_units));
    }
}

/// The bucket of a sale for a time grouping.
fn bucket(group_by: &str, created_at: &str) -> Option<String> {
    let day = dates::day_of(created_at)?;
    Some(match group_by {
        "day" => format_date(day),
        "week" => format_date(day - dates::weekday(day)),
        "month" => format_date(day).get(0..7)?.to_string(),
        "hour" => format!("{}T{}:00", format_date(day), created_at.get(11..13)?),
        _ => return None,
    })
}

/// `GET /v2/sales/summary`: charged sales (refunded ones included) from `from` to `to`, in USD
/// cents; `breakdown` only with `group_by`, holding only buckets that have sales.
pub fn summary(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = req.require(&["view_sales"])?.clone();
    let group_by = present(req, "group_by");
    if let Some(g) = &group_by {
        if !VALID_GROUPS.contains(&g.as_str()) {
            return Err(Resp::bad_request(&format!(
                "Invalid group_by. Valid values are: {}.",
                VALID_GROUPS.join(", ")
            )));
        }
    }
    let from = date_param(req, "from")?;
    let to = date_param(req, "to")?.unwrap_or_else(dates::today);
    let from = from.unwrap_or(to - 29);
    if from > to {
        return Err(Resp::bad_request("'from' must be on or before 'to'."));
    }
    if group_by.as_deref() == Some("hour") && to - from > MAX_HOURLY_RANGE_DAYS {
        return Err(Resp::bad_request(&format!(
            "Date range cannot exceed {MAX_HOURLY_RANGE_DAYS} days when grouping by hour."
        )));
    }
    let in_range: Vec<&Sale> = seller_sales(state, &caller.seller_id)
        .filter(|s| dates::day_of(&s.created_at).is_some_and(|d| d >= from && d <= to))
        .collect();
    let mut total = Totals::default();
    for s in &in_range {
        total.add(s);
    }
    let mut body = Map::new();
    body.insert("success".into(), json!(true));
    total.write(&mut body);
    body.insert("currency".into(), json!("usd"));
    body.insert("from".into(), json!(format_date(from)));
    body.insert("to".into(), json!(format_date(to)));
    if let Some(g) = group_by.as_deref() {
        let mut groups: BTreeMap<String, Totals> = BTreeMap::new();
        for s in &in_range {
            let key = if g == "product" {
                Some(s.product_id.clone())
            } else {
                bucket(g, &s.created_at)
            };
            if let Some(k) = key {
                groups.entry(k).or_default().add(s);
            }
        }
        let mut rows: Vec<(String, String, Totals)> = groups
            .into_iter()
            .map(|(k, t)| {
                let label = if g == "product" {
                    state
                        .data
                        .products
                        .iter()
                        .find(|p| p.id == k)
                        .map(|p| p.name.clone())
                        .unwrap_or_else(|| k.clone())
                } else {
                    k.clone()
                };
                (k, label, t)
            })
            .collect();
        if g == "product" {
            rows.sort_by(|a, b| b.2.gross.cmp(&a.2.gross).then_with(|| a.0.cmp(&b.0)));
        }
        let breakdown: Vec<Value> = rows
            .into_iter()
            .map(|(k, label, t)| {
                let mut m = Map::new();
                m.insert("key".into(), json!(k));
                m.insert("label".into(), json!(label));
                t.write(&mut m);
                Value::Object(m)
            })
            .collect();
        body.insert("breakdown".into(), Value::Array(breakdown));
    }
    Ok(Resp::ok(Value::Object(body)))
}

/// `POST /v2/sales/exports`: queues an e-mailed CSV (recorded in `office.sales_exports`).
pub fn export(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = req.require(&["view_sales"])?.clone();
    let from = date_param(req, "from")?.map(|_| present(req, "from").unwrap_or_default());
    let to = date_param(req, "to")?.map(|_| present(req, "to").unwrap_or_default());
    let mut product_ids = vec![];
    if let Some(pid) = present(req, "product_id") {
        // By external id only (`find_by_external_id`), not by permalink.
        let found = state
            .data
            .products
            .iter()
            .any(|p| p.id == pid && p.seller_id == caller.seller_id && !p.deleted);
        if !found {
            return Err(Resp::bad_request("Invalid product ID."));
        }
        product_ids.push(pid);
    }
    let email = state
        .seller(&caller.seller_id)
        .map(|s| s.email.clone())
        .unwrap_or_default();
    state.data.office.sales_exports.push(SalesExport {
        seller_id: caller.seller_id.clone(),
        recipient_email: email.clone(),
        from,
        to,
        product_ids,
        queued_at: now_iso(),
    });
    Ok(Resp::ok(
        json!({"success": true, "status": "queued", "recipient_email": email}),
    ))
}
