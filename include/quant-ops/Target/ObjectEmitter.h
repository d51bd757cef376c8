//===- ObjectEmitter.h - LLVM dialect to objects and C headers ---*- C++ -*-===//
//
// The back end of quant-translate: C entry points, the C header describing
// them, and object / assembly emission for a target CPU.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_TARGET_OBJECTEMITTER_H
#define QUANTOPS_TARGET_OBJECTEMITTER_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace mlir::qops {

/// What to produce from an LLVM-dialect module.
enum class EmitKind { Object, Assembly, LLVMIR };

struct ObjectEmitterOptions {
  /// Target triple; empty means the host's.
  std::string triple;
  /// Target CPU; empty means the host CPU (with its features) when the
  /// triple is the host's, "generic" otherwise.
  std::string cpu;
  /// Extra target features ("+avx2,-avx512f"), appended to the CPU's.
  std::string features;
  /// LLVM optimization level (0-3) of the pipeline run before codegen.
  unsigned optLevel = 3;
};

/// For every function carrying a `qops.signature` (set by the lowering),
/// adds the C entry point `<prefix>_<name>(inputs..., outputs...)` that
/// returns 0, and makes the lowered function internal so that its own name
/// (often `main`) cannot clash at link time. Fails with a diagnostic when a
/// function's arguments do not match its signature or a name is taken.
LogicalResult addCEntryPoints(ModuleOp module, llvm::StringRef prefix);

/// Writes the C header documenting each entry point added by
/// addCEntryPoints (argument names, shapes and element types).
LogicalResult emitCHeader(ModuleOp module, llvm::StringRef prefix,
                          llvm::raw_ostream &os);

/// Translates the LLVM-dialect module to LLVM IR, optimizes it for the
/// target and writes an object file, assembly or LLVM IR to `os`.
LogicalResult emitModule(ModuleOp module, const ObjectEmitterOptions &options,
                         EmitKind kind, llvm::raw_pwrite_stream &os);

} // namespace mlir::qops

#endif // QUANTOPS_TARGET_OBJECTEMITTER_H
