// Baseline Worker for the start-up benchmark: verifies a license with plain fetch + JSON.parse.
export default {
  async fetch(request, env) {
    const { license_key } = await request.json();
    const res = await fetch(`${env.GUMROAD_API_BASE}/licenses/verify`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ product_id: env.GUMROAD_PRODUCT_IDS, license_key, increment_uses_count: "false" }),
    });
    const data = JSON.parse(await res.text());
    const p = data.purchase || {};
    const valid = data.success === true && !p.refunded && !p.chargebacked && !p.disputed;
    return Response.json({ valid, uses: data.uses ?? 0 });
  },
};
