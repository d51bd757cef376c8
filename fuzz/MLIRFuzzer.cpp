//===- MLIRFuzzer.cpp - libFuzzer: MLIR text through the pipelines --------===//
//
// Parses the input as MLIR (after the tools' nesting-depth check), verifies
// it, and runs what users run on it. Built twice:
// * quant-fuzz-mlir: `--fold-bn --quantize-int8` (the ranges must be in the
//   IR), then `--qops-to-llvm` on the result;
// * quant-fuzz-lower (QUANT_FUZZ_LOWERING): the lowering on the parsed
//   module directly, whatever its stage: `--convert-qops-to-linalg` without
//   and with packed kernels (for a VNNI and a non-VNNI CPU), then the whole
//   `--qops-to-llvm`, each from a fresh copy of the module.
// Every outcome but a crash, hang, leak or sanitizer report is fine:
// malformed input must end in diagnostics.
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

#ifdef QUANT_FUZZ_LOWERING
/// Independent runs, each on a copy of the parsed module.
constexpr bool kChained = false;
constexpr llvm::StringLiteral kPipelines[] = {
    "builtin.module(convert-qops-to-linalg{packed-kernels=false})",
    "builtin.module(convert-qops-to-linalg{packed-kernels=true "
    "target-cpu=cascadelake})",
    "builtin.module(convert-qops-to-linalg{packed-kernels=true "
    "target-cpu=haswell})",
    "builtin.module(qops-to-llvm{target-cpu=cascadelake})"};
#else
/// One chain: each pipeline runs on the previous one's result.
constexpr bool kChained = true;
constexpr llvm::StringLiteral kPipelines[] = {
    "builtin.module(func.func(fold-bn),quantize-int8)",
    "builtin.module(qops-to-llvm)"};
#endif
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static Setup setup;
  MLIRContext context(setup.registry);
  context.disableMultithreading();
  // Swallow diagnostics: they are the expected outcome of bad input.
  ScopedDiagnosticHandler silence(&context, [](Diagnostic &) {
    return success();
  });
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
  ParserConfig config(&context);
  OwningOpRef<ModuleOp> parsed = parseSourceString<ModuleOp>(text, config);
  if (!parsed || failed(verify(*parsed)))
    return 0;
  for (llvm::StringRef pipeline : kPipelines) {
    OwningOpRef<ModuleOp> copy;
    if (!kChained)
      copy = parsed->clone();
    ModuleOp module = kChained ? *parsed : *copy;
    PassManager pm(&context);
    if (failed(parsePassPipeline(pipeline, pm)) ||
        (failed(pm.run(module)) && kChained))
      return 0;
  }
  return 0;
}
