// The license server with its LicenseLedger: seats, re-installs, deactivation, revocation by
// ping, rate limits, the upstream cool-down, the attacks it must withstand, and count changes
// whose answer was lost. Every test starts its own gumroad-mock and Worker (workerd through
// Miniflare) and disposes them.

import { test } from "node:test";
import fs from "node:fs";
import assert from "node:assert/strict";
import {
  P3,
  P4,
  KEY,
  PING_SECRET,
  CONFIG_NAMES,
  setup,
  withDefaults,
  loggedWorker,
  tempDir,
  filesUnder,
  storedLedgers,
  postTo,
  formHeaders,
  fakeUpstream,
  purchaseAnswer,
  lazyBody,
  signingKey,
  claimsOf,
  streamChunked,
  sleep,
  eventually,
  GENEROUS_LIMITS,
} from "./helpers.mjs";
import { startMock } from "../support/mock.mjs";

const ids = (answers) => answers.filter((a) => a.status === 200).map((a) => a.body.instance.id);
const ip = (n) => ({ "cf-connecting-ip": `198.51.100.${n}` });
/** A Retry-After header as whole seconds, checked to be 1..max. */
function retryAfter(r, max = 60) {
  const v = r.headers.get("retry-after");
  assert.match(String(v), /^\d+$/, `Retry-After of ${r.status} ${r.text}: ${v}`);
  const n = Number(v);
  assert.ok(n >= 1 && n <= max, `Retry-After ${n} not in 1..${max}`);
  return n;
}

// ---- 1. seats under concurrency ---------------------------------------------------------------

test("20 concurrent activations of one key at the limit: exactly the free seats are granted", async (t) => {
  const env = await setup(t, { bindings: { MAX_USES: "3" } });
  const key = KEY(1);
  const before = await env.uses(key);
  assert.equal(before, 0, "seed: key 01 starts with no uses");
  const answers = await Promise.all(
    Array.from({ length: 20 }, (_, i) => env.activate({ product_id: P3, license_key: key, fingerprint: `device-${i}`, instance_name: `pc ${i}` }, ip(i))),
  );
  const granted = answers.filter((a) => a.status === 200);
  const refused = answers.filter((a) => a.status === 409);
  assert.equal(granted.length, 3, answers.map((a) => `${a.status} ${a.text}`).join("\n"));
  assert.equal(refused.length, 17);
  for (const g of granted) {
    assert.equal(g.body.valid, true);
    assert.equal(g.body.reason, "ok");
    assert.equal(g.body.product_id, P3);
    assert.match(g.body.instance.id, /^inst_[A-Za-z0-9_-]+$/);
    assert.match(g.body.instance.name, /^pc \d+$/);
    assert.ok(!Number.isNaN(Date.parse(g.body.instance.activated_at)));
    assert.equal(g.body.email, undefined, "no e-mail unless EXPOSE_BUYER_EMAIL=true");
  }
  assert.equal(new Set(ids(granted)).size, 3, "distinct instances");
  for (const r of refused) {
    assert.equal(r.body.error.code, "activation_limit_reached");
    assert.equal(r.body.error.limit, 3);
    assert.equal(r.body.error.active, 3);
    assert.equal(typeof r.body.error.message, "string");
  }
  const list = await env.instances({ product_id: P3, license_key: key });
  assert.equal(list.status, 200);
  assert.equal(list.body.product_id, P3);
  assert.equal(list.body.max_uses_per_seat, 3);
  for (const i of list.body.instances) assert.deepEqual(Object.keys(i).sort(), ["activated_at", "id", "name"]);
  const listed = list.body.instances.map((i) => i.id);
  assert.deepEqual([...listed].sort(), [...ids(granted)].sort(), "instances route == granted");
  assert.equal((await env.uses(key)) - before, 3, "mock uses delta == granted instances");
  assert.equal((await env.countingCalls(key)).length, 3, "one counting call per granted instance, none for the 409s");
  // Seats are the ledger's business: verify never answers too_many_uses.
  const v = await env.verify({ product_id: P3, license_key: key });
  assert.deepEqual([v.status, v.body.valid, v.body.reason], [200, true, "ok"]);
});

test("multi-seat license: MAX_USES × seats instances, whatever Gumroad's use count says", async (t) => {
  const env = await setup(t, { bindings: { MAX_USES: "1" } });
  const key = KEY(8); // 3 seats, already 4 uses upstream
  const before = await env.uses(key);
  const v = await env.verify({ product_id: P3, license_key: key });
  assert.deepEqual([v.body.valid, v.body.reason], [true, "ok"], "4 uses > 3 seats × 1 is not too_many_uses");
  const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => env.activate({ product_id: P3, license_key: key, fingerprint: `seat-${i}` }, ip(i))));
  assert.equal(answers.filter((a) => a.status === 200).length, 3, answers.map((a) => a.text).join("\n"));
  const refused = answers.filter((a) => a.status === 409);
  assert.equal(refused.length, 5);
  assert.equal(refused[0].body.error.limit, 3);
  assert.equal((await env.uses(key)) - before, 3);
  assert.equal((await env.instanceIds(key)).length, 3);
});

// ---- 2. re-install ----------------------------------------------------------------------------

test("re-install: the same fingerprint gets the same instance and counts one use; fingerprints are stored hashed", async (t) => {
  const mock = await startMock();
  t.after(() => mock.stop());
  const doDir = tempDir(t, "ledger-do-");
  const { mf } = await loggedWorker(t, { bindings: withDefaults(mock, {}), doDir });
  const uses = async () => (await (await fetch(`${mock.url}/__mock/licenses`)).json()).licenses.find((l) => l.key === KEY(1)).uses;
  const fingerprint = "FP-MARKER-7f3a9c1e-d00d";
  const instance_name = "NAME-MARKER-workstation";
  const first = await postTo(mf, "/v1/licenses/activate", { product_id: P3, license_key: KEY(1), fingerprint, instance_name });
  const again = await postTo(mf, "/v1/licenses/activate", { product_id: P3, license_key: KEY(1).toLowerCase(), fingerprint, instance_name });
  assert.equal(first.status, 200, first.text);
  assert.equal(again.status, 200, again.text);
  assert.equal(again.body.instance.id, first.body.instance.id);
  assert.equal(again.body.instance.activated_at, first.body.instance.activated_at);
  assert.equal(await uses(), 1, "one use for one device");
  const log = (await (await fetch(`${mock.url}/__mock/requests`)).json()).requests;
  assert.equal(log.filter((r) => r.body.includes("increment_uses_count=true")).length, 1);
  const list = await postTo(mf, "/v1/licenses/instances", { product_id: P3, license_key: KEY(1) });
  assert.equal(list.body.instances.length, 1);
  for (const a of [first, again, list]) assert.ok(!a.text.includes(fingerprint), "the fingerprint is never echoed");
  // A different device is a new instance.
  const other = await postTo(mf, "/v1/licenses/activate", { product_id: P3, license_key: KEY(1), fingerprint: "another-device" });
  assert.notEqual(other.body.instance.id, first.body.instance.id);
  assert.equal(await uses(), 2);
  await mf.dispose();
  const stored = filesUnder(doDir).map((f) => [f, fs.readFileSync(f)]);
  assert.ok(stored.some(([, b]) => b.includes(instance_name)), "control: the ledger's storage was found (instance name is stored)");
  for (const [f, b] of stored) assert.ok(!b.includes(fingerprint), `raw fingerprint stored in ${f}`);
});

// ---- 3. deactivation --------------------------------------------------------------------------

test("deactivate frees the seat: uses go down then up; unknown instance 404; old instance_id is unknown_instance", async (t) => {
  const env = await setup(t, { bindings: { MAX_USES: "1" } });
  const key = KEY(1);
  const a = await env.activate({ product_id: P3, license_key: key, fingerprint: "laptop" });
  assert.equal(a.status, 200, a.text);
  assert.equal(await env.uses(key), 1);
  const full = await env.activate({ product_id: P3, license_key: key, fingerprint: "desktop" });
  assert.equal(full.status, 409);
  assert.equal(full.body.error.code, "activation_limit_reached");

  const d = await env.deactivate({ product_id: P3, license_key: key, instance_id: a.body.instance.id });
  assert.equal(d.status, 200, d.text);
  assert.deepEqual(d.body, { deactivated: true, uses: 0 });
  assert.equal(await env.uses(key), 0, "uses went down");
  const puts = await env.decrementCalls(key);
  assert.equal(puts.length, 1, "PUT /licenses/decrement_uses_count exactly once");
  assert.equal(puts[0].method, "PUT");
  assert.deepEqual(await env.instanceIds(key), []);

  const b = await env.activate({ product_id: P3, license_key: key, fingerprint: "desktop" });
  assert.equal(b.status, 200, b.text);
  assert.equal(b.body.uses, 1);
  assert.equal(await env.uses(key), 1, "uses went up again");

  const old = await env.verify({ product_id: P3, license_key: key, instance_id: a.body.instance.id, fingerprint: "laptop" });
  assert.equal(old.status, 200);
  assert.deepEqual([old.body.valid, old.body.reason, old.body.instance_id], [false, "unknown_instance", a.body.instance.id]);
  const cur = await env.verify({ product_id: P3, license_key: key, instance_id: b.body.instance.id, fingerprint: "desktop" });
  assert.deepEqual([cur.body.valid, cur.body.reason, cur.body.instance_id], [true, "ok", b.body.instance.id]);
  // Also as a form body (verify takes both).
  const form = await env.verify(`product_id=${encodeURIComponent(P3)}&license_key=${key}&instance_id=${a.body.instance.id}&fingerprint=laptop`, formHeaders);
  assert.equal(form.body.reason, "unknown_instance");

  const again = await env.deactivate({ product_id: P3, license_key: key, instance_id: a.body.instance.id });
  assert.equal(again.status, 404);
  assert.equal(again.body.error.code, "unknown_instance");
  const never = await env.deactivate({ product_id: P3, license_key: key, instance_id: "inst_doesnotexist" });
  assert.equal(never.status, 404);
  assert.equal(never.body.error.code, "unknown_instance");
  const missing = await env.deactivate({ product_id: P3, license_key: key });
  assert.equal(missing.status, 400);
  assert.equal(missing.body.error.code, "missing_instance_id");
  assert.equal((await env.decrementCalls(key)).length, 1, "no decrement for refused deactivations");
  assert.equal(await env.uses(key), 1);
  assert.deepEqual(await env.instanceIds(key), [b.body.instance.id]);
});

test("activate and deactivate take JSON only (a form body is 415)", async (t) => {
  const env = await setup(t);
  const list = await env.instances({ product_id: P3, license_key: KEY(1) });
  assert.deepEqual(list.body, { product_id: P3, instances: [] }, "no max_uses_per_seat without MAX_USES");
  const act = await env.activate(`product_id=${encodeURIComponent(P3)}&license_key=${KEY(1)}`, formHeaders);
  assert.equal(act.status, 415);
  assert.equal(act.body.error.code, "unsupported_media_type");
  const deact = await env.deactivate(`product_id=${encodeURIComponent(P3)}&license_key=${KEY(1)}&instance_id=inst_x`, formHeaders);
  assert.equal(deact.status, 415);
  assert.equal(deact.body.error.code, "unsupported_media_type");
  assert.equal((await env.requests()).length, 0, "nothing reached Gumroad");
});

test("activating an invalid license answers valid:false and counts nothing upstream", async (t) => {
  const env = await setup(t, { bindings: { MAX_USES: "3" } });
  for (const [n, reason] of [
    [2, "refunded"],
    [6, "disabled"],
  ]) {
    const key = KEY(n);
    const before = await env.uses(key);
    const r = await env.activate({ product_id: P3, license_key: key, fingerprint: "x" });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.body.valid, r.body.reason, r.body.instance], [false, reason, undefined]);
    assert.equal(await env.uses(key), before);
    assert.equal((await env.countingCalls(key)).length, 0);
    assert.deepEqual(await env.instanceIds(key), []);
  }
  const nf = await env.activate({ product_id: P3, license_key: "FFFFFFFF-00000000-00000000-00000000", fingerprint: "x" });
  assert.deepEqual([nf.status, nf.body.valid, nf.body.reason], [200, false, "not_found"]);
  assert.equal((await env.countingCalls()).length, 0);
});

// ---- 4. pings are hints ------------------------------------------------------------------------

/** The id of the mock's sale behind a seeded license key (bought by `email`). */
async function saleOf(env, key, email) {
  const res = await fetch(`${env.mock.url}/v2/sales?email=${encodeURIComponent(email)}`, { headers: { authorization: "Bearer demo-token-full" } });
  return (await res.json()).sales.find((s) => s.license_key === key).id;
}

test("finding 5: a forged refund ping for a license Gumroad calls valid revokes it for the recheck window only", async (t) => {
  // TTL 0: every verify misses the cache and reaches the ledger. RECHECK_SECONDS: a short window.
  const env = await setup(t, { bindings: { MAX_USES: "3", CACHE_TTL_VALID: "0", CACHE_TTL_INVALID: "0", RECHECK_SECONDS: "2" } });
  const key = KEY(1);
  const a = await env.activate({ product_id: P3, license_key: key, fingerprint: "laptop" });
  assert.equal(a.status, 200);
  assert.equal((await env.verify({ product_id: P3, license_key: key })).body.valid, true);

  const wrong = await env.ping({ resource_name: "refund", product_id: P3, license_key: key, refunded: "true" }, "x".repeat(40));
  assert.equal(wrong.status, 403);
  assert.equal(wrong.body.error.code, "forbidden");
  assert.equal((await env.verify({ product_id: P3, license_key: key })).body.valid, true, "a refused ping changes nothing");

  // The mock is not told: Gumroad keeps answering valid.
  const callsBefore = (await env.verifyCalls(key)).length;
  const p = await env.ping({ resource_name: "refund", product_id: P3, license_key: key.toLowerCase(), refunded: "true", sale_id: "x" });
  assert.equal(p.status, 200, p.text);
  assert.deepEqual(p.body, { ok: true, type: "refund", changed: true });
  assert.equal((await env.verifyCalls(key)).length, callsBefore + 1, "the ping made the ledger ask Gumroad, once");
  // Within the window the hint holds (Gumroad may be slow to show a refund it announced).
  for (let i = 0; i < 2; i++) {
    const v = await env.verify({ product_id: P3, license_key: key });
    assert.deepEqual([v.status, v.body.valid, v.body.reason], [200, false, "refunded"], v.text);
  }
  const withInstance = await env.verify({ product_id: P3, license_key: key, instance_id: a.body.instance.id, fingerprint: "laptop" });
  assert.deepEqual([withInstance.body.valid, withInstance.body.reason], [false, "refunded"]);
  const act = await env.activate({ product_id: P3, license_key: key, fingerprint: "desktop" });
  assert.deepEqual([act.status, act.body.valid, act.body.reason, act.body.instance], [200, false, "refunded", undefined]);
  assert.equal((await env.countingCalls(key)).length, 1, "no use counted for the refused activation");
  assert.equal((await env.instances({ product_id: P3, license_key: key })).body.revoked, undefined, "a hint is not a lasting revocation");
  assert.equal((await env.verifyCalls(key)).length, callsBefore + 1, "within the window the hint answers without asking Gumroad");
  // Then Gumroad decides again: the forged ping has no lasting effect.
  await sleep(2100);
  const after = await env.verify({ product_id: P3, license_key: key });
  assert.deepEqual([after.body.valid, after.body.reason], [true, "ok"], after.text);
  const own = await env.verify({ product_id: P3, license_key: key, instance_id: a.body.instance.id, fingerprint: "laptop" });
  assert.deepEqual([own.body.valid, own.body.reason], [true, "ok"]);

  // A ping for a product this worker does not serve changes nothing.
  const other = await env.ping({ resource_name: "refund", product_id: "bm90LW91cnM=", license_key: KEY(5), refunded: "true" });
  assert.deepEqual(other.body, { ok: true, type: "refund", changed: false });
  assert.equal((await env.verify({ product_id: P3, license_key: KEY(5) })).body.valid, true);
});

test("forged pings repeated inside the window buy no more than one window a day, and a hint's answer is not cached past it (attack review)", async (t) => {
  const env = await setup(t, { bindings: { MAX_USES: "3", CACHE_TTL_VALID: "60", CACHE_TTL_INVALID: "60", RECHECK_SECONDS: "2" } });
  const key = KEY(1);
  const lic = { product_id: P3, license_key: key };
  assert.equal((await env.verify(lic)).body.valid, true);
  const ping = () => env.ping({ resource_name: "refund", ...lic, refunded: "true" });
  assert.equal((await ping()).body.changed, true, "the first one is a hint");
  // Within the window: invalid, answered by the ledger each time (not cached for 60 s).
  const during = await env.verify(lic);
  assert.deepEqual([during.body.reason, during.headers.get("x-license-cache")], ["refunded", "miss"]);
  await sleep(1200);
  assert.equal((await ping()).body.changed, false, "a second forged ping sets no new hint");
  await sleep(1000);
  // The first hint's window is over: valid again, though the pings went on.
  const after = await env.verify(lic);
  assert.deepEqual([after.body.valid, after.body.reason], [true, "ok"], after.text);
  assert.equal((await ping()).body.changed, false);
  assert.equal((await env.verify(lic)).body.valid, true);
});

test("a refusal signed while a ping's hint stands expires with the hint's window, not the grace period (attack review 2)", async (t) => {
  const k = await signingKey();
  const env = await setup(t, { bindings: { MAX_USES: "3", LICENSE_SIGNING_KEY: k.secret, CACHE_TTL_VALID: "0", RECHECK_SECONDS: "30" } });
  const lic = { product_id: P3, license_key: KEY(1) };
  const a = await env.activate({ ...lic, fingerprint: "pc" });
  const pingAt = Math.floor(Date.now() / 1000);
  assert.equal((await env.ping({ resource_name: "refund", ...lic, refunded: "true" })).body.changed, true);
  const v = await env.verify({ ...lic, instance_id: a.body.instance.id, fingerprint: "pc" });
  assert.equal(v.body.reason, "refunded");
  const c = claimsOf(v.body.token);
  assert.equal(c.valid, false);
  assert.ok(c.exp <= pingAt + 31 && c.exp > c.iat, `exp ${c.exp - c.iat} s after iat: the window's end, not 7 days`);
});

test("a real refund: Gumroad confirms the ping, and the revocation lasts past the window without another upstream call", async (t) => {
  const env = await setup(t, { bindings: { MAX_USES: "3", CACHE_TTL_VALID: "0", CACHE_TTL_INVALID: "0", RECHECK_SECONDS: "1" } });
  const key = KEY(1);
  assert.equal((await env.activate({ product_id: P3, license_key: key, fingerprint: "laptop" })).status, 200);
  const e = await env.control("POST", "/events", { type: "refund", sale_id: await saleOf(env, key, "active@example.com") });
  assert.equal(e.ok, true, JSON.stringify(e));
  const p = await env.ping({ resource_name: "refund", product_id: P3, license_key: key, refunded: "true" });
  assert.deepEqual(p.body, { ok: true, type: "refund", changed: true });
  const calls = (await env.verifyCalls(key)).length;
  await sleep(1200);
  for (let i = 0; i < 2; i++) assert.equal((await env.verify({ product_id: P3, license_key: key })).body.reason, "refunded");
  assert.equal((await env.verifyCalls(key)).length, calls, "a confirmed refund answers without asking Gumroad again");
  assert.equal((await env.instances({ product_id: P3, license_key: key })).body.revoked, "refunded");
  // Pings that would only make Gumroad look again do not lift it.
  await env.ping({ resource_name: "subscription_restarted", product_id: P3, license_key: key });
  await env.ping({ resource_name: "dispute_won", product_id: P3, license_key: key });
  assert.equal((await env.verify({ product_id: P3, license_key: key })).body.reason, "refunded");
});

test("a ping for a key nobody activated and Gumroad does not know stores nothing", async (t) => {
  const mock = await startMock();
  t.after(() => mock.stop());
  const doDir = tempDir(t, "ledger-ping-");
  const { mf } = await loggedWorker(t, { bindings: withDefaults(mock, {}), doDir });
  const ping = (license_key) => postTo(mf, `/v1/gumroad/ping?secret=${PING_SECRET}`, new URLSearchParams({ resource_name: "refund", product_id: P3, license_key, refunded: "true" }).toString(), formHeaders);
  for (let i = 0; i < 5; i++) {
    const r = await ping(`FFFFFFFF-00000000-00000000-${String(i).padStart(8, "0")}`);
    assert.deepEqual([r.status, r.body.changed], [200, true], r.text);
  }
  // Control: the same ping for a key Gumroad knows keeps its hint.
  assert.equal((await ping(KEY(1))).status, 200);
  await mf.dispose();
  const withRevocation = storedLedgers(doDir).filter((l) => l.includes('"revoked"'));
  assert.equal(withRevocation.length, 1, `stored ledgers holding a revocation: ${withRevocation.join(", ")}`);
});

test("a cached valid verdict is dropped by the ping (same data centre)", async (t) => {
  const env = await setup(t);
  const key = KEY(1);
  assert.equal((await env.verify({ product_id: P3, license_key: key })).headers.get("x-license-cache"), "miss");
  const hit = await env.verify({ product_id: P3, license_key: key });
  assert.deepEqual([hit.headers.get("x-license-cache"), hit.body.valid], ["hit", true]);
  await env.ping({ resource_name: "subscription_ended", product_id: P3, license_key: key });
  const v = await env.verify({ product_id: P3, license_key: key });
  assert.deepEqual([v.headers.get("x-license-cache"), v.body.valid, v.body.reason], ["miss", false, "subscription_ended"]);
});

test("dispute revokes (disputed / chargebacked) and dispute_won restores", async (t) => {
  const env = await setup(t, { bindings: { CACHE_TTL_VALID: "0", CACHE_TTL_INVALID: "0" } });
  const key = KEY(0x0d);
  assert.equal((await env.verify({ product_id: P3, license_key: key })).body.valid, true);
  const d = await env.ping({ resource_name: "dispute", product_id: P3, license_key: key });
  assert.deepEqual(d.body, { ok: true, type: "dispute", changed: true });
  assert.deepEqual((await env.verify({ product_id: P3, license_key: key })).body.reason, "disputed");
  // Gumroad (the mock) still says valid: a second hint within a day is not set.
  const again = await env.ping({ resource_name: "dispute", product_id: P3, license_key: key, chargebacked: "true" });
  assert.equal(again.body.changed, false);
  assert.deepEqual((await env.verify({ product_id: P3, license_key: key })).body.reason, "disputed");
  const won = await env.ping({ resource_name: "dispute_won", product_id: P3, license_key: key });
  assert.deepEqual(won.body, { ok: true, type: "dispute_won", changed: true });
  const v = await env.verify({ product_id: P3, license_key: key });
  assert.deepEqual([v.body.valid, v.body.reason], [true, "ok"], "Gumroad decides again after dispute_won");
});

// A refund is not undone by winning a dispute: dispute_won lifts only dispute revocations
// (Gumroad, not yet aware of the refund here, would otherwise answer valid again).
test("dispute_won does not undo a refund revocation", async (t) => {
  const env = await setup(t, { bindings: { CACHE_TTL_VALID: "0", CACHE_TTL_INVALID: "0" } });
  const key = KEY(1);
  await env.ping({ resource_name: "refund", product_id: P3, license_key: key, refunded: "true" });
  assert.equal((await env.verify({ product_id: P3, license_key: key })).body.reason, "refunded");
  await env.ping({ resource_name: "dispute_won", product_id: P3, license_key: key });
  const v = await env.verify({ product_id: P3, license_key: key });
  assert.deepEqual([v.body.valid, v.body.reason], [false, "refunded"], `after refund + dispute_won: ${v.text}`);
});

// Nor by a restarted subscription: subscription_restarted lifts only subscription revocations.
test("subscription_restarted does not undo a refund revocation", async (t) => {
  const env = await setup(t, { bindings: { CACHE_TTL_VALID: "0", CACHE_TTL_INVALID: "0" } });
  const key = KEY(5);
  await env.ping({ resource_name: "refund", product_id: P3, license_key: key, refunded: "true" });
  await env.ping({ resource_name: "subscription_restarted", product_id: P3, license_key: key });
  const v = await env.verify({ product_id: P3, license_key: key });
  assert.deepEqual([v.body.valid, v.body.reason], [false, "refunded"], `after refund + subscription_restarted: ${v.text}`);
});

test("subscription_ended revokes and subscription_restarted restores", async (t) => {
  const env = await setup(t, { bindings: { CACHE_TTL_VALID: "0", CACHE_TTL_INVALID: "0" } });
  const key = KEY(0x0e);
  await env.ping({ resource_name: "subscription_ended", product_id: P4, license_key: key });
  assert.equal((await env.verify({ product_id: P4, license_key: key })).body.reason, "subscription_ended");
  await env.ping({ resource_name: "subscription_restarted", product_id: P4, license_key: key });
  const v = await env.verify({ product_id: P4, license_key: key });
  assert.deepEqual([v.body.valid, v.body.reason], [true, "ok"]);
});

// ---- 5. rate limits and the cool-down ---------------------------------------------------------

const limits = (over) => ({ ...GENEROUS_LIMITS, ...Object.fromEntries(Object.entries(over).map(([k, limit]) => [k, { simple: { limit, period: 60 } }])) });

test("RATE_LIMIT_VERIFY_IP: verifies (and instance lists) per client IP", async (t) => {
  const env = await setup(t, { ratelimits: limits({ RATE_LIMIT_VERIFY_IP: 3 }) });
  for (let i = 0; i < 2; i++) assert.equal((await env.verify({ product_id: P3, license_key: KEY(1) }, ip(1))).status, 200);
  assert.equal((await env.instances({ product_id: P3, license_key: KEY(5) }, ip(1))).status, 200);
  const r = await env.verify({ product_id: P3, license_key: KEY(1) }, ip(1));
  assert.equal(r.status, 429, r.text);
  assert.equal(r.body.error.code, "rate_limited");
  retryAfter(r);
  assert.equal((await env.instances({ product_id: P3, license_key: KEY(5) }, ip(1))).status, 429);
  assert.equal((await env.verify({ product_id: P3, license_key: KEY(1) }, ip(2))).status, 200, "another client is not limited");
  // Seat changes have their own per-IP limit.
  assert.equal((await env.activate({ product_id: P3, license_key: KEY(1), fingerprint: "pc" }, ip(1))).status, 200);
});

test("RATE_LIMIT_CHANGE_IP: activations + deactivations per client IP", async (t) => {
  const env = await setup(t, { ratelimits: limits({ RATE_LIMIT_CHANGE_IP: 2 }) });
  const key = KEY(1);
  const a = await env.activate({ product_id: P3, license_key: key, fingerprint: "a" }, ip(1));
  assert.equal(a.status, 200);
  assert.equal((await env.deactivate({ product_id: P3, license_key: key, instance_id: a.body.instance.id }, ip(1))).status, 200);
  const before = await env.requests();
  const r = await env.activate({ product_id: P3, license_key: key, fingerprint: "b" }, ip(1));
  assert.equal(r.status, 429, r.text);
  assert.equal(r.body.error.code, "rate_limited");
  retryAfter(r);
  const d = await env.deactivate({ product_id: P3, license_key: key, instance_id: "inst_x" }, ip(1));
  assert.equal(d.status, 429);
  assert.equal((await env.requests()).length, before.length, "refused changes never reach Gumroad");
  assert.equal((await env.verify({ product_id: P3, license_key: key }, ip(1))).status, 200, "verifies are not seat changes");
  assert.equal((await env.activate({ product_id: P3, license_key: key, fingerprint: "b" }, ip(2))).status, 200, "another client is not limited");
});

test("RATE_LIMIT_VERIFY_KEY: verifies per license, whatever the IP", async (t) => {
  const env = await setup(t, { ratelimits: limits({ RATE_LIMIT_VERIFY_KEY: 3 }) });
  for (let i = 0; i < 3; i++) assert.equal((await env.verify({ product_id: P3, license_key: KEY(1) }, ip(10 + i))).status, 200);
  const r = await env.verify({ product_id: P3, license_key: KEY(1).toLowerCase() }, ip(20));
  assert.equal(r.status, 429, r.text);
  assert.equal(r.body.error.code, "rate_limited");
  retryAfter(r);
  assert.equal((await env.verify({ product_id: P3, license_key: KEY(5) }, ip(20))).status, 200, "another license is not limited");
});

test("KEY_ACTIVATIONS_PER_HOUR: seat changes per license are counted exactly by the ledger", async (t) => {
  const env = await setup(t, { bindings: { KEY_ACTIVATIONS_PER_HOUR: "3" } });
  const key = KEY(1);
  const a = await env.activate({ product_id: P3, license_key: key, fingerprint: "a" }, ip(1));
  assert.equal((await env.deactivate({ product_id: P3, license_key: key, instance_id: a.body.instance.id }, ip(2))).status, 200);
  assert.equal((await env.activate({ product_id: P3, license_key: key, fingerprint: "b" }, ip(3))).status, 200);
  const usesBefore = await env.uses(key);
  const calls = (await env.requests()).length;
  const r = await env.activate({ product_id: P3, license_key: key, fingerprint: "c" }, ip(4));
  assert.equal(r.status, 429, r.text);
  assert.equal(r.body.error.code, "rate_limited");
  const wait = retryAfter(r, 3600);
  assert.ok(wait > 60, `Retry-After ${wait}: the hour window, not the minute`);
  const d = await env.deactivate({ product_id: P3, license_key: key, instance_id: "inst_x" }, ip(5));
  assert.equal(d.status, 429, "deactivations count too");
  assert.equal(await env.uses(key), usesBefore);
  assert.equal((await env.requests()).length, calls, "nothing sent upstream for refused changes");
  assert.equal((await env.activate({ product_id: P3, license_key: KEY(5), fingerprint: "c" }, ip(4))).status, 200, "another license is not limited");
  assert.equal((await env.verify({ product_id: P3, license_key: key })).status, 200);
});

test("missing rate-limit bindings: 500 misconfigured unless RATE_LIMITS=off", async (t) => {
  const env = await setup(t, { ratelimits: {} });
  for (const call of [() => env.verify({ product_id: P3, license_key: KEY(1) }), () => env.activate({ product_id: P3, license_key: KEY(1), fingerprint: "pc" })]) {
    const r = await call();
    assert.equal(r.status, 500, r.text);
    assert.equal(r.body.error.code, "misconfigured");
    for (const name of CONFIG_NAMES) assert.ok(!r.text.includes(name), `${name} in ${r.text}`);
  }
  assert.equal((await env.requests()).length, 0);
  const off = await setup(t, { ratelimits: {}, bindings: { RATE_LIMITS: "off" } });
  assert.equal((await off.verify({ product_id: P3, license_key: KEY(1) })).body.valid, true);
});

test("after an upstream 429 the Worker cools down: 503 with Retry-After, no upstream calls, then recovers", async (t) => {
  const env = await setup(t);
  // 3 s: longer than the client's 2 s worth waiting for, so it is not retried.
  await env.fault({ kind: "429", retry_after: 3, times: 1 });
  const started = Date.now();
  const first = await env.verify({ product_id: P3, license_key: KEY(1) });
  assert.equal(first.status, 503, first.text);
  assert.equal(first.body.error.code, "upstream_rate_limited");
  assert.equal(retryAfter(first), 3);
  const logged = (await env.requests()).length;
  assert.equal(logged, 1);
  const during = [
    await env.verify({ product_id: P3, license_key: KEY(5) }),
    await env.activate({ product_id: P3, license_key: KEY(5), fingerprint: "x" }),
    await env.verify({ product_id: P3, license_key: KEY(1) }),
  ];
  for (const r of during) {
    assert.equal(r.status, 503, r.text);
    assert.equal(r.body.error.code, "upstream_rate_limited");
    assert.ok(retryAfter(r) <= 3);
  }
  assert.equal((await env.requests()).length, logged, "no upstream call during the cool-down");
  await sleep(Math.max(0, 3200 - (Date.now() - started)));
  const after = await env.verify({ product_id: P3, license_key: KEY(5) });
  assert.equal(after.status, 200, after.text);
  assert.equal(after.body.valid, true);
  assert.equal((await env.verifyCalls(KEY(5))).length, 1, "called again once the cool-down passed");
});

test("every 503 carries a Retry-After of at most 60 (Gumroad's 86400 is clamped)", async (t) => {
  const env = await setup(t);
  const seen = [];
  await env.fault({ kind: "429", retry_after: 86400, times: 1 });
  const first = await env.verify({ product_id: P3, license_key: KEY(1) });
  seen.push(first);
  assert.equal(first.status, 503);
  assert.equal(first.headers.get("retry-after"), "60");
  seen.push(await env.verify({ product_id: P3, license_key: KEY(5) }));
  seen.push(await env.activate({ product_id: P3, license_key: KEY(5), fingerprint: "pc" }));
  seen.push(await env.deactivate({ product_id: P3, license_key: KEY(5), instance_id: "inst_x" }));
  seen.push(await env.instances({ product_id: P3, license_key: KEY(5) }));
  // A 429 without Retry-After (a fresh worker, no cool-down yet).
  const env2 = await setup(t);
  await env2.fault({ kind: "429", times: 5 });
  seen.push(await env2.verify({ product_id: P3, license_key: KEY(1) }));
  seen.push(await env2.verify({ product_id: P3, license_key: KEY(13) }));
  const with503 = seen.filter((r) => r.status === 503);
  assert.ok(with503.length >= 5, seen.map((r) => `${r.status} ${r.text}`).join("\n"));
  for (const r of with503) retryAfter(r, 60);
});

// ---- 6. attacks -------------------------------------------------------------------------------

/**
 * POSTs a lazily produced body (no Content-Length). The Worker may answer 413 before the upload
 * is done, or cut the connection: `{status, text}` or `{error}` (the connection error's code),
 * and `pulledAtAnswer`, how many bytes had been read from the body when either came. (After a
 * reset, undici goes on draining the source into nothing: only the count at the answer tells.)
 */
async function postStream(mf, p, body, headers) {
  try {
    const res = await mf.dispatchFetch(`http://worker.test${p}`, { method: "POST", headers, body: body.stream, duplex: "half" });
    const pulledAtAnswer = body.pulled();
    return { status: res.status, text: await res.text(), pulledAtAnswer };
  } catch (e) {
    return { error: e.cause?.code ?? String(e), pulledAtAnswer: body.pulled() };
  }
}

test("a chunked body over 4096 bytes is refused with 413 without being read whole (dispatchFetch)", async (t) => {
  const env = await setup(t);
  for (const p of ["/v1/licenses/verify", "/v1/licenses/activate", "/v1/licenses/deactivate", "/v1/licenses/instances"]) {
    // Small enough to be sent whole before the answer: the answer itself must be the 413.
    const small = lazyBody(64 * 1024, 4 * 1024);
    const r = await postStream(env.mf, p, small, { "content-type": "application/json" });
    assert.equal(r.status, 413, `${p}: ${JSON.stringify(r)}`);
    assert.equal(JSON.parse(r.text).error.code, "body_too_large");
    // 90 MB: answered 413 or cut long before the end.
    const big = lazyBody(90 * 1024 * 1024);
    const b = await postStream(env.mf, p, big, { "content-type": "application/json" });
    assert.ok(b.status === 413 || ["ECONNRESET", "EPIPE", "UND_ERR_SOCKET"].includes(b.error), `${p}: ${JSON.stringify(b)}`);
    if (b.status) assert.equal(JSON.parse(b.text).error.code, "body_too_large");
    assert.ok(b.pulledAtAnswer < 16 * 1024 * 1024, `${p}: ${b.pulledAtAnswer} bytes sent before the answer / cut`);
  }
  // With a Content-Length over the cap, no byte needs reading.
  const sized = await env.verify({ product_id: P3, license_key: KEY(1), pad: "x".repeat(5000) });
  assert.equal(sized.status, 413);
  assert.equal((await env.requests()).length, 0, "nothing reached Gumroad");
});

test("a 90 MB chunked upload over HTTP is cut or answered 413 early (verify and ping)", async (t) => {
  const env = await setup(t, { port: 0 });
  const total = 90 * 1024 * 1024;
  for (const [p, contentType] of [
    ["/v1/licenses/verify", "application/json"],
    [`/v1/gumroad/ping?secret=${PING_SECRET}`, "application/x-www-form-urlencoded"],
  ]) {
    const r = await streamChunked(new URL(p, env.url), { total, contentType });
    assert.ok(r.status === 413 || ["ECONNRESET", "EPIPE"].includes(r.error), `${p}: ${JSON.stringify(r)}`);
    if (r.status) assert.equal(JSON.parse(r.body).error.code, "body_too_large");
    assert.ok(r.sentAtAnswer < 32 * 1024 * 1024, `${p}: ${r.sentAtAnswer} bytes sent before the answer / cut`);
  }
  assert.equal((await env.requests()).length, 0);
});

test("the ping body cap is 64 KB, chunked or not", async (t) => {
  const env = await setup(t);
  const ping = `/v1/gumroad/ping?secret=${PING_SECRET}`;
  const small = lazyBody(128 * 1024, 16 * 1024);
  const r = await postStream(env.mf, ping, small, formHeaders);
  assert.equal(r.status, 413, JSON.stringify(r));
  assert.equal(JSON.parse(r.text).error.code, "body_too_large");
  const big = lazyBody(90 * 1024 * 1024);
  const b = await postStream(env.mf, ping, big, formHeaders);
  assert.ok(b.status === 413 || ["ECONNRESET", "EPIPE", "UND_ERR_SOCKET"].includes(b.error), JSON.stringify(b));
  assert.ok(b.pulledAtAnswer < 16 * 1024 * 1024, `${b.pulledAtAnswer} bytes sent before the answer / cut`);
  const sized = await env.ping({ resource_name: "refund", product_id: P3, license_key: KEY(1), pad: "x".repeat(70_000) });
  assert.equal(sized.status, 413);
  // Just under the cap is fine (and a real refund ping).
  const ok = await env.ping({ resource_name: "refund", product_id: P3, license_key: KEY(1), refunded: "true", pad: "x".repeat(60_000) });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.changed, true);
});

test("a cross-site POST from a disallowed Origin is refused before any work", async (t) => {
  const env = await setup(t, { bindings: { ALLOWED_ORIGINS: "https://app.example.com", MAX_USES: "1" } });
  const evil = { origin: "https://evil.example" };
  const form = `product_id=${encodeURIComponent(P3)}&license_key=${KEY(1)}&fingerprint=attacker`;
  const attempts = [
    await env.activate(form, { ...formHeaders, ...evil }),
    await env.activate({ product_id: P3, license_key: KEY(1), fingerprint: "attacker" }, evil),
    await env.activate({ product_id: P3, license_key: KEY(1), fingerprint: "attacker" }, { origin: "null" }),
    await env.verify(form, { ...formHeaders, ...evil }),
    await env.deactivate({ product_id: P3, license_key: KEY(1), instance_id: "inst_x" }, evil),
    await env.instances({ product_id: P3, license_key: KEY(1) }, evil),
  ];
  for (const r of attempts) {
    assert.equal(r.status, 403, r.text);
    assert.equal(r.body.error.code, "origin_not_allowed");
    assert.equal(r.headers.get("access-control-allow-origin"), null);
  }
  assert.equal((await env.requests()).length, 0, "the mock saw no request");
  assert.deepEqual(await env.instanceIds(KEY(1)), [], "no ledger change");
  assert.equal(await env.uses(KEY(1)), 0);
  // The allowed origin works (and gets CORS headers); the seat was not taken by the attacker.
  const ok = await env.activate({ product_id: P3, license_key: KEY(1), fingerprint: "mine" }, { origin: "https://app.example.com" });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.headers.get("access-control-allow-origin"), "https://app.example.com");
});

test("cache keys follow the settings: a changed EXPOSE_BUYER_EMAIL or GUMROAD_API_BASE is never served old entries", async (t) => {
  const env = await setup(t);
  const body = { product_id: P3, license_key: KEY(1) };
  const opts = (bindings) => ({
    modules: true,
    scriptPath: new URL("../../worker/src/index.js", import.meta.url).pathname,
    modulesRoot: new URL("../..", import.meta.url).pathname,
    modulesRules: [
      { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    compatibilityDate: "2026-04-01",
    bindings,
    durableObjects: { LICENSE_LEDGER: "LicenseLedger" },
    ratelimits: GENEROUS_LIMITS,
  });
  assert.equal((await env.verify(body)).headers.get("x-license-cache"), "miss");
  assert.equal((await env.verify(body)).headers.get("x-license-cache"), "hit");
  // Control: the cache survives setOptions when nothing that shapes answers changed.
  await env.mf.setOptions(opts({ ...env.bindings, CACHE_TTL_INVALID: "31", UNRELATED: "1" }));
  assert.equal((await env.verify(body)).headers.get("x-license-cache"), "hit", "control: the cache survives setOptions");
  await env.mf.setOptions(opts({ ...env.bindings, EXPOSE_BUYER_EMAIL: "true" }));
  const email = await env.verify(body);
  assert.equal(email.headers.get("x-license-cache"), "miss", "EXPOSE_BUYER_EMAIL changed: a new cache key");
  assert.equal(email.body.email, undefined);
  // Another upstream: a fake Gumroad that says this license is a purchase of another product.
  const fake = await fakeUpstream(t, () => purchaseAnswer(KEY(1), P4));
  await env.mf.setOptions(opts({ ...env.bindings, EXPOSE_BUYER_EMAIL: "true", GUMROAD_API_BASE: `${fake.url}/v2` }));
  const other = await env.verify(body);
  assert.equal(other.headers.get("x-license-cache"), "miss", "GUMROAD_API_BASE changed: a new cache key");
  assert.equal(fake.seen.length, 1, "the new upstream was asked");
  assert.deepEqual([other.body.valid, other.body.reason], [false, "not_found"]);
  // MAX_USES is part of the key too, and the grace period (an entry carries its tokens' exp).
  await env.mf.setOptions(opts({ ...env.bindings, MAX_USES: "7" }));
  assert.equal((await env.verify(body)).headers.get("x-license-cache"), "miss", "MAX_USES changed: a new cache key");
  assert.equal((await env.verify(body)).headers.get("x-license-cache"), "hit");
  await env.mf.setOptions(opts({ ...env.bindings, MAX_USES: "7", OFFLINE_GRACE_SECONDS: "3600" }));
  assert.equal((await env.verify(body)).headers.get("x-license-cache"), "miss", "OFFLINE_GRACE_SECONDS changed: a new cache key");
});

test("the buyer's e-mail only on activate (EXPOSE_BUYER_EMAIL=true), never in verify answers or the cache", async (t) => {
  const env = await setup(t, { bindings: { EXPOSE_BUYER_EMAIL: "true" } });
  const key = KEY(1);
  const v1 = await env.verify({ product_id: P3, license_key: key });
  assert.equal(v1.body.valid, true);
  assert.ok(!v1.text.includes("@"), v1.text);
  const a = await env.activate({ product_id: P3, license_key: key, fingerprint: "laptop" });
  assert.equal(a.body.email, "active@example.com");
  const reinstall = await env.activate({ product_id: P3, license_key: key, fingerprint: "laptop" });
  assert.equal(reinstall.body.email, "active@example.com");
  for (let i = 0; i < 2; i++) {
    const v = await env.verify({ product_id: P3, license_key: key, ...(i ? { instance_id: a.body.instance.id, fingerprint: "laptop" } : {}) });
    assert.equal(v.body.valid, true);
    assert.ok(!v.text.includes("@"), `verify (${v.headers.get("x-license-cache")}): ${v.text}`);
  }
  const hit = await env.verify({ product_id: P3, license_key: key });
  assert.equal(hit.headers.get("x-license-cache"), "hit");
  assert.ok(!hit.text.includes("@"), hit.text);
  assert.ok(!(await env.instances({ product_id: P3, license_key: key })).text.includes("@"));
  const off = await setup(t);
  const plain = await off.activate({ product_id: P3, license_key: key, fingerprint: "laptop" });
  assert.equal(plain.status, 200);
  assert.equal(plain.body.email, undefined, "no e-mail by default");
});

test("misconfiguration: a bare 500 misconfigured; the details go to the logs only", async (t) => {
  const mock = await startMock();
  t.after(() => mock.stop());
  const base = withDefaults(mock, {});
  const { GUMROAD_PRODUCT_IDS, ...noProducts } = base;
  const cases = [
    ["no products", { bindings: noProducts }, /GUMROAD_PRODUCT_IDS/],
    ["bad MAX_USES", { bindings: { ...base, MAX_USES: "many" } }, /MAX_USES/],
    ["short PING_SECRET", { bindings: { ...base, PING_SECRET: "s".repeat(31) } }, /PING_SECRET/],
    ["no limiter", { bindings: base, ratelimits: {} }, /RATE_LIMIT_VERIFY_IP/],
    ["no ledger", { bindings: base, ledger: false }, /LICENSE_LEDGER/],
  ];
  for (const [label, opts, detail] of cases) {
    const { mf, logs } = await loggedWorker(t, opts);
    const r = await postTo(mf, "/v1/licenses/verify", { product_id: P3, license_key: KEY(1) });
    assert.equal(r.status, 500, `${label}: ${r.text}`);
    assert.equal(r.body.error.code, "misconfigured", label);
    for (const name of CONFIG_NAMES) assert.ok(!r.text.includes(name), `${label}: ${name} in ${r.text}`);
    assert.ok(await eventually(() => detail.test(logs())), `${label}: the log says why: ${JSON.stringify(logs())}`);
    await mf.dispose();
  }
  // Deactivation without seller credentials: refused, nothing changed upstream or in the ledger.
  const { GUMROAD_ACCESS_TOKEN, ...noToken } = base;
  const { mf, logs } = await loggedWorker(t, { bindings: noToken });
  const a = await postTo(mf, "/v1/licenses/activate", { product_id: P3, license_key: KEY(1), fingerprint: "x" });
  assert.equal(a.status, 200);
  const d = await postTo(mf, "/v1/licenses/deactivate", { product_id: P3, license_key: KEY(1), instance_id: a.body.instance.id });
  assert.equal(d.status, 500, d.text);
  assert.equal(d.body.error.code, "misconfigured");
  for (const name of CONFIG_NAMES) assert.ok(!d.text.includes(name), `${name} in ${d.text}`);
  assert.ok(await eventually(() => /GUMROAD_ACCESS_TOKEN|MATON_API_KEY/.test(logs())), logs());
  const list = await postTo(mf, "/v1/licenses/instances", { product_id: P3, license_key: KEY(1) });
  assert.equal(list.body.instances.length, 1);
  const log = (await (await fetch(`${mock.url}/__mock/requests`)).json()).requests;
  assert.equal(log.filter((r) => r.path.includes("decrement")).length, 0);
});

test("PING_SECRET shorter than 32 characters is refused on every route; 32 is enough", async (t) => {
  const short = await setup(t, { bindings: { PING_SECRET: "s".repeat(31) } });
  const answers = [
    await short.ping({ resource_name: "refund", product_id: P3, license_key: KEY(1) }, "s".repeat(31)),
    await short.verify({ product_id: P3, license_key: KEY(1) }),
    await short.activate({ product_id: P3, license_key: KEY(1) }),
    await short.mf.dispatchFetch("http://worker.test/healthz").then((r) => r.text().then((text) => ({ status: r.status, text }))),
  ];
  for (const r of answers) {
    assert.equal(r.status, 500, r.text);
    assert.equal(JSON.parse(r.text).error.code, "misconfigured");
    assert.ok(!r.text.includes("PING_SECRET"));
  }
  assert.equal((await short.requests()).length, 0);
  const ok = await setup(t, { bindings: { PING_SECRET: "s".repeat(32) } });
  const p = await ok.ping({ resource_name: "sale", product_id: P3, license_key: KEY(1) }, "s".repeat(32));
  assert.equal(p.status, 200, p.text);
  assert.equal(p.body.ok, true);
});

test("a purchase of another product does not unlock this one (product id mismatch)", async (t) => {
  const fake = await fakeUpstream(t, () => purchaseAnswer(KEY(1), P4));
  const mock = await startMock();
  t.after(() => mock.stop());
  const { mf } = await loggedWorker(t, { bindings: withDefaults(mock, { GUMROAD_API_BASE: `${fake.url}/v2`, GUMROAD_PRODUCT_IDS: P3 }) });
  const v = await postTo(mf, "/v1/licenses/verify", { license_key: KEY(1) });
  assert.equal(v.status, 200, v.text);
  assert.deepEqual([v.body.valid, v.body.reason, v.body.product_id], [false, "not_found", P3]);
  const a = await postTo(mf, "/v1/licenses/activate", { license_key: KEY(1), fingerprint: "x" });
  assert.deepEqual([a.status, a.body.valid, a.body.reason, a.body.instance], [200, false, "not_found", undefined]);
  assert.ok(fake.seen.length >= 1);
  assert.ok(fake.seen.every((r) => !r.body.includes("increment_uses_count=true")), "no use counted for another product's purchase");
});

// Single-flight: 20 concurrent verifies of a valid key reach the ledger over ~100 ms; every one
// that arrives before the leader's answer takes it (an earlier version shared only with requests
// that arrived before the call started, and made a second call).
test("single-flight: 20 concurrent verifies of one valid key make one upstream call (latency 300 ms)", async (t) => {
  const env = await setup(t);
  await env.fault({ kind: "latency", latency_ms: 300 });
  const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => env.verify({ product_id: P3, license_key: KEY(1) }, ip(i))));
  for (const a of answers) assert.deepEqual([a.status, a.body.valid, a.body.reason], [200, true, "ok"], a.text);
  assert.equal((await env.verifyCalls(KEY(1))).length, 1, "upstream verify calls");
});

// Not single-flight: an invalid verdict is kept by the ledger (re-asked after
// max(CACHE_TTL_INVALID, 30) s), so the queued requests are answered without a call.
test("concurrent verifies of an invalid key: the ledger's noted verdict answers the queue", async (t) => {
  const env = await setup(t);
  await env.fault({ kind: "latency", latency_ms: 300 });
  const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => env.verify({ product_id: P3, license_key: KEY(4) }, ip(i))));
  for (const a of answers) assert.deepEqual([a.status, a.body.valid, a.body.reason], [200, false, "disputed"], a.text);
  assert.equal((await env.verifyCalls(KEY(4))).length, 1);
});

// The same, deterministically: followers that arrive while a slow leader's call (3 s) is in
// flight wait as long as it takes and take its answer (one upstream call, answers at ~3 s).
test("single-flight with a slow leader (3 s): followers arriving during its call take its answer", async (t) => {
  const env = await setup(t, { bindings: { UPSTREAM_TIMEOUT_MS: "20000" } });
  await env.fault({ kind: "latency", latency_ms: 3000 });
  const started = Date.now();
  const leader = env.verify({ product_id: P3, license_key: KEY(1) }, ip(0));
  await sleep(500);
  const followers = await Promise.all(Array.from({ length: 19 }, (_, i) => env.verify({ product_id: P3, license_key: KEY(1) }, ip(i + 1))));
  const answers = [await leader, ...followers];
  const elapsed = Date.now() - started;
  for (const a of answers) assert.deepEqual([a.status, a.body.valid, a.body.reason], [200, true, "ok"], a.text);
  const calls = (await env.verifyCalls(KEY(1))).length;
  assert.equal(calls, 1, `no second upstream call (all answered after ${elapsed} ms)`);
  assert.ok(elapsed < 5000, `followers did not wait for a call of their own (${elapsed} ms)`);
});

// ---- 7. count changes whose answer was lost ---------------------------------------------------

/** Faults for an activation: its first verify (which does not count) passes, then `faults`. */
async function faultCountingCall(env, ...faults) {
  await env.fault({ kind: "latency", latency_ms: 0, times: 1 });
  for (const f of faults) await env.fault(f);
}

for (const kind of ["drop_after", "truncate"]) {
  test(`${kind} on the counting call: Gumroad counted, so the instance is granted`, async (t) => {
    const env = await setup(t, { bindings: { MAX_USES: "3" } });
    const key = KEY(1);
    await faultCountingCall(env, { kind, times: 1 });
    const a = await env.activate({ product_id: P3, license_key: key, fingerprint: "laptop" });
    await env.clearFaults();
    const counting = await env.countingCalls(key);
    assert.equal(counting.length, 1, "the counting call is never resent");
    assert.equal(counting[0].status, kind === "drop_after" ? 0 : 200, "the fault hit the counting call");
    assert.equal(a.status, 200, a.text);
    assert.equal(a.body.uses, 1);
    assert.equal(await env.uses(key), 1);
    assert.deepEqual(await env.instanceIds(key), [a.body.instance.id], "mock uses == active instances");
    const again = await env.activate({ product_id: P3, license_key: key, fingerprint: "laptop" });
    assert.equal(again.body.instance.id, a.body.instance.id);
    assert.equal(await env.uses(key), 1);
  });
}

test("drop on the counting call (not handled): an error, nothing granted, nothing pending", async (t) => {
  const env = await setup(t, { bindings: { MAX_USES: "3" } });
  const key = KEY(1);
  await faultCountingCall(env, { kind: "drop", times: 1 });
  const a = await env.activate({ product_id: P3, license_key: key, fingerprint: "laptop" });
  await env.clearFaults();
  assert.ok([502, 503, 504].includes(a.status), a.text);
  retryAfter(a);
  assert.equal(await env.uses(key), 0);
  assert.deepEqual(await env.instanceIds(key), [], "mock uses (0) == active instances");
  const retry = await env.activate({ product_id: P3, license_key: key, fingerprint: "laptop" });
  assert.equal(retry.status, 200);
  assert.equal(await env.uses(key), 1);
  assert.deepEqual(await env.instanceIds(key), [retry.body.instance.id]);
});

test("read-back fails too (drop_after, then drop): pending; the next verify settles it (counted)", async (t) => {
  const env = await setup(t, { bindings: { MAX_USES: "3" } });
  const key = KEY(1);
  // The read-back is a safe call, retried once: drop both attempts.
  await faultCountingCall(env, { kind: "drop_after", times: 1 }, { kind: "drop", times: 2 });
  const a = await env.activate({ product_id: P3, license_key: key, fingerprint: "laptop" });
  assert.equal((await env.control("GET", "/faults")).faults.every((f) => f.times === 0), true, "every fault was used");
  await env.clearFaults();
  assert.ok([502, 503, 504].includes(a.status), a.text);
  retryAfter(a);
  assert.equal(await env.uses(key), 1, "Gumroad counted the use");
  const v = await env.verify({ product_id: P3, license_key: key });
  assert.deepEqual([v.status, v.body.valid], [200, true], v.text);
  assert.equal(v.body.uses, 1);
  const listed = await env.instanceIds(key);
  assert.equal(listed.length, 1, "settled: the counted instance is active (mock uses == instances)");
  // The device retries: it gets the settled instance, no second use.
  const retry = await env.activate({ product_id: P3, license_key: key, fingerprint: "laptop" });
  assert.equal(retry.status, 200);
  assert.equal(retry.body.instance.id, listed[0]);
  assert.equal(await env.uses(key), 1);
  assert.equal((await env.countingCalls(key)).length, 1);
});

test("a pending change does not hide a key Gumroad has since disabled: verify answers disabled", async (t) => {
  const env = await setup(t, { bindings: { MAX_USES: "3" } });
  const key = KEY(1);
  await faultCountingCall(env, { kind: "drop_after", times: 1 }, { kind: "drop", times: 2 });
  const a = await env.activate({ product_id: P3, license_key: key, fingerprint: "laptop" });
  await env.clearFaults();
  assert.ok([502, 503, 504].includes(a.status), a.text);
  // The seller disables the key on Gumroad before anything settles the change.
  const off = await fetch(`${env.mock.url}/v2/licenses/disable`, {
    method: "PUT",
    headers: { authorization: "Bearer demo-token-full", "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ product_id: P3, license_key: key }),
  });
  assert.equal(off.status, 200);
  const v = await env.verify({ product_id: P3, license_key: key });
  assert.deepEqual([v.status, v.body.valid, v.body.reason], [200, false, "disabled"], v.text);
});

test("read-back fails (drop, then drop): pending; the next activation settles it as not counted", async (t) => {
  const env = await setup(t, { bindings: { MAX_USES: "1" } });
  const key = KEY(1);
  await faultCountingCall(env, { kind: "drop", times: 1 }, { kind: "drop", times: 2 });
  const a = await env.activate({ product_id: P3, license_key: key, fingerprint: "laptop" });
  await env.clearFaults();
  assert.ok([502, 503, 504].includes(a.status), a.text);
  assert.equal(await env.uses(key), 0);
  // Another device takes the only seat: the pending change settles first (not counted: no seat).
  const b = await env.activate({ product_id: P3, license_key: key, fingerprint: "desktop" });
  assert.equal(b.status, 200, b.text);
  assert.equal(await env.uses(key), 1);
  assert.deepEqual(await env.instanceIds(key), [b.body.instance.id]);
});

test("the retried activation settles a pending change first: one device, one use", async (t) => {
  const env = await setup(t, { bindings: { MAX_USES: "1" } });
  const key = KEY(1);
  await faultCountingCall(env, { kind: "drop_after", times: 1 }, { kind: "drop", times: 2 });
  const a = await env.activate({ product_id: P3, license_key: key, fingerprint: "laptop" });
  await env.clearFaults();
  assert.ok([502, 503, 504].includes(a.status), a.text);
  const retry = await env.activate({ product_id: P3, license_key: key, fingerprint: "laptop" });
  assert.equal(retry.status, 200, retry.text);
  assert.equal(await env.uses(key), 1);
  assert.equal((await env.countingCalls(key)).length, 1);
  const other = await env.activate({ product_id: P3, license_key: key, fingerprint: "desktop" });
  assert.equal(other.status, 409, "the settled instance holds the only seat");
  assert.deepEqual(await env.instanceIds(key), [retry.body.instance.id]);
});

// The device list is a request like any other: it settles a pending change first, so it never
// shows fewer devices than Gumroad counted.
test("the instances route, as the next request, settles a pending change first", async (t) => {
  const env = await setup(t, { bindings: { MAX_USES: "3" } });
  const key = KEY(1);
  await faultCountingCall(env, { kind: "drop_after", times: 1 }, { kind: "drop", times: 2 });
  const a = await env.activate({ product_id: P3, license_key: key, fingerprint: "laptop" });
  await env.clearFaults();
  assert.ok([502, 503, 504].includes(a.status), a.text);
  assert.equal(await env.uses(key), 1);
  const listed = await env.instanceIds(key);
  assert.equal(listed.length, 1, `mock uses 1, instances route lists ${JSON.stringify(listed)}`);
});

test("drop_after on the decrement: settled from the count read back, the seat is freed once", async (t) => {
  const env = await setup(t, { bindings: { MAX_USES: "1" } });
  const key = KEY(1);
  const a = await env.activate({ product_id: P3, license_key: key, fingerprint: "laptop" });
  assert.equal(a.status, 200);
  await env.control("POST", "/faults", { kind: "drop_after", path: "/licenses/decrement_uses_count", times: 1 });
  const d = await env.deactivate({ product_id: P3, license_key: key, instance_id: a.body.instance.id });
  await env.clearFaults();
  const puts = await env.decrementCalls(key);
  assert.equal(puts.length, 1, "the decrement is never resent");
  assert.equal(puts[0].status, 0, "the fault hit the decrement");
  assert.equal(d.status, 200, d.text);
  assert.deepEqual(d.body, { deactivated: true, uses: 0 });
  assert.equal(await env.uses(key), 0);
  assert.deepEqual(await env.instanceIds(key), []);
  assert.equal((await env.activate({ product_id: P3, license_key: key, fingerprint: "desktop" })).status, 200);
  assert.equal(await env.uses(key), 1);
});

test("drop on the decrement (not handled): an error, the instance stays, counts agree", async (t) => {
  const env = await setup(t, { bindings: { MAX_USES: "1" } });
  const key = KEY(1);
  const a = await env.activate({ product_id: P3, license_key: key, fingerprint: "laptop" });
  await env.control("POST", "/faults", { kind: "drop", path: "/licenses/decrement_uses_count", times: 1 });
  const d = await env.deactivate({ product_id: P3, license_key: key, instance_id: a.body.instance.id });
  await env.clearFaults();
  assert.ok([502, 503, 504].includes(d.status), d.text);
  retryAfter(d);
  assert.equal(await env.uses(key), 1);
  assert.deepEqual(await env.instanceIds(key), [a.body.instance.id]);
  const again = await env.deactivate({ product_id: P3, license_key: key, instance_id: a.body.instance.id });
  assert.equal(again.status, 200, again.text);
  assert.equal(await env.uses(key), 0);
  assert.deepEqual(await env.instanceIds(key), []);
});
