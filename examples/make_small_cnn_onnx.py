#!/usr/bin/env python3
"""Generates examples/small_cnn.onnx, examples/small_cnn_input_nchw.npy and
examples/small_cnn_calibration_nchw.npy.

The network of examples/small_cnn.mlir, with the same seeded weights, as the
ONNX model a PyTorch export would give (opset 13, NCHW, OIHW weights,
BatchNormalization left unfolded): Conv-BatchNormalization-Relu, depthwise
Conv-BatchNormalization-Clip(0, 6), Add, MaxPool, GlobalAveragePool,
Flatten, Gemm (transB = 1), Softmax. Inputs are the NHWC example sets
transposed to NCHW.

Run with Debian's python: /usr/bin/python3 examples/make_small_cnn_onnx.py
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from make_small_cnn import HERE, parameters


def main():
    p = parameters(np.random.default_rng(2026))
    # qops OHWI -> ONNX OIHW.
    p["w0"] = p["w0"].transpose(0, 3, 1, 2)
    p["w1"] = p["w1"].transpose(0, 3, 1, 2)
    zeros = np.zeros(8, np.float32)
    initializers = [numpy_helper.from_array(v, k) for k, v in p.items()]
    initializers += [numpy_helper.from_array(zeros, "b1"),
                     numpy_helper.from_array(np.float32(0), "clip_min"),
                     numpy_helper.from_array(np.float32(6), "clip_max")]
    nodes = [
        helper.make_node("Conv", ["image", "w0", "b0"], ["conv0"], name="conv0",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization",
                         ["conv0", "g0", "beta0", "mean0", "var0"], ["bn0"],
                         name="bn0", epsilon=1e-5),
        helper.make_node("Relu", ["bn0"], ["relu0"], name="relu0"),
        helper.make_node("Conv", ["relu0", "w1", "b1"], ["conv1"], name="conv1",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1], group=8),
        helper.make_node("BatchNormalization",
                         ["conv1", "g1", "beta1", "mean1", "var1"], ["bn1"],
                         name="bn1", epsilon=1e-5),
        helper.make_node("Clip", ["bn1", "clip_min", "clip_max"], ["relu1"],
                         name="relu6"),
        helper.make_node("Add", ["relu0", "relu1"], ["sum"], name="residual"),
        helper.make_node("MaxPool", ["sum"], ["pool"], name="pool",
                         kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("GlobalAveragePool", ["pool"], ["gap"], name="gap"),
        helper.make_node("Flatten", ["gap"], ["flat"], name="flatten", axis=1),
        helper.make_node("Gemm", ["flat", "wfc", "bfc"], ["logits"],
                         name="classifier", transB=1),
        helper.make_node("Softmax", ["logits"], ["probs"], name="softmax",
                         axis=-1),
    ]
    graph = helper.make_graph(
        nodes, "small_cnn",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT,
                                       ["batch", 3, 8, 8])],
        [helper.make_tensor_value_info("probs", TensorProto.FLOAT,
                                       ["batch", 10])],
        initializers)
    model = helper.make_model(graph, producer_name="make_small_cnn_onnx.py",
                              opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(HERE, "small_cnn.onnx"))
    for name in ("input", "calibration"):
        nhwc = np.load(os.path.join(HERE, f"small_cnn_{name}.npy"))
        np.save(os.path.join(HERE, f"small_cnn_{name}_nchw.npy"),
                np.ascontiguousarray(nhwc.transpose(0, 3, 1, 2)))


if __name__ == "__main__":
    main()
