#!/usr/bin/env python3
"""Multi-core execution: every way of splitting the work gives the bytes of
one thread.

Usage: multicore.py BIN_DIR WORK_DIR SOURCE_ROOT [EXACTNESS_DIR]

Writes two seeded float models with one input and one output:
  cnn  conv 3x3 (8 -> 24, relu) -> depthwise 3x3 stride 2 -> conv 1x1
       (24 -> 32) -> grouped conv 3x3 (2 groups) -> conv 1x1 (32 -> 40: a
       partial channel block), on 4 samples of 12x12x8;
  mlp  fully_connected 64 -> 40 -> matmul 40 -> 24 on 13 rows;
each in fp32 and as int8 programs (--quantize-int8, requant=float and
fixed-point): 6 programs. Per program:
  - quant-run --threads=2 and --threads=3 give the bytes of --threads=1;
  - the object (quant-translate --emit-obj), linked with parallel_entry.c
    through its header, gives quant-run's bytes from model_main, and
    model_main_parallel gives model_main's with tasks in reverse order
    (max_tasks 1 to 1024) and on thread pools; its error returns.
With EXACTNESS_DIR (the work directory of int8_exactness.py), its integer
programs (requant=float and fixed-point, one result per op kind, 16
samples) run under quant-run with --threads=2 and give the bytes of one
thread.
"""
import os
import re
import subprocess
import sys

import numpy as np

BIN, WORK, SRC = sys.argv[1], sys.argv[2], sys.argv[3]
EXACT = sys.argv[4] if len(sys.argv) > 4 else None
os.makedirs(WORK, exist_ok=True)
rng = np.random.default_rng(20261203)


def T(*shape):
    return "tensor<" + "x".join(str(d) for d in shape) + "xf32>"


def const(name, shape, scale):
    values = (rng.standard_normal(shape) * scale).astype(np.float32)
    text = np.array2string(values, separator=", ", threshold=1 << 30,
                           formatter={"float_kind": lambda v: "%.7g" % v})
    return f"  %{name} = arith.constant dense<{text}> : {T(*shape)}\n"


def conv(out, inp, w, b, in_t, w_shape, out_t, stride, pad, groups, relu=False):
    clamp = " {clamp_min = 0.0 : f32}" if relu else ""
    return (const(w, w_shape, 0.3) + const(b, [w_shape[0]], 0.1) +
            f"  %{out} = qops.conv2d %{inp}, %{w}, %{b} stride [{stride}, {stride}] "
            f"pad [{pad}, {pad}, {pad}, {pad}] dilation [1, 1] groups {groups}{clamp}"
            f" : ({in_t}, {T(*w_shape)}, {T(w_shape[0])}) -> {out_t}\n")


cnn = (f"func.func @main(%x: {T(1, 12, 12, 8)}) -> {T(1, 6, 6, 40)} {{\n" +
       conv("a", "x", "w0", "b0", T(1, 12, 12, 8), [24, 3, 3, 8], T(1, 12, 12, 24), 1, 1, 1, True) +
       conv("d", "a", "w1", "b1", T(1, 12, 12, 24), [24, 3, 3, 1], T(1, 6, 6, 24), 2, 1, 24) +
       conv("p", "d", "w2", "b2", T(1, 6, 6, 24), [32, 1, 1, 24], T(1, 6, 6, 32), 1, 0, 1, True) +
       conv("g", "p", "w3", "b3", T(1, 6, 6, 32), [32, 3, 3, 16], T(1, 6, 6, 32), 1, 1, 2) +
       conv("y", "g", "w4", "b4", T(1, 6, 6, 32), [40, 1, 1, 32], T(1, 6, 6, 40), 1, 0, 1) +
       f"  return %y : {T(1, 6, 6, 40)}\n}}\n")
mlp = (f"func.func @main(%x: {T(13, 64)}) -> {T(13, 24)} {{\n" +
       const("wf", [40, 64], 0.2) + const("bf", [40], 0.1) + const("wm", [40, 24], 0.2) +
       const("bm", [24], 0.1) +
       f"  %h = qops.fully_connected %x, %wf, %bf : ({T(13, 64)}, {T(40, 64)}, {T(40)}) -> {T(13, 40)}\n"
       f"  %y = qops.matmul %h, %wm, %bm : ({T(13, 40)}, {T(40, 24)}, {T(24)}) -> {T(13, 24)}\n"
       f"  return %y : {T(13, 24)}\n}}\n")
models = {"cnn": (cnn, (12, 12, 8), 4), "mlp": (mlp, (13, 64), 1)}


def tool(*args, **kw):
    return subprocess.run([os.path.join(BIN, args[0])] + [str(a) for a in args[1:]],
                          check=True, stderr=subprocess.DEVNULL, **kw)


def same_bytes(paths):
    arrays = [np.load(p) for p in paths]
    return all(a.dtype == arrays[0].dtype and a.shape == arrays[0].shape and
               a.tobytes() == arrays[0].tobytes() for a in arrays)


for name, (text, shape, samples) in models.items():
    model = os.path.join(WORK, name + ".mlir")
    with open(model, "w") as f:
        f.write(text)
    calib = os.path.join(WORK, name + "_calib.npy")
    data = os.path.join(WORK, name + "_input.npy")
    # The cnn's [1, 12, 12, 8] input takes batches of samples; the mlp's
    # [13, 64] one sample.
    lead = (samples,) if len(shape) == 3 else ()
    np.save(calib, rng.random(((32,) if lead else ()) + shape, dtype=np.float32))
    np.save(data, rng.random(lead + shape, dtype=np.float32))
    programs = {"fp32": model}
    for mode in ("float", "fixed-point"):
        path = os.path.join(WORK, f"{name}_{mode}.mlir")
        tool("quant-opt", f"--quantize-int8=calibration={calib} requant={mode}",
             model, "-o", path)
        programs[f"int8 {mode}"] = path
    for label, program in programs.items():
        base = program[:-5]
        outs = [f"{base}_t{t}.npy" for t in (1, 2, 3)]
        for t, out in zip((1, 2, 3), outs):
            tool("quant-run", program, "--input", data, "--output", out,
                 f"--threads={t}")
        llvm = base + ".llvm.mlir"
        tool("quant-opt", "--qops-to-llvm", program, "-o", llvm)
        tool("quant-translate", "--emit-obj", llvm, "-o", base + ".o")
        header = base + ".d"
        os.makedirs(header, exist_ok=True)
        tool("quant-translate", "--emit-header", llvm, "-o",
             os.path.join(header, "model.h"))
        parallel = bool(re.search(r"llvm\.func @main\(.*qops\.parallel",
                                  open(llvm).read()))
        reference = np.load(outs[0])
        in_bytes = np.load(data).nbytes // samples
        subprocess.run(
            ["cc", "-O2", f"-DIN_BYTES={in_bytes}",
             f"-DOUT_BYTES={reference.nbytes // samples}", "-I" + header,
             "-I" + os.path.join(SRC, "include"),
             os.path.join(SRC, "test", "Execution", "Inputs", "parallel_entry.c"),
             base + ".o", "-lm", "-o", base + ".bin"], check=True)
        np.load(data).tofile(base + "_input.raw")
        run = subprocess.run([base + ".bin", base + "_input.raw", base + "_object.raw",
                              str(samples)], check=True, capture_output=True, text=True)
        obj = np.fromfile(base + "_object.raw", dtype=reference.dtype)
        print(f"{name} {label}: parallel loops {'yes' if parallel else 'no'}; "
              f"quant-run threads 1/2/3 same bytes: {same_bytes(outs)}; "
              f"object = quant-run: {obj.tobytes() == reference.tobytes()}")
        for line in run.stdout.splitlines():
            print(f"  {line}")

if EXACT:
    names = re.search(r"return ([^:]*):", open(os.path.join(EXACT, "model.mlir")).read())
    names = [n.strip().lstrip("%") for n in names.group(1).split(",")]
    for key in ("float", "fixed"):
        program = os.path.join(EXACT, key + ".mlir")
        outs = {t: [os.path.join(WORK, f"exact_{key}_{n}_t{t}.npy") for n in names]
                for t in (1, 2)}
        for t, files in outs.items():
            tool("quant-run", program, "--input", os.path.join(EXACT, "input.npy"),
                 f"--threads={t}", *[a for p in files for a in ("--output", p)])
        equal = sum(same_bytes([a, b]) for a, b in zip(outs[1], outs[2]))
        print(f"int8 exactness {key}: {equal}/{len(names)} results with 2 threads "
              "= 1 thread, byte for byte")
