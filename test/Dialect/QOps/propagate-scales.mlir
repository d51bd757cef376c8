// RUN: quant-opt %s -split-input-file --propagate-scales -verify-diagnostics | FileCheck %s
// Stable: a second run changes nothing.
// RUN: quant-opt %s -split-input-file --propagate-scales | quant-opt -split-input-file --propagate-scales | FileCheck %s

!a = !quant.uniform<u8:f32, 0.02>
!b = !quant.uniform<u8:f32, 0.015>
!c = !quant.uniform<u8:f32, 0.04:10>

// Same-scale ops take their input's parameters, along a chain.
// CHECK-LABEL: func.func @same_scale_chain
// CHECK: qops.max_pool2d
// CHECK: qops.quantize %{{.+}} : tensor<1x2x2x8xf32> -> tensor<1x2x2x8x!quant.uniform<u8:f32, 2.000000e-02>>
// CHECK: qops.flatten
// CHECK: qops.quantize %{{.+}} : tensor<1x32xf32> -> tensor<1x32x!quant.uniform<u8:f32, 2.000000e-02>>
func.func @same_scale_chain(%q: tensor<1x4x4x8x!a>) -> tensor<1x32xf32> {
  %d = qops.dequantize %q : tensor<1x4x4x8x!a> -> tensor<1x4x4x8xf32>
  %p = qops.max_pool2d %d kernel [2, 2] stride [2, 2] pad [0, 0, 0, 0] : tensor<1x4x4x8xf32>
  %pq = qops.quantize %p : tensor<1x2x2x8xf32> -> tensor<1x2x2x8x!b>
  %pd = qops.dequantize %pq : tensor<1x2x2x8x!b> -> tensor<1x2x2x8xf32>
  %f = qops.flatten %pd axis 1 : tensor<1x2x2x8xf32>
  %fq = qops.quantize %f : tensor<1x32xf32> -> tensor<1x32x!c>
  %fd = qops.dequantize %fq : tensor<1x32x!c> -> tensor<1x32xf32>
  return %fd : tensor<1x32xf32>
}

// -----

!a = !quant.uniform<u8:f32, 0.02>
!c = !quant.uniform<u8:f32, 0.04:10>

// concat: one set of parameters for the union of the input ranges
// ([0, 5.1] and [-0.4, 9.8] -> [-0.4, 9.8]), given to both inputs' quantize
// ops and to the output. !c's range covers the union, so it is the shared
// type exactly.
// CHECK-LABEL: func.func @concat_unified
// CHECK: qops.quantize %{{.+}} : tensor<1x2xf32> -> tensor<1x2x!quant.uniform<u8:f32, 4.000000e-02:10>>
// CHECK: qops.quantize %{{.+}} : tensor<1x2xf32> -> tensor<1x2x!quant.uniform<u8:f32, 4.000000e-02:10>>
// CHECK: qops.concat
// CHECK: qops.quantize %{{.+}} : tensor<1x4xf32> -> tensor<1x4x!quant.uniform<u8:f32, 4.000000e-02:10>>
func.func @concat_unified(%x: tensor<1x2xf32>, %y: tensor<1x2xf32>) -> tensor<1x4xf32> {
  %xq = qops.quantize %x : tensor<1x2xf32> -> tensor<1x2x!a>
  %xd = qops.dequantize %xq : tensor<1x2x!a> -> tensor<1x2xf32>
  %yq = qops.quantize %y : tensor<1x2xf32> -> tensor<1x2x!c>
  %yd = qops.dequantize %yq : tensor<1x2x!c> -> tensor<1x2xf32>
  %cat = qops.concat %xd, %yd axis 1 : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
  %cq = qops.quantize %cat : tensor<1x4xf32> -> tensor<1x4x!a>
  %cd = qops.dequantize %cq : tensor<1x4x!a> -> tensor<1x4xf32>
  return %cd : tensor<1x4xf32>
}

// -----

!a = !quant.uniform<u8:f32, 0.02>
!c = !quant.uniform<u8:f32, 0.04:10>

// Ranges no input covers alone ([0, 5.1] and [-2, 2.55] -> [-2, 5.1]):
// s = 7.1/255, z = round(2 / s) = 72.
// CHECK-LABEL: func.func @concat_union_of_ranges
// CHECK-COUNT-2: qops.quantize %{{.+}} : tensor<1x2xf32> -> tensor<1x2x!quant.uniform<u8:f32, 0.027843{{[0-9]+}}:72>>
// CHECK: qops.concat
// CHECK: qops.quantize %{{.+}} : tensor<1x4xf32> -> tensor<1x4x!quant.uniform<u8:f32, 0.027843{{[0-9]+}}:72>>
func.func @concat_union_of_ranges(%x: tensor<1x2xf32>, %y: tensor<1x2xf32>) -> tensor<1x4xf32> {
  %xq = qops.quantize %x : tensor<1x2xf32> -> tensor<1x2x!a>
  %xd = qops.dequantize %xq : tensor<1x2x!a> -> tensor<1x2xf32>
  %yq = qops.quantize %y : tensor<1x2xf32> -> tensor<1x2x!quant.uniform<u8:f32, 0.02:100>>
  %yd = qops.dequantize %yq : tensor<1x2x!quant.uniform<u8:f32, 0.02:100>> -> tensor<1x2xf32>
  %cat = qops.concat %xd, %yd axis 1 : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
  %cq = qops.quantize %cat : tensor<1x4xf32> -> tensor<1x4x!a>
  %cd = qops.dequantize %cq : tensor<1x4x!a> -> tensor<1x4xf32>
  return %cd : tensor<1x4xf32>
}

// -----

!a = !quant.uniform<u8:f32, 0.02>
!c = !quant.uniform<u8:f32, 0.04:10>

// An input whose value also feeds other ops joins the concat's parameters
// too: its other users read the shared parameters, and nothing is
// requantized.
// CHECK-LABEL: func.func @concat_input_shared
// CHECK: %[[XQ:.+]] = qops.quantize %{{.+}} : tensor<1x2xf32> -> tensor<1x2x!quant.uniform<u8:f32, 4.000000e-02:10>>
// CHECK: %[[XD:.+]] = qops.dequantize %[[XQ]]
// CHECK-NOT: qops.quantize %[[XD]]
// CHECK: qops.concat %[[XD]], %{{.+}}
// CHECK: return %{{.+}}, %[[XD]]
func.func @concat_input_shared(%x: tensor<1x2xf32>, %y: tensor<1x2xf32>) -> (tensor<1x4xf32>, tensor<1x2xf32>) {
  %xq = qops.quantize %x : tensor<1x2xf32> -> tensor<1x2x!a>
  %xd = qops.dequantize %xq : tensor<1x2x!a> -> tensor<1x2xf32>
  %yq = qops.quantize %y : tensor<1x2xf32> -> tensor<1x2x!c>
  %yd = qops.dequantize %yq : tensor<1x2x!c> -> tensor<1x2xf32>
  %cat = qops.concat %xd, %yd axis 1 : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
  %cq = qops.quantize %cat : tensor<1x4xf32> -> tensor<1x4x!c>
  %cd = qops.dequantize %cq : tensor<1x4x!c> -> tensor<1x4xf32>
  return %cd, %xd : tensor<1x4xf32>, tensor<1x2xf32>
}

// -----

!a = !quant.uniform<u8:f32, 0.02>
!b = !quant.uniform<u8:f32, 0.01>
!c = !quant.uniform<u8:f32, 0.04:10>

// A channel shuffle between two concats (ShuffleNetV2's stage): concat ->
// reshape -> transpose -> reshape -> slice, and the slice feeds the next
// concat beside a fresh branch. Parameters flow backwards through the
// same-scale ops: both concats, the shuffle and the branches share one set
// covering every range ([-0.4, 9.8] from !c), so no op needs requantizing.
// CHECK-LABEL: func.func @shuffle_between_concats
// CHECK-NOT: 2.000000e-02
// CHECK-NOT: 1.000000e-02
// CHECK: return
func.func @shuffle_between_concats(%x: tensor<1x2x1x4xf32>, %y: tensor<1x2x1x4xf32>, %z: tensor<1x2x1x2xf32>) -> tensor<1x2x1x4xf32> {
  %xq = qops.quantize %x : tensor<1x2x1x4xf32> -> tensor<1x2x1x4x!a>
  %xd = qops.dequantize %xq : tensor<1x2x1x4x!a> -> tensor<1x2x1x4xf32>
  %yq = qops.quantize %y : tensor<1x2x1x4xf32> -> tensor<1x2x1x4x!b>
  %yd = qops.dequantize %yq : tensor<1x2x1x4x!b> -> tensor<1x2x1x4xf32>
  %c1 = qops.concat %xd, %yd axis 3 : (tensor<1x2x1x4xf32>, tensor<1x2x1x4xf32>) -> tensor<1x2x1x8xf32>
  %c1q = qops.quantize %c1 : tensor<1x2x1x8xf32> -> tensor<1x2x1x8x!a>
  %c1d = qops.dequantize %c1q : tensor<1x2x1x8x!a> -> tensor<1x2x1x8xf32>
  %r = qops.reshape %c1d : tensor<1x2x1x8xf32> -> tensor<1x2x1x2x4xf32>
  %rq = qops.quantize %r : tensor<1x2x1x2x4xf32> -> tensor<1x2x1x2x4x!b>
  %rd = qops.dequantize %rq : tensor<1x2x1x2x4x!b> -> tensor<1x2x1x2x4xf32>
  %t = qops.transpose %rd perm [0, 1, 2, 4, 3] : tensor<1x2x1x2x4xf32>
  %tq = qops.quantize %t : tensor<1x2x1x4x2xf32> -> tensor<1x2x1x4x2x!a>
  %td = qops.dequantize %tq : tensor<1x2x1x4x2x!a> -> tensor<1x2x1x4x2xf32>
  %s = qops.reshape %td : tensor<1x2x1x4x2xf32> -> tensor<1x2x1x8xf32>
  %sq = qops.quantize %s : tensor<1x2x1x8xf32> -> tensor<1x2x1x8x!b>
  %sd = qops.dequantize %sq : tensor<1x2x1x8x!b> -> tensor<1x2x1x8xf32>
  %half = qops.slice %sd offsets [0, 0, 0, 0] strides [1, 1, 1, 1] : tensor<1x2x1x8xf32> -> tensor<1x2x1x2xf32>
  %hq = qops.quantize %half : tensor<1x2x1x2xf32> -> tensor<1x2x1x2x!a>
  %hd = qops.dequantize %hq : tensor<1x2x1x2x!a> -> tensor<1x2x1x2xf32>
  %zq = qops.quantize %z : tensor<1x2x1x2xf32> -> tensor<1x2x1x2x!c>
  %zd = qops.dequantize %zq : tensor<1x2x1x2x!c> -> tensor<1x2x1x2xf32>
  %c2 = qops.concat %hd, %zd axis 3 : (tensor<1x2x1x2xf32>, tensor<1x2x1x2xf32>) -> tensor<1x2x1x4xf32>
  %c2q = qops.quantize %c2 : tensor<1x2x1x4xf32> -> tensor<1x2x1x4x!b>
  %c2d = qops.dequantize %c2q : tensor<1x2x1x4x!b> -> tensor<1x2x1x4xf32>
  return %c2d : tensor<1x2x1x4xf32>
}

// -----

!a = !quant.uniform<u8:f32, 0.02>
!c = !quant.uniform<u8:f32, 0.04:10>

// Inputs whose parameters this pass may not change keep them and are
// requantized for the concat, with a remark: a fixed-range output (sigmoid's
// [0, 1]) and a quantized argument. The other input and the output share
// !c.
// CHECK-LABEL: func.func @concat_pinned_inputs
// CHECK: %[[SQ:.+]] = qops.quantize %{{.+}} : tensor<1x2xf32> -> tensor<1x2x!quant.uniform<u8:f32, 0.0039215688593685627>>
// CHECK: %[[SD:.+]] = qops.dequantize %[[SQ]]
// CHECK: %[[AD:.+]] = qops.dequantize %arg1
// CHECK: %[[RQ0:.+]] = qops.quantize %[[SD]] : tensor<1x2xf32> -> tensor<1x2x!quant.uniform<u8:f32, 4.000000e-02:10>>
// CHECK: %[[RD0:.+]] = qops.dequantize %[[RQ0]]
// CHECK: %[[RQ1:.+]] = qops.quantize %[[AD]] : tensor<1x2xf32> -> tensor<1x2x!quant.uniform<u8:f32, 4.000000e-02:10>>
// CHECK: %[[RD1:.+]] = qops.dequantize %[[RQ1]]
// CHECK: qops.concat %[[RD0]], %[[RD1]], %{{.+}} axis 1
// CHECK: qops.quantize %{{.+}} : tensor<1x6xf32> -> tensor<1x6x!quant.uniform<u8:f32, 4.000000e-02:10>>
func.func @concat_pinned_inputs(%x: tensor<1x2xf32>, %q: tensor<1x2x!a>, %y: tensor<1x2xf32>) -> tensor<1x6xf32> {
  %s = qops.sigmoid %x : tensor<1x2xf32> -> tensor<1x2xf32>
  %sq = qops.quantize %s : tensor<1x2xf32> -> tensor<1x2x!a>
  %sd = qops.dequantize %sq : tensor<1x2x!a> -> tensor<1x2xf32>
  %ad = qops.dequantize %q : tensor<1x2x!a> -> tensor<1x2xf32>
  %yq = qops.quantize %y : tensor<1x2xf32> -> tensor<1x2x!c>
  %yd = qops.dequantize %yq : tensor<1x2x!c> -> tensor<1x2xf32>
  // expected-remark@+2 {{concat input #0 is requantized to the concat's parameters: it comes from qops.sigmoid, whose output range is fixed}}
  // expected-remark@+1 {{concat input #1 is requantized to the concat's parameters: it is not quantized in this function (an argument or a constant)}}
  %cat = qops.concat %sd, %ad, %yd axis 1 : (tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x6xf32>
  %cq = qops.quantize %cat : tensor<1x6xf32> -> tensor<1x6x!a>
  %cd = qops.dequantize %cq : tensor<1x6x!a> -> tensor<1x6xf32>
  return %cd : tensor<1x6xf32>
}

// -----

!a = !quant.uniform<u8:f32, 0.02>

// Fixed output ranges: sigmoid and softmax [0, 1] (s = 1/255), tanh [-1, 1]
// (s = 2/255, z = 127), whatever was calibrated.
// CHECK-LABEL: func.func @fixed_ranges
// CHECK: qops.sigmoid
// CHECK: qops.quantize %{{.+}} -> tensor<1x4x!quant.uniform<u8:f32, 0.0039215688593685627>>
// CHECK: qops.tanh
// CHECK: qops.quantize %{{.+}} -> tensor<1x4x!quant.uniform<u8:f32, 0.0078431377187371254:127>>
// CHECK: qops.softmax
// CHECK: qops.quantize %{{.+}} -> tensor<1x4x!quant.uniform<u8:f32, 0.0039215688593685627>>
func.func @fixed_ranges(%x: tensor<1x4xf32>) -> (tensor<1x4xf32>, tensor<1x4xf32>, tensor<1x4xf32>) {
  %s = qops.sigmoid %x : tensor<1x4xf32> -> tensor<1x4xf32>
  %sq = qops.quantize %s : tensor<1x4xf32> -> tensor<1x4x!a>
  %sd = qops.dequantize %sq : tensor<1x4x!a> -> tensor<1x4xf32>
  %t = qops.tanh %x : tensor<1x4xf32> -> tensor<1x4xf32>
  %tq = qops.quantize %t : tensor<1x4xf32> -> tensor<1x4x!a>
  %td = qops.dequantize %tq : tensor<1x4x!a> -> tensor<1x4xf32>
  %m = qops.softmax %x axis -1 : tensor<1x4xf32> -> tensor<1x4xf32>
  %mq = qops.quantize %m : tensor<1x4xf32> -> tensor<1x4x!a>
  %md = qops.dequantize %mq : tensor<1x4x!a> -> tensor<1x4xf32>
  return %sd, %td, %md : tensor<1x4xf32>, tensor<1x4xf32>, tensor<1x4xf32>
}

// -----

!a = !quant.uniform<u8:f32, 0.02>

// hardsigmoid lies in [0, 1] whatever its alpha and beta (s = 1/255), like
// sigmoid; silu has no fixed range and keeps the calibrated parameters.
// CHECK-LABEL: func.func @fixed_range_hardsigmoid
// CHECK: qops.hardsigmoid
// CHECK: qops.quantize %{{.+}} -> tensor<1x4x!quant.uniform<u8:f32, 0.0039215688593685627>>
// CHECK: qops.silu
// CHECK: qops.quantize %{{.+}} -> tensor<1x4x!quant.uniform<u8:f32, 2.000000e-02>>
func.func @fixed_range_hardsigmoid(%x: tensor<1x4xf32>) -> (tensor<1x4xf32>, tensor<1x4xf32>) {
  %h = qops.hardsigmoid %x alpha 0.3 beta 0.1 : tensor<1x4xf32> -> tensor<1x4xf32>
  %hq = qops.quantize %h : tensor<1x4xf32> -> tensor<1x4x!a>
  %hd = qops.dequantize %hq : tensor<1x4x!a> -> tensor<1x4xf32>
  %s = qops.silu %x : tensor<1x4xf32> -> tensor<1x4xf32>
  %sq = qops.quantize %s : tensor<1x4xf32> -> tensor<1x4x!a>
  %sd = qops.dequantize %sq : tensor<1x4x!a> -> tensor<1x4xf32>
  return %hd, %sd : tensor<1x4xf32>, tensor<1x4xf32>
}

// -----

!a = !quant.uniform<u8:f32, 0.02>
!b = !quant.uniform<u8:f32, 0.015>

// A dequantize -> quantize pair with identical parameters disappears; with
// other parameters it stays (it rounds).
// CHECK-LABEL: func.func @redundant_pairs
// CHECK-SAME: (%[[Q:.+]]: tensor<4x!quant.uniform<u8:f32, 2.000000e-02>>)
// CHECK: %[[R:.+]] = qops.quantize %{{.+}} : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 1.500000e-02>>
// CHECK: return %[[Q]], %[[R]]
func.func @redundant_pairs(%q: tensor<4x!a>) -> (tensor<4x!a>, tensor<4x!b>) {
  %d = qops.dequantize %q : tensor<4x!a> -> tensor<4xf32>
  %same = qops.quantize %d : tensor<4xf32> -> tensor<4x!a>
  %other = qops.quantize %d : tensor<4xf32> -> tensor<4x!b>
  return %same, %other : tensor<4x!a>, tensor<4x!b>
}

// -----

// Negative: a float input (no dequantize) leaves the output parameters
// alone.
// CHECK-LABEL: func.func @float_input
// CHECK: qops.quantize %{{.+}} : tensor<1x2x2x8xf32> -> tensor<1x2x2x8x!quant.uniform<u8:f32, 1.500000e-02>>
func.func @float_input(%x: tensor<1x4x4x8xf32>) -> tensor<1x2x2x8x!quant.uniform<u8:f32, 0.015>> {
  %p = qops.max_pool2d %x kernel [2, 2] stride [2, 2] pad [0, 0, 0, 0] : tensor<1x4x4x8xf32>
  %pq = qops.quantize %p : tensor<1x2x2x8xf32> -> tensor<1x2x2x8x!quant.uniform<u8:f32, 0.015>>
  return %pq : tensor<1x2x2x8x!quant.uniform<u8:f32, 0.015>>
}

// -----

!a = !quant.uniform<u8:f32, 0.5:128>
!w = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.125}>
!o = !quant.uniform<u8:f32, 0.1>

// A float bias becomes i32 with zero point 0 and scale s_in * s_w[c], per
// output channel; a per-tensor weight gives a per-tensor bias.
// CHECK-LABEL: func.func @bias_per_channel
// CHECK: %[[B:.+]] = qops.quantize %{{.+}} : tensor<2xf32> -> tensor<2x!quant.uniform<i32:f32:0, {1.250000e-01,6.250000e-02}>>
// CHECK: %[[BD:.+]] = qops.dequantize %[[B]]
// CHECK: qops.fully_connected %{{.+}}, %{{.+}}, %[[BD]]
func.func @bias_per_channel(%q: tensor<1x4x!a>) -> tensor<1x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x4xf32>
  %b = arith.constant dense<[0.5, -0.25]> : tensor<2xf32>
  %d = qops.dequantize %q : tensor<1x4x!a> -> tensor<1x4xf32>
  %wq = qops.quantize %w : tensor<2x4xf32> -> tensor<2x4x!w>
  %wd = qops.dequantize %wq : tensor<2x4x!w> -> tensor<2x4xf32>
  %y = qops.fully_connected %d, %wd, %b : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %yq = qops.quantize %y : tensor<1x2xf32> -> tensor<1x2x!o>
  %yd = qops.dequantize %yq : tensor<1x2x!o> -> tensor<1x2xf32>
  return %yd : tensor<1x2xf32>
}

// An input range so small that the bias would not fit i32 at scale
// s_in * s_w[c]: channel 0's weight scale widens to |b| / (s_in * 2^30) =
// 0.5 * 2^40 / 2^30 = 512 (so the bias is 2^30 quanta of 2^-31), with a
// remark; channel 1 (bias 0) keeps its scale.
// CHECK-LABEL: func.func @bias_widens_weight
// CHECK: qops.quantize %{{.+}} : tensor<2x4xf32> -> tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {5.120000e+02,1.250000e-01}>>
// CHECK: qops.quantize %{{.+}} : tensor<2xf32> -> tensor<2x!quant.uniform<i32:f32:0, {4.6566128730773926E-10,1.1368683772161603E-13}>>
func.func @bias_widens_weight(%q: tensor<1x4x!quant.uniform<u8:f32, 9.094947017729282e-13:128>>) -> tensor<1x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x4xf32>
  %b = arith.constant dense<[0.5, 0.0]> : tensor<2xf32>
  %d = qops.dequantize %q : tensor<1x4x!quant.uniform<u8:f32, 9.094947017729282e-13:128>> -> tensor<1x4xf32>
  %wq = qops.quantize %w : tensor<2x4xf32> -> tensor<2x4x!w>
  %wd = qops.dequantize %wq : tensor<2x4x!w> -> tensor<2x4xf32>
  // expected-remark @below {{the bias of output channel 0 (5.000000e-01) does not fit i32 at scale s_in * s_w (the input's scale is 9.094947e-13): its weight scale is widened from 2.500000e-01 to 5.120000e+02 (1 channel(s)); the weights' part of these outputs is below that resolution}}
  %y = qops.fully_connected %d, %wd, %b : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %yq = qops.quantize %y : tensor<1x2xf32> -> tensor<1x2x!o>
  %yd = qops.dequantize %yq : tensor<1x2x!o> -> tensor<1x2xf32>
  return %yd : tensor<1x2xf32>
}

// CHECK-LABEL: func.func @bias_per_tensor
// CHECK: qops.quantize %{{.+}} : tensor<2xf32> -> tensor<2x!quant.uniform<i32:f32, 1.250000e-01>>
func.func @bias_per_tensor(%q: tensor<1x4x!a>) -> tensor<1x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x4xf32>
  %b = arith.constant dense<[0.5, -0.25]> : tensor<2xf32>
  %d = qops.dequantize %q : tensor<1x4x!a> -> tensor<1x4xf32>
  %wq = qops.quantize %w : tensor<2x4xf32> -> tensor<2x4x!quant.uniform<i8<-127:127>:f32, 0.25>>
  %wd = qops.dequantize %wq : tensor<2x4x!quant.uniform<i8<-127:127>:f32, 0.25>> -> tensor<2x4xf32>
  %y = qops.fully_connected %d, %wd, %b : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %yq = qops.quantize %y : tensor<1x2xf32> -> tensor<1x2x!o>
  %yd = qops.dequantize %yq : tensor<1x2x!o> -> tensor<1x2xf32>
  return %yd : tensor<1x2xf32>
}

// -----

!a = !quant.uniform<u8:f32, 0.02>
!b = !quant.uniform<u8:f32, 0.015>

// slice is scale-preserving: its result takes the input's parameters.
// CHECK-LABEL: func.func @slice_same_scale
// CHECK: qops.slice
// CHECK: qops.quantize %{{.+}} : tensor<1x2x2x4xf32> -> tensor<1x2x2x4x!quant.uniform<u8:f32, 2.000000e-02>>
func.func @slice_same_scale(%q: tensor<1x4x4x8x!a>) -> tensor<1x2x2x4xf32> {
  %d = qops.dequantize %q : tensor<1x4x4x8x!a> -> tensor<1x4x4x8xf32>
  %s = qops.slice %d offsets [0, 0, 1, 4] strides [1, 2, 2, 1] : tensor<1x4x4x8xf32> -> tensor<1x2x2x4xf32>
  %sq = qops.quantize %s : tensor<1x2x2x4xf32> -> tensor<1x2x2x4x!b>
  %sd = qops.dequantize %sq : tensor<1x2x2x4x!b> -> tensor<1x2x2x4xf32>
  return %sd : tensor<1x2x2x4xf32>
}
