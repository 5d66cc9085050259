// Plain-browser entry, no bundler: `await init()` (or `initSync`) before using the classes.
export { default, initSync } from "../web/gumroad_wasm.js";
export * from "./exports.js";
