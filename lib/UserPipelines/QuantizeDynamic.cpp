//===- QuantizeDynamic.cpp - the --quantize-dynamic user pipeline ---------===//
//
// Fused activations, then dynamic quantization of the matrix products.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/UserPipelines/QuantizeDynamic.h"
#include "quant-ops/Dialect/QOps/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;

void mlir::qops::buildQuantizeDynamicPipeline(
    OpPassManager &pm, const QuantizeDynamicOptions &options) {
  // A fused relu becomes the dynamic product's clamp.
  pm.addNestedPass<func::FuncOp>(createQOpsFuseActivationsPass());
  QOpsDynamicQuantizePassOptions dynamic;
  dynamic.granularity = options.granularity;
  dynamic.perChannel = options.perChannel;
  dynamic.activationMatmuls = options.activationMatmuls;
  dynamic.exclude = llvm::to_vector(options.exclude);
  pm.addNestedPass<func::FuncOp>(createQOpsDynamicQuantizePass(dynamic));
}

void mlir::qops::registerQuantizeDynamicPipeline() {
  PassPipelineRegistration<QuantizeDynamicOptions>(
      "quantize-dynamic",
      "Dynamic quantization (no calibration data): fuse activations, then "
      "quantize the constant weights of fully_connected and 2-D matmul to "
      "int8 per output channel and their activations to u8 at run time "
      "(ONNX DynamicQuantizeLinear); options pass through to "
      "--dynamic-quantize",
      [](OpPassManager &pm, const QuantizeDynamicOptions &options) {
        buildQuantizeDynamicPipeline(pm, options);
      });
}
