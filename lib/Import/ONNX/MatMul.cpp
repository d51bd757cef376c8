//===- MatMul.cpp - Gemm and MatMul ---------------------------------------===//
//
// Gemm (a constant B becomes a fully_connected weight) and MatMul, whose
// converter QLinearMatMul and MatMulInteger share (registered by
// Quantized.cpp).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::qops;

namespace mlir::qops::onnx_import {

/// Gemm: Y = alpha * A' * B' + beta * C. A constant B becomes the weight of
/// a fully_connected (scaled by alpha at compile time); a [N] or scalar C
/// its bias.
LogicalResult Importer::importGemm() {
  FailureOr<Imported *> a = input(0), b = input(1);
  if (failed(a) || failed(b))
    return failure();
  float alpha = floatAttr("alpha", 1.0f), beta = floatAttr("beta", 1.0f);
  bool transA = intAttr("transA", 0) != 0, transB = intAttr("transB", 0) != 0;
  auto scalarF32 = [&](float v) -> Value {
    return arith::ConstantOp::create(
        builder, loc,
        DenseElementsAttr::get(RankedTensorType::get({}, builder.getF32Type()),
                               v));
  };
  // result += beta * C, C broadcast (when it is not folded into a bias).
  auto addScaledC = [&](Value &result) -> LogicalResult {
    FailureOr<Imported *> c = input(2);
    if (failed(c))
      return failure();
    FailureOr<Value> cv = logical(**c);
    if (failed(cv))
      return failure();
    Value cValue = *cv;
    if (beta != 1.0f)
      cValue = create<MulOp>(cValue.getType(), {cValue, scalarF32(beta)});
    result = create<AddOp>(result.getType(), {result, cValue});
    return success();
  };
  FailureOr<Value> av = logical(**a);
  if (failed(av))
    return failure();
  Value aValue = *av;
  if (cast<RankedTensorType>(aValue.getType()).getRank() != 2)
    return fail() << "A must be 2-D";
  if (transA)
    aValue = transpose(aValue, {1, 0});
  Shape aShape(cast<RankedTensorType>(aValue.getType()).getShape());
  int64_t m = aShape[0], k = aShape[1];

  Value result;
  int64_t n;
  if ((*b)->constant) {
    // [N, K] weight for fully_connected.
    Imported w = **b;
    if (w.constant->shape.size() != 2)
      return fail() << "B must be 2-D";
    if (!transB) {
      *w.constant = permuteTensor(*w.constant, {1, 0});
      if (w.quant && w.quant->axis >= 0)
        w.quant->axis = 1 - w.quant->axis;
    }
    if (alpha != 1.0f) {
      if (w.quant)
        return fail() << "unsupported alpha != 1 with a quantized B";
      for (double &v : w.constant->values)
        v *= alpha;
    }
    n = w.constant->shape[0];
    if (w.constant->shape[1] != k)
      return fail() << "A is [" << m << ", " << k << "] but B' is ["
                    << w.constant->shape[1] << ", " << n << "]";
    FailureOr<Value> wv = materialize(w, {});
    if (failed(wv))
      return failure();
    SmallVector<Value> operands = {aValue, *wv};
    bool biasDone = false;
    if (hasInput(2)) {
      FailureOr<Imported *> c = input(2);
      if (failed(c))
        return failure();
      Shape cShape = logicalShape(**c);
      int64_t cSize = 1;
      for (int64_t d : cShape)
        cSize *= d;
      if ((*c)->constant && !(*c)->quant && (cSize == n || cSize == 1) &&
          (cShape.empty() || cShape.back() == cSize)) {
        ConstTensor bias;
        bias.shape = {n};
        for (int64_t i = 0; i < n; ++i)
          bias.values.push_back(beta *
                                (*c)->constant->values[cSize == 1 ? 0 : i]);
        operands.push_back(constantF32(bias));
        biasDone = true;
      } else if ((*c)->quant && beta == 1.0f && cShape == Shape{n}) {
        FailureOr<Value> cv = logical(**c);
        if (failed(cv))
          return failure();
        operands.push_back(*cv);
        biasDone = true;
      }
    }
    result = create<FullyConnectedOp>(tensorOf({m, n}, builder.getF32Type()),
                                      operands);
    if (hasInput(2) && !biasDone && failed(addScaledC(result)))
      return failure();
  } else {
    FailureOr<Value> bv = logical(**b);
    if (failed(bv))
      return failure();
    Value bValue = *bv;
    if (cast<RankedTensorType>(bValue.getType()).getRank() != 2)
      return fail() << "B must be 2-D";
    if (transB)
      bValue = transpose(bValue, {1, 0});
    n = cast<RankedTensorType>(bValue.getType()).getDimSize(1);
    if (cast<RankedTensorType>(bValue.getType()).getDimSize(0) != k)
      return fail() << "A is [" << m << ", " << k << "] but B' is ["
                    << cast<RankedTensorType>(bValue.getType()).getDimSize(0)
                    << ", " << n << "]";
    result = create<MatMulOp>(tensorOf({m, n}, builder.getF32Type()),
                              {aValue, bValue});
    if (alpha != 1.0f)
      result = create<MulOp>(result.getType(), {result, scalarF32(alpha)});
    if (hasInput(2) && failed(addScaledC(result)))
      return failure();
  }
  setOutput(0, Imported{result, false, std::nullopt, std::nullopt});
  return success();
}

/// MatMul, QLinearMatMul and MatMulInteger: 2-D, batched with equal ranks
/// and batch sizes, or a batched A times one 2-D B. qops.matmul is 2-D or
/// 3-D: leading batch dimensions are flattened into one, and a 2-D B shared
/// by every batch makes one 2-D product of the rows of all batches.
LogicalResult Importer::importMatMul(bool quantized, bool integer) {
  int bIndex = quantized && !integer ? 3 : 1;
  FailureOr<Imported *> a = input(0), b = input(bIndex);
  if (failed(a) || failed(b))
    return failure();
  Shape sa = logicalShape(**a), sb = logicalShape(**b);
  bool sharedB = sa.size() > 2 && sb.size() == 2;
  if (sa.size() < 2 || sb.size() < 2 || (sb.size() != sa.size() && !sharedB))
    return fail() << "unsupported operand ranks " << sa.size() << " and "
                  << sb.size()
                  << " (2-D, batched with equal ranks and batch sizes, or a "
                     "batched A times a 2-D B)";
  if (!sharedB &&
      !std::equal(sa.begin(), sa.end() - 2, sb.begin(), sb.end() - 2))
    return fail() << "unsupported batch broadcasting";
  if (sa.back() != sb[sb.size() - 2])
    return fail() << "inner dimensions differ (" << sa.back() << " and "
                  << sb[sb.size() - 2] << ")";
  Shape outShape(sa.begin(), sa.end() - 1);
  outShape.push_back(sb.back());

  // The shapes of the qops.matmul operands and result.
  int64_t batch = 1;
  for (size_t d = 0; d + 2 < sa.size(); ++d)
    batch *= sa[d];
  int64_t m = sa[sa.size() - 2], k = sa.back(), n = sb.back();
  Shape opA = sa, opB = sb, opOut = outShape;
  if (sharedB) {
    opA = {batch * m, k};
    opOut = {batch * m, n};
  } else if (sa.size() > 3) {
    opA = {batch, m, k};
    opB = {batch, k, n};
    opOut = {batch, m, n};
  }
  auto reshaped = [&](Value v, const Shape &shape) -> Value {
    auto type = cast<RankedTensorType>(v.getType());
    if (type.getShape() == ArrayRef<int64_t>(shape))
      return v;
    return create<ReshapeOp>(tensorOf(shape, type.getElementType()), {v});
  };

  if (!quantized) {
    FailureOr<Value> va = logical(**a), vb = logical(**b);
    if (failed(va) || failed(vb))
      return failure();
    Value y = create<MatMulOp>(tensorOf(opOut, builder.getF32Type()),
                               {reshaped(*va, opA), reshaped(*vb, opB)});
    setOutput(0, Imported{reshaped(y, outShape), false, std::nullopt,
                          std::nullopt});
    return success();
  }

  // Integer operands: values typed by their consumer, or constants; `shape`
  // is the operand's shape in the qops.matmul.
  auto operand = [&](Imported &v, int scale, int zp, int64_t axis,
                     int dataIndex, const Shape &shape) -> FailureOr<Value> {
    int32_t dtype = onnx::TensorProto::UINT8;
    if (v.constant)
      dtype = v.constant->dtype;
    FailureOr<QParams> q = readQParams(scale, zp, axis, dtype);
    if (failed(q) || failed(checkAxis(*q, logicalShape(v))))
      return failure();
    // A per-axis operand is quantized along its last dimension, which stays
    // the last one in the qops.matmul.
    QParams opQ = *q;
    if (opQ.axis >= 0)
      opQ.axis = shape.size() - 1;
    FailureOr<quant::QuantizedType> type = quantType(opQ, shape.size(), {});
    if (failed(type))
      return failure();
    if (v.constant) {
      ConstTensor flat = dequantized(*v.constant, *q);
      flat.shape = shape;
      Value f = constantF32(flat);
      return create<QuantizeOp>(cast<RankedTensorType>(f.getType()).clone(*type),
                                {f});
    }
    FailureOr<Value> value = logical(v);
    if (failed(value))
      return failure();
    Type element = cast<RankedTensorType>(value->getType()).getElementType();
    FailureOr<quant::QuantizedType> expected =
        quantType(*q, logicalShape(v).size(), {});
    if (failed(expected))
      return failure();
    if (element != *expected)
      return fail() << "unsupported: input #" << dataIndex << " has type "
                    << element << " but the node quantizes it as "
                    << *expected;
    if (element == *type &&
        cast<RankedTensorType>(value->getType()).getShape() ==
            ArrayRef<int64_t>(shape))
      return *value;
    return create<ReshapeOp>(tensorOf(shape, *type), {*value});
  };
  int64_t bAxis = sb.size() - 1;
  FailureOr<Value> va = integer ? operand(**a, -1, 2, 1, 0, opA)
                                : operand(**a, 1, 2, 1, 0, opA);
  FailureOr<Value> vb = integer ? operand(**b, -1, 3, bAxis, 1, opB)
                                : operand(**b, 4, 5, bAxis, 3, opB);
  if (failed(va) || failed(vb))
    return failure();
  QParams yq;
  if (integer) {
    yq.dtype = onnx::TensorProto::INT32;
    yq.scales = {1.0};
    yq.zeroPoints = {0};
  } else {
    FailureOr<QParams> q = readQParams(6, 7, 1, onnx::TensorProto::UINT8);
    if (failed(q))
      return failure();
    yq = *q;
  }
  FailureOr<quant::QuantizedType> yType = quantType(yq, opOut.size(), {});
  if (failed(yType))
    return failure();
  Value y = create<MatMulOp>(tensorOf(opOut, *yType), {*va, *vb});
  setOutput(0, Imported{reshaped(y, outShape), false, std::nullopt,
                        std::nullopt});
  return success();
}

void addMatMulConverters(ConverterTable &table) {
  table["Gemm"] = [](Importer &im) { return im.importGemm(); };
  table["MatMul"] = [](Importer &im) { return im.importMatMul(false, false); };
}

} // namespace mlir::qops::onnx_import
