//===- QuantizeInt8.cpp - the --quantize-int8 user pipeline ---------------===//
//
// Calibration (optional) and QDQ insertion with the options passed through.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/UserPipelines/QuantizeInt8.h"
#include "quant-ops/Calibration/Calibration.h"
#include "quant-ops/Dialect/QOps/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;

void mlir::qops::buildQuantizeInt8Pipeline(OpPassManager &pm,
                                           const QuantizeInt8Options &options) {
  // Calibration executes the model: reject recursion before anything runs.
  pm.addPass(createQOpsCheckCallGraphPass());
  // Fused activations first: calibration then sees the clamped outputs, and
  // no QDQ pair lands between an op and its activation.
  pm.addNestedPass<func::FuncOp>(createQOpsFuseActivationsPass());
  if (!options.calibration.empty() || !options.rangesIn.empty()) {
    QOpsCalibratePassOptions calibrate;
    calibrate.data = options.calibration;
    calibrate.method = options.method;
    calibrate.percentile = options.percentile;
    calibrate.rangesIn = options.rangesIn;
    calibrate.rangesOut = options.rangesOut;
    calibrate.entry = options.entry;
    pm.addPass(createQOpsCalibratePass(calibrate));
  }
  QOpsInsertQDQPassOptions qdq;
  qdq.activations = options.activations;
  qdq.perChannel = options.perChannel;
  qdq.weightBits = options.weightBits;
  qdq.activationBits = options.activationBits;
  qdq.exclude = llvm::to_vector(options.exclude);
  pm.addNestedPass<func::FuncOp>(createQOpsInsertQDQPass(qdq));
  pm.addNestedPass<func::FuncOp>(createQOpsPropagateScalesPass());
  if (options.emit == QuantizeInt8Result::QDQ)
    return;
  QOpsConvertToIntegerPassOptions integer;
  integer.allowFloatFallback = options.allowFloatFallback;
  integer.requant = options.requant;
  integer.integerIO = options.integerIO;
  pm.addNestedPass<func::FuncOp>(createQOpsConvertToIntegerPass(integer));
}

void mlir::qops::registerQuantizeInt8Pipeline() {
  PassPipelineRegistration<QuantizeInt8Options>(
      "quantize-int8",
      "Quantize a float model: fuse activations, calibrate (with "
      "calibration= or ranges-in=), insert quantize/dequantize pairs, "
      "propagate scales (the QDQ program; emit=qdq stops here) and convert "
      "to integer ops; options pass through to --calibrate, --insert-qdq "
      "and --convert-to-integer",
      [](OpPassManager &pm, const QuantizeInt8Options &options) {
        buildQuantizeInt8Pipeline(pm, options);
      });
}
