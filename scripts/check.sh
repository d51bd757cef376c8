#!/usr/bin/env bash
#===- check.sh - build and run the whole test suite ----------------------===#
#
# Usage: check.sh BUILD_DIR
# Builds everything, runs the lit regression tests and the GoogleTest unit
# tests (through lit), then each libFuzzer target for QUANT_FUZZ_SECONDS
# (default 5; 0 skips them) in an ASan + UBSan build (build-fuzz), and ends
# with one summary line "N passed, M failed" (each fuzzer counts as a test).
#
#===----------------------------------------------------------------------===#
set -uo pipefail
build=${1:-build}

cmake --build "$build" || exit 1

log="$build/check.log"
cmake --build "$build" --target check-quant-ops 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

count() {
  grep -E "^\s*$1\s*:" "$log" | head -n 1 | sed -E 's/.*:\s*([0-9]+).*/\1/'
}
passed=$(count "Passed")
failed=0
for kind in Failed Unresolved "Timed Out" "Unexpectedly Passed"; do
  n=$(count "$kind")
  failed=$((failed + ${n:-0}))
done
fuzz_seconds=${QUANT_FUZZ_SECONDS:-5}
if [ "$fuzz_seconds" != 0 ]; then
  fuzz_log="$build/check-fuzz.log"
  bash "$(dirname "$0")/../fuzz/run.sh" "$fuzz_seconds" build-fuzz >"$fuzz_log" 2>&1
  fuzz_status=$?
  grep -E '^fuzz: ' "$fuzz_log"
  fuzz_passed=$(grep -cE '^fuzz: [a-z]+: .*findings 0$' "$fuzz_log")
  fuzz_targets=$(sed -nE 's/^fuzz: targets ([0-9]+)$/\1/p' "$fuzz_log")
  passed=$(( ${passed:-0} + fuzz_passed ))
  failed=$(( failed + ${fuzz_targets:-1} - fuzz_passed ))
  if [ "$fuzz_status" -ne 0 ]; then
    tail -30 "$fuzz_log"
    status=1
  fi
fi
echo "check: ${passed:-0} passed, ${failed} failed"
if [ "$status" -eq 0 ] && [ "${passed:-0}" -eq 0 ]; then
  echo "check: no test ran" >&2
  exit 1
fi
exit "$status"
