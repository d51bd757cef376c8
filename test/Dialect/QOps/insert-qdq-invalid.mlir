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
  // expected-error@+1 {{insert-qdq: cannot quantize the weights: the range [0.000000, inf] is not finite}}
  %y = qops.fully_connected %x, %w {qops.range = array<f64: 0.0, 1.0>} : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
