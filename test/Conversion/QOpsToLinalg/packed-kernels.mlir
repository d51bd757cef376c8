// RUN: quant-opt %s -split-input-file --convert-qops-to-linalg="target-cpu=cascadelake" --canonicalize --cse | FileCheck %s --check-prefix=VNNI512
// RUN: quant-opt %s -split-input-file --convert-qops-to-linalg="target-cpu=alderlake" --canonicalize --cse | FileCheck %s --check-prefix=VNNI256
// RUN: quant-opt %s -split-input-file --convert-qops-to-linalg="target-cpu=haswell" --canonicalize --cse | FileCheck %s --check-prefix=AVX2
// RUN: not quant-opt %s --convert-qops-to-linalg="target-cpu=nonsense" 2>&1 | FileCheck %s --check-prefix=BADCPU

// The packed int8 kernel of a conv2d with constant weights: the 20x3x3x6
// weights are packed at compile time into rows of one register of output
// channels x 4 input channels (16 lanes on AVX512-VNNI: 2 blocks of 16
// channels x 3 x 3 x 2 groups of 4 channels = 36 rows of 64 bytes), the
// input is padded with its zero point (spatially) and to a multiple of 4
// channels, the accumulator initializer holds the folded bias (-z_in *
// sum w = -3 * 54 * 4 = -648, 0 in the padding channels). One register
// tile of 5 pixels x 1 channel block per output row (the full block of 16
// channels; then the block of the last 4 channels on its own); the
// accumulators stay vectors over the whole reduction (kh, kw, c4), and are
// requantized (x 0.5 * 0.125 / 0.25, round half to even, + 7, clamp to
// [7, 255] for the fused ReLU) and stored as u8; no i32 tensor exists.
// The partial block is stored narrower (no masked store).

// VNNI512-LABEL: func.func @conv
// VNNI512-DAG: %[[INIT:.*]] = arith.constant dense<[-648, {{.*}}, -648, 0, {{.*}}, 0]> : tensor<32xi32>
// VNNI512-DAG: %[[PACKED:.*]] = arith.constant dense<"0x{{[0-9A-F]+}}"> : tensor<36x64xi8>
// VNNI512: tensor.pad %{{.*}} low[0, 1, 1, 0] high[0, 1, 1, 2]
// VNNI512: tensor<1x4x5x6xi8> to tensor<1x6x7x8xi8>
// VNNI512: scf.for %[[OH:.*]] = %c0 to %c4 step %c1 iter_args(%{{.*}} = %{{.*}}) -> (tensor<1x4x5x20xi8>)
// VNNI512: %[[B0:.*]] = vector.transfer_read %[[INIT]][%c0]{{.*}} : tensor<32xi32>, vector<16xi32>
// VNNI512: %[[ACC:.*]]:5 = scf.for {{.*}} -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>)
// VNNI512: scf.for
// VNNI512: scf.for
// VNNI512: vector.transfer_read %[[PACKED]]{{.*}} : tensor<36x64xi8>, vector<64xi8>
// VNNI512: vector.bitcast %{{.*}} : vector<64xi8> to vector<16xi32>
// VNNI512: vector.transfer_read {{.*}} : tensor<1x6x7x8xi8>, vector<4xi8>
// VNNI512: vector.bitcast %{{.*}} : vector<4xi8> to vector<1xi32>
// VNNI512: vector.broadcast %{{.*}} : i32 to vector<16xi32>
// VNNI512-COUNT-5: qops.dot4 %{{.*}} : vector<16xi32>
// VNNI512: arith.sitofp %[[ACC]]#0 : vector<16xi32> to vector<16xf32>
// VNNI512-NEXT: arith.mulf %{{.*}}, %{{.*}} : vector<16xf32>
// VNNI512-NEXT: math.roundeven
// VNNI512-NEXT: arith.addf
// VNNI512-NEXT: arith.maxnumf
// VNNI512-NEXT: arith.minnumf
// VNNI512-NEXT: arith.fptosi
// VNNI512-NEXT: arith.trunci %{{.*}} : vector<16xi32> to vector<16xi8>
// VNNI512-NEXT: vector.transfer_write %{{.*}}[%c0, %[[OH]], %c0, %c0] {in_bounds = [true]} : vector<16xi8>, tensor<1x4x5x20xi8>
// VNNI512: vector.transfer_read %[[INIT]][%c16]
// VNNI512: vector.extract_strided_slice %{{.*}} {offsets = [0], sizes = [4], strides = [1]} : vector<16xi8> to vector<4xi8>
// VNNI512-NEXT: vector.transfer_write %{{.*}}[%c0, %[[OH]], %c0, %c16] {in_bounds = [true]} : vector<4xi8>, tensor<1x4x5x20xi8>
// VNNI512-NOT: tensor<{{.*}}xi32>
// VNNI512: return

// AVX-VNNI: 8 lanes, 3 blocks of 8 channels (54 rows of 32 bytes).
// VNNI256-LABEL: func.func @conv
// VNNI256: arith.constant dense<"0x{{[0-9A-F]+}}"> : tensor<54x32xi8>
// VNNI256: qops.dot4 %{{.*}} : vector<8xi32>

// Without VNNI: the same layout, as extensions, multiplies and adds.
// AVX2-LABEL: func.func @conv
// AVX2: arith.constant dense<"0x{{[0-9A-F]+}}"> : tensor<54x32xi8>
// AVX2-NOT: qops.dot4
// AVX2: vector.shuffle
// AVX2: arith.extsi %{{.*}} : vector<8xi8> to vector<8xi32>
// AVX2: arith.extui %{{.*}} : i8 to i32
// AVX2: arith.muli %{{.*}} : vector<8xi32>
// AVX2: arith.addi %{{.*}} : vector<8xi32>

// BADCPU: error: convert-qops-to-linalg: unknown target-cpu 'nonsense'
func.func @conv(%x: tensor<1x4x5x6x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<1x4x5x20x!quant.uniform<u8:f32, 0.25:7>> {
  %w = arith.constant dense<0.5> : tensor<20x3x3x6xf32>
  %wq = qops.quantize %w : tensor<20x3x3x6xf32> -> tensor<20x3x3x6x!quant.uniform<i8<-127:127>:f32, 0.125>>
  %y = qops.conv2d %x, %wq stride [1, 1] pad [1, 1, 1, 1] dilation [1, 1] groups 1 {clamp_min = 0.0 : f32}
     : (tensor<1x4x5x6x!quant.uniform<u8:f32, 0.5:3>>, tensor<20x3x3x6x!quant.uniform<i8<-127:127>:f32, 0.125>>) -> tensor<1x4x5x20x!quant.uniform<u8:f32, 0.25:7>>
  return %y : tensor<1x4x5x20x!quant.uniform<u8:f32, 0.25:7>>
}

// -----

// fully_connected with i8 activations and fixed-point requantization: the
// activations are made unsigned by flipping their sign bit (xor 0x80 =
// x + 128) and -128 * sum w joins the initializer: bias 0, input zero
// point -2 (+2 * 16), -128 * 16 = -2016. The requantization is the
// fixed-point sequence on vectors (i64 doubling high multiply).

// VNNI512-LABEL: func.func @fc
// VNNI512-DAG: arith.constant dense<[-2016, {{.*}}, -2016, 0, {{.*}}, 0]> : tensor<32xi32>
// VNNI512-DAG: %[[FLIP:.*]] = arith.constant dense<-128> : vector<4xi8>
// VNNI512: tensor.expand_shape %{{.*}} {{\[}}[0, 1, 2], [3]] output_shape [1, 1, 1, 8] : tensor<1x8xi8> into tensor<1x1x1x8xi8>
// VNNI512: arith.xori %{{.*}}, %[[FLIP]] : vector<4xi8>
// VNNI512: qops.dot4
// VNNI512: arith.extsi %{{.*}} : vector<16xi32> to vector<16xi64>
// VNNI512: arith.divsi %{{.*}} : vector<16xi64>
// VNNI512: tensor.collapse_shape %{{.*}} {{\[}}[0, 1, 2], [3]] : tensor<1x1x1x20xi8> into tensor<1x20xi8>
func.func @fc(%x: tensor<1x8x!quant.uniform<i8:f32, 0.5:-2>>) -> tensor<1x20x!quant.uniform<i8:f32, 0.25:1>> attributes {qops.requant = "fixed-point"} {
  %w = arith.constant dense<0.25> : tensor<20x8xf32>
  %wq = qops.quantize %w : tensor<20x8xf32> -> tensor<20x8x!quant.uniform<i8<-127:127>:f32, 0.125>>
  %y = qops.fully_connected %x, %wq : (tensor<1x8x!quant.uniform<i8:f32, 0.5:-2>>, tensor<20x8x!quant.uniform<i8<-127:127>:f32, 0.125>>) -> tensor<1x20x!quant.uniform<i8:f32, 0.25:1>>
  return %y : tensor<1x20x!quant.uniform<i8:f32, 0.25:1>>
}

// -----

// The float kernel: weights packed into rows of 16 f32 output channels per
// (kh, kw, c) (2 blocks x 3 x 3 x 6 = 108 rows), FMAs of one broadcast input
// value with a weight row, the bias as initializer and the fused clamp on
// the registers before the store.

// VNNI512-LABEL: func.func @conv_f32
// VNNI512-DAG: %[[BIAS:.*]] = arith.constant dense<{{.*}}> : tensor<32xf32>
// VNNI512-DAG: %[[PACKED:.*]] = arith.constant dense<{{.*}}> : tensor<108x16xf32>
// VNNI512: vector.transfer_read %[[BIAS]]
// VNNI512: vector.transfer_read %[[PACKED]]{{.*}} : tensor<108x16xf32>, vector<16xf32>
// VNNI512: vector.transfer_read {{.*}} : tensor<1x6x7x6xf32>, vector<1xf32>
// VNNI512: vector.broadcast %{{.*}} : f32 to vector<16xf32>
// VNNI512: vector.fma
// VNNI512: arith.maximumf %{{.*}} : vector<16xf32>
// VNNI512-NEXT: arith.minimumf %{{.*}} : vector<16xf32>
// VNNI512-NEXT: vector.transfer_write %{{.*}} : vector<16xf32>, tensor<1x4x5x20xf32>
// AVX2-LABEL: func.func @conv_f32
// AVX2: arith.constant dense<{{.*}}> : tensor<162x8xf32>
// AVX2: vector.fma %{{.*}} : vector<8xf32>
func.func @conv_f32(%x: tensor<1x4x5x6xf32>) -> tensor<1x4x5x20xf32> {
  %w = arith.constant dense<0.5> : tensor<20x3x3x6xf32>
  %b = arith.constant dense<0.25> : tensor<20xf32>
  %y = qops.conv2d %x, %w, %b stride [1, 1] pad [1, 1, 1, 1] dilation [1, 1] groups 1 {clamp_min = 0.0 : f32, clamp_max = 6.0 : f32}
     : (tensor<1x4x5x6xf32>, tensor<20x3x3x6xf32>, tensor<20xf32>) -> tensor<1x4x5x20xf32>
  return %y : tensor<1x4x5x20xf32>
}

// -----

// Depthwise (float): weights [KH * KW, C padded to 16], one vector of
// channels per tap, FMA per pixel of the tile.

// VNNI512-LABEL: func.func @depthwise_f32
// VNNI512-DAG: arith.constant dense<{{.*}}> : tensor<9x32xf32>
// VNNI512: tensor.pad %{{.*}} low[0, 1, 1, 0] high[0, 1, 1, 12]
// VNNI512: vector.fma %{{.*}} : vector<16xf32>
// VNNI512: vector.extract_strided_slice %{{.*}} {offsets = [0], sizes = [4], strides = [1]} : vector<16xf32> to vector<4xf32>
func.func @depthwise_f32(%x: tensor<1x6x6x20xf32>) -> tensor<1x6x6x20xf32> {
  %w = arith.constant dense<0.5> : tensor<20x3x3x1xf32>
  %y = qops.conv2d %x, %w stride [1, 1] pad [1, 1, 1, 1] dilation [1, 1] groups 20
     : (tensor<1x6x6x20xf32>, tensor<20x3x3x1xf32>) -> tensor<1x6x6x20xf32>
  return %y : tensor<1x6x6x20xf32>
}

// -----

// A grouped int8 conv2d (3 groups of 8 input and 8 output channels, as in
// RegNet) on the packed kernel. 16 lanes: a block of 16 output channels
// spans two groups and reads a window of 16 input channels (zero weights
// across the groups): block 0 reads channels [0, 16), block 1 (the last 8
// outputs) [16, 32), so the input is padded from 24 to 32 channels; 2
// blocks x 9 taps x 4 steps of 4 channels = 72 rows. 8 lanes: one block
// per group, windows of 8 channels, no channel padding, 3 x 9 x 2 = 54
// rows (all weights 4: no zeros across groups). No generic contraction
// (linalg.generic) is left.

// VNNI512-LABEL: func.func @grouped
// VNNI512-DAG: arith.constant dense<"0x{{[0-9A-F]+}}"> : tensor<72x64xi8>
// VNNI512: tensor.pad %{{.*}} low[0, 1, 1, 0] high[0, 1, 1, 8]
// VNNI512: tensor<1x4x5x24xi8> to tensor<1x6x7x32xi8>
// VNNI512: qops.dot4 %{{.*}} : vector<16xi32>
// VNNI512: arith.addi %{{.*}}, %c16 : index
// VNNI512: qops.dot4 %{{.*}} : vector<16xi32>
// VNNI512-NOT: linalg.generic
// VNNI512: return
// VNNI256-LABEL: func.func @grouped
// VNNI256: arith.constant dense<4> : tensor<54x32xi8>
// VNNI256: tensor<1x4x5x24xi8> to tensor<1x6x7x24xi8>
// VNNI256-NOT: linalg.generic
// VNNI256: return
func.func @grouped(%x: tensor<1x4x5x24x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<1x4x5x24x!quant.uniform<u8:f32, 0.25:7>> {
  %w = arith.constant dense<0.5> : tensor<24x3x3x8xf32>
  %wq = qops.quantize %w : tensor<24x3x3x8xf32> -> tensor<24x3x3x8x!quant.uniform<i8<-127:127>:f32, 0.125>>
  %y = qops.conv2d %x, %wq stride [1, 1] pad [1, 1, 1, 1] dilation [1, 1] groups 3
     : (tensor<1x4x5x24x!quant.uniform<u8:f32, 0.5:3>>, tensor<24x3x3x8x!quant.uniform<i8<-127:127>:f32, 0.125>>) -> tensor<1x4x5x24x!quant.uniform<u8:f32, 0.25:7>>
  return %y : tensor<1x4x5x24x!quant.uniform<u8:f32, 0.25:7>>
}
