// RUN: quant-opt %s -split-input-file -canonicalize | FileCheck %s

// CHECK-LABEL: func.func @relu_of_relu
// CHECK-SAME: (%[[X:.+]]: tensor<4xf32>)
// CHECK-NEXT: %[[R:.+]] = qops.relu %[[X]] : tensor<4xf32>
// CHECK-NEXT: return %[[R]]
func.func @relu_of_relu(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qops.relu %x : tensor<4xf32>
  %1 = qops.relu %0 : tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @relu_of_relu6
// CHECK-NEXT: %[[R:.+]] = qops.relu6
// CHECK-NEXT: return %[[R]]
func.func @relu_of_relu6(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qops.relu6 %x : tensor<4xf32>
  %1 = qops.relu %0 : tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @relu6_of_relu6
// CHECK-NEXT: %[[R:.+]] = qops.relu6
// CHECK-NEXT: return %[[R]]
func.func @relu6_of_relu6(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qops.relu6 %x : tensor<4xf32>
  %1 = qops.relu6 %0 : tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @relu6_of_relu
// CHECK-SAME: (%[[X:.+]]: tensor<4x!quant.uniform<u8:f32, 1.000000e-01>>)
// CHECK-NEXT: %[[R:.+]] = qops.relu6 %[[X]]
// CHECK-NEXT: return %[[R]]
func.func @relu6_of_relu(%x: tensor<4x!quant.uniform<u8:f32, 0.1>>) -> tensor<4x!quant.uniform<u8:f32, 0.1>> {
  %0 = qops.relu %x : tensor<4x!quant.uniform<u8:f32, 0.1>>
  %1 = qops.relu6 %0 : tensor<4x!quant.uniform<u8:f32, 0.1>>
  return %1 : tensor<4x!quant.uniform<u8:f32, 0.1>>
}

// -----

// Clamp is not relu: relu(clamp(x)) keeps both ops (the clamp's lower bound
// may be negative).
// CHECK-LABEL: func.func @relu_of_clamp_negative
// CHECK: qops.clamp
// CHECK: qops.relu
func.func @relu_of_clamp_negative(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qops.clamp %x min -1.0 max 1.0 : tensor<4xf32>
  %1 = qops.relu %0 : tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_identity
// CHECK-SAME: (%[[X:.+]]: tensor<2x8xf32>)
// CHECK-NEXT: return %[[X]]
func.func @reshape_identity(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %0 = qops.reshape %x : tensor<2x8xf32> -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_of_reshape
// CHECK-SAME: (%[[X:.+]]: tensor<2x8xf32>)
// CHECK-NEXT: %[[R:.+]] = qops.reshape %[[X]] : tensor<2x8xf32> -> tensor<4x4xf32>
// CHECK-NEXT: return %[[R]]
func.func @reshape_of_reshape(%x: tensor<2x8xf32>) -> tensor<4x4xf32> {
  %0 = qops.reshape %x : tensor<2x8xf32> -> tensor<16xf32>
  %1 = qops.reshape %0 : tensor<16xf32> -> tensor<4x4xf32>
  return %1 : tensor<4x4xf32>
}

// -----

// A round trip through reshapes disappears.
// CHECK-LABEL: func.func @reshape_round_trip
// CHECK-SAME: (%[[X:.+]]: tensor<2x8xf32>)
// CHECK-NEXT: return %[[X]]
func.func @reshape_round_trip(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %0 = qops.reshape %x : tensor<2x8xf32> -> tensor<16xf32>
  %1 = qops.reshape %0 : tensor<16xf32> -> tensor<2x8xf32>
  return %1 : tensor<2x8xf32>
}

// -----

// CHECK-LABEL: func.func @flatten_identity
// CHECK-SAME: (%[[X:.+]]: tensor<1x64xf32>)
// CHECK-NEXT: return %[[X]]
func.func @flatten_identity(%x: tensor<1x64xf32>) -> tensor<1x64xf32> {
  %0 = qops.flatten %x axis 1 : tensor<1x64xf32>
  return %0 : tensor<1x64xf32>
}

// -----

// CHECK-LABEL: func.func @concat_single_input
// CHECK-SAME: (%[[X:.+]]: tensor<1x4xf32>)
// CHECK-NEXT: return %[[X]]
func.func @concat_single_input(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %0 = qops.concat %x axis 1 : (tensor<1x4xf32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}

// -----

// A single quantized input with other parameters is a requantization and
// must stay.
// CHECK-LABEL: func.func @concat_single_input_rescaled_negative
// CHECK: qops.concat
func.func @concat_single_input_rescaled_negative(%x: tensor<1x4x!quant.uniform<u8:f32, 0.1>>) -> tensor<1x4x!quant.uniform<u8:f32, 0.2>> {
  %0 = qops.concat %x axis 1 : (tensor<1x4x!quant.uniform<u8:f32, 0.1>>) -> tensor<1x4x!quant.uniform<u8:f32, 0.2>>
  return %0 : tensor<1x4x!quant.uniform<u8:f32, 0.2>>
}

// -----

// CHECK-LABEL: func.func @pad_zero
// CHECK-SAME: (%[[X:.+]]: tensor<1x4xf32>)
// CHECK-NEXT: return %[[X]]
func.func @pad_zero(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %0 = qops.pad %x pad [0, 0, 0, 0] value 3.0 : tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_identity
// CHECK-SAME: (%[[X:.+]]: tensor<1x3x8xf32>)
// CHECK-NEXT: return %[[X]]
func.func @transpose_identity(%x: tensor<1x3x8xf32>) -> tensor<1x3x8xf32> {
  %0 = qops.transpose %x perm [0, 1, 2] : tensor<1x3x8xf32>
  return %0 : tensor<1x3x8xf32>
}

// -----

// NCHW -> NHWC -> NCHW cancels out.
// CHECK-LABEL: func.func @transpose_inverse_pair
// CHECK-SAME: (%[[X:.+]]: tensor<1x3x8x6xf32>)
// CHECK-NEXT: return %[[X]]
func.func @transpose_inverse_pair(%x: tensor<1x3x8x6xf32>) -> tensor<1x3x8x6xf32> {
  %0 = qops.transpose %x perm [0, 2, 3, 1] : tensor<1x3x8x6xf32>
  %1 = qops.transpose %0 perm [0, 3, 1, 2] : tensor<1x8x6x3xf32>
  return %1 : tensor<1x3x8x6xf32>
}

// -----

// Two transposes compose into one: result dim i is x's dim inner[outer[i]].
// CHECK-LABEL: func.func @transpose_compose
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x5xf32>)
// CHECK-NEXT: %[[T:.+]] = qops.transpose %[[X]] perm [2, 1, 0] : tensor<2x3x5xf32>
// CHECK-NEXT: return %[[T]] : tensor<5x3x2xf32>
func.func @transpose_compose(%x: tensor<2x3x5xf32>) -> tensor<5x3x2xf32> {
  %0 = qops.transpose %x perm [1, 2, 0] : tensor<2x3x5xf32>
  %1 = qops.transpose %0 perm [1, 0, 2] : tensor<3x5x2xf32>
  return %1 : tensor<5x3x2xf32>
}

// -----

// CHECK-LABEL: func.func @quantize_of_dequantize
// CHECK-SAME: (%[[Q:.+]]: tensor<4x!quant.uniform<u8:f32, 5.000000e-02:128>>)
// CHECK-NEXT: return %[[Q]]
func.func @quantize_of_dequantize(%q: tensor<4x!quant.uniform<u8:f32, 0.05:128>>) -> tensor<4x!quant.uniform<u8:f32, 0.05:128>> {
  %0 = qops.dequantize %q : tensor<4x!quant.uniform<u8:f32, 0.05:128>> -> tensor<4xf32>
  %1 = qops.quantize %0 : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.05:128>>
  return %1 : tensor<4x!quant.uniform<u8:f32, 0.05:128>>
}

// -----

// With other parameters the pair rounds and saturates: it is not a no-op.
// CHECK-LABEL: func.func @quantize_of_dequantize_rescaled_negative
// CHECK: qops.dequantize
// CHECK: qops.quantize
func.func @quantize_of_dequantize_rescaled_negative(%q: tensor<4x!quant.uniform<u8:f32, 0.05:128>>) -> tensor<4x!quant.uniform<u8:f32, 0.1:128>> {
  %0 = qops.dequantize %q : tensor<4x!quant.uniform<u8:f32, 0.05:128>> -> tensor<4xf32>
  %1 = qops.quantize %0 : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.1:128>>
  return %1 : tensor<4x!quant.uniform<u8:f32, 0.1:128>>
}

// -----

// dequantize(quantize(x)) loses precision: it must stay.
// CHECK-LABEL: func.func @dequantize_of_quantize_negative
// CHECK: qops.quantize
// CHECK: qops.dequantize
func.func @dequantize_of_quantize_negative(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qops.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.05:128>>
  %1 = qops.dequantize %0 : tensor<4x!quant.uniform<u8:f32, 0.05:128>> -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @requantize_identity
// CHECK-SAME: (%[[Q:.+]]: tensor<4x!quant.uniform<i8:f32, 5.000000e-02>>)
// CHECK-NEXT: return %[[Q]]
func.func @requantize_identity(%q: tensor<4x!quant.uniform<i8:f32, 0.05>>) -> tensor<4x!quant.uniform<i8:f32, 0.05>> {
  %0 = qops.requantize %q : tensor<4x!quant.uniform<i8:f32, 0.05>> -> tensor<4x!quant.uniform<i8:f32, 0.05>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.05>>
}

// -----

// Two requantizations round twice; folding them could change results.
// CHECK-LABEL: func.func @requantize_chain_negative
// CHECK: qops.requantize
// CHECK: qops.requantize
func.func @requantize_chain_negative(%q: tensor<4x!quant.uniform<i8:f32, 0.05>>) -> tensor<4x!quant.uniform<i8:f32, 0.2>> {
  %0 = qops.requantize %q : tensor<4x!quant.uniform<i8:f32, 0.05>> -> tensor<4x!quant.uniform<i8:f32, 0.1>>
  %1 = qops.requantize %0 : tensor<4x!quant.uniform<i8:f32, 0.1>> -> tensor<4x!quant.uniform<i8:f32, 0.2>>
  return %1 : tensor<4x!quant.uniform<i8:f32, 0.2>>
}
