#!/usr/bin/env python3
"""Writes small ONNX models that the transformer-encoder converters (token-id
graph inputs, Gather, LayerNormalization, Gelu, Equal, Where) must reject
with a located diagnostic: usage make_bad_transformer_models.py OUT_DIR.
Each model is named after the error it provokes; transformer-errors.test
asserts each message."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = sys.argv[1]
os.makedirs(OUT, exist_ok=True)


def save(name, nodes, inputs, inits=(), opset=17):
    """inputs: (name, onnx type, shape)."""
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info(n, t, list(s)) for n, t, s in inputs],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
        [numpy_helper.from_array(np.asarray(v), k) for k, v in inits])
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    onnx.save(model, os.path.join(OUT, name + ".onnx"))


F, I64 = TensorProto.FLOAT, TensorProto.INT64
f32 = lambda *shape: np.ones(shape, np.float32)
node = lambda op, ins, outs=("y",), **a: helper.make_node(
    op, list(ins), list(outs), name="node", **a)

# Token ids.
save("ids_not_gathered", [node("Cast", ["ids"], to=F)], [("ids", I64, (1, 4))])
save("ids_also_elsewhere",
     [node("Gather", ["t", "ids"], ["e"]),
      helper.make_node("Cast", ["ids"], ["y"], name="cast", to=F)],
     [("ids", I64, (1, 4))], [("t", f32(5, 2))])
# A Clip of token ids narrower than [-D, D - 1] would change them.
save("ids_clip_narrow",
     [helper.make_node("Clip", ["ids", "lo", "hi"], ["c"], name="node"),
      helper.make_node("Gather", ["t", "c"], ["y"], name="gather")],
     [("ids", I64, (1, 4))],
     [("t", f32(5, 2)), ("lo", np.array(0, np.int64)),
      ("hi", np.array(4, np.int64))])
# Gather.
save("gather_float_indices", [node("Gather", ["t", "i"])],
     [("i", F, (3,))], [("t", f32(5, 2))])
save("gather_index_range", [node("Gather", ["x", "i"], axis=1)],
     [("x", F, (2, 3))], [("i", np.array(3, np.int64))])
save("gather_axis_range", [node("Gather", ["t", "i"], axis=2)],
     [("i", I64, (3,))], [("t", f32(5, 2))])
# LayerNormalization.
save("layernorm_stash_type",
     [node("LayerNormalization", ["x", "s"], stash_type=0)],
     [("x", F, (2, 4))], [("s", f32(4))])
save("layernorm_scale_shape", [node("LayerNormalization", ["x", "s"])],
     [("x", F, (2, 4))], [("s", f32(3))])
save("layernorm_axis", [node("LayerNormalization", ["x", "s"], axis=2)],
     [("x", F, (2, 4))], [("s", f32(4))])
save("layernorm_epsilon",
     [node("LayerNormalization", ["x", "s"], epsilon=-1.0)],
     [("x", F, (2, 4))], [("s", f32(4))])
# Gelu.
save("gelu_approximate", [node("Gelu", ["x"], approximate="fast")],
     [("x", F, (2, 4))], opset=20)
# Equal / Where fold only constants.
save("equal_runtime", [node("Equal", ["x", "c"])], [("x", F, (2,))],
     [("c", f32(2))])
save("where_runtime", [node("Where", ["c", "x", "z"])], [("x", F, (2,))],
     [("c", np.array([True, False])), ("z", f32(2))])
save("where_condition_type", [node("Where", ["c", "a", "b"])], [],
     [("c", f32(2)), ("a", f32(2)), ("b", f32(2))])
