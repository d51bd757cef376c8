//===- Transformer.cpp - Transformer-encoder ops --------------------------===//
//
// Gather (constant tables with run-time token ids become qops.gather, a
// constant scalar index into a run-time tensor a slice; all-constant
// Gathers fold, see ConstantFolding.cpp), LayerNormalization (opset 17)
// and Gelu (opset 20). After the graph, the forms torch.onnx.export writes
// at older opsets become the same ops: nn.LayerNorm's ReduceMean / Sub /
// Pow / ReduceMean / Add / Sqrt / Div / Mul / Add chain is qops.layer_norm
// and nn.GELU's Erf or Tanh formula is qops.gelu, each only when the chain
// is exactly that form.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "llvm/ADT/SetVector.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qops;

namespace mlir::qops::onnx_import {

//===----------------------------------------------------------------------===//
// Gather
//===----------------------------------------------------------------------===//

LogicalResult Importer::importGatherNode() {
  FailureOr<Imported *> data = input(0), indices = input(1);
  if (failed(data) || failed(indices))
    return failure();
  if (isPlainConstant(**data) && (*indices)->constant)
    return importGather(); // Folded at import.
  Shape shape = logicalShape(**data);
  int64_t rank = shape.size();
  if (rank == 0)
    return fail() << "the data must have rank 1 or more";
  FailureOr<Shape> axes = normalizeAxes({intAttr("axis", 0)}, rank);
  if (failed(axes))
    return failure();
  int64_t axis = axes->front();
  int64_t dim = shape[axis];

  Value indexValue;
  if ((*indices)->constant) {
    // Constant indices into a run-time tensor.
    FailureOr<Shape> ints = intsInput(1, "indices");
    if (failed(ints))
      return failure();
    for (int64_t &i : *ints) {
      if (i < -dim || i >= dim)
        return fail() << "index " << i << " is out of range for dimension "
                      << axis << " of size " << dim;
      if (i < 0)
        i += dim;
    }
    const ConstTensor &t = *(*indices)->constant;
    if (t.shape.empty()) {
      // One slice, the axis dropped: a copy the int8 program keeps in
      // integers.
      SmallVector<SliceDim> dims;
      for (int64_t d = 0; d < rank; ++d)
        dims.push_back(d == axis ? SliceDim{(*ints)[0], 1, 1}
                                 : SliceDim{0, 1, shape[d]});
      FailureOr<Imported> slice = sliceValue(**data, dims);
      if (failed(slice))
        return failure();
      Shape out(shape);
      out.erase(out.begin() + axis);
      FailureOr<Imported> y = reshapeTo(*slice, out);
      if (failed(y))
        return failure();
      setOutput(0, *y);
      return success();
    }
    auto type = RankedTensorType::get(t.shape, builder.getI64Type());
    indexValue = arith::ConstantOp::create(
        builder, loc,
        DenseIntElementsAttr::get(type, ArrayRef<int64_t>(*ints)));
  } else {
    indexValue = (*indices)->value;
    Type element = cast<RankedTensorType>(indexValue.getType()).getElementType();
    if (!element.isSignlessInteger(32) && !element.isSignlessInteger(64))
      return fail() << "unsupported run-time indices of type " << element
                    << " (int32 or int64 token ids)";
  }
  FailureOr<Value> dv = logical(**data);
  if (failed(dv))
    return failure();
  auto dataType = cast<RankedTensorType>(dv->getType());
  if (!dataType.getElementType().isF32())
    return fail() << "unsupported Gather of a " << dataType.getElementType()
                  << " tensor at run-time indices (f32 data)";
  Shape out(shape.begin(), shape.begin() + axis);
  llvm::append_range(
      out, cast<RankedTensorType>(indexValue.getType()).getShape());
  out.append(shape.begin() + axis + 1, shape.end());
  Value y = create<GatherOp>(
      tensorOf(out, builder.getF32Type()), {*dv, indexValue},
      {builder.getNamedAttr("axis", builder.getI64IntegerAttr(axis))});
  setOutput(0, Imported{y, false, std::nullopt, std::nullopt});
  return success();
}

//===----------------------------------------------------------------------===//
// LayerNormalization and Gelu
//===----------------------------------------------------------------------===//

LogicalResult Importer::importLayerNormalization() {
  if (intAttr("stash_type", 1) != 1)
    return fail() << "unsupported stash_type " << intAttr("stash_type", 1)
                  << " (only 1: statistics in float)";
  float epsilon = floatAttr("epsilon", 1e-5f);
  if (!std::isfinite(epsilon) || epsilon < 0)
    return fail() << "epsilon must be finite and non-negative, got "
                  << epsilon;
  FailureOr<Imported *> x = input(0), scale = input(1);
  if (failed(x) || failed(scale))
    return failure();
  Shape shape = logicalShape(**x);
  if (shape.empty())
    return fail() << "the input must have rank 1 or more";
  FailureOr<Shape> axes = normalizeAxes({intAttr("axis", -1)}, shape.size());
  if (failed(axes))
    return failure();
  int64_t axis = axes->front();
  Shape normalized(shape.begin() + axis, shape.end());
  // Scale and bias: the normalized shape (constants broadcast to it).
  auto param = [&](Imported *p, double fill, StringRef what)
      -> FailureOr<Value> {
    if (!p) {
      ConstTensor t;
      t.shape = normalized;
      int64_t n = 1;
      for (int64_t d : normalized)
        n *= d;
      t.values.assign(n, fill);
      return constantF32(t);
    }
    Shape ps = logicalShape(*p);
    if (ps == normalized)
      return logical(*p);
    if (isPlainConstant(*p) && p->constant->size() == 1) {
      ConstTensor t;
      t.shape = normalized;
      int64_t n = 1;
      for (int64_t d : normalized)
        n *= d;
      t.values.assign(n, p->constant->values[0]);
      return constantF32(t);
    }
    return fail() << what << " has shape " << shapeText(ps)
                  << ", not the normalized shape " << shapeText(normalized)
                  << " (or a constant scalar)";
  };
  FailureOr<Value> s = param(*scale, 1.0, "scale");
  if (failed(s))
    return failure();
  Imported *biasInput = nullptr;
  if (hasInput(2)) {
    FailureOr<Imported *> b = input(2);
    if (failed(b))
      return failure();
    biasInput = *b;
  }
  FailureOr<Value> b = param(biasInput, 0.0, "bias");
  if (failed(b))
    return failure();
  FailureOr<Value> xv = logical(**x);
  if (failed(xv))
    return failure();
  if (!cast<RankedTensorType>(xv->getType()).getElementType().isF32())
    return fail() << "unsupported input of type "
                  << cast<RankedTensorType>(xv->getType()).getElementType();
  Value y = create<LayerNormOp>(
      xv->getType(), {*xv, *s, *b},
      {builder.getNamedAttr("axis", builder.getI64IntegerAttr(axis)),
       builder.getNamedAttr("epsilon", builder.getF32FloatAttr(epsilon))});
  setOutput(0, Imported{y, false, std::nullopt, std::nullopt});

  // The optional Mean and InvStdDev outputs ([D0 .. D(axis-1), 1, ...]):
  // the statistics again, as separate ops (mean, then
  // 1 / sqrt(mean((x - mean)^2) + epsilon)), when the graph reads them.
  bool wantMean = node->output_size() > 1 && !node->output(1).empty();
  bool wantInv = node->output_size() > 2 && !node->output(2).empty();
  if (!wantMean && !wantInv)
    return success();
  Type f32 = builder.getF32Type();
  Shape statShape(shape);
  SmallVector<int64_t> reduced;
  for (size_t d = axis; d < shape.size(); ++d) {
    statShape[d] = 1;
    reduced.push_back(d);
  }
  auto mean = [&](Value v) {
    return create<ReduceMeanOp>(
        tensorOf(statShape, f32), {v},
        {builder.getNamedAttr("axes", builder.getDenseI64ArrayAttr(reduced)),
         builder.getNamedAttr("keepdims", builder.getUnitAttr())});
  };
  Value m = mean(*xv);
  if (wantMean)
    setOutput(1, Imported{m, false, std::nullopt, std::nullopt});
  if (wantInv) {
    Value d = create<SubOp>(xv->getType(), {*xv, m});
    Value var = mean(create<MulOp>(xv->getType(), {d, d}));
    Value eps = arith::ConstantOp::create(
        builder, loc,
        DenseElementsAttr::get(RankedTensorType::get({}, f32), epsilon));
    Value sd = create<SqrtOp>(var.getType(),
                              {create<AddOp>(var.getType(), {var, eps})});
    setOutput(2, Imported{create<ReciprocalOp>(sd.getType(), {sd}), false,
                          std::nullopt, std::nullopt});
  }
  return success();
}

LogicalResult Importer::importGelu() {
  std::string approximate = stringAttr("approximate", "none");
  if (approximate != "none" && approximate != "tanh")
    return fail() << "unsupported approximate \"" << approximate
                  << "\" (\"none\" or \"tanh\")";
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  FailureOr<Value> xv = logical(**x);
  if (failed(xv))
    return failure();
  if (!cast<RankedTensorType>(xv->getType()).getElementType().isF32())
    return fail() << "unsupported input of type "
                  << cast<RankedTensorType>(xv->getType()).getElementType();
  Value y = create<GeluOp>(
      xv->getType(), {*xv},
      {builder.getNamedAttr("approximate",
                            builder.getStringAttr(approximate))});
  setOutput(0, Imported{y, false, std::nullopt, std::nullopt});
  return success();
}

//===----------------------------------------------------------------------===//
// The exporter's decomposed forms
//===----------------------------------------------------------------------===//

namespace {

/// The value of a constant holding one f32 element (any shape).
std::optional<float> scalarConstant(Value v) {
  std::optional<SmallVector<double>> values = getConstantFloatValues(v);
  if (!values || values->size() != 1)
    return std::nullopt;
  return static_cast<float>(values->front());
}

/// For a binary op with operands (a, b): the operand that is not `known`
/// when the other one is, else null.
Value otherOperand(Operation *op, Value known) {
  if (op->getOperand(0) == known)
    return op->getOperand(1);
  if (op->getOperand(1) == known)
    return op->getOperand(0);
  return nullptr;
}

/// The non-constant operand of a binary op whose other operand is the f32
/// scalar constant `c`, else null.
template <typename OpT>
Value withScalar(Value v, float c) {
  auto op = v.getDefiningOp<OpT>();
  if (!op)
    return nullptr;
  for (int i = 0; i < 2; ++i) {
    std::optional<float> k = scalarConstant(op->getOperand(1 - i));
    if (k && *k == c && op->getOperand(i).getType() == op.getType())
      return op->getOperand(i);
  }
  return nullptr;
}

bool onlyUsedBy(Value v, Operation *user) {
  return llvm::all_of(v.getUsers(),
                      [&](Operation *u) { return u == user; });
}

/// Erases `ops` (a replaced chain, last op first) as they become unused,
/// with the constants only they read.
void eraseDead(ArrayRef<Operation *> ops) {
  llvm::SetVector<Operation *> constants;
  for (Operation *op : ops) {
    if (!op->use_empty())
      continue;
    for (Value operand : op->getOperands())
      if (auto c = operand.getDefiningOp<arith::ConstantOp>())
        constants.insert(c);
    op->erase();
  }
  for (Operation *c : constants)
    if (c->use_empty())
      c->erase();
}

/// `(x * (erf(x / sqrt2) + 1)) * 0.5` or the tanh form ending at `out`
/// (the final Mul): its input x and the ops of the chain (last first).
std::optional<std::pair<Value, std::string>>
matchGelu(MulOp out, SmallVectorImpl<Operation *> &chain) {
  Value product = withScalar<MulOp>(out.getResult(), 0.5f);
  auto productOp = product ? product.getDefiningOp<MulOp>() : nullptr;
  if (!productOp || !product.hasOneUse())
    return std::nullopt;
  for (int i = 0; i < 2; ++i) {
    Value x = productOp->getOperand(i), gate = productOp->getOperand(1 - i);
    if (x.getType() != out.getType() || !gate.hasOneUse())
      continue;
    Value inner = withScalar<AddOp>(gate, 1.0f);
    if (!inner || !inner.hasOneUse())
      continue;
    if (auto erf = inner.getDefiningOp<ErfOp>()) {
      Value scaled = erf.getInput();
      auto div = scaled.getDefiningOp<DivOp>();
      std::optional<float> k = div ? scalarConstant(div.getRhs()) : std::nullopt;
      if (!div || div.getLhs() != x || !k || *k != 1.41421354f ||
          !scaled.hasOneUse())
        continue;
      chain.append({out, productOp, gate.getDefiningOp(), erf, div});
      return std::make_pair(x, std::string("none"));
    }
    if (auto tanh = inner.getDefiningOp<TanhOp>()) {
      Value sum = withScalar<MulOp>(tanh.getInput(), 0.797884583f);
      auto sumOp = sum ? sum.getDefiningOp<AddOp>() : nullptr;
      if (!sumOp || !sum.hasOneUse() || !tanh.getInput().hasOneUse())
        continue;
      Value scaledCube = otherOperand(sumOp, x);
      Value cube = scaledCube ? withScalar<MulOp>(scaledCube, 0.044715f)
                              : Value();
      auto cubeOp = cube ? cube.getDefiningOp<MulOp>() : nullptr;
      if (!cubeOp || !scaledCube.hasOneUse() || !cube.hasOneUse())
        continue;
      Value square = otherOperand(cubeOp, x);
      auto squareOp = square ? square.getDefiningOp<MulOp>() : nullptr;
      if (!squareOp || squareOp.getLhs() != x || squareOp.getRhs() != x ||
          !square.hasOneUse())
        continue;
      chain.append({out, productOp, gate.getDefiningOp(), tanh,
                    tanh.getInput().getDefiningOp(), sumOp,
                    scaledCube.getDefiningOp(), cubeOp, squareOp});
      return std::make_pair(x, std::string("tanh"));
    }
  }
  return std::nullopt;
}

/// The trailing axes [axis, rank) that a keepdims reduce_mean reduces, or
/// nothing.
std::optional<int64_t> trailingMeanAxis(ReduceMeanOp mean) {
  if (!mean.getKeepdims())
    return std::nullopt;
  int64_t rank = mean.getInput().getType().getRank();
  ArrayRef<int64_t> axes = mean.getAxes();
  int64_t first = rank - static_cast<int64_t>(axes.size());
  for (auto [i, a] : llvm::enumerate(axes))
    if (a != first + static_cast<int64_t>(i))
      return std::nullopt;
  return first;
}

/// The decomposed layer norm whose Div is `div`:
///   d = x - reduce_mean(x); v = reduce_mean(d * d);
///   div = d / sqrt(v + eps)
/// (the Pow 2 was imported as d * d). Returns x, the axis and epsilon.
struct LayerNormMatch {
  Value x;
  int64_t axis;
  float epsilon;
};
std::optional<LayerNormMatch>
matchLayerNorm(DivOp div, SmallVectorImpl<Operation *> &chain) {
  auto sqrt = div.getRhs().getDefiningOp<SqrtOp>();
  auto sub = div.getLhs().getDefiningOp<SubOp>();
  if (!sqrt || !sub || !div.getRhs().hasOneUse() ||
      div.getType() != sub.getType())
    return std::nullopt;
  auto shifted = sqrt.getInput().getDefiningOp<AddOp>();
  if (!shifted || !sqrt.getInput().hasOneUse())
    return std::nullopt;
  ReduceMeanOp variance;
  std::optional<float> epsilon;
  for (int i = 0; i < 2; ++i) {
    variance = shifted->getOperand(i).getDefiningOp<ReduceMeanOp>();
    epsilon = scalarConstant(shifted->getOperand(1 - i));
    if (variance && epsilon)
      break;
  }
  if (!variance || !epsilon || !std::isfinite(*epsilon) || *epsilon < 0 ||
      !variance.getResult().hasOneUse() ||
      shifted.getType() != variance.getType())
    return std::nullopt;
  auto square = variance.getInput().getDefiningOp<MulOp>();
  Value d = sub.getResult();
  if (!square || square.getLhs() != d || square.getRhs() != d ||
      !square.getResult().hasOneUse())
    return std::nullopt;
  // d is read by the square and the division only.
  if (!llvm::all_of(d.getUsers(), [&](Operation *u) {
        return u == square.getOperation() || u == div.getOperation();
      }))
    return std::nullopt;
  auto mean = sub.getRhs().getDefiningOp<ReduceMeanOp>();
  Value x = sub.getLhs();
  if (!mean || mean.getInput() != x || !onlyUsedBy(mean.getResult(), sub) ||
      x.getType() != sub.getType())
    return std::nullopt;
  std::optional<int64_t> axis = trailingMeanAxis(mean);
  if (!axis || trailingMeanAxis(variance) != axis ||
      mean.getAxes() != variance.getAxes())
    return std::nullopt;
  chain.append({div, sqrt, shifted, variance, square, sub, mean});
  return LayerNormMatch{x, *axis, *epsilon};
}

/// A constant operand of `op` (a Mul or an Add reading `v`) with one value
/// per element of `normalized` (or one value in all): those values
/// broadcast to `normalized`; else nothing.
std::optional<SmallVector<float>> affineConstant(Operation *op, Value v,
                                                 ArrayRef<int64_t> normalized) {
  Value other = otherOperand(op, v);
  if (!other || op->getResult(0).getType() != v.getType())
    return std::nullopt;
  std::optional<SmallVector<double>> values = getConstantFloatValues(other);
  if (!values)
    return std::nullopt;
  auto type = cast<RankedTensorType>(other.getType());
  int64_t n = 1;
  for (int64_t d : normalized)
    n *= d;
  // The constant must broadcast over the leading (row) dimensions only.
  ArrayRef<int64_t> shape = type.getShape();
  size_t lead = shape.size() > normalized.size()
                    ? shape.size() - normalized.size()
                    : 0;
  for (size_t i = 0; i < lead; ++i)
    if (shape[i] != 1)
      return std::nullopt;
  if (values->size() != 1 &&
      ArrayRef<int64_t>(shape).drop_front(lead) != normalized)
    return std::nullopt;
  SmallVector<float> result;
  for (int64_t i = 0; i < n; ++i)
    result.push_back((*values)[values->size() == 1 ? 0 : i]);
  return result;
}

} // namespace

void recognizeExporterTransformerOps(func::FuncOp func) {
  // GELU: the final Mul by 0.5.
  SmallVector<MulOp> muls;
  func.walk([&](MulOp mul) { muls.push_back(mul); });
  llvm::DenseSet<Operation *> erased;
  for (MulOp mul : muls) {
    if (erased.contains(mul))
      continue;
    SmallVector<Operation *> chain;
    std::optional<std::pair<Value, std::string>> gelu = matchGelu(mul, chain);
    if (!gelu)
      continue;
    OpBuilder builder(mul);
    Value y = GeluOp::create(builder, mul.getLoc(), mul.getType(), gelu->first,
                             builder.getStringAttr(gelu->second));
    mul.getResult().replaceAllUsesWith(y);
    for (Operation *op : chain)
      erased.insert(op);
    eraseDead(chain);
  }

  // Layer norm: from the Div, with the Mul by the scale and the Add of the
  // bias that follow it when they are constants of the normalized shape.
  SmallVector<DivOp> divs;
  func.walk([&](DivOp div) { divs.push_back(div); });
  for (DivOp div : divs) {
    SmallVector<Operation *> chain;
    std::optional<LayerNormMatch> ln = matchLayerNorm(div, chain);
    if (!ln)
      continue;
    auto type = cast<RankedTensorType>(div.getType());
    ArrayRef<int64_t> normalized = type.getShape().drop_front(ln->axis);
    int64_t n = 1;
    for (int64_t d : normalized)
      n *= d;
    SmallVector<float> scale(n, 1.0f), bias(n, 0.0f);
    Value last = div.getResult();
    Location loc = div.getLoc();
    if (last.hasOneUse())
      if (auto mul = dyn_cast<MulOp>(*last.getUsers().begin()))
        if (auto s = affineConstant(mul, last, normalized)) {
          scale = *s;
          chain.insert(chain.begin(), mul);
          last = mul.getResult();
          loc = mul.getLoc();
          if (last.hasOneUse())
            if (auto add = dyn_cast<AddOp>(*last.getUsers().begin()))
              if (auto b = affineConstant(add, last, normalized)) {
                bias = *b;
                chain.insert(chain.begin(), add);
                last = add.getResult();
                loc = add.getLoc();
              }
        }
    OpBuilder builder(last.getDefiningOp());
    auto paramType = RankedTensorType::get(normalized, builder.getF32Type());
    Value s = arith::ConstantOp::create(
        builder, loc, DenseElementsAttr::get(paramType, ArrayRef<float>(scale)));
    Value b = arith::ConstantOp::create(
        builder, loc, DenseElementsAttr::get(paramType, ArrayRef<float>(bias)));
    Value y = LayerNormOp::create(builder, loc, type, ln->x, s, b,
                                  builder.getI64IntegerAttr(ln->axis),
                                  builder.getF32FloatAttr(ln->epsilon));
    last.replaceAllUsesWith(y);
    eraseDead(chain);
  }
}

void addTransformerConverters(ConverterTable &table) {
  table["Gather"] = [](Importer &im) { return im.importGatherNode(); };
  table["LayerNormalization"] = [](Importer &im) {
    return im.importLayerNormalization();
  };
  table["Gelu"] = [](Importer &im) { return im.importGelu(); };
}

} // namespace mlir::qops::onnx_import
