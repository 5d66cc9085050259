// Runs a Worker in workerd through Miniflare, the way every test, the demo and the benchmarks
// need it: ES modules for .js/.mjs, compiled wasm modules for .wasm.
import path from "node:path";
import { Miniflare } from "miniflare";
import { repoRoot } from "./mock.mjs";

export const LICENSE_WORKER = path.join(repoRoot, "worker/src/index.js");

/** `scriptPath` defaults to the repository's license Worker; `port` set = served over HTTP. */
export function workerMiniflare({ scriptPath = LICENSE_WORKER, modulesRoot = repoRoot, bindings = {}, port } = {}) {
  return new Miniflare({
    modules: true,
    scriptPath,
    modulesRoot,
    modulesRules: [
      { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    compatibilityDate: "2026-04-01",
    ...(port === undefined ? {} : { host: "127.0.0.1", port }),
    bindings,
  });
}
