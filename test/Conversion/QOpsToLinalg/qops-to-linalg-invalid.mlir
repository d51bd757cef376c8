// RUN: quant-opt %s -split-input-file -verify-diagnostics --convert-qops-to-linalg

// A quantized op without an integer implementation is named, never
// silently computed in float.
func.func @quantized_sigmoid(%x: tensor<4x!quant.uniform<u8:f32, 0.1>>) -> tensor<4x!quant.uniform<u8:f32, 0.00390625>> {
  // expected-error@+1 {{'qops.sigmoid' op cannot be lowered to linalg: it has no integer implementation (keep it in float between qops.dequantize and qops.quantize)}}
  %0 = qops.sigmoid %x : tensor<4x!quant.uniform<u8:f32, 0.1>> -> tensor<4x!quant.uniform<u8:f32, 0.00390625>>
  return %0 : tensor<4x!quant.uniform<u8:f32, 0.00390625>>
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
