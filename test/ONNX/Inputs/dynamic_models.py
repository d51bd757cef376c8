#!/usr/bin/python3
"""ONNX models of dynamic quantization for dynamic-quantization.test.

usage: dynamic_models.py BIN_DIR WORK_DIR

Writes ONNX Runtime's dynamic-quantizer graph in several spellings and some
malformed variants; imports the good ones, runs them with quant-run and
compares with numpy's evaluation of the ONNX operators (DynamicQuantizeLinear,
MatMulInteger in int64, Cast, Mul, Add: bit for bit).
"""
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

BIN, WORK = sys.argv[1], sys.argv[2]
os.makedirs(WORK, exist_ok=True)
rng = np.random.default_rng(11)


def dql(x):
    lo = np.minimum(np.float32(0), x.min())
    hi = np.maximum(np.float32(0), x.max())
    s = np.float32((hi - lo) / np.float32(255))
    z = np.float32(np.round(np.clip(np.float32(0) - lo / s, 0, 255)))
    return np.clip(np.round(x / s) + z, 0, 255).astype(np.int64), s, int(z)


def model(name, nodes, inits, in_shape, out_shape, out_name="y"):
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, in_shape)],
        [helper.make_tensor_value_info(out_name, TensorProto.FLOAT, out_shape)],
        [numpy_helper.from_array(v, k) for k, v in inits.items()])
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.save(m, os.path.join(WORK, name + ".onnx"))


def dq_nodes(a_zp="xz", cast_to=TensorProto.FLOAT, scale_first=False,
             order=("xs", "ws")):
    nodes = [helper.make_node("DynamicQuantizeLinear", ["x"], ["xq", "xs", "xz"],
                              name="x_dq")]
    prod = helper.make_node("Mul", list(order), ["sprod"], name="scales_mul")
    if scale_first:
        nodes.append(prod)
    nodes += [helper.make_node("MatMulInteger", ["xq", "wq", a_zp, "wz"],
                               ["acc"], name="mm_int"),
              helper.make_node("Cast", ["acc"], ["accf"], to=cast_to,
                               name="mm_cast")]
    if not scale_first:
        nodes.append(prod)
    nodes.append(helper.make_node("Mul", ["accf", "sprod"], ["mm"],
                                  name="mm_scaled"))
    nodes.append(helper.make_node("Add", ["mm", "b"], ["y"], name="bias_add"))
    return nodes


K, N = 40, 12
w_s8 = rng.integers(-127, 128, (K, N)).astype(np.int8)
w_u8 = rng.integers(0, 256, (K, N)).astype(np.uint8)
ws = (rng.random(N).astype(np.float32) * 0.01 + 0.001).astype(np.float32)
zu = rng.integers(90, 160, N).astype(np.uint8)
b = rng.standard_normal(N).astype(np.float32)

# Good models: (name, nodes, inits, input shape, weights, zero points, scales)
cases = {
    "ort_s8_tensor": (dq_nodes(), {"wq": w_s8, "wz": np.int8(0),
                                   "ws": ws[:1].reshape(()), "b": b},
                      [6, K], w_s8, np.zeros(N), np.full(N, ws[0])),
    "ort_u8_columns": (dq_nodes(scale_first=True, order=("ws", "xs")),
                       {"wq": w_u8, "wz": zu, "ws": ws, "b": b}, [6, K], w_u8,
                       zu, ws),
    "ort_s8_3d": (dq_nodes(), {"wq": w_s8, "wz": np.zeros(N, np.int8),
                               "ws": ws, "b": b}, [2, 3, K], w_s8,
                  np.zeros(N), ws),
}
for name, (nodes, inits, shape, w, z, s) in cases.items():
    model(name, nodes, inits, shape, shape[:-1] + [N])
    subprocess.run([f"{BIN}/quant-translate", "--import-onnx",
                    os.path.join(WORK, name + ".onnx"), "-o",
                    os.path.join(WORK, name + ".mlir")], check=True)
    x = (rng.standard_normal(shape) * 3 + 1).astype(np.float32)
    np.save(os.path.join(WORK, name + "_x.npy"), x)
    subprocess.run([f"{BIN}/quant-run", os.path.join(WORK, name + ".mlir"),
                    "--input", os.path.join(WORK, name + "_x.npy"), "--output",
                    os.path.join(WORK, name + "_y.npy")], check=True)
    q, xs, xz = dql(x)
    acc = (q - xz) @ (w.astype(np.int64) - z.astype(np.int64))
    ref = (acc.astype(np.float32) * (np.float32(xs) * s.astype(np.float32))
           + b).astype(np.float32)
    got = np.load(os.path.join(WORK, name + "_y.npy"))
    print(f"{name}: max |quant-run - numpy| = {np.abs(got - ref).max():.1e}")

# Bad models.
s8 = {"wq": w_s8, "wz": np.int8(0), "ws": ws[:1].reshape(()), "b": b}
model("no_cast", [helper.make_node("DynamicQuantizeLinear", ["x"],
                                   ["xq", "xs", "xz"]),
                  helper.make_node("MatMulInteger", ["xq", "wq", "xz", "wz"],
                                   ["acc"], name="mm_int"),
                  helper.make_node("Mul", ["xs", "ws"], ["y"])],
      s8, [6, K], [])
s8_zp = dict(s8, other_zp=np.uint8(3))
model("other_zp", dq_nodes(a_zp="other_zp"), s8_zp, [6, K], [6, N])
model("cast_int", dq_nodes(cast_to=TensorProto.INT32), s8, [6, K], [6, N])
bad_scales = dict(s8, ws=ws[:5])
model("scale_count", dq_nodes(), bad_scales, [6, K], [6, N])

# Two DynamicQuantizeLinear inputs, but b_zero_point is another tensor.
nodes = [
    helper.make_node("DynamicQuantizeLinear", ["x"], ["xq", "xs", "xz"]),
    helper.make_node("DynamicQuantizeLinear", ["x2"], ["bq", "bs", "bz"]),
    helper.make_node("MatMulInteger", ["xq", "bq", "xz", "xz"], ["acc"],
                     name="mm_int"),
    helper.make_node("Cast", ["acc"], ["accf"], to=TensorProto.FLOAT),
    helper.make_node("Mul", ["xs", "bs"], ["sprod"]),
    helper.make_node("Mul", ["accf", "sprod"], ["y"]),
]
graph = helper.make_graph(
    nodes, "activations_bad_zp",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4, 8]),
     helper.make_tensor_value_info("x2", TensorProto.FLOAT, [8, 3])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4, 3])])
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
          os.path.join(WORK, "activations_zp.onnx"))
# A run-time B that is not dynamically quantized.
nodes = [
    helper.make_node("DynamicQuantizeLinear", ["x"], ["xq", "xs", "xz"]),
    helper.make_node("QuantizeLinear", ["x2", "s2", "z2"], ["bq"]),
    helper.make_node("MatMulInteger", ["xq", "bq", "xz", "z2"], ["acc"],
                     name="mm_int"),
    helper.make_node("Cast", ["acc"], ["accf"], to=TensorProto.FLOAT),
    helper.make_node("Mul", ["xs", "s2"], ["sprod"]),
    helper.make_node("Mul", ["accf", "sprod"], ["y"]),
]
graph = helper.make_graph(
    nodes, "static_b",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4, 8]),
     helper.make_tensor_value_info("x2", TensorProto.FLOAT, [8, 3])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4, 3])],
    [numpy_helper.from_array(np.float32(0.1), "s2"),
     numpy_helper.from_array(np.uint8(128), "z2")])
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
          os.path.join(WORK, "static_b.onnx"))
