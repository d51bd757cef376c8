//===- QOpsOps.td - qops operation definitions --------------*- tablegen -*-===//
//
// Operators of the qops dialect. Each op has a summary, a description with an
// example, a declarative assembly format and a verifier (traits, plus a C++
// hook where the checks need arithmetic).
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_DIALECT_QOPS_IR_QOPSOPS_TD
#define QUANTOPS_DIALECT_QOPS_IR_QOPSOPS_TD

include "quant-ops/Dialect/QOps/IR/QOpsBase.td"

//===----------------------------------------------------------------------===//
// Operator: conv2d
//===----------------------------------------------------------------------===//

def QOps_Conv2DOp : QOps_ComputeOp<"conv2d"> {
  let summary = "2-D convolution: NHWC input, OHWI weights, grouped and depthwise";
  let description = [{
    Computes a 2-D cross-correlation of `input` (`[N, H, W, C]`) with
    `weight` (`[O, KH, KW, C / groups]`, layout OHWI) and adds the optional
    `bias` (`[O]`). The result is `[N, OH, OW, O]` with

    ```
    OH = (H + pad[0] + pad[1] - dilation[0] * (KH - 1) - 1) / stride[0] + 1
    OW = (W + pad[2] + pad[3] - dilation[1] * (KW - 1) - 1) / stride[1] + 1
    ```

    Attributes:
    * `stride = [sh, sw]`, both > 0;
    * `dilation = [dh, dw]`, both > 0;
    * `pad = [top, bottom, left, right]`, all >= 0; padded positions hold the
      real value 0 (the input zero point in the quantized domain);
    * `groups`: `C` and `O` are both divisible by `groups`; group `g` reads
      input channels `[g*C/groups, (g+1)*C/groups)` and writes output
      channels `[g*O/groups, (g+1)*O/groups)`. A depthwise convolution is
      `groups == C` (weights `[C * multiplier, KH, KW, 1]`).

    Float domain: all tensors `f32`. Quantized domain: `input` and result
    per-tensor quantized, `weight` per-tensor or per-axis along dimension 0
    (one scale per output channel), `bias` with `i32` storage, zero point 0
    and scale `input_scale * weight_scale[o]`. Accumulation is in `i32`.

    Example:

    ```mlir
    %y = qops.conv2d %x, %w, %b stride [1, 1] pad [1, 1, 1, 1] dilation [1, 1] groups 1
         : (tensor<1x8x8x3xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>)
           -> tensor<1x8x8x16xf32>
    ```

    **Fused activation.** The optional `clamp_min` / `clamp_max` attributes
    (set by `--fuse-activations` from a following `relu`, `relu6` or
    `clamp`) clamp the result: `relu` becomes `clamp_min = 0.0`, `relu6`
    adds `clamp_max = 6.0`. Bounds are finite and `clamp_min <= clamp_max`.
    In the quantized domain the clamp applies to the integer output range.

    **3-D windows.** There is no `qops.conv3d`, and this op is not made
    N-D: a 3-D convolution (ONNX `Conv` on NCDHW) is exactly one conv2d.
    The importer gathers the `KD` depth taps of every output depth as
    channels (`[N, OD, H, W, KD * C]`, tap-major within each group, by
    strided `qops.slice` + `qops.concat` of the depth-padded input), moves
    the output depths into the batch and runs one conv2d with the weight
    `[O, KH, KW, KD * C / groups]`: every tap of a 3-D output lands in one
    accumulator (in int8 one `i32` sum, bit for bit a 3-D convolution), so
    the float and integer lowerings, the packed VNNI kernel, `--fold-bn`
    (through the reshape back to 5-D) and quantization need nothing new,
    at the cost of a `KD`-fold copy of the input.
  }];
  let arguments = !con((ins QOps_Tensor:$input, QOps_Tensor:$weight,
                            Optional<QOps_Tensor>:$bias,
                            DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$pad,
                            DenseI64ArrayAttr:$dilation, I64Attr:$groups),
                       QOps_FusedClampArgs);
  let results = (outs QOps_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? `stride` $stride `pad` $pad
    `dilation` $dilation `groups` $groups attr-dict
    `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Operator: matmul
//===----------------------------------------------------------------------===//

def QOps_MatMulOp : QOps_ComputeOp<"matmul"> {
  let summary = "matrix product, optionally batched, with optional bias";
  let description = [{
    `lhs` is `[M, K]` or `[B, M, K]`, `rhs` is `[K, N]` or `[B, K, N]` (same
    rank as `lhs`, same batch size), the optional `bias` is `[N]` and is
    added to every row. The result is `[M, N]` or `[B, M, N]`.

    Quantized domain: `lhs` and the result per-tensor, `rhs` per-tensor or
    per-axis along its last dimension (one scale per column `n`), `bias` with
    `i32` storage, zero point 0 and scale `lhs_scale * rhs_scale[n]`.

    Example:

    ```mlir
    %y = qops.matmul %a, %b : (tensor<4x16xf32>, tensor<16x8xf32>) -> tensor<4x8xf32>
    ```

    **Fused activation.** The optional `clamp_min` / `clamp_max` attributes
    (set by `--fuse-activations` from a following `relu`, `relu6` or
    `clamp`) clamp the result: `relu` becomes `clamp_min = 0.0`, `relu6`
    adds `clamp_max = 6.0`. Bounds are finite and `clamp_min <= clamp_max`.
    In the quantized domain the clamp applies to the integer output range.
  }];
  let arguments = !con((ins QOps_Tensor:$lhs, QOps_Tensor:$rhs,
                            Optional<QOps_Tensor>:$bias),
                       QOps_FusedClampArgs);
  let results = (outs QOps_Tensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Operator: fully_connected
//===----------------------------------------------------------------------===//

def QOps_FullyConnectedOp : QOps_ComputeOp<"fully_connected"> {
  let summary = "fully-connected layer: input times transposed weight, plus bias";
  let description = [{
    `input` is `[B, K]`, `weight` is `[O, K]` (one row per output feature, the
    layout of ONNX `Gemm` with `transB = 1` and of TFLite), the optional
    `bias` is `[O]`. Computes `output[b, o] = sum_k input[b, k] * weight[o, k]
    + bias[o]`; the result is `[B, O]`.

    Quantized domain: `input` and result per-tensor, `weight` per-tensor or
    per-axis along dimension 0 (one scale per output feature), `bias` with
    `i32` storage, zero point 0 and scale `input_scale * weight_scale[o]`.

    Example:

    ```mlir
    %y = qops.fully_connected %x, %w, %b
         : (tensor<1x1024xf32>, tensor<1000x1024xf32>, tensor<1000xf32>)
           -> tensor<1x1000xf32>
    ```

    **Fused activation.** The optional `clamp_min` / `clamp_max` attributes
    (set by `--fuse-activations` from a following `relu`, `relu6` or
    `clamp`) clamp the result: `relu` becomes `clamp_min = 0.0`, `relu6`
    adds `clamp_max = 6.0`. Bounds are finite and `clamp_min <= clamp_max`.
    In the quantized domain the clamp applies to the integer output range.
  }];
  let arguments = !con((ins QOps_Tensor:$input, QOps_Tensor:$weight,
                            Optional<QOps_Tensor>:$bias),
                       QOps_FusedClampArgs);
  let results = (outs QOps_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Operator: batch_norm
//===----------------------------------------------------------------------===//

def QOps_BatchNormOp : QOps_ComputeOp<"batch_norm", [
    AllTypesMatch<["input", "output"]>,
    AllTypesMatch<["scale", "offset", "mean", "variance"]>]> {
  let summary = "inference batch normalization over the last (channel) dimension";
  let description = [{
    Computes, per channel `c` of the last dimension of `input` (NHWC, or
    `[B, C]` after a fully-connected layer),

    ```
    output = (input - mean[c]) * scale[c] / sqrt(variance[c] + epsilon) + offset[c]
    ```

    `scale`, `offset`, `mean` and `variance` are `[C]`; `epsilon` is finite
    and >= 0. Batch normalization exists in the float domain only: the
    compiler folds it into the producing convolution or matrix product
    before quantization.

    Example:

    ```mlir
    %y = qops.batch_norm %x, %gamma, %beta, %mean, %var epsilon 1.0e-05
         : tensor<1x8x8x16xf32>, tensor<16xf32>
    ```
  }];
  let arguments = (ins QOps_Tensor:$input, QOps_Tensor:$scale,
                       QOps_Tensor:$offset, QOps_Tensor:$mean,
                       QOps_Tensor:$variance, F32Attr:$epsilon);
  let results = (outs QOps_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $offset `,` $mean `,` $variance `epsilon` $epsilon
    attr-dict `:` type($input) `,` type($scale)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

/// An activation whose result type is its operand type: its quantized form
/// is a clamp on the integers, with the input's scale and zero point.
class QOps_TypePreservingActivation<string mnemonic, list<Trait> traits = []>
    : QOps_ComputeOp<mnemonic, !listconcat(
          [SameOperandsAndResultType, InferTypeOpInterface], traits)> {
  let arguments = (ins QOps_Tensor:$input);
  let results = (outs QOps_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

/// An activation whose result shape is its operand shape but whose quantized
/// result may carry other quantization parameters (a table lookup or a
/// requantization in the integer domain).
class QOps_UnaryMapOp<string mnemonic, list<Trait> traits = []>
    : QOps_ComputeOp<mnemonic, !listconcat([SameOperandsAndResultShape],
                                           traits)> {
  let arguments = (ins QOps_Tensor:$input);
  let results = (outs QOps_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def QOps_ReluOp : QOps_TypePreservingActivation<"relu", [
    DeclareOpInterfaceMethods<QOps_ElementFunctionOpInterface>]> {
  let summary = "rectified linear unit: max(x, 0)";
  let description = [{
    `output = max(input, 0)` element-wise. In the quantized domain it is
    `max(q, zero_point)` with the input's quantization parameters.

    Example:

    ```mlir
    %y = qops.relu %x : tensor<1x8x8x16xf32>
    ```
  }];
  let hasFolder = 1;
}

def QOps_Relu6Op : QOps_TypePreservingActivation<"relu6", [
    DeclareOpInterfaceMethods<QOps_ElementFunctionOpInterface>]> {
  let summary = "rectified linear unit clipped at 6: min(max(x, 0), 6)";
  let description = [{
    `output = min(max(input, 0), 6)` element-wise. In the quantized domain it
    is a clamp of the integers to the quantized images of 0 and 6.

    Example:

    ```mlir
    %y = qops.relu6 %x : tensor<1x8x8x16xf32>
    ```
  }];
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def QOps_ClampOp : QOps_TypePreservingActivation<"clamp", [
    DeclareOpInterfaceMethods<QOps_ElementFunctionOpInterface>]> {
  let summary = "clamp every element to [min, max]";
  let description = [{
    `output = min(max(input, min), max)` element-wise, with the real-valued
    bounds `min <= max` (both finite). In the quantized domain the bounds are
    quantized with the input's parameters.

    Example:

    ```mlir
    %y = qops.clamp %x min -1.0 max 4.0 : tensor<1x16xf32>
    ```
  }];
  let arguments = (ins QOps_Tensor:$input, F32Attr:$min, F32Attr:$max);
  let assemblyFormat = "$input `min` $min `max` $max attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def QOps_LeakyReluOp : QOps_UnaryMapOp<"leaky_relu", [
    DeclareOpInterfaceMethods<QOps_ElementFunctionOpInterface>]> {
  let summary = "leaky rectified linear unit: x >= 0 ? x : alpha * x";
  let description = [{
    `output = input >= 0 ? input : alpha * input` element-wise, `alpha`
    finite.

    Example:

    ```mlir
    %y = qops.leaky_relu %x alpha 0.1 : tensor<1x16xf32> -> tensor<1x16xf32>
    ```
  }];
  let arguments = (ins QOps_Tensor:$input, F32Attr:$alpha);
  let assemblyFormat = [{
    $input `alpha` $alpha attr-dict `:` type($input) `->` type($output)
  }];
}

def QOps_HardSwishOp : QOps_UnaryMapOp<"hardswish", [
    DeclareOpInterfaceMethods<QOps_ElementFunctionOpInterface>]> {
  let summary = "hard swish: x * relu6(x + 3) / 6";
  let description = [{
    `output = input * min(max(input + 3, 0), 6) / 6` element-wise (the
    MobileNetV3 activation, ONNX `HardSwish`).

    Example:

    ```mlir
    %y = qops.hardswish %x : tensor<1x16xf32> -> tensor<1x16xf32>
    ```
  }];
}

def QOps_HardSigmoidOp : QOps_UnaryMapOp<"hardsigmoid", [
    DeclareOpInterfaceMethods<QOps_FixedOutputRangeOpInterface>,
    DeclareOpInterfaceMethods<QOps_ElementFunctionOpInterface>]> {
  let summary = "hard sigmoid: max(0, min(1, alpha * x + beta))";
  let description = [{
    `output = max(0, min(1, alpha * input + beta))` element-wise (ONNX
    `HardSigmoid`, defaults alpha 0.2 and beta 0.5; PyTorch's
    `nn.Hardsigmoid` is alpha 1/6, beta 0.5). `alpha` and `beta` are finite.
    The product and the sum are two f32 operations (no fused multiply-add).
    Its quantized result takes the fixed range [0, 1].

    Example:

    ```mlir
    %y = qops.hardsigmoid %x alpha 0.2 beta 0.5 : tensor<1x16xf32> -> tensor<1x16xf32>
    ```
  }];
  let arguments = (ins QOps_Tensor:$input, F32Attr:$alpha, F32Attr:$beta);
  let assemblyFormat = [{
    $input `alpha` $alpha `beta` $beta attr-dict `:` type($input) `->`
    type($output)
  }];
}

def QOps_SigmoidOp : QOps_UnaryMapOp<"sigmoid", [
    DeclareOpInterfaceMethods<QOps_FixedOutputRangeOpInterface>,
    DeclareOpInterfaceMethods<QOps_ElementFunctionOpInterface>]> {
  let summary = "logistic sigmoid: 1 / (1 + exp(-x))";
  let description = [{
    `output = 1 / (1 + exp(-input))` element-wise.

    Example:

    ```mlir
    %y = qops.sigmoid %x : tensor<1x16xf32> -> tensor<1x16xf32>
    ```
  }];
}

def QOps_SiluOp : QOps_UnaryMapOp<"silu", [
    DeclareOpInterfaceMethods<QOps_ElementFunctionOpInterface>]> {
  let summary = "sigmoid-weighted linear unit: x * sigmoid(x)";
  let description = [{
    `output = input * (1 / (1 + exp(-input)))` element-wise (SiLU or swish,
    the EfficientNet activation), in that order of f32 operations, so that
    it equals the `qops.mul` of the input and its `qops.sigmoid` bit for
    bit. The ONNX importer forms it from `Mul(x, Sigmoid(x))`, the way
    `torch.onnx.export` writes `nn.SiLU`; a quantized one becomes one
    256-entry table.

    Example:

    ```mlir
    %y = qops.silu %x : tensor<1x16xf32> -> tensor<1x16xf32>
    ```
  }];
}

def QOps_TanhOp : QOps_UnaryMapOp<"tanh", [
    DeclareOpInterfaceMethods<QOps_FixedOutputRangeOpInterface>,
    DeclareOpInterfaceMethods<QOps_ElementFunctionOpInterface>]> {
  let summary = "hyperbolic tangent";
  let description = [{
    `output = tanh(input)` element-wise.

    Example:

    ```mlir
    %y = qops.tanh %x : tensor<1x16xf32> -> tensor<1x16xf32>
    ```
  }];
}


/// An element function of one input with no attribute, computed in f32 by
/// one arithmetic or libm operation (its description names it). Their
/// quantized forms are `qops.table` lookups (ElementFunctionOpInterface),
/// so they need no integer lowering of their own.
class QOps_UnaryMathOp<string mnemonic, list<Trait> traits = []>
    : QOps_UnaryMapOp<mnemonic, !listconcat([
          DeclareOpInterfaceMethods<QOps_ElementFunctionOpInterface>],
          traits)>;

def QOps_SqrtOp : QOps_UnaryMathOp<"sqrt"> {
  let summary = "square root";
  let description = [{
    `output = sqrt(input)` element-wise (IEEE square root, NaN for a
    negative input; ONNX `Sqrt`).

    Example:

    ```mlir
    %y = qops.sqrt %x : tensor<1x16xf32> -> tensor<1x16xf32>
    ```
  }];
}

def QOps_ExpOp : QOps_UnaryMathOp<"exp"> {
  let summary = "natural exponential";
  let description = [{
    `output = exp(input)` element-wise (libm's `expf`; ONNX `Exp`).

    Example:

    ```mlir
    %y = qops.exp %x : tensor<1x16xf32> -> tensor<1x16xf32>
    ```
  }];
}

def QOps_ErfOp : QOps_UnaryMathOp<"erf"> {
  let summary = "Gauss error function";
  let description = [{
    `output = erf(input)` element-wise (libm's `erff`; ONNX `Erf`, the
    building block of exported GELU).

    Example:

    ```mlir
    %y = qops.erf %x : tensor<1x16xf32> -> tensor<1x16xf32>
    ```
  }];
}

def QOps_NegOp : QOps_UnaryMathOp<"neg"> {
  let summary = "negation";
  let description = [{
    `output = -input` element-wise (ONNX `Neg` on float tensors).

    Example:

    ```mlir
    %y = qops.neg %x : tensor<1x16xf32> -> tensor<1x16xf32>
    ```
  }];
}

def QOps_AbsOp : QOps_UnaryMathOp<"abs"> {
  let summary = "absolute value";
  let description = [{
    `output = |input|` element-wise (ONNX `Abs` on float tensors).

    Example:

    ```mlir
    %y = qops.abs %x : tensor<1x16xf32> -> tensor<1x16xf32>
    ```
  }];
}

def QOps_ReciprocalOp : QOps_UnaryMathOp<"reciprocal"> {
  let summary = "reciprocal: 1 / x";
  let description = [{
    `output = 1 / input` element-wise, one f32 division (ONNX
    `Reciprocal`).

    Example:

    ```mlir
    %y = qops.reciprocal %x : tensor<1x16xf32> -> tensor<1x16xf32>
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Element-wise binary arithmetic
//===----------------------------------------------------------------------===//

class QOps_BroadcastBinaryOp<string mnemonic, list<Trait> traits = []>
    : QOps_ComputeOp<mnemonic, traits> {
  let arguments = (ins QOps_Tensor:$lhs, QOps_Tensor:$rhs);
  let results = (outs QOps_Tensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QOps_AddOp : QOps_BroadcastBinaryOp<"add", [Commutative]> {
  let summary = "element-wise addition with NumPy broadcasting";
  let description = [{
    `output = lhs + rhs` element-wise. Broadcasting follows NumPy (and ONNX
    multidirectional broadcasting): shapes are aligned on their last
    dimension, a missing leading dimension counts as 1, and two sizes are
    compatible when they are equal or one of them is 1. The result has the
    broadcast shape; the result type is written explicitly because its
    quantization parameters, in the quantized domain, are its own (each
    input is rescaled to the output's scale). Quantized operands are
    per-tensor.

    Example (residual add, and a per-channel bias broadcast):

    ```mlir
    %y = qops.add %a, %b : (tensor<1x8x8x16xf32>, tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
    %z = qops.add %a, %c : (tensor<1x8x8x16xf32>, tensor<16xf32>) -> tensor<1x8x8x16xf32>
    ```

    **Fused activation.** The optional `clamp_min` / `clamp_max` attributes
    (set by `--fuse-activations` from a following `relu`, `relu6` or
    `clamp`) clamp the result: `relu` becomes `clamp_min = 0.0`, `relu6`
    adds `clamp_max = 6.0`. Bounds are finite and `clamp_min <= clamp_max`.
    In the quantized domain the clamp applies to the integer output range.
  }];
  let arguments = !con((ins QOps_Tensor:$lhs, QOps_Tensor:$rhs),
                       QOps_FusedClampArgs);
}

def QOps_MulOp : QOps_BroadcastBinaryOp<"mul", [Commutative]> {
  let summary = "element-wise multiplication with NumPy broadcasting";
  let description = [{
    `output = lhs * rhs` element-wise, with the broadcasting rules of
    `qops.add`. In the quantized domain the product of the two scales is
    requantized to the result's scale. Quantized operands are per-tensor.

    Example:

    ```mlir
    %y = qops.mul %a, %s : (tensor<1x8x8x16xf32>, tensor<1x1x1x16xf32>) -> tensor<1x8x8x16xf32>
    ```
  }];
}


def QOps_SubOp : QOps_BroadcastBinaryOp<"sub"> {
  let summary = "element-wise subtraction with NumPy broadcasting";
  let description = [{
    `output = lhs - rhs` element-wise, with the broadcasting rules of
    `qops.add`. In the quantized domain it is `qops.add` with the second
    input's rescaling negated: each input is rescaled to the result's
    scale, in the same two requantization modes. Quantized operands are
    per-tensor.

    Example (image normalisation):

    ```mlir
    %y = qops.sub %x, %mean : (tensor<1x8x8x3xf32>, tensor<1x1x1x3xf32>) -> tensor<1x8x8x3xf32>
    ```
  }];
}

def QOps_DivOp : QOps_BroadcastBinaryOp<"div", [
    DeclareOpInterfaceMethods<QOps_BinaryElementFunctionOpInterface>]> {
  let summary = "element-wise division with NumPy broadcasting";
  let description = [{
    `output = lhs / rhs` element-wise (one f32 division), with the
    broadcasting rules of `qops.add`. A quantized division by, or of, a
    constant scalar is a 256-entry table of the other input
    (`BinaryElementFunctionOpInterface`); a division of two run-time
    tensors has no integer form and stays a float island between
    dequantize and quantize.

    Example:

    ```mlir
    %y = qops.div %x, %std : (tensor<1x8x8x3xf32>, tensor<1x1x1x3xf32>) -> tensor<1x8x8x3xf32>
    ```
  }];
}

def QOps_PowOp : QOps_BroadcastBinaryOp<"pow", [
    DeclareOpInterfaceMethods<QOps_BinaryElementFunctionOpInterface>]> {
  let summary = "element-wise power with NumPy broadcasting";
  let description = [{
    `output = pow(lhs, rhs)` element-wise (libm's `powf`: NaN for a
    negative base and a non-integer exponent), with the broadcasting rules
    of `qops.add`. With a constant scalar exponent (the usual `x^2`,
    `x^0.5` of exported normalisations) a quantized power is a 256-entry
    table of the base; other quantized powers stay a float island.

    Example:

    ```mlir
    %y = qops.pow %x, %two : (tensor<1x16xf32>, tensor<f32>) -> tensor<1x16xf32>
    ```
  }];
}

/// `qops.maximum` / `qops.minimum`: the extremum of two broadcast inputs.
class QOps_ExtremumOp<string mnemonic, string which>
    : QOps_BroadcastBinaryOp<mnemonic, [Commutative]> {
  let summary = "element-wise " # which # " with NumPy broadcasting";
  let description = [{
    The element-wise }] # which # [{ of `lhs` and `rhs` (a NaN input gives
    NaN, like `arith.}] # which # [{f`), with the broadcasting rules of
    `qops.add`. ONNX's variadic `Max` / `Min` import as a chain of these.
    In the quantized domain each input whose parameters differ from the
    result's is first requantized to them (an input sharing them is taken
    as is), then the stored integers are compared: quantization is
    monotonic, so this is the extremum of the quantized inputs.

    Example:

    ```mlir
    %y = qops.}] # mnemonic # [{ %a, %b : (tensor<1x16xf32>, tensor<16xf32>) -> tensor<1x16xf32>
    ```
  }];
}

def QOps_MaximumOp : QOps_ExtremumOp<"maximum", "maximum">;
def QOps_MinimumOp : QOps_ExtremumOp<"minimum", "minimum">;

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

def QOps_MaxPool2DOp : QOps_ComputeOp<"max_pool2d", [InferTypeOpAdaptor,
                                                   QOps_SameQuantScale]> {
  let summary = "2-D max pooling over NHWC";
  let description = [{
    Takes the maximum over `kernel = [kh, kw]` windows of `input`
    (`[N, H, W, C]`), moved by `stride = [sh, sw]`, with explicit
    `pad = [top, bottom, left, right]`; padded positions never win (they act
    as -infinity). The optional `dilation = [dh, dw]` (both > 0, default
    `[1, 1]`) spaces the window's taps (ONNX MaxPool `dilations`). The
    result is `[N, OH, OW, C]`,
    `OH = (H + top + bottom - dh * (kh - 1) - 1) / sh + 1`, and the window
    must fit in the padded input. The result type is inferred: the same
    element type (maximum commutes with a monotonic quantization).

    **3-D windows** (ONNX `MaxPool` on NCDHW) are two of these: the
    maximum over a box is the maximum over depth of the maxima over
    (H, W), so the importer pools `[N * D, H, W, C]` with `[kh, kw]`, then
    `[N, D, OH * OW, C]` with `[kd, 1]`: exact in float and in int8, with
    no `qops.max_pool3d` to lower.

    Example:

    ```mlir
    %y = qops.max_pool2d %x kernel [2, 2] stride [2, 2] pad [0, 0, 0, 0]
         : tensor<1x8x8x16xf32>
    %z = qops.max_pool2d %x kernel [2, 2] stride [1, 1] pad [0, 0, 0, 0]
         dilation [2, 2] : tensor<1x8x8x16xf32>
    ```
  }];
  let arguments = (ins QOps_Tensor:$input, DenseI64ArrayAttr:$kernel,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$pad,
                       OptionalAttr<DenseI64ArrayAttr>:$dilation);
  let results = (outs QOps_Tensor:$output);
  let assemblyFormat = [{
    $input `kernel` $kernel `stride` $stride `pad` $pad
    (`dilation` $dilation^)? attr-dict `:` type($input)
  }];
  let extraClassDeclaration = [{
    /// The dilation, [1, 1] when absent.
    SmallVector<int64_t> getDilationOrDefault() {
      if (std::optional<ArrayRef<int64_t>> d = getDilation())
        return SmallVector<int64_t>(*d);
      return {1, 1};
    }
  }];
}

def QOps_AvgPool2DOp : QOps_ComputeOp<"avg_pool2d"> {
  let summary = "2-D average pooling over NHWC";
  let description = [{
    Averages `kernel = [kh, kw]` windows of `input` (`[N, H, W, C]`), moved by
    `stride = [sh, sw]`, with explicit `pad = [top, bottom, left, right]`.
    With the `count_include_pad` flag every window divides by `kh * kw`
    (padded positions count as zeros); without it, by the number of
    positions inside the input (ONNX's default). The result is `[N, OH, OW, C]` with the
    output size of `qops.max_pool2d`. Quantized input and result are
    per-tensor; the result's parameters may differ from the input's.

    **3-D windows** (ONNX `AveragePool` on NCDHW) are two of these, as for
    `qops.max_pool2d`: a box and its part inside the input are products of
    their per-axis parts, so the mean over (D, H, W) is the mean over depth
    of the means over (H, W), with or without `count_include_pad`. Float
    results agree to rounding; an int8 program rounds the intermediate
    (H, W) means to its calibrated parameters before the depth stage (one
    more rounding than a fused 3-D average would make, reproduced exactly
    by the QDQ simulation).

    Example:

    ```mlir
    %y = qops.avg_pool2d %x kernel [3, 3] stride [1, 1] pad [1, 1, 1, 1]
         : tensor<1x8x8x16xf32> -> tensor<1x8x8x16xf32>
    %z = qops.avg_pool2d %x kernel [3, 3] stride [1, 1] pad [1, 1, 1, 1] count_include_pad
         : tensor<1x8x8x16xf32> -> tensor<1x8x8x16xf32>
    ```
  }];
  let arguments = (ins QOps_Tensor:$input, DenseI64ArrayAttr:$kernel,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$pad,
                       UnitAttr:$count_include_pad);
  let results = (outs QOps_Tensor:$output);
  let assemblyFormat = [{
    $input `kernel` $kernel `stride` $stride `pad` $pad
    (`count_include_pad` $count_include_pad^)? attr-dict
    `:` type($input) `->` type($output)
  }];
  let hasVerifier = 1;
}

def QOps_GlobalAvgPoolOp : QOps_ComputeOp<"global_avg_pool"> {
  let summary = "average over the spatial dimensions of an NHWC tensor";
  let description = [{
    `output[n, 0, 0, c] = mean over (h, w) of input[n, h, w, c]`: the input is
    `[N, H, W, C]`, the result `[N, 1, 1, C]` (spatial dimensions kept, as
    ONNX `GlobalAveragePool`). Quantized input and result are per-tensor;
    the result's parameters may differ from the input's.

    Example:

    ```mlir
    %y = qops.global_avg_pool %x : tensor<1x7x7x64xf32> -> tensor<1x1x1x64xf32>
    ```
  }];
  let arguments = (ins QOps_Tensor:$input);
  let results = (outs QOps_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Resize
//===----------------------------------------------------------------------===//

def QOps_ResizeNearestOp : QOps_ComputeOp<"resize_nearest",
                                          [QOps_SameQuantScale]> {
  let summary = "nearest-neighbour resize of the spatial dimensions of NHWC";
  let description = [{
    `output[n, i, j, c] = input[n, rows[i], cols[j], c]`: `input` is
    `[N, H, W, C]`, the result `[N, OH, OW, C]` with `OH` entries in `rows`
    (each in `[0, H)`) and `OW` in `cols` (each in `[0, W)`). The index
    tables hold the source row and column of every output row and column,
    so one op serves every ONNX `Resize` / `Upsample` nearest variant: the
    importer evaluates the coordinate transformation (half_pixel,
    asymmetric, align_corners, pytorch_half_pixel, ...) and the rounding
    (`nearest_mode`) in double precision, as ONNX's reference does, and
    writes the result. It only copies input values: a quantized result has
    its input's type (same scale and zero point), and the integer form
    copies the stored integers.

    Example (2x upsampling, `nn.Upsample(scale_factor=2)`):

    ```mlir
    %y = qops.resize_nearest %x rows [0, 0, 1, 1] cols [0, 0, 1, 1]
         : tensor<1x2x2x8xf32> -> tensor<1x4x4x8xf32>
    ```
  }];
  let arguments = (ins QOps_Tensor:$input, DenseI64ArrayAttr:$rows,
                       DenseI64ArrayAttr:$cols);
  let results = (outs QOps_Tensor:$output);
  let assemblyFormat = [{
    $input `rows` $rows `cols` $cols attr-dict `:` type($input) `->`
    type($output)
  }];
  let hasVerifier = 1;
}

def QOps_ResizeBilinearOp : QOps_ComputeOp<"resize_bilinear"> {
  let summary = "bilinear resize of the spatial dimensions of NHWC (float)";
  let description = [{
    Interpolates `input` (`[N, H, W, C]`) to `[N, OH, OW, C]`. Output row
    `i` reads the input rows `r0 = rows[2 i]`, `r1 = rows[2 i + 1]` (each in
    `[0, H)`) with the weight `a = row_weights[i]` of `r1` (in `[0, 1]`);
    columns likewise with `cols` (`2 OW` entries) and `col_weights` (`OW`,
    weight `b`). In f32, in this order (PyTorch's `upsample_bilinear2d`):

    ```
    output = (1 - a) * ((1 - b) * x[r0, c0] + b * x[r0, c1])
           +      a  * ((1 - b) * x[r1, c0] + b * x[r1, c1])
    ```

    The importer evaluates ONNX `Resize` / `Upsample` `linear` on the two
    spatial dimensions (every coordinate transformation but
    tf_crop_and_resize) in double precision and writes the tables; samples
    outside the input take the edge (ONNX's and PyTorch's clamping).

    **No integer form: a float island.** The op exists in the float domain
    only. In an int8 program `--convert-to-integer` keeps it between
    `qops.dequantize` and `qops.quantize` (with a remark), so the integer
    object equals the QDQ simulation bit for bit by construction. An exact
    integer form would need the interpolation weights in fixed point and
    its own rounding, which the float program (and the QDQ simulation that
    must equal the object) does not have; the island costs one
    dequantize / quantize pair around an op that moves few bytes per
    output element, which is cheap next to the convolutions around it.

    Example (2x upsampling, `align_corners=False`):

    ```mlir
    %y = qops.resize_bilinear %x rows [0, 0, 0, 1, 0, 1, 1, 1]
         row_weights [0.0, 0.25, 0.75, 0.0] cols [0, 0, 0, 1, 0, 1, 1, 1]
         col_weights [0.0, 0.25, 0.75, 0.0]
         : tensor<1x2x2x8xf32> -> tensor<1x4x4x8xf32>
    ```
  }];
  let arguments = (ins QOps_FloatTensor:$input, DenseI64ArrayAttr:$rows,
                       DenseF32ArrayAttr:$row_weights,
                       DenseI64ArrayAttr:$cols,
                       DenseF32ArrayAttr:$col_weights);
  let results = (outs QOps_FloatTensor:$output);
  let assemblyFormat = [{
    $input `rows` $rows `row_weights` $row_weights `cols` $cols
    `col_weights` $col_weights attr-dict `:` type($input) `->` type($output)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

/// A reduction of `input` over the dimensions `axes` (non-empty, strictly
/// increasing, each in `[0, rank)`): with `keepdims` each reduced dimension
/// stays with extent 1, without it the reduced dimensions are dropped (all
/// of them: a rank-0 result). Input and result are f32, or quantized per
/// tensor.
class QOps_ReduceOp<string mnemonic, string what, list<Trait> traits = []>
    : QOps_ComputeOp<mnemonic, traits> {
  let arguments = (ins QOps_Tensor:$input, DenseI64ArrayAttr:$axes,
                       UnitAttr:$keepdims);
  let results = (outs QOps_Tensor:$output);
  let assemblyFormat = [{
    $input `axes` $axes (`keepdims` $keepdims^)? attr-dict
    `:` type($input) `->` type($output)
  }];
  let hasVerifier = 1;
  code reduceDescription = [{
    Reduces `input` over the dimensions `axes` (non-empty, strictly
    increasing, each in `[0, rank)`). With `keepdims` every reduced
    dimension stays with extent 1; without it the reduced dimensions are
    dropped (reducing every dimension gives a rank-0 tensor). Input and
    result are f32, or quantized per tensor. The ONNX importer makes
    `Reduce}] # what # [{` of a run-time tensor one of these (a `ReduceMean` over
    both spatial dimensions of a 4-D activation becomes
    `qops.global_avg_pool` instead).
  }];
}

def QOps_ReduceMeanOp : QOps_ReduceOp<"reduce_mean", "Mean"> {
  let summary = "mean over some dimensions";
  let description = reduceDescription # [{

    The mean is the f32 sum divided by the number of reduced elements. In
    the quantized domain the result's parameters may differ from the
    input's: the integer lowering sums `q - z_in` in i32 (i64 beyond a
    compile-time bound, as the average poolings) and requantizes by
    `s_in / (count * s_out)`.

    Example:

    ```mlir
    %y = qops.reduce_mean %x axes [1] keepdims : tensor<4x16x8xf32> -> tensor<4x1x8xf32>
    ```
  }];
}

def QOps_ReduceSumOp : QOps_ReduceOp<"reduce_sum", "Sum"> {
  let summary = "sum over some dimensions";
  let description = reduceDescription # [{

    The sum accumulates in f32. It has no integer form: between dequantize
    and quantize it stays in float (--convert-to-integer says so in a
    remark).

    Example:

    ```mlir
    %y = qops.reduce_sum %x axes [0, 1] : tensor<4x16x8xf32> -> tensor<8xf32>
    ```
  }];
}

def QOps_ReduceMaxOp : QOps_ReduceOp<"reduce_max", "Max", [QOps_SameQuantScale]> {
  let summary = "maximum over some dimensions";
  let description = reduceDescription # [{

    The maximum propagates NaN. It commutes with a monotonic quantization,
    so a quantized result shares its input's scale and zero point (as
    `qops.max_pool2d`) and the integer form compares the stored integers.

    Example:

    ```mlir
    %y = qops.reduce_max %x axes [2] : tensor<4x16x8xf32> -> tensor<4x16xf32>
    ```
  }];
}

def QOps_ReduceMinOp : QOps_ReduceOp<"reduce_min", "Min", [QOps_SameQuantScale]> {
  let summary = "minimum over some dimensions";
  let description = reduceDescription # [{

    The minimum propagates NaN. Like `qops.reduce_max` it is
    scale-preserving in the quantized domain.

    Example:

    ```mlir
    %y = qops.reduce_min %x axes [1, 2] keepdims : tensor<1x8x8x16xf32> -> tensor<1x1x1x16xf32>
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

def QOps_ReshapeOp : QOps_ComputeOp<"reshape", [QOps_SameQuantScale]> {
  let summary = "reinterpret a tensor with another shape of the same size";
  let description = [{
    Returns the elements of `input` in row-major order with the result's
    shape. Both shapes are static and hold the same number of elements; the
    element type is unchanged. A per-axis quantized tensor cannot be
    reshaped (its axis would be lost).

    Example:

    ```mlir
    %y = qops.reshape %x : tensor<1x1x1x64xf32> -> tensor<1x64xf32>
    ```
  }];
  let arguments = (ins QOps_Tensor:$input);
  let results = (outs QOps_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def QOps_FlattenOp : QOps_ComputeOp<"flatten", [InferTypeOpAdaptor,
                                               QOps_SameQuantScale]> {
  let summary = "collapse a tensor into a matrix at an axis (ONNX Flatten)";
  let description = [{
    Reshapes `input` of rank `r` into `[d_0 * ... * d_(axis-1),
    d_axis * ... * d_(r-1)]`, `0 <= axis <= r` (an empty product is 1). The
    result type is inferred.

    Example:

    ```mlir
    %y = qops.flatten %x axis 1 : tensor<1x1x1x64xf32>
    ```
  }];
  let arguments = (ins QOps_Tensor:$input, I64Attr:$axis);
  let results = (outs QOps_Tensor:$output);
  let assemblyFormat = "$input `axis` $axis attr-dict `:` type($input)";
  let hasFolder = 1;
}

def QOps_ConcatOp : QOps_ComputeOp<"concat", [QOps_SameQuantScale]> {
  let summary = "concatenate tensors along an axis";
  let description = [{
    Joins the `inputs` (one or more, all of the same rank) along `axis`
    (`0 <= axis < rank`); all other dimensions agree. The result type is
    written explicitly because, in the quantized domain, the inputs may be
    rescaled to the result's parameters. Quantized tensors are per-tensor.

    Example:

    ```mlir
    %y = qops.concat %a, %b axis 3
         : (tensor<1x8x8x16xf32>, tensor<1x8x8x8xf32>) -> tensor<1x8x8x24xf32>
    ```
  }];
  let arguments = (ins Variadic<QOps_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs QOps_Tensor:$output);
  let assemblyFormat = [{
    $inputs `axis` $axis attr-dict `:` functional-type($inputs, results)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def QOps_PadOp : QOps_ComputeOp<"pad", [InferTypeOpAdaptor,
                                       QOps_SameQuantScale]> {
  let summary = "pad a tensor with a constant, its mirror image or its edge";
  let description = [{
    Adds `pad[2*i]` elements before and `pad[2*i + 1]` elements after
    dimension `i` (`pad` has two non-negative entries per dimension). The
    optional `mode` says what fills them (ONNX Pad's modes):
    * `constant` (the default): the real value `value` (0 when absent; in
      the quantized domain its quantized image, which is the zero point
      for 0);
    * `reflect`: the input mirrored about its first / last element, which
      is not repeated (`[a b c]` padded by 2 before is `c b a b c`); each
      pad is below the dimension's size;
    * `edge`: copies of the first / last element (the dimension is not
      empty).
    `value` is only for `constant`. Reflect and edge only copy input
    values, so, like the constant form, a quantized result shares its
    input's scale and zero point. The result type is inferred.

    Example:

    ```mlir
    %y = qops.pad %x pad [0, 0, 1, 1, 1, 1, 0, 0] : tensor<1x8x8x16xf32>
    %z = qops.pad %x pad [0, 0, 1, 1, 1, 1, 0, 0] value -1.0 : tensor<1x8x8x16xf32>
    %r = qops.pad %x pad [0, 0, 2, 2, 2, 2, 0, 0] mode "reflect" : tensor<1x8x8x16xf32>
    ```
  }];
  let arguments = (ins QOps_Tensor:$input, DenseI64ArrayAttr:$pad,
                       OptionalAttr<F32Attr>:$value,
                       OptionalAttr<StrAttr>:$mode);
  let results = (outs QOps_Tensor:$output);
  let assemblyFormat = [{
    $input `pad` $pad (`value` $value^)? (`mode` $mode^)? attr-dict
    `:` type($input)
  }];
  let extraClassDeclaration = [{
    /// The padding mode: "constant" when absent.
    StringRef getModeOrDefault() {
      return getMode() ? *getMode() : StringRef("constant");
    }
    /// Whether the padding only holds a constant.
    bool isConstantMode() { return getModeOrDefault() == "constant"; }
  }];
  let hasFolder = 1;
}

def QOps_TransposeOp : QOps_ComputeOp<"transpose", [InferTypeOpAdaptor,
                                                   QOps_SameQuantScale]> {
  let summary = "permute the dimensions of a tensor";
  let description = [{
    `output` dimension `i` is `input` dimension `perm[i]`; `perm` is a
    permutation of `[0, rank)`. The result type is inferred; a per-axis
    quantized dimension moves with its dimension.

    Example (NCHW to NHWC):

    ```mlir
    %y = qops.transpose %x perm [0, 2, 3, 1] : tensor<1x3x8x8xf32>
    ```
  }];
  let arguments = (ins QOps_Tensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs QOps_Tensor:$output);
  let assemblyFormat = "$input `perm` $perm attr-dict `:` type($input)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def QOps_SliceOp : QOps_ComputeOp<"slice", [QOps_SameQuantScale]> {
  let summary = "take a strided box of a tensor";
  let description = [{
    Result element `[i_0, ..., i_(r-1)]` is input element
    `[offsets[0] + i_0 * strides[0], ..., offsets[r-1] + i_(r-1) *
    strides[r-1]]`: `offsets` (non-negative) and `strides` (positive) have
    one entry per dimension, the result's static shape gives the count along
    each (at least 1), and every selected index lies inside the input. The
    element type is unchanged (a scale-preserving op in the quantized
    domain); a per-axis quantized tensor keeps its quantized dimension
    whole. ONNX Slice (positive steps) and Split import to it.

    Example (the second half of the channels of an NHWC tensor):

    ```mlir
    %y = qops.slice %x offsets [0, 0, 0, 8] strides [1, 1, 1, 1]
         : tensor<1x4x4x16xf32> -> tensor<1x4x4x8xf32>
    ```
  }];
  let arguments = (ins QOps_Tensor:$input, DenseI64ArrayAttr:$offsets,
                       DenseI64ArrayAttr:$strides);
  let results = (outs QOps_Tensor:$output);
  let assemblyFormat = [{
    $input `offsets` $offsets `strides` $strides attr-dict `:` type($input)
    `->` type($output)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def QOps_SoftmaxOp : QOps_ComputeOp<"softmax", [SameOperandsAndResultShape,
    DeclareOpInterfaceMethods<QOps_FixedOutputRangeOpInterface>]> {
  let summary = "softmax along one axis";
  let description = [{
    `output = exp(x - max) / sum(exp(x - max))` along `axis`
    (`-rank <= axis < rank`, negative counts from the end). The result type
    is written explicitly: a quantized softmax has its own output parameters
    (typically scale 1/256).

    Example:

    ```mlir
    %y = qops.softmax %x axis -1 : tensor<1x10xf32> -> tensor<1x10xf32>
    ```
  }];
  let arguments = (ins QOps_Tensor:$input, I64Attr:$axis);
  let results = (outs QOps_Tensor:$output);
  let assemblyFormat = [{
    $input `axis` $axis attr-dict `:` type($input) `->` type($output)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Quantization
//===----------------------------------------------------------------------===//

def QOps_QuantizeOp : QOps_Op<"quantize", [Pure, SameOperandsAndResultShape]> {
  let summary = "quantize a float tensor (ONNX QuantizeLinear)";
  let description = [{
    Maps each real `x` to
    `q = clamp(round_half_to_even(x / scale) + zero_point, qmin, qmax)` with
    the parameters of the result's `!quant.uniform` type (per-axis: the
    parameters of the element's slice along the quantized dimension);
    `[qmin, qmax]` is the storage type's range.

    Example:

    ```mlir
    %q = qops.quantize %x : tensor<1x16xf32> -> tensor<1x16x!quant.uniform<u8:f32, 0.05:128>>
    ```
  }];
  let arguments = (ins QOps_FloatTensor:$input);
  let results = (outs QOps_QuantTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasFolder = 1;
}

def QOps_DequantizeOp : QOps_Op<"dequantize", [Pure, SameOperandsAndResultShape]> {
  let summary = "dequantize to float (ONNX DequantizeLinear)";
  let description = [{
    Maps each stored integer `q` to `x = (q - zero_point) * scale` with the
    parameters of the operand's `!quant.uniform` type.

    Example:

    ```mlir
    %x = qops.dequantize %q : tensor<1x16x!quant.uniform<u8:f32, 0.05:128>> -> tensor<1x16xf32>
    ```
  }];
  let arguments = (ins QOps_QuantTensor:$input);
  let results = (outs QOps_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

def QOps_RequantizeOp : QOps_Op<"requantize", [Pure, SameOperandsAndResultShape]> {
  let summary = "change the quantization parameters of a tensor";
  let description = [{
    Re-expresses each quantized value with the result's parameters:
    `q_out = clamp(round_half_to_even((q_in - z_in) * s_in / s_out) + z_out,
    qmin, qmax)`; the output zero point is added after rounding. The operand
    may be a per-axis `i32` accumulator (per-channel scales
    `s_in[c] = s_input * s_weight[c]`) and the result a per-tensor 8-bit
    type: this is the requantization step of an integer convolution. How
    `s_in / s_out` is applied (fp32 multiply, or an integer multiplier and
    shift) is chosen by the lowering.

    Example:

    ```mlir
    %r = qops.requantize %acc
         : tensor<1x2x!quant.uniform<i32:f32:1, {0.001, 0.002}>>
           -> tensor<1x2x!quant.uniform<u8:f32, 0.05:128>>
    ```
  }];
  let arguments = (ins QOps_QuantTensor:$input);
  let results = (outs QOps_QuantTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasFolder = 1;
}

def QOps_TableOp : QOps_Op<"table", [Pure, SameOperandsAndResultShape]> {
  let summary = "element-wise function of an 8-bit quantized tensor as a table";
  let description = [{
    `output[i] = table[q_in[i] - qmin_in]`: each stored input value (256 of
    them: -128..127 for i8, 0..255 for u8) indexes a table of stored output
    values. `--convert-to-integer` builds it from an op with the
    `ElementFunctionOpInterface` (sigmoid, hardsigmoid, silu, tanh, hardswish,
    leaky_relu, and relu / relu6 / clamp whose input and result parameters
    differ):
    `table[v - qmin_in] = quantize_out(f(dequantize_in(v)))` computed with
    the float program's own f32 operations, so the table equals the QDQ
    simulation bit for bit. The entries are stored as i32 values within the
    result's storage range.

    Example:

    ```mlir
    %y = qops.table %x, dense<[...]> : tensor<256xi32>
         : tensor<1x16x!quant.uniform<u8:f32, 0.1:128>>
           -> tensor<1x16x!quant.uniform<u8:f32, 0.00390625>>
    ```
  }];
  let arguments = (ins QOps_QuantTensor:$input,
                       I32ElementsAttr:$table);
  let results = (outs QOps_QuantTensor:$output);
  let assemblyFormat = [{
    $input `,` $table attr-dict `:` type($input) `->` type($output)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Kernel building block: dot4
//===----------------------------------------------------------------------===//

def QOps_Dot4Op : QOps_Op<"dot4", [Pure, AllTypesMatch<["acc", "lhs", "rhs",
                                                         "result"]>]> {
  let summary = "4-way u8 x s8 dot product accumulated into i32 lanes";
  let description = [{
    Each i32 lane of `lhs` and `rhs` holds four bytes; lane `l` of the
    result is

    `acc[l] + sum_{j<4} u8(lhs[l].byte[j]) * s8(rhs[l].byte[j])`

    computed in wrapping i32 arithmetic. This is the instruction `vpdpbusd`
    of AVX512-VNNI (16 lanes) and AVX-VNNI (8 lanes); the packed int8
    kernels of `convert-qops-to-linalg` emit it on vectors, and
    `qops-lower-x86-intrinsics` turns it into the LLVM intrinsic after
    bufferization. It only exists between those two passes.

    Example:

    ```mlir
    %r = qops.dot4 %acc, %activations, %weights : vector<16xi32>
    ```
  }];
  let arguments = (ins VectorOfLengthAndType<[8, 16], [I32]>:$acc,
                       VectorOfLengthAndType<[8, 16], [I32]>:$lhs,
                       VectorOfLengthAndType<[8, 16], [I32]>:$rhs);
  let results = (outs VectorOfLengthAndType<[8, 16], [I32]>:$result);
  let assemblyFormat = "$acc `,` $lhs `,` $rhs attr-dict `:` type($result)";
}

//===----------------------------------------------------------------------===//
// Kernel building block: lookup_bytes
//===----------------------------------------------------------------------===//

def QOps_LookupBytesOp : QOps_Op<"lookup_bytes", [Pure,
    AllTypesMatch<["indices", "result"]>]> {
  let summary = "64 byte-indexed lookups in a 256-entry byte table";
  let description = [{
    Lane `l` of the result is `table[zext(indices[l])]`: each byte of
    `indices`, read as an unsigned number 0..255, selects one of the 256
    bytes of `table`. With AVX512-VBMI this is two `vpermi2b` (each looks up
    7 bits in 128 table bytes held in two registers) and a byte blend on the
    indices' top bit. `convert-qops-to-linalg` emits it for `qops.table` on
    such a target (64 elements per step instead of one scalar load each),
    and `qops-lower-x86-intrinsics` turns it into the intrinsics after
    bufferization. It only exists between those two passes.

    Example:

    ```mlir
    %r = qops.lookup_bytes %indices, %table : vector<64xi8>, vector<256xi8>
    ```
  }];
  let arguments = (ins VectorOfLengthAndType<[64], [I8]>:$indices,
                       VectorOfLengthAndType<[256], [I8]>:$table);
  let results = (outs VectorOfLengthAndType<[64], [I8]>:$result);
  let assemblyFormat =
      "$indices `,` $table attr-dict `:` type($indices) `,` type($table)";
}

include "quant-ops/Dialect/QOps/IR/QOpsNormalizationOps.td"
include "quant-ops/Dialect/QOps/IR/QOpsTransformerOps.td"

#endif // QUANTOPS_DIALECT_QOPS_IR_QOPSOPS_TD
