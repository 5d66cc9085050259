// Cases for the routes Gumroad added in 2025-2026 (and OAuth's device flow), one per resource
// group, every method called. Runtime-neutral like suite.mjs, which includes them, so each runs
// in Node and in headless Chromium. Ids are gumroad-mock's seed (mock/README.md).

const P1 = "A-m3CDDC5dlrSdKZp0RFhA==";
const P3 = "U2tldGNoUHJvLURlc2t0b3A=";
const KEY1 = "DEC0DE00-00000000-00000000-00000001";
const UPSELL = "VXBzZWxsLVBlbmNpbC0wMQ==";
const UTM_DISABLED = "VXRtLURpc2FibGVkLTAwNA==";
const EMAIL_SCHEDULED = "RW1haWwtSm9obi0wMDAwOQ==";
const EMAIL_DRAFT = "RW1haWwtSm9obi0wMDAxMQ==";
const WORKFLOW = "V29ya2Zsb3ctV2VsY29tZQ==";
const WORKFLOW_ABANDONED_CART = "V29ya2Zsb3ctQWJDYXJ0MQ==";
const PAYOUT_NEWEST = "hHAk7CEPt0WQquBYrxzsGw==";

export function cases2026({ lib, client, control, assert, expectError, all, test, runtime }) {
  test("user: update, theme, profileLayout, custom HTML (retrieve, update, edit, preview)", async () => {
    const c = client();
    assert.equal((await c.user.update({ bio: "sails and pencils" })).bio, "sails and pencils");
    const theme = await c.user.theme();
    assert.deepEqual([theme.background_color, theme.font, theme.applies_to.length], ["#fdf6e3", "ABC Favorit", 6]);
    assert.equal((await c.user.profileLayout()).rendering, "custom_html");
    const page = await c.user.retrieveCustomHtml();
    assert.ok(page.has_landing_page && page.custom_html.includes("Pencils &amp; pixels"), page.custom_html);
    const edited = await c.user.editCustomHtml({ find: "Pencils &amp; pixels", replace: "Pens &amp; pixels" });
    assert.ok(edited.custom_html.includes("Pens &amp; pixels") && edited.previous_custom_html.includes("Pencils"));
    const preview = await c.user.previewCustomHtml({ custom_html: "<p>hi</p><script>alert(1)</script>" });
    assert.ok(!preview.custom_html.includes("<script") && preview.sanitization_report.total_removed >= 1);
    const replaced = await c.user.updateCustomHtml({ custom_html: "<h1>New</h1>" });
    assert.equal(replaced.custom_html, "<h1>New</h1>");
    assert.equal((await c.user.retrieveCustomHtml()).custom_html, "<h1>New</h1>");
    // A strict endpoint refuses an `account`-only token with a JSON 403.
    await assert.rejects(client({ accessToken: "demo-token-account" }).user.profileLayout(), (e) => {
      expectError("PermissionError", "permission", 403)(e);
      assert.equal(e.message, "This endpoint requires the view_profile scope.");
    });
    await assert.rejects(c.user.editCustomHtml({ find: "<b>nowhere</b>", replace: "" }), expectError("InvalidRequestError", "invalid_request", 200));
  });

  test("pages: list, retrieve, create, update, delete", async () => {
    const c = client();
    const slugs = (await c.pages.list()).map((p) => p.slug);
    assert.ok(["about", "faq", "launch"].every((s) => slugs.includes(s)), JSON.stringify(slugs));
    const about = await c.pages.retrieve("about");
    assert.equal(about.page.slug, "about");
    assert.equal(typeof about.rendered_html, "string");
    const created = await c.pages.create({ title: "Press kit", content: "<p>Logos</p>" });
    assert.equal(created.slug, "press-kit");
    assert.equal((await c.pages.update("press-kit", { title: "Press" })).title, "Press");
    assert.equal((await c.pages.delete("press-kit")).message, "The page was deleted successfully.");
    await assert.rejects(c.pages.retrieve("press-kit"), expectError("NotFoundError", "not_found", 200));
    await assert.rejects(c.pages.create({ title: "x", slug: "checkout" }), expectError("InvalidRequestError", "invalid_request", 200));
  });

  test("media: list, create from a URL, delete", async () => {
    const c = client();
    const before = await c.media.list();
    assert.ok(before.some((m) => m.id === "bnr7x2k9q4w8e1r5"));
    const m = await c.media.create({ url: "https://images.example/hero.png", name: "hero" });
    assert.deepEqual([m.extension, m.status.type], ["PNG", "saved"]);
    assert.equal((await c.media.list()).length, before.length + 1);
    assert.equal((await c.media.delete(m.id)).message, "The file was deleted.");
    await assert.rejects(c.media.create({}), expectError("InvalidArgumentError", "invalid_argument"));
  });

  test("categories, helpArticles, refundPolicy", async () => {
    const c = client();
    const cats = await c.categories.list();
    assert.ok(cats.some((x) => x.path === "design/ui-and-web/figma" && x.id === 34));
    const found = await c.helpArticles.list({ query: "license keys" });
    assert.equal(found[0].slug, "76-license-keys");
    const article = await c.helpArticles.retrieve("76-license-keys");
    assert.ok(article.content.length > 20);
    const policy = await c.refundPolicy.retrieve();
    assert.deepEqual([policy.refund_period, policy.in_effect], ["30", true]);
    const updated = await c.refundPolicy.update({ refund_period: 14, fine_print: "Ask first." });
    assert.deepEqual([updated.refund_period, updated.fine_print], ["14", "Ask first."]);
    await assert.rejects(c.refundPolicy.update({ refund_period: "none" }), expectError("InvalidRequestError", "invalid_request", 200));
  });

  test("product extras: comps, custom HTML, reviews, skus, bundle contents, thumbnail, covers", async () => {
    const c = client();
    const comps = await c.products.comps({ taxonomy: "design/ui-and-web/figma" });
    assert.deepEqual([comps.count, comps.price_cents.p50], [5, 3900]);
    const html = await c.products.retrieveCustomHtml(P1);
    assert.equal(html.has_landing_page, false);
    const preview = await c.products.previewCustomHtml(P1, { custom_html: "<p onclick=\"x()\">Buy</p>" });
    assert.ok(preview.sanitization_report.total_removed >= 1);
    await c.products.update(P1, { custom_html: "<p>Hello pencils</p>" });
    const edited = await c.products.editCustomHtml(P1, { find: "Hello", replace: "Hi" });
    assert.equal(edited.custom_html, "<p>Hi pencils</p>");
    assert.ok(typeof edited.warning === "string", "no buy element: a warning");
    const page = await c.reviews.list(P3);
    assert.equal(page.product_reviews.length, 100);
    assert.ok(page.next_page_key);
    const reviews = all(c.reviews.iterate(P3));
    assert.equal((await reviews).length, 104);
    assert.deepEqual(await c.skus.list(P1), []);
    await c.products.update(P3, { tags: ["a", "b"] });
    assert.deepEqual((await c.products.update(P3, { tags: [] })).tags, [], "an empty list clears");
    const bundle = await c.products.create({ name: "Starter bundle", native_type: "bundle" });
    const filled = await c.bundleContents.update(bundle.id, { products: [{ product_id: P3, quantity: 1 }] });
    assert.deepEqual(filled.bundle_products.map((b) => b.product_id), [P3]);
    const thumb = await c.thumbnail.create(P3, { url: "https://images.example/square.png" });
    assert.ok(thumb.url && thumb.guid);
    assert.deepEqual(await c.thumbnail.delete(P3), { thumbnail: null });
    const covers = await c.covers.create(P3, { url: "https://images.example/cover.jpg" });
    assert.equal(covers.covers.length, 1);
    assert.equal(covers.main_cover_id, covers.covers[0].id);
    assert.deepEqual((await c.covers.delete(P3, covers.covers[0].id)).covers, []);
  });

  test("upsells: list, retrieve, create, update, delete", async () => {
    const c = client();
    assert.ok((await c.upsells.list()).some((u) => u.id === UPSELL));
    assert.equal((await c.upsells.retrieve(UPSELL)).cross_sell, false);
    const u = await c.upsells.create({
      name: "Inkwell upsell",
      product_id: "SW5rd2VsbC1QbHVnaW4tMjQ=",
      text: "Add the plugin",
      offer_code: { amount_percentage: 10 },
    });
    assert.deepEqual([u.name, u.discount.type, u.discount.percents], ["Inkwell upsell", "percent", 10]);
    assert.equal((await c.upsells.update(u.id, { paused: true })).paused, true);
    assert.equal((await c.upsells.delete(u.id)).message, "The upsell was deleted successfully.");
  });

  test("utmLinks: list, retrieve, create, update, disable, enable, delete", async () => {
    const c = client();
    const links = await c.utmLinks.list();
    assert.ok(links.length >= 4);
    assert.equal((await c.utmLinks.retrieve(UTM_DISABLED)).enabled, false);
    assert.equal((await c.utmLinks.enable(UTM_DISABLED)).enabled, true);
    assert.equal((await c.utmLinks.disable(UTM_DISABLED)).enabled, false);
    const link = await c.utmLinks.create({
      title: "Spring newsletter",
      target_resource_type: "product_page",
      target_resource_id: P3,
      utm_source: "newsletter",
      utm_medium: "email",
      utm_campaign: "spring",
    });
    assert.ok(link.utm_url.includes("utm_campaign=spring"), link.utm_url);
    assert.equal((await c.utmLinks.update(link.id, { utm_campaign: "summer" })).utm_campaign, "summer");
    assert.equal((await c.utmLinks.delete(link.id)).message, "The utm_link was deleted successfully.");
  });

  test("emails: list, iterate, retrieve, create, preview, send, schedule, unschedule, delete", async () => {
    const c = client();
    const first = await c.emails.list();
    assert.equal(first.emails.length, 10);
    assert.ok(first.next_page_key);
    assert.equal((await all(c.emails.iterate())).length, 13);
    assert.equal((await all(c.emails.iterate({ type: "draft" }))).length, 3);
    assert.equal((await c.emails.retrieve(EMAIL_SCHEDULED)).state, "scheduled");
    assert.equal((await c.emails.unschedule(EMAIL_SCHEDULED)).state, "draft");
    const scheduled = await c.emails.schedule(EMAIL_SCHEDULED, { to_be_published_at: "2099-05-01T10:00:00Z" });
    assert.equal(scheduled.state, "scheduled");
    const preview = await c.emails.preview(EMAIL_DRAFT);
    assert.equal(preview.message, "A preview has been sent to your email.");
    assert.equal((await c.emails.send(EMAIL_DRAFT)).state, "published");
    const draft = await c.emails.create({ subject: "Hello", body: "<p>Hi</p>" });
    assert.equal(draft.state, "draft");
    assert.equal((await c.emails.delete(draft.id)).message, "The email was deleted successfully.");
    await assert.rejects(c.emails.list({ type: "sent" }), expectError("InvalidRequestError", "invalid_request", 400));
  });

  test("workflows and workflowEmails: list, retrieve, create, update", async () => {
    const c = client();
    assert.ok((await c.workflows.list()).some((w) => w.id === WORKFLOW));
    const wf = await c.workflows.retrieve(WORKFLOW);
    assert.equal(wf.emails.length, 2);
    const added = await c.workflowEmails.create(WORKFLOW, { subject: "Tips", body: "<p>Tip</p>", delay_amount: 1, delay_unit: "week" });
    assert.deepEqual(added.delay, { amount: 1, unit: "week" });
    assert.equal((await c.workflowEmails.update(WORKFLOW, added.id, { subject: "Tips!" })).subject, "Tips!");
    await assert.rejects(
      c.workflowEmails.create(WORKFLOW_ABANDONED_CART, { subject: "s", body: "b", delay_amount: 1, delay_unit: "day" }),
      (e) => {
        expectError("InvalidRequestError", "invalid_request", 400)(e);
        assert.equal(e.message, "Emails cannot be added to abandoned cart workflows.");
      },
    );
  });

  test("sales reports and filters: summary, exports, name and license_key", async () => {
    const c = client();
    const summary = await c.sales.summary({ from: "2021-01-01", to: "2026-12-31", group_by: "product" });
    assert.ok(summary.gross_cents > 0 && summary.units > 0 && summary.breakdown.length > 0);
    assert.equal(summary.currency, "usd");
    await assert.rejects(c.sales.summary({ group_by: "year" }), expectError("InvalidRequestError", "invalid_request", 400));
    const exp = await c.sales.exports({ from: "2025-01-01" });
    assert.deepEqual(exp, { status: "queued", recipient_email: "john@example.com" });
    const byKey = await c.sales.list({ license_key: KEY1.toLowerCase() });
    assert.deepEqual(byKey.sales.map((s) => s.license_key), [KEY1]);
    const everyone = await all(c.sales.iterate());
    const name = everyone.find((s) => s.full_name)?.full_name;
    const byName = await all(c.sales.iterate({ name: name.slice(1, 5) }));
    assert.ok(byName.length >= 1 && byName.every((s) => s.full_name.toLowerCase().includes(name.slice(1, 5).toLowerCase())));
  });

  test("payouts: list, iterate, upcoming, retrieve", async () => {
    const c = client();
    const page = await c.payouts.list();
    assert.equal(page.payouts[0].id, null, "the upcoming payout comes first");
    assert.equal(page.payouts.length, 10);
    const every = await all(c.payouts.iterate({ include_upcoming: false }));
    assert.equal(every.length, 14);
    assert.equal((await c.payouts.upcoming()).amount, "123.45");
    const p = await c.payouts.retrieve(PAYOUT_NEWEST, { include_transactions: true });
    assert.equal(p.id, PAYOUT_NEWEST);
    assert.ok(Array.isArray(p.sales) && Array.isArray(p.transactions));
  });

  test("taxForms: list, download (bytes); earnings", async () => {
    const c = client();
    const forms = await c.taxForms.list();
    assert.ok(forms.some((f) => f.tax_year === 2025 && f.tax_form_type === "us_1099_k"));
    const pdf = await c.taxForms.download(2025, "us_1099_k");
    assert.ok(pdf.data instanceof Uint8Array && pdf.data.length > 100);
    assert.equal(new TextDecoder().decode(pdf.data.subarray(0, 5)), "%PDF-");
    // Browsers hide Content-Disposition from cross-origin pages unless the server exposes it
    // (Gumroad's CORS policy does not say it does): the name is then null.
    const name = runtime === "node" ? "1099-K-2025.pdf" : null;
    assert.deepEqual([pdf.contentType, pdf.filename], ["application/pdf", name]);
    await assert.rejects(c.taxForms.download(2025, "us_1099_misc"), expectError("NotFoundError", "not_found", 404));
    const earnings = await c.earnings.retrieve({ year: 2025 });
    assert.deepEqual([earnings.year, earnings.currency], [2025, "usd"]);
    assert.equal(earnings.net_cents, earnings.gross_cents - earnings.fees_cents - earnings.taxes_cents + earnings.affiliate_credit_cents);
    await assert.rejects(client({ accessToken: "demo-token-seller-b" }).taxForms.list(), (e) => {
      expectError("PermissionError", "permission", 403)(e);
      assert.equal(e.message, "Tax center is not enabled for this account.");
    });
  });

  test("files: upload (presign, parts, complete) with progress, then a product file; abort on failure", async () => {
    const c = client();
    // Three 64 KiB parts (the mock's part size, set for the test; Gumroad's is 100 MiB).
    await control("POST", "/settings", { upload_part_size: 65536 });
    const bytes = new Uint8Array(3 * 65536).map((_, i) => i % 251);
    const progress = [];
    const file = await c.files.upload(bytes, { filename: "course.pdf", onProgress: (p) => progress.push(p) });
    assert.deepEqual(progress.map((p) => [p.part, p.parts, p.loaded]), [[1, 3, 65536], [2, 3, 131072], [3, 3, 196608]]);
    assert.equal(file.display_name, "course.pdf");
    const stored = new Uint8Array(await (await fetch(file.url)).arrayBuffer());
    assert.equal(stored.length, bytes.length);
    assert.ok(stored.every((b, i) => b === bytes[i]), "the stored file is the uploaded one");
    const product = await c.products.create({ name: "Course", files: [file] });
    assert.equal(product.files.length, 1);
    // A stream with its size goes part by part; one shorter than its size fails, and is aborted.
    const streamOf = (data, chunk) =>
      new ReadableStream({
        start(ctl) {
          for (let i = 0; i < data.length; i += chunk) ctl.enqueue(data.slice(i, i + chunk));
          ctl.close();
        },
      });
    const streamed = await c.files.upload(streamOf(bytes, 10000), { filename: "s.bin", size: bytes.length });
    const back = new Uint8Array(await (await fetch(streamed.url)).arrayBuffer());
    assert.ok(back.length === bytes.length && back.every((b, i) => b === bytes[i]), "streamed bytes stored");
    const abortsBefore = (await control("GET", "/data")).office.file_aborts.length;
    await assert.rejects(c.files.upload(streamOf(bytes.subarray(0, 100000), 4096), { filename: "short.bin", size: bytes.length }), (e) => {
      expectError("InvalidArgumentError", "invalid_argument")(e);
      assert.ok(e.message.includes("ended after 100000"), e.message);
    });
    assert.equal((await control("GET", "/data")).office.file_aborts.length, abortsBefore + 1, "the short upload was aborted");
    // A Blob works too (one part).
    const blobFile = await c.files.upload(new Blob(["hello"]), { filename: "hello.txt" });
    assert.ok(blobFile.url.endsWith("/hello.txt"), blobFile.url);
    // The raw routes.
    const pre = await c.files.presign({ filename: "x.bin", file_size: 10 });
    assert.equal(pre.parts.length, 1);
    assert.deepEqual(await c.files.abort({ upload_id: pre.upload_id, key: pre.key }), { status: "accepted" });
    await assert.rejects(
      c.files.complete({ upload_id: pre.upload_id, key: pre.key, parts: [{ part_number: 1, etag: "\"x\"" }] }),
      expectError("InvalidRequestError", "invalid_request", 400),
    );
    // A part the storage refuses: the upload is aborted and the error is the caller's.
    const failing = new lib.GumroadClient({
      accessToken: "demo-token-full",
      baseUrl: c.baseUrl,
      maxRetries: 0,
      fetch: (url, init) => (init.method === "PUT" ? Promise.resolve(new Response("<Error/>", { status: 403 })) : fetch(url, init)),
    });
    await assert.rejects(failing.files.upload(bytes, { filename: "f.bin" }), expectError("InvalidRequestError", "invalid_request", 403));
    const aborts = (await control("GET", "/data")).office.file_aborts;
    assert.ok(aborts.length >= 2, "the failed upload was aborted too");
    await assert.rejects(c.files.upload(new Uint8Array(0), { filename: "empty" }), expectError("InvalidArgumentError", "invalid_argument"));
    await assert.rejects(c.files.upload(bytes, {}), expectError("InvalidArgumentError", "invalid_argument"));
  });

  test("directUploads: reserve, PUT the bytes, then a cover from the signed id", async () => {
    const c = client();
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(64).fill(7)]);
    const digest = new Uint8Array(await md5(bytes));
    const checksum = btoa(String.fromCharCode(...digest));
    const up = await c.directUploads.create({ blob: { filename: "cover.png", byte_size: bytes.length, checksum, content_type: "image/png" } });
    assert.equal(up.byte_size, bytes.length);
    const put = await fetch(up.direct_upload.url, { method: "PUT", headers: up.direct_upload.headers, body: bytes });
    assert.equal(put.status, 200);
    const covers = await c.covers.create(P1, { signed_blob_id: up.signed_id });
    assert.equal(covers.covers.length, 1);
  });

  test("OAuth device flow: start, poll through pending, token works on the API; denied; revoke", async () => {
    await control("POST", "/settings", { device_interval: 1 });
    const oauth = new lib.GumroadOAuth({ clientId: "demo-cli-client-id", oauthBaseUrl: client().baseUrl.replace(/\/v2$/, "") });
    assert.ok(lib.GumroadOAuth.scopes().includes("view_sales"));
    const da = await oauth.startDeviceAuthorization({ scopes: ["view_profile", "view_sales"] });
    assert.ok(/^GRD-[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(da.user_code), da.user_code);
    const polling = oauth.pollDeviceAuthorization(da);
    await new Promise((r) => setTimeout(r, 1300));
    await approveDevice(client().baseUrl, da.user_code.toLowerCase().replace(/-/g, ""), "approve");
    const token = await polling;
    assert.deepEqual([token.token_type, token.scope], ["Bearer", "view_profile view_sales"]);
    const me = await client({ accessToken: token.access_token }).user.retrieve();
    assert.equal(me.name, "John Smith");
    await oauth.revoke(token.access_token);
    await assert.rejects(client({ accessToken: token.access_token }).user.retrieve(), expectError("AuthenticationError", "authentication", 401));
    // Denied, and cancelled by the caller's signal.
    const denied = await oauth.startDeviceAuthorization();
    const waiting = oauth.pollDeviceAuthorization(denied);
    await approveDevice(client().baseUrl, denied.user_code, "deny");
    await assert.rejects(waiting, (e) => {
      expectError("PermissionError", "permission", 400)(e);
      assert.ok(e.message.startsWith("access_denied"), e.message);
    });
    const ctl = new AbortController();
    const cancelled = oauth.pollDeviceAuthorization(await oauth.startDeviceAuthorization(), { signal: ctl.signal });
    setTimeout(() => ctl.abort(), 200);
    await assert.rejects(cancelled, expectError("AbortError", "aborted"));
    await assert.rejects(oauth.pollDeviceAuthorization({}), expectError("InvalidArgumentError", "invalid_argument"));
  });
}

/** Approves (or denies) a device code the way the approval page's form does. */
async function approveDevice(apiBase, userCode, decision) {
  const root = apiBase.replace(/\/v2$/, "");
  const res = await fetch(`${root}/oauth/device`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ user_code: userCode, decision }).toString(),
  });
  if (res.status !== 200) throw new Error(`device ${decision}: HTTP ${res.status}: ${await res.text()}`);
}

// MD5 for the direct-upload checksum (Web Crypto has none): RFC 1321, small and test-only.
async function md5(bytes) {
  const K = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0);
  const S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
  const len = bytes.length;
  const padded = new Uint8Array((((len + 8) >> 6) + 1) * 64);
  padded.set(bytes);
  padded[len] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, (len * 8) >>> 0, true);
  view.setUint32(padded.length - 4, Math.floor((len * 8) / 2 ** 32), true);
  let [a0, b0, c0, d0] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  for (let off = 0; off < padded.length; off += 64) {
    const M = Array.from({ length: 16 }, (_, i) => view.getUint32(off + i * 4, true));
    let [a, b, c, d] = [a0, b0, c0, d0];
    for (let i = 0; i < 64; i++) {
      let f, g;
      if (i < 16) [f, g] = [(b & c) | (~b & d), i];
      else if (i < 32) [f, g] = [(d & b) | (~d & c), (5 * i + 1) % 16];
      else if (i < 48) [f, g] = [b ^ c ^ d, (3 * i + 5) % 16];
      else [f, g] = [c ^ (b | ~d), (7 * i) % 16];
      const s = S[(i >> 4) * 4 + (i % 4)];
      const sum = (a + f + K[i] + M[g]) >>> 0;
      [a, d, c] = [d, c, b];
      b = (b + ((sum << s) | (sum >>> (32 - s)))) >>> 0;
    }
    [a0, b0, c0, d0] = [(a0 + a) >>> 0, (b0 + b) >>> 0, (c0 + c) >>> 0, (d0 + d) >>> 0];
  }
  const out = new DataView(new ArrayBuffer(16));
  [a0, b0, c0, d0].forEach((w, i) => out.setUint32(i * 4, w, true));
  return out.buffer;
}
