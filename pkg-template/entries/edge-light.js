// Vercel Edge / Next.js edge runtime entry (the `edge-light` condition): like workerd, the edge
// runtime refuses to compile wasm from bytes at run time; its bundler hands a compiled
// WebAssembly.Module to a `.wasm?module` import instead.
import wasmModule from "../web/gumroad_wasm_bg.wasm?module";
import { initSync } from "../web/gumroad_wasm.js";

// Next.js's edge sandbox compiles the module in its host realm, so `instanceof
// WebAssembly.Module` is false here and the glue would try to compile it again from "bytes".
// The module itself is valid in any realm: give it this realm's prototype.
if (!(wasmModule instanceof WebAssembly.Module)) Object.setPrototypeOf(wasmModule, WebAssembly.Module.prototype);
initSync({ module: wasmModule });

export * from "./exports.js";
