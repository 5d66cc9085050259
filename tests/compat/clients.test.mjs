// Other clients against gumroad-mock. pygumroad (the Python client on PyPI, 0.0.3) runs unchanged: its GETs send
// the token in a form body, its POST/DELETE in a JSON body, and it pages sales by page_key. The
// package comes from PyPI into target/pyenv (scripts/setup.sh python). And the Maton gateway calls
// the way Maton's Gumroad skill writes them, with Python's standard library.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { startMock, repoRoot } from "../support/mock.mjs";

const python = path.join(repoRoot, "target/pyenv/bin/python");
let mock;

before(async () => {
  assert.ok(existsSync(python), "target/pyenv is missing: run scripts/setup.sh python");
  mock = await startMock();
});
after(async () => {
  await mock?.stop();
});

async function run(token) {
  const { stdout } = await promisify(execFile)(python, [path.join(repoRoot, "tests/compat/pygumroad_calls.py"), mock.url, token], { timeout: 60_000 });
  // pygumroad prints its own diagnostics; the result is the last line.
  return JSON.parse(stdout.trim().split("\n").pop());
}

test("pygumroad's product, offer code and sales calls work against the mock as written", async () => {
  const data = await (await fetch(`${mock.url}/__mock/data`)).json();
  const out = await run("demo-token-full");
  assert.ok(out.products.length > 0, JSON.stringify(out));
  const known = new Set(data.products.map((p) => p.id));
  assert.ok(out.products.every((id) => known.has(id)), "every product is one of the mock's");
  assert.equal(out.product_info_id, out.products[0]);
  assert.ok(out.product_with_offer_codes, "a seeded product has offer codes");
  assert.equal(out.offer_code_detail, out.offer_codes[0]);
  assert.deepEqual(out.created, { name: "PYGUMROAD", amount_cents: 150 });
  assert.equal(out.deleted, true);
  assert.deepEqual(out.offer_codes_after, out.offer_codes, "the created code is gone again");
  // Every page followed by page_key: more than one page, no sale twice.
  assert.ok(out.sales.length > 10, `${out.sales.length} sales`);
  assert.equal(new Set(out.sales).size, out.sales.length);
});

test("Maton gateway calls as Maton's Gumroad skill writes them (Python urllib) work against the mock", async () => {
  const { stdout } = await promisify(execFile)(python, [path.join(repoRoot, "tests/compat/maton_calls.py"), mock.url, "demo-maton-key"], { timeout: 60_000 });
  const out = JSON.parse(stdout.trim().split("\n").pop());
  assert.deepEqual(out.user, [200, "John Smith"], "the oldest connection by default");
  assert.equal(out.products[0], 200);
  assert.ok(out.products[1] > 0);
  assert.deepEqual(out.connections, [200, 2]);
  assert.deepEqual(out.second_account, [200, "Ada Byron"], "Maton-Connection picks the account");
  assert.deepEqual(out.created, [200, "PENDING", true]);
  assert.equal(out.deleted, 200);
});
