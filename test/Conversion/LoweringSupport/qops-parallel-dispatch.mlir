// RUN: quant-opt %s --qops-parallel-dispatch | FileCheck %s

// An entry function calling a loop function of 10 iterations takes a
// trailing quant_parallel pointer. Null, or min(max_tasks, 10) <= 1: the
// call as before; else the arguments go into a context on the stack and
// the caller's parallel_for runs min(max_tasks, 10) tasks of @f_run.
// CHECK-LABEL: llvm.func @f(
// CHECK-SAME: %[[X:[^:]*]]: !llvm.ptr, %[[PAR:[^:]*]]: !llvm.ptr)
// CHECK-SAME: qops.parallel
// CHECK: %[[CTX:.*]] = llvm.alloca %{{.*}} x !llvm.struct<(i64, i64, ptr)> {alignment = 64 : i64}
// CHECK: %[[NULL:.*]] = llvm.icmp "eq" %[[PAR]], %{{.*}} : !llvm.ptr
// CHECK: llvm.cond_br %[[NULL]], ^[[SERIAL:.*]], ^[[CHECK:.*]]
// CHECK: ^[[SERIAL]]:
// CHECK-NEXT: llvm.call @f_parallel0(%{{.*}}, %{{.*}}, %[[X]])
// CHECK: ^[[CHECK]]:
// CHECK: %[[MAX:.*]] = llvm.load %{{.*}} : !llvm.ptr -> i32
// CHECK: llvm.select
// CHECK: llvm.cond_br %{{.*}}, ^[[PARALLEL:.*]], ^[[SERIAL]]
// CHECK: ^[[PARALLEL]]:
// CHECK: llvm.store %[[X]], %{{.*}} : !llvm.ptr, !llvm.ptr
// CHECK: %[[FN:.*]] = llvm.load %{{.*}} : !llvm.ptr -> !llvm.ptr
// CHECK: %[[RUNNER:.*]] = llvm.mlir.addressof @f_parallel0_run
// CHECK: llvm.call %[[FN]](%{{.*}}, %{{.*}}, %[[RUNNER]], %[[CTX]]) : !llvm.ptr, (!llvm.ptr, i32, !llvm.ptr, !llvm.ptr) -> ()
// The loop function becomes internal; its runner computes the range of
// task i of T: [i * 10 / T, (i + 1) * 10 / T).
// CHECK: llvm.func internal @f_parallel0(
// CHECK: llvm.func internal @f_parallel0_run(%{{.*}}: !llvm.ptr, %{{.*}}: i32)
// CHECK: llvm.udiv
// CHECK: llvm.udiv
// CHECK: llvm.call @f_parallel0(
llvm.func @f(%x: !llvm.ptr) attributes {qops.signature = (tensor<10xf32>) -> ()} {
  %0 = llvm.mlir.constant(0 : i64) : i64
  %1 = llvm.mlir.constant(10 : i64) : i64
  llvm.call @f_parallel0(%0, %1, %x) : (i64, i64, !llvm.ptr) -> ()
  llvm.return
}
llvm.func @f_parallel0(%b: i64, %e: i64, %x: !llvm.ptr) attributes {qops.parallel_task = 10 : i64} {
  llvm.return
}

// A function without a signature (called by others) keeps its call.
// CHECK-LABEL: llvm.func @helper(
// CHECK-SAME: %{{[^,]*}}: !llvm.ptr) {
// CHECK-NEXT: llvm.mlir.constant
// CHECK-NEXT: llvm.mlir.constant
// CHECK-NEXT: llvm.call @g_parallel0(
// CHECK-NEXT: llvm.return
llvm.func @helper(%x: !llvm.ptr) {
  %0 = llvm.mlir.constant(0 : i64) : i64
  %1 = llvm.mlir.constant(4 : i64) : i64
  llvm.call @g_parallel0(%0, %1, %x) : (i64, i64, !llvm.ptr) -> ()
  llvm.return
}
llvm.func @g_parallel0(%b: i64, %e: i64, %x: !llvm.ptr) attributes {qops.parallel_task = 4 : i64} {
  llvm.return
}
