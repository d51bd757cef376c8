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

/// Maps tensors of quantized types to tensors of their (signless) storage
/// integer type; every other type is kept.
TypeConverter getQuantStorageTypeConverter();

/// Adds the patterns that lower qops.quantize, qops.dequantize and
/// qops.requantize (to a per-tensor type) to element-wise linalg ops on the
/// storage integers, with the contract's rounding (half to even, zero point
/// added after rounding, saturation).
void populateQOpsQuantizationToLinalgConversionPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns);

} // namespace mlir::qops

#endif // QUANTOPS_CONVERSION_QOPSTOLINALG_QOPSTOLINALG_H
