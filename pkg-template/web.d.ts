export * from "./web/gumroad_wasm.js";
export { default } from "./web/gumroad_wasm.js";
export * from "./errors.js";
export { isGumroadError } from "./errors.js";
export * from "./license-token.js";
export * from "./ping-handler.js";
