//===- QOpsTransformerOps.td - transformer encoder ops ------*- tablegen -*-===//
//
// The ops transformer encoders add to the CNN set: embedding lookup
// (gather with run-time indices), layer normalization over trailing axes
// and GELU. Included by QOpsOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_DIALECT_QOPS_IR_QOPSTRANSFORMEROPS_TD
#define QUANTOPS_DIALECT_QOPS_IR_QOPSTRANSFORMEROPS_TD

/// Run-time indices: signless 32- or 64-bit integers (ONNX int32 / int64).
def QOps_IndexTensor : RankedTensorOf<[I32, I64]>;

//===----------------------------------------------------------------------===//
// Operator: gather
//===----------------------------------------------------------------------===//

def QOps_GatherOp : QOps_Op<"gather", [Pure]> {
  let summary = "gather slices of a tensor at integer indices (embedding lookup)";
  let description = [{
    ONNX `Gather`: `data` is `[D0, ..., Dr-1]`, `indices` any shape `I` of
    `i32` or `i64` values (run-time or constant), `axis` in `[0, r)`. The
    result is `data[:axis] ++ I ++ data[axis+1:]`:

    ```
    output[o..., i..., p...] = data[o..., idx(indices[i...]), p...]
    ```

    Index semantics: a negative index counts from the end (`k + D_axis`
    for `-D_axis <= k < 0`), as ONNX defines. **Out-of-range indices never
    read outside `data`**: after that wrap, an index is clamped into
    `[0, D_axis - 1]` (below the range gives the first slice, above it the
    last one). ONNX leaves out-of-range indices undefined; the clamp is this
    compiler's documented safe behaviour.

    The typical use is an embedding table (a constant `[V, D]`) looked up
    with token ids `[B, L]` (`axis = 0`), giving `[B, L, D]`.

    **Float only.** `data` and the result are f32: in an int8 program the op
    stays a float island (its table is dequantized, its result quantized;
    `--convert-to-integer` leaves it in float with a remark, since its index
    operand is not a quantized value).

    Example:

    ```mlir
    %e = qops.gather %table, %ids axis 0
         : (tensor<100x64xf32>, tensor<1x16xi64>) -> tensor<1x16x64xf32>
    ```
  }];
  let arguments = (ins QOps_FloatTensor:$data, QOps_IndexTensor:$indices,
                       I64Attr:$axis);
  let results = (outs QOps_FloatTensor:$output);
  let assemblyFormat = [{
    $data `,` $indices `axis` $axis attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Operator: layer_norm
//===----------------------------------------------------------------------===//

def QOps_LayerNormOp : QOps_ComputeOp<"layer_norm", [
    AllTypesMatch<["input", "output"]>,
    AllTypesMatch<["scale", "bias"]>]> {
  let summary = "layer normalization over the trailing axes (ONNX LayerNormalization)";
  let description = [{
    `input` is `[D0, ..., Dr-1]` and `axis` in `[0, r)` (non-negative; the
    importer resolves ONNX's negative axis). Each row — one index of the
    leading dimensions `D0 .. D(axis-1)` — is normalized over all elements
    of the trailing dimensions `D(axis) .. D(r-1)` (`n` elements):

    ```
    mean = sum(x) / n
    var  = sum((x - mean)^2) / n          (biased)
    output = (x - mean) / sqrt(var + epsilon) * scale + bias
    ```

    `scale` and `bias` have the shape of the trailing dimensions;
    `epsilon` is finite and >= 0. The sums accumulate in f32, in the order
    of the linalg lowering. The ONNX importer builds it from
    `LayerNormalization` (opset 17; no `Mean` / `InvStdDev` outputs used,
    `stash_type` 1) and recognises the decomposed form `torch.onnx.export`
    writes for `nn.LayerNorm` at opsets 13-16 (`ReduceMean -> Sub -> Pow 2
    -> ReduceMean -> Add eps -> Sqrt -> Div -> Mul scale -> Add bias`, on
    the last axis) as the same op.

    **Float only; a float island in int8 programs**, exactly as
    `qops.group_norm`: `--insert-qdq` quantizes its input and result but
    keeps `scale` and `bias` f32, and `--convert-to-integer` leaves it
    between `qops.dequantize` and `qops.quantize` with a remark.

    Example:

    ```mlir
    %y = qops.layer_norm %x, %gamma, %beta axis 2 epsilon 1.0e-05
         : tensor<1x16x64xf32>, tensor<64xf32>
    ```
  }];
  let arguments = (ins QOps_Tensor:$input, QOps_Tensor:$scale,
                       QOps_Tensor:$bias, I64Attr:$axis, F32Attr:$epsilon);
  let results = (outs QOps_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `axis` $axis `epsilon` $epsilon
    attr-dict `:` type($input) `,` type($scale)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Operator: gelu
//===----------------------------------------------------------------------===//

def QOps_GeluOp : QOps_UnaryMapOp<"gelu", [
    DeclareOpInterfaceMethods<QOps_ElementFunctionOpInterface>]> {
  let summary = "Gaussian error linear unit, exact (erf) or tanh approximation";
  let description = [{
    Element-wise, in these f32 operations and this order (the order
    `torch.onnx.export` writes them, so that the op equals the exported
    graph it replaces):

    - `approximate = "none"`:
      `output = (x * (erf(x / 1.41421354) + 1)) * 0.5`
    - `approximate = "tanh"`:
      `output = (x * (tanh((x + 0.044715 * x^3) * 0.797884583) + 1)) * 0.5`
      with `x^3 = (x * x) * x`

    (`1.41421354` is `sqrt(2)` and `0.797884583` is `sqrt(2 / pi)`, both
    rounded to f32; `erf` and `tanh` are libm's `erff` and `tanhf`). ONNX
    `Gelu` (opset 20) imports with its `approximate` attribute; the
    importer also recognises the exported forms of PyTorch's `nn.GELU()`
    and `nn.GELU(approximate="tanh")`. A quantized one becomes one
    256-entry table (ElementFunctionOpInterface).

    Example:

    ```mlir
    %y = qops.gelu %x approximate "tanh" : tensor<1x16xf32> -> tensor<1x16xf32>
    ```
  }];
  let arguments = (ins QOps_Tensor:$input,
                       DefaultValuedStrAttr<StrAttr, "none">:$approximate);
  let assemblyFormat = [{
    $input (`approximate` $approximate^)? attr-dict `:` type($input) `->`
    type($output)
  }];
}

#endif // QUANTOPS_DIALECT_QOPS_IR_QOPSTRANSFORMEROPS_TD
