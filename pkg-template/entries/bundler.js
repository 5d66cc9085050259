// Bundler and browser entry (Vite, webpack, esbuild, Rollup, Next.js client code, web workers):
// the `web` glue fetches the .wasm from `new URL("gumroad_wasm_bg.wasm", import.meta.url)`, a
// pattern every bundler turns into an emitted asset with no plugin, and top-level await finishes
// set-up before the importer runs, so no `init()` call is needed.
import init from "../web/gumroad_wasm.js";

await init();

export * from "./exports.js";
