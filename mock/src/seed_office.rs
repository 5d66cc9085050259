//! The built-in back-office data, derived from the classic seed (`seed::default_data`).

use crate::ids::{Rng, SELLER_A, SELLER_B};
use crate::model::{Data, Sale};
use crate::model_office::*;

/// The built-in back-office data, derived from the classic seed `d`.
pub fn seed(d: &Data) -> OfficeData {
    let mut o = OfficeData {
        accounts: vec![
            Account {
                seller_id: SELLER_A.into(),
                created_at: "2020-11-02T10:00:00Z".into(),
                account_active: true,
                tax_center_enabled: true,
                payouts_status: "payable".into(),
                unpaid_balance_cents: 12_345,
                payment_processor: "stripe".into(),
                bank_account_visual: Some("******6789".into()),
                paypal_email: None,
            },
            Account {
                seller_id: SELLER_B.into(),
                created_at: "2023-02-14T09:00:00Z".into(),
                account_active: true,
                tax_center_enabled: false,
                payouts_status: "payable".into(),
                // Below the $10 minimum: no upcoming payout.
                unpaid_balance_cents: 450,
                payment_processor: "paypal".into(),
                bank_account_visual: None,
                paypal_email: Some("ada@example.com".into()),
            },
        ],
        oauth_apps: vec![
            OAuthApp {
                id: "app_demo".into(),
                name: "Gumroad Mock Web App".into(),
                uid: WEB_CLIENT_ID.into(),
                secret: Some(WEB_CLIENT_SECRET.into()),
                confidential: true,
                redirect_uris: vec![WEB_REDIRECT_URI.into()],
                scopes: APP_SCOPES.into(),
                device_authorization_enabled: false,
            },
            OAuthApp {
                id: "app_cli".into(),
                name: "Gumroad Mock CLI".into(),
                uid: CLI_CLIENT_ID.into(),
                secret: None,
                confidential: false,
                redirect_uris: vec![CLI_REDIRECT_URI.into()],
                scopes: APP_SCOPES.into(),
                device_authorization_enabled: true,
            },
            OAuthApp {
                id: "app_other".into(),
                name: "Other Demo App".into(),
                uid: OTHER_CLIENT_ID.into(),
                secret: Some(OTHER_CLIENT_SECRET.into()),
                confidential: true,
                redirect_uris: vec![OTHER_REDIRECT_URI.into()],
                scopes: "view_public view_sales view_payouts".into(),
                device_authorization_enabled: true,
            },
        ],
        media: vec![
            Media {
                id: MEDIA_BANNER.into(),
                seller_id: SELLER_A.into(),
                name: "banner".into(),
                extension: "PNG".into(),
                file_size: Some(48_213),
                url: Some(format!("https://public-files.gumroad.com/{MEDIA_BANNER}")),
                content_type: "image/png".into(),
                file_group: "image".into(),
                created_at: "2026-02-01T10:00:00Z".into(),
                deleted: false,
            },
            Media {
                id: MEDIA_LOGO.into(),
                seller_id: SELLER_A.into(),
                name: "logo".into(),
                extension: "JPG".into(),
                file_size: Some(12_004),
                url: Some(format!("https://public-files.gumroad.com/{MEDIA_LOGO}")),
                content_type: "image/jpeg".into(),
                file_group: "image".into(),
                created_at: "2026-03-15T10:00:00Z".into(),
                deleted: false,
            },
        ],
        tax_forms: vec![
            tax_form(2023, "us_1099_k", Some("2024-01-31T12:00:00Z"), true),
            tax_form(2024, "us_1099_k", Some("2025-01-31T12:00:00Z"), true),
            tax_form(2025, "us_1099_k", Some("2026-01-31T12:00:00Z"), true),
            // Neither Stripe nor the 1099-K fallback has a PDF for it: downloads are 404.
            tax_form(2025, "us_1099_misc", None, false),
        ],
        ..OfficeData::default()
    };
    // A sale charged in euros (the "active" license sale of Sketch Pro).
    if let Some(s) = d
        .sales
        .iter()
        .find(|s| s.license_key.as_deref() == Some(crate::ids::key("active").as_str()))
    {
        o.presentments.push(BuyerPresentment {
            sale_id: s.id.clone(),
            currency: "eur".into(),
            price_cents: 2_680,
            tip_cents: 0,
            seller_tax_cents: 0,
            gumroad_tax_cents: 536,
            shipping_cents: 0,
            total_cents: 3_216,
            fx_rate: "0.924".into(),
            refunded_cents: 0,
        });
    }
    o.payouts = seed_payouts(d);
    o
}

fn tax_form(year: i64, kind: &str, filed_at: Option<&str>, downloadable: bool) -> TaxForm {
    TaxForm {
        seller_id: SELLER_A.into(),
        tax_year: year,
        tax_form_type: kind.into(),
        filed_at: filed_at.map(String::from),
        downloadable,
    }
}

/// Monthly payouts: 14 for John Smith (two pages of 10), 3 for Ada Byron. Each covers the
/// seller's sales since the previous one.
fn seed_payouts(d: &Data) -> Vec<Payout> {
    let mut rng = Rng::new(0x0000_9A70_u64 << 32);
    let mut out = Vec::new();
    let plans: [(&str, u32, u32, usize); 2] = [(SELLER_A, 2025, 6, 14), (SELLER_B, 2026, 3, 3)];
    for (seller, start_year, start_month, count) in plans {
        let seller_sales: Vec<&Sale> = d
            .sales
            .iter()
            .filter(|s| {
                d.products
                    .iter()
                    .any(|p| p.id == s.product_id && p.seller_id == seller)
            })
            .collect();
        let mut prev_end = format!("{start_year:04}-{:02}-05", start_month - 1);
        for i in 0..count {
            let month0 = start_month - 1 + i as u32;
            let (year, month) = (start_year + month0 / 12, month0 % 12 + 1);
            let end = format!("{year:04}-{month:02}-05");
            let in_period: Vec<&&Sale> = seller_sales
                .iter()
                .filter(|s| {
                    let day = s.created_at.get(0..10).unwrap_or_default();
                    day > prev_end.as_str() && day <= end.as_str()
                })
                .collect();
            let net: u64 = in_period
                .iter()
                .filter(|s| !s.refunded)
                .map(|s| s.price.saturating_sub(s.gumroad_fee))
                .sum();
            let amount = if net > 0 {
                net
            } else {
                1_000 + rng.below(9_000)
            };
            let newest = i + 1 == count;
            let status = match (seller == SELLER_A, i) {
                _ if newest => "processing",
                (true, 3) => "returned",
                (true, 7) => "failed",
                _ => "completed",
            };
            let ada = seller == SELLER_B;
            let mut p = Payout {
                id: rng.external_id(),
                seller_id: seller.into(),
                amount_cents: amount,
                currency: "USD".into(),
                status: status.into(),
                created_at: format!("{end}T12:00:00Z"),
                updated_at: format!("{year:04}-{month:02}-07T09:30:00Z"),
                payment_processor: if ada { "paypal" } else { "stripe" }.into(),
                bank_account_visual: (!ada).then(|| "******6789".to_string()),
                paypal_email: ada.then(|| "ada@example.com".to_string()),
                period_start: next_day(&prev_end),
                period_end: end.clone(),
                ..Payout::default()
            };
            for s in &in_period {
                p.sale_ids.push(s.id.clone());
                if s.refunded {
                    p.refunded_sale_ids.push(s.id.clone());
                }
                if s.disputed || s.chargebacked {
                    p.disputed_sale_ids.push(s.id.clone());
                }
            }
            out.push(p);
            prev_end = end;
        }
    }
    out
}

/// The day after `YYYY-MM-DD` (seed helper; the dates here are always valid).
fn next_day(day: &str) -> String {
    crate::dates::parse_date(day)
        .map(|d| crate::dates::format_date(d + 1))
        .unwrap_or_else(|| day.to_string())
}
