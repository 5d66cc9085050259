// Node ESM entry (also Deno and Bun): the `web` glue, initialised synchronously from the .wasm.
import { readFileSync } from "node:fs";
import { initSync } from "../web/gumroad_wasm.js";

// Run as installed, and in server bundles that emit the .wasm as an asset (Turbopack, esbuild,
// Rollup), this is a file: URL. webpack with a relative public path (Next.js server builds) gives
// a pseudo-URL with no protocol instead; then the package's own file is read, from the location
// webpack writes in for `import.meta.url` at build time.
const asset = new URL("../web/gumroad_wasm_bg.wasm", import.meta.url);
const here = import.meta.url;
initSync({ module: readFileSync(asset.protocol === "file:" ? asset : new URL("../web/gumroad_wasm_bg.wasm", here)) });

export * from "./exports.js";
