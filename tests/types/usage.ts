// A strict TypeScript consumer of the package's types. `tsc -p tests/types` must pass: every
// call below type-checks, and every `@ts-expect-error` line must really be an error.
import {
  GumroadClient,
  GumroadOAuth,
  GumroadError,
  NotFoundError,
  RateLimitError,
  isGumroadError,
  parsePing,
  type LicenseVerdict,
  type Sale,
  type Product,
  type PingEvent,
  type ResourceName,
  type GumroadErrorCode,
  type OAuthToken,
  type Payout,
  type UtmLink,
  type GumroadEvent,
  type GumroadHooks,
} from "gumroad-wasm";
import init, { GumroadClient as WebClient } from "gumroad-wasm/web";
import worker, { handleRequest, LicenseLedger } from "gumroad-wasm/worker";
import { verifyLicenseToken, licenseKeyHash, type LicenseTokenResult, type Jwks } from "gumroad-wasm";
import { createPingHandler, type PingType } from "gumroad-wasm";
import { createPingHandler as createWebPingHandler } from "gumroad-wasm/web";
import {
  LicenseClient,
  LicenseClientError,
  deviceHash,
  verifyLicenseToken as verifyFromLicense,
  type LicenseResult,
  type LicenseClientOptions,
  type LicenseDevice,
  type LicenseStorage,
  type LicenseDeactivation,
} from "gumroad-wasm/license";
import { LicenseClient as MainLicenseClient, deviceHash as mainDeviceHash } from "gumroad-wasm";
import { LicenseClient as WebLicenseClient, LicenseClientError as WebLicenseClientError } from "gumroad-wasm/web";

async function main(): Promise<void> {
  const g = new GumroadClient({ accessToken: "t", timeoutMs: 5000, maxRetries: 1 });
  const m = GumroadClient.maton({ apiKey: "k", connectionId: "c" });

  const user = await g.user.retrieve();
  const id: string = user.user_id;
  const email: string | undefined = user.email;

  const page = await g.sales.list({ after: "2024-01-01", product_id: "p" }, { signal: new AbortController().signal });
  const sales: Sale[] = page.sales;
  const next: string | undefined = page.next_page_key;
  for await (const sale of g.sales.iterate({ email: "a@b.c" })) {
    const cents: number = sale.price;
    const order: number = sale.order_id;
    void cents, order;
  }
  const it = g.products.iterate();
  const pages: number = it.pages;
  for await (const p of it) {
    const product: Product = p;
    void product;
  }

  const product = await g.products.create({ name: "x", price: 500, tags: ["a"] });
  await g.products.update(product.id, { description: "d" });
  const deleted: { message: string } = await g.products.delete(product.id);
  await g.offerCodes.create("p", { name: "TEN", amount_off: 10, offer_type: "percent", universal: true });
  await g.variants.create("p", "c", { name: "XL", price_difference_cents: 100 });
  await g.customFields.update("p", "Company", { required: true });
  const receipt: void = await g.sales.resendReceipt("s");
  await g.subscribers.list("p", { paginated: true });
  await g.resourceSubscriptions.create({ resource_name: "refund", post_url: "https://x" });

  const v: LicenseVerdict = await g.licenses.check({ product_id: "p", license_key: "k", maxUses: 3 });
  if (!v.valid) {
    const reason: "refunded" | "disabled" | string = v.reason;
    void reason;
  }
  const verified = await g.licenses.verify({ product_id: "p", license_key: "k", increment_uses_count: false });
  const uses: number = verified.uses;
  if (verified.purchase) {
    const refunded: boolean = verified.purchase.refunded;
    void refunded;
  }
  const conns = await m.maton?.connections.list({ app: "gumroad" });

  try {
    await g.products.retrieve("nope");
  } catch (e) {
    if (isGumroadError(e)) {
      const code: GumroadErrorCode = e.code;
      const status: number | null = e.status;
      const after: number | null = e.retryAfter;
      void code, status, after;
    }
    if (e instanceof NotFoundError || e instanceof RateLimitError) {
      const base: GumroadError = e;
      void base;
    }
  }

  const ev: PingEvent = parsePing("sale_id=x", "application/x-www-form-urlencoded");
  if (ev.type === "cancellation") {
    const sub: string = ev.data.subscription_id;
    void sub;
  } else if (ev.type === "sale") {
    const sale: string = ev.data.sale_id;
    void sale;
  }

  // One call of every resource the endpoint table adds (types generated from the table).
  const uploaded = await g.files.upload(new Uint8Array(10), { filename: "a.pdf", onProgress: (p) => void p.loaded });
  const presign = await g.files.presign({ filename: "a.pdf", file_size: 10 });
  await g.files.complete({ upload_id: presign.upload_id, key: presign.key, parts: [{ part_number: 1, etag: "e" }] });
  const aborted: "accepted" | "already_gone" = (await g.files.abort({ upload_id: "u", key: "k" })).status;
  const blob = await g.directUploads.create({ blob: { filename: "c.png", byte_size: 1, checksum: "x", content_type: "image/png" } });
  await g.products.create({ name: "Course", files: [uploaded], rich_content: [{ title: "Intro", description: { type: "doc", content: [] } }] });
  await g.products.update("p", { files: [{ id: "f1" }], cover_ids: ["c1"], refund_period: "30" });
  const theme: string = (await g.user.theme()).font;
  await g.user.updateCustomHtml({ custom_html: "" });
  await g.user.editCustomHtml({ find: "a", replace: "" });
  const storePages = await g.pages.list();
  const rendered: string = (await g.pages.retrieve("about")).rendered_html;
  await g.media.create({ signed_blob_id: blob.signed_id });
  const path: string = (await g.categories.list())[0]?.path ?? "";
  await g.helpArticles.list({ query: "refund" });
  await g.refundPolicy.update({ refund_period: 30 });
  await g.products.comps({ taxonomy: "design" });
  await g.skus.list("p");
  for await (const r of g.reviews.iterate("p")) void r.rating;
  await g.bundleContents.update("p", { products: [{ product_id: "q", quantity: 2 }] });
  await g.thumbnail.create("p", { url: "https://x/y.png" });
  const covers = await g.covers.delete("p", "c");
  await g.upsells.create({ name: "u", product_id: "p", offer_code: { amount_cents: 100 } });
  const link: UtmLink = await g.utmLinks.disable("u");
  for await (const e of g.emails.iterate({ type: "draft" })) void e.subject;
  await g.emails.schedule("e", { to_be_published_at: "2099-01-01T00:00:00Z" });
  await g.workflowEmails.create("w", { subject: "s", body: "b", delay_amount: 1, delay_unit: "day" });
  const summary = await g.sales.summary({ group_by: "month" });
  const upcoming: Payout = await g.payouts.upcoming();
  for await (const p of g.payouts.iterate({ include_upcoming: false })) void p.amount;
  const pdf: Uint8Array = (await g.taxForms.download(2025, "us_1099_k")).data;
  const net: number = (await g.earnings.retrieve({ year: 2025 })).net_cents;
  await g.resourceSubscriptions.list("sale");
  await g.resourceSubscriptions.list({ resource_name: "refund", current_oauth_application_only: true });
  const raw = await g.request<{ comps: { count: number } }>("GET", "/products/comps", { query: "x" });
  const count: number = raw.comps.count;
  void aborted, theme, storePages, rendered, path, covers, link, summary, upcoming, pdf, net, count;

  const app = new GumroadOAuth({ clientId: "id", redirectUri: "https://app.example/cb" });
  const auth = app.authorizationUrl({ scopes: ["view_sales", "account"] });
  const t: OAuthToken = await app.exchangeCode({ code: "c", codeVerifier: auth.codeVerifier, state: "s", expectedState: auth.state });
  await app.refresh(t.refresh_token ?? "");
  const device = await app.startDeviceAuthorization({ scopes: ["account"] });
  const deviceToken: OAuthToken = await app.pollDeviceAuthorization(device, { signal: new AbortController().signal });
  await app.revoke(deviceToken.access_token);

  await init();
  new WebClient({ baseUrl: "http://127.0.0.1:4010/v2" });
  const res: Response = await handleRequest(new Request("https://w/healthz"), { GUMROAD_PRODUCT_IDS: "p" });
  const res2: Response = await worker.fetch(new Request("https://w/healthz"), {});
  void id, email, sales, next, pages, deleted, receipt, uses, conns, res, res2;

  // Hooks and debug logging.
  const events: GumroadEvent[] = [];
  const hooks: GumroadHooks = {
    request: (e) => {
      const path: string = e.path;
      const attempt: number = e.attempt;
      events.push(e);
      void path, attempt;
    },
    response: (e) => {
      const status: number = e.status;
      const ms: number = e.durationMs;
      void status, ms;
    },
    retry: async (e) => {
      const wait: number = e.retryInMs;
      const why: "rate_limited" | "api_error" | "connection" | "timeout" = e.reason;
      const status: number | undefined = e.status;
      void wait, why, status;
    },
    error: (e) => {
      const code: GumroadErrorCode = e.code;
      void code;
    },
  };
  new GumroadClient({ accessToken: "t", hooks, debug: true });
  new GumroadClient({ debug: (line) => void line.length, hooks: { error: (e: GumroadEvent) => events.push(e) } });
  GumroadClient.maton({ apiKey: "k", debug: false, hooks: { response: (e) => void (e.type === "response") } });

  // Wrong calls must not compile.
  // @ts-expect-error: unknown hook name
  new GumroadClient({ hooks: { requets: () => {} } });
  // @ts-expect-error: debug is a boolean or a function
  new GumroadClient({ debug: "verbose" });
  // @ts-expect-error: a request event has no status yet
  new GumroadClient({ hooks: { request: (e) => e.status } });
  // @ts-expect-error: a hook gets an event object, not a line
  new GumroadClient({ hooks: { response: (line: string) => line } });
  // @ts-expect-error: accessToken must be a string
  new GumroadClient({ accessToken: 42 });
  // @ts-expect-error: unknown option (snake_case is for params, not options)
  new GumroadClient({ access_token: "t" });
  // @ts-expect-error: license_key is required
  await g.licenses.verify({ product_id: "p" });
  // @ts-expect-error: increment_uses_count is a boolean
  await g.licenses.verify({ product_id: "p", license_key: "k", increment_uses_count: "false" });
  // @ts-expect-error: sales.list takes page_key, not next_page_key
  await g.sales.list({ next_page_key: "x" });
  // @ts-expect-error: iterate takes filters only
  g.sales.iterate({ page_key: "x" });
  // @ts-expect-error: offer codes updates accept only max_purchase_count
  await g.offerCodes.update("p", "o", { name: "NEW" });
  // @ts-expect-error: variants need a category id
  await g.variants.list("p");
  // @ts-expect-error: resource_name is a known event name
  await g.resourceSubscriptions.create({ resource_name: "sales", post_url: "https://x" });
  // @ts-expect-error: timeoutMs is a number
  await g.user.retrieve({ timeoutMs: "5" });
  // @ts-expect-error: pages are addressed by slug (a string id) and need it
  await g.pages.retrieve();
  // @ts-expect-error: tags are an array, not a comma-separated string
  await g.products.update("p", { tags: "a,b" });
  // @ts-expect-error: workflow emails need all four fields on create
  await g.workflowEmails.create("w", { subject: "s" });
  // @ts-expect-error: upload needs a file name
  await g.files.upload(new Uint8Array(1), {});
  // @ts-expect-error: unknown OAuth scope
  app.authorizationUrl({ scopes: ["admin"] });
  // @ts-expect-error: emails.list type is a closed set
  await g.emails.list({ type: "sent" });
  // @ts-expect-error: check verdict reasons are a closed set
  const r: LicenseVerdict["reason"] = "expired";
  void r;
}

// Offline license tokens and the license server's Durable Object class.
async function offline(token: string | null, jwks: Jwks): Promise<boolean> {
  const r: LicenseTokenResult = await verifyLicenseToken(token, { jwks, productId: "p", now: new Date() });
  if (r.valid) {
    const exp: number = r.claims.exp;
    const instance: string | null | undefined = r.claims.instance_id;
    void exp;
    void instance;
  }
  const sub: string = await licenseKeyHash("KEY");
  void sub;
  await verifyLicenseToken(token, { publicKey: { kty: "OKP", crv: "Ed25519", x: "abc" }, now: Date.now() });
  // @ts-expect-error: a key (jwks or publicKey) is required
  await verifyLicenseToken(token, { productId: "p" });
  // @ts-expect-error: now is a Date or milliseconds
  await verifyLicenseToken(token, { jwks, now: "tomorrow" });
  const ledger: LicenseLedger = new LicenseLedger({}, {});
  const answer: Promise<Response> = ledger.fetch(new Request("https://ledger/"));
  void answer;
  return r.valid;
}

// A seat held by an app: LicenseClient (gumroad-wasm/license, also re-exported by the main entries).
async function seat(token: string | null): Promise<boolean> {
  // The .d.ts example's shape: a JWKS compiled into the app, `as const`.
  const jwks = { keys: [{ kty: "OKP", crv: "Ed25519", x: "22SV67aJrYQfFPtRXm22fIOMd4NSEg9LhH0hhYc6Was", kid: "wsWjW34gjsUvmfu9gI-u0tGSxI6_RY3DmZAPHwMcWvA" }] } as const;
  const bound = await verifyFromLicense(token, { jwks, productId: "p", licenseKey: "K", instanceId: "i", fingerprint: "fp", issuer: "https://license.example.com", allowUnbound: false });
  if (!bound.valid && bound.claims !== null) {
    const device: string | undefined = bound.claims.device;
    const iss: string | undefined = bound.claims.iss;
    void device, iss;
  }
  const dev: string = await deviceHash("sub", "fp");
  const dev2: Promise<string> = mainDeviceHash("sub", "fp");
  void dev, dev2;

  const local: LicenseStorage = { get: (k) => localStorage.getItem(k), set: (k, v) => localStorage.setItem(k, v), delete: (k) => localStorage.removeItem(k) };
  const map = new Map<string, string>();
  const later: LicenseStorage = { get: async (k) => map.get(k), set: async (k, v) => map.set(k, v), delete: async (k) => map.delete(k) };
  const options: LicenseClientOptions = {
    url: "https://license.example.com",
    productId: "p",
    publicKeys: jwks,
    fingerprint: async () => "machine-id",
    deviceName: "laptop",
    storage: local,
    fetch: (input, init) => fetch(input, init),
    now: () => Date.now(),
    issuer: "https://license.example.com",
    timeoutMs: 5000,
  };
  const lc = new LicenseClient(options);
  new LicenseClient({ url: new URL("https://l.example"), productId: "p", publicKeys: [{ kty: "OKP", crv: "Ed25519", x: "abc" }], fingerprint: "m", storage: later, fetch: globalThis.fetch });
  new MainLicenseClient({ url: "https://l.example", productId: "p", publicKeys: { keys: [] }, fingerprint: () => "m" });
  new WebLicenseClient({ url: "https://l.example", productId: "p", publicKeys: jwks, fingerprint: "m" });

  const r: LicenseResult = await lc.activate("KEY");
  if (r.valid) {
    const until: number = r.expiresAt;
    const instance: string = r.instanceId;
    if (r.offline) {
      const why: string = r.error;
      void why;
    }
    void until, instance;
  } else {
    const reason: string = r.reason;
    const instance: string | null = r.instanceId;
    const none: null = r.expiresAt;
    const after: number | undefined = r.retryAfter;
    void reason, instance, none, after;
  }
  const c = await lc.check();
  if (!c.valid && (c.reason === "clock_rollback" || c.reason === "not_activated" || c.reason === "wrong_device")) void c.offline;
  const list: LicenseDevice[] = await lc.devices();
  const mine: boolean = list[0]?.current ?? false;
  const freed: LicenseDeactivation = await lc.deactivate({ instanceId: list[0]?.id ?? "" });
  const uses: number = freed.uses;
  await lc.deactivate();
  await lc.devices({ licenseKey: "K" });
  const forgotten: void = await lc.forget();
  void mine, uses, forgotten;
  try {
    await lc.deactivate({ licenseKey: "K" });
  } catch (e) {
    if (e instanceof LicenseClientError || e instanceof WebLicenseClientError) {
      const code: string = e.code;
      const status: number | null = e.status;
      const after: number | undefined = e.retryAfter;
      const name: "LicenseClientError" = e.name;
      void code, status, after, name;
    }
  }

  // Wrong calls must not compile.
  // @ts-expect-error: publicKeys is required (keys are compiled in, never fetched)
  new LicenseClient({ url: "https://l", productId: "p", fingerprint: "f" });
  // @ts-expect-error: fingerprint is required
  new LicenseClient({ url: "https://l", productId: "p", publicKeys: jwks });
  // @ts-expect-error: the fingerprint function gives a string
  new LicenseClient({ ...options, fingerprint: () => 42 });
  // @ts-expect-error: storage values are strings
  new LicenseClient({ ...options, storage: { get: () => 42, set() {}, delete() {} } });
  // @ts-expect-error: storage needs delete
  new LicenseClient({ ...options, storage: { get: () => null, set() {} } });
  // @ts-expect-error: now gives milliseconds, not a Date
  new LicenseClient({ ...options, now: () => new Date() });
  // @ts-expect-error: timeoutMs is a number
  new LicenseClient({ ...options, timeoutMs: "10s" });
  // @ts-expect-error: activate takes the key itself
  await lc.activate({ licenseKey: "K" });
  // @ts-expect-error: deactivate's options are named
  await lc.deactivate("inst_1");
  // @ts-expect-error: apps do not construct LicenseClientError
  new LicenseClientError();
  // @ts-expect-error: a valid result always has its expiry
  const noExpiry: LicenseResult = { valid: true, reason: "ok", offline: false, instanceId: "i", expiresAt: null };
  // @ts-expect-error: an offline result says why the Worker could not decide
  const noError: LicenseResult = { valid: true, reason: "ok", offline: true, instanceId: "i", expiresAt: 1 };
  // @ts-expect-error: a valid result names its seat
  const noSeat: LicenseResult = { valid: true, reason: "ok", offline: false, instanceId: null, expiresAt: 1 };
  // @ts-expect-error: allowUnbound is a boolean
  await verifyFromLicense(token, { jwks, allowUnbound: "yes" });
  // @ts-expect-error: the fingerprint option of verifyLicenseToken is a string, not a function
  await verifyFromLicense(token, { jwks, fingerprint: () => "fp" });
  void noExpiry, noError, noSeat;
  return r.valid;
}

// The webhook handler: each event's data typed by its name.
function pings(secret: string): (request: Request) => Promise<Response> {
  const handle = createPingHandler({
    secret,
    on: {
      refund(data, { type, request }) {
        const key: string | undefined = data.license_key;
        const refunded: boolean = data.refunded;
        const t: "refund" = type;
        void [key, refunded, t, request.url];
      },
      async subscription_updated(data) {
        const tier: string = data.new_plan.tier.name;
        const cents: number = data.old_plan.price_cents;
        const kind: "upgrade" | "downgrade" = data.type;
        void [tier, cents, kind];
      },
      subscription_ended(data) {
        const why: "cancelled" | "failed_payment" | "fixed_subscription_period_ended" = data.ended_reason;
        void why;
      },
      default(_data, { type }) {
        const t: PingType = type;
        void t;
      },
    },
    onError: (error, { type }) => void [error, type],
    maxBodyBytes: 4096,
  });
  // @ts-expect-error: no such event
  createPingHandler({ secret, on: { refunds() {} } });
  // @ts-expect-error: the secret is required
  createWebPingHandler({ on: { sale() {} } });
  createPingHandler({
    secret,
    on: {
      // @ts-expect-error: a sale ping has no ended_reason field typed as a string
      sale(data) { const r: string = data.ended_reason; void r; },
    },
  });
  return handle;
}

void main;
void offline;
void seat;
void pings;

// The event kinds are generated from EVENT_TYPES in src/core/ping.rs (`ResourceName`); the
// unions that group them by payload shape are written by hand. These fail to compile when a
// kind is added to one and not the others.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const pingKindsOfEvents: Same<PingEvent["type"], ResourceName> = true;
const pingKindsOfHandlers: Same<PingType, ResourceName> = true;
void pingKindsOfEvents;
void pingKindsOfHandlers;
