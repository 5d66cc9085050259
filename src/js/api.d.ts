// Generated from src/core/endpoints/table.rs by `make generate`; do not edit.

/** One page of a list: the items under their wire key, plus `next_page_key` when another page exists. */
export type PageOf<K extends string, T> = { [P in K]: T[] } & { next_page_key?: string };

/** Parameters of `files.presign` (Gumroad's wire names). */
export interface FilesPresignParams {
  filename: string;
  /** Bytes (at most 20 GB). */
  file_size: number;
}

/** Parameters of `files.complete` (Gumroad's wire names). */
export interface FilesCompleteParams {
  upload_id: string;
  key: string;
  parts: FilePartInput[];
}

/** Parameters of `files.abort` (Gumroad's wire names). */
export interface FilesAbortParams {
  upload_id: string;
  key: string;
}

/** Parameters of `directUploads.create` (Gumroad's wire names). */
export interface DirectUploadsCreateParams {
  blob: DirectUploadBlobInput;
  purpose?: "media" | undefined;
}

/** Parameters of `licenses.verify` (Gumroad's wire names). */
export interface LicensesVerifyParams {
  /** The product's id (not its permalink). */
  product_id?: string | undefined;
  /** Only for products created before 2023-01-09. */
  product_permalink?: string | undefined;
  license_key: string;
  /** Default true: each verify counts a use. */
  increment_uses_count?: boolean | undefined;
}

/** Parameters of `licenses.enable` (Gumroad's wire names). */
export interface LicensesEnableParams {
  /** The product's id (not its permalink). */
  product_id?: string | undefined;
  /** Only for products created before 2023-01-09. */
  product_permalink?: string | undefined;
  license_key: string;
}

/** Parameters of `licenses.disable` (the same as `licenses.enable`). */
export type LicensesDisableParams = LicensesEnableParams;

/** Parameters of `licenses.decrementUsesCount` (the same as `licenses.enable`). */
export type LicensesDecrementUsesCountParams = LicensesEnableParams;

/** Parameters of `licenses.rotate` (the same as `licenses.enable`). */
export type LicensesRotateParams = LicensesEnableParams;

/** Parameters of `user.update` (Gumroad's wire names). */
export interface UserUpdateParams {
  name?: string | undefined;
  bio?: string | undefined;
}

/** Parameters of `user.updateCustomHtml` (Gumroad's wire names). */
export interface UserUpdateCustomHtmlParams {
  /** The landing page HTML (at most 500,000 characters; empty unpublishes). */
  custom_html: string;
}

/** Parameters of `user.editCustomHtml` (Gumroad's wire names). */
export interface UserEditCustomHtmlParams {
  /** A snippet that occurs exactly once in the current custom HTML. */
  find: string;
  /** Its replacement (`""` deletes it). */
  replace: string;
}

/** Parameters of `user.previewCustomHtml` (the same as `user.updateCustomHtml`). */
export type UserPreviewCustomHtmlParams = UserUpdateCustomHtmlParams;

/** Parameters of `pages.create` (Gumroad's wire names). */
export interface PagesCreateParams {
  title: string;
  slug?: string | undefined;
  /** Rich text HTML (or `custom_html`, not both). */
  content?: string | undefined;
  custom_html?: string | undefined;
}

/** Parameters of `pages.update` (Gumroad's wire names). */
export interface PagesUpdateParams {
  title?: string | undefined;
  content?: string | undefined;
  custom_html?: string | undefined;
}

/** Parameters of `media.create` (Gumroad's wire names). */
export interface MediaCreateParams {
  url?: string | undefined;
  /** From `directUploads.create({ purpose: "media" })`. */
  signed_blob_id?: string | undefined;
  name?: string | undefined;
}

/** Parameters of `helpArticles.list` (Gumroad's wire names). */
export interface HelpArticlesListParams {
  /** Keywords. */
  query?: string | undefined;
}

/** Parameters of `refundPolicy.update` (Gumroad's wire names). */
export interface RefundPolicyUpdateParams {
  refund_period: "7" | "14" | "30" | "183" | 7 | 14 | 30 | 183;
  /** At most 3,000 characters; `""` clears. */
  fine_print?: string | undefined;
}

/** Parameters of `products.comps` (Gumroad's wire names). */
export interface ProductsCompsParams {
  /** A taxonomy id or path such as `design/ui-and-web/figma`. */
  taxonomy?: string | undefined;
  query?: string | undefined;
  price_currency_type?: string | undefined;
}

/** Parameters of `products.list` (Gumroad's wire names). */
export interface ProductsListParams {
  /** Cursor from the previous page's `next_page_key`. */
  page_key?: string | undefined;
}

/** Parameters of `products.create` (Gumroad's wire names). */
export interface ProductsCreateParams {
  name: string;
  native_type?: ProductNativeType | undefined;
  /** Cents in `price_currency_type`. */
  price?: number | undefined;
  /** Lower-case ISO code; default the seller's currency. */
  price_currency_type?: string | undefined;
  /** Memberships only. */
  subscription_duration?: SubscriptionDuration | undefined;
  description?: string | undefined;
  custom_summary?: string | undefined;
  custom_permalink?: string | undefined;
  custom_receipt?: string | undefined;
  max_purchase_count?: number | undefined;
  customizable_price?: boolean | undefined;
  suggested_price_cents?: number | undefined;
  taxonomy_id?: string | number | undefined;
  /** A category `path` from `categories.list()` (not with `taxonomy_id`). */
  category?: string | undefined;
  tags?: string[] | undefined;
  refund_period?: RefundPeriod | undefined;
  refund_fine_print?: string | undefined;
  /** Files uploaded with `files.upload()` (their `url`s). */
  files?: ProductFileInput[] | undefined;
  rich_content?: RichContentPage[] | undefined;
}

/** Parameters of `products.update` (Gumroad's wire names). */
export interface ProductsUpdateParams {
  name?: string | undefined;
  custom_permalink?: string | undefined;
  /** Cents in `price_currency_type`. */
  price?: number | undefined;
  price_currency_type?: string | undefined;
  customizable_price?: boolean | undefined;
  suggested_price_cents?: number | undefined;
  max_purchase_count?: number | undefined;
  quantity_enabled?: boolean | undefined;
  is_adult?: boolean | undefined;
  display_product_reviews?: boolean | undefined;
  should_show_sales_count?: boolean | undefined;
  taxonomy_id?: string | number | undefined;
  category?: string | undefined;
  custom_receipt?: string | undefined;
  has_same_rich_content_for_all_variants?: boolean | undefined;
  description?: string | undefined;
  custom_summary?: string | undefined;
  /** Replaces the tags. */
  tags?: string[] | undefined;
  refund_period?: RefundPeriod | undefined;
  refund_fine_print?: string | undefined;
  custom_html?: string | undefined;
  /** Full replacement: keep a file with `{ id }`; files missing from the array are removed. */
  files?: ProductFileInput[] | undefined;
  rich_content?: RichContentPage[] | undefined;
  /** Cover ids in the order to show them. */
  cover_ids?: string[] | undefined;
}

/** Parameters of `products.previewCustomHtml` (the same as `user.updateCustomHtml`). */
export type ProductsPreviewCustomHtmlParams = UserUpdateCustomHtmlParams;

/** Parameters of `products.editCustomHtml` (the same as `user.editCustomHtml`). */
export type ProductsEditCustomHtmlParams = UserEditCustomHtmlParams;

/** Parameters of `customFields.create` (Gumroad's wire names). */
export interface CustomFieldsCreateParams {
  name?: string | undefined;
  /** Alias of `name`. */
  url?: string | undefined;
  /** Alias of `name`. */
  label?: string | undefined;
  required?: boolean | undefined;
  /** Default `text`. */
  type?: string | undefined;
}

/** Parameters of `customFields.update` (Gumroad's wire names). */
export interface CustomFieldsUpdateParams {
  required?: boolean | undefined;
}

/** Parameters of `offerCodes.create` (Gumroad's wire names). */
export interface OfferCodesCreateParams {
  /** The code buyers type. */
  name: string;
  amount_off?: number | undefined;
  /** Alias of `amount_off` for cents codes. */
  amount_cents?: number | undefined;
  offer_type?: "cents" | "percent" | undefined;
  max_purchase_count?: number | undefined;
  universal?: boolean | undefined;
  minimum_amount_cents?: number | undefined;
}

/** Parameters of `offerCodes.update` (Gumroad's wire names). */
export interface OfferCodesUpdateParams {
  max_purchase_count?: number | undefined;
  minimum_amount_cents?: number | undefined;
}

/** Parameters of `variantCategories.create` (Gumroad's wire names). */
export interface VariantCategoriesCreateParams {
  title: string;
}

/** Parameters of `variantCategories.update` (Gumroad's wire names). */
export interface VariantCategoriesUpdateParams {
  title?: string | undefined;
}

/** Parameters of `variants.create` (Gumroad's wire names). */
export interface VariantsCreateParams {
  name: string;
  price_difference_cents?: number | undefined;
  description?: string | undefined;
  max_purchase_count?: number | undefined;
}

/** Parameters of `variants.update` (Gumroad's wire names). */
export interface VariantsUpdateParams {
  name?: string | undefined;
  price_difference_cents?: number | undefined;
  description?: string | undefined;
  max_purchase_count?: number | undefined;
  /** Per-variant content (while the product does not share content). */
  rich_content?: RichContentPage[] | string | undefined;
}

/** Parameters of `subscribers.list` (Gumroad's wire names). */
export interface SubscribersListParams {
  email?: string | undefined;
  /** 100 per page with `next_page_key` (default: every active subscriber). */
  paginated?: boolean | undefined;
  /** Cursor from the previous page's `next_page_key`. */
  page_key?: string | undefined;
}

/** Parameters of `reviews.list` (the same as `products.list`). */
export type ReviewsListParams = ProductsListParams;

/** Parameters of `bundleContents.update` (Gumroad's wire names). */
export interface BundleContentsUpdateParams {
  products: BundleContentInput[];
}

/** Parameters of `thumbnail.create` (Gumroad's wire names). */
export interface ThumbnailCreateParams {
  /** `signed_id` of a `directUploads.create` upload. */
  signed_blob_id?: string | undefined;
  /** A public image URL. */
  url?: string | undefined;
}

/** Parameters of `covers.create` (the same as `thumbnail.create`). */
export type CoversCreateParams = ThumbnailCreateParams;

/** Parameters of `upsells.create` (Gumroad's wire names). */
export interface UpsellsCreateParams {
  name: string;
  text?: string | undefined;
  description?: string | undefined;
  cross_sell?: boolean | undefined;
  product_id: string;
  variant_id?: string | undefined;
  universal?: boolean | undefined;
  replace_selected_products?: boolean | undefined;
  paused?: boolean | undefined;
  offer_matching_version?: string | undefined;
  /** Selected products of a cross-sell. */
  product_ids?: string[] | undefined;
  offer_code?: UpsellOfferCodeInput | undefined;
  upsell_variants?: UpsellVariantInput[] | undefined;
}

/** Parameters of `upsells.update` (Gumroad's wire names). */
export interface UpsellsUpdateParams {
  name?: string | undefined;
  text?: string | undefined;
  description?: string | undefined;
  cross_sell?: boolean | undefined;
  product_id?: string | undefined;
  variant_id?: string | undefined;
  universal?: boolean | undefined;
  replace_selected_products?: boolean | undefined;
  paused?: boolean | undefined;
  offer_matching_version?: string | undefined;
  /** Selected products of a cross-sell. */
  product_ids?: string[] | undefined;
  offer_code?: UpsellOfferCodeInput | undefined;
  upsell_variants?: UpsellVariantInput[] | undefined;
}

/** Parameters of `utmLinks.create` (Gumroad's wire names). */
export interface UtmLinksCreateParams {
  title: string;
  target_resource_type: "profile_page" | "subscribe_page" | "product_page" | "post_page";
  /** Required for product and post pages. */
  target_resource_id?: string | undefined;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  utm_term?: string | undefined;
  utm_content?: string | undefined;
}

/** Parameters of `utmLinks.update` (Gumroad's wire names). */
export interface UtmLinksUpdateParams {
  title?: string | undefined;
  utm_source?: string | undefined;
  utm_medium?: string | undefined;
  utm_campaign?: string | undefined;
  utm_term?: string | undefined;
  utm_content?: string | undefined;
}

/** Parameters of `emails.list` (Gumroad's wire names). */
export interface EmailsListParams {
  type?: "published" | "scheduled" | "draft" | undefined;
  /** Cursor from the previous page's `next_page_key`. */
  page_key?: string | undefined;
}

/** Parameters of `emails.create` (Gumroad's wire names). */
export interface EmailsCreateParams {
  subject?: string | undefined;
  /** HTML. */
  body?: string | undefined;
  audience?: EmailAudience | undefined;
  /** For `audience: "product"`. */
  product_id?: string | undefined;
  /** Alias of `product_id`. */
  link_id?: string | undefined;
  /** Send at once. */
  publish?: boolean | undefined;
  draft?: boolean | undefined;
}

/** Parameters of `emails.schedule` (Gumroad's wire names). */
export interface EmailsScheduleParams {
  /** A future time (ISO 8601). */
  to_be_published_at: string;
}

/** Parameters of `workflowEmails.create` (Gumroad's wire names). */
export interface WorkflowEmailsCreateParams {
  subject: string;
  /** HTML. */
  body: string;
  delay_amount: number;
  delay_unit: "hour" | "day" | "week" | "month";
}

/** Parameters of `workflowEmails.update` (Gumroad's wire names). */
export interface WorkflowEmailsUpdateParams {
  subject?: string | undefined;
  /** HTML. */
  body?: string | undefined;
  delay_amount?: number | undefined;
  delay_unit?: "hour" | "day" | "week" | "month" | undefined;
}

/** Parameters of `sales.exports` (Gumroad's wire names). */
export interface SalesExportsParams {
  from?: string | undefined;
  to?: string | undefined;
  product_id?: string | undefined;
}

/** Parameters of `sales.summary` (Gumroad's wire names). */
export interface SalesSummaryParams {
  /** Default: 29 days before `to`. */
  from?: string | undefined;
  /** Default: today. */
  to?: string | undefined;
  group_by?: "product" | "day" | "week" | "month" | "hour" | undefined;
}

/** Parameters of `sales.list` (Gumroad's wire names). */
export interface SalesListParams {
  /** `YYYY-MM-DD`, inclusive. */
  after?: string | undefined;
  /** `YYYY-MM-DD`, exclusive. */
  before?: string | undefined;
  product_id?: string | undefined;
  email?: string | undefined;
  order_id?: number | string | undefined;
  /** Part of the buyer's full name. */
  name?: string | undefined;
  /** Exact, case-insensitive. */
  license_key?: string | undefined;
  /** Cursor from the previous page's `next_page_key`. */
  page_key?: string | undefined;
  /** Deprecated by Gumroad (throttled above 10); use `page_key`. */
  page?: number | undefined;
}

/** Parameters of `sales.markAsShipped` (Gumroad's wire names). */
export interface SalesMarkAsShippedParams {
  tracking_url?: string | undefined;
}

/** Parameters of `sales.refund` (Gumroad's wire names). */
export interface SalesRefundParams {
  /** Partial refund in the sale's currency's minor units; omit for a full refund. */
  amount_cents?: number | undefined;
}

/** Parameters of `payouts.upcoming` (Gumroad's wire names). */
export interface PayoutsUpcomingParams {
  /** Sale ids of the payout (needs `view_sales`). */
  include_sales?: boolean | undefined;
  include_transactions?: boolean | undefined;
}

/** Parameters of `payouts.list` (Gumroad's wire names). */
export interface PayoutsListParams {
  after?: string | undefined;
  before?: string | undefined;
  /** `false` leaves out the upcoming payout. */
  include_upcoming?: boolean | undefined;
  /** Cursor from the previous page's `next_page_key`. */
  page_key?: string | undefined;
}

/** Parameters of `payouts.retrieve` (the same as `payouts.upcoming`). */
export type PayoutsRetrieveParams = PayoutsUpcomingParams;

/** Parameters of `resourceSubscriptions.create` (Gumroad's wire names). */
export interface ResourceSubscriptionsCreateParams {
  resource_name: ResourceName;
  post_url: string;
}

/** Parameters of `resourceSubscriptions.list` (Gumroad's wire names). */
export interface ResourceSubscriptionsListParams {
  resource_name: ResourceName;
  current_oauth_application_only?: boolean | undefined;
}

/** Parameters of `taxForms.list` (Gumroad's wire names). */
export interface TaxFormsListParams {
  year?: number | undefined;
}

/** Parameters of `earnings.retrieve` (Gumroad's wire names). */
export interface EarningsRetrieveParams {
  year: number;
}

/** Parameters of `maton.connections.list` (Gumroad's wire names). */
export interface MatonConnectionsListParams {
  app?: string | undefined;
  status?: string | undefined;
}

/** Parameters of `maton.connections.create` (Gumroad's wire names). */
export interface MatonConnectionsCreateParams {
  app?: string | undefined;
}

/** `client.files` */
export interface FilesResource {
  /** `POST /files/presign` (edit_products). Starts a multipart upload: part URLs to PUT the bytes to (`files.upload()` runs the whole flow). */
  presign(params: FilesPresignParams, options?: RequestOptions): Promise<FilePresign>;
  /** `POST /files/complete` (edit_products). Completes a multipart upload; `file_url` goes into a product's `files[]`. */
  complete(params: FilesCompleteParams, options?: RequestOptions): Promise<{ file_url: string }>;
  /** `POST /files/abort` (edit_products). Abandons a multipart upload. */
  abort(params: FilesAbortParams, options?: RequestOptions): Promise<{ status: "accepted" | "already_gone" }>;
}

/** `client.directUploads` */
export interface DirectUploadsResource {
  /** `POST /direct_uploads` (edit_products; 'purpose=media': edit_profile (strict)). Reserves an image/video upload; PUT the bytes to `direct_upload.url`, then pass `signed_id` as `signed_blob_id`. */
  create(params: DirectUploadsCreateParams, options?: RequestOptions): Promise<DirectUpload>;
}

/** `client.licenses` */
export interface LicensesResource {
  /** `POST /licenses/verify` (none). Verifies a license key; counts a use unless `increment_uses_count: false` (then it is safe to retry). */
  verify(params: LicensesVerifyParams, options?: RequestOptions): Promise<LicenseResponse>;
  /** `PUT /licenses/enable` (edit_products). Re-enables a disabled license key. */
  enable(params: LicensesEnableParams, options?: RequestOptions): Promise<LicenseResponse>;
  /** `PUT /licenses/disable` (edit_products). Disables a license key. */
  disable(params: LicensesDisableParams, options?: RequestOptions): Promise<LicenseResponse>;
  /** `PUT /licenses/decrement_uses_count` (edit_products). Lowers `uses` by one (never below 0). */
  decrementUsesCount(params: LicensesDecrementUsesCountParams, options?: RequestOptions): Promise<LicenseResponse>;
  /** `PUT /licenses/rotate` (edit_products). Issues a new key for the same purchase. */
  rotate(params: LicensesRotateParams, options?: RequestOptions): Promise<LicenseResponse>;
}

/** `client.user` */
export interface UserResource {
  /** `GET /user` (read). The account the token belongs to. */
  retrieve(options?: RequestOptions): Promise<User>;
  /** `GET /user/theme` (read). The store's theme colours and font. */
  theme(options?: RequestOptions): Promise<Theme>;
  /** `GET /user/profile_layout` (view_profile (strict)). Tabs and sections of the profile page. */
  profileLayout(options?: RequestOptions): Promise<ProfileLayout>;
  /** `PUT /user` (edit_profile). Changes the name and bio. */
  update(params?: UserUpdateParams, options?: RequestOptions): Promise<User>;
  /** `GET /user/custom_html` (read (+feature)). The profile's custom landing page. */
  retrieveCustomHtml(options?: RequestOptions): Promise<UserCustomHtml>;
  /** `PUT /user/custom_html` (edit_profile (+feature)). Replaces the profile's landing page. */
  updateCustomHtml(params: UserUpdateCustomHtmlParams, options?: RequestOptions): Promise<CustomHtmlChange>;
  /** `POST /user/custom_html/edit` (edit_profile (+feature)). Find/replace edit of the landing page. */
  editCustomHtml(params: UserEditCustomHtmlParams, options?: RequestOptions): Promise<CustomHtmlChange>;
  /** `POST /user/preview_custom_html` (edit_profile (+feature)). Sanitizes HTML without saving it. */
  previewCustomHtml(params: UserPreviewCustomHtmlParams, options?: RequestOptions): Promise<CustomHtmlPreview>;
}

/** `client.pages` */
export interface PagesResource {
  /** `GET /pages` (read). The store's pages. */
  list(options?: RequestOptions): Promise<StorePage[]>;
  /** `GET /pages/{slug}` (read). A page and its rendered HTML. */
  retrieve(slug: string, options?: RequestOptions): Promise<StorePageWithHtml>;
  /** `POST /pages` (edit_profile (strict)). Creates a page. */
  create(params: PagesCreateParams, options?: RequestOptions): Promise<StorePage>;
  /** `PUT /pages/{slug}` (edit_profile (strict)). Changes a page. */
  update(slug: string, params?: PagesUpdateParams, options?: RequestOptions): Promise<StorePage>;
  /** `DELETE /pages/{slug}` (edit_profile (strict)). Deletes a page. */
  delete(slug: string, options?: RequestOptions): Promise<DeleteResult>;
}

/** `client.media` */
export interface MediaResource {
  /** `GET /media` (view_profile (strict)). Images hosted for custom pages, newest first. */
  list(options?: RequestOptions): Promise<MediaFile[]>;
  /** `POST /media` (edit_profile (strict)). Adds an image (10 MB at most, no SVG). */
  create(params: MediaCreateParams, options?: RequestOptions): Promise<MediaFile>;
  /** `DELETE /media/{mediaId}` (edit_profile (strict)). Removes an image. */
  delete(mediaId: string, options?: RequestOptions): Promise<DeleteResult>;
}

/** `client.categories` */
export interface CategoriesResource {
  /** `GET /categories` (public). Gumroad's product categories (use `path` as a product's `category`). */
  list(options?: RequestOptions): Promise<Category[]>;
}

/** `client.helpArticles` */
export interface HelpArticlesResource {
  /** `GET /help/articles` (read). Gumroad's help center articles. */
  list(params?: HelpArticlesListParams, options?: RequestOptions): Promise<HelpArticleSummary[]>;
  /** `GET /help/articles/{slug}` (read). One help article with its text. */
  retrieve(slug: string, options?: RequestOptions): Promise<HelpArticle>;
}

/** `client.refundPolicy` */
export interface RefundPolicyResource {
  /** `GET /refund_policy` (read). The account-level refund policy. */
  retrieve(options?: RequestOptions): Promise<RefundPolicy>;
  /** `PUT /refund_policy` (edit_products). Changes the account-level refund policy. */
  update(params: RefundPolicyUpdateParams, options?: RequestOptions): Promise<RefundPolicy>;
}

/** `client.products` */
export interface ProductsResource {
  /** `GET /products/comps` (read). Price percentiles of comparable products on Gumroad Discover. */
  comps(params?: ProductsCompsParams, options?: RequestOptions): Promise<ProductComps>;
  /** `GET /products` (read). One page of 10 products, newest first. */
  list(params?: ProductsListParams, options?: RequestOptions): Promise<PageOf<"products", Product>>;
  /** Every item of `products.list`, following `page_key` (`for await`). */
  iterate(params?: Omit<ProductsListParams, "page_key">, options?: RequestOptions): PageIterator<Product>;
  /** `POST /products` (edit_products). Creates a draft product; publish it with `enable`. */
  create(params: ProductsCreateParams, options?: RequestOptions): Promise<Product>;
  /** `GET /products/{productId}` (read). A product by id or permalink. */
  retrieve(productId: string, options?: RequestOptions): Promise<Product>;
  /** `PUT /products/{productId}` (edit_products). Changes the fields given. */
  update(productId: string, params?: ProductsUpdateParams, options?: RequestOptions): Promise<Product>;
  /** `DELETE /products/{productId}` (edit_products). Deletes a product. */
  delete(productId: string, options?: RequestOptions): Promise<DeleteResult>;
  /** `PUT /products/{productId}/disable` (edit_products). Unpublishes a product. */
  disable(productId: string, options?: RequestOptions): Promise<Product>;
  /** `PUT /products/{productId}/enable` (edit_products). Publishes a product. */
  enable(productId: string, options?: RequestOptions): Promise<Product>;
  /** `POST /products/{productId}/preview_custom_html` (edit_products (+feature)). Sanitizes a landing page without saving it. */
  previewCustomHtml(productId: string, params: ProductsPreviewCustomHtmlParams, options?: RequestOptions): Promise<CustomHtmlPreview>;
  /** `GET /products/{productId}/custom_html` (read (+feature)). The product's custom landing page. */
  retrieveCustomHtml(productId: string, options?: RequestOptions): Promise<ProductCustomHtml>;
  /** `POST /products/{productId}/custom_html/edit` (edit_products (+feature)). Find/replace edit of the product's landing page. */
  editCustomHtml(productId: string, params: ProductsEditCustomHtmlParams, options?: RequestOptions): Promise<ProductCustomHtmlChange>;
}

/** `client.customFields` */
export interface CustomFieldsResource {
  /** `GET /products/{productId}/custom_fields` (public). A product's custom fields. */
  list(productId: string, options?: RequestOptions): Promise<CustomField[]>;
  /** `POST /products/{productId}/custom_fields` (edit_products). Adds a custom field. */
  create(productId: string, params: CustomFieldsCreateParams, options?: RequestOptions): Promise<CustomField>;
  /** `PUT /products/{productId}/custom_fields/{name}` (edit_products). Only `required` can change. */
  update(productId: string, name: string, params?: CustomFieldsUpdateParams, options?: RequestOptions): Promise<CustomField>;
  /** `DELETE /products/{productId}/custom_fields/{name}` (edit_products). Removes a custom field (by name). */
  delete(productId: string, name: string, options?: RequestOptions): Promise<DeleteResult>;
}

/** `client.offerCodes` */
export interface OfferCodesResource {
  /** `GET /products/{productId}/offer_codes` (public). A product's offer codes, universal ones included. */
  list(productId: string, options?: RequestOptions): Promise<OfferCode[]>;
  /** `POST /products/{productId}/offer_codes` (edit_products). Creates an offer code. */
  create(productId: string, params: OfferCodesCreateParams, options?: RequestOptions): Promise<OfferCode>;
  /** `GET /products/{productId}/offer_codes/{offerCodeId}` (public). One offer code. */
  retrieve(productId: string, offerCodeId: string, options?: RequestOptions): Promise<OfferCode>;
  /** `PUT /products/{productId}/offer_codes/{offerCodeId}` (edit_products). Gumroad changes only `max_purchase_count` (and `minimum_amount_cents`). */
  update(productId: string, offerCodeId: string, params?: OfferCodesUpdateParams, options?: RequestOptions): Promise<OfferCode>;
  /** `DELETE /products/{productId}/offer_codes/{offerCodeId}` (edit_products). Deletes an offer code. */
  delete(productId: string, offerCodeId: string, options?: RequestOptions): Promise<DeleteResult>;
}

/** `client.variantCategories` */
export interface VariantCategoriesResource {
  /** `GET /products/{productId}/variant_categories` (read). A product's variant categories. */
  list(productId: string, options?: RequestOptions): Promise<VariantCategory[]>;
  /** `POST /products/{productId}/variant_categories` (edit_products). Adds a variant category. */
  create(productId: string, params: VariantCategoriesCreateParams, options?: RequestOptions): Promise<VariantCategory>;
  /** `GET /products/{productId}/variant_categories/{variantCategoryId}` (read). One variant category. */
  retrieve(productId: string, variantCategoryId: string, options?: RequestOptions): Promise<VariantCategory>;
  /** `PUT /products/{productId}/variant_categories/{variantCategoryId}` (edit_products). Renames a variant category. */
  update(productId: string, variantCategoryId: string, params?: VariantCategoriesUpdateParams, options?: RequestOptions): Promise<VariantCategory>;
  /** `DELETE /products/{productId}/variant_categories/{variantCategoryId}` (edit_products). Deletes a variant category (its variants stay). */
  delete(productId: string, variantCategoryId: string, options?: RequestOptions): Promise<DeleteResult>;
}

/** `client.variants` */
export interface VariantsResource {
  /** `GET /products/{productId}/variant_categories/{variantCategoryId}/variants` (read). The variants of a category. */
  list(productId: string, variantCategoryId: string, options?: RequestOptions): Promise<Variant[]>;
  /** `POST /products/{productId}/variant_categories/{variantCategoryId}/variants` (edit_products). Adds a variant. */
  create(productId: string, variantCategoryId: string, params: VariantsCreateParams, options?: RequestOptions): Promise<Variant>;
  /** `GET /products/{productId}/variant_categories/{variantCategoryId}/variants/{variantId}` (read). One variant. */
  retrieve(productId: string, variantCategoryId: string, variantId: string, options?: RequestOptions): Promise<Variant>;
  /** `PUT /products/{productId}/variant_categories/{variantCategoryId}/variants/{variantId}` (edit_products). Changes a variant (and its own rich content). */
  update(productId: string, variantCategoryId: string, variantId: string, params?: VariantsUpdateParams, options?: RequestOptions): Promise<Variant>;
  /** `DELETE /products/{productId}/variant_categories/{variantCategoryId}/variants/{variantId}` (edit_products). Deletes a variant. */
  delete(productId: string, variantCategoryId: string, variantId: string, options?: RequestOptions): Promise<DeleteResult>;
}

/** `client.skus` */
export interface SkusResource {
  /** `GET /products/{productId}/skus` (public). SKUs (or the variants of a physical product). */
  list(productId: string, options?: RequestOptions): Promise<Sku[]>;
}

/** `client.subscribers` */
export interface SubscribersResource {
  /** `GET /products/{productId}/subscribers` (view_sales). A membership's subscribers. */
  list(productId: string, params?: SubscribersListParams, options?: RequestOptions): Promise<PageOf<"subscribers", Subscriber>>;
  /** Every item of `subscribers.list`, following `page_key` (`for await`). */
  iterate(productId: string, params?: Omit<SubscribersListParams, "page_key" | "paginated">, options?: RequestOptions): PageIterator<Subscriber>;
  /** `GET /subscribers/{subscriberId}` (view_sales). One subscriber. */
  retrieve(subscriberId: string, options?: RequestOptions): Promise<Subscriber>;
}

/** `client.reviews` */
export interface ReviewsResource {
  /** `GET /products/{productId}/reviews` (read). Reviews shown on the product page, 100 per page, newest first. */
  list(productId: string, params?: ReviewsListParams, options?: RequestOptions): Promise<PageOf<"product_reviews", ProductReview>>;
  /** Every item of `reviews.list`, following `page_key` (`for await`). */
  iterate(productId: string, params?: Omit<ReviewsListParams, "page_key">, options?: RequestOptions): PageIterator<ProductReview>;
}

/** `client.bundleContents` */
export interface BundleContentsResource {
  /** `PUT /products/{productId}/bundle_contents` (edit_products). Replaces a bundle's products. */
  update(productId: string, params: BundleContentsUpdateParams, options?: RequestOptions): Promise<Product>;
}

/** `client.thumbnail` */
export interface ThumbnailResource {
  /** `POST /products/{productId}/thumbnail` (edit_products). Sets the square thumbnail. */
  create(productId: string, params: ThumbnailCreateParams, options?: RequestOptions): Promise<Thumbnail>;
  /** `DELETE /products/{productId}/thumbnail` (edit_products). Removes the thumbnail. */
  delete(productId: string, options?: RequestOptions): Promise<{ thumbnail: null }>;
}

/** `client.covers` */
export interface CoversResource {
  /** `POST /products/{productId}/covers` (edit_products). Adds a cover image or video. */
  create(productId: string, params: CoversCreateParams, options?: RequestOptions): Promise<ProductCovers>;
  /** `DELETE /products/{productId}/covers/{coverId}` (edit_products). Removes a cover. */
  delete(productId: string, coverId: string, options?: RequestOptions): Promise<ProductCovers>;
}

/** `client.upsells` */
export interface UpsellsResource {
  /** `GET /upsells` (read). Upsells and cross-sells. */
  list(options?: RequestOptions): Promise<Upsell[]>;
  /** `POST /upsells` (edit_products). Creates an upsell or cross-sell. */
  create(params: UpsellsCreateParams, options?: RequestOptions): Promise<Upsell>;
  /** `GET /upsells/{upsellId}` (read). One upsell. */
  retrieve(upsellId: string, options?: RequestOptions): Promise<Upsell>;
  /** `PUT /upsells/{upsellId}` (edit_products). Changes an upsell; omitted associations are kept. */
  update(upsellId: string, params?: UpsellsUpdateParams, options?: RequestOptions): Promise<Upsell>;
  /** `DELETE /upsells/{upsellId}` (edit_products). Deletes an upsell and its offer code. */
  delete(upsellId: string, options?: RequestOptions): Promise<DeleteResult>;
}

/** `client.utmLinks` */
export interface UtmLinksResource {
  /** `GET /utm_links` (read). UTM links, newest first. */
  list(options?: RequestOptions): Promise<UtmLink[]>;
  /** `POST /utm_links` (edit_products). Creates a UTM link. */
  create(params: UtmLinksCreateParams, options?: RequestOptions): Promise<UtmLink>;
  /** `GET /utm_links/{utmLinkId}` (read). One UTM link. */
  retrieve(utmLinkId: string, options?: RequestOptions): Promise<UtmLink>;
  /** `PUT /utm_links/{utmLinkId}` (edit_products). Changes the title and `utm_*` fields. */
  update(utmLinkId: string, params?: UtmLinksUpdateParams, options?: RequestOptions): Promise<UtmLink>;
  /** `DELETE /utm_links/{utmLinkId}` (edit_products). Deletes a UTM link. */
  delete(utmLinkId: string, options?: RequestOptions): Promise<DeleteResult>;
  /** `PUT /utm_links/{utmLinkId}/disable` (edit_products). Disables a UTM link. */
  disable(utmLinkId: string, options?: RequestOptions): Promise<UtmLink>;
  /** `PUT /utm_links/{utmLinkId}/enable` (edit_products). Enables a UTM link. */
  enable(utmLinkId: string, options?: RequestOptions): Promise<UtmLink>;
}

/** `client.emails` */
export interface EmailsResource {
  /** `GET /emails` (edit_emails). One page of 10 emails (posts), newest first. */
  list(params?: EmailsListParams, options?: RequestOptions): Promise<PageOf<"emails", Email>>;
  /** Every item of `emails.list`, following `page_key` (`for await`). */
  iterate(params?: Omit<EmailsListParams, "page_key">, options?: RequestOptions): PageIterator<Email>;
  /** `POST /emails` (edit_emails). Creates an email (a draft unless `publish: true`). */
  create(params?: EmailsCreateParams, options?: RequestOptions): Promise<Email>;
  /** `GET /emails/{emailId}` (edit_emails). One email. */
  retrieve(emailId: string, options?: RequestOptions): Promise<Email>;
  /** `DELETE /emails/{emailId}` (edit_emails). Deletes an email. */
  delete(emailId: string, options?: RequestOptions): Promise<DeleteResult>;
  /** `POST /emails/{emailId}/preview` (edit_emails). Sends a preview to the seller. */
  preview(emailId: string, options?: RequestOptions): Promise<EmailPreview>;
  /** `POST /emails/{emailId}/send` (edit_emails). Publishes and sends an email now. */
  send(emailId: string, options?: RequestOptions): Promise<Email>;
  /** `POST /emails/{emailId}/schedule` (edit_emails). Schedules (or reschedules) an email. */
  schedule(emailId: string, params: EmailsScheduleParams, options?: RequestOptions): Promise<Email>;
  /** `POST /emails/{emailId}/unschedule` (edit_emails). Turns a scheduled email back into a draft. */
  unschedule(emailId: string, options?: RequestOptions): Promise<Email>;
}

/** `client.workflows` */
export interface WorkflowsResource {
  /** `GET /workflows` (edit_emails). Workflows, newest first. */
  list(options?: RequestOptions): Promise<Workflow[]>;
  /** `GET /workflows/{workflowId}` (edit_emails). One workflow with its emails. */
  retrieve(workflowId: string, options?: RequestOptions): Promise<Workflow>;
}

/** `client.workflowEmails` */
export interface WorkflowEmailsResource {
  /** `POST /workflows/{workflowId}/emails` (edit_emails). Adds an email to a workflow. */
  create(workflowId: string, params: WorkflowEmailsCreateParams, options?: RequestOptions): Promise<WorkflowEmail>;
  /** `PUT /workflows/{workflowId}/emails/{emailId}` (edit_emails). Changes a workflow email. */
  update(workflowId: string, emailId: string, params?: WorkflowEmailsUpdateParams, options?: RequestOptions): Promise<WorkflowEmail>;
}

/** `client.sales` */
export interface SalesResource {
  /** `POST /sales/exports` (view_sales). Queues a CSV export, e-mailed to the seller. */
  exports(params?: SalesExportsParams, options?: RequestOptions): Promise<SalesExport>;
  /** `GET /sales/summary` (view_sales). Gross, net, refunds and units, optionally broken down. */
  summary(params?: SalesSummaryParams, options?: RequestOptions): Promise<SalesSummary>;
  /** `GET /sales` (view_sales). One page of 10 sales, newest first. */
  list(params?: SalesListParams, options?: RequestOptions): Promise<PageOf<"sales", Sale>>;
  /** Every item of `sales.list`, following `page_key` (`for await`). */
  iterate(params?: Omit<SalesListParams, "page_key" | "page">, options?: RequestOptions): PageIterator<Sale>;
  /** `GET /sales/{saleId}` (view_sales). One sale. */
  retrieve(saleId: string, options?: RequestOptions): Promise<Sale>;
  /** `PUT /sales/{saleId}/mark_as_shipped` (mark_sales_as_shipped). Marks a sale as shipped. */
  markAsShipped(saleId: string, params?: SalesMarkAsShippedParams, options?: RequestOptions): Promise<Sale>;
  /** `PUT /sales/{saleId}/refund` (refund_sales or edit_sales). Refunds a sale (never retried automatically). */
  refund(saleId: string, params?: SalesRefundParams, options?: RequestOptions): Promise<Sale>;
  /** `POST /sales/{saleId}/resend_receipt` (edit_sales). E-mails the receipt again. */
  resendReceipt(saleId: string, options?: RequestOptions): Promise<void>;
}

/** `client.payouts` */
export interface PayoutsResource {
  /** `GET /payouts/upcoming` (view_payouts). The next payout. */
  upcoming(params?: PayoutsUpcomingParams, options?: RequestOptions): Promise<Payout>;
  /** `GET /payouts` (view_payouts). One page of 10 payouts, newest first (the upcoming one first). */
  list(params?: PayoutsListParams, options?: RequestOptions): Promise<PageOf<"payouts", Payout>>;
  /** Every item of `payouts.list`, following `page_key` (`for await`). */
  iterate(params?: Omit<PayoutsListParams, "page_key">, options?: RequestOptions): PageIterator<Payout>;
  /** `GET /payouts/{payoutId}` (view_payouts). One payout. */
  retrieve(payoutId: string, params?: PayoutsRetrieveParams, options?: RequestOptions): Promise<Payout>;
}

/** `client.resourceSubscriptions` */
export interface ResourceSubscriptionsResource {
  /** `PUT /resource_subscriptions` (view_sales). Subscribes a URL to an event (Gumroad creates with PUT). */
  create(params: ResourceSubscriptionsCreateParams, options?: RequestOptions): Promise<ResourceSubscription>;
  /** `DELETE /resource_subscriptions/{id}` (view_sales). Unsubscribes (only the app that subscribed can). */
  delete(id: string, options?: RequestOptions): Promise<DeleteResult>;
  /** `GET /resource_subscriptions` (view_sales). Subscriptions to one event. */
  list(params: ResourceName | ResourceSubscriptionsListParams, options?: RequestOptions): Promise<ResourceSubscription[]>;
}

/** `client.taxForms` */
export interface TaxFormsResource {
  /** `GET /tax_forms` (view_tax_data). Tax forms (US sellers with the tax center). */
  list(params?: TaxFormsListParams, options?: RequestOptions): Promise<TaxForm[]>;
  /** `GET /tax_forms/{year}/{taxFormType}/download` (view_tax_data). A tax form as a PDF. */
  download(year: number | string, taxFormType: string, options?: RequestOptions): Promise<Download>;
}

/** `client.earnings` */
export interface EarningsResource {
  /** `GET /earnings` (view_tax_data). Annual earnings summary. */
  retrieve(params: EarningsRetrieveParams, options?: RequestOptions): Promise<Earnings>;
}

/** `client.maton.connections` */
export interface MatonConnectionsResource {
  /** `ctrl GET /connections` (Maton key). Maton connections. */
  list(params?: MatonConnectionsListParams, options?: RequestOptions): Promise<MatonConnection[]>;
  /** `ctrl POST /connections` (Maton key). Starts a connection; open its `url` to finish the OAuth flow. */
  create(params?: MatonConnectionsCreateParams, options?: RequestOptions): Promise<MatonConnection>;
  /** `ctrl GET /connections/{connectionId}` (Maton key). One connection. */
  retrieve(connectionId: string, options?: RequestOptions): Promise<MatonConnection>;
  /** `ctrl DELETE /connections/{connectionId}` (Maton key). Deletes a connection. */
  delete(connectionId: string, options?: RequestOptions): Promise<Record<string, unknown>>;
}

export interface GumroadClient {
  readonly files: FilesResource;
  readonly directUploads: DirectUploadsResource;
  readonly licenses: LicensesResource;
  readonly user: UserResource;
  readonly pages: PagesResource;
  readonly media: MediaResource;
  readonly categories: CategoriesResource;
  readonly helpArticles: HelpArticlesResource;
  readonly refundPolicy: RefundPolicyResource;
  readonly products: ProductsResource;
  readonly customFields: CustomFieldsResource;
  readonly offerCodes: OfferCodesResource;
  readonly variantCategories: VariantCategoriesResource;
  readonly variants: VariantsResource;
  readonly skus: SkusResource;
  readonly subscribers: SubscribersResource;
  readonly reviews: ReviewsResource;
  readonly bundleContents: BundleContentsResource;
  readonly thumbnail: ThumbnailResource;
  readonly covers: CoversResource;
  readonly upsells: UpsellsResource;
  readonly utmLinks: UtmLinksResource;
  readonly emails: EmailsResource;
  readonly workflows: WorkflowsResource;
  readonly workflowEmails: WorkflowEmailsResource;
  readonly sales: SalesResource;
  readonly payouts: PayoutsResource;
  readonly resourceSubscriptions: ResourceSubscriptionsResource;
  readonly taxForms: TaxFormsResource;
  readonly earnings: EarningsResource;
  /** Only on clients made with `GumroadClient.maton()`; `undefined` otherwise. */
  readonly maton: MatonResource | undefined;
}

/** `client.maton` */
export interface MatonResource {
  readonly connections: MatonConnectionsResource;
}
