//===- TensorSize.h - byte sizes of tensors and the constant limit -*- C++ -*-===//
//
// Every stage that turns a constant tensor into data (folding, weight
// quantization and packing, object emission) holds all of its elements in
// memory. A constant of a huge type, which a few bytes of MLIR text can
// declare (a splat or a dense_resource), is therefore rejected with a
// located diagnostic before any pass materializes it: by the verifier of
// the qops ops that consume it, and by the lowering for constants anywhere
// else in the module.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_DIALECT_QOPS_IR_TENSORSIZE_H
#define QUANTOPS_DIALECT_QOPS_IR_TENSORSIZE_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Operation.h"

#include <cstdint>
#include <optional>

namespace mlir::qops {

/// The largest constant tensor, in bytes of its elements (quantized:
/// of their storage type): 2 GiB, the most one object's read-only data can
/// address in the default code model.
constexpr uint64_t kMaxConstantBytes = uint64_t(1) << 31;

/// The bytes a statically shaped tensor of `type` occupies (quantized: its
/// storage type; sub-byte elements count as a byte each), or nothing when
/// the shape is dynamic or the size does not fit in 64 bits.
std::optional<uint64_t> getTensorSizeInBytes(ShapedType type);

/// Fails with "<what> is a constant <type> of N bytes, more than the ...
/// limit on constants" when a constant of `type` exceeds kMaxConstantBytes.
LogicalResult
verifyConstantSize(llvm::function_ref<InFlightDiagnostic()> emitError,
                   ShapedType type, llvm::StringRef what);

/// Checks every elements attribute (dense, splat or dense_resource) of
/// `root` and the ops nested in it with `verifyConstantSize`; the first
/// offender is reported on its op, after "<prefix>".
LogicalResult verifyConstantAttributes(Operation *root,
                                       llvm::StringRef prefix);

} // namespace mlir::qops

#endif // QUANTOPS_DIALECT_QOPS_IR_TENSORSIZE_H
