/** Options of `new GumroadClient(...)`. */
export interface GumroadClientOptions {
  /** OAuth access token. Optional: `licenses.verify`/`check` need none. Keep it on a server. */
  accessToken?: string;
  /** API root including `/v2`. Default `https://api.gumroad.com/v2`. */
  baseUrl?: string;
  /** Per-attempt timeout in milliseconds (default 30000; 0 disables). */
  timeoutMs?: number;
  /** Retries of requests that change nothing (default 2). */
  maxRetries?: number;
  /** A `fetch` to use instead of the global one; called as `fetch(url, init)`. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Allow plain `http://` to a non-loopback host (tests only). */
  allowInsecureHttp?: boolean;
  /** Functions called, synchronously, on every request attempt, answer, retry and failed call. */
  hooks?: GumroadHooks;
  /** `true` logs one line per hook event with `console.debug`; a function gets the lines instead. */
  debug?: boolean | ((line: string) => void);
}

/**
 * The `hooks` client option. Each hook gets one event object; what it returns is ignored, and
 * a hook that throws or rejects never changes the call. Events carry no headers, bodies,
 * messages or query strings, so no credential reaches them.
 */
export interface GumroadHooks {
  /** An attempt is about to be sent. */
  request?: (event: GumroadRequestEvent) => void;
  /** An HTTP answer arrived (any status, 4xx and 5xx included). */
  response?: (event: GumroadResponseEvent) => void;
  /** The attempt failed and the call will be sent again after `retryInMs`. */
  retry?: (event: GumroadRetryEvent) => void;
  /** The call failed for good; `code` is the code of the error it rejects with. */
  error?: (event: GumroadErrorEvent) => void;
}

/** What every hook event carries. */
export interface GumroadEventBase {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /**
   * The path below `baseUrl` (`ctrlBaseUrl` for `maton.connections`), without query string:
   * `/products/abc`. A part PUT of `files.upload()` has its storage URL's path.
   */
  path: string;
  /** 1 for the first attempt, 2 for the first retry, ... */
  attempt: number;
}

export interface GumroadRequestEvent extends GumroadEventBase {
  type: "request";
}

export interface GumroadResponseEvent extends GumroadEventBase {
  type: "response";
  status: number;
  /** Milliseconds from the attempt's start to the whole answer read. */
  durationMs: number;
}

export interface GumroadRetryEvent extends GumroadEventBase {
  type: "retry";
  /** The failed attempt's HTTP status, when an answer arrived. */
  status?: number;
  /** Milliseconds since the failed attempt started. */
  durationMs: number;
  /** The wait before the next attempt (backoff, or the server's `Retry-After`). */
  retryInMs: number;
  /** Why: the failed attempt's error code (429, 5xx, no answer, no answer in time). */
  // <generated:retry-reasons>
  // From ErrorCode in src/core/error.rs by `make generate`; do not edit.
  reason: "rate_limited" | "api_error" | "connection" | "timeout";
  // </generated:retry-reasons>
}

export interface GumroadErrorEvent extends GumroadEventBase {
  type: "error";
  /** The last attempt's HTTP status, when an answer arrived. */
  status?: number;
  /** Milliseconds since the last attempt started (a wait cut short by `signal` included). */
  durationMs: number;
  /** The `code` of the error the call rejects with. */
  code: GumroadErrorCode;
}

export type GumroadEvent = GumroadRequestEvent | GumroadResponseEvent | GumroadRetryEvent | GumroadErrorEvent;

/** Options of `GumroadClient.maton(...)`. */
export interface MatonClientOptions extends Omit<GumroadClientOptions, "accessToken"> {
  /** Maton API key (`MATON_API_KEY`). Keep it on a server. */
  apiKey: string;
  /** Maton's connection-management root. Default `https://ctrl.maton.ai`. */
  ctrlBaseUrl?: string;
  /** Maton connection id (`Maton-Connection`); default: the oldest active connection. */
  connectionId?: string;
}

/** The optional last argument of every async method. */
export interface RequestOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  maxRetries?: number;
}

export interface User {
  user_id: string;
  id?: string;
  name?: string | null;
  bio?: string | null;
  twitter_handle?: string | null;
  url?: string | null;
  links?: string[];
  /** Needs a non-public scope. */
  email?: string;
  currency_type?: string;
  profile_url?: string | null;
  /** Needs `view_profile`. */
  display_name?: string;
}

export type LicenseVerifyParams = LicensesVerifyParams;

export interface LicenseCheckParams {
  product_id?: string;
  product_permalink?: string;
  license_key: string;
  /** Uses allowed per seat; more makes the verdict `too_many_uses`. */
  maxUses?: number;
}

export interface LicensePurchase {
  seller_id: string;
  product_id: string;
  product_name: string;
  permalink: string;
  product_permalink: string;
  email: string;
  price: number;
  currency: string;
  quantity: number;
  sale_id: string;
  sale_timestamp: string;
  license_key?: string;
  refunded: boolean;
  disputed: boolean;
  dispute_won: boolean;
  chargebacked?: boolean;
  subscription_id?: string;
  subscription_ended_at?: string | null;
  subscription_cancelled_at?: string | null;
  subscription_failed_at?: string | null;
  is_multiseat_license?: boolean;
  /** v1 display string such as `"(red)"`. */
  variants?: string;
  /** `"name: value"` strings. */
  custom_fields?: string[];
  [field: string]: unknown;
}

export interface ImportedCustomer {
  email: string;
  created_at: string;
  product_name: string;
  is_imported_customer: true;
  id: string;
  [field: string]: unknown;
}

export type LicenseResponse =
  | { uses: number; purchase: LicensePurchase; imported_customer?: undefined }
  | { uses: number; imported_customer: ImportedCustomer; purchase?: undefined };

export type LicenseReason =
  | "ok"
  | "not_found"
  | "disabled"
  | "access_revoked"
  | "refunded"
  | "chargebacked"
  | "disputed"
  | "subscription_cancelled"
  | "subscription_ended"
  | "subscription_failed"
  | "too_many_uses"
  | "product_id_required";

export interface LicenseVerdict {
  valid: boolean;
  reason: LicenseReason;
  uses: number;
  purchase?: LicensePurchase;
  imported_customer?: ImportedCustomer;
}

// <generated:error-codes>
// From ErrorCode in src/core/error.rs by `make generate`; do not edit.
export type GumroadErrorCode =
  | "authentication"
  | "permission"
  | "not_found"
  | "invalid_request"
  | "rate_limited"
  | "api_error"
  | "connection"
  | "timeout"
  | "aborted"
  | "decode"
  | "invalid_argument";
// </generated:error-codes>

/** One page of `products.list`, `sales.list`, `subscribers.list`. */
export type ProductsPage = PageOf<"products", Product>;
export type SalesPage = PageOf<"sales", Sale>;
export type SubscribersPage = PageOf<"subscribers", Subscriber>;

/** Returned by `iterate()`: `for await (const sale of client.sales.iterate(...))`. */
export interface PageIterator<T> extends AsyncIterableIterator<T> {
  /** Pages fetched so far. */
  readonly pages: number;
  /** Items handed out so far. */
  readonly items: number;
}

export interface DeleteResult { message: string }

export interface ProductVariantOption {
  name: string;
  price_difference: number;
  is_pay_what_you_want: boolean;
  recurrence_prices: Record<string, { price_cents: number; suggested_price_cents: number | null }> | null;
  url: null;
  /** The option's own content pages (the full product object only, not `products.list`). */
  rich_content?: RichContentPage[];
  /** Prices per country code when purchasing power parity is on. */
  purchasing_power_parity_prices?: Record<string, number>;
}

export interface Product {
  id: string;
  name: string;
  description: string;
  custom_summary: string | null;
  custom_permalink: string | null;
  custom_receipt: string | null;
  customizable_price: boolean | null;
  require_shipping: boolean;
  preview_url: string | null;
  subscription_duration: string | null;
  /** Always null (deprecated). */
  url: null;
  price: number;
  currency: string;
  short_url: string;
  thumbnail_url: string | null;
  tags: string[];
  formatted_price: string;
  published: boolean;
  deleted: boolean;
  file_info: Record<string, string>;
  max_purchase_count: number | null;
  custom_fields: Array<{ id: string; type: string; name: string; required: boolean; collect_per_product: boolean }>;
  is_tiered_membership: boolean;
  recurrences: string[] | null;
  variants: Array<{ title: string; options: ProductVariantOption[] }>;
  purchasing_power_parity_prices?: Record<string, number>;
  /** With `view_sales`. */
  sales_count?: number;
  sales_usd_cents?: number;
  custom_delivery_url?: null;
  landing_url?: string;
  custom_html?: string | null;
  covers?: Cover[];
  main_cover_id?: string | null;
  bundle_products?: Array<{ product_id: string; variant_id: string | null; quantity: number; position: number }>;
  /** Full object only (retrieve, create, update, enable, disable). */
  rich_content?: RichContentPage[];
  has_same_rich_content_for_all_variants?: boolean;
  files?: ProductFile[];
  refund_policy?: { refund_period: RefundPeriod | "inherit"; title: string | null; fine_print: string | null; inherited: boolean };
  is_preorder?: boolean;
  is_in_preorder_state?: boolean;
  release_at?: string | null;
  [field: string]: unknown;
}


export interface OfferCode {
  id: string;
  /** The code buyers type. */
  name: string;
  max_purchase_count: number | null;
  universal: boolean;
  times_used: number;
  amount_cents?: number;
  percent_off?: number;
  minimum_amount_cents?: number;
}

export interface VariantCategory { id: string; title: string }

export interface Variant {
  id: string;
  name: string;
  description: string | null;
  max_purchase_count: number | null;
  price_difference_cents: number;
  is_customizable_price?: boolean;
  recurrence_price_values?: Record<string, unknown>;
  rich_content?: RichContentPage[];
}

export interface CustomField {
  id: string;
  type: string;
  name: string;
  required: boolean;
  global: boolean;
  collect_per_product: boolean;
  products: string[];
}

export interface Sale {
  id: string;
  email: string;
  seller_id: string;
  timestamp: string;
  daystamp: string;
  created_at: string;
  product_name: string;
  product_has_variants: boolean;
  /** Cents. */
  price: number;
  gumroad_fee: number;
  formatted_display_price: string;
  formatted_total_price: string;
  currency_symbol: string;
  amount_refundable_in_currency: string;
  product_id: string;
  product_permalink: string;
  refunded?: boolean;
  partially_refunded: boolean;
  chargedback: boolean;
  purchase_email: string;
  full_name?: string;
  country?: string;
  paid: boolean;
  has_variants: boolean;
  variants?: Record<string, string>;
  variants_and_quantity: string;
  has_custom_fields: boolean;
  custom_fields: Record<string, string>;
  order_id: number;
  is_product_physical: boolean;
  purchaser_id?: string;
  is_recurring_billing: boolean;
  can_contact: boolean;
  is_following: boolean;
  disputed: boolean;
  dispute_won: boolean;
  discover_fee_charged: boolean;
  referrer: string;
  card: { visual: string; type: string; bin: string | null; expiry_month: number | null; expiry_year: number | null };
  subscription_id?: string;
  cancelled?: boolean;
  ended?: boolean;
  dead?: boolean;
  shipped?: boolean;
  tracking_url?: string | null;
  offer_code?: { code: string; displayed_amount_off: string; name: string };
  license_key?: string;
  license_id?: string;
  license_disabled?: boolean;
  is_multiseat_license?: boolean;
  quantity: number;
  [field: string]: unknown;
}


export type SubscriberStatus =
  | "alive"
  | "pending_cancellation"
  | "pending_failure"
  | "failed_payment"
  | "fixed_subscription_period_ended"
  | "cancelled";

export interface Subscriber {
  id: string;
  email: string;
  product_id: string;
  product_name: string;
  user_id: string | null;
  user_email: string;
  purchase_ids: string[];
  created_at: string;
  user_requested_cancellation_at: string | null;
  charge_occurrence_count: number | null;
  recurrence: string;
  cancelled_at: string | null;
  ended_at: string | null;
  failed_at: string | null;
  free_trial_ends_at: string | null;
  status: SubscriberStatus;
  license_key?: string;
}


// <generated:event-types>
// From EVENT_TYPES in src/core/ping.rs by `make generate`; do not edit.
export type ResourceName =
  | "sale"
  | "refund"
  | "dispute"
  | "dispute_won"
  | "cancellation"
  | "subscription_updated"
  | "subscription_ended"
  | "subscription_restarted";
// </generated:event-types>

export interface ResourceSubscription { id: string; resource_name: ResourceName; post_url: string }

export interface MatonConnection {
  connection_id: string;
  status: string;
  creation_time: string;
  last_updated_time: string;
  /** Open it to finish the OAuth flow of a pending connection. */
  url: string | null;
  app: string;
  method?: string;
  metadata: Record<string, unknown>;
}

/** A sale-type ping (`sale`, `refund`, `dispute`, `dispute_won`). */
export interface SalePing {
  seller_id: string;
  product_id: string;
  product_name: string;
  permalink: string;
  product_permalink: string;
  short_product_id: string;
  email: string;
  price: number;
  gumroad_fee: number;
  currency: string;
  quantity: number;
  order_number: number;
  sale_id: string;
  sale_timestamp: string;
  refunded: boolean;
  disputed: boolean;
  dispute_won: boolean;
  license_key?: string;
  subscription_id?: string;
  test?: boolean;
  card?: Record<string, string | null>;
  variants?: Record<string, string>;
  custom_fields?: Record<string, string>;
  resource_name?: ResourceName;
  retry_count?: number;
  [field: string]: unknown;
}

/** A subscription-type ping (`cancellation`, `subscription_*`). */
export interface SubscriptionPing {
  subscription_id: string;
  product_id: string;
  product_name: string;
  user_id: string | null;
  user_email: string;
  purchase_ids: string[];
  created_at: string;
  recurrence: string;
  resource_name: ResourceName;
  license_key?: string;
  cancelled?: boolean;
  cancelled_at?: string;
  ended_at?: string;
  ended_reason?: "cancelled" | "failed_payment" | "fixed_subscription_period_ended";
  restarted_at?: string;
  type?: "upgrade" | "downgrade";
  effective_as_of?: string;
  old_plan?: Record<string, unknown>;
  new_plan?: Record<string, unknown>;
  retry_count?: number;
  [field: string]: unknown;
}

export type PingEvent =
  | { type: "sale" | "refund" | "dispute" | "dispute_won"; data: SalePing }
  | { type: "cancellation" | "subscription_updated" | "subscription_ended" | "subscription_restarted"; data: SubscriptionPing };

// ---- Names of earlier releases (the generated `<Resource><Method>Params` are the same types).
export type ProductListParams = ProductsListParams;
export type ProductCreateParams = ProductsCreateParams;
export type ProductUpdateParams = ProductsUpdateParams;
export type OfferCodeCreateParams = OfferCodesCreateParams;
export type OfferCodeUpdateParams = OfferCodesUpdateParams;
export type VariantCategoryParams = VariantCategoriesCreateParams;
export type VariantCreateParams = VariantsCreateParams;
export type CustomFieldCreateParams = CustomFieldsCreateParams;
export type CustomFieldUpdateParams = CustomFieldsUpdateParams;
export type SalesFilter = Omit<SalesListParams, "page_key" | "page">;
export type MarkAsShippedParams = SalesMarkAsShippedParams;
export type RefundParams = SalesRefundParams;
export type LicenseParams = LicensesEnableParams;
export type ResourceSubscriptionCreateParams = ResourceSubscriptionsCreateParams;
export type ConnectionsResource = MatonConnectionsResource;

// ---- Models of the 2026 routes (Gumroad's wire names). `[field: string]: unknown` marks
// objects whose full key set the reference leaves open.

export type RefundPeriod = "none" | "7" | "14" | "30" | "183";
export type ProductNativeType = "digital" | "course" | "ebook" | "membership" | "bundle" | "commission" | "call" | "coffee";
export type SubscriptionDuration = "monthly" | "yearly" | "quarterly" | "biannually" | "every_two_years";

/** An entry of a product's `files[]` on create/update: a `files.upload()` result, or `{ id }` to keep a file. */
export interface ProductFileInput {
  id?: string;
  url?: string;
  display_name?: string;
  extension?: string;
  position?: number;
  stream_only?: boolean;
  description?: string;
}
export interface ProductFile { id: string; name: string; size: number | null; url: string; filetype: string; filegroup: string; [field: string]: unknown }
/** A content page: `description` is a ProseMirror document (`{ type: "doc", content: [...] }`). */
export interface RichContentPage { id?: string; title: string | null; description: { type: "doc"; content: unknown[] } | unknown[] }
export interface Cover { id: string; url: string; original_url: string; thumbnail: string | null; type: string; filetype: string | null; width: number | null; height: number | null; native_width: number | null; native_height: number | null }
export interface ProductCovers { covers: Cover[]; main_cover_id: string | null }
export interface Thumbnail { url: string; guid: string }
export interface BundleContentInput { product_id: string; variant_id?: string; quantity?: number; position?: number }
export interface Sku { id: string; name: string; [field: string]: unknown }
export interface ProductReview {
  id: string;
  rating: number;
  message: string | null;
  created_at: string;
  purchase_id: string;
  rater_name: string;
  response: { message: string; created_at: string } | null;
}
export interface ProductComps {
  count: number;
  currency: string;
  price_cents: { p25: number | null; p50: number | null; p75: number | null };
  examples: Array<{ name: string; price: string; url: string }>;
}

export interface Theme {
  background_color: string;
  highlight_color: string;
  font: string;
  applies_to: string[];
  editable_by_seller: boolean;
  how_to_change: string;
}
export interface ProfileLayout {
  rendering: "custom_html" | "tabs_and_sections";
  tab_bar_visible: boolean;
  tabs: Array<{ name: string; sections: Array<{ header: string | null; type: string }> }>;
  editable_by_seller: boolean;
  how_to_change: string;
}
export interface SanitizationReport {
  removed_tags: Array<{ tag: string; attrs: Record<string, string>; reason: string }>;
  removed_attributes: Array<{ tag: string; attribute: string; value: string; reason: string }>;
  total_removed: number;
  truncated: boolean;
}
export interface UserCustomHtml { custom_html: string | null; rendered_html: string; has_landing_page: boolean; profile_url: string | null }
export interface CustomHtmlChange {
  custom_html: string | null;
  previous_custom_html: string | null;
  sanitization_report: SanitizationReport;
  profile_url?: string | null;
}
export interface CustomHtmlPreview { custom_html: string | null; sanitization_report: SanitizationReport; warning?: string }
export interface ProductCustomHtml { custom_html: string | null; has_landing_page: boolean; landing_url: string }
export interface ProductCustomHtmlChange extends CustomHtmlChange { landing_url: string; warning?: string }

export interface StorePage {
  slug: string;
  title: string;
  content: string | null;
  custom_html: string | null;
  url: string | null;
  created_at: string;
  updated_at: string;
}
export interface StorePageWithHtml { page: StorePage; rendered_html: string }
export interface MediaFile {
  id: string;
  name: string;
  extension: string;
  file_size: number | null;
  url: string | null;
  status: { type: string };
  file_group: string;
  created_at: string;
}
export interface Category { id: number; name: string; label: string; path: string; parent_id: number | null }
export interface HelpArticleSummary { slug: string; title: string; url: string; description?: string; [field: string]: unknown }
export interface HelpArticle extends HelpArticleSummary { content: string }
export interface RefundPolicy { refund_period: RefundPeriod; title: string; fine_print: string | null; in_effect: boolean }

export interface Upsell {
  id: string;
  name: string;
  cross_sell: boolean;
  replace_selected_products: boolean;
  universal: boolean;
  text: string | null;
  description: string | null;
  paused: boolean;
  product: { id: string; name: string; currency_type: string; variant: { id: string; name: string } | null };
  discount:
    | ({ type: "fixed"; cents: number } & UpsellDiscountCommon)
    | ({ type: "percent"; percents: number } & UpsellDiscountCommon)
    | null;
  selected_products: Array<{ id: string; name: string }>;
  upsell_variants: Array<{ id: string; selected_variant: { id: string; name: string }; offered_variant: { id: string; name: string } }>;
}
export interface UpsellDiscountCommon {
  product_ids: string[];
  expires_at: string | null;
  minimum_quantity: number | null;
  duration_in_billing_cycles: number | null;
  minimum_amount_cents: number | null;
}
export interface UpsellOfferCodeInput { amount_cents?: number; amount_percentage?: number }
export interface UpsellVariantInput { selected_variant_id: string; offered_variant_id: string }

export interface UtmLink {
  id: string;
  title: string;
  short_url: string;
  utm_url: string | null;
  target_resource_type: "profile_page" | "subscribe_page" | "product_page" | "post_page";
  target_resource_id: string | null;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  utm_term: string | null;
  utm_content: string | null;
  enabled: boolean;
  total_clicks: number;
  unique_clicks: number;
  created_at: string;
  updated_at: string;
}

export type EmailAudience = "all" | "audience" | "customers" | "seller" | "followers" | "follower" | "product";
export interface Email {
  id: string;
  subject: string;
  message: string;
  audience_type: "audience" | "seller" | "follower" | "product" | "variant" | "affiliate";
  product_id: string | null;
  state: "published" | "scheduled" | "draft";
  published_at: string | null;
  scheduled_at?: string;
  send_emails: boolean;
  shown_on_profile: boolean;
  audience_count: number | null;
  recipients_count: number | null;
  url: string | null;
  created_at: string;
  updated_at: string;
}
export interface EmailPreview { email: Email; preview_url: string; message: string }
export interface WorkflowEmail {
  id: string;
  subject: string;
  message: string;
  audience_type: string;
  product_id: string | null;
  state: string;
  published_at: string | null;
  send_emails: boolean;
  delay: { amount: number; unit: "hour" | "day" | "week" | "month" };
  sent_count: number;
  open_count: number | null;
  open_rate: number | null;
  click_count: number | null;
  click_rate: number | null;
  created_at: string;
  updated_at: string;
}
export interface Workflow {
  id: string;
  name: string;
  audience_type: string;
  trigger: string | null;
  product_id: string | null;
  variant_id: string | null;
  state: "published" | "draft";
  published_at: string | null;
  first_published_at: string | null;
  send_to_past_customers: boolean;
  emails_count: number;
  filters: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  emails?: WorkflowEmail[];
}

export interface SalesExport { status: "queued"; recipient_email: string }
export interface SalesSummaryFigures { gross_cents: number; net_cents: number; units: number; refunded_cents: number; refunded_units: number }
export interface SalesSummary extends SalesSummaryFigures {
  currency: string;
  from: string;
  to: string;
  breakdown?: Array<SalesSummaryFigures & { key: string; label: string }>;
}

export interface Payout {
  /** `null` for the upcoming payout. */
  id: string | null;
  /** Two decimals as a string (`"150.00"`). */
  amount: string;
  currency: string;
  status: string;
  created_at: string | null;
  processed_at?: string | null;
  payment_processor: string | null;
  bank_account_visual: string | null;
  paypal_email: string | null;
  /** With `view_sales`. */
  sales?: string[];
  refunded_sales?: string[];
  disputed_sales?: string[];
  [field: string]: unknown;
}

export interface TaxForm { tax_year: number; tax_form_type: string; filed_at: string | null }
export interface Earnings {
  year: number;
  currency: string;
  gross_cents: number;
  fees_cents: number;
  taxes_cents: number;
  affiliate_credit_cents: number;
  net_cents: number;
}
/**
 * A downloaded file (`taxForms.download`). `filename` comes from `Content-Disposition`, which
 * browsers hide from cross-origin pages unless the server exposes it: then it is `null`.
 */
export interface Download { data: Uint8Array; contentType: string; filename: string | null }

export interface FilePresign {
  upload_id: string;
  key: string;
  file_url: string;
  parts: Array<{ part_number: number; presigned_url: string }>;
}
export interface FilePartInput { part_number: number; etag: string }
export interface DirectUploadBlobInput { filename: string; byte_size: number; checksum: string; content_type: string }
export interface DirectUpload {
  id: number;
  key: string;
  filename: string;
  content_type: string;
  byte_size: number;
  checksum: string;
  signed_id: string;
  direct_upload: { url: string; headers: Record<string, string> };
  [field: string]: unknown;
}

/** Options of `files.upload()`. */
export interface UploadOptions extends RequestOptions {
  /** Gumroad names the file and infers its type from this name. */
  filename: string;
  /** The type of a stream read into memory (no `size`); Gumroad's presign flow takes none. */
  contentType?: string;
  /** Bytes of a `ReadableStream` (without it the stream is read into memory first). */
  size?: number;
  /** Called after each part. */
  onProgress?: (progress: { part: number; parts: number; loaded: number; total: number }) => void;
}

export interface FilesResource {
  /** Uploads a file with Gumroad's multipart flow (presign, PUT every part, complete; aborted on failure) and resolves to what a product's `files[]` takes. */
  upload(data: Blob | Uint8Array | ArrayBuffer | ReadableStream<Uint8Array>, options: UploadOptions): Promise<{ url: string; display_name: string }>;
}

export interface LicensesResource {
  /** Verifies without counting a use and applies the license policy (refunds, chargebacks, disputes, subscription state, `maxUses`). */
  check(params: LicenseCheckParams, options?: RequestOptions): Promise<LicenseVerdict>;
}

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface GumroadClient {
  /**
   * Any route below `baseUrl` (`"/products/{id}/covers"`; `{name}` slots are filled from
   * `params`), with the client's auth, errors, timeouts and redaction; only GET is retried.
   * Resolves to the answer without `success`.
   */
  request<T = Record<string, unknown>>(method: HttpMethod, path: string, params?: Record<string, unknown>, options?: RequestOptions): Promise<T>;
}

// ---- OAuth (`GumroadOAuth`).

export type OAuthScope =
  | "view_public"
  | "view_profile"
  | "edit_profile"
  | "edit_products"
  | "edit_emails"
  | "view_sales"
  | "mark_sales_as_shipped"
  | "refund_sales"
  | "edit_sales"
  | "view_payouts"
  | "view_tax_data"
  | "revenue_share"
  | "ifttt"
  | "account";

export interface GumroadOAuthOptions {
  clientId: string;
  /** Confidential (server-side) apps only. Never ship it to a browser. */
  clientSecret?: string;
  /** The redirect URI registered with the app (authorization-code flow). */
  redirectUri?: string;
  /** Where `/oauth/...` lives. Default `https://app.gumroad.com`. */
  oauthBaseUrl?: string;
  timeoutMs?: number;
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  allowInsecureHttp?: boolean;
}
export interface AuthorizationUrlParams {
  /** Default `["view_public"]`. */
  scopes?: OAuthScope[];
  /** Default: 16 random bytes. */
  state?: string;
  redirectUri?: string;
  /** PKCE S256 with a generated verifier (default true). */
  pkce?: boolean;
}
export interface AuthorizationRequest {
  url: string;
  /** Compare it with the `state` of the redirect (`exchangeCode({ expectedState })`). */
  state: string;
  /** Keep it for `exchangeCode`. */
  codeVerifier?: string;
}
export interface ExchangeCodeParams {
  code: string;
  codeVerifier?: string | undefined;
  redirectUri?: string | undefined;
  /**
   * The `state` the redirect brought back and the one you sent: when either key is given, both
   * must be non-empty and equal (a missing session state fails the check).
   */
  state?: string | null | undefined;
  expectedState?: string | null | undefined;
}
/** Doorkeeper's token answer; Gumroad's tokens do not expire. */
export interface OAuthToken {
  access_token: string;
  token_type: "Bearer";
  scope: string;
  created_at: number;
  refresh_token?: string;
}
export interface DeviceAuthorization {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}
