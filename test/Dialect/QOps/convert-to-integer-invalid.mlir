// RUN: not quant-opt %s --convert-to-integer="allow-float-fallback=false" 2>&1 | FileCheck %s --check-prefix=STRICT
// RUN: not quant-opt %s --convert-to-integer="requant=double" 2>&1 | FileCheck %s --check-prefix=MODE

!a = !quant.uniform<u8:f32, 0.02:128>
!p = !quant.uniform<u8:f32, 0.00392156862745098>

// STRICT: convert-to-integer-invalid.mlir:[[# @LINE + 4]]:8: error: cannot be converted to integer arithmetic: it has no integer implementation (allow-float-fallback=false)
// MODE: error: --convert-to-integer: unknown requant mode 'double' (expected float or fixed-point)
func.func @strict(%q: tensor<1x10x!a>) -> tensor<1x10x!p> {
  %d = qops.dequantize %q : tensor<1x10x!a> -> tensor<1x10xf32>
  %s = qops.softmax %d axis -1 : tensor<1x10xf32> -> tensor<1x10xf32>
  %sq = qops.quantize %s : tensor<1x10xf32> -> tensor<1x10x!p>
  return %sq : tensor<1x10x!p>
}
