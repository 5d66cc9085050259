// The demo page: uses the package's plain-browser entry (`./web`) against gumroad-mock by
// default. Secrets typed here stay in this module's memory.
import init, { GumroadClient, isGumroadError, LicenseClient, LicenseClientError, verifyLicenseToken } from "/pkg/entries/web.js";

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
  delete box.dataset.offlineReason;
}

async function checkThroughWorker() {
  showError("license-error", null);
  $("verdict").hidden = true;
  try {
    const productId = $("product").value;
    const licenseKey = $("license-key").value;
    const res = await fetch(`${config.workerUrl}/v1/licenses/verify`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ product_id: productId, license_key: licenseKey }),
    });
    const body = await res.json();
    if (!res.ok) throw new Error(`${body.error?.message ?? "request failed"} (code: ${body.error?.code}, HTTP ${res.status})`);
    showVerdict(body, `edge worker, cache ${res.headers.get("x-license-cache") ?? "?"}`);
    if (body.token) {
      // This verify names no seat, so its token names no device either: verifyLicenseToken
      // refuses it as `unbound` (anyone with the key can get one on any machine). Said here so
      // that nobody takes it for an offline licence; the Offline check panel uses a seat's token.
      const offline = await verifyLicenseToken(body.token, { jwks: config.publicKeys, productId, licenseKey: licenseKey.trim(), issuer: workerIssuer() });
      const box = $("verdict");
      box.dataset.offlineReason = offline.reason;
      box.append(el("br"), el("span", { class: "hint" }, `Its signed token, checked offline: ${offline.reason}${offline.reason === "unbound" ? " (it names no device: only an activated seat's token unlocks offline)" : ""}.`));
    }
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

// ---- seats: LicenseClient ---------------------------------------------------------------------

const FINGERPRINT_KEY = "gumroad-wasm-demo.fingerprint";
/** Where LicenseClient keeps a product's seat (its documented storage key). */
const SEAT_KEY_PREFIX = "gumroad-wasm:license:";
/** How far back "clock set back" goes: past the client's 5-minute tolerance. */
const ROLLBACK_MS = 10 * 60_000;

/** A random id made once per browser and kept: activating again from here is a re-install. */
function browserFingerprint() {
  let fp = localStorage.getItem(FINGERPRINT_KEY);
  if (!fp) {
    fp = crypto.randomUUID();
    localStorage.setItem(FINGERPRINT_KEY, fp);
  }
  return fp;
}

/** localStorage as LicenseClient's `{ get, set, delete }`: this browser's seat survives reloads. */
const browserStorage = {
  get: (key) => localStorage.getItem(key),
  set: (key, value) => localStorage.setItem(key, value),
  delete: (key) => localStorage.removeItem(key),
};

/** A storage holding a copy of one record: what-if checks change the copy, never the seat. */
function scratchStorage(key, value) {
  const map = new Map([[key, value]]);
  return { get: (k) => map.get(k), set: (k, v) => void map.set(k, v), delete: (k) => void map.delete(k) };
}

/** The client's `fetch` for offline checks: fails as a network error does, so the stored token decides. */
const offlineFetch = () => Promise.reject(new TypeError("Failed to fetch (offline, simulated by the demo)"));

/** The `iss` LicenseClient expects by default: the Worker's origin. */
const workerIssuer = () => new URL(config.workerUrl).origin;

/** The keys come from the page's config, as an app ships them: never fetched at run time. */
function licenseClient({ productId, ...options }) {
  return new LicenseClient({ url: config.workerUrl, productId, publicKeys: config.publicKeys, ...options });
}

/** This browser's client per product and device name: one client per seat record, as an app has. */
const browserClients = new Map();
function browserClient(productId) {
  const deviceName = $("device-name").value.trim() || "Demo browser";
  const key = `${productId}\n${deviceName}`;
  if (!browserClients.has(key)) {
    browserClients.set(key, licenseClient({ productId, fingerprint: browserFingerprint(), deviceName, storage: browserStorage }));
  }
  return browserClients.get(key);
}

/**
 * License actions run one at a time across the page: several clients share this browser's seat
 * record (the offline one, the browser's), and one's answer must not land in the middle of
 * another's.
 */
let licenseTail = Promise.resolve();
function serially(fn) {
  const run = licenseTail.then(fn);
  licenseTail = run.then(() => {}, () => {});
  return run;
}

/** This browser's stored seat for `productId` (LicenseClient's record), or null. */
function storedSeat(productId) {
  const raw = localStorage.getItem(SEAT_KEY_PREFIX + productId);
  if (!raw) return null;
  try {
    const record = JSON.parse(raw);
    return typeof record?.instanceId === "string" && typeof record?.licenseKey === "string" ? { raw, record } : null;
  } catch {
    return null;
  }
}

/** Verifies `token` as LicenseClient does for this browser's seat (same bindings, same clock). */
function verifySeatToken(token, productId, record, now = Date.now()) {
  return verifyLicenseToken(token, {
    jwks: config.publicKeys,
    productId,
    licenseKey: record.licenseKey,
    instanceId: record.instanceId,
    fingerprint: browserFingerprint(),
    issuer: workerIssuer(),
    now,
  });
}

function formatDate(value) {
  const d = typeof value === "number" ? new Date(value * 1000) : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

const formatMs = (ms) => formatDate(new Date(ms).toISOString());

/** Seconds as a rounded-up wait: "6 days 23 h", "1 h", "12 min". */
function formatWait(seconds) {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return `${d} day${d === 1 ? "" : "s"}${h ? ` ${h} h` : ""}`;
  if (h > 0) return `${h} h${m ? ` ${m} min` : ""}`;
  return `${m} min`;
}

/** A LicenseResult as rows: every member the client returns, dates readable. */
function renderResult(dl, r) {
  dl.replaceChildren();
  const rows = [
    ["valid", String(r.valid)],
    ["reason", r.reason],
    ["offline", String(r.offline)],
    ["instanceId", r.instanceId ?? "null"],
    ["expiresAt", r.expiresAt === null ? "null" : `${formatMs(r.expiresAt)} (${r.expiresAt})`],
  ];
  if (r.error !== undefined) rows.push(["error", r.error]);
  if (r.retryAfter !== undefined) rows.push(["retryAfter", `${r.retryAfter} s`]);
  for (const [k, v] of rows) dl.append(el("dt", {}, k), el("dd", { "data-field": k }, v));
  Object.assign(dl.dataset, { valid: String(r.valid), reason: r.reason, offline: String(r.offline), instance: r.instanceId ?? "" });
}

// ---- devices ----------------------------------------------------------------------------------

const licenseOf = () => ({ productId: $("device-product").value, licenseKey: $("device-key").value.trim() });

/** The panel's outcome line; set last, once the list shows the outcome too. */
function notice(text, code, { instanceId, retryAfter } = {}) {
  const box = $("devices-notice");
  box.textContent = text;
  box.hidden = !text;
  box.dataset.code = code ?? "";
  box.dataset.instance = instanceId ?? "";
  if (retryAfter === undefined) delete box.dataset.retryAfter;
  else box.dataset.retryAfter = String(retryAfter);
}

const rateLimited = (retryAfter) => `Too many requests (rate_limited): try again in ${retryAfter === undefined ? "a little while" : formatWait(retryAfter)}.`;

/** Runs one device action: clears the outcome, shows its notice or error at the end. */
function deviceAction(action) {
  return serially(async () => {
    showError("devices-error", null);
    notice("");
    $("devices").setAttribute("aria-busy", "true");
    try {
      const [text, code, extra] = await action();
      notice(text, code, extra);
    } catch (e) {
      // deactivate() and devices() reject with LicenseClientError; a 429 is an answer to explain.
      if (e instanceof LicenseClientError && e.code === "rate_limited") notice(rateLimited(e.retryAfter), e.code, { retryAfter: e.retryAfter });
      else showError("devices-error", e);
    } finally {
      $("devices").setAttribute("aria-busy", "false");
      await showSeat();
    }
  });
}

/** 409: how many devices are active, and when a cooling seat lets a new device in. */
function seatsFull(active, retryAfter) {
  const devices = `${active} device${active === 1 ? " is" : "s are"} active`;
  if (retryAfter === undefined) return `All seats are taken: ${devices}. Deactivate one to free a seat.`;
  return `All seats are taken: ${devices}, and a deactivated device's seat stays taken while its offline token is still valid. ` +
    `A new device can activate in ${formatWait(retryAfter)} (${formatMs(Date.now() + retryAfter * 1000)}), or deactivate another device.`;
}

function activate(asNewDevice) {
  return deviceAction(async () => {
    const { productId, licenseKey } = licenseOf();
    const name = $("device-name").value.trim() || "Demo browser";
    let license;
    if (asNewDevice) {
      // Another machine: its own fingerprint and its own storage (in memory, gone with it).
      const fingerprint = crypto.randomUUID();
      license = licenseClient({ productId, fingerprint, deviceName: `${name} ${fingerprint.slice(0, 4)}` });
    } else {
      license = browserClient(productId);
    }
    const r = await license.activate(licenseKey);
    renderResult($("devices-result"), r);
    $("devices-last").hidden = false;
    if (r.error === "rate_limited") return [rateLimited(r.retryAfter), "rate_limited", { retryAfter: r.retryAfter }];
    if (r.reason === "activation_limit_reached") {
      const active = await refreshDevices(productId, licenseKey);
      return [seatsFull(active, r.retryAfter), r.reason, { retryAfter: r.retryAfter }];
    }
    if (r.offline) {
      return [`The Worker could not answer (${r.error}); this browser's stored seat decided offline: ${r.valid ? "valid" : r.reason}.`, "offline", { instanceId: r.instanceId }];
    }
    if (!r.valid) {
      const why = r.instanceId ? `the Worker gave seat ${r.instanceId}, but its token did not verify (reason: ${r.reason})` : `reason: ${r.reason}`;
      return [`Not activated: ${why}.`, r.reason, { instanceId: r.instanceId }];
    }
    await refreshDevices(productId, licenseKey);
    const who = asNewDevice ? "A new device" : "This browser";
    return [`${who} holds seat ${r.instanceId}; its token unlocks offline until ${formatMs(r.expiresAt)}.`, "activated", { instanceId: r.instanceId }];
  });
}

function listDevices() {
  return deviceAction(async () => {
    const { productId, licenseKey } = licenseOf();
    const n = await refreshDevices(productId, licenseKey);
    return [`${n} device${n === 1 ? "" : "s"} active.`, "listed"];
  });
}

/** Loads and draws the device list; resolves to the number of devices. */
async function refreshDevices(productId, licenseKey) {
  const devices = await browserClient(productId).devices({ licenseKey });
  renderDevices(productId, licenseKey, devices);
  return devices.length;
}

function renderDevices(productId, licenseKey, devices) {
  const table = $("devices");
  const body = table.querySelector("tbody");
  body.replaceChildren();
  for (const d of devices) {
    const name = d.name ?? "(unnamed)";
    const button = el("button", { type: "button", "aria-label": `Deactivate ${name} (${d.id})` }, "Deactivate");
    button.addEventListener("click", () => deactivate(productId, licenseKey, d, button));
    const label = d.current ? `${name} (this browser)` : name;
    body.append(el("tr", { "data-id": d.id, ...(d.current ? { "data-current": "true" } : {}) }, el("td", {}, label), el("td", {}, el("code", {}, d.id)), el("td", {}, d.activatedAt ? formatDate(d.activatedAt) : "—"), el("td", {}, button)));
  }
  if (devices.length === 0) body.append(el("tr", {}, el("td", { colspan: "4" }, "No devices: nothing is activated.")));
  $("devices-caption").textContent = `Devices of this license: ${devices.length}`;
  table.dataset.count = String(devices.length);
  table.hidden = false;
}

function deactivate(productId, licenseKey, device, button) {
  button.disabled = true;
  return deviceAction(async () => {
    try {
      const r = await browserClient(productId).deactivate({ instanceId: device.id, licenseKey });
      await refreshDevices(productId, licenseKey);
      const whose = device.current ? "this browser's seat (its stored seat is cleared)" : device.name ?? device.id;
      return [`Deactivated ${whose}: ${r.uses} in use. Its seat stays taken while its offline token is valid; one move to a new device at a time is immediate.`, "deactivated", { instanceId: device.id }];
    } catch (e) {
      button.disabled = false;
      throw e;
    }
  });
}

// ---- offline check ----------------------------------------------------------------------------

const OFFLINE_BUTTONS = ["check-online", "check-offline", "check-expired", "check-tampered", "check-rollback"];

/** Shows this browser's stored seat for the selected product; the checks need one. */
async function showSeat() {
  const productId = $("device-product").value;
  const seat = storedSeat(productId);
  const info = $("seat-info");
  for (const id of OFFLINE_BUTTONS) $(id).disabled = !seat;
  if (!seat) {
    info.textContent = "No seat stored: activate this browser under Devices.";
    info.dataset.instance = "";
    return;
  }
  const { record } = seat;
  info.dataset.instance = record.instanceId;
  let token = "no token stored";
  if (record.token) {
    const v = await verifySeatToken(record.token, productId, record);
    token = v.valid ? `its stored token verifies until ${formatDate(v.claims.exp)}` : `its stored token does not unlock (${v.reason})`;
  }
  info.textContent = `This browser holds seat ${record.instanceId} of license ${record.licenseKey} (in localStorage); ${token}.`;
}

/** The token with its payload edited (exp a year later), the signature kept. */
function tampered(token) {
  const [header, payload, signature] = token.split(".");
  const claims = JSON.parse(fromB64url(payload));
  claims.exp += 365 * 86_400;
  return `${header}.${toB64url(JSON.stringify(claims))}.${signature}`;
}

const fromB64url = (s) => new TextDecoder().decode(Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0)));
const toB64url = (text) => btoa(String.fromCharCode(...new TextEncoder().encode(text))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/**
 * One check: `online` and `offline` on this browser's seat (offline: the client's fetch fails);
 * `expired`, `tampered` and `rollback` offline on a copy of it, with the client's clock or the
 * copy's token changed.
 */
function checkSeat(kind) {
  return serially(async () => {
    showError("offline-error", null);
    $("offline-verdict").hidden = true;
    $("offline-details").hidden = true;
    const productId = $("device-product").value;
    try {
      const seat = storedSeat(productId);
      if (!seat) throw new Error("no seat stored: activate this browser first");
      const fingerprint = browserFingerprint();
      let r;
      let token;
      let now = Date.now();
      let how;
      if (kind === "online" || kind === "offline") {
        const license = kind === "online" ? browserClient(productId) : licenseClient({ productId, fingerprint, storage: browserStorage, fetch: offlineFetch });
        r = await license.check();
        how = kind === "online" ? "asked the Worker" : "the Worker unreachable: the stored token decided";
        token = storedSeat(productId)?.record.token;
      } else {
        const { record } = seat;
        if (!record.token) throw new Error("the stored seat holds no token");
        const current = await verifySeatToken(record.token, productId, record);
        if (!current.claims) throw new Error(`the stored token does not verify (${current.reason})`);
        token = kind === "tampered" ? tampered(record.token) : record.token;
        if (kind === "expired") now = current.claims.exp * 1000 + 60_000;
        if (kind === "rollback") now = current.claims.iat * 1000 - ROLLBACK_MS;
        const copy = scratchStorage(SEAT_KEY_PREFIX + productId, JSON.stringify({ ...record, token }));
        const at = now;
        r = await licenseClient({ productId, fingerprint, storage: copy, fetch: offlineFetch, now: () => at }).check();
        how = {
          expired: `the clock at ${formatMs(now)}, a minute past the token's exp`,
          tampered: "the stored token's payload edited (exp a year later), its signature kept",
          rollback: `the clock set back to ${formatMs(now)}, 10 minutes before the token was issued`,
        }[kind];
      }
      const box = $("offline-verdict");
      box.className = `verdict ${r.valid ? "valid" : "invalid"}`;
      box.textContent = `${r.valid ? "✔ Valid" : "✘ Not valid"} ${r.offline ? "offline" : "online"} — reason: ${r.reason} (${how})`;
      Object.assign(box.dataset, { reason: r.reason, kind, offline: String(r.offline) });
      renderResult($("offline-result"), r);
      await showClaims(token, productId, seat.record, now);
      // Shown together, once all of it is there: the verdict never sits beside older details.
      box.hidden = false;
      $("offline-details").hidden = false;
    } catch (e) {
      showError("offline-error", e);
    } finally {
      await showSeat();
    }
  });
}

/** The verified claims of the token that decided, checked with the same bindings and clock. */
async function showClaims(token, productId, record, now) {
  const dl = $("offline-claims");
  dl.replaceChildren();
  const v = token ? await verifySeatToken(token, productId, record, now) : { reason: "no_token", claims: null };
  dl.dataset.reason = v.reason;
  if (!v.claims) {
    const why = v.reason === "no_token" ? "no token stored" : `none: nothing in a token whose check fails at ${v.reason} can be trusted`;
    dl.append(el("dt", {}, "claims"), el("dd", {}, why));
    return;
  }
  const c = v.claims;
  const rows = [
    ["verdict", v.reason],
    ["valid", String(c.valid)],
    ["reason", c.reason],
    ["iss", c.iss ?? "—"],
    ["product_id", c.product_id],
    ["instance_id", c.instance_id ?? "—"],
    ["device", c.device ?? "—"],
    ["sub", c.sub],
    ["issued (iat)", formatDate(c.iat)],
    ["expires (exp)", formatDate(c.exp)],
  ];
  for (const [k, val] of rows) dl.append(el("dt", {}, k), el("dd", { "data-claim": k }, val));
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
  $("device-product").addEventListener("change", () => serially(showSeat));
  for (const kind of ["online", "offline", "expired", "tampered", "rollback"]) $(`check-${kind}`).addEventListener("click", () => checkSeat(kind));
  $("load-products").addEventListener("click", loadProducts);
  $("sales-form").addEventListener("submit", loadSales);
  $("cancel-sales").addEventListener("click", () => salesAbort?.abort());
  $("simulate-refund").addEventListener("click", () => simulate("refund"));
  $("simulate-cancel").addEventListener("click", () => simulate("cancellation"));
  client = connect("mock");
  await Promise.all([loadAccount(), loadProducts(), serially(showSeat)]);
  setInterval(pollEvents, 1500);
  await pollEvents();
  document.body.dataset.ready = "true";
}

main().catch((e) => {
  $("status").textContent = `Failed to start: ${describeError(e)}`;
});
