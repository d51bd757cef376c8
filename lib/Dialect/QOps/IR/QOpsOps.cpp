//===- QOpsOps.cpp - qops verifiers, type inference and folders -----------===//
//
// The C++ hooks of the qops operations: verifiers for the checks that need
// arithmetic (shapes, windows, groups, quantization parameters), result-type
// inference for the ops whose result follows from their operands, folders
// and canonicalization patterns.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Dialect/QOps/IR/QOpsOps.h"
#include "quant-ops/Dialect/QOps/IR/QuantTypeUtils.h"
#include "quant-ops/Dialect/QOps/IR/TensorSize.h"

#include "mlir/Dialect/Traits.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallBitVector.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::qops;

using EmitErrorFn = llvm::function_ref<InFlightDiagnostic()>;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Prints a shape as `[1, 8, ?, 16]`.
static std::string formatShape(ArrayRef<int64_t> shape) {
  std::string result = "[";
  llvm::raw_string_ostream os(result);
  llvm::interleaveComma(shape, os, [&](int64_t d) {
    if (ShapedType::isDynamic(d))
      os << "?";
    else
      os << d;
  });
  os << "]";
  return result;
}

/// A diagnostic for result-type inference, prefixed like an op's own error.
static InFlightDiagnostic emitInferError(MLIRContext *context,
                                         std::optional<Location> location,
                                         StringRef opName) {
  InFlightDiagnostic diag =
      mlir::emitError(location ? *location : UnknownLoc::get(context));
  diag << "'" << opName << "' op ";
  return diag;
}

/// `values` has `size` entries, all > 0.
static LogicalResult verifyPositive(EmitErrorFn emitError, StringRef name,
                                    ArrayRef<int64_t> values, size_t size) {
  if (values.size() != size)
    return emitError() << "expects '" << name << "' to have " << size
                       << " values, got " << values.size();
  if (llvm::any_of(values, [](int64_t v) { return v <= 0; }))
    return emitError() << "expects '" << name
                       << "' values to be positive, got "
                       << formatShape(values);
  return success();
}

/// `pad` has `size` entries, all >= 0.
static LogicalResult verifyPads(EmitErrorFn emitError, ArrayRef<int64_t> pad,
                                size_t size) {
  if (pad.size() != size)
    return emitError() << "expects 'pad' to have " << size << " values, got "
                       << pad.size();
  if (llvm::any_of(pad, [](int64_t v) { return v < 0; }))
    return emitError() << "expects 'pad' values to be non-negative, got "
                       << formatShape(pad);
  return success();
}

/// Output size of a sliding window over one dimension, or failure when the
/// (dilated) window is larger than the padded input. Dynamic in, dynamic
/// out. Computed in 128 bits so that huge attributes cannot overflow.
static FailureOr<int64_t> windowOutputSize(int64_t size, int64_t padBefore,
                                           int64_t padAfter, int64_t window,
                                           int64_t stride, int64_t dilation) {
  if (ShapedType::isDynamic(size))
    return ShapedType::kDynamic;
  __int128 padded = static_cast<__int128>(size) + padBefore + padAfter;
  __int128 extent = static_cast<__int128>(dilation) * (window - 1) + 1;
  if (extent > padded)
    return failure();
  __int128 out = (padded - extent) / stride + 1;
  if (out > std::numeric_limits<int32_t>::max())
    return failure();
  return static_cast<int64_t>(out);
}

/// Output spatial size `[OH, OW]` of a 2-D window op over an NHWC tensor, or
/// a diagnostic when the window does not fit in the padded input.
static FailureOr<std::pair<int64_t, int64_t>>
inferWindowSize2D(EmitErrorFn emitError, ShapedType input,
                  ArrayRef<int64_t> window, ArrayRef<int64_t> stride,
                  ArrayRef<int64_t> pad, ArrayRef<int64_t> dilation) {
  FailureOr<int64_t> oh = windowOutputSize(input.getDimSize(1), pad[0], pad[1],
                                           window[0], stride[0], dilation[0]);
  FailureOr<int64_t> ow = windowOutputSize(input.getDimSize(2), pad[2], pad[3],
                                           window[1], stride[1], dilation[1]);
  if (failed(oh) || failed(ow)) {
    // In 128 bits: huge attributes must not overflow the message either.
    auto text = [](__int128 v) {
      return v > std::numeric_limits<int64_t>::max()
                 ? std::string("(more than 2^63)")
                 : std::to_string(static_cast<int64_t>(v));
    };
    auto extent = [&](int i) {
      return text(static_cast<__int128>(dilation[i]) * (window[i] - 1) + 1);
    };
    auto padded = [&](int i) {
      return text(static_cast<__int128>(input.getDimSize(1 + i)) +
                  pad[2 * i] + pad[2 * i + 1]);
    };
    return emitError() << "expects the window " << extent(0) << "x"
                       << extent(1) << " to fit in the padded input ["
                       << padded(0) << ", " << padded(1) << "]";
  }
  return std::make_pair(*oh, *ow);
}

/// Checks that the op's result has the expected shape.
static LogicalResult verifyResultShape(Operation *op,
                                       ArrayRef<int64_t> expected,
                                       ShapedType actual) {
  if (actual.getRank() != static_cast<int64_t>(expected.size()) ||
      failed(verifyCompatibleShape(expected, actual.getShape())))
    return op->emitOpError()
           << "expects result shape " << formatShape(expected) << ", got "
           << formatShape(actual.getShape());
  return success();
}

/// Checks the rank of a named operand or result.
static LogicalResult verifyRank(EmitErrorFn emitError, StringRef name,
                                ShapedType type, int64_t rank,
                                StringRef layout = "") {
  if (type.getRank() == rank)
    return success();
  InFlightDiagnostic diag = emitError()
                            << "expects " << name << " of rank " << rank;
  if (!layout.empty())
    diag << " (" << layout << ")";
  return diag << ", got rank " << type.getRank();
}

/// Activations are quantized per tensor: rejects a per-axis type on `value`.
static LogicalResult verifyPerTensor(Operation *op, Value value,
                                     StringRef name) {
  if (!value || !getPerAxisType(value.getType()))
    return success();
  return op->emitOpError() << "expects " << name
                           << " to be quantized per tensor, got "
                           << value.getType();
}

/// A per-axis quantized weight must be quantized along `expectedDim` (its
/// output-channel dimension).
static LogicalResult verifyWeightAxis(Operation *op, Value weight,
                                      StringRef name, int64_t expectedDim,
                                      StringRef dimName) {
  auto perAxis = getPerAxisType(weight.getType());
  if (!perAxis || perAxis.getQuantizedDimension() == expectedDim)
    return success();
  return op->emitOpError()
         << "expects per-axis " << name << " quantization along dimension "
         << expectedDim << " (" << dimName << "), got dimension "
         << perAxis.getQuantizedDimension();
}

/// Checks the optional bias of a conv / matmul / fully-connected op: shape
/// `[channels]` and, in the quantized domain, i32 storage, zero point 0 and
/// scale `input_scale * weight_scale[c]` for every channel `c`.
static LogicalResult verifyBias(Operation *op, Value bias, Value input,
                                Value weight, int64_t channels) {
  if (!bias)
    return success();
  auto biasType = cast<ShapedType>(bias.getType());
  if (biasType.getRank() != 1 ||
      failed(verifyCompatibleShape({channels}, biasType.getShape())))
    return op->emitOpError()
           << "expects bias of shape " << formatShape({channels}) << ", got "
           << formatShape(biasType.getShape());
  if (!isQuantized(biasType))
    return success();

  auto biasQType = cast<quant::QuantizedType>(biasType.getElementType());
  if (!biasQType.getStorageType().isSignlessInteger(32))
    return op->emitOpError()
           << "expects quantized bias with i32 storage, got "
           << biasQType.getStorageType();
  bool zeroPointsAreZero = true;
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(biasQType))
    zeroPointsAreZero = perTensor.getZeroPoint() == 0;
  else
    zeroPointsAreZero = llvm::all_of(
        cast<quant::UniformQuantizedPerAxisType>(biasQType).getZeroPoints(),
        [](int64_t z) { return z == 0; });
  if (!zeroPointsAreZero)
    return op->emitOpError() << "expects quantized bias with zero point 0";

  auto inputQType = cast<quant::QuantizedType>(getElementTypeOrSelf(input));
  auto weightQType = cast<quant::QuantizedType>(getElementTypeOrSelf(weight));
  if (isa<quant::UniformQuantizedPerAxisType>(inputQType))
    return success(); // Reported by the op's per-tensor input check.
  double inputScale = getScaleAt(inputQType, 0);
  int64_t count = ShapedType::isDynamic(channels) ? 1 : channels;
  for (int64_t c = 0; c < count; ++c) {
    double expected = inputScale * getScaleAt(weightQType, c);
    double actual = getScaleAt(biasQType, c);
    if (std::abs(actual - expected) > 1e-6 * expected)
      return op->emitOpError()
             << "expects bias scale at channel " << c
             << " to be input scale * weight scale = " << expected << ", got "
             << actual;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Fused activation
//===----------------------------------------------------------------------===//

std::optional<WeightedOperands>
mlir::qops::getWeightedOperands(Operation *op) {
  if (isa<Conv2DOp, FullyConnectedOp>(op))
    return WeightedOperands{};
  if (auto matmul = dyn_cast<MatMulOp>(op)) {
    WeightedOperands operands;
    operands.channelDim = matmul.getRhs().getType().getRank() - 1;
    return operands;
  }
  return std::nullopt;
}

FusedClamp mlir::qops::getFusedClamp(Operation *op) {
  FusedClamp clamp;
  if (auto min = op->getAttrOfType<FloatAttr>("clamp_min"))
    clamp.min = min.getValueAsDouble();
  if (auto max = op->getAttrOfType<FloatAttr>("clamp_max"))
    clamp.max = max.getValueAsDouble();
  return clamp;
}

void mlir::qops::setFusedClamp(Operation *op, const FusedClamp &clamp) {
  Builder b(op->getContext());
  if (std::isinf(clamp.min))
    op->removeAttr("clamp_min");
  else
    op->setAttr("clamp_min", b.getF32FloatAttr(clamp.min));
  if (std::isinf(clamp.max))
    op->removeAttr("clamp_max");
  else
    op->setAttr("clamp_max", b.getF32FloatAttr(clamp.max));
}

/// The optional fused clamp bounds are finite and ordered.
static LogicalResult verifyFusedClamp(Operation *op) {
  auto min = op->getAttrOfType<FloatAttr>("clamp_min");
  auto max = op->getAttrOfType<FloatAttr>("clamp_max");
  if ((min && !std::isfinite(min.getValueAsDouble())) ||
      (max && !std::isfinite(max.getValueAsDouble())))
    return op->emitOpError()
           << "expects finite fused clamp bounds (omit a bound to leave it "
              "open), got "
           << (min ? min : Attribute()) << " and " << (max ? max : Attribute());
  if (min && max && min.getValueAsDouble() > max.getValueAsDouble())
    return op->emitOpError() << "expects clamp_min <= clamp_max, got "
                             << min.getValueAsDouble() << " > "
                             << max.getValueAsDouble();
  return success();
}

//===----------------------------------------------------------------------===//
// Traits
//===----------------------------------------------------------------------===//

/// Calls `fn(type, "operand #i" / "result #i")` for every shaped operand and
/// result type of `op`.
static LogicalResult
forEachShapedType(Operation *op,
                  llvm::function_ref<LogicalResult(ShapedType, StringRef)> fn) {
  for (auto [i, type] : llvm::enumerate(op->getOperandTypes()))
    if (auto shaped = dyn_cast<ShapedType>(type))
      if (failed(fn(shaped, ("operand #" + Twine(i)).str())))
        return failure();
  for (auto [i, type] : llvm::enumerate(op->getResultTypes()))
    if (auto shaped = dyn_cast<ShapedType>(type))
      if (failed(fn(shaped, ("result #" + Twine(i)).str())))
        return failure();
  return success();
}

LogicalResult mlir::qops::detail::verifyValidQuantTypes(Operation *op) {
  if (failed(forEachShapedType(op, [&](ShapedType type, StringRef what) {
        return verifyQuantizedTensorType([&] { return op->emitOpError(); },
                                         type, what);
      })))
    return failure();
  // Constant operands (weights, biases, ...) within the size every later
  // stage can hold in memory: checked here, on every qops op, so that no
  // pass folds, quantizes or packs a huge splat first.
  for (auto [i, operand] : llvm::enumerate(op->getOperands())) {
    Operation *producer = operand.getDefiningOp();
    auto type = dyn_cast<ShapedType>(operand.getType());
    if (type && producer && producer->hasTrait<::mlir::OpTrait::ConstantLike>() &&
        failed(verifyConstantSize([&] { return op->emitOpError(); }, type,
                                  ("operand #" + Twine(i)).str())))
      return failure();
  }
  return success();
}

LogicalResult mlir::qops::detail::verifySameDomain(Operation *op) {
  std::optional<std::pair<Type, std::string>> first;
  return forEachShapedType(op, [&](ShapedType type,
                                   StringRef what) -> LogicalResult {
    if (!first) {
      first = {type, what.str()};
      return success();
    }
    if (isQuantized(type) == isQuantized(first->first))
      return success();
    return op->emitOpError()
           << "mixes float and quantized tensors: " << first->second << " is "
           << first->first << " but " << what << " is " << type
           << "; an op computes either in f32 or in integers";
  });
}

//===----------------------------------------------------------------------===//
// Conv2DOp
//===----------------------------------------------------------------------===//

LogicalResult Conv2DOp::verify() {
  if (failed(verifyFusedClamp(*this)))
    return failure();
  auto emitError = [&] { return emitOpError(); };
  auto inputType = getInput().getType();
  auto weightType = getWeight().getType();
  auto resultType = getOutput().getType();
  if (failed(verifyRank(emitError, "input", inputType, 4, "NHWC")) ||
      failed(verifyRank(emitError, "weight", weightType, 4, "OHWI")) ||
      failed(verifyRank(emitError, "result", resultType, 4, "NHWC")) ||
      failed(verifyPositive(emitError, "stride", getStride(), 2)) ||
      failed(verifyPositive(emitError, "dilation", getDilation(), 2)) ||
      failed(verifyPads(emitError, getPad(), 4)))
    return failure();

  int64_t groups = getGroupsAttr().getInt();
  if (groups <= 0)
    return emitOpError() << "expects 'groups' to be positive, got " << groups;
  int64_t inChannels = inputType.getDimSize(3);
  int64_t outChannels = weightType.getDimSize(0);
  int64_t weightInChannels = weightType.getDimSize(3);
  if (!ShapedType::isDynamic(inChannels) && inChannels % groups != 0)
    return emitOpError() << "expects input channels (" << inChannels
                         << ") to be divisible by groups (" << groups << ")";
  if (!ShapedType::isDynamic(outChannels) && outChannels % groups != 0)
    return emitOpError() << "expects output channels (" << outChannels
                         << ") to be divisible by groups (" << groups << ")";
  if (!ShapedType::isDynamic(inChannels) &&
      !ShapedType::isDynamic(weightInChannels) &&
      weightInChannels * groups != inChannels)
    return emitOpError() << "expects weight dimension 3 to be input channels "
                            "/ groups = "
                         << inChannels / groups << ", got "
                         << weightInChannels;

  FailureOr<std::pair<int64_t, int64_t>> spatial = inferWindowSize2D(
      emitError, inputType,
      {weightType.getDimSize(1), weightType.getDimSize(2)}, getStride(),
      getPad(), getDilation());
  if (failed(spatial))
    return failure();
  if (failed(verifyResultShape(*this,
                               {inputType.getDimSize(0), spatial->first,
                                spatial->second, outChannels},
                               resultType)))
    return failure();

  // Quantization layout before the bias: the bias check reads one weight
  // scale per output channel.
  if (isQuantized(inputType) &&
      (failed(verifyPerTensor(*this, getInput(), "input")) ||
       failed(verifyPerTensor(*this, getOutput(), "result")) ||
       failed(verifyWeightAxis(*this, getWeight(), "weight", 0,
                               "output channels"))))
    return failure();
  return verifyBias(*this, getBias(), getInput(), getWeight(), outChannels);
}

//===----------------------------------------------------------------------===//
// MatMulOp
//===----------------------------------------------------------------------===//

LogicalResult MatMulOp::verify() {
  if (failed(verifyFusedClamp(*this)))
    return failure();
  auto lhsType = getLhs().getType();
  auto rhsType = getRhs().getType();
  int64_t rank = lhsType.getRank();
  if (rank != 2 && rank != 3)
    return emitOpError() << "expects lhs of rank 2 or 3, got rank " << rank;
  if (failed(verifyRank([&] { return emitOpError(); }, "rhs", rhsType, rank,
                        "the rank of lhs")))
    return failure();
  int64_t k = lhsType.getDimSize(rank - 1);
  int64_t rhsK = rhsType.getDimSize(rank - 2);
  if (failed(verifyCompatibleShape({k}, {rhsK})))
    return emitOpError() << "expects matching contraction sizes, got lhs "
                         << formatShape(lhsType.getShape()) << " and rhs "
                         << formatShape(rhsType.getShape());
  SmallVector<int64_t> expected;
  if (rank == 3) {
    if (failed(verifyCompatibleShape({lhsType.getDimSize(0)},
                                     {rhsType.getDimSize(0)})))
      return emitOpError() << "expects matching batch sizes, got lhs "
                           << formatShape(lhsType.getShape()) << " and rhs "
                           << formatShape(rhsType.getShape());
    expected.push_back(lhsType.getDimSize(0));
  }
  int64_t n = rhsType.getDimSize(rank - 1);
  expected.append({lhsType.getDimSize(rank - 2), n});
  if (failed(verifyResultShape(*this, expected, getOutput().getType())))
    return failure();
  if (isQuantized(lhsType) &&
      (failed(verifyPerTensor(*this, getLhs(), "lhs")) ||
       failed(verifyPerTensor(*this, getOutput(), "result")) ||
       failed(verifyWeightAxis(*this, getRhs(), "rhs", rank - 1, "columns"))))
    return failure();
  return verifyBias(*this, getBias(), getLhs(), getRhs(), n);
}

//===----------------------------------------------------------------------===//
// FullyConnectedOp
//===----------------------------------------------------------------------===//

LogicalResult FullyConnectedOp::verify() {
  if (failed(verifyFusedClamp(*this)))
    return failure();
  auto emitError = [&] { return emitOpError(); };
  auto inputType = getInput().getType();
  auto weightType = getWeight().getType();
  if (failed(verifyRank(emitError, "input", inputType, 2, "[B, K]")) ||
      failed(verifyRank(emitError, "weight", weightType, 2, "[O, K]")))
    return failure();
  if (failed(verifyCompatibleShape({inputType.getDimSize(1)},
                                   {weightType.getDimSize(1)})))
    return emitOpError() << "expects matching input features, got input "
                         << formatShape(inputType.getShape()) << " and weight "
                         << formatShape(weightType.getShape());
  int64_t outFeatures = weightType.getDimSize(0);
  if (failed(verifyResultShape(*this, {inputType.getDimSize(0), outFeatures},
                               getOutput().getType())))
    return failure();
  if (isQuantized(inputType) &&
      (failed(verifyPerTensor(*this, getInput(), "input")) ||
       failed(verifyPerTensor(*this, getOutput(), "result")) ||
       failed(verifyWeightAxis(*this, getWeight(), "weight", 0,
                               "output features"))))
    return failure();
  return verifyBias(*this, getBias(), getInput(), getWeight(), outFeatures);
}

//===----------------------------------------------------------------------===//
// BatchNormOp
//===----------------------------------------------------------------------===//

LogicalResult BatchNormOp::verify() {
  auto inputType = getInput().getType();
  if (isQuantized(inputType))
    return emitOpError() << "expects f32 tensors: batch normalization is "
                            "folded into its producer before quantization";
  if (inputType.getRank() < 2)
    return emitOpError() << "expects input of rank >= 2 with channels last, "
                            "got rank "
                         << inputType.getRank();
  int64_t channels = inputType.getDimSize(inputType.getRank() - 1);
  auto paramType = getScale().getType();
  if (paramType.getRank() != 1 ||
      failed(verifyCompatibleShape({channels}, paramType.getShape())))
    return emitOpError() << "expects per-channel parameters of shape "
                         << formatShape({channels}) << ", got "
                         << formatShape(paramType.getShape());
  double epsilon = getEpsilonAttr().getValueAsDouble();
  if (!std::isfinite(epsilon) || epsilon < 0.0)
    return emitOpError() << "expects a finite, non-negative epsilon, got "
                         << epsilon;
  return success();
}

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

OpFoldResult ReluOp::fold(FoldAdaptor) {
  // relu(relu(x)) = relu(x) and relu(relu6(x)) = relu6(x).
  if (getInput().getDefiningOp<ReluOp>() || getInput().getDefiningOp<Relu6Op>())
    return getInput();
  return {};
}

OpFoldResult Relu6Op::fold(FoldAdaptor) {
  // relu6(relu6(x)) = relu6(x).
  if (getInput().getDefiningOp<Relu6Op>())
    return getInput();
  return {};
}

LogicalResult ClampOp::verify() {
  double min = getMinAttr().getValueAsDouble();
  double max = getMaxAttr().getValueAsDouble();
  if (!std::isfinite(min) || !std::isfinite(max))
    return emitOpError() << "expects finite bounds, got min = " << min
                         << ", max = " << max;
  if (min > max)
    return emitOpError() << "expects min <= max, got min = " << min
                         << ", max = " << max;
  return success();
}

/// Shared by the activations whose quantized result has its own parameters:
/// the quantized forms are per tensor.
static LogicalResult verifyUnaryMap(Operation *op) {
  if (failed(verifyPerTensor(op, op->getOperand(0), "input")) ||
      failed(verifyPerTensor(op, op->getResult(0), "result")))
    return failure();
  return success();
}

LogicalResult LeakyReluOp::verify() {
  double alpha = getAlphaAttr().getValueAsDouble();
  if (!std::isfinite(alpha))
    return emitOpError() << "expects a finite alpha, got " << alpha;
  return verifyUnaryMap(*this);
}

LogicalResult HardSwishOp::verify() { return verifyUnaryMap(*this); }

LogicalResult HardSigmoidOp::verify() {
  double alpha = getAlphaAttr().getValueAsDouble();
  double beta = getBetaAttr().getValueAsDouble();
  if (!std::isfinite(alpha) || !std::isfinite(beta))
    return emitOpError() << "expects a finite alpha and beta, got alpha = "
                         << alpha << ", beta = " << beta;
  return verifyUnaryMap(*this);
}

LogicalResult SigmoidOp::verify() { return verifyUnaryMap(*this); }
LogicalResult SiluOp::verify() { return verifyUnaryMap(*this); }
LogicalResult TanhOp::verify() { return verifyUnaryMap(*this); }
LogicalResult SqrtOp::verify() { return verifyUnaryMap(*this); }
LogicalResult ExpOp::verify() { return verifyUnaryMap(*this); }
LogicalResult ErfOp::verify() { return verifyUnaryMap(*this); }
LogicalResult NegOp::verify() { return verifyUnaryMap(*this); }
LogicalResult AbsOp::verify() { return verifyUnaryMap(*this); }
LogicalResult ReciprocalOp::verify() { return verifyUnaryMap(*this); }
LogicalResult GeluOp::verify() {
  if (getApproximate() != "none" && getApproximate() != "tanh")
    return emitOpError() << "expects approximate \"none\" or \"tanh\", got \""
                         << getApproximate() << "\"";
  return verifyUnaryMap(*this);
}

//===----------------------------------------------------------------------===//
// Element functions: the float lowering's f32 operations, one element
//===----------------------------------------------------------------------===//

// arith.maximumf / arith.minimumf: NaN propagates; +0 is above -0.
static float maximumF(float a, float b) {
  if (std::isnan(a) || std::isnan(b))
    return std::numeric_limits<float>::quiet_NaN();
  if (a == b)
    return std::signbit(a) ? b : a;
  return a > b ? a : b;
}
static float minimumF(float a, float b) {
  if (std::isnan(a) || std::isnan(b))
    return std::numeric_limits<float>::quiet_NaN();
  if (a == b)
    return std::signbit(a) ? a : b;
  return a < b ? a : b;
}
// The lowering's clampF: bounds are f32 constants made from the doubles.
static float clampF(float x, double min, double max) {
  return minimumF(maximumF(x, static_cast<float>(min)),
                  static_cast<float>(max));
}

float ReluOp::evaluateElement(float x) { return maximumF(x, 0.0f); }
float Relu6Op::evaluateElement(float x) { return clampF(x, 0.0, 6.0); }
float ClampOp::evaluateElement(float x) {
  return clampF(x, getMinAttr().getValueAsDouble(),
                getMaxAttr().getValueAsDouble());
}
float LeakyReluOp::evaluateElement(float x) {
  float scaled = x * static_cast<float>(getAlphaAttr().getValueAsDouble());
  return x >= 0.0f ? x : scaled;
}
float HardSwishOp::evaluateElement(float x) {
  float gate = clampF(x + 3.0f, 0.0, 6.0) / 6.0f;
  return x * gate;
}
float HardSigmoidOp::evaluateElement(float x) {
  // Two roundings, as the lowering's mulf and addf: `volatile` keeps the
  // compiler from contracting them into one fused multiply-add.
  volatile float scaled =
      x * static_cast<float>(getAlphaAttr().getValueAsDouble());
  float shifted =
      scaled + static_cast<float>(getBetaAttr().getValueAsDouble());
  return clampF(shifted, 0.0, 1.0);
}
float SigmoidOp::evaluateElement(float x) {
  return 1.0f / (1.0f + ::expf(-x));
}
float SiluOp::evaluateElement(float x) {
  float gate = 1.0f / (1.0f + ::expf(-x));
  return x * gate;
}
float TanhOp::evaluateElement(float x) { return ::tanhf(x); }
float SqrtOp::evaluateElement(float x) { return std::sqrt(x); }
float ExpOp::evaluateElement(float x) { return ::expf(x); }
float ErfOp::evaluateElement(float x) { return ::erff(x); }
float NegOp::evaluateElement(float x) { return -x; }
float AbsOp::evaluateElement(float x) { return std::fabs(x); }
float ReciprocalOp::evaluateElement(float x) { return 1.0f / x; }
float GeluOp::evaluateElement(float x) {
  // The lowering's f32 operations, one rounding each (`volatile` keeps the
  // compiler from contracting a product and a sum into a fused multiply-add).
  volatile float inner;
  if (getApproximate() == "tanh") {
    volatile float cube = (x * x) * x;
    volatile float scaledCube = cube * 0.044715f;
    volatile float sum = x + scaledCube;
    inner = ::tanhf(sum * 0.797884583f);
  } else {
    inner = ::erff(x / 1.41421354f);
  }
  volatile float gate = inner + 1.0f;
  volatile float product = x * gate;
  return product * 0.5f;
}
float DivOp::evaluateElements(float lhs, float rhs) { return lhs / rhs; }
float PowOp::evaluateElements(float lhs, float rhs) {
  return ::powf(lhs, rhs);
}

//===----------------------------------------------------------------------===//
// TableOp
//===----------------------------------------------------------------------===//

LogicalResult TableOp::verify() {
  auto inType = getPerTensorType(getInput().getType());
  auto outType = getPerTensorType(getOutput().getType());
  if (!inType || !outType)
    return emitOpError() << "expects per-tensor quantized input and result";
  if (inType.getStorageTypeIntegralWidth() != 8)
    return emitOpError() << "expects an 8-bit input, got "
                         << inType.getStorageTypeIntegralWidth() << " bits";
  auto tableType = cast<ShapedType>(getTable().getType());
  if (tableType.getRank() != 1 || tableType.getNumElements() != 256)
    return emitOpError() << "expects a table of 256 entries, got "
                         << tableType;
  for (auto [i, entry] : llvm::enumerate(getTable().getValues<int32_t>()))
    if (entry < outType.getStorageTypeMin() ||
        entry > outType.getStorageTypeMax())
      return emitOpError() << "table entry #" << i << " (" << entry
                           << ") is outside the result's storage range ["
                           << outType.getStorageTypeMin() << ", "
                           << outType.getStorageTypeMax() << "]";
  return success();
}

//===----------------------------------------------------------------------===//
// AddOp / MulOp
//===----------------------------------------------------------------------===//

/// NumPy broadcasting of the two operands onto the result, per tensor.
static LogicalResult verifyBroadcastBinary(Operation *op) {
  auto lhsType = cast<ShapedType>(op->getOperand(0).getType());
  auto rhsType = cast<ShapedType>(op->getOperand(1).getType());
  SmallVector<int64_t> shape;
  if (!::mlir::OpTrait::util::getBroadcastedShape(lhsType.getShape(),
                                          rhsType.getShape(), shape))
    return op->emitOpError()
           << "expects broadcast-compatible operand shapes, got "
           << formatShape(lhsType.getShape()) << " and "
           << formatShape(rhsType.getShape());
  if (failed(verifyResultShape(op, shape,
                               cast<ShapedType>(op->getResult(0).getType()))))
    return failure();
  if (failed(verifyPerTensor(op, op->getOperand(0), "lhs")) ||
      failed(verifyPerTensor(op, op->getOperand(1), "rhs")) ||
      failed(verifyPerTensor(op, op->getResult(0), "result")))
    return failure();
  return success();
}

LogicalResult AddOp::verify() {
  if (failed(verifyFusedClamp(*this)))
    return failure();
  return verifyBroadcastBinary(*this);
}
LogicalResult MulOp::verify() { return verifyBroadcastBinary(*this); }
LogicalResult SubOp::verify() { return verifyBroadcastBinary(*this); }
LogicalResult DivOp::verify() { return verifyBroadcastBinary(*this); }
LogicalResult PowOp::verify() { return verifyBroadcastBinary(*this); }
LogicalResult MaximumOp::verify() { return verifyBroadcastBinary(*this); }
LogicalResult MinimumOp::verify() { return verifyBroadcastBinary(*this); }

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// Result shape of a 2-D pooling op over NHWC, with its attribute checks.
static FailureOr<SmallVector<int64_t>>
inferPool2DShape(EmitErrorFn emitError, ShapedType inputType,
                 ArrayRef<int64_t> kernel, ArrayRef<int64_t> stride,
                 ArrayRef<int64_t> pad, ArrayRef<int64_t> dilation = {1, 1}) {
  if (failed(verifyRank(emitError, "input", inputType, 4, "NHWC")) ||
      failed(verifyPositive(emitError, "kernel", kernel, 2)) ||
      failed(verifyPositive(emitError, "stride", stride, 2)) ||
      failed(verifyPositive(emitError, "dilation", dilation, 2)) ||
      failed(verifyPads(emitError, pad, 4)))
    return failure();
  FailureOr<std::pair<int64_t, int64_t>> spatial =
      inferWindowSize2D(emitError, inputType, kernel, stride, pad, dilation);
  if (failed(spatial))
    return failure();
  return SmallVector<int64_t>{inputType.getDimSize(0), spatial->first,
                              spatial->second, inputType.getDimSize(3)};
}

LogicalResult MaxPool2DOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<Type> &inferredReturnTypes) {
  auto emitError = [&] {
    return emitInferError(context, location, getOperationName());
  };
  auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
  SmallVector<int64_t> dilation = {1, 1};
  if (std::optional<ArrayRef<int64_t>> d = adaptor.getDilation())
    dilation.assign(d->begin(), d->end());
  FailureOr<SmallVector<int64_t>> shape =
      inferPool2DShape(emitError, inputType, adaptor.getKernel(),
                       adaptor.getStride(), adaptor.getPad(), dilation);
  if (failed(shape))
    return failure();
  inferredReturnTypes.push_back(inputType.clone(*shape));
  return success();
}

LogicalResult AvgPool2DOp::verify() {
  auto inputType = getInput().getType();
  FailureOr<SmallVector<int64_t>> shape =
      inferPool2DShape([&] { return emitOpError(); }, inputType, getKernel(),
                       getStride(), getPad());
  if (failed(shape) ||
      failed(verifyResultShape(*this, *shape, getOutput().getType())))
    return failure();
  return verifyUnaryMap(*this);
}

LogicalResult GlobalAvgPoolOp::verify() {
  auto inputType = getInput().getType();
  if (failed(verifyRank([&] { return emitOpError(); }, "input", inputType, 4,
                        "NHWC")) ||
      failed(verifyResultShape(
          *this, {inputType.getDimSize(0), 1, 1, inputType.getDimSize(3)},
          getOutput().getType())))
    return failure();
  return verifyUnaryMap(*this);
}

//===----------------------------------------------------------------------===//
// Resize
//===----------------------------------------------------------------------===//

/// Shared by the resizes: NHWC input and result with the same batch and
/// channels, `rows` / `cols` of `perOut` entries per output row / column,
/// each a row / column of the input.
static LogicalResult verifyResize(Operation *op, ArrayRef<int64_t> rows,
                                  ArrayRef<int64_t> cols, int64_t perOut) {
  auto inputType = cast<RankedTensorType>(op->getOperand(0).getType());
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  auto emitError = [&] { return op->emitOpError(); };
  if (failed(verifyRank(emitError, "input", inputType, 4, "NHWC")) ||
      failed(verifyRank(emitError, "result", resultType, 4, "NHWC")))
    return failure();
  if (!inputType.hasStaticShape() || !resultType.hasStaticShape())
    return op->emitOpError() << "expects static shapes";
  if (inputType.getElementType() != resultType.getElementType())
    return op->emitOpError()
           << "expects the result's element type to be the input's, got "
           << resultType.getElementType() << " and "
           << inputType.getElementType();
  if (failed(verifyPerTensor(op, op->getOperand(0), "input")))
    return failure();
  if (failed(verifyResultShape(op,
                               {inputType.getDimSize(0),
                                static_cast<int64_t>(rows.size()) / perOut,
                                static_cast<int64_t>(cols.size()) / perOut,
                                inputType.getDimSize(3)},
                               resultType)))
    return failure();
  if (static_cast<int64_t>(rows.size()) != perOut * resultType.getDimSize(1) ||
      static_cast<int64_t>(cols.size()) != perOut * resultType.getDimSize(2))
    return op->emitOpError() << "expects " << perOut
                             << " entries per output row and column";
  auto checkRange = [&](ArrayRef<int64_t> table, StringRef name,
                        int64_t size) -> LogicalResult {
    for (int64_t v : table)
      if (v < 0 || v >= size)
        return op->emitOpError() << "expects '" << name << "' entries in [0, "
                                 << size << "), got " << v;
    return success();
  };
  return failure(failed(checkRange(rows, "rows", inputType.getDimSize(1))) ||
                 failed(checkRange(cols, "cols", inputType.getDimSize(2))));
}

LogicalResult ResizeNearestOp::verify() {
  return verifyResize(*this, getRows(), getCols(), 1);
}

LogicalResult ResizeBilinearOp::verify() {
  if (failed(verifyResize(*this, getRows(), getCols(), 2)))
    return failure();
  auto checkWeights = [&](ArrayRef<float> weights, StringRef name,
                          size_t size) -> LogicalResult {
    if (weights.size() != size)
      return emitOpError() << "expects " << size << " '" << name
                           << "' entries, got " << weights.size();
    for (float w : weights)
      if (!(w >= 0.0f && w <= 1.0f))
        return emitOpError() << "expects '" << name
                             << "' entries in [0, 1], got " << w;
    return success();
  };
  return failure(
      failed(checkWeights(getRowWeights(), "row_weights",
                          getRows().size() / 2)) ||
      failed(checkWeights(getColWeights(), "col_weights",
                          getCols().size() / 2)));
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

/// Shared by the reductions: axes non-empty, strictly increasing and in
/// range, the result shape, per-tensor quantization; `sameType` (max and
/// min) also requires the result's element type to equal the input's.
static LogicalResult verifyReduce(Operation *op, ArrayRef<int64_t> axes,
                                  bool keepdims, bool sameType) {
  auto inputType = cast<RankedTensorType>(op->getOperand(0).getType());
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  int64_t rank = inputType.getRank();
  if (axes.empty())
    return op->emitOpError() << "expects at least one axis";
  for (auto [i, axis] : llvm::enumerate(axes)) {
    if (axis < 0 || axis >= rank)
      return op->emitOpError() << "expects axes in [0, " << rank << "), got "
                               << axis;
    if (i > 0 && axis <= axes[i - 1])
      return op->emitOpError() << "expects strictly increasing axes, got "
                               << formatShape(axes);
  }
  SmallVector<int64_t> expected;
  for (int64_t d = 0; d < rank; ++d) {
    if (!llvm::is_contained(axes, d))
      expected.push_back(inputType.getDimSize(d));
    else if (keepdims)
      expected.push_back(1);
  }
  if (failed(verifyResultShape(op, expected, resultType)))
    return failure();
  if (sameType && inputType.getElementType() != resultType.getElementType())
    return op->emitOpError()
           << "expects the result element type to equal the input's, got "
           << inputType.getElementType() << " and "
           << resultType.getElementType();
  return verifyUnaryMap(op);
}

LogicalResult ReduceMeanOp::verify() {
  return verifyReduce(*this, getAxes(), getKeepdims(), false);
}
LogicalResult ReduceSumOp::verify() {
  return verifyReduce(*this, getAxes(), getKeepdims(), false);
}
LogicalResult ReduceMaxOp::verify() {
  return verifyReduce(*this, getAxes(), getKeepdims(), true);
}
LogicalResult ReduceMinOp::verify() {
  return verifyReduce(*this, getAxes(), getKeepdims(), true);
}

//===----------------------------------------------------------------------===//
// ReshapeOp
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  auto inputType = getInput().getType();
  auto resultType = getOutput().getType();
  if (!inputType.hasStaticShape() || !resultType.hasStaticShape())
    return emitOpError() << "expects static shapes, got "
                         << formatShape(inputType.getShape()) << " -> "
                         << formatShape(resultType.getShape());
  if (inputType.getNumElements() != resultType.getNumElements())
    return emitOpError() << "expects the same number of elements, got "
                         << inputType.getNumElements() << " and "
                         << resultType.getNumElements();
  if (inputType.getElementType() != resultType.getElementType())
    return emitOpError() << "expects the result element type to equal the "
                            "input's, got "
                         << inputType.getElementType() << " and "
                         << resultType.getElementType();
  if (getPerAxisType(inputType))
    return emitOpError() << "cannot reshape a per-axis quantized tensor";
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

#include "quant-ops/Dialect/QOps/IR/QOpsCanonicalization.inc"

void ReshapeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<ReshapeOfReshape>(context);
}

//===----------------------------------------------------------------------===//
// FlattenOp
//===----------------------------------------------------------------------===//

LogicalResult FlattenOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<Type> &inferredReturnTypes) {
  auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
  int64_t rank = inputType.getRank();
  int64_t axis = adaptor.getAxisAttr().getInt();
  if (axis < 0 || axis > rank)
    return emitInferError(context, location, getOperationName())
           << "expects axis in [0, " << rank << "], got " << axis;
  if (getPerAxisType(inputType))
    return emitInferError(context, location, getOperationName())
           << "cannot flatten a per-axis quantized tensor";
  auto product = [](ArrayRef<int64_t> dims) {
    int64_t result = 1;
    for (int64_t d : dims) {
      if (ShapedType::isDynamic(d))
        return ShapedType::kDynamic;
      result *= d;
    }
    return result;
  };
  ArrayRef<int64_t> shape = inputType.getShape();
  inferredReturnTypes.push_back(inputType.clone(
      {product(shape.take_front(axis)), product(shape.drop_front(axis))}));
  return success();
}

OpFoldResult FlattenOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// ConcatOp
//===----------------------------------------------------------------------===//

LogicalResult ConcatOp::verify() {
  if (getInputs().empty())
    return emitOpError() << "expects at least one input";
  auto firstType = cast<ShapedType>(getInputs().front().getType());
  int64_t rank = firstType.getRank();
  int64_t axis = getAxisAttr().getInt();
  if (axis < 0 || axis >= rank)
    return emitOpError() << "expects axis in [0, " << rank << "), got "
                         << axis;
  SmallVector<int64_t> expected(firstType.getShape());
  for (auto [i, input] : llvm::enumerate(getInputs().drop_front())) {
    auto type = cast<ShapedType>(input.getType());
    if (type.getRank() != rank)
      return emitOpError() << "expects inputs of equal rank, got input #"
                           << i + 1 << " of rank " << type.getRank()
                           << " and input #0 of rank " << rank;
    for (int64_t d = 0; d < rank; ++d) {
      if (d == axis) {
        expected[d] = ShapedType::isDynamic(expected[d]) ||
                              type.isDynamicDim(d)
                          ? ShapedType::kDynamic
                          : expected[d] + type.getDimSize(d);
        continue;
      }
      if (failed(verifyCompatibleShape({expected[d]}, {type.getDimSize(d)})))
        return emitOpError()
               << "expects inputs to agree outside the concatenation axis, "
                  "got input #"
               << i + 1 << " " << formatShape(type.getShape())
               << " and input #0 " << formatShape(firstType.getShape());
    }
  }
  if (failed(verifyResultShape(*this, expected, getOutput().getType())))
    return failure();
  for (auto [i, input] : llvm::enumerate(getInputs()))
    if (failed(verifyPerTensor(*this, input, "input #" + std::to_string(i))))
      return failure();
  return verifyPerTensor(*this, getOutput(), "result");
}

OpFoldResult ConcatOp::fold(FoldAdaptor) {
  if (getInputs().size() == 1 && getInputs().front().getType() == getType())
    return getInputs().front();
  return {};
}

//===----------------------------------------------------------------------===//
// SliceOp
//===----------------------------------------------------------------------===//

LogicalResult SliceOp::verify() {
  auto inputType = getInput().getType();
  auto resultType = getOutput().getType();
  int64_t rank = inputType.getRank();
  if (!inputType.hasStaticShape() || !resultType.hasStaticShape())
    return emitOpError() << "expects static shapes, got "
                         << formatShape(inputType.getShape()) << " -> "
                         << formatShape(resultType.getShape());
  if (resultType.getRank() != rank)
    return emitOpError() << "expects a result of the input's rank " << rank
                         << ", got rank " << resultType.getRank();
  if (static_cast<int64_t>(getOffsets().size()) != rank ||
      static_cast<int64_t>(getStrides().size()) != rank)
    return emitOpError() << "expects one offset and one stride per "
                            "dimension (" << rank << "), got "
                         << getOffsets().size() << " and "
                         << getStrides().size();
  if (inputType.getElementType() != resultType.getElementType())
    return emitOpError() << "expects the result element type to equal the "
                            "input's, got "
                         << inputType.getElementType() << " and "
                         << resultType.getElementType();
  for (int64_t d = 0; d < rank; ++d) {
    int64_t offset = getOffsets()[d], stride = getStrides()[d];
    int64_t size = resultType.getDimSize(d), dim = inputType.getDimSize(d);
    if (offset < 0 || stride <= 0 || size <= 0)
      return emitOpError() << "expects offsets >= 0, strides >= 1 and result "
                              "dimensions >= 1, got offset "
                           << offset << ", stride " << stride
                           << " and size " << size << " in dimension " << d;
    // The last index, offset + (size - 1) * stride, without overflow.
    if (offset >= dim || (size - 1) > (dim - 1 - offset) / stride)
      return emitOpError() << "selects indices beyond dimension " << d
                           << " of size " << dim << " (offset " << offset
                           << ", stride " << stride << ", " << size
                           << " elements)";
  }
  // A sliced per-axis quantized dimension leaves scales without a slice:
  // the quantized-type verifier reports it on the result.
  return success();
}

OpFoldResult SliceOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// PadOp
//===----------------------------------------------------------------------===//

LogicalResult
PadOp::inferReturnTypes(MLIRContext *context, std::optional<Location> location,
                        Adaptor adaptor,
                        SmallVectorImpl<Type> &inferredReturnTypes) {
  auto emitError = [&] {
    return emitInferError(context, location, getOperationName());
  };
  auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
  ArrayRef<int64_t> pad = adaptor.getPad();
  if (failed(verifyPads(emitError, pad, 2 * inputType.getRank())))
    return failure();
  if (FloatAttr value = adaptor.getValueAttr())
    if (!std::isfinite(value.getValueAsDouble()))
      return emitError() << "expects a finite padding value, got "
                         << value.getValueAsDouble();
  StringRef mode = adaptor.getMode() ? *adaptor.getMode() : "constant";
  if (mode != "constant" && mode != "reflect" && mode != "edge")
    return emitError() << "expects mode \"constant\", \"reflect\" or "
                          "\"edge\", got \""
                       << mode << "\"";
  if (mode != "constant" && adaptor.getValueAttr())
    return emitError() << "expects no padding value in mode \"" << mode
                       << "\"";
  if (mode != "constant") {
    for (int64_t d = 0, e = inputType.getRank(); d < e; ++d) {
      int64_t size = inputType.getDimSize(d);
      int64_t most = std::max(pad[2 * d], pad[2 * d + 1]);
      if (ShapedType::isDynamic(size) || most == 0)
        continue;
      if (mode == "reflect" && most >= size)
        return emitError() << "expects reflect pads below the size " << size
                           << " of dimension " << d << ", got " << most;
      if (mode == "edge" && size == 0)
        return emitError() << "cannot edge-pad the empty dimension " << d;
    }
  }
  SmallVector<int64_t> shape(inputType.getShape());
  for (auto [d, size] : llvm::enumerate(shape)) {
    if (!ShapedType::isDynamic(size))
      size += pad[2 * d] + pad[2 * d + 1];
  }
  if (auto perAxis = getPerAxisType(inputType)) {
    int64_t dim = perAxis.getQuantizedDimension();
    if (dim >= 0 && dim < inputType.getRank() &&
        (pad[2 * dim] != 0 || pad[2 * dim + 1] != 0))
      return emitError() << "cannot pad the quantized dimension " << dim
                         << " of a per-axis quantized tensor";
  }
  inferredReturnTypes.push_back(inputType.clone(shape));
  return success();
}

OpFoldResult PadOp::fold(FoldAdaptor) {
  if (llvm::all_of(getPad(), [](int64_t p) { return p == 0; }))
    return getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// TransposeOp
//===----------------------------------------------------------------------===//

LogicalResult TransposeOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<Type> &inferredReturnTypes) {
  auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
  ArrayRef<int64_t> perm = adaptor.getPerm();
  int64_t rank = inputType.getRank();
  llvm::SmallBitVector seen(rank);
  bool valid = static_cast<int64_t>(perm.size()) == rank;
  for (int64_t p : perm) {
    if (!valid || p < 0 || p >= rank || seen.test(p)) {
      valid = false;
      break;
    }
    seen.set(p);
  }
  if (!valid)
    return emitInferError(context, location, getOperationName())
           << "expects 'perm' to be a permutation of [0, " << rank
           << "), got " << formatShape(perm);

  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(inputType.getDimSize(p));
  Type elementType = inputType.getElementType();
  // A per-axis quantized dimension moves with its dimension. An invalid
  // axis is left for the quantized-type verifier to report.
  if (auto perAxis = getPerAxisType(inputType)) {
    auto *it = llvm::find(perm, perAxis.getQuantizedDimension());
    if (it != perm.end())
      elementType = quant::UniformQuantizedPerAxisType::get(
          perAxis.getFlags(), perAxis.getStorageType(),
          perAxis.getExpressedType(), perAxis.getScales(),
          perAxis.getZeroPoints(), std::distance(perm.begin(), it),
          perAxis.getStorageTypeMin(), perAxis.getStorageTypeMax());
  }
  inferredReturnTypes.push_back(RankedTensorType::get(shape, elementType));
  return success();
}

OpFoldResult TransposeOp::fold(FoldAdaptor) {
  for (auto [i, p] : llvm::enumerate(getPerm()))
    if (static_cast<int64_t>(i) != p)
      return {};
  return getInput();
}

namespace {
/// transpose(transpose(x, inner), outer) -> transpose(x, inner o outer):
/// result dimension i is x's dimension inner[outer[i]].
struct ComposeTransposes : public OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(TransposeOp outer,
                                PatternRewriter &rewriter) const override {
    auto inner = outer.getInput().getDefiningOp<TransposeOp>();
    if (!inner)
      return rewriter.notifyMatchFailure(outer,
                                         "operand is not a qops.transpose");
    SmallVector<int64_t> perm;
    for (int64_t p : outer.getPerm())
      perm.push_back(inner.getPerm()[p]);
    rewriter.replaceOpWithNewOp<TransposeOp>(outer, inner.getInput(), perm);
    return success();
  }
};
} // namespace

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *context) {
  results.add<ComposeTransposes>(context);
}

//===----------------------------------------------------------------------===//
// SoftmaxOp
//===----------------------------------------------------------------------===//

LogicalResult SoftmaxOp::verify() {
  int64_t rank = getInput().getType().getRank();
  int64_t axis = getAxisAttr().getInt();
  if (axis < -rank || axis >= rank)
    return emitOpError() << "expects axis in [" << -rank << ", " << rank
                         << "), got " << axis;
  return verifyUnaryMap(*this);
}

//===----------------------------------------------------------------------===//
// Quantization ops
//===----------------------------------------------------------------------===//

OpFoldResult QuantizeOp::fold(FoldAdaptor) {
  // quantize(dequantize(q)) with the same parameters is q: (q - z) * s / s
  // differs from the integer q - z by far less than the 0.5 that rounding
  // tolerates, and q is already inside the storage range.
  if (auto dequantize = getInput().getDefiningOp<DequantizeOp>())
    if (dequantize.getInput().getType() == getType())
      return dequantize.getInput();
  return {};
}

OpFoldResult RequantizeOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// Relu6Op canonicalization
//===----------------------------------------------------------------------===//

void Relu6Op::getCanonicalizationPatterns(RewritePatternSet &results,
                                          MLIRContext *context) {
  results.add<Relu6OfRelu>(context);
}

//===----------------------------------------------------------------------===//
// Fixed output ranges
//===----------------------------------------------------------------------===//

std::pair<double, double> SigmoidOp::getFixedOutputRange() { return {0, 1}; }
std::pair<double, double> HardSigmoidOp::getFixedOutputRange() {
  return {0, 1};
}
std::pair<double, double> TanhOp::getFixedOutputRange() { return {-1, 1}; }
std::pair<double, double> SoftmaxOp::getFixedOutputRange() { return {0, 1}; }

#include "quant-ops/Dialect/QOps/IR/QOpsInterfaces.cpp.inc"

//===----------------------------------------------------------------------===//
// TableGen'd op definitions
//===----------------------------------------------------------------------===//

#define GET_OP_CLASSES
#include "quant-ops/Dialect/QOps/IR/QOpsOps.cpp.inc"
