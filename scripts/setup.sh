#!/usr/bin/env bash
# Installs what builds and tests need, skipping whatever is already present (idempotent).
#   scripts/setup.sh           toolchain + npm packages
#   scripts/setup.sh browser   also Chromium + chromedriver (for browser tests and the demo)
#   scripts/setup.sh wasm-pack also wasm-pack (the tests check the crate works with it)
#   scripts/setup.sh python    also target/pyenv: a Python venv with pygumroad from PyPI
#   scripts/setup.sh fuzz      also cargo-fuzz (scripts/fuzz.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

want_browser=0
want_wasm_pack=0
want_python=0
want_fuzz=0
for a in "$@"; do
  [[ "$a" == fuzz ]] && want_fuzz=1
  [[ "$a" == python ]] && want_python=1
  [[ "$a" == browser ]] && want_browser=1
  [[ "$a" == wasm-pack ]] && want_wasm_pack=1
done

# 1. wasm32 target.
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen CLI, exactly the version Cargo.lock pins (a mismatch fails at glue time).
[[ -f Cargo.lock ]] || cargo generate-lockfile
wb_version=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [[ "$have" != "$wb_version" ]]; then
  step "installing wasm-bindgen-cli $wb_version (about 2 minutes, once)"
  # --locked first; the registry mirror here lacks one locked dependency, so fall back.
  cargo install wasm-bindgen-cli --version "$wb_version" --locked --force \
    || cargo install wasm-bindgen-cli --version "$wb_version" --force
fi

# 3. wasm-pack (crate registry; never the npm package, whose installer downloads from GitHub).
if [[ $want_wasm_pack == 1 ]] && ! command -v wasm-pack >/dev/null; then
  step "installing wasm-pack (about 3 minutes, once)"
  cargo install wasm-pack --locked || cargo install wasm-pack
fi

# 3b. cargo-fuzz (crate registry). Its sanitizer flags are nightly-only; scripts/fuzz.sh runs it
# on the stable toolchain with RUSTC_BOOTSTRAP=1.
# libfuzzer-sys compiles libFuzzer's C++ sources: a C++ compiler from Debian when there is none.
if [[ $want_fuzz == 1 ]] && ! command -v c++ >/dev/null; then
  step "installing g++ from apt (libFuzzer is C++)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq g++ >/dev/null
fi
if [[ $want_fuzz == 1 ]] && ! cargo fuzz --version >/dev/null 2>&1; then
  step "installing cargo-fuzz (about 2 minutes, once)"
  cargo install cargo-fuzz --locked
fi

# 4. npm packages from the committed lockfile (binaryen's wasm-opt, workerd, playwright-core).
stamp=node_modules/.package-lock.sha
sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$sum" ]]; then
  step "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$sum" > "$stamp"
fi

# 5. Chromium + chromedriver from Debian (never a downloaded browser build).
if [[ $want_browser == 1 ]] && ! { command -v chromium >/dev/null && command -v chromedriver >/dev/null; }; then
  step "installing chromium and chromium-driver from apt"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi
# 6. A Python venv with pygumroad 0.0.3 (PyPI), whose unchanged calls run against gumroad-mock.
if [[ $want_python == 1 ]] && ! target/pyenv/bin/python -c "import pygumroad" 2>/dev/null; then
  step "creating target/pyenv with pygumroad 0.0.3 from PyPI"
  rm -rf target/pyenv
  mkdir -p target
  if ! python3 -m venv target/pyenv 2>/dev/null; then
    # Debian ships venv's ensurepip separately.
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq python3 python3-venv >/dev/null
    rm -rf target/pyenv
    python3 -m venv target/pyenv
  fi
  target/pyenv/bin/pip install -q --disable-pip-version-check pygumroad==0.0.3
fi
exit 0
