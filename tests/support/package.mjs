// The npm package as users get it: `npm pack` of dist/pkg into a scratch folder, and fresh
// consumer projects that install the tarball (offline: everything comes from npm's cache).
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "./mock.mjs";

/** A tool from the workspace's devDependencies. */
export const bin = (name) => path.join(repoRoot, "node_modules/.bin", name);

/** Runs a command to completion and returns its stdout (stderr is in the thrown error). */
export function run(cmd, args, cwd, env = {}) {
  return execFileSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
}

/** Packs dist/pkg into a new scratch folder; `project(name, pkg)` makes consumers of it. */
export function packedPackage(prefix) {
  const work = mkdtempSync(path.join(os.tmpdir(), `gumroad-wasm-${prefix}-`));
  const out = run("npm", ["pack", path.join(repoRoot, "dist/pkg"), "--pack-destination", work, "--json"], work);
  const packed = JSON.parse(out)[0];
  const tarball = path.join(work, packed.filename);
  return {
    work,
    tarball,
    packed,
    /** A fresh project (`package.json` fields from `pkg`) with the tarball installed. */
    project(name, pkg = {}) {
      const dir = path.join(work, name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        path.join(dir, "package.json"),
        JSON.stringify({ name, private: true, version: "1.0.0", ...pkg, dependencies: { ...pkg.dependencies, "gumroad-wasm": `file:${tarball}` } }, null, 2),
      );
      run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "--offline"], dir);
      return dir;
    },
    remove() {
      rmSync(work, { recursive: true, force: true });
    },
  };
}
