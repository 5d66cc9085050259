// Error classes thrown by gumroad-wasm. Kept in plain JS so they truly extend Error (stack
// traces, `instanceof Error`, structured logging all work). The Rust side only calls makeError.

/**
 * What an error carries besides its message; a member left out takes its default.
 * @typedef {object} ErrorInfo
 * @property {string} [code]
 * @property {number | null} [status]
 * @property {boolean} [retryable]
 * @property {number | null} [retryAfter]
 * @property {string | null} [request]
 */

export class GumroadError extends Error {
  /**
   * @param {string} [message]
   * @param {ErrorInfo | null} [info]
   */
  constructor(message, info) {
    super(message);
    const i = info || {};
    this.name = new.target.name;
    this.code = i.code || "api_error";
    this.status = i.status === undefined ? null : i.status;
    this.retryable = Boolean(i.retryable);
    this.retryAfter = i.retryAfter === undefined ? null : i.retryAfter;
    this.request = i.request || null;
  }

  toJSON() {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      status: this.status,
      retryable: this.retryable,
      retryAfter: this.retryAfter,
      request: this.request,
    };
  }
}

// <generated:error-classes>
// From ErrorCode in src/core/error.rs by `make generate`; do not edit.
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

const BY_CODE = {
  authentication: AuthenticationError,
  permission: PermissionError,
  not_found: NotFoundError,
  invalid_request: InvalidRequestError,
  rate_limited: RateLimitError,
  api_error: APIError,
  connection: ConnectionError,
  timeout: TimeoutError,
  aborted: AbortError,
  decode: DecodeError,
  invalid_argument: InvalidArgumentError,
};
// </generated:error-classes>

export const ERROR_CODES = Object.freeze(Object.keys(BY_CODE));

// `instanceof` breaks when two copies of the package are loaded (bundler duplicates), so this
// also accepts any error that carries one of our codes and our marker.
const MARK = Symbol.for("gumroad-wasm.error");
Object.defineProperty(GumroadError.prototype, MARK, { value: true });

/**
 * @param {unknown} e
 * @returns {e is GumroadError}
 */
export function isGumroadError(e) {
  return e instanceof GumroadError || Boolean(e && typeof e === "object" && /** @type {Record<symbol, unknown>} */ (e)[MARK] === true);
}

/**
 * The error the wasm throws for a failed call (the class from `code`).
 * @param {string} code
 * @param {string} message
 * @param {number | null | undefined} status
 * @param {boolean} retryable
 * @param {number | null | undefined} retryAfter
 * @param {string | null | undefined} request
 */
export function makeError(code, message, status, retryable, retryAfter, request) {
  const Cls = BY_CODE[/** @type {keyof typeof BY_CODE} */ (code)] || GumroadError;
  return new Cls(message, {
    code,
    status: status === undefined ? null : status,
    retryable,
    retryAfter: retryAfter === undefined ? null : retryAfter,
    request,
  });
}
