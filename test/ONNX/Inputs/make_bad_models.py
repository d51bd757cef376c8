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
save("unsupported_op", [helper.make_node("Hardmax", ["x"], ["y"], name="hardmax")],
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

# Initializers whose data disagrees with their declared dims.
short = numpy_helper.from_array(np.ones((2, 2, 3, 3), np.float32), "w")
short.raw_data = short.raw_data[:-4]
save("short_raw_data", [conv()], [image("x")], [image("y")], [short])
long = numpy_helper.from_array(np.ones((2, 2, 3, 3), np.float32), "w")
long.raw_data = long.raw_data + bytes(4)
save("long_raw_data", [conv()], [image("x")], [image("y")], [long])
fewer = helper.make_tensor("w", TensorProto.FLOAT, [2, 2, 3, 3], [1.0] * 36)
del fewer.float_data[-1]
save("short_float_data", [conv()], [image("x")], [image("y")], [fewer])
negative = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[2, -2, 3, 3])
save("negative_dim", [conv()], [image("x")], [image("y")], [negative])

# kernel_shape disagreeing with the weight (the weight is 3x3), for Conv and
# its integer forms; and a 1-D Conv whose kernel_shape is right.
save("conv_kernel_shape", [conv(kernel_shape=[5, 5])], [image("x")],
     [image("y")], [w])
wi8 = numpy_helper.from_array(np.ones((2, 2, 3, 3), np.int8), "w")
xzp = numpy_helper.from_array(np.array(128, np.uint8), "xzp")
save("conv_integer_kernel_shape",
     [helper.make_node("ConvInteger", ["x", "w", "xzp"], ["y"], name="convint",
                       pads=[1, 1, 1, 1], kernel_shape=[3, 2])],
     [image("x", dtype=TensorProto.UINT8)], [image("y", dtype=TensorProto.INT32)],
     [wi8, xzp])
qparams = [numpy_helper.from_array(np.array(0.5, np.float32), "xs"),
           numpy_helper.from_array(np.array(128, np.uint8), "xz"),
           numpy_helper.from_array(np.array(0.25, np.float32), "ws"),
           numpy_helper.from_array(np.array(0, np.int8), "wz"),
           numpy_helper.from_array(np.array(1.0, np.float32), "ys"),
           numpy_helper.from_array(np.array(128, np.uint8), "yz")]
save("qlinear_conv_kernel_shape",
     [helper.make_node("QLinearConv", ["x", "xs", "xz", "w", "ws", "wz", "ys", "yz"],
                       ["y"], name="qconv", pads=[1, 1, 1, 1], kernel_shape=[1, 3])],
     [image("x", dtype=TensorProto.UINT8)], [image("y", dtype=TensorProto.UINT8)],
     [wi8] + qparams)
w1 = numpy_helper.from_array(np.arange(2 * 2 * 3, dtype=np.float32).reshape(2, 2, 3), "w")
save("conv1d_kernel_shape",
     [helper.make_node("Conv", ["x", "w"], ["y"], name="conv1d", kernel_shape=[3])],
     [image("x", (1, 2, 5))], [image("y", (1, 2, 3))], [w1])
save("conv1d_bad_kernel_shape",
     [helper.make_node("Conv", ["x", "w"], ["y"], name="conv1d", kernel_shape=[2])],
     [image("x", (1, 2, 5))], [image("y", (1, 2, 4))], [w1])

# External data. The models live in OUT/ext; OUT/secret.bin lies outside
# their directory and must never be read through a location.
EXT = os.path.join(OUT, "ext")
os.makedirs(EXT, exist_ok=True)
values = np.array([1.5, -2.0, 3.25, 4.0], np.float32)
with open(os.path.join(OUT, "secret.bin"), "wb") as f:
    f.write(values.tobytes())
# A weights file holding the tensor at offset 8, with bytes around it.
with open(os.path.join(EXT, "weights.bin"), "wb") as f:
    f.write(np.full(2, 99, np.float32).tobytes() + values.tobytes() +
            np.full(3, 77, np.float32).tobytes())
os.symlink(os.path.join("..", "secret.bin"), os.path.join(EXT, "link.bin"))
os.mkfifo(os.path.join(EXT, "fifo.bin"))


def external(name, **entries):
    """Add(x, c) with c: float[4] stored at `entries` (location, offset,
    length as strings)."""
    c = TensorProto(name="c", data_type=TensorProto.FLOAT, dims=[4])
    c.data_location = TensorProto.EXTERNAL
    for key, value in entries.items():
        c.external_data.add(key=key, value=str(value))
    graph = helper.make_graph(
        [helper.make_node("Add", ["x", "c"], ["y"], name="add")], name,
        [image("x", (1, 4))], [image("y", (1, 4))], [c])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    # Written as bytes: onnx.save would try to follow the locations.
    with open(os.path.join(EXT, name + ".onnx"), "wb") as f:
        f.write(model.SerializeToString())


external("ext_good", location="weights.bin", offset=8, length=16)
external("ext_good_no_length", location="weights.bin", offset=8)
external("ext_parent", location="../secret.bin", length=16)
external("ext_passwd", location="../../../../etc/passwd", length=16)
external("ext_absolute", location=os.path.join(os.path.abspath(OUT), "secret.bin"),
         length=16)
external("ext_dev_zero", location="/dev/zero")
external("ext_symlink", location="link.bin", length=16)
external("ext_fifo", location="fifo.bin", length=16)
external("ext_directory", location=".", length=16)
external("ext_long_length", location="weights.bin", length=36)
external("ext_short_file", location="weights.bin", offset=24)
external("ext_past_end", location="weights.bin", offset=1000)
external("ext_offset_overflow", location="weights.bin",
         offset=18446744073709551615, length=16)
external("ext_negative_offset", location="weights.bin", offset=-8)

# Reshape targets whose entries overflow 64 bits when multiplied (2^32 x
# 2^32 wrapped to 0) or do not fit in an int64 once read.
for name, target in (("reshape_overflow", [4294967296, 4294967296, 0]),
                     ("reshape_int64_max", [9223372036854775807])):
    save(name, [helper.make_node("Reshape", ["x", "s"], ["y"], name="reshape")],
         [image("x")], [image("y", (32,))],
         [numpy_helper.from_array(np.array(target, np.int64), "s")])

# Window attributes whose arithmetic overflowed 64 bits: a 2^62 dilation of
# a 5-wide kernel (4 * 2^62 wrapped to 0), an INT64_MAX stride with SAME
# padding, an INT64_MAX pooling window with SAME padding.
w5 = numpy_helper.from_array(np.ones((2, 2, 5, 5), np.float32), "w")
save("conv_dilation_overflow",
     [helper.make_node("Conv", ["x", "w"], ["y"], name="conv", pads=[2, 2, 2, 2],
                       dilations=[4611686018427387904, 1])],
     [image("x")], [image("y")], [w5])
save("conv_stride_overflow",
     [helper.make_node("Conv", ["x", "w"], ["y"], name="conv", auto_pad="SAME_UPPER",
                       strides=[9223372036854775807, 1])],
     [image("x")], [image("y")], [w5])
save("pool_kernel_overflow",
     [helper.make_node("MaxPool", ["x"], ["y"], name="pool", auto_pad="SAME_UPPER",
                       kernel_shape=[9223372036854775807, 1])],
     [image("x")], [image("y")])
