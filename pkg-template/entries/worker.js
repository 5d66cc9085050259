// The license-verification Worker: `export { default } from "gumroad-wasm/worker"` in your
// Worker's entry file, or call handleRequest yourself.
import { handleRequest } from "./workerd.js";

export { handleRequest };

export default {
  fetch(request, env, ctx) {
    return handleRequest(request, env, ctx);
  },
};
