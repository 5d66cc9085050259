//! `/workflows` (list, show) and their emails (add, update). Scope `edit_emails`; the email
//! writes answer validation errors with 400 `{status, error}`.

use serde_json::{json, Value};

use super::as_str;
use crate::http::{Param, Resp};
use crate::model_storefront::{Workflow, WorkflowEmail};
use crate::routes::ApiRequest;
use crate::state::{now_iso, State};

const DELAY_UNITS: [&str; 4] = ["hour", "day", "week", "month"];
const WRITE_PARAMS: [&str; 4] = ["subject", "body", "delay_amount", "delay_unit"];
const STATE_PARAMS: [&str; 7] = [
    "publish",
    "unpublish",
    "draft",
    "state",
    "published_at",
    "save_action_name",
    "send_to_past_customers",
];
/// [unverified] `InstallmentRule::MAX_DELAY_SECONDS` (the delay column is a 4-byte integer).
const MAX_DELAY_SECONDS: u64 = i32::MAX as u64;

fn unit_seconds(unit: &str) -> u64 {
    match unit {
        "hour" => 3_600,
        "day" => 86_400,
        "week" => 604_800,
        // ActiveSupport's 1.month (30.436875 days).
        _ => 2_629_746,
    }
}

fn rate(count: u64, sent: u64) -> Value {
    if sent == 0 {
        Value::Null
    } else {
        json!((count as f64 / sent as f64 * 1000.0).round() / 10.0)
    }
}

fn email_json(w: &Workflow, e: &WorkflowEmail, analytics: bool) -> Value {
    let (opens, clicks) = if analytics {
        (json!(e.open_count), json!(e.click_count))
    } else {
        (Value::Null, Value::Null)
    };
    json!({
        "id": e.id,
        "subject": e.subject,
        "message": e.message,
        "audience_type": w.workflow_type,
        "product_id": w.product_id,
        "state": if e.published_at.is_some() { "published" } else { "draft" },
        "published_at": e.published_at,
        "send_emails": e.send_emails,
        "delay": {"amount": e.delay_amount, "unit": e.delay_unit},
        "sent_count": e.sent_count,
        "open_count": opens,
        "open_rate": if analytics { rate(e.open_count, e.sent_count) } else { Value::Null },
        "click_count": clicks,
        "click_rate": if analytics { rate(e.click_count, e.sent_count) } else { Value::Null },
        "created_at": e.created_at,
        "updated_at": e.updated_at,
    })
}

/// Alive emails in delivery order (shortest delay first).
fn emails(w: &Workflow) -> Vec<&WorkflowEmail> {
    let mut list: Vec<&WorkflowEmail> = w.emails.iter().filter(|e| !e.deleted).collect();
    list.sort_by_key(|e| {
        (
            e.delay_amount.saturating_mul(unit_seconds(&e.delay_unit)),
            e.created_at.clone(),
        )
    });
    list
}

fn workflow_json(w: &Workflow, with_emails: bool) -> Value {
    let list = emails(w);
    let mut v = json!({
        "id": w.id,
        "name": w.name,
        "audience_type": w.workflow_type,
        "trigger": w.trigger,
        "product_id": w.product_id,
        "variant_id": w.variant_id,
        "state": if w.published_at.is_some() { "published" } else { "draft" },
        "published_at": w.published_at,
        "first_published_at": w.first_published_at,
        "send_to_past_customers": w.send_to_past_customers,
        "emails_count": list.len(),
        "filters": if w.filters.is_object() { w.filters.clone() } else { json!({}) },
        "created_at": w.created_at,
        "updated_at": w.updated_at,
    });
    if with_emails {
        v["emails"] = Value::Array(list.into_iter().map(|e| email_json(w, e, true)).collect());
    }
    v
}

fn find(state: &State, seller_id: &str, id: &str) -> Result<usize, Resp> {
    state
        .data
        .storefront
        .workflows
        .iter()
        .position(|w| w.id == id && w.seller_id == seller_id && !w.deleted)
        .ok_or_else(|| Resp::not_found("workflow"))
}

pub fn list(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_emails"])?;
    let mut list: Vec<&Workflow> = state
        .data
        .storefront
        .workflows
        .iter()
        .filter(|w| w.seller_id == caller.seller_id && !w.deleted)
        .collect();
    list.sort_by(|a, b| b.created_at.cmp(&a.created_at));
    let list: Vec<Value> = list.into_iter().map(|w| workflow_json(w, false)).collect();
    Ok(Resp::success("workflows", Value::Array(list)))
}

pub fn show(state: &mut State, req: &ApiRequest, id: &str) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_emails"])?;
    let i = find(state, &caller.seller_id, id)?;
    Ok(Resp::success(
        "workflow",
        workflow_json(&state.data.storefront.workflows[i], true),
    ))
}

/// `delay_amount`: a JSON integer or a string of digits with an optional minus.
fn delay_amount(p: &Param) -> Option<i64> {
    match p {
        Param::Json(Value::Number(n)) => n.as_i64(),
        p => {
            let s = as_str(p)?;
            let digits = s.strip_prefix('-').unwrap_or(s);
            (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        }
    }
}

/// The controller's checks, in its order; `Err` is the 400 answer.
fn check_write(req: &ApiRequest, w: &Workflow, require_all: bool) -> Result<(), Resp> {
    if let Some(p) = STATE_PARAMS.iter().find(|k| req.params.get(k).is_some()) {
        return Err(Resp::bad_request(&format!(
            "{p} cannot be changed through this endpoint."
        )));
    }
    let supplied: Vec<&str> = WRITE_PARAMS
        .iter()
        .copied()
        .filter(|k| req.params.get(k).is_some())
        .collect();
    if require_all {
        if let Some(missing) = WRITE_PARAMS.iter().find(|k| !supplied.contains(k)) {
            return Err(Resp::bad_request(&format!("{missing} is required.")));
        }
    } else if supplied.is_empty() {
        return Err(Resp::bad_request(
            "Provide at least one of: subject, body, delay_amount, or delay_unit.",
        ));
    }
    if let Some(s) = req.params.get("subject") {
        if as_str(s).is_none_or(|s| s.trim().is_empty()) {
            return Err(Resp::bad_request("subject must be a non-empty string."));
        }
    }
    if req.params.get("body").is_some_and(|b| as_str(b).is_none()) {
        return Err(Resp::bad_request("body must be a string."));
    }
    let amount = req.params.get("delay_amount");
    let unit = req.params.get("delay_unit");
    if amount.is_none() && unit.is_none() {
        return Ok(());
    }
    if w.workflow_type == "abandoned_cart" {
        return Err(Resp::bad_request(
            "delay cannot be changed for abandoned cart workflows.",
        ));
    }
    let (Some(amount), Some(unit)) = (amount, unit) else {
        return Err(Resp::bad_request(
            "delay_amount and delay_unit must be provided together.",
        ));
    };
    let amount = match delay_amount(amount) {
        Some(n) if n >= 0 => n as u64,
        _ => {
            return Err(Resp::bad_request(
                "delay_amount must be a non-negative integer.",
            ))
        }
    };
    let Some(unit) = as_str(unit).filter(|u| DELAY_UNITS.contains(u)) else {
        return Err(Resp::bad_request(
            "delay_unit must be one of: hour, day, week, month.",
        ));
    };
    if amount.saturating_mul(unit_seconds(unit)) > MAX_DELAY_SECONDS {
        // [unverified] InstallmentRule::OVERFLOW_DELAY_MESSAGE's wording.
        return Err(Resp::bad_request("The delay is too long."));
    }
    Ok(())
}

/// Applies the write and the model's save checks; `Err` is the first save error (400).
fn apply(req: &ApiRequest, e: &mut WorkflowEmail) -> Result<(), Resp> {
    if let Some(s) = req.params.get("subject").and_then(as_str) {
        e.subject = s.to_string();
    }
    if let Some(b) = req.params.get("body").and_then(as_str) {
        e.message = b.to_string();
    }
    if let (Some(a), Some(u)) = (
        req.params.get("delay_amount").and_then(delay_amount),
        req.params.get("delay_unit").and_then(as_str),
    ) {
        e.delay_amount = a.max(0) as u64;
        e.delay_unit = u.to_string();
    }
    let text: String = {
        let mut out = String::new();
        let mut in_tag = false;
        for c in e.message.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out
    };
    if text.trim().is_empty() && !e.message.contains("<img") {
        return Err(Resp::bad_request(
            "Please include a message as part of the update.",
        ));
    }
    if e.subject.chars().count() > 255 {
        return Err(Resp::bad_request(
            "Name is too long (maximum is 255 characters)",
        ));
    }
    e.updated_at = now_iso();
    Ok(())
}

/// `POST /workflows/:workflow_id/emails`: subject, body, delay_amount and delay_unit.
pub fn create_email(state: &mut State, req: &ApiRequest, wid: &str) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_emails"])?.clone();
    let wi = find(state, &caller.seller_id, wid)?;
    let w = state.data.storefront.workflows[wi].clone();
    if w.workflow_type == "abandoned_cart" {
        return Err(Resp::bad_request(
            "Emails cannot be added to abandoned cart workflows.",
        ));
    }
    check_write(req, &w, true)?;
    let now = now_iso();
    let mut e = WorkflowEmail {
        id: String::new(),
        // [unverified] A new email in a published workflow is published with it.
        published_at: w.published_at.as_ref().map(|_| now.clone()),
        send_emails: true,
        created_at: now.clone(),
        updated_at: now,
        ..WorkflowEmail::default()
    };
    apply(req, &mut e)?;
    e.id = state.new_id();
    let body = email_json(&w, &e, false);
    let wf = &mut state.data.storefront.workflows[wi];
    wf.emails.push(e);
    wf.updated_at = now_iso();
    Ok(Resp::success("email", body))
}

/// `PUT /workflows/:workflow_id/emails/:email_id`: at least one of the four fields.
pub fn update_email(
    state: &mut State,
    req: &ApiRequest,
    wid: &str,
    eid: &str,
) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_emails"])?.clone();
    let wi = find(state, &caller.seller_id, wid)?;
    let w = state.data.storefront.workflows[wi].clone();
    let Some(ei) = w.emails.iter().position(|e| e.id == eid && !e.deleted) else {
        return Ok(Resp::not_found("email"));
    };
    check_write(req, &w, false)?;
    let mut e = w.emails[ei].clone();
    apply(req, &mut e)?;
    let body = email_json(&w, &e, false);
    state.data.storefront.workflows[wi].emails[ei] = e;
    Ok(Resp::success("email", body))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::model_storefront::{
        WFE_CART_1, WFE_WELCOME_1, WFE_WELCOME_2, WF_ABANDONED_CART, WF_ADA, WF_SKETCH, WF_WELCOME,
    };
    use crate::seed::SELLER_A;
    use serde_json::{json, Value};

    fn bad(r: &(u16, Value), error: &str) {
        assert_eq!(r, &(400, json!({"status": 400, "error": error})));
    }

    #[test]
    fn list_and_show() {
        let mut s = state();
        let r = get(&mut s, "/workflows", john());
        assert_ok(&r);
        let ids: Vec<&str> = r.1["workflows"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|w| w["id"].as_str())
            .collect();
        assert_eq!(
            ids,
            [WF_SKETCH, WF_ABANDONED_CART, WF_WELCOME],
            "newest first"
        );
        assert!(r.1["workflows"][0].get("emails").is_none());
        assert_eq!(r.1["workflows"][2]["emails_count"], 2);
        let w = get(&mut s, &format!("/workflows/{WF_WELCOME}"), john()).1["workflow"].clone();
        assert_eq!(w["emails"][0]["id"], WFE_WELCOME_1);
        assert_eq!(w["emails"][1]["delay"], json!({"amount": 3, "unit": "day"}));
        assert_eq!(
            (
                w["emails"][0]["open_rate"].as_f64(),
                w["emails"][0]["state"].as_str()
            ),
            (Some(77.5), Some("published"))
        );
        let cart =
            get(&mut s, &format!("/workflows/{WF_ABANDONED_CART}"), john()).1["workflow"].clone();
        assert_eq!(
            (
                cart["audience_type"].as_str(),
                cart["emails"][0]["open_rate"].clone()
            ),
            (Some("abandoned_cart"), Value::Null)
        );
        assert_failure(
            &get(&mut s, &format!("/workflows/{WF_ADA}"), john()),
            "The workflow was not found.",
        );
        assert_empty_403(&get(
            &mut s,
            "/workflows",
            who(SELLER_A, &["view_public", "edit_profile"]),
        ));
    }

    #[test]
    fn add_and_update_emails() {
        let mut s = state();
        let path = format!("/workflows/{WF_WELCOME}/emails");
        let r = json(
            &mut s,
            "POST",
            &path,
            json!({"subject": "Day 7", "body": "<p>Still there?</p>", "delay_amount": 7, "delay_unit": "day"}),
            john(),
        );
        assert_ok(&r);
        let e = r.1["email"].clone();
        assert_eq!(
            (
                e["open_count"].clone(),
                e["click_rate"].clone(),
                e["delay"].clone()
            ),
            (
                Value::Null,
                Value::Null,
                json!({"amount": 7, "unit": "day"})
            )
        );
        assert_eq!(
            get(&mut s, &format!("/workflows/{WF_WELCOME}"), john()).1["workflow"]["emails_count"],
            3
        );
        let r = form(
            &mut s,
            "PUT",
            &format!("{path}/{WFE_WELCOME_2}"),
            &[("subject", "Tips")],
            john(),
        );
        assert_eq!(
            (
                r.1["email"]["subject"].as_str(),
                r.1["email"]["delay"]["amount"].as_u64()
            ),
            (Some("Tips"), Some(3))
        );
        let r = form(
            &mut s,
            "PUT",
            &format!("/workflows/{WF_ABANDONED_CART}/emails/{WFE_CART_1}"),
            &[("subject", "Come back")],
            john(),
        );
        assert_eq!(r.1["email"]["subject"], "Come back");
        assert_failure(
            &form(
                &mut s,
                "PUT",
                &format!("{path}/nope"),
                &[("subject", "x")],
                john(),
            ),
            "The email was not found.",
        );
        assert_failure(
            &form(
                &mut s,
                "POST",
                "/workflows/nope/emails",
                &[("subject", "x")],
                john(),
            ),
            "The workflow was not found.",
        );
        assert_empty_403(&form(
            &mut s,
            "POST",
            &path,
            &[],
            who(SELLER_A, &["edit_products"]),
        ));
    }

    #[test]
    fn write_errors_are_400s() {
        let mut s = state();
        let path = format!("/workflows/{WF_WELCOME}/emails");
        let all =
            json!({"subject": "s", "body": "<p>b</p>", "delay_amount": 1, "delay_unit": "day"});
        let with = |k: &str, v: Value| {
            let mut b = all.clone();
            b[k] = v;
            b
        };
        bad(
            &json(
                &mut s,
                "POST",
                &format!("/workflows/{WF_ABANDONED_CART}/emails"),
                all.clone(),
                john(),
            ),
            "Emails cannot be added to abandoned cart workflows.",
        );
        bad(
            &json(&mut s, "POST", &path, with("publish", json!(true)), john()),
            "publish cannot be changed through this endpoint.",
        );
        bad(
            &json(
                &mut s,
                "POST",
                &path,
                json!({"subject": "s", "body": "b"}),
                john(),
            ),
            "delay_amount is required.",
        );
        bad(
            &json(&mut s, "POST", &path, with("subject", json!("  ")), john()),
            "subject must be a non-empty string.",
        );
        bad(
            &json(&mut s, "POST", &path, with("body", json!(5)), john()),
            "body must be a string.",
        );
        bad(
            &json(
                &mut s,
                "POST",
                &path,
                with("delay_amount", json!("-1")),
                john(),
            ),
            "delay_amount must be a non-negative integer.",
        );
        bad(
            &json(
                &mut s,
                "POST",
                &path,
                with("delay_amount", json!("1.5")),
                john(),
            ),
            "delay_amount must be a non-negative integer.",
        );
        bad(
            &json(
                &mut s,
                "POST",
                &path,
                with("delay_unit", json!("year")),
                john(),
            ),
            "delay_unit must be one of: hour, day, week, month.",
        );
        bad(
            &json(
                &mut s,
                "POST",
                &path,
                json!({"subject": "s", "body": "<p>b</p>", "delay_amount": 900, "delay_unit": "month"}),
                john(),
            ),
            "The delay is too long.",
        );
        bad(
            &json(&mut s, "POST", &path, with("body", json!("")), john()),
            "Please include a message as part of the update.",
        );
        let one = format!("{path}/{WFE_WELCOME_1}");
        bad(
            &json(&mut s, "PUT", &one, json!({}), john()),
            "Provide at least one of: subject, body, delay_amount, or delay_unit.",
        );
        bad(
            &json(&mut s, "PUT", &one, json!({"delay_amount": 2}), john()),
            "delay_amount and delay_unit must be provided together.",
        );
        bad(
            &json(
                &mut s,
                "PUT",
                &format!("/workflows/{WF_ABANDONED_CART}/emails/{WFE_CART_1}"),
                json!({"delay_amount": 2, "delay_unit": "day"}),
                john(),
            ),
            "delay cannot be changed for abandoned cart workflows.",
        );
        bad(
            &json(
                &mut s,
                "PUT",
                &one,
                json!({"send_to_past_customers": true}),
                john(),
            ),
            "send_to_past_customers cannot be changed through this endpoint.",
        );
    }
}
