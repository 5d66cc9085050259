// Plain-browser entry, no bundler: `await init()` (or `initSync`) before using the classes.
export { default, initSync } from "../web/gumroad_wasm.js";
export * from "../web/gumroad_wasm.js";
export * from "./errors-web.js";
export { isGumroadError } from "./errors-web.js";
export { LicenseClient, LicenseClientError, verifyLicenseToken, licenseKeyHash, deviceHash } from "./license.js";
export { VERSION } from "./version.js";

import { parsePing } from "../web/gumroad_wasm.js";
import { InvalidArgumentError } from "./errors-web.js";
import { pingHandlerFactory } from "./ping-handler.js";
export const createPingHandler = pingHandlerFactory(parsePing, InvalidArgumentError);
