//===- QOpsOps.h - qops operation declarations -------------------*- C++ -*-===//
//
// Operations of the qops dialect, generated from QOpsOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_DIALECT_QOPS_IR_QOPSOPS_H
#define QUANTOPS_DIALECT_QOPS_IR_QOPSOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "quant-ops/Dialect/QOps/IR/QOpsDialect.h"
#include "quant-ops/Dialect/QOps/IR/QOpsTraits.h"

#include "quant-ops/Dialect/QOps/IR/QOpsInterfaces.h.inc"

#define GET_OP_CLASSES
#include "quant-ops/Dialect/QOps/IR/QOpsOps.h.inc"

#include <limits>

namespace mlir::qops {

/// The fused activation of a conv2d / matmul / fully_connected / add: its
/// result is clamped to [min, max], with -/+infinity for an absent bound.
struct FusedClamp {
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  /// Whether any bound is set.
  bool isSet() const {
    return min != -std::numeric_limits<double>::infinity() ||
           max != std::numeric_limits<double>::infinity();
  }
};

/// Reads the `clamp_min` / `clamp_max` attributes of `op`.
FusedClamp getFusedClamp(Operation *op);

/// Sets (or, for infinite bounds, removes) `clamp_min` / `clamp_max`.
void setFusedClamp(Operation *op, const FusedClamp &clamp);

} // namespace mlir::qops

#endif // QUANTOPS_DIALECT_QOPS_IR_QOPSOPS_H
