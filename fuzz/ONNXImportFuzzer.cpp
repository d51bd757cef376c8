//===- ONNXImportFuzzer.cpp - libFuzzer: mutated ONNX models --------------===//
//
// Imports the input bytes as an ONNX model. Malformed, truncated or
// unsupported models must end in diagnostics.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Import/ONNXImporter.h"
#include "quant-ops/InitAll.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <cstdint>

using namespace mlir;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static DialectRegistry *registry = [] {
    auto *r = new DialectRegistry();
    qops::registerAllDialects(*r);
    return r;
  }();
  MLIRContext context(*registry);
  context.disableMultithreading();
  ScopedDiagnosticHandler silence(&context, [](Diagnostic &) {
    return success();
  });
  qops::ONNXImportOptions options;
  // External data paths resolve next to a file that does not exist.
  (void)qops::importONNXModelFromBytes(
      llvm::StringRef(reinterpret_cast<const char *>(data), size),
      "/nonexistent/fuzz.onnx", &context, options);
  return 0;
}
