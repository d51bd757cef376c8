// An LLVM-dialect module, as --qops-to-llvm emits, with a 16 TiB splat
// global that LLVM IR translation would materialize element by element.
llvm.mlir.global internal constant @huge(dense<1.0> : tensor<4x1099511627776xf32>) {addr_space = 0 : i32} : !llvm.array<4 x array<1099511627776 x f32>>
llvm.func @main(%arg0: !llvm.ptr, %arg1: !llvm.ptr) attributes {qops.signature = (tensor<1x4xf32>) -> tensor<1x4xf32>} {
  llvm.return
}
