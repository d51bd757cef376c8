//===- QOpsDynamicOps.td - dynamic quantization -----------*- tablegen -*-===//
//
// Dynamic quantization: activations quantized at run time with parameters
// computed from their own range (ONNX DynamicQuantizeLinear), and the matrix
// product that consumes them. Included by QOpsOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_DIALECT_QOPS_IR_QOPSDYNAMICOPS_TD
#define QUANTOPS_DIALECT_QOPS_IR_QOPSDYNAMICOPS_TD

/// The u8 storage of a dynamically quantized tensor: its parameters are
/// run-time values, so it has no `!quant.uniform` type.
def QOps_DynamicU8Tensor : RankedTensorOf<[UI8]>;

//===----------------------------------------------------------------------===//
// Operator: dynamic_quantize
//===----------------------------------------------------------------------===//

def QOps_DynamicQuantizeOp : QOps_Op<"dynamic_quantize", [Pure,
    AllShapesMatch<["input", "output"]>,
    AllShapesMatch<["scale", "zero_point"]>]> {
  let summary = "quantize to u8 with parameters computed at run time (ONNX DynamicQuantizeLinear)";
  let description = [{
    Quantizes `input` to `uint8` with a scale and zero point computed from
    the input's own range at run time, as ONNX `DynamicQuantizeLinear`
    defines them. Over each range (the whole tensor when `scale` has rank
    0; each row, i.e. each index of all dimensions but the last, when
    `scale` has the input's shape without its last dimension):

    ```
    rmin  = min(0, min(x))          rmax = max(0, max(x))
    scale = (rmax - rmin) / 255     (f32 division)
    zp    = round_half_even(clamp(0 - rmin / scale, 0, 255))
    y     = clamp(round_half_even(x / scale) + zp, 0, 255)
    ```

    all in f32, with `x / scale` a true division (not a multiply by the
    reciprocal), so the results equal ONNX's reference bit for bit.

    Degenerate ranges, defined rather than divided by:
    * an all-zero range (`rmax == rmin == 0`) gets `scale = 1`, `zp = 0`
      and `y = 0` (ONNX Runtime's choice; ONNX's reference would divide by
      zero);
    * NaN and +-infinity do not enter the range (they are read as 0 for the
      min / max, which already include 0); a NaN element quantizes to `zp`,
      +infinity to 255 and -infinity to 0.

    Example:

    ```mlir
    %q, %s, %z = qops.dynamic_quantize %x
        : tensor<4x16xf32> -> tensor<4x16xui8>, tensor<f32>, tensor<ui8>
    ```
  }];
  let arguments = (ins QOps_FloatTensor:$input);
  let results = (outs QOps_DynamicU8Tensor:$output,
                      RankedTensorOf<[F32]>:$scale,
                      QOps_DynamicU8Tensor:$zero_point);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($output) `,` type($scale) `,`
    type($zero_point)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Whether each row (all dimensions but the last) has its own range.
    bool isPerRow() {
      return getScale().getType().getRank() != 0;
    }
  }];
}

//===----------------------------------------------------------------------===//
// Operator: dynamic_matmul
//===----------------------------------------------------------------------===//

def QOps_DynamicMatMulOp : QOps_Op<"dynamic_matmul", [Pure]> {
  let summary = "u8 x int8 matrix product of a dynamically quantized lhs, rescaled to f32";
  let description = [{
    `lhs` is the u8 output of `qops.dynamic_quantize`, `[M, K]` or
    `[B, M, K]`, with its run-time `lhs_scale` and `lhs_zero_point` (rank 0,
    or the shape of `lhs` without its last dimension: one per row). `rhs`
    is `[K, N]` with a `!quant.uniform` type (i8 or u8 storage; per-tensor,
    or per-axis along dimension 1: one scale per output column `n`), the
    weights quantized offline. The optional `bias` is f32 `[N]`. For each
    row `r` of `lhs` (all dimensions but the last) and column `n`:

    ```
    acc[r, n] = sum_k (lhs[r, k] - lhs_zero_point[r]) * (rhs[k, n] - rhs_zp[n])  (exact, i32)
    out[r, n] = f32(acc[r, n]) * f32(lhs_scale[r] * rhs_scale[n]) + bias[n]
    ```

    in f32, in this order: ONNX Runtime's `MatMulInteger -> Cast -> Mul
    (scale product)` graph, followed by its bias `Add`. The fused clamp
    (`clamp_min` / `clamp_max`, from `--fuse-activations`) applies last.
    The result is `[M, N]` or `[B, M, N]`, f32. The integer lowering
    bounds the accumulator: `K * 255 * max|rhs - rhs_zp|` must fit i32.

    Example:

    ```mlir
    %y = qops.dynamic_matmul %q, %s, %z, %w, %b
        : (tensor<4x16xui8>, tensor<f32>, tensor<ui8>,
           tensor<16x8x!quant.uniform<i8:f32:1, {...}>>, tensor<8xf32>)
          -> tensor<4x8xf32>
    ```
  }];
  let arguments = !con((ins QOps_DynamicU8Tensor:$lhs,
                            RankedTensorOf<[F32]>:$lhs_scale,
                            QOps_DynamicU8Tensor:$lhs_zero_point,
                            QOps_QuantTensor:$rhs,
                            Optional<QOps_FloatTensor>:$bias),
                       QOps_FusedClampArgs);
  let results = (outs QOps_FloatTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $lhs_scale `,` $lhs_zero_point `,` $rhs (`,` $bias^)? attr-dict
    `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Operator: dynamic_activation_matmul
//===----------------------------------------------------------------------===//

def QOps_DynamicActivationMatMulOp : QOps_Op<"dynamic_activation_matmul", [Pure]> {
  let summary = "u8 x u8 matrix product of two dynamically quantized tensors, rescaled to f32";
  let description = [{
    The product of two run-time tensors (attention's `Q K^T` and `P V`),
    both quantized by `qops.dynamic_quantize`: `lhs` is `[M, K]` or
    `[B, M, K]` with `lhs_scale` / `lhs_zero_point` of rank 0 or one per
    row (the shape of `lhs` without its last dimension); `rhs` is `[K, N]`
    or `[B, K, N]` (the rank of `lhs`, the same batch) with a rank-0
    `rhs_scale` / `rhs_zero_point`. For each row `r` of `lhs` and column `n`
    (per batch):

    ```
    acc[r, n] = sum_k (lhs[r, k] - lhs_zero_point[r]) * (rhs[k, n] - rhs_zero_point)  (exact, i32)
    out[r, n] = f32(acc[r, n]) * f32(lhs_scale[r] * rhs_scale)
    ```

    in f32, in this order (ONNX Runtime's `MatMulInteger -> Cast -> Mul`
    with both inputs from `DynamicQuantizeLinear`). The result is f32
    `[M, N]` or `[B, M, N]`. The integer lowering bounds the accumulator:
    `K * 255 * 255` must fit i32 (K up to 33,025).

    Example:

    ```mlir
    %y = qops.dynamic_activation_matmul %qa, %sa, %za, %qb, %sb, %zb
        : (tensor<4x16x8xui8>, tensor<f32>, tensor<ui8>,
           tensor<4x8x16xui8>, tensor<f32>, tensor<ui8>) -> tensor<4x16x16xf32>
    ```
  }];
  let arguments = (ins QOps_DynamicU8Tensor:$lhs,
                       RankedTensorOf<[F32]>:$lhs_scale,
                       QOps_DynamicU8Tensor:$lhs_zero_point,
                       QOps_DynamicU8Tensor:$rhs,
                       0DTensorOf<[F32]>:$rhs_scale,
                       0DTensorOf<[UI8]>:$rhs_zero_point);
  let results = (outs QOps_FloatTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $lhs_scale `,` $lhs_zero_point `,` $rhs `,` $rhs_scale `,`
    $rhs_zero_point attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

#endif // QUANTOPS_DIALECT_QOPS_IR_QOPSDYNAMICOPS_TD
