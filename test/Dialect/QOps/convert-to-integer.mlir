// RUN: quant-opt %s -split-input-file --convert-to-integer -verify-diagnostics | FileCheck %s
// RUN: quant-opt %s -split-input-file --convert-to-integer="requant=fixed-point" -verify-diagnostics | FileCheck %s --check-prefix=FIXED

!x = !quant.uniform<u8:f32, 0.02:128>
!w = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.125}>
!b = !quant.uniform<i32:f32:0, {0.005, 0.0025}>
!y = !quant.uniform<u8:f32, 0.1>

// conv2d with per-channel weights and an i32 bias: the dequantize / quantize
// ops go, the weight and bias stay quantized constants, the fused clamp
// stays on the op; the function records the requantization mode.
// CHECK-LABEL: func.func @conv
// CHECK-SAME: attributes {qops.requant = "float"}
// FIXED: attributes {qops.requant = "fixed-point"}
// CHECK: %[[W:.+]] = qops.quantize %{{.+}} : tensor<2x3x3x4xf32> -> tensor<2x3x3x4x!quant.uniform<i8<-127:127>:f32:0, {2.500000e-01,1.250000e-01}>>
// CHECK: %[[B:.+]] = qops.quantize %{{.+}} : tensor<2xf32> -> tensor<2x!quant.uniform<i32:f32:0, {5.000000e-03,2.500000e-03}>>
// CHECK: %[[Y:.+]] = qops.conv2d %arg0, %[[W]], %[[B]] stride [1, 1] pad [1, 1, 1, 1] dilation [1, 1] groups 1 {clamp_min = 0.000000e+00 : f32}
// CHECK-SAME: -> tensor<1x4x4x2x!quant.uniform<u8:f32, 1.000000e-01>>
// CHECK-NOT: qops.dequantize
// CHECK: return %[[Y]]
func.func @conv(%q: tensor<1x4x4x4x!x>) -> tensor<1x4x4x2x!y> {
  %wf = arith.constant dense<0.5> : tensor<2x3x3x4xf32>
  %bf = arith.constant dense<[0.1, 0.2]> : tensor<2xf32>
  %d = qops.dequantize %q : tensor<1x4x4x4x!x> -> tensor<1x4x4x4xf32>
  %wq = qops.quantize %wf : tensor<2x3x3x4xf32> -> tensor<2x3x3x4x!w>
  %wd = qops.dequantize %wq : tensor<2x3x3x4x!w> -> tensor<2x3x3x4xf32>
  %bq = qops.quantize %bf : tensor<2xf32> -> tensor<2x!b>
  %bd = qops.dequantize %bq : tensor<2x!b> -> tensor<2xf32>
  %c = qops.conv2d %d, %wd, %bd stride [1, 1] pad [1, 1, 1, 1] dilation [1, 1] groups 1 {clamp_min = 0.0 : f32, qops.range = array<f64: 0.0, 25.5>}
       : (tensor<1x4x4x4xf32>, tensor<2x3x3x4xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  %cq = qops.quantize %c : tensor<1x4x4x2xf32> -> tensor<1x4x4x2x!y>
  return %cq : tensor<1x4x4x2x!y>
}

// -----

!a = !quant.uniform<u8:f32, 0.02:128>
!b = !quant.uniform<u8:f32, 0.03:100>
!s = !quant.uniform<u8:f32, 0.05:10>

// add and mul take operands with their own parameters; max_pool2d and
// flatten copy integers with shared parameters; the QDQ pair of a value
// that changes parameters becomes a requantize.
// CHECK-LABEL: func.func @elementwise_and_copies
// CHECK: %[[ADD:.+]] = qops.add %arg0, %arg1 : (tensor<1x4x4x8x!quant.uniform<u8:f32, 2.000000e-02:128>>, tensor<1x4x4x8x!quant.uniform<u8:f32, 3.000000e-02:100>>) -> tensor<1x4x4x8x!quant.uniform<u8:f32, 5.000000e-02:10>>
// CHECK: %[[MUL:.+]] = qops.mul %[[ADD]], %arg1
// CHECK: %[[POOL:.+]] = qops.max_pool2d %[[MUL]] kernel [2, 2] stride [2, 2] pad [0, 0, 0, 0] : tensor<1x4x4x8x!quant.uniform<u8:f32, 5.000000e-02:10>>
// CHECK: %[[AVG:.+]] = qops.global_avg_pool %[[POOL]] : tensor<1x2x2x8x!quant.uniform<u8:f32, 5.000000e-02:10>> -> tensor<1x1x1x8x!quant.uniform<u8:f32, 2.000000e-02:128>>
// CHECK: %[[FLAT:.+]] = qops.flatten %[[AVG]] axis 1
// CHECK: %[[REQ:.+]] = qops.requantize %[[FLAT]] : tensor<1x8x!quant.uniform<u8:f32, 2.000000e-02:128>> -> tensor<1x8x!quant.uniform<u8:f32, 3.000000e-02:100>>
// CHECK: return %[[REQ]]
func.func @elementwise_and_copies(%qa: tensor<1x4x4x8x!a>, %qb: tensor<1x4x4x8x!b>) -> tensor<1x8x!b> {
  %a = qops.dequantize %qa : tensor<1x4x4x8x!a> -> tensor<1x4x4x8xf32>
  %b = qops.dequantize %qb : tensor<1x4x4x8x!b> -> tensor<1x4x4x8xf32>
  %sum = qops.add %a, %b : (tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  %sumq = qops.quantize %sum : tensor<1x4x4x8xf32> -> tensor<1x4x4x8x!s>
  %sumd = qops.dequantize %sumq : tensor<1x4x4x8x!s> -> tensor<1x4x4x8xf32>
  %prod = qops.mul %sumd, %b : (tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  %prodq = qops.quantize %prod : tensor<1x4x4x8xf32> -> tensor<1x4x4x8x!s>
  %prodd = qops.dequantize %prodq : tensor<1x4x4x8x!s> -> tensor<1x4x4x8xf32>
  %p = qops.max_pool2d %prodd kernel [2, 2] stride [2, 2] pad [0, 0, 0, 0] : tensor<1x4x4x8xf32>
  %pq = qops.quantize %p : tensor<1x2x2x8xf32> -> tensor<1x2x2x8x!s>
  %pd = qops.dequantize %pq : tensor<1x2x2x8x!s> -> tensor<1x2x2x8xf32>
  %g = qops.global_avg_pool %pd : tensor<1x2x2x8xf32> -> tensor<1x1x1x8xf32>
  %gq = qops.quantize %g : tensor<1x1x1x8xf32> -> tensor<1x1x1x8x!a>
  %gd = qops.dequantize %gq : tensor<1x1x1x8x!a> -> tensor<1x1x1x8xf32>
  %f = qops.flatten %gd axis 1 : tensor<1x1x1x8xf32>
  %fq = qops.quantize %f : tensor<1x8xf32> -> tensor<1x8x!a>
  %fd = qops.dequantize %fq : tensor<1x8x!a> -> tensor<1x8xf32>
  %r = qops.quantize %fd : tensor<1x8xf32> -> tensor<1x8x!b>
  return %r : tensor<1x8x!b>
}

// -----

!a = !quant.uniform<u8:f32, 0.02:128>
!p = !quant.uniform<u8:f32, 0.00392156862745098>

// An op without an integer form stays in float between its dequantize and
// quantize, and says so.
// CHECK-LABEL: func.func @fallback
// CHECK: %[[D:.+]] = qops.dequantize %arg0
// CHECK: %[[S:.+]] = qops.softmax %[[D]]
// CHECK: qops.quantize %[[S]]
func.func @fallback(%q: tensor<1x10x!a>) -> tensor<1x10x!p> {
  %d = qops.dequantize %q : tensor<1x10x!a> -> tensor<1x10xf32>
  // expected-remark @below {{stays in float between dequantize and quantize: it has no integer implementation}}
  %s = qops.softmax %d axis -1 : tensor<1x10xf32> -> tensor<1x10xf32>
  %sq = qops.quantize %s : tensor<1x10xf32> -> tensor<1x10x!p>
  return %sq : tensor<1x10x!p>
}

// -----

!a = !quant.uniform<u8:f32, 0.02:128>
!c = !quant.uniform<u8:f32, 0.04:10>

// A same-scale op whose parameters differ (no --propagate-scales) stays in
// float; so does an op whose result is used in float too, and an op with a
// float bias.
func.func @unshared(%q: tensor<1x4x4x8x!a>) -> tensor<1x2x2x8x!c> {
  %d = qops.dequantize %q : tensor<1x4x4x8x!a> -> tensor<1x4x4x8xf32>
  // expected-remark @below {{stays in float between dequantize and quantize: operand #0 has scale 0.02 and zero point 128, the result scale 0.04 and zero point 10: an op that copies integers needs them equal (--propagate-scales makes them so unless both are fixed: by a fixed-range op, an argument or a quantized value used directly; run it first if this pipeline does not)}}
  %p = qops.max_pool2d %d kernel [2, 2] stride [2, 2] pad [0, 0, 0, 0] : tensor<1x4x4x8xf32>
  %pq = qops.quantize %p : tensor<1x2x2x8xf32> -> tensor<1x2x2x8x!c>
  return %pq : tensor<1x2x2x8x!c>
}

// A standalone activation whose input and result were calibrated to
// different ranges (its producer's result has other users, so it was not
// fused): a table of its 256 input values (convert-to-integer-tables.mlir
// checks the entries).
// CHECK-LABEL: func.func @standalone_relu6
// CHECK-NEXT: qops.table %{{.*}} : tensor<1x4x!quant.uniform<u8:f32, 2.000000e-02:128>> -> tensor<1x4x!quant.uniform<u8:f32, 4.000000e-02:10>>
func.func @standalone_relu6(%q: tensor<1x4x!a>) -> tensor<1x4x!c> {
  %d = qops.dequantize %q : tensor<1x4x!a> -> tensor<1x4xf32>
  %r = qops.relu6 %d : tensor<1x4xf32>
  %rq = qops.quantize %r : tensor<1x4xf32> -> tensor<1x4x!c>
  return %rq : tensor<1x4x!c>
}

// A bias quantized in the input to 8 bits (--propagate-scales keeps it).
func.func @i8_bias(%q: tensor<1x4x!a>) -> tensor<1x2x!c> {
  %w = arith.constant dense<1.0> : tensor<2x4xf32>
  %b = arith.constant dense<0.5> : tensor<2xf32>
  %d = qops.dequantize %q : tensor<1x4x!a> -> tensor<1x4xf32>
  %wq = qops.quantize %w : tensor<2x4xf32> -> tensor<2x4x!quant.uniform<i8<-127:127>:f32, 0.25>>
  %wd = qops.dequantize %wq : tensor<2x4x!quant.uniform<i8<-127:127>:f32, 0.25>> -> tensor<2x4xf32>
  %bq = qops.quantize %b : tensor<2xf32> -> tensor<2x!quant.uniform<i8:f32, 0.01>>
  %bd = qops.dequantize %bq : tensor<2x!quant.uniform<i8:f32, 0.01>> -> tensor<2xf32>
  // expected-remark @below {{stays in float between dequantize and quantize: its bias is quantized to i8, not to i32; --propagate-scales quantizes only float biases (to i32 with scale s_in * s_w) and keeps this one, which was already quantized in the input: give the op a float bias}}
  %y = qops.fully_connected %d, %wd, %bd : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %yq = qops.quantize %y : tensor<1x2xf32> -> tensor<1x2x!c>
  return %yq : tensor<1x2x!c>
}

func.func @float_user(%q: tensor<1x4x4x8x!a>) -> (tensor<1x2x2x8x!a>, tensor<1x2x2x8xf32>) {
  %d = qops.dequantize %q : tensor<1x4x4x8x!a> -> tensor<1x4x4x8xf32>
  // expected-remark @below {{stays in float between dequantize and quantize: its result is not quantized (its only user must be a qops.quantize)}}
  %p = qops.max_pool2d %d kernel [2, 2] stride [2, 2] pad [0, 0, 0, 0] : tensor<1x4x4x8xf32>
  %pq = qops.quantize %p : tensor<1x2x2x8xf32> -> tensor<1x2x2x8x!a>
  return %pq, %p : tensor<1x2x2x8x!a>, tensor<1x2x2x8xf32>
}

func.func @float_bias(%q: tensor<1x4x!a>) -> tensor<1x2x!c> {
  %w = arith.constant dense<1.0> : tensor<2x4xf32>
  %b = arith.constant dense<0.5> : tensor<2xf32>
  %d = qops.dequantize %q : tensor<1x4x!a> -> tensor<1x4xf32>
  %wq = qops.quantize %w : tensor<2x4xf32> -> tensor<2x4x!quant.uniform<i8<-127:127>:f32, 0.25>>
  %wd = qops.dequantize %wq : tensor<2x4x!quant.uniform<i8<-127:127>:f32, 0.25>> -> tensor<2x4xf32>
  // expected-remark @below {{stays in float between dequantize and quantize: operand #2 is not dequantized}}
  %y = qops.fully_connected %d, %wd, %b : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %yq = qops.quantize %y : tensor<1x2xf32> -> tensor<1x2x!c>
  return %yq : tensor<1x2x!c>
}

// -----

!x = !quant.uniform<u8:f32, 0.02:128>
!w = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.125}>
!m = !quant.uniform<i8<-127:127>:f32:1, {0.25, 0.125}>
!b = !quant.uniform<i32:f32:0, {0.005, 0.0025}>
!y = !quant.uniform<u8:f32, 0.1>

// fully_connected (weights per channel along dimension 0) and matmul
// (constant right operand per channel along its last dimension) with i32
// biases; a standalone relu6 whose parameters are shared, an average pool,
// and pad / transpose / reshape / concat with shared parameters.
// CHECK-LABEL: func.func @products_and_shapes
// CHECK: %[[FC:.+]] = qops.fully_connected %arg0, %{{.+}}, %{{.+}} : (tensor<1x4x!quant.uniform<u8:f32, 2.000000e-02:128>>, {{.+}}) -> tensor<1x2x!quant.uniform<u8:f32, 1.000000e-01>>
// CHECK: %[[MM:.+]] = qops.matmul %arg0, %{{.+}}, %{{.+}} : (tensor<1x4x!quant.uniform<u8:f32, 2.000000e-02:128>>, tensor<4x2x!quant.uniform<i8<-127:127>:f32:1, {2.500000e-01,1.250000e-01}>>, {{.+}}) -> tensor<1x2x!quant.uniform<u8:f32, 1.000000e-01>>
// CHECK: %[[R6:.+]] = qops.relu6 %[[FC]] : tensor<1x2x!quant.uniform<u8:f32, 1.000000e-01>>
// CHECK: %[[CAT:.+]] = qops.concat %[[R6]], %[[MM]] axis 1 : ({{.+}}) -> tensor<1x4x!quant.uniform<u8:f32, 1.000000e-01>>
// CHECK: %[[PAD:.+]] = qops.pad %[[CAT]] pad [0, 0, 1, 1] : tensor<1x4x!quant.uniform<u8:f32, 1.000000e-01>>
// CHECK: %[[TR:.+]] = qops.transpose %[[PAD]] perm [1, 0] : tensor<1x6x!quant.uniform<u8:f32, 1.000000e-01>>
// CHECK: %[[RS:.+]] = qops.reshape %[[TR]] : tensor<6x1x!quant.uniform<u8:f32, 1.000000e-01>> -> tensor<1x2x3x1x!quant.uniform<u8:f32, 1.000000e-01>>
// CHECK: qops.avg_pool2d %[[RS]] kernel [2, 2] stride [1, 1] pad [0, 0, 0, 0] : tensor<1x2x3x1x!quant.uniform<u8:f32, 1.000000e-01>> -> tensor<1x1x2x1x!quant.uniform<u8:f32, 5.000000e-02>>
func.func @products_and_shapes(%q: tensor<1x4x!x>) -> tensor<1x1x2x1x!quant.uniform<u8:f32, 0.05>> {
  %wf = arith.constant dense<0.5> : tensor<2x4xf32>
  %mf = arith.constant dense<0.5> : tensor<4x2xf32>
  %bf = arith.constant dense<[0.1, 0.2]> : tensor<2xf32>
  %d = qops.dequantize %q : tensor<1x4x!x> -> tensor<1x4xf32>
  %wq = qops.quantize %wf : tensor<2x4xf32> -> tensor<2x4x!w>
  %wd = qops.dequantize %wq : tensor<2x4x!w> -> tensor<2x4xf32>
  %mq = qops.quantize %mf : tensor<4x2xf32> -> tensor<4x2x!m>
  %md = qops.dequantize %mq : tensor<4x2x!m> -> tensor<4x2xf32>
  %bq = qops.quantize %bf : tensor<2xf32> -> tensor<2x!b>
  %bd = qops.dequantize %bq : tensor<2x!b> -> tensor<2xf32>
  %fc = qops.fully_connected %d, %wd, %bd : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %fcq = qops.quantize %fc : tensor<1x2xf32> -> tensor<1x2x!y>
  %fcd = qops.dequantize %fcq : tensor<1x2x!y> -> tensor<1x2xf32>
  %mm = qops.matmul %d, %md, %bd : (tensor<1x4xf32>, tensor<4x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %mmq = qops.quantize %mm : tensor<1x2xf32> -> tensor<1x2x!y>
  %mmd = qops.dequantize %mmq : tensor<1x2x!y> -> tensor<1x2xf32>
  %r6 = qops.relu6 %fcd : tensor<1x2xf32>
  %r6q = qops.quantize %r6 : tensor<1x2xf32> -> tensor<1x2x!y>
  %r6d = qops.dequantize %r6q : tensor<1x2x!y> -> tensor<1x2xf32>
  %cat = qops.concat %r6d, %mmd axis 1 : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x4xf32>
  %catq = qops.quantize %cat : tensor<1x4xf32> -> tensor<1x4x!y>
  %catd = qops.dequantize %catq : tensor<1x4x!y> -> tensor<1x4xf32>
  %pad = qops.pad %catd pad [0, 0, 1, 1] : tensor<1x4xf32>
  %padq = qops.quantize %pad : tensor<1x6xf32> -> tensor<1x6x!y>
  %padd = qops.dequantize %padq : tensor<1x6x!y> -> tensor<1x6xf32>
  %tr = qops.transpose %padd perm [1, 0] : tensor<1x6xf32>
  %trq = qops.quantize %tr : tensor<6x1xf32> -> tensor<6x1x!y>
  %trd = qops.dequantize %trq : tensor<6x1x!y> -> tensor<6x1xf32>
  %rs = qops.reshape %trd : tensor<6x1xf32> -> tensor<1x2x3x1xf32>
  %rsq = qops.quantize %rs : tensor<1x2x3x1xf32> -> tensor<1x2x3x1x!y>
  %rsd = qops.dequantize %rsq : tensor<1x2x3x1x!y> -> tensor<1x2x3x1xf32>
  %ap = qops.avg_pool2d %rsd kernel [2, 2] stride [1, 1] pad [0, 0, 0, 0] : tensor<1x2x3x1xf32> -> tensor<1x1x2x1xf32>
  %apq = qops.quantize %ap : tensor<1x1x2x1xf32> -> tensor<1x1x2x1x!quant.uniform<u8:f32, 0.05>>
  return %apq : tensor<1x1x2x1x!quant.uniform<u8:f32, 0.05>>
}

// -----

!y = !quant.uniform<u8:f32, 0.1>

// A slice between a dequantize and a quantize of the same parameters is a
// slice of the integers.
// CHECK-LABEL: func.func @slice_integer
// CHECK: %[[S:.+]] = qops.slice %arg0 offsets [0, 1] strides [1, 2] : tensor<1x6x!quant.uniform<u8:f32, 1.000000e-01>> -> tensor<1x3x!quant.uniform<u8:f32, 1.000000e-01>>
// CHECK-NEXT: return %[[S]]
func.func @slice_integer(%q: tensor<1x6x!y>) -> tensor<1x3x!y> {
  %d = qops.dequantize %q : tensor<1x6x!y> -> tensor<1x6xf32>
  %s = qops.slice %d offsets [0, 1] strides [1, 2] : tensor<1x6xf32> -> tensor<1x3xf32>
  %sq = qops.quantize %s : tensor<1x3xf32> -> tensor<1x3x!y>
  return %sq : tensor<1x3x!y>
}

// -----

!a = !quant.uniform<u8:f32, 0.02:128>
!m = !quant.uniform<u8:f32, 0.01:5>

// reduce_mean has its own output parameters; reduce_max shares its input's
// (integers compared); reduce_sum stays in float and says why.
// CHECK-LABEL: func.func @reductions
// CHECK: %[[D:.+]] = qops.dequantize %arg0
// CHECK: %[[MEAN:.+]] = qops.reduce_mean %arg0 axes [1] : tensor<4x8x!quant.uniform<u8:f32, 2.000000e-02:128>> -> tensor<4x!quant.uniform<u8:f32, 1.000000e-02:5>>
// CHECK: %[[MAX:.+]] = qops.reduce_max %arg0 axes [0] keepdims : tensor<4x8x!quant.uniform<u8:f32, 2.000000e-02:128>> -> tensor<1x8x!quant.uniform<u8:f32, 2.000000e-02:128>>
// CHECK: %[[SUM:.+]] = qops.reduce_sum %[[D]]
// CHECK: %[[SUMQ:.+]] = qops.quantize %[[SUM]]
// CHECK: return %[[MEAN]], %[[MAX]], %[[SUMQ]]
func.func @reductions(%q: tensor<4x8x!a>) -> (tensor<4x!m>, tensor<1x8x!a>, tensor<8x!m>) {
  %d = qops.dequantize %q : tensor<4x8x!a> -> tensor<4x8xf32>
  %mean = qops.reduce_mean %d axes [1] : tensor<4x8xf32> -> tensor<4xf32>
  %meanq = qops.quantize %mean : tensor<4xf32> -> tensor<4x!m>
  %max = qops.reduce_max %d axes [0] keepdims : tensor<4x8xf32> -> tensor<1x8xf32>
  %maxq = qops.quantize %max : tensor<1x8xf32> -> tensor<1x8x!a>
  // expected-remark @below {{stays in float between dequantize and quantize: reduce_sum has no integer form (its result range grows with the reduced count; a float island)}}
  %sum = qops.reduce_sum %d axes [0] : tensor<4x8xf32> -> tensor<8xf32>
  %sumq = qops.quantize %sum : tensor<8xf32> -> tensor<8x!m>
  return %meanq, %maxq, %sumq : tensor<4x!m>, tensor<1x8x!a>, tensor<8x!m>
}

// -----

!a = !quant.uniform<u8:f32, 0.02:128>
!b = !quant.uniform<u8:f32, 0.03:120>

// Nearest resize and reflect / edge padding share their input's parameters
// (integer copies); bilinear resize stays in float and says why.
// CHECK-LABEL: func.func @spatial
// CHECK: %[[D:.+]] = qops.dequantize %arg0
// CHECK: %[[NEAR:.+]] = qops.resize_nearest %arg0 rows [0, 0, 1, 1] cols [0, 1] : tensor<1x2x2x3x!quant.uniform<u8:f32, 2.000000e-02:128>> -> tensor<1x4x2x3x!quant.uniform<u8:f32, 2.000000e-02:128>>
// CHECK: %[[REFL:.+]] = qops.pad %arg0 pad [0, 0, 1, 1, 1, 1, 0, 0] mode "reflect" : tensor<1x2x2x3x!quant.uniform<u8:f32, 2.000000e-02:128>>
// CHECK: %[[BIL:.+]] = qops.resize_bilinear %[[D]]
// CHECK: %[[BILQ:.+]] = qops.quantize %[[BIL]]
// CHECK: return %[[NEAR]], %[[REFL]], %[[BILQ]]
func.func @spatial(%q: tensor<1x2x2x3x!a>) -> (tensor<1x4x2x3x!a>, tensor<1x4x4x3x!a>, tensor<1x4x2x3x!b>) {
  %d = qops.dequantize %q : tensor<1x2x2x3x!a> -> tensor<1x2x2x3xf32>
  %near = qops.resize_nearest %d rows [0, 0, 1, 1] cols [0, 1] : tensor<1x2x2x3xf32> -> tensor<1x4x2x3xf32>
  %nearq = qops.quantize %near : tensor<1x4x2x3xf32> -> tensor<1x4x2x3x!a>
  %refl = qops.pad %d pad [0, 0, 1, 1, 1, 1, 0, 0] mode "reflect" : tensor<1x2x2x3xf32>
  %reflq = qops.quantize %refl : tensor<1x4x4x3xf32> -> tensor<1x4x4x3x!a>
  // expected-remark @below {{stays in float between dequantize and quantize: resize_bilinear has no integer form (a documented float island: its f32 interpolation weights have no exact integer equivalent that the QDQ simulation shares)}}
  %bil = qops.resize_bilinear %d rows [0, 0, 0, 1, 0, 1, 1, 1] row_weights [0.0, 0.25, 0.75, 0.0] cols [0, 0, 1, 1] col_weights [0.0, 0.0] : tensor<1x2x2x3xf32> -> tensor<1x4x2x3xf32>
  %bilq = qops.quantize %bil : tensor<1x4x2x3xf32> -> tensor<1x4x2x3x!b>
  return %nearq, %reflq, %bilq : tensor<1x4x2x3x!a>, tensor<1x4x4x3x!a>, tensor<1x4x2x3x!b>
}
