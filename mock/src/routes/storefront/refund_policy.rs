//! `GET`/`PUT /refund_policy`: the account-level refund policy.

use serde_json::{json, Value};

use super::{profile, profile_mut};
use crate::http::Resp;
use crate::render;
use crate::routes::{ApiRequest, READ_SCOPES};
use crate::state::State;

const PERIOD_CHOICES: &str = "Refund period must be one of: 7, 14, 30, 183.";
const MAX_FINE_PRINT: usize = 3000;

fn policy_json(state: &State, seller_id: &str) -> Value {
    let r = profile(state, seller_id).refund_policy;
    json!({
        "refund_period": render::refund_period_name(r.max_refund_period_in_days),
        "title": render::refund_policy_title(r.max_refund_period_in_days),
        "fine_print": r.fine_print,
        "in_effect": r.in_effect,
    })
}

pub fn show(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = req.require(READ_SCOPES)?;
    Ok(Resp::success(
        "refund_policy",
        policy_json(state, &caller.seller_id),
    ))
}

/// Rails' `strip_tags`, enough for fine print.
fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// `PUT /refund_policy`: `refund_period` (7, 14, 30, 183) and optional `fine_print`.
pub fn update(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_products"])?.clone();
    if !profile(state, &caller.seller_id).refund_policy.in_effect {
        return Ok(Resp::failure(
            "The account-level refund policy is not in effect for this seller.",
        ));
    }
    let Some(period) = req
        .params
        .text("refund_period")
        .filter(|p| !p.trim().is_empty())
    else {
        return Ok(Resp::failure("Refund period is required."));
    };
    let days = match period.as_str() {
        "7" => 7,
        "14" => 14,
        "30" => 30,
        "183" => 183,
        // "none", "0" and anything else fail the model's inclusion check.
        _ => return Ok(Resp::failure(PERIOD_CHOICES)),
    };
    let fine = req
        .params
        .get("fine_print")
        .map(|f| strip_tags(&f.as_text()));
    if fine
        .as_ref()
        .is_some_and(|f| f.chars().count() > MAX_FINE_PRINT)
    {
        return Ok(Resp::failure(&format!(
            "Fine print is too long (maximum is {MAX_FINE_PRINT} characters)"
        )));
    }
    let r = &mut profile_mut(state, &caller.seller_id).refund_policy;
    r.max_refund_period_in_days = days;
    if let Some(f) = fine {
        r.fine_print = Some(f).filter(|f| !f.trim().is_empty());
    }
    Ok(Resp::success(
        "refund_policy",
        policy_json(state, &caller.seller_id),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::seed::SELLER_A;
    use serde_json::{json, Value};

    #[test]
    fn show_and_update() {
        let mut s = state();
        let r = get(&mut s, "/refund_policy", who(SELLER_A, &["view_public"]));
        assert_eq!(
            r.1["refund_policy"],
            json!({"refund_period": "30", "title": "30-day money back guarantee", "fine_print": "Refunds within 30 days, no questions asked.", "in_effect": true})
        );
        let r = form(
            &mut s,
            "PUT",
            "/refund_policy",
            &[("refund_period", "14"), ("fine_print", "<b>Ask</b> first")],
            john(),
        );
        assert_eq!(r.1["refund_policy"]["refund_period"], "14");
        assert_eq!(r.1["refund_policy"]["fine_print"], "Ask first");
        let r = json(
            &mut s,
            "PATCH",
            "/refund_policy",
            json!({"refund_period": 183, "fine_print": ""}),
            john(),
        );
        assert_eq!(
            (
                r.1["refund_policy"]["title"].as_str(),
                r.1["refund_policy"]["fine_print"].clone()
            ),
            (Some("6-month money back guarantee"), Value::Null)
        );
        for (period, msg) in [
            ("", "Refund period is required."),
            ("none", "Refund period must be one of: 7, 14, 30, 183."),
            ("0", "Refund period must be one of: 7, 14, 30, 183."),
        ] {
            assert_failure(
                &form(
                    &mut s,
                    "PUT",
                    "/refund_policy",
                    &[("refund_period", period)],
                    john(),
                ),
                msg,
            );
        }
        let long = "x".repeat(3001);
        assert_failure(
            &form(
                &mut s,
                "PUT",
                "/refund_policy",
                &[("refund_period", "7"), ("fine_print", &long)],
                john(),
            ),
            "Fine print is too long (maximum is 3000 characters)",
        );
        assert_failure(
            &form(
                &mut s,
                "PUT",
                "/refund_policy",
                &[("refund_period", "7")],
                ada(),
            ),
            "The account-level refund policy is not in effect for this seller.",
        );
        let r = get(&mut s, "/refund_policy", ada());
        assert_eq!(
            (
                r.1["refund_policy"]["in_effect"].as_bool(),
                r.1["refund_policy"]["refund_period"].as_str()
            ),
            (Some(false), Some("14"))
        );
        assert_empty_403(&form(
            &mut s,
            "PUT",
            "/refund_policy",
            &[("refund_period", "7")],
            who(SELLER_A, &["view_public"]),
        ));
        assert_empty_403(&get(
            &mut s,
            "/refund_policy",
            who(SELLER_A, &["edit_profile"]),
        ));
    }
}
