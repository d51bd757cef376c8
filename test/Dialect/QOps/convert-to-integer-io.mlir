// RUN: quant-opt %s --convert-to-integer="integer-io=true" | FileCheck %s
// RUN: quant-opt %s --convert-to-integer | FileCheck %s --check-prefix=FLOATIO

!a = !quant.uniform<u8:f32, 0.02:128>

// integer-io: the argument takes its quantize's type and the dequantized
// result is returned quantized; by default the signature stays float.
// CHECK-LABEL: func.func @io
// CHECK-SAME: (%[[ARG:.+]]: tensor<1x4x4x8x!quant.uniform<u8:f32, 2.000000e-02:128>>) -> tensor<1x2x2x8x!quant.uniform<u8:f32, 2.000000e-02:128>>
// CHECK-NEXT: %[[P:.+]] = qops.max_pool2d %[[ARG]]
// CHECK-NEXT: return %[[P]]
// FLOATIO: func.func @io(%{{.+}}: tensor<1x4x4x8xf32>) -> tensor<1x2x2x8xf32>
// FLOATIO: qops.quantize
// FLOATIO: qops.max_pool2d
// FLOATIO: qops.dequantize
func.func @io(%x: tensor<1x4x4x8xf32>) -> tensor<1x2x2x8xf32> {
  %q = qops.quantize %x : tensor<1x4x4x8xf32> -> tensor<1x4x4x8x!a>
  %d = qops.dequantize %q : tensor<1x4x4x8x!a> -> tensor<1x4x4x8xf32>
  %p = qops.max_pool2d %d kernel [2, 2] stride [2, 2] pad [0, 0, 0, 0] : tensor<1x4x4x8xf32>
  %pq = qops.quantize %p : tensor<1x2x2x8xf32> -> tensor<1x2x2x8x!a>
  %pd = qops.dequantize %pq : tensor<1x2x2x8x!a> -> tensor<1x2x2x8xf32>
  return %pd : tensor<1x2x2x8xf32>
}
