//===- Model.cpp - ONNX model files and graphs ----------------------------===//
//
// Reads the model: the protobuf (a regular file of at most 2 GiB), the opset,
// tensors (raw, typed fields or external data inside the model's directory),
// initializers, graph inputs (NCHW images go NHWC at the boundary, integer
// inputs take their consumer's quantization, int32 / int64 token ids read by
// Gathers stay integers) and outputs (back in ONNX
// layout). Each node goes to Importer::importNode.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "quant-ops/Dialect/QOps/IR/TensorSize.h"
#include "quant-ops/Support/RegularFile.h"

#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"

#include <cmath>
#include <cstring>

using namespace mlir;
using namespace mlir::qops;

namespace mlir::qops::onnx_import {

//===----------------------------------------------------------------------===//
// Tensors
//===----------------------------------------------------------------------===//

FailureOr<std::unique_ptr<llvm::MemoryBuffer>>
Importer::readExternalData(const onnx::TensorProto &t, StringRef what,
                           uint64_t bytes) {
  auto error = [&]() -> InFlightDiagnostic {
    InFlightDiagnostic diag = fail();
    diag << what << " '" << t.name() << "' ";
    return diag;
  };
  std::string location;
  std::optional<uint64_t> offset, length;
  for (const onnx::StringStringEntryProto &entry : t.external_data()) {
    if (entry.key() == "location") {
      location = entry.value();
    } else if (entry.key() == "offset" || entry.key() == "length") {
      uint64_t value;
      if (StringRef(entry.value()).getAsInteger(10, value))
        return error() << "has an invalid external data " << entry.key()
                       << " '" << entry.value()
                       << "' (expected a non-negative integer)";
      (entry.key() == "offset" ? offset : length) = value;
    }
  }

  // ONNX: a location is a path relative to the directory of the model, and
  // must stay inside it.
  namespace fs = llvm::sys::fs;
  namespace fspath = llvm::sys::path;
  if (location.empty())
    return error() << "has external data without a location";
  if (fspath::is_absolute(location) || fspath::has_root_name(location) ||
      fspath::has_root_directory(location))
    return error() << "has its data at the absolute path '" << location
                   << "'; external data locations must be relative to the "
                      "model's directory";
  for (StringRef component :
       llvm::make_range(fspath::begin(location), fspath::end(location)))
    if (component == "..")
      return error() << "has its data at '" << location
                     << "', which leaves the model's directory ('..')";
  SmallString<256> directory(fspath::parent_path(path));
  if (directory.empty())
    directory = ".";
  SmallString<256> file(directory);
  fspath::append(file, location);
  // Symbolic links too must not lead outside the model's directory.
  SmallString<256> realDirectory, realFile;
  if (std::error_code ec = fs::real_path(file, realFile)) {
    if (ec == std::errc::no_such_file_or_directory)
      return error() << "has its data in a missing external file '" << file
                     << "'";
    return error() << "has its data in external file '" << file
                   << "', which cannot be read: " << ec.message();
  }
  if (std::error_code ec = fs::real_path(directory, realDirectory))
    return error() << "has its data in external file '" << file
                   << "', but the model's directory cannot be resolved: "
                   << ec.message();
  // Inside: the directory itself (refused below as no regular file) or a
  // path under it.
  bool inside = realFile == realDirectory;
  if (!fspath::is_separator(realDirectory.back()))
    realDirectory += fspath::get_separator();
  inside |= StringRef(realFile).starts_with(realDirectory);
  if (!inside)
    return error() << "has its data in '" << file << "', which resolves to '"
                   << realFile << "' outside the model's directory";

  // Exactly the bytes the tensor's type and shape declare.
  if (length && *length != bytes)
    return error() << "has external data length " << *length
                   << ", but its type and shape need " << bytes << " bytes";
  auto data = readRegularFile(realFile, offset.value_or(0), bytes);
  if (!data)
    return error() << "has its data in external file '" << file
                   << "', which cannot be read: "
                   << llvm::toString(data.takeError());
  return std::move(*data);
}

FailureOr<ConstTensor> Importer::readTensor(const onnx::TensorProto &t,
                                            StringRef what) {
  ConstTensor result;
  result.dtype = t.data_type();
  for (int64_t d : t.dims()) {
    if (d < 0)
      return fail() << what << " '" << t.name() << "' has a negative dimension "
                    << d;
    result.shape.push_back(d);
  }
  int64_t count = 1;
  for (int64_t d : result.shape) {
    if (d != 0 && count > std::numeric_limits<int32_t>::max() / d)
      return fail() << what << " '" << t.name()
                    << "' has more elements than supported (2^31)";
    count *= d;
  }
  // Constants become f32 tensors (quantized ones through qops.quantize).
  if (static_cast<uint64_t>(count) * 4 > kMaxConstantBytes)
    return fail() << what << " '" << t.name() << "' has " << count
                  << " elements: as f32, more than the " << kMaxConstantBytes
                  << "-byte (2 GiB) limit on constant tensors";

  size_t itemBytes = 0;
  switch (t.data_type()) {
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::BOOL:
    itemBytes = 1;
    break;
  case onnx::TensorProto::FLOAT:
  case onnx::TensorProto::INT32:
    itemBytes = 4;
    break;
  case onnx::TensorProto::DOUBLE:
  case onnx::TensorProto::INT64:
    itemBytes = 8;
    break;
  default:
    return fail() << what << " '" << t.name() << "' has unsupported data type "
                  << dtypeName(t.data_type());
  }

  std::string raw;
  bool hasRaw = t.has_raw_data();
  if (t.data_location() == onnx::TensorProto::EXTERNAL) {
    FailureOr<std::unique_ptr<llvm::MemoryBuffer>> data =
        readExternalData(t, what, static_cast<uint64_t>(count) * itemBytes);
    if (failed(data))
      return failure();
    raw = (*data)->getBuffer().str();
    hasRaw = true;
  } else if (hasRaw) {
    raw = t.raw_data();
  }

  auto need = [&](size_t elementSize) -> LogicalResult {
    if (raw.size() != static_cast<size_t>(count) * elementSize)
      return fail() << what << " '" << t.name() << "' holds " << raw.size()
                    << " bytes of data, expected " << count * elementSize;
    return success();
  };
  auto readRaw = [&](auto zero) -> LogicalResult {
    using T = decltype(zero);
    if (failed(need(sizeof(T))))
      return failure();
    result.values.resize(count);
    for (int64_t i = 0; i < count; ++i) {
      T v;
      std::memcpy(&v, raw.data() + i * sizeof(T), sizeof(T));
      result.values[i] = static_cast<double>(v);
    }
    return success();
  };
  auto readField = [&](const auto &field) -> LogicalResult {
    if (static_cast<int64_t>(field.size()) != count)
      return fail() << what << " '" << t.name() << "' holds " << field.size()
                    << " values, expected " << count;
    result.values.assign(field.begin(), field.end());
    return success();
  };

  LogicalResult read = failure();
  switch (t.data_type()) {
  case onnx::TensorProto::FLOAT:
    read = hasRaw ? readRaw(float()) : readField(t.float_data());
    break;
  case onnx::TensorProto::DOUBLE:
    read = hasRaw ? readRaw(double()) : readField(t.double_data());
    break;
  case onnx::TensorProto::UINT8:
    read = hasRaw ? readRaw(uint8_t()) : readField(t.int32_data());
    break;
  case onnx::TensorProto::INT8:
    read = hasRaw ? readRaw(int8_t()) : readField(t.int32_data());
    break;
  case onnx::TensorProto::BOOL:
    read = hasRaw ? readRaw(uint8_t()) : readField(t.int32_data());
    break;
  case onnx::TensorProto::INT32:
    read = hasRaw ? readRaw(int32_t()) : readField(t.int32_data());
    break;
  case onnx::TensorProto::INT64:
    read = hasRaw ? readRaw(int64_t()) : readField(t.int64_data());
    break;
  default:
    return fail() << what << " '" << t.name() << "' has unsupported data type "
                  << dtypeName(t.data_type());
  }
  if (failed(read))
    return failure();
  if (result.dtype == onnx::TensorProto::FLOAT ||
      result.dtype == onnx::TensorProto::DOUBLE)
    for (double v : result.values)
      if (!std::isfinite(v))
        return fail() << what << " '" << t.name()
                      << "' holds a non-finite value (" << v << ")";
  return result;
}

//===----------------------------------------------------------------------===//
// Graph
//===----------------------------------------------------------------------===//

FailureOr<Type> Importer::graphInputType(const onnx::ValueInfoProto &info,
                                         Shape &shape) {
  if (!info.type().has_tensor_type())
    return fail() << "graph input '" << info.name()
                  << "' is not a tensor (unsupported)";
  const onnx::TypeProto::Tensor &tensor = info.type().tensor_type();
  if (!tensor.has_shape())
    return fail() << "graph input '" << info.name()
                  << "' has no shape (unsupported)";
  for (auto [i, dim] : llvm::enumerate(tensor.shape().dim())) {
    if (dim.has_dim_value() && dim.dim_value() >= 0) {
      shape.push_back(dim.dim_value());
      continue;
    }
    if (i == 0) {
      shape.push_back(options.batch);
      continue;
    }
    return fail() << "graph input '" << info.name() << "' has dynamic dimension "
                  << i << (dim.has_dim_param() ? " '" + dim.dim_param() + "'" : "")
                  << " (unsupported: only the leading batch dimension may be "
                     "dynamic, pinned by --batch)";
  }
  int64_t elements = 1;
  for (int64_t d : shape) {
    if (d == 0)
      return fail() << "graph input '" << info.name()
                    << "' has a zero-sized dimension (unsupported)";
    if (d > (int64_t(1) << 40) / elements)
      return fail() << "graph input '" << info.name()
                    << "' has more than 2^40 elements (unsupported)";
    elements *= d;
  }
  // Token ids: an int32 / int64 input read only as the indices of Gathers
  // (embedding lookups) keeps its integer type.
  int32_t elemType = tensor.elem_type();
  if (elemType == onnx::TensorProto::INT32 ||
      elemType == onnx::TensorProto::INT64) {
    bool asIndices = false, otherwise = false;
    const onnx::GraphProto &graph = model.graph();
    // Gather indices, directly or through a Clip whose output only Gathers
    // read (the range guard quant-translate --export-onnx writes).
    auto onlyIndices = [&](StringRef name) {
      SmallVector<int> users = consumersOf(graph, name);
      return !users.empty() && !isGraphOutput(graph, name) &&
             llvm::all_of(users, [&](int u) {
               const onnx::NodeProto &n = graph.node(u);
               return n.op_type() == "Gather" && n.input_size() > 1 &&
                      n.input(1) == name && n.input(0) != name;
             });
    };
    for (const onnx::NodeProto &n : graph.node())
      for (int i = 0; i < n.input_size(); ++i)
        if (n.input(i) == info.name())
          ((n.op_type() == "Gather" && i == 1) ||
                   (n.op_type() == "Clip" && i == 0 && n.output_size() == 1 &&
                    onlyIndices(n.output(0)))
               ? asIndices
               : otherwise) = true;
    if (asIndices && !otherwise)
      return builder.getIntegerType(
          elemType == onnx::TensorProto::INT32 ? 32 : 64);
    if (elemType == onnx::TensorProto::INT64)
      return fail() << "graph input '" << info.name()
                    << "' of type int64 is "
                    << (asIndices ? "read by other ops than the indices of "
                                    "Gathers"
                                  : "not read as the indices of a Gather")
                    << " (unsupported: int64 inputs are token ids)";
  }
  switch (elemType) {
  case onnx::TensorProto::FLOAT:
    return builder.getF32Type();
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::INT32: {
    // An integer input takes the quantization of its first quantized
    // consumer (int32: a dequantized bias), or, for uint8 / int8, scale 1
    // and zero point 0 when it is first cast to float.
    for (const onnx::NodeProto &n : model.graph().node()) {
      struct Use { int data, scale, zeroPoint; };
      std::optional<Use> use;
      StringRef op = n.op_type();
      for (int i = 0; i < n.input_size(); ++i) {
        if (n.input(i) != info.name())
          continue;
        if (op == "DequantizeLinear" && i == 0)
          use = Use{0, 1, 2};
        else if ((op == "QLinearConv" || op == "QLinearMatMul") && i == 0)
          use = Use{0, 1, 2};
        else if (op == "QLinearMatMul" && i == 3)
          use = Use{3, 4, 5};
        else if ((op == "ConvInteger" || op == "MatMulInteger") && i <= 1)
          use = Use{i, -1, i + 2};
      }
      // Cast to float of a uint8 / int8 input (an image's preprocessing):
      // its values are the integers themselves, the dequantization with
      // scale 1 and zero point 0 (importCast).
      if (op == "Cast" && n.input_size() > 0 && n.input(0) == info.name() &&
          tensor.elem_type() != onnx::TensorProto::INT32) {
        const onnx::NodeProto *saved = node;
        node = &n;
        bool toFloat = intAttr("to", 0) == onnx::TensorProto::FLOAT;
        node = saved;
        if (toFloat) {
          QParams identity;
          identity.scales = {1.0};
          identity.zeroPoints = {0};
          identity.dtype = tensor.elem_type();
          return quantType(identity, shape.size(), {});
        }
      }
      if (!use)
        continue;
      const onnx::NodeProto *saved = node;
      node = &n;
      int64_t axis = op == "DequantizeLinear" ? intAttr("axis", 1) : 1;
      FailureOr<QParams> q =
          readQParams(use->scale, use->zeroPoint, axis, tensor.elem_type());
      node = saved;
      if (failed(q))
        return failure();
      if (q->dtype != tensor.elem_type())
        return fail() << "graph input '" << info.name() << "' is "
                      << dtypeName(tensor.elem_type())
                      << " but its zero point is " << dtypeName(q->dtype);
      return quantType(*q, shape.size(), {});
    }
    return fail() << "graph input '" << info.name() << "' of type "
                  << dtypeName(tensor.elem_type())
                  << " is not consumed by a quantized op or a Cast to float "
                     "(unsupported)";
  }
  default:
    return fail() << "graph input '" << info.name()
                  << "' has unsupported data type "
                  << dtypeName(tensor.elem_type());
  }
}

LogicalResult Importer::importGraph(func::FuncOp &func) {
  const onnx::GraphProto &graph = model.graph();
  loc = fileLoc();

  // Initializers.
  llvm::StringSet<> initializerNames;
  for (const onnx::TensorProto &t : graph.initializer()) {
    FailureOr<ConstTensor> tensor = readTensor(t, "initializer");
    if (failed(tensor))
      return failure();
    initializerNames.insert(t.name());
    Imported imported;
    imported.constant = std::move(*tensor);
    values[t.name()] = std::move(imported);
  }
  if (!graph.sparse_initializer().empty())
    return fail() << "sparse initializers are unsupported";

  // Function inputs: graph inputs that are not initializers.
  SmallVector<Type> inputTypes;
  SmallVector<std::string> inputNames;
  SmallVector<Shape> inputShapes;
  for (const onnx::ValueInfoProto &info : graph.input()) {
    if (initializerNames.contains(info.name()))
      continue;
    if (values.count(info.name()))
      return fail() << "graph input '" << info.name() << "' is declared twice";
    Shape shape;
    FailureOr<Type> element = graphInputType(info, shape);
    if (failed(element))
      return failure();
    inputTypes.push_back(tensorOf(shape, *element));
    inputNames.push_back(info.name());
    inputShapes.push_back(shape);
  }

  func = func::FuncOp::create(builder, fileLoc(), options.functionName,
                              builder.getFunctionType(inputTypes, {}));
  Block *entry = func.addEntryBlock();
  builder.setInsertionPointToStart(entry);
  for (auto [i, name] : llvm::enumerate(inputNames)) {
    Imported imported;
    imported.value = entry->getArgument(i);
    // Float images go NHWC at the boundary.
    if (inputShapes[i].size() == 4 && isa<FloatType>(
            cast<RankedTensorType>(inputTypes[i]).getElementType())) {
      loc = NameLoc::get(StringAttr::get(context, name));
      imported.value = transpose(imported.value, kToNHWC);
      imported.nhwc = true;
    }
    values[name] = imported;
  }

  // Nodes (ONNX requires topological order; an undefined input is reported).
  for (auto [index, n] : llvm::enumerate(graph.node())) {
    if (skippedNodes.contains(static_cast<int>(index)))
      continue;
    node = &n;
    nodeIndex = index;
    loc = nodeLoc(n, index);
    for (const std::string &output : n.output())
      if (!output.empty() && values.count(output))
        return fail() << "output '" << output
                      << "' is already defined (duplicate tensor name, or "
                         "a cycle)";
    if (!n.domain().empty() && n.domain() != "ai.onnx")
      return fail() << "unsupported op domain '" << n.domain() << "'";
    if (failed(importNode()))
      return failure();
  }
  node = nullptr;

  // Results, back in the ONNX layout.
  loc = fileLoc();
  SmallVector<Value> results;
  for (const onnx::ValueInfoProto &info : graph.output()) {
    auto it = values.find(info.name());
    if (it == values.end())
      return fail() << "graph output '" << info.name() << "' is never defined";
    loc = NameLoc::get(StringAttr::get(context, info.name()));
    // An integer constant (a folded shape) is returned with its type.
    const std::optional<ConstTensor> &c = it->second.constant;
    if (c && llvm::is_contained(c->shape, 0))
      return fail() << "graph output '" << info.name()
                    << "' is a constant with a zero-sized dimension "
                       "(unsupported)";
    bool integer = c && !it->second.quant &&
                   c->dtype != onnx::TensorProto::FLOAT &&
                   c->dtype != onnx::TensorProto::DOUBLE;
    FailureOr<Value> v = integer ? integerConstant(info.name(), *c)
                                 : logical(it->second);
    if (failed(v))
      return failure();
    results.push_back(*v);
  }
  func::ReturnOp::create(builder, loc, results);
  func.setFunctionType(
      builder.getFunctionType(inputTypes, ValueRange(results).getTypes()));
  // The ops of bypassed values that nothing reads.
  SmallVector<Operation *> worklist;
  for (Value v : bypassed)
    if (Operation *op = v.getDefiningOp())
      worklist.push_back(op);
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    if (!isOpTriviallyDead(op))
      continue;
    for (Value operand : op->getOperands())
      if (Operation *def = operand.getDefiningOp())
        worklist.push_back(def);
    op->erase();
  }
  // Last: it may replace a value that `results` holds.
  recognizeExporterActivations(func);
  recognizeExporterTransformerOps(func);
  return success();
}

OwningOpRef<ModuleOp> Importer::run() {
  // A regular file of at most 2 GiB (protobuf's limit; larger models keep
  // their weights in external data): a device or a FIFO is refused before
  // anything is read.
  llvm::Expected<uint64_t> size = getRegularFileSize(path);
  if (!size) {
    emitError(fileLoc()) << "cannot read the ONNX model: "
                         << llvm::toString(size.takeError());
    return nullptr;
  }
  if (*size > static_cast<uint64_t>(std::numeric_limits<int>::max())) {
    emitError(fileLoc()) << "the ONNX model is " << *size
                         << " bytes, more than protobuf's limit of 2 GiB "
                            "(keep large weights in external data)";
    return nullptr;
  }
  auto buffer = readRegularFile(path, 0, *size);
  if (!buffer) {
    emitError(fileLoc()) << "cannot read the ONNX model: "
                         << llvm::toString(buffer.takeError());
    return nullptr;
  }
  return run((*buffer)->getBuffer());
}

OwningOpRef<ModuleOp> Importer::run(StringRef bytes) {
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max()) ||
      !model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    emitError(fileLoc()) << "not a valid ONNX model (the protobuf is "
                            "malformed or truncated)";
    return nullptr;
  }
  if (!model.has_graph()) {
    emitError(fileLoc()) << "the ONNX model has no graph";
    return nullptr;
  }
  for (const onnx::OperatorSetIdProto &set : model.opset_import())
    if (set.domain().empty() || set.domain() == "ai.onnx")
      opset = set.version();
  // Opsets 11 to 21 are the contract; 6 to 10 differ, for the supported
  // ops, only in attributes the importer reads by opset (Clip and Pad
  // bounds as attributes, Reshape's shape attribute, legacy broadcasting).
  if (opset < 6 || opset > 21) {
    emitError(fileLoc()) << "unsupported opset " << opset
                         << " (supported: 11 to 21, and 6 to 10 for the "
                            "ops whose older forms are known)";
    return nullptr;
  }

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc());
  builder.setInsertionPointToEnd(module->getBody());
  func::FuncOp func;
  if (failed(importGraph(func)))
    return nullptr;
  if (failed(verify(*module)))
    return nullptr;
  return module;
}

} // namespace mlir::qops::onnx_import
