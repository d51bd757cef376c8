// A quantized conv2d with constant weights: lowered to a packed int8 kernel.
func.func @conv(%x: tensor<1x4x5x6x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<1x4x5x20x!quant.uniform<u8:f32, 0.25:7>> {
  %w = arith.constant dense<0.5> : tensor<20x3x3x6xf32>
  %wq = qops.quantize %w : tensor<20x3x3x6xf32> -> tensor<20x3x3x6x!quant.uniform<i8<-127:127>:f32, 0.125>>
  %y = qops.conv2d %x, %wq stride [1, 1] pad [1, 1, 1, 1] dilation [1, 1] groups 1 {clamp_min = 0.0 : f32}
     : (tensor<1x4x5x6x!quant.uniform<u8:f32, 0.5:3>>, tensor<20x3x3x6x!quant.uniform<i8<-127:127>:f32, 0.125>>) -> tensor<1x4x5x20x!quant.uniform<u8:f32, 0.25:7>>
  return %y : tensor<1x4x5x20x!quant.uniform<u8:f32, 0.25:7>>
}
