//===- FuseElementwise.cpp - element-wise fusion with bounded bodies ------===//
//
// qops-fuse-elementwise: upstream's element-wise fusion patterns, with a
// bound on the size of the fused bodies so that long chains fuse in linear
// time.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Conversion/LoweringSupport/LoweringSupport.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qops {
#define GEN_PASS_DEF_QOPSFUSEELEMENTWISEPASS
#include "quant-ops/Conversion/Passes.h.inc"
} // namespace mlir::qops

using namespace mlir;
using namespace mlir::qops;

/// Operations in the body of a linalg op (0 for other ops).
static int64_t getBodySize(Operation *op) {
  auto linalgOp = dyn_cast_or_null<linalg::LinalgOp>(op);
  if (!linalgOp || op->getNumRegions() != 1 || op->getRegion(0).empty())
    return 0;
  return int64_t(op->getRegion(0).front().getOperations().size());
}

/// The number of iterations of a linalg op with static loop ranges (-1 when
/// unknown).
static int64_t getIterationCount(Operation *op) {
  auto linalgOp = dyn_cast_or_null<linalg::LinalgOp>(op);
  if (!linalgOp)
    return -1;
  int64_t count = 1;
  for (int64_t range : linalgOp.getStaticLoopRanges()) {
    if (ShapedType::isDynamic(range))
      return -1;
    count *= range;
  }
  return count;
}

/// Fusing a producer that runs fewer iterations than its user (a broadcast
/// operand, e.g. a squeeze-excitation gate of [1, 1, 1, C] multiplying a
/// [1, H, W, C] tensor) would recompute it for every element of the user.
static bool fusionRepeatsWork(Operation *producer, Operation *user) {
  int64_t producerCount = getIterationCount(producer);
  int64_t userCount = getIterationCount(user);
  return producerCount >= 0 && userCount >= 0 && producerCount < userCount;
}

namespace {
struct QOpsFuseElementwisePass
    : public qops::impl::QOpsFuseElementwisePassBase<QOpsFuseElementwisePass> {
  using Base::Base;

  void runOnOperation() override {
    MLIRContext *context = &getContext();
    int64_t limit = maxBodyOps;
    // As upstream: fuse a producer only into its single user; and only while
    // the fused body stays small (each fusion copies the producer's body).
    linalg::ControlFusionFn control = [limit](OpOperand *fused) {
      Operation *producer = fused->get().getDefiningOp();
      if (!producer || !producer->hasOneUse() ||
          fusionRepeatsWork(producer, fused->getOwner()))
        return false;
      return getBodySize(producer) + getBodySize(fused->getOwner()) <= limit;
    };
    linalg::ControlFusionFn singleUse = [](OpOperand *fused) {
      Operation *producer = fused->get().getDefiningOp();
      return producer && producer->hasOneUse();
    };

    RewritePatternSet patterns(context);
    linalg::populateElementwiseOpsFusionPatterns(patterns, control);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, singleUse);
    tensor::populateBubbleUpExpandShapePatterns(patterns);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, context);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, context);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, context);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, context);
    context->getLoadedDialect<linalg::LinalgDialect>()
        ->getCanonicalizationPatterns(patterns);
    linalg::populateConstantFoldLinalgOperations(patterns, singleUse);
    // As upstream, a rewrite that does not converge is not an error.
    (void)applyPatternsGreedily(getOperation(), std::move(patterns),
                                GreedyRewriteConfig().setUseTopDownTraversal());
  }
};
} // namespace
