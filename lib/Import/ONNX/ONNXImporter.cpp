//===- ONNXImporter.cpp - ONNX models to qops ------------------------------===//
//
// One pass over the (topologically sorted) ONNX graph. Every ONNX value is
// either a compile-time constant (initializers, Constant nodes, and
// DequantizeLinear of an integer initializer), kept as data until an op
// needs it, or an SSA value. A 4-D activation is stored NHWC ("nhwc") while
// its ONNX meaning stays NCHW; the importer permutes axes, pads and
// constants instead of inserting transposes.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Import/ONNXImporter.h"
#include "quant-ops/Dialect/QOps/IR/QOpsDialect.h"
#include "quant-ops/Dialect/QOps/IR/QOpsOps.h"
#include "quant-ops/Dialect/QOps/IR/QuantTypeUtils.h"
#include "quant-ops/Dialect/QOps/IR/TensorSize.h"
#include "quant-ops/Support/RegularFile.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <onnx/onnx_pb.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <optional>

using namespace mlir;
using namespace mlir::qops;

namespace {

using Shape = SmallVector<int64_t>;

/// NCHW -> NHWC and back.
constexpr int64_t kToNHWC[4] = {0, 2, 3, 1};
constexpr int64_t kToNCHW[4] = {0, 3, 1, 2};

/// A compile-time tensor (values as doubles, row-major, ONNX layout).
struct ConstTensor {
  Shape shape;
  std::vector<double> values;
  int32_t dtype = onnx::TensorProto::FLOAT;

  int64_t size() const { return values.size(); }
};

/// Quantization parameters read from scale / zero-point constants.
struct QParams {
  std::vector<double> scales;
  std::vector<int64_t> zeroPoints;
  int32_t dtype = onnx::TensorProto::UINT8; // storage
  int64_t axis = -1;                        // ONNX axis for per-axis
};

/// One ONNX value.
struct Imported {
  Value value;                        // null for a pure constant
  bool nhwc = false;                  // a 4-D value stored NHWC
  std::optional<ConstTensor> constant;
  /// For a dequantized integer initializer: its quantization, so that it
  /// materializes as dequantize(quantize(constant)).
  std::optional<QParams> quant;
};

Shape permute(ArrayRef<int64_t> shape, ArrayRef<int64_t> perm) {
  Shape result;
  for (int64_t p : perm)
    result.push_back(shape[p]);
  return result;
}

/// `t` with its dimensions permuted (result dimension i = source perm[i]).
ConstTensor permuteTensor(const ConstTensor &t, ArrayRef<int64_t> perm) {
  ConstTensor result;
  result.dtype = t.dtype;
  result.shape = permute(t.shape, perm);
  int64_t rank = t.shape.size();
  result.values.resize(t.values.size());
  Shape strides(rank, 1), index(rank, 0);
  for (int64_t d = rank - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * t.shape[d + 1];
  for (size_t linear = 0; linear < result.values.size(); ++linear) {
    int64_t offset = 0;
    for (int64_t d = 0; d < rank; ++d)
      offset += index[d] * strides[perm[d]];
    result.values[linear] = t.values[offset];
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < result.shape[d])
        break;
      index[d] = 0;
    }
  }
  return result;
}

/// The real values of quantized integers: (q - z[c]) * s[c] rounded to f32
/// (ONNX DequantizeLinear), c the index along `q.axis` (per-axis) or 0.
ConstTensor dequantized(const ConstTensor &t, const QParams &q) {
  ConstTensor result = t;
  result.dtype = onnx::TensorProto::FLOAT;
  int64_t inner = 1;
  if (q.axis >= 0)
    for (size_t d = q.axis + 1; d < t.shape.size(); ++d)
      inner *= t.shape[d];
  for (int64_t i = 0; i < t.size(); ++i) {
    int64_t c = q.axis < 0 ? 0 : (i / inner) % t.shape[q.axis];
    result.values[i] = static_cast<float>(
        (t.values[i] - q.zeroPoints[c]) * static_cast<float>(q.scales[c]));
  }
  return result;
}

const char *dtypeName(int32_t dtype) {
  switch (dtype) {
  case onnx::TensorProto::FLOAT: return "float";
  case onnx::TensorProto::UINT8: return "uint8";
  case onnx::TensorProto::INT8: return "int8";
  case onnx::TensorProto::UINT16: return "uint16";
  case onnx::TensorProto::INT16: return "int16";
  case onnx::TensorProto::INT32: return "int32";
  case onnx::TensorProto::INT64: return "int64";
  case onnx::TensorProto::STRING: return "string";
  case onnx::TensorProto::BOOL: return "bool";
  case onnx::TensorProto::FLOAT16: return "float16";
  case onnx::TensorProto::DOUBLE: return "double";
  case onnx::TensorProto::UINT32: return "uint32";
  case onnx::TensorProto::UINT64: return "uint64";
  case onnx::TensorProto::BFLOAT16: return "bfloat16";
  default: return "unknown";
  }
}

class Importer {
public:
  Importer(MLIRContext *context, StringRef path,
           const ONNXImportOptions &options)
      : context(context), builder(context), path(path.str()),
        options(options) {}

  OwningOpRef<ModuleOp> run();
  OwningOpRef<ModuleOp> run(StringRef bytes);

private:
  MLIRContext *context;
  OpBuilder builder;
  std::string path;
  ONNXImportOptions options;
  onnx::ModelProto model;
  llvm::StringMap<Imported> values;
  int64_t opset = 0;
  /// The node being imported (for diagnostics).
  const onnx::NodeProto *node = nullptr;
  int nodeIndex = 0;
  Location loc = UnknownLoc::get(context);

  //===--------------------------------------------------------------------===//
  // Diagnostics
  //===--------------------------------------------------------------------===//

  Location fileLoc() { return FileLineColLoc::get(context, path, 0, 0); }

  /// The name of a node: its own, or its op type and index.
  std::string nodeName(const onnx::NodeProto &n, int index) {
    return n.name().empty() ? llvm::formatv("{0}#{1}", n.op_type(), index).str()
                            : n.name();
  }

  /// The location of the ops a node becomes: the node's name, which every
  /// later diagnostic and remark prints (loc("name")) and calibration uses
  /// as the key of its ranges.
  Location nodeLoc(const onnx::NodeProto &n, int index) {
    return NameLoc::get(StringAttr::get(context, nodeName(n, index)));
  }

  /// An import error, located at the model file, naming the node and its op
  /// type.
  InFlightDiagnostic fail() {
    InFlightDiagnostic diag = emitError(fileLoc());
    if (node)
      diag << "node '" << nodeName(*node, nodeIndex) << "' ("
           << node->op_type() << "): ";
    return diag;
  }

  //===--------------------------------------------------------------------===//
  // Tensors and attributes
  //===--------------------------------------------------------------------===//

  FailureOr<ConstTensor> readTensor(const onnx::TensorProto &t,
                                    StringRef what);
  /// The `bytes` bytes of a tensor stored in an external file: a regular
  /// file inside the model's directory, named by a relative location.
  FailureOr<std::unique_ptr<llvm::MemoryBuffer>>
  readExternalData(const onnx::TensorProto &t, StringRef what,
                   uint64_t bytes);
  const onnx::AttributeProto *attr(StringRef name) {
    for (const onnx::AttributeProto &a : node->attribute())
      if (a.name() == name)
        return &a;
    return nullptr;
  }
  int64_t intAttr(StringRef name, int64_t fallback) {
    const onnx::AttributeProto *a = attr(name);
    return a ? a->i() : fallback;
  }
  float floatAttr(StringRef name, float fallback) {
    const onnx::AttributeProto *a = attr(name);
    return a ? a->f() : fallback;
  }
  std::string stringAttr(StringRef name, StringRef fallback) {
    const onnx::AttributeProto *a = attr(name);
    return a ? a->s() : fallback.str();
  }
  Shape intsAttr(StringRef name, ArrayRef<int64_t> fallback) {
    const onnx::AttributeProto *a = attr(name);
    if (!a)
      return Shape(fallback);
    return Shape(a->ints().begin(), a->ints().end());
  }

  //===--------------------------------------------------------------------===//
  // Values
  //===--------------------------------------------------------------------===//

  /// Input `i` of the current node ("" when absent or empty).
  StringRef inputName(int i) {
    return i < node->input_size() ? StringRef(node->input(i)) : StringRef();
  }
  bool hasInput(int i) { return !inputName(i).empty(); }
  FailureOr<Imported *> input(int i);
  FailureOr<ConstTensor> constantInput(int i, StringRef what);
  void setOutput(int i, Imported imported) {
    if (i < node->output_size() && !node->output(i).empty())
      values[node->output(i)] = std::move(imported);
  }

  /// The ONNX (logical) shape of an imported value.
  Shape logicalShape(const Imported &v) {
    if (v.constant)
      return v.constant->shape;
    Shape shape(cast<RankedTensorType>(v.value.getType()).getShape());
    return v.nhwc ? permute(shape, kToNCHW) : shape;
  }
  Type elementType(const Imported &v) {
    if (v.constant)
      return builder.getF32Type();
    return cast<RankedTensorType>(v.value.getType()).getElementType();
  }

  Value constantF32(const ConstTensor &t) {
    auto type = RankedTensorType::get(t.shape, builder.getF32Type());
    SmallVector<float> floats(t.values.begin(), t.values.end());
    return arith::ConstantOp::create(
        builder, loc, DenseElementsAttr::get(type, ArrayRef<float>(floats)));
  }
  FailureOr<quant::QuantizedType> quantType(const QParams &q, int64_t rank,
                                            ArrayRef<int64_t> perm);
  /// Materializes a value in logical layout (`perm` empty) or permuted.
  FailureOr<Value> materialize(Imported &v, ArrayRef<int64_t> perm);
  FailureOr<Value> logical(Imported &v);
  FailureOr<Value> asNHWC(Imported &v);
  Value transpose(Value v, ArrayRef<int64_t> perm);

  template <typename OpT>
  Value create(Type resultType, ValueRange operands,
               ArrayRef<NamedAttribute> attrs = {}) {
    return OpT::create(builder, loc, TypeRange{resultType}, operands, attrs)
        ->getResult(0);
  }
  RankedTensorType tensorOf(ArrayRef<int64_t> shape, Type element) {
    return RankedTensorType::get(shape, element);
  }

  //===--------------------------------------------------------------------===//
  // Graph and nodes
  //===--------------------------------------------------------------------===//

  LogicalResult importGraph(func::FuncOp &func);
  FailureOr<Type> graphInputType(const onnx::ValueInfoProto &info,
                                 Shape &shape);
  LogicalResult importNode();
  FailureOr<QParams> readQParams(int scaleIndex, int zeroPointIndex,
                                 int64_t axis, int32_t defaultDtype);
  /// A per-axis QParams must name an axis of `shape` and hold one scale per
  /// slice along it.
  LogicalResult checkAxis(const QParams &q, ArrayRef<int64_t> shape);
  /// Strides and dilations positive, pads non-negative and bounded.
  LogicalResult checkWindowAttrs(ArrayRef<int64_t> strides,
                                 ArrayRef<int64_t> dilations,
                                 ArrayRef<int64_t> pads);

  /// 1-D convolutions and pooling run as 2-D ones over [N, C, 1, L]:
  /// lifts a rank-3 input, and reads a spatial attribute with the extra
  /// leading (height) entry.
  FailureOr<Imported> liftTo2D(Imported &v);
  Shape spatialInts(StringRef name, ArrayRef<int64_t> fallback2D, bool oneD,
                    int64_t fill);
  /// Input #0 of a convolution or pooling node: 2-D as it is, or a 1-D
  /// [N, C, L] lifted into `lifted` (then `oneD` is set).
  FailureOr<Imported *> windowInput(StringRef what, Imported &lifted,
                                    bool &oneD);
  /// Brings a stored NHWC [N, 1, L, C] result back to ONNX's [N, C, L].
  Value lowerFrom2D(Value nhwc);
  LogicalResult importConv(bool quantized, bool integer);
  LogicalResult importBatchNorm();
  LogicalResult importUnary();
  LogicalResult importClip();
  LogicalResult importBinary();
  LogicalResult importPool();
  LogicalResult importGlobalAveragePool();
  LogicalResult importGemm();
  LogicalResult importMatMul(bool quantized, bool integer);
  LogicalResult importFlatten();
  LogicalResult importReshape();
  LogicalResult importConcat();
  LogicalResult importSoftmax();
  LogicalResult importPad();
  LogicalResult importTranspose();
  LogicalResult importConstant();
  LogicalResult importQuantizeLinear();
  LogicalResult importDequantizeLinear();
};

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
// Values
//===----------------------------------------------------------------------===//

FailureOr<Imported *> Importer::input(int i) {
  StringRef name = inputName(i);
  auto it = values.find(name);
  if (name.empty() || it == values.end())
    return fail() << "input #" << i << " '" << name
                  << "' is not defined by an initializer, a graph input or "
                     "an earlier node (nodes out of topological order, or a "
                     "cycle)";
  return &it->second;
}

FailureOr<ConstTensor> Importer::constantInput(int i, StringRef what) {
  FailureOr<Imported *> v = input(i);
  if (failed(v))
    return failure();
  if (!(*v)->constant || (*v)->quant)
    return fail() << "unsupported non-constant " << what << " (input #" << i
                  << " '" << inputName(i)
                  << "'); it must be an initializer or a Constant";
  return *(*v)->constant;
}

FailureOr<quant::QuantizedType>
Importer::quantType(const QParams &q, int64_t rank, ArrayRef<int64_t> perm) {
  unsigned flags = 0;
  Type storage;
  int64_t qmin, qmax;
  switch (q.dtype) {
  case onnx::TensorProto::UINT8:
    storage = builder.getIntegerType(8);
    qmin = 0;
    qmax = 255;
    break;
  case onnx::TensorProto::INT8:
    storage = builder.getIntegerType(8);
    flags = quant::QuantizationFlags::Signed;
    qmin = -128;
    qmax = 127;
    break;
  case onnx::TensorProto::INT32:
    storage = builder.getIntegerType(32);
    flags = quant::QuantizationFlags::Signed;
    qmin = std::numeric_limits<int32_t>::min();
    qmax = std::numeric_limits<int32_t>::max();
    break;
  default:
    return fail() << "unsupported quantized data type " << dtypeName(q.dtype);
  }
  for (double s : q.scales)
    if (!std::isfinite(s) || s <= 0 || static_cast<float>(s) == 0.0f)
      return fail() << "scale " << s
                    << " is not a finite positive f32 value";
  for (int64_t z : q.zeroPoints)
    if (z < qmin || z > qmax)
      return fail() << "zero point " << z << " is outside [" << qmin << ", "
                    << qmax << "]";
  Type f32 = builder.getF32Type();
  if (q.axis < 0)
    return cast<quant::QuantizedType>(quant::UniformQuantizedType::get(
        flags, storage, f32, q.scales[0], q.zeroPoints[0], qmin, qmax));
  int64_t axis = q.axis;
  if (!perm.empty())
    axis = std::find(perm.begin(), perm.end(), axis) - perm.begin();
  if (axis < 0 || axis >= rank)
    return fail() << "quantization axis " << q.axis << " is out of range";
  return cast<quant::QuantizedType>(quant::UniformQuantizedPerAxisType::get(
      flags, storage, f32, q.scales, q.zeroPoints, axis, qmin, qmax));
}

FailureOr<Value> Importer::materialize(Imported &v, ArrayRef<int64_t> perm) {
  ConstTensor data = perm.empty() ? *v.constant : permuteTensor(*v.constant, perm);
  Value c = constantF32(data);
  if (!v.quant)
    return c;
  FailureOr<quant::QuantizedType> type =
      quantType(*v.quant, data.shape.size(), perm);
  if (failed(type))
    return failure();
  auto floatType = cast<RankedTensorType>(c.getType());
  Value q = create<QuantizeOp>(floatType.clone(*type), {c});
  return create<DequantizeOp>(floatType, {q});
}

Value Importer::transpose(Value v, ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(v.getType());
  Type element = type.getElementType();
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(element)) {
    int64_t axis = std::find(perm.begin(), perm.end(),
                             perAxis.getQuantizedDimension()) -
                   perm.begin();
    element = quant::UniformQuantizedPerAxisType::get(
        perAxis.getFlags(), perAxis.getStorageType(),
        perAxis.getExpressedType(), perAxis.getScales(),
        perAxis.getZeroPoints(), axis, perAxis.getStorageTypeMin(),
        perAxis.getStorageTypeMax());
  }
  return create<TransposeOp>(
      tensorOf(permute(type.getShape(), perm), element), {v},
      {builder.getNamedAttr("perm", builder.getDenseI64ArrayAttr(perm))});
}

FailureOr<Value> Importer::logical(Imported &v) {
  if (v.constant)
    return materialize(v, {});
  if (v.nhwc)
    return transpose(v.value, kToNCHW);
  return v.value;
}

FailureOr<Value> Importer::asNHWC(Imported &v) {
  if (v.constant) {
    if (v.constant->shape.size() != 4)
      return fail() << "expects a 4-D tensor";
    return materialize(v, kToNHWC);
  }
  if (v.nhwc)
    return v.value;
  if (cast<RankedTensorType>(v.value.getType()).getRank() != 4)
    return fail() << "unsupported input of rank "
                  << cast<RankedTensorType>(v.value.getType()).getRank()
                  << " (only 2-D images, NCHW, are supported)";
  return transpose(v.value, kToNHWC);
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
  switch (tensor.elem_type()) {
  case onnx::TensorProto::FLOAT:
    return builder.getF32Type();
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::INT32: {
    // An integer input takes the quantization of its first quantized
    // consumer (int32: a dequantized bias).
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
                  << " is not consumed by a quantized op (unsupported)";
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
    FailureOr<Value> v = logical(it->second);
    if (failed(v))
      return failure();
    results.push_back(*v);
  }
  func::ReturnOp::create(builder, loc, results);
  func.setFunctionType(
      builder.getFunctionType(inputTypes, ValueRange(results).getTypes()));
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

//===----------------------------------------------------------------------===//
// Nodes
//===----------------------------------------------------------------------===//

LogicalResult Importer::importNode() {
  StringRef op = node->op_type();
  if (op == "Conv")
    return importConv(false, false);
  if (op == "QLinearConv")
    return importConv(true, false);
  if (op == "ConvInteger")
    return importConv(true, true);
  if (op == "BatchNormalization")
    return importBatchNorm();
  if (op == "Relu" || op == "LeakyRelu" || op == "HardSwish" ||
      op == "Sigmoid" || op == "Tanh")
    return importUnary();
  if (op == "Clip")
    return importClip();
  if (op == "Add" || op == "Mul")
    return importBinary();
  if (op == "MaxPool" || op == "AveragePool")
    return importPool();
  if (op == "GlobalAveragePool")
    return importGlobalAveragePool();
  if (op == "Gemm")
    return importGemm();
  if (op == "MatMul")
    return importMatMul(false, false);
  if (op == "QLinearMatMul")
    return importMatMul(true, false);
  if (op == "MatMulInteger")
    return importMatMul(true, true);
  if (op == "Flatten")
    return importFlatten();
  if (op == "Reshape")
    return importReshape();
  if (op == "Concat")
    return importConcat();
  if (op == "Softmax")
    return importSoftmax();
  if (op == "Pad")
    return importPad();
  if (op == "Transpose")
    return importTranspose();
  if (op == "Constant")
    return importConstant();
  if (op == "QuantizeLinear")
    return importQuantizeLinear();
  if (op == "DequantizeLinear")
    return importDequantizeLinear();
  return fail() << "unsupported op type '" << op << "'";
}

FailureOr<QParams> Importer::readQParams(int scaleIndex, int zeroPointIndex,
                                         int64_t axis, int32_t defaultDtype) {
  QParams q;
  q.dtype = defaultDtype;
  if (scaleIndex < 0) {
    q.scales = {1.0};
  } else {
    FailureOr<ConstTensor> scale = constantInput(scaleIndex, "scale");
    if (failed(scale))
      return failure();
    q.scales = scale->values;
  }
  if (hasInput(zeroPointIndex)) {
    FailureOr<ConstTensor> zp = constantInput(zeroPointIndex, "zero point");
    if (failed(zp))
      return failure();
    q.dtype = zp->dtype;
    for (double z : zp->values)
      q.zeroPoints.push_back(static_cast<int64_t>(z));
  } else {
    q.zeroPoints.assign(q.scales.size(), 0);
  }
  // One scale with one zero point per slice (MatMulInteger's per-column
  // b_zero_point has no scale at all), or the converse: the single value
  // applies to every slice.
  if (q.scales.size() == 1 && q.zeroPoints.size() > 1)
    q.scales.assign(q.zeroPoints.size(), q.scales.front());
  else if (q.zeroPoints.size() == 1 && q.scales.size() > 1)
    q.zeroPoints.assign(q.scales.size(), q.zeroPoints.front());
  if (q.scales.empty() || q.scales.size() != q.zeroPoints.size())
    return fail() << "has " << q.scales.size() << " scales but "
                  << q.zeroPoints.size() << " zero points";
  if (q.scales.size() > 1)
    q.axis = axis;
  return q;
}

LogicalResult Importer::checkWindowAttrs(ArrayRef<int64_t> strides,
                                         ArrayRef<int64_t> dilations,
                                         ArrayRef<int64_t> pads) {
  // Bounded like the pads, so that the window arithmetic (dilated extents,
  // SAME padding) cannot overflow 64 bits.
  for (int64_t v : strides) {
    if (v <= 0)
      return fail() << "strides must be positive, got " << v;
    if (v > (int64_t(1) << 31))
      return fail() << "strides must be at most 2^31, got " << v;
  }
  for (int64_t v : dilations) {
    if (v <= 0)
      return fail() << "dilations must be positive, got " << v;
    if (v > (int64_t(1) << 31))
      return fail() << "dilations must be at most 2^31, got " << v;
  }
  for (int64_t v : pads)
    if (v < 0 || v > (int64_t(1) << 31))
      return fail() << "pads must be in [0, 2^31], got " << v;
  return success();
}

LogicalResult Importer::checkAxis(const QParams &q, ArrayRef<int64_t> shape) {
  if (q.axis < 0)
    return success();
  if (q.axis >= static_cast<int64_t>(shape.size()))
    return fail() << "quantization axis " << q.axis
                  << " is out of range for rank " << shape.size();
  if (static_cast<int64_t>(q.scales.size()) != shape[q.axis])
    return fail() << "has " << q.scales.size() << " scales for "
                  << shape[q.axis] << " slices along axis " << q.axis;
  return success();
}

FailureOr<Imported> Importer::liftTo2D(Imported &v) {
  FailureOr<Value> value = logical(v);
  if (failed(value))
    return failure();
  auto type = cast<RankedTensorType>(value->getType());
  Shape shape(type.getShape());
  shape.insert(shape.begin() + 2, 1);
  Imported lifted;
  lifted.value = create<ReshapeOp>(type.clone(shape), {*value});
  return lifted;
}

Shape Importer::spatialInts(StringRef name, ArrayRef<int64_t> fallback2D,
                            bool oneD, int64_t fill) {
  if (!oneD)
    return intsAttr(name, fallback2D);
  const onnx::AttributeProto *a = attr(name);
  if (!a)
    return Shape(fallback2D);
  Shape values(a->ints().begin(), a->ints().end());
  if (values.size() == 1) // kernel_shape, strides, dilations
    return {fill, values[0]};
  if (values.size() == 2) // pads [begin, end]
    return {fill, values[0], fill, values[1]};
  return values; // reported by the caller's size check
}

Value Importer::lowerFrom2D(Value nhwc) {
  Value nchw = transpose(nhwc, kToNCHW);
  auto type = cast<RankedTensorType>(nchw.getType());
  Shape shape(type.getShape());
  shape.erase(shape.begin() + 2);
  return create<ReshapeOp>(type.clone(shape), {nchw});
}

FailureOr<Imported *> Importer::windowInput(StringRef what, Imported &lifted,
                                            bool &oneD) {
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  size_t rank = logicalShape(**x).size();
  oneD = rank == 3;
  if (rank != 4 && !oneD)
    return fail() << "unsupported " << static_cast<int64_t>(rank) - 2 << "-D "
                  << what << " (1-D and 2-D only)";
  if (!oneD)
    return *x;
  FailureOr<Imported> l = liftTo2D(**x);
  if (failed(l))
    return failure();
  lifted = *l;
  return &lifted;
}

/// Conv (float), QLinearConv (quantized) and ConvInteger (quantized,
/// integer: scales 1, i32 result).
LogicalResult Importer::importConv(bool quantized, bool integer) {
  int wIndex = quantized && !integer ? 3 : 1;
  int bIndex = quantized && !integer ? 8 : (integer ? -1 : 2);
  Imported lifted;
  bool oneD = false;
  FailureOr<Imported *> x = windowInput("convolution", lifted, oneD);
  if (failed(x))
    return failure();
  Shape xShape = logicalShape(**x);
  FailureOr<Imported *> wImported = input(wIndex);
  if (failed(wImported))
    return failure();
  // A QDQ weight (DequantizeLinear of an initializer) keeps its
  // quantization.
  std::optional<QParams> wQuant = (*wImported)->quant;
  ConstTensor weight;
  if ((*wImported)->constant)
    weight = *(*wImported)->constant;
  else
    return fail() << "unsupported non-constant weight (input #" << wIndex
                  << " '" << inputName(wIndex)
                  << "'); it must be an initializer or a Constant";
  if (oneD && weight.shape.size() == 3)
    weight.shape.insert(weight.shape.begin() + 2, 1);
  if (weight.shape.size() != 4)
    return fail() << "weight of rank " << weight.shape.size()
                  << " (expected OIHW)";

  int64_t group = intAttr("group", 1);
  Shape strides = spatialInts("strides", {1, 1}, oneD, 1);
  Shape dilations = spatialInts("dilations", {1, 1}, oneD, 1);
  Shape pads = spatialInts("pads", {0, 0, 0, 0}, oneD, 0);
  std::string autoPad = stringAttr("auto_pad", "NOTSET");
  if (strides.size() != 2 || dilations.size() != 2 || pads.size() != 4)
    return fail() << "strides, dilations and pads must describe 2 spatial "
                     "dimensions";
  if (failed(checkWindowAttrs(strides, dilations, pads)))
    return failure();
  int64_t kh = weight.shape[2], kw = weight.shape[3];
  if (kh <= 0 || kw <= 0 || weight.shape[0] <= 0 || group <= 0)
    return fail() << "the weight shape and group must be positive";
  // kernel_shape is optional (inferred from the weight); when given it must
  // agree with the weight rather than be silently overridden by it.
  if (attr("kernel_shape")) {
    Shape kernel = spatialInts("kernel_shape", {}, oneD, 1);
    if (kernel != Shape{kh, kw}) {
      auto text = [](ArrayRef<int64_t> v) {
        std::string s;
        llvm::raw_string_ostream os(s);
        os << "[";
        llvm::interleaveComma(v, os);
        os << "]";
        return s;
      };
      Shape weightKernel = oneD ? Shape{kw} : Shape{kh, kw};
      const onnx::AttributeProto *a = attr("kernel_shape");
      return fail() << "kernel_shape "
                    << text(Shape(a->ints().begin(), a->ints().end()))
                    << " does not match the weight's kernel "
                    << text(weightKernel) << " (weight shape "
                    << text((*wImported)->constant->shape) << ")";
    }
  }
  if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    for (int d = 0; d < 2; ++d) {
      int64_t in = xShape[2 + d], k = d == 0 ? kh : kw;
      int64_t out = (in + strides[d] - 1) / strides[d];
      int64_t total = std::max<int64_t>(
          (out - 1) * strides[d] + (k - 1) * dilations[d] + 1 - in, 0);
      int64_t small = total / 2;
      pads[d] = autoPad == "SAME_UPPER" ? small : total - small;
      pads[d + 2] = total - pads[d];
    }
  } else if (autoPad == "VALID") {
    pads = {0, 0, 0, 0};
  } else if (autoPad != "NOTSET") {
    return fail() << "unsupported auto_pad '" << autoPad << "'";
  }
  Shape qopsPad = {pads[0], pads[2], pads[1], pads[3]};
  int64_t outChannels = weight.shape[0];
  Shape outShape = {
      xShape[0],
      (xShape[2] + pads[0] + pads[2] - dilations[0] * (kh - 1) - 1) /
              strides[0] + 1,
      (xShape[3] + pads[1] + pads[3] - dilations[1] * (kw - 1) - 1) /
              strides[1] + 1,
      outChannels};
  if (outShape[1] <= 0 || outShape[2] <= 0)
    return fail() << "the kernel does not fit in the padded input";

  // Operands in NHWC / OHWI.
  FailureOr<Value> xv = asNHWC(**x);
  if (failed(xv))
    return failure();
  Value xValue = *xv;
  std::optional<Value> bias;
  Type resultElement = builder.getF32Type();
  Value wValue;
  if (quantized) {
    // Integer ops on quantized operands: x keeps its type (it must match the
    // node's parameters), the weight is a quantized constant.
    FailureOr<QParams> xq = integer
                                ? readQParams(-1, 2, 1, onnx::TensorProto::UINT8)
                                : readQParams(1, 2, 1, onnx::TensorProto::UINT8);
    FailureOr<QParams> wq =
        integer ? readQParams(-1, 3, 0, weight.dtype)
                : readQParams(4, 5, 0, weight.dtype);
    if (failed(xq) || failed(wq))
      return failure();
    if (wq->axis >= 0)
      wq->axis = 0; // Per output channel.
    if (failed(checkAxis(*wq, weight.shape)))
      return failure();
    if (xq->axis >= 0)
      return fail() << "the input must be quantized per tensor";
    FailureOr<quant::QuantizedType> xType = quantType(*xq, 4, {});
    if (failed(xType))
      return failure();
    if (cast<RankedTensorType>(xValue.getType()).getElementType() != *xType)
      return fail() << "unsupported: input #0 has type "
                    << cast<RankedTensorType>(xValue.getType()).getElementType()
                    << " but the node quantizes it as " << *xType;
    ConstTensor ohwi = permuteTensor(dequantized(weight, *wq), {0, 2, 3, 1});
    Value c = constantF32(ohwi);
    FailureOr<quant::QuantizedType> wType = quantType(*wq, 4, {});
    if (failed(wType))
      return failure();
    wValue = create<QuantizeOp>(
        cast<RankedTensorType>(c.getType()).clone(*wType), {c});
    if (bIndex >= 0 && hasInput(bIndex)) {
      FailureOr<ConstTensor> b = constantInput(bIndex, "bias");
      if (failed(b))
        return failure();
      QParams bq;
      bq.dtype = onnx::TensorProto::INT32;
      for (int64_t ch = 0; ch < outChannels; ++ch) {
        bq.scales.push_back(xq->scales[0] *
                            wq->scales[wq->axis < 0 ? 0 : ch]);
        bq.zeroPoints.push_back(0);
      }
      bq.axis = 0;
      ConstTensor real = *b;
      for (int64_t ch = 0; ch < outChannels; ++ch)
        real.values[ch] = b->values[ch] * bq.scales[ch];
      Value bc = constantF32(real);
      FailureOr<quant::QuantizedType> bType = quantType(bq, 1, {});
      if (failed(bType))
        return failure();
      bias = create<QuantizeOp>(
          cast<RankedTensorType>(bc.getType()).clone(*bType), {bc});
    }
    if (integer) {
      QParams yq;
      yq.dtype = onnx::TensorProto::INT32;
      yq.scales = {1.0};
      yq.zeroPoints = {0};
      FailureOr<quant::QuantizedType> yType = quantType(yq, 4, {});
      if (failed(yType))
        return failure();
      resultElement = *yType;
    } else {
      FailureOr<QParams> yq = readQParams(6, 7, 1, onnx::TensorProto::UINT8);
      if (failed(yq))
        return failure();
      FailureOr<quant::QuantizedType> yType = quantType(*yq, 4, {});
      if (failed(yType))
        return failure();
      resultElement = *yType;
    }
  } else {
    Imported wConst;
    wConst.constant = weight;
    wConst.quant = wQuant;
    if (wQuant && wQuant->axis >= 0 && wQuant->axis != 0)
      return fail() << "unsupported weight quantized along axis "
                    << wQuant->axis << " (expected 0, the output channels)";
    FailureOr<Value> wv = materialize(wConst, {0, 2, 3, 1});
    if (failed(wv))
      return failure();
    wValue = *wv;
    if (hasInput(bIndex)) {
      FailureOr<Imported *> b = input(bIndex);
      if (failed(b))
        return failure();
      FailureOr<Value> bv = logical(**b);
      if (failed(bv))
        return failure();
      bias = *bv;
    }
  }

  SmallVector<Value> operands = {xValue, wValue};
  if (bias)
    operands.push_back(*bias);
  Value y = create<Conv2DOp>(
      tensorOf(outShape, resultElement), operands,
      {builder.getNamedAttr("stride", builder.getDenseI64ArrayAttr(strides)),
       builder.getNamedAttr("pad", builder.getDenseI64ArrayAttr(qopsPad)),
       builder.getNamedAttr("dilation",
                            builder.getDenseI64ArrayAttr(dilations)),
       builder.getNamedAttr("groups", builder.getI64IntegerAttr(group))});
  Imported out;
  out.value = oneD ? lowerFrom2D(y) : y;
  out.nhwc = !oneD;
  setOutput(0, out);
  return success();
}

LogicalResult Importer::importBatchNorm() {
  if (intAttr("spatial", 1) != 1)
    return fail() << "unsupported spatial=0 BatchNormalization";
  if (node->output_size() > 1 || intAttr("training_mode", 0) != 0)
    return fail() << "unsupported training-mode BatchNormalization (only the "
                     "inference form with one output)";
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  Shape shape = logicalShape(**x);
  if (shape.size() < 2 || shape.size() > 4)
    return fail() << "unsupported input of rank " << shape.size()
                  << " (2-D, 3-D or 4-D, channels in dimension 1)";
  SmallVector<Value> params;
  for (int i = 1; i <= 4; ++i) {
    FailureOr<Imported *> p = input(i);
    if (failed(p))
      return failure();
    FailureOr<Value> v = logical(**p);
    if (failed(v))
      return failure();
    params.push_back(*v);
  }
  Value xv;
  if (shape.size() == 4) {
    FailureOr<Value> v = asNHWC(**x);
    if (failed(v))
      return failure();
    xv = *v;
  } else {
    FailureOr<Value> v = logical(**x);
    if (failed(v))
      return failure();
    xv = *v;
    // [N, C, L] -> [N, L, C]: batch_norm normalizes the last dimension.
    if (shape.size() == 3)
      xv = transpose(xv, {0, 2, 1});
  }
  Value y = create<BatchNormOp>(
      xv.getType(), {xv, params[0], params[1], params[2], params[3]},
      {builder.getNamedAttr("epsilon",
                            builder.getF32FloatAttr(floatAttr("epsilon",
                                                              1e-5f)))});
  Imported out;
  out.value = shape.size() == 3 ? transpose(y, {0, 2, 1}) : y;
  out.nhwc = shape.size() == 4;
  setOutput(0, out);
  return success();
}

LogicalResult Importer::importUnary() {
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  Imported in = **x;
  if (in.constant) {
    FailureOr<Value> v = logical(in);
    if (failed(v))
      return failure();
    in.value = *v;
    in.constant.reset();
    in.quant.reset();
  }
  Type type = in.value.getType();
  StringRef op = node->op_type();
  Value y;
  if (op == "Relu")
    y = create<ReluOp>(type, {in.value});
  else if (op == "Sigmoid")
    y = create<SigmoidOp>(type, {in.value});
  else if (op == "Tanh")
    y = create<TanhOp>(type, {in.value});
  else if (op == "HardSwish")
    y = create<HardSwishOp>(type, {in.value});
  else
    y = create<LeakyReluOp>(
        type, {in.value},
        {builder.getNamedAttr("alpha", builder.getF32FloatAttr(
                                           floatAttr("alpha", 0.01f)))});
  Imported out;
  out.value = y;
  out.nhwc = in.nhwc;
  setOutput(0, out);
  return success();
}

LogicalResult Importer::importClip() {
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  float lo = -std::numeric_limits<float>::max();
  float hi = std::numeric_limits<float>::max();
  if (opset < 11) {
    lo = floatAttr("min", lo);
    hi = floatAttr("max", hi);
  } else {
    if (hasInput(1)) {
      FailureOr<ConstTensor> t = constantInput(1, "min");
      if (failed(t))
        return failure();
      if (t->size() != 1)
        return fail() << "min must be a scalar";
      lo = t->values[0];
    }
    if (hasInput(2)) {
      FailureOr<ConstTensor> t = constantInput(2, "max");
      if (failed(t))
        return failure();
      if (t->size() != 1)
        return fail() << "max must be a scalar";
      hi = t->values[0];
    }
  }
  if (lo > hi)
    return fail() << "unsupported Clip with min " << lo << " > max " << hi;
  Imported in = **x;
  if (in.constant) {
    FailureOr<Value> v = logical(in);
    if (failed(v))
      return failure();
    in = Imported{*v, false, std::nullopt, std::nullopt};
  }
  Value y = create<ClampOp>(
      in.value.getType(), {in.value},
      {builder.getNamedAttr("min", builder.getF32FloatAttr(lo)),
       builder.getNamedAttr("max", builder.getF32FloatAttr(hi))});
  setOutput(0, Imported{y, in.nhwc, std::nullopt, std::nullopt});
  return success();
}

/// Add / Mul with NumPy broadcasting. When one side is NHWC, the other is
/// brought to rank 4 and NHWC too (constants permuted at compile time).
LogicalResult Importer::importBinary() {
  FailureOr<Imported *> a = input(0), b = input(1);
  if (failed(a) || failed(b))
    return failure();
  Shape sa = logicalShape(**a), sb = logicalShape(**b);
  // Before opset 7, broadcasting was explicit (`broadcast`, `axis`).
  if (opset < 7 && intAttr("broadcast", 0) != 0 && attr("axis") &&
      sa != sb)
    return fail() << "unsupported legacy broadcasting with an axis (opset "
                  << opset << ")";
  size_t rank = std::max(sa.size(), sb.size());
  Shape out(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i + sa.size() >= rank ? sa[i + sa.size() - rank] : 1;
    int64_t db = i + sb.size() >= rank ? sb[i + sb.size() - rank] : 1;
    if (da != db && da != 1 && db != 1)
      return fail() << "shapes cannot be broadcast";
    out[i] = std::max(da, db);
  }
  bool nhwc = rank == 4 && ((*a)->nhwc || (*b)->nhwc);
  auto operand = [&](Imported &v, const Shape &shape) -> FailureOr<Value> {
    if (!nhwc)
      return logical(v);
    if (v.nhwc)
      return v.value;
    // Rank 4 in ONNX layout first (leading 1s), then NHWC.
    Shape four(4 - shape.size(), 1);
    four.append(shape.begin(), shape.end());
    if (v.constant) {
      Imported reshaped = v;
      reshaped.constant->shape = four;
      if (reshaped.quant && reshaped.quant->axis >= 0)
        reshaped.quant->axis += 4 - shape.size();
      return materialize(reshaped, kToNHWC);
    }
    FailureOr<Value> value = logical(v);
    if (failed(value))
      return failure();
    auto type = cast<RankedTensorType>(value->getType());
    Value r = *value;
    if (shape.size() != 4)
      r = create<ReshapeOp>(type.clone(four), {r});
    return transpose(r, kToNHWC);
  };
  FailureOr<Value> va = operand(**a, sa), vb = operand(**b, sb);
  if (failed(va) || failed(vb))
    return failure();
  Shape resultShape = nhwc ? permute(out, kToNHWC) : out;
  auto resultType = tensorOf(resultShape, builder.getF32Type());
  Value y = node->op_type() == "Add"
                ? create<AddOp>(resultType, {*va, *vb})
                : create<MulOp>(resultType, {*va, *vb});
  setOutput(0, Imported{y, nhwc, std::nullopt, std::nullopt});
  return success();
}

LogicalResult Importer::importPool() {
  Imported lifted;
  bool oneD = false;
  FailureOr<Imported *> x = windowInput("pooling", lifted, oneD);
  if (failed(x))
    return failure();
  Shape shape = logicalShape(**x);
  bool isMax = node->op_type() == "MaxPool";
  if (isMax && node->output_size() > 1 && !node->output(1).empty())
    return fail() << "unsupported Indices output";
  Shape kernel = spatialInts("kernel_shape", {}, oneD, 1);
  Shape strides = spatialInts("strides", {1, 1}, oneD, 1);
  Shape pads = spatialInts("pads", {0, 0, 0, 0}, oneD, 0);
  Shape dilations = spatialInts("dilations", {1, 1}, oneD, 1);
  std::string autoPad = stringAttr("auto_pad", "NOTSET");
  bool ceil = intAttr("ceil_mode", 0) != 0;
  bool countPad = intAttr("count_include_pad", 0) != 0;
  if (kernel.size() != 2 || strides.size() != 2 || pads.size() != 4)
    return fail() << "kernel_shape, strides and pads must describe 2 spatial "
                     "dimensions";
  if (failed(checkWindowAttrs(strides, dilations, pads)))
    return failure();
  if (kernel[0] <= 0 || kernel[1] <= 0)
    return fail() << "kernel_shape entries must be positive";
  if (kernel[0] > (int64_t(1) << 31) || kernel[1] > (int64_t(1) << 31))
    return fail() << "kernel_shape entries must be at most 2^31";
  if (dilations != Shape{1, 1})
    return fail() << "unsupported dilations [" << dilations[0] << ", "
                  << dilations[1] << "] in pooling";
  if (isMax && intAttr("storage_order", 0) != 0)
    return fail() << "unsupported storage_order 1";
  if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    for (int d = 0; d < 2; ++d) {
      int64_t in = shape[2 + d];
      int64_t out = (in + strides[d] - 1) / strides[d];
      int64_t total =
          std::max<int64_t>((out - 1) * strides[d] + kernel[d] - in, 0);
      int64_t small = total / 2;
      pads[d] = autoPad == "SAME_UPPER" ? small : total - small;
      pads[d + 2] = total - pads[d];
    }
  } else if (autoPad == "VALID") {
    pads = {0, 0, 0, 0};
  } else if (autoPad != "NOTSET") {
    return fail() << "unsupported auto_pad '" << autoPad << "'";
  }
  Shape outShape = {shape[0], 0, 0, shape[1]};
  Shape qopsPad = {pads[0], pads[2], pads[1], pads[3]};
  for (int d = 0; d < 2; ++d) {
    int64_t span = shape[2 + d] + pads[d] + pads[d + 2] - kernel[d];
    if (span < 0)
      return fail() << "the kernel does not fit in the padded input";
    int64_t out = ceil ? (span + strides[d] - 1) / strides[d] + 1
                       : span / strides[d] + 1;
    // ceil_mode: the last window must start inside the input or the
    // leading padding.
    if (ceil && (out - 1) * strides[d] >= shape[2 + d] + pads[d])
      --out;
    int64_t extra = (out - 1) * strides[d] + kernel[d] -
                    (shape[2 + d] + pads[d] + pads[d + 2]);
    if (extra > 0) {
      if (countPad && !isMax)
        return fail() << "unsupported ceil_mode with count_include_pad";
      qopsPad[d == 0 ? 1 : 3] += extra;
    }
    outShape[1 + d] = out;
  }
  FailureOr<Value> xv = asNHWC(**x);
  if (failed(xv))
    return failure();
  SmallVector<NamedAttribute> attrs = {
      builder.getNamedAttr("kernel", builder.getDenseI64ArrayAttr(kernel)),
      builder.getNamedAttr("stride", builder.getDenseI64ArrayAttr(strides)),
      builder.getNamedAttr("pad", builder.getDenseI64ArrayAttr(qopsPad))};
  Type element = cast<RankedTensorType>(xv->getType()).getElementType();
  Value y;
  if (isMax) {
    y = create<MaxPool2DOp>(tensorOf(outShape, element), {*xv}, attrs);
  } else {
    if (countPad)
      attrs.push_back(
          builder.getNamedAttr("count_include_pad", builder.getUnitAttr()));
    y = create<AvgPool2DOp>(tensorOf(outShape, element), {*xv}, attrs);
  }
  if (oneD)
    setOutput(0, Imported{lowerFrom2D(y), false, std::nullopt, std::nullopt});
  else
    setOutput(0, Imported{y, true, std::nullopt, std::nullopt});
  return success();
}

LogicalResult Importer::importGlobalAveragePool() {
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  Shape shape = logicalShape(**x);
  if (shape.size() != 4)
    return fail() << "unsupported input of rank " << shape.size()
                  << " (only 4-D NCHW)";
  FailureOr<Value> xv = asNHWC(**x);
  if (failed(xv))
    return failure();
  Value y = create<GlobalAvgPoolOp>(
      tensorOf({shape[0], 1, 1, shape[1]},
               cast<RankedTensorType>(xv->getType()).getElementType()),
      {*xv});
  setOutput(0, Imported{y, true, std::nullopt, std::nullopt});
  return success();
}

/// Gemm: Y = alpha * A' * B' + beta * C. A constant B becomes the weight of
/// a fully_connected (scaled by alpha at compile time); a [N] or scalar C
/// its bias.
LogicalResult Importer::importGemm() {
  FailureOr<Imported *> a = input(0), b = input(1);
  if (failed(a) || failed(b))
    return failure();
  float alpha = floatAttr("alpha", 1.0f), beta = floatAttr("beta", 1.0f);
  bool transA = intAttr("transA", 0) != 0, transB = intAttr("transB", 0) != 0;
  auto scalarF32 = [&](float v) -> Value {
    return arith::ConstantOp::create(
        builder, loc,
        DenseElementsAttr::get(RankedTensorType::get({}, builder.getF32Type()),
                               v));
  };
  // result += beta * C, C broadcast (when it is not folded into a bias).
  auto addScaledC = [&](Value &result) -> LogicalResult {
    FailureOr<Imported *> c = input(2);
    if (failed(c))
      return failure();
    FailureOr<Value> cv = logical(**c);
    if (failed(cv))
      return failure();
    Value cValue = *cv;
    if (beta != 1.0f)
      cValue = create<MulOp>(cValue.getType(), {cValue, scalarF32(beta)});
    result = create<AddOp>(result.getType(), {result, cValue});
    return success();
  };
  FailureOr<Value> av = logical(**a);
  if (failed(av))
    return failure();
  Value aValue = *av;
  if (cast<RankedTensorType>(aValue.getType()).getRank() != 2)
    return fail() << "A must be 2-D";
  if (transA)
    aValue = transpose(aValue, {1, 0});
  Shape aShape(cast<RankedTensorType>(aValue.getType()).getShape());
  int64_t m = aShape[0], k = aShape[1];

  Value result;
  int64_t n;
  if ((*b)->constant) {
    // [N, K] weight for fully_connected.
    Imported w = **b;
    if (w.constant->shape.size() != 2)
      return fail() << "B must be 2-D";
    if (!transB) {
      *w.constant = permuteTensor(*w.constant, {1, 0});
      if (w.quant && w.quant->axis >= 0)
        w.quant->axis = 1 - w.quant->axis;
    }
    if (alpha != 1.0f) {
      if (w.quant)
        return fail() << "unsupported alpha != 1 with a quantized B";
      for (double &v : w.constant->values)
        v *= alpha;
    }
    n = w.constant->shape[0];
    if (w.constant->shape[1] != k)
      return fail() << "A is [" << m << ", " << k << "] but B' is ["
                    << w.constant->shape[1] << ", " << n << "]";
    FailureOr<Value> wv = materialize(w, {});
    if (failed(wv))
      return failure();
    SmallVector<Value> operands = {aValue, *wv};
    bool biasDone = false;
    if (hasInput(2)) {
      FailureOr<Imported *> c = input(2);
      if (failed(c))
        return failure();
      Shape cShape = logicalShape(**c);
      int64_t cSize = 1;
      for (int64_t d : cShape)
        cSize *= d;
      if ((*c)->constant && !(*c)->quant && (cSize == n || cSize == 1) &&
          (cShape.empty() || cShape.back() == cSize)) {
        ConstTensor bias;
        bias.shape = {n};
        for (int64_t i = 0; i < n; ++i)
          bias.values.push_back(beta *
                                (*c)->constant->values[cSize == 1 ? 0 : i]);
        operands.push_back(constantF32(bias));
        biasDone = true;
      } else if ((*c)->quant && beta == 1.0f && cShape == Shape{n}) {
        FailureOr<Value> cv = logical(**c);
        if (failed(cv))
          return failure();
        operands.push_back(*cv);
        biasDone = true;
      }
    }
    result = create<FullyConnectedOp>(tensorOf({m, n}, builder.getF32Type()),
                                      operands);
    if (hasInput(2) && !biasDone && failed(addScaledC(result)))
      return failure();
  } else {
    FailureOr<Value> bv = logical(**b);
    if (failed(bv))
      return failure();
    Value bValue = *bv;
    if (cast<RankedTensorType>(bValue.getType()).getRank() != 2)
      return fail() << "B must be 2-D";
    if (transB)
      bValue = transpose(bValue, {1, 0});
    n = cast<RankedTensorType>(bValue.getType()).getDimSize(1);
    if (cast<RankedTensorType>(bValue.getType()).getDimSize(0) != k)
      return fail() << "A is [" << m << ", " << k << "] but B' is ["
                    << cast<RankedTensorType>(bValue.getType()).getDimSize(0)
                    << ", " << n << "]";
    result = create<MatMulOp>(tensorOf({m, n}, builder.getF32Type()),
                              {aValue, bValue});
    if (alpha != 1.0f)
      result = create<MulOp>(result.getType(), {result, scalarF32(alpha)});
    if (hasInput(2) && failed(addScaledC(result)))
      return failure();
  }
  setOutput(0, Imported{result, false, std::nullopt, std::nullopt});
  return success();
}

/// MatMul, QLinearMatMul and MatMulInteger: 2-D, batched with equal ranks
/// and batch sizes, or a batched A times one 2-D B. qops.matmul is 2-D or
/// 3-D: leading batch dimensions are flattened into one, and a 2-D B shared
/// by every batch makes one 2-D product of the rows of all batches.
LogicalResult Importer::importMatMul(bool quantized, bool integer) {
  int bIndex = quantized && !integer ? 3 : 1;
  FailureOr<Imported *> a = input(0), b = input(bIndex);
  if (failed(a) || failed(b))
    return failure();
  Shape sa = logicalShape(**a), sb = logicalShape(**b);
  bool sharedB = sa.size() > 2 && sb.size() == 2;
  if (sa.size() < 2 || sb.size() < 2 || (sb.size() != sa.size() && !sharedB))
    return fail() << "unsupported operand ranks " << sa.size() << " and "
                  << sb.size()
                  << " (2-D, batched with equal ranks and batch sizes, or a "
                     "batched A times a 2-D B)";
  if (!sharedB &&
      !std::equal(sa.begin(), sa.end() - 2, sb.begin(), sb.end() - 2))
    return fail() << "unsupported batch broadcasting";
  if (sa.back() != sb[sb.size() - 2])
    return fail() << "inner dimensions differ (" << sa.back() << " and "
                  << sb[sb.size() - 2] << ")";
  Shape outShape(sa.begin(), sa.end() - 1);
  outShape.push_back(sb.back());

  // The shapes of the qops.matmul operands and result.
  int64_t batch = 1;
  for (size_t d = 0; d + 2 < sa.size(); ++d)
    batch *= sa[d];
  int64_t m = sa[sa.size() - 2], k = sa.back(), n = sb.back();
  Shape opA = sa, opB = sb, opOut = outShape;
  if (sharedB) {
    opA = {batch * m, k};
    opOut = {batch * m, n};
  } else if (sa.size() > 3) {
    opA = {batch, m, k};
    opB = {batch, k, n};
    opOut = {batch, m, n};
  }
  auto reshaped = [&](Value v, const Shape &shape) -> Value {
    auto type = cast<RankedTensorType>(v.getType());
    if (type.getShape() == ArrayRef<int64_t>(shape))
      return v;
    return create<ReshapeOp>(tensorOf(shape, type.getElementType()), {v});
  };

  if (!quantized) {
    FailureOr<Value> va = logical(**a), vb = logical(**b);
    if (failed(va) || failed(vb))
      return failure();
    Value y = create<MatMulOp>(tensorOf(opOut, builder.getF32Type()),
                               {reshaped(*va, opA), reshaped(*vb, opB)});
    setOutput(0, Imported{reshaped(y, outShape), false, std::nullopt,
                          std::nullopt});
    return success();
  }

  // Integer operands: values typed by their consumer, or constants; `shape`
  // is the operand's shape in the qops.matmul.
  auto operand = [&](Imported &v, int scale, int zp, int64_t axis,
                     int dataIndex, const Shape &shape) -> FailureOr<Value> {
    int32_t dtype = onnx::TensorProto::UINT8;
    if (v.constant)
      dtype = v.constant->dtype;
    FailureOr<QParams> q = readQParams(scale, zp, axis, dtype);
    if (failed(q) || failed(checkAxis(*q, logicalShape(v))))
      return failure();
    // A per-axis operand is quantized along its last dimension, which stays
    // the last one in the qops.matmul.
    QParams opQ = *q;
    if (opQ.axis >= 0)
      opQ.axis = shape.size() - 1;
    FailureOr<quant::QuantizedType> type = quantType(opQ, shape.size(), {});
    if (failed(type))
      return failure();
    if (v.constant) {
      ConstTensor flat = dequantized(*v.constant, *q);
      flat.shape = shape;
      Value f = constantF32(flat);
      return create<QuantizeOp>(cast<RankedTensorType>(f.getType()).clone(*type),
                                {f});
    }
    FailureOr<Value> value = logical(v);
    if (failed(value))
      return failure();
    Type element = cast<RankedTensorType>(value->getType()).getElementType();
    FailureOr<quant::QuantizedType> expected =
        quantType(*q, logicalShape(v).size(), {});
    if (failed(expected))
      return failure();
    if (element != *expected)
      return fail() << "unsupported: input #" << dataIndex << " has type "
                    << element << " but the node quantizes it as "
                    << *expected;
    if (element == *type &&
        cast<RankedTensorType>(value->getType()).getShape() ==
            ArrayRef<int64_t>(shape))
      return *value;
    return create<ReshapeOp>(tensorOf(shape, *type), {*value});
  };
  int64_t bAxis = sb.size() - 1;
  FailureOr<Value> va = integer ? operand(**a, -1, 2, 1, 0, opA)
                                : operand(**a, 1, 2, 1, 0, opA);
  FailureOr<Value> vb = integer ? operand(**b, -1, 3, bAxis, 1, opB)
                                : operand(**b, 4, 5, bAxis, 3, opB);
  if (failed(va) || failed(vb))
    return failure();
  QParams yq;
  if (integer) {
    yq.dtype = onnx::TensorProto::INT32;
    yq.scales = {1.0};
    yq.zeroPoints = {0};
  } else {
    FailureOr<QParams> q = readQParams(6, 7, 1, onnx::TensorProto::UINT8);
    if (failed(q))
      return failure();
    yq = *q;
  }
  FailureOr<quant::QuantizedType> yType = quantType(yq, opOut.size(), {});
  if (failed(yType))
    return failure();
  Value y = create<MatMulOp>(tensorOf(opOut, *yType), {*va, *vb});
  setOutput(0, Imported{reshaped(y, outShape), false, std::nullopt,
                        std::nullopt});
  return success();
}

LogicalResult Importer::importFlatten() {
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  Shape shape = logicalShape(**x);
  int64_t axis = intAttr("axis", 1);
  if (axis < 0)
    axis += shape.size();
  if (axis < 0 || axis > static_cast<int64_t>(shape.size()))
    return fail() << "axis " << intAttr("axis", 1) << " is out of range";
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < static_cast<int64_t>(shape.size()); ++d)
    (d < axis ? outer : inner) *= shape[d];
  // NHWC with a 1x1 spatial extent flattens in the same order as NCHW.
  Value v;
  if ((*x)->nhwc && shape[2] == 1 && shape[3] == 1) {
    v = (*x)->value;
  } else {
    FailureOr<Value> lv = logical(**x);
    if (failed(lv))
      return failure();
    v = *lv;
  }
  auto type = cast<RankedTensorType>(v.getType());
  Value y = create<ReshapeOp>(type.clone(Shape{outer, inner}), {v});
  setOutput(0, Imported{y, false, std::nullopt, std::nullopt});
  return success();
}

LogicalResult Importer::importReshape() {
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  FailureOr<ConstTensor> target = failure();
  if (opset < 5) {
    ConstTensor t;
    for (int64_t d : intsAttr("shape", {}))
      t.values.push_back(d);
    target = t;
  } else {
    target = constantInput(1, "shape");
  }
  if (failed(target))
    return failure();
  Shape shape = logicalShape(**x);
  int64_t total = 1;
  for (int64_t d : shape)
    total *= d;
  bool allowZero = intAttr("allowzero", 0) != 0;
  Shape out;
  int64_t known = 1, inferred = -1;
  for (auto [i, d] : llvm::enumerate(target->values)) {
    // No entry can exceed the element count (checked in 64 bits below);
    // this bound keeps the conversion from double defined.
    if (d > static_cast<double>(int64_t(1) << 62))
      return fail() << "shape entry " << i << " is larger than the "
                    << total << " elements of the input";
    int64_t dim = static_cast<int64_t>(d);
    if (dim == 0 && !allowZero) {
      if (i >= shape.size())
        return fail() << "shape entry " << i << " copies a missing dimension";
      dim = shape[i];
    }
    if (dim == -1) {
      if (inferred >= 0)
        return fail() << "shape has more than one -1";
      inferred = i;
      out.push_back(1);
      continue;
    }
    if (dim <= 0)
      return fail() << "unsupported shape entry " << dim;
    // Without overflow: the product of the entries so far must stay
    // within the input's element count.
    if (known > total / dim)
      return fail() << "cannot reshape " << total
                    << " elements: the shape's entries up to #" << i
                    << " already hold more";
    known *= dim;
    out.push_back(dim);
  }
  if (inferred >= 0) {
    if (known == 0 || total % known != 0)
      return fail() << "cannot infer the -1 dimension";
    out[inferred] = total / known;
    known *= out[inferred];
  }
  if (known != total)
    return fail() << "cannot reshape " << total << " elements into " << known;
  Value v;
  if ((*x)->nhwc && shape[2] == 1 && shape[3] == 1 && out.size() <= 2) {
    v = (*x)->value;
  } else {
    FailureOr<Value> lv = logical(**x);
    if (failed(lv))
      return failure();
    v = *lv;
  }
  auto type = cast<RankedTensorType>(v.getType());
  if (isa<quant::UniformQuantizedPerAxisType>(type.getElementType()))
    return fail() << "unsupported reshape of a per-axis quantized tensor";
  Value y = create<ReshapeOp>(type.clone(out), {v});
  setOutput(0, Imported{y, false, std::nullopt, std::nullopt});
  return success();
}

LogicalResult Importer::importConcat() {
  SmallVector<Imported *> inputs;
  for (int i = 0; i < node->input_size(); ++i) {
    FailureOr<Imported *> v = input(i);
    if (failed(v))
      return failure();
    inputs.push_back(*v);
  }
  if (inputs.empty())
    return fail() << "has no inputs";
  int64_t rank = logicalShape(*inputs[0]).size();
  int64_t axis = intAttr("axis", 1);
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    return fail() << "axis " << intAttr("axis", 1) << " is out of range";
  bool nhwc = rank == 4 && llvm::all_of(inputs, [](Imported *v) {
                return v->nhwc || v->constant;
              }) && llvm::any_of(inputs, [](Imported *v) { return v->nhwc; });
  SmallVector<Value> operands;
  Shape out = logicalShape(*inputs[0]);
  out[axis] = 0;
  for (Imported *v : inputs) {
    Shape s = logicalShape(*v);
    if (static_cast<int64_t>(s.size()) != rank)
      return fail() << "inputs have different ranks";
    out[axis] += s[axis];
    FailureOr<Value> value = nhwc ? asNHWC(*v) : logical(*v);
    if (failed(value))
      return failure();
    operands.push_back(*value);
  }
  int64_t storedAxis = nhwc ? std::find(std::begin(kToNHWC),
                                        std::end(kToNHWC), axis) -
                                  std::begin(kToNHWC)
                            : axis;
  Shape stored = nhwc ? permute(out, kToNHWC) : out;
  Type element = cast<RankedTensorType>(operands[0].getType()).getElementType();
  Value y = create<ConcatOp>(
      tensorOf(stored, element), operands,
      {builder.getNamedAttr("axis", builder.getI64IntegerAttr(storedAxis))});
  setOutput(0, Imported{y, nhwc, std::nullopt, std::nullopt});
  return success();
}

LogicalResult Importer::importSoftmax() {
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  Shape shape = logicalShape(**x);
  int64_t rank = shape.size();
  int64_t axis = intAttr("axis", opset < 13 ? 1 : -1);
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    return fail() << "axis " << intAttr("axis", -1) << " is out of range";
  // Before opset 13 the input is coerced to 2-D at `axis`: the same as a
  // single-axis softmax only when `axis` is the last dimension.
  if (opset < 13 && axis != rank - 1)
    return fail() << "unsupported opset-" << opset << " Softmax over axis "
                  << axis << " of a rank-" << rank
                  << " input (flattened coercion)";
  FailureOr<Value> v = logical(**x);
  if (failed(v))
    return failure();
  Value y = create<SoftmaxOp>(
      v->getType(), {*v},
      {builder.getNamedAttr("axis", builder.getI64IntegerAttr(axis))});
  setOutput(0, Imported{y, false, std::nullopt, std::nullopt});
  return success();
}

LogicalResult Importer::importPad() {
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  std::string mode = stringAttr("mode", "constant");
  if (mode != "constant")
    return fail() << "unsupported mode '" << mode << "' (only constant)";
  Shape shape = logicalShape(**x);
  int64_t rank = shape.size();
  Shape pads;
  float value = 0.0f;
  if (opset < 11) {
    if (attr("paddings"))
      return fail() << "unsupported opset-1 Pad (paddings attribute)";
    pads = intsAttr("pads", {});
    value = floatAttr("value", 0.0f);
  } else {
    FailureOr<ConstTensor> p = constantInput(1, "pads");
    if (failed(p))
      return failure();
    for (double d : p->values)
      pads.push_back(static_cast<int64_t>(d));
    if (hasInput(2)) {
      FailureOr<ConstTensor> c = constantInput(2, "constant_value");
      if (failed(c))
        return failure();
      if (c->size() != 1)
        return fail() << "constant_value must be a scalar";
      value = c->values[0];
    }
    if (hasInput(3))
      return fail() << "unsupported axes input";
  }
  if (static_cast<int64_t>(pads.size()) != 2 * rank)
    return fail() << "pads has " << pads.size() << " entries, expected "
                  << 2 * rank;
  for (int64_t p : pads)
    if (p < 0)
      return fail() << "unsupported negative pad " << p;
  bool nhwc = (*x)->nhwc;
  FailureOr<Value> v = nhwc ? FailureOr<Value>((*x)->value) : logical(**x);
  if (failed(v))
    return failure();
  // qops: [d0_lo, d0_hi, d1_lo, ...] in stored order.
  Shape qopsPad, outShape;
  for (int64_t i = 0; i < rank; ++i) {
    int64_t d = nhwc ? kToNHWC[i] : i;
    qopsPad.push_back(pads[d]);
    qopsPad.push_back(pads[d + rank]);
    outShape.push_back(shape[d] + pads[d] + pads[d + rank]);
  }
  SmallVector<NamedAttribute> attrs = {
      builder.getNamedAttr("pad", builder.getDenseI64ArrayAttr(qopsPad))};
  if (value != 0.0f)
    attrs.push_back(
        builder.getNamedAttr("value", builder.getF32FloatAttr(value)));
  Value y = create<PadOp>(
      cast<RankedTensorType>(v->getType()).clone(outShape), {*v}, attrs);
  setOutput(0, Imported{y, nhwc, std::nullopt, std::nullopt});
  return success();
}

LogicalResult Importer::importTranspose() {
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  int64_t rank = logicalShape(**x).size();
  Shape defaultPerm;
  for (int64_t i = rank - 1; i >= 0; --i)
    defaultPerm.push_back(i);
  Shape perm = intsAttr("perm", defaultPerm);
  if (static_cast<int64_t>(perm.size()) != rank)
    return fail() << "perm has " << perm.size() << " entries for rank "
                  << rank;
  Shape sorted(perm);
  llvm::sort(sorted);
  for (int64_t i = 0; i < rank; ++i)
    if (sorted[i] != i)
      return fail() << "perm is not a permutation of 0.." << rank - 1;
  Value y;
  if ((*x)->nhwc) {
    // Logical dimension d is stored at kToNCHW[d].
    Shape stored;
    for (int64_t p : perm)
      stored.push_back(kToNCHW[p]);
    y = transpose((*x)->value, stored);
  } else {
    FailureOr<Value> v = logical(**x);
    if (failed(v))
      return failure();
    y = transpose(*v, perm);
  }
  setOutput(0, Imported{y, false, std::nullopt, std::nullopt});
  return success();
}

LogicalResult Importer::importConstant() {
  const onnx::AttributeProto *value = attr("value");
  ConstTensor t;
  if (value && value->has_t()) {
    FailureOr<ConstTensor> r = readTensor(value->t(), "Constant value");
    if (failed(r))
      return failure();
    t = *r;
  } else if (const onnx::AttributeProto *f = attr("value_float")) {
    t.values = {f->f()};
  } else if (const onnx::AttributeProto *fs = attr("value_floats")) {
    t.shape = {fs->floats_size()};
    t.values.assign(fs->floats().begin(), fs->floats().end());
  } else if (const onnx::AttributeProto *i = attr("value_int")) {
    t.values = {static_cast<double>(i->i())};
    t.dtype = onnx::TensorProto::INT64;
  } else if (const onnx::AttributeProto *is = attr("value_ints")) {
    t.shape = {is->ints_size()};
    t.values.assign(is->ints().begin(), is->ints().end());
    t.dtype = onnx::TensorProto::INT64;
  } else {
    return fail() << "unsupported Constant attribute (value, value_float(s) "
                     "and value_int(s) are supported)";
  }
  Imported out;
  out.constant = t;
  setOutput(0, out);
  return success();
}

LogicalResult Importer::importQuantizeLinear() {
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  Shape shape = logicalShape(**x);
  int64_t axis = intAttr("axis", 1);
  if (axis < 0)
    axis += shape.size();
  FailureOr<QParams> q = readQParams(1, 2, axis, onnx::TensorProto::UINT8);
  if (failed(q) || failed(checkAxis(*q, shape)))
    return failure();
  if (q->dtype != onnx::TensorProto::UINT8 &&
      q->dtype != onnx::TensorProto::INT8)
    return fail() << "unsupported output type " << dtypeName(q->dtype)
                  << " (uint8 or int8)";
  bool nhwc = (*x)->nhwc;
  FailureOr<Value> v = nhwc ? FailureOr<Value>((*x)->value) : logical(**x);
  if (failed(v))
    return failure();
  FailureOr<quant::QuantizedType> type =
      quantType(*q, shape.size(), nhwc ? ArrayRef<int64_t>(kToNHWC)
                                       : ArrayRef<int64_t>());
  if (failed(type))
    return failure();
  Value y = create<QuantizeOp>(
      cast<RankedTensorType>(v->getType()).clone(*type), {*v});
  setOutput(0, Imported{y, nhwc, std::nullopt, std::nullopt});
  return success();
}

LogicalResult Importer::importDequantizeLinear() {
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  Shape shape = logicalShape(**x);
  int64_t axis = intAttr("axis", 1);
  if (axis < 0)
    axis += shape.size();
  if ((*x)->constant) {
    // A quantized initializer: kept as data with its parameters.
    FailureOr<QParams> q =
        readQParams(1, 2, axis, (*x)->constant->dtype);
    if (failed(q))
      return failure();
    if (q->dtype != (*x)->constant->dtype)
      return fail() << "the data is " << dtypeName((*x)->constant->dtype)
                    << " but the zero point is " << dtypeName(q->dtype);
    if (failed(checkAxis(*q, shape)))
      return failure();
    Imported out;
    out.constant = dequantized(*(*x)->constant, *q);
    out.quant = *q;
    setOutput(0, out);
    return success();
  }
  Value v = (*x)->value;
  auto type = cast<RankedTensorType>(v.getType());
  auto qtype = dyn_cast<quant::QuantizedType>(type.getElementType());
  if (!qtype)
    return fail() << "input #0 is not quantized";
  int32_t storage = qtype.getStorageTypeIntegralWidth() == 32
                        ? onnx::TensorProto::INT32
                    : qtype.isSigned() ? onnx::TensorProto::INT8
                                       : onnx::TensorProto::UINT8;
  FailureOr<QParams> q = readQParams(1, 2, axis, storage);
  if (failed(q) || failed(checkAxis(*q, shape)))
    return failure();
  FailureOr<quant::QuantizedType> expected = quantType(
      *q, shape.size(),
      (*x)->nhwc ? ArrayRef<int64_t>(kToNHWC) : ArrayRef<int64_t>());
  if (failed(expected))
    return failure();
  if (*expected != qtype)
    return fail() << "unsupported: input #0 has type " << qtype
                  << " but the node dequantizes it as " << *expected;
  Value y = create<DequantizeOp>(type.clone(builder.getF32Type()), {v});
  setOutput(0, Imported{y, (*x)->nhwc, std::nullopt, std::nullopt});
  return success();
}

} // namespace

OwningOpRef<ModuleOp>
mlir::qops::importONNXModel(StringRef path, MLIRContext *context,
                            const ONNXImportOptions &options) {
  context->loadDialect<QOpsDialect, arith::ArithDialect, func::FuncDialect,
                       quant::QuantDialect>();
  Importer importer(context, path, options);
  return importer.run();
}

OwningOpRef<ModuleOp> mlir::qops::importONNXModelFromBytes(
    StringRef bytes, StringRef path, MLIRContext *context,
    const ONNXImportOptions &options) {
  context->loadDialect<QOpsDialect, arith::ArithDialect, func::FuncDialect,
                       quant::QuantDialect>();
  Importer importer(context, path, options);
  return importer.run(bytes);
}
