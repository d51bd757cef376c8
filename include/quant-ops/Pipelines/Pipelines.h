//===- Pipelines.h - named pass pipelines of quant-opt -----------*- C++ -*-===//
//
// The lowering pipeline shared by quant-opt (--qops-to-llvm), quant-run and
// quant-translate users.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_PIPELINES_PIPELINES_H
#define QUANTOPS_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir::qops {

/// Options of the qops-to-LLVM lowering.
struct QOpsToLLVMOptions : public PassPipelineOptions<QOpsToLLVMOptions> {
  PassOptions::Option<std::string> targetCpu{
      *this, "target-cpu",
      llvm::cl::desc("CPU whose vector registers the tiling targets: `host` "
                     "(default) or an LLVM CPU name such as skylake-avx512 "
                     "or haswell"),
      llvm::cl::init("host")};
  PassOptions::Option<bool> vectorize{
      *this, "vectorize",
      llvm::cl::desc("Tile and vectorize convolutions and contractions "
                     "(qops-tile-and-vectorize)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> fuseElementwise{
      *this, "fuse-elementwise",
      llvm::cl::desc("Fuse producer/consumer element-wise linalg ops on "
                     "tensors before bufferization"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> parallel{
      *this, "parallel",
      llvm::cl::desc("Let entry functions spread the independent iterations "
                     "of their kernels over the caller's threads: a "
                     "trailing `quant_parallel *` argument (null: one "
                     "thread), see qops-outline-parallel-loops and "
                     "qops-parallel-dispatch"),
      llvm::cl::init(true)};
  PassOptions::Option<int64_t> parallelMinWork{
      *this, "parallel-min-work",
      llvm::cl::desc("Smallest estimated work (operations executed) of a "
                     "loop worth splitting over threads "
                     "(qops-outline-parallel-loops' min-work)"),
      llvm::cl::init(16384)};
};

/// qops (or linalg on tensors) -> bufferized loops -> LLVM dialect. Public
/// functions keep their names, take bare pointers to their inputs and then
/// to their outputs (results become out-parameters) and carry their
/// tensor-level signature in `qops.signature`.
void buildQOpsToLLVMPipeline(OpPassManager &pm,
                             const QOpsToLLVMOptions &options);

/// Registers `--qops-to-llvm`.
void registerQOpsPipelines();

} // namespace mlir::qops

#endif // QUANTOPS_PIPELINES_PIPELINES_H
