#!/usr/bin/env python3
"""Writes small ONNX models that the normalization and 3-D window converters
(InstanceNormalization, GroupNormalization, 3-D Conv / MaxPool /
AveragePool) must reject with a located diagnostic: usage
make_bad_norm3d_models.py OUT_DIR. Each model is named after the error it
provokes; norm3d-errors.test asserts each message."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = sys.argv[1]
os.makedirs(OUT, exist_ok=True)


def save(name, op, x_shape, constants=(), opset=13, inputs=None,
         x_type=TensorProto.FLOAT, extra_inputs=(), **attrs):
    names = inputs or (["x"] + [k for k, _ in constants])
    graph = helper.make_graph(
        [helper.make_node(op, names, ["y"], name="node", **attrs)], name,
        [helper.make_tensor_value_info("x", x_type, list(x_shape))]
        + [helper.make_tensor_value_info(n, TensorProto.FLOAT, list(s))
           for n, s in extra_inputs],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
        [numpy_helper.from_array(np.asarray(v), k) for k, v in constants])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    onnx.save(model, os.path.join(OUT, name + ".onnx"))


f32 = lambda *shape: np.ones(shape, np.float32)

# InstanceNormalization.
save("instnorm_rank2", "InstanceNormalization", (2, 3),
     [("s", f32(3)), ("b", f32(3))])
save("instnorm_scale_shape", "InstanceNormalization", (1, 3, 4, 4),
     [("s", f32(4)), ("b", f32(3))])
# GroupNormalization.
save("groupnorm_divide", "GroupNormalization", (1, 6, 4, 4),
     [("s", f32(4)), ("b", f32(4))], opset=18, num_groups=4)
save("groupnorm_no_groups", "GroupNormalization", (1, 6, 4, 4),
     [("s", f32(2)), ("b", f32(2))], opset=18)
save("groupnorm_stash", "GroupNormalization", (1, 6, 4, 4),
     [("s", f32(6)), ("b", f32(6))], opset=21, num_groups=2, stash_type=0)
save("groupnorm_per_group_shape", "GroupNormalization", (1, 6, 4, 4),
     [("s", f32(6)), ("b", f32(6))], opset=18, num_groups=2)
save("groupnorm_runtime_scale", "GroupNormalization", (1, 6, 4, 4),
     [("b", f32(2))], opset=18, num_groups=2, inputs=["x", "s", "b"],
     extra_inputs=[("s", (2,))])
# 3-D convolution and pooling.
save("conv3d_weight_rank", "Conv", (1, 2, 4, 4, 4), [("w", f32(2, 2, 3, 3))])
save("conv3d_channels", "Conv", (1, 2, 4, 4, 4), [("w", f32(2, 3, 3, 3, 3))])
save("conv3d_too_big", "Conv", (1, 2, 2, 4, 4), [("w", f32(2, 2, 3, 3, 3))])
save("conv3d_pads", "Conv", (1, 2, 4, 4, 4), [("w", f32(2, 2, 3, 3, 3))],
     pads=[1, 1, 1, 1])
save("conv3d_kernel_shape", "Conv", (1, 2, 4, 4, 4), [("w", f32(2, 2, 3, 3, 3))],
     kernel_shape=[3, 3, 2])
save("maxpool3d_dilations", "MaxPool", (1, 2, 6, 6, 6), kernel_shape=[2, 2, 2],
     dilations=[2, 2, 2])
save("avgpool3d_ceil_count_pad", "AveragePool", (1, 2, 5, 5, 5),
     kernel_shape=[2, 2, 2], strides=[2, 2, 2], ceil_mode=1,
     count_include_pad=1)
save("maxpool3d_auto_pad", "MaxPool", (1, 2, 6, 6, 6), kernel_shape=[2, 2, 2],
     auto_pad="WRONG")
# A quantized 3-D convolution (QLinearConv); 3-D convolutions import from
# float Conv (or a QDQ Conv).
u8 = lambda v: np.asarray(v, np.uint8)
save("qlinearconv3d", "QLinearConv", (1, 2, 4, 4, 4),
     [("xs", np.float32(0.1)), ("xz", u8(128)), ("w", np.ones((2, 2, 1, 1, 1), np.int8)),
      ("ws", np.float32(0.1)), ("wz", np.int8(0)), ("ys", np.float32(0.1)),
      ("yz", u8(128))], x_type=TensorProto.UINT8)
