/**
 * Offline verification of the license Worker's signed verdicts (plain JS, no wasm).
 *
 * The Worker answers with a compact JWS (RFC 7515) signed with Ed25519 (`alg: "EdDSA"`) and
 * publishes its public keys at `GET /.well-known/jwks.json`. Fetch that JWKS once (or ship it
 * with the app), then check tokens without any network access:
 *
 * ```ts
 * const jwks = await (await fetch(`${workerUrl}/.well-known/jwks.json`)).json();
 * const r = await verifyLicenseToken(token, { jwks, productId, licenseKey });
 * if (!r.valid) console.log(`rejected: ${r.reason}`); // "expired", "refunded", "bad_signature", ...
 * ```
 *
 * Needs WebCrypto with Ed25519 (`globalThis.crypto.subtle`): Node 20.19+, current browsers,
 * Cloudflare Workers.
 *
 * @packageDocumentation
 */

/** A public Ed25519 key as a JWK (RFC 8037), as listed in the Worker's JWKS. */
export interface Ed25519PublicJwk {
  kty: "OKP";
  crv: "Ed25519";
  /** The 32-byte public key, base64url without padding. */
  x: string;
  /**
   * Key id: the RFC 7638 thumbprint of the key. Tokens name the key by it. A `publicKey` passed
   * without `kid` is used for every token, whatever kid the token names.
   */
  kid?: string;
  /** When present, `"EdDSA"` (or RFC 9864's `"Ed25519"`); keys for other algorithms are never used. */
  alg?: "EdDSA" | "Ed25519";
  /** When present, `"sig"`; keys for other uses are never used. */
  use?: "sig";
  /** Ignored. */
  key_ops?: string[];
  /** Ignored. */
  ext?: boolean;
  /**
   * Private scalar: accepted so a private JWK can be passed by mistake without failing, but it is
   * never imported (only `kty`, `crv` and `x` reach WebCrypto). Do not ship private keys to apps.
   */
  d?: string;
}

/** A JSON Web Key Set: the body of the Worker's `/.well-known/jwks.json`. */
export interface Jwks {
  /**
   * The published keys. Entries that are not Ed25519 signature keys are skipped, so a set that
   * also holds other key types is fine.
   */
  keys: ReadonlyArray<Ed25519PublicJwk | Record<string, unknown>>;
}

/** The claims of a license token, as signed by the Worker. */
export interface LicenseTokenClaims {
  /**
   * base64url (no padding) of SHA-256 of the license key, trimmed and upper-cased; never the key
   * itself. Compare with {@link licenseKeyHash}, or pass `licenseKey` to {@link verifyLicenseToken}.
   */
  sub: string;
  /** The Gumroad product the verdict is about. */
  product_id: string;
  /** The instance (device, seat) the verdict is bound to, when the check named one. */
  instance_id?: string | null;
  /** The Worker's verdict on the license. */
  valid: boolean;
  /** `"ok"` when valid; otherwise why not, e.g. `"refunded"`, `"disabled"`, `"unknown_instance"`. */
  reason: string;
  /** Issued at, Unix seconds. */
  iat: number;
  /** Expires at, Unix seconds: the token is expired from this second on. */
  exp: number;
  /** Members a later Worker may add. */
  [claim: string]: unknown;
}

/**
 * Why a token was refused before its signature verified: nothing in it can be trusted, so no
 * claims come back.
 * - `malformed`: not three base64url parts, not JSON objects, missing or ill-typed claims, a
 *   `crit` header, or longer than 8192 characters.
 * - `unsupported_alg`: the header's `alg` is not exactly `"EdDSA"` (`"none"`, `"HS256"`, ...).
 * - `unknown_key`: no usable Ed25519 key has the header's `kid`.
 * - `bad_signature`: the signature does not verify with the key.
 */
export type LicenseTokenRejection = "malformed" | "unsupported_alg" | "unknown_key" | "bad_signature";

/**
 * Why a genuinely signed token does not make a valid license here:
 * - `expired`: now is at or past `exp`.
 * - `not_yet_valid`: `iat` is more than 60 s in the future (a wrong clock somewhere).
 * - `wrong_product`: `product_id` differs from the `productId` option.
 * - `wrong_license`: `sub` is not the hash of the `licenseKey` option.
 * - `wrong_instance`: `instance_id` is absent or differs from the `instanceId` option.
 */
export type LicenseTokenMismatch = "expired" | "not_yet_valid" | "wrong_product" | "wrong_license" | "wrong_instance";

/**
 * The outcome of {@link verifyLicenseToken}. Test `valid`; `reason` says why, with stable
 * snake_case values, checked in this order: {@link LicenseTokenRejection}s,
 * {@link LicenseTokenMismatch}es, then the Worker's own `claims.reason` when it said
 * `valid: false` (e.g. `"refunded"`). `reason` is `"ok"` only when `valid` is true.
 */
export type LicenseTokenResult =
  | { valid: true; reason: "ok"; claims: LicenseTokenClaims & { valid: true } }
  | { valid: false; reason: LicenseTokenRejection; claims: null }
  | {
      valid: false;
      /** A {@link LicenseTokenMismatch} or the Worker's reason (`claims.reason`). */
      reason: LicenseTokenMismatch | (string & {});
      /** The verified claims, for messages such as "expired at ...". */
      claims: LicenseTokenClaims;
    };

/** The keys to trust: `jwks`, `publicKey`, or both (their keys are pooled). At least one is required. */
export type VerifyLicenseTokenKeys =
  | {
      /** The Worker's key set (`/.well-known/jwks.json`); the token's `kid` picks the key. */
      jwks: Jwks;
      /** One more trusted key; without a `kid` it verifies every token whatever kid the token names. */
      publicKey?: Ed25519PublicJwk;
    }
  | {
      jwks?: Jwks;
      /** One trusted key; without a `kid` it verifies every token whatever kid the token names. */
      publicKey: Ed25519PublicJwk;
    };

/** Options of {@link verifyLicenseToken}: the trusted keys and what the token must match. */
export type VerifyLicenseTokenOptions = VerifyLicenseTokenKeys & {
  /** When given, the token must be about this product (`wrong_product` otherwise). */
  productId?: string;
  /**
   * When given, the token must be about this license key (`wrong_license` otherwise); compared
   * as its hash, after trimming and upper-casing.
   */
  licenseKey?: string;
  /**
   * When given, the token must name this instance (`wrong_instance` otherwise): pass the id
   * your app got from activation, so a token from a verify without an instance (which any
   * holder of the key can get) does not stand in for a seat.
   */
  instanceId?: string;
  /** The time to check `exp` and `iat` against: a `Date` or milliseconds since the epoch. Default: now. */
  now?: Date | number;
};

/**
 * Verifies a license token from the Worker offline.
 *
 * Never rejects because of the token: a missing or garbled one is `malformed` (see
 * {@link LicenseTokenResult}).
 * Rejects with a `TypeError` for programmer errors only: neither `jwks` nor `publicKey`, a
 * `jwks` without a `keys` array, an invalid `now`, a non-string `productId`, `licenseKey` or `instanceId`.
 * Also rejects if the runtime's WebCrypto lacks Ed25519.
 */
export declare function verifyLicenseToken(token: string | null | undefined, options: VerifyLicenseTokenOptions): Promise<LicenseTokenResult>;

/**
 * The token's `sub` for a license key: base64url (no padding) of SHA-256 of the UTF-8 key,
 * trimmed and upper-cased. Rejects with a `TypeError` when `licenseKey` is not a string.
 */
export declare function licenseKeyHash(licenseKey: string): Promise<string>;
