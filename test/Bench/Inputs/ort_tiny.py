#!/usr/bin/python3
"""A tiny conv network for bench/ort_qdq.py and bench/ort_run.js, with a
numpy interpreter as the independent reference.

Usage:
  ort_tiny.py make DIR
      DIR/tiny.onnx: x[1,3,8,8] -> Conv 3x3 (3->8, bias) -> Relu -> a;
      a -> Conv 3x3 (8->8) -> Add a -> b; b * Sigmoid(b) -> c;
      MaxPool 2x2 -> GlobalAveragePool -> Flatten -> Gemm (8->4) -> y
      (random weights, seed 0, opset 13); DIR/calib.npy (8 samples),
      DIR/input.npy (2 samples), DIR/fp32.npy (the numpy output on the
      input) and DIR/ranges.json (numpy min / max of every tensor over the
      calibration samples, the format of ort_run.js --ranges).
  ort_tiny.py run MODEL.onnx INPUT.npy OUT.npy
      Runs any model made of the ops above plus QuantizeLinear /
      DequantizeLinear (per tensor or per axis) in numpy, float64, one
      sample at a time (the QDQ simulation: ONNX's definitions of the ops).
  ort_tiny.py compare A.npy B.npy TOLERANCE
      Prints the largest |A - B| and whether it is within TOLERANCE.
  ort_tiny.py ranges A.json B.json TOLERANCE
      Whether the two range files name the same tensors and their bounds
      agree within TOLERANCE.
  ort_tiny.py params QDQ.onnx
      Describes the quantization parameters of each Conv / Gemm weight and
      bias and of the activations.
  ort_tiny.py sqnr REFERENCE.npy TEST.npy
      Prints the SQNR of TEST against REFERENCE in dB.
  ort_tiny.py steps A.npy B.npy QDQ.onnx
      Prints the largest |A - B| in units of the output's quantization step
      (the scale of the DequantizeLinear that writes QDQ.onnx's output).
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def make(out):
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(0)

    def init(name, shape, scale):
        return numpy_helper.from_array(
            (rng.standard_normal(shape) * scale).astype(np.float32), name)

    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], name="conv1",
                         pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["a"], name="relu1"),
        helper.make_node("Conv", ["a", "w2"], ["c2"], name="conv2",
                         pads=[1, 1, 1, 1]),
        helper.make_node("Add", ["c2", "a"], ["b"], name="add"),
        helper.make_node("Sigmoid", ["b"], ["s"], name="sigmoid"),
        helper.make_node("Mul", ["b", "s"], ["c"], name="mul"),
        helper.make_node("MaxPool", ["c"], ["p"], name="pool",
                         kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("GlobalAveragePool", ["p"], ["g"], name="gap"),
        helper.make_node("Flatten", ["g"], ["f"], name="flatten"),
        helper.make_node("Gemm", ["f", "w3", "b3"], ["y"], name="fc",
                         transB=1),
    ]
    graph = helper.make_graph(
        nodes, "tiny",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])],
        [init("w1", (8, 3, 3, 3), 0.3), init("b1", (8,), 0.1),
         init("w2", (8, 8, 3, 3), 0.15), init("w3", (4, 8), 0.5),
         init("b3", (4,), 0.1)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(out, "tiny.onnx"))
    calib = rng.standard_normal((8, 3, 8, 8)).astype(np.float32)
    image = rng.standard_normal((2, 3, 8, 8)).astype(np.float32)
    np.save(os.path.join(out, "calib.npy"), calib)
    np.save(os.path.join(out, "input.npy"), image)
    np.save(os.path.join(out, "fp32.npy"), run(model, image)[0])
    _, tensors = run(model, calib)
    ranges = {k: [float(min(t.min() for t in v)), float(max(t.max() for t in v))]
              for k, v in tensors.items()}
    with open(os.path.join(out, "ranges.json"), "w") as f:
        json.dump(ranges, f)


def attr(node, name, default):
    for a in node.attribute:
        if a.name == name:
            return helper.get_attribute_value(a)
    return default


def conv(x, w, b, pads):
    n, c, h, wd = x.shape
    k, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    oh, ow = xp.shape[2] - kh + 1, xp.shape[3] - kw + 1
    y = np.zeros((n, k, oh, ow))
    for i in range(kh):
        for j in range(kw):
            y += np.einsum("nchw,kc->nkhw", xp[:, :, i:i + oh, j:j + ow],
                           w[:, :, i, j])
    return y + (b.reshape(1, -1, 1, 1) if b is not None else 0)


def axis_shape(param, axis, ndim):
    shape = [1] * ndim
    if param.ndim == 1:
        shape[axis] = -1
    return param.reshape(shape) if param.ndim == 1 else param


def step(node, v):
    x = [v[i] if i else None for i in node.input]
    op = node.op_type
    if op == "Conv":
        return conv(x[0], x[1], x[2] if len(x) > 2 else None,
                    attr(node, "pads", [0, 0, 0, 0]))
    if op == "Relu":
        return np.maximum(x[0], 0)
    if op == "Add":
        return x[0] + x[1]
    if op == "Mul":
        return x[0] * x[1]
    if op == "Sigmoid":
        return 1 / (1 + np.exp(-x[0]))
    if op == "MaxPool":
        n, c, h, w = x[0].shape
        return x[0].reshape(n, c, h // 2, 2, w // 2, 2).max(axis=(3, 5))
    if op == "GlobalAveragePool":
        return x[0].mean(axis=(2, 3), keepdims=True)
    if op == "Flatten":
        return x[0].reshape(x[0].shape[0], -1)
    if op == "Gemm":
        w = x[1].T if attr(node, "transB", 0) else x[1]
        return x[0] @ w + (x[2] if len(x) > 2 else 0)
    if op in ("QuantizeLinear", "DequantizeLinear"):
        axis = attr(node, "axis", 1)
        scale = axis_shape(x[1].astype(np.float64), axis, x[0].ndim)
        zero = axis_shape(x[2].astype(np.float64), axis, x[0].ndim)
        if op == "DequantizeLinear":
            return (x[0].astype(np.float64) - zero) * scale
        info = np.iinfo(v[node.input[2]].dtype)
        q = np.clip(np.round(x[0] / scale) + zero, info.min, info.max)
        return q.astype(v[node.input[2]].dtype)
    raise ValueError(f"ort_tiny.py: no reference for {op}")


def run(model, batch):
    """The graph's output over the samples, and every tensor per sample."""
    consts = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    outputs, tensors = [], {}
    for sample in batch:
        v = dict(consts)
        v[model.graph.input[0].name] = sample[None].astype(np.float64)
        for node in model.graph.node:
            v[node.output[0]] = step(node, v)
            if v[node.output[0]].dtype == np.float64:
                tensors.setdefault(node.output[0], []).append(v[node.output[0]])
        tensors.setdefault("x", []).append(v["x"])
        outputs.append(v[model.graph.output[0].name])
    return np.concatenate(outputs).astype(np.float32), tensors


def params(model):
    inits = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    producer = {n.output[0]: n for n in model.graph.node}
    activations = set()
    for node in model.graph.node:
        if node.op_type == "QuantizeLinear":
            activations.add(str(inits[node.input[2]].dtype))
        if node.op_type not in ("Conv", "Gemm"):
            continue
        x_dq = producer[node.input[0]]
        x_scale = np.float32(inits[x_dq.input[1]])
        w_dq = producer[node.input[1]]
        q, w_scale, w_zero = (inits[i] for i in w_dq.input)
        axis = attr(w_dq, "axis", 1)
        peak = np.abs(q.astype(np.int64)).reshape(q.shape[0], -1).max(axis=1)
        print(f"{node.name} weight {q.dtype} axis {axis}: {w_scale.size} scales,"
              f" zero points {'0' if not w_zero.any() else 'NONZERO'},"
              f" max |q| per channel {','.join(sorted({str(v) for v in peak}))}")
        if len(node.input) > 2:
            b_dq = producer[node.input[2]]
            qb, b_scale, b_zero = (inits[i] for i in b_dq.input)
            same = np.array_equal(b_scale, (x_scale * w_scale).astype(np.float32))
            print(f"{node.name} bias {qb.dtype} axis {attr(b_dq, 'axis', 1)}:"
                  f" scale {'=' if same else '!='} input scale x weight scales"
                  f"{'' if not b_zero.any() else ', NONZERO zero points'}")
    count = sum(1 for n in model.graph.node if n.op_type == "QuantizeLinear")
    print(f"activations: {count} {'/'.join(sorted(activations))}")


def main():
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "make":
        make(*args)
    elif mode == "run":
        np.save(args[2], run(onnx.load(args[0]), np.load(args[1]))[0])
    elif mode == "compare":
        a, b = np.load(args[0]), np.load(args[1])
        worst = float(np.abs(a.astype(np.float64) - b).max())
        verdict = "within" if worst <= float(args[2]) else "NOT within"
        print(f"max abs diff {worst:.3g}: {verdict} {float(args[2]):.3g}")
    elif mode == "ranges":
        a, b = (json.load(open(p)) for p in args[:2])
        worst = max(abs(a[k][i] - b[k][i]) for k in a if k in b for i in (0, 1))
        verdict = "within" if worst <= float(args[2]) else "NOT within"
        print(f"{len(a)} and {len(b)} tensors, "
              f"{'the same' if set(a) == set(b) else 'DIFFERENT'}; "
              f"bounds {verdict} {float(args[2]):.3g}")
    elif mode == "params":
        params(onnx.load(args[0]))
    elif mode == "sqnr":
        ref, test = (np.load(p).astype(np.float64) for p in args)
        noise = ((test - ref) ** 2).sum()
        print(f"SQNR {10 * np.log10((ref ** 2).sum() / max(noise, 1e-300)):.1f} dB")
    elif mode == "steps":
        model = onnx.load(args[2])
        inits = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
        out = model.graph.output[0].name
        node = next(n for n in model.graph.node if n.output[0] == out)
        scale = float(inits[node.input[1]])
        a, b = np.load(args[0]), np.load(args[1])
        worst = float(np.abs(a.astype(np.float64) - b).max())
        print(f"max abs diff {round(worst / scale)} output step(s) "
              f"of {scale:.3g}")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
