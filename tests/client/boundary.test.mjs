// The JS/wasm boundary of the client build, as the package ships it: one call into the wasm per
// API call, per page of `iterate()` and per upload; no JS module of ours that the wasm imports
// calls back into it; the wasm itself calls `fetch` and runs its calls on
// wasm-bindgen-futures' queue.
//
// Every function the wasm exports is wrapped (before the package is imported, so the glue holds
// the wrapped ones) and each call is counted. The entry points are the exported class methods
// (`gumroadclient__call`, `pages__next`, ...). The rest is the glue's plumbing, named by
// wasm-bindgen: allocations for strings (`__wbindgen_malloc`), the externref table, stored
// exceptions, and the closure invokers through which the runtime wakes the wasm's futures (a
// promise the wasm awaits settled, a queued microtask ran): those are not a JS module of ours
// calling in.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { startMock, repoRoot } from "../support/mock.mjs";

const pkg = path.join(repoRoot, "dist/pkg");
const calls = new Map();
const NativeInstance = WebAssembly.Instance;
WebAssembly.Instance = function Instance(module, imports) {
  const instance = new NativeInstance(module, imports);
  const exports = {};
  for (const [name, value] of Object.entries(instance.exports)) {
    exports[name] =
      typeof value === "function"
        ? function (...args) {
            calls.set(name, (calls.get(name) ?? 0) + 1);
            return value.apply(this, args);
          }
        : value;
  }
  return { exports };
};
const lib = await import(path.join(pkg, "entries/node.mjs"));
WebAssembly.Instance = NativeInstance;

const PLUMBING = /^(__wbindgen_|__wbg_|__externref_|wasm_bindgen__convert__closures_)/;
/** The entry-point calls since the last reset, by export name. */
function entries() {
  const out = {};
  for (const [name, n] of calls) if (!PLUMBING.test(name)) out[name] = n;
  return out;
}
const total = (o) => Object.values(o).reduce((a, b) => a + b, 0);

let mock;
before(async () => {
  mock = await startMock();
});
after(async () => mock?.stop());

const client = (opts = {}) => new lib.GumroadClient({ accessToken: "demo-token-full", baseUrl: `${mock.url}/v2`, ...opts });

test("user.retrieve() is one call into the wasm", async () => {
  const c = client();
  calls.clear();
  assert.equal((await c.user.retrieve()).name, "John Smith");
  const seen = entries();
  assert.deepEqual(seen, { gumroadclient__call: 1 });
  assert.ok(total(seen) <= 1);
});

test("sales.iterate() over 3 pages is one call into the wasm per page", async () => {
  let requests = 0;
  const pageFetch = async () => {
    requests++;
    const more = requests < 3 ? { next_page_key: `k${requests}` } : {};
    return Response.json({ success: true, sales: [{ id: `a${requests}` }, { id: `b${requests}` }], ...more });
  };
  const c = client({ baseUrl: "https://api.example.invalid/v2", fetch: pageFetch });
  calls.clear();
  const ids = [];
  for await (const s of c.sales.iterate()) ids.push(s.id);
  assert.deepEqual(ids, ["a1", "b1", "a2", "b2", "a3", "b3"]);
  assert.equal(requests, 3);
  const seen = entries();
  assert.deepEqual(seen, { gumroadclient__page: 1, pages__next: 2 });
  assert.ok(total(seen) <= 3, JSON.stringify(seen));
});

test("files.upload() of 2 parts is at most one call into the wasm per part", async () => {
  await fetch(`${mock.url}/__mock/reset`, { method: "POST" });
  await fetch(`${mock.url}/__mock/settings`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ upload_part_size: 65536 }) });
  const c = client();
  const progress = [];
  calls.clear();
  const file = await c.files.upload(new Uint8Array(2 * 65536).fill(7), { filename: "two.bin", onProgress: (p) => progress.push(p.part) });
  assert.deepEqual(progress, [1, 2], "two parts were sent");
  assert.ok(file.url.endsWith("/two.bin"), file.url);
  const seen = entries();
  assert.deepEqual(seen, { gumroadclient__upload: 1 });
  assert.ok(total(seen) <= 2, JSON.stringify(seen));
});

// Files under `dir`, recursively.
function files(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

test("no JS snippet the wasm imports imports the wasm glue", () => {
  const snippets = ["web", "worker"].flatMap((b) => files(path.join(pkg, b, "snippets"))).filter((f) => f.endsWith(".js"));
  assert.ok(snippets.length >= 2, "the builds have snippets");
  for (const f of snippets) {
    const text = readFileSync(f, "utf8");
    const specifiers = [...text.matchAll(/\b(?:import|export)\s*(?:[^"'`;]*?\bfrom\s*)?["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']/g)].map((m) => m[1] ?? m[2]);
    const glue = specifiers.filter((s) => /gumroad_wasm|\.\.\//.test(s));
    assert.deepEqual(glue, [], `${path.relative(pkg, f)} imports ${glue}`);
  }
});

test("the wasm imports fetch and queueMicrotask: its calls run on wasm-bindgen-futures' queue", () => {
  const module = new WebAssembly.Module(readFileSync(path.join(pkg, "web/gumroad_wasm_bg.wasm")));
  const imported = WebAssembly.Module.imports(module).map((i) => i.name);
  assert.ok(imported.some((n) => /^__wbg_fetch_/.test(n)), "fetch is a wasm import");
  assert.ok(imported.some((n) => /^__wbg_queueMicrotask_/.test(n)), "wasm-bindgen-futures' queue schedules with queueMicrotask");
  const glue = readFileSync(path.join(pkg, "web/gumroad_wasm.js"), "utf8");
  assert.match(glue, /__wbg_fetch_\w+:function\(\)\{return handleError\(function\(arg0,arg1,arg2\)\{return fetch\(/);
});

test("no fetch( call in the package's JS outside the glue's module loader and LicenseClient", () => {
  const js = files(pkg).filter((f) => /\.(m|c)?js$/.test(f));
  const allowed = new Set(["web/gumroad_wasm.js", "worker/gumroad_wasm.js", "entries/license.js", "entries/license.cjs"]);
  const offenders = [];
  for (const f of js) {
    const rel = path.relative(pkg, f);
    if (allowed.has(rel)) continue;
    const text = readFileSync(f, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, "");
    // A call of the global fetch, bare or through the global object: not another object's
    // method (`x.fetch(`, `_fetch(`) and not a method definition (`fetch(request, env) {`).
    for (const m of text.matchAll(/(?:(?<![\w$.])|\b(?:globalThis|self|window|global)\s*\.\s*)fetch\s*\(((?:[^()]|\([^()]*\))*)\)\s*(\{)?/g)) {
      if (!m[2]) offenders.push(`${rel}: ${m[0]}`);
    }
  }
  assert.deepEqual(offenders, []);
  // The glue's own fetch calls: the wasm's import and the loader fetching the .wasm, nothing else.
  const glue = readFileSync(path.join(pkg, "web/gumroad_wasm.js"), "utf8");
  const glueCalls = [...glue.matchAll(/(?<![\w$.])fetch\(([^)]*)\)/g)].map((m) => m[1]);
  assert.deepEqual(glueCalls.sort(), ["getStringFromWasm0(arg0,arg1", "module_or_path"].sort());
});
