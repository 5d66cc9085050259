// The client suite (suite.mjs) in headless Chromium, against the package's plain-browser entry
// (`./web`), served from 127.0.0.1 and talking cross-origin to gumroad-mock.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { startMock, repoRoot } from "../support/mock.mjs";
import { staticServer, listen, launchChromium } from "../../scripts/demo-lib.mjs";
import { cases } from "./suite.mjs";

let mock;
let server;
let browser;
let results;

before(async () => {
  mock = await startMock();
  server = staticServer(() => ({}), [
    ["/pkg/", path.join(repoRoot, "dist/pkg")],
    ["/tests/", path.join(repoRoot, "tests")],
  ]);
  const port = await listen(server, 0);
  browser = await launchChromium();
  const page = await browser.newPage();
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(`http://127.0.0.1:${port}/tests/client/index.html`);
  results = await page.evaluate(async (mockUrl) => {
    const lib = await import("/pkg/entries/web.js");
    await lib.default();
    const { runSuite } = await import("/tests/client/suite.mjs");
    return runSuite({ lib, mockUrl, runtime: "chromium" });
  }, mock.url);
  assert.deepEqual(pageErrors, []);
});

after(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r) ?? r());
  await mock?.stop();
});

for (const { name } of cases({ lib: {}, mockUrl: "http://unused" })) {
  test(`[chromium] ${name}`, () => {
    const r = results.find((x) => x.name === name);
    assert.ok(r, "the case ran in the page");
    assert.ok(r.ok, r.error);
  });
}
