// Entry functions with callers and with several blocks.

// @main is called twice by @twice: calibrating @main must not change its
// signature (the calls would no longer verify).
func.func @main(%x: tensor<1x5xf32>) -> tensor<1x5xf32> {
  %r = qops.relu %x : tensor<1x5xf32> loc("relu")
  return %r : tensor<1x5xf32>
}

func.func @twice(%x: tensor<1x5xf32>) -> tensor<1x5xf32> {
  %a = func.call @main(%x) : (tensor<1x5xf32>) -> tensor<1x5xf32>
  %b = func.call @main(%a) : (tensor<1x5xf32>) -> tensor<1x5xf32>
  return %b : tensor<1x5xf32>
}

// Three blocks, the returning one in the middle: the relu of the entry
// block reaches the return through block arguments; the mul is in the
// returning block.
func.func @blocks(%x: tensor<1x5xf32>) -> tensor<1x5xf32> {
  %r = qops.relu %x : tensor<1x5xf32> loc("blocks_relu")
  cf.br ^bb2(%r : tensor<1x5xf32>)
^bb1(%z: tensor<1x5xf32>):
  %c = arith.constant dense<2.0> : tensor<5xf32>
  %m = qops.mul %z, %c : (tensor<1x5xf32>, tensor<5xf32>) -> tensor<1x5xf32> loc("blocks_double")
  return %m : tensor<1x5xf32>
^bb2(%y: tensor<1x5xf32>):
  cf.br ^bb1(%y : tensor<1x5xf32>)
}

// A diamond: the relu is computed on one path only.
func.func @diamond(%x: tensor<1x5xf32>) -> tensor<1x5xf32> {
  %p = arith.constant true
  cf.cond_br %p, ^a, ^b
^a:
  %r = qops.relu %x : tensor<1x5xf32> loc("branch_relu")
  cf.br ^done(%r : tensor<1x5xf32>)
^b:
  cf.br ^done(%x : tensor<1x5xf32>)
^done(%y: tensor<1x5xf32>):
  return %y : tensor<1x5xf32>
}
