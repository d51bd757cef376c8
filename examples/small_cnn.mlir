// A small CNN in the qops float dialect (NHWC activations, OHWI weights):
// conv-bn-relu, a depthwise conv-bn-relu6, a residual add, max pooling,
// global average pooling and a fully-connected classifier with softmax.
// Input: one 8x8 RGB image; output: 10 class probabilities.

func.func @main(%image: tensor<1x8x8x3xf32>) -> tensor<1x10xf32> {
  // Stem: 3x3 conv, 3 -> 8 channels, then inference batch norm and relu.
  %w0 = arith.constant dense<0.05> : tensor<8x3x3x3xf32>
  %b0 = arith.constant dense<0.01> : tensor<8xf32>
  %conv0 = qops.conv2d %image, %w0, %b0 stride [1, 1] pad [1, 1, 1, 1] dilation [1, 1] groups 1
      : (tensor<1x8x8x3xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32>
  %gamma0 = arith.constant dense<1.5> : tensor<8xf32>
  %beta0 = arith.constant dense<0.1> : tensor<8xf32>
  %mean0 = arith.constant dense<0.2> : tensor<8xf32>
  %var0 = arith.constant dense<0.9> : tensor<8xf32>
  %bn0 = qops.batch_norm %conv0, %gamma0, %beta0, %mean0, %var0 epsilon 1.0e-05
      : tensor<1x8x8x8xf32>, tensor<8xf32>
  %relu0 = qops.relu %bn0 : tensor<1x8x8x8xf32>

  // Depthwise 3x3 conv (groups == channels), batch norm, relu6.
  %w1 = arith.constant dense<0.1> : tensor<8x3x3x1xf32>
  %conv1 = qops.conv2d %relu0, %w1 stride [1, 1] pad [1, 1, 1, 1] dilation [1, 1] groups 8
      : (tensor<1x8x8x8xf32>, tensor<8x3x3x1xf32>) -> tensor<1x8x8x8xf32>
  %gamma1 = arith.constant dense<0.8> : tensor<8xf32>
  %beta1 = arith.constant dense<-0.05> : tensor<8xf32>
  %mean1 = arith.constant dense<0.3> : tensor<8xf32>
  %var1 = arith.constant dense<1.2> : tensor<8xf32>
  %bn1 = qops.batch_norm %conv1, %gamma1, %beta1, %mean1, %var1 epsilon 1.0e-05
      : tensor<1x8x8x8xf32>, tensor<8xf32>
  %relu1 = qops.relu6 %bn1 : tensor<1x8x8x8xf32>

  // Residual connection.
  %sum = qops.add %relu0, %relu1 : (tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>

  // Downsample, pool, classify.
  %pool = qops.max_pool2d %sum kernel [2, 2] stride [2, 2] pad [0, 0, 0, 0] : tensor<1x8x8x8xf32>
  %gap = qops.global_avg_pool %pool : tensor<1x4x4x8xf32> -> tensor<1x1x1x8xf32>
  %flat = qops.flatten %gap axis 1 : tensor<1x1x1x8xf32>
  %wfc = arith.constant dense<0.02> : tensor<10x8xf32>
  %bfc = arith.constant dense<0.0> : tensor<10xf32>
  %logits = qops.fully_connected %flat, %wfc, %bfc
      : (tensor<1x8xf32>, tensor<10x8xf32>, tensor<10xf32>) -> tensor<1x10xf32>
  %probs = qops.softmax %logits axis -1 : tensor<1x10xf32> -> tensor<1x10xf32>
  return %probs : tensor<1x10xf32>
}
