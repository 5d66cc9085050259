//! The mock's data: what `--data FILE` loads and `--dump-seed` prints. Field names follow
//! Gumroad's where a field is rendered as is.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Data {
    pub sellers: Vec<Seller>,
    /// OAuth access tokens (direct API).
    pub tokens: Vec<Token>,
    /// Maton API keys and their connections.
    #[serde(default)]
    pub maton_keys: Vec<MatonKey>,
    pub products: Vec<Product>,
    #[serde(default)]
    pub sales: Vec<Sale>,
    #[serde(default)]
    pub subscriptions: Vec<Subscription>,
    #[serde(default)]
    pub licenses: Vec<License>,
    #[serde(default)]
    pub offer_codes: Vec<OfferCode>,
    #[serde(default)]
    pub variant_categories: Vec<VariantCategory>,
    #[serde(default)]
    pub variants: Vec<Variant>,
    #[serde(default)]
    pub custom_fields: Vec<CustomField>,
    #[serde(default)]
    pub resource_subscriptions: Vec<ResourceSubscription>,
    /// Profile, pages, catalog extras, upsells, UTM links, emails, workflows.
    #[serde(default)]
    pub storefront: crate::model_storefront::StorefrontData,
    /// Uploads, media, payouts, tax data, OAuth applications and grants.
    #[serde(default)]
    pub office: crate::model_office::OfficeData,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seller {
    /// `user_id` / `seller_id` (obfuscated id).
    pub user_id: String,
    /// Numeric external id (`id` in GET /user).
    pub id: String,
    pub name: Option<String>,
    pub username: String,
    pub email: String,
    #[serde(default)]
    pub bio: Option<String>,
    #[serde(default)]
    pub twitter_handle: Option<String>,
    #[serde(default = "usd")]
    pub currency_type: String,
    #[serde(default)]
    pub profile_url: Option<String>,
}

fn usd() -> String {
    "usd".into()
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Token {
    pub token: String,
    pub seller_id: String,
    /// Doorkeeper scopes (`view_public`, `view_sales`, `edit_products`, ...).
    pub scopes: Vec<String>,
    /// The OAuth application the token belongs to (resource subscriptions are per app).
    #[serde(default = "default_app")]
    pub app_id: String,
    /// A human note shown in `--help` output and docs.
    #[serde(default)]
    pub note: String,
}

fn default_app() -> String {
    "app_default".into()
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatonKey {
    pub key: String,
    #[serde(default)]
    pub connections: Vec<Connection>,
    #[serde(default)]
    pub note: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Connection {
    pub connection_id: String,
    /// `None` while the OAuth flow is unfinished (status PENDING).
    pub seller_id: Option<String>,
    pub status: String,
    pub creation_time: String,
    pub last_updated_time: String,
    #[serde(default = "gumroad_app")]
    pub app: String,
}

fn gumroad_app() -> String {
    "gumroad".into()
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub id: String,
    pub seller_id: String,
    pub name: String,
    pub unique_permalink: String,
    #[serde(default)]
    pub custom_permalink: Option<String>,
    #[serde(default)]
    pub description: String,
    pub price: u64,
    #[serde(default = "usd")]
    pub currency: String,
    pub created_at: String,
    #[serde(default = "yes")]
    pub published: bool,
    #[serde(default)]
    pub deleted: bool,
    #[serde(default)]
    pub is_tiered_membership: bool,
    #[serde(default)]
    pub subscription_duration: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub max_purchase_count: Option<u64>,
    #[serde(default)]
    pub custom_summary: Option<String>,
    /// `digital`, `course`, `ebook`, `membership`, `bundle`, `commission`, `call`, `coffee`,
    /// `physical`, ...; `None` in older data: `membership` when tiered, else `digital`.
    #[serde(default)]
    pub native_type: Option<String>,
    #[serde(default)]
    pub custom_receipt: Option<String>,
    /// The product's custom landing page (feature `custom_html_pages`).
    #[serde(default)]
    pub custom_html: Option<String>,
    /// Pay what you want (`null` until set, as Gumroad renders it).
    #[serde(default)]
    pub customizable_price: Option<bool>,
    #[serde(default)]
    pub suggested_price_cents: Option<u64>,
    #[serde(default)]
    pub quantity_enabled: bool,
    #[serde(default)]
    pub is_adult: bool,
    #[serde(default)]
    pub display_product_reviews: bool,
    #[serde(default)]
    pub should_show_sales_count: bool,
    #[serde(default)]
    pub has_same_rich_content_for_all_variants: bool,
    /// A `storefront.categories` id.
    #[serde(default)]
    pub taxonomy_id: Option<u64>,
    #[serde(default)]
    pub thumbnail: Option<crate::model_storefront::Thumbnail>,
    /// In display order; the first is the main cover.
    #[serde(default)]
    pub covers: Vec<crate::model_storefront::Cover>,
    #[serde(default)]
    pub files: Vec<crate::model_storefront::ProductFile>,
    #[serde(default)]
    pub rich_content: Vec<crate::model_storefront::RichContentPage>,
    /// The product-level refund policy; `None` or disabled: the account policy applies.
    #[serde(default)]
    pub refund_policy: Option<crate::model_storefront::ProductRefundPolicy>,
    #[serde(default)]
    pub bundle_products: Vec<crate::model_storefront::BundleProduct>,
}

fn yes() -> bool {
    true
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sale {
    pub id: String,
    pub product_id: String,
    pub email: String,
    pub created_at: String,
    /// Cents.
    pub price: u64,
    pub gumroad_fee: u64,
    #[serde(default = "one")]
    pub quantity: u64,
    /// Numeric order id (also `order_number` in license answers).
    pub order_id: u64,
    #[serde(default)]
    pub full_name: Option<String>,
    #[serde(default)]
    pub purchaser_id: Option<String>,
    #[serde(default)]
    pub variants: Option<String>,
    #[serde(default)]
    pub refunded: bool,
    #[serde(default)]
    pub amount_refunded_cents: u64,
    #[serde(default)]
    pub chargebacked: bool,
    #[serde(default)]
    pub disputed: bool,
    #[serde(default)]
    pub dispute_won: bool,
    #[serde(default)]
    pub subscription_id: Option<String>,
    #[serde(default)]
    pub license_key: Option<String>,
    #[serde(default)]
    pub is_multiseat_license: bool,
    #[serde(default)]
    pub shipped: bool,
    #[serde(default)]
    pub tracking_url: Option<String>,
    #[serde(default = "direct")]
    pub referrer: String,
    #[serde(default)]
    pub country: Option<String>,
}

fn one() -> u64 {
    1
}

fn direct() -> String {
    "direct".into()
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subscription {
    pub id: String,
    pub product_id: String,
    pub email: String,
    #[serde(default)]
    pub user_id: Option<String>,
    pub created_at: String,
    #[serde(default = "monthly")]
    pub recurrence: String,
    #[serde(default)]
    pub cancelled_at: Option<String>,
    #[serde(default)]
    pub user_requested_cancellation_at: Option<String>,
    #[serde(default)]
    pub ended_at: Option<String>,
    #[serde(default)]
    pub failed_at: Option<String>,
    #[serde(default)]
    pub charge_occurrence_count: Option<u64>,
    #[serde(default)]
    pub free_trial_ends_at: Option<String>,
    #[serde(default)]
    pub license_key: Option<String>,
    /// The latest charge failed while the subscription is still alive (Gumroad's
    /// `pending_failure?`: status `pending_failure` until the retries succeed or give up).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub last_charge_failed: bool,
}

fn monthly() -> String {
    "monthly".into()
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct License {
    /// Stored in canonical upper case; looked up case-insensitively.
    pub key: String,
    pub product_id: String,
    /// The purchase behind the key; `None` for imported customers.
    #[serde(default)]
    pub sale_id: Option<String>,
    #[serde(default)]
    pub imported_customer: Option<ImportedCustomer>,
    #[serde(default)]
    pub uses: u64,
    #[serde(default)]
    pub disabled: bool,
    /// The seller revoked access to the purchase.
    #[serde(default)]
    pub access_revoked: bool,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportedCustomer {
    pub id: String,
    pub email: String,
    pub created_at: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfferCode {
    pub id: String,
    pub seller_id: String,
    /// `None` for universal codes (they apply to every product of the seller).
    #[serde(default)]
    pub product_id: Option<String>,
    /// The code buyers type.
    pub name: String,
    #[serde(default)]
    pub amount_cents: Option<u64>,
    #[serde(default)]
    pub percent_off: Option<u64>,
    #[serde(default)]
    pub max_purchase_count: Option<u64>,
    #[serde(default)]
    pub times_used: u64,
    #[serde(default)]
    pub deleted: bool,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariantCategory {
    pub id: String,
    pub product_id: String,
    pub title: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    pub id: String,
    pub category_id: String,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub price_difference_cents: i64,
    #[serde(default)]
    pub max_purchase_count: Option<u64>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomField {
    pub id: String,
    pub seller_id: String,
    pub name: String,
    #[serde(default = "text_type")]
    pub field_type: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub global: bool,
    #[serde(default)]
    pub collect_per_product: bool,
    #[serde(default)]
    pub product_ids: Vec<String>,
}

fn text_type() -> String {
    "text".into()
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceSubscription {
    pub id: String,
    pub seller_id: String,
    /// The OAuth application that created it (only that app may delete it).
    pub app_id: String,
    pub resource_name: String,
    pub post_url: String,
}
