// Size budget of the release .wasm: growth must be a visible decision. Measured at 217,864 bytes raw, 101,713 gzip
// (Nov 2026, after wasm-opt -Oz); the budget leaves about 3 % headroom. Raise it deliberately,
// with the reason in the commit message, when a change is worth the bytes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { statSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import path from "node:path";
import { repoRoot } from "../support/mock.mjs";

const BUDGET_RAW = 224_000;
const BUDGET_GZIP = 104_500;

test("release .wasm stays under its size budget", () => {
  const file = path.join(repoRoot, "dist/pkg/web/gumroad_wasm_bg.wasm");
  const raw = statSync(file).size;
  const gz = gzipSync(readFileSync(file), { level: 9 }).length;
  assert.ok(raw <= BUDGET_RAW, `${raw} bytes > budget ${BUDGET_RAW}`);
  assert.ok(gz <= BUDGET_GZIP, `${gz} gzip bytes > budget ${BUDGET_GZIP}`);
});
