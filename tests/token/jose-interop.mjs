// Checks tokens with jose (an independent JOSE implementation) instead of our verifier, so the
// Worker's tokens and ours are known to be standard JWS/JWT and not merely self-consistent.
// Node only (jose is a devDependency).
import { createLocalJWKSet, jwtVerify } from "jose";

/**
 * jose's verdict on `token` against `jwks` ({keys: [...]}) with only EdDSA allowed. Resolves to
 * `{ payload, protectedHeader }`; rejects with jose's error otherwise. `options` goes to
 * jwtVerify (e.g. `{ currentDate }` for tokens signed at a fixed time).
 */
export function joseVerify(token, jwks, options = {}) {
  return jwtVerify(token, createLocalJWKSet(jwks), { algorithms: ["EdDSA"], ...options });
}

/** true when jose accepts `token` against `jwks` (signature, kid, exp and iat checks), else false. */
export async function joseVerifies(token, jwks, options = {}) {
  try {
    await joseVerify(token, jwks, options);
    return true;
  } catch {
    return false;
  }
}
