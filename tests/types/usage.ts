// A strict TypeScript consumer of the package's types. `tsc -p tests/types` must pass: every
// call below type-checks, and every `@ts-expect-error` line must really be an error.
import {
  GumroadClient,
  GumroadError,
  NotFoundError,
  RateLimitError,
  isGumroadError,
  parsePing,
  type LicenseVerdict,
  type Sale,
  type Product,
  type PingEvent,
  type GumroadErrorCode,
} from "gumroad-wasm";
import init, { GumroadClient as WebClient } from "gumroad-wasm/web";
import worker, { handleRequest } from "gumroad-wasm/worker";

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

  await init();
  new WebClient({ baseUrl: "http://127.0.0.1:4010/v2" });
  const res: Response = await handleRequest(new Request("https://w/healthz"), { GUMROAD_PRODUCT_IDS: "p" });
  const res2: Response = await worker.fetch(new Request("https://w/healthz"), {});
  void id, email, sales, next, pages, deleted, receipt, uses, conns, res, res2;

  // Wrong calls must not compile.
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
  // @ts-expect-error: check verdict reasons are a closed set
  const r: LicenseVerdict["reason"] = "expired";
  void r;
}

void main;
