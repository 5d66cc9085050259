// The license server Worker. In your own project, depend on the npm package and write:
//   export { default, LicenseLedger } from "gumroad-wasm/worker";
// This repository imports the freshly built package instead (`make package`).
export { default, LicenseLedger } from "../../dist/pkg/entries/worker.js";
