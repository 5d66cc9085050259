// The shared-cases pattern of tests/token and tests/license: a list of cases written against
// WebCrypto and plain JS, run unchanged in Node, headless Chromium (here) and workerd, each
// runtime's results reported as one subtest per case.
import assert from "node:assert/strict";
import path from "node:path";
import { repoRoot } from "./mock.mjs";
import { staticServer, listen, launchChromium } from "../../scripts/demo-lib.mjs";

/** One subtest per case, after checking that the runtime ran every case (`names`), in order. */
export async function reportCases(t, results, names) {
  assert.deepEqual(results.map((r) => r.name), names, "every case ran");
  for (const r of results) await t.test(r.name, () => assert.ok(r.ok, r.detail));
}

/**
 * Opens `page` (a path under tests/) in headless Chromium, with js/ and tests/ served from the
 * repository on 127.0.0.1, and resolves to what `run` (evaluated in the page: it may import
 * "/js/…" and "/tests/…", and must not use anything from this scope) resolves to. Fails on any
 * uncaught page error.
 */
export async function inChromium(page, run) {
  const server = staticServer(() => ({}), [
    ["/js/", path.join(repoRoot, "js")],
    ["/tests/", path.join(repoRoot, "tests")],
  ]);
  const port = await listen(server, 0);
  const browser = await launchChromium();
  try {
    const tab = await browser.newPage();
    const pageErrors = [];
    tab.on("pageerror", (e) => pageErrors.push(e.message));
    await tab.goto(`http://127.0.0.1:${port}/tests/${page}`);
    const results = await tab.evaluate(run);
    assert.deepEqual(pageErrors, []);
    return results;
  } finally {
    await browser.close();
    await new Promise((r) => server.close(r));
  }
}
