// Execution: group_norm against NumPy (float64; 1e-5 of max |reference|),
// channels last, instance norm (groups == C), one group, a batch of 3.
// RUN: %numpy_python %S/qops_reference.py %s gn_groups group_norm 1x6x5x8,8,8 groups=4 epsilon=1e-5 | FileCheck %s --check-prefix=GROUPS
// RUN: %numpy_python %S/qops_reference.py %s gn_instance group_norm 1x7x3x5,5,5 groups=5 epsilon=1e-3 | FileCheck %s --check-prefix=INSTANCE
// RUN: %numpy_python %S/qops_reference.py %s gn_one group_norm 1x9x6,6,6 groups=1 epsilon=1e-5 | FileCheck %s --check-prefix=ONE
// RUN: %numpy_python %S/qops_reference.py %s gn_groups group_norm 1x6x5x8,8,8 groups=4 epsilon=1e-5 batch=3 scale=10 | FileCheck %s --check-prefix=GROUPS
// RUN: %numpy_python %S/qops_reference.py %s gn_5d group_norm 1x3x4x5x6,6,6 groups=3 epsilon=1e-5 | FileCheck %s --check-prefix=FIVE
// GROUPS: gn_groups: max error {{.*}}: ok
// INSTANCE: gn_instance: max error {{.*}}: ok
// ONE: gn_one: max error {{.*}}: ok
// FIVE: gn_5d: max error {{.*}}: ok

func.func @gn_groups(%x: tensor<1x6x5x8xf32>, %s: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<1x6x5x8xf32> {
  %0 = qops.group_norm %x, %s, %b groups 4 epsilon 1.0e-05 : tensor<1x6x5x8xf32>, tensor<8xf32>
  return %0 : tensor<1x6x5x8xf32>
}

func.func @gn_instance(%x: tensor<1x7x3x5xf32>, %s: tensor<5xf32>, %b: tensor<5xf32>) -> tensor<1x7x3x5xf32> {
  %0 = qops.group_norm %x, %s, %b groups 5 epsilon 1.0e-03 : tensor<1x7x3x5xf32>, tensor<5xf32>
  return %0 : tensor<1x7x3x5xf32>
}

func.func @gn_one(%x: tensor<1x9x6xf32>, %s: tensor<6xf32>, %b: tensor<6xf32>) -> tensor<1x9x6xf32> {
  %0 = qops.group_norm %x, %s, %b groups 1 epsilon 1.0e-05 : tensor<1x9x6xf32>, tensor<6xf32>
  return %0 : tensor<1x9x6xf32>
}

func.func @gn_5d(%x: tensor<1x3x4x5x6xf32>, %s: tensor<6xf32>, %b: tensor<6xf32>) -> tensor<1x3x4x5x6xf32> {
  %0 = qops.group_norm %x, %s, %b groups 3 epsilon 1.0e-05 : tensor<1x3x4x5x6xf32>, tensor<6xf32>
  return %0 : tensor<1x3x4x5x6xf32>
}
