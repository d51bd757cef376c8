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
