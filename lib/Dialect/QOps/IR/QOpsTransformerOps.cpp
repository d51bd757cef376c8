//===- QOpsTransformerOps.cpp - gather and layer_norm verifiers -----------===//
//
// The C++ hooks of the ops in QOpsTransformerOps.td (gelu, an element
// function, sits with the other activations in QOpsOps.cpp).
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Dialect/QOps/IR/QOpsOps.h"
#include "quant-ops/Dialect/QOps/IR/QuantTypeUtils.h"

#include "mlir/IR/TypeUtilities.h"

#include <cmath>
#include <string>

using namespace mlir;
using namespace mlir::qops;

/// "[2, ?, 3]".
static std::string shapeString(ArrayRef<int64_t> shape) {
  std::string text = "[";
  llvm::raw_string_ostream os(text);
  llvm::interleaveComma(shape, os, [&](int64_t d) {
    if (ShapedType::isDynamic(d))
      os << "?";
    else
      os << d;
  });
  os << "]";
  return text;
}

LogicalResult GatherOp::verify() {
  RankedTensorType dataType = getData().getType();
  RankedTensorType indexType = getIndices().getType();
  int64_t rank = dataType.getRank();
  int64_t axis = getAxis();
  if (rank < 1)
    return emitOpError() << "expects data of rank >= 1";
  if (axis < 0 || axis >= rank)
    return emitOpError() << "expects an axis in [0, " << rank << "), got "
                         << axis;
  SmallVector<int64_t> expected(dataType.getShape().take_front(axis));
  llvm::append_range(expected, indexType.getShape());
  llvm::append_range(expected, dataType.getShape().drop_front(axis + 1));
  RankedTensorType resultType = getOutput().getType();
  if (resultType.getRank() != static_cast<int64_t>(expected.size()) ||
      failed(verifyCompatibleShape(expected, resultType.getShape())))
    return emitOpError() << "expects result shape " << shapeString(expected)
                         << ", got " << shapeString(resultType.getShape());
  return success();
}

LogicalResult LayerNormOp::verify() {
  RankedTensorType inputType = getInput().getType();
  if (isQuantized(inputType))
    return emitOpError() << "expects f32 tensors: layer normalization has "
                            "no integer form (an int8 program keeps it as a "
                            "float island between dequantize and quantize)";
  int64_t rank = inputType.getRank();
  int64_t axis = getAxis();
  if (axis < 0 || axis >= rank)
    return emitOpError() << "expects an axis in [0, " << rank << "), got "
                         << axis;
  ArrayRef<int64_t> normalized = inputType.getShape().drop_front(axis);
  RankedTensorType paramType = getScale().getType();
  if (paramType.getRank() != static_cast<int64_t>(normalized.size()) ||
      failed(verifyCompatibleShape(normalized, paramType.getShape())))
    return emitOpError() << "expects scale and bias of the normalized shape "
                         << shapeString(normalized) << ", got "
                         << shapeString(paramType.getShape());
  double epsilon = getEpsilonAttr().getValueAsDouble();
  if (!std::isfinite(epsilon) || epsilon < 0.0)
    return emitOpError() << "expects a finite, non-negative epsilon, got "
                         << epsilon;
  return success();
}
