#!/usr/bin/env bash
# Coverage-guided fuzzing (cargo-fuzz, libFuzzer) of every parser, one target at a time.
#   scripts/fuzz.sh [seconds per target] [target ...]     (default: 60 s, every target)
# FUZZ_SANITIZER=address adds AddressSanitizer. It is off by default: src/core has no unsafe
# code, so it would only watch the dependencies' (serde_json's), at a third to a sixth of the
# executions per second. The main oracle, a panic, is caught either way.
# Everything it writes is under target/fuzz: the build, the corpora (target/fuzz/corpus/<target>,
# which grow from run to run; fuzz/seeds/<target> is read alongside, never written), logs, and
# crash inputs (target/fuzz/artifacts/<target>/). A crash fails the run: copy its input into
# fuzz/regressions/<target>/ and `cargo test --test fuzz_regressions` replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

secs=${1:-60}
shift || true
scripts/setup.sh fuzz

targets=("$@")
if [[ ${#targets[@]} == 0 ]]; then
  for f in fuzz/fuzz_targets/*.rs; do targets+=("$(basename "$f" .rs)"); done
fi

out=$PWD/target/fuzz
sanitizer=${FUZZ_SANITIZER:-none}
host=$(rustc -vV | sed -n 's/^host: //p')
bin=$out/build/$host/release

step "cargo fuzz build (sanitizer: $sanitizer; the first build takes minutes)"
cargo fmt --manifest-path fuzz/Cargo.toml -- --check
# With a sanitizer cargo-fuzz passes nightly-only flags (-Zsanitizer); the stable compiler
# accepts them with RUSTC_BOOTSTRAP=1.
started=$(date +%s)
mkdir -p "$out/logs"
build=(cargo fuzz build --sanitizer "$sanitizer" --target-dir "$out/build")
if [[ $# == 0 ]]; then
  RUSTC_BOOTSTRAP=1 "${build[@]}" >"$out/logs/build.log" 2>&1 || { cat "$out/logs/build.log" >&2; exit 1; }
else
  for t in "${targets[@]}"; do
    RUSTC_BOOTSTRAP=1 "${build[@]}" "$t" >"$out/logs/build.log" 2>&1 || { cat "$out/logs/build.log" >&2; exit 1; }
  done
fi
echo "built in $(( $(date +%s) - started ))s"

step "fuzzing ${#targets[@]} targets for ${secs}s each"
failed=()
report=()
for t in "${targets[@]}"; do
  corpus=$out/corpus/$t
  artifacts=$out/artifacts/$t
  log=$out/logs/$t.log
  mkdir -p "$corpus" "$artifacts" "$out/logs"
  rm -f "$artifacts"/crash-* "$artifacts"/timeout-* "$artifacts"/oom-* "$artifacts"/leak-*
  rc=0
  "$bin/$t" -max_total_time="$secs" -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$corpus" "fuzz/seeds/$t" >"$log" 2>&1 || rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  [[ -n "$runs" ]] || runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  if [[ $rc == 0 ]]; then
    result=ok
  else
    result="FAILED (exit $rc)"
    failed+=("$t")
    echo >&2
    echo "fuzz target $t failed (full log: $log):" >&2
    if grep -q 'panicked at' "$log"; then
      grep -A4 'panicked at' "$log" | cut -c1-600 >&2
    else
      grep -v '^#[0-9]' "$log" | tail -40 >&2
    fi
    grep '^SUMMARY' "$log" >&2 || true
    for a in "$artifacts"/*; do
      [[ -f "$a" ]] && echo "crash input: $a (copy it into fuzz/regressions/$t/ to replay it in cargo test)" >&2
    done
  fi
  report+=("$(printf '%-10s %12s runs %8s exec/s %6s corpus  %s' "$t" "${runs:-?}" "${rate:-?}" \
    "$(find "$corpus" -type f | wc -l)" "$result")")
done

echo
echo "cargo-fuzz, ${secs}s per target:"
printf '  %s\n' "${report[@]}"
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzzing found failures in: ${failed[*]}" >&2
  exit 1
fi
