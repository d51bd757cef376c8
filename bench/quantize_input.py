#!/usr/bin/env python3
"""Quantizes a float .npy input with the input parameters of an
integer-I/O int8 program (its `@main` signature's first
`!quant.uniform<u8|i8:f32, scale:zero_point>`), as the previous int8 layer
would have produced it: quantize_input.py PROGRAM.mlir IN.npy OUT.npy.
Run with Debian's python: /usr/bin/python3.
"""
import re
import sys

import numpy as np

program, src, dst = sys.argv[1:4]
text = open(program).read()
match = re.search(r"func\.func @main\(%\w+: tensor<[0-9x]+x!quant\.uniform<"
                  r"(u8|i8):f32, ([0-9.eE+-]+)(?::(-?[0-9]+))?>>", text)
if not match:
    sys.exit(f"{program}: no u8/i8 per-tensor input in @main's signature")
storage, scale, zero = match.group(1), float(match.group(2)), \
    int(match.group(3) or 0)
lo, hi, dtype = (0, 255, np.uint8) if storage == "u8" else (-128, 127, np.int8)
x = np.load(src).astype(np.float32)
q = np.clip(np.rint(x / np.float32(scale)) + zero, lo, hi).astype(dtype)
np.save(dst, q)
