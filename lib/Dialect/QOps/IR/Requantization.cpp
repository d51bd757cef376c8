//===- Requantization.cpp - compile-time integer quantization math ---------===//

#include "quant-ops/Dialect/QOps/IR/Requantization.h"
#include "quant-ops/Dialect/QOps/IR/QOpsOps.h"
#include "quant-ops/Dialect/QOps/IR/QuantTypeUtils.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::qops;

FailureOr<FixedPointMultiplier>
mlir::qops::getFixedPointMultiplier(double real, std::string *error) {
  auto fail = [&](const Twine &reason) -> FailureOr<FixedPointMultiplier> {
    if (error)
      *error = reason.str();
    return failure();
  };
  if (!std::isfinite(real) || real <= 0.0)
    return fail("the requantization multiplier " + llvm::formatv("{0:e}", real).str() +
                " is not finite and positive");
  int exponent = 0;
  double fraction = std::frexp(real, &exponent); // real = fraction * 2^exp
  int64_t multiplier = std::llround(fraction * 2147483648.0); // 2^31
  if (multiplier == (int64_t(1) << 31)) {
    multiplier /= 2;
    ++exponent;
  }
  if (exponent < kMinFixedPointShift || exponent > kMaxFixedPointShift)
    return fail("the requantization multiplier " + llvm::formatv("{0:e}", real).str() +
                " needs a shift of " + Twine(exponent) +
                ", outside the supported [" + Twine(kMinFixedPointShift) +
                ", " + Twine(kMaxFixedPointShift) + "]");
  return FixedPointMultiplier{static_cast<int32_t>(multiplier), exponent};
}

float mlir::qops::getLargestF32AtMost(int64_t value) {
  float f = static_cast<float>(value);
  if (static_cast<double>(f) > static_cast<double>(value))
    f = std::nextafter(f, -std::numeric_limits<float>::infinity());
  return f;
}

float mlir::qops::getStorageMaxAsF32(quant::QuantizedType type) {
  return getLargestF32AtMost(type.getStorageTypeMax()); // 2^31 - 128 for i32
}

int64_t mlir::qops::quantizeLikeLowering(double value,
                                         quant::QuantizedType type,
                                         int64_t channel) {
  // The same operations, in the same f32 precision, as ConvertQuantize.
  float x = static_cast<float>(value);
  float scale = static_cast<float>(getScaleAt(type, channel));
  int64_t zeroPoint = getZeroPointAt(type, channel);
  float scaled = x / scale;
  float rounded = std::nearbyint(scaled); // round half to even
  float shifted = rounded + static_cast<float>(zeroPoint);
  float qmin = static_cast<float>(type.getStorageTypeMin());
  float qmax = getStorageMaxAsF32(type);
  // maxnum / minnum: NaN gives the other operand (qmin).
  float low = std::isnan(shifted) ? qmin : std::max(shifted, qmin);
  return static_cast<int64_t>(std::min(low, qmax));
}

float mlir::qops::dequantizeLikeLowering(int64_t q,
                                         quant::UniformQuantizedType type) {
  // The same operations, in the same f32 precision, as ConvertDequantize.
  float centered = static_cast<float>(q) -
                   static_cast<float>(type.getZeroPoint());
  return centered * static_cast<float>(type.getScale());
}

std::optional<SmallVector<int64_t>>
mlir::qops::getConstantQuantizedValues(Value value) {
  auto quantize = value.getDefiningOp<QuantizeOp>();
  if (!quantize)
    return std::nullopt;
  std::optional<SmallVector<double>> floats =
      getConstantFloatValues(quantize.getInput());
  if (!floats)
    return std::nullopt;
  RankedTensorType type = quantize.getType();
  auto qtype = cast<quant::QuantizedType>(type.getElementType());
  int64_t axis = -1, inner = 1, channels = 1;
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(qtype)) {
    axis = perAxis.getQuantizedDimension();
    channels = type.getDimSize(axis);
    for (int64_t d = axis + 1; d < type.getRank(); ++d)
      inner *= type.getDimSize(d);
  }
  SmallVector<int64_t> result;
  result.reserve(floats->size());
  for (auto [i, x] : llvm::enumerate(*floats)) {
    int64_t channel = axis < 0 ? 0 : (static_cast<int64_t>(i) / inner) % channels;
    result.push_back(quantizeLikeLowering(x, qtype, channel));
  }
  return result;
}
