//===- IntegerBuilders.h - integer arithmetic of the int8 lowering -*- C++ -*-===//
//
// Internal to lib/Conversion/QOpsToLinalg: builders of the integer
// arithmetic the quantized domain lowers to (extensions, clamps, the
// fixed-point multiply of gemmlowp / TFLite) and the Requantizer that turns
// an i32 accumulator into an output storage integer. Every builder works on
// scalars (inside linalg.generic bodies) and on vectors (in the packed int8
// kernels) alike: constants are splat to the operand's shape.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_LIB_CONVERSION_QOPSTOLINALG_INTEGERBUILDERS_H
#define QUANTOPS_LIB_CONVERSION_QOPSTOLINALG_INTEGERBUILDERS_H

#include "Builders.h"
#include "quant-ops/Conversion/QOpsToLinalg/QOpsToLinalg.h"
#include "quant-ops/Dialect/QOps/IR/QuantTypeUtils.h"
#include "quant-ops/Dialect/QOps/IR/Requantization.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinTypes.h"

#include <algorithm>
#include <array>
#include <limits>

namespace mlir::qops::lowering {

//===----------------------------------------------------------------------===//
// Scalar and vector integer builders
//===----------------------------------------------------------------------===//

/// `type` (a scalar or a vector) with its element type replaced by
/// `element`.
inline Type withElementType(Type type, Type element) {
  if (auto vector = dyn_cast<VectorType>(type))
    return vector.clone(element);
  return element;
}

/// A constant of `type`: a scalar, or a splat when `type` is a vector.
inline Value constantInt(OpBuilder &b, Location loc, Type type,
                         int64_t value) {
  if (auto vector = dyn_cast<VectorType>(type))
    return arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(
            vector, b.getIntegerAttr(vector.getElementType(), value)));
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, value));
}

inline Value constantI32(OpBuilder &b, Location loc, int64_t value) {
  return constantInt(b, loc, b.getI32Type(), value);
}

inline Value constantI64(OpBuilder &b, Location loc, int64_t value) {
  return constantInt(b, loc, b.getI64Type(), value);
}

/// A float constant shaped like `like` (scalar or vector) of element f32.
inline Value constantF32Like(OpBuilder &b, Location loc, Value like,
                             double value) {
  Type type = withElementType(like.getType(), b.getF32Type());
  if (auto vector = dyn_cast<VectorType>(type))
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(vector, b.getF32FloatAttr(value)));
  return constantF32(b, loc, value);
}

/// An i32 constant shaped like `like`.
inline Value constantI32Like(OpBuilder &b, Location loc, Value like,
                             int64_t value) {
  return constantInt(b, loc, withElementType(like.getType(), b.getI32Type()),
                     value);
}

/// An i64 constant shaped like `like`.
inline Value constantI64Like(OpBuilder &b, Location loc, Value like,
                             int64_t value) {
  return constantInt(b, loc, withElementType(like.getType(), b.getI64Type()),
                     value);
}

/// A storage integer of `type` widened to the element type `to` (sign- or
/// zero-extended as the quantized type says).
inline Value extend(OpBuilder &b, Location loc, Value q,
                    quant::QuantizedType type, Type to) {
  Type wide = withElementType(q.getType(), to);
  if (q.getType() == wide)
    return q;
  if (type.isSigned())
    return arith::ExtSIOp::create(b, loc, wide, q);
  return arith::ExtUIOp::create(b, loc, wide, q);
}

/// `value` clamped to [lo, hi] (signed i32 compares).
inline Value clampI32(OpBuilder &b, Location loc, Value value, int64_t lo,
                      int64_t hi) {
  Value low =
      arith::MaxSIOp::create(b, loc, value, constantI32Like(b, loc, value, lo));
  return arith::MinSIOp::create(b, loc, low,
                                constantI32Like(b, loc, value, hi));
}

/// An i32 value in the storage range narrowed to the storage type.
inline Value narrow(OpBuilder &b, Location loc, Value value,
                    quant::QuantizedType type) {
  Type storage = withElementType(value.getType(), type.getStorageType());
  if (value.getType() == storage)
    return value;
  return arith::TruncIOp::create(b, loc, storage, value);
}

inline quant::QuantizedType quantTypeOf(Value value) {
  return cast<quant::QuantizedType>(
      cast<ShapedType>(value.getType()).getElementType());
}

inline quant::UniformQuantizedType perTensorTypeOf(Value value) {
  return cast<quant::UniformQuantizedType>(quantTypeOf(value));
}

/// The requantization mode of the function around `op`: its `qops.requant`
/// attribute (set by --convert-to-integer), `float` when absent.
inline bool usesFixedPoint(Operation *op) {
  auto func = op->getParentOfType<func::FuncOp>();
  auto mode = func ? func->getAttrOfType<StringAttr>("qops.requant")
                   : StringAttr();
  return mode && mode.getValue() == "fixed-point";
}

//===----------------------------------------------------------------------===//
// Requantization arithmetic
//===----------------------------------------------------------------------===//

/// gemmlowp's SaturatingRoundingDoublingHighMul(x, m) for a multiplier
/// m > 0 (never INT32_MIN, so the one saturating case cannot occur): the
/// high 32 bits of 2 * x * m, rounded half up (toward +infinity, as
/// gemmlowp's nudge and NEON's VQRDMULH do: -1.5 -> -1).
inline Value doublingHighMul(OpBuilder &b, Location loc, Value x, Value m) {
  Type i64 = withElementType(x.getType(), b.getI64Type());
  Value product = arith::MulIOp::create(
      b, loc, arith::ExtSIOp::create(b, loc, i64, x),
      arith::ExtSIOp::create(b, loc, i64, m));
  Value nonNegative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, product,
                            constantI64Like(b, loc, x, 0));
  Value nudge = arith::SelectOp::create(
      b, loc, nonNegative, constantI64Like(b, loc, x, 1 << 30),
      constantI64Like(b, loc, x, 1 - (1 << 30)));
  // Signed division truncates toward zero, as gemmlowp's does.
  Value high = arith::DivSIOp::create(
      b, loc, arith::AddIOp::create(b, loc, product, nudge),
      constantI64Like(b, loc, x, int64_t(1) << 31));
  return arith::TruncIOp::create(
      b, loc, withElementType(x.getType(), b.getI32Type()), high);
}

/// gemmlowp's RoundingDivideByPOT(x, exponent): x / 2^exponent rounded half
/// away from zero, for 0 <= exponent <= 31.
inline Value roundingDivideByPOT(OpBuilder &b, Location loc, Value x,
                                 Value exponent) {
  Value one = constantI32Like(b, loc, x, 1);
  Value zero = constantI32Like(b, loc, x, 0);
  Value mask = arith::SubIOp::create(
      b, loc, arith::ShLIOp::create(b, loc, one, exponent), one);
  Value remainder = arith::AndIOp::create(b, loc, x, mask);
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, x, zero);
  Value threshold = arith::AddIOp::create(
      b, loc, arith::ShRSIOp::create(b, loc, mask, one),
      arith::SelectOp::create(b, loc, negative, one, zero));
  Value roundUp = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt,
                                        remainder, threshold);
  return arith::AddIOp::create(
      b, loc, arith::ShRSIOp::create(b, loc, x, exponent),
      arith::SelectOp::create(b, loc, roundUp, one, zero));
}

/// x * multiplier * 2^(shift - 31) in TFLite's MultiplyByQuantizedMultiplier
/// form: a saturating left shift by max(shift, 0), the doubling high
/// multiply, and a rounding right shift by max(-shift, 0).
inline Value multiplyByFixedPoint(OpBuilder &b, Location loc, Value x,
                                  Value multiplier, Value shift) {
  Value zero = constantI32Like(b, loc, x, 0);
  Value left = arith::MaxSIOp::create(b, loc, shift, zero);
  Value right = arith::MaxSIOp::create(
      b, loc, arith::SubIOp::create(b, loc, zero, shift), zero);
  // Saturating x << left, computed in i64 (left <= 30).
  Type i64 = withElementType(x.getType(), b.getI64Type());
  Value wide = arith::ShLIOp::create(
      b, loc, arith::ExtSIOp::create(b, loc, i64, x),
      arith::ExtSIOp::create(b, loc, i64, left));
  Value saturated = arith::MinSIOp::create(
      b, loc,
      arith::MaxSIOp::create(
          b, loc, wide,
          constantI64Like(b, loc, x, std::numeric_limits<int32_t>::min())),
      constantI64Like(b, loc, x, std::numeric_limits<int32_t>::max()));
  Value shifted = arith::TruncIOp::create(
      b, loc, withElementType(x.getType(), b.getI32Type()), saturated);
  return roundingDivideByPOT(b, loc,
                             doublingHighMul(b, loc, shifted, multiplier),
                             right);
}

//===----------------------------------------------------------------------===//
// Requantizer
//===----------------------------------------------------------------------===//

/// Requantizes an i32 accumulator with one real multiplier per channel (or
/// one for the tensor) into an output storage type:
///
/// * float: `clamp(round_half_even(f32(acc) * f32(m)) + z, lo, hi)`;
/// * fixed-point: `clamp(MultiplyByQuantizedMultiplier(acc, m) + z, lo, hi)`.
///
/// `[lo, hi]` is the output storage range narrowed by a fused clamp.
/// Per-channel multipliers are read from constant tensors along `axis` of
/// the generic's loops.
struct Requantizer {
  bool fixedPoint = false;
  SmallVector<double> multipliers;
  SmallVector<FixedPointMultiplier> fixed;
  int64_t axis = -1;
  quant::QuantizedType output;
  int64_t zeroPoint = 0, lo = 0, hi = 0;

  /// Derives the multipliers; reports an unrepresentable fixed-point
  /// multiplier on `op`.
  static FailureOr<Requantizer> get(Operation *op, ArrayRef<double> reals,
                                    int64_t axis,
                                    quant::UniformQuantizedType output,
                                    const FusedClamp &clamp = {}) {
    Requantizer r;
    r.fixedPoint = usesFixedPoint(op);
    r.multipliers.assign(reals.begin(), reals.end());
    r.axis = reals.size() > 1 ? axis : -1;
    r.output = output;
    r.zeroPoint = output.getZeroPoint();
    r.lo = output.getStorageTypeMin();
    r.hi = output.getStorageTypeMax();
    // A fused clamp of the real output is a clamp of the integers between
    // the bounds' quantized images (quantization is monotonic).
    if (!std::isinf(clamp.min))
      r.lo = std::max(r.lo, quantizeLikeLowering(clamp.min, output, 0));
    if (!std::isinf(clamp.max))
      r.hi = std::min(r.hi, quantizeLikeLowering(clamp.max, output, 0));
    if (r.fixedPoint) {
      for (double real : reals) {
        std::string error;
        FailureOr<FixedPointMultiplier> m =
            getFixedPointMultiplier(real, &error);
        if (failed(m)) {
          op->emitOpError() << "cannot be requantized in fixed point: "
                            << error;
          return failure();
        }
        r.fixed.push_back(*m);
      }
    }
    return r;
  }

  bool isPerChannel() const { return axis >= 0; }

  /// The fixed-point multipliers and shifts, one per channel.
  std::pair<SmallVector<int32_t>, SmallVector<int32_t>>
  fixedPointTables() const {
    SmallVector<int32_t> mults, shifts;
    for (const FixedPointMultiplier &m : fixed) {
      mults.push_back(m.multiplier);
      shifts.push_back(m.shift);
    }
    return {mults, shifts};
  }

  /// The per-channel parameter tables (the f32 multipliers, or the i32
  /// fixed-point multipliers and shifts), each padded to `channels` entries
  /// by repeating the last channel's: the packed kernels read them as
  /// vectors, one register of channels at a time. Per-tensor parameters
  /// give no tables (they are splat constants).
  SmallVector<DenseElementsAttr> channelTables(Builder &b,
                                               int64_t channels) const {
    if (!isPerChannel() || isIdentity())
      return {};
    auto pad = [&](auto values) {
      values.resize(channels, values.back());
      return values;
    };
    if (fixedPoint) {
      auto [mults, shifts] = fixedPointTables();
      auto type = RankedTensorType::get({channels}, b.getI32Type());
      return {DenseElementsAttr::get(type, ArrayRef<int32_t>(pad(mults))),
              DenseElementsAttr::get(type, ArrayRef<int32_t>(pad(shifts)))};
    }
    SmallVector<float> floats(multipliers.begin(), multipliers.end());
    return {DenseElementsAttr::get(
        RankedTensorType::get({channels}, b.getF32Type()),
        ArrayRef<float>(pad(floats)))};
  }

  /// Adds the per-channel multiplier tensors to a generic's inputs.
  void addInputs(OpBuilder &b, Location loc, int64_t rank,
                 SmallVectorImpl<Value> &inputs,
                 SmallVectorImpl<AffineMap> &maps) const {
    if (!isPerChannel())
      return;
    int64_t channels = multipliers.size();
    AffineMap map =
        AffineMap::get(rank, 0, getAffineDimExpr(axis, b.getContext()));
    if (fixedPoint) {
      auto [mults, shifts] = fixedPointTables();
      auto type = RankedTensorType::get({channels}, b.getI32Type());
      for (ArrayRef<int32_t> values : {ArrayRef(mults), ArrayRef(shifts)}) {
        inputs.push_back(arith::ConstantOp::create(
            b, loc, DenseElementsAttr::get(type, values)));
        maps.push_back(map);
      }
      return;
    }
    SmallVector<float> floats(multipliers.begin(), multipliers.end());
    inputs.push_back(arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(
            RankedTensorType::get({channels}, b.getF32Type()),
            ArrayRef<float>(floats))));
    maps.push_back(map);
  }

  /// Whether requantization is the identity: an i32 result with scale
  /// ratio 1, zero point 0 and the full range (ConvInteger, MatMulInteger).
  bool isIdentity() const {
    return output.getStorageTypeIntegralWidth() == 32 && zeroPoint == 0 &&
           lo == std::numeric_limits<int32_t>::min() &&
           hi == std::numeric_limits<int32_t>::max() &&
           llvm::all_of(multipliers, [](double m) { return m == 1.0; });
  }

  /// The output storage integer of `acc` (i32); consumes the block
  /// arguments added by addInputs.
  Value apply(OpBuilder &b, Location loc, Value acc, ValueRange &args) const {
    if (isIdentity()) {
      args = args.drop_front(isPerChannel() ? (fixedPoint ? 2 : 1) : 0);
      return acc;
    }
    if (fixedPoint) {
      Value mult, shift;
      if (isPerChannel()) {
        mult = args[0];
        shift = args[1];
        args = args.drop_front(2);
      } else {
        mult = constantI32Like(b, loc, acc, fixed[0].multiplier);
        shift = constantI32Like(b, loc, acc, fixed[0].shift);
      }
      return finishFixed(b, loc, multiplyByFixedPoint(b, loc, acc, mult, shift));
    }
    Value m;
    if (isPerChannel()) {
      m = args[0];
      args = args.drop_front(1);
    } else {
      m = constantF32Like(b, loc, acc, multipliers[0]);
    }
    return applyFloat(b, loc, acc, m);
  }

  /// The float mode with an explicit multiplier value.
  Value applyFloat(OpBuilder &b, Location loc, Value acc, Value m) const {
    Value scaled = arith::MulFOp::create(
        b, loc, arith::SIToFPOp::create(
                   b, loc, withElementType(acc.getType(), b.getF32Type()), acc), m);
    return finishFloat(b, loc, scaled);
  }

  /// round_half_even(v) + z, clamped to [lo, hi], as the storage integer.
  Value finishFloat(OpBuilder &b, Location loc, Value v) const {
    Value rounded = math::RoundEvenOp::create(b, loc, v);
    Value shifted = arith::AddFOp::create(b, loc, rounded,
                                          constantF32Like(b, loc, v, zeroPoint));
    float loF = static_cast<float>(lo), hiF = getLargestF32AtMost(hi);
    Value clamped = arith::MinNumFOp::create(
        b, loc,
        arith::MaxNumFOp::create(b, loc, shifted, constantF32Like(b, loc, v, loF)),
        constantF32Like(b, loc, v, hiF));
    Value asI32 = arith::FPToSIOp::create(
        b, loc, withElementType(v.getType(), b.getI32Type()), clamped);
    return narrow(b, loc, asI32, output);
  }

  /// v + z clamped to [lo, hi] (clamping first, so the addition cannot
  /// overflow), as the storage integer.
  Value finishFixed(OpBuilder &b, Location loc, Value v) const {
    int64_t int32Min = std::numeric_limits<int32_t>::min();
    int64_t int32Max = std::numeric_limits<int32_t>::max();
    Value clamped =
        clampI32(b, loc, v, std::clamp(lo - zeroPoint, int32Min, int32Max),
                 std::clamp(hi - zeroPoint, int32Min, int32Max));
    Value shifted = zeroPoint == 0
                        ? clamped
                        : arith::AddIOp::create(b, loc, clamped,
                                                constantI32Like(b, loc, v, zeroPoint))
                              .getResult();
    return narrow(b, loc, shifted, output);
  }
};

//===----------------------------------------------------------------------===//
// Kernel epilogue
//===----------------------------------------------------------------------===//

/// The epilogue of a packed kernel's accumulator register `acc` (f32 or
/// i32 lanes): the fused clamp (float kernels, `requantizer` null) or the
/// requantization with its clamp (`params` are the per-channel parameter
/// vectors of the requantizer's channel tables), then the store at
/// `indices` of `out`. When only the first `partial` > 0 lanes are real
/// channels the others are dropped before the store: a narrower unmasked
/// store (LLVM 22 miscompiles a masked store of a truncated vector with a
/// constant one-lane mask into a 4-byte store).
inline Value storeKernelResult(OpBuilder &b, Location loc, Value acc,
                               const Requantizer *requantizer,
                               const FusedClamp &clamp, ValueRange params,
                               Value out, ValueRange indices,
                               int64_t partial) {
  Value result = acc;
  if (!requantizer) {
    if (!std::isinf(clamp.min))
      result = arith::MaximumFOp::create(
          b, loc, result, constantF32Like(b, loc, result, clamp.min));
    if (!std::isinf(clamp.max))
      result = arith::MinimumFOp::create(
          b, loc, result, constantF32Like(b, loc, result, clamp.max));
  } else {
    ValueRange args = params;
    result = requantizer->apply(b, loc, result, args);
  }
  if (partial > 0)
    result = vector::ExtractStridedSliceOp::create(
        b, loc, result, ArrayRef<int64_t>{0}, ArrayRef<int64_t>{partial},
        ArrayRef<int64_t>{1});
  return vector::TransferWriteOp::create(b, loc, result, out, indices,
                                         ArrayRef<bool>{true})
      .getResult();
}

//===----------------------------------------------------------------------===//
// Packed kernels (PackedConvolution.cpp, PackedDepthwise.cpp)
//===----------------------------------------------------------------------===//

/// A convolution with compile-time weights, ready for a packed kernel:
/// `input` is the storage (or f32) tensor [N, H, W, C], padded by `pad`
/// ([top, bottom, left, right]) with the real value 0 (`padValue`, the
/// input zero point, for integer kernels). Integer kernels: `weights` holds
/// the s8 weights (zero point 0) in OHWI order ([C, KH, KW, 1] for the
/// depthwise kernel), `init` the per-channel i32 accumulator initializer
/// (bias minus the folded input zero-point correction) and `requantizer`
/// the requantization. Float kernels (`requantizer` null): `floatWeights`,
/// `floatInit` (the bias) and the fused activation `clamp`. A
/// fully-connected layer is the case N = H = 1, KH = KW = 1.
struct PackedConvolution {
  Value input;
  /// i8 activations (made unsigned by the kernel); u8 otherwise.
  bool signedInput = false;
  ArrayRef<int64_t> weights;
  std::array<int64_t, 2> kernel = {1, 1}, stride = {1, 1}, dilation = {1, 1};
  std::array<int64_t, 4> pad = {0, 0, 0, 0};
  int64_t padValue = 0;
  /// Input channels before padding (set by the kernel).
  int64_t channels = 0;
  /// Grouped convolutions (see packedKernelTakesGroups): each output
  /// channel reads only the C / groups input channels of its group.
  int64_t groups = 1;
  ArrayRef<int64_t> init;
  /// The storage (or f32) result [N, OH, OW, O].
  RankedTensorType resultType;
  const Requantizer *requantizer = nullptr;
  ArrayRef<float> floatWeights, floatInit;
  FusedClamp clamp;

  bool isFloat() const { return requantizer == nullptr; }

  /// Takes kernel size, strides, dilations and padding from `op`.
  void setWindow(Conv2DOp op) {
    RankedTensorType weightType = op.getWeight().getType();
    kernel = {weightType.getDimSize(1), weightType.getDimSize(2)};
    stride = {op.getStride()[0], op.getStride()[1]};
    dilation = {op.getDilation()[0], op.getDilation()[1]};
    pad = {op.getPad()[0], op.getPad()[1], op.getPad()[2], op.getPad()[3]};
  }

  /// The input padded by `pad` spatially and by `extraChannels` zero-weight
  /// channels, in one copy.
  Value paddedInput(OpBuilder &b, Location loc, int64_t extraChannels) const {
    Type element = cast<RankedTensorType>(input.getType()).getElementType();
    return padTensor(b, loc, input, {0, pad[0], pad[2], 0},
                     {0, pad[1], pad[3], extraChannels},
                     isFloat() ? constantF32(b, loc, 0.0)
                               : constantInt(b, loc, element, padValue));
  }
};

/// Whether the packed kernel computes a convolution of `groups` groups
/// (C input and O output channels) with `lanes` output channels per
/// register: every register block of output channels must read one
/// window of input channels of the same width, so O / groups is a
/// multiple of the lanes (no wasted lanes) or divides them (a block spans
/// lanes * groups / O whole groups, its weights zero across groups: at
/// most 4x the multiplies of the grouped product, still several times
/// faster than the generic contraction), and for int8 the window is a
/// multiple of the 4 channels of one dot product.
bool packedKernelTakesGroups(int64_t groups, int64_t channels,
                             int64_t outChannels, int64_t lanes,
                             bool isFloat);

/// The kernel's loop nest on tensors: returns the requantized storage (or
/// clamped f32) result of type `conv.resultType`.
Value buildPackedConvolution(OpBuilder &b, Location loc,
                             const PackedConvolution &conv,
                             const KernelTarget &target);

/// A fully_connected or 2-D matmul as the packed kernel of a 1x1
/// convolution over one row of M pixels: `input` is [M, K], `resultType`
/// [M, O], `conv` has the [O, K] weights (see matrixProductRows) and the
/// epilogue's parameters.
Value buildPackedMatrixProduct(OpBuilder &b, Location loc,
                               PackedConvolution conv, Value input,
                               RankedTensorType resultType,
                               const KernelTarget &target);

/// The weights of a fully_connected (`weightType` [O, K]) or of a matmul
/// (`[K, O]`, transposed here) as [O, K] rows of `Out`.
template <typename Out, typename In>
SmallVector<Out> matrixProductRows(ArrayRef<In> values,
                                   RankedTensorType weightType,
                                   bool isFullyConnected) {
  int64_t o = weightType.getDimSize(isFullyConnected ? 0 : 1);
  int64_t k = weightType.getDimSize(isFullyConnected ? 1 : 0);
  SmallVector<Out> rows(o * k);
  for (int64_t r = 0; r < o; ++r)
    for (int64_t c = 0; c < k; ++c)
      rows[r * k + c] = static_cast<Out>(
          values[isFullyConnected ? r * k + c : c * o + r]);
  return rows;
}

/// The channel-vectorized depthwise kernel (weights [C, KH, KW, 1]), `lanes`
/// channels per vector register.
Value buildPackedDepthwise(OpBuilder &b, Location loc,
                           const PackedConvolution &conv, int64_t lanes);

} // namespace mlir::qops::lowering

#endif // QUANTOPS_LIB_CONVERSION_QOPSTOLINALG_INTEGERBUILDERS_H
