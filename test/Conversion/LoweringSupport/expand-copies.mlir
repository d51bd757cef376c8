// RUN: quant-opt %s -split-input-file --qops-expand-copies --canonicalize | FileCheck %s

// A padded copy of NHWC activations (contiguous rows of 32 channels into a
// strided view): loops over N, H, W moving one vector<32xi8> per pixel.

// Each iteration writes its own row: the outer loops are marked parallel
// for qops-outline-parallel-loops, the innermost is not.

// CHECK-LABEL: func.func @padded_rows
// CHECK-NOT: memref.copy
// CHECK-NOT: linalg.copy
// CHECK: scf.for
// CHECK: scf.for
// CHECK: %[[ROW:.*]] = vector.transfer_read %{{.*}}[%c0, %{{.*}}, %{{.*}}, %c0]{{.*}} {in_bounds = [true]} : memref<1x4x4x32xi8>, vector<32xi8>
// CHECK: vector.transfer_write %[[ROW]], %{{.*}}[%c0, %{{.*}}, %{{.*}}, %c0] {in_bounds = [true]} : vector<32xi8>, memref<1x4x4x32xi8, strided<[1152, 192, 32, 1], offset: 224>>
func.func @padded_rows(%src: memref<1x4x4x32xi8>, %dst: memref<1x6x6x32xi8>) {
  %view = memref.subview %dst[0, 1, 1, 0] [1, 4, 4, 32] [1, 1, 1, 1] : memref<1x6x6x32xi8> to memref<1x4x4x32xi8, strided<[1152, 192, 32, 1], offset: 224>>
  memref.copy %src, %view : memref<1x4x4x32xi8> to memref<1x4x4x32xi8, strided<[1152, 192, 32, 1], offset: 224>>
  return
}
// CHECK: } {qops.parallel}
// CHECK-NEXT: return

// -----

// A rank-1 copy is one vector: no loop.

// CHECK-LABEL: func.func @one_row
// CHECK-NOT: scf.for
// CHECK: %[[ROW:.*]] = vector.transfer_read
// CHECK-NEXT: vector.transfer_write %[[ROW]]
func.func @one_row(%src: memref<2xf32>, %dst: memref<4xf32>) {
  %view = memref.subview %dst[2] [2] [1] : memref<4xf32> to memref<2xf32, strided<[1], offset: 2>>
  memref.copy %src, %view : memref<2xf32> to memref<2xf32, strided<[1], offset: 2>>
  return
}

// -----

// A copy whose innermost dimension is strided in one view stays an
// element-wise linalg.copy.

// CHECK-LABEL: func.func @strided_rows
// CHECK: linalg.copy
// CHECK-NOT: vector.transfer_read
func.func @strided_rows(%src: memref<4x8xf32>, %dst: memref<8x8xf32>) {
  %t = memref.subview %dst[0, 0] [4, 4] [1, 2] : memref<8x8xf32> to memref<4x4xf32, strided<[8, 2]>>
  %s = memref.subview %src[0, 0] [4, 4] [1, 1] : memref<4x8xf32> to memref<4x4xf32, strided<[8, 1]>>
  memref.copy %s, %t : memref<4x4xf32, strided<[8, 1]>> to memref<4x4xf32, strided<[8, 2]>>
  return
}
