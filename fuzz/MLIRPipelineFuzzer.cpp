//===- MLIRPipelineFuzzer.cpp - libFuzzer: MLIR text through the pipeline -===//
//
// Parses the input as MLIR, verifies it, and runs what users run on it:
// --fold-bn --quantize-int8 (the ranges must be in the IR) and then
// --qops-to-llvm. Every outcome but a crash, hang, leak or sanitizer report
// is fine: malformed input must end in diagnostics.
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
  // Swallow diagnostics: they are the expected outcome of bad input.
  ScopedDiagnosticHandler silence(&context, [](Diagnostic &) {
    return success();
  });
  ParserConfig config(&context);
  // The MLIR lexer, like every tool that reads files, relies on a NUL after
  // the buffer: hand it a copy that has one.
  std::string text(reinterpret_cast<const char *>(data), size);
  // As the tools do: text nested beyond the parser's stack is rejected
  // before parsing.
  llvm::SourceMgr sourceMgr;
  unsigned id = sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBuffer(text, "fuzz"), llvm::SMLoc());
  if (failed(qops::checkNestingDepth(sourceMgr, id)))
    return 0;
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(text, config);
  if (!module || failed(verify(*module)))
    return 0;
  for (llvm::StringRef pipeline :
       {"builtin.module(func.func(fold-bn),quantize-int8)",
        "builtin.module(qops-to-llvm)"}) {
    PassManager pm(&context);
    if (failed(parsePassPipeline(pipeline, pm)) || failed(pm.run(*module)))
      return 0;
  }
  return 0;
}
