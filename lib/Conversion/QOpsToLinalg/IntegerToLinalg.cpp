//===- IntegerToLinalg.cpp - lower integer qops ops to integer linalg ------===//
//
// The quantized domain of the qops ops as integer linalg on the storage
// integers: i8 / u8 x i8 -> i32 contractions whose zero-point corrections of
// constant weights are folded into the i32 bias at compile time, followed by
// an element-wise requantization (float or fixed-point, as the function's
// `qops.requant` attribute says), integer pooling, add and mul, and integer
// copies for the ops that only move values.
//
//===----------------------------------------------------------------------===//

#include "IntegerBuilders.h"
#include "quant-ops/Conversion/QOpsToLinalg/QOpsToLinalg.h"
#include "quant-ops/Dialect/QOps/IR/QOpsOps.h"
#include "quant-ops/Dialect/QOps/IR/QuantTypeUtils.h"
#include "quant-ops/Dialect/QOps/IR/Requantization.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <limits>

using namespace mlir;
using namespace mlir::qops;
using namespace mlir::qops::lowering;

/// Per-channel real multipliers s_in * s_w[c] / s_out.
static SmallVector<double>
contractionMultipliers(quant::QuantizedType input, quant::QuantizedType weight,
                       int64_t channels, quant::UniformQuantizedType out) {
  SmallVector<double> reals;
  bool perChannel = isa<quant::UniformQuantizedPerAxisType>(weight);
  for (int64_t c = 0; c < (perChannel ? channels : 1); ++c)
    reals.push_back(getScaleAt(input, 0) * getScaleAt(weight, c) /
                    out.getScale());
  return reals;
}

/// The left shift of fixed-point add's inputs: 20 bits for 8-bit inputs,
/// 15 for wider ones (TFLite's choices).
static int64_t addLeftShift(quant::QuantizedType a, quant::QuantizedType b) {
  return std::max(a.getStorageTypeIntegralWidth(),
                  b.getStorageTypeIntegralWidth()) > 8
             ? 15
             : 20;
}

/// The number of elements a reduce_mean averages.
static int64_t reduceCount(ReduceMeanOp op) {
  int64_t count = 1;
  for (int64_t axis : op.getAxes())
    count *= op.getInput().getType().getDimSize(axis);
  return count;
}

/// The window sums of a quantized average pooling add up to n values
/// `q - z_in` (n = the window, or H W for global pooling): their bound,
/// n max|q - z_in|, decides whether i32 holds them.
static double poolSumBound(Operation *op) {
  Value input = op->getOperand(0);
  auto inType = perTensorTypeOf(input);
  auto shape = cast<RankedTensorType>(input.getType()).getShape();
  int64_t window = 1;
  if (auto pool = dyn_cast<AvgPool2DOp>(op))
    window = pool.getKernel()[0] * pool.getKernel()[1];
  else if (auto mean = dyn_cast<ReduceMeanOp>(op))
    window = reduceCount(mean);
  else
    window = shape[1] * shape[2];
  int64_t z = inType.getZeroPoint();
  double maxAbs = std::max(std::abs(inType.getStorageTypeMin() - z),
                           std::abs(inType.getStorageTypeMax() - z));
  return static_cast<double>(window) * maxAbs;
}

/// The rounding right shift that brings the window sums of a quantized
/// average pooling into i32: 0 when i32 holds every sum; otherwise the sums
/// are accumulated in i64 and shifted right by this many bits (rounded),
/// and the requantization multipliers carry the 2^shift.
static int64_t poolSumShift(Operation *op) {
  double bound = poolSumBound(op);
  int64_t shift = 0;
  while (std::ldexp(bound, -shift) + 1 >
         static_cast<double>(std::numeric_limits<int32_t>::max()))
    ++shift;
  return shift;
}

/// Every real multiplier the integer lowering of `op` applies, in the order
/// its pattern uses them:
/// * conv2d / fully_connected / matmul: s_in * s_w[c] / s_out per channel;
/// * add, sub: sa / (2 max), sb / (2 max), then 2 max / (2^shift sy) in
///   fixed-point mode or sa / sy, sb / sy in float mode;
/// * mul: sa * sb / sy; global_avg_pool: s_in / (H W s_out);
/// * reduce_mean: s_in / (count s_out), count the reduced elements;
/// * avg_pool2d: s_in / (n s_out) for n = 1 .. kh kw;
///   (the poolings and reduce_mean times 2^poolSumShift(op) when their
///   sums need i64);
/// * requantize: s_in[c] / s_out per input channel.
static SmallVector<double> getRequantizationMultipliers(Operation *op) {
  auto outType = dyn_cast<quant::UniformQuantizedType>(
      cast<ShapedType>(op->getResult(0).getType()).getElementType());
  if (!outType)
    return {};
  double sy = outType.getScale();
  if (std::optional<WeightedOperands> weighted = getWeightedOperands(op)) {
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    return contractionMultipliers(
        quantTypeOf(op->getOperand(0)),
        quantTypeOf(weighted->getWeight(op)),
        resultType.getDimSize(resultType.getRank() - 1), outType);
  }
  if (isa<AddOp, SubOp>(op)) {
    auto a = perTensorTypeOf(op->getOperand(0));
    auto b = perTensorTypeOf(op->getOperand(1));
    double sa = a.getScale(), sb = b.getScale();
    double twiceMax = 2 * std::max(sa, sb);
    if (usesFixedPoint(op))
      return {sa / twiceMax, sb / twiceMax,
              twiceMax / (std::ldexp(1.0, addLeftShift(a, b)) * sy)};
    return {sa / sy, sb / sy};
  }
  if (isa<MulOp>(op))
    return {perTensorTypeOf(op->getOperand(0)).getScale() *
            perTensorTypeOf(op->getOperand(1)).getScale() / sy};
  if (auto pool = dyn_cast<GlobalAvgPoolOp>(op)) {
    RankedTensorType inputType = pool.getInput().getType();
    int64_t count = inputType.getDimSize(1) * inputType.getDimSize(2);
    return {std::ldexp(perTensorTypeOf(pool.getInput()).getScale() /
                           (count * sy),
                       poolSumShift(op))};
  }
  if (auto mean = dyn_cast<ReduceMeanOp>(op))
    return {std::ldexp(perTensorTypeOf(mean.getInput()).getScale() /
                           (reduceCount(mean) * sy),
                       poolSumShift(op))};
  if (auto pool = dyn_cast<AvgPool2DOp>(op)) {
    SmallVector<double> reals;
    double sIn = perTensorTypeOf(pool.getInput()).getScale();
    int64_t shift = poolSumShift(op);
    for (int64_t n = 1, e = pool.getKernel()[0] * pool.getKernel()[1];
         n <= e; ++n)
      reals.push_back(std::ldexp(sIn / (n * sy), shift));
    return reals;
  }
  if (auto requantize = dyn_cast<RequantizeOp>(op)) {
    quant::QuantizedType inType = quantTypeOf(requantize.getInput());
    SmallVector<double> reals;
    if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(inType)) {
      for (double s : perAxis.getScales())
        reals.push_back(s / sy);
    } else {
      reals.push_back(getScaleAt(inType, 0) / sy);
    }
    return reals;
  }
  return {};
}

namespace {

/// A parallel generic over `resultType` (storage) reading `acc` (i32, same
/// shape) and the requantizer's parameters.
Value buildRequantize(OpBuilder &b, Location loc, RankedTensorType resultType,
                      Value acc, const Requantizer &requantizer) {
  int64_t rank = resultType.getRank();
  SmallVector<Value> inputs = {acc};
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank)};
  requantizer.addInputs(b, loc, rank, inputs, maps);
  maps.push_back(b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, TypeRange{resultType}, inputs,
             ValueRange{emptyTensor(b, loc, resultType)}, maps, iterators,
             [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
               ValueRange params = args.drop_front().drop_back();
               linalg::YieldOp::create(
                   nested, nestedLoc,
                   requantizer.apply(nested, nestedLoc, args[0], params));
             })
      .getResult(0);
}

//===----------------------------------------------------------------------===//
// Convolution and matrix products
//===----------------------------------------------------------------------===//

/// The integer operands of a conv / matmul / fully-connected op: the
/// activation (storage tensor, per-tensor type), the weight (a constant of
/// storage integers when it is a quantized constant, else the lowered
/// value) and the accumulator initializer with every zero-point correction
/// that can be folded.
struct IntegerContraction {
  Value input, weight, init;
  /// Zero points subtracted inside the loop (0 when folded).
  int64_t inputZeroPoint = 0, weightZeroPoint = 0;
  /// One weight zero point per output channel, subtracted inside the loop,
  /// when they differ between channels (matmul / fully_connected only);
  /// empty otherwise.
  SmallVector<int64_t> weightZeroPoints;
  quant::QuantizedType inputType, weightType;
};

/// The compile-time part of an integer contraction: the weight's storage
/// integers when it is a quantized constant, the zero points left in the
/// loop, and the accumulator initializer per (batch, output channel): the
/// i32 bias minus the folded input zero-point correction
/// `z_in * sum_k w[b, k, o]`, when the bias is constant or absent (otherwise
/// only the correction, added to the run-time bias). `batches` is 1 except
/// for a batched matmul, whose weight differs between batches: its table is
/// `[batches, channels]`, row-major.
struct FoldedContraction {
  std::optional<SmallVector<int64_t>> weightValues;
  int64_t inputZeroPoint = 0, weightZeroPoint = 0;
  SmallVector<int64_t> weightZeroPoints;
  int64_t batches = 1, channels = 1;
  SmallVector<int64_t> perChannel;
  bool constantInit = true;
};

/// Computes the FoldedContraction of a quantized conv / fully-connected /
/// matmul; reports what the integer lowering cannot represent.
FailureOr<FoldedContraction> foldContraction(Operation *op) {
  std::optional<WeightedOperands> weighted = getWeightedOperands(op);
  Value weight = weighted->getWeight(op), bias = weighted->getBias(op);
  int64_t channelDim = weighted->channelDim;
  quant::QuantizedType inputType = quantTypeOf(op->getOperand(0));
  quant::QuantizedType weightType = quantTypeOf(weight);
  auto weightTensorType = cast<RankedTensorType>(weight.getType());
  int64_t channels = weightTensorType.getDimSize(channelDim);
  int64_t zx = getZeroPointAt(inputType, 0);

  FoldedContraction f;
  f.channels = channels;
  // A batched matmul `[B, M, K] x [B, K, N]` has one weight matrix per
  // batch: the reduction runs over K only, and the folded correction
  // differs between batches.
  if (isa<MatMulOp>(op) && weightTensorType.getRank() == 3)
    f.batches = weightTensorType.getDimSize(0);
  int64_t weightElements = weightTensorType.getNumElements();
  int64_t perBatch = weightElements / f.batches;
  int64_t reduction = perBatch / channels;
  int64_t stride = 1;
  for (int64_t d = channelDim + 1; d < weightTensorType.getRank(); ++d)
    stride *= weightTensorType.getDimSize(d);
  // The (batch, channel) table entry of the weight element at flat index i.
  auto entryOf = [&](int64_t i) {
    return (i / perBatch) * channels + (i / stride) % channels;
  };

  SmallVector<int64_t> weightZps;
  for (int64_t ch = 0; ch < channels; ++ch)
    weightZps.push_back(getZeroPointAt(weightType, ch));
  if (!llvm::all_equal(weightZps)) {
    if (isa<Conv2DOp>(op))
      return op->emitOpError()
             << "cannot be lowered to integers: its weight zero points "
                "differ between output channels";
    f.weightZeroPoints = weightZps;
  }

  f.weightValues = getConstantQuantizedValues(weight);
  f.weightZeroPoint = f.weightZeroPoints.empty() ? weightZps.front() : 0;
  // With a constant weight of zero point 0 the input correction folds into
  // the bias: the loop is then a pure integer dot product.
  bool foldInputZp = f.weightValues && f.weightZeroPoints.empty() &&
                     f.weightZeroPoint == 0;
  f.inputZeroPoint = foldInputZp ? 0 : zx;
  f.perChannel.assign(f.batches * channels, 0);
  std::optional<SmallVector<int64_t>> biasValues;
  if (bias)
    biasValues = getConstantQuantizedValues(bias);
  f.constantInit = !bias || biasValues;
  if (biasValues)
    for (int64_t b = 0; b < f.batches; ++b)
      for (int64_t ch = 0; ch < channels; ++ch)
        f.perChannel[b * channels + ch] = (*biasValues)[ch];
  if (foldInputZp && zx != 0) {
    SmallVector<int64_t> sums(f.perChannel.size(), 0);
    for (auto [i, w] : llvm::enumerate(*f.weightValues))
      sums[entryOf(i)] += w;
    for (auto [entry, sum] : llvm::enumerate(sums))
      f.perChannel[entry] -= zx * sum;
  }
  for (int64_t v : f.perChannel)
    if (v < std::numeric_limits<int32_t>::min() ||
        v > std::numeric_limits<int32_t>::max())
      return op->emitOpError() << "cannot be lowered to integers: its bias "
                                  "with the folded zero-point correction "
                                  "overflows i32";

  // The i32 accumulator wraps (so does vpdpbusd): bound it at compile time.
  // The loop adds x * w (or (x - z_x) * (w - z_w) when nothing is folded)
  // to the initializer, over the reduction length K.
  int64_t xLo = inputType.getStorageTypeMin() - f.inputZeroPoint;
  int64_t xHi = inputType.getStorageTypeMax() - f.inputZeroPoint;
  double maxAbsX = std::max(std::abs(xLo), std::abs(xHi));
  auto weightZeroPointAt = [&](int64_t ch) {
    return f.weightZeroPoints.empty() ? f.weightZeroPoint
                                      : f.weightZeroPoints[ch];
  };
  SmallVector<double> sumAbsW(f.perChannel.size(), 0.0);
  if (f.weightValues) {
    for (auto [i, w] : llvm::enumerate(*f.weightValues)) {
      int64_t entry = entryOf(i);
      sumAbsW[entry] += std::abs(w - weightZeroPointAt(entry % channels));
    }
  } else {
    for (auto [entry, sum] : llvm::enumerate(sumAbsW)) {
      int64_t zw = weightZeroPointAt(entry % channels);
      sum = reduction * std::max(std::abs(weightType.getStorageTypeMin() - zw),
                                 std::abs(weightType.getStorageTypeMax() - zw));
    }
  }
  // A run-time bias may hold any i32.
  double biasBound = f.constantInit ? 0.0 : 2147483648.0;
  for (auto [entry, init] : llvm::enumerate(f.perChannel)) {
    double bound = std::abs(static_cast<double>(init)) + biasBound +
                   maxAbsX * sumAbsW[entry];
    if (bound > std::numeric_limits<int32_t>::max()) {
      InFlightDiagnostic diag = op->emitOpError();
      diag << "cannot be lowered to integers: its i32 accumulator can reach "
           << llvm::formatv("{0:e3}", bound).str() << " at output channel "
           << entry % channels;
      if (f.batches > 1)
        diag << " of batch " << entry / channels;
      diag << " (" << reduction
           << " products per output), beyond 2^31 - 1, and i32 accumulation "
              "wraps; split the reduction or quantize to fewer bits";
      return diag;
    }
  }
  return f;
}

/// Builds the operands of an integer contraction from its FoldedContraction.
FailureOr<IntegerContraction>
prepareContraction(ConversionPatternRewriter &rewriter, Operation *op,
                   Value loweredInput, Value loweredWeight, Value loweredBias,
                   RankedTensorType accType) {
  Location loc = op->getLoc();
  FailureOr<FoldedContraction> f = foldContraction(op);
  if (failed(f))
    return failure();
  std::optional<WeightedOperands> weighted = getWeightedOperands(op);
  Value weight = weighted->getWeight(op);
  IntegerContraction c;
  c.inputType = quantTypeOf(op->getOperand(0));
  c.weightType = quantTypeOf(weight);
  c.input = loweredInput;
  c.inputZeroPoint = f->inputZeroPoint;
  c.weightZeroPoint = f->weightZeroPoint;
  c.weightZeroPoints = f->weightZeroPoints;
  auto storageWeightType = toStorageType(cast<RankedTensorType>(weight.getType()));
  if (f->weightValues) {
    SmallVector<APInt> ints;
    unsigned width = storageWeightType.getElementTypeBitWidth();
    for (int64_t v : *f->weightValues)
      ints.push_back(APInt(width, v, /*isSigned=*/true));
    c.weight = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(storageWeightType, ints));
  } else {
    c.weight = loweredWeight;
  }

  // The initializer table: `[channels]`, or `[batches, 1, channels]` for a
  // batched matmul (broadcast over its rows M).
  SmallVector<int64_t> tableShape = {f->channels};
  if (f->batches > 1)
    tableShape = {f->batches, 1, f->channels};
  auto tableType = RankedTensorType::get(tableShape, rewriter.getI32Type());
  SmallVector<int32_t> values(f->perChannel.begin(), f->perChannel.end());
  Value initChannels = arith::ConstantOp::create(
      rewriter, loc,
      DenseElementsAttr::get(tableType, ArrayRef<int32_t>(values)));
  if (!f->constantInit) {
    // A run-time bias: add the folded correction to it.
    initChannels = buildElementwise(
        rewriter, loc, tableType, {loweredBias, initChannels},
        [](OpBuilder &b, Location l, ValueRange args) {
          return arith::AddIOp::create(b, l, args[0], args[1]).getResult();
        });
  }
  c.init = buildElementwise(rewriter, loc, accType, {initChannels},
                            [](OpBuilder &, Location, ValueRange args) {
                              return args[0];
                            });
  return c;
}

/// `acc += (x - zx) * (w - zw)` in i32 over `maps` / `iterators`, with the
/// zero-point subtractions only where they were not folded. Per-channel
/// weight zero points are read from a table indexed like the output's last
/// dimension.
Value buildIntegerContraction(OpBuilder &b, Location loc,
                              RankedTensorType accType, Value lhs, Value rhs,
                              Value init, ArrayRef<AffineMap> maps,
                              ArrayRef<utils::IteratorType> iterators,
                              const IntegerContraction &c) {
  bool zpTable = !c.weightZeroPoints.empty();
  SmallVector<Value> inputs = {lhs, rhs};
  SmallVector<AffineMap> allMaps(maps.begin(), maps.end() - 1);
  if (zpTable) {
    SmallVector<int32_t> zps(c.weightZeroPoints.begin(),
                             c.weightZeroPoints.end());
    auto zpType = RankedTensorType::get(
        {static_cast<int64_t>(zps.size())}, b.getI32Type());
    inputs.push_back(arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(zpType, ArrayRef<int32_t>(zps))));
    AffineMap out = maps.back();
    allMaps.push_back(AffineMap::get(out.getNumDims(), 0,
                                     out.getResult(out.getNumResults() - 1)));
  }
  allMaps.push_back(maps.back());
  return linalg::GenericOp::create(
             b, loc, TypeRange{accType}, inputs, ValueRange{init}, allMaps,
             iterators,
             [&](OpBuilder &nested, Location l, ValueRange args) {
               Type i32 = nested.getI32Type();
               Value x = extend(nested, l, args[0], c.inputType, i32);
               Value w = extend(nested, l, args[1], c.weightType, i32);
               if (c.inputZeroPoint != 0)
                 x = arith::SubIOp::create(
                     nested, l, x, constantI32(nested, l, c.inputZeroPoint));
               if (zpTable)
                 w = arith::SubIOp::create(nested, l, w, args[2]);
               else if (c.weightZeroPoint != 0)
                 w = arith::SubIOp::create(
                     nested, l, w, constantI32(nested, l, c.weightZeroPoint));
               Value product = arith::MulIOp::create(nested, l, x, w);
               linalg::YieldOp::create(
                   nested, l,
                   arith::AddIOp::create(nested, l, args.back(), product)
                       .getResult());
             })
      .getResult(0);
}

/// Whether the packed int8 kernel can compute `op` with folded contraction
/// `f`: constant s8 weights of zero point 0 (so every zero-point
/// correction is in the constant initializer), a constant bias, 8-bit
/// activations.
static bool fitsPackedKernel(Operation *op, const FoldedContraction &f) {
  std::optional<WeightedOperands> weighted = getWeightedOperands(op);
  quant::QuantizedType input = quantTypeOf(op->getOperand(0));
  quant::QuantizedType weight = quantTypeOf(weighted->getWeight(op));
  return f.weightValues && f.weightZeroPoint == 0 &&
         f.weightZeroPoints.empty() && f.batches == 1 && f.constantInit &&
         input.getStorageTypeIntegralWidth() == 8 &&
         weight.getStorageTypeIntegralWidth() == 8 && weight.isSigned();
}

/// Lowers conv2d / fully_connected / matmul with a packed kernel when a
/// kernel target is given and the op fits it; null otherwise. `build`
/// completes the PackedConvolution (its integer epilogue is filled in) from
/// the folded contraction and emits the kernel.
template <typename BuildFn>
static Value lowerWithPackedKernel(
    ConversionPatternRewriter &rewriter, Operation *op,
    const std::optional<KernelTarget> &kernels, BuildFn build) {
  if (!kernels)
    return {};
  FailureOr<FoldedContraction> f = foldContraction(op);
  if (failed(f) || !fitsPackedKernel(op, *f))
    return {};
  auto outType = cast<quant::UniformQuantizedType>(
      cast<ShapedType>(op->getResult(0).getType()).getElementType());
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  FailureOr<Requantizer> requantizer =
      Requantizer::get(op, getRequantizationMultipliers(op),
                       resultType.getRank() - 1, outType, getFusedClamp(op));
  if (failed(requantizer))
    return {};
  PackedConvolution conv;
  conv.signedInput = quantTypeOf(op->getOperand(0)).isSigned();
  conv.init = f->perChannel;
  conv.requantizer = &*requantizer;
  return build(conv, *f);
}

/// conv2d in integers: the input padded with its zero point, a grouped
/// contraction over `[N, OH, OW, G, O/G]` x `[KH, KW, C/G]` (depthwise and
/// dense convolutions are the cases G = C and G = 1), then requantization
/// per output channel with the fused clamp.
struct ConvertIntegerConv2D : public OpConversionPattern<Conv2DOp> {
  ConvertIntegerConv2D(const TypeConverter &converter, MLIRContext *context,
                       std::optional<KernelTarget> kernels,
                       PatternBenefit benefit)
      : OpConversionPattern(converter, context, benefit), kernels(kernels) {}

  LogicalResult
  matchAndRewrite(Conv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isQuantized(op.getType()))
      return failure();
    Location loc = op.getLoc();
    // Dense, grouped (see packedKernelTakesGroups) or depthwise
    // convolutions: the packed kernels.
    int64_t groups = op.getGroupsAttr().getInt();
    int64_t channels = op.getInput().getType().getDimSize(3);
    bool depthwise = groups != 1 && groups == channels &&
                     op.getType().getDimSize(3) == channels;
    if (kernels && (depthwise || packedKernelTakesGroups(
                                    groups, channels, op.getType().getDimSize(3),
                                    kernels->lanes, /*isFloat=*/false))) {
      Value packed = lowerWithPackedKernel(
          rewriter, op, kernels,
          [&](PackedConvolution &conv, const FoldedContraction &f) {
            conv.input = adaptor.getInput();
            conv.groups = depthwise ? 1 : groups;
            conv.setWindow(op);
            conv.padValue = getZeroPointAt(quantTypeOf(op.getInput()), 0);
            conv.weights = *f.weightValues;
            conv.resultType = toStorageType(op.getType());
            return depthwise
                       ? buildPackedDepthwise(rewriter, loc, conv,
                                              kernels->lanes)
                       : buildPackedConvolution(rewriter, loc, conv, *kernels);
          });
      if (packed) {
        rewriter.replaceOp(op, packed);
        return success();
      }
    }
    MLIRContext *context = rewriter.getContext();
    RankedTensorType resultType = op.getType();
    auto outType = cast<quant::UniformQuantizedType>(resultType.getElementType());
    auto accType = resultType.clone(rewriter.getI32Type());
    RankedTensorType weightType = op.getWeight().getType();
    int64_t outChannels = weightType.getDimSize(0);

    FailureOr<IntegerContraction> c =
        prepareContraction(rewriter, op, adaptor.getInput(),
                           adaptor.getWeight(), adaptor.getBias(), accType);
    if (failed(c))
      return failure();
    FailureOr<Requantizer> requantizer = Requantizer::get(
        op, getRequantizationMultipliers(op), 3, outType, getFusedClamp(op));
    if (failed(requantizer))
      return failure();

    // Padded positions hold the real value 0: the input zero point.
    Type storage = c->inputType.getStorageType();
    Value input = padSpatial(
        rewriter, loc, c->input, op.getPad(),
        constantInt(rewriter, loc, storage, getZeroPointAt(c->inputType, 0)));
    auto inputType = cast<RankedTensorType>(input.getType());
    int64_t cg = weightType.getDimSize(3);
    int64_t og = outChannels / groups;
    auto expand = [&](Value value, ArrayRef<int64_t> shape, Type element,
                      ArrayRef<ReassociationIndices> reassociation) {
      return tensor::ExpandShapeOp::create(
          rewriter, loc, RankedTensorType::get(shape, element), value,
          reassociation);
    };
    Value input5 = expand(input,
                          {inputType.getDimSize(0), inputType.getDimSize(1),
                           inputType.getDimSize(2), groups, cg},
                          storage, {{0}, {1}, {2}, {3, 4}});
    Value weight5 = expand(c->weight,
                           {groups, og, weightType.getDimSize(1),
                            weightType.getDimSize(2), cg},
                           c->weightType.getStorageType(),
                           {{0, 1}, {2}, {3}, {4}});
    SmallVector<int64_t> acc5Shape = {resultType.getDimSize(0),
                                      resultType.getDimSize(1),
                                      resultType.getDimSize(2), groups, og};
    Value init5 = expand(c->init, acc5Shape, rewriter.getI32Type(),
                         {{0}, {1}, {2}, {3, 4}});
    ContractionLoops loops =
        groupedConvLoops(context, op.getStride(), op.getDilation());
    Value acc5 = buildIntegerContraction(
        rewriter, loc, RankedTensorType::get(acc5Shape, rewriter.getI32Type()),
        input5, weight5, init5, loops.maps, loops.iterators, *c);
    Value acc = tensor::CollapseShapeOp::create(
        rewriter, loc, accType, acc5,
        ArrayRef<ReassociationIndices>{{0}, {1}, {2}, {3, 4}});
    rewriter.replaceOp(op, buildRequantize(rewriter, loc, toStorageType(resultType),
                                           acc, *requantizer));
    return success();
  }

private:
  std::optional<KernelTarget> kernels;
};

/// fully_connected and matmul in integers: `[B, K] x [O, K]` and
/// `[(B,) M, K] x [(B,) K, N]` contractions, then requantization per output
/// channel (the last dimension).
template <typename OpTy>
struct ConvertIntegerMatrixProduct : public OpConversionPattern<OpTy> {
  using OpAdaptor = typename OpTy::Adaptor;

  ConvertIntegerMatrixProduct(const TypeConverter &converter,
                              MLIRContext *context,
                              std::optional<KernelTarget> kernels,
                              PatternBenefit benefit)
      : OpConversionPattern<OpTy>(converter, context, benefit),
        kernels(kernels) {}

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isQuantized(op.getType()))
      return failure();
    Location loc = op.getLoc();
    if (op.getType().getRank() == 2) {
      SmallVector<int64_t> rows;
      Value packed = lowerWithPackedKernel(
          rewriter, op, kernels,
          [&](PackedConvolution &conv, const FoldedContraction &f) {
            rows = matrixProductRows<int64_t>(
                ArrayRef(*f.weightValues),
                cast<RankedTensorType>(op->getOperand(1).getType()),
                isa<FullyConnectedOp>(op));
            conv.weights = rows;
            return buildPackedMatrixProduct(rewriter, loc, conv,
                                            adaptor.getOperands()[0],
                                            toStorageType(op.getType()),
                                            *kernels);
          });
      if (packed) {
        rewriter.replaceOp(op, packed);
        return success();
      }
    }
    MLIRContext *context = rewriter.getContext();
    RankedTensorType resultType = op.getType();
    auto outType = cast<quant::UniformQuantizedType>(resultType.getElementType());
    auto accType = resultType.clone(rewriter.getI32Type());
    std::optional<WeightedOperands> weighted = getWeightedOperands(op);
    Value loweredBias = weighted->getBias(op)
                            ? adaptor.getOperands()[weighted->biasIndex]
                            : Value();
    FailureOr<IntegerContraction> c = prepareContraction(
        rewriter, op, adaptor.getOperands()[0], adaptor.getOperands()[1],
        loweredBias, accType);
    if (failed(c))
      return failure();
    FailureOr<Requantizer> requantizer =
        Requantizer::get(op, getRequantizationMultipliers(op),
                         resultType.getRank() - 1, outType, getFusedClamp(op));
    if (failed(requantizer))
      return failure();

    ContractionLoops loops = matrixProductLoops(
        context, resultType.getRank(), isa<FullyConnectedOp>(op));
    Value acc = buildIntegerContraction(rewriter, loc, accType, c->input,
                                        c->weight, c->init, loops.maps,
                                        loops.iterators, *c);
    rewriter.replaceOp(op, buildRequantize(rewriter, loc, toStorageType(resultType),
                                           acc, *requantizer));
    return success();
  }

private:
  std::optional<KernelTarget> kernels;
};

//===----------------------------------------------------------------------===//
// Element-wise ops
//===----------------------------------------------------------------------===//

/// add: each input rescaled to the output. Float mode:
/// `round(f32(a - za) * f32(sa / sy) + f32(b - zb) * f32(sb / sy)) + zy`;
/// fixed-point mode (TFLite): both inputs shifted left by 20 (15 for 16-bit
/// inputs), scaled by sa / (2 max(sa, sb)) and sb / (2 max(sa, sb)), added,
/// and the sum requantized by 2 max(sa, sb) / (2^shift sy).
/// sub: the same with the second rescaled input subtracted.
template <typename OpTy>
struct ConvertIntegerAdd : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;
  static constexpr bool isSub = std::is_same_v<OpTy, SubOp>;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isQuantized(op.getType()))
      return failure();
    auto a = perTensorTypeOf(op.getLhs()), bt = perTensorTypeOf(op.getRhs());
    auto out = cast<quant::UniformQuantizedType>(op.getType().getElementType());
    SmallVector<double> m = getRequantizationMultipliers(op);
    bool fixedPoint = usesFixedPoint(op);
    int64_t leftShift = addLeftShift(a, bt);
    // The output requantizer carries the mode, bounds and fused clamp.
    FailureOr<Requantizer> output = Requantizer::get(
        op, {fixedPoint ? m[2] : 1.0}, -1, out, getFusedClamp(op));
    if (failed(output))
      return failure();
    FailureOr<Requantizer> scaleA = Requantizer::get(op, {m[0]}, -1, out);
    FailureOr<Requantizer> scaleB = Requantizer::get(op, {m[1]}, -1, out);
    if (failed(scaleA) || failed(scaleB))
      return failure();

    Value result = buildElementwise(
        rewriter, op.getLoc(), toStorageType(op.getType()),
        {adaptor.getLhs(), adaptor.getRhs()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Type i32 = b.getI32Type();
          Value x = arith::SubIOp::create(b, loc, extend(b, loc, args[0], a, i32),
                                          constantI32(b, loc, a.getZeroPoint()));
          Value y = arith::SubIOp::create(b, loc, extend(b, loc, args[1], bt, i32),
                                          constantI32(b, loc, bt.getZeroPoint()));
          if (!output->fixedPoint) {
            Type f32 = b.getF32Type();
            Value fx = arith::MulFOp::create(
                b, loc, arith::SIToFPOp::create(b, loc, f32, x),
                constantF32(b, loc, m[0]));
            Value fy = arith::MulFOp::create(
                b, loc, arith::SIToFPOp::create(b, loc, f32, y),
                constantF32(b, loc, m[1]));
            Value sum =
                isSub ? arith::SubFOp::create(b, loc, fx, fy).getResult()
                      : arith::AddFOp::create(b, loc, fx, fy).getResult();
            return output->finishFloat(b, loc, sum);
          }
          Value shift = constantI32(b, loc, leftShift);
          auto scaled = [&](Value v, const Requantizer &r) {
            return multiplyByFixedPoint(
                b, loc, arith::ShLIOp::create(b, loc, v, shift),
                constantI32(b, loc, r.fixed[0].multiplier),
                constantI32(b, loc, r.fixed[0].shift));
          };
          Value sx = scaled(x, *scaleA), sy = scaled(y, *scaleB);
          Value sum = isSub ? arith::SubIOp::create(b, loc, sx, sy).getResult()
                            : arith::AddIOp::create(b, loc, sx, sy).getResult();
          ValueRange none;
          return output->apply(b, loc, sum, none);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// mul: `(a - za) * (b - zb)` in i32, requantized by sa * sb / sy.
struct ConvertIntegerMul : public OpConversionPattern<MulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isQuantized(op.getType()))
      return failure();
    auto a = perTensorTypeOf(op.getLhs()), bt = perTensorTypeOf(op.getRhs());
    auto out = cast<quant::UniformQuantizedType>(op.getType().getElementType());
    FailureOr<Requantizer> requantizer = Requantizer::get(
        op, getRequantizationMultipliers(op), -1, out, getFusedClamp(op));
    if (failed(requantizer))
      return failure();
    Value result = buildElementwise(
        rewriter, op.getLoc(), toStorageType(op.getType()),
        {adaptor.getLhs(), adaptor.getRhs()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Type i32 = b.getI32Type();
          Value x = arith::SubIOp::create(b, loc, extend(b, loc, args[0], a, i32),
                                          constantI32(b, loc, a.getZeroPoint()));
          Value y = arith::SubIOp::create(b, loc, extend(b, loc, args[1], bt, i32),
                                          constantI32(b, loc, bt.getZeroPoint()));
          ValueRange none;
          return requantizer->apply(b, loc,
                                    arith::MulIOp::create(b, loc, x, y), none);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// maximum / minimum: each input whose parameters are not the result's is
/// requantized to them (`R(q - z, s_in / s_out)`, the requantize op's
/// arithmetic); an input sharing them is used as stored. Then the signed
/// extremum of the i32-extended results: quantization is monotonic, so it
/// is the quantized extremum.
template <typename OpTy>
struct ConvertIntegerExtremum : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isQuantized(op.getType()))
      return failure();
    auto out = perTensorTypeOf(op.getResult());
    SmallVector<quant::UniformQuantizedType> types = {
        perTensorTypeOf(op.getLhs()), perTensorTypeOf(op.getRhs())};
    SmallVector<std::optional<Requantizer>> rescale;
    for (quant::UniformQuantizedType type : types) {
      if (type == out) {
        rescale.push_back(std::nullopt);
        continue;
      }
      FailureOr<Requantizer> r =
          Requantizer::get(op, {type.getScale() / out.getScale()}, -1, out);
      if (failed(r))
        return failure();
      rescale.push_back(*r);
    }
    Value result = buildElementwise(
        rewriter, op.getLoc(), toStorageType(op.getType()),
        {adaptor.getLhs(), adaptor.getRhs()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Type i32 = b.getI32Type();
          SmallVector<Value> values;
          for (unsigned i = 0; i < 2; ++i) {
            Value q = args[i];
            if (rescale[i]) {
              Value centered = arith::SubIOp::create(
                  b, loc, extend(b, loc, q, types[i], i32),
                  constantI32(b, loc, types[i].getZeroPoint()));
              ValueRange none;
              q = rescale[i]->apply(b, loc, centered, none);
            }
            values.push_back(extend(b, loc, q, out, i32));
          }
          Value extremum =
              std::is_same_v<OpTy, MaximumOp>
                  ? arith::MaxSIOp::create(b, loc, values[0], values[1])
                        .getResult()
                  : arith::MinSIOp::create(b, loc, values[0], values[1])
                        .getResult();
          return narrow(b, loc, extremum, out);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// relu / relu6 / clamp with equal input and output parameters: a clamp of
/// the integers between the bounds' quantized images.
template <typename OpTy>
struct ConvertIntegerClamp : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;

  static std::pair<double, double> bounds(OpTy op) {
    double inf = std::numeric_limits<double>::infinity();
    if constexpr (std::is_same_v<OpTy, ReluOp>)
      return {0.0, inf};
    else if constexpr (std::is_same_v<OpTy, Relu6Op>)
      return {0.0, 6.0};
    else
      return {op.getMinAttr().getValueAsDouble(),
              op.getMaxAttr().getValueAsDouble()};
  }

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isQuantized(op.getType()))
      return failure();
    auto type = perTensorTypeOf(op.getResult());
    auto [min, max] = bounds(op);
    int64_t lo = std::max(type.getStorageTypeMin(),
                          quantizeLikeLowering(min, type, 0));
    int64_t hi = type.getStorageTypeMax();
    if (!std::isinf(max))
      hi = std::min(hi, quantizeLikeLowering(max, type, 0));
    Value result = buildElementwise(
        rewriter, op.getLoc(), toStorageType(op.getType()), {adaptor.getInput()},
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Value x = extend(b, loc, args[0], type, b.getI32Type());
          return narrow(b, loc, clampI32(b, loc, x, lo, hi), type);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// The table of `op` as 256 bytes for qops.lookup_bytes: entry `i` is the
/// result for the input whose stored value is `i` as an unsigned byte (for
/// an i8 input, -128..127 stored as 0x80..0x7F).
static DenseElementsAttr getByteTable(TableOp op, Builder &b) {
  auto inType = perTensorTypeOf(op.getInput());
  SmallVector<int32_t> entries(op.getTable().getValues<int32_t>());
  SmallVector<int8_t> bytes(256);
  int64_t qmin = inType.getStorageTypeMin();
  for (int64_t q = qmin; q < qmin + 256; ++q)
    bytes[static_cast<uint8_t>(q)] =
        static_cast<int8_t>(static_cast<uint8_t>(entries[q - qmin]));
  return DenseElementsAttr::get(VectorType::get({256}, b.getI8Type()),
                                ArrayRef<int8_t>(bytes));
}

/// The table looked up 64 elements at a time (AVX512-VBMI): the input's
/// bytes, viewed as [n / 64, 64], index the table in qops.lookup_bytes, one
/// row per step of an scf.for.
static Value buildVectorTableLookup(OpBuilder &b, Location loc, TableOp op,
                                    Value input) {
  auto inputType = cast<RankedTensorType>(input.getType());
  int64_t rows = inputType.getNumElements() / 64;
  Type byte = b.getI8Type();
  SmallVector<ReassociationIndices> all(1);
  for (int64_t d = 0; d < inputType.getRank(); ++d)
    all.front().push_back(d);
  Value flat = tensor::CollapseShapeOp::create(b, loc, input, all);
  auto matrixType = RankedTensorType::get({rows, 64}, byte);
  SmallVector<ReassociationIndices> split = {{0, 1}};
  Value matrix =
      tensor::ExpandShapeOp::create(b, loc, matrixType, flat, split);
  Value init = tensor::EmptyOp::create(b, loc, matrixType.getShape(), byte);
  Value table = arith::ConstantOp::create(b, loc, getByteTable(op, b));
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value count = arith::ConstantIndexOp::create(b, loc, rows);
  Value padding = arith::ConstantIntOp::create(b, loc, byte, 0);
  auto rowType = VectorType::get({64}, byte);
  auto loop = scf::ForOp::create(
      b, loc, zero, count, one, ValueRange{init},
      [&](OpBuilder &nb, Location l, Value row, ValueRange carried) {
        SmallVector<Value> indices = {row, zero};
        Value bytes = vector::TransferReadOp::create(
            nb, l, rowType, matrix, indices, padding,
            ArrayRef<bool>{true});
        Value looked = LookupBytesOp::create(nb, l, rowType, bytes, table);
        Value written = vector::TransferWriteOp::create(
                            nb, l, looked, carried.front(), indices,
                            ArrayRef<bool>{true})
                            .getResult();
        scf::YieldOp::create(nb, l, written);
      });
  Value lookedUp = tensor::CollapseShapeOp::create(
      b, loc, loop.getResult(0), split);
  return tensor::ExpandShapeOp::create(b, loc, inputType, lookedUp, all);
}

/// table: each element's stored value, offset by the input's storage
/// minimum, indexes a constant table of stored results (a gather from a
/// 256-entry constant); on an AVX512-VBMI target, a tensor of a multiple of
/// 64 elements is looked up 64 bytes at a time instead.
struct ConvertIntegerTable : public OpConversionPattern<TableOp> {
  ConvertIntegerTable(const TypeConverter &converter, MLIRContext *context,
                      std::optional<KernelTarget> kernels,
                      PatternBenefit benefit)
      : OpConversionPattern(converter, context, benefit), kernels(kernels) {}

  LogicalResult
  matchAndRewrite(TableOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto inType = perTensorTypeOf(op.getInput());
    auto outType = perTensorTypeOf(op.getResult());
    Location loc = op.getLoc();
    int64_t size = op.getInput().getType().getNumElements();
    if (kernels && kernels->byteLookup && size > 0 && size % 64 == 0 &&
        op.getInput().getType().getRank() > 0) {
      rewriter.replaceOp(
          op, buildVectorTableLookup(rewriter, loc, op, adaptor.getInput()));
      return success();
    }
    auto tableType = RankedTensorType::get({256}, outType.getStorageType());
    SmallVector<APInt> entries;
    unsigned width = outType.getStorageTypeIntegralWidth();
    for (int32_t entry : op.getTable().getValues<int32_t>())
      entries.push_back(APInt(width, entry, /*isSigned=*/true));
    Value table = arith::ConstantOp::create(
        rewriter, loc, DenseIntElementsAttr::get(tableType, entries));
    int64_t offset = inType.getStorageTypeMin();
    Value result = buildElementwise(
        rewriter, loc, toStorageType(op.getType()), {adaptor.getInput()},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value q = extend(b, l, args[0], inType, b.getI32Type());
          Value index = arith::SubIOp::create(
              b, l, q, constantI32Like(b, l, q, offset));
          Value position =
              arith::IndexCastOp::create(b, l, b.getIndexType(), index);
          return tensor::ExtractOp::create(b, l, table, position);
        });
    rewriter.replaceOp(op, result);
    return success();
  }

private:
  std::optional<KernelTarget> kernels;
};

/// requantize: `(q - z_in)` as the accumulator, multiplied by
/// s_in[c] / s_out per channel of the input's quantized dimension.
struct ConvertIntegerRequantize : public OpConversionPattern<RequantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(RequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto inType = quantTypeOf(op.getInput());
    auto outType =
        dyn_cast<quant::UniformQuantizedType>(op.getType().getElementType());
    if (!outType)
      return rewriter.notifyMatchFailure(op, "per-axis result");
    SmallVector<double> reals = getRequantizationMultipliers(op);
    SmallVector<int32_t> zps;
    int64_t axis = -1;
    if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(inType)) {
      axis = perAxis.getQuantizedDimension();
      for (int64_t z : perAxis.getZeroPoints())
        zps.push_back(static_cast<int32_t>(z));
    } else {
      zps.push_back(static_cast<int32_t>(getZeroPointAt(inType, 0)));
    }
    FailureOr<Requantizer> requantizer =
        Requantizer::get(op, reals, axis, outType);
    if (failed(requantizer))
      return failure();
    Location loc = op.getLoc();
    RankedTensorType resultType = toStorageType(op.getType());
    int64_t rank = resultType.getRank();
    SmallVector<Value> inputs = {adaptor.getInput()};
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank)};
    bool perChannelZp = axis >= 0 && !llvm::all_equal(zps);
    if (perChannelZp) {
      inputs.push_back(arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(
              RankedTensorType::get({static_cast<int64_t>(zps.size())},
                                    rewriter.getI32Type()),
              ArrayRef<int32_t>(zps))));
      maps.push_back(AffineMap::get(
          rank, 0, getAffineDimExpr(axis, rewriter.getContext())));
    }
    requantizer->addInputs(rewriter, loc, rank, inputs, maps);
    maps.push_back(rewriter.getMultiDimIdentityMap(rank));
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{resultType}, inputs,
            ValueRange{emptyTensor(rewriter, loc, resultType)}, maps,
            iterators,
            [&](OpBuilder &b, Location l, ValueRange args) {
              ValueRange params = args.drop_front().drop_back();
              Value zp;
              if (perChannelZp) {
                zp = params[0];
                params = params.drop_front();
              } else {
                zp = constantI32(b, l, zps.front());
              }
              Value q = extend(b, l, args[0], inType, b.getI32Type());
              Value acc = zps.front() == 0 && !perChannelZp
                              ? q
                              : arith::SubIOp::create(b, l, q, zp).getResult();
              linalg::YieldOp::create(b, l,
                                      requantizer->apply(b, l, acc, params));
            })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// `q - z` as `acc` (i32 or i64), element-wise.
Value centered(OpBuilder &b, Location loc, Value input,
               quant::UniformQuantizedType type, IntegerType acc) {
  auto storageType = cast<RankedTensorType>(input.getType());
  return buildElementwise(
      b, loc, storageType.clone(acc), {input},
      [&](OpBuilder &nested, Location l, ValueRange args) -> Value {
        Value q = extend(nested, l, args[0], type, acc);
        return arith::SubIOp::create(
            nested, l, q,
            arith::ConstantIntOp::create(nested, l, acc, type.getZeroPoint()));
      });
}

/// i64 window sums shifted right by `shift` bits, rounded half up, as i32
/// (the bound of poolSumShift guarantees they fit); i32 sums unchanged.
Value narrowPoolSums(OpBuilder &b, Location loc, Value sums, int64_t shift) {
  if (shift == 0)
    return sums;
  auto type = cast<RankedTensorType>(sums.getType());
  return buildElementwise(
      b, loc, type.clone(b.getI32Type()), {sums},
      [&](OpBuilder &nested, Location l, ValueRange args) -> Value {
        Type i64 = nested.getI64Type();
        Value half = arith::ConstantIntOp::create(nested, l, i64,
                                                  int64_t(1) << (shift - 1));
        Value rounded = arith::ShRSIOp::create(
            nested, l, arith::AddIOp::create(nested, l, args[0], half),
            arith::ConstantIntOp::create(nested, l, i64, shift));
        return arith::TruncIOp::create(nested, l, nested.getI32Type(),
                                       rounded);
      });
}

/// max_pool2d on the storage integers (input and output share parameters):
/// padded positions hold the storage minimum, which never wins.
struct ConvertIntegerMaxPool2D : public OpConversionPattern<MaxPool2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MaxPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isQuantized(op.getType()))
      return failure();
    Location loc = op.getLoc();
    auto type = perTensorTypeOf(op.getResult());
    Value lowest =
        constantInt(rewriter, loc, type.getStorageType(), type.getStorageTypeMin());
    RankedTensorType resultType = toStorageType(op.getType());
    Value result =
        type.isSigned()
            ? buildPool2D<linalg::PoolingNhwcMaxOp>(
                  rewriter, loc, adaptor.getInput(), resultType,
                  op.getKernel(), op.getStride(), op.getPad(), lowest, lowest,
                  op.getDilationOrDefault())
            : buildPool2D<linalg::PoolingNhwcMaxUnsignedOp>(
                  rewriter, loc, adaptor.getInput(), resultType,
                  op.getKernel(), op.getStride(), op.getPad(), lowest, lowest,
                  op.getDilationOrDefault());
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// avg_pool2d: the window sums of `q - z_in` (padded positions 0) in i32,
/// requantized by s_in / (n s_out) where n is the window's divisor. When n
/// varies (padding that does not count), the multiplier of each n is read
/// from a constant table indexed by n.
struct ConvertIntegerAvgPool2D : public OpConversionPattern<AvgPool2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(AvgPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isQuantized(op.getType()))
      return failure();
    Location loc = op.getLoc();
    auto in = perTensorTypeOf(op.getInput());
    auto out = cast<quant::UniformQuantizedType>(op.getType().getElementType());
    ArrayRef<int64_t> kernel = op.getKernel(), stride = op.getStride(),
                      pad = op.getPad();
    int64_t window = kernel[0] * kernel[1];
    RankedTensorType resultType = toStorageType(op.getType());
    // Window sums beyond i32 accumulate in i64 (poolSumShift).
    int64_t shift = poolSumShift(op);
    IntegerType accElement =
        shift ? rewriter.getI64Type() : rewriter.getI32Type();
    auto accType = resultType.clone(accElement);
    Value zero = arith::ConstantIntOp::create(rewriter, loc, accElement, 0);
    Value sums = buildPool2D<linalg::PoolingNhwcSumOp>(
        rewriter, loc,
        centered(rewriter, loc, adaptor.getInput(), in, accElement), accType,
        kernel, stride, pad, zero, zero);
    sums = narrowPoolSums(rewriter, loc, sums, shift);

    bool countPad = op.getCountIncludePad() ||
                    llvm::all_of(pad, [](int64_t p) { return p == 0; });
    // Multipliers for n = 1 .. window (index n - 1).
    SmallVector<double> reals = getRequantizationMultipliers(op);
    SmallVector<FailureOr<Requantizer>> byCount;
    for (int64_t n = 1; n <= window; ++n) {
      if (countPad && n != window)
        continue;
      byCount.push_back(Requantizer::get(op, {reals[n - 1]}, -1, out));
      if (failed(byCount.back()))
        return failure();
    }
    if (countPad) {
      rewriter.replaceOp(op, buildRequantize(rewriter, loc, resultType, sums,
                                             *byCount.front()));
      return success();
    }

    // Tables of the per-count multipliers, indexed by n - 1.
    const Requantizer &first = *byCount.front();
    Value floatTable, multTable, shiftTable;
    auto tableType = [&](Type element) {
      return RankedTensorType::get({window}, element);
    };
    if (first.fixedPoint) {
      SmallVector<int32_t> mults, shifts;
      for (FailureOr<Requantizer> &r : byCount) {
        mults.push_back(r->fixed[0].multiplier);
        shifts.push_back(r->fixed[0].shift);
      }
      multTable = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(tableType(rewriter.getI32Type()),
                                 ArrayRef<int32_t>(mults)));
      shiftTable = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(tableType(rewriter.getI32Type()),
                                 ArrayRef<int32_t>(shifts)));
    } else {
      SmallVector<float> floats(reals.begin(), reals.end());
      floatTable = arith::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(tableType(rewriter.getF32Type()),
                                 ArrayRef<float>(floats)));
    }
    ArrayRef<int64_t> inShape = op.getInput().getType().getShape();
    Value result = buildElementwise(
        rewriter, loc, resultType, {sums},
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value count = windowCount(b, l, kernel, stride, pad, inShape);
          Value slot = arith::SubIOp::create(b, l, count, constantIndex(b, l, 1));
          if (first.fixedPoint) {
            Value mult = tensor::ExtractOp::create(b, l, multTable, slot);
            Value shift = tensor::ExtractOp::create(b, l, shiftTable, slot);
            return first.finishFixed(
                b, l, multiplyByFixedPoint(b, l, args[0], mult, shift));
          }
          Value m = tensor::ExtractOp::create(b, l, floatTable, slot);
          return first.applyFloat(b, l, args[0], m);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// The means over `axes` of `input` (the storage integers of `op`'s
/// quantized input) requantized to `op`'s result, the rank of `input` less
/// the axes: the sums of `q - z_in` in i32 (i64 narrowed by a rounding
/// shift beyond it, poolSumShift), then s_in / (count s_out). Shared by
/// global_avg_pool and reduce_mean.
static FailureOr<Value> buildIntegerMean(ConversionPatternRewriter &rewriter,
                                         Operation *op, Value input,
                                         ArrayRef<int64_t> axes) {
  Location loc = op->getLoc();
  auto in = perTensorTypeOf(op->getOperand(0));
  auto out = cast<quant::UniformQuantizedType>(
      cast<ShapedType>(op->getResult(0).getType()).getElementType());
  FailureOr<Requantizer> requantizer =
      Requantizer::get(op, getRequantizationMultipliers(op), -1, out);
  if (failed(requantizer))
    return failure();
  int64_t shift = poolSumShift(op);
  IntegerType accElement =
      shift ? rewriter.getI64Type() : rewriter.getI32Type();
  Value sums = buildReduction(
      rewriter, loc, input, axes,
      arith::ConstantIntOp::create(rewriter, loc, accElement, 0),
      [&](OpBuilder &b, Location l, Value q, Value acc) -> Value {
        Value centeredQ = arith::SubIOp::create(
            b, l, extend(b, l, q, in, accElement),
            arith::ConstantIntOp::create(b, l, accElement, in.getZeroPoint()));
        return arith::AddIOp::create(b, l, acc, centeredQ);
      });
  sums = narrowPoolSums(rewriter, loc, sums, shift);
  return buildRequantize(
      rewriter, loc,
      cast<RankedTensorType>(sums.getType()).clone(out.getStorageType()),
      sums, *requantizer);
}

/// global_avg_pool: the means over H and W, expanded to [N, 1, 1, C].
struct ConvertIntegerGlobalAvgPool : public OpConversionPattern<GlobalAvgPoolOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(GlobalAvgPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isQuantized(op.getType()))
      return failure();
    FailureOr<Value> mean =
        buildIntegerMean(rewriter, op, adaptor.getInput(), {1, 2});
    if (failed(mean))
      return failure();
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
        op, toStorageType(op.getType()), *mean,
        ArrayRef<ReassociationIndices>{{0}, {1, 2, 3}});
    return success();
  }
};

/// reduce_mean: the means over its axes, expanded to the keepdims shape.
struct ConvertIntegerReduceMean : public OpConversionPattern<ReduceMeanOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ReduceMeanOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isQuantized(op.getType()))
      return failure();
    FailureOr<Value> mean =
        buildIntegerMean(rewriter, op, adaptor.getInput(), op.getAxes());
    if (failed(mean))
      return failure();
    rewriter.replaceOp(
        op, expandToKeepdims(rewriter, op.getLoc(), *mean,
                             toStorageType(op.getType()),
                             op.getInput().getType().getRank(), op.getAxes()));
    return success();
  }
};

/// reduce_max / reduce_min: the extremum of the stored integers (the result
/// shares the input's parameters), signed or unsigned as the storage.
template <typename OpT>
struct ConvertIntegerReduceExtremum : public OpConversionPattern<OpT> {
  using OpConversionPattern<OpT>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpT op, typename OpT::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isQuantized(op.getType()))
      return failure();
    constexpr bool isMax = std::is_same_v<OpT, ReduceMaxOp>;
    Location loc = op.getLoc();
    auto type = perTensorTypeOf(op.getResult());
    bool isSigned = type.isSigned();
    Value init = constantInt(rewriter, loc, type.getStorageType(),
                             isMax ? type.getStorageTypeMin()
                                   : type.getStorageTypeMax());
    Value result = buildReduction(
        rewriter, loc, adaptor.getInput(), op.getAxes(), init,
        [&](OpBuilder &b, Location l, Value q, Value acc) -> Value {
          if (isMax)
            return isSigned ? arith::MaxSIOp::create(b, l, q, acc).getResult()
                            : arith::MaxUIOp::create(b, l, q, acc).getResult();
          return isSigned ? arith::MinSIOp::create(b, l, q, acc).getResult()
                          : arith::MinUIOp::create(b, l, q, acc).getResult();
        });
    rewriter.replaceOp(
        op, expandToKeepdims(rewriter, loc, result, toStorageType(op.getType()),
                             op.getInput().getType().getRank(), op.getAxes()));
    return success();
  }
};

/// pad in integers: the padding value is the quantized image of the real
/// value (the zero point for 0).
struct ConvertIntegerPad : public OpConversionPattern<PadOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!isQuantized(op.getType()) || !op.isConstantMode())
      return failure(); // Reflect / edge: Spatial.cpp's gather.
    auto type = perTensorTypeOf(op.getResult());
    SmallVector<int64_t> low, high;
    for (auto [i, p] : llvm::enumerate(op.getPad()))
      (i % 2 == 0 ? low : high).push_back(p);
    double value = op.getValueAttr() ? op.getValueAttr().getValueAsDouble() : 0;
    Value padValue =
        constantInt(rewriter, op.getLoc(), type.getStorageType(),
                    quantizeLikeLowering(value, type, 0));
    rewriter.replaceOp(op, padTensor(rewriter, op.getLoc(), adaptor.getInput(),
                                     low, high, padValue));
    return success();
  }
};

} // namespace

LogicalResult mlir::qops::checkIntegerLowering(Operation *op) {
  if (getWeightedOperands(op) && failed(foldContraction(op)))
    return failure();
  // Pooling sums beyond i32 are accumulated in i64: bound them by 2^62.
  if (isa<AvgPool2DOp, GlobalAvgPoolOp, ReduceMeanOp>(op) &&
      poolSumBound(op) > std::ldexp(1.0, 62))
    return op->emitOpError()
           << "cannot be lowered to integers: its window sums can reach "
           << llvm::formatv("{0:e3}", poolSumBound(op)).str()
           << ", beyond the 64-bit accumulator";
  if (!usesFixedPoint(op))
    return success();
  for (double real : getRequantizationMultipliers(op)) {
    std::string error;
    if (failed(getFixedPointMultiplier(real, &error)))
      return op->emitOpError()
             << "cannot be requantized in fixed point: " << error;
  }
  return success();
}

bool mlir::qops::hasIntegerLowering(Operation *op) {
  return isa<Conv2DOp, FullyConnectedOp, MatMulOp, AddOp, SubOp, MulOp,
             MaximumOp, MinimumOp, ReluOp,
             Relu6Op, ClampOp, MaxPool2DOp, AvgPool2DOp, GlobalAvgPoolOp,
             PadOp, ReshapeOp, FlattenOp, ConcatOp, SliceOp, TransposeOp,
             TableOp, ReduceMeanOp, ReduceMaxOp, ReduceMinOp,
             ResizeNearestOp>(op);
}

void mlir::qops::populateQOpsIntegerToLinalgConversionPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns,
    std::optional<KernelTarget> kernels) {
  // Above the float patterns, which do not match quantized ops either.
  PatternBenefit benefit(2);
  patterns.add<ConvertIntegerConv2D,
               ConvertIntegerMatrixProduct<FullyConnectedOp>,
               ConvertIntegerMatrixProduct<MatMulOp>>(
      converter, patterns.getContext(), kernels, benefit);
  patterns.add<ConvertIntegerTable>(converter, patterns.getContext(), kernels,
                                    benefit);
  patterns.add<ConvertIntegerAdd<AddOp>, ConvertIntegerAdd<SubOp>,
               ConvertIntegerExtremum<MaximumOp>,
               ConvertIntegerExtremum<MinimumOp>, ConvertIntegerMul, ConvertIntegerClamp<ReluOp>,
               ConvertIntegerClamp<Relu6Op>, ConvertIntegerClamp<ClampOp>,
               ConvertIntegerMaxPool2D, ConvertIntegerAvgPool2D,
               ConvertIntegerGlobalAvgPool, ConvertIntegerPad,
               ConvertIntegerRequantize,
               ConvertIntegerReduceMean,
               ConvertIntegerReduceExtremum<ReduceMaxOp>,
               ConvertIntegerReduceExtremum<ReduceMinOp>>(
                   converter, patterns.getContext(),
                                         benefit);
}
