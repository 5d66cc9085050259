// LicenseClient: holds one seat (device) of a license for an app and decides, online and
// offline, whether to unlock. Plain JS on WebCrypto, no wasm and no dependencies, so a desktop
// app, a plugin or a web page can use it without loading the API client.
//
// How it decides, and why:
// - Online, the license Worker decides; its answer counts only through the signed token in it,
//   checked against keys compiled into the app and bound to product, key, instance, device and
//   issuer. An unsigned `valid: true` never unlocks anything, so a proxy or a hosts-file entry
//   that answers for the Worker cannot either.
// - When the Worker cannot decide (unreachable, timed out, 429, 5xx, other 4xx), the last token
//   that verified decides, until its `exp`. The stored seat is not trusted for more than that:
//   the token is verified again, bound to this device's fingerprint, every time.
// - A clock set back (to stretch an expired token) is caught by remembering the latest time
//   seen (`seenAt`); a fresh online answer resets it, so a clock that was once set forward and
//   then corrected heals as soon as the Worker is reachable. "Fresh" is proven: every request
//   carries a random nonce that the Worker signs into the answer's token, so an answer recorded
//   earlier and replayed (with the clock set back to match) counts as no answer at all.
// - Only the Worker's signed word changes what is stored: an unsigned refusal cannot delete the
//   stored token, and an activation whose token does not verify cannot replace the stored seat.
// - Keys never come from storage or the network: whoever can write either could mint seats.
// - Calls on one client run one at a time, so a `forget()` or an `activate()` issued during a
//   `check()` cannot be undone by the check's answer being stored after it.
import { verifyLicenseToken, usableEd25519Key, encodeBase64url, trimFingerprint } from "./license-token.js";

/**
 * @import { LicenseDeactivation, LicenseDevice, LicenseResult, LicenseStorage, LicenseTokenResult } from "../pkg-template/license.js"
 */

/**
 * A key the client trusts: the public members of an Ed25519 JWK and the `kid` it came with.
 * @typedef {{ kty: "OKP", crv: "Ed25519", x: string, kid: string | undefined }} TrustedKey
 */

/**
 * The stored seat (what #load reads and #save writes, less the record version).
 * @typedef {object} Seat
 * @property {string} licenseKey
 * @property {string} instanceId
 * @property {string | undefined} token the last token that verified, or the last signed refusal
 * @property {number} seenAt the latest time seen, ms since the epoch
 */

/**
 * A request's outcome (#post). `body` is whatever JSON object came back: every member is
 * checked where it is used.
 * @typedef {object} Answer
 * @property {number | null} status
 * @property {Record<string, any> | null} body
 * @property {Headers | null} headers
 */

/**
 * Why the Worker did not decide (#failure).
 * @typedef {{ code: string, status: number | null, retryAfter?: number | undefined }} Failure
 */

/**
 * A token's verdict, or the client's own when the answer carried no token or a replayed one.
 * @typedef {LicenseTokenResult | { valid: false, reason: "no_token" | "replayed", claims: null }} Verdict
 */

const STORAGE_PREFIX = "gumroad-wasm:license:";
const RECORD_VERSION = 1;
/** How far the clock may go back before the offline decision is `clock_rollback` (NTP steps, DST bugs). */
const CLOCK_TOLERANCE_MS = 5 * 60 * 1000;
const DEFAULT_TIMEOUT_MS = 10_000;
/** setTimeout's largest delay; a longer one fires at once in every runtime. */
const MAX_TIMEOUT_MS = 2_147_483_647;
const MAX_FINGERPRINT_LENGTH = 512;
const MAX_DEVICE_NAME_LENGTH = 100;
/**
 * What a code from the Worker must look like to be reported. Codes go into results and error
 * messages; holding them to snake_case keeps a misbehaving server from putting anything else
 * there (the license key it was sent, say).
 */
const CODE = /^[a-z][a-z0-9_]{0,63}$/;
/** Online verdicts that mean this device no longer holds the stored seat. */
const SEAT_GONE = new Set(["unknown_instance", "wrong_device"]);
const TIMED_OUT = Symbol("timed out");

/**
 * @param {unknown} v
 * @returns {v is Record<string, unknown>}
 */
const isPlainObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
/**
 * @param {unknown} v
 * @returns {v is string}
 */
const isNonEmptyString = (v) => typeof v === "string" && v !== "";
/**
 * @param {unknown} v
 * @returns {v is string}
 */
const isCode = (v) => typeof v === "string" && CODE.test(v);
const noop = () => {};
/**
 * License keys as the Worker compares them: trimmed, case-insensitive.
 * @param {string} a
 * @param {string} b
 */
const sameKey = (a, b) => a.trim().toUpperCase() === b.trim().toUpperCase();

/**
 * A failed deactivate() or devices(): `code` is `not_activated`, `unreachable`, the Worker's
 * `error.code` or `http_<status>`. The message holds the method and code only, never a license
 * key or fingerprint.
 */
export class LicenseClientError extends Error {
  /**
   * @param {string} method
   * @param {string} code
   * @param {number | null} [status]
   * @param {number | undefined} [retryAfter]
   */
  constructor(method, code, status = null, retryAfter = undefined) {
    super(`LicenseClient.${method}: ${code}${status === null ? "" : ` (HTTP ${status})`}`);
    this.name = "LicenseClientError";
    this.code = code;
    this.status = status;
    if (retryAfter !== undefined) this.retryAfter = retryAfter;
  }
}

/**
 * Constructor errors name the option and never echo its value (it may be a key or a secret).
 * @param {string} name
 * @param {string} what
 */
const optionError = (name, what) => new TypeError(`LicenseClient: \`${name}\` ${what}`);

/**
 * @param {unknown} url
 * @returns {{ base: string, origin: string }}
 */
function workerRoot(url) {
  let u = null;
  if (typeof url === "string" || url instanceof URL) {
    try {
      u = new URL(url);
    } catch {
      u = null;
    }
  }
  // Routes are appended to the path, so a query or fragment would end up in the wrong place;
  // credentials in a URL are refused by fetch in browsers and would sit in every request.
  if (u === null || (u.protocol !== "https:" && u.protocol !== "http:") || u.username || u.password || u.search || u.hash) {
    throw optionError("url", "must be the Worker's http(s) root URL, without credentials, query or fragment");
  }
  return { base: u.origin + u.pathname.replace(/\/+$/, ""), origin: u.origin };
}

/**
 * @param {unknown} publicKeys
 * @returns {TrustedKey[]}
 */
function trustedKeys(publicKeys) {
  const list = Array.isArray(publicKeys) ? publicKeys : isPlainObject(publicKeys) && Array.isArray(publicKeys.keys) ? publicKeys.keys : null;
  if (list === null) throw optionError("publicKeys", "must be a JWKS ({ keys: [...] }) or an array of JWKs");
  /** @type {TrustedKey[]} */
  const keys = [];
  for (const jwk of list) {
    const key = usableEd25519Key(jwk);
    // Copied, so that changing the app's object later cannot change what this client trusts.
    if (key !== null && (jwk.kid === undefined || typeof jwk.kid === "string")) keys.push({ ...key, kid: jwk.kid });
  }
  if (keys.length === 0) throw optionError("publicKeys", "must hold at least one usable Ed25519 public key (kty OKP, crv Ed25519, x)");
  return keys;
}

/**
 * The Worker names its key by the RFC 7638 thumbprint; a key given without kid gets that one.
 * @param {string} x
 * @returns {Promise<string>}
 */
async function thumbprint(x) {
  const canonical = new TextEncoder().encode(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`);
  return encodeBase64url(new Uint8Array(await crypto.subtle.digest("SHA-256", canonical)));
}

/**
 * @param {unknown} value
 * @returns {string}
 */
function checkedFingerprint(value) {
  const fingerprint = typeof value === "string" ? trimFingerprint(value) : "";
  if (fingerprint.length < 1 || fingerprint.length > MAX_FINGERPRINT_LENGTH) {
    throw optionError("fingerprint", `must be (or return) a string of 1 to ${MAX_FINGERPRINT_LENGTH} characters after trimming`);
  }
  return fingerprint;
}

/**
 * @param {string} method
 * @param {unknown} value
 * @returns {string}
 */
function checkedLicenseKey(method, value) {
  if (typeof value !== "string" || value.trim() === "") {
    throw new TypeError(`LicenseClient.${method}: the license key must be a non-empty string`);
  }
  return value.trim();
}

/**
 * `{ instanceId?, licenseKey? }`-style options: each one absent or a non-empty string.
 * @template {string} K
 * @param {string} method
 * @param {unknown} options
 * @param {K[]} names
 * @returns {{ [P in K]?: string }}
 */
function checkedCallOptions(method, options, names) {
  if (options === undefined) return {};
  if (!isPlainObject(options)) throw new TypeError(`LicenseClient.${method}: options must be an object`);
  /** @type {{ [P in K]?: string }} */
  const out = {};
  for (const name of names) {
    const v = options[name];
    if (v === undefined) continue;
    if (typeof v !== "string" || v.trim() === "") throw new TypeError(`LicenseClient.${method}: \`${name}\` must be a non-empty string`);
    out[name] = v.trim();
  }
  return out;
}

/** @returns {LicenseStorage} */
function memoryStorage() {
  /** @type {Map<string, string>} */
  const map = new Map();
  return {
    get: (key) => map.get(key),
    set: (key, value) => void map.set(key, value),
    delete: (key) => void map.delete(key),
  };
}

/**
 * Whole seconds from the Worker's `error.retry_after` or its `Retry-After` (delta-seconds, as the Worker sends).
 * @param {Headers | null} headers
 * @param {Record<string, unknown> | null} body
 * @returns {number | undefined}
 */
function retryAfterOf(headers, body) {
  const fromBody = isPlainObject(body) && isPlainObject(body.error) ? body.error.retry_after : undefined;
  if (typeof fromBody === "number" && Number.isFinite(fromBody) && fromBody >= 0) return Math.ceil(fromBody);
  let header = null;
  try {
    header = headers?.get?.("retry-after") ?? null;
  } catch {
    header = null;
  }
  if (typeof header === "string" && /^\s*\d{1,9}\s*$/.test(header)) return Number(header);
  return undefined;
}

/** 16 random bytes, base64url: the challenge a request's answer must carry back, signed. */
function newNonce() {
  return encodeBase64url(crypto.getRandomValues(new Uint8Array(16)));
}

/** @param {number | undefined} retryAfter */
const withRetryAfter = (retryAfter) => (retryAfter === undefined ? {} : { retryAfter });

// LicenseResult ties `offline` to the presence of `error`, which come from separate arguments
// here: the two builders below assert the shape their callers give them.

/**
 * A LicenseResult from a token verdict. `expiresAt` is the token's `exp` when it unlocks.
 * @param {Verdict} verdict
 * @param {boolean} offline
 * @param {string | null} instanceId
 * @param {object} [extra] `error` (offline) and `retryAfter`
 * @returns {LicenseResult}
 */
function fromVerdict(verdict, offline, instanceId, extra = {}) {
  return /** @type {LicenseResult} */ (
    verdict.valid
      ? { valid: true, reason: "ok", offline, instanceId, expiresAt: verdict.claims.exp * 1000, ...extra }
      : { valid: false, reason: verdict.reason, offline, instanceId, expiresAt: null, ...extra }
  );
}

/** @type {(reason: string, offline: boolean, instanceId: string | null, extra?: object) => LicenseResult} */
const refused = (reason, offline, instanceId, extra = {}) => /** @type {LicenseResult} */ ({ valid: false, reason, offline, instanceId, expiresAt: null, ...extra });

/**
 * The clock memory after an online answer: a token that verified `ok` carries the Worker's time,
 * so the memory restarts from it (and may go down); otherwise it only grows.
 * @param {Seat | null} record
 * @param {number} nowMs
 * @param {Verdict} verdict
 * @returns {number}
 */
function seenAfter(record, nowMs, verdict) {
  if (verdict.valid) return Math.max(nowMs, verdict.claims.iat * 1000);
  return Math.max(record?.seenAt ?? 0, nowMs);
}

export class LicenseClient {
  /** @type {string} */
  #base;
  /** @type {string} */
  #productId;
  /** @type {TrustedKey[]} */
  #keys;
  /** @type {Promise<{ keys: TrustedKey[] }> | null} */
  #jwks = null;
  /** @type {string | (() => unknown)} */
  #fingerprint;
  /** @type {string | undefined} */
  #deviceName;
  /** @type {LicenseStorage} */
  #storage;
  /** @type {string} */
  #storageKey;
  /** @type {((input: string, init: RequestInit) => Promise<Response>) | undefined} */
  #fetch;
  /** @type {() => unknown} */
  #now;
  /** @type {string} */
  #issuer;
  /** @type {number} */
  #timeoutMs;
  #tail = Promise.resolve();

  /** @param {unknown} options checked here, each option in turn (license.d.ts has their types) */
  constructor(options) {
    if (!isPlainObject(options)) throw new TypeError("LicenseClient: options must be an object");
    const { url, productId, publicKeys, fingerprint, deviceName, storage, fetch, now, issuer, timeoutMs = DEFAULT_TIMEOUT_MS } = options;
    const root = workerRoot(url);
    if (!isNonEmptyString(productId)) throw optionError("productId", "must be a non-empty string");
    this.#keys = trustedKeys(publicKeys);
    if (typeof fingerprint === "string") checkedFingerprint(fingerprint);
    else if (typeof fingerprint !== "function") throw optionError("fingerprint", "must be a string or a function returning one");
    if (deviceName !== undefined && (typeof deviceName !== "string" || deviceName.length > MAX_DEVICE_NAME_LENGTH)) {
      throw optionError("deviceName", `must be a string of at most ${MAX_DEVICE_NAME_LENGTH} characters`);
    }
    if (storage !== undefined && !(isPlainObject(storage) && ["get", "set", "delete"].every((m) => typeof storage[m] === "function"))) {
      throw optionError("storage", "must be an object with get, set and delete functions");
    }
    if (fetch !== undefined && typeof fetch !== "function") throw optionError("fetch", "must be a function");
    if (now !== undefined && typeof now !== "function") throw optionError("now", "must be a function returning milliseconds since the epoch");
    if (issuer !== undefined && !isNonEmptyString(issuer)) throw optionError("issuer", "must be a non-empty string");
    if (typeof timeoutMs !== "number" || !(timeoutMs > 0 && timeoutMs <= MAX_TIMEOUT_MS)) {
      throw optionError("timeoutMs", `must be a number of milliseconds above 0 and at most ${MAX_TIMEOUT_MS}`);
    }
    this.#base = root.base;
    this.#productId = productId;
    this.#fingerprint = /** @type {string | (() => unknown)} */ (fingerprint);
    this.#deviceName = deviceName === undefined || deviceName.trim() === "" ? undefined : deviceName.trim();
    this.#storage = /** @type {LicenseStorage | undefined} */ (storage) ?? memoryStorage();
    this.#storageKey = STORAGE_PREFIX + productId;
    this.#fetch = /** @type {((input: string, init: RequestInit) => Promise<Response>) | undefined} */ (fetch);
    this.#now = /** @type {(() => unknown) | undefined} */ (now) ?? Date.now;
    this.#issuer = issuer ?? root.origin;
    this.#timeoutMs = timeoutMs;
  }

  /**
   * Takes (or re-takes) a seat on this device with `licenseKey`. Resolves to a LicenseResult.
   * @param {unknown} licenseKey
   * @returns {Promise<LicenseResult>}
   */
  activate(licenseKey) {
    return this.#serially(() => this.#activate(licenseKey));
  }

  /**
   * Re-checks the stored seat online, or offline from its last token. Resolves to a LicenseResult.
   * @returns {Promise<LicenseResult>}
   */
  check() {
    return this.#serially(() => this.#check());
  }

  /**
   * Frees a seat (by default the stored one). Resolves to the Worker's `{ deactivated: true, uses }`.
   * @param {unknown} [options]
   * @returns {Promise<LicenseDeactivation>}
   */
  deactivate(options) {
    return this.#serially(() => this.#deactivate(options));
  }

  /**
   * The seats of a license (by default the stored one's), `current` marking this device's.
   * @param {unknown} [options]
   * @returns {Promise<LicenseDevice[]>}
   */
  devices(options) {
    return this.#serially(() => this.#devices(options));
  }

  /**
   * Forgets the stored seat on this device; the seat stays taken on the Worker.
   * @returns {Promise<void>}
   */
  forget() {
    return this.#serially(() => this.#clear());
  }

  /**
   * @template T
   * @param {() => Promise<T>} fn
   * @returns {Promise<T>}
   */
  #serially(fn) {
    const run = this.#tail.then(fn);
    this.#tail = run.then(noop, noop);
    return run;
  }

  /**
   * @param {unknown} licenseKey
   * @returns {Promise<LicenseResult>}
   */
  async #activate(licenseKey) {
    const key = checkedLicenseKey("activate", licenseKey);
    const fingerprint = await this.#deviceFingerprint();
    const stored = await this.#load();
    const nonce = newNonce();
    /** @type {Record<string, string>} */
    const body = { license_key: key, product_id: this.#productId, fingerprint, nonce };
    if (this.#deviceName !== undefined) body.instance_name = this.#deviceName;
    const answer = await this.#post("/v1/licenses/activate", body);
    const nowMs = this.#clock();
    const b = answer.body;
    if (answer.status === 200 && b !== null) {
      if (b.valid === true && isNonEmptyString(b.instance?.id)) {
        const instanceId = b.instance.id;
        const verdict = await this.#verifyAnswer(b.token, key, instanceId, fingerprint, nowMs, nonce);
        if (verdict.reason === "replayed") return this.#afterFailure(stored, key, fingerprint, nowMs, { code: "replayed", status: 200 });
        // Only a token that verifies makes the seat this device's: an answer whose token does
        // not (a proxy's made-up instance, keys the app lacks) stores nothing and replaces
        // nothing. Activating again later is free: the same device gets the same seat back.
        if (verdict.valid) {
          await this.#save({ licenseKey: key, instanceId, token: b.token, seenAt: seenAfter(stored, nowMs, verdict) });
        } else {
          await this.#touch(stored, nowMs);
        }
        return fromVerdict(verdict, false, verdict.valid ? instanceId : (stored?.instanceId ?? null));
      }
      if (b.valid === false && isCode(b.reason) && b.reason !== "ok") {
        await this.#touch(stored, nowMs);
        return refused(b.reason, false, null);
      }
    }
    const failure = this.#failure(answer);
    if (answer.status === 409 && failure.code === "activation_limit_reached") {
      await this.#touch(stored, nowMs);
      // How many devices the license allows and how many hold a seat, for the app's message.
      /** @type {Record<string, number>} */
      const counts = {};
      for (const name of ["limit", "active"]) {
        const n = b?.error?.[name];
        if (Number.isSafeInteger(n) && n >= 0) counts[name] = n;
      }
      return refused("activation_limit_reached", false, null, { ...withRetryAfter(failure.retryAfter), ...counts });
    }
    return this.#afterFailure(stored, key, fingerprint, nowMs, failure);
  }

  /**
   * After an activation the Worker did not decide: the stored seat of this key decides offline.
   * @param {Seat | null} stored
   * @param {string} key
   * @param {string} fingerprint
   * @param {number} nowMs
   * @param {Failure} failure
   * @returns {Promise<LicenseResult>}
   */
  async #afterFailure(stored, key, fingerprint, nowMs, failure) {
    if (stored !== null && sameKey(stored.licenseKey, key)) return this.#decideOffline(stored, fingerprint, nowMs, failure);
    await this.#touch(stored, nowMs);
    return refused(failure.code, true, null, { error: failure.code, ...withRetryAfter(failure.retryAfter) });
  }

  /** @returns {Promise<LicenseResult>} */
  async #check() {
    const fingerprint = await this.#deviceFingerprint();
    const stored = await this.#load();
    if (stored === null) return refused("not_activated", false, null);
    const nonce = newNonce();
    const answer = await this.#post("/v1/licenses/verify", {
      license_key: stored.licenseKey,
      product_id: this.#productId,
      instance_id: stored.instanceId,
      fingerprint,
      nonce,
    });
    const nowMs = this.#clock();
    const b = answer.body;
    if (answer.status === 200 && b !== null) {
      if (b.valid === true) {
        const verdict = await this.#verifyAnswer(b.token, stored.licenseKey, stored.instanceId, fingerprint, nowMs, nonce);
        if (verdict.reason === "replayed") return this.#decideOffline(stored, fingerprint, nowMs, { code: "replayed", status: 200 });
        const token = verdict.valid ? b.token : stored.token;
        await this.#save({ ...stored, token, seenAt: seenAfter(stored, nowMs, verdict) });
        return fromVerdict(verdict, false, stored.instanceId);
      }
      if (b.valid === false && isCode(b.reason) && b.reason !== "ok") {
        const verdict = await this.#verifyAnswer(b.token, stored.licenseKey, stored.instanceId, fingerprint, nowMs, nonce);
        // The Worker's own signed refusal, bound to this seat, this device and this request.
        const genuine = verdict.claims !== null && verdict.claims.valid === false && verdict.reason === verdict.claims.reason && verdict.reason === b.reason;
        // The Worker signs its own refusals: one that is unsigned, forged or replayed comes
        // from whoever answers in its place, and is no answer at all (the stored token decides).
        if (!genuine) {
          const code = verdict.reason === "replayed" ? "replayed" : "unverified_answer";
          return this.#decideOffline(stored, fingerprint, nowMs, { code, status: 200 });
        }
        if (SEAT_GONE.has(b.reason)) {
          await this.#clear();
          return refused(b.reason, false, null);
        }
        // Keep the Worker's signed refusal, so that offline says the same until it expires; an
        // old `ok` token must not outlive a refund just because the next check was offline.
        await this.#save({ ...stored, token: b.token, seenAt: Math.max(stored.seenAt, nowMs, verdict.claims.iat * 1000) });
        return refused(b.reason, false, stored.instanceId);
      }
    }
    return this.#decideOffline(stored, fingerprint, nowMs, this.#failure(answer));
  }

  /**
   * @param {Seat} stored
   * @param {string} fingerprint
   * @param {number} nowMs
   * @param {Failure} failure
   * @returns {Promise<LicenseResult>}
   */
  async #decideOffline(stored, fingerprint, nowMs, failure) {
    const extra = { error: failure.code, ...withRetryAfter(failure.retryAfter) };
    if (nowMs < stored.seenAt - CLOCK_TOLERANCE_MS) return refused("clock_rollback", true, stored.instanceId, extra);
    if (stored.token === undefined) {
      await this.#touch(stored, nowMs);
      return refused("no_token", true, stored.instanceId, extra);
    }
    // Time seen never runs backwards: a clock set back by less than the tolerance counts as the
    // latest time seen (else a token issued a minute ago would read as not yet valid).
    const verdict = await this.#verifyToken(stored.token, stored.licenseKey, stored.instanceId, fingerprint, Math.max(nowMs, stored.seenAt));
    if (verdict.reason === "wrong_device") {
      // This storage came from another machine (a copied profile or backup): its seat is not ours.
      await this.#clear();
      return refused("wrong_device", true, null, extra);
    }
    await this.#touch(stored, verdict.valid ? Math.max(nowMs, verdict.claims.iat * 1000) : nowMs);
    return fromVerdict(verdict, true, stored.instanceId, extra);
  }

  /**
   * @param {unknown} options
   * @returns {Promise<LicenseDeactivation>}
   */
  async #deactivate(options) {
    const { instanceId, licenseKey } = checkedCallOptions("deactivate", options, ["instanceId", "licenseKey"]);
    const stored = await this.#load();
    const key = licenseKey ?? stored?.licenseKey;
    // The stored instance belongs to the stored key: it is the default only for that key.
    const instance = instanceId ?? (stored !== null && (licenseKey === undefined || sameKey(stored.licenseKey, licenseKey)) ? stored.instanceId : undefined);
    if (key === undefined || instance === undefined) throw new LicenseClientError("deactivate", "not_activated");
    const ours = stored !== null && stored.instanceId === instance && sameKey(stored.licenseKey, key);
    const answer = await this.#post("/v1/licenses/deactivate", { license_key: key, product_id: this.#productId, instance_id: instance });
    if (answer.status === 200 && answer.body?.deactivated === true) {
      if (ours) await this.#clear();
      return /** @type {LicenseDeactivation} */ (answer.body);
    }
    const failure = this.#failure(answer);
    // Already freed (from another device, or by the seller): this device holds nothing either way.
    if (ours && answer.status === 404 && failure.code === "unknown_instance") await this.#clear();
    throw new LicenseClientError("deactivate", failure.code, failure.status, failure.retryAfter);
  }

  /**
   * @param {unknown} options
   * @returns {Promise<LicenseDevice[]>}
   */
  async #devices(options) {
    const { licenseKey } = checkedCallOptions("devices", options, ["licenseKey"]);
    const stored = await this.#load();
    const key = licenseKey ?? stored?.licenseKey;
    if (key === undefined) throw new LicenseClientError("devices", "not_activated");
    const answer = await this.#post("/v1/licenses/instances", { license_key: key, product_id: this.#productId });
    if (answer.status === 200 && Array.isArray(answer.body?.instances)) {
      const current = stored !== null && sameKey(stored.licenseKey, key) ? stored.instanceId : null;
      return answer.body.instances
        .filter((i) => isPlainObject(i) && isNonEmptyString(i.id))
        .map((i) => ({
          id: i.id,
          name: typeof i.name === "string" ? i.name : null,
          activatedAt: typeof i.activated_at === "string" ? i.activated_at : null,
          current: i.id === current,
        }));
    }
    const failure = this.#failure(answer);
    throw new LicenseClientError("devices", failure.code, failure.status, failure.retryAfter);
  }

  /** @returns {Promise<string>} */
  async #deviceFingerprint() {
    const source = this.#fingerprint;
    return checkedFingerprint(typeof source === "function" ? await source() : source);
  }

  /** @returns {number} */
  #clock() {
    const now = this.#now;
    const ms = now();
    if (typeof ms !== "number" || !Number.isFinite(ms)) throw optionError("now", "must return milliseconds since the epoch (a finite number)");
    return ms;
  }

  async #jwksForVerify() {
    this.#jwks ??= Promise.all(this.#keys.map(async (k) => (k.kid === undefined ? { ...k, kid: await thumbprint(k.x) } : k))).then((keys) => ({ keys }));
    return this.#jwks;
  }

  /**
   * @param {unknown} token
   * @param {string} licenseKey
   * @param {string} instanceId
   * @param {string} fingerprint
   * @param {number} nowMs
   * @returns {Promise<LicenseTokenResult>}
   */
  #verifyToken(token, licenseKey, instanceId, fingerprint, nowMs) {
    return this.#jwksForVerify().then((jwks) =>
      verifyLicenseToken(token, { jwks, productId: this.#productId, licenseKey, instanceId, fingerprint, issuer: this.#issuer, now: nowMs }),
    );
  }

  /**
   * An online answer's token; a Worker without a signing key sends none, which unlocks nothing.
   * A clock behind the Worker's by no more than the clock tolerance reads the token at its `iat`
   * (the Worker's time), as the offline check reads its time seen: a device a few minutes slow
   * can still activate. Further behind, the token is `not_yet_valid`.
   * @param {unknown} token
   * @param {string} licenseKey
   * @param {string} instanceId
   * @param {string} fingerprint
   * @param {number} nowMs
   * @param {string} nonce
   * @returns {Promise<Verdict>}
   */
  async #verifyAnswer(token, licenseKey, instanceId, fingerprint, nowMs, nonce) {
    if (token === undefined || token === null) return { valid: false, reason: "no_token", claims: null };
    let verdict = await this.#verifyToken(token, licenseKey, instanceId, fingerprint, nowMs);
    const issuedMs = verdict.claims === null ? 0 : verdict.claims.iat * 1000;
    if (verdict.reason === "not_yet_valid" && issuedMs - nowMs <= CLOCK_TOLERANCE_MS) {
      verdict = await this.#verifyToken(token, licenseKey, instanceId, fingerprint, issuedMs);
    }
    // A genuine token that does not carry this request's nonce was issued for another request:
    // an answer recorded and replayed. It proves nothing about now.
    if (verdict.claims !== null && verdict.claims.nonce !== nonce) return { valid: false, reason: "replayed", claims: null };
    return verdict;
  }

  /**
   * One POST to the Worker, the body read within the timeout. Resolves to `{ status, body,
   * headers }`: `status` null when no answer came (rejected fetch, timeout, unreadable body),
   * `body` the JSON object or null.
   * @param {string} route
   * @param {unknown} payload
   * @returns {Promise<Answer>}
   */
  async #post(route, payload) {
    const fetchFn = this.#fetch ?? globalThis.fetch;
    if (typeof fetchFn !== "function") throw new TypeError("LicenseClient: no `fetch` option and no globalThis.fetch");
    const controller = new AbortController();
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    /** @type {Promise<typeof TIMED_OUT>} */
    const timeout = new Promise((resolve) => {
      timer = setTimeout(resolve, this.#timeoutMs, TIMED_OUT);
    });
    const exchange = (async () => {
      const res = await fetchFn(this.#base + route, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(payload),
        signal: controller.signal,
      });
      const text = await res.text();
      let body = null;
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
      return { status: typeof res.status === "number" ? res.status : null, body: isPlainObject(body) ? body : null, headers: res.headers };
    })();
    try {
      const outcome = await Promise.race([exchange, timeout]);
      if (outcome !== TIMED_OUT) return outcome;
      // A fetch that ignores the signal still loses the race; its late answer is dropped.
      exchange.catch(noop);
      controller.abort();
      return { status: null, body: null, headers: null };
    } catch {
      return { status: null, body: null, headers: null };
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Why the Worker did not decide: `{ code, status, retryAfter? }`.
   * @param {Answer} answer
   * @returns {Failure}
   */
  #failure(answer) {
    if (answer.status === null) return { code: "unreachable", status: null };
    const workerCode = answer.body?.error?.code;
    // A 200 that is not a verdict (a captive portal's page, a proxy's JSON) is no answer either.
    const code = isCode(workerCode) ? workerCode : answer.status === 200 ? "bad_response" : `http_${answer.status}`;
    return { code, status: answer.status, retryAfter: retryAfterOf(answer.headers, answer.body) };
  }

  /** @returns {Promise<Seat | null>} */
  async #load() {
    const raw = await this.#storage.get(this.#storageKey);
    if (typeof raw !== "string") return null;
    let r;
    try {
      r = JSON.parse(raw);
    } catch {
      return null;
    }
    if (
      !isPlainObject(r) ||
      r.v !== RECORD_VERSION ||
      !isNonEmptyString(r.licenseKey) ||
      !isNonEmptyString(r.instanceId) ||
      !(r.token === undefined || typeof r.token === "string") ||
      !(typeof r.seenAt === "number" && Number.isFinite(r.seenAt) && r.seenAt >= 0)
    ) {
      return null;
    }
    return { licenseKey: r.licenseKey, instanceId: r.instanceId, token: r.token, seenAt: r.seenAt };
  }

  /** @param {Seat} seat */
  async #save({ licenseKey, instanceId, token, seenAt }) {
    /** @type {{ v: number, licenseKey: string, instanceId: string, token?: string, seenAt?: number }} */
    const record = { v: RECORD_VERSION, licenseKey, instanceId };
    if (token !== undefined) record.token = token;
    record.seenAt = seenAt;
    await this.#storage.set(this.#storageKey, JSON.stringify(record));
  }

  /**
   * Moves the stored clock memory up to `seenAt` (no write when nothing changes).
   * @param {Seat | null} stored
   * @param {number} seenAt
   */
  async #touch(stored, seenAt) {
    if (stored !== null && seenAt > stored.seenAt) await this.#save({ ...stored, seenAt });
  }

  async #clear() {
    await this.#storage.delete(this.#storageKey);
  }
}
