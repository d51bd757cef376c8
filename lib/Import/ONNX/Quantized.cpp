//===- Quantized.cpp - Quantized ops --------------------------------------===//
//
// QuantizeLinear and DequantizeLinear (of a run-time tensor, or of an integer
// initializer, which stays data with its quantization), and the table entries
// of the integer ops: QLinearConv, ConvInteger, QLinearMatMul and
// MatMulInteger share the float converters of ConvPool.cpp and MatMul.cpp,
// which read the quantized operands when `quantized` is set.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

using namespace mlir;
using namespace mlir::qops;

namespace mlir::qops::onnx_import {

LogicalResult Importer::importQuantizeLinear() {
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  Shape shape = logicalShape(**x);
  int64_t axis = intAttr("axis", 1);
  if (axis < 0)
    axis += shape.size();
  FailureOr<QParams> q = readQParams(1, 2, axis, onnx::TensorProto::UINT8);
  if (failed(q) || failed(checkAxis(*q, shape)))
    return failure();
  if (q->dtype != onnx::TensorProto::UINT8 &&
      q->dtype != onnx::TensorProto::INT8)
    return fail() << "unsupported output type " << dtypeName(q->dtype)
                  << " (uint8 or int8)";
  bool nhwc = (*x)->nhwc;
  FailureOr<Value> v = nhwc ? FailureOr<Value>((*x)->value) : logical(**x);
  if (failed(v))
    return failure();
  FailureOr<quant::QuantizedType> type =
      quantType(*q, shape.size(), nhwc ? ArrayRef<int64_t>(kToNHWC)
                                       : ArrayRef<int64_t>());
  if (failed(type))
    return failure();
  Value y = create<QuantizeOp>(
      cast<RankedTensorType>(v->getType()).clone(*type), {*v});
  setOutput(0, Imported{y, nhwc, std::nullopt, std::nullopt});
  return success();
}

LogicalResult Importer::importDequantizeLinear() {
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  Shape shape = logicalShape(**x);
  int64_t axis = intAttr("axis", 1);
  if (axis < 0)
    axis += shape.size();
  if ((*x)->constant) {
    // A quantized initializer: kept as data with its parameters.
    FailureOr<QParams> q =
        readQParams(1, 2, axis, (*x)->constant->dtype);
    if (failed(q))
      return failure();
    if (q->dtype != (*x)->constant->dtype)
      return fail() << "the data is " << dtypeName((*x)->constant->dtype)
                    << " but the zero point is " << dtypeName(q->dtype);
    if (failed(checkAxis(*q, shape)))
      return failure();
    Imported out;
    out.constant = dequantized(*(*x)->constant, *q);
    out.quant = *q;
    setOutput(0, out);
    return success();
  }
  Value v = (*x)->value;
  auto type = cast<RankedTensorType>(v.getType());
  auto qtype = dyn_cast<quant::QuantizedType>(type.getElementType());
  if (!qtype)
    return fail() << "input #0 is not quantized";
  int32_t storage = qtype.getStorageTypeIntegralWidth() == 32
                        ? onnx::TensorProto::INT32
                    : qtype.isSigned() ? onnx::TensorProto::INT8
                                       : onnx::TensorProto::UINT8;
  FailureOr<QParams> q = readQParams(1, 2, axis, storage);
  if (failed(q) || failed(checkAxis(*q, shape)))
    return failure();
  FailureOr<quant::QuantizedType> expected = quantType(
      *q, shape.size(),
      (*x)->nhwc ? ArrayRef<int64_t>(kToNHWC) : ArrayRef<int64_t>());
  if (failed(expected))
    return failure();
  if (*expected != qtype)
    return fail() << "unsupported: input #0 has type " << qtype
                  << " but the node dequantizes it as " << *expected;
  Value y = create<DequantizeOp>(type.clone(builder.getF32Type()), {v});
  setOutput(0, Imported{y, (*x)->nhwc, std::nullopt, std::nullopt});
  return success();
}

void addQuantizedConverters(ConverterTable &table) {
  table["QuantizeLinear"] = [](Importer &im) {
    return im.importQuantizeLinear();
  };
  table["DequantizeLinear"] = [](Importer &im) {
    return im.importDequantizeLinear();
  };
  table["QLinearConv"] = [](Importer &im) {
    return im.importConv(true, false);
  };
  table["ConvInteger"] = [](Importer &im) { return im.importConv(true, true); };
  table["QLinearMatMul"] = [](Importer &im) {
    return im.importMatMul(true, false);
  };
  table["MatMulInteger"] = [](Importer &im) {
    // A dynamically quantized input #0: ONNX Runtime's dynamic form.
    if (im.hasInput(0)) {
      auto it = im.values.find(im.inputName(0));
      if (it != im.values.end() && it->second.value &&
          it->second.value.getDefiningOp<DynamicQuantizeOp>())
        return im.importDynamicMatMulInteger();
    }
    return im.importMatMul(true, true);
  };
}

} // namespace mlir::qops::onnx_import
