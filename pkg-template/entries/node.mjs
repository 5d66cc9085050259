// Node ESM entry: the `web` glue, initialised synchronously from the .wasm file next to it.
import { readFileSync } from "node:fs";
import { initSync } from "../web/gumroad_wasm.js";

initSync({ module: readFileSync(new URL("../web/gumroad_wasm_bg.wasm", import.meta.url)) });

export * from "../web/gumroad_wasm.js";
export * from "./errors-web.js";
export { isGumroadError } from "./errors-web.js";
export { verifyLicenseToken, licenseKeyHash } from "./license-token.js";
