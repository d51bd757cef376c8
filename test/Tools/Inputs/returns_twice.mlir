// A function returning the same value twice (MLIR 22 crashes in
// buffer-results-to-out-params without qops-copy-returned-arguments).
func.func @main(%x: tensor<1x4xf32>) -> (tensor<1x4xf32>, tensor<1x4xf32>) {
  %0 = qops.softmax %x axis -1 : tensor<1x4xf32> -> tensor<1x4xf32>
  return %0, %0 : tensor<1x4xf32>, tensor<1x4xf32>
}
