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

#include <memory>
#include <string>
#include <vector>

namespace mlir::qops {

struct RunOptions {
  /// The function to run.
  std::string entry = "main";
  /// Times every call `repeat` more times after the first run and reports
  /// the median and minimum time per call (0: no timing).
  unsigned repeat = 0;
  /// Threads that run the entry's parallel loops (1: the calling thread
  /// only); see JitFunction::run.
  int threads = 1;
};

/// The largest thread count JitFunction::run accepts.
inline constexpr int kMaxRunThreads = 256;

/// Result of a run: the outputs and, with `repeat`, call times in ms.
struct RunResult {
  std::vector<NpyArray> outputs;
  std::vector<double> callMilliseconds;
};

/// A function of a module lowered and JIT-compiled once, callable many
/// times (quant-run, calibration).
class JitFunction {
public:
  /// Checks the signature of `entry` (static tensors of exchangeable element
  /// types), lowers `module` in place with the qops-to-LLVM pipeline and
  /// JIT-compiles it for the host CPU.
  static llvm::Expected<std::unique_ptr<JitFunction>> create(ModuleOp module,
                                                             llvm::StringRef entry);
  ~JitFunction();

  /// The tensor signature of the function.
  FunctionType getSignature() const;

  /// Calls the function on `inputs` under the batch convention (see
  /// runFunction); with `repeat`, times `repeat` more calls per sample.
  /// With `threads` > 1 the function's parallel loops (the trailing
  /// quant_parallel * of qops-parallel-dispatch) run on a pool of that many
  /// threads (ParallelPool.h) made for this run; the results are
  /// bit-identical. `threads` must be in 1..kMaxRunThreads.
  llvm::Expected<RunResult> run(llvm::ArrayRef<NpyArray> inputs,
                                unsigned repeat = 0, int threads = 1);

private:
  struct Impl;
  explicit JitFunction(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl;
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
