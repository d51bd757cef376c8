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

// -----

// Fixed-point requantization needs the multiplier's shift in [-31, 30]:
// s_in / s_out = 2^-40 is not representable.
func.func @tiny_multiplier(%x: tensor<2x!quant.uniform<i32:f32, 9.094947017729282e-13>>) -> tensor<2x!quant.uniform<u8:f32, 1.0>> attributes {qops.requant = "fixed-point"} {
  // expected-error@+1 {{'qops.requantize' op cannot be requantized in fixed point: the requantization multiplier 9.094947e-13 needs a shift of -39, outside the supported [-31, 30]}}
  %0 = qops.requantize %x : tensor<2x!quant.uniform<i32:f32, 9.094947017729282e-13>> -> tensor<2x!quant.uniform<u8:f32, 1.0>>
  return %0 : tensor<2x!quant.uniform<u8:f32, 1.0>>
}

// -----

// A folded zero-point correction that leaves the i32 range is reported:
// -2.147e9 - 255 * (1000 * 127).
func.func @bias_overflow(%x: tensor<1x1000x!quant.uniform<u8:f32, 1.0:255>>) -> tensor<1x1x!quant.uniform<u8:f32, 1.0>> {
  %bf = arith.constant dense<-2.147e9> : tensor<1xf32>
  %wf = arith.constant dense<127.0> : tensor<1x1000xf32>
  %w = qops.quantize %wf : tensor<1x1000xf32> -> tensor<1x1000x!quant.uniform<i8<-127:127>:f32, 1.0>>
  %b = qops.quantize %bf : tensor<1xf32> -> tensor<1x!quant.uniform<i32:f32, 1.0>>
  // expected-error@+1 {{'qops.fully_connected' op cannot be lowered to integers: its bias with the folded zero-point correction overflows i32}}
  %y = qops.fully_connected %x, %w, %b : (tensor<1x1000x!quant.uniform<u8:f32, 1.0:255>>, tensor<1x1000x!quant.uniform<i8<-127:127>:f32, 1.0>>, tensor<1x!quant.uniform<i32:f32, 1.0>>) -> tensor<1x1x!quant.uniform<u8:f32, 1.0>>
  return %y : tensor<1x1x!quant.uniform<u8:f32, 1.0>>
}

// -----

// A reduction so long that the i32 accumulator could wrap: 131072 products
// of at most 255 * 127 reach 4.24e9 > 2^31 - 1.
func.func @accumulator_overflow(%x: tensor<1x131072x!quant.uniform<u8:f32, 0.01>>) -> tensor<1x1x!quant.uniform<u8:f32, 1.0>> {
  %wf = arith.constant dense<1.27> : tensor<1x131072xf32>
  %w = qops.quantize %wf : tensor<1x131072xf32> -> tensor<1x131072x!quant.uniform<i8<-127:127>:f32, 0.01>>
  // expected-error@+1 {{'qops.fully_connected' op cannot be lowered to integers: its i32 accumulator can reach 4.245e+09 at output channel 0 (131072 products per output), beyond 2^31 - 1, and i32 accumulation wraps; split the reduction or quantize to fewer bits}}
  %y = qops.fully_connected %x, %w : (tensor<1x131072x!quant.uniform<u8:f32, 0.01>>, tensor<1x131072x!quant.uniform<i8<-127:127>:f32, 0.01>>) -> tensor<1x1x!quant.uniform<u8:f32, 1.0>>
  return %y : tensor<1x1x!quant.uniform<u8:f32, 1.0>>
}

// -----

// Run-time operands: the bound uses the storage ranges, 70000 products of
// at most 255 * 128.
func.func @runtime_overflow(%a: tensor<1x70000x!quant.uniform<u8:f32, 1.0:0>>, %b: tensor<70000x1x!quant.uniform<i8:f32, 1.0>>) -> tensor<1x1x!quant.uniform<i32:f32, 1.0>> {
  // expected-error@+1 {{'qops.matmul' op cannot be lowered to integers: its i32 accumulator can reach 2.285e+09 at output channel 0 (70000 products per output), beyond 2^31 - 1}}
  %y = qops.matmul %a, %b : (tensor<1x70000x!quant.uniform<u8:f32, 1.0:0>>, tensor<70000x1x!quant.uniform<i8:f32, 1.0>>) -> tensor<1x1x!quant.uniform<i32:f32, 1.0>>
  return %y : tensor<1x1x!quant.uniform<i32:f32, 1.0>>
}

// -----

// Zero-sized tensors and buffers beyond 64-bit sizes are rejected before
// any rewriting.
// expected-error@+1 {{'func.func' op cannot be lowered to linalg: argument #0 'tensor<0x4xf32>' has a zero-sized dimension}}
func.func @zero_sized(%x: tensor<0x4xf32>) -> tensor<0x4xf32> {
  %y = qops.relu %x : tensor<0x4xf32>
  return %y : tensor<0x4xf32>
}

// -----

// expected-error@+1 {{'func.func' op cannot be lowered to linalg: argument #0 'tensor<4611686018427387904x4xf32>' needs more than 2^62 bytes of memory}}
func.func @huge(%x: tensor<4611686018427387904x4xf32>) -> tensor<4611686018427387904x4xf32> {
  %y = qops.relu %x : tensor<4611686018427387904x4xf32>
  return %y : tensor<4611686018427387904x4xf32>
}

// -----

// A constant no qops op consumes (the qops verifiers check the others) is
// limited to 2 GiB too: the lowering would pack and emit its elements.
func.func @huge_constant() -> tensor<4x1099511627776xf32> {
  // expected-error@+1 {{'arith.constant' op cannot be lowered to linalg: attribute 'value' is a constant 'tensor<4x1099511627776xf32>' of 17592186044416 bytes, more than the 2147483648-byte (2 GiB) limit on constant tensors}}
  %w = arith.constant dense<1.0> : tensor<4x1099511627776xf32>
  return %w : tensor<4x1099511627776xf32>
}

// -----

// A dynamic product whose i32 accumulator could overflow: 66313 products of
// |x - zp| <= 255 and |w| = 127.
!qw = !quant.uniform<i8<-127:127>:f32:1, {0.0078740157}>
func.func @dynamic_matmul_accumulator(%x: tensor<1x66313xf32>) -> tensor<1x1xf32> {
  %wf = arith.constant dense<1.0> : tensor<66313x1xf32>
  %w = qops.quantize %wf : tensor<66313x1xf32> -> tensor<66313x1x!qw>
  %q, %s, %z = qops.dynamic_quantize %x : tensor<1x66313xf32> -> tensor<1x66313xui8>, tensor<f32>, tensor<ui8>
  // expected-error@+1 {{'qops.dynamic_matmul' op cannot be lowered to integers: its i32 accumulator can reach 2.148e+09 (66313 products per output), beyond 2^31 - 1}}
  %y = qops.dynamic_matmul %q, %s, %z, %w : (tensor<1x66313xui8>, tensor<f32>, tensor<ui8>, tensor<66313x1x!qw>) -> tensor<1x1xf32>
  return %y : tensor<1x1xf32>
}

// -----

// A product of two dynamically quantized tensors bounds its accumulator by
// K * 255 * 255: K = 33026 is one too many.
func.func @dynamic_activation_matmul_accumulator(%a: tensor<1x33026xui8>, %sa: tensor<f32>, %za: tensor<ui8>, %b: tensor<33026x1xui8>, %sb: tensor<f32>, %zb: tensor<ui8>) -> tensor<1x1xf32> {
  // expected-error@+1 {{'qops.dynamic_activation_matmul' op cannot be lowered to integers: its i32 accumulator can reach 2.148e+09 (33026 products per output), beyond 2^31 - 1}}
  %y = qops.dynamic_activation_matmul %a, %sa, %za, %b, %sb, %zb : (tensor<1x33026xui8>, tensor<f32>, tensor<ui8>, tensor<33026x1xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x1xf32>
  return %y : tensor<1x1xf32>
}
