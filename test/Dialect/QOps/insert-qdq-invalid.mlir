// RUN: quant-opt %s -split-input-file --insert-qdq -verify-diagnostics
// RUN: not quant-opt %s --insert-qdq="activations=u4" 2>&1 | FileCheck %s --check-prefix=ACT
// RUN: not quant-opt %s --insert-qdq="weight-bits=2" 2>&1 | FileCheck %s --check-prefix=WBITS
// RUN: not quant-opt %s --insert-qdq="activation-bits=4" 2>&1 | FileCheck %s --check-prefix=ABITS
// ACT: error: insert-qdq: activations=u4 is not u8 or i8
// WBITS: error: insert-qdq: weight-bits=2 is not 8 or 4
// ABITS: error: insert-qdq: activation-bits=4 is not 8 or 16

// expected-error@+1 {{insert-qdq: no range for 'missing:arg0' and 1 more tensor(s): calibrate the model (--calibrate="data=<samples>.npy", or --quantize-int8="calibration=<samples>.npy") or give a range file (ranges-in=<ranges>.json)}}
func.func @missing(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = qops.relu %x : tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

func.func @batch_norm(%x: tensor<1x2xf32>, %p: tensor<2xf32>) -> tensor<1x2xf32> {
  // expected-error@+1 {{insert-qdq: fold batch norms first (--fold-bn)}}
  %z = qops.batch_norm %x, %p, %p, %p, %p epsilon 1.0e-5 : tensor<1x2xf32>, tensor<2xf32>
  return %z : tensor<1x2xf32>
}

// -----

func.func @non_finite_weights(%x: tensor<1x2xf32> {qops.range = array<f64: -1.0, 1.0>}) -> tensor<1x2xf32> {
  %w = arith.constant dense<[[1.0, 0x7F800000], [0.5, 0.25]]> : tensor<2x2xf32>
  // expected-error@+1 {{insert-qdq: constant operand #1 holds a non-finite value (INF) at element 1; it cannot be quantized}}
  %y = qops.fully_connected %x, %w {qops.range = array<f64: 0.0, 1.0>} : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// NaN is not skipped by the weight range: it is an error too.
func.func @nan_weights(%x: tensor<1x2xf32> {qops.range = array<f64: -1.0, 1.0>}) -> tensor<1x2xf32> {
  %w = arith.constant dense<[[1.0, 0.5], [0x7FC00000, 0.25]]> : tensor<2x2xf32>
  // expected-error@+1 {{insert-qdq: constant operand #1 holds a non-finite value (nan) at element 2; it cannot be quantized}}
  %y = qops.fully_connected %x, %w {qops.range = array<f64: 0.0, 1.0>} : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// A range so wide that its scale overflows f32.
// expected-error@+1 {{insert-qdq: cannot quantize 'huge_range:arg0': the range [-1, 1e+300] needs a scale beyond the f32 range}}
func.func @huge_range(%x: tensor<1x2xf32> {qops.range = array<f64: -1.0, 1.0e300>}) -> tensor<1x2xf32> {
  %y = qops.relu %x {qops.range = array<f64: 0.0, 1.0>} : tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
