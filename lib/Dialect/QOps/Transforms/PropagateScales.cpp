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
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <algorithm>
#include <cmath>
#include <limits>

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
struct QOpsPropagateScalesPass
    : public qops::impl::QOpsPropagateScalesPassBase<QOpsPropagateScalesPass> {
  void runOnOperation() override;

private:
  void propagateSameScale(Operation *op);
  void unifyConcat(ConcatOp concat);
  void applyFixedRange(FixedOutputRangeOpInterface op);
  void quantizeBias(Operation *op, const WeightedOperands &operands);
};
} // namespace

void QOpsPropagateScalesPass::propagateSameScale(Operation *op) {
  quant::UniformQuantizedType input = getDequantizedType(op->getOperand(0));
  QuantizeOp output = getOutputQuantize(op->getResult(0));
  if (input && output && getPerTensorType(output.getType()) != input)
    retype(output, input);
}

void QOpsPropagateScalesPass::unifyConcat(ConcatOp concat) {
  SmallVector<quant::UniformQuantizedType> types;
  for (Value input : concat.getInputs()) {
    quant::UniformQuantizedType type = getDequantizedType(input);
    if (!type)
      return; // A float input: the concat is not quantized.
    types.push_back(type);
  }
  quant::UniformQuantizedType shared = types.front();
  if (!llvm::all_equal(types)) {
    double lo = 0.0, hi = 0.0;
    for (quant::UniformQuantizedType type : types) {
      auto [tlo, thi] = getRepresentedRange(type);
      lo = std::min(lo, tlo);
      hi = std::max(hi, thi);
    }
    FailureOr<QuantParams> params =
        computeQuantParams(lo, hi, getScheme(types.front()));
    if (failed(params))
      return;
    shared = getUniformType(&getContext(), getScheme(types.front()), *params);
  }

  OpBuilder builder(concat);
  for (auto [i, operand] : llvm::enumerate(concat->getOpOperands())) {
    if (types[i] == shared)
      continue;
    auto dequantize = operand.get().getDefiningOp<DequantizeOp>();
    auto quantize = dequantize.getInput().getDefiningOp<QuantizeOp>();
    if (quantize && quantize->hasOneUse() && dequantize->hasOneUse()) {
      retype(quantize, shared);
      continue;
    }
    // The value feeds other ops with its own parameters: requantize it for
    // the concat only.
    auto type = cast<RankedTensorType>(operand.get().getType());
    Value requantized = QuantizeOp::create(builder, concat.getLoc(),
                                           type.clone(shared), operand.get());
    operand.set(
        DequantizeOp::create(builder, concat.getLoc(), type, requantized));
    concat.emitRemark() << "concat input #" << i
                        << " keeps its own quantization parameters (its "
                           "value has other users); requantized to the "
                           "concat's shared parameters";
  }
  if (QuantizeOp output = getOutputQuantize(concat.getResult()))
    if (getPerTensorType(output.getType()) != shared)
      retype(output, shared);
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
  // Block order is a topological order: parameters flow from producers to
  // consumers in one walk (pool -> reshape -> concat chains included).
  getOperation().walk([&](Operation *op) {
    if (auto concat = dyn_cast<ConcatOp>(op))
      unifyConcat(concat);
    else if (op->hasTrait<qops::OpTrait::SameQuantScale>())
      propagateSameScale(op);
    else if (auto fixed = dyn_cast<FixedOutputRangeOpInterface>(op))
      applyFixedRange(fixed);
  });

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
