// A function that returns one of its arguments (MLIR 22 crashes in
// buffer-results-to-out-params without qops-copy-returned-arguments).
func.func @main(%x: tensor<1x4xf32>) -> (tensor<1x4xf32>, tensor<1x4xf32>) {
  %0 = qops.relu %x : tensor<1x4xf32>
  return %0, %x : tensor<1x4xf32>, tensor<1x4xf32>
}
