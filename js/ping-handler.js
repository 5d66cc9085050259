// createPingHandler: Gumroad's webhooks ("pings") as a Fetch API handler, `(request) => Promise<Response>`,
// so the same function serves a Cloudflare Worker, a Next.js route handler, Deno.serve, Bun.serve
// and Node 20+. Plain JS like license-token.js: the wasm parser (`parsePing`) and the error class
// are handed in by each package entry, so this module imports no glue and tests can hand in their
// own.
//
// How Gumroad delivers, which decides every answer below (reference: gumroad-api.md §5.1, from
// app/sidekiq/post_to_individual_ping_endpoint_worker.rb):
// - Nothing is signed and no header can be configured, so a secret in the registered URL's
//   query string is the only authentication there is.
// - A delivery is retried only when the answer is 499, 500, 502, 503 or 504, three times (after
//   60 s, 180 s and 600 s), with `retry_count` added to the body. Any other answer, a timeout (5 s)
//   or a connection error is final. Gumroad looks at the status only, never at the body.
// So a failing handler answers 500 (Gumroad tries again), and our own refusals (403, 405, 413,
// 415, 400) are 4xx: resending the same request would be refused the same way.

/** parsePing refuses bodies above this many bytes (src/core/ping.rs MAX_PING_BYTES). */
const PARSE_PING_MAX_BYTES = 256 * 1024;
/** The default body cap, as on the license Worker's ping route (src/core/worker.rs): a real ping is a few KB. */
const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
const MIN_SECRET_LENGTH = 16;
/** Characters that survive a URL's query string unencoded (RFC 3986 "unreserved"). */
const URL_SAFE = /^[A-Za-z0-9._~-]+$/;
/** The event kinds parsePing reports. */
// <generated:event-types>
// From EVENT_TYPES in src/core/ping.rs by `make generate`; do not edit.
const EVENT_TYPES = [
  "sale",
  "refund",
  "dispute",
  "dispute_won",
  "cancellation",
  "subscription_updated",
  "subscription_ended",
  "subscription_restarted",
];
// </generated:event-types>
const HANDLER_NAMES = [...EVENT_TYPES, "default"];
const OPTION_NAMES = ["secret", "on", "onError", "maxBodyBytes"];

const encoder = new TextEncoder();

/**
 * A handler from `on`: awaited, its value ignored.
 * @typedef {(data: unknown, context: { type: string, request: Request }) => unknown} Handler
 */

/**
 * Whether two strings are equal, in time that depends on their lengths but never on where they
 * differ: every byte of the UTF-8 forms (the shorter padded with zeros to the longer) is compared,
 * and the differences are OR-ed together with no early exit. The length difference is folded in
 * too, so padding cannot make "abc" equal "abc\0".
 * @param {unknown} a
 * @param {unknown} b
 * @returns {boolean}
 */
export function timingSafeEqual(a, b) {
  if (typeof a !== "string" || typeof b !== "string") return false;
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const n = Math.max(x.length, y.length);
  const px = new Uint8Array(n);
  const py = new Uint8Array(n);
  px.set(x);
  py.set(y);
  let diff = x.length ^ y.length;
  for (let i = 0; i < n; i++) diff |= px[i] ^ py[i];
  return diff === 0;
}

/**
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 * @returns {Response}
 */
function reply(status, body, headers = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...headers },
  });
}

// Fixed messages: an error answer never echoes the request (nor the secret).
/** @type {(status: number, code: string, message: string, headers?: Record<string, string>) => Response} */
const refuse = (status, code, message, headers) => reply(status, { error: { code, message } }, headers);
const methodNotAllowed = () => refuse(405, "method_not_allowed", "send the ping with POST", { allow: "POST" });
// 403, as the license Worker's ping route answers: 401 would promise an HTTP authentication
// scheme (RFC 9110 §15.5.2 requires a WWW-Authenticate challenge) and there is none. Neither is
// retried by Gumroad, so a mistyped secret in a registered URL costs one refused delivery per event.
const forbidden = () => refuse(403, "forbidden", "missing or wrong secret");
const tooLarge = () => refuse(413, "body_too_large", "request body is too large");
const unsupported = () =>
  refuse(415, "unsupported_media_type", "send application/x-www-form-urlencoded, application/json or multipart/form-data");
const malformed = () => refuse(400, "malformed_body", "request body could not be parsed as a Gumroad ping");
const failed = () => refuse(500, "handler_failed", "the ping could not be processed");

/**
 * "form", "json", "multipart", or null for anything else. No Content-Type: form, as parsePing assumes.
 * @param {string | null} contentType
 * @returns {"form" | "json" | "multipart" | null}
 */
function bodyKind(contentType) {
  const media = (contentType ?? "").split(";")[0].trim().toLowerCase();
  if (media === "" || media === "application/x-www-form-urlencoded") return "form";
  if (media === "application/json") return "json";
  if (media === "multipart/form-data") return "multipart";
  return null;
}

/**
 * The body's bytes, or null once more than `cap` bytes have arrived. Counted as it streams in:
 * a chunked body has no Content-Length, and reading it whole first would let one request hold
 * any amount of memory.
 * @param {Request} request
 * @param {number} cap
 * @returns {Promise<Uint8Array<ArrayBuffer> | null>}
 */
async function readCapped(request, cap) {
  const declared = Number(request.headers.get("content-length"));
  if (declared > cap) return null;
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  /** @type {Uint8Array[]} */
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > cap) {
      reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return bytes;
}

/**
 * A multipart body as the equivalent form-encoded string, so parsePing's form parser reads it
 * and bracket keys (`custom_fields[Size]`, `purchase_ids[]`) nest exactly as in a form body.
 * encodeURIComponent escapes `[`, `]`, `%` and `+`, so the parser decodes every name and value
 * back to what the part held. Pings never carry files: a file part makes the body malformed.
 * @param {Uint8Array<ArrayBuffer>} bytes
 * @param {string} contentType
 * @returns {Promise<string>}
 */
async function multipartToForm(bytes, contentType) {
  const form = await new Response(bytes, { headers: { "content-type": contentType } }).formData();
  const pairs = [];
  for (const [name, value] of form) {
    if (typeof value !== "string") throw new TypeError("file part");
    pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  }
  return pairs.join("&");
}

/**
 * @param {unknown} v
 * @returns {v is Record<string, unknown>}
 */
function isPlainObject(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * @param {unknown} error
 * @param {{ type: string | null }} context
 */
function defaultOnError(error, { type }) {
  console.error(`gumroad-wasm: ping handler failed (${type ?? "before dispatch"}):`, error);
}

/**
 * Builds `createPingHandler` around one entry's wasm `parsePing` and its `InvalidArgumentError`
 * (the class that entry exports, so `instanceof` works for its users).
 * @param {(body: string, contentType: string | null) => { type: string, data: unknown }} parsePing
 * @param {new (message: string, info: { code: string }) => Error} InvalidArgumentError
 */
export function pingHandlerFactory(parsePing, InvalidArgumentError) {
  if (typeof parsePing !== "function" || typeof InvalidArgumentError !== "function") {
    throw new TypeError("pingHandlerFactory(parsePing, InvalidArgumentError): both must be functions");
  }
  /** @param {string} message */
  const invalid = (message) => new InvalidArgumentError(`createPingHandler: ${message}`, { code: "invalid_argument" });

  /**
   * @param {unknown} options
   * @returns {(request: Request) => Promise<Response>}
   */
  return function createPingHandler(options) {
    if (!isPlainObject(options)) throw invalid("options must be an object with `secret` and `on`");
    for (const name of Object.keys(options)) {
      if (!OPTION_NAMES.includes(name)) {
        throw invalid(`unknown option \`${name}\` (expected one of: ${OPTION_NAMES.join(", ")})`);
      }
    }
    const { secret, on, onError = defaultOnError, maxBodyBytes = DEFAULT_MAX_BODY_BYTES } = options;
    // The secret is the only thing between the world and the handlers: long enough not to be
    // guessed, and made of characters that reach searchParams unchanged (a `+` or `&` written
    // unencoded into the ping URL would never match, and every ping would be refused, unretried).
    if (typeof secret !== "string" || secret.length < MIN_SECRET_LENGTH) {
      throw invalid(`\`secret\` must be a string of at least ${MIN_SECRET_LENGTH} characters (e.g. \`openssl rand -hex 32\`)`);
    }
    if (!URL_SAFE.test(secret)) {
      throw invalid("`secret` may hold only letters, digits and - . _ ~ (it travels in the ping URL's query string)");
    }
    if (!isPlainObject(on)) throw invalid("`on` must be an object of handlers, e.g. `{ refund(data) {...} }`");
    /** @type {Record<string, Handler>} */
    const handlers = {};
    for (const [name, fn] of Object.entries(on)) {
      // A misspelt event name would acknowledge and drop those pings for good: refuse it.
      if (!HANDLER_NAMES.includes(name)) {
        throw invalid(`unknown event \`${name}\` in \`on\` (expected one of: ${HANDLER_NAMES.join(", ")})`);
      }
      if (fn === undefined) continue;
      if (typeof fn !== "function") throw invalid(`\`on.${name}\` must be a function`);
      handlers[name] = /** @type {Handler} */ (fn);
    }
    if (Object.keys(handlers).length === 0) throw invalid("`on` must hold at least one handler");
    if (typeof onError !== "function") throw invalid("`onError` must be a function");
    if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1 || maxBodyBytes > PARSE_PING_MAX_BYTES) {
      throw invalid(`\`maxBodyBytes\` must be an integer from 1 to ${PARSE_PING_MAX_BYTES}`);
    }

    /** @type {(error: unknown, type: string | null, request: Request) => void} */
    const report = (error, type, request) => {
      try {
        onError(error, { type, request });
      } catch {
        // A failing logger must not turn a 500 into something else.
      }
    };

    /** @param {Request} request */
    return async function handlePing(request) {
      if (request.method !== "POST") return methodNotAllowed();
      // Before the body is read: an unauthenticated caller costs no parsing.
      const given = new URL(request.url).searchParams.get("secret") ?? "";
      if (!timingSafeEqual(given, secret)) return forbidden();

      const contentType = request.headers.get("content-type");
      const kind = bodyKind(contentType);
      if (kind === null) return unsupported();

      let text;
      try {
        const bytes = await readCapped(request, maxBodyBytes);
        if (bytes === null) return tooLarge();
        if (kind === "multipart") {
          // bodyKind gives "multipart" only for a Content-Type that says so.
          text = await multipartToForm(bytes, /** @type {string} */ (contentType));
          // Percent-escaping can triple non-ASCII text; parsePing has its own hard limit.
          if (text.length > PARSE_PING_MAX_BYTES) return tooLarge();
        } else {
          text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
        }
      } catch {
        // Invalid UTF-8, a broken multipart body, a file part, an upload cut short.
        return malformed();
      }

      let event;
      try {
        event = parsePing(text, kind === "json" ? contentType : "application/x-www-form-urlencoded");
      } catch (error) {
        // parsePing's refusals are the sender's fault. Anything else, e.g. the wasm not
        // initialised on the `web` entry, is ours: 500, so Gumroad retries.
        if (/** @type {{ code?: unknown } | null | undefined} */ (error)?.code === "invalid_argument") return malformed();
        report(error, null, request);
        return failed();
      }

      const { type, data } = event;
      const handler = Object.hasOwn(handlers, type) ? handlers[type] : handlers.default;
      // No handler: acknowledged and ignored. A 4xx would be just as final for Gumroad, but would
      // show as a failed delivery for an event the seller chose not to handle.
      if (!handler) return reply(200, { ok: true, type, handled: false });
      try {
        await handler(data, { type, request });
      } catch (error) {
        report(error, type, request);
        return failed();
      }
      return reply(200, { ok: true, type, handled: true });
    };
  };
}
