// The license-verification Worker. In your own project, depend on the npm package and write:
//   export { default } from "gumroad-wasm/worker";
// This repository imports the freshly built package instead (`make package`).
export { default } from "../../dist/pkg/entries/worker.js";
