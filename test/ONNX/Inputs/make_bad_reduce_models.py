#!/usr/bin/env python3
"""Writes small ONNX models that the reduction converter (ReduceMean,
ReduceSum, ReduceMax, ReduceMin) must reject with a located diagnostic:
usage make_bad_reduce_models.py OUT_DIR. Each model is named after the
error it provokes; reduce-ops-errors.test asserts each message."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = sys.argv[1]
os.makedirs(OUT, exist_ok=True)


def save(name, op, inputs, constants=(), opset=13, x_shape=(1, 2, 4, 4),
         **attrs):
    graph = helper.make_graph(
        [helper.make_node(op, list(inputs), ["y"], name="reduce", **attrs)],
        name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(x_shape))],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
        [numpy_helper.from_array(np.asarray(v), k) for k, v in constants])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    onnx.save(model, os.path.join(OUT, name + ".onnx"))


i64 = lambda *v: np.array(v, np.int64)

save("reduce_axis_range", "ReduceSum", ["x", "a"], [("a", i64(4))])
save("reduce_axis_twice", "ReduceMean", ["x"], axes=[1, -3])
save("reduce_runtime_axes", "ReduceSum", ["x", "x"])
save("reduce_float_axes", "ReduceSum", ["x", "a"],
     [("a", np.array([1.0], np.float32))])
save("reduce_axes_attribute_18", "ReduceMax", ["x"], opset=18, axes=[1])
save("reduce_axes_input_11", "ReduceSum", ["x", "a"], [("a", i64(1))],
     opset=11)
save("reduce_scalar", "ReduceMin", ["x"], x_shape=())
