#!/usr/bin/env bash
#===- run.sh - build the libFuzzer targets and run them -------------------===#
#
# Usage: fuzz/run.sh [SECONDS] [BUILD_DIR]
# Configures BUILD_DIR (default build-fuzz) with
# QUANT_SANITIZE=address,undefined and QUANT_FUZZ=ON, builds the targets
# (quant-fuzz-mlir: parse + quantize + lower; quant-fuzz-lower: the lowering
# on any parsed module, with and without packed kernels; quant-fuzz-onnx;
# quant-fuzz-npy; quant-fuzz-ranges: ranges-in= JSON files), prints "fuzz: targets N", replays the kept regression inputs
# (fuzz/regressions/<fuzzer>/), seeds each corpus (the project's MLIR test
# inputs, Debian's libonnx-testdata models, the example .npy files) and runs
# each fuzzer for SECONDS (default 10) over it. Exits non-zero when a fuzzer
# finds a crash, leak, timeout or sanitizer report (the input is saved as
# BUILD_DIR/fuzz-artifacts/<fuzzer>/crash-*).
#
#===----------------------------------------------------------------------===#
set -euo pipefail
seconds=${1:-10}
build=${2:-build-fuzz}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash scripts/configure.sh "$build" -DQUANT_SANITIZE=address,undefined \
  -DQUANT_FUZZ=ON >/dev/null
fuzzers=(mlir lower onnx npy ranges)
echo "fuzz: targets ${#fuzzers[@]}"
cmake --build "$build" --target "${fuzzers[@]/#/quant-fuzz-}"

corpus="$build/fuzz-corpus"
artifacts="$build/fuzz-artifacts"
for name in "${fuzzers[@]}"; do
  mkdir -p "$corpus/$name" "$artifacts/$name"
done
# Seeds (copied once; the corpus then grows between runs).
if [ -z "$(ls -A "$corpus/mlir")" ]; then
  i=0
  while IFS= read -r f; do
    cp "$f" "$corpus/mlir/seed-$i.mlir"; i=$((i + 1))
  done < <(find test examples -name '*.mlir' -not -path '*/Output/*' | sort)
  i=0
  while IFS= read -r f; do
    cp "$f" "$corpus/onnx/seed-$i.onnx"; i=$((i + 1))
  done < <(find /usr/share/libonnx-testdata/data/node -name model.onnx | sort | head -300; ls examples/*.onnx fuzz/seeds/onnx/*.onnx)
  i=0
  while IFS= read -r f; do
    cp "$f" "$corpus/npy/seed-$i.npy"; i=$((i + 1))
  done < <(ls examples/*.npy)
fi
# Range files: the test suite's, and a few shapes of JSON.
if [ -z "$(ls -A "$corpus/ranges")" ]; then
  i=0
  while IFS= read -r f; do
    cp "$f" "$corpus/ranges/seed-$i.json"; i=$((i + 1))
  done < <(find test examples fuzz/seeds -name '*.json' -not -path '*/Output/*' | sort)
fi
# The lowering target starts from the same MLIR files (float and integer
# programs alike).
if [ -z "$(ls -A "$corpus/lower")" ]; then
  cp "$corpus"/mlir/seed-*.mlir "$corpus/lower/"
fi

status=0
for name in "${fuzzers[@]}"; do
  fuzzer="$build/bin/quant-fuzz-$name"
  # Regression inputs: every finding that was fixed stays here.
  if [ -d "fuzz/regressions/$name" ] && [ -n "$(ls -A "fuzz/regressions/$name")" ]; then
    "$fuzzer" -runs=0 fuzz/regressions/"$name"/* >/dev/null 2>&1 || {
      echo "fuzz: $name: a regression input fails again"; status=1; }
  fi
  log="$build/fuzz-$name.log"
  set +e
  ASAN_OPTIONS=detect_leaks=1 "$fuzzer" "$corpus/$name" \
    -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 \
    -print_final_stats=1 -artifact_prefix="$artifacts/$name/" >"$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
  cov=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" |
        tail -1 | grep -oE 'cov: [0-9]+' || true)
  findings=$(ls "$artifacts/$name" | wc -l)
  echo "fuzz: $name: ${runs:-0} executions in ${seconds}s, ${cov:-cov: ?}," \
       "corpus $(ls "$corpus/$name" | wc -l) inputs, findings $findings"
  if [ $rc -ne 0 ] || [ "$findings" -ne 0 ]; then
    echo "fuzz: $name: FAILED (see $log)"; tail -20 "$log"; status=1
  fi
done
exit $status
