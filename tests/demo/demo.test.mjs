// The demo page in headless Chromium (playwright-core + Debian's chromium) against the demo
// stack (gumroad-mock, the Worker in workerd, the static server): every panel with real data,
// a cancelled sales load, devices (seats) and offline token checks, error paths, and full-page
// screenshots at desktop and phone widths in test-output/ (git-ignored).
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
  await page.waitForSelector("#verdict[data-reason=chargebacked]");
  assert.match(await page.textContent("#verdict"), /Not valid.*chargebacked.*edge worker/);
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
const deviceCount = async () => Number(await page.getAttribute("#devices", "data-count"));
const deviceIds = () => page.$$eval("#devices tbody tr[data-id]", (rows) => rows.map((r) => r.dataset.id));

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

test("devices: a re-install keeps its seat, seats fill up to 409, deactivating frees one, 429 is explained", async () => {
  assert.equal(await page.inputValue("#device-key"), ACTIVE_KEY, "prefilled with the seeded active key");
  assert.equal(await page.inputValue("#device-product"), "U2tldGNoUHJvLURlc2t0b3A=");
  // The worker's ledger is the truth: start from what it lists (this stack is fresh, so normally
  // nothing; if not, free every seat through the page first).
  assert.equal(await deviceAction("#list-devices"), "listed");
  assert.match(await page.textContent("#devices-answer"), /POST \/v1\/licenses\/instances → HTTP 200/);
  while ((await deviceCount()) > 0) {
    const before = await deviceCount();
    assert.equal(await deviceAction("#devices tbody tr[data-id] button"), "deactivated");
    assert.equal(await deviceCount(), before - 1);
  }

  // This browser, twice: the second activation is a re-install with the same instance.
  assert.equal(await deviceAction("#activate-this"), "activated");
  const first = await page.getAttribute("#devices-notice", "data-instance");
  assert.match(first, /^inst_/);
  assert.equal(await deviceAction("#activate-this"), "activated");
  assert.equal(await page.getAttribute("#devices-notice", "data-instance"), first, "same instance on re-install");
  assert.equal(await deviceCount(), 1, "the device list shows one device");
  assert.deepEqual(await deviceIds(), [first]);
  assert.match(await page.textContent(`#devices tr[data-id="${first}"]`), /Demo browser \(this browser\)/);
  // The last answer shown is the activation's own (with its signed token), not the list refresh.
  const activated = await page.textContent("#devices-answer");
  assert.match(activated, /POST \/v1\/licenses\/activate → HTTP 200/);
  assert.match(activated, new RegExp(`"id": "${first}"`));
  assert.match(activated, /"token": "eyJ[\w-]+\.[\w-]+\.[\w-]+"/);

  // New devices until the seats are full: MAX_USES devices fit, the next one is refused.
  let added = 0;
  while ((await deviceAction("#activate-new")) === "activated") {
    added++;
    assert.equal(await deviceCount(), 1 + added);
    assert.ok(added < DEMO_MAX_USES, "the seat limit was never reached");
  }
  assert.equal(added, DEMO_MAX_USES - 1);
  assert.equal(await page.getAttribute("#devices-notice", "data-code"), "activation_limit_reached");
  assert.match(await page.textContent("#devices-notice"), new RegExp(`All seats are taken: ${DEMO_MAX_USES} of ${DEMO_MAX_USES} devices`));
  const answer = await page.textContent("#devices-answer");
  assert.match(answer, /POST \/v1\/licenses\/activate → HTTP 409/);
  assert.match(answer, /"code": "activation_limit_reached"/);
  assert.equal(await deviceCount(), DEMO_MAX_USES, "the refused device took no seat");

  // Deactivate one of the other devices: the list shrinks and a seat is free again.
  const ids = await deviceIds();
  const gone = ids.find((id) => id !== first);
  assert.equal(await deviceAction(`#devices tr[data-id="${gone}"] button`), "deactivated");
  assert.equal(await deviceCount(), DEMO_MAX_USES - 1);
  assert.ok(!(await deviceIds()).includes(gone));
  assert.match(await page.textContent("#devices-answer"), /POST \/v1\/licenses\/deactivate → HTTP 200\s+\{\s+"deactivated": true/);
  assert.equal(await deviceAction("#activate-new"), "activated", "the freed seat can be used");
  assert.equal(await deviceCount(), DEMO_MAX_USES);

  // A rate-limited answer (simulated in the browser: the real limits are generous here).
  await page.route("**/v1/licenses/activate", (route) =>
    route.fulfill({
      status: 429,
      headers: { "content-type": "application/json", "retry-after": "42", "access-control-allow-origin": "*", "access-control-expose-headers": "Retry-After" },
      body: JSON.stringify({ error: { code: "rate_limited", message: "too many requests" } }),
    }));
  try {
    assert.equal(await deviceAction("#activate-new"), "rate_limited");
    assert.match(await page.textContent("#devices-notice"), /try again in 42 seconds/);
    assert.match(await page.textContent("#devices-answer"), /HTTP 429/);
  } finally {
    await page.unroute("**/v1/licenses/activate");
  }
  // Only the license's own signed token is ever shown: never the seller's token.
  assert.doesNotMatch(await page.textContent("body"), /demo-token-full/);
  await page.screenshot({ path: path.join(out, "demo-devices.png"), fullPage: true });
});

test("offline check: the last signed answer verifies, a tampered one and an expired one do not", async () => {
  assert.match(await page.textContent("#token-info"), /Token from the last activate answer \(license DEC0DE00-00000000-00000000-00000001\)/);
  const check = async (button, kind) => {
    await page.click(button);
    await page.waitForSelector(`#offline-verdict[data-kind=${kind}]:not([hidden]), #offline-error:not([hidden])`);
    assert.equal(await page.isHidden("#offline-error"), true, await page.textContent("#offline-error"));
    return { reason: await page.getAttribute("#offline-verdict", "data-reason"), verdict: await page.textContent("#offline-verdict"), claims: await page.textContent("#offline-claims") };
  };
  const jwksFetches = [];
  page.on("request", (r) => r.url().endsWith("/.well-known/jwks.json") && jwksFetches.push(r.url()));

  const ok = await check("#check-offline", "plain");
  assert.equal(ok.reason, "ok");
  assert.match(ok.verdict, /Valid offline — reason: ok/);
  const lastInstance = (await deviceIds()).at(-1);
  assert.match(ok.claims, new RegExp(`instance_id${lastInstance}`), "the token is bound to the last activated device");
  const iat = Date.parse(ok.claims.match(/issued \(iat\)(\S+ \S+) UTC/)[1].replace(" ", "T") + "Z");
  const exp = Date.parse(ok.claims.match(/expires \(exp\)(\S+ \S+) UTC/)[1].replace(" ", "T") + "Z");
  assert.ok(Math.abs(iat - Date.now()) < 120_000, "iat shown as a date around now");
  assert.equal(exp - iat, 7 * 86_400_000, "exp = iat + the 7-day offline grace");

  const forged = await check("#check-tampered", "tampered");
  assert.equal(forged.reason, "bad_signature");
  assert.match(forged.verdict, /Not valid offline — reason: bad_signature/);
  assert.match(forged.claims, /none/, "no claims from a token whose signature fails");

  const late = await check("#check-later", "later");
  assert.equal(late.reason, "expired");
  assert.match(late.verdict, /Not valid offline — reason: expired \(as if it were/);
  assert.match(late.claims, /expires \(exp\)/, "an expired token still shows its (verified) claims");

  assert.equal((await check("#check-offline", "plain")).reason, "ok", "the token itself is unchanged");
  assert.ok(jwksFetches.length <= 1, `the JWKS is fetched once (${jwksFetches.length})`);
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
    await phone.screenshot({ path: path.join(out, "demo-phone.png"), fullPage: true });
  } finally {
    await phone.close();
  }
});
