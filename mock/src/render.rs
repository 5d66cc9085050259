//! JSON views of the data, field by field as Gumroad renders them (see the reference examples).

use serde_json::{json, Map, Value};

use crate::model::*;

pub fn user(s: &Seller, scopes: &[String]) -> Value {
    let mut m = Map::new();
    let has = |p: &str| scopes.iter().any(|s| s == p || s == "account");
    let private = [
        "edit_products",
        "view_sales",
        "revenue_share",
        "ifttt",
        "view_profile",
    ]
    .iter()
    .any(|p| has(p));
    // With only view_public, nil name/bio/twitter_handle are dropped.
    let put_opt = |m: &mut Map<String, Value>, k: &str, v: &Option<String>| match v {
        Some(v) => {
            m.insert(k.into(), json!(v));
        }
        None if private => {
            m.insert(k.into(), Value::Null);
        }
        None => {}
    };
    put_opt(&mut m, "name", &s.name);
    if private {
        m.insert("currency_type".into(), json!(s.currency_type));
    }
    put_opt(&mut m, "bio", &s.bio);
    put_opt(&mut m, "twitter_handle", &s.twitter_handle);
    m.insert("id".into(), json!(s.id));
    m.insert("user_id".into(), json!(s.user_id));
    m.insert(
        "url".into(),
        json!(format!("https://{}.gumroad.com", s.username)),
    );
    m.insert("links".into(), json!([]));
    if private {
        m.insert("profile_url".into(), json!(s.profile_url));
        m.insert("email".into(), json!(s.email));
    }
    if has("view_profile") {
        m.insert(
            "display_name".into(),
            json!(s.name.clone().unwrap_or_else(|| s.username.clone())),
        );
    }
    Value::Object(m)
}

pub fn product_url(seller: &Seller, p: &Product) -> String {
    let slug = p.custom_permalink.as_deref().unwrap_or(&p.unique_permalink);
    format!("https://{}.gumroad.com/l/{slug}", seller.username)
}

/// The `purchase` object of license answers: the ping payload merged with the license fields.
pub fn license_purchase(
    seller: &Seller,
    p: &Product,
    s: &Sale,
    sub: Option<&Subscription>,
) -> Value {
    let mut m = Map::new();
    m.insert("seller_id".into(), json!(seller.user_id));
    m.insert("product_id".into(), json!(p.id));
    m.insert("product_name".into(), json!(p.name));
    m.insert(
        "permalink".into(),
        json!(p.custom_permalink.as_deref().unwrap_or(&p.unique_permalink)),
    );
    m.insert("product_permalink".into(), json!(product_url(seller, p)));
    m.insert("short_product_id".into(), json!(p.unique_permalink));
    m.insert("email".into(), json!(s.email));
    m.insert("price".into(), json!(s.price));
    m.insert("gumroad_fee".into(), json!(s.gumroad_fee));
    m.insert("currency".into(), json!(p.currency));
    m.insert("quantity".into(), json!(s.quantity));
    m.insert("discover_fee_charged".into(), json!(false));
    m.insert("can_contact".into(), json!(true));
    m.insert("referrer".into(), json!(s.referrer));
    m.insert(
        "card".into(),
        json!({"visual": "**** **** **** 4242", "type": "visa", "bin": null, "expiry_month": null, "expiry_year": null}),
    );
    m.insert("order_number".into(), json!(s.order_id));
    m.insert("sale_id".into(), json!(s.id));
    m.insert("sale_timestamp".into(), json!(s.created_at));
    if let Some(n) = &s.full_name {
        m.insert("full_name".into(), json!(n));
    }
    if let Some(id) = &s.purchaser_id {
        m.insert("purchaser_id".into(), json!(id));
    }
    if let Some(id) = &s.subscription_id {
        m.insert("subscription_id".into(), json!(id));
    }
    m.insert(
        "variants".into(),
        json!(s.variants.clone().unwrap_or_default()),
    );
    if let Some(k) = &s.license_key {
        m.insert("license_key".into(), json!(k));
    }
    if s.is_multiseat_license || sub.is_some() {
        m.insert("is_multiseat_license".into(), json!(s.is_multiseat_license));
    }
    if let Some(c) = &s.country {
        m.insert("ip_country".into(), json!(c));
    }
    if let Some(sub) = sub {
        m.insert("recurrence".into(), json!(sub.recurrence));
    }
    m.insert("is_gift_receiver_purchase".into(), json!(false));
    m.insert("refunded".into(), json!(s.refunded));
    m.insert("disputed".into(), json!(s.disputed));
    m.insert("dispute_won".into(), json!(s.dispute_won));
    m.insert("id".into(), json!(s.id));
    m.insert("created_at".into(), json!(s.created_at));
    m.insert("custom_fields".into(), json!([]));
    match sub {
        Some(sub) => {
            m.insert("subscription_ended_at".into(), json!(sub.ended_at));
            m.insert("subscription_cancelled_at".into(), json!(sub.cancelled_at));
            m.insert("subscription_failed_at".into(), json!(sub.failed_at));
        }
        None => {
            m.insert("chargebacked".into(), json!(s.chargebacked));
        }
    }
    Value::Object(m)
}

pub fn imported_customer(p: &Product, c: &ImportedCustomer) -> Value {
    json!({
        "email": c.email,
        "created_at": c.created_at,
        "timestamp": "some time ago",
        "link_name": p.name,
        "product_name": p.name,
        "price": null,
        "is_imported_customer": true,
        "purchase_email": c.email,
        "id": c.id,
        "can_update": null,
    })
}

fn money(cents: u64) -> String {
    if cents.is_multiple_of(100) {
        format!("${}", cents / 100)
    } else {
        format!("${}.{:02}", cents / 100, cents % 100)
    }
}

/// The currencies a product can be priced in (`CURRENCY_CHOICES`), with their symbols and
/// whether they have minor units. [unverified] Gumroad's full list is in its currencies.yml;
/// this holds the ones Gumroad's checkout is known to offer.
pub const CURRENCIES: &[(&str, &str, bool)] = &[
    ("usd", "$", true),
    ("gbp", "£", true),
    ("eur", "€", true),
    ("jpy", "¥", false),
    ("inr", "₹", true),
    ("aud", "A$", true),
    ("cad", "CA$", true),
    ("hkd", "HK$", true),
    ("sgd", "S$", true),
    ("twd", "NT$", true),
    ("nzd", "NZ$", true),
    ("brl", "R$", true),
    ("zar", "R", true),
    ("chf", "CHF", true),
    ("ils", "₪", true),
    ("php", "₱", true),
    ("krw", "₩", false),
    ("pln", "zł", true),
    ("czk", "Kč", true),
    ("dkk", "kr.", true),
    ("huf", "Ft", true),
    ("mxn", "MX$", true),
    ("nok", "kr", true),
    ("sek", "kr", true),
    ("try", "₺", true),
];

/// An amount as Gumroad formats it: `$5`, `$5.50`, `€12`, `¥500`.
pub fn format_money(cents: u64, currency: &str) -> String {
    let (symbol, minor) = CURRENCIES
        .iter()
        .find(|(c, _, _)| c.eq_ignore_ascii_case(currency))
        .map(|(_, s, m)| (*s, *m))
        .unwrap_or(("$", true));
    if !minor {
        format!("{symbol}{cents}")
    } else if cents.is_multiple_of(100) {
        format!("{symbol}{}", cents / 100)
    } else {
        format!("{symbol}{}.{:02}", cents / 100, cents % 100)
    }
}

/// `price_formatted_verbose`: the amount plus the recurrence of memberships (`$5 a month`).
pub fn format_price_verbose(cents: u64, currency: &str, recurrence: Option<&str>) -> String {
    let suffix = match recurrence {
        Some("monthly") => " a month",
        Some("yearly") => " a year",
        Some("quarterly") => " every 3 months",
        Some("biannually") => " every 6 months",
        Some("every_two_years") => " every 2 years",
        _ => "",
    };
    format!("{}{suffix}", format_money(cents, currency))
}

pub fn format_price(p: &Product) -> String {
    let recurrence = if p.is_tiered_membership || p.subscription_duration.is_some() {
        p.subscription_duration.as_deref()
    } else {
        None
    };
    format_price_verbose(p.price, &p.currency, recurrence)
}

/// `Link#native_type`, for data written before the field existed.
pub fn native_type(p: &Product) -> &str {
    match p.native_type.as_deref() {
        Some(t) if !t.is_empty() => t,
        _ if p.is_tiered_membership => "membership",
        _ => "digital",
    }
}

/// A file's signed download URL (Gumroad signs S3 URLs; the mock signs nothing).
pub fn signed_file_url(url: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=3600&X-Amz-Signature=mock")
}

/// `{refund_period, title, fine_print, inherited}` of a product.
pub fn product_refund_policy(p: &Product) -> Value {
    match &p.refund_policy {
        Some(r) if r.enabled => json!({
            "refund_period": refund_period_name(r.max_refund_period_in_days),
            "title": refund_policy_title(r.max_refund_period_in_days),
            "fine_print": r.fine_print,
            "inherited": false,
        }),
        _ => {
            json!({"refund_period": "inherit", "title": null, "fine_print": null, "inherited": true})
        }
    }
}

pub fn refund_period_name(days: u32) -> String {
    if days == 0 {
        "none".into()
    } else {
        days.to_string()
    }
}

/// [unverified] `RefundPolicy#title` wording for each period.
pub fn refund_policy_title(days: u32) -> String {
    match days {
        0 => "No refunds allowed".into(),
        183 => "6-month money back guarantee".into(),
        d => format!("{d}-day money back guarantee"),
    }
}

pub struct ProductView<'a> {
    pub seller: &'a Seller,
    pub product: &'a Product,
    pub custom_fields: Vec<&'a CustomField>,
    pub categories: Vec<(&'a VariantCategory, Vec<&'a Variant>)>,
    pub sales_count: u64,
    pub sales_usd_cents: u64,
    pub with_sales: bool,
    /// The full object (show, create, update, enable, disable, bundle contents) rather than the
    /// slim one of the list.
    pub full: bool,
    /// The product's category as `/v2/categories` renders it, or null.
    pub category: Value,
}

fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = bytes as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{bytes} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

fn cover(c: &crate::model_storefront::Cover) -> Value {
    json!({
        "url": c.url,
        "original_url": c.original_url,
        "thumbnail": c.thumbnail,
        "id": c.id,
        "type": c.kind,
        "filetype": c.filetype,
        "width": c.width,
        "height": c.height,
        "native_width": c.native_width,
        "native_height": c.native_height,
    })
}

pub fn covers(p: &Product) -> Value {
    Value::Array(p.covers.iter().map(cover).collect())
}

pub fn rich_content_page(r: &crate::model_storefront::RichContentPage) -> Value {
    json!({"id": r.id, "title": r.title, "description": {"type": "doc", "content": r.content}})
}

pub fn product(v: &ProductView) -> Value {
    let p = v.product;
    let mut m = Map::new();
    m.insert("name".into(), json!(p.name));
    m.insert(
        "preview_url".into(),
        json!(p.covers.first().map(|c| &c.url)),
    );
    m.insert("description".into(), json!(p.description));
    m.insert("customizable_price".into(), json!(p.customizable_price));
    m.insert("require_shipping".into(), json!(false));
    m.insert("custom_receipt".into(), json!(p.custom_receipt));
    m.insert("custom_permalink".into(), json!(p.custom_permalink));
    m.insert(
        "subscription_duration".into(),
        json!(p.subscription_duration),
    );
    m.insert("custom_html".into(), json!(p.custom_html));
    m.insert("id".into(), json!(p.id));
    m.insert("url".into(), Value::Null);
    m.insert("price".into(), json!(p.price));
    m.insert("currency".into(), json!(p.currency));
    let url = product_url(v.seller, p);
    m.insert("short_url".into(), json!(url));
    m.insert("landing_url".into(), json!(url));
    m.insert(
        "thumbnail_url".into(),
        json!(p.thumbnail.as_ref().map(|t| &t.url)),
    );
    m.insert("tags".into(), json!(p.tags));
    m.insert("formatted_price".into(), json!(format_price(p)));
    m.insert("published".into(), json!(p.published));
    let file_info = match p.files.as_slice() {
        [f] => match f.size {
            Some(size) => json!({"Size": human_size(size)}),
            None => json!({}),
        },
        _ => json!({}),
    };
    m.insert("file_info".into(), file_info);
    m.insert("max_purchase_count".into(), json!(p.max_purchase_count));
    m.insert("deleted".into(), json!(p.deleted));
    let fields: Vec<Value> = v
        .custom_fields
        .iter()
        .map(|f| json!({"id": f.id, "type": f.field_type, "name": f.name, "required": f.required, "collect_per_product": f.collect_per_product}))
        .collect();
    m.insert("custom_fields".into(), json!(fields));
    m.insert("custom_summary".into(), json!(p.custom_summary));
    m.insert("is_tiered_membership".into(), json!(p.is_tiered_membership));
    m.insert(
        "recurrences".into(),
        if p.is_tiered_membership {
            json!([p
                .subscription_duration
                .clone()
                .unwrap_or_else(|| "monthly".into())])
        } else {
            Value::Null
        },
    );
    m.insert("covers".into(), covers(p));
    m.insert(
        "main_cover_id".into(),
        json!(p.covers.first().map(|c| &c.id)),
    );
    let bundle: Vec<Value> = if native_type(p) == "bundle" {
        let mut b: Vec<_> = p.bundle_products.iter().collect();
        b.sort_by_key(|x| x.position);
        b.iter()
            .map(|x| json!({"product_id": x.product_id, "variant_id": x.variant_id, "quantity": x.quantity, "position": x.position}))
            .collect()
    } else {
        vec![]
    };
    m.insert("bundle_products".into(), json!(bundle));
    let variants: Vec<Value> = v
        .categories
        .iter()
        .map(|(c, opts)| {
            let options: Vec<Value> = opts
                .iter()
                .map(|o| {
                    let mut opt = json!({"name": o.name, "price_difference": o.price_difference_cents, "is_pay_what_you_want": false, "recurrence_prices": null, "url": null});
                    // Per-variant rich content is not modelled: every option shares the product's.
                    if v.full {
                        opt["rich_content"] = json!([]);
                    }
                    opt
                })
                .collect();
            json!({"title": c.title, "options": options})
        })
        .collect();
    m.insert("variants".into(), json!(variants));
    // [unverified] Gumroad's newest list preloads a taxonomy-to-category map, so products very
    // likely carry their category (shaped like `/v2/categories` items); the key is a guess.
    m.insert("category".into(), v.category.clone());
    if v.full {
        let pages: Vec<Value> = p.rich_content.iter().map(rich_content_page).collect();
        m.insert("rich_content".into(), json!(pages));
        m.insert(
            "has_same_rich_content_for_all_variants".into(),
            json!(p.has_same_rich_content_for_all_variants),
        );
        let mut files: Vec<_> = p.files.iter().collect();
        files.sort_by_key(|f| f.position);
        let files: Vec<Value> = files
            .iter()
            .map(|f| json!({"id": f.id, "name": f.name, "size": f.size, "url": signed_file_url(&f.url), "filetype": f.filetype, "filegroup": f.filegroup}))
            .collect();
        m.insert("files".into(), json!(files));
        m.insert("refund_policy".into(), product_refund_policy(p));
    }
    if v.with_sales {
        m.insert("custom_delivery_url".into(), Value::Null);
        m.insert("sales_count".into(), json!(v.sales_count));
        m.insert("sales_usd_cents".into(), json!(v.sales_usd_cents as f64));
    }
    Value::Object(m)
}

/// A `/v2/categories` item.
pub fn category(c: &crate::model_storefront::Category) -> Value {
    json!({"id": c.id, "name": c.name, "label": c.label, "path": c.path, "parent_id": c.parent_id})
}

pub fn offer_code(o: &OfferCode) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(o.id));
    m.insert("name".into(), json!(o.name));
    m.insert("max_purchase_count".into(), json!(o.max_purchase_count));
    m.insert("universal".into(), json!(o.product_id.is_none()));
    m.insert("times_used".into(), json!(o.times_used));
    match (o.percent_off, o.amount_cents) {
        (Some(p), _) => m.insert("percent_off".into(), json!(p)),
        (None, a) => m.insert("amount_cents".into(), json!(a.unwrap_or(0))),
    };
    Value::Object(m)
}

pub fn variant_category(c: &VariantCategory) -> Value {
    json!({"id": c.id, "title": c.title})
}

pub fn variant(v: &Variant) -> Value {
    json!({"id": v.id, "max_purchase_count": v.max_purchase_count, "name": v.name, "description": v.description, "price_difference_cents": v.price_difference_cents})
}

pub fn custom_field(f: &CustomField) -> Value {
    json!({"id": f.id, "type": f.field_type, "name": f.name, "required": f.required, "global": f.global, "collect_per_product": f.collect_per_product, "products": f.product_ids})
}

pub fn resource_subscription(r: &ResourceSubscription) -> Value {
    json!({"id": r.id, "resource_name": r.resource_name, "post_url": r.post_url})
}

/// Subscription status as Gumroad derives it (`Subscription#status`): a deactivated
/// subscription answers its termination reason (`failed_payment`; `cancelled`;
/// `fixed_subscription_period_ended` when it ended without a cancellation, i.e. a fixed-length
/// subscription ran out of charges); a live one `pending_failure` while its latest charge
/// failed, then `pending_cancellation`, else `alive`.
pub fn subscription_status(s: &Subscription, now: &str) -> &'static str {
    let cancelled_past = s.cancelled_at.as_deref().is_some_and(|c| c <= now);
    if s.failed_at.is_some() {
        "failed_payment"
    } else if s.ended_at.is_some() && s.cancelled_at.is_none() {
        "fixed_subscription_period_ended"
    } else if s.ended_at.is_some() || cancelled_past {
        "cancelled"
    } else if s.last_charge_failed {
        "pending_failure"
    } else if s.cancelled_at.is_some() {
        "pending_cancellation"
    } else {
        "alive"
    }
}

pub fn subscriber(s: &Subscription, p: &Product, purchase_ids: Vec<String>, now: &str) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(s.id));
    m.insert("email".into(), json!(s.email));
    m.insert("product_id".into(), json!(p.id));
    m.insert("product_name".into(), json!(p.name));
    m.insert("user_id".into(), json!(s.user_id));
    m.insert("user_email".into(), json!(s.email));
    m.insert("purchase_ids".into(), json!(purchase_ids));
    m.insert("created_at".into(), json!(s.created_at));
    m.insert(
        "user_requested_cancellation_at".into(),
        json!(s.user_requested_cancellation_at),
    );
    m.insert(
        "charge_occurrence_count".into(),
        json!(s.charge_occurrence_count),
    );
    m.insert("recurrence".into(), json!(s.recurrence));
    m.insert("cancelled_at".into(), json!(s.cancelled_at));
    m.insert("ended_at".into(), json!(s.ended_at));
    m.insert("failed_at".into(), json!(s.failed_at));
    m.insert("free_trial_ends_at".into(), json!(s.free_trial_ends_at));
    m.insert("status".into(), json!(subscription_status(s, now)));
    if let Some(k) = &s.license_key {
        m.insert("license_key".into(), json!(k));
    }
    Value::Object(m)
}

pub struct SaleView<'a> {
    pub seller: &'a Seller,
    pub product: &'a Product,
    pub sale: &'a Sale,
    pub subscription: Option<&'a Subscription>,
    pub license: Option<&'a License>,
    pub now: &'a str,
}

/// A sale as `GET /v2/sales` renders it (nil-valued keys dropped).
pub fn sale(v: &SaleView) -> Value {
    let (s, p) = (v.sale, v.product);
    let mut m = Map::new();
    let refundable = s.price.saturating_sub(s.amount_refunded_cents);
    m.insert("id".into(), json!(s.id));
    m.insert("email".into(), json!(s.email));
    m.insert("seller_id".into(), json!(v.seller.user_id));
    m.insert("timestamp".into(), json!("some time ago"));
    m.insert(
        "daystamp".into(),
        json!(s.created_at.get(0..10).unwrap_or_default()),
    );
    m.insert("created_at".into(), json!(s.created_at));
    m.insert("product_name".into(), json!(p.name));
    m.insert("product_has_variants".into(), json!(s.variants.is_some()));
    m.insert("price".into(), json!(s.price));
    m.insert("gumroad_fee".into(), json!(s.gumroad_fee));
    m.insert("is_bundle_purchase".into(), json!(false));
    m.insert("is_bundle_product_purchase".into(), json!(false));
    if let Some(d) = &p.subscription_duration {
        m.insert("subscription_duration".into(), json!(d));
    }
    m.insert("formatted_display_price".into(), json!(money(s.price)));
    m.insert("formatted_total_price".into(), json!(money(s.price)));
    m.insert("currency_symbol".into(), json!("$"));
    m.insert(
        "amount_refundable_in_currency".into(),
        json!(money(refundable).trim_start_matches('$')),
    );
    m.insert("product_id".into(), json!(p.id));
    m.insert("product_permalink".into(), json!(p.unique_permalink));
    if s.refunded {
        m.insert("refunded".into(), json!(true));
    }
    m.insert(
        "partially_refunded".into(),
        json!(!s.refunded && s.amount_refunded_cents > 0),
    );
    m.insert("chargedback".into(), json!(s.chargebacked));
    m.insert("purchase_email".into(), json!(s.email));
    if let Some(n) = &s.full_name {
        m.insert("full_name".into(), json!(n));
    }
    if let Some(c) = &s.country {
        m.insert("country".into(), json!(c));
    }
    m.insert("paid".into(), json!(true));
    m.insert("has_variants".into(), json!(s.variants.is_some()));
    m.insert(
        "variants_and_quantity".into(),
        json!(s.variants.clone().unwrap_or_default()),
    );
    m.insert("has_custom_fields".into(), json!(false));
    m.insert("custom_fields".into(), json!({}));
    m.insert("order_id".into(), json!(s.order_id));
    m.insert("is_product_physical".into(), json!(false));
    if let Some(id) = &s.purchaser_id {
        m.insert("purchaser_id".into(), json!(id));
    }
    m.insert(
        "is_recurring_billing".into(),
        json!(s.subscription_id.is_some()),
    );
    m.insert("can_contact".into(), json!(true));
    m.insert("is_following".into(), json!(false));
    m.insert("disputed".into(), json!(s.disputed));
    m.insert("dispute_won".into(), json!(s.dispute_won));
    m.insert("is_additional_contribution".into(), json!(false));
    m.insert("discover_fee_charged".into(), json!(false));
    m.insert("is_upgrade_purchase".into(), json!(false));
    m.insert("is_more_like_this_recommended".into(), json!(false));
    m.insert("is_gift_sender_purchase".into(), json!(false));
    m.insert("is_gift_receiver_purchase".into(), json!(false));
    m.insert("referrer".into(), json!(s.referrer));
    m.insert("paypal_refund_expired".into(), json!(false));
    m.insert(
        "card".into(),
        json!({"visual": "**** **** **** 4242", "type": "visa", "bin": null, "expiry_month": null, "expiry_year": null}),
    );
    m.insert("product_rating".into(), Value::Null);
    m.insert("reviews_count".into(), json!(0));
    m.insert("average_rating".into(), json!(0));
    if let Some(sub) = v.subscription {
        let status = subscription_status(sub, v.now);
        m.insert("subscription_id".into(), json!(sub.id));
        m.insert("cancelled".into(), json!(sub.cancelled_at.is_some()));
        m.insert(
            "dead".into(),
            json!(matches!(
                status,
                "cancelled" | "failed_payment" | "fixed_subscription_period_ended"
            )),
        );
        m.insert("ended".into(), json!(sub.ended_at.is_some()));
        m.insert("free_trial_ended".into(), Value::Null);
        m.insert("free_trial_ends_on".into(), Value::Null);
        m.insert("recurring_charge".into(), json!(false));
    }
    if s.shipped {
        m.insert("shipped".into(), json!(true));
        m.insert("tracking_url".into(), json!(s.tracking_url));
    }
    if let Some(l) = v.license {
        m.insert("license_key".into(), json!(l.key));
        m.insert("license_id".into(), json!(format!("lic-{}", s.order_id)));
        m.insert("license_disabled".into(), json!(l.disabled));
        m.insert("is_multiseat_license".into(), json!(s.is_multiseat_license));
    }
    m.insert("quantity".into(), json!(s.quantity));
    Value::Object(m)
}
