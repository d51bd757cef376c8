//===- consumer-opt.cpp - an opt tool of another MLIR compiler ------------===//
//
// Embeds qops through the installed QuantOps package: the one-call
// registration, one pass created by hand into a pipeline of its own, and
// the fusion patterns reused in a pass of its own.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Dialect/QOps/Transforms/Passes.h"
#include "quant-ops/InitAll.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace {
/// A pass of the consumer's own built from qops' exported patterns.
struct ConsumerFusePass
    : public mlir::PassWrapper<ConsumerFusePass,
                               mlir::OperationPass<mlir::func::FuncOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(ConsumerFusePass)
  llvm::StringRef getArgument() const final { return "consumer-fuse"; }
  llvm::StringRef getDescription() const final {
    return "qops activation fusion patterns inside the consumer's pass";
  }
  void runOnOperation() override {
    mlir::RewritePatternSet patterns(&getContext());
    quantops::populateFuseActivationsPatterns(patterns);
    if (mlir::failed(
            mlir::applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  quantops::registerAllDialects(registry);
  quantops::registerAllPasses();
  mlir::PassRegistration<ConsumerFusePass>();
  mlir::PassPipelineRegistration<>(
      "consumer-pipeline", "qops' --fold-bn, then the consumer's fusion",
      [](mlir::OpPassManager &pm) {
        pm.addNestedPass<mlir::func::FuncOp>(
            quantops::createQOpsFoldBatchNormPass());
        pm.addNestedPass<mlir::func::FuncOp>(
            std::make_unique<ConsumerFusePass>());
      });
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "consumer-opt: embeds qops\n", registry));
}
