import type { GumroadErrorCode } from "./web/gumroad_wasm.js";

export interface GumroadErrorJSON {
  name: string;
  code: GumroadErrorCode;
  message: string;
  status: number | null;
  retryable: boolean;
  retryAfter: number | null;
  request: string | null;
}

/** Base class of every error this package throws. Never contains a token or API key. */
export class GumroadError extends Error {
  /** Stable machine-readable kind. */
  readonly code: GumroadErrorCode;
  /** HTTP status when an answer arrived (200 for Gumroad's `success: false`). */
  readonly status: number | null;
  /** Whether resending may succeed (it may still be unsafe for state-changing calls). */
  readonly retryable: boolean;
  /** Seconds the server asked to wait, when it said. */
  readonly retryAfter: number | null;
  /** `METHOD url` of the failed request, without query string. */
  readonly request: string | null;
  toJSON(): GumroadErrorJSON;
}
// <generated:error-classes>
// From ErrorCode in src/core/error.rs by `make generate`; do not edit.
/** 401: missing, invalid or revoked token (or Maton key). Code `authentication`. */
export class AuthenticationError extends GumroadError {}
/** 403: the token lacks the scope the endpoint needs. Code `permission`. */
export class PermissionError extends GumroadError {}
/** The object does not exist (Gumroad says so with HTTP 200 + `success:false`, or 404). Code `not_found`. */
export class NotFoundError extends GumroadError {}
/** The server refused the input (400, or 200 + `success:false` that is not a not-found). Code `invalid_request`. */
export class InvalidRequestError extends GumroadError {}
/** 429: too many requests (`retryAfter` holds the server's wait when it sent one). Code `rate_limited`. */
export class RateLimitError extends GumroadError {}
/** 5xx or an unexpected status. Code `api_error`. */
export class APIError extends GumroadError {}
/** The request never got an HTTP answer (DNS, refused, reset, CORS). Code `connection`. */
export class ConnectionError extends GumroadError {}
/** No answer within `timeoutMs`. Code `timeout`. */
export class TimeoutError extends GumroadError {}
/** The caller's `AbortSignal` fired. Code `aborted`. */
export class AbortError extends GumroadError {}
/** An answer arrived but is not what the API sends (truncated JSON, HTML on a 200, ...). Code `decode`. */
export class DecodeError extends GumroadError {}
/** The caller passed something the client refuses to send (missing key, bad base URL, ...). Code `invalid_argument`. */
export class InvalidArgumentError extends GumroadError {}
// </generated:error-classes>
export declare const ERROR_CODES: readonly GumroadErrorCode[];
/** True for errors from this package, also across duplicated copies of it. */
export declare function isGumroadError(e: unknown): e is GumroadError;
