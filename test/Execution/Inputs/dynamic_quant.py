#!/usr/bin/python3
"""Dynamic quantization against independent references.

usage: dynamic_quant.py BIN_DIR WORK_DIR

1. An MLP of nn.Linear layers (PyTorch, seeded), exported to ONNX (Gemm),
   imported, then --quantize-dynamic per tensor and per row, run with
   quant-run; compared with a numpy evaluation of the same program:
   DynamicQuantizeLinear's formula (f32, round half to even), the integer
   product in int64 and the f32 rescale in the op's order. Must be equal bit
   for bit (printed as the max |difference|).
2. Degenerate activations: all zeros, and NaN / +inf / -inf among finite
   values, through dynamic_quantize alone (values compared exactly with the
   documented rules).
3. The same MLP against PyTorch: fp32, and torch.ao.quantization.
   quantize_dynamic (engine onednn: Debian's torch has no FBGEMM); SQNR of each int8 output
   against fp32.
4. ONNX Runtime's dynamic-quantizer graph (DynamicQuantizeLinear ->
   MatMulInteger -> Cast -> Mul(x_scale * W_scale) -> Add bias), written
   with onnx.helper, imported: bit for bit against numpy; and its form for
   a product of two run-time tensors (both through DynamicQuantizeLinear,
   batched, the scale product of the two y_scales).
5. Attention-style products of two run-time tensors (batched 3-D, Q K^T)
   with --quantize-dynamic=activation-matmuls=true, per tensor and per row:
   bit for bit against numpy.
"""
import os
import subprocess
import sys

import numpy as np

BIN, WORK = sys.argv[1], sys.argv[2]
os.makedirs(WORK, exist_ok=True)


def run(*args):
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode:
        sys.exit(f"{args[0]} failed: {r.stderr}")
    return r.stdout


def path(name):
    return os.path.join(WORK, name)


def dql(x, per_row):
    """ONNX DynamicQuantizeLinear in f32 (per row: over the last axis)."""
    x = x.astype(np.float32)
    axis = -1 if per_row else None
    finite = np.where(np.isfinite(x), x, np.float32(0))
    lo = np.minimum(np.float32(0), finite.min(axis=axis, keepdims=True))
    hi = np.maximum(np.float32(0), finite.max(axis=axis, keepdims=True))
    scale = np.where(hi == lo, np.float32(1),
                     (hi - lo) / np.float32(255)).astype(np.float32)
    zp = np.round(np.clip(np.float32(0) - lo / scale, 0, 255)).astype(np.float32)
    with np.errstate(invalid="ignore"):
        y = np.clip(np.round(x / scale) + zp, 0, 255)
    y = np.where(np.isnan(x), zp, y)
    return y.astype(np.uint8), scale, zp.astype(np.uint8)


def weights_s8(w_kn, per_channel=True):
    """Symmetric narrow-range int8 weights [K, N], one scale per column."""
    m = np.abs(w_kn).max(axis=0) if per_channel else np.abs(w_kn).max(keepdims=True)
    scale = np.where(m == 0, 1.0, m / 127.0).astype(np.float32)
    q = np.clip(np.round(w_kn / scale), -127, 127).astype(np.int64)
    return q, scale


def dynamic_linear(x, w_kn, b, per_row, relu):
    q, s, z = dql(x, per_row)
    wq, ws = weights_s8(w_kn)
    acc = (q.astype(np.int64) - z.astype(np.int64)) @ wq
    y = acc.astype(np.float32) * (s * ws).astype(np.float32)
    if b is not None:
        y = (y + b).astype(np.float32)
    return np.maximum(y, 0) if relu else y


def sqnr(ref, test):
    return 10 * np.log10((ref ** 2).sum() / ((ref - test) ** 2).sum())


# 1 + 3: an MLP of nn.Linear layers.
import torch
torch.manual_seed(0)
mlp = torch.nn.Sequential(torch.nn.Linear(64, 128), torch.nn.ReLU(),
                          torch.nn.Linear(128, 96), torch.nn.ReLU(),
                          torch.nn.Linear(96, 10)).eval()
x = torch.randn(16, 64)
torch.onnx.export(mlp, x[:1], path("mlp.onnx"), opset_version=13,
                  input_names=["x"], output_names=["y"])
np.save(path("x.npy"), x.numpy())
run(f"{BIN}/quant-translate", "--import-onnx", path("mlp.onnx"), "-o",
    path("mlp.mlir"))
params = [(l.weight.detach().numpy().T.astype(np.float32),
           l.bias.detach().numpy().astype(np.float32))
          for l in mlp if isinstance(l, torch.nn.Linear)]
outputs = {}
for granularity in ("tensor", "row"):
    dyn = path(f"mlp_{granularity}.mlir")
    run(f"{BIN}/quant-opt", f"--quantize-dynamic=granularity={granularity}",
        path("mlp.mlir"), "-o", dyn)
    ops = open(dyn).read()
    run(f"{BIN}/quant-run", dyn, "--input", path("x.npy"), "--output",
        path(f"y_{granularity}.npy"))
    got = np.load(path(f"y_{granularity}.npy"))
    # The model takes one row: the batch convention runs it per sample, so
    # per-tensor and per-row ranges coincide here; the reference runs per
    # sample too.
    ref = []
    for row in x.numpy():
        h = row[None, :]
        for i, (w, b) in enumerate(params):
            h = dynamic_linear(h, w, b, granularity == "row",
                               relu=i < len(params) - 1)
        ref.append(h[0])
    ref = np.stack(ref)
    outputs[granularity] = got
    print(f"mlp {granularity}: {ops.count('qops.dynamic_matmul')} "
          f"dynamic_matmul, {ops.count('qops.dynamic_quantize')} "
          f"dynamic_quantize, max |quant-run - numpy| = "
          f"{np.abs(got - ref).max():.1e}")

# Per-row ranges that differ: a [4, 64] batch inside one function.
w_rows = (np.arange(64 * 24).reshape(24, 64) % 7 - 3).astype(np.float32) / 8
with open(path("rows_float.mlir"), "w") as f:
    literal = ", ".join("[" + ", ".join(f"{v:.6e}" for v in r) + "]"
                        for r in w_rows)
    f.write("func.func @main(%x: tensor<4x64xf32>) -> tensor<4x24xf32> {\n"
            f"  %w = arith.constant dense<[{literal}]> : tensor<24x64xf32>\n"
            "  %y = qops.fully_connected %x, %w : (tensor<4x64xf32>, "
            "tensor<24x64xf32>) -> tensor<4x24xf32>\n"
            "  return %y : tensor<4x24xf32>\n}\n")
run(f"{BIN}/quant-opt", "--quantize-dynamic=granularity=row",
    path("rows_float.mlir"), "-o", path("rows.mlir"))
rng = np.random.default_rng(5)
xr = (rng.standard_normal((4, 64)) * np.array([[0.1], [1], [10], [100]])).astype(np.float32)
np.save(path("xr.npy"), xr)
run(f"{BIN}/quant-run", path("rows.mlir"), "--input", path("xr.npy"),
    "--output", path("yr.npy"))
ref = dynamic_linear(xr, w_rows.T, None, True, False)
print(f"rows: max |quant-run - numpy| = "
      f"{np.abs(np.load(path('yr.npy')) - ref).max():.1e}")

# 2: degenerate ranges through dynamic_quantize.
with open(path("dq.mlir"), "w") as f:
    f.write("func.func @main(%x: tensor<2x6xf32>) -> (tensor<2x6xui8>, "
            "tensor<2xf32>, tensor<2xui8>) {\n"
            "  %q, %s, %z = qops.dynamic_quantize %x : tensor<2x6xf32> -> "
            "tensor<2x6xui8>, tensor<2xf32>, tensor<2xui8>\n"
            "  return %q, %s, %z : tensor<2x6xui8>, tensor<2xf32>, "
            "tensor<2xui8>\n}\n")
xd = np.array([[0, 0, 0, 0, 0, 0],
               [np.nan, np.inf, -np.inf, 1.5, -0.5, 0.25]], np.float32)
np.save(path("xd.npy"), xd)
run(f"{BIN}/quant-run", path("dq.mlir"), "--input", path("xd.npy"),
    "--output", path("qd.npy"), "--output", path("sd.npy"), "--output",
    path("zd.npy"))
q, s, z = dql(xd, True)
print("degenerate: zeros -> q", np.load(path("qd.npy"))[0].tolist(),
      "scale", float(np.load(path("sd.npy"))[0]), "zp",
      int(np.load(path("zd.npy"))[0]))
print("degenerate: nan, inf, -inf, 1.5, -0.5, 0.25 -> q",
      np.load(path("qd.npy"))[1].tolist(), "zp",
      int(np.load(path("zd.npy"))[1]), "equal to numpy:",
      bool((np.load(path("qd.npy")) == q).all()
           and (np.load(path("sd.npy")) == s.reshape(-1)).all()
           and (np.load(path("zd.npy")) == z.reshape(-1)).all()))

# 3: against PyTorch.
with torch.no_grad():
    fp32 = mlp(x).numpy()
    # Debian's torch has no FBGEMM: onednn is its x86 engine (its dynamic
    # linear quantizes activations with the full u8 range, like ours).
    torch.backends.quantized.engine = "onednn"
    tq = torch.ao.quantization.quantize_dynamic(
        mlp, {torch.nn.Linear}, dtype=torch.qint8)(x).numpy()
print(f"torch: project dynamic int8 SQNR vs fp32 {sqnr(fp32, outputs['tensor']):.1f} dB "
      f"(per row {sqnr(fp32, outputs['row']):.1f} dB); torch quantize_dynamic "
      f"{sqnr(fp32, tq):.1f} dB; project vs torch max |difference| "
      f"{np.abs(outputs['tensor'] - tq).max():.3f}")
ok = sqnr(fp32, outputs["tensor"]) > 30 and sqnr(fp32, tq) > 30
print("torch: both above 30 dB:", ok)

# 4: ONNX Runtime's dynamic-quantizer graph.
import onnx
from onnx import TensorProto, helper, numpy_helper
K, N, M = 48, 20, 8
w = rng.standard_normal((K, N)).astype(np.float32)
b = rng.standard_normal(N).astype(np.float32)
wq, ws = weights_s8(w)
nodes = [
    helper.make_node("DynamicQuantizeLinear", ["x"], ["xq", "xs", "xz"]),
    helper.make_node("MatMulInteger", ["xq", "wq", "xz", "wz"], ["acc"],
                     name="mm_quant"),
    helper.make_node("Cast", ["acc"], ["accf"], to=TensorProto.FLOAT),
    helper.make_node("Mul", ["xs", "ws"], ["sprod"]),
    helper.make_node("Mul", ["accf", "sprod"], ["mm"]),
    helper.make_node("Add", ["mm", "b"], ["y"]),
]
inits = [numpy_helper.from_array(wq.astype(np.int8), "wq"),
         numpy_helper.from_array(np.zeros(N, np.int8), "wz"),
         numpy_helper.from_array(ws.astype(np.float32), "ws"),
         numpy_helper.from_array(b, "b")]
graph = helper.make_graph(
    nodes, "ort_dynamic",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [M, K])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [M, N])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
onnx.save(model, path("ort_dynamic.onnx"))
run(f"{BIN}/quant-translate", "--import-onnx", path("ort_dynamic.onnx"), "-o",
    path("ort_dynamic.mlir"))
imported = open(path("ort_dynamic.mlir")).read()
xo = rng.standard_normal((M, K)).astype(np.float32)
np.save(path("xo.npy"), xo)
run(f"{BIN}/quant-run", path("ort_dynamic.mlir"), "--input", path("xo.npy"),
    "--output", path("yo.npy"))
ref = dynamic_linear(xo, w, b, False, False)
print(f"ort graph: {imported.count('qops.dynamic_matmul')} dynamic_matmul, "
      f"{imported.count('qops.mul')} mul, max |quant-run - numpy| = "
      f"{np.abs(np.load(path('yo.npy')) - ref).max():.1e}")

# 4b: ONNX Runtime's form for a product of two run-time tensors.
B_, M_, K_, N_ = 2, 16, 32, 12
nodes = [
    helper.make_node("DynamicQuantizeLinear", ["a"], ["aq", "as", "az"]),
    helper.make_node("DynamicQuantizeLinear", ["b"], ["bq", "bs", "bz"]),
    helper.make_node("MatMulInteger", ["aq", "bq", "az", "bz"], ["acc"]),
    helper.make_node("Cast", ["acc"], ["accf"], to=TensorProto.FLOAT),
    helper.make_node("Mul", ["as", "bs"], ["sprod"]),
    helper.make_node("Mul", ["accf", "sprod"], ["y"]),
]
graph = helper.make_graph(
    nodes, "ort_dynamic_activations",
    [helper.make_tensor_value_info("a", TensorProto.FLOAT, [B_, M_, K_]),
     helper.make_tensor_value_info("b", TensorProto.FLOAT, [B_, K_, N_])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [B_, M_, N_])])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
onnx.save(model, path("ort_activations.onnx"))
run(f"{BIN}/quant-translate", "--import-onnx", path("ort_activations.onnx"),
    "-o", path("ort_activations.mlir"))
imported = open(path("ort_activations.mlir")).read()
xa = rng.standard_normal((B_, M_, K_)).astype(np.float32)
xb = (rng.standard_normal((B_, K_, N_)) * 4 + 1).astype(np.float32)
np.save(path("xa.npy"), xa)
np.save(path("xb.npy"), xb)
run(f"{BIN}/quant-run", path("ort_activations.mlir"), "--input",
    path("xa.npy"), "--input", path("xb.npy"), "--output", path("ya.npy"))


def activation_product(a, b, per_row):
    qa, sa, za = dql(a, per_row)
    qb, sb, zb = dql(b, False)
    acc = (qa.astype(np.int64) - za.astype(np.int64)) @ \
        (qb.astype(np.int64) - zb.astype(np.int64))
    return acc.astype(np.float32) * (sa * sb).astype(np.float32)


ref = activation_product(xa, xb, False)
print(f"ort activations: "
      f"{imported.count('qops.dynamic_activation_matmul')} "
      f"dynamic_activation_matmul, max |quant-run - numpy| = "
      f"{np.abs(np.load(path('ya.npy')) - ref).max():.1e}")

# 5: Q K^T through --quantize-dynamic=activation-matmuls=true.
with open(path("attention.mlir"), "w") as f:
    f.write(f"""func.func @main(%q: tensor<{B_}x{M_}x{K_}xf32>, %k: tensor<{B_}x{K_}x{N_}xf32>) -> tensor<{B_}x{M_}x{N_}xf32> {{
  %s = qops.matmul %q, %k : (tensor<{B_}x{M_}x{K_}xf32>, tensor<{B_}x{K_}x{N_}xf32>) -> tensor<{B_}x{M_}x{N_}xf32>
  return %s : tensor<{B_}x{M_}x{N_}xf32>
}}
""")
fp32 = np.matmul(xa.astype(np.float64), xb.astype(np.float64))
for granularity in ("tensor", "row"):
    run(f"{BIN}/quant-opt",
        f"--quantize-dynamic=activation-matmuls=true granularity={granularity}",
        path("attention.mlir"), "-o", path(f"attention_{granularity}.mlir"))
    run(f"{BIN}/quant-run", path(f"attention_{granularity}.mlir"), "--input",
        path("xa.npy"), "--input", path("xb.npy"), "--output",
        path(f"yatt_{granularity}.npy"))
    got = np.load(path(f"yatt_{granularity}.npy"))
    ref = activation_product(xa, xb, granularity == "row")
    print(f"attention {granularity}: max |quant-run - numpy| = "
          f"{np.abs(got - ref).max():.1e}, SQNR vs fp32 {sqnr(fp32, got):.1f} dB")
