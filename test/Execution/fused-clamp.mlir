// Execution: fused activations (clamp ranges) of conv2d, matmul,
// fully_connected and add, against NumPy (1e-5 relative).
// RUN: %numpy_python %S/qops_reference.py %s conv_relu6 conv2d 1x6x6x4,8x3x3x4,8 stride=1,1 pad=1,1,1,1 dilation=1,1 groups=1 clamp_min=0 clamp_max=6 | FileCheck %s --check-prefix=CONV
// RUN: %numpy_python %S/qops_reference.py %s matmul_relu matmul 4x6,6x5 clamp_min=0 | FileCheck %s --check-prefix=MM
// RUN: %numpy_python %S/qops_reference.py %s fc_clamp fully_connected 2x16,8x16,8 clamp_min=-1 clamp_max=1.5 | FileCheck %s --check-prefix=FC
// RUN: %numpy_python %S/qops_reference.py %s add_max add 2x9,9 clamp_max=0.5 | FileCheck %s --check-prefix=ADD
// CONV: conv_relu6: max error {{.*}}: ok
// MM: matmul_relu: max error {{.*}}: ok
// FC: fc_clamp: max error {{.*}}: ok
// ADD: add_max: max error {{.*}}: ok

func.func @conv_relu6(%x: tensor<1x6x6x4xf32>, %w: tensor<8x3x3x4xf32>, %b: tensor<8xf32>) -> tensor<1x6x6x8xf32> {
  %0 = qops.conv2d %x, %w, %b stride [1, 1] pad [1, 1, 1, 1] dilation [1, 1] groups 1 {clamp_max = 6.0 : f32, clamp_min = 0.0 : f32} : (tensor<1x6x6x4xf32>, tensor<8x3x3x4xf32>, tensor<8xf32>) -> tensor<1x6x6x8xf32>
  return %0 : tensor<1x6x6x8xf32>
}

func.func @matmul_relu(%a: tensor<4x6xf32>, %b: tensor<6x5xf32>) -> tensor<4x5xf32> {
  %0 = qops.matmul %a, %b {clamp_min = 0.0 : f32} : (tensor<4x6xf32>, tensor<6x5xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

func.func @fc_clamp(%x: tensor<2x16xf32>, %w: tensor<8x16xf32>, %b: tensor<8xf32>) -> tensor<2x8xf32> {
  %0 = qops.fully_connected %x, %w, %b {clamp_max = 1.5 : f32, clamp_min = -1.0 : f32} : (tensor<2x16xf32>, tensor<8x16xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

func.func @add_max(%a: tensor<2x9xf32>, %b: tensor<9xf32>) -> tensor<2x9xf32> {
  %0 = qops.add %a, %b {clamp_max = 0.5 : f32} : (tensor<2x9xf32>, tensor<9xf32>) -> tensor<2x9xf32>
  return %0 : tensor<2x9xf32>
}
