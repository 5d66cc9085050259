// verifyLicenseToken (js/license-token.js) in the three runtimes the package supports: the
// shared cases (cases.mjs) in Node, headless Chromium and workerd, then interop with jose in
// both directions (jose-signed tokens verify with ours; ours verify with jose).
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { SignJWT, generateKeyPair, exportJWK, calculateJwkThumbprint } from "jose";
import { repoRoot } from "../support/mock.mjs";
import { workerMiniflare } from "../support/worker.mjs";
import { reportCases as reportShared, inChromium } from "../support/cases.mjs";
import { verifyLicenseToken, licenseKeyHash, deviceHash } from "../../js/license-token.js";
import { runTokenCases, TOKEN_CASE_NAMES, newSigningKey, signToken, claimsAt, ed25519Thumbprint, CASE_CLOCK } from "./cases.mjs";
import { joseVerify, joseVerifies } from "./jose-interop.mjs";

const reportCases = (t, results) => reportShared(t, results, TOKEN_CASE_NAMES);

test("[node] token cases", async (t) => {
  await reportCases(t, await runTokenCases({ verifyLicenseToken, licenseKeyHash, deviceHash, crypto: globalThis.crypto }));
});

test("[chromium] token cases", async (t) => {
  await reportCases(t, await inChromium("token/index.html", async () => {
    const lib = await import("/js/license-token.js");
    const { runTokenCases } = await import("/tests/token/cases.mjs");
    return runTokenCases({ verifyLicenseToken: lib.verifyLicenseToken, licenseKeyHash: lib.licenseKeyHash, deviceHash: lib.deviceHash, crypto: globalThis.crypto });
  }));
});

test("[workerd] token cases", async (t) => {
  const mf = workerMiniflare({ scriptPath: path.join(repoRoot, "tests/token/worker.mjs") });
  try {
    const res = await mf.dispatchFetch("http://token.test/");
    assert.equal(res.status, 200, await res.clone().text());
    await reportCases(t, await res.json());
  } finally {
    await mf.dispose();
  }
});

// ---- jose interop (Node) -------------------------------------------------------------------

const { nowSeconds: T, product: PRODUCT, licenseKey: LICENSE_KEY } = CASE_CLOCK;
const NOW = new Date(T * 1000);

/** A jose key pair with its published JWK (kid = RFC 7638 thumbprint, computed by jose). */
async function joseKey() {
  const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { privateKey, kid, jwk: { ...jwk, kid, alg: "EdDSA", use: "sig" } };
}

/** Signs the cases' claims (minus iat/exp, which jose sets) as a jose JWT. */
function joseSign(key, over = {}, header = { alg: "EdDSA", kid: key.kid, typ: "JWT" }) {
  const { iat, exp, ...claims } = claimsAt(over);
  return new SignJWT(claims).setProtectedHeader(header).setIssuedAt(iat).setExpirationTime(exp).sign(key.privateKey);
}

test("jose: its thumbprint (kid) equals the cases' RFC 7638 thumbprint", async () => {
  const k = await joseKey();
  assert.equal(await ed25519Thumbprint(globalThis.crypto, k.jwk.x), k.kid);
});

test("jose: a jose-signed token verifies with verifyLicenseToken", async () => {
  const k = await joseKey();
  const token = await joseSign(k);
  const r = await verifyLicenseToken(token, { jwks: { keys: [k.jwk] }, now: NOW, productId: PRODUCT, licenseKey: LICENSE_KEY });
  assert.deepEqual(r, { valid: true, reason: "ok", claims: claimsAt() });
  // jose's token also passes with the bare public key, and a refusal keeps its reason.
  assert.equal((await verifyLicenseToken(token, { publicKey: { kty: "OKP", crv: "Ed25519", x: k.jwk.x }, now: NOW })).reason, "ok");
  const refunded = await joseSign(k, { valid: false, reason: "refunded" });
  assert.deepEqual(await verifyLicenseToken(refunded, { jwks: { keys: [k.jwk] }, now: NOW }), { valid: false, reason: "refunded", claims: claimsAt({ valid: false, reason: "refunded" }) });
});

test("jose: a jose-signed token fails against a different key", async () => {
  const [k, other] = [await joseKey(), await joseKey()];
  const token = await joseSign(k);
  assert.deepEqual(await verifyLicenseToken(token, { jwks: { keys: [{ ...other.jwk, kid: k.kid }] }, now: NOW }), { valid: false, reason: "bad_signature", claims: null });
  assert.deepEqual(await verifyLicenseToken(token, { jwks: { keys: [other.jwk] }, now: NOW }), { valid: false, reason: "unknown_key", claims: null });
});

test("jose: its RFC 9864 alg \"Ed25519\" is refused as unsupported_alg (only \"EdDSA\" is accepted)", async () => {
  const k = await joseKey();
  const token = await joseSign(k, {}, { alg: "Ed25519", kid: k.kid });
  assert.equal((await verifyLicenseToken(token, { jwks: { keys: [k.jwk] }, now: NOW })).reason, "unsupported_alg");
});

test("jose: tokens from the cases' signer verify with jwtVerify + createLocalJWKSet", async () => {
  const k = await newSigningKey(globalThis.crypto);
  const jwks = { keys: [k.jwk] };
  const claims = claimsAt();
  const token = await signToken(globalThis.crypto, k, claims);
  const { payload, protectedHeader } = await joseVerify(token, jwks, { currentDate: NOW });
  assert.deepEqual(payload, claims);
  assert.deepEqual(protectedHeader, { alg: "EdDSA", kid: k.kid, typ: "JWT" });
  assert.equal(await joseVerifies(token, jwks, { currentDate: NOW }), true);
});

test("jose: and refuses what verifyLicenseToken refuses (other key, tampering, alg none, expiry)", async () => {
  const [k, other] = [await newSigningKey(globalThis.crypto), await newSigningKey(globalThis.crypto)];
  const jwks = { keys: [k.jwk] };
  const token = await signToken(globalThis.crypto, k, claimsAt());
  const [h, , s] = token.split(".");
  const b64json = (v) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const refused = {
    "other key, same kid": await signToken(globalThis.crypto, { ...other, kid: k.kid }, claimsAt()),
    "tampered payload": `${h}.${b64json(claimsAt({ product_id: "other" }))}.${s}`,
    "alg none": `${b64json({ alg: "none", kid: k.kid })}.${b64json(claimsAt())}.`,
    expired: await signToken(globalThis.crypto, k, claimsAt({ exp: T })),
  };
  for (const [what, bad] of Object.entries(refused)) {
    assert.equal(await joseVerifies(bad, jwks, { currentDate: NOW }), false, `jose accepted: ${what}`);
    assert.equal((await verifyLicenseToken(bad, { jwks, now: NOW })).valid, false, `we accepted: ${what}`);
  }
});
