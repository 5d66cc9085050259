// The npm package as users get it: `npm pack` of dist/pkg, installed from the tarball into fresh
// temporary projects, each running real code against gumroad-mock: Node ESM, Node CommonJS, a
// Cloudflare Worker bundled by wrangler and run in workerd, a strict TypeScript project, and
// `node --conditions` resolution of every entry.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { workerMiniflare } from "../support/worker.mjs";
import { startMock, repoRoot } from "../support/mock.mjs";
import { bin, run, packedPackage } from "../support/package.mjs";

let mock;
let pkg;
let tarball;
const project = (name, fields) => pkg.project(name, fields);

before(async () => {
  mock = await startMock();
  pkg = packedPackage("pkg");
  tarball = pkg.tarball;
});

after(async () => {
  await mock?.stop();
  pkg?.remove();
});

test("the tarball holds what the exports map points to, and nothing from the repo", () => {
  const listing = run("tar", ["-tzf", tarball], pkg.work).split("\n").filter(Boolean);
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, "dist/pkg/package.json"), "utf8"));
  const targets = [];
  const walk = (v) => (typeof v === "string" ? targets.push(v) : Object.values(v).forEach(walk));
  walk(manifest.exports);
  for (const t of targets) assert.ok(listing.includes(`package/${t.replace("./", "")}`), `${t} is packed`);
  assert.deepEqual(Object.keys(manifest.exports["."]), ["types", "workerd", "edge-light", "deno", "bun", "node", "worker", "browser", "import", "default"]);
  for (const f of ["package/README.md", "package/package.json", "package/index.d.ts"]) assert.ok(listing.includes(f), f);
  assert.ok(!listing.some((f) => /\.rs$|Cargo|node_modules/.test(f)));
  for (const k of ["types", "sideEffects", "engines", "files", "license", "repository"]) assert.ok(manifest[k], k);
  // One client .wasm shared by every entry, plus the Worker's own build.
  assert.deepEqual(listing.filter((f) => f.endsWith(".wasm")).sort(), ["package/web/gumroad_wasm_bg.wasm", "package/worker/gumroad_wasm_bg.wasm"]);
  // An entry missing from `sideEffects` has its wasm set-up dropped by tree-shaking bundlers,
  // and so does the resource facade an entry pulls in through exports.js (Rollup drops the
  // dependencies of a module it deems side-effect free, whatever they are flagged).
  // A CommonJS entry that requires another entry (node.cjs → node.mjs) sets up through it; a
  // self-contained one (license.cjs) sets up nothing.
  const text = (t) => readFileSync(path.join(repoRoot, "dist/pkg", t), "utf8");
  const setsUp = (t) =>
    /^(await )?init(Sync)?\(/m.test(text(t)) || (t.endsWith(".cjs") && /\brequire\(/.test(text(t))) || /from "\.\/exports\.js"/.test(text(t));
  assert.ok(manifest.sideEffects.includes("./entries/exports.js"), "exports.js defines the resource namespaces");
  const entries = [...new Set(targets)].filter((t) => t.startsWith("./entries/") && setsUp(t));
  assert.ok(entries.length >= 6, entries.join());
  const missing = entries.filter((t) => !manifest.sideEffects.includes(t));
  assert.deepEqual(missing, [], "entries that set up wasm but are not in sideEffects");
});

test("one version everywhere: Cargo.toml, package.json, CHANGELOG.md and the VERSION export", async () => {
  const cargo = readFileSync(path.join(repoRoot, "Cargo.toml"), "utf8").match(/^version = "([^"]+)"/m)?.[1];
  assert.match(cargo ?? "", /^\d+\.\d+\.\d+/);
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, "dist/pkg/package.json"), "utf8"));
  const changelog = readFileSync(path.join(repoRoot, "CHANGELOG.md"), "utf8").match(/^## \[([^\]]+)\]/m)?.[1];
  const { VERSION } = await import(path.join(repoRoot, "dist/pkg/entries/node.mjs"));
  assert.deepEqual({ manifest: manifest.version, changelog, VERSION }, { manifest: cargo, changelog: cargo, VERSION: cargo });
  const stamped = readdirSync(path.join(repoRoot, "dist/pkg/entries")).filter((f) => readFileSync(path.join(repoRoot, "dist/pkg/entries", f), "utf8").includes("__VERSION__"));
  assert.deepEqual(stamped, [], "entries still holding the version placeholder");
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
  assert.equal(resolve(["edge-light"], "gumroad-wasm"), "entries/edge-light.js");
  assert.equal(resolve(["deno"], "gumroad-wasm"), "entries/node.mjs");
  assert.equal(resolve(["bun"], "gumroad-wasm"), "entries/node.mjs");
  assert.equal(resolve(["bun"], "gumroad-wasm", "require"), "entries/node.cjs");
  assert.equal(resolve([], "gumroad-wasm/web"), "entries/web.js");
  assert.equal(resolve([], "gumroad-wasm/worker"), "entries/worker.js");
  assert.equal(resolve([], "gumroad-wasm/package.json"), "package.json");
  assert.equal(resolve([], "gumroad-wasm/license"), "entries/license.js");
  assert.equal(resolve([], "gumroad-wasm/license", "require"), "entries/license.cjs");
  assert.equal(resolve(["workerd"], "gumroad-wasm/license"), "entries/license.js");
  assert.equal(resolve(["browser"], "gumroad-wasm/license"), "entries/license.js");
  // `worker`, `browser` and `import` apply where `node` is not set (bundlers targeting browsers
  // and web workers): resolved by esbuild, which takes the conditions it is given.
  const resolveFor = (conditions) => {
    writeFileSync(path.join(dir, "probe.js"), `import "gumroad-wasm";`);
    run(bin("esbuild"), ["probe.js", "--bundle", "--format=esm", "--platform=neutral", "--metafile=meta.json", "--outfile=probe.out.js", "--loader:.wasm=file", "--external:*.wasm?module", `--conditions=${conditions}`, "--log-level=error"], dir);
    const meta = JSON.parse(readFileSync(path.join(dir, "meta.json"), "utf8"));
    return Object.keys(meta.inputs).filter((f) => f.includes("/entries/")).map((f) => f.split("node_modules/gumroad-wasm/")[1]);
  };
  assert.ok(resolveFor("worker").includes("entries/bundler.js"));
  assert.ok(resolveFor("browser").includes("entries/bundler.js"));
  assert.ok(resolveFor("edge-light").includes("entries/edge-light.js"));
});

test("gumroad-wasm/license loads no wasm (Node ESM and CommonJS, an esbuild bundle) and is what the main entry re-exports", () => {
  const dir = project("license", { type: "module" });
  const names = ["LicenseClient", "LicenseClientError", "deviceHash", "licenseKeyHash", "verifyLicenseToken"];
  // Any wasm compiled or instantiated in this process throws, so the license entry must load
  // without it, and the main entry (which does load wasm) proves the trap works.
  const trap = `
    for (const k of ["Module", "Instance", "compile", "instantiate", "compileStreaming", "instantiateStreaming"]) {
      Object.defineProperty(WebAssembly, k, { value: function () { throw new Error("wasm loaded"); } });
    }`;
  writeFileSync(path.join(dir, "esm.mjs"), `${trap}
    const lib = await import("gumroad-wasm/license");
    const main = await import("gumroad-wasm").then(() => "loaded", (e) => e.message);
    console.log(JSON.stringify({ names: Object.keys(lib).sort(), main, client: typeof new lib.LicenseClient({ url: "https://l.example", productId: "p", publicKeys: [{ kty: "OKP", crv: "Ed25519", x: "${"A".repeat(43)}" }], fingerprint: "f" }).check }));
  `);
  writeFileSync(path.join(dir, "cjs.cjs"), `${trap}
    const lib = require("gumroad-wasm/license");
    lib.deviceHash("sub", "fp").then((h) => console.log(JSON.stringify({ names: Object.keys(lib).sort(), h })));
  `);
  const esm = JSON.parse(run("node", ["esm.mjs"], dir));
  assert.deepEqual(esm, { names, main: "wasm loaded", client: "function" });
  const cjs = JSON.parse(run("node", ["cjs.cjs"], dir));
  assert.deepEqual(cjs.names, names);
  assert.match(cjs.h, /^[A-Za-z0-9_-]{43}$/);
  // A browser bundle of the subpath takes in that one file: no glue, no .wasm asset.
  writeFileSync(path.join(dir, "app.js"), `import { LicenseClient } from "gumroad-wasm/license"; globalThis.L = LicenseClient;`);
  run(bin("esbuild"), ["app.js", "--bundle", "--format=esm", "--platform=browser", "--metafile=meta.json", "--outdir=out", "--loader:.wasm=file", "--log-level=error"], dir);
  const meta = JSON.parse(readFileSync(path.join(dir, "meta.json"), "utf8"));
  assert.deepEqual(Object.keys(meta.inputs).filter((f) => f.includes("gumroad-wasm/")).map((f) => f.split("node_modules/gumroad-wasm/")[1]), ["entries/license.js"]);
  assert.deepEqual(Object.keys(meta.outputs).filter((f) => f.endsWith(".wasm")), []);
  // The main entries re-export the same bundle (through their shared exports.js), so both
  // import paths share one LicenseClient.
  for (const entry of ["bundler.js", "edge-light.js", "node.mjs", "web.js", "workerd.js"]) {
    const source = readFileSync(path.join(repoRoot, "dist/pkg/entries", entry), "utf8");
    assert.match(source, /^export \* from "\.\/exports\.js";$/m, entry);
  }
  const shared = readFileSync(path.join(repoRoot, "dist/pkg/entries/exports.js"), "utf8");
  assert.match(shared, /export \{ LicenseClient, LicenseClientError, verifyLicenseToken, licenseKeyHash, deviceHash \} from "\.\/license\.js";/);
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
    import { LicenseClient, type LicenseResult } from "gumroad-wasm/license";
    const c = new GumroadClient({ accessToken: "t" });
    export const seat = (fingerprint: string): Promise<LicenseResult> =>
      new LicenseClient({ url: "https://license.example.com", productId: "p", publicKeys: { keys: [] }, fingerprint }).check();
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
    // @ts-expect-error: a LicenseClient needs the Worker's public keys
    new LicenseClient({ url: "https://license.example.com", productId: "p", fingerprint: "f" });
  `);
  run(bin("tsc"), ["-p", "tsconfig.json"], dir);
});
