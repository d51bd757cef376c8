#!/usr/bin/env bash
#===- check.sh - build and run the whole test suite ----------------------===#
#
# Usage: check.sh BUILD_DIR
# Builds everything, runs the lit regression tests and the GoogleTest unit
# tests (through lit), and ends with one summary line "N passed, M failed".
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
echo "check: ${passed:-0} passed, ${failed} failed"
if [ "$status" -eq 0 ] && [ "${passed:-0}" -eq 0 ]; then
  echo "check: no test ran" >&2
  exit 1
fi
exit "$status"
