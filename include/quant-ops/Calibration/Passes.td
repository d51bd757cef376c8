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
      percentiles of all values seen, from a 2048-bin histogram per tensor
      over its min-max range (linear within a bin), so outliers are
      clipped.
    * `method=mse`: the range `f * [min(min, 0), max(max, 0)]`,
      `f = 1, 0.99, ..., 0.01`, with the least expected squared error of
      8-bit asymmetric quantization over the histogram
      (`sum_bins n_b * (c_b - dequant(quant(c_b)))^2`, `c_b` the bin
      centers).
    * `method=entropy`: TensorRT-style KL calibration adapted to 8-bit
      asymmetric ranges: the upper threshold `t` (a bin edge, at least 256
      bins from min) minimizing `KL(P || Q)`, where `P` is the histogram up
      to `t` with the mass beyond `t` added to its last bin and `Q` merges
      `P`'s bins into 256 levels (each level's mass spread evenly over its
      non-empty bins); the range is `[min, t]`.
    * `ranges-in=r.json` / `ranges-out=r.json`: ranges read from / written
      to JSON, `{"<location name>": [lo, hi], ...}`. A tensor's key is its
      op's location name (`NameLoc`, as the ONNX importer sets them, else
      `file:line:col`), or `<function>:arg<i>` for inputs.

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
