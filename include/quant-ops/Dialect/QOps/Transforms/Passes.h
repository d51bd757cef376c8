//===- Passes.h - qops graph passes ------------------------------*- C++ -*-===//
//
// Graph-level passes on qops programs and the patterns behind them, for
// reuse by other MLIR compilers.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_DIALECT_QOPS_TRANSFORMS_PASSES_H
#define QUANTOPS_DIALECT_QOPS_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"

#include <optional>
#include <string>

namespace mlir::qops {

class BatchNormOp;

#define GEN_PASS_DECL
#include "quant-ops/Dialect/QOps/Transforms/Passes.h.inc"

/// Adds the patterns of --fold-bn: fold a batch_norm into its producer's
/// constant weights and bias when exact, else rewrite a batch_norm with
/// constant parameters as a per-channel multiply and add (with a remark
/// saying why it was not folded). Invalid parameters never match.
void populateFoldBatchNormPatterns(RewritePatternSet &patterns);

/// Adds the patterns of --fuse-activations: relu / relu6 / clamp into the
/// clamp range of a single-use conv2d, matmul, fully_connected or add.
void populateFuseActivationsPatterns(RewritePatternSet &patterns);

/// Why `op`'s parameters are invalid (variance + epsilon <= 0, non-finite
/// values), or nothing when they are valid or not constants.
std::optional<std::string> getInvalidBatchNormReason(BatchNormOp op);

/// Reports every cycle of direct calls among the functions of `module`
/// (recursion) as an error at the call closing it; fails if there is one.
LogicalResult checkNoRecursion(ModuleOp module);

#define GEN_PASS_REGISTRATION
#include "quant-ops/Dialect/QOps/Transforms/Passes.h.inc"

} // namespace mlir::qops

#endif // QUANTOPS_DIALECT_QOPS_TRANSFORMS_PASSES_H
