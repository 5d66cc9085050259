// The client suite (suite.mjs) in Node, against the built package's Node ESM entry.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { startMock, repoRoot } from "../support/mock.mjs";
import { cases } from "./suite.mjs";
import { ResultLog, checkResultTypes } from "./result-types.mjs";

const lib = await import(`${repoRoot}/dist/pkg/entries/node.mjs`);

const routes = readFileSync(`${repoRoot}/tests/fixtures/routes.txt`, "utf8")
  .split("\n")
  .filter((l) => l && !l.startsWith("#"))
  .map((l) => l.split(" ")[2]);

// Which routes of the endpoint table the cases call (every resource method goes through
// `_call`, every iterator through `_page`, with the route's index in the table), and what each
// table call resolved to (checked against its declared result type at the end).
const state = { mockUrl: null };
const called = new Set();
const results = new ResultLog();
for (const entry of ["_call", "_page"]) {
  const original = lib.GumroadClient.prototype[entry];
  lib.GumroadClient.prototype[entry] = function (route, ...rest) {
    called.add(`${entry}:${route}`);
    const answer = original.call(this, route, ...rest);
    // Only gumroad-mock's answers (a few cases hand the client a fetch of their own).
    const fromMock = entry === "_call" && state.mockUrl && this.baseUrl.startsWith(state.mockUrl);
    if (fromMock) answer.then((value) => results.add(routes[route], value), () => {});
    return answer;
  };
}
let mock;

before(async () => {
  mock = await startMock();
  state.mockUrl = mock.url;
});
after(async () => mock?.stop());

// Case names are known before the mock starts; the URL is bound when each case runs.
for (const { name } of cases({ lib, mockUrl: "http://unused" })) {
  test(name, async () => {
    await fetch(`${state.mockUrl}/__mock/reset`, { method: "POST" });
    const c = cases({ lib, mockUrl: state.mockUrl }).find((x) => x.name === name);
    await c.fn();
  });
}

test("every route of the endpoint table, and every iterate(), was called by a case", () => {
  assert.ok(routes.length > 100);
  const uncalled = routes.filter((_, i) => !called.has(`_call:${i}`));
  assert.deepEqual(uncalled, [], "routes no case calls");
  const paged = ["products.list", "sales.list", "subscribers.list", "reviews.list", "emails.list", "payouts.list"];
  const notIterated = paged.filter((name) => !called.has(`_page:${routes.indexOf(name)}`));
  assert.deepEqual(notIterated, [], "paged lists no case iterates");
});

test("every answer a case got has its method's declared result type (tsc over the answers as literals)", () => {
  const dir = `${repoRoot}/test-output/result-types`;
  const { ok, output, checked } = checkResultTypes(results, { repoRoot, dir });
  assert.ok(results.byRoute.size > 100, `answers of ${results.byRoute.size} routes`);
  assert.ok(ok, `${dir}/results.ts (${checked} answers) does not type-check:\n${output}`);
});

test("the CommonJS entry exposes the same API", async () => {
  const { createRequire } = await import("node:module");
  const cjs = createRequire(import.meta.url)(`${repoRoot}/dist/pkg/entries/node.cjs`);
  const c = new cjs.GumroadClient({ accessToken: "demo-token-full", baseUrl: `${state.mockUrl}/v2` });
  assert.equal((await c.user.retrieve()).name, "John Smith");
  await assert.rejects(c.products.retrieve("nope"), (e) => e instanceof cjs.NotFoundError && cjs.isGumroadError(e));
  assert.equal(cjs.makeError, undefined, "internal helper not exported");
});
