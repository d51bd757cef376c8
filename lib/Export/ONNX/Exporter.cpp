//===- Exporter.cpp - qops programs to ONNX --------------------------------===//
//
// One walk over the function. Every SSA value becomes an ONNX tensor name
// plus the order in which the file holds its dimensions (`Layout::perm`:
// file dimension i is the value's dimension perm[i]). Constants, constant
// QuantizeLinear results and DequantizeLinear of those are "lazy": they are
// written on first use, in the order that use needs, as initializers (and a
// DequantizeLinear node), so weights are permuted instead of transposed.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Export/ONNXExporter.h"

#include "quant-ops/Dialect/QOps/IR/QOpsOps.h"
#include "quant-ops/Dialect/QOps/IR/QuantTypeUtils.h"
#include "quant-ops/Dialect/QOps/IR/Requantization.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Location.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"

#include <onnx/onnx_pb.h>

#include <cstring>
#include <map>
#include <string>

using namespace mlir;
using namespace mlir::qops;

namespace {

constexpr int64_t kOpset = 17;

using Perm = SmallVector<int64_t, 4>;

Perm identity(int64_t rank) {
  return llvm::to_vector<4>(llvm::seq<int64_t>(0, rank));
}

/// The file order of an NHWC value written NCHW.
const Perm kNCHW = {0, 3, 1, 2};

/// The position of dimension `dim` in `perm` (the file axis of a value's
/// dimension).
int64_t fileAxis(ArrayRef<int64_t> perm, int64_t dim) {
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
std::string locationName(Location loc) {
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
  LogicalResult exportClamp(Operation *op, std::string name,
                            std::optional<APFloat> min,
                            std::optional<APFloat> max, Perm perm,
                            Value result);
  LogicalResult exportUnary(Operation *op, StringRef opType);
  LogicalResult exportBinary(Operation *op, StringRef opType);
};

std::string Exporter::freshTensorName(StringRef base) {
  std::string name = base.empty() ? "t" : base.str();
  if (!tensorNames.contains(name)) {
    tensorNames.insert(name);
    return name;
  }
  while (true) {
    std::string candidate = name + "_" + std::to_string(++counter);
    if (tensorNames.insert(candidate).second)
      return candidate;
  }
}

onnx::NodeProto &Exporter::addNode(StringRef opType,
                                   ArrayRef<std::string> inputs,
                                   StringRef output, Location loc) {
  onnx::NodeProto &node = *graph.add_node();
  node.set_op_type(opType.str());
  std::string base = locationName(loc);
  std::string name = (base.empty() ? opType.str() : base);
  if (!nodeNames.insert(name).second) {
    int64_t suffix = 0;
    while (!nodeNames.insert(name + "/" + opType.str() +
                             (suffix ? "_" + std::to_string(suffix) : ""))
                .second)
      ++suffix;
    name = name + "/" + opType.str() +
           (suffix ? "_" + std::to_string(suffix) : "");
  }
  node.set_name(name);
  for (const std::string &input : inputs)
    node.add_input(input);
  node.add_output(output.str());
  return node;
}

std::string Exporter::addInitializer(StringRef base, int32_t dataType,
                                     ArrayRef<int64_t> shape,
                                     const void *data, size_t bytes) {
  std::string name = freshTensorName(base);
  onnx::TensorProto &tensor = *graph.add_initializer();
  tensor.set_name(name);
  tensor.set_data_type(dataType);
  for (int64_t d : shape)
    tensor.add_dims(d);
  tensor.set_raw_data(std::string(static_cast<const char *>(data), bytes));
  return name;
}

std::string Exporter::addInt64s(StringRef base, ArrayRef<int64_t> values,
                                bool scalar) {
  SmallVector<int64_t> shape;
  if (!scalar)
    shape.push_back(values.size());
  return addInitializer(base, onnx::TensorProto::INT64, shape, values.data(),
                        values.size() * sizeof(int64_t));
}

std::string Exporter::addFloatScalar(StringRef base, float value) {
  return addInitializer(base, onnx::TensorProto::FLOAT, {}, &value,
                        sizeof(value));
}

/// Permutes row-major data of `shape` (elements of `size` bytes) into file
/// order `perm`.
std::vector<char> permuteData(const char *data, size_t size,
                              ArrayRef<int64_t> shape,
                              ArrayRef<int64_t> perm) {
  int64_t rank = shape.size(), count = 1;
  for (int64_t d : shape)
    count *= d;
  std::vector<char> out(count * size);
  SmallVector<int64_t> strides(rank, 1);
  for (int64_t d = rank - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  SmallVector<int64_t> index(rank, 0); // file index
  for (int64_t i = 0; i < count; ++i) {
    int64_t source = 0;
    for (int64_t d = 0; d < rank; ++d)
      source += index[d] * strides[perm[d]];
    std::memcpy(out.data() + i * size, data + source * size, size);
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < shape[perm[d]])
        break;
      index[d] = 0;
    }
  }
  return out;
}

SmallVector<int64_t> permuted(ArrayRef<int64_t> shape, ArrayRef<int64_t> perm) {
  return llvm::map_to_vector(perm, [&](int64_t d) { return shape[d]; });
}

FailureOr<int32_t> Exporter::storageDataType(quant::QuantizedType type,
                                             Location loc, bool activation) {
  unsigned width = type.getStorageTypeIntegralWidth();
  bool isSigned = type.isSigned();
  if (activation) {
    // QuantizeLinear saturates to the whole storage type.
    if (width != 8 || type.getStorageTypeMin() != (isSigned ? -128 : 0) ||
        type.getStorageTypeMax() != (isSigned ? 127 : 255))
      return emitError(loc) << "cannot export " << type
                            << " activations to ONNX opset " << kOpset
                            << ": QuantizeLinear saturates to the whole "
                               "uint8 / int8 range (16-bit activations need "
                               "opset 21, which the exporter does not write "
                               "yet; narrow ranges have no ONNX form)";
    return isSigned ? onnx::TensorProto::INT8 : onnx::TensorProto::UINT8;
  }
  if (width <= 8)
    return isSigned ? onnx::TensorProto::INT8 : onnx::TensorProto::UINT8;
  if (width == 32 && isSigned)
    return onnx::TensorProto::INT32;
  return emitError(loc) << "cannot export the constant of type " << type
                        << " to ONNX: DequantizeLinear takes 8-bit or i32 "
                           "integers";
}

FailureOr<std::pair<std::string, std::string>>
Exporter::getQuantParams(quant::QuantizedType type, Location loc,
                         bool activation) {
  auto found = quantParams.find(type);
  if (found != quantParams.end())
    return found->second;
  FailureOr<int32_t> dataType = storageDataType(type, loc, activation);
  if (failed(dataType))
    return failure();
  SmallVector<float> scales;
  SmallVector<int64_t> zeroPoints;
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type)) {
    for (double s : perAxis.getScales())
      scales.push_back(float(s));
    llvm::append_range(zeroPoints, perAxis.getZeroPoints());
  } else {
    auto perTensor = cast<quant::UniformQuantizedType>(type);
    scales.push_back(float(perTensor.getScale()));
    zeroPoints.push_back(perTensor.getZeroPoint());
  }
  SmallVector<int64_t> shape;
  if (isa<quant::UniformQuantizedPerAxisType>(type))
    shape.push_back(scales.size());
  std::string scale =
      addInitializer("scale", onnx::TensorProto::FLOAT, shape, scales.data(),
                     scales.size() * sizeof(float));
  std::string zeroPoint;
  if (*dataType == onnx::TensorProto::INT32) {
    SmallVector<int32_t> z(zeroPoints.begin(), zeroPoints.end());
    zeroPoint = addInitializer("zero_point", *dataType, shape, z.data(),
                               z.size() * sizeof(int32_t));
  } else {
    SmallVector<int8_t> z = llvm::map_to_vector(
        zeroPoints, [](int64_t v) { return static_cast<int8_t>(v); });
    zeroPoint =
        addInitializer("zero_point", *dataType, shape, z.data(), z.size());
  }
  return quantParams[type] = {scale, zeroPoint};
}

bool Exporter::isLazy(Value value) {
  Operation *def = value.getDefiningOp();
  if (!def)
    return false;
  if (isa<arith::ConstantOp>(def))
    return true;
  if (auto quantize = dyn_cast<QuantizeOp>(def))
    return quantize.getInput().getDefiningOp<arith::ConstantOp>() != nullptr;
  if (auto dequantize = dyn_cast<DequantizeOp>(def))
    return isLazy(dequantize.getInput());
  return false;
}

FailureOr<std::string> Exporter::writeLazy(Value value,
                                           ArrayRef<int64_t> perm) {
  auto key = std::make_pair(value.getAsOpaquePointer(), Perm(perm));
  auto found = lazyWritten.find(key);
  if (found != lazyWritten.end())
    return found->second;
  Operation *def = value.getDefiningOp();
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> fileShape = permuted(type.getShape(), perm);
  std::string base = locationName(def->getLoc());
  std::string name;
  if (isa<arith::ConstantOp>(def)) {
    std::optional<SmallVector<double>> floats = getConstantFloatValues(value);
    if (!type.getElementType().isF32() || !floats)
      return def->emitError("cannot export this constant to ONNX: only f32 "
                            "tensor constants are supported");
    SmallVector<float> data(floats->begin(), floats->end());
    std::vector<char> bytes = permuteData(
        reinterpret_cast<const char *>(data.data()), sizeof(float),
        type.getShape(), perm);
    name = addInitializer(base.empty() ? "constant" : base + "/constant",
                          onnx::TensorProto::FLOAT, fileShape, bytes.data(),
                          bytes.size());
  } else if (auto quantize = dyn_cast<QuantizeOp>(def)) {
    auto qtype = cast<quant::QuantizedType>(type.getElementType());
    FailureOr<int32_t> dataType =
        storageDataType(qtype, def->getLoc(), /*activation=*/false);
    if (failed(dataType))
      return failure();
    std::optional<SmallVector<int64_t>> ints =
        getConstantQuantizedValues(value);
    if (!ints)
      return def->emitError("cannot export: the quantized constant has no "
                            "integer values");
    std::vector<char> bytes;
    size_t size = *dataType == onnx::TensorProto::INT32 ? 4 : 1;
    std::vector<char> raw(ints->size() * size);
    for (auto [i, v] : llvm::enumerate(*ints)) {
      if (size == 4) {
        int32_t w = static_cast<int32_t>(v);
        std::memcpy(raw.data() + 4 * i, &w, 4);
      } else {
        raw[i] = static_cast<char>(static_cast<int8_t>(v));
      }
    }
    bytes = permuteData(raw.data(), size, type.getShape(), perm);
    name = addInitializer(base.empty() ? "quantized" : base + "/quantized",
                          *dataType, fileShape, bytes.data(), bytes.size());
  } else {
    auto dequantize = cast<DequantizeOp>(def);
    FailureOr<std::string> input = writeLazy(dequantize.getInput(), perm);
    if (failed(input))
      return failure();
    auto qtype = cast<quant::QuantizedType>(
        dequantize.getInput().getType().getElementType());
    auto params = getQuantParams(qtype, def->getLoc(), /*activation=*/false);
    if (failed(params))
      return failure();
    name = freshTensorName(base.empty() ? "dequantized"
                                        : base + "/dequantized");
    onnx::NodeProto &node =
        addNode("DequantizeLinear", {*input, params->first, params->second},
                name, def->getLoc());
    if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(qtype)) {
      onnx::AttributeProto &axis = *node.add_attribute();
      axis.set_name("axis");
      axis.set_type(onnx::AttributeProto::INT);
      axis.set_i(fileAxis(perm, perAxis.getQuantizedDimension()));
    }
  }
  lazyWritten[key] = name;
  return name;
}

FailureOr<Layout> Exporter::getAny(Value value) {
  auto found = values.find(value);
  if (found != values.end())
    return found->second;
  if (!isLazy(value))
    return emitError(value.getLoc())
           << "internal error: value used before the ONNX export defined it";
  Perm perm = identity(cast<ShapedType>(value.getType()).getRank());
  FailureOr<std::string> name = writeLazy(value, perm);
  if (failed(name))
    return failure();
  return Layout{*name, perm};
}

FailureOr<std::string> Exporter::get(Value value, ArrayRef<int64_t> perm) {
  if (isLazy(value))
    return writeLazy(value, perm);
  FailureOr<Layout> layout = getAny(value);
  if (failed(layout))
    return failure();
  if (ArrayRef<int64_t>(layout->perm) == perm)
    return layout->name;
  // File dimension i of the result is value dimension perm[i], held at file
  // dimension fileAxis(layout.perm, perm[i]).
  SmallVector<int64_t> transpose = llvm::map_to_vector(
      perm, [&](int64_t d) { return fileAxis(layout->perm, d); });
  std::string name = freshTensorName(layout->name + "/transposed");
  onnx::NodeProto &node =
      addNode("Transpose", {layout->name}, name, value.getLoc());
  onnx::AttributeProto &attribute = *node.add_attribute();
  attribute.set_name("perm");
  attribute.set_type(onnx::AttributeProto::INTS);
  for (int64_t d : transpose)
    attribute.add_ints(d);
  return name;
}

FailureOr<std::string> Exporter::getRowMajor(Value value) {
  if (!isLazy(value)) {
    FailureOr<Layout> layout = getAny(value);
    if (failed(layout))
      return failure();
    ArrayRef<int64_t> shape = cast<ShapedType>(value.getType()).getShape();
    SmallVector<int64_t> order;
    for (int64_t d : layout->perm)
      if (shape[d] != 1)
        order.push_back(d);
    if (llvm::is_sorted(order))
      return layout->name;
  }
  return getPlain(value);
}

FailureOr<std::string> Exporter::getBroadcast(Value value,
                                              ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(value.getType());
  int64_t rank = perm.size();
  SmallVector<int64_t> expanded(rank - type.getRank(), 1);
  llvm::append_range(expanded, type.getShape());
  SmallVector<int64_t> fileShape = permuted(expanded, perm);
  std::string base = locationName(value.getLoc());
  if (value.getDefiningOp<arith::ConstantOp>()) {
    std::optional<SmallVector<double>> floats = getConstantFloatValues(value);
    if (!type.getElementType().isF32() || !floats)
      return emitError(value.getLoc())
             << "cannot export this constant to ONNX: only f32 tensor "
                "constants are supported";
    SmallVector<float> data(floats->begin(), floats->end());
    std::vector<char> bytes =
        permuteData(reinterpret_cast<const char *>(data.data()),
                    sizeof(float), expanded, perm);
    return addInitializer(base.empty() ? "constant" : base + "/constant",
                          onnx::TensorProto::FLOAT, fileShape, bytes.data(),
                          bytes.size());
  }
  FailureOr<std::string> plain = getPlain(value);
  if (failed(plain))
    return failure();
  // Reshape to the expanded shape, then order it like the other operand
  // (one Reshape when the dimensions of extent > 1 keep their order).
  SmallVector<int64_t> order;
  for (int64_t d : perm)
    if (expanded[d] != 1)
      order.push_back(d);
  bool rowMajor = llvm::is_sorted(order);
  std::string reshaped = freshTensorName(*plain + "/broadcast");
  addNode("Reshape",
          {*plain, addInt64s("shape", rowMajor ? fileShape : expanded)},
          reshaped, value.getLoc());
  if (rowMajor)
    return reshaped;
  std::string name = freshTensorName(*plain + "/transposed");
  onnx::NodeProto &node =
      addNode("Transpose", {reshaped}, name, value.getLoc());
  onnx::AttributeProto &attribute = *node.add_attribute();
  attribute.set_name("perm");
  attribute.set_type(onnx::AttributeProto::INTS);
  for (int64_t d : perm)
    attribute.add_ints(d);
  return name;
}

void setInts(onnx::NodeProto &node, StringRef name, ArrayRef<int64_t> ints) {
  onnx::AttributeProto &attribute = *node.add_attribute();
  attribute.set_name(name.str());
  attribute.set_type(onnx::AttributeProto::INTS);
  for (int64_t v : ints)
    attribute.add_ints(v);
}
void setInt(onnx::NodeProto &node, StringRef name, int64_t value) {
  onnx::AttributeProto &attribute = *node.add_attribute();
  attribute.set_name(name.str());
  attribute.set_type(onnx::AttributeProto::INT);
  attribute.set_i(value);
}
void setFloat(onnx::NodeProto &node, StringRef name, float value) {
  onnx::AttributeProto &attribute = *node.add_attribute();
  attribute.set_name(name.str());
  attribute.set_type(onnx::AttributeProto::FLOAT);
  attribute.set_f(value);
}
void setString(onnx::NodeProto &node, StringRef name, StringRef value) {
  onnx::AttributeProto &attribute = *node.add_attribute();
  attribute.set_name(name.str());
  attribute.set_type(onnx::AttributeProto::STRING);
  attribute.set_s(value.str());
}

/// qops' `[top, bottom, left, right]` as ONNX's `[top, left, bottom, right]`.
SmallVector<int64_t> onnxPads(ArrayRef<int64_t> pad) {
  return {pad[0], pad[2], pad[1], pad[3]};
}

/// The fused clamp of `op`, when it has one.
std::pair<std::optional<APFloat>, std::optional<APFloat>>
getFusedClamp(Operation *op) {
  std::optional<APFloat> min, max;
  if (auto attr = op->getAttrOfType<FloatAttr>("clamp_min"))
    min = attr.getValue();
  if (auto attr = op->getAttrOfType<FloatAttr>("clamp_max"))
    max = attr.getValue();
  return {min, max};
}

LogicalResult Exporter::exportClamp(Operation *op, std::string name,
                                    std::optional<APFloat> min,
                                    std::optional<APFloat> max, Perm perm,
                                    Value result) {
  if (!min && !max) {
    define(result, std::move(name), std::move(perm));
    return success();
  }
  std::string out = freshTensorName(name + "/clamped");
  if (min && !max && min->isZero()) {
    addNode("Relu", {name}, out, op->getLoc());
  } else {
    std::string lo = min ? addFloatScalar("clip_min", min->convertToFloat())
                         : std::string();
    std::string hi = max ? addFloatScalar("clip_max", max->convertToFloat())
                         : std::string();
    addNode("Clip", {name, lo, hi}, out, op->getLoc());
  }
  define(result, out, std::move(perm));
  return success();
}

LogicalResult Exporter::exportUnary(Operation *op, StringRef opType) {
  FailureOr<Layout> input = getAny(op->getOperand(0));
  if (failed(input))
    return failure();
  std::string name = outputName(op);
  addNode(opType, {input->name}, name, op->getLoc());
  define(op->getResult(0), name, input->perm);
  return success();
}

LogicalResult Exporter::exportBinary(Operation *op, StringRef opType) {
  Value lhs = op->getOperand(0), rhs = op->getOperand(1);
  auto rank = [](Value v) { return cast<ShapedType>(v.getType()).getRank(); };
  int64_t resultRank = cast<ShapedType>(op->getResult(0).getType()).getRank();
  // The result takes the order of a run-time operand of full rank.
  Perm perm = identity(resultRank);
  for (Value v : {lhs, rhs})
    if (!isLazy(v) && rank(v) == resultRank) {
      FailureOr<Layout> layout = getAny(v);
      if (failed(layout))
        return failure();
      perm = layout->perm;
      break;
    }
  SmallVector<std::string, 2> inputs;
  for (Value v : {lhs, rhs}) {
    if (rank(v) == resultRank) {
      FailureOr<std::string> name = get(v, perm);
      if (failed(name))
        return failure();
      inputs.push_back(*name);
      continue;
    }
    // A lower-rank operand broadcasts against the trailing dimensions: in
    // its own order unless the result is permuted.
    FailureOr<std::string> name = perm == identity(resultRank)
                                      ? getPlain(v)
                                      : getBroadcast(v, perm);
    if (failed(name))
      return failure();
    inputs.push_back(*name);
  }
  std::string name = outputName(op);
  addNode(opType, inputs, name, op->getLoc());
  auto [min, max] = getFusedClamp(op);
  return exportClamp(op, name, min, max, perm, op->getResult(0));
}

LogicalResult Exporter::exportOp(Operation *op) {
  Location loc = op->getLoc();
  if (!isa<QuantizeOp, DequantizeOp>(op) &&
      (llvm::any_of(op->getOperandTypes(), isQuantized) ||
       llvm::any_of(op->getResultTypes(), isQuantized)))
    return op->emitError("cannot export '")
           << op->getName()
           << "' on quantized integers to ONNX: export the QDQ program "
              "(--quantize-int8=\"... emit=qdq\"), which ONNX Runtime fuses "
              "into its integer kernels";
  return TypeSwitch<Operation *, LogicalResult>(op)
      .Case<arith::ConstantOp>([](auto) { return success(); })
      .Case<QuantizeOp, DequantizeOp>([&](Operation *op) -> LogicalResult {
        if (isLazy(op->getResult(0)))
          return success();
        Value input = op->getOperand(0);
        Type quantType = isa<QuantizeOp>(op) ? op->getResult(0).getType()
                                             : input.getType();
        auto qtype = cast<quant::QuantizedType>(
            cast<ShapedType>(quantType).getElementType());
        FailureOr<Layout> layout = getAny(input);
        if (failed(layout))
          return failure();
        auto params = getQuantParams(qtype, loc, /*activation=*/true);
        if (failed(params))
          return failure();
        std::string name = outputName(op);
        onnx::NodeProto &node = addNode(
            isa<QuantizeOp>(op) ? "QuantizeLinear" : "DequantizeLinear",
            {layout->name, params->first, params->second}, name, loc);
        if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(qtype))
          setInt(node, "axis",
                 fileAxis(layout->perm, perAxis.getQuantizedDimension()));
        define(op->getResult(0), name, layout->perm);
        return success();
      })
      .Case<TransposeOp>([&](TransposeOp transpose) -> LogicalResult {
        FailureOr<Layout> layout = getAny(transpose.getInput());
        if (failed(layout))
          return failure();
        // Result dimension j is input dimension p[j]: file dimension i,
        // input dimension layout.perm[i], is result dimension pinv of it.
        ArrayRef<int64_t> p = transpose.getPerm();
        Perm perm = llvm::map_to_vector<4>(
            layout->perm, [&](int64_t d) { return fileAxis(p, d); });
        define(transpose.getResult(), layout->name, perm);
        return success();
      })
      .Case<Conv2DOp>([&](Conv2DOp conv) -> LogicalResult {
        FailureOr<std::string> input = get(conv.getInput(), kNCHW);
        FailureOr<std::string> weight = get(conv.getWeight(), kNCHW);
        if (failed(input) || failed(weight))
          return failure();
        SmallVector<std::string, 3> inputs = {*input, *weight};
        if (Value bias = conv.getBias()) {
          FailureOr<std::string> name = getPlain(bias);
          if (failed(name))
            return failure();
          inputs.push_back(*name);
        }
        std::string name = outputName(op);
        onnx::NodeProto &node = addNode("Conv", inputs, name, loc);
        auto weightShape = cast<ShapedType>(conv.getWeight().getType());
        setInts(node, "kernel_shape",
                {weightShape.getDimSize(1), weightShape.getDimSize(2)});
        setInts(node, "strides", conv.getStride());
        setInts(node, "pads", onnxPads(conv.getPad()));
        setInts(node, "dilations", conv.getDilation());
        setInt(node, "group", conv.getGroups());
        auto [min, max] = getFusedClamp(op);
        return exportClamp(op, name, min, max, kNCHW, conv.getResult());
      })
      .Case<FullyConnectedOp>([&](FullyConnectedOp fc) -> LogicalResult {
        // 2-D by the op's verifier, like Gemm's operands.
        FailureOr<std::string> input = getPlain(fc.getInput());
        FailureOr<std::string> weight = getPlain(fc.getWeight());
        if (failed(input) || failed(weight))
          return failure();
        SmallVector<std::string, 3> inputs = {*input, *weight};
        if (Value bias = fc.getBias()) {
          FailureOr<std::string> name = getPlain(bias);
          if (failed(name))
            return failure();
          inputs.push_back(*name);
        }
        std::string name = outputName(op);
        onnx::NodeProto &node = addNode("Gemm", inputs, name, loc);
        setInt(node, "transB", 1);
        auto [min, max] = getFusedClamp(op);
        return exportClamp(op, name, min, max, identity(2), fc.getResult());
      })
      .Case<MatMulOp>([&](MatMulOp matmul) -> LogicalResult {
        FailureOr<std::string> lhs = getPlain(matmul.getLhs());
        FailureOr<std::string> rhs = getPlain(matmul.getRhs());
        if (failed(lhs) || failed(rhs))
          return failure();
        int64_t rank = matmul.getType().getRank();
        std::string name = outputName(op);
        addNode("MatMul", {*lhs, *rhs}, name, loc);
        if (Value bias = matmul.getBias()) {
          FailureOr<std::string> b = getPlain(bias);
          if (failed(b))
            return failure();
          std::string sum = freshTensorName(name + "/bias");
          addNode("Add", {name, *b}, sum, loc);
          name = sum;
        }
        auto [min, max] = getFusedClamp(op);
        return exportClamp(op, name, min, max, identity(rank),
                           matmul.getResult());
      })
      .Case<AddOp>([&](auto) { return exportBinary(op, "Add"); })
      .Case<SubOp>([&](auto) { return exportBinary(op, "Sub"); })
      .Case<MulOp>([&](auto) { return exportBinary(op, "Mul"); })
      .Case<DivOp>([&](auto) { return exportBinary(op, "Div"); })
      .Case<MaximumOp>([&](auto) { return exportBinary(op, "Max"); })
      .Case<MinimumOp>([&](auto) { return exportBinary(op, "Min"); })
      .Case<ReluOp>([&](auto) { return exportUnary(op, "Relu"); })
      .Case<SigmoidOp>([&](auto) { return exportUnary(op, "Sigmoid"); })
      .Case<TanhOp>([&](auto) { return exportUnary(op, "Tanh"); })
      .Case<ExpOp>([&](auto) { return exportUnary(op, "Exp"); })
      .Case<SqrtOp>([&](auto) { return exportUnary(op, "Sqrt"); })
      .Case<NegOp>([&](auto) { return exportUnary(op, "Neg"); })
      .Case<AbsOp>([&](auto) { return exportUnary(op, "Abs"); })
      .Case<ErfOp>([&](auto) { return exportUnary(op, "Erf"); })
      .Case<ReciprocalOp>(
          [&](auto) { return exportUnary(op, "Reciprocal"); })
      .Case<HardSwishOp>([&](auto) { return exportUnary(op, "HardSwish"); })
      .Case<Relu6Op, ClampOp>([&](Operation *op) -> LogicalResult {
        FailureOr<Layout> input = getAny(op->getOperand(0));
        if (failed(input))
          return failure();
        float lo = 0, hi = 6;
        if (auto clamp = dyn_cast<ClampOp>(op)) {
          lo = clamp.getMin().convertToFloat();
          hi = clamp.getMax().convertToFloat();
        }
        std::string name = outputName(op);
        addNode("Clip",
                {input->name, addFloatScalar("clip_min", lo),
                 addFloatScalar("clip_max", hi)},
                name, loc);
        define(op->getResult(0), name, input->perm);
        return success();
      })
      .Case<LeakyReluOp>([&](LeakyReluOp leaky) -> LogicalResult {
        if (failed(exportUnary(op, "LeakyRelu")))
          return failure();
        setFloat(*graph.mutable_node()->rbegin(), "alpha",
                 leaky.getAlpha().convertToFloat());
        return success();
      })
      .Case<HardSigmoidOp>([&](HardSigmoidOp hard) -> LogicalResult {
        if (failed(exportUnary(op, "HardSigmoid")))
          return failure();
        onnx::NodeProto &node = *graph.mutable_node()->rbegin();
        setFloat(node, "alpha", hard.getAlpha().convertToFloat());
        setFloat(node, "beta", hard.getBeta().convertToFloat());
        return success();
      })
      .Case<SiluOp>([&](SiluOp silu) -> LogicalResult {
        FailureOr<Layout> input = getAny(silu.getInput());
        if (failed(input))
          return failure();
        std::string name = outputName(op);
        std::string gate = freshTensorName(name + "/sigmoid");
        addNode("Sigmoid", {input->name}, gate, loc);
        addNode("Mul", {input->name, gate}, name, loc);
        define(silu.getResult(), name, input->perm);
        return success();
      })
      .Case<MaxPool2DOp, AvgPool2DOp>([&](Operation *op) -> LogicalResult {
        FailureOr<std::string> input = get(op->getOperand(0), kNCHW);
        if (failed(input))
          return failure();
        std::string name = outputName(op);
        bool isMax = isa<MaxPool2DOp>(op);
        onnx::NodeProto &node =
            addNode(isMax ? "MaxPool" : "AveragePool", {*input}, name, loc);
        setInts(node, "kernel_shape",
                op->getAttrOfType<DenseI64ArrayAttr>("kernel").asArrayRef());
        setInts(node, "strides",
                op->getAttrOfType<DenseI64ArrayAttr>("stride").asArrayRef());
        setInts(node, "pads",
                onnxPads(
                    op->getAttrOfType<DenseI64ArrayAttr>("pad").asArrayRef()));
        if (auto dilation = op->getAttrOfType<DenseI64ArrayAttr>("dilation"))
          setInts(node, "dilations", dilation.asArrayRef());
        if (!isMax)
          setInt(node, "count_include_pad",
                 op->hasAttr("count_include_pad") ? 1 : 0);
        define(op->getResult(0), name, kNCHW);
        return success();
      })
      .Case<GlobalAvgPoolOp>([&](GlobalAvgPoolOp pool) -> LogicalResult {
        FailureOr<std::string> input = get(pool.getInput(), kNCHW);
        if (failed(input))
          return failure();
        std::string name = outputName(op);
        addNode("GlobalAveragePool", {*input}, name, loc);
        define(pool.getResult(), name, kNCHW);
        return success();
      })
      .Case<ReshapeOp>([&](ReshapeOp reshape) -> LogicalResult {
        FailureOr<std::string> input = getRowMajor(reshape.getInput());
        if (failed(input))
          return failure();
        std::string name = outputName(op);
        addNode("Reshape",
                {*input, addInt64s("shape", reshape.getType().getShape())},
                name, loc);
        define(reshape.getResult(), name, identity(reshape.getType().getRank()));
        return success();
      })
      .Case<FlattenOp>([&](FlattenOp flatten) -> LogicalResult {
        FailureOr<std::string> input = getRowMajor(flatten.getInput());
        if (failed(input))
          return failure();
        // A Reshape: the input may be held in another shape.
        std::string name = outputName(op);
        addNode("Reshape",
                {*input, addInt64s("shape", flatten.getType().getShape())},
                name, loc);
        define(flatten.getResult(), name, identity(2));
        return success();
      })
      .Case<ConcatOp>([&](ConcatOp concat) -> LogicalResult {
        Perm perm = identity(concat.getType().getRank());
        for (Value input : concat.getInputs())
          if (!isLazy(input)) {
            FailureOr<Layout> layout = getAny(input);
            if (failed(layout))
              return failure();
            perm = layout->perm;
            break;
          }
        SmallVector<std::string> inputs;
        for (Value input : concat.getInputs()) {
          FailureOr<std::string> name = get(input, perm);
          if (failed(name))
            return failure();
          inputs.push_back(*name);
        }
        std::string name = outputName(op);
        onnx::NodeProto &node = addNode("Concat", inputs, name, loc);
        setInt(node, "axis", fileAxis(perm, concat.getAxis()));
        define(concat.getResult(), name, perm);
        return success();
      })
      .Case<PadOp>([&](PadOp pad) -> LogicalResult {
        FailureOr<Layout> input = getAny(pad.getInput());
        if (failed(input))
          return failure();
        ArrayRef<int64_t> amounts = pad.getPad();
        SmallVector<int64_t> pads;
        for (int64_t d : input->perm)
          pads.push_back(amounts[2 * d]);
        for (int64_t d : input->perm)
          pads.push_back(amounts[2 * d + 1]);
        SmallVector<std::string, 3> inputs = {input->name,
                                              addInt64s("pads", pads)};
        StringRef mode = pad.getMode() ? *pad.getMode() : "constant";
        if (mode == "constant")
          inputs.push_back(addFloatScalar(
              "pad_value",
              pad.getValue() ? pad.getValue()->convertToFloat() : 0.0f));
        std::string name = outputName(op);
        onnx::NodeProto &node = addNode("Pad", inputs, name, loc);
        setString(node, "mode", mode);
        define(pad.getResult(), name, input->perm);
        return success();
      })
      .Case<SoftmaxOp>([&](SoftmaxOp softmax) -> LogicalResult {
        FailureOr<Layout> input = getAny(softmax.getInput());
        if (failed(input))
          return failure();
        std::string name = outputName(op);
        onnx::NodeProto &node = addNode("Softmax", {input->name}, name, loc);
        setInt(node, "axis", fileAxis(input->perm, softmax.getAxis()));
        define(softmax.getResult(), name, input->perm);
        return success();
      })
      .Case<ReduceMeanOp, ReduceMaxOp, ReduceMinOp, ReduceSumOp>(
          [&](Operation *op) -> LogicalResult {
            FailureOr<Layout> input = getAny(op->getOperand(0));
            if (failed(input))
              return failure();
            ArrayRef<int64_t> axes =
                op->getAttrOfType<DenseI64ArrayAttr>("axes").asArrayRef();
            bool keepdims = op->hasAttr("keepdims");
            SmallVector<int64_t> fileAxes = llvm::map_to_vector(
                axes, [&](int64_t d) { return fileAxis(input->perm, d); });
            llvm::sort(fileAxes);
            StringRef opType = TypeSwitch<Operation *, StringRef>(op)
                                   .Case<ReduceMeanOp>([](auto) { return "ReduceMean"; })
                                   .Case<ReduceMaxOp>([](auto) { return "ReduceMax"; })
                                   .Case<ReduceMinOp>([](auto) { return "ReduceMin"; })
                                   .Default([](auto) { return "ReduceSum"; });
            std::string name = outputName(op);
            SmallVector<std::string, 2> inputs = {input->name};
            // Opset 13 moved ReduceSum's axes to an input; the others
            // follow in opset 18.
            if (isa<ReduceSumOp>(op))
              inputs.push_back(addInt64s("axes", fileAxes));
            onnx::NodeProto &node = addNode(opType, inputs, name, loc);
            if (!isa<ReduceSumOp>(op))
              setInts(node, "axes", fileAxes);
            setInt(node, "keepdims", keepdims ? 1 : 0);
            Perm perm = input->perm;
            if (!keepdims) {
              // Drop the reduced dimensions and renumber the others.
              Perm kept;
              for (int64_t d : input->perm)
                if (!llvm::is_contained(axes, d))
                  kept.push_back(d - llvm::count_if(axes, [&](int64_t a) {
                                   return a < d;
                                 }));
              perm = kept;
            }
            define(op->getResult(0), name, perm);
            return success();
          })
      .Default([&](Operation *op) -> LogicalResult {
        return op->emitError("cannot export '")
               << op->getName()
               << "' to ONNX: it has no ONNX form in the exporter yet";
      });
}

LogicalResult Exporter::run() {
  auto tensorType = [&](onnx::ValueInfoProto &info, Type t,
                        Location loc) -> LogicalResult {
    auto shaped = dyn_cast<RankedTensorType>(t);
    if (!shaped || !shaped.hasStaticShape() ||
        !shaped.getElementType().isF32())
      return emitError(loc) << "cannot export a function argument or result "
                               "of type "
                            << t << " to ONNX: only static f32 tensors";
    onnx::TypeProto_Tensor &tensor =
        *info.mutable_type()->mutable_tensor_type();
    tensor.set_elem_type(onnx::TensorProto::FLOAT);
    for (int64_t d : shaped.getShape())
      tensor.mutable_shape()->add_dim()->set_dim_value(d);
    return success();
  };

  for (BlockArgument arg : function.getArguments()) {
    std::string name = locationName(arg.getLoc());
    // The importer names the boundary transpose after the ONNX input.
    if (name.empty() && arg.hasOneUse())
      if (auto transpose = dyn_cast<TransposeOp>(*arg.getUsers().begin()))
        name = locationName(transpose.getLoc());
    if (name.empty())
      name = "input" + std::to_string(arg.getArgNumber());
    name = freshTensorName(name);
    onnx::ValueInfoProto &info = *graph.add_input();
    info.set_name(name);
    if (failed(tensorType(info, arg.getType(), function.getLoc())))
      return failure();
    define(arg, name, identity(cast<ShapedType>(arg.getType()).getRank()));
  }

  for (Operation &op : function.getBody().front().without_terminator())
    if (failed(exportOp(&op)))
      return failure();

  auto ret = cast<func::ReturnOp>(function.getBody().front().getTerminator());
  for (auto [i, value] : llvm::enumerate(ret.getOperands())) {
    FailureOr<std::string> name = getPlain(value);
    if (failed(name))
      return failure();
    std::string output = freshTensorName("output" + std::to_string(i));
    addNode("Identity", {*name}, output, ret.getLoc());
    onnx::ValueInfoProto &info = *graph.add_output();
    info.set_name(output);
    if (failed(tensorType(info, value.getType(), ret.getLoc())))
      return failure();
  }
  return success();
}

} // namespace

LogicalResult mlir::qops::exportONNXModel(ModuleOp module,
                                          llvm::raw_ostream &os,
                                          const ONNXExportOptions &options) {
  func::FuncOp function;
  SmallVector<func::FuncOp> functions =
      llvm::to_vector(module.getOps<func::FuncOp>());
  if (!options.functionName.empty()) {
    function = module.lookupSymbol<func::FuncOp>(options.functionName);
    if (!function)
      return emitError(module.getLoc())
             << "cannot export to ONNX: no function named '"
             << options.functionName << "'";
  } else if (functions.size() == 1) {
    function = functions.front();
  } else {
    return emitError(module.getLoc())
           << "cannot export to ONNX: the module has " << functions.size()
           << " functions; name one with --export-function=<name>";
  }
  if (function.isExternal() || !function.getBody().hasOneBlock())
    return function.emitError("cannot export to ONNX: the function has no "
                              "body of one block");

  onnx::ModelProto model;
  model.set_ir_version(8);
  model.set_producer_name("quant-opt");
  onnx::OperatorSetIdProto &opset = *model.add_opset_import();
  opset.set_domain("");
  opset.set_version(kOpset);
  onnx::GraphProto &graph = *model.mutable_graph();
  graph.set_name(function.getSymName().str());
  Exporter exporter(function, graph);
  if (failed(exporter.run()))
    return failure();
  std::string bytes;
  if (!model.SerializeToString(&bytes))
    return emitError(function.getLoc())
           << "cannot export to ONNX: the model does not serialize (over "
              "2 GiB?)";
  os << bytes;
  return success();
}
