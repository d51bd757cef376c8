//===- ElementWise.cpp - Element-wise ops and activations -----------------===//
//
// Relu, LeakyRelu, HardSwish, HardSigmoid, Sigmoid, Tanh, Clip, and Add / Mul
// with NumPy broadcasting (an NHWC operand brings the other to NHWC; two
// constants fold, see ConstantFolding.cpp). After the graph, the exporter's
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
  Value y;
  if (op == "Relu")
    y = create<ReluOp>(type, {in.value});
  else if (op == "Sigmoid")
    y = create<SigmoidOp>(type, {in.value});
  else if (op == "Tanh")
    y = create<TanhOp>(type, {in.value});
  else if (op == "HardSwish")
    y = create<HardSwishOp>(type, {in.value});
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
  // Constants (shape arithmetic) fold.
  if (isPlainConstant(**a) && isPlainConstant(**b) &&
      (*a)->constant->dtype == (*b)->constant->dtype)
    return foldArithmetic();
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
       {"Relu", "LeakyRelu", "HardSwish", "HardSigmoid", "Sigmoid", "Tanh"})
    table[op] = [](Importer &im) { return im.importUnary(); };
  table["Clip"] = [](Importer &im) { return im.importClip(); };
  table["Add"] = [](Importer &im) { return im.importBinary(); };
  table["Mul"] = [](Importer &im) { return im.importBinary(); };
}

} // namespace mlir::qops::onnx_import
