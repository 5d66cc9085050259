//! A product's custom landing page (`/products/:id/custom_html`, `.../custom_html/edit`,
//! `.../preview_custom_html`) and its reviews (`/products/:id/reviews`).

use serde_json::{json, Value};

use super::profile::{custom_html_param, find_replace_params};
use super::{profile, sanitize, MAX_CUSTOM_HTML, NO_CUSTOM_HTML};
use crate::http::Resp;
use crate::model_storefront::FEATURE_CUSTOM_HTML;
use crate::render;
use crate::routes::paging::{self, key_of, numeric_id};
use crate::routes::products::buy_warning;
use crate::routes::{own_product, ApiRequest, READ_SCOPES};
use crate::state::{Caller, State};

const REVIEWS_PER_PAGE: usize = 100;

/// The caller's product, then the seller's custom HTML feature (Gumroad's before-action order).
fn product_with_feature(state: &State, caller: &Caller, id: &str) -> Result<usize, Resp> {
    let idx = own_product(state, caller, id)?;
    if !profile(state, &caller.seller_id).has_feature(FEATURE_CUSTOM_HTML) {
        return Err(Resp::failure(NO_CUSTOM_HTML));
    }
    Ok(idx)
}

fn landing_url(state: &State, idx: usize) -> Value {
    let p = &state.data.products[idx];
    json!(state
        .seller(&p.seller_id)
        .map(|s| render::product_url(s, p)))
}

pub fn show(state: &mut State, req: &ApiRequest, id: &str) -> Result<Resp, Resp> {
    let caller = req.require(READ_SCOPES)?.clone();
    let idx = product_with_feature(state, &caller, id)?;
    let html = state.data.products[idx].custom_html.clone();
    Ok(Resp::ok(json!({
        "success": true,
        "custom_html": html,
        "has_landing_page": html.as_deref().is_some_and(|h| !h.trim().is_empty()),
        "landing_url": landing_url(state, idx),
    })))
}

pub fn edit(state: &mut State, req: &ApiRequest, id: &str) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_products"])?.clone();
    let idx = product_with_feature(state, &caller, id)?;
    let (find, replace) = find_replace_params(req)?;
    let previous = state.data.products[idx].custom_html.clone();
    let (page, report) = sanitize::edit_page(previous.as_deref(), &find, &replace, MAX_CUSTOM_HTML)
        .map_err(|m| Resp::failure(&m))?;
    state.data.products[idx].custom_html = page.clone();
    let mut body = json!({
        "success": true,
        "custom_html": page,
        "previous_custom_html": previous,
        "sanitization_report": report,
        "landing_url": landing_url(state, idx),
    });
    // An emptied page unpublishes and the native buy button returns: no warning then.
    if let Some(w) = buy_warning(page.as_deref()) {
        body["warning"] = json!(w);
    }
    Ok(Resp::ok(body))
}

pub fn preview(state: &mut State, req: &ApiRequest, id: &str) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_products"])?.clone();
    product_with_feature(state, &caller, id)?;
    let html = custom_html_param(req)?;
    let (clean, report) = sanitize::sanitize(html.as_deref().unwrap_or_default());
    let clean = (!clean.trim().is_empty()).then_some(clean);
    let mut body = json!({"success": true, "custom_html": clean, "sanitization_report": report});
    if let Some(w) = buy_warning(clean.as_deref()) {
        body["warning"] = json!(w);
    }
    Ok(Resp::ok(body))
}

/// `GET /products/:id/reviews`: reviews shown on the product page (a message or an approved
/// video), newest first, 100 per page.
pub fn reviews(state: &mut State, req: &ApiRequest, id: &str) -> Result<Resp, Resp> {
    let caller = req.require(READ_SCOPES)?.clone();
    let idx = own_product(state, &caller, id)?;
    let pid = state.data.products[idx].id.clone();
    let items: Vec<_> = state
        .data
        .storefront
        .reviews
        .iter()
        .filter(|r| {
            r.product_id == pid
                && !r.deleted
                && (r.message.as_deref().is_some_and(|m| !m.trim().is_empty())
                    || r.has_approved_video)
        })
        .map(|r| (key_of(&r.created_at, numeric_id(&r.id)), r))
        .collect();
    let page = paging::paginate(items, &req.params, REVIEWS_PER_PAGE)?;
    let list: Vec<Value> = page
        .items
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "rating": r.rating,
                "message": r.message,
                "created_at": r.created_at,
                "purchase_id": r.purchase_id,
                "rater_name": r.rater_name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| "Anonymous".into()),
                "response": r.response.as_ref().map(|x| json!({"message": x.message, "created_at": x.created_at})),
            })
        })
        .collect();
    let mut body = json!({"success": true, "product_reviews": list});
    if let Some(next) = &page.next {
        let path = format!("/products/{}/reviews", crate::urlenc::encode(id));
        body["next_page_key"] = json!(paging::format_key(next));
        body["next_page_url"] = json!(paging::next_url(&path, &req.params, next));
    }
    Ok(Resp::ok(body))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::model_storefront::REVIEW_HIDDEN;
    use crate::seed::{P1_PENCIL, P3_SKETCH, P6_NOTEBOOK, SELLER_A};
    use serde_json::{json, Value};

    #[test]
    fn custom_html_show_edit_preview() {
        let mut s = state();
        let base = format!("/products/{P3_SKETCH}");
        let r = get(&mut s, &format!("{base}/custom_html"), john());
        assert_eq!(
            r.1,
            json!({"success": true, "custom_html": null, "has_landing_page": false, "landing_url": "https://sailorjohn.gumroad.com/l/skpro"})
        );
        assert_failure(
            &form(&mut s, "POST", &format!("{base}/custom_html/edit"), &[("find", "x"), ("replace", "y")], john()),
            "There is no custom HTML page to edit. Publish one first with the full custom_html update.",
        );
        json(
            &mut s,
            "PUT",
            &base,
            json!({"custom_html": "<h1>Sketch</h1><a data-gumroad-action=\"buy\">Buy</a>"}),
            john(),
        );
        let r = form(
            &mut s,
            "POST",
            &format!("{base}/custom_html/edit"),
            &[
                ("find", "<h1>Sketch</h1>"),
                ("replace", "<h1>Sketch Pro</h1>"),
            ],
            john(),
        );
        assert_ok(&r);
        assert!(r.1.get("warning").is_none());
        assert_eq!(
            r.1["previous_custom_html"],
            "<h1>Sketch</h1><a data-gumroad-action=\"buy\">Buy</a>"
        );
        let r = form(
            &mut s,
            "POST",
            &format!("{base}/custom_html/edit"),
            &[
                ("find", "<a data-gumroad-action=\"buy\">Buy</a>"),
                ("replace", ""),
            ],
            john(),
        );
        assert!(r.1["warning"]
            .as_str()
            .is_some_and(|w| w.contains("buy element")));
        let r = form(
            &mut s,
            "POST",
            &format!("{base}/preview_custom_html"),
            &[("custom_html", "<p>x</p><script>y</script>")],
            john(),
        );
        assert_eq!(
            (
                r.1["custom_html"].as_str(),
                r.1["sanitization_report"]["total_removed"].as_u64()
            ),
            (Some("<p>x</p>"), Some(1))
        );
        assert!(r.1.get("warning").is_some());
        assert_eq!(
            s.data.products[2].custom_html.as_deref(),
            Some("<h1>Sketch Pro</h1>"),
            "preview saves nothing"
        );
        assert_failure(
            &get(
                &mut s,
                &format!("/products/{P6_NOTEBOOK}/custom_html"),
                ada(),
            ),
            "You do not have access to custom HTML pages.",
        );
        assert_failure(
            &form(
                &mut s,
                "POST",
                &format!("/products/{P6_NOTEBOOK}/preview_custom_html"),
                &[("custom_html", "x")],
                ada(),
            ),
            "You do not have access to custom HTML pages.",
        );
        assert_failure(
            &get(&mut s, "/products/nope/custom_html", john()),
            "The product was not found.",
        );
        assert_failure(
            &form(
                &mut s,
                "POST",
                &format!("{base}/preview_custom_html"),
                &[],
                john(),
            ),
            "custom_html is required.",
        );
        assert_empty_403(&form(
            &mut s,
            "POST",
            &format!("{base}/custom_html/edit"),
            &[],
            who(SELLER_A, &["view_public"]),
        ));
        assert_empty_403(&get(
            &mut s,
            &format!("{base}/custom_html"),
            who(SELLER_A, &["edit_profile"]),
        ));
    }

    #[test]
    fn reviews_page_by_a_hundred() {
        let mut s = state();
        let r = get(
            &mut s,
            &format!("/products/{P1_PENCIL}/reviews"),
            who(SELLER_A, &["view_public"]),
        );
        assert_ok(&r);
        let list = r.1["product_reviews"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(list.len(), 4, "the rating-only review is not listed");
        assert!(list.iter().all(|x| x["id"] != REVIEW_HIDDEN));
        assert_eq!(list[0]["rater_name"], "Video Reviewer");
        assert_eq!(
            list[1]["response"]["message"],
            "Thanks! A flattened version is in the next update."
        );
        assert_eq!(list[2]["rater_name"], "Anonymous");
        assert!(r.1.get("next_page_key").is_none());
        let r = get(&mut s, "/products/skpro/reviews", john());
        assert_eq!(r.1["product_reviews"].as_array().map(Vec::len), Some(100));
        let key = r.1["next_page_key"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(r.1["next_page_url"]
            .as_str()
            .is_some_and(|u| u.starts_with("/v2/products/skpro/reviews?page_key=")));
        let r = form(
            &mut s,
            "GET",
            "/products/skpro/reviews",
            &[("page_key", &key)],
            john(),
        );
        assert_eq!(r.1["product_reviews"].as_array().map(Vec::len), Some(4));
        assert!(r.1.get("next_page_url").is_none());
        let r = form(
            &mut s,
            "GET",
            "/products/skpro/reviews",
            &[("page_key", "bad")],
            john(),
        );
        assert_eq!(
            r,
            (400, json!({"status": 400, "error": "Invalid page_key."}))
        );
        assert_failure(
            &get(&mut s, &format!("/products/{P6_NOTEBOOK}/reviews"), john()),
            "The product was not found.",
        );
        assert_empty_403(&get(
            &mut s,
            &format!("/products/{P1_PENCIL}/reviews"),
            who(SELLER_A, &["edit_profile"]),
        ));
        assert_eq!(
            get(&mut s, &format!("/products/{P1_PENCIL}/reviews"), Ok(None)),
            (401, Value::Null)
        );
    }
}
