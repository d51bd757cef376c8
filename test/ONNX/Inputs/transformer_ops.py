#!/usr/bin/env python3
"""The transformer-encoder ops imported from ONNX and run against NumPy.

Usage: transformer_ops.py BIN_DIR WORK_DIR

Small models built with onnx.helper (seeded data) or exported by
torch.onnx.export, each imported (WORK_DIR/<name>.mlir, FileChecked by the
lit test) and run with quant-run:

  gather_*     Gather of a constant table at int64 / int32 token ids (graph
               inputs, negative and out-of-range ids included), and of a
               run-time tensor at constant indices (a scalar: a slice; a
               tensor: qops.gather). Compared exactly with NumPy using the
               documented index rule: wrap negative ids once, then clamp
               into [0, size - 1];
  layernorm_*  LayerNormalization (opset 17: last axis, two trailing axes
               without bias, every axis), and the decomposed opset-13 chain
               (ReduceMean / Sub / Pow 2 / ReduceMean / Add eps / Sqrt /
               Div / Mul / Add) built node by node, and a near miss (Pow 4)
               that must stay decomposed;
  gelu_*       Gelu (opset 20, approximate none / tanh) and the forms
               torch.onnx.export writes for nn.GELU() and
               nn.GELU(approximate="tanh") at opset 13, and an Erf chain
               whose gate has another user (stays element-wise);
  classtoken   the ViT class-token chain: ConstantOfShape / Mul / Equal /
               Where / Expand folded at import, Concat with a run-time
               tensor;
  attention_4d softmax(Q K^T / 2) V over [1, 2 heads, 5, 4] with all three
               run-time, heads merged by Transpose / Reshape.

Float results are compared in float64: max |got - ref| / max |ref| below
1e-5; gathers must be equal. Prints "<name>: shape [..], <verdict>".
"""
import math
import os
import subprocess
import sys

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

BIN, WORK = sys.argv[1], sys.argv[2]
os.makedirs(WORK, exist_ok=True)
rng = np.random.default_rng(17)
torch.manual_seed(0)


def tool(name, *args):
    proc = subprocess.run([os.path.join(BIN, name), *args],
                          stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.exit(f"{name} {' '.join(args)} failed:\n{proc.stderr}")


def randn(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def save(name, nodes, inputs, inits=(), opset=13):
    """inputs: (name, array) graph inputs; inits: (name, array)."""
    onnx_type = {np.dtype(np.float32): TensorProto.FLOAT,
                 np.dtype(np.int64): TensorProto.INT64,
                 np.dtype(np.int32): TensorProto.INT32}
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info(n, onnx_type[a.dtype], list(a.shape))
         for n, a in inputs],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
        [numpy_helper.from_array(np.asarray(v), k) for k, v in inits])
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    onnx.save(model, os.path.join(WORK, name + ".onnx"))


def check(name, inputs, ref, exact=False):
    """Imports WORK/name.onnx, runs it on `inputs`, compares with `ref`."""
    path = os.path.join(WORK, name)
    tool("quant-translate", "--import-onnx", path + ".onnx", "-o",
         path + ".mlir")
    args = []
    for i, a in enumerate(inputs):
        np.save(f"{path}.in{i}.npy", a)
        args += ["--input", f"{path}.in{i}.npy"]
    tool("quant-run", path + ".mlir", *args, "--output", path + ".y.npy")
    got = np.load(path + ".y.npy").astype(np.float64)
    ref = np.asarray(ref, np.float64)
    if got.shape != ref.shape:
        verdict = f"shape differs from {list(ref.shape)}"
    elif exact:
        verdict = "equal" if np.array_equal(got, ref) else "DIFFERENT"
    else:
        rel = np.abs(got - ref).max() / np.abs(ref).max()
        verdict = ("max rel diff below 1e-5" if rel < 1e-5
                   else f"max rel diff {rel:.3g}")
    print(f"{name}: shape {list(got.shape)}, {verdict}")


def safe(ids, size):
    """The documented index rule of qops.gather."""
    ids = np.where(ids < 0, ids + size, ids)
    return np.clip(ids, 0, size - 1)


# Gather: embedding tables at run-time ids.
table = randn(10, 8)
ids = np.array([[0, 9, -1, -10], [12, -11, 100, 3]], np.int64)
for dtype in (np.int64, np.int32):
    name = f"gather_embed_{np.dtype(dtype).name}"
    save(name, [helper.make_node("Gather", ["table", "ids"], ["y"],
                                 name="embed")],
         [("ids", ids.astype(dtype))], [("table", table)])
    check(name, [ids.astype(dtype)], table[safe(ids, 10)], exact=True)
# Axis 1 of a 3-D table.
table3 = randn(2, 6, 3)
ids1 = np.array([5, -6, 2], np.int64)
save("gather_axis1", [helper.make_node("Gather", ["table", "ids"], ["y"],
                                       name="g", axis=1)],
     [("ids", ids1)], [("table", table3)])
check("gather_axis1", [ids1], table3[:, safe(ids1, 6)], exact=True)
# A run-time tensor at constant indices: one row (a slice), several rows.
x = randn(2, 5, 4)
save("gather_row", [helper.make_node("Gather", ["x", "i"], ["y"], name="cls",
                                     axis=1)],
     [("x", x)], [("i", np.array(-2, np.int64))])
check("gather_row", [x], x[:, 3], exact=True)
rows = np.array([[0, -1], [2, 2]], np.int64)
save("gather_rows", [helper.make_node("Gather", ["x", "i"], ["y"], name="g",
                                      axis=1)],
     [("x", x)], [("i", rows)])
check("gather_rows", [x], x[:, safe(rows, 5)], exact=True)


# LayerNormalization (opset 17).
def layer_norm(x, axis, scale, bias, eps):
    x = x.astype(np.float64)
    axes = tuple(range(axis, x.ndim))
    mean = x.mean(axis=axes, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * scale + bias


x = randn(2, 3, 8) * 3 + 1
s8, b8 = randn(8), randn(8)
save("layernorm_17", [helper.make_node("LayerNormalization",
                                       ["x", "s", "b"], ["y"], name="ln",
                                       axis=-1, epsilon=1e-5)],
     [("x", x)], [("s", s8), ("b", b8)], opset=17)
check("layernorm_17", [x], layer_norm(x, 2, s8, b8, 1e-5))
s38 = randn(3, 8)
save("layernorm_axis1", [helper.make_node("LayerNormalization", ["x", "s"],
                                          ["y"], name="ln", axis=1,
                                          epsilon=1e-2)],
     [("x", x)], [("s", s38)], opset=17)
check("layernorm_axis1", [x], layer_norm(x, 1, s38, 0.0, 1e-2))
s238, b238 = randn(2, 3, 8), randn(2, 3, 8)
save("layernorm_axis0", [helper.make_node("LayerNormalization",
                                          ["x", "s", "b"], ["y"], name="ln",
                                          axis=0)],
     [("x", x)], [("s", s238), ("b", b238)], opset=17)
check("layernorm_axis0", [x], layer_norm(x, 0, s238, b238, 1e-5))


# The decomposed form, node by node as torch.onnx.export writes it.
def decomposed(name, power):
    c = lambda n, v: helper.make_node(
        "Constant", [], [n], value=numpy_helper.from_array(
            np.array(v, np.float32), n))
    nodes = [
        helper.make_node("ReduceMean", ["x"], ["m"], name="ln/ReduceMean",
                         axes=[-1]),
        helper.make_node("Sub", ["x", "m"], ["d"], name="ln/Sub"),
        c("two", power),
        helper.make_node("Pow", ["d", "two"], ["p"], name="ln/Pow"),
        helper.make_node("ReduceMean", ["p"], ["v"], name="ln/ReduceMean_1",
                         axes=[-1]),
        c("eps", 1e-5),
        helper.make_node("Add", ["v", "eps"], ["ve"], name="ln/Add"),
        helper.make_node("Sqrt", ["ve"], ["sd"], name="ln/Sqrt"),
        helper.make_node("Div", ["d", "sd"], ["n"], name="ln/Div"),
        helper.make_node("Mul", ["n", "s"], ["ns"], name="ln/Mul"),
        helper.make_node("Add", ["ns", "b"], ["y"], name="ln/Add_1"),
    ]
    save(name, nodes, [("x", x)], [("s", s8), ("b", b8)])


decomposed("layernorm_13", 2.0)
check("layernorm_13", [x], layer_norm(x, 2, s8, b8, 1e-5))
decomposed("layernorm_13_pow4", 4.0)
xd = x.astype(np.float64)
d = xd - xd.mean(-1, keepdims=True)
check("layernorm_13_pow4", [x],
      d / np.sqrt((d ** 4).mean(-1, keepdims=True) + 1e-5) * s8 + b8)


def c(n, v):
    return helper.make_node("Constant", [], [n],
                            value=numpy_helper.from_array(v, n))


# GELU.
def gelu(x, approximate):
    x = x.astype(np.float64)
    if approximate == "tanh":
        return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) *
                                      (x + 0.044715 * x ** 3)))
    return 0.5 * x * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))


g = randn(3, 16) * 3
for approximate in ("none", "tanh"):
    name = f"gelu_20_{approximate}"
    save(name, [helper.make_node("Gelu", ["x"], ["y"], name="gelu",
                                 approximate=approximate)],
         [("x", g)], opset=20)
    check(name, [g], gelu(g, approximate))
    name = f"gelu_exported_{approximate}"
    torch.onnx.export(torch.nn.GELU(approximate=approximate),
                      (torch.from_numpy(g),),
                      os.path.join(WORK, name + ".onnx"), opset_version=13)
    check(name, [g], gelu(g, approximate))

# A GELU chain whose gate (erf + 1) is read elsewhere too stays the
# element-wise ops.
nodes = [
    c("sqrt2", np.array(1.4142135381698608, np.float32)),
    helper.make_node("Div", ["x", "sqrt2"], ["d"]),
    helper.make_node("Erf", ["d"], ["e"], name="erf"),
    c("one", np.array(1.0, np.float32)),
    helper.make_node("Add", ["e", "one"], ["g"]),
    helper.make_node("Mul", ["x", "g"], ["p"]),
    c("half", np.array(0.5, np.float32)),
    helper.make_node("Mul", ["p", "half"], ["h"]),
    helper.make_node("Add", ["h", "g"], ["y"]),
]
save("gelu_shared_gate", nodes, [("x", g)])
gate = 1 + np.vectorize(math.erf)(g.astype(np.float64) / math.sqrt(2))
check("gelu_shared_gate", [g], gelu(g, "none") + gate)

# The ViT class token: [1, 1, 4] expanded to [1, -1, -1] -> [1, 1, 4] by a
# folded Equal / Where chain, then concatenated before the patches.
token = randn(1, 1, 4)
patches = randn(1, 3, 4)
nodes = [
    c("shape", np.array([1, -1, -1], np.int64)),
    c("three", np.array([3], np.int64)),
    helper.make_node("ConstantOfShape", ["three"], ["ones"],
                     value=numpy_helper.from_array(np.array([1], np.int64))),
    c("minus", np.array(-1, np.int64)),
    helper.make_node("Mul", ["ones", "minus"], ["neg"]),
    helper.make_node("Equal", ["shape", "neg"], ["eq"], name="eq"),
    helper.make_node("Where", ["eq", "ones", "shape"], ["target"],
                     name="where"),
    helper.make_node("Expand", ["token", "target"], ["tok"]),
    helper.make_node("Concat", ["tok", "x"], ["y"], name="cat", axis=1),
]
save("classtoken", nodes, [("x", patches)], [("token", token)], opset=17)
check("classtoken", [patches], np.concatenate([token, patches], axis=1),
      exact=True)

# 4-D multi-head attention with both operands of each product run-time:
# softmax(Q K^T / sqrt(d)) V over [batch, heads, length, d], heads merged.
q, k, v = randn(1, 2, 5, 4), randn(1, 2, 5, 4), randn(1, 2, 5, 4)
nodes = [
    helper.make_node("Transpose", ["k"], ["kt"], perm=[0, 1, 3, 2]),
    helper.make_node("MatMul", ["q", "kt"], ["s"], name="qk"),
    c("scale", np.array(2.0, np.float32)),
    helper.make_node("Div", ["s", "scale"], ["ss"]),
    helper.make_node("Softmax", ["ss"], ["p"], name="softmax", axis=-1),
    helper.make_node("MatMul", ["p", "v"], ["o"], name="pv"),
    helper.make_node("Transpose", ["o"], ["ot"], perm=[0, 2, 1, 3]),
    c("shape", np.array([1, 5, 8], np.int64)),
    helper.make_node("Reshape", ["ot", "shape"], ["y"]),
]
save("attention_4d", nodes, [("q", q), ("k", k), ("v", v)])
scores = q.astype(np.float64) @ k.astype(np.float64).transpose(0, 1, 3, 2) / 2
p = np.exp(scores - scores.max(-1, keepdims=True))
p /= p.sum(-1, keepdims=True)
check("attention_4d", [q, k, v],
      (p @ v.astype(np.float64)).transpose(0, 2, 1, 3).reshape(1, 5, 8))
