//===- InitAll.cpp - register everything quant-opt provides ---------------===//
//
// Dialect and pass registration for tools and embedding compilers.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/InitAll.h"
#include "quant-ops/Calibration/Calibration.h"
#include "quant-ops/Conversion/Passes.h"
#include "quant-ops/Dialect/QOps/IR/QOpsDialect.h"
#include "quant-ops/Dialect/QOps/Transforms/Passes.h"
#include "quant-ops/Pipelines/Pipelines.h"
#include "quant-ops/UserPipelines/QuantizeDynamic.h"
#include "quant-ops/UserPipelines/QuantizeInt8.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"

void mlir::qops::registerAllDialects(DialectRegistry &registry) {
  registry.insert<qops::QOpsDialect, func::FuncDialect, arith::ArithDialect,
                  tensor::TensorDialect, quant::QuantDialect>();
}

void mlir::qops::registerAllPasses() {
  registerQOpsTransformsPasses();
  registerQOpsConversionPasses();
  registerQOpsCalibrationPasses();
  registerQOpsPipelines();
  registerQuantizeInt8Pipeline();
  registerQuantizeDynamicPipeline();
}
