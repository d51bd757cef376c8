#!/usr/bin/python3
"""A small transformer encoder through the fp32 chain, as a user runs it.

Usage: transformer.py MODEL BIN_DIR SRC_DIR WORK_DIR [--int8]

MODEL is one of
  encoder  nn.TransformerEncoder alone (d_model 64, 4 heads, feed-forward
           128, GELU, batch_first, 2 layers) on a float [1, 16, 64] input,
           exported at opset 13;
  bert13, bert17
           a BERT-style model: token and position nn.Embedding (vocabulary
           100, 16 positions, width 64), nn.LayerNorm, the encoder above and
           a Linear on the first (CLS) row, on int64 token ids [1, 16],
           exported at opset 13 (LayerNorm decomposed into ReduceMean / Sub
           / Pow / ... ) or 17 (LayerNormalization);
  vit      torchvision's VisionTransformer (32x32 images, patch 8, 2 layers,
           4 heads, hidden 64, MLP 128, 10 classes) on [1, 3, 32, 32],
           exported at opset 17 (class token through Expand / Where /
           Equal / ConstantOfShape, LayerNormalization).

Weights are random from torch.manual_seed(0) (the ViT's zero-initialised
class token and head drawn too), in eval mode (no dropout);
inputs come from numpy seed 1. Then:

  import:  quant-translate --import-onnx, and the census of the qops ops
           that carry the transformer: gather, layer_norm, gelu, softmax,
           matmul (the attention products, both operands run-time);
  fp32:    --fold-bn --fuse-activations, quant-run, compared with PyTorch:
           max |ours - torch| / max |torch| < 1e-4 over the output tensor;
  object:  --qops-to-llvm, --emit-obj and --emit-header; the header's
           input declaration, and the object called from C
           (bench/time_object.c) reproduces quant-run's output byte for
           byte;
  int8:    with --int8, what --quantize-int8 (8 calibration samples)
           does: the ops left in float between dequantize and quantize
           (remarks, and the kinds of qops ops computing in f32) and the
           SQNR of the int8 output against fp32, or the located error.

Prints, for FileCheck:

  MODEL import: gather G, layer_norm L, gelu E, softmax S, matmul M
  MODEL fp32: max relative difference to PyTorch below 1e-4: yes (D)
  MODEL header: int model_main(const TYPE *input0, ...
  MODEL object: output equal
  MODEL int8: ...
"""
import os
import re
import subprocess
import sys

import numpy as np
import torch
import torch.nn as nn

MODEL, BIN, SRC, WORK = sys.argv[1:5]
INT8 = "--int8" in sys.argv[5:]
TOLERANCE = 1e-4
os.makedirs(WORK, exist_ok=True)
base = os.path.join(WORK, MODEL)


def run(*args, check=True):
    result = subprocess.run(args, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    if check and result.returncode != 0:
        sys.stderr.write(result.stderr or "")
        sys.exit(f"transformer: {' '.join(args[:2])} failed")
    return result


def tool(name):
    return os.path.join(BIN, name)


def encoder(width=64, heads=4, ff=128, layers=2):
    layer = nn.TransformerEncoderLayer(width, heads, ff, dropout=0.0,
                                       batch_first=True, activation="gelu")
    return nn.TransformerEncoder(layer, layers)


class Bert(nn.Module):
    def __init__(self, vocabulary=100, width=64, length=16):
        super().__init__()
        self.tok = nn.Embedding(vocabulary, width)
        self.pos = nn.Embedding(length, width)
        self.ln = nn.LayerNorm(width)
        self.enc = encoder(width)
        self.cls = nn.Linear(width, 2)

    def forward(self, ids):
        positions = torch.arange(ids.shape[1]).unsqueeze(0)
        x = self.ln(self.tok(ids) + self.pos(positions))
        return self.cls(self.enc(x)[:, 0])


rng = np.random.RandomState(1)
torch.manual_seed(0)
if MODEL == "encoder":
    model, opset = encoder(), 13
    samples = rng.randn(9, 1, 16, 64).astype(np.float32)
elif MODEL in ("bert13", "bert17"):
    model, opset = Bert(), int(MODEL[4:])
    samples = rng.randint(0, 100, (9, 1, 16)).astype(np.int64)
elif MODEL == "vit":
    import torchvision
    model = torchvision.models.VisionTransformer(
        image_size=32, patch_size=8, num_layers=2, num_heads=4,
        hidden_dim=64, mlp_dim=128, num_classes=10)
    # torchvision starts the class token and the head at zero (the output
    # would be the zero bias): random values instead, from the same seed.
    with torch.no_grad():
        for p in (model.class_token, model.heads.head.weight,
                  model.heads.head.bias):
            p.normal_(0, 0.5)
    opset = 17
    samples = rng.randn(9, 1, 3, 32, 32).astype(np.float32)
else:
    sys.exit(f"transformer: unknown model {MODEL}")
model.eval()
sample = samples[0]
np.save(base + "_input.npy", sample)
np.save(base + "_calib.npy", samples[1:].reshape((8,) + sample.shape[1:]))
# Exported with gradients enabled: under no_grad, eval-mode
# nn.TransformerEncoder takes its fused fast path, which has no ONNX export.
torch.onnx.export(model, (torch.from_numpy(sample),), base + ".onnx",
                  opset_version=opset)
with torch.no_grad():
    reference = model(torch.from_numpy(sample)).numpy().astype(np.float64)

# Import, and the ops the transformer became.
run(tool("quant-translate"), "--import-onnx", base + ".onnx", "-o",
    base + ".mlir")
with open(base + ".mlir") as f:
    text = f.read()
census = ", ".join(f"{op} {len(re.findall(rf'qops.{op} ', text))}"
                   for op in ("gather", "layer_norm", "gelu", "softmax",
                              "matmul"))
print(f"{MODEL} import: {census}")

# fp32 against PyTorch.
run(tool("quant-opt"), "--fold-bn", "--fuse-activations", base + ".mlir",
    "-o", base + ".fp32.mlir")
run(tool("quant-run"), base + ".fp32.mlir", "--input", base + "_input.npy",
    "--output", base + "_fp32.npy")
fp32 = np.load(base + "_fp32.npy").astype(np.float64)
rel = np.abs(fp32 - reference).max() / np.abs(reference).max()
print(f"{MODEL} fp32: max relative difference to PyTorch below "
      f"{TOLERANCE:g}: {'yes' if rel < TOLERANCE else 'NO'} ({rel:.1e})")

# The object and its header, called from C.
stem = base + ".fp32"
run(tool("quant-opt"), "--qops-to-llvm", stem + ".mlir", "-o",
    stem + ".llvm.mlir")
run(tool("quant-translate"), "--emit-obj", stem + ".llvm.mlir", "-o",
    stem + ".o")
header = run(tool("quant-translate"), "--emit-header", stem + ".llvm.mlir",
             "--prefix=model").stdout
declaration = re.search(r"int model_main\([^,]*,", header).group(0)
print(f"{MODEL} header: {' '.join(declaration.split())}")
run("cc", "-O2", os.path.join(SRC, "bench", "time_object.c"), stem + ".o",
    "-lm", "-o", stem + ".bin")
line = run(stem + ".bin", base + "_input.npy", base + "_fp32.npy",
           str(sample.nbytes), "1").stdout
verdict = re.search(r"output (equal|max abs diff \S+|DIFFERENT)", line)
print(f"{MODEL} object: output {verdict.group(1) if verdict else line}")

# What --quantize-int8 does with it.
if not INT8:
    sys.exit(0)
result = run(tool("quant-opt"), "--fold-bn",
             f"--quantize-int8=calibration={base}_calib.npy",
             "--remark-detail=all", base + ".mlir", "-o",
             base + ".int8.mlir", check=False)
if result.returncode != 0:
    error = next((l for l in result.stderr.splitlines() if "error:" in l),
                 result.stderr.strip())
    print(f"{MODEL} int8: refused: {error.split('error: ', 1)[-1]}")
else:
    count = len(re.findall(r"remark: stays in float", result.stderr))
    # The qops ops computing in f32 in the int8 program (no !quant type in
    # their line), by kind.
    with open(base + ".int8.mlir") as f:
        kinds = sorted(set(
            m.group(1) for line in f
            for m in [re.search(r"= qops\.(\w+) ", line)]
            if m and "!quant" not in line))
    run(tool("quant-run"), base + ".int8.mlir", "--input",
        base + "_input.npy", "--output", base + "_int8.npy")
    int8 = np.load(base + "_int8.npy").astype(np.float64)
    sqnr = 10 * np.log10((fp32 ** 2).sum() /
                         max(((int8 - fp32) ** 2).sum(), 1e-300))
    print(f"{MODEL} int8: float islands {count} ({', '.join(kinds)}), "
          f"SQNR vs fp32 {sqnr:.1f} dB")
