//! Webhook ("ping") deliveries to resource subscriptions: Gumroad's payloads, its form encoding
//! (HTTParty's bracket keys) and its retry schedule (499/500/502/503/504 only, after 60 s, 180 s
//! and 600 s; scaled by `--webhook-retry-scale` so tests need not wait).

use crate::app::App;
pub use crate::outbox::{Delivery, DeliveryRecord, Pv};
use crate::render::product_url;
use crate::state::State;

pub fn s(v: impl ToString) -> Pv {
    Pv::S(v.to_string())
}

fn enc(v: &str) -> String {
    crate::urlenc::encode(v)
}

/// HTTParty's hash-to-query: scalars of a hash first, nested hashes after them.
pub fn encode(fields: &[(String, Pv)]) -> String {
    let mut out = Vec::new();
    encode_into(&mut out, None, fields);
    out.join("&")
}

fn encode_into(out: &mut Vec<String>, prefix: Option<&str>, fields: &[(String, Pv)]) {
    // Literal brackets inside key names are pre-escaped by Gumroad.
    let name = |k: &str| {
        let k = k.replace('[', "%5B").replace(']', "%5D");
        match prefix {
            Some(p) => format!("{p}[{k}]"),
            None => k,
        }
    };
    for (k, v) in fields {
        match v {
            Pv::S(x) => out.push(format!("{}={}", enc(&name(k)), enc(x))),
            Pv::Nil => out.push(format!("{}=", enc(&name(k)))),
            Pv::Arr(items) => {
                for x in items {
                    out.push(format!("{}={}", enc(&format!("{}[]", name(k))), enc(x)));
                }
            }
            Pv::Hash(_) => {}
        }
    }
    for (k, v) in fields {
        if let Pv::Hash(inner) = v {
            encode_into(out, Some(&name(k)), inner);
        }
    }
}

/// The sale-type payload (`sale`, `refund`, `dispute`, `dispute_won`).
pub fn sale_payload(state: &State, sale_idx: usize) -> Option<Vec<(String, Pv)>> {
    let sale = state.data.sales.get(sale_idx)?;
    let p = state
        .data
        .products
        .iter()
        .find(|p| p.id == sale.product_id)?;
    let seller = state.seller(&p.seller_id)?;
    let mut f: Vec<(String, Pv)> = vec![
        ("seller_id".into(), s(&seller.user_id)),
        ("product_id".into(), s(&p.id)),
        ("product_name".into(), s(&p.name)),
        (
            "permalink".into(),
            s(p.custom_permalink.as_deref().unwrap_or(&p.unique_permalink)),
        ),
        ("product_permalink".into(), s(product_url(seller, p))),
        ("short_product_id".into(), s(&p.unique_permalink)),
        ("email".into(), s(&sale.email)),
        ("price".into(), s(sale.price)),
        ("gumroad_fee".into(), s(sale.gumroad_fee)),
        ("currency".into(), s(&p.currency)),
        ("quantity".into(), s(sale.quantity)),
        ("discover_fee_charged".into(), s(false)),
        ("can_contact".into(), s(true)),
        ("referrer".into(), s(&sale.referrer)),
        (
            "card".into(),
            Pv::Hash(vec![
                ("visual".into(), s("**** **** **** 4242")),
                ("type".into(), s("visa")),
                ("bin".into(), Pv::Nil),
                ("expiry_month".into(), Pv::Nil),
                ("expiry_year".into(), Pv::Nil),
            ]),
        ),
        ("order_number".into(), s(sale.order_id)),
        ("sale_id".into(), s(&sale.id)),
        ("sale_timestamp".into(), s(&sale.created_at)),
    ];
    if let Some(n) = &sale.full_name {
        f.push(("full_name".into(), s(n)));
    }
    if let Some(id) = &sale.purchaser_id {
        f.push(("purchaser_id".into(), s(id)));
    }
    if let Some(id) = &sale.subscription_id {
        f.push(("subscription_id".into(), s(id)));
    }
    if let Some(k) = &sale.license_key {
        f.push(("license_key".into(), s(k)));
    }
    if sale.is_multiseat_license || sale.subscription_id.is_some() {
        f.push(("is_multiseat_license".into(), s(sale.is_multiseat_license)));
    }
    if let Some(c) = &sale.country {
        f.push(("ip_country".into(), s(c)));
    }
    f.push(("is_gift_receiver_purchase".into(), s(false)));
    f.push(("refunded".into(), s(sale.refunded)));
    f.push(("disputed".into(), s(sale.disputed)));
    f.push(("dispute_won".into(), s(sale.dispute_won)));
    Some(f)
}

/// The subscription-type payload (`cancellation`, `subscription_ended`, ...), without the
/// event-specific fields.
pub fn subscription_payload(state: &State, sub_idx: usize) -> Option<Vec<(String, Pv)>> {
    let sub = state.data.subscriptions.get(sub_idx)?;
    let p = state
        .data
        .products
        .iter()
        .find(|p| p.id == sub.product_id)?;
    let purchase_ids: Vec<String> = state
        .data
        .sales
        .iter()
        .filter(|x| x.subscription_id.as_deref() == Some(sub.id.as_str()))
        .map(|x| x.id.clone())
        .collect();
    let mut f: Vec<(String, Pv)> = vec![
        ("subscription_id".into(), s(&sub.id)),
        ("product_id".into(), s(&p.id)),
        ("product_name".into(), s(&p.name)),
        (
            "user_id".into(),
            sub.user_id.as_ref().map(s).unwrap_or(Pv::Nil),
        ),
        ("user_email".into(), s(&sub.email)),
        ("purchase_ids".into(), Pv::Arr(purchase_ids)),
        ("created_at".into(), s(&sub.created_at)),
        (
            "charge_occurrence_count".into(),
            sub.charge_occurrence_count.map(s).unwrap_or(Pv::Nil),
        ),
        ("recurrence".into(), s(&sub.recurrence)),
        (
            "free_trial_ends_at".into(),
            sub.free_trial_ends_at.as_ref().map(s).unwrap_or(Pv::Nil),
        ),
    ];
    if let Some(k) = &sub.license_key {
        f.push(("license_key".into(), s(k)));
    }
    Some(f)
}

/// Queues `fields` (which carry `resource_name`) for every subscription of `seller` to
/// `resource`.
fn enqueue(state: &mut State, seller: &str, resource: &str, fields: Vec<(String, Pv)>) {
    let targets: Vec<String> = state
        .data
        .resource_subscriptions
        .iter()
        .filter(|r| r.seller_id == seller && r.resource_name == resource)
        .map(|r| r.post_url.clone())
        .collect();
    for url in targets {
        state.outbox.push(Delivery {
            url,
            resource_name: resource.to_string(),
            fields: fields.clone(),
        });
    }
}

pub fn emit_sale_event(state: &mut State, sale_idx: usize, resource: &str) {
    let Some(mut fields) = sale_payload(state, sale_idx) else {
        return;
    };
    fields.push(("resource_name".into(), s(resource)));
    let seller = fields
        .iter()
        .find(|(k, _)| k == "seller_id")
        .and_then(|(_, v)| {
            if let Pv::S(x) = v {
                Some(x.clone())
            } else {
                None
            }
        })
        .unwrap_or_default();
    enqueue(state, &seller, resource, fields);
}

pub fn emit_subscription_event(
    state: &mut State,
    sub_idx: usize,
    resource: &str,
    extra: Vec<(String, Pv)>,
) {
    let Some(mut fields) = subscription_payload(state, sub_idx) else {
        return;
    };
    let Some(seller) = state
        .data
        .subscriptions
        .get(sub_idx)
        .and_then(|sub| state.data.products.iter().find(|p| p.id == sub.product_id))
        .map(|p| p.seller_id.clone())
    else {
        return;
    };
    // resource_name sits before the event fields in Gumroad's payloads.
    fields.push(("resource_name".into(), s(resource)));
    fields.extend(extra);
    enqueue(state, &seller, resource, fields);
}

/// Gumroad's waits before each retry of a failed ping (seconds; `--webhook-retry-scale`
/// multiplies them).
const RETRY_AFTER_SECS: [u64; 3] = [60, 180, 600];

impl Delivery {
    /// The form body of attempt `attempt` (0 is the first; retries say `retry_count`).
    pub fn body(&self, attempt: u32) -> String {
        let mut fields = self.fields.clone();
        if attempt > 0 {
            fields.push(("retry_count".into(), s(attempt)));
        }
        encode(&fields)
    }
}

/// Records what attempt `attempt` of `d` came to (`Ok(status)`, or why no answer came) and
/// gives the wait in seconds before the next attempt, or `None` when there is none. Gumroad
/// (the mock sends at once where it waits 5-10 s) retries 499 and 5xx gateway answers only;
/// timeouts and refused connections are not retried.
pub fn attempted(
    app: &App,
    d: &Delivery,
    attempt: u32,
    body: String,
    result: Result<u16, String>,
) -> Option<f64> {
    let (status, error) = match result {
        Ok(st) => (Some(st), None),
        Err(e) => (None, Some(e)),
    };
    app.lock().webhook_log_push(DeliveryRecord {
        resource_name: d.resource_name.clone(),
        post_url: d.url.clone(),
        attempt,
        body,
        status,
        error,
    });
    let retry = matches!(status, Some(499 | 500 | 502 | 503 | 504));
    let wait = RETRY_AFTER_SECS.get(attempt as usize)?;
    retry.then_some(*wait as f64 * app.webhook_retry_scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_httparty() {
        let fields = vec![
            ("a b".to_string(), s("x*y")),
            (
                "card".to_string(),
                Pv::Hash(vec![
                    ("bin".into(), Pv::Nil),
                    ("tier".into(), Pv::Hash(vec![("id".into(), s("1="))])),
                    ("type".into(), s("visa")),
                ]),
            ),
            ("ids".to_string(), Pv::Arr(vec!["1".into(), "2".into()])),
            ("odd[key]".to_string(), s("v")),
        ];
        assert_eq!(
            encode(&fields),
            "a%20b=x%2Ay&ids%5B%5D=1&ids%5B%5D=2&odd%255Bkey%255D=v&card%5Bbin%5D=&card%5Btype%5D=visa&card%5Btier%5D%5Bid%5D=1%3D"
        );
    }
}
