// Runs a Worker in workerd through Miniflare, the way every test, the demo and the benchmarks
// need it: ES modules for .js/.mjs, compiled wasm modules for .wasm.
import path from "node:path";
import { Miniflare } from "miniflare";
import { repoRoot } from "./mock.mjs";

export const LICENSE_WORKER = path.join(repoRoot, "worker/src/index.js");

/** The rate limits of worker/wrangler.toml (tests may pass others). */
export const DEFAULT_LIMITS = {
  RATE_LIMIT_VERIFY_IP: { simple: { limit: 60, period: 60 } },
  RATE_LIMIT_CHANGE_IP: { simple: { limit: 10, period: 60 } },
  RATE_LIMIT_VERIFY_KEY: { simple: { limit: 60, period: 60 } },
};

/** Limits high enough that only tests about rate limits ever meet them. */
export const GENEROUS_LIMITS = Object.fromEntries(Object.keys(DEFAULT_LIMITS).map((k) => [k, { simple: { limit: 1_000_000, period: 60 } }]));

/**
 * `scriptPath` defaults to the repository's license Worker (with its LicenseLedger Durable
 * Object and rate-limit bindings, as in worker/wrangler.toml; `license: true` adds them to
 * another script that exports the license Worker); `port` set = served over HTTP; `extra`:
 * more Miniflare options (e.g. persistence directories).
 */
export function workerMiniflare({ scriptPath = LICENSE_WORKER, modulesRoot = repoRoot, bindings = {}, port, ratelimits = GENEROUS_LIMITS, license = scriptPath === LICENSE_WORKER, extra = {} } = {}) {
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
    ...(license ? { durableObjects: { LICENSE_LEDGER: "LicenseLedger" }, ratelimits } : {}),
    ...extra,
  });
}
