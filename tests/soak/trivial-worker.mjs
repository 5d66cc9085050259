// The memory yardstick for the soak: a plain JS worker doing the least a license check does
// (one upstream fetch, JSON.parse, a JSON answer) under the same load. workerd as run by
// Miniflare grows its RSS per request and per subrequest on its own; the soak compares against
// this instead of against zero.
export default {
  async fetch(request, env) {
    const res = await fetch(`${env.GUMROAD_API_BASE}/licenses/verify`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "product_id=U2tldGNoUHJvLURlc2t0b3A%3D&license_key=DEC0DE00-00000000-00000000-00000001&increment_uses_count=false",
    });
    const data = JSON.parse(await res.text());
    return Response.json({ valid: data.success === true });
  },
};
