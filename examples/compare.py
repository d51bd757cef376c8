#!/usr/bin/env python3
"""usage: compare.py [--npy] OUTPUT REFERENCE.npy TOLERANCE

Compares OUTPUT (raw float32 from a compiled object, or a .npy with --npy)
with a reference .npy of the same size and prints the maximum absolute
difference; relative to max |reference| when comparing .npy files."""
import sys

import numpy as np

args = sys.argv[1:]
as_npy = args[0] == "--npy"
if as_npy:
    args = args[1:]
out = np.load(args[0]) if as_npy else np.fromfile(args[0], dtype=np.float32)
ref = np.load(args[1])
tolerance = float(args[2])
if out.size != ref.size:
    print(f"FAIL: {out.size} values, {ref.size} in the reference")
    sys.exit(1)
diff = float(np.max(np.abs(out.reshape(-1).astype(np.float64) - ref.reshape(-1))))
if as_npy:
    diff /= max(float(np.max(np.abs(ref))), 1e-30)
    what = "max relative difference"
else:
    what = "max |object - quant-run|"
print(f"{ref.shape[0]} samples, {what} = {diff:.3g}: "
      f"{'ok' if diff <= tolerance else 'FAIL'}")
sys.exit(0 if diff <= tolerance else 1)
