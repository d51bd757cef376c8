#!/usr/bin/env python3
"""Independent NumPy reference of the float qops ops, and a checker.

usage: qops_reference.py MODULE ENTRY OP INPUT_SHAPES [KEY=VALUE ...]

Generates seeded random float32 inputs of INPUT_SHAPES ("1x8x8x3,16x3x3x3"),
runs `quant-run MODULE --entry ENTRY` on them (quant-run is found on PATH),
computes OP in float64 NumPy from the same inputs, and prints

    ENTRY: max error <e> relative to max |reference| <r>: ok

when max|out - ref| <= 1e-5 * max|ref| (normwise relative error), or FAIL.
Attributes follow the qops syntax: stride=1,1 pad=1,1,1,1 groups=2 ...
Extra options: batch=N feeds N samples (batch convention), seed=S,
scale=F multiplies the inputs (drawn from [-2, 2)) by F, and clamp_min=A /
clamp_max=B clip the reference result (a fused activation), positive=1
draws every input from [0.25, 2) instead (sqrt, pow, div, reciprocal). For the
quantization ops: exact=1 requires bit-for-bit equality, grid=G rounds the
first input to multiples of G (so that x / s hits exact .5 ties),
input_dtype=int32 with low=/high= draws integer inputs.
Runs under Debian's /usr/bin/python3 (python3-numpy).
"""
import math
import os
import subprocess
import sys
import tempfile

import numpy as np

TOLERANCE = 1e-5


def ints(text):
    return [int(v) for v in text.split(",") if v != ""]


# --------------------------------------------------------------------------
# Reference ops (NHWC activations, OHWI conv weights, [O, K] FC weights)
# --------------------------------------------------------------------------

def window_out(size, lo, hi, k, s, d=1):
    return (size + lo + hi - d * (k - 1) - 1) // s + 1


def conv2d(x, w, b=None, stride="1,1", pad="0,0,0,0", dilation="1,1",
           groups="1"):
    stride, pad, dilation, groups = ints(stride), ints(pad), ints(dilation), int(groups)
    n, h, wd, c = x.shape
    o, kh, kw, cg = w.shape
    xp = np.pad(x, ((0, 0), (pad[0], pad[1]), (pad[2], pad[3]), (0, 0)))
    oh = window_out(h, pad[0], pad[1], kh, stride[0], dilation[0])
    ow = window_out(wd, pad[2], pad[3], kw, stride[1], dilation[1])
    og = o // groups
    out = np.zeros((n, oh, ow, o))
    for g in range(groups):
        xs = xp[..., g * cg:(g + 1) * cg]
        ws = w[g * og:(g + 1) * og]
        for i in range(kh):
            for j in range(kw):
                h0, w0 = i * dilation[0], j * dilation[1]
                patch = xs[:, h0:h0 + stride[0] * (oh - 1) + 1:stride[0],
                           w0:w0 + stride[1] * (ow - 1) + 1:stride[1], :]
                out[..., g * og:(g + 1) * og] += np.einsum(
                    "nhwc,oc->nhwo", patch, ws[:, i, j, :])
    if b is not None:
        out += b
    return out


def matmul(a, b, bias=None):
    out = np.matmul(a, b)
    return out + bias if bias is not None else out


def fully_connected(x, w, b=None):
    out = x @ w.T
    return out + b if b is not None else out


def batch_norm(x, scale, offset, mean, var, epsilon="1e-5"):
    return (x - mean) * scale / np.sqrt(var + float(epsilon)) + offset


def relu(x):
    return np.maximum(x, 0)


def relu6(x):
    return np.clip(x, 0, 6)


def clamp(x, min="0", max="1"):
    return np.clip(x, float(min), float(max))


def leaky_relu(x, alpha="0.1"):
    return np.where(x >= 0, x, float(alpha) * x)


def hardswish(x):
    return x * np.clip(x + 3, 0, 6) / 6


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def tanh(x):
    return np.tanh(x)


def add(a, b):
    return a + b


def mul(a, b):
    return a * b


def sub(a, b):
    return a - b


def div(a, b):
    return a / b


def pow(a, b):
    return np.power(a, b)


def maximum(a, b):
    return np.maximum(a, b)


def minimum(a, b):
    return np.minimum(a, b)


def sqrt(x):
    return np.sqrt(x)


def exp(x):
    return np.exp(x)


def erf(x):
    return np.vectorize(math.erf)(x)


def neg(x):
    return -x


def abs(x):
    return np.abs(x)


def reciprocal(x):
    return 1 / x


def pool_windows(x, kernel, stride, pad, fill, dilation=(1, 1)):
    """Yields the (kh, kw) strided views of x padded with `fill`."""
    n, h, w, c = x.shape
    xp = np.pad(x, ((0, 0), (pad[0], pad[1]), (pad[2], pad[3]), (0, 0)),
                constant_values=fill)
    oh = window_out(h, pad[0], pad[1], kernel[0], stride[0], dilation[0])
    ow = window_out(w, pad[2], pad[3], kernel[1], stride[1], dilation[1])
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            h0, w0 = i * dilation[0], j * dilation[1]
            yield xp[:, h0:h0 + stride[0] * (oh - 1) + 1:stride[0],
                     w0:w0 + stride[1] * (ow - 1) + 1:stride[1], :]


def max_pool2d(x, kernel, stride, pad, dilation="1,1"):
    kernel, stride, pad = ints(kernel), ints(stride), ints(pad)
    return np.max(np.stack(list(pool_windows(x, kernel, stride, pad, -np.inf,
                                             ints(dilation)))), axis=0)


def resize_nearest(x, rows, cols):
    """output[n, i, j, c] = x[n, rows[i], cols[j], c]."""
    return x[:, ints(rows)][:, :, ints(cols)]


def resize_bilinear(x, rows, row_weights, cols, col_weights):
    """Rows (r0, r1) and columns (c0, c1) pairs, the weight of r1 / c1."""
    r, c = np.array(ints(rows)), np.array(ints(cols))
    a = np.array([float(v) for v in row_weights.split(",")])[None, :, None, None]
    b = np.array([float(v) for v in col_weights.split(",")])[None, None, :, None]
    top, bottom = x[:, r[0::2]], x[:, r[1::2]]
    blend = lambda t: (1 - b) * t[:, :, c[0::2]] + b * t[:, :, c[1::2]]
    return (1 - a) * blend(top) + a * blend(bottom)


def avg_pool2d(x, kernel, stride, pad, count_include_pad="0"):
    kernel, stride, pad = ints(kernel), ints(stride), ints(pad)
    total = sum(pool_windows(x, kernel, stride, pad, 0.0))
    if int(count_include_pad):
        return total / (kernel[0] * kernel[1])
    count = sum(pool_windows(np.ones_like(x), kernel, stride, pad, 0.0))
    return total / count


def global_avg_pool(x):
    return np.mean(x, axis=(1, 2), keepdims=True)


def reshape(x, shape):
    return x.reshape([int(v) for v in shape.split("x")])


def flatten(x, axis):
    axis = int(axis)
    lead = int(np.prod(x.shape[:axis]))
    return x.reshape(lead, -1)


def concat(*xs, axis):
    return np.concatenate(xs, axis=int(axis))


def pad(x, pad, value="0", mode="constant"):
    p = ints(pad)
    widths = [(p[2 * i], p[2 * i + 1]) for i in range(x.ndim)]
    if mode != "constant":  # NumPy's reflect and edge are ONNX's
        return np.pad(x, widths, mode=mode)
    return np.pad(x, widths, constant_values=float(value))


def transpose(x, perm):
    return np.transpose(x, ints(perm))


def softmax(x, axis):
    e = np.exp(x - np.max(x, axis=int(axis), keepdims=True))
    return e / np.sum(e, axis=int(axis), keepdims=True)


# Quantization (the contract's numerics, in float32 like the compiler):
# q = clip(round_half_even(x / s) + z, qmin, qmax); x = (q - z) * s.

def per_axis(values, x, axis):
    """A parameter list broadcast along `axis` of x (or a scalar)."""
    v = np.array([float(t) for t in values.split(",")], dtype=np.float32)
    if int(axis) < 0:
        return v[0]
    shape = [1] * x.ndim
    shape[int(axis)] = v.size
    return v.reshape(shape)


def quantize(x, scale, zero_point, qmin, qmax, axis="-1"):
    s = per_axis(scale, x, axis)
    z = per_axis(zero_point, x, axis)
    q = np.round(x.astype(np.float32) / s) + z  # numpy rounds half to even
    return np.clip(q, float(qmin), float(qmax)).astype(np.int64)


def fake_quant(x, scale, zero_point, qmin, qmax, axis="-1"):
    q = quantize(x, scale, zero_point, qmin, qmax, axis).astype(np.float32)
    s = per_axis(scale, x, axis)
    z = per_axis(zero_point, x, axis)
    return ((q - z) * s).astype(np.float32)


def requantize(q, scale_in, zero_point_in, scale_out, zero_point_out, qmin,
               qmax, axis="-1"):
    s_in = np.array([float(t) for t in scale_in.split(",")])
    ratio = (s_in / float(scale_out)).astype(np.float32)  # compile time, f64
    if int(axis) >= 0:
        shape = [1] * q.ndim
        shape[int(axis)] = ratio.size
        ratio = ratio.reshape(shape)
    else:
        ratio = ratio[0]
    z_in = per_axis(zero_point_in, q, axis)
    v = (q.astype(np.float32) - z_in) * ratio
    out = np.round(v) + np.float32(zero_point_out)
    return np.clip(out, float(qmin), float(qmax)).astype(np.int64)


# --------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------

def main(argv):
    if len(argv) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    module, entry, op, shapes = argv[1:5]
    attrs = dict(a.split("=", 1) for a in argv[5:])
    batch = int(attrs.pop("batch", "1"))
    input_scale = float(attrs.pop("scale", "1")) if op not in (
        "quantize", "fake_quant") else float(attrs.pop("input_scale", "1"))
    exact = attrs.pop("exact", "0") == "1"
    grid = float(attrs.pop("grid", "0"))
    input_dtype = attrs.pop("input_dtype", "float32")
    positive = attrs.pop("positive", "0") == "1"
    low, high = int(attrs.pop("low", "-1000")), int(attrs.pop("high", "1000"))
    rng = np.random.default_rng(int(attrs.pop("seed", "0")))
    shapes = [[int(d) for d in s.split("x")] for s in shapes.split(",")]

    # Positive values for variances; everything else in [-2, 2).
    arrays = []
    for i, shape in enumerate(shapes):
        low = 0.1 if op == "batch_norm" and i == 4 else -2.0
        low = 0.25 if positive else low
        arrays.append(rng.uniform(low, 2.0, size=shape).astype(np.float32))
    if batch != 1:
        arrays[0] = rng.uniform(-2, 2, size=[batch] + shapes[0][1:]).astype(np.float32)
    arrays[0] = (arrays[0] * input_scale).astype(np.float32)
    if grid:
        arrays[0] = (np.round(arrays[0] / grid) * grid).astype(np.float32)
    if input_dtype == "int32":
        arrays[0] = rng.integers(low, high, size=shapes[0]).astype(np.int32)

    with tempfile.TemporaryDirectory() as tmp:
        cmd = ["quant-run", module, "--entry", entry]
        for i, a in enumerate(arrays):
            path = os.path.join(tmp, f"in{i}.npy")
            np.save(path, a)
            cmd += ["--input", path]
        out_path = os.path.join(tmp, "out.npy")
        cmd += ["--output", out_path]
        run = subprocess.run(cmd, capture_output=True, text=True)
        if run.returncode != 0:
            print(f"{entry}: quant-run failed:\n{run.stderr}")
            return 1
        out = np.load(out_path)

    clamp_min = float(attrs.pop("clamp_min", "-inf"))
    clamp_max = float(attrs.pop("clamp_max", "inf"))
    op_reference = globals()[op]

    def reference(*args, **kwargs):
        return np.clip(op_reference(*args, **kwargs), clamp_min, clamp_max)

    # Quantization references compute in float32 like the contract.
    inputs64 = [a if op in ("quantize", "fake_quant", "requantize")
                else a.astype(np.float64) for a in arrays]
    if batch != 1:
        ref = np.concatenate([reference(inputs64[0][k:k + 1], *inputs64[1:], **attrs)
                              for k in range(batch)])
    else:
        ref = reference(*inputs64, **attrs)
    if out.shape != ref.shape:
        print(f"{entry}: FAIL shape {out.shape} != reference {ref.shape}")
        return 1
    scale = max(float(np.max(np.abs(ref))), 1e-30)
    err = float(np.max(np.abs(out.astype(np.float64) - ref)))
    ok = err == 0 if exact else err <= TOLERANCE * scale
    print(f"{entry}: max error {err:.3g} relative to max |reference| "
          f"{scale:.3g}: {'ok' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
