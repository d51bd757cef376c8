#!/usr/bin/python3
"""Exports a torchvision architecture to ONNX with its input files.

Usage: /usr/bin/python3 bench/export_torchvision.py MODEL RESOLUTION OUT_DIR

MODEL is a torchvision.models constructor (mobilenet_v2, resnet18,
densenet121, ...), built with random weights from torch.manual_seed(0) in
eval mode and exported by torch.onnx.export at opset 13 with a 1 x 3 x R x R
input, as a user of PyTorch would. Writes to OUT_DIR:

  MODEL.onnx          the model
  MODEL_calib.npy     8 calibration images, standard normal, seed 0
  MODEL_input.npy     1 test image (drawn after the calibration set)
  MODEL_torch.npy     PyTorch's fp32 output on the test image

Needs Debian's python3-torch and python3-torchvision (scripts/setup.sh).
"""
import os
import sys

import numpy as np
import torch
import torchvision


def main():
    name, resolution, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    model = getattr(torchvision.models, name)().eval()
    rng = np.random.default_rng(0)
    shape = (3, resolution, resolution)
    calib = rng.standard_normal((8,) + shape).astype(np.float32)
    image = rng.standard_normal((1,) + shape).astype(np.float32)
    path = os.path.join(out, name)
    torch.onnx.export(model, torch.from_numpy(image), path + ".onnx",
                      opset_version=13)
    np.save(path + "_calib.npy", calib)
    np.save(path + "_input.npy", image)
    with torch.no_grad():
        np.save(path + "_torch.npy", model(torch.from_numpy(image)).numpy())


if __name__ == "__main__":
    main()
