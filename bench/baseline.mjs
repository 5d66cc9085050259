// The baseline: a small hand-written Gumroad client doing what typical snippets do (form body,
// Bearer header, JSON.parse, a `success` check), for the same calls the benchmark measures.
// No retries, no typed errors, no redaction, no pagination guard: the comparison shows what
// those cost.
export class BaselineClient {
  constructor({ accessToken, baseUrl = "https://api.gumroad.com/v2", fetch = globalThis.fetch } = {}) {
    this.token = accessToken;
    this.base = baseUrl;
    this.fetch = fetch;
  }

  async request(method, path, params = {}) {
    const body = new URLSearchParams(params).toString();
    const get = method === "GET";
    const headers = { "content-type": "application/x-www-form-urlencoded" };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const res = await this.fetch(get && body ? `${this.base}${path}?${body}` : `${this.base}${path}`, {
      method,
      headers,
      body: get ? undefined : body,
    });
    const data = JSON.parse(await res.text());
    if (!data.success) throw new Error(data.message || `HTTP ${res.status}`);
    return data;
  }

  verifyLicense(params) {
    return this.request("POST", "/licenses/verify", params);
  }

  listSales(params) {
    return this.request("GET", "/sales", params);
  }

  listProducts() {
    return this.request("GET", "/products");
  }

  /** Flat form decoding, as most snippets do (bracket keys stay flat). */
  parsePing(body) {
    return Object.fromEntries(new URLSearchParams(body));
  }
}

/** The floor: raw fetch + JSON.parse, no checks at all. */
export async function floorCall(fetchImpl, url, init) {
  const res = await fetchImpl(url, init);
  return JSON.parse(await res.text());
}

/** Typed errors as the featured baseline raises them (one class, a `code` like ours). */
export class BaselineError extends Error {
  constructor(code, message, status) {
    super(message);
    this.name = "BaselineError";
    this.code = code;
    this.status = status;
  }
}

const codeFor = (status) =>
  status === 401 ? "authentication" : status === 403 ? "permission" : status === 404 ? "not_found" : status === 429 ? "rate_limited" : status >= 500 ? "api_error" : "invalid_request";

/**
 * The second baseline: the same hand-written client with the features ours has on every call, in
 * plain JS: a timeout per attempt (AbortController + timer), retries with jittered backoff for
 * calls that change nothing (429, 5xx and network errors), typed errors with a code, and a
 * Gumroad "not found" answer (HTTP 200, success false) told apart from success. The benchmark
 * shows ours against both: what the features cost, and what the wasm costs on top.
 */
export class FeaturedBaselineClient extends BaselineClient {
  constructor({ timeoutMs = 30_000, maxRetries = 2, ...rest } = {}) {
    super(rest);
    this.timeoutMs = timeoutMs;
    this.maxRetries = maxRetries;
  }

  async attempt(method, url, init) {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), this.timeoutMs);
    try {
      const res = await this.fetch(url, { ...init, method, signal: ctl.signal });
      const text = await res.text();
      let data;
      try {
        data = JSON.parse(text);
      } catch {
        throw new BaselineError(res.ok ? "decode" : codeFor(res.status), `HTTP ${res.status}: not JSON`, res.status);
      }
      if (!res.ok) throw new BaselineError(codeFor(res.status), data.message || `HTTP ${res.status}`, res.status);
      if (data.success !== true) throw new BaselineError("not_found", data.message || "not found", res.status);
      return data;
    } catch (e) {
      if (e instanceof BaselineError) throw e;
      throw new BaselineError(ctl.signal.aborted ? "timeout" : "connection", String(e?.message ?? e), 0);
    } finally {
      clearTimeout(timer);
    }
  }

  async request(method, path, params = {}, { safe = method === "GET" } = {}) {
    const body = new URLSearchParams(params).toString();
    const get = method === "GET";
    const headers = { "content-type": "application/x-www-form-urlencoded" };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const url = get && body ? `${this.base}${path}?${body}` : `${this.base}${path}`;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt(method, url, { headers, body: get ? undefined : body });
      } catch (e) {
        const retryable = e.code === "rate_limited" || e.code === "api_error" || e.code === "connection" || e.code === "timeout";
        if (!safe || !retryable || attempt >= this.maxRetries) throw e;
        await new Promise((r) => setTimeout(r, Math.random() * 250 * 2 ** attempt));
      }
    }
  }

  verifyLicense(params) {
    // A verify that does not count a use changes nothing: safe to retry, as ours treats it.
    return this.request("POST", "/licenses/verify", params, { safe: String(params.increment_uses_count) === "false" });
  }
}
