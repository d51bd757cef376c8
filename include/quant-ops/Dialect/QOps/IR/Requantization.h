//===- Requantization.h - compile-time integer quantization math -*- C++ -*-===//
//
// The compile-time half of integer quantization: fixed-point multipliers
// (TFLite / gemmlowp form) for requantization, and constant quantization
// with exactly the f32 arithmetic of the qops.quantize lowering, so that a
// value quantized at compile time equals the one quantize computes at run
// time.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_DIALECT_QOPS_IR_REQUANTIZATION_H
#define QUANTOPS_DIALECT_QOPS_IR_REQUANTIZATION_H

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Value.h"
#include "mlir/Support/LLVM.h"

#include <cstdint>
#include <optional>
#include <string>

namespace mlir::qops {

/// A positive real multiplier `m = multiplier * 2^(shift - 31)` with
/// `multiplier` in `[2^30, 2^31)`: `shift > 0` is a left shift, `shift < 0`
/// a rounding right shift (TFLite's QuantizeMultiplier convention).
struct FixedPointMultiplier {
  int32_t multiplier = 0;
  int32_t shift = 0;
};

/// The smallest and largest shifts the lowering supports: a left shift up
/// to 30 and a rounding right shift up to 31 (beyond that every int32
/// accumulator maps to 0 or saturates).
constexpr int32_t kMinFixedPointShift = -31;
constexpr int32_t kMaxFixedPointShift = 30;

/// The fixed-point form of `real` (rounded to the nearest multiplier). Fails
/// with a reason in `error` when `real` is not finite and positive or its
/// shift is outside [kMinFixedPointShift, kMaxFixedPointShift].
FailureOr<FixedPointMultiplier> getFixedPointMultiplier(double real,
                                                        std::string *error);

/// The largest f32 that is at most `value` (f32(2^31 - 1) would round up to
/// 2^31): the f32 upper saturation bound of an integer range.
float getLargestF32AtMost(int64_t value);

/// The largest f32 that is at most `type`'s storage maximum (the f32
/// saturation bound of quantization: f32(2^31 - 1) would round up to 2^31).
float getStorageMaxAsF32(quant::QuantizedType type);

/// Quantizes `value` to `type`'s storage integer at `channel` of its
/// quantized dimension (0 for per-tensor types) with the f32 arithmetic of
/// the qops.quantize lowering: clamp(round_half_even(f32(x) / f32(s)) +
/// f32(z), qmin, qmax).
int64_t quantizeLikeLowering(double value, quant::QuantizedType type,
                             int64_t channel);

/// Dequantizes the storage integer `q` of the per-tensor `type` with the
/// f32 arithmetic of the qops.dequantize lowering: (f32(q) - f32(z)) *
/// f32(s).
float dequantizeLikeLowering(int64_t q, quant::UniformQuantizedType type);

/// The storage integers of `value` (row-major) when it is a
/// `qops.quantize` of a constant, computed as the lowering would; none
/// otherwise.
std::optional<SmallVector<int64_t>> getConstantQuantizedValues(Value value);

} // namespace mlir::qops

#endif // QUANTOPS_DIALECT_QOPS_IR_REQUANTIZATION_H
