// Runtimes beyond Node, each a fresh project that installs the packed tarball and makes real
// calls against gumroad-mock: Deno 2 (the `deno` condition), Bun (ESM through `bun`/`import`,
// CommonJS through `bun`/`require`), and Vercel Edge semantics (the `edge-light` condition, run
// in the `edge-runtime` sandbox, where wasm arrives as a compiled module and compiling from bytes
// is refused).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startMock, repoRoot } from "../support/mock.mjs";
import { bin, run, packedPackage } from "../support/package.mjs";

let mock;
let pkg;

before(async () => {
  mock = await startMock();
  pkg = packedPackage("runtimes");
});

after(async () => {
  await mock?.stop();
  pkg?.remove();
});

const P3 = "U2tldGNoUHJvLURlc2t0b3A=";
const KEY = "DEC0DE00-00000000-00000000-00000002";

// The same program in every ESM runtime: a token call, a typed error, a license check; the
// last line of output is a JSON summary. `where` tells which entry the runtime resolved.
const ESM_APP = `
import { GumroadClient, NotFoundError, isGumroadError } from "gumroad-wasm";
const base = BASE;
const c = new GumroadClient({ accessToken: "demo-token-full", baseUrl: base });
const user = await c.user.retrieve();
let notFound = false;
try { await c.products.retrieve("nope"); } catch (e) { notFound = e instanceof NotFoundError && isGumroadError(e) && e.code === "not_found"; }
const v = await new GumroadClient({ baseUrl: base }).licenses.check({ product_id: "${P3}", license_key: "${KEY}" });
console.log(JSON.stringify({ name: user.name, notFound, reason: v.reason, where: import.meta.resolve("gumroad-wasm").split("gumroad-wasm/")[1] }));
`;
const EXPECTED = { name: "John Smith", notFound: true, reason: "refunded" };

const lastJson = (out) => JSON.parse(out.trim().split("\n").pop());

test("Deno 2 imports the package by name (node_modules, `deno` condition)", () => {
  const dir = pkg.project("deno", { type: "module" });
  writeFileSync(path.join(dir, "main.mjs"), ESM_APP.replace("BASE", "Deno.env.get('BASE')"));
  const out = run(bin("deno"), ["run", "--allow-net=127.0.0.1", "--allow-read", "--allow-env=BASE", "main.mjs"], dir, {
    BASE: `${mock.url}/v2`,
    DENO_DIR: path.join(dir, ".deno"),
    DENO_NO_UPDATE_CHECK: "1",
    NO_COLOR: "1",
  });
  assert.deepEqual(lastJson(out), { ...EXPECTED, where: "entries/node.mjs" });
});

test("Bun, ESM", () => {
  const dir = pkg.project("bun-esm", { type: "module" });
  writeFileSync(path.join(dir, "main.mjs"), ESM_APP.replace("BASE", "process.env.BASE"));
  const out = run(bin("bun"), ["main.mjs"], dir, { BASE: `${mock.url}/v2`, BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0" });
  assert.deepEqual(lastJson(out), { ...EXPECTED, where: "entries/node.mjs" });
});

test("Bun, CommonJS: require and import share one module instance", () => {
  const dir = pkg.project("bun-cjs");
  writeFileSync(path.join(dir, "main.js"), `
    const g = require("gumroad-wasm");
    const c = new g.GumroadClient({ baseUrl: process.env.BASE });
    c.licenses.check({ product_id: "${P3}", license_key: "${KEY}" }).then(async (v) => {
      const esm = await import("gumroad-wasm");
      console.log(JSON.stringify({ reason: v.reason, same: esm.GumroadClient === g.GumroadClient, where: require.resolve("gumroad-wasm").split("gumroad-wasm/")[1] }));
    });
  `);
  const out = run(bin("bun"), ["main.js"], dir, { BASE: `${mock.url}/v2`, BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0" });
  assert.deepEqual(lastJson(out), { reason: "refunded", same: true, where: "entries/node.cjs" });
});

test("Node: require and import share one module instance and one .wasm", () => {
  const dir = pkg.project("node-one-instance");
  writeFileSync(path.join(dir, "main.js"), `
    const g = require("gumroad-wasm");
    import("gumroad-wasm").then((esm) => console.log(JSON.stringify({ same: esm.GumroadClient === g.GumroadClient && esm.NotFoundError === g.NotFoundError })));
  `);
  assert.deepEqual(lastJson(run("node", ["main.js"], dir)), { same: true });
});

test("Vercel Edge: the edge-light entry in the edge-runtime sandbox", async () => {
  const dir = pkg.project("edge", { type: "module" });
  writeFileSync(path.join(dir, "app.js"), `
    import { GumroadClient, NotFoundError, createPingHandler } from "gumroad-wasm";
    globalThis.__result = (async () => {
      const seen = [];
      const handle = createPingHandler({ secret: "edge-ping-secret-0123456789", on: { refund: (d) => void seen.push(d.sale_id) } });
      const ping = await handle(new Request("https://shop.example/ping?secret=edge-ping-secret-0123456789", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: globalThis.REFUND }));
      if (ping.status !== 200 || seen.length !== 1) throw new Error("ping " + ping.status + " " + JSON.stringify(seen));
      const c = new GumroadClient({ accessToken: "demo-token-full", baseUrl: globalThis.BASE });
      const user = await c.user.retrieve();
      let notFound = false;
      try { await c.products.retrieve("nope"); } catch (e) { notFound = e instanceof NotFoundError; }
      const v = await new GumroadClient({ baseUrl: globalThis.BASE }).licenses.check({ product_id: "${P3}", license_key: "${KEY}" });
      return JSON.stringify({ name: user.name, notFound, reason: v.reason });
    })();
  `);
  // What Vercel's bundler does with `import m from "x.wasm?module"`: the import reads a global
  // binding that the platform fills with the compiled module before the code runs.
  const esbuild = await import(bin("esbuild").replace(/\.bin\/esbuild$/, "esbuild/lib/main.js"));
  const wasmFiles = [];
  const result = await esbuild.build({
    entryPoints: [path.join(dir, "app.js")],
    bundle: true,
    write: false,
    format: "iife",
    platform: "neutral",
    conditions: ["edge-light"],
    metafile: true,
    logLevel: "error",
    plugins: [
      {
        name: "edge-wasm-bindings",
        setup(b) {
          b.onResolve({ filter: /\.wasm\?module$/ }, (args) => {
            wasmFiles.push(path.resolve(args.resolveDir, args.path.replace(/\?module$/, "")));
            return { path: `wasm_${wasmFiles.length - 1}`, namespace: "edge-wasm" };
          });
          b.onLoad({ filter: /.*/, namespace: "edge-wasm" }, (args) => ({ contents: `export default globalThis.${args.path};`, loader: "js" }));
        },
      },
    ],
  });
  const inputs = Object.keys(result.metafile.inputs).filter((f) => f.includes("/entries/"));
  assert.ok(inputs.some((f) => f.endsWith("entries/edge-light.js")), inputs.join());
  assert.equal(wasmFiles.length, 1);
  assert.ok(wasmFiles[0].endsWith("gumroad-wasm/web/gumroad_wasm_bg.wasm"), wasmFiles[0]);

  const { EdgeRuntime } = await import(path.join(path.dirname(bin("edge-runtime")), "../edge-runtime/dist/index.js"));
  const runtime = new EdgeRuntime();
  const context = runtime.context;
  const wa = runtime.evaluate("WebAssembly");
  context.BASE = `${mock.url}/v2`;
  context.REFUND = readFileSync(path.join(repoRoot, "tests/fixtures/ping_refund.form"), "utf8");
  // The platform's compiled module. Next.js's sandbox compiles it in the host realm, so the
  // entry must not rely on `instanceof` (as wasm-bindgen's initSync does).
  context.wasm_0 = new WebAssembly.Module(readFileSync(wasmFiles[0]));
  // Compiling wasm from bytes at run time is refused on Vercel Edge (as on workerd).
  const refuse = () => {
    throw new (runtime.evaluate("Error"))("WebAssembly compilation from bytes is not allowed in Edge Runtime");
  };
  const Module = wa.Module;
  wa.Module = new Proxy(Module, { construct: refuse });
  wa.compile = refuse;
  wa.instantiate = (m, imports) => (m instanceof Module || m instanceof WebAssembly.Module ? Promise.resolve(new wa.Instance(m, imports)) : refuse());
  runtime.evaluate(result.outputFiles[0].text);
  const out = JSON.parse(await runtime.evaluate("globalThis.__result"));
  assert.deepEqual(out, EXPECTED);
});
