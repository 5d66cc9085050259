// Runs a Worker in workerd through Miniflare, the way every test, the demo and the benchmarks
// need it: ES modules for .js/.mjs, compiled wasm modules for .wasm.
import { readFileSync } from "node:fs";
import path from "node:path";
import { Miniflare } from "miniflare";
import { repoRoot } from "./mock.mjs";

export const LICENSE_WORKER = path.join(repoRoot, "worker/src/index.js");
export const WRANGLER_TOML = path.join(repoRoot, "worker/wrangler.toml");

/**
 * The `[[ratelimits]]` of worker/wrangler.toml, as Miniflare takes them: the shipped file is the
 * one source of the bindings' names and limits (tests may pass others).
 */
export function shippedRateLimits(toml = readFileSync(WRANGLER_TOML, "utf8")) {
  const limits = {};
  for (const block of toml.split(/^\[\[ratelimits\]\]\s*$/m).slice(1)) {
    const name = /^name\s*=\s*"([^"]+)"/m.exec(block)?.[1];
    const simple = /^simple\s*=\s*\{\s*limit\s*=\s*(\d+)\s*,\s*period\s*=\s*(\d+)\s*\}/m.exec(block);
    if (!name || !simple) throw new Error(`worker/wrangler.toml: a [[ratelimits]] block this parser cannot read:\n${block}`);
    limits[name] = { simple: { limit: Number(simple[1]), period: Number(simple[2]) } };
  }
  return limits;
}

/** The rate limits of worker/wrangler.toml. */
export const DEFAULT_LIMITS = shippedRateLimits();

/** Limits high enough that only tests about rate limits ever meet them. */
export const GENEROUS_LIMITS = Object.fromEntries(Object.keys(DEFAULT_LIMITS).map((k) => [k, { simple: { limit: 1_000_000, period: 60 } }]));

/**
 * Miniflare's options for a Worker. `scriptPath` defaults to the repository's license Worker (with its LicenseLedger Durable
 * Object and rate-limit bindings, as in worker/wrangler.toml; `license: true` adds them to
 * another script that exports the license Worker); `port` set = served over HTTP; `extra`:
 * more Miniflare options (e.g. persistence directories).
 */
export function workerOptions({ scriptPath = LICENSE_WORKER, modulesRoot = repoRoot, bindings = {}, port, ratelimits = GENEROUS_LIMITS, license = scriptPath === LICENSE_WORKER, extra = {} } = {}) {
  return {
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
  };
}

/** A Miniflare running `workerOptions(...)`. */
export function workerMiniflare(options = {}) {
  return new Miniflare(workerOptions(options));
}

/**
 * A fresh Ed25519 signing key: `secret` (the private JWK as LICENSE_SIGNING_KEY takes it), `jwk`
 * (the public half as the Worker's JWKS lists it, which is what an app compiles in) and `jwks`.
 * One key pair for the tests, the soak, the benchmarks and the demo.
 */
export async function signingKey() {
  const { privateKey, publicKey } = await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]);
  const priv = await crypto.subtle.exportKey("jwk", privateKey);
  const { kty, crv, x } = await crypto.subtle.exportKey("jwk", publicKey);
  // kid: the RFC 7638 thumbprint, as the Worker publishes it.
  const canonical = new TextEncoder().encode(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`);
  const kid = Buffer.from(await crypto.subtle.digest("SHA-256", canonical)).toString("base64url");
  const jwk = { kty, crv, x, kid, alg: "EdDSA", use: "sig" };
  return { secret: JSON.stringify(priv), jwk, jwks: { keys: [jwk] } };
}

/** The claims of a compact JWS (unverified: for looking, not for trusting). */
export const claimsOf = (token) => JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));
