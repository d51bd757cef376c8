//===- QOpsBase.td - qops dialect, types and base classes ---*- tablegen -*-===//
//
// The qops dialect: quantization-aware neural-network operators. One op set
// serves float and integer programs; the element type of an op's tensors
// says which one it computes.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_DIALECT_QOPS_IR_QOPSBASE_TD
#define QUANTOPS_DIALECT_QOPS_IR_QOPSBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

//===----------------------------------------------------------------------===//
// Dialect
//===----------------------------------------------------------------------===//

def QOps_Dialect : Dialect {
  let name = "qops";
  let cppNamespace = "::mlir::qops";
  let summary = "Quantization-aware neural-network operators (CNN / MLP)";
  let description = [{
    The `qops` dialect models inference graphs of convolutional networks and
    multi-layer perceptrons at the level a quantizing compiler needs:
    convolutions, matrix products, batch normalization, activations,
    element-wise arithmetic, pooling, shape manipulation and the three
    quantization ops `qops.quantize`, `qops.dequantize` and `qops.requantize`.

    **One op set, two domains.** Every op is defined once. The element type
    of its tensors says how it computes:

    * `f32` tensors compute in 32-bit float;
    * tensors of upstream `!quant.uniform` types (per-tensor, or per-axis for
      weights and biases) compute in integers: the storage type holds the
      integers, the scale and zero point say what real value each stands
      for, `real = (q - zero_point) * scale`.

    An op never mixes the two domains: either all its tensors are `f32` or
    all are quantized. Crossing between domains is explicit
    (`qops.quantize`, `qops.dequantize`).

    **Layout.** Activations are NHWC. Convolution weights are OHWI
    (`[out_channels, kernel_h, kernel_w, in_channels / groups]`);
    fully-connected weights are `[out_features, in_features]`. Explicit
    paddings are given per spatial dimension as `(before, after)` pairs:
    `[top, bottom, left, right]`.

    Quantization parameters are the upstream quant dialect's types; the
    dialect does not define types of its own.

    **Element-wise ops are one op each** (`qops.sub`, `qops.sqrt`, ...), not
    one generic op with a function attribute: each has its own verifier,
    float lowering and integer form (an integer `sub` is `add` with a
    negated rescale, `maximum` compares stored integers, `sqrt` is a table,
    `div` by a constant is a table, `div` of two tensors is a float
    island), and the shared parts are ODS classes and two interfaces
    (`ElementFunctionOpInterface`, `BinaryElementFunctionOpInterface`), so
    passes ask interfaces rather than match function names.
  }];
  let dependentDialects = ["::mlir::quant::QuantDialect"];
  let useDefaultTypePrinterParser = 0;
  let useDefaultAttributePrinterParser = 0;
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def QOps_QuantizedElement : Type<
    CPred<"::llvm::isa<::mlir::quant::UniformQuantizedType, "
          "::mlir::quant::UniformQuantizedPerAxisType>($_self)">,
    "uniform quantized type (per-tensor or per-axis)",
    "::mlir::quant::QuantizedType">;

def QOps_Element : AnyTypeOf<[F32, QOps_QuantizedElement],
                             "f32 or uniform quantized type">;

/// Any ranked tensor an op can compute on: f32 or uniform quantized.
def QOps_Tensor : RankedTensorOf<[QOps_Element]>;
/// A float tensor (input of quantize, output of dequantize).
def QOps_FloatTensor : RankedTensorOf<[F32]>;
/// A quantized tensor.
def QOps_QuantTensor : RankedTensorOf<[QOps_QuantizedElement]>;

//===----------------------------------------------------------------------===//
// Traits
//===----------------------------------------------------------------------===//

/// Verifies every quantized type on the op's operands and results: scales
/// finite and positive, zero points inside the storage type's range,
/// quantized axis inside the tensor's rank, one scale per slice of that axis;
/// and that constant operands are at most 2 GiB (TensorSize.h).
def QOps_ValidQuantTypes : NativeOpTrait<"ValidQuantTypes"> {
  let cppNamespace = "::mlir::qops::OpTrait";
}

/// Verifies that the op's tensors are all f32 or all quantized.
def QOps_SameDomain : NativeOpTrait<"SameDomain"> {
  let cppNamespace = "::mlir::qops::OpTrait";
}

//===----------------------------------------------------------------------===//
// Fused activation
//===----------------------------------------------------------------------===//

/// Optional clamp of an op's result to [clamp_min, clamp_max] (either bound
/// may be absent): the form that relu, relu6 and clamp take once fused into
/// their producer by --fuse-activations. In the quantized domain it becomes
/// a clamp of the integer output range.
defvar QOps_FusedClampArgs = (ins OptionalAttr<F32Attr>:$clamp_min,
                                  OptionalAttr<F32Attr>:$clamp_max);

/// The op only moves, selects or pads its input's values: in the quantized
/// domain its result shares its input's scale and zero point (and a concat
/// shares one set of parameters among all its inputs). --propagate-scales
/// relies on it.
def QOps_SameQuantScale : NativeOpTrait<"SameQuantScale"> {
  let cppNamespace = "::mlir::qops::OpTrait";
}

/// Ops whose output lies in a fixed real range whatever their input
/// (sigmoid, hardsigmoid, tanh, softmax): their quantized output takes
/// parameters from that range, not from calibration.
def QOps_FixedOutputRangeOpInterface
    : OpInterface<"FixedOutputRangeOpInterface"> {
  let cppNamespace = "::mlir::qops";
  let description = [{
    The real range `[lo, hi]` every output value of the op lies in.
  }];
  let methods = [
    InterfaceMethod<"The fixed output range `{lo, hi}`.",
                    "std::pair<double, double>", "getFixedOutputRange">,
  ];
}

def QOps_ElementFunctionOpInterface
    : OpInterface<"ElementFunctionOpInterface"> {
  let cppNamespace = "::mlir::qops";
  let description = [{
    An element-wise op of one input whose result for each element depends
    on that element alone. `evaluateElement` computes it with the same f32
    operations, in the same order, as the op's float lowering (libm's
    `expf` / `tanhf` where the lowering calls them), so that
    `--convert-to-integer` can replace the op on an 8-bit quantized tensor
    by a 256-entry `qops.table` that equals the float (QDQ) program bit for
    bit, whatever the input and output parameters.
  }];
  let methods = [
    InterfaceMethod<"The f32 result for one f32 input element.", "float",
                    "evaluateElement", (ins "float":$x)>,
  ];
}

def QOps_BinaryElementFunctionOpInterface
    : OpInterface<"BinaryElementFunctionOpInterface"> {
  let cppNamespace = "::mlir::qops";
  let description = [{
    An element-wise op of two broadcast inputs whose result for each
    element depends on the two corresponding input elements alone.
    `evaluateElements` computes it with the same f32 operations as the op's
    float lowering (libm's `powf` where the lowering calls it). When one
    operand is a quantized constant scalar, the op is an element function
    of the other: `--convert-to-integer` then builds a 256-entry
    `qops.table` from the constant's dequantized value, equal to the QDQ
    program bit for bit (`x / 255.0`, `pow(x, 2)`, `pow(x, 0.5)`).
  }];
  let methods = [
    InterfaceMethod<"The f32 result for one pair of f32 input elements.",
                    "float", "evaluateElements",
                    (ins "float":$lhs, "float":$rhs)>,
  ];
}

//===----------------------------------------------------------------------===//
// Base op classes
//===----------------------------------------------------------------------===//

class QOps_Op<string mnemonic, list<Trait> traits = []>
    : Op<QOps_Dialect, mnemonic, !listconcat([QOps_ValidQuantTypes], traits)>;

/// An op whose tensors are all in one domain (all f32 or all quantized).
class QOps_ComputeOp<string mnemonic, list<Trait> traits = []>
    : QOps_Op<mnemonic, !listconcat([Pure, QOps_SameDomain], traits)>;

#endif // QUANTOPS_DIALECT_QOPS_IR_QOPSBASE_TD
