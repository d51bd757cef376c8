//===- QOpsDialect.cpp - qops dialect registration ------------------------===//
//
// Registers the qops operations with the dialect.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Dialect/QOps/IR/QOpsDialect.h"
#include "quant-ops/Dialect/QOps/IR/QOpsOps.h"

using namespace mlir;
using namespace mlir::qops;

#include "quant-ops/Dialect/QOps/IR/QOpsOpsDialect.cpp.inc"

void QOpsDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "quant-ops/Dialect/QOps/IR/QOpsOps.cpp.inc"
      >();
}
