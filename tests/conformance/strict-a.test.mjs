// gumroad-mock strictness (issue 13, part A): license error paths, read scopes, string-compared
// booleans, subscriber states and unknown routes, each pinned to Gumroad's exact status and body
// (Gumroad's controllers: licenses_controller.rb, offer_codes_controller.rb,
// custom_fields_controller.rb, subscribers_controller.rb, subscription.rb#status, routes.rb's
// catch-all + Rails' PublicExceptions). Run directly (`/v2`, OAuth tokens) and through the Maton
// prefix (`/gumroad/v2`, Maton API key, which carries every scope).
import { describe, test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { startMock, mockApi } from "../support/mock.mjs";

const P1 = "A-m3CDDC5dlrSdKZp0RFhA=="; // Pencil Icon PSD, created before the 2023-01-09 cutoff
const P3 = "U2tldGNoUHJvLURlc2t0b3A="; // Sketch Pro, created after it
const P4 = "SW5rd2VsbC1QbHVnaW4tMjQ="; // Inkwell Plugin (membership)
const PENCIL_KEY = "85DB562A-C11D4B06-A2335A6B-8C079166";
const SKETCH_KEY = "DEC0DE00-00000000-00000000-00000001";
const NOT_FOUND = { success: false, message: "That license does not exist for the provided product." };
const E404_JSON = { success: false, error: "Not found" };
const NEEDS_PRODUCT_ID = {
  success: false,
  message: `The 'product_id' parameter is required to verify the license for this product. Please set 'product_id' to '${P3}' in the request.`,
};
const ADA_CONNECTION = "6b1c4f0e-8d2a-4e57-9a3b-c0ffee000b0b";

let mock;
before(async () => {
  mock = await startMock();
});
after(async () => mock?.stop());

const MODES = {
  direct: { prefix: "/v2", full: "demo-token-full", sellerB: { token: "demo-token-seller-b" } },
  maton: { prefix: "/gumroad/v2", full: "demo-maton-key", sellerB: { token: "demo-maton-key", headers: { "maton-connection": ADA_CONNECTION } } },
};

for (const [mode, cfg] of Object.entries(MODES)) {
  describe(`strict A (${mode})`, () => {
    /** Calls the API. `form` is form-encoded; `json` is sent as JSON; `token: null` sends none. */
    const api = mockApi(() => mock.url, cfg.prefix, cfg.full);
    const expect = (r, status, body) => {
      assert.equal(r.status, status, r.text);
      assert.deepEqual(r.data, body);
    };
    const verify = (form) => api("POST", "/licenses/verify", { form: { increment_uses_count: "false", ...form } });

    beforeEach(async () => {
      await fetch(`${mock.url}/__mock/reset`, { method: "POST" });
    });

    // ---- 1. licenses ----------------------------------------------------------------------

    test("license verify: a key-only call answers 500 for a product after the cutoff, 404 before it", async () => {
      expect(await verify({ license_key: SKETCH_KEY }), 500, NEEDS_PRODUCT_ID);
      // The cutoff check comes before the permalink check: a permalink does not help.
      expect(await verify({ license_key: SKETCH_KEY, product_permalink: "skpro" }), 500, NEEDS_PRODUCT_ID);
      // Older products need a matching permalink; without one the license "does not exist".
      expect(await verify({ license_key: PENCIL_KEY }), 404, NOT_FOUND);
      expect(await verify({ license_key: PENCIL_KEY, product_permalink: "skpro" }), 404, NOT_FOUND);
      assert.equal((await verify({ license_key: PENCIL_KEY, product_permalink: "PENCIL" })).status, 200);
    });

    test("license verify: unknown keys are 404 'That license does not exist for the provided product.'", async () => {
      expect(await verify({ license_key: "NOPE", product_id: P3 }), 404, NOT_FOUND);
      expect(await verify({ license_key: "NOPE" }), 404, NOT_FOUND);
      expect(await verify({ license_key: "NOPE", product_permalink: "pencil" }), 404, NOT_FOUND);
      expect(await verify({ product_id: P3 }), 404, NOT_FOUND);
      // A key of another product, by product_id.
      expect(await verify({ license_key: SKETCH_KEY, product_id: P1 }), 404, NOT_FOUND);
    });

    test("license verify: the legacy aliases resolve id > link_id > product_permalink", async () => {
      const ok = async (form) => {
        const r = await verify({ license_key: PENCIL_KEY, ...form });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.data.purchase.product_id, P1);
      };
      await ok({ id: "pencil", link_id: "nope", product_permalink: "nope" });
      await ok({ link_id: "pencil", product_permalink: "nope" });
      await ok({ product_permalink: "pencil" });
      expect(await verify({ license_key: PENCIL_KEY, id: "nope", link_id: "pencil", product_permalink: "pencil" }), 404, NOT_FOUND);
      expect(await verify({ license_key: PENCIL_KEY, link_id: "nope", product_permalink: "pencil" }), 404, NOT_FOUND);
      // product_id wins over every permalink, even a wrong one.
      assert.equal((await verify({ license_key: SKETCH_KEY, product_id: P3, id: "nope" })).status, 200);
    });

    test("license verify: a JSON false is blank, other non-strings are 400", async () => {
      const r = await api("POST", "/licenses/verify", { json: { license_key: SKETCH_KEY, product_id: P3, id: false, increment_uses_count: false } });
      assert.equal(r.status, 200, r.text);
      const bad = await api("POST", "/licenses/verify", { json: { license_key: SKETCH_KEY, product_id: P3, link_id: 7 } });
      expect(bad, 400, { success: false, message: "The 'link_id' parameter must be a string." });
    });

    for (const action of ["enable", "disable", "decrement_uses_count", "rotate"]) {
      test(`license ${action}: 401/403, then the 404 message, then {error:"Not found"} for another seller's license`, async () => {
        const path = `/licenses/${action}`;
        if (mode === "direct") {
          const none = await api("PUT", path, { token: null, form: { license_key: "NOPE" } });
          assert.equal(none.status, 401);
          assert.equal(none.text, "");
          assert.match(none.headers.get("www-authenticate"), /error="invalid_token"/);
          // The scope check comes before the license lookup.
          const scope = await api("PUT", path, { token: "demo-token-readonly", form: { license_key: "NOPE", product_id: P3 } });
          assert.equal(scope.status, 403);
          assert.equal(scope.text, "");
          assert.match(scope.headers.get("www-authenticate"), /error="insufficient_scope"/);
        } else {
          const bad = await api("PUT", path, { token: "no-such-maton-key", form: { license_key: "NOPE" } });
          assert.equal(bad.status, 401);
        }
        // Unknown key: the license message, even for a caller who owns nothing.
        expect(await api("PUT", path, { form: { license_key: "NOPE", product_id: P3 } }), 404, NOT_FOUND);
        expect(await api("PUT", path, { ...cfg.sellerB, form: { license_key: "NOPE", product_id: P3 } }), 404, NOT_FOUND);
        // The product_id cutoff applies to the management routes too.
        expect(await api("PUT", path, { form: { license_key: SKETCH_KEY } }), 500, NEEDS_PRODUCT_ID);
        // Management routes read product_permalink only (no id/link_id aliases).
        expect(await api("PUT", path, { form: { license_key: PENCIL_KEY, id: "pencil" } }), 404, NOT_FOUND);
        // Someone else's license: e404_json, after the lookup succeeded.
        expect(await api("PUT", path, { ...cfg.sellerB, form: { license_key: SKETCH_KEY, product_id: P3 } }), 404, E404_JSON);
        // The owner succeeds.
        const own = await api("PUT", path, { form: { license_key: PENCIL_KEY, product_permalink: "pencil" } });
        assert.equal(own.status, 200, own.text);
        assert.equal(own.data.success, true);
      });
    }

    // ---- 2. read scopes -------------------------------------------------------------------

    if (mode === "direct") {
      test("read scopes: edit_emails-, edit_profile- and refund_sales-only tokens get Doorkeeper's empty 403", async () => {
        const reads = ["/user", "/products", `/products/${encodeURIComponent(P1)}`, `/products/${encodeURIComponent(P1)}/variant_categories`];
        // Offer codes, custom fields and skus take public_scopes + view_public (edit_emails and
        // edit_profile included, refund_sales not).
        const publicReads = [`/products/${encodeURIComponent(P1)}/offer_codes`, `/products/${encodeURIComponent(P1)}/custom_fields`, `/products/${encodeURIComponent(P1)}/skus`];
        for (const token of ["demo-token-edit-emails", "demo-token-edit-profile", "demo-token-refund-sales"]) {
          for (const path of reads) {
            const r = await api("GET", path, { token });
            assert.equal(r.status, 403, `${token} GET ${path}: ${r.status}`);
            assert.equal(r.text, "");
            assert.match(r.headers.get("www-authenticate"), /error="insufficient_scope"/);
          }
          for (const path of publicReads) {
            const r = await api("GET", path, { token });
            assert.equal(r.status, token === "demo-token-refund-sales" ? 403 : 200, `${token} GET ${path}: ${r.text}`);
          }
        }
        // view_public alone and account alone still read.
        for (const token of ["demo-token-public", "demo-token-account"]) {
          assert.equal((await api("GET", "/user", { token })).status, 200);
          assert.equal((await api("GET", "/products", { token })).status, 200);
        }
      });
    } else {
      test("read scopes: a Maton key carries every scope", async () => {
        assert.equal((await api("GET", "/user")).status, 200);
        assert.equal((await api("GET", `/products/${encodeURIComponent(P1)}/variant_categories`)).status, 200);
      });
    }

    // ---- 3. booleans compared to the string "true" ------------------------------------------

    test('booleans: offer code universal is params[:universal] == "true" (JSON true is false)', async () => {
      const path = `/products/${encodeURIComponent(P1)}/offer_codes`;
      const json = await api("POST", path, { json: { name: "JSONTRUE", amount_off: 100, universal: true } });
      assert.equal(json.status, 200, json.text);
      assert.equal(json.data.offer_code.universal, false);
      const form = await api("POST", path, { form: { name: "FORMTRUE", amount_off: "100", universal: "true" } });
      assert.equal(form.data.offer_code.universal, true);
      const jsonString = await api("POST", path, { json: { name: "JSONSTR", amount_off: 100, universal: "true" } });
      assert.equal(jsonString.data.offer_code.universal, true);
    });

    test("offer codes: cents codes prefer amount_cents; missing amounts are checked before the product", async () => {
      const path = `/products/${encodeURIComponent(P1)}/offer_codes`;
      const r = await api("POST", path, { form: { name: "BOTH", amount_cents: "300", amount_off: "100" } });
      assert.equal(r.data.offer_code.amount_cents, 300);
      expect(await api("POST", "/products/no-such-product/offer_codes", { form: { name: "X" } }), 200, {
        success: false,
        message: "You are missing required offer code parameters. Please refer to https://gumroad.com/api#offer-codes for the correct parameters.",
      });
      expect(await api("POST", "/products/no-such-product/offer_codes", { form: { name: "X", amount_off: "1" } }), 200, { success: false, message: "The product was not found." });
    });

    test('booleans: custom field required is params[:required] == "true" (JSON true is false)', async () => {
      const path = `/products/${encodeURIComponent(P1)}/custom_fields`;
      const json = await api("POST", path, { json: { name: "Json field", required: true } });
      assert.equal(json.status, 200, json.text);
      assert.equal(json.data.custom_field.required, false);
      const form = await api("POST", path, { form: { name: "Form field", required: "true" } });
      assert.equal(form.data.custom_field.required, true);
      // Update: any non-nil value sets `== "true"`, so JSON true and "" both clear it.
      const upd = await api("PUT", `${path}/${encodeURIComponent("Form field")}`, { json: { required: true } });
      assert.equal(upd.data.custom_field.required, false);
      await api("PUT", `${path}/${encodeURIComponent("Form field")}`, { form: { required: "true" } });
      const blank = await api("PUT", `${path}/${encodeURIComponent("Form field")}`, { form: { required: "" } });
      assert.equal(blank.data.custom_field.required, false);
    });

    // ---- 4. subscriber states ---------------------------------------------------------------

    test("subscribers: pending_failure is listed and retrieved; fixed_subscription_period_ended only retrieved", async () => {
      const list = await api("GET", `/products/${encodeURIComponent(P4)}/subscribers`);
      assert.equal(list.status, 200);
      const statuses = Object.fromEntries(list.data.subscribers.map((s) => [s.id, s.status]));
      assert.equal(statuses["cGVuZGluZy1mYWlsdXJlLTE="], "pending_failure");
      assert.equal(statuses["Zml4ZWQtcGVyaW9kLWVuZGVk"], undefined);
      expect(await api("GET", "/subscribers/cGVuZGluZy1mYWlsdXJlLTE="), 200, {
        success: true,
        subscriber: {
          id: "cGVuZGluZy1mYWlsdXJlLTE=",
          email: "buyer03@example.com",
          product_id: P4,
          product_name: "Inkwell Plugin",
          user_id: null,
          user_email: "buyer03@example.com",
          purchase_ids: ["W_oJw5uptYh0HNRthF_CKg=="],
          created_at: "2024-04-18T10:21:53Z",
          user_requested_cancellation_at: null,
          charge_occurrence_count: null,
          recurrence: "monthly",
          cancelled_at: null,
          ended_at: null,
          failed_at: null,
          free_trial_ends_at: null,
          status: "pending_failure",
        },
      });
      expect(await api("GET", "/subscribers/Zml4ZWQtcGVyaW9kLWVuZGVk"), 200, {
        success: true,
        subscriber: {
          id: "Zml4ZWQtcGVyaW9kLWVuZGVk",
          email: "buyer06@example.com",
          product_id: P4,
          product_name: "Inkwell Plugin",
          user_id: null,
          user_email: "buyer06@example.com",
          purchase_ids: ["c0UStm0lsrd0QwsDSkB5qQ=="],
          created_at: "2024-08-22T02:03:41Z",
          user_requested_cancellation_at: null,
          charge_occurrence_count: 3,
          recurrence: "monthly",
          cancelled_at: null,
          ended_at: "2024-11-22T02:03:41Z",
          failed_at: null,
          free_trial_ends_at: null,
          status: "fixed_subscription_period_ended",
        },
      });
      // params[:paginated].in?(["1", "true"]): the strings only.
      const paged = await api("GET", `/products/${encodeURIComponent(P4)}/subscribers`, { query: { paginated: "1" } });
      assert.ok(paged.data.subscribers.some((s) => s.status === "pending_failure"));
    });

    // ---- 5. unknown routes ------------------------------------------------------------------

    test("unknown routes: Rails' PublicExceptions 404, JSON for a JSON request, HTML otherwise", async () => {
      const JSON_404 = { status: 404, error: "Not Found" };
      for (const [method, path, headers] of [
        ["GET", "/no_such_route.json", {}],
        ["GET", "/no_such_route", { accept: "application/json" }],
        ["PATCH", "/products", { accept: "application/json" }],
        ["DELETE", "/user.json", {}],
      ]) {
        const r = await api(method, path, { headers });
        assert.equal(r.status, 404, `${method} ${path}`);
        assert.equal(r.headers.get("content-type"), "application/json; charset=utf-8");
        assert.equal(r.text, JSON.stringify(JSON_404));
      }
      const xml = await api("GET", "/no_such_route.xml");
      assert.equal(xml.status, 404);
      assert.equal(xml.headers.get("content-type"), "application/xml; charset=utf-8");
      assert.equal(xml.text, '<?xml version="1.0" encoding="UTF-8"?>\n<hash>\n  <status type="integer">404</status>\n  <error>Not Found</error>\n</hash>\n');
      // A browser-like Accept (`*/*` among others), `*/*` alone, or an HTML request: the HTML page.
      for (const headers of [{}, { accept: "*/*" }, { accept: "application/json, text/plain, */*" }, { accept: "text/html" }]) {
        const r = await api("GET", "/no_such_route", { headers });
        assert.equal(r.status, 404);
        assert.equal(r.headers.get("content-type"), "text/html; charset=utf-8");
        assert.equal(r.data, null);
      }
    });
  });
}
