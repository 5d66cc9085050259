// The demo page in headless Chromium (playwright-core + Debian's chromium) against the demo
// stack (gumroad-mock, the Worker in workerd, the static server): every panel with real data,
// a cancelled sales load, the seat panels on LicenseClient (devices, online and offline checks,
// with keys from the page's config and never a JWKS fetch), no Worker secret in the page, error
// paths, and full-page screenshots at desktop and phone widths in test-output/ (git-ignored).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { startDemo, launchChromium, DEMO_MAX_USES } from "../../scripts/demo-lib.mjs";
import { repoRoot } from "../support/mock.mjs";

let demo;
let browser;
let page;
const pageErrors = [];
/** Every text the page received (URL and body), to look for secrets in; and every URL it asked for. */
const received = [];
const requested = [];
const out = path.join(repoRoot, "test-output");

const control = (method, p, body) =>
  fetch(`${demo.mockUrl}/__mock${p}`, { method, headers: body ? { "content-type": "application/json" } : {}, body: body ? JSON.stringify(body) : undefined });

before(async () => {
  await mkdir(out, { recursive: true });
  demo = await startDemo();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  // Listening from before the first load: nothing the page asks for goes unseen.
  page.on("request", (r) => requested.push(r.url()));
  page.on("response", (r) => {
    const type = r.headers()["content-type"] ?? "";
    if (!/json|text|javascript/.test(type)) return;
    received.push(r.text().then((body) => `${r.url()}\n${body}`, () => r.url()));
  });
  await page.goto(`${demo.pageUrl}/`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

test("account panel shows the seller from gumroad-mock", async () => {
  const text = await page.textContent("#account");
  assert.match(text, /John Smith/);
  assert.match(text, /john@example\.com/);
});

test("products: listed, disabled and enabled again, offer codes shown", async () => {
  await page.waitForSelector("#products:not([hidden]) tbody tr");
  const names = await page.$$eval("#products tbody tr td:first-child", (tds) => tds.map((t) => t.textContent));
  assert.ok(names.includes("Sketch Pro") && names.includes("Pencil Icon PSD"), names.join(","));
  await page.click('button[aria-label="Disable Sketch Pro"]');
  await page.waitForSelector('button[aria-label="Enable Sketch Pro"]');
  const data = await (await control("GET", "/data")).json();
  assert.equal(data.products.find((p) => p.name === "Sketch Pro").published, false, "the mock's state changed");
  await page.click('button[aria-label="Enable Sketch Pro"]');
  await page.waitForSelector('button[aria-label="Disable Sketch Pro"]');
  await page.click('button[aria-label="Offer codes of Pencil Icon PSD"]');
  await page.waitForSelector("#offer-code-list li");
  const codes = await page.textContent("#offer-codes");
  assert.match(codes, /1OFF: \$1\.00 off/);
  assert.match(codes, /HALFOFF: 50% off/);
  assert.match(codes, /LAUNCH: 20% off \(all products\)/);
});

test("sales: every page loaded with progress, totals per product and a revenue chart", async () => {
  await page.click("#load-sales");
  await page.waitForSelector("#sales-progress[data-state=done]", { timeout: 30_000 });
  const progress = await page.textContent("#sales-progress");
  const m = progress.match(/Loaded (\d+) sales from (\d+) pages/);
  assert.ok(m, progress);
  assert.ok(Number(m[1]) >= 55 && Number(m[2]) >= 6, progress);
  const totals = await page.$$eval("#sales-totals tbody tr", (rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
  assert.ok(totals.length >= 3);
  assert.equal(totals.reduce((n, r) => n + Number(r[1]), 0), Number(m[1]), "totals add up to the sales loaded");
  assert.ok((await page.$$("#sales-chart rect")).length > 10, "bars drawn");
  // Filtered by product and date.
  await page.selectOption("#sales-product", { label: "Sketch Pro" });
  await page.fill("#sales-after", "2025-01-01");
  await page.click("#load-sales");
  await page.waitForSelector("#sales-progress[data-state=done]");
  const rows = await page.$$eval("#sales-totals tbody tr td:first-child", (tds) => tds.map((t) => t.textContent));
  assert.deepEqual(rows, ["Sketch Pro"]);
  await page.selectOption("#sales-product", "");
  await page.fill("#sales-after", "");
});

test("sales: a slow load can be cancelled", async () => {
  await control("POST", "/faults", { kind: "latency", path: "/sales", latency_ms: 400 });
  try {
    await page.click("#load-sales");
    await page.waitForFunction(() => /Loading… \d+ sales/.test(document.getElementById("sales-progress").textContent));
    await page.click("#cancel-sales");
    await page.waitForSelector("#sales-progress[data-state=cancelled]");
    assert.match(await page.textContent("#sales-progress"), /Cancelled after \d+ sales \(\d+ pages?\)/);
    assert.equal(await page.isHidden("#sales-error"), true, "a cancel is not an error");
  } finally {
    await control("DELETE", "/faults");
  }
});

test("license checks through the edge worker and the client show the verdict", async () => {
  await page.fill("#license-key", "DEC0DE00-00000000-00000000-00000003");
  await page.click("#check-worker");
  await page.waitForSelector("#verdict[data-reason=chargebacked][data-offline-reason]");
  assert.match(await page.textContent("#verdict"), /Not valid.*chargebacked.*edge worker/);
  // A verify without a seat gets a token bound to no device: offline it is refused, and said so.
  assert.equal(await page.getAttribute("#verdict", "data-offline-reason"), "unbound");
  assert.match(await page.textContent("#verdict"), /checked offline: unbound \(it names no device/);
  await page.fill("#license-key", "dec0de00-00000000-00000000-00000001");
  await page.click("#check-client");
  await page.waitForSelector("#verdict[data-reason=ok]");
  assert.match(await page.textContent("#verdict"), /Valid.*client/);
  await page.fill("#license-key", "not a key!");
  await page.click("#check-worker");
  await page.waitForSelector("#license-error:not([hidden])");
  assert.match(await page.textContent("#license-error"), /code: invalid_license_key, HTTP 400/);
});

const ACTIVE_KEY = "DEC0DE00-00000000-00000000-00000001";
/** gumroad-mock's disabled key: its activations are spent from Node to meet the Worker's real 429. */
const SPENT_KEY = "DEC0DE00-00000000-00000000-00000006";
const SKETCH_PRO = "U2tldGNoUHJvLURlc2t0b3A=";
const SEVEN_DAYS = 7 * 86_400;
const deviceCount = async () => Number(await page.getAttribute("#devices", "data-count"));
const deviceIds = () => page.$$eval("#devices tbody tr[data-id]", (rows) => rows.map((r) => r.dataset.id));
/** The LicenseResult the panel shows, as the page rendered it (`dl` of field → text). */
const shownResult = (selector) =>
  page.$eval(selector, (dl) => ({ ...dl.dataset, fields: Object.fromEntries([...dl.querySelectorAll("dd[data-field]")].map((dd) => [dd.dataset.field, dd.textContent])) }));
/** "2026-01-02 03:04:05 UTC" → ms. */
const parseShown = (text) => Date.parse(`${text.replace(" UTC", "").replace(" ", "T")}Z`);

/** Clicks `selector` and waits for the devices panel to settle on an answer; returns its code. */
async function deviceAction(selector) {
  await page.click(selector);
  await page.waitForFunction(() => {
    const n = document.getElementById("devices-notice");
    const failed = !document.getElementById("devices-error").hidden;
    return failed || (!n.hidden && n.dataset.code);
  });
  assert.equal(await page.isHidden("#devices-error"), true, await page.textContent("#devices-error"));
  return page.getAttribute("#devices-notice", "data-code");
}

/** Requests the page made to the Worker's `route` since `from` (an index into `requested`). */
const workerRequests = (route, from = 0) => requested.slice(from).filter((u) => u === `${demo.workerUrl}/v1/licenses/${route}`);

test("the page's keys are the Worker's public JWKS, given in its config; no private member", async () => {
  const config = await (await fetch(`${demo.pageUrl}/config.json`)).json();
  const jwks = await (await fetch(demo.jwksUrl)).json();
  assert.deepEqual(config.publicKeys, jwks, "the same keys the Worker publishes");
  for (const k of config.publicKeys.keys) assert.deepEqual(Object.keys(k).sort(), ["alg", "crv", "kid", "kty", "use", "x"]);
});

test("devices: a re-install keeps its seat, seats fill up to 409, a deactivation cools, the move, the cooling wait, a real 429", async () => {
  assert.equal(await page.inputValue("#device-key"), ACTIVE_KEY, "prefilled with the seeded active key");
  assert.equal(await page.inputValue("#device-product"), SKETCH_PRO);
  assert.match(await page.textContent("#seat-info"), /No seat stored/);
  assert.equal(await page.isDisabled("#check-offline"), true, "no checks without a seat");
  // The worker's ledger is the truth: start from what it lists (this stack is fresh, so nothing).
  assert.equal(await deviceAction("#list-devices"), "listed");
  assert.equal(await deviceCount(), 0);

  // This browser, twice: the second activation is a re-install with the same instance.
  const from = requested.length;
  assert.equal(await deviceAction("#activate-this"), "activated");
  assert.equal(workerRequests("activate", from).length, 1, "LicenseClient asked the Worker");
  const first = await page.getAttribute("#devices-notice", "data-instance");
  assert.match(first, /^inst_/);
  const r = await shownResult("#devices-result");
  assert.deepEqual([r.valid, r.reason, r.offline, r.instance], ["true", "ok", "false", first]);
  const expiresAt = Number(r.fields.expiresAt.match(/\((\d+)\)/)[1]);
  assert.ok(Math.abs(expiresAt - (Date.now() + SEVEN_DAYS * 1000)) < 120_000, `expiresAt ≈ now + 7 days (${r.fields.expiresAt})`);
  assert.equal(await deviceAction("#activate-this"), "activated");
  assert.equal(await page.getAttribute("#devices-notice", "data-instance"), first, "same instance on re-install");
  assert.deepEqual(await deviceIds(), [first], "the device list shows one device");
  assert.equal(await page.getAttribute(`#devices tr[data-id="${first}"]`, "data-current"), "true");
  assert.match(await page.textContent(`#devices tr[data-id="${first}"]`), /Demo browser \(this browser\)/);
  // The seat is in localStorage under LicenseClient's key; the offline panel sees it.
  const record = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), `gumroad-wasm:license:${SKETCH_PRO}`));
  assert.equal(record.instanceId, first);
  assert.match(record.token, /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
  assert.equal(await page.getAttribute("#seat-info", "data-instance"), first);
  assert.equal(await page.isDisabled("#check-offline"), false);

  // New devices until the seats are full: MAX_USES devices fit, the next one is refused.
  let added = 0;
  while ((await deviceAction("#activate-new")) === "activated") {
    added++;
    assert.equal(await deviceCount(), 1 + added);
    assert.ok(added < DEMO_MAX_USES, "the seat limit was never reached");
  }
  assert.equal(added, DEMO_MAX_USES - 1);
  assert.equal(await page.getAttribute("#devices-notice", "data-code"), "activation_limit_reached");
  assert.match(await page.textContent("#devices-notice"), new RegExp(`All seats are taken: ${DEMO_MAX_USES} devices are active\\. Deactivate one`));
  assert.equal(await page.getAttribute("#devices-notice", "data-retry-after"), null, "every seat active: waiting frees none");
  const full = await shownResult("#devices-result");
  assert.deepEqual([full.valid, full.reason, full.offline, full.instance], ["false", "activation_limit_reached", "false", ""]);
  assert.equal(await deviceCount(), DEMO_MAX_USES, "the refused device took no seat");

  // Deactivate another device: the list shrinks; its seat cools, but one move is immediate.
  const others = (await deviceIds()).filter((id) => id !== first);
  assert.equal(await deviceAction(`#devices tr[data-id="${others[0]}"] button`), "deactivated");
  assert.equal(await deviceCount(), DEMO_MAX_USES - 1);
  assert.ok(!(await deviceIds()).includes(others[0]));
  assert.match(await page.textContent("#devices-notice"), new RegExp(`Deactivated .*: ${DEMO_MAX_USES - 1} in use`));
  assert.equal(await deviceAction("#activate-new"), "activated", "the move to a new device");
  assert.equal(await deviceCount(), DEMO_MAX_USES);

  // A second deactivation while the moved-from seat still cools: no second move, so the 409
  // says how many are active and when a new device can come in.
  assert.equal(await deviceAction(`#devices tr[data-id="${others[1]}"] button`), "deactivated");
  assert.equal(await deviceCount(), DEMO_MAX_USES - 1);
  const asked = Date.now();
  assert.equal(await deviceAction("#activate-new"), "activation_limit_reached");
  const wait = Number(await page.getAttribute("#devices-notice", "data-retry-after"));
  assert.ok(wait > SEVEN_DAYS - 600 && wait <= SEVEN_DAYS, `the cooling seat frees when its 7-day token expires (${wait} s)`);
  const cooling = await page.textContent("#devices-notice");
  assert.match(cooling, new RegExp(`All seats are taken: ${DEMO_MAX_USES - 1} devices are active, and a deactivated device's seat stays taken`));
  assert.match(cooling, /A new device can activate in (6 days 23 h|7 days) \(/);
  const freeAt = parseShown(cooling.match(/\((\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC)\)/)[1]);
  assert.ok(Math.abs(freeAt - (asked + wait * 1000)) < 5_000, "the date shown is now + retryAfter");
  assert.equal((await shownResult("#devices-result")).fields.retryAfter, `${wait} s`);
  assert.equal(await deviceCount(), DEMO_MAX_USES - 1, "the refused device took no seat");
  assert.ok((await deviceIds()).includes(first), "this browser kept its seat throughout");

  // A real 429 from the Worker: spend a license's 30 seat changes per hour (server to server, as
  // any caller could), then the page's activation of it is rate limited.
  for (let i = 0; i < 30; i++) {
    const res = await fetch(`${demo.workerUrl}/v1/licenses/activate`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ product_id: SKETCH_PRO, license_key: SPENT_KEY, fingerprint: `spender-${i}` }),
    });
    await res.arrayBuffer();
    assert.equal(res.status, 200, `change ${i + 1} of 30 is allowed`);
  }
  await page.fill("#device-key", SPENT_KEY);
  try {
    assert.equal(await deviceAction("#activate-new"), "rate_limited");
    const retry = Number(await page.getAttribute("#devices-notice", "data-retry-after"));
    assert.ok(retry > 3000 && retry <= 3600, `Retry-After within the hour (${retry})`);
    assert.match(await page.textContent("#devices-notice"), /Too many requests \(rate_limited\): try again in (1 h|\d\d min)\./);
    const limited = await shownResult("#devices-result");
    assert.deepEqual([limited.valid, limited.reason, limited.offline, limited.fields.error], ["false", "rate_limited", "true", "rate_limited"]);
  } finally {
    await page.fill("#device-key", ACTIVE_KEY);
  }
  assert.equal(await page.getAttribute("#seat-info", "data-instance"), first, "this browser's seat is untouched");
  await page.screenshot({ path: path.join(out, "demo-devices.png"), fullPage: true });
});

test("offline check: online and offline ok; expired, tampered and a clock set back refused; the seat unchanged; no JWKS fetch", async () => {
  const seatKey = `gumroad-wasm:license:${SKETCH_PRO}`;
  const seat = await page.getAttribute("#seat-info", "data-instance");
  assert.match(seat, /^inst_/);
  assert.match(await page.textContent("#seat-info"), new RegExp(`holds seat ${seat} of license ${ACTIVE_KEY}`));
  const check = async (kind) => {
    const from = requested.length;
    await page.click(`#check-${kind}`);
    await page.waitForSelector(`#offline-verdict[data-kind=${kind}]:not([hidden]), #offline-error:not([hidden])`);
    assert.equal(await page.isHidden("#offline-error"), true, await page.textContent("#offline-error"));
    const claims = await page.$eval("#offline-claims", (dl) => ({ checked: dl.dataset.reason, text: dl.textContent, ...Object.fromEntries([...dl.querySelectorAll("dd[data-claim]")].map((dd) => [dd.dataset.claim, dd.textContent])) }));
    return { verdict: await page.textContent("#offline-verdict"), result: await shownResult("#offline-result"), claims, verifies: workerRequests("verify", from).length };
  };

  const online = await check("online");
  assert.deepEqual([online.result.valid, online.result.reason, online.result.offline, online.result.instance], ["true", "ok", "false", seat]);
  assert.equal(online.verifies, 1, "online: the client asked the Worker");
  assert.match(online.verdict, /✔ Valid online — reason: ok/);
  const before = await page.evaluate((k) => localStorage.getItem(k), seatKey);

  const offline = await check("offline");
  assert.deepEqual([offline.result.valid, offline.result.reason, offline.result.offline, offline.result.instance], ["true", "ok", "true", seat]);
  assert.equal(offline.result.fields.error, "unreachable");
  assert.equal(offline.verifies, 0, "offline: no request left the page");
  assert.match(offline.verdict, /✔ Valid offline — reason: ok/);
  // The claims shown are the stored token's, verified: this seat, this browser, this Worker.
  const { deviceHash, licenseKeyHash } = await import("../../dist/pkg/entries/license.js");
  const fingerprint = await page.evaluate(() => localStorage.getItem("gumroad-wasm-demo.fingerprint"));
  assert.equal(offline.claims.checked, "ok");
  assert.equal(offline.claims.reason, "ok", "the Worker's own reason in the token");
  assert.equal(offline.claims.instance_id, seat);
  assert.equal(offline.claims.iss, demo.workerUrl);
  assert.equal(offline.claims.sub, await licenseKeyHash(ACTIVE_KEY));
  assert.equal(offline.claims.device, await deviceHash(offline.claims.sub, fingerprint));
  const iat = parseShown(offline.claims["issued (iat)"]);
  const exp = parseShown(offline.claims["expires (exp)"]);
  assert.ok(Math.abs(iat - Date.now()) < 120_000, "iat shown as a date around now");
  assert.equal(exp - iat, SEVEN_DAYS * 1000, "exp = iat + the 7-day offline grace");
  assert.equal(Number(offline.result.fields.expiresAt.match(/\((\d+)\)/)[1]), exp, "expiresAt is the token's exp");

  const expired = await check("expired");
  assert.deepEqual([expired.result.valid, expired.result.reason, expired.result.offline, expired.result.fields.expiresAt], ["false", "expired", "true", "null"]);
  assert.match(expired.verdict, /✘ Not valid offline — reason: expired \(the clock at .*past the token's exp\)/);
  assert.equal(expired.claims.checked, "expired", "the claims are checked at the moved clock too");
  assert.equal(expired.claims.instance_id, seat, "an expired token still shows its (verified) claims");

  const forged = await check("tampered");
  assert.deepEqual([forged.result.valid, forged.result.reason, forged.result.offline], ["false", "bad_signature", "true"]);
  assert.equal(forged.claims.checked, "bad_signature");
  assert.match(forged.claims.text, /none/, "no claims from a token whose signature fails");

  const rollback = await check("rollback");
  assert.deepEqual([rollback.result.valid, rollback.result.reason, rollback.result.offline], ["false", "clock_rollback", "true"]);
  assert.match(rollback.verdict, /clock set back to .*, 10 minutes before the token was issued/);

  // The three what-ifs ran on a copy: this browser's seat is as the last real check left it.
  const after = await page.evaluate((k) => localStorage.getItem(k), seatKey);
  assert.deepEqual({ ...JSON.parse(after), seenAt: 0 }, { ...JSON.parse(before), seenAt: 0 }, "same seat and token");
  assert.equal((await check("offline")).result.reason, "ok", "the seat still unlocks offline");

  assert.deepEqual(requested.filter((u) => u.includes("/.well-known/jwks.json")), [], "the page never fetched the JWKS");
  // The seat routes are LicenseClient's alone: the page's own code names none of them.
  const app = await (await fetch(`${demo.pageUrl}/app.js`)).text();
  for (const route of ["licenses/activate", "licenses/deactivate", "licenses/instances", "jwks.json"]) assert.ok(!app.includes(route), `app.js names ${route}`);
  assert.deepEqual(pageErrors, []);
});

test("webhook events: a simulated refund reaches the worker and its cached verdict is dropped", async () => {
  await page.fill("#license-key", "DEC0DE00-00000000-00000000-00000001");
  await page.click("#check-worker");
  await page.waitForSelector("#verdict[data-reason=ok]");
  await page.click("#simulate-refund");
  await page.waitForSelector('#events li[data-type=refund]', { timeout: 15_000 });
  assert.match(await page.textContent("#events"), /refund → edge worker \(HTTP 200\).*DEC0DE00-00000000-00000000-00000001/);
  await page.click("#check-worker");
  await page.waitForSelector("#verdict[data-reason=refunded]");
  assert.match(await page.textContent("#verdict"), /cache miss/);
  // This browser's seat of the refunded key: online the Worker says refunded, and offline the
  // client keeps the Worker's signed refusal, so the older `ok` token no longer unlocks.
  await page.click("#check-online");
  await page.waitForSelector("#offline-verdict[data-kind=online]:not([hidden])");
  assert.deepEqual([await page.getAttribute("#offline-verdict", "data-reason"), await page.getAttribute("#offline-verdict", "data-offline")], ["refunded", "false"]);
  await page.click("#check-offline");
  await page.waitForSelector("#offline-verdict[data-kind=offline]:not([hidden])");
  assert.deepEqual([await page.getAttribute("#offline-verdict", "data-reason"), await page.getAttribute("#offline-verdict", "data-offline")], ["refunded", "true"]);
  await page.click("#simulate-cancel");
  await page.waitForSelector('#events li[data-type=cancellation]', { timeout: 15_000 });
  await page.screenshot({ path: path.join(out, "demo-desktop.png"), fullPage: true });
});

test("none of the Worker's secrets reaches the page: not in what it loaded, its DOM or its storage", async () => {
  const texts = await Promise.all(received);
  // The feed and config were loaded, so the check below looked at them.
  assert.ok(texts.some((t) => t.includes("/events.json")) && texts.some((t) => t.includes("/config.json")), "the page's JSON was captured");
  const html = await page.content();
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  assert.equal(demo.secrets.length, 3);
  for (const secret of demo.secrets) {
    assert.ok(typeof secret === "string" && secret.length >= 12);
    for (const t of texts) assert.ok(!t.includes(secret), `a secret in ${t.split("\n")[0]}`);
    assert.ok(!html.includes(secret) && !stored.includes(secret), "a secret in the page");
  }
  assert.ok(!requested.some((u) => u.includes("/__mock/webhooks")), "the page reads the feed through its own server");
});

test("errors are shown as readable messages with their code", async () => {
  await page.check("input[name=mode][value=direct]");
  await page.fill("#secret", "not-a-real-token");
  await page.fill("#base-url", `${demo.mockUrl}/v2`);
  await page.click("#conn-form button[type=submit]");
  await page.waitForSelector("#account-error:not([hidden])", { timeout: 30_000 });
  const msg = await page.textContent("#account-error");
  assert.match(msg, /code: authentication, HTTP 401/);
  assert.doesNotMatch(msg, /not-a-real-token/);
  assert.doesNotMatch(msg, /at .*:\d+:\d+/, "no stack trace");
  await page.click("#load-products");
  await page.waitForSelector("#products-error:not([hidden])");
  assert.match(await page.textContent("#products-error"), /code: authentication/);
  await page.screenshot({ path: path.join(out, "demo-error.png"), fullPage: true });
  assert.deepEqual(pageErrors, []);
});

test("works on a phone-sized screen and by keyboard", async () => {
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
  try {
    await phone.goto(`${demo.pageUrl}/`);
    await phone.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `no horizontal scrolling (${overflow}px)`);
    // Keyboard: focus the key field, type, submit with Enter.
    await phone.focus("#license-key");
    await phone.keyboard.type("DEC0DE00-00000000-00000000-00000002");
    await phone.keyboard.press("Enter");
    await phone.waitForSelector("#verdict[data-reason=refunded]");
    const unlabeled = await phone.$$eval("input:not([type=radio]), select", (els) => els.filter((e) => !e.labels || e.labels.length === 0).map((e) => e.id));
    assert.deepEqual(unlabeled, [], "every field has a label");
    await phone.click("#load-sales");
    await phone.waitForSelector("#sales-progress[data-state=done]", { timeout: 30_000 });
    // The seat panels with data in them (the multi-seat key: the active one is refunded by now).
    await phone.fill("#device-key", "DEC0DE00-00000000-00000000-00000008");
    await phone.click("#activate-this");
    await phone.waitForSelector("#devices-notice[data-code=activated]");
    await phone.click("#check-offline");
    await phone.waitForSelector("#offline-verdict[data-kind=offline][data-reason=ok]:not([hidden])");
    const wide = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(wide <= 1, `no horizontal scrolling with the device list and claims shown (${wide}px)`);
    await phone.screenshot({ path: path.join(out, "demo-phone.png"), fullPage: true });
  } finally {
    await phone.close();
  }
});
