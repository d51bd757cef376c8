//===- Ranges.h - real ranges recorded on tensors ----------------*- C++ -*-===//
//
// The real range of a tensor, as calibration (or an importer) records it and
// QDQ insertion reads it.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_DIALECT_QOPS_IR_RANGES_H
#define QUANTOPS_DIALECT_QOPS_IR_RANGES_H

#include "mlir/IR/Value.h"

#include <optional>
#include <string>
#include <utility>

namespace mlir::qops {

/// The attribute holding a tensor's real range: `array<f64: lo, hi>`, on the
/// producing op (result 0) or as an argument attribute of a function input.
inline constexpr llvm::StringLiteral kRangeAttrName = "qops.range";

/// The range recorded for `value`, if any.
std::optional<std::pair<double, double>> getRange(Value value);

/// Records `range` for `value` (a function argument or an op's result 0).
void setRange(Value value, std::pair<double, double> range);

/// The key of `value` in range files and diagnostics: its op's location
/// name (a NameLoc, else `file:line:col`), or `<function>:arg<i>` for a
/// function input.
std::string getRangeKey(Value value);

} // namespace mlir::qops

#endif // QUANTOPS_DIALECT_QOPS_IR_RANGES_H
