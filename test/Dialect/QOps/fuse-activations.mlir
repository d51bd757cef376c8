// RUN: quant-opt %s -split-input-file --fuse-activations | FileCheck %s
// RUN: quant-opt %s -split-input-file --fold-bn --fuse-activations | FileCheck %s --check-prefix=ORDER

// CHECK-LABEL: func.func @relu_into_conv
// CHECK: %[[Y:.+]] = qops.conv2d {{.+}} groups 1 {clamp_min = 0.000000e+00 : f32} :
// CHECK-NOT: qops.relu
// CHECK: return %[[Y]]
func.func @relu_into_conv(%x: tensor<1x4x4x3xf32>, %w: tensor<2x1x1x3xf32>) -> tensor<1x4x4x2xf32> {
  %y = qops.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 : (tensor<1x4x4x3xf32>, tensor<2x1x1x3xf32>) -> tensor<1x4x4x2xf32>
  %z = qops.relu %y : tensor<1x4x4x2xf32>
  return %z : tensor<1x4x4x2xf32>
}

// -----

// CHECK-LABEL: func.func @relu6_into_fully_connected
// CHECK: qops.fully_connected {{.+}} {clamp_max = 6.000000e+00 : f32, clamp_min = 0.000000e+00 : f32} :
// CHECK-NOT: qops.relu6
func.func @relu6_into_fully_connected(%x: tensor<1x3xf32>, %w: tensor<2x3xf32>) -> tensor<1x2xf32> {
  %y = qops.fully_connected %x, %w : (tensor<1x3xf32>, tensor<2x3xf32>) -> tensor<1x2xf32>
  %z = qops.relu6 %y : tensor<1x2xf32>
  return %z : tensor<1x2xf32>
}

// -----

// CHECK-LABEL: func.func @clamp_into_matmul
// CHECK: qops.matmul {{.+}} {clamp_max = 2.000000e+00 : f32, clamp_min = -1.000000e+00 : f32} :
// CHECK-NOT: qops.clamp
func.func @clamp_into_matmul(%a: tensor<2x3xf32>, %b: tensor<3x2xf32>) -> tensor<2x2xf32> {
  %y = qops.matmul %a, %b : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  %z = qops.clamp %y min -1.0 max 2.0 : tensor<2x2xf32>
  return %z : tensor<2x2xf32>
}

// -----

// A chain fuses into the intersection of the ranges: [0, inf) and [-1, 4].
// CHECK-LABEL: func.func @chain_into_add
// CHECK: %[[S:.+]] = qops.add {{.+}} {clamp_max = 4.000000e+00 : f32, clamp_min = 0.000000e+00 : f32} :
// CHECK-NEXT: return %[[S]]
func.func @chain_into_add(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %s = qops.add %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %r = qops.relu %s : tensor<4xf32>
  %c = qops.clamp %r min -1.0 max 4.0 : tensor<4xf32>
  return %c : tensor<4xf32>
}

// -----

// Negative: the unclamped sum is returned too, so it must stay unclamped.
// CHECK-LABEL: func.func @producer_has_other_users
// CHECK: %[[S:.+]] = qops.add %{{.+}}, %{{.+}} :
// CHECK: %[[R:.+]] = qops.relu %[[S]]
// CHECK: return %[[R]], %[[S]]
func.func @producer_has_other_users(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %s = qops.add %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %r = qops.relu %s : tensor<4xf32>
  return %r, %s : tensor<4xf32>, tensor<4xf32>
}

// -----

// Negative: max pooling carries no fused activation.
// CHECK-LABEL: func.func @producer_not_fusible
// CHECK: qops.max_pool2d
// CHECK: qops.relu
func.func @producer_not_fusible(%x: tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32> {
  %p = qops.max_pool2d %x kernel [2, 2] stride [2, 2] pad [0, 0, 0, 0] : tensor<1x4x4x2xf32>
  %r = qops.relu %p : tensor<1x2x2x2xf32>
  return %r : tensor<1x2x2x2xf32>
}

// -----

// Negative: leaky relu is not a clamp range.
// CHECK-LABEL: func.func @leaky_relu_not_fused
// CHECK: qops.add %{{.+}}, %{{.+}} :
// CHECK: qops.leaky_relu
func.func @leaky_relu_not_fused(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %s = qops.add %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %r = qops.leaky_relu %s alpha 0.1 : tensor<4xf32> -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// Negative: [2, 3] does not overlap the existing [0, 1]; the clamp stays.
// CHECK-LABEL: func.func @disjoint_ranges
// CHECK: qops.add {{.+}} {clamp_max = 1.000000e+00 : f32, clamp_min = 0.000000e+00 : f32}
// CHECK: qops.clamp
func.func @disjoint_ranges(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %s = qops.add %a, %b {clamp_max = 1.0 : f32, clamp_min = 0.0 : f32} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %c = qops.clamp %s min 2.0 max 3.0 : tensor<4xf32>
  return %c : tensor<4xf32>
}

// -----

// Order: batch norm folding first lets the relu after conv -> batch_norm
// fuse into the conv (--fuse-activations alone cannot: the relu's producer
// is the batch norm).
// CHECK-LABEL: func.func @fold_then_fuse
// CHECK: qops.batch_norm
// CHECK: qops.relu
// ORDER-LABEL: func.func @fold_then_fuse
// ORDER: %[[Y:.+]] = qops.conv2d {{.+}} {clamp_min = 0.000000e+00 : f32} :
// ORDER-NOT: qops.batch_norm
// ORDER-NOT: qops.relu
// ORDER: return %[[Y]]
func.func @fold_then_fuse(%x: tensor<1x2x2x1xf32>) -> tensor<1x2x2x2xf32> {
  %w = arith.constant dense<[[[[2.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
  %y = qops.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 : (tensor<1x2x2x1xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %p = arith.constant dense<1.0> : tensor<2xf32>
  %z = qops.batch_norm %y, %p, %p, %p, %p epsilon 1.0e-5 : tensor<1x2x2x2xf32>, tensor<2xf32>
  %r = qops.relu %z : tensor<1x2x2x2xf32>
  return %r : tensor<1x2x2x2xf32>
}

// -----

// Through single-use reshapes and transposes (a 3-D convolution from the
// ONNX importer): the clamp moves into the conv2d, the layout ops stay.
// CHECK-LABEL: func.func @relu_through_layout
// CHECK: %[[Y:.+]] = qops.conv2d {{.+}} {clamp_min = 0.000000e+00 : f32} :
// CHECK-NEXT: %[[R:.+]] = qops.reshape %[[Y]]
// CHECK-NEXT: %[[T:.+]] = qops.transpose %[[R]]
// CHECK-NOT: qops.relu
// CHECK: return %[[T]]
func.func @relu_through_layout(%x: tensor<2x4x4x3xf32>, %w: tensor<8x1x1x3xf32>) -> tensor<1x8x2x4x4xf32> {
  %y = qops.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 : (tensor<2x4x4x3xf32>, tensor<8x1x1x3xf32>) -> tensor<2x4x4x8xf32>
  %r = qops.reshape %y : tensor<2x4x4x8xf32> -> tensor<1x2x4x4x8xf32>
  %t = qops.transpose %r perm [0, 4, 1, 2, 3] : tensor<1x2x4x4x8xf32>
  %z = qops.relu %t : tensor<1x8x2x4x4xf32>
  return %z : tensor<1x8x2x4x4xf32>
}

// -----

// A layout op with another user keeps the activation where it is.
// CHECK-LABEL: func.func @relu_layout_shared
// CHECK: qops.conv2d
// CHECK-NOT: clamp_min
// CHECK: qops.relu
func.func @relu_layout_shared(%x: tensor<2x4x4x3xf32>, %w: tensor<8x1x1x3xf32>) -> (tensor<1x2x4x4x8xf32>, tensor<1x2x4x4x8xf32>) {
  %y = qops.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 : (tensor<2x4x4x3xf32>, tensor<8x1x1x3xf32>) -> tensor<2x4x4x8xf32>
  %r = qops.reshape %y : tensor<2x4x4x8xf32> -> tensor<1x2x4x4x8xf32>
  %z = qops.relu %r : tensor<1x2x4x4x8xf32>
  return %z, %r : tensor<1x2x4x4x8xf32>, tensor<1x2x4x4x8xf32>
}
