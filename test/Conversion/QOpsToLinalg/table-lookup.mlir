// RUN: quant-opt %s -split-input-file --convert-qops-to-linalg=target-cpu=znver4 --canonicalize | FileCheck %s --check-prefix=VBMI
// RUN: quant-opt %s -split-input-file --convert-qops-to-linalg=target-cpu=cascadelake --canonicalize | FileCheck %s --check-prefix=GATHER

// qops.table on a CPU with AVX512-VBMI (znver4): the input's bytes, viewed
// as [n / 64, 64], index a 256-byte table 64 at a time (qops.lookup_bytes,
// lowered to vpermi2b by qops-lower-x86-intrinsics). The table is ordered
// by the stored byte read as unsigned: for this i8 input, entry 0 is the
// result for q = 0 (0x80 = 128 of the u8 result), entry 0x80 for q = -128.
// Without VBMI (cascadelake), an element-wise gather from the i32 table.

!qin = !quant.uniform<u8:f32, 0.05:128>
!qi8 = !quant.uniform<i8:f32, 0.02:-3>

// VBMI-LABEL: func.func @table
// VBMI-SAME: (%[[X:.*]]: tensor<1x4x64xi8>)
// VBMI-DAG: %[[TABLE:.*]] = arith.constant dense<"0x80828486888A8C8E{{[0-9A-F]*}}FFFF00{{[0-9A-F]*}}0002040608{{[0-9A-F]*}}7A7C7E"> : vector<256xi8>
// VBMI-DAG: %[[MATRIX:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1], [2]] : tensor<1x4x64xi8> into tensor<4x64xi8>
// VBMI: scf.for %[[R:.*]] = %c0 to %c4 step %c1 iter_args(%[[ACC:.*]] = %{{.*}}) -> (tensor<4x64xi8>)
// VBMI: %[[BYTES:.*]] = vector.transfer_read %[[MATRIX]][%[[R]], %c0]{{.*}} : tensor<4x64xi8>, vector<64xi8>
// VBMI: %[[LOOKED:.*]] = qops.lookup_bytes %[[BYTES]], %[[TABLE]] : vector<64xi8>, vector<256xi8>
// VBMI: vector.transfer_write %[[LOOKED]], %[[ACC]][%[[R]], %c0]
// VBMI: tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2]] output_shape [1, 4, 64] : tensor<4x64xi8> into tensor<1x4x64xi8>
// VBMI-NOT: tensor.extract
// GATHER-LABEL: func.func @table
// GATHER: linalg.generic
// GATHER: tensor.extract
// GATHER-NOT: qops.lookup_bytes
func.func @table(%x: tensor<1x4x64x!qi8>) -> tensor<1x4x64x!qin> {
  %0 = qops.table %x, dense<[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40, 42, 44, 46, 48, 50, 52, 54, 56, 58, 60, 62, 64, 66, 68, 70, 72, 74, 76, 78, 80, 82, 84, 86, 88, 90, 92, 94, 96, 98, 100, 102, 104, 106, 108, 110, 112, 114, 116, 118, 120, 122, 124, 126, 128, 130, 132, 134, 136, 138, 140, 142, 144, 146, 148, 150, 152, 154, 156, 158, 160, 162, 164, 166, 168, 170, 172, 174, 176, 178, 180, 182, 184, 186, 188, 190, 192, 194, 196, 198, 200, 202, 204, 206, 208, 210, 212, 214, 216, 218, 220, 222, 224, 226, 228, 230, 232, 234, 236, 238, 240, 242, 244, 246, 248, 250, 252, 254, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255]> : tensor<256xi32> : tensor<1x4x64x!qi8> -> tensor<1x4x64x!qin>
  return %0 : tensor<1x4x64x!qin>
}

// -----

// A tensor whose size is not a multiple of 64 keeps the gather on every CPU.
!qin = !quant.uniform<u8:f32, 0.05:128>
!qi8 = !quant.uniform<i8:f32, 0.02:-3>

// VBMI-LABEL: func.func @small_table
// VBMI: linalg.generic
// VBMI: tensor.extract
// VBMI-NOT: qops.lookup_bytes
func.func @small_table(%x: tensor<1x16x!qi8>) -> tensor<1x16x!qin> {
  %0 = qops.table %x, dense<[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40, 42, 44, 46, 48, 50, 52, 54, 56, 58, 60, 62, 64, 66, 68, 70, 72, 74, 76, 78, 80, 82, 84, 86, 88, 90, 92, 94, 96, 98, 100, 102, 104, 106, 108, 110, 112, 114, 116, 118, 120, 122, 124, 126, 128, 130, 132, 134, 136, 138, 140, 142, 144, 146, 148, 150, 152, 154, 156, 158, 160, 162, 164, 166, 168, 170, 172, 174, 176, 178, 180, 182, 184, 186, 188, 190, 192, 194, 196, 198, 200, 202, 204, 206, 208, 210, 212, 214, 216, 218, 220, 222, 224, 226, 228, 230, 232, 234, 236, 238, 240, 242, 244, 246, 248, 250, 252, 254, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255]> : tensor<256xi32> : tensor<1x16x!qi8> -> tensor<1x16x!qin>
  return %0 : tensor<1x16x!qin>
}
