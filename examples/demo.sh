#!/usr/bin/env bash
#===- demo.sh - the main job on the shipped example ----------------------===#
#
# Usage: demo.sh BUILD_DIR
# For examples/small_cnn.mlir: verify it, fold its batch norms and fuse its
# activations, run both versions with quant-run (JIT) on
# examples/small_cnn_input.npy, quantize it (calibration + QDQ program) and
# simulate the int8 model, compile the folded float model to a native
# object file and C header, link the object with a small C driver, run it on
# the same input and compare; finally quantize it to integer ops, compile
# the int8 program to an object file, run it through the same C driver and
# compare with the int8 simulation (bit for bit) and with fp32. Outputs go
# to BUILD_DIR/examples/.
#
#===----------------------------------------------------------------------===#
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
bin="$build/bin"
out="$build/examples"
mkdir -p "$out"
model="$here/small_cnn.mlir"
input="$here/small_cnn_input.npy"

count_ops() {
  grep -oE '= qops\.[a-z0-9_]+' "$1" | sed 's/= qops\.//' | sort | uniq -c |
    awk '{printf "%s%s x%s", sep, $2, $1; sep=", "}'
}

echo "== 1. verify: quant-opt --verify-each --canonicalize"
"$bin/quant-opt" --verify-each --canonicalize "$model" -o "$out/small_cnn.canonical.mlir"
echo "   ops: $(count_ops "$out/small_cnn.canonical.mlir")"

echo "== 2. graph passes: quant-opt --fold-bn --fuse-activations"
"$bin/quant-opt" --fold-bn --fuse-activations "$model" -o "$out/small_cnn.folded.mlir"
echo "   ops: $(count_ops "$out/small_cnn.folded.mlir")"

echo "== 3. run (JIT): quant-run --input small_cnn_input.npy, before and after"
"$bin/quant-run" "$model" --input "$input" --output "$out/small_cnn_jit.npy"
"$bin/quant-run" "$out/small_cnn.folded.mlir" --input "$input" \
  --output "$out/small_cnn_folded_jit.npy" --repeat 100
/usr/bin/python3 "$here/compare.py" --npy "$out/small_cnn_folded_jit.npy" \
  "$out/small_cnn_jit.npy" 1e-5 | sed 's/^/   folded vs original: /'

echo "== 4. quantize: quant-opt --fold-bn --quantize-int8=\"calibration=small_cnn_calibration.npy\", then simulate on the input"
"$bin/quant-opt" --fold-bn --quantize-int8="calibration=$here/small_cnn_calibration.npy emit=qdq" "$model" \
  -o "$out/small_cnn.qdq.mlir"
echo "   ops: $(count_ops "$out/small_cnn.qdq.mlir")"
"$bin/quant-run" "$out/small_cnn.qdq.mlir" --input "$input" --output "$out/small_cnn_qdq.npy"
/usr/bin/python3 - "$out/small_cnn_qdq.npy" "$out/small_cnn_jit.npy" <<'PY'
import sys
import numpy as np
q, f = np.load(sys.argv[1]), np.load(sys.argv[2])
print(f"   int8 simulation vs fp32: max |difference| = {float(np.abs(q - f).max()):.4f}, "
      f"argmax agrees on {int((q.argmax(1) == f.argmax(1)).sum())}/{len(f)} samples")
PY

echo "== 5. compile: quant-opt --qops-to-llvm | quant-translate --emit-obj / --emit-header"
"$bin/quant-opt" --qops-to-llvm "$out/small_cnn.folded.mlir" -o "$out/small_cnn.llvm.mlir"
"$bin/quant-translate" --emit-obj "$out/small_cnn.llvm.mlir" -o "$out/small_cnn.o"
"$bin/quant-translate" --emit-header "$out/small_cnn.llvm.mlir" -o "$out/model.h"
grep -A1 "^int model_main" "$out/model.h" | sed 's/^/   /'

echo "== 6. link with a C driver (libc + libm only) and run on the same input"
/usr/lib/llvm-22/bin/clang -O2 -DIN_ELEMS=192 -DOUT_ELEMS=10 -I"$out" \
  "$here/run_model.c" "$out/small_cnn.o" -lm -o "$out/run_model"
"$out/run_model" "$input" "$out/small_cnn_object.raw" | sed 's/^/   /'
/usr/bin/python3 "$here/compare.py" "$out/small_cnn_object.raw" \
  "$out/small_cnn_folded_jit.npy" 1e-6 | sed 's/^/   object vs quant-run: /'
/usr/bin/python3 - "$out/small_cnn_jit.npy" <<'PY'
import sys
import numpy as np
probs = np.load(sys.argv[1])
for i, p in enumerate(probs):
    print(f"   sample {i}: class {int(np.argmax(p))} (p = {float(np.max(p)):.3f})")
PY

echo "== 7. int8: quant-opt --fold-bn --quantize-int8=\"calibration=small_cnn_calibration.npy\" | quant-opt --qops-to-llvm | quant-translate --emit-obj"
"$bin/quant-opt" --fold-bn --quantize-int8="calibration=$here/small_cnn_calibration.npy" "$model" \
  -o "$out/small_cnn.int8.mlir" 2>/dev/null
echo "   ops: $(count_ops "$out/small_cnn.int8.mlir")"
"$bin/quant-opt" --qops-to-llvm "$out/small_cnn.int8.mlir" -o "$out/small_cnn.int8.llvm.mlir"
"$bin/quant-translate" --emit-obj "$out/small_cnn.int8.llvm.mlir" -o "$out/small_cnn_int8.o"
mkdir -p "$out/int8"
"$bin/quant-translate" --emit-header "$out/small_cnn.int8.llvm.mlir" -o "$out/int8/model.h"
/usr/lib/llvm-22/bin/clang -O2 -DIN_ELEMS=192 -DOUT_ELEMS=10 -I"$out/int8" \
  "$here/run_model.c" "$out/small_cnn_int8.o" -lm -o "$out/run_model_int8"
"$out/run_model_int8" "$input" "$out/small_cnn_int8_object.raw" | sed 's/^/   /'
/usr/bin/python3 - "$out/small_cnn_int8_object.raw" "$out/small_cnn_qdq.npy" "$out/small_cnn_jit.npy" <<'PY'
import sys
import numpy as np
o = np.fromfile(sys.argv[1], dtype=np.float32).reshape(-1, 10)
q, f = np.load(sys.argv[2]), np.load(sys.argv[3])
print(f"   int8 object vs int8 simulation: {int((o == q).all(axis=1).sum())}/{len(o)} samples bit-identical")
print(f"   int8 object vs fp32: max |difference| = {float(np.abs(o - f).max()):.4f}, "
      f"argmax agrees on {int((o.argmax(1) == f.argmax(1)).sum())}/{len(f)} samples")
for i, p in enumerate(o):
    print(f"   sample {i}: class {int(np.argmax(p))} (p = {float(np.max(p)):.3f})")
PY

echo "== 8. from ONNX: quant-translate --import-onnx small_cnn.onnx (BatchNormalization unfolded, NCHW), then the same int8 path"
"$bin/quant-translate" --import-onnx "$here/small_cnn.onnx" -o "$out/small_cnn_onnx.mlir"
echo "   ops: $(count_ops "$out/small_cnn_onnx.mlir")"
"$bin/quant-opt" --fold-bn --quantize-int8="calibration=$here/small_cnn_calibration_nchw.npy" \
  "$out/small_cnn_onnx.mlir" -o "$out/small_cnn_onnx.int8.mlir" 2>/dev/null
"$bin/quant-opt" --qops-to-llvm "$out/small_cnn_onnx.int8.mlir" -o "$out/small_cnn_onnx.int8.llvm.mlir"
"$bin/quant-translate" --emit-obj "$out/small_cnn_onnx.int8.llvm.mlir" -o "$out/small_cnn_onnx_int8.o"
mkdir -p "$out/onnx"
"$bin/quant-translate" --emit-header "$out/small_cnn_onnx.int8.llvm.mlir" -o "$out/onnx/model.h"
grep -A1 "^int model_main" "$out/onnx/model.h" | sed 's/^/   /'
/usr/lib/llvm-22/bin/clang -O2 -DIN_ELEMS=192 -DOUT_ELEMS=10 -I"$out/onnx" \
  "$here/run_model.c" "$out/small_cnn_onnx_int8.o" -lm -o "$out/run_model_onnx_int8"
"$out/run_model_onnx_int8" "$here/small_cnn_input_nchw.npy" "$out/small_cnn_onnx_int8.raw" | sed 's/^/   /'
/usr/bin/python3 - "$out/small_cnn_onnx_int8.raw" "$out/small_cnn_jit.npy" <<'PY'
import sys
import numpy as np
o = np.fromfile(sys.argv[1], dtype=np.float32).reshape(-1, 10)
f = np.load(sys.argv[2])
print(f"   ONNX int8 object vs fp32: max |difference| = {float(np.abs(o - f).max()):.4f}, "
      f"argmax agrees on {int((o.argmax(1) == f.argmax(1)).sum())}/{len(f)} samples")
PY
