//===- QOpsDynamicOps.cpp - dynamic quantization verifiers ----------------===//
//
// The C++ hooks of the ops in QOpsDynamicOps.td.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Dialect/QOps/IR/QOpsOps.h"
#include "quant-ops/Dialect/QOps/IR/QuantTypeUtils.h"

#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::qops;

static std::string shapeString(ArrayRef<int64_t> shape) {
  std::string result = "[";
  llvm::raw_string_ostream os(result);
  llvm::interleaveComma(shape, os, [&](int64_t d) {
    if (ShapedType::isDynamic(d))
      os << "?";
    else
      os << d;
  });
  return result + "]";
}

/// The parameters of a dynamically quantized tensor of shape `data` are one
/// per tensor (rank 0) or one per row (`data` without its last dimension).
static LogicalResult verifyDynamicParamShape(Operation *op,
                                             ArrayRef<int64_t> data,
                                             RankedTensorType params,
                                             StringRef what) {
  if (params.getRank() == 0)
    return success();
  ArrayRef<int64_t> rows = data.drop_back();
  if (data.empty() || failed(verifyCompatibleShape(rows, params.getShape())))
    return op->emitOpError()
           << "expects " << what
           << " of rank 0 (per tensor) or of shape " << shapeString(rows)
           << " (per row), got " << shapeString(params.getShape());
  return success();
}

LogicalResult DynamicQuantizeOp::verify() {
  return verifyDynamicParamShape(*this, getInput().getType().getShape(),
                                 getScale().getType(), "scale");
}

LogicalResult DynamicMatMulOp::verify() {
  if (failed(verifyFusedClamp(*this)))
    return failure();
  RankedTensorType lhsType = getLhs().getType();
  RankedTensorType rhsType = getRhs().getType();
  int64_t rank = lhsType.getRank();
  if (rank != 2 && rank != 3)
    return emitOpError() << "expects lhs of rank 2 or 3, got rank " << rank;
  if (failed(verifyCompatibleShape(getLhsScale().getType().getShape(),
                                   getLhsZeroPoint().getType().getShape())))
    return emitOpError() << "expects lhs_scale and lhs_zero_point of the same "
                            "shape, got "
                         << shapeString(getLhsScale().getType().getShape())
                         << " and "
                         << shapeString(
                                getLhsZeroPoint().getType().getShape());
  if (failed(verifyDynamicParamShape(*this, lhsType.getShape(),
                                     getLhsScale().getType(), "lhs_scale")))
    return failure();
  if (rhsType.getRank() != 2)
    return emitOpError() << "expects a 2-D rhs [K, N], got rank "
                         << rhsType.getRank();
  int64_t k = lhsType.getDimSize(rank - 1), n = rhsType.getDimSize(1);
  if (failed(verifyCompatibleShape({k}, {rhsType.getDimSize(0)})))
    return emitOpError() << "expects matching contraction sizes, got lhs "
                         << shapeString(lhsType.getShape()) << " and rhs "
                         << shapeString(rhsType.getShape());
  auto rhsElement = cast<quant::QuantizedType>(rhsType.getElementType());
  if (rhsElement.getStorageTypeIntegralWidth() != 8)
    return emitOpError() << "expects 8-bit rhs storage, got "
                         << rhsElement.getStorageTypeIntegralWidth()
                         << " bits";
  if (auto perAxis = getPerAxisType(rhsType);
      perAxis && perAxis.getQuantizedDimension() != 1)
    return emitOpError() << "expects a per-tensor rhs or one quantized along "
                            "dimension 1 (its columns), got dimension "
                         << perAxis.getQuantizedDimension();
  if (Value bias = getBias()) {
    auto biasType = cast<RankedTensorType>(bias.getType());
    if (biasType.getRank() != 1 ||
        failed(verifyCompatibleShape({n}, biasType.getShape())))
      return emitOpError() << "expects a bias of shape [" << n << "], got "
                           << shapeString(biasType.getShape());
  }
  SmallVector<int64_t> expected(lhsType.getShape().drop_back());
  expected.push_back(n);
  if (failed(verifyCompatibleShape(expected,
                                   getOutput().getType().getShape())))
    return emitOpError() << "expects result shape " << shapeString(expected)
                         << ", got "
                         << shapeString(getOutput().getType().getShape());
  return success();
}

LogicalResult DynamicActivationMatMulOp::verify() {
  RankedTensorType lhsType = getLhs().getType();
  RankedTensorType rhsType = getRhs().getType();
  int64_t rank = lhsType.getRank();
  if (rank != 2 && rank != 3)
    return emitOpError() << "expects lhs of rank 2 or 3, got rank " << rank;
  if (rhsType.getRank() != rank)
    return emitOpError() << "expects rhs of the rank of lhs (" << rank
                         << "), got rank " << rhsType.getRank();
  if (failed(verifyCompatibleShape(getLhsScale().getType().getShape(),
                                   getLhsZeroPoint().getType().getShape())))
    return emitOpError() << "expects lhs_scale and lhs_zero_point of the same "
                            "shape, got "
                         << shapeString(getLhsScale().getType().getShape())
                         << " and "
                         << shapeString(
                                getLhsZeroPoint().getType().getShape());
  if (failed(verifyDynamicParamShape(*this, lhsType.getShape(),
                                     getLhsScale().getType(), "lhs_scale")))
    return failure();
  if (rank == 3 && failed(verifyCompatibleShape({lhsType.getDimSize(0)},
                                                {rhsType.getDimSize(0)})))
    return emitOpError() << "expects matching batch sizes, got lhs "
                         << shapeString(lhsType.getShape()) << " and rhs "
                         << shapeString(rhsType.getShape());
  if (failed(verifyCompatibleShape({lhsType.getDimSize(rank - 1)},
                                   {rhsType.getDimSize(rank - 2)})))
    return emitOpError() << "expects matching contraction sizes, got lhs "
                         << shapeString(lhsType.getShape()) << " and rhs "
                         << shapeString(rhsType.getShape());
  SmallVector<int64_t> expected(lhsType.getShape().drop_back());
  expected.push_back(rhsType.getDimSize(rank - 1));
  if (failed(verifyCompatibleShape(expected,
                                   getOutput().getType().getShape())))
    return emitOpError() << "expects result shape " << shapeString(expected)
                         << ", got "
                         << shapeString(getOutput().getType().getShape());
  return success();
}
