//===- Exporter.h - The ONNX exporter's state and helpers ------*- C++ -*-===//
//
// Private to lib/Export/ONNX. One walk over the function. Every SSA value
// becomes an ONNX tensor name plus the order in which the file holds its
// dimensions (`Layout::perm`: file dimension i is the value's dimension
// perm[i]). Constants, constant QuantizeLinear results and DequantizeLinear
// of those are "lazy": they are written on first use, in the order that use
// needs, as initializers (and a DequantizeLinear node), so weights are
// permuted instead of transposed.
//
// Layout of the exporter:
//   Exporter.cpp    names, initializers, quantization parameters, lazy
//                   values and dimension orders; the graph's inputs and
//                   outputs; the entry point
//   FloatOps.cpp    float ops (and the data movement of integer programs),
//                   Q / DQ of activations, fused clamps
//   IntegerOps.cpp  the integer program: QLinearConv, QLinearMatMul,
//                   tables as Gather, and the QDQ expansion of every other
//                   integer op
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_LIB_EXPORT_ONNX_EXPORTER_H
#define QUANTOPS_LIB_EXPORT_ONNX_EXPORTER_H

#include "quant-ops/Export/ONNXExporter.h"
#include "quant-ops/Dialect/QOps/IR/QOpsOps.h"
#include "quant-ops/Dialect/QOps/IR/QuantTypeUtils.h"
#include "quant-ops/Dialect/QOps/IR/Requantization.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/Verifier.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"

#include <onnx/onnx_pb.h>

#include <cmath>
#include <cstring>
#include <map>
#include <string>
#include <optional>
#include <vector>

namespace mlir::qops::onnx_export {

inline constexpr int64_t kOpset = 17;

using Perm = SmallVector<int64_t, 4>;

inline Perm identity(int64_t rank) {
  return llvm::to_vector<4>(llvm::seq<int64_t>(0, rank));
}

/// The file order of an NHWC value written NCHW.
inline const Perm kNCHW = {0, 3, 1, 2};

/// The position of dimension `dim` in `perm` (the file axis of a value's
/// dimension).
inline int64_t fileAxis(ArrayRef<int64_t> perm, int64_t dim) {
  if (dim < 0)
    dim += perm.size();
  return llvm::find(perm, dim) - perm.begin();
}

/// A value written to the file: its tensor name and dimension order.
struct Layout {
  std::string name;
  Perm perm;
};

/// The name a location gives (the ONNX node name the importer kept).
inline std::string locationName(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations()) {
      std::string name = locationName(inner);
      if (!name.empty())
        return name;
    }
  return "";
}

/// Permutes row-major data of `shape` (elements of `size` bytes) into file
/// order `perm`.
std::vector<char> permuteData(const char *data, size_t size,
                              ArrayRef<int64_t> shape, ArrayRef<int64_t> perm);

/// `shape` in file order `perm`.
inline SmallVector<int64_t> permuted(ArrayRef<int64_t> shape,
                                     ArrayRef<int64_t> perm) {
  return llvm::map_to_vector(perm, [&](int64_t d) { return shape[d]; });
}

inline void setInts(onnx::NodeProto &node, StringRef name,
                    ArrayRef<int64_t> ints) {
  onnx::AttributeProto &attribute = *node.add_attribute();
  attribute.set_name(name.str());
  attribute.set_type(onnx::AttributeProto::INTS);
  for (int64_t v : ints)
    attribute.add_ints(v);
}
inline void setInt(onnx::NodeProto &node, StringRef name, int64_t value) {
  onnx::AttributeProto &attribute = *node.add_attribute();
  attribute.set_name(name.str());
  attribute.set_type(onnx::AttributeProto::INT);
  attribute.set_i(value);
}
inline void setFloat(onnx::NodeProto &node, StringRef name, float value) {
  onnx::AttributeProto &attribute = *node.add_attribute();
  attribute.set_name(name.str());
  attribute.set_type(onnx::AttributeProto::FLOAT);
  attribute.set_f(value);
}
inline void setString(onnx::NodeProto &node, StringRef name, StringRef value) {
  onnx::AttributeProto &attribute = *node.add_attribute();
  attribute.set_name(name.str());
  attribute.set_type(onnx::AttributeProto::STRING);
  attribute.set_s(value.str());
}

/// qops' `[top, bottom, left, right]` as ONNX's `[top, left, bottom, right]`.
inline SmallVector<int64_t> onnxPads(ArrayRef<int64_t> pad) {
  return {pad[0], pad[2], pad[1], pad[3]};
}


/// The quantized ops the exporter writes as ONNX integer ops (QLinearConv,
/// QLinearMatMul, MaxPool / Reshape / Concat / Pad / Transpose on 8-bit
/// tensors, Gather for tables). Every other quantized op is first expanded
/// into DequantizeLinear -> float op -> QuantizeLinear (expandToQDQ).
bool hasIntegerForm(Operation *op);

/// Rewrites each quantized op without an ONNX integer form (an integer
/// add, average pool, requantize, ...) into its QDQ meaning: its quantized
/// operands dequantized, the op on f32, its results quantized again.
LogicalResult expandToQDQ(func::FuncOp function);

class Exporter {
public:
  Exporter(func::FuncOp function, onnx::GraphProto &graph)
      : function(function), graph(graph) {}

  LogicalResult run();

private:
  func::FuncOp function;
  onnx::GraphProto &graph;
  DenseMap<Value, Layout> values;
  /// Lazy values already written, by value and file order.
  std::map<std::pair<void *, Perm>, std::string> lazyWritten;
  /// Scale / zero-point initializers, by quantized type.
  DenseMap<Type, std::pair<std::string, std::string>> quantParams;
  llvm::StringSet<> tensorNames, nodeNames;
  int64_t counter = 0;

  std::string freshTensorName(StringRef base);
  onnx::NodeProto &addNode(StringRef opType, ArrayRef<std::string> inputs,
                           StringRef output, Location loc);
  std::string addInitializer(StringRef base, int32_t dataType,
                             ArrayRef<int64_t> shape, const void *data,
                             size_t bytes);
  std::string addInt64s(StringRef base, ArrayRef<int64_t> values,
                        bool scalar = false);
  std::string addFloatScalar(StringRef base, float value);

  FailureOr<int32_t> storageDataType(quant::QuantizedType type, Location loc,
                                     bool activation);
  FailureOr<std::pair<std::string, std::string>>
  getQuantParams(quant::QuantizedType type, Location loc, bool activation);

  bool isLazy(Value value);
  FailureOr<std::string> writeLazy(Value value, ArrayRef<int64_t> perm);
  /// The value in file order `perm` (a Transpose when it is held in
  /// another order).
  FailureOr<std::string> get(Value value, ArrayRef<int64_t> perm);
  /// The value in the order it is held in (lazy values: their own order).
  FailureOr<Layout> getAny(Value value);
  /// The value's elements in its own row-major order, in any shape (for
  /// Reshape and Flatten): as held when its dimensions of extent > 1 are
  /// held in their own order.
  FailureOr<std::string> getRowMajor(Value value);
  /// A lower-rank value that broadcasts against the trailing dimensions of
  /// a value of rank perm.size() held in file order `perm`: with leading
  /// dimensions of extent 1 added, in that order.
  FailureOr<std::string> getBroadcast(Value value, ArrayRef<int64_t> perm);
  /// The value in its own dimension order.
  FailureOr<std::string> getPlain(Value value) {
    return get(value, identity(cast<ShapedType>(value.getType()).getRank()));
  }

  void define(Value value, std::string name, Perm perm) {
    values[value] = Layout{std::move(name), std::move(perm)};
  }
  std::string outputName(Operation *op) {
    std::string name = locationName(op->getLoc());
    return freshTensorName(name.empty() ? op->getName().stripDialect()
                                        : StringRef(name));
  }

  LogicalResult exportOp(Operation *op);
  /// `integer`: the data-movement op of an integer program, written as the
  /// float one (ONNX's versions take 8-bit tensors).
  LogicalResult exportOp(Operation *op, bool integer);
  LogicalResult exportInteger(Operation *op);
  /// A Clip of the integers of `name` to [lo, hi] of `type`'s storage
  /// when that is narrower than the storage range.
  std::string clipIntegers(std::string name, quant::QuantizedType type,
                           int64_t lo, int64_t hi, Location loc);
  /// A quantized constant's integers in the dimension order `perm`,
  /// written in the file shape `shape` (same element count).
  FailureOr<std::string> writeQuantizedAs(Value value, ArrayRef<int64_t> perm,
                                          ArrayRef<int64_t> shape);
  /// A QLinearConv / QLinearMatMul node of the integer `op`: input and
  /// weight with their quantization parameters, the result's, the bias.
  FailureOr<onnx::NodeProto *>
  addQLinear(Operation *op, StringRef opType, std::string input,
             Value inputValue, std::string weight, Value weightValue,
             Value bias, std::string output);
  /// fully_connected, or a 2-D matmul with a bias, as a 1x1 QLinearConv on
  /// [N, K, 1, 1]; `weightPerm` orders the weight [O, K].
  LogicalResult exportPointwise(Operation *op, Value input, Value weight,
                                ArrayRef<int64_t> weightPerm, Value bias);
  /// `name`, the result of `op`, through `op`'s fused clamp (a Relu or a
  /// Clip), defined as `result` in file order `perm`.
  LogicalResult exportClamp(Operation *op, std::string name, Perm perm,
                            Value result);
  LogicalResult exportUnary(Operation *op, StringRef opType);
  LogicalResult exportBinary(Operation *op, StringRef opType);
};

} // namespace mlir::qops::onnx_export

#endif // QUANTOPS_LIB_EXPORT_ONNX_EXPORTER_H
