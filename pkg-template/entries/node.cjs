// Node CommonJS entry: the ESM entry itself, through require(esm) (Node 20.19+, Bun, Deno), so
// `require` and `import` share one module instance, one .wasm and one set of error classes.
"use strict";
module.exports = require("./node.mjs");
