// RUN: quant-opt %s --verify-each | quant-opt | FileCheck %s
// RUN: quant-opt %s --mlir-print-op-generic | quant-opt | FileCheck %s

// Round trip of every qops op, in the float domain and, where it exists, in
// the quantized domain.

!qin = !quant.uniform<u8:f32, 0.05:128>
!qout = !quant.uniform<u8:f32, 0.1:120>
!qi8 = !quant.uniform<i8:f32, 0.02:-3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02}>
!qw_t = !quant.uniform<i8<-127:127>:f32, 0.01>
!qb = !quant.uniform<i32:f32:0, {5.0e-4, 1.0e-3}>
!qacc = !quant.uniform<i32:f32:3, {5.0e-4, 1.0e-3}>

// CHECK-LABEL: func.func @conv2d_float
// CHECK: qops.conv2d %{{.+}}, %{{.+}}, %{{.+}} stride [1, 1] pad [1, 1, 1, 1] dilation [1, 1] groups 1 : (tensor<1x8x8x3xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x8x8x16xf32>
func.func @conv2d_float(%x: tensor<1x8x8x3xf32>, %w: tensor<16x3x3x3xf32>, %b: tensor<16xf32>) -> tensor<1x8x8x16xf32> {
  %0 = qops.conv2d %x, %w, %b stride [1, 1] pad [1, 1, 1, 1] dilation [1, 1] groups 1 : (tensor<1x8x8x3xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x8x8x16xf32>
  return %0 : tensor<1x8x8x16xf32>
}

// CHECK-LABEL: func.func @conv2d_depthwise_strided_dilated_no_bias
// CHECK: qops.conv2d %{{.+}}, %{{.+}} stride [2, 2] pad [0, 1, 0, 1] dilation [2, 2] groups 8 : (tensor<1x9x9x8xf32>, tensor<16x3x3x1xf32>) -> tensor<1x3x3x16xf32>
func.func @conv2d_depthwise_strided_dilated_no_bias(%x: tensor<1x9x9x8xf32>, %w: tensor<16x3x3x1xf32>) -> tensor<1x3x3x16xf32> {
  %0 = qops.conv2d %x, %w stride [2, 2] pad [0, 1, 0, 1] dilation [2, 2] groups 8 : (tensor<1x9x9x8xf32>, tensor<16x3x3x1xf32>) -> tensor<1x3x3x16xf32>
  return %0 : tensor<1x3x3x16xf32>
}

// CHECK-LABEL: func.func @conv2d_quantized_per_channel
// CHECK: qops.conv2d %{{.+}}, %{{.+}}, %{{.+}} {{.+}} : (tensor<1x4x4x2x!quant.uniform<u8:f32, 5.000000e-02:128>>, tensor<2x1x1x2x!quant.uniform<i8<-127:127>:f32:0, {1.000000e-02,2.000000e-02}>>, tensor<2x!quant.uniform<i32:f32:0, {5.000000e-04,1.000000e-03}>>) -> tensor<1x4x4x2x!quant.uniform<u8:f32, 1.000000e-01:120>>
func.func @conv2d_quantized_per_channel(%x: tensor<1x4x4x2x!qin>, %w: tensor<2x1x1x2x!qw>, %b: tensor<2x!qb>) -> tensor<1x4x4x2x!qout> {
  %0 = qops.conv2d %x, %w, %b stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 : (tensor<1x4x4x2x!qin>, tensor<2x1x1x2x!qw>, tensor<2x!qb>) -> tensor<1x4x4x2x!qout>
  return %0 : tensor<1x4x4x2x!qout>
}

// CHECK-LABEL: func.func @matmul
// CHECK: qops.matmul %{{.+}}, %{{.+}} : (tensor<4x16xf32>, tensor<16x8xf32>) -> tensor<4x8xf32>
// CHECK: qops.matmul %{{.+}}, %{{.+}}, %{{.+}} : (tensor<2x4x16xf32>, tensor<2x16x8xf32>, tensor<8xf32>) -> tensor<2x4x8xf32>
func.func @matmul(%a: tensor<4x16xf32>, %b: tensor<16x8xf32>, %ba: tensor<2x4x16xf32>, %bb: tensor<2x16x8xf32>, %bias: tensor<8xf32>) -> (tensor<4x8xf32>, tensor<2x4x8xf32>) {
  %0 = qops.matmul %a, %b : (tensor<4x16xf32>, tensor<16x8xf32>) -> tensor<4x8xf32>
  %1 = qops.matmul %ba, %bb, %bias : (tensor<2x4x16xf32>, tensor<2x16x8xf32>, tensor<8xf32>) -> tensor<2x4x8xf32>
  return %0, %1 : tensor<4x8xf32>, tensor<2x4x8xf32>
}

// CHECK-LABEL: func.func @matmul_quantized_per_column
// CHECK: qops.matmul %{{.+}}, %{{.+}} : (tensor<3x4x!quant.uniform<i8:f32, 2.000000e-02:-3>>, tensor<4x2x!quant.uniform<i8<-127:127>:f32:1, {1.000000e-02,2.000000e-02}>>) -> tensor<3x2x!quant.uniform<u8:f32, 1.000000e-01:120>>
func.func @matmul_quantized_per_column(%a: tensor<3x4x!qi8>, %b: tensor<4x2x!quant.uniform<i8<-127:127>:f32:1, {0.01, 0.02}>>) -> tensor<3x2x!qout> {
  %0 = qops.matmul %a, %b : (tensor<3x4x!qi8>, tensor<4x2x!quant.uniform<i8<-127:127>:f32:1, {0.01, 0.02}>>) -> tensor<3x2x!qout>
  return %0 : tensor<3x2x!qout>
}

// CHECK-LABEL: func.func @fully_connected
// CHECK: qops.fully_connected %{{.+}}, %{{.+}}, %{{.+}} : (tensor<1x1024xf32>, tensor<1000x1024xf32>, tensor<1000xf32>) -> tensor<1x1000xf32>
func.func @fully_connected(%x: tensor<1x1024xf32>, %w: tensor<1000x1024xf32>, %b: tensor<1000xf32>) -> tensor<1x1000xf32> {
  %0 = qops.fully_connected %x, %w, %b : (tensor<1x1024xf32>, tensor<1000x1024xf32>, tensor<1000xf32>) -> tensor<1x1000xf32>
  return %0 : tensor<1x1000xf32>
}

// CHECK-LABEL: func.func @fully_connected_quantized
// CHECK: qops.fully_connected %{{.+}}, %{{.+}}, %{{.+}} : (tensor<1x3x!quant.uniform<u8:f32, 5.000000e-02:128>>, tensor<2x3x!quant.uniform<i8<-127:127>:f32:0, {1.000000e-02,2.000000e-02}>>, tensor<2x!quant.uniform<i32:f32:0, {5.000000e-04,1.000000e-03}>>) -> tensor<1x2x!quant.uniform<u8:f32, 1.000000e-01:120>>
func.func @fully_connected_quantized(%x: tensor<1x3x!qin>, %w: tensor<2x3x!qw>, %b: tensor<2x!qb>) -> tensor<1x2x!qout> {
  %0 = qops.fully_connected %x, %w, %b : (tensor<1x3x!qin>, tensor<2x3x!qw>, tensor<2x!qb>) -> tensor<1x2x!qout>
  return %0 : tensor<1x2x!qout>
}

// CHECK-LABEL: func.func @batch_norm
// CHECK: qops.batch_norm %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}} epsilon 9.99999974E-6 : tensor<1x8x8x16xf32>, tensor<16xf32>
func.func @batch_norm(%x: tensor<1x8x8x16xf32>, %g: tensor<16xf32>, %b: tensor<16xf32>, %m: tensor<16xf32>, %v: tensor<16xf32>) -> tensor<1x8x8x16xf32> {
  %0 = qops.batch_norm %x, %g, %b, %m, %v epsilon 1.0e-05 : tensor<1x8x8x16xf32>, tensor<16xf32>
  return %0 : tensor<1x8x8x16xf32>
}

// CHECK-LABEL: func.func @activations_float
// CHECK: qops.relu %{{.+}} : tensor<1x16xf32>
// CHECK: qops.relu6 %{{.+}} : tensor<1x16xf32>
// CHECK: qops.clamp %{{.+}} min -1.000000e+00 max 4.000000e+00 : tensor<1x16xf32>
// CHECK: qops.leaky_relu %{{.+}} alpha 1.000000e-01 : tensor<1x16xf32> -> tensor<1x16xf32>
// CHECK: qops.hardswish %{{.+}} : tensor<1x16xf32> -> tensor<1x16xf32>
// CHECK: qops.sigmoid %{{.+}} : tensor<1x16xf32> -> tensor<1x16xf32>
// CHECK: qops.tanh %{{.+}} : tensor<1x16xf32> -> tensor<1x16xf32>
func.func @activations_float(%x: tensor<1x16xf32>) -> tensor<1x16xf32> {
  %0 = qops.relu %x : tensor<1x16xf32>
  %1 = qops.relu6 %0 : tensor<1x16xf32>
  %2 = qops.clamp %1 min -1.0 max 4.0 : tensor<1x16xf32>
  %3 = qops.leaky_relu %2 alpha 0.1 : tensor<1x16xf32> -> tensor<1x16xf32>
  %4 = qops.hardswish %3 : tensor<1x16xf32> -> tensor<1x16xf32>
  %5 = qops.sigmoid %4 : tensor<1x16xf32> -> tensor<1x16xf32>
  %6 = qops.tanh %5 : tensor<1x16xf32> -> tensor<1x16xf32>
  return %6 : tensor<1x16xf32>
}

// CHECK-LABEL: func.func @activations_quantized
// CHECK: qops.relu %{{.+}} : tensor<1x16x!quant.uniform<u8:f32, 5.000000e-02:128>>
// CHECK: qops.relu6 %{{.+}} : tensor<1x16x!quant.uniform<u8:f32, 5.000000e-02:128>>
// CHECK: qops.clamp %{{.+}} {{.+}} : tensor<1x16x!quant.uniform<u8:f32, 5.000000e-02:128>>
// CHECK: qops.leaky_relu %{{.+}} {{.+}} : tensor<1x16x!quant.uniform<u8:f32, 5.000000e-02:128>> -> tensor<1x16x!quant.uniform<u8:f32, 1.000000e-01:120>>
// CHECK: qops.hardswish %{{.+}} : tensor<1x16x!quant.uniform<u8:f32, 1.000000e-01:120>> -> tensor<1x16x!quant.uniform<u8:f32, 5.000000e-02:128>>
// CHECK: qops.sigmoid %{{.+}} : tensor<1x16x!quant.uniform<u8:f32, 5.000000e-02:128>> -> tensor<1x16x!quant.uniform<u8:f32, 1.000000e-01:120>>
// CHECK: qops.tanh %{{.+}} : tensor<1x16x!quant.uniform<u8:f32, 1.000000e-01:120>> -> tensor<1x16x!quant.uniform<i8:f32, 2.000000e-02:-3>>
func.func @activations_quantized(%x: tensor<1x16x!qin>) -> tensor<1x16x!qi8> {
  %0 = qops.relu %x : tensor<1x16x!qin>
  %1 = qops.relu6 %0 : tensor<1x16x!qin>
  %2 = qops.clamp %1 min -1.0 max 4.0 : tensor<1x16x!qin>
  %3 = qops.leaky_relu %2 alpha 0.1 : tensor<1x16x!qin> -> tensor<1x16x!qout>
  %4 = qops.hardswish %3 : tensor<1x16x!qout> -> tensor<1x16x!qin>
  %5 = qops.sigmoid %4 : tensor<1x16x!qin> -> tensor<1x16x!qout>
  %6 = qops.tanh %5 : tensor<1x16x!qout> -> tensor<1x16x!qi8>
  return %6 : tensor<1x16x!qi8>
}

// CHECK-LABEL: func.func @hardsigmoid_silu_float
// CHECK: qops.hardsigmoid %{{.+}} alpha 2.000000e-01 beta 5.000000e-01 : tensor<1x16xf32> -> tensor<1x16xf32>
// CHECK: qops.silu %{{.+}} : tensor<1x16xf32> -> tensor<1x16xf32>
func.func @hardsigmoid_silu_float(%x: tensor<1x16xf32>) -> tensor<1x16xf32> {
  %0 = qops.hardsigmoid %x alpha 0.2 beta 0.5 : tensor<1x16xf32> -> tensor<1x16xf32>
  %1 = qops.silu %0 : tensor<1x16xf32> -> tensor<1x16xf32>
  return %1 : tensor<1x16xf32>
}

// CHECK-LABEL: func.func @hardsigmoid_silu_quantized
// CHECK: qops.hardsigmoid %{{.+}} alpha 2.000000e-01 beta 5.000000e-01 : tensor<1x16x!quant.uniform<u8:f32, 5.000000e-02:128>> -> tensor<1x16x!quant.uniform<u8:f32, 1.000000e-01:120>>
// CHECK: qops.silu %{{.+}} : tensor<1x16x!quant.uniform<u8:f32, 1.000000e-01:120>> -> tensor<1x16x!quant.uniform<i8:f32, 2.000000e-02:-3>>
func.func @hardsigmoid_silu_quantized(%x: tensor<1x16x!qin>) -> tensor<1x16x!qi8> {
  %0 = qops.hardsigmoid %x alpha 0.2 beta 0.5 : tensor<1x16x!qin> -> tensor<1x16x!qout>
  %1 = qops.silu %0 : tensor<1x16x!qout> -> tensor<1x16x!qi8>
  return %1 : tensor<1x16x!qi8>
}

// CHECK-LABEL: func.func @add_mul_broadcast
// CHECK: qops.add %{{.+}}, %{{.+}} : (tensor<1x8x8x16xf32>, tensor<16xf32>) -> tensor<1x8x8x16xf32>
// CHECK: qops.mul %{{.+}}, %{{.+}} : (tensor<1x8x8x16xf32>, tensor<1x1x1x16xf32>) -> tensor<1x8x8x16xf32>
func.func @add_mul_broadcast(%a: tensor<1x8x8x16xf32>, %b: tensor<16xf32>, %c: tensor<1x1x1x16xf32>) -> tensor<1x8x8x16xf32> {
  %0 = qops.add %a, %b : (tensor<1x8x8x16xf32>, tensor<16xf32>) -> tensor<1x8x8x16xf32>
  %1 = qops.mul %0, %c : (tensor<1x8x8x16xf32>, tensor<1x1x1x16xf32>) -> tensor<1x8x8x16xf32>
  return %1 : tensor<1x8x8x16xf32>
}

// CHECK-LABEL: func.func @add_mul_quantized
// CHECK: qops.add %{{.+}}, %{{.+}} : (tensor<1x4x!quant.uniform<u8:f32, 5.000000e-02:128>>, tensor<1x4x!quant.uniform<u8:f32, 1.000000e-01:120>>) -> tensor<1x4x!quant.uniform<u8:f32, 1.000000e-01:120>>
// CHECK: qops.mul %{{.+}}, %{{.+}} : (tensor<1x4x!quant.uniform<u8:f32, 1.000000e-01:120>>, tensor<1x4x!quant.uniform<u8:f32, 5.000000e-02:128>>) -> tensor<1x4x!quant.uniform<u8:f32, 5.000000e-02:128>>
func.func @add_mul_quantized(%a: tensor<1x4x!qin>, %b: tensor<1x4x!qout>) -> tensor<1x4x!qin> {
  %0 = qops.add %a, %b : (tensor<1x4x!qin>, tensor<1x4x!qout>) -> tensor<1x4x!qout>
  %1 = qops.mul %0, %a : (tensor<1x4x!qout>, tensor<1x4x!qin>) -> tensor<1x4x!qin>
  return %1 : tensor<1x4x!qin>
}

// CHECK-LABEL: func.func @pooling
// CHECK: qops.max_pool2d %{{.+}} kernel [2, 2] stride [2, 2] pad [0, 0, 0, 0] : tensor<1x8x8x16xf32>
// CHECK: qops.avg_pool2d %{{.+}} kernel [3, 3] stride [1, 1] pad [1, 1, 1, 1] : tensor<1x4x4x16xf32> -> tensor<1x4x4x16xf32>
// CHECK: qops.global_avg_pool %{{.+}} : tensor<1x4x4x16xf32> -> tensor<1x1x1x16xf32>
func.func @pooling(%x: tensor<1x8x8x16xf32>) -> tensor<1x1x1x16xf32> {
  %0 = qops.max_pool2d %x kernel [2, 2] stride [2, 2] pad [0, 0, 0, 0] : tensor<1x8x8x16xf32>
  %1 = qops.avg_pool2d %0 kernel [3, 3] stride [1, 1] pad [1, 1, 1, 1] : tensor<1x4x4x16xf32> -> tensor<1x4x4x16xf32>
  %2 = qops.global_avg_pool %1 : tensor<1x4x4x16xf32> -> tensor<1x1x1x16xf32>
  return %2 : tensor<1x1x1x16xf32>
}

// CHECK-LABEL: func.func @pooling_quantized
// CHECK: qops.max_pool2d %{{.+}} {{.+}} : tensor<1x8x8x16x!quant.uniform<u8:f32, 5.000000e-02:128>>
// CHECK: qops.avg_pool2d %{{.+}} {{.+}} : tensor<1x4x4x16x!quant.uniform<u8:f32, 5.000000e-02:128>> -> tensor<1x2x2x16x!quant.uniform<u8:f32, 1.000000e-01:120>>
// CHECK: qops.global_avg_pool %{{.+}} : tensor<1x2x2x16x!quant.uniform<u8:f32, 1.000000e-01:120>> -> tensor<1x1x1x16x!quant.uniform<u8:f32, 5.000000e-02:128>>
func.func @pooling_quantized(%x: tensor<1x8x8x16x!qin>) -> tensor<1x1x1x16x!qin> {
  %0 = qops.max_pool2d %x kernel [2, 2] stride [2, 2] pad [0, 0, 0, 0] : tensor<1x8x8x16x!qin>
  %1 = qops.avg_pool2d %0 kernel [2, 2] stride [2, 2] pad [0, 0, 0, 0] count_include_pad : tensor<1x4x4x16x!qin> -> tensor<1x2x2x16x!qout>
  %2 = qops.global_avg_pool %1 : tensor<1x2x2x16x!qout> -> tensor<1x1x1x16x!qin>
  return %2 : tensor<1x1x1x16x!qin>
}

// CHECK-LABEL: func.func @reductions
// CHECK: qops.reduce_mean %{{.+}} axes [1, 2] keepdims : tensor<1x4x4x16xf32> -> tensor<1x1x1x16xf32>
// CHECK: qops.reduce_sum %{{.+}} axes [0] : tensor<3x5xf32> -> tensor<5xf32>
// CHECK: qops.reduce_max %{{.+}} axes [0, 1] : tensor<3x5xf32> -> tensor<f32>
// CHECK: qops.reduce_min %{{.+}} axes [2] keepdims : tensor<2x3x5xf32> -> tensor<2x3x1xf32>
func.func @reductions(%x: tensor<1x4x4x16xf32>, %m: tensor<3x5xf32>, %t: tensor<2x3x5xf32>)
    -> (tensor<1x1x1x16xf32>, tensor<5xf32>, tensor<f32>, tensor<2x3x1xf32>) {
  %0 = qops.reduce_mean %x axes [1, 2] keepdims : tensor<1x4x4x16xf32> -> tensor<1x1x1x16xf32>
  %1 = qops.reduce_sum %m axes [0] : tensor<3x5xf32> -> tensor<5xf32>
  %2 = qops.reduce_max %m axes [0, 1] : tensor<3x5xf32> -> tensor<f32>
  %3 = qops.reduce_min %t axes [2] keepdims : tensor<2x3x5xf32> -> tensor<2x3x1xf32>
  return %0, %1, %2, %3 : tensor<1x1x1x16xf32>, tensor<5xf32>, tensor<f32>, tensor<2x3x1xf32>
}

// CHECK-LABEL: func.func @reductions_quantized
// CHECK: qops.reduce_mean %{{.+}} axes [3] : tensor<1x4x4x16x!quant.uniform<u8:f32, 5.000000e-02:128>> -> tensor<1x4x4x!quant.uniform<u8:f32, 1.000000e-01:120>>
// CHECK: qops.reduce_max %{{.+}} axes [1, 2] keepdims : tensor<1x4x4x16x!quant.uniform<u8:f32, 5.000000e-02:128>> -> tensor<1x1x1x16x!quant.uniform<u8:f32, 5.000000e-02:128>>
func.func @reductions_quantized(%x: tensor<1x4x4x16x!qin>) -> (tensor<1x4x4x!qout>, tensor<1x1x1x16x!qin>) {
  %0 = qops.reduce_mean %x axes [3] : tensor<1x4x4x16x!qin> -> tensor<1x4x4x!qout>
  %1 = qops.reduce_max %x axes [1, 2] keepdims : tensor<1x4x4x16x!qin> -> tensor<1x1x1x16x!qin>
  return %0, %1 : tensor<1x4x4x!qout>, tensor<1x1x1x16x!qin>
}

// CHECK-LABEL: func.func @shapes
// CHECK: qops.reshape %{{.+}} : tensor<1x1x1x64xf32> -> tensor<1x64xf32>
// CHECK: qops.flatten %{{.+}} axis 1 : tensor<1x2x2x16xf32>
// CHECK: qops.concat %{{.+}}, %{{.+}} axis 1 : (tensor<1x64xf32>, tensor<1x64xf32>) -> tensor<1x128xf32>
// CHECK: qops.pad %{{.+}} pad [0, 0, 1, 1, 1, 1, 0, 0] : tensor<1x3x8x8xf32>
// CHECK: qops.pad %{{.+}} pad [0, 0, 1, 0] value -1.000000e+00 : tensor<1x64xf32>
// CHECK: qops.transpose %{{.+}} perm [0, 2, 3, 1] : tensor<1x3x8x8xf32>
// CHECK: qops.softmax %{{.+}} axis -1 : tensor<1x128xf32> -> tensor<1x128xf32>
func.func @shapes(%x: tensor<1x1x1x64xf32>, %y: tensor<1x2x2x16xf32>, %z: tensor<1x3x8x8xf32>) -> (tensor<1x128xf32>, tensor<1x5x10x8xf32>, tensor<1x8x8x3xf32>, tensor<1x65xf32>) {
  %0 = qops.reshape %x : tensor<1x1x1x64xf32> -> tensor<1x64xf32>
  %1 = qops.flatten %y axis 1 : tensor<1x2x2x16xf32>
  %2 = qops.concat %0, %1 axis 1 : (tensor<1x64xf32>, tensor<1x64xf32>) -> tensor<1x128xf32>
  %3 = qops.pad %z pad [0, 0, 1, 1, 1, 1, 0, 0] : tensor<1x3x8x8xf32>
  %4 = qops.pad %0 pad [0, 0, 1, 0] value -1.0 : tensor<1x64xf32>
  %5 = qops.transpose %z perm [0, 2, 3, 1] : tensor<1x3x8x8xf32>
  %6 = qops.softmax %2 axis -1 : tensor<1x128xf32> -> tensor<1x128xf32>
  return %6, %3, %5, %4 : tensor<1x128xf32>, tensor<1x5x10x8xf32>, tensor<1x8x8x3xf32>, tensor<1x65xf32>
}

// CHECK-LABEL: func.func @shapes_quantized
// CHECK: qops.reshape %{{.+}} : tensor<1x1x1x4x!quant.uniform<u8:f32, 5.000000e-02:128>> -> tensor<1x4x!quant.uniform<u8:f32, 5.000000e-02:128>>
// CHECK: qops.flatten %{{.+}} axis 1 : tensor<1x1x1x4x!quant.uniform<u8:f32, 5.000000e-02:128>>
// CHECK: qops.concat %{{.+}}, %{{.+}} axis 1 : (tensor<1x4x!quant.uniform<u8:f32, 5.000000e-02:128>>, tensor<1x4x!quant.uniform<u8:f32, 5.000000e-02:128>>) -> tensor<1x8x!quant.uniform<u8:f32, 1.000000e-01:120>>
// CHECK: qops.pad %{{.+}} pad [0, 0, 2, 2] : tensor<1x8x!quant.uniform<u8:f32, 1.000000e-01:120>>
// CHECK: qops.softmax %{{.+}} axis 1 : tensor<1x12x!quant.uniform<u8:f32, 1.000000e-01:120>> -> tensor<1x12x!quant.uniform<u8:f32, 3.906250e-03>>
func.func @shapes_quantized(%x: tensor<1x1x1x4x!qin>) -> tensor<1x12x!quant.uniform<u8:f32, 0.00390625>> {
  %0 = qops.reshape %x : tensor<1x1x1x4x!qin> -> tensor<1x4x!qin>
  %1 = qops.flatten %x axis 1 : tensor<1x1x1x4x!qin>
  %2 = qops.concat %0, %1 axis 1 : (tensor<1x4x!qin>, tensor<1x4x!qin>) -> tensor<1x8x!qout>
  %3 = qops.pad %2 pad [0, 0, 2, 2] : tensor<1x8x!qout>
  %4 = qops.softmax %3 axis 1 : tensor<1x12x!qout> -> tensor<1x12x!quant.uniform<u8:f32, 0.00390625>>
  return %4 : tensor<1x12x!quant.uniform<u8:f32, 0.00390625>>
}

// CHECK-LABEL: func.func @slice
// CHECK: qops.slice %{{.+}} offsets [0, 1, 0, 8] strides [1, 2, 1, 1] : tensor<1x8x4x16xf32> -> tensor<1x3x4x8xf32>
// CHECK: qops.slice %{{.+}} offsets [0, 2] strides [1, 1] : tensor<2x3x!quant.uniform<i8<-127:127>:f32:0, {1.000000e-02,2.000000e-02}>> -> tensor<2x1x!quant.uniform<i8<-127:127>:f32:0, {1.000000e-02,2.000000e-02}>>
func.func @slice(%x: tensor<1x8x4x16xf32>, %w: tensor<2x3x!qw>) -> (tensor<1x3x4x8xf32>, tensor<2x1x!qw>) {
  %0 = qops.slice %x offsets [0, 1, 0, 8] strides [1, 2, 1, 1] : tensor<1x8x4x16xf32> -> tensor<1x3x4x8xf32>
  %1 = qops.slice %w offsets [0, 2] strides [1, 1] : tensor<2x3x!qw> -> tensor<2x1x!qw>
  return %0, %1 : tensor<1x3x4x8xf32>, tensor<2x1x!qw>
}

// The per-axis quantized dimension moves with its dimension.
// CHECK-LABEL: func.func @transpose_per_axis
// CHECK: qops.transpose %{{.+}} perm [1, 0] : tensor<2x3x!quant.uniform<i8<-127:127>:f32:0, {1.000000e-02,2.000000e-02}>>
// CHECK-NEXT: return %{{.+}} : tensor<3x2x!quant.uniform<i8<-127:127>:f32:1, {1.000000e-02,2.000000e-02}>>
func.func @transpose_per_axis(%w: tensor<2x3x!qw>) -> tensor<3x2x!quant.uniform<i8<-127:127>:f32:1, {0.01, 0.02}>> {
  %0 = qops.transpose %w perm [1, 0] : tensor<2x3x!qw>
  return %0 : tensor<3x2x!quant.uniform<i8<-127:127>:f32:1, {0.01, 0.02}>>
}

// CHECK-LABEL: func.func @quantization
// CHECK: qops.quantize %{{.+}} : tensor<1x2x4x2xf32> -> tensor<1x2x4x2x!quant.uniform<u8:f32, 5.000000e-02:128>>
// CHECK: qops.requantize %{{.+}} : tensor<1x2x4x2x!quant.uniform<i32:f32:3, {5.000000e-04,1.000000e-03}>> -> tensor<1x2x4x2x!quant.uniform<u8:f32, 1.000000e-01:120>>
// CHECK: qops.dequantize %{{.+}} : tensor<1x2x4x2x!quant.uniform<u8:f32, 1.000000e-01:120>> -> tensor<1x2x4x2xf32>
// CHECK: qops.quantize %{{.+}} : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8<-127:127>:f32:0, {1.000000e-02,2.000000e-02}>>
func.func @quantization(%x: tensor<1x2x4x2xf32>, %acc: tensor<1x2x4x2x!qacc>, %w: tensor<2x3xf32>) -> (tensor<1x2x4x2x!qin>, tensor<1x2x4x2xf32>, tensor<2x3x!qw>) {
  %0 = qops.quantize %x : tensor<1x2x4x2xf32> -> tensor<1x2x4x2x!qin>
  %1 = qops.requantize %acc : tensor<1x2x4x2x!qacc> -> tensor<1x2x4x2x!qout>
  %2 = qops.dequantize %1 : tensor<1x2x4x2x!qout> -> tensor<1x2x4x2xf32>
  %3 = qops.quantize %w : tensor<2x3xf32> -> tensor<2x3x!qw>
  return %0, %2, %3 : tensor<1x2x4x2x!qin>, tensor<1x2x4x2xf32>, tensor<2x3x!qw>
}

// Fused activations (clamp ranges) on every op that takes one.
// CHECK-LABEL: func.func @fused_clamp
// CHECK: qops.conv2d {{.+}} groups 1 {clamp_max = 6.000000e+00 : f32, clamp_min = 0.000000e+00 : f32} :
// CHECK: qops.matmul {{.+}} {clamp_min = 0.000000e+00 : f32} :
// CHECK: qops.fully_connected {{.+}} {clamp_max = 1.000000e+00 : f32, clamp_min = -1.000000e+00 : f32} :
// CHECK: qops.add {{.+}} {clamp_max = 2.500000e+00 : f32} :
func.func @fused_clamp(%x: tensor<1x4x4x3xf32>, %w: tensor<2x1x1x3xf32>, %a: tensor<2x3xf32>, %b: tensor<3x2xf32>, %fw: tensor<2x3xf32>) -> (tensor<1x4x4x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) {
  %0 = qops.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 {clamp_max = 6.0 : f32, clamp_min = 0.0 : f32} : (tensor<1x4x4x3xf32>, tensor<2x1x1x3xf32>) -> tensor<1x4x4x2xf32>
  %1 = qops.matmul %a, %b {clamp_min = 0.0 : f32} : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  %2 = qops.fully_connected %a, %fw {clamp_max = 1.0 : f32, clamp_min = -1.0 : f32} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x2xf32>
  %3 = qops.add %1, %2 {clamp_max = 2.5 : f32} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  return %0, %1, %2, %3 : tensor<1x4x4x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>
}

// CHECK-LABEL: func @dot4
// CHECK: qops.dot4 %{{.*}}, %{{.*}}, %{{.*}} : vector<16xi32>
// CHECK: qops.dot4 %{{.*}}, %{{.*}}, %{{.*}} : vector<8xi32>
func.func @dot4(%acc: vector<16xi32>, %a: vector<16xi32>, %b: vector<16xi32>,
                %acc8: vector<8xi32>, %a8: vector<8xi32>, %b8: vector<8xi32>)
    -> (vector<16xi32>, vector<8xi32>) {
  %0 = qops.dot4 %acc, %a, %b : vector<16xi32>
  %1 = qops.dot4 %acc8, %a8, %b8 : vector<8xi32>
  return %0, %1 : vector<16xi32>, vector<8xi32>
}

// CHECK-LABEL: func @lookup_bytes
// CHECK: qops.lookup_bytes %{{.*}}, %{{.*}} : vector<64xi8>, vector<256xi8>
func.func @lookup_bytes(%i: vector<64xi8>, %t: vector<256xi8>) -> vector<64xi8> {
  %0 = qops.lookup_bytes %i, %t : vector<64xi8>, vector<256xi8>
  return %0 : vector<64xi8>
}

// A 256-entry table from i8 to u8 (entries within the result's storage).
// CHECK-LABEL: func.func @table
// CHECK: qops.table %{{.+}}, dense<{{.+}}> : tensor<256xi32> : tensor<1x16x!quant.uniform<i8:f32, 2.000000e-02:-3>> -> tensor<1x16x!quant.uniform<u8:f32, 5.000000e-02:128>>
func.func @table(%x: tensor<1x16x!qi8>) -> tensor<1x16x!qin> {
  %0 = qops.table %x, dense<[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40, 42, 44, 46, 48, 50, 52, 54, 56, 58, 60, 62, 64, 66, 68, 70, 72, 74, 76, 78, 80, 82, 84, 86, 88, 90, 92, 94, 96, 98, 100, 102, 104, 106, 108, 110, 112, 114, 116, 118, 120, 122, 124, 126, 128, 130, 132, 134, 136, 138, 140, 142, 144, 146, 148, 150, 152, 154, 156, 158, 160, 162, 164, 166, 168, 170, 172, 174, 176, 178, 180, 182, 184, 186, 188, 190, 192, 194, 196, 198, 200, 202, 204, 206, 208, 210, 212, 214, 216, 218, 220, 222, 224, 226, 228, 230, 232, 234, 236, 238, 240, 242, 244, 246, 248, 250, 252, 254, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255]> : tensor<256xi32> : tensor<1x16x!qi8> -> tensor<1x16x!qin>
  return %0 : tensor<1x16x!qin>
}

// CHECK-LABEL: func.func @group_norm
// CHECK: qops.group_norm %{{.+}}, %{{.+}}, %{{.+}} groups 2 epsilon 9.99999974E-6 : tensor<1x8x8x16xf32>, tensor<16xf32>
func.func @group_norm(%x: tensor<1x8x8x16xf32>, %g: tensor<16xf32>, %b: tensor<16xf32>) -> tensor<1x8x8x16xf32> {
  %0 = qops.group_norm %x, %g, %b groups 2 epsilon 1.0e-05 : tensor<1x8x8x16xf32>, tensor<16xf32>
  return %0 : tensor<1x8x8x16xf32>
}

// CHECK-LABEL: func.func @unary_math
// CHECK: qops.sqrt %{{.+}} : tensor<1x16xf32> -> tensor<1x16xf32>
// CHECK: qops.exp %{{.+}} : tensor<1x16xf32> -> tensor<1x16xf32>
// CHECK: qops.erf %{{.+}} : tensor<1x16xf32> -> tensor<1x16xf32>
// CHECK: qops.neg %{{.+}} : tensor<1x16xf32> -> tensor<1x16xf32>
// CHECK: qops.abs %{{.+}} : tensor<1x16xf32> -> tensor<1x16xf32>
// CHECK: qops.reciprocal %{{.+}} : tensor<1x16xf32> -> tensor<1x16xf32>
func.func @unary_math(%x: tensor<1x16xf32>) -> tensor<1x16xf32> {
  %0 = qops.sqrt %x : tensor<1x16xf32> -> tensor<1x16xf32>
  %1 = qops.exp %0 : tensor<1x16xf32> -> tensor<1x16xf32>
  %2 = qops.erf %1 : tensor<1x16xf32> -> tensor<1x16xf32>
  %3 = qops.neg %2 : tensor<1x16xf32> -> tensor<1x16xf32>
  %4 = qops.abs %3 : tensor<1x16xf32> -> tensor<1x16xf32>
  %5 = qops.reciprocal %4 : tensor<1x16xf32> -> tensor<1x16xf32>
  return %5 : tensor<1x16xf32>
}

// CHECK-LABEL: func.func @binary_arithmetic
// CHECK: qops.sub %{{.+}}, %{{.+}} : (tensor<1x8x8x3xf32>, tensor<1x1x1x3xf32>) -> tensor<1x8x8x3xf32>
// CHECK: qops.div %{{.+}}, %{{.+}} : (tensor<1x8x8x3xf32>, tensor<3xf32>) -> tensor<1x8x8x3xf32>
// CHECK: qops.pow %{{.+}}, %{{.+}} : (tensor<1x8x8x3xf32>, tensor<f32>) -> tensor<1x8x8x3xf32>
// CHECK: qops.maximum %{{.+}}, %{{.+}} : (tensor<1x8x8x3xf32>, tensor<1x1x1x3xf32>) -> tensor<1x8x8x3xf32>
// CHECK: qops.minimum %{{.+}}, %{{.+}} : (tensor<1x8x8x3xf32>, tensor<3xf32>) -> tensor<1x8x8x3xf32>
func.func @binary_arithmetic(%x: tensor<1x8x8x3xf32>, %m: tensor<1x1x1x3xf32>, %s: tensor<3xf32>, %e: tensor<f32>) -> tensor<1x8x8x3xf32> {
  %0 = qops.sub %x, %m : (tensor<1x8x8x3xf32>, tensor<1x1x1x3xf32>) -> tensor<1x8x8x3xf32>
  %1 = qops.div %0, %s : (tensor<1x8x8x3xf32>, tensor<3xf32>) -> tensor<1x8x8x3xf32>
  %2 = qops.pow %1, %e : (tensor<1x8x8x3xf32>, tensor<f32>) -> tensor<1x8x8x3xf32>
  %3 = qops.maximum %2, %m : (tensor<1x8x8x3xf32>, tensor<1x1x1x3xf32>) -> tensor<1x8x8x3xf32>
  %4 = qops.minimum %3, %s : (tensor<1x8x8x3xf32>, tensor<3xf32>) -> tensor<1x8x8x3xf32>
  return %4 : tensor<1x8x8x3xf32>
}

// CHECK-LABEL: func.func @arithmetic_quantized
// CHECK: qops.sub %{{.+}}, %{{.+}} : (tensor<1x4x!quant.uniform<u8:f32, 5.000000e-02:128>>, tensor<1x4x!quant.uniform<u8:f32, 1.000000e-01:120>>) -> tensor<1x4x!quant.uniform<u8:f32, 1.000000e-01:120>>
// CHECK: qops.maximum %{{.+}}, %{{.+}} : (tensor<1x4x!quant.uniform<u8:f32, 1.000000e-01:120>>, tensor<1x4x!quant.uniform<u8:f32, 5.000000e-02:128>>) -> tensor<1x4x!quant.uniform<u8:f32, 5.000000e-02:128>>
// CHECK: qops.minimum %{{.+}}, %{{.+}} : (tensor<1x4x!quant.uniform<u8:f32, 5.000000e-02:128>>, tensor<1x4x!quant.uniform<u8:f32, 5.000000e-02:128>>) -> tensor<1x4x!quant.uniform<u8:f32, 5.000000e-02:128>>
func.func @arithmetic_quantized(%a: tensor<1x4x!qin>, %b: tensor<1x4x!qout>) -> tensor<1x4x!qin> {
  %0 = qops.sub %a, %b : (tensor<1x4x!qin>, tensor<1x4x!qout>) -> tensor<1x4x!qout>
  %1 = qops.maximum %0, %a : (tensor<1x4x!qout>, tensor<1x4x!qin>) -> tensor<1x4x!qin>
  %2 = qops.minimum %1, %a : (tensor<1x4x!qin>, tensor<1x4x!qin>) -> tensor<1x4x!qin>
  return %2 : tensor<1x4x!qin>
}

// CHECK-LABEL: func.func @resize_pad_dilated_pool
// CHECK: qops.resize_nearest %{{.+}} rows [0, 0, 1, 1] cols [0, 1, 1] : tensor<1x2x2x3xf32> -> tensor<1x4x3x3xf32>
// CHECK: qops.resize_nearest %{{.+}} rows [0, 1] cols [1] : tensor<1x2x2x3x!quant.uniform<u8:f32, 5.000000e-02:128>> -> tensor<1x2x1x3x!quant.uniform<u8:f32, 5.000000e-02:128>>
// CHECK: qops.resize_bilinear %{{.+}} rows [0, 0, 0, 1] row_weights [0.000000e+00, 5.000000e-01] cols [0, 1] col_weights [2.500000e-01] : tensor<1x2x2x3xf32> -> tensor<1x2x1x3xf32>
// CHECK: qops.pad %{{.+}} pad [0, 0, 1, 1, 1, 0, 0, 0] mode "reflect" : tensor<1x2x2x3xf32>
// CHECK: qops.pad %{{.+}} pad [0, 0, 2, 0, 0, 3, 0, 0] mode "edge" : tensor<1x2x2x3x!quant.uniform<u8:f32, 5.000000e-02:128>>
// CHECK: qops.max_pool2d %{{.+}} kernel [2, 2] stride [1, 1] pad [1, 1, 1, 1] dilation [2, 2] : tensor<1x2x2x3xf32>
func.func @resize_pad_dilated_pool(%x: tensor<1x2x2x3xf32>, %q: tensor<1x2x2x3x!qin>) {
  %0 = qops.resize_nearest %x rows [0, 0, 1, 1] cols [0, 1, 1] : tensor<1x2x2x3xf32> -> tensor<1x4x3x3xf32>
  %1 = qops.resize_nearest %q rows [0, 1] cols [1] : tensor<1x2x2x3x!qin> -> tensor<1x2x1x3x!qin>
  %2 = qops.resize_bilinear %x rows [0, 0, 0, 1] row_weights [0.0, 0.5] cols [0, 1] col_weights [0.25] : tensor<1x2x2x3xf32> -> tensor<1x2x1x3xf32>
  %3 = qops.pad %x pad [0, 0, 1, 1, 1, 0, 0, 0] mode "reflect" : tensor<1x2x2x3xf32>
  %4 = qops.pad %q pad [0, 0, 2, 0, 0, 3, 0, 0] mode "edge" : tensor<1x2x2x3x!qin>
  %5 = qops.max_pool2d %x kernel [2, 2] stride [1, 1] pad [1, 1, 1, 1] dilation [2, 2] : tensor<1x2x2x3xf32>
  return
}

// CHECK-LABEL: func.func @gather
// CHECK: qops.gather %{{.+}}, %{{.+}} axis 0 : (tensor<100x64xf32>, tensor<1x16xi64>) -> tensor<1x16x64xf32>
// CHECK: qops.gather %{{.+}}, %{{.+}} axis 1 : (tensor<2x5x4xf32>, tensor<3xi32>) -> tensor<2x3x4xf32>
func.func @gather(%t: tensor<100x64xf32>, %ids: tensor<1x16xi64>, %x: tensor<2x5x4xf32>, %i: tensor<3xi32>) -> (tensor<1x16x64xf32>, tensor<2x3x4xf32>) {
  %0 = qops.gather %t, %ids axis 0 : (tensor<100x64xf32>, tensor<1x16xi64>) -> tensor<1x16x64xf32>
  %1 = qops.gather %x, %i axis 1 : (tensor<2x5x4xf32>, tensor<3xi32>) -> tensor<2x3x4xf32>
  return %0, %1 : tensor<1x16x64xf32>, tensor<2x3x4xf32>
}

// CHECK-LABEL: func.func @layer_norm
// CHECK: qops.layer_norm %{{.+}}, %{{.+}}, %{{.+}} axis 2 epsilon 9.99999974E-6 : tensor<1x16x64xf32>, tensor<64xf32>
// CHECK: qops.layer_norm %{{.+}}, %{{.+}}, %{{.+}} axis 1 epsilon 0.00999999977 : tensor<2x3x8xf32>, tensor<3x8xf32>
func.func @layer_norm(%x: tensor<1x16x64xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>, %y: tensor<2x3x8xf32>, %p: tensor<3x8xf32>) -> (tensor<1x16x64xf32>, tensor<2x3x8xf32>) {
  %0 = qops.layer_norm %x, %g, %b axis 2 epsilon 1.0e-05 : tensor<1x16x64xf32>, tensor<64xf32>
  %1 = qops.layer_norm %y, %p, %p axis 1 epsilon 1.0e-02 : tensor<2x3x8xf32>, tensor<3x8xf32>
  return %0, %1 : tensor<1x16x64xf32>, tensor<2x3x8xf32>
}

// CHECK-LABEL: func.func @gelu
// CHECK: qops.gelu %{{.+}} : tensor<1x16xf32> -> tensor<1x16xf32>
// CHECK: qops.gelu %{{.+}} approximate "tanh" : tensor<1x16xf32> -> tensor<1x16xf32>
// CHECK: qops.gelu %{{.+}} : tensor<1x16x!quant.uniform<u8:f32, 5.000000e-02:128>> -> tensor<1x16x!quant.uniform<u8:f32, 2.500000e-02:10>>
func.func @gelu(%x: tensor<1x16xf32>, %q: tensor<1x16x!quant.uniform<u8:f32, 0.05:128>>) -> (tensor<1x16xf32>, tensor<1x16xf32>, tensor<1x16x!quant.uniform<u8:f32, 0.025:10>>) {
  %0 = qops.gelu %x : tensor<1x16xf32> -> tensor<1x16xf32>
  %1 = qops.gelu %x approximate "tanh" : tensor<1x16xf32> -> tensor<1x16xf32>
  %2 = qops.gelu %q : tensor<1x16x!quant.uniform<u8:f32, 0.05:128>> -> tensor<1x16x!quant.uniform<u8:f32, 0.025:10>>
  return %0, %1, %2 : tensor<1x16xf32>, tensor<1x16xf32>, tensor<1x16x!quant.uniform<u8:f32, 0.025:10>>
}
