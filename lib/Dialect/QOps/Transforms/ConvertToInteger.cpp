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
#include "quant-ops/Dialect/QOps/IR/Requantization.h"
#include "quant-ops/Dialect/QOps/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

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
  /// The op becomes a qops.table of its ElementFunctionOpInterface.
  bool table = false;
  /// For a BinaryElementFunctionOpInterface with a constant scalar operand:
  /// the index of the other (tabulated) operand and the constant's
  /// dequantized value.
  unsigned tableInput = 0;
  std::optional<float> scalar;

  bool ok() const { return reason.empty(); }
};

/// The quantized value `operand` was dequantized from, or null.
Value getQuantizedSource(Value operand) {
  if (auto dequantize = operand.getDefiningOp<DequantizeOp>())
    return dequantize.getInput();
  return nullptr;
}

/// "i8" / "u8" / "i16": the storage of a quantized type.
std::string describeStorage(quant::QuantizedType type) {
  return (type.isSigned() ? "i" : "u") +
         std::to_string(type.getStorageTypeIntegralWidth());
}

/// "scale 0.02 and zero point 128".
std::string describeParams(quant::UniformQuantizedType type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "scale " << llvm::format("%g", type.getScale()) << " and zero point "
     << type.getZeroPoint();
  return text;
}

/// Why operand #`index` (quantized as `source`) of a same-scale op does not
/// have the result's parameters `outType`: what happened and what to do.
/// The remark must hold in every pipeline that runs this pass, including
/// --quantize-int8, where --propagate-scales has just run.
std::string describeUnshared(Operation *op, unsigned index, Value source,
                             quant::UniformQuantizedType outType,
                             QuantizeOp output) {
  std::string operand = "operand #" + std::to_string(index);
  quant::UniformQuantizedType inType = getPerTensorType(source.getType());
  if (!inType)
    return operand + " is quantized per axis, but an op that copies "
                     "integers needs the per-tensor parameters of its "
                     "result";
  std::string params = operand + " has " + describeParams(inType) +
                       ", the result " + describeParams(outType);
  // Activations are not same-scale ops: calibration gives their input and
  // result their own ranges, and only fusion into the producer makes them
  // integer clamps.
  if (isa<ReluOp, Relu6Op, ClampOp>(op))
    return params + ": a standalone " + op->getName().getStringRef().str() +
           " is a clamp of the integers only when its input and result "
           "share parameters, and calibration gave them different ranges "
           "(--fuse-activations folds it into its producer only when that "
           "is a conv2d, matmul, fully_connected or add whose result has no "
           "other user)";
  return params + ": an op that copies integers needs them equal "
                  "(--propagate-scales makes them so unless both are fixed: "
                  "by a fixed-range op, an argument or a quantized value "
                  "used directly; run it first if this pipeline does not)";
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
  if (isa<GroupNormOp>(op))
    return fail("group_norm has no integer form (a float island by design: "
                "see its description)");
  if (isa<LayerNormOp>(op))
    return fail("layer_norm has no integer form (a float island by design: "
                "see its description)");
  if (isa<GatherOp>(op))
    return fail("gather reads integer indices and has no integer form (a "
                "float island by design: see its description)");
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
        // --propagate-scales gives i32 parameters to float biases only, so
        // this bias was already quantized in its input.
        return fail("its bias is quantized to " +
                    Twine(describeStorage(biasType)) +
                    ", not to i32; --propagate-scales quantizes only float "
                    "biases (to i32 with scale s_in * s_w) and keeps this "
                    "one, which was already quantized in the input: give "
                    "the op a float bias");
    }
    return form;
  }
  if (isa<AddOp, SubOp, MulOp, MaximumOp, MinimumOp, AvgPool2DOp,
          GlobalAvgPoolOp, ReduceMeanOp>(op)) {
    for (unsigned i = 0, e = op->getNumOperands(); i < e; ++i)
      if (!isPerTensor(i))
        return fail("operand #" + Twine(i) + " is not quantized per tensor");
    return form;
  }
  if (isa<ResizeBilinearOp>(op))
    return fail("resize_bilinear has no integer form (a documented float "
                "island: its f32 interpolation weights have no exact integer "
                "equivalent that the QDQ simulation shares)");
  if (isa<ReduceSumOp>(op))
    return fail("reduce_sum has no integer form (its result range grows "
                "with the reduced count; a float island)");
  // A binary element function with a constant scalar operand is an
  // element function of its other operand.
  if (isa<BinaryElementFunctionOpInterface>(op)) {
    std::optional<unsigned> constantIndex;
    for (unsigned i = 0; i < 2; ++i) {
      std::optional<SmallVector<int64_t>> values =
          getConstantQuantizedValues(form.operands[i]);
      auto type = getPerTensorType(form.operands[i].getType());
      if (!values || values->empty() || !type ||
          llvm::any_of(*values,
                       [&](int64_t v) { return v != values->front(); }))
        continue;
      constantIndex = i;
      form.scalar = dequantizeLikeLowering(values->front(), type);
      break;
    }
    if (!constantIndex)
      return fail("neither operand is a constant scalar (a " +
                  op->getName().getStringRef() +
                  " of two run-time tensors has no integer form; a float "
                  "island)");
    form.tableInput = 1 - *constantIndex;
    if (cast<ShapedType>(form.operands[form.tableInput].getType())
            .getShape() != cast<ShapedType>(result.getType()).getShape())
      return fail("the constant operand broadcasts the other one to a "
                  "larger shape (a table keeps its input's shape)");
  }
  // An element function of an 8-bit tensor is a table of its 256 values.
  auto asTable = [&]() -> std::optional<std::string> {
    if (!isa<ElementFunctionOpInterface>(op) && !form.scalar)
      return "it has no integer implementation";
    quant::UniformQuantizedType inType =
        getPerTensorType(form.operands[form.tableInput].getType());
    if (!inType)
      return std::string("its input is quantized per axis (a table needs "
                         "one set of parameters)");
    if (inType.getStorageTypeIntegralWidth() != 8)
      return "its input is " + describeStorage(inType) +
             ", and only an 8-bit input has a 256-entry table";
    return std::nullopt;
  };
  if (op->hasTrait<qops::OpTrait::SameQuantScale>() ||
      isa<ReluOp, Relu6Op, ClampOp>(op)) {
    for (unsigned i = 0, e = op->getNumOperands(); i < e; ++i)
      if (!sameAsResult(i)) {
        if (isa<ElementFunctionOpInterface>(op) && !asTable()) {
          form.table = true;
          return form;
        }
        return fail(describeUnshared(op, i, form.operands[i], outType,
                                     form.output));
      }
    return form;
  }
  if (std::optional<std::string> reason = asTable())
    return fail(*reason);
  form.table = true;
  return form;
}

/// The qops.table replacing `op` (an ElementFunctionOpInterface, or a
/// BinaryElementFunctionOpInterface with a constant scalar operand) between
/// its 8-bit per-tensor operand `form.operands[form.tableInput]` and the
/// result type of `form.output`: entry v - qmin is the quantized image of
/// f(dequantized v), in the f32 arithmetic of the float program.
TableOp buildTable(OpBuilder &builder, Operation *op, const IntegerForm &form) {
  Value source = form.operands[form.tableInput];
  QuantizeOp output = form.output;
  // The element function: the op's own, or the binary one with the
  // constant scalar on its side.
  auto evaluate = [&](float x) {
    if (!form.scalar)
      return cast<ElementFunctionOpInterface>(op).evaluateElement(x);
    auto binary = cast<BinaryElementFunctionOpInterface>(op);
    return form.tableInput == 0 ? binary.evaluateElements(x, *form.scalar)
                                : binary.evaluateElements(*form.scalar, x);
  };
  quant::UniformQuantizedType inType = getPerTensorType(source.getType());
  quant::UniformQuantizedType outType = getPerTensorType(output.getType());
  SmallVector<int32_t> entries;
  for (int64_t i = 0; i < 256; ++i) {
    float x = dequantizeLikeLowering(inType.getStorageTypeMin() + i, inType);
    entries.push_back(static_cast<int32_t>(
        quantizeLikeLowering(evaluate(x), outType, 0)));
  }
  auto tableType = RankedTensorType::get({256}, builder.getI32Type());
  return TableOp::create(
      builder, op->getLoc(), output.getType(), source,
      DenseIntElementsAttr::get(tableType, ArrayRef<int32_t>(entries)));
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
      Operation *integerOp;
      if (form.table) {
        integerOp = buildTable(builder, op, form);
      } else {
        integerOp = builder.clone(*op);
        integerOp->setOperands(form.operands);
        integerOp->getResult(0).setType(form.output.getType());
        integerOp->removeAttr("qops.range");
      }
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
