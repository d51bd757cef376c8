//===- Spatial.cpp - Lowering of resizes and reflect / edge padding -*- C++ -*-===//
//
// qops.resize_nearest, qops.resize_bilinear and qops.pad in the modes
// "reflect" and "edge": each output element reads input elements at source
// indices computed from its own (a linalg.generic over the result whose
// body extracts from the input). Nearest resize and the two paddings only
// copy values, so the same lowering serves f32 and quantized tensors (it
// copies the storage integers: input and result share their parameters).
// Bilinear resize is f32 only (a float island in int8 programs; see its
// description).
//
//===----------------------------------------------------------------------===//

#include "Builders.h"
#include "quant-ops/Conversion/QOpsToLinalg/QOpsToLinalg.h"
#include "quant-ops/Dialect/QOps/IR/QuantTypeUtils.h"

#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::qops;
using namespace mlir::qops::lowering;

namespace {

/// A linalg.generic that fills a tensor of `resultType` element by
/// element: `body(b, loc, indices)` returns the element at the output
/// indices `indices` (linalg.index of every dimension).
Value buildGather(
    OpBuilder &b, Location loc, RankedTensorType resultType,
    llvm::function_ref<Value(OpBuilder &, Location, ArrayRef<Value>)> body) {
  int64_t rank = resultType.getRank();
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank)};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, ValueRange{},
      ValueRange{emptyTensor(b, loc, resultType)}, maps, iterators,
      [&](OpBuilder &nested, Location l, ValueRange) {
        SmallVector<Value> indices;
        for (int64_t d = 0; d < rank; ++d)
          indices.push_back(linalg::IndexOp::create(nested, l, d));
        linalg::YieldOp::create(nested, l, body(nested, l, indices));
      });
  return generic.getResult(0);
}

/// A constant 1-D i64 tensor of `values`.
Value indexTable(OpBuilder &b, Location loc, ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                    b.getI64Type());
  return arith::ConstantOp::create(b, loc,
                                   DenseIntElementsAttr::get(type, values));
}

/// A constant 1-D f32 tensor of `values`.
Value weightTable(OpBuilder &b, Location loc, ArrayRef<float> values) {
  auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                    b.getF32Type());
  return arith::ConstantOp::create(b, loc,
                                   DenseFPElementsAttr::get(type, values));
}

/// Entry `i` (+ `offset`) of a 1-D table, as an index (i64 tables) or as it
/// is (f32 tables).
Value readTable(OpBuilder &b, Location loc, Value table, Value i,
                int64_t offset = 0, int64_t scale = 1) {
  Value at = i;
  if (scale != 1)
    at = arith::MulIOp::create(b, loc, at, constantIndex(b, loc, scale));
  if (offset != 0)
    at = arith::AddIOp::create(b, loc, at, constantIndex(b, loc, offset));
  Value v = tensor::ExtractOp::create(b, loc, table, ValueRange{at});
  if (v.getType().isInteger(64))
    return arith::IndexCastOp::create(b, loc, b.getIndexType(), v);
  return v;
}

/// Lowers qops.pad in the modes "reflect" and "edge": output index `i` of
/// a dimension padded by `lo` reads `s = i - lo`, mirrored (`-s` below 0,
/// `2 (size - 1) - s` past the end) or clamped to `[0, size)`.
struct ConvertGatherPad : public OpConversionPattern<PadOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (op.isConstantMode())
      return failure(); // tensor.pad (QOpsToLinalg.cpp, IntegerToLinalg.cpp).
    bool reflect = op.getModeOrDefault() == "reflect";
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    ArrayRef<int64_t> pad = op.getPad();
    Value result = buildGather(
        rewriter, op.getLoc(), toStorageType(op.getType()),
        [&](OpBuilder &b, Location loc, ArrayRef<Value> out) {
          SmallVector<Value> source;
          for (auto [d, i] : llvm::enumerate(out)) {
            int64_t lo = pad[2 * d], hi = pad[2 * d + 1];
            int64_t size = inputType.getDimSize(d);
            if (lo == 0 && hi == 0) {
              source.push_back(i);
              continue;
            }
            Value zero = constantIndex(b, loc, 0);
            Value last = constantIndex(b, loc, size - 1);
            Value s = arith::SubIOp::create(b, loc, i,
                                            constantIndex(b, loc, lo));
            Value below, above;
            if (reflect) {
              below = arith::SubIOp::create(b, loc, zero, s);
              above = arith::SubIOp::create(
                  b, loc, constantIndex(b, loc, 2 * (size - 1)), s);
            } else {
              below = zero;
              above = last;
            }
            Value isBelow = arith::CmpIOp::create(
                b, loc, arith::CmpIPredicate::slt, s, zero);
            Value isAbove = arith::CmpIOp::create(
                b, loc, arith::CmpIPredicate::sgt, s, last);
            s = arith::SelectOp::create(b, loc, isBelow, below, s);
            s = arith::SelectOp::create(b, loc, isAbove, above, s);
            source.push_back(s);
          }
          return tensor::ExtractOp::create(b, loc, input, source);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Lowers qops.resize_nearest: output [n, i, j, c] reads input
/// [n, rows[i], cols[j], c] (float or storage integers).
struct ConvertResizeNearest : public OpConversionPattern<ResizeNearestOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ResizeNearestOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    Value rows = indexTable(rewriter, loc, op.getRows());
    Value cols = indexTable(rewriter, loc, op.getCols());
    Value result = buildGather(
        rewriter, loc, toStorageType(op.getType()),
        [&](OpBuilder &b, Location l, ArrayRef<Value> out) {
          Value r = readTable(b, l, rows, out[1]);
          Value c = readTable(b, l, cols, out[2]);
          return tensor::ExtractOp::create(b, l, input,
                                           ValueRange{out[0], r, c, out[3]});
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Lowers qops.resize_bilinear: the two row and two column neighbours of
/// each output element, blended in f32 in the op's stated order.
struct ConvertResizeBilinear : public OpConversionPattern<ResizeBilinearOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ResizeBilinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    Value rows = indexTable(rewriter, loc, op.getRows());
    Value cols = indexTable(rewriter, loc, op.getCols());
    Value rowWeights = weightTable(rewriter, loc, op.getRowWeights());
    Value colWeights = weightTable(rewriter, loc, op.getColWeights());
    Value result = buildGather(
        rewriter, loc, op.getType(),
        [&](OpBuilder &b, Location l, ArrayRef<Value> out) {
          Value r0 = readTable(b, l, rows, out[1], 0, 2);
          Value r1 = readTable(b, l, rows, out[1], 1, 2);
          Value c0 = readTable(b, l, cols, out[2], 0, 2);
          Value c1 = readTable(b, l, cols, out[2], 1, 2);
          Value a = readTable(b, l, rowWeights, out[1]);
          Value bw = readTable(b, l, colWeights, out[2]);
          Value one = constantF32(b, l, 1.0);
          Value a0 = arith::SubFOp::create(b, l, one, a);
          Value b0 = arith::SubFOp::create(b, l, one, bw);
          auto at = [&](Value r, Value c) {
            return tensor::ExtractOp::create(b, l, input,
                                             ValueRange{out[0], r, c, out[3]})
                .getResult();
          };
          auto blendColumns = [&](Value r) {
            Value left = arith::MulFOp::create(b, l, b0, at(r, c0));
            Value right = arith::MulFOp::create(b, l, bw, at(r, c1));
            return arith::AddFOp::create(b, l, left, right).getResult();
          };
          Value top = arith::MulFOp::create(b, l, a0, blendColumns(r0));
          Value bottom = arith::MulFOp::create(b, l, a, blendColumns(r1));
          return arith::AddFOp::create(b, l, top, bottom).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::qops::lowering::populateSpatialPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ConvertGatherPad, ConvertResizeNearest, ConvertResizeBilinear>(
      patterns.getContext());
}
