/** Answers one Worker request (license verify/activate, health, CORS preflight). Never rejects. */
export declare function handleRequest(request: Request, env: Record<string, unknown>, ctx?: unknown): Promise<Response>;
declare const worker: {
  fetch(request: Request, env: Record<string, unknown>, ctx?: unknown): Promise<Response>;
};
export default worker;
