// Execution: quantize / dequantize / requantize bit for bit against the
// contract's numerics in NumPy (round half to even, zero point after
// rounding, saturation). Inputs lie on a grid of half scales so that exact
// .5 ties occur, and reach past the representable range.
// RUN: %numpy_python %S/qops_reference.py %s quant_i8 quantize 4x16 scale=0.5 zero_point=-3 qmin=-128 qmax=127 input_scale=40 grid=0.25 exact=1 | FileCheck %s --check-prefix=I8
// RUN: %numpy_python %S/qops_reference.py %s quant_u8 quantize 4x16 scale=0.25 zero_point=128 qmin=0 qmax=255 input_scale=20 grid=0.125 exact=1 | FileCheck %s --check-prefix=U8
// RUN: %numpy_python %S/qops_reference.py %s fake_u8 fake_quant 4x16 scale=0.05 zero_point=128 qmin=0 qmax=255 input_scale=4 exact=1 | FileCheck %s --check-prefix=FAKE
// RUN: %numpy_python %S/qops_reference.py %s per_axis_weights quantize 3x2x2x4 scale=0.5,0.25,0.125 zero_point=0,0,0 qmin=-127 qmax=127 axis=0 input_scale=20 grid=0.0625 exact=1 | FileCheck %s --check-prefix=AXIS
// RUN: %numpy_python %S/qops_reference.py %s per_axis_zero_points fake_quant 2x3x5 scale=0.5,0.25,0.125 zero_point=3,-5,100 qmin=-128 qmax=127 axis=1 input_scale=20 grid=0.0625 exact=1 | FileCheck %s --check-prefix=AXISZP
// RUN: %numpy_python %S/qops_reference.py %s fake_i4 fake_quant 2x20 scale=0.25 zero_point=0 qmin=-8 qmax=7 input_scale=1.5 grid=0.125 exact=1 | FileCheck %s --check-prefix=I4
// RUN: %numpy_python %S/qops_reference.py %s fake_i16 fake_quant 2x20 scale=0.001 zero_point=0 qmin=-32768 qmax=32767 input_scale=20 exact=1 | FileCheck %s --check-prefix=I16
// RUN: %numpy_python %S/qops_reference.py %s requant_per_axis requantize 1x3x4 scale_in=0.001,0.002,0.004 zero_point_in=0,0,0 scale_out=0.05 zero_point_out=128 qmin=0 qmax=255 axis=1 input_dtype=int32 low=-9000 high=9000 exact=1 | FileCheck %s --check-prefix=REQ
// I8: quant_i8: max error 0 {{.*}}: ok
// U8: quant_u8: max error 0 {{.*}}: ok
// FAKE: fake_u8: max error 0 {{.*}}: ok
// AXIS: per_axis_weights: max error 0 {{.*}}: ok
// AXISZP: per_axis_zero_points: max error 0 {{.*}}: ok
// I4: fake_i4: max error 0 {{.*}}: ok
// I16: fake_i16: max error 0 {{.*}}: ok
// REQ: requant_per_axis: max error 0 {{.*}}: ok

func.func @quant_i8(%x: tensor<4x16xf32>) -> tensor<4x16x!quant.uniform<i8:f32, 0.5:-3>> {
  %q = qops.quantize %x : tensor<4x16xf32> -> tensor<4x16x!quant.uniform<i8:f32, 0.5:-3>>
  return %q : tensor<4x16x!quant.uniform<i8:f32, 0.5:-3>>
}

func.func @quant_u8(%x: tensor<4x16xf32>) -> tensor<4x16x!quant.uniform<u8:f32, 0.25:128>> {
  %q = qops.quantize %x : tensor<4x16xf32> -> tensor<4x16x!quant.uniform<u8:f32, 0.25:128>>
  return %q : tensor<4x16x!quant.uniform<u8:f32, 0.25:128>>
}

func.func @fake_u8(%x: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %q = qops.quantize %x : tensor<4x16xf32> -> tensor<4x16x!quant.uniform<u8:f32, 0.05:128>>
  %y = qops.dequantize %q : tensor<4x16x!quant.uniform<u8:f32, 0.05:128>> -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}

func.func @per_axis_weights(%w: tensor<3x2x2x4xf32>) -> tensor<3x2x2x4x!quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25, 0.125}>> {
  %q = qops.quantize %w : tensor<3x2x2x4xf32> -> tensor<3x2x2x4x!quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25, 0.125}>>
  return %q : tensor<3x2x2x4x!quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25, 0.125}>>
}

func.func @per_axis_zero_points(%x: tensor<2x3x5xf32>) -> tensor<2x3x5xf32> {
  %q = qops.quantize %x : tensor<2x3x5xf32> -> tensor<2x3x5x!quant.uniform<i8:f32:1, {0.5:3, 0.25:-5, 0.125:100}>>
  %y = qops.dequantize %q : tensor<2x3x5x!quant.uniform<i8:f32:1, {0.5:3, 0.25:-5, 0.125:100}>> -> tensor<2x3x5xf32>
  return %y : tensor<2x3x5xf32>
}

func.func @fake_i4(%x: tensor<2x20xf32>) -> tensor<2x20xf32> {
  %q = qops.quantize %x : tensor<2x20xf32> -> tensor<2x20x!quant.uniform<i4:f32, 0.25>>
  %y = qops.dequantize %q : tensor<2x20x!quant.uniform<i4:f32, 0.25>> -> tensor<2x20xf32>
  return %y : tensor<2x20xf32>
}

func.func @fake_i16(%x: tensor<2x20xf32>) -> tensor<2x20xf32> {
  %q = qops.quantize %x : tensor<2x20xf32> -> tensor<2x20x!quant.uniform<i16:f32, 0.001>>
  %y = qops.dequantize %q : tensor<2x20x!quant.uniform<i16:f32, 0.001>> -> tensor<2x20xf32>
  return %y : tensor<2x20xf32>
}

func.func @requant_per_axis(%acc: tensor<1x3x4x!quant.uniform<i32:f32:1, {0.001, 0.002, 0.004}>>) -> tensor<1x3x4x!quant.uniform<u8:f32, 0.05:128>> {
  %r = qops.requantize %acc : tensor<1x3x4x!quant.uniform<i32:f32:1, {0.001, 0.002, 0.004}>> -> tensor<1x3x4x!quant.uniform<u8:f32, 0.05:128>>
  return %r : tensor<1x3x4x!quant.uniform<u8:f32, 0.05:128>>
}
