//===- TensorSize.cpp - byte sizes of tensors and the constant limit ------===//
//
// See TensorSize.h.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Dialect/QOps/IR/TensorSize.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"

#include <algorithm>
#include <limits>

using namespace mlir;

std::optional<uint64_t> mlir::qops::getTensorSizeInBytes(ShapedType type) {
  if (!type.hasStaticShape())
    return std::nullopt;
  Type element = type.getElementType();
  if (auto q = dyn_cast<quant::QuantizedType>(element))
    element = q.getStorageType();
  uint64_t bytes = 8; // index and other types without a bit width
  if (element.isIntOrFloat())
    bytes = std::max<uint64_t>(1, (element.getIntOrFloatBitWidth() + 7) / 8);
  else if (auto complex = dyn_cast<ComplexType>(element);
           complex && complex.getElementType().isIntOrFloat())
    bytes = 2 * std::max<uint64_t>(
                    1, (complex.getElementType().getIntOrFloatBitWidth() + 7) /
                           8);
  for (int64_t d : type.getShape()) {
    if (d != 0 && bytes > std::numeric_limits<uint64_t>::max() / uint64_t(d))
      return std::nullopt;
    bytes *= uint64_t(d);
  }
  return bytes;
}

LogicalResult mlir::qops::verifyConstantSize(
    llvm::function_ref<InFlightDiagnostic()> emitError, ShapedType type,
    llvm::StringRef what) {
  if (!type.hasStaticShape())
    return success();
  std::optional<uint64_t> bytes = getTensorSizeInBytes(type);
  if (bytes && *bytes <= kMaxConstantBytes)
    return success();
  InFlightDiagnostic diag = emitError();
  diag << what << " is a constant " << type << " of ";
  if (bytes)
    diag << *bytes;
  else
    diag << "more than 2^64";
  diag << " bytes, more than the " << kMaxConstantBytes
       << "-byte (2 GiB) limit on constant tensors";
  return diag;
}

LogicalResult mlir::qops::verifyConstantAttributes(Operation *root,
                                                   llvm::StringRef prefix) {
  WalkResult result = root->walk([&](Operation *op) {
    for (NamedAttribute attr : op->getAttrs()) {
      auto elements = dyn_cast<ElementsAttr>(attr.getValue());
      if (elements &&
          failed(verifyConstantSize(
              [&] { return op->emitOpError() << prefix; },
              elements.getShapedType(),
              ("attribute '" + attr.getName().strref() + "'").str())))
        return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}
