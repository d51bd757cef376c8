func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %0 = qops.relu %x : tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}

func.func @two(%a: tensor<1x4xf32>, %b: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %0 = qops.add %a, %b : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}
