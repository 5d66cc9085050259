// A seat is one device, online and offline: the attacks of the security review (findings 1, 2
// and 6) against the real Worker in workerd, each performed and shown to fail. Tokens are
// checked offline the way an app does, with the package's verifyLicenseToken bound to product,
// key, instance, device and issuer.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { P3, KEY, setup, signingKey, claimsOf, fakeUpstream, purchaseAnswer, sleep, repoRoot } from "./helpers.mjs";

const { verifyLicenseToken } = await import(path.join(repoRoot, "dist/pkg/entries/license.js"));
const ISSUER = "http://worker.test";
const ip = (n) => ({ "cf-connecting-ip": `198.51.100.${n}` });

/** Whether `token` unlocks `device` offline on `instanceId`, as an app with `jwks` checks it. */
async function unlocksOffline(token, { jwks, key, instanceId, fingerprint, now }) {
  if (typeof token !== "string") return false;
  const r = await verifyLicenseToken(token, { jwks, productId: P3, licenseKey: key, instanceId, fingerprint, issuer: ISSUER, now });
  return r.valid;
}

test("finding 1, seat churn: 10 activate/deactivate cycles at MAX_USES=3 leave at most 4 tokens that verify offline", async (t) => {
  const k = await signingKey();
  const env = await setup(t, { bindings: { MAX_USES: "3", LICENSE_SIGNING_KEY: k.secret } });
  const key = KEY(1);
  const held = [];
  const answers = [];
  for (let i = 0; i < 10; i++) {
    const fingerprint = `fp-${i}`;
    const a = await env.activate({ product_id: P3, license_key: key, fingerprint }, ip(i));
    answers.push(a);
    if (a.status !== 200) continue;
    held.push({ token: a.body.token, instanceId: a.body.instance.id, fingerprint });
    const d = await env.deactivate({ product_id: P3, license_key: key, instance_id: a.body.instance.id }, ip(i));
    assert.equal(d.status, 200, d.text);
  }
  // Three free seats, then the one move; every later activation waits for tokens to expire.
  assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 200, 409, 409, 409, 409, 409, 409]);
  for (const r of answers.slice(4)) {
    assert.equal(r.body.error.code, "activation_limit_reached");
    assert.deepEqual([r.body.error.limit, r.body.error.active], [3, 0]);
    const wait = r.body.error.retry_after;
    assert.ok(wait > 7 * 86400 - 120 && wait <= 7 * 86400, `retry_after ${wait}: until the oldest freed seat's token expires`);
    assert.equal(r.headers.get("retry-after"), String(wait));
  }
  let live = 0;
  for (const h of held) if (await unlocksOffline(h.token, { jwks: k.jwks, key, instanceId: h.instanceId, fingerprint: h.fingerprint })) live++;
  assert.equal(live, 4, "three seats plus one move");
  // The public device list shows when the seats free again.
  const list = await env.instances({ product_id: P3, license_key: key });
  assert.equal(list.body.instances.length, 0);
  assert.equal(list.body.cooling.length, 3, "three seats still held by offline tokens (the moved-from one no longer counts)");
  assert.equal(list.body.move_available, false);
  for (const c of list.body.cooling) assert.ok(Date.parse(c.free_at) > Date.now() + 6 * 86400_000, c.free_at);
});

test("a freed seat is taken again once its tokens have expired; the move comes back with the moved-from device's expiry", async (t) => {
  const k = await signingKey();
  const env = await setup(t, { bindings: { MAX_USES: "1", LICENSE_SIGNING_KEY: k.secret, OFFLINE_GRACE_SECONDS: "3", CACHE_TTL_VALID: "0" } });
  const key = KEY(1);
  const activate = (fingerprint) => env.activate({ product_id: P3, license_key: key, fingerprint });
  const deactivate = (instance_id) => env.deactivate({ product_id: P3, license_key: key, instance_id });
  const a = await activate("old-laptop");
  assert.equal(a.status, 200);
  // The same computer deactivated and activated again takes its own seat back: no move spent.
  assert.equal((await deactivate(a.body.instance.id)).status, 200);
  const again = await activate("old-laptop");
  assert.equal(again.status, 200, again.text);
  // Moving to a new computer is immediate (the move)...
  assert.equal((await deactivate(again.body.instance.id)).status, 200);
  const b = await activate("new-laptop");
  assert.equal(b.status, 200, b.text);
  // ...and moving again must wait for the old laptop's tokens (3 s).
  assert.equal((await deactivate(b.body.instance.id)).status, 200);
  const c = await activate("third");
  assert.equal(c.status, 409, c.text);
  const wait = c.body.error.retry_after;
  assert.ok(wait >= 1 && wait <= 3, `retry_after ${wait}`);
  await sleep(wait * 1000 + 300);
  const later = await activate("third");
  assert.equal(later.status, 200, `after retry_after: ${later.text}`);
  // Without a signing key there are no offline tokens, so nothing cools down.
  const plain = await setup(t, { bindings: { MAX_USES: "1" } });
  for (let i = 0; i < 4; i++) {
    const x = await plain.activate({ product_id: P3, license_key: key, fingerprint: `pc-${i}` });
    assert.equal(x.status, 200, x.text);
    assert.equal((await plain.deactivate({ product_id: P3, license_key: key, instance_id: x.body.instance.id })).status, 200);
  }
});

test("a verify's token keeps the seat held: the cool-down runs from the last token the device got", async (t) => {
  const k = await signingKey();
  const env = await setup(t, { bindings: { MAX_USES: "1", LICENSE_SIGNING_KEY: k.secret, OFFLINE_GRACE_SECONDS: "4", CACHE_TTL_VALID: "0" } });
  const key = KEY(1);
  const a = await env.activate({ product_id: P3, license_key: key, fingerprint: "pc-a" });
  await sleep(2000);
  const v = await env.verify({ product_id: P3, license_key: key, instance_id: a.body.instance.id, fingerprint: "pc-a" });
  assert.equal(v.body.valid, true);
  const vExp = claimsOf(v.body.token).exp;
  assert.ok(vExp > claimsOf(a.body.token).exp, "the verify's token lasts longer");
  assert.equal((await env.deactivate({ product_id: P3, license_key: key, instance_id: a.body.instance.id })).status, 200);
  // Spend the move, then free that seat too: the next one waits for the verify's token.
  const b = await env.activate({ product_id: P3, license_key: key, fingerprint: "pc-b" });
  assert.equal((await env.deactivate({ product_id: P3, license_key: key, instance_id: b.body.instance.id })).status, 200);
  const c = await env.activate({ product_id: P3, license_key: key, fingerprint: "pc-c" });
  assert.equal(c.status, 409);
  const wait = c.body.error.retry_after;
  const untilA = vExp - Math.floor(Date.now() / 1000);
  assert.ok(Math.abs(wait - untilA) <= 1, `retry_after ${wait}, pc-a's last token expires in ${untilA}`);
});

test("finding 2, a seat is a device: another machine naming a listed instance gets wrong_device and no usable token", async (t) => {
  const k = await signingKey();
  const env = await setup(t, { bindings: { MAX_USES: "3", LICENSE_SIGNING_KEY: k.secret, CACHE_TTL_VALID: "300" } });
  const key = KEY(1);
  const a = await env.activate({ product_id: P3, license_key: key, fingerprint: "owner-laptop" });
  assert.equal(a.status, 200);
  // Any key holder can list the instances...
  const [listed] = (await env.instances({ product_id: P3, license_key: key })).body.instances;
  assert.equal(listed.id, a.body.instance.id);
  // ...but cannot answer for one without its device, neither from the ledger nor from a cache.
  const bare = await env.verify({ product_id: P3, license_key: key, instance_id: listed.id });
  assert.deepEqual([bare.status, bare.body.error.code], [400, "missing_fingerprint"]);
  const owner = await env.verify({ product_id: P3, license_key: key, instance_id: listed.id, fingerprint: "owner-laptop" });
  assert.deepEqual([owner.body.valid, owner.headers.get("x-license-cache")], [true, "miss"]);
  await sleep(300); // the cache write runs after the answer
  for (const expected of ["hit", "hit"]) {
    const thief = await env.verify({ product_id: P3, license_key: key, instance_id: listed.id, fingerprint: "thief-desktop" });
    assert.deepEqual([thief.body.valid, thief.body.reason, thief.headers.get("x-license-cache")], [false, "wrong_device", expected]);
    assert.equal(await unlocksOffline(thief.body.token, { jwks: k.jwks, key, instanceId: listed.id, fingerprint: "thief-desktop" }), false);
    assert.equal(claimsOf(thief.body.token).valid, false);
  }
  // The owner's own token does not unlock the thief's machine either (its device is the owner's).
  assert.equal(await unlocksOffline(owner.body.token, { jwks: k.jwks, key, instanceId: listed.id, fingerprint: "thief-desktop" }), false);
  assert.equal(await unlocksOffline(owner.body.token, { jwks: k.jwks, key, instanceId: listed.id, fingerprint: "owner-laptop" }), true);
});

test("finding 6, seat downgrades: with MAX_USES lowered, the newest instances answer over_seat_limit and get no token that unlocks", async (t) => {
  const k = await signingKey();
  const env = await setup(t, { bindings: { MAX_USES: "3", LICENSE_SIGNING_KEY: k.secret, CACHE_TTL_VALID: "0" } });
  const key = KEY(1);
  const ids = [];
  for (const fp of ["first", "second", "third"]) ids.push((await env.activate({ product_id: P3, license_key: key, fingerprint: fp })).body.instance.id);
  await env.mf.setOptions(env.options({ ...env.bindings, MAX_USES: "1" }));
  const verdicts = [];
  for (const [i, fp] of ["first", "second", "third"].entries()) {
    const v = await env.verify({ product_id: P3, license_key: key, instance_id: ids[i], fingerprint: fp });
    // A refusal comes signed (an invalid token, so an app stops unlocking on the Worker's word);
    // no token that unlocks.
    const unlocks = await unlocksOffline(v.body.token, { jwks: k.jwks, key, instanceId: ids[i], fingerprint: fp });
    verdicts.push([v.body.valid, v.body.reason, claimsOf(v.body.token).valid, unlocks]);
  }
  assert.deepEqual(verdicts, [
    [true, "ok", true, true],
    [false, "over_seat_limit", false, false],
    [false, "over_seat_limit", false, false],
  ]);
  // A re-activation of an over-limit device gets no token either, and no new device gets in.
  const re = await env.activate({ product_id: P3, license_key: key, fingerprint: "third" });
  assert.deepEqual([re.status, re.body.valid, re.body.reason, re.body.token], [200, false, "over_seat_limit", undefined]);
  const fresh = await env.activate({ product_id: P3, license_key: key, fingerprint: "fourth" });
  assert.equal(fresh.status, 409);
  // Deactivating the extra devices brings the license back within its limit.
  assert.equal((await env.deactivate({ product_id: P3, license_key: key, instance_id: ids[0] })).status, 200);
  const second = await env.verify({ product_id: P3, license_key: key, instance_id: ids[1], fingerprint: "second" });
  assert.deepEqual([second.body.valid, second.body.reason], [true, "ok"], "now the oldest left");
});

test("finding 6, seat downgrades: a multi-seat license lowered from 3 seats to 1 keeps only its oldest device", async (t) => {
  const k = await signingKey();
  let quantity = 3;
  const fake = await fakeUpstream(t, (body) => purchaseAnswer(new URLSearchParams(body).get("license_key"), P3, { quantity, is_multiseat_license: true }));
  const env = await setup(t, { bindings: { GUMROAD_API_BASE: `${fake.url}/v2`, MAX_USES: "1", LICENSE_SIGNING_KEY: k.secret, CACHE_TTL_VALID: "0" } });
  const key = KEY(8);
  const ids = [];
  for (const fp of ["a", "b", "c"]) {
    const r = await env.activate({ product_id: P3, license_key: key, fingerprint: fp });
    assert.equal(r.status, 200, r.text);
    ids.push(r.body.instance.id);
  }
  assert.equal((await env.activate({ product_id: P3, license_key: key, fingerprint: "d" })).status, 409, "3 seats x 1");
  quantity = 1;
  const reasons = [];
  for (const [i, fp] of ["a", "b", "c"].entries()) reasons.push((await env.verify({ product_id: P3, license_key: key, instance_id: ids[i], fingerprint: fp })).body.reason);
  assert.deepEqual(reasons, ["ok", "over_seat_limit", "over_seat_limit"]);
});

test("a device taking its cooling seat back, with its count answer lost, keeps its old tokens counted (attack review)", async (t) => {
  const k = await signingKey();
  const env = await setup(t, { bindings: { MAX_USES: "1", LICENSE_SIGNING_KEY: k.secret, CACHE_TTL_VALID: "0", OFFLINE_GRACE_SECONDS: "600" } });
  const key = KEY(1);
  const lic = { product_id: P3, license_key: key };
  const held = [];
  const act = async (fingerprint) => {
    const r = await env.activate({ ...lic, fingerprint });
    if (r.status === 200 && r.body.token) held.push({ token: r.body.token, instanceId: r.body.instance.id, fingerprint });
    return r;
  };
  const a = await act("A");
  assert.equal((await env.deactivate({ ...lic, instance_id: a.body.instance.id })).status, 200);
  // A comes back; Gumroad counts the use, the answer is lost and reading the count back fails.
  await env.control("POST", "/faults", { kind: "latency", latency_ms: 1, path: "/licenses/verify", times: 1 }); // the check
  await env.control("POST", "/faults", { kind: "drop_after", path: "/licenses/verify", times: 1 }); // the count
  await env.control("POST", "/faults", { kind: "503", path: "/licenses/verify", times: 3 }); // the read-back
  assert.ok((await act("A")).status >= 500);
  await env.clearFaults();
  // A device list settles the change: A holds the seat again, with no token from this attempt.
  const listed = await env.instances(lic);
  assert.equal(listed.body.instances.length, 1, listed.text);
  // Freed again, A's seat cools until its first token expires, so the move is all that is left.
  assert.equal((await env.deactivate({ ...lic, instance_id: listed.body.instances[0].id })).status, 200);
  const b = await act("B");
  assert.equal(b.status, 200, "the move");
  assert.equal((await env.deactivate({ ...lic, instance_id: b.body.instance.id })).status, 200);
  const c = await act("C");
  assert.equal(c.status, 409, c.text);
  let live = 0;
  for (const h of held) if (await unlocksOffline(h.token, { jwks: k.jwks, key, instanceId: h.instanceId, fingerprint: h.fingerprint })) live++;
  assert.equal(live, 2, "limit 1 + the move");
});

test("a signing key removed and set again frees no seat early: freed seats cool by the tokens recorded (attack review 2)", async (t) => {
  const k = await signingKey();
  const env = await setup(t, { bindings: { MAX_USES: "1", LICENSE_SIGNING_KEY: k.secret, CACHE_TTL_VALID: "300" } });
  const key = KEY(1);
  const lic = { product_id: P3, license_key: key };
  const held = [];
  const a = await env.activate({ ...lic, fingerprint: "A" });
  held.push({ token: a.body.token, instanceId: a.body.instance.id, fingerprint: "A" });
  // The seller removes the key for a while: A's token still verifies in apps.
  const unsigned = { ...env.bindings };
  delete unsigned.LICENSE_SIGNING_KEY;
  await env.mf.setOptions(env.options(unsigned));
  assert.equal((await env.deactivate({ ...lic, instance_id: a.body.instance.id })).status, 200);
  const b = await env.activate({ ...lic, fingerprint: "B" });
  assert.equal(b.status, 200, "the move");
  // A verify while nothing signs fills the cache; once the key is back it must not answer.
  assert.equal((await env.verify({ ...lic, instance_id: b.body.instance.id, fingerprint: "B" })).body.valid, true);
  await sleep(300);
  await env.mf.setOptions(env.options(env.bindings));
  const vb = await env.verify({ ...lic, instance_id: b.body.instance.id, fingerprint: "B" });
  assert.equal(vb.headers.get("x-license-cache"), "miss", "a cache entry made while nothing signed is not answered once a key signs");
  held.push({ token: vb.body.token, instanceId: b.body.instance.id, fingerprint: "B" });
  assert.equal((await env.deactivate({ ...lic, instance_id: b.body.instance.id })).status, 200);
  const c = await env.activate({ ...lic, fingerprint: "C" });
  assert.equal(c.status, 409, `A's seat still cools, and the move is spent: ${c.text}`);
  let live = 0;
  for (const h of held) if (await unlocksOffline(h.token, { jwks: k.jwks, key, instanceId: h.instanceId, fingerprint: h.fingerprint })) live++;
  assert.equal(live, 2, "limit 1 + the move");
});

test("fingerprints are trimmed of ASCII whitespace only, as LicenseClient and deviceHash trim them (attack review 2)", async (t) => {
  const k = await signingKey();
  const env = await setup(t, { bindings: { MAX_USES: "3", LICENSE_SIGNING_KEY: k.secret } });
  for (const fingerprint of ["machine\u0085", "\uFEFFmachine-2", " machine-3\t\n"]) {
    const a = await env.activate({ product_id: P3, license_key: KEY(1), fingerprint });
    assert.equal(a.status, 200, a.text);
    assert.equal(await unlocksOffline(a.body.token, { jwks: k.jwks, key: KEY(1), instanceId: a.body.instance.id, fingerprint }), true, JSON.stringify(fingerprint));
  }
});
