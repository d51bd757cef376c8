#!/usr/bin/python3
"""Writes the int8 QDQ model of a float ONNX model for ONNX Runtime.

Usage:
  ort_qdq.py probe MODEL.onnx PROBE.onnx
      MODEL with every float tensor computed by a node added as a graph
      output: `node bench/ort_run.js PROBE.onnx --input CALIB.npy
      --ranges RANGES.json --opt-level disabled` then gives the min / max of
      each activation over the calibration set.
  ort_qdq.py quantize MODEL.onnx RANGES.json QDQ.onnx
      MODEL with QuantizeLinear / DequantizeLinear placed the way ONNX
      Runtime's static quantizer places them (QDQ format), so that ORT's
      graph optimiser fuses them into its integer kernels (QLinearConv,
      QLinearAdd, QLinearMul, QLinearSigmoid, QLinearGlobalAveragePool,
      QLinearConcat, QGemm, ...). Prints what it quantized.
  ort_qdq.py count OPTIMIZED.onnx
      The node types of a model as ORT optimised it (the file of
      ort_run.js --optimized), by count: which integer kernels fused and
      which ops stayed float.

The quantization is the one bench/families.py gives the project:
  weights of Conv / Gemm / MatMul: symmetric int8 per output channel,
      s_c = max|w_c| / 127, q in [-127, 127], zero point 0 (pre-quantized
      int8 initializers + DequantizeLinear with an axis);
  biases: int32, scale s_in * s_w[c], zero point 0 (where the bias would
      not fit int32, s_w[c] is raised until it does, as ORT's quantizer
      does);
  activations: asymmetric uint8 per tensor from the calibration range
      [min, max] (widened to include 0): s = (max - min) / 255,
      z = round(-min / s);
  where: both sides of Conv, Gemm, MatMul, Add, Mul, Sigmoid, LeakyRelu,
      AveragePool, GlobalAveragePool, Concat; MaxPool and the data-movement
      ops (Reshape, Flatten, Transpose, Squeeze, Unsqueeze, Split, Slice,
      Gather) take their input's parameters for their output, so ORT runs
      them on the 8-bit tensor; a Relu or Clip right after a quantized
      producer (its only consumer) is removed and the producer's output
      quantized with the activation's range (ORT's quantizer does the
      same). Other ops (HardSigmoid, HardSwish, Softmax, ...) stay float
      between a DequantizeLinear and the next QuantizeLinear, as they do in
      ORT's own quantized models.

Needs only Debian's python3-onnx and python3-numpy (no onnxruntime Python
package).
"""
import json
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

# Ops quantized on every float input and output (own ranges).
QUANTIZED = {"Conv", "Gemm", "MatMul", "Add", "Mul", "Sigmoid", "LeakyRelu",
             "AveragePool", "GlobalAveragePool", "Concat"}
# Ops whose output takes the input's parameters (input 0 is the data).
SAME_SCALE = {"MaxPool", "Reshape", "Flatten", "Transpose", "Squeeze",
              "Unsqueeze", "Split", "Slice", "Gather"}
# Activations folded into their producer's output range.
REMOVABLE = {"Relu", "Clip"}
WEIGHTED = {"Conv": (1, 2), "Gemm": (1, 2), "MatMul": (1, None)}


def probe(model_path, out_path):
    model = onnx.shape_inference.infer_shapes(onnx.load(model_path))
    graph = model.graph
    known = {o.name for o in graph.output}
    types = {v.name: v for v in graph.value_info}
    for node in graph.node:
        for name in node.output:
            info = types.get(name)
            if (name and name not in known and info is not None and
                    info.type.tensor_type.elem_type == TensorProto.FLOAT):
                graph.output.append(info)
                known.add(name)
    onnx.save(model, out_path)


def activation_params(lo, hi):
    """uint8 asymmetric scale and zero point of the range [lo, hi]."""
    lo, hi = min(float(lo), 0.0), max(float(hi), 0.0)
    if not np.isfinite(lo) or not np.isfinite(hi) or hi == lo:
        return np.float32(1.0), 0
    scale = np.float32((hi - lo) / 255.0)
    zero = int(np.clip(np.round(-lo / float(scale)), 0, 255))
    return scale, zero


def weight_params(w, axis, floor=None):
    """int8 symmetric per-channel scales along axis (at least `floor`), and
    the int8 weights."""
    moved = np.moveaxis(w.astype(np.float64), axis, 0).reshape(w.shape[axis], -1)
    scale = (np.abs(moved).max(axis=1) / 127.0).astype(np.float32)
    scale[scale == 0] = 1.0
    if floor is not None:
        scale = np.maximum(scale, floor.astype(np.float32))
    shape = [1] * w.ndim
    shape[axis] = -1
    q = np.clip(np.round(w / scale.reshape(shape).astype(np.float64)), -127, 127)
    return scale, q.astype(np.int8)


class Writer:
    def __init__(self, model, ranges):
        self.model = model
        self.graph = model.graph
        self.ranges = ranges
        self.inits = {i.name: i for i in self.graph.initializer}
        self.params = {}     # tensor -> (scale, zero point)
        self.new_nodes = []  # QuantizeLinear / DequantizeLinear to add
        self.dq_of = {}      # tensor -> name of its dequantized copy
        self.stats = {"activations": 0, "weights": 0, "biases": 0,
                      "removed activations": 0,
                      "weight scales raised for int32 biases": 0}

    def const(self, name, array):
        self.graph.initializer.append(numpy_helper.from_array(array, name))
        self.inits[name] = self.graph.initializer[-1]
        return name

    def resolve_identities(self):
        """Identity of an initializer (torch.onnx.export writes one for equal
        initializers) is that initializer."""
        keep = []
        for node in self.graph.node:
            if node.op_type == "Identity" and node.input[0] in self.inits:
                copy = onnx.TensorProto()
                copy.CopyFrom(self.inits[node.input[0]])
                copy.name = node.output[0]
                self.graph.initializer.append(copy)
                self.inits[copy.name] = self.graph.initializer[-1]
            else:
                keep.append(node)
        del self.graph.node[:]
        self.graph.node.extend(keep)

    def consumers(self):
        uses = {}
        for node in self.graph.node:
            for name in node.input:
                uses.setdefault(name, []).append(node)
        return uses

    def remove_activations(self):
        """Relu / Clip whose input is a quantized op's output used only by it:
        the producer writes the activation's output instead."""
        producer = {o: n for n in self.graph.node for o in n.output}
        outputs = {o.name for o in self.graph.output}
        uses = self.consumers()
        keep = []
        for node in self.graph.node:
            source = node.input[0] if node.input else None
            parent = producer.get(source)
            if (node.op_type in REMOVABLE and parent is not None and
                    parent.op_type in QUANTIZED and len(uses[source]) == 1 and
                    source not in outputs and node.output[0] in self.ranges):
                parent.output[list(parent.output).index(source)] = node.output[0]
                self.stats["removed activations"] += 1
            else:
                keep.append(node)
        del self.graph.node[:]
        self.graph.node.extend(keep)

    def is_float_activation(self, name):
        return name and name not in self.inits and name in self.ranges

    def want(self, name, params=None):
        """Tensor `name` gets a QuantizeLinear -> DequantizeLinear pair."""
        if name in self.params:
            return
        if params is None:
            params = activation_params(*self.ranges[name])
        self.params[name] = params

    def plan(self):
        for node in self.graph.node:
            op = node.op_type
            if op in QUANTIZED:
                skip = {WEIGHTED[op][0], WEIGHTED[op][1]} if op in WEIGHTED else set()
                for k, name in enumerate(node.input):
                    if k in skip and name in self.inits:
                        continue
                    if self.is_float_activation(name):
                        self.want(name)
                    elif op in ("Add", "Mul") and name in self.inits:
                        self.want(name, self.constant_params(name))
                for name in node.output:
                    if self.is_float_activation(name):
                        self.want(name)
            elif op in SAME_SCALE and node.input and self.is_float_activation(node.input[0]):
                self.want(node.input[0])
                for name in node.output:
                    if name in self.ranges:
                        self.want(name, self.params[node.input[0]])

    def constant_params(self, name):
        value = numpy_helper.to_array(self.inits[name])
        if value.dtype != np.float32:
            return None
        return activation_params(value.min(initial=0), value.max(initial=0))

    def emit_activations(self):
        outputs = {o.name for o in self.graph.output}
        producer = {o: n for n in self.graph.node for o in n.output}
        for name, params in self.params.items():
            if params is None:
                continue
            scale, zero = params
            s = self.const(name + "_scale", np.array(scale, np.float32))
            z = self.const(name + "_zero_point", np.array(zero, np.uint8))
            self.dq_of[name] = name + "_dequantized"
            if name in self.inits:  # a constant: quantized here
                value = numpy_helper.to_array(self.inits[name]).astype(np.float64)
                q = np.clip(np.round(value / float(scale)) + zero, 0, 255)
                self.const(name + "_quantized", q.astype(np.uint8))
            else:
                self.new_nodes.append(helper.make_node(
                    "QuantizeLinear", [name, s, z], [name + "_quantized"],
                    name=name + "_QuantizeLinear"))
            self.new_nodes.append(helper.make_node(
                "DequantizeLinear", [name + "_quantized", s, z],
                [name + "_dequantized"], name=name + "_DequantizeLinear"))
            self.stats["activations"] += 1
            if name in outputs:  # keep the graph output's name
                pre = name + "_float"
                node = producer[name]
                node.output[list(node.output).index(name)] = pre
                self.new_nodes[-2].input[0] = pre
                self.new_nodes[-1].output[0] = name
                self.dq_of[name] = name

    def emit_weights(self):
        for node in self.graph.node:
            if node.op_type not in WEIGHTED:
                continue
            w_index, b_index = WEIGHTED[node.op_type]
            w_name = node.input[w_index]
            if w_name not in self.inits or node.input[0] not in self.params:
                continue
            w = numpy_helper.to_array(self.inits[w_name]).astype(np.float32)
            if node.op_type == "Gemm":
                trans = next((a.i for a in node.attribute if a.name == "transB"), 0)
                axis = 0 if trans else 1
            elif node.op_type == "MatMul":
                if w.ndim != 2:
                    continue
                axis = 1
            else:
                axis = 0
            bias = None
            if (b_index is not None and len(node.input) > b_index and
                    node.input[b_index] in self.inits):
                bias = numpy_helper.to_array(self.inits[node.input[b_index]])
                if bias.ndim != 1 or bias.shape[0] != w.shape[axis]:
                    bias = None
            in_scale = np.float32(self.params[node.input[0]][0])
            # A bias scale s_in * s_w[c] so small that the bias leaves int32
            # would be clipped: the channel's weight scale is raised until
            # it fits (as ORT's quantizer adjusts it), e.g. on networks whose
            # fresh activations are tiny and whose logits are the FC bias.
            floor = None
            if bias is not None:
                floor = (np.abs(bias.astype(np.float64)) /
                         (float(in_scale) * (2**31 - 1)) * (1 + 1e-6))
            scale, q = weight_params(w, axis, floor)
            if floor is not None:
                raised = int((floor > np.abs(np.moveaxis(w, axis, 0)).reshape(
                    w.shape[axis], -1).max(axis=1) / 127.0).sum())
                self.stats["weight scales raised for int32 biases"] += raised
            stem = f"{node.name or w_name}_W"
            self.const(stem + "_quantized", q)
            self.const(stem + "_scale", scale)
            self.const(stem + "_zero_point", np.zeros(scale.shape, np.int8))
            self.new_nodes.append(helper.make_node(
                "DequantizeLinear",
                [stem + "_quantized", stem + "_scale", stem + "_zero_point"],
                [stem + "_dequantized"], name=stem + "_DequantizeLinear",
                axis=axis))
            node.input[w_index] = stem + "_dequantized"
            self.stats["weights"] += 1
            if bias is None:
                continue
            b_scale = (in_scale * scale).astype(np.float32)
            qb = np.round(bias.astype(np.float64) / b_scale.astype(np.float64))
            stem = f"{node.name or w_name}_B"
            self.const(stem + "_quantized",
                       np.clip(qb, -2**31, 2**31 - 1).astype(np.int32))
            self.const(stem + "_scale", b_scale)
            self.const(stem + "_zero_point", np.zeros(scale.shape, np.int32))
            self.new_nodes.append(helper.make_node(
                "DequantizeLinear",
                [stem + "_quantized", stem + "_scale", stem + "_zero_point"],
                [stem + "_dequantized"], name=stem + "_DequantizeLinear",
                axis=0))
            node.input[b_index] = stem + "_dequantized"
            self.stats["biases"] += 1

    def rewire(self):
        """Every consumer reads the dequantized copy; nodes in topological
        order (the QuantizeLinear after its producer)."""
        for node in self.graph.node:
            for k, name in enumerate(node.input):
                if name in self.dq_of and name not in node.output:
                    node.input[k] = self.dq_of[name]
        nodes = list(self.graph.node) + self.new_nodes
        ready = {i.name for i in self.graph.input} | set(self.inits) | {""}
        ordered, pending = [], nodes
        while pending:
            rest = []
            for node in pending:
                if all(name in ready for name in node.input):
                    ordered.append(node)
                    ready.update(node.output)
                else:
                    rest.append(node)
            if len(rest) == len(pending):
                raise RuntimeError("cannot order the graph: "
                                   f"{rest[0].op_type} {rest[0].name} has an input"
                                   " nothing produces")
            pending = rest
        del self.graph.node[:]
        self.graph.node.extend(ordered)
        # The removed activations / renamed outputs leave stale shape info.
        del self.graph.value_info[:]

    def run(self):
        if all(o.version < 13 for o in self.model.opset_import if o.domain in ("", "ai.onnx")):
            raise RuntimeError("per-channel DequantizeLinear needs opset >= 13")
        self.resolve_identities()
        self.remove_activations()
        self.plan()
        self.emit_weights()
        self.emit_activations()
        self.rewire()


def quantize(model_path, ranges_path, out_path):
    model = onnx.load(model_path)
    with open(ranges_path) as f:
        ranges = json.load(f)
    for i in model.graph.input:  # graph inputs come from the calibration data too
        if i.name not in ranges:
            raise RuntimeError(f"no range for the input '{i.name}'")
    writer = Writer(model, ranges)
    writer.run()
    onnx.checker.check_model(model)
    onnx.save(model, out_path)
    print("ort_qdq: " + ", ".join(f"{k} {v}" for k, v in writer.stats.items()))


def count(path):
    model = onnx.load(path)
    counts = {}
    for node in model.graph.node:
        counts[node.op_type] = counts.get(node.op_type, 0) + 1
    print(" ".join(f"{k}={v}" for k, v in sorted(counts.items())))


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "probe" and len(sys.argv) == 4:
        probe(*sys.argv[2:])
    elif mode == "quantize" and len(sys.argv) == 5:
        quantize(*sys.argv[2:])
    elif mode == "count" and len(sys.argv) == 3:
        count(sys.argv[2])
    else:
        sys.exit(__doc__.split("\n\n")[1])


if __name__ == "__main__":
    main()
