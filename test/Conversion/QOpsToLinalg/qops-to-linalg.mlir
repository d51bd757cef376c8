// RUN: quant-opt %s -split-input-file --convert-qops-to-linalg="packed-kernels=false" | FileCheck %s
// (The packed kernels for constant weights are tested in
// packed-kernels.mlir; this file tests the linalg forms.)

// Dense convolution: zero padding, bias broadcast into the accumulator,
// weights permuted OHWI -> HWCF, then the named NHWC/HWCF convolution.
// CHECK-LABEL: func.func @conv2d_dense
// CHECK-SAME: (%[[X:.+]]: tensor<1x8x8x3xf32>, %[[W:.+]]: tensor<16x3x3x3xf32>, %[[B:.+]]: tensor<16xf32>)
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[PAD:.+]] = tensor.pad %[[X]] low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: tensor.yield %[[ZERO]]
// CHECK: %[[INIT:.+]] = linalg.generic {{.+}} ins(%[[B]] : tensor<16xf32>) outs(%{{.+}} : tensor<1x4x4x16xf32>)
// CHECK: %[[HWCF:.+]] = linalg.transpose ins(%[[W]] : tensor<16x3x3x3xf32>) outs(%{{.+}} : tensor<3x3x3x16xf32>) permutation = [1, 2, 3, 0]
// CHECK: %[[CONV:.+]] = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%[[PAD]], %[[HWCF]] : tensor<1x10x10x3xf32>, tensor<3x3x3x16xf32>) outs(%[[INIT]] : tensor<1x4x4x16xf32>)
// CHECK: return %[[CONV]]
func.func @conv2d_dense(%x: tensor<1x8x8x3xf32>, %w: tensor<16x3x3x3xf32>, %b: tensor<16xf32>) -> tensor<1x4x4x16xf32> {
  %0 = qops.conv2d %x, %w, %b stride [2, 2] pad [1, 1, 1, 1] dilation [1, 1] groups 1 : (tensor<1x8x8x3xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x4x4x16xf32>
  return %0 : tensor<1x4x4x16xf32>
}

// -----

// Constant weights are permuted at compile time: w[o, h, w, i] = o*100 +
// h*10 + w + i/10 lands at [h, w, i, o].
// CHECK-LABEL: func.func @conv2d_constant_weights
// CHECK-NOT: linalg.transpose
// CHECK: arith.constant dense<{{\[}}[{{\[}}[0.000000e+00, 1.000000e+02], [1.000000e-01, 1.001000e+02]], {{\[}}[1.000000e+00, 1.010000e+02], [1.100000e+00, 1.011000e+02]]], {{\[}}[{{\[}}1.000000e+01, 1.100000e+02], [1.010000e+01, 1.101000e+02]], {{\[}}[1.100000e+01, 1.110000e+02], [1.110000e+01, 1.111000e+02]]]]> : tensor<2x2x2x2xf32>
// CHECK: linalg.conv_2d_nhwc_hwcf
func.func @conv2d_constant_weights(%x: tensor<1x3x3x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = arith.constant dense<[[[[0.0, 0.1], [1.0, 1.1]], [[10.0, 10.1], [11.0, 11.1]]], [[[100.0, 100.1], [101.0, 101.1]], [[110.0, 110.1], [111.0, 111.1]]]]> : tensor<2x2x2x2xf32>
  %0 = qops.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 : (tensor<1x3x3x2xf32>, tensor<2x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %0 : tensor<1x2x2x2xf32>
}

// -----

// Depthwise convolution: weights [C, KH, KW, 1] become [KH, KW, C]; no bias
// means a zero-filled accumulator; no padding means no tensor.pad.
// CHECK-LABEL: func.func @conv2d_depthwise
// CHECK-SAME: (%[[X:.+]]: tensor<1x6x6x8xf32>, %[[W:.+]]: tensor<8x3x3x1xf32>)
// CHECK-NOT: tensor.pad
// CHECK: %[[INIT:.+]] = linalg.fill
// CHECK: %[[T:.+]] = linalg.transpose ins(%[[W]] : tensor<8x3x3x1xf32>) outs(%{{.+}} : tensor<3x3x8x1xf32>) permutation = [1, 2, 0, 3]
// CHECK: %[[HWC:.+]] = tensor.collapse_shape %[[T]] {{\[}}[0], [1], [2, 3]] : tensor<3x3x8x1xf32> into tensor<3x3x8xf32>
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc {{.+}} ins(%[[X]], %[[HWC]] : tensor<1x6x6x8xf32>, tensor<3x3x8xf32>) outs(%[[INIT]] : tensor<1x4x4x8xf32>)
func.func @conv2d_depthwise(%x: tensor<1x6x6x8xf32>, %w: tensor<8x3x3x1xf32>) -> tensor<1x4x4x8xf32> {
  %0 = qops.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 8 : (tensor<1x6x6x8xf32>, tensor<8x3x3x1xf32>) -> tensor<1x4x4x8xf32>
  return %0 : tensor<1x4x4x8xf32>
}

// -----

// Grouped convolution: a generic over [N, OH, OW, G, O/G] x [KH, KW, C/G].
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1 * 2 + d5, d2 + d6 * 2, d3, d7)>
// CHECK-DAG: #[[WT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d3, d4, d5, d6, d7)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @conv2d_grouped
// CHECK: %[[X5:.+]] = tensor.expand_shape %{{.+}} {{\[}}[0], [1], [2], [3, 4]] {{.+}} : tensor<1x7x7x6xf32> into tensor<1x7x7x2x3xf32>
// CHECK: %[[W5:.+]] = tensor.expand_shape %{{.+}} {{\[}}[0, 1], [2], [3], [4]] {{.+}} : tensor<4x3x2x3xf32> into tensor<2x2x3x2x3xf32>
// CHECK: %[[I5:.+]] = tensor.expand_shape %{{.+}} : tensor<1x3x5x4xf32> into tensor<1x3x5x2x2xf32>
// CHECK: %[[G:.+]] = linalg.generic {indexing_maps = [#[[IN]], #[[WT]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%[[X5]], %[[W5]] : {{.+}}) outs(%[[I5]] : tensor<1x3x5x2x2xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: tensor.collapse_shape %[[G]] {{\[}}[0], [1], [2], [3, 4]] : tensor<1x3x5x2x2xf32> into tensor<1x3x5x4xf32>
func.func @conv2d_grouped(%x: tensor<1x7x7x6xf32>, %w: tensor<4x3x2x3xf32>) -> tensor<1x3x5x4xf32> {
  %0 = qops.conv2d %x, %w stride [2, 1] pad [0, 0, 0, 0] dilation [1, 2] groups 2 : (tensor<1x7x7x6xf32>, tensor<4x3x2x3xf32>) -> tensor<1x3x5x4xf32>
  return %0 : tensor<1x3x5x4xf32>
}

// -----

// CHECK-DAG: #[[LHS:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[RHS:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG: #[[RES:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @matmul_batched_bias
// CHECK: %[[INIT:.+]] = linalg.generic {{.+}} ins(%{{.+}} : tensor<5xf32>) outs(%{{.+}} : tensor<2x3x5xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[LHS]], #[[RHS]], #[[RES]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins({{.+}}) outs(%[[INIT]] : tensor<2x3x5xf32>)
func.func @matmul_batched_bias(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>, %c: tensor<5xf32>) -> tensor<2x3x5xf32> {
  %0 = qops.matmul %a, %b, %c : (tensor<2x3x4xf32>, tensor<2x4x5xf32>, tensor<5xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// The weight is read as [O, K]: out[b, o] += in[b, k] * w[o, k].
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[WT:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @fully_connected
// CHECK: linalg.fill
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[WT]], #[[OUT]]], iterator_types = ["parallel", "parallel", "reduction"]}
func.func @fully_connected(%x: tensor<1x8xf32>, %w: tensor<3x8xf32>) -> tensor<1x3xf32> {
  %0 = qops.fully_connected %x, %w : (tensor<1x8xf32>, tensor<3x8xf32>) -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

// -----

// Per-channel parameters broadcast along the last dimension.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[CH:.+]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-LABEL: func.func @batch_norm
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[CH]], #[[CH]], #[[CH]], #[[CH]], #[[ID]]]
// CHECK: ^bb0(%[[X:.+]]: f32, %[[S:.+]]: f32, %[[O:.+]]: f32, %[[M:.+]]: f32, %[[V:.+]]: f32, %{{.+}}: f32):
// CHECK: %[[EPS:.+]] = arith.constant 1.000000e-03 : f32
// CHECK: %[[VE:.+]] = arith.addf %[[V]], %[[EPS]]
// CHECK: %[[SD:.+]] = math.sqrt %[[VE]]
// CHECK: %[[F:.+]] = arith.divf %[[S]], %[[SD]]
// CHECK: %[[C:.+]] = arith.subf %[[X]], %[[M]]
// CHECK: %[[P:.+]] = arith.mulf %[[C]], %[[F]]
// CHECK: %[[R:.+]] = arith.addf %[[P]], %[[O]]
// CHECK: linalg.yield %[[R]]
func.func @batch_norm(%x: tensor<1x2x2x4xf32>, %s: tensor<4xf32>, %o: tensor<4xf32>, %m: tensor<4xf32>, %v: tensor<4xf32>) -> tensor<1x2x2x4xf32> {
  %0 = qops.batch_norm %x, %s, %o, %m, %v epsilon 1.0e-3 : tensor<1x2x2x4xf32>, tensor<4xf32>
  return %0 : tensor<1x2x2x4xf32>
}

// -----

// CHECK-LABEL: func.func @activations
// CHECK: arith.maximumf %{{.+}}, %{{.+}} : f32
// CHECK: linalg.generic
// CHECK: %[[LO:.+]] = arith.maximumf
// CHECK: arith.minimumf %[[LO]]
// CHECK: linalg.generic
// CHECK: %[[NONNEG:.+]] = arith.cmpf oge
// CHECK: arith.select %[[NONNEG]]
// CHECK: linalg.generic
// CHECK: %[[NEG:.+]] = arith.negf
// CHECK: %[[EXP:.+]] = math.exp %[[NEG]]
// CHECK: linalg.generic
// CHECK: math.tanh
func.func @activations(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qops.relu %x : tensor<4xf32>
  %1 = qops.clamp %0 min -1.0 max 2.0 : tensor<4xf32>
  %2 = qops.leaky_relu %1 alpha 0.1 : tensor<4xf32> -> tensor<4xf32>
  %3 = qops.sigmoid %2 : tensor<4xf32> -> tensor<4xf32>
  %4 = qops.tanh %3 : tensor<4xf32> -> tensor<4xf32>
  return %4 : tensor<4xf32>
}

// -----

// hardsigmoid: alpha * x, then + beta (two roundings, no fma), clamped to
// [0, 1].
// CHECK-LABEL: func.func @hardsigmoid
// CHECK: linalg.generic
// CHECK: ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
// CHECK: %[[ALPHA:.+]] = arith.constant 0.166666672 : f32
// CHECK: %[[AX:.+]] = arith.mulf %[[X]], %[[ALPHA]] : f32
// CHECK: %[[BETA:.+]] = arith.constant 5.000000e-01 : f32
// CHECK: %[[SUM:.+]] = arith.addf %[[AX]], %[[BETA]] : f32
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[LO:.+]] = arith.maximumf %[[SUM]], %[[ZERO]] : f32
// CHECK: %[[ONE:.+]] = arith.constant 1.000000e+00 : f32
// CHECK: %[[R:.+]] = arith.minimumf %[[LO]], %[[ONE]] : f32
// CHECK: linalg.yield %[[R]] : f32
func.func @hardsigmoid(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qops.hardsigmoid %x alpha 0.166666672 beta 0.5 : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// silu: x * (1 / (1 + exp(-x))), the operations of sigmoid then mul.
// CHECK-LABEL: func.func @silu
// CHECK: linalg.generic
// CHECK: ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
// CHECK: %[[NEG:.+]] = arith.negf %[[X]] : f32
// CHECK: %[[ONE:.+]] = arith.constant 1.000000e+00 : f32
// CHECK: %[[EXP:.+]] = math.exp %[[NEG]] : f32
// CHECK: %[[DEN:.+]] = arith.addf %[[ONE]], %[[EXP]] : f32
// CHECK: %[[ONE2:.+]] = arith.constant 1.000000e+00 : f32
// CHECK: %[[GATE:.+]] = arith.divf %[[ONE2]], %[[DEN]] : f32
// CHECK: %[[R:.+]] = arith.mulf %[[X]], %[[GATE]] : f32
// CHECK: linalg.yield %[[R]] : f32
func.func @silu(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qops.silu %x : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// NumPy broadcasting: size-1 dimensions facing larger ones read index 0,
// missing leading dimensions are dropped from the map.
// CHECK-DAG: #[[A:.+]] = affine_map<(d0, d1, d2) -> (d0, 0, d2)>
// CHECK-DAG: #[[B:.+]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-DAG: #[[R:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @mul_broadcast
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[R]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK: arith.mulf
func.func @mul_broadcast(%a: tensor<2x1x5xf32>, %b: tensor<3x1xf32>) -> tensor<2x3x5xf32> {
  %0 = qops.mul %a, %b : (tensor<2x1x5xf32>, tensor<3x1xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// The element-wise arithmetic ops: one linalg.generic each, broadcasting
// like mul, with the scalar operation of the op (erf is math.erf, a libm
// call after --qops-to-llvm).
// CHECK-LABEL: func.func @arithmetic
// CHECK: linalg.generic
// CHECK: arith.subf
// CHECK: linalg.generic
// CHECK: arith.divf
// CHECK: linalg.generic
// CHECK: math.powf
// CHECK: linalg.generic
// CHECK: arith.maximumf
// CHECK: linalg.generic
// CHECK: arith.minimumf
// CHECK: linalg.generic
// CHECK: math.sqrt
// CHECK: linalg.generic
// CHECK: math.exp
// CHECK: linalg.generic
// CHECK: math.erf
// CHECK: linalg.generic
// CHECK: arith.negf
// CHECK: linalg.generic
// CHECK: math.absf
// CHECK: linalg.generic
// CHECK: %[[ONE:.+]] = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: arith.divf %[[ONE]], %{{.+}} : f32
func.func @arithmetic(%a: tensor<2x5xf32>, %b: tensor<5xf32>) -> tensor<2x5xf32> {
  %0 = qops.sub %a, %b : (tensor<2x5xf32>, tensor<5xf32>) -> tensor<2x5xf32>
  %1 = qops.div %0, %b : (tensor<2x5xf32>, tensor<5xf32>) -> tensor<2x5xf32>
  %2 = qops.pow %1, %b : (tensor<2x5xf32>, tensor<5xf32>) -> tensor<2x5xf32>
  %3 = qops.maximum %2, %b : (tensor<2x5xf32>, tensor<5xf32>) -> tensor<2x5xf32>
  %4 = qops.minimum %3, %b : (tensor<2x5xf32>, tensor<5xf32>) -> tensor<2x5xf32>
  %5 = qops.sqrt %4 : tensor<2x5xf32> -> tensor<2x5xf32>
  %6 = qops.exp %5 : tensor<2x5xf32> -> tensor<2x5xf32>
  %7 = qops.erf %6 : tensor<2x5xf32> -> tensor<2x5xf32>
  %8 = qops.neg %7 : tensor<2x5xf32> -> tensor<2x5xf32>
  %9 = qops.abs %8 : tensor<2x5xf32> -> tensor<2x5xf32>
  %10 = qops.reciprocal %9 : tensor<2x5xf32> -> tensor<2x5xf32>
  return %10 : tensor<2x5xf32>
}

// -----

// Max pooling pads with -inf and starts from -inf.
// CHECK-LABEL: func.func @max_pool2d
// CHECK: %[[NEGINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK: tensor.pad %{{.+}} low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: tensor.yield %[[NEGINF]]
// CHECK: %[[WIN:.+]] = tensor.empty() : tensor<3x3xf32>
// CHECK: linalg.pooling_nhwc_max {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%{{.+}}, %[[WIN]] : tensor<1x9x9x2xf32>, tensor<3x3xf32>)
func.func @max_pool2d(%x: tensor<1x7x7x2xf32>) -> tensor<1x4x4x2xf32> {
  %0 = qops.max_pool2d %x kernel [3, 3] stride [2, 2] pad [1, 1, 1, 1] : tensor<1x7x7x2xf32>
  return %0 : tensor<1x4x4x2xf32>
}

// -----

// count_include_pad divides by the window size...
// CHECK-LABEL: func.func @avg_pool2d_include_pad
// CHECK: linalg.pooling_nhwc_sum
// CHECK: %[[NINE:.+]] = arith.constant 9.000000e+00 : f32
// CHECK: arith.divf %{{.+}}, %[[NINE]]
func.func @avg_pool2d_include_pad(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %0 = qops.avg_pool2d %x kernel [3, 3] stride [1, 1] pad [1, 1, 1, 1] count_include_pad : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xf32>
  return %0 : tensor<1x4x4x2xf32>
}

// -----

// ...otherwise by the number of window positions inside the input, from
// the output indices.
// CHECK-LABEL: func.func @avg_pool2d_exclude_pad
// CHECK: linalg.pooling_nhwc_sum
// CHECK: linalg.index 1
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: linalg.index 2
// CHECK: %[[I64:.+]] = arith.index_cast %{{.+}} : index to i64
// CHECK: %[[F:.+]] = arith.sitofp %[[I64]] : i64 to f32
// CHECK: arith.divf %{{.+}}, %[[F]]
func.func @avg_pool2d_exclude_pad(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %0 = qops.avg_pool2d %x kernel [3, 3] stride [1, 1] pad [1, 1, 1, 1] : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xf32>
  return %0 : tensor<1x4x4x2xf32>
}

// -----

// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d3)>
// CHECK-LABEL: func.func @global_avg_pool
// CHECK: %[[SUM:.+]] = linalg.generic {indexing_maps = [#{{.+}}, #[[OUT]]], iterator_types = ["parallel", "reduction", "reduction", "parallel"]}
// CHECK: %[[MEAN:.+]] = linalg.generic
// CHECK: %[[HW:.+]] = arith.constant 3.500000e+01 : f32
// CHECK: arith.divf %{{.+}}, %[[HW]]
// CHECK: tensor.expand_shape %[[MEAN]] {{\[}}[0], [1, 2, 3]] output_shape [1, 1, 1, 2] : tensor<1x2xf32> into tensor<1x1x1x2xf32>
func.func @global_avg_pool(%x: tensor<1x5x7x2xf32>) -> tensor<1x1x1x2xf32> {
  %0 = qops.global_avg_pool %x : tensor<1x5x7x2xf32> -> tensor<1x1x1x2xf32>
  return %0 : tensor<1x1x1x2xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_flatten
// CHECK: %[[F:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0, 1, 2]] : tensor<2x3x4xf32> into tensor<24xf32>
// CHECK: %[[R:.+]] = tensor.expand_shape %[[F]] {{\[}}[0, 1]] output_shape [4, 6] : tensor<24xf32> into tensor<4x6xf32>
// CHECK: tensor.collapse_shape %{{.+}} {{\[}}[0, 1, 2, 3]] : tensor<1x1x1x8xf32> into tensor<8xf32>
// CHECK: tensor.expand_shape %{{.+}} {{\[}}[0, 1]] output_shape [1, 8] : tensor<8xf32> into tensor<1x8xf32>
func.func @reshape_flatten(%x: tensor<2x3x4xf32>, %y: tensor<1x1x1x8xf32>) -> (tensor<4x6xf32>, tensor<1x8xf32>) {
  %0 = qops.reshape %x : tensor<2x3x4xf32> -> tensor<4x6xf32>
  %1 = qops.flatten %y axis 1 : tensor<1x1x1x8xf32>
  return %0, %1 : tensor<4x6xf32>, tensor<1x8xf32>
}

// -----

// CHECK-LABEL: func.func @concat
// CHECK-SAME: (%[[A:.+]]: tensor<1x2xf32>, %[[B:.+]]: tensor<1x3xf32>)
// CHECK: %[[E:.+]] = tensor.empty() : tensor<1x5xf32>
// CHECK: %[[S0:.+]] = tensor.insert_slice %[[A]] into %[[E]][0, 0] [1, 2] [1, 1]
// CHECK: %[[S1:.+]] = tensor.insert_slice %[[B]] into %[[S0]][0, 2] [1, 3] [1, 1]
// CHECK: return %[[S1]]
func.func @concat(%a: tensor<1x2xf32>, %b: tensor<1x3xf32>) -> tensor<1x5xf32> {
  %0 = qops.concat %a, %b axis 1 : (tensor<1x2xf32>, tensor<1x3xf32>) -> tensor<1x5xf32>
  return %0 : tensor<1x5xf32>
}

// -----

// CHECK-LABEL: func.func @pad_transpose
// CHECK: %[[V:.+]] = arith.constant -2.500000e+00 : f32
// CHECK: tensor.pad %{{.+}} low[0, 2] high[1, 0]
// CHECK: tensor.yield %[[V]]
// CHECK: linalg.transpose ins(%{{.+}} : tensor<2x6xf32>) outs(%{{.+}} : tensor<6x2xf32>) permutation = [1, 0]
func.func @pad_transpose(%x: tensor<1x4xf32>) -> tensor<6x2xf32> {
  %0 = qops.pad %x pad [0, 1, 2, 0] value -2.5 : tensor<1x4xf32>
  %1 = qops.transpose %0 perm [1, 0] : tensor<2x6xf32>
  return %1 : tensor<6x2xf32>
}

// -----

// A strided slice is one tensor.extract_slice.
// CHECK-LABEL: func.func @slice
// CHECK: tensor.extract_slice %{{.+}}[0, 1, 0, 8] [1, 3, 4, 8] [1, 2, 1, 1] : tensor<1x8x4x16xf32> to tensor<1x3x4x8xf32>
func.func @slice(%x: tensor<1x8x4x16xf32>) -> tensor<1x3x4x8xf32> {
  %0 = qops.slice %x offsets [0, 1, 0, 8] strides [1, 2, 1, 1] : tensor<1x8x4x16xf32> -> tensor<1x3x4x8xf32>
  return %0 : tensor<1x3x4x8xf32>
}

// -----

// Softmax along axis 1: max-reduce, exp(x - max), sum-reduce, divide.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[RED:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @softmax
// CHECK: %[[MAX:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK: arith.maximumf
// CHECK: %[[EXP:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]], #[[ID]]], {{.+}} ins(%{{.+}}, %[[MAX]] :
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[RED]]], iterator_types = ["parallel", "reduction", "parallel"]} ins(%[[EXP]] :
// CHECK: arith.addf
// CHECK: linalg.generic {{.+}} ins(%[[EXP]], %[[SUM]] :
// CHECK: arith.divf
func.func @softmax(%x: tensor<2x6x3xf32>) -> tensor<2x6x3xf32> {
  %0 = qops.softmax %x axis 1 : tensor<2x6x3xf32> -> tensor<2x6x3xf32>
  return %0 : tensor<2x6x3xf32>
}

// -----

// Quantize: divide, round half to even, add the zero point after rounding,
// saturate (NaN to qmin), convert to the storage integer; u8 is an i8 read
// as unsigned. Quantized tensors become storage tensors in the signature.
// CHECK-LABEL: func.func @quantize_dequantize
// CHECK-SAME: (%[[X:.+]]: tensor<4xf32>) -> (tensor<4xi8>, tensor<4xf32>)
// CHECK: %[[Q:.+]] = linalg.generic {{.+}} ins(%[[X]] : tensor<4xf32>) outs(%{{.+}} : tensor<4xi8>)
// CHECK: ^bb0(%[[IN:.+]]: f32, %{{.+}}: i8):
// CHECK-DAG: %[[S:.+]] = arith.constant 5.000000e-02 : f32
// CHECK-DAG: %[[Z:.+]] = arith.constant 1.280000e+02 : f32
// CHECK: %[[D:.+]] = arith.divf %[[IN]], %[[S]]
// CHECK: %[[R:.+]] = math.roundeven %[[D]]
// CHECK: %[[A:.+]] = arith.addf %[[R]], %[[Z]]
// CHECK: %[[LO:.+]] = arith.maxnumf %[[A]], %{{.+}}
// CHECK: %[[HI:.+]] = arith.minnumf %[[LO]], %{{.+}}
// CHECK: arith.fptoui %[[HI]] : f32 to i8
// CHECK: %[[DQ:.+]] = linalg.generic {{.+}} ins(%[[Q]] : tensor<4xi8>) outs(%{{.+}} : tensor<4xf32>)
// CHECK: %[[F:.+]] = arith.uitofp %{{.+}} : i8 to f32
// CHECK: %[[C:.+]] = arith.subf %[[F]], %{{.+}}
// CHECK: arith.mulf %[[C]], %{{.+}}
// CHECK: return %[[Q]], %[[DQ]] : tensor<4xi8>, tensor<4xf32>
func.func @quantize_dequantize(%x: tensor<4xf32>) -> (tensor<4x!quant.uniform<u8:f32, 0.05:128>>, tensor<4xf32>) {
  %q = qops.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.05:128>>
  %y = qops.dequantize %q : tensor<4x!quant.uniform<u8:f32, 0.05:128>> -> tensor<4xf32>
  return %q, %y : tensor<4x!quant.uniform<u8:f32, 0.05:128>>, tensor<4xf32>
}

// -----

// Per-axis parameters come from constant tensors read along the quantized
// dimension; signed storage uses fptosi.
// CHECK-DAG: #[[AXIS:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @quantize_per_axis
// CHECK-DAG: %[[S:.+]] = arith.constant dense<[5.000000e-01, 2.500000e-01]> : tensor<2xf32>
// CHECK-DAG: %[[Z:.+]] = arith.constant dense<0.000000e+00> : tensor<2xf32>
// CHECK: linalg.generic {indexing_maps = [#{{.+}}, #[[AXIS]], #[[AXIS]], #{{.+}}], {{.+}} ins(%{{.+}}, %[[S]], %[[Z]] : tensor<2x3xf32>, tensor<2xf32>, tensor<2xf32>)
// CHECK: arith.fptosi %{{.+}} : f32 to i8
func.func @quantize_per_axis(%w: tensor<2x3xf32>) -> tensor<2x3x!quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>> {
  %q = qops.quantize %w : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>>
  return %q : tensor<2x3x!quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>>
}

// -----

// Requantize: the multiplier s_in / s_out per input channel is a compile-time
// constant; (q - z_in) * m is rounded, shifted by z_out and saturated.
// CHECK-LABEL: func.func @requantize_per_axis
// CHECK-DAG: %[[M:.+]] = arith.constant dense<[2.000000e-02, 4.000000e-02]> : tensor<2xf32>
// CHECK: linalg.generic {{.+}} ins(%{{.+}}, %[[M]] : tensor<1x2xi32>, tensor<2xf32>) outs(%{{.+}} : tensor<1x2xi8>)
// CHECK: arith.sitofp %{{.+}} : i32 to f32
// CHECK: math.roundeven
// CHECK: arith.fptosi %{{.+}} : f32 to i32
// CHECK: arith.trunci %{{.+}} : i32 to i8
func.func @requantize_per_axis(%acc: tensor<1x2x!quant.uniform<i32:f32:1, {0.001, 0.002}>>) -> tensor<1x2x!quant.uniform<u8:f32, 0.05:128>> {
  %r = qops.requantize %acc : tensor<1x2x!quant.uniform<i32:f32:1, {0.001, 0.002}>> -> tensor<1x2x!quant.uniform<u8:f32, 0.05:128>>
  return %r : tensor<1x2x!quant.uniform<u8:f32, 0.05:128>>
}

// -----

// qops.table: the stored input value, offset by the input's storage minimum
// (-128 for i8), indexes a constant table of result storage values.
// CHECK-LABEL: func.func @table
// CHECK: %[[TABLE:.*]] = arith.constant dense<{{.*}}> : tensor<256xi8>
// CHECK: linalg.generic
// CHECK: ^bb0(%[[Q:.*]]: i8, %{{.*}}: i8):
// CHECK: %[[WIDE:.*]] = arith.extsi %[[Q]] : i8 to i32
// CHECK: %[[INDEX:.*]] = arith.subi %[[WIDE]], %{{.*}} : i32
// CHECK: %[[POSITION:.*]] = arith.index_cast %[[INDEX]] : i32 to index
// CHECK: %[[VALUE:.*]] = tensor.extract %[[TABLE]][%[[POSITION]]] : tensor<256xi8>
// CHECK: linalg.yield %[[VALUE]] : i8
func.func @table(%x: tensor<4x!quant.uniform<i8:f32, 0.1>>) -> tensor<4x!quant.uniform<i8:f32, 0.1>> {
  %0 = qops.table %x, dense<[-128, -127, -126, -125, -124, -123, -122, -121, -120, -119, -118, -117, -116, -115, -114, -113, -112, -111, -110, -109, -108, -107, -106, -105, -104, -103, -102, -101, -100, -99, -98, -97, -96, -95, -94, -93, -92, -91, -90, -89, -88, -87, -86, -85, -84, -83, -82, -81, -80, -79, -78, -77, -76, -75, -74, -73, -72, -71, -70, -69, -68, -67, -66, -65, -64, -63, -62, -61, -60, -59, -58, -57, -56, -55, -54, -53, -52, -51, -50, -49, -48, -47, -46, -45, -44, -43, -42, -41, -40, -39, -38, -37, -36, -35, -34, -33, -32, -31, -30, -29, -28, -27, -26, -25, -24, -23, -22, -21, -20, -19, -18, -17, -16, -15, -14, -13, -12, -11, -10, -9, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127]> : tensor<256xi32> : tensor<4x!quant.uniform<i8:f32, 0.1>> -> tensor<4x!quant.uniform<i8:f32, 0.1>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.1>>
}

// -----

// A reduction: one generic into the kept dimensions from the identity (0
// for the sum, -inf for the maximum); the mean divides by the count;
// keepdims expands back.
// CHECK-DAG: #[[KEPT:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[NONE:.+]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @reductions
// CHECK: %[[SUM:.+]] = linalg.generic {indexing_maps = [#{{.+}}, #[[KEPT]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK: arith.addf
// CHECK: %[[MEAN:.+]] = linalg.generic
// CHECK: %[[N:.+]] = arith.constant 3.000000e+00 : f32
// CHECK: arith.divf %{{.+}}, %[[N]]
// CHECK: %[[KEEP:.+]] = tensor.expand_shape %[[MEAN]] {{\[}}[0], [1, 2]] output_shape [2, 1, 5] : tensor<2x5xf32> into tensor<2x1x5xf32>
// CHECK: %[[NEGINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%{{.+}} : tensor<f32>)
// CHECK: %[[MAX:.+]] = linalg.generic {indexing_maps = [#{{.+}}, #[[NONE]]], iterator_types = ["reduction", "reduction"]} {{.+}} outs(%[[INIT]] : tensor<f32>)
// CHECK: arith.maximumf
// CHECK: return %[[KEEP]], %[[MAX]]
func.func @reductions(%x: tensor<2x3x5xf32>, %m: tensor<3x5xf32>) -> (tensor<2x1x5xf32>, tensor<f32>) {
  %0 = qops.reduce_mean %x axes [1] keepdims : tensor<2x3x5xf32> -> tensor<2x1x5xf32>
  %1 = qops.reduce_max %m axes [0, 1] : tensor<3x5xf32> -> tensor<f32>
  return %0, %1 : tensor<2x1x5xf32>, tensor<f32>
}
