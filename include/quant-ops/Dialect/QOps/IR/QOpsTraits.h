//===- QOpsTraits.h - op traits of the qops dialect --------------*- C++ -*-===//
//
// Native traits shared by every qops op: validity of the quantized types it
// touches, and the rule that an op computes in one domain (float or
// quantized) only.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_DIALECT_QOPS_IR_QOPSTRAITS_H
#define QUANTOPS_DIALECT_QOPS_IR_QOPSTRAITS_H

#include "mlir/IR/OpDefinition.h"

namespace mlir::qops {
namespace detail {
/// Verifies every quantized element type among `op`'s operand and result
/// types, and the size of constant operands (see TensorSize.h).
LogicalResult verifyValidQuantTypes(Operation *op);
/// Verifies that `op`'s tensors are all `f32` or all quantized.
LogicalResult verifySameDomain(Operation *op);
} // namespace detail

namespace OpTrait {
/// Every quantized type on the op's operands and results is well formed.
template <typename ConcreteType>
class ValidQuantTypes
    : public ::mlir::OpTrait::TraitBase<ConcreteType, ValidQuantTypes> {
public:
  static LogicalResult verifyTrait(Operation *op) {
    return detail::verifyValidQuantTypes(op);
  }
};

/// The op computes in a single domain: all tensors f32, or all quantized.
template <typename ConcreteType>
class SameDomain : public ::mlir::OpTrait::TraitBase<ConcreteType, SameDomain> {
public:
  static LogicalResult verifyTrait(Operation *op) {
    return detail::verifySameDomain(op);
  }
};
/// The quantized result shares its input's parameters (see QOpsBase.td).
template <typename ConcreteType>
class SameQuantScale
    : public ::mlir::OpTrait::TraitBase<ConcreteType, SameQuantScale> {};
} // namespace OpTrait
} // namespace mlir::qops

#endif // QUANTOPS_DIALECT_QOPS_IR_QOPSTRAITS_H
