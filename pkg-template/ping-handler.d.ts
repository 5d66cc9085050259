/**
 * Gumroad webhooks ("pings") as a standard Fetch API handler, `(request) => Promise<Response>`:
 * a Cloudflare Worker, a Next.js route handler, `Deno.serve`, `Bun.serve` or Node 20+.
 *
 * ```ts
 * const handlePing = createPingHandler({
 *   secret: process.env.PING_SECRET!, // register https://example.com/gumroad/ping?secret=<PING_SECRET>
 *   on: {
 *     async refund(data) { await revoke(data.license_key); },
 *     async subscription_ended(data) { await endAccess(data.subscription_id, data.ended_reason); },
 *   },
 * });
 * export const POST = handlePing; // Next.js; or `fetch: handlePing`, `Deno.serve(handlePing)`, ...
 * ```
 *
 * Gumroad signs nothing: the `secret` query parameter of the registered URL is the only proof a
 * request came from Gumroad (compared in constant time). Re-fetch the sale before granting
 * anything valuable. Gumroad waits 5 s for an answer and retries only a 499/500/502/503/504
 * answer (3 times, after 60 s, 180 s and 600 s, with `retry_count` in the body): keep handlers
 * quick and idempotent.
 *
 * Answers (JSON; Gumroad reads the status only):
 * - `200 {"ok":true,"type":…,"handled":true}`: the handler returned (its value is ignored).
 * - `200 {"ok":true,"type":…,"handled":false}`: no handler for this event (nor `on.default`).
 * - `500 handler_failed`: the handler threw; Gumroad retries. The error goes to `onError`, never
 *   into the answer.
 * - `403 forbidden` (missing or wrong secret), `405 method_not_allowed` (not POST; `Allow: POST`),
 *   `413 body_too_large`, `415 unsupported_media_type`, `400 malformed_body`: all
 *   `{"error":{"code","message"}}`, never echoing the request.
 *
 * @packageDocumentation
 */
import type { SalePing, SubscriptionPing } from "./web/gumroad_wasm.js";

/** A membership plan in a `subscription_updated` ping. */
export interface PingPlan {
  tier: { id: string; name: string };
  recurrence: string;
  price_cents: number;
  quantity: number;
  [field: string]: unknown;
}

/**
 * What each event's handler receives: parsePing's `data`, with the fields Gumroad always sends
 * for that event made required (gumroad-api.md §5.2, §5.3).
 */
export interface PingDataMap {
  sale: SalePing;
  refund: SalePing;
  dispute: SalePing;
  dispute_won: SalePing;
  /** `cancelled_at` may be in the future: access ends at the end of the paid period. */
  cancellation: SubscriptionPing & { cancelled: true; cancelled_at: string };
  subscription_updated: SubscriptionPing & {
    type: "upgrade" | "downgrade";
    effective_as_of: string;
    old_plan: PingPlan;
    new_plan: PingPlan;
  };
  subscription_ended: SubscriptionPing & {
    ended_at: string;
    ended_reason: "cancelled" | "failed_payment" | "fixed_subscription_period_ended";
  };
  subscription_restarted: SubscriptionPing & { restarted_at: string };
}

/** The event kinds: a resource subscription's `resource_name` (the seller's Ping URL sends `sale`). */
export type PingType = keyof PingDataMap;

export interface PingContext<T extends PingType = PingType> {
  type: T;
  /** The ping's request. Its body has been read already. Its URL holds the secret: do not log it. */
  request: Request;
}

/** Awaited; its value is ignored. Throw to answer 500 and have Gumroad retry. */
export type PingHandler<T extends PingType> = (data: PingDataMap[T], context: PingContext<T>) => unknown;

export type PingHandlers = { [T in PingType]?: PingHandler<T> | undefined } & {
  /** Events without their own handler. Without it, they are answered 200 and ignored. */
  default?: ((data: PingDataMap[PingType], context: PingContext) => unknown) | undefined;
};

export interface PingHandlerOptions {
  /**
   * The secret in the ping URL's `secret` query parameter: at least 16 characters of letters,
   * digits and `- . _ ~` (so it reaches the query string unencoded), e.g. `openssl rand -hex 32`.
   * No header is read: Gumroad cannot send one.
   */
  secret: string;
  /** At least one handler. An unknown event name throws (a typo would silently drop pings). */
  on: PingHandlers;
  /**
   * Called when a handler throws (`type` is the event's) or parsePing fails for a reason that is
   * not the request's, e.g. the wasm not initialised (`type` is null). Default: `console.error`.
   */
  onError?: ((error: unknown, context: { type: PingType | null; request: Request }) => void) | undefined;
  /** Larger bodies are answered 413 without being read further. Default 65536; at most 262144 (parsePing's limit). */
  maxBodyBytes?: number | undefined;
}

/**
 * Builds the ping handler. Bad options throw an `InvalidArgumentError` (`code: "invalid_argument"`).
 * Bodies may be `application/x-www-form-urlencoded` (Gumroad's default, bracket keys nested),
 * `application/json` or `multipart/form-data` (read as the equivalent form body).
 */
export declare function createPingHandler(options: PingHandlerOptions): (request: Request) => Promise<Response>;
