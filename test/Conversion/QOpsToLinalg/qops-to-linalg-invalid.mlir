// RUN: quant-opt %s -split-input-file -verify-diagnostics --convert-qops-to-linalg

// Quantized ops are not lowered by this pass: each is named, nothing is
// silently kept.
func.func @quantized_relu(%x: tensor<4x!quant.uniform<u8:f32, 0.1>>) -> tensor<4x!quant.uniform<u8:f32, 0.1>> {
  // expected-error@+1 {{'qops.relu' op cannot be lowered to linalg: the quantized domain is not supported by this lowering yet}}
  %0 = qops.relu %x : tensor<4x!quant.uniform<u8:f32, 0.1>>
  return %0 : tensor<4x!quant.uniform<u8:f32, 0.1>>
}

// -----

func.func @quantize(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{'qops.quantize' op cannot be lowered to linalg}}
  %0 = qops.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.1>>
  // expected-error@+1 {{'qops.dequantize' op cannot be lowered to linalg}}
  %1 = qops.dequantize %0 : tensor<4x!quant.uniform<u8:f32, 0.1>> -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

func.func @dynamic(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error@+1 {{'qops.relu' op cannot be lowered to linalg: dynamic shapes are not supported}}
  %0 = qops.relu %x : tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}
