// gumroad-mock reads requests the way Gumroad's Rails stack does (mock/src/rack.rs says where
// each rule comes from): a multipart/form-data body on any method, HEAD as the GET route, a
// POST form's `_method`, Rack's nested keys (`files[][url]`, `tags[]`), and Rails' merge of
// query and body. Each request is written by hand here (node:http, not our client and not
// fetch's encoders), directly (`/v2`, OAuth token) and through the Maton prefix
// (`/gumroad/v2`, Maton API key).
import { describe, test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { startMock } from "../support/mock.mjs";

const P1 = "A-m3CDDC5dlrSdKZp0RFhA==";

let mock;
before(async () => {
  mock = await startMock();
});
after(async () => mock?.stop());

/** One request with exactly these headers and body bytes. */
function raw(method, path, { headers = {}, body } = {}) {
  const url = new URL(path, mock.url);
  return new Promise((resolve, reject) => {
    // An explicit length: Node sends a GET's or DELETE's body unframed otherwise.
    const length = body === undefined ? {} : { "content-length": Buffer.byteLength(body) };
    const req = http.request(url, { method, headers: { connection: "close", ...length, ...headers } }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let data = null;
        try {
          data = text ? JSON.parse(text) : null;
        } catch {}
        resolve({ status: res.statusCode, headers: res.headers, text, data });
      });
    });
    req.on("error", reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

/** A multipart/form-data body from [name, value] pairs (value: a string, or {filename, type, data}). */
function multipart(pairs, boundary = "----gumroad-mock-wire-7MA4YWxkTrZu0gW") {
  const chunks = [];
  for (const [name, value] of pairs) {
    if (typeof value === "string") {
      chunks.push(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
    } else {
      chunks.push(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${value.filename}"\r\nContent-Type: ${value.type}\r\n\r\n${value.data}\r\n`,
      );
    }
  }
  chunks.push(`--${boundary}--\r\n`);
  return { body: chunks.join(""), type: `multipart/form-data; boundary=${boundary}` };
}

const form = (pairs) => new URLSearchParams(pairs).toString();

const MODES = {
  direct: { prefix: "/v2", auth: (h) => h, token: [["access_token", "demo-token-full"]] },
  maton: { prefix: "/gumroad/v2", auth: (h) => ({ ...h, authorization: "Bearer demo-maton-key" }), token: [] },
};

for (const [mode, { prefix, auth, token }] of Object.entries(MODES)) {
  describe(`Rails' wire (${mode})`, () => {
    beforeEach(async () => {
      await fetch(`${mock.url}/__mock/reset`, { method: "POST" });
    });

    test("a multipart/form-data body is read on GET and PUT too (access_token included)", async () => {
      const mp = multipart([...token, ["page_key", ""]]);
      const list = await raw("GET", `${prefix}/products`, { headers: auth({ "content-type": mp.type }), body: mp.body });
      assert.equal(list.status, 200, list.text);
      assert.equal(list.data.success, true);
      assert.ok(list.data.products.length > 0);

      const user = multipart(token);
      const me = await raw("GET", `${prefix}/user`, { headers: auth({ "content-type": user.type }), body: user.body });
      assert.equal(me.status, 200, me.text);
      assert.equal(me.data.user.name, "John Smith");

      const upd = multipart([...token, ["name", "Renamed by multipart"]]);
      const put = await raw("PUT", `${prefix}/products/${encodeURIComponent(P1)}`, { headers: auth({ "content-type": upd.type }), body: upd.body });
      assert.equal(put.status, 200, put.text);
      assert.equal(put.data.product.name, "Renamed by multipart");

      // Without a token anywhere, still Doorkeeper's 401 (the body was read, not guessed).
      if (mode === "direct") {
        const none = multipart([["name", "x"]]);
        const r = await raw("GET", `${prefix}/user`, { headers: { "content-type": none.type }, body: none.body });
        assert.equal(r.status, 401);
      }
    });

    test("the request log keeps a multipart body's size only (a part may carry the token)", async () => {
      await fetch(`${mock.url}/__mock/requests`, { method: "DELETE" });
      const mp = multipart([...token, ["name", "x"]]);
      await raw("GET", `${prefix}/user`, { headers: auth({ "content-type": mp.type }), body: mp.body });
      const log = await (await fetch(`${mock.url}/__mock/requests`)).json();
      const text = JSON.stringify(log);
      assert.ok(!text.includes("demo-token-full") && !text.includes("demo-maton-key"), text);
      assert.match(text, /<multipart, \d+ bytes>/);
    });

    test("HEAD is answered as the GET route, with no body", async () => {
      const q = mode === "direct" ? "?access_token=demo-token-full" : "";
      const head = await raw("HEAD", `${prefix}/user${q}`, { headers: auth({}) });
      assert.equal(head.status, 200);
      assert.equal(head.text, "");
      assert.match(head.headers["content-type"], /^application\/json/);
      const get = await raw("GET", `${prefix}/user${q}`, { headers: auth({}) });
      assert.equal(get.status, 200);
      assert.equal(head.headers["content-length"], get.headers["content-length"], "the GET answer's length");

      const missing = await raw("HEAD", `${prefix}/nope${q}`, { headers: auth({ accept: "application/json" }) });
      assert.equal(missing.status, 404);
      assert.equal(missing.text, "");
      if (mode === "direct") {
        const denied = await raw("HEAD", `${prefix}/user`);
        assert.equal(denied.status, 401);
      }
    });

    test("a POST form's _method is the method (urlencoded and multipart); X-HTTP-Method-Override without one", async () => {
      const path = `${prefix}/products/${encodeURIComponent(P1)}`;
      const byForm = await raw("POST", path, {
        headers: auth({ "content-type": "application/x-www-form-urlencoded" }),
        body: form([...token, ["_method", "put"], ["name", "Put by _method"]]),
      });
      assert.equal(byForm.status, 200, byForm.text);
      assert.equal(byForm.data.product.name, "Put by _method");

      const mp = multipart([...token, ["_method", "PUT"], ["name", "Put by multipart _method"]]);
      const byMultipart = await raw("POST", path, { headers: auth({ "content-type": mp.type }), body: mp.body });
      assert.equal(byMultipart.status, 200, byMultipart.text);
      assert.equal(byMultipart.data.product.name, "Put by multipart _method");

      const byHeader = await raw("POST", path, {
        headers: auth({ "content-type": "application/x-www-form-urlencoded", "x-http-method-override": "PUT" }),
        body: form([...token, ["name", "Put by header"]]),
      });
      assert.equal(byHeader.status, 200, byHeader.text);
      assert.equal(byHeader.data.product.name, "Put by header");

      const got = await raw("GET", `${path}${mode === "direct" ? "?access_token=demo-token-full" : ""}`, { headers: auth({}) });
      assert.equal(got.data.product.name, "Put by header");

      // A JSON body's _method is not read (Rack reads form bodies only): POST has no such route.
      const byJson = await raw("POST", path, {
        headers: auth({ "content-type": "application/json", accept: "application/json" }),
        body: JSON.stringify({ _method: "put", name: "never", ...Object.fromEntries(token) }),
      });
      assert.equal(byJson.status, 404);
      assert.deepEqual(byJson.data, { status: 404, error: "Not Found" });
      // _method=head is a HEAD: the GET route, and no body (Rack::Head).
      const asHead = await raw("POST", `${prefix}/user`, {
        headers: auth({ "content-type": "application/x-www-form-urlencoded" }),
        body: form([...token, ["_method", "head"]]),
      });
      assert.equal(asHead.status, 200);
      assert.equal(asHead.text, "");
      // Only a preflight on the wire is one: _method=options routes as OPTIONS, which has no route.
      const asOptions = await raw("POST", `${prefix}/user`, {
        headers: auth({ "content-type": "application/x-www-form-urlencoded", accept: "application/json" }),
        body: form([...token, ["_method", "options"]]),
      });
      assert.equal(asOptions.status, 404);
      // A _method Rack does not know leaves the POST as it is.
      const bogus = await raw("POST", path, {
        headers: auth({ "content-type": "application/x-www-form-urlencoded", accept: "application/json" }),
        body: form([...token, ["_method", "frobnicate"]]),
      });
      assert.equal(bogus.status, 404);
    });

    test("multipart with bracketed arrays creates a product whose files and tags read back", async () => {
      const q = mode === "direct" ? "?access_token=demo-token-full" : "";
      const json = (method, path, body) =>
        raw(method, `${prefix}${path}${q}`, { headers: auth({ "content-type": "application/json" }), body: JSON.stringify(body) });
      // A file uploaded with the presign flow, as files[][url] must name one.
      const bytes = "hello";
      const pre = await json("POST", "/files/presign", { filename: "notes.txt", file_size: bytes.length });
      assert.equal(pre.status, 200, pre.text);
      const part = await fetch(pre.data.parts[0].presigned_url, { method: "PUT", body: bytes });
      assert.equal(part.status, 200);
      const done = await json("POST", "/files/complete", {
        upload_id: pre.data.upload_id,
        key: pre.data.key,
        parts: [{ part_number: 1, etag: part.headers.get("etag") }],
      });
      assert.equal(done.status, 200, done.text);

      const mp = multipart([
        ...token,
        ["name", "Wire Pack"],
        ["price", "1200"],
        ["tags[]", "pencils"],
        ["tags[]", "brushes"],
        ["files[][url]", done.data.file_url],
        ["files[][display_name]", "Read me"],
      ]);
      const created = await raw("POST", `${prefix}/products`, { headers: auth({ "content-type": mp.type }), body: mp.body });
      assert.equal(created.status, 200, created.text);
      assert.equal(created.data.success, true, created.text);
      const id = created.data.product.id;
      const back = await raw("GET", `${prefix}/products/${encodeURIComponent(id)}${q}`, { headers: auth({}) });
      assert.equal(back.status, 200, back.text);
      const p = back.data.product;
      assert.deepEqual([p.name, p.price], ["Wire Pack", 1200]);
      assert.deepEqual(p.tags, ["pencils", "brushes"]);
      assert.equal(p.files.length, 1, JSON.stringify(p.files));
      assert.equal(p.files[0].display_name ?? p.files[0].name, "Read me", JSON.stringify(p.files[0]));

      // A file part is an upload, which products refuse by name as Gumroad does.
      const legacy = multipart([...token, ["name", "x"], ["file", { filename: "a.pdf", type: "application/pdf", data: "%PDF" }]]);
      const refused = await raw("POST", `${prefix}/products`, { headers: auth({ "content-type": legacy.type }), body: legacy.body });
      assert.equal(refused.data.success, false);
      assert.match(refused.data.message, /^'file' is not an accepted parameter on POST \/v2\/products\./);
    });

    test("a key used both as an array and a hash is Rails' 400 (lib/catch_bad_request_errors.rb)", async () => {
      const body = form([...token, ["tags[]", "a"], ["tags[x]", "b"]]);
      const headers = { "content-type": "application/x-www-form-urlencoded" };
      const asJson = await raw("PUT", `${prefix}/products/${encodeURIComponent(P1)}`, { headers: auth({ ...headers, accept: "application/json" }), body });
      assert.equal(asJson.status, 400);
      assert.deepEqual(asJson.data, { success: false });
      const asHtml = await raw("PUT", `${prefix}/products/${encodeURIComponent(P1)}`, { headers: auth(headers), body });
      assert.equal(asHtml.status, 400);
      assert.match(asHtml.headers["content-type"], /^text\/html/);
      assert.equal(asHtml.text, "");
    });

    test("query and body merge as Rails merges them: a key in both takes the query's value", async () => {
      const path = `${prefix}/products/${encodeURIComponent(P1)}?name=${encodeURIComponent("From the query")}`;
      const put = await raw("PUT", path, {
        headers: auth({ "content-type": "application/x-www-form-urlencoded" }),
        body: form([...token, ["name", "From the body"]]),
      });
      assert.equal(put.status, 200, put.text);
      assert.equal(put.data.product.name, "From the query");
      // A body of another type is not read at all.
      const plain = await raw("PUT", `${prefix}/products/${encodeURIComponent(P1)}${mode === "direct" ? "?access_token=demo-token-full" : ""}`, {
        headers: auth({ "content-type": "text/plain" }),
        body: "name=Never",
      });
      assert.equal(plain.status, 200, plain.text);
      assert.equal(plain.data.product.name, "From the query");
    });
  });
}

test("the consent page's Deny (a POST form with _method=delete) is Doorkeeper's DELETE /oauth/authorize", async () => {
  const q = {
    client_id: "demo-web-client-id",
    redirect_uri: "http://127.0.0.1:9/callback",
    response_type: "code",
    scope: "view_sales",
    state: "st-1",
  };
  const denied = await raw("POST", "/oauth/authorize", {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form([...Object.entries(q), ["_method", "delete"]]),
  });
  assert.equal(denied.status, 302, denied.text);
  const back = new URL(denied.headers.location);
  assert.deepEqual([back.searchParams.get("error"), back.searchParams.get("state")], ["access_denied", "st-1"]);
  // The same form without _method approves.
  const approved = await raw("POST", "/oauth/authorize", {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form(Object.entries(q)),
  });
  assert.equal(approved.status, 302);
  assert.ok(new URL(approved.headers.location).searchParams.get("code"));
});
