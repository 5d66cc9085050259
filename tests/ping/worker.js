// The ping handler inside workerd: the workerd entry's createPingHandler, as a Worker uses it. Each request answers with what the handler answered and what the
// handlers saw, so the test can check both from Node.
import { createPingHandler } from "../../dist/pkg/entries/workerd.js";

export default {
  async fetch(request, env) {
    const seen = [];
    const errors = [];
    const handle = createPingHandler({
      secret: env.PING_SECRET,
      maxBodyBytes: 16 * 1024,
      on: {
        refund() {
          throw new Error("refund store is down");
        },
        default: (data, { type }) => void seen.push({ type, data }),
      },
      onError: (e, { type }) => void errors.push({ type, message: e.message }),
    });
    const res = await handle(request);
    return Response.json({ status: res.status, allow: res.headers.get("allow"), body: await res.text(), seen, errors });
  },
};
