//===- ConstantFolding.cpp - Constants and shape sub-graphs ---------------===//
//
// Constant, and the sub-graphs exporters emit to compute shapes
// (torch.onnx.export's flatten / chunk / reshape(x.size(0), -1) chains):
// Shape (of any tensor with a static shape), Cast, ConstantOfShape, Range,
// Expand, Gather, Equal, Where (ViT's class-token Expand shape) and
// Add / Sub / Mul / Div, folded at import whenever all
// their inputs are constants, so that Reshape, Slice and Split see constant
// operands. The values are computed in the ONNX data type they carry (f32
// rounding for float, truncation and two's-complement wrap-around for
// integers, as numpy's astype); run-time operands of the ops that only fold
// are located errors.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qops;

namespace mlir::qops::onnx_import {

namespace {

int64_t numElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

/// The largest constant computed at import (a shape sub-graph's values are
/// few; a folded tensor is held as doubles, 128 MiB at this bound, so that a
/// tiny model cannot ask for gigabytes).
constexpr uint64_t kMaxFoldedElements = uint64_t(1) << 24;

bool isIntegerType(int32_t dtype) {
  switch (dtype) {
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT16:
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::UINT32:
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::UINT64:
  case onnx::TensorProto::INT64:
  case onnx::TensorProto::BOOL:
    return true;
  default:
    return false;
  }
}

/// Whether the folder computes in `dtype`.
bool isFoldableType(int32_t dtype) {
  return isIntegerType(dtype) || dtype == onnx::TensorProto::FLOAT ||
         dtype == onnx::TensorProto::DOUBLE;
}

/// `v` converted to `dtype` as ONNX Cast (numpy astype) does: floats round
/// to f32 (or stay double), integers truncate toward zero and wrap around;
/// nothing for a value no integer type holds (NaN, beyond 2^63).
std::optional<double> convertTo(double v, int32_t dtype) {
  if (dtype == onnx::TensorProto::FLOAT)
    return static_cast<double>(static_cast<float>(v));
  if (dtype == onnx::TensorProto::DOUBLE)
    return v;
  if (dtype == onnx::TensorProto::BOOL)
    return v != 0 ? 1.0 : 0.0;
  if (std::isnan(v) || v >= 0x1p63 || v < -0x1p63)
    return std::nullopt;
  int64_t i = static_cast<int64_t>(std::trunc(v));
  switch (dtype) {
  case onnx::TensorProto::UINT8: return static_cast<uint8_t>(i);
  case onnx::TensorProto::INT8: return static_cast<int8_t>(i);
  case onnx::TensorProto::UINT16: return static_cast<uint16_t>(i);
  case onnx::TensorProto::INT16: return static_cast<int16_t>(i);
  case onnx::TensorProto::UINT32: return static_cast<uint32_t>(i);
  case onnx::TensorProto::INT32: return static_cast<int32_t>(i);
  case onnx::TensorProto::UINT64: return static_cast<double>(
      static_cast<uint64_t>(i));
  default: return static_cast<double>(i);
  }
}

/// For each element of a tensor of shape `out`, the linear index of the
/// element of a tensor of shape `in` broadcast to it (NumPy rules).
std::vector<int64_t> broadcastIndices(ArrayRef<int64_t> in,
                                      ArrayRef<int64_t> out) {
  int64_t rank = out.size(), offset = rank - in.size();
  Shape strides(rank, 0);
  int64_t stride = 1;
  for (int64_t d = rank - 1; d >= offset; --d) {
    strides[d] = in[d - offset] == 1 ? 0 : stride;
    stride *= in[d - offset];
  }
  std::vector<int64_t> indices(numElements(out));
  Shape index(rank, 0);
  for (int64_t &linear : indices) {
    linear = 0;
    for (int64_t d = 0; d < rank; ++d)
      linear += index[d] * strides[d];
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < out[d])
        break;
      index[d] = 0;
    }
  }
  return indices;
}

/// The NumPy broadcast of two shapes; nothing when they do not broadcast.
std::optional<Shape> broadcastShapes(ArrayRef<int64_t> a,
                                     ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  Shape out(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i + a.size() >= rank ? a[i + a.size() - rank] : 1;
    int64_t db = i + b.size() >= rank ? b[i + b.size() - rank] : 1;
    if (da != db && da != 1 && db != 1)
      return std::nullopt;
    out[i] = da == 1 ? db : da;
  }
  return out;
}


} // namespace

std::string shapeText(ArrayRef<int64_t> shape) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "[";
  llvm::interleaveComma(shape, os);
  os << "]";
  return s;
}

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

FailureOr<Shape> Importer::intsInput(int i, StringRef what) {
  FailureOr<ConstTensor> t = constantInput(i, what);
  if (failed(t))
    return failure();
  if (!isIntegerType(t->dtype))
    return fail() << what << " (input #" << i << ") must be an integer "
                  << "tensor, not " << dtypeName(t->dtype);
  constexpr double kBound = static_cast<double>(int64_t(1) << 62);
  Shape values;
  for (double v : t->values)
    values.push_back(static_cast<int64_t>(std::clamp(v, -kBound, kBound)));
  return values;
}

LogicalResult Importer::checkFoldedSize(ArrayRef<int64_t> shape,
                                        StringRef what) {
  uint64_t count = 1;
  for (int64_t d : shape) {
    if (d < 0)
      return fail() << what << " would have a negative dimension " << d;
    if (d != 0 && count > kMaxFoldedElements / static_cast<uint64_t>(d))
      return fail() << what << " " << shapeText(shape)
                    << " would have more than the " << kMaxFoldedElements
                    << " elements folded at import";
    count *= d;
  }
  return success();
}

FailureOr<Value> Importer::integerConstant(StringRef name,
                                          const ConstTensor &t) {
  unsigned width = 0;
  switch (t.dtype) {
  case onnx::TensorProto::INT8: width = 8; break;
  case onnx::TensorProto::INT16: width = 16; break;
  case onnx::TensorProto::INT32: width = 32; break;
  case onnx::TensorProto::INT64: width = 64; break;
  default:
    return fail() << "graph output '" << name << "' is a constant of type "
                  << dtypeName(t.dtype)
                  << " (unsupported: constant outputs are float or signed "
                     "integers)";
  }
  auto type = RankedTensorType::get(t.shape, builder.getIntegerType(width));
  SmallVector<APInt> ints;
  for (double v : t.values)
    ints.push_back(APInt(width, static_cast<int64_t>(v), /*isSigned=*/true));
  return arith::ConstantOp::create(builder, loc,
                                   DenseElementsAttr::get(type, ints))
      .getResult();
}

FailureOr<Shape> Importer::normalizeAxes(ArrayRef<int64_t> axes,
                                         int64_t rank) {
  Shape result;
  for (int64_t a : axes) {
    int64_t axis = a < 0 ? a + rank : a;
    if (axis < 0 || axis >= rank)
      return fail() << "axis " << a << " is out of range for rank " << rank;
    if (llvm::is_contained(result, axis))
      return fail() << "axis " << a << " is listed twice";
    result.push_back(axis);
  }
  return result;
}

//===----------------------------------------------------------------------===//
// Converters
//===----------------------------------------------------------------------===//

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

/// Shape (opset 15 adds start / end): the static ONNX shape of any tensor.
LogicalResult Importer::importShape() {
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  Shape shape = logicalShape(**x);
  int64_t rank = shape.size();
  auto bound = [&](int64_t v) {
    return std::clamp<int64_t>(v < 0 ? v + rank : v, 0, rank);
  };
  int64_t start = bound(intAttr("start", 0)), end = bound(intAttr("end", rank));
  ConstTensor t;
  t.dtype = onnx::TensorProto::INT64;
  for (int64_t d = start; d < end; ++d)
    t.values.push_back(shape[d]);
  t.shape = {static_cast<int64_t>(t.values.size())};
  setConstantOutput(0, std::move(t));
  return success();
}

/// Cast of a constant to any integer type, float or double; of a run-time
/// f32 tensor to float (the identity).
LogicalResult Importer::importCast() {
  const onnx::AttributeProto *to = attr("to");
  if (!to)
    return fail() << "has no 'to' attribute";
  int32_t dtype = static_cast<int32_t>(to->i());
  if (!isFoldableType(dtype))
    return fail() << "unsupported Cast to " << dtypeName(dtype);
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  if (!(*x)->constant) {
    Type element = elementType(**x);
    if (dtype == onnx::TensorProto::FLOAT && element.isF32()) {
      setOutput(0, **x);
      return success();
    }
    // An 8-bit integer (graph input) with scale 1 and zero point 0: its
    // float values are the dequantized ones.
    auto q = dyn_cast<quant::UniformQuantizedType>(element);
    if (dtype == onnx::TensorProto::FLOAT && q && q.getScale() == 1.0 &&
        q.getZeroPoint() == 0 && q.getStorageTypeIntegralWidth() == 8) {
      FailureOr<Value> v = logical(**x);
      if (failed(v))
        return failure();
      auto type = cast<RankedTensorType>(v->getType());
      Imported out;
      out.value =
          create<DequantizeOp>(type.clone(builder.getF32Type()), {*v});
      // A float image goes NHWC, as a float graph input does.
      if (type.getRank() == 4) {
        out.value = transpose(out.value, kToNHWC);
        out.nhwc = true;
      }
      setOutput(0, out);
      return success();
    }
    return fail() << "unsupported Cast of a run-time " << element
                  << " tensor to " << dtypeName(dtype)
                  << " (run-time casts: float to float, and a uint8 / int8 "
                     "graph input to float)";
  }
  // A dequantized initializer holds its real values: cast as floats.
  ConstTensor t = *(*x)->constant;
  for (double &v : t.values) {
    std::optional<double> c = convertTo(v, dtype);
    if (!c)
      return fail() << "cannot cast " << v << " to " << dtypeName(dtype);
    v = *c;
  }
  t.dtype = dtype;
  setConstantOutput(0, std::move(t));
  return success();
}

/// ConstantOfShape: a constant shape filled with `value` (float 0 by
/// default).
LogicalResult Importer::importConstantOfShape() {
  FailureOr<Shape> shape = intsInput(0, "shape");
  if (failed(shape))
    return failure();
  if (failed(checkFoldedSize(*shape, "the result")))
    return failure();
  ConstTensor t;
  double fill = 0;
  if (const onnx::AttributeProto *value = attr("value")) {
    FailureOr<ConstTensor> v = readTensor(value->t(), "ConstantOfShape value");
    if (failed(v))
      return failure();
    if (v->size() != 1)
      return fail() << "value must hold one element, not " << v->size();
    fill = v->values[0];
    t.dtype = v->dtype;
  }
  t.shape = *shape;
  t.values.assign(numElements(*shape), fill);
  setConstantOutput(0, std::move(t));
  return success();
}

/// Range(start, limit, delta) of constant scalars.
LogicalResult Importer::importRange() {
  double operands[3];
  int32_t dtype = onnx::TensorProto::FLOAT;
  const char *names[3] = {"start", "limit", "delta"};
  for (int i = 0; i < 3; ++i) {
    FailureOr<ConstTensor> t = constantInput(i, names[i]);
    if (failed(t))
      return failure();
    if (t->size() != 1)
      return fail() << names[i] << " must be a scalar, not a tensor of "
                    << t->size() << " elements";
    if (i > 0 && t->dtype != dtype)
      return fail() << "start, limit and delta have different data types ("
                    << dtypeName(dtype) << " and " << dtypeName(t->dtype)
                    << ")";
    operands[i] = t->values[0];
    dtype = t->dtype;
  }
  auto [start, limit, delta] = operands;
  if (delta == 0)
    return fail() << "delta must not be 0";
  double count = std::max(std::ceil((limit - start) / delta), 0.0);
  if (count > static_cast<double>(kMaxFoldedElements))
    return fail() << "the result would have " << count
                  << " elements, more than the " << kMaxFoldedElements
                  << " folded at import";
  ConstTensor t;
  t.dtype = dtype;
  t.shape = {static_cast<int64_t>(count)};
  for (int64_t i = 0; i < t.shape[0]; ++i) {
    std::optional<double> v = convertTo(start + i * delta, dtype);
    if (!v)
      return fail() << "element " << i << " (" << start + i * delta
                    << ") does not fit " << dtypeName(dtype);
    t.values.push_back(*v);
  }
  setConstantOutput(0, std::move(t));
  return success();
}

/// Expand of a constant: broadcast to the constant shape (bidirectional,
/// as NumPy).
LogicalResult Importer::importExpand() {
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  if (!isPlainConstant(**x))
    return fail() << "unsupported Expand of a run-time tensor (only "
                     "constants are expanded, at import)";
  FailureOr<Shape> shape = intsInput(1, "shape");
  if (failed(shape))
    return failure();
  const ConstTensor &data = *(*x)->constant;
  std::optional<Shape> out = broadcastShapes(data.shape, *shape);
  if (!out)
    return fail() << "cannot broadcast " << shapeText(data.shape) << " to "
                  << shapeText(*shape);
  if (failed(checkFoldedSize(*out, "the result")))
    return failure();
  ConstTensor t;
  t.dtype = data.dtype;
  t.shape = *out;
  for (int64_t i : broadcastIndices(data.shape, *out))
    t.values.push_back(data.values[i]);
  setConstantOutput(0, std::move(t));
  return success();
}

/// Gather of a plain constant along any axis, with constant (possibly
/// negative) indices (importGatherNode sends the other Gathers to
/// qops.gather or a slice).
LogicalResult Importer::importGather() {
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  const ConstTensor &data = *(*x)->constant;
  int64_t rank = data.shape.size();
  if (rank == 0)
    return fail() << "the data must have rank 1 or more";
  FailureOr<Shape> axis = normalizeAxes({intAttr("axis", 0)}, rank);
  if (failed(axis))
    return failure();
  int64_t a = axis->front();
  FailureOr<Shape> indices = intsInput(1, "indices");
  if (failed(indices))
    return failure();
  FailureOr<ConstTensor> indexTensor = constantInput(1, "indices");
  int64_t dim = data.shape[a];
  for (int64_t &i : *indices) {
    if (i < -dim || i >= dim)
      return fail() << "index " << i << " is out of range for dimension "
                    << a << " of size " << dim;
    if (i < 0)
      i += dim;
  }
  ConstTensor t;
  t.dtype = data.dtype;
  t.shape.assign(data.shape.begin(), data.shape.begin() + a);
  t.shape.append(indexTensor->shape.begin(), indexTensor->shape.end());
  t.shape.append(data.shape.begin() + a + 1, data.shape.end());
  if (failed(checkFoldedSize(t.shape, "the result")))
    return failure();
  int64_t outer = numElements(ArrayRef<int64_t>(data.shape).take_front(a));
  int64_t inner = numElements(ArrayRef<int64_t>(data.shape).drop_front(a + 1));
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i : *indices)
      for (int64_t j = 0; j < inner; ++j)
        t.values.push_back(data.values[(o * dim + i) * inner + j]);
  setConstantOutput(0, std::move(t));
  return success();
}

/// Equal of two constants (NumPy broadcasting): a bool tensor.
LogicalResult Importer::importEqual() {
  FailureOr<Imported *> a = input(0), b = input(1);
  if (failed(a) || failed(b))
    return failure();
  if (!isPlainConstant(**a) || !isPlainConstant(**b))
    return fail() << "unsupported Equal of a run-time tensor (only "
                     "constants are compared, at import)";
  const ConstTensor &x = *(*a)->constant, &y = *(*b)->constant;
  if (x.dtype != y.dtype)
    return fail() << "operands have different data types ("
                  << dtypeName(x.dtype) << " and " << dtypeName(y.dtype)
                  << ")";
  std::optional<Shape> out = broadcastShapes(x.shape, y.shape);
  if (!out)
    return fail() << "shapes " << shapeText(x.shape) << " and "
                  << shapeText(y.shape) << " cannot be broadcast";
  if (failed(checkFoldedSize(*out, "the result")))
    return failure();
  std::vector<int64_t> ix = broadcastIndices(x.shape, *out);
  std::vector<int64_t> iy = broadcastIndices(y.shape, *out);
  ConstTensor t;
  t.dtype = onnx::TensorProto::BOOL;
  t.shape = *out;
  for (size_t i = 0; i < ix.size(); ++i)
    t.values.push_back(x.values[ix[i]] == y.values[iy[i]] ? 1.0 : 0.0);
  setConstantOutput(0, std::move(t));
  return success();
}

/// Where(condition, X, Y) of constants (NumPy broadcasting of the three).
LogicalResult Importer::importWhere() {
  SmallVector<const ConstTensor *> operands;
  for (int i = 0; i < 3; ++i) {
    FailureOr<Imported *> v = input(i);
    if (failed(v))
      return failure();
    if (!isPlainConstant(**v))
      return fail() << "unsupported Where of a run-time tensor (input #" << i
                    << " '" << inputName(i)
                    << "'; only constants are selected, at import)";
    operands.push_back(&*(*v)->constant);
  }
  const ConstTensor &c = *operands[0], &x = *operands[1], &y = *operands[2];
  if (c.dtype != onnx::TensorProto::BOOL)
    return fail() << "the condition must be a bool tensor, not "
                  << dtypeName(c.dtype);
  if (x.dtype != y.dtype)
    return fail() << "X and Y have different data types ("
                  << dtypeName(x.dtype) << " and " << dtypeName(y.dtype)
                  << ")";
  std::optional<Shape> xy = broadcastShapes(x.shape, y.shape);
  std::optional<Shape> out =
      xy ? broadcastShapes(c.shape, *xy) : std::nullopt;
  if (!out)
    return fail() << "shapes " << shapeText(c.shape) << ", "
                  << shapeText(x.shape) << " and " << shapeText(y.shape)
                  << " cannot be broadcast";
  if (failed(checkFoldedSize(*out, "the result")))
    return failure();
  std::vector<int64_t> ic = broadcastIndices(c.shape, *out);
  std::vector<int64_t> ix = broadcastIndices(x.shape, *out);
  std::vector<int64_t> iy = broadcastIndices(y.shape, *out);
  ConstTensor t;
  t.dtype = x.dtype;
  t.shape = *out;
  for (size_t i = 0; i < ic.size(); ++i)
    t.values.push_back(c.values[ic[i]] != 0 ? x.values[ix[i]]
                                            : y.values[iy[i]]);
  setConstantOutput(0, std::move(t));
  return success();
}

LogicalResult Importer::foldArithmetic() {
  const ConstTensor &a = *values[inputName(0)].constant;
  const ConstTensor &b = *values[inputName(1)].constant;
  StringRef op = node->op_type();
  if (a.dtype != b.dtype)
    return fail() << "operands have different data types ("
                  << dtypeName(a.dtype) << " and " << dtypeName(b.dtype)
                  << ")";
  std::optional<Shape> out = broadcastShapes(a.shape, b.shape);
  if (!out)
    return fail() << "shapes " << shapeText(a.shape) << " and "
                  << shapeText(b.shape) << " cannot be broadcast";
  if (failed(checkFoldedSize(*out, "the result")))
    return failure();
  std::vector<int64_t> ia = broadcastIndices(a.shape, *out);
  std::vector<int64_t> ib = broadcastIndices(b.shape, *out);
  bool integer = isIntegerType(a.dtype);
  bool f32 = a.dtype == onnx::TensorProto::FLOAT;
  ConstTensor t;
  t.dtype = a.dtype;
  t.shape = *out;
  for (size_t i = 0; i < ia.size(); ++i) {
    double x = a.values[ia[i]], y = b.values[ib[i]], r;
    if (op == "Div" && integer && y == 0)
      return fail() << "integer division by zero";
    if (f32) {
      float fx = x, fy = y;
      r = op == "Add" ? fx + fy
          : op == "Sub" ? fx - fy
          : op == "Mul" ? fx * fy
                        : fx / fy;
    } else {
      r = op == "Add" ? x + y
          : op == "Sub" ? x - y
          : op == "Mul" ? x * y
                        : (integer ? std::trunc(x / y) : x / y);
    }
    if (!std::isfinite(r) || (integer && std::fabs(r) > 0x1p53))
      return fail() << "folding " << x << " " << op << " " << y
                    << " gives " << r
                    << (integer ? ", beyond the exactly folded integers "
                                  "(2^53)"
                                : ", not a finite value");
    t.values.push_back(*convertTo(r, a.dtype));
  }
  setConstantOutput(0, std::move(t));
  return success();
}

LogicalResult Importer::foldConcat(ArrayRef<Imported *> inputs,
                                   int64_t axis) {
  ConstTensor t;
  t.dtype = inputs[0]->constant->dtype;
  t.shape = inputs[0]->constant->shape;
  t.shape[axis] = 0;
  for (Imported *v : inputs) {
    const ConstTensor &c = *v->constant;
    if (c.dtype != t.dtype)
      return fail() << "inputs have different data types ("
                    << dtypeName(t.dtype) << " and " << dtypeName(c.dtype)
                    << ")";
    for (size_t d = 0; d < c.shape.size(); ++d)
      if (static_cast<int64_t>(d) != axis && c.shape[d] != t.shape[d])
        return fail() << "inputs " << shapeText(inputs[0]->constant->shape)
                      << " and " << shapeText(c.shape)
                      << " differ outside the axis";
    t.shape[axis] += c.shape[axis];
    if (failed(checkFoldedSize(t.shape, "the result")))
      return failure();
  }
  int64_t outer = numElements(ArrayRef<int64_t>(t.shape).take_front(axis));
  for (int64_t o = 0; o < outer; ++o)
    for (Imported *v : inputs) {
      const ConstTensor &c = *v->constant;
      int64_t chunk =
          numElements(ArrayRef<int64_t>(c.shape).drop_front(axis));
      t.values.insert(t.values.end(), c.values.begin() + o * chunk,
                      c.values.begin() + (o + 1) * chunk);
    }
  setConstantOutput(0, std::move(t));
  return success();
}

void addConstantFoldingConverters(ConverterTable &table) {
  table["Constant"] = [](Importer &im) { return im.importConstant(); };
  table["Shape"] = [](Importer &im) { return im.importShape(); };
  table["Cast"] = [](Importer &im) { return im.importCast(); };
  table["ConstantOfShape"] = [](Importer &im) {
    return im.importConstantOfShape();
  };
  table["Range"] = [](Importer &im) { return im.importRange(); };
  table["Expand"] = [](Importer &im) { return im.importExpand(); };
  table["Equal"] = [](Importer &im) { return im.importEqual(); };
  table["Where"] = [](Importer &im) { return im.importWhere(); };
}

} // namespace mlir::qops::onnx_import
