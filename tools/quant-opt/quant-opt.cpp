//===- quant-opt.cpp - the quant-opt driver -------------------------------===//
//
// An mlir-opt with the qops dialect and every pass of the project, plus the
// upstream dialects, extensions and passes. MlirOptMain runs through
// lib/ToolSupport (nesting pre-scan, large stack).
//
//===----------------------------------------------------------------------===//

#include "quant-ops/InitAll.h"
#include "quant-ops/ToolSupport/ToolSupport.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::registerAllPasses();
  mlir::qops::registerAllDialects(registry);
  mlir::qops::registerAllPasses();
  return mlir::qops::quantOptMain(
      argc, argv, "quant-opt: the qops quantizing compiler's optimizer driver\n",
      registry);
}
