//===- QuantTypeUtils.cpp - helpers over upstream quant types -------------===//
//
// Queries and well-formedness checks of quantized tensor types.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Dialect/QOps/IR/QuantTypeUtils.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qops;

bool mlir::qops::isQuantized(Type type) {
  return isa<quant::QuantizedType>(getElementTypeOrSelf(type));
}

quant::UniformQuantizedPerAxisType mlir::qops::getPerAxisType(Type type) {
  return dyn_cast<quant::UniformQuantizedPerAxisType>(
      getElementTypeOrSelf(type));
}

quant::UniformQuantizedType mlir::qops::getPerTensorType(Type type) {
  return dyn_cast<quant::UniformQuantizedType>(getElementTypeOrSelf(type));
}

std::optional<SmallVector<double>>
mlir::qops::getConstantFloatValues(Value value) {
  DenseFPElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  SmallVector<double> values;
  for (const APFloat &v : attr.getValues<APFloat>())
    values.push_back(v.convertToDouble());
  return values;
}

double mlir::qops::getScaleAt(quant::QuantizedType type, int64_t index) {
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type))
    return perAxis.getScales()[index];
  return cast<quant::UniformQuantizedType>(type).getScale();
}

int64_t mlir::qops::getZeroPointAt(quant::QuantizedType type, int64_t index) {
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type))
    return perAxis.getZeroPoints()[index];
  return cast<quant::UniformQuantizedType>(type).getZeroPoint();
}

/// Checks one (scale, zero point) pair; `slice` is the index along the
/// quantized dimension for per-axis types.
static LogicalResult
verifyScaleAndZeroPoint(llvm::function_ref<InFlightDiagnostic()> emitError,
                        quant::QuantizedType type, StringRef what,
                        double scale, int64_t zeroPoint,
                        std::optional<size_t> slice) {
  if (!std::isfinite(scale) || scale <= 0.0) {
    InFlightDiagnostic diag = emitError() << what << " has scale " << scale;
    if (slice)
      diag << " at index " << *slice << " of its quantized dimension";
    return diag << "; scales must be finite and positive";
  }
  float asF32 = static_cast<float>(scale);
  if (asF32 == 0.0f || !std::isfinite(asF32) ||
      !std::isnormal(asF32)) {
    InFlightDiagnostic diag = emitError() << what << " has scale " << scale;
    if (slice)
      diag << " at index " << *slice << " of its quantized dimension";
    return diag << ", which is not a normal f32 value (quantization "
                   "computes in f32)";
  }
  int64_t qmin = type.getStorageTypeMin(), qmax = type.getStorageTypeMax();
  if (zeroPoint < qmin || zeroPoint > qmax) {
    InFlightDiagnostic diag = emitError()
                              << what << " has zero point " << zeroPoint;
    if (slice)
      diag << " at index " << *slice << " of its quantized dimension";
    return diag << " outside the storage range [" << qmin << ", " << qmax
                << "]";
  }
  return success();
}

LogicalResult mlir::qops::verifyQuantizedTensorType(
    llvm::function_ref<InFlightDiagnostic()> emitError, ShapedType type,
    StringRef what) {
  auto qtype = dyn_cast<quant::QuantizedType>(type.getElementType());
  if (!qtype)
    return success();
  if (!qtype.getExpressedType().isF32())
    return emitError() << what << " has expressed type "
                       << qtype.getExpressedType()
                       << "; qops quantizes f32 values only";

  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(qtype))
    return verifyScaleAndZeroPoint(emitError, qtype, what,
                                   perTensor.getScale(),
                                   perTensor.getZeroPoint(), std::nullopt);

  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(qtype);
  if (!perAxis)
    return emitError() << what << " has quantized type " << qtype
                       << "; qops supports uniform per-tensor and per-axis "
                          "types only";
  int64_t dim = perAxis.getQuantizedDimension();
  if (!type.hasRank() || dim < 0 || dim >= type.getRank())
    return emitError() << what << " is quantized along dimension " << dim
                       << ", out of range for rank "
                       << (type.hasRank() ? type.getRank() : 0);
  ArrayRef<double> scales = perAxis.getScales();
  ArrayRef<int64_t> zeroPoints = perAxis.getZeroPoints();
  if (!type.isDynamicDim(dim) &&
      static_cast<int64_t>(scales.size()) != type.getDimSize(dim))
    return emitError() << what << " has " << scales.size()
                       << " per-axis scales but its quantized dimension "
                       << dim << " has size " << type.getDimSize(dim);
  for (size_t i = 0, e = scales.size(); i < e; ++i)
    if (failed(verifyScaleAndZeroPoint(emitError, qtype, what, scales[i],
                                       zeroPoints[i], i)))
      return failure();
  return success();
}
