//===- FoldBatchNorm.cpp - fold inference batch norms ---------------------===//
//
// --fold-bn: batch_norm folded into the constant weights and bias of its
// producer when exact, otherwise rewritten as a per-channel affine.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Dialect/QOps/IR/QOpsOps.h"
#include "quant-ops/Dialect/QOps/IR/QuantTypeUtils.h"
#include "quant-ops/Dialect/QOps/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace mlir::qops {
#define GEN_PASS_DEF_QOPSFOLDBATCHNORMPASS
#include "quant-ops/Dialect/QOps/Transforms/Passes.h.inc"
} // namespace mlir::qops

using namespace mlir;
using namespace mlir::qops;

namespace {
/// The constant parameters of a batch norm, as per-channel doubles.
struct BatchNormParams {
  SmallVector<double> gamma, beta, mean, variance;
  double epsilon;

  /// gamma / sqrt(var + eps) for channel c.
  double scale(size_t c) const {
    return gamma[c] / std::sqrt(variance[c] + epsilon);
  }
  /// beta - mean * scale for channel c.
  double shift(size_t c) const { return beta[c] - mean[c] * scale(c); }
};
} // namespace


static std::optional<BatchNormParams> getParams(BatchNormOp op) {
  auto gamma = getConstantFloatValues(op.getScale());
  auto beta = getConstantFloatValues(op.getOffset());
  auto mean = getConstantFloatValues(op.getMean());
  auto variance = getConstantFloatValues(op.getVariance());
  if (!gamma || !beta || !mean || !variance)
    return std::nullopt;
  return BatchNormParams{*gamma, *beta, *mean, *variance,
                         op.getEpsilonAttr().getValueAsDouble()};
}

std::optional<std::string>
mlir::qops::getInvalidBatchNormReason(BatchNormOp op) {
  std::optional<BatchNormParams> params = getParams(op);
  if (!params)
    return std::nullopt;
  for (size_t c = 0; c < params->gamma.size(); ++c) {
    double values[] = {params->gamma[c], params->beta[c], params->mean[c],
                       params->variance[c]};
    if (!llvm::all_of(values, [](double v) { return std::isfinite(v); }))
      return "parameters of channel " + std::to_string(c) +
             " are not finite";
    if (!(params->variance[c] + params->epsilon > 0.0))
      return "variance + epsilon of channel " + std::to_string(c) + " is " +
             std::to_string(params->variance[c] + params->epsilon) +
             ", not positive";
  }
  return std::nullopt;
}

/// The op a batch norm folds into: the producer of its input, or, through
/// a qops.reshape that keeps the last (channel) dimension and has no other
/// user (the 3-D convolution the ONNX importer builds from a conv2d whose
/// batch holds the output depths), that reshape's producer.
static Operation *getFoldTarget(BatchNormOp op, ReshapeOp *through) {
  Operation *producer = op.getInput().getDefiningOp();
  if (auto reshape = dyn_cast_or_null<ReshapeOp>(producer)) {
    RankedTensorType in = reshape.getInput().getType();
    RankedTensorType out = reshape.getType();
    Operation *inner = reshape.getInput().getDefiningOp();
    if (reshape->hasOneUse() && in.getRank() > 0 && out.getRank() > 0 &&
        in.getShape().back() == out.getShape().back() && inner &&
        getWeightedOperands(inner)) {
      if (through)
        *through = reshape;
      return inner;
    }
  }
  return producer;
}

/// Why `op` cannot be folded into its producer, or nothing if it can.
static std::optional<std::string> getFoldBlocker(BatchNormOp op) {
  Operation *producer = getFoldTarget(op, nullptr);
  std::optional<WeightedOperands> operands =
      producer ? getWeightedOperands(producer) : std::nullopt;
  if (!operands)
    return std::string("its input is not produced by a qops.conv2d, "
                       "qops.fully_connected or qops.matmul");
  if (!producer->getResult(0).hasOneUse())
    return "the " + producer->getName().getStringRef().str() +
           " result has other users";
  if (getFusedClamp(producer).isSet())
    return "the " + producer->getName().getStringRef().str() +
           " has a fused activation, which the batch norm follows";
  if (!getConstantFloatValues(operands->getWeight(producer)))
    return "the " + producer->getName().getStringRef().str() +
           " weights are not constants";
  if (Value bias = operands->getBias(producer);
      bias && !getConstantFloatValues(bias))
    return "the " + producer->getName().getStringRef().str() +
           " bias is not a constant";
  if (!getParams(op))
    return std::string("its parameters are not constants");
  return std::nullopt;
}

static Value makeConstant(PatternRewriter &rewriter, Location loc,
                          RankedTensorType type, ArrayRef<double> values) {
  SmallVector<float> floats(values.begin(), values.end());
  return arith::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(type, ArrayRef<float>(floats)));
}

namespace {
/// batch_norm(conv2d / fully_connected / matmul) -> the producer with scaled
/// weights and a shifted bias.
struct FoldBatchNormIntoProducer : public OpRewritePattern<BatchNormOp> {
  FoldBatchNormIntoProducer(MLIRContext *context)
      : OpRewritePattern(context, /*benefit=*/2) {}

  LogicalResult matchAndRewrite(BatchNormOp op,
                                PatternRewriter &rewriter) const override {
    if (std::optional<std::string> reason = getInvalidBatchNormReason(op))
      return rewriter.notifyMatchFailure(op, *reason);
    if (std::optional<std::string> blocker = getFoldBlocker(op))
      return rewriter.notifyMatchFailure(op, *blocker);

    ReshapeOp through;
    Operation *producer = getFoldTarget(op, &through);
    BatchNormParams params = *getParams(op);
    WeightedOperands operands = *getWeightedOperands(producer);
    Value weight = operands.getWeight(producer);
    int64_t channelDim = operands.channelDim;
    auto weightType = cast<RankedTensorType>(weight.getType());
    SmallVector<double> weights = *getConstantFloatValues(weight);
    int64_t channels = weightType.getDimSize(channelDim);
    // Elements sharing one channel index are `inner` apart in row-major
    // order: channel(i) = (i / inner) % channels.
    int64_t inner = 1;
    for (int64_t d = channelDim + 1; d < weightType.getRank(); ++d)
      inner *= weightType.getDimSize(d);
    for (auto [i, w] : llvm::enumerate(weights))
      w *= params.scale((i / inner) % channels);

    SmallVector<double> bias(channels, 0.0);
    if (Value oldBias = operands.getBias(producer))
      bias = *getConstantFloatValues(oldBias);
    for (int64_t c = 0; c < channels; ++c)
      bias[c] = (bias[c] - params.mean[c]) * params.scale(c) + params.beta[c];

    Location loc = producer->getLoc();
    rewriter.setInsertionPoint(producer);
    Value newWeight = makeConstant(rewriter, loc, weightType, weights);
    Value newBias = makeConstant(
        rewriter, loc,
        RankedTensorType::get({channels}, weightType.getElementType()), bias);
    Operation *folded;
    if (auto conv = dyn_cast<Conv2DOp>(producer))
      folded = Conv2DOp::create(
          rewriter, loc, conv.getType(), conv.getInput(), newWeight, newBias,
          conv.getStrideAttr(), conv.getPadAttr(), conv.getDilationAttr(),
          conv.getGroupsAttr(), /*clamp_min=*/nullptr, /*clamp_max=*/nullptr);
    else if (auto fc = dyn_cast<FullyConnectedOp>(producer))
      folded = FullyConnectedOp::create(rewriter, loc, fc.getType(),
                                        fc.getInput(), newWeight, newBias,
                                        nullptr, nullptr);
    else {
      auto matmul = cast<MatMulOp>(producer);
      folded = MatMulOp::create(rewriter, loc, matmul.getType(),
                                matmul.getLhs(), newWeight, newBias, nullptr,
                                nullptr);
    }
    if (through) {
      rewriter.setInsertionPoint(op);
      Value reshaped = ReshapeOp::create(rewriter, through.getLoc(),
                                         through.getType(),
                                         folded->getResult(0));
      rewriter.replaceOp(op, reshaped);
      rewriter.eraseOp(through);
    } else {
      rewriter.replaceOp(op, folded->getResults());
    }
    rewriter.eraseOp(producer);
    return success();
  }
};

/// batch_norm with constant parameters that cannot be folded ->
/// x * scale + shift, per channel of the last dimension.
struct BatchNormToAffine : public OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(BatchNormOp op,
                                PatternRewriter &rewriter) const override {
    if (std::optional<std::string> reason = getInvalidBatchNormReason(op))
      return rewriter.notifyMatchFailure(op, *reason);
    std::optional<BatchNormParams> params = getParams(op);
    if (!params)
      return rewriter.notifyMatchFailure(op, "parameters are not constants");
    std::optional<std::string> blocker = getFoldBlocker(op);
    if (!blocker)
      return rewriter.notifyMatchFailure(op, "foldable into its producer");
    op.emitRemark() << "not folded into its producer: " << *blocker
                    << "; rewritten as a per-channel multiply and add";

    size_t channels = params->gamma.size();
    SmallVector<double> scale(channels), shift(channels);
    for (size_t c = 0; c < channels; ++c) {
      scale[c] = params->scale(c);
      shift[c] = params->shift(c);
    }
    Location loc = op.getLoc();
    auto paramType = op.getScale().getType();
    RankedTensorType type = op.getType();
    Value scaled = MulOp::create(rewriter, loc, type, op.getInput(),
                                 makeConstant(rewriter, loc, paramType, scale));
    rewriter.replaceOpWithNewOp<AddOp>(
        op, type, scaled, makeConstant(rewriter, loc, paramType, shift),
        /*clamp_min=*/nullptr, /*clamp_max=*/nullptr);
    return success();
  }
};

struct QOpsFoldBatchNormPass
    : public qops::impl::QOpsFoldBatchNormPassBase<QOpsFoldBatchNormPass> {
  void runOnOperation() override {
    bool invalid = false;
    getOperation().walk([&](BatchNormOp op) {
      if (std::optional<std::string> reason = getInvalidBatchNormReason(op)) {
        op.emitError() << "cannot fold batch norm: " << *reason;
        invalid = true;
      }
    });
    if (invalid)
      return signalPassFailure();

    RewritePatternSet patterns(&getContext());
    populateFoldBatchNormPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();

    getOperation().walk([&](BatchNormOp op) {
      op.emitWarning() << "batch norm kept: its parameters are not "
                          "constants, so it can be neither folded nor "
                          "rewritten as a per-channel affine";
    });
  }
};
} // namespace

void mlir::qops::populateFoldBatchNormPatterns(RewritePatternSet &patterns) {
  patterns.add<FoldBatchNormIntoProducer, BatchNormToAffine>(
      patterns.getContext());
}
