// RUN: quant-opt %s -split-input-file --fold-bn -verify-diagnostics | FileCheck %s

// s = gamma / sqrt(var + eps) = [2 / 4, 1 / 2] = [0.5, 0.5]
// w' = w * s = [1.0, 1.5];  b' = (b - mean) * s + beta = [0.5, -1.0]
// CHECK-LABEL: func.func @conv_bias
// CHECK-SAME: (%[[X:.+]]: tensor<1x2x2x1xf32>)
// CHECK-DAG: %[[W:.+]] = arith.constant dense<{{\[}}[{{\[}}[1.000000e+00]]], {{\[}}[{{\[}}1.500000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.+]] = arith.constant dense<[5.000000e-01, -1.000000e+00]> : tensor<2xf32>
// CHECK: %[[Y:.+]] = qops.conv2d %[[X]], %[[W]], %[[B]] stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 :
// CHECK-NOT: qops.batch_norm
// CHECK: return %[[Y]]
func.func @conv_bias(%x: tensor<1x2x2x1xf32>) -> tensor<1x2x2x2xf32> {
  %w = arith.constant dense<[[[[2.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
  %b = arith.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %y = qops.conv2d %x, %w, %b stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 : (tensor<1x2x2x1xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %gamma = arith.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %beta = arith.constant dense<[0.5, 0.0]> : tensor<2xf32>
  %mean = arith.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %var = arith.constant dense<[15.0, 3.0]> : tensor<2xf32>
  %z = qops.batch_norm %y, %gamma, %beta, %mean, %var epsilon 1.0 : tensor<1x2x2x2xf32>, tensor<2xf32>
  return %z : tensor<1x2x2x2xf32>
}

// -----

// Without a bias one is created: b' = (0 - mean) * s + beta.
// s = [1 / 2, 2 / 4] = [0.5, 0.5]; w' = w * s row by row.
// CHECK-LABEL: func.func @fully_connected_no_bias
// CHECK-DAG: %[[W:.+]] = arith.constant dense<{{\[}}[5.000000e-01, 1.000000e+00, 1.500000e+00], [2.000000e+00, 2.500000e+00, 3.000000e+00]]> : tensor<2x3xf32>
// CHECK-DAG: %[[B:.+]] = arith.constant dense<[-5.000000e-01, 1.000000e+00]> : tensor<2xf32>
// CHECK: qops.fully_connected %{{.+}}, %[[W]], %[[B]] :
// CHECK-NOT: qops.batch_norm
func.func @fully_connected_no_bias(%x: tensor<1x3xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %y = qops.fully_connected %x, %w : (tensor<1x3xf32>, tensor<2x3xf32>) -> tensor<1x2xf32>
  %gamma = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %beta = arith.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %mean = arith.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %var = arith.constant dense<[3.0, 15.0]> : tensor<2xf32>
  %z = qops.batch_norm %y, %gamma, %beta, %mean, %var epsilon 1.0 : tensor<1x2xf32>, tensor<2xf32>
  return %z : tensor<1x2xf32>
}

// -----

// A matmul's output channels are the columns of its right operand:
// s = [1 / 2, 4 / 2] = [0.5, 2.0] scales column 0 and column 1.
// CHECK-LABEL: func.func @matmul_columns
// CHECK: %[[W:.+]] = arith.constant dense<{{\[}}[5.000000e-01, 4.000000e+00], [1.500000e+00, 8.000000e+00], [2.500000e+00, 1.200000e+01]]> : tensor<3x2xf32>
// CHECK: qops.matmul %{{.+}}, %[[W]], %{{.+}} :
func.func @matmul_columns(%a: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %y = qops.matmul %a, %w : (tensor<4x3xf32>, tensor<3x2xf32>) -> tensor<4x2xf32>
  %gamma = arith.constant dense<[1.0, 4.0]> : tensor<2xf32>
  %beta = arith.constant dense<0.0> : tensor<2xf32>
  %mean = arith.constant dense<0.0> : tensor<2xf32>
  %var = arith.constant dense<[3.0, 3.0]> : tensor<2xf32>
  %z = qops.batch_norm %y, %gamma, %beta, %mean, %var epsilon 1.0 : tensor<4x2xf32>, tensor<2xf32>
  return %z : tensor<4x2xf32>
}

// -----

// Depthwise and grouped convolutions fold the same way (channel = dim 0).
// CHECK-LABEL: func.func @depthwise
// CHECK: qops.conv2d {{.+}} groups 2 :
// CHECK-NOT: qops.batch_norm
func.func @depthwise(%x: tensor<1x3x3x2xf32>) -> tensor<1x1x1x2xf32> {
  %w = arith.constant dense<0.5> : tensor<2x3x3x1xf32>
  %y = qops.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 2 : (tensor<1x3x3x2xf32>, tensor<2x3x3x1xf32>) -> tensor<1x1x1x2xf32>
  %p = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %z = qops.batch_norm %y, %p, %p, %p, %p epsilon 1.0e-5 : tensor<1x1x1x2xf32>, tensor<2xf32>
  return %z : tensor<1x1x1x2xf32>
}

// -----

// Negative: the unnormalized conv result is still needed elsewhere, so the
// weights cannot change; the batch norm becomes x * s + (beta - mean * s)
// with s = [0.5, 0.5], shift = [0.5 - 0.5, 0 - 0.5].
// CHECK-LABEL: func.func @producer_has_other_users
// CHECK-DAG: %[[S:.+]] = arith.constant dense<5.000000e-01> : tensor<2xf32>
// CHECK-DAG: %[[T:.+]] = arith.constant dense<[0.000000e+00, -5.000000e-01]> : tensor<2xf32>
// CHECK: %[[Y:.+]] = qops.conv2d
// CHECK: %[[M:.+]] = qops.mul %[[Y]], %[[S]]
// CHECK: %[[A:.+]] = qops.add %[[M]], %[[T]]
// CHECK: return %[[A]], %[[Y]]
func.func @producer_has_other_users(%x: tensor<1x2x2x1xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) {
  %w = arith.constant dense<[[[[2.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
  %y = qops.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 : (tensor<1x2x2x1xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %gamma = arith.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %beta = arith.constant dense<[0.5, 0.0]> : tensor<2xf32>
  %mean = arith.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %var = arith.constant dense<[15.0, 3.0]> : tensor<2xf32>
  // expected-remark@+1 {{not folded into its producer: the qops.conv2d result has other users; rewritten as a per-channel multiply and add}}
  %z = qops.batch_norm %y, %gamma, %beta, %mean, %var epsilon 1.0 : tensor<1x2x2x2xf32>, tensor<2xf32>
  return %z, %y : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>
}

// -----

// Negative: weights that are function arguments cannot be rescaled at
// compile time.
// CHECK-LABEL: func.func @non_constant_weights
// CHECK: qops.conv2d
// CHECK: qops.mul
// CHECK: qops.add
func.func @non_constant_weights(%x: tensor<1x2x2x1xf32>, %w: tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32> {
  %y = qops.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 : (tensor<1x2x2x1xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %p = arith.constant dense<1.0> : tensor<2xf32>
  // expected-remark@+1 {{not folded into its producer: the qops.conv2d weights are not constants}}
  %z = qops.batch_norm %y, %p, %p, %p, %p epsilon 1.0e-5 : tensor<1x2x2x2xf32>, tensor<2xf32>
  return %z : tensor<1x2x2x2xf32>
}

// -----

// Negative: a batch norm after a non-foldable op (here a relu).
// CHECK-LABEL: func.func @after_non_foldable_op
// CHECK: qops.relu
// CHECK: qops.mul
// CHECK: qops.add
// CHECK-NOT: qops.batch_norm
func.func @after_non_foldable_op(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %r = qops.relu %x : tensor<1x4xf32>
  %p = arith.constant dense<1.0> : tensor<4xf32>
  // expected-remark@+1 {{not folded into its producer: its input is not produced by a qops.conv2d, qops.fully_connected or qops.matmul}}
  %z = qops.batch_norm %r, %p, %p, %p, %p epsilon 1.0e-5 : tensor<1x4xf32>, tensor<4xf32>
  return %z : tensor<1x4xf32>
}

// -----

// Negative: the producer's fused activation comes before the batch norm.
// CHECK-LABEL: func.func @after_fused_activation
// CHECK: qops.fully_connected {{.+}} {clamp_min = 0.000000e+00 : f32}
// CHECK: qops.mul
func.func @after_fused_activation(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x2xf32>
  %y = qops.fully_connected %x, %w {clamp_min = 0.0 : f32} : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %p = arith.constant dense<1.0> : tensor<2xf32>
  // expected-remark@+1 {{not folded into its producer: the qops.fully_connected has a fused activation, which the batch norm follows}}
  %z = qops.batch_norm %y, %p, %p, %p, %p epsilon 1.0e-5 : tensor<1x2xf32>, tensor<2xf32>
  return %z : tensor<1x2xf32>
}

// -----

// Negative: parameters that are function arguments: neither folded nor
// rewritten (qops has no square root), kept with a warning.
// CHECK-LABEL: func.func @non_constant_parameters
// CHECK: qops.batch_norm
func.func @non_constant_parameters(%x: tensor<1x2xf32>, %p: tensor<2xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x2xf32>
  %y = qops.fully_connected %x, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  // expected-warning@+1 {{batch norm kept: its parameters are not constants, so it can be neither folded nor rewritten as a per-channel affine}}
  %z = qops.batch_norm %y, %p, %p, %p, %p epsilon 1.0e-5 : tensor<1x2xf32>, tensor<2xf32>
  return %z : tensor<1x2xf32>
}

// -----

// A 3-D convolution as the ONNX importer builds it: a conv2d whose batch
// holds the output depths, reshaped to [N, D, H, W, C]. The reshape keeps
// the channel dimension last, so the batch norm folds into the conv2d and
// the reshape follows it.
// CHECK-LABEL: func.func @conv_through_reshape
// CHECK-DAG: %[[W:.+]] = arith.constant dense<{{\[}}[{{\[}}[1.000000e+00]]], {{\[}}[{{\[}}1.500000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.+]] = arith.constant dense<[5.000000e-01, -1.000000e+00]> : tensor<2xf32>
// CHECK: %[[Y:.+]] = qops.conv2d %{{.+}}, %[[W]], %[[B]]
// CHECK-NEXT: %[[R:.+]] = qops.reshape %[[Y]] : tensor<2x2x2x2xf32> -> tensor<1x2x2x2x2xf32>
// CHECK-NOT: qops.batch_norm
// CHECK: return %[[R]]
func.func @conv_through_reshape(%x: tensor<2x2x2x1xf32>) -> tensor<1x2x2x2x2xf32> {
  %w = arith.constant dense<[[[[2.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
  %b = arith.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %y = qops.conv2d %x, %w, %b stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 : (tensor<2x2x2x1xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<2x2x2x2xf32>
  %r = qops.reshape %y : tensor<2x2x2x2xf32> -> tensor<1x2x2x2x2xf32>
  %gamma = arith.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %beta = arith.constant dense<[0.5, 0.0]> : tensor<2xf32>
  %mean = arith.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %var = arith.constant dense<[15.0, 3.0]> : tensor<2xf32>
  %z = qops.batch_norm %r, %gamma, %beta, %mean, %var epsilon 1.0 : tensor<1x2x2x2x2xf32>, tensor<2xf32>
  return %z : tensor<1x2x2x2x2xf32>
}

// -----

// A reshape that moves the channels is no way through: the batch norm
// becomes a per-channel affine.
// CHECK-LABEL: func.func @reshape_moving_channels
// CHECK: qops.conv2d
// CHECK: qops.reshape
// CHECK: qops.mul
// CHECK: qops.add
func.func @reshape_moving_channels(%x: tensor<1x2x2x1xf32>) -> tensor<1x2x4xf32> {
  %w = arith.constant dense<[[[[2.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
  %y = qops.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 : (tensor<1x2x2x1xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %r = qops.reshape %y : tensor<1x2x2x2xf32> -> tensor<1x2x4xf32>
  %p = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  // expected-remark@+1 {{not folded into its producer}}
  %z = qops.batch_norm %r, %p, %p, %p, %p epsilon 1.0 : tensor<1x2x4xf32>, tensor<4xf32>
  return %z : tensor<1x2x4xf32>
}
