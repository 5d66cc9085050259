/** Answers one Worker request (license routes, ping, JWKS, health, CORS preflight). Never rejects. */
export declare function handleRequest(request: Request, env: Record<string, unknown>, ctx?: unknown): Promise<Response>;
declare const worker: {
  fetch(request: Request, env: Record<string, unknown>, ctx?: unknown): Promise<Response>;
};
export default worker;

/**
 * The per-license Durable Object (bind it as `LICENSE_LEDGER`, with a migration, in
 * wrangler.toml). It holds a license's instances and revocation and runs its seat changes one at
 * a time.
 */
export declare class LicenseLedger {
  constructor(state: unknown, env: Record<string, unknown>);
  fetch(request: Request): Promise<Response>;
}
