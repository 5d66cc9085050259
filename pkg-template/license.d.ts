/**
 * `gumroad-wasm/license`: a seat (device) of a license for an app, decided online and offline.
 * Plain JS on WebCrypto, no wasm: for desktop and Electron apps, plugins, games and web apps.
 *
 * ```ts
 * import { LicenseClient } from "gumroad-wasm/license";
 *
 * const license = new LicenseClient({
 *   url: "https://license.example.com",
 *   productId: "U2tldGNoUHJvLURlc2t0b3A=",
 *   // Copied from https://license.example.com/.well-known/jwks.json when the app is built.
 *   publicKeys: { keys: [{ kty: "OKP", crv: "Ed25519", x: "22SV67aJrYQfFPtRXm22fIOMd4NSEg9LhH0hhYc6Was", kid: "wsWjW34gjsUvmfu9gI-u0tGSxI6_RY3DmZAPHwMcWvA" }] },
 *   fingerprint: () => machineId(), // stable per machine; hashed before it is put in a token
 *   deviceName: os.hostname(),
 *   storage: fileStorage, // { get, set, delete }; in memory by default
 * });
 * const r = await license.activate(keyTheUserTyped); // once
 * const again = await license.check(); // at every start, online if possible, else offline
 * if (!again.valid) showLicenseDialog(again.reason); // "expired", "refunded", "clock_rollback", ...
 * ```
 *
 * Online, only the Worker's signed token can unlock, verified against `publicKeys` and bound to
 * the product, the license key, the seat's instance, this device and the Worker (issuer). When
 * the Worker cannot decide (unreachable, timed out, 429, 5xx, other 4xx) the last token that
 * verified decides, offline, until its `exp`; a clock set back more than 5 minutes is
 * `clock_rollback`.
 *
 * What it cannot do: someone who can both rewrite the app's storage and set the clock back can
 * keep a token already issued passing offline after its `exp` (nothing on a device is out of its
 * owner's reach). Online, every answer is the Worker's. Keep the Worker's
 * `OFFLINE_GRACE_SECONDS` as short as your users' offline stretches allow.
 *
 * @packageDocumentation
 */
import type { Ed25519PublicJwk, Jwks, LicenseTokenMismatch, LicenseTokenRejection } from "./license-token.js";

export * from "./license-token.js";

/**
 * Where the client keeps its one record per product (key `gumroad-wasm:license:<productId>`, a
 * JSON string holding the license key, the instance id, the last token and the latest time seen).
 * Each method may answer at once or with a promise. A value that is missing, not a string, not
 * JSON or not a record counts as nothing stored; an error thrown by a method reaches the caller.
 */
export interface LicenseStorage {
  get(key: string): string | null | undefined | PromiseLike<string | null | undefined>;
  /** Its return value is ignored (a promise is awaited). */
  set(key: string, value: string): unknown;
  /** Its return value is ignored (a promise is awaited). */
  delete(key: string): unknown;
}

/** Options of {@link LicenseClient}, checked when it is constructed (a `TypeError` names the bad one). */
export interface LicenseClientOptions {
  /**
   * The Worker's root URL, `https://license.example.com` (a path prefix is kept, a trailing slash
   * is fine); the routes `/v1/licenses/…` are appended. http or https, no query, fragment or
   * credentials.
   */
  url: string | URL;
  /** The Gumroad product: sent as `product_id`, and every token must be for it. */
  productId: string;
  /**
   * The Worker's public keys, compiled into the app: its JWKS, or an array of JWKs. At least one
   * must be a usable Ed25519 key. A key without `kid` is named by its RFC 7638 thumbprint, as
   * the Worker names it. Never fetched, never read from storage; copied when constructed.
   */
  publicKeys: Jwks | ReadonlyArray<Ed25519PublicJwk | Record<string, unknown>>;
  /**
   * Identifies this device: a string, or a function (sync or async) called on each `activate()`
   * and `check()`. Trimmed; 1 to 512 characters, else the constructor throws (a string) or the
   * call rejects (a function's result) with a `TypeError`. It is sent to the Worker and hashed
   * with the license into the token's `device`; use something stable that is not secret.
   */
  fingerprint: string | (() => string | PromiseLike<string>);
  /** Sent as `instance_name` on activation, for the device list. At most 100 characters. */
  deviceName?: string;
  /** Default: in memory (the seat is gone when the process ends). */
  storage?: LicenseStorage;
  /** Default: `globalThis.fetch`, read at each call. Called as a plain function. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** The clock, milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
  /** The `iss` every token must carry. Default: the origin of `url`. */
  issuer?: string;
  /**
   * Per request, the answer's body included; a request that takes longer counts as the Worker
   * being unreachable. Default 10000.
   */
  timeoutMs?: number;
}

/**
 * Why the Worker did not decide, as reported in `error` (and in `reason` when no seat could
 * decide offline): `unreachable` (fetch rejected or timed out), `bad_response` (a 200 that is no
 * verdict), `replayed` (a genuine answer to another request: its token lacks this request's
 * nonce), `unverified_answer` (a refusal that is not the Worker's signed word), the Worker's
 * `error.code` (`rate_limited`, `upstream_error`, `origin_not_allowed`, ...), else
 * `http_<status>`.
 */
export type LicenseFailureCode =
  | "unreachable"
  | "bad_response"
  | "replayed"
  | "unverified_answer"
  | "rate_limited"
  | "upstream_error"
  | "upstream_timeout"
  | "upstream_rate_limited"
  | "origin_not_allowed"
  | `http_${number}`
  | (string & {});

/**
 * Why a {@link LicenseResult} is invalid:
 * - `not_activated`: no seat is stored (`check()` made no request).
 * - `activation_limit_reached`: every seat of the license is taken: `limit` devices allowed,
 *   `active` active; `retryAfter` when a seat frees by waiting (a deactivated device's offline
 *   tokens expire), none when a device must be deactivated first.
 * - `over_seat_limit`: the license's seats (or the Worker's `MAX_USES`) were lowered and this
 *   seat is among the newest beyond the limit: deactivate devices to bring it back.
 * - `no_token`: the answer carried no token, or offline: the stored seat has none.
 * - `clock_rollback`: offline, this device's clock is more than 5 minutes behind the latest
 *   time it has seen.
 * - `unknown_instance`, `wrong_device`: the seat is gone or belongs to another device; the
 *   stored seat was cleared.
 * - a token's reason ({@link LicenseTokenRejection}, {@link LicenseTokenMismatch}: e.g.
 *   `bad_signature` for a forged answer or wrong `publicKeys`, `not_yet_valid` for a clock behind).
 * - the Worker's reason (`refunded`, `disabled`, ...), or a {@link LicenseFailureCode} when the
 *   Worker could not decide and nothing stored could.
 */
export type LicenseInvalidReason =
  | "not_activated"
  | "activation_limit_reached"
  | "no_token"
  | "clock_rollback"
  | "unknown_instance"
  | "wrong_device"
  | "over_seat_limit"
  | LicenseTokenRejection
  | LicenseTokenMismatch
  | LicenseFailureCode;

/**
 * The outcome of `activate()` and `check()`. Test `valid`; `reason` is `"ok"` exactly when valid.
 * `instanceId` is the stored seat the verdict is about (null when there is none, or it was just
 * cleared). `offline` results were decided from the stored token because the Worker could not
 * decide, and say why in `error`. `retryAfter` (seconds) comes with a failed answer that said
 * when to try again (the Worker's 409, 429 and 503 do).
 */
export type LicenseResult =
  | {
      valid: true;
      reason: "ok";
      offline: false;
      instanceId: string;
      /** When the token expires (ms since the epoch): offline checks pass until then. */
      expiresAt: number;
    }
  | {
      valid: true;
      reason: "ok";
      offline: true;
      instanceId: string;
      expiresAt: number;
      error: LicenseFailureCode;
      retryAfter?: number;
    }
  | {
      valid: false;
      reason: LicenseInvalidReason;
      offline: false;
      instanceId: string | null;
      expiresAt: null;
      retryAfter?: number;
      /** With `activation_limit_reached`: the devices the license allows. */
      limit?: number;
      /** With `activation_limit_reached`: the devices that hold a seat. */
      active?: number;
    }
  | {
      valid: false;
      reason: LicenseInvalidReason;
      offline: true;
      instanceId: string | null;
      expiresAt: null;
      error: LicenseFailureCode;
      retryAfter?: number;
    };

/** One seat of a license, from `devices()`. */
export interface LicenseDevice {
  /** The instance id. */
  id: string;
  /** The `deviceName` it was activated with, or null. */
  name: string | null;
  /** When it was activated, as the Worker wrote it (ISO 8601), or null. */
  activatedAt: string | null;
  /** Whether it is the seat this client has stored. */
  current: boolean;
}

/** The Worker's answer to a deactivation. */
export interface LicenseDeactivation {
  deactivated: true;
  /** The license's seats in use after it. */
  uses: number;
  [member: string]: unknown;
}

/**
 * A failed `deactivate()` or `devices()`. The message names the method and the code only, never
 * a license key or fingerprint.
 */
export declare class LicenseClientError extends Error {
  private constructor();
  readonly name: "LicenseClientError";
  /**
   * `not_activated` (nothing to act on: no seat stored, or no key), `unreachable`,
   * `unknown_instance` (that seat does not exist; when it was the stored one, it is cleared),
   * `bad_response`, the Worker's `error.code`, or `http_<status>`.
   */
  readonly code: "not_activated" | "unknown_instance" | LicenseFailureCode;
  /** The HTTP status, or null when there was no answer (or no request). */
  readonly status: number | null;
  /** Seconds, when the Worker said when to try again. */
  readonly retryAfter?: number;
}

/**
 * Holds one seat of one product's license on this device. Calls on one client run one at a
 * time, in order. Use one client per product and storage (two clients writing the same
 * record, e.g. in two tabs, can overwrite each other's latest token).
 *
 * Rejects only with: a `TypeError` for programmer errors (a blank license key, a bad
 * `fingerprint` result, bad call options, no `fetch` at all), `LicenseClientError` from
 * `deactivate()` / `devices()`, and whatever `storage` or the `fingerprint` function throw.
 */
export declare class LicenseClient {
  /** Throws a `TypeError` naming the bad option (never echoing its value). */
  constructor(options: LicenseClientOptions);
  /**
   * Takes (or, on the same device, takes back) a seat: `POST /v1/licenses/activate`. The seat is
   * stored when the Worker grants one, its token only when it verifies. When the Worker cannot
   * decide and a seat for this key is stored, decides offline from it.
   */
  activate(licenseKey: string): Promise<LicenseResult>;
  /**
   * Re-checks the stored seat: `POST /v1/licenses/verify`, else offline from its token. Without
   * a stored seat: `not_activated`, with no request. `unknown_instance` and `wrong_device` clear
   * the seat; other refusals keep it (and the signed refusal, so offline agrees).
   */
  check(): Promise<LicenseResult>;
  /**
   * Frees a seat: by default the stored one (a `licenseKey` alone names the stored seat only if
   * it is that seat's key). Clears the stored seat when it was the one freed.
   */
  deactivate(options?: { instanceId?: string; licenseKey?: string }): Promise<LicenseDeactivation>;
  /** The license's seats (by default the stored key's), `current` marking the stored one. */
  devices(options?: { licenseKey?: string }): Promise<LicenseDevice[]>;
  /** Clears the stored seat on this device, with no request: the seat stays taken on the Worker. */
  forget(): Promise<void>;
}
