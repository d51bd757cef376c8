// RUN: quant-opt %s -split-input-file --convert-qops-to-linalg | FileCheck %s

// gather: one linalg.generic over the result reading the index operand at
// the index dimensions; the index is widened to i64, wrapped once when
// negative, clamped into [0, size - 1], and the table element extracted.
// CHECK-DAG: #[[IDX:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @gather
// CHECK: linalg.generic {indexing_maps = [#[[IDX]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg1 : tensor<2x4xi32>) outs(%{{.+}} : tensor<2x4x8xf32>)
// CHECK: %[[K:.+]] = arith.extsi %{{.+}} : i32 to i64
// CHECK: %[[NEG:.+]] = arith.cmpi slt, %[[K]], %{{.+}} : i64
// CHECK: %[[C10:.+]] = arith.constant 10 : i64
// CHECK: %[[UP:.+]] = arith.addi %[[K]], %[[C10]] : i64
// CHECK: %[[W:.+]] = arith.select %[[NEG]], %[[UP]], %[[K]] : i64
// CHECK: %[[LO:.+]] = arith.maxsi %[[W]], %{{.+}} : i64
// CHECK: %[[C9:.+]] = arith.constant 9 : i64
// CHECK: %[[SAFE:.+]] = arith.minsi %[[LO]], %[[C9]] : i64
// CHECK: %[[I:.+]] = arith.index_cast %[[SAFE]] : i64 to index
// CHECK: %[[J:.+]] = linalg.index 2 : index
// CHECK: %[[E:.+]] = tensor.extract %arg0[%[[I]], %[[J]]] : tensor<10x8xf32>
// CHECK: linalg.yield %[[E]] : f32
func.func @gather(%t: tensor<10x8xf32>, %ids: tensor<2x4xi32>) -> tensor<2x4x8xf32> {
  %0 = qops.gather %t, %ids axis 0 : (tensor<10x8xf32>, tensor<2x4xi32>) -> tensor<2x4x8xf32>
  return %0 : tensor<2x4x8xf32>
}

// -----

// layer_norm over the trailing [3, 8]: rows [2, 24], per-row sum, mean,
// sum of squared deviations, sqrt(var + eps), then the normalization with
// the flattened scale and bias, reshaped back.
// CHECK-DAG: #[[ID2:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[COL:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @layer_norm
// CHECK: %[[X:.+]] = tensor.collapse_shape %arg0 {{\[}}[0], [1, 2]] : tensor<2x3x8xf32> into tensor<2x24xf32>
// CHECK: %[[S:.+]] = tensor.collapse_shape %arg1 {{\[}}[0, 1]] : tensor<3x8xf32> into tensor<24xf32>
// CHECK: %[[B:.+]] = tensor.collapse_shape %arg2 {{\[}}[0, 1]] : tensor<3x8xf32> into tensor<24xf32>
// CHECK: %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[ID2]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<2x24xf32>)
// CHECK: %[[MEAN:.+]] = linalg.generic
// CHECK: arith.constant 2.400000e+01 : f32
// CHECK: %[[SQ:.+]] = linalg.generic {indexing_maps = [#[[ID2]], #[[ROW]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[X]], %[[MEAN]] :
// CHECK: %[[DEN:.+]] = linalg.generic
// CHECK: arith.constant 1.000000e-03 : f32
// CHECK: math.sqrt
// CHECK: %[[Y:.+]] = linalg.generic {indexing_maps = [#[[ID2]], #[[ROW]], #[[ROW]], #[[COL]], #[[COL]], #[[ID2]]], iterator_types = ["parallel", "parallel"]} ins(%[[X]], %[[MEAN]], %[[DEN]], %[[S]], %[[B]] :
// CHECK: arith.subf
// CHECK-NEXT: arith.divf
// CHECK-NEXT: arith.mulf
// CHECK-NEXT: arith.addf
// CHECK-NEXT: linalg.yield
// CHECK-NEXT: }
// CHECK-NEXT: tensor.expand_shape %[[Y]] {{\[}}[0], [1, 2]] output_shape [2, 3, 8] : tensor<2x24xf32> into tensor<2x3x8xf32>
func.func @layer_norm(%x: tensor<2x3x8xf32>, %s: tensor<3x8xf32>, %b: tensor<3x8xf32>) -> tensor<2x3x8xf32> {
  %0 = qops.layer_norm %x, %s, %b axis 1 epsilon 1.0e-3 : tensor<2x3x8xf32>, tensor<3x8xf32>
  return %0 : tensor<2x3x8xf32>
}

// -----

// gelu: the f32 operations of its description, in order.
// CHECK-LABEL: func.func @gelu
// CHECK: arith.constant 1.41421354 : f32
// CHECK-NEXT: arith.divf
// CHECK-NEXT: math.erf
// CHECK: arith.addf
// CHECK-NEXT: arith.mulf %in,
// CHECK: arith.constant 5.000000e-01 : f32
// CHECK-NEXT: arith.mulf
// CHECK: %[[SQ:.+]] = arith.mulf %in, %in : f32
// CHECK-NEXT: %[[CUBE:.+]] = arith.mulf %[[SQ]], %in : f32
// CHECK: arith.constant 4.471500e-02 : f32
// CHECK-NEXT: arith.mulf %[[CUBE]],
// CHECK-NEXT: arith.addf %in,
// CHECK: arith.constant 0.797884583 : f32
// CHECK-NEXT: arith.mulf
// CHECK-NEXT: math.tanh
// CHECK: arith.addf
// CHECK-NEXT: arith.mulf %in,
// CHECK: arith.constant 5.000000e-01 : f32
// CHECK-NEXT: arith.mulf
func.func @gelu(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = qops.gelu %x : tensor<4xf32> -> tensor<4xf32>
  %1 = qops.gelu %x approximate "tanh" : tensor<4xf32> -> tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}
