//===- Passes.td - qops graph passes ------------------------*- tablegen -*-===//
//
// Graph-level passes on qops programs. Flag names follow the project's
// command-line contract (`--fold-bn`, `--fuse-activations`).
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_DIALECT_QOPS_TRANSFORMS_PASSES_TD
#define QUANTOPS_DIALECT_QOPS_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

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

#endif // QUANTOPS_DIALECT_QOPS_TRANSFORMS_PASSES_TD
