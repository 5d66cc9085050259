#!/usr/bin/env bash
# Builds everything:
#   dist/pkg/     the npm package: the client build (feature `client`) as web glue in web/,
#                 the one .wasm every client entry loads; the Worker build (feature `worker`)
#                 as web glue in worker/; both wasm-opt'd, plus pkg-template
#   target/release/gumroad-mock
#
# DEBUG=1 (`make package DEBUG=1`): the same package with the wasm's function names (its "name"
# section) and DWARF kept, so a stack trace from inside the wasm names Rust functions; several
# times larger, for debugging only. Its own target directories keep the release cache intact.
# PKG_OUT=dir writes the package somewhere other than dist/pkg.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

debug=${DEBUG:-0}
client_target=target worker_target=target/worker-build
opt_flags=(--strip-debug --strip-producers)
bindgen_flags=()
if [[ $debug == 1 ]]; then
  export CARGO_PROFILE_RELEASE_DEBUG=2 CARGO_PROFILE_RELEASE_STRIP=none
  client_target=target/debug-names worker_target=target/debug-names-worker
  opt_flags=(-g)
  bindgen_flags=(--keep-debug)
fi

step "cargo build (wasm32, release$([[ $debug == 1 ]] && echo ', names and DWARF kept')): client build, worker build; gumroad-mock"
# Separate target directories, so neither build invalidates the other's cache.
cargo build --release --target wasm32-unknown-unknown --lib --quiet \
  --no-default-features --features client --target-dir "$client_target"
cargo build --release --target wasm32-unknown-unknown --lib --quiet \
  --no-default-features --features worker --target-dir "$worker_target"
(unset CARGO_PROFILE_RELEASE_DEBUG CARGO_PROFILE_RELEASE_STRIP; cargo build --release -p gumroad-mock --quiet)

client_wasm=$client_target/wasm32-unknown-unknown/release/gumroad_wasm.wasm
worker_wasm=$worker_target/wasm32-unknown-unknown/release/gumroad_wasm.wasm
out=${PKG_OUT:-dist/pkg}
rm -rf "$out"
mkdir -p "$out"

step "wasm-bindgen (client and worker: web glue) + wasm-opt -Oz"
# One glue and one .wasm per build: every client entry (Node ESM and CommonJS, bundlers,
# browsers, Deno, Bun, workerd, Vercel Edge) loads web/gumroad_wasm_bg.wasm in its own way.
for build in web worker; do
  dir=$out/$build wasm=$client_wasm
  [[ $build == worker ]] && wasm=$worker_wasm
  wasm-bindgen --target web "${bindgen_flags[@]}" --out-dir "$dir" --out-name gumroad_wasm "$wasm"
  # binaryen from npm (never Debian's 108, which breaks reference types).
  wasm-opt -Oz "${opt_flags[@]}" --enable-reference-types --enable-bulk-memory \
    --enable-nontrapping-float-to-int --enable-sign-ext --enable-multivalue --enable-mutable-globals \
    "$dir/gumroad_wasm_bg.wasm" -o "$dir/gumroad_wasm_bg.wasm"
done
# The generated glue and the client's JS snippets ship without comments and whitespace (names
# kept, so stack traces still read): a third of the client's JavaScript bytes (gzip), for
# runtimes that load the package as is (Node, Deno, Bun, workerd). DEBUG=1 keeps them as
# written. The entry files stay readable: they are the package's documented surface.
if [[ $debug != 1 ]]; then
  for f in "$out"/web/gumroad_wasm.js "$out"/web/snippets/*/js/*.js "$out"/worker/gumroad_wasm.js "$out"/worker/snippets/*/js/*.js; do
    [[ -f $f ]] || continue
    node_modules/.bin/esbuild "$f" --minify-whitespace --minify-syntax --format=esm \
      --log-level=warning --outfile="$f" --allow-overwrite
  done
fi
# wasm-bindgen declares `[Symbol.dispose]()` on every class, which needs TypeScript's
# esnext.disposable lib; consumers on ES2022 libs would fail to type-check. The method stays at
# run time (where supported); only its declaration is dropped.
sed -i '/\[Symbol\.dispose\]()/d' "$out"/*/gumroad_wasm.d.ts

snippet=$(basename "$(ls -d "$out"/web/snippets/gumroad-wasm-*)")
version=$(awk -F'"' '/^version = /{print $2; exit}' Cargo.toml)
cp -r pkg-template/. "$out/"
cp LICENSE "$out/LICENSE"
# Plain JS modules the entries import (never the wasm): createPingHandler around the glue's
# parsePing, and the resource namespaces (js/api.js, generated from the endpoint table) with the
# iterator of `iterate()`. Minified like the glue, names kept.
for f in ping-handler api pages; do
  if [[ $debug == 1 ]]; then
    cp "js/$f.js" "$out/entries/$f.js"
  else
    node_modules/.bin/esbuild "js/$f.js" --minify-whitespace --minify-syntax --format=esm \
      --log-level=warning --outfile="$out/entries/$f.js"
  fi
done
# LicenseClient and the offline token verifier (js/license.js and what it imports) are plain JS
# on WebCrypto, no wasm: bundled into one ES module (the main entries re-export it, and
# `gumroad-wasm/license` loads it alone) and one CommonJS module for `require`, both made by
# esbuild from the same source, so the two cannot drift apart. Minified like the glue, names
# kept; DEBUG=1 keeps them as written.
license_minify=(--minify-whitespace --minify-syntax)
[[ $debug == 1 ]] && license_minify=()
for format in esm cjs; do
  ext=js
  [[ $format == cjs ]] && ext=cjs
  node_modules/.bin/esbuild js/license.js --bundle --format=$format --platform=neutral "${license_minify[@]}" \
    --log-level=warning --outfile="$out/entries/license.$ext"
done
for f in "$out"/entries/*.js "$out"/entries/*.cjs "$out"/entries/*.mjs "$out/package.json"; do
  sed -i "s/__SNIPPET__/$snippet/g; s/__VERSION__/$version/g" "$f"
done


for build in web worker; do
  raw=$(stat -c %s "$out/$build/gumroad_wasm_bg.wasm")
  gz=$(gzip -9c "$out/$build/gumroad_wasm_bg.wasm" | wc -c)
  echo "built $out/$build: gumroad_wasm_bg.wasm $raw bytes ($gz gzip -9)"
done
