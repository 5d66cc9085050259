/**
 * Offline verification of the license Worker's signed verdicts (plain JS, no wasm).
 *
 * The Worker answers with a compact JWS (RFC 7515) signed with Ed25519 (`alg: "EdDSA"`) and
 * publishes its public keys at `GET /.well-known/jwks.json`. Copy that JWKS into your app when
 * you build it: keys fetched at run time are only as trustworthy as the network that brought
 * them, and a machine that is offline could not fetch them anyway. Then check tokens without any
 * network access, bound to everything your app knows:
 *
 * ```ts
 * // Copied from https://license.example.com/.well-known/jwks.json at build time.
 * const jwks = { keys: [{ kty: "OKP", crv: "Ed25519", x: "22SV67aJrYQfFPtRXm22fIOMd4NSEg9LhH0hhYc6Was", kid: "wsWjW34gjsUvmfu9gI-u0tGSxI6_RY3DmZAPHwMcWvA" }] } as const;
 * const r = await verifyLicenseToken(token, {
 *   jwks, productId, licenseKey, instanceId, fingerprint, issuer: "https://license.example.com",
 * });
 * if (!r.valid) console.log(`rejected: ${r.reason}`); // "expired", "refunded", "wrong_device", ...
 * ```
 *
 * Apps that hold a seat can let `LicenseClient` (`gumroad-wasm/license`) do all of this.
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
  /**
   * The instance (seat) the verdict is bound to: present on activation answers and on verifies
   * that named an instance. A token without one is refused as `unbound` unless `allowUnbound`.
   */
  instance_id?: string | null;
  /**
   * The device the seat belongs to, present exactly when `instance_id` is: base64url (no padding)
   * of SHA-256 of `sub + "\n" + fingerprint.trim()` ({@link deviceHash}), never the fingerprint.
   */
  device?: string;
  /** The Worker's verdict on the license. */
  valid: boolean;
  /** `"ok"` when valid; otherwise why not, e.g. `"refunded"`, `"disabled"`, `"unknown_instance"`. */
  reason: string;
  /** The Worker that signed the verdict (its `LICENSE_ISSUER`, by default its origin). */
  iss?: string;
  /** When the Worker obtained the verdict from Gumroad, Unix seconds. */
  iat: number;
  /**
   * Expires at, Unix seconds: the token is expired from this second on. At most `iat` plus the
   * Worker's offline grace period, earlier when a cancelled subscription's paid period ends first.
   */
  exp: number;
  /** Members a later Worker may add. */
  [claim: string]: unknown;
}

/**
 * Why a token was refused before its signature verified: nothing in it can be trusted, so no
 * claims come back.
 * - `malformed`: not three base64url parts, not JSON objects, missing or ill-typed claims (an
 *   empty `instance_id`, `iss` or `device`, or a `device` without an instance, included), a
 *   `crit` header, or longer than 8192 characters.
 * - `unsupported_alg`: the header's `alg` is not exactly `"EdDSA"` (`"none"`, `"HS256"`, ...).
 * - `unknown_key`: no usable Ed25519 key has the header's `kid`.
 * - `bad_signature`: the signature does not verify with the key.
 */
export type LicenseTokenRejection = "malformed" | "unsupported_alg" | "unknown_key" | "bad_signature";

/**
 * Why a genuinely signed token does not make a valid license here, in the order they are checked:
 * - `expired`: now is at or past `exp`.
 * - `not_yet_valid`: `iat` is more than 60 s in the future (a wrong clock somewhere).
 * - `wrong_issuer`: `iss` is absent or differs from the `issuer` option.
 * - `wrong_product`: `product_id` differs from the `productId` option.
 * - `wrong_license`: `sub` is not the hash of the `licenseKey` option.
 * - `unbound`: the token names no instance, and `allowUnbound` is not `true`.
 * - `wrong_instance`: `instance_id` is absent or differs from the `instanceId` option.
 * - `wrong_device`: `device` is absent or is not the hash of the `fingerprint` option.
 */
export type LicenseTokenMismatch =
  | "expired"
  | "not_yet_valid"
  | "wrong_issuer"
  | "wrong_product"
  | "wrong_license"
  | "unbound"
  | "wrong_instance"
  | "wrong_device";

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
   * your app got from activation.
   */
  instanceId?: string;
  /**
   * When given, the token's `device` must be this device's: the hash of `claims.sub` and the
   * trimmed fingerprint ({@link deviceHash}); `wrong_device` otherwise, and for a token without
   * `device`. Pass the fingerprint your app sent on activation, so a seat copied with the app's
   * storage to another machine does not count there.
   */
  fingerprint?: string;
  /** When given, `claims.iss` must equal it exactly (`wrong_issuer` otherwise, also when absent). */
  issuer?: string;
  /**
   * Accept a token that names no instance (`unbound` otherwise). Such a token comes from a verify
   * without a seat, which any holder of the key can make on any machine: only server-side code
   * that checks a key without a seat should pass `true`. Default `false`.
   */
  allowUnbound?: boolean;
  /** The time to check `exp` and `iat` against: a `Date` or milliseconds since the epoch. Default: now. */
  now?: Date | number;
};

/**
 * Verifies a license token from the Worker offline.
 *
 * Never rejects because of the token: a missing or garbled one is `malformed` (see
 * {@link LicenseTokenResult}).
 * Rejects with a `TypeError` for programmer errors only: neither `jwks` nor `publicKey`, a
 * `jwks` without a `keys` array, an invalid `now`, a non-string `productId`, `licenseKey`,
 * `instanceId` or `issuer`, a `fingerprint` that is not a string or is blank, an `allowUnbound`
 * that is not a boolean. Messages name the option, never its value.
 * Also rejects if the runtime's WebCrypto lacks Ed25519.
 */
export declare function verifyLicenseToken(token: string | null | undefined, options: VerifyLicenseTokenOptions): Promise<LicenseTokenResult>;

/**
 * The token's `sub` for a license key: base64url (no padding) of SHA-256 of the UTF-8 key,
 * trimmed and upper-cased. Rejects with a `TypeError` when `licenseKey` is not a string.
 */
export declare function licenseKeyHash(licenseKey: string): Promise<string>;

/**
 * The token's `device` for a seat: base64url (no padding) of SHA-256 of the UTF-8 string
 * `sub + "\n" + fingerprint.trim()`, where `sub` is the token's `sub` ({@link licenseKeyHash} of
 * the key). Rejects with a `TypeError` when `sub` is not a string, or `fingerprint` is not a
 * string or is blank.
 */
export declare function deviceHash(sub: string, fingerprint: string): Promise<string>;
