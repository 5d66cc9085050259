// The real Worker (worker/src/index.js + the package's workerd build) in workerd via Miniflare,
// against a gumroad-mock started by this test on 127.0.0.1.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { workerMiniflare } from "../support/worker.mjs";
import { startMock, repoRoot } from "../support/mock.mjs";

const P3 = "U2tldGNoUHJvLURlc2t0b3A=";
const P4 = "SW5rd2VsbC1QbHVnaW4tMjQ=";
const KEY = (n) => `DEC0DE00-00000000-00000000-${n.toString(16).toUpperCase().padStart(8, "0")}`;

let mock;
let mf;

async function worker(bindings) {
  const m = workerMiniflare({ bindings });
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
  const res = await post("/v1/licenses/activate", { product_id: P3, license_key: key, fingerprint: "pc-1" });
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
    // A seat is a device: naming an instance, or taking one, needs the device's fingerprint.
    [post("/v1/licenses/verify", { product_id: P3, license_key: KEY(1), instance_id: "inst_abc" }), 400, "missing_fingerprint"],
    [post("/v1/licenses/verify", { product_id: P3, license_key: KEY(1), instance_id: "inst_abc", fingerprint: " " }), 400, "invalid_fingerprint"],
    [post("/v1/licenses/activate", { product_id: P3, license_key: KEY(1) }), 400, "missing_fingerprint"],
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
  assert.equal(res.status, 403);
  assert.equal((await res.json()).error.code, "origin_not_allowed");
  const allowed = await post("/v1/licenses/verify", { product_id: P3, license_key: KEY(1) }, { origin: "https://app.example.com" });
  assert.equal(allowed.status, 200);
  assert.equal(allowed.headers.get("access-control-allow-origin"), "https://app.example.com");
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

// ---- caching, single-flight, ping invalidation, activation, upstream faults --------------------

async function control(method, path, body) {
  const res = await fetch(`${mock.url}/__mock${path}`, {
    method,
    headers: body ? { "content-type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  return res.json();
}
const verifyCalls = async () => (await control("GET", "/requests")).requests.filter((r) => r.path === "/v2/licenses/verify");
const usesOf = async (key) => (await control("GET", "/licenses")).licenses.find((l) => l.key === key).uses;

const PING_SECRET = "s3cret-ping-0123456789abcdef-0123456789";
async function freshWorker(extra = {}) {
  return worker({ GUMROAD_PRODUCT_IDS: `${P3},${P4}`, GUMROAD_API_BASE: `${mock.url}/v2`, PING_SECRET, ...extra });
}
const postTo = (m, path, body, headers = {}) =>
  m.dispatchFetch(`http://worker.test${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

test("repeated verifies are answered from the cache: one upstream call", async () => {
  await control("POST", "/reset");
  const m = await freshWorker();
  try {
    const first = await postTo(m, "/v1/licenses/verify", { product_id: P3, license_key: KEY(1) });
    assert.equal(first.headers.get("x-license-cache"), "miss");
    const body = await first.json();
    for (let i = 0; i < 5; i++) {
      const again = await postTo(m, "/v1/licenses/verify", { product_id: P3, license_key: KEY(1).toLowerCase() });
      assert.equal(again.headers.get("x-license-cache"), "hit");
      assert.deepEqual(await again.json(), body);
    }
    // Invalid verdicts are cached too (with their own TTL).
    await postTo(m, "/v1/licenses/verify", { product_id: P3, license_key: KEY(2) });
    await postTo(m, "/v1/licenses/verify", { product_id: P3, license_key: KEY(2) });
    assert.equal((await verifyCalls()).length, 2, "one upstream call per license");
    const log = JSON.stringify(await control("GET", "/requests"));
    assert.ok(!log.includes("increment_uses_count=true"), "verify never counts");
  } finally {
    await m.dispose();
  }
});

test("concurrent verifies of one key share a single upstream call", async () => {
  await control("POST", "/reset");
  await control("POST", "/faults", { kind: "latency", path: "/licenses/verify", latency_ms: 300 });
  const m = await freshWorker();
  try {
    // A valid key: an invalid verdict would be answered from the ledger's note anyway.
    const answers = await Promise.all(Array.from({ length: 20 }, () => postTo(m, "/v1/licenses/verify", { product_id: P3, license_key: KEY(1) })));
    const bodies = await Promise.all(answers.map((r) => r.json()));
    assert.ok(bodies.every((b) => b.reason === "ok"));
    assert.equal((await verifyCalls()).length, 1);
  } finally {
    await control("DELETE", "/faults");
    await m.dispose();
  }
});

test("a ping with the right secret revokes the license in its ledger and drops the cached verdict; a wrong secret is refused", async () => {
  await control("POST", "/reset");
  const m = await freshWorker();
  try {
    const key = KEY(1);
    assert.equal((await (await postTo(m, "/v1/licenses/verify", { product_id: P3, license_key: key })).json()).reason, "ok");
    // The buyer gets a refund on Gumroad's side.
    const sale = (await control("GET", "/data")).sales.find((s) => s.license_key === key);
    await control("POST", "/events", { type: "refund", sale_id: sale.id });
    const cached = await postTo(m, "/v1/licenses/verify", { product_id: P3, license_key: key });
    assert.equal((await cached.json()).reason, "ok", "still the cached verdict");
    const ping = `sale_id=${encodeURIComponent(sale.id)}&product_id=${encodeURIComponent(P3)}&license_key=${key}&refunded=true&resource_name=refund`;
    const denied = await postTo(m, "/v1/gumroad/ping?secret=wrong", ping, { "content-type": "application/x-www-form-urlencoded" });
    assert.equal(denied.status, 403);
    assert.equal((await denied.json()).error.code, "forbidden");
    const ok = await postTo(m, `/v1/gumroad/ping?secret=${PING_SECRET}`, ping, { "content-type": "application/x-www-form-urlencoded" });
    assert.deepEqual(await ok.json(), { ok: true, type: "refund", changed: true });
    const fresh = await postTo(m, "/v1/licenses/verify", { product_id: P3, license_key: key });
    assert.equal(fresh.headers.get("x-license-cache"), "miss");
    assert.equal((await fresh.json()).reason, "refunded");
    const bad = await postTo(m, `/v1/gumroad/ping?secret=${PING_SECRET}`, "a%5Bb=1", { "content-type": "application/x-www-form-urlencoded" });
    assert.equal(bad.status, 400);
    const sale2 = await postTo(m, `/v1/gumroad/ping?secret=${PING_SECRET}`, "sale_id=x&product_id=y", { "content-type": "application/x-www-form-urlencoded" });
    assert.deepEqual(await sale2.json(), { ok: true, type: "sale", changed: false });
  } finally {
    await m.dispose();
  }
  const noSecret = await worker({ GUMROAD_PRODUCT_IDS: P3, GUMROAD_API_BASE: `${mock.url}/v2` });
  try {
    assert.equal((await postTo(noSecret, "/v1/gumroad/ping?secret=", "a=1")).status, 404, "disabled without PING_SECRET");
  } finally {
    await noSecret.dispose();
  }
});

test("activation grants instances up to MAX_USES per seat and never counts a refused one", async () => {
  await control("POST", "/reset");
  const m = await freshWorker({ MAX_USES: "2" });
  try {
    const key = KEY(1);
    const before = await usesOf(key);
    const a1 = await postTo(m, "/v1/licenses/activate", { product_id: P3, license_key: key, fingerprint: "pc-1" });
    const a2 = await postTo(m, "/v1/licenses/activate", { product_id: P3, license_key: key, fingerprint: "pc-2" });
    const a3 = await postTo(m, "/v1/licenses/activate", { product_id: P3, license_key: key, fingerprint: "pc-3" });
    assert.deepEqual([a1.status, a2.status, a3.status], [200, 200, 409]);
    const [b1, b2, b3] = [await a1.json(), await a2.json(), await a3.json()];
    assert.deepEqual([b1.uses, b1.valid, b2.uses, b2.valid], [before + 1, true, before + 2, true]);
    assert.match(b1.instance.id, /^inst_[A-Za-z0-9_-]{22}$/);
    assert.notEqual(b1.instance.id, b2.instance.id);
    assert.deepEqual([b3.error.code, b3.error.limit, b3.error.active], ["activation_limit_reached", 2, 2]);
    assert.equal(await usesOf(key), before + 2, "the refused activation counted nothing");
    // Verify still answers valid on every device: seats are not judged from Gumroad's count.
    const v = await (await postTo(m, "/v1/licenses/verify", { product_id: P3, license_key: key, instance_id: b1.instance.id, fingerprint: "pc-1" })).json();
    assert.deepEqual([v.valid, v.reason], [true, "ok"]);
    // Multi-seat (key 08: 3 seats): 2 per seat, whatever Gumroad's count already is.
    const seat = await postTo(m, "/v1/licenses/activate", { product_id: P3, license_key: KEY(8), fingerprint: "pc-1" });
    assert.equal(seat.status, 200);
    // An invalid license is answered as such and counts nothing.
    const refundedUses = await usesOf(KEY(2));
    const refunded = await (await postTo(m, "/v1/licenses/activate", { product_id: P3, license_key: KEY(2), fingerprint: "pc-1" })).json();
    assert.deepEqual([refunded.valid, refunded.reason, refunded.instance], [false, "refunded", undefined]);
    assert.equal(await usesOf(KEY(2)), refundedUses);
    const log = JSON.stringify(await control("GET", "/requests"));
    assert.equal(log.split("increment_uses_count=true").length - 1, 3, "three counted activations");
  } finally {
    await m.dispose();
  }
});

test("upstream faults map to 502/503/504 JSON with Retry-After, never the upstream body", async () => {
  await control("POST", "/reset");
  const m = await freshWorker();
  try {
    // The 429 last: it starts a cool-down during which nothing goes upstream.
    const cases = [
      [{ kind: "503", times: 2 }, 502, "upstream_error", "5"],
      [{ kind: "html", times: 2 }, 502, "upstream_error", "5"],
      [{ kind: "truncate", times: 2 }, 502, "upstream_error", "5"],
      [{ kind: "429", retry_after: 9, times: 2 }, 503, "upstream_rate_limited", "9"],
    ];
    const keys = [KEY(1), KEY(3), KEY(5), KEY(13)];
    for (const [f, status, code, retryAfter] of cases) {
      await control("POST", "/faults", { path: "/licenses/verify", ...f });
      // A different key each time, so no cached verdict answers.
      const r = await postTo(m, "/v1/licenses/verify", { product_id: P3, license_key: keys.shift() });
      assert.equal(r.status, status, f.kind);
      assert.equal(r.headers.get("retry-after"), retryAfter, f.kind);
      const text = await r.text();
      assert.equal(JSON.parse(text).error.code, code);
      assert.doesNotMatch(text, /Retry later|html|Something broke|\{"success"/);
      await control("DELETE", "/faults");
    }
  } finally {
    await m.dispose();
  }
  const slow = await worker({ GUMROAD_PRODUCT_IDS: P3, GUMROAD_API_BASE: `${mock.url}/v2`, UPSTREAM_TIMEOUT_MS: "200" });
  try {
    await control("POST", "/faults", { kind: "latency", path: "/licenses/verify", latency_ms: 1500 });
    const r = await postTo(slow, "/v1/licenses/verify", { license_key: "FEEDFACE" });
    assert.equal(r.status, 504);
    assert.equal((await r.json()).error.code, "upstream_timeout");
  } finally {
    await control("DELETE", "/faults");
    await slow.dispose();
  }
});

test("EXPOSE_BUYER_EMAIL adds the e-mail to activations only; the Maton gateway works as upstream", async () => {
  await control("POST", "/reset");
  const m = await worker({
    GUMROAD_PRODUCT_IDS: P3,
    GUMROAD_API_BASE: `${mock.url}/gumroad/v2`,
    MATON_API_KEY: "demo-maton-key",
    EXPOSE_BUYER_EMAIL: "true",
  });
  try {
    const body = await (await postTo(m, "/v1/licenses/verify", { license_key: KEY(1) })).json();
    assert.deepEqual([body.valid, body.email], [true, undefined], "never on verify (any key holder may verify)");
    const act = await (await postTo(m, "/v1/licenses/activate", { license_key: KEY(1), fingerprint: "pc-1" })).json();
    assert.deepEqual([act.valid, act.email], [true, "active@example.com"]);
    const again = await postTo(m, "/v1/licenses/verify", { license_key: KEY(1) });
    assert.equal((await again.json()).email, undefined);
    const log = (await control("GET", "/requests")).requests.find((r) => r.path === "/gumroad/v2/licenses/verify");
    assert.ok(log, "went through the Maton prefix");
    assert.ok(log.headers.some(([k, v]) => k === "authorization" && v === "Bearer ***"));
  } finally {
    await m.dispose();
  }
  const badKey = await worker({ GUMROAD_PRODUCT_IDS: P3, GUMROAD_API_BASE: `${mock.url}/gumroad/v2`, MATON_API_KEY: "wrong-maton-key" });
  try {
    const r = await postTo(badKey, "/v1/licenses/verify", { license_key: KEY(1) });
    assert.equal(r.status, 502);
    const text = await r.text();
    assert.equal(JSON.parse(text).error.code, "upstream_auth");
    assert.doesNotMatch(text, /wrong-maton-key/);
  } finally {
    await badKey.dispose();
  }
});

test("a data centre whose cached entry predates a new device asks the ledger instead of answering unknown_instance", async () => {
  await control("POST", "/reset");
  // Two data centres: one ledger (shared Durable Object storage), a cache each.
  const dir = mkdtempSync(path.join(os.tmpdir(), "gumroad-colos-"));
  const colo = (name) =>
    workerMiniflare({
      bindings: { GUMROAD_PRODUCT_IDS: P3, GUMROAD_API_BASE: `${mock.url}/v2`, CACHE_TTL_VALID: "300" },
      extra: { durableObjectsPersist: path.join(dir, "ledger"), cachePersist: path.join(dir, `cache-${name}`) },
    });
  const run = async (name, fn) => {
    const m = colo(name);
    await m.ready;
    try {
      return await fn(m);
    } finally {
      await m.dispose();
    }
  };
  try {
    const key = KEY(13);
    const a = await run("x", async (m) => {
      const act = await (await postTo(m, "/v1/licenses/activate", { license_key: key, fingerprint: "device-a" })).json();
      const first = await postTo(m, "/v1/licenses/verify", { license_key: key, instance_id: act.instance.id, fingerprint: "device-a" });
      assert.equal(first.headers.get("x-license-cache"), "miss");
      await new Promise((r) => setTimeout(r, 300)); // the cache write runs after the answer
      return act.instance.id;
    });
    const b = await run("y", async (m) => (await (await postTo(m, "/v1/licenses/activate", { license_key: key, fingerprint: "device-b" })).json()).instance.id);
    await run("x", async (m) => {
      const known = await postTo(m, "/v1/licenses/verify", { license_key: key, instance_id: a, fingerprint: "device-a" });
      assert.equal(known.headers.get("x-license-cache"), "hit", "x still holds its entry");
      const fresh = await postTo(m, "/v1/licenses/verify", { license_key: key, instance_id: b, fingerprint: "device-b" });
      assert.equal(fresh.headers.get("x-license-cache"), "miss", "an instance the entry does not list is asked of the ledger");
      assert.deepEqual(await fresh.json().then((v) => [v.valid, v.reason]), [true, "ok"]);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
