#!/usr/bin/env python3
"""usage: compare.py OBJECT_OUT.raw QUANT_RUN_OUT.npy TOLERANCE

Compares the raw float32 outputs of a compiled object with quant-run's .npy
(same shape) and prints the maximum absolute difference."""
import sys

import numpy as np

raw = np.fromfile(sys.argv[1], dtype=np.float32)
ref = np.load(sys.argv[2])
tolerance = float(sys.argv[3])
if raw.size != ref.size:
    print(f"FAIL: {raw.size} values from the object, {ref.size} from quant-run")
    sys.exit(1)
diff = float(np.max(np.abs(raw - ref.reshape(-1))))
print(f"{ref.shape[0]} samples, max |object - quant-run| = {diff:.3g}: "
      f"{'ok' if diff <= tolerance else 'FAIL'}")
sys.exit(0 if diff <= tolerance else 1)
