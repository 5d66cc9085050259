#!/usr/bin/env bash
# `make test`: everything CI checks. Installs what it needs first (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
started=$(date +%s)

scripts/setup.sh browser

step "format and lints (native + wasm32)"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo clippy --target wasm32-unknown-unknown --lib --tests --quiet -- -D warnings

step "native tests: core + gumroad-mock"
cargo test --workspace --quiet

scripts/build.sh

trap stop_mock EXIT
start_mock /tmp/gumroad-wasm-test-mock.log
export GUMROAD_MOCK_URL=$MOCK_URL WASM_BINDGEN_TEST_TIMEOUT=60

step "wasm-bindgen-test in Node (mock at $MOCK_URL)"
cargo test --target wasm32-unknown-unknown --test wasm

step "wasm-bindgen-test in headless Chromium"
WASM_BINDGEN_USE_BROWSER=1 cargo test --target wasm32-unknown-unknown --test wasm
stop_mock

step "TypeScript: a strict consumer project type-checks (and wrong calls do not)"
tsc -p tests/types/tsconfig.json

step "gumroad-mock conformance (direct + Maton), client suite (Node + Chromium), Worker (workerd), demo page (Chromium)"
node --test --test-concurrency=1 tests/conformance/ tests/client/ tests/worker/ tests/demo/

step "npm package: npm pack, installed into fresh Node ESM/CJS, esbuild and Vite (Chromium), Worker (wrangler + workerd) and strict TypeScript projects"
node --test --test-concurrency=1 tests/packaging/

step "DEMO_ONCE=1 make demo (smoke check)"
DEMO_ONCE=1 node scripts/demo.mjs

echo
echo "make test: all checks passed in $(( $(date +%s) - started ))s"
