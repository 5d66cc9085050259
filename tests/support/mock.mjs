// Starts gumroad-mock (the release binary built by scripts/build.sh) on a free 127.0.0.1 port.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export function startMock(args = [], { port = 0 } = {}) {
  const bin = process.env.GUMROAD_MOCK_BIN || `${repoRoot}/target/release/gumroad-mock`;
  const child = spawn(bin, ["--host", "127.0.0.1", "--port", String(port), ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    let started = false;
    const timer = setTimeout(() => reject(new Error(`gumroad-mock did not start:\n${out}`)), 10_000);
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`gumroad-mock exited (${code}):\n${out}`)));
    child.stderr.on("data", (d) => (out += d));
    child.stdout.on("data", (d) => {
      out += d;
      if (started) return;
      const m = out.match(/^gumroad-mock listening on (http:\/\/\S+)/m);
      if (m && /license keys/.test(out)) {
        started = true;
        clearTimeout(timer);
        child.removeAllListeners("exit");
        resolve({
          url: m[1],
          banner: out,
          async stop() {
            if (child.exitCode !== null) return;
            const done = new Promise((r) => child.once("exit", r));
            child.kill("SIGTERM");
            await done;
          },
        });
      }
    });
  });
}

/**
 * A caller of a running mock's API under `prefix` (`/v2`, or Maton's `/gumroad/v2`). `getUrl`
 * gives the mock's URL when called (suites start the mock in `before`). Options: `form`
 * (form-encoded: an object or pairs), `json` (sent as JSON), `token` (default `defaultToken`;
 * `null` sends none), `headers`, `query`. Resolves to `{ status, headers, text, data }`, with
 * `data` the parsed JSON body or null.
 */
export function mockApi(getUrl, prefix, defaultToken) {
  return async function api(method, path, { form, json, token = defaultToken, headers = {}, query } = {}) {
    const h = { ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    let body;
    if (form) {
      h["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(form).toString();
    } else if (json) {
      h["content-type"] = "application/json";
      body = JSON.stringify(json);
    }
    const qs = query ? `?${new URLSearchParams(query)}` : "";
    const res = await fetch(`${getUrl()}${prefix}${path}${qs}`, { method, headers: h, body });
    const text = await res.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {}
    return { status: res.status, headers: res.headers, text, data };
  };
}
