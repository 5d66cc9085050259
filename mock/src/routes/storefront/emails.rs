//! `/emails`: the seller's audience posts (not workflow emails): list (10 per page), create,
//! show, delete, preview, send, schedule, unschedule. Scope `edit_emails` throughout.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::{ar_bool, parameterize, parse_time, present, profile};
use crate::http::Resp;
use crate::model_storefront::Email;
use crate::routes::paging::{self, key_of, numeric_id};
use crate::routes::ApiRequest;
use crate::state::now_unix;
use crate::state::{iso_from_unix, now_iso, State};

const PER_PAGE: usize = 10;
const ALREADY_SENT: &str = "The email has already been sent.";

fn state_name(e: &Email) -> &'static str {
    if e.published_at.is_some() {
        "published"
    } else if e.scheduled_at.is_some() {
        "scheduled"
    } else {
        "draft"
    }
}

fn public_url(state: &State, e: &Email) -> Option<String> {
    let seller = state.seller(&e.seller_id)?;
    Some(format!(
        "https://{}.gumroad.com/p/{}",
        seller.username, e.slug
    ))
}

fn email_json(state: &State, e: &Email) -> Value {
    let published = e.published_at.is_some();
    let mut v = json!({
        "id": e.id,
        "subject": e.subject,
        "message": e.message,
        "audience_type": e.audience_type,
        "product_id": e.product_id,
        "state": state_name(e),
        "published_at": e.published_at,
    });
    if state_name(e) == "scheduled" {
        v["scheduled_at"] = json!(e.scheduled_at);
    }
    for (k, x) in [
        ("send_emails", json!(e.send_emails)),
        ("shown_on_profile", json!(e.shown_on_profile)),
        ("audience_count", Value::Null),
        (
            "recipients_count",
            if published {
                json!(e.recipients_count.unwrap_or(0))
            } else {
                Value::Null
            },
        ),
        (
            "url",
            if published {
                json!(public_url(state, e))
            } else {
                Value::Null
            },
        ),
        ("created_at", json!(e.created_at)),
        ("updated_at", json!(e.updated_at)),
    ] {
        v[k] = x;
    }
    v
}

fn find(state: &State, seller_id: &str, id: &str) -> Result<usize, Resp> {
    state
        .data
        .storefront
        .emails
        .iter()
        .position(|e| e.id == id && e.seller_id == seller_id && !e.deleted)
        .ok_or_else(|| Resp::not_found("email"))
}

/// `GET /emails[?type=][&page_key=]`: newest first, 10 per page.
pub fn list(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_emails"])?.clone();
    let wanted = match req.params.text("type").as_deref() {
        None => None,
        Some(t @ ("published" | "scheduled" | "draft")) => Some(t.to_string()),
        Some(_) => {
            return Err(Resp::bad_request(
                "Invalid type. Valid values are: published, scheduled, draft.",
            ))
        }
    };
    let items: Vec<_> = state
        .data
        .storefront
        .emails
        .iter()
        .filter(|e| e.seller_id == caller.seller_id && !e.deleted)
        .filter(|e| wanted.as_deref().is_none_or(|w| state_name(e) == w))
        .map(|e| (key_of(&e.created_at, numeric_id(&e.id)), e))
        .collect();
    let page = paging::paginate(items, &req.params, PER_PAGE)?;
    let emails: Vec<Value> = page.items.iter().map(|e| email_json(state, e)).collect();
    let mut body = json!({"success": true, "emails": emails});
    if let Some(next) = &page.next {
        body["next_page_key"] = json!(paging::format_key(next));
        body["next_page_url"] = json!(paging::next_url("/emails", &req.params, next));
    }
    Ok(Resp::ok(body))
}

pub fn show(state: &mut State, req: &ApiRequest, id: &str) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_emails"])?;
    let i = find(state, &caller.seller_id, id)?;
    Ok(Resp::success(
        "email",
        email_json(state, &state.data.storefront.emails[i]),
    ))
}

/// How many people a published email went to.
fn recipients(state: &State, e: &Email) -> u64 {
    let seller_products: Vec<&str> = state
        .data
        .products
        .iter()
        .filter(|p| p.seller_id == e.seller_id)
        .map(|p| p.id.as_str())
        .collect();
    let customers = |only: Option<&str>| -> u64 {
        state
            .data
            .sales
            .iter()
            .filter(|s| !s.refunded && !s.chargebacked)
            .filter(|s| match only {
                Some(pid) => s.product_id == pid,
                None => seller_products.contains(&s.product_id.as_str()),
            })
            .map(|s| s.email.to_ascii_lowercase())
            .collect::<BTreeSet<_>>()
            .len() as u64
    };
    let followers = profile(state, &e.seller_id).followers_count;
    match e.audience_type.as_str() {
        "audience" => customers(None) + followers,
        "seller" => customers(None),
        "follower" => followers,
        "product" => customers(e.product_id.as_deref()),
        _ => 0,
    }
}

/// `Installment#message_must_be_provided` (on the message with tags stripped).
fn message_error(e: &Email) -> Option<&'static str> {
    let mut text = String::new();
    let mut in_tag = false;
    for c in e.message.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let has_media = e.message.contains("<img") || e.message.contains("<video");
    (text.trim().is_empty() && !has_media)
        .then_some("Please include a message as part of the update.")
}

fn publish(state: &State, e: &mut Email) {
    let now = now_iso();
    e.published_at.get_or_insert(now.clone());
    e.scheduled_at = None;
    e.send_emails = true;
    e.blasted = true;
    e.updated_at = now;
    e.recipients_count = Some(recipients(state, e));
}

fn unique_slug(state: &State, seller_id: &str, subject: &str) -> String {
    let base = parameterize(subject);
    let base = if base.is_empty() { "post".into() } else { base };
    let taken = |s: &str| {
        state
            .data
            .storefront
            .emails
            .iter()
            .any(|e| e.seller_id == seller_id && e.slug == s)
    };
    if !taken(&base) {
        return base;
    }
    (2u64..)
        .map(|n| format!("{base}-{n}"))
        .find(|c| !taken(c))
        .unwrap_or(base)
}

/// `POST /emails`: `subject`, `body`, `audience`, `product_id`/`link_id`; `publish=true` or
/// `draft=false` sends it now.
pub fn create(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_emails"])?.clone();
    let audience = req
        .params
        .get("audience")
        .filter(|p| present(p))
        .map(|p| p.as_text().to_ascii_lowercase())
        .unwrap_or_else(|| "all".into());
    let audience_type = match audience.as_str() {
        "all" | "audience" => "audience",
        "customers" | "seller" => "seller",
        "followers" | "follower" => "follower",
        "product" => "product",
        _ => return Ok(Resp::failure("Invalid audience. Valid values are: all, audience, customers, seller, followers, follower, product.")),
    };
    let product_id = if audience_type == "product" {
        let wanted = ["product_id", "link_id"].iter().find_map(|k| {
            req.params
                .get(k)
                .filter(|p| present(p))
                .map(|p| p.as_text())
        });
        let Some(wanted) = wanted else {
            return Ok(Resp::failure(
                "Product audience requires a product_id or link_id.",
            ));
        };
        let found = state.data.products.iter().find(|p| {
            p.seller_id == caller.seller_id
                && !p.deleted
                && (p.id == wanted || p.unique_permalink == wanted)
        });
        match found {
            Some(p) => Some(p.id.clone()),
            None => return Ok(Resp::failure("Product not found.")),
        }
    } else {
        None
    };
    let publish_now = req.params.get("publish").and_then(ar_bool) == Some(true)
        || req.params.get("draft").and_then(ar_bool) == Some(false);
    let subject = req
        .params
        .get("subject")
        .map(|p| p.as_text())
        .filter(|s| !s.is_empty());
    let now = now_iso();
    let mut e = Email {
        id: String::new(),
        seller_id: caller.seller_id.clone(),
        slug: unique_slug(
            state,
            &caller.seller_id,
            subject.as_deref().unwrap_or_default(),
        ),
        subject,
        message: req
            .params
            .get("body")
            .map(|p| p.as_text())
            .unwrap_or_default(),
        audience_type: audience_type.into(),
        product_id,
        send_emails: true,
        created_at: now.clone(),
        updated_at: now,
        ..Email::default()
    };
    if let Some(m) = message_error(&e) {
        return Ok(Resp::failure(m));
    }
    if publish_now {
        publish(state, &mut e);
    }
    e.id = state.new_id();
    let body = email_json(state, &e);
    state.data.storefront.emails.push(e);
    Ok(Resp::success("email", body))
}

pub fn delete(state: &mut State, req: &ApiRequest, id: &str) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_emails"])?.clone();
    let i = find(state, &caller.seller_id, id)?;
    let e = &mut state.data.storefront.emails[i];
    e.deleted = true;
    e.updated_at = now_iso();
    Ok(Resp::deleted("email"))
}

/// `POST /emails/:id/preview|send|schedule|unschedule`.
pub fn action(state: &mut State, req: &ApiRequest, id: &str, action: &str) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_emails"])?.clone();
    let i = find(state, &caller.seller_id, id)?;
    let mut e = state.data.storefront.emails[i].clone();
    match action {
        "preview" => {
            let preview_url = if e.published_at.is_some() {
                public_url(state, &e)
            } else {
                // [unverified] The dashboard host of `edit_email_url`.
                Some(format!(
                    "https://app.gumroad.com/emails/{}/edit?preview_post=true",
                    e.id
                ))
            };
            return Ok(Resp::ok(json!({
                "success": true,
                "email": email_json(state, &e),
                "preview_url": preview_url,
                "message": "A preview has been sent to your email.",
            })));
        }
        "send" => {
            if e.blasted {
                return Ok(Resp::failure(ALREADY_SENT));
            }
            if e.published_at.is_none() && e.scheduled_at.is_some() {
                return Ok(Resp::failure(
                    "The email is scheduled to be sent at its scheduled time.",
                ));
            }
            if let Some(m) = message_error(&e) {
                return Ok(Resp::failure(m));
            }
            publish(state, &mut e);
        }
        "schedule" => {
            if e.blasted || e.published_at.is_some() {
                return Ok(Resp::failure(ALREADY_SENT));
            }
            let Some(at) = req.params.get("to_be_published_at").filter(|p| present(p)) else {
                return Ok(Resp::failure(
                    "The to_be_published_at parameter is required.",
                ));
            };
            let Some(t) = parse_time(&at.as_text()) else {
                return Ok(Resp::failure("Please provide a valid date and time."));
            };
            if t <= now_unix() {
                return Ok(Resp::failure(
                    "Please select a date and time in the future.",
                ));
            }
            if let Some(m) = message_error(&e) {
                return Ok(Resp::failure(m));
            }
            e.scheduled_at = Some(iso_from_unix(t));
            e.updated_at = now_iso();
        }
        _ => {
            if e.blasted || e.published_at.is_some() {
                return Ok(Resp::failure(ALREADY_SENT));
            }
            if e.scheduled_at.is_none() {
                return Ok(Resp::failure("This email is not scheduled."));
            }
            e.scheduled_at = None;
            e.updated_at = now_iso();
        }
    }
    let body = email_json(state, &e);
    state.data.storefront.emails[i] = e;
    Ok(Resp::success("email", body))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::model_storefront::{EMAILS_JOHN, EMAIL_ADA};
    use crate::seed::{P1_PENCIL, SELLER_A};
    use serde_json::{json, Value};

    #[test]
    fn list_pages_filters_and_scopes() {
        let mut s = state();
        let r = get(&mut s, "/emails", john());
        assert_ok(&r);
        let ids: Vec<&str> = r.1["emails"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e["id"].as_str())
            .collect();
        assert_eq!(ids.len(), 10);
        assert_eq!(ids[0], EMAILS_JOHN[12], "newest first");
        let key = r.1["next_page_key"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(r.1["next_page_url"]
            .as_str()
            .is_some_and(|u| u.starts_with("/v2/emails?page_key=")));
        let r = form(&mut s, "GET", "/emails", &[("page_key", &key)], john());
        assert_eq!(r.1["emails"].as_array().map(Vec::len), Some(3));
        assert!(r.1.get("next_page_key").is_none());
        let r = form(&mut s, "GET", "/emails", &[("type", "scheduled")], john());
        assert_eq!(r.1["emails"].as_array().map(Vec::len), Some(2));
        assert_eq!(r.1["emails"][0]["scheduled_at"], "2099-01-01T09:00:00Z");
        let r = form(&mut s, "GET", "/emails", &[("type", "draft")], john());
        assert!(r.1["emails"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["state"] == "draft" && e.get("scheduled_at").is_none()));
        assert_eq!(
            form(&mut s, "GET", "/emails", &[("type", "sent")], john()),
            (
                400,
                json!({"status": 400, "error": "Invalid type. Valid values are: published, scheduled, draft."})
            )
        );
        assert_eq!(
            form(&mut s, "GET", "/emails", &[("page_key", "x")], john()).0,
            400
        );
        assert_empty_403(&get(
            &mut s,
            "/emails",
            who(SELLER_A, &["view_public", "edit_products"]),
        ));
        assert_ok(&get(&mut s, "/emails", who(SELLER_A, &["account"])));
    }

    #[test]
    fn show_and_shape() {
        let mut s = state();
        let e = get(&mut s, &format!("/emails/{}", EMAILS_JOHN[0]), john()).1["email"].clone();
        assert_eq!(
            (e["state"].as_str(), e["url"].as_str()),
            (
                Some("published"),
                Some("https://sailorjohn.gumroad.com/p/welcome-to-pencil-club")
            )
        );
        assert!(e["recipients_count"].is_u64());
        assert_eq!(e["audience_count"], Value::Null);
        let d = get(&mut s, &format!("/emails/{}", EMAILS_JOHN[10]), john()).1["email"].clone();
        assert_eq!(
            (d["url"].clone(), d["recipients_count"].clone()),
            (Value::Null, Value::Null)
        );
        assert_failure(
            &get(&mut s, &format!("/emails/{EMAIL_ADA}"), john()),
            "The email was not found.",
        );
    }

    #[test]
    fn create_draft_or_publish() {
        let mut s = state();
        let r = form(
            &mut s,
            "POST",
            "/emails",
            &[("subject", "Launch update"), ("body", "<p>Hello</p>")],
            john(),
        );
        assert_ok(&r);
        assert_eq!(
            (
                r.1["email"]["state"].as_str(),
                r.1["email"]["send_emails"].as_bool(),
                r.1["email"]["audience_type"].as_str()
            ),
            (Some("draft"), Some(true), Some("audience"))
        );
        let r = form(
            &mut s,
            "POST",
            "/emails",
            &[
                ("subject", "Now"),
                ("body", "<p>Hi</p>"),
                ("draft", "false"),
                ("audience", "customers"),
            ],
            john(),
        );
        assert_eq!(
            (
                r.1["email"]["state"].as_str(),
                r.1["email"]["audience_type"].as_str()
            ),
            (Some("published"), Some("seller"))
        );
        let r = form(
            &mut s,
            "POST",
            "/emails",
            &[("subject", "x"), ("body", "<p>Hi</p>"), ("draft", "")],
            john(),
        );
        assert_eq!(r.1["email"]["state"], "draft");
        let r = json(
            &mut s,
            "POST",
            "/emails",
            json!({"subject": "P", "body": "<p>Hi</p>", "audience": "product", "link_id": "QMGY", "publish": true}),
            john(),
        );
        assert_eq!(
            (
                r.1["email"]["product_id"].as_str(),
                r.1["email"]["state"].as_str()
            ),
            (Some(P1_PENCIL), Some("published"))
        );
        assert_failure(&form(&mut s, "POST", "/emails", &[("body", "x"), ("audience", "everyone")], john()), "Invalid audience. Valid values are: all, audience, customers, seller, followers, follower, product.");
        assert_failure(
            &form(
                &mut s,
                "POST",
                "/emails",
                &[("body", "x"), ("audience", "product")],
                john(),
            ),
            "Product audience requires a product_id or link_id.",
        );
        assert_failure(
            &form(
                &mut s,
                "POST",
                "/emails",
                &[
                    ("body", "x"),
                    ("audience", "product"),
                    ("product_id", "nope"),
                ],
                john(),
            ),
            "Product not found.",
        );
        assert_failure(
            &form(
                &mut s,
                "POST",
                "/emails",
                &[("subject", "x"), ("body", "<p><br></p>")],
                john(),
            ),
            "Please include a message as part of the update.",
        );
        assert_empty_403(&form(
            &mut s,
            "POST",
            "/emails",
            &[("body", "x")],
            who(SELLER_A, &["edit_products"]),
        ));
    }

    #[test]
    fn send_schedule_unschedule_preview_delete() {
        let mut s = state();
        let path = |i: usize, a: &str| format!("/emails/{}/{a}", EMAILS_JOHN[i]);
        // A draft: preview, schedule, unschedule, send.
        let r = form(&mut s, "POST", &path(10, "preview"), &[], john());
        assert_eq!(r.1["message"], "A preview has been sent to your email.");
        assert!(r.1["preview_url"]
            .as_str()
            .is_some_and(|u| u.ends_with("/edit?preview_post=true")));
        assert_failure(
            &form(&mut s, "POST", &path(10, "schedule"), &[], john()),
            "The to_be_published_at parameter is required.",
        );
        assert_failure(
            &form(
                &mut s,
                "POST",
                &path(10, "schedule"),
                &[("to_be_published_at", "not-a-time")],
                john(),
            ),
            "Please provide a valid date and time.",
        );
        assert_failure(
            &form(
                &mut s,
                "POST",
                &path(10, "schedule"),
                &[("to_be_published_at", "2001-01-01T00:00:00Z")],
                john(),
            ),
            "Please select a date and time in the future.",
        );
        let r = form(
            &mut s,
            "POST",
            &path(10, "schedule"),
            &[("to_be_published_at", "2098-05-01 10:00:00 +02:00")],
            john(),
        );
        assert_eq!(
            (
                r.1["email"]["state"].as_str(),
                r.1["email"]["scheduled_at"].as_str()
            ),
            (Some("scheduled"), Some("2098-05-01T08:00:00Z"))
        );
        assert_failure(
            &form(&mut s, "POST", &path(10, "send"), &[], john()),
            "The email is scheduled to be sent at its scheduled time.",
        );
        assert_eq!(
            form(&mut s, "POST", &path(10, "unschedule"), &[], john()).1["email"]["state"],
            "draft"
        );
        assert_failure(
            &form(&mut s, "POST", &path(10, "unschedule"), &[], john()),
            "This email is not scheduled.",
        );
        let r = form(&mut s, "POST", &path(10, "send"), &[], john());
        assert_eq!(r.1["email"]["state"], "published");
        assert_failure(
            &form(&mut s, "POST", &path(10, "send"), &[], john()),
            "The email has already been sent.",
        );
        assert_failure(
            &form(
                &mut s,
                "POST",
                &path(10, "schedule"),
                &[("to_be_published_at", "2099-01-01")],
                john(),
            ),
            "The email has already been sent.",
        );
        // The profile-only post was published without a blast: it can still be sent.
        assert_ok(&form(&mut s, "POST", &path(4, "send"), &[], john()));
        assert_failure(
            &form(&mut s, "POST", &path(0, "unschedule"), &[], john()),
            "The email has already been sent.",
        );
        assert_eq!(
            form(
                &mut s,
                "DELETE",
                &format!("/emails/{}", EMAILS_JOHN[11]),
                &[],
                john()
            )
            .1,
            json!({"success": true, "message": "The email was deleted successfully."})
        );
        assert_failure(
            &form(&mut s, "POST", &path(11, "send"), &[], john()),
            "The email was not found.",
        );
        assert_eq!(
            form(&mut s, "POST", &path(1, "publish"), &[], john()).0,
            404,
            "unknown action"
        );
        assert_empty_403(&form(
            &mut s,
            "POST",
            &path(1, "preview"),
            &[],
            who(SELLER_A, &["view_sales"]),
        ));
    }
}
