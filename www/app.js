// The demo page: uses the package's plain-browser entry (`./web`) against gumroad-mock by
// default. Secrets typed here stay in this module's memory.
import init, { GumroadClient, isGumroadError, verifyLicenseToken } from "/pkg/entries/web.js";

const $ = (id) => document.getElementById(id);
let config;
let client;
let mode = "mock";
let salesAbort = null;

function describeError(e) {
  // Readable message with its stable code; never a stack trace.
  if (isGumroadError(e)) return `${e.message} (code: ${e.code}${e.status ? `, HTTP ${e.status}` : ""})`;
  return e && e.message ? e.message : String(e);
}

function showError(id, e) {
  const el = $(id);
  el.textContent = e ? describeError(e) : "";
  el.hidden = !e;
}

const money = (cents) => `$${(cents / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "onclick") node.addEventListener("click", v);
    else if (k === "class") node.className = v;
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
}

function connect(m, secret, baseUrl) {
  if (m === "mock") {
    return new GumroadClient({ accessToken: config.mockToken, baseUrl: `${config.mockUrl}/v2` });
  }
  const base = baseUrl ? { baseUrl } : {};
  if (m === "direct") return new GumroadClient({ accessToken: secret, ...base });
  return GumroadClient.maton({ apiKey: secret, ...base });
}

// ---- account ----------------------------------------------------------------------------------

async function loadAccount() {
  const dl = $("account");
  dl.setAttribute("aria-busy", "true");
  dl.replaceChildren();
  showError("account-error", null);
  try {
    const user = await client.user.retrieve();
    const rows = [
      ["Name", user.name ?? "—"],
      ["E-mail", user.email ?? "(needs a non-public scope)"],
      ["User id", user.user_id],
      ["Profile", user.url ?? "—"],
      ["Products", (user.links ?? []).join(", ") || "—"],
    ];
    for (const [k, v] of rows) dl.append(el("dt", {}, k), el("dd", {}, v));
  } catch (e) {
    showError("account-error", e);
  } finally {
    dl.setAttribute("aria-busy", "false");
  }
}

// ---- products ---------------------------------------------------------------------------------

async function loadProducts() {
  showError("products-error", null);
  const table = $("products");
  const body = table.querySelector("tbody");
  body.replaceChildren();
  $("offer-codes").replaceChildren();
  try {
    const products = [];
    for await (const p of client.products.iterate()) products.push(p);
    const select = $("sales-product");
    select.replaceChildren(el("option", { value: "" }, "All products"));
    for (const p of products) {
      select.append(el("option", { value: p.id }, p.name));
      body.append(productRow(p));
    }
    table.hidden = false;
    table.dataset.count = String(products.length);
  } catch (e) {
    showError("products-error", e);
  }
}

function productRow(p) {
  const badge = el("span", { class: `badge ${p.published ? "on" : ""}` }, p.published ? "published" : "unpublished");
  const toggle = el("button", { type: "button", class: "secondary", "aria-label": `${p.published ? "Disable" : "Enable"} ${p.name}` }, p.published ? "Disable" : "Enable");
  toggle.addEventListener("click", async () => {
    toggle.disabled = true;
    showError("products-error", null);
    try {
      const updated = p.published ? await client.products.disable(p.id) : await client.products.enable(p.id);
      row.replaceWith(productRow(updated));
    } catch (e) {
      showError("products-error", e);
      toggle.disabled = false;
    }
  });
  const codes = el("button", { type: "button", class: "secondary", "aria-label": `Offer codes of ${p.name}` }, "Offer codes");
  codes.addEventListener("click", () => showOfferCodes(p));
  const row = el("tr", { "data-id": p.id }, el("td", {}, p.name), el("td", { class: "num" }, p.formatted_price), el("td", {}, badge), el("td", {}, toggle, " ", codes));
  return row;
}

async function showOfferCodes(p) {
  const box = $("offer-codes");
  box.replaceChildren(el("p", { class: "status" }, `Loading offer codes of ${p.name}…`));
  try {
    const codes = await client.offerCodes.list(p.id);
    const list = el("ul", { id: "offer-code-list" });
    for (const c of codes) {
      const off = c.percent_off !== undefined ? `${c.percent_off}% off` : `${money(c.amount_cents ?? 0)} off`;
      list.append(el("li", {}, `${c.name}: ${off}${c.universal ? " (all products)" : ""}, used ${c.times_used}×`));
    }
    box.replaceChildren(el("h3", {}, `Offer codes of ${p.name}`), codes.length ? list : el("p", {}, "No offer codes."));
  } catch (e) {
    box.replaceChildren();
    showError("products-error", e);
  }
}

// ---- sales ------------------------------------------------------------------------------------

async function loadSales(ev) {
  ev.preventDefault();
  showError("sales-error", null);
  const filters = {};
  if ($("sales-after").value) filters.after = $("sales-after").value;
  if ($("sales-before").value) filters.before = $("sales-before").value;
  if ($("sales-product").value) filters.product_id = $("sales-product").value;
  salesAbort = new AbortController();
  $("load-sales").disabled = true;
  $("cancel-sales").disabled = false;
  const bar = $("sales-bar");
  bar.hidden = false;
  bar.removeAttribute("value");
  const progress = $("sales-progress");
  progress.dataset.state = "loading";
  const sales = [];
  const it = client.sales.iterate(filters, { signal: salesAbort.signal });
  try {
    for await (const sale of it) {
      sales.push(sale);
      progress.textContent = `Loading… ${sales.length} sales from ${it.pages} page${it.pages === 1 ? "" : "s"}`;
    }
    progress.textContent = `Loaded ${sales.length} sales from ${it.pages} page${it.pages === 1 ? "" : "s"}.`;
    progress.dataset.state = "done";
  } catch (e) {
    if (isGumroadError(e) && e.code === "aborted") {
      progress.textContent = `Cancelled after ${sales.length} sales (${it.pages} page${it.pages === 1 ? "" : "s"}).`;
      progress.dataset.state = "cancelled";
    } else {
      progress.textContent = "";
      progress.dataset.state = "failed";
      showError("sales-error", e);
    }
  } finally {
    bar.hidden = true;
    $("load-sales").disabled = false;
    $("cancel-sales").disabled = true;
    salesAbort = null;
  }
  renderTotals(sales);
  renderChart(sales);
}

function renderTotals(sales) {
  const byProduct = new Map();
  for (const s of sales) {
    const t = byProduct.get(s.product_id) ?? { name: s.product_name, count: 0, cents: 0 };
    t.count++;
    t.cents += s.refunded ? 0 : s.price;
    byProduct.set(s.product_id, t);
  }
  const body = $("sales-totals").querySelector("tbody");
  body.replaceChildren();
  const rows = [...byProduct.values()].sort((a, b) => b.cents - a.cents);
  for (const t of rows) body.append(el("tr", {}, el("td", {}, t.name), el("td", { class: "num" }, String(t.count)), el("td", { class: "num" }, money(t.cents))));
  $("sales-totals").hidden = rows.length === 0;
}

/** Revenue per day as SVG bars: no charting library. */
function renderChart(sales) {
  const svg = $("sales-chart");
  const fig = $("sales-chart-fig");
  svg.replaceChildren();
  const perDay = new Map();
  for (const s of sales) {
    if (s.refunded) continue;
    const day = s.created_at.slice(0, 10);
    perDay.set(day, (perDay.get(day) ?? 0) + s.price);
  }
  if (perDay.size === 0) {
    fig.hidden = true;
    return;
  }
  const days = [...perDay.keys()].sort();
  const start = Date.parse(days[0]);
  const span = Math.max(1, Math.round((Date.parse(days[days.length - 1]) - start) / 86_400_000) + 1);
  const max = Math.max(...perDay.values());
  const w = 600 / span;
  const ns = "http://www.w3.org/2000/svg";
  for (const [day, cents] of perDay) {
    const i = Math.round((Date.parse(day) - start) / 86_400_000);
    const h = Math.max(2, (cents / max) * 190);
    const r = document.createElementNS(ns, "rect");
    r.setAttribute("x", String(i * w));
    r.setAttribute("y", String(200 - h));
    r.setAttribute("width", String(Math.max(w * 0.8, 1.5)));
    r.setAttribute("height", String(h));
    const title = document.createElementNS(ns, "title");
    title.textContent = `${day}: ${money(cents)}`;
    r.append(title);
    svg.append(r);
  }
  $("sales-chart-desc").textContent = `${perDay.size} days with sales between ${days[0]} and ${days[days.length - 1]}; best day ${money(max)}.`;
  fig.hidden = false;
}

// ---- license check ----------------------------------------------------------------------------

function showVerdict(v, via) {
  const box = $("verdict");
  box.hidden = false;
  box.className = `verdict ${v.valid ? "valid" : "invalid"}`;
  box.textContent = `${v.valid ? "✔ Valid" : "✘ Not valid"} — reason: ${v.reason}, uses: ${v.uses} (${via})`;
  box.dataset.reason = v.reason;
}

async function checkThroughWorker() {
  showError("license-error", null);
  $("verdict").hidden = true;
  try {
    const res = await fetch(`${config.workerUrl}/v1/licenses/verify`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ product_id: $("product").value, license_key: $("license-key").value }),
    });
    const body = await res.json();
    if (!res.ok) throw new Error(`${body.error?.message ?? "request failed"} (code: ${body.error?.code}, HTTP ${res.status})`);
    showVerdict(body, `edge worker, cache ${res.headers.get("x-license-cache") ?? "?"}`);
    keepToken(body.token, "verify", $("license-key").value, $("product").value);
  } catch (e) {
    showError("license-error", e);
  }
}

async function checkWithClient() {
  showError("license-error", null);
  $("verdict").hidden = true;
  try {
    const v = await client.licenses.check({ product_id: $("product").value, license_key: $("license-key").value });
    showVerdict(v, "client");
  } catch (e) {
    showError("license-error", e);
  }
}

// ---- devices (instances) ----------------------------------------------------------------------

const FINGERPRINT_KEY = "gumroad-wasm-demo.fingerprint";
/** Instance ids this browser got, per product + key, to mark it in the list. */
const ownInstances = new Map();

/** A random id made once per browser and kept: activating again from here is a re-install. */
function browserFingerprint() {
  let fp = localStorage.getItem(FINGERPRINT_KEY);
  if (!fp) {
    fp = crypto.randomUUID();
    localStorage.setItem(FINGERPRINT_KEY, fp);
  }
  return fp;
}

const licenseOf = () => ({ product_id: $("device-product").value, license_key: $("device-key").value.trim() });
const ownKey = ({ product_id, license_key }) => `${product_id} ${license_key.toUpperCase()}`;

/**
 * A JSON POST to the edge worker. With `show`, its answer becomes the panel's "last answer"
 * (the list refresh after a change does not hide the change's own answer).
 */
async function workerPost(route, body, { show = true } = {}) {
  const res = await fetch(`${config.workerUrl}/v1/licenses/${route}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = await res.json().catch(() => null);
  if (show) {
    $("devices-answer").textContent = `POST /v1/licenses/${route} → HTTP ${res.status}\n${JSON.stringify(answer, null, 2)}`;
    $("devices-last").hidden = false;
  }
  return { status: res.status, answer, retryAfter: res.headers.get("retry-after") };
}

/** The panel's outcome line; set last, once the list shows the outcome too. */
function notice(text, code, instanceId) {
  const box = $("devices-notice");
  box.textContent = text;
  box.hidden = !text;
  box.dataset.code = code ?? "";
  box.dataset.instance = instanceId ?? "";
}

/**
 * 409 (seats full) and 429 (rate limited) are answers to explain: returns `[text, code]`.
 * Other errors throw; a success returns null.
 */
function refusal({ status, answer, retryAfter }) {
  const err = answer?.error ?? {};
  if (status === 409 && err.code === "activation_limit_reached") {
    return [`All seats are taken: ${err.active ?? "?"} of ${err.limit ?? "?"} devices are active. Deactivate one to free a seat.`, err.code];
  }
  if (status === 429) return [`Too many requests (rate_limited): try again in ${retryAfter ?? "a few"} seconds.`, "rate_limited"];
  if (status >= 400) throw new Error(`${err.message ?? "request failed"} (code: ${err.code ?? "?"}, HTTP ${status})`);
  return null;
}

/** Runs one device action: clears the outcome, shows its notice or error at the end. */
async function deviceAction(action) {
  showError("devices-error", null);
  notice("");
  $("devices").setAttribute("aria-busy", "true");
  try {
    const [text, code, instanceId] = await action();
    notice(text, code, instanceId);
  } catch (e) {
    showError("devices-error", e);
  } finally {
    $("devices").setAttribute("aria-busy", "false");
  }
}

function activate(asNewDevice) {
  return deviceAction(async () => {
    const lic = licenseOf();
    const fingerprint = asNewDevice ? crypto.randomUUID() : browserFingerprint();
    const name = $("device-name").value.trim() || "Demo browser";
    const r = await workerPost("activate", { ...lic, fingerprint, instance_name: asNewDevice ? `${name} ${fingerprint.slice(0, 4)}` : name });
    const refused = refusal(r);
    if (refused) {
      if (refused[1] === "activation_limit_reached") await refreshDevices(lic); // which ones to free
      return refused;
    }
    const v = r.answer;
    keepToken(v.token, "activate", lic.license_key, lic.product_id);
    if (!v.valid) return [`Not activated: the license is not valid (reason: ${v.reason}).`, v.reason];
    if (!asNewDevice) ownInstances.set(ownKey(lic), v.instance.id);
    await refreshDevices(lic);
    return [`Activated ${v.instance.name} as ${v.instance.id} (uses: ${v.uses}).`, "activated", v.instance.id];
  });
}

function listDevices() {
  return deviceAction(async () => {
    const n = await refreshDevices(licenseOf(), { show: true });
    return typeof n === "number" ? [`${n} device${n === 1 ? "" : "s"} active.`, "listed"] : n;
  });
}

/** Loads and draws the device list: the number of devices, or a refusal to show. */
async function refreshDevices(lic, { show = false } = {}) {
  const r = await workerPost("instances", lic, { show });
  const refused = refusal(r);
  if (refused) return refused;
  renderDevices(lic, r.answer);
  return r.answer.instances.length;
}

function renderDevices(lic, { instances, max_uses_per_seat: max }) {
  const table = $("devices");
  const own = ownInstances.get(ownKey(lic));
  const body = table.querySelector("tbody");
  body.replaceChildren();
  for (const inst of instances) {
    const button = el("button", { type: "button", "aria-label": `Deactivate ${inst.name} (${inst.id})` }, "Deactivate");
    button.addEventListener("click", () => deactivate(lic, inst, button));
    const name = inst.id === own ? `${inst.name} (this browser)` : inst.name;
    body.append(el("tr", { "data-id": inst.id }, el("td", {}, name), el("td", {}, el("code", {}, inst.id)), el("td", {}, formatDate(inst.activated_at)), el("td", {}, button)));
  }
  if (instances.length === 0) body.append(el("tr", {}, el("td", { colspan: "4" }, "No devices: nothing is activated.")));
  $("devices-caption").textContent = `Devices of this license: ${instances.length}${max ? ` (${max} per seat)` : ""}`;
  table.dataset.count = String(instances.length);
  table.hidden = false;
}

function deactivate(lic, inst, button) {
  button.disabled = true;
  return deviceAction(async () => {
    try {
      const r = await workerPost("deactivate", { ...lic, instance_id: inst.id });
      const refused = refusal(r);
      if (refused) {
        button.disabled = false;
        return refused;
      }
      if (ownInstances.get(ownKey(lic)) === inst.id) ownInstances.delete(ownKey(lic));
      await refreshDevices(lic);
      return [`Deactivated ${inst.name}: a seat is free (uses: ${r.answer.uses}).`, "deactivated", inst.id];
    } catch (e) {
      button.disabled = false;
      throw e;
    }
  });
}

function formatDate(value) {
  const d = typeof value === "number" ? new Date(value * 1000) : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

// ---- offline check (signed answers) -----------------------------------------------------------

/** The last signed answer, with the license it is about. */
let lastToken = null;
let jwks = null;

function keepToken(token, route, licenseKey, productId) {
  if (!token) return;
  lastToken = { token, route, licenseKey: licenseKey.trim(), productId };
  $("token-info").textContent = `Token from the last ${route} answer (license ${lastToken.licenseKey}): ${token.slice(0, 24)}…`;
  for (const id of ["check-offline", "check-tampered", "check-later"]) $(id).disabled = false;
  // A verdict about the previous token would now be misleading.
  $("offline-verdict").hidden = true;
  $("offline-claims").hidden = true;
}

const fromB64url = (s) => new TextDecoder().decode(Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0)));
const toB64url = (text) => btoa(String.fromCharCode(...new TextEncoder().encode(text))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/**
 * The token with its payload edited (exp pushed a year out) and the signature kept. (Flipping a
 * raw base64url character would usually break the JSON, which is "malformed", not a forgery.)
 */
function tampered(token) {
  const [header, payload, signature] = token.split(".");
  const claims = JSON.parse(fromB64url(payload));
  claims.exp += 365 * 86_400;
  return `${header}.${toB64url(JSON.stringify(claims))}.${signature}`;
}

async function checkOffline(kind) {
  showError("offline-error", null);
  const box = $("offline-verdict");
  const dl = $("offline-claims");
  box.hidden = true;
  dl.hidden = true;
  if (!lastToken) return;
  try {
    // Once per page: an app would ship these keys with itself.
    jwks ??= await (async () => {
      const res = await fetch(`${config.workerUrl}/.well-known/jwks.json`);
      if (!res.ok) throw new Error(`the worker has no signing key (HTTP ${res.status})`);
      return res.json();
    })();
    const now = kind === "later" ? Date.now() + 8 * 86_400_000 : undefined;
    const token = kind === "tampered" ? tampered(lastToken.token) : lastToken.token;
    const r = await verifyLicenseToken(token, { jwks, productId: lastToken.productId, licenseKey: lastToken.licenseKey, ...(now ? { now } : {}) });
    const how = kind === "later" ? `as if it were ${formatDate(new Date(now).toISOString())}` : kind === "tampered" ? "a tampered token" : "the token as received";
    box.className = `verdict ${r.valid ? "valid" : "invalid"}`;
    box.textContent = `${r.valid ? "✔ Valid" : "✘ Not valid"} offline — reason: ${r.reason} (${how})`;
    box.dataset.reason = r.reason;
    box.dataset.kind = kind;
    box.hidden = false;
    dl.replaceChildren();
    if (r.claims) {
      const c = r.claims;
      const rows = [["valid", String(c.valid)], ["reason", c.reason], ["product_id", c.product_id], ["instance_id", c.instance_id ?? "—"], ["sub", c.sub], ["issued (iat)", formatDate(c.iat)], ["expires (exp)", formatDate(c.exp)]];
      for (const [k, v] of rows) dl.append(el("dt", {}, k), el("dd", {}, v));
    } else {
      dl.append(el("dt", {}, "claims"), el("dd", {}, "none: nothing in a token whose signature fails can be trusted"));
    }
    dl.hidden = false;
  } catch (e) {
    showError("offline-error", e);
  }
}

// ---- webhook events ---------------------------------------------------------------------------

async function pollEvents() {
  if (mode !== "mock") return;
  try {
    // Through the page's own server, which strips the ping URL's secret from each delivery.
    const res = await fetch("/events.json");
    const { deliveries } = await res.json();
    const list = $("events");
    const shown = Number(list.dataset.count ?? 0);
    for (const d of deliveries.slice(shown)) {
      if (!d.post_url.startsWith(config.workerUrl)) continue;
      const params = new URLSearchParams(d.body);
      const what = params.get("license_key") ? `license ${params.get("license_key")}` : params.get("sale_id") ?? params.get("subscription_id") ?? "";
      const outcome = d.status ? `HTTP ${d.status}` : `failed: ${d.error}`;
      list.append(el("li", { "data-type": d.resource_name }, `${d.resource_name} → edge worker (${outcome})${d.attempt ? `, retry ${d.attempt}` : ""}: ${what}`));
    }
    list.dataset.count = String(deliveries.length);
  } catch {
    // The feed is best effort; the next poll tries again.
  }
}

async function simulate(type) {
  showError("events-error", null);
  try {
    let body;
    if (type === "refund") {
      const { sales } = await client.sales.list({ email: "active@example.com" });
      if (!sales[0]) throw new Error("the sample sale is gone (already refunded?)");
      body = { type, sale_id: sales[0].id };
    } else {
      const { subscribers } = await client.subscribers.list(config.products[1].id, { email: "subscription.active@example.com" });
      if (!subscribers[0]) throw new Error("the sample subscription is no longer active");
      body = { type, subscription_id: subscribers[0].id };
    }
    const res = await fetch(`${config.mockUrl}/__mock/events`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error((await res.json()).error);
    setTimeout(pollEvents, 300);
  } catch (e) {
    showError("events-error", e);
  }
}

// ---- start ------------------------------------------------------------------------------------

async function main() {
  config = await (await fetch("/config.json")).json();
  await init();
  $("status").textContent = `Ready. gumroad-mock at ${config.mockUrl}, edge worker at ${config.workerUrl}.`;
  for (const p of config.products) {
    $("product").append(el("option", { value: p.id }, `${p.name} (${p.id})`));
    $("device-product").append(el("option", { value: p.id }, `${p.name} (${p.id})`));
  }
  for (const [label, key] of config.sampleKeys) {
    const b = el("button", { type: "button", "aria-label": `Use the ${label} sample key` }, key);
    b.addEventListener("click", () => {
      $("license-key").value = key;
      $("license-key").focus();
    });
    $("sample-keys").append(el("li", {}, b, ` ${label}`));
  }
  document.querySelectorAll("input[name=mode]").forEach((r) =>
    r.addEventListener("change", () => {
      $("secret-row").hidden = r.value === "mock";
    }));
  $("conn-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    mode = new FormData(ev.target).get("mode");
    try {
      client = connect(mode, $("secret").value, $("base-url").value.trim());
      loadAccount();
    } catch (e) {
      showError("account-error", e);
    }
  });
  $("license-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    checkThroughWorker();
  });
  $("check-client").addEventListener("click", checkWithClient);
  $("devices-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    activate(false);
  });
  $("activate-new").addEventListener("click", () => activate(true));
  $("list-devices").addEventListener("click", () => listDevices());
  $("check-offline").addEventListener("click", () => checkOffline("plain"));
  $("check-tampered").addEventListener("click", () => checkOffline("tampered"));
  $("check-later").addEventListener("click", () => checkOffline("later"));
  $("load-products").addEventListener("click", loadProducts);
  $("sales-form").addEventListener("submit", loadSales);
  $("cancel-sales").addEventListener("click", () => salesAbort?.abort());
  $("simulate-refund").addEventListener("click", () => simulate("refund"));
  $("simulate-cancel").addEventListener("click", () => simulate("cancellation"));
  client = connect("mock");
  await Promise.all([loadAccount(), loadProducts()]);
  setInterval(pollEvents, 1500);
  await pollEvents();
  document.body.dataset.ready = "true";
}

main().catch((e) => {
  $("status").textContent = `Failed to start: ${describeError(e)}`;
});
