//! Which storefront handler answers a route.

use super::*;

/// Handles the routes of this group; `None` for any other route. Runs before the classic
/// routes, so `GET /products/comps` is not taken for a product id.
pub fn dispatch(
    state: &mut State,
    req: &ApiRequest,
    method: &str,
    segs: &[&str],
) -> Option<Result<Resp, Resp>> {
    let put = matches!(method, "PUT" | "PATCH");
    let r = match (method, segs) {
        (_, ["user"]) if put => profile::update_user(state, req),
        ("GET", ["user", "theme"]) => profile::theme(state, req),
        ("GET", ["user", "profile_layout"]) => profile::layout(state, req),
        ("GET", ["user", "custom_html"]) => profile::show_custom_html(state, req),
        (_, ["user", "custom_html"]) if put => profile::replace_custom_html(state, req),
        ("POST", ["user", "custom_html", "edit"]) => profile::edit_custom_html(state, req),
        ("POST", ["user", "preview_custom_html"]) => profile::preview_custom_html(state, req),

        ("GET", ["pages"]) => pages::list(state, req),
        ("POST", ["pages"]) => pages::create(state, req),
        ("GET", ["pages", slug]) => pages::show(state, req, slug),
        (_, ["pages", slug]) if put => pages::update(state, req, slug),
        ("DELETE", ["pages", slug]) => pages::delete(state, req, slug),

        ("GET", ["categories"]) => catalog_info::categories(state, req),
        ("GET", ["help", "articles"]) => catalog_info::help_articles(state, req),
        ("GET", ["help", "articles", slug]) => catalog_info::help_article(state, req, slug),
        ("GET", ["refund_policy"]) => refund_policy::show(state, req),
        (_, ["refund_policy"]) if put => refund_policy::update(state, req),

        ("GET", ["products", "comps"]) => comps::comps(state, req),
        ("GET", ["products", id, "custom_html"]) => product_pages::show(state, req, id),
        ("POST", ["products", id, "custom_html", "edit"]) => product_pages::edit(state, req, id),
        ("POST", ["products", id, "preview_custom_html"]) => product_pages::preview(state, req, id),
        ("GET", ["products", id, "reviews"]) => product_pages::reviews(state, req, id),
        ("PUT", ["products", id, "bundle_contents"]) => {
            media_assets::bundle_contents(state, req, id)
        }
        ("POST", ["products", id, "thumbnail"]) => media_assets::add_thumbnail(state, req, id),
        ("DELETE", ["products", id, "thumbnail"]) => media_assets::delete_thumbnail(state, req, id),
        ("POST", ["products", id, "covers"]) => media_assets::add_cover(state, req, id),
        ("DELETE", ["products", id, "covers", cover]) => {
            media_assets::delete_cover(state, req, id, cover)
        }

        ("GET", ["upsells"]) => upsells::list(state, req),
        ("POST", ["upsells"]) => upsells::create(state, req),
        ("GET", ["upsells", id]) => upsells::show(state, req, id),
        (_, ["upsells", id]) if put => upsells::update(state, req, id),
        ("DELETE", ["upsells", id]) => upsells::delete(state, req, id),

        ("GET", ["utm_links"]) => utm_links::list(state, req),
        ("POST", ["utm_links"]) => utm_links::create(state, req),
        ("GET", ["utm_links", id]) => utm_links::show(state, req, id),
        (_, ["utm_links", id]) if put => utm_links::update(state, req, id),
        ("DELETE", ["utm_links", id]) => utm_links::delete(state, req, id),
        ("PUT", ["utm_links", id, "disable"]) => utm_links::set_enabled(state, req, id, false),
        ("PUT", ["utm_links", id, "enable"]) => utm_links::set_enabled(state, req, id, true),

        ("GET", ["emails"]) => emails::list(state, req),
        ("POST", ["emails"]) => emails::create(state, req),
        ("GET", ["emails", id]) => emails::show(state, req, id),
        ("DELETE", ["emails", id]) => emails::delete(state, req, id),
        ("POST", ["emails", id, action @ ("preview" | "send" | "schedule" | "unschedule")]) => {
            emails::action(state, req, id, action)
        }

        ("GET", ["workflows"]) => workflows::list(state, req),
        ("GET", ["workflows", id]) => workflows::show(state, req, id),
        ("POST", ["workflows", id, "emails"]) => workflows::create_email(state, req, id),
        ("PUT", ["workflows", id, "emails", email]) => {
            workflows::update_email(state, req, id, email)
        }
        _ => return None,
    };
    Some(r)
}
