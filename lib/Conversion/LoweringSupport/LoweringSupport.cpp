//===- LoweringSupport.cpp - passes the lowering pipeline needs -----------===//
//
// qops-record-signature, qops-copy-returned-arguments, qops-expand-copies
// and qops-lower-x86-intrinsics.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Conversion/LoweringSupport/LoweringSupport.h"

#include "quant-ops/Dialect/QOps/IR/QOpsOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

namespace mlir::qops {
#define GEN_PASS_DEF_QOPSRECORDSIGNATUREPASS
#define GEN_PASS_DEF_QOPSEXPANDCOPIESPASS
#define GEN_PASS_DEF_QOPSCOPYRETURNEDARGUMENTSPASS
#define GEN_PASS_DEF_QOPSLOWERX86INTRINSICSPASS
#include "quant-ops/Conversion/Passes.h.inc"
} // namespace mlir::qops

using namespace mlir;
using namespace mlir::qops;

namespace {
struct QOpsRecordSignaturePass
    : public qops::impl::QOpsRecordSignaturePassBase<QOpsRecordSignaturePass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      // qops.* argument attributes (calibrated ranges) mean nothing once
      // lowered, and LLVM translation would warn about them.
      for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i) {
        SmallVector<StringAttr> names;
        for (NamedAttribute attr : mlir::function_interface_impl::getArgAttrs(
                 cast<FunctionOpInterface>(func.getOperation()), i))
          if (attr.getName().strref().starts_with("qops."))
            names.push_back(attr.getName());
        for (StringAttr name : names)
          func.removeArgAttr(i, name);
      }
      if (func.isExternal() || !func.isPublic() ||
          func->hasAttr(kSignatureAttrName))
        continue;
      func->setAttr(kSignatureAttrName, TypeAttr::get(func.getFunctionType()));
    }
  }
};

struct QOpsCopyReturnedArgumentsPass
    : public qops::impl::QOpsCopyReturnedArgumentsPassBase<
          QOpsCopyReturnedArgumentsPass> {
  void runOnOperation() override {
    getOperation().walk([&](func::ReturnOp ret) {
      OpBuilder builder(ret);
      llvm::SmallPtrSet<Value, 8> returned;
      for (OpOperand &operand : ret->getOpOperands()) {
        Value value = operand.get();
        auto type = dyn_cast<RankedTensorType>(value.getType());
        bool fresh = returned.insert(value).second;
        if (!type || !type.hasStaticShape() ||
            (fresh && !isa<BlockArgument>(value)))
          continue;
        Value empty = tensor::EmptyOp::create(builder, ret.getLoc(),
                                              type.getShape(),
                                              type.getElementType());
        operand.set(
            linalg::CopyOp::create(builder, ret.getLoc(), value, empty)
                .getResult(0));
      }
    });
  }
};

/// Whether the innermost dimension of `type` has unit stride.
static bool hasContiguousRows(MemRefType type) {
  SmallVector<int64_t> strides;
  int64_t offset;
  return succeeded(type.getStridesAndOffset(strides, offset)) &&
         !strides.empty() && strides.back() == 1;
}

/// A static copy with contiguous innermost rows of at most 256 elements as
/// loops over the outer dimensions moving one vector row per iteration.
static LogicalResult vectorizeCopy(IRRewriter &rewriter, memref::CopyOp copy) {
  auto source = dyn_cast<MemRefType>(copy.getSource().getType());
  auto target = dyn_cast<MemRefType>(copy.getTarget().getType());
  if (!source || !target || !source.hasStaticShape() ||
      source.getRank() == 0 || source.getShape() != target.getShape() ||
      !hasContiguousRows(source) || !hasContiguousRows(target))
    return failure();
  int64_t row = source.getShape().back();
  if (row < 1 || row > 256)
    return failure();
  Location loc = copy.getLoc();
  auto vectorType = VectorType::get({row}, source.getElementType());
  SmallVector<Value> lbs, ubs, steps;
  for (int64_t size : source.getShape().drop_back()) {
    lbs.push_back(arith::ConstantIndexOp::create(rewriter, loc, 0));
    ubs.push_back(arith::ConstantIndexOp::create(rewriter, loc, size));
    steps.push_back(arith::ConstantIndexOp::create(rewriter, loc, 1));
  }
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
  scf::LoopNest nest = scf::buildLoopNest(
      rewriter, loc, lbs, ubs, steps,
      [&](OpBuilder &b, Location nestedLoc, ValueRange ivs) {
        SmallVector<Value> indices(ivs.begin(), ivs.end());
        indices.push_back(zero);
        Value padding = ub::PoisonOp::create(b, nestedLoc,
                                             source.getElementType());
        Value value = vector::TransferReadOp::create(
            b, nestedLoc, vectorType, copy.getSource(), indices, padding,
            ArrayRef<bool>{true});
        vector::TransferWriteOp::create(b, nestedLoc, value, copy.getTarget(),
                                        indices, ArrayRef<bool>{true});
      });
  // Each iteration writes its own row of the target and reads the source,
  // another buffer (bufferization copies between distinct buffers): the
  // outer loops may run on several threads (qops-outline-parallel-loops);
  // the innermost stays a plain loop.
  // (A rank-1 copy is one vector and no loop.)
  if (nest.loops.size() > 1)
    for (scf::ForOp loop : ArrayRef<scf::ForOp>(nest.loops).drop_back())
      loop->setAttr(kParallelAttrName, rewriter.getUnitAttr());
  rewriter.eraseOp(copy);
  return success();
}

struct QOpsExpandCopiesPass
    : public qops::impl::QOpsExpandCopiesPassBase<QOpsExpandCopiesPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    getOperation()->walk([&](memref::CopyOp copy) {
      rewriter.setInsertionPoint(copy);
      if (succeeded(vectorizeCopy(rewriter, copy)))
        return;
      rewriter.replaceOpWithNewOp<linalg::CopyOp>(copy, copy.getSource(),
                                                  copy.getTarget());
    });
  }
};
} // namespace

/// qops.dot4 -> vpdpbusd (512 or 256 bits).
static void lowerDot4(IRRewriter &rewriter, Dot4Op dot) {
  StringRef name = dot.getType().getNumElements() == 16
                       ? "llvm.x86.avx512.vpdpbusd.512"
                       : "llvm.x86.avx512.vpdpbusd.256";
  // The intrinsic takes the byte operands as byte vectors.
  auto bytes = VectorType::get({dot.getType().getNumElements() * 4},
                               rewriter.getI8Type());
  Value lhs =
      vector::BitCastOp::create(rewriter, dot.getLoc(), bytes, dot.getLhs());
  Value rhs =
      vector::BitCastOp::create(rewriter, dot.getLoc(), bytes, dot.getRhs());
  rewriter.replaceOpWithNewOp<LLVM::CallIntrinsicOp>(
      dot, dot.getType(), rewriter.getStringAttr(name),
      ValueRange{dot.getAcc(), lhs, rhs});
}

/// qops.lookup_bytes -> two vpermi2b, one per 128-byte half of the table
/// (an index's low 7 bits pick one of its bytes), and a select on the
/// index's top bit between the two results.
static void lowerLookupBytes(IRRewriter &rewriter, LookupBytesOp lookup) {
  Location loc = lookup.getLoc();
  auto quarter = VectorType::get({64}, rewriter.getI8Type());
  SmallVector<Value, 4> parts;
  for (int64_t i = 0; i < 4; ++i)
    parts.push_back(vector::ExtractStridedSliceOp::create(
        rewriter, loc, lookup.getTable(), ArrayRef<int64_t>{64 * i},
        ArrayRef<int64_t>{64}, ArrayRef<int64_t>{1}));
  StringAttr name =
      rewriter.getStringAttr("llvm.x86.avx512.vpermi2var.qi.512");
  Value indices = lookup.getIndices();
  Value low = LLVM::CallIntrinsicOp::create(rewriter, loc, quarter, name,
                                            ValueRange{parts[0], indices,
                                                       parts[1]})
                  .getResult(0);
  Value high = LLVM::CallIntrinsicOp::create(rewriter, loc, quarter, name,
                                             ValueRange{parts[2], indices,
                                                        parts[3]})
                   .getResult(0);
  Value zero = arith::ConstantOp::create(
      rewriter, loc, DenseElementsAttr::get(quarter, rewriter.getI8IntegerAttr(0)));
  Value upperHalf = arith::CmpIOp::create(
      rewriter, loc, arith::CmpIPredicate::slt, indices, zero);
  rewriter.replaceOpWithNewOp<arith::SelectOp>(lookup, upperHalf, high, low);
}

namespace {
struct QOpsLowerX86IntrinsicsPass
    : public qops::impl::QOpsLowerX86IntrinsicsPassBase<
          QOpsLowerX86IntrinsicsPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    getOperation()->walk([&](Operation *op) {
      rewriter.setInsertionPoint(op);
      if (auto dot = dyn_cast<Dot4Op>(op))
        lowerDot4(rewriter, dot);
      else if (auto lookup = dyn_cast<LookupBytesOp>(op))
        lowerLookupBytes(rewriter, lookup);
    });
  }
};
} // namespace
