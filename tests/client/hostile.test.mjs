// Inputs that try to throw from inside the wasm (a JS exception unwinding through it leaves the
// instance broken for every later call), and the failure paths of files.upload: each must end
// in a typed error (or work), with the client still usable afterwards. In Node, against
// gumroad-mock.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startMock, repoRoot } from "../support/mock.mjs";

const lib = await import(`${repoRoot}/dist/pkg/entries/node.mjs`);
const { GumroadClient } = lib;

let mock;
before(async () => (mock = await startMock()));
after(async () => mock?.stop());

const client = () => new GumroadClient({ accessToken: "demo-token-full", baseUrl: `${mock.url}/v2` });
const control = async (method, path, body) =>
  (await fetch(`${mock.url}/__mock${path}`, { method, headers: { "content-type": "application/json" }, body: body && JSON.stringify(body) })).json();
const invalid = (e) => {
  assert.ok(e instanceof lib.InvalidArgumentError, `${e?.name}: ${e?.message}`);
  return true;
};
const sound = async (c) => assert.equal((await c.user.retrieve()).name, "John Smith", "the client still works");

// Surfaces a JS exception that escaped into the event loop (the wasm's own tasks).
function watchEscapes() {
  const escaped = [];
  const onError = (e) => void escaped.push(e);
  process.on("uncaughtException", onError);
  process.on("unhandledRejection", onError);
  return async () => {
    await new Promise((r) => setTimeout(r, 50));
    process.off("uncaughtException", onError);
    process.off("unhandledRejection", onError);
    assert.deepEqual(escaped.map(String), []);
  };
}

test("files.upload: unreadable sources are an InvalidArgumentError", async () => {
  const done = watchEscapes();
  const c = client();
  await control("POST", "/reset");
  const detached = new Uint8Array(1024);
  structuredClone(detached.buffer, { transfer: [detached.buffer] });
  await assert.rejects(c.files.upload(detached, { filename: "a.bin" }), invalid);
  class ThrowingSize extends Blob {
    get size() {
      throw new Error("size");
    }
  }
  await assert.rejects(c.files.upload(new ThrowingSize(["x"]), { filename: "a.bin" }), invalid);
  const reading = (read) => ({ getReader: () => ({ read, cancel: () => undefined }) });
  await assert.rejects(c.files.upload(reading(async () => null), { filename: "a.bin", size: 4 }), invalid);
  await assert.rejects(c.files.upload(reading(async () => ({ done: false, value: "text" })), { filename: "a.bin", size: 4 }), invalid);
  await assert.rejects(c.files.upload(reading(() => { throw new Error("read"); }), { filename: "a.bin", size: 4 }), invalid);
  const throwingOption = { filename: "a.bin", get size() { throw new Error("getter"); } };
  await assert.rejects(c.files.upload(new Uint8Array(4), throwingOption), invalid);
  await sound(c);
  await done();
});

test("files.upload: a reader whose read() returns plain values (no promise) still uploads", async () => {
  const c = client();
  await control("POST", "/reset");
  const chunks = [new Uint8Array([1, 2]), new Uint8Array([3, 4])];
  const source = { getReader: () => ({ read: () => (chunks.length ? { done: false, value: chunks.shift() } : { done: true }), cancel() {} }) };
  const file = await c.files.upload(source, { filename: "plain.bin", size: 4 });
  assert.deepEqual([...new Uint8Array(await (await fetch(file.url)).arrayBuffer())], [1, 2, 3, 4]);
});

test("files.upload: an upload the caller aborts is aborted on the storage too", async () => {
  const c = client();
  await control("POST", "/reset");
  await control("POST", "/settings", { upload_part_size: 65536 });
  const before = (await control("GET", "/data")).office.file_aborts.length;
  const ctl = new AbortController();
  const upload = c.files.upload(new Uint8Array(3 * 65536), { filename: "stop.bin", signal: ctl.signal, onProgress: () => ctl.abort() });
  await assert.rejects(upload, (e) => e instanceof lib.AbortError);
  const after = (await control("GET", "/data")).office.file_aborts.length;
  assert.equal(after, before + 1, "files.abort was sent for the parts already stored");
});

test("files.upload: an onProgress that rejects leaves no unhandled rejection", async () => {
  const done = watchEscapes();
  const c = client();
  await control("POST", "/reset");
  const file = await c.files.upload(new Uint8Array(8), { filename: "p.bin", onProgress: () => Promise.reject(new Error("progress")) });
  assert.ok(file.url);
  await done();
});

test("a signal that only looks like an AbortSignal, and nested params that cannot be read, are InvalidArgumentErrors", async () => {
  const done = watchEscapes();
  const c = client();
  await assert.rejects(c.user.retrieve({ signal: Object.create(AbortSignal.prototype) }), invalid);
  const { proxy, revoke } = Proxy.revocable([], {});
  revoke();
  await assert.rejects(c.products.list({ tags: proxy }), invalid);
  const trapped = new Proxy(["a"], { get() { throw new Error("trap"); } });
  await assert.rejects(c.products.list({ tags: trapped }), invalid);
  await assert.rejects(Promise.resolve().then(() => new lib.GumroadOAuth({ clientId: "x", redirectUri: "http://127.0.0.1:9/cb" }).authorizationUrl({ scopes: proxy })), invalid);
  await sound(c);
  await done();
});

test("namespaces belong to each client, even after the prototype's getter was touched", async () => {
  assert.equal(typeof GumroadClient.prototype.user, "object");
  const c = client();
  assert.notEqual(c.user, GumroadClient.prototype.user);
  await sound(c);
  const { retrieve } = c.user;
  assert.equal((await retrieve()).name, "John Smith", "methods work detached from their namespace");
});
