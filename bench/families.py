#!/usr/bin/python3
"""The torchvision families side by side with PyTorch (make bench, part 2).

Usage: families.py BIN_DIR OUT_DIR [RESOLUTION] [MODEL,MODEL,...]

For each architecture (random weights from seed 0; bench/export_torchvision.py
exports it at opset 13 with 8 calibration images and one test image), on
one thread:

  project fp32 / int8: --import-onnx, then --fold-bn --fuse-activations or
      --fold-bn --quantize-int8="calibration=...", lowered to an object and
      timed from C (bench/time_object.c: model_main with the default
      allocator, median of REPEAT calls, output checked against quant-run);
  PyTorch fp32 / int8: the same model and test image; int8 is PyTorch's own
      post-training static quantization (FX graph mode, engine onednn,
      default qconfig, calibrated on the same 8 images); '-' where FX cannot
      trace or convert the model;
  SQNR: int8 output against its own fp32 output (dB), the project's and
      PyTorch's, on the test image.

Prints one line per model; a failing step prints '-' in its columns and the
reason on stderr.
"""
import os
import re
import statistics
import subprocess
import sys
import time

import numpy as np
import torch
import torchvision

HERE = os.path.dirname(os.path.abspath(__file__))
BIN, OUT = sys.argv[1], sys.argv[2]
RES = int(sys.argv[3]) if len(sys.argv) > 3 else 112
MODELS = (sys.argv[4].split(",") if len(sys.argv) > 4 else
          ["resnet18", "mobilenet_v2", "mobilenet_v3_small",
           "mobilenet_v3_large", "squeezenet1_1", "shufflenet_v2_x1_0",
           "efficientnet_b0", "googlenet", "regnet_y_400mf"])
REPEAT = 20
os.makedirs(OUT, exist_ok=True)
torch.set_num_threads(1)


def sh(*args):
    result = subprocess.run(args, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{os.path.basename(args[0])}: "
                           + (result.stderr.strip().splitlines() or ["?"])[-1])
    return result.stdout


def sqnr(reference, test):
    reference = reference.astype(np.float64)
    noise = ((test.astype(np.float64) - reference) ** 2).sum()
    return 10 * np.log10((reference ** 2).sum() / max(noise, 1e-300))


def project(base, flags, tag):
    """Compiles, runs (quant-run) and times (object) one precision."""
    stem = f"{base}.{tag}"
    sh(os.path.join(BIN, "quant-opt"), *flags, base + ".mlir", "-o",
       stem + ".mlir")
    sh(os.path.join(BIN, "quant-run"), stem + ".mlir", "--input",
       base + "_input.npy", "--output", stem + ".npy")
    sh(os.path.join(BIN, "quant-opt"), "--qops-to-llvm", stem + ".mlir", "-o",
       stem + ".llvm.mlir")
    sh(os.path.join(BIN, "quant-translate"), "--emit-obj", stem + ".llvm.mlir",
       "-o", stem + ".o")
    sh(os.environ.get("CC", "cc"), "-O2", os.path.join(HERE, "time_object.c"),
       stem + ".o", "-lm", "-o", stem + ".bin")
    line = sh(stem + ".bin", base + "_input.npy", stem + ".npy",
              str(3 * RES * RES * 4), str(REPEAT))
    if "output equal" not in line:
        raise RuntimeError("the object's output differs from quant-run's")
    return float(re.search(r"median ([0-9.]+) ms", line).group(1)), \
        np.load(stem + ".npy")


def timed(fn, x):
    with torch.no_grad():
        fn(x)
        times = []
        for _ in range(REPEAT):
            start = time.perf_counter()
            fn(x)
            times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def pytorch_int8(model, calib, image):
    from torch.ao.quantization import get_default_qconfig_mapping
    from torch.ao.quantization.quantize_fx import convert_fx, prepare_fx
    torch.backends.quantized.engine = "onednn"
    prepared = prepare_fx(model, get_default_qconfig_mapping("onednn"),
                          example_inputs=(image,))
    with torch.no_grad():
        for sample in calib:
            prepared(sample[None])
    return convert_fx(prepared)


def fmt(value, spec):
    return "-" if value is None else format(value, spec)


row = "{:<16} {:>8} {:>8} {:>9} {:>10} {:>10} {:>11} {:>10} {:>11}"
print(f"torchvision families at {RES}x{RES}, one thread, objects timed from C:")
print(row.format("model", "fp32_ms", "int8_ms", "int8/fp32", "torch_fp32",
                 "torch_int8", "torch/int8", "SQNR_int8", "SQNR_torch"))
for name in MODELS:
    base = os.path.join(OUT, name)
    values = dict.fromkeys(["f", "i", "tf", "ti", "s", "ts"])
    try:
        sh("/usr/bin/python3", os.path.join(HERE, "export_torchvision.py"),
           name, str(RES), OUT)
        sh(os.path.join(BIN, "quant-translate"), "--import-onnx",
           base + ".onnx", "-o", base + ".mlir")
        values["f"], fp32 = project(base, ["--fold-bn", "--fuse-activations"],
                                    "fp32")
        values["i"], int8 = project(
            base, ["--fold-bn",
                   f"--quantize-int8=calibration={base}_calib.npy"], "int8")
        values["s"] = sqnr(fp32, int8)
    except RuntimeError as error:
        print(f"families: {name}: {error}", file=sys.stderr)
    torch.manual_seed(0)
    model = getattr(torchvision.models, name)().eval()
    image = torch.from_numpy(np.load(base + "_input.npy"))
    calib = torch.from_numpy(np.load(base + "_calib.npy"))
    values["tf"] = timed(model, image)
    try:
        quantized = pytorch_int8(model, calib, image)
        values["ti"] = timed(quantized, image)
        with torch.no_grad():
            values["ts"] = sqnr(model(image).numpy(), quantized(image).numpy())
    except Exception as error:  # FX tracing / conversion limits
        print(f"families: {name}: PyTorch int8: {type(error).__name__}: "
              f"{str(error).splitlines()[0] if str(error) else ''}",
              file=sys.stderr)
    ratio = (values["f"] / values["i"]) if values["f"] and values["i"] else None
    versus = (values["ti"] / values["i"]) if values["ti"] and values["i"] else None
    print(row.format(name, fmt(values["f"], ".3f"), fmt(values["i"], ".3f"),
                     fmt(ratio, ".2f"), fmt(values["tf"], ".3f"),
                     fmt(values["ti"], ".3f"), fmt(versus, ".2f"),
                     fmt(values["s"], ".1f"), fmt(values["ts"], ".1f")))
print("int8/fp32: project fp32 ms / project int8 ms; torch/int8: PyTorch "
      "int8 ms / project int8 ms (> 1: the project is faster); SQNR: int8 "
      "output vs the same tool's fp32 output, dB.")
