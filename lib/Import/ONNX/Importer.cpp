//===- Importer.cpp - ONNX models to qops: values and dispatch ------------===//
//
// The importer's shared layer: layout helpers for constants, the values of
// the graph (constants materialized on use, NHWC activations), quantization
// parameters, and the op-type table that sends each node to its converter.
// The model file and the converters live in the other files of this
// directory (see Importer.h).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::qops;

namespace mlir::qops::onnx_import {

//===----------------------------------------------------------------------===//
// Constants and layouts
//===----------------------------------------------------------------------===//

Shape permute(ArrayRef<int64_t> shape, ArrayRef<int64_t> perm) {
  Shape result;
  for (int64_t p : perm)
    result.push_back(shape[p]);
  return result;
}

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

FailureOr<Value> Importer::forReshape(Imported &v, bool keepVector) {
  Shape shape = logicalShape(v);
  if (keepVector && v.nhwc && shape[2] == 1 && shape[3] == 1)
    return v.value;
  return logical(v);
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
// Quantization parameters
//===----------------------------------------------------------------------===//

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

//===----------------------------------------------------------------------===//
// Dispatch
//===----------------------------------------------------------------------===//

static const ConverterTable &converters() {
  static const ConverterTable table = [] {
    ConverterTable t;
    addConvPoolConverters(t);
    addConvTransposeConverters(t);
    addResizeConverters(t);
    addNormalizationConverters(t);
    addGroupNormConverters(t);
    addElementWiseConverters(t);
    addMatMulConverters(t);
    addShapeConverters(t);
    addSliceConverters(t);
    addReduceConverters(t);
    addConstantFoldingConverters(t);
    addQuantizedConverters(t);
    addTransformerConverters(t);
    return t;
  }();
  return table;
}

LogicalResult Importer::importNode() {
  StringRef op = node->op_type();
  auto it = converters().find(op);
  if (it == converters().end())
    return fail() << "unsupported op type '" << op << "'";
  return it->second(*this);
}

} // namespace mlir::qops::onnx_import

OwningOpRef<ModuleOp>
mlir::qops::importONNXModel(StringRef path, MLIRContext *context,
                            const ONNXImportOptions &options) {
  context->loadDialect<QOpsDialect, arith::ArithDialect, func::FuncDialect,
                       quant::QuantDialect>();
  onnx_import::Importer importer(context, path, options);
  return importer.run();
}

OwningOpRef<ModuleOp> mlir::qops::importONNXModelFromBytes(
    StringRef bytes, StringRef path, MLIRContext *context,
    const ONNXImportOptions &options) {
  context->loadDialect<QOpsDialect, arith::ArithDialect, func::FuncDialect,
                       quant::QuantDialect>();
  onnx_import::Importer importer(context, path, options);
  return importer.run(bytes);
}
