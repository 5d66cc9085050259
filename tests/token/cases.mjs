// The verifyLicenseToken cases, runnable unchanged in Node, Chromium and workerd: only
// WebCrypto, TextEncoder and plain JS. Tokens are made here by a deliberately separate minimal
// signer (own base64url, own thumbprint), so a bug shared with the verifier cannot hide itself.
// Every case returns a short detail or throws; runTokenCases turns that into {name, ok, detail}.

const enc = new TextEncoder();
const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** A fixed clock for most cases: 2027-01-15T08:00:00Z. */
const T = 1_800_000_000;
const NOW_MS = T * 1000;
const PRODUCT = "U2tldGNoUHJvLURlc2t0b3A=";
const LICENSE_KEY = "DEC0DE00-00000000-00000000-00000001";
// SHA-256 vectors computed outside WebCrypto (node:crypto createHash), base64url.
const LICENSE_KEY_SUB = "e2Mb5Ck0xFsuV3MSnbaxhv4nBhYjZID_Y2Q-B5eo2r4";
const EMPTY_SUB = "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU";
const FINGERPRINT = "machine-7f3a9c2e";
const OTHER_FINGERPRINT = "machine-00000000";
// The `device` claims for LICENSE_KEY_SUB + "\n" + the fingerprint (node:crypto too).
const DEVICE = "9q4iV7_RPnxsP-GzhN7AekUF7cdfU184kBZUcmG0ArQ";
const OTHER_DEVICE = "c_TJYeFCMjyO9BXUWVX4aBWtzUUDH9wHxxqwZp3PfYs";
const ISSUER = "https://license.example.com";
/** For runners that sign more tokens with claimsAt() (token.test.mjs's jose checks). */
export const CASE_CLOCK = { nowSeconds: T, product: PRODUCT, licenseKey: LICENSE_KEY, sub: LICENSE_KEY_SUB, fingerprint: FINGERPRINT, issuer: ISSUER };

export function base64url(bytes) {
  let bits = 0;
  let acc = 0;
  let s = "";
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      s += B64URL[(acc >> bits) & 63];
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) s += B64URL[(acc << (6 - bits)) & 63];
  return s;
}

const jsonSegment = (value) => base64url(enc.encode(typeof value === "string" ? value : JSON.stringify(value)));

/** RFC 7638 thumbprint of an Ed25519 public key: members in lexicographic order, no spaces. */
export async function ed25519Thumbprint(crypto, x) {
  const canonical = `{"crv":"Ed25519","kty":"OKP","x":"${x}"}`;
  return base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", enc.encode(canonical))));
}

/** A fresh Ed25519 key pair with its public JWK as the Worker would publish it. */
export async function newSigningKey(crypto) {
  const { privateKey, publicKey } = await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]);
  const { x } = await crypto.subtle.exportKey("jwk", publicKey);
  const kid = await ed25519Thumbprint(crypto, x);
  return {
    privateKey,
    kid,
    x,
    rawPublic: new Uint8Array(await crypto.subtle.exportKey("raw", publicKey)),
    privateJwk: await crypto.subtle.exportKey("jwk", privateKey),
    jwk: { kty: "OKP", crv: "Ed25519", x, kid, alg: "EdDSA", use: "sig" },
  };
}

/**
 * Signs `claims` as a compact JWS with `key`. `header` replaces the default header; `rawClaims`
 * (a string) is used verbatim as the claims JSON, for bytes that JSON.stringify would not make.
 */
export async function signToken(crypto, key, claims, { header, rawClaims } = {}) {
  const input = `${jsonSegment(header ?? { alg: "EdDSA", kid: key.kid, typ: "JWT" })}.${jsonSegment(rawClaims ?? claims)}`;
  const signature = await crypto.subtle.sign({ name: "Ed25519" }, key.privateKey, enc.encode(input));
  return `${input}.${base64url(new Uint8Array(signature))}`;
}

/**
 * Claims of a valid verdict at time T, in the Worker's order, bound to inst-1 on FINGERPRINT's
 * device; `over` replaces or (with undefined) removes members. Removing the instance (or making
 * it null) removes the device too, as the Worker does, unless `over` names `device`.
 */
export function claimsAt(over = {}) {
  const c = { sub: LICENSE_KEY_SUB, product_id: PRODUCT, instance_id: "inst-1", device: DEVICE, valid: true, reason: "ok", iss: ISSUER, iat: T - 10, exp: T + 3600, ...over };
  if ((c.instance_id === undefined || c.instance_id === null) && !("device" in over)) delete c.device;
  for (const k of Object.keys(c)) if (c[k] === undefined) delete c[k];
  return c;
}

class CaseFailure extends Error {}

function check(cond, message) {
  if (!cond) throw new CaseFailure(message);
}

/** Asserts the verdict's exact shape: {valid, reason, claims}, claims null or the signed ones. */
function expectVerdict(r, valid, reason, claims) {
  const got = JSON.stringify(r);
  check(r !== null && typeof r === "object", `not an object: ${got}`);
  check(Object.keys(r).sort().join(",") === "claims,reason,valid", `unexpected members: ${got}`);
  check(r.valid === valid && r.reason === reason, `expected ${valid}/${reason}, got ${got}`);
  if (claims === null) check(r.claims === null, `claims must be null when not verified: ${got}`);
  else check(JSON.stringify(r.claims) === JSON.stringify(claims), `claims differ: ${got} vs ${JSON.stringify(claims)}`);
  return reason;
}

async function expectTypeError(promise, what) {
  try {
    await promise;
  } catch (e) {
    check(e instanceof TypeError, `${what}: expected a TypeError, got ${e?.name}: ${e?.message}`);
    return `TypeError: ${e.message}`;
  }
  throw new CaseFailure(`${what}: resolved instead of throwing a TypeError`);
}

/** Replaces one character of a string. */
const setChar = (s, i, c) => s.slice(0, i) + c + s.slice(i + 1);

const cases = [];
const test = (name, fn) => cases.push({ name, fn });

// ---- valid tokens and key selection --------------------------------------------------------

test("valid token, jwks → ok with the signed claims", async ({ verify, k1, sign, jwks1 }) => {
  const claims = claimsAt();
  return expectVerdict(await verify(await sign(k1, claims), { jwks: jwks1, now: NOW_MS }), true, "ok", claims);
});

test("token without instance_id, or with instance_id null: unbound, ok only with allowUnbound", async ({ verify, k1, sign, jwks1 }) => {
  for (const instance_id of [undefined, null]) {
    const claims = claimsAt({ instance_id });
    check(!("device" in claims), "an unbound token carries no device");
    const token = await sign(k1, claims);
    expectVerdict(await verify(token, { jwks: jwks1, now: NOW_MS }), false, "unbound", claims);
    expectVerdict(await verify(token, { jwks: jwks1, now: NOW_MS, allowUnbound: false }), false, "unbound", claims);
    expectVerdict(await verify(token, { jwks: jwks1, now: NOW_MS, allowUnbound: true }), true, "ok", claims);
  }
  return "unbound twice, ok twice with allowUnbound";
});

test("key rotation: jwks with two keys, token signed by either", async ({ verify, k1, k2, sign }) => {
  const jwks = { keys: [k2.jwk, k1.jwk] };
  const claims = claimsAt();
  expectVerdict(await verify(await sign(k1, claims), { jwks, now: NOW_MS }), true, "ok", claims);
  return expectVerdict(await verify(await sign(k2, claims), { jwks, now: NOW_MS }), true, "ok", claims);
});

test("publicKey without kid is used whatever the header's kid (or none)", async ({ verify, k1, sign }) => {
  const publicKey = { kty: "OKP", crv: "Ed25519", x: k1.x };
  const claims = claimsAt();
  expectVerdict(await verify(await sign(k1, claims), { publicKey, now: NOW_MS }), true, "ok", claims);
  const noKid = await sign(k1, claims, { header: { alg: "EdDSA", typ: "JWT" } });
  return expectVerdict(await verify(noKid, { publicKey, now: NOW_MS }), true, "ok", claims);
});

test("publicKey with the matching kid → ok; with another kid → unknown_key", async ({ verify, k1, sign }) => {
  const token = await sign(k1, claimsAt());
  expectVerdict(await verify(token, { publicKey: k1.jwk, now: NOW_MS }), true, "ok", claimsAt());
  return expectVerdict(await verify(token, { publicKey: { ...k1.jwk, kid: "some-other-kid" }, now: NOW_MS }), false, "unknown_key", null);
});

test("a private JWK passed as publicKey: only kty/crv/x are used (d is dropped)", async ({ verify, k1, k2, sign }) => {
  const token = await sign(k1, claimsAt());
  expectVerdict(await verify(token, { publicKey: k1.privateJwk, now: NOW_MS }), true, "ok", claimsAt());
  // k1's public half with k2's private scalar: importing `d` would fail or mismatch; ours ignores it.
  const mixed = { ...k2.privateJwk, x: k1.x, kid: k1.kid };
  return expectVerdict(await verify(token, { jwks: { keys: [mixed] }, now: NOW_MS }), true, "ok", claimsAt());
});

// ---- wrong keys ----------------------------------------------------------------------------

test("wrong key: another key pair published under the same kid → bad_signature", async ({ verify, k1, k2, sign }) => {
  const token = await sign(k1, claimsAt());
  return expectVerdict(await verify(token, { jwks: { keys: [{ ...k2.jwk, kid: k1.kid }] }, now: NOW_MS }), false, "bad_signature", null);
});

test("wrong key: kid not in jwks → unknown_key", async ({ verify, k1, k2, sign }) => {
  return expectVerdict(await verify(await sign(k1, claimsAt()), { jwks: { keys: [k2.jwk] }, now: NOW_MS }), false, "unknown_key", null);
});

test("header without kid against a jwks → unknown_key", async ({ verify, k1, sign, jwks1 }) => {
  const token = await sign(k1, claimsAt(), { header: { alg: "EdDSA", typ: "JWT" } });
  return expectVerdict(await verify(token, { jwks: jwks1, now: NOW_MS }), false, "unknown_key", null);
});

test("empty jwks → unknown_key", async ({ verify, k1, sign }) => {
  return expectVerdict(await verify(await sign(k1, claimsAt()), { jwks: { keys: [] }, now: NOW_MS }), false, "unknown_key", null);
});

test("keys with the right kid but not OKP/Ed25519 (or not for signatures) are never used", async ({ verify, k1, sign }) => {
  const token = await sign(k1, claimsAt());
  const impostors = [
    { kty: "OKP", crv: "X25519", x: k1.x, kid: k1.kid },
    { kty: "OKP", crv: "Ed448", x: k1.x, kid: k1.kid },
    { kty: "oct", k: k1.x, kid: k1.kid },
    { kty: "EC", crv: "P-256", x: k1.x, y: k1.x, kid: k1.kid },
    { kty: "OKP", crv: "Ed25519", x: k1.x, kid: k1.kid, use: "enc" },
    { kty: "OKP", crv: "Ed25519", x: k1.x, kid: k1.kid, alg: "RS256" },
    { kty: "OKP", crv: "Ed25519", x: k1.x.slice(0, 40), kid: k1.kid },
    { kty: "OKP", crv: "Ed25519", kid: k1.kid },
    null,
    "not a key",
  ];
  for (const key of impostors) {
    const r = await verify(token, { jwks: { keys: [key] }, now: NOW_MS });
    expectVerdict(r, false, "unknown_key", null);
  }
  for (const key of impostors.filter((k) => k !== null && typeof k === "object")) {
    expectVerdict(await verify(token, { publicKey: { ...key, kid: undefined }, now: NOW_MS }), false, "unknown_key", null);
  }
  return `${impostors.length} impostors refused`;
});

// ---- tampering -----------------------------------------------------------------------------

test("tampered payload: a refund flipped to valid, signature kept → bad_signature", async ({ verify, k1, sign, jwks1 }) => {
  const token = await sign(k1, claimsAt({ valid: false, reason: "refunded" }));
  const [h, , s] = token.split(".");
  const forged = `${h}.${jsonSegment(claimsAt())}.${s}`;
  return expectVerdict(await verify(forged, { jwks: jwks1, now: NOW_MS }), false, "bad_signature", null);
});

test("tampered payload: same claims re-encoded with other JSON spacing → bad_signature", async ({ verify, k1, sign, jwks1 }) => {
  const token = await sign(k1, claimsAt());
  const [h, , s] = token.split(".");
  const forged = `${h}.${jsonSegment(JSON.stringify(claimsAt(), null, 1))}.${s}`;
  return expectVerdict(await verify(forged, { jwks: jwks1, now: NOW_MS }), false, "bad_signature", null);
});

test("tampered payload: another product, exp pushed out → bad_signature", async ({ verify, k1, sign, jwks1 }) => {
  const token = await sign(k1, claimsAt());
  const [h, , s] = token.split(".");
  for (const over of [{ product_id: "other-product" }, { exp: T + 10 * 365 * 86400 }, { sub: EMPTY_SUB }]) {
    const forged = `${h}.${jsonSegment(claimsAt(over))}.${s}`;
    expectVerdict(await verify(forged, { jwks: jwks1, now: NOW_MS }), false, "bad_signature", null);
  }
  return "3 forgeries refused";
});

test("tampered header (typ changed) → bad_signature", async ({ verify, k1, sign, jwks1 }) => {
  const [, p, s] = (await sign(k1, claimsAt())).split(".");
  const forged = `${jsonSegment({ alg: "EdDSA", kid: k1.kid, typ: "JOSE" })}.${p}.${s}`;
  return expectVerdict(await verify(forged, { jwks: jwks1, now: NOW_MS }), false, "bad_signature", null);
});

test("tampered signature: one bit flipped, truncated, signature from another token", async ({ verify, k1, sign, jwks1 }) => {
  const token = await sign(k1, claimsAt());
  const i = token.lastIndexOf(".") + 5;
  const c = token[i];
  const flipped = setChar(token, i, c === "A" ? "B" : "A");
  expectVerdict(await verify(flipped, { jwks: jwks1, now: NOW_MS }), false, "bad_signature", null);
  const truncated = token.slice(0, token.length - 2); // 84 characters = 63 bytes, canonical
  expectVerdict(await verify(truncated, { jwks: jwks1, now: NOW_MS }), false, "bad_signature", null);
  const emptySig = token.slice(0, token.lastIndexOf(".") + 1);
  expectVerdict(await verify(emptySig, { jwks: jwks1, now: NOW_MS }), false, "bad_signature", null);
  const other = await sign(k1, claimsAt({ reason: "ok", instance_id: "inst-2" }));
  const spliced = `${token.slice(0, token.lastIndexOf("."))}.${other.split(".")[2]}`;
  return expectVerdict(await verify(spliced, { jwks: jwks1, now: NOW_MS }), false, "bad_signature", null);
});

// ---- algorithm substitution ----------------------------------------------------------------

test("alg none with an empty signature → unsupported_alg", async ({ verify, k1, jwks1 }) => {
  for (const alg of ["none", "None", "NONE"]) {
    const token = `${jsonSegment({ alg, kid: k1.kid, typ: "JWT" })}.${jsonSegment(claimsAt())}.`;
    expectVerdict(await verify(token, { jwks: jwks1, now: NOW_MS }), false, "unsupported_alg", null);
    expectVerdict(await verify(token, { publicKey: { kty: "OKP", crv: "Ed25519", x: k1.x }, now: NOW_MS }), false, "unsupported_alg", null);
  }
  return "none/None/NONE refused";
});

test("alg none carrying a genuine Ed25519 signature → unsupported_alg", async ({ verify, k1, sign, jwks1 }) => {
  const token = await sign(k1, claimsAt(), { header: { alg: "none", kid: k1.kid } });
  return expectVerdict(await verify(token, { jwks: jwks1, now: NOW_MS }), false, "unsupported_alg", null);
});

test("alg HS256 with an HMAC keyed by the public key bytes / x / JWK JSON → unsupported_alg", async ({ verify, crypto, k1, jwks1 }) => {
  const input = `${jsonSegment({ alg: "HS256", kid: k1.kid, typ: "JWT" })}.${jsonSegment(claimsAt())}`;
  const secrets = [k1.rawPublic, enc.encode(k1.x), enc.encode(JSON.stringify(k1.jwk)), enc.encode(JSON.stringify(jwks1))];
  for (const secret of secrets) {
    const key = await crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(input)));
    const token = `${input}.${base64url(mac)}`;
    expectVerdict(await verify(token, { jwks: jwks1, now: NOW_MS }), false, "unsupported_alg", null);
    expectVerdict(await verify(token, { publicKey: k1.jwk, now: NOW_MS }), false, "unsupported_alg", null);
  }
  return `${secrets.length} HMAC forgeries refused`;
});

test("alg must be exactly \"EdDSA\": case, spaces, arrays, RFC 9864 \"Ed25519\", missing", async ({ verify, k1, sign, jwks1 }) => {
  const algs = ["eddsa", "EDDSA", "EdDSA ", " EdDSA", ["EdDSA"], "Ed25519", "ES256", "RS256", null, undefined];
  for (const alg of algs) {
    const token = await sign(k1, claimsAt(), { header: { alg, kid: k1.kid } });
    expectVerdict(await verify(token, { jwks: jwks1, now: NOW_MS }), false, "unsupported_alg", null);
  }
  return `${algs.length} alg values refused`;
});

// ---- malformed input -----------------------------------------------------------------------

test("malformed: empty, non-strings, wrong number of parts", async ({ verify, k1, sign, jwks1 }) => {
  const token = await sign(k1, claimsAt());
  const [h, p, s] = token.split(".");
  const inputs = ["", ".", "..", "...", "abc", `${h}.${p}`, `${h}.${p}.${s}.${s}`, `${h}..${s}`, `.${p}.${s}`, null, undefined, 42, {}, [h, p, s]];
  for (const input of inputs) expectVerdict(await verify(input, { jwks: jwks1, now: NOW_MS }), false, "malformed", null);
  return `${inputs.length} inputs`;
});

test("malformed: garbage base64, padding, whitespace, standard-alphabet characters", async ({ verify, k1, sign, jwks1 }) => {
  const token = await sign(k1, claimsAt());
  const [h, p, s] = token.split(".");
  const sigLast = B64URL.indexOf(s[s.length - 1]);
  const inputs = [
    "!!!.@@@.###",
    "%%%%.eyJ.abc",
    `${h}=.${p}.${s}`,
    `${h}.${p}.${s}==`,
    ` ${token}`,
    `${token}\n`,
    `${h}.${p}.${s.slice(0, 10)} ${s.slice(10)}`,
    `${h.replace(/-/g, "+").replace(/_/g, "/")}+/.${p}.${s}`,
    `${h}.${p}.${s}AAA`, // 89 characters: a length (4n + 1) no base64 text has
    // The 86th character of a signature carries 4 unused bits: a non-canonical spelling.
    `${h}.${p}.${setChar(s, s.length - 1, B64URL[sigLast | 1])}`,
    `${h}.${p}.${s.slice(0, -1)}é`,
  ];
  for (const input of inputs) expectVerdict(await verify(input, { jwks: jwks1, now: NOW_MS }), false, "malformed", null);
  return `${inputs.length} inputs`;
});

test("malformed: huge tokens; the size limit is 8192 characters even when the signature is good", async ({ verify, k1, sign, jwks1 }) => {
  expectVerdict(await verify("a".repeat(100_000), { jwks: jwks1, now: NOW_MS }), false, "malformed", null);
  expectVerdict(await verify(`${"a".repeat(5000)}.${"b".repeat(5000)}.${"c".repeat(86)}`, { jwks: jwks1, now: NOW_MS }), false, "malformed", null);
  // Grow a padding claim until the signed token passes 8192 characters: the last one under the
  // limit verifies, the first one over it does not.
  const header = jsonSegment({ alg: "EdDSA", kid: k1.kid, typ: "JWT" });
  const lengthFor = (n) => header.length + 1 + jsonSegment(claimsAt({ pad: "x".repeat(n) })).length + 1 + 86;
  let n = 5000;
  while (lengthFor(n + 1) <= 8192) n++;
  const fits = await sign(k1, claimsAt({ pad: "x".repeat(n) }));
  const over = await sign(k1, claimsAt({ pad: "x".repeat(n + 1) }));
  check(fits.length <= 8192 && fits.length >= 8190 && over.length > 8192, `lengths ${fits.length} / ${over.length}`);
  expectVerdict(await verify(fits, { jwks: jwks1, now: NOW_MS }), true, "ok", claimsAt({ pad: "x".repeat(n) }));
  expectVerdict(await verify(over, { jwks: jwks1, now: NOW_MS }), false, "malformed", null);
  return `${fits.length} accepted, ${over.length} refused`;
});

test("malformed: segments that are not UTF-8 JSON objects", async ({ verify, k1, sign, jwks1 }) => {
  const [h, p] = (await sign(k1, claimsAt())).split(".");
  const notObjects = ["null", "[]", "\"EdDSA\"", "42", "{", "{\"alg\":\"EdDSA\",}", ""];
  for (const text of notObjects) {
    expectVerdict(await verify(`${jsonSegment(text)}.${p}.AAAA`, { jwks: jwks1, now: NOW_MS }), false, "malformed", null);
    expectVerdict(await verify(`${h}.${jsonSegment(text)}.AAAA`, { jwks: jwks1, now: NOW_MS }), false, "malformed", null);
  }
  const invalidUtf8 = base64url(new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])); // {"\xff\xfe"}
  expectVerdict(await verify(`${invalidUtf8}.${p}.AAAA`, { jwks: jwks1, now: NOW_MS }), false, "malformed", null);
  return `${notObjects.length * 2 + 1} inputs`;
});

test("malformed: missing or ill-typed claims, even with a good signature", async ({ verify, k1, sign, jwks1 }) => {
  const bad = [
    { sub: undefined }, { sub: 5 }, { sub: "" },
    { product_id: undefined }, { product_id: 123 }, { product_id: "" },
    { instance_id: 7 }, { instance_id: {} }, { instance_id: "" },
    // device: a non-empty string, and only on a token that names an instance.
    { device: "" }, { device: 5 }, { device: null }, { device: [DEVICE] },
    { instance_id: undefined, device: DEVICE }, { instance_id: null, device: DEVICE },
    // iss: absent or a non-empty string.
    { iss: "" }, { iss: null }, { iss: 1 }, { iss: [ISSUER] },
    { valid: undefined }, { valid: "true" }, { valid: 1 },
    { reason: undefined }, { reason: "" }, { reason: null },
    { iat: undefined }, { iat: "1800000000" }, { iat: T + 0.5 }, { iat: -1 },
    { exp: undefined }, { exp: String(T + 3600) }, { exp: 1e300 }, { exp: null },
    // A refusal that claims to be "ok" would fool apps that test only `reason`.
    { valid: false, reason: "ok" },
  ];
  for (const over of bad) {
    const r = await verify(await sign(k1, claimsAt(over)), { jwks: jwks1, now: NOW_MS });
    try {
      expectVerdict(r, false, "malformed", null);
    } catch (e) {
      throw new CaseFailure(`${JSON.stringify(over)}: ${e.message}`);
    }
  }
  return `${bad.length} claim sets refused`;
});

test("malformed: header kid not a string, crit present", async ({ verify, k1, sign, jwks1 }) => {
  for (const header of [{ alg: "EdDSA", kid: 1 }, { alg: "EdDSA", kid: [k1.kid] }, { alg: "EdDSA", kid: k1.kid, crit: ["exp"], exp: 1 }, { alg: "EdDSA", kid: k1.kid, b64: false, crit: ["b64"] }]) {
    expectVerdict(await verify(await sign(k1, claimsAt(), { header }), { jwks: jwks1, now: NOW_MS }), false, "malformed", null);
  }
  return "4 headers refused";
});

// ---- time ----------------------------------------------------------------------------------

test("expired: now >= exp (seconds; the boundary second is expired)", async ({ verify, k1, sign, jwks1 }) => {
  const claims = claimsAt();
  const token = await sign(k1, claims);
  const exp = claims.exp * 1000;
  expectVerdict(await verify(token, { jwks: jwks1, now: exp - 1 }), true, "ok", claims);
  expectVerdict(await verify(token, { jwks: jwks1, now: exp }), false, "expired", claims);
  return expectVerdict(await verify(token, { jwks: jwks1, now: exp + 86_400_000 }), false, "expired", claims);
});

test("not_yet_valid: iat more than 60 s ahead of now", async ({ verify, k1, sign, jwks1 }) => {
  const at60 = claimsAt({ iat: T + 60 });
  const at61 = claimsAt({ iat: T + 61 });
  expectVerdict(await verify(await sign(k1, at60), { jwks: jwks1, now: NOW_MS }), true, "ok", at60);
  return expectVerdict(await verify(await sign(k1, at61), { jwks: jwks1, now: NOW_MS }), false, "not_yet_valid", at61);
});

test("now as a Date and as milliseconds give the same verdicts", async ({ verify, k1, sign, jwks1 }) => {
  const claims = claimsAt();
  const token = await sign(k1, claims);
  expectVerdict(await verify(token, { jwks: jwks1, now: new Date(NOW_MS) }), true, "ok", claims);
  expectVerdict(await verify(token, { jwks: jwks1, now: NOW_MS }), true, "ok", claims);
  expectVerdict(await verify(token, { jwks: jwks1, now: new Date((T + 3600) * 1000) }), false, "expired", claims);
  return expectVerdict(await verify(token, { jwks: jwks1, now: (T + 3600) * 1000 }), false, "expired", claims);
});

test("now defaults to the current time", async ({ verify, k1, sign, jwks1 }) => {
  const t = Math.floor(Date.now() / 1000);
  const fresh = claimsAt({ iat: t, exp: t + 300 });
  const stale = claimsAt({ iat: t - 600, exp: t - 300 });
  expectVerdict(await verify(await sign(k1, fresh), { jwks: jwks1 }), true, "ok", fresh);
  return expectVerdict(await verify(await sign(k1, stale), { jwks: jwks1 }), false, "expired", stale);
});

// ---- product, license, verdicts from the Worker --------------------------------------------

test("productId: same product → ok, other product → wrong_product", async ({ verify, k1, sign, jwks1 }) => {
  const claims = claimsAt();
  const token = await sign(k1, claims);
  expectVerdict(await verify(token, { jwks: jwks1, now: NOW_MS, productId: PRODUCT }), true, "ok", claims);
  return expectVerdict(await verify(token, { jwks: jwks1, now: NOW_MS, productId: "SW5rd2VsbC1QbHVnaW4tMjQ=" }), false, "wrong_product", claims);
});

test("licenseKey: normalised match → ok, other key → wrong_license", async ({ verify, k1, sign, jwks1 }) => {
  const claims = claimsAt();
  const token = await sign(k1, claims);
  for (const licenseKey of [LICENSE_KEY, `  ${LICENSE_KEY.toLowerCase()}\n`, `\t${LICENSE_KEY} `]) {
    expectVerdict(await verify(token, { jwks: jwks1, now: NOW_MS, licenseKey }), true, "ok", claims);
  }
  expectVerdict(await verify(token, { jwks: jwks1, now: NOW_MS, licenseKey: "DEC0DE00-00000000-00000000-00000002" }), false, "wrong_license", claims);
  return expectVerdict(await verify(token, { jwks: jwks1, now: NOW_MS, licenseKey: "" }), false, "wrong_license", claims);
});

test("instanceId: same instance → ok, other instance → wrong_instance, none → unbound (wrong_instance with allowUnbound)", async ({ verify, k1, sign, jwks1 }) => {
  const claims = claimsAt();
  const token = await sign(k1, claims);
  expectVerdict(await verify(token, { jwks: jwks1, now: NOW_MS, instanceId: "inst-1" }), true, "ok", claims);
  expectVerdict(await verify(token, { jwks: jwks1, now: NOW_MS, instanceId: "inst-2" }), false, "wrong_instance", claims);
  expectVerdict(await verify(token, { jwks: jwks1, now: NOW_MS, instanceId: "inst-2", allowUnbound: true }), false, "wrong_instance", claims);
  expectVerdict(await verify(token, { jwks: jwks1, now: NOW_MS, instanceId: "" }), false, "wrong_instance", claims);
  const unbound = claimsAt({ instance_id: undefined });
  const unboundToken = await sign(k1, unbound);
  expectVerdict(await verify(unboundToken, { jwks: jwks1, now: NOW_MS, instanceId: "inst-1" }), false, "unbound", unbound);
  return expectVerdict(await verify(unboundToken, { jwks: jwks1, now: NOW_MS, instanceId: "inst-1", allowUnbound: true }), false, "wrong_instance", unbound);
});

test("allowUnbound: true still accepts a bound token, and binds nothing by itself", async ({ verify, k1, sign, jwks1 }) => {
  const claims = claimsAt();
  const token = await sign(k1, claims);
  expectVerdict(await verify(token, { jwks: jwks1, now: NOW_MS, allowUnbound: true }), true, "ok", claims);
  return expectVerdict(await verify(token, { jwks: jwks1, now: NOW_MS, allowUnbound: true, instanceId: "inst-1", fingerprint: FINGERPRINT }), true, "ok", claims);
});

test("fingerprint: this device → ok (trimmed), another device → wrong_device", async ({ verify, k1, sign, jwks1 }) => {
  const claims = claimsAt();
  const token = await sign(k1, claims);
  for (const fingerprint of [FINGERPRINT, `  ${FINGERPRINT}\n`, `\t${FINGERPRINT}`]) {
    expectVerdict(await verify(token, { jwks: jwks1, now: NOW_MS, fingerprint }), true, "ok", claims);
  }
  // The fingerprint is compared through its hash, exactly: no case folding, no inner spaces.
  for (const fingerprint of [OTHER_FINGERPRINT, FINGERPRINT.toUpperCase(), `${FINGERPRINT} x`, DEVICE]) {
    expectVerdict(await verify(token, { jwks: jwks1, now: NOW_MS, fingerprint }), false, "wrong_device", claims);
  }
  const other = claimsAt({ device: OTHER_DEVICE });
  expectVerdict(await verify(await sign(k1, other), { jwks: jwks1, now: NOW_MS, fingerprint: OTHER_FINGERPRINT }), true, "ok", other);
  return expectVerdict(await verify(await sign(k1, other), { jwks: jwks1, now: NOW_MS, fingerprint: FINGERPRINT }), false, "wrong_device", other);
});

test("fingerprint: a token without device (an older Worker, or unbound) → wrong_device", async ({ verify, k1, sign, jwks1 }) => {
  const noDevice = claimsAt({ device: undefined });
  expectVerdict(await verify(await sign(k1, noDevice), { jwks: jwks1, now: NOW_MS }), true, "ok", noDevice);
  expectVerdict(await verify(await sign(k1, noDevice), { jwks: jwks1, now: NOW_MS, fingerprint: FINGERPRINT }), false, "wrong_device", noDevice);
  const unbound = claimsAt({ instance_id: undefined });
  return expectVerdict(await verify(await sign(k1, unbound), { jwks: jwks1, now: NOW_MS, fingerprint: FINGERPRINT, allowUnbound: true }), false, "wrong_device", unbound);
});

test("fingerprint: the device hash is salted with sub (another license's device for the same machine differs)", async ({ verify, k1, sign, jwks1 }) => {
  // The same machine under another license key: its device hash is not DEVICE.
  const emptyKeyClaims = claimsAt({ sub: EMPTY_SUB });
  expectVerdict(await verify(await sign(k1, emptyKeyClaims), { jwks: jwks1, now: NOW_MS, fingerprint: FINGERPRINT }), false, "wrong_device", emptyKeyClaims);
  return "DEVICE is bound to its license";
});

test("deviceHash: SHA-256 vectors, trimming, never the fingerprint itself", async ({ deviceHash }) => {
  check((await deviceHash(LICENSE_KEY_SUB, FINGERPRINT)) === DEVICE, "device vector");
  check((await deviceHash(LICENSE_KEY_SUB, ` ${FINGERPRINT}\r\n`)) === DEVICE, "trimmed vector");
  check((await deviceHash(LICENSE_KEY_SUB, OTHER_FINGERPRINT)) === OTHER_DEVICE, "other vector");
  // Non-ASCII fingerprints are hashed as UTF-8; an empty sub is still a sub.
  check((await deviceHash(LICENSE_KEY_SUB, "ü-héllo")) === "O0DTtt9lqxPl1odXpGLmC-RNKyCOnIEILiC0HI31BcY", "UTF-8 vector");
  check((await deviceHash("", "x")) === "u-VtfC0PH3Jx62-CmABZigocWlTwnLScR2B-BpivfW8", "empty-sub vector");
  const h = await deviceHash(LICENSE_KEY_SUB, FINGERPRINT);
  check(/^[A-Za-z0-9_-]{43}$/.test(h) && !h.includes("machine"), `shape: ${h}`);
  return h;
});

test("issuer: exact match → ok; another, a near miss or none → wrong_issuer; not asked → not checked", async ({ verify, k1, sign, jwks1 }) => {
  const claims = claimsAt();
  const token = await sign(k1, claims);
  expectVerdict(await verify(token, { jwks: jwks1, now: NOW_MS, issuer: ISSUER }), true, "ok", claims);
  for (const issuer of [`${ISSUER}/`, ISSUER.toUpperCase(), "https://license.example.com:443", "http://license.example.com", "https://staging.example.com", ""]) {
    expectVerdict(await verify(token, { jwks: jwks1, now: NOW_MS, issuer }), false, "wrong_issuer", claims);
  }
  const noIss = claimsAt({ iss: undefined });
  expectVerdict(await verify(await sign(k1, noIss), { jwks: jwks1, now: NOW_MS }), true, "ok", noIss);
  expectVerdict(await verify(await sign(k1, noIss), { jwks: jwks1, now: NOW_MS, issuer: ISSUER }), false, "wrong_issuer", noIss);
  const staging = claimsAt({ iss: "https://staging.example.com" });
  return expectVerdict(await verify(await sign(k1, staging), { jwks: jwks1, now: NOW_MS }), true, "ok", staging);
});

test("all bindings at once: product, license, instance, device and issuer → ok", async ({ verify, k1, sign, jwks1 }) => {
  const claims = claimsAt();
  const opts = { jwks: jwks1, now: NOW_MS, productId: PRODUCT, licenseKey: LICENSE_KEY, instanceId: "inst-1", fingerprint: FINGERPRINT, issuer: ISSUER };
  return expectVerdict(await verify(await sign(k1, claims), opts), true, "ok", claims);
});

test("licenseKeyHash: SHA-256 vectors, normalisation, never the key itself", async ({ licenseKeyHash }) => {
  check((await licenseKeyHash(LICENSE_KEY)) === LICENSE_KEY_SUB, "key vector");
  check((await licenseKeyHash(` ${LICENSE_KEY.toLowerCase()}\r\n`)) === LICENSE_KEY_SUB, "normalised vector");
  check((await licenseKeyHash("")) === EMPTY_SUB, "empty vector");
  check((await licenseKeyHash("   ")) === EMPTY_SUB, "blank vector");
  const h = await licenseKeyHash(LICENSE_KEY);
  check(/^[A-Za-z0-9_-]{43}$/.test(h) && !h.includes("DEC0DE"), `shape: ${h}`);
  return h;
});

test("valid:false claims return their reason (with the verified claims)", async ({ verify, k1, sign, jwks1 }) => {
  for (const reason of ["refunded", "unknown_instance", "chargebacked", "subscription_ended"]) {
    const claims = claimsAt({ valid: false, reason });
    const token = await sign(k1, claims);
    expectVerdict(await verify(token, { jwks: jwks1, now: NOW_MS }), false, reason, claims);
    expectVerdict(await verify(token, { jwks: jwks1, now: NOW_MS, productId: PRODUCT, licenseKey: LICENSE_KEY }), false, reason, claims);
  }
  return "4 reasons";
});

// ---- order of checks -----------------------------------------------------------------------

test("order: malformed before alg, alg before key, key before signature", async ({ verify, k1, k2, sign, jwks1 }) => {
  const badClaimsNone = `${jsonSegment({ alg: "none" })}.${jsonSegment(claimsAt({ exp: "soon" }))}.`;
  expectVerdict(await verify(badClaimsNone, { jwks: jwks1, now: NOW_MS }), false, "malformed", null);
  const noneUnknownKid = `${jsonSegment({ alg: "none", kid: "nobody" })}.${jsonSegment(claimsAt())}.`;
  expectVerdict(await verify(noneUnknownKid, { jwks: jwks1, now: NOW_MS }), false, "unsupported_alg", null);
  const [h, p] = (await sign(k2, claimsAt())).split(".");
  return expectVerdict(await verify(`${h}.${p}.AAAA`, { jwks: jwks1, now: NOW_MS }), false, "unknown_key", null);
});

test("order: signature before time, time before product, product before license, license before verdict", async ({ verify, k1, k2, sign, jwks1 }) => {
  const expiredOtherProduct = claimsAt({ exp: T - 1, product_id: "other" });
  expectVerdict(await verify(await sign(k2, expiredOtherProduct, { header: { alg: "EdDSA", kid: k1.kid } }), { jwks: jwks1, now: NOW_MS }), false, "bad_signature", null);
  expectVerdict(await verify(await sign(k1, expiredOtherProduct), { jwks: jwks1, now: NOW_MS, productId: PRODUCT }), false, "expired", expiredOtherProduct);
  const early = claimsAt({ iat: T + 600, product_id: "other" });
  expectVerdict(await verify(await sign(k1, early), { jwks: jwks1, now: NOW_MS, productId: PRODUCT }), false, "not_yet_valid", early);
  const refundedOther = claimsAt({ valid: false, reason: "refunded", product_id: "other", sub: EMPTY_SUB });
  const token = await sign(k1, refundedOther);
  expectVerdict(await verify(token, { jwks: jwks1, now: NOW_MS, productId: PRODUCT, licenseKey: LICENSE_KEY }), false, "wrong_product", refundedOther);
  expectVerdict(await verify(token, { jwks: jwks1, now: NOW_MS, productId: "other", licenseKey: LICENSE_KEY }), false, "wrong_license", refundedOther);
  return expectVerdict(await verify(token, { jwks: jwks1, now: NOW_MS, productId: "other", licenseKey: "" }), false, "refunded", refundedOther);
});

test("order: time before issuer, issuer before product", async ({ verify, k1, sign, jwks1 }) => {
  const opts = { jwks: jwks1, now: NOW_MS, issuer: "https://other.example", productId: "other" };
  const expired = claimsAt({ exp: T - 1 });
  expectVerdict(await verify(await sign(k1, expired), opts), false, "expired", expired);
  const early = claimsAt({ iat: T + 600 });
  expectVerdict(await verify(await sign(k1, early), opts), false, "not_yet_valid", early);
  const claims = claimsAt();
  expectVerdict(await verify(await sign(k1, claims), opts), false, "wrong_issuer", claims);
  return expectVerdict(await verify(await sign(k1, claims), { ...opts, issuer: ISSUER }), false, "wrong_product", claims);
});

test("order: license before unbound, unbound before instance, instance before device, device before verdict", async ({ verify, k1, sign, jwks1 }) => {
  const base = { jwks: jwks1, now: NOW_MS, productId: PRODUCT, issuer: ISSUER };
  // Unbound and refunded, for another key: the key is checked first, then the missing seat.
  const unboundRefunded = claimsAt({ instance_id: undefined, valid: false, reason: "refunded" });
  const t1 = await sign(k1, unboundRefunded);
  expectVerdict(await verify(t1, { ...base, licenseKey: "other key", instanceId: "inst-1", fingerprint: FINGERPRINT }), false, "wrong_license", unboundRefunded);
  expectVerdict(await verify(t1, { ...base, licenseKey: LICENSE_KEY, instanceId: "inst-1", fingerprint: FINGERPRINT }), false, "unbound", unboundRefunded);
  // `unbound` comes before the Worker's reason even when no other binding is asked for.
  expectVerdict(await verify(t1, { jwks: jwks1, now: NOW_MS }), false, "unbound", unboundRefunded);
  expectVerdict(await verify(t1, { jwks: jwks1, now: NOW_MS, allowUnbound: true }), false, "refunded", unboundRefunded);
  // Bound to another instance on another device, refunded.
  const elsewhere = claimsAt({ instance_id: "inst-2", device: OTHER_DEVICE, valid: false, reason: "refunded" });
  const t2 = await sign(k1, elsewhere);
  expectVerdict(await verify(t2, { ...base, licenseKey: LICENSE_KEY, instanceId: "inst-1", fingerprint: FINGERPRINT }), false, "wrong_instance", elsewhere);
  expectVerdict(await verify(t2, { ...base, licenseKey: LICENSE_KEY, instanceId: "inst-2", fingerprint: FINGERPRINT }), false, "wrong_device", elsewhere);
  return expectVerdict(await verify(t2, { ...base, licenseKey: LICENSE_KEY, instanceId: "inst-2", fingerprint: OTHER_FINGERPRINT }), false, "refunded", elsewhere);
});

test("the new options never make a bad token reject: malformed, forged and unsigned stay verdicts", async ({ verify, k1, k2, sign, jwks1 }) => {
  const opts = { jwks: jwks1, now: NOW_MS, productId: PRODUCT, licenseKey: LICENSE_KEY, instanceId: "inst-1", fingerprint: FINGERPRINT, issuer: ISSUER, allowUnbound: false };
  expectVerdict(await verify("a.b.c", opts), false, "malformed", null);
  expectVerdict(await verify(undefined, opts), false, "malformed", null);
  const forged = await sign(k2, claimsAt(), { header: { alg: "EdDSA", kid: k1.kid } });
  expectVerdict(await verify(forged, opts), false, "bad_signature", null);
  const none = `${jsonSegment({ alg: "none", kid: k1.kid })}.${jsonSegment(claimsAt())}.`;
  return expectVerdict(await verify(none, opts), false, "unsupported_alg", null);
});

// ---- programmer errors ---------------------------------------------------------------------

test("programmer errors reject with TypeError; bad tokens never reject", async ({ verify, licenseKeyHash, k1, jwks1 }) => {
  const details = [
    await expectTypeError(verify("a.b.c"), "no options"),
    await expectTypeError(verify("a.b.c", {}), "neither jwks nor publicKey"),
    await expectTypeError(verify("a.b.c", { now: NOW_MS }), "only now"),
    await expectTypeError(verify("a.b.c", { jwks: {} }), "jwks without keys"),
    await expectTypeError(verify("a.b.c", { jwks: [k1.jwk] }), "jwks as an array"),
    await expectTypeError(verify("a.b.c", { publicKey: "x" }), "publicKey as a string"),
    await expectTypeError(verify("a.b.c", { jwks: jwks1, now: "yesterday" }), "now as a string"),
    await expectTypeError(verify("a.b.c", { jwks: jwks1, now: new Date("nope") }), "invalid Date"),
    await expectTypeError(verify("a.b.c", { jwks: jwks1, now: NaN }), "NaN"),
    await expectTypeError(verify("a.b.c", { jwks: jwks1, productId: 42 }), "productId as a number"),
    await expectTypeError(verify("a.b.c", { jwks: jwks1, licenseKey: null }), "licenseKey null"),
    await expectTypeError(licenseKeyHash(undefined), "licenseKeyHash(undefined)"),
  ];
  return `${details.length} TypeErrors`;
});

test("programmer errors in the device, issuer and unbound options reject with TypeError, never echoing the value", async ({ verify, deviceHash, k1, sign, jwks1 }) => {
  const token = await sign(k1, claimsAt());
  const secretish = "  fp-SECRET-1234  ";
  const details = [
    await expectTypeError(verify(token, { jwks: jwks1, fingerprint: 42 }), "fingerprint as a number"),
    await expectTypeError(verify(token, { jwks: jwks1, fingerprint: null }), "fingerprint null"),
    await expectTypeError(verify(token, { jwks: jwks1, fingerprint: "" }), "empty fingerprint"),
    await expectTypeError(verify(token, { jwks: jwks1, fingerprint: " \t\n" }), "blank fingerprint"),
    await expectTypeError(verify(token, { jwks: jwks1, fingerprint: () => FINGERPRINT }), "fingerprint as a function"),
    await expectTypeError(verify(token, { jwks: jwks1, issuer: 42 }), "issuer as a number"),
    await expectTypeError(verify(token, { jwks: jwks1, issuer: null }), "issuer null"),
    await expectTypeError(verify(token, { jwks: jwks1, issuer: new URL(ISSUER) }), "issuer as a URL"),
    await expectTypeError(verify(token, { jwks: jwks1, allowUnbound: "true" }), "allowUnbound as a string"),
    await expectTypeError(verify(token, { jwks: jwks1, allowUnbound: 1 }), "allowUnbound as a number"),
    await expectTypeError(verify(token, { jwks: jwks1, allowUnbound: null }), "allowUnbound null"),
    await expectTypeError(deviceHash(LICENSE_KEY_SUB, ""), "deviceHash with an empty fingerprint"),
    await expectTypeError(deviceHash(LICENSE_KEY_SUB, undefined), "deviceHash without a fingerprint"),
    await expectTypeError(deviceHash(undefined, FINGERPRINT), "deviceHash without sub"),
    await expectTypeError(deviceHash(7, FINGERPRINT), "deviceHash with a numeric sub"),
  ];
  // The programmer error comes first even for a token that would be malformed.
  details.push(await expectTypeError(verify("garbage", { jwks: jwks1, allowUnbound: "no" }), "allowUnbound with a garbage token"));
  for (const d of details) check(!d.includes("SECRET") && !d.includes("42"), `a message echoes a value: ${d}`);
  await expectTypeError(verify(token, { jwks: jwks1, fingerprint: { toString: () => secretish } }), "fingerprint as an object").then((d) => check(!d.includes("SECRET"), d));
  return `${details.length} TypeErrors`;
});

/** Names of all cases, so a runner can check that a runtime ran every one of them. */
export const TOKEN_CASE_NAMES = cases.map((c) => c.name);

/**
 * Runs every case against `verifyLicenseToken` / `licenseKeyHash` / `deviceHash` with the runtime's WebCrypto
 * (`crypto`, used for the test's own keys and signatures). Resolves to [{name, ok, detail}].
 */
export async function runTokenCases({ verifyLicenseToken, licenseKeyHash, deviceHash, crypto }) {
  const k1 = await newSigningKey(crypto);
  const k2 = await newSigningKey(crypto);
  const ctx = {
    crypto,
    k1,
    k2,
    jwks1: { keys: [k1.jwk] },
    verify: verifyLicenseToken,
    licenseKeyHash,
    deviceHash,
    sign: (key, claims, opts) => signToken(crypto, key, claims, opts),
  };
  const results = [];
  for (const { name, fn } of cases) {
    try {
      results.push({ name, ok: true, detail: String((await fn(ctx)) ?? "") });
    } catch (e) {
      results.push({ name, ok: false, detail: e instanceof CaseFailure ? e.message : `${e?.name}: ${e?.message}\n${e?.stack ?? ""}` });
    }
  }
  return results;
}
