#!/usr/bin/env python3
"""Integer program vs QDQ simulation, op kind by op kind.

Usage: int8_exactness.py BIN_DIR WORK_DIR

Writes a float model whose function returns one result per op kind (conv
dense / strided, depthwise, grouped, add, mul, both average poolings, max
pooling, concat, pad, transpose, global average pooling + flatten,
fully_connected, matmul, batched matmul with constant weights, reshape), a seeded calibration set (64 samples)
and a seeded input set (16 other samples). Quantizes it with --quantize-int8
three times (emit=qdq, requant=float, requant=fixed-point), runs the three
programs with quant-run, and prints per result how many values of the
integer programs equal the simulation's, and the largest difference in
quanta (output scale units).
"""
import os
import subprocess
import sys

import numpy as np

BIN, WORK = sys.argv[1], sys.argv[2]
os.makedirs(WORK, exist_ok=True)
rng = np.random.default_rng(20261130)


def dense(values):
    flat = ", ".join("%.9g" % v for v in np.asarray(values, np.float32).ravel())
    return "dense<[%s]>" % flat if values.ndim == 1 else None


def const(name, values):
    values = np.asarray(values, np.float32)
    shape = "x".join(str(d) for d in values.shape)
    flat = ", ".join("%.9g" % v for v in values.ravel())
    return (f"  %{name} = arith.constant dense<[{flat}]> : tensor<{shape}xf32>\n"
            "".replace("[", "[")), f"tensor<{shape}xf32>"


lines = []
types = {}


def add_const(name, shape, scale=0.3):
    values = (rng.standard_normal(shape) * scale).astype(np.float32)
    shape_s = "x".join(str(d) for d in shape)
    flat = ", ".join("%.9g" % v for v in values.ravel())
    # A flat constant reshaped by the parser: dense<[...]> must be nested,
    # so write it as a 1-D constant and let qops.reshape give it its shape
    # only when needed; here every constant is written with its full shape
    # through a splat-free nested literal.
    nested = np.array2string(values, separator=", ", threshold=1 << 30,
                             formatter={"float_kind": lambda v: "%.9g" % v})
    lines.append(f"  %{name} = arith.constant dense<{nested}> : tensor<{shape_s}xf32>")


results = []  # (name, type)


def op(text, name, rtype, output=True):
    lines.append(f"  %{name} = {text}")
    if output:
        results.append((name, rtype))


T = lambda *d: "tensor<%sxf32>" % "x".join(str(x) for x in d)

add_const("w1", (8, 3, 3, 4)); add_const("b1", (8,), 0.1)
add_const("wd", (4, 3, 3, 1)); add_const("bd", (4,), 0.1)
add_const("wg", (6, 1, 1, 2)); add_const("bg", (6,), 0.1)
add_const("wf", (10, 12)); add_const("bf", (10,), 0.1)
add_const("wm", (12, 5)); add_const("bm", (5,), 0.1)
add_const("wbm", (4, 6, 5)); add_const("bbm", (5,), 0.1)
op(f"qops.conv2d %x, %w1, %b1 stride [2, 2] pad [1, 1, 1, 1] dilation [1, 1] groups 1 : ({T(1,8,8,4)}, {T(8,3,3,4)}, {T(8)}) -> {T(1,4,4,8)}", "c1pre", T(1,4,4,8), False)
op(f"qops.relu %c1pre : {T(1,4,4,8)}", "conv", T(1,4,4,8))
op(f"qops.conv2d %x, %wd, %bd stride [1, 1] pad [1, 1, 1, 1] dilation [1, 1] groups 4 : ({T(1,8,8,4)}, {T(4,3,3,1)}, {T(4)}) -> {T(1,8,8,4)}", "dwpre", T(1,8,8,4), False)
op(f"qops.relu6 %dwpre : {T(1,8,8,4)}", "depthwise", T(1,8,8,4))
op(f"qops.conv2d %x, %wg, %bg stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 2 : ({T(1,8,8,4)}, {T(6,1,1,2)}, {T(6)}) -> {T(1,8,8,6)}", "grouped", T(1,8,8,6))
op(f"qops.add %depthwise, %x : ({T(1,8,8,4)}, {T(1,8,8,4)}) -> {T(1,8,8,4)}", "add", T(1,8,8,4))
op(f"qops.mul %depthwise, %x : ({T(1,8,8,4)}, {T(1,8,8,4)}) -> {T(1,8,8,4)}", "mul", T(1,8,8,4))
op(f"qops.avg_pool2d %grouped kernel [3, 3] stride [1, 1] pad [1, 1, 1, 1] : {T(1,8,8,6)} -> {T(1,8,8,6)}", "avg_pool", T(1,8,8,6))
op(f"qops.avg_pool2d %grouped kernel [2, 2] stride [2, 2] pad [0, 0, 0, 0] count_include_pad : {T(1,8,8,6)} -> {T(1,4,4,6)}", "avg_pool_2x2", T(1,4,4,6))
op(f"qops.max_pool2d %add kernel [2, 2] stride [2, 2] pad [0, 0, 0, 0] : {T(1,8,8,4)}", "max_pool", T(1,4,4,4))
op(f"qops.concat %max_pool, %conv axis 3 : ({T(1,4,4,4)}, {T(1,4,4,8)}) -> {T(1,4,4,12)}", "concat", T(1,4,4,12))
op(f"qops.pad %concat pad [0, 0, 1, 1, 1, 1, 0, 0] : {T(1,4,4,12)}", "pad", T(1,6,6,12))
op(f"qops.transpose %pad perm [0, 3, 1, 2] : {T(1,6,6,12)}", "transpose", T(1,12,6,6))
op(f"qops.global_avg_pool %concat : {T(1,4,4,12)} -> {T(1,1,1,12)}", "gap", T(1,1,1,12), False)
op(f"qops.flatten %gap axis 1 : {T(1,1,1,12)}", "global_avg_pool", T(1,12))
op(f"qops.fully_connected %global_avg_pool, %wf, %bf : ({T(1,12)}, {T(10,12)}, {T(10)}) -> {T(1,10)}", "fully_connected", T(1,10))
op(f"qops.matmul %global_avg_pool, %wm, %bm : ({T(1,12)}, {T(12,5)}, {T(5)}) -> {T(1,5)}", "matmul", T(1,5))
# A batched matmul with a constant weight per batch, on an input whose zero
# point is not 0 (the grouped conv's output has both signs).
op(f"qops.reshape %grouped : {T(1,8,8,6)} -> {T(4,16,6)}", "grouped_rows", T(4,16,6), False)
op(f"qops.matmul %grouped_rows, %wbm, %bbm : ({T(4,16,6)}, {T(4,6,5)}, {T(5)}) -> {T(4,16,5)}", "bmm", T(4,16,5), False)
op(f"qops.reshape %bmm : {T(4,16,5)} -> {T(1,64,5)}", "batched_matmul", T(1,64,5))
op(f"qops.reshape %fully_connected : {T(1,10)} -> {T(1,2,5)}", "reshape", T(1,2,5))

names = [n for n, _ in results]
with open(os.path.join(WORK, "model.mlir"), "w") as f:
    f.write(f"func.func @main(%x: {T(1,8,8,4)}) -> ({', '.join(t for _, t in results)}) {{\n")
    f.write("\n".join(lines) + "\n")
    f.write(f"  return {', '.join('%' + n for n in names)} : {', '.join(t for _, t in results)}\n}}\n")

np.save(os.path.join(WORK, "calib.npy"), rng.random((64, 8, 8, 4), dtype=np.float32))
np.save(os.path.join(WORK, "input.npy"), rng.random((16, 8, 8, 4), dtype=np.float32))


def run(*args):
    subprocess.run([os.path.join(BIN, args[0])] + list(args[1:]), check=True,
                   stderr=subprocess.DEVNULL)


model, calib = os.path.join(WORK, "model.mlir"), os.path.join(WORK, "calib.npy")
programs = {"qdq": "emit=qdq", "float": "requant=float", "fixed": "requant=fixed-point"}
outputs = {}
for key, option in programs.items():
    path = os.path.join(WORK, key + ".mlir")
    run("quant-opt", f"--quantize-int8=calibration={calib} {option}", model, "-o", path)
    files = [os.path.join(WORK, f"{key}_{n}.npy") for n in names]
    run("quant-run", path, "--input", os.path.join(WORK, "input.npy"),
        *[a for p in files for a in ("--output", p)])
    outputs[key] = [np.load(p) for p in files]

# What stays float in the integer program: quantize / dequantize at the
# boundary only.
import re
kinds = {}
for line in open(os.path.join(WORK, "float.mlir")):
    m = re.search(r"= qops\.([a-z_0-9]+) .*-> tensor<[0-9x]+xf32>$", line.rstrip()) or \
        re.search(r"= qops\.([a-z_0-9]+) .*: tensor<[0-9x]+xf32>$", line.rstrip())
    if m:
        kinds[m.group(1)] = kinds.get(m.group(1), 0) + 1
print("float-typed qops results:", ", ".join(f"{k} x{v}" for k, v in sorted(kinds.items())))

# The quantum of each result: the smallest non-zero step in the simulation.
for i, name in enumerate(names):
    q = outputs["qdq"][i]
    steps = np.diff(np.unique(q))
    quantum = float(steps.min()) if steps.size else 1.0
    for key in ("float", "fixed"):
        r = outputs[key][i]
        equal = int((r == q).sum())
        worst = float(np.abs(r - q).max()) / quantum
        print(f"{key:5s} {name:16s} {equal}/{q.size} equal, max {worst:.0f} quanta")
