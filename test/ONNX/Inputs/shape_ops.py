#!/usr/bin/env python3
"""Shape ops and the shape sub-graphs exporters emit, against numpy.

Usage: shape_ops.py BIN_DIR WORK_DIR

Builds small ONNX models with onnx.helper (seeded data): Identity, Dropout,
Squeeze / Unsqueeze (axes as attribute at opset 11, as input at 13), Slice
and Split on run-time tensors (NCHW images, stored NHWC inside, and 2-D
tensors; Split by attribute, by input and by num_outputs), and the
torch.onnx.export chains that fold at import (Shape / Gather / Unsqueeze /
Concat into a Reshape target; Cast, ConstantOfShape, Range, Expand, Slice,
Sub, Div, Mul on constants; Split, Slice with a negative step, Squeeze and
Unsqueeze of constants). Each model is imported with quant-translate
(WORK_DIR/<name>.mlir, which the lit test also FileChecks), run with
quant-run, and compared with numpy's evaluation of the same graph (the ONNX
operator definitions). Prints one line per output:
    "<name> <output>: shape [..], max |diff| <d>"
and, for the cases also quantized (--quantize-int8 with a calibration set
drawn like the input), one line per sliced output of the int8 program,
compared with numpy's slice of the int8 program's own unsliced tensor (also
an output): a scale-preserving slice copies the integers, so they are equal.
"""
import os
import re
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

BIN, WORK = sys.argv[1], sys.argv[2]
os.makedirs(WORK, exist_ok=True)
rng = np.random.default_rng(16)
I64_MAX = np.iinfo(np.int64).max


def i64(*values):
    return np.array(values, np.int64)


def tool(name, *args):
    proc = subprocess.run([os.path.join(BIN, name), *args],
                          stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.exit(f"{name} {' '.join(args)} failed:\n{proc.stderr}")


def case(name, nodes, x, outputs, initializers=(), opset=13, int8=None):
    """Imports and runs the graph on input x; `outputs` is a list of
    (name, numpy reference). With `int8` (the int8 outputs -> the expected
    values of some of them), the model is also quantized and run."""
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(x.shape))],
        [helper.make_tensor_value_info(o, TensorProto.FLOAT, list(ref.shape))
         for o, ref in outputs],
        [numpy_helper.from_array(v, k) for k, v in initializers])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    if opset <= onnx.defs.onnx_opset_version():  # Debian's onnx knows 17
        onnx.checker.check_model(model)
    path = os.path.join(WORK, name)
    onnx.save(model, path + ".onnx")
    tool("quant-translate", "--import-onnx", path + ".onnx", "-o", path + ".mlir")
    np.save(path + ".x.npy", x)
    run = ["--input", path + ".x.npy"]
    for o, _ in outputs:
        run += ["--output", f"{path}.{o}.npy"]
    tool("quant-run", path + ".mlir", *run)
    for o, ref in outputs:
        got = np.load(f"{path}.{o}.npy")
        diff = np.abs(got - ref).max() if got.shape == ref.shape else float("inf")
        print(f"{name} {o}: shape {list(got.shape)}, max |diff| {diff:.3g}")
    if int8 is None:
        return
    calibration = rng.standard_normal((8,) + x.shape[1:]).astype(np.float32)
    np.save(path + ".cal.npy", calibration)
    tool("quant-opt", f"--quantize-int8=calibration={path}.cal.npy",
         path + ".mlir", "-o", path + ".int8.mlir")
    run = ["--input", path + ".x.npy"]
    for o, _ in outputs:
        run += ["--output", f"{path}.{o}.int8.npy"]
    tool("quant-run", path + ".int8.mlir", *run)
    got = {o: np.load(f"{path}.{o}.int8.npy") for o, _ in outputs}
    slices = open(path + ".int8.mlir").read().count("qops.slice ")
    for o, expected in int8(got).items():
        same = got[o].shape == expected.shape and np.array_equal(got[o], expected)
        print(f"{name} int8 {o}: {slices} integer slices, "
              f"{'equal to' if same else 'DIFFERENT from'} the slice of the "
              "int8 program's own tensor")


x4 = rng.standard_normal((1, 6, 4, 5)).astype(np.float32)
relu = np.maximum(x4, 0)

# x.view(x.size(0), -1) as torch.onnx.export writes it (opset 13 and 11).
flatten_nodes = lambda unsqueeze: [
    helper.make_node("Relu", ["x"], ["r"], name="relu"),
    helper.make_node("Shape", ["r"], ["s"], name="shape"),
    helper.make_node("Gather", ["s", "zero"], ["n"], name="gather", axis=0),
    unsqueeze,
    helper.make_node("Concat", ["n1", "minus1"], ["target"], name="cat", axis=0),
    helper.make_node("Reshape", ["r", "target"], ["y"], name="view")]
case("flatten_chain_13", flatten_nodes(
        helper.make_node("Unsqueeze", ["n", "axes0"], ["n1"], name="unsqueeze")),
     x4, [("y", relu.reshape(1, -1))],
     [("zero", np.array(0, np.int64)), ("axes0", i64(0)), ("minus1", i64(-1))])
case("flatten_chain_11", flatten_nodes(
        helper.make_node("Unsqueeze", ["n"], ["n1"], name="unsqueeze", axes=[0])),
     x4, [("y", relu.reshape(1, -1))],
     [("zero", np.array(0, np.int64)), ("minus1", i64(-1))], opset=11)

# Shape arithmetic: [N, C, H * W] from Shape, Slice, Mul, Div, Sub, Concat;
# a bias from Range -> Cast -> Expand, a scale from ConstantOfShape.
x3 = rng.standard_normal((2, 6, 4, 4)).astype(np.float32)
case("shape_arithmetic", [
    helper.make_node("Shape", ["x"], ["s"], name="shape"),
    helper.make_node("Slice", ["s", "st0", "en2"], ["nc"], name="head"),
    helper.make_node("Slice", ["s", "stm2", "big"], ["hw"], name="tail"),
    helper.make_node("Gather", ["hw", "zero"], ["h"], name="h"),
    helper.make_node("Gather", ["hw", "minus1"], ["w"], name="w"),
    helper.make_node("Mul", ["h", "w"], ["hw1"], name="mul"),
    helper.make_node("Div", ["hw1", "two"], ["half"], name="div"),
    helper.make_node("Sub", ["hw1", "half"], ["rest"], name="sub"),
    helper.make_node("Add", ["half", "rest"], ["area"], name="add"),
    helper.make_node("Unsqueeze", ["area", "axes0"], ["area1"], name="unsq"),
    helper.make_node("Concat", ["nc", "area1"], ["target"], name="cat", axis=0),
    helper.make_node("Reshape", ["x", "target"], ["flat"], name="view"),
    helper.make_node("Range", ["r0", "r16", "r1"], ["ramp"], name="range"),
    helper.make_node("Cast", ["ramp"], ["rampf"], name="cast", to=TensorProto.FLOAT),
    helper.make_node("Expand", ["rampf", "shape3"], ["bias"], name="expand"),
    helper.make_node("Add", ["flat", "bias"], ["biased"], name="add_bias"),
    helper.make_node("ConstantOfShape", ["shape3"], ["halves"], name="fill",
                     value=numpy_helper.from_array(np.array([0.5], np.float32))),
    helper.make_node("Mul", ["biased", "halves"], ["y"], name="scale")],
    x3, [("y", (x3.reshape(2, 6, 16) + np.arange(16, dtype=np.float32)) * 0.5)],
    [("st0", i64(0)), ("en2", i64(2)), ("stm2", i64(-2)), ("big", i64(I64_MAX)),
     ("zero", np.array(0, np.int64)), ("minus1", np.array(-1, np.int64)),
     ("two", np.array(2, np.int64)), ("axes0", i64(0)),
     ("r0", np.array(0, np.int64)), ("r16", np.array(16, np.int64)),
     ("r1", np.array(1, np.int64)), ("shape3", i64(1, 6, 16))])

# Squeeze-excitation block: GlobalAveragePool -> Squeeze -> Unsqueeze -> Mul.
se = x4.mean(axis=(2, 3), keepdims=True)
case("squeeze_excite_13", [
    helper.make_node("GlobalAveragePool", ["x"], ["g"], name="gap"),
    helper.make_node("Squeeze", ["g", "axes23"], ["v"], name="squeeze"),
    helper.make_node("Unsqueeze", ["v", "axesm1"], ["u"], name="unsqueeze"),
    helper.make_node("Unsqueeze", ["u", "axesm1"], ["u2"], name="unsqueeze2"),
    helper.make_node("Mul", ["x", "u2"], ["y"], name="gate"),
    helper.make_node("Identity", ["v"], ["vec"], name="identity")],
    x4, [("y", x4 * se), ("vec", se.reshape(1, 6))],
    [("axes23", i64(2, 3)), ("axesm1", i64(-1))])
case("squeeze_excite_11", [
    helper.make_node("GlobalAveragePool", ["x"], ["g"], name="gap"),
    helper.make_node("Squeeze", ["g"], ["v"], name="squeeze", axes=[-1, -2]),
    helper.make_node("Unsqueeze", ["v"], ["u"], name="unsqueeze", axes=[2, 3]),
    helper.make_node("Mul", ["x", "u"], ["y"], name="gate")],
    x4, [("y", x4 * se)], opset=11)
# Squeeze without axes drops every 1; Unsqueeze of a constant folds.
case("squeeze_all", [
    helper.make_node("GlobalAveragePool", ["x"], ["g"], name="gap"),
    helper.make_node("Squeeze", ["g"], ["v"], name="squeeze"),
    helper.make_node("Unsqueeze", ["c", "axes0"], ["c1"], name="unsqueeze_const"),
    helper.make_node("Add", ["v", "c1"], ["y"], name="add")],
    x3, [("y", x3.mean(axis=(2, 3)) + np.arange(6, dtype=np.float32))],
    [("axes0", i64(0)), ("c", np.arange(6, dtype=np.float32).reshape(6))])

# Identity of an initializer (the exporter's shared zero bias) and Dropout
# in inference (opset 12 ratio and training_mode inputs; opset 11 attribute).
w = rng.standard_normal((6, 6, 1, 1)).astype(np.float32)
conv = np.einsum("oi,nihw->nohw", w[:, :, 0, 0], x4)
case("identity_dropout_13", [
    helper.make_node("Identity", ["zeros"], ["b"], name="bias_identity"),
    helper.make_node("Conv", ["x", "w", "b"], ["c"], name="conv"),
    helper.make_node("Dropout", ["c", "ratio", "training"], ["y"], name="dropout")],
    x4, [("y", conv)],
    [("zeros", np.zeros(6, np.float32)), ("w", w),
     ("ratio", np.array(0.5, np.float32)), ("training", np.array(False))])
case("identity_dropout_11", [
    helper.make_node("Dropout", ["x"], ["d"], name="dropout", ratio=0.3),
    helper.make_node("Identity", ["d"], ["y"], name="identity")],
    x4, [("y", x4)], opset=11)

# Slice of an image (stored NHWC): negative, clamped and stepped indices,
# negative axes; a slice of a 2-D tensor; int8 slices of the integers.
case("slice_image", [
    helper.make_node("Relu", ["x"], ["r"], name="relu"),
    helper.make_node("Slice", ["r", "starts", "ends", "axes", "steps"], ["y"],
                     name="slice")],
    x4, [("y", relu[:, 1:5:2, -3:, ::2]), ("r", relu)],
    [("starts", i64(1, -3, 0)), ("ends", i64(-1, I64_MAX, 99)),
     ("axes", i64(1, -2, 3)), ("steps", i64(2, 1, 2))],
    int8=lambda o: {"y": o["r"][:, 1:5:2, -3:, ::2]})
x2 = rng.standard_normal((3, 10)).astype(np.float32)
case("slice_2d_opset_9", [
    helper.make_node("Slice", ["x"], ["y"], name="slice", starts=[1, -7],
                     ends=[3, 1000], axes=[0, 1])],
    x2, [("y", x2[1:3, -7:])], opset=9)

# Split (chunk): opset 11 attribute, opset 13 input, opset 18 num_outputs
# (the last part smaller), equal parts; of an image along its channels.
case("split_11", [
    helper.make_node("Relu", ["x"], ["r"], name="relu"),
    helper.make_node("Split", ["r"], ["a", "b"], name="split", axis=1,
                     split=[2, 4])],
    x4, [("a", relu[:, :2]), ("b", relu[:, 2:]), ("r", relu)], opset=11,
    int8=lambda o: {"a": o["r"][:, :2], "b": o["r"][:, 2:]})
case("split_13", [
    helper.make_node("Split", ["x", "parts"], ["a", "b", "c"], name="split",
                     axis=-1)],
    x4, [("a", x4[..., :1]), ("b", x4[..., 1:3]), ("c", x4[..., 3:])],
    [("parts", i64(1, 2, 2))])
case("split_18", [
    helper.make_node("Split", ["x"], ["a", "b", "c"], name="split", axis=1,
                     num_outputs=3)],
    x2[:1], [("a", x2[:1, :4]), ("b", x2[:1, 4:8]), ("c", x2[:1, 8:])], opset=18)
case("split_equal", [
    helper.make_node("Split", ["x"], ["a", "b", "c"], name="split", axis=1)],
    x4, [("a", x4[:, :2]), ("b", x4[:, 2:4]), ("c", x4[:, 4:])])

# Constants fold through Split, Slice with a negative step, Squeeze and
# Unsqueeze: only the final sum is a run-time op.
c = np.arange(12, dtype=np.float32).reshape(2, 6)
xs = rng.standard_normal((1, 2, 2)).astype(np.float32)
case("constant_split_slice", [
    helper.make_node("Split", ["c"], ["ca", "cb"], name="split", axis=1, split=[2, 4]),
    helper.make_node("Slice", ["cb", "st", "en", "ax", "sp"], ["cr"], name="reverse"),
    helper.make_node("Unsqueeze", ["cr"], ["cu"], name="unsqueeze", axes=[0]),
    helper.make_node("Squeeze", ["cu"], ["cs"], name="squeeze", axes=[0]),
    helper.make_node("Add", ["ca", "cs"], ["sum"], name="fold_add"),
    helper.make_node("Add", ["x", "sum"], ["y"], name="add")],
    xs, [("y", xs + c[:, :2] + c[:, 2:][:, ::-2])],
    [("c", c), ("st", i64(-1)), ("en", i64(-100)), ("ax", i64(1)), ("sp", i64(-2))],
    opset=11)
