//===- GroupNorm.cpp - Instance and group normalization -------------------===//
//
// InstanceNormalization, GroupNormalization (opsets 18 and 21) and the form
// torch.onnx.export gives nn.GroupNorm at opsets 13-17:
//
//   Reshape(x, [N, G, -1]) -> InstanceNormalization(scale 1, B 0)
//     -> Reshape(., Shape(x)) [-> Mul(., gamma[C,1,1]) [-> Add(., beta[C,1,1])]]
//
// all become one qops.group_norm on the channels-last input (the chain is
// recognised at its InstanceNormalization node: the later Reshape, Mul and
// Add nodes are skipped, and the chain's last output is the group norm).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

using namespace mlir;
using namespace mlir::qops;

namespace mlir::qops::onnx_import {

namespace {

bool allEqual(const ConstTensor &t, double value) {
  return llvm::all_of(t.values, [&](double v) { return v == value; });
}

} // namespace

/// `v` ([N, C, ...] in ONNX) as a channels-last value [N, ..., C].
static FailureOr<Value> channelsLast(Importer &im, Imported &v) {
  Shape shape = im.logicalShape(v);
  if (shape.size() == 4)
    return im.asNHWC(v);
  FailureOr<Value> logical = im.logical(v);
  if (failed(logical))
    return failure();
  SmallVector<int64_t> perm = {0};
  for (int64_t d = 2; d < static_cast<int64_t>(shape.size()); ++d)
    perm.push_back(d);
  perm.push_back(1);
  return im.transpose(*logical, perm);
}

/// Builds qops.group_norm of `x` (ONNX layout [N, C, ...], rank >= 3) and
/// stores it as ONNX output `outputName`.
static LogicalResult buildGroupNorm(Importer &im, Imported &x,
                                    int64_t groups, Value scale, Value bias,
                                    float epsilon, StringRef outputName) {
  Shape shape = im.logicalShape(x);
  FailureOr<Value> xv = channelsLast(im, x);
  if (failed(xv))
    return failure();
  Value y = im.create<GroupNormOp>(
      xv->getType(), {*xv, scale, bias},
      {im.builder.getNamedAttr("groups", im.builder.getI64IntegerAttr(groups)),
       im.builder.getNamedAttr("epsilon", im.builder.getF32FloatAttr(epsilon))});
  Imported out;
  if (shape.size() == 4) {
    out.value = y;
    out.nhwc = true;
  } else {
    SmallVector<int64_t> perm = {0, static_cast<int64_t>(shape.size()) - 1};
    for (int64_t d = 1; d + 1 < static_cast<int64_t>(shape.size()); ++d)
      perm.push_back(d);
    out.value = im.transpose(y, perm);
  }
  im.values[outputName] = out;
  return success();
}

/// The per-channel values of a constant broadcast against [N, C, ...] of
/// rank `rank` (NumPy rules): every dimension 1 except, possibly, the one
/// facing C ([C, 1, ...], [1, C, 1, ...], or a scalar-like [1, 1]).
static std::optional<ConstTensor> perChannel(const Imported &v, int64_t rank,
                                             int64_t channels) {
  if (!Importer::isPlainConstant(v))
    return std::nullopt;
  const ConstTensor &t = *v.constant;
  int64_t offset = rank - static_cast<int64_t>(t.shape.size());
  if (offset < 0)
    return std::nullopt;
  bool perChannelValues = false;
  for (auto [i, size] : llvm::enumerate(t.shape)) {
    int64_t d = offset + static_cast<int64_t>(i);
    if (d == 1 && size == channels)
      perChannelValues = true;
    else if (size != 1)
      return std::nullopt;
  }
  ConstTensor flat;
  flat.shape = {channels};
  if (perChannelValues)
    flat.values = t.values;
  else
    flat.values.assign(channels, t.values.front());
  return flat;
}

/// Recognises the exporter's group-norm chain at the current
/// InstanceNormalization node (input [N, G, L]); returns false, with
/// nothing built, when the graph does not have that form.
FailureOr<bool> Importer::importExportedGroupNorm(float epsilon) {
  const onnx::GraphProto &graph = model.graph();
  int reshapeIn = producerOf(graph, inputName(0));
  if (reshapeIn < 0 || graph.node(reshapeIn).op_type() != "Reshape")
    return false;
  auto source = values.find(graph.node(reshapeIn).input(0));
  if (source == values.end() || source->second.constant)
    return false;
  Imported &x = source->second;
  Shape xShape = logicalShape(x);
  FailureOr<Imported *> in = input(0);
  if (failed(in))
    return failure();
  Shape inShape = logicalShape(**in);
  if (xShape.size() < 3 || inShape.size() != 3 || inShape[0] != xShape[0])
    return false;
  int64_t channels = xShape[1], groups = inShape[1];
  if (groups <= 0 || channels % groups != 0)
    return false;
  // The unit scale and zero bias of the exporter.
  if (!hasInput(1) || !hasInput(2))
    return false;
  FailureOr<Imported *> s = input(1), b = input(2);
  if (failed(s) || failed(b))
    return failure();
  if (!isPlainConstant(**s) || !isPlainConstant(**b) ||
      !allEqual(*(*s)->constant, 1.0) || !allEqual(*(*b)->constant, 0.0))
    return false;

  // Reshape back to x's shape: by Shape(x) or by a constant equal to it.
  int reshapeOut = soleConsumer(graph, node->output(0));
  if (reshapeOut < 0 || graph.node(reshapeOut).op_type() != "Reshape" ||
      graph.node(reshapeOut).input(0) != node->output(0) ||
      graph.node(reshapeOut).input_size() < 2)
    return false;
  const std::string &shapeName = graph.node(reshapeOut).input(1);
  int shapeNode = producerOf(graph, shapeName);
  bool restores = false;
  if (shapeNode >= 0 && graph.node(shapeNode).op_type() == "Shape" &&
      graph.node(shapeNode).input(0) == graph.node(reshapeIn).input(0) &&
      graph.node(shapeNode).attribute_size() == 0)
    restores = true;
  if (auto it = values.find(shapeName);
      it != values.end() && isPlainConstant(it->second)) {
    Shape target;
    for (double d : it->second.constant->values)
      target.push_back(static_cast<int64_t>(d));
    restores = target == xShape;
  }
  if (!restores)
    return false;

  // Then, optionally, Mul by gamma and Add of beta (per-channel constants).
  SmallVector<int> chain = {reshapeOut};
  std::optional<ConstTensor> gamma, beta;
  auto other = [&](const onnx::NodeProto &n, StringRef operand) {
    return n.input(0) == operand ? n.input(1) : n.input(0);
  };
  auto affine = [&](StringRef opType,
                    std::optional<ConstTensor> &param) -> bool {
    int next = soleConsumer(graph, graph.node(chain.back()).output(0));
    if (next < 0 || graph.node(next).op_type() != opType ||
        graph.node(next).input_size() != 2)
      return false;
    const onnx::NodeProto &n = graph.node(next);
    std::string operand = other(n, graph.node(chain.back()).output(0));
    // Imported already, or a later Constant node (the exporter emits the
    // constant just before the Mul / Add): read its tensor here.
    Imported constant;
    if (auto it = values.find(operand); it != values.end()) {
      constant = it->second;
    } else {
      int producer = producerOf(graph, operand);
      if (producer < 0 || graph.node(producer).op_type() != "Constant" ||
          graph.node(producer).attribute_size() != 1 ||
          graph.node(producer).attribute(0).name() != "value")
        return false;
      FailureOr<ConstTensor> t =
          readTensor(graph.node(producer).attribute(0).t(), "constant");
      if (failed(t))
        return false;
      constant.constant = std::move(*t);
    }
    param = perChannel(constant, xShape.size(), channels);
    if (!param)
      return false;
    chain.push_back(next);
    return true;
  };
  affine("Mul", gamma);
  affine("Add", beta);

  ConstTensor ones, zeros;
  ones.shape = zeros.shape = {channels};
  ones.values.assign(channels, 1.0);
  zeros.values.assign(channels, 0.0);
  Value scale = constantF32(gamma ? *gamma : ones);
  Value bias = constantF32(beta ? *beta : zeros);
  if (failed(buildGroupNorm(*this, x, groups, scale, bias, epsilon,
                            graph.node(chain.back()).output(0))))
    return failure();
  skippedNodes.insert(chain.begin(), chain.end());
  if ((*in)->value)
    bypassed.push_back((*in)->value);
  return true;
}

/// Input #0 of an instance or group normalization: [N, C, D1, ...].
static FailureOr<Imported *> normalizedInput(Importer &im) {
  FailureOr<Imported *> x = im.input(0);
  if (failed(x))
    return failure();
  size_t rank = im.logicalShape(**x).size();
  if (rank < 3)
    return im.fail() << "unsupported input of rank " << rank
                     << " (at least 3: [N, C, D1, ...])";
  return x;
}

LogicalResult Importer::importInstanceNorm() {
  float epsilon = floatAttr("epsilon", 1e-5f);
  FailureOr<Imported *> x = normalizedInput(*this);
  if (failed(x))
    return failure();
  Shape shape = logicalShape(**x);
  if (shape.size() == 3) {
    FailureOr<bool> exported = importExportedGroupNorm(epsilon);
    if (failed(exported))
      return failure();
    if (*exported)
      return success();
  }
  int64_t channels = shape[1];
  SmallVector<Value> params;
  for (int i = 1; i <= 2; ++i) {
    FailureOr<Imported *> p = input(i);
    if (failed(p))
      return failure();
    if (logicalShape(**p) != Shape{channels})
      return fail() << (i == 1 ? "scale" : "B") << " must have shape ["
                    << channels << "]";
    FailureOr<Value> v = logical(**p);
    if (failed(v))
      return failure();
    params.push_back(*v);
  }
  return buildGroupNorm(*this, **x, channels, params[0], params[1], epsilon,
                        node->output(0));
}

LogicalResult Importer::importGroupNormalization() {
  if (intAttr("stash_type", 1) != 1)
    return fail() << "unsupported stash_type " << intAttr("stash_type", 1)
                  << " (only 1, float32 statistics)";
  if (!attr("num_groups"))
    return fail() << "missing num_groups";
  int64_t groups = intAttr("num_groups", 0);
  FailureOr<Imported *> x = normalizedInput(*this);
  if (failed(x))
    return failure();
  Shape shape = logicalShape(**x);
  int64_t channels = shape[1];
  if (groups <= 0 || channels % groups != 0)
    return fail() << "num_groups " << groups << " does not divide the "
                  << channels << " channels";
  // Opset 18 has one scale and bias per group, opset 21 per channel.
  bool perGroup = opset < 21;
  SmallVector<Value> params;
  for (int i = 1; i <= 2; ++i) {
    const char *what = i == 1 ? "scale" : "bias";
    FailureOr<Imported *> p = input(i);
    if (failed(p))
      return failure();
    Shape expected = {perGroup ? groups : channels};
    if (logicalShape(**p) != expected)
      return fail() << what << " must have shape [" << expected[0]
                    << "] (one value per " << (perGroup ? "group" : "channel")
                    << " at opset " << opset << ")";
    if (!perGroup) {
      FailureOr<Value> v = logical(**p);
      if (failed(v))
        return failure();
      params.push_back(*v);
      continue;
    }
    if (!isPlainConstant(**p))
      return fail() << "unsupported non-constant " << what
                    << " (a per-group parameter is expanded to the "
                       "channels at import)";
    ConstTensor expanded;
    expanded.shape = {channels};
    for (int64_t c = 0; c < channels; ++c)
      expanded.values.push_back(
          (*p)->constant->values[c / (channels / groups)]);
    params.push_back(constantF32(expanded));
  }
  return buildGroupNorm(*this, **x, groups, params[0], params[1],
                        floatAttr("epsilon", 1e-5f), node->output(0));
}

void addGroupNormConverters(ConverterTable &table) {
  table["InstanceNormalization"] = [](Importer &im) {
    return im.importInstanceNorm();
  };
  table["GroupNormalization"] = [](Importer &im) {
    return im.importGroupNormalization();
  };
}

} // namespace mlir::qops::onnx_import
