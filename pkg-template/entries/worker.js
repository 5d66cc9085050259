// The license-verification Worker: `export { default } from "gumroad-wasm/worker"` in your
// Worker's entry file, or call handleRequest yourself. It runs the Worker build of the wasm
// (no client API in it); Workers hand over a compiled WebAssembly.Module, hence initSync.
import wasmModule from "../worker/gumroad_wasm_bg.wasm";
import { initSync, handleRequest } from "../worker/gumroad_wasm.js";

initSync({ module: wasmModule });

export { handleRequest };

export default {
  fetch(request, env, ctx) {
    return handleRequest(request, env, ctx);
  },
};
