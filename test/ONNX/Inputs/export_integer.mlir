// A 2-D matmul with a bias (a 1x1 QLinearConv once quantized: QLinearMatMul
// has no bias) and a pad with a non-zero value (its quantized image).
func.func @main(%x: tensor<2x4xf32>) -> (tensor<2x3xf32>, tensor<2x6xf32>) {
  %w = arith.constant dense<[[0.5, -0.25, 1.0], [0.75, 0.5, -1.0], [0.1, 0.2, 0.3], [-0.4, 0.6, 0.2]]> : tensor<4x3xf32>
  %b = arith.constant dense<[0.1, -0.2, 0.3]> : tensor<3xf32>
  %y = qops.matmul %x, %w, %b : (tensor<2x4xf32>, tensor<4x3xf32>, tensor<3xf32>) -> tensor<2x3xf32> loc("matmul_bias")
  %p = qops.pad %x pad [0, 0, 1, 1] value 1.0 : tensor<2x4xf32> loc("pad_one")
  return %y, %p : tensor<2x3xf32>, tensor<2x6xf32>
}
