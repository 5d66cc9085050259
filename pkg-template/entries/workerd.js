// Cloudflare Workers (workerd) entry: Workers hand a compiled WebAssembly.Module to the import
// and refuse to compile wasm from bytes at run time, hence initSync with the module.
import wasmModule from "../web/gumroad_wasm_bg.wasm";
import { initSync } from "../web/gumroad_wasm.js";

initSync({ module: wasmModule });

export * from "./exports.js";
