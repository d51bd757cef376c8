//===- Reduce.cpp - ReduceMean, ReduceSum, ReduceMax, ReduceMin -----------===//
//
// The reductions of a run-time tensor: axes as an attribute (before opset
// 13 for ReduceSum, before 18 for the others) or as the constant input #1
// (from then on), negative axes, keepdims, noop_with_empty_axes. A 4-D
// activation stays in its stored NHWC layout: ONNX axes are mapped to the
// stored ones. A ReduceMean over both spatial axes of a 4-D activation
// (torch's x.mean([2, 3])) is a qops.global_avg_pool, reshaped to [N, C]
// when keepdims is 0.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

using namespace mlir;
using namespace mlir::qops;

namespace mlir::qops::onnx_import {

LogicalResult Importer::importReduce() {
  StringRef kind = StringRef(node->op_type()).drop_front(strlen("Reduce"));
  bool axesAsInput = opset >= (kind == "Sum" ? 13 : 18);
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  Shape shape = logicalShape(**x);
  int64_t rank = shape.size();
  if (rank == 0)
    return fail() << "unsupported rank-0 input";
  if (!isa<Float32Type>(elementType(**x)))
    return fail() << "unsupported input element type " << elementType(**x)
                  << " (only float)";

  Shape axes;
  if (axesAsInput) {
    if (attr("axes"))
      return fail() << "axes is an input from opset "
                    << (kind == "Sum" ? 13 : 18) << ", not an attribute";
    if (hasInput(1)) {
      FailureOr<Shape> a = intsInput(1, "axes");
      if (failed(a))
        return failure();
      axes = *a;
    }
  } else {
    if (hasInput(1))
      return fail() << "axes is an attribute before opset "
                    << (kind == "Sum" ? 13 : 18) << ", not an input";
    axes = intsAttr("axes", {});
  }
  bool keepdims = intAttr("keepdims", 1) != 0;
  if (axes.empty()) {
    // noop_with_empty_axes (an input-form attribute): the input itself.
    if (axesAsInput && intAttr("noop_with_empty_axes", 0) != 0) {
      setOutput(0, **x);
      return success();
    }
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  }
  FailureOr<Shape> norm = normalizeAxes(axes, rank);
  if (failed(norm))
    return failure();
  llvm::sort(*norm);
  for (int64_t a : *norm)
    if (shape[a] == 0)
      return fail() << "unsupported reduction over the empty dimension " << a;

  Shape logicalOut;
  for (int64_t d = 0; d < rank; ++d) {
    if (!llvm::is_contained(*norm, d))
      logicalOut.push_back(shape[d]);
    else if (keepdims)
      logicalOut.push_back(1);
  }

  // The exporter's spatial mean: a global average pooling.
  if (kind == "Mean" && rank == 4 && *norm == Shape{2, 3}) {
    FailureOr<Value> xv = asNHWC(**x);
    if (failed(xv))
      return failure();
    Value y = create<GlobalAvgPoolOp>(
        tensorOf({shape[0], 1, 1, shape[1]}, builder.getF32Type()), {*xv});
    Imported pooled{y, true, std::nullopt, std::nullopt};
    if (keepdims) {
      setOutput(0, pooled);
      return success();
    }
    FailureOr<Imported> flat = reshapeTo(pooled, logicalOut);
    if (failed(flat))
      return failure();
    setOutput(0, *flat);
    return success();
  }

  // Reduce in the stored layout: a stored NHWC activation's ONNX axis a is
  // stored dimension kToNCHW[a].
  bool nhwc = (*x)->nhwc && rank == 4;
  FailureOr<Value> xv = nhwc ? asNHWC(**x) : logical(**x);
  if (failed(xv))
    return failure();
  Shape storedIn(cast<RankedTensorType>(xv->getType()).getShape());
  Shape storedAxes;
  for (int64_t a : *norm)
    storedAxes.push_back(nhwc ? kToNCHW[a] : a);
  llvm::sort(storedAxes);
  Shape storedOut;
  // The ONNX dimension of each kept stored dimension, in stored order.
  Shape keptLogical;
  for (int64_t d = 0; d < rank; ++d) {
    if (!llvm::is_contained(storedAxes, d)) {
      storedOut.push_back(storedIn[d]);
      keptLogical.push_back(nhwc ? kToNHWC[d] : d);
    } else if (keepdims) {
      storedOut.push_back(1);
    }
  }
  SmallVector<NamedAttribute> attrs = {
      builder.getNamedAttr("axes", builder.getDenseI64ArrayAttr(storedAxes))};
  if (keepdims)
    attrs.push_back(builder.getNamedAttr("keepdims", builder.getUnitAttr()));
  Type resultType = tensorOf(storedOut, builder.getF32Type());
  Value y;
  if (kind == "Mean")
    y = create<ReduceMeanOp>(resultType, {*xv}, attrs);
  else if (kind == "Sum")
    y = create<ReduceSumOp>(resultType, {*xv}, attrs);
  else if (kind == "Max")
    y = create<ReduceMaxOp>(resultType, {*xv}, attrs);
  else
    y = create<ReduceMinOp>(resultType, {*xv}, attrs);

  Imported out{y, nhwc && keepdims, std::nullopt, std::nullopt};
  if (nhwc && !keepdims && !llvm::is_sorted(keptLogical)) {
    // The kept dimensions in ONNX order: result dimension i is stored
    // dimension perm[i].
    Shape perm;
    Shape sorted = keptLogical;
    llvm::sort(sorted);
    for (int64_t d : sorted)
      perm.push_back(llvm::find(keptLogical, d) - keptLogical.begin());
    out.value = transpose(y, perm);
  }
  setOutput(0, out);
  return success();
}

void addReduceConverters(ConverterTable &table) {
  for (const char *name :
       {"ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin"})
    table[name] = [](Importer &im) { return im.importReduce(); };
}

} // namespace mlir::qops::onnx_import
