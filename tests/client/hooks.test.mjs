// The client's `hooks` and `debug` options against gumroad-mock, in Node: which events every
// kind of call reports (plain calls, retries, pages, uploads, Maton), the error code of a failed
// call, that no credential reaches an event or a log line, that a failing hook changes nothing,
// and the typed errors for wrong option types.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { startMock, repoRoot } from "../support/mock.mjs";

const lib = await import(`${repoRoot}/dist/pkg/entries/node.mjs`);
const { GumroadClient, InvalidArgumentError } = lib;

const P3 = "U2tldGNoUHJvLURlc2t0b3A=";
const KEY = (n) => `DEC0DE00-00000000-00000000-${n.toString(16).toUpperCase().padStart(8, "0")}`;
const TOKEN = "demo-token-full";
const MATON_KEY = "demo-maton-key";

let mock;
before(async () => (mock = await startMock()));
after(async () => mock?.stop());
beforeEach(async () => {
  await fetch(`${mock.url}/__mock/reset`, { method: "POST" });
});

const control = (path, body) =>
  fetch(`${mock.url}/__mock${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  }).then((r) => r.json());
const fault = (f) => control("/faults", f);

/** A client whose four hooks record every event; `events` is its log. */
function recorded(opts = {}) {
  const events = [];
  const push = (e) => void events.push(e);
  const client = new GumroadClient({
    accessToken: TOKEN,
    baseUrl: `${mock.url}/v2`,
    hooks: { request: push, response: push, retry: push, error: push },
    ...opts,
  });
  return { client, events };
}

/** `type attempt status` per event, the shape most assertions compare. */
const brief = (events) => events.map((e) => [e.type, e.method, e.path, e.attempt, e.status ?? null]);

test("every call reports request, then response, with method, path (no query), attempt and status", async () => {
  const { client: c, events } = recorded();
  await c.user.retrieve();
  await c.products.retrieve(P3);
  const created = await c.products.create({ name: "Brushes", price: 900 });
  await c.products.delete(created.id);
  await c.sales.list({ email: "a@b.c" });
  await c.request("GET", "/products/{id}", { id: P3 });
  const id = encodeURIComponent(P3);
  const cid = encodeURIComponent(created.id);
  assert.deepEqual(brief(events), [
    ["request", "GET", "/user", 1, null],
    ["response", "GET", "/user", 1, 200],
    ["request", "GET", `/products/${id}`, 1, null],
    ["response", "GET", `/products/${id}`, 1, 200],
    ["request", "POST", "/products", 1, null],
    ["response", "POST", "/products", 1, 200],
    ["request", "DELETE", `/products/${cid}`, 1, null],
    ["response", "DELETE", `/products/${cid}`, 1, 200],
    ["request", "GET", "/sales", 1, null],
    ["response", "GET", "/sales", 1, 200],
    ["request", "GET", `/products/${id}`, 1, null],
    ["response", "GET", `/products/${id}`, 1, 200],
  ]);
  for (const e of events) {
    const keys = e.type === "request" ? ["type", "method", "path", "attempt"] : ["type", "method", "path", "attempt", "status", "durationMs"];
    assert.deepEqual(Object.keys(e), keys);
    if (e.type === "response") assert.ok(Number.isInteger(e.durationMs) && e.durationMs >= 0, `${e.durationMs}`);
  }
});

test("pages, license checks, uploads and Maton calls report too", async () => {
  const { client: c, events } = recorded();
  const it = c.sales.iterate();
  for await (const _ of it) void _;
  const pages = events.filter((e) => e.type === "response" && e.path === "/sales");
  assert.ok(it.pages > 1);
  assert.equal(pages.length, it.pages, "one request and one response per page");
  assert.ok(pages.every((e) => e.attempt === 1 && e.status === 200));

  events.length = 0;
  await c.licenses.check({ product_id: P3, license_key: KEY(1) });
  assert.deepEqual(brief(events), [
    ["request", "POST", "/licenses/verify", 1, null],
    ["response", "POST", "/licenses/verify", 1, 200],
  ]);

  events.length = 0;
  await control("/settings", { upload_part_size: 65536 });
  await c.files.upload(new Uint8Array(2 * 65536), { filename: "course.pdf" });
  const kinds = events.filter((e) => e.type === "response").map((e) => `${e.method} ${e.path.startsWith("/files/") ? e.path : "part"}`);
  assert.deepEqual(kinds, ["POST /files/presign", "PUT part", "PUT part", "POST /files/complete"]);
  const part = events.find((e) => e.method === "PUT");
  assert.ok(part.path.startsWith("/") && part.path.endsWith("/course.pdf"), part.path);

  const m = recorded({ accessToken: undefined });
  const maton = GumroadClient.maton({
    apiKey: MATON_KEY,
    baseUrl: `${mock.url}/gumroad/v2`,
    ctrlBaseUrl: mock.url,
    hooks: { response: (e) => void m.events.push(e) },
  });
  await maton.user.retrieve();
  await maton.maton.connections.list();
  assert.deepEqual(brief(m.events), [
    ["response", "GET", "/user", 1, 200],
    ["response", "GET", "/connections", 1, 200],
  ]);
});

test("retries: each failed attempt reports its answer and a retry event, then the next attempt", async () => {
  const { client: c, events } = recorded({ maxRetries: 2 });
  await fault({ kind: "503", path: "/user", times: 2 });
  assert.equal((await c.user.retrieve()).name, "John Smith");
  assert.deepEqual(brief(events), [
    ["request", "GET", "/user", 1, null],
    ["response", "GET", "/user", 1, 503],
    ["retry", "GET", "/user", 1, 503],
    ["request", "GET", "/user", 2, null],
    ["response", "GET", "/user", 2, 503],
    ["retry", "GET", "/user", 2, 503],
    ["request", "GET", "/user", 3, null],
    ["response", "GET", "/user", 3, 200],
  ]);
  const retries = events.filter((e) => e.type === "retry");
  assert.deepEqual(Object.keys(retries[0]), ["type", "method", "path", "attempt", "status", "durationMs", "retryInMs", "reason"]);
  assert.ok(retries.every((e) => e.reason === "api_error" && e.retryInMs >= 250 && e.retryInMs <= 1000), JSON.stringify(retries));

  // A 429 with Retry-After: the wait is the server's.
  events.length = 0;
  await fault({ kind: "429", path: "/user", times: 1, retry_after: 1 });
  await c.user.retrieve();
  const r = events.find((e) => e.type === "retry");
  assert.deepEqual([r.reason, r.status, r.retryInMs, r.attempt], ["rate_limited", 429, 1000, 1]);
  assert.equal(events.filter((e) => e.type === "request").length, 2);
});

test("a failed call reports error with the code it rejects with", async () => {
  const { client: c, events } = recorded({ maxRetries: 0 });
  // The first attempt (and its `request` event) starts during the call itself.
  const failing = async (call) => {
    events.length = 0;
    const err = await call().then(() => assert.fail("expected a rejection"), (e) => e);
    const last = events.at(-1);
    assert.equal(last.type, "error");
    assert.equal(last.code, err.code, "the event's code is the rejection's");
    assert.equal(events.filter((e) => e.type === "error").length, 1, "one error event per call");
    return { err, last };
  };
  // Gumroad's not-found: HTTP 200 with success:false.
  let { last } = await failing(() => c.products.retrieve("nope"));
  assert.deepEqual([last.code, last.status, last.path], ["not_found", 200, "/products/nope"]);
  // Rails' routing 404.
  ({ last } = await failing(() => c.request("GET", "/no/such/route")));
  assert.deepEqual([last.code, last.status], ["not_found", 404]);
  assert.deepEqual(Object.keys(last), ["type", "method", "path", "attempt", "status", "durationMs", "code"]);
  // No answer at all: no status, and the retry's reason is the network.
  const down = recorded({ baseUrl: "http://127.0.0.1:9/v2", maxRetries: 1 });
  const err = await down.client.user.retrieve().then(() => assert.fail("expected a rejection"), (e) => e);
  assert.deepEqual(brief(down.events), [
    ["request", "GET", "/user", 1, null],
    ["retry", "GET", "/user", 1, null],
    ["request", "GET", "/user", 2, null],
    ["error", "GET", "/user", 2, null],
  ]);
  assert.deepEqual([down.events[1].reason, down.events[3].code, err.code], ["connection", "connection", "connection"]);
  // A timeout.
  await fault({ kind: "latency", path: "/user", latency_ms: 1500 });
  ({ last } = await failing(() => c.user.retrieve({ timeoutMs: 150 })));
  assert.equal(last.code, "timeout");
  assert.ok(last.durationMs >= 140 && last.durationMs < 1400, `${last.durationMs}`);
  await fetch(`${mock.url}/__mock/faults`, { method: "DELETE" });
  // An abort during the wait before a retry.
  await fault({ kind: "429", path: "/user", retry_after: 30 });
  const ctl = new AbortController();
  setTimeout(() => ctl.abort(), 200);
  ({ last } = await failing(() => c.user.retrieve({ signal: ctl.signal, maxRetries: 3 })));
  assert.deepEqual(
    brief(events).map((e) => e[0]),
    ["request", "response", "retry", "error"],
  );
  assert.deepEqual([events[2].retryInMs, last.code], [30000, "aborted"]);
  // A state-changing call is never retried: its 503 is its error.
  const once = recorded({ maxRetries: 2 });
  await fault({ kind: "503", path: "/products", method: "POST", times: 1 });
  const refused = await once.client.products.create({ name: "x" }).catch((e) => e);
  assert.deepEqual(brief(once.events), [
    ["request", "POST", "/products", 1, null],
    ["response", "POST", "/products", 1, 503],
    ["error", "POST", "/products", 1, 503],
  ]);
  assert.deepEqual([once.events[2].code, refused.code], ["api_error", "api_error"]);
});

test("redaction: no token, Maton key or license key reaches an event or a debug line", async () => {
  const seen = [];
  const record = (x) => void seen.push(x);
  const observe = { hooks: { request: record, response: record, retry: record, error: record }, debug: record };
  const secretToken = TOKEN;
  const c = new GumroadClient({ accessToken: secretToken, baseUrl: `${mock.url}/v2`, maxRetries: 1, ...observe });
  await fault({ kind: "503", path: "/licenses/verify", times: 1 });
  await c.licenses.verify({ product_id: P3, license_key: KEY(1), increment_uses_count: false });
  await c.licenses.check({ product_id: P3, license_key: KEY(2) });
  await c.licenses.verify({ product_id: P3, license_key: KEY(3) });
  await c.licenses.disable({ product_id: P3, license_key: KEY(4) });
  await c.licenses.decrementUsesCount({ product_id: P3, license_key: KEY(4) });
  // Params of a GET travel in the query string, which events never show.
  await c.request("GET", "/user", { license_key: KEY(6), access_token: secretToken });
  await c.sales.list({ email: "buyer@example.com" });
  await c.products.retrieve("nope").catch(() => {});
  await control("/settings", { upload_part_size: 65536 });
  await c.files.upload(new Uint8Array(65536), { filename: "a.bin" });
  await new GumroadClient({ accessToken: "wrong-token-xyz", baseUrl: `${mock.url}/v2`, ...observe }).user.retrieve().catch(() => {});
  const m = GumroadClient.maton({ apiKey: MATON_KEY, baseUrl: `${mock.url}/gumroad/v2`, ctrlBaseUrl: mock.url, ...observe });
  await m.user.retrieve();
  await m.licenses.check({ product_id: P3, license_key: KEY(5) });
  await m.maton.connections.list();
  await GumroadClient.maton({ apiKey: "mk-not-a-real-key-123", baseUrl: `${mock.url}/gumroad/v2`, ...observe }).user.retrieve().catch(() => {});

  assert.ok(seen.length > 40, `${seen.length}`);
  assert.ok(seen.some((x) => typeof x === "string") && seen.some((x) => typeof x === "object"));
  const text = JSON.stringify(seen);
  const secrets = [secretToken, "wrong-token-xyz", MATON_KEY, "mk-not-a-real-key-123", "buyer@example.com", ...[1, 2, 3, 4, 5, 6].map(KEY)];
  for (const s of secrets) {
    assert.ok(!text.includes(s), `${s} appears in an event or a log line`);
    assert.ok(!text.includes(encodeURIComponent(s)), `${s} appears percent-encoded`);
  }
  assert.ok(!text.includes("?"), "no query string");
  assert.ok(!text.includes("127.0.0.1"), "no host");
  for (const e of seen.filter((x) => typeof x === "object")) {
    const allowed = ["type", "method", "path", "attempt", "status", "durationMs", "retryInMs", "reason", "code"];
    assert.deepEqual(Object.keys(e).filter((k) => !allowed.includes(k)), [], "no headers, bodies or messages");
  }
});

test("a hook or debug sink that throws or rejects changes nothing and leaves no unhandled rejection", async () => {
  const unhandled = [];
  const onUnhandled = (reason) => void unhandled.push(reason);
  process.on("unhandledRejection", onUnhandled);
  try {
    const throwing = () => {
      throw new Error("hook failure");
    };
    const rejecting = async () => {
      throw new Error("async hook failure");
    };
    const badThenable = () => ({
      then() {
        throw new Error("then failure");
      },
    });
    const plain = new GumroadClient({ accessToken: TOKEN, baseUrl: `${mock.url}/v2`, maxRetries: 1 });
    for (const [name, fn] of [["throwing", throwing], ["rejecting", rejecting], ["bad thenable", badThenable], ["rejected promise", () => Promise.reject(new Error("x"))]]) {
      const hooked = new GumroadClient({
        accessToken: TOKEN,
        baseUrl: `${mock.url}/v2`,
        maxRetries: 1,
        hooks: { request: fn, response: fn, retry: fn, error: fn },
        debug: fn,
      });
      assert.deepEqual(await hooked.user.retrieve(), await plain.user.retrieve(), name);
      await fault({ kind: "503", path: "/user", times: 1 });
      assert.equal((await hooked.user.retrieve()).name, "John Smith", `${name}: retried through`);
      const a = await hooked.products.retrieve("nope").catch((e) => e);
      const b = await plain.products.retrieve("nope").catch((e) => e);
      assert.deepEqual(a.toJSON(), b.toJSON(), name);
      let n = 0;
      for await (const _ of hooked.sales.iterate()) n++;
      assert.ok(n > 10, name);
    }
    // A hook may call the client again while the call that reported is running.
    const inner = [];
    const reentrant = new GumroadClient({
      accessToken: TOKEN,
      baseUrl: `${mock.url}/v2`,
      hooks: { response: (e) => void (e.path === "/user" && inner.push(reentrant.products.list())) },
    });
    assert.equal((await reentrant.user.retrieve()).name, "John Smith");
    assert.ok((await inner[0]).products.length > 0);
    await new Promise((r) => setTimeout(r, 50));
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
  assert.deepEqual(unhandled, []);
});

test("debug: true logs each event with console.debug; a function gets the same lines instead", async () => {
  const logged = [];
  const original = console.debug;
  console.debug = (...args) => void logged.push(args);
  try {
    const c = new GumroadClient({ accessToken: TOKEN, baseUrl: `${mock.url}/v2`, debug: true, maxRetries: 1 });
    await fault({ kind: "503", path: "/user", times: 1 });
    await c.user.retrieve();
    await c.products.retrieve("nope").catch(() => {});
  } finally {
    console.debug = original;
  }
  assert.ok(logged.every((args) => args.length === 1 && typeof args[0] === "string"));
  const lines = logged.map((args) => args[0].replace(/\d+ ms/g, "N ms"));
  assert.deepEqual(lines, [
    "gumroad-wasm: GET /user attempt 1 sending",
    "gumroad-wasm: GET /user attempt 1 -> 503 in N ms",
    "gumroad-wasm: GET /user attempt 1 -> retry in N ms (api_error 503)",
    "gumroad-wasm: GET /user attempt 2 sending",
    "gumroad-wasm: GET /user attempt 2 -> 200 in N ms",
    "gumroad-wasm: GET /products/nope attempt 1 sending",
    "gumroad-wasm: GET /products/nope attempt 1 -> 200 in N ms",
    "gumroad-wasm: GET /products/nope attempt 1 -> failed: not_found 200 in N ms",
  ]);

  const got = [];
  const viaConsole = [];
  console.debug = (...args) => void viaConsole.push(args);
  try {
    const c = new GumroadClient({ accessToken: TOKEN, baseUrl: `${mock.url}/v2`, debug: (line) => void got.push(line) });
    await c.user.retrieve();
    // debug: false and empty hooks are the same as none.
    await new GumroadClient({ accessToken: TOKEN, baseUrl: `${mock.url}/v2`, debug: false, hooks: {} }).user.retrieve();
  } finally {
    console.debug = original;
  }
  assert.deepEqual(viaConsole, []);
  assert.deepEqual(got.map((l) => l.replace(/\d+ ms/g, "N ms")), ["gumroad-wasm: GET /user attempt 1 sending", "gumroad-wasm: GET /user attempt 1 -> 200 in N ms"]);
});

function revoked() {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

test("wrong hooks or debug options are an InvalidArgumentError at construction", () => {
  const base = { accessToken: TOKEN, baseUrl: "http://127.0.0.1:9/v2" };
  const cases = [
    [{ hooks: 5 }, "`hooks` must be an object"],
    [{ hooks: "request" }, "`hooks` must be an object"],
    [{ hooks: [() => {}] }, "`hooks` must be an object"],
    [{ hooks: () => {} }, "`hooks` must be an object"],
    [{ hooks: { requets: () => {} } }, "unknown hook `requets` (expected one of: request, response, retry, error)"],
    [{ hooks: { request: "log" } }, "hook `request` must be a function"],
    [{ hooks: { error: {} } }, "hook `error` must be a function"],
    [{ debug: "verbose" }, "`debug` must be true, false or a function"],
    [{ debug: 1 }, "`debug` must be true, false or a function"],
    [{ debug: {} }, "`debug` must be true, false or a function"],
    [{ hooks: { get request() { throw new Error("getter"); } } }, "`hooks` could not be read"],
    [{ hooks: new Proxy({}, { ownKeys() { throw new Error("proxy"); } }) }, "`hooks` could not be read"],
    [{ hooks: revoked() }, "`hooks` could not be read"],
  ];
  for (const [opts, message] of cases) {
    for (const make of [() => new GumroadClient({ ...base, ...opts }), () => GumroadClient.maton({ apiKey: MATON_KEY, ...opts })]) {
      assert.throws(make, (e) => {
        assert.ok(e instanceof InvalidArgumentError, `${message}: ${e}`);
        assert.equal(e.code, "invalid_argument");
        assert.ok(e.message.includes(message), e.message);
        return true;
      });
    }
  }
  // The wasm instance is still sound after those.
  assert.ok(new GumroadClient({ ...base, hooks: { request: () => {} } }).baseUrl);
  // Absent, null and undefined are no hooks; so is debug: false.
  for (const opts of [{}, { hooks: null, debug: null }, { hooks: undefined, debug: false }, { hooks: { request: undefined, error: null } }]) {
    assert.ok(new GumroadClient({ ...base, ...opts }));
  }
});
