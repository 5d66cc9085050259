// The client suite (suite.mjs) in Node, against the built package's Node ESM entry.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startMock, repoRoot } from "../support/mock.mjs";
import { cases } from "./suite.mjs";

const lib = await import(`${repoRoot}/dist/pkg/entries/node.mjs`);
let mock;
const state = { mockUrl: null };

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

test("the CommonJS entry exposes the same API", async () => {
  const { createRequire } = await import("node:module");
  const cjs = createRequire(import.meta.url)(`${repoRoot}/dist/pkg/entries/node.cjs`);
  const c = new cjs.GumroadClient({ accessToken: "demo-token-full", baseUrl: `${state.mockUrl}/v2` });
  assert.equal((await c.user.retrieve()).name, "John Smith");
  await assert.rejects(c.products.retrieve("nope"), (e) => e instanceof cjs.NotFoundError && cjs.isGumroadError(e));
  assert.equal(cjs.makeError, undefined, "internal helper not exported");
});
