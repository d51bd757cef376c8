#!/usr/bin/env python3
"""ONNX Resize / Upsample / ConvTranspose / Pad reflect-edge / dilated MaxPool
against PyTorch, float and int8.

Usage: spatial_ops.py BIN_DIR WORK_DIR [errors]

Builds one-node ONNX models with onnx.helper (seeded data) in the forms
torch.onnx.export writes for F.interpolate (nearest, bilinear with and
without align_corners, scales and sizes), nn.ConvTranspose2d / 1d
(strides, pads, output_padding, dilations, groups, output_shape, auto_pad),
F.pad reflect / replicate and F.max_pool2d with dilation (and ceil_mode).
Each is imported with quant-translate (WORK_DIR/<name>.mlir, which the lit
test also FileChecks), run with quant-run and compared with PyTorch's own
operator (torch.nn.functional on the same input):
    "<name>: shape [..], max rel diff below 1e-5"
(the largest |got - torch| / max|torch|). The int8 cases are quantized with
--quantize-int8 (requant=float; a calibration set drawn like the input) to
the integer program and to the QDQ simulation (emit=qdq), run on 16
samples, and compared:
    "<name> int8: <k>/<n> equal to the simulation, <i> float islands"
and, for the scale-preserving ops (nearest resize, reflect / edge padding,
max pooling), with the independent reference: PyTorch's operator applied
to the input fake-quantized (qops_reference.fake_quant) with the integer
program's input parameters, which must give every value exactly:
    "<name> int8: <k>/<n> equal to torch(fake_quant(x))"

With "errors", writes the unsupported / malformed models of
spatial-ops-errors.test to WORK_DIR instead.
"""
import os
import re
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

BIN, WORK = sys.argv[1], sys.argv[2]
os.makedirs(WORK, exist_ok=True)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "Execution"))
rng = np.random.default_rng(16)


def tool(name, *args):
    proc = subprocess.run([os.path.join(BIN, name), *args],
                          stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.exit(f"{name} {' '.join(args)} failed:\n{proc.stderr}")
    return proc.stderr


def model(name, op, x_shape, y_shape, opset=13, inits=(), inputs=None,
          **attrs):
    inputs = inputs or ["x"]
    node = helper.make_node(op, inputs, ["y"], name=name, **attrs)
    graph = helper.make_graph(
        [node], name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(x_shape))],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT,
                                       list(y_shape) if y_shape else None)],
        [numpy_helper.from_array(np.asarray(v), k) for k, v in inits])
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 8
    path = os.path.join(WORK, name + ".onnx")
    onnx.save(m, path)
    return path


if len(sys.argv) > 3 and sys.argv[3] == "errors":
    f32 = lambda *v: np.array(v, np.float32)
    i64 = lambda *v: np.array(v, np.int64)
    roi = ("roi", np.zeros(0, np.float32))
    model("cubic", "Resize", [1, 2, 4, 4], None,
          inits=[roi, ("s", f32(1, 1, 2, 2))], inputs=["x", "roi", "s"],
          mode="cubic")
    model("crop", "Resize", [1, 2, 4, 4], None,
          inits=[roi, ("s", f32(1, 1, 2, 2))], inputs=["x", "roi", "s"],
          coordinate_transformation_mode="tf_crop_and_resize")
    model("antialias", "Resize", [1, 2, 4, 4], None, opset=18,
          inits=[roi, ("s", f32(1, 1, 0.5, 0.5))], inputs=["x", "roi", "s"],
          mode="linear", antialias=1)
    model("channels", "Resize", [1, 2, 4, 4], None,
          inits=[roi, ("s", f32(1, 2, 2, 2))], inputs=["x", "roi", "s"])
    model("both", "Resize", [1, 2, 4, 4], None,
          inits=[roi, ("s", f32(1, 1, 2, 2)), ("z", i64(1, 2, 8, 8))],
          inputs=["x", "roi", "s", "z"])
    model("rounding", "Resize", [1, 2, 4, 4], None,
          inits=[roi, ("s", f32(1, 1, 2, 2))], inputs=["x", "roi", "s"],
          nearest_mode="nearest_even")
    model("rank3", "Resize", [2, 4, 4], None,
          inits=[roi, ("s", f32(1, 2, 2))], inputs=["x", "roi", "s"])
    model("scale_zero", "Upsample", [1, 2, 4, 4], None, opset=9,
          inits=[("s", f32(1, 1, 0, 2))], inputs=["x", "s"])
    model("reflect_wide", "Pad", [1, 2, 3, 3], None,
          inits=[("p", i64(0, 0, 3, 0, 0, 0, 0, 0))], inputs=["x", "p"],
          mode="reflect")
    model("wrap", "Pad", [1, 2, 3, 3], None,
          inits=[("p", i64(0, 0, 1, 1, 0, 0, 1, 1))], inputs=["x", "p"],
          mode="wrap")
    w = np.zeros((2, 3, 3, 3), np.float32)
    model("outpad", "ConvTranspose", [1, 2, 4, 4], None, inits=[("w", w)],
          inputs=["x", "w"], strides=[2, 2], output_padding=[2, 0])
    model("ct_channels", "ConvTranspose", [1, 3, 4, 4], None,
          inits=[("w", w)], inputs=["x", "w"])
    model("ct_3d", "ConvTranspose", [1, 2, 4, 4, 4], None,
          inits=[("w", np.zeros((2, 3, 3, 3, 3), np.float32))],
          inputs=["x", "w"])
    model("ct_weight", "ConvTranspose", [1, 2, 4, 4], None, inputs=["x", "x"])
    model("ct_crop", "ConvTranspose", [1, 2, 2, 2], None, inits=[("w", w)],
          inputs=["x", "w"], pads=[3, 3, 3, 3])
    model("avg_dilated", "AveragePool", [1, 2, 6, 6], None,
          kernel_shape=[2, 2], dilations=[2, 2])
    sys.exit(0)

import torch  # noqa: E402  (only the execution cases need it)
import torch.nn.functional as F  # noqa: E402
from qops_reference import fake_quant  # noqa: E402

torch.manual_seed(16)


def case(name, op, x, torch_fn, opset=13, inits=(), inputs=None, int8=False,
         exact=False, **attrs):
    ref = torch_fn(torch.from_numpy(x)).detach().numpy().astype(np.float64)
    path = model(name, op, x.shape, ref.shape, opset, inits, inputs, **attrs)
    stem = path[:-len(".onnx")]
    tool("quant-translate", "--import-onnx", path, "-o", stem + ".mlir")
    np.save(stem + ".x.npy", x)
    tool("quant-run", stem + ".mlir", "--input", stem + ".x.npy", "--output",
         stem + ".y.npy")
    got = np.load(stem + ".y.npy")
    rel = (np.abs(got - ref).max() / max(np.abs(ref).max(), 1e-30)
           if got.shape == ref.shape else float("inf"))
    print(f"{name}: shape {list(got.shape)}, max rel diff "
          f"{'below 1e-5' if rel < 1e-5 else f'{rel:.3g}'}")
    if not int8:
        return
    shape = (16,) + x.shape[1:]
    calibration = rng.standard_normal((8,) + x.shape[1:]).astype(np.float32)
    samples = rng.standard_normal(shape).astype(np.float32)
    np.save(stem + ".cal.npy", calibration)
    np.save(stem + ".xs.npy", samples)
    options = f"calibration={stem}.cal.npy requant=float"
    remarks = tool("quant-opt", f"--quantize-int8={options}", stem + ".mlir",
                   "-o", stem + ".int8.mlir")
    tool("quant-opt", f"--quantize-int8={options} emit=qdq", stem + ".mlir",
         "-o", stem + ".qdq.mlir")
    for form in ("int8", "qdq"):
        tool("quant-run", f"{stem}.{form}.mlir", "--input", stem + ".xs.npy",
             "--output", f"{stem}.y.{form}.npy")
    a, b = (np.load(f"{stem}.y.{form}.npy") for form in ("int8", "qdq"))
    equal = int((a == b).sum()) if a.shape == b.shape else 0
    islands = remarks.count("stays in float")
    print(f"{name} int8: {equal}/{b.size} equal to the simulation, "
          f"{islands} float islands")
    if not exact:
        return
    # The input's parameters: the first quantize of the integer program.
    program = open(stem + ".int8.mlir").read()
    m = re.search(r"qops\.quantize .*!quant\.uniform<([ui])8:f32, "
                  r"([0-9.e+-]+)(?::(-?[0-9]+))?>", program)
    signed, scale, zp = m.group(1) == "i", float(m.group(2)), int(m.group(3) or 0)
    qmin, qmax = (-128, 127) if signed else (0, 255)
    xq = fake_quant(samples, str(scale), str(zp), str(qmin), str(qmax))
    want = torch_fn(torch.from_numpy(np.asarray(xq, np.float32))).numpy()
    exact_equal = int((a == want).sum()) if a.shape == want.shape else 0
    print(f"{name} int8: {exact_equal}/{want.size} equal to "
          f"torch(fake_quant(x))")


def resize_inputs(scales=None, sizes=None):
    inits = [("roi", np.zeros(0, np.float32))]
    inputs = ["x", "roi"]
    if scales is not None:
        inits.append(("scales", np.array(scales, np.float32)))
        inputs.append("scales")
    else:
        inits.append(("scales", np.zeros(0, np.float32)))
        inits.append(("sizes", np.array(sizes, np.int64)))
        inputs += ["scales", "sizes"]
    return dict(inits=inits, inputs=inputs)


x = rng.standard_normal((1, 3, 5, 6)).astype(np.float32)
xs = rng.standard_normal((1, 4, 6, 7)).astype(np.float32)

# nn.Upsample(scale_factor=2) / F.interpolate nearest: asymmetric, floor.
case("nearest_x2", "Resize", x,
     lambda t: F.interpolate(t, scale_factor=2, mode="nearest"),
     **resize_inputs([1, 1, 2, 2]), mode="nearest",
     coordinate_transformation_mode="asymmetric", nearest_mode="floor",
     int8=True, exact=True)
case("nearest_sizes", "Resize", x,
     lambda t: F.interpolate(t, size=(7, 4), mode="nearest"),
     **resize_inputs(sizes=[1, 3, 7, 4]), mode="nearest",
     coordinate_transformation_mode="asymmetric", nearest_mode="floor",
     int8=True, exact=True)
# nearest-exact: half_pixel (the default), round_prefer_ceil.
case("nearest_exact_11", "Resize", x,
     lambda t: F.interpolate(t, size=(8, 9), mode="nearest-exact"),
     opset=11, **resize_inputs(sizes=[1, 3, 8, 9]), mode="nearest",
     nearest_mode="round_prefer_ceil")
# Bilinear: align_corners False (pytorch_half_pixel), True (align_corners),
# downsampling.
case("bilinear_x2", "Resize", x,
     lambda t: F.interpolate(t, scale_factor=2, mode="bilinear",
                             align_corners=False),
     **resize_inputs([1, 1, 2, 2]), mode="linear",
     coordinate_transformation_mode="pytorch_half_pixel", int8=True)
case("bilinear_align", "Resize", x,
     lambda t: F.interpolate(t, size=(9, 11), mode="bilinear",
                             align_corners=True),
     **resize_inputs(sizes=[1, 3, 9, 11]), mode="linear",
     coordinate_transformation_mode="align_corners")
case("bilinear_down", "Resize", xs,
     lambda t: F.interpolate(t, size=(4, 3), mode="bilinear",
                             align_corners=False),
     **resize_inputs(sizes=[1, 4, 4, 3]), mode="linear",
     coordinate_transformation_mode="half_pixel")
# The deprecated Upsample (opset 9: scales input; asymmetric).
case("upsample_9", "Upsample", x,
     lambda t: F.interpolate(t, scale_factor=(2, 3), mode="nearest"),
     opset=9, inits=[("s", np.array([1, 1, 2, 3], np.float32))],
     inputs=["x", "s"], mode="nearest")



def asymmetric_linear(t, sh, sw):
    """Upsample-7 linear: source x / scale, edge-clamped neighbours
    (NumPy, float64)."""
    x = t.numpy().astype(np.float64)

    def taps(n_in, scale):
        n_out = int(np.floor(n_in * scale))
        s = np.arange(n_out) / scale
        i0 = np.minimum(np.floor(s).astype(int), n_in - 1)
        i1 = np.minimum(i0 + 1, n_in - 1)
        w = np.where(i0 == i1, 0.0, s - np.floor(s))
        return i0, i1, w

    r0, r1, a = taps(x.shape[2], sh)
    c0, c1, b = taps(x.shape[3], sw)
    a, b = a[:, None], b[None, :]
    top = (1 - b) * x[:, :, r0][:, :, :, c0] + b * x[:, :, r0][:, :, :, c1]
    bottom = (1 - b) * x[:, :, r1][:, :, :, c0] + b * x[:, :, r1][:, :, :, c1]
    return torch.from_numpy((1 - a) * top + a * bottom)


# Upsample-7 (scales attribute), linear: asymmetric sampling.
case("upsample_7_linear", "Upsample", x,
     lambda t: asymmetric_linear(t, 2.0, 1.5), opset=7,
     scales=[1.0, 1.0, 2.0, 1.5], mode="linear")
# Resize-10 (scales input, no coordinate attributes): asymmetric, floor.
case("resize_10_nearest", "Resize", x,
     lambda t: F.interpolate(t, scale_factor=(3, 2), mode="nearest"),
     opset=10, inits=[("s", np.array([1, 1, 3, 2], np.float32))],
     inputs=["x", "s"], mode="nearest")

# ConvTranspose: nn.ConvTranspose2d / 1d with the exporter's attributes.
def conv_transpose(name, x, cin, cout, k, stride=1, padding=0,
                   output_padding=0, groups=1, dilation=1, bias=True,
                   int8=False, **extra):
    one_d = x.ndim == 3
    cls = torch.nn.ConvTranspose1d if one_d else torch.nn.ConvTranspose2d
    layer = cls(cin, cout, k, stride=stride, padding=padding,
                output_padding=output_padding, groups=groups,
                dilation=dilation, bias=bias).eval()
    pair = (lambda v: [v] if one_d else list(v) if isinstance(v, tuple)
            else [v, v])
    pads = pair(padding) * 2
    attrs = dict(strides=pair(stride), pads=pads, dilations=pair(dilation),
                 group=groups)
    if output_padding:
        attrs["output_padding"] = pair(output_padding)
    attrs.update(extra)
    if "output_shape" in extra or "auto_pad" in extra:
        attrs.pop("pads")
    inits = [("w", layer.weight.detach().numpy())]
    inputs = ["x", "w"]
    if bias:
        inits.append(("b", layer.bias.detach().numpy()))
        inputs.append("b")
    case(name, "ConvTranspose", x, layer, inits=inits, inputs=inputs,
         int8=int8, **attrs)


conv_transpose("convt_s2", x, 3, 6, 3, stride=2, padding=1, output_padding=1,
               int8=True)
conv_transpose("convt_group_dil", xs, 4, 6, 3, stride=(2, 1), padding=(2, 0),
               groups=2, dilation=2, bias=False)
conv_transpose("convt_k4s2", xs, 4, 5, 4, stride=2, padding=1)
# output_shape [11, 13] is the output_padding (1, 0) form of convt_s2.
conv_transpose("convt_output_shape", x, 3, 6, 3, stride=2, padding=1,
               output_padding=1, output_shape=[10, 12])
conv_transpose("convt_1d", rng.standard_normal((1, 3, 7)).astype(np.float32),
               3, 4, 3, stride=3, padding=1)

# F.pad reflect / replicate (ONNX Pad modes reflect / edge).
pads = np.array([0, 0, 2, 1, 0, 0, 1, 3], np.int64)
case("reflect", "Pad", x, lambda t: F.pad(t, (1, 3, 2, 1), mode="reflect"),
     inits=[("p", pads)], inputs=["x", "p"], mode="reflect", int8=True,
     exact=True)
case("edge", "Pad", x, lambda t: F.pad(t, (1, 3, 2, 1), mode="replicate"),
     inits=[("p", pads)], inputs=["x", "p"], mode="edge", int8=True,
     exact=True)
case("reflect_11", "Pad", xs, lambda t: F.pad(t, (0, 5, 3, 0), mode="reflect"),
     opset=11, inits=[("p", np.array([0, 0, 3, 0, 0, 0, 0, 5], np.int64))],
     inputs=["x", "p"], mode="reflect")

# F.max_pool2d with dilation (and ceil_mode).
case("maxpool_dilated", "MaxPool", xs,
     lambda t: F.max_pool2d(t, 3, stride=1, padding=1, dilation=2),
     kernel_shape=[3, 3], pads=[1, 1, 1, 1], dilations=[2, 2], int8=True,
     exact=True)
case("maxpool_dilated_ceil", "MaxPool", xs,
     lambda t: F.max_pool2d(t, 2, stride=2, dilation=(2, 1), ceil_mode=True),
     kernel_shape=[2, 2], strides=[2, 2], dilations=[2, 1], ceil_mode=1)
