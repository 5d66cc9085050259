// An in-process stand-in of the license Worker for the LicenseClient cases: a `fetch` function
// implementing the four routes the client uses, with its own Ed25519 key and the token claims of
// the Worker's contract ({ sub, product_id, instance_id?, device?, valid, reason, iss, iat, exp }).
// Plain JS on WebCrypto, so it runs unchanged in Node and Chromium. It hashes keys and devices
// itself (not with the package's helpers) and signs with tests/token's separate signer, so a bug
// shared with the client cannot hide itself.
//
// Knobs: `next(...)` queues one-shot behaviours for the next requests (unreachable, hang, a
// fixed answer), `tokens` drops, forges or garbles tokens, `claims` rewrites what it signs,
// `skewMs` sets its clock apart from the client's, and licenses can be refunded or lose
// instances behind the client's back.
import { base64url, newSigningKey, signToken } from "../token/cases.mjs";

export const ROUTES = ["/v1/licenses/activate", "/v1/licenses/verify", "/v1/licenses/deactivate", "/v1/licenses/instances"];

const enc = new TextEncoder();

async function sha256(crypto, text) {
  return base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", enc.encode(text))));
}

function headerOf(headers, name) {
  if (!headers) return null;
  if (typeof headers.get === "function") return headers.get(name);
  const found = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return found === undefined ? null : headers[found];
}

function json(status, body, headers = {}) {
  return new Response(typeof body === "string" ? body : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/**
 * A stand-in Worker at `base` (no trailing slash). `clock.ms` is the client's clock; the
 * stand-in's own is `clock.ms + skewMs`.
 */
export async function createStandIn(crypto, { base, clock, issuer = base, graceSeconds = 7 * 86400 }) {
  const key = await newSigningKey(crypto);
  const forger = await newSigningKey(crypto);
  const licenses = new Map();
  let instanceCounter = 0;
  const queue = [];

  const w = {
    key,
    /** The JWKS an app would compile in. */
    jwks: { keys: [key.jwk] },
    /** Another key pair, for tokens signed by someone else. */
    forger,
    issuer,
    graceSeconds,
    skewMs: 0,
    /** "sign" | "drop" | "forge" (another key under our kid) | "garble" */
    tokens: "sign",
    /** When set, rewrites the claims before signing (return the claims to sign). */
    claims: null,
    /** Every request: { url, method, contentType, body, signal }. */
    requests: [],
    /** Requests to anything but the four routes under `base`. */
    offRoute: [],
    /** How many hanging requests saw their signal abort. */
    aborted: 0,

    nowSeconds: () => Math.floor((clock.ms + w.skewMs) / 1000),
    sub: (licenseKey) => sha256(crypto, licenseKey.trim().toUpperCase()),
    // Trimmed of ASCII whitespace only, as the Worker trims fingerprints.
    device: async (licenseKey, fingerprint) => sha256(crypto, `${await w.sub(licenseKey)}\n${fingerprint.replace(/^[ \t\n\f\r]+|[ \t\n\f\r]+$/g, "")}`),

    addLicense(licenseKey, { productId, maxSeats = 2, status = "ok" }) {
      const lic = { productId, maxSeats, status, instances: new Map() };
      licenses.set(licenseKey.trim().toUpperCase(), lic);
      return lic;
    },
    license: (licenseKey) => licenses.get(licenseKey.trim().toUpperCase()),

    /**
     * Queues behaviours for the next requests, one each: "unreachable" (fetch rejects),
     * { hang: true, honourAbort } (never answers), { delayMs } (answers normally, late),
     * { status, body, headers } (that answer).
     */
    next(...behaviours) {
      queue.push(...behaviours);
    },

    /** Signs `claims` in the Worker's member order, as `tokens` and `claims` say. */
    async mint(c) {
      const ordered = {
        sub: c.sub,
        product_id: c.product_id,
        ...(c.instance_id === undefined ? {} : { instance_id: c.instance_id, device: c.device }),
        valid: c.valid,
        reason: c.reason,
        iss: w.issuer,
        iat: w.nowSeconds(),
        exp: w.nowSeconds() + w.graceSeconds,
        // Like the Worker, the request's nonce is signed into its answer's token.
        ...(w.nonce === undefined ? {} : { nonce: w.nonce }),
      };
      const claims = w.claims ? w.claims(ordered) : ordered;
      if (w.tokens === "drop") return undefined;
      if (w.tokens === "garble") return "not.a.token";
      if (w.tokens === "forge") return signToken(crypto, { ...forger, kid: key.kid }, claims);
      return signToken(crypto, key, claims);
    },

    fetch: async (input, init = {}) => {
      const url = String(input);
      let body = null;
      try {
        body = JSON.parse(init.body);
      } catch {
        body = null;
      }
      w.requests.push({ url, method: init.method, contentType: headerOf(init.headers, "content-type"), body, signal: init.signal });
      const route = url.startsWith(base) ? url.slice(base.length) : null;
      if (!ROUTES.includes(route) || init.method !== "POST") {
        w.offRoute.push(`${init.method} ${url}`);
        return json(404, { error: { code: "not_found", message: "no such route" } });
      }
      const behaviour = queue.shift();
      if (behaviour === "unreachable") throw new TypeError("fetch failed");
      if (behaviour?.hang) {
        return new Promise((_, reject) => {
          if (!behaviour.honourAbort) return;
          init.signal?.addEventListener("abort", () => {
            w.aborted++;
            reject(new DOMException("The operation was aborted.", "AbortError"));
          });
        });
      }
      if (behaviour?.delayMs) await new Promise((r) => setTimeout(r, behaviour.delayMs));
      if (behaviour?.status) return json(behaviour.status, behaviour.body ?? "", behaviour.headers);
      if (headerOf(init.headers, "content-type") !== "application/json" || !body) {
        return json(415, { error: { code: "unsupported_media_type", message: "JSON only" } });
      }
      w.nonce = typeof body.nonce === "string" ? body.nonce : undefined;
      return handlers[route](body);
    },
  };

  const answer = async (status, fields, claims) => {
    const token = claims ? await w.mint(claims) : undefined;
    return json(status, token === undefined ? fields : { ...fields, token });
  };

  const handlers = {
    async "/v1/licenses/activate"(b) {
      const lic = licenses.get(String(b.license_key).trim().toUpperCase());
      if (!lic || lic.productId !== b.product_id) return json(200, { valid: false, reason: "not_found" });
      const sub = await w.sub(b.license_key);
      if (lic.status !== "ok") {
        return answer(200, { valid: false, reason: lic.status, uses: lic.instances.size, product_id: lic.productId }, { sub, product_id: lic.productId, valid: false, reason: lic.status });
      }
      const device = await w.device(b.license_key, b.fingerprint);
      let inst = [...lic.instances.values()].find((i) => i.device === device);
      if (!inst) {
        if (lic.instances.size >= lic.maxSeats) {
          return json(
            409,
            { error: { code: "activation_limit_reached", message: "every seat is in use", limit: lic.maxSeats, active: lic.instances.size, retry_after: 3600 } },
            { "retry-after": "3600" },
          );
        }
        inst = { id: `inst_${++instanceCounter}`, name: b.instance_name ?? null, activated_at: new Date(w.nowSeconds() * 1000).toISOString(), device };
        lic.instances.set(inst.id, inst);
      }
      return answer(
        200,
        { valid: true, reason: "ok", uses: lic.instances.size, product_id: lic.productId, instance: { id: inst.id, name: inst.name, activated_at: inst.activated_at } },
        { sub, product_id: lic.productId, instance_id: inst.id, device, valid: true, reason: "ok" },
      );
    },

    async "/v1/licenses/verify"(b) {
      const lic = licenses.get(String(b.license_key).trim().toUpperCase());
      if (!lic || lic.productId !== b.product_id) return json(200, { valid: false, reason: "not_found" });
      const sub = await w.sub(b.license_key);
      const inst = lic.instances.get(b.instance_id);
      const fields = { uses: lic.instances.size, product_id: lic.productId, instance_id: b.instance_id };
      // Like the Worker, a seat refusal is signed for the asking device and the named instance.
      const asking = { sub, product_id: lic.productId, instance_id: b.instance_id, device: await w.device(b.license_key, String(b.fingerprint)) };
      if (!inst) return answer(200, { valid: false, reason: "unknown_instance", ...fields }, { ...asking, valid: false, reason: "unknown_instance" });
      const bound = { sub, product_id: lic.productId, instance_id: inst.id, device: inst.device };
      if (asking.device !== inst.device) {
        return answer(200, { valid: false, reason: "wrong_device", ...fields }, { ...asking, valid: false, reason: "wrong_device" });
      }
      if (lic.status !== "ok") return answer(200, { valid: false, reason: lic.status, ...fields }, { ...bound, valid: false, reason: lic.status });
      return answer(200, { valid: true, reason: "ok", ...fields }, { ...bound, valid: true, reason: "ok" });
    },

    async "/v1/licenses/deactivate"(b) {
      const lic = licenses.get(String(b.license_key).trim().toUpperCase());
      if (!lic || lic.productId !== b.product_id || !lic.instances.delete(b.instance_id)) {
        return json(404, { error: { code: "unknown_instance", message: "no such instance" } });
      }
      return json(200, { deactivated: true, uses: lic.instances.size });
    },

    async "/v1/licenses/instances"(b) {
      const lic = licenses.get(String(b.license_key).trim().toUpperCase());
      if (!lic || lic.productId !== b.product_id) return json(404, { error: { code: "not_found", message: "no such license" } });
      const instances = [...lic.instances.values()].map(({ id, name, activated_at }) => ({ id, name, activated_at }));
      return json(200, { product_id: lic.productId, instances, max_uses_per_seat: lic.maxSeats });
    },
  };

  return w;
}
