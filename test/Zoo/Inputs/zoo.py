#!/usr/bin/python3
"""One torchvision architecture through the whole chain, as a user runs it.

Usage: zoo.py MODEL RESOLUTION BIN_DIR SRC_DIR WORK_DIR

Exports MODEL (random weights from seed 0, eval mode, opset 13, a
1 x 3 x R x R input; bench/export_torchvision.py) with 8 calibration images
and one test image, then:

  fp32: --import-onnx, --fold-bn --fuse-activations, quant-run, compared
        with PyTorch's own output (max |diff| / max |torch|);
  int8: --fold-bn --quantize-int8="calibration=...", counting the ops left
        in float between dequantize and quantize (remarks), run with
        quant-run and compared with fp32 (SQNR in dB; with random weights
        the top-1 class is a near-tie and not a measure);
  objects: both programs lowered (--qops-to-llvm), emitted
        (quant-translate --emit-obj) and linked with bench/time_object.c,
        which calls model_main with the default allocator and checks its
        output against quant-run's byte for byte.

Prints, for FileCheck:

  MODEL fp32: max relative difference to PyTorch below 1e-4: yes (D)
  MODEL int8: float islands N, requantizations R, SQNR vs fp32 above T dB:
    yes (S dB)
  MODEL objects: fp32 equal, int8 equal, page faults per call 0.0 / 0.0
"""
import os
import re
import subprocess
import sys

import numpy as np

MODEL, RES, BIN, SRC, WORK = (sys.argv[1], int(sys.argv[2]), sys.argv[3],
                              sys.argv[4], sys.argv[5])
SQNR_FLOOR = 15.0
os.makedirs(WORK, exist_ok=True)


def run(*args, stderr=subprocess.PIPE):
    result = subprocess.run(args, stdout=subprocess.PIPE, stderr=stderr,
                            text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stderr or "")
        sys.exit(f"zoo: {' '.join(args[:2])} failed")
    return result


def tool(name):
    return os.path.join(BIN, name)


base = os.path.join(WORK, MODEL)
run("/usr/bin/python3", os.path.join(SRC, "bench", "export_torchvision.py"),
    MODEL, str(RES), WORK)
run(tool("quant-translate"), "--import-onnx", base + ".onnx", "-o",
    base + ".mlir")

# fp32 against PyTorch.
run(tool("quant-opt"), "--fold-bn", "--fuse-activations", base + ".mlir",
    "-o", base + ".fp32.mlir")
run(tool("quant-run"), base + ".fp32.mlir", "--input", base + "_input.npy",
    "--output", base + "_fp32.npy")
torch_out = np.load(base + "_torch.npy").astype(np.float64)
fp32 = np.load(base + "_fp32.npy").astype(np.float64)
rel = np.abs(fp32 - torch_out).max() / np.abs(torch_out).max()
print(f"{MODEL} fp32: max relative difference to PyTorch below 1e-4: "
      f"{'yes' if rel < 1e-4 else 'NO'} ({rel:.1e})")

# int8 against fp32.
log = run(tool("quant-opt"), "--fold-bn",
          f"--quantize-int8=calibration={base}_calib.npy", "--remark-detail=all",
          base + ".mlir", "-o", base + ".int8.mlir").stderr
islands = len(re.findall(r"remark: stays in float", log))
run(tool("quant-run"), base + ".int8.mlir", "--input", base + "_input.npy",
    "--output", base + "_int8.npy")
int8 = np.load(base + "_int8.npy").astype(np.float64)
sqnr = 10 * np.log10((fp32 ** 2).sum() / max(((int8 - fp32) ** 2).sum(),
                                              1e-300))
with open(base + ".int8.mlir") as f:
    requantizations = f.read().count("qops.requantize")
print(f"{MODEL} int8: float islands {islands}, requantizations "
      f"{requantizations}, SQNR vs fp32 above "
      f"{SQNR_FLOOR:g} dB: {'yes' if sqnr > SQNR_FLOOR else 'NO'} "
      f"({sqnr:.1f} dB)")

# Objects, called from C, against quant-run.
verdicts, faults = [], []
for precision, expected in (("fp32", base + "_fp32.npy"),
                            ("int8", base + "_int8.npy")):
    stem = f"{base}.{precision}"
    run(tool("quant-opt"), "--qops-to-llvm", stem + ".mlir", "-o",
        stem + ".llvm.mlir")
    run(tool("quant-translate"), "--emit-obj", stem + ".llvm.mlir", "-o",
        stem + ".o")
    run("cc", "-O2", os.path.join(SRC, "bench", "time_object.c"), stem + ".o",
        "-lm", "-o", stem + ".bin")
    line = run(stem + ".bin", base + "_input.npy", expected,
               str(3 * RES * RES * 4), "3").stdout
    verdicts.append(re.search(r"output (equal|max abs diff \S+|DIFFERENT)",
                              line).group(1))
    faults.append(re.search(r"faults per call ([0-9.]+)", line).group(1))
print(f"{MODEL} objects: fp32 {verdicts[0]}, int8 {verdicts[1]}, page faults "
      f"per call {faults[0]} / {faults[1]}")
