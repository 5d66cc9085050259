//! Data behind the back-office routes: uploads (multipart files, direct-upload blobs), the media
//! library, sales exports and buyer-currency presentments, payouts, tax forms, per-account
//! settings, and OAuth applications, grants, tokens and device codes.
//!
//! Uploaded bytes are not data: they live in `State::objects`, so `--dump-seed` and
//! `GET /__mock/data` stay small.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficeData {
    /// Per-seller back-office facts (account state, tax center, payout balance).
    #[serde(default)]
    pub accounts: Vec<Account>,
    #[serde(default)]
    pub uploads: Vec<MultipartUpload>,
    /// Every `POST /v2/files/abort`, with what it answered.
    #[serde(default)]
    pub file_aborts: Vec<FileAbort>,
    #[serde(default)]
    pub blobs: Vec<Blob>,
    #[serde(default)]
    pub media: Vec<Media>,
    /// Every `POST /v2/sales/exports` (the mock sends no e-mail).
    #[serde(default)]
    pub sales_exports: Vec<SalesExport>,
    /// Sales charged in the buyer's own currency (`buyer_presentment`).
    #[serde(default)]
    pub presentments: Vec<BuyerPresentment>,
    #[serde(default)]
    pub payouts: Vec<Payout>,
    #[serde(default)]
    pub tax_forms: Vec<TaxForm>,
    #[serde(default)]
    pub oauth_apps: Vec<OAuthApp>,
    #[serde(default)]
    pub oauth_grants: Vec<OAuthGrant>,
    /// Tokens minted through `/oauth/token` (also pushed into `Data::tokens` while alive).
    #[serde(default)]
    pub oauth_tokens: Vec<OAuthToken>,
    #[serde(default)]
    pub device_codes: Vec<DeviceCode>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub seller_id: String,
    /// Account creation; tax years run from its year to the previous calendar year.
    pub created_at: String,
    /// `false` = suspended or closed (media uploads answer 403).
    #[serde(default = "yes")]
    pub account_active: bool,
    #[serde(default)]
    pub tax_center_enabled: bool,
    /// `payable` or `paused`: the status of the upcoming-payout entry.
    #[serde(default = "payable")]
    pub payouts_status: String,
    /// Unpaid balance up to the current payout period end; the upcoming payout appears only
    /// from Gumroad's $10 minimum on.
    #[serde(default)]
    pub unpaid_balance_cents: u64,
    #[serde(default = "stripe")]
    pub payment_processor: String,
    #[serde(default)]
    pub bank_account_visual: Option<String>,
    #[serde(default)]
    pub paypal_email: Option<String>,
}

fn yes() -> bool {
    true
}

fn payable() -> String {
    "payable".into()
}

fn stripe() -> String {
    "stripe".into()
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MultipartUpload {
    pub upload_id: String,
    pub seller_id: String,
    /// `attachments/<seller id>/<32-hex guid>/original/<sanitized filename>`.
    pub key: String,
    pub filename: String,
    pub file_size: u64,
    pub part_size: u64,
    pub part_count: u64,
    pub created_at: String,
    /// Unix seconds after which the presigned part URLs answer "Request has expired".
    pub urls_expire_at: i64,
    /// `pending`, `completed` or `aborted`.
    pub status: String,
    /// Parts received by the S3 stand-in (the last PUT of a part number wins).
    #[serde(default)]
    pub parts: Vec<UploadedPart>,
    /// The bucket-relative path of the assembled object (`gumroad-mock/<key>`).
    pub object: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadedPart {
    pub part_number: u64,
    /// Quoted hex MD5 of the part, as S3 answers it.
    pub etag: String,
    pub size: u64,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileAbort {
    pub upload_id: String,
    pub key: String,
    /// `accepted` or `already_gone`.
    pub status: String,
    pub at: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Blob {
    /// ActiveStorage's numeric id.
    pub id: u64,
    pub key: String,
    pub signed_id: String,
    pub seller_id: String,
    pub filename: String,
    pub content_type: String,
    pub byte_size: u64,
    /// Base64 MD5 the client declared.
    pub checksum: String,
    /// `media` when reserved with `purpose=media`.
    #[serde(default)]
    pub purpose: Option<String>,
    pub created_at: String,
    /// Unix seconds after which the direct-upload URL answers "Request has expired".
    pub url_expires_at: i64,
    /// The bytes arrived (and matched size and checksum).
    #[serde(default)]
    pub uploaded: bool,
    /// What the blob is attached to (e.g. `media:<public id>`); attached blobs cannot be reused.
    #[serde(default)]
    pub attached_to: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Media {
    /// The public id (`DELETE /v2/media/:id`).
    pub id: String,
    pub seller_id: String,
    pub name: String,
    /// Upper case, e.g. `PNG`.
    pub extension: String,
    #[serde(default)]
    pub file_size: Option<u64>,
    #[serde(default)]
    pub url: Option<String>,
    pub content_type: String,
    #[serde(default = "image")]
    pub file_group: String,
    pub created_at: String,
    #[serde(default)]
    pub deleted: bool,
}

fn image() -> String {
    "image".into()
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SalesExport {
    pub seller_id: String,
    pub recipient_email: String,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub product_ids: Vec<String>,
    pub queued_at: String,
}

/// Buyer-currency amounts of a sale, in that currency's minor units.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuyerPresentment {
    pub sale_id: String,
    pub currency: String,
    pub price_cents: u64,
    #[serde(default)]
    pub tip_cents: u64,
    #[serde(default)]
    pub seller_tax_cents: u64,
    #[serde(default)]
    pub gumroad_tax_cents: u64,
    #[serde(default)]
    pub shipping_cents: u64,
    pub total_cents: u64,
    /// A decimal string, as Gumroad sends it.
    pub fx_rate: String,
    #[serde(default)]
    pub refunded_cents: u64,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Payout {
    pub id: String,
    pub seller_id: String,
    pub amount_cents: u64,
    /// As stored on Gumroad's payments (`USD`); the upcoming entry uses the seller's
    /// `currency_type` instead.
    #[serde(default = "usd_upper")]
    pub currency: String,
    /// creating, processing, unclaimed, completed, failed, cancelled, reversed, returned.
    pub status: String,
    pub created_at: String,
    /// When the state last changed (`processed_at` of completed payouts).
    pub updated_at: String,
    pub payment_processor: String,
    #[serde(default)]
    pub bank_account_visual: Option<String>,
    #[serde(default)]
    pub paypal_email: Option<String>,
    /// First and last day (YYYY-MM-DD) of the sales the payout covers.
    pub period_start: String,
    pub period_end: String,
    #[serde(default)]
    pub sale_ids: Vec<String>,
    #[serde(default)]
    pub refunded_sale_ids: Vec<String>,
    #[serde(default)]
    pub disputed_sale_ids: Vec<String>,
}

fn usd_upper() -> String {
    "USD".into()
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxForm {
    pub seller_id: String,
    pub tax_year: i64,
    /// `us_1099_k`, `us_1099_misc`.
    pub tax_form_type: String,
    #[serde(default)]
    pub filed_at: Option<String>,
    /// Whether Stripe (or the 1099-K fallback) has a PDF for it.
    #[serde(default)]
    pub downloadable: bool,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OAuthApp {
    /// The application id tokens carry (`Token::app_id`; resource subscriptions are per app).
    pub id: String,
    pub name: String,
    /// `client_id`.
    pub uid: String,
    /// `None` for public clients (no client authentication).
    #[serde(default)]
    pub secret: Option<String>,
    pub confidential: bool,
    /// Registered redirect URIs, matched as Doorkeeper does.
    #[serde(default)]
    pub redirect_uris: Vec<String>,
    /// Scopes the application may request (space separated).
    pub scopes: String,
    #[serde(default)]
    pub device_authorization_enabled: bool,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OAuthGrant {
    pub code: String,
    pub app_uid: String,
    pub seller_id: String,
    pub scopes: String,
    pub redirect_uri: String,
    #[serde(default)]
    pub code_challenge: Option<String>,
    #[serde(default)]
    pub code_challenge_method: Option<String>,
    pub created_at: i64,
    pub expires_in: i64,
    /// Exchanged (authorization codes are single-use).
    #[serde(default)]
    pub revoked: bool,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OAuthToken {
    pub access_token: String,
    #[serde(default)]
    pub refresh_token: Option<String>,
    pub app_uid: String,
    /// `None` for client-credentials tokens (no resource owner).
    #[serde(default)]
    pub seller_id: Option<String>,
    pub scopes: String,
    pub created_at: i64,
    #[serde(default)]
    pub revoked: bool,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceCode {
    pub device_code: String,
    /// `GRD-XXXX-XXXX`.
    pub user_code: String,
    pub app_uid: String,
    pub scopes: String,
    pub created_at: i64,
    pub expires_at: i64,
    /// Seconds between polls promised in the answer.
    pub interval: u64,
    /// Milliseconds since the epoch of the last pending poll.
    #[serde(default)]
    pub last_polled_at_ms: Option<i64>,
    /// `pending`, `approved`, `denied` or `consumed`.
    pub status: String,
    #[serde(default)]
    pub seller_id: Option<String>,
    /// Minted on approval, handed out by the first poll after it.
    #[serde(default)]
    pub access_token: Option<String>,
}

/// Client ids and secrets of the built-in OAuth applications (listed in mock/README.md).
pub const WEB_CLIENT_ID: &str = "demo-web-client-id";
pub const WEB_CLIENT_SECRET: &str = "demo-web-client-secret";
pub const WEB_REDIRECT_URI: &str = "http://127.0.0.1:9/callback";
pub const CLI_CLIENT_ID: &str = "demo-cli-client-id";
pub const CLI_REDIRECT_URI: &str = "http://127.0.0.1:9/cli/callback";
pub const OTHER_CLIENT_ID: &str = "demo-other-client-id";
pub const OTHER_CLIENT_SECRET: &str = "demo-other-client-secret";
pub const OTHER_REDIRECT_URI: &str = "https://example.com/oauth/callback";

/// Public ids of the built-in media of John Smith.
pub const MEDIA_BANNER: &str = "bnr7x2k9q4w8e1r5";
pub const MEDIA_LOGO: &str = "lgo0p3m6n9b2v5c8";

/// Every scope Doorkeeper knows that a third-party app may hold.
pub const APP_SCOPES: &str = "view_public view_profile edit_profile edit_products edit_emails view_sales mark_sales_as_shipped refund_sales edit_sales view_payouts view_tax_data account";

#[cfg(test)]
mod tests {
    use crate::ids::SELLER_A;
    use crate::seed_office::seed;

    #[test]
    fn seed_has_two_pages_of_payouts_and_the_apps() {
        let d = crate::seed::default_data();
        let john = d
            .office
            .payouts
            .iter()
            .filter(|p| p.seller_id == SELLER_A)
            .count();
        assert!(john > 10, "{john}");
        assert_eq!(d.office.oauth_apps.len(), 3);
        assert_eq!(d.office.presentments.len(), 1);
        let again = seed(&d);
        assert_eq!(
            serde_json::to_string(&again).unwrap(),
            serde_json::to_string(&d.office).unwrap()
        );
    }
}
