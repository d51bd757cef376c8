#!/usr/bin/env python3
"""Writes small ONNX models that the shape-op and constant-folding
converters must reject with a located diagnostic (Identity, Dropout,
Squeeze, Unsqueeze, Slice, Split, Shape, Cast, ConstantOfShape, Range,
Expand, Gather, Add / Sub / Mul / Div, Concat): usage
make_bad_shape_models.py OUT_DIR. Each model is named after the error it
provokes; shape-ops-errors.test asserts each message."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = sys.argv[1]
os.makedirs(OUT, exist_ok=True)


def save(name, nodes, constants=(), opset=13, x_shape=(1, 2, 4, 4),
         outputs=("y",), inputs=("x",)):
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info(i, TensorProto.FLOAT, list(x_shape))
         for i in inputs],
        [helper.make_tensor_value_info(o, TensorProto.FLOAT, None) for o in outputs],
        [numpy_helper.from_array(np.asarray(v), k) for k, v in constants])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    onnx.save(model, os.path.join(OUT, name + ".onnx"))


def node(op, inputs, outputs=("y",), name=None, **attrs):
    return helper.make_node(op, list(inputs), list(outputs), name=name or op.lower(),
                            **attrs)


i64 = lambda *v: np.array(v, np.int64)

# Dropout: training forms and the mask output.
save("dropout_training", [node("Dropout", ["x", "r", "t"])],
     [("r", np.float32(0.5)), ("t", np.array(True))], opset=13)
save("dropout_mask", [node("Dropout", ["x"], ["y", "mask"])], opset=13)
save("dropout_is_test", [node("Dropout", ["x"], is_test=0)], opset=6)
save("dropout_mode_shape", [node("Dropout", ["x", "r", "t"])],
     [("r", np.float32(0.5)), ("t", np.array([False, False]))])

# Squeeze / Unsqueeze.
save("squeeze_not_one", [node("Squeeze", ["x", "a"])], [("a", i64(1))])
save("unsqueeze_no_axes", [node("Unsqueeze", ["x"])], opset=11)
save("unsqueeze_axis_range", [node("Unsqueeze", ["x", "a"])], [("a", i64(5))])
save("squeeze_axis_twice", [node("Squeeze", ["x"], axes=[0, -4])], opset=11,
     x_shape=(1, 1, 4, 4))
save("squeeze_runtime_axes", [node("Squeeze", ["x", "x"])])
save("squeeze_float_axes", [node("Squeeze", ["x", "a"])],
     [("a", np.array([0.0], np.float32))])
qw = [("q", np.ones((2, 3), np.int8)), ("s", np.array([0.1, 0.2], np.float32)),
      ("z", np.zeros(2, np.int8))]
save("unsqueeze_per_axis", [node("DequantizeLinear", ["q", "s", "z"], ["w"], axis=0),
                            node("Unsqueeze", ["w", "a"])], qw + [("a", i64(0))])
save("squeeze_per_axis_runtime",
     [node("QuantizeLinear", ["x", "s", "z"], ["q"], axis=1),
      node("Squeeze", ["q", "a"], ["sq"]),
      node("DequantizeLinear", ["sq", "s", "z"], ["y"], name="dq", axis=0)],
     [("s", np.array([0.1, 0.2], np.float32)), ("z", np.zeros(2, np.int8)),
      ("a", i64(0))], x_shape=(1, 2, 3))

# Slice.
slice_inputs = lambda starts, ends, axes=None, steps=None: (
    [("st", i64(*starts)), ("en", i64(*ends))]
    + ([("ax", i64(*axes))] if axes is not None else [])
    + ([("sp", i64(*steps))] if steps is not None else []))
save("slice_counts", [node("Slice", ["x", "st", "en"])], slice_inputs([0, 0], [1]))
save("slice_axes_count", [node("Slice", ["x", "st", "en", "ax"])],
     slice_inputs([0], [1], [1, 2]))
save("slice_steps_count", [node("Slice", ["x", "st", "en", "ax", "sp"])],
     slice_inputs([0], [1], [1], [1, 1]))
save("slice_step_zero", [node("Slice", ["x", "st", "en", "ax", "sp"])],
     slice_inputs([0], [1], [1], [0]))
save("slice_negative_step", [node("Slice", ["x", "st", "en", "ax", "sp"])],
     slice_inputs([-1], [-100], [3], [-1]))
save("slice_empty", [node("Slice", ["x", "st", "en", "ax"])],
     slice_inputs([3], [1], [2]))
save("slice_runtime_starts", [node("Slice", ["x", "x", "en"])],
     [("en", i64(1))])
save("slice_per_axis",
     [node("QuantizeLinear", ["x", "s", "z"], ["q"], axis=1),
      node("Slice", ["q", "st", "en", "ax"], ["sl"]),
      node("DequantizeLinear", ["sl", "s", "z"], ["y"], name="dq", axis=1)],
     [("s", np.array([0.1, 0.2], np.float32)), ("z", np.zeros(2, np.int8))]
     + slice_inputs([1], [2], [1]), x_shape=(1, 2, 3))

# Split.
save("split_sum", [node("Split", ["x", "p"], ["a", "b"], axis=1)], [("p", i64(1, 2))],
     outputs=("a", "b"))
save("split_count", [node("Split", ["x"], ["a", "b"], axis=2, split=[1, 1, 2])],
     opset=11, outputs=("a", "b"))
save("split_unequal", [node("Split", ["x"], ["a", "b", "c"], axis=2)],
     outputs=("a", "b", "c"))
save("split_negative", [node("Split", ["x", "p"], ["a", "b"], axis=2)],
     [("p", i64(-1, 5))], outputs=("a", "b"))
save("split_num_outputs", [node("Split", ["x"], ["a", "b"], axis=2, num_outputs=3)],
     opset=18, outputs=("a", "b"))
save("split_parts_empty",
     [node("Split", ["x"], ["a", "b", "c"], axis=1, num_outputs=3)],
     opset=18, outputs=("a", "b", "c"))
save("split_axis", [node("Split", ["x"], ["a", "b"], axis=4)], outputs=("a", "b"))

# Cast.
save("cast_no_to", [node("Cast", ["x"])])
save("cast_string", [node("Cast", ["x"], to=TensorProto.STRING)])
save("cast_runtime_int", [node("Cast", ["x"], to=TensorProto.INT64)])
save("cast_overflow", [node("Cast", ["c"], ["k"], to=TensorProto.INT64),
                       node("Reshape", ["x", "k"])],
     [("c", np.array([1e30], np.float32))])

# ConstantOfShape, Range, Expand, Gather.
save("constantofshape_value", [node("ConstantOfShape", ["s"], ["c"],
                                    value=numpy_helper.from_array(np.zeros(2, np.float32))),
                               node("Add", ["x", "c"])], [("s", i64(4))])
save("constantofshape_huge", [node("ConstantOfShape", ["s"], ["c"]),
                              node("Add", ["x", "c"])],
     [("s", i64(1 << 20, 1 << 20))])
save("constantofshape_negative", [node("ConstantOfShape", ["s"], ["c"]),
                                  node("Add", ["x", "c"])], [("s", i64(2, -1))])
save("range_delta", [node("Range", ["a", "b", "d"], ["r"]), node("Add", ["x", "r"])],
     [("a", np.float32(0)), ("b", np.float32(4)), ("d", np.float32(0))])
save("range_scalar", [node("Range", ["a", "b", "d"], ["r"]), node("Add", ["x", "r"])],
     [("a", np.zeros(2, np.float32)), ("b", np.float32(4)), ("d", np.float32(1))])
save("range_huge", [node("Range", ["a", "b", "d"], ["r"]), node("Add", ["x", "r"])],
     [("a", np.int64(0)), ("b", np.int64(1 << 40)), ("d", np.int64(1))])
save("range_types", [node("Range", ["a", "b", "d"], ["r"]), node("Add", ["x", "r"])],
     [("a", np.float32(0)), ("b", np.int64(4)), ("d", np.int64(1))])
save("gather_huge", [node("Gather", ["c", "i"], ["g"]), node("Add", ["x", "g"])],
     [("c", np.ones((1, 1 << 20), np.float32)), ("i", np.zeros(1 << 10, np.int64))])
save("expand_runtime", [node("Expand", ["x", "s"])], [("s", i64(2, 2, 4, 4))])
save("expand_broadcast", [node("Expand", ["c", "s"], ["e"]), node("Add", ["x", "e"])],
     [("c", np.ones(3, np.float32)), ("s", i64(2, 4))])
save("gather_index", [node("Gather", ["c", "i"], ["g"], axis=1), node("Add", ["x", "g"])],
     [("c", np.ones((2, 3), np.float32)), ("i", i64(0, -4))])
save("gather_scalar", [node("Gather", ["c", "i"], ["g"]), node("Add", ["x", "g"])],
     [("c", np.float32(1)), ("i", i64(0))])
save("gather_axis", [node("Gather", ["c", "i"], ["g"], axis=2), node("Add", ["x", "g"])],
     [("c", np.ones((2, 3), np.float32)), ("i", i64(0))])

# Arithmetic and Concat on constants.
save("div_types", [node("Div", ["a", "b"], ["c"]), node("Reshape", ["x", "c"])],
     [("a", i64(4)), ("b", np.array([2], np.int32))])
save("div_zero", [node("Div", ["a", "b"], ["c"]), node("Reshape", ["x", "c"])],
     [("a", i64(4)), ("b", i64(0))])
save("mul_overflow", [node("Mul", ["a", "a"], ["c"]), node("Reshape", ["x", "c"])],
     [("a", i64(1 << 40))])
save("div_float_zero", [node("Div", ["a", "b"], ["c"]), node("Add", ["x", "c"])],
     [("a", np.float32(1)), ("b", np.float32(0))])
save("sub_broadcast", [node("Sub", ["a", "b"], ["c"]), node("Reshape", ["x", "c"])],
     [("a", i64(4, 4)), ("b", i64(1, 2, 3))])
save("concat_types", [node("Concat", ["a", "b"], ["c"], axis=0),
                      node("Reshape", ["x", "c"])],
     [("a", i64(4)), ("b", np.array([8], np.int32))])
save("concat_huge", [node("ConstantOfShape", ["s"], ["c"]),
                     node("Concat", ["c"] * 17, ["cc"], axis=0),
                     node("Add", ["x", "cc"])], [("s", i64(1 << 20))])
save("concat_shapes", [node("Concat", ["a", "b"], ["c"], axis=0),
                       node("Add", ["x", "c"])],
     [("a", np.ones((1, 2), np.float32)), ("b", np.ones((1, 3), np.float32))])

# Folded graph outputs: unsigned and zero-sized constants are refused; a
# signed integer one (the shape itself) is returned with its type.
save("output_uint8", [node("Sub", ["a", "b"], ["y"])],
     [("a", np.array([3], np.uint8)), ("b", np.array([1], np.uint8))])
save("output_zero_size", [node("ConstantOfShape", ["s"], ["y"])], [("s", i64(0))])
save("output_shape", [node("Shape", ["x"], ["y"])])
