#!/usr/bin/python3
"""A small upsampling CNN exported by torch.onnx.export, end to end.

Usage: spatial_model.py BIN_DIR SRC_DIR WORK_DIR

The network (random weights from seed 0, eval mode, opset 13, a 1x3x16x16
input) uses the spatial ops of generative / segmentation heads:

  Conv2d(3, 8, 3, stride 2) + ReLU -> ReflectionPad2d(1) -> Conv2d(8, 8, 3)
  -> ConvTranspose2d(8, 8, 4, stride 2, padding 1) + ReLU
  -> Upsample(scale 2, nearest) -> Conv2d(8, 8, 3, padding 1) + ReLU
  -> Upsample(scale 2, bilinear, align_corners=False) -> Conv2d(8, 3, 1)

  fp32: --import-onnx, --fold-bn --fuse-activations, quant-run, compared
        with PyTorch's output (max |diff| / max |torch|);
  int8: --fold-bn --quantize-int8 with 8 calibration images (smooth random
        fields, the test image another one), counting the ops left in
        float between dequantize and quantize (the bilinear resize is the
        one expected), compared with fp32 (SQNR in dB);
  objects: both programs lowered, emitted as objects and linked with
        bench/time_object.c, whose output must equal quant-run's byte for
        byte.
"""
import os
import re
import subprocess
import sys

import numpy as np
import torch
import torch.nn as nn

BIN, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(WORK, exist_ok=True)
SQNR_FLOOR = 20.0


def run(*args):
    result = subprocess.run(args, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stderr or "")
        sys.exit(f"spatial_model: {' '.join(args[:2])} failed")
    return result


def tool(name):
    return os.path.join(BIN, name)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.ReLU(),
            nn.ReflectionPad2d(1), nn.Conv2d(8, 8, 3),
            nn.ConvTranspose2d(8, 8, 4, stride=2, padding=1), nn.ReLU(),
            nn.Upsample(scale_factor=2, mode="nearest"),
            nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(),
            nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False),
            nn.Conv2d(8, 3, 1))

    def forward(self, x):
        return self.body(x)


torch.manual_seed(0)
net = Net().eval()
rng = np.random.default_rng(0)


def images(n):
    """Smooth random fields: low-resolution noise upsampled bilinearly."""
    coarse = torch.from_numpy(rng.standard_normal((n, 3, 4, 4)).astype(np.float32))
    return nn.functional.interpolate(coarse, size=(16, 16), mode="bilinear",
                                     align_corners=False).numpy()


calibration, test = images(8), images(1)
base = os.path.join(WORK, "spatial")
np.save(base + "_calib.npy", calibration)
np.save(base + "_input.npy", test)
with torch.no_grad():
    torch.onnx.export(net, torch.from_numpy(test), base + ".onnx",
                      opset_version=13, input_names=["x"],
                      output_names=["y"])
    reference = net(torch.from_numpy(test)).numpy().astype(np.float64)
ops = sorted({n.op_type for n in __import__("onnx").load(base + ".onnx").graph.node})
print("exported ops:", ", ".join(ops))

run(tool("quant-translate"), "--import-onnx", base + ".onnx", "-o",
    base + ".mlir")
run(tool("quant-opt"), "--fold-bn", "--fuse-activations", base + ".mlir",
    "-o", base + ".fp32.mlir")
run(tool("quant-run"), base + ".fp32.mlir", "--input", base + "_input.npy",
    "--output", base + "_fp32.npy")
fp32 = np.load(base + "_fp32.npy").astype(np.float64)
rel = np.abs(fp32 - reference).max() / np.abs(reference).max()
print(f"spatial fp32: max relative difference to PyTorch below 1e-4: "
      f"{'yes' if rel < 1e-4 else 'NO'} ({rel:.1e})")

log = run(tool("quant-opt"), "--fold-bn",
          f"--quantize-int8=calibration={base}_calib.npy",
          "--remark-detail=all", base + ".mlir", "-o",
          base + ".int8.mlir").stderr
islands = re.findall(r"remark: stays in float[^\n]*", log)
run(tool("quant-run"), base + ".int8.mlir", "--input", base + "_input.npy",
    "--output", base + "_int8.npy")
int8 = np.load(base + "_int8.npy").astype(np.float64)
sqnr = 10 * np.log10((fp32 ** 2).sum() / max(((int8 - fp32) ** 2).sum(),
                                              1e-300))
print(f"spatial int8: float islands {len(islands)}, SQNR vs fp32 above "
      f"{SQNR_FLOOR:g} dB: {'yes' if sqnr > SQNR_FLOOR else 'NO'} "
      f"({sqnr:.1f} dB)")
for remark in islands:
    print("  " + remark)

verdicts = []
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
               str(3 * 16 * 16 * 4), "3").stdout
    verdicts.append(re.search(r"output (equal|max abs diff \S+|DIFFERENT)",
                              line).group(1))
print(f"spatial objects: fp32 {verdicts[0]}, int8 {verdicts[1]}")
