//! `GET /products/comps`: price percentiles over Gumroad Discover listings.

use serde_json::{json, Value};

use super::{as_str, present};
use crate::http::Resp;
use crate::model_storefront::DiscoverListing;
use crate::render;
use crate::routes::{ApiRequest, READ_SCOPES};
use crate::state::State;

const EXAMPLES: usize = 5;

/// The `p`-th percentile of sorted `values` by linear interpolation between closest ranks.
/// (Elasticsearch estimates with a t-digest; on small sets it lands on the same values.)
fn percentile(values: &[u64], p: f64) -> Option<u64> {
    let last = values.len().checked_sub(1)?;
    let rank = p / 100.0 * last as f64;
    let lo = rank.floor() as usize;
    let hi = rank.ceil() as usize;
    let (a, b) = (*values.get(lo)? as f64, *values.get(hi)? as f64);
    Some((a + (b - a) * (rank - lo as f64)).round() as u64)
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// `taxonomy` (an id or a slash path, descendants included) and/or `query` (every word must
/// appear in the listing's name or tags), priced listings in one currency.
pub fn comps(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    req.require(READ_SCOPES)?;
    let query = req.params.get("query").filter(|q| present(q));
    if query.is_some_and(|q| as_str(q).is_none()) {
        return Ok(Resp::failure("query must be a string."));
    }
    let taxonomy = req.params.get("taxonomy").filter(|t| present(t));
    if taxonomy.is_none() && query.is_none() {
        return Ok(Resp::failure("A taxonomy or query parameter is required."));
    }
    let currency = match req.params.get("price_currency_type") {
        None => "usd".to_string(),
        Some(p) => {
            let sent = p.as_text();
            let c = sent.trim().to_ascii_lowercase();
            if !render::CURRENCIES.iter().any(|(x, _, _)| *x == c) {
                return Ok(Resp::failure(&format!(
                    "'{sent}' is not a supported currency."
                )));
            }
            c
        }
    };
    let cats = &state.data.storefront.categories;
    let root = match taxonomy.map(|t| t.as_text()) {
        None => None,
        Some(t) => {
            let found = if t.bytes().all(|b| b.is_ascii_digit()) {
                cats.iter().find(|c| t.parse() == Ok(c.id))
            } else {
                cats.iter().find(|c| c.path == t.trim_matches('/'))
            };
            match found {
                Some(c) => Some(c.path.clone()),
                None => return Ok(Resp::failure("The taxonomy was not found.")),
            }
        }
    };
    let wanted = query.map(|q| words(&q.as_text())).unwrap_or_default();
    let in_taxonomy = |l: &DiscoverListing| match &root {
        None => true,
        Some(root) => cats.iter().any(|c| {
            c.id == l.taxonomy_id && (c.path == *root || c.path.starts_with(&format!("{root}/")))
        }),
    };
    let matches_query = |l: &DiscoverListing| {
        let text: Vec<String> = words(&format!("{} {}", l.name, l.tags.join(" ")));
        wanted.iter().all(|w| text.iter().any(|t| t == w))
    };
    let mut hits: Vec<&DiscoverListing> = state
        .data
        .storefront
        .discover
        .iter()
        .filter(|l| {
            l.price_cents > 0 && l.currency == currency && in_taxonomy(l) && matches_query(l)
        })
        .collect();
    let mut prices: Vec<u64> = hits.iter().map(|l| l.price_cents).collect();
    prices.sort_unstable();
    hits.sort_by_key(|l| std::cmp::Reverse(l.revenue_cents));
    let examples: Vec<Value> = hits
        .iter()
        .take(EXAMPLES)
        .map(|l| {
            json!({
                "name": l.name,
                "price": render::format_price_verbose(l.price_cents, &l.currency, l.recurrence.as_deref()),
                "url": l.url,
            })
        })
        .collect();
    Ok(Resp::success(
        "comps",
        json!({
            "count": hits.len(),
            "currency": currency,
            "price_cents": {
                "p25": percentile(&prices, 25.0),
                "p50": percentile(&prices, 50.0),
                "p75": percentile(&prices, 75.0),
            },
            "examples": examples,
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::seed::SELLER_A;
    use serde_json::json;

    #[test]
    fn percentiles_over_a_taxonomy_and_its_descendants() {
        let mut s = state();
        let r = form(
            &mut s,
            "GET",
            "/products/comps",
            &[("taxonomy", "design/ui-and-web/figma")],
            who(SELLER_A, &["view_public"]),
        );
        assert_ok(&r);
        let c = &r.1["comps"];
        // Priced USD Figma listings: 1900, 2900, 3900, 4900, 9900 (the free one is left out).
        assert_eq!(c["count"], 5);
        assert_eq!(
            c["price_cents"],
            json!({"p25": 2900, "p50": 3900, "p75": 4900})
        );
        assert_eq!(
            c["examples"][0],
            json!({"name": "Figma UI Kit Pro", "price": "$49", "url": "https://uikits.gumroad.com/l/figkit"})
        );
        let r = form(
            &mut s,
            "GET",
            "/products/comps",
            &[("taxonomy", "33")],
            john(),
        );
        assert_eq!(
            r.1["comps"]["count"], 7,
            "UI and Web includes Figma and Web Templates"
        );
        let r = form(
            &mut s,
            "GET",
            "/products/comps",
            &[("query", "brushes"), ("price_currency_type", "EUR")],
            john(),
        );
        assert_eq!(
            (
                r.1["comps"]["count"].as_u64(),
                r.1["comps"]["currency"].as_str()
            ),
            (Some(1), Some("eur"))
        );
        assert_eq!(r.1["comps"]["examples"][0]["price"], "€12");
        let r = form(
            &mut s,
            "GET",
            "/products/comps",
            &[("query", "no such thing")],
            john(),
        );
        assert_eq!(
            r.1["comps"]["price_cents"],
            json!({"p25": null, "p50": null, "p75": null})
        );
        let r = form(
            &mut s,
            "GET",
            "/products/comps",
            &[("query", "club")],
            john(),
        );
        assert_eq!(r.1["comps"]["examples"][0]["price"], "$5 a month");
    }

    #[test]
    fn comps_messages_and_scopes() {
        let mut s = state();
        assert_failure(
            &get(&mut s, "/products/comps", john()),
            "A taxonomy or query parameter is required.",
        );
        assert_failure(
            &json(
                &mut s,
                "GET",
                "/products/comps",
                json!({"query": ["x"]}),
                john(),
            ),
            "query must be a string.",
        );
        assert_failure(
            &form(
                &mut s,
                "GET",
                "/products/comps",
                &[("query", "x"), ("price_currency_type", "BTC")],
                john(),
            ),
            "'BTC' is not a supported currency.",
        );
        assert_failure(
            &form(
                &mut s,
                "GET",
                "/products/comps",
                &[("taxonomy", "design/nope")],
                john(),
            ),
            "The taxonomy was not found.",
        );
        assert_failure(
            &form(
                &mut s,
                "GET",
                "/products/comps",
                &[("taxonomy", "4242")],
                john(),
            ),
            "The taxonomy was not found.",
        );
        assert_empty_403(&form(
            &mut s,
            "GET",
            "/products/comps",
            &[("query", "x")],
            who(SELLER_A, &["edit_emails"]),
        ));
    }
}
