// RUN: quant-opt %s -split-input-file --convert-to-integer -verify-diagnostics --mlir-print-elementsattrs-with-hex-if-larger=-1 | FileCheck %s

// Element functions of 8-bit tensors become 256-entry tables: entry
// v - qmin holds quantize_out(f(dequantize_in(v))).

// relu6 from i8 (scale 1) to u8 (scale 1): entry v + 128 is clamp(v, 0, 6):
// 128 zeros for v < 0, then 0..6, then 121 sixes.
// CHECK-LABEL: func.func @relu6_table
// CHECK: qops.table %{{.*}}, dense<[{{(0, ){128}0}}, 1, 2, 3, 4, 5, 6, {{(6, ){120}6}}]> : tensor<256xi32>
// CHECK-SAME: -> tensor<4x!quant.uniform<u8:f32, 1.000000e+00>>
func.func @relu6_table(%q: tensor<4x!quant.uniform<i8:f32, 1.0>>) -> tensor<4x!quant.uniform<u8:f32, 1.0>> {
  %d = qops.dequantize %q : tensor<4x!quant.uniform<i8:f32, 1.0>> -> tensor<4xf32>
  %r = qops.relu6 %d : tensor<4xf32>
  %rq = qops.quantize %r : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 1.0>>
  return %rq : tensor<4x!quant.uniform<u8:f32, 1.0>>
}

// -----

// sigmoid from i8 (scale 1/16: x = v / 16) to u8 (scale 1/256): v = -128
// gives sigmoid(-8) = 0.000335 -> 0; v = 0 gives 0.5 -> 128; v = 127 gives
// sigmoid(7.9375) = 0.99964 -> 255.9, saturated to 255.
// CHECK-LABEL: func.func @sigmoid_table
// CHECK: qops.table %{{.*}}, dense<[0, {{([0-9]+, ){127}1}}28, {{([0-9]+, ){126}2}}55]> : tensor<256xi32>
func.func @sigmoid_table(%q: tensor<4x!quant.uniform<i8:f32, 0.0625>>) -> tensor<4x!quant.uniform<u8:f32, 0.00390625>> {
  %d = qops.dequantize %q : tensor<4x!quant.uniform<i8:f32, 0.0625>> -> tensor<4xf32>
  %s = qops.sigmoid %d : tensor<4xf32> -> tensor<4xf32>
  %sq = qops.quantize %s : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.00390625>>
  return %sq : tensor<4x!quant.uniform<u8:f32, 0.00390625>>
}

// -----

// No table for a 16-bit input (65536 entries) or a per-axis one.
// CHECK-LABEL: func.func @no_table
// CHECK: qops.tanh
// CHECK: qops.sigmoid
func.func @no_table(%a: tensor<1x2x!quant.uniform<i16:f32, 0.001>>, %b: tensor<1x2x!quant.uniform<u8:f32:1, {0.1, 0.2}>>) -> (tensor<1x2x!quant.uniform<u8:f32, 0.0078125:128>>, tensor<1x2x!quant.uniform<u8:f32, 0.00390625>>) {
  %da = qops.dequantize %a : tensor<1x2x!quant.uniform<i16:f32, 0.001>> -> tensor<1x2xf32>
  // expected-remark @below {{stays in float between dequantize and quantize: its input is i16, and only an 8-bit input has a 256-entry table}}
  %t = qops.tanh %da : tensor<1x2xf32> -> tensor<1x2xf32>
  %tq = qops.quantize %t : tensor<1x2xf32> -> tensor<1x2x!quant.uniform<u8:f32, 0.0078125:128>>
  %db = qops.dequantize %b : tensor<1x2x!quant.uniform<u8:f32:1, {0.1, 0.2}>> -> tensor<1x2xf32>
  // expected-remark @below {{stays in float between dequantize and quantize: its input is quantized per axis (a table needs one set of parameters)}}
  %s = qops.sigmoid %db : tensor<1x2xf32> -> tensor<1x2xf32>
  %sq = qops.quantize %s : tensor<1x2xf32> -> tensor<1x2x!quant.uniform<u8:f32, 0.00390625>>
  return %tq, %sq : tensor<1x2x!quant.uniform<u8:f32, 0.0078125:128>>, tensor<1x2x!quant.uniform<u8:f32, 0.00390625>>
}

// -----

// A standalone relu6 on a 16-bit input whose parameters differ from its
// result's has neither a clamp nor a table form.
// CHECK-LABEL: func.func @relu6_i16
// CHECK: qops.relu6 %{{.*}} : tensor<4xf32>
func.func @relu6_i16(%q: tensor<4x!quant.uniform<i16:f32, 0.001>>) -> tensor<4x!quant.uniform<i16:f32, 0.002>> {
  %d = qops.dequantize %q : tensor<4x!quant.uniform<i16:f32, 0.001>> -> tensor<4xf32>
  // expected-remark @below {{stays in float between dequantize and quantize: operand #0 has scale 0.001 and zero point 0, the result scale 0.002 and zero point 0: a standalone qops.relu6 is a clamp of the integers only when its input and result share parameters, and calibration gave them different ranges (--fuse-activations folds it into its producer only when that is a conv2d, matmul, fully_connected or add whose result has no other user)}}
  %r = qops.relu6 %d : tensor<4xf32>
  %rq = qops.quantize %r : tensor<4xf32> -> tensor<4x!quant.uniform<i16:f32, 0.002>>
  return %rq : tensor<4x!quant.uniform<i16:f32, 0.002>>
}

// -----

// neg from i8 (scale 1) to i8 (scale 1): entry v + 128 is -v, saturated at
// 127 for v = -128.
// CHECK-LABEL: func.func @neg_table
// CHECK: qops.table %{{.*}}, dense<[127, 127, 126, {{.*}}, -126, -127]> : tensor<256xi32>
func.func @neg_table(%q: tensor<4x!quant.uniform<i8:f32, 1.0>>) -> tensor<4x!quant.uniform<i8:f32, 1.0>> {
  %d = qops.dequantize %q : tensor<4x!quant.uniform<i8:f32, 1.0>> -> tensor<4xf32>
  %n = qops.neg %d : tensor<4xf32> -> tensor<4xf32>
  %nq = qops.quantize %n : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 1.0>>
  return %nq : tensor<4x!quant.uniform<i8:f32, 1.0>>
}

// -----

// A binary element function with a constant scalar operand is a table of
// the other operand: 2 / x for x = v (u8, scale 1), result scale 1/128:
// 2 / 0 = inf -> 255, 2 / 1 = 2 -> 256 -> 255, 1 -> 128, 0.667 -> 85,
// 0.5 -> 64, ..., 2 / 255 -> 1. The constant's quantize goes too.
// CHECK-LABEL: func.func @div_constant_table
// CHECK-NOT: qops.div
// CHECK: qops.table %arg0, dense<[255, 255, 128, 85, 64, {{.*}}, 1, 1]> : tensor<256xi32>
// CHECK-NOT: qops.quantize
func.func @div_constant_table(%q: tensor<4x!quant.uniform<u8:f32, 1.0>>) -> tensor<4x!quant.uniform<u8:f32, 0.0078125>> {
  %c = arith.constant dense<2.0> : tensor<f32>
  %cq = qops.quantize %c : tensor<f32> -> tensor<!quant.uniform<u8:f32, 1.0>>
  %cd = qops.dequantize %cq : tensor<!quant.uniform<u8:f32, 1.0>> -> tensor<f32>
  %d = qops.dequantize %q : tensor<4x!quant.uniform<u8:f32, 1.0>> -> tensor<4xf32>
  %r = qops.div %cd, %d : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %rq = qops.quantize %r : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.0078125>>
  return %rq : tensor<4x!quant.uniform<u8:f32, 0.0078125>>
}

// -----

// pow(x, 2) for x = v / 16 (i8), result scale 0.5, zero point -128: the
// table of the base, 64 -> 0 at v = -128, 0 -> -128 at v = 0, and
// 63.0039 -> -2 at v = 127.
// CHECK-LABEL: func.func @pow_constant_table
// CHECK: qops.table %arg0, dense<[0, -2, -4, {{.*}}, -128, {{.*}}, -4, -2]> : tensor<256xi32>
func.func @pow_constant_table(%q: tensor<4x!quant.uniform<i8:f32, 0.0625>>) -> tensor<4x!quant.uniform<i8:f32, 0.5:-128>> {
  %c = arith.constant dense<2.0> : tensor<1xf32>
  %cq = qops.quantize %c : tensor<1xf32> -> tensor<1x!quant.uniform<u8:f32, 1.0>>
  %cd = qops.dequantize %cq : tensor<1x!quant.uniform<u8:f32, 1.0>> -> tensor<1xf32>
  %d = qops.dequantize %q : tensor<4x!quant.uniform<i8:f32, 0.0625>> -> tensor<4xf32>
  %r = qops.pow %d, %cd : (tensor<4xf32>, tensor<1xf32>) -> tensor<4xf32>
  %rq = qops.quantize %r : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.5:-128>>
  return %rq : tensor<4x!quant.uniform<i8:f32, 0.5:-128>>
}

// -----

// No table when neither operand is a constant scalar, or when the
// constant broadcasts the other operand to a larger shape: float islands.
// CHECK-LABEL: func.func @no_binary_table
// CHECK: qops.div
// CHECK: qops.pow
func.func @no_binary_table(%a: tensor<4x!quant.uniform<u8:f32, 0.1>>, %b: tensor<4x!quant.uniform<u8:f32, 0.1>>) -> (tensor<4x!quant.uniform<u8:f32, 0.1>>, tensor<2x4x!quant.uniform<u8:f32, 0.1>>) {
  %da = qops.dequantize %a : tensor<4x!quant.uniform<u8:f32, 0.1>> -> tensor<4xf32>
  %db = qops.dequantize %b : tensor<4x!quant.uniform<u8:f32, 0.1>> -> tensor<4xf32>
  // expected-remark @below {{stays in float between dequantize and quantize: neither operand is a constant scalar (a qops.div of two run-time tensors has no integer form; a float island)}}
  %r = qops.div %da, %db : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %rq = qops.quantize %r : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.1>>
  %c = arith.constant dense<2.0> : tensor<2x4xf32>
  %cq = qops.quantize %c : tensor<2x4xf32> -> tensor<2x4x!quant.uniform<u8:f32, 1.0>>
  %cd = qops.dequantize %cq : tensor<2x4x!quant.uniform<u8:f32, 1.0>> -> tensor<2x4xf32>
  // expected-remark @below {{stays in float between dequantize and quantize: the constant operand broadcasts the other one to a larger shape (a table keeps its input's shape)}}
  %p = qops.pow %da, %cd : (tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %pq = qops.quantize %p : tensor<2x4xf32> -> tensor<2x4x!quant.uniform<u8:f32, 0.1>>
  return %rq, %pq : tensor<4x!quant.uniform<u8:f32, 0.1>>, tensor<2x4x!quant.uniform<u8:f32, 0.1>>
}
