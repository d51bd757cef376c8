//===- InsertQDQ.cpp - quantize / dequantize insertion --------------------===//
//
// --insert-qdq: the float QDQ program from recorded ranges.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Dialect/QOps/IR/QOpsOps.h"
#include "quant-ops/Dialect/QOps/IR/QuantParams.h"
#include "quant-ops/Dialect/QOps/IR/QuantTypeUtils.h"
#include "quant-ops/Dialect/QOps/IR/Ranges.h"
#include "quant-ops/Dialect/QOps/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"

#include <algorithm>
#include <cmath>


namespace mlir::qops {
#define GEN_PASS_DEF_QOPSINSERTQDQPASS
#include "quant-ops/Dialect/QOps/Transforms/Passes.h.inc"
} // namespace mlir::qops

using namespace mlir;
using namespace mlir::qops;


/// Whether operand `index` of `op` is the bias of a weighted op (left in
/// float for the integer conversion).
static bool isBiasOperand(Operation *op, unsigned index) {
  // group_norm and layer_norm compute in f32 (float islands in int8
  // programs): their scale and bias stay f32 like a bias, only their input
  // and result are quantized.
  if (isa<GroupNormOp, LayerNormOp>(op))
    return index > 0;
  std::optional<WeightedOperands> operands = getWeightedOperands(op);
  return operands && index == operands->biasIndex;
}

namespace {
struct QOpsInsertQDQPass
    : public qops::impl::QOpsInsertQDQPassBase<QOpsInsertQDQPass> {
  using Base::Base;

  void runOnOperation() override;

private:
  bool isExcluded(Operation *op) const;
  /// Replaces the uses of `value` accepted by `filter` with
  /// dequantize(quantize(value)) of element type `type`.
  void insertQDQ(OpBuilder &builder, Value value, quant::QuantizedType type,
                 llvm::function_ref<bool(OpOperand &)> filter);
};
} // namespace

bool QOpsInsertQDQPass::isExcluded(Operation *op) const {
  StringRef name = op->getName().getStringRef();
  std::string key = op->getNumResults() ? getRangeKey(op->getResult(0)) : "";
  for (const std::string &entry : exclude)
    if (entry == name || ("qops." + entry) == name.str() || entry == key)
      return true;
  return false;
}

void QOpsInsertQDQPass::insertQDQ(
    OpBuilder &builder, Value value, quant::QuantizedType type,
    llvm::function_ref<bool(OpOperand &)> filter) {
  auto tensorType = cast<RankedTensorType>(value.getType());
  Location loc = value.getLoc();
  Value quantized = QuantizeOp::create(builder, loc, tensorType.clone(type),
                                       value);
  Value dequantized =
      DequantizeOp::create(builder, loc, tensorType, quantized);
  value.replaceUsesWithIf(dequantized, [&](OpOperand &use) {
    return use.getOwner() != quantized.getDefiningOp() && filter(use);
  });
}

void QOpsInsertQDQPass::runOnOperation() {
  func::FuncOp func = getOperation();
  MLIRContext *context = &getContext();

  if (activations != "u8" && activations != "i8") {
    func.emitError() << "insert-qdq: activations=" << activations
                     << " is not u8 or i8";
    return signalPassFailure();
  }
  if (weightBits != 8 && weightBits != 4) {
    func.emitError() << "insert-qdq: weight-bits=" << unsigned(weightBits)
                     << " is not 8 or 4";
    return signalPassFailure();
  }
  if (activationBits != 8 && activationBits != 16) {
    func.emitError() << "insert-qdq: activation-bits=" << unsigned(activationBits)
                     << " is not 8 or 16";
    return signalPassFailure();
  }
  QuantScheme activationScheme{activationBits, activations == "i8",
                               /*symmetric=*/false, /*narrowRange=*/false};
  QuantScheme weightScheme{weightBits, /*isSigned=*/true, /*symmetric=*/true,
                           /*narrowRange=*/true};

  // A division by a constant is a multiplication by its reciprocals, the
  // form with an integer implementation.
  SmallVector<DivOp> divisions;
  func.walk([&](DivOp div) {
    if (!isExcluded(div))
      divisions.push_back(div);
  });
  for (DivOp div : divisions) {
    std::optional<SmallVector<double>> divisor =
        getConstantFloatValues(div.getRhs());
    if (!divisor || llvm::any_of(*divisor, [](double v) {
          return !std::isfinite(v) || static_cast<float>(v) == 0.0f;
        }))
      continue;
    SmallVector<float> reciprocals;
    for (double v : *divisor)
      reciprocals.push_back(1.0f / static_cast<float>(v));
    OpBuilder b(div);
    auto type = cast<RankedTensorType>(div.getRhs().getType());
    Value factor = arith::ConstantOp::create(
        b, div.getLoc(),
        DenseElementsAttr::get(type, ArrayRef<float>(reciprocals)));
    auto mul = MulOp::create(b, div.getLoc(), div.getType(), div.getLhs(),
                             factor);
    if (Attribute range = div->getAttr("qops.range"))
      mul->setAttr("qops.range", range);
    div.getResult().replaceAllUsesWith(mul.getResult());
    div.erase();
  }

  // The ops to quantize.
  SmallVector<Operation *> ops;
  bool failedCheck = false;
  func.walk([&](Operation *op) {
    if (op->getName().getDialectNamespace() != "qops" ||
        isa<QuantizeOp, DequantizeOp, RequantizeOp>(op))
      return;
    if (isa<BatchNormOp>(op)) {
      op->emitError() << "insert-qdq: fold batch norms first (--fold-bn)";
      failedCheck = true;
      return;
    }
    if (llvm::any_of(op->getOperandTypes(), isQuantized) ||
        isExcluded(op))
      return;
    ops.push_back(op);
  });
  if (failedCheck)
    return signalPassFailure();

  OpBuilder builder(context);
  auto paramsOrError = [&](Location loc, double lo, double hi,
                           const QuantScheme &scheme,
                           StringRef what) -> std::optional<QuantParams> {
    std::string error;
    FailureOr<QuantParams> params =
        computeQuantParams(lo, hi, scheme, &error);
    if (failed(params)) {
      emitError(loc) << "insert-qdq: cannot quantize " << what << ": "
                     << error;
      return std::nullopt;
    }
    return *params;
  };

  // Weights and other constant operands, per use.
  for (Operation *op : ops) {
    std::optional<WeightedOperands> weighted = getWeightedOperands(op);
    for (OpOperand &operand : op->getOpOperands()) {
      unsigned index = operand.getOperandNumber();
      if (isBiasOperand(op, index))
        continue;
      std::optional<SmallVector<double>> values =
          getConstantFloatValues(operand.get());
      if (!values)
        continue;
      if (auto bad = llvm::find_if(*values,
                                   [](double v) { return !std::isfinite(v); });
          bad != values->end()) {
        op->emitError() << "insert-qdq: constant operand #" << index
                        << " holds a non-finite value (" << *bad
                        << ") at element " << bad - values->begin()
                        << "; it cannot be quantized";
        return signalPassFailure();
      }
      auto type = cast<RankedTensorType>(operand.get().getType());
      builder.setInsertionPoint(op);
      quant::QuantizedType qtype;
      if (weighted && weighted->weightIndex == index) {
        int64_t axis = weighted->channelDim;
        int64_t channels = perChannel ? type.getDimSize(axis) : 1;
        int64_t inner = 1;
        for (int64_t d = axis + 1; d < type.getRank(); ++d)
          inner *= type.getDimSize(d);
        SmallVector<double> lo(channels, 0.0), hi(channels, 0.0);
        for (auto [i, v] : llvm::enumerate(*values)) {
          int64_t c = perChannel ? (int64_t(i) / inner) % channels : 0;
          lo[c] = std::min(lo[c], v);
          hi[c] = std::max(hi[c], v);
        }
        SmallVector<QuantParams> params;
        for (int64_t c = 0; c < channels; ++c) {
          auto p = paramsOrError(op->getLoc(), lo[c], hi[c], weightScheme,
                                 "the weights");
          if (!p)
            return signalPassFailure();
          params.push_back(*p);
        }
        qtype = perChannel
                    ? quant::QuantizedType(getUniformPerAxisType(
                          context, weightScheme, params, axis))
                    : quant::QuantizedType(
                          getUniformType(context, weightScheme, params[0]));
      } else {
        auto [lo, hi] = std::minmax_element(values->begin(), values->end());
        auto p = paramsOrError(op->getLoc(), *lo, *hi, activationScheme,
                               "a constant operand");
        if (!p)
          return signalPassFailure();
        qtype = getUniformType(context, activationScheme, *p);
      }
      insertQDQ(builder, operand.get(), qtype,
                [&](OpOperand &use) { return &use == &operand; });
    }
  }

  // Activations: every non-constant operand and every result.
  llvm::SetVector<Value> activationValues;
  for (Operation *op : ops) {
    for (OpOperand &operand : op->getOpOperands()) {
      Value value = operand.get();
      // Integer operands (gather's indices) are not quantized.
      if (isBiasOperand(op, operand.getOperandNumber()) ||
          !isa<FloatType>(getElementTypeOrSelf(value.getType())) ||
          getConstantFloatValues(value) || value.getDefiningOp<DequantizeOp>())
        continue;
      activationValues.insert(value);
    }
    activationValues.insert(op->getResult(0));
  }
  SmallVector<std::string> missing;
  for (Value value : activationValues) {
    // Already quantized (a QDQ pair follows it): nothing to do.
    if (llvm::any_of(value.getUsers(),
                     [](Operation *user) { return isa<QuantizeOp>(user); }))
      continue;
    std::optional<std::pair<double, double>> range = getRange(value);
    if (!range) {
      missing.push_back(getRangeKey(value));
      continue;
    }
    auto p = paramsOrError(value.getLoc(), range->first, range->second,
                           activationScheme,
                           "'" + getRangeKey(value) + "'");
    if (!p)
      return signalPassFailure();
    if (auto arg = dyn_cast<BlockArgument>(value))
      builder.setInsertionPointToStart(arg.getOwner());
    else
      builder.setInsertionPointAfter(value.getDefiningOp());
    insertQDQ(builder, value, getUniformType(context, activationScheme, *p),
              [](OpOperand &) { return true; });
  }
  if (!missing.empty()) {
    InFlightDiagnostic diag = func.emitError()
                              << "insert-qdq: no range for '" << missing[0]
                              << "'";
    if (missing.size() > 1)
      diag << " and " << missing.size() - 1 << " more tensor(s)";
    diag << ": calibrate the model (--calibrate=\"data=<samples>.npy\", or "
            "--quantize-int8=\"calibration=<samples>.npy\") or give a range "
            "file (ranges-in=<ranges>.json)";
    return signalPassFailure();
  }
}
