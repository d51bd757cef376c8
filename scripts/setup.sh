#!/usr/bin/env bash
#===- setup.sh - install the Debian packages quant-opt needs ------------===#
#
# Idempotent: installs only what is missing, so it is cheap to run before
# every build. Needs root (or sudo) only when something has to be installed.
#
#===----------------------------------------------------------------------===#
set -euo pipefail

PACKAGES=(
  # Compiler infrastructure: LLVM/MLIR 22 and the toolchain that builds us.
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22 lld-22
  cmake ninja-build ccache make git
  # Unit tests.
  libgtest-dev googletest
  # Reference fixed-point requantization (gemmlowp) for the unit tests.
  libgemmlowp-dev
  # ONNX import and its conformance test data.
  libonnx-dev libprotobuf-dev protobuf-compiler python3-onnx libonnx-testdata
  # Sanitizer and libFuzzer runtimes (QUANT_SANITIZE builds, fuzz/).
  libclang-rt-22-dev
  # Reference values and .npy inputs of the execution tests.
  python3 python3-numpy
  # Benchmark comparison: oneDNN (bench/quant-bench-onednn, make bench).
  libdnnl-dev
  # Real architectures (torchvision, random weights, fixed seed) exported to
  # ONNX for the model measurements, and PyTorch's own int8 as a reference.
  python3-torch python3-torchvision
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
