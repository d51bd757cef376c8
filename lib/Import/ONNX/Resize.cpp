//===- Resize.cpp - Resize and Upsample -----------------------------------===//
//
// ONNX Resize (opsets 10-19) and Upsample (7-10) of 4-D NCHW tensors over
// their two spatial dimensions, modes nearest and linear. The importer
// evaluates the coordinate transformation and the rounding of every output
// row and column here, in double precision as ONNX's reference does, and
// writes them as the index (and weight) tables of qops.resize_nearest /
// qops.resize_bilinear. Unsupported variants (cubic, tf_crop_and_resize,
// antialias, keep_aspect_ratio_policy other than stretch, a resize of the
// batch or channel dimension) are diagnostics naming the attribute.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qops;

namespace mlir::qops::onnx_import {
namespace {

/// How one spatial dimension is resized.
struct ResizeAxis {
  int64_t in = 0, out = 0;
  double scale = 1.0; // out / in, or the given scale
};

/// The semantics of one Resize / Upsample node.
struct ResizeSpec {
  bool linear = false;
  std::string coordinates = "half_pixel";
  std::string rounding = "round_prefer_floor";
};

/// Source coordinate of output index `x` (ONNX's
/// coordinate_transformation_mode).
double sourceCoordinate(const ResizeSpec &spec, const ResizeAxis &a,
                        double x) {
  const std::string &m = spec.coordinates;
  // ONNX's length_resized: the unrounded in * scale (out itself when the
  // node gives sizes).
  double resized = a.in * a.scale;
  if (m == "half_pixel")
    return (x + 0.5) / a.scale - 0.5;
  if (m == "half_pixel_symmetric") {
    double adjustment = a.out / resized;
    double center = a.in / 2.0;
    double offset = center * (1.0 - adjustment);
    return offset + (x + 0.5) / a.scale - 0.5;
  }
  if (m == "pytorch_half_pixel")
    return resized > 1 ? (x + 0.5) / a.scale - 0.5 : 0.0;
  if (m == "align_corners")
    return resized == 1 ? 0.0
                        : x * static_cast<double>(a.in - 1) / (resized - 1);
  if (m == "tf_half_pixel_for_nn")
    return (x + 0.5) / a.scale;
  return x / a.scale; // asymmetric
}

int64_t clampIndex(double v, int64_t size) {
  if (v < 0)
    return 0;
  if (v > static_cast<double>(size - 1))
    return size - 1;
  return static_cast<int64_t>(v);
}

/// The nearest source index of output index `x` (ONNX's nearest_mode;
/// "simple" is the Resize-10 / Upsample rule: floor, or ceil when
/// downsampling).
int64_t nearestIndex(const ResizeSpec &spec, const ResizeAxis &a, int64_t x) {
  double s = sourceCoordinate(spec, a, static_cast<double>(x));
  const std::string &m = spec.rounding;
  double r;
  if (m == "floor")
    r = std::floor(s);
  else if (m == "ceil")
    r = std::ceil(s);
  else if (m == "simple")
    r = a.scale < 1.0 ? std::ceil(s) : std::floor(s);
  else if (s - std::floor(s) == 0.5)
    r = m == "round_prefer_ceil" ? std::ceil(s) : std::floor(s);
  else
    r = std::round(s);
  return clampIndex(r, a.in);
}

/// The two source indices and the weight of the second one for output
/// index `x` (linear): samples outside the input take the edge.
void linearTaps(const ResizeSpec &spec, const ResizeAxis &a, int64_t x,
                SmallVectorImpl<int64_t> &indices,
                SmallVectorImpl<float> &weights) {
  double s = sourceCoordinate(spec, a, static_cast<double>(x));
  double lo = std::floor(s);
  int64_t i0 = clampIndex(lo, a.in), i1 = clampIndex(lo + 1, a.in);
  double w = s - lo;
  if (i0 == i1)
    w = 0.0;
  indices.push_back(i0);
  indices.push_back(i1);
  weights.push_back(static_cast<float>(w));
}

LogicalResult importResizeLike(Importer &im) {
  bool upsample = im.node->op_type() == "Upsample";
  FailureOr<Imported *> x = im.input(0);
  if (failed(x))
    return failure();
  Shape shape = im.logicalShape(**x);
  if (shape.size() != 4)
    return im.fail() << "unsupported input of rank " << shape.size()
                     << " (only 4-D NCHW)";
  for (int64_t d : shape)
    if (d <= 0)
      return im.fail() << "unsupported empty input";

  ResizeSpec spec;
  std::string mode = im.stringAttr("mode", "nearest");
  if (mode == "linear" || (upsample && mode == "bilinear"))
    spec.linear = true;
  else if (mode != "nearest")
    return im.fail() << "unsupported mode '" << mode
                     << "' (nearest and linear only)";
  // Upsample and Resize-10 sample at x / scale; Resize-11 on reads the
  // attributes.
  bool legacy = upsample || im.opset < 11;
  if (legacy) {
    spec.coordinates = "asymmetric";
    spec.rounding = "simple";
  } else {
    spec.coordinates =
        im.stringAttr("coordinate_transformation_mode", "half_pixel");
    spec.rounding = im.stringAttr("nearest_mode", "round_prefer_floor");
    static const char *const kCoordinates[] = {
        "half_pixel",    "half_pixel_symmetric", "pytorch_half_pixel",
        "align_corners", "asymmetric",           "tf_half_pixel_for_nn"};
    if (!llvm::is_contained(kCoordinates, spec.coordinates))
      return im.fail() << "unsupported coordinate_transformation_mode '"
                       << spec.coordinates << "'";
    static const char *const kRounding[] = {"round_prefer_floor",
                                            "round_prefer_ceil", "floor",
                                            "ceil"};
    if (!spec.linear && !llvm::is_contained(kRounding, spec.rounding))
      return im.fail() << "unsupported nearest_mode '" << spec.rounding
                       << "'";
    if (im.intAttr("antialias", 0) != 0)
      return im.fail() << "unsupported antialias 1";
    std::string policy = im.stringAttr("keep_aspect_ratio_policy", "stretch");
    if (policy != "stretch")
      return im.fail() << "unsupported keep_aspect_ratio_policy '" << policy
                       << "' (only stretch)";
  }

  // Scales or sizes, per ONNX dimension (opset 18's `axes` names a subset).
  Shape axes = {0, 1, 2, 3};
  if (!legacy && im.attr("axes")) {
    FailureOr<Shape> a = im.normalizeAxes(im.intsAttr("axes", {}), 4);
    if (failed(a))
      return failure();
    axes = *a;
  }
  std::vector<double> scales;
  Shape sizes;
  if (upsample && im.opset < 9) {
    const onnx::AttributeProto *a = im.attr("scales");
    if (!a)
      return im.fail() << "missing scales attribute";
    scales.assign(a->floats().begin(), a->floats().end());
  } else {
    int scalesIndex = legacy ? 1 : 2;
    if (im.hasInput(scalesIndex)) {
      FailureOr<ConstTensor> s = im.constantInput(scalesIndex, "scales");
      if (failed(s))
        return failure();
      scales = s->values;
    }
    if (!legacy && im.hasInput(3)) {
      FailureOr<Shape> s = im.intsInput(3, "sizes");
      if (failed(s))
        return failure();
      sizes = *s;
    }
  }
  if (!scales.empty() && !sizes.empty())
    return im.fail() << "scales and sizes are both given (one only)";
  if (scales.empty() && sizes.empty())
    return im.fail() << "neither scales nor sizes is given";
  size_t count = scales.empty() ? sizes.size() : scales.size();
  if (count != axes.size())
    return im.fail() << (scales.empty() ? "sizes" : "scales") << " has "
                     << count << " entries, expected " << axes.size();

  ResizeAxis dims[4];
  for (int64_t d = 0; d < 4; ++d) {
    dims[d].in = dims[d].out = shape[d];
    dims[d].scale = 1.0;
  }
  for (auto [i, d] : llvm::enumerate(axes)) {
    ResizeAxis &a = dims[d];
    if (!scales.empty()) {
      double s = scales[i];
      if (!(s > 0) || !std::isfinite(s))
        return im.fail() << "scales must be positive and finite, got " << s;
      double out = std::floor(static_cast<double>(a.in) * s);
      if (out < 1 || out > (int64_t(1) << 31))
        return im.fail() << "scale " << s << " of dimension " << d
                         << " gives an output size out of [1, 2^31]";
      a.out = static_cast<int64_t>(out);
      a.scale = s;
    } else {
      if (sizes[i] < 1 || sizes[i] > (int64_t(1) << 31))
        return im.fail() << "sizes must be in [1, 2^31], got " << sizes[i];
      a.out = sizes[i];
      a.scale = static_cast<double>(a.out) / a.in;
    }
  }
  for (int64_t d = 0; d < 2; ++d)
    if (dims[d].out != dims[d].in || dims[d].scale != 1.0)
      return im.fail() << "unsupported resize of dimension " << d
                       << " (only the spatial dimensions 2 and 3 of NCHW)";
  int64_t tableSize = dims[2].out + dims[3].out;
  if (tableSize > (int64_t(1) << 24))
    return im.fail() << "unsupported output of " << dims[2].out << "x"
                     << dims[3].out << " (the index tables hold at most "
                     << "2^24 rows and columns)";

  FailureOr<Value> xv = im.asNHWC(**x);
  if (failed(xv))
    return failure();
  auto xType = cast<RankedTensorType>(xv->getType());
  RankedTensorType outType =
      xType.clone(Shape{shape[0], dims[2].out, dims[3].out, shape[1]});
  Value y;
  if (!spec.linear) {
    Shape rows, cols;
    for (int64_t i = 0; i < dims[2].out; ++i)
      rows.push_back(nearestIndex(spec, dims[2], i));
    for (int64_t j = 0; j < dims[3].out; ++j)
      cols.push_back(nearestIndex(spec, dims[3], j));
    y = im.create<ResizeNearestOp>(
        outType, {*xv},
        {im.builder.getNamedAttr("rows",
                                 im.builder.getDenseI64ArrayAttr(rows)),
         im.builder.getNamedAttr("cols",
                                 im.builder.getDenseI64ArrayAttr(cols))});
  } else {
    if (!isa<Float32Type>(xType.getElementType()))
      return im.fail() << "unsupported linear resize of "
                       << xType.getElementType()
                       << " (float only: a quantized input is resized "
                          "between dequantize and quantize)";
    Shape rows, cols;
    SmallVector<float> rowWeights, colWeights;
    for (int64_t i = 0; i < dims[2].out; ++i)
      linearTaps(spec, dims[2], i, rows, rowWeights);
    for (int64_t j = 0; j < dims[3].out; ++j)
      linearTaps(spec, dims[3], j, cols, colWeights);
    y = im.create<ResizeBilinearOp>(
        outType, {*xv},
        {im.builder.getNamedAttr("rows",
                                 im.builder.getDenseI64ArrayAttr(rows)),
         im.builder.getNamedAttr("row_weights",
                                 im.builder.getDenseF32ArrayAttr(rowWeights)),
         im.builder.getNamedAttr("cols",
                                 im.builder.getDenseI64ArrayAttr(cols)),
         im.builder.getNamedAttr("col_weights",
                                 im.builder.getDenseF32ArrayAttr(colWeights))});
  }
  im.setOutput(0, Imported{y, true, std::nullopt, std::nullopt});
  return success();
}

} // namespace

void addResizeConverters(ConverterTable &table) {
  table["Resize"] = [](Importer &im) { return importResizeLike(im); };
  table["Upsample"] = [](Importer &im) { return importResizeLike(im); };
}

} // namespace mlir::qops::onnx_import
