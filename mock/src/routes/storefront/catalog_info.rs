//! `GET /categories` (the Discover taxonomy) and Gumroad's help center articles.

use serde_json::{json, Value};

use crate::http::Resp;
use crate::model_storefront::HelpArticle;
use crate::render;
use crate::routes::{ApiRequest, PUBLIC_SCOPES, READ_SCOPES};
use crate::state::State;

/// `GET /categories`: every taxonomy node, sorted by path (use `path` as `category`).
pub fn categories(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    req.require(PUBLIC_SCOPES)?;
    let mut cats: Vec<_> = state.data.storefront.categories.iter().collect();
    cats.sort_by(|a, b| a.path.cmp(&b.path));
    let list: Vec<Value> = cats.into_iter().map(render::category).collect();
    Ok(Resp::success("categories", Value::Array(list)))
}

/// Rails' `expires_in 1.hour`.
fn cached(r: Resp) -> Resp {
    r.header("Cache-Control", "max-age=3600, private")
}

/// [unverified] The summary's keys beyond slug, title and url.
fn summary(a: &HelpArticle) -> Value {
    json!({
        "slug": a.slug,
        "title": a.title,
        "description": a.description,
        "url": format!("https://gumroad.com/help/article/{}", a.slug),
    })
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// `GET /help/articles[?query=]`: summaries (no bodies); a query keeps the articles that
/// contain every word of it, title matches first.
pub fn help_articles(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    req.require(READ_SCOPES)?;
    let query = req.params.text("query").filter(|q| !q.trim().is_empty());
    let articles = &state.data.storefront.help_articles;
    let list: Vec<&HelpArticle> = match query {
        None => articles.iter().collect(),
        Some(q) => {
            let wanted = words(&q);
            let mut hits: Vec<(bool, &HelpArticle)> = articles
                .iter()
                .filter_map(|a| {
                    let text = words(&format!("{} {} {}", a.title, a.description, a.content));
                    let all = wanted
                        .iter()
                        .all(|w| text.iter().any(|t| t.starts_with(w.as_str())));
                    let in_title = wanted
                        .iter()
                        .any(|w| words(&a.title).iter().any(|t| t.starts_with(w.as_str())));
                    all.then_some((in_title, a))
                })
                .collect();
            hits.sort_by_key(|(t, _)| !*t);
            hits.into_iter().map(|(_, a)| a).collect()
        }
    };
    let items: Vec<Value> = list.iter().map(|a| summary(a)).collect();
    Ok(cached(Resp::ok(json!({
        "success": true,
        "count": items.len(),
        "help_articles": items,
    }))))
}

pub fn help_article(state: &mut State, req: &ApiRequest, slug: &str) -> Result<Resp, Resp> {
    req.require(READ_SCOPES)?;
    let Some(a) = state
        .data
        .storefront
        .help_articles
        .iter()
        .find(|a| a.slug == slug)
    else {
        return Ok(Resp::failure(
            "The help article was not found. Call the list endpoint to see the available slugs.",
        ));
    };
    let mut article = summary(a);
    article["content"] = json!(a.content);
    Ok(cached(Resp::success("help_article", article)))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::seed::SELLER_A;

    #[test]
    fn categories_are_sorted_by_path_for_any_public_scope() {
        let mut s = state();
        let r = get(&mut s, "/categories", who(SELLER_A, &["edit_emails"]));
        assert_ok(&r);
        let paths: Vec<&str> = r.1["categories"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c["path"].as_str())
            .collect();
        let mut sorted = paths.clone();
        sorted.sort();
        assert_eq!(paths, sorted);
        let figma = r.1["categories"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["path"] == "design/ui-and-web/figma")
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            (
                figma["name"].as_str(),
                figma["label"].as_str(),
                figma["parent_id"].as_u64()
            ),
            (Some("figma"), Some("Figma"), Some(33))
        );
        assert_empty_403(&get(
            &mut s,
            "/categories",
            who(SELLER_A, &["refund_sales"]),
        ));
        assert_eq!(get(&mut s, "/categories", Err(())).0, 401);
    }

    #[test]
    fn help_articles_search_and_show() {
        let mut s = state();
        let r = get(&mut s, "/help/articles", john());
        assert_ok(&r);
        assert_eq!(
            r.1["count"].as_u64(),
            r.1["help_articles"].as_array().map(|a| a.len() as u64)
        );
        assert!(r.1["help_articles"][0].get("content").is_none());
        let r = form(
            &mut s,
            "GET",
            "/help/articles",
            &[("query", "license key")],
            john(),
        );
        assert_eq!(r.1["help_articles"][0]["slug"], "76-license-keys");
        let r = form(
            &mut s,
            "GET",
            "/help/articles",
            &[("query", "zzzz")],
            john(),
        );
        assert_eq!(r.1["count"], 0);
        let r = get(&mut s, "/help/articles/76-license-keys", john());
        assert!(r.1["help_article"]["content"]
            .as_str()
            .is_some_and(|c| c.contains("verify")));
        assert_eq!(
            r.1["help_article"]["url"],
            "https://gumroad.com/help/article/76-license-keys"
        );
        assert_failure(
            &get(&mut s, "/help/articles/nope", john()),
            "The help article was not found. Call the list endpoint to see the available slugs.",
        );
        assert_empty_403(&get(
            &mut s,
            "/help/articles",
            who(SELLER_A, &["edit_emails"]),
        ));
    }
}
