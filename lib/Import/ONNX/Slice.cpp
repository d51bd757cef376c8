//===- Slice.cpp - Slice and Split ----------------------------------------===//
//
// ONNX Slice (starts / ends / axes / steps as attributes before opset 10, as
// inputs from it; negative and clamped indices) and Split (sizes as an
// attribute before opset 13, as an input from it, num_outputs at opset 18,
// or equal parts). Constants fold with any steps; a run-time tensor becomes
// qops.slice in its stored layout (an NHWC image stays NHWC), positive steps
// only.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::qops;

namespace mlir::qops::onnx_import {

FailureOr<SmallVector<Importer::SliceDim>>
Importer::readSlice(ArrayRef<int64_t> shape) {
  int64_t rank = shape.size();
  Shape starts, ends, axes, steps;
  if (opset < 10) {
    starts = intsAttr("starts", {});
    ends = intsAttr("ends", {});
    axes = intsAttr("axes", {});
  } else {
    FailureOr<Shape> s = intsInput(1, "starts"), e = intsInput(2, "ends");
    if (failed(s) || failed(e))
      return failure();
    starts = *s;
    ends = *e;
    if (hasInput(3)) {
      FailureOr<Shape> a = intsInput(3, "axes");
      if (failed(a))
        return failure();
      axes = *a;
    }
    if (hasInput(4)) {
      FailureOr<Shape> k = intsInput(4, "steps");
      if (failed(k))
        return failure();
      steps = *k;
    }
  }
  if (starts.size() != ends.size())
    return fail() << "has " << starts.size() << " starts but " << ends.size()
                  << " ends";
  bool defaultAxes = axes.empty() && (opset < 10 ? !attr("axes") : !hasInput(3));
  if (defaultAxes)
    for (size_t i = 0; i < starts.size(); ++i)
      axes.push_back(i);
  if (axes.size() != starts.size())
    return fail() << "has " << axes.size() << " axes for " << starts.size()
                  << " starts";
  if (steps.empty())
    steps.assign(starts.size(), 1);
  if (steps.size() != starts.size())
    return fail() << "has " << steps.size() << " steps for " << starts.size()
                  << " starts";
  FailureOr<Shape> norm = normalizeAxes(axes, rank);
  if (failed(norm))
    return failure();
  SmallVector<SliceDim> dims;
  for (int64_t d : shape)
    dims.push_back(SliceDim{0, 1, d});
  for (auto [i, axis] : llvm::enumerate(*norm)) {
    int64_t dim = shape[axis], step = steps[i];
    if (step == 0)
      return fail() << "steps entry " << i << " is 0";
    int64_t start = starts[i] < 0 ? starts[i] + dim : starts[i];
    int64_t end = ends[i] < 0 ? ends[i] + dim : ends[i];
    if (step > 0) {
      start = std::clamp<int64_t>(start, 0, dim);
      end = std::clamp<int64_t>(end, 0, dim);
    } else {
      start = std::clamp<int64_t>(start, 0, dim - 1);
      end = std::clamp<int64_t>(end, -1, dim - 1);
    }
    int64_t span = step > 0 ? end - start : start - end;
    int64_t magnitude = step > 0 ? step : -step;
    int64_t size = span <= 0 ? 0 : (span + magnitude - 1) / magnitude;
    dims[axis] = SliceDim{start, step, size};
  }
  return dims;
}

ConstTensor Importer::sliceConstant(const ConstTensor &t,
                                    ArrayRef<SliceDim> dims) {
  int64_t rank = t.shape.size();
  ConstTensor result;
  result.dtype = t.dtype;
  Shape strides(rank, 1);
  for (int64_t d = rank - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * t.shape[d + 1];
  int64_t count = 1;
  for (const SliceDim &d : dims) {
    result.shape.push_back(d.size);
    count *= d.size;
  }
  Shape index(rank, 0);
  for (int64_t n = 0; n < count; ++n) {
    int64_t offset = 0;
    for (int64_t d = 0; d < rank; ++d)
      offset += (dims[d].start + index[d] * dims[d].step) * strides[d];
    result.values.push_back(t.values[offset]);
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < dims[d].size)
        break;
      index[d] = 0;
    }
  }
  return result;
}

FailureOr<Imported> Importer::sliceValue(Imported &v,
                                         ArrayRef<SliceDim> dims) {
  for (auto [d, dim] : llvm::enumerate(dims)) {
    if (dim.step < 0)
      return fail() << "unsupported negative step " << dim.step
                    << " along axis " << d << " of a run-time tensor";
    if (dim.size == 0)
      return fail() << "unsupported empty slice along axis " << d;
  }
  // In the stored layout: stored dimension i is ONNX dimension kToNHWC[i].
  Value source = v.value;
  if (!v.nhwc) {
    FailureOr<Value> lv = logical(v);
    if (failed(lv))
      return failure();
    source = *lv;
  }
  auto type = cast<RankedTensorType>(source.getType());
  Shape offsets, strides, sizes;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    const SliceDim &dim = dims[v.nhwc ? kToNHWC[i] : i];
    offsets.push_back(dim.start);
    strides.push_back(dim.step);
    sizes.push_back(dim.size);
  }
  if (auto perAxis =
          dyn_cast<quant::UniformQuantizedPerAxisType>(type.getElementType())) {
    int64_t q = perAxis.getQuantizedDimension();
    if (sizes[q] != type.getDimSize(q))
      return fail() << "unsupported slice of the quantized dimension of a "
                       "per-axis quantized tensor";
  }
  Imported result;
  result.nhwc = v.nhwc;
  result.value =
      type.getShape() == ArrayRef<int64_t>(sizes)
          ? source
          : create<SliceOp>(
                type.clone(sizes), {source},
                {builder.getNamedAttr("offsets",
                                      builder.getDenseI64ArrayAttr(offsets)),
                 builder.getNamedAttr("strides",
                                      builder.getDenseI64ArrayAttr(strides))});
  return result;
}

/// Slice: constants fold (any steps); run-time tensors become qops.slice.
LogicalResult Importer::importSlice() {
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  FailureOr<SmallVector<SliceDim>> dims = readSlice(logicalShape(**x));
  if (failed(dims))
    return failure();
  if (isPlainConstant(**x)) {
    setConstantOutput(0, sliceConstant(*(*x)->constant, *dims));
    return success();
  }
  FailureOr<Imported> y = sliceValue(**x, *dims);
  if (failed(y))
    return failure();
  setOutput(0, *y);
  return success();
}

/// Split along `axis`: the sizes from the `split` attribute (before opset
/// 13) or input #1 (from 13), else `num_outputs` (opset 18; the last part
/// smaller when the dimension does not divide), else equal parts, one per
/// output. Each part is a slice.
LogicalResult Importer::importSplit() {
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  Shape shape = logicalShape(**x);
  FailureOr<Shape> axes = normalizeAxes({intAttr("axis", 0)}, shape.size());
  if (failed(axes))
    return failure();
  int64_t axis = axes->front(), dim = shape[axis];
  int64_t outputs = node->output_size();
  Shape sizes;
  if (opset < 13 && attr("split")) {
    sizes = intsAttr("split", {});
  } else if (opset >= 13 && hasInput(1)) {
    FailureOr<Shape> s = intsInput(1, "split");
    if (failed(s))
      return failure();
    sizes = *s;
  } else if (opset >= 18 && attr("num_outputs")) {
    int64_t parts = intAttr("num_outputs", 0);
    if (parts != outputs)
      return fail() << "num_outputs is " << parts << " but the node has "
                    << outputs << " outputs";
    int64_t chunk = parts > 0 ? (dim + parts - 1) / parts : 0;
    if (parts <= 0 || chunk * (parts - 1) >= dim)
      return fail() << "cannot split dimension " << axis << " of size " << dim
                    << " into " << parts << " non-empty parts";
    sizes.assign(parts - 1, chunk);
    sizes.push_back(dim - chunk * (parts - 1));
  } else {
    if (outputs <= 0 || dim % outputs != 0)
      return fail() << "cannot split dimension " << axis << " of size " << dim
                    << " into " << outputs << " equal parts";
    sizes.assign(outputs, dim / outputs);
  }
  if (static_cast<int64_t>(sizes.size()) != outputs)
    return fail() << "split has " << sizes.size() << " entries for "
                  << outputs << " outputs";
  int64_t total = 0;
  for (int64_t s : sizes) {
    if (s < 0 || s > dim)
      return fail() << "split entry " << s << " is out of range [0, " << dim
                    << "]";
    total += s;
  }
  if (total != dim)
    return fail() << "split entries sum to " << total << ", not the size "
                  << dim << " of dimension " << axis;
  int64_t offset = 0;
  for (int64_t i = 0; i < outputs; ++i) {
    SmallVector<SliceDim> dims;
    for (int64_t d : shape)
      dims.push_back(SliceDim{0, 1, d});
    dims[axis] = SliceDim{offset, 1, sizes[i]};
    offset += sizes[i];
    if (isPlainConstant(**x)) {
      setConstantOutput(i, sliceConstant(*(*x)->constant, dims));
      continue;
    }
    FailureOr<Imported> y = sliceValue(**x, dims);
    if (failed(y))
      return failure();
    setOutput(i, *y);
  }
  return success();
}

void addSliceConverters(ConverterTable &table) {
  table["Slice"] = [](Importer &im) { return im.importSlice(); };
  table["Split"] = [](Importer &im) { return im.importSplit(); };
}

} // namespace mlir::qops::onnx_import
