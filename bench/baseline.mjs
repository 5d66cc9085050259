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
