#!/usr/bin/python3
"""The torchvision families side by side with PyTorch (make bench, part 2).

Usage: families.py BIN_DIR OUT_DIR [RESOLUTION] [MODEL,MODEL,...] [--reuse]
                   [--settle-bn]

--reuse: keep what an earlier run left in OUT_DIR (exported model, objects,
QDQ model) and only time again: for rerunning noisy rows.

--settle-bn: batch-norm statistics estimated on the calibration images
(export_torchvision.py --settle-bn), in the exported model and in PyTorch's:
logits of order 1 instead of 1e-9, so PyTorch's int8 SQNR means something
on the MobileNets and EfficientNet (with fresh statistics it outputs zeros).

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
  ONNX Runtime fp32 / int8: the same .onnx file in onnxruntime-node
      (bench/ort_run.js: one intra-op and one inter-op thread, sequential,
      graph optimisation 'all', median of REPEAT calls of session.run), and
      its int8 QDQ model written by bench/ort_qdq.py (per-channel symmetric
      s8 weights, u8 asymmetric activations with min / max ranges over the
      same 8 calibration images, QDQ placed as ORT's quantizer places it),
      which ORT fuses into QLinearConv / QLinearAdd / ... kernels: the
      kernels of the optimised model are listed after the table. 'n/a'
      with the reason where ONNX Runtime is not installed
      (scripts/setup.sh installs it);
  SQNR: int8 output against its own fp32 output (dB), the project's,
      PyTorch's and ONNX Runtime's, on the test image.

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

from export_torchvision import settle_batch_norm

HERE = os.path.dirname(os.path.abspath(__file__))
REUSE = "--reuse" in sys.argv
SETTLE = "--settle-bn" in sys.argv
ARGS = [a for a in sys.argv if a not in ("--reuse", "--settle-bn")]
BIN, OUT = ARGS[1], ARGS[2]
RES = int(ARGS[3]) if len(ARGS) > 3 else 112
MODELS = (ARGS[4].split(",") if len(ARGS) > 4 else
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
    if not (REUSE and os.path.exists(stem + ".bin")):
        sh(os.path.join(BIN, "quant-opt"), *flags, base + ".mlir", "-o",
           stem + ".mlir")
        sh(os.path.join(BIN, "quant-run"), stem + ".mlir", "--input",
           base + "_input.npy", "--output", stem + ".npy")
        sh(os.path.join(BIN, "quant-opt"), "--qops-to-llvm", stem + ".mlir",
           "-o", stem + ".llvm.mlir")
        sh(os.path.join(BIN, "quant-translate"), "--emit-obj",
           stem + ".llvm.mlir", "-o", stem + ".o")
        sh(os.environ.get("CC", "cc"), "-O2",
           os.path.join(HERE, "time_object.c"), stem + ".o", "-lm", "-o",
           stem + ".bin")
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


def ort_available():
    """None when onnxruntime-node loads, else why not."""
    try:
        result = subprocess.run(["node", ORT_RUN, "--version"], text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    except OSError as error:
        return f"node: {error.strerror}"
    if result.returncode != 0:
        return result.stdout.strip().removeprefix("ort: unavailable: ")
    return None


def ort_time(line):
    return float(re.search(r"median ([0-9.]+) ms", line).group(1))


def ort(base):
    """ONNX Runtime fp32 and int8 (QDQ) times, outputs and fused kernels."""
    qdq = os.path.join(HERE, "ort_qdq.py")
    if not (REUSE and os.path.exists(base + ".qdq.onnx")):
        sh("/usr/bin/python3", qdq, "probe", base + ".onnx",
           base + ".probe.onnx")
        sh("node", ORT_RUN, base + ".probe.onnx", "--input",
           base + "_calib.npy", "--ranges", base + ".ranges.json",
           "--opt-level", "disabled")
        sh("/usr/bin/python3", qdq, "quantize", base + ".onnx",
           base + ".ranges.json", base + ".qdq.onnx")
    fp32 = ort_time(sh("node", ORT_RUN, base + ".onnx", "--input",
                       base + "_input.npy", "--output", base + ".ort_fp32.npy",
                       "--repeat", str(REPEAT)))
    int8 = ort_time(sh("node", ORT_RUN, base + ".qdq.onnx", "--input",
                       base + "_input.npy", "--output", base + ".ort_int8.npy",
                       "--optimized", base + ".qdq.optimized.onnx",
                       "--repeat", str(REPEAT)))
    kernels = sh("/usr/bin/python3", qdq, "count",
                 base + ".qdq.optimized.onnx").strip()
    return fp32, int8, sqnr(np.load(base + ".ort_fp32.npy"),
                            np.load(base + ".ort_int8.npy")), kernels


def fmt(value, spec, missing="-"):
    return missing if value is None else format(value, spec)


ORT_RUN = os.path.join(HERE, "ort_run.js")
ort_missing = ort_available()
ort_kernels = {}
row = ("{:<16} {:>8} {:>8} {:>9} {:>10} {:>10} {:>11} {:>9} {:>9} {:>8}"
       " {:>10} {:>11} {:>9}")
print(f"torchvision families at {RES}x{RES}"
      f"{', batch norms settled on the calibration images' if SETTLE else ''}"
      ", one thread, objects timed from C:")
print(row.format("model", "fp32_ms", "int8_ms", "int8/fp32", "torch_fp32",
                 "torch_int8", "torch/int8", "ort_fp32", "ort_int8",
                 "int8/ort", "SQNR_int8", "SQNR_torch", "SQNR_ort"))
for name in MODELS:
    base = os.path.join(OUT, name)
    values = dict.fromkeys(["f", "i", "tf", "ti", "s", "ts", "of", "oi",
                            "os"])
    try:
        if not (REUSE and os.path.exists(base + ".mlir")):
            sh("/usr/bin/python3", os.path.join(HERE, "export_torchvision.py"),
               name, str(RES), OUT, *(["--settle-bn"] if SETTLE else []))
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
    model = getattr(torchvision.models, name)()
    image = torch.from_numpy(np.load(base + "_input.npy"))
    calib = torch.from_numpy(np.load(base + "_calib.npy"))
    if SETTLE:
        settle_batch_norm(model, calib.numpy())
    model.eval()
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
    if ort_missing is None and os.path.exists(base + ".onnx"):
        try:
            values["of"], values["oi"], values["os"], ort_kernels[name] = \
                ort(base)
        except RuntimeError as error:
            print(f"families: {name}: ONNX Runtime: {error}", file=sys.stderr)
    ratio = (values["f"] / values["i"]) if values["f"] and values["i"] else None
    versus = (values["ti"] / values["i"]) if values["ti"] and values["i"] else None
    per_ort = (values["i"] / values["oi"]) if values["i"] and values["oi"] else None
    na = "n/a" if ort_missing else "-"
    print(row.format(name, fmt(values["f"], ".3f"), fmt(values["i"], ".3f"),
                     fmt(ratio, ".2f"), fmt(values["tf"], ".3f"),
                     fmt(values["ti"], ".3f"), fmt(versus, ".2f"),
                     fmt(values["of"], ".3f", na),
                     fmt(values["oi"], ".3f", na),
                     fmt(per_ort, ".2f", na),
                     fmt(values["s"], ".1f"), fmt(values["ts"], ".1f"),
                     fmt(values["os"], ".1f", na)))
print("int8/fp32: project fp32 ms / project int8 ms; torch/int8: PyTorch "
      "int8 ms / project int8 ms (> 1: the project is faster); int8/ort: "
      "project int8 ms / ONNX Runtime int8 ms (< 1: the project is faster); "
      "SQNR: int8 output vs the same tool's fp32 output, dB.")
if ort_missing:
    print(f"ONNX Runtime: n/a: {ort_missing}")
else:
    print(sh("node", ORT_RUN, "--version").strip().replace(
        "ort: ", "ONNX Runtime: ", 1) + ", one thread; int8 kernels after "
        "ORT's graph optimisation (ort_qdq.py count):")
    for name, kernels in ort_kernels.items():
        print(f"  {name}: {kernels}")
