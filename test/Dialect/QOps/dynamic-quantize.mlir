// RUN: quant-opt %s -split-input-file --quantize-dynamic | FileCheck %s
// RUN: quant-opt %s -split-input-file --quantize-dynamic="granularity=row per-channel=false" | FileCheck %s --check-prefix=ROW
// RUN: quant-opt %s -split-input-file --quantize-dynamic="exclude=fc1,matmul" | FileCheck %s --check-prefix=EXCL
// RUN: quant-opt %s -split-input-file --quantize-dynamic="activation-matmuls=true granularity=row" | FileCheck %s --check-prefix=ATT

// --quantize-dynamic: constant-weight products become dynamic_quantize +
// dynamic_matmul; the fused relu becomes the product's clamp; one
// dynamic_quantize serves both products of %x.

// CHECK-LABEL: func.func @mlp
// CHECK: %[[Q:.*]], %[[S:.*]], %[[Z:.*]] = qops.dynamic_quantize %arg0 : tensor<2x8xf32> -> tensor<2x8xui8>, tensor<f32>, tensor<ui8>
// CHECK: %[[W:.*]] = qops.quantize %{{.*}} : tensor<8x6xf32> -> tensor<8x6x!quant.uniform<i8<-127:127>:f32:1, {0.0019685039296746254,0.0039370078593492508,
// CHECK: %[[H:.*]] = qops.dynamic_matmul %[[Q]], %[[S]], %[[Z]], %[[W]], %{{.*}} {clamp_min = 0.000000e+00 : f32}
// CHECK: %[[Q2:.*]], %[[S2:.*]], %[[Z2:.*]] = qops.dynamic_quantize %[[H]]
// CHECK: qops.dynamic_matmul %[[Q]], %[[S]], %[[Z]]
// CHECK: qops.dynamic_matmul %[[Q2]], %[[S2]], %[[Z2]]
// CHECK-NOT: qops.fully_connected
// CHECK-NOT: qops.matmul

// ROW-LABEL: func.func @mlp
// ROW: qops.dynamic_quantize %arg0 : tensor<2x8xf32> -> tensor<2x8xui8>, tensor<2xf32>, tensor<2xui8>
// ROW: qops.quantize %{{.*}} : tensor<8x6xf32> -> tensor<8x6x!quant.uniform<i8<-127:127>:f32, 0.0078740157186985015>>

// EXCL-LABEL: func.func @mlp
// EXCL: qops.fully_connected %arg0, %{{.*}}, %{{.*}} {clamp_min = 0.000000e+00 : f32}
// EXCL: qops.dynamic_matmul
// EXCL: qops.matmul
func.func @mlp(%x: tensor<2x8xf32>) -> (tensor<2x4xf32>, tensor<2x6xf32>) {
  %w = arith.constant dense<[[0.25, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [-1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.75, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<6x8xf32>
  %b = arith.constant dense<0.5> : tensor<6xf32>
  %h = qops.fully_connected %x, %w, %b : (tensor<2x8xf32>, tensor<6x8xf32>, tensor<6xf32>) -> tensor<2x6xf32> loc("fc1")
  %r = qops.relu %h : tensor<2x6xf32>
  %h2 = qops.fully_connected %x, %w : (tensor<2x8xf32>, tensor<6x8xf32>) -> tensor<2x6xf32> loc("fc2")
  %w2 = arith.constant dense<-0.5> : tensor<6x4xf32>
  %y = qops.matmul %r, %w2 : (tensor<2x6xf32>, tensor<6x4xf32>) -> tensor<2x4xf32> loc("fc3")
  return %y, %h2 : tensor<2x4xf32>, tensor<2x6xf32>
}

// -----

// Attention-style products of two run-time tensors: with
// activation-matmuls=true both operands are dynamically quantized (the left
// per row with granularity=row, the right per tensor) into a
// dynamic_activation_matmul; the projection reading %x shares %x's
// dynamic_quantize with nothing else here.
// CHECK-LABEL: func.func @attention
// CHECK: qops.matmul %{{.*}}, %{{.*}} : (tensor<2x4x8xf32>, tensor<2x8x4xf32>)
// ATT-LABEL: func.func @attention
// ATT-DAG: %[[KQ:.*]], %[[KS:.*]], %[[KZ:.*]] = qops.dynamic_quantize %arg1 : tensor<2x8x4xf32> -> tensor<2x8x4xui8>, tensor<f32>, tensor<ui8>
// ATT-DAG: %[[QQ:.*]], %[[QS:.*]], %[[QZ:.*]] = qops.dynamic_quantize %arg0 : tensor<2x4x8xf32> -> tensor<2x4x8xui8>, tensor<2x4xf32>, tensor<2x4xui8>
// ATT: qops.dynamic_activation_matmul %[[QQ]], %[[QS]], %[[QZ]], %[[KQ]], %[[KS]], %[[KZ]] : {{.*}} -> tensor<2x4x4xf32>
// ATT-NOT: qops.matmul
func.func @attention(%q: tensor<2x4x8xf32>, %k: tensor<2x8x4xf32>) -> tensor<2x4x4xf32> {
  %s = qops.matmul %q, %k : (tensor<2x4x8xf32>, tensor<2x8x4xf32>) -> tensor<2x4x4xf32>
  return %s : tensor<2x4x4xf32>
}
