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

#define GET_OP_CLASSES
#include "quant-ops/Dialect/QOps/IR/QOpsOps.h.inc"

#endif // QUANTOPS_DIALECT_QOPS_IR_QOPSOPS_H
