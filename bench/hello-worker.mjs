// The throughput yardstick for the license server: a Worker that answers every request with a
// fixed JSON body and does nothing else. Whatever workerd + Miniflare + the HTTP client cost per
// request shows up here too, so the license server's figures are read against it.
export default {
  async fetch(request) {
    await request.arrayBuffer();
    return new Response('{"ok":true}', { headers: { "content-type": "application/json" } });
  },
};
