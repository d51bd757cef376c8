#!/usr/bin/env python3
"""Instance / group normalization and 3-D convolution, pooling and batch
norm, imported from ONNX and run against PyTorch, float and int8.

Usage: norm3d_ops.py BIN_DIR SRC_DIR WORK_DIR

1. Single-node models built with onnx.helper (seeded data):
   InstanceNormalization on 3-D, 4-D and 5-D inputs, GroupNormalization at
   opset 18 (per-group scale) and 21 (per-channel), Conv / MaxPool /
   AveragePool / BatchNormalization on NCDHW inputs (pads, strides,
   dilations, groups, auto_pad, ceil_mode, count_include_pad). Each is
   imported (WORK_DIR/<name>.mlir, FileChecked by the lit test), run with
   quant-run and compared with torch.nn.functional (float64):
       "<name>: shape [..], max rel diff below 1e-5"
   (the largest |got - torch| / max |torch|).
2. Two networks exported by torch.onnx.export (eval mode, seed 0):
   gn:   Conv2d -> GroupNorm(2) -> ReLU -> Conv2d -> InstanceNorm2d(affine),
         at opsets 13 and 17;
   gn1d: Conv1d -> GroupNorm(4, affine=False) (no Mul / Add);
   c3d:  Conv3d -> BatchNorm3d -> ReLU -> MaxPool3d, and
   c3dx: Conv3d (groups 2, stride (2, 1, 1), pads (1, 0, 1)) -> AvgPool3d.
   fp32 (--fold-bn --fuse-activations) against PyTorch:
       "<net> fp32: max relative difference to PyTorch below 1e-4: yes"
   int8 (--fold-bn --quantize-int8, requant=float) against its QDQ
   simulation (emit=qdq) on 8 samples, bit for bit, with the float islands
   counted (the group norms are islands by design), then lowered and
   emitted as an object:
       "<net> int8: <k>/<n> equal to the simulation, <i> float islands,
        SQNR vs fp32 <s> dB, object <bytes> bytes"
"""
import os
import re
import subprocess
import sys

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper

BIN, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(WORK, exist_ok=True)
rng = np.random.default_rng(16)
torch.manual_seed(0)


def tool(name, *args):
    proc = subprocess.run([os.path.join(BIN, name), *args],
                          stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.exit(f"{name} {' '.join(args)} failed:\n{proc.stderr}")
    return proc.stderr


def t(a):
    return torch.from_numpy(np.asarray(a, np.float64))


def case(name, op, x, ref, params=(), opset=13, **attrs):
    """x -> op(x, *params) -> y, params as initializers."""
    names = ["x"] + [f"p{i}" for i in range(len(params))]
    inits = [numpy_helper.from_array(np.asarray(p, np.float32), f"p{i}")
             for i, p in enumerate(params)]
    graph = helper.make_graph(
        [helper.make_node(op, names, ["y"], name=name, **attrs)], name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(x.shape))],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    path = os.path.join(WORK, name)
    onnx.save(model, path + ".onnx")
    tool("quant-translate", "--import-onnx", path + ".onnx", "-o", path + ".mlir")
    np.save(path + ".x.npy", x)
    tool("quant-run", path + ".mlir", "--input", path + ".x.npy",
         "--output", path + ".y.npy")
    got = np.load(path + ".y.npy").astype(np.float64)
    ref = np.asarray(ref, np.float64)
    rel = (np.abs(got - ref).max() / np.abs(ref).max()
           if got.shape == ref.shape else float("inf"))
    print(f"{name}: shape {list(got.shape)}, max rel diff "
          f"{'below 1e-5' if rel < 1e-5 else f'{rel:.3g}'}")


def randn(*shape):
    return rng.standard_normal(shape).astype(np.float32)


# Normalization.
for rank in (3, 4, 5):
    shape = (1, 3, 6, 5, 4)[:rank]
    x, s, b = randn(*shape), randn(3), randn(3)
    case(f"instnorm_{rank}d", "InstanceNormalization", x,
         F.instance_norm(t(x), weight=t(s), bias=t(b), eps=1e-3).numpy(),
         (s, b), epsilon=1e-3)
x = randn(1, 6, 5, 5)
s, b = randn(3), randn(3)
case("groupnorm_18", "GroupNormalization", x,
     F.group_norm(t(x), 3, t(np.repeat(s, 2)), t(np.repeat(b, 2))).numpy(),
     (s, b), opset=18, num_groups=3)
s, b = randn(6), randn(6)
case("groupnorm_21", "GroupNormalization", x,
     F.group_norm(t(x), 2, t(s), t(b), eps=1e-2).numpy(), (s, b), opset=21,
     num_groups=2, epsilon=1e-2)

# 3-D windows.
x = randn(1, 4, 6, 7, 5)
w, bias = randn(6, 4, 3, 3, 3), randn(6)
case("conv3d_pad", "Conv", x,
     F.conv3d(t(x), t(w), t(bias), padding=1).numpy(), (w, bias),
     pads=[1, 1, 1, 1, 1, 1])
wg = randn(6, 2, 3, 2, 3)
case("conv3d_grouped", "Conv", x,
     F.conv3d(F.pad(t(x), (1, 0, 0, 1, 2, 1)), t(wg), stride=(2, 1, 2),
              dilation=(2, 1, 1), groups=2).numpy(),
     (wg,), group=2, strides=[2, 1, 2], dilations=[2, 1, 1],
     pads=[2, 0, 1, 1, 1, 0])
w2 = randn(3, 4, 2, 2, 2)
case("conv3d_same_upper", "Conv", x,
     F.conv3d(F.pad(t(x), (0, 1, 0, 1, 0, 1)), t(w2)).numpy(), (w2,),
     auto_pad="SAME_UPPER")
case("maxpool3d", "MaxPool", x,
     F.max_pool3d(t(x), 3, stride=2, padding=1).numpy(), kernel_shape=[3, 3, 3],
     strides=[2, 2, 2], pads=[1, 1, 1, 1, 1, 1])
case("maxpool3d_ceil", "MaxPool", x,
     F.max_pool3d(t(x), (2, 3, 2), stride=(2, 2, 2), ceil_mode=True).numpy(),
     kernel_shape=[2, 3, 2], strides=[2, 2, 2], ceil_mode=1)
case("avgpool3d_pads", "AveragePool", x,
     F.avg_pool3d(t(x), 3, stride=(1, 2, 2), padding=1,
                  count_include_pad=False).numpy(),
     kernel_shape=[3, 3, 3], strides=[1, 2, 2], pads=[1, 1, 1, 1, 1, 1])
case("avgpool3d_count_pad", "AveragePool", x,
     F.avg_pool3d(t(x), (2, 3, 3), stride=(2, 1, 1), padding=(1, 1, 1),
                  count_include_pad=True).numpy(),
     kernel_shape=[2, 3, 3], strides=[2, 1, 1], pads=[1, 1, 1, 1, 1, 1],
     count_include_pad=1)
g, beta, mean, var = randn(4), randn(4), randn(4), np.abs(randn(4)) + 0.5
case("batchnorm3d", "BatchNormalization", x,
     F.batch_norm(t(x), t(mean), t(var), t(g), t(beta), eps=1e-5).numpy(),
     (g, beta, mean, var))


# Networks exported by PyTorch.
class GN(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = torch.nn.Conv2d(3, 8, 3, padding=1)
        self.gn = torch.nn.GroupNorm(2, 8)
        self.c2 = torch.nn.Conv2d(8, 4, 3, padding=1)
        self.inorm = torch.nn.InstanceNorm2d(4, affine=True)

    def forward(self, x):
        return self.inorm(self.c2(torch.relu(self.gn(self.c1(x)))))


class GNPlain(torch.nn.Module):
    """GroupNorm without affine parameters (no Mul / Add in the export),
    on a 3-D [N, C, L] input."""
    def __init__(self):
        super().__init__()
        self.c1 = torch.nn.Conv1d(3, 8, 3, padding=1)
        self.gn = torch.nn.GroupNorm(4, 8, affine=False)

    def forward(self, x):
        return self.gn(self.c1(x))


class C3D(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv3d(2, 4, 3, padding=1)
        self.bn = torch.nn.BatchNorm3d(4)
        self.pool = torch.nn.MaxPool3d(2)

    def forward(self, x):
        return self.pool(torch.relu(self.bn(self.conv(x))))


class C3DX(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv3d(2, 6, 3, stride=(2, 1, 1),
                                    padding=(1, 0, 1), groups=2)
        self.pool = torch.nn.AvgPool3d(2, stride=1, padding=1)

    def forward(self, x):
        return self.pool(self.conv(x))


def network(name, module, shape, opset=13):
    module.eval()
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, (torch.nn.GroupNorm, torch.nn.InstanceNorm2d,
                              torch.nn.BatchNorm3d)) and m.weight is not None:
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.5, 0.5)
            if isinstance(m, torch.nn.BatchNorm3d):
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 1.5)
    base = os.path.join(WORK, name)
    x = torch.randn(1, *shape)
    calib = torch.randn(8, *shape)
    torch.onnx.export(module, x, base + ".onnx", opset_version=opset)
    with torch.no_grad():
        ref = module(x).numpy().astype(np.float64)
    np.save(base + "_in.npy", x.numpy())
    np.save(base + "_calib.npy", calib.numpy())
    tool("quant-translate", "--import-onnx", base + ".onnx", "-o",
         base + ".mlir")
    tool("quant-opt", "--fold-bn", "--fuse-activations", "--canonicalize",
         base + ".mlir", "-o", base + ".fp32.mlir")
    tool("quant-run", base + ".fp32.mlir", "--input", base + "_in.npy",
         "--output", base + "_fp32.npy")
    fp32 = np.load(base + "_fp32.npy").astype(np.float64)
    rel = np.abs(fp32 - ref).max() / np.abs(ref).max()
    print(f"{name} fp32: max relative difference to PyTorch below 1e-4: "
          f"{'yes' if rel < 1e-4 else f'NO ({rel:.2g})'}")
    options = f"calibration={base}_calib.npy"
    remarks = tool("quant-opt", "--fold-bn", f"--quantize-int8={options}",
                   "--remark-detail=all", base + ".mlir", "-o",
                   base + ".int8.mlir")
    tool("quant-opt", "--fold-bn", f"--quantize-int8={options} emit=qdq",
         base + ".mlir", "-o", base + ".qdq.mlir")
    for form in ("int8", "qdq"):
        tool("quant-run", f"{base}.{form}.mlir", "--input", base + "_calib.npy",
             "--output", f"{base}_{form}.npy")
    a, b = np.load(base + "_int8.npy"), np.load(base + "_qdq.npy")
    equal = int((a == b).sum()) if a.shape == b.shape else 0
    tool("quant-run", base + ".fp32.mlir", "--input", base + "_calib.npy",
         "--output", base + "_calib_fp32.npy")
    f = np.load(base + "_calib_fp32.npy").astype(np.float64)
    sqnr = 10 * np.log10((f ** 2).sum() / max(((a - f) ** 2).sum(), 1e-300))
    tool("quant-opt", "--qops-to-llvm", base + ".int8.mlir", "-o",
         base + ".int8.llvm.mlir")
    tool("quant-translate", "--emit-obj", base + ".int8.llvm.mlir", "-o",
         base + ".int8.o")
    print(f"{name} int8: {equal}/{b.size} equal to the simulation, "
          f"{remarks.count('stays in float')} float islands, SQNR vs fp32 "
          f"{sqnr:.0f} dB, object {os.path.getsize(base + '.int8.o')} bytes")


network("gn13", GN(), (3, 10, 10), opset=13)
network("gn17", GN(), (3, 10, 10), opset=17)
network("gn1d", GNPlain(), (3, 12))
network("c3d", C3D(), (2, 6, 8, 8))
network("c3dx", C3DX(), (2, 6, 8, 8))
