//===- Builders.h - IR builders shared by the qops lowerings -----*- C++ -*-===//
//
// Internal to lib/Conversion/QOpsToLinalg: small builders of linalg / tensor
// IR used by both the float and the integer lowering patterns.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_LIB_CONVERSION_QOPSTOLINALG_BUILDERS_H
#define QUANTOPS_LIB_CONVERSION_QOPSTOLINALG_BUILDERS_H

#include "quant-ops/Conversion/LoweringSupport/LoweringSupport.h"
#include "quant-ops/Dialect/QOps/IR/QOpsOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Matchers.h"

#include <cmath>

namespace mlir::qops::lowering {

using BodyFn = llvm::function_ref<Value(OpBuilder &, Location, ValueRange)>;

inline Value constantF32(OpBuilder &b, Location loc, double value) {
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(value));
}

/// Marks the loops of `nest` as a parallel band (kParallelAttrName): their
/// iterations are independent, so qops-outline-parallel-loops may split
/// them across threads.
inline void markParallel(const scf::LoopNest &nest) {
  for (scf::ForOp loop : nest.loops)
    loop->setAttr(kParallelAttrName,
                  UnitAttr::get(loop.getContext()));
}

inline Value constantIndex(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

/// `type` with a quantized element type replaced by its storage integer.
inline RankedTensorType toStorageType(RankedTensorType type) {
  if (auto q = dyn_cast<quant::QuantizedType>(type.getElementType()))
    return type.clone(q.getStorageType());
  return type;
}

inline Value emptyTensor(OpBuilder &b, Location loc, RankedTensorType type) {
  return tensor::EmptyOp::create(b, loc, type.getShape(),
                                 type.getElementType());
}

/// A tensor of `type` filled with the scalar `value`.
inline Value filledTensor(OpBuilder &b, Location loc, RankedTensorType type,
                          Value value) {
  return linalg::FillOp::create(b, loc, value, emptyTensor(b, loc, type))
      .getResult(0);
}

/// A tensor of `type` filled with the f32 `value`.
inline Value filledTensor(OpBuilder &b, Location loc, RankedTensorType type,
                          double value) {
  return filledTensor(b, loc, type, constantF32(b, loc, value));
}

/// The indexing map from the loops of an element-wise op with result shape
/// `resultShape` to an operand of shape `shape`, under NumPy broadcasting:
/// shapes align on their last dimension, and a size-1 dimension facing a
/// larger one is read at index 0.
inline AffineMap broadcastMap(MLIRContext *context, ArrayRef<int64_t> shape,
                              ArrayRef<int64_t> resultShape) {
  int64_t rank = resultShape.size();
  int64_t offset = rank - static_cast<int64_t>(shape.size());
  SmallVector<AffineExpr> exprs;
  for (auto [i, size] : llvm::enumerate(shape)) {
    int64_t dim = offset + static_cast<int64_t>(i);
    exprs.push_back(size == 1 && resultShape[dim] != 1
                        ? getAffineConstantExpr(0, context)
                        : getAffineDimExpr(dim, context));
  }
  return AffineMap::get(rank, 0, exprs, context);
}

/// A parallel linalg.generic over `resultType` whose body computes one
/// result element from one element of each (broadcast) input.
inline Value buildElementwise(OpBuilder &b, Location loc,
                              RankedTensorType resultType, ValueRange inputs,
                              BodyFn body) {
  MLIRContext *context = b.getContext();
  SmallVector<AffineMap> maps;
  for (Value input : inputs)
    maps.push_back(broadcastMap(
        context, cast<RankedTensorType>(input.getType()).getShape(),
        resultType.getShape()));
  maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  SmallVector<utils::IteratorType> iterators(resultType.getRank(),
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, inputs,
      ValueRange{emptyTensor(b, loc, resultType)}, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(nested, nestedLoc,
                                body(nested, nestedLoc, args.drop_back()));
      });
  return generic.getResult(0);
}

/// A normalization (layer_norm, group_norm) of `x`: over the reduction
/// loops of `iterators`, `mean = sum(x) / count` and
/// `denominator = sqrt(sum((x - mean)^2) / count + epsilon)`, each a
/// `statType` tensor indexed through `statMap` (two passes over `x`, as the
/// float reference computes them); then
/// `(x - mean) / denominator * scale + bias` with `scale` and `bias`
/// indexed through `paramMap`.
inline Value buildNormalization(OpBuilder &b, Location loc, Value x,
                                RankedTensorType statType, AffineMap statMap,
                                ArrayRef<utils::IteratorType> iterators,
                                double count, double epsilon, Value scale,
                                Value bias, AffineMap paramMap) {
  AffineMap identity = b.getMultiDimIdentityMap(statMap.getNumDims());
  Value sum = linalg::GenericOp::create(
                  b, loc, TypeRange{statType}, ValueRange{x},
                  ValueRange{filledTensor(b, loc, statType, 0.0)},
                  ArrayRef<AffineMap>{identity, statMap}, iterators,
                  [&](OpBuilder &nb, Location l, ValueRange args) {
                    linalg::YieldOp::create(
                        nb, l, ValueRange{arith::AddFOp::create(
                                   nb, l, args[1], args[0])});
                  })
                  .getResult(0);
  Value mean = buildElementwise(
      b, loc, statType, {sum},
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        return arith::DivFOp::create(nb, l, args[0], constantF32(nb, l, count));
      });
  Value squares =
      linalg::GenericOp::create(
          b, loc, TypeRange{statType}, ValueRange{x, mean},
          ValueRange{filledTensor(b, loc, statType, 0.0)},
          ArrayRef<AffineMap>{identity, statMap, statMap}, iterators,
          [&](OpBuilder &nb, Location l, ValueRange args) {
            Value d = arith::SubFOp::create(nb, l, args[0], args[1]);
            Value dd = arith::MulFOp::create(nb, l, d, d);
            linalg::YieldOp::create(
                nb, l, ValueRange{arith::AddFOp::create(nb, l, args[2], dd)});
          })
          .getResult(0);
  Value denominator = buildElementwise(
      b, loc, statType, {squares},
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        Value var =
            arith::DivFOp::create(nb, l, args[0], constantF32(nb, l, count));
        Value shifted =
            arith::AddFOp::create(nb, l, var, constantF32(nb, l, epsilon));
        return math::SqrtOp::create(nb, l, shifted);
      });
  auto xType = cast<RankedTensorType>(x.getType());
  SmallVector<utils::IteratorType> parallel(xType.getRank(),
                                            utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, TypeRange{xType},
             ValueRange{x, mean, denominator, scale, bias},
             ValueRange{emptyTensor(b, loc, xType)},
             ArrayRef<AffineMap>{identity, statMap, statMap, paramMap,
                                 paramMap, identity},
             parallel,
             [&](OpBuilder &nb, Location l, ValueRange args) {
               Value centered = arith::SubFOp::create(nb, l, args[0], args[1]);
               Value normalized =
                   arith::DivFOp::create(nb, l, centered, args[2]);
               Value scaled =
                   arith::MulFOp::create(nb, l, normalized, args[3]);
               linalg::YieldOp::create(
                   nb, l,
                   ValueRange{arith::AddFOp::create(nb, l, scaled, args[4])});
             })
      .getResult(0);
}

/// The accumulator initializer of a conv / matmul / fully-connected op: the
/// bias broadcast along the last dimension, or zeros.
inline Value buildAccumulatorInit(OpBuilder &b, Location loc,
                                  RankedTensorType resultType, Value bias) {
  if (!bias)
    return filledTensor(b, loc, resultType, 0.0);
  return buildElementwise(b, loc, resultType, {bias},
                          [](OpBuilder &, Location, ValueRange args) {
                            return args[0];
                          });
}

/// `out += lhs * rhs` over the loops described by `maps` and `iterators`.
inline Value buildContraction(OpBuilder &b, Location loc,
                              RankedTensorType resultType, Value lhs,
                              Value rhs, Value init, ArrayRef<AffineMap> maps,
                              ArrayRef<utils::IteratorType> iterators) {
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, ValueRange{lhs, rhs}, ValueRange{init},
      maps, iterators,
      [](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value product =
            arith::MulFOp::create(nested, nestedLoc, args[0], args[1]);
        linalg::YieldOp::create(
            nested, nestedLoc,
            arith::AddFOp::create(nested, nestedLoc, args[2], product)
                .getResult());
      });
  return generic.getResult(0);
}

/// Pads `input` by `low[i]` / `high[i]` elements in dimension i with
/// `value`; returns `input` when there is nothing to pad.
inline Value padTensor(OpBuilder &b, Location loc, Value input,
                       ArrayRef<int64_t> low, ArrayRef<int64_t> high,
                       Value value) {
  if (llvm::all_of(low, [](int64_t p) { return p == 0; }) &&
      llvm::all_of(high, [](int64_t p) { return p == 0; }))
    return input;
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape(type.getShape());
  for (auto [i, size] : llvm::enumerate(shape))
    size += low[i] + high[i];
  return tensor::PadOp::create(
             b, loc, RankedTensorType::get(shape, type.getElementType()),
             input, getAsIndexOpFoldResult(b.getContext(), low),
             getAsIndexOpFoldResult(b.getContext(), high), value)
      .getResult();
}

inline Value padTensor(OpBuilder &b, Location loc, Value input,
                       ArrayRef<int64_t> low, ArrayRef<int64_t> high,
                       double value) {
  return padTensor(b, loc, input, low, high, constantF32(b, loc, value));
}

/// Pads the spatial dimensions of an NHWC tensor by
/// `pad = [top, bottom, left, right]`.
template <typename ValueT>
inline Value padSpatial(OpBuilder &b, Location loc, Value input,
                        ArrayRef<int64_t> pad, ValueT value) {
  return padTensor(b, loc, input, {0, pad[0], pad[2], 0},
                   {0, pad[1], pad[3], 0}, value);
}

/// Reshapes a static tensor to `resultType` (same element count): collapse
/// to one dimension, then expand.
inline Value reshapeTo(OpBuilder &b, Location loc, Value input,
                       RankedTensorType resultType) {
  auto type = cast<RankedTensorType>(input.getType());
  if (type == resultType)
    return input;
  auto flatType =
      RankedTensorType::get({type.getNumElements()}, type.getElementType());
  Value flat = input;
  if (type.getRank() == 0)
    flat = tensor::ExpandShapeOp::create(b, loc, flatType, input,
                                         ArrayRef<ReassociationIndices>{});
  else if (type.getRank() > 1)
    flat = tensor::CollapseShapeOp::create(
        b, loc, flatType, input,
        ArrayRef<ReassociationIndices>{
            llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()))});
  if (resultType.getRank() == 0)
    return tensor::CollapseShapeOp::create(b, loc, resultType, flat,
                                           ArrayRef<ReassociationIndices>{});
  if (resultType.getRank() == 1)
    return flat;
  return tensor::ExpandShapeOp::create(
      b, loc, resultType, flat,
      ArrayRef<ReassociationIndices>{
          llvm::to_vector(llvm::seq<int64_t>(0, resultType.getRank()))});
}

/// `value` with its dimensions permuted (result dimension i is input
/// dimension perm[i]). A constant is permuted at compile time; anything else
/// gets a linalg.transpose.
inline Value transposeTensor(OpBuilder &b, Location loc, Value value,
                             ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(type.getDimSize(p));
  auto resultType = RankedTensorType::get(shape, type.getElementType());

  DenseElementsAttr constant;
  if (matchPattern(value, m_Constant(&constant))) {
    if (constant.isSplat())
      return arith::ConstantOp::create(b, loc, constant.reshape(resultType));
    SmallVector<Attribute> source(constant.getValues<Attribute>());
    SmallVector<Attribute> permuted(source.size());
    int64_t rank = type.getRank();
    SmallVector<int64_t> srcStrides(rank, 1), index(rank, 0);
    for (int64_t d = rank - 2; d >= 0; --d)
      srcStrides[d] = srcStrides[d + 1] * type.getDimSize(d + 1);
    for (size_t linear = 0; linear < permuted.size(); ++linear) {
      // `index` walks the result in row-major order.
      int64_t offset = 0;
      for (int64_t d = 0; d < rank; ++d)
        offset += index[d] * srcStrides[perm[d]];
      permuted[linear] = source[offset];
      for (int64_t d = rank - 1; d >= 0; --d) {
        if (++index[d] < shape[d])
          break;
        index[d] = 0;
      }
    }
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(resultType, permuted));
  }
  return linalg::TransposeOp::create(b, loc, value,
                                     emptyTensor(b, loc, resultType), perm)
      .getResult()[0];
}

/// Clamps `x` to the fused bounds of `clamp` (only the bounds that are set).
inline Value clampToFused(OpBuilder &b, Location loc, Value x,
                          const FusedClamp &clamp) {
  if (!std::isinf(clamp.min))
    x = arith::MaximumFOp::create(b, loc, x, constantF32(b, loc, clamp.min));
  if (!std::isinf(clamp.max))
    x = arith::MinimumFOp::create(b, loc, x, constantF32(b, loc, clamp.max));
  return x;
}

/// Applies the fused activation of `op` (if any) to its lowered result.
inline Value applyFusedClamp(OpBuilder &b, Location loc, Value result,
                             Operation *op) {
  FusedClamp clamp = getFusedClamp(op);
  if (!clamp.isSet())
    return result;
  return buildElementwise(b, loc, cast<RankedTensorType>(result.getType()),
                          {result},
                          [&](OpBuilder &nested, Location nestedLoc,
                              ValueRange args) {
                            return clampToFused(nested, nestedLoc, args[0],
                                                clamp);
                          });
}

inline NamedAttribute stridesAttr(OpBuilder &b, ArrayRef<int64_t> strides) {
  return b.getNamedAttr("strides", b.getI64VectorAttr(strides));
}

inline NamedAttribute dilationsAttr(OpBuilder &b, ArrayRef<int64_t> dilations) {
  return b.getNamedAttr("dilations", b.getI64VectorAttr(dilations));
}

/// The named NHWC pooling op `PoolOp` over `input` padded with `padValue`,
/// accumulating into a tensor filled with `initValue`.
template <typename PoolOp, typename ValueT>
inline Value buildPool2D(OpBuilder &b, Location loc, Value input,
                         RankedTensorType resultType, ArrayRef<int64_t> kernel,
                         ArrayRef<int64_t> stride, ArrayRef<int64_t> pad,
                         ValueT padValue, ValueT initValue,
                         ArrayRef<int64_t> dilation = {1, 1}) {
  Value padded = padSpatial(b, loc, input, pad, padValue);
  Value window =
      tensor::EmptyOp::create(b, loc, kernel, resultType.getElementType());
  return PoolOp::create(
             b, loc, TypeRange{resultType}, ValueRange{padded, window},
             ValueRange{filledTensor(b, loc, resultType, initValue)},
             ArrayRef<NamedAttribute>{stridesAttr(b, stride),
                                      dilationsAttr(b, dilation)})
      .getResult(0);
}

/// The loops of a contraction: one indexing map per operand (lhs, rhs,
/// accumulator) and the iterator types.
struct ContractionLoops {
  SmallVector<AffineMap> maps;
  SmallVector<utils::IteratorType> iterators;
};

/// Grouped 2-D convolution over loops (n, oh, ow, g, og | kh, kw, c):
/// `out[n, oh, ow, g, og] += in[n, oh*sh + kh*dh, ow*sw + kw*dw, g, c] *
/// w[g, og, kh, kw, c]`.
inline ContractionLoops groupedConvLoops(MLIRContext *context,
                                         ArrayRef<int64_t> stride,
                                         ArrayRef<int64_t> dilation) {
  AffineExpr n, oh, ow, g, o, kh, kw, c;
  bindDims(context, n, oh, ow, g, o, kh, kw, c);
  ContractionLoops loops;
  loops.maps = {AffineMap::get(8, 0,
                               {n, oh * stride[0] + kh * dilation[0],
                                ow * stride[1] + kw * dilation[1], g, c},
                               context),
                AffineMap::get(8, 0, {g, o, kh, kw, c}, context),
                AffineMap::get(8, 0, {n, oh, ow, g, o}, context)};
  loops.iterators.assign(5, utils::IteratorType::parallel);
  loops.iterators.append(3, utils::IteratorType::reduction);
  return loops;
}

/// `[B, K] x [O, K]^T` (fully_connected, `transposedRhs`) or `[M, K] x
/// [K, N]`, batched over a leading dimension when `rank` is 3.
inline ContractionLoops matrixProductLoops(MLIRContext *context, int64_t rank,
                                           bool transposedRhs) {
  auto parallel = utils::IteratorType::parallel;
  auto reduction = utils::IteratorType::reduction;
  ContractionLoops loops;
  if (rank == 2) {
    AffineExpr m, n, k;
    bindDims(context, m, n, k);
    loops.maps = {AffineMap::get(3, 0, {m, k}, context),
                  transposedRhs ? AffineMap::get(3, 0, {n, k}, context)
                                : AffineMap::get(3, 0, {k, n}, context),
                  AffineMap::get(3, 0, {m, n}, context)};
    loops.iterators = {parallel, parallel, reduction};
    return loops;
  }
  AffineExpr bt, m, n, k;
  bindDims(context, bt, m, n, k);
  loops.maps = {AffineMap::get(4, 0, {bt, m, k}, context),
                AffineMap::get(4, 0, {bt, k, n}, context),
                AffineMap::get(4, 0, {bt, m, n}, context)};
  loops.iterators = {parallel, parallel, parallel, reduction};
  return loops;
}

/// Inside a pooling generic over [N, OH, OW, C]: the number of positions of
/// the current output's window that lie inside the unpadded input (an
/// index value), for `kernel`, `stride`, `pad = [top, bottom, left, right]`
/// and the input shape `inShape`.
inline Value windowCount(OpBuilder &b, Location loc, ArrayRef<int64_t> kernel,
                         ArrayRef<int64_t> stride, ArrayRef<int64_t> pad,
                         ArrayRef<int64_t> inShape) {
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  auto validCount = [&](int64_t dim, int64_t k, int64_t s, int64_t p,
                        int64_t size) -> Value {
    Value position = linalg::IndexOp::create(b, loc, dim);
    Value start = arith::SubIOp::create(
        b, loc, arith::MulIOp::create(b, loc, position, index(s)), index(p));
    Value end = arith::AddIOp::create(b, loc, start, index(k));
    Value lo = arith::MaxSIOp::create(b, loc, start, index(0));
    Value hi = arith::MinSIOp::create(b, loc, end, index(size));
    return arith::SubIOp::create(b, loc, hi, lo);
  };
  return arith::MulIOp::create(
      b, loc, validCount(1, kernel[0], stride[0], pad[0], inShape[1]),
      validCount(2, kernel[1], stride[1], pad[2], inShape[2]));
}

//===----------------------------------------------------------------------===//
// Reductions (Reductions.cpp)
//===----------------------------------------------------------------------===//

/// `reduced`, the kept dimensions of a reduction of a rank-`rank` tensor
/// over `axes`, with the shape of `resultType`: as it is without keepdims,
/// else expanded (each reduced dimension of extent 1 joins a neighbouring
/// kept one).
Value expandToKeepdims(OpBuilder &b, Location loc, Value reduced,
                       RankedTensorType resultType, int64_t rank,
                       ArrayRef<int64_t> axes);

/// A linalg.generic reducing `input` over `axes` into a tensor of the kept
/// dimensions of `init`'s type, starting from `init` and folding each
/// element in with `combine(element, accumulator)`.
Value buildReduction(
    OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> axes,
    Value init,
    llvm::function_ref<Value(OpBuilder &, Location, Value, Value)> combine);

/// The float lowering patterns of the reductions.
void populateReductionPatterns(RewritePatternSet &patterns);

/// The lowering patterns of qops.resize_nearest, qops.resize_bilinear and
/// the reflect / edge forms of qops.pad (Spatial.cpp): gathers with
/// computed source indices, float and quantized (storage copies) alike.
void populateSpatialPatterns(RewritePatternSet &patterns);

/// The float lowering pattern of qops.group_norm (Normalization.cpp).
void populateNormalizationPatterns(RewritePatternSet &patterns);

/// The float lowering patterns of qops.gather, qops.layer_norm and
/// qops.gelu (Transformer.cpp).
void populateTransformerPatterns(RewritePatternSet &patterns);

} // namespace mlir::qops::lowering

#endif // QUANTOPS_LIB_CONVERSION_QOPSTOLINALG_BUILDERS_H
