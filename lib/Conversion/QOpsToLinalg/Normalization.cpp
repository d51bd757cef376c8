//===- Normalization.cpp - Lowering of qops.group_norm ----------*- C++ -*-===//
//
// qops.group_norm on f32 tensors [N, ..., C]: the input is viewed as
// [N, ..., G, C/G] (tensor.expand_shape), then three linalg.generic ops:
// the per-(n, g) sums, the per-(n, g) sums of squared deviations from the
// mean, and the element-wise (x - mean) / sqrt(var + eps) * scale + bias;
// the result is collapsed back. The op has no integer form.
//
//===----------------------------------------------------------------------===//

#include "Builders.h"
#include "quant-ops/Conversion/QOpsToLinalg/QOpsToLinalg.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::qops;
using namespace mlir::qops::lowering;

namespace {

struct ConvertGroupNorm : public OpConversionPattern<GroupNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(GroupNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    RankedTensorType type = op.getType();
    if (!type.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shape");
    int64_t rank = type.getRank();
    int64_t channels = type.getDimSize(rank - 1);
    int64_t groups = op.getGroups();
    int64_t perGroup = channels / groups;

    // [N, ..., C] -> [N, ..., G, C/G]; dimension `g` is the group.
    SmallVector<int64_t> expandedShape(type.getShape().drop_back());
    expandedShape.append({groups, perGroup});
    auto expandedType = RankedTensorType::get(expandedShape, rewriter.getF32Type());
    SmallVector<ReassociationIndices> reassociation;
    for (int64_t d = 0; d < rank - 1; ++d)
      reassociation.push_back({d});
    reassociation.push_back({rank - 1, rank});
    Value x = tensor::ExpandShapeOp::create(rewriter, loc, expandedType,
                                            adaptor.getInput(), reassociation);
    int64_t loops = rank + 1, g = rank - 1;
    double count = static_cast<double>(type.getNumElements()) /
                   (type.getDimSize(0) * groups);

    AffineMap statMap = AffineMap::get(
        loops, 0, {getAffineDimExpr(0, context), getAffineDimExpr(g, context)},
        context);
    AffineMap paramMap = AffineMap::get(
        loops, 0,
        {getAffineDimExpr(g, context), getAffineDimExpr(g + 1, context)},
        context);
    SmallVector<utils::IteratorType> reduceIterators(
        loops, utils::IteratorType::reduction);
    reduceIterators[0] = reduceIterators[g] = utils::IteratorType::parallel;
    auto statType = RankedTensorType::get({type.getDimSize(0), groups},
                                          rewriter.getF32Type());

    // The per-channel parameters viewed as [G, C/G].
    auto paramType =
        RankedTensorType::get({groups, perGroup}, rewriter.getF32Type());
    auto viewParam = [&](Value v) -> Value {
      return tensor::ExpandShapeOp::create(
          rewriter, loc, paramType, v,
          ArrayRef<ReassociationIndices>{{0, 1}});
    };
    Value scale = viewParam(adaptor.getScale());
    Value bias = viewParam(adaptor.getBias());

    // (x - mean) / sqrt(var + epsilon) * scale + bias with mean = sum / count
    // and var = sum((x - mean)^2) / count.
    Value y = buildNormalization(rewriter, loc, x, statType, statMap,
                                 reduceIterators, count,
                                 op.getEpsilonAttr().getValueAsDouble(),
                                 scale, bias, paramMap);
    rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(op, type, y,
                                                         reassociation);
    return success();
  }
};

} // namespace

void mlir::qops::lowering::populateNormalizationPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ConvertGroupNorm>(patterns.getContext());
}
