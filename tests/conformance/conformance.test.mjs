// gumroad-mock conformance: every endpoint and error shape of the reference, over HTTP against
// the running binary, checked against the recorded Gumroad responses in tests/fixtures. The
// whole suite runs twice: directly (`/v2`, OAuth token) and through the Maton prefix
// (`/gumroad/v2`, Maton API key).
import { describe, test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { readFileSync } from "node:fs";
import { startMock, repoRoot, mockApi } from "../support/mock.mjs";

const fixture = (name) => JSON.parse(readFileSync(`${repoRoot}/tests/fixtures/${name}`, "utf8"));
const keys = (o) => Object.keys(o).sort();

const SELLER_A = "kL0paVL2SdmJSYsNs-OCMg==";
const P1 = "A-m3CDDC5dlrSdKZp0RFhA==";
const P2 = "32-nPAicqbLj8B_WswVlMw==";
const P3 = "U2tldGNoUHJvLURlc2t0b3A=";
const P6 = "QWRhcy1Ob3RlYm9vay0yMw==";
const KEY = (n) => `DEC0DE00-00000000-00000000-${n.toString(16).toUpperCase().padStart(8, "0")}`;

let mock;
before(async () => {
  mock = await startMock(["--allow-loopback-webhooks", "--webhook-retry-scale", "0.001"]);
});
after(async () => mock?.stop());

async function control(method, path, body) {
  const res = await fetch(`${mock.url}/__mock${path}`, {
    method,
    headers: body ? { "content-type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  return res.json();
}

const MODES = {
  direct: { prefix: "/v2", full: "demo-token-full", public: "demo-token-public", readonly: "demo-token-readonly", sellerB: "demo-token-seller-b", otherApp: "demo-token-other-app" },
  maton: { prefix: "/gumroad/v2", full: "demo-maton-key" },
};

for (const [mode, cfg] of Object.entries(MODES)) {
  describe(`conformance (${mode})`, () => {
    /** Calls the API. `form` is form-encoded; `json` is sent as JSON; `token: null` sends none. */
    const api = mockApi(() => mock.url, cfg.prefix, cfg.full);
    const ok = (r, key) => {
      assert.equal(r.status, 200, r.text);
      assert.equal(r.data.success, true, r.text);
      return key ? r.data[key] : r.data;
    };
    const notFound = (r, name) => {
      assert.equal(r.status, 200);
      assert.deepEqual(r.data, { success: false, message: `The ${name} was not found.` });
    };
    const status400 = (r, error) => {
      assert.equal(r.status, 400);
      assert.deepEqual(r.data, { status: 400, error });
    };

    beforeEach(async () => control("POST", "/reset"));

    // The route lists the mock is checked against: the client's endpoint table (generated
    // tests/fixtures/routes.txt) and Gumroad's own route table (reference_routes.txt, PATCH
    // variants included). An unknown route is Rails' routing 404; every listed one must be served.
    test("every route of the client's table and of Gumroad's route list is served", async () => {
      const lines = [];
      for (const l of readFileSync(`${repoRoot}/tests/fixtures/routes.txt`, "utf8").split("\n")) {
        if (l.startsWith("GET /v2") || /^(POST|PUT|PATCH|DELETE) \/v2/.test(l)) lines.push(l.split(" "));
      }
      for (const l of readFileSync(`${repoRoot}/tests/fixtures/reference_routes.txt`, "utf8").split("\n")) {
        if (!l || l.startsWith("#")) continue;
        const [route] = l.split(" | ");
        const [methods, path] = route.split(" ");
        for (const m of methods.split(",")) lines.push([m, path]);
      }
      assert.ok(lines.length > 200, `${lines.length} routes`);
      const missing = [];
      for (const [method, path] of lines) {
        // Ids that exist nowhere: answers are not-founds or validation errors, never state changes.
        const concrete = path.replace(/^\/v2/, "").replace(/\{[^}]+\}|:[a-z_]+/g, "zz-no-such-id");
        const r = await api(method, concrete, method === "GET" || method === "DELETE" ? {} : { json: {} });
        // Rails' routing error, as HTML or (for a JSON request) as its JSON hash.
        const routingError = (r.headers.get("content-type") ?? "").includes("text/html") || r.text === '{"status":404,"error":"Not Found"}';
        if (r.status === 404 && routingError) missing.push(`${method} ${path}`);
      }
      assert.deepEqual(missing, [], "routes the mock does not serve");
    });

    // The other direction: the mock serves nothing Gumroad's route list does not. Every verb a
    // listed path does not take, every path one segment below a listed one, invented and removed
    // top-level paths (Walks, Gumhead's unrouted client_version) must be Rails' routing 404. The
    // mock's own table is compared with the list in mock/src/routes/table.rs; this probes what
    // it really answers.
    test("no verb or sub-path beyond Gumroad's route list is served", async () => {
      const listed = new Map();
      for (const l of readFileSync(`${repoRoot}/tests/fixtures/reference_routes.txt`, "utf8").split("\n")) {
        if (!l || l.startsWith("#")) continue;
        const [methods, path] = l.split(" | ")[0].split(" ");
        const shape = path.replace(/\{[^}]+\}|:[a-z_]+/g, ":x");
        for (const m of methods.split(",")) listed.set(`${m} ${shape}`, path);
      }
      const isListed = (m, concrete) =>
        [...listed.keys()].some((k) => {
          const [lm, shape] = k.split(" ");
          if (lm !== m) return false;
          const a = shape.split("/");
          const b = concrete.split("/");
          return a.length === b.length && a.every((seg, i) => seg === ":x" || seg === b[i]);
        });
      const extra = [];
      const probed = new Set();
      const invented = ["/v2/zz-invented", "/v2/walks/realtime_tokens", "/v2/walks/synthesis", "/v2/gumhead/client_version", "/v2/licenses", "/v2/v2/user", "/v2/user.json/x"];
      for (const path of [...new Set(listed.values()), ...invented]) {
        const concrete = path.replace(/\{[^}]+\}|:[a-z_]+/g, "zz-no-such-id");
        for (const [m, p] of [
          ...["GET", "POST", "PUT", "PATCH", "DELETE"].map((m) => [m, concrete]),
          ...["GET", "POST", "PUT", "DELETE"].map((m) => [m, `${concrete}/zz-extra`]),
        ]) {
          const key = `${m} ${p}`;
          if (probed.has(key) || isListed(m, p)) continue;
          probed.add(key);
          const r = await api(m, p.replace(/^\/v2/, ""), m === "GET" || m === "DELETE" ? {} : { json: {} });
          const routingError = (r.headers.get("content-type") ?? "").includes("text/html") || r.text === '{"status":404,"error":"Not Found"}';
          if (!(r.status === 404 && routingError)) extra.push(`${key} -> ${r.status}`);
        }
      }
      assert.ok(probed.size > 300, `${probed.size} probes`);
      assert.deepEqual(extra, [], "served, but not in Gumroad's route list");
    });

    test("user: fields as Gumroad renders them", async () => {
      const user = ok(await api("GET", "/user"), "user");
      assert.deepEqual(keys(user).filter((k) => k !== "display_name"), keys(fixture("user.json").user));
      assert.equal(user.user_id, SELLER_A);
    });

    test("auth failures: empty 401 with WWW-Authenticate (Gumroad) or Maton's 401/400", async () => {
      if (mode === "direct") {
        for (const r of [await api("GET", "/user", { token: "nope-nope" }), await api("GET", "/user", { token: null })]) {
          assert.equal(r.status, 401);
          assert.equal(r.text, "");
          assert.match(r.headers.get("www-authenticate"), /Bearer realm="Doorkeeper", error="invalid_token"/);
        }
        // access_token as a parameter works too.
        const r = await api("GET", "/user", { token: null, query: { access_token: cfg.full } });
        assert.equal(ok(r, "user").user_id, SELLER_A);
        const pub = ok(await api("GET", "/user", { token: cfg.public }), "user");
        assert.equal(pub.email, undefined, "no e-mail without a private scope");
      } else {
        const bad = await api("GET", "/user", { token: "not-a-maton-key" });
        assert.equal(bad.status, 401);
        const none = await api("GET", "/user", { token: "demo-maton-key-unconnected" });
        assert.equal(none.status, 400);
        const b = ok(await api("GET", "/user", { headers: { "maton-connection": "6b1c4f0e-8d2a-4e57-9a3b-c0ffee000b0b" } }), "user");
        assert.equal(b.name, "Ada Byron");
        const unknown = await api("GET", "/user", { headers: { "maton-connection": "no-such-connection" } });
        assert.equal(unknown.status, 400);
      }
    });

    // Maton grants carry every scope, so scope failures exist only on direct tokens.
    if (mode === "direct") test("scopes: 403 with an empty body when the token lacks the scope", async () => {
      const r = await api("GET", "/sales", { token: cfg.public });
      assert.equal(r.status, 403);
      assert.equal(r.text, "");
      assert.match(r.headers.get("www-authenticate"), /insufficient_scope/);
      assert.equal((await api("PUT", `/products/${P1}/disable`, { token: cfg.readonly })).status, 403);
      assert.equal((await api("PUT", `/sales/FO8TXN-dvxYabdavG97Y-Q==/refund`, { token: cfg.readonly })).status, 403);
    });

    test("products: list, retrieve by id or permalink, not found", async () => {
      const list = ok(await api("GET", "/products"), "products");
      assert.ok(list.length >= 4);
      // The 2026 list object carries the 2025 fields and more (covers, landing_url, ...), but not
      // the full object's rich content, files and refund policy.
      const fx = keys(fixture("product.json").product);
      for (const p of list) {
        for (const k of fx) assert.ok(k in p, `list product lacks ${k}`);
        for (const k of ["rich_content", "files", "refund_policy"]) assert.ok(!(k in p), `slim list has ${k}`);
      }
      assert.ok(!list.some((p) => p.id === P6), "another seller's product is not listed");
      const byId = ok(await api("GET", `/products/${encodeURIComponent(P1)}`), "product");
      const byPermalink = ok(await api("GET", "/products/QMGY"), "product");
      assert.equal(byPermalink.id, byId.id);
      assert.equal(ok(await api("GET", "/products/pencil"), "product").id, P1);
      notFound(await api("GET", "/products/doesnotexist"), "product");
      notFound(await api("GET", `/products/${encodeURIComponent(P6)}`), "product");
      status400(await api("GET", "/products", { query: { page_key: "garbage" } }), "Invalid page_key.");
    });

    test("products: create, update, enable/disable, delete, and page_key pagination", async () => {
      const created = ok(await api("POST", "/products", { form: { name: "Brush Pack", price: "1200", "tags[]": "brush" } }), "product");
      assert.equal(created.published, false, "created as a draft");
      assert.equal(created.price, 1200);
      const id = encodeURIComponent(created.id);
      assert.equal(ok(await api("PUT", `/products/${id}`, { form: { name: "Brush Pack 2", price: "1500" } }), "product").name, "Brush Pack 2");
      assert.equal(ok(await api("PUT", `/products/${id}/enable`), "product").published, true);
      assert.equal(ok(await api("PUT", `/products/${id}/disable`), "product").published, false);
      const r = await api("PUT", `/products/${encodeURIComponent(P2)}`, { form: { price: "700" } });
      assert.equal(r.data.success, false, "tiered memberships reject price");
      assert.deepEqual(ok(await api("DELETE", `/products/${id}`)), { success: true, message: "The product was deleted successfully." });
      notFound(await api("GET", `/products/${id}`), "product");
      // More than 10 products: the list pages with page_key.
      for (let i = 0; i < 8; i++) ok(await api("POST", "/products", { form: { name: `Extra ${i}` } }));
      const first = ok(await api("GET", "/products"));
      assert.equal(first.products.length, 10);
      assert.match(first.next_page_key, /^\d{20}-\d+$/);
      assert.match(first.next_page_url, /^\/v2\/products\?page_key=/);
      const second = ok(await api("GET", "/products", { query: { page_key: first.next_page_key } }));
      assert.ok(second.products.length >= 1);
      assert.equal(second.next_page_key, undefined);
      const ids = new Set([...first.products, ...second.products].map((p) => p.id));
      assert.equal(ids.size, first.products.length + second.products.length, "no product twice");
    });

    test("offer codes: list includes universal codes; create, update (max_purchase_count only), delete", async () => {
      const pid = encodeURIComponent(P1);
      const list = ok(await api("GET", `/products/${pid}/offer_codes`), "offer_codes");
      assert.deepEqual(list.filter((c) => !c.universal).map(keys), fixture("offer_codes_list.json").offer_codes.map(keys));
      assert.ok(list.some((c) => c.universal && c.name === "LAUNCH"));
      const cents = ok(await api("POST", `/products/${pid}/offer_codes`, { form: { name: "TWOOFF", amount_off: "200" } }), "offer_code");
      assert.deepEqual(keys(cents), keys(fixture("offer_code_cents.json").offer_code));
      assert.equal(cents.amount_cents, 200);
      const pct = ok(await api("POST", `/products/${pid}/offer_codes`, { form: { name: "TEN", amount_off: "10", offer_type: "percent", universal: "true", max_purchase_count: "5" } }), "offer_code");
      assert.deepEqual([pct.percent_off, pct.universal, pct.max_purchase_count], [10, true, 5]);
      const alias = ok(await api("POST", `/products/${pid}/offer_codes`, { form: { name: "ALIAS", amount_cents: "50" } }), "offer_code");
      assert.equal(alias.amount_cents, 50);
      const missing = await api("POST", `/products/${pid}/offer_codes`, { form: { name: "X" } });
      assert.deepEqual(missing.data, { success: false, message: "You are missing required offer code parameters. Please refer to https://gumroad.com/api#offer-codes for the correct parameters." });
      const cid = encodeURIComponent(cents.id);
      const upd = ok(await api("PUT", `/products/${pid}/offer_codes/${cid}`, { form: { max_purchase_count: "3", name: "RENAMED" } }), "offer_code");
      assert.deepEqual([upd.max_purchase_count, upd.name], [3, "TWOOFF"]);
      assert.equal(ok(await api("GET", `/products/${pid}/offer_codes/${cid}`), "offer_code").id, cents.id);
      assert.deepEqual(ok(await api("DELETE", `/products/${pid}/offer_codes/${cid}`)).message, "The offer_code was deleted successfully.");
      notFound(await api("GET", `/products/${pid}/offer_codes/${cid}`), "offer_code");
    });

    test("variant categories and variants: full CRUD with price_difference_cents", async () => {
      const pid = encodeURIComponent(P1);
      const cats = ok(await api("GET", `/products/${pid}/variant_categories`), "variant_categories");
      assert.deepEqual(cats.map(keys), fixture("variant_categories_list.json").variant_categories.map(keys));
      const cat = ok(await api("POST", `/products/${pid}/variant_categories`, { form: { title: "sizes" } }), "variant_category");
      const cid = encodeURIComponent(cat.id);
      assert.equal(ok(await api("PUT", `/products/${pid}/variant_categories/${cid}`, { form: { title: "Sizes" } }), "variant_category").title, "Sizes");
      assert.equal(ok(await api("GET", `/products/${pid}/variant_categories/${cid}`), "variant_category").title, "Sizes");
      const v = ok(await api("POST", `/products/${pid}/variant_categories/${cid}/variants`, { form: { name: "XL", price_difference_cents: "250", description: "extra large", max_purchase_count: "9" } }), "variant");
      assert.deepEqual(keys(v), keys(fixture("variants_list.json").variants[0]));
      assert.deepEqual([v.price_difference_cents, v.max_purchase_count], [250, 9]);
      const vid = encodeURIComponent(v.id);
      assert.equal(ok(await api("PUT", `/products/${pid}/variant_categories/${cid}/variants/${vid}`, { form: { price_difference_cents: "300" } }), "variant").price_difference_cents, 300);
      assert.equal(ok(await api("GET", `/products/${pid}/variant_categories/${cid}/variants`), "variants").length, 1);
      assert.equal(ok(await api("GET", `/products/${pid}/variant_categories/${cid}/variants/${vid}`), "variant").name, "XL");
      assert.equal(ok(await api("DELETE", `/products/${pid}/variant_categories/${cid}/variants/${vid}`)).message, "The variant was deleted successfully.");
      notFound(await api("GET", `/products/${pid}/variant_categories/${cid}/variants/${vid}`), "variant");
      assert.equal(ok(await api("DELETE", `/products/${pid}/variant_categories/${cid}`)).message, "The variant_category was deleted successfully.");
      notFound(await api("GET", `/products/${pid}/variant_categories/${cid}`), "variant_category");
    });

    test("custom fields: by name (URL-encoded); update changes only required", async () => {
      const pid = encodeURIComponent(P1);
      const list = ok(await api("GET", `/products/${pid}/custom_fields`), "custom_fields");
      assert.deepEqual(list.map(keys), fixture("custom_fields_list.json").custom_fields.map(keys));
      const f = ok(await api("POST", `/products/${pid}/custom_fields`, { form: { label: "Company / team", required: "true" } }), "custom_field");
      assert.deepEqual([f.name, f.required, f.type], ["Company / team", true, "text"]);
      const name = encodeURIComponent("Company / team");
      const upd = ok(await api("PUT", `/products/${pid}/custom_fields/${name}`, { form: { required: "false", name: "Other" } }), "custom_field");
      assert.deepEqual([upd.name, upd.required], ["Company / team", false]);
      assert.equal(ok(await api("DELETE", `/products/${pid}/custom_fields/${name}`)).message, "The custom_field was deleted successfully.");
      notFound(await api("PUT", `/products/${pid}/custom_fields/${name}`, { form: { required: "true" } }), "custom_field");
      assert.deepEqual(ok(await api("GET", `/products/${pid}/skus`), "skus"), []);
    });

    test("sales: 10 per page with page_key, relative next_page_url, fields as Gumroad renders them", async () => {
      const seen = [];
      let page = ok(await api("GET", "/sales"));
      let pages = 1;
      // The 2025 fields, plus the ones Gumroad's 2026 serialisation adds (§12.3 of the reference).
      const fx = new Set([
        ...Object.keys(fixture("sale.json").sale),
        ...["currency", "access_revoked", "license_uses", "buyer_presentment", "invoice_url", "upsell", "paypal_refund_expired"],
        ...["tip_cents", "tax_cents", "shipping_cents", "tax_label", "tax_included_in_price", "payment_processor"],
      ]);
      for (;;) {
        assert.ok(page.sales.length <= 10);
        for (const s of page.sales) {
          for (const k of ["id", "email", "seller_id", "created_at", "product_id", "price", "order_id", "disputed", "card"]) {
            assert.ok(k in s, `sale has ${k}`);
          }
          for (const k of Object.keys(s)) assert.ok(fx.has(k) || ["subscription_duration", "cancelled", "dead", "ended", "free_trial_ended", "free_trial_ends_on", "recurring_charge", "subscription_id", "refunded", "full_name", "shipped", "tracking_url"].includes(k), `unexpected sale field ${k}`);
        }
        seen.push(...page.sales);
        if (!page.next_page_key) break;
        assert.equal(page.next_page_url, `/v2/sales?page_key=${encodeURIComponent(page.next_page_key)}`);
        page = ok(await api("GET", "/sales", { query: { page_key: page.next_page_key } }));
        pages++;
      }
      assert.ok(seen.length >= 45, `${seen.length} sales`);
      assert.ok(pages >= 5);
      assert.equal(new Set(seen.map((s) => s.id)).size, seen.length, "no sale twice");
      const dates = seen.map((s) => s.created_at);
      assert.deepEqual(dates, [...dates].sort().reverse(), "newest first");
      // Deprecated `page` is still answered.
      const p2 = ok(await api("GET", "/sales", { query: { page: "2" } }));
      assert.deepEqual(p2.sales.map((s) => s.id), seen.slice(10, 20).map((s) => s.id));
      status400(await api("GET", "/sales", { query: { page: "0" } }), "Invalid page number. Page numbers start at 1.");
    });

    test("sales: filters and their 400s", async () => {
      const all = [];
      for (let q = {}; ; ) {
        const page = ok(await api("GET", "/sales", { query: q }));
        all.push(...page.sales);
        if (!page.next_page_key) break;
        q = { page_key: page.next_page_key };
      }
      const inRange = all.filter((s) => s.created_at >= "2024-06-01" && s.created_at < "2026-01-01");
      assert.ok(inRange.length > 10, "the range spans more than one page");
      const got = [];
      for (let q = { after: "2024-06-01", before: "2026-01-01" }; ; ) {
        const page = ok(await api("GET", "/sales", { query: q }));
        got.push(...page.sales);
        if (!page.next_page_key) break;
        assert.match(page.next_page_url, /after=2024-06-01&before=2026-01-01&page_key=/, "filters kept, keys sorted");
        q = { after: "2024-06-01", before: "2026-01-01", page_key: page.next_page_key };
      }
      assert.deepEqual(got.map((s) => s.id), inRange.map((s) => s.id));
      const byProduct = ok(await api("GET", "/sales", { query: { product_id: P1 } }), "sales");
      assert.ok(byProduct.length > 0 && byProduct.every((s) => s.product_id === P1));
      const byEmail = ok(await api("GET", "/sales", { query: { email: "calvin@example.com" } }), "sales");
      assert.deepEqual(byEmail.map((s) => s.id), ["FO8TXN-dvxYabdavG97Y-Q=="]);
      const byOrder = ok(await api("GET", "/sales", { query: { order_id: "524459995" } }), "sales");
      assert.equal(byOrder.length, 1);
      status400(await api("GET", "/sales", { query: { after: "394293" } }), "Invalid date format provided in field 'after'. Dates must be in the format YYYY-MM-DD.");
      // Ruby's Date.strptime: one-digit months pass, impossible dates do not.
      ok(await api("GET", "/sales", { query: { before: "2021-1-1" } }), "sales");
      status400(await api("GET", "/sales", { query: { before: "2021-02-30" } }), "Invalid date format provided in field 'before'. Dates must be in the format YYYY-MM-DD.");
      status400(await api("GET", "/sales", { query: { product_id: "nope" } }), "Invalid product ID.");
      status400(await api("GET", "/sales", { query: { order_id: "abc" } }), "Invalid order ID.");
      status400(await api("GET", "/sales", { query: { page_key: "1-2-3" } }), "Invalid page_key.");
    });

    test("sales: retrieve, mark_as_shipped, partial and full refund, resend_receipt", async () => {
      const id = encodeURIComponent("FO8TXN-dvxYabdavG97Y-Q==");
      const sale = ok(await api("GET", `/sales/${id}`), "sale");
      assert.equal(sale.order_id, 524459995);
      notFound(await api("GET", "/sales/nope"), "sale");
      const shipped = ok(await api("PUT", `/sales/${id}/mark_as_shipped`, { form: { tracking_url: "https://track.example/1" } }), "sale");
      assert.deepEqual([shipped.shipped, shipped.tracking_url], [true, "https://track.example/1"]);
      const partial = ok(await api("PUT", `/sales/${id}/refund`, { form: { amount_cents: "200" } }), "sale");
      assert.equal(partial.partially_refunded, true);
      assert.equal(partial.amount_refundable_in_currency, "3");
      const full = ok(await api("PUT", `/sales/${id}/refund`), "sale");
      assert.equal(full.refunded, true);
      assert.deepEqual((await api("PUT", `/sales/${id}/refund`)).data, { success: false, message: "Purchase is already refunded." });
      assert.deepEqual(ok(await api("POST", `/sales/${id}/resend_receipt`)), { success: true });
    });

    test("subscribers: all active, paginated, retrieve", async () => {
      const list = ok(await api("GET", `/products/${encodeURIComponent(P2)}/subscribers`), "subscribers");
      assert.deepEqual(list.map((s) => s.email).sort(), ["dana@example.com", "sam@example.com"]);
      const sam = list.find((s) => s.email === "sam@example.com");
      assert.deepEqual(keys(sam), keys(fixture("subscriber.json").subscriber));
      assert.equal(sam.status, "alive");
      assert.equal(list.find((s) => s.email === "dana@example.com").status, "pending_cancellation");
      const paged = ok(await api("GET", `/products/${encodeURIComponent(P2)}/subscribers`, { query: { paginated: "true" } }));
      assert.equal(paged.subscribers.length, 2);
      assert.equal(paged.next_page_key, undefined);
      const one = ok(await api("GET", `/subscribers/${encodeURIComponent(sam.id)}`), "subscriber");
      assert.deepEqual(one.purchase_ids, ["B28UKN-dvxYabdavG97Y-Q=="]);
      notFound(await api("GET", "/subscribers/nope"), "subscriber");
      const filtered = ok(await api("GET", `/products/${encodeURIComponent(P2)}/subscribers`, { query: { email: "SAM@example.com" } }), "subscribers");
      assert.equal(filtered.length, 1);
    });

    test("licenses: verify counts uses, case-insensitive, JSON bodies, verbatim errors", async () => {
      const v = (form, opts = {}) => api("POST", "/licenses/verify", { form, token: mode === "direct" ? null : cfg.full, ...opts });
      const r1 = await v({ product_id: P3, license_key: KEY(1) });
      assert.equal(r1.status, 200);
      assert.equal(r1.data.uses, 1);
      assert.deepEqual(keys(r1.data), ["purchase", "success", "uses"]);
      assert.equal((await v({ product_id: P3, license_key: KEY(1).toLowerCase(), increment_uses_count: "false" })).data.uses, 1);
      assert.equal((await v({ product_id: P3, license_key: KEY(1), increment_uses_count: "0" })).data.uses, 2);
      const js = await api("POST", "/licenses/verify", { json: { product_id: P3, license_key: KEY(1), increment_uses_count: false }, token: mode === "direct" ? null : cfg.full });
      assert.equal(js.data.uses, 2, "JSON false does not count");
      const fx = fixture("license_verify.json");
      const pencil = await v({ product_permalink: "pencil", license_key: "85DB562A-C11D4B06-A2335A6B-8C079166" });
      assert.deepEqual(keys(pencil.data.purchase).filter((k) => !["affiliate", "affiliate_credit_amount_cents", "offer_code", "Twitter handle", "full_name"].includes(k)), keys(fx.purchase).filter((k) => !["affiliate", "affiliate_credit_amount_cents", "offer_code", "Twitter handle"].includes(k)));
      const refunded = await v({ product_id: P3, license_key: KEY(2) });
      assert.deepEqual([refunded.status, refunded.data.success, refunded.data.purchase.refunded], [200, true, true]);
      const cases = [
        [{ product_id: P3, license_key: KEY(6) }, 404, "This license key has been disabled."],
        [{ product_id: P3, license_key: KEY(7) }, 404, "Access to the purchase associated with this license has expired."],
        [{ product_id: P3, license_key: "NOPE" }, 404, "That license does not exist for the provided product."],
        [{ product_id: P1, license_key: KEY(1) }, 404, "That license does not exist for the provided product."],
        // Key only: Gumroad finds the license by key, then asks for product_id (newer product).
        [{ license_key: KEY(1) }, 500, `The 'product_id' parameter is required to verify the license for this product. Please set 'product_id' to '${P3}' in the request.`],
      ];
      for (const [form, status, message] of cases) {
        const r = await v(form);
        assert.equal(r.status, status);
        assert.deepEqual(r.data, { success: false, message });
      }
      const needId = await v({ product_permalink: "skpro", license_key: KEY(1) });
      assert.equal(needId.status, 500);
      assert.equal(needId.data.message, `The 'product_id' parameter is required to verify the license for this product. Please set 'product_id' to '${P3}' in the request.`);
      const imported = await v({ product_id: P3, license_key: KEY(13) });
      assert.deepEqual(keys(imported.data.imported_customer), keys(fixture("license_verify_imported_customer.json").imported_customer));
      const sub = await v({ product_id: "SW5rd2VsbC1QbHVnaW4tMjQ=", license_key: KEY(11) });
      assert.ok("subscription_ended_at" in sub.data.purchase && !("chargebacked" in sub.data.purchase));
      const nonString = await api("POST", "/licenses/verify", { json: { product_id: P3, license_key: 5 }, token: mode === "direct" ? null : cfg.full });
      assert.deepEqual([nonString.status, nonString.data.message], [400, "The 'license_key' parameter must be a string."]);
    });

    test("licenses: enable, disable, decrement_uses_count, rotate", async () => {
      const form = { product_id: P3, license_key: KEY(8) };
      const dec = ok(await api("PUT", "/licenses/decrement_uses_count", { form }));
      assert.equal(dec.uses, 3);
      ok(await api("PUT", "/licenses/disable", { form }));
      assert.equal((await api("POST", "/licenses/verify", { form, token: cfg.full })).status, 404);
      ok(await api("PUT", "/licenses/enable", { form }));
      const rotated = ok(await api("PUT", "/licenses/rotate", { form }));
      assert.notEqual(rotated.purchase.license_key, KEY(8));
      assert.match(rotated.purchase.license_key, /^[0-9A-F]{8}(-[0-9A-F]{8}){3}$/);
      assert.equal((await api("POST", "/licenses/verify", { form, token: cfg.full })).status, 404, "the old key is gone");
      const again = ok(await api("POST", "/licenses/verify", { form: { product_id: P3, license_key: rotated.purchase.license_key }, token: cfg.full }));
      assert.equal(again.purchase.sale_id, rotated.purchase.sale_id);
      if (mode === "direct") {
        const other = await api("PUT", "/licenses/disable", { form: { product_id: P3, license_key: KEY(1) }, token: cfg.sellerB });
        assert.deepEqual([other.status, other.data], [404, { success: false, error: "Not found" }]);
        assert.equal((await api("PUT", "/licenses/disable", { form, token: cfg.readonly })).status, 403);
      }
    });

    test("resource subscriptions: PUT create, list by resource_name, delete only by the creating app", async () => {
      const created = ok(await api("PUT", "/resource_subscriptions", { form: { resource_name: "refund", post_url: "https://hooks.example/gumroad" } }), "resource_subscription");
      assert.deepEqual(keys(created), keys(fixture("resource_subscription_create.json").resource_subscription));
      assert.deepEqual((await api("PUT", "/resource_subscriptions", { form: { resource_name: "nope", post_url: "https://x.example" } })).data, { success: false, message: "Unable to subscribe to ''." });
      assert.deepEqual((await api("PUT", "/resource_subscriptions", { form: { resource_name: "sale", post_url: "ftp://x" } })).data, { success: false, message: "Invalid post URL 'ftp://x'" });
      const list = ok(await api("GET", "/resource_subscriptions", { query: { resource_name: "refund" } }), "resource_subscriptions");
      assert.deepEqual(list.map((r) => r.id), [created.id]);
      assert.deepEqual((await api("GET", "/resource_subscriptions", { query: { resource_name: "x" } })).data, { success: false, message: "Valid resource_name parameter required" });
      const id = encodeURIComponent(created.id);
      if (mode === "direct") notFound(await api("DELETE", `/resource_subscriptions/${id}`, { token: cfg.otherApp }), "resource_subscription");
      assert.deepEqual(ok(await api("DELETE", `/resource_subscriptions/${id}`)), fixture("resource_subscription_delete.json"));
      notFound(await api("DELETE", `/resource_subscriptions/${id}`), "resource_subscription");
    });

    test("unknown routes and verbs: a non-JSON 404", async () => {
      const r = await api("PATCH", "/products");
      assert.equal(r.status, 404);
      assert.equal(r.data, null);
      assert.match(r.headers.get("content-type"), /text\/html/);
    });

    test("CORS like api.gumroad.com", async () => {
      const res = await fetch(`${mock.url}${cfg.prefix}/user`, { method: "OPTIONS", headers: { origin: "https://x.example", "access-control-request-method": "GET", "access-control-request-headers": "authorization" } });
      assert.ok(res.status < 300);
      assert.equal(res.headers.get("access-control-allow-origin"), "*");
      assert.equal(res.headers.get("access-control-allow-methods"), "GET, POST, PUT, DELETE");
      assert.equal(res.headers.get("access-control-max-age"), "7200");
      assert.equal(res.headers.get("cross-origin-resource-policy"), "cross-origin");
    });

    test("faults: 429 text/plain with and without Retry-After, 5xx, HTML, truncated, non-JSON, dropped", async () => {
      const add = (f) => control("POST", "/faults", { path: "/user", times: 1, ...f });
      await add({ kind: "429" });
      let r = await api("GET", "/user");
      assert.deepEqual([r.status, r.text, r.headers.get("retry-after")], [429, "Retry later", null]);
      assert.match(r.headers.get("content-type"), /text\/plain/);
      await add({ kind: "429", retry_after: 3 });
      assert.equal((await api("GET", "/user")).headers.get("retry-after"), "3");
      for (const kind of ["500", "502", "503"]) {
        await add({ kind });
        assert.equal((await api("GET", "/user")).status, Number(kind));
      }
      await add({ kind: "html" });
      r = await api("GET", "/user");
      assert.deepEqual([r.status, r.data], [502, null]);
      assert.match(r.text, /<html/);
      await add({ kind: "truncate" });
      r = await api("GET", "/user");
      assert.equal(r.status, 200);
      assert.equal(r.data, null, "truncated JSON does not parse");
      await add({ kind: "not_json" });
      assert.equal((await api("GET", "/user")).data, null);
      await add({ kind: "drop" });
      await assert.rejects(api("GET", "/user"));
      await add({ kind: "latency", latency_ms: 150 });
      const t0 = Date.now();
      ok(await api("GET", "/user"));
      assert.ok(Date.now() - t0 >= 140);
      // Each fault applied once; the next call is normal.
      ok(await api("GET", "/user"));
      const log = (await control("GET", "/requests")).requests.filter((e) => e.path.endsWith("/user"));
      assert.ok(log.some((e) => e.status === 0), "dropped request logged with status 0");
      assert.ok(log.every((e) => !JSON.stringify(e).includes(cfg.full)), "credentials masked in the log");
      assert.equal((await control("POST", "/faults", { kind: "nope" })).error.startsWith("unknown fault kind"), true);
    });

    test("webhooks: form-encoded bracket keys to matching subscriptions, retried on 5xx", async () => {
      const received = [];
      let failFirst = true;
      const server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (d) => (body += d));
        req.on("end", () => {
          received.push({ ct: req.headers["content-type"], body });
          if (failFirst) {
            failFirst = false;
            res.writeHead(503);
          } else res.writeHead(200);
          res.end();
        });
      });
      await new Promise((r) => server.listen(0, "127.0.0.1", r));
      try {
        const url = `http://127.0.0.1:${server.address().port}/hook?secret=s3`;
        ok(await api("PUT", "/resource_subscriptions", { form: { resource_name: "refund", post_url: url } }));
        ok(await api("PUT", `/sales/${encodeURIComponent("FO8TXN-dvxYabdavG97Y-Q==")}/refund`));
        const deadline = Date.now() + 5000;
        while (received.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        assert.equal(received.length, 2, "delivered, then retried after the 503");
        assert.equal(received[0].ct, "application/x-www-form-urlencoded");
        const first = new URLSearchParams(received[0].body);
        assert.equal(first.get("resource_name"), "refund");
        assert.equal(first.get("sale_id"), "FO8TXN-dvxYabdavG97Y-Q==");
        assert.equal(first.get("refunded"), "true");
        assert.equal(first.get("card[visual]"), "**** **** **** 4242");
        assert.equal(first.get("retry_count"), null);
        assert.equal(new URLSearchParams(received[1].body).get("retry_count"), "1");
        // A buyer-side event from the control API.
        ok(await api("PUT", "/resource_subscriptions", { form: { resource_name: "cancellation", post_url: url } }));
        await control("POST", "/events", { type: "cancellation", subscription_id: "GazW4_NBcQy-o7Gjjng7lw==" });
        while (received.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        const cancel = new URLSearchParams(received[2].body);
        assert.deepEqual([cancel.get("resource_name"), cancel.get("cancelled"), cancel.getAll("purchase_ids[]")], ["cancellation", "true", ["B28UKN-dvxYabdavG97Y-Q=="]]);
        const log = await control("GET", "/webhooks");
        assert.ok(log.deliveries.length >= 3);
      } finally {
        server.close();
      }
    });
  });
}

// OAuth lives outside `/v2` (§2.1 of the reference). Each listed route answers something other
// than the routing 404; unlisted verbs, deeper paths and invented ones get it.
describe("OAuth routes: §2.1 of the reference, no more", () => {
  test("listed routes are served, nothing else is", async () => {
    const probe = async (method, p) => {
      const res = await fetch(`${mock.url}/oauth${p}`, { method, redirect: "manual" });
      const body = await res.text();
      return res.status === 404 && (res.headers.get("content-type") ?? "").includes("text/html") && body.includes("(404)");
    };
    const listed = [
      ["GET", "/authorize"], ["POST", "/authorize"], ["DELETE", "/authorize"], ["GET", "/authorize/zz-code"],
      ["POST", "/token"], ["POST", "/revoke"], ["POST", "/introspect"], ["GET", "/token/info"],
      ["POST", "/device/code"], ["GET", "/device"], ["POST", "/device"], ["GET", "/applications"],
      ["GET", "/authorized_applications"], ["GET", "/mobile_pre_authorization/new"],
      ["GET", "/mobile_pre_authorization/switch_account"], ["GET", "/login"],
    ];
    const unlisted = [
      ["GET", "/token"], ["PUT", "/token"], ["GET", "/revoke"], ["GET", "/authorize/zz-code/zz"],
      ["PUT", "/authorize"], ["GET", "/device/code"], ["DELETE", "/device"], ["GET", "/zz-invented"],
      ["POST", "/token/info"], ["GET", "/applications/1/edit"], ["GET", ""],
    ];
    const missing = [];
    for (const [m, p] of listed) if (await probe(m, p)) missing.push(`${m} /oauth${p}`);
    assert.deepEqual(missing, [], "listed but answered with the routing 404");
    const extra = [];
    for (const [m, p] of unlisted) if (!(await probe(m, p))) extra.push(`${m} /oauth${p}`);
    assert.deepEqual(extra, [], "not listed but served");
  });
});

describe("gumroad-mock without --allow-loopback-webhooks", () => {
  test("refuses loopback post_urls as Gumroad does", async () => {
    const strict = await startMock();
    try {
      const res = await fetch(`${strict.url}/v2/resource_subscriptions`, {
        method: "PUT",
        headers: { authorization: "Bearer demo-token-full", "content-type": "application/x-www-form-urlencoded" },
        body: "resource_name=sale&post_url=http%3A%2F%2F127.0.0.1%3A9%2Fx",
      });
      assert.deepEqual(await res.json(), { success: false, message: "Invalid post URL 'http://127.0.0.1:9/x'" });
    } finally {
      await strict.stop();
    }
  });
});

describe("gumroad-mock --data", () => {
  test("loads a data set in the --dump-seed format", async () => {
    const { execFileSync } = await import("node:child_process");
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const os = await import("node:os");
    const bin = `${repoRoot}/target/release/gumroad-mock`;
    const data = JSON.parse(execFileSync(bin, ["--dump-seed"], { encoding: "utf8" }));
    data.sellers[0].name = "Renamed Seller";
    const file = `${mkdtempSync(`${os.tmpdir()}/gumroad-mock-`)}/data.json`;
    writeFileSync(file, JSON.stringify(data));
    const custom = await startMock(["--data", file]);
    try {
      const res = await fetch(`${custom.url}/v2/user`, { headers: { authorization: "Bearer demo-token-full" } });
      assert.equal((await res.json()).user.name, "Renamed Seller");
    } finally {
      await custom.stop();
    }
    writeFileSync(file, JSON.stringify({ sellers: [], tokens: [], products: [], typo: 1 }));
    assert.throws(() => execFileSync(bin, ["--data", file, "--port", "0"], { stdio: "pipe" }), /unknown field `typo`/);
  });
});

describe("Maton connections (ctrl.maton.ai)", () => {
  test("list, create, finish OAuth, retrieve, delete", async () => {
    await control("POST", "/reset");
    const call = async (method, path, body, key = "demo-maton-key-unconnected") => {
      const res = await fetch(`${mock.url}/connections${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, data: await res.json() };
    };
    assert.equal((await call("GET", "", null, "bad-key")).status, 401);
    const listed = await call("GET", "?app=gumroad&status=ACTIVE", null, "demo-maton-key");
    assert.equal(listed.data.connections.length, 2);
    assert.deepEqual(keys(listed.data.connections[0]), ["app", "connection_id", "creation_time", "last_updated_time", "metadata", "method", "status", "url"]);
    const created = (await call("POST", "", { app: "gumroad" })).data.connection;
    assert.equal(created.status, "PENDING");
    assert.match(created.url, /\/__mock\/oauth\//);
    // Before OAuth completes the key still has no active connection.
    const before = await fetch(`${mock.url}/gumroad/v2/user`, { headers: { authorization: "Bearer demo-maton-key-unconnected" } });
    assert.equal(before.status, 400);
    await fetch(created.url);
    assert.equal((await call("GET", `/${created.connection_id}`)).data.connection.status, "ACTIVE");
    const after = await fetch(`${mock.url}/gumroad/v2/user`, { headers: { authorization: "Bearer demo-maton-key-unconnected" } });
    assert.equal((await after.json()).user.user_id, SELLER_A);
    assert.equal((await call("DELETE", `/${created.connection_id}`)).status, 200);
    assert.equal((await call("GET", `/${created.connection_id}`)).status, 404);
  });
});
