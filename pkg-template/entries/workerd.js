// Cloudflare Workers (workerd) entry: Workers hand a compiled WebAssembly.Module to the import
// and refuse to compile wasm from bytes at run time, hence initSync with the module.
import wasmModule from "../web/gumroad_wasm_bg.wasm";
import { initSync } from "../web/gumroad_wasm.js";

initSync({ module: wasmModule });

export * from "../web/gumroad_wasm.js";
export * from "./errors-web.js";
export { isGumroadError } from "./errors-web.js";
export { LicenseClient, LicenseClientError, verifyLicenseToken, licenseKeyHash, deviceHash } from "./license.js";
export { VERSION } from "./version.js";

import { parsePing } from "../web/gumroad_wasm.js";
import { InvalidArgumentError } from "./errors-web.js";
import { pingHandlerFactory } from "./ping-handler.js";
export const createPingHandler = pingHandlerFactory(parsePing, InvalidArgumentError);
