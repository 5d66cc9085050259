//! `/utm_links`: short tracking links to the profile, the subscribe page, a product or a post.

use serde_json::{json, Value};

use super::to_sentence;
use crate::http::{Param, Resp};
use crate::model_storefront::UtmLink;
use crate::render;
use crate::routes::{ApiRequest, READ_SCOPES};
use crate::state::{now_iso, State};

const TARGET_TYPES: [&str; 4] = [
    "profile_page",
    "subscribe_page",
    "product_page",
    "post_page",
];
const MAX_UTM: usize = 200;

/// The destination URL, or `None` when the target is gone.
fn target_url(state: &State, l: &UtmLink) -> Option<String> {
    let seller = state.seller(&l.seller_id)?;
    let base = format!("https://{}.gumroad.com", seller.username);
    let target = l.target_resource_id.as_deref();
    match l.target_resource_type.as_str() {
        "profile_page" => Some(base),
        "subscribe_page" => Some(format!("{base}/subscribe")),
        "product_page" => {
            let p = state
                .data
                .products
                .iter()
                .find(|p| Some(p.id.as_str()) == target)?;
            Some(render::product_url(seller, p))
        }
        "post_page" => {
            let e = state
                .data
                .storefront
                .emails
                .iter()
                .find(|e| Some(e.id.as_str()) == target)?;
            Some(format!("{base}/p/{}", e.slug))
        }
        _ => None,
    }
}

/// The target URL with the `utm_*` parameters (sorted by name, as Addressable writes them).
fn utm_url(state: &State, l: &UtmLink) -> Option<String> {
    let url = target_url(state, l)?;
    let mut pairs = vec![
        ("utm_campaign", Some(&l.utm_campaign)),
        ("utm_content", l.utm_content.as_ref()),
        ("utm_medium", Some(&l.utm_medium)),
        ("utm_source", Some(&l.utm_source)),
        ("utm_term", l.utm_term.as_ref()),
    ];
    pairs.retain(|(_, v)| v.is_some_and(|v| !v.is_empty()));
    let query: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k}={}", crate::urlenc::encode(v))))
        .collect();
    Some(format!("{url}?{}", query.join("&")))
}

fn link_json(state: &State, l: &UtmLink) -> Value {
    let target_id = match l.target_resource_type.as_str() {
        "product_page" | "post_page" => l.target_resource_id.clone(),
        _ => None,
    };
    json!({
        "id": l.id,
        "title": l.title,
        "short_url": format!("https://gum.co/u/{}", l.permalink),
        "utm_url": utm_url(state, l),
        "target_resource_type": l.target_resource_type,
        "target_resource_id": target_id,
        "utm_source": l.utm_source,
        "utm_medium": l.utm_medium,
        "utm_campaign": l.utm_campaign,
        "utm_term": l.utm_term,
        "utm_content": l.utm_content,
        "enabled": l.disabled_at.is_none(),
        "total_clicks": l.total_clicks,
        "unique_clicks": l.unique_clicks,
        "created_at": l.created_at,
        "updated_at": l.updated_at,
    })
}

fn find(state: &State, seller_id: &str, id: &str) -> Result<usize, Resp> {
    state
        .data
        .storefront
        .utm_links
        .iter()
        .position(|l| l.id == id && l.seller_id == seller_id && !l.deleted)
        .ok_or_else(|| Resp::not_found("utm_link"))
}

pub fn list(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = req.require(READ_SCOPES)?;
    let mut links: Vec<&UtmLink> = state
        .data
        .storefront
        .utm_links
        .iter()
        .filter(|l| l.seller_id == caller.seller_id && !l.deleted)
        .collect();
    links.sort_by(|a, b| b.created_at.cmp(&a.created_at));
    let list: Vec<Value> = links.into_iter().map(|l| link_json(state, l)).collect();
    Ok(Resp::success("utm_links", Value::Array(list)))
}

pub fn show(state: &mut State, req: &ApiRequest, id: &str) -> Result<Resp, Resp> {
    let caller = req.require(READ_SCOPES)?;
    let i = find(state, &caller.seller_id, id)?;
    Ok(Resp::success(
        "utm_link",
        link_json(state, &state.data.storefront.utm_links[i]),
    ))
}

/// A parameter as a string, `None` for blank.
fn text(req: &ApiRequest, k: &str) -> Option<Option<String>> {
    req.params.get(k).map(|p| match p {
        Param::Json(Value::Null) => None,
        p => Some(p.as_text().trim().to_string()).filter(|s| !s.is_empty()),
    })
}

fn assign_utm(l: &mut UtmLink, req: &ApiRequest) {
    if let Some(v) = text(req, "title") {
        l.title = v.unwrap_or_default();
    }
    if let Some(v) = text(req, "utm_source") {
        l.utm_source = v.unwrap_or_default();
    }
    if let Some(v) = text(req, "utm_medium") {
        l.utm_medium = v.unwrap_or_default();
    }
    if let Some(v) = text(req, "utm_campaign") {
        l.utm_campaign = v.unwrap_or_default();
    }
    if let Some(v) = text(req, "utm_term") {
        l.utm_term = v;
    }
    if let Some(v) = text(req, "utm_content") {
        l.utm_content = v;
    }
}

/// UtmLink's validations, in declaration order.
fn validate(state: &State, l: &UtmLink) -> Vec<String> {
    let mut e = vec![];
    if !TARGET_TYPES.contains(&l.target_resource_type.as_str()) {
        e.push("Target resource type is not included in the list".to_string());
    }
    if l.title.trim().is_empty() {
        e.push("Title can't be blank".into());
    }
    let needs_target = matches!(
        l.target_resource_type.as_str(),
        "product_page" | "post_page"
    );
    if needs_target && l.target_resource_id.is_none() {
        e.push("Target resource can't be blank".into());
    }
    for (name, v, required) in [
        ("Utm campaign", Some(&l.utm_campaign), true),
        ("Utm medium", Some(&l.utm_medium), true),
        ("Utm source", Some(&l.utm_source), true),
        ("Utm term", l.utm_term.as_ref(), false),
        ("Utm content", l.utm_content.as_ref(), false),
    ] {
        let v = v.map(String::as_str).unwrap_or_default();
        if required && v.trim().is_empty() {
            e.push(format!("{name} can't be blank"));
        }
        if v.chars().count() > MAX_UTM {
            e.push(format!(
                "{name} is too long (maximum is {MAX_UTM} characters)"
            ));
        }
    }
    let duplicate = state.data.storefront.utm_links.iter().any(|o| {
        o.id != l.id
            && !o.deleted
            && o.seller_id == l.seller_id
            && o.utm_source == l.utm_source
            && o.utm_medium == l.utm_medium
            && o.utm_campaign == l.utm_campaign
            && o.utm_term == l.utm_term
            && o.utm_content == l.utm_content
            && o.target_resource_type == l.target_resource_type
            && o.target_resource_id == l.target_resource_id
    });
    if duplicate {
        // [unverified] The prefix comes from Rails' full-message rules for the attribute.
        e.push("Target resource A link with similar UTM parameters already exists for this destination!".into());
    }
    e
}

/// 8 lower-case alphanumerics, unique among all links.
fn permalink(state: &mut State) -> String {
    loop {
        let p: String = state
            .new_id()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .take(8)
            .collect();
        if p.len() == 8
            && !state
                .data
                .storefront
                .utm_links
                .iter()
                .any(|l| l.permalink == p)
        {
            return p;
        }
    }
}

pub fn create(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_products"])?.clone();
    let kind = text(req, "target_resource_type")
        .flatten()
        .unwrap_or_default();
    let wanted_target = text(req, "target_resource_id").flatten();
    // Only the seller's own product or published post resolves; anything else is blank.
    let target = match kind.as_str() {
        "product_page" => wanted_target.filter(|id| {
            state
                .data
                .products
                .iter()
                .any(|p| &p.id == id && p.seller_id == caller.seller_id && !p.deleted)
        }),
        "post_page" => wanted_target.filter(|id| {
            state.data.storefront.emails.iter().any(|e| {
                &e.id == id
                    && e.seller_id == caller.seller_id
                    && !e.deleted
                    && e.published_at.is_some()
            })
        }),
        _ => None,
    };
    let now = now_iso();
    let mut l = UtmLink {
        seller_id: caller.seller_id.clone(),
        target_resource_type: kind,
        target_resource_id: target,
        created_at: now.clone(),
        updated_at: now,
        ..UtmLink::default()
    };
    assign_utm(&mut l, req);
    let errors = validate(state, &l);
    if !errors.is_empty() {
        return Ok(Resp::failure(&to_sentence(&errors)));
    }
    l.id = state.new_id();
    l.permalink = permalink(state);
    let body = link_json(state, &l);
    state.data.storefront.utm_links.push(l);
    Ok(Resp::success("utm_link", body))
}

/// Only `title` and the `utm_*` fields change; the target and permalink are fixed.
pub fn update(state: &mut State, req: &ApiRequest, id: &str) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_products"])?.clone();
    let i = find(state, &caller.seller_id, id)?;
    let mut l = state.data.storefront.utm_links[i].clone();
    assign_utm(&mut l, req);
    let errors = validate(state, &l);
    if !errors.is_empty() {
        return Ok(Resp::failure(&to_sentence(&errors)));
    }
    l.updated_at = now_iso();
    let body = link_json(state, &l);
    state.data.storefront.utm_links[i] = l;
    Ok(Resp::success("utm_link", body))
}

pub fn delete(state: &mut State, req: &ApiRequest, id: &str) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_products"])?.clone();
    let i = find(state, &caller.seller_id, id)?;
    state.data.storefront.utm_links[i].deleted = true;
    Ok(Resp::deleted("utm_link"))
}

pub fn set_enabled(state: &mut State, req: &ApiRequest, id: &str, on: bool) -> Result<Resp, Resp> {
    let caller = req.require(&["edit_products"])?.clone();
    let i = find(state, &caller.seller_id, id)?;
    let now = now_iso();
    let l = &mut state.data.storefront.utm_links[i];
    l.disabled_at = if on { None } else { Some(now.clone()) };
    l.updated_at = now;
    Ok(Resp::success(
        "utm_link",
        link_json(state, &state.data.storefront.utm_links[i]),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::model_storefront::{EMAILS_JOHN, UTM_ADA, UTM_DISABLED, UTM_PENCIL, UTM_POST};
    use crate::seed::{P1_PENCIL, P6_NOTEBOOK, SELLER_A};
    use serde_json::json;

    #[test]
    fn list_and_show() {
        let mut s = state();
        let r = get(&mut s, "/utm_links", who(SELLER_A, &["view_public"]));
        assert_ok(&r);
        let ids: Vec<&str> = r.1["utm_links"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|l| l["id"].as_str())
            .collect();
        assert_eq!(ids.len(), 4);
        assert_eq!(ids[0], UTM_POST, "newest first");
        let l = get(&mut s, &format!("/utm_links/{UTM_PENCIL}"), john()).1["utm_link"].clone();
        assert_eq!(l["utm_url"], "https://sailorjohn.gumroad.com/l/pencil?utm_campaign=pencil-promo&utm_medium=email&utm_source=newsletter");
        assert_eq!(l["short_url"], "https://gum.co/u/nl5penc2");
        assert_eq!(
            (l["target_resource_id"].as_str(), l["enabled"].as_bool()),
            (Some(P1_PENCIL), Some(true))
        );
        let post = get(&mut s, &format!("/utm_links/{UTM_POST}"), john()).1["utm_link"].clone();
        assert_eq!(post["utm_url"], "https://sailorjohn.gumroad.com/p/welcome-to-pencil-club?utm_campaign=club-launch&utm_content=top-comment&utm_medium=social&utm_source=reddit");
        assert_eq!(
            get(&mut s, &format!("/utm_links/{UTM_DISABLED}"), john()).1["utm_link"]["enabled"],
            false
        );
        assert_failure(
            &get(&mut s, &format!("/utm_links/{UTM_ADA}"), john()),
            "The utm_link was not found.",
        );
        assert_empty_403(&get(&mut s, "/utm_links", who(SELLER_A, &["edit_profile"])));
    }

    #[test]
    fn create_update_disable_delete() {
        let mut s = state();
        let body = json!({"title": "IG story", "target_resource_type": "product_page", "target_resource_id": P1_PENCIL, "utm_source": "instagram", "utm_medium": "social", "utm_campaign": "summer", "utm_term": ""});
        let r = json(&mut s, "POST", "/utm_links", body.clone(), john());
        assert_ok(&r);
        let l = r.1["utm_link"].clone();
        let id = l["id"].as_str().unwrap_or_default().to_string();
        let permalink = l["short_url"]
            .as_str()
            .unwrap_or_default()
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string();
        assert!(
            permalink.len() == 8
                && permalink
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        );
        assert_eq!(l["utm_term"], serde_json::Value::Null);
        assert_failure(&json(&mut s, "POST", "/utm_links", body, john()), "Target resource A link with similar UTM parameters already exists for this destination!");
        let r = json(
            &mut s,
            "PATCH",
            &format!("/utm_links/{id}"),
            json!({"title": "IG", "target_resource_type": "profile_page", "utm_campaign": "fall"}),
            john(),
        );
        assert_eq!(
            (
                r.1["utm_link"]["title"].as_str(),
                r.1["utm_link"]["target_resource_type"].as_str(),
                r.1["utm_link"]["utm_campaign"].as_str()
            ),
            (Some("IG"), Some("product_page"), Some("fall"))
        );
        assert_failure(
            &json(
                &mut s,
                "PUT",
                &format!("/utm_links/{id}"),
                json!({"utm_campaign": ""}),
                john(),
            ),
            "Utm campaign can't be blank",
        );
        assert_eq!(
            form(
                &mut s,
                "PUT",
                &format!("/utm_links/{id}/disable"),
                &[],
                john()
            )
            .1["utm_link"]["enabled"],
            false
        );
        assert_eq!(
            form(
                &mut s,
                "PUT",
                &format!("/utm_links/{id}/enable"),
                &[],
                john()
            )
            .1["utm_link"]["enabled"],
            true
        );
        assert_eq!(
            form(&mut s, "DELETE", &format!("/utm_links/{id}"), &[], john()).1,
            json!({"success": true, "message": "The utm_link was deleted successfully."})
        );
        assert_failure(
            &form(
                &mut s,
                "PUT",
                &format!("/utm_links/{id}/enable"),
                &[],
                john(),
            ),
            "The utm_link was not found.",
        );
        assert_empty_403(&form(
            &mut s,
            "PUT",
            &format!("/utm_links/{UTM_PENCIL}/disable"),
            &[],
            who(SELLER_A, &["view_sales"]),
        ));
    }

    #[test]
    fn create_messages() {
        let mut s = state();
        let ok = |extra: serde_json::Value| {
            let mut b = json!({"title": "t", "target_resource_type": "profile_page", "utm_source": "a", "utm_medium": "b", "utm_campaign": "c"});
            if let (Some(o), Some(e)) = (b.as_object_mut(), extra.as_object()) {
                for (k, v) in e {
                    o.insert(k.clone(), v.clone());
                }
            }
            b
        };
        let long = "x".repeat(201);
        let cases = [
            (
                ok(json!({"target_resource_type": "blog"})),
                "Target resource type is not included in the list".to_string(),
            ),
            (ok(json!({"title": ""})), "Title can't be blank".into()),
            (
                ok(
                    json!({"target_resource_type": "product_page", "target_resource_id": P6_NOTEBOOK}),
                ),
                "Target resource can't be blank".into(),
            ),
            (
                ok(
                    json!({"target_resource_type": "post_page", "target_resource_id": EMAILS_JOHN[10]}),
                ),
                "Target resource can't be blank".into(),
            ),
            (
                ok(json!({"utm_source": "", "utm_medium": ""})),
                "Utm medium can't be blank and Utm source can't be blank".into(),
            ),
            (
                ok(json!({"utm_content": long})),
                "Utm content is too long (maximum is 200 characters)".into(),
            ),
        ];
        for (body, msg) in cases {
            assert_failure(&json(&mut s, "POST", "/utm_links", body, john()), &msg);
        }
        assert_ok(&json(
            &mut s,
            "POST",
            "/utm_links",
            ok(json!({"target_resource_type": "post_page", "target_resource_id": EMAILS_JOHN[1]})),
            john(),
        ));
    }
}
