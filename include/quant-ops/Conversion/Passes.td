//===- Passes.td - conversion passes of quant-opt -----------*- tablegen -*-===//
//
// Every conversion pass of the project is declared here.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_CONVERSION_PASSES_TD
#define QUANTOPS_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertQOpsToLinalgPass : Pass<"convert-qops-to-linalg", "func::FuncOp"> {
  let summary = "Lower float qops ops to linalg, tensor, arith and math on tensors";
  let description = [{
    Rewrites every `qops` op of the float domain into upstream ops on
    tensors:

    * `conv2d`: `tensor.pad` (zero padding), then
      `linalg.conv_2d_nhwc_hwcf` (groups == 1, weights permuted from OHWI
      to HWCF), `linalg.depthwise_conv_2d_nhwc_hwc` (depthwise, one filter
      per channel, weights `[KH, KW, C]`), or a `linalg.generic` over
      `[N, OH, OW, G, O/G]` for other groupings; the bias initializes the
      accumulator. Constant weights are permuted at compile time, others by
      a `linalg.transpose`;
    * `matmul` / `fully_connected`: `linalg.generic` contractions with the
      bias as accumulator initializer;
    * `batch_norm`, activations, `add`, `mul`: element-wise
      `linalg.generic` ops with NumPy broadcasting maps;
    * pooling: `linalg.pooling_nhwc_max` / `linalg.pooling_nhwc_sum` over a
      padded input, with the divisor computed per output position when
      padded positions do not count;
    * `reshape` / `flatten`: `tensor.collapse_shape` + `tensor.expand_shape`;
      `concat`: `tensor.insert_slice`s; `pad`: `tensor.pad`;
      `transpose`: `linalg.transpose`; `softmax`: max-reduction,
      exponentials and sum-reduction as `linalg.generic` ops.

    Example:

    ```mlir
    %y = qops.relu %x : tensor<4xf32>
    ```

    becomes

    ```mlir
    %e = tensor.empty() : tensor<4xf32>
    %y = linalg.generic {...} ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) {
    ^bb0(%in: f32, %out: f32):
      %m = arith.maximumf %in, %cst : f32
      linalg.yield %m : f32
    } -> tensor<4xf32>
    ```

    #### Input invariant

    Verified `qops` IR with static shapes. Ops of the quantized domain
    (`!quant.uniform` tensors) and the quantization ops are not lowered by
    this pass: each one is reported with an error naming it, and the pass
    fails (nothing is left half-lowered or silently kept).

    #### Output IR

    No `qops` ops remain; the function computes on tensors with `linalg`,
    `tensor`, `arith` and `math` ops.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

//===----------------------------------------------------------------------===//
// Lowering support
//===----------------------------------------------------------------------===//

def QOpsRecordSignaturePass : Pass<"qops-record-signature", "ModuleOp"> {
  let summary = "Record each public function's tensor signature before lowering";
  let description = [{
    Attaches `qops.signature = <function type>` to every public
    `func.func` with a body that does not have one yet. Lowering turns
    tensors into bare pointers; object emission (`quant-translate
    --emit-header`) and `quant-run` read this attribute to know each
    argument's shape and element type, and which arguments are outputs.

    ```mlir
    func.func @main(%x: tensor<1x8xf32>) -> tensor<1x2xf32>
      attributes {qops.signature = (tensor<1x8xf32>) -> tensor<1x2xf32>}
    ```
  }];
}

def QOpsExpandCopiesPass : Pass<"qops-expand-copies"> {
  let summary = "Rewrite memref.copy as linalg.copy";
  let description = [{
    Bufferization copies between strided views (`tensor.pad`,
    `tensor.insert_slice`) with `memref.copy`, whose LLVM lowering calls the
    `memrefCopy` function of MLIR's runtime library for non-contiguous
    layouts. Emitted objects must link with libc and libm alone, so this pass
    turns every `memref.copy` into a `linalg.copy`, which becomes loops.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

#endif // QUANTOPS_CONVERSION_PASSES_TD
