export * from "./web/gumroad_wasm.js";
export { default } from "./web/gumroad_wasm.js";
export * from "./errors.js";
export { isGumroadError } from "./errors.js";
export * from "./license.js";
export * from "./ping-handler.js";
/** This package's version (the npm version, stamped from Cargo.toml at build time). */
export declare const VERSION: string;
