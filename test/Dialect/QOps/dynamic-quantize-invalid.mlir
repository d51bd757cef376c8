// RUN: quant-opt %s -split-input-file --quantize-dynamic -verify-diagnostics
// RUN: not quant-opt %s -split-input-file --quantize-dynamic=activation-matmuls=true 2>&1 | FileCheck %s --check-prefix=ACT
// RUN: not quant-opt %s --quantize-dynamic="granularity=column" 2>&1 | FileCheck %s --check-prefix=GRAN
// GRAN: error: dynamic-quantize: granularity=column is not one of tensor, row

// A weight with a non-finite value cannot be quantized.
func.func @nonfinite_weight(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<[[1.0, 0x7F800000], [0.5, 0.25]]> : tensor<2x2xf32>
  // expected-error@+1 {{dynamic-quantize: the weight holds a non-finite value (INF) at element 1; it cannot be quantized}}
  %y = qops.fully_connected %x, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// Activation x activation products stay float by default, with a remark.
func.func @runtime_rhs(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  // expected-remark@+1 {{dynamic-quantize: kept in float: its right operand is not a constant (activation x activation products are quantized with activation-matmuls=true)}}
  %y = qops.matmul %a, %b : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// Batched matmuls (one weight per batch) stay float, with a remark.
func.func @batched(%a: tensor<2x2x3xf32>) -> tensor<2x2x4xf32> {
  %w = arith.constant dense<1.0> : tensor<2x3x4xf32>
  // expected-remark@+1 {{dynamic-quantize: kept in float: a batched matmul with constant weights (one weight matrix per batch)}}
  %y = qops.matmul %a, %w : (tensor<2x2x3xf32>, tensor<2x3x4xf32>) -> tensor<2x2x4xf32>
  return %y : tensor<2x2x4xf32>
}

// -----

// With activation-matmuls=true, an activation x activation product with a
// bias or a fused activation stays float, with a remark (no remark here
// without the option: the default one is expected above).
// ACT: remark: dynamic-quantize: kept in float: an activation x activation product with a bias or a fused activation
func.func @runtime_rhs_bias(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>, %c: tensor<4xf32>) -> tensor<2x4xf32> {
  // expected-remark@+1 {{dynamic-quantize: kept in float: its right operand is not a constant}}
  %y = qops.matmul %a, %b, %c : (tensor<2x3xf32>, tensor<3x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// A fully-connected layer whose weight is a run-time tensor stays float.
func.func @runtime_fc_weight(%x: tensor<2x3xf32>, %w: tensor<4x3xf32>) -> tensor<2x4xf32> {
  // expected-remark@+1 {{dynamic-quantize: kept in float: its weight is not a constant}}
  %y = qops.fully_connected %x, %w : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}
