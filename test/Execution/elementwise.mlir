// Execution: batch_norm, activations, add and mul with broadcasting, against
// NumPy (1e-5 relative).
// RUN: %numpy_python %S/qops_reference.py %s bn batch_norm 1x4x4x6,6,6,6,6 epsilon=0.001 | FileCheck %s --check-prefix=CHECK-BN
// RUN: %numpy_python %S/qops_reference.py %s relu relu 2x33 | FileCheck %s --check-prefix=CHECK-RELU
// RUN: %numpy_python %S/qops_reference.py %s relu6 relu6 2x33 scale=4 | FileCheck %s --check-prefix=CHECK-RELU6
// RUN: %numpy_python %S/qops_reference.py %s clamp clamp 2x33 min=-0.5 max=1.25 | FileCheck %s --check-prefix=CHECK-CLAMP
// RUN: %numpy_python %S/qops_reference.py %s leaky leaky_relu 2x33 alpha=0.2 | FileCheck %s --check-prefix=CHECK-LEAKY
// RUN: %numpy_python %S/qops_reference.py %s hardswish hardswish 2x33 scale=3 | FileCheck %s --check-prefix=CHECK-HSWISH
// RUN: %numpy_python %S/qops_reference.py %s sigmoid sigmoid 2x33 scale=5 | FileCheck %s --check-prefix=CHECK-SIGMOID
// RUN: %numpy_python %S/qops_reference.py %s tanh tanh 2x33 scale=3 | FileCheck %s --check-prefix=CHECK-TANH
// RUN: %numpy_python %S/qops_reference.py %s add_same add 1x3x4x5,1x3x4x5 | FileCheck %s --check-prefix=CHECK-ADD
// RUN: %numpy_python %S/qops_reference.py %s add_broadcast add 1x3x4x5,5 | FileCheck %s --check-prefix=CHECK-ADDB
// RUN: %numpy_python %S/qops_reference.py %s mul_broadcast_both mul 2x1x5,3x1 | FileCheck %s --check-prefix=CHECK-MULB
// CHECK-BN: bn: max error {{.*}}: ok
// CHECK-RELU: relu: max error {{.*}}: ok
// CHECK-RELU6: relu6: max error {{.*}}: ok
// CHECK-CLAMP: clamp: max error {{.*}}: ok
// CHECK-LEAKY: leaky: max error {{.*}}: ok
// CHECK-HSWISH: hardswish: max error {{.*}}: ok
// CHECK-SIGMOID: sigmoid: max error {{.*}}: ok
// CHECK-TANH: tanh: max error {{.*}}: ok
// CHECK-ADD: add_same: max error {{.*}}: ok
// CHECK-ADDB: add_broadcast: max error {{.*}}: ok
// CHECK-MULB: mul_broadcast_both: max error {{.*}}: ok

func.func @bn(%x: tensor<1x4x4x6xf32>, %g: tensor<6xf32>, %b: tensor<6xf32>, %m: tensor<6xf32>, %v: tensor<6xf32>) -> tensor<1x4x4x6xf32> {
  %0 = qops.batch_norm %x, %g, %b, %m, %v epsilon 0.001 : tensor<1x4x4x6xf32>, tensor<6xf32>
  return %0 : tensor<1x4x4x6xf32>
}

func.func @relu(%x: tensor<2x33xf32>) -> tensor<2x33xf32> {
  %0 = qops.relu %x : tensor<2x33xf32>
  return %0 : tensor<2x33xf32>
}

func.func @relu6(%x: tensor<2x33xf32>) -> tensor<2x33xf32> {
  %0 = qops.relu6 %x : tensor<2x33xf32>
  return %0 : tensor<2x33xf32>
}

func.func @clamp(%x: tensor<2x33xf32>) -> tensor<2x33xf32> {
  %0 = qops.clamp %x min -0.5 max 1.25 : tensor<2x33xf32>
  return %0 : tensor<2x33xf32>
}

func.func @leaky(%x: tensor<2x33xf32>) -> tensor<2x33xf32> {
  %0 = qops.leaky_relu %x alpha 0.2 : tensor<2x33xf32> -> tensor<2x33xf32>
  return %0 : tensor<2x33xf32>
}

func.func @hardswish(%x: tensor<2x33xf32>) -> tensor<2x33xf32> {
  %0 = qops.hardswish %x : tensor<2x33xf32> -> tensor<2x33xf32>
  return %0 : tensor<2x33xf32>
}

func.func @sigmoid(%x: tensor<2x33xf32>) -> tensor<2x33xf32> {
  %0 = qops.sigmoid %x : tensor<2x33xf32> -> tensor<2x33xf32>
  return %0 : tensor<2x33xf32>
}

func.func @tanh(%x: tensor<2x33xf32>) -> tensor<2x33xf32> {
  %0 = qops.tanh %x : tensor<2x33xf32> -> tensor<2x33xf32>
  return %0 : tensor<2x33xf32>
}

func.func @add_same(%a: tensor<1x3x4x5xf32>, %b: tensor<1x3x4x5xf32>) -> tensor<1x3x4x5xf32> {
  %0 = qops.add %a, %b : (tensor<1x3x4x5xf32>, tensor<1x3x4x5xf32>) -> tensor<1x3x4x5xf32>
  return %0 : tensor<1x3x4x5xf32>
}

func.func @add_broadcast(%a: tensor<1x3x4x5xf32>, %b: tensor<5xf32>) -> tensor<1x3x4x5xf32> {
  %0 = qops.add %a, %b : (tensor<1x3x4x5xf32>, tensor<5xf32>) -> tensor<1x3x4x5xf32>
  return %0 : tensor<1x3x4x5xf32>
}

func.func @mul_broadcast_both(%a: tensor<2x1x5xf32>, %b: tensor<3x1xf32>) -> tensor<2x3x5xf32> {
  %0 = qops.mul %a, %b : (tensor<2x1x5xf32>, tensor<3x1xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}
