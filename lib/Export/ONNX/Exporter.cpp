//===- Exporter.cpp - qops programs to ONNX ---===//
//
// The exporter's graph state: names, initializers, quantization parameters,
// lazy values and dimension orders; the graph boundary; the entry point.
//
//===----------------------------------------------------------------------===//

#include "Exporter.h"

using namespace mlir;
using namespace mlir::qops;
using namespace mlir::qops::onnx_export;

std::vector<char> onnx_export::permuteData(const char *data, size_t size,
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
  auto intConstant = dyn_cast<arith::ConstantOp>(def);
  auto ints = intConstant
                  ? dyn_cast<DenseIntElementsAttr>(intConstant.getValue())
                  : DenseIntElementsAttr();
  if (ints && (ints.getElementType().isInteger(32) ||
               ints.getElementType().isInteger(64))) {
    // Integer constants (Gather indices) as INT32 / INT64.
    bool wide = ints.getElementType().isInteger(64);
    std::vector<char> raw;
    for (APInt v : ints.getValues<APInt>()) {
      int64_t x = v.getSExtValue();
      int32_t narrow = static_cast<int32_t>(x);
      const char *bytes = wide ? reinterpret_cast<const char *>(&x)
                               : reinterpret_cast<const char *>(&narrow);
      raw.insert(raw.end(), bytes, bytes + (wide ? 8 : 4));
    }
    std::vector<char> data =
        permuteData(raw.data(), wide ? 8 : 4, type.getShape(), perm);
    name = addInitializer(base.empty() ? "constant" : base + "/constant",
                          wide ? onnx::TensorProto::INT64
                               : onnx::TensorProto::INT32,
                          fileShape, data.data(), data.size());
  } else if (isa<arith::ConstantOp>(def)) {
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

LogicalResult Exporter::run() {
  auto tensorType = [&](onnx::ValueInfoProto &info, Type t,
                        Location loc) -> LogicalResult {
    auto shaped = dyn_cast<RankedTensorType>(t);
    Type element = shaped ? shaped.getElementType() : Type();
    if (!shaped || !shaped.hasStaticShape() ||
        !(element.isF32() || element.isSignlessInteger(32) ||
          element.isSignlessInteger(64)))
      return emitError(loc) << "cannot export a function argument or result "
                               "of type "
                            << t
                            << " to ONNX: only static f32 tensors (and "
                               "i32 / i64 token ids)";
    onnx::TypeProto_Tensor &tensor =
        *info.mutable_type()->mutable_tensor_type();
    tensor.set_elem_type(element.isF32() ? onnx::TensorProto::FLOAT
                         : element.isSignlessInteger(32)
                             ? onnx::TensorProto::INT32
                             : onnx::TensorProto::INT64);
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

  // Quantized ops without an ONNX integer form become their QDQ meaning,
  // on a copy.
  OwningOpRef<func::FuncOp> copy(function.clone());
  function = *copy;
  if (failed(expandToQDQ(function)))
    return failure();

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
