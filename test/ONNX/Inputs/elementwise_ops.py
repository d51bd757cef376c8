#!/usr/bin/env python3
"""The element-wise arithmetic ops on run-time tensors, against numpy.

Usage: elementwise_ops.py BIN_DIR WORK_DIR

Builds small ONNX models with onnx.helper (seeded data): Sub, Div, Pow
(run-time exponent; constant 2, 0.5 and 3), the variadic Sum, Mean, Max,
Min (three inputs of different broadcast shapes, and one input), Sqrt, Exp,
Erf, Neg, Abs, Reciprocal, and a uint8 graph input cast to float and
normalised (Sub mean, Div std). Each is imported with quant-translate
(WORK_DIR/<name>.mlir, which the lit test FileChecks), run with quant-run
and compared with numpy's float64 evaluation of the graph. Prints one line
per model:
    "<name>: shape [..], max |diff| <d>, max |ref| <r>"

Then the image-preprocessing model end to end: a uint8 [1, 3, 8, 8] image,
Cast to float, Sub the per-channel mean, Div by the per-channel std, a 3x3
Conv (4 channels, pad 1) and Relu, on 16 seeded images (the batch
convention). Float: quant-run against numpy. Int8: --fold-bn
--quantize-int8 calibrated on 16 other seeded uint8 images, and the same
with emit=qdq (the simulation); prints
    "e2e float: max |diff| <d> relative to max |ref| <r>"
    "e2e int8: ops <op counts>, float ops between dequantize and quantize: F"
    "e2e int8: K/K equal to the simulation, SQNR <s> dB against float"
and writes the models that the importer must refuse as WORK_DIR/bad_*.onnx.
"""
import math
import os
import re
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

BIN, WORK = sys.argv[1], sys.argv[2]
os.makedirs(WORK, exist_ok=True)
rng = np.random.default_rng(1616)
SHAPE = [1, 3, 4, 5]


def tool(name, *args):
    proc = subprocess.run([os.path.join(BIN, name), *args],
                          stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.exit(f"{name} {' '.join(args)} failed:\n{proc.stderr}")
    return proc.stderr


def save(name, nodes, inputs, constants=(), opset=13, out_shape=None):
    """inputs: [(name, numpy array)] graph inputs; constants: initializers."""
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info(
            n, helper.np_dtype_to_tensor_dtype(v.dtype)
            if hasattr(helper, "np_dtype_to_tensor_dtype")
            else onnx.mapping.NP_TYPE_TO_TENSOR_TYPE[v.dtype], list(v.shape))
         for n, v in inputs],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, out_shape)],
        [numpy_helper.from_array(np.asarray(v), k) for k, v in constants])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    path = os.path.join(WORK, name + ".onnx")
    onnx.save(model, path)
    return path


def node(op, inputs, name=None, output="y", **attrs):
    return helper.make_node(op, list(inputs), [output], name=name or op.lower(),
                            **attrs)


def uniform(lo, hi, shape=SHAPE):
    return rng.uniform(lo, hi, shape).astype(np.float32)


def run(name, inputs):
    mlir = os.path.join(WORK, name + ".mlir")
    tool("quant-translate", "--import-onnx", os.path.join(WORK, name + ".onnx"),
         "-o", mlir)
    args = []
    for i, (_, v) in enumerate(inputs):
        path = os.path.join(WORK, f"{name}.in{i}.npy")
        np.save(path, v)
        args += ["--input", path]
    out = os.path.join(WORK, f"{name}.out.npy")
    tool("quant-run", mlir, *args, "--output", out)
    return np.load(out)


def check(name, nodes, inputs, reference, constants=()):
    save(name, nodes, inputs, constants)
    got = run(name, inputs)
    ref = reference(*[v.astype(np.float64) for _, v in inputs])
    diff = float(np.abs(got.astype(np.float64) - ref).max())
    print(f"{name}: shape {list(got.shape)}, max |diff| {diff:.3g}, "
          f"max |ref| {float(np.abs(ref).max()):.3g}")


x, y, z = uniform(-2, 2), uniform(-2, 2), uniform(-2, 2)
pos, pos2 = uniform(0.1, 3), uniform(0.5, 2)
row = uniform(-2, 2, [5])
col = uniform(-2, 2, [3, 1, 1])

check("sub", [node("Sub", ["a", "b"])], [("a", x), ("b", y)],
      lambda a, b: a - b)
check("sub_bcast", [node("Sub", ["a", "c"])], [("a", x)],
      lambda a: a - col.astype(np.float64), [("c", col)])
check("div", [node("Div", ["a", "b"])], [("a", x), ("b", pos)],
      lambda a, b: a / b)
check("pow", [node("Pow", ["a", "b"])], [("a", pos), ("b", y)],
      lambda a, b: a ** b)
check("pow_2", [node("Pow", ["a", "e"])], [("a", x)],
      lambda a: a ** 2, [("e", np.float32(2))])
check("pow_half", [node("Pow", ["a", "e"])], [("a", pos)],
      lambda a: a ** 0.5, [("e", np.float32(0.5))])
check("pow_3", [node("Pow", ["a", "e"])], [("a", x)],
      lambda a: a ** 3, [("e", np.float32(3))])
check("sum3", [node("Sum", ["a", "b", "c"])],
      [("a", x), ("b", row), ("c", col)], lambda a, b, c: a + b + c)
check("mean3", [node("Mean", ["a", "b", "c"])],
      [("a", x), ("b", row), ("c", col)], lambda a, b, c: (a + b + c) / 3)
check("max3", [node("Max", ["a", "b", "c"])],
      [("a", x), ("b", row), ("c", col)],
      lambda a, b, c: np.maximum(np.maximum(a, b), c))
check("min3", [node("Min", ["a", "b", "c"])],
      [("a", x), ("b", row), ("c", col)],
      lambda a, b, c: np.minimum(np.minimum(a, b), c))
check("min1", [node("Min", ["a"])], [("a", x)], lambda a: a)
check("sqrt", [node("Sqrt", ["a"])], [("a", pos)], np.sqrt)
check("exp", [node("Exp", ["a"])], [("a", x)], np.exp)
check("erf", [node("Erf", ["a"])], [("a", x)], np.vectorize(math.erf))
check("neg", [node("Neg", ["a"])], [("a", x)], np.negative)
check("abs", [node("Abs", ["a"])], [("a", x)], np.abs)
check("reciprocal", [node("Reciprocal", ["a"])], [("a", pos2)],
      lambda a: 1 / a)

# uint8 image: Cast -> Sub mean -> Div std.
MEAN = np.array([0.485, 0.456, 0.406], np.float32).reshape(1, 3, 1, 1) * 255
STD = np.array([0.229, 0.224, 0.225], np.float32).reshape(1, 3, 1, 1) * 255
image = rng.integers(0, 256, SHAPE).astype(np.uint8)
normalise = [node("Cast", ["img"], "cast", "f", to=TensorProto.FLOAT),
             node("Sub", ["f", "mean"], "sub", "c"),
             node("Div", ["c", "std"], "div")]
check("uint8_normalise", normalise, [("img", image)],
      lambda a: (a - MEAN.astype(np.float64)) / STD.astype(np.float64),
      [("mean", MEAN), ("std", STD)])
check("int8_cast", [node("Cast", ["img"], "cast", to=TensorProto.FLOAT)],
      [("img", rng.integers(-128, 128, SHAPE).astype(np.int8))], lambda a: a)

# ---------------------------------------------------------------------------
# End to end: uint8 image -> Cast -> Sub -> Div -> Conv -> Relu.
# ---------------------------------------------------------------------------
W = rng.uniform(-0.5, 0.5, (4, 3, 3, 3)).astype(np.float32)
B = rng.uniform(-0.2, 0.2, 4).astype(np.float32)
e2e_nodes = normalise[:2] + [
    node("Div", ["c", "std"], "div", "n"),
    node("Conv", ["n", "w", "b"], "conv", "v", pads=[1, 1, 1, 1]),
    node("Relu", ["v"], "relu")]
save("e2e", e2e_nodes, [("img", np.zeros((1, 3, 8, 8), np.uint8))],
     [("mean", MEAN), ("std", STD), ("w", W), ("b", B)])


def conv_relu(img):
    n = (img.astype(np.float64) - MEAN) / STD
    p = np.pad(n, ((0, 0), (0, 0), (1, 1), (1, 1)))
    out = np.zeros((img.shape[0], 4, 8, 8))
    for i in range(3):
        for j in range(3):
            out += np.einsum("nchw,oc->nohw", p[:, :, i:i + 8, j:j + 8],
                             W[:, :, i, j].astype(np.float64))
    return np.maximum(out + B.reshape(1, 4, 1, 1), 0)


e2e = os.path.join(WORK, "e2e.mlir")
tool("quant-translate", "--import-onnx", os.path.join(WORK, "e2e.onnx"),
     "-o", e2e)
images = rng.integers(0, 256, (16, 3, 8, 8)).astype(np.uint8)
calib = rng.integers(0, 256, (16, 3, 8, 8)).astype(np.uint8)
np.save(os.path.join(WORK, "images.npy"), images)
np.save(os.path.join(WORK, "calib.npy"), calib)
ref = conv_relu(images)
out = os.path.join(WORK, "e2e.out.npy")
tool("quant-run", e2e, "--input", os.path.join(WORK, "images.npy"),
     "--output", out)
got = np.load(out)
print(f"e2e float: max |diff| {float(np.abs(got - ref).max()):.3g} relative "
      f"to max |ref| {float(np.abs(ref).max()):.3g}")
results = {}
for emit in ("qdq", "int8"):
    path = os.path.join(WORK, f"e2e.{emit}.mlir")
    tool("quant-opt", "--fold-bn",
         f"--quantize-int8=calibration={WORK}/calib.npy emit={emit}", e2e,
         "-o", path)
    out = os.path.join(WORK, f"e2e.{emit}.out.npy")
    tool("quant-run", path, "--input", os.path.join(WORK, "images.npy"),
         "--output", out)
    results[emit] = np.load(out)
text = open(os.path.join(WORK, "e2e.int8.mlir")).read()
ops = {}
for op in re.findall(r"= (qops\.[a-z_0-9]+)", text):
    ops[op] = ops.get(op, 0) + 1
floats = [line for line in text.splitlines()
          if re.search(r"= qops\.(sub|mul|div|conv2d) .*xf32>( loc.*)?$", line)]
print("e2e int8: ops " + ", ".join(f"{k} x{v}" for k, v in sorted(ops.items()))
      + f", float ops between dequantize and quantize: {len(floats)}")
equal = int((results["int8"] == results["qdq"]).sum())
noise = results["int8"].astype(np.float64) - ref
sqnr = 10 * np.log10((ref ** 2).sum() / (noise ** 2).sum())
print(f"e2e int8: {equal}/{ref.size} equal to the simulation, SQNR "
      f"{sqnr:.1f} dB against float")

# ---------------------------------------------------------------------------
# Models the importer refuses.
# ---------------------------------------------------------------------------
qdq = [("s", np.float32(0.1)), ("zp", np.uint8(128))]
save("bad_sub_integer", [node("QuantizeLinear", ["a", "s", "zp"], "q", "q"),
                         node("Sub", ["q", "q"], "sub")], [("a", x)], qdq)
save("bad_neg_integer", [node("QuantizeLinear", ["a", "s", "zp"], "q", "q"),
                         node("Neg", ["q"], "neg")], [("a", x)], qdq)
save("bad_uint8_relu", [node("Relu", ["img"], "relu")], [("img", image)])
save("bad_uint8_cast_int", [node("Cast", ["img"], "cast", to=TensorProto.INT32)],
     [("img", image)])
save("bad_sub_arity", [node("Sub", ["a", "a", "a"], "sub")], [("a", x)])
save("bad_max_broadcast", [node("Max", ["a", "b"], "max")],
     [("a", x), ("b", uniform(-1, 1, [2]))])
