//===- Passes.td - calibration passes -----------------------*- tablegen -*-===//
//
// Calibration executes the float model, so it sits above the runtime.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPS_CALIBRATION_PASSES_TD
#define QUANTOPS_CALIBRATION_PASSES_TD

include "mlir/Pass/PassBase.td"

def QOpsCalibratePass : Pass<"calibrate", "ModuleOp"> {
  let summary = "Record the real range of every tensor to be quantized";
  let description = [{
    Runs the float model (the JIT of `quant-run`) over every sample of the
    calibration data and records, for each function input and each result
    of a float-domain qops op of the entry function, the range of values it
    took. The range goes into the attribute `qops.range = array<f64: lo, hi>`
    of the op (an argument attribute for function inputs), the form the QDQ
    insertion reads.

    * `data=a.npy[,b.npy...]`: one `.npy` per function input, with the
      batch convention of `quant-run` (`[N, ...]` for a `[1, ...]` input).
    * `method=minmax`: the smallest and largest value seen.
    * `method=percentile`, `percentile=P`: the `(100 - P)`-th and `P`-th
      percentiles of all values seen, ranks rounded inwards (one extreme
      value among many is clipped), read from a 2048-bin histogram per
      tensor between the powers of two around the percentiles (located by
      a first pass counting values per sign and binary exponent).
    * `method=mse`: the range `f * [min(min, 0), max(max, 0)]`,
      `f = 1, 0.99, ..., 0.01`, with the least expected squared error of
      8-bit asymmetric quantization over the histogram
      (`sum_bins n_b * (c_b - dequant(quant(c_b)))^2`, `c_b` the bin
      centers; values outside the histogram taken at min and max). The
      histogram spans [min, max], unless the 0.01% and 99.99% quantiles
      span less than 1/16 of it: then the powers of two around them.
    * `method=entropy`: TensorRT-style KL calibration adapted to 8-bit
      asymmetric ranges: the upper threshold `t` (a bin edge, at least 256
      bins from min) minimizing `KL(P || Q)`, where `P` is the histogram up
      to `t` with the mass beyond `t` added to its last bin and `Q` merges
      `P`'s bins into 256 levels (each level's mass spread evenly over its
      non-empty bins); the range is `[min, t]`. Histogram as for `mse`,
      from min. Values exactly 0 are left out of `P` and `Q`: every range
      holds 0 exactly, and a ReLU output's spike of zeros would otherwise
      decide the threshold.
    * `ranges-in=r.json` / `ranges-out=r.json`: ranges read from / written
      to JSON, `{"<location name>": [lo, hi], ...}`. A tensor's key is its
      op's location name (`NameLoc`, as the ONNX importer sets them, else
      `file:line:col`), or `<function>:arg<i>` for inputs.

    `ranges-in` must be a regular file of at most 64 MiB nested at most
    64 deep; duplicate keys and malformed values are errors located in the
    file, keys naming no tensor of the entry function are warnings.

    A warning names the tensor, the extreme value and the sample holding
    it when a range is dominated by outliers (one 8-bit step wider than
    99.8% of the values are from 0) or larger than 1e9.

    The entry function is instrumented as a copy in a clone of the module:
    its callers are unaffected; in a multi-block function every tensor to
    calibrate must reach every return (else a located error: give its
    range with `ranges-in`).

    Ranges already in the model (imported QDQ, quantization-aware training,
    an earlier calibration) are kept and never overwritten; ranges read from
    `ranges-in` take precedence over the data. Calibrations of 20 samples or
    more report progress on stderr.

    Example: `--calibrate="data=calib.npy method=percentile percentile=99.9"`
    gives

    ```mlir
    %y = qops.conv2d %x, %w, %b ... {qops.range = array<f64: -3.2, 5.1>} : ...
    ```
  }];
  let options = [
    Option<"data", "data", "std::string", /*default=*/"\"\"",
           "Comma-separated .npy files, one per function input">,
    Option<"method", "method", "std::string", /*default=*/"\"minmax\"",
           "minmax | percentile | entropy | mse">,
    Option<"percentile", "percentile", "double", /*default=*/"99.99",
           "Upper percentile of method=percentile (the lower one is 100 - P)">,
    Option<"rangesIn", "ranges-in", "std::string", /*default=*/"\"\"",
           "JSON file of ranges to read">,
    Option<"rangesOut", "ranges-out", "std::string", /*default=*/"\"\"",
           "JSON file to write all ranges to">,
    Option<"entry", "entry", "std::string", /*default=*/"\"main\"",
           "Function to calibrate">,
  ];
}

#endif // QUANTOPS_CALIBRATION_PASSES_TD
