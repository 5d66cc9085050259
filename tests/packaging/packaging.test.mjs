// The npm package as users get it: `npm pack` of dist/pkg, installed from the tarball into fresh
// temporary projects, each running real code against gumroad-mock: Node ESM, Node CommonJS, a
// Cloudflare Worker bundled by wrangler and run in workerd, a strict TypeScript project, and
// `node --conditions` resolution of every entry.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { workerMiniflare } from "../support/worker.mjs";
import { startMock, repoRoot } from "../support/mock.mjs";

const bin = (name) => path.join(repoRoot, "node_modules/.bin", name);
let mock;
let work;
let tarball;

function run(cmd, args, cwd, env = {}) {
  return execFileSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
}

/** A fresh project with the tarball installed. */
function project(name, pkg = {}) {
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, private: true, version: "1.0.0", ...pkg, dependencies: { "gumroad-wasm": `file:${tarball}` } }, null, 2));
  run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "--offline"], dir);
  return dir;
}

before(async () => {
  mock = await startMock();
  work = mkdtempSync(path.join(os.tmpdir(), "gumroad-wasm-pkg-"));
  const out = run("npm", ["pack", path.join(repoRoot, "dist/pkg"), "--pack-destination", work, "--json"], work);
  tarball = path.join(work, JSON.parse(out)[0].filename);
});

after(async () => {
  await mock?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

test("the tarball holds what the exports map points to, and nothing from the repo", () => {
  const listing = run("tar", ["-tzf", tarball], work).split("\n").filter(Boolean);
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, "dist/pkg/package.json"), "utf8"));
  const targets = [];
  const walk = (v) => (typeof v === "string" ? targets.push(v) : Object.values(v).forEach(walk));
  walk(pkg.exports);
  for (const t of targets) assert.ok(listing.includes(`package/${t.replace("./", "")}`), `${t} is packed`);
  assert.deepEqual(Object.keys(pkg.exports["."]), ["types", "workerd", "node", "browser", "import", "default"]);
  for (const f of ["package/README.md", "package/package.json", "package/index.d.ts"]) assert.ok(listing.includes(f), f);
  assert.ok(!listing.some((f) => /\.rs$|Cargo|node_modules/.test(f)));
  for (const k of ["types", "sideEffects", "engines", "files", "license", "repository"]) assert.ok(pkg[k], k);
});

test("Node ESM project", () => {
  const dir = project("esm", { type: "module" });
  writeFileSync(path.join(dir, "main.js"), `
    import { GumroadClient, NotFoundError, isGumroadError } from "gumroad-wasm";
    const c = new GumroadClient({ accessToken: "demo-token-full", baseUrl: process.env.BASE });
    const u = await c.user.retrieve();
    let nf = false;
    try { await c.products.retrieve("nope"); } catch (e) { nf = e instanceof NotFoundError && isGumroadError(e); }
    console.log(JSON.stringify({ name: u.name, nf }));
  `);
  const out = JSON.parse(run("node", ["main.js"], dir, { BASE: `${mock.url}/v2` }));
  assert.deepEqual(out, { name: "John Smith", nf: true });
});

test("Node CommonJS project", () => {
  const dir = project("cjs");
  writeFileSync(path.join(dir, "main.js"), `
    const { GumroadClient } = require("gumroad-wasm");
    new GumroadClient({ baseUrl: process.env.BASE })
      .licenses.check({ product_id: "U2tldGNoUHJvLURlc2t0b3A=", license_key: "DEC0DE00-00000000-00000000-00000002" })
      .then((v) => console.log(JSON.stringify(v.reason)));
  `);
  assert.equal(JSON.parse(run("node", ["main.js"], dir, { BASE: `${mock.url}/v2` })), "refunded");
});

test("node --conditions resolves every entry", () => {
  const dir = project("resolve", { type: "module" });
  const resolve = (conditions, spec, mode = "import") => {
    const code = mode === "import" ? `console.log(import.meta.resolve(${JSON.stringify(spec)}))` : `console.log(require.resolve(${JSON.stringify(spec)}))`;
    const args = [...conditions.map((c) => `--conditions=${c}`), mode === "import" ? "--input-type=module" : "--input-type=commonjs", "-e", code];
    return run("node", args, dir).trim().replace(/^file:\/\//, "").split("node_modules/gumroad-wasm/")[1];
  };
  assert.equal(resolve([], "gumroad-wasm"), "entries/node.mjs");
  assert.equal(resolve([], "gumroad-wasm", "require"), "entries/node.cjs");
  assert.equal(resolve(["workerd"], "gumroad-wasm"), "entries/workerd.js");
  assert.equal(resolve(["workerd"], "gumroad-wasm", "require"), "entries/workerd.js");
  assert.equal(resolve([], "gumroad-wasm/web"), "entries/web.js");
  assert.equal(resolve([], "gumroad-wasm/worker"), "entries/worker.js");
  assert.equal(resolve([], "gumroad-wasm/package.json"), "package.json");
  // `browser` and `import` apply where `node` is not set (bundlers targeting browsers).
  const pkg = JSON.parse(readFileSync(path.join(dir, "node_modules/gumroad-wasm/package.json"), "utf8"));
  assert.equal(pkg.exports["."].browser, "./entries/bundler.js");
});

test("a Cloudflare Worker importing the package by name, bundled by wrangler, runs in workerd", async () => {
  const dir = project("worker", { type: "module" });
  mkdirSync(path.join(dir, "src"));
  writeFileSync(path.join(dir, "src/index.js"), `
    import licenseWorker from "gumroad-wasm/worker";
    import { GumroadClient } from "gumroad-wasm";
    export { LicenseLedger } from "gumroad-wasm/worker";
    export default {
      async fetch(request, env, ctx) {
        if (new URL(request.url).pathname === "/me") {
          const c = new GumroadClient({ accessToken: "demo-token-full", baseUrl: env.GUMROAD_API_BASE });
          return Response.json(await c.user.retrieve());
        }
        return licenseWorker.fetch(request, env, ctx);
      },
    };
  `);
  // The README's deploy-from-zero wrangler.toml: Durable Object, its migration, rate limits.
  const limits = ["RATE_LIMIT_VERIFY_IP", "RATE_LIMIT_CHANGE_IP", "RATE_LIMIT_VERIFY_KEY"]
    .map((name, i) => `[[ratelimits]]\nname = "${name}"\nnamespace_id = "${7401 + i}"\nsimple = { limit = 60, period = 60 }\n`)
    .join("\n");
  writeFileSync(
    path.join(dir, "wrangler.toml"),
    `name = "consumer"\nmain = "src/index.js"\ncompatibility_date = "2026-04-01"\n\n[[durable_objects.bindings]]\nname = "LICENSE_LEDGER"\nclass_name = "LicenseLedger"\n\n[[migrations]]\ntag = "v1"\nnew_sqlite_classes = ["LicenseLedger"]\n\n${limits}`,
  );
  run(bin("wrangler"), ["deploy", "--dry-run", "--outdir", "out"], dir, { WRANGLER_SEND_METRICS: "false", CI: "true", XDG_CONFIG_HOME: path.join(dir, ".config"), WRANGLER_LOG_PATH: path.join(dir, "logs") });
  const files = readdirSync(path.join(dir, "out"));
  assert.ok(files.some((f) => f.endsWith(".wasm")), files.join(","));
  const mf = workerMiniflare({ scriptPath: path.join(dir, "out/index.js"), modulesRoot: path.join(dir, "out"), license: true, bindings: { GUMROAD_API_BASE: `${mock.url}/v2`, GUMROAD_PRODUCT_IDS: "U2tldGNoUHJvLURlc2t0b3A=" } });
  try {
    const me = await (await mf.dispatchFetch("http://w/me")).json();
    assert.equal(me.name, "John Smith");
    const res = await mf.dispatchFetch("http://w/v1/licenses/verify", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ license_key: "DEC0DE00-00000000-00000000-00000001" }),
    });
    assert.deepEqual((await res.json()).reason, "ok");
  } finally {
    await mf.dispose();
  }
});

test("a strict TypeScript project type-checks against the installed package", () => {
  const dir = project("types", { type: "module" });
  writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", lib: ["ES2022", "DOM", "DOM.Iterable"], skipLibCheck: false, exactOptionalPropertyTypes: true },
    files: ["main.ts"],
  }));
  writeFileSync(path.join(dir, "main.ts"), `
    import { GumroadClient, type Sale, isGumroadError } from "gumroad-wasm";
    import worker from "gumroad-wasm/worker";
    import init from "gumroad-wasm/web";
    const c = new GumroadClient({ accessToken: "t" });
    export async function total(): Promise<number> {
      let sum = 0;
      for await (const s of c.sales.iterate({ after: "2026-01-01" })) { const sale: Sale = s; sum += sale.price; }
      return sum;
    }
    export const f: typeof worker.fetch = worker.fetch;
    export const i: typeof init = init;
    export const g = (e: unknown): boolean => isGumroadError(e) && e.code === "rate_limited";
    // @ts-expect-error: unknown option
    new GumroadClient({ token: "t" });
  `);
  run(bin("tsc"), ["-p", "tsconfig.json"], dir);
});
