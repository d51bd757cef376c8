// Ranges: x in [-10, 9] over the data below; relu(x) in [0, 9];
// 2 * relu(x) in [0, 18]. The relu has a range already (kept).
func.func @main(%x: tensor<1x5xf32>) -> tensor<1x5xf32> {
  %r = qops.relu %x : tensor<1x5xf32>
  %c = arith.constant dense<2.0> : tensor<5xf32>
  %y = qops.mul %r, %c : (tensor<1x5xf32>, tensor<5xf32>) -> tensor<1x5xf32> loc("double")
  return %y : tensor<1x5xf32>
}

func.func @preset(%x: tensor<1x5xf32>) -> tensor<1x5xf32> {
  %r = qops.relu %x {qops.range = array<f64: -1.0, 1.0>} : tensor<1x5xf32> loc("preset_relu")
  return %r : tensor<1x5xf32>
}

func.func @wide(%x: tensor<1x1000xf32>) -> tensor<1x1000xf32> {
  %r = qops.relu %x : tensor<1x1000xf32> loc("wide_relu")
  return %r : tensor<1x1000xf32>
}
