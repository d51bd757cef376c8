// RUN: quant-opt %s -split-input-file -verify-diagnostics --convert-qops-to-linalg

// Quantized ops are not lowered by this pass: each is named, nothing is
// silently kept.
func.func @quantized_relu(%x: tensor<4x!quant.uniform<u8:f32, 0.1>>) -> tensor<4x!quant.uniform<u8:f32, 0.1>> {
  // expected-error@+1 {{'qops.relu' op cannot be lowered to linalg: the quantized domain is not supported by this lowering yet}}
  %0 = qops.relu %x : tensor<4x!quant.uniform<u8:f32, 0.1>>
  return %0 : tensor<4x!quant.uniform<u8:f32, 0.1>>
}

// -----

// Requantization targets per-tensor activations; a per-axis result is not
// lowered.
func.func @requantize_to_per_axis(%x: tensor<2x!quant.uniform<i32:f32, 0.1>>) -> tensor<2x!quant.uniform<i8:f32:0, {0.1, 0.2}>> {
  // expected-error@+1 {{'qops.requantize' op cannot be lowered to linalg: requantization to a per-axis type is not supported}}
  %0 = qops.requantize %x : tensor<2x!quant.uniform<i32:f32, 0.1>> -> tensor<2x!quant.uniform<i8:f32:0, {0.1, 0.2}>>
  return %0 : tensor<2x!quant.uniform<i8:f32:0, {0.1, 0.2}>>
}

// -----

func.func @dynamic(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error@+1 {{'qops.relu' op cannot be lowered to linalg: dynamic shapes are not supported}}
  %0 = qops.relu %x : tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}
