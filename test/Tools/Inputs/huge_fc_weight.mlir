func.func @main(%x: tensor<1x1099511627776xf32>) -> tensor<1x4xf32> {
  %w = arith.constant dense<1.0> : tensor<4x1099511627776xf32>
  %y = qops.fully_connected %x, %w : (tensor<1x1099511627776xf32>, tensor<4x1099511627776xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}
