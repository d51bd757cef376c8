// RUN: quant-opt %s --qops-lower-dot4 | FileCheck %s

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
