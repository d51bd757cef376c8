#!/usr/bin/env python3
"""A MobileNetV2-style network as a float qops model with seeded random
weights, for the benchmark (imported by bench/layers.py):

  stem     conv 3x3 stride 2, 3 -> 32, ReLU6
  blocks   17 inverted residual blocks (expansion t, channels c, repeats n,
           first stride s) of MobileNetV2, width 1.0:
             t=1 c=16 n=1 s=1 | t=6 c=24 n=2 s=2 | t=6 c=32 n=3 s=2 |
             t=6 c=64 n=4 s=2 | t=6 c=96 n=3 s=1 | t=6 c=160 n=3 s=2 |
             t=6 c=320 n=1 s=1
           each: 1x1 expand conv + ReLU6 (absent when t = 1), depthwise 3x3
           conv (stride s, pad 1) + ReLU6, 1x1 project conv (linear), and a
           residual add when the stride is 1 and the channels are unchanged
  head     conv 1x1 -> 1280 + ReLU6, global average pooling, flatten,
           fully connected 1280 -> 1000 (logits)

No batch norm (the convolutions carry a bias), ReLU6 fused into the
convolutions as `clamp_min = 0.0, clamp_max = 6.0`. Weights are He-scaled
(std sqrt(2 / fan_in), sqrt(1 / fan_in) for the linear project convs and the
classifier) so activations stay of order one through the 52 convolutions.
Weight literals are written as hex (`dense<"0x...">`, little-endian f32), which
keeps the 3.5M-parameter file small and fast to parse.

The same network is also described for bench/quant-bench-onednn, one layer a
line (conv:N,H,W,C,O,K,STRIDE,PAD,GROUPS[:relu6] [add J], gap:N,H,W,C,
fc:M,K,N), the residual adds fused into the project convolutions.

Run with Debian's python: /usr/bin/python3.
"""
import sys

import numpy as np

BLOCKS = [  # expansion, output channels, repeats, stride of the first
    (1, 16, 1, 1),
    (6, 24, 2, 2),
    (6, 32, 3, 2),
    (6, 64, 4, 2),
    (6, 96, 3, 1),
    (6, 160, 3, 2),
    (6, 320, 1, 1),
]


def t(*shape):
    return "tensor<" + "x".join(str(d) for d in shape) + "xf32>"


def hex_dense(a):
    return 'dense<"0x' + np.ascontiguousarray(a, dtype="<f4").tobytes().hex().upper() + '">'


class Builder:
    """Accumulates the body of @main; tracks the NHWC shape of each value."""

    def __init__(self, rng):
        self.rng = rng
        self.lines = []
        self.n = 0
        self.macs = 0
        self.net = []     # quant-bench-onednn layers
        self.layer = {}   # MLIR value -> index of the layer producing it

    def fresh(self, prefix):
        self.n += 1
        return f"%{prefix}{self.n}"

    def const(self, a):
        name = self.fresh("c")
        self.lines.append(f"  {name} = arith.constant {hex_dense(a)} : {t(*a.shape)}")
        return name

    def conv(self, x, shape, out_ch, k, stride, groups, relu6, gain=2.0):
        _, h, w, c = shape
        pad = k // 2
        oh = (h + 2 * pad - k) // stride + 1
        ow = (w + 2 * pad - k) // stride + 1
        fan_in = k * k * (c // groups)
        wt = (self.rng.standard_normal((out_ch, k, k, c // groups))
              * np.sqrt(gain / fan_in)).astype(np.float32)
        b = (self.rng.standard_normal(out_ch) * 0.01).astype(np.float32)
        wn, bn = self.const(wt), self.const(b)
        y = self.fresh("x")
        clamp = " {clamp_min = 0.0 : f32, clamp_max = 6.0 : f32}" if relu6 else ""
        out = (1, oh, ow, out_ch)
        self.lines.append(
            f"  {y} = qops.conv2d {x}, {wn}, {bn} stride [{stride}, {stride}] "
            f"pad [{pad}, {pad}, {pad}, {pad}] dilation [1, 1] groups {groups}{clamp}\n"
            f"       : ({t(*shape)}, {t(*wt.shape)}, {t(out_ch)}) -> {t(*out)}")
        self.macs += oh * ow * out_ch * k * k * (c // groups)
        self.net.append(f"conv:1,{h},{w},{c},{out_ch},{k},{stride},{pad},{groups}"
                        + (":relu6" if relu6 else ""))
        self.layer[y] = len(self.net) - 1
        return y, out

    def add(self, a, b, shape):
        y = self.fresh("x")
        self.lines.append(f"  {y} = qops.add {a}, {b} : ({t(*shape)}, {t(*shape)}) -> {t(*shape)}")
        # oneDNN: a binary post-op of b's producer, the last layer.
        assert self.layer[b] == len(self.net) - 1
        self.net[-1] += f" add {self.layer[a]}"
        self.layer[y] = self.layer[b]
        return y


def mobilenet_v2(rng, size=112, classes=1000):
    """Returns (MLIR text, input shape, MACs, quant-bench-onednn layers) of
    the network on size x size RGB images."""
    bld = Builder(rng)
    shape = (1, size, size, 3)
    x, shape = bld.conv("%image", shape, 32, 3, 2, 1, relu6=True)
    for expansion, out_ch, repeats, first_stride in BLOCKS:
        for r in range(repeats):
            stride = first_stride if r == 0 else 1
            inp, in_shape = x, shape
            hidden = in_shape[3] * expansion
            if expansion != 1:
                x, shape = bld.conv(x, shape, hidden, 1, 1, 1, relu6=True)
            x, shape = bld.conv(x, shape, hidden, 3, stride, hidden, relu6=True)
            x, shape = bld.conv(x, shape, out_ch, 1, 1, 1, relu6=False, gain=1.0)
            if stride == 1 and in_shape == shape:
                x = bld.add(inp, x, shape)
    x, shape = bld.conv(x, shape, 1280, 1, 1, 1, relu6=True)
    gap = bld.fresh("x")
    bld.lines.append(f"  {gap} = qops.global_avg_pool {x} : {t(*shape)} -> {t(1, 1, 1, 1280)}")
    bld.net.append(f"gap:1,{shape[1]},{shape[2]},1280")
    flat = bld.fresh("x")
    bld.lines.append(f"  {flat} = qops.flatten {gap} axis 1 : {t(1, 1, 1, 1280)}")
    wfc = (rng.standard_normal((classes, 1280)) * np.sqrt(1 / 1280)).astype(np.float32)
    bfc = (rng.standard_normal(classes) * 0.01).astype(np.float32)
    wn, bn = bld.const(wfc), bld.const(bfc)
    logits = bld.fresh("x")
    bld.lines.append(
        f"  {logits} = qops.fully_connected {flat}, {wn}, {bn}\n"
        f"       : ({t(1, 1280)}, {t(classes, 1280)}, {t(classes)}) -> {t(1, classes)}")
    bld.macs += classes * 1280
    bld.net.append(f"fc:1,1280,{classes}")
    text = (f"// MobileNetV2-style network, {size}x{size} input, seeded random weights;\n"
            f"// generated by bench/mobilenet.py.\n"
            f"func.func @main(%image: {t(1, size, size, 3)}) -> {t(1, classes)} {{\n"
            + "\n".join(bld.lines)
            + f"\n  return {logits} : {t(1, classes)}\n}}\n")
    return text, (1, size, size, 3), bld.macs, "\n".join(bld.net) + "\n"


if __name__ == "__main__":
    # mobilenet.py OUT.mlir [SIZE]: the model alone (and OUT.net).
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 112
    text, _, macs, net = mobilenet_v2(np.random.default_rng(2), size)
    with open(sys.argv[1], "w") as f:
        f.write(text)
    with open(sys.argv[1].removesuffix(".mlir") + ".net", "w") as f:
        f.write(net)
    print(f"{macs} MACs")
