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
# Node.js and npm run ONNX Runtime, the bench's reference (below). Checked
# as commands, not packages: a Node.js from elsewhere (whose npm is bundled)
# serves as well as Debian's nodejs + npm.
command -v node > /dev/null 2>&1 || missing+=(nodejs)
command -v npm > /dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -ne 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# ONNX Runtime for the benchmark's reference columns (bench/ort_run.js,
# bench/families.py) and the lit feature 'ort': the npm package
# onnxruntime-node, pinned, in a cache folder outside the repository
# (QUANT_ORT_DIR, default ~/.cache/quant-opt/onnxruntime-node). The package
# bundles its prebuilt CPU library for linux-x64 (libonnxruntime.so.1 and
# the N-API binding), so after this download it works offline. Its
# postinstall script would fetch the CUDA provider from another host
# (not needed, and not reachable here): --ignore-scripts skips it. The
# other platforms' binaries are deleted (about 240 MB of the 290 MB).
# Optional: when npm cannot install it, setup warns and goes on, and the
# benchmark prints its columns as n/a.
ORT_NODE_VERSION=1.30.0
ort_dir=${QUANT_ORT_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/quant-opt/onnxruntime-node}
ort_pkg="$ort_dir/node_modules/onnxruntime-node"
if ! grep -qs "\"version\": \"$ORT_NODE_VERSION\"" "$ort_pkg/package.json"; then
  echo "setup: installing onnxruntime-node $ORT_NODE_VERSION into $ort_dir" >&2
  mkdir -p "$ort_dir"
  if npm install --prefix "$ort_dir" --ignore-scripts --no-audit --no-fund \
       --no-package-lock --no-save --fetch-retries=1 --loglevel=error \
       "onnxruntime-node@$ORT_NODE_VERSION" > "$ort_dir/install.log" 2>&1; then
    here_bin="$ort_pkg/bin/napi-v6"
    keep="$(node -p 'process.platform + "/" + process.arch')"
    for d in "$here_bin"/*/*; do
      [ "${d#"$here_bin"/}" = "$keep" ] || rm -rf "$d"
    done
    rmdir "$here_bin"/* 2> /dev/null || true
  else
    echo "setup: could not install onnxruntime-node (see $ort_dir/install.log);" \
      "make bench prints its ONNX Runtime columns as n/a" >&2
  fi
fi
