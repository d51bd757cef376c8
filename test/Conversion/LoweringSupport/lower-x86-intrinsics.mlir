// RUN: quant-opt %s --qops-lower-x86-intrinsics | FileCheck %s

// qops.dot4 becomes the vpdpbusd intrinsic of its width, whose byte
// operands are byte vectors.

// CHECK-LABEL: func.func @dot4
// CHECK-SAME: (%[[ACC:.*]]: vector<16xi32>, %[[A:.*]]: vector<16xi32>, %[[B:.*]]: vector<16xi32>, %[[ACC8:.*]]: vector<8xi32>, %[[A8:.*]]: vector<8xi32>, %[[B8:.*]]: vector<8xi32>)
// CHECK: %[[A64:.*]] = vector.bitcast %[[A]] : vector<16xi32> to vector<64xi8>
// CHECK: %[[B64:.*]] = vector.bitcast %[[B]] : vector<16xi32> to vector<64xi8>
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%[[ACC]], %[[A64]], %[[B64]]) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
// CHECK: %[[A32:.*]] = vector.bitcast %[[A8]] : vector<8xi32> to vector<32xi8>
// CHECK: %[[B32:.*]] = vector.bitcast %[[B8]] : vector<8xi32> to vector<32xi8>
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.256"(%[[ACC8]], %[[A32]], %[[B32]]) : (vector<8xi32>, vector<32xi8>, vector<32xi8>) -> vector<8xi32>
// CHECK-NOT: qops.dot4
func.func @dot4(%acc: vector<16xi32>, %a: vector<16xi32>, %b: vector<16xi32>,
                %acc8: vector<8xi32>, %a8: vector<8xi32>, %b8: vector<8xi32>)
    -> (vector<16xi32>, vector<8xi32>) {
  %0 = qops.dot4 %acc, %a, %b : vector<16xi32>
  %1 = qops.dot4 %acc8, %a8, %b8 : vector<8xi32>
  return %0, %1 : vector<16xi32>, vector<8xi32>
}

// qops.lookup_bytes: the table's 128-byte halves in two vpermi2b (the low
// seven bits of each index pick a byte of a half), the index's top bit
// (negative as i8) selects the upper half's result.

// CHECK-LABEL: func.func @lookup_bytes
// CHECK-SAME: (%[[I:.*]]: vector<64xi8>, %[[T:.*]]: vector<256xi8>)
// CHECK: %[[T0:.*]] = vector.extract_strided_slice %[[T]] {offsets = [0], sizes = [64], strides = [1]}
// CHECK: %[[T1:.*]] = vector.extract_strided_slice %[[T]] {offsets = [64], sizes = [64], strides = [1]}
// CHECK: %[[T2:.*]] = vector.extract_strided_slice %[[T]] {offsets = [128], sizes = [64], strides = [1]}
// CHECK: %[[T3:.*]] = vector.extract_strided_slice %[[T]] {offsets = [192], sizes = [64], strides = [1]}
// CHECK: %[[LO:.*]] = llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.qi.512"(%[[T0]], %[[I]], %[[T1]]) : (vector<64xi8>, vector<64xi8>, vector<64xi8>) -> vector<64xi8>
// CHECK: %[[HI:.*]] = llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.qi.512"(%[[T2]], %[[I]], %[[T3]])
// CHECK: %[[ZERO:.*]] = arith.constant dense<0> : vector<64xi8>
// CHECK: %[[UP:.*]] = arith.cmpi slt, %[[I]], %[[ZERO]] : vector<64xi8>
// CHECK: %[[R:.*]] = arith.select %[[UP]], %[[HI]], %[[LO]] : vector<64xi1>, vector<64xi8>
// CHECK: return %[[R]]
// CHECK-NOT: qops.lookup_bytes
func.func @lookup_bytes(%i: vector<64xi8>, %t: vector<256xi8>) -> vector<64xi8> {
  %0 = qops.lookup_bytes %i, %t : vector<64xi8>, vector<256xi8>
  return %0 : vector<64xi8>
}
