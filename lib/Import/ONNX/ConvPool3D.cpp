//===- ConvPool3D.cpp - 3-D convolution and pooling -----------------------===//
//
// Conv, MaxPool and AveragePool over NCDHW inputs, expressed with the 2-D
// qops ops (no qops.conv3d / pool3d: see the "3-D windows" paragraphs of
// qops.conv2d, qops.max_pool2d and qops.avg_pool2d):
//
//   Conv: the input goes channels last ([N, D, H, W, C]) and is padded in
//     depth; the KD depth taps of every output depth are gathered as
//     channels (strided slices, concatenated: [N, OD, H, W, KD * C], within
//     each group tap-major), the output depths join the batch
//     ([N * OD, H, W, KD * C]) and one qops.conv2d with the weight
//     [O, KH, KW, KD * C/G] computes every tap in one accumulator (in int8
//     one i32 sum, exactly as a 3-D convolution);
//   MaxPool / AveragePool: separable: a 2-D window over (H, W) on
//     [N * D, H, W, C], then a [KD, 1] window over (D, OH * OW) on
//     [N, D, OH * OW, C]. A maximum is exact; an average is too (both the
//     window and its in-input part are products of their per-axis parts),
//     but an int8 program rounds between the two stages.
//
// Results are returned in the ONNX layout [N, C, D, H, W]; the next 3-D op
// takes the channels-last value back without a transpose.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::qops;

namespace mlir::qops::onnx_import {

namespace {
constexpr int64_t kToNDHWC[5] = {0, 2, 3, 4, 1};
constexpr int64_t kToNCDHW[5] = {0, 4, 1, 2, 3};

Value reshaped(Importer &im, Value v, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(v.getType());
  return im.create<ReshapeOp>(type.clone(shape), {v});
}

/// Per spatial dimension (D, H, W): the window's pads and output size.
struct Window3D {
  Shape kernel, strides, dilations;
  Shape padBegin, padEnd; // per dimension
  Shape out;
};
} // namespace

/// The channels-last [N, D, H, W, C] form of a 5-D value (the stored form
/// itself when the value is the NCDHW view of one).
FailureOr<Value> Importer::channelsLast3D(Imported &v) {
  FailureOr<Value> logicalValue = logical(v);
  if (failed(logicalValue))
    return failure();
  if (auto t = logicalValue->getDefiningOp<TransposeOp>())
    if (t.getPerm() == ArrayRef<int64_t>(kToNCDHW))
      return t.getInput();
  return transpose(*logicalValue, kToNDHWC);
}

Value Importer::fromChannelsLast3D(Value v) { return transpose(v, kToNCDHW); }

/// Reads kernel (given or `weightKernel`), strides, dilations, pads and
/// auto_pad of a 3-D window over the input dimensions `in` (D, H, W).
static FailureOr<Window3D> readWindow3D(Importer &im, ArrayRef<int64_t> in,
                                        ArrayRef<int64_t> weightKernel,
                                        bool pooling) {
  Window3D w;
  w.kernel = weightKernel.empty() ? im.intsAttr("kernel_shape", {})
                                  : Shape(weightKernel);
  if (!weightKernel.empty() && im.attr("kernel_shape") &&
      im.intsAttr("kernel_shape", {}) != w.kernel)
    return im.fail() << "kernel_shape does not match the weight's kernel";
  w.strides = im.intsAttr("strides", {1, 1, 1});
  w.dilations = im.intsAttr("dilations", {1, 1, 1});
  Shape pads = im.intsAttr("pads", {0, 0, 0, 0, 0, 0});
  if (w.kernel.size() != 3 || w.strides.size() != 3 ||
      w.dilations.size() != 3 || pads.size() != 6)
    return im.fail() << "kernel_shape, strides, dilations and pads must "
                        "describe 3 spatial dimensions";
  if (failed(im.checkWindowAttrs(w.strides, w.dilations, pads)))
    return failure();
  for (int64_t k : w.kernel)
    if (k <= 0 || k > (int64_t(1) << 31))
      return im.fail() << "kernel_shape entries must be in [1, 2^31]";
  if (pooling && w.dilations != Shape{1, 1, 1})
    return im.fail() << "unsupported dilations in 3-D pooling";
  std::string autoPad = im.stringAttr("auto_pad", "NOTSET");
  bool ceil = pooling && im.intAttr("ceil_mode", 0) != 0;
  for (int d = 0; d < 3; ++d) {
    int64_t extent = (w.kernel[d] - 1) * w.dilations[d] + 1;
    int64_t begin = pads[d], end = pads[d + 3];
    if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
      int64_t out = (in[d] + w.strides[d] - 1) / w.strides[d];
      int64_t total =
          std::max<int64_t>((out - 1) * w.strides[d] + extent - in[d], 0);
      int64_t small = total / 2;
      begin = autoPad == "SAME_UPPER" ? small : total - small;
      end = total - begin;
    } else if (autoPad == "VALID") {
      begin = end = 0;
    } else if (autoPad != "NOTSET") {
      return im.fail() << "unsupported auto_pad '" << autoPad << "'";
    }
    int64_t span = in[d] + begin + end - extent;
    if (span < 0)
      return im.fail() << "the kernel does not fit in the padded input";
    int64_t out = ceil ? (span + w.strides[d] - 1) / w.strides[d] + 1
                       : span / w.strides[d] + 1;
    // ceil_mode: the last window must start inside the input or the
    // leading padding; the trailing windows then reach into extra padding.
    if (ceil && (out - 1) * w.strides[d] >= in[d] + begin)
      --out;
    int64_t extra = (out - 1) * w.strides[d] + extent - (in[d] + begin + end);
    if (extra > 0) {
      if (im.intAttr("count_include_pad", 0) != 0 &&
          im.node->op_type() == "AveragePool")
        return im.fail() << "unsupported ceil_mode with count_include_pad";
      end += extra;
    }
    w.padBegin.push_back(begin);
    w.padEnd.push_back(end);
    w.out.push_back(out);
  }
  return w;
}

LogicalResult Importer::importConv3D() {
  FailureOr<Imported *> x = input(0);
  FailureOr<Imported *> wImported = input(1);
  if (failed(x) || failed(wImported))
    return failure();
  Shape xShape = logicalShape(**x);
  if (!(*wImported)->constant)
    return fail() << "unsupported non-constant weight (input #1 '"
                  << inputName(1)
                  << "'); it must be an initializer or a Constant";
  const ConstTensor &weight = *(*wImported)->constant;
  std::optional<QParams> wQuant = (*wImported)->quant;
  if (weight.shape.size() != 5)
    return fail() << "weight of rank " << weight.shape.size()
                  << " (expected OIDHW)";
  if (wQuant && wQuant->axis >= 0 && wQuant->axis != 0)
    return fail() << "unsupported weight quantized along axis "
                  << wQuant->axis << " (expected 0, the output channels)";
  int64_t group = intAttr("group", 1);
  int64_t outChannels = weight.shape[0], perGroup = weight.shape[1];
  int64_t kd = weight.shape[2], kh = weight.shape[3], kw = weight.shape[4];
  if (group <= 0 || outChannels <= 0 || perGroup <= 0 || kd <= 0 ||
      kh <= 0 || kw <= 0)
    return fail() << "the weight shape and group must be positive";
  int64_t channels = xShape[1];
  if (channels != perGroup * group || outChannels % group != 0)
    return fail() << "the weight " << outChannels << "x" << perGroup
                  << " (group " << group << ") does not match the input's "
                  << channels << " channels";
  FailureOr<Window3D> win =
      readWindow3D(*this, ArrayRef<int64_t>(xShape).drop_front(2),
                   {kd, kh, kw}, /*pooling=*/false);
  if (failed(win))
    return failure();
  int64_t n = xShape[0], depth = xShape[2], h = xShape[3], w = xShape[4];
  int64_t outDepth = win->out[0];

  // [N, D, H, W, C], padded in depth with zeros.
  FailureOr<Value> xv = channelsLast3D(**x);
  if (failed(xv))
    return failure();
  Value xl = *xv;
  int64_t paddedDepth = depth + win->padBegin[0] + win->padEnd[0];
  if (win->padBegin[0] || win->padEnd[0]) {
    auto type = cast<RankedTensorType>(xl.getType());
    xl = create<PadOp>(
        type.clone({n, paddedDepth, h, w, channels}), {xl},
        {builder.getNamedAttr(
            "pad", builder.getDenseI64ArrayAttr(
                       {0, 0, win->padBegin[0], win->padEnd[0], 0, 0, 0, 0,
                        0, 0}))});
  }
  // The taps of every output depth as channels: [N, OD, H, W, KD * C].
  auto xType = cast<RankedTensorType>(xl.getType());
  SmallVector<Value> taps;
  for (int64_t t = 0; t < kd; ++t) {
    Value tap = xl;
    int64_t offset = t * win->dilations[0];
    if (!(offset == 0 && win->strides[0] == 1 && outDepth == paddedDepth))
      tap = create<SliceOp>(
          xType.clone({n, outDepth, h, w, channels}), {xl},
          {builder.getNamedAttr("offsets", builder.getDenseI64ArrayAttr(
                                               {0, offset, 0, 0, 0})),
           builder.getNamedAttr("strides",
                                builder.getDenseI64ArrayAttr(
                                    {1, win->strides[0], 1, 1, 1}))});
    taps.push_back(tap);
  }
  Value gathered = taps.front();
  if (kd > 1)
    gathered = create<ConcatOp>(
        xType.clone({n, outDepth, h, w, kd * channels}), taps,
        {builder.getNamedAttr("axis", builder.getI64IntegerAttr(4))});
  if (kd > 1 && group > 1) {
    // (tap, group, c) -> (group, tap, c): each group's channels contiguous.
    Value split =
        reshaped(*this, gathered, {n * outDepth, h, w, kd, group, perGroup});
    Value swapped = transpose(split, {0, 1, 2, 4, 3, 5});
    gathered = reshaped(*this, swapped, {n * outDepth, h, w, kd * channels});
  } else {
    gathered = reshaped(*this, gathered, {n * outDepth, h, w, kd * channels});
  }

  // The weight [O, C/G, KD, KH, KW] as [O, KH, KW, KD * C/G] (tap-major).
  ConstTensor w2;
  w2.dtype = weight.dtype;
  w2.shape = {outChannels, kh, kw, kd * perGroup};
  w2.values.resize(weight.values.size());
  for (int64_t o = 0; o < outChannels; ++o)
    for (int64_t c = 0; c < perGroup; ++c)
      for (int64_t a = 0; a < kd; ++a)
        for (int64_t i = 0; i < kh; ++i)
          for (int64_t j = 0; j < kw; ++j)
            w2.values[((o * kh + i) * kw + j) * kd * perGroup + a * perGroup +
                      c] =
                weight.values[(((o * perGroup + c) * kd + a) * kh + i) * kw +
                              j];
  Imported wConst;
  wConst.constant = std::move(w2);
  wConst.quant = wQuant;
  FailureOr<Value> wv = materialize(wConst, {});
  if (failed(wv))
    return failure();
  SmallVector<Value> operands = {gathered, *wv};
  if (hasInput(2)) {
    FailureOr<Imported *> b = input(2);
    if (failed(b))
      return failure();
    FailureOr<Value> bv = logical(**b);
    if (failed(bv))
      return failure();
    operands.push_back(*bv);
  }
  int64_t oh = win->out[1], ow = win->out[2];
  Value y = create<Conv2DOp>(
      tensorOf({n * outDepth, oh, ow, outChannels}, builder.getF32Type()),
      operands,
      {builder.getNamedAttr("stride", builder.getDenseI64ArrayAttr(
                                          {win->strides[1], win->strides[2]})),
       builder.getNamedAttr(
           "pad", builder.getDenseI64ArrayAttr(
                      {win->padBegin[1], win->padEnd[1], win->padBegin[2],
                       win->padEnd[2]})),
       builder.getNamedAttr("dilation",
                            builder.getDenseI64ArrayAttr(
                                {win->dilations[1], win->dilations[2]})),
       builder.getNamedAttr("groups", builder.getI64IntegerAttr(group))});
  Value y5 = reshaped(*this, y, {n, outDepth, oh, ow, outChannels});
  setOutput(0, Imported{fromChannelsLast3D(y5), false, std::nullopt,
                        std::nullopt});
  return success();
}

LogicalResult Importer::importPool3D() {
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  Shape shape = logicalShape(**x);
  // importPool has refused an Indices output.
  bool isMax = node->op_type() == "MaxPool";
  if (isMax && intAttr("storage_order", 0) != 0)
    return fail() << "unsupported storage_order 1";
  FailureOr<Window3D> win = readWindow3D(
      *this, ArrayRef<int64_t>(shape).drop_front(2), {}, /*pooling=*/true);
  if (failed(win))
    return failure();
  bool countPad = !isMax && intAttr("count_include_pad", 0) != 0;
  int64_t n = shape[0], c = shape[1], d = shape[2], h = shape[3],
          w = shape[4];
  int64_t od = win->out[0], oh = win->out[1], ow = win->out[2];
  FailureOr<Value> xv = channelsLast3D(**x);
  if (failed(xv))
    return failure();
  Type element = cast<RankedTensorType>(xv->getType()).getElementType();
  auto pool = [&](Value in, Shape outShape, Shape kernel, Shape stride,
                  Shape pad) -> Value {
    SmallVector<NamedAttribute> attrs = {
        builder.getNamedAttr("kernel", builder.getDenseI64ArrayAttr(kernel)),
        builder.getNamedAttr("stride", builder.getDenseI64ArrayAttr(stride)),
        builder.getNamedAttr("pad", builder.getDenseI64ArrayAttr(pad))};
    if (isMax)
      return create<MaxPool2DOp>(tensorOf(outShape, element), {in}, attrs);
    if (countPad)
      attrs.push_back(
          builder.getNamedAttr("count_include_pad", builder.getUnitAttr()));
    return create<AvgPool2DOp>(tensorOf(outShape, element), {in}, attrs);
  };
  // (H, W) on [N * D, H, W, C], then (D) on [N, D, OH * OW, C].
  Value planes = reshaped(*this, *xv, {n * d, h, w, c});
  Value hw = pool(planes, {n * d, oh, ow, c}, {win->kernel[1], win->kernel[2]},
                  {win->strides[1], win->strides[2]},
                  {win->padBegin[1], win->padEnd[1], win->padBegin[2],
                   win->padEnd[2]});
  Value columns = reshaped(*this, hw, {n, d, oh * ow, c});
  Value dd = pool(columns, {n, od, oh * ow, c}, {win->kernel[0], 1},
                  {win->strides[0], 1},
                  {win->padBegin[0], win->padEnd[0], 0, 0});
  Value y5 = reshaped(*this, dd, {n, od, oh, ow, c});
  setOutput(0, Imported{fromChannelsLast3D(y5), false, std::nullopt,
                        std::nullopt});
  return success();
}

} // namespace mlir::qops::onnx_import
