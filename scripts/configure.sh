#!/usr/bin/env bash
#===- configure.sh - configure the CMake build once ----------------------===#
#
# Usage: configure.sh BUILD_DIR [extra cmake args...]
# Ninja, clang 22, lld and ccache (when present); links against libMLIR.so.
#
#===----------------------------------------------------------------------===#
set -euo pipefail
build=${1:-build}
shift || true
if [ -f "$build/build.ninja" ] && [ $# -eq 0 ]; then
  exit 0
fi
launcher=()
if command -v ccache >/dev/null 2>&1; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -G Ninja -S . -B "$build" \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER=/usr/lib/llvm-22/bin/clang \
  -DCMAKE_CXX_COMPILER=/usr/lib/llvm-22/bin/clang++ \
  -DLLVM_USE_LINKER=lld \
  -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
  "${launcher[@]}" "$@"
