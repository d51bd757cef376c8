//===- QOpsCanonicalization.td - declarative qops rewrites --*- tablegen -*-===//
//
// Local canonicalizations simple enough to state as DRR patterns. Rewrites
// that need arithmetic on attributes are C++ patterns in QOpsOps.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_DIALECT_QOPS_IR_QOPSCANONICALIZATION_TD
#define QUANTOPS_DIALECT_QOPS_IR_QOPSCANONICALIZATION_TD

include "mlir/IR/PatternBase.td"
include "quant-ops/Dialect/QOps/IR/QOpsOps.td"

/// reshape(reshape(x)) -> reshape(x): only the final shape matters.
def ReshapeOfReshape : Pat<
  (QOps_ReshapeOp (QOps_ReshapeOp $x)),
  (QOps_ReshapeOp $x)>;

/// relu6(relu(x)) -> relu6(x): relu6 already clamps at 0.
def Relu6OfRelu : Pat<
  (QOps_Relu6Op (QOps_ReluOp $x)),
  (QOps_Relu6Op $x)>;

#endif // QUANTOPS_DIALECT_QOPS_IR_QOPSCANONICALIZATION_TD
