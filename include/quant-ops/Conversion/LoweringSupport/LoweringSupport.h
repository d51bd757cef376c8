//===- LoweringSupport.h - passes the lowering pipeline needs ----*- C++ -*-===//
//
// Small passes of the qops-to-LLVM pipeline that are not conversions of one
// dialect into another.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_CONVERSION_LOWERINGSUPPORT_LOWERINGSUPPORT_H
#define QUANTOPS_CONVERSION_LOWERINGSUPPORT_LOWERINGSUPPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <algorithm>

namespace mlir::qops {

#define GEN_PASS_DECL_QOPSRECORDSIGNATUREPASS
#define GEN_PASS_DECL_QOPSEXPANDCOPIESPASS
#define GEN_PASS_DECL_QOPSCOPYRETURNEDARGUMENTSPASS
#define GEN_PASS_DECL_QOPSTILEANDVECTORIZEPASS
#define GEN_PASS_DECL_QOPSFUSEELEMENTWISEPASS
#define GEN_PASS_DECL_QOPSSCFTOCONTROLFLOWPASS
#define GEN_PASS_DECL_QOPSHOISTVECTORTRANSFERSPASS
#define GEN_PASS_DECL_QOPSLOWERX86INTRINSICSPASS
#define GEN_PASS_DECL_QOPSPLANMEMORYPASS
#define GEN_PASS_DECL_QOPSOUTLINEPARALLELLOOPSPASS
#define GEN_PASS_DECL_QOPSPARALLELDISPATCHPASS
#include "quant-ops/Conversion/Passes.h.inc"

/// f32 lanes per vector register of `cpu` ("host" or an LLVM CPU name of
/// the host's architecture): 16 with AVX-512, 8 with AVX, else 4. Fails for
/// an unknown CPU name.
FailureOr<int64_t> getVectorLanes(llvm::StringRef cpu);

/// The vector features of `cpu` ("host" or an LLVM CPU name) the code
/// generator chooses kernels by.
struct TargetVectorFeatures {
  /// f32 lanes per vector register: 16 with AVX-512, 8 with AVX, else 4.
  int64_t lanes = 4;
  bool avx512vnni = false, avx512vl = false, avxvnni = false;
  /// AVX512-VBMI (with AVX512-BW): `vpermi2b`, 64 byte lookups at once.
  bool avx512vbmi = false;
};
FailureOr<TargetVectorFeatures> getTargetVectorFeatures(llvm::StringRef cpu);

/// Name of the function attribute holding the tensor-level signature.
inline constexpr llvm::StringLiteral kSignatureAttrName = "qops.signature";

/// Name of the function attribute holding the workspace size in bytes of a
/// function whose last argument is its workspace (--qops-plan-memory).
inline constexpr llvm::StringLiteral kWorkspaceSizeAttrName =
    "qops.workspace_size";

/// Name of the function attribute beside it that records what the plan
/// placed: [number of tensors, their total bytes] (what a workspace without
/// sharing would take).
inline constexpr llvm::StringLiteral kWorkspaceTensorsAttrName =
    "qops.workspace_tensors";

/// Multi-core execution (qops-outline-parallel-loops, qops-parallel-dispatch).
/// On an `scf.for` (set by the kernels of convert-qops-to-linalg): its
/// iterations are independent (each writes its own part of the output and
/// reads nothing another iteration writes), so they may run on several
/// threads in any order. On an LLVM-dialect entry function: its last
/// argument is a `quant_parallel *` (null: run on the calling thread).
inline constexpr llvm::StringLiteral kParallelAttrName = "qops.parallel";
/// On an outlined loop function `f(begin, end, captures...)`: the number of
/// iterations of the loop it was outlined from.
inline constexpr llvm::StringLiteral kParallelTaskAttrName =
    "qops.parallel_task";
/// The largest `max_tasks` a caller's quant_parallel may ask for.
inline constexpr int64_t kMaxParallelTasks = 1024;

/// Alignment in bytes of a workspace and of every buffer in it.
inline constexpr int64_t kWorkspaceAlignment = 64;

/// `bytes` rounded up to a whole, non-zero number of kWorkspaceAlignment
/// blocks: the offsets of the memory plan, and the size of a workspace as
/// it is allocated (aligned_alloc takes multiples of the alignment only).
inline int64_t alignWorkspaceBytes(int64_t bytes) {
  return std::max<int64_t>(1, (bytes + kWorkspaceAlignment - 1) /
                                  kWorkspaceAlignment) *
         kWorkspaceAlignment;
}

} // namespace mlir::qops

#endif // QUANTOPS_CONVERSION_LOWERINGSUPPORT_LOWERINGSUPPORT_H
