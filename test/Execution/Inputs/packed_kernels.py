#!/usr/bin/env python3
"""Exactness of the packed int8 kernels: integer conv2d / fully_connected /
matmul programs of many shapes (register-tile remainders, output channels
not a multiple of the vector width, input channels not a multiple of 4,
strides, dilation, 1x1 convolutions, matrix-vector products, grouped
convolutions), u8 and i8
activations, per-tensor and per-channel weights, float and fixed-point
requantization, fused clamps. Each is compiled with the packed kernels for
four targets (the host, an AVX-VNNI CPU: 8-lane vpdpbusd, an AVX-512BW CPU
without VNNI and an AVX2 one: the portable form on 16 and 8 lanes) and with the generic integer linalg
lowering (packed-kernels=false), run on random storage integers, and the
outputs are compared exactly.

packed_kernels.py BIN_DIR WORK_DIR. Run with /usr/bin/python3 (numpy).
"""
import os
import subprocess
import sys

import numpy as np

BIN, WORK = sys.argv[1], sys.argv[2]
os.makedirs(WORK, exist_ok=True)
rng = np.random.default_rng(88)

TARGETS = {"host": "host", "avxvnni": "alderlake", "avx512bw": "skylake-avx512",
           "avx2": "haswell"}


def qtype(storage, scale, zp):
    return f"!quant.uniform<{storage}:f32, {scale!r}:{zp}>"


def wtype(scales):
    if len(scales) == 1:
        return f"!quant.uniform<i8<-127:127>:f32, {scales[0]!r}>"
    return ("!quant.uniform<i8<-127:127>:f32:0, {" +
            ",".join(repr(s) for s in scales) + "}>")


def dense(a):
    return "dense<" + np.array2string(
        a, separator=", ", threshold=1 << 40,
        formatter={"float_kind": lambda v: repr(float(v))}) + ">"


def tensor(shape, elem):
    return "tensor<" + "x".join(str(d) for d in shape) + "x" + elem + ">"


def case(name, op, in_shape, w_shape, out_shape, signed, per_channel, clamp,
         fixed, attrs="", groups=1):
    """Writes one function and returns (file, input file, input dtype)."""
    o = w_shape[0] if op != "matmul" else w_shape[1]
    in_storage, in_zp = ("i8", int(rng.integers(-20, 20))) if signed else \
        ("u8", int(rng.integers(0, 40)))
    in_t = qtype(in_storage, 0.05, in_zp)
    scales = [float(s) for s in rng.uniform(0.002, 0.01, o if per_channel else 1)]
    w_q = rng.integers(-127, 128, w_shape)
    # The quantized weight as the float constant qops.quantize maps back
    # onto exactly these integers.
    scale_axis = np.array(scales).reshape(
        [-1] + [1] * (len(w_shape) - 1)) if per_channel and op != "matmul" \
        else np.array(scales).reshape([1] * (len(w_shape) - 1) + [-1]) \
        if per_channel else np.array(scales[0])
    w_f = (w_q * scale_axis).astype(np.float32)
    if per_channel and op == "matmul":
        w_qt = ("!quant.uniform<i8<-127:127>:f32:1, {" +
                ",".join(repr(s) for s in scales) + "}>")
    else:
        w_qt = wtype(scales)
    b_q = rng.integers(-3000, 3000, o)
    b_scales = [0.05 * s for s in scales]
    b_f = (b_q * np.array(b_scales if per_channel else b_scales * o)).astype(np.float32)
    if per_channel:
        b_qt = ("!quant.uniform<i32:f32:0, {" +
                ",".join(repr(s) for s in b_scales) + "}>")
    else:
        b_qt = f"!quant.uniform<i32:f32, {b_scales[0]!r}>"
    out_storage, out_zp = ("i8", int(rng.integers(-10, 10))) if signed else \
        ("u8", int(rng.integers(0, 30)))
    out_t = qtype(out_storage, float(rng.uniform(0.05, 0.2)), out_zp)
    clamp_attr = " {clamp_min = 0.0 : f32, clamp_max = 6.0 : f32}" if clamp else ""
    x_t, w_tt, b_tt, y_t = (tensor(in_shape, in_t), tensor(w_shape, w_qt),
                            tensor([o], b_qt), tensor(out_shape, out_t))
    wf_t, bf_t = tensor(w_shape, "f32"), tensor([o], "f32")
    if op == "conv":
        body = (f"%y = qops.conv2d %x, %w, %b {attrs} groups {groups}{clamp_attr}\n"
                f"       : ({x_t}, {w_tt}, {b_tt}) -> {y_t}")
    elif op == "fc":
        body = (f"%y = qops.fully_connected %x, %w, %b{clamp_attr}"
                f" : ({x_t}, {w_tt}, {b_tt}) -> {y_t}")
    else:
        body = (f"%y = qops.matmul %x, %w{clamp_attr}"
                f" : ({x_t}, {w_tt}) -> {y_t}")
    requant = ' attributes {qops.requant = "fixed-point"}' if fixed else ""
    text = f"""func.func @main(%x: {x_t}) -> {y_t}{requant} {{
  %wf = arith.constant {dense(w_f)} : {wf_t}
  %w = qops.quantize %wf : {wf_t} -> {w_tt}
  %bf = arith.constant {dense(b_f)} : {bf_t}
  %b = qops.quantize %bf : {bf_t} -> {b_tt}
  {body}
  return %y : {y_t}
}}
"""
    path = os.path.join(WORK, name + ".mlir")
    with open(path, "w") as f:
        f.write(text)
    dtype = np.int8 if signed else np.uint8
    info = np.iinfo(dtype)
    x = rng.integers(info.min, info.max + 1, in_shape).astype(dtype)
    np.save(os.path.join(WORK, name + "_x.npy"), x)
    return path


def conv_case(name, h, w, c, o, k, s, p, d, depthwise=False, groups=1, **kw):
    oh = (h + 2 * p - d * (k - 1) - 1) // s + 1
    ow = (w + 2 * p - d * (k - 1) - 1) // s + 1
    attrs = f"stride [{s}, {s}] pad [{p}, {p}, {p}, {p}] dilation [{d}, {d}]"
    if depthwise:
        groups = c
    return case(name, "conv", [1, h, w, c], [o, k, k, c // groups],
                [1, oh, ow, o], attrs=attrs, groups=groups, **kw)


def run(cmd):
    subprocess.run(cmd, check=True)


cases = []
for signed in (False, True):
    for fixed in (False, True):
        tag = ("i8" if signed else "u8") + ("_fixed" if fixed else "_float")
        common = dict(signed=signed, fixed=fixed)
        cases += [
            conv_case(f"conv3x3_{tag}", 7, 9, 12, 40, 3, 1, 1, 1,
                      per_channel=True, clamp=True, **common),
            conv_case(f"conv3x3s2_{tag}", 9, 11, 3, 20, 3, 2, 1, 1,
                      per_channel=True, clamp=False, **common),
            conv_case(f"conv_dil_{tag}", 8, 8, 8, 17, 3, 1, 2, 2,
                      per_channel=False, clamp=False, **common),
            conv_case(f"conv1x1_{tag}", 5, 7, 20, 70, 1, 1, 0, 1,
                      per_channel=True, clamp=True, **common),
            case(f"fc_m1_{tag}", "fc", [1, 50], [135, 50], [1, 135],
                 per_channel=True, clamp=False, **common),
            case(f"fc_{tag}", "fc", [13, 36], [33, 36], [13, 33],
                 per_channel=False, clamp=True, **common),
            case(f"matmul_{tag}", "matmul", [11, 24], [24, 48], [11, 48],
                 per_channel=True, clamp=False, **common),
            conv_case(f"dw3x3_{tag}", 9, 13, 40, 40, 3, 1, 1, 1,
                      depthwise=True, per_channel=True, clamp=True, **common),
            conv_case(f"dw3x3s2_{tag}", 10, 11, 24, 24, 3, 2, 1, 1,
                      depthwise=True, per_channel=False, clamp=False,
                      **common),
        ]
        if signed == fixed:
            continue
        # Grouped convolutions: 8 channels per group (RegNet's width; two
        # groups per 16-lane block, a partial last block reading past the
        # input's channels), 32 per group (blocks within one group, stride
        # 2), 4 per group in a 1x1 (four groups per 16-lane block).
        cases += [
            conv_case(f"g8_3x3_{tag}", 7, 9, 40, 40, 3, 1, 1, 1, groups=5,
                      per_channel=True, clamp=True, **common),
            conv_case(f"g32_3x3s2_{tag}", 9, 9, 64, 64, 3, 2, 1, 1,
                      groups=2, per_channel=True, clamp=False, **common),
            conv_case(f"g4_1x1_{tag}", 5, 6, 24, 24, 1, 1, 0, 1, groups=6,
                      per_channel=False, clamp=True, **common),
        ]

def outputs(path):
    """The program's output lowered without the packed kernels (the
    reference), then with them for each target: (reference, [(target,
    output)])."""
    name = os.path.basename(path)[:-5]
    x = os.path.join(WORK, name + "_x.npy")

    def lower_and_run(source, tag, *passes):
        lowered = os.path.join(WORK, f"{name}.{tag}.mlir")
        run([os.path.join(BIN, "quant-opt"), source, *passes, "-o", lowered])
        out = os.path.join(WORK, f"{name}.{tag}.npy")
        run([os.path.join(BIN, "quant-run"), lowered, "--input", x,
             "--output", out])
        return np.load(out)

    # The reference: the signature recorded before the generic lowering.
    generic = os.path.join(WORK, name + ".generic.mlir")
    run([os.path.join(BIN, "quant-opt"), path, "--qops-record-signature",
         "--convert-qops-to-linalg=packed-kernels=false", "-o", generic])
    ref = lower_and_run(generic, "ref", "--qops-to-llvm")
    return ref, [(t, lower_and_run(path, t, f"--qops-to-llvm=target-cpu={cpu}"))
                 for t, cpu in TARGETS.items()]


total_cases = total_values = 0
bad = []
for path in cases:
    name = os.path.basename(path)[:-5]
    ref, runs = outputs(path)
    for tname, got in runs:
        total_cases += 1
        total_values += got.size
        if got.shape != ref.shape or (got != ref).any():
            bad.append(f"{name} on {tname}: "
                       f"{int((got != ref).sum())}/{got.size} differ")
print(f"packed kernel runs: {total_cases}, values compared: {total_values}")
print(f"mismatching runs: {len(bad)}")
for line in bad:
    print("  " + line)


# Float kernels (FMAs on packed f32 weights; depthwise along channels)
# against the linalg lowering: the same products, summed in another order,
# so equal up to f32 rounding.
def float_case(name, op, in_shape, w_shape, out_shape, attrs="", groups=1):
    o = out_shape[-1]
    w = rng.uniform(-1, 1, w_shape).astype(np.float32)
    b = rng.uniform(-1, 1, o).astype(np.float32)
    x_t, w_t, b_t, y_t = (tensor(in_shape, "f32"), tensor(w_shape, "f32"),
                          tensor([o], "f32"), tensor(out_shape, "f32"))
    clamp = " {clamp_min = 0.0 : f32, clamp_max = 6.0 : f32}"
    if op == "conv":
        body = (f"%y = qops.conv2d %x, %w, %b {attrs} groups {groups}{clamp}"
                f" : ({x_t}, {w_t}, {b_t}) -> {y_t}")
    elif op == "fc":
        body = (f"%y = qops.fully_connected %x, %w, %b{clamp}"
                f" : ({x_t}, {w_t}, {b_t}) -> {y_t}")
    else:
        body = f"%y = qops.matmul %x, %w : ({x_t}, {w_t}) -> {y_t}"
    text = f"""func.func @main(%x: {x_t}) -> {y_t} {{
  %w = arith.constant {dense(w)} : {w_t}
  %b = arith.constant {dense(b)} : {b_t}
  {body}
  return %y : {y_t}
}}
"""
    path = os.path.join(WORK, name + ".mlir")
    with open(path, "w") as f:
        f.write(text)
    np.save(os.path.join(WORK, name + "_x.npy"),
            rng.uniform(-1, 1, in_shape).astype(np.float32))
    return path


def conv_attrs(s, p, d):
    return f"stride [{s}, {s}] pad [{p}, {p}, {p}, {p}] dilation [{d}, {d}]"


float_cases = [
    float_case("f32_conv3x3", "conv", [1, 7, 9, 12], [40, 3, 3, 12],
               [1, 7, 9, 40], conv_attrs(1, 1, 1)),
    float_case("f32_conv3x3s2", "conv", [1, 9, 11, 3], [20, 3, 3, 3],
               [1, 5, 6, 20], conv_attrs(2, 1, 1)),
    float_case("f32_conv1x1", "conv", [1, 5, 7, 20], [70, 1, 1, 20],
               [1, 5, 7, 70], conv_attrs(1, 0, 1)),
    float_case("f32_fc_m1", "fc", [1, 50], [135, 50], [1, 135]),
    float_case("f32_fc", "fc", [13, 36], [33, 36], [13, 33]),
    float_case("f32_matmul", "matmul", [11, 24], [24, 48], [11, 48]),
    float_case("f32_dw3x3s2", "conv", [1, 10, 11, 40], [40, 3, 3, 1],
               [1, 5, 6, 40], conv_attrs(2, 1, 1), groups=40),
    float_case("f32_g8_3x3", "conv", [1, 7, 9, 40], [40, 3, 3, 8],
               [1, 7, 9, 40], conv_attrs(1, 1, 1), groups=5),
    float_case("f32_g2_3x3", "conv", [1, 6, 7, 6], [32, 3, 3, 3],
               [1, 6, 7, 32], conv_attrs(1, 1, 1), groups=2),
]
float_runs = 0
worst = 0.0
for path in float_cases:
    ref, runs = outputs(path)
    for _, got in runs:
        float_runs += 1
        worst = max(worst, float(np.abs(got - ref).max() /
                                 max(np.abs(ref).max(), 1e-30)))
print(f"float kernel runs: {float_runs}, "
      f"max |difference| / max |reference| below 1e-6: {worst < 1e-6}")
