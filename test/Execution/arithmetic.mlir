// Execution: the element-wise arithmetic ops (sub, div, pow, maximum,
// minimum with broadcasting; sqrt, exp, erf, neg, abs, reciprocal) against
// NumPy (1e-5 relative). sqrt, pow, div and reciprocal take inputs in
// [0.25, 2).
// RUN: %numpy_python %S/qops_reference.py %s sub_broadcast sub 1x3x4x5,5 | FileCheck %s --check-prefix=CHECK-SUB
// RUN: %numpy_python %S/qops_reference.py %s div_broadcast div 1x4x4x3,1x1x1x3 positive=1 | FileCheck %s --check-prefix=CHECK-DIV
// RUN: %numpy_python %S/qops_reference.py %s pow_broadcast pow 2x1x5,3x1 positive=1 | FileCheck %s --check-prefix=CHECK-POW
// RUN: %numpy_python %S/qops_reference.py %s maximum_broadcast maximum 2x1x5,3x1 | FileCheck %s --check-prefix=CHECK-MAX
// RUN: %numpy_python %S/qops_reference.py %s minimum_same minimum 2x33,2x33 | FileCheck %s --check-prefix=CHECK-MIN
// RUN: %numpy_python %S/qops_reference.py %s sqrt sqrt 2x33 positive=1 | FileCheck %s --check-prefix=CHECK-SQRT
// RUN: %numpy_python %S/qops_reference.py %s exp exp 2x33 scale=3 | FileCheck %s --check-prefix=CHECK-EXP
// RUN: %numpy_python %S/qops_reference.py %s erf erf 1x8x8x32 | FileCheck %s --check-prefix=CHECK-ERF
// RUN: %numpy_python %S/qops_reference.py %s neg neg 2x33 | FileCheck %s --check-prefix=CHECK-NEG
// RUN: %numpy_python %S/qops_reference.py %s abs abs 2x33 | FileCheck %s --check-prefix=CHECK-ABS
// RUN: %numpy_python %S/qops_reference.py %s reciprocal reciprocal 2x33 positive=1 | FileCheck %s --check-prefix=CHECK-RECIPROCAL
// CHECK-SUB: sub_broadcast: max error {{.*}}: ok
// CHECK-DIV: div_broadcast: max error {{.*}}: ok
// CHECK-POW: pow_broadcast: max error {{.*}}: ok
// CHECK-MAX: maximum_broadcast: max error 0 {{.*}}: ok
// CHECK-MIN: minimum_same: max error 0 {{.*}}: ok
// CHECK-SQRT: sqrt: max error {{.*}}: ok
// CHECK-EXP: exp: max error {{.*}}: ok
// CHECK-ERF: erf: max error {{.*}}: ok
// CHECK-NEG: neg: max error 0 {{.*}}: ok
// CHECK-ABS: abs: max error 0 {{.*}}: ok
// CHECK-RECIPROCAL: reciprocal: max error {{.*}}: ok

func.func @sub_broadcast(%a: tensor<1x3x4x5xf32>, %b: tensor<5xf32>) -> tensor<1x3x4x5xf32> {
  %0 = qops.sub %a, %b : (tensor<1x3x4x5xf32>, tensor<5xf32>) -> tensor<1x3x4x5xf32>
  return %0 : tensor<1x3x4x5xf32>
}

func.func @div_broadcast(%a: tensor<1x4x4x3xf32>, %b: tensor<1x1x1x3xf32>) -> tensor<1x4x4x3xf32> {
  %0 = qops.div %a, %b : (tensor<1x4x4x3xf32>, tensor<1x1x1x3xf32>) -> tensor<1x4x4x3xf32>
  return %0 : tensor<1x4x4x3xf32>
}

func.func @pow_broadcast(%a: tensor<2x1x5xf32>, %b: tensor<3x1xf32>) -> tensor<2x3x5xf32> {
  %0 = qops.pow %a, %b : (tensor<2x1x5xf32>, tensor<3x1xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

func.func @maximum_broadcast(%a: tensor<2x1x5xf32>, %b: tensor<3x1xf32>) -> tensor<2x3x5xf32> {
  %0 = qops.maximum %a, %b : (tensor<2x1x5xf32>, tensor<3x1xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

func.func @minimum_same(%a: tensor<2x33xf32>, %b: tensor<2x33xf32>) -> tensor<2x33xf32> {
  %0 = qops.minimum %a, %b : (tensor<2x33xf32>, tensor<2x33xf32>) -> tensor<2x33xf32>
  return %0 : tensor<2x33xf32>
}

func.func @sqrt(%x: tensor<2x33xf32>) -> tensor<2x33xf32> {
  %0 = qops.sqrt %x : tensor<2x33xf32> -> tensor<2x33xf32>
  return %0 : tensor<2x33xf32>
}

func.func @exp(%x: tensor<2x33xf32>) -> tensor<2x33xf32> {
  %0 = qops.exp %x : tensor<2x33xf32> -> tensor<2x33xf32>
  return %0 : tensor<2x33xf32>
}

// A 4-D tensor too (erf is a call of libm's erff).
func.func @erf(%x: tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32> {
  %0 = qops.erf %x : tensor<1x8x8x32xf32> -> tensor<1x8x8x32xf32>
  return %0 : tensor<1x8x8x32xf32>
}

func.func @neg(%x: tensor<2x33xf32>) -> tensor<2x33xf32> {
  %0 = qops.neg %x : tensor<2x33xf32> -> tensor<2x33xf32>
  return %0 : tensor<2x33xf32>
}

func.func @abs(%x: tensor<2x33xf32>) -> tensor<2x33xf32> {
  %0 = qops.abs %x : tensor<2x33xf32> -> tensor<2x33xf32>
  return %0 : tensor<2x33xf32>
}

func.func @reciprocal(%x: tensor<2x33xf32>) -> tensor<2x33xf32> {
  %0 = qops.reciprocal %x : tensor<2x33xf32> -> tensor<2x33xf32>
  return %0 : tensor<2x33xf32>
}
