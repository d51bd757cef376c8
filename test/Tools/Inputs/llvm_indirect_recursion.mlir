module {
  llvm.func @malloc(i64) -> !llvm.ptr
  llvm.func @free(!llvm.ptr)
  llvm.func @deep(%n: i64) {
    %size = llvm.mlir.constant(64 : i64) : i64
    %p = llvm.call @malloc(%size) : (i64) -> !llvm.ptr
    llvm.store volatile %n, %p : i64, !llvm.ptr
    %f = llvm.mlir.addressof @deep : !llvm.ptr
    %one = llvm.mlir.constant(1 : i64) : i64
    %m = llvm.add %n, %one : i64
    llvm.call %f(%m) : !llvm.ptr, (i64) -> ()
    llvm.call @free(%p) : (!llvm.ptr) -> ()
    llvm.return
  }
  llvm.func @main(%arg0: !llvm.ptr, %arg1: !llvm.ptr) attributes {qops.signature = (tensor<1x4xf32>) -> tensor<1x4xf32>} {
    %c = llvm.mlir.constant(0 : i64) : i64
    llvm.call @deep(%c) : (i64) -> ()
    llvm.return
  }
}
