#!/usr/bin/env bash
#===- run.sh - time the benchmark rows: project fp32 / int8, oneDNN, peaks ===#
#
# Usage: bench/run.sh [BUILD_DIR] [--tiny | --rows]
#
# 1. Measures this core's peak vpdpbusd and FMA throughput
#    (BUILD_DIR/bin/quant-bench-peak).
# 2. Generates the rows (bench/layers.py): the contract's layers L1-L5,
#    GEMM256, GEMM512, the example CNN and a MobileNetV2-style network
#    (--tiny: a small conv, a small FC and the CNN, the test suite's case).
# 3. Times oneDNN on every layer and on MobileNetV2 in fp32 and int8
#    (BUILD_DIR/bin/quant-bench-onednn, built when libdnnl-dev is installed).
# 4. Compiles each row through the project in fp32 (--fold-bn
#    --fuse-activations) and int8 (--fold-bn --quantize-int8 with the row's
#    calibration set) to objects and times both as a user's program runs
#    them: bench/time_object.c linked against the object calls model_main in
#    a loop with the default allocator (median after a warm-up call), and
#    checks the object's output against quant-run's on the same input.
#    Memory: the object's workspace (static memory plan) + its read-only
#    data (weights and tables), in KiB.
# 5. Prints the CPU (model name, core count, vector flags), one table, then how far each int8 result is from fp32 (and, for
#    the whole models, whether the top-1 class agrees).
# 6. Dynamic quantization of the fully-connected rows (spec fc:...):
#    --quantize-dynamic (no calibration data; f32 in and out, the activation
#    quantized inside the call) timed the same way, beside the fp32 object.
# 7. Unless --tiny or --rows (the rows' tables only): the torchvision families (ResNet-18, MobileNetV2 / V3,
#    SqueezeNet, ShuffleNetV2, EfficientNet-B0, GoogLeNet, RegNetY) at 112x112,
#    project fp32 / int8 objects beside PyTorch fp32 and PyTorch's own int8
#    (FX, onednn engine) and ONNX Runtime fp32 / int8 (onnxruntime-node from
#    scripts/setup.sh, one thread, bench/ort_run.js; its int8 is the QDQ
#    model of bench/ort_qdq.py; 'n/a' columns when ORT is not installed),
#    with each int8's SQNR (bench/families.py).
#
# Everything runs on one thread (quant-run is single-threaded; oneDNN's
# OpenMP is held to one thread by OMP_NUM_THREADS=1 and by the program),
# except the second table: the int8 objects' model_main_parallel on a pool
# of two threads and oneDNN with two, beside the one-thread times.
# A missing or failing peak / oneDNN program prints '-' in its columns.
#
#===----------------------------------------------------------------------===#
set -euo pipefail
build=${1:-build}
tiny=${2:-}
families=yes
if [ "$tiny" = --rows ]; then
  tiny= families=
elif [ -n "$tiny" ]; then
  families=
fi
here=$(cd "$(dirname "$0")" && pwd)
bin="$build/bin"
out="$build/bench"
mkdir -p "$out"
export OMP_NUM_THREADS=1

if [ -n "$tiny" ]; then
  repeat=3 peak_seconds=0.01
else
  repeat=20 peak_seconds=0.2
fi

# Single-thread timings assume otherwise idle cores.
if [ -r /proc/loadavg ]; then
  read -r load _ < /proc/loadavg
  if awk -v l="$load" 'BEGIN { exit !(l > 0.5) }'; then
    echo "bench: load average $load: other processes share the cores," \
      "timings (and peaks) are noisy" >&2
  fi
fi

# 1. Peaks first, on an idle core.
vnni_peak=- fma_peak=-
if [ -x "$bin/quant-bench-peak" ] &&
   "$bin/quant-bench-peak" "$peak_seconds" > "$out/peak.txt"; then
  vnni_peak=$(sed -nE 's/^peak vpdpbusd GOPS ([0-9.]+).*/\1/p' "$out/peak.txt")
  fma_peak=$(sed -nE 's/^peak fma GOPS ([0-9.]+).*/\1/p' "$out/peak.txt")
  vnni_peak=${vnni_peak:--} fma_peak=${fma_peak:--}
fi

# 2. Rows: NAME OPS SPEC.
/usr/bin/python3 "$here/layers.py" "$out" $tiny

# 3. oneDNN: one line per row and precision in onednn.txt.
: > "$out/onednn.txt"
specs=$(awk '$3 != "-" { printf "%s=%s ", $1, $3 }' "$out/layers.txt")
if [ -x "$bin/quant-bench-onednn" ] && [ -n "$specs" ]; then
  # shellcheck disable=SC2086 # one argument per layer
  "$bin/quant-bench-onednn" "$repeat" $specs > "$out/onednn.txt" \
    2> "$out/onednn.err" ||
    echo "bench: quant-bench-onednn failed, see $out/onednn.err" >&2
fi
onednn_ms() { # NAME PRECISION -> ms or '-'
  awk -v n="$1" -v p="$2" '$1 == "onednn" && $2 == n && $3 == p && $4 == "median" {
    v = $5 } END { print (v == "" ? "-" : v) }' "$out/onednn.txt"
}
# The same rows on two threads (the table of two-thread runs).
: > "$out/onednn2.txt"
if [ -x "$bin/quant-bench-onednn" ] && [ -n "$specs" ]; then
  # shellcheck disable=SC2086 # one argument per layer
  OMP_NUM_THREADS=2 "$bin/quant-bench-onednn" --threads=2 "$repeat" $specs \
    > "$out/onednn2.txt" 2> "$out/onednn2.err" ||
    echo "bench: quant-bench-onednn --threads=2 failed, see $out/onednn2.err" >&2
fi
onednn2_ms() { # NAME PRECISION -> ms or '-', on two threads
  awk -v n="$1" -v p="$2" '$1 == "onednn" && $2 == n && $3 == p && $4 == "median" {
    v = $5 } END { print (v == "" ? "-" : v) }' "$out/onednn2.txt"
}
onednn_info=$(awk '$1 == "onednn" && $2 == "version" { printf "oneDNN %s (%s", $3, $5 }
  $1 == "onednn" && $2 == "threads" { printf ", %s thread(s))", $3 }' "$out/onednn.txt")

# Lowers a qops program to an object linked with the timing driver.
build_object() { # NAME (reads $out/NAME.mlir, writes $out/NAME.o and NAME.bin)
  local n=$1
  compile "$out/$n.llvm.log" --qops-to-llvm "$out/$n.mlir" -o "$out/$n.llvm.mlir"
  if ! "$bin/quant-translate" --emit-obj "$out/$n.llvm.mlir" -o "$out/$n.o" \
       2> "$out/$n.obj.log" ||
     ! "${CC:-cc}" -O2 "$here/time_object.c" "$out/$n.o" -lm -o "$out/$n.bin" \
       2>> "$out/$n.obj.log"; then
    cat "$out/$n.obj.log" >&2
    exit 1
  fi
}

# Times an object: prints "MS MEMORY_KIB VERDICT" (the driver's median,
# workspace + read-only data in KiB, and the rest of the line: its
# comparison with quant-run's output and the minor page faults per call).
# The header gives the bytes of one call's input ("input0, /* 1x8x8x3 u8").
time_object() { # NAME INPUT.npy EXPECTED.npy [THREADS]
  local n=$1 line ws ro in_bytes
  in_bytes=$("$bin/quant-translate" --emit-header "$out/$n.llvm.mlir" |
    sed -nE 's/^int model_main\(.*input0, *\/\* ([0-9x]+) [a-z]*([0-9]+),.*/\1x\2/p' |
    awk -F x '{ b = $NF / 8; for (i = 1; i < NF; ++i) b *= $i; print b }')
  line=$("$out/$n.bin" "$2" "$3" "${in_bytes:-0}" "$repeat" ${4:+"$4"}) ||
    { echo "- - failed"; return; }
  ws=$(sed -nE 's/.*workspace ([0-9]+) bytes.*/\1/p' <<< "$line")
  ro=$(size -A "$out/$n.o" | awk '$1 ~ /^\.rodata/ { s += $2 } END { print s + 0 }')
  echo "$(sed -nE 's/.*median ([0-9.eE+-]+) ms.*/\1/p' <<< "$line")" \
    "$(( (ws + ro + 1023) / 1024 ))" \
    "$(sed -nE 's/.*faults per call ([0-9.]+);.*output (equal|max abs diff [^ ]+|DIFFERENT).*/\2 (\1 page faults per call)/p' <<< "$line")"
}

# Runs a quant-opt step; on failure shows its diagnostics and stops.
compile() { # LOG quant-opt ARGS...
  local log=$1
  shift
  if ! "$bin/quant-opt" "$@" 2> "$log"; then
    cat "$log" >&2
    exit 1
  fi
}

# The machine: figures mean nothing without the CPU they were measured on
# (sessions land on different CPUs).
cpu_model=$(sed -nE 's/^model name[[:space:]]*: (.*)/\1/p' /proc/cpuinfo 2>/dev/null | head -1)
cpu_flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null | tr ' ' '\n' |
  grep -xE 'avx2|avx512f|avx512bw|avx512vl|avx512_vnni|avx_vnni|avx512_bf16|avx512_fp16|amx_tile|amx_int8|amx_bf16' |
  tr '\n' ' ' | sed 's/ $//')
printf 'cpu: %s; %s core(s); flags: %s\n' "${cpu_model:-unknown}" \
  "$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo "?")" "${cpu_flags:-none of the vector ones}"
printf 'peak (1 core): vpdpbusd %s GOPS, fma %s GOPS; %s\n' "$vnni_peak" \
  "$fma_peak" "${onednn_info:-oneDNN not built}"
fmt='%-12s %8s %9s %6s %9s %9s %6s %9s %10s %10s %10s %9s %9s\n'
printf "$fmt" row fp32_ms fp32_GOPS %fma int8_ms int8_GOPS %vnni int8/fp32 \
  dnnl_fp32 dnnl_int8 dnnl/int8 fp32_KiB int8_KiB
: > "$out/objects.txt"
: > "$out/dynamic.txt"
: > "$out/threads.txt"
while read -r name ops spec; do
  compile "$out/$name.fp32.log" --fold-bn --fuse-activations \
    "$out/$name.mlir" -o "$out/$name.fp32.mlir"
  compile "$out/$name.int8.log" --fold-bn \
    --quantize-int8="calibration=$out/${name}_calib.npy" \
    "$out/$name.mlir" -o "$out/$name.int8.mlir"
  # int8 is timed as deployed between int8 layers and as oneDNN is: u8 in,
  # 8-bit out (integer-io), on the timed input quantized with the
  # function's input parameters. The float-I/O int8 program gives the
  # outputs compared with fp32 below.
  compile "$out/$name.int8io.log" --fold-bn \
    --quantize-int8="calibration=$out/${name}_calib.npy integer-io=true" \
    "$out/$name.mlir" -o "$out/$name.int8io.mlir"
  /usr/bin/python3 "$here/quantize_input.py" "$out/$name.int8io.mlir" \
    "$out/${name}_input.npy" "$out/${name}_input_q.npy"
  # The JIT's outputs: the reference each object must reproduce, and the
  # float-I/O int8 outputs compared with fp32 below.
  "$bin/quant-run" "$out/$name.fp32.mlir" --input "$out/${name}_input.npy" \
    --output "$out/${name}_fp32.npy" > /dev/null
  "$bin/quant-run" "$out/$name.int8io.mlir" \
    --input "$out/${name}_input_q.npy" --output "$out/${name}_int8io.npy" > /dev/null
  "$bin/quant-run" "$out/$name.int8.mlir" --input "$out/${name}_input.npy" \
    --output "$out/${name}_int8.npy" > /dev/null
  build_object "$name.fp32"
  build_object "$name.int8io"
  read -r ms_fp32 kib_fp32 same_fp32 <<< "$(time_object "$name.fp32" \
    "$out/${name}_input.npy" "$out/${name}_fp32.npy")"
  read -r ms_int8 kib_int8 same_int8 <<< "$(time_object "$name.int8io" \
    "$out/${name}_input_q.npy" "$out/${name}_int8io.npy")"
  # Two threads: the int8 object's model_main_parallel on a pool of two
  # (bench/time_object.c), right after the one-thread timing.
  read -r ms_int8_2t _ same_int8_2t <<< "$(time_object "$name.int8io" \
    "$out/${name}_input_q.npy" "$out/${name}_int8io.npy" 2)"
  echo "$name $ms_int8 $ms_int8_2t $(onednn_ms "$name" int8)" \
    "$(onednn2_ms "$name" int8)" >> "$out/threads.txt"
  echo "$name fp32 $same_fp32; int8 $same_int8; int8 on 2 threads" \
    "$same_int8_2t" >> "$out/objects.txt"
  if [[ $spec == fc:* ]]; then
    compile "$out/$name.dyn.log" --quantize-dynamic "$out/$name.mlir" \
      -o "$out/$name.dyn.mlir"
    "$bin/quant-run" "$out/$name.dyn.mlir" --input "$out/${name}_input.npy" \
      --output "$out/${name}_dyn.npy" > /dev/null
    build_object "$name.dyn"
    read -r ms_dyn kib_dyn same_dyn <<< "$(time_object "$name.dyn" \
      "$out/${name}_input.npy" "$out/${name}_dyn.npy")"
    echo "$name $ops $ms_fp32 $ms_dyn $kib_dyn $same_dyn" >> "$out/dynamic.txt"
  fi
  awk -v n="$name" -v ops="$ops" -v f="$ms_fp32" -v i="$ms_int8" \
      -v pf="$fma_peak" -v pv="$vnni_peak" -v df="$(onednn_ms "$name" fp32)" \
      -v di="$(onednn_ms "$name" int8)" -v kf="$kib_fp32" -v ki="$kib_int8" \
      -v fmt="$fmt" '
    function num(v) { return v != "-" && v + 0 > 0 }
    function show(ok, f, v) { return ok ? sprintf(f, v) : "-" }
    BEGIN {
      fg = num(f) ? ops / f / 1e6 : 0
      ig = num(i) ? ops / i / 1e6 : 0
      printf fmt, n, show(num(f), "%.3f", f), show(num(f), "%.1f", fg),
        show(num(f) && num(pf), "%.1f", 100 * fg / pf),
        show(num(i), "%.3f", i), show(num(i), "%.1f", ig),
        show(num(i) && num(pv), "%.1f", 100 * ig / pv),
        show(num(f) && num(i), "%.2f", f / i),
        show(num(df), "%.4f", df), show(num(di), "%.4f", di),
        show(num(di) && num(i), "%.3f", di / i), kf, ki
    }'
done < "$out/layers.txt"
cat <<'EOF'
GOPS: 2 x multiply-adds of the convolutions and FC layers per call / time.
%fma, %vnni: share of the measured single-core FMA / vpdpbusd peak.
int8/fp32: project fp32 ms / project int8 ms (> 1: int8 is faster).
dnnl_fp32, dnnl_int8: oneDNN ms per call on the same layer or network (int8:
u8/s8 x s8, requantized u8/s8 outputs, weights pre-reordered; MobileNetV2's
residual adds fused as post-ops); dnnl/int8: oneDNN int8 ms / project int8 ms
(> 1: the project is faster than oneDNN).
fp32_ms, int8_ms: the objects called from a C program (bench/time_object.c)
with the default allocator; fp32_KiB, int8_KiB: each object's memory, its
workspace (the static memory plan of the intermediate tensors) + read-only
data (weights, tables).
EOF
echo "two threads (int8; the project's objects through model_main_parallel on a"
echo "pool of 2 threads, oneDNN with OMP_NUM_THREADS=2; x2: 1-thread ms / 2-thread ms):"
fmt2='%-12s %9s %9s %6s %10s %10s %6s %9s\n'
printf "$fmt2" row int8_1t int8_2t x2 dnnl_1t dnnl_2t x2 dnnl/int8
while read -r name one two d1 d2; do
  awk -v n="$name" -v a="$one" -v b="$two" -v c="$d1" -v d="$d2" -v fmt="$fmt2" '
    function num(v) { return v != "-" && v + 0 > 0 }
    function show(ok, f, v) { return ok ? sprintf(f, v) : "-" }
    BEGIN {
      printf fmt, n, show(num(a), "%.3f", a), show(num(b), "%.3f", b),
        show(num(a) && num(b), "%.2f", a / b), show(num(c), "%.4f", c),
        show(num(d), "%.4f", d), show(num(c) && num(d), "%.2f", c / d),
        show(num(b) && num(d), "%.3f", d / b)
    }'
done < "$out/threads.txt"
echo "objects vs the JIT (quant-run) on the same input:"
sed 's/^/  /' "$out/objects.txt"

# Dynamic quantization rows.
if [ -s "$out/dynamic.txt" ]; then
  echo "dynamic int8 (--quantize-dynamic: f32 in and out, activations quantized per call, no calibration):"
  /usr/bin/python3 - "$out" <<'PY'
import os
import sys

import numpy as np

out = sys.argv[1]
fmt = "  {:<10} {:>8} {:>8} {:>9} {:>10} {:>8} {:>9}  {}"
print(fmt.format("row", "fp32_ms", "dyn_ms", "dyn_GOPS", "fp32/dyn", "dyn_KiB",
                 "SQNR_dB", "object vs quant-run"))
for line in open(os.path.join(out, "dynamic.txt")):
    name, ops, f, d, kib, same = line.split(maxsplit=5)
    ref = np.load(os.path.join(out, f"{name}_fp32.npy")).astype(np.float64)
    dyn = np.load(os.path.join(out, f"{name}_dyn.npy")).astype(np.float64)
    sqnr = 10 * np.log10((ref ** 2).sum() / max(((ref - dyn) ** 2).sum(), 1e-300))
    ok = f != "-" and d != "-"
    print(fmt.format(name, f, d,
                     "%.1f" % (float(ops) / float(d) / 1e6) if d != "-" else "-",
                     "%.2f" % (float(f) / float(d)) if ok else "-", kib,
                     "%.1f" % sqnr, same.strip()))
PY
fi

# 5. int8 against fp32 on the timed input; for the whole models (oneDNN spec
# `-` or a network), also the top-1 class of each sample.
/usr/bin/python3 - "$out" <<'PY'
import os
import sys

import numpy as np

out = sys.argv[1]
print("int8 vs fp32 (same input):")
for line in open(os.path.join(out, "layers.txt")):
    name, _, spec = line.split()
    f = np.load(os.path.join(out, f"{name}_fp32.npy")).astype(np.float64)
    i = np.load(os.path.join(out, f"{name}_int8.npy")).astype(np.float64)
    rms = np.sqrt(np.mean((i - f) ** 2) / max(np.mean(f ** 2), 1e-30))
    text = (f"  {name}: max |int8 - fp32| = {np.abs(i - f).max():.4g} "
            f"(max |fp32| = {np.abs(f).max():.4g}), relative RMS error {rms:.2%}")
    if spec == "-" or spec.startswith("net:"):
        agree = int((f.argmax(-1) == i.argmax(-1)).sum())
        text += f", top-1 agrees on {agree}/{len(f)} samples"
    print(text)
PY
# 7. The torchvision families at 112x112 beside PyTorch fp32, PyTorch's
# own int8 and ONNX Runtime fp32 / int8 (bench/families.py), unless --tiny
# or --rows.
if [ -n "$families" ]; then
  /usr/bin/python3 "$here/families.py" "$bin" "$out/families" 112 ||
    echo "bench: bench/families.py failed" >&2
fi
