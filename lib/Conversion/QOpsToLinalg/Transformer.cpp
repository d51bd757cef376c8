//===- Transformer.cpp - Lowering of gather, layer_norm and gelu -*- C++ -*-===//
//
// The float lowerings of the transformer-encoder ops:
//   qops.gather      a linalg.generic over the result whose body reads the
//                    index (wrapped when negative, clamped into range) and
//                    extracts the data element;
//   qops.layer_norm  the input viewed as [rows, n] (n = the normalized
//                    trailing elements), then per-row sums, per-row sums of
//                    squared deviations and the element-wise normalization,
//                    as qops.group_norm does per group;
//   qops.gelu        one element-wise linalg.generic (erf / tanh form).
// None of them has an integer form.
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

/// Lowers qops.gather: output[o, i, p] = data[o, safe(indices[i]), p] with
/// safe(k) = clamp(k < 0 ? k + size : k, 0, size - 1).
struct ConvertGather : public OpConversionPattern<GatherOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    RankedTensorType dataType = op.getData().getType();
    RankedTensorType indexType = op.getIndices().getType();
    if (!type.hasStaticShape() || !dataType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shape");
    int64_t axis = op.getAxis();
    int64_t indexRank = indexType.getRank();
    int64_t rank = type.getRank();
    int64_t size = dataType.getDimSize(axis);
    MLIRContext *context = rewriter.getContext();

    // The index operand is read at the loop dimensions [axis, axis + rank(I)).
    SmallVector<AffineExpr> indexExprs;
    for (int64_t d = 0; d < indexRank; ++d)
      indexExprs.push_back(getAffineDimExpr(axis + d, context));
    SmallVector<AffineMap> maps = {
        AffineMap::get(rank, 0, indexExprs, context),
        rewriter.getMultiDimIdentityMap(rank)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    Value data = adaptor.getData();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{adaptor.getIndices()},
        ValueRange{emptyTensor(rewriter, loc, type)}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value k = args[0];
          if (!k.getType().isInteger(64))
            k = arith::ExtSIOp::create(b, l, b.getI64Type(), k);
          auto i64 = [&](int64_t v) -> Value {
            return arith::ConstantOp::create(b, l, b.getI64IntegerAttr(v));
          };
          Value negative = arith::CmpIOp::create(
              b, l, arith::CmpIPredicate::slt, k, i64(0));
          Value wrapped = arith::SelectOp::create(
              b, l, negative, arith::AddIOp::create(b, l, k, i64(size)), k);
          Value clamped = arith::MinSIOp::create(
              b, l, arith::MaxSIOp::create(b, l, wrapped, i64(0)),
              i64(size - 1));
          SmallVector<Value> at;
          for (int64_t d = 0; d < axis; ++d)
            at.push_back(linalg::IndexOp::create(b, l, d));
          at.push_back(
              arith::IndexCastOp::create(b, l, b.getIndexType(), clamped));
          for (int64_t d = axis + indexRank; d < rank; ++d)
            at.push_back(linalg::IndexOp::create(b, l, d));
          linalg::YieldOp::create(
              b, l, ValueRange{tensor::ExtractOp::create(b, l, data, at)});
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// `v` (static, rank >= 1) collapsed into [rows, n] where the first `lead`
/// dimensions make the rows (one row when `lead` is 0).
Value toRows(OpBuilder &b, Location loc, Value v, int64_t lead) {
  auto type = cast<RankedTensorType>(v.getType());
  int64_t rank = type.getRank();
  int64_t rows = 1;
  for (int64_t d = 0; d < lead; ++d)
    rows *= type.getDimSize(d);
  int64_t n = type.getNumElements() / rows;
  auto rowsType = RankedTensorType::get({rows, n}, type.getElementType());
  if (lead == 0) {
    ReassociationIndices all;
    for (int64_t d = 0; d < rank; ++d)
      all.push_back(d);
    Value flat = v;
    if (rank != 1)
      flat = tensor::CollapseShapeOp::create(
          b, loc, RankedTensorType::get({n}, type.getElementType()), v,
          ArrayRef<ReassociationIndices>{all});
    return tensor::ExpandShapeOp::create(b, loc, rowsType, flat,
                                         ArrayRef<ReassociationIndices>{{0, 1}});
  }
  ReassociationIndices first, second;
  for (int64_t d = 0; d < lead; ++d)
    first.push_back(d);
  for (int64_t d = lead; d < rank; ++d)
    second.push_back(d);
  return tensor::CollapseShapeOp::create(
      b, loc, rowsType, v, ArrayRef<ReassociationIndices>{first, second});
}

/// Lowers qops.layer_norm on f32 tensors.
struct ConvertLayerNorm : public OpConversionPattern<LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(LayerNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    RankedTensorType type = op.getType();
    if (!type.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shape");
    int64_t axis = op.getAxis();
    Value x = toRows(rewriter, loc, adaptor.getInput(), axis);
    auto rowsType = cast<RankedTensorType>(x.getType());
    int64_t rows = rowsType.getDimSize(0), n = rowsType.getDimSize(1);
    auto flatParam = [&](Value p) -> Value {
      auto pType = cast<RankedTensorType>(p.getType());
      if (pType.getRank() == 1)
        return p;
      ReassociationIndices all;
      for (int64_t d = 0; d < pType.getRank(); ++d)
        all.push_back(d);
      return tensor::CollapseShapeOp::create(
          rewriter, loc, RankedTensorType::get({n}, rewriter.getF32Type()), p,
          ArrayRef<ReassociationIndices>{all});
    };
    Value scale = flatParam(adaptor.getScale());
    Value bias = flatParam(adaptor.getBias());

    AffineMap rowMap =
        AffineMap::get(2, 0, {getAffineDimExpr(0, context)}, context);
    AffineMap columnMap =
        AffineMap::get(2, 0, {getAffineDimExpr(1, context)}, context);
    SmallVector<utils::IteratorType> reduce = {utils::IteratorType::parallel,
                                               utils::IteratorType::reduction};
    auto statType = RankedTensorType::get({rows}, rewriter.getF32Type());
    double count = static_cast<double>(n);

    Value y = buildNormalization(rewriter, loc, x, statType, rowMap, reduce,
                                 count, op.getEpsilonAttr().getValueAsDouble(),
                                 scale, bias, columnMap);
    // Back to the input's shape: the inverse of toRows.
    Value result;
    if (axis == 0) {
      result = reshapeTo(rewriter, loc, y, type);
    } else {
      ReassociationIndices first, second;
      for (int64_t d = 0; d < axis; ++d)
        first.push_back(d);
      for (int64_t d = axis; d < type.getRank(); ++d)
        second.push_back(d);
      result = tensor::ExpandShapeOp::create(
          rewriter, loc, type, y,
          ArrayRef<ReassociationIndices>{first, second});
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Lowers qops.gelu on f32 tensors, in the operations its description
/// lists.
struct ConvertGelu : public OpConversionPattern<GeluOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(GeluOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (isa<quant::QuantizedType>(op.getType().getElementType()))
      return failure(); // A qops.table after --convert-to-integer.
    bool tanhForm = op.getApproximate() == "tanh";
    Value result = buildElementwise(
        rewriter, op.getLoc(), op.getType(), {adaptor.getInput()},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value x = args[0];
          Value inner;
          if (tanhForm) {
            Value square = arith::MulFOp::create(b, l, x, x);
            Value cube = arith::MulFOp::create(b, l, square, x);
            Value scaledCube = arith::MulFOp::create(
                b, l, cube, constantF32(b, l, 0.044715f));
            Value sum = arith::AddFOp::create(b, l, x, scaledCube);
            Value argument = arith::MulFOp::create(
                b, l, sum, constantF32(b, l, 0.797884583f));
            inner = math::TanhOp::create(b, l, argument);
          } else {
            Value argument = arith::DivFOp::create(
                b, l, x, constantF32(b, l, 1.41421354f));
            inner = math::ErfOp::create(b, l, argument);
          }
          Value gate =
              arith::AddFOp::create(b, l, inner, constantF32(b, l, 1.0));
          Value product = arith::MulFOp::create(b, l, x, gate);
          return arith::MulFOp::create(b, l, product, constantF32(b, l, 0.5));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::qops::lowering::populateTransformerPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ConvertGather, ConvertLayerNorm, ConvertGelu>(
      patterns.getContext());
}
