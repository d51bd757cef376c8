//===- InitAll.h - register everything quant-opt provides --------*- C++ -*-===//
//
// Entry points for tools and for other MLIR compilers that embed qops.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_INITALL_H
#define QUANTOPS_INITALL_H

namespace mlir {
class DialectRegistry;

namespace qops {
/// Adds the qops dialect and the upstream dialects that qops programs are
/// written with (func, arith, tensor, quant) to `registry`.
void registerAllDialects(DialectRegistry &registry);

/// Registers every pass and pass pipeline of the project with the global
/// registry, so that they are available to `mlir-opt`-style tools.
void registerAllPasses();
} // namespace qops
} // namespace mlir

/// The project's public namespace for embedders: quantops::registerAllPasses().
namespace quantops = mlir::qops;

#endif // QUANTOPS_INITALL_H
