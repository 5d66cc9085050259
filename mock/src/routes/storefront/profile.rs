//! `PUT /user`, `GET /user/theme`, `GET /user/profile_layout` and the profile custom HTML
//! endpoints (`/user/custom_html`, `/user/custom_html/edit`, `/user/preview_custom_html`).

use serde_json::{json, Value};

use super::sanitize;
use super::{
    as_str, custom_html_too_long, html_escape, profile, profile_mut, profile_url, require_strict,
    seller, MAX_CUSTOM_HTML, NO_CUSTOM_HTML, UNCONFIRMED,
};
use crate::http::{Param, Resp};
use crate::model_storefront::FEATURE_CUSTOM_HTML;
use crate::render;
use crate::routes::{ApiRequest, READ_SCOPES};
use crate::state::{Caller, State};

const THEME_SURFACES: [&str; 6] = [
    "storefront profile page",
    "product pages",
    "the checkout page, but only when every product being bought is this seller's",
    "the pages buyers see for products they bought",
    "posts",
    "the emails a seller sends to their audience",
];

/// `GET /user`'s object (with `links`), as the user routes render it.
fn user_json(state: &State, caller: &Caller) -> Result<Value, Resp> {
    let s = seller(state, caller)?;
    let mut user = render::user(s, &caller.scopes);
    let links: Vec<String> = state
        .data
        .products
        .iter()
        .filter(|p| p.seller_id == s.user_id && p.published && !p.deleted)
        .map(|p| {
            p.custom_permalink
                .clone()
                .unwrap_or_else(|| p.unique_permalink.clone())
        })
        .collect();
    if let Some(o) = user.as_object_mut() {
        o.insert("links".into(), json!(links));
    }
    Ok(user)
}

/// `PUT /user`: `name` and `bio` (omitted ones untouched; empty clears).
pub fn update_user(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_profile"])?.clone();
    seller(state, &caller)?;
    if !profile(state, &caller.seller_id).email_confirmed {
        return Ok(Resp::failure(UNCONFIRMED));
    }
    let value = |k: &str| -> Option<Option<String>> {
        req.params.get(k).map(|p| match p {
            Param::Json(Value::Null) => None,
            p => Some(p.as_text()).filter(|s| !s.is_empty()),
        })
    };
    let (name, bio) = (value("name"), value("bio"));
    if let Some(Some(n)) = &name {
        if n.contains(':') {
            // [unverified] The reference only says the message "mentions colons".
            return Ok(Resp::failure("Name cannot contain colons"));
        }
    }
    if let Some(s) = state
        .data
        .sellers
        .iter_mut()
        .find(|s| s.user_id == caller.seller_id)
    {
        if let Some(n) = name {
            s.name = n;
        }
        if let Some(b) = bio {
            s.bio = b;
        }
    }
    Ok(Resp::success("user", user_json(state, &caller)?))
}

pub fn theme(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = req.require(READ_SCOPES)?;
    let t = profile(state, &caller.seller_id).theme;
    Ok(Resp::success(
        "theme",
        json!({
            "background_color": t.background_color,
            "highlight_color": t.highlight_color,
            "font": t.font,
            "applies_to": THEME_SURFACES,
            "editable_by_seller": true,
            "how_to_change": "The seller changes these themselves in Settings > Profile > Design, which previews the change before saving.",
        }),
    ))
}

/// `GET /user/profile_layout` (`view_profile`, strict).
pub fn layout(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = require_strict(req, "view_profile")?;
    let p = profile(state, &caller.seller_id);
    let no_sections = p.tabs.iter().all(|t| t.sections.is_empty());
    let has_products = state
        .data
        .products
        .iter()
        .any(|x| x.seller_id == caller.seller_id && !x.deleted);
    // Gumroad synthesizes a products tab for a seller with products but no sections yet.
    let tabs: Vec<Value> = if no_sections && has_products {
        vec![
            json!({"name": "Products", "sections": [{"header": null, "type": "SellerProfileProductsSection"}]}),
        ]
    } else {
        p.tabs
            .iter()
            .map(|t| {
                let sections: Vec<Value> = t
                    .sections
                    .iter()
                    .map(|s| json!({"header": s.header, "type": s.kind}))
                    .collect();
                json!({"name": t.name, "sections": sections})
            })
            .collect()
    };
    let rendering = if p
        .custom_html
        .as_deref()
        .is_some_and(|h| !h.trim().is_empty())
    {
        "custom_html"
    } else {
        "tabs_and_sections"
    };
    Ok(Resp::success(
        "profile_layout",
        json!({
            "rendering": rendering,
            "tab_bar_visible": tabs.len() > 1,
            "tabs": tabs,
            "editable_by_seller": true,
            "how_to_change": "The seller edits these in the dashboard under Settings > Profile. You have no endpoint for them — you can read this layout but not change it.",
        }),
    ))
}

/// The feature gate every custom HTML endpoint checks first.
fn gate(state: &State, seller_id: &str) -> Result<(), Resp> {
    if profile(state, seller_id).has_feature(FEATURE_CUSTOM_HTML) {
        Ok(())
    } else {
        Err(Resp::failure(NO_CUSTOM_HTML))
    }
}

/// `custom_html` must be present (`"custom_html is required."`), a string or null, and not too
/// long. `Ok(None)` for null.
pub(super) fn custom_html_param(req: &ApiRequest) -> Result<Option<String>, Resp> {
    let Some(p) = req.params.get("custom_html") else {
        return Err(Resp::failure("custom_html is required."));
    };
    let html = match p {
        Param::Json(Value::Null) => None,
        p => match as_str(p) {
            Some(s) => Some(s.to_string()),
            None => return Err(Resp::failure("custom_html must be a string.")),
        },
    };
    if html.as_deref().unwrap_or_default().chars().count() > MAX_CUSTOM_HTML {
        return Err(Resp::failure(&custom_html_too_long()));
    }
    Ok(html)
}

/// `find` (a non-blank string) and `replace` (a string) of the edit endpoints.
pub(super) fn find_replace_params(req: &ApiRequest) -> Result<(String, String), Resp> {
    let find = req
        .params
        .get("find")
        .and_then(as_str)
        .filter(|f| !f.trim().is_empty());
    let Some(find) = find else {
        return Err(Resp::failure("find is required and must be a non-empty string copied exactly from the current custom HTML."));
    };
    let Some(replace) = req.params.get("replace").and_then(as_str) else {
        return Err(Resp::failure(
            "replace is required and must be a string (use \"\" to delete the snippet).",
        ));
    };
    Ok((find.to_string(), replace.to_string()))
}

/// A standalone render of the default storefront (header, products), the starting point
/// Gumroad offers before a landing page exists.
fn default_profile_document(state: &State, seller_id: &str) -> String {
    let Some(s) = state.seller(seller_id) else {
        return String::new();
    };
    let name = html_escape(s.name.as_deref().unwrap_or(&s.username));
    let bio = s
        .bio
        .as_deref()
        .map(|b| format!("<p>{}</p>", html_escape(b)))
        .unwrap_or_default();
    let items: String = state
        .data
        .products
        .iter()
        .filter(|p| p.seller_id == seller_id && p.published && !p.deleted)
        .map(|p| {
            format!(
                "<li><a href=\"{}\">{}</a> {}</li>",
                render::product_url(s, p),
                html_escape(&p.name),
                render::format_price(p)
            )
        })
        .collect();
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{name}</title></head><body><header><h1>{name}</h1>{bio}</header><main><section class=\"products\"><ul>{items}</ul></section></main></body></html>"
    )
}

pub fn show_custom_html(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = req.require(READ_SCOPES)?.clone();
    gate(state, &caller.seller_id)?;
    let s = seller(state, &caller)?;
    let html = profile(state, &caller.seller_id).custom_html;
    let rendered = html
        .clone()
        .filter(|h| !h.trim().is_empty())
        .unwrap_or_else(|| default_profile_document(state, &caller.seller_id));
    Ok(Resp::ok(json!({
        "success": true,
        "custom_html": html,
        "rendered_html": rendered,
        "has_landing_page": html.as_deref().is_some_and(|h| !h.trim().is_empty()),
        "profile_url": profile_url(s),
    })))
}

fn written(state: &State, caller: &Caller, previous: Option<String>, report: Value) -> Resp {
    let html = profile(state, &caller.seller_id).custom_html;
    Resp::ok(json!({
        "success": true,
        "custom_html": html,
        "previous_custom_html": previous,
        "sanitization_report": report,
        "profile_url": state.seller(&caller.seller_id).and_then(profile_url),
    }))
}

/// `PUT /user/custom_html`: replaces the landing page (blank unpublishes it).
pub fn replace_custom_html(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_profile"])?.clone();
    gate(state, &caller.seller_id)?;
    if !profile(state, &caller.seller_id).email_confirmed {
        return Ok(Resp::failure(UNCONFIRMED));
    }
    let html = custom_html_param(req)?;
    let (page, report) = sanitize::replace_page(html.as_deref());
    let p = profile_mut(state, &caller.seller_id);
    let previous = std::mem::replace(&mut p.custom_html, page);
    Ok(written(state, &caller, previous, report))
}

/// `POST /user/custom_html/edit`: one find/replace inside the landing page.
pub fn edit_custom_html(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_profile"])?.clone();
    gate(state, &caller.seller_id)?;
    if !profile(state, &caller.seller_id).email_confirmed {
        return Ok(Resp::failure(UNCONFIRMED));
    }
    let (find, replace) = find_replace_params(req)?;
    let previous = profile(state, &caller.seller_id).custom_html;
    let (page, report) = sanitize::edit_page(previous.as_deref(), &find, &replace, MAX_CUSTOM_HTML)
        .map_err(|m| Resp::failure(&m))?;
    profile_mut(state, &caller.seller_id).custom_html = page;
    Ok(written(state, &caller, previous, report))
}

/// `POST /user/preview_custom_html`: sanitizes without saving.
pub fn preview_custom_html(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_profile"])?.clone();
    gate(state, &caller.seller_id)?;
    let html = custom_html_param(req)?;
    let (clean, report) = sanitize::sanitize(html.as_deref().unwrap_or_default());
    Ok(Resp::ok(json!({
        "success": true,
        "custom_html": (!clean.trim().is_empty()).then_some(clean),
        "sanitization_report": report,
    })))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::seed::{SELLER_A, SELLER_B};
    use serde_json::{json, Value};

    #[test]
    fn update_user_changes_name_and_bio_and_checks_scope_and_confirmation() {
        let mut s = state();
        let r = json(
            &mut s,
            "PUT",
            "/user",
            json!({"name": "Johnny", "bio": ""}),
            john(),
        );
        assert_ok(&r);
        assert_eq!(r.1["user"]["name"], "Johnny");
        assert_eq!(r.1["user"]["bio"], Value::Null);
        let r = form(&mut s, "PATCH", "/user", &[("name", "J: S")], john());
        assert_failure(&r, "Name cannot contain colons");
        assert_empty_403(&form(
            &mut s,
            "PUT",
            "/user",
            &[("name", "x")],
            who(SELLER_A, &["view_profile"]),
        ));
        assert_ok(&form(
            &mut s,
            "PUT",
            "/user",
            &[("name", "x")],
            who(SELLER_A, &["account"]),
        ));
        assert_eq!(form(&mut s, "PUT", "/user", &[], Ok(None)).0, 401);
        super::profile_mut(&mut s, SELLER_A).email_confirmed = false;
        assert_failure(
            &form(&mut s, "PUT", "/user", &[("name", "y")], john()),
            "You have to confirm your email address before you can do that.",
        );
    }

    #[test]
    fn theme_needs_a_read_scope() {
        let mut s = state();
        let r = get(&mut s, "/user/theme", who(SELLER_A, &["view_public"]));
        assert_ok(&r);
        assert_eq!(r.1["theme"]["applies_to"].as_array().map(Vec::len), Some(6));
        assert_eq!(r.1["theme"]["editable_by_seller"], true);
        assert_empty_403(&get(
            &mut s,
            "/user/theme",
            who(SELLER_A, &["edit_profile"]),
        ));
    }

    #[test]
    fn profile_layout_is_strict_and_synthesizes_a_products_tab() {
        let mut s = state();
        let r = get(&mut s, "/user/profile_layout", john());
        assert_ok(&r);
        let l = &r.1["profile_layout"];
        assert_eq!(
            (l["rendering"].as_str(), l["tab_bar_visible"].as_bool()),
            (Some("custom_html"), Some(true))
        );
        assert_eq!(
            l["tabs"][0]["sections"][0],
            json!({"header": "Featured", "type": "SellerProfileProductsSection"})
        );
        let r = get(&mut s, "/user/profile_layout", ada());
        assert_eq!(r.1["profile_layout"]["rendering"], "tabs_and_sections");
        assert_eq!(
            r.1["profile_layout"]["tabs"],
            json!([{"name": "Products", "sections": [{"header": null, "type": "SellerProfileProductsSection"}]}])
        );
        assert_eq!(r.1["profile_layout"]["tab_bar_visible"], false);
        assert_strict_403(
            &get(&mut s, "/user/profile_layout", who(SELLER_A, &["account"])),
            "view_profile",
        );
        assert_empty_403(&get(
            &mut s,
            "/user/profile_layout",
            who(SELLER_A, &["view_public"]),
        ));
    }

    #[test]
    fn custom_html_round_trip_with_feature_gate() {
        let mut s = state();
        let r = get(&mut s, "/user/custom_html", john());
        assert_ok(&r);
        assert_eq!(r.1["has_landing_page"], true);
        assert_eq!(r.1["profile_url"], "https://sailorjohn.gumroad.com");
        let no_feature = "You do not have access to custom HTML pages.";
        assert_failure(&get(&mut s, "/user/custom_html", ada()), no_feature);
        assert_failure(
            &form(
                &mut s,
                "PUT",
                "/user/custom_html",
                &[("custom_html", "<p>x</p>")],
                ada(),
            ),
            no_feature,
        );

        let r = json(
            &mut s,
            "PUT",
            "/user/custom_html",
            json!({"custom_html": "<h1 onclick=\"x()\">Hi</h1><script>1</script>"}),
            john(),
        );
        assert_ok(&r);
        assert_eq!(r.1["custom_html"], "<h1>Hi</h1>");
        assert!(r.1["previous_custom_html"]
            .as_str()
            .is_some_and(|p| p.contains("Pencils")));
        assert_eq!(r.1["sanitization_report"]["total_removed"], 2);
        assert_failure(
            &json(&mut s, "PUT", "/user/custom_html", json!({}), john()),
            "custom_html is required.",
        );
        assert_failure(
            &json(
                &mut s,
                "PUT",
                "/user/custom_html",
                json!({"custom_html": 5}),
                john(),
            ),
            "custom_html must be a string.",
        );
        let long = "x".repeat(500_001);
        assert_failure(
            &form(
                &mut s,
                "PUT",
                "/user/custom_html",
                &[("custom_html", &long)],
                john(),
            ),
            "custom_html is too long (maximum is 500000 characters).",
        );
        // Blank unpublishes: the default storefront is rendered instead.
        let r = form(
            &mut s,
            "PUT",
            "/user/custom_html",
            &[("custom_html", "")],
            john(),
        );
        assert_eq!(
            (
                r.1["custom_html"].clone(),
                r.1["sanitization_report"]["total_removed"].clone()
            ),
            (Value::Null, json!(0))
        );
        let r = get(&mut s, "/user/custom_html", john());
        assert_eq!(r.1["has_landing_page"], false);
        assert!(r.1["rendered_html"]
            .as_str()
            .is_some_and(|h| h.contains("Pencil Icon PSD")));
        assert_empty_403(&form(
            &mut s,
            "PUT",
            "/user/custom_html",
            &[("custom_html", "")],
            who(SELLER_A, &["view_profile"]),
        ));
        assert_empty_403(&get(
            &mut s,
            "/user/custom_html",
            who(SELLER_B, &["edit_profile"]),
        ));
    }

    #[test]
    fn edit_custom_html_matches_once_and_tolerates_whitespace() {
        let mut s = state();
        let r = form(
            &mut s,
            "POST",
            "/user/custom_html/edit",
            &[("find", "Pencils &amp;\n   pixels"), ("replace", "Pens")],
            john(),
        );
        assert_ok(&r);
        assert!(r.1["custom_html"]
            .as_str()
            .is_some_and(|h| h.contains("<h1>Pens</h1>")));
        assert!(r.1["previous_custom_html"]
            .as_str()
            .is_some_and(|h| h.contains("Pencils &amp; pixels")));
        assert_failure(
            &form(&mut s, "POST", "/user/custom_html/edit", &[("find", "nowhere"), ("replace", "")], john()),
            "find does not appear in the current custom HTML. Re-read the page and copy the snippet exactly, including whitespace.",
        );
        assert_failure(
            &form(&mut s, "POST", "/user/custom_html/edit", &[("find", "p"), ("replace", "")], john()),
            &format!("find matches {} places in the current custom HTML. Include more surrounding context so it matches exactly once.",
                super::sanitize::find_tolerant(r.1["custom_html"].as_str().unwrap_or_default(), "p").len()),
        );
        assert_failure(
            &form(&mut s, "POST", "/user/custom_html/edit", &[("find", "  "), ("replace", "")], john()),
            "find is required and must be a non-empty string copied exactly from the current custom HTML.",
        );
        assert_failure(
            &json(
                &mut s,
                "POST",
                "/user/custom_html/edit",
                json!({"find": "Pens", "replace": null}),
                john(),
            ),
            "replace is required and must be a string (use \"\" to delete the snippet).",
        );
        form(
            &mut s,
            "PUT",
            "/user/custom_html",
            &[("custom_html", "")],
            john(),
        );
        assert_failure(
            &form(&mut s, "POST", "/user/custom_html/edit", &[("find", "Pens"), ("replace", "x")], john()),
            "There is no custom HTML page to edit. Publish one first with the full custom_html update.",
        );
    }

    #[test]
    fn preview_sanitizes_without_saving() {
        let mut s = state();
        let before = super::profile(&s, SELLER_A).custom_html;
        let r = form(
            &mut s,
            "POST",
            "/user/preview_custom_html",
            &[(
                "custom_html",
                "<p>ok</p><iframe src=\"javascript:x\"></iframe>",
            )],
            john(),
        );
        assert_ok(&r);
        assert_eq!(r.1["custom_html"], "<p>ok</p><iframe></iframe>");
        assert_eq!(
            r.1["sanitization_report"]["removed_attributes"][0]["reason"],
            "javascript: URL blocked"
        );
        assert_eq!(super::profile(&s, SELLER_A).custom_html, before);
        assert_failure(
            &form(&mut s, "POST", "/user/preview_custom_html", &[], john()),
            "custom_html is required.",
        );
    }
}
