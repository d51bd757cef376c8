// RUN: quant-opt %s -split-input-file --convert-qops-to-linalg="packed-kernels=false" --canonicalize | FileCheck %s
// RUN: quant-opt %s -split-input-file --convert-qops-to-linalg="target-cpu=cascadelake" --canonicalize --cse | FileCheck %s --check-prefix=VNNI512

// dynamic_quantize: min and max from 0 (non-finite values read as 0) in
// vector registers of 16 lanes (8 elements here: one padded read), the
// scale and zero point (scale 1 for an all-zero range; the zero point
// rounded half to even after the clamp), then, vectorized, x / scale (a
// true division) rounded half to even, plus the zero point, clamped; NaN
// gives the zero point.
// dynamic_matmul, generic form: (x - zp) * w in i32 inside the loop, then
// f32(acc) * (s_x * s_w[n]) + bias, clamped by the fused relu.
// Packed form (constant s8 weights of zero point 0): the packed int8 kernel
// (qops.dot4 = vpdpbusd) with a zero initializer, and the run-time
// correction acc - zp * colsum[n] (colsum [1, 2, 2] at compile time) in
// the epilogue.

// CHECK-LABEL: func.func @fc
// CHECK-DAG: %[[INF:.*]] = arith.constant dense<0x7F800000> : vector<16xf32>
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[}}[2, 2, 2], [-2, 0, 1], [1, -1, 0], [0, 1, -1]]> : tensor<4x3xi8>
// CHECK: %[[X:.*]] = vector.transfer_read %{{.*}} : tensor<1x8xf32>, vector<16xf32>
// CHECK: math.absf %[[X]] : vector<16xf32>
// CHECK: arith.cmpf olt, %{{.*}}, %[[INF]] : vector<16xf32>
// CHECK: arith.minnumf
// CHECK: arith.maxnumf
// CHECK: vector.reduction <minnumf>
// CHECK: vector.reduction <maxnumf>
// CHECK: linalg.generic
// CHECK: arith.cmpf oeq
// CHECK: arith.divf
// CHECK: arith.select
// CHECK: math.roundeven
// CHECK: linalg.yield %{{.*}}, %{{.*}} : f32, i8
// CHECK: vector.transfer_read {{.*}} {in_bounds = [true]} : tensor<1x8xf32>, vector<8xf32>
// CHECK: arith.divf %{{.*}} : vector<8xf32>
// CHECK: math.roundeven %{{.*}} : vector<8xf32>
// CHECK: arith.cmpf uno
// CHECK: arith.fptosi %{{.*}} : vector<8xf32> to vector<8xi32>
// CHECK: vector.transfer_write %{{.*}} {in_bounds = [true]} : vector<8xi8>, tensor<1x8xi8>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}}, %{{.*}}, %[[W]] : tensor<2x4xi8>, tensor<i8>, tensor<4x3xi8>)
// CHECK: arith.extui
// CHECK: arith.extui
// CHECK: arith.subi
// CHECK: arith.extsi
// CHECK: arith.muli
// CHECK: arith.addi
// CHECK: arith.mulf
// CHECK: arith.sitofp
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: arith.maximumf

// VNNI512-LABEL: func.func @fc
// VNNI512-DAG: %[[COLSUM:.*]] = arith.constant dense<[1, 2, 2]> : tensor<3xi32>
// VNNI512-DAG: arith.constant dense<{{\[}}[2, -2, 1, 0, 2, 0, -1, 1, 2, 1, 0, -1, 0, {{.*}}]]> : tensor<1x64xi8>
// VNNI512: qops.dot4 {{.*}} : vector<16xi32>
// VNNI512: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[COLSUM]], %{{.*}} : tensor<2x3xi32>, tensor<f32>, tensor<3xf32>, tensor<i8>, tensor<3xi32>, tensor<3xf32>)
// VNNI512: arith.extui
// VNNI512: arith.muli
// VNNI512: arith.subi
!qw = !quant.uniform<i8<-127:127>:f32:1, {0.5, 0.25, 0.125}>
func.func @fc(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %wf = arith.constant dense<[[1.0, 0.5, 0.25], [-1.0, 0.0, 0.125], [0.5, -0.25, 0.0], [0.0, 0.25, -0.125]]> : tensor<4x3xf32>
  %w = qops.quantize %wf : tensor<4x3xf32> -> tensor<4x3x!qw>
  %b = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %q, %s, %z = qops.dynamic_quantize %x : tensor<2x4xf32> -> tensor<2x4xui8>, tensor<f32>, tensor<ui8>
  %y = qops.dynamic_matmul %q, %s, %z, %w, %b {clamp_min = 0.0 : f32} : (tensor<2x4xui8>, tensor<f32>, tensor<ui8>, tensor<4x3x!qw>, tensor<3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// Per row on a 3-D lhs: the rows [2, 3] collapse to 6, the parameters to
// [6]; a u8 rhs with per-column zero points stays in the generic loop with
// its zero-point table, even with a kernel target.
// CHECK-LABEL: func.func @rows_u8
// CHECK: vector.transfer_read %{{.*}} : tensor<6x4xf32>, vector<16xf32>
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0, 1]] : tensor<2x3xf32> into tensor<6xf32>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<6x4xi8>, tensor<6xi8>, tensor<4x2xi8>, tensor<2xi32>)
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2]] output_shape [2, 3, 2] : tensor<6x2xf32> into tensor<2x3x2xf32>
// VNNI512-LABEL: func.func @rows_u8
// VNNI512-NOT: qops.dot4
// VNNI512: return
!qu = !quant.uniform<u8:f32:1, {0.5:128, 0.25:100}>
func.func @rows_u8(%x: tensor<2x3x4xf32>) -> tensor<2x3x2xf32> {
  %wf = arith.constant dense<1.0> : tensor<4x2xf32>
  %w = qops.quantize %wf : tensor<4x2xf32> -> tensor<4x2x!qu>
  %q, %s, %z = qops.dynamic_quantize %x : tensor<2x3x4xf32> -> tensor<2x3x4xui8>, tensor<2x3xf32>, tensor<2x3xui8>
  %y = qops.dynamic_matmul %q, %s, %z, %w : (tensor<2x3x4xui8>, tensor<2x3xf32>, tensor<2x3xui8>, tensor<4x2x!qu>) -> tensor<2x3x2xf32>
  return %y : tensor<2x3x2xf32>
}

// -----

// dynamic_activation_matmul, batched: (a - za[b, m]) * (b - zb) in i32 over
// loops (b, m, n, k), then f32(acc) * (sa[b, m] * sb).
// CHECK-LABEL: func.func @activations
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%arg0, %arg2, %arg3, %arg5 : tensor<2x3x4xi8>, tensor<2x3xi8>, tensor<2x4x5xi8>, tensor<i8>)
// CHECK: arith.extui
// CHECK: arith.extui
// CHECK: arith.subi
// CHECK: arith.extui
// CHECK: arith.extui
// CHECK: arith.subi
// CHECK: arith.muli
// CHECK: arith.addi
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %arg1, %arg4 : tensor<2x3x5xi32>, tensor<2x3xf32>, tensor<f32>)
// CHECK: arith.mulf
// CHECK: arith.sitofp
// CHECK: arith.mulf
// VNNI512-LABEL: func.func @activations
// VNNI512-NOT: qops.dot4
// VNNI512: return
func.func @activations(%a: tensor<2x3x4xui8>, %sa: tensor<2x3xf32>, %za: tensor<2x3xui8>, %b: tensor<2x4x5xui8>, %sb: tensor<f32>, %zb: tensor<ui8>) -> tensor<2x3x5xf32> {
  %y = qops.dynamic_activation_matmul %a, %sa, %za, %b, %sb, %zb : (tensor<2x3x4xui8>, tensor<2x3xf32>, tensor<2x3xui8>, tensor<2x4x5xui8>, tensor<f32>, tensor<ui8>) -> tensor<2x3x5xf32>
  return %y : tensor<2x3x5xf32>
}
