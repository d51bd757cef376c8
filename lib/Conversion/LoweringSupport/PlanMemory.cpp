//===- PlanMemory.cpp - a static memory plan for entry functions ---------===//
//
// qops-plan-memory: the intermediate buffers of an entry function become
// views of one workspace argument, placed by lifetime.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Conversion/LoweringSupport/LoweringSupport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/SymbolTable.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"

#include <algorithm>

namespace mlir::qops {
#define GEN_PASS_DEF_QOPSPLANMEMORYPASS
#include "quant-ops/Conversion/Passes.h.inc"
} // namespace mlir::qops

using namespace mlir;
using namespace mlir::qops;

namespace {
/// A buffer to place: its allocation, size and lifetime, in positions of
/// the function body's operations (both ends included).
struct PlannedBuffer {
  memref::AllocOp alloc;
  int64_t bytes = 0, start = 0, end = 0, offset = -1;
};
} // namespace

/// The position of each operation of `body`, in order.
static llvm::DenseMap<Operation *, int64_t> operationPositions(Block &body) {
  llvm::DenseMap<Operation *, int64_t> positions;
  for (auto [i, op] : llvm::enumerate(body))
    positions[&op] = i;
  return positions;
}

/// Bytes of a static, identity-layout allocation; nullopt otherwise.
static std::optional<int64_t> allocationBytes(memref::AllocOp alloc) {
  MemRefType type = alloc.getType();
  if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
      !alloc.getDynamicSizes().empty() || !alloc.getSymbolOperands().empty() ||
      type.getMemorySpace())
    return std::nullopt;
  Type element = type.getElementType();
  if (!element.isIntOrFloat())
    return std::nullopt;
  int64_t elementBytes = (element.getIntOrFloatBitWidth() + 7) / 8;
  return std::max<int64_t>(1, type.getNumElements() * elementBytes);
}

/// The lifetime of `alloc` in the positions of `body`'s operations: the
/// alloc and every user of a value that may alias it (any memref result of
/// a user, loop-carried values and loop results of scf.for, results of the
/// operation an scf.yield belongs to). Fails when the buffer escapes (a
/// return or branch) or, for an allocation nested in a region, when it is
/// carried out of its iteration.
static LogicalResult
computeLifetime(memref::AllocOp alloc, Block &body,
                const llvm::DenseMap<Operation *, int64_t> &positions,
                PlannedBuffer &buffer) {
  Operation *top = body.findAncestorOpInBlock(*alloc);
  if (!top)
    return failure();
  bool nested = top != alloc.getOperation();
  buffer.start = buffer.end = positions.lookup(top);
  llvm::SetVector<Value> aliases;
  aliases.insert(alloc.getResult());
  for (size_t i = 0; i < aliases.size(); ++i) {
    Value value = aliases[i];
    for (OpOperand &use : value.getUses()) {
      Operation *user = use.getOwner();
      if (user->hasTrait<OpTrait::IsTerminator>() && !isa<scf::YieldOp>(user))
        return failure();
      if (auto yield = dyn_cast<scf::YieldOp>(user)) {
        if (nested)
          return failure();
        Operation *parent = yield->getParentOp();
        unsigned index = use.getOperandNumber();
        if (index < parent->getNumResults())
          aliases.insert(parent->getResult(index));
        if (auto loop = dyn_cast<scf::ForOp>(parent))
          aliases.insert(loop.getRegionIterArgs()[index]);
      } else if (auto loop = dyn_cast<scf::ForOp>(user)) {
        if (OpResult result = loop.getTiedLoopResult(&use)) {
          aliases.insert(result);
          aliases.insert(loop.getTiedLoopRegionIterArg(&use));
        }
      } else {
        for (Value result : user->getResults())
          if (isa<BaseMemRefType>(result.getType()))
            aliases.insert(result);
      }
      Operation *ancestor = body.findAncestorOpInBlock(*user);
      if (!ancestor)
        return failure();
      int64_t position = positions.lookup(ancestor);
      buffer.start = std::min(buffer.start, position);
      buffer.end = std::max(buffer.end, position);
    }
  }
  return success();
}

/// The values that stand for the whole of `alloc`'s buffer: the
/// allocation, the iteration arguments and results of the scf.for loops it
/// is carried through and the results of the scf.if ops that yield it from
/// both branches. Empty when a loop carrying it may yield another
/// buffer or it reaches another region terminator.
static SmallVector<Value> wholeBufferValues(memref::AllocOp alloc) {
  llvm::SetVector<Value> values;
  values.insert(alloc.getResult());
  for (size_t i = 0; i < values.size(); ++i) {
    for (OpOperand &use : values[i].getUses()) {
      Operation *user = use.getOwner();
      if (auto loop = dyn_cast<scf::ForOp>(user)) {
        if (OpResult result = loop.getTiedLoopResult(&use)) {
          values.insert(result);
          values.insert(loop.getTiedLoopRegionIterArg(&use));
        }
      } else if (isa<scf::YieldOp>(user)) {
        // A branch of an scf.if (the packed kernels' row ends) yields it:
        // the if's result too, checked below.
        if (auto branch = dyn_cast<scf::IfOp>(user->getParentOp()))
          values.insert(branch.getResult(use.getOperandNumber()));
        else if (!isa<scf::ForOp>(user->getParentOp()))
          return {};
      } else if (user->hasTrait<OpTrait::IsTerminator>()) {
        return {};
      }
    }
  }
  // Every scf.if that yields the buffer yields it from both branches.
  for (Value value : values)
    if (auto result = dyn_cast<OpResult>(value))
      if (auto branch = dyn_cast<scf::IfOp>(result.getOwner()))
        if (!branch.elseBlock() ||
            !values.contains(
                branch.thenYield().getOperand(result.getResultNumber())) ||
            !values.contains(
                branch.elseYield().getOperand(result.getResultNumber())))
          return {};
  // Every loop that carries the buffer must yield it back.
  for (Value value : values) {
    auto iterArg = dyn_cast<BlockArgument>(value);
    if (!iterArg)
      continue;
    auto loop = dyn_cast<scf::ForOp>(iterArg.getOwner()->getParentOp());
    if (!loop || iterArg.getArgNumber() < loop.getNumInductionVars())
      return {};
    unsigned index = iterArg.getArgNumber() - loop.getNumInductionVars();
    if (!values.contains(loop.getYieldedValues()[index]))
      return {};
  }
  return values.takeVector();
}

/// Computes each result of `func` directly in its caller's output buffer
/// where the lowering computed it in a buffer of its own and copied it out
/// at the end (a result carried through loops, which BufferResultsToOutParams
/// does not hoist): the allocation becomes the output argument and the copy
/// goes. Output buffers are the caller's and overlap no input, so writing
/// them early is invisible; an output argument used by anything but that
/// one copy, or a buffer used after the copy, is left alone.
static void computeResultsInPlace(func::FuncOp func, Block &body,
                                  unsigned numInputs) {
  for (BlockArgument output : body.getArguments().drop_front(numInputs)) {
    if (!output.hasOneUse())
      continue;
    auto copy = dyn_cast<memref::CopyOp>(*output.user_begin());
    auto outputType = dyn_cast<MemRefType>(output.getType());
    if (!copy || copy.getTarget() != output || copy->getBlock() != &body ||
        !outputType || !outputType.hasStaticShape() ||
        !outputType.getLayout().isIdentity() || outputType.getRank() == 0)
      continue;
    // The copied value: a whole buffer allocated in the function's body,
    // possibly reshaped (collapse_shape / expand_shape keep the element
    // order of these contiguous buffers).
    Value source = copy.getSource();
    while (Operation *def = source.getDefiningOp()) {
      if (auto collapse = dyn_cast<memref::CollapseShapeOp>(def))
        source = collapse.getSrc();
      else if (auto expand = dyn_cast<memref::ExpandShapeOp>(def))
        source = expand.getSrc();
      else
        break;
    }
    memref::AllocOp alloc;
    for (Operation &op : body) {
      auto candidate = dyn_cast<memref::AllocOp>(op);
      if (!candidate || !allocationBytes(candidate) ||
          candidate.getType().getRank() == 0 ||
          candidate.getType().getElementType() !=
              outputType.getElementType() ||
          candidate.getType().getNumElements() != outputType.getNumElements())
        continue;
      if (llvm::is_contained(wholeBufferValues(candidate), source)) {
        alloc = candidate;
        break;
      }
    }
    if (!alloc)
      continue;
    // Recomputed per output: an earlier rewrite erased operations.
    llvm::DenseMap<Operation *, int64_t> positions = operationPositions(body);
    PlannedBuffer lifetime;
    if (failed(computeLifetime(alloc, body, positions, lifetime)) ||
        lifetime.end != positions.lookup(copy))
      continue;
    // The output seen with the allocation's shape: flattened, then expanded.
    Value replacement = output;
    MemRefType allocType = alloc.getType();
    if (allocType != outputType) {
      OpBuilder builder(alloc);
      Location loc = alloc.getLoc();
      auto all = [](int64_t rank) {
        return SmallVector<ReassociationIndices>{
            llvm::to_vector(llvm::seq<int64_t>(0, rank))};
      };
      if (outputType.getRank() > 1)
        replacement = memref::CollapseShapeOp::create(
            builder, loc, replacement, all(outputType.getRank()));
      if (allocType.getRank() > 1)
        replacement = memref::ExpandShapeOp::create(
            builder, loc, allocType, replacement, all(allocType.getRank()));
    }
    copy->erase();
    alloc.replaceAllUsesWith(replacement);
    alloc.erase();
  }
}

/// Places `buffers` (offsets set); returns the workspace size.
static int64_t packBuffers(MutableArrayRef<PlannedBuffer> buffers) {
  SmallVector<PlannedBuffer *> order;
  for (PlannedBuffer &buffer : buffers)
    order.push_back(&buffer);
  // Largest first; equal sizes in program order (pointers into one array).
  llvm::sort(order, [](PlannedBuffer *a, PlannedBuffer *b) {
    return a->bytes != b->bytes ? a->bytes > b->bytes : a < b;
  });
  SmallVector<PlannedBuffer *> placed;
  int64_t size = 0;
  for (PlannedBuffer *buffer : order) {
    // The placed buffers alive at the same time, by offset.
    SmallVector<PlannedBuffer *> live;
    for (PlannedBuffer *other : placed)
      if (other->start <= buffer->end && buffer->start <= other->end)
        live.push_back(other);
    llvm::sort(live, [](PlannedBuffer *a, PlannedBuffer *b) {
      return a->offset < b->offset;
    });
    int64_t offset = 0;
    for (PlannedBuffer *other : live) {
      if (offset + buffer->bytes <= other->offset)
        break;
      offset =
          std::max(offset, alignWorkspaceBytes(other->offset + other->bytes));
    }
    buffer->offset = offset;
    size = std::max(size, alignWorkspaceBytes(offset + buffer->bytes));
    placed.push_back(buffer);
  }
  return size;
}

namespace {
struct QOpsPlanMemoryPass
    : public qops::impl::QOpsPlanMemoryPassBase<QOpsPlanMemoryPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal() || !func->hasAttr(kSignatureAttrName) ||
          func->hasAttr(kWorkspaceSizeAttrName) ||
          !SymbolTable::symbolKnownUseEmpty(func, module) ||
          !func.getBody().hasOneBlock())
        continue;
      if (failed(planFunction(func)))
        return signalPassFailure();
    }
  }

  LogicalResult planFunction(func::FuncOp func) {
    Block &body = func.getBody().front();
    auto signature = func->getAttrOfType<TypeAttr>(kSignatureAttrName);
    if (auto type = dyn_cast_or_null<FunctionType>(
            signature ? signature.getValue() : Type()))
      if (type.getNumInputs() <= body.getNumArguments())
        computeResultsInPlace(func, body, type.getNumInputs());
    llvm::DenseMap<Operation *, int64_t> positions = operationPositions(body);
    SmallVector<PlannedBuffer> buffers;
    func.walk([&](memref::AllocOp alloc) {
      std::optional<int64_t> bytes = allocationBytes(alloc);
      if (!bytes)
        return;
      PlannedBuffer buffer;
      buffer.alloc = alloc;
      buffer.bytes = *bytes;
      if (succeeded(computeLifetime(alloc, body, positions, buffer)))
        buffers.push_back(buffer);
    });
    if (buffers.empty())
      return success();
    int64_t size = packBuffers(buffers);

    MLIRContext *context = func.getContext();
    auto workspaceType =
        MemRefType::get({size}, IntegerType::get(context, 8));
    unsigned index = func.getNumArguments();
    if (failed(func.insertArgument(index, workspaceType, {}, func.getLoc())))
      return func.emitError() << "cannot add the workspace argument";
    Value workspace = func.getArgument(index);
    OpBuilder builder(context);
    for (PlannedBuffer &buffer : buffers) {
      builder.setInsertionPoint(buffer.alloc);
      Location loc = buffer.alloc.getLoc();
      Value offset =
          arith::ConstantIndexOp::create(builder, loc, buffer.offset);
      Value view = memref::ViewOp::create(builder, loc,
                                          buffer.alloc.getType(), workspace,
                                          offset, ValueRange{});
      buffer.alloc.replaceAllUsesWith(view);
      buffer.alloc.erase();
    }
    func->setAttr(kWorkspaceSizeAttrName,
                  IntegerAttr::get(IntegerType::get(context, 64), size));
    int64_t total = 0;
    for (const PlannedBuffer &buffer : buffers)
      total += buffer.bytes;
    func->setAttr(kWorkspaceTensorsAttrName,
                  DenseI64ArrayAttr::get(
                      context, {static_cast<int64_t>(buffers.size()), total}));
    return success();
  }
};
} // namespace
