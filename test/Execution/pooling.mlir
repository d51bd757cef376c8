// Execution: pooling against NumPy (1e-5 relative).
// RUN: %numpy_python %S/qops_reference.py %s max_pad max_pool2d 1x7x7x5 kernel=3,3 stride=2,2 pad=1,1,1,1 | FileCheck %s --check-prefix=MAX
// RUN: %numpy_python %S/qops_reference.py %s max_plain max_pool2d 2x8x6x3 kernel=2,2 stride=2,2 pad=0,0,0,0 | FileCheck %s --check-prefix=MAXP
// RUN: %numpy_python %S/qops_reference.py %s avg_exclude_pad avg_pool2d 1x7x6x4 kernel=3,2 stride=2,1 pad=1,1,0,1 | FileCheck %s --check-prefix=AVGX
// RUN: %numpy_python %S/qops_reference.py %s avg_include_pad avg_pool2d 1x7x6x4 kernel=3,2 stride=2,1 pad=1,1,0,1 count_include_pad=1 | FileCheck %s --check-prefix=AVGI
// RUN: %numpy_python %S/qops_reference.py %s gap global_avg_pool 2x5x3x7 | FileCheck %s --check-prefix=GAP
// MAX: max_pad: max error {{.*}}: ok
// MAXP: max_plain: max error {{.*}}: ok
// AVGX: avg_exclude_pad: max error {{.*}}: ok
// AVGI: avg_include_pad: max error {{.*}}: ok
// GAP: gap: max error {{.*}}: ok

func.func @max_pad(%x: tensor<1x7x7x5xf32>) -> tensor<1x4x4x5xf32> {
  %0 = qops.max_pool2d %x kernel [3, 3] stride [2, 2] pad [1, 1, 1, 1] : tensor<1x7x7x5xf32>
  return %0 : tensor<1x4x4x5xf32>
}

func.func @max_plain(%x: tensor<2x8x6x3xf32>) -> tensor<2x4x3x3xf32> {
  %0 = qops.max_pool2d %x kernel [2, 2] stride [2, 2] pad [0, 0, 0, 0] : tensor<2x8x6x3xf32>
  return %0 : tensor<2x4x3x3xf32>
}

func.func @avg_exclude_pad(%x: tensor<1x7x6x4xf32>) -> tensor<1x4x6x4xf32> {
  %0 = qops.avg_pool2d %x kernel [3, 2] stride [2, 1] pad [1, 1, 0, 1] : tensor<1x7x6x4xf32> -> tensor<1x4x6x4xf32>
  return %0 : tensor<1x4x6x4xf32>
}

func.func @avg_include_pad(%x: tensor<1x7x6x4xf32>) -> tensor<1x4x6x4xf32> {
  %0 = qops.avg_pool2d %x kernel [3, 2] stride [2, 1] pad [1, 1, 0, 1] count_include_pad : tensor<1x7x6x4xf32> -> tensor<1x4x6x4xf32>
  return %0 : tensor<1x4x6x4xf32>
}

func.func @gap(%x: tensor<2x5x3x7xf32>) -> tensor<2x1x1x7xf32> {
  %0 = qops.global_avg_pool %x : tensor<2x5x3x7xf32> -> tensor<2x1x1x7xf32>
  return %0 : tensor<2x1x1x7xf32>
}
