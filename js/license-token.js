// Offline verification of the license Worker's signed answers: a compact JWS (RFC 7515) signed
// with Ed25519 ("EdDSA"). Plain JS on purpose: an app that only checks tokens must not need to
// load the wasm client, and WebCrypto has Ed25519 in Node 20, current browsers and workerd.
//
// Security choices worth knowing when changing this file:
// - The only accepted algorithm is "EdDSA"; the header can never pick another verifier
//   (alg substitution: "none", or HS256 keyed by the public key).
// - Only the public members of a JWK (kty, crv, x) reach importKey, so a private JWK handed in
//   by mistake is never imported, and members such as key_ops or ext cannot make import fail.
// - Claims are type-checked before anything trusts them, and nothing about a token whose
//   signature did not verify is returned (claims: null).
// - A token that names no instance is refused (`unbound`) unless the caller opts in: such a token
//   comes from a verify without a seat, which anyone holding the key can make on any machine.

/**
 * @import { LicenseTokenClaims, LicenseTokenResult } from "../pkg-template/license-token.js"
 */

/** Tokens longer than this are refused before any parsing (a verdict is a few hundred bytes). */
const MAX_TOKEN_LENGTH = 8192;
/** How far in the future `iat` may be before the token counts as not yet valid (clock skew). */
const IAT_LEEWAY_SECONDS = 60;
const ALG = "EdDSA";

const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const B64URL_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < B64URL.length; i++) B64URL_VALUE[B64URL.charCodeAt(i)] = i;

/**
 * Strict base64url decoding (RFC 4648 §5, no padding): any other character, an impossible
 * length or non-zero leftover bits give null. Canonical-only matters for the signature: two
 * different strings must not decode to the same signature bytes.
 * @param {string} s
 * @returns {Uint8Array<ArrayBuffer> | null}
 */
function decodeBase64url(s) {
  if (s.length % 4 === 1) return null;
  const out = new Uint8Array((s.length * 3) >> 2);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? B64URL_VALUE[c] : -1;
    if (v < 0) return null;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
      acc &= (1 << bits) - 1;
    }
  }
  if (acc !== 0) return null;
  return out;
}

/**
 * base64url without padding.
 * @param {Uint8Array} bytes
 * @returns {string}
 */
export function encodeBase64url(bytes) {
  let s = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    s += B64URL[n >> 18] + B64URL[(n >> 12) & 63] + B64URL[(n >> 6) & 63] + B64URL[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    s += B64URL[n >> 18] + B64URL[(n >> 12) & 63];
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    s += B64URL[n >> 18] + B64URL[(n >> 12) & 63] + B64URL[(n >> 6) & 63];
  }
  return s;
}

/**
 * @param {unknown} v
 * @returns {v is Record<string, unknown>}
 */
function isPlainObject(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * A base64url segment holding a UTF-8 JSON object, or null.
 * @param {string} segment
 * @returns {Record<string, unknown> | null}
 */
function decodeJsonSegment(segment) {
  const bytes = decodeBase64url(segment);
  if (bytes === null) return null;
  try {
    const value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    return isPlainObject(value) ? value : null;
  } catch {
    return null;
  }
}

/**
 * @param {unknown} v
 * @returns {v is number}
 */
function isIntegerTime(v) {
  return Number.isSafeInteger(v) && v >= 0;
}

/**
 * @param {unknown} v
 * @returns {v is string}
 */
const isNonEmptyString = (v) => typeof v === "string" && v !== "";

/**
 * Absent or null (a serializer's "no instance") are both "not bound to an instance".
 * @param {Record<string, unknown>} c
 */
const namesNoInstance = (c) => c.instance_id === undefined || c.instance_id === null;

/**
 * The claims the Worker promises, with their types; anything else is a malformed token.
 * @param {Record<string, unknown>} c
 * @returns {c is LicenseTokenClaims}
 */
function claimsAreWellFormed(c) {
  return (
    isNonEmptyString(c.sub) &&
    isNonEmptyString(c.product_id) &&
    // An empty instance id is refused too: it would name no seat while escaping `unbound`.
    (namesNoInstance(c) || isNonEmptyString(c.instance_id)) &&
    // The device is a property of a seat: a device hash with no instance is not a token the
    // Worker signs.
    (c.device === undefined || (isNonEmptyString(c.device) && !namesNoInstance(c))) &&
    (c.iss === undefined || isNonEmptyString(c.iss)) &&
    // The app's challenge, echoed by the Worker when the request carried one.
    (c.nonce === undefined || isNonEmptyString(c.nonce)) &&
    typeof c.valid === "boolean" &&
    typeof c.reason === "string" && c.reason !== "" &&
    // `reason === "ok"` must imply a valid result, so apps that test the reason stay safe.
    !(c.valid === false && c.reason === "ok") &&
    isIntegerTime(c.iat) &&
    isIntegerTime(c.exp)
  );
}

/**
 * A JWK that may verify EdDSA signatures, reduced to its public members; null otherwise. Also
 * used by LicenseClient to check its keys when it is constructed.
 * @param {unknown} jwk
 * @returns {{ kty: "OKP", crv: "Ed25519", x: string } | null}
 */
export function usableEd25519Key(jwk) {
  if (!isPlainObject(jwk) || jwk.kty !== "OKP" || jwk.crv !== "Ed25519") return null;
  if (typeof jwk.x !== "string" || decodeBase64url(jwk.x)?.length !== 32) return null;
  // A key published for something else (encryption, another algorithm) is not ours to use.
  if (jwk.use !== undefined && jwk.use !== "sig") return null;
  // "Ed25519" is RFC 9864's name for the same algorithm (Node and Chromium export keys with it).
  if (jwk.alg !== undefined && jwk.alg !== ALG && jwk.alg !== "Ed25519") return null;
  // key_ops is not checked: a private JWK (key_ops ["sign"]) still carries a usable public half.
  return { kty: "OKP", crv: "Ed25519", x: jwk.x };
}

function subtle() {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error("verifyLicenseToken needs WebCrypto (globalThis.crypto.subtle)");
  return s;
}

/**
 * @param {unknown} now
 * @returns {number}
 */
function toEpochMs(now) {
  if (now === undefined) return Date.now();
  const ms = now instanceof Date ? now.getTime() : now;
  if (typeof ms !== "number" || !Number.isFinite(ms)) {
    throw new TypeError("verifyLicenseToken: `now` must be a valid Date or milliseconds since the epoch");
  }
  return ms;
}

/**
 * The keys the caller trusts, in order: the JWKS's, then `publicKey`.
 * @param {unknown} jwks
 * @param {unknown} publicKey
 * @returns {{ jwk: unknown, anyKid: boolean }[]}
 */
function trustedKeys(jwks, publicKey) {
  if (jwks === undefined && publicKey === undefined) {
    throw new TypeError("verifyLicenseToken: pass `jwks` (the Worker's /.well-known/jwks.json) or `publicKey` (one JWK)");
  }
  const keys = [];
  if (jwks !== undefined) {
    if (!isPlainObject(jwks) || !Array.isArray(jwks.keys)) {
      throw new TypeError("verifyLicenseToken: `jwks` must be an object with a `keys` array");
    }
    keys.push(...jwks.keys.map((jwk) => ({ jwk, anyKid: false })));
  }
  if (publicKey !== undefined) {
    if (!isPlainObject(publicKey)) throw new TypeError("verifyLicenseToken: `publicKey` must be a JWK object");
    // A lone key given without a kid is the caller saying "this is the key": no kid to match.
    keys.push({ jwk: publicKey, anyKid: publicKey.kid === undefined });
  }
  return keys;
}

/**
 * @param {JsonWebKey} publicJwk
 * @returns {Promise<CryptoKey | null>}
 */
async function importVerifyKey(publicJwk) {
  try {
    return await subtle().importKey("jwk", publicJwk, { name: "Ed25519" }, false, ["verify"]);
  } catch (e) {
    // Bad key material makes the key unusable; a runtime without Ed25519 is not the token's
    // fault and must not pass for "unknown key", so that error goes to the caller.
    if (/** @type {{ name?: unknown } | null | undefined} */ (e)?.name === "DataError") return null;
    throw e;
  }
}

/**
 * Hash of a license key as it appears in the token's `sub`: base64url (no padding) of SHA-256
 * of the UTF-8 key, trimmed and upper-cased.
 * @param {string} licenseKey
 * @returns {Promise<string>}
 */
export async function licenseKeyHash(licenseKey) {
  if (typeof licenseKey !== "string") throw new TypeError("licenseKeyHash: the license key must be a string");
  return sha256Base64url(licenseKey.trim().toUpperCase());
}

/**
 * @param {string} text
 * @returns {Promise<string>}
 */
async function sha256Base64url(text) {
  return encodeBase64url(new Uint8Array(await subtle().digest("SHA-256", new TextEncoder().encode(text))));
}

/**
 * A fingerprint trimmed of ASCII whitespace, as the Worker trims it: JS's own `trim` also strips
 * U+FEFF and keeps U+0085, Rust's the other way round, and the device hash must come out the
 * same on both sides.
 * @param {string} s
 * @returns {string}
 */
export const trimFingerprint = (s) => s.replace(/^[ \t\n\f\r]+|[ \t\n\f\r]+$/g, "");

/**
 * The trimmed fingerprint, or a TypeError naming `what` (never echoing the value).
 * @param {unknown} fingerprint
 * @param {string} what
 * @returns {string}
 */
function checkedFingerprint(fingerprint, what) {
  if (typeof fingerprint !== "string" || trimFingerprint(fingerprint) === "") {
    throw new TypeError(`${what} must be a non-empty string`);
  }
  return trimFingerprint(fingerprint);
}

/**
 * The token's `device` for a seat: base64url (no padding) of SHA-256 of the UTF-8 string
 * `sub + "\n" + fingerprint` (trimmed of ASCII whitespace). Salting with the license's hash keeps one machine's
 * fingerprint from being recognisable across licenses, and the raw fingerprint never leaves
 * the device in a token.
 * @param {string} sub
 * @param {string} fingerprint
 * @returns {Promise<string>}
 */
export async function deviceHash(sub, fingerprint) {
  if (typeof sub !== "string") throw new TypeError("deviceHash: `sub` must be a string");
  return sha256Base64url(`${sub}\n${checkedFingerprint(fingerprint, "deviceHash: the fingerprint")}`);
}

/**
 * A refusal: `claims` null before the signature verified, the verified claims after.
 * @param {string} reason
 * @param {LicenseTokenClaims | null} [claims]
 * @returns {LicenseTokenResult}
 */
function fail(reason, claims = null) {
  return /** @type {LicenseTokenResult} */ ({ valid: false, reason, claims });
}

/**
 * The options verifyLicenseToken reads, each checked before use (license-token.d.ts has the
 * types callers are held to).
 * @typedef {object} VerifyOptions
 * @property {unknown} [jwks]
 * @property {unknown} [publicKey]
 * @property {unknown} [productId]
 * @property {unknown} [licenseKey]
 * @property {unknown} [instanceId]
 * @property {unknown} [fingerprint]
 * @property {unknown} [issuer]
 * @property {unknown} [allowUnbound]
 * @property {unknown} [now]
 */

/**
 * Verifies a license token from the Worker without any network access.
 * Resolves to `{ valid, reason, claims }`; bad tokens never reject (see license-token.d.ts).
 * After the signature: expired, not_yet_valid, wrong_issuer, wrong_product, wrong_license,
 * unbound, wrong_instance, wrong_device, then the Worker's own reason.
 * @param {unknown} token
 * @param {VerifyOptions} [options]
 * @returns {Promise<LicenseTokenResult>}
 */
export async function verifyLicenseToken(token, { jwks, publicKey, productId, licenseKey, instanceId, fingerprint, issuer, allowUnbound = false, now } = {}) {
  // Programmer errors first, so they surface whatever token is passed.
  const keys = trustedKeys(jwks, publicKey);
  const nowSeconds = Math.floor(toEpochMs(now) / 1000);
  if (productId !== undefined && typeof productId !== "string") {
    throw new TypeError("verifyLicenseToken: `productId` must be a string");
  }
  if (licenseKey !== undefined && typeof licenseKey !== "string") {
    throw new TypeError("verifyLicenseToken: `licenseKey` must be a string");
  }
  if (instanceId !== undefined && typeof instanceId !== "string") {
    throw new TypeError("verifyLicenseToken: `instanceId` must be a string");
  }
  const device = fingerprint === undefined ? undefined : checkedFingerprint(fingerprint, "verifyLicenseToken: `fingerprint`");
  if (issuer !== undefined && typeof issuer !== "string") {
    throw new TypeError("verifyLicenseToken: `issuer` must be a string");
  }
  if (typeof allowUnbound !== "boolean") throw new TypeError("verifyLicenseToken: `allowUnbound` must be a boolean");

  // malformed: shape, encoding, JSON and claim types, before any key is looked at.
  if (typeof token !== "string" || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return fail("malformed");
  const parts = token.split(".");
  if (parts.length !== 3) return fail("malformed");
  const [headerPart, claimsPart, signaturePart] = parts;
  const header = decodeJsonSegment(headerPart);
  const claims = decodeJsonSegment(claimsPart);
  const signature = decodeBase64url(signaturePart);
  if (header === null || claims === null || signature === null) return fail("malformed");
  if (header.kid !== undefined && typeof header.kid !== "string") return fail("malformed");
  // RFC 7515 §4.1.11: extensions marked critical must be understood; we implement none.
  if (header.crit !== undefined) return fail("malformed");
  if (!claimsAreWellFormed(claims)) return fail("malformed");

  // unsupported_alg: exactly "EdDSA", compared as a string, never looked up in a table.
  if (header.alg !== ALG) return fail("unsupported_alg");

  // unknown_key: only Ed25519 keys with the header's kid (or a lone kid-less publicKey).
  const candidates = keys
    .filter(({ jwk, anyKid }) => anyKid || (header.kid !== undefined && isPlainObject(jwk) && jwk.kid === header.kid))
    .map(({ jwk }) => usableEd25519Key(jwk))
    .filter((k) => k !== null);
  const cryptoKeys = [];
  for (const k of candidates) {
    const key = await importVerifyKey(k);
    if (key !== null) cryptoKeys.push(key);
  }
  if (cryptoKeys.length === 0) return fail("unknown_key");

  // bad_signature: over the ASCII of the first two segments exactly as received.
  if (signature.length !== 64) return fail("bad_signature");
  const signingInput = new TextEncoder().encode(`${headerPart}.${claimsPart}`);
  let verified = false;
  for (const key of cryptoKeys) {
    try {
      verified = await subtle().verify({ name: "Ed25519" }, key, signature, signingInput);
    } catch {
      verified = false;
    }
    if (verified) break;
  }
  if (!verified) return fail("bad_signature");

  // From here the claims are the Worker's own words and are returned with every verdict.
  if (nowSeconds >= claims.exp) return fail("expired", claims);
  if (claims.iat > nowSeconds + IAT_LEEWAY_SECONDS) return fail("not_yet_valid", claims);
  // Another Worker (staging, another seller's) may hold a key the app also trusts.
  if (issuer !== undefined && claims.iss !== issuer) return fail("wrong_issuer", claims);
  if (productId !== undefined && claims.product_id !== productId) return fail("wrong_product", claims);
  if (licenseKey !== undefined && claims.sub !== (await licenseKeyHash(licenseKey))) return fail("wrong_license", claims);
  // A token from a verify without an instance is bound to no seat: anyone holding the key can get
  // one, on any machine. Refused by default so that a caller who forgets `instanceId` does not
  // accept it; server-side callers that check a key without a seat opt in.
  if (!allowUnbound && namesNoInstance(claims)) return fail("unbound", claims);
  if (instanceId !== undefined && claims.instance_id !== instanceId) return fail("wrong_instance", claims);
  // The instance id alone travels with a copied config file; the device hash ties the seat to
  // the machine whose fingerprint activated it.
  if (device !== undefined && claims.device !== (await deviceHash(claims.sub, device))) return fail("wrong_device", claims);
  if (!claims.valid) return fail(claims.reason, claims);
  return { valid: true, reason: "ok", claims: /** @type {LicenseTokenClaims & { valid: true }} */ (claims) };
}
