//===- ONNXExporter.h - qops programs to ONNX -----------------*- C++ -*-===//
//
// Writes a func.func of qops ops as an ONNX model (opset 17): the float
// program, the QDQ program that `--quantize-int8="... emit=qdq"` leaves
// (QuantizeLinear / DequantizeLinear around float ops, the convention ONNX
// Runtime and TensorRT fuse into their integer kernels), and the integer
// program (QLinearConv / QLinearMatMul, tables as Gathers, 8-bit data
// movement; any other integer op as its QDQ meaning). Quantized constants
// (weights, i32 biases) become integer initializers with the integers the
// project's own lowering computes.
//
// Layout: inside, 4-D activations are NHWC; in the file they are NCHW like
// the model the importer read. The exporter tracks, for each value, the
// order of its dimensions in the file and emits a Transpose only where an
// op needs another order (a Reshape of an NHWC tensor, say): the boundary
// transposes the importer inserted cancel out, and constants are permuted
// in place.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_EXPORT_ONNXEXPORTER_H
#define QUANTOPS_EXPORT_ONNXEXPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace mlir::qops {

struct ONNXExportOptions {
  /// The function to export (the only one when empty).
  std::string functionName;
};

/// Writes the function of `module` named in `options` as a serialized ONNX
/// ModelProto to `os`. Every op, type or attribute the ONNX file cannot
/// express (an op without an ONNX form, 16-bit or narrow-range quantized
/// activations, non-f32 arguments) is an error at its location; nothing is
/// written then.
LogicalResult exportONNXModel(ModuleOp module, llvm::raw_ostream &os,
                              const ONNXExportOptions &options);

} // namespace mlir::qops

#endif // QUANTOPS_EXPORT_ONNXEXPORTER_H
