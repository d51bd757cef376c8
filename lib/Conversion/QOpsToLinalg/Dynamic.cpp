//===- Dynamic.cpp - lower dynamic quantization to linalg -----------------===//
//
// qops.dynamic_quantize: min and max of each range (starting at 0, so the
// range already contains 0; NaN and infinities are read as 0), the scale and
// zero point from them, and the element-wise quantization, all in f32 with
// ONNX DynamicQuantizeLinear's operation order. The two passes over the data
// are written as explicit vector loops (16 f32 lanes per step, accumulators
// in registers): as linalg reductions they stayed scalar.
//
// qops.dynamic_matmul: the u8 x int8 -> i32 product over the rows of lhs,
// then an element-wise f32 epilogue. With a constant s8 rhs of zero point
// 0 and a kernel target the product is the packed int8 kernel of a
// fully-connected layer (vpdpbusd on VNNI CPUs) with a zero initializer;
// the run-time zero-point correction `zp[r] * colsum[n]` (colsum computed at
// compile time) is subtracted in the epilogue. Otherwise a generic
// contraction subtracts both zero points inside the loop.
//
//===----------------------------------------------------------------------===//

#include "IntegerBuilders.h"
#include "quant-ops/Conversion/QOpsToLinalg/QOpsToLinalg.h"
#include "quant-ops/Dialect/QOps/IR/QOpsOps.h"
#include "quant-ops/Dialect/QOps/IR/QuantTypeUtils.h"
#include "quant-ops/Dialect/QOps/IR/Requantization.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "llvm/Support/FormatVariadic.h"

#include <limits>

using namespace mlir;
using namespace mlir::qops;
using namespace mlir::qops::lowering;

namespace {

/// The map from the loops over `rank` dimensions to a parameter tensor of
/// rank `paramRank`: rank 0 (per tensor) reads the scalar, otherwise the
/// leading `paramRank` loop dimensions (per row).
AffineMap paramMap(MLIRContext *context, int64_t rank, int64_t paramRank) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < paramRank; ++d)
    exprs.push_back(getAffineDimExpr(d, context));
  return AffineMap::get(rank, 0, exprs, context);
}

/// Lanes of the vector min / max of dynamic_quantize's reduction.
constexpr int64_t kRangeLanes = 16;

/// The min and max (each from 0) of `x` over its dimensions from
/// `params.getRank()` on, as two tensors of type `params`; non-finite
/// elements count as 0. Explicit vector code: for each range, a loop over
/// chunks of kRangeLanes elements keeps a vector min and a vector max in
/// registers (the tail is read with padding 0, which the range contains
/// anyway), then reduces their lanes. min and max are exact, so the order
/// does not matter.
std::pair<Value, Value> buildMinMax(OpBuilder &b, Location loc, Value x,
                                    RankedTensorType params) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank(), kept = params.getRank();
  int64_t extent = 1, rows = 1;
  for (int64_t d = 0; d < rank; ++d)
    (d < kept ? rows : extent) *= type.getDimSize(d);
  Type f32 = b.getF32Type();
  // x as [rows, extent].
  Value flat = reshapeTo(b, loc, x, RankedTensorType::get({rows, extent}, f32));
  auto vecType = VectorType::get({kRangeLanes}, f32);
  Value zero = constantF32(b, loc, 0.0);
  Value zeros = vector::BroadcastOp::create(b, loc, vecType, zero);
  Value inf = vector::BroadcastOp::create(
      b, loc, vecType,
      constantF32(b, loc, std::numeric_limits<float>::infinity()));
  auto index = [&](int64_t v) { return constantIndex(b, loc, v); };
  auto accumulate = [&](OpBuilder &nb, Location l, Value lo, Value hi,
                        Value v) {
    Value finite = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OLT,
                                         math::AbsFOp::create(nb, l, v), inf);
    v = arith::SelectOp::create(nb, l, finite, v, zeros);
    return std::make_pair(
        arith::MinNumFOp::create(nb, l, lo, v).getResult(),
        arith::MaxNumFOp::create(nb, l, hi, v).getResult());
  };
  auto rowsType = RankedTensorType::get({rows}, f32);
  Value initMin = filledTensor(b, loc, rowsType, 0.0);
  Value initMax = filledTensor(b, loc, rowsType, 0.0);
  int64_t full = extent / kRangeLanes;
  auto outer = scf::ForOp::create(
      b, loc, index(0), index(rows), index(1), ValueRange{initMin, initMax},
      [&](OpBuilder &ob, Location l, Value r, ValueRange tensors) {
        auto inner = scf::ForOp::create(
            ob, l, index(0), index(full * kRangeLanes), index(kRangeLanes),
            ValueRange{zeros, zeros},
            [&](OpBuilder &ib, Location il, Value k, ValueRange accs) {
              Value v = vector::TransferReadOp::create(
                  ib, il, vecType, flat, ValueRange{r, k}, zero,
                  ArrayRef<bool>{true});
              auto [lo, hi] = accumulate(ib, il, accs[0], accs[1], v);
              scf::YieldOp::create(ib, il, ValueRange{lo, hi});
            });
        Value lo = inner.getResult(0), hi = inner.getResult(1);
        if (extent % kRangeLanes) {
          Value v = vector::TransferReadOp::create(
              ob, l, vecType, flat, ValueRange{r, index(full * kRangeLanes)},
              zero, ArrayRef<bool>{false});
          std::tie(lo, hi) = accumulate(ob, l, lo, hi, v);
        }
        Value loS = vector::ReductionOp::create(
            ob, l, vector::CombiningKind::MINNUMF, lo);
        Value hiS = vector::ReductionOp::create(
            ob, l, vector::CombiningKind::MAXNUMF, hi);
        Value loT = tensor::InsertOp::create(ob, l, loS, tensors[0],
                                             ValueRange{r});
        Value hiT = tensor::InsertOp::create(ob, l, hiS, tensors[1],
                                             ValueRange{r});
        scf::YieldOp::create(ob, l, ValueRange{loT, hiT});
      });
  return {reshapeTo(b, loc, outer.getResult(0), params),
          reshapeTo(b, loc, outer.getResult(1), params)};
}

/// clamp(round_half_even(x / s) + z, 0, 255) as i8 storage (u8 values), z
/// where x is NaN; `x`, `s` and the f32 zero point `z` are vectors of one
/// shape.
Value quantizeVector(OpBuilder &b, Location l, Value x, Value s, Value z) {
  Value rounded =
      math::RoundEvenOp::create(b, l, arith::DivFOp::create(b, l, x, s));
  Value shifted = arith::AddFOp::create(b, l, rounded, z);
  Value clamped = arith::MinNumFOp::create(
      b, l, arith::MaxNumFOp::create(b, l, shifted, constantF32Like(b, l, x, 0.0)),
      constantF32Like(b, l, x, 255.0));
  Value isNaN =
      arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, x, x);
  Value real = arith::SelectOp::create(b, l, isNaN, z, clamped);
  Value asI32 = arith::FPToSIOp::create(
      b, l, withElementType(x.getType(), b.getI32Type()), real);
  return arith::TruncIOp::create(
      b, l, withElementType(x.getType(), b.getI8Type()), asI32);
}

/// The element-wise quantization of dynamic_quantize, as explicit vector
/// code over [rows, extent] (rows: one per parameter): kRangeLanes elements
/// per step, the tail as one narrower vector.
Value buildQuantizeRows(OpBuilder &b, Location loc, Value x, Value scale,
                        Value zeroPoint) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rows = cast<RankedTensorType>(scale.getType()).getNumElements();
  int64_t extent = type.getNumElements() / rows;
  Type f32 = b.getF32Type(), i8 = b.getI8Type();
  Value flat = reshapeTo(b, loc, x, RankedTensorType::get({rows, extent}, f32));
  Value scales = reshapeTo(b, loc, scale, RankedTensorType::get({rows}, f32));
  Value zps = reshapeTo(b, loc, zeroPoint, RankedTensorType::get({rows}, i8));
  auto outType = RankedTensorType::get({rows, extent}, i8);
  auto index = [&](int64_t v) { return constantIndex(b, loc, v); };
  int64_t full = extent / kRangeLanes, tail = extent % kRangeLanes;
  auto outer = scf::ForOp::create(
      b, loc, index(0), index(rows), index(1),
      ValueRange{emptyTensor(b, loc, outType)},
      [&](OpBuilder &ob, Location l, Value r, ValueRange outs) {
        Value s = tensor::ExtractOp::create(ob, l, scales, ValueRange{r});
        Value z = arith::UIToFPOp::create(
            ob, l, f32, tensor::ExtractOp::create(ob, l, zps, ValueRange{r}));
        auto chunk = [&](OpBuilder &cb, Location cl, Value out, Value k,
                         int64_t lanes) {
          auto vecType = VectorType::get({lanes}, f32);
          Value v = vector::TransferReadOp::create(
              cb, cl, vecType, flat, ValueRange{r, k},
              constantF32(cb, cl, 0.0), ArrayRef<bool>{true});
          Value q = quantizeVector(
              cb, cl, v, vector::BroadcastOp::create(cb, cl, vecType, s),
              vector::BroadcastOp::create(cb, cl, vecType, z));
          return vector::TransferWriteOp::create(cb, cl, q, out,
                                                 ValueRange{r, k},
                                                 ArrayRef<bool>{true})
              .getResult();
        };
        auto inner = scf::ForOp::create(
            ob, l, index(0), index(full * kRangeLanes), index(kRangeLanes),
            ValueRange{outs[0]},
            [&](OpBuilder &ib, Location il, Value k, ValueRange acc) {
              scf::YieldOp::create(ib, il,
                                   chunk(ib, il, acc[0], k, kRangeLanes));
            });
        Value out = inner.getResult(0);
        if (tail)
          out = chunk(ob, l, out, index(full * kRangeLanes), tail);
        scf::YieldOp::create(ob, l, out);
      });
  return reshapeTo(b, loc, outer.getResult(0),
                   RankedTensorType::get(type.getShape(), i8));
}

/// qops.dynamic_quantize (see QOpsDynamicOps.td for the formulas).
struct ConvertDynamicQuantize : public OpConversionPattern<DynamicQuantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(DynamicQuantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    RankedTensorType scaleType = op.getScale().getType();
    int64_t paramRank = scaleType.getRank();
    Type i8 = rewriter.getI8Type();
    auto storageParams = RankedTensorType::get(scaleType.getShape(), i8);

    // min and max over each range, from 0 (the range always includes 0).
    auto [rangeMin, rangeMax] = buildMinMax(rewriter, loc, x, scaleType);

    // scale = (max - min) / 255 (1 for an all-zero range); the zero point
    // round_half_even(clamp(0 - min / scale, 0, 255)).
    SmallVector<utils::IteratorType> paramIterators(
        paramRank, utils::IteratorType::parallel);
    AffineMap paramIdentity = rewriter.getMultiDimIdentityMap(paramRank);
    auto params = linalg::GenericOp::create(
        rewriter, loc, TypeRange{scaleType, storageParams},
        ValueRange{rangeMin, rangeMax},
        ValueRange{emptyTensor(rewriter, loc, scaleType),
                   emptyTensor(rewriter, loc, storageParams)},
        SmallVector<AffineMap>(4, paramIdentity), paramIterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value lo = args[0], hi = args[1];
          Value width = arith::SubFOp::create(b, l, hi, lo);
          Value degenerate = arith::CmpFOp::create(
              b, l, arith::CmpFPredicate::OEQ, hi, lo);
          Value scale = arith::SelectOp::create(
              b, l, degenerate, constantF32(b, l, 1.0),
              arith::DivFOp::create(b, l, width, constantF32(b, l, 255.0)));
          Value initial = arith::SubFOp::create(
              b, l, constantF32(b, l, 0.0),
              arith::DivFOp::create(b, l, lo, scale));
          Value clamped = arith::MinNumFOp::create(
              b, l,
              arith::MaxNumFOp::create(b, l, initial, constantF32(b, l, 0.0)),
              constantF32(b, l, 255.0));
          Value zp = arith::TruncIOp::create(
              b, l, i8,
              arith::FPToSIOp::create(
                  b, l, b.getI32Type(),
                  math::RoundEvenOp::create(b, l, clamped)));
          linalg::YieldOp::create(b, l, ValueRange{scale, zp});
        });
    Value scale = params.getResult(0), zeroPoint = params.getResult(1);

    // y = clamp(round_half_even(x / scale) + zp, 0, 255); NaN -> zp.
    Value y = buildQuantizeRows(rewriter, loc, x, scale, zeroPoint);
    rewriter.replaceOp(op, {y, scale, zeroPoint});
    return success();
  }
};

/// The compile-time facts of a dynamic_matmul's rhs.
struct DynamicRhs {
  /// The storage integers of a constant rhs ([K, N] row-major).
  std::optional<SmallVector<int64_t>> values;
  /// Per-column zero points and f32 scales.
  SmallVector<int64_t> zeroPoints;
  SmallVector<float> scales;
  int64_t k = 0, n = 0;
  bool isSigned = true;

  static DynamicRhs of(DynamicMatMulOp op) {
    DynamicRhs rhs;
    RankedTensorType type = op.getRhs().getType();
    auto qtype = cast<quant::QuantizedType>(type.getElementType());
    rhs.k = type.getDimSize(0);
    rhs.n = type.getDimSize(1);
    rhs.isSigned = qtype.isSigned();
    rhs.values = getConstantQuantizedValues(op.getRhs());
    for (int64_t c = 0; c < rhs.n; ++c) {
      rhs.zeroPoints.push_back(getZeroPointAt(qtype, c));
      rhs.scales.push_back(static_cast<float>(getScaleAt(qtype, c)));
    }
    return rhs;
  }

  bool zeroPointsAreZero() const {
    return llvm::all_of(zeroPoints, [](int64_t z) { return z == 0; });
  }

  /// The bound of |sum_k (x - zx) * (w - zw)| for u8 x and zx.
  double accumulatorBound(quant::QuantizedType qtype) const {
    double worst = 0.0;
    for (int64_t c = 0; c < n; ++c) {
      double sum = 0.0;
      if (values) {
        for (int64_t kk = 0; kk < k; ++kk)
          sum += std::abs((*values)[kk * n + c] - zeroPoints[c]);
      } else {
        sum = static_cast<double>(k) *
              std::max(std::abs(qtype.getStorageTypeMin() - zeroPoints[c]),
                       std::abs(qtype.getStorageTypeMax() - zeroPoints[c]));
      }
      worst = std::max(worst, 255.0 * sum);
    }
    return worst;
  }
};

/// qops.dynamic_matmul (see QOpsDynamicOps.td for the formulas).
struct ConvertDynamicMatMul : public OpConversionPattern<DynamicMatMulOp> {
  ConvertDynamicMatMul(const TypeConverter &converter, MLIRContext *context,
                       std::optional<KernelTarget> kernels)
      : OpConversionPattern(converter, context), kernels(kernels) {}

  LogicalResult
  matchAndRewrite(DynamicMatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    DynamicRhs rhs = DynamicRhs::of(op);
    RankedTensorType lhsType = op.getLhs().getType();
    int64_t rank = lhsType.getRank();
    int64_t rows = lhsType.getNumElements() / rhs.k;
    bool perRow = op.getLhsScale().getType().getRank() != 0;
    Type i8 = rewriter.getI8Type(), i32 = rewriter.getI32Type(),
         f32 = rewriter.getF32Type();

    // Rows of lhs (and their parameters) as one dimension.
    auto collapseRows = [&](Value v, int64_t keptTrailing) -> Value {
      auto type = cast<RankedTensorType>(v.getType());
      if (type.getRank() == 1 + keptTrailing)
        return v;
      SmallVector<ReassociationIndices> groups;
      ReassociationIndices lead;
      for (int64_t d = 0; d + keptTrailing < type.getRank(); ++d)
        lead.push_back(d);
      groups.push_back(lead);
      for (int64_t d = type.getRank() - keptTrailing; d < type.getRank(); ++d)
        groups.push_back({d});
      return tensor::CollapseShapeOp::create(rewriter, loc, v, groups);
    };
    Value lhs = collapseRows(adaptor.getLhs(), 1);
    Value scale = adaptor.getLhsScale(), zeroPoint = adaptor.getLhsZeroPoint();
    if (perRow) {
      scale = collapseRows(scale, 0);
      zeroPoint = collapseRows(zeroPoint, 0);
    }
    int64_t paramRank = perRow ? 1 : 0;
    auto accType = RankedTensorType::get({rows, rhs.n}, i32);
    auto tableI32 = [&](ArrayRef<int64_t> values) -> Value {
      SmallVector<int32_t> ints(values.begin(), values.end());
      return arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(
              RankedTensorType::get({static_cast<int64_t>(ints.size())}, i32),
              ArrayRef<int32_t>(ints)));
    };

    // The i32 product; `colsums` set when the zero-point correction is
    // left to the epilogue.
    Value acc;
    SmallVector<int64_t> colsums;
    bool packed = kernels && rhs.values && rhs.isSigned &&
                  rhs.zeroPointsAreZero();
    if (packed) {
      auto i32Type = quant::UniformQuantizedType::get(
          quant::QuantizationFlags::Signed, i32, f32, 1.0, 0,
          std::numeric_limits<int32_t>::min(),
          std::numeric_limits<int32_t>::max());
      FailureOr<Requantizer> identity =
          Requantizer::get(op, {1.0}, 1, i32Type);
      if (failed(identity))
        return failure();
      SmallVector<int64_t> weightRows = matrixProductRows<int64_t>(
          ArrayRef(*rhs.values), op.getRhs().getType(),
          /*isFullyConnected=*/false);
      SmallVector<int64_t> init(rhs.n, 0);
      PackedConvolution conv;
      conv.signedInput = false;
      conv.weights = weightRows;
      conv.init = init;
      conv.requantizer = &*identity;
      acc = buildPackedMatrixProduct(rewriter, loc, conv, lhs, accType,
                                     *kernels);
      colsums.assign(rhs.n, 0);
      for (int64_t kk = 0; kk < rhs.k; ++kk)
        for (int64_t c = 0; c < rhs.n; ++c)
          colsums[c] += (*rhs.values)[kk * rhs.n + c];
    } else {
      Value weight;
      if (rhs.values) {
        SmallVector<APInt> ints;
        for (int64_t v : *rhs.values)
          ints.push_back(APInt(8, v, /*isSigned=*/true));
        weight = arith::ConstantOp::create(
            rewriter, loc,
            DenseElementsAttr::get(RankedTensorType::get({rhs.k, rhs.n}, i8),
                                   ints));
      } else {
        weight = adaptor.getRhs();
      }
      // Loops (r, n, k).
      auto dim = [&](int64_t d) { return getAffineDimExpr(d, context); };
      SmallVector<Value> inputs = {lhs, zeroPoint, weight};
      SmallVector<AffineMap> maps = {
          AffineMap::get(3, 0, {dim(0), dim(2)}, context),
          paramMap(context, 3, paramRank),
          AffineMap::get(3, 0, {dim(2), dim(1)}, context)};
      bool zpTable = !rhs.zeroPointsAreZero();
      if (zpTable) {
        inputs.push_back(tableI32(rhs.zeroPoints));
        maps.push_back(AffineMap::get(3, 0, {dim(1)}, context));
      }
      maps.push_back(AffineMap::get(3, 0, {dim(0), dim(1)}, context));
      bool signedRhs = rhs.isSigned;
      acc = linalg::GenericOp::create(
                rewriter, loc, TypeRange{accType}, inputs,
                ValueRange{filledTensor(rewriter, loc, accType,
                                        constantI32(rewriter, loc, 0))},
                maps,
                {utils::IteratorType::parallel, utils::IteratorType::parallel,
                 utils::IteratorType::reduction},
                [&](OpBuilder &b, Location l, ValueRange args) {
                  Value x = arith::SubIOp::create(
                      b, l, arith::ExtUIOp::create(b, l, i32, args[0]),
                      arith::ExtUIOp::create(b, l, i32, args[1]));
                  Value w =
                      signedRhs
                          ? arith::ExtSIOp::create(b, l, i32, args[2])
                                .getResult()
                          : arith::ExtUIOp::create(b, l, i32, args[2])
                                .getResult();
                  if (zpTable)
                    w = arith::SubIOp::create(b, l, w, args[3]);
                  Value product = arith::MulIOp::create(b, l, x, w);
                  linalg::YieldOp::create(
                      b, l,
                      arith::AddIOp::create(b, l, args.back(), product)
                          .getResult());
                })
                .getResult(0);
    }

    // Epilogue over (r, n): f32(acc - zp[r] colsum[n]) * f32(s[r] * sw[n])
    // + bias[n], then the fused clamp.
    auto outType = RankedTensorType::get({rows, rhs.n}, f32);
    AffineMap identity2 = rewriter.getMultiDimIdentityMap(2);
    AffineMap toRow = paramMap(context, 2, paramRank);
    AffineMap toColumn = AffineMap::get(2, 0, {getAffineDimExpr(1, context)},
                                        context);
    SmallVector<Value> inputs = {acc, scale};
    SmallVector<AffineMap> maps = {identity2, toRow};
    inputs.push_back(arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(RankedTensorType::get({rhs.n}, f32),
                               ArrayRef<float>(rhs.scales))));
    maps.push_back(toColumn);
    bool correct = !colsums.empty();
    if (correct) {
      inputs.push_back(zeroPoint);
      maps.push_back(toRow);
      inputs.push_back(tableI32(colsums));
      maps.push_back(toColumn);
    }
    Value bias = adaptor.getBias();
    if (bias) {
      inputs.push_back(bias);
      maps.push_back(toColumn);
    }
    maps.push_back(identity2);
    FusedClamp clamp = getFusedClamp(op);
    Value out =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{outType}, inputs,
            ValueRange{emptyTensor(rewriter, loc, outType)}, maps,
            {utils::IteratorType::parallel, utils::IteratorType::parallel},
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value a = args[0];
              unsigned next = 3;
              if (correct) {
                Value zp = arith::ExtUIOp::create(b, l, i32, args[next]);
                a = arith::SubIOp::create(
                    b, l, a, arith::MulIOp::create(b, l, zp, args[next + 1]));
                next += 2;
              }
              Value product = arith::MulFOp::create(b, l, args[1], args[2]);
              Value y = arith::MulFOp::create(
                  b, l, arith::SIToFPOp::create(b, l, f32, a), product);
              if (bias)
                y = arith::AddFOp::create(b, l, y, args[next]);
              linalg::YieldOp::create(b, l, clampToFused(b, l, y, clamp));
            })
            .getResult(0);
    if (rank != 2)
      out = tensor::ExpandShapeOp::create(
          rewriter, loc, op.getType(), out,
          ArrayRef<ReassociationIndices>{{0, 1}, {2}});
    rewriter.replaceOp(op, out);
    return success();
  }

private:
  std::optional<KernelTarget> kernels;
};

/// qops.dynamic_activation_matmul (see QOpsDynamicOps.td): a generic u8 x
/// u8 contraction with both run-time zero points subtracted in the loop,
/// then the f32 rescale.
struct ConvertDynamicActivationMatMul
    : public OpConversionPattern<DynamicActivationMatMulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(DynamicActivationMatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    RankedTensorType resultType = op.getType();
    int64_t rank = resultType.getRank();
    int64_t paramRank = op.getLhsScale().getType().getRank();
    Type i32 = rewriter.getI32Type(), f32 = rewriter.getF32Type();
    auto dim = [&](int64_t d) { return getAffineDimExpr(d, context); };
    // Loops ([b,] m, n, k).
    int64_t loops = rank + 1;
    SmallVector<AffineExpr> lhsExprs, rhsExprs, outExprs;
    for (int64_t d = 0; d + 2 < rank; ++d) {
      lhsExprs.push_back(dim(d));
      rhsExprs.push_back(dim(d));
      outExprs.push_back(dim(d));
    }
    int64_t m = rank - 2, n = rank - 1, k = rank;
    lhsExprs.append({dim(m), dim(k)});
    rhsExprs.append({dim(k), dim(n)});
    outExprs.append({dim(m), dim(n)});
    AffineMap scalar = AffineMap::get(loops, 0, {}, context);
    SmallVector<utils::IteratorType> iterators(loops,
                                               utils::IteratorType::parallel);
    iterators.back() = utils::IteratorType::reduction;
    auto accType = resultType.clone(i32);
    Value acc =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{accType},
            ValueRange{adaptor.getLhs(), adaptor.getLhsZeroPoint(),
                       adaptor.getRhs(), adaptor.getRhsZeroPoint()},
            ValueRange{filledTensor(rewriter, loc, accType,
                                    constantI32(rewriter, loc, 0))},
            ArrayRef<AffineMap>{
                AffineMap::get(loops, 0, lhsExprs, context),
                paramMap(context, loops, paramRank),
                AffineMap::get(loops, 0, rhsExprs, context), scalar,
                AffineMap::get(loops, 0, outExprs, context)},
            iterators,
            [&](OpBuilder &b, Location l, ValueRange args) {
              auto centered = [&](Value v, Value z) {
                return arith::SubIOp::create(
                    b, l, arith::ExtUIOp::create(b, l, i32, v),
                    arith::ExtUIOp::create(b, l, i32, z));
              };
              Value product = arith::MulIOp::create(
                  b, l, centered(args[0], args[1]), centered(args[2], args[3]));
              linalg::YieldOp::create(
                  b, l,
                  arith::AddIOp::create(b, l, args[4], product).getResult());
            })
            .getResult(0);
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    Value out =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{resultType},
            ValueRange{acc, adaptor.getLhsScale(), adaptor.getRhsScale()},
            ValueRange{emptyTensor(rewriter, loc, resultType)},
            ArrayRef<AffineMap>{identity, paramMap(context, rank, paramRank),
                                AffineMap::get(rank, 0, {}, context),
                                identity},
            SmallVector<utils::IteratorType>(rank,
                                             utils::IteratorType::parallel),
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value product = arith::MulFOp::create(b, l, args[1], args[2]);
              linalg::YieldOp::create(
                  b, l,
                  arith::MulFOp::create(
                      b, l, arith::SIToFPOp::create(b, l, f32, args[0]),
                      product)
                      .getResult());
            })
            .getResult(0);
    rewriter.replaceOp(op, out);
    return success();
  }
};

} // namespace

LogicalResult mlir::qops::checkDynamicLowering(Operation *op) {
  if (auto both = dyn_cast<DynamicActivationMatMulOp>(op)) {
    int64_t k = both.getLhs().getType().getShape().back();
    double bound = 255.0 * 255.0 * static_cast<double>(k);
    if (bound > std::numeric_limits<int32_t>::max())
      return op->emitOpError()
             << "cannot be lowered to integers: its i32 accumulator can reach "
             << llvm::formatv("{0:e3}", bound).str() << " (" << k
             << " products per output), beyond 2^31 - 1";
    return success();
  }
  auto matmul = dyn_cast<DynamicMatMulOp>(op);
  if (!matmul)
    return success();
  DynamicRhs rhs = DynamicRhs::of(matmul);
  double bound = rhs.accumulatorBound(
      cast<quant::QuantizedType>(matmul.getRhs().getType().getElementType()));
  if (bound > std::numeric_limits<int32_t>::max())
    return op->emitOpError()
           << "cannot be lowered to integers: its i32 accumulator can reach "
           << llvm::formatv("{0:e3}", bound).str() << " (" << rhs.k
           << " products per output), beyond 2^31 - 1";
  return success();
}

void mlir::qops::populateQOpsDynamicToLinalgConversionPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns,
    std::optional<KernelTarget> kernels) {
  patterns.add<ConvertDynamicQuantize, ConvertDynamicActivationMatMul>(
      converter, patterns.getContext());
  patterns.add<ConvertDynamicMatMul>(converter, patterns.getContext(),
                                     kernels);
}
