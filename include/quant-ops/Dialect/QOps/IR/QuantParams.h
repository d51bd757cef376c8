//===- QuantParams.h - scale and zero point from a real range ----*- C++ -*-===//
//
// The contract's derivation of quantization parameters from a real range
// (../shared/DESIGN.md, "Numerics"), shared by calibration, QDQ insertion
// and importers.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_DIALECT_QOPS_IR_QUANTPARAMS_H
#define QUANTOPS_DIALECT_QOPS_IR_QUANTPARAMS_H

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Support/LLVM.h"

#include <string>

namespace mlir::qops {

/// How values are to be stored.
struct QuantScheme {
  /// Storage bits (4, 8, 16 or 32).
  unsigned bits = 8;
  /// Signed (iN) or unsigned (uN) storage.
  bool isSigned = true;
  /// Symmetric: zero point 0, scale from max(|rmin|, |rmax|) (signed only).
  bool symmetric = false;
  /// Narrow range: qmin = -(2^(bits-1) - 1), e.g. [-127, 127] for weights.
  bool narrowRange = false;

  int64_t getQMin() const;
  int64_t getQMax() const;
};

/// A scale and zero point.
struct QuantParams {
  double scale = 1.0;
  int64_t zeroPoint = 0;
};

/// Derives the parameters for the real range [rmin, rmax]:
///
/// * the range is first widened to include 0;
/// * asymmetric: s = (rmax - rmin) / (qmax - qmin),
///   z = round_half_to_even(qmin - rmin / s);
/// * symmetric: z = 0, s = max(|rmin|, |rmax|) / qmax;
/// * a zero-width range ([0, 0] after widening) gets s = 1 and the zero
///   point that represents 0 exactly; a scale below the smallest normal f32
///   is raised to it, so quantization never divides by zero;
/// * the scale is rounded to f32, the precision the generated code uses.
///
/// Fails (with `error` set) on NaN or infinite bounds, rmin > rmax, and
/// symmetric schemes with unsigned storage.
FailureOr<QuantParams> computeQuantParams(double rmin, double rmax,
                                          const QuantScheme &scheme,
                                          std::string *error = nullptr);

/// The upstream per-tensor type for `params` (expressed type f32).
quant::UniformQuantizedType getUniformType(MLIRContext *context,
                                           const QuantScheme &scheme,
                                           const QuantParams &params);

/// The upstream per-axis type for one QuantParams per slice of `axis`.
quant::UniformQuantizedPerAxisType
getUniformPerAxisType(MLIRContext *context, const QuantScheme &scheme,
                      ArrayRef<QuantParams> params, int32_t axis);

} // namespace mlir::qops

#endif // QUANTOPS_DIALECT_QOPS_IR_QUANTPARAMS_H
