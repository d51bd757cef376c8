//===- SCFToControlFlow.cpp - scf-to-cf in linear time --------------------===//
//
// qops-scf-to-cf: upstream's SCF-to-CF patterns applied last operation
// first, so that lowering thousands of loops of one block takes linear time.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Conversion/LoweringSupport/LoweringSupport.h"

#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::qops {
#define GEN_PASS_DEF_QOPSSCFTOCONTROLFLOWPASS
#include "quant-ops/Conversion/Passes.h.inc"
} // namespace mlir::qops

using namespace mlir;
using namespace mlir::qops;

namespace {
struct QOpsSCFToControlFlowPass
    : public qops::impl::QOpsSCFToControlFlowPassBase<
          QOpsSCFToControlFlowPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateSCFToControlFlowConversionPatterns(patterns);
    // As upstream's pass.
    ConversionTarget target(getContext());
    target.addIllegalOp<scf::ForallOp, scf::ForOp, scf::IfOp,
                        scf::IndexSwitchOp, scf::ParallelOp, scf::WhileOp,
                        scf::ExecuteRegionOp>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    // The operations of the function's blocks, last first (the driver
    // converts them, and what they nest, in this order).
    SmallVector<Operation *> ops;
    for (Block &block : getOperation().getBody())
      for (Operation &op : llvm::reverse(block))
        ops.push_back(&op);
    if (failed(applyPartialConversion(ops, target, std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
