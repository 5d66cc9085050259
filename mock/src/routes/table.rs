//! The routes the mock serves under `/v2` (and Maton's `/gumroad/v2`): Gumroad's public v2 route
//! table as `config/routes.rb` draws it (`api_routes`), one row per table line, `:name` for a
//! dynamic segment, every path also taking Rails' optional `.json` suffix.
//!
//! [`super::dispatch`] answers Rails' routing 404 to anything not in this table before any
//! handler runs, so the match arms in the route modules can never serve a route Gumroad does not
//! route (an unlisted verb, an invented path, or a removed one such as Walks). The tests below
//! compare the table with `tests/fixtures/reference_routes.txt` in both directions; the
//! conformance suite checks that every row is really served.

/// `(methods, path)`: methods comma-separated, path without the `/v2` prefix.
pub const V2_ROUTES: &[(&str, &str)] = &[
    ("POST", "/files/presign"),
    ("POST", "/files/complete"),
    ("POST", "/files/abort"),
    ("POST", "/direct_uploads"),
    ("POST", "/licenses/verify"),
    ("PUT", "/licenses/enable"),
    ("PUT", "/licenses/disable"),
    ("PUT", "/licenses/decrement_uses_count"),
    ("PUT", "/licenses/rotate"),
    ("GET", "/user"),
    ("GET", "/user/theme"),
    ("GET", "/user/profile_layout"),
    ("PUT,PATCH", "/user"),
    ("GET", "/user/custom_html"),
    ("PUT,PATCH", "/user/custom_html"),
    ("POST", "/user/custom_html/edit"),
    ("POST", "/user/preview_custom_html"),
    ("GET", "/pages"),
    ("GET", "/pages/:slug"),
    ("POST", "/pages"),
    ("PUT,PATCH", "/pages/:slug"),
    ("DELETE", "/pages/:slug"),
    ("GET", "/media"),
    ("POST", "/media"),
    ("DELETE", "/media/:id"),
    ("GET", "/categories"),
    ("GET", "/help/articles"),
    ("GET", "/help/articles/:slug"),
    ("GET", "/refund_policy"),
    ("PUT,PATCH", "/refund_policy"),
    ("GET", "/products/comps"),
    ("GET", "/products"),
    ("POST", "/products"),
    ("GET", "/products/:id"),
    ("PUT,PATCH", "/products/:id"),
    ("DELETE", "/products/:id"),
    ("PUT", "/products/:id/disable"),
    ("PUT", "/products/:id/enable"),
    ("POST", "/products/:id/preview_custom_html"),
    ("GET", "/products/:id/custom_html"),
    ("POST", "/products/:id/custom_html/edit"),
    ("GET", "/products/:id/custom_fields"),
    ("POST", "/products/:id/custom_fields"),
    ("PUT,PATCH", "/products/:id/custom_fields/:name"),
    ("DELETE", "/products/:id/custom_fields/:name"),
    ("GET", "/products/:id/offer_codes"),
    ("POST", "/products/:id/offer_codes"),
    ("GET", "/products/:id/offer_codes/:oid"),
    ("PUT,PATCH", "/products/:id/offer_codes/:oid"),
    ("DELETE", "/products/:id/offer_codes/:oid"),
    ("GET", "/products/:id/variant_categories"),
    ("POST", "/products/:id/variant_categories"),
    ("GET", "/products/:id/variant_categories/:cid"),
    ("PUT,PATCH", "/products/:id/variant_categories/:cid"),
    ("DELETE", "/products/:id/variant_categories/:cid"),
    ("GET", "/products/:id/variant_categories/:cid/variants"),
    ("POST", "/products/:id/variant_categories/:cid/variants"),
    ("GET", "/products/:id/variant_categories/:cid/variants/:vid"),
    (
        "PUT,PATCH",
        "/products/:id/variant_categories/:cid/variants/:vid",
    ),
    (
        "DELETE",
        "/products/:id/variant_categories/:cid/variants/:vid",
    ),
    ("GET", "/products/:id/skus"),
    ("GET", "/products/:id/subscribers"),
    ("GET", "/products/:id/reviews"),
    ("PUT", "/products/:id/bundle_contents"),
    ("POST", "/products/:id/thumbnail"),
    ("DELETE", "/products/:id/thumbnail"),
    ("POST", "/products/:id/covers"),
    ("DELETE", "/products/:id/covers/:cover_id"),
    ("GET", "/upsells"),
    ("POST", "/upsells"),
    ("GET", "/upsells/:id"),
    ("PUT,PATCH", "/upsells/:id"),
    ("DELETE", "/upsells/:id"),
    ("GET", "/utm_links"),
    ("POST", "/utm_links"),
    ("GET", "/utm_links/:id"),
    ("PUT,PATCH", "/utm_links/:id"),
    ("DELETE", "/utm_links/:id"),
    ("PUT", "/utm_links/:id/disable"),
    ("PUT", "/utm_links/:id/enable"),
    ("GET", "/emails"),
    ("POST", "/emails"),
    ("GET", "/emails/:id"),
    ("DELETE", "/emails/:id"),
    ("POST", "/emails/:id/preview"),
    ("POST", "/emails/:id/send"),
    ("POST", "/emails/:id/schedule"),
    ("POST", "/emails/:id/unschedule"),
    ("GET", "/workflows"),
    ("GET", "/workflows/:id"),
    ("POST", "/workflows/:workflow_id/emails"),
    ("PUT", "/workflows/:workflow_id/emails/:email_id"),
    ("POST", "/sales/exports"),
    ("GET", "/sales/summary"),
    ("GET", "/sales"),
    ("GET", "/sales/:id"),
    ("PUT", "/sales/:id/mark_as_shipped"),
    ("PUT", "/sales/:id/refund"),
    ("POST", "/sales/:id/resend_receipt"),
    ("GET", "/payouts/upcoming"),
    ("GET", "/payouts"),
    ("GET", "/payouts/:id"),
    ("GET", "/subscribers/:id"),
    ("PUT", "/resource_subscriptions"),
    ("DELETE", "/resource_subscriptions/:id"),
    ("GET", "/resource_subscriptions"),
    ("GET", "/tax_forms"),
    ("GET", "/tax_forms/:year/:tax_form_type/download"),
    ("GET", "/earnings"),
    ("POST", "/gumhead/v1/messages"),
    ("POST", "/gumhead/v1/messages/count_tokens"),
];

/// Whether Gumroad routes `method` on these (decoded, suffix-stripped) path segments.
pub fn routed(method: &str, segs: &[&str]) -> bool {
    V2_ROUTES
        .iter()
        .any(|(methods, path)| methods.split(',').any(|m| m == method) && matches(path, segs))
}

/// A path pattern against segments: literal segments compare exactly, `:name` takes any
/// non-empty segment.
pub(crate) fn matches(pattern: &str, segs: &[&str]) -> bool {
    let mut want = pattern.split('/').filter(|s| !s.is_empty());
    let mut got = segs.iter();
    loop {
        match (want.next(), got.next()) {
            (None, None) => return true,
            (Some(w), Some(g)) if w.starts_with(':') && !g.is_empty() || w == *g => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// `(method, shape)` pairs with every dynamic segment written `:x`.
    fn pairs<'a>(rows: impl Iterator<Item = (&'a str, &'a str)>) -> BTreeSet<(String, String)> {
        let mut out = BTreeSet::new();
        for (methods, path) in rows {
            let shape: Vec<&str> = path
                .split('/')
                .filter(|s| !s.is_empty())
                .map(|s| if s.starts_with(':') { ":x" } else { s })
                .collect();
            for m in methods.split(',') {
                out.insert((m.to_string(), shape.join("/")));
            }
        }
        out
    }

    fn reference() -> BTreeSet<(String, String)> {
        let text = include_str!("../../../tests/fixtures/reference_routes.txt");
        let rows = text
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| {
                let route = l.split(" | ").next().unwrap_or(l);
                let (methods, path) = route.split_once(' ').unwrap_or((route, ""));
                (methods, path.strip_prefix("/v2").unwrap_or(path))
            });
        pairs(rows)
    }

    #[test]
    fn the_table_is_gumroads_route_list_no_more_and_no_less() {
        let ours = pairs(V2_ROUTES.iter().copied());
        let theirs = reference();
        assert_eq!(theirs.len(), 122, "§19 counts 122 method+path routes");
        let extra: Vec<_> = ours.difference(&theirs).collect();
        let missing: Vec<_> = theirs.difference(&ours).collect();
        assert!(
            extra.is_empty(),
            "served but not routed by Gumroad: {extra:?}"
        );
        assert!(
            missing.is_empty(),
            "routed by Gumroad but not served: {missing:?}"
        );
    }

    #[test]
    fn matching_takes_literals_exactly_and_any_non_empty_dynamic_segment() {
        assert!(routed("GET", &["products", "abc"]));
        assert!(routed("PATCH", &["products", "abc"]));
        assert!(routed("GET", &["products", "comps"]));
        assert!(routed(
            "GET",
            &["tax_forms", "2025", "us_1099_k", "download"]
        ));
        assert!(!routed("POST", &["products", "abc"]));
        assert!(!routed("GET", &["products", ""]));
        assert!(!routed("GET", &["products", "abc", "zz"]));
        assert!(!routed("GET", &[]));
        assert!(!routed("GET", &["gumhead", "client_version"]));
        assert!(!routed("POST", &["walks", "realtime_tokens"]));
        assert!(!routed("PATCH", &["sales", "s1", "refund"]));
    }
}
