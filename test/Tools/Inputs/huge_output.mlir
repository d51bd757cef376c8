// A 4-element input padded to 2^46 + 4 f32 elements: a 256 TiB result,
// more than the address space, which quant-run cannot allocate.
func.func @main(%x: tensor<1x4xf32>) -> tensor<1x70368744177668xf32> {
  %y = qops.pad %x pad [0, 0, 0, 70368744177664] : tensor<1x4xf32>
  return %y : tensor<1x70368744177668xf32>
}
