// RUN: quant-opt %s -split-input-file --insert-qdq | FileCheck %s --check-prefix=QDQ
// RUN: quant-opt %s -split-input-file --insert-qdq --convert-to-integer 2>&1 | FileCheck %s --check-prefix=INT

// group_norm is a float island by design: --insert-qdq quantizes its input
// and result but keeps its scale and bias f32; --convert-to-integer leaves
// it between dequantize and quantize with a remark, and the conv2d before
// it becomes integer.
// QDQ-LABEL: func.func @island
// QDQ: qops.conv2d
// QDQ: %[[Q:.+]] = qops.quantize %{{.+}} : tensor<1x4x4x2xf32> -> tensor<1x4x4x2x!quant.uniform<u8:f32
// QDQ: %[[D:.+]] = qops.dequantize %[[Q]]
// QDQ-NEXT: %[[S:.+]] = arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// QDQ-NEXT: %[[B:.+]] = arith.constant dense<[5.000000e-01, -5.000000e-01]> : tensor<2xf32>
// QDQ-NEXT: %[[G:.+]] = qops.group_norm %[[D]], %[[S]], %[[B]] groups 1
// QDQ: qops.quantize %[[G]]

// INT: remark: stays in float between dequantize and quantize: group_norm has no integer form (a float island by design: see its description)
// INT-LABEL: func.func @island
// INT: qops.conv2d {{.+}} -> tensor<1x4x4x2x!quant.uniform<u8:f32
// INT: %[[D:.+]] = qops.dequantize
// INT: %[[G:.+]] = qops.group_norm %[[D]], %{{.+}}, %{{.+}} groups 1 epsilon {{.+}} : tensor<1x4x4x2xf32>, tensor<2xf32>
// INT: qops.quantize %[[G]]
func.func @island(%x: tensor<1x4x4x3xf32> {qops.range = array<f64: -1.0, 1.0>}) -> tensor<1x4x4x2xf32> {
  %w = arith.constant dense<0.5> : tensor<2x1x1x3xf32>
  %y = qops.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 {qops.range = array<f64: -2.0, 2.0>} : (tensor<1x4x4x3xf32>, tensor<2x1x1x3xf32>) -> tensor<1x4x4x2xf32>
  %s = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %b = arith.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %z = qops.group_norm %y, %s, %b groups 1 epsilon 1.0e-05 {qops.range = array<f64: -3.0, 3.0>} : tensor<1x4x4x2xf32>, tensor<2xf32>
  return %z : tensor<1x4x4x2xf32>
}
