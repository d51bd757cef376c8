// RUN: quant-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(qops-tile-and-vectorize{vector-size=16}))' | FileCheck %s
// RUN: quant-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(qops-tile-and-vectorize{vector-size=8}))' | FileCheck %s --check-prefix=AVX2
// RUN: not quant-opt %s --pass-pipeline='builtin.module(func.func(qops-tile-and-vectorize{target-cpu=not-a-cpu}))' 2>&1 | FileCheck %s --check-prefix=BADCPU

// BADCPU: error: qops-tile-and-vectorize: unknown target-cpu 'not-a-cpu'

// A contraction becomes 8 x 32 register tiles reducing K by 16 (8 x 16 with
// 8 lanes), one vector.contract per step.
// CHECK-LABEL: func.func @matmul
// CHECK: scf.for {{.+}} step %c8
// CHECK: scf.for {{.+}} step %c32
// CHECK: scf.for {{.+}} step %c16
// CHECK: vector.contract {{.+}} : vector<8x16xf32>, vector<16x32xf32> into vector<8x32xf32>
// AVX2-LABEL: func.func @matmul
// AVX2: vector.contract {{.+}} : vector<8x8xf32>, vector<8x16xf32> into vector<8x16xf32>
#a = affine_map<(m, n, k) -> (m, k)>
#b = affine_map<(m, n, k) -> (k, n)>
#c = affine_map<(m, n, k) -> (m, n)>
func.func @matmul(%a: tensor<64x128xf32>, %b: tensor<128x64xf32>, %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %0 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : tensor<64x128xf32>, tensor<128x64xf32>) outs(%c : tensor<64x64xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<64x64xf32>
  return %0 : tensor<64x64xf32>
}

// -----

// Tile sizes divide the loop sizes: 10 outputs and 12 reduction steps fit
// in one tile each (no partial tiles, no masks).
// CHECK-LABEL: func.func @odd_sizes
// CHECK-NOT: scf.for
// CHECK: vector.contract {{.+}} : vector<3x12xf32>, vector<12x10xf32> into vector<3x10xf32>
func.func @odd_sizes(%a: tensor<3x12xf32>, %b: tensor<12x10xf32>, %c: tensor<3x10xf32>) -> tensor<3x10xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<3x12xf32>, tensor<12x10xf32>) outs(%c : tensor<3x10xf32>) -> tensor<3x10xf32>
  return %0 : tensor<3x10xf32>
}

// -----

// A 2-D convolution is tiled to unit windows, decomposed into 1-D
// convolutions and vectorized.
// CHECK-LABEL: func.func @conv
// CHECK-NOT: linalg.conv_2d_nhwc_hwcf
// CHECK-NOT: linalg.conv_1d
// CHECK: vector.contract
func.func @conv(%x: tensor<1x10x10x16xf32>, %w: tensor<3x3x16x32xf32>, %init: tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32> {
  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%x, %w : tensor<1x10x10x16xf32>, tensor<3x3x16x32xf32>) outs(%init : tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32>
  return %0 : tensor<1x8x8x32xf32>
}

// -----

// Element-wise ops are left to LLVM's loop vectorizer.
// CHECK-LABEL: func.func @elementwise_untouched
// CHECK: linalg.generic
// CHECK-NOT: vector.
func.func @elementwise_untouched(%x: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %0 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<64x64xf32>) outs(%x : tensor<64x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.addf %in, %in : f32
    linalg.yield %r : f32
  } -> tensor<64x64xf32>
  return %0 : tensor<64x64xf32>
}

// -----

// An element-wise op with an operand broadcast along its outer loops and a
// short innermost loop (a squeeze-excitation gate [1, 1, 1, 16] scaling
// [1, 3, 5, 16]; here in i8 -> i32 -> f32 like the integer mul) is tiled
// to rows of its innermost loop and each row vectorized: LLVM would unroll
// the 16-iteration loop and leave scalar code. With 8 lanes the row is two
// registers.

#full = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#gate = affine_map<(d0, d1, d2, d3) -> (d0, 0, 0, d3)>
// CHECK-LABEL: func.func @broadcast_gate
// CHECK: scf.for %[[H:.*]] = %c0 to %c3
// CHECK: scf.for %[[W:.*]] = %c0 to %c5
// CHECK-DAG: vector.transfer_read %arg0[%c0, %c0, %c0, %c0]{{.*}} : tensor<1x1x1x16xi8>, vector<16xi8>
// CHECK-DAG: vector.transfer_read %arg1[%c0, %[[H]], %[[W]], %c0]{{.*}} : tensor<1x3x5x16xi8>, vector<1x1x16xi8>
// CHECK: arith.muli {{.*}} : vector<1x1x16xi32>
// CHECK: arith.sitofp {{.*}} : vector<1x1x16xi32> to vector<1x1x16xf32>
// CHECK: vector.transfer_write
// CHECK-NOT: linalg.generic
// AVX2-LABEL: func.func @broadcast_gate
// AVX2: arith.sitofp {{.*}} : vector<1x1x16xi32> to vector<1x1x16xf32>
func.func @broadcast_gate(%g: tensor<1x1x1x16xi8>, %x: tensor<1x3x5x16xi8>) -> tensor<1x3x5x16xf32> {
  %e = tensor.empty() : tensor<1x3x5x16xf32>
  %0 = linalg.generic {indexing_maps = [#gate, #full, #full], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%g, %x : tensor<1x1x1x16xi8>, tensor<1x3x5x16xi8>) outs(%e : tensor<1x3x5x16xf32>) {
  ^bb0(%a: i8, %b: i8, %o: f32):
    %a32 = arith.extsi %a : i8 to i32
    %b32 = arith.extsi %b : i8 to i32
    %p = arith.muli %a32, %b32 : i32
    %f = arith.sitofp %p : i32 to f32
    linalg.yield %f : f32
  } -> tensor<1x3x5x16xf32>
  return %0 : tensor<1x3x5x16xf32>
}

// -----

// Without a broadcast operand (LLVM collapses and vectorizes such loops
// itself), or with a long innermost loop, element-wise ops stay linalg.

#full2 = affine_map<(d0, d1) -> (d0, d1)>
#row2 = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @not_rows
// CHECK: linalg.generic
// CHECK: linalg.generic
// CHECK-NOT: vector.transfer_read
func.func @not_rows(%x: tensor<3x16xf32>, %y: tensor<3x16xf32>, %b: tensor<200xf32>, %z: tensor<3x200xf32>) -> (tensor<3x16xf32>, tensor<3x200xf32>) {
  %e = tensor.empty() : tensor<3x16xf32>
  %0 = linalg.generic {indexing_maps = [#full2, #full2, #full2], iterator_types = ["parallel", "parallel"]}
      ins(%x, %y : tensor<3x16xf32>, tensor<3x16xf32>) outs(%e : tensor<3x16xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<3x16xf32>
  %e2 = tensor.empty() : tensor<3x200xf32>
  %1 = linalg.generic {indexing_maps = [#row2, #full2, #full2], iterator_types = ["parallel", "parallel"]}
      ins(%b, %z : tensor<200xf32>, tensor<3x200xf32>) outs(%e2 : tensor<3x200xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<3x200xf32>
  return %0, %1 : tensor<3x16xf32>, tensor<3x200xf32>
}
