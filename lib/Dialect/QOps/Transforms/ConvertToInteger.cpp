//===- ConvertToInteger.cpp - QDQ program to integer qops ops --------------===//
//
// --convert-to-integer: every dequantize -> op -> quantize pattern becomes the
// op on quantized tensors; ops without an integer form stay in float with a
// remark (or an error with allow-float-fallback=false).
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Dialect/QOps/IR/QOpsDialect.h"
#include "quant-ops/Dialect/QOps/IR/QOpsOps.h"
#include "quant-ops/Dialect/QOps/IR/QuantTypeUtils.h"
#include "quant-ops/Dialect/QOps/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::qops {
#define GEN_PASS_DEF_QOPSCONVERTTOINTEGERPASS
#include "quant-ops/Dialect/QOps/Transforms/Passes.h.inc"
} // namespace mlir::qops

using namespace mlir;
using namespace mlir::qops;

namespace {

/// How one op would become integer: its quantized operands and result type,
/// or the reason it cannot.
struct IntegerForm {
  SmallVector<Value> operands;
  QuantizeOp output;
  std::string reason;

  bool ok() const { return reason.empty(); }
};

/// The quantized value `operand` was dequantized from, or null.
Value getQuantizedSource(Value operand) {
  if (auto dequantize = operand.getDefiningOp<DequantizeOp>())
    return dequantize.getInput();
  return nullptr;
}

IntegerForm analyze(Operation *op) {
  IntegerForm form;
  auto fail = [&](const Twine &reason) {
    form.reason = reason.str();
    return form;
  };
  if (op->getNumResults() != 1)
    return fail("it has " + Twine(op->getNumResults()) + " results");
  Value result = op->getResult(0);
  if (!result.hasOneUse() || !isa<QuantizeOp>(*result.getUsers().begin()))
    return fail("its result is not quantized (its only user must be a "
                "qops.quantize)");
  form.output = cast<QuantizeOp>(*result.getUsers().begin());
  quant::UniformQuantizedType outType =
      getPerTensorType(form.output.getType());
  if (!outType)
    return fail("its result is quantized per axis");

  for (auto [i, operand] : llvm::enumerate(op->getOperands())) {
    Value source = getQuantizedSource(operand);
    if (!source)
      return fail("operand #" + Twine(i) + " is not dequantized");
    form.operands.push_back(source);
  }

  auto isPerTensor = [&](unsigned i) {
    return static_cast<bool>(getPerTensorType(form.operands[i].getType()));
  };
  auto sameAsResult = [&](unsigned i) {
    return getPerTensorType(form.operands[i].getType()) == outType;
  };

  if (std::optional<WeightedOperands> weighted = getWeightedOperands(op)) {
    if (!isPerTensor(0))
      return fail("its input is not quantized per tensor");
    if (auto perAxis = getPerAxisType(
            form.operands[weighted->weightIndex].getType());
        perAxis && perAxis.getQuantizedDimension() != weighted->channelDim)
      return fail("its weight is quantized along dimension " +
                  Twine(perAxis.getQuantizedDimension()) +
                  ", not along its output channels (dimension " +
                  Twine(weighted->channelDim) + ")");
    if (Value bias = weighted->getBias(op)) {
      auto biasType = cast<quant::QuantizedType>(
          cast<ShapedType>(form.operands[weighted->biasIndex].getType())
              .getElementType());
      if (!biasType.getStorageType().isSignlessInteger(32))
        return fail("its bias is not quantized to i32 (run "
                    "--propagate-scales)");
    }
    return form;
  }
  if (isa<AddOp, MulOp, AvgPool2DOp, GlobalAvgPoolOp>(op)) {
    for (unsigned i = 0, e = op->getNumOperands(); i < e; ++i)
      if (!isPerTensor(i))
        return fail("operand #" + Twine(i) + " is not quantized per tensor");
    return form;
  }
  if (op->hasTrait<qops::OpTrait::SameQuantScale>() ||
      isa<ReluOp, Relu6Op, ClampOp>(op)) {
    for (unsigned i = 0, e = op->getNumOperands(); i < e; ++i)
      if (!sameAsResult(i))
        return fail("operand #" + Twine(i) +
                    " does not share the result's quantization parameters "
                    "(run --propagate-scales)");
    return form;
  }
  return fail("it has no integer implementation");
}

struct QOpsConvertToIntegerPass
    : public qops::impl::QOpsConvertToIntegerPassBase<
          QOpsConvertToIntegerPass> {
  using QOpsConvertToIntegerPassBase::QOpsConvertToIntegerPassBase;

  /// integer-io: arguments used only by a quantize take its type; results
  /// produced by a dequantize are returned quantized.
  static void exposeIntegers(func::FuncOp func) {
    if (func.isExternal())
      return;
    Block &entry = func.getBody().front();
    for (BlockArgument arg : entry.getArguments()) {
      if (!arg.hasOneUse())
        continue;
      auto quantize = dyn_cast<QuantizeOp>(*arg.getUsers().begin());
      if (!quantize)
        continue;
      arg.setType(quantize.getType());
      func.removeArgAttr(arg.getArgNumber(), "qops.range");
      quantize.getResult().replaceAllUsesWith(arg);
      quantize.erase();
    }
    func.walk([&](func::ReturnOp ret) {
      for (OpOperand &operand : ret->getOpOperands())
        if (auto dequantize = operand.get().getDefiningOp<DequantizeOp>())
          operand.set(dequantize.getInput());
    });
    auto ret = cast<func::ReturnOp>(entry.getTerminator());
    func.setFunctionType(FunctionType::get(func.getContext(),
                                           entry.getArgumentTypes(),
                                           ret.getOperandTypes()));
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (requant != "float" && requant != "fixed-point") {
      func.emitError() << "--convert-to-integer: unknown requant mode '"
                       << requant << "' (expected float or fixed-point)";
      return signalPassFailure();
    }
    func->setAttr("qops.requant", StringAttr::get(&getContext(), requant));

    SmallVector<Operation *> candidates;
    func.walk([&](Operation *op) {
      if (!isa<QOpsDialect>(op->getDialect()) ||
          isa<QuantizeOp, DequantizeOp, RequantizeOp>(op))
        return;
      if (llvm::any_of(op->getResultTypes(), isQuantized))
        return; // Already integer.
      bool touchesQDQ =
          llvm::any_of(op->getOperands(),
                       [](Value v) { return v.getDefiningOp<DequantizeOp>(); }) ||
          llvm::any_of(op->getUsers(),
                       [](Operation *user) { return isa<QuantizeOp>(user); });
      if (touchesQDQ)
        candidates.push_back(op);
    });

    bool failed = false;
    for (Operation *op : candidates) {
      IntegerForm form = analyze(op);
      if (!form.ok()) {
        if (allowFloatFallback) {
          op->emitRemark() << "stays in float between dequantize and "
                              "quantize: "
                           << form.reason;
        } else {
          op->emitError() << "cannot be converted to integer arithmetic: "
                          << form.reason
                          << " (allow-float-fallback=false)";
          failed = true;
        }
        continue;
      }
      OpBuilder builder(op);
      Operation *integerOp = builder.clone(*op);
      integerOp->setOperands(form.operands);
      integerOp->getResult(0).setType(form.output.getType());
      integerOp->removeAttr("qops.range");
      form.output.getResult().replaceAllUsesWith(integerOp->getResult(0));
      form.output.erase();
      op->erase();
    }
    if (failed)
      return signalPassFailure();

    // quantize(dequantize(q)) with new parameters is a requantization.
    func.walk([&](QuantizeOp quantize) {
      auto dequantize = quantize.getInput().getDefiningOp<DequantizeOp>();
      if (!dequantize)
        return;
      OpBuilder builder(quantize);
      Value requantized = RequantizeOp::create(
          builder, quantize.getLoc(), quantize.getType(),
          dequantize.getInput());
      quantize.getResult().replaceAllUsesWith(requantized);
      quantize.erase();
    });

    if (integerIO)
      exposeIntegers(func);

    // Dequantize ops of converted operands, and the quantize ops of
    // constants that fed only them, are dead now.
    SmallVector<Operation *> ops;
    func.walk([&](Operation *op) { ops.push_back(op); });
    for (Operation *op : llvm::reverse(ops))
      if (isa<QuantizeOp, DequantizeOp>(op) && isOpTriviallyDead(op))
        op->erase();
  }
};

} // namespace
