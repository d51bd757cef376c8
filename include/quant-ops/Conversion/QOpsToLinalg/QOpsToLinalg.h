//===- QOpsToLinalg.h - lowering qops to linalg on tensors -------*- C++ -*-===//
//
// Patterns that lower float qops ops to linalg / tensor / arith / math.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_CONVERSION_QOPSTOLINALG_QOPSTOLINALG_H
#define QUANTOPS_CONVERSION_QOPSTOLINALG_QOPSTOLINALG_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::qops {

#define GEN_PASS_DECL_CONVERTQOPSTOLINALGPASS
#include "quant-ops/Conversion/Passes.h.inc"

/// Adds the patterns that lower every float-domain qops op to linalg,
/// tensor, arith and math ops on tensors. Quantized-domain ops do not match.
void populateQOpsToLinalgConversionPatterns(RewritePatternSet &patterns);

} // namespace mlir::qops

#endif // QUANTOPS_CONVERSION_QOPSTOLINALG_QOPSTOLINALG_H
