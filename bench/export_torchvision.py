#!/usr/bin/python3
"""Exports a torchvision architecture to ONNX with its input files.

Usage: /usr/bin/python3 bench/export_torchvision.py MODEL RESOLUTION OUT_DIR
                                                    [--settle-bn]

MODEL is a torchvision.models constructor (mobilenet_v2, resnet18,
densenet121, ...), built with random weights from torch.manual_seed(0)
(with --settle-bn, its batch-norm statistics then estimated on the
calibration images: see settle_batch_norm) and exported in eval mode by
torch.onnx.export at opset 13 with a 1 x 3 x R x R input, as a user of
PyTorch would. Writes to OUT_DIR:

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


def settle_batch_norm(model, images):
    """Replaces the fresh running statistics of every batch norm (mean 0,
    variance 1, whatever the layer's real input) by those of `images`, one
    forward pass in training mode with a cumulative average, as training
    would have left them. Without this, deep random networks scale their
    activations layer after layer: the MobileNets' and EfficientNet's
    logits come out near 1e-9, below what any int8 scheme represents, and
    PyTorch's own int8 (its observers floor scales at f32 epsilon) outputs
    zeros, so SQNR comparisons say nothing. Weights are unchanged.

    The settled random networks are chaotic instead (small input changes
    grow layer by layer): both the project's int8 and PyTorch's score
    single-digit SQNR on MobileNetV3 (7.0 and 9.5 dB on a calibration
    image at 112x112), so this serves side-by-side comparisons, not
    absolute accuracy floors (the model-zoo tests export without it)."""
    norms = [m for m in model.modules()
             if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    for norm in norms:
        norm.reset_running_stats()
        norm.momentum = None
    model.train()
    with torch.no_grad():
        model(torch.from_numpy(images))
    model.eval()


def main():
    name, resolution, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    settle = sys.argv[4:] == ["--settle-bn"]
    if sys.argv[4:] and not settle:
        sys.exit("usage: export_torchvision.py MODEL RESOLUTION OUT_DIR "
                 "[--settle-bn]")
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    model = getattr(torchvision.models, name)()
    rng = np.random.default_rng(0)
    shape = (3, resolution, resolution)
    calib = rng.standard_normal((8,) + shape).astype(np.float32)
    image = rng.standard_normal((1,) + shape).astype(np.float32)
    if settle:
        settle_batch_norm(model, calib)
    model.eval()
    path = os.path.join(out, name)
    torch.onnx.export(model, torch.from_numpy(image), path + ".onnx",
                      opset_version=13)
    np.save(path + "_calib.npy", calib)
    np.save(path + "_input.npy", image)
    with torch.no_grad():
        np.save(path + "_torch.npy", model(torch.from_numpy(image)).numpy())


if __name__ == "__main__":
    main()
