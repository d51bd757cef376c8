"""Checks for models that `quant-translate --export-onnx` writes.

  onnx_export_check.py summary MODEL.onnx
      runs onnx.checker (full check, shape inference) and prints the opset,
      the node op types in order and the initializer element types.
  onnx_export_check.py weights QDQ.onnx FLOAT.onnx
      for the i-th Conv / Gemm of each model: the QDQ model's weight is an
      int8 initializer feeding a DequantizeLinear; its dequantized values
      are within half a step of the float model's weights, and each output
      channel uses the symmetric range (max |q| = 127).
  onnx_export_check.py compare A.npy B.npy
      prints the largest absolute and relative difference of two arrays.
"""
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def summary(path):
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    print("checker: ok, opset", model.opset_import[0].version)
    print("nodes:", " ".join(n.op_type for n in model.graph.node))
    types = sorted({onnx.TensorProto.DataType.Name(t.data_type)
                    for t in model.graph.initializer})
    print("initializers:", " ".join(types))


def weighted_nodes(model):
    return [n for n in model.graph.node if n.op_type in ("Conv", "Gemm")]


def weights(qdq_path, float_path):
    qdq, flt = onnx.load(qdq_path), onnx.load(float_path)
    qinit = {t.name: numpy_helper.to_array(t) for t in qdq.graph.initializer}
    finit = {t.name: numpy_helper.to_array(t) for t in flt.graph.initializer}
    producers = {o: n for n in qdq.graph.node for o in n.output}
    checked = 0
    for qnode, fnode in zip(weighted_nodes(qdq), weighted_nodes(flt)):
        dq = producers[qnode.input[1]]
        assert dq.op_type == "DequantizeLinear", dq.op_type
        q = qinit[dq.input[0]]
        assert q.dtype == np.int8, q.dtype
        scale = qinit[dq.input[1]]
        axis = next((a.i for a in dq.attribute if a.name == "axis"), 1)
        shape = [1] * q.ndim
        shape[axis] = -1
        s = scale.reshape(shape) if scale.ndim else scale
        w = finit[fnode.input[1]]
        assert w.shape == q.shape, (w.shape, q.shape)
        error = np.abs(q.astype(np.float64) * s - w) / s
        assert error.max() <= 0.5 + 1e-4, (qnode.name, error.max())
        other = tuple(d for d in range(q.ndim) if d != axis)
        assert (np.abs(q).max(axis=other) == 127).all(), qnode.name
        checked += 1
    print("weights:", checked, "int8 tensors within half a step of the "
          "float weights; max |q| 127 in every channel")


def compare(a_path, b_path):
    a = np.load(a_path).astype(np.float64)
    b = np.load(b_path).astype(np.float64)
    assert a.shape == b.shape, (a.shape, b.shape)
    diff = np.abs(a - b).max()
    print("max abs diff %.3g, max rel diff %.3g"
          % (diff, diff / max(np.abs(a).max(), 1e-30)))


if __name__ == "__main__":
    {"summary": summary, "weights": weights, "compare": compare}[sys.argv[1]](
        *sys.argv[2:])
