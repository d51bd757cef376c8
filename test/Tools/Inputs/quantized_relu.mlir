func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4x!quant.uniform<u8:f32, 0.1>> {
  %q = qops.quantize %x : tensor<1x4xf32> -> tensor<1x4x!quant.uniform<u8:f32, 0.1>>
  %0 = qops.relu %q : tensor<1x4x!quant.uniform<u8:f32, 0.1>>
  return %0 : tensor<1x4x!quant.uniform<u8:f32, 0.1>>
}
