func.func @main(%x: tensor<1x4x4x8xf32>, %y: tensor<1x2x2x8xf32>) -> tensor<1x2x2x24xf32> {
  %p = qops.max_pool2d %x kernel [2, 2] stride [2, 2] pad [0, 0, 0, 0] : tensor<1x4x4x8xf32>
  %c = qops.concat %p, %y axis 3 : (tensor<1x2x2x8xf32>, tensor<1x2x2x8xf32>) -> tensor<1x2x2x16xf32>
  %s = qops.sigmoid %x : tensor<1x4x4x8xf32> -> tensor<1x4x4x8xf32>
  %sp = qops.max_pool2d %s kernel [2, 2] stride [2, 2] pad [0, 0, 0, 0] : tensor<1x4x4x8xf32>
  %d = qops.concat %sp, %c axis 3 : (tensor<1x2x2x8xf32>, tensor<1x2x2x16xf32>) -> tensor<1x2x2x24xf32>
  return %d : tensor<1x2x2x24xf32>
}
