// The installed package builds an out-of-tree consumer whose own opt tool
// runs --fold-bn (registered by quantops::registerAllPasses) and a pipeline
// that uses createQOpsFoldBatchNormPass() and populateFuseActivationsPatterns.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: cmake --install %quantops_obj_root --prefix %t/install > %t/install.log
// RUN: cmake -G Ninja -S %S/consumer -B %t/build -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=%cxx_compiler -DCMAKE_PREFIX_PATH=%t/install -DMLIR_DIR=%mlir_dir > %t/configure.log
// RUN: cmake --build %t/build > %t/build.log
// RUN: %t/build/consumer-opt --fold-bn %s | FileCheck %s --check-prefix=FOLD
// RUN: %t/build/consumer-opt --consumer-pipeline %s | FileCheck %s --check-prefix=PIPELINE

// FOLD-LABEL: func.func @conv_bn_relu
// FOLD: qops.conv2d
// FOLD-NOT: qops.batch_norm
// FOLD: qops.relu
// PIPELINE-LABEL: func.func @conv_bn_relu
// PIPELINE: qops.conv2d {{.+}} {clamp_min = 0.000000e+00 : f32}
// PIPELINE-NOT: qops.batch_norm
// PIPELINE-NOT: qops.relu
func.func @conv_bn_relu(%x: tensor<1x2x2x1xf32>) -> tensor<1x2x2x2xf32> {
  %w = arith.constant dense<[[[[2.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
  %y = qops.conv2d %x, %w stride [1, 1] pad [0, 0, 0, 0] dilation [1, 1] groups 1 : (tensor<1x2x2x1xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %p = arith.constant dense<1.0> : tensor<2xf32>
  %z = qops.batch_norm %y, %p, %p, %p, %p epsilon 1.0e-5 : tensor<1x2x2x2xf32>, tensor<2xf32>
  %r = qops.relu %z : tensor<1x2x2x2xf32>
  return %r : tensor<1x2x2x2xf32>
}
