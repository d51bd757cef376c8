//===- RangesJSONFuzzer.cpp - libFuzzer: range files (ranges-in=) ---------===//
//
// Parses the input as the contents of a `ranges-in=` range file (depth
// pre-scan, duplicate keys, JSON, [lo, hi] values). Malformed files must end
// in diagnostics.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Calibration/Calibration.h"
#include "quant-ops/InitAll.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
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
  OwningOpRef<ModuleOp> module = ModuleOp::create(UnknownLoc::get(&context));
  (void)qops::parseRangeFile(
      *module, llvm::StringRef(reinterpret_cast<const char *>(data), size),
      "fuzz.json");
  return 0;
}
