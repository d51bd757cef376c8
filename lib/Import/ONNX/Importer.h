//===- Importer.h - The ONNX importer's state and shared helpers -*- C++ -*-===//
//
// Private to lib/Import/ONNX. One pass over the (topologically sorted) ONNX
// graph. Every ONNX value is either a compile-time constant (initializers,
// Constant nodes, and DequantizeLinear of an integer initializer), kept as
// data until an op needs it, or an SSA value. A 4-D activation is stored NHWC
// ("nhwc") while its ONNX meaning stays NCHW; the importer permutes axes, pads
// and constants instead of inserting transposes.
//
// Layout of the importer:
//   Importer.cpp       values, constants, quantization parameters, dispatch
//   Model.cpp          the model file: protobuf, tensors, external data,
//                      initializers, graph inputs and outputs
//   ConvPool.cpp       Conv, MaxPool, AveragePool, GlobalAveragePool
//   ConvTranspose.cpp  ConvTranspose, as zero insertion and a Conv
//   Resize.cpp         Resize, Upsample (nearest and linear)
//   ConvPool3D.cpp     their 3-D (NCDHW) forms, built from the 2-D ops
//   Normalization.cpp  BatchNormalization, Softmax
//   GroupNorm.cpp      InstanceNormalization, GroupNormalization and the
//                      exporter's Reshape / InstanceNormalization / Reshape /
//                      Mul / Add form of nn.GroupNorm
//   ElementWise.cpp    activations, unary math (Sqrt, Exp, Erf, Neg, Abs,
//                      Reciprocal), Clip, Add, Sub, Mul, Div, Pow, Sum,
//                      Mean, Max, Min; x * hardsigmoid(x) and
//                      x * sigmoid(x) recognised after the graph
//   MatMul.cpp         Gemm, MatMul
//   ShapeOps.cpp       Flatten, Reshape, Concat, Pad, Transpose, Identity,
//                      Dropout, Squeeze, Unsqueeze
//   Slice.cpp          Slice, Split
//   Reduce.cpp         ReduceMean, ReduceSum, ReduceMax, ReduceMin
//   ConstantFolding.cpp  Constant, and the shape sub-graphs folded at import:
//                      Shape, Cast, ConstantOfShape, Range, Expand, Gather,
//                      Equal, Where,
//                      arithmetic (Add / Sub / Mul / Div) on constants,
//                      Cast (constants; at run time to float)
//   Transformer.cpp    Gather with run-time indices or data,
//                      LayerNormalization, Gelu; nn.LayerNorm's and
//                      nn.GELU's exported forms recognised after the graph
//   Quantized.cpp      QuantizeLinear, DequantizeLinear, QLinearConv,
//                      QLinearMatMul, ConvInteger, MatMulInteger
// Each family file registers its converters in the op-type table
// (ConverterTable) through one add...Converters function.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_LIB_IMPORT_ONNX_IMPORTER_H
#define QUANTOPS_LIB_IMPORT_ONNX_IMPORTER_H

#include "quant-ops/Import/ONNXImporter.h"
#include "quant-ops/Dialect/QOps/IR/QOpsDialect.h"
#include "quant-ops/Dialect/QOps/IR/QOpsOps.h"
#include "quant-ops/Dialect/QOps/IR/QuantTypeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace mlir::qops::onnx_import {

using Shape = SmallVector<int64_t>;

/// NCHW -> NHWC and back.
constexpr int64_t kToNHWC[4] = {0, 2, 3, 1};
constexpr int64_t kToNCHW[4] = {0, 3, 1, 2};

/// A compile-time tensor (values as doubles, row-major, ONNX layout).
struct ConstTensor {
  Shape shape;
  std::vector<double> values;
  int32_t dtype = onnx::TensorProto::FLOAT;

  int64_t size() const { return values.size(); }
};

/// Quantization parameters read from scale / zero-point constants.
struct QParams {
  std::vector<double> scales;
  std::vector<int64_t> zeroPoints;
  int32_t dtype = onnx::TensorProto::UINT8; // storage
  int64_t axis = -1;                        // ONNX axis for per-axis
};

/// One ONNX value.
struct Imported {
  Value value;                        // null for a pure constant
  bool nhwc = false;                  // a 4-D value stored NHWC
  std::optional<ConstTensor> constant;
  /// For a dequantized integer initializer: its quantization, so that it
  /// materializes as dequantize(quantize(constant)).
  std::optional<QParams> quant;
};

/// `shape` with its dimensions permuted (result dimension i = source
/// perm[i]).
Shape permute(ArrayRef<int64_t> shape, ArrayRef<int64_t> perm);
/// `t` with its dimensions permuted (result dimension i = source perm[i]).
ConstTensor permuteTensor(const ConstTensor &t, ArrayRef<int64_t> perm);
/// The real values of quantized integers: (q - z[c]) * s[c] rounded to f32
/// (ONNX DequantizeLinear), c the index along `q.axis` (per-axis) or 0.
ConstTensor dequantized(const ConstTensor &t, const QParams &q);
/// "[2, 3]": a shape in diagnostics.
std::string shapeText(ArrayRef<int64_t> shape);
/// The ONNX name of a TensorProto data type, for diagnostics.
const char *dtypeName(int32_t dtype);

/// The index of the node producing `name`, or -1 (graph input, initializer).
int producerOf(const onnx::GraphProto &graph, StringRef name);
/// The indices of the nodes reading `name`.
SmallVector<int> consumersOf(const onnx::GraphProto &graph, StringRef name);
/// Whether `name` is an output of the graph.
bool isGraphOutput(const onnx::GraphProto &graph, StringRef name);
/// The only node reading `name` (which is no graph output), or -1.
int soleConsumer(const onnx::GraphProto &graph, StringRef name);

class Importer {
public:
  Importer(MLIRContext *context, StringRef path,
           const ONNXImportOptions &options)
      : context(context), builder(context), path(path.str()),
        options(options) {}

  OwningOpRef<ModuleOp> run();
  OwningOpRef<ModuleOp> run(StringRef bytes);

  // The state and helpers below are public: the converters of the op-family
  // files are registered as functions taking the importer.
  MLIRContext *context;
  OpBuilder builder;
  std::string path;
  ONNXImportOptions options;
  onnx::ModelProto model;
  llvm::StringMap<Imported> values;
  int64_t opset = 0;
  /// Nodes a recognised pattern has already imported (by index).
  llvm::DenseSet<int> skippedNodes;
  /// Values a recognised pattern bypassed: erased after the graph, with the
  /// ops only they used, when nothing reads them.
  SmallVector<Value> bypassed;
  /// The node being imported (for diagnostics).
  const onnx::NodeProto *node = nullptr;
  int nodeIndex = 0;
  Location loc = UnknownLoc::get(context);

  //===--------------------------------------------------------------------===//
  // Diagnostics
  //===--------------------------------------------------------------------===//

  Location fileLoc() { return FileLineColLoc::get(context, path, 0, 0); }

  /// The name of a node: its own, or its op type and index.
  std::string nodeName(const onnx::NodeProto &n, int index) {
    return n.name().empty() ? llvm::formatv("{0}#{1}", n.op_type(), index).str()
                            : n.name();
  }

  /// The location of the ops a node becomes: the node's name, which every
  /// later diagnostic and remark prints (loc("name")) and calibration uses
  /// as the key of its ranges.
  Location nodeLoc(const onnx::NodeProto &n, int index) {
    return NameLoc::get(StringAttr::get(context, nodeName(n, index)));
  }

  /// An import error, located at the model file, naming the node and its op
  /// type.
  InFlightDiagnostic fail() {
    InFlightDiagnostic diag = emitError(fileLoc());
    if (node)
      diag << "node '" << nodeName(*node, nodeIndex) << "' ("
           << node->op_type() << "): ";
    return diag;
  }

  //===--------------------------------------------------------------------===//
  // Tensors and attributes
  //===--------------------------------------------------------------------===//

  FailureOr<ConstTensor> readTensor(const onnx::TensorProto &t,
                                    StringRef what);
  /// The `bytes` bytes of a tensor stored in an external file: a regular
  /// file inside the model's directory, named by a relative location.
  FailureOr<std::unique_ptr<llvm::MemoryBuffer>>
  readExternalData(const onnx::TensorProto &t, StringRef what,
                   uint64_t bytes);
  const onnx::AttributeProto *attr(StringRef name) {
    for (const onnx::AttributeProto &a : node->attribute())
      if (a.name() == name)
        return &a;
    return nullptr;
  }
  int64_t intAttr(StringRef name, int64_t fallback) {
    const onnx::AttributeProto *a = attr(name);
    return a ? a->i() : fallback;
  }
  float floatAttr(StringRef name, float fallback) {
    const onnx::AttributeProto *a = attr(name);
    return a ? a->f() : fallback;
  }
  std::string stringAttr(StringRef name, StringRef fallback) {
    const onnx::AttributeProto *a = attr(name);
    return a ? a->s() : fallback.str();
  }
  Shape intsAttr(StringRef name, ArrayRef<int64_t> fallback) {
    const onnx::AttributeProto *a = attr(name);
    if (!a)
      return Shape(fallback);
    return Shape(a->ints().begin(), a->ints().end());
  }

  //===--------------------------------------------------------------------===//
  // Values
  //===--------------------------------------------------------------------===//

  /// Input `i` of the current node ("" when absent or empty).
  StringRef inputName(int i) {
    return i < node->input_size() ? StringRef(node->input(i)) : StringRef();
  }
  bool hasInput(int i) { return !inputName(i).empty(); }
  FailureOr<Imported *> input(int i);
  FailureOr<ConstTensor> constantInput(int i, StringRef what);
  void setOutput(int i, Imported imported) {
    if (i < node->output_size() && !node->output(i).empty())
      values[node->output(i)] = std::move(imported);
  }

  /// The ONNX (logical) shape of an imported value.
  Shape logicalShape(const Imported &v) {
    if (v.constant)
      return v.constant->shape;
    Shape shape(cast<RankedTensorType>(v.value.getType()).getShape());
    return v.nhwc ? permute(shape, kToNCHW) : shape;
  }
  Type elementType(const Imported &v) {
    if (v.constant)
      return builder.getF32Type();
    return cast<RankedTensorType>(v.value.getType()).getElementType();
  }

  Value constantF32(const ConstTensor &t) {
    auto type = RankedTensorType::get(t.shape, builder.getF32Type());
    SmallVector<float> floats(t.values.begin(), t.values.end());
    return arith::ConstantOp::create(
        builder, loc, DenseElementsAttr::get(type, ArrayRef<float>(floats)));
  }
  FailureOr<quant::QuantizedType> quantType(const QParams &q, int64_t rank,
                                            ArrayRef<int64_t> perm);
  /// Materializes a value in logical layout (`perm` empty) or permuted.
  FailureOr<Value> materialize(Imported &v, ArrayRef<int64_t> perm);
  FailureOr<Value> logical(Imported &v);
  /// The value to reshape in row-major (NCHW) order: an NHWC tensor with a
  /// 1x1 spatial extent as it is (both orders agree) when `keepVector`,
  /// else its logical form.
  FailureOr<Value> forReshape(Imported &v, bool keepVector);
  FailureOr<Value> asNHWC(Imported &v);
  Value transpose(Value v, ArrayRef<int64_t> perm);

  template <typename OpT>
  Value create(Type resultType, ValueRange operands,
               ArrayRef<NamedAttribute> attrs = {}) {
    return OpT::create(builder, loc, TypeRange{resultType}, operands, attrs)
        ->getResult(0);
  }
  RankedTensorType tensorOf(ArrayRef<int64_t> shape, Type element) {
    return RankedTensorType::get(shape, element);
  }

  //===--------------------------------------------------------------------===//
  // Graph and nodes
  //===--------------------------------------------------------------------===//

  LogicalResult importGraph(func::FuncOp &func);
  /// Imports `node` through the converter registered for its op type.
  FailureOr<Type> graphInputType(const onnx::ValueInfoProto &info,
                                 Shape &shape);
  LogicalResult importNode();
  FailureOr<QParams> readQParams(int scaleIndex, int zeroPointIndex,
                                 int64_t axis, int32_t defaultDtype);
  /// A per-axis QParams must name an axis of `shape` and hold one scale per
  /// slice along it.
  LogicalResult checkAxis(const QParams &q, ArrayRef<int64_t> shape);
  /// Strides and dilations positive, pads non-negative and bounded.
  LogicalResult checkWindowAttrs(ArrayRef<int64_t> strides,
                                 ArrayRef<int64_t> dilations,
                                 ArrayRef<int64_t> pads);

  /// 1-D convolutions and pooling run as 2-D ones over [N, C, 1, L]:
  /// lifts a rank-3 input, and reads a spatial attribute with the extra
  /// leading (height) entry.
  FailureOr<Imported> liftTo2D(Imported &v);
  Shape spatialInts(StringRef name, ArrayRef<int64_t> fallback2D, bool oneD,
                    int64_t fill);
  /// Input #0 of a convolution or pooling node: 2-D as it is, or a 1-D
  /// [N, C, L] lifted into `lifted` (then `oneD` is set). Other ranks are
  /// an error naming the dimensions the op supports (`supported`; 3-D
  /// convolutions and pooling are handled before this call).
  FailureOr<Imported *> windowInput(StringRef what, Imported &lifted,
                                    bool &oneD,
                                    StringRef supported = "1-D, 2-D and 3-D");
  /// Brings a stored NHWC [N, 1, L, C] result back to ONNX's [N, C, L].
  Value lowerFrom2D(Value nhwc);

  //===--------------------------------------------------------------------===//
  // Converters, one group per op-family file
  //===--------------------------------------------------------------------===//

  // ConvPool.cpp (and, for the quantized forms, Quantized.cpp's table).
  LogicalResult importConv(bool quantized, bool integer);
  LogicalResult importPool();
  LogicalResult importGlobalAveragePool();
  // ConvPool3D.cpp.
  LogicalResult importConv3D();
  LogicalResult importPool3D();
  /// A 5-D value [N, C, D, H, W] as [N, D, H, W, C] (no transpose when it
  /// is the NCDHW view of a channels-last value), and back.
  FailureOr<Value> channelsLast3D(Imported &v);
  Value fromChannelsLast3D(Value v);
  // Normalization.cpp.
  LogicalResult importBatchNorm();
  LogicalResult importSoftmax();
  // GroupNorm.cpp.
  LogicalResult importInstanceNorm();
  LogicalResult importGroupNormalization();
  /// The exporter's group-norm chain at the current InstanceNormalization
  /// node: true when recognised and built, false when the graph has
  /// another form (nothing built).
  FailureOr<bool> importExportedGroupNorm(float epsilon);
  // ElementWise.cpp.
  LogicalResult importUnary();
  LogicalResult importClip();
  LogicalResult importIndexClip(const Imported &in, float lo, float hi);
  LogicalResult importBinary();
  /// `op` (an ONNX op type: Add, Sub, Mul, Div, Pow, Max, Min; Sum and
  /// Mean add) of two values with NumPy broadcasting, NHWC when either is.
  FailureOr<Imported> broadcastBinary(StringRef op, Imported &a,
                                      Imported &b);
  // MatMul.cpp (and Quantized.cpp's table).
  LogicalResult importGemm();
  LogicalResult importMatMul(bool quantized, bool integer);
  // ShapeOps.cpp.
  LogicalResult importFlatten();
  LogicalResult importReshape();
  LogicalResult importConcat();
  LogicalResult importPad();
  LogicalResult importTranspose();
  LogicalResult importIdentity();
  LogicalResult importDropout();
  LogicalResult importSqueeze(bool unsqueeze);
  // Slice.cpp.
  LogicalResult importSlice();
  LogicalResult importSplit();
  // Reduce.cpp.
  LogicalResult importReduce();
  // ConstantFolding.cpp.
  LogicalResult importConstant();
  LogicalResult importShape();
  LogicalResult importCast();
  LogicalResult importConstantOfShape();
  LogicalResult importRange();
  LogicalResult importExpand();
  LogicalResult importGather();
  LogicalResult importEqual();
  LogicalResult importWhere();
  // Transformer.cpp.
  /// Gather: folded (importGather) when data and indices are constants.
  LogicalResult importGatherNode();
  LogicalResult importLayerNormalization();
  LogicalResult importGelu();

  //===--------------------------------------------------------------------===//
  // Shape ops and constant folding (ShapeOps.cpp, Slice.cpp,
  // ConstantFolding.cpp)
  //===--------------------------------------------------------------------===//

  /// A plain constant: data without quantization parameters.
  static bool isPlainConstant(const Imported &v) {
    return v.constant && !v.quant;
  }
  void setConstantOutput(int i, ConstTensor t) {
    Imported out;
    out.constant = std::move(t);
    setOutput(i, std::move(out));
  }
  /// The integer entries of constant input `i` (shapes, axes, indices),
  /// each within +-2^62 (larger ones, such as INT64_MAX slice ends, are
  /// clamped to it).
  FailureOr<Shape> intsInput(int i, StringRef what);
  /// A graph output `name` that is a non-float constant: an arith.constant
  /// of the signed integer type of its ONNX type (int8 to int64); other
  /// types are refused.
  FailureOr<Value> integerConstant(StringRef name, const ConstTensor &t);
  /// Fails unless a folded constant of `shape` is small enough to compute
  /// at import (2^24 elements).
  LogicalResult checkFoldedSize(ArrayRef<int64_t> shape, StringRef what);
  /// `axes` (ONNX, possibly negative) made non-negative for `rank`, each
  /// in range and listed once.
  FailureOr<Shape> normalizeAxes(ArrayRef<int64_t> axes, int64_t rank);
  /// A constant Add, Sub, Mul or Div of inputs #0 and #1 (NumPy
  /// broadcasting), computed in their data type.
  LogicalResult foldArithmetic();
  /// Concat of plain constants along ONNX axis `axis` (non-negative).
  LogicalResult foldConcat(ArrayRef<Imported *> inputs, int64_t axis);
  /// `v` reshaped to the ONNX shape `out` (same element count): a constant
  /// stays data; an NHWC value with a 1x1 spatial extent is reshaped from
  /// its stored form; a result [N, C, 1, 1] is stored NHWC.
  FailureOr<Imported> reshapeTo(Imported &v, ArrayRef<int64_t> out);

  /// One dimension of a Slice: the first index, the step and the count.
  struct SliceDim {
    int64_t start = 0, step = 1, size = 0;
  };
  /// Slice's starts / ends / axes / steps (attributes before opset 10,
  /// inputs #1-#4 from it) for an input of ONNX shape `shape`, with ONNX's
  /// negative indices and clamping; one entry per dimension.
  FailureOr<SmallVector<SliceDim>> readSlice(ArrayRef<int64_t> shape);
  /// The elements of `t` that `dims` select.
  static ConstTensor sliceConstant(const ConstTensor &t,
                                   ArrayRef<SliceDim> dims);
  /// A run-time slice (positive steps) of `v` as qops.slice, in the stored
  /// layout of `v`.
  FailureOr<Imported> sliceValue(Imported &v, ArrayRef<SliceDim> dims);
  // Quantized.cpp.
  LogicalResult importQuantizeLinear();
  LogicalResult importDequantizeLinear();
  // Dynamic.cpp.
  LogicalResult importDynamicQuantizeLinear();
  /// MatMulInteger of a DynamicQuantizeLinear output, with ONNX Runtime's
  /// `-> Cast(float) -> Mul(., Mul(x_scale, w_scale))` after it, as one
  /// qops.dynamic_matmul (the Cast and Mul nodes are skipped).
  LogicalResult importDynamicMatMulInteger();
};

/// Imports the current node of an importer (its `node`, `loc` set).
using Converter = LogicalResult (*)(Importer &);
/// Op type -> converter, filled by the op-family files.
using ConverterTable = llvm::StringMap<Converter>;

void addConvPoolConverters(ConverterTable &table);
void addConvTransposeConverters(ConverterTable &table);
void addResizeConverters(ConverterTable &table);
void addNormalizationConverters(ConverterTable &table);
void addGroupNormConverters(ConverterTable &table);
void addElementWiseConverters(ConverterTable &table);
/// Rewrites the activations torch.onnx.export spells out, once the whole
/// graph is imported: `Mul(x, HardSigmoid(x))` with alpha 1/6 and beta 0.5
/// becomes `qops.hardswish`, `Mul(x, Sigmoid(x))` becomes `qops.silu`, in
/// either operand order, when the Mul is the gate's only user (the new op
/// takes the Mul's location).
void recognizeExporterActivations(func::FuncOp func);
void addMatMulConverters(ConverterTable &table);
void addShapeConverters(ConverterTable &table);
void addSliceConverters(ConverterTable &table);
void addReduceConverters(ConverterTable &table);
void addConstantFoldingConverters(ConverterTable &table);
void addQuantizedConverters(ConverterTable &table);
void addTransformerConverters(ConverterTable &table);
/// Rewrites, once the whole graph is imported, the forms torch.onnx.export
/// gives nn.GELU (Erf or Tanh formula, ending in a Mul by 0.5) and
/// nn.LayerNorm (ReduceMean / Sub / Pow 2 / ReduceMean / Add eps / Sqrt /
/// Div, then an optional Mul by a constant scale and Add of a constant
/// bias) as qops.gelu and qops.layer_norm, when every intermediate value
/// of the chain is used by the chain alone.
void recognizeExporterTransformerOps(func::FuncOp func);
void addDynamicConverters(ConverterTable &table);

} // namespace mlir::qops::onnx_import

#endif // QUANTOPS_LIB_IMPORT_ONNX_IMPORTER_H
