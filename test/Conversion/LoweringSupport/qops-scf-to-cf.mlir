// RUN: quant-opt --split-input-file --pass-pipeline='builtin.module(func.func(qops-scf-to-cf))' %s | FileCheck %s

// Loops lowered last first keep their order and their bodies: the store
// loop, then the load loop, then the return.
// CHECK-LABEL: func.func @two_loops
// CHECK-NOT: scf.
// CHECK: cf.cond_br
// CHECK: memref.store
// CHECK: cf.cond_br
// CHECK: %[[V:.+]] = memref.load
// CHECK: arith.addf %[[V]]
// CHECK: return
func.func @two_loops(%m: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %c4 step %c1 {
    memref.store %one, %m[%i] : memref<4xf32>
  }
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %m[%i] : memref<4xf32>
    %w = arith.addf %v, %one : f32
    memref.store %w, %m[%i] : memref<4xf32>
  }
  return
}

// -----

// Nested loops and an scf.if inside a loop.
// CHECK-LABEL: func.func @nested
// CHECK-NOT: scf.
// CHECK: return
func.func @nested(%m: memref<4x4xf32>, %p: i1) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %c4 step %c1 {
    scf.for %j = %c0 to %c4 step %c1 {
      scf.if %p {
        memref.store %one, %m[%i, %j] : memref<4x4xf32>
      }
    }
  }
  return
}
