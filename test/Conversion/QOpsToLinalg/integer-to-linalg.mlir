// RUN: quant-opt %s -split-input-file --convert-qops-to-linalg="packed-kernels=false" --canonicalize | FileCheck %s
// (The packed int8 kernels, the default for constant 8-bit weights, are
// tested in packed-kernels.mlir; this file tests the generic form.)

// Integer conv2d: a pure i8 x i8 -> i32 dot product (extui for the u8
// input, extsi for the i8 weight, no zero point in the loop). The weights
// are quantized at compile time (0.5 / 0.25 = 2, 0.5 / 0.125 = 4) and the
// input zero-point correction is folded into the bias:
// 0.1 / 0.005 - 128 * (2 + 2) = -492, 0.2 / 0.0025 - 128 * (4 + 4) = -944.
// Requantization multipliers s_in * s_w[c] / s_out = 0.05, 0.025 per
// channel; the fused relu6 clamps the integers to [z, q(6)] = [0, 60].
// CHECK-LABEL: func.func @conv
// CHECK-SAME: (%[[X:.+]]: tensor<1x3x3x2xi8>) -> tensor<1x3x3x2xi8>
// CHECK-DAG: %[[W:.+]] = arith.constant dense<{{\[\[\[\[\[}}2, 2]]], {{\[\[\[}}4, 4]]]]]> : tensor<1x2x1x1x2xi8>
// CHECK-DAG: %[[HI:.+]] = arith.constant 6.000000e+01 : f32
// CHECK-DAG: %[[M:.+]] = arith.constant dense<[5.000000e-02, 2.500000e-02]> : tensor<2xf32>
// CHECK-DAG: %[[B:.+]] = arith.constant dense<[-492, -944]> : tensor<2xi32>
// CHECK: %[[INIT:.+]] = linalg.generic {{.+}} ins(%[[B]] : tensor<2xi32>)
// CHECK: %[[XE:.+]] = tensor.expand_shape %[[X]]
// CHECK: %[[IE:.+]] = tensor.expand_shape %[[INIT]]
// CHECK: %[[ACC:.+]] = linalg.generic {{.+}} ins(%[[XE]], %[[W]] : tensor<1x3x3x1x2xi8>, tensor<1x2x1x1x2xi8>) outs(%[[IE]] : tensor<1x3x3x1x2xi32>)
// CHECK-NEXT: ^bb0(%[[IN:.+]]: i8, %[[WT:.+]]: i8, %[[OUT:.+]]: i32):
// CHECK-NEXT: %[[A:.+]] = arith.extui %[[IN]] : i8 to i32
// CHECK-NEXT: %[[BW:.+]] = arith.extsi %[[WT]] : i8 to i32
// CHECK-NEXT: %[[P:.+]] = arith.muli %[[A]], %[[BW]] : i32
// CHECK-NEXT: %[[S:.+]] = arith.addi %[[OUT]], %[[P]] : i32
// CHECK-NEXT: linalg.yield %[[S]] : i32
// CHECK: %[[C:.+]] = tensor.collapse_shape %[[ACC]]
// CHECK: linalg.generic {{.+}} ins(%[[C]], %[[M]] : tensor<1x3x3x2xi32>, tensor<2xf32>) outs(%{{.+}} : tensor<1x3x3x2xi8>)
// CHECK: arith.sitofp %{{.+}} : i32 to f32
// CHECK-NEXT: arith.mulf
// CHECK-NEXT: math.roundeven
// CHECK-NEXT: arith.addf
// CHECK-NEXT: arith.maxnumf
// CHECK-NEXT: arith.minnumf %{{.+}}, %[[HI]] : f32
// CHECK-NEXT: arith.fptosi %{{.+}} : f32 to i32
// CHECK-NEXT: arith.trunci %{{.+}} : i32 to i8
!x = !quant.uniform<u8:f32, 0.02:128>
!w = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.125}>
!b = !quant.uniform<i32:f32:0, {0.005, 0.0025}>
!y = !quant.uniform<u8:f32, 0.1>
func.func @conv(%x: tensor<1x3x3x2x!x>) -> tensor<1x3x3x2x!y> {
  %wf = arith.constant dense<0.5> : tensor<2x1x1x2xf32>
  %bf = arith.constant dense<[0.1, 0.2]> : tensor<2xf32>
  %w = qops.quantize %wf : tensor<2x1x1x2xf32> -> tensor<2x1x1x2x!w>
  %b = qops.quantize %bf : tensor<2xf32> -> tensor<2x!b>
  %y = qops.conv2d %x, %w, %b stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 {clamp_min = 0.0 : f32, clamp_max = 6.0 : f32}
       : (tensor<1x3x3x2x!x>, tensor<2x1x1x2x!w>, tensor<2x!b>) -> tensor<1x3x3x2x!y>
  return %y : tensor<1x3x3x2x!y>
}

// -----

// A padded depthwise conv pads the input with its zero point (128 is the
// i8 bit pattern -128) and contracts over [N, OH, OW, G = C, 1].
// CHECK-LABEL: func.func @depthwise_padded
// CHECK: tensor.pad
// CHECK: tensor.yield %c-128_i8 : i8
// CHECK: linalg.generic {{.+}} ins(%{{.+}}, %{{.+}} : tensor<1x4x4x2x1xi8>, tensor<2x1x3x3x1xi8>) outs(%{{.+}} : tensor<1x2x2x2x1xi32>)
!x = !quant.uniform<u8:f32, 0.02:128>
!w = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.125}>
!y = !quant.uniform<u8:f32, 0.1>
func.func @depthwise_padded(%x: tensor<1x2x2x2x!x>) -> tensor<1x2x2x2x!y> {
  %wf = arith.constant dense<0.5> : tensor<2x3x3x1xf32>
  %w = qops.quantize %wf : tensor<2x3x3x1xf32> -> tensor<2x3x3x1x!w>
  %y = qops.conv2d %x, %w stride [1, 1] pad [1, 1, 1, 1] dilation [1, 1] groups 2
       : (tensor<1x2x2x2x!x>, tensor<2x3x3x1x!w>) -> tensor<1x2x2x2x!y>
  return %y : tensor<1x2x2x2x!y>
}

// -----

// A run-time weight cannot fold the correction: the loop subtracts the input
// zero point. Fixed-point requantization of m = 0.02 * 0.25 / 0.1 = 0.05 =
// 1717986918 * 2^(-4 - 31): saturating left shift (none here), the
// doubling high multiply with its nudge, the rounding right shift by 4, then
// the clamp to [qmin - z, qmax - z] = [-125, 130] and the zero point -3.
// CHECK-LABEL: func.func @fc_fixed_point
// CHECK-DAG: %[[MULT:.+]] = arith.constant 1717986918 : i64
// CHECK-DAG: %[[LO:.+]] = arith.constant -125 : i32
// CHECK-DAG: %[[HI:.+]] = arith.constant 130 : i32
// CHECK-DAG: %[[ZP:.+]] = arith.constant -3 : i32
// CHECK-DAG: %[[ZX:.+]] = arith.constant 128 : i32
// CHECK: linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: arith.extui
// CHECK-NEXT: arith.extsi
// CHECK-NEXT: arith.subi %{{.+}}, %[[ZX]] : i32
// CHECK-NEXT: arith.muli
// CHECK: arith.muli %{{.+}}, %[[MULT]] : i64
// CHECK: arith.divsi %{{.+}}, %c2147483648_i64 : i64
// CHECK: arith.shrsi %{{.+}}, %c4_i32 : i32
// CHECK: arith.maxsi %{{.+}}, %[[LO]] : i32
// CHECK-NEXT: arith.minsi %{{.+}}, %[[HI]] : i32
// CHECK-NEXT: arith.addi %{{.+}}, %[[ZP]] : i32
// CHECK-NEXT: arith.trunci %{{.+}} : i32 to i8
!x = !quant.uniform<u8:f32, 0.02:128>
!w = !quant.uniform<i8<-127:127>:f32, 0.25>
!y = !quant.uniform<i8:f32, 0.1:-3>
func.func @fc_fixed_point(%x: tensor<1x4x!x>, %w: tensor<2x4x!w>) -> tensor<1x2x!y> attributes {qops.requant = "fixed-point"} {
  %y = qops.fully_connected %x, %w : (tensor<1x4x!x>, tensor<2x4x!w>) -> tensor<1x2x!y>
  return %y : tensor<1x2x!y>
}

// -----

// Max pooling compares unsigned storage unsigned; average pooling sums
// q - z in i32 and, when padded positions do not count, reads the
// multiplier s_in / (n s_out) = 0.6667 / n of each window size n from a
// table; global average pooling divides by H * W = 16 (0.02 / (16 * 0.03)).
// CHECK-LABEL: func.func @pools
// CHECK-DAG: %[[GAP:.+]] = arith.constant 0.0416666679 : f32
// CHECK-DAG: %[[TABLE:.+]] = arith.constant dense<[0.666666686, 0.333333343, 0.222222224, 0.166666672, 0.13333334, 0.111111112, 0.095238097, 0.0833333358, 0.0740740746]> : tensor<9xf32>
// CHECK: linalg.pooling_nhwc_max_unsigned
// CHECK: linalg.pooling_nhwc_max {
// CHECK: arith.extui
// CHECK-NEXT: arith.subi %{{.+}}, %c128_i32
// CHECK: tensor.pad
// CHECK: linalg.pooling_nhwc_sum {{.+}} tensor<1x6x6x2xi32>
// CHECK: linalg.index 1
// CHECK: tensor.extract %[[TABLE]]
// CHECK: linalg.generic {{.+}} iterator_types = ["parallel", "reduction", "reduction", "parallel"]
// CHECK: arith.mulf %{{.+}}, %[[GAP]] : f32
!a = !quant.uniform<u8:f32, 0.02:128>
!s = !quant.uniform<i8:f32, 0.05:10>
!o = !quant.uniform<u8:f32, 0.03:5>
func.func @pools(%a: tensor<1x4x4x2x!a>, %s: tensor<1x4x4x2x!s>) -> (tensor<1x2x2x2x!a>, tensor<1x2x2x2x!s>, tensor<1x4x4x2x!o>, tensor<1x1x1x2x!o>) {
  %0 = qops.max_pool2d %a kernel [2, 2] stride [2, 2] pad [0, 0, 0, 0] : tensor<1x4x4x2x!a>
  %1 = qops.max_pool2d %s kernel [2, 2] stride [2, 2] pad [0, 0, 0, 0] : tensor<1x4x4x2x!s>
  %2 = qops.avg_pool2d %a kernel [3, 3] stride [1, 1] pad [1, 1, 1, 1] : tensor<1x4x4x2x!a> -> tensor<1x4x4x2x!o>
  %3 = qops.global_avg_pool %a : tensor<1x4x4x2x!a> -> tensor<1x1x1x2x!o>
  return %0, %1, %2, %3 : tensor<1x2x2x2x!a>, tensor<1x2x2x2x!s>, tensor<1x4x4x2x!o>, tensor<1x1x1x2x!o>
}

// -----

// add rescales each input to the output (float mode: f32(a - za) * sa / sy
// + f32(b - zb) * sb / sy); mul requantizes (a - za) * (b - zb) by
// sa * sb / sy; relu6 with shared parameters clamps the integers to
// [z, q(6)] = [128, 248]; pad fills with the quantized image of 0; reshape,
// concat and transpose move storage integers.
// (sa / sy = 1 folds away; sb / sy = 0.6.)
// CHECK-LABEL: func.func @elementwise
// CHECK-DAG: %[[SB:.+]] = arith.constant 6.000000e-01 : f32
// CHECK-DAG: %[[SAB:.+]] = arith.constant 3.000000e-02 : f32
// CHECK: arith.sitofp
// CHECK-NEXT: arith.sitofp
// CHECK-NEXT: arith.mulf %{{.+}}, %[[SB]] : f32
// CHECK-NEXT: arith.addf
// CHECK-NEXT: math.roundeven
// CHECK: arith.muli %{{.+}}, %{{.+}} : i32
// CHECK-NEXT: arith.sitofp
// CHECK-NEXT: arith.mulf %{{.+}}, %[[SAB]] : f32
// CHECK: arith.maxsi %{{.+}}, %c128_i32 : i32
// CHECK-NEXT: arith.minsi %{{.+}}, %c248_i32 : i32
// CHECK: tensor.pad
// CHECK: tensor.yield %c-128_i8 : i8
// CHECK: tensor.collapse_shape {{.+}} : tensor<1x2x2x2xi8> into tensor<8xi8>
// CHECK: tensor.insert_slice {{.+}} : tensor<1x2x2x2xi8> into tensor<1x2x2x4xi8>
// CHECK: linalg.transpose ins(%{{.+}} : tensor<1x2x2x2xi8>) outs(%{{.+}} : tensor<1x2x2x2xi8>)
// CHECK: tensor.extract_slice %{{.+}}[0, 0, 1, 0] [1, 2, 1, 2] [1, 1, 1, 1] : tensor<1x2x2x2xi8> to tensor<1x2x1x2xi8>
!a = !quant.uniform<u8:f32, 0.05:128>
!b = !quant.uniform<u8:f32, 0.03:100>
func.func @elementwise(%a: tensor<1x2x2x2x!a>, %b: tensor<1x2x2x2x!b>) -> (tensor<1x2x2x2x!a>, tensor<1x2x2x2x!a>, tensor<1x2x2x2x!a>, tensor<1x4x4x2x!a>, tensor<8x!a>, tensor<1x2x2x4x!a>, tensor<1x2x2x2x!a>, tensor<1x2x1x2x!a>) {
  %0 = qops.add %a, %b : (tensor<1x2x2x2x!a>, tensor<1x2x2x2x!b>) -> tensor<1x2x2x2x!a>
  %1 = qops.mul %a, %b : (tensor<1x2x2x2x!a>, tensor<1x2x2x2x!b>) -> tensor<1x2x2x2x!a>
  %2 = qops.relu6 %a : tensor<1x2x2x2x!a>
  %3 = qops.pad %a pad [0, 0, 1, 1, 1, 1, 0, 0] : tensor<1x2x2x2x!a>
  %4 = qops.reshape %a : tensor<1x2x2x2x!a> -> tensor<8x!a>
  %5 = qops.concat %a, %a axis 3 : (tensor<1x2x2x2x!a>, tensor<1x2x2x2x!a>) -> tensor<1x2x2x4x!a>
  %6 = qops.transpose %a perm [0, 2, 1, 3] : tensor<1x2x2x2x!a>
  %7 = qops.slice %a offsets [0, 0, 1, 0] strides [1, 1, 1, 1] : tensor<1x2x2x2x!a> -> tensor<1x2x1x2x!a>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<1x2x2x2x!a>, tensor<1x2x2x2x!a>, tensor<1x2x2x2x!a>, tensor<1x4x4x2x!a>, tensor<8x!a>, tensor<1x2x2x4x!a>, tensor<1x2x2x2x!a>, tensor<1x2x1x2x!a>
}

// -----

// sub: add's float form with the second rescaled input subtracted
// (sa / sy = 1 folds away; sb / sy = 0.6). maximum: %b is requantized to
// the result's parameters (0.6, zero point 128), %a shares them and is
// taken as stored; then the signed maximum.
// CHECK-LABEL: func.func @sub_maximum
// CHECK-DAG: %[[SB:.+]] = arith.constant 6.000000e-01 : f32
// CHECK: arith.sitofp
// CHECK-NEXT: arith.sitofp
// CHECK-NEXT: arith.mulf %{{.+}}, %[[SB]] : f32
// CHECK-NEXT: arith.subf
// CHECK-NEXT: math.roundeven
// CHECK: linalg.generic
// CHECK: arith.mulf %{{.+}}, %[[SB]] : f32
// CHECK: math.roundeven
// CHECK: arith.maxsi %{{.+}}, %{{.+}} : i32
// CHECK: arith.trunci %{{.+}} : i32 to i8
!a = !quant.uniform<u8:f32, 0.05:128>
!b = !quant.uniform<u8:f32, 0.03:100>
func.func @sub_maximum(%a: tensor<4x!a>, %b: tensor<4x!b>) -> (tensor<4x!a>, tensor<4x!a>) {
  %0 = qops.sub %a, %b : (tensor<4x!a>, tensor<4x!b>) -> tensor<4x!a>
  %1 = qops.maximum %a, %b : (tensor<4x!a>, tensor<4x!b>) -> tensor<4x!a>
  return %0, %1 : tensor<4x!a>, tensor<4x!a>
}

// -----

// matmul with a constant right operand quantized per column (its last
// dimension): [[2, 2], [4, -4], [1, 1]]; the folded correction is
// -128 * column sum: -128 * 7 = -896 and -128 * -1 = 128.
// CHECK-LABEL: func.func @matmul_per_column
// CHECK-DAG: arith.constant dense<[5.000000e-02, 2.500000e-02]> : tensor<2xf32>
// CHECK-DAG: arith.constant dense<[-896, 128]> : tensor<2xi32>
// CHECK-DAG: arith.constant dense<{{\[\[}}2, 2], [4, -4], [1, 1]]> : tensor<3x2xi8>
!x = !quant.uniform<u8:f32, 0.02:128>
!m = !quant.uniform<i8<-127:127>:f32:1, {0.25, 0.125}>
!y = !quant.uniform<u8:f32, 0.1>
func.func @matmul_per_column(%x: tensor<1x3x!x>) -> tensor<1x2x!y> {
  %mf = arith.constant dense<[[0.5, 0.25], [1.0, -0.5], [0.25, 0.125]]> : tensor<3x2xf32>
  %m = qops.quantize %mf : tensor<3x2xf32> -> tensor<3x2x!m>
  %y = qops.matmul %x, %m : (tensor<1x3x!x>, tensor<3x2x!m>) -> tensor<1x2x!y>
  return %y : tensor<1x2x!y>
}

// -----

// Fixed-point add (TFLite): both inputs shifted left by 20, scaled by
// sa / (2 max) = 0.5 (2^30, shift 0) and sb / (2 max) = 0.3 (1288490189,
// shift -1), summed, and the sum requantized by 2 max / (2^20 sy) = 2^-19
// (2^30, shift -18).
// CHECK-LABEL: func.func @add_fixed_point
// CHECK-DAG: %[[HALF:.+]] = arith.constant 1073741824 : i64
// CHECK-DAG: %[[POINT3:.+]] = arith.constant 1288490189 : i64
// CHECK-DAG: %[[SHIFT:.+]] = arith.constant 18 : i32
// CHECK-DAG: %[[TWENTY:.+]] = arith.constant 20 : i32
// CHECK: arith.shli %{{.+}}, %[[TWENTY]] : i32
// CHECK: arith.muli %{{.+}}, %[[HALF]] : i64
// CHECK: arith.shli %{{.+}}, %[[TWENTY]] : i32
// CHECK: arith.muli %{{.+}}, %[[POINT3]] : i64
// CHECK: arith.muli %{{.+}}, %[[HALF]] : i64
// CHECK: arith.shrsi %{{.+}}, %[[SHIFT]] : i32
!a = !quant.uniform<u8:f32, 0.05:128>
!b = !quant.uniform<u8:f32, 0.03:100>
func.func @add_fixed_point(%a: tensor<4x!a>, %b: tensor<4x!b>) -> tensor<4x!a> attributes {qops.requant = "fixed-point"} {
  %0 = qops.add %a, %b : (tensor<4x!a>, tensor<4x!b>) -> tensor<4x!a>
  return %0 : tensor<4x!a>
}

// -----

// An i32 result with scale ratio 1 and zero point 0 (ONNX ConvInteger /
// MatMulInteger) is the accumulator itself, in both modes: no f32 rounding
// above 2^24, no fixed-point shift.
// CHECK-LABEL: func.func @raw_accumulator
// CHECK: %[[ACC:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-NOT: linalg.generic
// CHECK: return %[[ACC]] : tensor<2x2xi32>
func.func @raw_accumulator(%a: tensor<2x3x!quant.uniform<u8:f32, 1.0:12>>, %b: tensor<3x2x!quant.uniform<u8:f32, 1.0>>) -> tensor<2x2x!quant.uniform<i32:f32, 1.0>> attributes {qops.requant = "fixed-point"} {
  %0 = qops.matmul %a, %b : (tensor<2x3x!quant.uniform<u8:f32, 1.0:12>>, tensor<3x2x!quant.uniform<u8:f32, 1.0>>) -> tensor<2x2x!quant.uniform<i32:f32, 1.0>>
  return %0 : tensor<2x2x!quant.uniform<i32:f32, 1.0>>
}

// -----

// Integer reduce_mean: the sum of q - 128 over the channels in i32,
// requantized by s_in / (16 s_out) = 0.05 / 1.6 = 0.03125 with the output
// zero point 120, expanded to keepdims. reduce_min of u8: unsigned
// minimum of the stored integers from 255 (-1 as i8), no requantization.
// CHECK-LABEL: func.func @reductions
// CHECK-DAG: %[[M:.+]] = arith.constant 3.125000e-02 : f32
// CHECK-DAG: %[[Z:.+]] = arith.constant 1.200000e+02 : f32
// CHECK-DAG: %[[ZIN:.+]] = arith.constant 128 : i32
// CHECK-DAG: %[[TOP:.+]] = arith.constant -1 : i8
// CHECK: %[[SUM:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%arg0 : tensor<1x4x4x16xi8>) outs(%{{.+}} : tensor<1x4x4xi32>)
// CHECK: %[[E:.+]] = arith.extui %{{.+}} : i8 to i32
// CHECK: %[[C:.+]] = arith.subi %[[E]], %[[ZIN]] : i32
// CHECK: arith.addi %{{.+}}, %[[C]] : i32
// CHECK: %[[Q:.+]] = linalg.generic {{.+}} ins(%[[SUM]] : tensor<1x4x4xi32>)
// CHECK: arith.mulf %{{.+}}, %[[M]] : f32
// CHECK: math.roundeven
// CHECK: arith.addf %{{.+}}, %[[Z]] : f32
// CHECK: %[[MEAN:.+]] = tensor.expand_shape %[[Q]] {{\[}}[0], [1], [2, 3]] output_shape [1, 4, 4, 1] : tensor<1x4x4xi8> into tensor<1x4x4x1xi8>
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[TOP]] : i8) outs(%{{.+}} : tensor<1x16xi8>)
// CHECK: %[[MIN:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "reduction", "reduction", "parallel"]} ins(%arg0 : tensor<1x4x4x16xi8>) outs(%[[INIT]] : tensor<1x16xi8>)
// CHECK: arith.minui
// CHECK: return %[[MEAN]], %[[MIN]]
!q = !quant.uniform<u8:f32, 0.05:128>
!r = !quant.uniform<u8:f32, 0.1:120>
func.func @reductions(%x: tensor<1x4x4x16x!q>) -> (tensor<1x4x4x1x!r>, tensor<1x16x!q>) {
  %0 = qops.reduce_mean %x axes [3] keepdims : tensor<1x4x4x16x!q> -> tensor<1x4x4x1x!r>
  %1 = qops.reduce_min %x axes [1, 2] : tensor<1x4x4x16x!q> -> tensor<1x16x!q>
  return %0, %1 : tensor<1x4x4x1x!r>, tensor<1x16x!q>
}
