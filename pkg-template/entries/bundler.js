// Bundler entry (Vite, webpack, esbuild, Rollup): the `bundler` glue imports the .wasm as a module.
export * from "../bundler/gumroad_wasm.js";
export * from "./errors-bundler.js";
export { isGumroadError } from "./errors-bundler.js";
export { verifyLicenseToken, licenseKeyHash } from "./license-token.js";
