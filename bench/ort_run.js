#!/usr/bin/env node
/*===- ort_run.js - run and time an ONNX model with ONNX Runtime (Node) ----===*
 *
 * The ONNX Runtime reference of `make bench` (bench/families.py): loads a
 * .onnx model in onnxruntime-node on ONE thread (intraOpNumThreads = 1,
 * interOpNumThreads = 1, sequential execution, graph optimisation level
 * 'all'), feeds it .npy inputs, writes its outputs as .npy and times it the
 * way bench/time_object.c times an object. Usage:
 *
 *   node ort_run.js --version
 *   node ort_run.js MODEL.onnx --input X.npy... [--output Y.npy...]
 *       [--expect E.npy...] [--repeat K] [--optimized OPT.onnx]
 *       [--ranges RANGES.json] [--opt-level disabled|basic|extended|all]
 *
 * Inputs are given in the order of the model's inputs. Batch convention
 * (quant-run's): a model input whose first dimension is 1 accepts an .npy
 * with N samples along axis 0; the model runs once per sample and each
 * output is stacked along axis 0. One untimed call per sample gives the
 * outputs (--output, in the model's output order; --expect compares them
 * with reference .npy files and prints the largest absolute difference);
 * then K timed calls (default 0) cycle through the samples, each timed from
 * the call of session.run to its result, and one line is printed:
 *
 *   ort: K timed calls, median X ms, min Y ms per call; outputs ...
 *
 * --optimized writes the model as ORT optimised it (optimizedModelFilePath:
 * what fused, e.g. QLinearConv); --ranges writes {tensor name: [min, max]}
 * over all samples for every float graph input and output (calibration
 * ranges).
 *
 * ONNX Runtime comes from the npm package onnxruntime-node that
 * scripts/setup.sh installs into QUANT_ORT_DIR (default
 * ${XDG_CACHE_HOME:-$HOME/.cache}/quant-opt/onnxruntime-node). When it
 * cannot be loaded this prints 'ort: unavailable: REASON' and exits 3.
 *
 *===----------------------------------------------------------------------===*/
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');

function ortDir() {
  if (process.env.QUANT_ORT_DIR) return process.env.QUANT_ORT_DIR;
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'quant-opt', 'onnxruntime-node');
}

function loadOrt() {
  const where = path.join(ortDir(), 'node_modules', 'onnxruntime-node');
  try {
    return require(where);
  } catch (error) {
    const first = String(error.message || error).split('\n')[0];
    console.log(`ort: unavailable: cannot load ${where} (${first}); ` +
                'scripts/setup.sh installs it');
    process.exit(3);
  }
}

// numpy dtype string <-> ONNX Runtime tensor type and typed array.
const DTYPES = {
  f4: ['float32', Float32Array], f8: ['float64', Float64Array],
  u1: ['uint8', Uint8Array], i1: ['int8', Int8Array],
  i4: ['int32', Int32Array], i8: ['int64', BigInt64Array],
  b1: ['bool', Uint8Array],
};
const DESCR = {};
for (const [code, [type]] of Object.entries(DTYPES))
  DESCR[type] = (code === 'u1' || code === 'i1' || code === 'b1' ? '|' : '<') + code;

function readNpy(file) {
  const bytes = fs.readFileSync(file);
  if (bytes.length < 10 || bytes.toString('latin1', 0, 6) !== '\x93NUMPY')
    throw new Error(`'${file}' is not a .npy file`);
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = bytes.toString('latin1', start, start + headerLength);
  const descr = /'descr':\s*'([<>|=])(\w+)'/.exec(header);
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!descr || !shape || /'fortran_order':\s*True/.test(header))
    throw new Error(`'${file}': unsupported .npy header ${header.trim()}`);
  if (descr[1] === '>' || !(descr[2] in DTYPES))
    throw new Error(`'${file}': unsupported dtype ${descr[1]}${descr[2]}`);
  const [type, TypedArray] = DTYPES[descr[2]];
  const dims = shape[1].split(',').filter((s) => s.trim()).map(Number);
  const payload = bytes.subarray(start + headerLength);
  const data = new TypedArray(payload.length / TypedArray.BYTES_PER_ELEMENT);
  new Uint8Array(data.buffer).set(payload);
  return { type, dims, data };
}

function writeNpy(file, type, dims, data) {
  const shape = dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
  let header = `{'descr': '${DESCR[type]}', 'fortran_order': False, 'shape': ${shape}, }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix[6] = 1;
  prefix.writeUInt16LE(header.length, 8);
  fs.writeFileSync(file, Buffer.concat([
    prefix, Buffer.from(header, 'latin1'),
    Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));
}

function parseArgs(argv) {
  const args = { model: null, input: [], output: [], expect: [], repeat: 0,
                 optimized: null, ranges: null, optLevel: 'all' };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--input') args.input.push(value());
    else if (a === '--output') args.output.push(value());
    else if (a === '--expect') args.expect.push(value());
    else if (a === '--repeat') args.repeat = Number(value());
    else if (a === '--optimized') args.optimized = value();
    else if (a === '--ranges') args.ranges = value();
    else if (a === '--opt-level') args.optLevel = value();
    else if (!a.startsWith('--') && !args.model) args.model = a;
    else throw new Error(`unknown argument '${a}'`);
  }
  if (!args.model || !args.input.length || !(args.repeat >= 0))
    throw new Error('usage: ort_run.js MODEL.onnx --input X.npy... [--output Y.npy...] ' +
                    '[--expect E.npy...] [--repeat K] [--optimized OPT.onnx] [--ranges R.json]');
  return args;
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv[0] === '--version') {
    const ort = loadOrt();
    console.log(`ort: onnxruntime-node ${ort.env.versions.node} ` +
                `(onnxruntime-common ${ort.env.versions.common})`);
    return;
  }
  const args = parseArgs(argv);
  const ort = loadOrt();
  const options = {
    intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential',
    graphOptimizationLevel: args.optLevel, logSeverityLevel: 3,
  };
  if (args.optimized) options.optimizedModelFilePath = path.resolve(args.optimized);
  const session = await ort.InferenceSession.create(args.model, options);
  if (args.input.length !== session.inputNames.length)
    throw new Error(`the model has ${session.inputNames.length} input(s), ` +
                    `${args.input.length} given`);

  // Split each input into its samples (batch convention).
  const inputs = args.input.map(readNpy);
  const meta = session.inputMetadata || [];
  let samples = 1;
  const perSample = inputs.map((x, i) => {
    const declared = meta[i] && meta[i].shape;
    const split = declared && declared[0] === 1 && x.dims.length === declared.length &&
      x.dims[0] > 1;
    if (!split) return null;
    if (samples !== 1 && samples !== x.dims[0])
      throw new Error('inputs hold different numbers of samples');
    samples = x.dims[0];
    return x.data.length / x.dims[0];
  });
  const feeds = [];
  for (let s = 0; s < samples; ++s) {
    const feed = {};
    inputs.forEach((x, i) => {
      const n = perSample[i];
      feed[session.inputNames[i]] = n === null
        ? new ort.Tensor(x.type, x.data, x.dims)
        : new ort.Tensor(x.type, x.data.subarray(s * n, (s + 1) * n), [1, ...x.dims.slice(1)]);
    });
    feeds.push(feed);
  }

  // Untimed calls: outputs, stacked along axis 0, and ranges.
  const names = session.outputNames;
  const outputs = names.map(() => []);
  const ranges = {};
  const widen = (name, t) => {
    if (!args.ranges || t.type !== 'float32') return;
    let lo = Infinity, hi = -Infinity;
    for (const v of t.data) { if (v < lo) lo = v; if (v > hi) hi = v; }
    const r = ranges[name] || [Infinity, -Infinity];
    ranges[name] = [Math.min(r[0], lo), Math.max(r[1], hi)];
  };
  for (const feed of feeds) {
    for (const [name, t] of Object.entries(feed)) widen(name, t);
    const result = await session.run(feed);
    names.forEach((name, i) => {
      const t = result[name];
      if (args.output.length) outputs[i].push(t);
      widen(name, t);
    });
  }
  const written = [];
  args.output.forEach((file, i) => {
    if (i >= names.length) throw new Error(`the model has ${names.length} output(s)`);
    const parts = outputs[i];
    const first = parts[0];
    const total = parts.reduce((n, t) => n + t.data.length, 0);
    const data = new first.data.constructor(total);
    let at = 0;
    for (const t of parts) { data.set(t.data, at); at += t.data.length; }
    const dims = samples > 1 ? [samples * first.dims[0], ...first.dims.slice(1)] : first.dims;
    writeNpy(file, first.type, dims, data);
    written.push({ type: first.type, data });
  });
  if (args.ranges) fs.writeFileSync(args.ranges, JSON.stringify(ranges));
  const verdicts = args.expect.map((file, i) => {
    const e = readNpy(file);
    const o = written[i];
    if (!o || e.data.length !== o.data.length) return 'size mismatch';
    let worst = 0;
    for (let k = 0; k < e.data.length; ++k)
      worst = Math.max(worst, Math.abs(Number(o.data[k]) - Number(e.data[k])));
    return worst === 0 ? 'equal' : `max abs diff ${worst.toPrecision(4)}`;
  });

  if (args.repeat === 0) {
    if (verdicts.length) console.log(`ort: outputs ${verdicts.join(', ')}`);
    return;
  }
  const times = [];
  for (let k = 0; k < args.repeat; ++k) {
    const feed = feeds[k % feeds.length];
    const start = process.hrtime.bigint();
    await session.run(feed);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  console.log(`ort: ${args.repeat} timed calls, median ${median(times).toFixed(6)} ms, ` +
              `min ${Math.min(...times).toFixed(6)} ms per call` +
              (verdicts.length ? `; outputs ${verdicts.join(', ')}` : ''));
}

main().catch((error) => {
  console.error(`ort_run.js: ${error.message || error}`);
  process.exit(1);
});
