// Execution: resizes, reflect / edge padding and dilated max pooling
// against NumPy (1e-5 relative): the index tables of the resizes, NumPy's
// own reflect and edge padding, dilated windows.
// RUN: %numpy_python %S/qops_reference.py %s nearest resize_nearest 2x3x4x5 rows=0,0,1,1,2,2 cols=0,0,1,1,2,2,3,3 | FileCheck %s --check-prefix=NEAR
// RUN: %numpy_python %S/qops_reference.py %s nearest_down resize_nearest 1x5x6x3 rows=1,3 cols=0,2,5 | FileCheck %s --check-prefix=NEARD
// RUN: %numpy_python %S/qops_reference.py %s bilinear resize_bilinear 2x2x3x4 rows=0,0,0,1,0,1,1,1 row_weights=0,0.25,0.75,0 cols=0,0,0,1,1,1,1,2,2,2,2,2 col_weights=0,0.25,0.75,0.25,0.75,0 | FileCheck %s --check-prefix=BIL
// RUN: %numpy_python %S/qops_reference.py %s reflect pad 1x4x5x3 pad=0,0,3,2,1,4,0,0 mode=reflect | FileCheck %s --check-prefix=REFL
// RUN: %numpy_python %S/qops_reference.py %s edge pad 2x3x2x3 pad=0,0,2,1,3,0,0,1 mode=edge | FileCheck %s --check-prefix=EDGE
// RUN: %numpy_python %S/qops_reference.py %s dilated max_pool2d 1x9x8x4 kernel=3,2 stride=2,1 pad=1,1,0,1 dilation=2,3 | FileCheck %s --check-prefix=DIL
// NEAR: nearest: max error {{.*}}: ok
// NEARD: nearest_down: max error {{.*}}: ok
// BIL: bilinear: max error {{.*}}: ok
// REFL: reflect: max error {{.*}}: ok
// EDGE: edge: max error {{.*}}: ok
// DIL: dilated: max error {{.*}}: ok

func.func @nearest(%x: tensor<2x3x4x5xf32>) -> tensor<2x6x8x5xf32> {
  %0 = qops.resize_nearest %x rows [0, 0, 1, 1, 2, 2] cols [0, 0, 1, 1, 2, 2, 3, 3] : tensor<2x3x4x5xf32> -> tensor<2x6x8x5xf32>
  return %0 : tensor<2x6x8x5xf32>
}

func.func @nearest_down(%x: tensor<1x5x6x3xf32>) -> tensor<1x2x3x3xf32> {
  %0 = qops.resize_nearest %x rows [1, 3] cols [0, 2, 5] : tensor<1x5x6x3xf32> -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

func.func @bilinear(%x: tensor<2x2x3x4xf32>) -> tensor<2x4x6x4xf32> {
  %0 = qops.resize_bilinear %x rows [0, 0, 0, 1, 0, 1, 1, 1] row_weights [0.0, 0.25, 0.75, 0.0] cols [0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2] col_weights [0.0, 0.25, 0.75, 0.25, 0.75, 0.0] : tensor<2x2x3x4xf32> -> tensor<2x4x6x4xf32>
  return %0 : tensor<2x4x6x4xf32>
}

func.func @reflect(%x: tensor<1x4x5x3xf32>) -> tensor<1x9x10x3xf32> {
  %0 = qops.pad %x pad [0, 0, 3, 2, 1, 4, 0, 0] mode "reflect" : tensor<1x4x5x3xf32>
  return %0 : tensor<1x9x10x3xf32>
}

func.func @edge(%x: tensor<2x3x2x3xf32>) -> tensor<2x6x5x4xf32> {
  %0 = qops.pad %x pad [0, 0, 2, 1, 3, 0, 0, 1] mode "edge" : tensor<2x3x2x3xf32>
  return %0 : tensor<2x6x5x4xf32>
}

func.func @dilated(%x: tensor<1x9x8x4xf32>) -> tensor<1x4x6x4xf32> {
  %0 = qops.max_pool2d %x kernel [3, 2] stride [2, 1] pad [1, 1, 0, 1] dilation [2, 3] : tensor<1x9x8x4xf32>
  return %0 : tensor<1x4x6x4xf32>
}
