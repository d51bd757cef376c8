#!/usr/bin/env python3
"""Element-wise activations on 8-bit tensors as 256-entry tables.

Usage: element_tables.py BIN_DIR WORK_DIR

Writes a float model returning one result per element function of its
input (sigmoid, hardsigmoid, silu, tanh, hardswish, leaky_relu, and relu /
relu6 / clamp, whose calibrated input and result ranges differ), a seeded
calibration set and an input grid that is denser than the input's
quantization step and wider than its range, so every one of the 256 stored
input values occurs.
For u8 and i8 activations it quantizes the model twice (emit=qdq, the
simulation, and the integer program), runs both with quant-run and prints:

  ACT: tables N, float ops between dequantize and quantize: M
  ACT OP: K/K equal to the simulation, L input levels, max Q quanta from numpy

where the numpy reference is the op's definition in float64 on the
dequantized input, quantized with round half to even (it may differ from
the f32 program by one quantum at a rounding tie; never more).
"""
import os
import re
import subprocess
import sys

import numpy as np

BIN, WORK = sys.argv[1], sys.argv[2]
os.makedirs(WORK, exist_ok=True)
N = 2048

OPS = [
    ("sigmoid", "qops.sigmoid %x : {t} -> {t}", lambda x: 1 / (1 + np.exp(-x))),
    ("hardsigmoid", "qops.hardsigmoid %x alpha 0.2 beta 0.5 : {t} -> {t}",
     lambda x: np.clip(0.2 * x + 0.5, 0, 1)),
    ("silu", "qops.silu %x : {t} -> {t}", lambda x: x / (1 + np.exp(-x))),
    ("tanh", "qops.tanh %x : {t} -> {t}", np.tanh),
    ("hardswish", "qops.hardswish %x : {t} -> {t}",
     lambda x: x * np.clip(x + 3, 0, 6) / 6),
    ("leaky_relu", "qops.leaky_relu %x alpha 0.1 : {t} -> {t}",
     lambda x: np.where(x >= 0, x, 0.1 * x)),
    ("relu", "qops.relu %x : {t}", lambda x: np.maximum(x, 0)),
    ("relu6", "qops.relu6 %x : {t}", lambda x: np.clip(x, 0, 6)),
    ("clamp", "qops.clamp %x min -1.5 max 2.5 : {t}",
     lambda x: np.clip(x, -1.5, 2.5)),
]

t = f"tensor<1x{N}xf32>"
body = [f"  %r{i} = " + text.format(t=t).replace("%x", "%x")
        for i, (_, text, _) in enumerate(OPS)]
model = (f"func.func @main(%x: {t}) -> ({', '.join([t] * len(OPS))}) {{\n"
         + "\n".join(body) + "\n"
         + f"  return {', '.join(f'%r{i}' for i in range(len(OPS)))} : "
         + f"{', '.join([t] * len(OPS))}\n}}\n")
with open(os.path.join(WORK, "model.mlir"), "w") as f:
    f.write(model)

rng = np.random.default_rng(20261203)
np.save(os.path.join(WORK, "calib.npy"),
        rng.uniform(-7.0, 5.0, (16, N)).astype(np.float32))
np.save(os.path.join(WORK, "input.npy"),
        np.linspace(-9.0, 7.0, N, dtype=np.float32).reshape(1, N))


def run(*args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE)


def quantize(x, scale, zp, lo, hi):
    return np.clip(np.round(x / scale) + zp, lo, hi)


for act in ("u8", "i8"):
    outs = {}
    for emit in ("qdq", "int8"):
        path = os.path.join(WORK, f"{act}.{emit}.mlir")
        run(os.path.join(BIN, "quant-opt"),
            f"--quantize-int8=calibration={WORK}/calib.npy "
            f"activations={act} emit={emit}",
            os.path.join(WORK, "model.mlir"), "-o", path)
        files = [os.path.join(WORK, f"{act}.{emit}.{i}.npy")
                 for i in range(len(OPS))]
        run(os.path.join(BIN, "quant-run"), path, "--input",
            os.path.join(WORK, "input.npy"),
            *[a for f in files for a in ("--output", f)])
        outs[emit] = [np.load(f) for f in files]
        if emit == "int8":
            text = open(path).read()
    floats = len(re.findall(r"qops\.(sigmoid|hardsigmoid|silu|tanh|hardswish|"
                            r"leaky_relu|relu|relu6|clamp) ", text))
    print(f"{act}: tables {text.count('qops.table')}, float ops between "
          f"dequantize and quantize: {floats}")
    # Parameters of the input (the table ops' operand) and of each result.
    types = re.findall(r"qops\.table %\S+, dense<[^>]*> : tensor<256xi32> : "
                       r"tensor<1x\d+x!quant\.uniform<([ui])8:f32, "
                       r"([0-9.e+-]+)(?::(-?\d+))?>> -> tensor<1x\d+x!quant"
                       r"\.uniform<([ui])8:f32, ([0-9.e+-]+)(?::(-?\d+))?>>",
                       text)
    x = np.load(os.path.join(WORK, "input.npy")).astype(np.float64)
    for i, (name, _, fn) in enumerate(OPS):
        sim, got = outs["qdq"][i], outs["int8"][i]
        equal = int((sim == got).sum())
        in_s, in_scale, in_zp, out_s, out_scale, out_zp = types[i]
        in_scale, out_scale = float(in_scale), float(out_scale)
        in_zp, out_zp = int(in_zp or 0), int(out_zp or 0)
        in_lo, in_hi = (-128, 127) if in_s == "i" else (0, 255)
        out_lo, out_hi = (-128, 127) if out_s == "i" else (0, 255)
        q_in = quantize(x, in_scale, in_zp, in_lo, in_hi)
        levels = len(np.unique(q_in))
        ref = quantize(fn((q_in - in_zp) * in_scale), out_scale, out_zp,
                       out_lo, out_hi)
        q_got = np.round(got.astype(np.float64) / out_scale) + out_zp
        quanta = int(np.abs(q_got - ref).max())
        print(f"{act} {name}: {equal}/{sim.size} equal to the simulation, "
              f"{levels} input levels, max {quanta} quanta from numpy")
