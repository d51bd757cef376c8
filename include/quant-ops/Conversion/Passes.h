//===- Passes.h - conversion passes of quant-opt -----------------*- C++ -*-===//
//
// Declarations and registration of the conversion passes.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_CONVERSION_PASSES_H
#define QUANTOPS_CONVERSION_PASSES_H

#include "quant-ops/Conversion/LoweringSupport/LoweringSupport.h"
#include "quant-ops/Conversion/QOpsToLinalg/QOpsToLinalg.h"

#include "mlir/Pass/Pass.h"

namespace mlir::qops {

#define GEN_PASS_REGISTRATION
#include "quant-ops/Conversion/Passes.h.inc"

} // namespace mlir::qops

#endif // QUANTOPS_CONVERSION_PASSES_H
