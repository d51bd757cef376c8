//===- FuseActivations.cpp - fuse activations into producers --------------===//
//
// --fuse-activations: relu / relu6 / clamp become the clamp range of the
// conv2d, matmul, fully_connected or add that produces their input (directly
// or through single-use reshapes and transposes).
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Dialect/QOps/IR/QOpsOps.h"
#include "quant-ops/Dialect/QOps/Transforms/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <algorithm>

namespace mlir::qops {
#define GEN_PASS_DEF_QOPSFUSEACTIVATIONSPASS
#include "quant-ops/Dialect/QOps/Transforms/Passes.h.inc"
} // namespace mlir::qops

using namespace mlir;
using namespace mlir::qops;

/// The clamp range of an activation.
static FusedClamp getActivationRange(Operation *op) {
  FusedClamp range;
  if (isa<ReluOp>(op)) {
    range.min = 0.0;
  } else if (isa<Relu6Op>(op)) {
    range.min = 0.0;
    range.max = 6.0;
  } else {
    auto clamp = cast<ClampOp>(op);
    range.min = clamp.getMinAttr().getValueAsDouble();
    range.max = clamp.getMaxAttr().getValueAsDouble();
  }
  return range;
}

namespace {
/// act(producer(...)) -> producer(...) {clamp_min, clamp_max}.
template <typename ActivationOp>
struct FuseActivation : public OpRewritePattern<ActivationOp> {
  using OpRewritePattern<ActivationOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(ActivationOp op,
                                PatternRewriter &rewriter) const override {
    // Through single-use reshapes and transposes, which move values without
    // changing them (a 3-D convolution from the ONNX importer is a conv2d
    // followed by both): the clamp commutes with them.
    Operation *producer = op.getInput().getDefiningOp();
    while (isa_and_nonnull<ReshapeOp, TransposeOp>(producer) &&
           producer->hasOneUse())
      producer = producer->getOperand(0).getDefiningOp();
    if (!isa_and_nonnull<Conv2DOp, MatMulOp, FullyConnectedOp, AddOp>(
            producer))
      return rewriter.notifyMatchFailure(
          op, "input not produced by conv2d, matmul, fully_connected or add");
    if (!producer->getResult(0).hasOneUse())
      return rewriter.notifyMatchFailure(
          op, "the producer's unclamped result has other users");
    FusedClamp current = getFusedClamp(producer);
    FusedClamp range = getActivationRange(op);
    FusedClamp fused;
    fused.min = std::max(current.min, range.min);
    fused.max = std::min(current.max, range.max);
    if (fused.min > fused.max)
      return rewriter.notifyMatchFailure(
          op, "the activation's range does not overlap the producer's");
    rewriter.modifyOpInPlace(producer,
                             [&] { setFusedClamp(producer, fused); });
    rewriter.replaceOp(op, op.getInput());
    return success();
  }
};

struct QOpsFuseActivationsPass
    : public qops::impl::QOpsFuseActivationsPassBase<QOpsFuseActivationsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateFuseActivationsPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void mlir::qops::populateFuseActivationsPatterns(RewritePatternSet &patterns) {
  patterns.add<FuseActivation<ReluOp>, FuseActivation<Relu6Op>,
               FuseActivation<ClampOp>>(patterns.getContext());
}
