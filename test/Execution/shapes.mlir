// Execution: shape manipulation and softmax against NumPy (1e-5 relative).
// RUN: %numpy_python %S/qops_reference.py %s reshape reshape 2x3x4 shape=4x6 | FileCheck %s --check-prefix=RESHAPE
// RUN: %numpy_python %S/qops_reference.py %s flatten flatten 2x3x2x2 axis=2 | FileCheck %s --check-prefix=FLATTEN
// RUN: %numpy_python %S/qops_reference.py %s concat concat 1x2x3,1x4x3,1x1x3 axis=1 | FileCheck %s --check-prefix=CONCAT
// RUN: %numpy_python %S/qops_reference.py %s pad pad 1x3x4x2 pad=0,0,1,2,2,0,0,1 value=-1.5 | FileCheck %s --check-prefix=PAD
// RUN: %numpy_python %S/qops_reference.py %s transpose transpose 1x3x4x5 perm=0,2,3,1 | FileCheck %s --check-prefix=TRANSPOSE
// RUN: %numpy_python %S/qops_reference.py %s softmax_last softmax 3x10 axis=1 scale=5 | FileCheck %s --check-prefix=SOFTMAX
// RUN: %numpy_python %S/qops_reference.py %s softmax_middle softmax 2x6x3 axis=1 scale=5 | FileCheck %s --check-prefix=SOFTMAXM
// RESHAPE: reshape: max error {{.*}}: ok
// FLATTEN: flatten: max error {{.*}}: ok
// CONCAT: concat: max error {{.*}}: ok
// PAD: pad: max error {{.*}}: ok
// TRANSPOSE: transpose: max error {{.*}}: ok
// SOFTMAX: softmax_last: max error {{.*}}: ok
// SOFTMAXM: softmax_middle: max error {{.*}}: ok

func.func @reshape(%x: tensor<2x3x4xf32>) -> tensor<4x6xf32> {
  %0 = qops.reshape %x : tensor<2x3x4xf32> -> tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}

func.func @flatten(%x: tensor<2x3x2x2xf32>) -> tensor<6x4xf32> {
  %0 = qops.flatten %x axis 2 : tensor<2x3x2x2xf32>
  return %0 : tensor<6x4xf32>
}

func.func @concat(%a: tensor<1x2x3xf32>, %b: tensor<1x4x3xf32>, %c: tensor<1x1x3xf32>) -> tensor<1x7x3xf32> {
  %0 = qops.concat %a, %b, %c axis 1 : (tensor<1x2x3xf32>, tensor<1x4x3xf32>, tensor<1x1x3xf32>) -> tensor<1x7x3xf32>
  return %0 : tensor<1x7x3xf32>
}

func.func @pad(%x: tensor<1x3x4x2xf32>) -> tensor<1x6x6x3xf32> {
  %0 = qops.pad %x pad [0, 0, 1, 2, 2, 0, 0, 1] value -1.5 : tensor<1x3x4x2xf32>
  return %0 : tensor<1x6x6x3xf32>
}

func.func @transpose(%x: tensor<1x3x4x5xf32>) -> tensor<1x4x5x3xf32> {
  %0 = qops.transpose %x perm [0, 2, 3, 1] : tensor<1x3x4x5xf32>
  return %0 : tensor<1x4x5x3xf32>
}

func.func @softmax_last(%x: tensor<3x10xf32>) -> tensor<3x10xf32> {
  %0 = qops.softmax %x axis -1 : tensor<3x10xf32> -> tensor<3x10xf32>
  return %0 : tensor<3x10xf32>
}

func.func @softmax_middle(%x: tensor<2x6x3xf32>) -> tensor<2x6x3xf32> {
  %0 = qops.softmax %x axis 1 : tensor<2x6x3xf32> -> tensor<2x6x3xf32>
  return %0 : tensor<2x6x3xf32>
}
