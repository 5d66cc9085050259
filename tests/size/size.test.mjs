// Size budgets of the two release .wasm builds: growth must be a visible decision. History
// (Nov 2026, after wasm-opt -Oz, raw / gzip -9): client 210,481 / 97,681 (the whole API; +4.4 KB
// raw when PKCE's SHA-256 moved to the `sha2` crate), 211,405 / 98,223 with the `hooks`/`debug`
// options, 208,947 / 97,385 once each attempt ran in one JS function (js/transport.js),
// 189,101 / 89,853 once calls became flights driven from JS (no futures executor, no format!);
// Worker 242,014 / 113,505 with the license server (+31 KB gzip: Durable Object ledger, rate
// limits, signed answers, capped body reads), 239,580 / 112,550 with the same transport,
// 223,470 / 106,461 without the endpoint table (its own decrement route), 254,458 / 119,453
// with seats bound to devices (+13 KB gzip: freed seats and the move, device checks on the
// cache, admin routes, key rotation, the upstream budget, nonces). Dec 2026, when Rust took the
// whole call back (fetch through web-sys, the answer read in Rust, wasm-bindgen-futures' queue;
// js/transport.js gone): client 201,386 / 95,318 (+12 KB raw: the attempt and body reading that
// were JS, ~3 KB of futures executor; the package's JS fell by transport.js), Worker 258,138 /
// 120,855. Then files.upload moved wholly into Rust (presign, parts, complete, abort; the source
// sliced, viewed or read from its stream in Rust) so that an upload is one call into the wasm,
// and iterate() became one call per page: client 216,586 / 101,547 (+15 KB raw; the package's
// JS lost the upload half of js/api.js); 221,214 / 103,374 once the hook events were built in
// Rust and the hooks called directly (js/hooks.js gone: the wasm imports only the platform and
// the error classes); 216,397 / 101,477 with talc as the allocator instead of dlmalloc (Worker
// 253,055 / 118,549); 219,720 / 102,617 once every binding on caller-supplied upload sources,
// signals and nested params caught (a detached buffer or a throwing getter had unwound a JS
// exception through the wasm); 216,165 / 101,650 with sha2's compact SHA-256 for PKCE. The budgets
// leave about 1 % headroom.
// Lower them as the builds shrink; raise them deliberately, with the reason in the commit.
import { test } from "node:test";
import assert from "node:assert/strict";
import { statSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import path from "node:path";
import { repoRoot } from "../support/mock.mjs";

const BUDGETS = {
  "client build (web/)": { file: "web/gumroad_wasm_bg.wasm", raw: 218_300, gzip: 102_700 },
  "worker build (worker/)": { file: "worker/gumroad_wasm_bg.wasm", raw: 255_600, gzip: 119_800 },
};

for (const [name, b] of Object.entries(BUDGETS)) {
  test(`${name} .wasm stays under its size budget`, () => {
    const file = path.join(repoRoot, "dist/pkg", b.file);
    const raw = statSync(file).size;
    const gz = gzipSync(readFileSync(file), { level: 9 }).length;
    assert.ok(raw <= b.raw, `${raw} bytes > budget ${b.raw}`);
    assert.ok(gz <= b.gzip, `${gz} gzip bytes > budget ${b.gzip}`);
  });
}

// The license entry (LicenseClient + verifyLicenseToken, plain JS bundled by scripts/build.sh):
// what an app that only holds a seat loads. 6,375 gzip -9 bytes when it was added.
const LICENSE_ENTRY_GZIP_BUDGET = 10_240;

test("the license entry (entries/license.js) stays under its gzip budget and loads nothing else", () => {
  const file = path.join(repoRoot, "dist/pkg/entries/license.js");
  const source = readFileSync(file);
  const gz = gzipSync(source, { level: 9 }).length;
  assert.ok(gz <= LICENSE_ENTRY_GZIP_BUDGET, `${gz} gzip bytes > budget ${LICENSE_ENTRY_GZIP_BUDGET}`);
  // One self-contained module: no import of the glue, no .wasm, nothing fetched at load.
  const text = source.toString("utf8");
  assert.doesNotMatch(text, /\bimport\s*[("'{*]|\bimport\s+\w|\brequire\(|\.wasm\b|import\.meta/);
  assert.match(text, /export\s*\{[^}]*\bLicenseClient\b/);
});

test("the two builds are different: the client carries no Worker, the Worker no client", () => {
  const client = readFileSync(path.join(repoRoot, "dist/pkg/web/gumroad_wasm.js"), "utf8");
  const worker = readFileSync(path.join(repoRoot, "dist/pkg/worker/gumroad_wasm.js"), "utf8");
  assert.ok(client.includes("class GumroadClient") && !client.includes("handleRequest"));
  assert.ok(worker.includes("handleRequest") && !worker.includes("class GumroadClient"));
});
