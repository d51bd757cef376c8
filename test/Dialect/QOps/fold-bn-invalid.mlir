// RUN: quant-opt %s -split-input-file --fold-bn -verify-diagnostics

func.func @variance_plus_epsilon_not_positive(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x2xf32>
  %y = qops.fully_connected %x, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %p = arith.constant dense<1.0> : tensor<2xf32>
  %v = arith.constant dense<[1.0, -1.0]> : tensor<2xf32>
  // expected-error@+1 {{cannot fold batch norm: variance + epsilon of channel 1 is -1.000000, not positive}}
  %z = qops.batch_norm %y, %p, %p, %p, %v epsilon 0.0 : tensor<1x2xf32>, tensor<2xf32>
  return %z : tensor<1x2xf32>
}

// -----

func.func @non_finite_parameter(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x2xf32>
  %y = qops.fully_connected %x, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %p = arith.constant dense<1.0> : tensor<2xf32>
  %g = arith.constant dense<[0x7FC00000, 1.0]> : tensor<2xf32>
  // expected-error@+1 {{cannot fold batch norm: parameters of channel 0 are not finite}}
  %z = qops.batch_norm %y, %g, %p, %p, %p epsilon 1.0e-5 : tensor<1x2xf32>, tensor<2xf32>
  return %z : tensor<1x2xf32>
}
