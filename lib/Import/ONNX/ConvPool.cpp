//===- ConvPool.cpp - Convolution and pooling -----------------------------===//
//
// Conv (and the converter shared with QLinearConv / ConvInteger, which
// Quantized.cpp registers), MaxPool, AveragePool, GlobalAveragePool: 1-D
// and 2-D windows over NHWC activations (1-D as 2-D over [N, C, 1, L]).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::qops;

namespace mlir::qops::onnx_import {

//===----------------------------------------------------------------------===//
// Windows
//===----------------------------------------------------------------------===//

LogicalResult Importer::checkWindowAttrs(ArrayRef<int64_t> strides,
                                         ArrayRef<int64_t> dilations,
                                         ArrayRef<int64_t> pads) {
  // Bounded like the pads, so that the window arithmetic (dilated extents,
  // SAME padding) cannot overflow 64 bits.
  for (int64_t v : strides) {
    if (v <= 0)
      return fail() << "strides must be positive, got " << v;
    if (v > (int64_t(1) << 31))
      return fail() << "strides must be at most 2^31, got " << v;
  }
  for (int64_t v : dilations) {
    if (v <= 0)
      return fail() << "dilations must be positive, got " << v;
    if (v > (int64_t(1) << 31))
      return fail() << "dilations must be at most 2^31, got " << v;
  }
  for (int64_t v : pads)
    if (v < 0 || v > (int64_t(1) << 31))
      return fail() << "pads must be in [0, 2^31], got " << v;
  return success();
}

FailureOr<Imported> Importer::liftTo2D(Imported &v) {
  FailureOr<Value> value = logical(v);
  if (failed(value))
    return failure();
  auto type = cast<RankedTensorType>(value->getType());
  Shape shape(type.getShape());
  shape.insert(shape.begin() + 2, 1);
  Imported lifted;
  lifted.value = create<ReshapeOp>(type.clone(shape), {*value});
  return lifted;
}

Shape Importer::spatialInts(StringRef name, ArrayRef<int64_t> fallback2D,
                            bool oneD, int64_t fill) {
  if (!oneD)
    return intsAttr(name, fallback2D);
  const onnx::AttributeProto *a = attr(name);
  if (!a)
    return Shape(fallback2D);
  Shape values(a->ints().begin(), a->ints().end());
  if (values.size() == 1) // kernel_shape, strides, dilations
    return {fill, values[0]};
  if (values.size() == 2) // pads [begin, end]
    return {fill, values[0], fill, values[1]};
  return values; // reported by the caller's size check
}

Value Importer::lowerFrom2D(Value nhwc) {
  Value nchw = transpose(nhwc, kToNCHW);
  auto type = cast<RankedTensorType>(nchw.getType());
  Shape shape(type.getShape());
  shape.erase(shape.begin() + 2);
  return create<ReshapeOp>(type.clone(shape), {nchw});
}

FailureOr<Imported *> Importer::windowInput(StringRef what, Imported &lifted,
                                            bool &oneD, StringRef supported) {
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  size_t rank = logicalShape(**x).size();
  oneD = rank == 3;
  if (rank != 4 && !oneD)
    return fail() << "unsupported " << static_cast<int64_t>(rank) - 2 << "-D "
                  << what << " (" << supported << " only)";
  if (!oneD)
    return *x;
  FailureOr<Imported> l = liftTo2D(**x);
  if (failed(l))
    return failure();
  lifted = *l;
  return &lifted;
}

//===----------------------------------------------------------------------===//
// Converters
//===----------------------------------------------------------------------===//

/// Conv (float), QLinearConv (quantized) and ConvInteger (quantized,
/// integer: scales 1, i32 result).
LogicalResult Importer::importConv(bool quantized, bool integer) {
  FailureOr<Imported *> x0 = input(0);
  if (failed(x0))
    return failure();
  if (logicalShape(**x0).size() == 5) {
    if (quantized)
      return fail() << "unsupported 3-D " << node->op_type()
                    << " (3-D convolutions import from float Conv)";
    return importConv3D();
  }
  int wIndex = quantized && !integer ? 3 : 1;
  int bIndex = quantized && !integer ? 8 : (integer ? -1 : 2);
  Imported lifted;
  bool oneD = false;
  FailureOr<Imported *> x = windowInput("convolution", lifted, oneD);
  if (failed(x))
    return failure();
  Shape xShape = logicalShape(**x);
  FailureOr<Imported *> wImported = input(wIndex);
  if (failed(wImported))
    return failure();
  // A QDQ weight (DequantizeLinear of an initializer) keeps its
  // quantization.
  std::optional<QParams> wQuant = (*wImported)->quant;
  ConstTensor weight;
  if ((*wImported)->constant)
    weight = *(*wImported)->constant;
  else
    return fail() << "unsupported non-constant weight (input #" << wIndex
                  << " '" << inputName(wIndex)
                  << "'); it must be an initializer or a Constant";
  if (oneD && weight.shape.size() == 3)
    weight.shape.insert(weight.shape.begin() + 2, 1);
  if (weight.shape.size() != 4)
    return fail() << "weight of rank " << weight.shape.size()
                  << " (expected OIHW)";

  int64_t group = intAttr("group", 1);
  Shape strides = spatialInts("strides", {1, 1}, oneD, 1);
  Shape dilations = spatialInts("dilations", {1, 1}, oneD, 1);
  Shape pads = spatialInts("pads", {0, 0, 0, 0}, oneD, 0);
  std::string autoPad = stringAttr("auto_pad", "NOTSET");
  if (strides.size() != 2 || dilations.size() != 2 || pads.size() != 4)
    return fail() << "strides, dilations and pads must describe 2 spatial "
                     "dimensions";
  if (failed(checkWindowAttrs(strides, dilations, pads)))
    return failure();
  int64_t kh = weight.shape[2], kw = weight.shape[3];
  if (kh <= 0 || kw <= 0 || weight.shape[0] <= 0 || group <= 0)
    return fail() << "the weight shape and group must be positive";
  // kernel_shape is optional (inferred from the weight); when given it must
  // agree with the weight rather than be silently overridden by it.
  if (attr("kernel_shape")) {
    Shape kernel = spatialInts("kernel_shape", {}, oneD, 1);
    if (kernel != Shape{kh, kw}) {
      auto text = [](ArrayRef<int64_t> v) {
        std::string s;
        llvm::raw_string_ostream os(s);
        os << "[";
        llvm::interleaveComma(v, os);
        os << "]";
        return s;
      };
      Shape weightKernel = oneD ? Shape{kw} : Shape{kh, kw};
      const onnx::AttributeProto *a = attr("kernel_shape");
      return fail() << "kernel_shape "
                    << text(Shape(a->ints().begin(), a->ints().end()))
                    << " does not match the weight's kernel "
                    << text(weightKernel) << " (weight shape "
                    << text((*wImported)->constant->shape) << ")";
    }
  }
  if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    for (int d = 0; d < 2; ++d) {
      int64_t in = xShape[2 + d], k = d == 0 ? kh : kw;
      int64_t out = (in + strides[d] - 1) / strides[d];
      int64_t total = std::max<int64_t>(
          (out - 1) * strides[d] + (k - 1) * dilations[d] + 1 - in, 0);
      int64_t small = total / 2;
      pads[d] = autoPad == "SAME_UPPER" ? small : total - small;
      pads[d + 2] = total - pads[d];
    }
  } else if (autoPad == "VALID") {
    pads = {0, 0, 0, 0};
  } else if (autoPad != "NOTSET") {
    return fail() << "unsupported auto_pad '" << autoPad << "'";
  }
  Shape qopsPad = {pads[0], pads[2], pads[1], pads[3]};
  int64_t outChannels = weight.shape[0];
  Shape outShape = {
      xShape[0],
      (xShape[2] + pads[0] + pads[2] - dilations[0] * (kh - 1) - 1) /
              strides[0] + 1,
      (xShape[3] + pads[1] + pads[3] - dilations[1] * (kw - 1) - 1) /
              strides[1] + 1,
      outChannels};
  if (outShape[1] <= 0 || outShape[2] <= 0)
    return fail() << "the kernel does not fit in the padded input";

  // Operands in NHWC / OHWI.
  FailureOr<Value> xv = asNHWC(**x);
  if (failed(xv))
    return failure();
  Value xValue = *xv;
  std::optional<Value> bias;
  Type resultElement = builder.getF32Type();
  Value wValue;
  if (quantized) {
    // Integer ops on quantized operands: x keeps its type (it must match the
    // node's parameters), the weight is a quantized constant.
    FailureOr<QParams> xq = integer
                                ? readQParams(-1, 2, 1, onnx::TensorProto::UINT8)
                                : readQParams(1, 2, 1, onnx::TensorProto::UINT8);
    FailureOr<QParams> wq =
        integer ? readQParams(-1, 3, 0, weight.dtype)
                : readQParams(4, 5, 0, weight.dtype);
    if (failed(xq) || failed(wq))
      return failure();
    if (wq->axis >= 0)
      wq->axis = 0; // Per output channel.
    if (failed(checkAxis(*wq, weight.shape)))
      return failure();
    if (xq->axis >= 0)
      return fail() << "the input must be quantized per tensor";
    FailureOr<quant::QuantizedType> xType = quantType(*xq, 4, {});
    if (failed(xType))
      return failure();
    if (cast<RankedTensorType>(xValue.getType()).getElementType() != *xType)
      return fail() << "unsupported: input #0 has type "
                    << cast<RankedTensorType>(xValue.getType()).getElementType()
                    << " but the node quantizes it as " << *xType;
    ConstTensor ohwi = permuteTensor(dequantized(weight, *wq), {0, 2, 3, 1});
    Value c = constantF32(ohwi);
    FailureOr<quant::QuantizedType> wType = quantType(*wq, 4, {});
    if (failed(wType))
      return failure();
    wValue = create<QuantizeOp>(
        cast<RankedTensorType>(c.getType()).clone(*wType), {c});
    if (bIndex >= 0 && hasInput(bIndex)) {
      FailureOr<ConstTensor> b = constantInput(bIndex, "bias");
      if (failed(b))
        return failure();
      QParams bq;
      bq.dtype = onnx::TensorProto::INT32;
      for (int64_t ch = 0; ch < outChannels; ++ch) {
        bq.scales.push_back(xq->scales[0] *
                            wq->scales[wq->axis < 0 ? 0 : ch]);
        bq.zeroPoints.push_back(0);
      }
      bq.axis = 0;
      ConstTensor real = *b;
      for (int64_t ch = 0; ch < outChannels; ++ch)
        real.values[ch] = b->values[ch] * bq.scales[ch];
      Value bc = constantF32(real);
      FailureOr<quant::QuantizedType> bType = quantType(bq, 1, {});
      if (failed(bType))
        return failure();
      bias = create<QuantizeOp>(
          cast<RankedTensorType>(bc.getType()).clone(*bType), {bc});
    }
    if (integer) {
      QParams yq;
      yq.dtype = onnx::TensorProto::INT32;
      yq.scales = {1.0};
      yq.zeroPoints = {0};
      FailureOr<quant::QuantizedType> yType = quantType(yq, 4, {});
      if (failed(yType))
        return failure();
      resultElement = *yType;
    } else {
      FailureOr<QParams> yq = readQParams(6, 7, 1, onnx::TensorProto::UINT8);
      if (failed(yq))
        return failure();
      FailureOr<quant::QuantizedType> yType = quantType(*yq, 4, {});
      if (failed(yType))
        return failure();
      resultElement = *yType;
    }
  } else {
    Imported wConst;
    wConst.constant = weight;
    wConst.quant = wQuant;
    if (wQuant && wQuant->axis >= 0 && wQuant->axis != 0)
      return fail() << "unsupported weight quantized along axis "
                    << wQuant->axis << " (expected 0, the output channels)";
    FailureOr<Value> wv = materialize(wConst, {0, 2, 3, 1});
    if (failed(wv))
      return failure();
    wValue = *wv;
    if (hasInput(bIndex)) {
      FailureOr<Imported *> b = input(bIndex);
      if (failed(b))
        return failure();
      FailureOr<Value> bv = logical(**b);
      if (failed(bv))
        return failure();
      bias = *bv;
    }
  }

  SmallVector<Value> operands = {xValue, wValue};
  if (bias)
    operands.push_back(*bias);
  Value y = create<Conv2DOp>(
      tensorOf(outShape, resultElement), operands,
      {builder.getNamedAttr("stride", builder.getDenseI64ArrayAttr(strides)),
       builder.getNamedAttr("pad", builder.getDenseI64ArrayAttr(qopsPad)),
       builder.getNamedAttr("dilation",
                            builder.getDenseI64ArrayAttr(dilations)),
       builder.getNamedAttr("groups", builder.getI64IntegerAttr(group))});
  Imported out;
  out.value = oneD ? lowerFrom2D(y) : y;
  out.nhwc = !oneD;
  setOutput(0, out);
  return success();
}

LogicalResult Importer::importPool() {
  FailureOr<Imported *> x0 = input(0);
  if (failed(x0))
    return failure();
  bool isMax = node->op_type() == "MaxPool";
  if (isMax && node->output_size() > 1 && !node->output(1).empty())
    return fail() << "unsupported Indices output";
  if (logicalShape(**x0).size() == 5)
    return importPool3D();
  Imported lifted;
  bool oneD = false;
  FailureOr<Imported *> x = windowInput("pooling", lifted, oneD);
  if (failed(x))
    return failure();
  Shape shape = logicalShape(**x);
  Shape kernel = spatialInts("kernel_shape", {}, oneD, 1);
  Shape strides = spatialInts("strides", {1, 1}, oneD, 1);
  Shape pads = spatialInts("pads", {0, 0, 0, 0}, oneD, 0);
  Shape dilations = spatialInts("dilations", {1, 1}, oneD, 1);
  std::string autoPad = stringAttr("auto_pad", "NOTSET");
  bool ceil = intAttr("ceil_mode", 0) != 0;
  bool countPad = intAttr("count_include_pad", 0) != 0;
  if (kernel.size() != 2 || strides.size() != 2 || pads.size() != 4)
    return fail() << "kernel_shape, strides and pads must describe 2 spatial "
                     "dimensions";
  if (failed(checkWindowAttrs(strides, dilations, pads)))
    return failure();
  if (kernel[0] <= 0 || kernel[1] <= 0)
    return fail() << "kernel_shape entries must be positive";
  if (kernel[0] > (int64_t(1) << 31) || kernel[1] > (int64_t(1) << 31))
    return fail() << "kernel_shape entries must be at most 2^31";
  if (dilations.size() != 2)
    return fail() << "dilations must describe 2 spatial dimensions";
  if (!isMax && dilations != Shape{1, 1})
    return fail() << "unsupported dilations [" << dilations[0] << ", "
                  << dilations[1] << "] in average pooling";
  // The dilated window's extent stands for the kernel in the output-size
  // and padding arithmetic below.
  Shape extent = {dilations[0] * (kernel[0] - 1) + 1,
                  dilations[1] * (kernel[1] - 1) + 1};
  if (isMax && intAttr("storage_order", 0) != 0)
    return fail() << "unsupported storage_order 1";
  if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    for (int d = 0; d < 2; ++d) {
      int64_t in = shape[2 + d];
      int64_t out = (in + strides[d] - 1) / strides[d];
      int64_t total =
          std::max<int64_t>((out - 1) * strides[d] + extent[d] - in, 0);
      int64_t small = total / 2;
      pads[d] = autoPad == "SAME_UPPER" ? small : total - small;
      pads[d + 2] = total - pads[d];
    }
  } else if (autoPad == "VALID") {
    pads = {0, 0, 0, 0};
  } else if (autoPad != "NOTSET") {
    return fail() << "unsupported auto_pad '" << autoPad << "'";
  }
  Shape outShape = {shape[0], 0, 0, shape[1]};
  Shape qopsPad = {pads[0], pads[2], pads[1], pads[3]};
  for (int d = 0; d < 2; ++d) {
    int64_t span = shape[2 + d] + pads[d] + pads[d + 2] - extent[d];
    if (span < 0)
      return fail() << "the kernel does not fit in the padded input";
    int64_t out = ceil ? (span + strides[d] - 1) / strides[d] + 1
                       : span / strides[d] + 1;
    // ceil_mode: the last window must start inside the input or the
    // leading padding.
    if (ceil && (out - 1) * strides[d] >= shape[2 + d] + pads[d])
      --out;
    int64_t extra = (out - 1) * strides[d] + extent[d] -
                    (shape[2 + d] + pads[d] + pads[d + 2]);
    if (extra > 0) {
      if (countPad && !isMax)
        return fail() << "unsupported ceil_mode with count_include_pad";
      qopsPad[d == 0 ? 1 : 3] += extra;
    }
    outShape[1 + d] = out;
  }
  FailureOr<Value> xv = asNHWC(**x);
  if (failed(xv))
    return failure();
  SmallVector<NamedAttribute> attrs = {
      builder.getNamedAttr("kernel", builder.getDenseI64ArrayAttr(kernel)),
      builder.getNamedAttr("stride", builder.getDenseI64ArrayAttr(strides)),
      builder.getNamedAttr("pad", builder.getDenseI64ArrayAttr(qopsPad))};
  Type element = cast<RankedTensorType>(xv->getType()).getElementType();
  Value y;
  if (isMax) {
    if (dilations != Shape{1, 1})
      attrs.push_back(builder.getNamedAttr(
          "dilation", builder.getDenseI64ArrayAttr(dilations)));
    y = create<MaxPool2DOp>(tensorOf(outShape, element), {*xv}, attrs);
  } else {
    if (countPad)
      attrs.push_back(
          builder.getNamedAttr("count_include_pad", builder.getUnitAttr()));
    y = create<AvgPool2DOp>(tensorOf(outShape, element), {*xv}, attrs);
  }
  if (oneD)
    setOutput(0, Imported{lowerFrom2D(y), false, std::nullopt, std::nullopt});
  else
    setOutput(0, Imported{y, true, std::nullopt, std::nullopt});
  return success();
}

LogicalResult Importer::importGlobalAveragePool() {
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  Shape shape = logicalShape(**x);
  if (shape.size() != 4)
    return fail() << "unsupported input of rank " << shape.size()
                  << " (only 4-D NCHW)";
  FailureOr<Value> xv = asNHWC(**x);
  if (failed(xv))
    return failure();
  Value y = create<GlobalAvgPoolOp>(
      tensorOf({shape[0], 1, 1, shape[1]},
               cast<RankedTensorType>(xv->getType()).getElementType()),
      {*xv});
  setOutput(0, Imported{y, true, std::nullopt, std::nullopt});
  return success();
}

void addConvPoolConverters(ConverterTable &table) {
  table["Conv"] = [](Importer &im) { return im.importConv(false, false); };
  table["MaxPool"] = [](Importer &im) { return im.importPool(); };
  table["AveragePool"] = [](Importer &im) { return im.importPool(); };
  table["GlobalAveragePool"] = [](Importer &im) {
    return im.importGlobalAveragePool();
  };
}

} // namespace mlir::qops::onnx_import
