//===- MLIRLoweringFuzzer.cpp - libFuzzer: MLIR text through the lowering -===//
//
// Parses the input as MLIR, verifies it, and runs the lowering on it
// directly, whatever stage it is at (float or integer qops, linalg):
// --convert-qops-to-linalg without and with the packed kernels (for an
// AVX-512 VNNI CPU and for one without VNNI, so both the vpdpbusd and the
// portable kernels are built), then the whole --qops-to-llvm. Each run
// starts from a fresh copy of the parsed module. Every outcome but a
// crash, hang, leak or sanitizer report is fine: malformed input must end
// in diagnostics.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/InitAll.h"
#include "quant-ops/ToolSupport/ToolSupport.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <cstdint>
#include <string>

using namespace mlir;

namespace {
struct Setup {
  DialectRegistry registry;
  Setup() {
    qops::registerAllDialects(registry);
    qops::registerAllPasses();
  }
};
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static Setup setup;
  MLIRContext context(setup.registry);
  context.disableMultithreading();
  ScopedDiagnosticHandler silence(&context, [](Diagnostic &) {
    return success();
  });
  ParserConfig config(&context);
  std::string text(reinterpret_cast<const char *>(data), size);
  // As the tools do: text nested beyond the parser's stack is rejected
  // before parsing.
  llvm::SourceMgr sourceMgr;
  unsigned id = sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBuffer(text, "fuzz"), llvm::SMLoc());
  if (failed(qops::checkNestingDepth(sourceMgr, id)))
    return 0;
  OwningOpRef<ModuleOp> parsed = parseSourceString<ModuleOp>(text, config);
  if (!parsed || failed(verify(*parsed)))
    return 0;
  for (llvm::StringRef pipeline :
       {"builtin.module(convert-qops-to-linalg{packed-kernels=false})",
        "builtin.module(convert-qops-to-linalg{packed-kernels=true "
        "target-cpu=cascadelake})",
        "builtin.module(convert-qops-to-linalg{packed-kernels=true "
        "target-cpu=haswell})",
        "builtin.module(qops-to-llvm{target-cpu=cascadelake})"}) {
    OwningOpRef<ModuleOp> module = parsed->clone();
    PassManager pm(&context);
    if (succeeded(parsePassPipeline(pipeline, pm)))
      (void)pm.run(*module);
  }
  return 0;
}
