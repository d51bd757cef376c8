// RUN: quant-opt %s --qops-to-llvm | FileCheck %s
// RUN: quant-opt %s --qops-to-llvm | quant-opt --qops-to-llvm | FileCheck %s

// The pipeline ends in the LLVM dialect with the bare-pointer ABI: inputs,
// then one out-pointer per result, no return value, the tensor signature
// kept in `qops.signature`. Running it twice is harmless (quant-run lowers
// modules at any stage with it).

// CHECK-NOT: qops.relu
// CHECK-NOT: linalg.
// CHECK-NOT: memref.
// CHECK-LABEL: llvm.func @main
// CHECK-SAME: (%{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr)
// CHECK-SAME: attributes {qops.signature = (tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<3x2xf32>)}
// CHECK: llvm.intr.maximum
// CHECK: llvm.return
// CHECK-NOT: llvm.func @mlir
func.func @main(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<3x2xf32>) {
  %0 = qops.relu %x : tensor<2x3xf32>
  %1 = qops.transpose %0 perm [1, 0] : tensor<2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<3x2xf32>
}
