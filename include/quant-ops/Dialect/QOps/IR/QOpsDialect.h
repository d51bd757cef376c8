//===- QOpsDialect.h - qops dialect declaration ------------------*- C++ -*-===//
//
// The qops dialect: quantization-aware neural-network operators.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_DIALECT_QOPS_IR_QOPSDIALECT_H
#define QUANTOPS_DIALECT_QOPS_IR_QOPSDIALECT_H

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Dialect.h"

#include "quant-ops/Dialect/QOps/IR/QOpsOpsDialect.h.inc"

#endif // QUANTOPS_DIALECT_QOPS_IR_QOPSDIALECT_H
