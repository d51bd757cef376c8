//===- QuantTypeUtils.h - helpers over upstream quant types ------*- C++ -*-===//
//
// Small queries and checks on tensors whose element type is an upstream
// `!quant.uniform` type. Used by the qops verifiers and by every later stage
// that builds or reads quantized types.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_DIALECT_QOPS_IR_QUANTTYPEUTILS_H
#define QUANTOPS_DIALECT_QOPS_IR_QUANTTYPEUTILS_H

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Value.h"

#include <optional>

namespace mlir::qops {

/// Whether `type` (a shaped type or an element type) is in the quantized
/// domain, i.e. its element type is an upstream quantized type.
bool isQuantized(Type type);

/// The per-axis quantized element type of `type`, or null.
quant::UniformQuantizedPerAxisType getPerAxisType(Type type);

/// The per-tensor uniform quantized element type of `type`, or null.
quant::UniformQuantizedType getPerTensorType(Type type);

/// The scale that applies to slice `index` of the quantized dimension:
/// per-tensor types have one scale for every slice.
double getScaleAt(quant::QuantizedType type, int64_t index);

/// The zero point of slice `index` of a per-axis type, or the zero point of
/// a per-tensor type.
int64_t getZeroPointAt(quant::QuantizedType type, int64_t index);

/// The values of a constant float tensor (an `arith.constant` or any other
/// constant-like op), in row-major order, or nothing.
std::optional<SmallVector<double>> getConstantFloatValues(Value value);

/// Checks that a quantized tensor type is well formed: expressed type f32,
/// scales finite and positive, zero points inside the storage type's range,
/// a per-axis quantized dimension inside the rank with one scale per slice.
/// `what` names the value in the diagnostic ("operand #0"). Float tensors
/// pass unchecked.
LogicalResult
verifyQuantizedTensorType(llvm::function_ref<InFlightDiagnostic()> emitError,
                          ShapedType type, llvm::StringRef what);

} // namespace mlir::qops

#endif // QUANTOPS_DIALECT_QOPS_IR_QUANTTYPEUTILS_H
