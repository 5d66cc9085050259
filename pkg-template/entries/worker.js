// The license server Worker: in your Worker's entry file,
//   export { default, LicenseLedger } from "gumroad-wasm/worker";
// (wrangler.toml binds LicenseLedger as LICENSE_LEDGER; see the README). It runs the Worker
// build of the wasm (no client API in it); Workers hand over a compiled WebAssembly.Module,
// hence initSync.
import wasmModule from "../worker/gumroad_wasm_bg.wasm";
import { initSync, handleRequest, ledgerFetch } from "../worker/gumroad_wasm.js";

initSync({ module: wasmModule });

export { handleRequest };

export default {
  fetch(request, env, ctx) {
    return handleRequest(request, env, ctx);
  },
};

const failed = () =>
  new Response('{"error":{"code":"ledger_unavailable","message":"the license ledger failed"}}', {
    status: 503,
    headers: { "content-type": "application/json", "retry-after": "5" },
  });

/**
 * One license's ledger (instances, revocation, pending count changes), as a Durable Object.
 * Requests run one at a time, in arrival order: that is what makes seat changes race-free.
 * `seq` numbers arrivals so a verify queued behind another can take its fresh answer.
 */
export class LicenseLedger {
  constructor(state, env) {
    this.state = state;
    this.env = env;
    this.seq = 0;
    // Tells this incarnation of the object from an earlier one in the same isolate.
    this.incarnation = crypto.randomUUID();
    this.tail = Promise.resolve();
  }

  fetch(request) {
    const seq = ++this.seq;
    const run = () => ledgerFetch(this, request, seq).then((r) => r ?? failed(), failed);
    const turn = this.tail.then(run, run);
    this.tail = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }
}
