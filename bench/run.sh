#!/usr/bin/env bash
#===- run.sh - time the benchmark layers in fp32 and int8 -----------------===#
#
# Usage: bench/run.sh [BUILD_DIR] [--tiny]
# Generates the layers (bench/layers.py), compiles each through the project
# in fp32 (quant-opt --qops-to-llvm, as quant-run does) and in int8
# (--quantize-int8 with the layer's calibration set), times both with
# quant-run --repeat (single thread, median after a warm-up call) and prints
# one table: ms, GOPS, int8 / fp32 speedup.
#
# Not yet in the table (issue 8): oneDNN's figures and the CPU's measured
# vpdpbusd / FMA peaks.
#
#===----------------------------------------------------------------------===#
set -euo pipefail
build=${1:-build}
tiny=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
bin="$build/bin"
out="$build/bench"
mkdir -p "$out"
/usr/bin/python3 "$here/layers.py" "$out" $tiny

median() {
  # quant-run: @main: K timed calls, median X ms, min Y ms per call
  "$bin/quant-run" "$@" | sed -nE 's/.*median ([0-9.eE+-]+) ms.*/\1/p'
}

printf '%-8s %10s %9s %10s %9s %9s\n' layer "fp32 ms" "fp32 GOPS" "int8 ms" \
  "int8 GOPS" "int8/fp32"
while read -r name ops; do
  repeat=$( [ -n "$tiny" ] && echo 3 || echo 20 )
  "$bin/quant-opt" --quantize-int8="calibration=$out/${name}_calib.npy" \
    "$out/$name.mlir" -o "$out/$name.int8.mlir" 2>/dev/null
  f=$(median "$out/$name.mlir" --input "$out/${name}_input.npy" --repeat "$repeat")
  i=$(median "$out/$name.int8.mlir" --input "$out/${name}_input.npy" --repeat "$repeat")
  awk -v n="$name" -v ops="$ops" -v f="$f" -v i="$i" 'BEGIN {
    printf "%-8s %10.3f %9.1f %10.3f %9.1f %9.2f\n", n, f, ops / f / 1e6,
           i, ops / i / 1e6, f / i }'
done < "$out/layers.txt"
