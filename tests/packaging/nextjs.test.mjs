// Next.js 16 App Router consumer of the packed tarball: one route handler on the Node runtime
// and one on the edge runtime, each making real calls against gumroad-mock. Built with webpack
// and with Turbopack, then served by `next start`: the .wasm must survive server bundling for
// both runtimes. next, react and react-dom come from the npm registry (npm's cache when present),
// at the versions the workspace pins.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { startMock, repoRoot } from "../support/mock.mjs";
import { run, packedPackage } from "../support/package.mjs";

let mock;
let pkg;
let dir;
const REFUND = readFileSync(path.join(repoRoot, "tests/fixtures/ping_refund.form"), "utf8");

const ROUTE = (runtime) => `
import { GumroadClient, NotFoundError } from "gumroad-wasm";

export const runtime = "${runtime}";
export const dynamic = "force-dynamic";

export async function GET() {
  const base = process.env.GUMROAD_BASE;
  const c = new GumroadClient({ accessToken: "demo-token-full", baseUrl: base });
  const user = await c.user.retrieve();
  let notFound = false;
  try { await c.products.retrieve("nope"); } catch (e) { notFound = e instanceof NotFoundError && e.code === "not_found"; }
  const v = await new GumroadClient({ baseUrl: base }).licenses.check({ product_id: "U2tldGNoUHJvLURlc2t0b3A=", license_key: "DEC0DE00-00000000-00000000-00000002" });
  return Response.json({ runtime, name: user.name, notFound, reason: v.reason });
}
`;

// createPingHandler as a route handler, as the README shows it.
const PING_SECRET = "next-ping-secret-0123456789abcdef";
const PING_ROUTE = (runtime) => `
import { createPingHandler } from "gumroad-wasm";

export const runtime = "${runtime}";
export const dynamic = "force-dynamic";

export const POST = createPingHandler({
  secret: "${PING_SECRET}",
  on: { refund(data) { if (data.sale_id !== "Xt6nR2Lk0pQ9wEr7YuIoPA==") throw new Error("wrong sale"); } },
});
`;

const ENV = { NEXT_TELEMETRY_DISABLED: "1", CI: "1" };

before(async () => {
  mock = await startMock();
  pkg = packedPackage("nextjs");
  const dev = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")).devDependencies;
  const deps = Object.fromEntries(["next", "react", "react-dom"].map((n) => [n, dev[n]]));
  // npm's cache holds the workspace's own install; --prefer-offline uses it and asks the
  // registry only for what is missing.
  dir = path.join(pkg.work, "next-app");
  mkdirSync(path.join(dir, "app/api/node"), { recursive: true });
  mkdirSync(path.join(dir, "app/api/edge"), { recursive: true });
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "next-app", private: true, version: "1.0.0", dependencies: { ...deps, "gumroad-wasm": `file:${pkg.tarball}` } }, null, 2));
  run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "--prefer-offline"], dir);
  writeFileSync(path.join(dir, "app/api/node/route.js"), ROUTE("nodejs"));
  writeFileSync(path.join(dir, "app/api/edge/route.js"), ROUTE("edge"));
  for (const [folder, runtime] of [["node", "nodejs"], ["edge", "edge"]]) {
    mkdirSync(path.join(dir, `app/api/${folder}/ping`));
    writeFileSync(path.join(dir, `app/api/${folder}/ping/route.js`), PING_ROUTE(runtime));
  }
  writeFileSync(path.join(dir, "next.config.mjs"), "export default {};\n");
});

after(async () => {
  await mock?.stop();
  pkg?.remove();
});

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** `next start` on a free port until its routes answer; returns the base URL and a stopper. */
async function nextStart() {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(dir, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: dir,
    env: { ...process.env, ...ENV, GUMROAD_BASE: `${mock.url}/v2` },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const stop = async () => {
    if (child.exitCode !== null) return;
    const done = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await done;
  };
  const deadline = Date.now() + 60_000;
  while (!/Ready in/.test(log)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`next start did not become ready:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `http://127.0.0.1:${port}`, stop, log: () => log };
}

for (const bundler of ["webpack", "turbopack"]) {
  test(`Next.js 16 (${bundler}): App Router route handlers on the Node and edge runtimes`, async () => {
    rmSync(path.join(dir, ".next"), { recursive: true, force: true });
    run(process.execPath, [path.join(dir, "node_modules/next/dist/bin/next"), "build", `--${bundler}`], dir, ENV);
    const server = await nextStart();
    try {
      for (const runtime of ["nodejs", "edge"]) {
        const res = await fetch(`${server.url}/api/${runtime === "nodejs" ? "node" : "edge"}`);
        const text = await res.text();
        assert.equal(res.status, 200, `${runtime}: ${text}\n${server.log()}`);
        assert.deepEqual(JSON.parse(text), { runtime, name: "John Smith", notFound: true, reason: "refunded" });
        const ping = `${server.url}/api/${runtime === "nodejs" ? "node" : "edge"}/ping`;
        const init = { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: REFUND };
        const good = await fetch(`${ping}?secret=${PING_SECRET}`, init);
        assert.deepEqual([good.status, await good.json()], [200, { ok: true, type: "refund", handled: true }], runtime);
        assert.equal((await fetch(`${ping}?secret=wrong`, init)).status, 403, runtime);
      }
    } finally {
      await server.stop();
    }
  });
}
