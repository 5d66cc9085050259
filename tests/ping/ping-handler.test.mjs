// createPingHandler (js/ping-handler.js) with the real wasm parsePing of the built package
// (dist/pkg; GUMROAD_WASM_PKG points the Node tests at another build) and Gumroad's example ping
// bodies (tests/fixtures, copies of the reference examples): in Node, then in workerd, Deno.serve
// and Bun.serve (those load the repository's dist/pkg).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { spawn } from "node:child_process";
import os from "node:os";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "../support/mock.mjs";
import { workerMiniflare } from "../support/worker.mjs";
import { pingHandlerFactory, timingSafeEqual } from "../../js/ping-handler.js";

const pkgDir = process.env.GUMROAD_WASM_PKG ?? path.join(repoRoot, "dist/pkg");
const entry = await import(pathToFileURL(path.join(pkgDir, "entries/node.mjs")).href);
const { parsePing, InvalidArgumentError, isGumroadError } = entry;
const createPingHandler = pingHandlerFactory(parsePing, InvalidArgumentError);

const SECRET = "s3cr3t-0123456789abcdef0123456789abcdef";
const URL_OK = `https://shop.example/gumroad/ping?secret=${SECRET}`;
const FORM = "application/x-www-form-urlencoded";
const EVENT_TYPES = ["sale", "refund", "dispute", "dispute_won", "cancellation", "subscription_updated", "subscription_ended", "subscription_restarted"];

const fixture = (name) => readFileSync(path.join(repoRoot, "tests/fixtures", name), "utf8");
const withField = (form, key, value) =>
  form.replace(new RegExp(`(^|&)${key}=[^&]*`), `$1${key}=${encodeURIComponent(value)}`);

// Gumroad's example bodies, plus the three events the reference has no example of, derived
// from the example of the same payload family (§5.2 / §5.3 of gumroad-api.md).
const BODIES = {
  sale: fixture("ping_sale.form"),
  refund: fixture("ping_refund.form"),
  cancellation: fixture("ping_cancellation.form"),
  subscription_updated: fixture("ping_subscription_updated.form"),
  subscription_ended: fixture("ping_subscription_ended.form"),
  dispute: withField(withField(fixture("ping_sale.form"), "resource_name", "dispute"), "disputed", "true"),
  dispute_won: withField(withField(fixture("ping_sale.form"), "resource_name", "dispute_won"), "dispute_won", "true"),
  subscription_restarted:
    withField(fixture("ping_subscription_ended.form").replace(/&ended_at=.*$/, ""), "resource_name", "subscription_restarted") +
    "&restarted_at=2021-03-01T10%3A00%3A00Z",
};

function post(body, contentType = FORM, url = URL_OK, init = {}) {
  const headers = contentType === null ? {} : { "content-type": contentType };
  return new Request(url, { method: "POST", body, headers, ...init });
}

/** A handler per event that records its calls. */
function recorder() {
  const calls = [];
  const on = {};
  for (const t of EVENT_TYPES) on[t] = (data, ctx) => void calls.push({ handler: t, data, ctx });
  return { calls, on };
}

/** The form body as multipart/form-data, field by field (URLSearchParams decodes each pair). */
function asMultipart(form) {
  const fd = new FormData();
  for (const [k, v] of new URLSearchParams(form)) fd.append(k, v);
  return fd;
}

async function assertError(res, status, code, mustNotContain = []) {
  assert.equal(res.status, status);
  assert.match(res.headers.get("content-type"), /^application\/json/);
  const text = await res.text();
  const body = JSON.parse(text);
  assert.deepEqual(Object.keys(body), ["error"]);
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, "string");
  for (const s of [SECRET, ...mustNotContain]) assert.ok(!text.includes(s), `answer leaks ${JSON.stringify(s)}: ${text}`);
  return body;
}

test("timingSafeEqual: equal, unequal, different lengths, unicode", () => {
  assert.equal(timingSafeEqual(SECRET, SECRET), true);
  assert.equal(timingSafeEqual(SECRET, `${SECRET}`.slice(0)), true);
  assert.equal(timingSafeEqual("", ""), true);
  assert.equal(timingSafeEqual("abcdef", "xbcdef"), false, "first byte differs");
  assert.equal(timingSafeEqual("abcdef", "abcdex"), false, "last byte differs");
  assert.equal(timingSafeEqual("abc", "abcd"), false, "prefix");
  assert.equal(timingSafeEqual("abcd", "abc"), false, "longer given");
  assert.equal(timingSafeEqual("abc", "abc\0"), false, "zero padding does not make equal");
  assert.equal(timingSafeEqual("", "a"), false);
  assert.equal(timingSafeEqual("clé-ünï-😀", "clé-ünï-😀"), true);
  assert.equal(timingSafeEqual("é", "e\u0301"), false, "composed vs decomposed");
  assert.equal(timingSafeEqual("é", "è"), false, "differs in a continuation byte only");
  assert.equal(timingSafeEqual("😀", "😁"), false);
  assert.equal(timingSafeEqual("a", undefined), false);
  assert.equal(timingSafeEqual(null, null), false);
});

test("each form ping goes to its own handler, with parsePing's data and the request", async () => {
  for (const type of EVENT_TYPES) {
    const { calls, on } = recorder();
    const handle = createPingHandler({ secret: SECRET, on });
    const req = post(BODIES[type]);
    const res = await handle(req);
    assert.equal(res.status, 200, type);
    assert.deepEqual(await res.json(), { ok: true, type, handled: true });
    assert.equal(calls.length, 1, type);
    const [call] = calls;
    assert.equal(call.handler, type);
    assert.equal(call.ctx.type, type);
    assert.equal(call.ctx.request, req);
    assert.deepEqual(call.data, parsePing(BODIES[type], FORM).data);
    assert.equal(call.data.resource_name, type);
  }
});

test("form data arrives typed and nested as Gumroad sent it", async () => {
  const seen = {};
  const handle = createPingHandler({
    secret: SECRET,
    on: { default: (data, { type }) => void (seen[type] = data) },
  });
  for (const type of EVENT_TYPES) assert.equal((await handle(post(BODIES[type]))).status, 200);
  assert.equal(seen.sale.sale_id, "FO8TXN-dvxYabdavG97Y-Q==");
  assert.equal(seen.sale.price, 500);
  assert.equal(seen.sale.refunded, false);
  assert.deepEqual(seen.sale.custom_fields, { "Twitter handle": "@calvin" });
  assert.equal(seen.sale.card.visual, "**** **** **** 4242");
  assert.equal(seen.refund.refunded, true);
  assert.equal(seen.refund.sale_id, "Xt6nR2Lk0pQ9wEr7YuIoPA==");
  assert.equal(seen.dispute.disputed, true);
  assert.equal(seen.dispute_won.dispute_won, true);
  assert.deepEqual(seen.cancellation.purchase_ids, ["Ws9eD7rF5tG3yH1uJ0iK8g==", "Vc8xZ6nM4bL2kJ0hG9fD7g=="]);
  assert.equal(seen.cancellation.cancelled, true);
  assert.equal(seen.cancellation.cancelled_at, "2021-03-25T18:40:00Z");
  assert.deepEqual(seen.subscription_updated.old_plan, { recurrence: "monthly", price_cents: 500, quantity: 1, tier: { id: "Yx6t2VfYkN8m1Qh0cP4rBQ==", name: "Basic" } });
  assert.equal(seen.subscription_updated.new_plan.tier.name, "Premium");
  assert.equal(seen.subscription_ended.ended_reason, "cancelled");
  // Eli has no Gumroad account: an empty value, kept as a key (parsePing gives it as a nullish value).
  assert.ok("user_id" in seen.subscription_ended && seen.subscription_ended.user_id == null);
  assert.equal(seen.subscription_restarted.restarted_at, "2021-03-01T10:00:00Z");
});

test("a seller Ping URL's body (no resource_name) is a sale; no Content-Type reads as a form", async () => {
  const { calls, on } = recorder();
  const handle = createPingHandler({ secret: SECRET, on });
  const body = BODIES.sale.replace("&resource_name=sale", "");
  assert.ok(!body.includes("resource_name"));
  const res = await handle(post(new TextEncoder().encode(body), null));
  assert.equal(res.status, 200);
  assert.deepEqual(calls.map((c) => c.handler), ["sale"]);
  assert.equal(calls[0].data.sale_id, "FO8TXN-dvxYabdavG97Y-Q==");
});

test("JSON pings (Zapier post_urls, or the seller's JSON setting)", async () => {
  for (const [type, contentType] of [["refund", "application/json"], ["subscription_updated", "application/json; charset=utf-8"], ["sale", "Application/JSON"]]) {
    const { calls, on } = recorder();
    const data = JSON.parse(JSON.stringify(parsePing(BODIES[type], FORM).data));
    const res = await createPingHandler({ secret: SECRET, on })(post(JSON.stringify(data), contentType));
    assert.equal(res.status, 200, type);
    assert.deepEqual(calls.map((c) => c.handler), [type]);
    assert.deepEqual(calls[0].data, data);
  }
});

test("multipart/form-data pings read exactly like the same form body", async () => {
  for (const type of EVENT_TYPES) {
    const { calls, on } = recorder();
    const res = await createPingHandler({ secret: SECRET, on })(post(asMultipart(BODIES[type]), null));
    assert.equal(res.status, 200, type);
    assert.deepEqual(calls.map((c) => c.handler), [type]);
    assert.deepEqual(calls[0].data, parsePing(BODIES[type], FORM).data, type);
  }
  // Brackets Gumroad pre-escapes inside a custom field's name stay literal, `+` stays a plus.
  const fd = new FormData();
  fd.append("resource_name", "sale");
  fd.append("custom_fields[Size%5Bcm%5D]", "4+2 & 3=5");
  fd.append("purchase_ids[]", "a");
  fd.append("purchase_ids[]", "b");
  let data;
  const res = await createPingHandler({ secret: SECRET, on: { sale: (d) => void (data = d) } })(post(fd, null));
  assert.equal(res.status, 200);
  assert.deepEqual(data, { resource_name: "sale", custom_fields: { "Size[cm]": "4+2 & 3=5" }, purchase_ids: ["a", "b"] });
  assert.deepEqual(data, parsePing("resource_name=sale&custom_fields%5BSize%255Bcm%255D%5D=4%2B2%20%26%203%3D5&purchase_ids%5B%5D=a&purchase_ids%5B%5D=b", FORM).data);
});

test("missing or wrong secret: 403, no handler runs, the secret is never echoed", async () => {
  const { calls, on } = recorder();
  const handle = createPingHandler({ secret: SECRET, on });
  const base = "https://shop.example/gumroad/ping";
  const wrong = [
    base,
    `${base}?secret=`,
    `${base}?secret=${SECRET.slice(0, -1)}`,
    `${base}?secret=${SECRET}x`,
    `${base}?secret=${SECRET.toUpperCase()}`,
    `${base}?token=${SECRET}`,
    `${base}?secret=wrong-guess-${"z".repeat(40)}&secret=${SECRET}`,
  ];
  for (const url of wrong) await assertError(await handle(post(BODIES.sale, FORM, url)), 403, "forbidden", ["wrong-guess"]);
  // A header is not read: Gumroad cannot send one, and one way in is easier to reason about.
  await assertError(await handle(post(BODIES.sale, FORM, base, { headers: { "content-type": FORM, "x-gumroad-secret": SECRET, authorization: `Bearer ${SECRET}` } })), 403, "forbidden");
  assert.equal(calls.length, 0);
  // Other query parameters beside the secret are fine.
  assert.equal((await handle(post(BODIES.sale, FORM, `${base}?source=gumroad&secret=${SECRET}&x=1`))).status, 200);
  assert.equal(calls.length, 1);
});

test("anything but POST: 405 with Allow: POST, before the secret is looked at", async () => {
  const { calls, on } = recorder();
  const handle = createPingHandler({ secret: SECRET, on });
  for (const method of ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]) {
    for (const url of [URL_OK, "https://shop.example/gumroad/ping"]) {
      const res = await handle(new Request(url, { method }));
      assert.equal(res.status, 405, method);
      assert.equal(res.headers.get("allow"), "POST");
      if (method !== "HEAD") await assertError(res, 405, "method_not_allowed");
    }
  }
  assert.equal(calls.length, 0);
});

test("bodies over the cap: 413, from Content-Length or counted while streaming", async () => {
  const { calls, on } = recorder();
  const body = BODIES.subscription_updated;
  const exact = createPingHandler({ secret: SECRET, on, maxBodyBytes: body.length });
  assert.equal((await exact(post(body))).status, 200, "a body of exactly maxBodyBytes is read");
  const small = createPingHandler({ secret: SECRET, on, maxBodyBytes: body.length - 1 });
  await assertError(await small(post(body)), 413, "body_too_large");

  // Default cap (64 KiB): a declared length over it is refused without reading a byte.
  const handle = createPingHandler({ secret: SECRET, on });
  let pulled = 0;
  const lazy = new ReadableStream({ pull: (c) => { pulled++; c.enqueue(new Uint8Array(1024)); } });
  const declared = post(lazy, FORM, URL_OK, { duplex: "half", headers: { "content-type": FORM, "content-length": String(64 * 1024 + 1) } });
  await assertError(await handle(declared), 413, "body_too_large");
  assert.ok(pulled <= 1, `read ${pulled} chunks of a body declared too large`);

  // No Content-Length (chunked): reading stops, and the upload is cancelled, past the cap.
  let cancelled = false;
  let sent = 0;
  const endless = new ReadableStream({
    pull: (c) => { sent += 8192; c.enqueue(new TextEncoder().encode("a".repeat(8192))); },
    cancel: () => { cancelled = true; },
  });
  await assertError(await handle(post(endless, FORM, URL_OK, { duplex: "half" })), 413, "body_too_large");
  assert.ok(cancelled, "the stream was cancelled");
  assert.ok(sent <= 64 * 1024 + 3 * 8192, `read ${sent} bytes`);

  // A multipart body under the cap whose form encoding exceeds parsePing's 256 KiB limit.
  const big = createPingHandler({ secret: SECRET, on, maxBodyBytes: 256 * 1024 });
  const fd = new FormData();
  fd.append("resource_name", "sale");
  fd.append("note", "é".repeat(50_000)); // 100 KB as UTF-8, 300 KB percent-escaped
  await assertError(await big(post(fd, null)), 413, "body_too_large");
  assert.equal(calls.length, 1, "only the exact-size body reached a handler");
});

test("unparseable bodies: 400 (415 for other media types), never echoing the input", async () => {
  const { calls, on } = recorder();
  const handle = createPingHandler({ secret: SECRET, on });
  const cases = [
    ["", FORM],
    ["   ", FORM],
    ["resource_name=evil_marker_event&sale_id=1", FORM],
    ["%5Bevil_marker%5D=1", FORM],
    ["evil_marker%5Bx=1", FORM],
    [`evil_marker${"%5Bx%5D".repeat(9)}=1`, FORM],
    ["{\"evil_marker\": ", "application/json"],
    ["[\"evil_marker\"]", "application/json"],
    ["\"evil_marker\"", "application/json"],
    ["{\"resource_name\":\"evil_marker\"}", "application/json"],
    [new Uint8Array([0x61, 0x3d, 0xff, 0xfe]), FORM],
    ["evil_marker", "multipart/form-data; boundary=zzz"],
    ["evil_marker", "multipart/form-data"],
  ];
  for (const [body, ct] of cases) await assertError(await handle(post(body, ct)), 400, "malformed_body", ["evil_marker"]);
  const withFile = new FormData();
  withFile.append("resource_name", "sale");
  withFile.append("evil_marker", new Blob(["x"]), "a.txt");
  await assertError(await handle(post(withFile, null)), 400, "malformed_body", ["evil_marker"]);
  for (const ct of ["text/plain", "application/xml", "application/jsonx"]) {
    await assertError(await handle(post("sale_id=1", ct)), 415, "unsupported_media_type", ["sale_id"]);
  }
  assert.equal(calls.length, 0);
});

test("a throwing handler: 500 so Gumroad retries, the error goes to onError and not into the answer", async () => {
  const errors = [];
  const handle = createPingHandler({
    secret: SECRET,
    on: {
      refund: () => { throw new Error("database password is hunter2"); },
      cancellation: async () => { await new Promise((r) => setTimeout(r, 5)); throw new Error("async hunter2"); },
    },
    onError: (error, ctx) => void errors.push({ error, ctx }),
  });
  const req = post(BODIES.refund);
  const body = await assertError(await handle(req), 500, "handler_failed", ["hunter2", "Error", "at "]);
  assert.deepEqual(Object.keys(body.error), ["code", "message"]);
  await assertError(await handle(post(BODIES.cancellation)), 500, "handler_failed", ["hunter2"]);
  assert.deepEqual(errors.map((e) => [e.error.message, e.ctx.type]), [["database password is hunter2", "refund"], ["async hunter2", "cancellation"]]);
  assert.equal(errors[0].ctx.request, req);

  // A throwing onError changes nothing; the default onError logs with console.error.
  const loud = createPingHandler({ secret: SECRET, on: { refund() { throw new Error("boom"); } }, onError() { throw new Error("logger down"); } });
  await assertError(await loud(post(BODIES.refund)), 500, "handler_failed");
  const logged = [];
  const original = console.error;
  console.error = (...args) => void logged.push(args);
  try {
    const quiet = createPingHandler({ secret: SECRET, on: { refund() { throw new Error("boom"); } } });
    await assertError(await quiet(post(BODIES.refund)), 500, "handler_failed", ["boom"]);
  } finally {
    console.error = original;
  }
  assert.equal(logged.length, 1);
  assert.match(String(logged[0][0]), /ping handler failed \(refund\)/);
  assert.equal(logged[0][1].message, "boom");
});

test("handlers are awaited before the answer", async () => {
  let done = false;
  const handle = createPingHandler({
    secret: SECRET,
    on: { sale: async () => { await new Promise((r) => setTimeout(r, 20)); done = true; } },
  });
  const res = await handle(post(BODIES.sale));
  assert.equal(done, true);
  assert.equal(res.status, 200);
});

test("no handler for the event: 200 and ignored; on.default takes what has no handler of its own", async () => {
  const seen = [];
  const only = createPingHandler({ secret: SECRET, on: { refund: () => void seen.push("refund") } });
  const res = await only(post(BODIES.sale));
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { ok: true, type: "sale", handled: false });
  assert.deepEqual(seen, []);

  const withDefault = createPingHandler({
    secret: SECRET,
    on: { refund: () => void seen.push("refund"), sale: undefined, default: (data, { type }) => void seen.push(`default:${type}:${data.product_id}`) },
  });
  for (const type of ["refund", "sale", "subscription_ended"]) {
    const r = await withDefault(post(BODIES[type]));
    assert.deepEqual(await r.json(), { ok: true, type, handled: true });
  }
  assert.deepEqual(seen, ["refund", "default:sale:A-m3CDDC5dlrSdKZp0RFhA==", "default:subscription_ended:32-nPAicqbLj8B_WswVlMw=="]);
});

test("a parsePing failure that is not the body's fault is a 500 (retried), reported with type null", async () => {
  const errors = [];
  const broken = pingHandlerFactory(() => { throw new TypeError("wasm not initialised"); }, InvalidArgumentError);
  const handle = broken({ secret: SECRET, on: { sale() {} }, onError: (e, ctx) => void errors.push([e.message, ctx.type]) });
  await assertError(await handle(post(BODIES.sale)), 500, "handler_failed", ["wasm"]);
  assert.deepEqual(errors, [["wasm not initialised", null]]);
});

test("bad options throw InvalidArgumentError at creation, without echoing the secret", () => {
  const on = { sale() {} };
  const bad = [
    [undefined, /options must be an object/],
    [null, /options must be an object/],
    ["secret", /options must be an object/],
    [{ on }, /`secret` must be a string of at least 16/],
    [{ secret: 1234567890123456, on }, /`secret` must be a string/],
    [{ secret: "0123456789abcde", on }, /at least 16/],
    [{ secret: "0123456789abcdef+/=", on }, /only letters, digits/],
    [{ secret: "0123456789abcdef é", on }, /only letters, digits/],
    [{ secret: SECRET }, /`on` must be an object/],
    [{ secret: SECRET, on: [] }, /`on` must be an object/],
    [{ secret: SECRET, on: {} }, /at least one handler/],
    [{ secret: SECRET, on: { sale: undefined } }, /at least one handler/],
    [{ secret: SECRET, on: { refunds() {} } }, /unknown event `refunds`/],
    [{ secret: SECRET, on: { sale: "handler" } }, /`on.sale` must be a function/],
    [{ secret: SECRET, on, onerror() {} }, /unknown option `onerror`/],
    [{ secret: SECRET, on, onError: "log" }, /`onError` must be a function/],
    [{ secret: SECRET, on, maxBodyBytes: 0 }, /`maxBodyBytes` must be an integer from 1 to 262144/],
    [{ secret: SECRET, on, maxBodyBytes: 256 * 1024 + 1 }, /`maxBodyBytes`/],
    [{ secret: SECRET, on, maxBodyBytes: 1.5 }, /`maxBodyBytes`/],
    [{ secret: SECRET, on, maxBodyBytes: "65536" }, /`maxBodyBytes`/],
  ];
  for (const [options, message] of bad) {
    assert.throws(
      () => createPingHandler(options),
      (e) => {
        assert.ok(e instanceof InvalidArgumentError, `${e}`);
        assert.ok(isGumroadError(e));
        assert.equal(e.code, "invalid_argument");
        assert.match(e.message, /^createPingHandler: /);
        assert.match(e.message, message);
        for (const s of ["0123456789abcde", "+/=", SECRET]) assert.ok(!e.message.includes(s), e.message);
        return true;
      },
      JSON.stringify(options),
    );
  }
  assert.equal(typeof createPingHandler({ secret: "0123456789abcdef", on }), "function", "16 characters are enough");
  assert.equal(typeof createPingHandler({ secret: "Aa0-._~".repeat(3), on, maxBodyBytes: 256 * 1024 }), "function");
  assert.throws(() => pingHandlerFactory(), TypeError);
  assert.throws(() => pingHandlerFactory(parsePing), TypeError);
});

// workerd: the same module with the workerd entry's parsePing (tests/ping/worker.js, which reports
// the handler's answer and what the handlers saw). Miniflare's dispatchFetch does not take Node's
// FormData, so multipart bodies go as bytes with their Content-Type.
test("[workerd] the handler runs unchanged in a Cloudflare Worker", async () => {
  const mf = workerMiniflare({ scriptPath: path.join(repoRoot, "tests/ping/worker.js"), bindings: { PING_SECRET: SECRET } });
  const send = async (init, url = URL_OK) => (await mf.dispatchFetch(url, { method: "POST", ...init })).json();
  try {
    for (const type of ["sale", "cancellation", "subscription_updated"]) {
      const r = await send({ body: BODIES[type], headers: { "content-type": FORM } });
      assert.equal(r.status, 200, type);
      assert.deepEqual(r.seen, [{ type, data: JSON.parse(JSON.stringify(parsePing(BODIES[type], FORM).data)) }]);
    }
    const json = JSON.parse(JSON.stringify(parsePing(BODIES.subscription_ended, FORM).data));
    const j = await send({ body: JSON.stringify(json), headers: { "content-type": "application/json" } });
    assert.deepEqual(j.seen, [{ type: "subscription_ended", data: json }]);
    const multipart = new Response(asMultipart(BODIES.subscription_updated));
    const m = await send({ body: new Uint8Array(await multipart.arrayBuffer()), headers: { "content-type": multipart.headers.get("content-type") } });
    assert.equal(m.status, 200);
    assert.deepEqual(m.seen[0].data, JSON.parse(JSON.stringify(parsePing(BODIES.subscription_updated, FORM).data)));

    const failed = await send({ body: BODIES.refund, headers: { "content-type": FORM } });
    assert.equal(failed.status, 500);
    assert.ok(!failed.body.includes("store is down"));
    assert.deepEqual(failed.errors, [{ type: "refund", message: "refund store is down" }]);

    assert.equal((await send({ body: BODIES.sale }, "http://w/p?secret=nope")).status, 403);
    const get = await (await mf.dispatchFetch(URL_OK)).json();
    assert.deepEqual([get.status, get.allow], [405, "POST"]);
    assert.equal((await send({ body: "a=".padEnd(16 * 1024 + 1, "x"), headers: { "content-type": FORM } })).status, 413);
    const chunks = Array.from({ length: 5 }, () => new TextEncoder().encode("x".repeat(4096)));
    const stream = new ReadableStream({ pull: (c) => (chunks.length ? c.enqueue(chunks.shift()) : c.close()) });
    assert.equal((await send({ body: stream, duplex: "half", headers: { "content-type": FORM } })).status, 413);
    assert.equal((await send({ body: "resource_name=nope", headers: { "content-type": FORM } })).status, 400);
  } finally {
    await mf.dispose();
  }
});

/** Starts tests/ping/serve.mjs in Deno or Bun; resolves to its base URL and a stop function. */
function serveIn(runtime) {
  const scratch = mkdtempSync(path.join(os.tmpdir(), `gumroad-wasm-ping-${runtime}-`));
  const args = runtime === "deno" ? ["run", "--allow-net=127.0.0.1", "--allow-read", "tests/ping/serve.mjs"] : ["tests/ping/serve.mjs"];
  const env = { ...process.env, DENO_DIR: path.join(scratch, "deno"), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0" };
  const child = spawn(path.join(repoRoot, "node_modules/.bin", runtime), args, { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
  const stop = () => {
    child.kill();
    rmSync(scratch, { recursive: true, force: true });
  };
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => { stop(); reject(new Error(`${runtime} did not start:\n${out}`)); }, 30_000);
    child.stderr.on("data", (d) => (out += d));
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/^port (\d+)$/m);
      if (m) {
        clearTimeout(timer);
        resolve({ base: `http://127.0.0.1:${m[1]}`, stop });
      }
    });
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`${runtime} exited (${code}):\n${out}`)); });
  });
}

for (const runtime of ["deno", "bun"]) {
  test(`[${runtime}] the handler serves real HTTP from ${runtime === "deno" ? "Deno.serve" : "Bun.serve"}`, async () => {
    const { base, stop } = await serveIn(runtime);
    const url = `${base}/gumroad/ping?secret=${SECRET}`;
    const send = (init, to = url) => fetch(to, { method: "POST", ...init });
    const plain = (data) => JSON.parse(JSON.stringify(data));
    try {
      assert.equal((await send({ body: BODIES.sale, headers: { "content-type": FORM } })).status, 200);
      assert.equal((await send({ body: asMultipart(BODIES.cancellation) })).status, 200);
      const ended = plain(parsePing(BODIES.subscription_ended, FORM).data);
      assert.equal((await send({ body: JSON.stringify(ended), headers: { "content-type": "application/json" } })).status, 200);
      assert.deepEqual(await (await fetch(`${base}/seen`)).json(), [
        { type: "sale", data: plain(parsePing(BODIES.sale, FORM).data) },
        { type: "cancellation", data: plain(parsePing(BODIES.cancellation, FORM).data) },
        { type: "subscription_ended", data: ended },
      ]);
      await assertError(await send({ body: BODIES.refund, headers: { "content-type": FORM } }), 500, "handler_failed", ["store is down"]);
      await assertError(await send({ body: BODIES.sale, headers: { "content-type": FORM } }, `${base}/gumroad/ping?secret=nope`), 403, "forbidden");
      const get = await fetch(url);
      assert.deepEqual([get.status, get.headers.get("allow")], [405, "POST"]);
      await get.body?.cancel();
      await assertError(await send({ body: "a=".padEnd(16 * 1024 + 1, "x"), headers: { "content-type": FORM } }), 413, "body_too_large");
      const chunks = Array.from({ length: 5 }, () => new TextEncoder().encode("x".repeat(4096)));
      const stream = new ReadableStream({ pull: (c) => (chunks.length ? c.enqueue(chunks.shift()) : c.close()) });
      await assertError(await send({ body: stream, duplex: "half", headers: { "content-type": FORM } }), 413, "body_too_large");
      await assertError(await send({ body: "resource_name=nope", headers: { "content-type": FORM } }), 400, "malformed_body", ["nope"]);
      assert.deepEqual(await (await fetch(`${base}/seen`)).json(), [], "no handler ran for the refused requests");
    } finally {
      stop();
    }
  });
}

test("the package's Node entries export a working createPingHandler", async () => {
  const cjs = createRequire(import.meta.url)(path.join(pkgDir, "entries/node.cjs"));
  for (const [name, create, Invalid] of [["esm", entry.createPingHandler, entry.InvalidArgumentError], ["cjs", cjs.createPingHandler, cjs.InvalidArgumentError]]) {
    const seen = [];
    const handle = create({ secret: SECRET, on: { refund: (d) => void seen.push(d.sale_id) } });
    assert.equal((await handle(post(BODIES.refund))).status, 200, name);
    assert.deepEqual(seen, ["Xt6nR2Lk0pQ9wEr7YuIoPA=="], name);
    assert.throws(() => create({ secret: "short", on: { sale() {} } }), Invalid, name);
  }
});
