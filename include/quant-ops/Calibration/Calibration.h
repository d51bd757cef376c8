//===- Calibration.h - ranges of the tensors to quantize ---------*- C++ -*-===//
//
// Calibration runs the float model on sample data and records the range of
// every tensor that will be quantized.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_CALIBRATION_CALIBRATION_H
#define QUANTOPS_CALIBRATION_CALIBRATION_H

#include "quant-ops/Dialect/QOps/IR/Ranges.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mlir::qops {

#define GEN_PASS_DECL
#include "quant-ops/Calibration/Passes.h.inc"

enum class CalibrationMethod { MinMax, Percentile, Entropy, MSE };

struct CalibrationOptions {
  std::vector<std::string> data;
  CalibrationMethod method = CalibrationMethod::MinMax;
  double percentile = 99.99;
  std::string rangesIn, rangesOut;
  std::string entry = "main";
  /// Print progress on stderr for this many samples or more.
  int64_t progressThreshold = 20;
};

/// Reads ranges-in, runs the entry function on the data, annotates every
/// tensor to quantize that has no range yet, and writes ranges-out.
/// Diagnostics are emitted on the module.
LogicalResult calibrate(ModuleOp module, const CalibrationOptions &options);

/// Parses `text` as the contents of a range file (`ranges-in=`; `path`
/// names it in diagnostics): a JSON object whose every value is [lo, hi]
/// with finite lo <= hi, nested at most 64 deep, without duplicate keys.
/// Returns the number of entries; diagnostics are emitted on `module`.
FailureOr<size_t> parseRangeFile(ModuleOp module, llvm::StringRef text,
                                 llvm::StringRef path);

#define GEN_PASS_REGISTRATION
#include "quant-ops/Calibration/Passes.h.inc"

} // namespace mlir::qops

#endif // QUANTOPS_CALIBRATION_CALIBRATION_H
