// Signed answers: the Worker (workerd via Miniflare, against gumroad-mock) signs verify and
// activate answers with LICENSE_SIGNING_KEY (a JWK, or PKCS#8 PEM) and serves its JWKS; the
// tokens verify with the package's own verifyLicenseToken (as installed: dist/pkg) and with jose,
// and are refused when tampered with, expired, for another product or under another key.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { webcrypto as crypto, createHash } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import { workerMiniflare } from "../support/worker.mjs";
import { startMock, repoRoot } from "../support/mock.mjs";
import { joseVerifies, joseVerify } from "../token/jose-interop.mjs";
import { fakeUpstream, purchaseAnswer } from "./helpers.mjs";

const { verifyLicenseToken, licenseKeyHash, deviceHash } = await import(path.join(repoRoot, "dist/pkg/entries/license.js"));
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

/** The token's `device` claim for a fingerprint: base64url SHA-256 of `sub` + "\n" + fingerprint. */
const deviceOf = (sub, fingerprint) => createHash("sha256").update(`${sub}\n${fingerprint}`).digest("base64url");

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
    // The issuer is the Worker's own origin unless LICENSE_ISSUER says otherwise.
    assert.deepEqual([c.product_id, c.valid, c.reason, c.iss, c.exp - c.iat], [P3, true, "ok", "http://worker.test", 3600]);
    assert.deepEqual([c.instance_id, c.device], [undefined, undefined], "a verify without an instance is bound to no device");
    assert.equal(await joseVerifies(v.token, jwks), true);
    const { payload } = await joseVerify(v.token, jwks);
    assert.equal(payload.sub, c.sub);
    // Such a token holds no seat: refused unless the caller opts in (a server checking a key).
    assert.equal((await verifyLicenseToken(v.token, { jwks })).reason, "unbound");
    const ok = await verifyLicenseToken(v.token, { jwks, productId: P3, licenseKey: KEY(1).toLowerCase(), issuer: "http://worker.test", allowUnbound: true });
    assert.deepEqual([ok.valid, ok.reason], [true, "ok"]);

    // Activation: the token names the instance and the device (a hash, never the fingerprint).
    const [s2, a] = await post(mf, "/v1/licenses/activate", { product_id: P3, license_key: KEY(1), fingerprint: "machine-1" });
    assert.equal(s2, 200);
    const ac = decode(a.token.split(".")[1]);
    assert.deepEqual([ac.instance_id, ac.device], [a.instance.id, deviceOf(c.sub, "machine-1")]);
    assert.ok(!a.token.includes("machine-1") && !JSON.stringify(ac).includes("machine-1"));
    assert.equal(a.at, undefined, "the ledger's internal members are not answered");
    assert.equal(ac.device, await deviceHash(ac.sub, "machine-1"), "the package computes the same device hash");
    assert.equal(await joseVerifies(a.token, jwks), true);
    // Offline, bound to everything the app knows.
    const bound = { jwks, productId: P3, licenseKey: KEY(1), instanceId: a.instance.id, fingerprint: "machine-1", issuer: "http://worker.test" };
    assert.deepEqual(await verifyLicenseToken(a.token, bound).then((r) => [r.valid, r.reason]), [true, "ok"]);
    for (const [change, reason] of [
      [{ fingerprint: "machine-2" }, "wrong_device"],
      [{ issuer: "https://staging.example" }, "wrong_issuer"],
      [{ instanceId: "inst_other" }, "wrong_instance"],
      [{ productId: P4 }, "wrong_product"],
      [{ licenseKey: KEY(5) }, "wrong_license"],
      [{ now: (ac.exp + 1) * 1000 }, "expired"],
    ]) {
      assert.equal((await verifyLicenseToken(a.token, { ...bound, ...change })).reason, reason);
    }
    // A verify naming the instance, from its device, is signed with both.
    const [, vi] = await post(mf, "/v1/licenses/verify", { product_id: P3, license_key: KEY(1), instance_id: a.instance.id, fingerprint: " machine-1 " });
    const vc = decode(vi.token.split(".")[1]);
    assert.deepEqual([vi.valid, vc.instance_id, vc.device], [true, a.instance.id, ac.device]);
    // From another device: refused, signed as an invalid verdict for the asking device (an app
    // forgets its seat only on the Worker's word), which never unlocks anything.
    const [, other] = await post(mf, "/v1/licenses/verify", { product_id: P3, license_key: KEY(1), instance_id: a.instance.id, fingerprint: "machine-2" });
    assert.deepEqual([other.valid, other.reason], [false, "wrong_device"]);
    const oc = decode(other.token.split(".")[1]);
    assert.deepEqual([oc.valid, oc.reason, oc.instance_id, oc.device], [false, "wrong_device", a.instance.id, deviceOf(c.sub, "machine-2")]);
    const refusal = await verifyLicenseToken(other.token, { ...{ jwks, productId: P3, licenseKey: KEY(1), issuer: "http://worker.test" }, instanceId: a.instance.id, fingerprint: "machine-2" });
    assert.deepEqual([refusal.valid, refusal.reason], [false, "wrong_device"]);
    const [, gone] = await post(mf, "/v1/licenses/verify", { product_id: P3, license_key: KEY(1), instance_id: "inst_never", fingerprint: "machine-2" });
    assert.deepEqual([gone.valid, gone.reason, decode(gone.token.split(".")[1]).instance_id], [false, "unknown_instance", "inst_never"]);

    // An invalid license gets a signed "invalid" (an offline app learns of the refund).
    const [, r] = await post(mf, "/v1/licenses/verify", { product_id: P3, license_key: KEY(2) });
    assert.deepEqual(await verifyLicenseToken(r.token, { jwks, allowUnbound: true }).then((x) => [x.valid, x.reason]), [false, "refunded"]);

    // Refused: tampered, alg swapped, another key under the same kid.
    const other2 = await ed25519();
    const otherJwks = { keys: [{ kty: "OKP", crv: "Ed25519", x: other2.jwk.x, kid: pub.kid }] };
    assert.equal(await joseVerifies(v.token, otherJwks), false);
    const [hp, cp, sp] = r.token.split(".");
    const flipped = Buffer.from(JSON.stringify({ ...decode(cp), valid: true, reason: "ok" })).toString("base64url");
    assert.equal(await joseVerifies(`${hp}.${flipped}.${sp}`, jwks), false);
    const later = (c.exp + 1) * 1000;
    assert.equal(await joseVerifies(v.token, jwks, { currentDate: new Date(later) }), false);
  });
});

test("LICENSE_ISSUER names the issuer; a cache hit is signed with the verdict's time, not the hit's", async () => {
  const { jwk } = await ed25519();
  await withWorker({ LICENSE_SIGNING_KEY: JSON.stringify(jwk), LICENSE_ISSUER: "https://licenses.example", CACHE_TTL_VALID: "300" }, async (mf) => {
    const [, first] = await post(mf, "/v1/licenses/verify", { product_id: P3, license_key: KEY(5) });
    const c1 = decode(first.token.split(".")[1]);
    assert.equal(c1.iss, "https://licenses.example");
    await new Promise((r) => setTimeout(r, 1200)); // the cache write runs after the answer; a second passes
    const res = await mf.dispatchFetch("http://worker.test/v1/licenses/verify", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ product_id: P3, license_key: KEY(5) }) });
    assert.equal(res.headers.get("x-license-cache"), "hit");
    const c2 = decode((await res.json()).token.split(".")[1]);
    assert.deepEqual([c2.iat, c2.exp], [c1.iat, c1.exp], "re-signed from the cache: same iat and exp (finding 9)");
  });
});

test("rotation: LICENSE_PUBLIC_KEYS are served beside the signing key; tokens of the previous key keep verifying after the switch", async () => {
  const [current, next] = [await ed25519(), await ed25519()];
  const publicOf = (k) => ({ kty: "OKP", crv: "Ed25519", x: k.jwk.x });
  let oldToken;
  let before;
  // Before the switch: the next key ships in apps (it is in the JWKS) but signs nothing yet.
  await withWorker({ LICENSE_SIGNING_KEY: JSON.stringify(current.jwk), LICENSE_PUBLIC_KEYS: JSON.stringify([publicOf(next)]) }, async (mf) => {
    before = await (await mf.dispatchFetch("http://worker.test/.well-known/jwks.json")).json();
    assert.deepEqual(before.keys.map((k) => k.x), [current.jwk.x, next.jwk.x]);
    for (const k of before.keys) assert.deepEqual(Object.keys(k).sort(), ["alg", "crv", "kid", "kty", "use", "x"]);
    const [, v] = await post(mf, "/v1/licenses/verify", { product_id: P3, license_key: KEY(1) });
    oldToken = v.token;
    assert.equal(decode(oldToken.split(".")[0]).kid, before.keys[0].kid);
  });
  // After: the next key signs, the previous one is published for the tokens it signed.
  await withWorker({ LICENSE_SIGNING_KEY: JSON.stringify(next.jwk), LICENSE_PUBLIC_KEYS: JSON.stringify([publicOf(current)]) }, async (mf) => {
    const after = await (await mf.dispatchFetch("http://worker.test/.well-known/jwks.json")).json();
    assert.deepEqual(after.keys.map((k) => k.x), [next.jwk.x, current.jwk.x]);
    const [, v] = await post(mf, "/v1/licenses/verify", { product_id: P3, license_key: KEY(1) });
    assert.equal(decode(v.token.split(".")[0]).kid, before.keys[1].kid, "signed by the key apps already hold");
    // An app built before the switch (holding `before`) verifies both.
    for (const t of [oldToken, v.token]) {
      assert.equal(await joseVerifies(t, before), true);
      assert.equal((await verifyLicenseToken(t, { jwks: before, allowUnbound: true })).valid, true);
    }
  });
  // Without a signing key the public keys alone are served.
  await withWorker({ LICENSE_PUBLIC_KEYS: JSON.stringify([publicOf(next)]) }, async (mf) => {
    const only = await (await mf.dispatchFetch("http://worker.test/.well-known/jwks.json")).json();
    assert.deepEqual(only.keys.map((k) => k.x), [next.jwk.x]);
  });
  // Anything but public Ed25519 keys is a misconfiguration, answered bare.
  const bad = [
    "not json",
    JSON.stringify({ keys: [publicOf(next)] }),
    JSON.stringify([next.jwk]), // the private key: never published
    JSON.stringify([{ ...publicOf(next), kid: "not-its-thumbprint" }]),
    JSON.stringify([{ kty: "OKP", crv: "Ed25519", x: "AAAA" }]),
    JSON.stringify([{ kty: "RSA", n: "x", e: "AQAB" }]),
  ];
  for (const keys of bad) {
    await withWorker({ LICENSE_SIGNING_KEY: JSON.stringify(current.jwk), LICENSE_PUBLIC_KEYS: keys }, async (mf) => {
      const jwksRes = await mf.dispatchFetch("http://worker.test/.well-known/jwks.json");
      assert.equal(jwksRes.status, 500, keys);
      const [status, v] = await post(mf, "/v1/licenses/verify", { product_id: P3, license_key: KEY(1) });
      assert.deepEqual([status, v.error.code], [500, "misconfigured"], keys);
      assert.ok(!JSON.stringify(v).includes(next.jwk.d));
    });
  }
});

test("a cancelled subscription's paid-through date caps the token's exp", async (t) => {
  const { jwk } = await ed25519();
  const paidThrough = Math.floor(Date.now() / 1000) + 3 * 86400;
  const fake = await fakeUpstream(t, (body) =>
    purchaseAnswer(new URLSearchParams(body).get("license_key"), P3, { subscription_cancelled_at: new Date(paidThrough * 1000).toISOString(), subscription_id: "sub-1" }),
  );
  await withWorker({ LICENSE_SIGNING_KEY: JSON.stringify(jwk), GUMROAD_API_BASE: `${fake.url}/v2`, RATE_LIMITS: "off" }, async (mf) => {
    const [, v] = await post(mf, "/v1/licenses/verify", { product_id: P3, license_key: KEY(1) });
    assert.deepEqual([v.valid, v.reason], [true, "ok"], "cancelled, but paid until then");
    const c = decode(v.token.split(".")[1]);
    assert.equal(c.exp, paidThrough, "not iat + 7 days");
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
    const cjs = require(path.join(repoRoot, "dist/pkg/entries/license.cjs"));
    assert.equal((await cjs.verifyLicenseToken(v.token, { publicKey: jwks.keys[0] })).reason, "unbound");
    assert.equal((await cjs.verifyLicenseToken(v.token, { publicKey: jwks.keys[0], allowUnbound: true })).valid, true);
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
