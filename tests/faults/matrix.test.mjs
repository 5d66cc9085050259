// The fault matrix: the built client in Node against gumroad-mock with each injected fault, for
// a read, a state-changing call and a license activation. Checks the error class and code,
// that reads are retried up to the limit and then fail cleanly, that state-changing calls are
// sent exactly once (the mock's request log and state prove it), that nothing hangs, and that
// the next call on the same client works.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startMock, repoRoot } from "../support/mock.mjs";

const lib = await import(`${repoRoot}/dist/pkg/entries/node.mjs`);
const S1 = "FO8TXN-dvxYabdavG97Y-Q==";
const P3 = "U2tldGNoUHJvLURlc2t0b3A=";
const KEY5 = "DEC0DE00-00000000-00000000-00000005";
const MAX_RETRIES = 2;
let mock;

before(async () => {
  mock = await startMock();
});
after(async () => mock?.stop());

const control = async (method, p, body) =>
  (await fetch(`${mock.url}/__mock${p}`, { method, headers: body ? { "content-type": "application/json" } : {}, body: body ? JSON.stringify(body) : undefined })).json();

// fault, expected class, code, whether reads are retried, whether the server handled the call
const FAULTS = [
  [{ kind: "429" }, "RateLimitError", "rate_limited", true, false],
  [{ kind: "429", retry_after: 1 }, "RateLimitError", "rate_limited", true, false],
  [{ kind: "500" }, "APIError", "api_error", true, false],
  [{ kind: "502" }, "APIError", "api_error", true, false],
  [{ kind: "503" }, "APIError", "api_error", true, false],
  [{ kind: "html" }, "APIError", "api_error", true, false],
  [{ kind: "latency", latency_ms: 1500 }, "TimeoutError", "timeout", true, "late"],
  [{ kind: "drop" }, "ConnectionError", "connection", true, false],
  [{ kind: "truncate" }, "DecodeError", "decode", false, true],
  [{ kind: "not_json" }, "DecodeError", "decode", false, true],
  [{ kind: "401" }, "AuthenticationError", "authentication", false, false],
  [{ kind: "403" }, "PermissionError", "permission", false, false],
];

const OPS = {
  read: { path: "/sales", call: (c) => c.sales.list({ product_id: P3 }), state: async () => null },
  refund: {
    path: `/sales/${encodeURIComponent(S1)}/refund`,
    call: (c) => c.sales.refund(S1),
    state: async () => (await control("GET", "/data")).sales.find((s) => s.id === S1).refunded,
  },
  activation: {
    path: "/licenses/verify",
    call: (c) => c.licenses.verify({ product_id: P3, license_key: KEY5 }),
    state: async () => (await control("GET", "/licenses")).licenses.find((l) => l.key === KEY5).uses,
  },
};

const withDeadline = (p, ms, what) =>
  Promise.race([p, new Promise((_, rej) => setTimeout(() => rej(new Error(`${what} hung for ${ms} ms`)), ms))]);

for (const [fault, cls, code, retried, handled] of FAULTS) {
  for (const [opName, op] of Object.entries(OPS)) {
    const name = `${fault.kind}${fault.retry_after ? " + Retry-After" : ""} on ${opName}`;
    test(name, async () => {
      await control("POST", "/reset");
      const client = new lib.GumroadClient({ accessToken: "demo-token-full", baseUrl: `${mock.url}/v2`, maxRetries: MAX_RETRIES, timeoutMs: 300 });
      const before = await op.state();
      await control("POST", "/faults", { ...fault, path: op.path });
      const err = await withDeadline(op.call(client).then(() => null, (e) => e), 15_000, name);
      await control("DELETE", "/faults");
      assert.ok(err, "the call failed");
      assert.ok(lib.isGumroadError(err) && err instanceof lib[cls], `expected ${cls}, got ${err?.name}: ${err?.message}`);
      assert.equal(err.code, code);
      assert.ok(!JSON.stringify(err).includes("demo-token-full"));
      const sent = (await control("GET", "/requests")).requests.filter((r) => r.path === `/v2${op.path}` && r.method !== "OPTIONS").length;
      const isRead = opName === "read";
      const expectedSent = isRead && retried ? 1 + MAX_RETRIES : 1;
      if (handled === "late") {
        // A slow answer is logged when the mock finishes, after the client gave up: wait for it.
        await new Promise((r) => setTimeout(r, 1600));
      }
      const sentNow = (await control("GET", "/requests")).requests.filter((r) => r.path === `/v2${op.path}`).length;
      assert.equal(handled === "late" ? sentNow : sent, expectedSent, `requests sent (${isRead ? "read" : "state-changing"})`);
      const afterState = await op.state();
      if (opName === "refund") assert.equal(afterState, handled === true || handled === "late", "refunded only if the server handled it");
      if (opName === "activation") assert.equal(afterState, before + (handled === true || handled === "late" ? 1 : 0), "uses counted at most once");
      // The same client works for the next call.
      assert.equal((await withDeadline(client.user.retrieve(), 5000, "next call")).name, "John Smith");
    });
  }
}
