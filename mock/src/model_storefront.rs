//! Data behind the storefront routes: profile extras (theme, custom HTML), pages, catalog
//! extras (covers, thumbnails, bundle contents, reviews, rich content, refund policies),
//! upsells, UTM links, emails and workflows.
//!
//! Per-product extras (covers, files, rich content, ...) are fields of `model::Product`; the
//! structs they use live here. Everything else is keyed by seller or product id.

use serde::{Deserialize, Serialize};
use serde_json::Value;

// ---- seeded ids (documented in mock/README.md) ------------------------------------------------

pub const UPSELL_PENCIL: &str = "VXBzZWxsLVBlbmNpbC0wMQ==";
pub const CROSS_SELL_SKETCH: &str = "WFNlbGwtU2tldGNoUHJvMQ==";
pub const UTM_PROFILE: &str = "VXRtLVByb2ZpbGUtMDAwMQ==";
pub const UTM_PENCIL: &str = "VXRtLVBlbmNpbC0wMDAwMg==";
pub const UTM_POST: &str = "VXRtLVBvc3QtMDAwMDAwMw==";
pub const UTM_DISABLED: &str = "VXRtLURpc2FibGVkLTAwNA==";
pub const UTM_ADA: &str = "VXRtLUFkYS0wMDAwMDAwNQ==";
pub const WF_WELCOME: &str = "V29ya2Zsb3ctV2VsY29tZQ==";
pub const WF_ABANDONED_CART: &str = "V29ya2Zsb3ctQWJDYXJ0MQ==";
pub const WF_SKETCH: &str = "V29ya2Zsb3ctU2tldGNoUA==";
pub const WF_ADA: &str = "V29ya2Zsb3ctQWRhTm90ZQ==";
pub const WFE_WELCOME_1: &str = "V2ZNYWlsLVdlbGNvbWUtMQ==";
pub const WFE_WELCOME_2: &str = "V2ZNYWlsLVdlbGNvbWUtMg==";
pub const WFE_CART_1: &str = "V2ZNYWlsLUFiQ2FydC0wMQ==";
pub const WFE_SKETCH_1: &str = "V2ZNYWlsLVNrZXRjaC0wMQ==";
pub const WFE_ADA_1: &str = "V2ZNYWlsLUFkYU5vdGUtMQ==";
pub const REVIEW_HIDDEN: &str = "UmV2aWV3LVBlbmNpbC0wNQ==";
/// John Smith's emails, oldest first (`Email-John-000NN` in base64).
pub const EMAILS_JOHN: [&str; 13] = [
    "RW1haWwtSm9obi0wMDAwMQ==",
    "RW1haWwtSm9obi0wMDAwMg==",
    "RW1haWwtSm9obi0wMDAwMw==",
    "RW1haWwtSm9obi0wMDAwNA==",
    "RW1haWwtSm9obi0wMDAwNQ==",
    "RW1haWwtSm9obi0wMDAwNg==",
    "RW1haWwtSm9obi0wMDAwNw==",
    "RW1haWwtSm9obi0wMDAwOA==",
    "RW1haWwtSm9obi0wMDAwOQ==",
    "RW1haWwtSm9obi0wMDAxMA==",
    "RW1haWwtSm9obi0wMDAxMQ==",
    "RW1haWwtSm9obi0wMDAxMg==",
    "RW1haWwtSm9obi0wMDAxMw==",
];
pub const EMAIL_ADA: &str = "RW1haWwtQWRhLTAwMDAwMQ==";
/// Variants of Pencil Icon PSD (classic seed).
pub const VARIANT_RED: &str = "l5C1XQfr2TG3WXcGY7YrUg==";
pub const VARIANT_BLUE: &str = "Pq0Vh6cB2lT7wKz1xR9mEw==";
/// The feature flag behind every custom HTML endpoint.
pub const FEATURE_CUSTOM_HTML: &str = "custom_html_pages";

fn yes() -> bool {
    true
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorefrontData {
    /// Per-seller settings; a seller without an entry gets `Profile::default()`.
    #[serde(default)]
    pub profiles: Vec<Profile>,
    #[serde(default)]
    pub pages: Vec<Page>,
    /// The Discover taxonomy (`GET /v2/categories`, product `category`/`taxonomy_id`).
    #[serde(default)]
    pub categories: Vec<Category>,
    #[serde(default)]
    pub help_articles: Vec<HelpArticle>,
    /// Gumroad Discover listings `GET /v2/products/comps` aggregates over.
    #[serde(default)]
    pub discover: Vec<DiscoverListing>,
    #[serde(default)]
    pub reviews: Vec<Review>,
    #[serde(default)]
    pub upsells: Vec<Upsell>,
    #[serde(default)]
    pub utm_links: Vec<UtmLink>,
    #[serde(default)]
    pub emails: Vec<Email>,
    #[serde(default)]
    pub workflows: Vec<Workflow>,
}

// ---- profile ------------------------------------------------------------------------------

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub seller_id: String,
    /// Writes to the profile and pages need a confirmed e-mail address.
    #[serde(default = "yes")]
    pub email_confirmed: bool,
    /// Feature flags, e.g. `custom_html_pages`.
    #[serde(default)]
    pub features: Vec<String>,
    #[serde(default)]
    pub theme: Theme,
    /// The profile landing page (root custom HTML page).
    #[serde(default)]
    pub custom_html: Option<String>,
    /// The default profile's tabs; empty = none configured.
    #[serde(default)]
    pub tabs: Vec<ProfileTab>,
    #[serde(default)]
    pub refund_policy: AccountRefundPolicy,
    /// Followers, counted in the recipients of audience and follower emails.
    #[serde(default)]
    pub followers_count: u64,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            seller_id: String::new(),
            email_confirmed: true,
            features: vec![],
            theme: Theme::default(),
            custom_html: None,
            tabs: vec![],
            refund_policy: AccountRefundPolicy::default(),
            followers_count: 0,
        }
    }
}

impl Profile {
    pub fn has_feature(&self, f: &str) -> bool {
        self.features.iter().any(|x| x == f)
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    pub background_color: String,
    pub highlight_color: String,
    pub font: String,
}

impl Default for Theme {
    /// Gumroad's defaults for a new profile.
    fn default() -> Self {
        Theme {
            background_color: "#ffffff".into(),
            highlight_color: "#ff90e8".into(),
            font: "ABC Favorit".into(),
        }
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileTab {
    pub name: String,
    #[serde(default)]
    pub sections: Vec<ProfileSection>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileSection {
    /// `None` when the seller set no heading or hid it.
    #[serde(default)]
    pub header: Option<String>,
    /// `SellerProfileProductsSection`, `SellerProfilePostsSection`, `SellerProfileRichTextSection`, ...
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountRefundPolicy {
    /// `account_level_refund_policy_enabled?`: the account policy applies to every product.
    #[serde(default)]
    pub in_effect: bool,
    /// 0 (no refunds), 7, 14, 30 or 183.
    #[serde(default = "thirty")]
    pub max_refund_period_in_days: u32,
    #[serde(default)]
    pub fine_print: Option<String>,
}

fn thirty() -> u32 {
    30
}

impl Default for AccountRefundPolicy {
    fn default() -> Self {
        AccountRefundPolicy {
            in_effect: false,
            max_refund_period_in_days: 30,
            fine_print: None,
        }
    }
}

// ---- pages ----------------------------------------------------------------------------------

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    pub seller_id: String,
    pub slug: String,
    pub title: String,
    /// Rich text HTML; exclusive with `custom_html`.
    #[serde(default)]
    pub content: Option<String>,
    #[serde(default)]
    pub custom_html: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

// ---- taxonomy, help, discover ----------------------------------------------------------------

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: u64,
    /// The slug (last path element).
    pub name: String,
    pub label: String,
    pub path: String,
    #[serde(default)]
    pub parent_id: Option<u64>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HelpArticle {
    pub slug: String,
    pub title: String,
    pub description: String,
    /// Plain text (HTML stripped, as Gumroad serves it).
    pub content: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscoverListing {
    pub name: String,
    pub price_cents: u64,
    pub currency: String,
    pub taxonomy_id: u64,
    pub url: String,
    /// Sort key of the examples (top revenue first).
    pub revenue_cents: u64,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Memberships: `monthly`, `yearly`, ... (shown in the formatted price).
    #[serde(default)]
    pub recurrence: Option<String>,
}

// ---- reviews --------------------------------------------------------------------------------

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    pub id: String,
    pub product_id: String,
    pub rating: u8,
    #[serde(default)]
    pub message: Option<String>,
    pub created_at: String,
    #[serde(default)]
    pub purchase_id: Option<String>,
    /// The purchaser's name; "Anonymous" when absent.
    #[serde(default)]
    pub rater_name: Option<String>,
    #[serde(default)]
    pub response: Option<ReviewResponse>,
    /// Reviews without a message show on the product page only with an approved video.
    #[serde(default)]
    pub has_approved_video: bool,
    #[serde(default)]
    pub deleted: bool,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewResponse {
    pub message: String,
    pub created_at: String,
}

// ---- product extras (fields of model::Product) -------------------------------------------------

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cover {
    /// The preview's guid (`main_cover_id`, `DELETE .../covers/:cover_id`).
    pub id: String,
    pub url: String,
    pub original_url: String,
    #[serde(default)]
    pub thumbnail: Option<String>,
    /// `image`, `video` or `oembed`.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub filetype: Option<String>,
    #[serde(default)]
    pub width: Option<u32>,
    #[serde(default)]
    pub height: Option<u32>,
    #[serde(default)]
    pub native_width: Option<u32>,
    #[serde(default)]
    pub native_height: Option<u32>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thumbnail {
    pub guid: String,
    pub url: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductFile {
    pub id: String,
    /// The display name.
    pub name: String,
    /// The canonical `file_url` from `POST /v2/files/complete`.
    pub url: String,
    #[serde(default)]
    pub size: Option<u64>,
    #[serde(default)]
    pub filetype: Option<String>,
    #[serde(default)]
    pub filegroup: Option<String>,
    #[serde(default)]
    pub position: u32,
    #[serde(default)]
    pub stream_only: bool,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RichContentPage {
    pub id: String,
    #[serde(default)]
    pub title: Option<String>,
    /// ProseMirror nodes (the `content` of the `doc`).
    #[serde(default)]
    pub content: Vec<Value>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductRefundPolicy {
    /// `false` after `refund_period=inherit`: the record stays, the override is off.
    pub enabled: bool,
    pub max_refund_period_in_days: u32,
    #[serde(default)]
    pub fine_print: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleProduct {
    pub product_id: String,
    #[serde(default)]
    pub variant_id: Option<String>,
    pub quantity: u32,
    pub position: i64,
}

// ---- upsells --------------------------------------------------------------------------------

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Upsell {
    pub id: String,
    pub seller_id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub cross_sell: bool,
    #[serde(default)]
    pub replace_selected_products: bool,
    #[serde(default)]
    pub universal: bool,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub paused: bool,
    /// The offered product (cross-sell) or the product whose version is changed (upsell).
    pub product_id: String,
    #[serde(default)]
    pub variant_id: Option<String>,
    /// The upsell's own offer code (not listed among the product's offer codes).
    #[serde(default)]
    pub discount: Option<UpsellDiscount>,
    #[serde(default)]
    pub selected_product_ids: Vec<String>,
    #[serde(default)]
    pub upsell_variants: Vec<UpsellVariant>,
    #[serde(default)]
    pub deleted: bool,
    pub created_at: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpsellDiscount {
    #[serde(default)]
    pub amount_cents: Option<u64>,
    #[serde(default)]
    pub amount_percentage: Option<u64>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpsellVariant {
    pub id: String,
    pub selected_variant_id: String,
    pub offered_variant_id: String,
}

// ---- UTM links ------------------------------------------------------------------------------

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UtmLink {
    pub id: String,
    pub seller_id: String,
    pub title: String,
    /// 8 lower-case alphanumerics (`short_url` = `https://gum.co/u/<permalink>`).
    pub permalink: String,
    pub target_resource_type: String,
    #[serde(default)]
    pub target_resource_id: Option<String>,
    pub utm_source: String,
    pub utm_medium: String,
    pub utm_campaign: String,
    #[serde(default)]
    pub utm_term: Option<String>,
    #[serde(default)]
    pub utm_content: Option<String>,
    #[serde(default)]
    pub disabled_at: Option<String>,
    #[serde(default)]
    pub total_clicks: u64,
    #[serde(default)]
    pub unique_clicks: u64,
    #[serde(default)]
    pub deleted: bool,
    pub created_at: String,
    pub updated_at: String,
}

// ---- emails and workflows ---------------------------------------------------------------------

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Email {
    pub id: String,
    pub seller_id: String,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub message: String,
    /// `audience`, `seller`, `follower`, `product`, `variant`, `affiliate`.
    pub audience_type: String,
    #[serde(default)]
    pub product_id: Option<String>,
    #[serde(default)]
    pub published_at: Option<String>,
    /// Set while scheduled (`ready_to_publish` with a publish time).
    #[serde(default)]
    pub scheduled_at: Option<String>,
    /// An email blast went out (send/schedule are refused afterwards).
    #[serde(default)]
    pub blasted: bool,
    #[serde(default = "yes")]
    pub send_emails: bool,
    #[serde(default)]
    pub shown_on_profile: bool,
    #[serde(default)]
    pub recipients_count: Option<u64>,
    /// The public post path segment (`https://<username>.gumroad.com/p/<slug>`).
    pub slug: String,
    #[serde(default)]
    pub deleted: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Workflow {
    pub id: String,
    pub seller_id: String,
    pub name: String,
    /// `seller`, `product`, `variant`, `audience`, `follower`, `affiliate`, `abandoned_cart`.
    pub workflow_type: String,
    #[serde(default)]
    pub trigger: Option<String>,
    #[serde(default)]
    pub product_id: Option<String>,
    #[serde(default)]
    pub variant_id: Option<String>,
    #[serde(default)]
    pub published_at: Option<String>,
    #[serde(default)]
    pub first_published_at: Option<String>,
    #[serde(default)]
    pub send_to_past_customers: bool,
    #[serde(default)]
    pub filters: Value,
    #[serde(default)]
    pub emails: Vec<WorkflowEmail>,
    #[serde(default)]
    pub deleted: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkflowEmail {
    pub id: String,
    pub subject: String,
    #[serde(default)]
    pub message: String,
    pub delay_amount: u64,
    /// `hour`, `day`, `week`, `month`.
    pub delay_unit: String,
    #[serde(default)]
    pub published_at: Option<String>,
    #[serde(default = "yes")]
    pub send_emails: bool,
    #[serde(default)]
    pub sent_count: u64,
    #[serde(default)]
    pub open_count: u64,
    #[serde(default)]
    pub click_count: u64,
    #[serde(default)]
    pub deleted: bool,
    pub created_at: String,
    pub updated_at: String,
}
