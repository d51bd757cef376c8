//===- QuantizeInt8.h - the --quantize-int8 user pipeline --------*- C++ -*-===//
//
// The user-facing quantization pipeline. It runs calibration, so it sits
// above the calibration library (and the runtime below it), unlike the
// lowering pipeline, which the runtime itself uses.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_USERPIPELINES_QUANTIZEINT8_H
#define QUANTOPS_USERPIPELINES_QUANTIZEINT8_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir::qops {

/// What --quantize-int8 produces.
enum class QuantizeInt8Result { Int8, QDQ };

struct QuantizeInt8Options : public PassPipelineOptions<QuantizeInt8Options> {
  PassOptions::Option<std::string> calibration{
      *this, "calibration",
      llvm::cl::desc("Calibration data: comma-separated .npy files, one per "
                     "function input (runs --calibrate first)"),
      llvm::cl::init("")};
  PassOptions::Option<std::string> method{
      *this, "method",
      llvm::cl::desc("Calibration method: minmax | percentile | entropy | mse"),
      llvm::cl::init("minmax")};
  PassOptions::Option<double> percentile{
      *this, "percentile",
      llvm::cl::desc("Upper percentile of method=percentile"),
      llvm::cl::init(99.99)};
  PassOptions::Option<std::string> rangesIn{
      *this, "ranges-in", llvm::cl::desc("JSON file of ranges to read"),
      llvm::cl::init("")};
  PassOptions::Option<std::string> rangesOut{
      *this, "ranges-out", llvm::cl::desc("JSON file to write the ranges to"),
      llvm::cl::init("")};
  PassOptions::Option<std::string> entry{
      *this, "entry", llvm::cl::desc("Function to calibrate"),
      llvm::cl::init("main")};
  PassOptions::Option<std::string> activations{
      *this, "activations",
      llvm::cl::desc("Activation storage: u8 (default, the VNNI operand "
                     "type) or i8"),
      llvm::cl::init("u8")};
  PassOptions::Option<bool> perChannel{
      *this, "per-channel",
      llvm::cl::desc("One weight scale per output channel"),
      llvm::cl::init(true)};
  PassOptions::Option<unsigned> weightBits{
      *this, "weight-bits", llvm::cl::desc("Weight bits: 8 or 4"),
      llvm::cl::init(8)};
  PassOptions::Option<unsigned> activationBits{
      *this, "activation-bits", llvm::cl::desc("Activation bits: 8 or 16"),
      llvm::cl::init(8)};
  PassOptions::Option<QuantizeInt8Result> emit{
      *this, "emit", llvm::cl::desc("What the pipeline produces"),
      llvm::cl::init(QuantizeInt8Result::Int8),
      llvm::cl::values(
          clEnumValN(QuantizeInt8Result::Int8, "int8",
                     "integer ops on quantized tensors (the default)"),
          clEnumValN(QuantizeInt8Result::QDQ, "qdq",
                     "the float QDQ program that simulates them"))};
  PassOptions::Option<std::string> requant{
      *this, "requant",
      llvm::cl::desc("Requantization arithmetic of the integer ops: float "
                     "(f32 multiply, round half to even; ONNX Runtime) or "
                     "fixed-point (int32 multiplier and shift; TFLite)"),
      llvm::cl::init("float")};
  PassOptions::Option<bool> allowFloatFallback{
      *this, "allow-float-fallback",
      llvm::cl::desc("Keep ops without an integer form in float between "
                     "dequantize and quantize, with a remark (false: error)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> integerIO{
      *this, "integer-io",
      llvm::cl::desc("Exchange quantized integers at the function boundary "
                     "instead of floats (see --convert-to-integer)"),
      llvm::cl::init(false)};
  PassOptions::ListOption<std::string> exclude{
      *this, "exclude",
      llvm::cl::desc("Ops kept in float: location names or op names")};
};

/// --fuse-activations -> (--calibrate when calibration= or ranges-in= is
/// given) -> --insert-qdq -> --propagate-scales. The integer conversion
/// joins when it lands.
void buildQuantizeInt8Pipeline(OpPassManager &pm,
                               const QuantizeInt8Options &options);

/// Registers `--quantize-int8`.
void registerQuantizeInt8Pipeline();

} // namespace mlir::qops

#endif // QUANTOPS_USERPIPELINES_QUANTIZEINT8_H
