// Bundler consumers of the packed package, run in headless Chromium against gumroad-mock:
// an esbuild bundle (wasm copied by esbuild's `file` loader) and a Vite production build
// (wasm emitted as an asset from `new URL(..., import.meta.url)`).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { startMock, repoRoot } from "../support/mock.mjs";
import { bin, run, packedPackage } from "../support/package.mjs";
import { staticServer, listen, launchChromium } from "../../scripts/demo-lib.mjs";

let mock;
let pkg;
let browser;
const project = (name) => pkg.project(name, { type: "module" });

const APP = (importLines, initLine) => `
${importLines}
const out = document.getElementById("out");
try {
  ${initLine}
  const c = new GumroadClient({ accessToken: "demo-token-full", baseUrl: window.MOCK + "/v2" });
  const user = await c.user.retrieve();
  const v = await c.licenses.check({ product_id: "U2tldGNoUHJvLURlc2t0b3A=", license_key: "DEC0DE00-00000000-00000000-00000004" });
  out.textContent = JSON.stringify({ name: user.name, reason: v.reason });
} catch (e) {
  out.textContent = JSON.stringify({ error: String(e && e.message) });
}
`;

/** Opens `url` in Chromium and returns what the app wrote to #out, and any page errors. */
async function openUrl(url) {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  try {
    await page.goto(url);
    await page.waitForFunction(() => document.getElementById("out")?.textContent, null, { timeout: 20_000 });
    return { result: JSON.parse(await page.textContent("#out")), errors };
  } finally {
    await page.close();
  }
}

async function openIn(dir, file) {
  const server = staticServer(() => ({}), [["/", dir]]);
  const port = await listen(server, 0);
  try {
    return await openUrl(`http://127.0.0.1:${port}/${file}`);
  } finally {
    await new Promise((r) => server.close(r));
  }
}

before(async () => {
  mock = await startMock();
  pkg = packedPackage("bundlers");
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await mock?.stop();
  pkg?.remove();
});

const html = (script) => `<!doctype html><meta charset="utf-8"><script>window.MOCK = ${JSON.stringify("__MOCK__")};</script><pre id="out"></pre><script type="module" src="${script}"></script>`;

test("esbuild bundle in Chromium", async () => {
  const dir = project("esbuild");
  writeFileSync(path.join(dir, "app.js"), APP(
    `import init, { GumroadClient } from "gumroad-wasm/web";\nimport wasmUrl from "gumroad-wasm/wasm";`,
    `await init({ module_or_path: new URL(wasmUrl, import.meta.url) });`,
  ));
  run(bin("esbuild"), ["app.js", "--bundle", "--format=esm", "--loader:.wasm=file", "--outdir=out", "--log-level=error"], dir);
  assert.ok(readdirSync(path.join(dir, "out")).some((f) => f.endsWith(".wasm")), "esbuild copied the wasm");
  writeFileSync(path.join(dir, "out/index.html"), html("./app.js").replace("__MOCK__", mock.url));
  const { result, errors } = await openIn(path.join(dir, "out"), "index.html");
  assert.deepEqual(result, { name: "John Smith", reason: "disputed" });
  assert.deepEqual(errors, []);
});

test("Vite production build in Chromium", async () => {
  const dir = project("vite");
  writeFileSync(path.join(dir, "main.js"), APP(`import init, { GumroadClient } from "gumroad-wasm/web";`, `await init();`));
  writeFileSync(path.join(dir, "index.html"), html("./main.js").replace("__MOCK__", mock.url));
  writeFileSync(path.join(dir, "vite.config.js"), `export default { build: { target: "es2022" }, logLevel: "error" };`);
  run(bin("vite"), ["build", dir, "--config", path.join(dir, "vite.config.js")], dir);
  const assets = readdirSync(path.join(dir, "dist/assets"));
  assert.ok(assets.some((f) => f.endsWith(".wasm")), `vite emitted the wasm: ${assets}`);
  const { result, errors } = await openIn(path.join(dir, "dist"), "index.html");
  assert.deepEqual(result, { name: "John Smith", reason: "disputed" });
  assert.deepEqual(errors, []);
});

// The plain import a new user writes: no plugin, no `init()`. The bundler entry fetches the wasm
// from `new URL(..., import.meta.url)` (an asset every bundler emits) and sets up with
// top-level await.
const PLAIN = APP(`import { GumroadClient } from "gumroad-wasm";`, "");

test("Vite: plain import, no plugin, no init(): vite build", async () => {
  const dir = project("vite-plain");
  writeFileSync(path.join(dir, "main.js"), PLAIN);
  writeFileSync(path.join(dir, "index.html"), html("./main.js").replace("__MOCK__", mock.url));
  run(bin("vite"), ["build", "--logLevel", "error"], dir);
  const assets = readdirSync(path.join(dir, "dist/assets"));
  assert.equal(assets.filter((f) => f.endsWith(".wasm")).length, 1, `vite emitted the wasm once: ${assets}`);
  const { result, errors } = await openIn(path.join(dir, "dist"), "index.html");
  assert.deepEqual(result, { name: "John Smith", reason: "disputed" });
  assert.deepEqual(errors, []);
});

test("Vite: plain import, no plugin, no init(): vite dev", async () => {
  const dir = project("vite-dev");
  writeFileSync(path.join(dir, "main.js"), PLAIN);
  writeFileSync(path.join(dir, "index.html"), html("./main.js").replace("__MOCK__", mock.url));
  const { createServer } = await import(path.join(repoRoot, "node_modules/vite/dist/node/index.js"));
  const server = await createServer({ root: dir, configFile: false, logLevel: "error", server: { host: "127.0.0.1", port: 0, strictPort: false } });
  await server.listen();
  try {
    const { result, errors } = await openUrl(server.resolvedUrls.local[0]);
    assert.deepEqual(result, { name: "John Smith", reason: "disputed" });
    assert.deepEqual(errors, []);
  } finally {
    await server.close();
  }
});

test("webpack 5 on its own (web target), plain import, in Chromium", async () => {
  const dir = project("webpack");
  writeFileSync(path.join(dir, "app.js"), PLAIN);
  const { default: webpack } = await import(path.join(repoRoot, "node_modules/webpack/lib/index.js"));
  const stats = await new Promise((resolve, reject) =>
    webpack({ mode: "production", target: "web", context: dir, entry: "./app.js", output: { path: path.join(dir, "out"), filename: "app.js" } }, (err, s) => (err ? reject(err) : resolve(s))),
  );
  assert.ok(!stats.hasErrors(), stats.toString("errors-only"));
  const out = readdirSync(path.join(dir, "out"));
  assert.equal(out.filter((f) => f.endsWith(".wasm")).length, 1, `webpack emitted the wasm once: ${out}`);
  writeFileSync(path.join(dir, "out/index.html"), html("./app.js").replace("__MOCK__", mock.url));
  const { result, errors } = await openIn(path.join(dir, "out"), "index.html");
  assert.deepEqual(result, { name: "John Smith", reason: "disputed" });
  assert.deepEqual(errors, []);
});
