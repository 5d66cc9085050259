// `make package DEBUG=1`: the package built with the wasm's names and DWARF kept (into
// target/debug-pkg, so dist/pkg stays the release build), against the release build: a stack
// trace through the wasm names the Rust function only in the debug build.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../support/mock.mjs";
import { run } from "../support/package.mjs";

const debugPkg = path.join(repoRoot, "target/debug-pkg");

before(() => {
  run(path.join(repoRoot, "scripts/build.sh"), [], repoRoot, { DEBUG: "1", PKG_OUT: debugPkg });
});

const sections = (pkgDir) => {
  const module = new WebAssembly.Module(readFileSync(path.join(pkgDir, "web/gumroad_wasm_bg.wasm")));
  return { names: WebAssembly.Module.customSections(module, "name").length, dwarf: WebAssembly.Module.customSections(module, ".debug_info").length };
};

/** The wasm frames of a stack captured inside the client's transport (a `fetch` that fails). */
async function wasmFrames(pkgDir) {
  const lib = await import(path.join(pkgDir, "entries/node.mjs"));
  let stack = "";
  const client = new lib.GumroadClient({
    baseUrl: "http://127.0.0.1:9/v2",
    maxRetries: 0,
    fetch: () => {
      stack = new Error("probe").stack;
      throw new Error("offline");
    },
  });
  await assert.rejects(client.user.retrieve(), (e) => e.code === "connection");
  return stack.split("\n").filter((l) => l.includes("wasm-function["));
}

test("DEBUG=1 keeps the name section and DWARF; the release build keeps neither", () => {
  assert.deepEqual(sections(debugPkg), { names: 1, dwarf: 1 });
  assert.deepEqual(sections(path.join(repoRoot, "dist/pkg")), { names: 0, dwarf: 0 });
});

test("a stack trace through the wasm names the Rust function in the DEBUG=1 build only", async () => {
  const debug = await wasmFrames(debugPkg);
  assert.ok(debug.length > 0);
  // The fetch is called from the attempt in src/js/transport.rs, polled on wasm-bindgen-futures'
  // queue: the frames name the Rust functions.
  assert.match(debug.join("\n"), /gumroad_wasm::js::(transport|call)::/);
  const release = await wasmFrames(path.join(repoRoot, "dist/pkg"));
  assert.ok(release.length > 0);
  assert.doesNotMatch(release.join("\n"), /gumroad_wasm::/);
});

/** The function names of a build's wasm, from its name section (subsection 1). */
function functionNames(pkgDir, build) {
  const module = new WebAssembly.Module(readFileSync(path.join(pkgDir, build, "gumroad_wasm_bg.wasm")));
  const [section] = WebAssembly.Module.customSections(module, "name");
  const bytes = new Uint8Array(section);
  let at = 0;
  const leb = () => {
    let n = 0, shift = 0, b;
    do { b = bytes[at++]; n += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
    return n;
  };
  const names = [];
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = leb();
    const end = at + size;
    if (id === 1) {
      for (let count = leb(); count > 0; count--) {
        leb();
        const len = leb();
        names.push(new TextDecoder().decode(bytes.subarray(at, at + len)));
        at += len;
      }
    }
    at = end;
  }
  return names;
}

// Both builds put their messages and numbers together without `core::fmt` (src/core/text.rs):
// `alloc::fmt::format` is what every `format!` calls, and float Display is the largest piece of
// the formatter. What is left of `core::fmt` belongs to the standard library's panic path.
test("neither build carries format! or float formatting (names from the DEBUG=1 build)", () => {
  for (const build of ["web", "worker"]) {
    const names = functionNames(debugPkg, build);
    assert.ok(names.length > 300, `${build}: the name section lists the functions (${names.length})`);
    assert.ok(names.some((n) => /gumroad_wasm::/.test(n)), `${build}: names are demangled`);
    const offending = names.filter((n) => /alloc[^:]*::fmt::format|f64 as core[^:]*::fmt::Display|core[^:]*::fmt::float|serde_json/.test(n));
    assert.deepEqual(offending, [], `${build}: formatting machinery in the wasm`);
  }
});
