// RUN: quant-opt %s -split-input-file --insert-qdq | FileCheck %s --check-prefix=QDQ
// RUN: quant-opt %s -split-input-file --insert-qdq --convert-to-integer 2>&1 | FileCheck %s --check-prefix=INT

// gather and layer_norm are float islands by design. --insert-qdq leaves the
// integer token ids alone (no range, no quantize), quantizes the embedding
// table as a constant operand and the results; layer_norm keeps its scale
// and bias f32. --convert-to-integer leaves both between dequantize and
// quantize with a remark; gelu becomes a 256-entry table.
// QDQ-LABEL: func.func @encoder_input
// QDQ-SAME: %[[IDS:[^:]+]]: tensor<1x4xi64>
// QDQ-NOT: qops.quantize %[[IDS]]
// QDQ: %[[T:.+]] = qops.quantize %{{.+}} : tensor<10x3xf32> -> tensor<10x3x!quant.uniform<u8:f32
// QDQ: %[[TD:.+]] = qops.dequantize %[[T]]
// QDQ: %[[E:.+]] = qops.gather %[[TD]], %[[IDS]] axis 0
// QDQ: %[[EQ:.+]] = qops.quantize %[[E]]
// QDQ: %[[ED:.+]] = qops.dequantize %[[EQ]]
// QDQ-NEXT: %[[S:.+]] = arith.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf32>
// QDQ-NEXT: %[[B:.+]] = arith.constant dense<[5.000000e-01, -5.000000e-01, 0.000000e+00]> : tensor<3xf32>
// QDQ-NEXT: %[[N:.+]] = qops.layer_norm %[[ED]], %[[S]], %[[B]] axis 2
// QDQ: qops.quantize %[[N]]

// INT-DAG: remark: stays in float between dequantize and quantize: gather reads integer indices and has no integer form (a float island by design: see its description)
// INT-DAG: remark: stays in float between dequantize and quantize: layer_norm has no integer form (a float island by design: see its description)
// INT-LABEL: func.func @encoder_input
// INT: %[[E:.+]] = qops.gather %{{.+}}, %{{.+}} axis 0 {{.*}}: (tensor<10x3xf32>, tensor<1x4xi64>) -> tensor<1x4x3xf32>
// INT: qops.quantize %[[E]]
// INT: %[[D:.+]] = qops.dequantize
// INT: %[[N:.+]] = qops.layer_norm %[[D]], %{{.+}}, %{{.+}} axis 2 epsilon {{.+}} : tensor<1x4x3xf32>, tensor<3xf32>
// INT: qops.quantize %[[N]]
// INT: qops.table
func.func @encoder_input(%ids: tensor<1x4xi64>) -> tensor<1x4x3xf32> {
  %t = arith.constant dense<0.25> : tensor<10x3xf32>
  %e = qops.gather %t, %ids axis 0 {qops.range = array<f64: -1.0, 1.0>} : (tensor<10x3xf32>, tensor<1x4xi64>) -> tensor<1x4x3xf32>
  %s = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %b = arith.constant dense<[0.5, -0.5, 0.0]> : tensor<3xf32>
  %n = qops.layer_norm %e, %s, %b axis 2 epsilon 1.0e-05 {qops.range = array<f64: -3.0, 3.0>} : tensor<1x4x3xf32>, tensor<3xf32>
  %g = qops.gelu %n {qops.range = array<f64: -0.2, 3.0>} : tensor<1x4x3xf32> -> tensor<1x4x3xf32>
  return %g : tensor<1x4x3xf32>
}
