// The demo page in headless Chromium (playwright-core + Debian's chromium) against the demo
// stack: the wasm loads, the account panel shows the mock's seller, license checks through the
// edge worker and through the client show verdicts, and errors are readable with their code.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { startDemo, launchChromium } from "../../scripts/demo-lib.mjs";
import { repoRoot } from "../support/mock.mjs";

let demo;
let browser;
let page;
const errors = [];

before(async () => {
  demo = await startDemo();
  browser = await launchChromium();
  page = await browser.newPage();
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${demo.pageUrl}/`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

test("the account panel shows the seller from gumroad-mock", async () => {
  const text = await page.textContent("#account");
  assert.match(text, /John Smith/);
  assert.match(text, /john@example\.com/);
});

test("a license check through the edge worker shows the verdict", async () => {
  await page.fill("#license-key", "DEC0DE00-00000000-00000000-00000002");
  await page.click("#check-worker");
  await page.waitForSelector("#verdict[data-reason=refunded]");
  assert.match(await page.textContent("#verdict"), /Not valid.*refunded.*edge worker/);
});

test("a license check with the client shows the verdict", async () => {
  await page.fill("#license-key", "dec0de00-00000000-00000000-00000001");
  await page.click("#check-client");
  await page.waitForSelector("#verdict[data-reason=ok]");
  assert.match(await page.textContent("#verdict"), /Valid.*client/);
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
  const out = path.join(repoRoot, "test-output");
  await mkdir(out, { recursive: true });
  await page.screenshot({ path: path.join(out, "demo-error.png"), fullPage: true });
  assert.deepEqual(errors, []);
});
