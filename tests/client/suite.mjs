// The client's integration suite: the built package against gumroad-mock. Runtime-neutral
// (no Node APIs), so the same cases run in Node (node.test.mjs) and headless Chromium
// (browser.test.mjs). Each case starts from a reset mock. The 2025-2026 routes are in
// suite-2026.mjs.
import { cases2026 } from "./suite-2026.mjs";

const P1 = "A-m3CDDC5dlrSdKZp0RFhA==";
const P2 = "32-nPAicqbLj8B_WswVlMw==";
const P3 = "U2tldGNoUHJvLURlc2t0b3A=";
const S1 = "FO8TXN-dvxYabdavG97Y-Q==";
const KEY = (n) => `DEC0DE00-00000000-00000000-${n.toString(16).toUpperCase().padStart(8, "0")}`;

class AssertionError extends Error {}
const assert = {
  ok(v, msg = "expected truthy") {
    if (!v) throw new AssertionError(msg);
  },
  equal(a, b, msg = "") {
    if (a !== b) throw new AssertionError(`${msg} expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`);
  },
  deepEqual(a, b, msg = "") {
    const [x, y] = [JSON.stringify(a), JSON.stringify(b)];
    if (x !== y) throw new AssertionError(`${msg} expected ${y}, got ${x}`);
  },
  async rejects(promise, check, msg = "") {
    let err;
    try {
      await promise;
    } catch (e) {
      err = e;
    }
    if (!err) throw new AssertionError(`${msg} expected a rejection`);
    check?.(err);
    return err;
  },
};

export function cases({ lib, mockUrl, runtime = "node" }) {
  const { GumroadClient, isGumroadError, parsePing } = lib;
  const base = `${mockUrl}/v2`;
  const client = (opts = {}) => new GumroadClient({ accessToken: "demo-token-full", baseUrl: base, ...opts });
  const control = async (method, path, body) => {
    const res = await fetch(`${mockUrl}/__mock${path}`, {
      method,
      headers: body ? { "content-type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    return res.json();
  };
  const fault = (f) => control("POST", "/faults", f);
  const requests = async (pathEnd) => (await control("GET", "/requests")).requests.filter((r) => r.path.endsWith(pathEnd));
  const expectError = (cls, code, status) => (e) => {
    assert.ok(isGumroadError(e), `not a GumroadError: ${e}`);
    assert.ok(e instanceof lib.GumroadError && e instanceof Error, "extends GumroadError and Error");
    assert.ok(e instanceof lib[cls], `expected ${cls}, got ${e.name}`);
    assert.equal(e.name, cls);
    assert.equal(e.code, code, "code");
    if (status !== undefined) assert.equal(e.status, status, "status");
  };
  const all = async (iter) => {
    const out = [];
    for await (const x of iter) out.push(x);
    return out;
  };
  const list = [];
  const test = (name, fn) => list.push({ name, fn });

  test("user.retrieve", async () => {
    const u = await client().user.retrieve();
    assert.equal(u.user_id, "kL0paVL2SdmJSYsNs-OCMg==");
    assert.equal(u.email, "john@example.com");
  });

  test("products: list, iterate, retrieve, create, update, enable, disable, delete", async () => {
    const c = client();
    const page = await c.products.list();
    assert.ok(Array.isArray(page.products) && page.products.length >= 4);
    assert.equal(page.next_page_key, undefined);
    const created = await c.products.create({ name: "Brushes", price: 900, tags: ["brush", "set"] });
    assert.deepEqual([created.published, created.price, created.tags], [false, 900, ["brush", "set"]]);
    assert.equal((await c.products.update(created.id, { name: "Brushes 2" })).name, "Brushes 2");
    assert.equal((await c.products.enable(created.id)).published, true);
    assert.equal((await c.products.disable(created.id)).published, false);
    assert.equal((await c.products.retrieve("pencil")).id, P1);
    for (let i = 0; i < 8; i++) await c.products.create({ name: `Extra ${i}` });
    const it = c.products.iterate();
    const everything = await all(it);
    assert.ok(everything.length >= 14, `${everything.length}`);
    assert.equal(it.pages, 2);
    assert.equal(new Set(everything.map((p) => p.id)).size, everything.length);
    assert.deepEqual(await c.products.delete(created.id), { message: "The product was deleted successfully." });
  });

  test("offerCodes: list, retrieve, create, update, delete", async () => {
    const c = client();
    const codes = await c.offerCodes.list(P1);
    assert.ok(codes.some((o) => o.universal));
    const oc = await c.offerCodes.create(P1, { name: "SAVE3", amount_off: 300, max_purchase_count: 2 });
    assert.equal(oc.amount_cents, 300);
    assert.equal((await c.offerCodes.retrieve(P1, oc.id)).name, "SAVE3");
    assert.equal((await c.offerCodes.update(P1, oc.id, { max_purchase_count: 7 })).max_purchase_count, 7);
    assert.equal((await c.offerCodes.delete(P1, oc.id)).message, "The offer_code was deleted successfully.");
  });

  test("variantCategories and variants: full CRUD", async () => {
    const c = client();
    assert.equal((await c.variantCategories.list(P1)).length, 1);
    const cat = await c.variantCategories.create(P1, { title: "Size" });
    assert.equal((await c.variantCategories.update(P1, cat.id, { title: "Sizes" })).title, "Sizes");
    assert.equal((await c.variantCategories.retrieve(P1, cat.id)).title, "Sizes");
    const v = await c.variants.create(P1, cat.id, { name: "L", price_difference_cents: 150 });
    assert.equal(v.price_difference_cents, 150);
    assert.equal((await c.variants.update(P1, cat.id, v.id, { description: "large" })).description, "large");
    assert.equal((await c.variants.retrieve(P1, cat.id, v.id)).name, "L");
    assert.equal((await c.variants.list(P1, cat.id)).length, 1);
    await c.variants.delete(P1, cat.id, v.id);
    assert.equal((await c.variantCategories.delete(P1, cat.id)).message, "The variant_category was deleted successfully.");
  });

  test("customFields: list, create, update, delete (by name)", async () => {
    const c = client();
    assert.equal((await c.customFields.list(P1))[0].name, "Twitter handle");
    const f = await c.customFields.create(P1, { name: "Team / company", required: true });
    assert.equal(f.required, true);
    assert.equal((await c.customFields.update(P1, "Team / company", { required: false })).required, false);
    assert.equal((await c.customFields.delete(P1, "Team / company")).message, "The custom_field was deleted successfully.");
  });

  test("sales: list one page, iterate every page keeping filters, retrieve, ship, refund, resend", async () => {
    const c = client();
    const first = await c.sales.list();
    assert.equal(first.sales.length, 10);
    assert.ok(first.next_page_key);
    const second = await c.sales.list({ page_key: first.next_page_key });
    assert.ok(second.sales[0].id !== first.sales[0].id);
    const it = c.sales.iterate();
    const every = await all(it);
    assert.ok(every.length >= 55, `${every.length}`);
    assert.ok(it.pages >= 6);
    assert.equal(new Set(every.map((s) => s.id)).size, every.length);
    const filtered = await all(c.sales.iterate({ product_id: P3, after: "2024-01-01" }));
    assert.ok(filtered.length > 10 && filtered.every((s) => s.product_id === P3 && s.created_at >= "2024-01-01"));
    assert.deepEqual(filtered.map((s) => s.id), every.filter((s) => s.product_id === P3 && s.created_at >= "2024-01-01").map((s) => s.id));
    const sale = await c.sales.retrieve(S1);
    assert.equal(sale.order_id, 524459995);
    assert.equal((await c.sales.markAsShipped(S1, { tracking_url: "https://t.example/1" })).shipped, true);
    assert.equal((await c.sales.refund(S1, { amount_cents: 100 })).partially_refunded, true);
    assert.equal((await c.sales.refund(S1)).refunded, true);
    assert.equal(await c.sales.resendReceipt(S1), undefined);
  });

  test("subscribers: list, iterate, retrieve", async () => {
    const c = client();
    const page = await c.subscribers.list(P2);
    assert.equal(page.subscribers.length, 2);
    const it = await all(c.subscribers.iterate(P2));
    assert.equal(it.length, 2);
    const sam = await c.subscribers.retrieve("GazW4_NBcQy-o7Gjjng7lw==");
    assert.equal(sam.status, "alive");
  });

  test("licenses: verify, check, enable, disable, decrementUsesCount, rotate", async () => {
    const c = client();
    const v = await c.licenses.verify({ product_id: P3, license_key: KEY(1) });
    assert.equal(v.uses, 1);
    assert.equal(v.purchase.license_key, KEY(1));
    const checked = await c.licenses.check({ product_id: P3, license_key: KEY(1), maxUses: 1 });
    assert.deepEqual([checked.valid, checked.reason, checked.uses], [true, "ok", 1]);
    const over = await c.licenses.check({ product_id: P3, license_key: KEY(8), maxUses: 1 });
    assert.deepEqual([over.valid, over.reason], [false, "too_many_uses"], "4 uses > 1 x 3 seats");
    const reasons = {};
    for (const n of [2, 3, 4, 6, 7, 13]) reasons[n] = (await c.licenses.check({ product_id: P3, license_key: KEY(n) })).reason;
    assert.deepEqual(reasons, { 2: "refunded", 3: "chargebacked", 4: "disputed", 6: "disabled", 7: "access_revoked", 13: "ok" });
    const needId = await c.licenses.check({ product_permalink: "skpro", license_key: KEY(1) });
    assert.equal(needId.reason, "product_id_required");
    assert.equal((await c.licenses.decrementUsesCount({ product_id: P3, license_key: KEY(1) })).uses, 0);
    await c.licenses.disable({ product_id: P3, license_key: KEY(1) });
    assert.equal((await c.licenses.check({ product_id: P3, license_key: KEY(1) })).reason, "disabled");
    await c.licenses.enable({ product_id: P3, license_key: KEY(1) });
    const rotated = await c.licenses.rotate({ product_id: P3, license_key: KEY(1) });
    assert.ok(rotated.purchase.license_key !== KEY(1));
    const imported = await c.licenses.verify({ product_id: P3, license_key: KEY(13), increment_uses_count: false });
    assert.equal(imported.imported_customer.is_imported_customer, true);
  });

  test("resourceSubscriptions: create, list, delete", async () => {
    const c = client();
    const r = await c.resourceSubscriptions.create({ resource_name: "refund", post_url: "https://hooks.example/x" });
    assert.deepEqual((await c.resourceSubscriptions.list("refund")).map((x) => x.id), [r.id]);
    assert.equal((await c.resourceSubscriptions.delete(r.id)).message, "The resource_subscription was deleted successfully.");
  });

  test("Maton client: API through the gateway prefix, connections management", async () => {
    const m = GumroadClient.maton({ apiKey: "demo-maton-key", baseUrl: `${mockUrl}/gumroad/v2`, ctrlBaseUrl: mockUrl });
    assert.equal((await m.user.retrieve()).name, "John Smith");
    const b = GumroadClient.maton({ apiKey: "demo-maton-key", connectionId: "6b1c4f0e-8d2a-4e57-9a3b-c0ffee000b0b", baseUrl: `${mockUrl}/gumroad/v2` });
    assert.equal((await b.user.retrieve()).name, "Ada Byron");
    const conns = await m.maton.connections.list({ app: "gumroad", status: "ACTIVE" });
    assert.equal(conns.length, 2);
    const created = await m.maton.connections.create();
    assert.equal(created.status, "PENDING");
    assert.equal((await m.maton.connections.retrieve(created.connection_id)).app, "gumroad");
    await m.maton.connections.delete(created.connection_id);
    assert.equal(client().maton, undefined, "direct clients have no maton namespace");
  });

  test("parsePing: form bodies with bracket keys and JSON bodies", async () => {
    const form = "seller_id=s&product_id=p&price=500&refunded=true&card%5Bvisual%5D=%2A%2A%2A%2A&purchase_ids%5B%5D=a&purchase_ids%5B%5D=b&resource_name=refund";
    const ev = parsePing(form, "application/x-www-form-urlencoded");
    assert.equal(ev.type, "refund");
    assert.deepEqual([ev.data.price, ev.data.refunded, ev.data.card.visual, ev.data.purchase_ids], [500, true, "****", ["a", "b"]]);
    assert.equal(parsePing("sale_id=x&price=1").type, "sale", "seller Ping without resource_name");
    const empty = parsePing("sale_id=x&price=1&user_id=&card%5Bbin%5D=", "application/x-www-form-urlencoded").data;
    assert.ok("user_id" in empty && empty.user_id === null && empty.card.bin === null, "an empty field is null, as the types say");
    const js = GumroadClient.parsePing(JSON.stringify({ resource_name: "cancellation", subscription_id: "s" }), "application/json");
    assert.deepEqual([js.type, js.data.subscription_id], ["cancellation", "s"]);
    for (const bad of [["", undefined], ["a%5Bb=1", undefined], ["{", "application/json"], ["resource_name=nope", undefined], ["x=1", "text/plain"]]) {
      await assert.rejects(Promise.resolve().then(() => parsePing(...bad)), expectError("InvalidArgumentError", "invalid_argument"), JSON.stringify(bad));
    }
  });

  test("error classes for every error shape", async () => {
    const c = client({ maxRetries: 0 });
    await assert.rejects(client({ accessToken: "wrong-token-xyz" }).user.retrieve(), (e) => {
      expectError("AuthenticationError", "authentication", 401)(e);
      assert.ok(!e.message.includes("wrong-token-xyz") && !JSON.stringify(e).includes("wrong-token-xyz"), "token redacted");
      assert.equal(e.retryable, false);
      assert.equal(e.request, `GET ${base}/user`);
    });
    await assert.rejects(client({ accessToken: "demo-token-public" }).sales.list(), expectError("PermissionError", "permission", 403));
    await assert.rejects(c.products.retrieve("nope"), (e) => {
      expectError("NotFoundError", "not_found", 200)(e);
      assert.equal(e.message, "The product was not found.");
    });
    await assert.rejects(c.sales.list({ after: "2024-13" }), (e) => {
      expectError("InvalidRequestError", "invalid_request", 400)(e);
      assert.equal(e.message, "Invalid date format provided in field 'after'. Dates must be in the format YYYY-MM-DD.");
    });
    await assert.rejects(c.sales.refund("Xt6nR2Lk0pQ9wEr7YuIoPA=="), (e) => {
      expectError("InvalidRequestError", "invalid_request", 200)(e);
      assert.equal(e.message, "Purchase is already refunded.");
    });
    await fault({ kind: "429", path: "/user", times: 1, retry_after: 7 });
    await assert.rejects(c.user.retrieve(), (e) => {
      expectError("RateLimitError", "rate_limited", 429)(e);
      assert.deepEqual([e.retryable, e.retryAfter], [true, 7]);
    });
    await fault({ kind: "html", path: "/user", times: 1 });
    await assert.rejects(c.user.retrieve(), (e) => {
      expectError("APIError", "api_error", 502)(e);
      assert.ok(!e.message.includes("<html"), "no HTML in the message");
    });
    await fault({ kind: "truncate", path: "/user", times: 1 });
    await assert.rejects(c.user.retrieve(), expectError("DecodeError", "decode", 200));
    await fault({ kind: "not_json", path: "/user", times: 1 });
    await assert.rejects(c.user.retrieve(), expectError("DecodeError", "decode", 200));
    await assert.rejects(new GumroadClient({ baseUrl: "http://127.0.0.1:9/v2", maxRetries: 0 }).user.retrieve(), expectError("ConnectionError", "connection"));
    await assert.rejects(c.sales.list({ next_page_key: "x" }), expectError("InvalidArgumentError", "invalid_argument"));
    await assert.rejects(Promise.resolve().then(() => new GumroadClient({ baseUrl: "http://api.example.com/v2" })), expectError("InvalidArgumentError", "invalid_argument"));
    await assert.rejects(Promise.resolve().then(() => new GumroadClient({ timeoutMs: "5" })), expectError("InvalidArgumentError", "invalid_argument"));
    // Proxies whose traps throw are refused as unreadable, never unwound through the wasm.
    const { proxy: revoked, revoke } = Proxy.revocable({}, {});
    revoke();
    const throwing = new Proxy({}, { ownKeys() { throw new Error("trap"); } });
    for (const bad of [revoked, throwing]) {
      await assert.rejects(Promise.resolve().then(() => new GumroadClient(bad)), expectError("InvalidArgumentError", "invalid_argument"));
      await assert.rejects(c.products.list(bad), expectError("InvalidArgumentError", "invalid_argument"));
      await assert.rejects(c.user.retrieve(bad), expectError("InvalidArgumentError", "invalid_argument"));
    }
    assert.equal((await c.user.retrieve()).name, "John Smith", "the wasm instance is still sound");
  });

  test("retries: reads retried up to maxRetries, state-changing calls sent exactly once", async () => {
    const c = client({ maxRetries: 2 });
    await fault({ kind: "503", path: "/user", times: 2 });
    assert.equal((await c.user.retrieve()).name, "John Smith");
    assert.equal((await requests("/user")).length, 3, "two failures + one success");
    await control("DELETE", "/requests");
    await fault({ kind: "503", path: "/sales", times: 5 });
    await assert.rejects(c.sales.list(), expectError("APIError", "api_error", 503));
    assert.equal((await requests("/sales")).length, 3, "1 + maxRetries attempts, then a clean failure");
    await control("DELETE", "/faults");
    await fault({ kind: "503", path: `/sales/${encodeURIComponent(S1)}/refund`, times: 1 });
    await assert.rejects(c.sales.refund(S1), expectError("APIError", "api_error", 503));
    assert.equal((await requests("/refund")).length, 1, "a refund is never resent");
    // The server counts the use, then drops the connection without answering.
    let fetches = 0;
    const counting = client({ maxRetries: 2, fetch: (url, init) => (fetches++, fetch(url, init)) });
    await fault({ kind: "drop_after", path: "/licenses/verify", times: 1 });
    const outcome = await counting.licenses.verify({ product_id: P3, license_key: KEY(5) }).then(() => "resolved", (e) => e);
    assert.equal(fetches, 1, "the client hands a counting verify to fetch exactly once");
    const sent = (await requests("/licenses/verify")).length;
    const lic = (await control("GET", "/licenses")).licenses.find((l) => l.key === KEY(5));
    if (runtime === "node") {
      expectError("ConnectionError", "connection")(outcome);
      assert.equal(sent, 1, "a counting verify is never resent");
      assert.equal(lic.uses, 2, "the dropped answer still counted one use, once");
    } else {
      // Chromium's network stack itself resends a request whose reused keep-alive connection
      // was closed before any answer, POSTs included: the mock then sees it twice. Nothing in
      // a page can prevent that; count-sensitive calls belong on a server (see README).
      const log = JSON.stringify((await requests("/licenses/verify")).map((r) => [r.seq, r.status]));
      assert.ok(sent >= 1 && sent <= 2, `${sent}`);
      assert.equal(lic.uses, 1 + sent, log);
    }
    await control("DELETE", "/requests");
    await fault({ kind: "503", path: "/licenses/verify", times: 1 });
    assert.equal((await c.licenses.verify({ product_id: P3, license_key: KEY(5), increment_uses_count: false })).uses, lic.uses);
    assert.equal((await requests("/licenses/verify")).length, 2, "a non-counting verify is retried");
    // The next call on the same client works.
    assert.equal((await c.user.retrieve()).name, "John Smith");
  });

  test("retries honour Retry-After", async () => {
    await fault({ kind: "429", path: "/user", times: 1, retry_after: 1 });
    const t0 = Date.now();
    await client({ maxRetries: 1 }).user.retrieve();
    assert.ok(Date.now() - t0 >= 900, `waited ${Date.now() - t0} ms`);
  });

  test("timeouts and aborts", async () => {
    await fault({ kind: "latency", path: "/user", latency_ms: 1500 });
    const t0 = Date.now();
    await assert.rejects(client({ timeoutMs: 150, maxRetries: 0 }).user.retrieve(), (e) => {
      expectError("TimeoutError", "timeout")(e);
      assert.equal(e.retryable, true);
    });
    assert.ok(Date.now() - t0 < 1200, "did not wait for the server");
    // Per-call options override the client's.
    await assert.rejects(client({ timeoutMs: 60_000 }).user.retrieve({ timeoutMs: 100, maxRetries: 0 }), expectError("TimeoutError", "timeout"));
    const ctl = new AbortController();
    const pending = client().user.retrieve({ signal: ctl.signal });
    setTimeout(() => ctl.abort(), 50);
    await assert.rejects(pending, expectError("AbortError", "aborted"));
    await control("DELETE", "/faults");
    // An abort also cuts a wait between retries short.
    await fault({ kind: "429", path: "/user", retry_after: 30 });
    const ctl2 = new AbortController();
    const t1 = Date.now();
    const waiting = client({ maxRetries: 3 }).user.retrieve({ signal: ctl2.signal });
    setTimeout(() => ctl2.abort(), 300);
    await assert.rejects(waiting, expectError("AbortError", "aborted"));
    assert.ok(Date.now() - t1 < 5000);
    await control("DELETE", "/faults");
    const ctl3 = new AbortController();
    ctl3.abort();
    await assert.rejects(client().sales.list({}, { signal: ctl3.signal }), expectError("AbortError", "aborted"));
  });

  test("a repeating page_key stops iteration with a decode error (custom fetch)", async () => {
    let calls = 0;
    const fakeFetch = async () => {
      calls++;
      return new Response(JSON.stringify({ success: true, sales: [{ id: `s${calls}` }], next_page_key: "20240101000000000000-1" }), { headers: { "content-type": "application/json" } });
    };
    const c = new GumroadClient({ accessToken: "t0ken", baseUrl: "https://api.example.invalid/v2", fetch: fakeFetch });
    const seen = [];
    await assert.rejects((async () => {
      for await (const s of c.sales.iterate()) seen.push(s.id);
    })(), expectError("DecodeError", "decode"));
    assert.deepEqual(seen, ["s1", "s2"]);
    assert.equal(calls, 2);
  });

  test("iterate(): return() while a page is loading ends the iteration; concurrent next() calls keep their order", async () => {
    let calls = 0;
    let release;
    const gate = new Promise((r) => (release = r));
    const fakeFetch = async () => {
      calls++;
      const n = calls;
      await gate;
      return new Response(JSON.stringify({ success: true, sales: [{ id: `a${n}` }, { id: `b${n}` }], next_page_key: `k${n}` }), { headers: { "content-type": "application/json" } });
    };
    const c = new GumroadClient({ accessToken: "t0ken", baseUrl: "https://api.example.invalid/v2", fetch: fakeFetch });
    const stopped = c.sales.iterate();
    const pending = stopped.next();
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(calls, 1, "the first page is on its way");
    assert.deepEqual(await stopped.return(), { value: undefined, done: true });
    release();
    assert.deepEqual(await pending, { value: undefined, done: true }, "the page that arrived after return() is dropped");
    assert.deepEqual(await stopped.next(), { value: undefined, done: true });
    assert.equal(calls, 1);
    const it = c.sales.iterate();
    const firstThree = await Promise.all([it.next(), it.next(), it.next()]);
    assert.deepEqual(firstThree.map((r) => r.value.id), ["a2", "b2", "a3"]);
    assert.equal(it.pages, 2);
    await it.return();
  });

  test("the fetch option is called like fetch(url, init) with the Bearer token and form body", async () => {
    let seen;
    const c = new GumroadClient({
      accessToken: "tok-abc-123",
      baseUrl: "https://api.example.invalid/v2",
      fetch: async (url, init) => {
        const h = new Headers(init.headers);
        assert.ok(init.signal instanceof AbortSignal, "an AbortSignal for the timeout");
        seen = { method: init.method, url, auth: h.get("authorization"), ct: h.get("content-type"), body: init.body };
        return new Response(JSON.stringify({ success: true, sale: { id: "x" } }));
      },
    });
    await c.sales.markAsShipped("a==", { tracking_url: "https://t/1?a=b" });
    assert.deepEqual(seen, { method: "PUT", url: "https://api.example.invalid/v2/sales/a%3D%3D/mark_as_shipped", auth: "Bearer tok-abc-123", ct: "application/x-www-form-urlencoded", body: "tracking_url=https%3A%2F%2Ft%2F1%3Fa%3Db" });
  });

  cases2026({ lib, client, control, assert, expectError, all, test, runtime });
  return list;
}

/** Runs every case; resets the mock before each. Returns `[{ name, ok, error? }]`. */
export async function runSuite({ lib, mockUrl, runtime, only }) {
  const results = [];
  for (const c of cases({ lib, mockUrl, runtime })) {
    if (only && !only.includes(c.name)) continue;
    await fetch(`${mockUrl}/__mock/reset`, { method: "POST" });
    try {
      await c.fn();
      results.push({ name: c.name, ok: true });
    } catch (e) {
      results.push({ name: c.name, ok: false, error: `${e?.name}: ${e?.message}\n${e?.stack ?? ""}` });
    }
  }
  return results;
}
