// The seller's admin routes (POST /v1/admin/licenses/{instances,deactivate,unrevoke}) behind
// ADMIN_TOKEN, against the real Worker in workerd: what support can do that a buyer cannot
// (free a seat with no cool-down, lift a revocation), and that nobody else can.
import { test } from "node:test";
import assert from "node:assert/strict";
import { P3, KEY, CONFIG_NAMES, setup, signingKey, fakeUpstream, purchaseAnswer, sleep } from "./helpers.mjs";

const ADMIN_TOKEN = "admin-0123456789abcdef0123456789abcdef";
const auth = (token = ADMIN_TOKEN) => ({ authorization: `Bearer ${token}` });
const admin = (env, route, body, headers = auth()) => env.post(`/v1/admin/licenses/${route}`, body, headers);

test("without ADMIN_TOKEN the admin routes do not exist; with it, a missing or wrong token is 401", async (t) => {
  const off = await setup(t);
  for (const route of ["instances", "deactivate", "unrevoke"]) {
    const r = await admin(off, route, { license_key: KEY(1), product_id: P3 });
    assert.deepEqual([r.status, r.body.error.code], [404, "not_found"], route);
  }
  const env = await setup(t, { bindings: { ADMIN_TOKEN } });
  const body = { license_key: KEY(1), product_id: P3 };
  for (const headers of [{}, auth("admin-0123456789abcdef0123456789abcdeX"), auth(""), { authorization: ADMIN_TOKEN }, { authorization: `Basic ${ADMIN_TOKEN}` }, auth(`${ADMIN_TOKEN}x`)]) {
    const r = await admin(env, "instances", body, headers);
    assert.deepEqual([r.status, r.body.error.code], [401, "unauthorized"], JSON.stringify(headers));
    assert.equal(r.headers.get("www-authenticate"), "Bearer");
    assert.ok(!r.text.includes(ADMIN_TOKEN.slice(0, 20)), "the token is never echoed");
  }
  assert.equal((await env.requests()).length, 0, "nothing reached Gumroad");
  const ok = await admin(env, "instances", body, { authorization: `bearer  ${ADMIN_TOKEN}` });
  assert.equal(ok.status, 200, `the scheme is case-insensitive: ${ok.text}`);
  // Too short a token is a misconfiguration, answered bare on every route.
  const short = await setup(t, { bindings: { ADMIN_TOKEN: "short" } });
  const r = await short.verify(body);
  assert.deepEqual([r.status, r.body.error.code], [500, "misconfigured"]);
  for (const name of CONFIG_NAMES.concat(["ADMIN_TOKEN"])) assert.ok(!r.text.includes(name), name);
});

test("admin instances shows devices, cooling seats and revocations; admin deactivate frees a seat at once", async (t) => {
  const k = await signingKey();
  const env = await setup(t, { bindings: { ADMIN_TOKEN, MAX_USES: "1", LICENSE_SIGNING_KEY: k.secret } });
  const key = KEY(1);
  const lic = { product_id: P3, license_key: key };
  const a = await env.activate({ ...lic, fingerprint: "laptop", instance_name: "Ann's laptop" });
  assert.equal(a.status, 200);
  const list = await admin(env, "instances", lic);
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.body.instances.map((i) => [i.id, i.name]), [[a.body.instance.id, "Ann's laptop"]]);
  assert.ok(Date.parse(list.body.instances[0].activated_at) <= Date.now());
  assert.ok(Date.parse(list.body.instances[0].offline_until) > Date.now() + 6 * 86400_000, "when its offline tokens run out");
  assert.deepEqual(list.body.cooling, []);
  // The seller frees the seat: no cool-down, the buyer's next computer is in at once, and the
  // move stays unspent.
  const usesBefore = await env.uses(key);
  const d = await admin(env, "deactivate", { ...lic, instance_id: a.body.instance.id });
  assert.deepEqual([d.status, d.body.deactivated], [200, true], d.text);
  assert.equal(await env.uses(key), usesBefore - 1, "the use is given back upstream");
  const b = await env.activate({ ...lic, fingerprint: "desktop" });
  assert.equal(b.status, 200, b.text);
  // A buyer's deactivation cools; the move takes the next computer; the seller ends the cooling.
  assert.equal((await env.deactivate({ ...lic, instance_id: b.body.instance.id })).status, 200);
  const c = await env.activate({ ...lic, fingerprint: "tablet" });
  assert.equal(c.status, 200, "the move");
  assert.equal((await env.deactivate({ ...lic, instance_id: c.body.instance.id })).status, 200);
  assert.equal((await env.activate({ ...lic, fingerprint: "phone" })).status, 409);
  const cooling = (await admin(env, "instances", lic)).body.cooling;
  assert.deepEqual(cooling.map((x) => [x.id, x.moved]).sort(), [[b.body.instance.id, true], [c.body.instance.id, false]].sort());
  for (const x of cooling) {
    const r = await admin(env, "deactivate", { ...lic, instance_id: x.id });
    assert.deepEqual(r.body, { deactivated: true, cooling_ended: true });
  }
  assert.equal((await env.activate({ ...lic, fingerprint: "phone" })).status, 200, "the seller's decision frees the seat now");
  const missing = await admin(env, "deactivate", lic);
  assert.deepEqual([missing.status, missing.body.error.code], [400, "missing_instance_id"]);
  const unknown = await admin(env, "deactivate", { ...lic, instance_id: "inst_never" });
  assert.deepEqual([unknown.status, unknown.body.error.code], [404, "unknown_instance"]);
  // The buyer's routes never show the names of this list's internals.
  assert.ok(!(await env.instances(lic)).text.includes("offline_until"));
});

test("admin unrevoke lifts a lasting revocation; then Gumroad decides at the next verify", async (t) => {
  let chargebacked = false;
  const fake = await fakeUpstream(t, (body) => purchaseAnswer(new URLSearchParams(body).get("license_key"), P3, { chargebacked, disputed: chargebacked }));
  const env = await setup(t, { bindings: { ADMIN_TOKEN, GUMROAD_API_BASE: `${fake.url}/v2`, CACHE_TTL_VALID: "0", CACHE_TTL_INVALID: "0", RECHECK_SECONDS: "1" } });
  const lic = { product_id: P3, license_key: KEY(1) };
  assert.equal((await env.activate({ ...lic, fingerprint: "pc" })).body.valid, true);
  // A chargeback: Gumroad says so when the ping makes the ledger ask.
  chargebacked = true;
  const p = await env.ping({ resource_name: "dispute", ...lic, chargebacked: "true" });
  assert.deepEqual(p.body, { ok: true, type: "dispute", changed: true });
  // Gumroad later answers valid (the chargeback reversed) but sends no ping the Worker acts on.
  chargebacked = false;
  await sleep(1200);
  assert.equal((await env.verify(lic)).body.reason, "chargebacked", "lasting: confirmed by Gumroad, not rechecked");
  const shown = (await admin(env, "instances", lic)).body.revoked;
  assert.deepEqual([shown.reason, shown.lasting, shown.standing], ["chargebacked", true, true]);
  const u = await admin(env, "unrevoke", lic);
  assert.deepEqual(u.body, { unrevoked: true, reason: "chargebacked" });
  const v = await env.verify(lic);
  assert.deepEqual([v.body.valid, v.body.reason], [true, "ok"], "Gumroad decided again");
  assert.deepEqual((await admin(env, "unrevoke", lic)).body, { unrevoked: false });
});

test("a confirmed dispute_won lifts a lasting chargeback without the seller", async (t) => {
  let chargebacked = true;
  const fake = await fakeUpstream(t, (body) => purchaseAnswer(new URLSearchParams(body).get("license_key"), P3, { chargebacked, disputed: true, dispute_won: !chargebacked }));
  const env = await setup(t, { bindings: { GUMROAD_API_BASE: `${fake.url}/v2`, CACHE_TTL_VALID: "0", CACHE_TTL_INVALID: "0" } });
  const lic = { product_id: P3, license_key: KEY(1) };
  await env.ping({ resource_name: "dispute", ...lic, chargebacked: "true" });
  assert.equal((await env.verify(lic)).body.reason, "chargebacked");
  // A forged dispute_won while Gumroad still says charged back changes nothing.
  assert.deepEqual((await env.ping({ resource_name: "dispute_won", ...lic })).body.changed, false);
  assert.equal((await env.verify(lic)).body.reason, "chargebacked");
  chargebacked = false;
  assert.deepEqual((await env.ping({ resource_name: "dispute_won", ...lic })).body.changed, true);
  assert.deepEqual(await env.verify(lic).then((v) => [v.body.valid, v.body.reason]), [true, "ok"]);
});
