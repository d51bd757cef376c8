//===- QOpsNormalizationOps.td - statistics-based normalization -*- tablegen -*-===//
//
// Normalizations whose statistics are computed from the input at run time
// (instance and group normalization). Included by QOpsOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_DIALECT_QOPS_IR_QOPSNORMALIZATIONOPS_TD
#define QUANTOPS_DIALECT_QOPS_IR_QOPSNORMALIZATIONOPS_TD

//===----------------------------------------------------------------------===//
// Operator: group_norm
//===----------------------------------------------------------------------===//

def QOps_GroupNormOp : QOps_ComputeOp<"group_norm", [
    AllTypesMatch<["input", "output"]>,
    AllTypesMatch<["scale", "bias"]>]> {
  let summary = "group normalization (instance normalization when groups == C), channels last";
  let description = [{
    `input` is `[N, ..., C]` (channels last: NHWC for images, `[N, L, C]`
    for sequences, at least rank 2); `C` is divisible by `groups`. For each
    batch index `n` and group `g` (channels `[g*C/groups, (g+1)*C/groups)`)
    the mean `m` and the biased variance `v` are taken over every element of
    the group (all non-batch positions of its channels), and

    ```
    output = (input - m) / sqrt(v + epsilon) * scale[c] + bias[c]
    ```

    with per-channel `scale` and `bias` (`[C]`); `epsilon` is finite and
    >= 0. `groups == C` is ONNX `InstanceNormalization`; `groups == 1`
    normalizes each sample as a whole. The ONNX importer builds it from
    `InstanceNormalization`, from `GroupNormalization` (opsets 18 and 21),
    and from the form `torch.onnx.export` gives `nn.GroupNorm` at opsets
    13-17 (`Reshape` to `[N, G, -1]`, `InstanceNormalization` with unit
    scale and zero bias, `Reshape` back, `Mul` and `Add` by per-channel
    constants), whose affine part becomes `scale` and `bias`.

    **Float only; a float island in int8 programs.** The op computes in f32
    (sums accumulated in f32, in the order of the linalg lowering) and has
    no integer form: `--insert-qdq` quantizes its input and result but keeps
    `scale` and `bias` f32, and `--convert-to-integer` leaves it between
    `qops.dequantize` and `qops.quantize` with a remark, so the integer
    producers and consumers around it (convolutions) stay int8 and the
    integer object equals the QDQ simulation bit for bit. An exact integer
    form would need per-group integer statistics and an integer reciprocal
    square root matched bit for bit by the reference simulator; the island
    costs two passes over one tensor in f32.

    Example:

    ```mlir
    %y = qops.group_norm %x, %gamma, %beta groups 2 epsilon 1.0e-05
         : tensor<1x8x8x16xf32>, tensor<16xf32>
    ```
  }];
  let arguments = (ins QOps_Tensor:$input, QOps_Tensor:$scale,
                       QOps_Tensor:$bias, I64Attr:$groups, F32Attr:$epsilon);
  let results = (outs QOps_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `groups` $groups `epsilon` $epsilon
    attr-dict `:` type($input) `,` type($scale)
  }];
  let hasVerifier = 1;
}

#endif // QUANTOPS_DIALECT_QOPS_IR_QOPSNORMALIZATIONOPS_TD
