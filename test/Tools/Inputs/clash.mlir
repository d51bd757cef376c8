// An LLVM-dialect module whose exported name is already taken.
llvm.func @model_main() {
  llvm.return
}

llvm.func @main(%arg0: !llvm.ptr, %arg1: !llvm.ptr) attributes {qops.signature = (tensor<1x4xf32>) -> tensor<1x4xf32>} {
  llvm.return
}
