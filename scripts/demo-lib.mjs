// Starts the demo stack on 127.0.0.1: gumroad-mock, the license Worker (workerd via Miniflare,
// served over HTTP) and a static server for www/ and the built package. Used by `make demo`
// and by the browser tests.
import http from "node:http";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { workerMiniflare, signingKey } from "../tests/support/worker.mjs";
import { startMock, repoRoot } from "../tests/support/mock.mjs";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

const DEMO_PING_SECRET = "demo-ping-secret-not-for-production";
/** The seller's token in gumroad-mock (full scopes): the Worker uses it to free seats. Server-side only. */
const DEMO_ACCESS_TOKEN = "demo-token-full";
/**
 * The page's own token for its mock-mode API panels: John Smith with every scope, but another
 * OAuth app's grant than the Worker's, so the Worker's credential never reaches the browser
 * (as with the real API, where a page would get its own token, never the license server's).
 */
const DEMO_PAGE_TOKEN = "demo-token-other-app";
/** Devices per seat in the demo: small, so the seat limit is easy to reach. */
export const DEMO_MAX_USES = 3;

export const PRODUCTS = [
  { id: "U2tldGNoUHJvLURlc2t0b3A=", name: "Sketch Pro" },
  { id: "SW5rd2VsbC1QbHVnaW4tMjQ=", name: "Inkwell Plugin" },
];

export function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server.address().port));
  });
}

/**
 * A static file server: `roots` maps URL prefixes to folders (first match wins);
 * `/config.json` answers `getConfig()`; `routes` maps other paths to functions whose (awaited)
 * result is answered as JSON.
 */
export function staticServer(getConfig, roots = [
  ["/pkg/", path.join(repoRoot, "dist/pkg")],
  ["/", path.join(repoRoot, "www")],
], routes = {}) {
  const json = { "/config.json": getConfig, ...routes };
  return http.createServer(async (req, res) => {
    const url = new URL(req.url, "http://x");
    if (Object.hasOwn(json, url.pathname)) {
      try {
        const body = JSON.stringify(await json[url.pathname]());
        res.writeHead(200, { "content-type": TYPES[".json"], "cache-control": "no-store" });
        return res.end(body);
      } catch {
        res.writeHead(502, { "content-type": "text/plain" });
        return res.end("unavailable");
      }
    }
    const match = roots.find(([p]) => url.pathname.startsWith(p));
    if (!match) {
      res.writeHead(404);
      return res.end();
    }
    const [prefix, root] = match;
    let rel = decodeURIComponent(url.pathname.slice(prefix.length)) || "index.html";
    if (rel.endsWith("/")) rel += "index.html";
    const file = path.resolve(root, rel);
    if (!file.startsWith(root + path.sep)) {
      res.writeHead(403);
      return res.end();
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
  });
}

/**
 * The mock's webhook deliveries for the page's event feed, without the ping secret: the
 * Worker's ping URL carries it in its query (Gumroad pings are not signed, the URL is the
 * credential), so the page gets each URL's origin and path only, and any error text with the
 * secret cut out. The page never reads the mock's /__mock/webhooks itself.
 */
async function webhookFeed(mockUrl) {
  const res = await fetch(`${mockUrl}/__mock/webhooks`);
  if (!res.ok) throw new Error(`gumroad-mock: HTTP ${res.status}`);
  const { deliveries } = await res.json();
  return {
    deliveries: deliveries.map((d) => {
      const u = new URL(d.post_url);
      return {
        resource_name: d.resource_name,
        post_url: u.origin + u.pathname,
        attempt: d.attempt,
        body: d.body,
        status: d.status,
        error: d.error == null ? d.error : d.error.split(DEMO_PING_SECRET).join("…"),
      };
    }),
  };
}

export async function startDemo({ mockPort = 0, pagePort = 0, workerPort = 0 } = {}) {
  const mock = await startMock(["--allow-loopback-webhooks", "--webhook-retry-scale", "0.05"], { port: mockPort });
  // A fresh key pair for this run: the private half only in the Worker's binding (never printed,
  // never in the page's config); the public JWKS reaches the page as an app's compiled-in keys,
  // so the page never fetches /.well-known/jwks.json.
  const keys = await signingKey();
  const config = { mockUrl: mock.url, mockToken: DEMO_PAGE_TOKEN, workerUrl: null, publicKeys: keys.jwks, products: PRODUCTS, sampleKeys: [] };
  for (const m of mock.banner.matchAll(/^\s+([0-9A-F]{8}(?:-[0-9A-F]{8}){3})\s+(\S+)$/gm)) {
    config.sampleKeys.push([m[2], m[1]]);
  }
  const server = staticServer(() => config, undefined, { "/events.json": () => webhookFeed(mock.url) });
  const port = await listen(server, pagePort);
  const pageUrl = `http://127.0.0.1:${port}`;
  const worker = workerMiniflare({
    port: workerPort,
    bindings: {
      GUMROAD_PRODUCT_IDS: PRODUCTS.map((p) => p.id).join(","),
      GUMROAD_API_BASE: `${mock.url}/v2`,
      // The page's own origin, and only it.
      ALLOWED_ORIGINS: pageUrl,
      PING_SECRET: DEMO_PING_SECRET,
      GUMROAD_ACCESS_TOKEN: DEMO_ACCESS_TOKEN,
      MAX_USES: String(DEMO_MAX_USES),
      LICENSE_SIGNING_KEY: keys.secret,
    },
  });
  config.workerUrl = (await worker.ready).origin;
  // Gumroad's webhooks for the demo seller go to the worker's ping route.
  for (const resource_name of ["sale", "refund", "dispute", "cancellation", "subscription_ended"]) {
    const res = await fetch(`${mock.url}/v2/resource_subscriptions`, {
      method: "PUT",
      headers: { authorization: `Bearer ${DEMO_ACCESS_TOKEN}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ resource_name, post_url: `${config.workerUrl}/v1/gumroad/ping?secret=${DEMO_PING_SECRET}` }),
    });
    if (!(await res.json()).success) throw new Error(`could not subscribe the worker to ${resource_name}`);
  }
  return {
    pageUrl,
    mockUrl: mock.url,
    workerUrl: config.workerUrl,
    jwksUrl: `${config.workerUrl}/.well-known/jwks.json`,
    mockBanner: mock.banner,
    /** What must never reach the page (for the tests to look for): the Worker's credentials. */
    secrets: [DEMO_ACCESS_TOKEN, DEMO_PING_SECRET, JSON.parse(keys.secret).d],
    async stop() {
      await worker.dispose();
      await new Promise((r) => server.close(r));
      await mock.stop();
    },
  };
}

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export async function launchChromium() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args: CHROMIUM_ARGS });
}
