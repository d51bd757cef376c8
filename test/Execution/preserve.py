#!/usr/bin/env python3
"""Checks that passes preserve a function's numbers.

usage: preserve.py MODULE ENTRY INPUT_SHAPES PASS...

Runs `quant-run MODULE --entry ENTRY` on seeded random float32 inputs of
INPUT_SHAPES ("1x8x8x3,4"; uniform in [-2, 2)), then `quant-opt PASS...
MODULE`, runs the result the same way, and prints

    ENTRY: <before ops> -> <after ops>, max difference <d> relative to max |output| <m>: ok

when max|after - before| <= 1e-5 * max|before| for every output, or FAIL.
quant-run and quant-opt are found on PATH.
"""
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

TOLERANCE = 1e-5


def run(cmd):
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        print(f"FAIL: {' '.join(cmd)}\n{result.stderr}")
        sys.exit(1)
    return result


def count_ops(path, entry):
    """qops ops in function @entry of a module printed by quant-opt."""
    text = open(path).read()
    start = text.index(f"func.func @{entry}(")
    body = text[start:text.index("\n  }\n", start)]
    return len(re.findall(r"= qops\.[a-z0-9_]+", body))


def main(argv):
    if len(argv) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    module, entry, shapes, passes = argv[1], argv[2], argv[3], argv[4:]
    rng = np.random.default_rng(7)
    with tempfile.TemporaryDirectory() as tmp:
        inputs = []
        for i, shape in enumerate(shapes.split(",")):
            path = os.path.join(tmp, f"in{i}.npy")
            dims = [int(d) for d in shape.split("x")]
            np.save(path, rng.uniform(-2, 2, size=dims).astype(np.float32))
            inputs += ["--input", path]
        printed = os.path.join(tmp, "before.mlir")
        run(["quant-opt", module, "-o", printed])
        transformed = os.path.join(tmp, "after.mlir")
        run(["quant-opt", *passes, module, "-o", transformed])
        outputs = {}
        for name, path in (("before", module), ("after", transformed)):
            out = os.path.join(tmp, f"{name}.npy")
            run(["quant-run", path, "--entry", entry, *inputs, "--output", out])
            outputs[name] = np.load(out).astype(np.float64)
        ops_before = count_ops(printed, entry)
        ops_after = count_ops(transformed, entry)
    scale = max(float(np.max(np.abs(outputs["before"]))), 1e-30)
    diff = float(np.max(np.abs(outputs["after"] - outputs["before"])))
    ok = diff <= TOLERANCE * scale
    print(f"{entry}: {ops_before} -> {ops_after} qops ops, max difference "
          f"{diff:.3g} relative to max |output| {scale:.3g}: "
          f"{'ok' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
