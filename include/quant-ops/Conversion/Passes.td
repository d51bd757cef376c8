//===- Passes.td - conversion passes of quant-opt -----------*- tablegen -*-===//
//
// Every conversion pass of the project is declared here.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_CONVERSION_PASSES_TD
#define QUANTOPS_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertQOpsToLinalgPass : Pass<"convert-qops-to-linalg", "ModuleOp"> {
  let summary = "Lower qops ops (float and integer) and quantize / dequantize / requantize to linalg on tensors";
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
      exponentials and sum-reduction as `linalg.generic` ops;
    * `quantize`, `dequantize`: element-wise `linalg.generic` ops on the
      storage integers with the contract's numerics, computed in f32:
      `q = clamp(round_half_to_even(x / s) + z, qmin, qmax)` (zero point
      added after rounding, NaN saturating to qmin) and `x = (q - z) * s`;
      per-axis parameters are read from constant tensors along the
      quantized dimension. This runs QDQ programs as exact
      fake-quantization;
    * the quantized domain (integer ops from `--convert-to-integer`):
      `conv2d` (any grouping), `fully_connected` and `matmul` become
      `linalg.generic` contractions of the storage integers (`extui` for
      `u8`, `extsi` for `i8`) into `i32`; constant weights are quantized at
      compile time and the input zero-point correction
      `-z_in * sum_k w[o, k]` is folded into the `i32` bias, so the loop is
      a pure integer dot product (a run-time weight subtracts the zero
      points in the loop); the padding value is the input zero point. The
      accumulator is then requantized per output channel with the
      multiplier `s_in * s_w[c] / s_out` and clamped to the output range
      narrowed by a fused activation. `requantize`, `add` (each input
      rescaled), `mul`, `avg_pool2d` (sums of `q - z`, one multiplier per
      window size), `global_avg_pool` and `reduce_mean` (sums of `q - z`,
      one multiplier), `max_pool2d`, `reduce_max` and `reduce_min`
      (unsigned compares for `u8`), `relu` / `relu6` / `clamp`, `pad` (the quantized image of the
      padding value) and the copies work on the storage integers too;
    * requantization follows the function's `qops.requant` attribute:
      `float` (default): `clamp(round_half_to_even(f32(acc) * f32(m)) + z)`
      (ONNX QLinearConv / ONNX Runtime); `fixed-point`: `m = M * 2^(e-31)`
      with `M` in `[2^30, 2^31)`, a saturating left shift by `max(e, 0)`,
      gemmlowp's SaturatingRoundingDoublingHighMul by `M` and
      RoundingDivideByPOT by `max(-e, 0)`, then `+ z` and the clamp
      (TFLite). A multiplier whose shift falls outside `[-31, 30]` is an
      error naming the op.

    * packed kernels (`packed-kernels`, on by default): conv2d with groups
      1, fully_connected and 2-D matmul whose weights (and bias) are
      constants become register-tiled loop nests on tensors: the weights
      are packed at compile time into rows of one vector register of
      output channels (int8: x 4 input channels, the operand of
      `vpdpbusd`, emitted as `qops.dot4` for AVX512-VNNI / AVX-VNNI and as
      vector multiply-adds elsewhere; float: FMAs on a broadcast input),
      a tile of pixels x channel registers accumulates over the whole
      reduction in registers, and the epilogue applies the bias, the
      fused clamp and (int8) the requantization before storing 8-bit
      results: no i32 tensor exists. i8 activations are made unsigned by
      flipping their sign bit, with `-128 * sum w` folded into the
      initializer. Depthwise conv2d with constant weights is vectorized
      along channels the same way. Other convolutions and run-time
      weights keep the linalg forms above.

    Tensors of quantized types become tensors of their storage integers
    (signless; `u8` is `i8` read as unsigned), in function signatures too.

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

    Verified `qops` IR with static shapes. Compute ops of the quantized
    domain (`!quant.uniform` tensors other than the quantization ops) are
    not lowered by this pass yet: each one is reported with an error naming
    it, and the pass fails (nothing is left half-lowered or silently kept).

    #### Output IR

    No `qops` ops (except `qops.dot4` in packed int8 kernels and
    `qops.lookup_bytes` in tables on AVX512-VBMI targets, lowered by
    `qops-lower-x86-intrinsics`) and no quantized types remain; functions compute on
    tensors with `linalg`, `tensor`, `arith`, `math`, `scf` and `vector`
    ops.
  }];
  let options = [
    Option<"targetCpu", "target-cpu", "std::string", /*default=*/"\"host\"",
           "CPU the packed kernels target: `host` or an LLVM CPU name of the "
           "host's architecture (znver4, cascadelake, alderlake, haswell). "
           "AVX512-VNNI gives 16-lane vpdpbusd int8 kernels, AVX-VNNI 8-lane "
           "ones, other CPUs portable vector code; float kernels use the "
           "CPU's vector width">,
    Option<"packedKernels", "packed-kernels", "bool", /*default=*/"true",
           "Lower conv2d, fully_connected and 2-D matmul with constant "
           "weights to packed register-tiled kernels: weights packed at "
           "compile time, accumulators in vector registers, bias, fused "
           "clamp and (int8) requantization in the tile epilogue; "
           "depthwise conv2d vectorized along channels. false keeps the "
           "linalg contractions (generic integer contraction + "
           "requantization for int8)">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
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
    It also drops `qops.*` argument attributes (calibrated ranges), which
    mean nothing once lowered.

    ```mlir
    func.func @main(%x: tensor<1x8xf32>) -> tensor<1x2xf32>
      attributes {qops.signature = (tensor<1x8xf32>) -> tensor<1x2xf32>}
    ```
  }];
}

def QOpsCopyReturnedArgumentsPass
    : Pass<"qops-copy-returned-arguments", "func::FuncOp"> {
  let summary = "Return copies of returned arguments and of values returned twice";
  let description = [{
    Results become caller-provided out-parameters during bufferization
    (`buffer-results-to-out-params`), which needs every returned tensor to
    be a buffer of its own; in MLIR 22 it crashes on a returned function
    argument and on some values returned more than once. This pass returns
    a `linalg.copy` of each function argument and of each repeated value
    instead, so such functions lower like any other.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def QOpsExpandCopiesPass : Pass<"qops-expand-copies"> {
  let summary = "Rewrite memref.copy as linalg.copy";
  let description = [{
    Bufferization copies between strided views (`tensor.pad`,
    `tensor.insert_slice`) with `memref.copy`, whose LLVM lowering calls the
    `memrefCopy` function of MLIR's runtime library for non-contiguous
    layouts. Emitted objects must link with libc and libm alone, so this pass
    turns every `memref.copy` into loops: a copy of static shape whose
    innermost dimension is contiguous in both views and at most 256
    elements becomes a loop nest over the outer dimensions moving one
    vector (the whole innermost row) per iteration (the padded copies of
    NHWC activations: one pixel's channels at a time); any other copy
    becomes a `linalg.copy`, lowered to scalar loops.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect"];
}

def QOpsPlanMemoryPass : Pass<"qops-plan-memory", "ModuleOp"> {
  let summary = "Place the intermediate buffers of entry functions in one workspace";
  let description = [{
    A static memory plan, run after bufferization and before the buffer
    deallocation pipeline. In every public function that carries a
    `qops.signature` and is called by no other function, each
    `memref.alloc` of static shape and identity layout gets a lifetime: the
    positions, in the function's body, of the operations that create it and
    that use it or a value aliasing it (views, loop-carried buffers, loop
    results). Buffers are packed greedily, largest first, at the lowest
    64-byte aligned offset that overlaps no placed buffer of intersecting
    lifetime; each becomes a `memref.view` of a new trailing argument
    `memref<N x i8>`, the workspace, and the function records
    `qops.workspace_size = N` and `qops.workspace_tensors = [count,
    bytes]` (the buffers placed and their total size, which the C header
    reports beside the workspace size). A buffer created inside a loop and carried
    to the next iteration, or returned, keeps its `memref.alloc`.

    First, a result that the lowering computes in a buffer of its own
    (carried through loops, and through scf.if ops that yield it from both
    branches, which BufferResultsToOutParams does not hoist)
    and copies to its output argument at the end, directly or through
    `collapse_shape` / `expand_shape`, is computed in the output argument
    itself (seen with the buffer's shape), when that copy is the buffer's last use and the
    output's only use: no workspace bytes and no copy for it. This relies
    on the ABI's rule that output buffers overlap no input.

    Objects (`quant-translate --emit-obj`) then make no allocation per
    call: the C entry `<prefix>_<f>` runs in a static arena (the
    `_with_workspace` form takes the caller's), and `quant-run` allocates
    the workspace once.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect"];
}

//===----------------------------------------------------------------------===//
// Code generation strategy
//===----------------------------------------------------------------------===//

def QOpsFuseElementwisePass
    : Pass<"qops-fuse-elementwise", "func::FuncOp"> {
  let summary = "Fuse element-wise linalg ops on tensors, with bounded bodies";
  let description = [{
    The patterns of upstream `--linalg-fuse-elementwise-ops` (producer into
    consumer when the producer has one use, reshape folding by expansion,
    constant folding, canonicalizations), except that a fusion is refused
    when the fused body would hold more than `max-body-ops` operations.

    Fusing a producer copies its body into the fused op, so fusing a chain
    of N element-wise ops into one op copies 1 + 2 + ... + N ops: quadratic
    (a chain of 10,000 ops took minutes). With the bound the work is linear
    and the chain becomes N / max-body-ops loops.

    A producer that runs fewer iterations than its consumer (a broadcast
    operand, e.g. a squeeze-excitation gate of `[1, 1, 1, C]` scaling a
    `[1, H, W, C]` tensor) is not fused either: fused, it would be
    recomputed for every element of the consumer.
  }];
  let options = [
    Option<"maxBodyOps", "max-body-ops", "int64_t", /*default=*/"64",
           "Largest body (operations, terminator included) of a fused op">,
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def QOpsSCFToControlFlowPass
    : Pass<"qops-scf-to-cf", "func::FuncOp"> {
  let summary = "Upstream scf-to-cf, last operation first";
  let description = [{
    The patterns of upstream `--convert-scf-to-cf`, applied to the
    operations of each block from the last to the first. Lowering a loop
    splits its block after it; upstream's first-to-last order moves the
    rest of the function into a new block at every loop, which is quadratic
    in a function of thousands of loops (the calibration copy of a model
    returns every tensor and keeps one loop nest per op). Last-first, the
    rest is already split off and each split moves a few operations.
  }];
  let dependentDialects = ["::mlir::cf::ControlFlowDialect"];
}

def QOpsTileAndVectorizePass
    : Pass<"qops-tile-and-vectorize", "func::FuncOp"> {
  let summary = "Tile convolutions and contractions to register tiles and vectorize them";
  let description = [{
    The CPU strategy for the compute-heavy linalg ops on tensors:

    * `linalg.conv_2d_nhwc_hwcf`: tiles of `1 x 1 x OW x F` outputs
      reducing `1 x 1 x C` at a time, decomposed into
      `linalg.conv_1d_nwc_wcf` and vectorized into vector contractions;
    * `linalg.depthwise_conv_2d_nhwc_hwc`: tiles of `1 x 1 x OW x C`,
      decomposed into the 1-D depthwise convolution and vectorized;
    * contractions (matmul, batched matmul, fully-connected generics):
      `M x N` register tiles reducing `K` in steps, vectorized into
      `vector.contract`;
    * element-wise generics with an operand broadcast along outer loops
      and an innermost loop of one to four registers (a squeeze-excitation
      gate `[1, 1, 1, 16]` scaling `[1, H, W, 16]`): tiles of one innermost
      row, vectorized (LLVM would unroll such a short loop completely and
      leave scalar code; without a broadcast it collapses the loops into
      one long loop and vectorizes that itself).

    Tile sizes divide the static loop sizes, so every tile has a static
    shape and needs no masking; they aim at the f32 lanes of one vector
    register of `target-cpu` (16 for AVX-512, 8 for AVX2), or `vector-size`
    when it is set. Other linalg ops are left
    to LLVM's loop vectorizer. Run `qops-hoist-vector-transfers` after
    bufferization so that accumulators stay in registers across the
    reduction loops.
  }];
  let options = [
    Option<"targetCpu", "target-cpu", "std::string", /*default=*/"\"host\"",
           "CPU whose vector registers the tiles target: `host` or an LLVM "
           "CPU name of the host's architecture (skylake-avx512, haswell)">,
    Option<"vectorSize", "vector-size", "int64_t", /*default=*/"0",
           "f32 lanes per vector register; overrides target-cpu when > 0">,
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def QOpsHoistVectorTransfersPass
    : Pass<"qops-hoist-vector-transfers", "func::FuncOp"> {
  let summary = "Hoist loop-invariant vector transfers out of loops (after bufferization)";
  let description = [{
    Moves `vector.transfer_read` / `vector.transfer_write` pairs on the same
    buffer out of the loops that do not change their indices, so that the
    accumulator of a tiled reduction lives in vector registers for the whole
    loop instead of going through memory at every step.
  }];
}

def QOpsLowerX86IntrinsicsPass
    : Pass<"qops-lower-x86-intrinsics", "func::FuncOp"> {
  let summary = "Lower qops.dot4 and qops.lookup_bytes to x86 intrinsics";
  let description = [{
    Rewrites each `qops.dot4` (emitted by the packed int8 kernels of
    `convert-qops-to-linalg` for a VNNI target) into
    `llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"` (16 lanes) or
    `"llvm.x86.avx512.vpdpbusd.256"` (8 lanes, AVX-VNNI or AVX512-VNNI with
    VL), and each `qops.lookup_bytes` (the vectorized `qops.table` of an
    AVX512-VBMI target) into two
    `llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.qi.512"` on the table's
    two 128-byte halves and an `arith.select` on the indices' top bit. It
    runs after bufferization, which does not accept calls with unknown
    memory effects inside tensor code.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::vector::VectorDialect"];
}

//===----------------------------------------------------------------------===//
// Multi-core execution
//===----------------------------------------------------------------------===//

def QOpsOutlineParallelLoopsPass
    : Pass<"qops-outline-parallel-loops", "ModuleOp"> {
  let summary = "Outline the parallel loop bands of the kernels into functions of an iteration range";
  let description = [{
    Runs after bufferization, on loops over buffers (before
    `convert-linalg-to-loops`). The kernels of
    `convert-qops-to-linalg` mark the loops whose iterations are
    independent with `qops.parallel` (packed convolutions, fully-connected
    layers and matrix products: output channel blocks, images and output
    rows; depthwise convolutions: images, rows and channel blocks). Each
    outermost marked loop, with the marked loops perfectly nested in it (a
    band of constant bounds and no loop-carried values), becomes a private
    function

    ```mlir
    func.func private @main_parallel0(%begin: index, %end: index, <captures>)
        attributes {qops.parallel_task = <iterations> : i64}
    ```

    that runs the band's iterations `[begin, end)` in their order (the
    band's index space linearized, outermost slowest), and the band becomes
    a call of it over every iteration: the code stays single-threaded and
    computes what it computed, iteration by iteration.
    `qops-parallel-dispatch` later turns the call into the caller's
    parallel-for. Captured buffers are passed as arguments when they are
    arguments of the function or static identity-layout buffers; constants,
    globals and views are re-created inside. A band that captures anything
    else, or whose work (a rough count of the operations its iterations
    execute) is below `min-work`, stays a loop (and single-threaded):
    splitting a small loop costs more than it saves.

    First, the linalg ops left at the top level of a function (element-wise
    ops such as residual adds, copies into padded buffers, fills, pools)
    are lowered to loops here and the loops of their leading parallel
    dimensions marked: bufferization lets such an op write a buffer it
    reads only element for element, so those iterations are independent
    too.
  }];
  let options = [
    Option<"minWork", "min-work", "int64_t", /*default=*/"16384",
           "Smallest estimated work (operations executed) of a band worth "
           "splitting">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::scf::SCFDialect"];
}

def QOpsParallelDispatchPass
    : Pass<"qops-parallel-dispatch", "ModuleOp"> {
  let summary = "Call the caller's parallel-for for the loops qops-outline-parallel-loops outlined";
  let description = [{
    Runs on the LLVM dialect, last in `--qops-to-llvm`. Every public
    function with a `qops.signature` that calls an outlined loop function
    (`qops.parallel_task = N`) gets a trailing pointer argument to a
    `quant_parallel` (`{void (*parallel_for)(void *context, int n, void
    (*task)(void *, int), void *task_context); void *context; int
    max_tasks;}`) and the `qops.parallel` attribute. Each call of a loop
    function then runs

    * on the calling thread, over all `N` iterations, as before, when the
      pointer is null or `min(max_tasks, N) <= 1`;
    * otherwise as `T = min(max_tasks, N)` tasks: the call's arguments are
      stored in a context on the stack and `parallel_for(context, T, run,
      &ctx)` is called, where `run(&ctx, i)` computes iterations
      `[i * N / T, (i + 1) * N / T)`. `parallel_for` may run the tasks in any
      order and concurrently; it returns when all of them have.

    Iterations compute the same values whichever task runs them, so the
    results are bit-identical to the single-threaded call. Functions
    without a signature (called by others) keep their calls
    single-threaded.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif // QUANTOPS_CONVERSION_PASSES_TD
