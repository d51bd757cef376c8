#!/usr/bin/env python3
"""Integer average pooling at and beyond the i32 bound of its window sums.

Usage: pool_bound.py BIN_DIR WORK_DIR

A window of n values q - z (|q - z| <= m) sums to at most n m: i32 holds it
while n m + 1 <= 2^31 - 1. For 16-bit activations (m = 65535) that is
n <= 32767 (a 181x181 window fits, 182x182 does not); for 8-bit (m = 255)
n <= 8421503 (2901x2901 fits, 2902x2902 does not). Beyond, the lowering
accumulates in i64 and narrows with a rounding shift.

Each case quantizes a float input, pools it (global_avg_pool, avg_pool2d
with the whole image as window, or reduce_mean over H and W), dequantizes, and runs under quant-run in
both requantization modes. Input all 1.0 (the largest value) must give
exactly 1.0; a random input is compared with the exact formula
round(sum(q - z) s / (n s)) + z evaluated in integers by numpy. Prints
"<case> <mode>: ones -> <value>, random <equal>/<total> equal, max <d> quanta".
"""
import os
import subprocess
import sys

import numpy as np

BIN, WORK = sys.argv[1], sys.argv[2]
os.makedirs(WORK, exist_ok=True)
rng = np.random.default_rng(2)


def case(name, storage, side, channels, pool):
    bits = int(storage[1:])
    qmin, qmax = (0, 2**bits - 1) if storage[0] == "u" else (-2**(bits - 1), 2**(bits - 1) - 1)
    zp = qmin  # the range [0, 1]
    scale = 1.0 / (qmax - qmin)
    qt = f"!quant.uniform<{storage}:f32, {scale!r}{':' + str(zp) if zp else ''}>"
    x = f"tensor<1x{side}x{side}x{channels}xf32>"
    xq = f"tensor<1x{side}x{side}x{channels}x{qt}>"
    y = f"tensor<1x1x1x{channels}xf32>"
    yq = f"tensor<1x1x1x{channels}x{qt}>"
    if pool == "global":
        op = f"qops.global_avg_pool %q : {xq} -> {yq}"
    elif pool == "reduce":
        op = f"qops.reduce_mean %q axes [1, 2] keepdims : {xq} -> {yq}"
    else:
        op = (f"qops.avg_pool2d %q kernel [{side}, {side}] stride [1, 1] "
              f"pad [0, 0, 0, 0] : {xq} -> {yq}")
    ones = np.ones((1, side, side, channels), np.float32)
    rand = rng.random((1, side, side, channels), dtype=np.float32)
    q = np.clip(np.round(rand.astype(np.float64) / np.float32(scale)) + zp, qmin, qmax).astype(np.int64)
    n = side * side
    sums = (q - zp).sum(axis=(1, 2))
    want_q = np.clip(np.floor(sums / n + 0.5) + zp, qmin, qmax)  # exact: s_in == s_out
    for mode in ("float", "fixed-point"):
        path = os.path.join(WORK, f"{name}_{mode}")
        with open(path + ".mlir", "w") as f:
            f.write(f'func.func @main(%x: {x}) -> {y} attributes {{qops.requant = "{mode}"}} {{\n'
                    f"  %q = qops.quantize %x : {x} -> {xq}\n"
                    f"  %p = {op}\n"
                    f"  %y = qops.dequantize %p : {yq} -> {y}\n"
                    f"  return %y : {y}\n}}\n")
        got = {}
        for key, data in (("ones", ones), ("random", rand)):
            np.save(f"{path}.{key}.npy", data)
            subprocess.run([os.path.join(BIN, "quant-run"), path + ".mlir",
                            "--input", f"{path}.{key}.npy",
                            "--output", f"{path}.{key}.out.npy"], check=True)
            got[key] = np.load(f"{path}.{key}.out.npy").ravel()
        got_q = np.round(got["random"].astype(np.float64) / np.float32(scale)) + zp
        diff = np.abs(got_q - want_q.ravel())
        print(f"{name} {mode}: ones -> {sorted(set(got['ones'].tolist()))}, random "
              f"{int((diff == 0).sum())}/{diff.size} equal, max {int(diff.max())} quanta")


case("u16_global_181", "u16", 181, 4, "global")
case("u16_global_182", "u16", 182, 4, "global")
case("i16_global_300", "i16", 300, 2, "global")
case("u16_window_182", "u16", 182, 2, "window")
case("u16_reduce_181", "u16", 181, 2, "reduce")
case("u16_reduce_182", "u16", 182, 2, "reduce")
case("u8_global_2901", "u8", 2901, 1, "global")
case("u8_global_2902", "u8", 2902, 1, "global")
