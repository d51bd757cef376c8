//===- ShapeOps.cpp - Shape ops and constants -----------------------------===//
//
// Flatten, Reshape, Concat, Pad, Transpose, Identity, Dropout (inference),
// Squeeze and Unsqueeze: on run-time tensors as qops ops, on constants
// folded into constants (see also ConstantFolding.cpp and Slice.cpp).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::qops;

namespace mlir::qops::onnx_import {

LogicalResult Importer::importFlatten() {
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  Shape shape = logicalShape(**x);
  int64_t axis = intAttr("axis", 1);
  if (axis < 0)
    axis += shape.size();
  if (axis < 0 || axis > static_cast<int64_t>(shape.size()))
    return fail() << "axis " << intAttr("axis", 1) << " is out of range";
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < static_cast<int64_t>(shape.size()); ++d)
    (d < axis ? outer : inner) *= shape[d];
  // NHWC with a 1x1 spatial extent flattens in the same order as NCHW.
  FailureOr<Value> v = forReshape(**x, /*keepVector=*/true);
  if (failed(v))
    return failure();
  auto type = cast<RankedTensorType>(v->getType());
  Value y = create<ReshapeOp>(type.clone(Shape{outer, inner}), {*v});
  setOutput(0, Imported{y, false, std::nullopt, std::nullopt});
  return success();
}

LogicalResult Importer::importReshape() {
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  FailureOr<ConstTensor> target = failure();
  if (opset < 5) {
    ConstTensor t;
    for (int64_t d : intsAttr("shape", {}))
      t.values.push_back(d);
    target = t;
  } else {
    target = constantInput(1, "shape");
  }
  if (failed(target))
    return failure();
  Shape shape = logicalShape(**x);
  int64_t total = 1;
  for (int64_t d : shape)
    total *= d;
  bool allowZero = intAttr("allowzero", 0) != 0;
  Shape out;
  int64_t known = 1, inferred = -1;
  for (auto [i, d] : llvm::enumerate(target->values)) {
    // No entry can exceed the element count (checked in 64 bits below);
    // this bound keeps the conversion from double defined.
    if (d > static_cast<double>(int64_t(1) << 62))
      return fail() << "shape entry " << i << " is larger than the "
                    << total << " elements of the input";
    int64_t dim = static_cast<int64_t>(d);
    if (dim == 0 && !allowZero) {
      if (i >= shape.size())
        return fail() << "shape entry " << i << " copies a missing dimension";
      dim = shape[i];
    }
    if (dim == -1) {
      if (inferred >= 0)
        return fail() << "shape has more than one -1";
      inferred = i;
      out.push_back(1);
      continue;
    }
    if (dim <= 0)
      return fail() << "unsupported shape entry " << dim;
    // Without overflow: the product of the entries so far must stay
    // within the input's element count.
    if (known > total / dim)
      return fail() << "cannot reshape " << total
                    << " elements: the shape's entries up to #" << i
                    << " already hold more";
    known *= dim;
    out.push_back(dim);
  }
  if (inferred >= 0) {
    if (known == 0 || total % known != 0)
      return fail() << "cannot infer the -1 dimension";
    out[inferred] = total / known;
    known *= out[inferred];
  }
  if (known != total)
    return fail() << "cannot reshape " << total << " elements into " << known;
  // A constant stays data (the exporter's pads sub-graphs, e.g.
  // ReflectionPad2d's, reshape and transpose constants).
  if (isPlainConstant(**x)) {
    ConstTensor t = *(*x)->constant;
    t.shape = out;
    setConstantOutput(0, std::move(t));
    return success();
  }
  FailureOr<Value> v = forReshape(**x, /*keepVector=*/out.size() <= 2);
  if (failed(v))
    return failure();
  auto type = cast<RankedTensorType>(v->getType());
  if (isa<quant::UniformQuantizedPerAxisType>(type.getElementType()))
    return fail() << "unsupported reshape of a per-axis quantized tensor";
  Value y = create<ReshapeOp>(type.clone(out), {*v});
  setOutput(0, Imported{y, false, std::nullopt, std::nullopt});
  return success();
}

LogicalResult Importer::importConcat() {
  SmallVector<Imported *> inputs;
  for (int i = 0; i < node->input_size(); ++i) {
    FailureOr<Imported *> v = input(i);
    if (failed(v))
      return failure();
    inputs.push_back(*v);
  }
  if (inputs.empty())
    return fail() << "has no inputs";
  int64_t rank = logicalShape(*inputs[0]).size();
  int64_t axis = intAttr("axis", 1);
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    return fail() << "axis " << intAttr("axis", 1) << " is out of range";
  if (llvm::all_of(inputs, [](Imported *v) { return isPlainConstant(*v); }))
    return foldConcat(inputs, axis);
  bool nhwc = rank == 4 && llvm::all_of(inputs, [](Imported *v) {
                return v->nhwc || v->constant;
              }) && llvm::any_of(inputs, [](Imported *v) { return v->nhwc; });
  SmallVector<Value> operands;
  Shape out = logicalShape(*inputs[0]);
  out[axis] = 0;
  for (Imported *v : inputs) {
    Shape s = logicalShape(*v);
    if (static_cast<int64_t>(s.size()) != rank)
      return fail() << "inputs have different ranks";
    out[axis] += s[axis];
    FailureOr<Value> value = nhwc ? asNHWC(*v) : logical(*v);
    if (failed(value))
      return failure();
    operands.push_back(*value);
  }
  int64_t storedAxis = nhwc ? std::find(std::begin(kToNHWC),
                                        std::end(kToNHWC), axis) -
                                  std::begin(kToNHWC)
                            : axis;
  Shape stored = nhwc ? permute(out, kToNHWC) : out;
  Type element = cast<RankedTensorType>(operands[0].getType()).getElementType();
  Value y = create<ConcatOp>(
      tensorOf(stored, element), operands,
      {builder.getNamedAttr("axis", builder.getI64IntegerAttr(storedAxis))});
  setOutput(0, Imported{y, nhwc, std::nullopt, std::nullopt});
  return success();
}

LogicalResult Importer::importPad() {
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  std::string mode = stringAttr("mode", "constant");
  if (mode != "constant" && mode != "reflect" && mode != "edge")
    return fail() << "unsupported mode '" << mode
                  << "' (constant, reflect and edge only)";
  Shape shape = logicalShape(**x);
  int64_t rank = shape.size();
  Shape pads;
  float value = 0.0f;
  if (opset < 11) {
    if (attr("paddings"))
      return fail() << "unsupported opset-1 Pad (paddings attribute)";
    pads = intsAttr("pads", {});
    value = floatAttr("value", 0.0f);
  } else {
    FailureOr<ConstTensor> p = constantInput(1, "pads");
    if (failed(p))
      return failure();
    for (double d : p->values)
      pads.push_back(static_cast<int64_t>(d));
    if (hasInput(2)) {
      FailureOr<ConstTensor> c = constantInput(2, "constant_value");
      if (failed(c))
        return failure();
      if (c->size() != 1)
        return fail() << "constant_value must be a scalar";
      value = c->values[0];
    }
    if (hasInput(3))
      return fail() << "unsupported axes input";
  }
  if (static_cast<int64_t>(pads.size()) != 2 * rank)
    return fail() << "pads has " << pads.size() << " entries, expected "
                  << 2 * rank;
  for (int64_t p : pads)
    if (p < 0)
      return fail() << "unsupported negative pad " << p;
  if (mode == "reflect")
    for (int64_t d = 0; d < rank; ++d)
      if (std::max(pads[d], pads[d + rank]) >= shape[d] &&
          (pads[d] != 0 || pads[d + rank] != 0))
        return fail() << "reflect pads of dimension " << d << " ("
                      << pads[d] << ", " << pads[d + rank]
                      << ") must be below its size " << shape[d];
  if (mode == "edge")
    for (int64_t d = 0; d < rank; ++d)
      if (shape[d] == 0 && (pads[d] != 0 || pads[d + rank] != 0))
        return fail() << "cannot edge-pad the empty dimension " << d;
  bool nhwc = (*x)->nhwc;
  FailureOr<Value> v = nhwc ? FailureOr<Value>((*x)->value) : logical(**x);
  if (failed(v))
    return failure();
  // qops: [d0_lo, d0_hi, d1_lo, ...] in stored order.
  Shape qopsPad, outShape;
  for (int64_t i = 0; i < rank; ++i) {
    int64_t d = nhwc ? kToNHWC[i] : i;
    qopsPad.push_back(pads[d]);
    qopsPad.push_back(pads[d + rank]);
    outShape.push_back(shape[d] + pads[d] + pads[d + rank]);
  }
  SmallVector<NamedAttribute> attrs = {
      builder.getNamedAttr("pad", builder.getDenseI64ArrayAttr(qopsPad))};
  if (value != 0.0f && mode == "constant")
    attrs.push_back(
        builder.getNamedAttr("value", builder.getF32FloatAttr(value)));
  if (mode != "constant")
    attrs.push_back(
        builder.getNamedAttr("mode", builder.getStringAttr(mode)));
  Value y = create<PadOp>(
      cast<RankedTensorType>(v->getType()).clone(outShape), {*v}, attrs);
  setOutput(0, Imported{y, nhwc, std::nullopt, std::nullopt});
  return success();
}

LogicalResult Importer::importTranspose() {
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  int64_t rank = logicalShape(**x).size();
  Shape defaultPerm;
  for (int64_t i = rank - 1; i >= 0; --i)
    defaultPerm.push_back(i);
  Shape perm = intsAttr("perm", defaultPerm);
  if (static_cast<int64_t>(perm.size()) != rank)
    return fail() << "perm has " << perm.size() << " entries for rank "
                  << rank;
  Shape sorted(perm);
  llvm::sort(sorted);
  for (int64_t i = 0; i < rank; ++i)
    if (sorted[i] != i)
      return fail() << "perm is not a permutation of 0.." << rank - 1;
  if (isPlainConstant(**x)) {
    ConstTensor t = permuteTensor(*(*x)->constant, perm);
    t.dtype = (*x)->constant->dtype;
    setConstantOutput(0, std::move(t));
    return success();
  }
  Value y;
  if ((*x)->nhwc) {
    // Logical dimension d is stored at kToNCHW[d].
    Shape stored;
    for (int64_t p : perm)
      stored.push_back(kToNCHW[p]);
    y = transpose((*x)->value, stored);
  } else {
    FailureOr<Value> v = logical(**x);
    if (failed(v))
      return failure();
    y = transpose(*v, perm);
  }
  setOutput(0, Imported{y, false, std::nullopt, std::nullopt});
  return success();
}

/// Identity: the input itself (a constant stays a constant).
LogicalResult Importer::importIdentity() {
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  setOutput(0, **x);
  return success();
}

/// Dropout in inference: the input. Training (is_test = 0 before opset 7,
/// training_mode true from opset 12) and the mask output are refused.
LogicalResult Importer::importDropout() {
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  if (opset < 7 && intAttr("is_test", 0) == 0)
    return fail() << "unsupported training-mode Dropout (is_test = 0)";
  if (opset >= 12 && hasInput(2)) {
    FailureOr<ConstTensor> mode = constantInput(2, "training_mode");
    if (failed(mode))
      return failure();
    if (mode->size() != 1)
      return fail() << "training_mode must be a scalar";
    if (mode->values[0] != 0)
      return fail() << "unsupported training-mode Dropout (training_mode "
                       "is true)";
  }
  if (node->output_size() > 1 && !node->output(1).empty())
    return fail() << "unsupported mask output '" << node->output(1)
                  << "' (only the inference form with one output)";
  setOutput(0, **x);
  return success();
}

FailureOr<Imported> Importer::reshapeTo(Imported &v, ArrayRef<int64_t> out) {
  if (v.constant) {
    if (v.quant && v.quant->axis >= 0)
      return fail() << "unsupported reshape of a per-axis quantized constant";
    Imported result = v;
    result.constant->shape = Shape(out);
    return result;
  }
  Shape shape = logicalShape(v);
  Value source;
  if (v.nhwc && shape[2] == 1 && shape[3] == 1) {
    source = v.value; // [N, 1, 1, C] stored: the NCHW element order.
  } else {
    FailureOr<Value> lv = logical(v);
    if (failed(lv))
      return failure();
    source = *lv;
  }
  auto type = cast<RankedTensorType>(source.getType());
  if (isa<quant::UniformQuantizedPerAxisType>(type.getElementType()))
    return fail() << "unsupported reshape of a per-axis quantized tensor";
  bool nhwc = out.size() == 4 && out[2] == 1 && out[3] == 1;
  Shape stored = nhwc ? permute(out, kToNHWC) : Shape(out);
  Imported result;
  result.nhwc = nhwc;
  result.value = type.getShape() == ArrayRef<int64_t>(stored)
                     ? source
                     : create<ReshapeOp>(type.clone(stored), {source});
  return result;
}

/// Squeeze and Unsqueeze: axes as an attribute before opset 13, as input #1
/// from it (negative axes count from the end: of the input for Squeeze, of
/// the result for Unsqueeze). Squeeze without axes drops every 1.
LogicalResult Importer::importSqueeze(bool unsqueeze) {
  FailureOr<Imported *> x = input(0);
  if (failed(x))
    return failure();
  Shape shape = logicalShape(**x);
  std::optional<Shape> axes;
  if (opset < 13) {
    if (attr("axes"))
      axes = intsAttr("axes", {});
  } else if (hasInput(1)) {
    FailureOr<Shape> a = intsInput(1, "axes");
    if (failed(a))
      return failure();
    axes = *a;
  }
  Shape out;
  if (unsqueeze) {
    if (!axes || axes->empty())
      return fail() << "has no axes";
    int64_t rank = shape.size() + axes->size();
    FailureOr<Shape> norm = normalizeAxes(*axes, rank);
    if (failed(norm))
      return failure();
    auto next = shape.begin();
    for (int64_t d = 0; d < rank; ++d)
      out.push_back(llvm::is_contained(*norm, d) ? 1 : *next++);
  } else {
    Shape norm;
    if (axes) {
      FailureOr<Shape> n = normalizeAxes(*axes, shape.size());
      if (failed(n))
        return failure();
      norm = *n;
      for (int64_t a : norm)
        if (shape[a] != 1)
          return fail() << "cannot squeeze dimension " << a << " of size "
                        << shape[a];
    }
    for (int64_t d = 0; d < static_cast<int64_t>(shape.size()); ++d)
      if (axes ? !llvm::is_contained(norm, d) : shape[d] != 1)
        out.push_back(shape[d]);
  }
  FailureOr<Imported> y = reshapeTo(**x, out);
  if (failed(y))
    return failure();
  setOutput(0, *y);
  return success();
}

void addShapeConverters(ConverterTable &table) {
  table["Flatten"] = [](Importer &im) { return im.importFlatten(); };
  table["Reshape"] = [](Importer &im) { return im.importReshape(); };
  table["Concat"] = [](Importer &im) { return im.importConcat(); };
  table["Pad"] = [](Importer &im) { return im.importPad(); };
  table["Transpose"] = [](Importer &im) { return im.importTranspose(); };
  table["Identity"] = [](Importer &im) { return im.importIdentity(); };
  table["Dropout"] = [](Importer &im) { return im.importDropout(); };
  table["Squeeze"] = [](Importer &im) { return im.importSqueeze(false); };
  table["Unsqueeze"] = [](Importer &im) { return im.importSqueeze(true); };
}

} // namespace mlir::qops::onnx_import
