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
export class AuthenticationError extends GumroadError {}
export class PermissionError extends GumroadError {}
export class NotFoundError extends GumroadError {}
export class InvalidRequestError extends GumroadError {}
export class RateLimitError extends GumroadError {}
export class APIError extends GumroadError {}
export class ConnectionError extends GumroadError {}
export class TimeoutError extends GumroadError {}
export class AbortError extends GumroadError {}
export class DecodeError extends GumroadError {}
export class InvalidArgumentError extends GumroadError {}
export declare const ERROR_CODES: readonly GumroadErrorCode[];
/** True for errors from this package, also across duplicated copies of it. */
export declare function isGumroadError(e: unknown): e is GumroadError;
