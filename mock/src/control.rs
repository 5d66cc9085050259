//! The control API under `/__mock` (documented in mock/README.md).

use serde::Deserialize;
use serde_json::json;

use crate::app::App;
use crate::faults::Fault;
use crate::http::Resp;
use crate::model::{License, Sale};
use crate::state::now_iso;
use crate::webhooks::{self, s, Pv};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Event {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    sale_id: Option<String>,
    #[serde(default)]
    subscription_id: Option<String>,
    #[serde(default)]
    product_id: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    price: Option<u64>,
}

fn bad(msg: &str) -> Resp {
    Resp::json(400, json!({"error": msg}))
}

fn query_param(query: &str, key: &str) -> Option<String> {
    crate::urlenc::parse_form(query)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

pub fn handle(app: &App, method: &str, path: &str, query: &str, body: &[u8]) -> Resp {
    match (method, path) {
        ("POST", "/reset") => {
            app.lock().reset();
            Resp::ok(json!({"ok": true}))
        }
        ("GET", "/requests") => {
            let state = app.lock();
            let since: u64 = query_param(query, "since")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            let entries: Vec<_> = state.log.iter().filter(|e| e.seq > since).collect();
            Resp::ok(json!({"requests": entries, "last_seq": state.seq}))
        }
        ("DELETE", "/requests") => {
            app.lock().log.clear();
            Resp::ok(json!({"ok": true}))
        }
        ("GET", "/licenses") => {
            let state = app.lock();
            let list: Vec<_> = state
                .data
                .licenses
                .iter()
                .map(|l| json!({"key": l.key, "product_id": l.product_id, "uses": l.uses, "disabled": l.disabled}))
                .collect();
            Resp::ok(json!({"licenses": list}))
        }
        ("GET", "/data") => Resp::ok(serde_json::to_value(&app.lock().data).unwrap_or_default()),
        ("GET", "/faults") => Resp::ok(json!({"faults": app.lock().faults})),
        ("POST", "/faults") => {
            let fault: Fault = match serde_json::from_slice(body) {
                Ok(f) => f,
                Err(e) => return bad(&format!("fault: {e}")),
            };
            if let Err(e) = fault.validate() {
                return bad(&e);
            }
            app.lock().faults.push(fault);
            Resp::ok(json!({"ok": true}))
        }
        ("DELETE", "/faults") => {
            app.lock().faults.clear();
            Resp::ok(json!({"ok": true}))
        }
        ("GET", "/webhooks") => Resp::ok(json!({"deliveries": app.lock().webhook_log})),
        ("DELETE", "/webhooks") => {
            app.lock().webhook_log.clear();
            Resp::ok(json!({"ok": true}))
        }
        ("GET", "/settings") => Resp::ok(json!({"settings": app.lock().settings})),
        ("POST", "/settings") => settings(app, body),
        ("POST", "/events") => match serde_json::from_slice::<Event>(body) {
            Ok(e) => event(app, e),
            Err(e) => bad(&format!("event: {e}")),
        },
        ("GET", p) if p.starts_with("/oauth/") => crate::maton::authorize(
            app,
            p.trim_start_matches("/oauth/"),
            query_param(query, "seller_id"),
        ),
        _ => Resp::json(404, json!({"error": "unknown control route", "path": path})),
    }
}

/// A partial update of the run-time settings (`POST /__mock/settings`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsPatch {
    #[serde(default)]
    upload_part_size: Option<u64>,
    #[serde(default)]
    device_interval: Option<u64>,
    #[serde(default)]
    throttle: Option<bool>,
}

/// S3's largest part (5 GiB); a part size above it could never be uploaded.
const MAX_PART_SIZE: u64 = 5 << 30;

fn settings(app: &App, body: &[u8]) -> Resp {
    let patch: SettingsPatch = match serde_json::from_slice(body) {
        Ok(p) => p,
        Err(e) => return bad(&format!("settings: {e}")),
    };
    if let Some(n) = patch.upload_part_size {
        if !(1..=MAX_PART_SIZE).contains(&n) {
            return bad("upload_part_size must be between 1 and 5368709120 bytes");
        }
    }
    if patch.device_interval.is_some_and(|n| n > 3600) {
        return bad("device_interval must be between 0 and 3600 seconds");
    }
    let mut state = app.lock();
    if let Some(n) = patch.upload_part_size {
        state.settings.upload_part_size = n;
    }
    if let Some(n) = patch.device_interval {
        state.settings.device_interval = n;
    }
    if let Some(on) = patch.throttle {
        state.settings.throttle = on;
        // Turning the throttles on or off starts them from empty counters.
        state.throttle_counts.clear();
    }
    Resp::ok(json!({"ok": true, "settings": state.settings}))
}

/// Simulates what a buyer (or the payment system) does, and sends the matching webhook.
fn event(app: &App, e: Event) -> Resp {
    let mut state = app.lock();
    let now = now_iso();
    let sale_idx = |state: &crate::state::State| {
        e.sale_id
            .as_deref()
            .and_then(|id| state.data.sales.iter().position(|s| s.id == id))
    };
    let sub_idx = |state: &crate::state::State| {
        e.subscription_id
            .as_deref()
            .and_then(|id| state.data.subscriptions.iter().position(|s| s.id == id))
    };
    match e.kind.as_str() {
        "sale" => {
            let Some(pid) = e.product_id.clone() else {
                return bad("sale needs product_id");
            };
            let Some(p) = state.data.products.iter().find(|p| p.id == pid).cloned() else {
                return bad("unknown product_id");
            };
            let id = state.new_id();
            let order_id = 900_000_000 + state.data.sales.len() as u64;
            let price = e.price.unwrap_or(p.price);
            let key = state.new_license_key();
            let sale = Sale {
                id: id.clone(),
                product_id: pid.clone(),
                email: e
                    .email
                    .clone()
                    .unwrap_or_else(|| "new.buyer@example.com".into()),
                created_at: now.clone(),
                price,
                gumroad_fee: price * 29 / 100,
                quantity: 1,
                order_id,
                license_key: Some(key.clone()),
                referrer: "direct".into(),
                ..Sale::default()
            };
            state.data.sales.push(sale);
            state.data.licenses.push(License {
                key: key.clone(),
                product_id: pid,
                sale_id: Some(id.clone()),
                ..License::default()
            });
            let idx = state.data.sales.len() - 1;
            webhooks::emit_sale_event(&mut state, idx, "sale");
            Resp::ok(json!({"ok": true, "sale_id": id, "license_key": key}))
        }
        "refund" | "dispute" | "dispute_won" | "chargeback" => {
            let Some(i) = sale_idx(&state) else {
                return bad("needs a known sale_id");
            };
            let s = &mut state.data.sales[i];
            let resource = match e.kind.as_str() {
                "refund" => {
                    s.refunded = true;
                    s.amount_refunded_cents = s.price;
                    Some("refund")
                }
                "dispute" => {
                    s.disputed = true;
                    Some("dispute")
                }
                "dispute_won" => {
                    s.dispute_won = true;
                    Some("dispute_won")
                }
                // A lost dispute: Gumroad sends no separate webhook for it.
                _ => {
                    s.chargebacked = true;
                    None
                }
            };
            if let Some(r) = resource {
                webhooks::emit_sale_event(&mut state, i, r);
            }
            Resp::ok(json!({"ok": true}))
        }
        "cancellation"
        | "subscription_ended"
        | "subscription_restarted"
        | "subscription_updated" => {
            let Some(i) = sub_idx(&state) else {
                return bad("needs a known subscription_id");
            };
            let sub = &mut state.data.subscriptions[i];
            let extra: Vec<(String, Pv)> = match e.kind.as_str() {
                "cancellation" => {
                    sub.cancelled_at = Some(now.clone());
                    sub.user_requested_cancellation_at = Some(now.clone());
                    vec![
                        ("cancelled".into(), s(true)),
                        ("cancelled_at".into(), s(&now)),
                        ("cancelled_by_buyer".into(), s(true)),
                    ]
                }
                "subscription_ended" => {
                    sub.ended_at = Some(now.clone());
                    if sub.cancelled_at.is_none() {
                        sub.cancelled_at = Some(now.clone());
                    }
                    vec![
                        ("ended_at".into(), s(&now)),
                        ("ended_reason".into(), s("cancelled")),
                    ]
                }
                "subscription_restarted" => {
                    sub.cancelled_at = None;
                    sub.ended_at = None;
                    sub.failed_at = None;
                    sub.user_requested_cancellation_at = None;
                    vec![("restarted_at".into(), s(&now))]
                }
                _ => {
                    let plan = |tier: &str, cents: u64| {
                        Pv::Hash(vec![
                            ("recurrence".into(), s("monthly")),
                            ("price_cents".into(), s(cents)),
                            ("quantity".into(), s(1)),
                            (
                                "tier".into(),
                                Pv::Hash(vec![
                                    ("id".into(), s(format!("tier-{tier}"))),
                                    ("name".into(), s(tier)),
                                ]),
                            ),
                        ])
                    };
                    vec![
                        ("type".into(), s("upgrade")),
                        ("effective_as_of".into(), s(&now)),
                        ("old_plan".into(), plan("Basic", 500)),
                        ("new_plan".into(), plan("Premium", 1000)),
                    ]
                }
            };
            let kind = e.kind.clone();
            webhooks::emit_subscription_event(&mut state, i, &kind, extra);
            Resp::ok(json!({"ok": true}))
        }
        other => bad(&format!("unknown event type {other:?}")),
    }
}
