//===- Passes.td - qops graph passes ------------------------*- tablegen -*-===//
//
// Graph-level passes on qops programs. Flag names follow the project's
// command-line contract (`--fold-bn`, `--fuse-activations`).
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_DIALECT_QOPS_TRANSFORMS_PASSES_TD
#define QUANTOPS_DIALECT_QOPS_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def QOpsCheckCallGraphPass : Pass<"check-call-graph", "ModuleOp"> {
  let summary = "Reject recursion: call cycles among the module's functions";
  let description = [{
    The generated code calls functions on the machine stack and has no
    base case analysis, so a function that calls itself, directly or
    through other functions, would recurse until the stack overflows at run
    time. This pass finds every cycle of direct calls (any op with the call
    interface whose callee is a symbol of the module: `func.call`,
    `llvm.call`) and reports each one as an error at the call that closes
    it, naming the functions in the cycle:

    ```
    m.mlir:3:8: error: recursion is not supported: call cycle @a -> @b -> @a; the
    generated code would overflow the stack
    ```

    It runs first in `--qops-to-llvm` (so also before `quant-run` compiles
    and before calibration executes a model) and in `--quantize-int8`.
    Indirect calls through function pointers are not followed. The module
    is not changed.
  }];
}

def QOpsFoldBatchNormPass : Pass<"fold-bn", "func::FuncOp"> {
  let summary = "Fold inference batch norms into the weights and bias of their producers";
  let description = [{
    Folds `qops.batch_norm` into the constant weights and bias of the
    `qops.conv2d` (dense, grouped or depthwise), `qops.fully_connected` or
    `qops.matmul` that produces its input. With
    `s[c] = gamma[c] / sqrt(var[c] + eps)` per output channel `c`:

    ```
    w'[c, ...] = w[c, ...] * s[c]
    b'[c]      = (b[c] - mean[c]) * s[c] + beta[c]      (b = 0 without bias)
    ```

    Output channels are dimension 0 of conv2d (OHWI) and fully-connected
    (`[O, K]`) weights and the last dimension of a matmul's right operand.
    The producer may also sit behind a single-use `qops.reshape` that keeps
    the last (channel) dimension, as in the 3-D convolutions the ONNX
    importer builds (a conv2d whose batch holds the output depths, reshaped
    to `[N, D, H, W, C]`): the batch norm folds into the conv2d and the
    reshape follows it.

    A batch norm is folded only when that is exact: its parameters and the
    producer's weights and bias are constants, the producer's result has no
    other user and carries no fused activation. Otherwise, with constant
    parameters, it becomes a per-channel affine
    `x * s + (beta - mean * s)` (`qops.mul` + `qops.add`), and a remark says
    why it was not folded; later stages never see it. A batch norm with
    non-constant parameters is kept with a warning. `var + eps <= 0` or a
    non-finite parameter is an error.

    Before:

    ```mlir
    %y = qops.conv2d %x, %w, %b stride [1, 1] pad [1, 1, 1, 1] dilation [1, 1] groups 1
         : (tensor<1x8x8x3xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x8x8x16xf32>
    %z = qops.batch_norm %y, %gamma, %beta, %mean, %var epsilon 1.0e-05
         : tensor<1x8x8x16xf32>, tensor<16xf32>
    ```

    After (`%w2`, `%b2` are new constants):

    ```mlir
    %z = qops.conv2d %x, %w2, %b2 stride [1, 1] pad [1, 1, 1, 1] dilation [1, 1] groups 1
         : (tensor<1x8x8x3xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x8x8x16xf32>
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def QOpsFuseActivationsPass : Pass<"fuse-activations", "func::FuncOp"> {
  let summary = "Fuse relu, relu6 and clamp into their producer as a clamp range";
  let description = [{
    Replaces a `qops.relu`, `qops.relu6` or `qops.clamp` whose input is the
    only use of a `qops.conv2d`, `qops.matmul`, `qops.fully_connected` or
    `qops.add` by the producer's fused activation: the `clamp_min` /
    `clamp_max` attributes (`relu` is `[0, +inf)`, `relu6` is `[0, 6]`).
    Chains of activations fold into the intersection of their ranges. The
    later integer path applies the range as a clamp of the quantized output.
    Single-use `qops.reshape` and `qops.transpose` ops between the producer
    and the activation are looked through (they move values and commute
    with a clamp): the producer takes the range and the layout ops stay.

    Not fused: activations of producers with other users (the unclamped
    value is still needed), ranges that do not overlap the producer's
    existing one, and `qops.leaky_relu`, which is not a clamp and which no
    producer carries.

    Before:

    ```mlir
    %y = qops.conv2d %x, %w, %b stride [1, 1] pad [1, 1, 1, 1] dilation [1, 1] groups 1
         : (tensor<1x8x8x3xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x8x8x16xf32>
    %z = qops.relu6 %y : tensor<1x8x8x16xf32>
    ```

    After:

    ```mlir
    %z = qops.conv2d %x, %w, %b stride [1, 1] pad [1, 1, 1, 1] dilation [1, 1] groups 1
         {clamp_max = 6.000000e+00 : f32, clamp_min = 0.000000e+00 : f32}
         : (tensor<1x8x8x3xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x8x8x16xf32>
    ```
  }];
}

def QOpsInsertQDQPass : Pass<"insert-qdq", "func::FuncOp"> {
  let summary = "Insert quantize / dequantize pairs: the float QDQ program";
  let description = [{
    Turns a float model with recorded ranges (`qops.range`, from
    `--calibrate` or an importer) into its QDQ program, the exact
    specification of the int8 model:

    * **weights** (the constant weight of `conv2d` and `fully_connected`,
      the constant right operand of `matmul`): symmetric, narrow range
      (`[-127, 127]` for 8 bits, `[-7, 7]` for 4), one scale per output
      channel (dimension 0 of conv / fully-connected weights, the last
      dimension of a matmul operand) or per tensor with `per-channel=false`;
      the range is the weights' own min / max;
    * **activations** (every non-constant operand and every result of a
      quantized op): asymmetric per tensor, `u8` by default (`u8`
      activations times `i8` weights is the operand pair of AVX-512 VNNI's
      `vpdpbusd`), `i8` with `activations=i8`, 16 bits with
      `activation-bits=16`; the range is the tensor's recorded range;
    * other constant operands (e.g. the per-channel constants of a batch
      norm turned affine): asymmetric activation type from their values;
    * **biases** stay f32: the integer conversion makes them int32 with
      scale `s_in * s_w`.

    Scale and zero point follow the contract (range widened to include 0;
    degenerate ranges handled; see `computeQuantParams`). A fused activation
    is part of its op, so the QDQ pair comes after it. Ops named in
    `exclude` (by location name or by op name, `softmax` or `qops.softmax`)
    stay in float: their weights are not quantized, and QDQ pairs appear
    only at their boundaries with quantized ops. A tensor that needs a range
    and has none is an error naming it and both ways to provide ranges;
    `batch_norm` must be folded first (`--fold-bn`). Tensors already
    produced by a `dequantize` are left alone, so running the pass twice
    changes nothing.

    A `div` by a constant of finite non-zero values (per-channel image
    normalisation: `x / std`) first becomes a `mul` by the f32 reciprocals
    of the constant (keeping the div's location and range): the form with
    an integer implementation. A division by a run-time tensor stays a
    `div` (a float island, or a table when its dividend is a constant
    scalar).

    Before:

    ```mlir
    %y = qops.conv2d %x, %w, %b ... {clamp_min = 0.0 : f32, qops.range = array<f64: 0.0, 6.1>}
    ```

    After (`%x` had the range [-1, 1]):

    ```mlir
    %xq = qops.quantize %x : tensor<...xf32> -> tensor<...x!quant.uniform<u8:f32, 0.0078431377187371254:128>>
    %xd = qops.dequantize %xq : ... -> tensor<...xf32>
    %wq = qops.quantize %w : tensor<16x3x3x3xf32> -> tensor<16x3x3x3x!quant.uniform<i8<-127:127>:f32:0, {...}>>
    %wd = qops.dequantize %wq : ...
    %y = qops.conv2d %xd, %wd, %b ...
    %yq = qops.quantize %y : tensor<...xf32> -> tensor<...x!quant.uniform<u8:f32, 0.023921568691730499>>
    %yd = qops.dequantize %yq : ...
    ```
  }];
  let options = [
    Option<"activations", "activations", "std::string", /*default=*/"\"u8\"",
           "Activation storage: u8 (default: the VNNI operand type) or i8">,
    Option<"perChannel", "per-channel", "bool", /*default=*/"true",
           "One weight scale per output channel (false: per tensor)">,
    Option<"weightBits", "weight-bits", "unsigned", /*default=*/"8",
           "Weight bits: 8 or 4">,
    Option<"activationBits", "activation-bits", "unsigned", /*default=*/"8",
           "Activation bits: 8 or 16">,
    ListOption<"exclude", "exclude", "std::string",
               "Ops kept in float: location names or op names">,
  ];
}

def QOpsDynamicQuantizePass : Pass<"dynamic-quantize", "func::FuncOp"> {
  let summary = "Dynamic quantization: int8 weights now, activation scales at run time";
  let description = [{
    Rewrites every float `qops.fully_connected` and every 2-D `qops.matmul`
    whose weight (right operand) is a constant into the dynamically
    quantized form; no ranges and no calibration data are needed:

    * the **weights** are quantized here: symmetric, narrow range
      (`[-127, 127]`), one scale per output column (`per-channel=false`:
      one per tensor), stored `[K, N]` (a fully-connected weight `[O, K]`
      is transposed at compile time);
    * the **activation** (the left operand) becomes a
      `qops.dynamic_quantize`: u8 with scale and zero point computed at run
      time from its min / max, as ONNX `DynamicQuantizeLinear` defines
      them, over the whole tensor (`granularity=tensor`, the default) or
      over each row (`granularity=row`); one `dynamic_quantize` serves
      every product that reads the same tensor (the query, key and value
      projections of an attention block);
    * the product becomes a `qops.dynamic_matmul`: u8 x s8 -> i32 (the
      packed `vpdpbusd` kernels on VNNI CPUs), then
      `f32(acc) * (s_x * s_w[n]) + bias[n]` and the fused clamp, in f32.

    With `activation-matmuls=true`, a `qops.matmul` of two run-time tensors
    (2-D or batched 3-D: attention's `Q K^T` and `P V`) becomes a
    `qops.dynamic_activation_matmul` of two `dynamic_quantize`s (the left
    operand with the chosen granularity, the right one per tensor): u8 x u8
    -> i32 in a generic contraction, then `f32(acc) * (s_a * s_b)`.

    The output stays f32, and every other op stays float. Not rewritten
    (a remark says why): products whose right operand is not a constant
    (unless `activation-matmuls=true`; with it, those carrying a bias or a
    fused activation), batched matmuls with constant 3-D weights, ops named
    in `exclude` (by location name or op name, `fully_connected` or
    `qops.fully_connected`). A weight with a non-finite value is an error.
    Convolutions are not dynamically quantized.

    Before:

    ```mlir
    %y = qops.fully_connected %x, %w, %b {clamp_min = 0.0 : f32}
         : (tensor<1x64xf32>, tensor<32x64xf32>, tensor<32xf32>) -> tensor<1x32xf32>
    ```

    After:

    ```mlir
    %wq = qops.quantize %wt : tensor<64x32xf32> -> tensor<64x32x!quant.uniform<i8<-127:127>:f32:1, {...}>>
    %q, %s, %z = qops.dynamic_quantize %x
        : tensor<1x64xf32> -> tensor<1x64xui8>, tensor<f32>, tensor<ui8>
    %y = qops.dynamic_matmul %q, %s, %z, %wq, %b {clamp_min = 0.0 : f32} : ...
    ```
  }];
  let options = [
    Option<"granularity", "granularity", "std::string", /*default=*/"\"tensor\"",
           "Activation ranges: tensor (one per tensor, ONNX "
           "DynamicQuantizeLinear) or row (one per row)">,
    Option<"perChannel", "per-channel", "bool", /*default=*/"true",
           "One weight scale per output channel (false: per tensor)">,
    Option<"activationMatmuls", "activation-matmuls", "bool",
           /*default=*/"false",
           "Also quantize matmuls of two run-time tensors (both operands "
           "dynamically, the right one per tensor)">,
    ListOption<"exclude", "exclude", "std::string",
               "Ops kept in float: location names or op names">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def QOpsPropagateScalesPass : Pass<"propagate-scales", "func::FuncOp"> {
  let summary = "Share quantization parameters where the integer code needs them shared";
  let description = [{
    Adjusts the QDQ program that `--insert-qdq` produced, driven by op traits
    and interfaces rather than lists of op names:

    * ops with the `SameQuantScale` trait (`max_pool2d`, `reshape`,
      `flatten`, `pad`, `transpose`, `slice`, `reduce_max`, ...) only move,
      select or pad values, and a `concat` joins its inputs: the integer
      code copies integers only if the values on both sides share one set
      of parameters. The pass groups the quantized values that must share
      parameters (union-find over same-scale ops and concats, in both
      directions: a concat's parameters flow back through a chain of
      same-scale ops into the producers' quantize ops) and gives each group
      one set: the parameters of a member whose range covers every other
      member's, else parameters for the union of their ranges. A value
      with several users stays in its group; its other users read the
      shared parameters. A channel shuffle between two concats
      (ShuffleNetV2) or the growing concats of a dense block (DenseNet)
      thus needs no requantization at all;
    * some values' parameters may not change: a fixed-range op's output
      (below), a quantized argument or constant, a quantized value used
      other than through `dequantize`. A group holds at most one; a
      same-scale op takes it through, and a concat input whose group is
      fixed to other parameters is requantized for the concat (a second
      quantize / dequantize pair on the operand), with a remark saying why;
    * ops implementing `FixedOutputRangeOpInterface` (`sigmoid`,
      `hardsigmoid` and `softmax` in `[0, 1]`, `tanh` in `[-1, 1]`) get
      output parameters from that range instead of the calibrated one;
    * finally, `quantize(dequantize(q))` with identical parameters folds to
      `q`.

    The result is stable: running the pass twice changes nothing.

    Before:

    ```mlir
    %d = qops.dequantize %q : tensor<1x4x4x8x!quant.uniform<u8:f32, 0.02>> -> tensor<1x4x4x8xf32>
    %p = qops.max_pool2d %d kernel [2, 2] stride [2, 2] pad [0, 0, 0, 0] : tensor<1x4x4x8xf32>
    %pq = qops.quantize %p : tensor<1x2x2x8xf32> -> tensor<1x2x2x8x!quant.uniform<u8:f32, 0.015>>
    ```

    After:

    ```mlir
    %pq = qops.quantize %p : tensor<1x2x2x8xf32> -> tensor<1x2x2x8x!quant.uniform<u8:f32, 0.02>>
    ```
  }];
}

def QOpsConvertToIntegerPass : Pass<"convert-to-integer", "func::FuncOp"> {
  let summary = "Turn the QDQ program into integer ops on !quant.uniform tensors";
  let description = [{
    The last stage of `--quantize-int8`. Every `dequantize -> op -> quantize`
    pattern of the QDQ program becomes the op itself on quantized tensors:
    its operands are the dequantized values, its result type the quantize's
    type, and the dequantize / quantize ops go. The integer semantics of
    each op are those of its quantized domain (see the dialect reference);
    the lowering (`--convert-qops-to-linalg`) turns them into integer
    linalg.

    | op | converted when |
    |---|---|
    | `conv2d`, `fully_connected`, `matmul` | per-tensor activations, per-tensor or per-channel weights, bias absent or `i32` (from `--propagate-scales`) |
    | `add`, `mul` | per-tensor operands (each input is rescaled) |
    | `avg_pool2d`, `global_avg_pool`, `reduce_mean` | per-tensor input and result |
    | `max_pool2d`, `reduce_max`, `reduce_min`, `reshape`, `flatten`, `pad`, `transpose`, `concat` | every input has the result's parameters (integers are copied) |
    | `relu`, `relu6`, `clamp` | input and result parameters equal (a clamp of the integers) |

    Fused activations (`clamp_min` / `clamp_max`) stay on the op and become a
    clamp of its quantized output. Any other op between a `dequantize` and a
    `quantize` (for example `softmax`, a 16-bit `sigmoid`, or `reduce_sum`,
    whose result range grows with the number of reduced elements) stays in
    float between them: the pass emits a remark naming the op and the reason, and with
    `allow-float-fallback=false` this is an error. Nothing falls back
    silently.

    `requant=float|fixed-point` records, as the function attribute
    `qops.requant`, how the lowering applies requantization multipliers:
    `float` is an f32 multiply with round-half-to-even (ONNX QLinearConv,
    ONNX Runtime); `fixed-point` an int32 multiplier and shift with a
    saturating rounding doubling high multiply and a rounding right shift
    (TFLite, gemmlowp).

    The function keeps its float signature by default: its inputs are
    quantized and its results dequantized inside it. With `integer-io=true`
    an argument whose only use is a `quantize` takes the quantized type
    itself and a result produced by a `dequantize` is returned quantized,
    so callers exchange the storage integers (`uint8_t` / `int8_t` in the
    C header) and the scales and zero points are in the signature.

    Before:

    ```mlir
    %x = qops.dequantize %q : tensor<1x4x4x8x!quant.uniform<u8:f32, 0.02>> -> tensor<1x4x4x8xf32>
    %p = qops.max_pool2d %x kernel [2, 2] stride [2, 2] pad [0, 0, 0, 0] : tensor<1x4x4x8xf32>
    %pq = qops.quantize %p : tensor<1x2x2x8xf32> -> tensor<1x2x2x8x!quant.uniform<u8:f32, 0.02>>
    ```

    After:

    ```mlir
    %pq = qops.max_pool2d %q kernel [2, 2] stride [2, 2] pad [0, 0, 0, 0] : tensor<1x4x4x8x!quant.uniform<u8:f32, 0.02>>
    ```
  }];
  let options = [
    Option<"allowFloatFallback", "allow-float-fallback", "bool",
           /*default=*/"true",
           "Keep ops without an integer form in float between dequantize and "
           "quantize (with a remark); false makes each such op an error">,
    Option<"requant", "requant", "std::string", /*default=*/"\"float\"",
           "Requantization arithmetic: float (f32 multiply, round half to "
           "even) or fixed-point (int32 multiplier and shift)">,
    Option<"integerIO", "integer-io", "bool", /*default=*/"false",
           "Exchange the quantized integers at the function boundary: an "
           "argument whose only use is a quantize takes its quantized type, "
           "a result that is a dequantize returns the quantized value">,
  ];
}

#endif // QUANTOPS_DIALECT_QOPS_TRANSFORMS_PASSES_TD
