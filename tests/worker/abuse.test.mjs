// What floods and misconfigurations cost (findings 8 and 9 of the security review), against the
// real Worker in workerd, and the shipped worker/wrangler.toml's defaults (deliverable 10).
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { P3, KEY, GENEROUS_LIMITS, setup, withDefaults, loggedWorker, tempDir, storedLedgers, postTo } from "./helpers.mjs";
import { startMock } from "../support/mock.mjs";
import { WRANGLER_TOML, shippedRateLimits } from "../support/worker.mjs";

const madeUp = (i) => `FFFFFFFF-0000BEEF-00000000-${String(i).padStart(8, "0")}`;
const limits = (over) => ({ ...GENEROUS_LIMITS, ...Object.fromEntries(Object.entries(over).map(([k, limit]) => [k, { simple: { limit, period: 60 } }])) });

test("finding 8: activations and verifies of keys Gumroad does not know store nothing", async (t) => {
  const mock = await startMock();
  t.after(() => mock.stop());
  const doDir = tempDir(t, "ledger-flood-");
  const { mf } = await loggedWorker(t, { bindings: withDefaults(mock, {}), doDir });
  for (let i = 0; i < 6; i++) {
    const r = await postTo(mf, "/v1/licenses/activate", { product_id: P3, license_key: madeUp(i), fingerprint: `bot-${i}` });
    assert.deepEqual([r.status, r.body.valid, r.body.reason], [200, false, "not_found"], r.text);
    const v = await postTo(mf, "/v1/licenses/verify", { product_id: P3, license_key: madeUp(100 + i) });
    assert.equal(v.body.reason, "not_found");
  }
  // Control: a real activation is stored.
  assert.equal((await postTo(mf, "/v1/licenses/activate", { product_id: P3, license_key: KEY(1), fingerprint: "pc" })).status, 200);
  await mf.dispose();
  assert.deepEqual(storedLedgers(doDir).length, 1, "one object keeps a ledger: the real license's");
});


test("finding 8: a per-location budget of upstream calls bounds a flood of random keys (429 rate_limited); cache hits still answer", async (t) => {
  const env = await setup(t, { ratelimits: limits({ RATE_LIMIT_UPSTREAM: 4 }) });
  const known = await env.verify({ product_id: P3, license_key: KEY(1) });
  assert.equal(known.body.valid, true);
  const answers = [];
  for (let i = 0; i < 6; i++) answers.push(await env.verify({ product_id: P3, license_key: madeUp(i) }, { "cf-connecting-ip": `203.0.113.${i}` }));
  assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 429, 429, 429], "the budget counts every address");
  for (const r of answers.slice(3)) {
    assert.equal(r.body.error.code, "rate_limited");
    assert.equal(r.headers.get("retry-after"), "60");
  }
  const upstream = (await env.verifyCalls()).length;
  assert.equal(upstream, 4, "no upstream call past the budget");
  const hit = await env.verify({ product_id: P3, license_key: KEY(1) });
  assert.deepEqual([hit.status, hit.headers.get("x-license-cache")], [200, "hit"], "a cached answer costs no budget");
  // Activations and device lists past the budget are refused before the ledger, counting nothing
  // (a device list costs a Durable Object request).
  const act = await env.activate({ product_id: P3, license_key: KEY(5), fingerprint: "pc" });
  assert.deepEqual([act.status, act.body.error.code], [429, "rate_limited"]);
  assert.equal((await env.countingCalls()).length, 0);
  const list = await env.instances({ product_id: P3, license_key: madeUp(50) }, { "cf-connecting-ip": "203.0.113.77" });
  assert.deepEqual([list.status, list.body.error.code], [429, "rate_limited"]);
});

test("finding 8: past the budget pings get 429 (Gumroad retries) without reaching a ledger (attack review 2)", async (t) => {
  const env = await setup(t, { ratelimits: limits({ RATE_LIMIT_UPSTREAM: 2 }) });
  const answers = [];
  for (let i = 0; i < 5; i++) answers.push(await env.ping({ resource_name: "refund", product_id: P3, license_key: madeUp(300 + i), refunded: "true" }));
  assert.deepEqual(answers.map((a) => a.status), [200, 200, 429, 429, 429]);
  assert.equal(answers[4].body.error.code, "rate_limited");
  assert.equal((await env.verifyCalls()).length, 2, "only the pings within the budget asked Gumroad");
});

test("finding 8: made-up keys activated while Gumroad fails store nothing either", async (t) => {
  const mock = await startMock();
  t.after(() => mock.stop());
  const doDir = tempDir(t, "ledger-outage-");
  const { mf } = await loggedWorker(t, { bindings: withDefaults(mock, {}), doDir });
  await fetch(`${mock.url}/__mock/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kind: "503", path: "/licenses/verify" }) });
  for (let i = 0; i < 5; i++) {
    const r = await postTo(mf, "/v1/licenses/activate", { product_id: P3, license_key: madeUp(200 + i), fingerprint: `bot-${i}` });
    assert.ok(r.status >= 500, r.text);
  }
  await fetch(`${mock.url}/__mock/faults`, { method: "DELETE" });
  assert.equal((await postTo(mf, "/v1/licenses/activate", { product_id: P3, license_key: KEY(1), fingerprint: "pc" })).status, 200, "control");
  await mf.dispose();
  assert.equal(storedLedgers(doDir).length, 1, "only the real license's ledger");
});

test("finding 8: the rate-limit key is CF-Connecting-IPv6 when present (CF-Connecting-IP may be a shared pseudo-IPv4)", async (t) => {
  const env = await setup(t, { ratelimits: limits({ RATE_LIMIT_VERIFY_IP: 2 }) });
  const pseudo = "240.0.0.1";
  const body = { product_id: P3, license_key: KEY(1) };
  // Three subscribers behind one pseudo-IPv4: each their own /64.
  for (const v6 of ["2001:db8:1:1::5", "2001:db8:1:2::5", "2001:db8:1:3::5"]) {
    for (let i = 0; i < 2; i++) assert.equal((await env.verify(body, { "cf-connecting-ip": pseudo, "cf-connecting-ipv6": v6 })).status, 200, v6);
  }
  // One subscriber whatever pseudo-IPv4 it shows: limited by its /64.
  const over = await env.verify(body, { "cf-connecting-ip": "240.0.0.9", "cf-connecting-ipv6": "2001:db8:1:1::77" });
  assert.equal(over.status, 429);
  // Without the IPv6 header, CF-Connecting-IP is the key.
  for (let i = 0; i < 2; i++) assert.equal((await env.verify(body, { "cf-connecting-ip": "198.51.100.4" })).status, 200);
  assert.equal((await env.verify(body, { "cf-connecting-ip": "198.51.100.4" })).status, 429);
});

test("finding 9: a PING_SECRET that a URL would mangle (a + or /) is a misconfiguration, not a silent 403 for every ping", async (t) => {
  const mock = await startMock();
  t.after(() => mock.stop());
  // The shape of `openssl rand -base64 32`.
  const secret = "q3Vx+1Z0m9Kp2Lr8Ts7Uw6Yx5Az4Bc3De2Fg1Hi0Jk/=";
  const { mf, logs } = await loggedWorker(t, { bindings: withDefaults(mock, { PING_SECRET: secret }) });
  for (const p of [`/v1/gumroad/ping?secret=${encodeURIComponent(secret)}`, "/v1/licenses/verify"]) {
    const r = await postTo(mf, p, { product_id: P3, license_key: KEY(1) });
    assert.deepEqual([r.status, r.body.error.code], [500, "misconfigured"], p);
    assert.ok(!r.text.includes(secret) && !r.text.includes("PING_SECRET"));
  }
  assert.match(logs(), /PING_SECRET may hold only A-Z a-z 0-9 \. _ ~ -/);
  assert.ok(!logs().includes(secret), "the secret is not logged");
});

/** What is unsafe in a wrangler.toml for the license Worker (empty: nothing). */
function unsafeDefaults(toml) {
  const problems = [];
  const vars = toml.slice(Math.max(0, toml.indexOf("[vars]")));
  const maxUses = /^MAX_USES\s*=\s*"([^"]*)"/m.exec(vars)?.[1];
  if (!/^[1-9]\d*$/.test(maxUses ?? "")) problems.push(`MAX_USES = ${JSON.stringify(maxUses)}: not a finite number of devices per seat`);
  if (/^\s*RATE_LIMITS\s*=\s*"off"/m.test(toml)) problems.push("RATE_LIMITS = \"off\" (for local experiments only)");
  const bound = Object.keys(shippedRateLimits(toml));
  for (const name of ["RATE_LIMIT_CHANGE_IP", "RATE_LIMIT_UPSTREAM", "RATE_LIMIT_VERIFY_IP", "RATE_LIMIT_VERIFY_KEY"]) {
    if (!bound.includes(name)) problems.push(`no [[ratelimits]] ${name}`);
  }
  return problems;
}

test("deliverable 10: worker/wrangler.toml ships a finite MAX_USES and every rate limit on", () => {
  assert.deepEqual(unsafeDefaults(fs.readFileSync(WRANGLER_TOML, "utf8")), []);
});

test("deliverable 10: that check catches an empty MAX_USES, RATE_LIMITS=off and a missing limiter", () => {
  const toml = fs.readFileSync(WRANGLER_TOML, "utf8");
  const mutations = {
    "empty MAX_USES": toml.replace(/^MAX_USES\s*=\s*"[^"]*"/m, 'MAX_USES = ""'),
    "no MAX_USES": toml.replace(/^MAX_USES\s*=.*$/m, ""),
    "RATE_LIMITS off": toml.replace("[vars]", '[vars]\nRATE_LIMITS = "off"'),
    "no upstream budget": toml.replace(/\[\[ratelimits\]\]\s*\nname = "RATE_LIMIT_UPSTREAM"[^[]*/, ""),
  };
  for (const [what, mutated] of Object.entries(mutations)) {
    assert.notEqual(mutated, toml, `${what}: the mutation applies`);
    assert.equal(unsafeDefaults(mutated).length, 1, what);
  }
});
