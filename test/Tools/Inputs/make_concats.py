"""Writes a float qops model of BLOCKS DenseNet-like blocks with ONNX-style
node-name locations (loc("/block3/Concat"), as quant-translate --import-onnx
prints them), and a calibration input.

usage: make_concats.py BLOCKS OUT.mlir OUT.npy

Block i: a = softmax(p); c = concat(a, p); f = fully_connected(c); p' = f + a.
The softmax stays in float (it has no integer form), with a remark each.
The softmax's output range is fixed ([0, 1]), so --quantize-int8
requantizes it for the concat (whose other input sets the shared
parameters), with a remark each.
"""
import sys

import numpy as np

blocks, out_mlir, out_npy = int(sys.argv[1]), sys.argv[2], sys.argv[3]
rng = np.random.RandomState(0)


def dense(values):
    return "dense<[%s]>" % ", ".join(
        "[%s]" % ", ".join("%.3f" % v for v in row) for row in values)


lines = ["func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {"]
p = "%x"
for i in range(blocks):
    name = "/block%d" % i
    w = dense(rng.uniform(-0.1, 0.1, (4, 8)))
    lines += [
        '  %%w%d = arith.constant %s : tensor<4x8xf32> loc("%s/W")' % (i, w, name),
        '  %%a%d = qops.softmax %s axis -1 : tensor<1x4xf32> -> tensor<1x4xf32>'
        ' loc("%s/Softmax")' % (i, p, name),
        '  %%c%d = qops.concat %%a%d, %s axis 1 : (tensor<1x4xf32>, tensor<1x4xf32>)'
        ' -> tensor<1x8xf32> loc("%s/Concat")' % (i, i, p, name),
        '  %%f%d = qops.fully_connected %%c%d, %%w%d : (tensor<1x8xf32>, tensor<4x8xf32>)'
        ' -> tensor<1x4xf32> loc("%s/Gemm")' % (i, i, i, name),
        '  %%p%d = qops.add %%f%d, %%a%d : (tensor<1x4xf32>, tensor<1x4xf32>)'
        ' -> tensor<1x4xf32> loc("%s/Add")' % (i, i, i, name),
    ]
    p = "%%p%d" % i
lines += ["  return %s : tensor<1x4xf32>" % p, "}"]
with open(out_mlir, "w") as f:
    f.write("\n".join(lines) + "\n")
np.save(out_npy, rng.uniform(-2, 3, (4, 1, 4)).astype(np.float32)[:, 0, :].reshape(4, 4))
