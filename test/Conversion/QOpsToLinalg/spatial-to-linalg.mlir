// RUN: quant-opt %s -split-input-file --convert-qops-to-linalg | FileCheck %s

// Nearest resize: a linalg.generic over the result reading the input at
// the source row and column of two constant index tables.
// CHECK-LABEL: func.func @resize_nearest
// CHECK-SAME: (%[[X:.+]]: tensor<1x2x2x3xf32>)
// CHECK-DAG: %[[ROWS:.+]] = arith.constant dense<[0, 0, 1, 1]> : tensor<4xi64>
// CHECK-DAG: %[[COLS:.+]] = arith.constant dense<[0, 1, 1]> : tensor<3xi64>
// CHECK: linalg.generic {{.+}} outs(%{{.+}} : tensor<1x4x3x3xf32>)
// CHECK: %[[N:.+]] = linalg.index 0
// CHECK: %[[I:.+]] = linalg.index 1
// CHECK: %[[J:.+]] = linalg.index 2
// CHECK: %[[C:.+]] = linalg.index 3
// CHECK: %[[R:.+]] = tensor.extract %[[ROWS]][%[[I]]]
// CHECK: %[[RI:.+]] = arith.index_cast %[[R]] : i64 to index
// CHECK: %[[S:.+]] = tensor.extract %[[COLS]][%[[J]]]
// CHECK: %[[SI:.+]] = arith.index_cast %[[S]] : i64 to index
// CHECK: %[[V:.+]] = tensor.extract %[[X]][%[[N]], %[[RI]], %[[SI]], %[[C]]]
// CHECK: linalg.yield %[[V]] : f32
func.func @resize_nearest(%x: tensor<1x2x2x3xf32>) -> tensor<1x4x3x3xf32> {
  %0 = qops.resize_nearest %x rows [0, 0, 1, 1] cols [0, 1, 1] : tensor<1x2x2x3xf32> -> tensor<1x4x3x3xf32>
  return %0 : tensor<1x4x3x3xf32>
}

// -----

// Quantized nearest resize copies the storage integers.
// CHECK-LABEL: func.func @resize_nearest_quantized
// CHECK-SAME: (%[[X:.+]]: tensor<1x2x2x3xi8>) -> tensor<1x2x1x3xi8>
// CHECK: linalg.generic {{.+}} outs(%{{.+}} : tensor<1x2x1x3xi8>)
// CHECK: tensor.extract %[[X]]
// CHECK: linalg.yield %{{.+}} : i8
func.func @resize_nearest_quantized(%q: tensor<1x2x2x3x!quant.uniform<u8:f32, 0.05:128>>) -> tensor<1x2x1x3x!quant.uniform<u8:f32, 0.05:128>> {
  %0 = qops.resize_nearest %q rows [0, 1] cols [1] : tensor<1x2x2x3x!quant.uniform<u8:f32, 0.05:128>> -> tensor<1x2x1x3x!quant.uniform<u8:f32, 0.05:128>>
  return %0 : tensor<1x2x1x3x!quant.uniform<u8:f32, 0.05:128>>
}

// -----

// Bilinear: the four neighbours blended in f32, columns first.
// CHECK-LABEL: func.func @resize_bilinear
// CHECK-DAG: arith.constant dense<[0.000000e+00, 5.000000e-01]> : tensor<2xf32>
// CHECK-DAG: arith.constant dense<2.500000e-01> : tensor<1xf32>
// CHECK: linalg.generic
// CHECK: %[[A:.+]] = tensor.extract %{{.+}}[%{{.+}}] : tensor<2xf32>
// CHECK: %[[B:.+]] = tensor.extract %{{.+}}[%{{.+}}] : tensor<1xf32>
// CHECK: %[[A0:.+]] = arith.subf %{{.+}}, %[[A]] : f32
// CHECK: %[[B0:.+]] = arith.subf %{{.+}}, %[[B]] : f32
// CHECK: %[[X00:.+]] = tensor.extract %arg0
// CHECK: %[[L:.+]] = arith.mulf %[[B0]], %[[X00]]
// CHECK: %[[X01:.+]] = tensor.extract %arg0
// CHECK: %[[RT:.+]] = arith.mulf %[[B]], %[[X01]]
// CHECK: %[[TOP:.+]] = arith.addf %[[L]], %[[RT]]
// CHECK: %[[T:.+]] = arith.mulf %[[A0]], %[[TOP]]
// CHECK: %[[BOT:.+]] = arith.addf
// CHECK: %[[BT:.+]] = arith.mulf %[[A]], %[[BOT]]
// CHECK: %[[SUM:.+]] = arith.addf %[[T]], %[[BT]]
// CHECK: linalg.yield %[[SUM]] : f32
func.func @resize_bilinear(%x: tensor<1x2x2x3xf32>) -> tensor<1x2x1x3xf32> {
  %0 = qops.resize_bilinear %x rows [0, 0, 0, 1] row_weights [0.0, 0.5] cols [0, 1] col_weights [0.25] : tensor<1x2x2x3xf32> -> tensor<1x2x1x3xf32>
  return %0 : tensor<1x2x1x3xf32>
}

// -----

// Edge padding (here of a quantized tensor: storage copies): the source
// index i - lo clamped to [0, size - 1]; an unpadded dimension reads its
// own index.
// CHECK-LABEL: func.func @pad_edge
// CHECK-SAME: (%[[X:.+]]: tensor<1x3xi8>) -> tensor<1x6xi8>
// CHECK: linalg.generic
// CHECK: %[[N:.+]] = linalg.index 0
// CHECK: %[[I:.+]] = linalg.index 1
// CHECK-DAG: %[[ZERO:.+]] = arith.constant 0 : index
// CHECK-DAG: %[[LAST:.+]] = arith.constant 2 : index
// CHECK: %[[S:.+]] = arith.subi %[[I]], %{{.+}} : index
// CHECK: %[[BELOW:.+]] = arith.cmpi slt, %[[S]], %[[ZERO]]
// CHECK: %[[ABOVE:.+]] = arith.cmpi sgt, %[[S]], %[[LAST]]
// CHECK: %[[S1:.+]] = arith.select %[[BELOW]], %[[ZERO]], %[[S]]
// CHECK: %[[S2:.+]] = arith.select %[[ABOVE]], %[[LAST]], %[[S1]]
// CHECK: tensor.extract %[[X]][%[[N]], %[[S2]]]
func.func @pad_edge(%q: tensor<1x3x!quant.uniform<u8:f32, 0.05:128>>) -> tensor<1x6x!quant.uniform<u8:f32, 0.05:128>> {
  %0 = qops.pad %q pad [0, 0, 2, 1] mode "edge" : tensor<1x3x!quant.uniform<u8:f32, 0.05:128>>
  return %0 : tensor<1x6x!quant.uniform<u8:f32, 0.05:128>>
}

// -----

// Reflect padding: -s below the start, 2 (size - 1) - s past the end.
// CHECK-LABEL: func.func @pad_reflect
// CHECK: %[[S:.+]] = arith.subi %{{.+}}, %{{.+}} : index
// CHECK: %[[NEG:.+]] = arith.subi %{{.+}}, %[[S]] : index
// CHECK: %[[MIRROR:.+]] = arith.subi %{{.+}}, %[[S]] : index
// CHECK: arith.select %{{.+}}, %[[NEG]], %[[S]]
// CHECK: arith.select %{{.+}}, %[[MIRROR]]
func.func @pad_reflect(%x: tensor<1x4xf32>) -> tensor<1x7xf32> {
  %0 = qops.pad %x pad [0, 0, 2, 1] mode "reflect" : tensor<1x4xf32>
  return %0 : tensor<1x7xf32>
}

// -----

// Dilated max pooling: the named pooling op with the dilations.
// CHECK-LABEL: func.func @max_pool2d_dilated
// CHECK: linalg.pooling_nhwc_max {dilations = dense<[2, 3]> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
func.func @max_pool2d_dilated(%x: tensor<1x7x7x2xf32>) -> tensor<1x5x4x2xf32> {
  %0 = qops.max_pool2d %x kernel [2, 2] stride [1, 1] pad [0, 0, 0, 0] dilation [2, 3] : tensor<1x7x7x2xf32>
  return %0 : tensor<1x5x4x2xf32>
}

// -----

// Quantized: the unsigned pooling on the storage integers, dilated too.
// CHECK-LABEL: func.func @max_pool2d_dilated_quantized
// CHECK: linalg.pooling_nhwc_max_unsigned {dilations = dense<2> : vector<2xi64>, strides = dense<1> : vector<2xi64>}
func.func @max_pool2d_dilated_quantized(%x: tensor<1x7x7x2x!quant.uniform<u8:f32, 0.05:128>>) -> tensor<1x5x5x2x!quant.uniform<u8:f32, 0.05:128>> {
  %0 = qops.max_pool2d %x kernel [2, 2] stride [1, 1] pad [0, 0, 0, 0] dilation [2, 2] : tensor<1x7x7x2x!quant.uniform<u8:f32, 0.05:128>>
  return %0 : tensor<1x5x5x2x!quant.uniform<u8:f32, 0.05:128>>
}
