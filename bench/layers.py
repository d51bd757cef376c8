#!/usr/bin/env python3
"""Writes the benchmark layers of the design contract (L1-L5, GEMM 256^3 and
512^3) as float qops models with seeded weights, each with a calibration set
and one input, and layers.txt (name, operations per call):
layers.py OUT_DIR [--tiny].

--tiny writes one small conv instead (the test suite's smoke case).
Run with Debian's python: /usr/bin/python3.
"""
import os
import sys

import numpy as np

OUT = sys.argv[1]
TINY = "--tiny" in sys.argv
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(8)


def dense(a):
    return "dense<" + np.array2string(
        a, separator=", ", threshold=1 << 40,
        formatter={"float_kind": lambda v: "%.6g" % v}) + ">"


def t(*shape):
    return "tensor<" + "x".join(str(d) for d in shape) + "xf32>"


def conv(name, h, w, c, o, k, stride, pad, groups, ops):
    oh = (h + 2 * pad - k) // stride + 1
    ow = (w + 2 * pad - k) // stride + 1
    wt = (rng.standard_normal((o, k, k, c // groups)) * 0.1).astype(np.float32)
    b = (rng.standard_normal(o) * 0.1).astype(np.float32)
    text = f"""func.func @main(%x: {t(1, h, w, c)}) -> {t(1, oh, ow, o)} {{
  %w = arith.constant {dense(wt)} : {t(*wt.shape)}
  %b = arith.constant {dense(b)} : {t(o)}
  %y = qops.conv2d %x, %w, %b stride [{stride}, {stride}] pad [{pad}, {pad}, {pad}, {pad}] dilation [1, 1] groups {groups} {{clamp_min = 0.0 : f32}}
       : ({t(1, h, w, c)}, {t(*wt.shape)}, {t(o)}) -> {t(1, oh, ow, o)}
  return %y : {t(1, oh, ow, o)}
}}
"""
    macs = oh * ow * o * k * k * (c // groups)
    write(name, text, (1, h, w, c), macs, ops)


def fc(name, k, n, m, ops):
    wt = (rng.standard_normal((n, k)) * (1 / np.sqrt(k))).astype(np.float32)
    b = (rng.standard_normal(n) * 0.1).astype(np.float32)
    text = f"""func.func @main(%x: {t(m, k)}) -> {t(m, n)} {{
  %w = arith.constant {dense(wt)} : {t(n, k)}
  %b = arith.constant {dense(b)} : {t(n)}
  %y = qops.fully_connected %x, %w, %b : ({t(m, k)}, {t(n, k)}, {t(n)}) -> {t(m, n)}
  return %y : {t(m, n)}
}}
"""
    write(name, text, (m, k), m * n * k, ops)


def write(name, text, shape, macs, ops):
    """`shape` is the function input's; a [1, ...] input calibrates on 8
    samples (batch convention), any other on one sample of its shape."""
    with open(os.path.join(OUT, name + ".mlir"), "w") as f:
        f.write(text)
    calib_shape = (8,) + tuple(shape[1:]) if shape[0] == 1 else tuple(shape)
    np.save(os.path.join(OUT, name + "_calib.npy"),
            rng.random(calib_shape, dtype=np.float32))
    np.save(os.path.join(OUT, name + "_input.npy"),
            rng.random(tuple(shape), dtype=np.float32))
    ops.append((name, 2 * macs))


ops = []
if TINY:
    conv("tiny", 8, 8, 8, 8, 3, 1, 1, 1, ops)
else:
    conv("L1", 56, 56, 64, 64, 3, 1, 1, 1, ops)
    conv("L2", 28, 28, 128, 512, 1, 1, 0, 1, ops)
    conv("L3", 112, 112, 32, 32, 3, 1, 1, 32, ops)
    conv("L4", 224, 224, 3, 32, 3, 2, 1, 1, ops)
    fc("L5", 1024, 1000, 1, ops)
    fc("GEMM256", 256, 256, 256, ops)
    fc("GEMM512", 512, 512, 512, ops)
with open(os.path.join(OUT, "layers.txt"), "w") as f:
    for name, n in ops:
        f.write(f"{name} {n}\n")
