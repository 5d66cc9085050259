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
  /** A `fetch` to use instead of the global one. */
  fetch?: (request: Request) => Promise<Response>;
  /** Allow plain `http://` to a non-loopback host (tests only). */
  allowInsecureHttp?: boolean;
}

/** Options of `GumroadClient.maton(...)`. */
export interface MatonClientOptions extends Omit<GumroadClientOptions, "accessToken"> {
  /** Maton API key (`MATON_API_KEY`). Keep it on a server. */
  apiKey: string;
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
