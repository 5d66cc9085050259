//! The built-in data set: deterministic, so tests and docs can name its ids and keys.
//! `gumroad-mock --dump-seed` prints it as JSON (the format `--data` loads).

use crate::model::*;

pub use crate::ids::*;

fn scopes(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn product(
    id: &str,
    seller: &str,
    name: &str,
    permalink: &str,
    price: u64,
    created: &str,
) -> Product {
    Product {
        id: id.into(),
        seller_id: seller.into(),
        name: name.into(),
        unique_permalink: permalink.into(),
        price,
        currency: "usd".into(),
        created_at: created.into(),
        published: true,
        ..Product::default()
    }
}

#[allow(clippy::too_many_arguments)]
fn sale(
    id: &str,
    product_id: &str,
    email: &str,
    created: &str,
    price: u64,
    order_id: u64,
    key: Option<&str>,
) -> Sale {
    Sale {
        id: id.into(),
        product_id: product_id.into(),
        email: email.into(),
        created_at: created.into(),
        price,
        gumroad_fee: price * 29 / 100,
        quantity: 1,
        order_id,
        license_key: key.map(String::from),
        referrer: "direct".into(),
        country: Some("United States".into()),
        ..Sale::default()
    }
}

fn license(key: &str, product_id: &str, sale_id: &str, uses: u64) -> License {
    License {
        key: key.into(),
        product_id: product_id.into(),
        sale_id: Some(sale_id.into()),
        uses,
        ..License::default()
    }
}

fn sub(id: &str, product_id: &str, email: &str, created: &str, key: Option<&str>) -> Subscription {
    Subscription {
        id: id.into(),
        product_id: product_id.into(),
        email: email.into(),
        created_at: created.into(),
        recurrence: "monthly".into(),
        license_key: key.map(String::from),
        ..Subscription::default()
    }
}

/// The built-in data set.
pub fn default_data() -> Data {
    let mut d = Data {
        sellers: vec![
            Seller {
                user_id: SELLER_A.into(),
                id: "8452069472361".into(),
                name: Some("John Smith".into()),
                username: "sailorjohn".into(),
                email: "john@example.com".into(),
                bio: Some("a sailor, a tailor".into()),
                twitter_handle: None,
                currency_type: "usd".into(),
                profile_url: Some(
                    "https://public-files.gumroad.com/9shyoyt0grsdsqqs2s7cqhrwiyn8".into(),
                ),
            },
            Seller {
                user_id: SELLER_B.into(),
                id: "2290461183407".into(),
                name: Some("Ada Byron".into()),
                username: "adaworks".into(),
                email: "ada@example.com".into(),
                bio: None,
                twitter_handle: Some("adaworks".into()),
                currency_type: "usd".into(),
                profile_url: None,
            },
        ],
        tokens: vec![
            Token {
                token: "demo-token-full".into(),
                seller_id: SELLER_A.into(),
                scopes: scopes(ALL_SCOPES),
                app_id: "app_demo".into(),
                note: "seller John Smith, every scope".into(),
            },
            Token {
                token: "demo-token-public".into(),
                seller_id: SELLER_A.into(),
                scopes: scopes(&["view_public"]),
                app_id: "app_demo".into(),
                note: "seller John Smith, view_public only (403 on sales)".into(),
            },
            Token {
                token: "demo-token-readonly".into(),
                seller_id: SELLER_A.into(),
                scopes: scopes(&["view_public", "view_sales"]),
                app_id: "app_demo".into(),
                note: "seller John Smith, view_sales (403 on writes)".into(),
            },
            Token {
                token: "demo-token-other-app".into(),
                seller_id: SELLER_A.into(),
                scopes: scopes(ALL_SCOPES),
                app_id: "app_other".into(),
                note: "seller John Smith, every scope, another OAuth app".into(),
            },
            Token {
                token: "demo-token-seller-b".into(),
                seller_id: SELLER_B.into(),
                scopes: scopes(ALL_SCOPES),
                app_id: "app_demo".into(),
                note: "seller Ada Byron, every scope".into(),
            },
            Token {
                token: "demo-token-account".into(),
                seller_id: SELLER_A.into(),
                scopes: scopes(&["account"]),
                app_id: "app_demo".into(),
                note: "seller John Smith, account only (403 JSON on strict endpoints)".into(),
            },
            Token {
                token: "demo-token-edit-emails".into(),
                seller_id: SELLER_A.into(),
                scopes: scopes(&["edit_emails"]),
                app_id: "app_demo".into(),
                note: "seller John Smith, edit_emails only (403 on read endpoints)".into(),
            },
            Token {
                token: "demo-token-edit-profile".into(),
                seller_id: SELLER_A.into(),
                scopes: scopes(&["edit_profile"]),
                app_id: "app_demo".into(),
                note: "seller John Smith, edit_profile only (403 on read endpoints)".into(),
            },
            Token {
                token: "demo-token-refund-sales".into(),
                seller_id: SELLER_A.into(),
                scopes: scopes(&["refund_sales"]),
                app_id: "app_demo".into(),
                note: "seller John Smith, refund_sales only (403 on read endpoints)".into(),
            },
        ],
        maton_keys: vec![
            MatonKey {
                key: "demo-maton-key".into(),
                connections: vec![
                    Connection {
                        connection_id: "21fd90f9-5935-43cd-b6c8-bde9d915ca80".into(),
                        seller_id: Some(SELLER_A.into()),
                        status: "ACTIVE".into(),
                        creation_time: "2026-01-05T10:00:00.000000Z".into(),
                        last_updated_time: "2026-01-05T10:01:00.000000Z".into(),
                        app: "gumroad".into(),
                    },
                    Connection {
                        connection_id: "6b1c4f0e-8d2a-4e57-9a3b-c0ffee000b0b".into(),
                        seller_id: Some(SELLER_B.into()),
                        status: "ACTIVE".into(),
                        creation_time: "2026-02-10T10:00:00.000000Z".into(),
                        last_updated_time: "2026-02-10T10:01:00.000000Z".into(),
                        app: "gumroad".into(),
                    },
                ],
                note: "two Gumroad connections (John Smith oldest, then Ada Byron)".into(),
            },
            MatonKey {
                key: "demo-maton-key-unconnected".into(),
                connections: vec![],
                note: "no Gumroad connection (400)".into(),
            },
        ],
        ..Data::default()
    };

    // Products. P1 and P2 predate 2023-01-09 (verifiable by permalink); the rest need product_id.
    let mut p1 = product(
        P1_PENCIL,
        SELLER_A,
        "Pencil Icon PSD",
        "QMGY",
        500,
        "2021-01-01T09:00:00Z",
    );
    p1.custom_permalink = Some("pencil".into());
    p1.description = "I made this for fun.".into();
    p1.tags = vec!["pencil".into(), "icon".into()];
    p1.custom_summary = Some("You'll get one PSD file.".into());
    let mut p2 = product(
        P2_CLUB,
        SELLER_A,
        "Pencil Club",
        "XCBbJ",
        500,
        "2021-01-15T09:00:00Z",
    );
    p2.is_tiered_membership = true;
    p2.subscription_duration = Some("monthly".into());
    let mut p3 = product(
        P3_SKETCH,
        SELLER_A,
        "Sketch Pro",
        "skpro",
        2900,
        "2024-03-01T09:00:00Z",
    );
    p3.description = "A desktop drawing app. One license per machine.".into();
    p3.tags = vec!["app".into(), "desktop".into()];
    let mut p4 = product(
        P4_INKWELL,
        SELLER_A,
        "Inkwell Plugin",
        "inkwl",
        900,
        "2024-06-01T09:00:00Z",
    );
    p4.is_tiered_membership = true;
    p4.subscription_duration = Some("monthly".into());
    let mut p5 = product(
        P5_DRAFT,
        SELLER_A,
        "Draft Brushes",
        "drbr",
        1500,
        "2025-01-01T09:00:00Z",
    );
    p5.published = false;
    let p6 = product(
        P6_NOTEBOOK,
        SELLER_B,
        "Ada's Notebook",
        "adanb",
        1200,
        "2023-05-01T09:00:00Z",
    );
    d.products = vec![p1, p2, p3, p4, p5, p6];

    // Sales with named license states.
    let mut s1 = sale(
        "FO8TXN-dvxYabdavG97Y-Q==",
        P1_PENCIL,
        "calvin@example.com",
        "2021-01-05T19:38:56Z",
        500,
        524459995,
        Some("85DB562A-C11D4B06-A2335A6B-8C079166"),
    );
    s1.variants = Some("(red)".into());
    s1.full_name = Some("Calvin Example".into());
    s1.purchaser_id = Some("5530311507811".into());
    let mut s2 = sale(
        "B28UKN-dvxYabdavG97Y-Q==",
        P2_CLUB,
        "sam@example.com",
        "2021-02-10T16:20:11Z",
        1000,
        301648291,
        Some("83DB262A-C19D3B06-A5235A6B-8C079166"),
    );
    s2.subscription_id = Some("GazW4_NBcQy-o7Gjjng7lw==".into());
    s2.variants = Some("(Premium)".into());
    let mut s3 = sale(
        "Xt6nR2Lk0pQ9wEr7YuIoPA==",
        P1_PENCIL,
        "jordan@example.com",
        "2021-03-04T15:02:41Z",
        500,
        73201884,
        Some("4A7B1C2D-9E8F7A6B-5C4D3E2F-1A0B9C8D"),
    );
    s3.refunded = true;
    s3.amount_refunded_cents = 500;
    s3.variants = Some("(blue)".into());
    d.licenses.push(license(
        "85DB562A-C11D4B06-A2335A6B-8C079166",
        P1_PENCIL,
        &s1.id,
        3,
    ));
    d.licenses.push(license(
        "83DB262A-C19D3B06-A5235A6B-8C079166",
        P2_CLUB,
        &s2.id,
        2,
    ));
    d.licenses.push(license(
        "4A7B1C2D-9E8F7A6B-5C4D3E2F-1A0B9C8D",
        P1_PENCIL,
        &s3.id,
        1,
    ));
    d.sales.extend([s1, s2, s3]);
    d.subscriptions.push(sub(
        "GazW4_NBcQy-o7Gjjng7lw==",
        P2_CLUB,
        "sam@example.com",
        "2021-02-10T16:20:11Z",
        Some("83DB262A-C19D3B06-A5235A6B-8C079166"),
    ));

    let mut rng = Rng::new(0x0005_EED0_F6A1_10AD);
    let mut order = 600_000_000u64;
    // Sketch Pro (P3) and Inkwell (P4) sales carrying each license state.
    let named: &[(&str, &str, &str, u64)] = &[
        ("active", P3_SKETCH, "2024-04-02T10:00:00Z", 0),
        ("refunded", P3_SKETCH, "2024-04-03T10:00:00Z", 1),
        ("chargebacked", P3_SKETCH, "2024-04-04T10:00:00Z", 1),
        ("disputed", P3_SKETCH, "2024-04-05T10:00:00Z", 1),
        ("dispute_won", P3_SKETCH, "2024-04-06T10:00:00Z", 1),
        ("disabled", P3_SKETCH, "2024-04-07T10:00:00Z", 2),
        ("access_revoked", P3_SKETCH, "2024-04-08T10:00:00Z", 1),
        ("multiseat", P3_SKETCH, "2024-04-09T10:00:00Z", 4),
        (
            "subscription_cancelled",
            P4_INKWELL,
            "2024-07-01T10:00:00Z",
            1,
        ),
        (
            "subscription_pending_cancellation",
            P4_INKWELL,
            "2024-07-02T10:00:00Z",
            1,
        ),
        ("subscription_ended", P4_INKWELL, "2024-07-03T10:00:00Z", 1),
        ("subscription_failed", P4_INKWELL, "2024-07-04T10:00:00Z", 1),
        ("subscription_active", P4_INKWELL, "2024-07-05T10:00:00Z", 1),
    ];
    for (i, (label, pid, at, uses)) in named.iter().enumerate() {
        let k = key(label);
        let id = rng.external_id();
        order += 1;
        let price = if *pid == P3_SKETCH { 2900 } else { 900 };
        let email = format!("{}@example.com", label.replace('_', "."));
        let mut s = sale(&id, pid, &email, at, price, order, Some(&k));
        s.purchaser_id = Some(format!("{}", 7_100_000_000_000u64 + i as u64));
        let mut l = license(&k, pid, &id, *uses);
        match *label {
            "refunded" => {
                s.refunded = true;
                s.amount_refunded_cents = price;
            }
            "chargebacked" => s.chargebacked = true,
            "disputed" => s.disputed = true,
            "dispute_won" => {
                s.disputed = true;
                s.dispute_won = true;
            }
            "disabled" => l.disabled = true,
            "access_revoked" => l.access_revoked = true,
            "multiseat" => {
                s.is_multiseat_license = true;
                s.quantity = 3;
                s.price = price * 3;
            }
            _ => {}
        }
        if *pid == P4_INKWELL {
            let sid = rng.external_id();
            s.subscription_id = Some(sid.clone());
            let mut sb = sub(&sid, pid, &email, at, Some(&k));
            match *label {
                "subscription_cancelled" => {
                    sb.cancelled_at = Some("2025-01-01T00:00:00Z".into());
                    sb.user_requested_cancellation_at = Some("2024-12-01T00:00:00Z".into());
                    sb.ended_at = None;
                }
                "subscription_pending_cancellation" => {
                    // Cancelled by the buyer, paid until a date far ahead: still entitled.
                    sb.cancelled_at = Some("2099-01-01T00:00:00Z".into());
                    sb.user_requested_cancellation_at = Some("2026-10-01T00:00:00Z".into());
                }
                "subscription_ended" => {
                    sb.ended_at = Some("2025-02-01T00:00:00Z".into());
                    sb.cancelled_at = Some("2025-02-01T00:00:00Z".into());
                }
                "subscription_failed" => sb.failed_at = Some("2025-03-01T00:00:00Z".into()),
                _ => {}
            }
            sb.charge_occurrence_count = None;
            d.subscriptions.push(sb);
        }
        d.sales.push(s);
        d.licenses.push(l);
    }
    d.offer_codes = vec![
        OfferCode {
            id: "mN7CdHiwHaR9FlxKvF-n-g==".into(),
            seller_id: SELLER_A.into(),
            product_id: Some(P1_PENCIL.into()),
            name: "1OFF".into(),
            amount_cents: Some(100),
            times_used: 1,
            ..OfferCode::default()
        },
        OfferCode {
            id: "l5C1XQfr2TG3WXcGY7-r-g==".into(),
            seller_id: SELLER_A.into(),
            product_id: Some(P1_PENCIL.into()),
            name: "HALFOFF".into(),
            percent_off: Some(50),
            times_used: 1,
            ..OfferCode::default()
        },
        OfferCode {
            id: "VW5pdmVyc2FsLUxBVU5DSA==".into(),
            seller_id: SELLER_A.into(),
            product_id: None,
            name: "LAUNCH".into(),
            percent_off: Some(20),
            max_purchase_count: Some(100),
            ..OfferCode::default()
        },
    ];
    d.variant_categories = vec![VariantCategory {
        id: "hGQy4ZcJ4HhI2XVZcWxYxA==".into(),
        product_id: P1_PENCIL.into(),
        title: "colors".into(),
    }];
    d.variants = vec![
        Variant {
            id: "l5C1XQfr2TG3WXcGY7YrUg==".into(),
            category_id: "hGQy4ZcJ4HhI2XVZcWxYxA==".into(),
            name: "red".into(),
            price_difference_cents: 100,
            ..Variant::default()
        },
        Variant {
            id: "Pq0Vh6cB2lT7wKz1xR9mEw==".into(),
            category_id: "hGQy4ZcJ4HhI2XVZcWxYxA==".into(),
            name: "blue".into(),
            price_difference_cents: 0,
            ..Variant::default()
        },
    ];
    d.custom_fields = vec![CustomField {
        id: "p2dJ0l3n9Gq5Yw9oLkzH_g==".into(),
        seller_id: SELLER_A.into(),
        name: "Twitter handle".into(),
        field_type: "text".into(),
        product_ids: vec![P1_PENCIL.into()],
        ..CustomField::default()
    }];
    d.resource_subscriptions = vec![ResourceSubscription {
        id: "G_-mnBf9b1j9A7a4ub4nFQ==".into(),
        seller_id: SELLER_A.into(),
        app_id: "app_demo".into(),
        resource_name: "sale".into(),
        post_url: "https://postatmebro.com".into(),
    }];
    // Subscriptions on Pencil Club beyond Sam: pending cancellation and ended.
    let mut dana = sub(
        "P5ppE6H8XIjy2JSCgUhbAw==",
        P2_CLUB,
        "dana@example.com",
        "2021-01-25T18:40:00Z",
        None,
    );
    dana.cancelled_at = Some("2099-03-25T18:40:00Z".into());
    dana.user_requested_cancellation_at = Some("2021-03-01T10:00:00Z".into());
    let mut eli = sub(
        "Zr8mK2pQ4sV6xB0nC3dF5g==",
        P2_CLUB,
        "eli@example.com",
        "2021-01-02T08:00:00Z",
        None,
    );
    eli.ended_at = Some("2021-03-02T08:00:00Z".into());
    eli.cancelled_at = Some("2021-03-02T08:00:00Z".into());
    d.subscriptions.extend([dana, eli]);

    d.licenses.push(License {
        key: key("imported_customer"),
        product_id: P3_SKETCH.into(),
        sale_id: None,
        imported_customer: Some(ImportedCustomer {
            id: "Fh7gT5rE3wQ1zX9cV7bN5g==".into(),
            email: "imported@example.com".into(),
            created_at: "2024-02-01T10:00:00Z".into(),
        }),
        uses: 1,
        ..License::default()
    });

    // Ordinary sales spread over 2024-2026 across products, to page through.
    let products = [P1_PENCIL, P3_SKETCH, P3_SKETCH, P4_INKWELL, P6_NOTEBOOK];
    for n in 0..60u64 {
        let pid = products[(rng.below(products.len() as u64)) as usize];
        let month = 1 + rng.below(12);
        let day = 1 + rng.below(28);
        let year = 2024 + (n % 3);
        let at = format!(
            "{year}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
            rng.below(24),
            rng.below(60),
            rng.below(60)
        );
        let id = rng.external_id();
        order += 1;
        let price = match pid {
            P1_PENCIL => 500,
            P3_SKETCH => 2900,
            P4_INKWELL => 900,
            _ => 1200,
        };
        let email = format!("buyer{n:02}@example.com");
        let k = (pid == P3_SKETCH).then(|| rng.license_key());
        let mut s = sale(&id, pid, &email, &at, price, order, k.as_deref());
        if let Some(k) = &k {
            d.licenses.push(license(k, pid, &id, rng.below(3)));
        }
        if pid == P4_INKWELL {
            let sid = rng.external_id();
            s.subscription_id = Some(sid.clone());
            d.subscriptions.push(sub(&sid, pid, &email, &at, None));
        }
        d.sales.push(s);
    }
    // Seeded last, so the classic data above (and its random ids) never changes because of them.
    d.storefront = crate::seed_storefront::seed(&d);
    d.office = crate::seed_office::seed(&d);
    seed_subscriber_states(&mut d);
    d
}

/// Subscriber id in state `pending_failure` (Inkwell Plugin: alive, latest charge failed).
pub const SUB_PENDING_FAILURE: &str = "cGVuZGluZy1mYWlsdXJlLTE=";
/// Subscriber id in state `fixed_subscription_period_ended` (Inkwell Plugin: a fixed-length
/// subscription of 3 charges that ran out; `ended_at` set, never cancelled).
pub const SUB_FIXED_PERIOD_ENDED: &str = "Zml4ZWQtcGVyaW9kLWVuZGVk";

/// Turns the first two generated Inkwell Plugin subscriptions into the two states Gumroad
/// shows that the classic seed lacks, under fixed ids (their sales follow the new ids).
fn seed_subscriber_states(d: &mut Data) {
    let generated: Vec<usize> = d
        .subscriptions
        .iter()
        .enumerate()
        .filter(|(_, s)| s.product_id == P4_INKWELL && s.license_key.is_none())
        .map(|(i, _)| i)
        .take(2)
        .collect();
    for (n, &i) in generated.iter().enumerate() {
        let new_id = if n == 0 {
            SUB_PENDING_FAILURE
        } else {
            SUB_FIXED_PERIOD_ENDED
        };
        let old_id = std::mem::replace(&mut d.subscriptions[i].id, new_id.to_string());
        for sale in d.sales.iter_mut() {
            if sale.subscription_id.as_deref() == Some(old_id.as_str()) {
                sale.subscription_id = Some(new_id.to_string());
            }
        }
        let sub = &mut d.subscriptions[i];
        if n == 0 {
            sub.last_charge_failed = true;
        } else {
            // Three monthly charges: ended three months after the start.
            let c = &sub.created_at;
            let (y, m): (u32, u32) = (
                c[0..4].parse().unwrap_or(2024),
                c[5..7].parse().unwrap_or(1),
            );
            let (y, m) = if m + 3 > 12 {
                (y + 1, m + 3 - 12)
            } else {
                (y, m + 3)
            };
            sub.ended_at = Some(format!("{y:04}-{m:02}{}", &c[7..]));
            sub.charge_occurrence_count = Some(3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_is_deterministic_and_big_enough() {
        let a = serde_json::to_string(&default_data()).unwrap();
        let b = serde_json::to_string(&default_data()).unwrap();
        assert_eq!(a, b);
        let d = default_data();
        assert!(d.sales.len() >= 55, "{}", d.sales.len());
        for (label, k) in KEYS {
            assert!(d.licenses.iter().any(|l| &l.key == k), "{label}");
        }
    }

    #[test]
    fn ids_look_like_gumroad_ids() {
        let mut r = Rng::new(1);
        let id = r.external_id();
        assert_eq!(id.len(), 24);
        assert!(id.ends_with("=="));
        let k = r.license_key();
        assert_eq!(k.len(), 35);
        assert_eq!(k.matches('-').count(), 3);
    }
}
