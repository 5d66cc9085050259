// Signed answers: the Worker (workerd via Miniflare, against gumroad-mock) signs verify and
// activate answers with LICENSE_SIGNING_KEY (a JWK, or PKCS#8 PEM) and serves its JWKS; the
// tokens verify with the package's own verifyLicenseToken (as installed: dist/pkg) and with jose,
// and are refused when tampered with, expired, for another product or under another key.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { webcrypto as crypto } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import { workerMiniflare } from "../support/worker.mjs";
import { startMock, repoRoot } from "../support/mock.mjs";
import { joseVerifies, joseVerify } from "../token/jose-interop.mjs";

const { verifyLicenseToken, licenseKeyHash } = await import(path.join(repoRoot, "dist/pkg/entries/license-token.js"));
const P3 = "U2tldGNoUHJvLURlc2t0b3A=";
const P4 = "SW5rd2VsbC1QbHVnaW4tMjQ=";
const KEY = (n) => `DEC0DE00-00000000-00000000-${n.toString(16).toUpperCase().padStart(8, "0")}`;

let mock;

before(async () => {
  mock = await startMock();
});
after(async () => {
  await mock?.stop();
});

async function ed25519() {
  const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]);
  const jwk = await crypto.subtle.exportKey("jwk", pair.privateKey);
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey("pkcs8", pair.privateKey)).toString("base64");
  const pem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g).join("\n")}\n-----END PRIVATE KEY-----\n`;
  return { jwk, pem };
}

async function withWorker(bindings, fn) {
  const mf = workerMiniflare({
    bindings: { GUMROAD_PRODUCT_IDS: `${P3},${P4}`, GUMROAD_API_BASE: `${mock.url}/v2`, ...bindings },
  });
  await mf.ready;
  try {
    await fn(mf);
  } finally {
    await mf.dispose();
  }
}

const post = async (mf, route, body) => {
  const res = await mf.dispatchFetch(`http://worker.test${route}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return [res.status, await res.json()];
};

const decode = (part) => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));

test("verify and activate answers carry a token that verifies offline, with the package and with jose", async () => {
  const { jwk } = await ed25519();
  await withWorker({ LICENSE_SIGNING_KEY: JSON.stringify(jwk), OFFLINE_GRACE_SECONDS: "3600" }, async (mf) => {
    const jwksRes = await mf.dispatchFetch("http://worker.test/.well-known/jwks.json");
    assert.equal(jwksRes.status, 200);
    const jwks = await jwksRes.json();
    assert.equal(jwks.keys.length, 1);
    const pub = jwks.keys[0];
    assert.deepEqual(Object.keys(pub).sort(), ["alg", "crv", "kid", "kty", "use", "x"]);
    assert.equal(pub.x, jwk.x);
    assert.equal(JSON.stringify(jwks).includes(jwk.d), false, "the private half is never served");

    const [s1, v] = await post(mf, "/v1/licenses/verify", { product_id: P3, license_key: KEY(1) });
    assert.equal(s1, 200);
    assert.equal(typeof v.token, "string");
    const [h, c] = v.token.split(".").map((p, i) => (i < 2 ? decode(p) : p));
    assert.deepEqual(h, { alg: "EdDSA", kid: pub.kid, typ: "JWT" });
    assert.equal(c.sub, await licenseKeyHash(KEY(1)));
    assert.equal(v.token.includes(KEY(1)) || JSON.stringify(c).includes("DEC0DE00"), false, "never the key itself");
    assert.deepEqual([c.product_id, c.valid, c.reason, c.exp - c.iat], [P3, true, "ok", 3600]);
    assert.equal(c.instance_id, undefined);

    const ok = await verifyLicenseToken(v.token, { jwks, productId: P3, licenseKey: KEY(1).toLowerCase() });
    assert.deepEqual([ok.valid, ok.reason], [true, "ok"]);
    assert.equal(await joseVerifies(v.token, jwks), true);
    const { payload } = await joseVerify(v.token, jwks);
    assert.equal(payload.sub, c.sub);

    // Activation: the token names the instance.
    const [s2, a] = await post(mf, "/v1/licenses/activate", { product_id: P3, license_key: KEY(1), fingerprint: "machine-1" });
    assert.equal(s2, 200);
    const at = await verifyLicenseToken(a.token, { jwks, productId: P3 });
    assert.deepEqual([at.valid, at.claims.instance_id], [true, a.instance.id]);
    assert.equal(await joseVerifies(a.token, jwks), true);
    // A verify naming the instance is signed with it too.
    const [, vi] = await post(mf, "/v1/licenses/verify", { product_id: P3, license_key: KEY(1), instance_id: a.instance.id });
    assert.equal((await verifyLicenseToken(vi.token, { jwks })).claims.instance_id, a.instance.id);

    // An invalid license gets a signed "invalid" (an offline app learns of the refund).
    const [, r] = await post(mf, "/v1/licenses/verify", { product_id: P3, license_key: KEY(2) });
    assert.deepEqual(await verifyLicenseToken(r.token, { jwks }).then((x) => [x.valid, x.reason]), [false, "refunded"]);

    // Refused: another product, another key, expired, tampered, alg swapped.
    assert.equal((await verifyLicenseToken(v.token, { jwks, productId: P4 })).reason, "wrong_product");
    assert.equal((await verifyLicenseToken(v.token, { jwks, licenseKey: KEY(5) })).reason, "wrong_license");
    const later = (c.exp + 1) * 1000;
    assert.equal((await verifyLicenseToken(v.token, { jwks, now: later })).reason, "expired");
    assert.equal(await joseVerifies(v.token, jwks, { currentDate: new Date(later) }), false);
    const other = await ed25519();
    const otherJwks = { keys: [{ kty: "OKP", crv: "Ed25519", x: other.jwk.x, kid: pub.kid }] };
    assert.equal((await verifyLicenseToken(v.token, { jwks: otherJwks })).reason, "bad_signature");
    assert.equal(await joseVerifies(v.token, otherJwks), false);
    const [hp, cp, sp] = r.token.split(".");
    const flipped = Buffer.from(JSON.stringify({ ...decode(cp), valid: true, reason: "ok" })).toString("base64url");
    assert.equal((await verifyLicenseToken(`${hp}.${flipped}.${sp}`, { jwks })).reason, "bad_signature");
    assert.equal(await joseVerifies(`${hp}.${flipped}.${sp}`, jwks), false);
    const none = Buffer.from(JSON.stringify({ alg: "none", kid: pub.kid })).toString("base64url");
    assert.equal((await verifyLicenseToken(`${none}.${cp}.`, { jwks })).reason, "unsupported_alg");
  });
});

test("a PKCS#8 PEM key works too; the CommonJS entry verifies the same tokens", async () => {
  const { jwk, pem } = await ed25519();
  await withWorker({ LICENSE_SIGNING_KEY: pem }, async (mf) => {
    const jwks = await (await mf.dispatchFetch("http://worker.test/.well-known/jwks.json")).json();
    assert.equal(jwks.keys[0].x, jwk.x, "the public half derived from the PEM");
    const [, v] = await post(mf, "/v1/licenses/verify", { product_id: P3, license_key: KEY(1) });
    const c = decode(v.token.split(".")[1]);
    assert.equal(c.exp - c.iat, 7 * 86400, "OFFLINE_GRACE_SECONDS defaults to 7 days");
    const require = createRequire(import.meta.url);
    const cjs = require(path.join(repoRoot, "dist/pkg/entries/license-token.cjs"));
    assert.equal((await cjs.verifyLicenseToken(v.token, { publicKey: jwks.keys[0] })).valid, true);
    assert.equal(await joseVerifies(v.token, jwks), true);
  });
});

test("without a signing key there is no token and no JWKS; a bad key is a logged misconfiguration", async () => {
  await withWorker({}, async (mf) => {
    const [, v] = await post(mf, "/v1/licenses/verify", { product_id: P3, license_key: KEY(1) });
    assert.equal(v.token, undefined);
    assert.equal((await mf.dispatchFetch("http://worker.test/.well-known/jwks.json")).status, 404);
  });
  // A JWK whose public half is another key's: every token would fail in the field.
  const [a, b] = [await ed25519(), await ed25519()];
  const mismatched = JSON.stringify({ ...a.jwk, x: b.jwk.x });
  for (const bad of ['{"kty":"RSA","n":"x","e":"AQAB","d":"y"}', mismatched]) await withWorker({ LICENSE_SIGNING_KEY: bad }, async (mf) => {
    const res = await mf.dispatchFetch("http://worker.test/v1/licenses/verify", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ product_id: P3, license_key: KEY(1) }),
    });
    assert.equal(res.status, 500);
    const text = await res.text();
    assert.equal(JSON.parse(text).error.code, "misconfigured");
    assert.doesNotMatch(text, /LICENSE_SIGNING_KEY|RSA/);
    assert.equal((await mf.dispatchFetch("http://worker.test/.well-known/jwks.json")).status, 500, "no JWKS for a key that cannot sign");
  });
});
