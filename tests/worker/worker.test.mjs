// The real Worker (worker/src/index.js + the package's workerd build) in workerd via Miniflare,
// against a gumroad-mock started by this test on 127.0.0.1.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Miniflare } from "miniflare";
import { startMock, repoRoot } from "../support/mock.mjs";

const P3 = "U2tldGNoUHJvLURlc2t0b3A=";
const P4 = "SW5rd2VsbC1QbHVnaW4tMjQ=";
const KEY = (n) => `DEC0DE00-00000000-00000000-${n.toString(16).toUpperCase().padStart(8, "0")}`;

let mock;
let mf;

async function worker(bindings) {
  const m = new Miniflare({
    modules: true,
    scriptPath: `${repoRoot}/worker/src/index.js`,
    modulesRoot: repoRoot,
    modulesRules: [
      { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    compatibilityDate: "2026-04-01",
    bindings,
  });
  await m.ready;
  return m;
}

before(async () => {
  mock = await startMock();
  mf = await worker({
    GUMROAD_PRODUCT_IDS: `${P3},${P4}`,
    GUMROAD_API_BASE: `${mock.url}/v2`,
    ALLOWED_ORIGINS: "https://app.example.com",
    MAX_USES: "3",
  });
});

after(async () => {
  await mf?.dispose();
  await mock?.stop();
});

const post = (path, body, headers = {}) =>
  mf.dispatchFetch(`http://worker.test${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

test("verify answers each license state with the shared policy", async () => {
  const cases = [
    [P3, 1, true, "ok"],
    [P3, 2, false, "refunded"],
    [P3, 3, false, "chargebacked"],
    [P3, 4, false, "disputed"],
    [P3, 5, true, "ok"],
    [P3, 6, false, "disabled"],
    [P3, 7, false, "access_revoked"],
    [P3, 8, true, "ok"],
    [P4, 9, false, "subscription_cancelled"],
    [P4, 10, true, "ok"],
    [P4, 11, false, "subscription_ended"],
    [P4, 12, false, "subscription_failed"],
    [P3, 13, true, "ok"],
    [P3, "FFFFFFFF-00000000-00000000-00000000", false, "not_found"],
  ];
  for (const [product_id, n, valid, reason] of cases) {
    const license_key = typeof n === "number" ? KEY(n) : n;
    const res = await post("/v1/licenses/verify", { product_id, license_key });
    assert.equal(res.status, 200, `${license_key}`);
    const body = await res.json();
    assert.equal(body.valid, valid, `${license_key}: ${JSON.stringify(body)}`);
    assert.equal(body.reason, reason, license_key);
    assert.equal(body.product_id, product_id);
    assert.equal(body.email, undefined, "no buyer e-mail by default");
  }
});

test("verify never counts a use; activate counts exactly one", async () => {
  const key = KEY(1);
  const uses = async () => (await (await fetch(`${mock.url}/__mock/licenses`)).json()).licenses.find((l) => l.key === key).uses;
  const before = await uses();
  await post("/v1/licenses/verify", { product_id: P3, license_key: key });
  await post("/v1/licenses/verify", { product_id: P3, license_key: key.toLowerCase() });
  assert.equal(await uses(), before);
  const res = await post("/v1/licenses/activate", { product_id: P3, license_key: key });
  const body = await res.json();
  assert.equal(res.status, 200);
  assert.equal(body.uses, before + 1);
  assert.equal(await uses(), before + 1);
});

test("form bodies work and keys are trimmed and case-folded", async () => {
  const res = await mf.dispatchFetch("http://worker.test/v1/licenses/verify", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: `product_id=${encodeURIComponent(P3)}&license_key=${encodeURIComponent("  " + KEY(1).toLowerCase() + " ")}`,
  });
  assert.equal(res.status, 200);
  assert.equal((await res.json()).reason, "ok");
});

test("bad input gets a 4xx JSON error with a code", async () => {
  const cases = [
    [post("/v1/licenses/verify", "{not json"), 400, "malformed_body"],
    [post("/v1/licenses/verify", { product_id: P3 }), 400, "missing_license_key"],
    [post("/v1/licenses/verify", { product_id: P3, license_key: "<script>" }), 400, "invalid_license_key"],
    [post("/v1/licenses/verify", { product_id: "nope", license_key: KEY(1) }), 400, "unknown_product"],
    [post("/v1/licenses/verify", { license_key: KEY(1) }), 400, "product_id_required"],
    [post("/v1/licenses/verify", { product_id: P3, license_key: KEY(1), pad: "x".repeat(5000) }), 413, "body_too_large"],
    [post("/v1/licenses/verify", "license_key=x", { "content-type": "text/plain" }), 415, "unsupported_media_type"],
    [mf.dispatchFetch("http://worker.test/v1/licenses/verify"), 405, "method_not_allowed"],
    [mf.dispatchFetch("http://worker.test/nope"), 404, "not_found"],
  ];
  for (const [pending, status, code] of cases) {
    const res = await pending;
    assert.equal(res.status, status, code);
    assert.match(res.headers.get("content-type"), /application\/json/);
    const body = await res.json();
    assert.equal(body.error.code, code);
    assert.equal(typeof body.error.message, "string");
  }
});

test("CORS answers only allowed origins", async () => {
  const ok = await mf.dispatchFetch("http://worker.test/v1/licenses/verify", {
    method: "OPTIONS",
    headers: { origin: "https://app.example.com", "access-control-request-method": "POST" },
  });
  assert.equal(ok.status, 204);
  assert.equal(ok.headers.get("access-control-allow-origin"), "https://app.example.com");
  const denied = await mf.dispatchFetch("http://worker.test/v1/licenses/verify", {
    method: "OPTIONS",
    headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
  });
  assert.equal(denied.status, 403);
  assert.equal(denied.headers.get("access-control-allow-origin"), null);
  const res = await post("/v1/licenses/verify", { product_id: P3, license_key: KEY(1) }, { origin: "https://evil.example" });
  assert.equal(res.headers.get("access-control-allow-origin"), null);
});

test("healthz", async () => {
  const res = await mf.dispatchFetch("http://worker.test/healthz");
  assert.deepEqual(await res.json(), { ok: true });
});

test("an unreachable upstream is a 502 JSON error without details", async () => {
  const down = await worker({ GUMROAD_PRODUCT_IDS: P3, GUMROAD_API_BASE: "http://127.0.0.1:9/v2" });
  try {
    const res = await down.dispatchFetch("http://worker.test/v1/licenses/verify", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ license_key: KEY(1) }),
    });
    assert.equal(res.status, 502);
    const text = await res.text();
    assert.deepEqual(JSON.parse(text).error.code, "upstream_error");
    assert.doesNotMatch(text, /127\.0\.0\.1|stack|at /);
  } finally {
    await down.dispose();
  }
});

test("misconfiguration is a 500 with a code, never a verdict", async () => {
  const bad = await worker({ GUMROAD_API_BASE: `${mock.url}/v2` });
  try {
    const res = await bad.dispatchFetch("http://worker.test/v1/licenses/verify", { method: "POST" });
    assert.equal(res.status, 500);
    assert.equal((await res.json()).error.code, "misconfigured");
  } finally {
    await bad.dispose();
  }
});
