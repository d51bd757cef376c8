//===- ElementWise.cpp - Element-wise ops and activations -----------------===//
//
// Relu, LeakyRelu, HardSwish, HardSigmoid, Sigmoid, Tanh, Sqrt, Exp, Erf,
// Neg, Abs, Reciprocal, Clip; Add / Sub / Mul / Div / Pow and the variadic
// Sum / Mean / Max / Min with NumPy broadcasting (an NHWC operand brings the
// other to NHWC; two constants fold, see ConstantFolding.cpp). After the graph, the exporter's
// spelled-out activations become the ops: Mul(x, HardSigmoid(x)) with
// PyTorch's alpha 1/6 and beta 0.5 is hardswish, Mul(x, Sigmoid(x)) is silu.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::qops;

namespace mlir::qops::onnx_import {

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
  if (!cast<RankedTensorType>(type).getElementType().isF32())
    return fail() << "unsupported " << op << " of a "
                  << cast<RankedTensorType>(type).getElementType()
                  << " tensor (integer element-wise ops are unsupported; "
                     "Cast the tensor to float first)";
  Value y;
  if (op == "Relu")
    y = create<ReluOp>(type, {in.value});
  else if (op == "Sigmoid")
    y = create<SigmoidOp>(type, {in.value});
  else if (op == "Tanh")
    y = create<TanhOp>(type, {in.value});
  else if (op == "HardSwish")
    y = create<HardSwishOp>(type, {in.value});
  else if (op == "Sqrt")
    y = create<SqrtOp>(type, {in.value});
  else if (op == "Exp")
    y = create<ExpOp>(type, {in.value});
  else if (op == "Erf")
    y = create<ErfOp>(type, {in.value});
  else if (op == "Neg")
    y = create<NegOp>(type, {in.value});
  else if (op == "Abs")
    y = create<AbsOp>(type, {in.value});
  else if (op == "Reciprocal")
    y = create<ReciprocalOp>(type, {in.value});
  else if (op == "HardSigmoid") {
    float alpha = floatAttr("alpha", 0.2f), beta = floatAttr("beta", 0.5f);
    if (!std::isfinite(alpha) || !std::isfinite(beta))
      return fail() << "alpha and beta must be finite, got alpha = " << alpha
                    << ", beta = " << beta;
    y = create<HardSigmoidOp>(
        type, {in.value},
        {builder.getNamedAttr("alpha", builder.getF32FloatAttr(alpha)),
         builder.getNamedAttr("beta", builder.getF32FloatAttr(beta))});
  } else
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
  if (in.value && isa<IntegerType>(
                      cast<ShapedType>(in.value.getType()).getElementType()))
    return importIndexClip(in, lo, hi);
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

/// A Clip of token ids read only as Gather indices: qops.gather already
/// clamps an index still out of range after the wrap of negatives, so a
/// Clip that keeps every index in [-D, D - 1] (D the gathered extent of each
/// reader) changes nothing where ONNX defines Gather; it imports as its
/// input. Other bounds would change the ids: unsupported.
LogicalResult Importer::importIndexClip(const Imported &in, float lo,
                                        float hi) {
  const onnx::GraphProto &graph = model.graph();
  for (int u : consumersOf(graph, node->output(0))) {
    const onnx::NodeProto &reader = graph.node(u);
    auto data = values.find(reader.input(0));
    std::optional<int64_t> extent;
    if (reader.op_type() == "Gather" && reader.input(1) == node->output(0) &&
        data != values.end()) {
      int64_t axis = 0;
      for (const onnx::AttributeProto &a : reader.attribute())
        if (a.name() == "axis")
          axis = a.i();
      ArrayRef<int64_t> shape =
          data->second.constant
              ? ArrayRef<int64_t>(data->second.constant->shape)
              : cast<ShapedType>(data->second.value.getType()).getShape();
      if (axis < 0)
        axis += shape.size();
      if (axis >= 0 && axis < int64_t(shape.size()) && !data->second.nhwc)
        extent = shape[axis];
    }
    if (!extent || lo > -*extent || hi < *extent - 1)
      return fail() << "unsupported Clip of integer indices: only a Clip to "
                       "[-D, D - 1] (or wider) read only as the indices of "
                       "Gathers over an extent D imports (qops.gather "
                       "clamps indices to that range itself)";
  }
  setOutput(0, in);
  return success();
}

/// The qops op of a two-operand ONNX element-wise op type.
static Value createBinary(Importer &im, StringRef op, Type type, Value a,
                          Value b) {
  if (op == "Add" || op == "Sum" || op == "Mean")
    return im.create<AddOp>(type, {a, b});
  if (op == "Sub")
    return im.create<SubOp>(type, {a, b});
  if (op == "Mul")
    return im.create<MulOp>(type, {a, b});
  if (op == "Div")
    return im.create<DivOp>(type, {a, b});
  if (op == "Pow")
    return im.create<PowOp>(type, {a, b});
  if (op == "Max")
    return im.create<MaximumOp>(type, {a, b});
  return im.create<MinimumOp>(type, {a, b});
}

/// `op` of two imported values with NumPy broadcasting. When one side is
/// NHWC, the other is brought to rank 4 and NHWC too (constants permuted at
/// compile time).
FailureOr<Imported> Importer::broadcastBinary(StringRef op, Imported &a,
                                              Imported &b) {
  Shape sa = logicalShape(a), sb = logicalShape(b);
  for (Imported *v : {&a, &b})
    if (!v->constant && !elementType(*v).isF32())
      return fail() << "unsupported " << node->op_type() << " of a "
                    << elementType(*v)
                    << " tensor (integer element-wise ops are unsupported; "
                       "Cast the tensor to float first)";
  size_t rank = std::max(sa.size(), sb.size());
  Shape out(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i + sa.size() >= rank ? sa[i + sa.size() - rank] : 1;
    int64_t db = i + sb.size() >= rank ? sb[i + sb.size() - rank] : 1;
    if (da != db && da != 1 && db != 1)
      return fail() << "shapes " << shapeText(sa) << " and "
                    << shapeText(sb) << " cannot be broadcast";
    out[i] = std::max(da, db);
  }
  bool nhwc = rank == 4 && (a.nhwc || b.nhwc);
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
  FailureOr<Value> va = operand(a, sa), vb = operand(b, sb);
  if (failed(va) || failed(vb))
    return failure();
  Shape resultShape = nhwc ? permute(out, kToNHWC) : out;
  auto resultType = tensorOf(resultShape, builder.getF32Type());
  return Imported{createBinary(*this, op, resultType, *va, *vb), nhwc,
                  std::nullopt, std::nullopt};
}

/// Add, Sub, Mul, Div, Pow with NumPy broadcasting; the variadic Sum, Mean,
/// Max, Min as a chain of two-operand ops (Mean divides the sum by the
/// count). Two plain constants of one data type fold (Add / Sub / Mul /
/// Div, see ConstantFolding.cpp). Pow by the constant 2 is a Mul of the
/// base by itself, by the constant 0.5 a Sqrt (their integer forms are the
/// integer mul and a table).
LogicalResult Importer::importBinary() {
  StringRef op = node->op_type();
  bool variadic = op == "Sum" || op == "Mean" || op == "Max" || op == "Min";
  int count = node->input_size();
  if (!variadic && count != 2)
    return fail() << "expects 2 inputs, got " << count;
  if (count < 1)
    return fail() << "expects at least one input";
  SmallVector<Imported *> inputs;
  for (int i = 0; i < count; ++i) {
    FailureOr<Imported *> v = input(i);
    if (failed(v))
      return failure();
    inputs.push_back(*v);
  }
  if (!variadic) {
    Imported &a = *inputs[0], &b = *inputs[1];
    // Before opset 7, broadcasting was explicit (`broadcast`, `axis`).
    if (opset < 7 && intAttr("broadcast", 0) != 0 && attr("axis") &&
        logicalShape(a) != logicalShape(b))
      return fail() << "unsupported legacy broadcasting with an axis (opset "
                    << opset << ")";
    // Constants (shape arithmetic) fold.
    if (op != "Pow" && isPlainConstant(a) && isPlainConstant(b))
      return foldArithmetic();
    if (op == "Pow" && isPlainConstant(b) && b.constant->size() == 1 &&
        logicalShape(b).size() <= logicalShape(a).size() && !a.constant) {
      double exponent = b.constant->values[0];
      if (exponent == 2.0 || exponent == 0.5) {
        if (!elementType(a).isF32())
          return fail() << "unsupported Pow of a " << elementType(a)
                        << " tensor (integer element-wise ops are "
                           "unsupported; Cast the tensor to float first)";
        Value y = exponent == 2.0
                      ? create<MulOp>(a.value.getType(), {a.value, a.value})
                      : create<SqrtOp>(a.value.getType(), {a.value});
        setOutput(0, Imported{y, a.nhwc, std::nullopt, std::nullopt});
        return success();
      }
    }
  }
  if (count == 1) {
    // One input: the result is that input (a constant materializes).
    Imported only = *inputs[0];
    if (only.constant) {
      FailureOr<Value> v = logical(only);
      if (failed(v))
        return failure();
      only = Imported{*v, false, std::nullopt, std::nullopt};
    }
    setOutput(0, only);
    return success();
  }
  Imported acc = *inputs[0];
  for (int i = 1; i < count; ++i) {
    FailureOr<Imported> next = broadcastBinary(op, acc, *inputs[i]);
    if (failed(next))
      return failure();
    acc = *next;
  }
  if (op == "Mean") {
    Imported n;
    n.constant = ConstTensor{{}, {static_cast<double>(count)}};
    FailureOr<Imported> mean = broadcastBinary("Div", acc, n);
    if (failed(mean))
      return failure();
    acc = *mean;
  }
  setOutput(0, acc);
  return success();
}

/// If `gate` is `inner(x)` for the other operand `x` of its Mul, of type
/// InnerOp and used by that Mul alone, returns it.
template <typename InnerOp>
static InnerOp gateOf(Value gate, Value x) {
  auto inner = gate.getDefiningOp<InnerOp>();
  if (!inner || inner.getInput() != x || !gate.hasOneUse())
    return nullptr;
  return inner;
}

void recognizeExporterActivations(func::FuncOp func) {
  // PyTorch's nn.Hardsigmoid: alpha 1/6 (as f32), beta 0.5.
  const float sixth = static_cast<float>(1.0 / 6.0);
  SmallVector<MulOp> muls;
  func.walk([&](MulOp mul) { muls.push_back(mul); });
  for (MulOp mul : muls) {
    Value lhs = mul.getOperand(0), rhs = mul.getOperand(1);
    if (lhs.getType() != mul.getType() || rhs.getType() != mul.getType())
      continue; // A broadcasting Mul is not an activation.
    OpBuilder builder(mul);
    for (auto [x, gate] : {std::pair(lhs, rhs), std::pair(rhs, lhs)}) {
      Operation *inner = nullptr;
      Value y;
      if (auto hsig = gateOf<HardSigmoidOp>(gate, x)) {
        if (hsig.getAlpha().convertToFloat() != sixth ||
            hsig.getBeta().convertToFloat() != 0.5f)
          continue;
        inner = hsig;
        y = HardSwishOp::create(builder, mul.getLoc(), mul.getType(), x);
      } else if (auto sigmoid = gateOf<SigmoidOp>(gate, x)) {
        inner = sigmoid;
        y = SiluOp::create(builder, mul.getLoc(), mul.getType(), x);
      } else {
        continue;
      }
      mul.getResult().replaceAllUsesWith(y);
      mul.erase();
      inner->erase();
      break;
    }
  }
}

void addElementWiseConverters(ConverterTable &table) {
  for (StringRef op :
       {"Relu", "LeakyRelu", "HardSwish", "HardSigmoid", "Sigmoid", "Tanh",
        "Sqrt", "Exp", "Erf", "Neg", "Abs", "Reciprocal"})
    table[op] = [](Importer &im) { return im.importUnary(); };
  table["Clip"] = [](Importer &im) { return im.importClip(); };
  for (StringRef op :
       {"Add", "Sub", "Mul", "Div", "Pow", "Sum", "Mean", "Max", "Min"})
    table[op] = [](Importer &im) { return im.importBinary(); };
}

} // namespace mlir::qops::onnx_import
