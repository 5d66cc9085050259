// Shared pieces of the license-server tests: one gumroad-mock and one Worker (the repository's
// worker/src/index.js with its LicenseLedger Durable Object) per test, disposed with the test.
import http from "node:http";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { Miniflare } from "miniflare";
import { workerMiniflare, workerOptions, LICENSE_WORKER, GENEROUS_LIMITS, signingKey, claimsOf } from "../support/worker.mjs";
import { startMock, repoRoot } from "../support/mock.mjs";

export const P3 = "U2tldGNoUHJvLURlc2t0b3A=";
export const P4 = "SW5rd2VsbC1QbHVnaW4tMjQ=";
/** Seeded license `DEC0DE00-00000000-00000000-000000NN` (NN in hex). */
export const KEY = (n) => `DEC0DE00-00000000-00000000-${n.toString(16).toUpperCase().padStart(8, "0")}`;
/** 40 characters: long enough for the Worker's 32-character minimum. */
export const PING_SECRET = "ping-secret-0123456789-abcdefghijklmnopq";
export const TOKEN = "demo-token-full";

/** Names that must never reach a caller in a `misconfigured` answer. */
export const CONFIG_NAMES = [
  "GUMROAD_PRODUCT_IDS",
  "GUMROAD_API_BASE",
  "GUMROAD_ACCESS_TOKEN",
  "MATON_API_KEY",
  "PING_SECRET",
  "MAX_USES",
  "RATE_LIMIT",
  "RATE_LIMITS",
  "LICENSE_LEDGER",
  "KEY_ACTIVATIONS_PER_HOUR",
  "wrangler",
  "openssl",
];

const MODULE_RULES = [
  { type: "ESModule", include: ["**/*.js", "**/*.mjs"] },
  { type: "CompiledWasm", include: ["**/*.wasm"] },
];

/** Makes `mf.dispose()` safe to call more than once (a test may dispose early). */
function disposeOnce(mf) {
  const dispose = mf.dispose.bind(mf);
  let done;
  mf.dispose = () => (done ??= dispose());
  return mf;
}

/** The mock's control API. */
export function controlOf(mock) {
  return async function control(method, p, body) {
    const res = await fetch(`${mock.url}/__mock${p}`, {
      method,
      headers: body ? { "content-type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    return res.json();
  };
}

/**
 * Starts a gumroad-mock and the license Worker for one test; both are disposed when the test
 * ends. `bindings` are added to (or, when `undefined`, remove) the defaults.
 */
export async function setup(t, { bindings = {}, ratelimits = GENEROUS_LIMITS, port } = {}) {
  const mock = await startMock();
  t.after(() => mock.stop());
  const control = controlOf(mock);
  const all = withDefaults(mock, bindings);
  const mf = disposeOnce(workerMiniflare({ bindings: all, ratelimits, port }));
  t.after(() => mf.dispose());
  const url = await mf.ready;
  return new Env(mock, control, mf, url, all, ratelimits);
}

export function withDefaults(mock, bindings) {
  const all = {
    GUMROAD_PRODUCT_IDS: `${P3},${P4}`,
    GUMROAD_API_BASE: `${mock.url}/v2`,
    GUMROAD_ACCESS_TOKEN: TOKEN,
    PING_SECRET,
    ...bindings,
  };
  for (const [k, v] of Object.entries(all)) if (v === undefined) delete all[k];
  return all;
}

/**
 * A license Worker built like `workerMiniflare`, with the runtime's stdout/stderr captured
 * (`logs()`), and optionally its Durable Objects persisted to `doDir` or without the ledger.
 */
export async function loggedWorker(t, { bindings, ratelimits = GENEROUS_LIMITS, doDir, ledger = true } = {}) {
  let out = "";
  const mf = disposeOnce(new Miniflare({
    modules: true,
    scriptPath: LICENSE_WORKER,
    modulesRoot: repoRoot,
    modulesRules: MODULE_RULES,
    compatibilityDate: "2026-04-01",
    bindings,
    ...(ledger ? { durableObjects: { LICENSE_LEDGER: "LicenseLedger" } } : {}),
    ratelimits,
    ...(doDir ? { durableObjectsPersist: doDir } : {}),
    handleRuntimeStdio(stdout, stderr) {
      stdout.on("data", (d) => (out += d));
      stderr.on("data", (d) => (out += d));
    },
  }));
  t.after(() => mf.dispose());
  await mf.ready;
  return { mf, logs: () => out };
}

export function tempDir(t, prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Every file below `dir`. */
export function filesUnder(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** An answer read whole: `status`, `headers` (a Headers), `text`, `body` (parsed JSON or null). */
export async function read(res) {
  const text = await res.text();
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: res.status, headers: res.headers, text, body };
}

/** POSTs JSON (or a string body as is) to a Worker. */
export async function postTo(mf, p, body, headers = {}) {
  const res = await mf.dispatchFetch(`http://worker.test${p}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return read(res);
}

export const formHeaders = { "content-type": "application/x-www-form-urlencoded" };

export class Env {
  constructor(mock, control, mf, url, bindings, ratelimits) {
    this.mock = mock;
    this.control = control;
    this.mf = mf;
    this.url = url;
    this.bindings = bindings;
    this.ratelimits = ratelimits;
  }

  /** This Worker's Miniflare options with other `bindings` (for `mf.setOptions`). */
  options(bindings) {
    return workerOptions({ bindings, ratelimits: this.ratelimits });
  }

  post(p, body, headers) {
    return postTo(this.mf, p, body, headers);
  }
  verify(body, headers) {
    return this.post("/v1/licenses/verify", body, headers);
  }
  activate(body, headers) {
    return this.post("/v1/licenses/activate", body, headers);
  }
  deactivate(body, headers) {
    return this.post("/v1/licenses/deactivate", body, headers);
  }
  instances(body, headers) {
    return this.post("/v1/licenses/instances", body, headers);
  }
  /** A Gumroad-like form ping. */
  ping(fields, secret = PING_SECRET) {
    return this.post(`/v1/gumroad/ping?secret=${encodeURIComponent(secret)}`, new URLSearchParams(fields).toString(), formHeaders);
  }

  async uses(key) {
    return (await this.control("GET", "/licenses")).licenses.find((l) => l.key === key).uses;
  }
  async requests() {
    return (await this.control("GET", "/requests")).requests;
  }
  /** Upstream verify calls (of `key`, if given). */
  async verifyCalls(key) {
    return (await this.requests()).filter((r) => r.path === "/v2/licenses/verify" && (!key || r.body.includes(`license_key=${key}`)));
  }
  /** Upstream verifies that count a use. */
  async countingCalls(key) {
    return (await this.verifyCalls(key)).filter((r) => r.body.includes("increment_uses_count=true"));
  }
  async decrementCalls(key) {
    return (await this.requests()).filter((r) => r.path === "/v2/licenses/decrement_uses_count" && (!key || r.body.includes(`license_key=${key}`)));
  }
  async fault(f) {
    return this.control("POST", "/faults", { path: "/licenses/verify", ...f });
  }
  async clearFaults() {
    return this.control("DELETE", "/faults");
  }
  /** The instance ids the Worker lists for a license. */
  async instanceIds(license_key, product_id = P3) {
    const r = await this.instances({ license_key, product_id });
    if (r.status !== 200) throw new Error(`instances: ${r.status} ${r.text}`);
    return r.body.instances.map((i) => i.id);
  }
}

/**
 * A tiny stand-in for Gumroad's `POST /v2/licenses/verify` on 127.0.0.1: `answer(body)` gives
 * the JSON to send. Records the request bodies.
 */
export async function fakeUpstream(t, answer) {
  const seen = [];
  const server = http.createServer((req, res) => {
    let b = "";
    req.on("data", (d) => (b += d));
    req.on("end", () => {
      seen.push({ method: req.method, url: req.url, body: b });
      const out = JSON.stringify(answer(b, req));
      res.writeHead(200, { "content-type": "application/json" });
      res.end(out);
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => new Promise((r) => server.close(r)));
  return { url: `http://127.0.0.1:${server.address().port}`, seen };
}

/** A Gumroad verify answer for `license_key` as a purchase of `product_id`. */
export function purchaseAnswer(license_key, product_id, extra = {}) {
  return {
    success: true,
    uses: 0,
    purchase: {
      seller_id: "kL0paVL2SdmJSYsNs-OCMg==",
      product_id,
      product_name: "Another product",
      permalink: "other",
      email: "buyer@example.com",
      price: 500,
      currency: "usd",
      quantity: 1,
      sale_id: "FO8TXN-dvxYabdavG97Y-Q==",
      sale_timestamp: "2026-01-05T19:38:56Z",
      license_key,
      refunded: false,
      disputed: false,
      dispute_won: false,
      chargebacked: false,
      id: "FO8TXN-dvxYabdavG97Y-Q==",
      created_at: "2026-01-05T19:38:56Z",
      ...extra,
    },
  };
}

/**
 * A body of `total` bytes that is only produced as it is read; `pulled()` says how much was.
 */
export function lazyBody(total, chunk = 64 * 1024) {
  let pulled = 0;
  const stream = new ReadableStream({
    pull(c) {
      if (pulled >= total) {
        c.close();
        return;
      }
      pulled += chunk;
      c.enqueue(new Uint8Array(chunk).fill(0x61));
    },
  });
  return { stream, pulled: () => pulled };
}

/**
 * Streams `total` bytes with `transfer-encoding: chunked` (no Content-Length) to a served
 * Worker through node:http. Resolves with the answer (or the connection error) and how many
 * bytes had been handed to the socket when it came.
 */
export function streamChunked(url, { total, contentType = "application/json", timeoutMs = 30_000 }) {
  return new Promise((resolve) => {
    let sent = 0;
    let done = false;
    const finish = (v) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(v);
    };
    const req = http.request(url, { method: "POST", headers: { "content-type": contentType, "transfer-encoding": "chunked" } }, (res) => {
      const sentAtAnswer = sent;
      let b = "";
      res.on("data", (d) => (b += d));
      res.on("end", () => finish({ status: res.statusCode, body: b, sentAtAnswer }));
      res.on("error", (e) => finish({ status: res.statusCode, error: e.code, sentAtAnswer }));
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish({ error: "timeout", sentAtAnswer: sent });
    }, timeoutMs);
    req.on("error", (e) => finish({ error: e.code || String(e), sentAtAnswer: sent }));
    const buf = Buffer.alloc(64 * 1024, 0x61);
    const pump = () => {
      while (!done && sent < total) {
        sent += buf.length;
        if (!req.write(buf)) {
          req.once("drain", pump);
          return;
        }
      }
      if (!done) req.end();
    };
    pump();
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits until `fn()` is truthy (or `ms` pass) and returns its last value. */
export async function eventually(fn, ms = 2000) {
  const end = Date.now() + ms;
  let v = await fn();
  while (!v && Date.now() < end) {
    await sleep(25);
    v = await fn();
  }
  return v;
}

export { GENEROUS_LIMITS, repoRoot, signingKey, claimsOf };


/**
 * The stored ledgers (as JSON text) of the Durable Objects persisted under `dir`: each object's
 * SQLite file, read with Python's sqlite3 (the bytes of a file keep deleted rows around).
 */
export function storedLedgers(dir) {
  const script = [
    "import sqlite3,sys,json",
    "c=sqlite3.connect(sys.argv[1])",
    "t=[r[0] for r in c.execute(\"select name from sqlite_master where type='table'\")]",
    // Values are V8-serialised strings: their JSON text reads through latin-1.
    "v=[r[0] for r in c.execute(\"select value from _cf_KV where key='ledger'\")] if '_cf_KV' in t else []",
    "print(json.dumps([x.decode('latin-1') if isinstance(x,(bytes,bytearray)) else str(x) for x in v]))",
  ].join("\n");
  const files = filesUnder(dir).filter((f) => f.endsWith(".sqlite") && !f.endsWith("metadata.sqlite"));
  if (files.length === 0) throw new Error(`no Durable Object storage under ${dir}`);
  return files.flatMap((f) => JSON.parse(execFileSync("python3", ["-c", script, f], { encoding: "utf8" })).map(String));
}
