// gumroad-mock strictness (issue 13, part B): product create/update rules, offer-code parameter
// reading and Gumroad's Rack::Attack throttles (`--throttle`). Every case runs directly (`/v2`,
// OAuth token) and through the Maton prefix (`/gumroad/v2`, Maton API key). Expected answers
// quote Gumroad's links_controller.rb, offer_codes_controller.rb and rack_attack.rb.
import { describe, test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startMock, repoRoot, mockApi } from "../support/mock.mjs";

const P1 = "A-m3CDDC5dlrSdKZp0RFhA=="; // Pencil Icon PSD (John Smith)
const CLUB = "32-nPAicqbLj8B_WswVlMw=="; // Pencil Club (tiered membership)
const P6 = "QWRhcy1Ob3RlYm9vay0yMw=="; // Ada's Notebook (Ada Byron)
const ADA_CONNECTION = "6b1c4f0e-8d2a-4e57-9a3b-c0ffee000b0b";

const MODES = {
  direct: { prefix: "/v2", full: "demo-token-full", ada: { token: "demo-token-seller-b" } },
  maton: {
    prefix: "/gumroad/v2",
    full: "demo-maton-key",
    ada: { token: "demo-maton-key", headers: { "maton-connection": ADA_CONNECTION } },
  },
};

function client(getMock, cfg) {
  return mockApi(() => getMock().url, cfg.prefix, cfg.full);
}

async function control(mock, method, p, body) {
  const res = await fetch(`${mock.url}/__mock${p}`, {
    method,
    headers: body ? { "content-type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  return res.json();
}

const failure = (r, message) => {
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.data, { success: false, message });
};
const success = (r, key) => {
  assert.equal(r.status, 200, r.text);
  assert.equal(r.data.success, true, r.text);
  return r.data[key];
};

// ---- products and offer codes (default seed) ---------------------------------------------------

let mock;
before(async () => {
  mock = await startMock([]);
});
after(async () => mock?.stop());

for (const [mode, cfg] of Object.entries(MODES)) {
  describe(`strict-b products (${mode})`, () => {
    const api = client(() => mock, cfg);
    beforeEach(async () => control(mock, "POST", "/reset"));

    test("create: subscription_duration without native_type=membership is refused", async () => {
      const msg = "subscription_duration is only valid for membership products.";
      failure(await api("POST", "/products", { json: { name: "x", subscription_duration: "monthly" } }), msg);
      failure(await api("POST", "/products", { form: { name: "x", subscription_duration: "yearly", native_type: "ebook" } }), msg);
      // An unknown duration is named first (Gumroad checks the value before the type).
      failure(
        await api("POST", "/products", { json: { name: "x", subscription_duration: "weekly" } }),
        "Invalid subscription duration 'weekly'. Valid values: monthly, yearly, quarterly, biannually, every_two_years.",
      );
      const p = success(await api("POST", "/products", { json: { name: "Club", native_type: "membership", subscription_duration: "yearly" } }), "product");
      assert.equal(p.subscription_duration, "yearly");
      assert.equal(p.is_tiered_membership, true);
    });

    test("create: tags must be an array; a comma string is refused, never split", async () => {
      const msg = "tags must be an array of strings.";
      failure(await api("POST", "/products", { json: { name: "x", tags: "a,b" } }), msg);
      failure(await api("POST", "/products", { form: { name: "x", tags: "a,b" } }), msg);
      failure(await api("POST", "/products", { json: { name: "x", tags: ["a", 1] } }), msg);
      const viaJson = success(await api("POST", "/products", { json: { name: "x", tags: ["a,b", "c"] } }), "product");
      assert.deepEqual(viaJson.tags, ["a,b", "c"]);
      const viaForm = success(await api("POST", "/products", { form: [["name", "y"], ["tags[]", "a"], ["tags[]", "b"]] }), "product");
      assert.deepEqual(viaForm.tags, ["a", "b"]);
      failure(await api("PUT", `/products/${P1}`, { form: { tags: "a,b" } }), msg);
    });

    test("create: currency defaults to the seller's; unsupported codes echo what was sent", async () => {
      const p = success(await api("POST", "/products", { json: { name: "x", price: 100 } }), "product");
      assert.equal(p.currency, "usd");
      const eur = success(await api("POST", "/products", { json: { name: "x", price_currency_type: " EUR " } }), "product");
      assert.equal(eur.currency, "eur");
      failure(await api("POST", "/products", { json: { name: "x", price_currency_type: "ZZZ" } }), "'ZZZ' is not a supported currency.");
      failure(await api("POST", "/products", { json: { name: "x", price_currency_type: "" } }), "'' is not a supported currency.");
    });

    test("update: tiered-membership price and currency refusals are worded as Gumroad words them", async () => {
      failure(
        await api("PUT", `/products/${CLUB}`, { json: { price: 700 } }),
        "Price cannot be updated for tiered membership products. Use the variant endpoints to manage tier pricing.",
      );
      failure(
        await api("PUT", `/products/${CLUB}`, { form: { price_currency_type: "eur" } }),
        "Currency cannot be updated for tiered membership products. Use the variant endpoints to manage tier pricing.",
      );
      // The same currency is no change, so it passes.
      success(await api("PUT", `/products/${CLUB}`, { form: { price_currency_type: "USD" } }), "product");
    });

    test("update: honours customizable_price, suggested_price_cents, price_currency_type, custom_receipt, taxonomy_id", async () => {
      const r = await api("PUT", `/products/${P1}`, {
        json: { customizable_price: true, suggested_price_cents: 700, price_currency_type: " EUR ", custom_receipt: "Thanks!", taxonomy_id: 31 },
      });
      const p = success(r, "product");
      assert.equal(p.customizable_price, true);
      assert.equal(p.currency, "eur");
      assert.equal(p.formatted_price, "€5");
      assert.equal(p.custom_receipt, "Thanks!");
      assert.equal(p.category.id, 31);
      assert.equal(p.category.path, "design/icons");
      // The USD cents code of this product now mismatches: Gumroad's warning.
      assert.equal(r.data.warning, "The following offer code has currency mismatch with this product: 1OFF. Please update it or it will not work at checkout.");
      const stored = (await control(mock, "GET", "/data")).products.find((x) => x.id === P1);
      assert.equal(stored.suggested_price_cents, 700);
      assert.equal(stored.taxonomy_id, 31);
      // Form values: "false" is false (boolean cast).
      const q = success(await api("PUT", `/products/${P1}`, { form: { customizable_price: "false" } }), "product");
      assert.equal(q.customizable_price, false);
      assert.equal(q.custom_receipt, "Thanks!");
      failure(await api("PUT", `/products/${P1}`, { json: { price_currency_type: "xyz" } }), "'xyz' is not a supported currency.");
      failure(await api("PUT", `/products/${P1}`, { json: { taxonomy_id: 999 } }), "Invalid taxonomy_id.");
      failure(await api("PUT", `/products/${P1}`, { json: { suggested_price_cents: 2 ** 31 } }), "One or more numeric values are out of range.");
    });

    test("update: refund_period is refused while the account policy is in effect, else applied", async () => {
      failure(
        await api("PUT", `/products/${P1}`, { form: { refund_period: "14" } }),
        "Product-level refund policies are not available for this account; the account-level refund policy applies to all products. Use PUT /v2/refund_policy instead.",
      );
      const ada = { token: cfg.ada.token, headers: cfg.ada.headers ?? {} };
      const p = success(await api("PUT", `/products/${P6}`, { ...ada, json: { refund_period: "14" } }), "product");
      assert.deepEqual(p.refund_policy, { refund_period: "14", title: "14-day money back guarantee", fine_print: null, inherited: false });
      failure(await api("PUT", `/products/${P6}`, { ...ada, json: { refund_period: 14 } }), "refund_period must be one of: inherit, none, 7, 14, 30, 183.");
      failure(await api("PUT", `/products/${P6}`, { ...ada, json: { refund_period: "none" } }), 'refund_period "none" is only allowed for physical products.');
      const back = success(await api("PUT", `/products/${P6}`, { ...ada, form: { refund_period: "inherit" } }), "product");
      assert.equal(back.refund_policy.refund_period, "inherit");
      assert.equal(back.refund_policy.inherited, true);
    });

    // offer_codes_controller.rb#create: `amount_cents: params[:amount_cents].presence ||
    // params[:amount_off].presence` for cents codes; `universal: params[:universal] == "true"`.
    test("offer codes: amount_cents wins over amount_off for cents codes", async () => {
      const code = success(await api("POST", `/products/${P1}/offer_codes`, { json: { name: "BOTH", amount_off: 100, amount_cents: 250 } }), "offer_code");
      assert.equal(code.amount_cents, 250);
      const form = success(await api("POST", `/products/${P1}/offer_codes`, { form: { name: "BOTHF", amount_off: "100", amount_cents: "300" } }), "offer_code");
      assert.equal(form.amount_cents, 300);
    });

    test("offer codes: a JSON true universal is false (Gumroad compares to the string \"true\")", async () => {
      const json = success(await api("POST", `/products/${P1}/offer_codes`, { json: { name: "UJSON", amount_off: 100, universal: true } }), "offer_code");
      assert.equal(json.universal, false);
      const form = success(await api("POST", `/products/${P1}/offer_codes`, { form: { name: "UFORM", amount_off: "100", universal: "true" } }), "offer_code");
      assert.equal(form.universal, true);
    });

    test("offer codes: already as Gumroad: amount_cents alone, percent codes read amount_off only, missing amount", async () => {
      const cents = success(await api("POST", `/products/${P1}/offer_codes`, { form: { name: "CENTS", amount_cents: "250" } }), "offer_code");
      assert.equal(cents.amount_cents, 250);
      failure(
        await api("POST", `/products/${P1}/offer_codes`, { form: { name: "NONE" } }),
        "You are missing required offer code parameters. Please refer to https://gumroad.com/api#offer-codes for the correct parameters.",
      );
    });

    test("throttles are off by default: deprecated page numbers above 10 never answer 429", async () => {
      const statuses = await Promise.all(Array.from({ length: 25 }, () => api("GET", "/sales", { query: { page: "11" } }).then((r) => r.status)));
      assert.ok(!statuses.includes(429), String(statuses));
    });
  });
}

// ---- the seller's currency (a seed whose seller sells in EUR) ------------------------------------

describe("strict-b seller currency", () => {
  let eurMock;
  let dir;
  before(async () => {
    const bin = process.env.GUMROAD_MOCK_BIN || `${repoRoot}/target/release/gumroad-mock`;
    const seed = JSON.parse(execFileSync(bin, ["--dump-seed"], { encoding: "utf8", maxBuffer: 64 << 20 }));
    seed.sellers[0].currency_type = "eur";
    dir = mkdtempSync(path.join(tmpdir(), "strict-b-"));
    writeFileSync(path.join(dir, "seed.json"), JSON.stringify(seed));
    eurMock = await startMock(["--data", path.join(dir, "seed.json")]);
  });
  after(async () => {
    await eurMock?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  for (const [mode, cfg] of Object.entries(MODES)) {
    test(`create defaults the currency to the seller's, not usd (${mode})`, async () => {
      const api = client(() => eurMock, cfg);
      const p = success(await api("POST", "/products", { json: { name: "Euro brushes", price: 900 } }), "product");
      assert.equal(p.currency, "eur");
      assert.equal(p.formatted_price, "€9");
      const usd = success(await api("POST", "/products", { form: { name: "Dollar brushes", price_currency_type: "usd" } }), "product");
      assert.equal(usd.currency, "usd");
    });
  }
});

// ---- Rack::Attack throttles (--throttle) -------------------------------------------------------

/** Waits until at least `need` seconds remain in the current `period`-second window. */
async function roomInWindow(period, need) {
  const left = period - ((Date.now() / 1000) % period);
  if (left < need) await new Promise((r) => setTimeout(r, left * 1000 + 50));
}

const assertRetryLater = (r) => {
  assert.equal(r.status, 429);
  assert.equal(r.text, "Retry later\n");
  assert.equal(r.headers.get("content-type"), "text/plain");
  assert.equal(r.headers.get("retry-after"), null);
};

describe("strict-b throttles", () => {
  let tmock;
  before(async () => {
    tmock = await startMock(["--throttle"]);
  });
  after(async () => tmock?.stop());

  test("GET /__mock/settings shows the flag; POST toggles it; reset restores the start-up value", async () => {
    assert.equal((await control(tmock, "GET", "/settings")).settings.throttle, true);
    assert.equal((await control(tmock, "POST", "/settings", { throttle: false })).settings.throttle, false);
    await control(tmock, "POST", "/reset");
    assert.equal((await control(tmock, "GET", "/settings")).settings.throttle, true);
  });

  let ipSeq = 0;
  for (const [mode, cfg] of Object.entries(MODES)) {
    describe(`throttles (${mode})`, () => {
      const api = client(() => tmock, cfg);
      beforeEach(async () => control(tmock, "POST", "/reset"));
      // Rack::Attack keys by Cloudflare's client IP: each test is its own client.
      const ip = () => ({ "cf-connecting-ip": `203.0.113.${++ipSeq}` });

      test("GET /v2/sales with page > 10: 10 per second per IP, then 429 text/plain `Retry later`", async () => {
        await roomInWindow(1, 0.6);
        const headers = ip();
        const burst = await Promise.all(Array.from({ length: 30 }, () => api("GET", "/sales", { headers, query: { page: "11" } })));
        const limited = burst.filter((r) => r.status === 429);
        assert.ok(limited.length >= 10, burst.map((r) => r.status).join(" "));
        assertRetryLater(limited[0]);
        // page 10 (and a page that Ruby's to_i reads as 10) is never counted.
        const fine = await Promise.all(Array.from({ length: 25 }, (_, i) => api("GET", "/sales", { headers, query: { page: i % 2 ? "10" : "10abc" } })));
        assert.ok(!fine.some((r) => r.status === 429), fine.map((r) => r.status).join(" "));
      });

      test("POST /v2/products: 10 per minute per IP, the 11th is 429", async () => {
        await roomInWindow(60, 8);
        const headers = ip();
        for (let i = 0; i < 10; i++) {
          const r = await api("POST", "/products", { headers, json: { name: `p${i}` } });
          assert.equal(r.status, 200, r.text);
        }
        assertRetryLater(await api("POST", "/products", { headers, json: { name: "one too many" } }));
        // Another client IP has its own counter; `.json` is another path, so another counter.
        assert.equal((await api("POST", "/products", { headers: ip(), json: { name: "other ip" } })).status, 200);
        assert.equal((await api("POST", "/products.json", { headers, json: { name: "suffix" } })).status, 200);
        // Nothing was created by the throttled request.
        const names = (await control(tmock, "GET", "/data")).products.map((p) => p.name);
        assert.ok(!names.includes("one too many"));
      });

      test("PUT /v2/products/:id: 30 per minute per token even across IPs; per product", async () => {
        await roomInWindow(60, 8);
        for (let i = 0; i < 30; i++) {
          const r = await api("PUT", `/products/${P1}`, { headers: ip(), json: { custom_summary: `s${i}` } });
          assert.equal(r.status, 200, r.text);
        }
        assertRetryLater(await api("PUT", `/products/${P1}`, { headers: ip(), json: { custom_summary: "late" } }));
        // Another product is another path: its own counters.
        assert.equal((await api("PUT", `/products/${CLUB}`, { headers: ip(), json: { custom_summary: "x" } })).status, 200);
      });

      test("POST /v2/media: 20 per 10 minutes per token, whatever the IP", async () => {
        await roomInWindow(600, 10);
        for (let i = 0; i < 20; i++) {
          failure(await api("POST", "/media", { headers: ip(), json: {} }), "Please provide a url or signed_blob_id.");
        }
        assertRetryLater(await api("POST", "/media", { headers: ip(), json: {} }));
        // GET is not counted.
        assert.equal((await api("GET", "/media", { headers: ip() })).status, 200);
      });

      test("turning throttles off answers normally at once", async () => {
        await roomInWindow(1, 0.6);
        await control(tmock, "POST", "/settings", { throttle: false });
        const headers = ip();
        const burst = await Promise.all(Array.from({ length: 25 }, () => api("GET", "/sales", { headers, query: { page: "12" } })));
        assert.ok(!burst.some((r) => r.status === 429));
      });
    });
  }
});
