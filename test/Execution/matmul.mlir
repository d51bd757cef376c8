// Execution: qops.matmul and qops.fully_connected against NumPy (1e-5 relative).
// RUN: %numpy_python %S/qops_reference.py %s matmul2d matmul 5x7,7x3 | FileCheck %s --check-prefix=MM
// RUN: %numpy_python %S/qops_reference.py %s batched_bias matmul 2x4x6,2x6x5,5 | FileCheck %s --check-prefix=BMM
// RUN: %numpy_python %S/qops_reference.py %s fc fully_connected 3x64,10x64,10 | FileCheck %s --check-prefix=FC
// RUN: %numpy_python %S/qops_reference.py %s fc_no_bias fully_connected 1x16,4x16 batch=5 | FileCheck %s --check-prefix=FCNB
// MM: matmul2d: max error {{.*}}: ok
// BMM: batched_bias: max error {{.*}}: ok
// FC: fc: max error {{.*}}: ok
// FCNB: fc_no_bias: max error {{.*}}: ok

func.func @matmul2d(%a: tensor<5x7xf32>, %b: tensor<7x3xf32>) -> tensor<5x3xf32> {
  %0 = qops.matmul %a, %b : (tensor<5x7xf32>, tensor<7x3xf32>) -> tensor<5x3xf32>
  return %0 : tensor<5x3xf32>
}

func.func @batched_bias(%a: tensor<2x4x6xf32>, %b: tensor<2x6x5xf32>, %c: tensor<5xf32>) -> tensor<2x4x5xf32> {
  %0 = qops.matmul %a, %b, %c : (tensor<2x4x6xf32>, tensor<2x6x5xf32>, tensor<5xf32>) -> tensor<2x4x5xf32>
  return %0 : tensor<2x4x5xf32>
}

func.func @fc(%x: tensor<3x64xf32>, %w: tensor<10x64xf32>, %b: tensor<10xf32>) -> tensor<3x10xf32> {
  %0 = qops.fully_connected %x, %w, %b : (tensor<3x64xf32>, tensor<10x64xf32>, tensor<10xf32>) -> tensor<3x10xf32>
  return %0 : tensor<3x10xf32>
}

func.func @fc_no_bias(%x: tensor<1x16xf32>, %w: tensor<4x16xf32>) -> tensor<1x4xf32> {
  %0 = qops.fully_connected %x, %w : (tensor<1x16xf32>, tensor<4x16xf32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}
