// Node CommonJS entry: the `nodejs` glue (loads its .wasm synchronously on require).
"use strict";
const glue = require("../node/gumroad_wasm.cjs");
const errors = require("../node/snippets/__SNIPPET__/js/errors.js");
const token = require("./license-token.cjs");

// `makeError` is internal to the glue.
const { makeError: _internal, ...publicErrors } = errors;
module.exports = { ...glue, ...publicErrors, ...token };
