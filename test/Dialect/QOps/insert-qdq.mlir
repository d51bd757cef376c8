// RUN: quant-opt %s -split-input-file --insert-qdq | FileCheck %s
// RUN: quant-opt %s -split-input-file --insert-qdq="activations=i8 per-channel=false" | FileCheck %s --check-prefix=I8
// RUN: quant-opt %s -split-input-file --insert-qdq="weight-bits=4 activation-bits=16" | FileCheck %s --check-prefix=BITS
// RUN: quant-opt %s -split-input-file --insert-qdq | quant-opt -split-input-file --insert-qdq | FileCheck %s

// Input [-1, 1]: s = 2/255 (f32), z = round(1 / s) = round(127.4999988) = 127.
// Weights: per output channel, symmetric narrow: 2/127 and 0.5/127.
// Output [0, 6.1] (after the fused relu): s = 6.1/255, z = 0.
// The bias stays f32 (the integer conversion makes it int32).
// CHECK-LABEL: func.func @fully_connected
// CHECK: %[[XQ:.+]] = qops.quantize %arg0 : tensor<1x2xf32> -> tensor<1x2x!quant.uniform<u8:f32, 0.0078431377187371254:127>>
// CHECK: %[[XD:.+]] = qops.dequantize %[[XQ]]
// CHECK-DAG: %[[W:.+]] = arith.constant dense<{{\[}}[1.000000e+00, -2.000000e+00], [5.000000e-01, 2.500000e-01]]>
// CHECK-DAG: %[[B:.+]] = arith.constant dense<[1.000000e-01, 2.000000e-01]>
// CHECK: %[[WQ:.+]] = qops.quantize %[[W]] : tensor<2x2xf32> -> tensor<2x2x!quant.uniform<i8<-127:127>:f32:0, {0.015748031437397003,0.0039370078593492508}>>
// CHECK: %[[WD:.+]] = qops.dequantize %[[WQ]]
// CHECK: %[[Y:.+]] = qops.fully_connected %[[XD]], %[[WD]], %[[B]] {clamp_min = 0.000000e+00 : f32
// CHECK: %[[YQ:.+]] = qops.quantize %[[Y]] : tensor<1x2xf32> -> tensor<1x2x!quant.uniform<u8:f32, 0.02392156794667244>>
// CHECK: %[[YD:.+]] = qops.dequantize %[[YQ]]
// CHECK: return %[[YD]]
// CHECK-NOT: qops.quantize
// I8-LABEL: func.func @fully_connected
// I8: qops.quantize %arg0 : tensor<1x2xf32> -> tensor<1x2x!quant.uniform<i8:f32, 0.0078431377187371254:-1>>
// I8: qops.quantize %{{.+}} : tensor<2x2xf32> -> tensor<2x2x!quant.uniform<i8<-127:127>:f32, 0.015748031437397003>>
// BITS-LABEL: func.func @fully_connected
// BITS: tensor<1x2x!quant.uniform<u16:f32, 3.0518043786287308E-5:32768>>
// BITS: tensor<2x2x!quant.uniform<i4<-7:7>:f32:0, {0.28571429848670959,0.071428574621677399}>>
func.func @fully_connected(%x: tensor<1x2xf32> {qops.range = array<f64: -1.0, 1.0>}) -> tensor<1x2xf32> {
  %w = arith.constant dense<[[1.0, -2.0], [0.5, 0.25]]> : tensor<2x2xf32>
  %b = arith.constant dense<[0.1, 0.2]> : tensor<2xf32>
  %y = qops.fully_connected %x, %w, %b {clamp_min = 0.0 : f32, qops.range = array<f64: 0.0, 6.1>} : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// Scales are shared through nothing yet (--propagate-scales will do it): a
// max_pool2d input and output each get their own pair. A constant operand
// of an add is quantized like an activation from its own values.
// CHECK-LABEL: func.func @pool_add
// CHECK: qops.quantize %arg0
// CHECK: qops.max_pool2d
// CHECK: qops.quantize %{{.+}} : tensor<1x1x1x2xf32> -> tensor<1x1x1x2x!quant.uniform<u8:f32, 0.0039215688593685627>>
// CHECK: qops.add
// CHECK: qops.quantize
// CHECK-NOT: qops.quantize
func.func @pool_add(%x: tensor<1x2x2x2xf32> {qops.range = array<f64: 0.0, 1.0>}) -> tensor<1x1x1x2xf32> {
  %p = qops.max_pool2d %x kernel [2, 2] stride [2, 2] pad [0, 0, 0, 0] {qops.range = array<f64: 0.0, 1.0>} : tensor<1x2x2x2xf32>
  %c = arith.constant dense<[[[[0.5, 1.0]]]]> : tensor<1x1x1x2xf32>
  %s = qops.add %p, %c {qops.range = array<f64: 0.5, 2.0>} : (tensor<1x1x1x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32>
  return %s : tensor<1x1x1x2xf32>
}

// -----

// exclude by op name: the softmax stays float; a QDQ pair stands only at
// its boundary with the quantized fully-connected layer.
// RUN: quant-opt %s -split-input-file --insert-qdq="exclude=softmax" | FileCheck %s --check-prefix=EXCLUDE
// EXCLUDE-LABEL: func.func @excluded
// EXCLUDE: %[[Y:.+]] = qops.fully_connected
// EXCLUDE: %[[YQ:.+]] = qops.quantize %[[Y]]
// EXCLUDE: %[[YD:.+]] = qops.dequantize %[[YQ]]
// EXCLUDE: %[[S:.+]] = qops.softmax %[[YD]]
// EXCLUDE-NEXT: return %[[S]]
// Without exclude= the softmax is quantized like any other op.
// CHECK-LABEL: func.func @excluded
// CHECK: %[[S:.+]] = qops.softmax
// CHECK: qops.quantize %[[S]]
// Excluded by location name: the same.
// RUN: quant-opt %s -split-input-file --insert-qdq="exclude=probs" | FileCheck %s --check-prefix=EXCLUDE
func.func @excluded(%x: tensor<1x2xf32> {qops.range = array<f64: -1.0, 1.0>}) -> tensor<1x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x2xf32>
  %y = qops.fully_connected %x, %w {qops.range = array<f64: -2.0, 2.0>} : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %s = qops.softmax %y axis -1 {qops.range = array<f64: 0.0, 1.0>} : tensor<1x2xf32> -> tensor<1x2xf32> loc("probs")
  return %s : tensor<1x2xf32>
}

// -----

// A zero-width range is handled (s = 1), never divided by.
// CHECK-LABEL: func.func @degenerate_range
// CHECK: qops.quantize %arg0 : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 1.000000e+00>>
func.func @degenerate_range(%x: tensor<4xf32> {qops.range = array<f64: 0.0, 0.0>}) -> tensor<4xf32> {
  %r = qops.relu %x {qops.range = array<f64: 0.0, 0.0>} : tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// A division by a constant (per-channel image normalisation) becomes a mul
// by the f32 reciprocals, with the div's range; a division by
// a run-time tensor stays a div.
// CHECK-LABEL: func.func @div_by_constant
// CHECK-NOT: qops.div %{{.+}}, %cst
// CHECK-DAG: %[[R:.+]] = arith.constant dense<[5.000000e-01, 2.500000e-01, -1.250000e-01]> : tensor<3xf32>
// CHECK-DAG: %[[RQ:.+]] = qops.quantize %[[R]]
// CHECK-DAG: %[[RD:.+]] = qops.dequantize %[[RQ]]
// CHECK: %[[M:.+]] = qops.mul %{{.+}}, %[[RD]] {qops.range = array<f64: -2.000000e+00, 2.000000e+00>} : (tensor<1x2x3xf32>, tensor<3xf32>) -> tensor<1x2x3xf32>
// CHECK: qops.div %{{.+}}, %{{.+}} {qops.range = array<f64: -4.000000e+00, 4.000000e+00>}
func.func @div_by_constant(%x: tensor<1x2x3xf32> {qops.range = array<f64: -1.0, 1.0>}, %y: tensor<1x2x3xf32> {qops.range = array<f64: 0.5, 1.0>}) -> tensor<1x2x3xf32> {
  %c = arith.constant dense<[2.0, 4.0, -8.0]> : tensor<3xf32>
  %n = qops.div %x, %c {qops.range = array<f64: -2.0, 2.0>} : (tensor<1x2x3xf32>, tensor<3xf32>) -> tensor<1x2x3xf32>
  %d = qops.div %n, %y {qops.range = array<f64: -4.0, 4.0>} : (tensor<1x2x3xf32>, tensor<1x2x3xf32>) -> tensor<1x2x3xf32>
  return %d : tensor<1x2x3xf32>
}
