//===- Dynamic.cpp - Dynamic quantization ---------------------------------===//
//
// DynamicQuantizeLinear as qops.dynamic_quantize, and the graph ONNX
// Runtime's dynamic quantizer writes for a MatMul,
//
//   x_q, x_scale, x_zp = DynamicQuantizeLinear(x)
//   acc = MatMulInteger(x_q, W_q, x_zp, W_zp)       (W_q, W_zp constants)
//   y   = Mul(Cast(acc, to=FLOAT), Mul(x_scale, W_scale))
//
// as one qops.dynamic_matmul, recognised at the MatMulInteger node (its Cast
// and Mul nodes are skipped; a following bias Add stays an add). Its f32
// arithmetic is the graph's: f32(acc) * f32(x_scale * W_scale). When B is a
// DynamicQuantizeLinear output too (the scale product then multiplies the
// two y_scales), the product is a qops.dynamic_activation_matmul.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

using namespace mlir;
using namespace mlir::qops;

namespace mlir::qops::onnx_import {

LogicalResult Importer::importDynamicQuantizeLinear() {
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  Imported &in = **x;
  if (in.quant || (in.value && !isa<Float32Type>(elementType(in))))
    return fail() << "input #0 must be a float tensor";
  // Per-tensor parameters do not depend on the layout: an NHWC value stays
  // NHWC.
  Value v = in.value;
  bool nhwc = in.nhwc;
  if (!v) {
    FailureOr<Value> logicalValue = logical(in);
    if (failed(logicalValue))
      return failure();
    v = *logicalValue;
    nhwc = false;
  }
  auto type = cast<RankedTensorType>(v.getType());
  auto u8 = IntegerType::get(context, 8, IntegerType::Unsigned);
  auto op = DynamicQuantizeOp::create(
      builder, loc, type.clone(u8), tensorOf({}, builder.getF32Type()),
      tensorOf({}, u8), v);
  setOutput(0, Imported{op.getOutput(), nhwc, std::nullopt, std::nullopt});
  setOutput(1, Imported{op.getScale(), false, std::nullopt, std::nullopt});
  setOutput(2,
            Imported{op.getZeroPoint(), false, std::nullopt, std::nullopt});
  return success();
}

/// The name of the operand of binary node `n` that is not `name`, or "".
static std::string otherInput(const onnx::NodeProto &n, StringRef name) {
  if (n.input_size() != 2)
    return "";
  if (n.input(0) == name)
    return n.input(1);
  if (n.input(1) == name)
    return n.input(0);
  return "";
}

LogicalResult Importer::importDynamicMatMulInteger() {
  const onnx::GraphProto &graph = model.graph();
  FailureOr<Imported *> a = input(0), b = input(1);
  if (failed(a) || failed(b))
    return failure();
  auto dq = (*a)->value.getDefiningOp<DynamicQuantizeOp>();
  if ((*a)->nhwc)
    return fail() << "unsupported 4-D input #0";
  FailureOr<Imported *> aZp = hasInput(2) ? input(2) : FailureOr<Imported *>();
  if (!hasInput(2) || failed(aZp) || (*aZp)->value != dq.getZeroPoint())
    return fail() << "unsupported: input #0 is a DynamicQuantizeLinear output "
                     "but a_zero_point (input #2) is not that node's "
                     "y_zero_point";
  Shape sa = logicalShape(**a);
  if (sa.size() != 2 && sa.size() != 3)
    return fail() << "unsupported input #0 of rank " << sa.size()
                  << " for a dynamically quantized product (2 or 3)";

  // The ONNX Runtime form after the node: Cast(to=FLOAT), then a Mul by
  // Mul(x_scale, other scale), the other scale W_scale (a constant) or the
  // scale of a dynamically quantized B.
  auto formError = [&]() {
    return fail() << "unsupported: a MatMulInteger of a DynamicQuantizeLinear "
                     "output is imported in ONNX Runtime's form, followed by "
                     "Cast(to=FLOAT) and a Mul by Mul(x_scale, B's scale) "
                     "(a constant W_scale, or the y_scale of a "
                     "DynamicQuantizeLinear B)";
  };
  int castNode = soleConsumer(graph, node->output(0));
  if (castNode < 0 || graph.node(castNode).op_type() != "Cast")
    return formError();
  const onnx::NodeProto *saved = node;
  node = &graph.node(castNode);
  bool toFloat = intAttr("to", 0) == onnx::TensorProto::FLOAT;
  node = saved;
  if (!toFloat)
    return formError();
  std::string castOut = graph.node(castNode).output(0);
  int mul = soleConsumer(graph, castOut);
  if (mul < 0 || graph.node(mul).op_type() != "Mul")
    return formError();
  std::string scaleProduct = otherInput(graph.node(mul), castOut);
  int product = producerOf(graph, scaleProduct);
  if (product < 0 || graph.node(product).op_type() != "Mul" ||
      graph.node(product).input_size() != 2)
    return formError();
  // One operand of the scale product is x_scale.
  const onnx::NodeProto &productNode = graph.node(product);
  std::string otherScale;
  for (int i = 0; i < 2; ++i) {
    auto it = values.find(productNode.input(i));
    if (it != values.end() && it->second.value == dq.getScale())
      otherScale = productNode.input(1 - i);
  }
  if (otherScale.empty())
    return formError();

  // The product replaces the Mul's output; the Cast and the Mul are
  // skipped, and so is the scale product when only this Mul reads it (or
  // it is dropped if it was imported already).
  auto finish = [&](Value y) {
    values[graph.node(mul).output(0)] =
        Imported{y, false, std::nullopt, std::nullopt};
    skippedNodes.insert(castNode);
    skippedNodes.insert(mul);
    if (consumersOf(graph, scaleProduct).size() == 1 &&
        !isGraphOutput(graph, scaleProduct)) {
      if (product > nodeIndex)
        skippedNodes.insert(product);
      else if (auto it = values.find(scaleProduct);
               it != values.end() && it->second.value)
        bypassed.push_back(it->second.value);
    }
    return success();
  };
  Location mulLoc = nodeLoc(graph.node(mul), mul);

  // B dynamically quantized too: an activation x activation product.
  if ((*b)->value) {
    auto dqB = (*b)->value.getDefiningOp<DynamicQuantizeOp>();
    if (!dqB)
      return fail() << "unsupported: input #1 must be an integer initializer "
                       "or a DynamicQuantizeLinear output when input #0 is "
                       "dynamically quantized";
    FailureOr<Imported *> bZp =
        hasInput(3) ? input(3) : FailureOr<Imported *>();
    if (!hasInput(3) || failed(bZp) || (*bZp)->value != dqB.getZeroPoint())
      return fail() << "unsupported: input #1 is a DynamicQuantizeLinear "
                       "output but b_zero_point (input #3) is not that "
                       "node's y_zero_point";
    auto it = values.find(otherScale);
    if (it == values.end() || it->second.value != dqB.getScale())
      return formError();
    if ((*b)->nhwc)
      return fail() << "unsupported 4-D input #1";
    Shape sb = logicalShape(**b);
    if (sb.size() != sa.size() ||
        (sa.size() == 3 && sa[0] != sb[0]))
      return fail() << "unsupported operand shapes " << shapeText(sa)
                    << " and " << shapeText(sb)
                    << " for a product of two dynamically quantized tensors "
                       "(2-D, or 3-D with equal batch sizes)";
    if (sa.back() != sb[sb.size() - 2])
      return fail() << "inner dimensions differ (" << sa.back() << " and "
                    << sb[sb.size() - 2] << ")";
    Shape outShape(sa.begin(), sa.end() - 1);
    outShape.push_back(sb.back());
    loc = mulLoc;
    Value y = DynamicActivationMatMulOp::create(
        builder, loc, tensorOf(outShape, builder.getF32Type()),
        dq.getOutput(), dq.getScale(), dq.getZeroPoint(), dqB.getOutput(),
        dqB.getScale(), dqB.getZeroPoint());
    return finish(y);
  }

  if ((*b)->quant)
    return fail() << "unsupported: input #1 must be an integer initializer "
                     "or a DynamicQuantizeLinear output when input #0 is "
                     "dynamically quantized";
  const ConstTensor &w = *(*b)->constant;
  if (w.shape.size() != 2)
    return fail() << "unsupported input #1 of rank " << w.shape.size()
                  << " (2-D [K, N])";
  int64_t k = w.shape[0], n = w.shape[1];
  if (sa.back() != k)
    return fail() << "inner dimensions differ (" << sa.back() << " and " << k
                  << ")";
  std::optional<ConstTensor> wScale;
  if (auto it = values.find(otherScale);
      it != values.end() && isPlainConstant(it->second)) {
    wScale = *it->second.constant;
  } else if (int p = producerOf(graph, otherScale);
             p >= 0 && graph.node(p).op_type() == "Constant" &&
             graph.node(p).attribute_size() == 1 &&
             graph.node(p).attribute(0).name() == "value") {
    FailureOr<ConstTensor> t =
        readTensor(graph.node(p).attribute(0).t(), "W_scale");
    if (failed(t))
      return failure();
    wScale = *t;
  }
  if (!wScale)
    return formError();

  // The weight's quantization: W_scale (scalar or [N]) with b_zero_point.
  QParams q;
  q.dtype = w.dtype;
  q.scales = wScale->values;
  if (hasInput(3)) {
    FailureOr<ConstTensor> zp = constantInput(3, "b_zero_point");
    if (failed(zp))
      return failure();
    if (zp->dtype != w.dtype)
      return fail() << "input #1 is " << dtypeName(w.dtype)
                    << " but b_zero_point is " << dtypeName(zp->dtype);
    for (double z : zp->values)
      q.zeroPoints.push_back(static_cast<int64_t>(z));
  } else {
    q.zeroPoints = {0};
  }
  if (q.scales.size() != 1 && q.scales.size() != static_cast<size_t>(n))
    return fail() << "W_scale has " << q.scales.size() << " values for " << n
                  << " columns";
  if (q.zeroPoints.size() != 1 && q.zeroPoints.size() != static_cast<size_t>(n))
    return fail() << "b_zero_point has " << q.zeroPoints.size()
                  << " values for " << n << " columns";
  if (q.scales.size() > 1 || q.zeroPoints.size() > 1) {
    // Per column: a single scale or zero point applies to every column.
    if (q.scales.size() == 1)
      q.scales.assign(n, q.scales.front());
    if (q.zeroPoints.size() == 1)
      q.zeroPoints.assign(n, q.zeroPoints.front());
    q.axis = 1;
  }
  FailureOr<quant::QuantizedType> wType = quantType(q, 2, {});
  if (failed(wType))
    return failure();
  Value wFloat = constantF32(dequantized(w, q));
  Value wq = create<QuantizeOp>(
      cast<RankedTensorType>(wFloat.getType()).clone(*wType), {wFloat});

  Shape outShape(sa.begin(), sa.end() - 1);
  outShape.push_back(n);
  loc = mulLoc;
  Value y = DynamicMatMulOp::create(
      builder, loc, tensorOf(outShape, builder.getF32Type()), dq.getOutput(),
      dq.getScale(), dq.getZeroPoint(), wq, Value(), FloatAttr(),
      FloatAttr());
  return finish(y);
}

void addDynamicConverters(ConverterTable &table) {
  table["DynamicQuantizeLinear"] = [](Importer &im) {
    return im.importDynamicQuantizeLinear();
  };
}

} // namespace mlir::qops::onnx_import
