// RUN: quant-opt --qops-plan-memory --split-input-file %s | FileCheck %s

// Three buffers in a chain: %a (1024 B) lives over ops 0-1, %b (2048 B)
// over 1-2, %c (1024 B) over 2-3 (copied out through a subview, so it is not
// computed in the output itself). Largest first: %b at 0; %a overlaps %b's
// lifetime and goes after it (2048); %c overlaps %b but not %a, so it reuses
// %a's bytes. Workspace: 3072 bytes, not the 4096 of all three.
// CHECK-LABEL: func.func @chain
// CHECK-SAME: (%[[IN:.*]]: memref<256xf32>, %[[OUT:.*]]: memref<256xf32>, %[[WS:.*]]: memref<3072xi8>)
// CHECK-SAME: qops.workspace_size = 3072 : i64
// CHECK-SAME: qops.workspace_tensors = array<i64: 3, 4096>
// CHECK-NOT: memref.alloc
// CHECK: %[[OA:.*]] = arith.constant 2048 : index
// CHECK: %[[A:.*]] = memref.view %[[WS]][%[[OA]]][] : memref<3072xi8> to memref<256xf32>
// CHECK: memref.copy %[[IN]], %[[A]]
// CHECK: %[[OB:.*]] = arith.constant 0 : index
// CHECK: %[[B:.*]] = memref.view %[[WS]][%[[OB]]][] : memref<3072xi8> to memref<512xf32>
// CHECK: %[[OC:.*]] = arith.constant 2048 : index
// CHECK: %[[C:.*]] = memref.view %[[WS]][%[[OC]]][] : memref<3072xi8> to memref<256xf32>
// CHECK: %[[CS:.*]] = memref.subview %[[C]]
// CHECK: memref.copy %[[CS]], %[[OUT]]
// CHECK-NOT: memref.dealloc
func.func @chain(%in: memref<256xf32>, %out: memref<256xf32>)
    attributes {qops.signature = (tensor<256xf32>) -> tensor<256xf32>} {
  %a = memref.alloc() : memref<256xf32>
  memref.copy %in, %a : memref<256xf32> to memref<256xf32>
  %b = memref.alloc() : memref<512xf32>
  %bs = memref.subview %b[0] [256] [1] : memref<512xf32> to memref<256xf32, strided<[1]>>
  memref.copy %a, %bs : memref<256xf32> to memref<256xf32, strided<[1]>>
  %c = memref.alloc() : memref<256xf32>
  memref.copy %bs, %c : memref<256xf32, strided<[1]>> to memref<256xf32>
  %cs = memref.subview %c[0] [256] [1] : memref<256xf32> to memref<256xf32, strided<[1]>>
  memref.copy %cs, %out : memref<256xf32, strided<[1]>> to memref<256xf32>
  return
}

// -----

// Offsets are 64-byte aligned: two 10-byte buffers alive together take
// 0 and 64, and the workspace is rounded up to 128.
// CHECK-LABEL: func.func @aligned
// CHECK-SAME: %{{.*}}: memref<128xi8>
// CHECK-SAME: qops.workspace_size = 128 : i64
// CHECK-SAME: qops.workspace_tensors = array<i64: 2, 20>
// CHECK: arith.constant 0 : index
// CHECK: arith.constant 64 : index
func.func @aligned(%in: memref<10xi8>, %out: memref<10xi8>)
    attributes {qops.signature = (tensor<10xi8>) -> tensor<10xi8>} {
  %a = memref.alloc() : memref<10xi8>
  %b = memref.alloc() : memref<10xi8>
  memref.copy %in, %a : memref<10xi8> to memref<10xi8>
  memref.copy %a, %b : memref<10xi8> to memref<10xi8>
  %bs = memref.subview %b[0] [10] [1] : memref<10xi8> to memref<10xi8, strided<[1]>>
  memref.copy %bs, %out : memref<10xi8, strided<[1]>> to memref<10xi8>
  return
}

// -----

// A buffer allocated inside a loop and used only within its iteration is
// planned (its lifetime is the whole loop); one carried to the next
// iteration keeps its allocation, and so does a returned buffer.
// CHECK-LABEL: func.func @loops
// CHECK-SAME: %{{.*}}: memref<64xi8>
// CHECK-SAME: qops.workspace_size = 64 : i64
// CHECK: scf.for
// CHECK: memref.view
// CHECK: scf.for
// CHECK: memref.alloc() : memref<4xf32>
// CHECK: scf.yield
// CHECK: memref.alloc() : memref<8xf32>
// CHECK: return
func.func @loops(%in: memref<4xf32>, %out: memref<4xf32>) -> memref<8xf32>
    attributes {qops.signature = (tensor<4xf32>) -> (tensor<4xf32>, tensor<8xf32>)} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    %t = memref.alloc() : memref<4xf32>
    memref.copy %in, %t : memref<4xf32> to memref<4xf32>
    memref.copy %t, %out : memref<4xf32> to memref<4xf32>
  }
  %r = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %in) -> memref<4xf32> {
    %n = memref.alloc() : memref<4xf32>
    memref.copy %acc, %n : memref<4xf32> to memref<4xf32>
    scf.yield %n : memref<4xf32>
  }
  memref.copy %r, %out : memref<4xf32> to memref<4xf32>
  %ret = memref.alloc() : memref<8xf32>
  return %ret : memref<8xf32>
}

// -----

// Not entry points: a function without qops.signature, and one that
// another function calls, keep their allocations (a workspace argument
// would change their callers).
// CHECK-LABEL: func.func @no_signature(%{{.*}}: memref<4xf32>)
// CHECK-NOT: qops.workspace_size
// CHECK: memref.alloc
func.func @no_signature(%in: memref<4xf32>) {
  %a = memref.alloc() : memref<4xf32>
  memref.copy %in, %a : memref<4xf32> to memref<4xf32>
  return
}
// CHECK-LABEL: func.func @callee(%{{.*}}: memref<4xf32>)
// CHECK-NOT: qops.workspace_size
// CHECK: memref.alloc
func.func @callee(%in: memref<4xf32>)
    attributes {qops.signature = (tensor<4xf32>) -> ()} {
  %a = memref.alloc() : memref<4xf32>
  memref.copy %in, %a : memref<4xf32> to memref<4xf32>
  return
}
// CHECK-LABEL: func.func @caller
// CHECK: call @callee
func.func @caller(%in: memref<4xf32>) {
  call @callee(%in) : (memref<4xf32>) -> ()
  return
}

// -----

// A result computed in a buffer of its own, carried through a loop and
// copied to the output at the end, is computed in the output itself: the
// allocation becomes the output argument and the copy goes (no workspace
// is needed at all here).
// CHECK-LABEL: func.func @result_in_place
// CHECK-SAME: (%{{.*}}: memref<4xf32>, %[[OUT:[^:]*]]: memref<4xf32>)
// CHECK-NOT: qops.workspace_size
// CHECK-NOT: memref.alloc
// CHECK: scf.for {{.*}} iter_args(%[[B:.*]] = %[[OUT]])
// CHECK: memref.copy %{{.*}}, %[[B]]
// CHECK-NOT: memref.copy
// CHECK: return
func.func @result_in_place(%in: memref<4xf32>, %out: memref<4xf32>)
    attributes {qops.signature = (tensor<4xf32>) -> tensor<4xf32>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %a = memref.alloc() : memref<4xf32>
  %r = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %a) -> memref<4xf32> {
    memref.copy %in, %acc : memref<4xf32> to memref<4xf32>
    scf.yield %acc : memref<4xf32>
  }
  memref.copy %r, %out : memref<4xf32> to memref<4xf32>
  return
}

// -----

// The same when the loop body yields the buffer through an scf.if that
// yields it from both branches (the packed kernels' last tile of a row).
// CHECK-LABEL: func.func @result_in_place_through_if
// CHECK-SAME: (%{{.*}}: memref<4xf32>, %[[OUT:[^:]*]]: memref<4xf32>)
// CHECK-NOT: qops.workspace_size
// CHECK-NOT: memref.alloc
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[OUT]])
// CHECK: scf.if
// CHECK-NOT: memref.copy %{{.*}}, %[[OUT]]
// CHECK: return
func.func @result_in_place_through_if(%in: memref<4xf32>, %out: memref<4xf32>)
    attributes {qops.signature = (tensor<4xf32>) -> tensor<4xf32>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %a = memref.alloc() : memref<4xf32>
  %r = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %a) -> memref<4xf32> {
    %first = arith.cmpi eq, %i, %c0 : index
    %next = scf.if %first -> memref<4xf32> {
      memref.copy %in, %acc : memref<4xf32> to memref<4xf32>
      scf.yield %acc : memref<4xf32>
    } else {
      scf.yield %acc : memref<4xf32>
    }
    scf.yield %next : memref<4xf32>
  }
  memref.copy %r, %out : memref<4xf32> to memref<4xf32>
  return
}

// -----

// Left alone: a loop that yields another buffer than the one it was given
// (the copied value is not the allocation's), a buffer still read after
// its copy to an output, and an output written twice: the copies stay and
// the buffers are planned.
// CHECK-LABEL: func.func @not_in_place
// CHECK-SAME: (%{{[^:]*}}: memref<4xf32>, %[[OUT0:[^:]*]]: memref<4xf32>, %[[OUT1:[^:]*]]: memref<4xf32>, %{{.*}}: memref<128xi8>)
// CHECK: memref.copy %{{.*}}, %[[OUT0]]
// CHECK: memref.copy %{{.*}}, %[[OUT1]]
// CHECK: memref.copy %{{.*}}, %[[OUT0]]
// CHECK: return
func.func @not_in_place(%in: memref<4xf32>, %out0: memref<4xf32>, %out1: memref<4xf32>)
    attributes {qops.signature = (tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %a = memref.alloc() : memref<4xf32>
  %b = memref.alloc() : memref<4xf32>
  %r = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %a) -> memref<4xf32> {
    memref.copy %in, %b : memref<4xf32> to memref<4xf32>
    scf.yield %b : memref<4xf32>
  }
  memref.copy %r, %out0 : memref<4xf32> to memref<4xf32>
  %c = memref.alloc() : memref<4xf32>
  memref.copy %in, %c : memref<4xf32> to memref<4xf32>
  memref.copy %c, %out1 : memref<4xf32> to memref<4xf32>
  memref.copy %c, %out0 : memref<4xf32> to memref<4xf32>
  return
}

// -----

// The same through reshapes (a 1x1 convolution computes [1, 1, P, C] and
// copies it out as [1, H, W, C]): the allocation becomes the output seen
// with the allocation's shape (flattened, then expanded).
// CHECK-LABEL: func.func @reshaped_result_in_place
// CHECK-SAME: (%{{[^:]*}}: memref<16xf32>, %[[OUT:[^:]*]]: memref<1x4x4xf32>)
// CHECK-NOT: qops.workspace_size
// CHECK: %[[FLAT:.*]] = memref.collapse_shape %[[OUT]] {{\[\[}}0, 1, 2]] : memref<1x4x4xf32> into memref<16xf32>
// CHECK: %[[B:.*]] = memref.expand_shape %[[FLAT]] {{\[\[}}0, 1]] output_shape [2, 8] : memref<16xf32> into memref<2x8xf32>
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[B]])
// CHECK-NOT: memref.copy %{{.*}}, %[[OUT]]
// CHECK: return
func.func @reshaped_result_in_place(%in: memref<16xf32>, %out: memref<1x4x4xf32>)
    attributes {qops.signature = (tensor<16xf32>) -> tensor<1x4x4xf32>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %a = memref.alloc() : memref<2x8xf32>
  %r = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %a) -> memref<2x8xf32> {
    %flat = memref.collapse_shape %acc [[0, 1]] : memref<2x8xf32> into memref<16xf32>
    memref.copy %in, %flat : memref<16xf32> to memref<16xf32>
    scf.yield %acc : memref<2x8xf32>
  }
  %f = memref.collapse_shape %r [[0, 1]] : memref<2x8xf32> into memref<16xf32>
  %e = memref.expand_shape %f [[0, 1, 2]] output_shape [1, 4, 4] : memref<16xf32> into memref<1x4x4xf32>
  memref.copy %e, %out : memref<1x4x4xf32> to memref<1x4x4xf32>
  return
}
