#!/usr/bin/env python3
"""Writes the benchmark rows as float qops models, each with a calibration set
and one input: layers.py OUT_DIR [--tiny].

Rows: the layers of the design contract (L1-L5, GEMM 256^3 and 512^3) with
seeded weights; the example CNN (examples/small_cnn.mlir with its input and
calibration set); a MobileNetV2-style network at 112x112 (bench/mobilenet.py).
Per row NAME: NAME.mlir, NAME_calib.npy and NAME_input.npy, the timed input:
one sample for the layers, four for the whole models (timed per sample; their
int8 classes are compared with fp32). layers.txt has one line per row:

  NAME OPS SPEC

OPS the operations per call (2 x the multiply-adds of the convolutions and
fully-connected layers), SPEC the row for bench/quant-bench-onednn
(conv:N,H,W,C,O,K,STRIDE,PAD,GROUPS[:relu], fc:M,K,N[:relu] or, for
MobileNetV2, net:NAME.net, its layers) or `-` (the CNN: not timed in oneDNN).

--tiny writes a small conv, a small fully-connected layer and the example CNN
instead (the test suite's smoke case).
Run with Debian's python: /usr/bin/python3.
"""
import os
import re
import sys

import numpy as np

from mobilenet import mobilenet_v2

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(HERE, "..", "examples")
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
    spec = f"conv:1,{h},{w},{c},{o},{k},{stride},{pad},{groups}:relu"
    write(name, text, (1, h, w, c), macs, spec, ops)


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
    write(name, text, (m, k), m * n * k, f"fc:{m},{k},{n}", ops)


def count_macs(text):
    """Multiply-adds of the qops.conv2d and qops.fully_connected ops of a
    float model, from their types: output elements x weight elements per
    output channel."""
    macs = 0
    sig = re.compile(r"qops\.(conv2d|fully_connected)\b.*?:\s*\(([^()]*)\)\s*->\s*"
                     r"tensor<([0-9x]+)xf32>", re.S)
    for m in sig.finditer(text):
        weight = m.group(2).split(",")[1]
        wdims = [int(d) for d in re.search(r"tensor<([0-9x]+)xf32>", weight).group(1).split("x")]
        odims = [int(d) for d in m.group(3).split("x")]
        macs += int(np.prod(odims)) * int(np.prod(wdims[1:]))
    return macs


def model(name, text, calib, inp, ops, net=None):
    """A whole model with its calibration set and input samples (and its
    quant-bench-onednn description `net`, when there is one)."""
    with open(os.path.join(OUT, name + ".mlir"), "w") as f:
        f.write(text)
    np.save(os.path.join(OUT, name + "_calib.npy"), calib)
    np.save(os.path.join(OUT, name + "_input.npy"), inp)
    spec = "-"
    if net:
        path = os.path.abspath(os.path.join(OUT, name + ".net"))
        with open(path, "w") as f:
            f.write(net)
        spec = "net:" + path
    ops.append((name, 2 * count_macs(text), spec))


def small_cnn(ops):
    """The example CNN with its input (4 samples) and calibration set."""
    with open(os.path.join(EXAMPLES, "small_cnn.mlir")) as f:
        text = f.read()
    inp = np.load(os.path.join(EXAMPLES, "small_cnn_input.npy"))
    calib = np.load(os.path.join(EXAMPLES, "small_cnn_calibration.npy"))
    model("CNN", text, calib, inp, ops)


def mobilenet(ops):
    mrng = np.random.default_rng(2)
    text, shape, macs, net = mobilenet_v2(mrng)
    assert macs == count_macs(text), (macs, count_macs(text))
    calib = mrng.random((8,) + shape[1:], dtype=np.float32)
    inp = mrng.random((4,) + shape[1:], dtype=np.float32)
    model("MobileNetV2", text, calib, inp, ops, net)


def write(name, text, shape, macs, spec, ops):
    """`shape` is the function input's; a [1, ...] input calibrates on 8
    samples (batch convention), any other on one sample of its shape."""
    with open(os.path.join(OUT, name + ".mlir"), "w") as f:
        f.write(text)
    calib_shape = (8,) + tuple(shape[1:]) if shape[0] == 1 else tuple(shape)
    np.save(os.path.join(OUT, name + "_calib.npy"),
            rng.random(calib_shape, dtype=np.float32))
    np.save(os.path.join(OUT, name + "_input.npy"),
            rng.random(tuple(shape), dtype=np.float32))
    ops.append((name, 2 * macs, spec))


ops = []
if TINY:
    conv("tiny", 8, 8, 8, 8, 3, 1, 1, 1, ops)
    fc("tinyfc", 64, 32, 4, ops)
    small_cnn(ops)
else:
    conv("L1", 56, 56, 64, 64, 3, 1, 1, 1, ops)
    conv("L2", 28, 28, 128, 512, 1, 1, 0, 1, ops)
    conv("L3", 112, 112, 32, 32, 3, 1, 1, 32, ops)
    conv("L4", 224, 224, 3, 32, 3, 2, 1, 1, ops)
    fc("L5", 1024, 1000, 1, ops)
    fc("GEMM256", 256, 256, 256, ops)
    fc("GEMM512", 512, 512, 512, ops)
    small_cnn(ops)
    mobilenet(ops)
with open(os.path.join(OUT, "layers.txt"), "w") as f:
    for name, n, spec in ops:
        f.write(f"{name} {n} {spec}\n")
