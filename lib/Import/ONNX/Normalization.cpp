//===- Normalization.cpp - Normalization ops ------------------------------===//
//
// BatchNormalization (inference form) and Softmax.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

using namespace mlir;
using namespace mlir::qops;

namespace mlir::qops::onnx_import {

LogicalResult Importer::importBatchNorm() {
  if (intAttr("spatial", 1) != 1)
    return fail() << "unsupported spatial=0 BatchNormalization";
  if (node->output_size() > 1 || intAttr("training_mode", 0) != 0)
    return fail() << "unsupported training-mode BatchNormalization (only the "
                     "inference form with one output)";
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  Shape shape = logicalShape(**x);
  if (shape.size() < 2 || shape.size() > 5)
    return fail() << "unsupported input of rank " << shape.size()
                  << " (2-D to 5-D, channels in dimension 1)";
  SmallVector<Value> params;
  for (int i = 1; i <= 4; ++i) {
    FailureOr<Imported *> p = input(i);
    if (failed(p))
      return failure();
    FailureOr<Value> v = logical(**p);
    if (failed(v))
      return failure();
    params.push_back(*v);
  }
  Value xv;
  if (shape.size() == 5) {
    // NCDHW: normalized channels last, returned in the ONNX layout.
    FailureOr<Value> v = channelsLast3D(**x);
    if (failed(v))
      return failure();
    xv = *v;
  } else if (shape.size() == 4) {
    FailureOr<Value> v = asNHWC(**x);
    if (failed(v))
      return failure();
    xv = *v;
  } else {
    FailureOr<Value> v = logical(**x);
    if (failed(v))
      return failure();
    xv = *v;
    // [N, C, L] -> [N, L, C]: batch_norm normalizes the last dimension.
    if (shape.size() == 3)
      xv = transpose(xv, {0, 2, 1});
  }
  Value y = create<BatchNormOp>(
      xv.getType(), {xv, params[0], params[1], params[2], params[3]},
      {builder.getNamedAttr("epsilon",
                            builder.getF32FloatAttr(floatAttr("epsilon",
                                                              1e-5f)))});
  Imported out;
  out.value = shape.size() == 3   ? transpose(y, {0, 2, 1})
              : shape.size() == 5 ? fromChannelsLast3D(y)
                                  : y;
  out.nhwc = shape.size() == 4;
  setOutput(0, out);
  return success();
}

LogicalResult Importer::importSoftmax() {
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  Shape shape = logicalShape(**x);
  int64_t rank = shape.size();
  int64_t axis = intAttr("axis", opset < 13 ? 1 : -1);
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    return fail() << "axis " << intAttr("axis", -1) << " is out of range";
  // Before opset 13 the input is coerced to 2-D at `axis`: the same as a
  // single-axis softmax only when `axis` is the last dimension.
  if (opset < 13 && axis != rank - 1)
    return fail() << "unsupported opset-" << opset << " Softmax over axis "
                  << axis << " of a rank-" << rank
                  << " input (flattened coercion)";
  FailureOr<Value> v = logical(**x);
  if (failed(v))
    return failure();
  Value y = create<SoftmaxOp>(
      v->getType(), {*v},
      {builder.getNamedAttr("axis", builder.getI64IntegerAttr(axis))});
  setOutput(0, Imported{y, false, std::nullopt, std::nullopt});
  return success();
}

void addNormalizationConverters(ConverterTable &table) {
  table["BatchNormalization"] = [](Importer &im) {
    return im.importBatchNorm();
  };
  table["Softmax"] = [](Importer &im) { return im.importSoftmax(); };
}

} // namespace mlir::qops::onnx_import
