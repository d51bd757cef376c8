//===- QOpsToLinalg.h - lowering qops to linalg on tensors -------*- C++ -*-===//
//
// Patterns that lower float qops ops to linalg / tensor / arith / math.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_CONVERSION_QOPSTOLINALG_QOPSTOLINALG_H
#define QUANTOPS_CONVERSION_QOPSTOLINALG_QOPSTOLINALG_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::qops {

#define GEN_PASS_DECL_CONVERTQOPSTOLINALGPASS
#include "quant-ops/Conversion/Passes.h.inc"

/// The dot-product instruction the packed int8 kernels use.
enum class Int8DotKind {
  /// `vpdpbusd` on 512-bit registers (AVX512-VNNI): 16 i32 lanes.
  Vnni512,
  /// `vpdpbusd` on 256-bit registers (AVX-VNNI or AVX512-VNNI + VL).
  Vnni256,
  /// Portable vector extensions, multiplies and adds (any target).
  Generic,
};

/// What the target offers the packed kernels (int8 and float).
struct KernelTarget {
  Int8DotKind dot = Int8DotKind::Generic;
  /// i32 lanes per vector register of the kernels.
  int64_t lanes = 4;
  /// `qops.table` looks up 64 bytes at a time (AVX512-VBMI's vpermi2b).
  bool byteLookup = false;
};


/// Adds the patterns that lower every float-domain qops op to linalg,
/// tensor, arith and math ops on tensors. Quantized-domain ops do not match.
/// With `kernels`, conv2d with groups 1, fully_connected and 2-D matmul
/// with constant weights lower to the float packed kernels of that target
/// (PackedConvolution.cpp), and depthwise conv2d with constant weights to
/// the channel-vectorized kernel (PackedDepthwise.cpp).
void populateQOpsToLinalgConversionPatterns(
    RewritePatternSet &patterns,
    std::optional<KernelTarget> kernels = std::nullopt);

/// Maps tensors of quantized types to tensors of their (signless) storage
/// integer type; every other type is kept.
TypeConverter getQuantStorageTypeConverter();

/// Adds the patterns that lower qops.quantize, qops.dequantize and
/// qops.requantize (to a per-tensor type) to element-wise linalg ops on the
/// storage integers, with the contract's rounding (half to even, zero point
/// added after rounding, saturation).
void populateQOpsQuantizationToLinalgConversionPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns,
    std::optional<KernelTarget> kernels = std::nullopt);

/// Whether `op` has an integer lowering for its quantized domain (see
/// populateQOpsIntegerToLinalgConversionPatterns).
bool hasIntegerLowering(Operation *op);

/// Reports (on `op`) what the integer lowering of a quantized op cannot
/// represent: a fixed-point multiplier outside the supported shifts, a
/// folded bias beyond i32, per-channel weight zero points that differ.
LogicalResult checkIntegerLowering(Operation *op);

/// Patterns lowering the quantized domain of the qops compute ops to integer
/// linalg on the storage integers (u8 / i8 x i8 -> i32 contractions with
/// folded zero-point corrections, requantization in the mode of the
/// function's `qops.requant` attribute), and qops.requantize.
///
/// With `kernels`, conv2d (groups 1 or depthwise), fully_connected and 2-D
/// matmul with constant 8-bit weights lower instead to packed
/// register-tiled kernels for that target (weights packed at compile time,
/// requantization in the tile's epilogue); see PackedConvolution.cpp and
/// PackedDepthwise.cpp.
void populateQOpsIntegerToLinalgConversionPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns,
    std::optional<KernelTarget> kernels = std::nullopt);

} // namespace mlir::qops

#endif // QUANTOPS_CONVERSION_QOPSTOLINALG_QOPSTOLINALG_H
