//===- QuantParams.cpp - scale and zero point from a real range -----------===//
//
// The contract's parameter derivation, degenerate ranges included.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Dialect/QOps/IR/QuantParams.h"

#include "mlir/IR/Builders.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

using namespace mlir;
using namespace mlir::qops;

int64_t QuantScheme::getQMin() const {
  if (!isSigned)
    return 0;
  int64_t min = -(int64_t(1) << (bits - 1));
  return narrowRange ? min + 1 : min;
}

int64_t QuantScheme::getQMax() const {
  if (!isSigned)
    return (int64_t(1) << bits) - 1;
  return (int64_t(1) << (bits - 1)) - 1;
}

/// A real value for a message: shortest round-trip form ("1e+300", "0.5").
static std::string formatReal(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.9g", value);
  return buffer;
}

static LogicalResult fail(std::string *error, const std::string &message) {
  if (error)
    *error = message;
  return failure();
}

FailureOr<QuantParams> mlir::qops::computeQuantParams(double rmin, double rmax,
                                                      const QuantScheme &scheme,
                                                      std::string *error) {
  if (!std::isfinite(rmin) || !std::isfinite(rmax))
    return fail(error, "the range [" + formatReal(rmin) + ", " +
                           formatReal(rmax) + "] is not finite");
  if (rmin > rmax)
    return fail(error, "the range [" + formatReal(rmin) + ", " +
                           formatReal(rmax) + "] is empty (min > max)");
  if (scheme.bits < 2 || scheme.bits > 32)
    return fail(error, std::to_string(scheme.bits) +
                           "-bit storage is not supported (2 to 32 bits)");
  if (scheme.symmetric && !scheme.isSigned)
    return fail(error, "symmetric quantization needs signed storage");

  // Widen to include 0, so that 0 is represented exactly.
  rmin = std::min(rmin, 0.0);
  rmax = std::max(rmax, 0.0);
  double qmin = static_cast<double>(scheme.getQMin());
  double qmax = static_cast<double>(scheme.getQMax());

  QuantParams params;
  double scale = scheme.symmetric ? std::max(-rmin, rmax) / qmax
                                  : (rmax - rmin) / (qmax - qmin);
  // Zero-width range: any positive scale represents it; 1 is the usual one.
  if (scale == 0.0)
    scale = 1.0;
  // The generated code computes in f32: keep the scale a normal f32.
  float scale32 = static_cast<float>(scale);
  if (!std::isfinite(scale32))
    return fail(error, "the range [" + formatReal(rmin) + ", " +
                           formatReal(rmax) +
                           "] needs a scale beyond the f32 range");
  if (!(scale32 >= std::numeric_limits<float>::min()))
    scale32 = std::numeric_limits<float>::min();
  params.scale = scale32;

  if (!scheme.symmetric) {
    double zeroPoint = std::nearbyint(qmin - rmin / params.scale);
    params.zeroPoint =
        static_cast<int64_t>(std::clamp(zeroPoint, qmin, qmax));
  }
  return params;
}

static IntegerType getStorageType(MLIRContext *context,
                                  const QuantScheme &scheme) {
  return IntegerType::get(context, scheme.bits);
}

quant::UniformQuantizedType
mlir::qops::getUniformType(MLIRContext *context, const QuantScheme &scheme,
                           const QuantParams &params) {
  return quant::UniformQuantizedType::get(
      scheme.isSigned ? quant::QuantizationFlags::Signed : 0,
      getStorageType(context, scheme), Float32Type::get(context), params.scale,
      params.zeroPoint, scheme.getQMin(), scheme.getQMax());
}

quant::UniformQuantizedPerAxisType
mlir::qops::getUniformPerAxisType(MLIRContext *context,
                                  const QuantScheme &scheme,
                                  ArrayRef<QuantParams> params, int32_t axis) {
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  for (const QuantParams &p : params) {
    scales.push_back(p.scale);
    zeroPoints.push_back(p.zeroPoint);
  }
  return quant::UniformQuantizedPerAxisType::get(
      scheme.isSigned ? quant::QuantizationFlags::Signed : 0,
      getStorageType(context, scheme), Float32Type::get(context), scales,
      zeroPoints, axis, scheme.getQMin(), scheme.getQMax());
}
