//===- ConvTranspose.cpp - ConvTranspose as a convolution -----------------===//
//
// ONNX ConvTranspose (1-D and 2-D; strides, pads, output_padding,
// dilations, group, output_shape, auto_pad) imported as the equivalent
// direct convolution, with no op of its own:
//
//   1. zero insertion: the NHWC input [N, H, W, C] reshaped to
//      [N, H, 1, W, 1, C], padded with zeros to [N, H, sh, W, sw, C] and
//      reshaped to [N, H*sh, W*sw, C] (each input pixel followed by sh-1
//      rows and sw-1 columns of zeros);
//   2. a qops.conv2d with stride 1 and the ConvTranspose's dilation over
//      it, padded by dilation*(k-1) - pad_begin before and dilation*(k-1) -
//      pad_end + output_padding - (s-1) after (a negative amount crops the
//      zero-inserted input with a qops.slice), with the kernel flipped in
//      both spatial dimensions and the weight [C, M/group, kh, kw] regrouped
//      to OHWI [M, kh, kw, C/group].
//
// Every op of the decomposition has an integer form (reshape and pad share
// their input's parameters, the padding zeros are the zero point), so an
// int8 program runs ConvTranspose on the packed int8 convolution kernels
// with per-output-channel weights; the cost is the inserted zeros: the
// convolution does sh*sw times the multiply-adds of a direct transposed
// convolution.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

using namespace mlir;
using namespace mlir::qops;

namespace mlir::qops::onnx_import {
namespace {

std::string listText(ArrayRef<int64_t> v) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "[";
  llvm::interleaveComma(v, os);
  os << "]";
  return s;
}

LogicalResult importConvTranspose(Importer &im) {
  Imported lifted;
  bool oneD = false;
  FailureOr<Imported *> x =
      im.windowInput("transposed convolution", lifted, oneD, "1-D and 2-D");
  if (failed(x))
    return failure();
  Shape xShape = im.logicalShape(**x);
  if (!isa<Float32Type>(im.elementType(**x)))
    return im.fail() << "unsupported input element type "
                     << im.elementType(**x) << " (only float)";
  FailureOr<Imported *> wImported = im.input(1);
  if (failed(wImported))
    return failure();
  if (!(*wImported)->constant)
    return im.fail() << "unsupported non-constant weight (input #1 '"
                     << im.inputName(1)
                     << "'); it must be an initializer or a Constant";
  std::optional<QParams> wQuant = (*wImported)->quant;
  if (wQuant && wQuant->axis >= 0)
    return im.fail() << "unsupported per-axis quantized (QDQ) weight";
  ConstTensor weight = *(*wImported)->constant;
  if (oneD && weight.shape.size() == 3)
    weight.shape.insert(weight.shape.begin() + 2, 1);
  if (weight.shape.size() != 4)
    return im.fail() << "weight of rank " << weight.shape.size()
                     << " (expected [C, M/group, kH, kW])";

  int64_t group = im.intAttr("group", 1);
  int64_t inChannels = weight.shape[0], groupOut = weight.shape[1];
  int64_t kh = weight.shape[2], kw = weight.shape[3];
  if (group <= 0 || inChannels <= 0 || groupOut <= 0 || kh <= 0 || kw <= 0)
    return im.fail() << "the weight shape and group must be positive";
  if (inChannels != xShape[1])
    return im.fail() << "the weight has " << inChannels
                     << " input channels, the input " << xShape[1];
  if (inChannels % group != 0)
    return im.fail() << "group " << group << " does not divide the "
                     << inChannels << " input channels";
  Shape kernel = {kh, kw};
  if (im.attr("kernel_shape") &&
      im.spatialInts("kernel_shape", {}, oneD, 1) != kernel)
    return im.fail() << "kernel_shape does not match the weight's kernel "
                     << listText(oneD ? Shape{kw} : kernel);

  Shape strides = im.spatialInts("strides", {1, 1}, oneD, 1);
  Shape dilations = im.spatialInts("dilations", {1, 1}, oneD, 1);
  Shape pads = im.spatialInts("pads", {0, 0, 0, 0}, oneD, 0);
  Shape outPadding = im.spatialInts("output_padding", {0, 0}, oneD, 0);
  std::string autoPad = im.stringAttr("auto_pad", "NOTSET");
  if (strides.size() != 2 || dilations.size() != 2 || pads.size() != 4 ||
      outPadding.size() != 2)
    return im.fail() << "strides, dilations, pads and output_padding must "
                        "describe 2 spatial dimensions";
  if (failed(im.checkWindowAttrs(strides, dilations, pads)))
    return failure();
  for (int d = 0; d < 2; ++d)
    if (outPadding[d] < 0 ||
        outPadding[d] >= std::max(strides[d], dilations[d]))
      return im.fail() << "output_padding " << outPadding[d]
                       << " must be in [0, max(stride, dilation))";
  if (autoPad != "NOTSET" && autoPad != "VALID" && autoPad != "SAME_UPPER" &&
      autoPad != "SAME_LOWER")
    return im.fail() << "unsupported auto_pad '" << autoPad << "'";

  // Begin / end pads per spatial dimension (ONNX's equations).
  Shape extent = {dilations[0] * (kh - 1) + 1, dilations[1] * (kw - 1) + 1};
  Shape begin = {pads[0], pads[1]}, end = {pads[2], pads[3]};
  if (im.attr("output_shape")) {
    Shape outShape = im.spatialInts("output_shape", {}, oneD, 1);
    if (outShape.size() == 4) // N, C, H, W given in full
      outShape = {outShape[2], outShape[3]};
    if (outShape.size() != 2)
      return im.fail() << "output_shape must describe 2 spatial dimensions";
    for (int d = 0; d < 2; ++d) {
      if (outShape[d] <= 0 || outShape[d] > (int64_t(1) << 31))
        return im.fail() << "output_shape entries must be in [1, 2^31]";
      int64_t total = strides[d] * (xShape[2 + d] - 1) + outPadding[d] +
                      extent[d] - outShape[d];
      if (total < 0) {
        // A larger output: the extra rows / columns come last.
        begin[d] = 0;
        end[d] = total;
      } else if (autoPad == "SAME_UPPER") {
        begin[d] = total / 2;
        end[d] = total - total / 2;
      } else {
        begin[d] = total - total / 2;
        end[d] = total / 2;
      }
    }
  } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    for (int d = 0; d < 2; ++d) {
      int64_t total = std::max<int64_t>(
          strides[d] * (xShape[2 + d] - 1) + outPadding[d] + extent[d] -
              xShape[2 + d] * strides[d],
          0);
      int64_t small = total / 2;
      begin[d] = autoPad == "SAME_UPPER" ? small : total - small;
      end[d] = total - begin[d];
    }
  } else if (autoPad == "VALID") {
    begin = {0, 0};
    end = {0, 0};
  }

  // The convolution's padding of the zero-inserted input; negative parts
  // crop it.
  Shape inserted = {xShape[2] * strides[0], xShape[3] * strides[1]};
  Shape lo(2), hi(2), cropLo(2), cropHi(2), outSize(2);
  for (int d = 0; d < 2; ++d) {
    lo[d] = extent[d] - 1 - begin[d];
    hi[d] = extent[d] - 1 - end[d] + outPadding[d] - (strides[d] - 1);
    cropLo[d] = std::max<int64_t>(-lo[d], 0);
    cropHi[d] = std::max<int64_t>(-hi[d], 0);
    lo[d] = std::max<int64_t>(lo[d], 0);
    hi[d] = std::max<int64_t>(hi[d], 0);
    int64_t kept = inserted[d] - cropLo[d] - cropHi[d];
    outSize[d] = kept + lo[d] + hi[d] - extent[d] + 1;
    if (kept <= 0 || outSize[d] <= 0)
      return im.fail() << "the pads leave an empty output";
  }

  // 1. Zero insertion, in NHWC.
  FailureOr<Value> xv = im.asNHWC(**x);
  if (failed(xv))
    return failure();
  Value v = *xv;
  auto xType = cast<RankedTensorType>(v.getType());
  int64_t n = xShape[0], c = xShape[1], h = xShape[2], w = xShape[3];
  if (strides[0] != 1 || strides[1] != 1) {
    Value split =
        im.create<ReshapeOp>(xType.clone(Shape{n, h, 1, w, 1, c}), {v});
    Shape zeros = {0, 0, 0, 0, 0, strides[0] - 1, 0, 0,
                   0, strides[1] - 1, 0, 0};
    Value padded = im.create<PadOp>(
        xType.clone(Shape{n, h, strides[0], w, strides[1], c}), {split},
        {im.builder.getNamedAttr("pad",
                                 im.builder.getDenseI64ArrayAttr(zeros))});
    v = im.create<ReshapeOp>(
        xType.clone(Shape{n, inserted[0], inserted[1], c}), {padded});
  }
  if (cropLo[0] || cropLo[1] || cropHi[0] || cropHi[1])
    v = im.create<SliceOp>(
        xType.clone(Shape{n, inserted[0] - cropLo[0] - cropHi[0],
                          inserted[1] - cropLo[1] - cropHi[1], c}),
        {v},
        {im.builder.getNamedAttr(
             "offsets", im.builder.getDenseI64ArrayAttr(
                            Shape{0, cropLo[0], cropLo[1], 0})),
         im.builder.getNamedAttr(
             "strides", im.builder.getDenseI64ArrayAttr(Shape{1, 1, 1, 1}))});

  // 2. The flipped, regrouped weight [M, kh, kw, C/group].
  int64_t groupIn = inChannels / group, outChannels = groupOut * group;
  ConstTensor ohwi;
  ohwi.shape = {outChannels, kh, kw, groupIn};
  ohwi.dtype = weight.dtype;
  ohwi.values.resize(outChannels * kh * kw * groupIn);
  for (int64_t g = 0; g < group; ++g)
    for (int64_t oc = 0; oc < groupOut; ++oc)
      for (int64_t i = 0; i < kh; ++i)
        for (int64_t j = 0; j < kw; ++j)
          for (int64_t ic = 0; ic < groupIn; ++ic) {
            int64_t src = (((g * groupIn + ic) * groupOut + oc) * kh +
                           (kh - 1 - i)) * kw + (kw - 1 - j);
            int64_t dst = (((g * groupOut + oc) * kh + i) * kw + j) *
                              groupIn + ic;
            ohwi.values[dst] = weight.values[src];
          }
  Imported wConst;
  wConst.constant = std::move(ohwi);
  wConst.quant = wQuant;
  FailureOr<Value> wv = im.materialize(wConst, {});
  if (failed(wv))
    return failure();
  SmallVector<Value> operands = {v, *wv};
  if (im.hasInput(2)) {
    FailureOr<Imported *> b = im.input(2);
    if (failed(b))
      return failure();
    if (im.logicalShape(**b) != Shape{outChannels})
      return im.fail() << "the bias must hold " << outChannels << " values";
    FailureOr<Value> bv = im.logical(**b);
    if (failed(bv))
      return failure();
    operands.push_back(*bv);
  }
  Value y = im.create<Conv2DOp>(
      xType.clone(Shape{n, outSize[0], outSize[1], outChannels}), operands,
      {im.builder.getNamedAttr("stride",
                               im.builder.getDenseI64ArrayAttr({1, 1})),
       im.builder.getNamedAttr(
           "pad", im.builder.getDenseI64ArrayAttr({lo[0], hi[0], lo[1],
                                                   hi[1]})),
       im.builder.getNamedAttr("dilation",
                               im.builder.getDenseI64ArrayAttr(dilations)),
       im.builder.getNamedAttr("groups",
                               im.builder.getI64IntegerAttr(group))});
  Imported out;
  out.value = oneD ? im.lowerFrom2D(y) : y;
  out.nhwc = !oneD;
  im.setOutput(0, out);
  return success();
}

} // namespace

void addConvTransposeConverters(ConverterTable &table) {
  table["ConvTranspose"] = [](Importer &im) {
    return importConvTranspose(im);
  };
}

} // namespace mlir::qops::onnx_import
