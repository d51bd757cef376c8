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
#include <optional>

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

/// The operands of an op with weights: conv2d and fully_connected (weight
/// dimension 0 indexes output channels) and matmul (its right operand's
/// last dimension does). All three take (input, weight, optional bias).
struct WeightedOperands {
  unsigned weightIndex = 1;
  unsigned biasIndex = 2;
  /// The dimension of the weight that indexes output channels.
  int64_t channelDim = 0;

  Value getWeight(Operation *op) const { return op->getOperand(weightIndex); }
  /// The bias, or null when the op has none.
  Value getBias(Operation *op) const {
    return biasIndex < op->getNumOperands() ? op->getOperand(biasIndex)
                                            : Value();
  }
};

/// The weighted operands of a conv2d, fully_connected or matmul; nothing for
/// any other op.
std::optional<WeightedOperands> getWeightedOperands(Operation *op);

/// Reads the `clamp_min` / `clamp_max` attributes of `op`.
FusedClamp getFusedClamp(Operation *op);

/// Sets (or, for infinite bounds, removes) `clamp_min` / `clamp_max`.
void setFusedClamp(Operation *op, const FusedClamp &clamp);

/// Verifies that the optional fused clamp bounds of `op` are finite and
/// ordered.
LogicalResult verifyFusedClamp(Operation *op);

} // namespace mlir::qops

#endif // QUANTOPS_DIALECT_QOPS_IR_QOPSOPS_H
