#!/usr/bin/env python3
"""ONNX reductions against numpy, float and int8.

Usage: reduce_ops.py BIN_DIR WORK_DIR

Builds small ONNX models with onnx.helper (seeded data): ReduceMean,
ReduceSum, ReduceMax and ReduceMin with axes as an attribute (opsets 11
and 13) or as input #1 (ReduceSum from 13, the others from 18), negative
axes, keepdims 0 and 1, no axes (every axis), noop_with_empty_axes, on 2-D,
3-D and 4-D tensors (a 4-D activation is stored NHWC inside). Each model is
imported with quant-translate (WORK_DIR/<name>.mlir, which the lit test
also FileChecks), run with quant-run and compared with numpy; prints
    "<name>: shape [..], max rel diff <d>"
(the largest |got - numpy| / max(|numpy|, 1e-6) over the output). The int8
cases are then quantized (--quantize-int8 with a calibration set drawn
like the input, requant=float and requant=fixed-point) to the integer
program and to the QDQ simulation (emit=qdq), both run on 16 samples; they
must agree on every value with requant=float and within one quantum with
requant=fixed-point (which rounds twice, as for the poolings):
    "<name> int8 <requant>: <k>/<n> equal to the simulation, max <q> quanta,
     <i> float islands"
where <i> counts the ops left in float between dequantize and quantize
(remarks of --convert-to-integer).
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
rng = np.random.default_rng(18)


def tool(name, *args):
    proc = subprocess.run([os.path.join(BIN, name), *args],
                          stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.exit(f"{name} {' '.join(args)} failed:\n{proc.stderr}")
    return proc.stderr


def case(name, op, x, ref, opset=13, axes=None, axes_input=False,
         int8=False, **attrs):
    """Relu(x) -> op -> y; `axes` as an attribute or as input #1."""
    inputs, inits = ["r"], []
    if axes is not None and axes_input:
        inputs.append("axes")
        inits.append(numpy_helper.from_array(np.array(axes, np.int64), "axes"))
    elif axes is not None:
        attrs["axes"] = axes
    nodes = [helper.make_node("Relu", ["x"], ["r"], name="relu"),
             helper.make_node(op, inputs, ["y"], name="reduce", **attrs)]
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(x.shape))],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, list(ref.shape))],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    if opset <= onnx.defs.onnx_opset_version():  # Debian's onnx knows 17
        onnx.checker.check_model(model)
    path = os.path.join(WORK, name)
    onnx.save(model, path + ".onnx")
    tool("quant-translate", "--import-onnx", path + ".onnx", "-o", path + ".mlir")
    np.save(path + ".x.npy", x)
    tool("quant-run", path + ".mlir", "--input", path + ".x.npy",
         "--output", path + ".y.npy")
    got = np.load(path + ".y.npy")
    if got.shape == ref.shape:
        rel = (np.abs(got - ref) / np.maximum(np.abs(ref), 1e-6)).max()
    else:
        rel = float("inf")
    print(f"{name}: shape {list(got.shape)}, max rel diff "
          f"{'below 1e-5' if rel < 1e-5 else f'{rel:.3g}'}")
    if not int8:
        return
    calibration = rng.standard_normal((8,) + x.shape[1:]).astype(np.float32)
    samples = rng.standard_normal((16,) + x.shape[1:]).astype(np.float32)
    np.save(path + ".cal.npy", calibration)
    np.save(path + ".xs.npy", samples)
    for requant in ("float", "fixed-point"):
        options = f"calibration={path}.cal.npy requant={requant}"
        remarks = tool("quant-opt", f"--quantize-int8={options}",
                       path + ".mlir", "-o", f"{path}.{requant}.int8.mlir")
        tool("quant-opt", f"--quantize-int8={options} emit=qdq",
             path + ".mlir", "-o", f"{path}.{requant}.qdq.mlir")
        for form in ("int8", "qdq"):
            tool("quant-run", f"{path}.{requant}.{form}.mlir", "--input",
                 path + ".xs.npy", "--output", f"{path}.y.{requant}.{form}.npy")
        a, b = (np.load(f"{path}.y.{requant}.{form}.npy")
                for form in ("int8", "qdq"))
        equal = int((a == b).sum()) if a.shape == b.shape else 0
        islands = remarks.count("stays in float")
        # The output's scale: the last dequantize's input type.
        program = open(f"{path}.{requant}.int8.mlir").read()
        scale = float(re.findall(r"qops.dequantize .*f32, ([0-9.e+-]+)",
                                 program)[-1])
        quanta = np.abs(a - b).max() / scale if a.shape == b.shape else np.inf
        print(f"{name} int8 {requant}: {equal}/{b.size} equal to the "
              f"simulation, max {quanta:.0f} quanta, {islands} float islands")

r = lambda x: np.maximum(x, 0)
# Batch 1 where the model is also quantized (calibration runs a [1, ...]
# function on each sample).
x4 = rng.standard_normal((1, 6, 5, 4)).astype(np.float32)
x3 = rng.standard_normal((2, 7, 5)).astype(np.float32)
x2 = rng.standard_normal((3, 9)).astype(np.float32)
y3 = rng.standard_normal((1, 7, 5)).astype(np.float32)
y2 = rng.standard_normal((1, 24)).astype(np.float32)

# torch's x.mean([2, 3]) (keepdim True and False): a global average pool.
case("mean_spatial", "ReduceMean", x4, r(x4).mean((2, 3), keepdims=True),
     axes=[2, 3], int8=True)
case("mean_spatial_flat", "ReduceMean", x4, r(x4).mean((2, 3)),
     axes=[-1, -2], keepdims=0, int8=True)
# Over the channels (stored dimension 3) and over H alone.
case("mean_channels_18", "ReduceMean", x4, r(x4).mean(1, keepdims=True),
     opset=18, axes=[1], axes_input=True, int8=True)
case("mean_h_flat_11", "ReduceMean", x4, r(x4).mean(2), opset=11, axes=[2],
     keepdims=0, int8=True)
case("mean_3d", "ReduceMean", y3, r(y3).mean((0, 2), keepdims=True),
     axes=[0, -1], int8=True)
case("mean_3d_float", "ReduceMean", x3, r(x3).mean((0, 2)), axes=[0, -1],
     keepdims=0)
case("mean_all_2d", "ReduceMean", y2, r(y2).mean(keepdims=True), int8=True)
# ReduceSum: axes an attribute at opset 11, an input from 13.
case("sum_w_flat_13", "ReduceSum", x4, r(x4).sum(-1), axes=[-1],
     axes_input=True, keepdims=0, int8=True)
case("sum_3d_11", "ReduceSum", x3, r(x3).sum(1, keepdims=True), opset=11,
     axes=[1])
case("sum_all_13", "ReduceSum", x2, r(x2).sum(keepdims=True))
case("sum_noop_13", "ReduceSum", x2, r(x2), axes=[], axes_input=True,
     noop_with_empty_axes=1)
# ReduceMax / ReduceMin: attribute at 13, input at 18.
case("max_spatial_13", "ReduceMax", x4, r(x4).max((2, 3), keepdims=True),
     axes=[2, 3], int8=True)
case("max_c_flat_18", "ReduceMax", x4, r(x4).max(1), opset=18, axes=[-3],
     axes_input=True, keepdims=0, int8=True)
case("max_2d_11", "ReduceMax", x2, r(x2).max(1, keepdims=True), opset=11,
     axes=[1])
case("min_hw_flat_13", "ReduceMin", x4 + 1, r(x4 + 1).min((1, 2)),
     axes=[1, 2], keepdims=0, int8=True)
case("min_3d_18", "ReduceMin", x3, r(x3).min(0), opset=18, axes=[0],
     axes_input=True, keepdims=0)
case("min_all_18", "ReduceMin", x3, r(x3).min(keepdims=True), opset=18)
case("min_noop_18", "ReduceMin", x3, r(x3), opset=18, noop_with_empty_axes=1)
