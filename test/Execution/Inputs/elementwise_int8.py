#!/usr/bin/env python3
"""The element-wise arithmetic ops on 8-bit tensors: tables, integer ops
and the one float island.

Usage: elementwise_int8.py BIN_DIR WORK_DIR

Writes a float model of two inputs, x in [-6, 5) and a positive p in
[0.05, 6), with one result per case:

  tables of one input (ElementFunctionOpInterface): exp, erf, neg, abs,
    gelu (erf and tanh forms) of x;
    sqrt and reciprocal of p;
  tables of a binary op with a constant scalar operand
    (BinaryElementFunctionOpInterface): 2 / p, pow(p, 3);
  integer ops: p / 255 (--insert-qdq makes a division by a constant a mul
    by its reciprocal), sub(x, p), maximum(x, p), minimum(x, p), and
    maximum(x, 0) whose constant shares nothing with the result;
  the float island: div(x, p), two run-time tensors (no integer form).

For u8 and i8 activations it quantizes the model twice (emit=qdq, the
simulation, and the integer program), runs both with quant-run on inputs
denser than the quantization steps and wider than the calibrated ranges,
and once more with requant=fixed-point, and prints

  ACT: tables T, float ops between dequantize and quantize: F (OPS)
  ACT NAME: K/K equal to the simulation, max Q quanta from numpy (tables)
  ACT NAME: K/K equal to the simulation, fixed-point max Q quanta from it

where, for a table, the numpy reference is the op's float64 definition on
the dequantized input, quantized with round half to even (it may differ
from the f32 program by one quantum at a rounding tie; never more).
"""
import os
import re
import subprocess
import sys

import numpy as np

BIN, WORK = sys.argv[1], sys.argv[2]
os.makedirs(WORK, exist_ok=True)
N = 2048
T = f"tensor<1x{N}xf32>"
S = "tensor<f32>"

# name, MLIR body (result %r), for a table: its float64 numpy definition
# and its input ("x" or "p"); None, None for the others.
CASES = [
    ("exp", f"%r = qops.exp %x : {T} -> {T}", np.exp, "x"),
    ("erf", f"%r = qops.erf %x : {T} -> {T}",
     np.vectorize(__import__("math").erf), "x"),
    ("neg", f"%r = qops.neg %x : {T} -> {T}", np.negative, "x"),
    ("abs", f"%r = qops.abs %x : {T} -> {T}", np.abs, "x"),
    ("gelu", f"%r = qops.gelu %x : {T} -> {T}",
     lambda v: 0.5 * v * (1 + np.vectorize(__import__("math").erf)(
         v / np.sqrt(2))), "x"),
    ("gelu_tanh", f"%r = qops.gelu %x approximate \"tanh\" : {T} -> {T}",
     lambda v: 0.5 * v * (1 + np.tanh(np.sqrt(2 / np.pi) *
                                      (v + 0.044715 * v ** 3))), "x"),
    ("sqrt", f"%r = qops.sqrt %p : {T} -> {T}", np.sqrt, "p"),
    ("reciprocal", f"%r = qops.reciprocal %p : {T} -> {T}",
     lambda v: 1 / v, "p"),
    ("div_2_by", f"%c = arith.constant dense<2.0> : {S}\n"
     f"  %r = qops.div %c, %p : ({S}, {T}) -> {T}", lambda v: 2 / v, "p"),
    ("pow_3", f"%c = arith.constant dense<3.0> : {S}\n"
     f"  %r = qops.pow %p, %c : ({T}, {S}) -> {T}", lambda v: v ** 3, "p"),
    ("div_by_255", f"%c = arith.constant dense<255.0> : {S}\n"
     f"  %r = qops.div %p, %c : ({T}, {S}) -> {T}", None, None),
    ("sub", f"%r = qops.sub %x, %p : ({T}, {T}) -> {T}", None, None),
    ("maximum", f"%r = qops.maximum %x, %p : ({T}, {T}) -> {T}", None, None),
    ("minimum", f"%r = qops.minimum %x, %p : ({T}, {T}) -> {T}", None, None),
    ("maximum_0", f"%c = arith.constant dense<0.0> : {S}\n"
     f"  %r = qops.maximum %x, %c : ({T}, {S}) -> {T}", None, None),
    ("div_island", f"%r = qops.div %x, %p : ({T}, {T}) -> {T}", None, None),
]

lines = []
for i, (_, body, _, _) in enumerate(CASES):
    lines.append("  " + body.replace("%r", f"%r{i}").replace("%c", f"%c{i}"))
model = (f"func.func @main(%x: {T}, %p: {T}) -> ({', '.join([T] * len(CASES))}) {{\n"
         + "\n".join(lines) + "\n"
         + f"  return {', '.join(f'%r{i}' for i in range(len(CASES)))} : "
         + f"{', '.join([T] * len(CASES))}\n}}\n")
with open(os.path.join(WORK, "model.mlir"), "w") as f:
    f.write(model)

rng = np.random.default_rng(20261204)
np.save(os.path.join(WORK, "calib_x.npy"),
        rng.uniform(-6.0, 5.0, (16, N)).astype(np.float32))
np.save(os.path.join(WORK, "calib_p.npy"),
        rng.uniform(0.05, 6.0, (16, N)).astype(np.float32))
np.save(os.path.join(WORK, "x.npy"),
        np.linspace(-8.0, 7.0, N, dtype=np.float32).reshape(1, N))
np.save(os.path.join(WORK, "p.npy"),
        rng.permutation(np.linspace(0.01, 7.0, N, dtype=np.float32)).reshape(1, N))


def run(*args):
    return subprocess.run(args, check=True, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)


def quantize(v, scale, zp, lo, hi):
    return np.clip(np.round(v / scale) + zp, lo, hi)


def parse(storage, scale, zp):
    lo, hi = (-128, 127) if storage == "i" else (0, 255)
    return float(scale), int(zp or 0), lo, hi


for act in ("u8", "i8"):
    outs = {}
    for emit in ("qdq", "int8", "fixed"):
        path = os.path.join(WORK, f"{act}.{emit}.mlir")
        mode = ("emit=int8 requant=fixed-point" if emit == "fixed"
                else f"emit={emit}")
        done = run(os.path.join(BIN, "quant-opt"),
                   f"--quantize-int8=calibration={WORK}/calib_x.npy,"
                   f"{WORK}/calib_p.npy activations={act} {mode}",
                   os.path.join(WORK, "model.mlir"), "-o", path)
        files = [os.path.join(WORK, f"{act}.{emit}.{i}.npy")
                 for i in range(len(CASES))]
        run(os.path.join(BIN, "quant-run"), path,
            "--input", os.path.join(WORK, "x.npy"),
            "--input", os.path.join(WORK, "p.npy"),
            *[a for f in files for a in ("--output", f)])
        outs[emit] = [np.load(f) for f in files]
        if emit == "int8":
            text = open(path).read()
            remarks = done.stderr
    ops = "exp|erf|neg|abs|sqrt|reciprocal|div|pow|sub|maximum|minimum"
    floats = [m.group(1) for m in
              (re.search(rf"= qops\.({ops}) .*xf32>$", line)
               for line in text.splitlines()) if m]
    print(f"{act}: tables {text.count('qops.table')}, float ops between "
          f"dequantize and quantize: {len(floats)} ({', '.join(floats)})")
    island = re.search(r"remark: stays in float[^\n]*", remarks)
    print(f"{act} remark: {island.group(0) if island else 'none'}")
    tables = re.findall(r"qops\.table %\S+, dense<[^>]*> : tensor<256xi32> : "
                        r"tensor<1x\d+x!quant\.uniform<([ui])8:f32, "
                        r"([0-9.eE+-]+)(?::(-?\d+))?>> -> tensor<1x\d+x!quant"
                        r"\.uniform<([ui])8:f32, ([0-9.eE+-]+)(?::(-?\d+))?>>",
                        text)
    inputs = {"x": np.load(os.path.join(WORK, "x.npy")).astype(np.float64),
              "p": np.load(os.path.join(WORK, "p.npy")).astype(np.float64)}
    table_index = 0
    for i, (name, _, fn, source) in enumerate(CASES):
        sim, got = outs["qdq"][i], outs["int8"][i]
        equal = int((sim == got).sum())
        line = f"{act} {name}: {equal}/{sim.size} equal to the simulation"
        if source is None:
            quantum = np.diff(np.unique(sim)).min()
            fixed = np.abs(outs["fixed"][i] - sim).max() / quantum
            line += f", fixed-point max {fixed:.0f} quanta from it"
        if source is not None:
            in_s, in_scale, in_zp, out_s, out_scale, out_zp = tables[table_index]
            table_index += 1
            s_in, z_in, lo_in, hi_in = parse(in_s, in_scale, in_zp)
            s_out, z_out, lo_out, hi_out = parse(out_s, out_scale, out_zp)
            q_in = quantize(inputs[source], s_in, z_in, lo_in, hi_in)
            with np.errstate(divide="ignore"):
                ref = quantize(fn((q_in - z_in) * s_in), s_out, z_out,
                               lo_out, hi_out)
            q_got = np.round(got.astype(np.float64) / s_out) + z_out
            line += f", max {int(np.abs(q_got - ref).max())} quanta from numpy"
        print(line)
