//===- ONNXImporter.h - ONNX models to qops -------------------*- C++ -*-===//
//
// Imports an ONNX model (opsets 11 to 21) into a func.func of qops ops. The
// function keeps the model's input and output shapes and layout (NCHW);
// inside, 4-D activations are NHWC, with transposes only at the boundary
// (and before the few ops that need NCHW element order). Initializers become
// constants, node names become locations. QuantizeLinear / DequantizeLinear
// become qops.quantize / qops.dequantize (the QDQ program keeps its ranges);
// QLinearConv, QLinearMatMul, ConvInteger and MatMulInteger become the
// integer qops ops directly.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_IMPORT_ONNXIMPORTER_H
#define QUANTOPS_IMPORT_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>

namespace mlir::qops {

struct ONNXImportOptions {
  /// The value of a dynamic leading (batch) dimension.
  int64_t batch = 1;
  /// The name of the imported function.
  std::string functionName = "main";
};

/// Reads the ONNX model at `path` and imports its graph. Every problem
/// (unreadable or malformed file, unsupported op, attribute or data type,
/// missing external data, dynamic dimension) is an error diagnostic that
/// names the node, its op type and the reason; the result is then null.
OwningOpRef<ModuleOp> importONNXModel(llvm::StringRef path,
                                      MLIRContext *context,
                                      const ONNXImportOptions &options);

/// Imports a model from its serialized bytes; `path` names it in
/// diagnostics and locates external data.
OwningOpRef<ModuleOp> importONNXModelFromBytes(llvm::StringRef bytes,
                                               llvm::StringRef path,
                                               MLIRContext *context,
                                               const ONNXImportOptions &options);

} // namespace mlir::qops

#endif // QUANTOPS_IMPORT_ONNXIMPORTER_H
