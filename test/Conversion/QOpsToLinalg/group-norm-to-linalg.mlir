// RUN: quant-opt %s --convert-qops-to-linalg | FileCheck %s

// group_norm: the input viewed as [N, H, W, G, C/G], the per-(n, g) sum and
// mean, the sum of squared deviations, sqrt(var + eps), then the element-wise
// (x - mean) / sqrt(var + eps) * scale + bias over the view, collapsed back.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
// CHECK-DAG: #[[STAT:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3)>
// CHECK-DAG: #[[PARAM:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d3, d4)>
// CHECK-LABEL: func.func @group_norm
// CHECK: %[[X:.+]] = tensor.expand_shape %arg0 {{\[}}[0], [1], [2], [3, 4]] output_shape [1, 4, 4, 2, 3]
// CHECK: %[[S:.+]] = tensor.expand_shape %arg1 {{\[}}[0, 1]] output_shape [2, 3]
// CHECK: %[[B:.+]] = tensor.expand_shape %arg2 {{\[}}[0, 1]] output_shape [2, 3]
// CHECK: %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[STAT]]], iterator_types = ["parallel", "reduction", "reduction", "parallel", "reduction"]} ins(%[[X]] : tensor<1x4x4x2x3xf32>) outs(%{{.+}} : tensor<1x2xf32>)
// CHECK: arith.addf
// CHECK: %[[MEAN:.+]] = linalg.generic
// CHECK: arith.constant 4.800000e+01 : f32
// CHECK: arith.divf
// CHECK: %[[SQ:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[STAT]], #[[STAT]]], iterator_types = ["parallel", "reduction", "reduction", "parallel", "reduction"]} ins(%[[X]], %[[MEAN]] :
// CHECK: arith.subf
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: %[[DEN:.+]] = linalg.generic
// CHECK: arith.divf
// CHECK: arith.constant 1.000000e-03 : f32
// CHECK: arith.addf
// CHECK: math.sqrt
// CHECK: %[[Y:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[STAT]], #[[STAT]], #[[PARAM]], #[[PARAM]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%[[X]], %[[MEAN]], %[[DEN]], %[[S]], %[[B]] :
// CHECK: arith.subf
// CHECK-NEXT: arith.divf
// CHECK-NEXT: arith.mulf
// CHECK-NEXT: arith.addf
// CHECK: tensor.collapse_shape %[[Y]] {{\[}}[0], [1], [2], [3, 4]] : tensor<1x4x4x2x3xf32> into tensor<1x4x4x6xf32>
func.func @group_norm(%x: tensor<1x4x4x6xf32>, %s: tensor<6xf32>, %b: tensor<6xf32>) -> tensor<1x4x4x6xf32> {
  %0 = qops.group_norm %x, %s, %b groups 2 epsilon 1.0e-03 : tensor<1x4x4x6xf32>, tensor<6xf32>
  return %0 : tensor<1x4x4x6xf32>
}
