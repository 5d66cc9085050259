// LicenseClient (the package's `gumroad-wasm/license` entry, as built in dist/pkg) against the
// real license Worker in workerd (Miniflare, served on 127.0.0.1) and gumroad-mock: the whole
// flow from Node, the attacks an app's owner can try on their own machine (findings 3 and 4 of
// the security review), and a smoke test of the same entry in Deno and Bun.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { P3, KEY, setup, signingKey, claimsOf, repoRoot } from "../worker/helpers.mjs";

const ENTRY = path.join(repoRoot, "dist/pkg/entries/license.js");
const { LicenseClient, verifyLicenseToken } = await import(ENTRY);

/** A storage an app could hand in: a Map, with what was written readable by the test. */
function mapStorage() {
  const map = new Map();
  return { map, get: (k) => map.get(k), set: (k, v) => void map.set(k, v), delete: (k) => void map.delete(k) };
}

/** The Worker served over HTTP with a signing key, and a factory of clients for it. */
async function licenseWorker(t, bindings = {}) {
  const k = await signingKey();
  const env = await setup(t, { port: 0, bindings: { MAX_USES: "2", LICENSE_SIGNING_KEY: k.secret, CACHE_TTL_VALID: "0", CACHE_TTL_INVALID: "0", ...bindings } });
  const url = env.url.origin;
  let offline = false;
  const clock = { shift: 0 };
  const client = (over = {}) =>
    new LicenseClient({
      url,
      productId: P3,
      publicKeys: k.jwks,
      fingerprint: "machine-a",
      deviceName: "Ann's laptop",
      storage: mapStorage(),
      // The app's network: switched off to decide offline.
      fetch: (input, init) => (offline ? Promise.reject(new TypeError("fetch failed")) : fetch(input, init)),
      now: () => Date.now() + clock.shift,
      ...over,
    });
  return { env, k, url, client, clock, goOffline: (v = true) => (offline = v) };
}

test("activate, check online and offline, see the devices, deactivate: against the real Worker", async (t) => {
  const w = await licenseWorker(t);
  const storage = mapStorage();
  const lc = w.client({ storage });
  const a = await lc.activate(KEY(1).toLowerCase());
  assert.deepEqual([a.valid, a.reason, a.offline], [true, "ok", false], JSON.stringify(a));
  assert.match(a.instanceId, /^inst_/);
  assert.ok(Math.abs(a.expiresAt - (Date.now() + 7 * 86400_000)) < 60_000, "the token's exp: 7 days");
  const stored = JSON.parse([...storage.map.values()][0]);
  assert.equal(stored.instanceId, a.instanceId);
  const c = claimsOf(stored.token);
  assert.deepEqual([c.instance_id, c.iss, typeof c.device], [a.instanceId, w.url, "string"]);
  assert.ok(!JSON.stringify(c).includes("machine-a"), "the fingerprint is only ever hashed");

  const online = await lc.check();
  assert.deepEqual([online.valid, online.reason, online.offline, online.instanceId], [true, "ok", false, a.instanceId]);
  w.goOffline();
  const off = await lc.check();
  assert.deepEqual([off.valid, off.reason, off.offline, off.error], [true, "ok", true, "unreachable"]);
  w.goOffline(false);

  const devices = await lc.devices();
  assert.deepEqual(devices.map((d) => [d.id, d.name, d.current]), [[a.instanceId, "Ann's laptop", true]]);
  const d = await lc.deactivate();
  assert.equal(d.deactivated, true);
  assert.equal(storage.map.size, 0, "the seat is forgotten");
  assert.deepEqual(await lc.check().then((r) => [r.valid, r.reason]), [false, "not_activated"]);
});

test("a seat freed from another device, and storage copied to another machine: cleared on the Worker's signed word", async (t) => {
  const w = await licenseWorker(t);
  const storage = mapStorage();
  const lc = w.client({ storage });
  const a = await lc.activate(KEY(1));
  // Another machine (the buyer's new computer) frees the old one's seat.
  const other = w.client({ fingerprint: "machine-b" });
  await other.deactivate({ instanceId: a.instanceId, licenseKey: KEY(1) });
  const gone = await lc.check();
  assert.deepEqual([gone.valid, gone.reason, gone.offline, gone.instanceId], [false, "unknown_instance", false, null]);
  assert.equal(storage.map.size, 0);
  // A copy of a seat's storage on another machine: the Worker says wrong_device.
  const again = await lc.activate(KEY(1));
  assert.equal(again.valid, true);
  const copy = mapStorage();
  for (const [k, v] of storage.map) copy.map.set(k, v);
  const thief = w.client({ fingerprint: "machine-c", storage: copy });
  assert.deepEqual(await thief.check().then((r) => [r.valid, r.reason, r.offline]), [false, "wrong_device", false]);
  assert.equal(copy.map.size, 0, "the copy is cleared");
  // ... and offline the copied token does not unlock that machine either.
  for (const [k, v] of storage.map) copy.map.set(k, v);
  w.goOffline();
  assert.deepEqual(await thief.check().then((r) => [r.valid, r.reason, r.offline]), [false, "wrong_device", true]);
  assert.deepEqual(await lc.check().then((r) => [r.valid, r.reason, r.offline]), [true, "ok", true], "the real machine still is");
});

test("finding 3: keys or tokens written into the app's storage unlock nothing", async (t) => {
  const w = await licenseWorker(t);
  const storage = mapStorage();
  const lc = w.client({ storage });
  const a = await lc.activate(KEY(1));
  const record = JSON.parse([...storage.map.values()][0]);
  // The owner of the machine mints a token with their own key, claims everything valid for a
  // year, and stores their JWKS beside it (where the README's old sample read keys from).
  const mine = await signingKey();
  const claims = { ...claimsOf(record.token), exp: Math.floor(Date.now() / 1000) + 365 * 86400 };
  const b64 = (v) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const input = `${b64({ alg: "EdDSA", kid: mine.jwk.kid, typ: "JWT" })}.${b64(claims)}`;
  const priv = await crypto.subtle.importKey("jwk", JSON.parse(mine.secret), { name: "Ed25519" }, false, ["sign"]);
  const sig = Buffer.from(await crypto.subtle.sign({ name: "Ed25519" }, priv, new TextEncoder().encode(input))).toString("base64url");
  const key = [...storage.map.keys()][0];
  storage.map.set(key, JSON.stringify({ ...record, token: `${input}.${sig}`, jwks: mine.jwks, publicKeys: mine.jwks }));
  storage.map.set("jwks", JSON.stringify(mine.jwks));
  w.goOffline();
  const r = await lc.check();
  assert.deepEqual([r.valid, r.reason, r.offline], [false, "unknown_key", true]);
  // Their token under the Worker's own kid: a bad signature.
  const forged = `${b64({ alg: "EdDSA", kid: w.k.jwk.kid, typ: "JWT" })}.${b64(claims)}`;
  const sig2 = Buffer.from(await crypto.subtle.sign({ name: "Ed25519" }, priv, new TextEncoder().encode(forged))).toString("base64url");
  storage.map.set(key, JSON.stringify({ ...record, token: `${forged}.${sig2}` }));
  assert.equal((await lc.check()).reason, "bad_signature");
  // An instance-less token from a verify anyone with the key can make: refused as unbound.
  w.goOffline(false);
  const res = await fetch(`${w.url}/v1/licenses/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ product_id: P3, license_key: KEY(1) }) });
  const unbound = (await res.json()).token;
  assert.equal((await verifyLicenseToken(unbound, { jwks: w.k.jwks })).reason, "unbound");
  storage.map.set(key, JSON.stringify({ ...record, token: unbound }));
  w.goOffline();
  assert.equal((await lc.check()).reason, "unbound");
  assert.equal(a.valid, true);
});

test("finding 4: a clock set back offline is clock_rollback; set forward past exp, expired", async (t) => {
  const w = await licenseWorker(t);
  const lc = w.client();
  assert.equal((await lc.activate(KEY(1))).valid, true);
  w.goOffline();
  w.clock.shift = -4 * 60_000;
  assert.equal((await lc.check()).reason, "ok", "within the few minutes allowed");
  w.clock.shift = -10 * 60_000;
  assert.deepEqual(await lc.check().then((r) => [r.valid, r.reason, r.offline]), [false, "clock_rollback", true]);
  w.clock.shift = 8 * 86400_000;
  assert.equal((await lc.check()).reason, "expired");
  // Back to real time after having seen day 8: the clock went back.
  w.clock.shift = 0;
  assert.equal((await lc.check()).reason, "clock_rollback");
  // A fresh answer from the Worker heals a clock that was set forward and corrected.
  w.goOffline(false);
  assert.deepEqual(await lc.check().then((r) => [r.valid, r.offline]), [true, false]);
  w.goOffline();
  assert.equal((await lc.check()).reason, "ok");
});

test("a refund: online the Worker says refunded, and offline the stored token says the same", async (t) => {
  const w = await licenseWorker(t);
  const lc = w.client();
  assert.equal((await lc.activate(KEY(1))).valid, true);
  const sales = await (await fetch(`${w.env.mock.url}/v2/sales?email=active@example.com`, { headers: { authorization: "Bearer demo-token-full" } })).json();
  await w.env.control("POST", "/events", { type: "refund", sale_id: sales.sales.find((s) => s.license_key === KEY(1)).id });
  const p = await w.env.ping({ resource_name: "refund", product_id: P3, license_key: KEY(1), refunded: "true" });
  assert.equal(p.body.changed, true, p.text);
  assert.deepEqual(await lc.check().then((r) => [r.valid, r.reason, r.offline]), [false, "refunded", false]);
  w.goOffline();
  assert.deepEqual(await lc.check().then((r) => [r.valid, r.reason, r.offline]), [false, "refunded", true]);
});

test("at the seat limit: activation_limit_reached with the wait, until a device is freed", async (t) => {
  const w = await licenseWorker(t, { MAX_USES: "1" });
  const first = w.client({ fingerprint: "one" });
  assert.equal((await first.activate(KEY(1))).valid, true);
  const second = w.client({ fingerprint: "two" });
  const full = await second.activate(KEY(1));
  assert.deepEqual([full.valid, full.reason, full.offline, full.retryAfter], [false, "activation_limit_reached", false, undefined], "every seat active: no wait helps");
  await first.deactivate();
  assert.equal((await second.activate(KEY(1))).valid, true, "the move: a new computer at once");
  await second.deactivate();
  const third = await w.client({ fingerprint: "three" }).activate(KEY(1));
  assert.equal(third.reason, "activation_limit_reached");
  assert.ok(third.retryAfter > 6 * 86400, `retryAfter ${third.retryAfter}: until the first computer's token expires`);
});

// ---- Deno and Bun ------------------------------------------------------------------------------

const SMOKE = `
import { LicenseClient } from ENTRY;
const env = (k) => (typeof Deno !== "undefined" ? Deno.env.get(k) : process.env[k]);
const map = new Map();
let offline = false;
const lc = new LicenseClient({
  url: env("WORKER_URL"),
  productId: env("PRODUCT_ID"),
  publicKeys: JSON.parse(env("JWKS")),
  fingerprint: async () => "smoke-device",
  storage: { get: (k) => map.get(k), set: async (k, v) => void map.set(k, v), delete: (k) => void map.delete(k) },
  fetch: (i, o) => (offline ? Promise.reject(new TypeError("offline")) : fetch(i, o)),
});
const a = await lc.activate(env("LICENSE_KEY"));
const online = await lc.check();
offline = true;
const off = await lc.check();
offline = false;
const devices = await lc.devices();
console.log(JSON.stringify({ activate: [a.valid, a.reason], online: [online.valid, online.offline], offline: [off.valid, off.offline, off.reason], devices: devices.length }));
`;

async function smoke(t, name, command, args) {
  const w = await licenseWorker(t);
  const dir = mkdtempSync(path.join(os.tmpdir(), `license-${name}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, "main.mjs"), SMOKE.replace("ENTRY", JSON.stringify(`file://${ENTRY}`)));
  const out = execFileSync(path.join(repoRoot, "node_modules/.bin", command), [...args, path.join(dir, "main.mjs")], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, WORKER_URL: w.url, PRODUCT_ID: P3, JWKS: JSON.stringify(w.k.jwks), LICENSE_KEY: KEY(5), DENO_DIR: path.join(dir, ".deno"), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  assert.deepEqual(JSON.parse(out.trim().split("\n").pop()), { activate: [true, "ok"], online: [true, false], offline: [true, true, "ok"], devices: 1 });
}

test("Deno: the license entry against the Worker (activate, check online and offline, devices)", (t) =>
  smoke(t, "deno", "deno", ["run", "--allow-net=127.0.0.1", "--allow-read", "--allow-env"]));

test("Bun: the license entry against the Worker (activate, check online and offline, devices)", (t) => smoke(t, "bun", "bun", []));
