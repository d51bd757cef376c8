func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %y = func.call @a(%x) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}
func.func private @a(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %y = func.call @b(%x) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}
func.func private @b(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %y = func.call @a(%x) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}
