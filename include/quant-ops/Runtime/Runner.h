//===- Runner.h - JIT execution of qops modules at any stage -----*- C++ -*-===//
//
// The engine behind quant-run (and, later, calibration): lowers a module
// with the qops-to-LLVM pipeline, JIT-compiles it for the host and runs one
// of its functions on .npy arrays.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_RUNTIME_RUNNER_H
#define QUANTOPS_RUNTIME_RUNNER_H

#include "quant-ops/Runtime/Npy.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace mlir::qops {

struct RunOptions {
  /// The function to run.
  std::string entry = "main";
  /// Times every call `repeat` more times after the first run and reports
  /// the median and minimum time per call (0: no timing).
  unsigned repeat = 0;
};

/// Result of a run: the outputs and, with `repeat`, call times in ms.
struct RunResult {
  std::vector<NpyArray> outputs;
  std::vector<double> callMilliseconds;
};

/// Runs `options.entry` of `module` on `inputs`. The module may be at any
/// stage the qops-to-LLVM pipeline accepts (qops, linalg on tensors, LLVM
/// dialect from that pipeline); it is lowered in place.
///
/// Batch convention: an input whose function type has leading dimension 1
/// accepts an array of shape [N, rest...]; the function then runs N times
/// and every output (which must also have leading dimension 1) is stacked
/// along axis 0. Inputs whose array has exactly the function's shape are
/// passed to every run.
llvm::Expected<RunResult> runFunction(ModuleOp module,
                                      const RunOptions &options,
                                      llvm::ArrayRef<NpyArray> inputs);

} // namespace mlir::qops

#endif // QUANTOPS_RUNTIME_RUNNER_H
