// Bundler consumers of the packed package, run in headless Chromium against gumroad-mock:
// an esbuild bundle (wasm copied by esbuild's `file` loader) and a Vite production build
// (wasm emitted as an asset from `new URL(..., import.meta.url)`).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, mkdirSync, rmSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startMock, repoRoot } from "../support/mock.mjs";
import { staticServer, listen, launchChromium } from "../../scripts/demo-lib.mjs";

const bin = (name) => path.join(repoRoot, "node_modules/.bin", name);
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
let mock;
let work;
let tarball;
let browser;

function project(name) {
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, private: true, type: "module", dependencies: { "gumroad-wasm": `file:${tarball}` } }));
  run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "--offline"], dir);
  return dir;
}

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

async function openIn(dir, file) {
  const server = staticServer(() => ({}), [["/", dir]]);
  const port = await listen(server, 0);
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  try {
    await page.goto(`http://127.0.0.1:${port}/${file}`);
    await page.waitForFunction(() => document.getElementById("out")?.textContent, null, { timeout: 20_000 });
    return { result: JSON.parse(await page.textContent("#out")), errors };
  } finally {
    await page.close();
    await new Promise((r) => server.close(r));
  }
}

before(async () => {
  mock = await startMock();
  work = mkdtempSync(path.join(os.tmpdir(), "gumroad-wasm-bundlers-"));
  const out = run("npm", ["pack", path.join(repoRoot, "dist/pkg"), "--pack-destination", work, "--json"], work);
  tarball = path.join(work, JSON.parse(out)[0].filename);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await mock?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
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
