#!/usr/bin/env python3
"""Writes an N-op qops chain (@main: 1x16 f32 -> 1x16 f32, ops named op<i>)
and, with --npy, calibration samples for it.

Usage: chain.py N out.mlir [--npy x.npy [--samples S]]
       chain.py N --check x.npy y.npy   (prints whether y is the chain of x)
The chain cycles through mul by a constant, add of a constant and relu, so
every value stays finite and every op is a tensor to calibrate."""

import sys


def reference(n, x):
    import numpy as np
    y = x.astype(np.float32)
    for i in range(n):
        if i % 3 == 0:
            y = y * np.float32(0.5)
        elif i % 3 == 1:
            y = y + np.float32(0.25)
        else:
            y = np.maximum(y, np.float32(0))
    return y


def main(argv):
    n = int(argv[1])
    if argv[2] == "--check":
        import numpy as np
        y = reference(n, np.load(argv[3]))
        print("equal", bool(np.array_equal(y, np.load(argv[4]))))
        return
    path = argv[2]
    npy = argv[argv.index("--npy") + 1] if "--npy" in argv else None
    samples = int(argv[argv.index("--samples") + 1]) if "--samples" in argv else 4
    t = "tensor<1x16xf32>"
    lines = [f"func.func @main(%x: {t}) -> {t} {{",
             "  %scale = arith.constant dense<0.5> : tensor<16xf32>",
             "  %shift = arith.constant dense<0.25> : tensor<16xf32>"]
    prev = "%x"
    for i in range(n):
        kind = i % 3
        if kind == 0:
            op = f"qops.mul {prev}, %scale : ({t}, tensor<16xf32>) -> {t}"
        elif kind == 1:
            op = f"qops.add {prev}, %shift : ({t}, tensor<16xf32>) -> {t}"
        else:
            op = f"qops.relu {prev} : {t}"
        lines.append(f'  %v{i} = {op} loc("op{i}")')
        prev = f"%v{i}"
    lines.append(f"  return {prev} : {t}")
    lines.append("}")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    if npy:
        import numpy as np
        x = np.linspace(-4, 4, samples * 16, dtype=np.float32).reshape(samples, 16)
        np.save(npy, x)


if __name__ == "__main__":
    main(sys.argv)
