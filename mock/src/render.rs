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
