#!/usr/bin/env python3
"""HardSigmoid and the activations torch.onnx.export spells out, against numpy.

Usage: activations.py BIN_DIR WORK_DIR

Builds small ONNX models with onnx.helper (NCHW images, seeded data):
HardSigmoid with its default and explicit alpha / beta (opsets 6, 13, 21),
Mul(x, HardSigmoid(x)) with PyTorch's alpha 1/6 and beta 0.5 (how
torch.onnx.export writes nn.Hardswish at opset 13), Mul(x, Sigmoid(x)) (how it
writes nn.SiLU), each in both operand orders, and the forms the importer must
leave alone: a gate with another user, a Mul of a different tensor, a
HardSigmoid with other parameters. Each model is imported with
quant-translate (WORK_DIR/<name>.mlir, which the lit test FileChecks), run
with quant-run and compared with numpy's evaluation of the ONNX graph in
float64. Prints one line per output:
    "<name> <output>: shape [..], max |diff| <d>"
The silu form is also quantized (u8 activations): its int8 program is
WORK_DIR/silu.int8.mlir. A HardSigmoid with a non-finite beta is written as
WORK_DIR/bad_hardsigmoid.onnx for the importer to refuse.
"""
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

BIN, WORK = sys.argv[1], sys.argv[2]
os.makedirs(WORK, exist_ok=True)
rng = np.random.default_rng(16)
SHAPE = (1, 3, 4, 5)
SIXTH = np.float32(1.0 / 6.0)


def tool(name, *args):
    proc = subprocess.run([os.path.join(BIN, name), *args],
                          stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.exit(f"{name} {' '.join(args)} failed:\n{proc.stderr}")


def model(name, nodes, outputs, opset, shape=SHAPE):
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(shape))],
        [helper.make_tensor_value_info(o, TensorProto.FLOAT, list(shape))
         for o in outputs])
    m = helper.make_model(graph,
                          opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 8
    if opset <= onnx.defs.onnx_opset_version():  # Debian's onnx knows 17
        onnx.checker.check_model(m)
    path = os.path.join(WORK, name + ".onnx")
    onnx.save(m, path)
    return path


def case(name, nodes, outputs, opset=13, shape=SHAPE):
    """Imports and runs the graph; `outputs` maps names to numpy references
    (functions of x in float64)."""
    path = os.path.join(WORK, name)
    model(name, nodes, list(outputs), opset, shape)
    tool("quant-translate", "--import-onnx", path + ".onnx", "-o",
         path + ".mlir")
    x = (rng.standard_normal(shape) * 4).astype(np.float32)
    np.save(path + ".x.npy", x)
    run = ["--input", path + ".x.npy"]
    for o in outputs:
        run += ["--output", f"{path}.{o}.npy"]
    tool("quant-run", path + ".mlir", *run)
    for o, ref in outputs.items():
        got = np.load(f"{path}.{o}.npy")
        want = ref(x.astype(np.float64))
        diff = (np.abs(got - want).max() if got.shape == want.shape
                else float("inf"))
        print(f"{name} {o}: shape {list(got.shape)}, max |diff| {diff:.3g}")


def hsig(x, alpha=0.2, beta=0.5):
    return np.clip(alpha * x + beta, 0, 1)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def node(op, inputs, output, **attrs):
    return helper.make_node(op, inputs, [output], name=output, **attrs)


# HardSigmoid itself: ONNX's defaults (alpha 0.2, beta 0.5) at opset 6, and
# explicit parameters at opsets 13 and 21.
case("hardsigmoid_default", [node("HardSigmoid", ["x"], "y")],
     {"y": hsig}, opset=6)
case("hardsigmoid_13", [node("HardSigmoid", ["x"], "y", alpha=0.3, beta=0.4)],
     {"y": lambda x: hsig(x, 0.3, 0.4)})
case("hardsigmoid_21",
     [node("HardSigmoid", ["x"], "y", alpha=-0.25, beta=0.75)],
     {"y": lambda x: hsig(x, -0.25, 0.75)}, opset=21)

# The exporter's spelled-out activations, both operand orders.
hswish = lambda x: x * np.clip(x + 3, 0, 6) / 6
gate_hs = node("HardSigmoid", ["x"], "g", alpha=float(SIXTH), beta=0.5)
case("hardswish", [gate_hs, node("Mul", ["x", "g"], "y")], {"y": hswish})
case("hardswish_swapped", [gate_hs, node("Mul", ["g", "x"], "y")],
     {"y": hswish})
gate_s = node("Sigmoid", ["x"], "g")
case("silu", [gate_s, node("Mul", ["x", "g"], "y")],
     {"y": lambda x: x * sigmoid(x)})
case("silu_swapped", [gate_s, node("Mul", ["g", "x"], "y")],
     {"y": lambda x: x * sigmoid(x)})

# A rank-3 tensor (not an image, so no layout change): the Mul is the
# graph's result itself.
case("hardswish_rank3", [gate_hs, node("Mul", ["x", "g"], "y")],
     {"y": hswish}, shape=(3, 4, 5))
case("silu_rank3", [gate_s, node("Mul", ["g", "x"], "y")],
     {"y": lambda x: x * sigmoid(x)}, shape=(3, 4, 5))

# Left alone: the gate has another user (an Add, or it is a graph output),
# the Mul multiplies a different tensor, HardSigmoid has ONNX's defaults
# (not hardswish's 1/6 and 0.5).
case("silu_gate_used_twice",
     [gate_s, node("Mul", ["x", "g"], "y"), node("Add", ["g", "x"], "z")],
     {"y": lambda x: x * sigmoid(x), "z": lambda x: sigmoid(x) + x})
case("hardswish_gate_is_output", [gate_hs, node("Mul", ["x", "g"], "y")],
     {"y": hswish, "g": lambda x: hsig(x, float(SIXTH), 0.5)})
case("silu_other_input",
     [node("Relu", ["x"], "r"), gate_s, node("Mul", ["r", "g"], "y")],
     {"y": lambda x: np.maximum(x, 0) * sigmoid(x)})
case("hardsigmoid_other_params",
     [node("HardSigmoid", ["x"], "g"), node("Mul", ["x", "g"], "y")],
     {"y": lambda x: x * hsig(x)})

# int8 SiLU is one table (calibration drawn like the input).
path = os.path.join(WORK, "silu")
np.save(path + ".cal.npy",
        (rng.standard_normal((8,) + SHAPE[1:]) * 4).astype(np.float32))
tool("quant-opt", f"--quantize-int8=calibration={path}.cal.npy",
     path + ".mlir", "-o", path + ".int8.mlir")

# A non-finite parameter.
model("bad_hardsigmoid",
      [node("HardSigmoid", ["x"], "y", alpha=0.2, beta=float("inf"))], ["y"],
      opset=13)
