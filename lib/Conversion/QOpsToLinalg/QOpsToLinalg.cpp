//===- QOpsToLinalg.cpp - lower float qops ops to linalg ------------------===//
//
// Conversion patterns from float-domain qops ops to linalg / tensor / arith /
// math ops on tensors, and the thin pass that applies them.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Conversion/QOpsToLinalg/QOpsToLinalg.h"
#include "quant-ops/Conversion/LoweringSupport/LoweringSupport.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "llvm/TargetParser/Host.h"
#include "Builders.h"
#include "IntegerBuilders.h"
#include "quant-ops/Dialect/QOps/IR/QOpsOps.h"
#include "quant-ops/Dialect/QOps/IR/TensorSize.h"
#include "quant-ops/Dialect/QOps/IR/QuantTypeUtils.h"
#include "quant-ops/Dialect/QOps/IR/Requantization.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Matchers.h"

#include <cmath>
#include <limits>

namespace mlir::qops {
#define GEN_PASS_DEF_CONVERTQOPSTOLINALGPASS
#include "quant-ops/Conversion/Passes.h.inc"
} // namespace mlir::qops

using namespace mlir;
using namespace mlir::qops;


//===----------------------------------------------------------------------===//
// Builders shared by the patterns
//===----------------------------------------------------------------------===//

using namespace mlir::qops::lowering;

namespace {

//===----------------------------------------------------------------------===//
// Convolution and matrix products
//===----------------------------------------------------------------------===//

/// Lowers qops.conv2d: zero padding, then the named linalg convolution for
/// dense (HWCF weights) and depthwise (HWC weights, multiplier 1) forms, and a linalg.generic over
/// `[N, OH, OW, G, O/G]` x `[KH, KW, C/G]` for other groupings. The bias
/// (or zero) initializes the accumulator.
/// The float packed kernels (bias and fused clamp in registers) when a
/// kernel target is set and the weights (and bias, if any) are constants;
/// null otherwise: PackedConvolution.cpp in float mode for a dense or
/// grouped (packedKernelTakesGroups) conv2d, a fully_connected or a 2-D matmul (FMAs on packed weights),
/// PackedDepthwise.cpp for a depthwise conv2d. `input` is the op's
/// [N, H, W, C] or [M, K] input, `weight` its weight operand (OHWI,
/// [O, K] or [K, N]).
static Value lowerFloatPackedKernel(OpBuilder &b, Operation *op, Value input,
                                    Value weight, Value bias,
                                    const std::optional<KernelTarget> &kernels) {
  if (!kernels)
    return {};
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  auto conv2d = dyn_cast<Conv2DOp>(op);
  bool depthwise = false;
  if (conv2d) {
    int64_t groups = conv2d.getGroupsAttr().getInt();
    int64_t channels = conv2d.getInput().getType().getDimSize(3);
    depthwise = groups != 1 && groups == channels &&
                resultType.getDimSize(3) == channels;
    if (!depthwise &&
        !packedKernelTakesGroups(groups, channels, resultType.getDimSize(3),
                                 kernels->lanes, /*isFloat=*/true))
      return {};
  } else if (resultType.getRank() != 2) {
    return {};
  }
  std::optional<SmallVector<double>> weights = getConstantFloatValues(weight);
  std::optional<SmallVector<double>> biasValues;
  if (bias)
    biasValues = getConstantFloatValues(bias);
  if (!weights || (bias && !biasValues))
    return {};
  Location loc = op->getLoc();
  int64_t outChannels = resultType.getDimSize(resultType.getRank() - 1);
  SmallVector<float> init(outChannels, 0.0f);
  if (biasValues)
    init.assign(biasValues->begin(), biasValues->end());
  PackedConvolution conv;
  conv.floatInit = init;
  conv.clamp = getFusedClamp(op);
  if (!conv2d) {
    SmallVector<float> rows = matrixProductRows<float>(
        ArrayRef(*weights), cast<RankedTensorType>(weight.getType()),
        isa<FullyConnectedOp>(op));
    conv.floatWeights = rows;
    return buildPackedMatrixProduct(b, loc, conv, input, resultType,
                                    *kernels);
  }
  SmallVector<float> ohwi(weights->begin(), weights->end());
  conv.floatWeights = ohwi;
  conv.input = input;
  conv.groups = depthwise ? 1 : conv2d.getGroupsAttr().getInt();
  conv.setWindow(conv2d);
  conv.resultType = resultType;
  return depthwise ? buildPackedDepthwise(b, loc, conv, kernels->lanes)
                   : buildPackedConvolution(b, loc, conv, *kernels);
}

struct ConvertConv2D : public OpConversionPattern<Conv2DOp> {
  ConvertConv2D(MLIRContext *context, std::optional<KernelTarget> kernels)
      : OpConversionPattern(context), kernels(kernels) {}

  LogicalResult
  matchAndRewrite(Conv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (isQuantized(op.getType()))
      return failure(); // The integer lowering.
    if (Value packed =
            lowerFloatPackedKernel(rewriter, op, adaptor.getInput(),
                                   op.getWeight(), op.getBias(), kernels)) {
      rewriter.replaceOp(op, packed);
      return success();
    }
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getType();
    RankedTensorType weightType = op.getWeight().getType();
    int64_t groups = op.getGroupsAttr().getInt();
    int64_t channels = op.getInput().getType().getDimSize(3);
    int64_t outChannels = weightType.getDimSize(0);

    Value input = padSpatial(rewriter, loc, adaptor.getInput(), op.getPad(),
                             0.0);
    Value init =
        buildAccumulatorInit(rewriter, loc, resultType, adaptor.getBias());
    SmallVector<NamedAttribute> attrs = {
        stridesAttr(rewriter, op.getStride()),
        dilationsAttr(rewriter, op.getDilation())};

    Value result;
    if (groups == 1) {
      // OHWI -> HWIO: the layout whose convolution decomposes into 1-D
      // convolutions that vectorize (see qops-tile-and-vectorize).
      Value hwcf =
          transposeTensor(rewriter, loc, adaptor.getWeight(), {1, 2, 3, 0});
      result = linalg::Conv2DNhwcHwcfOp::create(
                   rewriter, loc, TypeRange{resultType},
                   ValueRange{input, hwcf}, ValueRange{init}, attrs)
                   .getResult(0);
    } else if (groups == channels && outChannels == channels) {
      // Depthwise: weights [C, KH, KW, 1] -> [KH, KW, C].
      Value hwcm =
          transposeTensor(rewriter, loc, adaptor.getWeight(), {1, 2, 0, 3});
      Value hwc = tensor::CollapseShapeOp::create(
          rewriter, loc, hwcm,
          ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
      result = linalg::DepthwiseConv2DNhwcHwcOp::create(
                   rewriter, loc, TypeRange{resultType},
                   ValueRange{input, hwc}, ValueRange{init}, attrs)
                   .getResult(0);
    } else {
      result = buildGroupedConv(rewriter, op, input, adaptor.getWeight(),
                                init, groups);
    }
    rewriter.replaceOp(op, applyFusedClamp(rewriter, loc, result, op));
    return success();
  }

  std::optional<KernelTarget> kernels;

  /// out[n, oh, ow, g, og] += in[n, oh*sh + kh*dh, ow*sw + kw*dw, g, c] *
  ///                          w[g, og, kh, kw, c]
  static Value buildGroupedConv(OpBuilder &b, Conv2DOp op, Value input,
                                Value weight, Value init, int64_t groups) {
    Location loc = op.getLoc();
    MLIRContext *context = b.getContext();
    auto inputType = cast<RankedTensorType>(input.getType());
    RankedTensorType weightType = op.getWeight().getType();
    RankedTensorType resultType = op.getType();
    Type elementType = resultType.getElementType();
    int64_t cg = weightType.getDimSize(3);
    int64_t og = weightType.getDimSize(0) / groups;

    auto expand = [&](Value value, ArrayRef<int64_t> shape,
                      ArrayRef<ReassociationIndices> reassociation) {
      return tensor::ExpandShapeOp::create(
          b, loc, RankedTensorType::get(shape, elementType), value,
          reassociation);
    };
    Value input5 = expand(input,
                          {inputType.getDimSize(0), inputType.getDimSize(1),
                           inputType.getDimSize(2), groups, cg},
                          {{0}, {1}, {2}, {3, 4}});
    Value weight5 = expand(weight,
                           {groups, og, weightType.getDimSize(1),
                            weightType.getDimSize(2), cg},
                           {{0, 1}, {2}, {3}, {4}});
    SmallVector<int64_t> result5Shape = {
        resultType.getDimSize(0), resultType.getDimSize(1),
        resultType.getDimSize(2), groups, og};
    Value init5 = expand(init, result5Shape, {{0}, {1}, {2}, {3, 4}});

    ContractionLoops loops =
        groupedConvLoops(context, op.getStride(), op.getDilation());
    Value result5 = buildContraction(
        b, loc, RankedTensorType::get(result5Shape, elementType), input5,
        weight5, init5, loops.maps, loops.iterators);
    return tensor::CollapseShapeOp::create(
        b, loc, resultType, result5,
        ArrayRef<ReassociationIndices>{{0}, {1}, {2}, {3, 4}});
  }
};

/// Lowers qops.matmul (`[M, K] x [K, N]`, optionally batched) to a
/// contraction initialized with the bias.
struct ConvertMatMul : public OpConversionPattern<MatMulOp> {
  ConvertMatMul(MLIRContext *context, std::optional<KernelTarget> kernels)
      : OpConversionPattern(context), kernels(kernels) {}
  std::optional<KernelTarget> kernels;

  LogicalResult
  matchAndRewrite(MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (isQuantized(op.getType()))
      return failure(); // The integer lowering.
    if (Value packed = lowerFloatPackedKernel(
            rewriter, op, adaptor.getLhs(), op.getRhs(), op.getBias(),
            kernels)) {
      rewriter.replaceOp(op, packed);
      return success();
    }
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    RankedTensorType resultType = op.getType();
    Value init =
        buildAccumulatorInit(rewriter, loc, resultType, adaptor.getBias());
    ContractionLoops loops = matrixProductLoops(
        context, resultType.getRank(), /*transposedRhs=*/false);
    Value result = buildContraction(rewriter, loc, resultType,
                                    adaptor.getLhs(), adaptor.getRhs(), init,
                                    loops.maps, loops.iterators);
    rewriter.replaceOp(op, applyFusedClamp(rewriter, loc, result, op));
    return success();
  }
};

/// Lowers qops.fully_connected: `out[b, o] = bias[o] + sum_k in[b, k] *
/// w[o, k]`.
struct ConvertFullyConnected : public OpConversionPattern<FullyConnectedOp> {
  ConvertFullyConnected(MLIRContext *context, std::optional<KernelTarget> kernels)
      : OpConversionPattern(context), kernels(kernels) {}
  std::optional<KernelTarget> kernels;

  LogicalResult
  matchAndRewrite(FullyConnectedOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (isQuantized(op.getType()))
      return failure(); // The integer lowering.
    if (Value packed = lowerFloatPackedKernel(
            rewriter, op, adaptor.getInput(), op.getWeight(), op.getBias(),
            kernels)) {
      rewriter.replaceOp(op, packed);
      return success();
    }
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    RankedTensorType resultType = op.getType();
    Value init =
        buildAccumulatorInit(rewriter, loc, resultType, adaptor.getBias());
    ContractionLoops loops =
        matrixProductLoops(context, 2, /*transposedRhs=*/true);
    Value result = buildContraction(rewriter, loc, resultType,
                                    adaptor.getInput(), adaptor.getWeight(),
                                    init, loops.maps, loops.iterators);
    rewriter.replaceOp(op, applyFusedClamp(rewriter, loc, result, op));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Element-wise ops
//===----------------------------------------------------------------------===//

/// Lowers a one-result element-wise qops op whose operands broadcast onto
/// the result, with the scalar computation given by `computeElement`.
template <typename OpTy>
struct ElementwiseLowering : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;

  virtual Value computeElement(OpTy op, OpBuilder &b, Location loc,
                               ValueRange args) const = 0;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (isQuantized(op.getType()))
      return failure(); // The integer lowering.
    Value result = buildElementwise(
        rewriter, op.getLoc(), cast<RankedTensorType>(op.getType()),
        adaptor.getOperands(),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return computeElement(op, b, loc, args);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

static Value clampF(OpBuilder &b, Location loc, Value x, double min,
                    double max) {
  Value lower = arith::MaximumFOp::create(b, loc, x, constantF32(b, loc, min));
  return arith::MinimumFOp::create(b, loc, lower, constantF32(b, loc, max));
}

struct ConvertRelu : public ElementwiseLowering<ReluOp> {
  using ElementwiseLowering::ElementwiseLowering;
  Value computeElement(ReluOp, OpBuilder &b, Location loc,
                       ValueRange args) const override {
    return arith::MaximumFOp::create(b, loc, args[0], constantF32(b, loc, 0));
  }
};

struct ConvertRelu6 : public ElementwiseLowering<Relu6Op> {
  using ElementwiseLowering::ElementwiseLowering;
  Value computeElement(Relu6Op, OpBuilder &b, Location loc,
                       ValueRange args) const override {
    return clampF(b, loc, args[0], 0.0, 6.0);
  }
};

struct ConvertClamp : public ElementwiseLowering<ClampOp> {
  using ElementwiseLowering::ElementwiseLowering;
  Value computeElement(ClampOp op, OpBuilder &b, Location loc,
                       ValueRange args) const override {
    return clampF(b, loc, args[0], op.getMinAttr().getValueAsDouble(),
                  op.getMaxAttr().getValueAsDouble());
  }
};

struct ConvertLeakyRelu : public ElementwiseLowering<LeakyReluOp> {
  using ElementwiseLowering::ElementwiseLowering;
  Value computeElement(LeakyReluOp op, OpBuilder &b, Location loc,
                       ValueRange args) const override {
    Value x = args[0];
    Value scaled = arith::MulFOp::create(
        b, loc, x, constantF32(b, loc, op.getAlphaAttr().getValueAsDouble()));
    Value nonNegative = arith::CmpFOp::create(
        b, loc, arith::CmpFPredicate::OGE, x, constantF32(b, loc, 0.0));
    return arith::SelectOp::create(b, loc, nonNegative, x, scaled);
  }
};

struct ConvertHardSwish : public ElementwiseLowering<HardSwishOp> {
  using ElementwiseLowering::ElementwiseLowering;
  Value computeElement(HardSwishOp, OpBuilder &b, Location loc,
                       ValueRange args) const override {
    Value x = args[0];
    Value shifted = arith::AddFOp::create(b, loc, x, constantF32(b, loc, 3.0));
    Value gate = arith::DivFOp::create(b, loc, clampF(b, loc, shifted, 0, 6),
                                       constantF32(b, loc, 6.0));
    return arith::MulFOp::create(b, loc, x, gate);
  }
};

struct ConvertSigmoid : public ElementwiseLowering<SigmoidOp> {
  using ElementwiseLowering::ElementwiseLowering;
  Value computeElement(SigmoidOp, OpBuilder &b, Location loc,
                       ValueRange args) const override {
    Value negated = arith::NegFOp::create(b, loc, args[0]);
    Value denominator = arith::AddFOp::create(
        b, loc, constantF32(b, loc, 1.0), math::ExpOp::create(b, loc, negated));
    return arith::DivFOp::create(b, loc, constantF32(b, loc, 1.0),
                                 denominator);
  }
};

struct ConvertHardSigmoid : public ElementwiseLowering<HardSigmoidOp> {
  using ElementwiseLowering::ElementwiseLowering;
  Value computeElement(HardSigmoidOp op, OpBuilder &b, Location loc,
                       ValueRange args) const override {
    Value scaled = arith::MulFOp::create(
        b, loc, args[0],
        constantF32(b, loc, op.getAlphaAttr().getValueAsDouble()));
    Value shifted = arith::AddFOp::create(
        b, loc, scaled,
        constantF32(b, loc, op.getBetaAttr().getValueAsDouble()));
    return clampF(b, loc, shifted, 0.0, 1.0);
  }
};

/// x * (1 / (1 + exp(-x))): the operations of qops.sigmoid then qops.mul.
struct ConvertSilu : public ElementwiseLowering<SiluOp> {
  using ElementwiseLowering::ElementwiseLowering;
  Value computeElement(SiluOp, OpBuilder &b, Location loc,
                       ValueRange args) const override {
    Value x = args[0];
    Value negated = arith::NegFOp::create(b, loc, x);
    Value denominator = arith::AddFOp::create(
        b, loc, constantF32(b, loc, 1.0), math::ExpOp::create(b, loc, negated));
    Value gate = arith::DivFOp::create(b, loc, constantF32(b, loc, 1.0),
                                       denominator);
    return arith::MulFOp::create(b, loc, x, gate);
  }
};

struct ConvertTanh : public ElementwiseLowering<TanhOp> {
  using ElementwiseLowering::ElementwiseLowering;
  Value computeElement(TanhOp, OpBuilder &b, Location loc,
                       ValueRange args) const override {
    return math::TanhOp::create(b, loc, args[0]);
  }
};

struct ConvertAdd : public ElementwiseLowering<AddOp> {
  using ElementwiseLowering::ElementwiseLowering;
  Value computeElement(AddOp op, OpBuilder &b, Location loc,
                       ValueRange args) const override {
    Value sum = arith::AddFOp::create(b, loc, args[0], args[1]);
    return clampToFused(b, loc, sum, getFusedClamp(op));
  }
};

/// The one-operation binary ops: `ArithOp` applied to the two elements.
template <typename OpTy, typename ArithOp>
struct ConvertBinaryArith : public ElementwiseLowering<OpTy> {
  using ElementwiseLowering<OpTy>::ElementwiseLowering;
  Value computeElement(OpTy, OpBuilder &b, Location loc,
                       ValueRange args) const override {
    return ArithOp::create(b, loc, args[0], args[1]);
  }
};

/// The one-operation unary math ops: `MathOp` applied to the element.
template <typename OpTy, typename MathOp>
struct ConvertUnaryMath : public ElementwiseLowering<OpTy> {
  using ElementwiseLowering<OpTy>::ElementwiseLowering;
  Value computeElement(OpTy, OpBuilder &b, Location loc,
                       ValueRange args) const override {
    return MathOp::create(b, loc, args[0]);
  }
};

struct ConvertReciprocal : public ElementwiseLowering<ReciprocalOp> {
  using ElementwiseLowering::ElementwiseLowering;
  Value computeElement(ReciprocalOp, OpBuilder &b, Location loc,
                       ValueRange args) const override {
    return arith::DivFOp::create(b, loc, constantF32(b, loc, 1.0), args[0]);
  }
};

/// (x - mean) * (scale / sqrt(variance + epsilon)) + offset, per channel of
/// the last dimension.
struct ConvertBatchNorm : public ElementwiseLowering<BatchNormOp> {
  using ElementwiseLowering::ElementwiseLowering;
  Value computeElement(BatchNormOp op, OpBuilder &b, Location loc,
                       ValueRange args) const override {
    Value x = args[0], scale = args[1], offset = args[2], mean = args[3],
          variance = args[4];
    Value epsilon =
        constantF32(b, loc, op.getEpsilonAttr().getValueAsDouble());
    Value stddev = math::SqrtOp::create(
        b, loc, arith::AddFOp::create(b, loc, variance, epsilon));
    Value factor = arith::DivFOp::create(b, loc, scale, stddev);
    Value centered = arith::SubFOp::create(b, loc, x, mean);
    return arith::AddFOp::create(
        b, loc, arith::MulFOp::create(b, loc, centered, factor), offset);
  }
};

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// Lowers qops.max_pool2d: pad with -inf, then linalg.pooling_nhwc_max.
struct ConvertMaxPool2D : public OpConversionPattern<MaxPool2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MaxPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (isQuantized(op.getType()))
      return failure(); // The integer lowering.
    double lowest = -std::numeric_limits<double>::infinity();
    rewriter.replaceOp(op, buildPool2D<linalg::PoolingNhwcMaxOp>(
                               rewriter, op.getLoc(), adaptor.getInput(),
                               op.getType(), op.getKernel(), op.getStride(),
                               op.getPad(), lowest, lowest,
                               op.getDilationOrDefault()));
    return success();
  }
};

/// Lowers qops.avg_pool2d: zero padding, linalg.pooling_nhwc_sum, then a
/// division by the window size, or, without count_include_pad, by the
/// number of window positions inside the input, computed per output row
/// and column from linalg.index.
struct ConvertAvgPool2D : public OpConversionPattern<AvgPool2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(AvgPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (isQuantized(op.getType()))
      return failure(); // The integer lowering.
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getType();
    Value sums = buildPool2D<linalg::PoolingNhwcSumOp>(
        rewriter, loc, adaptor.getInput(), resultType, op.getKernel(),
        op.getStride(), op.getPad(), 0.0, 0.0);

    ArrayRef<int64_t> kernel = op.getKernel(), stride = op.getStride(),
                      pad = op.getPad();
    ArrayRef<int64_t> inShape = op.getInput().getType().getShape();
    bool countPad = op.getCountIncludePad();
    Value result = buildElementwise(
        rewriter, loc, resultType, {sums},
        [&](OpBuilder &b, Location nestedLoc, ValueRange args) -> Value {
          if (countPad)
            return arith::DivFOp::create(
                b, nestedLoc, args[0],
                constantF32(b, nestedLoc, kernel[0] * kernel[1]));
          Value count = windowCount(b, nestedLoc, kernel, stride, pad,
                                    inShape);
          Value countF = arith::SIToFPOp::create(
              b, nestedLoc, b.getF32Type(),
              arith::IndexCastOp::create(b, nestedLoc, b.getI64Type(), count));
          return arith::DivFOp::create(b, nestedLoc, args[0], countF);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Lowers qops.global_avg_pool: sum over H and W into [N, C], divide by
/// H * W, and expand to [N, 1, 1, C].
struct ConvertGlobalAvgPool : public OpConversionPattern<GlobalAvgPoolOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(GlobalAvgPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (isQuantized(op.getType()))
      return failure(); // The integer lowering.
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    RankedTensorType inputType = op.getInput().getType();
    Type elementType = inputType.getElementType();
    auto reducedType = RankedTensorType::get(
        {inputType.getDimSize(0), inputType.getDimSize(3)}, elementType);
    AffineExpr n, h, w, c;
    bindDims(context, n, h, w, c);
    auto sum = linalg::GenericOp::create(
        rewriter, loc, TypeRange{reducedType}, ValueRange{adaptor.getInput()},
        ValueRange{filledTensor(rewriter, loc, reducedType, 0.0)},
        ArrayRef<AffineMap>{AffineMap::getMultiDimIdentityMap(4, context),
                            AffineMap::get(4, 0, {n, c}, context)},
        ArrayRef<utils::IteratorType>{utils::IteratorType::parallel,
                                      utils::IteratorType::reduction,
                                      utils::IteratorType::reduction,
                                      utils::IteratorType::parallel},
        [](OpBuilder &b, Location nestedLoc, ValueRange args) {
          linalg::YieldOp::create(
              b, nestedLoc,
              arith::AddFOp::create(b, nestedLoc, args[1], args[0])
                  .getResult());
        });
    double count = inputType.getDimSize(1) * inputType.getDimSize(2);
    Value mean = buildElementwise(
        rewriter, loc, reducedType, {sum.getResult(0)},
        [&](OpBuilder &b, Location nestedLoc, ValueRange args) -> Value {
          return arith::DivFOp::create(b, nestedLoc, args[0],
                                       constantF32(b, nestedLoc, count));
        });
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
        op, op.getType(), mean,
        ArrayRef<ReassociationIndices>{{0}, {1, 2, 3}});
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

/// Lowers qops.reshape and qops.flatten: both keep the row-major order and
/// only change the shape to their result type's.
template <typename OpTy>
struct ConvertToReshape : public OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, reshapeTo(rewriter, op.getLoc(), adaptor.getInput(),
                                     toStorageType(op.getType())));
    return success();
  }
};

/// Lowers qops.concat to tensor.insert_slice of each input into an empty
/// result.
struct ConvertConcat : public OpConversionPattern<ConcatOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = toStorageType(op.getType());
    int64_t axis = op.getAxisAttr().getInt();
    Value result = emptyTensor(rewriter, loc, resultType);
    int64_t offset = 0;
    for (Value input : adaptor.getInputs()) {
      auto type = cast<RankedTensorType>(input.getType());
      SmallVector<int64_t> offsets(type.getRank(), 0);
      offsets[axis] = offset;
      SmallVector<int64_t> strides(type.getRank(), 1);
      result = tensor::InsertSliceOp::create(
          rewriter, loc, input, result,
          getAsIndexOpFoldResult(rewriter.getContext(), offsets),
          getAsIndexOpFoldResult(rewriter.getContext(), type.getShape()),
          getAsIndexOpFoldResult(rewriter.getContext(), strides));
      offset += type.getDimSize(axis);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Lowers qops.slice to tensor.extract_slice (float and quantized alike:
/// the storage values are copied).
struct ConvertSlice : public OpConversionPattern<SliceOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    MLIRContext *context = rewriter.getContext();
    RankedTensorType resultType = toStorageType(op.getType());
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
        op, resultType, adaptor.getInput(),
        getAsIndexOpFoldResult(context, op.getOffsets()),
        getAsIndexOpFoldResult(context, resultType.getShape()),
        getAsIndexOpFoldResult(context, op.getStrides()));
    return success();
  }
};

struct ConvertPad : public OpConversionPattern<PadOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (isQuantized(op.getType()) || !op.isConstantMode())
      return failure(); // The integer lowering, or Spatial.cpp's gather.
    SmallVector<int64_t> low, high;
    for (auto [i, p] : llvm::enumerate(op.getPad()))
      (i % 2 == 0 ? low : high).push_back(p);
    double value = op.getValueAttr() ? op.getValueAttr().getValueAsDouble() : 0;
    rewriter.replaceOp(op, padTensor(rewriter, op.getLoc(), adaptor.getInput(),
                                     low, high, value));
    return success();
  }
};

struct ConvertTranspose : public OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto transposed = linalg::TransposeOp::create(
        rewriter, loc, adaptor.getInput(),
        emptyTensor(rewriter, loc, toStorageType(op.getType())), op.getPerm());
    rewriter.replaceOp(op, transposed.getResult()[0]);
    return success();
  }
};

/// Lowers qops.softmax along `axis`: m = max(x), e = exp(x - m), s = sum(e),
/// out = e / s, each a linalg.generic.
struct ConvertSoftmax : public OpConversionPattern<SoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SoftmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    RankedTensorType type = op.getType();
    int64_t rank = type.getRank();
    int64_t axis = op.getAxisAttr().getInt();
    if (axis < 0)
      axis += rank;

    SmallVector<int64_t> reducedShape;
    SmallVector<AffineExpr> reducedExprs;
    for (int64_t d = 0; d < rank; ++d) {
      if (d == axis)
        continue;
      reducedShape.push_back(type.getDimSize(d));
      reducedExprs.push_back(getAffineDimExpr(d, context));
    }
    auto reducedType =
        RankedTensorType::get(reducedShape, type.getElementType());
    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, context);
    AffineMap reducedMap = AffineMap::get(rank, 0, reducedExprs, context);
    SmallVector<utils::IteratorType> parallel(rank,
                                              utils::IteratorType::parallel);
    SmallVector<utils::IteratorType> reduction = parallel;
    reduction[axis] = utils::IteratorType::reduction;

    auto reduce = [&](Value input, double init, auto combine) {
      return linalg::GenericOp::create(
                 rewriter, loc, TypeRange{reducedType}, ValueRange{input},
                 ValueRange{filledTensor(rewriter, loc, reducedType, init)},
                 ArrayRef<AffineMap>{identity, reducedMap}, reduction,
                 [&](OpBuilder &b, Location nestedLoc, ValueRange args) {
                   linalg::YieldOp::create(
                       b, nestedLoc, combine(b, nestedLoc, args[0], args[1]));
                 })
          .getResult(0);
    };
    auto mapWithReduced = [&](Value input, Value reduced, auto compute) {
      return linalg::GenericOp::create(
                 rewriter, loc, TypeRange{type}, ValueRange{input, reduced},
                 ValueRange{emptyTensor(rewriter, loc, type)},
                 ArrayRef<AffineMap>{identity, reducedMap, identity}, parallel,
                 [&](OpBuilder &b, Location nestedLoc, ValueRange args) {
                   linalg::YieldOp::create(
                       b, nestedLoc, compute(b, nestedLoc, args[0], args[1]));
                 })
          .getResult(0);
    };

    Value max = reduce(adaptor.getInput(),
                       -std::numeric_limits<double>::infinity(),
                       [](OpBuilder &b, Location l, Value x, Value acc) {
                         return arith::MaximumFOp::create(b, l, x, acc)
                             .getResult();
                       });
    Value exps = mapWithReduced(
        adaptor.getInput(), max, [](OpBuilder &b, Location l, Value x, Value m) {
          return math::ExpOp::create(b, l, arith::SubFOp::create(b, l, x, m))
              .getResult();
        });
    Value sums = reduce(exps, 0.0, [](OpBuilder &b, Location l, Value x,
                                      Value acc) {
      return arith::AddFOp::create(b, l, acc, x).getResult();
    });
    rewriter.replaceOp(
        op, mapWithReduced(exps, sums,
                           [](OpBuilder &b, Location l, Value e, Value s) {
                             return arith::DivFOp::create(b, l, e, s)
                                 .getResult();
                           }));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Quantization ops (float simulation with the contract's exact rounding)
//===----------------------------------------------------------------------===//

/// Where a linalg.generic reads one quantized type's (scale, zero point):
/// constants for per-tensor types, or two extra [C] inputs indexed by the
/// quantized dimension for per-axis types.
struct QuantParamReader {
  quant::QuantizedType type;
  /// The factor read as "scale", one per slice of the quantized dimension
  /// (one for per-tensor types): the type's scales, or s_in / s_out when
  /// requantize overwrites them.
  SmallVector<double> scales;

  static QuantParamReader of(quant::QuantizedType type) {
    QuantParamReader reader{type, {}};
    if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type))
      reader.scales.assign(perAxis.getScales().begin(),
                           perAxis.getScales().end());
    else
      reader.scales.push_back(getScaleAt(type, 0));
    return reader;
  }

  SmallVector<double> zeroPoints() const {
    if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type))
      return SmallVector<double>(perAxis.getZeroPoints().begin(),
                                 perAxis.getZeroPoints().end());
    return {static_cast<double>(
        cast<quant::UniformQuantizedType>(type).getZeroPoint())};
  }

  bool isPerAxis() const { return axis() >= 0; }
  int64_t axis() const {
    if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type))
      return perAxis.getQuantizedDimension();
    return -1;
  }

  /// Adds the per-axis parameter tensors to the generic's inputs.
  void addInputs(OpBuilder &b, Location loc, int64_t rank,
                 SmallVectorImpl<Value> &inputs,
                 SmallVectorImpl<AffineMap> &maps) const {
    if (!isPerAxis())
      return;
    auto tensorType = RankedTensorType::get(
        {static_cast<int64_t>(scales.size())}, b.getF32Type());
    SmallVector<double> zps = zeroPoints();
    for (ArrayRef<double> values : {ArrayRef<double>(scales),
                                    ArrayRef<double>(zps)}) {
      SmallVector<float> floats(values.begin(), values.end());
      inputs.push_back(arith::ConstantOp::create(
          b, loc, DenseElementsAttr::get(tensorType, ArrayRef<float>(floats))));
      maps.push_back(AffineMap::get(rank, 0,
                                    getAffineDimExpr(axis(), b.getContext())));
    }
  }

  /// (scale, zero point) as f32 values inside the body; consumes the block
  /// arguments added by addInputs.
  std::pair<Value, Value> read(OpBuilder &b, Location loc, ValueRange &args) const {
    if (isPerAxis()) {
      std::pair<Value, Value> result = {args[0], args[1]};
      args = args.drop_front(2);
      return result;
    }
    return {constantF32(b, loc, scales[0]),
            constantF32(b, loc, zeroPoints()[0])};
  }
};

/// A stored integer as f32 (signedness from the quantized type).
static Value storageToFloat(OpBuilder &b, Location loc, Value q,
                            quant::QuantizedType type) {
  if (type.isSigned())
    return arith::SIToFPOp::create(b, loc, b.getF32Type(), q);
  return arith::UIToFPOp::create(b, loc, b.getF32Type(), q);
}

/// clamp(round_half_to_even(v) + zero_point, qmin, qmax) as the storage
/// integer of `type`. The zero point is added after rounding (the contract's
/// order); NaN saturates to qmin.
static Value roundAndSaturate(OpBuilder &b, Location loc, Value v, Value zp,
                              quant::QuantizedType type) {
  Value rounded = math::RoundEvenOp::create(b, loc, v);
  Value shifted = arith::AddFOp::create(b, loc, rounded, zp);
  Value low = arith::MaxNumFOp::create(
      b, loc, shifted, constantF32(b, loc, type.getStorageTypeMin()));
  Value clamped = arith::MinNumFOp::create(
      b, loc, low, constantF32(b, loc, getStorageMaxAsF32(type)));
  if (type.isSigned())
    return arith::FPToSIOp::create(b, loc, type.getStorageType(), clamped);
  return arith::FPToUIOp::create(b, loc, type.getStorageType(), clamped);
}

/// A parallel generic over `resultType` reading `input` and the parameter
/// tensors of `readers`.
static Value buildQuantGeneric(
    OpBuilder &b, Location loc, RankedTensorType resultType, Value input,
    ArrayRef<QuantParamReader> readers,
    llvm::function_ref<Value(OpBuilder &, Location, Value, ValueRange)> body) {
  int64_t rank = resultType.getRank();
  SmallVector<Value> inputs = {input};
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank)};
  for (const QuantParamReader &reader : readers)
    reader.addInputs(b, loc, rank, inputs, maps);
  maps.push_back(b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, TypeRange{resultType}, inputs,
             ValueRange{emptyTensor(b, loc, resultType)}, maps, iterators,
             [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
               linalg::YieldOp::create(
                   nested, nestedLoc,
                   body(nested, nestedLoc, args[0],
                        args.drop_front().drop_back()));
             })
      .getResult(0);
}

/// qops.quantize: q = clamp(round_half_to_even(x / s) + z, qmin, qmax).
struct ConvertQuantize : public OpConversionPattern<QuantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(QuantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<quant::QuantizedType>(op.getType().getElementType());
    auto resultType =
        cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    QuantParamReader reader = QuantParamReader::of(type);
    rewriter.replaceOp(
        op, buildQuantGeneric(
                rewriter, op.getLoc(), resultType, adaptor.getInput(), reader,
                [&](OpBuilder &b, Location loc, Value x, ValueRange params) {
                  auto [scale, zp] = reader.read(b, loc, params);
                  Value scaled = arith::DivFOp::create(b, loc, x, scale);
                  return roundAndSaturate(b, loc, scaled, zp, type);
                }));
    return success();
  }
};

/// qops.dequantize: x = (q - z) * s.
struct ConvertDequantize : public OpConversionPattern<DequantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(DequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type =
        cast<quant::QuantizedType>(op.getInput().getType().getElementType());
    QuantParamReader reader = QuantParamReader::of(type);
    rewriter.replaceOp(
        op, buildQuantGeneric(
                rewriter, op.getLoc(), op.getType(), adaptor.getInput(), reader,
                [&](OpBuilder &b, Location loc, Value q, ValueRange params) {
                  auto [scale, zp] = reader.read(b, loc, params);
                  Value centered = arith::SubFOp::create(
                      b, loc, storageToFloat(b, loc, q, type), zp);
                  return arith::MulFOp::create(b, loc, centered, scale)
                      .getResult();
                }));
    return success();
  }
};

} // namespace

void mlir::qops::populateQOpsToLinalgConversionPatterns(
    RewritePatternSet &patterns, std::optional<KernelTarget> kernels) {
  patterns.add<ConvertConv2D, ConvertMatMul, ConvertFullyConnected>(
      patterns.getContext(), kernels);
  patterns.add<
               ConvertBatchNorm, ConvertRelu, ConvertRelu6, ConvertClamp,
               ConvertLeakyRelu, ConvertHardSwish, ConvertSigmoid,
               ConvertHardSigmoid, ConvertSilu,
               ConvertTanh, ConvertAdd, ConvertBinaryArith<MulOp, arith::MulFOp>,
               ConvertMaxPool2D,
               ConvertAvgPool2D, ConvertGlobalAvgPool,
               ConvertToReshape<ReshapeOp>, ConvertToReshape<FlattenOp>,
               ConvertConcat, ConvertSlice, ConvertPad, ConvertTranspose,
               ConvertSoftmax>(patterns.getContext());
  patterns.add<ConvertBinaryArith<SubOp, arith::SubFOp>,
               ConvertBinaryArith<DivOp, arith::DivFOp>,
               ConvertBinaryArith<PowOp, math::PowFOp>,
               ConvertBinaryArith<MaximumOp, arith::MaximumFOp>,
               ConvertBinaryArith<MinimumOp, arith::MinimumFOp>,
               ConvertReciprocal,
               ConvertUnaryMath<SqrtOp, math::SqrtOp>,
               ConvertUnaryMath<ExpOp, math::ExpOp>,
               ConvertUnaryMath<ErfOp, math::ErfOp>,
               ConvertUnaryMath<NegOp, arith::NegFOp>,
               ConvertUnaryMath<AbsOp, math::AbsFOp>>(patterns.getContext());
  lowering::populateReductionPatterns(patterns);
  lowering::populateSpatialPatterns(patterns);
  lowering::populateNormalizationPatterns(patterns);
  lowering::populateTransformerPatterns(patterns);
}

TypeConverter mlir::qops::getQuantStorageTypeConverter() {
  TypeConverter converter;
  converter.addConversion([](Type type) { return type; });
  converter.addConversion([](RankedTensorType type) -> Type {
    if (auto quantized = dyn_cast<quant::QuantizedType>(type.getElementType()))
      return type.clone(quantized.getStorageType());
    return type;
  });
  return converter;
}

void mlir::qops::populateQOpsQuantizationToLinalgConversionPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns,
    std::optional<KernelTarget> kernels) {
  patterns.add<ConvertQuantize, ConvertDequantize>(converter,
                                                  patterns.getContext());
  populateQOpsIntegerToLinalgConversionPatterns(converter, patterns, kernels);
}

//===----------------------------------------------------------------------===//
// Pass
//===----------------------------------------------------------------------===//

namespace {
struct ConvertQOpsToLinalgPass
    : public qops::impl::ConvertQOpsToLinalgPassBase<ConvertQOpsToLinalgPass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *context) override {
    if (!packedKernels)
      return success();
    FailureOr<TargetVectorFeatures> features =
        getTargetVectorFeatures(targetCpu);
    if (failed(features))
      return emitError(UnknownLoc::get(context))
             << "convert-qops-to-linalg: unknown target-cpu '" << targetCpu
             << "' for " << llvm::sys::getDefaultTargetTriple();
    KernelTarget target;
    if (features->avx512vnni && features->lanes == 16) {
      target = {Int8DotKind::Vnni512, 16};
    } else if (features->avxvnni ||
               (features->avx512vnni && features->avx512vl)) {
      target = {Int8DotKind::Vnni256, 8};
    } else {
      target = {Int8DotKind::Generic, features->lanes};
    }
    target.byteLookup = features->avx512vbmi && features->lanes == 16;
    kernels = target;
    return success();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();

    // Name every op this lowering does not handle before rewriting anything.
    bool unsupported = false;
    // Zero-sized tensors and tensors whose buffer size overflows 64 bits
    // cannot be compiled into static buffers.
    // The first offending type is reported; nothing else is checked then.
    auto checkSize = [&](Operation *op, Type type, StringRef what) {
      auto shaped = dyn_cast<ShapedType>(type);
      if (unsupported || !shaped || !shaped.hasStaticShape())
        return;
      if (llvm::is_contained(shaped.getShape(), 0)) {
        op->emitOpError() << "cannot be lowered to linalg: " << what << " "
                          << type << " has a zero-sized dimension";
        unsupported = true;
        return;
      }
      Type element = getElementTypeOrSelf(type);
      if (auto q = dyn_cast<quant::QuantizedType>(element))
        element = q.getStorageType();
      uint64_t bytes = std::max<uint64_t>(
          1, (element.getIntOrFloatBitWidth() + 7) / 8);
      for (int64_t d : shaped.getShape()) {
        if (bytes > (uint64_t(1) << 62) / uint64_t(d)) {
          op->emitOpError() << "cannot be lowered to linalg: " << what << " "
                            << type
                            << " needs more than 2^62 bytes of memory";
          unsupported = true;
          return;
        }
        bytes *= uint64_t(d);
      }
    };
    module.walk([&](func::FuncOp func) {
      for (auto [i, type] : llvm::enumerate(func.getArgumentTypes()))
        checkSize(func, type, ("argument #" + Twine(i)).str());
      for (auto [i, type] : llvm::enumerate(func.getResultTypes()))
        checkSize(func, type, ("result #" + Twine(i)).str());
    });
    module.walk([&](Operation *op) {
      if (op->getName().getDialectNamespace() == "qops") {
        for (auto [i, type] : llvm::enumerate(op->getOperandTypes()))
          checkSize(op, type, ("operand #" + Twine(i)).str());
        for (auto [i, type] : llvm::enumerate(op->getResultTypes()))
          checkSize(op, type, ("result #" + Twine(i)).str());
      }
    });
    // Constants anywhere in the module (not only those qops ops consume,
    // which their verifier checks): the lowering folds, packs and emits
    // them, holding every element in memory.
    if (unsupported ||
        failed(verifyConstantAttributes(module, "cannot be lowered to linalg: ")))
      return signalPassFailure();
    module.walk([&](Operation *op) {
      if (op->getName().getDialectNamespace() != "qops")
        return;
      auto isStatic = [](Type type) {
        auto shaped = dyn_cast<ShapedType>(type);
        return !shaped || shaped.hasStaticShape();
      };
      bool quantizationOp = isa<QuantizeOp, DequantizeOp, RequantizeOp>(op);
      if (auto requantize = dyn_cast<RequantizeOp>(op);
          requantize && getPerAxisType(requantize.getType())) {
        op->emitOpError() << "cannot be lowered to linalg: requantization to "
                             "a per-axis type is not supported";
        unsupported = true;
      } else if (!quantizationOp && !hasIntegerLowering(op) &&
                 (llvm::any_of(op->getOperandTypes(), isQuantized) ||
                  llvm::any_of(op->getResultTypes(), isQuantized))) {
        op->emitOpError() << "cannot be lowered to linalg: it has no integer "
                             "implementation (keep it in float between "
                             "qops.dequantize and qops.quantize)";
        unsupported = true;
      } else if (hasIntegerLowering(op) &&
                 llvm::any_of(op->getResultTypes(), isQuantized) &&
                 failed(checkIntegerLowering(op))) {
        unsupported = true;
      } else if (quantizationOp && isa<RequantizeOp>(op) &&
                 failed(checkIntegerLowering(op))) {
        unsupported = true;
      } else if (!llvm::all_of(op->getOperandTypes(), isStatic) ||
                 !llvm::all_of(op->getResultTypes(), isStatic)) {
        op->emitOpError() << "cannot be lowered to linalg: dynamic shapes "
                             "are not supported";
        unsupported = true;
      }
    });
    if (unsupported)
      return signalPassFailure();

    // Quantized tensors become tensors of their storage integers, including
    // at function boundaries.
    TypeConverter converter = getQuantStorageTypeConverter();
    ConversionTarget target(getContext());
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, tensor::TensorDialect,
                           scf::SCFDialect, vector::VectorDialect>();
    target.addIllegalDialect<QOpsDialect>();
    target.addLegalOp<Dot4Op, LookupBytesOp>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp func) {
      return converter.isSignatureLegal(func.getFunctionType()) &&
             converter.isLegal(&func.getBody());
    });
    target.addDynamicallyLegalOp<func::ReturnOp, func::CallOp>(
        [&](Operation *op) { return converter.isLegal(op); });

    RewritePatternSet patterns(&getContext());
    populateQOpsToLinalgConversionPatterns(patterns, kernels);
    populateQOpsQuantizationToLinalgConversionPatterns(converter, patterns,
                                                       kernels);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);
    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      signalPassFailure();
  }

private:
  std::optional<KernelTarget> kernels;
};
} // namespace
