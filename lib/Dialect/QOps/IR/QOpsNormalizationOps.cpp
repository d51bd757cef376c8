//===- QOpsNormalizationOps.cpp - group_norm verifier ---------------------===//
//
// The C++ hooks of the ops in QOpsNormalizationOps.td.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Dialect/QOps/IR/QOpsOps.h"
#include "quant-ops/Dialect/QOps/IR/QuantTypeUtils.h"

#include "mlir/IR/TypeUtilities.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qops;

LogicalResult GroupNormOp::verify() {
  RankedTensorType inputType = getInput().getType();
  if (isQuantized(inputType))
    return emitOpError() << "expects f32 tensors: group normalization has "
                            "no integer form (an int8 program keeps it as a "
                            "float island between dequantize and quantize)";
  if (inputType.getRank() < 2)
    return emitOpError() << "expects input of rank >= 2 with channels last, "
                            "got rank "
                         << inputType.getRank();
  int64_t channels = inputType.getDimSize(inputType.getRank() - 1);
  int64_t groups = getGroups();
  if (groups <= 0)
    return emitOpError() << "expects a positive group count, got " << groups;
  if (!ShapedType::isDynamic(channels) && channels % groups != 0)
    return emitOpError() << "expects the " << channels
                         << " channels to be divisible by groups (" << groups
                         << ")";
  RankedTensorType paramType = getScale().getType();
  if (paramType.getRank() != 1 ||
      failed(verifyCompatibleShape({channels}, paramType.getShape())))
    return emitOpError() << "expects per-channel scale and bias of shape ["
                         << channels << "]";
  double epsilon = getEpsilonAttr().getValueAsDouble();
  if (!std::isfinite(epsilon) || epsilon < 0.0)
    return emitOpError() << "expects a finite, non-negative epsilon, got "
                         << epsilon;
  return success();
}
