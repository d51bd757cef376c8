//===- Reductions.cpp - Lowering of the qops reductions ---------*- C++ -*-===//
//
// qops.reduce_mean / reduce_sum / reduce_max / reduce_min on f32 tensors:
// one linalg.generic that reduces `axes` into the tensor of the kept
// dimensions (the mean then divides by the count), expanded back to the
// result shape when `keepdims` is set. The integer forms are in
// IntegerToLinalg.cpp.
//
//===----------------------------------------------------------------------===//

#include "Builders.h"
#include "quant-ops/Conversion/QOpsToLinalg/QOpsToLinalg.h"
#include "quant-ops/Dialect/QOps/IR/QuantTypeUtils.h"

#include "mlir/Transforms/DialectConversion.h"

#include <limits>

using namespace mlir;
using namespace mlir::qops;
using namespace mlir::qops::lowering;

Value mlir::qops::lowering::expandToKeepdims(OpBuilder &b, Location loc,
                                             Value reduced,
                                             RankedTensorType resultType,
                                             int64_t rank,
                                             ArrayRef<int64_t> axes) {
  if (cast<RankedTensorType>(reduced.getType()).getShape() ==
      resultType.getShape())
    return reduced;
  // Each kept dimension takes the reduced (unit) dimensions before it; the
  // last one also those after it. Reducing every dimension expands a rank-0
  // tensor (no groups).
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices current;
  for (int64_t d = 0; d < rank; ++d) {
    current.push_back(d);
    if (!llvm::is_contained(axes, d)) {
      groups.push_back(current);
      current.clear();
    }
  }
  if (!groups.empty())
    groups.back().append(current.begin(), current.end());
  return tensor::ExpandShapeOp::create(b, loc, resultType, reduced, groups);
}

Value mlir::qops::lowering::buildReduction(
    OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> axes,
    Value init,
    llvm::function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  MLIRContext *context = b.getContext();
  auto inputType = cast<RankedTensorType>(input.getType());
  int64_t rank = inputType.getRank();
  SmallVector<int64_t> kept;
  SmallVector<AffineExpr> keptExprs;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t d = 0; d < rank; ++d) {
    bool reduced = llvm::is_contained(axes, d);
    iterators.push_back(reduced ? utils::IteratorType::reduction
                                : utils::IteratorType::parallel);
    if (!reduced) {
      kept.push_back(inputType.getDimSize(d));
      keptExprs.push_back(getAffineDimExpr(d, context));
    }
  }
  auto reducedType = RankedTensorType::get(kept, init.getType());
  return linalg::GenericOp::create(
             b, loc, TypeRange{reducedType}, ValueRange{input},
             ValueRange{filledTensor(b, loc, reducedType, init)},
             ArrayRef<AffineMap>{AffineMap::getMultiDimIdentityMap(rank,
                                                                   context),
                                 AffineMap::get(rank, 0, keptExprs, context)},
             iterators,
             [&](OpBuilder &nested, Location l, ValueRange args) {
               linalg::YieldOp::create(nested, l,
                                       combine(nested, l, args[0], args[1]));
             })
      .getResult(0);
}

namespace {

/// Lowers a float reduction: identity-initialised accumulator, one combine
/// per element, the mean divided by the number of reduced elements.
template <typename OpT>
struct ConvertReduce : public OpConversionPattern<OpT> {
  using OpConversionPattern<OpT>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpT op, typename OpT::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (isQuantized(op.getType()))
      return failure(); // The integer lowering.
    Location loc = op.getLoc();
    RankedTensorType inputType = op.getInput().getType();
    ArrayRef<int64_t> axes = op.getAxes();
    double init = 0.0;
    if (std::is_same_v<OpT, ReduceMaxOp>)
      init = -std::numeric_limits<double>::infinity();
    if (std::is_same_v<OpT, ReduceMinOp>)
      init = std::numeric_limits<double>::infinity();
    Value reduced = buildReduction(
        rewriter, loc, adaptor.getInput(), axes,
        constantF32(rewriter, loc, init),
        [](OpBuilder &b, Location l, Value x, Value acc) -> Value {
          if (std::is_same_v<OpT, ReduceMaxOp>)
            return arith::MaximumFOp::create(b, l, x, acc);
          if (std::is_same_v<OpT, ReduceMinOp>)
            return arith::MinimumFOp::create(b, l, x, acc);
          return arith::AddFOp::create(b, l, acc, x);
        });
    if (std::is_same_v<OpT, ReduceMeanOp>) {
      double count = 1;
      for (int64_t axis : axes)
        count *= inputType.getDimSize(axis);
      reduced = buildElementwise(
          rewriter, loc, cast<RankedTensorType>(reduced.getType()), {reduced},
          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
            return arith::DivFOp::create(b, l, args[0],
                                         constantF32(b, l, count));
          });
    }
    rewriter.replaceOp(op, expandToKeepdims(rewriter, loc, reduced,
                                            op.getType(), inputType.getRank(),
                                            axes));
    return success();
  }
};

} // namespace

void mlir::qops::lowering::populateReductionPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ConvertReduce<ReduceMeanOp>, ConvertReduce<ReduceSumOp>,
               ConvertReduce<ReduceMaxOp>, ConvertReduce<ReduceMinOp>>(
      patterns.getContext());
}
