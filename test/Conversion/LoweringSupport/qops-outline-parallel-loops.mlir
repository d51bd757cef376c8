// RUN: quant-opt %s --qops-outline-parallel-loops="min-work=0" --split-input-file | FileCheck %s
// RUN: quant-opt %s --qops-outline-parallel-loops --split-input-file | FileCheck %s --check-prefix=SMALL

// A band of two marked loops: one function of an iteration range [begin,
// end) over the band's 12 iterations, linearized (row = i / 4, column =
// i % 4); the global is re-created inside, the buffers are passed. The
// band becomes one call over all of them.
// CHECK-LABEL: func.func @band(
// CHECK-SAME: %[[IN:.*]]: memref<3x4xf32>, %[[OUT:.*]]: memref<3x4xf32>)
// CHECK: %[[C12:.*]] = arith.constant 12 : index
// CHECK-NEXT: call @band_parallel0(%{{.*}}, %[[C12]], %[[IN]], %[[OUT]])
// CHECK-NOT: scf.for
// CHECK: return
// CHECK: func.func private @band_parallel0(%[[B:.*]]: index, %[[E:.*]]: index, %[[I:.*]]: memref<3x4xf32>, %[[O:.*]]: memref<3x4xf32>)
// CHECK-SAME: attributes {qops.parallel_task = 12 : i64}
// CHECK: memref.get_global @bias
// CHECK: scf.for %[[K:.*]] = %[[B]] to %[[E]]
// CHECK: arith.divui %[[K]]
// CHECK: arith.remui %[[K]]
// CHECK: memref.store {{.*}}, %[[O]]
// CHECK-NOT: qops.parallel}
// The default min-work keeps a band this small a loop.
// SMALL-LABEL: func.func @band(
// SMALL: scf.for
// SMALL-NOT: call
memref.global "private" constant @bias : memref<4xf32> = dense<1.0>
func.func @band(%in: memref<3x4xf32>, %out: memref<3x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %g = memref.get_global @bias : memref<4xf32>
  scf.for %i = %c0 to %c3 step %c1 {
    scf.for %j = %c0 to %c4 step %c1 {
      %x = memref.load %in[%i, %j] : memref<3x4xf32>
      %b = memref.load %g[%j] : memref<4xf32>
      %y = arith.addf %x, %b : f32
      memref.store %y, %out[%i, %j] : memref<3x4xf32>
    } {qops.parallel}
  } {qops.parallel}
  return
}

// -----

// A marked loop that captures a buffer it cannot pass (a strided view
// made outside from an argument of that layout) stays a loop, unmarked.
// CHECK-LABEL: func.func @strided(
// CHECK: scf.for
// CHECK-NOT: qops.parallel
// CHECK-NOT: call
func.func @strided(%in: memref<3x4xf32, strided<[8, 1]>>, %out: memref<3x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  scf.for %i = %c0 to %c3 step %c1 {
    %x = memref.load %in[%i, %c0] : memref<3x4xf32, strided<[8, 1]>>
    memref.store %x, %out[%i, %c0] : memref<3x4xf32>
  } {qops.parallel}
  return
}

// -----

// A top-level element-wise linalg op: its loops, the outer one (not the
// innermost, which LLVM vectorizes) a band of 6 iterations.
// CHECK-LABEL: func.func @elementwise(
// CHECK: call @elementwise_parallel0(%{{.*}}, %c6{{(_[0-9]+)?}}, %{{.*}}, %{{.*}})
// CHECK: func.func private @elementwise_parallel0(
// CHECK-SAME: attributes {qops.parallel_task = 6 : i64}
// CHECK: scf.for
// CHECK: scf.for
// CHECK: arith.addf
func.func @elementwise(%a: memref<6x32xf32>, %out: memref<6x32xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<6x32xf32>) outs(%out : memref<6x32xf32>) {
  ^bb0(%x: f32, %y: f32):
    %s = arith.addf %x, %x : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A loop that carries a value is not a band.
// CHECK-LABEL: func.func @carried(
// CHECK: scf.for {{.*}} iter_args
// CHECK-NOT: call
func.func @carried(%in: memref<8xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  %sum = scf.for %i = %c0 to %c8 step %c1 iter_args(%acc = %zero) -> f32 {
    %x = memref.load %in[%i] : memref<8xf32>
    %s = arith.addf %acc, %x : f32
    scf.yield %s : f32
  } {qops.parallel}
  return %sum : f32
}
