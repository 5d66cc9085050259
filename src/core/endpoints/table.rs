//! The endpoint table: every route of Gumroad's v2 API (and Maton's connection management) as
//! one row. The request builder, the JS methods (`client.<resource>.<method>()`), the TypeScript
//! declarations, the README's API table and the route list gumroad-mock is checked against all
//! come from here (`make generate` rewrites the generated files; a test fails when one is stale).
//!
//! Adding a route: one row (name, method, path with `{id}` slots, params, how to unwrap the
//! answer, scope, one line of docs) plus its result type in `src/js/types.d.ts`.
//!
//! Names: the resource is the camelCase of the path's resource (`utm_links` -> `utmLinks`),
//! with the standard verbs `list`, `retrieve`, `create`, `update`, `delete` (and `iterate` for
//! every paged list); other actions are the camelCase of their path segment (`markAsShipped`,
//! `upcoming`). Singleton sub-resources of the user or a product are methods of `user` or
//! `products` named verb + sub-resource (`retrieveCustomHtml`). Updates use PUT: Gumroad routes
//! PATCH too, but its CORS policy does not allow PATCH from browsers.

use super::route::{
    boolean, delete, get, int, list, nested, post, put, string, Param, Retry, Route,
};

const PAGE_KEY: Param = string("page_key").doc("Cursor from the previous page's `next_page_key`.");
const DATE: &str = "string";
const REFUND_PERIOD: &str = "RefundPeriod";

const PRODUCT_ID: Param = string("product_id").doc("The product's id (not its permalink).");
const LICENSE_KEY: Param = string("license_key").req().trim();
const PRODUCT_PERMALINK: Param =
    string("product_permalink").doc("Only for products created before 2023-01-09.");
const LICENSE_MANAGE: &[Param] = &[PRODUCT_ID, PRODUCT_PERMALINK, LICENSE_KEY];
const ONE_PRODUCT: &[&str] = &["product_id", "product_permalink"];

const PRODUCT_FIELDS_DOC: &str = "Cents in `price_currency_type`.";
const CUSTOM_HTML: Param = string("custom_html")
    .req()
    .blank_ok()
    .doc("The landing page HTML (at most 500,000 characters; empty unpublishes).");
const FIND_REPLACE: &[Param] = &[
    string("find")
        .req()
        .doc("A snippet that occurs exactly once in the current custom HTML."),
    string("replace")
        .req()
        .blank_ok()
        .doc("Its replacement (`\"\"` deletes it)."),
];
const BLOB_OR_URL: &[Param] = &[
    string("signed_blob_id").doc("`signed_id` of a `directUploads.create` upload."),
    string("url").doc("A public image URL."),
];
const ONE_IMAGE: &[&str] = &["signed_blob_id", "url"];
const UTM: &[Param] = &[
    string("title"),
    string("utm_source"),
    string("utm_medium"),
    string("utm_campaign"),
    string("utm_term"),
    string("utm_content"),
];
const PAYOUT_DETAIL: &[Param] = &[
    boolean("include_sales").doc("Sale ids of the payout (needs `view_sales`)."),
    boolean("include_transactions"),
];

const PRODUCT_CREATE: &[Param] = &[
    string("name").req(),
    string("native_type").ts("ProductNativeType"),
    int("price").doc(PRODUCT_FIELDS_DOC),
    string("price_currency_type").doc("Lower-case ISO code; default the seller's currency."),
    string("subscription_duration")
        .ts("SubscriptionDuration")
        .doc("Memberships only."),
    string("description"),
    string("custom_summary"),
    string("custom_permalink"),
    string("custom_receipt"),
    int("max_purchase_count"),
    boolean("customizable_price"),
    int("suggested_price_cents"),
    string("taxonomy_id").ts("string | number"),
    string("category").doc("A category `path` from `categories.list()` (not with `taxonomy_id`)."),
    list("tags"),
    string("refund_period").ts(REFUND_PERIOD),
    string("refund_fine_print"),
    nested("files", "ProductFileInput[]")
        .doc("Files uploaded with `files.upload()` (their `url`s)."),
    nested("rich_content", "RichContentPage[]"),
];

const PRODUCT_UPDATE: &[Param] = &[
    string("name"),
    string("custom_permalink"),
    int("price").doc(PRODUCT_FIELDS_DOC),
    string("price_currency_type"),
    boolean("customizable_price"),
    int("suggested_price_cents"),
    int("max_purchase_count"),
    boolean("quantity_enabled"),
    boolean("is_adult"),
    boolean("display_product_reviews"),
    boolean("should_show_sales_count"),
    string("taxonomy_id").ts("string | number"),
    string("category"),
    string("custom_receipt"),
    boolean("has_same_rich_content_for_all_variants"),
    string("description"),
    string("custom_summary"),
    list("tags").doc("Replaces the tags."),
    string("refund_period").ts(REFUND_PERIOD),
    string("refund_fine_print"),
    string("custom_html"),
    nested("files", "ProductFileInput[]").doc(
        "Full replacement: keep a file with `{ id }`; files missing from the array are removed.",
    ),
    nested("rich_content", "RichContentPage[]"),
    list("cover_ids").doc("Cover ids in the order to show them."),
];

const OFFER_CODE_CREATE: &[Param] = &[
    string("name").req().doc("The code buyers type."),
    int("amount_off"),
    int("amount_cents").doc("Alias of `amount_off` for cents codes."),
    string("offer_type").ts("\"cents\" | \"percent\""),
    int("max_purchase_count"),
    boolean("universal"),
    int("minimum_amount_cents"),
];

const PRICE_DIFFERENCE: Param = int("price_difference_cents");
const VARIANT_DESCRIPTION: Param = string("description");
const MAX_PURCHASE_COUNT: Param = int("max_purchase_count");
const VARIANT_CREATE: &[Param] = &[
    string("name").req(),
    PRICE_DIFFERENCE,
    VARIANT_DESCRIPTION,
    MAX_PURCHASE_COUNT,
];
const VARIANT_UPDATE: &[Param] = &[
    string("name"),
    PRICE_DIFFERENCE,
    VARIANT_DESCRIPTION,
    MAX_PURCHASE_COUNT,
    nested("rich_content", "RichContentPage[] | string")
        .doc("Per-variant content (while the product does not share content)."),
];

/// Upsell fields besides `name` and `product_id`, which create requires.
macro_rules! upsell_params {
    ($name:expr, $product:expr) => {
        &[
            $name,
            string("text"),
            string("description"),
            boolean("cross_sell"),
            $product,
            string("variant_id"),
            boolean("universal"),
            boolean("replace_selected_products"),
            boolean("paused"),
            string("offer_matching_version"),
            list("product_ids").doc("Selected products of a cross-sell."),
            nested("offer_code", "UpsellOfferCodeInput"),
            nested("upsell_variants", "UpsellVariantInput[]"),
        ]
    };
}
const UPSELL_CREATE: &[Param] = upsell_params!(string("name").req(), string("product_id").req());
const UPSELL_UPDATE: &[Param] = upsell_params!(string("name"), string("product_id"));

const EMAIL_DELAY: &[Param] = &[
    string("subject"),
    string("body").doc("HTML."),
    int("delay_amount"),
    string("delay_unit").ts("\"hour\" | \"day\" | \"week\" | \"month\""),
];
const EMAIL_DELAY_REQUIRED: &[Param] = &[
    string("subject").req(),
    string("body").req().doc("HTML."),
    int("delay_amount").req(),
    string("delay_unit")
        .req()
        .ts("\"hour\" | \"day\" | \"week\" | \"month\""),
];

const SALES_FILTER: &[Param] = &[
    string("after").ts(DATE).doc("`YYYY-MM-DD`, inclusive."),
    string("before").ts(DATE).doc("`YYYY-MM-DD`, exclusive."),
    string("product_id"),
    string("email"),
    string("order_id").ts("number | string"),
    string("name").doc("Part of the buyer's full name."),
    string("license_key").doc("Exact, case-insensitive."),
    PAGE_KEY,
    int("page").doc("Deprecated by Gumroad (throttled above 10); use `page_key`."),
];

/// `licenses.verify` by name, so the Worker build reaches it without the rest of the table.
pub const LICENSES_VERIFY: Route = post("licenses.verify", "/licenses/verify")
    .params(&[
        PRODUCT_ID,
        PRODUCT_PERMALINK,
        LICENSE_KEY,
        boolean("increment_uses_count").doc("Default true: each verify counts a use."),
    ])
    .one_of(ONE_PRODUCT)
    .license()
    .no_auth()
    .retry(Retry::UnlessFalse("increment_uses_count"))
    .scope("none")
    .doc("Verifies a license key; counts a use unless `increment_uses_count: false` (then it is safe to retry).");

/// `licenses.decrementUsesCount` by name, for the Worker's deactivation (as above).
pub const LICENSES_DECREMENT_USES_COUNT: Route = put(
    "licenses.decrementUsesCount",
    "/licenses/decrement_uses_count",
)
.params(LICENSE_MANAGE)
.one_of(ONE_PRODUCT)
.license()
.scope("edit_products")
.doc("Lowers `uses` by one (never below 0).");

/// Every route, in the order of Gumroad's route table (§19 of the 2026 reference), then Maton's.
pub static ROUTES: &[Route] = &[
    // Files and direct uploads.
    post("files.presign", "/files/presign")
        .params(&[
            string("filename").req(),
            int("file_size").req().doc("Bytes (at most 20 GB)."),
        ])
        .whole("FilePresign")
        .scope("edit_products")
        .doc("Starts a multipart upload: part URLs to PUT the bytes to (`files.upload()` runs the whole flow)."),
    post("files.complete", "/files/complete")
        .params(&[
            string("upload_id").req(),
            string("key").req(),
            nested("parts", "FilePartInput[]").req(),
        ])
        .whole("{ file_url: string }")
        .scope("edit_products")
        .doc("Completes a multipart upload; `file_url` goes into a product's `files[]`."),
    post("files.abort", "/files/abort")
        .params(&[string("upload_id").req(), string("key").req()])
        .whole("{ status: \"accepted\" | \"already_gone\" }")
        .scope("edit_products")
        .doc("Abandons a multipart upload."),
    post("directUploads.create", "/direct_uploads")
        .params(&[
            nested("blob", "DirectUploadBlobInput").req(),
            string("purpose").ts("\"media\""),
        ])
        .whole("DirectUpload")
        .scope("edit_products; `purpose=media`: edit_profile (strict)")
        .doc("Reserves an image/video upload; PUT the bytes to `direct_upload.url`, then pass `signed_id` as `signed_blob_id`."),
    // Licenses.
    LICENSES_VERIFY,
    put("licenses.enable", "/licenses/enable")
        .params(LICENSE_MANAGE)
        .one_of(ONE_PRODUCT)
        .license()
        .scope("edit_products")
        .doc("Re-enables a disabled license key."),
    put("licenses.disable", "/licenses/disable")
        .params(LICENSE_MANAGE)
        .one_of(ONE_PRODUCT)
        .license()
        .scope("edit_products")
        .doc("Disables a license key."),
    LICENSES_DECREMENT_USES_COUNT,
    put("licenses.rotate", "/licenses/rotate")
        .params(LICENSE_MANAGE)
        .one_of(ONE_PRODUCT)
        .license()
        .scope("edit_products")
        .doc("Issues a new key for the same purchase."),
    // User and profile.
    get("user.retrieve", "/user")
        .field("user", "User")
        .scope("read")
        .doc("The account the token belongs to."),
    get("user.theme", "/user/theme")
        .field("theme", "Theme")
        .scope("read")
        .doc("The store's theme colours and font."),
    get("user.profileLayout", "/user/profile_layout")
        .field("profile_layout", "ProfileLayout")
        .scope("view_profile (strict)")
        .doc("Tabs and sections of the profile page."),
    put("user.update", "/user")
        .params(&[string("name"), string("bio")])
        .field("user", "User")
        .scope("edit_profile")
        .doc("Changes the name and bio."),
    get("user.retrieveCustomHtml", "/user/custom_html")
        .whole("UserCustomHtml")
        .scope("read (+feature)")
        .doc("The profile's custom landing page."),
    put("user.updateCustomHtml", "/user/custom_html")
        .params(&[CUSTOM_HTML])
        .whole("CustomHtmlChange")
        .scope("edit_profile (+feature)")
        .doc("Replaces the profile's landing page."),
    post("user.editCustomHtml", "/user/custom_html/edit")
        .params(FIND_REPLACE)
        .whole("CustomHtmlChange")
        .scope("edit_profile (+feature)")
        .doc("Find/replace edit of the landing page."),
    post("user.previewCustomHtml", "/user/preview_custom_html")
        .params(&[CUSTOM_HTML])
        .whole("CustomHtmlPreview")
        .retry(Retry::Safe)
        .scope("edit_profile (+feature)")
        .doc("Sanitizes HTML without saving it."),
    // Pages.
    get("pages.list", "/pages")
        .field("pages", "StorePage[]")
        .scope("read")
        .doc("The store's pages."),
    get("pages.retrieve", "/pages/{slug}")
        .whole("StorePageWithHtml")
        .scope("read")
        .doc("A page and its rendered HTML."),
    post("pages.create", "/pages")
        .params(&[
            string("title").req(),
            string("slug"),
            string("content").doc("Rich text HTML (or `custom_html`, not both)."),
            string("custom_html"),
        ])
        .field("page", "StorePage")
        .scope("edit_profile (strict)")
        .doc("Creates a page."),
    put("pages.update", "/pages/{slug}")
        .params(&[string("title"), string("content"), string("custom_html")])
        .field("page", "StorePage")
        .scope("edit_profile (strict)")
        .doc("Changes a page."),
    delete("pages.delete", "/pages/{slug}")
        .message()
        .scope("edit_profile (strict)")
        .doc("Deletes a page."),
    // Media library.
    get("media.list", "/media")
        .field("media", "MediaFile[]")
        .scope("view_profile (strict)")
        .doc("Images hosted for custom pages, newest first."),
    post("media.create", "/media")
        .params(&[
            string("url"),
            string("signed_blob_id").doc("From `directUploads.create({ purpose: \"media\" })`."),
            string("name"),
        ])
        .one_of(&["url", "signed_blob_id"])
        .field("media", "MediaFile")
        .scope("edit_profile (strict)")
        .doc("Adds an image (10 MB at most, no SVG)."),
    delete("media.delete", "/media/{mediaId}")
        .message()
        .scope("edit_profile (strict)")
        .doc("Removes an image."),
    // Categories, help, refund policy.
    get("categories.list", "/categories")
        .field("categories", "Category[]")
        .scope("public")
        .doc("Gumroad's product categories (use `path` as a product's `category`)."),
    get("helpArticles.list", "/help/articles")
        .params(&[string("query").doc("Keywords.")])
        .field("help_articles", "HelpArticleSummary[]")
        .scope("read")
        .doc("Gumroad's help center articles."),
    get("helpArticles.retrieve", "/help/articles/{slug}")
        .field("help_article", "HelpArticle")
        .scope("read")
        .doc("One help article with its text."),
    get("refundPolicy.retrieve", "/refund_policy")
        .field("refund_policy", "RefundPolicy")
        .scope("read")
        .doc("The account-level refund policy."),
    put("refundPolicy.update", "/refund_policy")
        .params(&[
            string("refund_period")
                .req()
                .ts("\"7\" | \"14\" | \"30\" | \"183\" | 7 | 14 | 30 | 183"),
            string("fine_print").doc("At most 3,000 characters; `\"\"` clears."),
        ])
        .field("refund_policy", "RefundPolicy")
        .scope("edit_products")
        .doc("Changes the account-level refund policy."),
    // Products.
    get("products.comps", "/products/comps")
        .params(&[
            string("taxonomy").doc("A taxonomy id or path such as `design/ui-and-web/figma`."),
            string("query"),
            string("price_currency_type"),
        ])
        .field("comps", "ProductComps")
        .scope("read")
        .doc("Price percentiles of comparable products on Gumroad Discover."),
    get("products.list", "/products")
        .params(&[PAGE_KEY])
        .page("products", "Product")
        .scope("read")
        .doc("One page of 10 products, newest first."),
    post("products.create", "/products")
        .params(PRODUCT_CREATE)
        .field("product", "Product")
        .scope("edit_products")
        .doc("Creates a draft product; publish it with `enable`."),
    get("products.retrieve", "/products/{productId}")
        .field("product", "Product")
        .scope("read")
        .doc("A product by id or permalink."),
    put("products.update", "/products/{productId}")
        .params(PRODUCT_UPDATE)
        .field("product", "Product")
        .scope("edit_products")
        .doc("Changes the fields given."),
    delete("products.delete", "/products/{productId}")
        .message()
        .scope("edit_products")
        .doc("Deletes a product."),
    put("products.disable", "/products/{productId}/disable")
        .field("product", "Product")
        .scope("edit_products")
        .doc("Unpublishes a product."),
    put("products.enable", "/products/{productId}/enable")
        .field("product", "Product")
        .scope("edit_products")
        .doc("Publishes a product."),
    post(
        "products.previewCustomHtml",
        "/products/{productId}/preview_custom_html",
    )
    .params(&[CUSTOM_HTML])
    .whole("CustomHtmlPreview")
    .retry(Retry::Safe)
    .scope("edit_products (+feature)")
    .doc("Sanitizes a landing page without saving it."),
    get(
        "products.retrieveCustomHtml",
        "/products/{productId}/custom_html",
    )
    .whole("ProductCustomHtml")
    .scope("read (+feature)")
    .doc("The product's custom landing page."),
    post(
        "products.editCustomHtml",
        "/products/{productId}/custom_html/edit",
    )
    .params(FIND_REPLACE)
    .whole("ProductCustomHtmlChange")
    .scope("edit_products (+feature)")
    .doc("Find/replace edit of the product's landing page."),
    get("customFields.list", "/products/{productId}/custom_fields")
        .field("custom_fields", "CustomField[]")
        .scope("public")
        .doc("A product's custom fields."),
    post("customFields.create", "/products/{productId}/custom_fields")
        .params(&[
            string("name"),
            string("url").doc("Alias of `name`."),
            string("label").doc("Alias of `name`."),
            boolean("required"),
            string("type").doc("Default `text`."),
        ])
        .one_of(&["name", "url", "label"])
        .field("custom_field", "CustomField")
        .scope("edit_products")
        .doc("Adds a custom field."),
    put("customFields.update", "/products/{productId}/custom_fields/{name}")
        .params(&[boolean("required")])
        .field("custom_field", "CustomField")
        .scope("edit_products")
        .doc("Only `required` can change."),
    delete("customFields.delete", "/products/{productId}/custom_fields/{name}")
        .message()
        .scope("edit_products")
        .doc("Removes a custom field (by name)."),
    get("offerCodes.list", "/products/{productId}/offer_codes")
        .field("offer_codes", "OfferCode[]")
        .scope("public")
        .doc("A product's offer codes, universal ones included."),
    post("offerCodes.create", "/products/{productId}/offer_codes")
        .params(OFFER_CODE_CREATE)
        .field("offer_code", "OfferCode")
        .scope("edit_products")
        .doc("Creates an offer code."),
    get(
        "offerCodes.retrieve",
        "/products/{productId}/offer_codes/{offerCodeId}",
    )
    .field("offer_code", "OfferCode")
    .scope("public")
    .doc("One offer code."),
    put(
        "offerCodes.update",
        "/products/{productId}/offer_codes/{offerCodeId}",
    )
    .params(&[int("max_purchase_count"), int("minimum_amount_cents")])
    .field("offer_code", "OfferCode")
    .scope("edit_products")
    .doc("Gumroad changes only `max_purchase_count` (and `minimum_amount_cents`)."),
    delete(
        "offerCodes.delete",
        "/products/{productId}/offer_codes/{offerCodeId}",
    )
    .message()
    .scope("edit_products")
    .doc("Deletes an offer code."),
    get(
        "variantCategories.list",
        "/products/{productId}/variant_categories",
    )
    .field("variant_categories", "VariantCategory[]")
    .scope("read")
    .doc("A product's variant categories."),
    post(
        "variantCategories.create",
        "/products/{productId}/variant_categories",
    )
    .params(&[string("title").req()])
    .field("variant_category", "VariantCategory")
    .scope("edit_products")
    .doc("Adds a variant category."),
    get(
        "variantCategories.retrieve",
        "/products/{productId}/variant_categories/{variantCategoryId}",
    )
    .field("variant_category", "VariantCategory")
    .scope("read")
    .doc("One variant category."),
    put(
        "variantCategories.update",
        "/products/{productId}/variant_categories/{variantCategoryId}",
    )
    .params(&[string("title")])
    .field("variant_category", "VariantCategory")
    .scope("edit_products")
    .doc("Renames a variant category."),
    delete(
        "variantCategories.delete",
        "/products/{productId}/variant_categories/{variantCategoryId}",
    )
    .message()
    .scope("edit_products")
    .doc("Deletes a variant category (its variants stay)."),
    get(
        "variants.list",
        "/products/{productId}/variant_categories/{variantCategoryId}/variants",
    )
    .field("variants", "Variant[]")
    .scope("read")
    .doc("The variants of a category."),
    post(
        "variants.create",
        "/products/{productId}/variant_categories/{variantCategoryId}/variants",
    )
    .params(VARIANT_CREATE)
    .field("variant", "Variant")
    .scope("edit_products")
    .doc("Adds a variant."),
    get(
        "variants.retrieve",
        "/products/{productId}/variant_categories/{variantCategoryId}/variants/{variantId}",
    )
    .field("variant", "Variant")
    .scope("read")
    .doc("One variant."),
    put(
        "variants.update",
        "/products/{productId}/variant_categories/{variantCategoryId}/variants/{variantId}",
    )
    .params(VARIANT_UPDATE)
    .field("variant", "Variant")
    .scope("edit_products")
    .doc("Changes a variant (and its own rich content)."),
    delete(
        "variants.delete",
        "/products/{productId}/variant_categories/{variantCategoryId}/variants/{variantId}",
    )
    .message()
    .scope("edit_products")
    .doc("Deletes a variant."),
    get("skus.list", "/products/{productId}/skus")
        .field("skus", "Sku[]")
        .scope("public")
        .doc("SKUs (or the variants of a physical product)."),
    get("subscribers.list", "/products/{productId}/subscribers")
        .params(&[
            string("email"),
            boolean("paginated").doc("100 per page with `next_page_key` (default: every active subscriber)."),
            PAGE_KEY,
        ])
        .page("subscribers", "Subscriber")
        .iterate_extra("paginated", "true")
        .scope("view_sales")
        .doc("A membership's subscribers."),
    get("reviews.list", "/products/{productId}/reviews")
        .params(&[PAGE_KEY])
        .page("product_reviews", "ProductReview")
        .scope("read")
        .doc("Reviews shown on the product page, 100 per page, newest first."),
    put("bundleContents.update", "/products/{productId}/bundle_contents")
        .params(&[nested("products", "BundleContentInput[]").req()])
        .field("product", "Product")
        .scope("edit_products")
        .doc("Replaces a bundle's products."),
    post("thumbnail.create", "/products/{productId}/thumbnail")
        .params(BLOB_OR_URL)
        .one_of(ONE_IMAGE)
        .field("thumbnail", "Thumbnail")
        .scope("edit_products")
        .doc("Sets the square thumbnail."),
    delete("thumbnail.delete", "/products/{productId}/thumbnail")
        .whole("{ thumbnail: null }")
        .scope("edit_products")
        .doc("Removes the thumbnail."),
    post("covers.create", "/products/{productId}/covers")
        .params(BLOB_OR_URL)
        .one_of(ONE_IMAGE)
        .whole("ProductCovers")
        .scope("edit_products")
        .doc("Adds a cover image or video."),
    delete("covers.delete", "/products/{productId}/covers/{coverId}")
        .whole("ProductCovers")
        .scope("edit_products")
        .doc("Removes a cover."),
    // Upsells and UTM links.
    get("upsells.list", "/upsells")
        .field("upsells", "Upsell[]")
        .scope("read")
        .doc("Upsells and cross-sells."),
    post("upsells.create", "/upsells")
        .params(UPSELL_CREATE)
        .field("upsell", "Upsell")
        .scope("edit_products")
        .doc("Creates an upsell or cross-sell."),
    get("upsells.retrieve", "/upsells/{upsellId}")
        .field("upsell", "Upsell")
        .scope("read")
        .doc("One upsell."),
    put("upsells.update", "/upsells/{upsellId}")
        .params(UPSELL_UPDATE)
        .field("upsell", "Upsell")
        .scope("edit_products")
        .doc("Changes an upsell; omitted associations are kept."),
    delete("upsells.delete", "/upsells/{upsellId}")
        .message()
        .scope("edit_products")
        .doc("Deletes an upsell and its offer code."),
    get("utmLinks.list", "/utm_links")
        .field("utm_links", "UtmLink[]")
        .scope("read")
        .doc("UTM links, newest first."),
    post("utmLinks.create", "/utm_links")
        .params(&[
            string("title").req(),
            string("target_resource_type")
                .req()
                .ts("\"profile_page\" | \"subscribe_page\" | \"product_page\" | \"post_page\""),
            string("target_resource_id").doc("Required for product and post pages."),
            string("utm_source").req(),
            string("utm_medium").req(),
            string("utm_campaign").req(),
            string("utm_term"),
            string("utm_content"),
        ])
        .field("utm_link", "UtmLink")
        .scope("edit_products")
        .doc("Creates a UTM link."),
    get("utmLinks.retrieve", "/utm_links/{utmLinkId}")
        .field("utm_link", "UtmLink")
        .scope("read")
        .doc("One UTM link."),
    put("utmLinks.update", "/utm_links/{utmLinkId}")
        .params(UTM)
        .field("utm_link", "UtmLink")
        .scope("edit_products")
        .doc("Changes the title and `utm_*` fields."),
    delete("utmLinks.delete", "/utm_links/{utmLinkId}")
        .message()
        .scope("edit_products")
        .doc("Deletes a UTM link."),
    put("utmLinks.disable", "/utm_links/{utmLinkId}/disable")
        .field("utm_link", "UtmLink")
        .scope("edit_products")
        .doc("Disables a UTM link."),
    put("utmLinks.enable", "/utm_links/{utmLinkId}/enable")
        .field("utm_link", "UtmLink")
        .scope("edit_products")
        .doc("Enables a UTM link."),
    // Emails and workflows.
    get("emails.list", "/emails")
        .params(&[
            string("type").ts("\"published\" | \"scheduled\" | \"draft\""),
            PAGE_KEY,
        ])
        .page("emails", "Email")
        .scope("edit_emails")
        .doc("One page of 10 emails (posts), newest first."),
    post("emails.create", "/emails")
        .params(&[
            string("subject"),
            string("body").doc("HTML."),
            string("audience").ts("EmailAudience"),
            string("product_id").doc("For `audience: \"product\"`."),
            string("link_id").doc("Alias of `product_id`."),
            boolean("publish").doc("Send at once."),
            boolean("draft"),
        ])
        .field("email", "Email")
        .scope("edit_emails")
        .doc("Creates an email (a draft unless `publish: true`)."),
    get("emails.retrieve", "/emails/{emailId}")
        .field("email", "Email")
        .scope("edit_emails")
        .doc("One email."),
    delete("emails.delete", "/emails/{emailId}")
        .message()
        .scope("edit_emails")
        .doc("Deletes an email."),
    post("emails.preview", "/emails/{emailId}/preview")
        .whole("EmailPreview")
        .scope("edit_emails")
        .doc("Sends a preview to the seller."),
    post("emails.send", "/emails/{emailId}/send")
        .field("email", "Email")
        .scope("edit_emails")
        .doc("Publishes and sends an email now."),
    post("emails.schedule", "/emails/{emailId}/schedule")
        .params(&[string("to_be_published_at")
            .req()
            .doc("A future time (ISO 8601).")])
        .field("email", "Email")
        .scope("edit_emails")
        .doc("Schedules (or reschedules) an email."),
    post("emails.unschedule", "/emails/{emailId}/unschedule")
        .field("email", "Email")
        .scope("edit_emails")
        .doc("Turns a scheduled email back into a draft."),
    get("workflows.list", "/workflows")
        .field("workflows", "Workflow[]")
        .scope("edit_emails")
        .doc("Workflows, newest first."),
    get("workflows.retrieve", "/workflows/{workflowId}")
        .field("workflow", "Workflow")
        .scope("edit_emails")
        .doc("One workflow with its emails."),
    post("workflowEmails.create", "/workflows/{workflowId}/emails")
        .params(EMAIL_DELAY_REQUIRED)
        .field("email", "WorkflowEmail")
        .scope("edit_emails")
        .doc("Adds an email to a workflow."),
    put("workflowEmails.update", "/workflows/{workflowId}/emails/{emailId}")
        .params(EMAIL_DELAY)
        .field("email", "WorkflowEmail")
        .scope("edit_emails")
        .doc("Changes a workflow email."),
    // Sales.
    post("sales.exports", "/sales/exports")
        .params(&[
            string("from").ts(DATE),
            string("to").ts(DATE),
            string("product_id"),
        ])
        .whole("SalesExport")
        .scope("view_sales")
        .doc("Queues a CSV export, e-mailed to the seller."),
    get("sales.summary", "/sales/summary")
        .params(&[
            string("from").ts(DATE).doc("Default: 29 days before `to`."),
            string("to").ts(DATE).doc("Default: today."),
            string("group_by").ts("\"product\" | \"day\" | \"week\" | \"month\" | \"hour\""),
        ])
        .whole("SalesSummary")
        .scope("view_sales")
        .doc("Gross, net, refunds and units, optionally broken down."),
    get("sales.list", "/sales")
        .params(SALES_FILTER)
        .page("sales", "Sale")
        .scope("view_sales")
        .doc("One page of 10 sales, newest first."),
    get("sales.retrieve", "/sales/{saleId}")
        .field("sale", "Sale")
        .scope("view_sales")
        .doc("One sale."),
    put("sales.markAsShipped", "/sales/{saleId}/mark_as_shipped")
        .params(&[string("tracking_url")])
        .field("sale", "Sale")
        .scope("mark_sales_as_shipped")
        .doc("Marks a sale as shipped."),
    put("sales.refund", "/sales/{saleId}/refund")
        .params(&[int("amount_cents").doc(
            "Partial refund in the sale's currency's minor units; omit for a full refund.",
        )])
        .field("sale", "Sale")
        .scope("refund_sales or edit_sales")
        .doc("Refunds a sale (never retried automatically)."),
    post("sales.resendReceipt", "/sales/{saleId}/resend_receipt")
        .nothing()
        .scope("edit_sales")
        .doc("E-mails the receipt again."),
    // Payouts.
    get("payouts.upcoming", "/payouts/upcoming")
        .params(PAYOUT_DETAIL)
        .field("payout", "Payout")
        .scope("view_payouts")
        .doc("The next payout."),
    get("payouts.list", "/payouts")
        .params(&[
            string("after").ts(DATE),
            string("before").ts(DATE),
            boolean("include_upcoming").doc("`false` leaves out the upcoming payout."),
            PAGE_KEY,
        ])
        .page("payouts", "Payout")
        .scope("view_payouts")
        .doc("One page of 10 payouts, newest first (the upcoming one first)."),
    get("payouts.retrieve", "/payouts/{payoutId}")
        .params(PAYOUT_DETAIL)
        .field("payout", "Payout")
        .scope("view_payouts")
        .doc("One payout."),
    // Subscribers, webhooks.
    get("subscribers.retrieve", "/subscribers/{subscriberId}")
        .field("subscriber", "Subscriber")
        .scope("view_sales")
        .doc("One subscriber."),
    put("resourceSubscriptions.create", "/resource_subscriptions")
        .params(&[
            string("resource_name").req().ts("ResourceName"),
            string("post_url").req(),
        ])
        .field("resource_subscription", "ResourceSubscription")
        .scope("view_sales")
        .doc("Subscribes a URL to an event (Gumroad creates with PUT)."),
    delete("resourceSubscriptions.delete", "/resource_subscriptions/{id}")
        .message()
        .scope("view_sales")
        .doc("Unsubscribes (only the app that subscribed can)."),
    get("resourceSubscriptions.list", "/resource_subscriptions")
        .params(&[
            string("resource_name").req().ts("ResourceName"),
            boolean("current_oauth_application_only"),
        ])
        .positional("resource_name")
        .field("resource_subscriptions", "ResourceSubscription[]")
        .scope("view_sales")
        .doc("Subscriptions to one event."),
    // Tax data.
    get("taxForms.list", "/tax_forms")
        .params(&[int("year")])
        .field("tax_forms", "TaxForm[]")
        .scope("view_tax_data")
        .doc("Tax forms (US sellers with the tax center)."),
    get("taxForms.download", "/tax_forms/{year}/{taxFormType}/download")
        .binary()
        .scope("view_tax_data")
        .doc("A tax form as a PDF."),
    get("earnings.retrieve", "/earnings")
        .params(&[int("year").req()])
        .whole("Earnings")
        .scope("view_tax_data")
        .doc("Annual earnings summary."),
    // Maton's connection management (`GumroadClient.maton()` clients).
    get("maton.connections.list", "/connections")
        .params(&[string("app"), string("status")])
        .field("connections", "MatonConnection[]")
        .ctrl()
        .scope("Maton key")
        .doc("Maton connections."),
    post("maton.connections.create", "/connections")
        .params(&[string("app").default("gumroad")])
        .field("connection", "MatonConnection")
        .ctrl()
        .scope("Maton key")
        .doc("Starts a connection; open its `url` to finish the OAuth flow."),
    get("maton.connections.retrieve", "/connections/{connectionId}")
        .field("connection", "MatonConnection")
        .ctrl()
        .scope("Maton key")
        .doc("One connection."),
    delete("maton.connections.delete", "/connections/{connectionId}")
        .whole("Record<string, unknown>")
        .ctrl()
        .scope("Maton key")
        .doc("Deletes a connection."),
];

/// Routes of the reference the table leaves out on purpose, with the reason.
pub const LEFT_OUT: &[(&str, &str, &str)] = &[
    (
        "POST",
        "/gumhead/v1/messages",
        "first-party: only Gumroad's own Gumhead OAuth app may call it",
    ),
    (
        "POST",
        "/gumhead/v1/messages/count_tokens",
        "first-party: only Gumroad's own Gumhead OAuth app may call it",
    ),
];

/// The route called `name` (`"sales.list"`).
pub fn find(name: &str) -> Option<&'static Route> {
    ROUTES.iter().find(|r| r.name == name)
}
