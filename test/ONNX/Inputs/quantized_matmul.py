#!/usr/bin/env python3
"""Quantized matrix products of every batching form against the ONNX formula.

Usage: quantized_matmul.py BIN_DIR WORK_DIR

Builds ONNX models (QLinearMatMul, MatMulInteger, DequantizeLinear of int32)
with seeded random data, imports each with quant-translate --import-onnx,
runs it with quant-run and compares every integer with numpy's evaluation of
the ONNX operator definition:

  QLinearMatMul: y = saturate(round_half_even((a - za) @ (b - zb) * sa * sb / sy) + zy)
                 (the multiplier applied in float, as ONNX Runtime does)
  MatMulInteger: y = (a - za) @ (b - zb) in int32, zb per column allowed
  DequantizeLinear(int32): y = (x - z) * s

The forms: batched 3-D and 4-D with a constant B and with a run-time B, u8
and i8 A, and a 3-D A times a 2-D B (broadcast). Prints one line per case:
"<name>: <equal>/<total> equal, max <d> quanta".
"""
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

BIN, WORK = sys.argv[1], sys.argv[2]
os.makedirs(WORK, exist_ok=True)
rng = np.random.default_rng(14)

ONNX_TYPE = {np.uint8: TensorProto.UINT8, np.int8: TensorProto.INT8,
             np.int32: TensorProto.INT32, np.float32: TensorProto.FLOAT}


def info(name, array_or_dtype, shape=None):
    dtype = array_or_dtype if shape is not None else array_or_dtype.dtype.type
    shape = shape if shape is not None else array_or_dtype.shape
    return helper.make_tensor_value_info(name, ONNX_TYPE[dtype], list(shape))


def run_model(name, node, inputs, initializers, out_dtype, out_shape):
    """Saves the one-node model, imports and runs it on `inputs` (name -> array)."""
    graph = helper.make_graph(
        [node], name, [info(k, v) for k, v in inputs.items()],
        [info("y", out_dtype, out_shape)],
        [numpy_helper.from_array(v, k) for k, v in initializers.items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    path = os.path.join(WORK, name)
    onnx.save(model, path + ".onnx")
    subprocess.run([os.path.join(BIN, "quant-translate"), "--import-onnx",
                    path + ".onnx", "-o", path + ".mlir"], check=True)
    cmd = [os.path.join(BIN, "quant-run"), path + ".mlir"]
    for k, v in inputs.items():
        np.save(f"{path}.{k}.npy", v)
        cmd += ["--input", f"{path}.{k}.npy"]
    cmd += ["--output", path + ".y.npy"]
    proc = subprocess.run(cmd, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr)
    return np.load(path + ".y.npy")


def report(name, got, want):
    assert got.shape == want.shape, (name, got.shape, want.shape)
    diff = np.abs(got.astype(np.int64) - want.astype(np.int64))
    print(f"{name}: {int((diff == 0).sum())}/{diff.size} equal, "
          f"max {int(diff.max())} quanta")


def rand(dtype, shape):
    info_ = np.iinfo(dtype)
    return rng.integers(info_.min, info_.max + 1, size=shape).astype(dtype)


def qlinear_model(name, a, b, constant_b, sa, za, sb, zb, sy, zy):
    """The QLinearMatMul node, its inputs and initializers, the int64
    accumulators (a - za) @ (b - zb) and the expected u8 output (the
    multiplier applied in float)."""
    acc = np.matmul(a.astype(np.int64) - za, b.astype(np.int64) - zb)
    multiplier = np.float32(sa * sb / sy)
    want = np.clip(np.round(acc.astype(np.float32) * multiplier) + zy,
                   0, 255).astype(np.uint8)
    node = helper.make_node("QLinearMatMul",
                            ["a", "sa", "za", "b", "sb", "zb", "sy", "zy"],
                            ["y"], name=name)
    inputs = {"a": a}
    initializers = {"sa": np.array(sa, np.float32), "za": np.array(za, a.dtype),
                    "sb": np.array(sb, np.float32), "zb": np.array(zb, np.int8),
                    "sy": np.array(sy, np.float32), "zy": np.array(zy, np.uint8)}
    (initializers if constant_b else inputs)["b"] = b
    return node, inputs, initializers, acc, want


def qlinear_matmul(name, a_dtype, a_shape, b_shape, constant_b, za, zb, zy=5):
    node, inputs, initializers, acc, want = qlinear_model(
        name, rand(a_dtype, a_shape), rand(np.int8, b_shape), constant_b,
        np.float32(0.02), za, np.float32(0.015), zb, np.float32(0.4), zy)
    assert np.abs(acc).max() < 2**31
    got = run_model(name, node, inputs, initializers, np.uint8, want.shape)
    report(name, got, want)


def qlinear_bound(name, k):
    """Batch 4 of [1, k] x [k, 2], u8 A = 255 (zero point 0), constant B =
    127: every output accumulates 255 * 127 * k, which fits i32 up to
    k = 66311. The bound is per batch: k products, not 4 k. Prints whether
    quant-run ran (then the comparison) or the error it stopped with."""
    a = np.full((4, 1, k), 255, np.uint8)
    b = np.full((4, k, 2), 127, np.int8)
    b[:, :, 1] = -127
    node, inputs, initializers, acc, want = qlinear_model(
        name, a, b, True, np.float32(1.0 / 255), 0, np.float32(1.0 / 127), 0,
        np.float32(k / 100.0), 128)
    try:
        got = run_model(name, node, inputs, initializers, np.uint8, want.shape)
    except RuntimeError as error:
        line = next(l for l in str(error).splitlines() if "error:" in l)
        print(f"{name}: max |acc| {int(np.abs(acc).max())}, quant-run failed: "
              f"{line.split('error: ', 1)[1]}")
        return
    print(f"{name}: max |acc| {int(np.abs(acc).max())}, ran")
    report(name, got, want)


def matmul_integer(name, a_shape, b_shape, constant_b, za, zb):
    a = rand(np.uint8, a_shape)
    b = rand(np.int8, b_shape)
    zb = np.asarray(zb, np.int8)
    want = np.matmul(a.astype(np.int64) - za,
                     b.astype(np.int64) - zb.astype(np.int64)).astype(np.int32)
    node = helper.make_node("MatMulInteger", ["a", "b", "za", "zb"], ["y"],
                            name=name)
    inputs = {"a": a}
    initializers = {"za": np.array(za, np.uint8), "zb": zb}
    if constant_b:
        initializers["b"] = b
    else:
        inputs["b"] = b
    got = run_model(name, node, inputs, initializers, np.int32, want.shape)
    report(name, got, want)


# The reported case: u8 A with zero point 112, constant i8 B, batch 4.
qlinear_matmul("qlinear_3d_const_u8", np.uint8, (4, 16, 32), (4, 32, 24), True, 112, 0)
qlinear_matmul("qlinear_3d_runtime_u8", np.uint8, (4, 16, 32), (4, 32, 24), False, 112, 0)
qlinear_matmul("qlinear_3d_const_i8", np.int8, (3, 8, 20), (3, 20, 12), True, -7, 0)
qlinear_matmul("qlinear_3d_runtime_i8", np.int8, (3, 8, 20), (3, 20, 12), False, -7, 3)
qlinear_matmul("qlinear_4d_const_u8", np.uint8, (2, 3, 8, 16), (2, 3, 16, 8), True, 90, 0)
qlinear_matmul("qlinear_4d_runtime_u8", np.uint8, (2, 3, 8, 16), (2, 3, 16, 8), False, 90, -2)
qlinear_matmul("qlinear_4d_const_i8", np.int8, (2, 2, 5, 16), (2, 2, 16, 8), True, 11, 0)
# Broadcast: a 3-D (and 4-D) A times one 2-D B.
qlinear_matmul("qlinear_3d_x_2d_const", np.uint8, (2, 16, 32), (32, 24), True, 112, 0)
qlinear_matmul("qlinear_3d_x_2d_runtime", np.uint8, (2, 16, 32), (32, 24), False, 112, 1)
qlinear_matmul("qlinear_4d_x_2d_const_i8", np.int8, (2, 3, 4, 16), (16, 8), True, -20, 0)

# The accumulator bound at its boundary: 255 * 127 * 66311 < 2^31 <= 255 * 127 * 66312.
qlinear_bound("qlinear_bound_fits", 66311)
qlinear_bound("qlinear_bound_overflows", 66312)

# MatMulInteger with one zero point per column of B (constant and run-time B).
zb_cols = rng.integers(-5, 6, size=10)
matmul_integer("matmulinteger_col_zp_const", (4, 6), (6, 10), True, 3, zb_cols)
matmul_integer("matmulinteger_col_zp_runtime", (4, 6), (6, 10), False, 3, zb_cols)
matmul_integer("matmulinteger_3d_const", (2, 4, 6), (2, 6, 10), True, 100, 0)

# DequantizeLinear of an int32 tensor (the dequantized bias of QDQ models).
x = rng.integers(-2**31, 2**31 - 1, size=(3, 7), dtype=np.int64).astype(np.int32)
x[0, :3] = [np.iinfo(np.int32).min, np.iinfo(np.int32).max, 0]
s = np.float32(0.00031)
node = helper.make_node("DequantizeLinear", ["x", "s"], ["y"], name="deq_i32")
want = (x.astype(np.float32) * s).astype(np.float32)
got = run_model("dequantize_int32", node, {"x": x}, {"s": np.array(s, np.float32)},
                np.float32, x.shape)
rel = np.abs(got - want) / np.maximum(np.abs(want), 1e-30)
print(f"dequantize_int32: {int((got == want).sum())}/{want.size} equal, "
      f"max rel {float(rel.max()):.1e}")
