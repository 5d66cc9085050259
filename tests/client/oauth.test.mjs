// GumroadOAuth's authorization-code flow against gumroad-mock, in Node: a web app with PKCE
// (the consent form is posted the way the consent page posts it, and the 302 read; a browser
// page cannot read a cross-origin redirect, so this flow is tested here), refresh, revocation,
// and the errors a real integration meets. The device flow runs in suite-2026.mjs (Node and
// Chromium). Also the whole-size upload: two parts cut at Gumroad's 100 MiB.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { startMock, repoRoot } from "../support/mock.mjs";

const lib = await import(`${repoRoot}/dist/pkg/entries/node.mjs`);
const { GumroadClient, GumroadOAuth, isGumroadError } = lib;

const WEB = { clientId: "demo-web-client-id", clientSecret: "demo-web-client-secret", redirectUri: "http://127.0.0.1:9/callback" };
let mock;
before(async () => (mock = await startMock()));
after(async () => mock?.stop());

const oauth = (opts = {}) => new GumroadOAuth({ ...WEB, oauthBaseUrl: mock.url, ...opts });
const api = (accessToken) => new GumroadClient({ accessToken, baseUrl: `${mock.url}/v2` });

/** Approves the consent the way its form does; returns the redirect's query. */
async function consent(url) {
  const u = new URL(url);
  const res = await fetch(`${mock.url}/oauth/authorize`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: u.searchParams.toString(),
    redirect: "manual",
  });
  assert.equal(res.status, 302, await res.text());
  const back = new URL(res.headers.get("location"));
  assert.equal(`${back.origin}${back.pathname}`, WEB.redirectUri);
  return back.searchParams;
}

test("authorization code with PKCE: URL, consent, exchange, API call, refresh, revoke", async () => {
  await fetch(`${mock.url}/__mock/reset`, { method: "POST" });
  const app = oauth();
  const req = app.authorizationUrl({ scopes: ["view_sales", "edit_products"] });
  const url = new URL(req.url);
  assert.equal(url.pathname, "/oauth/authorize");
  assert.equal(url.searchParams.get("code_challenge_method"), "S256");
  assert.equal(url.searchParams.get("scope"), "view_sales edit_products");
  assert.equal(url.searchParams.get("client_secret"), null, "the secret never goes in a URL");
  assert.match(req.codeVerifier, /^[A-Za-z0-9_-]{43}$/);
  // The wasm builds hash with sha2's compact backend: checked here against node:crypto.
  const s256 = createHash("sha256").update(req.codeVerifier).digest("base64url");
  assert.equal(url.searchParams.get("code_challenge"), s256);
  const back = await consent(req.url);
  assert.equal(back.get("state"), req.state);
  const token = await app.exchangeCode({
    code: back.get("code"),
    codeVerifier: req.codeVerifier,
    state: back.get("state"),
    expectedState: req.state,
  });
  assert.equal(token.token_type, "Bearer");
  assert.equal(token.scope, "view_sales edit_products");
  assert.ok(token.refresh_token);
  assert.equal((await api(token.access_token).sales.list()).sales.length, 10);
  // Refresh rotates the pair; the old access token stops working.
  const fresh = await app.refresh(token.refresh_token);
  assert.notEqual(fresh.access_token, token.access_token);
  await assert.rejects(api(token.access_token).user.retrieve(), (e) => e.code === "authentication");
  assert.equal((await api(fresh.access_token).user.retrieve()).name, "John Smith");
  await app.revoke(fresh.access_token);
  await assert.rejects(api(fresh.access_token).user.retrieve(), (e) => e.code === "authentication");
});

test("OAuth errors: reused code, wrong verifier, forged state, bad secret, unknown scope", async () => {
  await fetch(`${mock.url}/__mock/reset`, { method: "POST" });
  const app = oauth();
  const req = app.authorizationUrl({ state: "st-123" });
  assert.equal(req.state, "st-123");
  const back = await consent(req.url);
  await assert.rejects(app.exchangeCode({ code: back.get("code"), codeVerifier: "x".repeat(43) }), (e) => {
    assert.ok(isGumroadError(e));
    assert.equal(e.code, "invalid_request");
    assert.equal(e.status, 400);
    assert.ok(e.message.startsWith("invalid_grant"), e.message);
    return true;
  });
  // Doorkeeper checks PKCE before it uses the grant up: the right verifier still works, once.
  assert.ok((await app.exchangeCode({ code: back.get("code"), codeVerifier: req.codeVerifier })).access_token);
  await assert.rejects(app.exchangeCode({ code: back.get("code"), codeVerifier: req.codeVerifier }), (e) => e.message.startsWith("invalid_grant"));
  await assert.rejects(
    app.exchangeCode({ code: "c", state: "evil", expectedState: req.state }),
    (e) => e.code === "invalid_argument" && /state/.test(e.message),
  );
  // A session that lost its state must not turn the check off.
  await assert.rejects(
    app.exchangeCode({ code: "c", state: req.state, expectedState: undefined }),
    (e) => e.code === "invalid_argument" && /state/.test(e.message),
  );
  const wrongSecret = oauth({ clientSecret: "not-the-secret-42" });
  const req2 = wrongSecret.authorizationUrl();
  const back2 = await consent(req2.url);
  await assert.rejects(wrongSecret.exchangeCode({ code: back2.get("code"), codeVerifier: req2.codeVerifier }), (e) => {
    assert.equal(e.code, "authentication");
    assert.equal(e.status, 401);
    for (const text of [e.message, JSON.stringify(e)]) {
      assert.ok(!text.includes("not-the-secret-42") && !text.includes(back2.get("code")), text);
    }
    return true;
  });
  assert.throws(() => app.authorizationUrl({ scopes: ["admin"] }), (e) => e.code === "invalid_argument");
  assert.throws(() => new GumroadOAuth({ clientId: "x", oauthBaseUrl: "http://127.evil.example" }), (e) => e.code === "invalid_argument");
  assert.throws(() => new GumroadOAuth({}), (e) => e.code === "invalid_argument");
});

test("device flow: polling faster than the server wants gets slow_down, and the client slows down", async () => {
  await fetch(`${mock.url}/__mock/reset`, { method: "POST" });
  await fetch(`${mock.url}/__mock/settings`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ device_interval: 2 }) });
  const cli = oauth({ clientId: "demo-cli-client-id", clientSecret: undefined });
  const device = await cli.startDeviceAuthorization({ scopes: ["account"] });
  assert.equal(device.interval, 2);
  const t0 = Date.now();
  // Claim a 1 s interval: the first poll is pending, the second comes too early and gets
  // slow_down with a new interval (4 s), which the next poll waits for.
  const polling = cli.pollDeviceAuthorization({ ...device, interval: 1 });
  await new Promise((r) => setTimeout(r, 2500));
  await fetch(`${mock.url}/oauth/device`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ user_code: device.user_code, decision: "approve" }).toString(),
  });
  const token = await polling;
  const elapsed = Date.now() - t0;
  assert.ok(token.access_token);
  assert.ok(elapsed >= 5900, `waited ${elapsed} ms`);
  const polls = (await (await fetch(`${mock.url}/__mock/requests`)).json()).requests.filter((r) => r.path === "/oauth/token");
  const bodies = polls.map((r) => r.status);
  assert.deepEqual(bodies, [400, 400, 200], "pending, slow_down, then the token");
});

test("device flow: a code that expires before the user approves ends the polling with a timeout", async () => {
  await fetch(`${mock.url}/__mock/reset`, { method: "POST" });
  const cli = oauth({ clientId: "demo-cli-client-id", clientSecret: undefined });
  const device = await cli.startDeviceAuthorization({ scopes: ["account"] });
  const before = (await (await fetch(`${mock.url}/__mock/requests`)).json()).requests.filter((r) => r.path === "/oauth/token").length;
  // Polls wait `interval` before asking; with a code valid for one second, the first wait
  // already outlives it, so the flow ends without asking for the token.
  const t0 = Date.now();
  await assert.rejects(cli.pollDeviceAuthorization({ ...device, interval: 2, expires_in: 1 }), (e) => {
    assert.equal(e.code, "timeout");
    assert.match(e.message, /expired before the user approved/);
    return true;
  });
  assert.ok(Date.now() - t0 >= 1900, "it waited the interval first");
  const after = (await (await fetch(`${mock.url}/__mock/requests`)).json()).requests.filter((r) => r.path === "/oauth/token").length;
  assert.equal(after, before, "no token request after the code expired");
});

test("files.upload cuts a file into Gumroad's 100 MiB parts", async () => {
  await fetch(`${mock.url}/__mock/reset`, { method: "POST" });
  const size = 100 * 1024 * 1024 + 4096;
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 4096) bytes[i] = (i / 4096) % 256;
  const c = api("demo-token-full");
  const progress = [];
  const file = await c.files.upload(new Blob([bytes]), { filename: "big.bin", onProgress: (p) => progress.push([p.part, p.loaded]) });
  assert.deepEqual(progress, [[1, 100 * 1024 * 1024], [2, size]]);
  const puts = (await (await fetch(`${mock.url}/__mock/requests`)).json()).requests.filter((r) => r.method === "PUT" && r.path.startsWith("/__s3/"));
  assert.deepEqual(puts.map((r) => r.body), [`<${100 * 1024 * 1024} bytes>`, "<4096 bytes>"]);
  const stored = new Uint8Array(await (await fetch(file.url)).arrayBuffer());
  assert.equal(stored.length, size);
  assert.equal(Buffer.compare(Buffer.from(stored), Buffer.from(bytes)), 0);
});
