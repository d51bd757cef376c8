#!/usr/bin/python3
"""ONNX conformance driver: runs the ONNX backend test cases shipped by
Debian's libonnx-testdata through quant-translate --import-onnx and quant-run.

usage: onnx_conformance.py --bin BIN_DIR --work WORK_DIR [--filter REGEX]
                           [--verbose] [--jobs N] [--data DATA_DIR]

Needs python3-onnx and python3-numpy: run it with /usr/bin/python3.

Test cases
  Every directory <DATA_DIR>/<suite>/<test>/ (suites: node,
  pytorch-converted, pytorch-operator; DATA_DIR defaults to
  /usr/share/libonnx-testdata/data) holds model.onnx and
  test_data_set_*/{input_K,output_K}.pb (TensorProto files; input_K is the
  K-th graph input that has no initializer, output_K the K-th graph output).
  A case is in scope when every node of its graph has an op type in IN_SCOPE;
  other cases are ignored and not counted. A case is reported under the op
  type of its main node: the first node that is not a Constant. --filter
  keeps the cases whose "<suite>/<test>" matches REGEX (re.search).

Constant-izing inputs
  The backend tests pass weights, biases, scales, zero points, shapes, pads
  and clip bounds as graph inputs, but the compiler needs them constant. The
  driver rewrites each model into WORK_DIR/<suite>/<test>/model.onnx:
  - a graph input stays a runtime input if some node consumes it at a data
    operand position (RUNTIME_OPERANDS below: input #0 of most ops; both
    operands of Add, Sub, Mul, Div, Pow, MatMul, MatMulInteger; every input
    of Concat, Sum, Mean, Max, Min; inputs #0 and #3 (a and b) of
    QLinearMatMul; none of the ops the importer only folds,
    ConstantOfShape, Range, Expand, Equal, Where, whose cases thus test
    the folding against ONNX's outputs; Gather keeps its indices run-time,
    an embedding lookup of a constant table);
  - every other graph input (consumed only at weight / bias / scale /
    zero-point / shape / pads / bound positions, e.g. Conv #1 and #2, Reshape
    #1, Pad #1 and #2, Clip #1 and #2, or not consumed at all) becomes an
    initializer holding its value in test_data_set_0 and is removed from the
    graph inputs;
  - a graph input that already has an initializer (the pytorch-* suites list
    their parameters as inputs with initializers, as IR < 4 required) is
    removed from the graph inputs: it is a constant, and no test data exists
    for it. The IR version is raised to 4 when it is lower, so that
    initializers need not be graph inputs.
  A graph input consumed both at a data position and at a constant position
  cannot be constant-ized: it stays a runtime input, and the case reports a
  note (shown with --verbose).
  The remaining runtime inputs keep their order; for every test_data_set_<i>
  their values are written as WORK_DIR/<suite>/<test>/test_data_set_<i>/
  in0.npy, in1.npy, ... (shipped dtypes and NCHW layouts: the compiler keeps
  the ONNX layout at the ABI). A data set whose value of a constant-ized input
  differs from test_data_set_0 is not run (noted with --verbose).

Running a case
  1. quant-translate --import-onnx model.onnx -o model.mlir. A nonzero exit
     is a SKIP when stderr contains "unsupported" (the reason is the first
     such stderr line without its file-path prefix), else a FAIL.
  2. For each data set: quant-run model.mlir --input in0.npy ...
     --output out0.npy ... (one --output per graph output). A nonzero exit is
     a FAIL.
  3. Every outK.npy is compared with output_K.pb: the shapes must be equal;
     float outputs pass when |actual - expected| <= ATOL + RTOL * |expected|
     elementwise (the ONNX backend default, RTOL=1e-3, ATOL=1e-7); integer
     outputs must be equal (any integer dtype is accepted for the values).
  Each tool call has a TIMEOUT-second limit; a timeout is a FAIL. An
  exception inside the driver while handling a case is a FAIL carrying the
  exception text. Cases run in parallel on --jobs threads (default 2).

Output
  "FAIL <suite>/<test>: <reason>" for every failing case (followed by the
  first stderr lines of the failing tool), and with --verbose one
  "PASS|SKIP|FAIL <suite>/<test>[: <reason>]" line per case in discovery
  order. Then the summary:
      <Op>: P pass, F fail, S skip        (one line per op group)
      total: P pass, F fail, S skip
      float: P/N pass (x.y%)              (groups other than the quantized ops)
      quantized: P/N pass (x.y%)          (QUANTIZED_OPS)
      skips by reason:
        <count>  <reason>
  where N counts the non-skipped cases. The exit code is 0 (the lit test
  checks the numbers), or 2 when a tool of BIN_DIR or python3-onnx is missing.
"""
import argparse
import concurrent.futures
import glob
import os
import re
import shutil
import signal
import subprocess
import sys

try:
    import numpy as np
    import onnx
    from onnx import numpy_helper
except ImportError as error:  # pragma: no cover
    print(f"onnx_conformance.py: {error}; run it with /usr/bin/python3 "
          "(python3-onnx, python3-numpy)", file=sys.stderr)
    sys.exit(2)

DEFAULT_DATA = "/usr/share/libonnx-testdata/data"
SUITES = ("node", "pytorch-converted", "pytorch-operator")
TIMEOUT = 60  # seconds per tool call
RTOL = 1e-3
ATOL = 1e-7

ALL = "all"
# Per in-scope op type: the input positions that are data operands and stay
# runtime inputs when fed by a graph input. Every other position holds a
# compile-time constant (the comment lists them) and its graph input becomes
# an initializer.
RUNTIME_OPERANDS = {
    "Conv": (0,),                # 1 W, 2 B
    "BatchNormalization": (0,),  # 1 scale, 2 B, 3 mean, 4 var
    "InstanceNormalization": (0,),  # 1 scale, 2 B
    "GroupNormalization": (0,),  # 1 scale, 2 bias (none in ONNX 1.12 data)
    "Relu": (0,),
    "Clip": (0,),                # 1 min, 2 max
    "LeakyRelu": (0,),
    "HardSwish": (0,),
    "HardSigmoid": (0,),
    "Sigmoid": (0,),
    "Tanh": (0,),
    "Add": (0, 1),
    "Mul": (0, 1),
    "Sub": (0, 1),
    "Div": (0, 1),
    "Pow": (0, 1),
    "Sum": ALL,
    "Mean": ALL,
    "Max": ALL,
    "Min": ALL,
    "Sqrt": (0,),
    "Exp": (0,),
    "Erf": (0,),
    "Neg": (0,),
    "Abs": (0,),
    "Reciprocal": (0,),
    "MaxPool": (0,),
    "AveragePool": (0,),
    "GlobalAveragePool": (0,),
    "ConvTranspose": (0,),       # 1 W, 2 B
    "Resize": (0,),              # 1 roi, 2 scales, 3 sizes
    "Upsample": (0,),            # 1 scales
    "Gemm": (0,),                # 1 B, 2 C
    "MatMul": (0, 1),
    "Flatten": (0,),
    "Reshape": (0,),             # 1 shape
    "Concat": ALL,
    "Softmax": (0,),
    "Pad": (0,),                 # 1 pads, 2 constant_value (3 axes)
    "Transpose": (0,),
    "Constant": (),
    "Identity": (0,),
    "Dropout": (0,),             # 1 ratio, 2 training_mode
    "Squeeze": (0,),             # 1 axes
    "Unsqueeze": (0,),           # 1 axes
    "Slice": (0,),               # 1 starts, 2 ends, 3 axes, 4 steps
    "Split": (0,),               # 1 split
    "Shape": (0,),
    "Cast": (0,),                # constants fold; at run time f32 or a
                                 # uint8 / int8 graph input to float
    "ReduceMean": (0,),          # 1 axes (from opset 18)
    "ReduceSum": (0,),           # 1 axes (from opset 13)
    "ReduceMax": (0,),           # 1 axes (from opset 18)
    "ReduceMin": (0,),           # 1 axes (from opset 18)
    # Folded at import (run-time operands are unsupported): every input is a
    # constant.
    "ConstantOfShape": (),       # 0 shape
    "Range": (),                 # 0 start, 1 limit, 2 delta
    "Expand": (),                # 0 input, 1 shape
    "Equal": (),                 # 0 A, 1 B
    "Where": (),                 # 0 condition, 1 X, 2 Y
    # Run-time token ids into a constant table (embedding lookups).
    "Gather": (1,),              # 0 data
    "LayerNormalization": (0,),  # 1 scale, 2 bias
    "QuantizeLinear": (0,),      # 1 y_scale, 2 y_zero_point
    "DequantizeLinear": (0,),    # 1 x_scale, 2 x_zero_point
    "QLinearConv": (0,),         # 1 x_scale, 2 x_zp, 3 w, 4 w_scale, 5 w_zp,
                                 # 6 y_scale, 7 y_zp, 8 B
    "QLinearMatMul": (0, 3),     # 1 a_scale, 2 a_zp, 4 b_scale, 5 b_zp,
                                 # 6 y_scale, 7 y_zp
    "ConvInteger": (0,),         # 1 w, 2 x_zero_point, 3 w_zero_point
    "MatMulInteger": (0, 1),     # 2 a_zero_point, 3 b_zero_point
}
IN_SCOPE = tuple(RUNTIME_OPERANDS)
QUANTIZED_OPS = ("QuantizeLinear", "DequantizeLinear", "QLinearConv",
                 "QLinearMatMul", "ConvInteger", "MatMulInteger")


def is_runtime_position(op_type, index):
    positions = RUNTIME_OPERANDS[op_type]
    return positions == ALL or index in positions


class Case:
    def __init__(self, suite, name, directory, group):
        self.suite = suite
        self.name = name
        self.dir = directory
        self.group = group

    @property
    def id(self):
        return f"{self.suite}/{self.name}"


class Result:
    def __init__(self, case, status, reason="", details=(), notes=()):
        self.case = case
        self.status = status  # "PASS", "FAIL" or "SKIP"
        self.reason = reason
        self.details = list(details)  # tool stderr lines of a failure
        self.notes = list(notes)


def discover(data_dir, regex):
    cases = []
    for suite in SUITES:
        suite_dir = os.path.join(data_dir, suite)
        if not os.path.isdir(suite_dir):
            continue
        for name in sorted(os.listdir(suite_dir)):
            directory = os.path.join(suite_dir, name)
            if regex and not regex.search(f"{suite}/{name}"):
                continue
            model_path = os.path.join(directory, "model.onnx")
            if not os.path.isfile(model_path):
                continue
            try:
                model = onnx.load(model_path)
            except Exception:  # an unreadable model is not a case of ours
                continue
            ops = [node.op_type for node in model.graph.node]
            if not ops or any(op not in RUNTIME_OPERANDS for op in ops):
                continue
            group = next((op for op in ops if op != "Constant"), "Constant")
            cases.append(Case(suite, name, directory, group))
    return cases


def read_tensor(path):
    tensor = onnx.TensorProto()
    with open(path, "rb") as f:
        tensor.ParseFromString(f.read())
    return numpy_helper.to_array(tensor)


def data_sets(case):
    def index(path):
        m = re.search(r"(\d+)$", path)
        return int(m.group(1)) if m else -1
    return sorted((d for d in glob.glob(os.path.join(case.dir, "test_data_set_*"))
                   if os.path.isdir(d)), key=index)


def classify_inputs(graph):
    """Splits the graph inputs without initializer into runtime inputs and
    constant inputs; returns (runtime, constant, conflicts) lists of names in
    graph-input order, conflicts being runtime inputs also consumed at a
    constant position ("name (Op #i)" strings)."""
    initialized = {init.name for init in graph.initializer}
    data_use, const_use = {}, {}
    for node in graph.node:
        for index, name in enumerate(node.input):
            if not name:
                continue
            uses = data_use if is_runtime_position(node.op_type, index) else const_use
            uses.setdefault(name, []).append(f"{node.op_type} #{index}")
    runtime, constant, conflicts = [], [], []
    for graph_input in graph.input:
        name = graph_input.name
        if name in initialized:
            continue
        if name in data_use:
            runtime.append(name)
            if name in const_use:
                conflicts.append(f"{name} ({', '.join(const_use[name])})")
        else:
            constant.append(name)
    return runtime, constant, conflicts


def strip_path_prefix(line):
    """'<path>:12:3: error: unsupported ...' -> 'error: unsupported ...'."""
    return re.sub(r"^\s*(?:[^\s:]*[/\\][^\s:]*|[^\s:/\\]+\.(?:onnx|mlir))"
                  r"(?::\d+)*:\s*", "", line).strip()


def run_tool(cmd):
    """(returncode or None on timeout, stderr text)."""
    # A session of its own, so that a timeout kills the tool's children too.
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        _, stderr = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.communicate()
        return None, ""
    return proc.returncode, stderr.decode("utf-8", "replace")


def first_lines(text, count=3):
    return [line for line in text.splitlines() if line.strip()][:count]


def compare(actual, expected):
    """None when equal within tolerance, else a message."""
    if actual.shape != expected.shape:
        return f"shape {list(actual.shape)}, expected {list(expected.shape)}"
    if expected.dtype.kind in "fc":
        if actual.dtype.kind not in "fiub":
            return f"dtype {actual.dtype}, expected {expected.dtype}"
        a = actual.astype(np.float64)
        b = expected.astype(np.float64)
        with np.errstate(invalid="ignore"):
            ok = (np.abs(a - b) <= ATOL + RTOL * np.abs(b)) | (a == b) \
                | (np.isnan(a) & np.isnan(b))
        if ok.all():
            return None
        bad = np.flatnonzero(~ok)
        first = bad[0]
        with np.errstate(invalid="ignore"):
            max_diff = np.nanmax(np.abs(a - b).reshape(-1)[bad]) if bad.size else 0
        return (f"{bad.size}/{ok.size} elements differ (max |diff| {max_diff:.3g}; "
                f"first at flat index {first}: {a.reshape(-1)[first]:.7g} vs "
                f"{b.reshape(-1)[first]:.7g})")
    if actual.dtype.kind not in "iub":
        return f"dtype {actual.dtype}, expected {expected.dtype}"
    a = actual.astype(np.int64)
    b = expected.astype(np.int64)
    if np.array_equal(a, b):
        return None
    bad = np.flatnonzero(a != b)
    first = bad[0]
    return (f"{bad.size}/{a.size} elements differ (first at flat index {first}: "
            f"{a.reshape(-1)[first]} vs {b.reshape(-1)[first]})")


def prepare(case, work_case):
    """Writes the constant-ized model; returns (runtime input indices into the
    input_K.pb list, constant-ized {K: value}, output count, notes)."""
    model = onnx.load(os.path.join(case.dir, "model.onnx"))
    graph = model.graph
    initialized = {init.name for init in graph.initializer}
    fed = [gi.name for gi in graph.input if gi.name not in initialized]
    runtime, constant, conflicts = classify_inputs(graph)
    notes = [f"input {c} could not be constant-ized: also a data operand"
             for c in conflicts]
    sets = data_sets(case)
    if not sets:
        raise RuntimeError("no test_data_set_* directory")
    constants = {}
    for name in constant:
        k = fed.index(name)
        path = os.path.join(sets[0], f"input_{k}.pb")
        if not os.path.isfile(path):
            raise RuntimeError(f"no value for constant input '{name}' ({path})")
        value = read_tensor(path)
        constants[k] = value
        graph.initializer.append(numpy_helper.from_array(value, name))
    kept = [gi for gi in graph.input if gi.name in runtime]
    del graph.input[:]
    graph.input.extend(kept)
    if model.ir_version < 4:
        model.ir_version = 4
    onnx.save(model, os.path.join(work_case, "model.onnx"))
    return [fed.index(n) for n in runtime], constants, len(graph.output), notes


def run_case(case, bin_dir, work_dir):
    try:
        return run_case_unchecked(case, bin_dir, work_dir)
    except Exception as error:  # a driver bug or malformed data: report it
        return Result(case, "FAIL", f"driver exception: {type(error).__name__}: {error}")


def run_case_unchecked(case, bin_dir, work_dir):
    work_case = os.path.join(work_dir, case.suite, case.name)
    shutil.rmtree(work_case, ignore_errors=True)
    os.makedirs(work_case)
    runtime_k, constants, num_outputs, notes = prepare(case, work_case)

    mlir = os.path.join(work_case, "model.mlir")
    cmd = [os.path.join(bin_dir, "quant-translate"), "--import-onnx",
           os.path.join(work_case, "model.onnx"), "-o", mlir]
    code, stderr = run_tool(cmd)
    if code is None:
        return Result(case, "FAIL", f"quant-translate timed out after {TIMEOUT}s",
                      notes=notes)
    if code != 0:
        for line in stderr.splitlines():
            if "unsupported" in line:
                return Result(case, "SKIP", strip_path_prefix(line), notes=notes)
        return Result(case, "FAIL", f"quant-translate exited with {code}",
                      first_lines(stderr), notes)

    ran = 0
    for set_dir in data_sets(case):
        set_name = os.path.basename(set_dir)
        differs = [k for k, value in constants.items()
                   if not os.path.isfile(os.path.join(set_dir, f"input_{k}.pb"))
                   or not np.array_equal(read_tensor(os.path.join(set_dir, f"input_{k}.pb")),
                                         value)]
        if differs:
            notes.append(f"{set_name} not run: constant-ized input(s) "
                         f"{', '.join(f'input_{k}' for k in differs)} differ from "
                         "test_data_set_0")
            continue
        out_dir = os.path.join(work_case, set_name)
        os.makedirs(out_dir, exist_ok=True)
        cmd = [os.path.join(bin_dir, "quant-run"), mlir]
        for i, k in enumerate(runtime_k):
            path = os.path.join(out_dir, f"in{i}.npy")
            np.save(path, read_tensor(os.path.join(set_dir, f"input_{k}.pb")))
            cmd += ["--input", path]
        outputs = [os.path.join(out_dir, f"out{i}.npy") for i in range(num_outputs)]
        for path in outputs:
            cmd += ["--output", path]
        code, stderr = run_tool(cmd)
        if code is None:
            return Result(case, "FAIL", f"{set_name}: quant-run timed out after {TIMEOUT}s",
                          notes=notes)
        if code != 0:
            return Result(case, "FAIL", f"{set_name}: quant-run exited with {code}",
                          first_lines(stderr), notes)
        for i, path in enumerate(outputs):
            if not os.path.isfile(path):
                return Result(case, "FAIL", f"{set_name}: quant-run wrote no out{i}.npy",
                              first_lines(stderr), notes)
            expected_path = os.path.join(set_dir, f"output_{i}.pb")
            if not os.path.isfile(expected_path):
                return Result(case, "FAIL", f"{set_name}: missing {expected_path}",
                              notes=notes)
            message = compare(np.load(path), read_tensor(expected_path))
            if message:
                return Result(case, "FAIL", f"{set_name}: output {i}: {message}",
                              notes=notes)
        ran += 1
    if ran == 0:
        return Result(case, "FAIL", "no test data set could be run", notes=notes)
    return Result(case, "PASS", notes=notes)


def percent(p, n):
    return f"{100.0 * p / n:.1f}%" if n else "n/a"


def summarize(results):
    lines = []
    groups = {}
    for r in results:
        counts = groups.setdefault(r.case.group, {"PASS": 0, "FAIL": 0, "SKIP": 0})
        counts[r.status] += 1
    order = [op for op in IN_SCOPE if op in groups]
    for op in order:
        c = groups[op]
        lines.append(f"{op}: {c['PASS']} pass, {c['FAIL']} fail, {c['SKIP']} skip")
    total = {s: sum(groups[op][s] for op in order) for s in ("PASS", "FAIL", "SKIP")}
    lines.append(f"total: {total['PASS']} pass, {total['FAIL']} fail, "
                 f"{total['SKIP']} skip")
    for label, members in (("float", [op for op in order if op not in QUANTIZED_OPS]),
                           ("quantized", [op for op in order if op in QUANTIZED_OPS])):
        p = sum(groups[op]["PASS"] for op in members)
        n = p + sum(groups[op]["FAIL"] for op in members)
        lines.append(f"{label}: {p}/{n} pass ({percent(p, n)})")
    reasons = {}
    for r in results:
        if r.status == "SKIP":
            reasons[r.reason] = reasons.get(r.reason, 0) + 1
    lines.append("skips by reason:")
    for reason, count in sorted(reasons.items(), key=lambda item: (-item[1], item[0])):
        lines.append(f"  {count}  {reason}")
    return lines


def main(argv):
    parser = argparse.ArgumentParser(
        description="Runs the libonnx-testdata conformance cases through "
                    "quant-translate --import-onnx and quant-run.")
    parser.add_argument("--bin", required=True, help="directory of quant-translate and quant-run")
    parser.add_argument("--work", required=True, help="scratch directory")
    parser.add_argument("--filter", help="regex on <suite>/<test>")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--data", default=DEFAULT_DATA, help="libonnx-testdata data directory")
    args = parser.parse_args(argv[1:])

    missing = [tool for tool in ("quant-translate", "quant-run")
               if not os.access(os.path.join(args.bin, tool), os.X_OK)]
    if missing:
        print(f"onnx_conformance.py: missing {', '.join(missing)} in {args.bin}",
              file=sys.stderr)
        return 2
    regex = re.compile(args.filter) if args.filter else None
    cases = discover(args.data, regex)
    os.makedirs(args.work, exist_ok=True)

    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for r in pool.map(lambda case: run_case(case, args.bin, args.work), cases):
            results.append(r)
            if r.status == "FAIL" or args.verbose:
                line = f"{r.status} {r.case.id}"
                print(line + (f": {r.reason}" if r.reason else ""))
            if r.status == "FAIL":
                for detail in r.details:
                    print(f"    | {detail}")
            if args.verbose:
                for note in r.notes:
                    print(f"    note: {note}")
            sys.stdout.flush()

    print(f"{len(cases)} in-scope cases")
    for line in summarize(results):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
