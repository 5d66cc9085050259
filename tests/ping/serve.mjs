// The ping handler behind Deno.serve or Bun.serve (whichever runtime runs this file), from the
// Node entry (Deno and Bun resolve the package to entries/node.mjs). Prints the port,
// then answers each request with the handler's answer; what the handlers saw is at GET /seen.
import { createPingHandler } from "../../dist/pkg/entries/node.mjs";

const seen = [];
const handle = createPingHandler({
  secret: "s3cr3t-0123456789abcdef0123456789abcdef",
  maxBodyBytes: 16 * 1024,
  on: {
    refund() {
      throw new Error("refund store is down");
    },
    default: (data, { type }) => void seen.push({ type, data }),
  },
  onError: () => {},
});
const fetch = (request) => (new URL(request.url).pathname === "/seen" ? Response.json(seen.splice(0)) : handle(request));

if (globalThis.Deno) {
  Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: ({ port }) => console.log(`port ${port}`) }, fetch);
} else {
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch });
  console.log(`port ${server.port}`);
}
