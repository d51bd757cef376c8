#!/usr/bin/env python3
"""Writes small ONNX models that the importer must reject with a located
diagnostic: usage make_bad_models.py OUT_DIR."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = sys.argv[1]
os.makedirs(OUT, exist_ok=True)


def save(name, nodes, inputs, outputs, initializers=(), opset=13):
    graph = helper.make_graph(nodes, name, inputs, outputs, list(initializers))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    onnx.save(model, os.path.join(OUT, name + ".onnx"))
    return model


def image(name, shape=(1, 2, 4, 4), dtype=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, dtype, list(shape))


w = numpy_helper.from_array(np.ones((2, 2, 3, 3), np.float32), "w")
conv = lambda **kw: helper.make_node("Conv", ["x", "w"], ["y"], name="conv", pads=[1, 1, 1, 1], **kw)

# An op outside the supported set.
save("unsupported_op", [helper.make_node("Exp", ["x"], ["y"], name="exp")],
     [image("x")], [image("y")])
# An unsupported attribute value.
save("bad_auto_pad", [conv(auto_pad="WRONG")], [image("x")], [image("y")], [w])
# A weight that is a graph input, not an initializer.
save("runtime_weight", [conv()], [image("x"), image("w", (2, 2, 3, 3))],
     [image("y")])
# A dynamic dimension other than the batch.
save("dynamic_height", [conv()], [image("x", (1, 2, "h", 4))], [image("y")], [w])
# An input nothing defines.
save("undefined_input", [helper.make_node("Relu", ["missing"], ["y"], name="relu")],
     [image("x")], [image("y")])
# Two nodes writing the same tensor (a duplicate name or a cycle).
save("duplicate_output", [helper.make_node("Relu", ["x"], ["y"], name="relu_a"),
                          helper.make_node("Relu", ["x"], ["y"], name="relu_b")],
     [image("x")], [image("y")])
# A cycle: a node reads its own output.
save("cycle", [helper.make_node("Add", ["x", "y"], ["y"], name="loop")],
     [image("x")], [image("y")])
# A data type the importer does not handle.
save("float16_input", [helper.make_node("Relu", ["x"], ["y"], name="relu")],
     [image("x", dtype=TensorProto.FLOAT16)], [image("y", dtype=TensorProto.FLOAT16)])
# Weights in an external file that does not exist.
ext = numpy_helper.from_array(np.ones((2, 2, 3, 3), np.float32), "w")
ext.ClearField("raw_data")
ext.data_location = TensorProto.EXTERNAL
ext.external_data.add(key="location", value="missing_weights.bin")
save("missing_external_data", [conv()], [image("x")], [image("y")], [ext])
# A non-finite weight.
nan = numpy_helper.from_array(np.full((2, 2, 3, 3), np.nan, np.float32), "w")
save("nan_weight", [conv()], [image("x")], [image("y")], [nan])
# An opset outside 11..21.
save("old_opset", [helper.make_node("Relu", ["x"], ["y"], name="relu")],
     [image("x")], [image("y")], opset=5)
# A 3-D convolution.
w3 = numpy_helper.from_array(np.ones((2, 2, 3, 3, 3), np.float32), "w")
save("conv3d", [helper.make_node("Conv", ["x", "w"], ["y"], name="conv3d")],
     [image("x", (1, 2, 4, 4, 4))], [image("y", (1, 2, 2, 2, 2))], [w3])
# Truncated and garbage files.
good = save("good", [helper.make_node("Relu", ["x"], ["y"], name="relu")],
            [image("x")], [image("y")])
data = good.SerializeToString()
with open(os.path.join(OUT, "truncated.onnx"), "wb") as f:
    f.write(data[: len(data) // 2])
with open(os.path.join(OUT, "garbage.onnx"), "wb") as f:
    f.write(b"\xff\xfe not a protobuf at all \x00\x01" * 8)
