func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %y = func.call @main(%x) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}
