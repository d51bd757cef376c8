//===- QuantizeDynamic.h - the --quantize-dynamic user pipeline --*- C++ -*-===//
//
// Dynamic quantization: int8 weights quantized offline, activation scales
// and zero points computed at run time. Needs no calibration data.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_USERPIPELINES_QUANTIZEDYNAMIC_H
#define QUANTOPS_USERPIPELINES_QUANTIZEDYNAMIC_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir::qops {

struct QuantizeDynamicOptions
    : public PassPipelineOptions<QuantizeDynamicOptions> {
  PassOptions::Option<std::string> granularity{
      *this, "granularity",
      llvm::cl::desc("Activation ranges: tensor (one per tensor, ONNX "
                     "DynamicQuantizeLinear; the default) or row (one per "
                     "row)"),
      llvm::cl::init("tensor")};
  PassOptions::Option<bool> perChannel{
      *this, "per-channel",
      llvm::cl::desc("One weight scale per output channel"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> activationMatmuls{
      *this, "activation-matmuls",
      llvm::cl::desc("Also quantize matmuls of two run-time tensors (both "
                     "operands dynamically, the right one per tensor)"),
      llvm::cl::init(false)};
  PassOptions::ListOption<std::string> exclude{
      *this, "exclude",
      llvm::cl::desc("Ops kept in float: location names or op names")};
};

/// --fuse-activations -> --dynamic-quantize.
void buildQuantizeDynamicPipeline(OpPassManager &pm,
                                  const QuantizeDynamicOptions &options);

/// Registers `--quantize-dynamic`.
void registerQuantizeDynamicPipeline();

} // namespace mlir::qops

#endif // QUANTOPS_USERPIPELINES_QUANTIZEDYNAMIC_H
