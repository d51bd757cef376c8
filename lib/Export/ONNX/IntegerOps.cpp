//===- IntegerOps.cpp - integer programs to ONNX ---===//
//
// The integer program: QLinearConv (fully_connected and 2-D matmuls with a
// bias as 1x1 ones), QLinearMatMul, tables as Gather, clamps of integers,
// and the QDQ expansion of every other integer op.
//
//===----------------------------------------------------------------------===//

#include "Exporter.h"

using namespace mlir;
using namespace mlir::qops;
using namespace mlir::qops::onnx_export;


bool onnx_export::hasIntegerForm(Operation *op) {
  if (!llvm::any_of(op->getResultTypes(), isQuantized) ||
      isa<QuantizeOp>(op))
    return false;
  // QLinearConv takes constant weights (a quantize of a constant).
  auto isConstantWeight = [](Value weight) {
    auto quantize = weight.getDefiningOp<QuantizeOp>();
    return quantize && quantize.getInput().getDefiningOp<arith::ConstantOp>();
  };
  if (isa<Conv2DOp, FullyConnectedOp>(op))
    return isConstantWeight(op->getOperand(1));
  // QLinearMatMul has no bias: a 2-D product with constant weights and a
  // bias is a 1x1 QLinearConv.
  if (auto matmul = dyn_cast<MatMulOp>(op))
    return !matmul.getBias() || (matmul.getType().getRank() == 2 &&
                                 isConstantWeight(matmul.getRhs()));
  return isa<MaxPool2DOp, ReshapeOp, FlattenOp, ConcatOp, PadOp, TransposeOp,
             TableOp>(op);
}

LogicalResult onnx_export::expandToQDQ(func::FuncOp function) {
  SmallVector<Operation *> ops;
  function.walk([&](Operation *op) {
    if (isa<QuantizeOp, DequantizeOp, arith::ConstantOp, func::ReturnOp>(op) ||
        hasIntegerForm(op) || op->getDialect() == nullptr)
      return;
    if (llvm::any_of(op->getOperandTypes(), isQuantized) ||
        llvm::any_of(op->getResultTypes(), isQuantized))
      ops.push_back(op);
  });
  auto toFloat = [](Type type) -> Type {
    auto shaped = dyn_cast<RankedTensorType>(type);
    if (!shaped || !isQuantized(shaped))
      return type;
    return shaped.clone(Float32Type::get(type.getContext()));
  };
  for (Operation *op : ops) {
    OpBuilder builder(op);
    Location loc = op->getLoc();
    SmallVector<Value> operands;
    for (Value operand : op->getOperands())
      operands.push_back(isQuantized(operand.getType())
                             ? DequantizeOp::create(builder, loc,
                                                    toFloat(operand.getType()),
                                                    operand)
                                   .getResult()
                             : operand);
    SmallVector<Value> results;
    if (isa<RequantizeOp>(op)) {
      results.push_back(operands.front());
    } else {
      Operation *floatOp = builder.clone(*op);
      floatOp->setOperands(operands);
      for (OpResult result : floatOp->getResults())
        result.setType(toFloat(result.getType()));
      if (failed(mlir::verify(floatOp)))
        return floatOp->emitError("cannot export to ONNX: the float form "
                                  "of this quantized op does not verify");
      llvm::append_range(results, floatOp->getResults());
    }
    for (auto [old, value] : llvm::zip(op->getResults(), results)) {
      Value replacement = value;
      if (isQuantized(old.getType()))
        replacement =
            QuantizeOp::create(builder, loc, old.getType(), value);
      old.replaceAllUsesWith(replacement);
    }
    op->erase();
  }
  return success();
}


std::string Exporter::clipIntegers(std::string name,
                                   quant::QuantizedType type, int64_t lo,
                                   int64_t hi, Location loc) {
  if (lo <= type.getStorageTypeMin() && hi >= type.getStorageTypeMax())
    return name;
  int32_t dataType = type.isSigned() ? onnx::TensorProto::INT8
                                     : onnx::TensorProto::UINT8;
  int8_t bounds[2] = {static_cast<int8_t>(lo), static_cast<int8_t>(hi)};
  std::string min = addInitializer("clip_min", dataType, {}, &bounds[0], 1);
  std::string max = addInitializer("clip_max", dataType, {}, &bounds[1], 1);
  std::string out = freshTensorName(name + "/clamped");
  addNode("Clip", {name, min, max}, out, loc);
  return out;
}

FailureOr<std::string> Exporter::writeQuantizedAs(Value value,
                                                  ArrayRef<int64_t> perm,
                                                  ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(value.getType());
  auto qtype = cast<quant::QuantizedType>(type.getElementType());
  FailureOr<int32_t> dataType =
      storageDataType(qtype, value.getLoc(), /*activation=*/false);
  std::optional<SmallVector<int64_t>> ints = getConstantQuantizedValues(value);
  if (failed(dataType) || !ints)
    return emitError(value.getLoc())
           << "cannot export to ONNX: the quantized weight is not a "
              "constant";
  std::vector<char> raw;
  for (int64_t v : *ints)
    raw.push_back(static_cast<char>(static_cast<int8_t>(v)));
  raw = permuteData(raw.data(), 1, type.getShape(), perm);
  std::string base = locationName(value.getLoc());
  return addInitializer(base.empty() ? "quantized" : base + "/quantized",
                        *dataType, shape, raw.data(), raw.size());
}

/// The storage bounds the integer op's fused clamp leaves: the quantized
/// images of clamp_min / clamp_max, as the lowering computes them.
static std::pair<int64_t, int64_t> clampBounds(Operation *op,
                                        quant::QuantizedType type) {
  int64_t lo = type.getStorageTypeMin(), hi = type.getStorageTypeMax();
  FusedClamp clamp = getFusedClamp(op);
  if (!std::isinf(clamp.min))
    lo = std::max(lo, quantizeLikeLowering(clamp.min, type, 0));
  if (!std::isinf(clamp.max))
    hi = std::min(hi, quantizeLikeLowering(clamp.max, type, 0));
  return {lo, hi};
}

/// The element type of a quantized tensor value.
static quant::QuantizedType quantizedType(Value value) {
  return cast<quant::QuantizedType>(
      cast<ShapedType>(value.getType()).getElementType());
}

FailureOr<onnx::NodeProto *>
Exporter::addQLinear(Operation *op, StringRef opType, std::string input,
                     Value inputValue, std::string weight, Value weightValue,
                     Value bias, std::string output) {
  Location loc = op->getLoc();
  auto x = getQuantParams(quantizedType(inputValue), loc, /*activation=*/true);
  auto w = getQuantParams(quantizedType(weightValue), loc,
                          /*activation=*/!isLazy(weightValue));
  auto y = getQuantParams(quantizedType(op->getResult(0)), loc,
                          /*activation=*/true);
  if (failed(x) || failed(w) || failed(y))
    return failure();
  SmallVector<std::string> inputs = {input,    x->first, x->second,
                                     weight,   w->first, w->second,
                                     y->first, y->second};
  if (bias) {
    FailureOr<std::string> b = getPlain(bias);
    if (failed(b))
      return failure();
    inputs.push_back(*b);
  }
  return &addNode(opType, inputs, output, loc);
}

LogicalResult Exporter::exportPointwise(Operation *op, Value inputValue,
                                        Value weightValue,
                                        ArrayRef<int64_t> weightPerm,
                                        Value bias) {
  Location loc = op->getLoc();
  auto resultType = cast<quant::QuantizedType>(
      cast<ShapedType>(op->getResult(0).getType()).getElementType());
  if (auto dequantize = weightValue.getDefiningOp<DequantizeOp>())
    weightValue = dequantize.getInput();
  auto inputShape = cast<ShapedType>(inputValue.getType()).getShape();
  SmallVector<int64_t> weightShape = permuted(
      cast<ShapedType>(weightValue.getType()).getShape(), weightPerm);
  FailureOr<std::string> input = getPlain(inputValue);
  if (failed(input))
    return failure();
  std::string input4 = freshTensorName(*input + "/nchw");
  addNode("Reshape",
          {*input, addInt64s("shape", {inputShape[0], inputShape[1], 1, 1})},
          input4, loc);
  FailureOr<std::string> weight = writeQuantizedAs(
      weightValue, weightPerm, {weightShape[0], weightShape[1], 1, 1});
  if (failed(weight))
    return failure();
  std::string name = outputName(op);
  std::string conv = freshTensorName(name + "/nchw");
  FailureOr<onnx::NodeProto *> node =
      addQLinear(op, "QLinearConv", input4, inputValue, *weight, weightValue,
                 bias, conv);
  if (failed(node))
    return failure();
  setInts(**node, "kernel_shape", {1, 1});
  addNode("Reshape",
          {conv, addInt64s("shape", {inputShape[0], weightShape[0]})}, name,
          loc);
  auto [lo, hi] = clampBounds(op, resultType);
  define(op->getResult(0), clipIntegers(name, resultType, lo, hi, loc),
         identity(2));
  return success();
}

LogicalResult Exporter::exportInteger(Operation *op) {
  Location loc = op->getLoc();
  auto resultType = cast<quant::QuantizedType>(
      cast<ShapedType>(op->getResult(0).getType()).getElementType());
  // QLinearConv / QLinearMatMul: x, x_scale, x_zero_point, w, w_scale,
  // w_zero_point, y_scale, y_zero_point [, bias].
  auto linear = [&](StringRef opType, std::string input, Value inputValue,
                    std::string weight, Value weightValue, Value bias) {
    return addQLinear(op, opType, std::move(input), inputValue,
                      std::move(weight), weightValue, bias, outputName(op));
  };
  auto finish = [&](onnx::NodeProto *node, Perm perm) {
    auto [lo, hi] = clampBounds(op, resultType);
    define(op->getResult(0),
           clipIntegers(node->output(0), resultType, lo, hi, loc),
           std::move(perm));
    return success();
  };

  return TypeSwitch<Operation *, LogicalResult>(op)
      .Case<Conv2DOp>([&](Conv2DOp conv) -> LogicalResult {
        FailureOr<std::string> input = get(conv.getInput(), kNCHW);
        FailureOr<std::string> weight = get(conv.getWeight(), kNCHW);
        if (failed(input) || failed(weight))
          return failure();
        auto node = linear("QLinearConv", *input, conv.getInput(), *weight,
                           conv.getWeight(), conv.getBias());
        if (failed(node))
          return failure();
        auto weightShape = cast<ShapedType>(conv.getWeight().getType());
        setInts(**node, "kernel_shape",
                {weightShape.getDimSize(1), weightShape.getDimSize(2)});
        setInts(**node, "strides", conv.getStride());
        setInts(**node, "pads", onnxPads(conv.getPad()));
        setInts(**node, "dilations", conv.getDilation());
        setInt(**node, "group", conv.getGroups());
        return finish(*node, kNCHW);
      })
      .Case<FullyConnectedOp>([&](FullyConnectedOp fc) {
        return exportPointwise(op, fc.getInput(), fc.getWeight(), {0, 1},
                               fc.getBias());
      })
      .Case<MatMulOp>([&](MatMulOp matmul) -> LogicalResult {
        if (matmul.getBias())
          return exportPointwise(op, matmul.getLhs(), matmul.getRhs(), {1, 0},
                                 matmul.getBias());
        FailureOr<std::string> lhs = getPlain(matmul.getLhs());
        FailureOr<std::string> rhs = getPlain(matmul.getRhs());
        if (failed(lhs) || failed(rhs))
          return failure();
        auto node = linear("QLinearMatMul", *lhs, matmul.getLhs(), *rhs,
                           matmul.getRhs(), Value());
        if (failed(node))
          return failure();
        return finish(*node, identity(matmul.getType().getRank()));
      })
      .Case<TableOp>([&](TableOp table) -> LogicalResult {
        // Gather(table, int32(q) - qmin): the 256 stored outputs indexed
        // by the stored input.
        FailureOr<Layout> input = getAny(table.getInput());
        if (failed(input))
          return failure();
        auto inputType = cast<quant::QuantizedType>(
            table.getInput().getType().getElementType());
        FailureOr<int32_t> dataType =
            storageDataType(resultType, loc, /*activation=*/true);
        if (failed(dataType))
          return failure();
        std::vector<char> entries;
        for (APInt v : table.getTable().getValues<APInt>())
          entries.push_back(static_cast<char>(v.getSExtValue()));
        std::string values = addInitializer(
            "table", *dataType, {int64_t(entries.size())}, entries.data(),
            entries.size());
        std::string index = freshTensorName(input->name + "/index");
        onnx::NodeProto &cast = addNode("Cast", {input->name}, index, loc);
        setInt(cast, "to", onnx::TensorProto::INT32);
        if (inputType.getStorageTypeMin() != 0) {
          int32_t offset = -static_cast<int32_t>(inputType.getStorageTypeMin());
          std::string shifted = freshTensorName(index + "/offset");
          addNode("Add",
                  {index, addInitializer("offset", onnx::TensorProto::INT32,
                                         {}, &offset, sizeof(offset))},
                  shifted, loc);
          index = shifted;
        }
        std::string name = outputName(op);
        onnx::NodeProto &gather = addNode("Gather", {values, index}, name, loc);
        setInt(gather, "axis", 0);
        define(table.getResult(), name, input->perm);
        return success();
      })
      .Case<TransposeOp, MaxPool2DOp, ReshapeOp, FlattenOp, ConcatOp,
            PadOp>([&](Operation *op) -> LogicalResult {
        // The same data movement on the 8-bit integers.
        return exportOp(op, /*integer=*/true);
      })
      .Default([&](Operation *op) -> LogicalResult {
        return op->emitError("internal error: no integer ONNX form");
      });
}

