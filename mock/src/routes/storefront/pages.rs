//! `/pages`: the seller's slugged storefront pages, addressed by slug. Writes need
//! `edit_profile` itself (strict) and a confirmed e-mail address.

use serde_json::{json, Value};

use super::sanitize;
use super::{
    as_str, custom_html_too_long, html_escape, parameterize, profile, require_strict, to_sentence,
    MAX_CUSTOM_HTML, NO_CUSTOM_HTML, UNCONFIRMED,
};
use crate::http::{Param, Resp};
use crate::model_storefront::{Page, FEATURE_CUSTOM_HTML};
use crate::routes::{ApiRequest, READ_SCOPES};
use crate::state::{now_iso, Caller, State};

const MAX_TITLE: usize = 255;
const MAX_SLUG: usize = 100;
const MAX_CONTENT: usize = 500_000;
/// `Page::RESERVED_SLUGS`: paths the storefront already routes.
const RESERVED: &[&str] = &[
    "affiliate_requests",
    "affiliates",
    "braintree",
    "checkout",
    "coffee",
    "confirm",
    "confirm-redirect",
    "consumption_analytics",
    "d",
    "edit",
    "follow",
    "integrations",
    "l",
    "landing",
    "library",
    "media_locations",
    "p",
    "pages",
    "posts",
    "posts_paginated",
    "product_reviews",
    "products",
    "purchases",
    "r",
    "read",
    "s",
    "save_to_library",
    "signup",
    "subscribe",
    "subscribe_preview",
    "updates",
    "wishlists",
    "zip",
];

fn page_json(state: &State, p: &Page) -> Value {
    let url = state
        .seller(&p.seller_id)
        .filter(|s| !s.username.is_empty())
        .map(|s| format!("https://{}.gumroad.com/{}", s.username, p.slug));
    json!({
        "slug": p.slug,
        "title": p.title,
        "content": p.content,
        "custom_html": p.custom_html,
        "url": url,
        "created_at": p.created_at,
        "updated_at": p.updated_at,
    })
}

fn find(state: &State, seller_id: &str, slug: &str) -> Result<usize, Resp> {
    state
        .data
        .storefront
        .pages
        .iter()
        .position(|p| p.seller_id == seller_id && p.slug == slug)
        .ok_or_else(|| Resp::not_found("page"))
}

pub fn list(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = req.require(READ_SCOPES)?;
    let pages: Vec<Value> = state
        .data
        .storefront
        .pages
        .iter()
        .filter(|p| p.seller_id == caller.seller_id)
        .map(|p| page_json(state, p))
        .collect();
    Ok(Resp::success("pages", Value::Array(pages)))
}

pub fn show(state: &mut State, req: &ApiRequest, slug: &str) -> Result<Resp, Resp> {
    let caller = req.require(READ_SCOPES)?;
    let i = find(state, &caller.seller_id, slug)?;
    let p = &state.data.storefront.pages[i];
    // The stored custom HTML, or a standalone render of the rich text page.
    let rendered = match &p.custom_html {
        Some(h) => h.clone(),
        None => format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title></head><body><main><h1>{title}</h1>{content}</main></body></html>",
            title = html_escape(&p.title),
            content = p.content.as_deref().unwrap_or_default()
        ),
    };
    Ok(Resp::ok(json!({
        "success": true,
        "page": page_json(state, p),
        "rendered_html": rendered,
    })))
}

/// Strict `edit_profile`, then the confirmed-e-mail check of every write.
fn writer<'a>(state: &State, req: &'a ApiRequest) -> Result<&'a Caller, Resp> {
    let caller = require_strict(req, "edit_profile")?;
    if !profile(state, &caller.seller_id).email_confirmed {
        return Err(Resp::failure(UNCONFIRMED));
    }
    Ok(caller)
}

/// What the request writes: `Some(content)` / `Some(custom_html)` (inner `None` clears).
struct Body {
    content: Option<Option<String>>,
    custom_html: Option<Option<String>>,
}

/// `validate_content_params`: one representation per request, strings only, the feature
/// gate for custom HTML, and its length.
fn body(state: &State, req: &ApiRequest, seller_id: &str) -> Result<Body, Resp> {
    let content = req.params.get("content");
    let html = req.params.get("custom_html");
    if content.is_some() && html.is_some() {
        return Err(Resp::failure(
            "Send either content or custom_html, not both.",
        ));
    }
    let string_or_null = |p: &Param, msg: &str| -> Result<Option<String>, Resp> {
        match p {
            Param::Json(Value::Null) => Ok(None),
            p => as_str(p)
                .map(|s| Some(s.to_string()))
                .ok_or_else(|| Resp::failure(msg)),
        }
    };
    let content = content
        .map(|p| string_or_null(p, "content must be a string."))
        .transpose()?;
    let custom_html = match html {
        None => None,
        Some(p) => {
            let h = string_or_null(p, "custom_html must be a string.")?;
            if !profile(state, seller_id).has_feature(FEATURE_CUSTOM_HTML) {
                return Err(Resp::failure(NO_CUSTOM_HTML));
            }
            if h.as_deref().unwrap_or_default().chars().count() > MAX_CUSTOM_HTML {
                return Err(Resp::failure(&custom_html_too_long()));
            }
            Some(h)
        }
    };
    Ok(Body {
        content,
        custom_html,
    })
}

/// Writing one representation clears the other; blank values are stored as none.
fn assign(p: &mut Page, b: Body) {
    let presence = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    if let Some(h) = b.custom_html {
        p.custom_html = presence(h).and_then(|h| sanitize::replace_page(Some(&h)).0);
        p.content = None;
    } else if let Some(c) = b.content {
        p.content = presence(c);
        p.custom_html = None;
    }
}

/// The model's validations of a slugged page, as full messages.
fn validate(state: &State, p: &Page, own_index: Option<usize>) -> Vec<String> {
    let mut e = vec![];
    if p.content.as_deref().unwrap_or_default().chars().count() > MAX_CONTENT {
        e.push(format!(
            "Content is too long (maximum is {MAX_CONTENT} characters)"
        ));
    }
    if p.title.trim().is_empty() {
        e.push("Title can't be blank".into());
    }
    if p.title.chars().count() > MAX_TITLE {
        e.push(format!(
            "Title is too long (maximum is {MAX_TITLE} characters)"
        ));
    }
    if p.slug.chars().count() > MAX_SLUG {
        e.push(format!(
            "Slug is too long (maximum is {MAX_SLUG} characters)"
        ));
    }
    if !slug_format_ok(&p.slug) {
        e.push("Slug can only contain lowercase letters, numbers, and hyphens".into());
    }
    if RESERVED.contains(&p.slug.as_str()) {
        e.push("Slug is reserved".into());
    }
    let taken = state
        .data
        .storefront
        .pages
        .iter()
        .enumerate()
        .any(|(i, o)| Some(i) != own_index && o.seller_id == p.seller_id && o.slug == p.slug);
    if taken {
        e.push("Slug has already been taken".into());
    }
    e
}

/// `^[a-z0-9]+(-[a-z0-9]+)*$`.
fn slug_format_ok(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Cuts a slug to `max` characters without leaving a trailing hyphen.
fn truncate_slug(s: &str, max: usize) -> String {
    let cut: String = s.chars().take(max).collect();
    cut.trim_end_matches('-').to_string()
}

/// `Page.generate_slug_for`: the parameterized title (`page` if nothing is left), numbered
/// `-2`, `-3`, ... while taken or reserved.
fn generate_slug(state: &State, seller_id: &str, title: &str) -> String {
    let base = parameterize(title);
    let base = if base.is_empty() { "page".into() } else { base };
    let base = truncate_slug(&base, MAX_SLUG);
    let taken = |slug: &str| {
        RESERVED.contains(&slug)
            || state
                .data
                .storefront
                .pages
                .iter()
                .any(|p| p.seller_id == seller_id && p.slug == slug)
    };
    if !taken(&base) {
        return base;
    }
    (2u64..)
        .map(|n| {
            let suffix = format!("-{n}");
            format!("{}{suffix}", truncate_slug(&base, MAX_SLUG - suffix.len()))
        })
        .find(|c| !taken(c))
        .unwrap_or(base)
}

pub fn create(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = writer(state, req)?.clone();
    let title = req
        .params
        .get("title")
        .and_then(as_str)
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(String::from);
    let Some(title) = title else {
        return Ok(Resp::failure("title is required."));
    };
    let b = body(state, req, &caller.seller_id)?;
    let slug = req
        .params
        .get("slug")
        .and_then(as_str)
        .filter(|s| !s.trim().is_empty())
        .map(String::from)
        .unwrap_or_else(|| generate_slug(state, &caller.seller_id, &title));
    let now = now_iso();
    let mut page = Page {
        seller_id: caller.seller_id.clone(),
        slug,
        title,
        content: None,
        custom_html: None,
        created_at: now.clone(),
        updated_at: now,
    };
    assign(&mut page, b);
    let errors = validate(state, &page, None);
    if !errors.is_empty() {
        return Ok(Resp::failure(&to_sentence(&errors)));
    }
    let body = page_json(state, &page);
    state.data.storefront.pages.push(page);
    Ok(Resp::success("page", body))
}

pub fn update(state: &mut State, req: &ApiRequest, slug: &str) -> Result<Resp, Resp> {
    let caller = writer(state, req)?.clone();
    let i = find(state, &caller.seller_id, slug)?;
    let b = body(state, req, &caller.seller_id)?;
    let mut page = state.data.storefront.pages[i].clone();
    if let Some(t) = req
        .params
        .get("title")
        .and_then(as_str)
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        page.title = t.to_string();
    }
    assign(&mut page, b);
    page.updated_at = now_iso();
    let errors = validate(state, &page, Some(i));
    if !errors.is_empty() {
        return Ok(Resp::failure(&to_sentence(&errors)));
    }
    let body = page_json(state, &page);
    state.data.storefront.pages[i] = page;
    Ok(Resp::success("page", body))
}

pub fn delete(state: &mut State, req: &ApiRequest, slug: &str) -> Result<Resp, Resp> {
    let caller = writer(state, req)?.clone();
    let i = find(state, &caller.seller_id, slug)?;
    state.data.storefront.pages.remove(i);
    Ok(Resp::deleted("page"))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::seed::SELLER_A;
    use serde_json::{json, Value};

    #[test]
    fn list_and_show() {
        let mut s = state();
        let r = get(&mut s, "/pages", who(SELLER_A, &["view_public"]));
        assert_ok(&r);
        let slugs: Vec<&str> = r.1["pages"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p["slug"].as_str())
            .collect();
        assert_eq!(slugs, ["about", "faq", "launch"]);
        assert_eq!(
            r.1["pages"][0]["url"],
            "https://sailorjohn.gumroad.com/about"
        );
        let r = get(&mut s, "/pages/about", john());
        assert!(r.1["rendered_html"]
            .as_str()
            .is_some_and(|h| h.contains("<p>I draw pencils")));
        let r = get(&mut s, "/pages/launch", john());
        assert_eq!(r.1["rendered_html"], r.1["page"]["custom_html"]);
        assert_failure(
            &get(&mut s, "/pages/nope", john()),
            "The page was not found.",
        );
        assert_eq!(get(&mut s, "/pages", ada()).1["pages"], json!([]));
        assert_empty_403(&get(&mut s, "/pages", who(SELLER_A, &["edit_profile"])));
    }

    #[test]
    fn create_generates_slugs_and_checks_scope() {
        let mut s = state();
        let r = form(
            &mut s,
            "POST",
            "/pages",
            &[("title", " About "), ("content", "<p>x</p>")],
            john(),
        );
        assert_ok(&r);
        assert_eq!(r.1["page"]["slug"], "about-2");
        assert_eq!(r.1["page"]["title"], "About");
        let r = form(&mut s, "POST", "/pages", &[("title", "Products")], john());
        assert_eq!(
            r.1["page"]["slug"], "products-2",
            "reserved slugs are skipped"
        );
        let r = form(&mut s, "POST", "/pages", &[("title", "!!!")], john());
        assert_eq!(r.1["page"]["slug"], "page");
        let r = form(
            &mut s,
            "POST",
            "/pages",
            &[
                ("title", "Shop"),
                ("custom_html", "<p onclick=\"x\">Shop</p>"),
            ],
            john(),
        );
        assert_eq!(
            (r.1["page"]["custom_html"].as_str(), &r.1["page"]["content"]),
            (Some("<p>Shop</p>"), &Value::Null)
        );
        assert_strict_403(
            &form(
                &mut s,
                "POST",
                "/pages",
                &[("title", "x")],
                who(SELLER_A, &["account"]),
            ),
            "edit_profile",
        );
        assert_empty_403(&form(
            &mut s,
            "POST",
            "/pages",
            &[("title", "x")],
            who(SELLER_A, &["view_profile"]),
        ));
        assert_eq!(
            form(&mut s, "POST", "/pages", &[("title", "x")], Ok(None)).0,
            401
        );
    }

    #[test]
    fn create_validation_messages() {
        let mut s = state();
        let long_slug = "a".repeat(101);
        let long_title = "t".repeat(256);
        let cases: Vec<(Value, String)> = vec![
            (json!({}), "title is required.".into()),
            (json!({"title": 5}), "title is required.".into()),
            (
                json!({"title": "x", "content": "a", "custom_html": "b"}),
                "Send either content or custom_html, not both.".into(),
            ),
            (
                json!({"title": "x", "content": ["a"]}),
                "content must be a string.".into(),
            ),
            (
                json!({"title": "x", "custom_html": {"a": 1}}),
                "custom_html must be a string.".into(),
            ),
            (
                json!({"title": "x", "slug": "Bad Slug"}),
                "Slug can only contain lowercase letters, numbers, and hyphens".into(),
            ),
            (
                json!({"title": "x", "slug": "checkout"}),
                "Slug is reserved".into(),
            ),
            (
                json!({"title": "x", "slug": "faq"}),
                "Slug has already been taken".into(),
            ),
            (
                json!({"title": "x", "slug": long_slug}),
                "Slug is too long (maximum is 100 characters)".into(),
            ),
            (
                json!({"title": long_title, "slug": "ok"}),
                "Title is too long (maximum is 255 characters)".into(),
            ),
            (
                json!({"title": "x", "slug": "-bad-"}),
                "Slug can only contain lowercase letters, numbers, and hyphens".into(),
            ),
        ];
        for (body, msg) in cases {
            assert_failure(&json(&mut s, "POST", "/pages", body, john()), &msg);
        }
        assert_failure(
            &json(
                &mut s,
                "POST",
                "/pages",
                json!({"title": "x", "slug": "ok", "custom_html": "<p/>"}),
                ada(),
            ),
            "You do not have access to custom HTML pages.",
        );
        let long_html = "x".repeat(500_001);
        assert_failure(
            &json(
                &mut s,
                "POST",
                "/pages",
                json!({"title": "x", "custom_html": long_html}),
                john(),
            ),
            "custom_html is too long (maximum is 500000 characters).",
        );
        assert_failure(
            &json(
                &mut s,
                "POST",
                "/pages",
                json!({"title": "x", "slug": "Checkout"}),
                john(),
            ),
            "Slug can only contain lowercase letters, numbers, and hyphens",
        );
        super::super::profile_mut(&mut s, SELLER_A).email_confirmed = false;
        assert_failure(
            &form(&mut s, "POST", "/pages", &[("title", "x")], john()),
            "You have to confirm your email address before you can do that.",
        );
    }

    #[test]
    fn update_and_delete() {
        let mut s = state();
        let r = form(
            &mut s,
            "PUT",
            "/pages/about",
            &[("title", "  "), ("custom_html", "<h1>Me</h1>")],
            john(),
        );
        assert_ok(&r);
        assert_eq!(
            (
                r.1["page"]["title"].as_str(),
                r.1["page"]["content"].clone()
            ),
            (Some("About me"), Value::Null)
        );
        let r = json(
            &mut s,
            "PATCH",
            "/pages/about",
            json!({"title": "Me", "content": "<p>hi</p>"}),
            john(),
        );
        assert_eq!(
            (
                r.1["page"]["custom_html"].clone(),
                r.1["page"]["content"].as_str()
            ),
            (Value::Null, Some("<p>hi</p>"))
        );
        assert_failure(
            &form(&mut s, "PUT", "/pages/nope", &[("title", "x")], john()),
            "The page was not found.",
        );
        assert_strict_403(
            &form(
                &mut s,
                "DELETE",
                "/pages/about",
                &[],
                who(SELLER_A, &["account"]),
            ),
            "edit_profile",
        );
        assert_eq!(
            form(&mut s, "DELETE", "/pages/about", &[], john()).1,
            json!({"success": true, "message": "The page was deleted successfully."})
        );
        assert_failure(
            &form(&mut s, "DELETE", "/pages/about", &[], john()),
            "The page was not found.",
        );
    }
}
