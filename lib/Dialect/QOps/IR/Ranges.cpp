//===- Ranges.cpp - real ranges recorded on tensors -----------------------===//
//
// Reading and writing the qops.range attribute.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Dialect/QOps/IR/Ranges.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace mlir::qops;

//===----------------------------------------------------------------------===//

std::optional<std::pair<double, double>> mlir::qops::getRange(Value value) {
  DenseF64ArrayAttr attr;
  if (auto arg = dyn_cast<BlockArgument>(value)) {
    if (auto func = dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp()))
      attr = func.getArgAttrOfType<DenseF64ArrayAttr>(arg.getArgNumber(),
                                                      kRangeAttrName);
  } else {
    attr = value.getDefiningOp()->getAttrOfType<DenseF64ArrayAttr>(
        kRangeAttrName);
  }
  if (!attr || attr.size() != 2)
    return std::nullopt;
  return std::make_pair(attr[0], attr[1]);
}

void mlir::qops::setRange(Value value, std::pair<double, double> range) {
  auto attr = DenseF64ArrayAttr::get(value.getContext(),
                                     {range.first, range.second});
  if (auto arg = dyn_cast<BlockArgument>(value)) {
    cast<func::FuncOp>(arg.getOwner()->getParentOp())
        .setArgAttr(arg.getArgNumber(), kRangeAttrName, attr);
    return;
  }
  value.getDefiningOp()->setAttr(kRangeAttrName, attr);
}

/// The name in `loc`, if it has one.
static std::optional<std::string> getLocationName(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (auto name = getLocationName(inner))
        return name;
  if (auto fileLoc = dyn_cast<FileLineColLoc>(loc))
    return (llvm::sys::path::filename(fileLoc.getFilename().getValue()) +
            ":" + Twine(fileLoc.getLine()) + ":" + Twine(fileLoc.getColumn()))
        .str();
  return std::nullopt;
}

std::string mlir::qops::getRangeKey(Value value) {
  if (auto arg = dyn_cast<BlockArgument>(value)) {
    auto func = cast<func::FuncOp>(arg.getOwner()->getParentOp());
    return (func.getName() + ":arg" + Twine(arg.getArgNumber())).str();
  }
  Operation *op = value.getDefiningOp();
  if (auto name = getLocationName(op->getLoc()))
    return *name;
  std::string text;
  llvm::raw_string_ostream os(text);
  os << op->getLoc();
  return text;
}

