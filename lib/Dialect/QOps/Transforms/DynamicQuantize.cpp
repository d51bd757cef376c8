//===- DynamicQuantize.cpp - dynamic quantization -------------------------===//
//
// --dynamic-quantize: fully_connected and 2-D matmul with constant weights
// become dynamic_quantize + dynamic_matmul with int8 weights.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Dialect/QOps/IR/QOpsOps.h"
#include "quant-ops/Dialect/QOps/IR/QuantParams.h"
#include "quant-ops/Dialect/QOps/IR/QuantTypeUtils.h"
#include "quant-ops/Dialect/QOps/IR/Ranges.h"
#include "quant-ops/Dialect/QOps/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"

#include <cmath>

namespace mlir::qops {
#define GEN_PASS_DEF_QOPSDYNAMICQUANTIZEPASS
#include "quant-ops/Dialect/QOps/Transforms/Passes.h.inc"
} // namespace mlir::qops

using namespace mlir;
using namespace mlir::qops;

namespace {
struct QOpsDynamicQuantizePass
    : public qops::impl::QOpsDynamicQuantizePassBase<QOpsDynamicQuantizePass> {
  using Base::Base;

  void runOnOperation() override;

private:
  /// The dynamic_quantize of `value` (per row or per tensor), created once
  /// after the value's definition.
  DynamicQuantizeOp dynamicQuantize(OpBuilder &builder, Value value,
                                    bool perRow) {
    DynamicQuantizeOp &dq = quantized[{value, perRow ? 1u : 0u}];
    if (dq)
      return dq;
    OpBuilder::InsertionGuard guard(builder);
    if (Operation *def = value.getDefiningOp())
      builder.setInsertionPointAfter(def);
    else
      builder.setInsertionPointToStart(value.getParentBlock());
    MLIRContext *context = builder.getContext();
    auto type = cast<RankedTensorType>(value.getType());
    auto u8 = IntegerType::get(context, 8, IntegerType::Unsigned);
    SmallVector<int64_t> paramShape;
    if (perRow)
      paramShape.assign(type.getShape().begin(), type.getShape().end() - 1);
    dq = DynamicQuantizeOp::create(
        builder, value.getLoc(), type.clone(u8),
        RankedTensorType::get(paramShape, builder.getF32Type()),
        RankedTensorType::get(paramShape, u8), value);
    return dq;
  }

  /// A matmul of two run-time tensors: both dynamically quantized (the rhs
  /// per tensor) when activation-matmuls is set, else kept with a remark.
  void quantizeActivationProduct(OpBuilder &builder, MatMulOp op) {
    if (!activationMatmuls) {
      op->emitRemark() << "dynamic-quantize: kept in float: its right "
                          "operand is not a constant (activation x "
                          "activation products are quantized with "
                          "activation-matmuls=true)";
      return;
    }
    if (op.getBias() || getFusedClamp(op).isSet()) {
      op->emitRemark() << "dynamic-quantize: kept in float: an activation x "
                          "activation product with a bias or a fused "
                          "activation";
      return;
    }
    DynamicQuantizeOp lhs =
        dynamicQuantize(builder, op.getLhs(), granularity == "row");
    DynamicQuantizeOp rhs = dynamicQuantize(builder, op.getRhs(), false);
    builder.setInsertionPoint(op);
    auto product = DynamicActivationMatMulOp::create(
        builder, op.getLoc(), op.getType(), lhs.getOutput(), lhs.getScale(),
        lhs.getZeroPoint(), rhs.getOutput(), rhs.getScale(),
        rhs.getZeroPoint());
    op.getResult().replaceAllUsesWith(product.getResult());
    op->erase();
  }

  /// One dynamic_quantize per (tensor, granularity).
  DenseMap<std::pair<Value, unsigned>, DynamicQuantizeOp> quantized;

  bool isExcluded(Operation *op) const {
    StringRef name = op->getName().getStringRef();
    std::string key = getRangeKey(op->getResult(0));
    for (const std::string &entry : exclude)
      if (entry == name || ("qops." + entry) == name.str() || entry == key)
        return true;
    return false;
  }
};
} // namespace

void QOpsDynamicQuantizePass::runOnOperation() {
  func::FuncOp func = getOperation();
  MLIRContext *context = &getContext();
  if (granularity != "tensor" && granularity != "row") {
    func.emitError() << "dynamic-quantize: granularity=" << granularity
                     << " is not one of tensor, row";
    return signalPassFailure();
  }
  bool perRow = granularity == "row";
  QuantScheme weightScheme{8, /*isSigned=*/true, /*symmetric=*/true,
                           /*narrowRange=*/true};

  SmallVector<Operation *> products;
  func.walk([&](Operation *op) {
    if (isa<FullyConnectedOp, MatMulOp>(op) && !isQuantized(op->getResultTypes()[0]))
      products.push_back(op);
  });

  quantized.clear();
  OpBuilder builder(context);
  for (Operation *op : products) {
    if (isExcluded(op))
      continue;
    bool fullyConnected = isa<FullyConnectedOp>(op);
    Value input = op->getOperand(0), weight = op->getOperand(1);
    auto weightType = cast<RankedTensorType>(weight.getType());
    std::optional<SmallVector<double>> values = getConstantFloatValues(weight);
    if (!values) {
      if (auto matmul = dyn_cast<MatMulOp>(op))
        quantizeActivationProduct(builder, matmul);
      else
        op->emitRemark() << "dynamic-quantize: kept in float: its weight is "
                            "not a constant";
      continue;
    }
    if (weightType.getRank() != 2) {
      op->emitRemark() << "dynamic-quantize: kept in float: a batched matmul "
                          "with constant weights (one weight matrix per "
                          "batch)";
      continue;
    }
    if (auto bad = llvm::find_if(*values,
                                 [](double v) { return !std::isfinite(v); });
        bad != values->end()) {
      op->emitError() << "dynamic-quantize: the weight holds a non-finite "
                         "value ("
                      << *bad << ") at element " << bad - values->begin()
                      << "; it cannot be quantized";
      return signalPassFailure();
    }
    // The weight as [K, N] values.
    int64_t k = weightType.getDimSize(fullyConnected ? 1 : 0);
    int64_t n = weightType.getDimSize(fullyConnected ? 0 : 1);
    SmallVector<float> kn(k * n);
    for (int64_t r = 0; r < k; ++r)
      for (int64_t c = 0; c < n; ++c)
        kn[r * n + c] = static_cast<float>(
            (*values)[fullyConnected ? c * k + r : r * n + c]);
    int64_t channels = perChannel ? n : 1;
    SmallVector<double> lo(channels, 0.0), hi(channels, 0.0);
    for (int64_t i = 0; i < k * n; ++i) {
      int64_t c = perChannel ? i % n : 0;
      lo[c] = std::min<double>(lo[c], kn[i]);
      hi[c] = std::max<double>(hi[c], kn[i]);
    }
    SmallVector<QuantParams> params;
    // Finite ranges containing 0 under a signed symmetric scheme: the
    // derivation cannot fail.
    for (int64_t c = 0; c < channels; ++c)
      params.push_back(*computeQuantParams(lo[c], hi[c], weightScheme));
    quant::QuantizedType qtype =
        perChannel ? quant::QuantizedType(getUniformPerAxisType(
                         context, weightScheme, params, 1))
                   : quant::QuantizedType(
                         getUniformType(context, weightScheme, params[0]));

    Location loc = op->getLoc();
    builder.setInsertionPoint(op);
    auto knType = RankedTensorType::get({k, n}, builder.getF32Type());
    Value floatWeight = arith::ConstantOp::create(
        builder, loc, DenseElementsAttr::get(knType, ArrayRef<float>(kn)));
    Value quantWeight =
        QuantizeOp::create(builder, loc, knType.clone(qtype), floatWeight);

    DynamicQuantizeOp dq = dynamicQuantize(builder, input, perRow);
    Value bias = op->getNumOperands() > 2 ? op->getOperand(2) : Value();
    auto dynamic = DynamicMatMulOp::create(
        builder, loc, op->getResultTypes()[0], dq.getOutput(), dq.getScale(),
        dq.getZeroPoint(), quantWeight, bias,
        op->getAttrOfType<FloatAttr>("clamp_min"),
        op->getAttrOfType<FloatAttr>("clamp_max"));
    op->getResult(0).replaceAllUsesWith(dynamic.getResult());
    op->erase();
    if (Operation *def = weight.getDefiningOp();
        def && def->use_empty() && isa<arith::ConstantOp>(def))
      def->erase();
  }
}
