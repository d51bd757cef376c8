//===- PropagateScales.cpp - share quantization parameters ----------------===//
//
// --propagate-scales: same-scale ops, concat unification, fixed output
// ranges, and removal of redundant dequantize -> quantize pairs.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Dialect/QOps/IR/QOpsOps.h"
#include "quant-ops/Dialect/QOps/IR/QuantParams.h"
#include "quant-ops/Dialect/QOps/IR/QuantTypeUtils.h"
#include "quant-ops/Dialect/QOps/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/MapVector.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace mlir::qops {
#define GEN_PASS_DEF_QOPSPROPAGATESCALESPASS
#include "quant-ops/Dialect/QOps/Transforms/Passes.h.inc"
} // namespace mlir::qops

using namespace mlir;
using namespace mlir::qops;

/// The per-tensor type `operand` was dequantized from, or null.
static quant::UniformQuantizedType getDequantizedType(Value operand) {
  auto dequantize = operand.getDefiningOp<DequantizeOp>();
  if (!dequantize)
    return nullptr;
  return getPerTensorType(dequantize.getInput().getType());
}

/// The quantize op that is the only user of `result`, or null.
static QuantizeOp getOutputQuantize(Value result) {
  if (!result.hasOneUse())
    return nullptr;
  auto quantize = dyn_cast<QuantizeOp>(*result.getUsers().begin());
  if (!quantize || !getPerTensorType(quantize.getType()))
    return nullptr;
  return quantize;
}

static void retype(QuantizeOp quantize, quant::UniformQuantizedType type) {
  quantize.getResult().setType(quantize.getType().clone(type));
}

/// The storage scheme of an activation type.
static QuantScheme getScheme(quant::UniformQuantizedType type) {
  QuantScheme scheme;
  scheme.bits = type.getStorageTypeIntegralWidth();
  scheme.isSigned = type.isSigned();
  scheme.narrowRange =
      type.isSigned() && type.getStorageTypeMin() == -type.getStorageTypeMax();
  return scheme;
}

/// The real range a per-tensor type represents.
static std::pair<double, double> getRepresentedRange(
    quant::UniformQuantizedType type) {
  return {(type.getStorageTypeMin() - type.getZeroPoint()) * type.getScale(),
          (type.getStorageTypeMax() - type.getZeroPoint()) * type.getScale()};
}

namespace {
/// Quantized values whose parameters must be one set, as a union-find over
/// the values (a quantize op's result, or a quantized value the program
/// does not produce here, such as an argument). A class holds at most one
/// *pinned* value: one whose type this pass may not change (a fixed-range
/// op's output, an argument, a value used other than by dequantize ops);
/// the whole class then takes its type.
class ParameterClasses {
public:
  Value find(Value value) {
    auto it = parent.find(value);
    if (it == parent.end()) {
      parent[value] = value;
      if (isPinned(value))
        pinned[value] = value;
      return value;
    }
    if (it->second == value)
      return value;
    Value root = find(it->second);
    parent[value] = root;
    return root;
  }

  Value getPinned(Value value) { return pinned.lookup(find(value)); }

  /// Joins the classes of `a` and `b` unless both are pinned to different
  /// types or `allowPinned` is false and either is pinned; true when they
  /// are (now) one class.
  bool unite(Value a, Value b, bool allowPinned) {
    Value ra = find(a), rb = find(b);
    if (ra == rb)
      return true;
    Value pa = pinned.lookup(ra), pb = pinned.lookup(rb);
    if ((pa || pb) && !allowPinned)
      return false;
    if (pa && pb && pa.getType() != pb.getType())
      return false;
    parent[rb] = ra;
    if (!pa && pb)
      pinned[ra] = pb;
    members.push_back(a);
    members.push_back(b);
    return true;
  }

  /// Every value that was ever joined to another, in first-seen order.
  ArrayRef<Value> getJoined() const { return members; }

private:
  static bool isPinned(Value value) {
    auto quantize = value.getDefiningOp<QuantizeOp>();
    if (!quantize)
      return true;
    if (!llvm::all_of(value.getUsers(), llvm::IsaPred<DequantizeOp>))
      return true;
    Operation *producer = quantize.getInput().getDefiningOp();
    return producer && isa<FixedOutputRangeOpInterface>(producer);
  }

  DenseMap<Value, Value> parent;
  DenseMap<Value, Value> pinned;
  SmallVector<Value> members;
};

struct QOpsPropagateScalesPass
    : public qops::impl::QOpsPropagateScalesPassBase<QOpsPropagateScalesPass> {
  void runOnOperation() override;

private:
  void shareParameters();
  void applyFixedRange(FixedOutputRangeOpInterface op);
  void quantizeBias(Operation *op, const WeightedOperands &operands);
};
} // namespace

/// The per-tensor quantized value `operand` was dequantized from, or null.
static Value getQuantizedSource(Value operand) {
  auto dequantize = operand.getDefiningOp<DequantizeOp>();
  if (!dequantize || !getPerTensorType(dequantize.getInput().getType()))
    return nullptr;
  return dequantize.getInput();
}

static bool haveSameScheme(Value a, Value b) {
  QuantScheme sa = getScheme(getPerTensorType(a.getType()));
  QuantScheme sb = getScheme(getPerTensorType(b.getType()));
  return sa.bits == sb.bits && sa.isSigned == sb.isSigned &&
         sa.narrowRange == sb.narrowRange;
}

/// Why this pass may not change the type of `value` (completes "it ...").
static std::string describePinned(Value value) {
  if (!value)
    return "has parameters of its own";
  auto quantize = value.getDefiningOp<QuantizeOp>();
  if (!quantize)
    return "is not quantized in this function (an argument or a constant)";
  if (Operation *producer = quantize.getInput().getDefiningOp())
    if (isa<FixedOutputRangeOpInterface>(producer))
      return "comes from " + producer->getName().getStringRef().str() +
             ", whose output range is fixed";
  return "is used as a quantized value (not only through dequantize ops)";
}

/// One type for a class: the pinned member's; else a member's whose range
/// covers every other member's (so a same-scale chain keeps its producer's
/// parameters exactly); else parameters for the union of their ranges.
static quant::UniformQuantizedType
chooseSharedType(MLIRContext *context, ArrayRef<Value> members, Value pinned) {
  if (pinned)
    return getPerTensorType(pinned.getType());
  SmallVector<quant::UniformQuantizedType> types;
  for (Value member : members)
    types.push_back(getPerTensorType(member.getType()));
  double lo = 0.0, hi = 0.0;
  for (quant::UniformQuantizedType type : types) {
    auto [tlo, thi] = getRepresentedRange(type);
    lo = std::min(lo, tlo);
    hi = std::max(hi, thi);
  }
  for (quant::UniformQuantizedType type : types) {
    auto [tlo, thi] = getRepresentedRange(type);
    if (tlo <= lo && thi >= hi)
      return type;
  }
  FailureOr<QuantParams> params =
      computeQuantParams(lo, hi, getScheme(types.front()));
  if (failed(params))
    return types.front();
  return getUniformType(context, getScheme(types.front()), *params);
}

void QOpsPropagateScalesPass::shareParameters() {
  ParameterClasses classes;
  // Same-scale ops first: each value has at most one same-scale producer,
  // so every class holds at most one pinned value after this walk.
  getOperation().walk([&](Operation *op) {
    if (isa<ConcatOp>(op) || !op->hasTrait<qops::OpTrait::SameQuantScale>() ||
        op->getNumOperands() == 0 || op->getNumResults() != 1)
      return;
    Value input = getQuantizedSource(op->getOperand(0));
    QuantizeOp output = getOutputQuantize(op->getResult(0));
    if (input && output && haveSameScheme(input, output.getResult()))
      classes.unite(input, output.getResult(), /*allowPinned=*/true);
  });

  // Then concats: inputs and output become one class, except an input
  // whose class is pinned to a type of its own (a fixed range, an
  // argument), which is requantized for the concat.
  SmallVector<std::pair<ConcatOp, unsigned>> requantized;
  getOperation().walk([&](ConcatOp concat) {
    SmallVector<Value> sources;
    for (Value input : concat.getInputs()) {
      Value source = getQuantizedSource(input);
      if (!source)
        return; // A float input: the concat is not quantized.
      sources.push_back(source);
    }
    QuantizeOp output = getOutputQuantize(concat.getResult());
    Value anchor = output ? output.getResult() : sources.front();
    for (auto [i, source] : llvm::enumerate(sources)) {
      if (source == anchor)
        continue;
      if (!haveSameScheme(source, anchor) ||
          !classes.unite(anchor, source, /*allowPinned=*/false))
        requantized.emplace_back(concat, i);
    }
  });

  // One type per class, given to every quantize op in it.
  llvm::MapVector<Value, SmallVector<Value>> members;
  llvm::DenseSet<Value> seen;
  for (Value value : classes.getJoined())
    if (seen.insert(value).second)
      members[classes.find(value)].push_back(value);
  for (auto &[root, values] : members) {
    quant::UniformQuantizedType shared =
        chooseSharedType(&getContext(), values, classes.getPinned(root));
    for (Value value : values)
      if (auto quantize = value.getDefiningOp<QuantizeOp>())
        if (getPerTensorType(quantize.getType()) != shared)
          retype(quantize, shared);
  }

  // A requantizing quantize / dequantize pair where a concat input keeps
  // parameters of its own.
  for (auto [concat, i] : requantized) {
    OpOperand &operand = concat->getOpOperand(i);
    Value anchor = getQuantizedSource(concat.getInputs()[i == 0 ? 1 : 0]);
    if (QuantizeOp output = getOutputQuantize(concat.getResult()))
      anchor = output.getResult();
    auto shared = getPerTensorType(anchor.getType());
    Value source = getQuantizedSource(operand.get());
    if (!shared || getPerTensorType(source.getType()) == shared)
      continue;
    OpBuilder builder(concat);
    auto type = cast<RankedTensorType>(operand.get().getType());
    Value requantize = QuantizeOp::create(builder, concat.getLoc(),
                                          type.clone(shared), operand.get());
    operand.set(
        DequantizeOp::create(builder, concat.getLoc(), type, requantize));
    std::string why;
    if (!haveSameScheme(source, anchor))
      why = "its storage type differs from the concat's";
    else if (Value pinned = classes.getPinned(source))
      why = "it " + describePinned(pinned);
    else
      why = "the concat's result " + describePinned(classes.getPinned(anchor));
    concat.emitRemark() << "concat input #" << i
                        << " is requantized to the concat's parameters: "
                        << why;
  }
}

void QOpsPropagateScalesPass::applyFixedRange(FixedOutputRangeOpInterface op) {
  QuantizeOp output = getOutputQuantize(op->getResult(0));
  if (!output)
    return;
  quant::UniformQuantizedType type = getPerTensorType(output.getType());
  auto [lo, hi] = op.getFixedOutputRange();
  FailureOr<QuantParams> params = computeQuantParams(lo, hi, getScheme(type));
  if (failed(params))
    return;
  auto fixed = getUniformType(&getContext(), getScheme(type), *params);
  if (fixed != type)
    retype(output, fixed);
}

/// The i32 type of a bias added to the accumulator of `input` x `weight`:
/// zero point 0 and scale `s_in * s_w[c]` per output channel (per tensor
/// when the weight has one scale).
static quant::QuantizedType getBiasType(quant::UniformQuantizedType input,
                                        quant::QuantizedType weight,
                                        int64_t channels) {
  MLIRContext *context = input.getContext();
  auto i32 = IntegerType::get(context, 32);
  auto f32 = Float32Type::get(context);
  int64_t qmin = std::numeric_limits<int32_t>::min();
  int64_t qmax = std::numeric_limits<int32_t>::max();
  if (!isa<quant::UniformQuantizedPerAxisType>(weight))
    return quant::UniformQuantizedType::get(
        quant::QuantizationFlags::Signed, i32, f32,
        input.getScale() * getScaleAt(weight, 0), 0, qmin, qmax);
  SmallVector<double> scales;
  for (int64_t c = 0; c < channels; ++c)
    scales.push_back(input.getScale() * getScaleAt(weight, c));
  SmallVector<int64_t> zeroPoints(channels, 0);
  return quant::UniformQuantizedPerAxisType::get(
      quant::QuantizationFlags::Signed, i32, f32, scales, zeroPoints,
      /*quantizedDimension=*/0, qmin, qmax);
}

/// The largest |bias| / (s_in * s_w[c]) a quantized bias may reach: half of
/// i32, so the products of the accumulator keep the other half.
static constexpr double kMaxBiasQuanta = 1 << 30;

/// Widens the scales of the weight channels whose constant bias would not
/// fit i32 at scale s_in * s_w[c] (as ONNX Runtime's quantizer does): with
/// so small an input range, the bias dominates the result and the weights'
/// part is below the widened scale's resolution. The weight's quantize op
/// is retyped (the QDQ program and the integer program stay one), with a
/// remark.
static void widenWeightScalesForBias(Operation *op, QuantizeOp weight,
                                     double inputScale,
                                     ArrayRef<double> bias) {
  auto type = cast<quant::QuantizedType>(weight.getType().getElementType());
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type);
  auto perTensor = dyn_cast<quant::UniformQuantizedType>(type);
  if ((!perAxis && !perTensor) ||
      (perAxis && perAxis.getScales().size() != bias.size()))
    return;
  SmallVector<double> scales =
      perAxis ? SmallVector<double>(perAxis.getScales())
              : SmallVector<double>{perTensor.getScale()};
  int64_t widened = 0, first = -1;
  double before = 0;
  for (auto [c, value] : llvm::enumerate(bias)) {
    double &scale = scales[perAxis ? c : 0];
    double needed = std::abs(value) / (inputScale * kMaxBiasQuanta);
    if (!(needed > scale))
      continue;
    if (first < 0) {
      first = c;
      before = scale;
    }
    scale = needed;
    ++widened;
  }
  if (widened == 0)
    return;
  double after = scales[perAxis ? first : 0];
  quant::QuantizedType wider;
  if (perAxis)
    wider = quant::UniformQuantizedPerAxisType::get(
        perAxis.getFlags(), perAxis.getStorageType(),
        perAxis.getExpressedType(), scales, perAxis.getZeroPoints(),
        perAxis.getQuantizedDimension(), perAxis.getStorageTypeMin(),
        perAxis.getStorageTypeMax());
  else
    wider = quant::UniformQuantizedType::get(
        perTensor.getFlags(), perTensor.getStorageType(),
        perTensor.getExpressedType(), scales[0], perTensor.getZeroPoint(),
        perTensor.getStorageTypeMin(), perTensor.getStorageTypeMax());
  weight.getResult().setType(weight.getType().clone(wider));
  op->emitRemark() << "the bias of output channel " << first << " ("
                   << bias[first] << ") does not fit i32 at scale s_in * s_w ("
                   << "the input's scale is " << inputScale
                   << "): its weight scale is widened from " << before
                   << " to " << after << " (" << widened
                   << " channel(s)); the weights' part of these outputs is "
                      "below that resolution";
}

void QOpsPropagateScalesPass::quantizeBias(Operation *op,
                                           const WeightedOperands &operands) {
  Value bias = operands.getBias(op);
  if (!bias || isQuantized(bias.getType()) || bias.getDefiningOp<DequantizeOp>())
    return;
  quant::UniformQuantizedType input = getDequantizedType(op->getOperand(0));
  auto weight = operands.getWeight(op).getDefiningOp<DequantizeOp>();
  auto biasType = dyn_cast<RankedTensorType>(bias.getType());
  if (!input || !weight || !biasType || !biasType.hasStaticShape())
    return;
  if (auto weightQuantize = weight.getInput().getDefiningOp<QuantizeOp>())
    if (std::optional<SmallVector<double>> values =
            getConstantFloatValues(bias);
        values && values->size() == static_cast<size_t>(
                                        biasType.getNumElements()))
      widenWeightScalesForBias(op, weightQuantize, input.getScale(), *values);
  auto weightType = cast<quant::QuantizedType>(
      weight.getInput().getType().getElementType());
  quant::QuantizedType type =
      getBiasType(input, weightType, biasType.getDimSize(0));
  OpBuilder builder(op);
  Value quantized = QuantizeOp::create(builder, bias.getLoc(),
                                       biasType.clone(type), bias);
  op->setOperand(operands.biasIndex,
                 DequantizeOp::create(builder, bias.getLoc(), biasType,
                                      quantized));
}

void QOpsPropagateScalesPass::runOnOperation() {
  // Fixed ranges first: they pin the classes they belong to.
  getOperation().walk(
      [&](FixedOutputRangeOpInterface op) { applyFixedRange(op); });
  shareParameters();

  // Biases last, once the input parameters are final: i32 with scale
  // s_in * s_w[c], the accumulator's.
  getOperation().walk([&](Operation *op) {
    if (std::optional<WeightedOperands> operands = getWeightedOperands(op))
      quantizeBias(op, *operands);
  });

  // quantize(dequantize(q)) with identical parameters folds to q (the
  // QuantizeOp folder); dead dequantize ops go with it.
  if (failed(applyPatternsGreedily(getOperation(), RewritePatternSet(&getContext()))))
    signalPassFailure();
}
