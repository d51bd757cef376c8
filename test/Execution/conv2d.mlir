// Execution: qops.conv2d against the NumPy reference (1e-5 relative).
// RUN: %numpy_python %S/qops_reference.py %s dense conv2d 1x8x8x3,16x3x3x3,16 stride=1,1 pad=1,1,1,1 dilation=1,1 groups=1 | FileCheck %s --check-prefix=DENSE
// RUN: %numpy_python %S/qops_reference.py %s dense conv2d 1x8x8x3,16x3x3x3,16 stride=1,1 pad=1,1,1,1 dilation=1,1 groups=1 batch=3 | FileCheck %s --check-prefix=DENSE
// RUN: %numpy_python %S/qops_reference.py %s strided_dilated_asymmetric conv2d 2x11x9x4,6x3x2x4 stride=2,1 pad=0,1,2,0 dilation=2,3 groups=1 | FileCheck %s --check-prefix=STRIDED
// RUN: %numpy_python %S/qops_reference.py %s depthwise conv2d 1x7x7x8,8x3x3x1,8 stride=1,1 pad=1,1,1,1 dilation=1,1 groups=8 | FileCheck %s --check-prefix=DEPTHWISE
// RUN: %numpy_python %S/qops_reference.py %s depthwise_multiplier conv2d 1x6x6x4,8x3x3x1 stride=2,2 pad=1,1,1,1 dilation=1,1 groups=4 | FileCheck %s --check-prefix=MULTIPLIER
// RUN: %numpy_python %S/qops_reference.py %s grouped conv2d 1x5x5x6,4x1x1x3,4 stride=1,1 pad=0,0,0,0 dilation=1,1 groups=2 | FileCheck %s --check-prefix=GROUPED
// DENSE: dense: max error {{.*}}: ok
// STRIDED: strided_dilated_asymmetric: max error {{.*}}: ok
// DEPTHWISE: depthwise: max error {{.*}}: ok
// MULTIPLIER: depthwise_multiplier: max error {{.*}}: ok
// GROUPED: grouped: max error {{.*}}: ok

func.func @dense(%x: tensor<1x8x8x3xf32>, %w: tensor<16x3x3x3xf32>, %b: tensor<16xf32>) -> tensor<1x8x8x16xf32> {
  %0 = qops.conv2d %x, %w, %b stride [1, 1] pad [1, 1, 1, 1] dilation [1, 1] groups 1 : (tensor<1x8x8x3xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x8x8x16xf32>
  return %0 : tensor<1x8x8x16xf32>
}

func.func @strided_dilated_asymmetric(%x: tensor<2x11x9x4xf32>, %w: tensor<6x3x2x4xf32>) -> tensor<2x4x8x6xf32> {
  %0 = qops.conv2d %x, %w stride [2, 1] pad [0, 1, 2, 0] dilation [2, 3] groups 1 : (tensor<2x11x9x4xf32>, tensor<6x3x2x4xf32>) -> tensor<2x4x8x6xf32>
  return %0 : tensor<2x4x8x6xf32>
}

func.func @depthwise(%x: tensor<1x7x7x8xf32>, %w: tensor<8x3x3x1xf32>, %b: tensor<8xf32>) -> tensor<1x7x7x8xf32> {
  %0 = qops.conv2d %x, %w, %b stride [1, 1] pad [1, 1, 1, 1] dilation [1, 1] groups 8 : (tensor<1x7x7x8xf32>, tensor<8x3x3x1xf32>, tensor<8xf32>) -> tensor<1x7x7x8xf32>
  return %0 : tensor<1x7x7x8xf32>
}

func.func @depthwise_multiplier(%x: tensor<1x6x6x4xf32>, %w: tensor<8x3x3x1xf32>) -> tensor<1x3x3x8xf32> {
  %0 = qops.conv2d %x, %w stride [2, 2] pad [1, 1, 1, 1] dilation [1, 1] groups 4 : (tensor<1x6x6x4xf32>, tensor<8x3x3x1xf32>) -> tensor<1x3x3x8xf32>
  return %0 : tensor<1x3x3x8xf32>
}

func.func @grouped(%x: tensor<1x5x5x6xf32>, %w: tensor<4x1x1x3xf32>, %b: tensor<4xf32>) -> tensor<1x5x5x4xf32> {
  %0 = qops.conv2d %x, %w, %b stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 2 : (tensor<1x5x5x6xf32>, tensor<4x1x1x3xf32>, tensor<4xf32>) -> tensor<1x5x5x4xf32>
  return %0 : tensor<1x5x5x4xf32>
}
