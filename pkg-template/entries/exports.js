// What every runtime entry exports, whichever way it loads the .wasm (node.mjs, web.js,
// bundler.js, workerd.js, edge-light.js): the glue's classes with their resource namespaces,
// the error classes, LicenseClient and createPingHandler. Nothing here touches the wasm, so it
// may run before the entry has instantiated it.
import { GumroadClient, parsePing } from "../web/gumroad_wasm.js";
import { defineApi } from "./api.js";
import { InvalidArgumentError } from "./errors-web.js";
import { pingHandlerFactory } from "./ping-handler.js";

defineApi(GumroadClient);

export * from "../web/gumroad_wasm.js";
export * from "./errors-web.js";
// Both modules above export isGumroadError (the glue's wraps the errors module's): name one.
export { isGumroadError } from "./errors-web.js";
export { LicenseClient, LicenseClientError, verifyLicenseToken, licenseKeyHash, deviceHash } from "./license.js";
export { VERSION } from "./version.js";
export const createPingHandler = pingHandlerFactory(parsePing, InvalidArgumentError);
