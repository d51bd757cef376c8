#!/usr/bin/env python3
"""Writes the ONNX fuzzer's external-data seeds: usage make_onnx_seeds.py OUT_DIR.

Each model is a 1x2x4x4 Conv whose weight (2x2x3x3 f32, 144 bytes) is stored
outside the model, in the fuzz harness's scratch directory (weights.bin,
4 KiB, and link.bin, a symlink to it): a valid location with and without
offset / length, an offset past the end, a length longer than the tensor,
'..', an absolute path, /dev/zero and the symlink.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
cases = {
    "ext_plain": {"location": "weights.bin"},
    "ext_offset": {"location": "weights.bin", "offset": "64", "length": "144"},
    "ext_past_end": {"location": "weights.bin", "offset": "4000", "length": "144"},
    "ext_long": {"location": "weights.bin", "length": "1000000000000"},
    "ext_dotdot": {"location": "../weights.bin"},
    "ext_absolute": {"location": "/etc/passwd"},
    "ext_dev_zero": {"location": "/dev/zero"},
    "ext_symlink": {"location": "link.bin"},
}
for name, entries in cases.items():
    w = numpy_helper.from_array(np.ones((2, 2, 3, 3), np.float32), "w")
    w.ClearField("raw_data")
    w.data_location = TensorProto.EXTERNAL
    for key, value in entries.items():
        w.external_data.add(key=key, value=value)
    graph = helper.make_graph(
        [helper.make_node("Conv", ["x", "w"], ["y"], name="conv", pads=[1, 1, 1, 1])],
        name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 4, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2, 4, 4])], [w])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    with open(os.path.join(out, name + ".onnx"), "wb") as f:
        f.write(model.SerializeToString())
