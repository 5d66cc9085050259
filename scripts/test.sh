#!/usr/bin/env bash
# `make test`: everything CI checks. Installs what it needs first (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
started=$(date +%s)

scripts/setup.sh browser wasm-pack python

step "format and lints (native + wasm32)"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo clippy --target wasm32-unknown-unknown --lib --tests --quiet -- -D warnings
# Each of the two package builds on its own (features `client` and `worker`).
cargo clippy --target wasm32-unknown-unknown --lib --quiet --no-default-features --features client -- -D warnings
cargo clippy --target wasm32-unknown-unknown --lib --quiet --no-default-features --features worker \
  --target-dir target/worker-build -- -D warnings
# gumroad-mock's core (no tokio/hyper host) builds for wasm, where the npm package will run it.
cargo clippy -p gumroad-mock --target wasm32-unknown-unknown --lib --quiet --no-default-features -- -D warnings

step "TypeScript: the package's own JS (js/*.js, the generated js/api.js included) passes strict tsc --checkJs"
tsc -p js/tsconfig.json

step "native tests: core + gumroad-mock, generated files up to date, a short property-based fuzz run (PROPTEST_CASES=${PROPTEST_CASES:=512})"
PROPTEST_CASES=$PROPTEST_CASES cargo test --workspace --quiet

step "coverage-guided fuzzing: every cargo-fuzz target for ${FUZZ_SECONDS:=5}s (scripts/fuzz.sh)"
scripts/fuzz.sh "$FUZZ_SECONDS"

scripts/build.sh

trap stop_mock EXIT
start_mock /tmp/gumroad-wasm-test-mock.log
export GUMROAD_MOCK_URL=$MOCK_URL WASM_BINDGEN_TEST_TIMEOUT=60

step "wasm-bindgen-test in Node, through wasm-pack (mock at $MOCK_URL)"
wasm-pack test --node -- --test wasm

step "wasm-bindgen-test in headless Chromium, through wasm-pack (requests through tests/support/one-request-proxy.mjs)"
trap 'stop_mock; stop_browser_proxy' EXIT
start_browser_proxy
wasm-pack test --headless --chrome -- --test wasm_browser
stop_browser_proxy

step "wasm-pack build --target nodejs: the plain wasm-pack package works too"
rm -rf target/wasm-pack
wasm-pack build --target nodejs --out-dir target/wasm-pack/node --out-name gumroad_wasm
node -e '
  // The wasm alone: the classes and request() (the resource namespaces are the package facade).
  const g = require("./target/wasm-pack/node/gumroad_wasm.js");
  new g.GumroadClient({ baseUrl: process.env.GUMROAD_MOCK_URL + "/v2" })
    .request("POST", "/licenses/verify", { product_id: "U2tldGNoUHJvLURlc2t0b3A=", license_key: "DEC0DE00-00000000-00000000-00000002" })
    .then((v) => { if (!v.purchase || v.purchase.refunded !== true) throw new Error(JSON.stringify(v)); console.log("wasm-pack nodejs package: ok"); });
'
stop_mock

step "TypeScript: a strict consumer project type-checks (and wrong calls do not)"
tsc -p tests/types/tsconfig.json

step "gumroad-mock conformance (direct + Maton), pygumroad's calls, client suite (Node + Chromium), Worker (workerd), license tokens (Node + Chromium + workerd), LicenseClient (Node + Chromium), ping handler (Node + workerd), demo page (Chromium)"
node --test --test-concurrency=1 tests/size/ tests/conformance/ tests/compat/ tests/client/ tests/faults/ tests/worker/ tests/token/ tests/license/ tests/ping/ tests/soak/ tests/demo/

step "npm package: npm pack, installed into fresh projects: Node ESM/CJS, Deno, Bun ESM/CJS, Vercel Edge (edge-runtime), esbuild, Vite build + dev and webpack 5 (Chromium), Worker (wrangler + workerd), strict TypeScript"
node --test --test-concurrency=1 tests/packaging/

step "DEMO_ONCE=1 make demo (smoke check)"
DEMO_ONCE=1 node scripts/demo.mjs

echo
echo "make test: all checks passed in $(( $(date +%s) - started ))s"
