//===- FloatOps.cpp - float ops to ONNX ---===//
//
// Float ops (and the data movement of integer programs), QuantizeLinear /
// DequantizeLinear of activations and fused clamps.
//
//===----------------------------------------------------------------------===//

#include "Exporter.h"

using namespace mlir;
using namespace mlir::qops;
using namespace mlir::qops::onnx_export;

LogicalResult Exporter::exportClamp(Operation *op, std::string name,
                                    Perm perm, Value result) {
  FusedClamp clamp = getFusedClamp(op);
  if (!clamp.isSet()) {
    define(result, std::move(name), std::move(perm));
    return success();
  }
  std::string out = freshTensorName(name + "/clamped");
  if (clamp.min == 0 && std::isinf(clamp.max)) {
    addNode("Relu", {name}, out, op->getLoc());
  } else {
    std::string lo = std::isinf(clamp.min)
                         ? std::string()
                         : addFloatScalar("clip_min", float(clamp.min));
    std::string hi = std::isinf(clamp.max)
                         ? std::string()
                         : addFloatScalar("clip_max", float(clamp.max));
    addNode("Clip", {name, lo, hi}, out, op->getLoc());
  }
  define(result, out, std::move(perm));
  return success();
}

LogicalResult Exporter::exportUnary(Operation *op, StringRef opType) {
  FailureOr<Layout> input = getAny(op->getOperand(0));
  if (failed(input))
    return failure();
  std::string name = outputName(op);
  addNode(opType, {input->name}, name, op->getLoc());
  define(op->getResult(0), name, input->perm);
  return success();
}

LogicalResult Exporter::exportBinary(Operation *op, StringRef opType) {
  Value lhs = op->getOperand(0), rhs = op->getOperand(1);
  auto rank = [](Value v) { return cast<ShapedType>(v.getType()).getRank(); };
  int64_t resultRank = cast<ShapedType>(op->getResult(0).getType()).getRank();
  // The result takes the order of a run-time operand of full rank.
  Perm perm = identity(resultRank);
  for (Value v : {lhs, rhs})
    if (!isLazy(v) && rank(v) == resultRank) {
      FailureOr<Layout> layout = getAny(v);
      if (failed(layout))
        return failure();
      perm = layout->perm;
      break;
    }
  SmallVector<std::string, 2> inputs;
  for (Value v : {lhs, rhs}) {
    if (rank(v) == resultRank) {
      FailureOr<std::string> name = get(v, perm);
      if (failed(name))
        return failure();
      inputs.push_back(*name);
      continue;
    }
    // A lower-rank operand broadcasts against the trailing dimensions: in
    // its own order unless the result is permuted.
    FailureOr<std::string> name = perm == identity(resultRank)
                                      ? getPlain(v)
                                      : getBroadcast(v, perm);
    if (failed(name))
      return failure();
    inputs.push_back(*name);
  }
  std::string name = outputName(op);
  addNode(opType, inputs, name, op->getLoc());
  return exportClamp(op, name, perm, op->getResult(0));
}


LogicalResult Exporter::exportOp(Operation *op) {
  return exportOp(op, /*integer=*/false);
}

LogicalResult Exporter::exportOp(Operation *op, bool integer) {
  Location loc = op->getLoc();
  if (!integer && hasIntegerForm(op))
    return exportInteger(op);
  return TypeSwitch<Operation *, LogicalResult>(op)
      .Case<arith::ConstantOp>([](auto) { return success(); })
      .Case<QuantizeOp, DequantizeOp>([&](Operation *op) -> LogicalResult {
        if (isLazy(op->getResult(0)))
          return success();
        Value input = op->getOperand(0);
        Type quantType = isa<QuantizeOp>(op) ? op->getResult(0).getType()
                                             : input.getType();
        auto qtype = cast<quant::QuantizedType>(
            cast<ShapedType>(quantType).getElementType());
        FailureOr<Layout> layout = getAny(input);
        if (failed(layout))
          return failure();
        auto params = getQuantParams(qtype, loc, /*activation=*/true);
        if (failed(params))
          return failure();
        std::string name = outputName(op);
        onnx::NodeProto &node = addNode(
            isa<QuantizeOp>(op) ? "QuantizeLinear" : "DequantizeLinear",
            {layout->name, params->first, params->second}, name, loc);
        if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(qtype))
          setInt(node, "axis",
                 fileAxis(layout->perm, perAxis.getQuantizedDimension()));
        define(op->getResult(0), name, layout->perm);
        return success();
      })
      .Case<TransposeOp>([&](TransposeOp transpose) -> LogicalResult {
        FailureOr<Layout> layout = getAny(transpose.getInput());
        if (failed(layout))
          return failure();
        // Result dimension j is input dimension p[j]: file dimension i,
        // input dimension layout.perm[i], is result dimension pinv of it.
        ArrayRef<int64_t> p = transpose.getPerm();
        Perm perm = llvm::map_to_vector<4>(
            layout->perm, [&](int64_t d) { return fileAxis(p, d); });
        define(transpose.getResult(), layout->name, perm);
        return success();
      })
      .Case<Conv2DOp>([&](Conv2DOp conv) -> LogicalResult {
        FailureOr<std::string> input = get(conv.getInput(), kNCHW);
        FailureOr<std::string> weight = get(conv.getWeight(), kNCHW);
        if (failed(input) || failed(weight))
          return failure();
        SmallVector<std::string, 3> inputs = {*input, *weight};
        if (Value bias = conv.getBias()) {
          FailureOr<std::string> name = getPlain(bias);
          if (failed(name))
            return failure();
          inputs.push_back(*name);
        }
        std::string name = outputName(op);
        onnx::NodeProto &node = addNode("Conv", inputs, name, loc);
        auto weightShape = cast<ShapedType>(conv.getWeight().getType());
        setInts(node, "kernel_shape",
                {weightShape.getDimSize(1), weightShape.getDimSize(2)});
        setInts(node, "strides", conv.getStride());
        setInts(node, "pads", onnxPads(conv.getPad()));
        setInts(node, "dilations", conv.getDilation());
        setInt(node, "group", conv.getGroups());
        return exportClamp(op, name, kNCHW, conv.getResult());
      })
      .Case<FullyConnectedOp>([&](FullyConnectedOp fc) -> LogicalResult {
        // 2-D by the op's verifier, like Gemm's operands.
        FailureOr<std::string> input = getPlain(fc.getInput());
        FailureOr<std::string> weight = getPlain(fc.getWeight());
        if (failed(input) || failed(weight))
          return failure();
        SmallVector<std::string, 3> inputs = {*input, *weight};
        if (Value bias = fc.getBias()) {
          FailureOr<std::string> name = getPlain(bias);
          if (failed(name))
            return failure();
          inputs.push_back(*name);
        }
        std::string name = outputName(op);
        onnx::NodeProto &node = addNode("Gemm", inputs, name, loc);
        setInt(node, "transB", 1);
        return exportClamp(op, name, identity(2), fc.getResult());
      })
      .Case<MatMulOp>([&](MatMulOp matmul) -> LogicalResult {
        FailureOr<std::string> lhs = getPlain(matmul.getLhs());
        FailureOr<std::string> rhs = getPlain(matmul.getRhs());
        if (failed(lhs) || failed(rhs))
          return failure();
        int64_t rank = matmul.getType().getRank();
        std::string name = outputName(op);
        addNode("MatMul", {*lhs, *rhs}, name, loc);
        if (Value bias = matmul.getBias()) {
          FailureOr<std::string> b = getPlain(bias);
          if (failed(b))
            return failure();
          std::string sum = freshTensorName(name + "/bias");
          addNode("Add", {name, *b}, sum, loc);
          name = sum;
        }
        return exportClamp(op, name, identity(rank),
                           matmul.getResult());
      })
      .Case<AddOp>([&](auto) { return exportBinary(op, "Add"); })
      .Case<SubOp>([&](auto) { return exportBinary(op, "Sub"); })
      .Case<MulOp>([&](auto) { return exportBinary(op, "Mul"); })
      .Case<DivOp>([&](auto) { return exportBinary(op, "Div"); })
      .Case<MaximumOp>([&](auto) { return exportBinary(op, "Max"); })
      .Case<MinimumOp>([&](auto) { return exportBinary(op, "Min"); })
      .Case<ReluOp>([&](auto) { return exportUnary(op, "Relu"); })
      .Case<SigmoidOp>([&](auto) { return exportUnary(op, "Sigmoid"); })
      .Case<TanhOp>([&](auto) { return exportUnary(op, "Tanh"); })
      .Case<ExpOp>([&](auto) { return exportUnary(op, "Exp"); })
      .Case<SqrtOp>([&](auto) { return exportUnary(op, "Sqrt"); })
      .Case<NegOp>([&](auto) { return exportUnary(op, "Neg"); })
      .Case<AbsOp>([&](auto) { return exportUnary(op, "Abs"); })
      .Case<ErfOp>([&](auto) { return exportUnary(op, "Erf"); })
      .Case<ReciprocalOp>(
          [&](auto) { return exportUnary(op, "Reciprocal"); })
      .Case<HardSwishOp>([&](auto) { return exportUnary(op, "HardSwish"); })
      .Case<Relu6Op, ClampOp>([&](Operation *op) -> LogicalResult {
        FailureOr<Layout> input = getAny(op->getOperand(0));
        if (failed(input))
          return failure();
        float lo = 0, hi = 6;
        if (auto clamp = dyn_cast<ClampOp>(op)) {
          lo = clamp.getMin().convertToFloat();
          hi = clamp.getMax().convertToFloat();
        }
        std::string name = outputName(op);
        addNode("Clip",
                {input->name, addFloatScalar("clip_min", lo),
                 addFloatScalar("clip_max", hi)},
                name, loc);
        define(op->getResult(0), name, input->perm);
        return success();
      })
      .Case<LeakyReluOp>([&](LeakyReluOp leaky) -> LogicalResult {
        if (failed(exportUnary(op, "LeakyRelu")))
          return failure();
        setFloat(*graph.mutable_node()->rbegin(), "alpha",
                 leaky.getAlpha().convertToFloat());
        return success();
      })
      .Case<HardSigmoidOp>([&](HardSigmoidOp hard) -> LogicalResult {
        if (failed(exportUnary(op, "HardSigmoid")))
          return failure();
        onnx::NodeProto &node = *graph.mutable_node()->rbegin();
        setFloat(node, "alpha", hard.getAlpha().convertToFloat());
        setFloat(node, "beta", hard.getBeta().convertToFloat());
        return success();
      })
      .Case<SiluOp>([&](SiluOp silu) -> LogicalResult {
        FailureOr<Layout> input = getAny(silu.getInput());
        if (failed(input))
          return failure();
        std::string name = outputName(op);
        std::string gate = freshTensorName(name + "/sigmoid");
        addNode("Sigmoid", {input->name}, gate, loc);
        addNode("Mul", {input->name, gate}, name, loc);
        define(silu.getResult(), name, input->perm);
        return success();
      })
      .Case<MaxPool2DOp, AvgPool2DOp>([&](Operation *op) -> LogicalResult {
        FailureOr<std::string> input = get(op->getOperand(0), kNCHW);
        if (failed(input))
          return failure();
        std::string name = outputName(op);
        bool isMax = isa<MaxPool2DOp>(op);
        onnx::NodeProto &node =
            addNode(isMax ? "MaxPool" : "AveragePool", {*input}, name, loc);
        setInts(node, "kernel_shape",
                op->getAttrOfType<DenseI64ArrayAttr>("kernel").asArrayRef());
        setInts(node, "strides",
                op->getAttrOfType<DenseI64ArrayAttr>("stride").asArrayRef());
        setInts(node, "pads",
                onnxPads(
                    op->getAttrOfType<DenseI64ArrayAttr>("pad").asArrayRef()));
        if (auto dilation = op->getAttrOfType<DenseI64ArrayAttr>("dilation"))
          setInts(node, "dilations", dilation.asArrayRef());
        if (!isMax)
          setInt(node, "count_include_pad",
                 op->hasAttr("count_include_pad") ? 1 : 0);
        define(op->getResult(0), name, kNCHW);
        return success();
      })
      .Case<GlobalAvgPoolOp>([&](GlobalAvgPoolOp pool) -> LogicalResult {
        FailureOr<std::string> input = get(pool.getInput(), kNCHW);
        if (failed(input))
          return failure();
        std::string name = outputName(op);
        addNode("GlobalAveragePool", {*input}, name, loc);
        define(pool.getResult(), name, kNCHW);
        return success();
      })
      .Case<ReshapeOp>([&](ReshapeOp reshape) -> LogicalResult {
        FailureOr<std::string> input = getRowMajor(reshape.getInput());
        if (failed(input))
          return failure();
        std::string name = outputName(op);
        addNode("Reshape",
                {*input, addInt64s("shape", reshape.getType().getShape())},
                name, loc);
        define(reshape.getResult(), name,
               identity(reshape.getType().getRank()));
        return success();
      })
      .Case<FlattenOp>([&](FlattenOp flatten) -> LogicalResult {
        FailureOr<std::string> input = getRowMajor(flatten.getInput());
        if (failed(input))
          return failure();
        // A Reshape: the input may be held in another shape.
        std::string name = outputName(op);
        addNode("Reshape",
                {*input, addInt64s("shape", flatten.getType().getShape())},
                name, loc);
        define(flatten.getResult(), name, identity(2));
        return success();
      })
      .Case<ConcatOp>([&](ConcatOp concat) -> LogicalResult {
        Perm perm = identity(concat.getType().getRank());
        for (Value input : concat.getInputs())
          if (!isLazy(input)) {
            FailureOr<Layout> layout = getAny(input);
            if (failed(layout))
              return failure();
            perm = layout->perm;
            break;
          }
        SmallVector<std::string> inputs;
        for (Value input : concat.getInputs()) {
          FailureOr<std::string> name = get(input, perm);
          if (failed(name))
            return failure();
          inputs.push_back(*name);
        }
        std::string name = outputName(op);
        onnx::NodeProto &node = addNode("Concat", inputs, name, loc);
        setInt(node, "axis", fileAxis(perm, concat.getAxis()));
        define(concat.getResult(), name, perm);
        return success();
      })
      .Case<PadOp>([&](PadOp pad) -> LogicalResult {
        FailureOr<Layout> input = getAny(pad.getInput());
        if (failed(input))
          return failure();
        ArrayRef<int64_t> amounts = pad.getPad();
        SmallVector<int64_t> pads;
        for (int64_t d : input->perm)
          pads.push_back(amounts[2 * d]);
        for (int64_t d : input->perm)
          pads.push_back(amounts[2 * d + 1]);
        SmallVector<std::string, 3> inputs = {input->name,
                                              addInt64s("pads", pads)};
        StringRef mode = pad.getMode() ? *pad.getMode() : "constant";
        if (mode == "constant" && integer) {
          // The quantized image of the value (0: the zero point).
          auto qtype = getPerTensorType(pad.getType());
          int8_t stored = static_cast<int8_t>(quantizeLikeLowering(
              pad.getValue() ? pad.getValue()->convertToDouble() : 0.0,
              qtype, 0));
          inputs.push_back(addInitializer(
              "pad_value",
              qtype.isSigned() ? onnx::TensorProto::INT8
                               : onnx::TensorProto::UINT8,
              {}, &stored, 1));
        } else if (mode == "constant") {
          inputs.push_back(addFloatScalar(
              "pad_value",
              pad.getValue() ? pad.getValue()->convertToFloat() : 0.0f));
        }
        std::string name = outputName(op);
        onnx::NodeProto &node = addNode("Pad", inputs, name, loc);
        setString(node, "mode", mode);
        define(pad.getResult(), name, input->perm);
        return success();
      })
      .Case<SliceOp>([&](SliceOp slice) -> LogicalResult {
        FailureOr<Layout> input = getAny(slice.getInput());
        if (failed(input))
          return failure();
        ArrayRef<int64_t> offsets = slice.getOffsets();
        ArrayRef<int64_t> strides = slice.getStrides();
        ArrayRef<int64_t> sizes = slice.getType().getShape();
        // Per file axis: [offset, offset + (size - 1) * stride + 1).
        SmallVector<int64_t> starts, ends, axes, steps;
        for (auto [axis, d] : llvm::enumerate(input->perm)) {
          starts.push_back(offsets[d]);
          ends.push_back(offsets[d] + (sizes[d] - 1) * strides[d] + 1);
          axes.push_back(axis);
          steps.push_back(strides[d]);
        }
        std::string name = outputName(op);
        addNode("Slice",
                {input->name, addInt64s("starts", starts),
                 addInt64s("ends", ends), addInt64s("axes", axes),
                 addInt64s("steps", steps)},
                name, loc);
        define(slice.getResult(), name, input->perm);
        return success();
      })
      .Case<GatherOp>([&](GatherOp gather) -> LogicalResult {
        FailureOr<std::string> data = getPlain(gather.getData());
        FailureOr<std::string> indices = getPlain(gather.getIndices());
        if (failed(data) || failed(indices))
          return failure();
        // qops.gather clamps an index still out of range after the wrap of
        // negatives; ONNX leaves that undefined: clip to [-D, D - 1] first.
        auto indexType = cast<RankedTensorType>(gather.getIndices().getType());
        int64_t extent = gather.getData().getType().getDimSize(
            gather.getAxis());
        bool wide = indexType.getElementType().isInteger(64);
        auto bound = [&](StringRef base, int64_t v) {
          int32_t narrow = static_cast<int32_t>(v);
          return wide ? addInt64s(base, {v}, /*scalar=*/true)
                      : addInitializer(base, onnx::TensorProto::INT32, {},
                                       &narrow, sizeof(narrow));
        };
        std::string clipped = freshTensorName(*indices + "/clamped");
        addNode("Clip",
                {*indices, bound("index_min", -extent),
                 bound("index_max", extent - 1)},
                clipped, loc);
        std::string name = outputName(op);
        onnx::NodeProto &node = addNode("Gather", {*data, clipped}, name, loc);
        setInt(node, "axis", gather.getAxis());
        define(gather.getResult(), name,
               identity(gather.getType().getRank()));
        return success();
      })
      .Case<LayerNormOp>([&](LayerNormOp norm) -> LogicalResult {
        FailureOr<std::string> input = getPlain(norm.getInput());
        FailureOr<std::string> scale = getPlain(norm.getScale());
        FailureOr<std::string> bias = getPlain(norm.getBias());
        if (failed(input) || failed(scale) || failed(bias))
          return failure();
        std::string name = outputName(op);
        onnx::NodeProto &node = addNode("LayerNormalization",
                                        {*input, *scale, *bias}, name, loc);
        setInt(node, "axis", norm.getAxis());
        setFloat(node, "epsilon", norm.getEpsilon().convertToFloat());
        define(norm.getResult(), name, identity(norm.getType().getRank()));
        return success();
      })
      .Case<GeluOp>([&](GeluOp gelu) -> LogicalResult {
        // Opset 20's Gelu, written out: x * 0.5 * (1 + erf(x / sqrt(2))),
        // or with tanh(sqrt(2 / pi) * (x + 0.044715 x^3)).
        FailureOr<Layout> input = getAny(gelu.getInput());
        if (failed(input))
          return failure();
        std::string x = input->name, name = outputName(op);
        auto binary = [&](StringRef opType, std::string a, std::string b) {
          std::string out = freshTensorName(name + "/" + opType.lower());
          addNode(opType, {a, b}, out, loc);
          return out;
        };
        auto unary = [&](StringRef opType, std::string a) {
          std::string out = freshTensorName(name + "/" + opType.lower());
          addNode(opType, {a}, out, loc);
          return out;
        };
        std::string inner;
        if (gelu.getApproximate() == "tanh") {
          std::string cube =
              binary("Mul", binary("Mul", x, x), x);
          std::string sum = binary(
              "Add", x, binary("Mul", cube, addFloatScalar("c", 0.044715f)));
          inner = unary("Tanh",
                        binary("Mul", sum,
                               addFloatScalar("sqrt_2_over_pi",
                                              float(std::sqrt(2.0 / M_PI)))));
        } else {
          inner = unary("Erf", binary("Div", x,
                                      addFloatScalar("sqrt_2",
                                                     float(std::sqrt(2.0)))));
        }
        std::string gate =
            binary("Add", inner, addFloatScalar("one", 1.0f));
        std::string half = binary("Mul", x, addFloatScalar("half", 0.5f));
        addNode("Mul", {half, gate}, name, loc);
        define(gelu.getResult(), name, input->perm);
        return success();
      })
      .Case<SoftmaxOp>([&](SoftmaxOp softmax) -> LogicalResult {
        FailureOr<Layout> input = getAny(softmax.getInput());
        if (failed(input))
          return failure();
        std::string name = outputName(op);
        onnx::NodeProto &node = addNode("Softmax", {input->name}, name, loc);
        setInt(node, "axis", fileAxis(input->perm, softmax.getAxis()));
        define(softmax.getResult(), name, input->perm);
        return success();
      })
      .Case<ReduceMeanOp, ReduceMaxOp, ReduceMinOp, ReduceSumOp>(
          [&](Operation *op) -> LogicalResult {
            FailureOr<Layout> input = getAny(op->getOperand(0));
            if (failed(input))
              return failure();
            ArrayRef<int64_t> axes =
                op->getAttrOfType<DenseI64ArrayAttr>("axes").asArrayRef();
            bool keepdims = op->hasAttr("keepdims");
            SmallVector<int64_t> fileAxes = llvm::map_to_vector(
                axes, [&](int64_t d) { return fileAxis(input->perm, d); });
            llvm::sort(fileAxes);
            StringRef opType = isa<ReduceMeanOp>(op)  ? "ReduceMean"
                               : isa<ReduceMaxOp>(op) ? "ReduceMax"
                               : isa<ReduceMinOp>(op) ? "ReduceMin"
                                                      : "ReduceSum";
            std::string name = outputName(op);
            SmallVector<std::string, 2> inputs = {input->name};
            // Opset 13 moved ReduceSum's axes to an input; the others
            // follow in opset 18.
            if (isa<ReduceSumOp>(op))
              inputs.push_back(addInt64s("axes", fileAxes));
            onnx::NodeProto &node = addNode(opType, inputs, name, loc);
            if (!isa<ReduceSumOp>(op))
              setInts(node, "axes", fileAxes);
            setInt(node, "keepdims", keepdims ? 1 : 0);
            Perm perm = input->perm;
            if (!keepdims) {
              // Drop the reduced dimensions and renumber the others.
              Perm kept;
              for (int64_t d : input->perm)
                if (!llvm::is_contained(axes, d))
                  kept.push_back(d - llvm::count_if(axes, [&](int64_t a) {
                                   return a < d;
                                 }));
              perm = kept;
            }
            define(op->getResult(0), name, perm);
            return success();
          })
      .Default([&](Operation *op) -> LogicalResult {
        return op->emitError("cannot export '")
               << op->getName()
               << "' to ONNX: it has no ONNX form in the exporter yet";
      });
}

