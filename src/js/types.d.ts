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
}

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

export interface LicenseVerifyParams {
  /** Required for products created on or after 2023-01-09. */
  product_id?: string;
  /** Older products only. */
  product_permalink?: string;
  license_key: string;
  /** Default true: each verify counts a use. */
  increment_uses_count?: boolean;
}

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

/** `GET /products` etc. one page: the items plus `next_page_key` when another page exists. */
export interface ProductsPage { products: Product[]; next_page_key?: string }
export interface SalesPage { sales: Sale[]; next_page_key?: string }
export interface SubscribersPage { subscribers: Subscriber[]; next_page_key?: string }

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
}

export interface ProductListParams { page_key?: string }

export interface ProductCreateParams {
  name: string;
  /** Cents. */
  price?: number;
  price_currency_type?: string;
  description?: string;
  custom_summary?: string;
  custom_receipt?: string;
  custom_permalink?: string;
  customizable_price?: boolean;
  suggested_price_cents?: number;
  max_purchase_count?: number;
  tags?: string[];
  taxonomy_id?: string;
  native_type?: string;
  subscription_duration?: string;
  refund_period?: number;
}
export type ProductUpdateParams = Partial<Omit<ProductCreateParams, "native_type" | "subscription_duration">>;

export interface OfferCode {
  id: string;
  /** The code buyers type. */
  name: string;
  max_purchase_count: number | null;
  universal: boolean;
  times_used: number;
  amount_cents?: number;
  percent_off?: number;
}
export interface OfferCodeCreateParams {
  name: string;
  amount_off?: number;
  /** Alias of `amount_off` for cents codes. */
  amount_cents?: number;
  offer_type?: "cents" | "percent";
  max_purchase_count?: number;
  universal?: boolean;
}
/** Gumroad lets an update change only `max_purchase_count`. */
export interface OfferCodeUpdateParams { max_purchase_count?: number }

export interface VariantCategory { id: string; title: string }
export interface VariantCategoryParams { title: string }

export interface Variant {
  id: string;
  name: string;
  description: string | null;
  max_purchase_count: number | null;
  price_difference_cents: number;
  is_customizable_price?: boolean;
  recurrence_price_values?: Record<string, unknown>;
}
export interface VariantCreateParams {
  name: string;
  price_difference_cents?: number;
  description?: string;
  max_purchase_count?: number;
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
export interface CustomFieldCreateParams {
  name?: string;
  url?: string;
  label?: string;
  required?: boolean;
  type?: string;
}
export interface CustomFieldUpdateParams { required?: boolean }

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

export interface SalesFilter {
  /** `YYYY-MM-DD`, inclusive. */
  after?: string;
  /** `YYYY-MM-DD`, exclusive. */
  before?: string;
  product_id?: string;
  email?: string;
  order_id?: number | string;
}
export interface SalesListParams extends SalesFilter {
  page_key?: string;
  /** Deprecated by Gumroad; use `page_key`. */
  page?: number;
}
export interface MarkAsShippedParams { tracking_url?: string }
export interface RefundParams {
  /** Partial refund in cents; omit for a full refund. */
  amount_cents?: number;
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
export interface SubscribersListParams {
  email?: string;
  /** 100 per page with `next_page_key` instead of every active subscriber at once. */
  paginated?: boolean;
  page_key?: string;
}

/** License management (`enable`, `disable`, `decrementUsesCount`, `rotate`). */
export interface LicenseParams {
  product_id?: string;
  product_permalink?: string;
  license_key: string;
}

export type ResourceName =
  | "sale"
  | "refund"
  | "dispute"
  | "dispute_won"
  | "cancellation"
  | "subscription_updated"
  | "subscription_ended"
  | "subscription_restarted";

export interface ResourceSubscription { id: string; resource_name: ResourceName; post_url: string }
export interface ResourceSubscriptionCreateParams { resource_name: ResourceName; post_url: string }

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
