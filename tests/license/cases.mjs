// The LicenseClient cases, runnable unchanged in Node and Chromium: only WebCrypto, fetch-like
// functions and plain JS. Each case drives a client against the in-process stand-in Worker
// (standin.mjs) with a clock of its own, and returns a short detail or throws; runLicenseCases
// turns that into {name, ok, detail}. After every case the runner also fails it if the client
// asked for anything but the four license routes.
import { createStandIn, ROUTES } from "./standin.mjs";
import { signToken } from "../token/cases.mjs";

/** 2027-01-15T08:00:00Z, as in the token cases. */
const T = 1_800_000_000;
const NOW_MS = T * 1000;
const BASE = "https://license.example.com";
const PRODUCT = "U2tldGNoUHJvLURlc2t0b3A=";
const OTHER_PRODUCT = "SW5rd2VsbC1QbHVnaW4tMjQ=";
const KEY = "DEC0DE00-00000000-00000000-00000001";
const KEY2 = "DEC0DE00-00000000-00000000-00000002";
const FP = "machine-7f3a9c2e";
const OTHER_FP = "machine-00000000";
const GRACE = 7 * 86400;
const MINUTE = 60_000;
const STORAGE_KEY = `gumroad-wasm:license:${PRODUCT}`;
/** The token's exp (ms) for an answer the stand-in signs at `ms` on its clock. */
const expiresFrom = (ms) => (Math.floor(ms / 1000) + GRACE) * 1000;

class CaseFailure extends Error {}

function check(cond, message) {
  if (!cond) throw new CaseFailure(message);
}

function eq(got, want, what) {
  check(JSON.stringify(got) === JSON.stringify(want), `${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}

/**
 * Asserts a LicenseResult exactly: `want` lists every member the result must have (valid,
 * reason, offline, instanceId, expiresAt, and retryAfter / error when expected), nothing more.
 */
function expectResult(r, want, what = "result") {
  const got = JSON.stringify(r);
  check(r !== null && typeof r === "object", `${what}: not an object: ${got}`);
  eq(Object.keys(r).sort(), Object.keys(want).sort(), `${what} members (${got})`);
  for (const [k, v] of Object.entries(want)) check(r[k] === v, `${what}.${k}: got ${got}, want ${JSON.stringify(want)}`);
  check((r.reason === "ok") === (r.valid === true), `${what}: reason "ok" exactly when valid: ${got}`);
  return `${r.valid ? "valid" : r.reason}${r.offline ? " (offline)" : ""}`;
}

const okOnline = (instanceId, expiresAt) => ({ valid: true, reason: "ok", offline: false, instanceId, expiresAt });
const okOffline = (instanceId, expiresAt, error, extra = {}) => ({ valid: true, reason: "ok", offline: true, instanceId, expiresAt, error, ...extra });
const noOnline = (reason, instanceId = null, extra = {}) => ({ valid: false, reason, offline: false, instanceId, expiresAt: null, ...extra });
const noOffline = (reason, instanceId, error, extra = {}) => ({ valid: false, reason, offline: true, instanceId, expiresAt: null, error, ...extra });

/** `promise`, or a CaseFailure once `ms` have passed: a client that hangs fails instead of stalling the run. */
function within(ms, promise, what) {
  let timer;
  const guard = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new CaseFailure(`${what}: still pending after ${ms} ms`)), ms);
  });
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

async function rejection(promise, what) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new CaseFailure(`${what}: resolved instead of rejecting`);
}

async function expectTypeError(promiseOrFn, what) {
  let e;
  if (typeof promiseOrFn === "function") {
    try {
      promiseOrFn();
    } catch (err) {
      e = err;
    }
    if (e === undefined) throw new CaseFailure(`${what}: did not throw`);
  } else {
    e = await rejection(promiseOrFn, what);
  }
  check(e instanceof TypeError, `${what}: expected a TypeError, got ${e?.name}: ${e?.message}`);
  return e;
}

async function expectClientError(promise, LicenseClientError, { code, status }, what) {
  const e = await rejection(promise, what);
  check(e instanceof LicenseClientError && e instanceof Error, `${what}: expected a LicenseClientError, got ${e?.name}: ${e?.message}`);
  check(e.name === "LicenseClientError", `${what}: name ${e.name}`);
  check(e.code === code && e.status === status, `${what}: got ${e.code}/${e.status}, want ${code}/${status}`);
  return e;
}

/** A storage whose methods answer at once. `map` is the backing store, for inspection and tampering. */
function syncStorage() {
  const map = new Map();
  return { map, get: (k) => map.get(k), set: (k, v) => void map.set(k, v), delete: (k) => void map.delete(k) };
}

/** The same, each method answering a few ticks later through a promise. */
function asyncStorage() {
  const map = new Map();
  const later = (f) => new Promise((r) => setTimeout(() => r(f()), 1));
  return { map, get: (k) => later(() => map.get(k)), set: (k, v) => later(() => void map.set(k, v)), delete: (k) => later(() => void map.delete(k)) };
}

const record = (store) => (store.map.has(STORAGE_KEY) ? JSON.parse(store.map.get(STORAGE_KEY)) : null);
const routesOf = (worker) => worker.requests.map((r) => r.url.slice(BASE.length));

const cases = [];
const test = (name, fn) => cases.push({ name, fn });

// ---- constructor ---------------------------------------------------------------------------

test("constructor: every bad option is a TypeError that names the option and never echoes the value", async ({ setup, LicenseClient }) => {
  const { options } = await setup();
  const SECRET = "SECRET-VALUE-7c1d";
  const bad = {
    url: [undefined, 42, "", "not a url", `ftp://license.example.com/${SECRET}`, `file:///${SECRET}`, `https://license.example.com/?k=${SECRET}`, `https://license.example.com/#${SECRET}`, `https://user:${SECRET}@license.example.com`],
    productId: [undefined, "", 42, [SECRET]],
    publicKeys: [undefined, null, SECRET, {}, { keys: SECRET }, [], { keys: [] }, [{ kty: "RSA", n: SECRET, e: "AQAB" }], [{ kty: "OKP", crv: "X25519", x: options.publicKeys.keys[0].x }], [{ ...options.publicKeys.keys[0], use: "enc" }], [{ ...options.publicKeys.keys[0], kid: 7 }], [{ kty: "OKP", crv: "Ed25519", x: SECRET }]],
    fingerprint: [undefined, null, 42, "", "   ", `${SECRET}${"x".repeat(513)}`, { toString: () => SECRET }],
    deviceName: [42, null, `${SECRET}${"x".repeat(100)}`],
    storage: [null, SECRET, {}, { get() {}, set() {} }, { get: SECRET, set() {}, delete() {} }, [() => {}]],
    fetch: [SECRET, {}, null],
    now: [Date.now(), SECRET, null],
    issuer: ["", 42, null, new URL(BASE)],
    timeoutMs: [0, -1, NaN, Infinity, "1000", 2 ** 31, null],
  };
  let n = 0;
  for (const [name, values] of Object.entries(bad)) {
    for (const value of values) {
      const e = await expectTypeError(() => new LicenseClient({ ...options, [name]: value }), `${name} = ${String(value).slice(0, 40)}`);
      check(e.message.includes(`\`${name}\``), `${name}: the message does not name the option: ${e.message}`);
      check(!e.message.includes(SECRET) && !e.message.includes("license.example.com"), `${name}: the message echoes the value: ${e.message}`);
      n++;
    }
  }
  for (const value of [undefined, null, "https://license.example.com", [options]]) {
    await expectTypeError(() => new LicenseClient(value), `options = ${String(value)}`);
    n++;
  }
  return `${n} TypeErrors`;
});

test("constructor: accepted forms (trailing slash, URL object, path prefix, key array, kid-less key, private JWK)", async ({ setup, LicenseClient }) => {
  const { worker, options, clock } = await setup();
  const kidless = { kty: "OKP", crv: "Ed25519", x: worker.key.x };
  const forms = [
    { url: `${BASE}/` },
    { url: `${BASE}///` },
    { url: new URL(BASE) },
    { publicKeys: [worker.key.jwk] },
    // A key without kid is named by its RFC 7638 thumbprint, as the Worker names it.
    { publicKeys: [kidless] },
    // A JWKS that also lists keys for other things: those are skipped.
    { publicKeys: { keys: [{ kty: "RSA", n: "x", e: "AQAB", kid: "rsa" }, worker.forger.jwk, worker.key.jwk] } },
    // Only the public half of a private JWK is used.
    { publicKeys: [worker.key.privateJwk] },
    { fingerprint: () => FP, deviceName: "" },
  ];
  for (const form of forms) {
    const store = { map: new Map() };
    const client = new LicenseClient({ ...options, ...form, storage: { get: (k) => store.map.get(k), set: (k, v) => void store.map.set(k, v), delete: (k) => void store.map.delete(k) } });
    expectResult(await client.activate(KEY), okOnline("inst_1", expiresFrom(clock.ms)), JSON.stringify(form).slice(0, 60));
  }
  check(worker.requests.every((r) => r.url === `${BASE}/v1/licenses/activate`), `URLs: ${worker.requests.map((r) => r.url)}`);
  check(worker.requests.length === forms.length, `requests: ${worker.requests.length}`);
  // The keys are copied: changing the app's objects afterwards changes nothing.
  const jwks = { keys: [{ ...worker.key.jwk }] };
  const copied = new LicenseClient({ ...options, publicKeys: jwks, storage: syncStorage() });
  jwks.keys[0].x = worker.forger.x;
  jwks.keys.push(worker.forger.jwk);
  expectResult(await copied.activate(KEY), okOnline("inst_1", expiresFrom(clock.ms)), "after the app changed its JWKS");
  // Routes are appended to a path prefix.
  const prefixed = await setup({ base: "https://example.com/license" });
  await prefixed.make({ url: "https://example.com/license/", issuer: "https://example.com/license" }).activate(KEY);
  eq(prefixed.worker.requests.map((r) => r.url), ["https://example.com/license/v1/licenses/activate"], "prefixed route");
  return `${forms.length + 1} forms`;
});

// ---- activate ------------------------------------------------------------------------------

test("activate: takes a seat; request body; stores { v, licenseKey, instanceId, token, seenAt }; the token is bound to everything", async ({ setup, verifyLicenseToken, deviceHash, licenseKeyHash }) => {
  const { client, worker, store, clock } = await setup();
  const r = await client.activate(`  ${KEY.toLowerCase()} `);
  expectResult(r, okOnline("inst_1", expiresFrom(clock.ms)));
  const req = worker.requests[0];
  eq(req.method, "POST", "method");
  eq(req.contentType, "application/json", "content-type");
  check(/^[A-Za-z0-9_-]{22}$/.test(req.body.nonce), `a fresh nonce: ${req.body.nonce}`);
  eq({ ...req.body, nonce: undefined }, { license_key: KEY.toLowerCase(), product_id: PRODUCT, fingerprint: FP, instance_name: "Ada's laptop", nonce: undefined }, "activate body");
  const rec = record(store);
  eq(Object.keys(rec), ["v", "licenseKey", "instanceId", "token", "seenAt"], "record members");
  eq([rec.v, rec.licenseKey, rec.instanceId, rec.seenAt], [1, KEY.toLowerCase(), "inst_1", clock.ms], "record");
  const v = await verifyLicenseToken(rec.token, { jwks: worker.jwks, productId: PRODUCT, licenseKey: KEY, instanceId: "inst_1", fingerprint: FP, issuer: BASE, now: clock.ms });
  check(v.valid, `stored token: ${v.reason}`);
  check(v.claims.device === (await deviceHash(await licenseKeyHash(KEY), FP)), "device claim");
  check(!rec.token.includes(FP) && !JSON.stringify(v.claims).includes(FP), "the raw fingerprint is not in the token");
  eq(worker.license(KEY).instances.get("inst_1").name, "Ada's laptop", "instance name");
  return "seat inst_1";
});

test("activate: the same device again gets its own seat back; another device takes a new one", async ({ setup }) => {
  const { client, worker, make, clock } = await setup();
  expectResult(await client.activate(KEY), okOnline("inst_1", expiresFrom(clock.ms)));
  expectResult(await client.activate(KEY), okOnline("inst_1", expiresFrom(clock.ms)), "again");
  const other = make({ fingerprint: OTHER_FP, storage: syncStorage() });
  expectResult(await other.activate(KEY), okOnline("inst_2", expiresFrom(clock.ms)), "other device");
  eq(worker.license(KEY).instances.size, 2, "instances");
  return "inst_1 twice, inst_2";
});

test("activate: a license the Worker refuses (refunded, unknown) → invalid online, nothing stored", async ({ setup }) => {
  const { client, worker, store } = await setup();
  worker.license(KEY).status = "refunded";
  expectResult(await client.activate(KEY), noOnline("refunded"));
  expectResult(await client.activate("DEC0DE00-FFFFFFFF-FFFFFFFF-FFFFFFFF"), noOnline("not_found"), "unknown key");
  eq(store.map.size, 0, "stored entries");
  expectResult(await client.check(), noOnline("not_activated"), "check after");
  return "refunded, not_found";
});

test("activate: every seat taken → 409 activation_limit_reached with retryAfter, nothing stored", async ({ setup }) => {
  const { client, worker, store, make } = await setup();
  worker.license(KEY).maxSeats = 1;
  await make({ fingerprint: OTHER_FP, storage: syncStorage() }).activate(KEY);
  expectResult(await client.activate(KEY), noOnline("activation_limit_reached", null, { retryAfter: 3600, limit: 1, active: 1 }));
  eq(store.map.size, 0, "stored entries");
  // Retry-After header alone (no retry_after in the body), and a 409 without any.
  worker.next({ status: 409, body: { error: { code: "activation_limit_reached", limit: 2, active: 1 } }, headers: { "retry-after": "120" } });
  expectResult(await client.activate(KEY), noOnline("activation_limit_reached", null, { retryAfter: 120, limit: 2, active: 1 }), "header only");
  // Counts that are not whole numbers are left out.
  worker.next({ status: 409, body: { error: { code: "activation_limit_reached", limit: "many", active: -1 } } });
  expectResult(await client.activate(KEY), noOnline("activation_limit_reached"), "no retry-after");
  eq(store.map.size, 0, "stored entries after");
  return "409 three ways";
});

test("activate: a forged answer (another key under the Worker's kid) → bad_signature; nothing is stored", async ({ setup }) => {
  const { client, worker, store, clock } = await setup();
  worker.tokens = "forge";
  expectResult(await client.activate(KEY), noOnline("bad_signature", null));
  eq(store.map.size, 0, "stored entries after a forged answer");
  expectResult(await client.check(), noOnline("not_activated"), "no seat to check");
  // A genuine answer later stores the seat (the same device gets the same instance back).
  worker.tokens = "sign";
  expectResult(await client.activate(KEY), okOnline("inst_1", expiresFrom(clock.ms)), "again");
  check(typeof record(store).token === "string", "token stored");
  return "forged answer refused";
});

test("activate: publicKeys that do not hold the Worker's key → unknown_key / bad_signature (the app's keys are wrong)", async ({ setup }) => {
  const { worker, make } = await setup();
  expectResult(await make({ publicKeys: { keys: [worker.forger.jwk] } }).activate(KEY), noOnline("unknown_key", null));
  // The right kid with the wrong key material.
  expectResult(await make({ publicKeys: [{ ...worker.forger.jwk, kid: worker.key.kid }], storage: syncStorage() }).activate(KEY), noOnline("bad_signature", null), "same kid");
  return "refused";
});

test("activate: this device's clock behind the Worker's by more than 5 minutes → not_yet_valid, nothing stored", async ({ setup }) => {
  const { client, worker, store, clock } = await setup();
  worker.skewMs = 10 * MINUTE;
  expectResult(await client.activate(KEY), noOnline("not_yet_valid", null));
  eq(store.map.size, 0, "stored entries");
  // A few minutes behind are tolerated, online (the token is read at its iat)...
  worker.skewMs = 4 * MINUTE;
  expectResult(await client.activate(KEY), okOnline("inst_1", expiresFrom(clock.ms + 4 * MINUTE)), "4 min behind");
  expectResult(await client.check(), okOnline("inst_1", expiresFrom(clock.ms + 4 * MINUTE)), "4 min behind, check");
  eq(record(store).seenAt, Math.floor((clock.ms + 4 * MINUTE) / 1000) * 1000, "seenAt = iat");
  // ...and offline right after (the time seen stands in for the slow clock).
  worker.next("unreachable");
  expectResult(await client.check(), okOffline("inst_1", expiresFrom(clock.ms + 4 * MINUTE), "unreachable"), "offline, 4 min behind");
  worker.skewMs = 50_000;
  expectResult(await client.check(), okOnline("inst_1", expiresFrom(clock.ms + 50_000)), "50 s behind");
  return "not_yet_valid, then ok";
});

test("activate: an answer without a token, or with a garbled one → no_token / malformed", async ({ setup }) => {
  const { client, worker, store } = await setup();
  worker.tokens = "drop";
  expectResult(await client.activate(KEY), noOnline("no_token", null));
  worker.tokens = "garble";
  expectResult(await client.activate(KEY), noOnline("malformed", null), "garbled");
  eq(store.map.size, 0, "nothing stored");
  return "no_token, malformed";
});

test("activate: a genuine token for another issuer, product, key, instance or device, or unbound → refused by its binding", async ({ setup }) => {
  const { client, worker, store } = await setup();
  const rewrites = [
    [(c) => ({ ...c, iss: "https://staging.example.com" }), "wrong_issuer"],
    [(c) => ({ ...c, iss: undefined }), "wrong_issuer"],
    [(c) => ({ ...c, product_id: OTHER_PRODUCT }), "wrong_product"],
    [(c) => ({ ...c, sub: "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU" }), "wrong_license"],
    [(c) => ({ ...c, instance_id: "inst_999" }), "wrong_instance"],
    [(c) => ({ ...c, device: "c_TJYeFCMjyO9BXUWVX4aBWtzUUDH9wHxxqwZp3PfYs" }), "wrong_device"],
    [(c) => ({ ...c, device: undefined }), "wrong_device"],
    [({ instance_id, device, ...c }) => c, "unbound"],
    [(c) => ({ ...c, valid: false, reason: "refunded" }), "refunded"],
    [(c) => ({ ...c, exp: c.iat }), "expired"],
  ];
  for (const [rewrite, reason] of rewrites) {
    worker.claims = rewrite;
    expectResult(await client.activate(KEY), noOnline(reason, null), reason);
    eq(store.map.size, 0, `${reason}: stored entries`);
  }
  return `${rewrites.length} bindings`;
});

test("activate: the Worker cannot decide (unreachable, 429, 5xx, 403, a 200 that is no verdict) and no seat is stored → its code, offline", async ({ setup }) => {
  const { client, worker, store } = await setup();
  const failures = [
    ["unreachable", noOffline("unreachable", null, "unreachable")],
    [{ status: 429, body: { error: { code: "rate_limited", message: "slow down" } }, headers: { "retry-after": "30" } }, noOffline("rate_limited", null, "rate_limited", { retryAfter: 30 })],
    [{ status: 502, body: { error: { code: "upstream_error", message: "Gumroad failed" } } }, noOffline("upstream_error", null, "upstream_error")],
    [{ status: 503, body: { error: { code: "upstream_rate_limited", message: "" } }, headers: { "retry-after": "5" } }, noOffline("upstream_rate_limited", null, "upstream_rate_limited", { retryAfter: 5 })],
    [{ status: 500, body: "<html>oops</html>" }, noOffline("http_500", null, "http_500")],
    [{ status: 403, body: { error: { code: "origin_not_allowed", message: "" } } }, noOffline("origin_not_allowed", null, "origin_not_allowed")],
    [{ status: 400, body: { error: { code: "Bad Request!", message: "" } } }, noOffline("http_400", null, "http_400")],
    [{ status: 200, body: "<html>captive portal</html>" }, noOffline("bad_response", null, "bad_response")],
    [{ status: 200, body: { valid: true, reason: "ok" } }, noOffline("bad_response", null, "bad_response")],
    [{ status: 200, body: { valid: false, reason: "ok" } }, noOffline("bad_response", null, "bad_response")],
    [{ status: 200, body: { valid: false } }, noOffline("bad_response", null, "bad_response")],
    [{ status: 200, body: [1, 2] }, noOffline("bad_response", null, "bad_response")],
    [{ status: 201, body: { valid: true, reason: "ok", instance: { id: "inst_9" } } }, noOffline("http_201", null, "http_201")],
  ];
  for (const [behaviour, want] of failures) {
    worker.next(behaviour);
    expectResult(await client.activate(KEY), want, JSON.stringify(behaviour).slice(0, 50));
  }
  eq(store.map.size, 0, "stored entries");
  return `${failures.length} failures`;
});

test("activate: the Worker cannot decide and a seat for the same key is stored (any case, spaces) → decided offline from its token", async ({ setup }) => {
  const { client, worker, clock, store } = await setup();
  await client.activate(KEY);
  const exp = expiresFrom(clock.ms);
  clock.ms += 3 * 86_400_000;
  worker.next("unreachable");
  expectResult(await client.activate(` ${KEY.toLowerCase()}\t`), okOffline("inst_1", exp, "unreachable"));
  worker.next({ status: 429, body: { error: { code: "rate_limited", message: "" } }, headers: { "retry-after": "7" } });
  expectResult(await client.activate(KEY), okOffline("inst_1", exp, "rate_limited", { retryAfter: 7 }), "429");
  // For another key the stored seat says nothing; it stays as it was.
  const before = store.map.get(STORAGE_KEY);
  worker.next("unreachable");
  expectResult(await client.activate(KEY2), noOffline("unreachable", null, "unreachable"), "other key");
  eq(JSON.parse(store.map.get(STORAGE_KEY)).instanceId, JSON.parse(before).instanceId, "seat kept");
  clock.ms = exp;
  worker.next("unreachable");
  expectResult(await client.activate(KEY), noOffline("expired", "inst_1", "unreachable"), "after exp");
  return "offline activate";
});

test("activate: another key replaces the stored seat (one record per product)", async ({ setup }) => {
  const { client, worker, store, clock } = await setup({ licenses: [[KEY2, {}]] });
  await client.activate(KEY);
  expectResult(await client.activate(KEY2), okOnline("inst_2", expiresFrom(clock.ms)));
  eq([record(store).licenseKey, record(store).instanceId, store.map.size], [KEY2, "inst_2", 1], "record");
  eq(worker.license(KEY).instances.size, 1, "the first seat stays taken on the Worker until deactivated");
  return "replaced";
});

// ---- check ---------------------------------------------------------------------------------

test("check: nothing stored → not_activated, without any request", async ({ setup }) => {
  const { client, worker } = await setup();
  expectResult(await client.check(), noOnline("not_activated"));
  eq(worker.requests.length, 0, "requests");
  return "no request";
});

test("check: online ok → verify body; the token is replaced; expiresAt moves on", async ({ setup }) => {
  const { client, worker, store, clock } = await setup();
  await client.activate(KEY);
  const first = record(store).token;
  clock.ms += 86_400_000;
  expectResult(await client.check(), okOnline("inst_1", expiresFrom(clock.ms)));
  const { nonce, ...rest } = worker.requests[1].body;
  eq(rest, { license_key: KEY, product_id: PRODUCT, instance_id: "inst_1", fingerprint: FP }, "verify body");
  check(/^[A-Za-z0-9_-]{22}$/.test(nonce) && nonce !== worker.requests[0].body.nonce, "a new nonce per request");
  eq(routesOf(worker), ["/v1/licenses/activate", "/v1/licenses/verify"], "routes");
  const rec = record(store);
  check(rec.token !== first, "token replaced");
  eq(rec.seenAt, clock.ms, "seenAt");
  return "token replaced";
});

test("check: a forged online answer → bad_signature; the old token stays and still decides offline", async ({ setup }) => {
  const { client, worker, store, clock } = await setup();
  await client.activate(KEY);
  const exp = expiresFrom(clock.ms);
  const before = record(store).token;
  worker.tokens = "forge";
  expectResult(await client.check(), noOnline("bad_signature", "inst_1"));
  eq(record(store).token, before, "token kept");
  worker.next("unreachable");
  expectResult(await client.check(), okOffline("inst_1", exp, "unreachable"), "offline");
  return "forgery refused";
});

test("check: refunded → invalid online, seat kept, the signed refusal stored (offline then says refunded too)", async ({ setup, verifyLicenseToken }) => {
  const { client, worker, store, clock } = await setup();
  await client.activate(KEY);
  worker.license(KEY).status = "refunded";
  clock.ms += MINUTE;
  expectResult(await client.check(), noOnline("refunded", "inst_1"));
  const rec = record(store);
  eq(rec.instanceId, "inst_1", "seat kept");
  const v = await verifyLicenseToken(rec.token, { jwks: worker.jwks, instanceId: "inst_1", fingerprint: FP, now: clock.ms });
  eq([v.valid, v.reason], [false, "refunded"], "stored token");
  worker.next("unreachable");
  expectResult(await client.check(), noOffline("refunded", "inst_1", "unreachable"), "offline");
  // Other refusals the same way (the seat stays).
  worker.license(KEY).status = "over_seat_limit";
  expectResult(await client.check(), noOnline("over_seat_limit", "inst_1"), "over_seat_limit");
  return "refund kept offline";
});

test("check: a refusal whose token is missing, forged or bound elsewhere is no answer: the stored ok token is kept and decides offline", async ({ setup }) => {
  const { client, worker, store } = await setup();
  await client.activate(KEY);
  for (const mode of ["drop", "forge", "garble", "other instance", "says valid"]) {
    // Each round starts from a stored ok token.
    worker.license(KEY).status = "ok";
    check((await client.check()).valid && typeof record(store).token === "string", `${mode}: precondition`);
    worker.license(KEY).status = "refunded";
    worker.tokens = ["drop", "forge", "garble"].includes(mode) ? mode : "sign";
    worker.claims = mode === "other instance" ? (c) => ({ ...c, instance_id: "inst_9" }) : mode === "says valid" ? (c) => ({ ...c, valid: true, reason: "ok" }) : null;
    // Not the Worker's word: no answer at all, so the stored token decides, offline.
    const r = await client.check();
    eq([r.valid, r.reason, r.offline, r.error], [true, "ok", true, "unverified_answer"], mode);
    check(typeof record(store).token === "string", `${mode}: the token was deleted`);
    worker.tokens = "sign";
    worker.claims = null;
  }
  return "5 refusals";
});

test("a genuine answer recorded earlier and replayed (its nonce is another request's) decides nothing: offline rules apply", async ({ setup }) => {
  const { client, worker, store, clock } = await setup();
  await client.activate(KEY);
  // The device's owner records a genuine online answer (to a request of their own making)...
  const url = worker.requests[0].url.replace("/activate", "/verify");
  const body = JSON.stringify({ license_key: KEY, product_id: PRODUCT, instance_id: "inst_1", fingerprint: FP, nonce: "recordedNonce000000000" });
  const recorded = await (await worker.fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body })).json();
  eq(recorded.valid, true, "a genuine answer to another request");
  // ...lets the token expire, sets the clock back, and replays the answer.
  clock.ms += 8 * 86_400_000;
  worker.next("unreachable");
  eq((await client.check()).reason, "expired", "the token has expired");
  const seen = record(store).seenAt;
  clock.ms -= 8 * 86_400_000;
  worker.next({ status: 200, body: recorded });
  expectResult(await client.check(), noOffline("clock_rollback", "inst_1", "replayed"), "the replay is no answer");
  eq(record(store).seenAt, seen, "the time seen was not lowered");
  // A fresh answer from the Worker does heal it.
  expectResult(await client.check(), okOnline("inst_1", expiresFrom(clock.ms)), "fresh");
  return "replay refused";
});

test("a genuine refusal recorded earlier and replayed is no answer either: the stored token decides offline", async ({ setup }) => {
  const { client, worker, store } = await setup();
  await client.activate(KEY);
  // A signed refusal for this very seat, but for another request (the device owner's own).
  worker.license(KEY).status = "refunded";
  const url = worker.requests[0].url.replace("/activate", "/verify");
  const body = JSON.stringify({ license_key: KEY, product_id: PRODUCT, instance_id: "inst_1", fingerprint: FP, nonce: "recordedNonce000000000" });
  const recorded = await (await worker.fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body })).json();
  eq([recorded.valid, typeof recorded.token], [false, "string"], "a genuine signed refusal");
  worker.license(KEY).status = "ok";
  const before = record(store).token;
  worker.next({ status: 200, body: recorded });
  const r = await client.check();
  eq([r.valid, r.reason, r.offline, r.error], [true, "ok", true, "replayed"], "the replay");
  eq(record(store).token, before, "the stored token");
  return "replayed refusal ignored";
});

test("check: unknown_instance (freed behind the client's back) clears the seat; activate takes a new one", async ({ setup }) => {
  const { client, worker, store, clock } = await setup();
  await client.activate(KEY);
  worker.license(KEY).instances.clear();
  expectResult(await client.check(), noOnline("unknown_instance"));
  eq(store.map.size, 0, "stored entries");
  expectResult(await client.check(), noOnline("not_activated"), "then");
  expectResult(await client.activate(KEY), okOnline("inst_2", expiresFrom(clock.ms)), "again");
  return "cleared";
});

test("check: the Worker says wrong_device → the seat is cleared", async ({ setup }) => {
  const { worker, store, make } = await setup();
  await make().activate(KEY);
  // Another machine with a copy of this storage asks about our seat with its own fingerprint.
  const copy = syncStorage();
  copy.map.set(STORAGE_KEY, store.map.get(STORAGE_KEY));
  const elsewhere = make({ fingerprint: OTHER_FP, storage: copy });
  expectResult(await elsewhere.check(), noOnline("wrong_device"));
  eq(copy.map.size, 0, "the copy is cleared");
  eq(worker.requests.at(-1).body.fingerprint, OTHER_FP, "fingerprint sent");
  check(store.map.has(STORAGE_KEY), "the original is untouched");
  return "cleared";
});

test("check: an unsigned or forged unknown_instance / wrong_device is no answer: the seat stays and its token decides (only the Worker's word clears it)", async ({ setup }) => {
  const { client, worker, store } = await setup();
  await client.activate(KEY);
  const kept = store.map.get(STORAGE_KEY);
  for (const [mode, reason] of [
    ["drop", "unknown_instance"],
    ["forge", "unknown_instance"],
    ["garble", "wrong_device"],
  ]) {
    worker.tokens = mode;
    if (reason === "unknown_instance") worker.license(KEY).instances.clear();
    else worker.next({ status: 200, body: { valid: false, reason, uses: 1, product_id: PRODUCT, instance_id: "inst_1" } });
    const r = await client.check();
    eq([r.valid, r.reason, r.offline, r.error], [true, "ok", true, "unverified_answer"], `${mode} ${reason}`);
    eq(store.map.get(STORAGE_KEY).replace(/"seenAt":\d+/, ""), kept.replace(/"seenAt":\d+/, ""), `${mode}: the stored seat`);
  }
  worker.tokens = "sign";
  expectResult(await client.check(), noOnline("unknown_instance"), "signed");
  eq(store.map.size, 0, "cleared on the Worker's signed word");
  return "kept 3 times, cleared once";
});

test("check offline: every failure → the stored token decides, error says why, retryAfter on 429", async ({ setup }) => {
  const { client, worker, clock } = await setup();
  await client.activate(KEY);
  const exp = expiresFrom(clock.ms);
  clock.ms += 86_400_000;
  const failures = [
    ["unreachable", "unreachable", {}],
    [{ status: 429, body: { error: { code: "rate_limited" } }, headers: { "retry-after": "12" } }, "rate_limited", { retryAfter: 12 }],
    [{ status: 429, body: { error: { code: "rate_limited", retry_after: 9 } } }, "rate_limited", { retryAfter: 9 }],
    [{ status: 500, body: "" }, "http_500", {}],
    [{ status: 502, body: { error: { code: "upstream_error" } } }, "upstream_error", {}],
    [{ status: 504, body: { error: { code: "upstream_timeout" } } }, "upstream_timeout", {}],
    [{ status: 403, body: { error: { code: "origin_not_allowed" } } }, "origin_not_allowed", {}],
    [{ status: 404, body: "not found" }, "http_404", {}],
    [{ status: 200, body: "{\"valid\":" }, "bad_response", {}],
    [{ status: 200, body: { valid: "yes" } }, "bad_response", {}],
    // A 200 that says invalid with a reason that is not a code (a proxy's words) decides nothing.
    [{ status: 200, body: { valid: false, reason: "Your license was revoked, call us" } }, "bad_response", {}],
  ];
  for (const [behaviour, code, extra] of failures) {
    worker.next(behaviour);
    expectResult(await client.check(), okOffline("inst_1", exp, code, extra), JSON.stringify(behaviour).slice(0, 50));
  }
  return `${failures.length} failures`;
});

test("check offline: a Worker slower than timeoutMs is unreachable (its signal aborted); a fetch that ignores the signal too", async ({ setup }) => {
  const { worker, clock, make } = await setup();
  const client = make({ timeoutMs: 40 });
  await client.activate(KEY);
  const exp = expiresFrom(clock.ms);
  worker.next({ hang: true, honourAbort: true });
  let t0 = Date.now();
  expectResult(await within(2000, client.check(), "hang"), okOffline("inst_1", exp, "unreachable"), "hang");
  const took = Date.now() - t0;
  check(took >= 35 && took < 2000, `took ${took} ms`);
  eq(worker.aborted, 1, "aborted requests");
  check(worker.requests.at(-1).signal?.aborted === true, "the request's signal is aborted");
  worker.next({ hang: true, honourAbort: false });
  t0 = Date.now();
  expectResult(await within(2000, client.check(), "hang, signal ignored"), okOffline("inst_1", exp, "unreachable"), "hang, signal ignored");
  check(Date.now() - t0 < 2000, "not waiting for a fetch that never ends");
  // A slow answer that arrives within the timeout is an answer.
  worker.next({ delayMs: 10 });
  expectResult(await client.check(), okOnline("inst_1", expiresFrom(clock.ms)), "slow but in time");
  return `timed out after ${took} ms`;
});

test("check offline: expired at exp (the boundary second included)", async ({ setup }) => {
  const { client, worker, clock } = await setup();
  await client.activate(KEY);
  const exp = expiresFrom(clock.ms);
  clock.ms = exp - 1;
  worker.next("unreachable");
  expectResult(await client.check(), okOffline("inst_1", exp, "unreachable"), "just before");
  clock.ms = exp;
  worker.next("unreachable");
  expectResult(await client.check(), noOffline("expired", "inst_1", "unreachable"), "at exp");
  clock.ms = exp + 30 * 86_400_000;
  worker.next("unreachable");
  expectResult(await client.check(), noOffline("expired", "inst_1", "unreachable"), "long after");
  return "expired";
});

test("check offline: the clock set back more than 5 minutes → clock_rollback; a few minutes are tolerated", async ({ setup }) => {
  const { client, worker, store, clock } = await setup();
  await client.activate(KEY);
  const exp = expiresFrom(clock.ms);
  clock.ms += 2 * 86_400_000;
  worker.next("unreachable");
  await client.check();
  const seen = clock.ms;
  eq(record(store).seenAt, seen, "seenAt follows the clock");
  for (const back of [MINUTE, 4 * MINUTE, 5 * MINUTE]) {
    clock.ms = seen - back;
    worker.next("unreachable");
    expectResult(await client.check(), okOffline("inst_1", exp, "unreachable"), `${back / MINUTE} min back`);
  }
  clock.ms = seen - 5 * MINUTE - 1;
  worker.next("unreachable");
  expectResult(await client.check(), noOffline("clock_rollback", "inst_1", "unreachable"), "just over 5 min back");
  // Back to a day after activation, well inside the token's life: still refused.
  clock.ms = seen - 86_400_000;
  worker.next("unreachable");
  expectResult(await client.check(), noOffline("clock_rollback", "inst_1", "unreachable"), "a day back");
  eq(record(store).seenAt, seen, "a clock set back never lowers seenAt");
  // The same through activate's offline path.
  worker.next("unreachable");
  expectResult(await client.activate(KEY), noOffline("clock_rollback", "inst_1", "unreachable"), "activate");
  return "rollback caught";
});

test("seenAt: a clock set forward and then corrected heals with the next fresh answer", async ({ setup }) => {
  const { client, worker, store, clock } = await setup();
  await client.activate(KEY);
  const real = clock.ms;
  clock.ms = real + 365 * 86_400_000; // a year ahead
  worker.next("unreachable");
  expectResult(await client.check(), noOffline("expired", "inst_1", "unreachable"), "a year ahead");
  eq(record(store).seenAt, clock.ms, "seenAt a year ahead");
  clock.ms = real + MINUTE; // corrected
  worker.next("unreachable");
  expectResult(await client.check(), noOffline("clock_rollback", "inst_1", "unreachable"), "corrected, offline");
  // The Worker's answer brings seenAt back to the real time (it goes down).
  expectResult(await client.check(), okOnline("inst_1", expiresFrom(clock.ms)), "online");
  eq(record(store).seenAt, clock.ms, "seenAt healed");
  worker.next("unreachable");
  expectResult(await client.check(), okOffline("inst_1", expiresFrom(clock.ms), "unreachable"), "offline again");
  return "healed";
});

test("seenAt: a token's iat counts as time seen (this device's clock a little behind the Worker's)", async ({ setup }) => {
  const { client, worker, store, clock } = await setup();
  worker.skewMs = 45_000;
  await client.activate(KEY);
  eq(record(store).seenAt, Math.floor((clock.ms + 45_000) / 1000) * 1000, "seenAt = iat");
  return "iat counted";
});

test("check offline: a seat stored without a token → no_token", async ({ setup }) => {
  const { client, worker, store, clock } = await setup();
  store.map.set(STORAGE_KEY, JSON.stringify({ v: 1, licenseKey: KEY, instanceId: "inst_1", seenAt: clock.ms }));
  worker.next("unreachable");
  expectResult(await client.check(), noOffline("no_token", "inst_1", "unreachable"));
  return "no_token";
});

test("check offline: storage copied to another machine → wrong_device, and that copy's seat is cleared", async ({ setup }) => {
  const { client, worker, store, make } = await setup();
  await client.activate(KEY);
  const copy = syncStorage();
  copy.map.set(STORAGE_KEY, store.map.get(STORAGE_KEY));
  const elsewhere = make({ fingerprint: OTHER_FP, storage: copy });
  worker.next("unreachable");
  expectResult(await elsewhere.check(), noOffline("wrong_device", null, "unreachable"));
  eq(copy.map.size, 0, "the copy is cleared");
  worker.next("unreachable");
  expectResult(await elsewhere.check(), noOnline("not_activated"), "then");
  check(store.map.has(STORAGE_KEY), "the original is untouched");
  return "copy refused";
});

test("check offline: a tampered stored token → bad_signature / malformed / unsupported_alg", async ({ setup }) => {
  const { client, worker, store } = await setup();
  await client.activate(KEY);
  const rec = record(store);
  const [h, p, s] = rec.token.split(".");
  const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(p.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0))));
  const reencode = (obj) => btoa(JSON.stringify(obj)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const tampered = [
    [`${h}.${reencode({ ...claims, exp: claims.exp + 365 * 86400 })}.${s}`, "bad_signature"],
    [`${h}.${p}.${s.slice(0, 10)}${s[10] === "A" ? "B" : "A"}${s.slice(11)}`, "bad_signature"],
    [`${h}.${p}`, "malformed"],
    ["", "malformed"],
    [`${reencode({ alg: "none", kid: worker.key.kid })}.${p}.`, "unsupported_alg"],
    // A token signed by someone else's key, the Worker's kid in its header.
    [await signToken(globalThis.crypto, { ...worker.forger, kid: worker.key.kid }, claims), "bad_signature"],
  ];
  for (const [token, reason] of tampered) {
    store.map.set(STORAGE_KEY, JSON.stringify({ ...rec, token }));
    worker.next("unreachable");
    expectResult(await client.check(), noOffline(reason, "inst_1", "unreachable"), reason);
  }
  return `${tampered.length} tamperings`;
});

test("check offline: a genuine token for another issuer, product, key, instance or device, or unbound, put into storage → its binding refuses it", async ({ setup }) => {
  const { client, worker, store, clock } = await setup();
  await client.activate(KEY);
  const rec = record(store);
  const ours = { sub: await worker.sub(KEY), product_id: PRODUCT, instance_id: "inst_1", device: await worker.device(KEY, FP), valid: true, reason: "ok" };
  const mintWith = async (claims, rewrite = null) => {
    worker.claims = rewrite;
    try {
      return await worker.mint(claims);
    } finally {
      worker.claims = null;
    }
  };
  const put = (token) => store.map.set(STORAGE_KEY, JSON.stringify({ ...rec, token }));
  // The harness's own token for this seat passes, so each refusal below is its binding's doing.
  put(await mintWith(ours));
  worker.next("unreachable");
  expectResult(await client.check(), okOffline("inst_1", expiresFrom(clock.ms), "unreachable"), "control");
  const foreign = [
    [await mintWith(ours, (c) => ({ ...c, iss: "https://staging.example.com" })), "wrong_issuer"],
    [await mintWith({ ...ours, product_id: OTHER_PRODUCT }), "wrong_product"],
    [await mintWith({ ...ours, sub: await worker.sub(KEY2) }), "wrong_license"],
    [await mintWith({ ...ours, instance_id: "inst_2" }), "wrong_instance"],
    [await mintWith({ sub: ours.sub, product_id: PRODUCT, valid: true, reason: "ok" }), "unbound"],
  ];
  for (const [token, reason] of foreign) {
    put(token);
    worker.next("unreachable");
    expectResult(await client.check(), noOffline(reason, "inst_1", "unreachable"), reason);
    check(store.map.has(STORAGE_KEY), `${reason}: the seat is kept`);
  }
  // This seat's token minted for another machine: wrong_device, and the seat is cleared.
  put(await mintWith({ ...ours, device: await worker.device(KEY, OTHER_FP) }));
  worker.next("unreachable");
  expectResult(await client.check(), noOffline("wrong_device", null, "unreachable"), "wrong_device");
  eq(store.map.size, 0, "cleared after wrong_device");
  return `${foreign.length + 1} foreign tokens`;
});

// ---- storage -------------------------------------------------------------------------------

test("storage: missing, not JSON, or the wrong shape counts as nothing stored (never throws)", async ({ setup, LicenseClientError }) => {
  const { client, worker, store, clock } = await setup();
  await client.activate(KEY);
  const good = record(store);
  const corrupt = [
    "", "{", "null", "[]", "42", "\"text\"", "{}",
    JSON.stringify({ ...good, v: 2 }),
    JSON.stringify({ ...good, v: "1" }),
    JSON.stringify({ ...good, licenseKey: "" }),
    JSON.stringify({ ...good, licenseKey: 5 }),
    JSON.stringify({ ...good, instanceId: null }),
    JSON.stringify({ ...good, instanceId: "" }),
    JSON.stringify({ ...good, token: 5 }),
    JSON.stringify({ ...good, token: null }),
    JSON.stringify({ ...good, seenAt: "now" }),
    JSON.stringify({ ...good, seenAt: -1 }),
    JSON.stringify({ ...good, seenAt: undefined }),
    JSON.stringify({ ...good, seenAt: null }),
  ];
  const nonStrings = [undefined, null, 42, { ...good }, [JSON.stringify(good)]];
  const before = worker.requests.length;
  for (const value of [...corrupt, ...nonStrings]) {
    store.map.set(STORAGE_KEY, value);
    expectResult(await client.check(), noOnline("not_activated"), `stored ${JSON.stringify(value)?.slice(0, 40)}`);
  }
  eq(worker.requests.length, before, "no request for a corrupt record");
  // deactivate and devices see nothing stored either.
  store.map.set(STORAGE_KEY, "{");
  await expectClientError(client.deactivate(), LicenseClientError, { code: "not_activated", status: null }, "deactivate");
  // Activation overwrites the garbage with a good record.
  expectResult(await client.activate(KEY), okOnline("inst_1", expiresFrom(clock.ms)), "activate over garbage");
  eq(record(store).instanceId, "inst_1", "record rewritten");
  return `${corrupt.length + nonStrings.length} corrupt values`;
});

test("storage: async get/set/delete behave the same as sync ones (a whole life cycle)", async ({ setup, LicenseClientError }) => {
  const { client, worker, store, clock } = await setup({ storage: "async" });
  expectResult(await client.check(), noOnline("not_activated"), "before");
  expectResult(await client.activate(KEY), okOnline("inst_1", expiresFrom(clock.ms)), "activate");
  check(typeof store.map.get(STORAGE_KEY) === "string", "stored as a string");
  worker.next("unreachable");
  expectResult(await client.check(), okOffline("inst_1", expiresFrom(clock.ms), "unreachable"), "offline");
  eq((await client.devices()).map((d) => [d.id, d.current]), [["inst_1", true]], "devices");
  eq(await client.deactivate(), { deactivated: true, uses: 0 }, "deactivate");
  eq(store.map.size, 0, "cleared");
  await expectClientError(client.deactivate(), LicenseClientError, { code: "not_activated", status: null }, "nothing left");
  await client.activate(KEY);
  await client.forget();
  eq(store.map.size, 0, "forgotten");
  return "async storage";
});

test("storage: the client never reads keys from storage (a JWKS or key put there is ignored)", async ({ setup }) => {
  const { client, worker, store } = await setup();
  await client.activate(KEY);
  const rec = record(store);
  const attacker = worker.forger;
  const claims = { sub: await worker.sub(KEY), product_id: PRODUCT, instance_id: "inst_1", device: await worker.device(KEY, FP), valid: true, reason: "ok", iss: BASE, iat: T, exp: T + 10 * 365 * 86400 };
  const forged = await signToken(globalThis.crypto, attacker, claims);
  // The attacker's keys everywhere a careless client might look.
  store.map.set(STORAGE_KEY, JSON.stringify({ ...rec, token: forged, jwks: { keys: [attacker.jwk] }, keys: [attacker.jwk], publicKeys: [attacker.jwk] }));
  for (const k of ["gumroad-wasm:jwks", "gumroad-wasm:keys", `gumroad-wasm:jwks:${PRODUCT}`, "jwks"]) store.map.set(k, JSON.stringify({ keys: [attacker.jwk] }));
  worker.next("unreachable");
  expectResult(await client.check(), noOffline("unknown_key", "inst_1", "unreachable"), "attacker kid");
  const forgedUnderOurKid = await signToken(globalThis.crypto, { ...attacker, kid: worker.key.kid }, claims);
  store.map.set(STORAGE_KEY, JSON.stringify({ ...rec, token: forgedUnderOurKid, jwks: { keys: [{ ...attacker.jwk, kid: worker.key.kid }] } }));
  worker.next("unreachable");
  expectResult(await client.check(), noOffline("bad_signature", "inst_1", "unreachable"), "our kid");
  return "storage keys ignored";
});

test("storage: errors thrown by the app's storage reach the caller (they are not taken for an empty store)", async ({ setup }) => {
  const { make } = await setup();
  const boom = new Error("disk full");
  const failing = { get: () => Promise.reject(boom), set: () => {}, delete: () => {} };
  const e = await rejection(make({ storage: failing }).check(), "get rejects");
  check(e === boom, `got ${e?.message}`);
  const failingSet = { get: () => undefined, set: () => { throw boom; }, delete: () => {} };
  check((await rejection(make({ storage: failingSet }).activate(KEY), "set throws")) === boom, "set error");
  return "propagated";
});

// ---- fingerprint ---------------------------------------------------------------------------

test("fingerprint: a sync function and an async one are called per call and trimmed; a bad result rejects with TypeError", async ({ setup }) => {
  const { worker, make, clock } = await setup();
  let calls = 0;
  const sync = make({ fingerprint: () => (calls++, `  ${FP}\n`), storage: syncStorage() });
  expectResult(await sync.activate(KEY), okOnline("inst_1", expiresFrom(clock.ms)), "sync");
  expectResult(await sync.check(), okOnline("inst_1", expiresFrom(clock.ms)), "sync check");
  eq(calls, 2, "calls");
  eq(worker.requests.map((r) => r.body.fingerprint), [FP, FP], "sent trimmed");
  const asyncFp = make({ fingerprint: async () => { await new Promise((r) => setTimeout(r, 1)); return FP; }, storage: syncStorage() });
  expectResult(await asyncFp.activate(KEY), okOnline("inst_1", expiresFrom(clock.ms)), "async: the same device, so the same seat");
  const before = worker.requests.length;
  for (const bad of [undefined, 42, "", "   ", "x".repeat(513), null]) {
    const c = make({ fingerprint: () => bad, storage: syncStorage() });
    const e = await expectTypeError(c.activate(KEY), `activate with ${String(bad).slice(0, 10)}`);
    check(e.message.includes("`fingerprint`"), e.message);
    await expectTypeError(make({ fingerprint: async () => bad, storage: syncStorage() }).check(), `check with ${String(bad).slice(0, 10)}`);
  }
  eq(worker.requests.length, before, "no request with a bad fingerprint");
  // 512 characters after trimming is the limit.
  expectResult(await make({ fingerprint: () => ` ${"f".repeat(512)} `, storage: syncStorage() }).activate(KEY), okOnline("inst_2", expiresFrom(clock.ms)), "512");
  // A fingerprint function that throws: its own error comes back.
  const boom = new Error("no machine id");
  check((await rejection(make({ fingerprint: () => { throw boom; } }).check(), "throws")) === boom, "thrown error");
  return "fingerprint functions";
});

// ---- the network ---------------------------------------------------------------------------

test("fetch: only the four routes, POST + JSON; the default is globalThis.fetch read at call time", async ({ setup, LicenseClient }) => {
  const { client, worker, options } = await setup({ licenses: [[KEY2, {}]] });
  await client.check();
  await client.activate(KEY);
  await client.check();
  await client.devices();
  await client.devices({ licenseKey: KEY2 });
  await client.deactivate();
  await client.forget();
  eq([...new Set(routesOf(worker))].sort(), [...ROUTES].sort(), "routes used");
  check(worker.requests.every((r) => r.method === "POST" && r.contentType === "application/json"), "POST JSON");
  const { fetch: _, ...noFetch } = options;
  const client2 = new LicenseClient({ ...noFetch, storage: syncStorage() });
  const saved = globalThis.fetch;
  let calledWithThis = "unset";
  const used = [];
  try {
    // Replaced after construction, and again between calls: each call reads the current one.
    globalThis.fetch = function (url, init) {
      calledWithThis = this;
      used.push("first");
      return worker.fetch(url, init);
    };
    check((await client2.activate(KEY)).valid, "activate through globalThis.fetch");
    globalThis.fetch = (url, init) => (used.push("second"), worker.fetch(url, init));
    check((await client2.check()).valid, "check through the next globalThis.fetch");
  } finally {
    globalThis.fetch = saved;
  }
  eq(used, ["first", "second"], "fetches used");
  check(calledWithThis === undefined || calledWithThis === globalThis, "fetch called unbound (not as a method of the client)");
  eq(worker.requests.length, 7, "requests (check without a seat makes none)");
  return `${worker.requests.length} requests`;
});

test("serial: calls on one client run one at a time (a forget() during a check() is not undone by its answer)", async ({ setup }) => {
  const { client, worker, store } = await setup();
  await client.activate(KEY);
  worker.next({ delayMs: 20 });
  const checking = client.check();
  const forgetting = client.forget();
  const [r] = await Promise.all([checking, forgetting]);
  check(r.valid, "the check itself succeeded");
  eq(store.map.size, 0, "forgotten after the check");
  // Concurrent activations of one client make one request at a time.
  let inFlight = 0;
  let most = 0;
  const counting = async (url, init) => {
    inFlight++;
    most = Math.max(most, inFlight);
    try {
      await new Promise((res) => setTimeout(res, 5));
      return await second.worker.fetch(url, init);
    } finally {
      inFlight--;
    }
  };
  const second = await setup();
  const c2 = second.make({ fetch: counting, storage: syncStorage() });
  await Promise.all([c2.activate(KEY), c2.check(), c2.check(), c2.devices()]);
  eq(most, 1, "requests in flight at once");
  return "serialised";
});

// ---- deactivate, devices, forget -----------------------------------------------------------

test("deactivate: the stored seat by default → the Worker frees it, the seat is cleared, the body resolves", async ({ setup }) => {
  const { client, worker, store } = await setup();
  await client.activate(KEY);
  eq(await client.deactivate(), { deactivated: true, uses: 0 }, "answer");
  eq(worker.requests.at(-1).body, { license_key: KEY, product_id: PRODUCT, instance_id: "inst_1" }, "deactivate body");
  eq(store.map.size, 0, "cleared");
  eq(worker.license(KEY).instances.size, 0, "freed on the Worker");
  expectResult(await client.check(), noOnline("not_activated"), "then");
  return "freed";
});

test("deactivate: another device's seat (instanceId given) keeps ours; an explicit key without instance uses ours only for our key", async ({ setup, LicenseClientError }) => {
  const { client, worker, store, make } = await setup({ licenses: [[KEY2, {}]] });
  await make({ fingerprint: OTHER_FP, storage: syncStorage() }).activate(KEY); // inst_1
  await client.activate(KEY); // inst_2
  eq(await client.deactivate({ instanceId: "inst_1" }), { deactivated: true, uses: 1 }, "other seat");
  eq(record(store).instanceId, "inst_2", "our seat kept");
  // Our own seat named explicitly, with the key in other case: it is ours, so it is cleared.
  eq(await client.deactivate({ instanceId: "inst_2", licenseKey: ` ${KEY.toLowerCase()}` }), { deactivated: true, uses: 0 }, "ours, explicit");
  eq(store.map.size, 0, "cleared");
  await client.activate(KEY); // inst_3
  // Another key and no instance: our instance belongs to KEY, so there is nothing to name.
  await expectClientError(client.deactivate({ licenseKey: KEY2 }), LicenseClientError, { code: "not_activated", status: null }, "other key");
  check(store.map.has(STORAGE_KEY), "kept");
  eq(worker.requests.at(-1).url.endsWith("/v1/licenses/activate"), true, "no request for that");
  return "targeted";
});

test("deactivate: 404 unknown_instance for our own seat clears it, then rejects; for another seat keeps ours", async ({ setup, LicenseClientError }) => {
  const { client, worker, store } = await setup();
  await client.activate(KEY);
  await expectClientError(client.deactivate({ instanceId: "inst_77" }), LicenseClientError, { code: "unknown_instance", status: 404 }, "another seat");
  check(store.map.has(STORAGE_KEY), "our seat kept");
  worker.license(KEY).instances.clear();
  await expectClientError(client.deactivate(), LicenseClientError, { code: "unknown_instance", status: 404 }, "ours");
  eq(store.map.size, 0, "cleared");
  return "unknown_instance";
});

test("deactivate: failures reject with LicenseClientError (not_activated, unreachable, 429 + retryAfter, http_500, bad_response) and keep the seat", async ({ setup, LicenseClientError }) => {
  const { client, worker, store, make } = await setup();
  await expectClientError(client.deactivate(), LicenseClientError, { code: "not_activated", status: null }, "nothing stored");
  eq(worker.requests.length, 0, "no request without a seat");
  await expectClientError(make({ storage: syncStorage() }).deactivate({ instanceId: "inst_1" }), LicenseClientError, { code: "not_activated", status: null }, "an instance but no key");
  await client.activate(KEY);
  worker.next("unreachable");
  await expectClientError(client.deactivate(), LicenseClientError, { code: "unreachable", status: null }, "unreachable");
  worker.next({ status: 429, body: { error: { code: "rate_limited" } }, headers: { "retry-after": "42" } });
  const e = await expectClientError(client.deactivate(), LicenseClientError, { code: "rate_limited", status: 429 }, "429");
  eq(e.retryAfter, 42, "retryAfter");
  worker.next({ status: 500, body: "" });
  const e500 = await expectClientError(client.deactivate(), LicenseClientError, { code: "http_500", status: 500 }, "500");
  check(!("retryAfter" in e500), "no retryAfter without one");
  worker.next({ status: 200, body: { deactivated: false } });
  await expectClientError(client.deactivate(), LicenseClientError, { code: "bad_response", status: 200 }, "200 but not deactivated");
  eq(record(store).instanceId, "inst_1", "seat kept through failures");
  eq(worker.license(KEY).instances.size, 1, "still taken on the Worker");
  for (const bad of [42, "inst_1", { instanceId: 5 }, { licenseKey: "" }, { instanceId: "  " }, null]) {
    await expectTypeError(client.deactivate(bad), `deactivate(${JSON.stringify(bad)})`);
  }
  return "failures";
});

test("devices: the license's seats with current marking this device's; explicit key; failures", async ({ setup, LicenseClientError }) => {
  const { client, worker, make, clock } = await setup({ licenses: [[KEY2, {}]] });
  await expectClientError(client.devices(), LicenseClientError, { code: "not_activated", status: null }, "nothing stored");
  await make({ fingerprint: OTHER_FP, storage: syncStorage(), deviceName: undefined }).activate(KEY);
  await client.activate(KEY);
  const at = new Date(Math.floor(clock.ms / 1000) * 1000).toISOString();
  eq(await client.devices(), [
    { id: "inst_1", name: null, activatedAt: at, current: false },
    { id: "inst_2", name: "Ada's laptop", activatedAt: at, current: true },
  ], "devices");
  eq(worker.requests.at(-1).body, { license_key: KEY, product_id: PRODUCT }, "instances body");
  eq(await client.devices({ licenseKey: KEY2 }), [], "another key: none (and none current)");
  worker.next({ status: 200, body: { instances: [{ id: "inst_2", name: 7, activated_at: null }, { name: "no id" }, null, "x"] } });
  eq(await client.devices(), [{ id: "inst_2", name: null, activatedAt: null, current: true }], "odd entries skipped or nulled");
  worker.next("unreachable");
  await expectClientError(client.devices(), LicenseClientError, { code: "unreachable", status: null }, "unreachable");
  worker.next({ status: 200, body: { instances: "all of them" } });
  await expectClientError(client.devices(), LicenseClientError, { code: "bad_response", status: 200 }, "instances not an array");
  await expectClientError(client.devices({ licenseKey: "DEC0DE00-FFFFFFFF-FFFFFFFF-FFFFFFFF" }), LicenseClientError, { code: "not_found", status: 404 }, "unknown key");
  worker.next({ status: 503, body: { error: { code: "upstream_rate_limited" } }, headers: { "retry-after": "5" } });
  eq((await expectClientError(client.devices(), LicenseClientError, { code: "upstream_rate_limited", status: 503 }, "503")).retryAfter, 5, "retryAfter");
  await expectTypeError(client.devices({ licenseKey: 42 }), "devices({ licenseKey: 42 })");
  return "devices";
});

test("forget: clears the stored seat without a request; the seat stays taken on the Worker", async ({ setup }) => {
  const { client, worker, store } = await setup();
  await client.activate(KEY);
  const n = worker.requests.length;
  eq(await client.forget(), undefined, "resolves to undefined");
  eq([store.map.size, worker.requests.length, worker.license(KEY).instances.size], [0, n, 1], "after forget");
  await client.forget();
  return "forgotten";
});

// ---- what never leaks ----------------------------------------------------------------------

test("no license key or fingerprint in any error message or result (even when the Worker echoes them)", async ({ setup, LicenseClient }) => {
  const { client, worker, options, make } = await setup();
  const secrets = [KEY, KEY.toLowerCase(), FP];
  const seen = [];
  const collect = async (p) => {
    try {
      seen.push(JSON.stringify(await p));
    } catch (e) {
      seen.push(`${e?.name}: ${e?.message} ${e?.code ?? ""} ${e?.stack ?? ""}`);
    }
  };
  // A misbehaving server echoing the key and fingerprint as its codes and reasons.
  const echoes = [
    { status: 400, body: { error: { code: KEY.toLowerCase(), message: KEY } } },
    { status: 400, body: { error: { code: FP, message: FP } } },
    { status: 200, body: { valid: false, reason: FP } },
    { status: 200, body: { valid: false, reason: KEY } },
  ];
  for (const e of echoes) {
    worker.next(e);
    await collect(client.activate(KEY));
  }
  await client.activate(KEY);
  for (const e of echoes) {
    worker.next(e);
    await collect(client.check());
    worker.next(e);
    await collect(client.deactivate());
    worker.next(e);
    await collect(client.devices());
  }
  await collect(client.deactivate({ licenseKey: KEY2 }));
  await collect(make({ fingerprint: () => `${FP}${"x".repeat(600)}` }).check());
  await collect(client.activate(` `));
  await collect(client.deactivate({ licenseKey: 5 }));
  await collect(Promise.resolve().then(() => new LicenseClient({ ...options, fingerprint: `${FP}${"x".repeat(600)}` })));
  await collect(Promise.resolve().then(() => new LicenseClient({ ...options, url: `https://${FP}.example.com/?key=${KEY}` })));
  for (const text of seen) for (const s of secrets) check(!text.includes(s), `leaks ${s.slice(0, 8)}…: ${text.slice(0, 200)}`);
  check(seen.filter((t) => t.includes("LicenseClientError") || t.includes("TypeError")).length >= 10, `errors collected: ${seen.length}`);
  return `${seen.length} outcomes checked`;
});

/** Names of all cases, so a runner can check that a runtime ran every one of them. */
export const LICENSE_CASE_NAMES = cases.map((c) => c.name);

/**
 * Runs every case against the package's license entry (`lib`: LicenseClient, LicenseClientError,
 * verifyLicenseToken, licenseKeyHash, deviceHash) with the runtime's WebCrypto. Resolves to
 * [{name, ok, detail}].
 */
export async function runLicenseCases(lib) {
  const results = [];
  for (const { name, fn } of cases) {
    const workers = [];
    // A fresh stand-in Worker, clock, storage and client; `make(over)` builds more clients on them.
    const setup = async ({ storage = "sync", licenses = [], base = BASE } = {}) => {
      const clock = { ms: NOW_MS };
      const worker = await createStandIn(globalThis.crypto, { base, clock });
      workers.push(worker);
      worker.addLicense(KEY, { productId: PRODUCT });
      for (const [k, opts] of licenses) worker.addLicense(k, { productId: PRODUCT, ...opts });
      const store = storage === "async" ? asyncStorage() : syncStorage();
      const options = { url: base, productId: PRODUCT, publicKeys: worker.jwks, fingerprint: FP, deviceName: "Ada's laptop", storage: store, fetch: worker.fetch, now: () => clock.ms, timeoutMs: 2000 };
      const make = (over = {}) => new lib.LicenseClient({ ...options, ...over });
      return { clock, worker, store, options, make, client: make() };
    };
    try {
      const detail = String((await fn({ ...lib, setup })) ?? "");
      const off = workers.flatMap((w) => w.offRoute);
      if (off.length) throw new CaseFailure(`requests off the four routes: ${off.join(", ")}`);
      results.push({ name, ok: true, detail });
    } catch (e) {
      results.push({ name, ok: false, detail: e instanceof CaseFailure ? e.message : `${e?.name}: ${e?.message}\n${e?.stack ?? ""}` });
    }
  }
  return results;
}
