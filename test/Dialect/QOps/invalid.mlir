// RUN: quant-opt %s -split-input-file -verify-diagnostics

// Every diagnostic of the qops verifiers, one case each. Cases are named
// after the constraint they check.

//===----------------------------------------------------------------------===//
// Quantized types (every op)
//===----------------------------------------------------------------------===//

// quant_zero_point_in_storage_range
func.func @quant_zero_point_in_storage_range(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qops.quantize' op result #0 has zero point 300 outside the storage range [-128, 127]}}
  %0 = qops.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.5:300>>
  return
}

// -----

// quant_zero_point_in_narrow_storage_range
func.func @quant_zero_point_in_narrow_storage_range(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{result #0 has zero point -128 at index 1 of its quantized dimension outside the storage range [-127, 127]}}
  %0 = qops.quantize %x : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8<-127:127>:f32:0, {0.5:0, 0.25:-128}>>
  return
}

// -----

// quant_axis_in_rank
func.func @quant_axis_in_rank(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'qops.quantize' op result #0 is quantized along dimension 2, out of range for rank 2}}
  %0 = qops.quantize %x : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8:f32:2, {0.5, 0.25}>>
  return
}

// -----

// quant_scale_count_matches_axis
func.func @quant_scale_count_matches_axis(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{'qops.quantize' op result #0 has 2 per-axis scales but its quantized dimension 1 has size 3}}
  %0 = qops.quantize %x : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0.25}>>
  return
}

// -----

// quant_expressed_type_f32
func.func @quant_expressed_type_f32(%x: tensor<4x!quant.uniform<i8:f16, 0.5>>) {
  // expected-error@+1 {{'qops.dequantize' op operand #0 has expressed type 'f16'; qops quantizes f32 values only}}
  %0 = qops.dequantize %x : tensor<4x!quant.uniform<i8:f16, 0.5>> -> tensor<4xf32>
  return
}

// -----

// same_domain
func.func @same_domain(%x: tensor<1x4x!quant.uniform<u8:f32, 0.05:128>>, %y: tensor<1x4xf32>) {
  // expected-error@+1 {{'qops.add' op mixes float and quantized tensors: operand #0 is 'tensor<1x4x!quant.uniform<u8:f32, 5.000000e-02:128>>' but operand #1 is 'tensor<1x4xf32>'; an op computes either in f32 or in integers}}
  %0 = qops.add %x, %y : (tensor<1x4x!quant.uniform<u8:f32, 0.05:128>>, tensor<1x4xf32>) -> tensor<1x4xf32>
  return
}

//===----------------------------------------------------------------------===//
// conv2d
//===----------------------------------------------------------------------===//

// -----

// conv2d_input_rank
func.func @conv2d_input_rank(%x: tensor<8x8x3xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{'qops.conv2d' op expects input of rank 4 (NHWC), got rank 3}}
  %0 = qops.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 : (tensor<8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

// conv2d_weight_rank
func.func @conv2d_weight_rank(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3xf32>) {
  // expected-error@+1 {{'qops.conv2d' op expects weight of rank 4 (OHWI), got rank 3}}
  %0 = qops.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 : (tensor<1x8x8x3xf32>, tensor<4x3x3xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

// conv2d_result_rank
func.func @conv2d_result_rank(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{'qops.conv2d' op expects result of rank 4 (NHWC), got rank 2}}
  %0 = qops.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<36x4xf32>
  return
}

// -----

// conv2d_stride_size
func.func @conv2d_stride_size(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{'qops.conv2d' op expects 'stride' to have 2 values, got 3}}
  %0 = qops.conv2d %x, %w stride [1, 1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

// conv2d_stride_positive
func.func @conv2d_stride_positive(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{'qops.conv2d' op expects 'stride' values to be positive, got [1, 0]}}
  %0 = qops.conv2d %x, %w stride [1, 0] pad [0, 0, 0, 0] dilation [1, 1] groups 1 : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

// conv2d_dilation_positive
func.func @conv2d_dilation_positive(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{'qops.conv2d' op expects 'dilation' values to be positive, got [-1, 1]}}
  %0 = qops.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [-1, 1] groups 1 : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

// conv2d_pad_size
func.func @conv2d_pad_size(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{'qops.conv2d' op expects 'pad' to have 4 values, got 2}}
  %0 = qops.conv2d %x, %w stride [1, 1] pad [1, 1] dilation [1, 1] groups 1 : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x8x8x4xf32>
  return
}

// -----

// conv2d_pad_non_negative
func.func @conv2d_pad_non_negative(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{'qops.conv2d' op expects 'pad' values to be non-negative, got [0, -1, 0, 0]}}
  %0 = qops.conv2d %x, %w stride [1, 1] pad [0, -1, 0, 0] dilation [1, 1] groups 1 : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x5x6x4xf32>
  return
}

// -----

// conv2d_groups_positive
func.func @conv2d_groups_positive(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{'qops.conv2d' op expects 'groups' to be positive, got 0}}
  %0 = qops.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 0 : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

// conv2d_input_channels_divisible_by_groups
func.func @conv2d_input_channels_divisible_by_groups(%x: tensor<1x8x8x6xf32>, %w: tensor<8x3x3x1xf32>) {
  // expected-error@+1 {{'qops.conv2d' op expects input channels (6) to be divisible by groups (4)}}
  %0 = qops.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 4 : (tensor<1x8x8x6xf32>, tensor<8x3x3x1xf32>) -> tensor<1x6x6x8xf32>
  return
}

// -----

// conv2d_output_channels_divisible_by_groups
func.func @conv2d_output_channels_divisible_by_groups(%x: tensor<1x8x8x6xf32>, %w: tensor<4x3x3x2xf32>) {
  // expected-error@+1 {{'qops.conv2d' op expects output channels (4) to be divisible by groups (3)}}
  %0 = qops.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 3 : (tensor<1x8x8x6xf32>, tensor<4x3x3x2xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

// conv2d_weight_channels_match_groups
func.func @conv2d_weight_channels_match_groups(%x: tensor<1x8x8x8xf32>, %w: tensor<8x3x3x8xf32>) {
  // A depthwise convolution (groups == channels) needs weights [O, KH, KW, 1].
  // expected-error@+1 {{'qops.conv2d' op expects weight dimension 3 to be input channels / groups = 1, got 8}}
  %0 = qops.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 8 : (tensor<1x8x8x8xf32>, tensor<8x3x3x8xf32>) -> tensor<1x6x6x8xf32>
  return
}

// -----

// conv2d_window_fits_padded_input
func.func @conv2d_window_fits_padded_input(%x: tensor<1x4x4x3xf32>, %w: tensor<4x3x3x3xf32>) {
  // Dilation 2 makes the 3x3 kernel span 5x5, more than the 4x4 input.
  // expected-error@+1 {{'qops.conv2d' op expects the window 5x5 to fit in the padded input [4, 4]}}
  %0 = qops.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [2, 2] groups 1 : (tensor<1x4x4x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x1x1x4xf32>
  return
}

// -----

// conv2d_result_shape
func.func @conv2d_result_shape(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{'qops.conv2d' op expects result shape [1, 4, 4, 4], got [1, 8, 8, 4]}}
  %0 = qops.conv2d %x, %w stride [2, 2] pad [1, 1, 1, 1] dilation [1, 1] groups 1 : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x8x8x4xf32>
  return
}

// -----

// conv2d_bias_shape
func.func @conv2d_bias_shape(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<3xf32>) {
  // expected-error@+1 {{'qops.conv2d' op expects bias of shape [4], got [3]}}
  %0 = qops.conv2d %x, %w, %b stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>, tensor<3xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

// conv2d_quantized_bias_storage_i32
func.func @conv2d_quantized_bias_storage_i32(%x: tensor<1x1x1x2x!quant.uniform<u8:f32, 0.05:128>>, %w: tensor<2x1x1x2x!quant.uniform<i8:f32, 0.01>>, %b: tensor<2x!quant.uniform<i16:f32, 5.0e-4>>) {
  // expected-error@+1 {{'qops.conv2d' op expects quantized bias with i32 storage, got 'i16'}}
  %0 = qops.conv2d %x, %w, %b stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 : (tensor<1x1x1x2x!quant.uniform<u8:f32, 0.05:128>>, tensor<2x1x1x2x!quant.uniform<i8:f32, 0.01>>, tensor<2x!quant.uniform<i16:f32, 5.0e-4>>) -> tensor<1x1x1x2x!quant.uniform<u8:f32, 0.1:120>>
  return
}

// -----

// conv2d_quantized_bias_zero_point
func.func @conv2d_quantized_bias_zero_point(%x: tensor<1x1x1x2x!quant.uniform<u8:f32, 0.05:128>>, %w: tensor<2x1x1x2x!quant.uniform<i8:f32, 0.01>>, %b: tensor<2x!quant.uniform<i32:f32, 5.0e-4:3>>) {
  // expected-error@+1 {{'qops.conv2d' op expects quantized bias with zero point 0}}
  %0 = qops.conv2d %x, %w, %b stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 : (tensor<1x1x1x2x!quant.uniform<u8:f32, 0.05:128>>, tensor<2x1x1x2x!quant.uniform<i8:f32, 0.01>>, tensor<2x!quant.uniform<i32:f32, 5.0e-4:3>>) -> tensor<1x1x1x2x!quant.uniform<u8:f32, 0.1:120>>
  return
}

// -----

// conv2d_quantized_bias_scale
func.func @conv2d_quantized_bias_scale(%x: tensor<1x1x1x2x!quant.uniform<u8:f32, 0.05:128>>, %w: tensor<2x1x1x2x!quant.uniform<i8:f32:0, {0.01, 0.02}>>, %b: tensor<2x!quant.uniform<i32:f32:0, {5.0e-4, 5.0e-4}>>) {
  // Channel 1 needs 0.05 * 0.02 = 1e-3.
  // expected-error@+1 {{'qops.conv2d' op expects bias scale at channel 1 to be input scale * weight scale = 1.000000e-03, got 5.000000e-04}}
  %0 = qops.conv2d %x, %w, %b stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 : (tensor<1x1x1x2x!quant.uniform<u8:f32, 0.05:128>>, tensor<2x1x1x2x!quant.uniform<i8:f32:0, {0.01, 0.02}>>, tensor<2x!quant.uniform<i32:f32:0, {5.0e-4, 5.0e-4}>>) -> tensor<1x1x1x2x!quant.uniform<u8:f32, 0.1:120>>
  return
}

// -----

// conv2d_quantized_input_per_tensor
func.func @conv2d_quantized_input_per_tensor(%x: tensor<1x1x1x2x!quant.uniform<u8:f32:3, {0.05:128, 0.05:128}>>, %w: tensor<2x1x1x2x!quant.uniform<i8:f32, 0.01>>) {
  // expected-error@+1 {{'qops.conv2d' op expects input to be quantized per tensor, got 'tensor<1x1x1x2x!quant.uniform<u8:f32:3, {5.000000e-02:128,5.000000e-02:128}>>'}}
  %0 = qops.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 : (tensor<1x1x1x2x!quant.uniform<u8:f32:3, {0.05:128, 0.05:128}>>, tensor<2x1x1x2x!quant.uniform<i8:f32, 0.01>>) -> tensor<1x1x1x2x!quant.uniform<u8:f32, 0.1:120>>
  return
}

// -----

// conv2d_quantized_weight_axis
func.func @conv2d_quantized_weight_axis(%x: tensor<1x1x1x2x!quant.uniform<u8:f32, 0.05:128>>, %w: tensor<2x1x1x2x!quant.uniform<i8:f32:3, {0.01, 0.02}>>) {
  // expected-error@+1 {{'qops.conv2d' op expects per-axis weight quantization along dimension 0 (output channels), got dimension 3}}
  %0 = qops.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 : (tensor<1x1x1x2x!quant.uniform<u8:f32, 0.05:128>>, tensor<2x1x1x2x!quant.uniform<i8:f32:3, {0.01, 0.02}>>) -> tensor<1x1x1x2x!quant.uniform<u8:f32, 0.1:120>>
  return
}

// -----

// fully_connected_weight_axis_before_bias: the weight's 3 scales along
// dimension 1 must be rejected before the bias check reads scale #3.
func.func @fully_connected_weight_axis_before_bias(%x: tensor<1x3x!quant.uniform<u8:f32, 0.05:128>>, %w: tensor<4x3x!quant.uniform<i8:f32:1, {0.01, 0.02, 0.03}>>, %b: tensor<4x!quant.uniform<i32:f32, 5.0e-4>>) {
  // expected-error@+1 {{'qops.fully_connected' op expects per-axis weight quantization along dimension 0 (output features), got dimension 1}}
  %0 = qops.fully_connected %x, %w, %b : (tensor<1x3x!quant.uniform<u8:f32, 0.05:128>>, tensor<4x3x!quant.uniform<i8:f32:1, {0.01, 0.02, 0.03}>>, tensor<4x!quant.uniform<i32:f32, 5.0e-4>>) -> tensor<1x4x!quant.uniform<u8:f32, 0.1:120>>
  return
}

// -----

// conv2d_fused_clamp_finite
func.func @conv2d_fused_clamp_finite(%x: tensor<1x4x4x3xf32>, %w: tensor<2x1x1x3xf32>) {
  // expected-error@+1 {{'qops.conv2d' op expects finite fused clamp bounds (omit a bound to leave it open), got 0.000000e+00 : f32 and 0x7F800000 : f32}}
  %0 = qops.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 {clamp_max = 0x7F800000 : f32, clamp_min = 0.0 : f32} : (tensor<1x4x4x3xf32>, tensor<2x1x1x3xf32>) -> tensor<1x4x4x2xf32>
  return
}

// -----

// add_fused_clamp_ordered
func.func @add_fused_clamp_ordered(%a: tensor<4xf32>, %b: tensor<4xf32>) {
  // expected-error@+1 {{'qops.add' op expects clamp_min <= clamp_max, got 6.000000e+00 > 0.000000e+00}}
  %0 = qops.add %a, %b {clamp_max = 0.0 : f32, clamp_min = 6.0 : f32} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

//===----------------------------------------------------------------------===//
// matmul / fully_connected
//===----------------------------------------------------------------------===//

// -----

// matmul_lhs_rank
func.func @matmul_lhs_rank(%a: tensor<4xf32>, %b: tensor<4x2xf32>) {
  // expected-error@+1 {{'qops.matmul' op expects lhs of rank 2 or 3, got rank 1}}
  %0 = qops.matmul %a, %b : (tensor<4xf32>, tensor<4x2xf32>) -> tensor<2xf32>
  return
}

// -----

// matmul_rhs_rank
func.func @matmul_rhs_rank(%a: tensor<3x4xf32>, %b: tensor<1x4x2xf32>) {
  // expected-error@+1 {{'qops.matmul' op expects rhs of rank 2 (the rank of lhs), got rank 3}}
  %0 = qops.matmul %a, %b : (tensor<3x4xf32>, tensor<1x4x2xf32>) -> tensor<3x2xf32>
  return
}

// -----

// matmul_contraction_size
func.func @matmul_contraction_size(%a: tensor<3x4xf32>, %b: tensor<5x2xf32>) {
  // expected-error@+1 {{'qops.matmul' op expects matching contraction sizes, got lhs [3, 4] and rhs [5, 2]}}
  %0 = qops.matmul %a, %b : (tensor<3x4xf32>, tensor<5x2xf32>) -> tensor<3x2xf32>
  return
}

// -----

// matmul_batch_size
func.func @matmul_batch_size(%a: tensor<2x3x4xf32>, %b: tensor<3x4x2xf32>) {
  // expected-error@+1 {{'qops.matmul' op expects matching batch sizes, got lhs [2, 3, 4] and rhs [3, 4, 2]}}
  %0 = qops.matmul %a, %b : (tensor<2x3x4xf32>, tensor<3x4x2xf32>) -> tensor<2x3x2xf32>
  return
}

// -----

// matmul_result_shape
func.func @matmul_result_shape(%a: tensor<3x4xf32>, %b: tensor<4x2xf32>) {
  // expected-error@+1 {{'qops.matmul' op expects result shape [3, 2], got [2, 3]}}
  %0 = qops.matmul %a, %b : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<2x3xf32>
  return
}

// -----

// matmul_quantized_rhs_axis
func.func @matmul_quantized_rhs_axis(%a: tensor<3x2x!quant.uniform<i8:f32, 0.05>>, %b: tensor<2x2x!quant.uniform<i8:f32:0, {0.01, 0.02}>>) {
  // expected-error@+1 {{'qops.matmul' op expects per-axis rhs quantization along dimension 1 (columns), got dimension 0}}
  %0 = qops.matmul %a, %b : (tensor<3x2x!quant.uniform<i8:f32, 0.05>>, tensor<2x2x!quant.uniform<i8:f32:0, {0.01, 0.02}>>) -> tensor<3x2x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

// fully_connected_input_rank
func.func @fully_connected_input_rank(%x: tensor<1x1x8xf32>, %w: tensor<4x8xf32>) {
  // expected-error@+1 {{'qops.fully_connected' op expects input of rank 2 ([B, K]), got rank 3}}
  %0 = qops.fully_connected %x, %w : (tensor<1x1x8xf32>, tensor<4x8xf32>) -> tensor<1x4xf32>
  return
}

// -----

// fully_connected_features
func.func @fully_connected_features(%x: tensor<1x8xf32>, %w: tensor<4x6xf32>) {
  // expected-error@+1 {{'qops.fully_connected' op expects matching input features, got input [1, 8] and weight [4, 6]}}
  %0 = qops.fully_connected %x, %w : (tensor<1x8xf32>, tensor<4x6xf32>) -> tensor<1x4xf32>
  return
}

// -----

// fully_connected_result_per_tensor
func.func @fully_connected_result_per_tensor(%x: tensor<1x2x!quant.uniform<u8:f32, 0.05:128>>, %w: tensor<2x2x!quant.uniform<i8:f32, 0.01>>) {
  // expected-error@+1 {{'qops.fully_connected' op expects result to be quantized per tensor}}
  %0 = qops.fully_connected %x, %w : (tensor<1x2x!quant.uniform<u8:f32, 0.05:128>>, tensor<2x2x!quant.uniform<i8:f32, 0.01>>) -> tensor<1x2x!quant.uniform<u8:f32:1, {0.1:120, 0.1:120}>>
  return
}

//===----------------------------------------------------------------------===//
// batch_norm
//===----------------------------------------------------------------------===//

// -----

// batch_norm_float_only
func.func @batch_norm_float_only(%x: tensor<1x2x!quant.uniform<u8:f32, 0.05:128>>, %p: tensor<2x!quant.uniform<u8:f32, 0.05:128>>) {
  // expected-error@+1 {{'qops.batch_norm' op expects f32 tensors: batch normalization is folded into its producer before quantization}}
  %0 = qops.batch_norm %x, %p, %p, %p, %p epsilon 1.0e-5 : tensor<1x2x!quant.uniform<u8:f32, 0.05:128>>, tensor<2x!quant.uniform<u8:f32, 0.05:128>>
  return
}

// -----

// batch_norm_input_rank
func.func @batch_norm_input_rank(%x: tensor<4xf32>, %p: tensor<4xf32>) {
  // expected-error@+1 {{'qops.batch_norm' op expects input of rank >= 2 with channels last, got rank 1}}
  %0 = qops.batch_norm %x, %p, %p, %p, %p epsilon 1.0e-5 : tensor<4xf32>, tensor<4xf32>
  return
}

// -----

// batch_norm_parameter_shape
func.func @batch_norm_parameter_shape(%x: tensor<1x8x8x16xf32>, %p: tensor<8xf32>) {
  // expected-error@+1 {{'qops.batch_norm' op expects per-channel parameters of shape [16], got [8]}}
  %0 = qops.batch_norm %x, %p, %p, %p, %p epsilon 1.0e-5 : tensor<1x8x8x16xf32>, tensor<8xf32>
  return
}

// -----

// batch_norm_epsilon_non_negative
func.func @batch_norm_epsilon_non_negative(%x: tensor<1x16xf32>, %p: tensor<16xf32>) {
  // expected-error@+1 {{'qops.batch_norm' op expects a finite, non-negative epsilon, got -1.000000e-03}}
  %0 = qops.batch_norm %x, %p, %p, %p, %p epsilon -1.0e-3 : tensor<1x16xf32>, tensor<16xf32>
  return
}

// -----

// batch_norm_epsilon_finite
func.func @batch_norm_epsilon_finite(%x: tensor<1x16xf32>, %p: tensor<16xf32>) {
  // expected-error@+1 {{'qops.batch_norm' op expects a finite, non-negative epsilon, got nan}}
  %0 = qops.batch_norm %x, %p, %p, %p, %p epsilon 0x7FC00000 : tensor<1x16xf32>, tensor<16xf32>
  return
}

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

// -----

// clamp_bounds_finite
func.func @clamp_bounds_finite(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qops.clamp' op expects finite bounds, got min = 0.000000e+00, max = INF}}
  %0 = qops.clamp %x min 0.0 max 0x7F800000 : tensor<4xf32>
  return
}

// -----

// clamp_bounds_ordered
func.func @clamp_bounds_ordered(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qops.clamp' op expects min <= max, got min = 6.000000e+00, max = 0.000000e+00}}
  %0 = qops.clamp %x min 6.0 max 0.0 : tensor<4xf32>
  return
}

// -----

// hardsigmoid_alpha_beta_finite
func.func @hardsigmoid_alpha_beta_finite(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qops.hardsigmoid' op expects a finite alpha and beta, got alpha = 2.000000e-01, beta = INF}}
  %0 = qops.hardsigmoid %x alpha 0.2 beta 0x7F800000 : tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

// hardsigmoid_per_tensor: the quantized form, as the other table activations,
// is per tensor.
func.func @hardsigmoid_per_tensor(%x: tensor<1x2x!quant.uniform<u8:f32:1, {0.1:0, 0.2:0}>>) {
  // expected-error@+1 {{'qops.hardsigmoid' op expects input to be quantized per tensor}}
  %0 = qops.hardsigmoid %x alpha 0.2 beta 0.5 : tensor<1x2x!quant.uniform<u8:f32:1, {0.1:0, 0.2:0}>> -> tensor<1x2x!quant.uniform<u8:f32, 0.004:0>>
  return
}

// -----

// silu_result_per_tensor
func.func @silu_result_per_tensor(%x: tensor<1x2x!quant.uniform<u8:f32, 0.05:128>>) {
  // expected-error@+1 {{'qops.silu' op expects result to be quantized per tensor}}
  %0 = qops.silu %x : tensor<1x2x!quant.uniform<u8:f32, 0.05:128>> -> tensor<1x2x!quant.uniform<u8:f32:1, {0.1:120, 0.1:120}>>
  return
}

// -----

// leaky_relu_alpha_finite
func.func @leaky_relu_alpha_finite(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qops.leaky_relu' op expects a finite alpha, got nan}}
  %0 = qops.leaky_relu %x alpha 0x7FC00000 : tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

// sigmoid_input_per_tensor
func.func @sigmoid_input_per_tensor(%x: tensor<2x!quant.uniform<u8:f32:0, {0.1:0, 0.2:0}>>) {
  // expected-error@+1 {{'qops.sigmoid' op expects input to be quantized per tensor}}
  %0 = qops.sigmoid %x : tensor<2x!quant.uniform<u8:f32:0, {0.1:0, 0.2:0}>> -> tensor<2x!quant.uniform<u8:f32, 0.00390625>>
  return
}

// -----

// tanh_same_shape
func.func @tanh_same_shape(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qops.tanh' op requires the same shape for all operands and results}}
  %0 = qops.tanh %x : tensor<4xf32> -> tensor<5xf32>
  return
}

// -----

// relu_same_type
func.func @relu_same_type(%x: tensor<4x!quant.uniform<u8:f32, 0.1:0>>) {
  // A quantized relu keeps its input's parameters: a relu that rescales is a
  // relu followed by a requantize.
  // expected-error@+1 {{'qops.relu' op requires the same type for all operands and results}}
  %0 = "qops.relu"(%x) : (tensor<4x!quant.uniform<u8:f32, 0.1:0>>) -> tensor<4x!quant.uniform<u8:f32, 0.2:0>>
  return
}

//===----------------------------------------------------------------------===//
// add / mul
//===----------------------------------------------------------------------===//

// -----

// add_broadcast_compatible
func.func @add_broadcast_compatible(%a: tensor<1x8x8x16xf32>, %b: tensor<8xf32>) {
  // expected-error@+1 {{'qops.add' op expects broadcast-compatible operand shapes, got [1, 8, 8, 16] and [8]}}
  %0 = qops.add %a, %b : (tensor<1x8x8x16xf32>, tensor<8xf32>) -> tensor<1x8x8x16xf32>
  return
}

// -----

// mul_result_is_broadcast_shape
func.func @mul_result_is_broadcast_shape(%a: tensor<1x8x8x16xf32>, %b: tensor<16xf32>) {
  // expected-error@+1 {{'qops.mul' op expects result shape [1, 8, 8, 16], got [1, 8, 8, 1]}}
  %0 = qops.mul %a, %b : (tensor<1x8x8x16xf32>, tensor<16xf32>) -> tensor<1x8x8x1xf32>
  return
}

// -----

// add_rhs_per_tensor
func.func @add_rhs_per_tensor(%a: tensor<1x2x!quant.uniform<u8:f32, 0.05:128>>, %b: tensor<1x2x!quant.uniform<u8:f32:1, {0.1:0, 0.2:0}>>) {
  // expected-error@+1 {{'qops.add' op expects rhs to be quantized per tensor}}
  %0 = qops.add %a, %b : (tensor<1x2x!quant.uniform<u8:f32, 0.05:128>>, tensor<1x2x!quant.uniform<u8:f32:1, {0.1:0, 0.2:0}>>) -> tensor<1x2x!quant.uniform<u8:f32, 0.05:128>>
  return
}

// -----

// sub_broadcast_compatible
func.func @sub_broadcast_compatible(%a: tensor<1x8x8x3xf32>, %b: tensor<4xf32>) {
  // expected-error@+1 {{'qops.sub' op expects broadcast-compatible operand shapes, got [1, 8, 8, 3] and [4]}}
  %0 = qops.sub %a, %b : (tensor<1x8x8x3xf32>, tensor<4xf32>) -> tensor<1x8x8x3xf32>
  return
}

// -----

// maximum_lhs_per_tensor
func.func @maximum_lhs_per_tensor(%a: tensor<1x2x!quant.uniform<u8:f32:1, {0.1:0, 0.2:0}>>, %b: tensor<1x2x!quant.uniform<u8:f32, 0.05:128>>) {
  // expected-error@+1 {{'qops.maximum' op expects lhs to be quantized per tensor}}
  %0 = qops.maximum %a, %b : (tensor<1x2x!quant.uniform<u8:f32:1, {0.1:0, 0.2:0}>>, tensor<1x2x!quant.uniform<u8:f32, 0.05:128>>) -> tensor<1x2x!quant.uniform<u8:f32, 0.05:128>>
  return
}

// -----

// div_same_domain
func.func @div_same_domain(%a: tensor<1x2xf32>, %b: tensor<1x2x!quant.uniform<u8:f32, 0.05:128>>) {
  // expected-error@+1 {{'qops.div' op}}
  %0 = qops.div %a, %b : (tensor<1x2xf32>, tensor<1x2x!quant.uniform<u8:f32, 0.05:128>>) -> tensor<1x2xf32>
  return
}

// -----

// sqrt_shape
func.func @sqrt_shape(%a: tensor<1x2xf32>) {
  // expected-error@+1 {{'qops.sqrt' op requires the same shape for all operands and results}}
  %0 = qops.sqrt %a : tensor<1x2xf32> -> tensor<2x1xf32>
  return
}

// -----

// erf_result_per_tensor
func.func @erf_result_per_tensor(%a: tensor<1x2x!quant.uniform<u8:f32, 0.05:128>>) {
  // expected-error@+1 {{'qops.erf' op expects result to be quantized per tensor}}
  %0 = qops.erf %a : tensor<1x2x!quant.uniform<u8:f32, 0.05:128>> -> tensor<1x2x!quant.uniform<u8:f32:1, {0.1:0, 0.2:0}>>
  return
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

// -----

// max_pool2d_input_rank
func.func @max_pool2d_input_rank(%x: tensor<8x8x16xf32>) {
  // expected-error@+1 {{'qops.max_pool2d' op expects input of rank 4 (NHWC), got rank 3}}
  %0 = qops.max_pool2d %x kernel [2, 2] stride [2, 2] pad [0, 0, 0, 0] : tensor<8x8x16xf32>
  return
}

// -----

// max_pool2d_kernel_positive
func.func @max_pool2d_kernel_positive(%x: tensor<1x8x8x16xf32>) {
  // expected-error@+1 {{'qops.max_pool2d' op expects 'kernel' values to be positive, got [0, 2]}}
  %0 = qops.max_pool2d %x kernel [0, 2] stride [2, 2] pad [0, 0, 0, 0] : tensor<1x8x8x16xf32>
  return
}

// -----

// max_pool2d_window_fits_padded_input
func.func @max_pool2d_window_fits_padded_input(%x: tensor<1x2x2x16xf32>) {
  // expected-error@+1 {{'qops.max_pool2d' op expects the window 3x3 to fit in the padded input [2, 3]}}
  %0 = qops.max_pool2d %x kernel [3, 3] stride [1, 1] pad [0, 0, 1, 0] : tensor<1x2x2x16xf32>
  return
}

// -----

// max_pool2d_huge_pad_does_not_overflow
func.func @max_pool2d_huge_pad_does_not_overflow(%x: tensor<1x2x2x16xf32>) {
  // expected-error@+1 {{'qops.max_pool2d' op expects the window 1x1 to fit in the padded input}}
  %0 = qops.max_pool2d %x kernel [1, 1] stride [1, 1] pad [9223372036854775807, 9223372036854775807, 0, 0] : tensor<1x2x2x16xf32>
  return
}

// -----

// max_pool2d_inferred_type
func.func @max_pool2d_inferred_type(%x: tensor<1x8x8x16xf32>) {
  // In generic form the result type is written, and must be the inferred one.
  // expected-error@+2 {{'qops.max_pool2d' op inferred type(s) 'tensor<1x4x4x16xf32>' are incompatible with return type(s) of operation 'tensor<1x8x8x16xf32>'}}
  // expected-error@+1 {{'qops.max_pool2d' op failed to infer returned types}}
  %0 = "qops.max_pool2d"(%x) <{kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>}> : (tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
  return
}

// -----

// max_pool2d_required_attribute
func.func @max_pool2d_required_attribute(%x: tensor<1x8x8x16xf32>) {
  // expected-error@+1 {{'qops.max_pool2d' op requires attribute 'kernel'}}
  %0 = "qops.max_pool2d"(%x) <{pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>}> : (tensor<1x8x8x16xf32>) -> tensor<1x4x4x16xf32>
  return
}

// -----

// avg_pool2d_stride_size
func.func @avg_pool2d_stride_size(%x: tensor<1x8x8x16xf32>) {
  // expected-error@+1 {{'qops.avg_pool2d' op expects 'stride' to have 2 values, got 1}}
  %0 = qops.avg_pool2d %x kernel [2, 2] stride [2] pad [0, 0, 0, 0] : tensor<1x8x8x16xf32> -> tensor<1x4x4x16xf32>
  return
}

// -----

// avg_pool2d_pad_non_negative
func.func @avg_pool2d_pad_non_negative(%x: tensor<1x8x8x16xf32>) {
  // expected-error@+1 {{'qops.avg_pool2d' op expects 'pad' values to be non-negative, got [-1, 0, 0, 0]}}
  %0 = qops.avg_pool2d %x kernel [2, 2] stride [2, 2] pad [-1, 0, 0, 0] : tensor<1x8x8x16xf32> -> tensor<1x4x4x16xf32>
  return
}

// -----

// avg_pool2d_result_shape
func.func @avg_pool2d_result_shape(%x: tensor<1x8x8x16xf32>) {
  // expected-error@+1 {{'qops.avg_pool2d' op expects result shape [1, 4, 4, 16], got [1, 8, 8, 16]}}
  %0 = qops.avg_pool2d %x kernel [2, 2] stride [2, 2] pad [0, 0, 0, 0] : tensor<1x8x8x16xf32> -> tensor<1x8x8x16xf32>
  return
}

// -----

// global_avg_pool_input_rank
func.func @global_avg_pool_input_rank(%x: tensor<1x16xf32>) {
  // expected-error@+1 {{'qops.global_avg_pool' op expects input of rank 4 (NHWC), got rank 2}}
  %0 = qops.global_avg_pool %x : tensor<1x16xf32> -> tensor<1x1x1x16xf32>
  return
}

// -----

// global_avg_pool_result_shape
func.func @global_avg_pool_result_shape(%x: tensor<1x7x7x16xf32>) {
  // expected-error@+1 {{'qops.global_avg_pool' op expects result shape [1, 1, 1, 16], got [1, 16]}}
  %0 = qops.global_avg_pool %x : tensor<1x7x7x16xf32> -> tensor<1x16xf32>
  return
}

// -----

// reduce_axes_empty
func.func @reduce_axes_empty(%x: tensor<3x5xf32>) {
  // expected-error@+1 {{'qops.reduce_sum' op expects at least one axis}}
  %0 = qops.reduce_sum %x axes [] : tensor<3x5xf32> -> tensor<3x5xf32>
  return
}

// -----

// reduce_axes_range
func.func @reduce_axes_range(%x: tensor<3x5xf32>) {
  // expected-error@+1 {{'qops.reduce_mean' op expects axes in [0, 2), got 2}}
  %0 = qops.reduce_mean %x axes [2] : tensor<3x5xf32> -> tensor<3xf32>
  return
}

// -----

// reduce_axes_increasing
func.func @reduce_axes_increasing(%x: tensor<3x5xf32>) {
  // expected-error@+1 {{'qops.reduce_max' op expects strictly increasing axes, got [1, 0]}}
  %0 = qops.reduce_max %x axes [1, 0] : tensor<3x5xf32> -> tensor<f32>
  return
}

// -----

// reduce_result_shape: keepdims keeps the reduced dimension as 1.
func.func @reduce_result_shape(%x: tensor<3x5xf32>) {
  // expected-error@+1 {{'qops.reduce_min' op expects result shape [3, 1], got [3]}}
  %0 = qops.reduce_min %x axes [1] keepdims : tensor<3x5xf32> -> tensor<3xf32>
  return
}

// -----

// reduce_max_same_type: the maximum keeps its input's parameters.
func.func @reduce_max_same_type(%x: tensor<1x4x4x16x!quant.uniform<u8:f32, 0.05:128>>) {
  // expected-error@+1 {{'qops.reduce_max' op expects the result element type to equal the input's, got}}
  %0 = qops.reduce_max %x axes [3] : tensor<1x4x4x16x!quant.uniform<u8:f32, 0.05:128>> -> tensor<1x4x4x!quant.uniform<u8:f32, 0.1:128>>
  return
}

// -----

// reduce_per_axis: activations are quantized per tensor.
func.func @reduce_per_axis(%x: tensor<2x3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>>) {
  // expected-error@+1 {{'qops.reduce_mean' op expects input to be quantized per tensor}}
  %0 = qops.reduce_mean %x axes [0] : tensor<2x3x!quant.uniform<i8:f32:1, {0.1, 0.2, 0.3}>> -> tensor<3x!quant.uniform<i8:f32, 0.1>>
  return
}

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

// -----

// reshape_static_shapes
func.func @reshape_static_shapes(%x: tensor<?x16xf32>) {
  // expected-error@+1 {{'qops.reshape' op expects static shapes, got [?, 16] -> [16]}}
  %0 = qops.reshape %x : tensor<?x16xf32> -> tensor<16xf32>
  return
}

// -----

// reshape_element_count
func.func @reshape_element_count(%x: tensor<2x8xf32>) {
  // expected-error@+1 {{'qops.reshape' op expects the same number of elements, got 16 and 15}}
  %0 = qops.reshape %x : tensor<2x8xf32> -> tensor<3x5xf32>
  return
}

// -----

// reshape_element_type
func.func @reshape_element_type(%x: tensor<2x8x!quant.uniform<u8:f32, 0.05:128>>) {
  // expected-error@+1 {{'qops.reshape' op expects the result element type to equal the input's, got '!quant.uniform<u8:f32, 5.000000e-02:128>' and '!quant.uniform<u8:f32, 1.000000e-01:128>'}}
  %0 = qops.reshape %x : tensor<2x8x!quant.uniform<u8:f32, 0.05:128>> -> tensor<16x!quant.uniform<u8:f32, 0.1:128>>
  return
}

// -----

// reshape_per_axis
func.func @reshape_per_axis(%x: tensor<2x2x!quant.uniform<i8:f32:0, {0.1, 0.2}>>) {
  // expected-error@+1 {{'qops.reshape' op cannot reshape a per-axis quantized tensor}}
  %0 = qops.reshape %x : tensor<2x2x!quant.uniform<i8:f32:0, {0.1, 0.2}>> -> tensor<2x2x!quant.uniform<i8:f32:0, {0.1, 0.2}>>
  return
}

// -----

// flatten_axis_range
func.func @flatten_axis_range(%x: tensor<1x2x2x4xf32>) {
  // expected-error@+1 {{'qops.flatten' op expects axis in [0, 4], got 5}}
  %0 = qops.flatten %x axis 5 : tensor<1x2x2x4xf32>
  return
}

// -----

// flatten_per_axis
func.func @flatten_per_axis(%x: tensor<2x2x!quant.uniform<i8:f32:0, {0.1, 0.2}>>) {
  // expected-error@+1 {{'qops.flatten' op cannot flatten a per-axis quantized tensor}}
  %0 = qops.flatten %x axis 1 : tensor<2x2x!quant.uniform<i8:f32:0, {0.1, 0.2}>>
  return
}

// -----

// concat_at_least_one_input
func.func @concat_at_least_one_input() {
  // expected-error@+1 {{'qops.concat' op expects at least one input}}
  %0 = "qops.concat"() <{axis = 0 : i64}> : () -> tensor<1xf32>
  return
}

// -----

// concat_axis_range
func.func @concat_axis_range(%a: tensor<1x4xf32>, %b: tensor<1x4xf32>) {
  // expected-error@+1 {{'qops.concat' op expects axis in [0, 2), got 2}}
  %0 = qops.concat %a, %b axis 2 : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x8xf32>
  return
}

// -----

// concat_equal_rank
func.func @concat_equal_rank(%a: tensor<1x4xf32>, %b: tensor<4xf32>) {
  // expected-error@+1 {{'qops.concat' op expects inputs of equal rank, got input #1 of rank 1 and input #0 of rank 2}}
  %0 = qops.concat %a, %b axis 1 : (tensor<1x4xf32>, tensor<4xf32>) -> tensor<1x8xf32>
  return
}

// -----

// concat_other_dims_agree
func.func @concat_other_dims_agree(%a: tensor<1x4xf32>, %b: tensor<2x4xf32>) {
  // expected-error@+1 {{'qops.concat' op expects inputs to agree outside the concatenation axis, got input #1 [2, 4] and input #0 [1, 4]}}
  %0 = qops.concat %a, %b axis 1 : (tensor<1x4xf32>, tensor<2x4xf32>) -> tensor<1x8xf32>
  return
}

// -----

// concat_result_shape
func.func @concat_result_shape(%a: tensor<1x4xf32>, %b: tensor<1x3xf32>) {
  // expected-error@+1 {{'qops.concat' op expects result shape [1, 7], got [1, 8]}}
  %0 = qops.concat %a, %b axis 1 : (tensor<1x4xf32>, tensor<1x3xf32>) -> tensor<1x8xf32>
  return
}

// -----

// concat_input_per_tensor
func.func @concat_input_per_tensor(%a: tensor<1x2x!quant.uniform<u8:f32, 0.1>>, %b: tensor<1x2x!quant.uniform<u8:f32:1, {0.1, 0.2}>>) {
  // expected-error@+1 {{'qops.concat' op expects input #1 to be quantized per tensor}}
  %0 = qops.concat %a, %b axis 1 : (tensor<1x2x!quant.uniform<u8:f32, 0.1>>, tensor<1x2x!quant.uniform<u8:f32:1, {0.1, 0.2}>>) -> tensor<1x4x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

// pad_size
func.func @pad_size(%x: tensor<1x4xf32>) {
  // expected-error@+1 {{'qops.pad' op expects 'pad' to have 4 values, got 2}}
  %0 = qops.pad %x pad [1, 1] : tensor<1x4xf32>
  return
}

// -----

// pad_non_negative
func.func @pad_non_negative(%x: tensor<1x4xf32>) {
  // expected-error@+1 {{'qops.pad' op expects 'pad' values to be non-negative, got [0, 0, -1, 0]}}
  %0 = qops.pad %x pad [0, 0, -1, 0] : tensor<1x4xf32>
  return
}

// -----

// pad_value_finite
func.func @pad_value_finite(%x: tensor<1x4xf32>) {
  // expected-error@+1 {{'qops.pad' op expects a finite padding value, got -INF}}
  %0 = qops.pad %x pad [0, 0, 1, 0] value 0xFF800000 : tensor<1x4xf32>
  return
}

// -----

// pad_per_axis_dimension
func.func @pad_per_axis_dimension(%x: tensor<2x2x!quant.uniform<i8:f32:0, {0.1, 0.2}>>) {
  // expected-error@+1 {{'qops.pad' op cannot pad the quantized dimension 0 of a per-axis quantized tensor}}
  %0 = qops.pad %x pad [1, 0, 0, 0] : tensor<2x2x!quant.uniform<i8:f32:0, {0.1, 0.2}>>
  return
}

// -----

// slice_static
func.func @slice_static(%x: tensor<?x4xf32>) {
  // expected-error@+1 {{'qops.slice' op expects static shapes, got [?, 4] -> [1, 2]}}
  %0 = qops.slice %x offsets [0, 0] strides [1, 1] : tensor<?x4xf32> -> tensor<1x2xf32>
  return
}

// -----

// slice_rank
func.func @slice_rank(%x: tensor<2x4xf32>) {
  // expected-error@+1 {{'qops.slice' op expects a result of the input's rank 2, got rank 1}}
  %0 = qops.slice %x offsets [0, 0] strides [1, 1] : tensor<2x4xf32> -> tensor<4xf32>
  return
}

// -----

// slice_attribute_sizes
func.func @slice_attribute_sizes(%x: tensor<2x4xf32>) {
  // expected-error@+1 {{'qops.slice' op expects one offset and one stride per dimension (2), got 1 and 2}}
  %0 = qops.slice %x offsets [0] strides [1, 1] : tensor<2x4xf32> -> tensor<2x2xf32>
  return
}

// -----

// slice_element_type
func.func @slice_element_type(%x: tensor<2x4x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error@+1 {{'qops.slice' op expects the result element type to equal the input's, got '!quant.uniform<u8:f32, 1.000000e-01>' and '!quant.uniform<u8:f32, 2.000000e-01>'}}
  %0 = qops.slice %x offsets [0, 0] strides [1, 1] : tensor<2x4x!quant.uniform<u8:f32, 0.1>> -> tensor<2x2x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

// slice_stride
func.func @slice_stride(%x: tensor<2x4xf32>) {
  // expected-error@+1 {{'qops.slice' op expects offsets >= 0, strides >= 1 and result dimensions >= 1, got offset 0, stride 0 and size 2 in dimension 1}}
  %0 = qops.slice %x offsets [0, 0] strides [1, 0] : tensor<2x4xf32> -> tensor<2x2xf32>
  return
}

// -----

// slice_bounds: offset 1 + (2 - 1) * stride 3 = 4 is past dimension 1.
func.func @slice_bounds(%x: tensor<2x4xf32>) {
  // expected-error@+1 {{'qops.slice' op selects indices beyond dimension 1 of size 4 (offset 1, stride 3, 2 elements)}}
  %0 = qops.slice %x offsets [0, 1] strides [1, 3] : tensor<2x4xf32> -> tensor<2x2xf32>
  return
}

// -----

// slice_per_axis
func.func @slice_per_axis(%x: tensor<2x2x!quant.uniform<i8:f32:0, {0.1, 0.2}>>) {
  // expected-error@+1 {{'qops.slice' op result #0 has 2 per-axis scales but its quantized dimension 0 has size 1}}
  %0 = qops.slice %x offsets [1, 0] strides [1, 1] : tensor<2x2x!quant.uniform<i8:f32:0, {0.1, 0.2}>> -> tensor<1x2x!quant.uniform<i8:f32:0, {0.1, 0.2}>>
  return
}

// -----

// transpose_permutation
func.func @transpose_permutation(%x: tensor<1x3x8x8xf32>) {
  // expected-error@+1 {{'qops.transpose' op expects 'perm' to be a permutation of [0, 4), got [0, 2, 2, 1]}}
  %0 = qops.transpose %x perm [0, 2, 2, 1] : tensor<1x3x8x8xf32>
  return
}

// -----

// transpose_permutation_size
func.func @transpose_permutation_size(%x: tensor<1x3x8x8xf32>) {
  // expected-error@+1 {{'qops.transpose' op expects 'perm' to be a permutation of [0, 4), got [1, 0]}}
  %0 = qops.transpose %x perm [1, 0] : tensor<1x3x8x8xf32>
  return
}

// -----

// softmax_axis_range
func.func @softmax_axis_range(%x: tensor<1x10xf32>) {
  // expected-error@+1 {{'qops.softmax' op expects axis in [-2, 2), got -3}}
  %0 = qops.softmax %x axis -3 : tensor<1x10xf32> -> tensor<1x10xf32>
  return
}

//===----------------------------------------------------------------------===//
// Quantization ops
//===----------------------------------------------------------------------===//

// -----

// quantize_result_quantized
func.func @quantize_result_quantized(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qops.quantize' op result #0 must be ranked tensor of uniform quantized type (per-tensor or per-axis) values, but got 'tensor<4xf32>'}}
  %0 = qops.quantize %x : tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

// dequantize_same_shape
func.func @dequantize_same_shape(%x: tensor<4x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error@+1 {{'qops.dequantize' op requires the same shape for all operands and results}}
  %0 = qops.dequantize %x : tensor<4x!quant.uniform<u8:f32, 0.1>> -> tensor<2x2xf32>
  return
}

// -----

// requantize_operand_quantized
func.func @requantize_operand_quantized(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qops.requantize' op operand #0 must be ranked tensor of uniform quantized type (per-tensor or per-axis) values, but got 'tensor<4xf32>'}}
  %0 = qops.requantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

// A scale that is positive as a double but denormal (or zero) in f32, where
// quantization computes, is rejected.
func.func @denormal_scale(%x: tensor<4xf32>) -> tensor<4x!quant.uniform<u8:f32, 1.0e-40>> {
  // expected-error@+1 {{'qops.quantize' op result #0 has scale 1.000000e-40, which is not a normal f32 value (quantization computes in f32)}}
  %q = qops.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 1.0e-40>>
  return %q : tensor<4x!quant.uniform<u8:f32, 1.0e-40>>
}

// -----

// qops.dot4 works on 8 or 16 i32 lanes (the vpdpbusd register widths).
func.func @dot4_lanes(%acc: vector<4xi32>) -> vector<4xi32> {
  // expected-error@+1 {{'qops.dot4' op operand #0 must be vector of 32-bit signless integer values of length 8/16}}
  %0 = qops.dot4 %acc, %acc, %acc : vector<4xi32>
  return %0 : vector<4xi32>
}

// -----

// constant_operand_size: a constant larger than 2 GiB (here a 16 TiB splat
// written in a few bytes) is rejected before any pass materializes it.
func.func @constant_operand_size(%x: tensor<1x1099511627776xf32>) -> tensor<1x4xf32> {
  %w = arith.constant dense<1.0> : tensor<4x1099511627776xf32>
  // expected-error@+1 {{'qops.fully_connected' op operand #1 is a constant 'tensor<4x1099511627776xf32>' of 17592186044416 bytes, more than the 2147483648-byte (2 GiB) limit on constant tensors}}
  %y = qops.fully_connected %x, %w : (tensor<1x1099511627776xf32>, tensor<4x1099511627776xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}

// -----

// constant_operand_size_overflow: the byte count itself overflows 64 bits.
func.func @constant_operand_size_overflow(%x: tensor<4611686018427387904x4xf32>) -> tensor<4611686018427387904x4xf32> {
  %b = arith.constant dense<1.0> : tensor<4611686018427387904x4xf32>
  // expected-error@+1 {{'qops.add' op operand #1 is a constant 'tensor<4611686018427387904x4xf32>' of more than 2^64 bytes, more than the 2147483648-byte (2 GiB) limit on constant tensors}}
  %y = qops.add %x, %b : (tensor<4611686018427387904x4xf32>, tensor<4611686018427387904x4xf32>) -> tensor<4611686018427387904x4xf32>
  return %y : tensor<4611686018427387904x4xf32>
}

// -----

// constant_operand_size_limit: exactly 2 GiB is accepted.
func.func @constant_operand_size_limit(%x: tensor<1x536870912xf32>) -> tensor<1x1xf32> {
  %w = arith.constant dense<1.0> : tensor<1x536870912xf32>
  %y = qops.fully_connected %x, %w : (tensor<1x536870912xf32>, tensor<1x536870912xf32>) -> tensor<1x1xf32>
  return %y : tensor<1x1xf32>
}

// -----

// table_per_tensor
func.func @table_per_tensor(%x: tensor<2x!quant.uniform<u8:f32:0, {0.1:0, 0.2:0}>>) {
  // expected-error@+1 {{'qops.table' op expects per-tensor quantized input and result}}
  %0 = qops.table %x, dense<0> : tensor<256xi32> : tensor<2x!quant.uniform<u8:f32:0, {0.1:0, 0.2:0}>> -> tensor<2x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

// table_8bit_input
func.func @table_8bit_input(%x: tensor<2x!quant.uniform<i16:f32, 0.1>>) {
  // expected-error@+1 {{'qops.table' op expects an 8-bit input, got 16 bits}}
  %0 = qops.table %x, dense<0> : tensor<256xi32> : tensor<2x!quant.uniform<i16:f32, 0.1>> -> tensor<2x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

// table_256_entries
func.func @table_256_entries(%x: tensor<2x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error@+1 {{'qops.table' op expects a table of 256 entries, got 'tensor<255xi32>'}}
  %0 = qops.table %x, dense<0> : tensor<255xi32> : tensor<2x!quant.uniform<u8:f32, 0.1>> -> tensor<2x!quant.uniform<u8:f32, 0.1>>
  return
}

// -----

// table_entry_range
func.func @table_entry_range(%x: tensor<2x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error@+1 {{'qops.table' op table entry #0 (200) is outside the result's storage range [-128, 127]}}
  %0 = qops.table %x, dense<200> : tensor<256xi32> : tensor<2x!quant.uniform<u8:f32, 0.1>> -> tensor<2x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

// pad_mode
func.func @pad_mode(%x: tensor<1x4xf32>) {
  // expected-error@+1 {{'qops.pad' op expects mode "constant", "reflect" or "edge", got "wrap"}}
  %0 = qops.pad %x pad [0, 0, 1, 1] mode "wrap" : tensor<1x4xf32>
  return
}

// -----

// pad_mode_value
func.func @pad_mode_value(%x: tensor<1x4xf32>) {
  // expected-error@+1 {{'qops.pad' op expects no padding value in mode "edge"}}
  %0 = qops.pad %x pad [0, 0, 1, 1] value 1.0 mode "edge" : tensor<1x4xf32>
  return
}

// -----

// pad_reflect_size
func.func @pad_reflect_size(%x: tensor<1x4xf32>) {
  // expected-error@+1 {{'qops.pad' op expects reflect pads below the size 4 of dimension 1, got 4}}
  %0 = qops.pad %x pad [0, 0, 4, 1] mode "reflect" : tensor<1x4xf32>
  return
}

// -----

// pad_edge_empty
func.func @pad_edge_empty(%x: tensor<1x0xf32>) {
  // expected-error@+1 {{'qops.pad' op cannot edge-pad the empty dimension 1}}
  %0 = qops.pad %x pad [0, 0, 1, 0] mode "edge" : tensor<1x0xf32>
  return
}

// -----

// max_pool2d_dilation
func.func @max_pool2d_dilation(%x: tensor<1x4x4x2xf32>) {
  // expected-error@+1 {{'qops.max_pool2d' op expects 'dilation' values to be positive, got [0, 1]}}
  %0 = qops.max_pool2d %x kernel [2, 2] stride [1, 1] pad [0, 0, 0, 0] dilation [0, 1] : tensor<1x4x4x2xf32>
  return
}

// -----

// max_pool2d_dilated_fit
func.func @max_pool2d_dilated_fit(%x: tensor<1x4x4x2xf32>) {
  // expected-error@+1 {{'qops.max_pool2d' op expects the window 5x2 to fit in the padded input [4, 4]}}
  %0 = qops.max_pool2d %x kernel [2, 2] stride [1, 1] pad [0, 0, 0, 0] dilation [4, 1] : tensor<1x4x4x2xf32>
  return
}

// -----

// resize_rank
func.func @resize_rank(%x: tensor<2x2x3xf32>) {
  // expected-error@+1 {{'qops.resize_nearest' op expects input of rank 4 (NHWC), got rank 3}}
  %0 = qops.resize_nearest %x rows [0] cols [0] : tensor<2x2x3xf32> -> tensor<2x1x3xf32>
  return
}

// -----

// resize_static
func.func @resize_static(%x: tensor<1x?x2x3xf32>) {
  // expected-error@+1 {{'qops.resize_nearest' op expects static shapes}}
  %0 = qops.resize_nearest %x rows [0] cols [0] : tensor<1x?x2x3xf32> -> tensor<1x1x1x3xf32>
  return
}

// -----

// resize_same_type
func.func @resize_same_type(%x: tensor<1x2x2x3x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error@+1 {{'qops.resize_nearest' op expects the result's element type to be the input's, got '!quant.uniform<u8:f32, 2.000000e-01>' and '!quant.uniform<u8:f32, 1.000000e-01>'}}
  %0 = qops.resize_nearest %x rows [0] cols [0] : tensor<1x2x2x3x!quant.uniform<u8:f32, 0.1>> -> tensor<1x1x1x3x!quant.uniform<u8:f32, 0.2>>
  return
}

// -----

// resize_shape
func.func @resize_shape(%x: tensor<1x2x2x3xf32>) {
  // expected-error@+1 {{'qops.resize_nearest' op expects result shape [1, 2, 1, 3], got [1, 1, 1, 3]}}
  %0 = qops.resize_nearest %x rows [0, 1] cols [0] : tensor<1x2x2x3xf32> -> tensor<1x1x1x3xf32>
  return
}

// -----

// resize_index_range
func.func @resize_index_range(%x: tensor<1x2x2x3xf32>) {
  // expected-error@+1 {{'qops.resize_nearest' op expects 'cols' entries in [0, 2), got 2}}
  %0 = qops.resize_nearest %x rows [0] cols [2] : tensor<1x2x2x3xf32> -> tensor<1x1x1x3xf32>
  return
}

// -----

// resize_bilinear_pairs
func.func @resize_bilinear_pairs(%x: tensor<1x2x2x3xf32>) {
  // expected-error@+1 {{'qops.resize_bilinear' op expects 2 entries per output row and column}}
  %0 = qops.resize_bilinear %x rows [0, 1, 1] row_weights [0.5] cols [0, 1] col_weights [0.5] : tensor<1x2x2x3xf32> -> tensor<1x1x1x3xf32>
  return
}

// -----

// resize_bilinear_weight_count
func.func @resize_bilinear_weight_count(%x: tensor<1x2x2x3xf32>) {
  // expected-error@+1 {{'qops.resize_bilinear' op expects 1 'col_weights' entries, got 2}}
  %0 = qops.resize_bilinear %x rows [0, 1] row_weights [0.5] cols [0, 1] col_weights [0.5, 0.5] : tensor<1x2x2x3xf32> -> tensor<1x1x1x3xf32>
  return
}

// -----

// resize_bilinear_weight_range
func.func @resize_bilinear_weight_range(%x: tensor<1x2x2x3xf32>) {
  // expected-error@+1 {{'qops.resize_bilinear' op expects 'row_weights' entries in [0, 1], got 1.5}}
  %0 = qops.resize_bilinear %x rows [0, 1] row_weights [1.5] cols [0, 1] col_weights [0.5] : tensor<1x2x2x3xf32> -> tensor<1x1x1x3xf32>
  return
}

// -----

// resize_bilinear_float
func.func @resize_bilinear_float(%x: tensor<1x2x2x3x!quant.uniform<u8:f32, 0.1>>) {
  // expected-error@+1 {{'qops.resize_bilinear' op operand #0 must be ranked tensor of 32-bit float values}}
  %0 = qops.resize_bilinear %x rows [0, 1] row_weights [0.5] cols [0, 1] col_weights [0.5] : tensor<1x2x2x3x!quant.uniform<u8:f32, 0.1>> -> tensor<1x1x1x3x!quant.uniform<u8:f32, 0.1>>
  return
}

//===----------------------------------------------------------------------===//
// group_norm
//===----------------------------------------------------------------------===//

// -----

// group_norm_float_only
func.func @group_norm_float_only(%x: tensor<1x2x!quant.uniform<u8:f32, 0.05:128>>, %p: tensor<2x!quant.uniform<u8:f32, 0.05:128>>) {
  // expected-error@+1 {{'qops.group_norm' op expects f32 tensors: group normalization has no integer form (an int8 program keeps it as a float island between dequantize and quantize)}}
  %0 = qops.group_norm %x, %p, %p groups 1 epsilon 1.0e-5 : tensor<1x2x!quant.uniform<u8:f32, 0.05:128>>, tensor<2x!quant.uniform<u8:f32, 0.05:128>>
  return
}

// -----

// group_norm_input_rank
func.func @group_norm_input_rank(%x: tensor<4xf32>, %p: tensor<4xf32>) {
  // expected-error@+1 {{'qops.group_norm' op expects input of rank >= 2 with channels last, got rank 1}}
  %0 = qops.group_norm %x, %p, %p groups 1 epsilon 1.0e-5 : tensor<4xf32>, tensor<4xf32>
  return
}

// -----

// group_norm_positive_groups
func.func @group_norm_positive_groups(%x: tensor<1x4x4xf32>, %p: tensor<4xf32>) {
  // expected-error@+1 {{'qops.group_norm' op expects a positive group count, got 0}}
  %0 = qops.group_norm %x, %p, %p groups 0 epsilon 1.0e-5 : tensor<1x4x4xf32>, tensor<4xf32>
  return
}

// -----

// group_norm_groups_divide_channels
func.func @group_norm_groups_divide_channels(%x: tensor<1x4x6xf32>, %p: tensor<6xf32>) {
  // expected-error@+1 {{'qops.group_norm' op expects the 6 channels to be divisible by groups (4)}}
  %0 = qops.group_norm %x, %p, %p groups 4 epsilon 1.0e-5 : tensor<1x4x6xf32>, tensor<6xf32>
  return
}

// -----

// group_norm_parameter_shape
func.func @group_norm_parameter_shape(%x: tensor<1x4x6xf32>, %p: tensor<3xf32>) {
  // expected-error@+1 {{'qops.group_norm' op expects per-channel scale and bias of shape [6]}}
  %0 = qops.group_norm %x, %p, %p groups 3 epsilon 1.0e-5 : tensor<1x4x6xf32>, tensor<3xf32>
  return
}

// -----

// group_norm_epsilon_non_negative
func.func @group_norm_epsilon_non_negative(%x: tensor<1x4x6xf32>, %p: tensor<6xf32>) {
  // expected-error@+1 {{'qops.group_norm' op expects a finite, non-negative epsilon, got -1}}
  %0 = qops.group_norm %x, %p, %p groups 3 epsilon -1.0 : tensor<1x4x6xf32>, tensor<6xf32>
  return
}

// -----

// gather_axis_range
func.func @gather_axis_range(%t: tensor<10x4xf32>, %i: tensor<3xi64>) {
  // expected-error@+1 {{'qops.gather' op expects an axis in [0, 2), got 2}}
  %0 = qops.gather %t, %i axis 2 : (tensor<10x4xf32>, tensor<3xi64>) -> tensor<10x4x3xf32>
  return
}

// -----

// gather_data_rank
func.func @gather_data_rank(%t: tensor<f32>, %i: tensor<3xi64>) {
  // expected-error@+1 {{'qops.gather' op expects data of rank >= 1}}
  %0 = qops.gather %t, %i axis 0 : (tensor<f32>, tensor<3xi64>) -> tensor<3xf32>
  return
}

// -----

// gather_result_shape
func.func @gather_result_shape(%t: tensor<10x4xf32>, %i: tensor<2x3xi64>) {
  // expected-error@+1 {{'qops.gather' op expects result shape [2, 3, 4], got [6, 4]}}
  %0 = qops.gather %t, %i axis 0 : (tensor<10x4xf32>, tensor<2x3xi64>) -> tensor<6x4xf32>
  return
}

// -----

// gather_index_type
func.func @gather_index_type(%t: tensor<10x4xf32>, %i: tensor<3xf32>) {
  // expected-error@+1 {{operand #1 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values}}
  %0 = qops.gather %t, %i axis 0 : (tensor<10x4xf32>, tensor<3xf32>) -> tensor<3x4xf32>
  return
}

// -----

// layer_norm_float_only
func.func @layer_norm_float_only(%x: tensor<1x2x!quant.uniform<u8:f32, 0.05:128>>, %p: tensor<2x!quant.uniform<u8:f32, 0.05:128>>) {
  // expected-error@+1 {{'qops.layer_norm' op expects f32 tensors: layer normalization has no integer form (an int8 program keeps it as a float island between dequantize and quantize)}}
  %0 = qops.layer_norm %x, %p, %p axis 1 epsilon 1.0e-5 : tensor<1x2x!quant.uniform<u8:f32, 0.05:128>>, tensor<2x!quant.uniform<u8:f32, 0.05:128>>
  return
}

// -----

// layer_norm_axis_range
func.func @layer_norm_axis_range(%x: tensor<1x4x6xf32>, %p: tensor<6xf32>) {
  // expected-error@+1 {{'qops.layer_norm' op expects an axis in [0, 3), got 3}}
  %0 = qops.layer_norm %x, %p, %p axis 3 epsilon 1.0e-5 : tensor<1x4x6xf32>, tensor<6xf32>
  return
}

// -----

// layer_norm_parameter_shape
func.func @layer_norm_parameter_shape(%x: tensor<1x4x6xf32>, %p: tensor<6xf32>) {
  // expected-error@+1 {{'qops.layer_norm' op expects scale and bias of the normalized shape [4, 6], got [6]}}
  %0 = qops.layer_norm %x, %p, %p axis 1 epsilon 1.0e-5 : tensor<1x4x6xf32>, tensor<6xf32>
  return
}

// -----

// layer_norm_epsilon_non_negative
func.func @layer_norm_epsilon_non_negative(%x: tensor<1x4x6xf32>, %p: tensor<6xf32>) {
  // expected-error@+1 {{'qops.layer_norm' op expects a finite, non-negative epsilon, got -1}}
  %0 = qops.layer_norm %x, %p, %p axis 2 epsilon -1.0 : tensor<1x4x6xf32>, tensor<6xf32>
  return
}

// -----

// gelu_approximate
func.func @gelu_approximate(%x: tensor<1x4xf32>) {
  // expected-error@+1 {{'qops.gelu' op expects approximate "none" or "tanh", got "fast"}}
  %0 = qops.gelu %x approximate "fast" : tensor<1x4xf32> -> tensor<1x4xf32>
  return
}

// -----

// qops.lookup_bytes looks up 64 bytes (one 512-bit register) in 256.
func.func @lookup_bytes_table(%i: vector<64xi8>, %t: vector<128xi8>) -> vector<64xi8> {
  // expected-error@+1 {{'qops.lookup_bytes' op operand #1 must be vector of 8-bit signless integer values of length 256}}
  %0 = qops.lookup_bytes %i, %t : vector<64xi8>, vector<128xi8>
  return %0 : vector<64xi8>
}
