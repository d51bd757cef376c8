//===- ToolSupport.h - shared driver support of the quant-* tools -*- C++ -*-===//
//
// What quant-opt, quant-translate and quant-run share beyond their flags:
// reading their input boundedly, surviving deeply nested input (a
// bracket-depth pre-scan and a large stack for the tool's work) and
// quant-opt's MlirOptMain entry.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_TOOLSUPPORT_TOOLSUPPORT_H
#define QUANTOPS_TOOLSUPPORT_TOOLSUPPORT_H

#include "mlir/Support/LLVM.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <memory>
#include <string>

namespace llvm {
class MemoryBuffer;
class SourceMgr;
} // namespace llvm

namespace mlir {
class DialectRegistry;

namespace qops {

/// The deepest nesting of brackets (`(`, `[`, `{`, `<`) the tools accept in
/// MLIR text. The upstream parser recurses once or more per level, so far
/// deeper input (a dense literal `[[[[...`, `tuple<tuple<...`, nested
/// regions) would overflow the stack; real programs stay within a few
/// dozen levels.
constexpr unsigned kMaxNestingDepth = 1000;

/// The stack of the thread that runs a tool's work (the parser, the passes,
/// JIT-compiled code): 8x the usual 8 MiB main-thread stack.
constexpr unsigned kToolStackBytes = 64u << 20;

/// The most bytes of MLIR text the tools read from standard input, whose
/// size is unknown beforehand (`< /dev/zero` would otherwise be read until
/// memory runs out).
constexpr uint64_t kMaxStdinBytes = uint64_t(1) << 30;

/// The MLIR text the tools read: a regular file (readRegularFile: a device,
/// FIFO or directory is refused before it is read) or, for "-", standard
/// input up to kMaxStdinBytes. On failure, null with `error` set to
/// "<path>: <reason>".
std::unique_ptr<llvm::MemoryBuffer> openSourceFile(llvm::StringRef path,
                                                   std::string *error);

/// Scans buffer `bufferId` of `sourceMgr` (MLIR text) for brackets nested
/// deeper than `maxDepth`, outside string literals and `//` comments. On
/// finding one, prints `file:line:col: error: ...` at the first bracket
/// beyond the limit to stderr (without echoing the source line, which may be
/// huge) and fails. Cheap: one pass over the bytes, no parsing.
LogicalResult checkNestingDepth(const llvm::SourceMgr &sourceMgr,
                                unsigned bufferId,
                                unsigned maxDepth = kMaxNestingDepth);

/// Runs `work` on a new thread with a `stackBytes` stack, waits for it and
/// returns its result.
int runOnLargeStack(llvm::function_ref<int()> work,
                    unsigned stackBytes = kToolStackBytes);

/// quant-opt's main: MlirOptMain with `registry`, where the input is
/// checked with checkNestingDepth before parsing and everything runs on a
/// large stack (runOnLargeStack). Returns the process exit code.
int quantOptMain(int argc, char **argv, llvm::StringRef toolName,
                 DialectRegistry &registry);

} // namespace qops
} // namespace mlir

#endif // QUANTOPS_TOOLSUPPORT_TOOLSUPPORT_H
