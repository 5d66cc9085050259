// The demo page: uses the package's plain-browser entry (`./web`) against gumroad-mock by
// default. Secrets typed here stay in this module's memory.
import init, { GumroadClient, isGumroadError } from "/pkg/entries/web.js";

const $ = (id) => document.getElementById(id);
let config;
let client;

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

function connect(mode, secret, baseUrl) {
  if (mode === "mock") {
    return new GumroadClient({ accessToken: config.mockToken, baseUrl: `${config.mockUrl}/v2` });
  }
  const base = baseUrl ? { baseUrl } : {};
  if (mode === "direct") return new GumroadClient({ accessToken: secret, ...base });
  return GumroadClient.maton({ apiKey: secret, ...base });
}

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
    for (const [k, v] of rows) {
      const dt = document.createElement("dt");
      dt.textContent = k;
      const dd = document.createElement("dd");
      dd.textContent = v;
      dl.append(dt, dd);
    }
  } catch (e) {
    showError("account-error", e);
  } finally {
    dl.setAttribute("aria-busy", "false");
  }
}

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
    showVerdict(body, "edge worker");
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

async function main() {
  config = await (await fetch("/config.json")).json();
  await init();
  $("status").textContent = `Ready. gumroad-mock at ${config.mockUrl}, edge worker at ${config.workerUrl}.`;
  for (const p of config.products) {
    const o = document.createElement("option");
    o.value = p.id;
    o.textContent = `${p.name} (${p.id})`;
    $("product").append(o);
  }
  for (const [label, key] of config.sampleKeys) {
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = key;
    b.setAttribute("aria-label", `Use the ${label} sample key`);
    b.addEventListener("click", () => { $("license-key").value = key; $("license-key").focus(); });
    li.append(b, ` ${label}`);
    $("sample-keys").append(li);
  }
  document.querySelectorAll("input[name=mode]").forEach((r) =>
    r.addEventListener("change", () => { $("secret-row").hidden = r.value === "mock"; }));
  $("conn-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const mode = new FormData(ev.target).get("mode");
    try {
      client = connect(mode, $("secret").value, $("base-url").value.trim());
      loadAccount();
    } catch (e) {
      showError("account-error", e);
    }
  });
  $("license-form").addEventListener("submit", (ev) => { ev.preventDefault(); checkThroughWorker(); });
  $("check-client").addEventListener("click", checkWithClient);
  client = connect("mock");
  await loadAccount();
  document.body.dataset.ready = "true";
}

main().catch((e) => { $("status").textContent = `Failed to start: ${describeError(e)}`; });
