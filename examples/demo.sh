#!/usr/bin/env bash
#===- demo.sh - the main job on the shipped example ----------------------===#
#
# Usage: demo.sh BUILD_DIR
# Runs quant-opt over every model in examples/: verifies it, canonicalizes
# it and writes the result to BUILD_DIR/examples/. Later stages of the
# pipeline (quantization, lowering, object emission) extend this script.
#
#===----------------------------------------------------------------------===#
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
quant_opt="$build/bin/quant-opt"
out="$build/examples"
mkdir -p "$out"

for model in "$here"/*.mlir; do
  name=$(basename "$model" .mlir)
  echo "== $name: verify and canonicalize with quant-opt"
  "$quant_opt" --verify-each --canonicalize "$model" -o "$out/$name.canonical.mlir"
  ops=$(grep -o 'qops\.[a-z0-9_]*' "$out/$name.canonical.mlir" | sort | uniq -c |
        awk '{printf "%s%s x%s", sep, $2, $1; sep=", "}')
  echo "   ok: $out/$name.canonical.mlir"
  echo "   ops: $ops"
done
