//===- Parallel.cpp - multi-core execution of the kernels' loop bands -----===//
//
// qops-outline-parallel-loops: the loop bands the kernels mark as parallel
// become functions of an iteration range [begin, end), called once over
// every iteration. qops-parallel-dispatch: in the LLVM dialect, entry
// functions take the caller's parallel-for (a `quant_parallel *`) and call
// it with those functions split into tasks.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Conversion/LoweringSupport/LoweringSupport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"

#include "llvm/ADT/SetVector.h"

namespace mlir::qops {
#define GEN_PASS_DEF_QOPSOUTLINEPARALLELLOOPSPASS
#define GEN_PASS_DEF_QOPSPARALLELDISPATCHPASS
#include "quant-ops/Conversion/Passes.h.inc"
} // namespace mlir::qops

using namespace mlir;
using namespace mlir::qops;

//===----------------------------------------------------------------------===//
// Outlining
//===----------------------------------------------------------------------===//

namespace {
/// One loop of a band: constant bounds and its trip count.
struct BandLoop {
  scf::ForOp loop;
  int64_t lower = 0, step = 1, trips = 0;
};

/// What the outlined function needs from outside the band.
struct Captures {
  /// Values passed as arguments (after `begin` and `end`).
  SmallVector<Value> passed;
  /// Operations re-created inside, operands before users.
  llvm::SetVector<Operation *> cloned;
  DenseSet<Value> seen;
};
} // namespace

/// The loop's constant bounds and trip count; nullopt for a loop with
/// non-constant bounds or loop-carried values.
static std::optional<BandLoop> getBandLoop(scf::ForOp loop) {
  if (!loop->hasAttr(kParallelAttrName) || loop.getNumRegionIterArgs() != 0)
    return std::nullopt;
  std::optional<int64_t> lower = getConstantIntValue(loop.getLowerBound());
  std::optional<int64_t> upper = getConstantIntValue(loop.getUpperBound());
  std::optional<int64_t> step = getConstantIntValue(loop.getStep());
  if (!lower || !upper || !step || *step <= 0)
    return std::nullopt;
  int64_t trips = *upper > *lower ? (*upper - *lower + *step - 1) / *step : 0;
  return BandLoop{loop, *lower, *step, trips};
}

/// `outer` and the marked loops perfectly nested in it.
static SmallVector<BandLoop> getBand(scf::ForOp outer) {
  SmallVector<BandLoop> band;
  std::optional<BandLoop> loop = getBandLoop(outer);
  while (loop) {
    band.push_back(*loop);
    Block *body = loop->loop.getBody();
    if (!llvm::hasSingleElement(body->without_terminator()))
      break;
    auto inner = dyn_cast<scf::ForOp>(body->front());
    loop = inner ? getBandLoop(inner) : std::nullopt;
  }
  return band;
}

/// A buffer or scalar the outlined function can take as an argument: after
/// the bare-pointer conversion, a pointer, a number or a vector of them.
static bool isPassable(Value value) {
  Type type = value.getType();
  if (type.isIntOrIndexOrFloat())
    return true;
  // Values hoisted out of the band (bias and requantization vectors).
  if (auto vector = dyn_cast<VectorType>(type))
    return vector.getRank() == 1 && !vector.isScalable() &&
           vector.getElementType().isIntOrFloat();
  auto memref = dyn_cast<MemRefType>(type);
  return memref && memref.hasStaticShape() && memref.getLayout().isIdentity() &&
         !memref.getMemorySpace();
}

/// Records how the outlined function gets `value`: re-created when its
/// producer has no memory effects and no regions (constants, globals,
/// views), else passed. Fails for a value it can get neither way.
static LogicalResult capture(Value value, Captures &captures) {
  if (!captures.seen.insert(value).second)
    return success();
  Operation *producer = value.getDefiningOp();
  if (producer && producer->getNumRegions() == 0 &&
      isMemoryEffectFree(producer)) {
    for (Value operand : producer->getOperands())
      if (failed(capture(operand, captures)))
        return failure();
    captures.cloned.insert(producer);
    return success();
  }
  if (!isPassable(value))
    return failure();
  captures.passed.push_back(value);
  return success();
}

/// A rough count of the operations `block` executes: nested loops of
/// constant bounds count their trips.
static int64_t estimateWork(Block &block) {
  int64_t work = 0;
  for (Operation &op : block) {
    int64_t inner = 0;
    for (Region &region : op.getRegions())
      for (Block &nested : region)
        inner += estimateWork(nested);
    if (auto loop = dyn_cast<scf::ForOp>(op)) {
      std::optional<int64_t> lower = getConstantIntValue(loop.getLowerBound());
      std::optional<int64_t> upper = getConstantIntValue(loop.getUpperBound());
      std::optional<int64_t> step = getConstantIntValue(loop.getStep());
      if (lower && upper && step && *step > 0)
        inner *= std::max<int64_t>(0, (*upper - *lower + *step - 1) / *step);
    }
    work = std::min<int64_t>(work + 1 + inner, int64_t(1) << 40);
  }
  return work;
}

/// Lowers the top-level linalg ops of `function` on buffers (element-wise
/// ops, copies into padded buffers, fills, pools: what the kernels leave)
/// to loops and marks the loops of their leading parallel dimensions but
/// the innermost.
/// Bufferization lets an op write a buffer it reads only element for
/// element, so iterations of parallel dimensions stay independent.
static void markLinalgLoops(func::FuncOp function) {
  SmallVector<linalg::LinalgOp> ops;
  for (Operation &op : function.getBody().getOps())
    if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
        linalgOp && linalgOp.hasPureBufferSemantics())
      ops.push_back(linalgOp);
  IRRewriter rewriter(function.getContext());
  for (linalg::LinalgOp op : ops) {
    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    size_t leading = 0;
    while (leading < iterators.size() &&
           iterators[leading] == utils::IteratorType::parallel)
      ++leading;
    if (leading == 0)
      continue;
    rewriter.setInsertionPoint(op);
    FailureOr<linalg::LinalgLoops> loops = linalg::linalgOpToLoops(rewriter, op);
    if (failed(loops))
      continue;
    rewriter.eraseOp(op);
    // The innermost loop stays a plain loop, which LLVM vectorizes (a band
    // is linearized: its indices are divisions of one counter).
    leading = std::min(leading, loops->size() - 1);
    for (Operation *loop : ArrayRef<Operation *>(*loops).take_front(leading))
      if (isa<scf::ForOp>(loop))
        loop->setAttr(kParallelAttrName, rewriter.getUnitAttr());
  }
}

/// Outlines `band` (see the pass description); fails, changing nothing,
/// when it captures a value it cannot pass.
static LogicalResult outlineBand(ArrayRef<BandLoop> band, func::FuncOp parent,
                                 SymbolTable &symbols, int64_t index,
                                 int64_t minWork) {
  scf::ForOp outer = band.front().loop;
  int64_t total = 1;
  for (const BandLoop &loop : band)
    total *= loop.trips;
  Block *innerBody = scf::ForOp(band.back().loop).getBody();
  if (total < 2 || total * estimateWork(*innerBody) < minWork)
    return failure();

  llvm::SetVector<Value> used;
  getUsedValuesDefinedAbove(outer.getRegion(), used);
  Captures captures;
  for (Value value : used)
    if (failed(capture(value, captures)))
      return failure();

  MLIRContext *context = parent.getContext();
  Location loc = outer.getLoc();
  OpBuilder b(context);
  Type indexType = b.getIndexType();
  SmallVector<Type> argTypes{indexType, indexType};
  for (Value value : captures.passed)
    argTypes.push_back(value.getType());
  b.setInsertionPointAfter(parent);
  auto function = func::FuncOp::create(
      b, loc, (parent.getName() + "_parallel" + Twine(index)).str(),
      FunctionType::get(context, argTypes, {}));
  function.setPrivate();
  function->setAttr(kParallelTaskAttrName, b.getI64IntegerAttr(total));
  symbols.insert(function);

  Block *entry = function.addEntryBlock();
  b.setInsertionPointToStart(entry);
  IRMapping mapping;
  for (auto [i, value] : llvm::enumerate(captures.passed))
    mapping.map(value, entry->getArgument(2 + i));
  for (Operation *op : captures.cloned)
    b.clone(*op, mapping);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  auto loop = scf::ForOp::create(b, loc, entry->getArgument(0),
                                 entry->getArgument(1), one);
  b.setInsertionPointToStart(loop.getBody());
  // The band's indices from the linear one, outermost slowest.
  int64_t stride = total;
  for (const BandLoop &bandLoop : band) {
    stride /= bandLoop.trips;
    Value position = loop.getInductionVar();
    if (stride != 1)
      position = arith::DivUIOp::create(
          b, loc, position, arith::ConstantIndexOp::create(b, loc, stride));
    if (&bandLoop != &band.front())
      position = arith::RemUIOp::create(
          b, loc, position,
          arith::ConstantIndexOp::create(b, loc, bandLoop.trips));
    Value iv = arith::AddIOp::create(
        b, loc, arith::ConstantIndexOp::create(b, loc, bandLoop.lower),
        arith::MulIOp::create(
            b, loc, position,
            arith::ConstantIndexOp::create(b, loc, bandLoop.step)));
    mapping.map(scf::ForOp(bandLoop.loop).getInductionVar(), iv);
  }
  for (Operation &op : innerBody->without_terminator())
    b.clone(op, mapping);
  b.setInsertionPointToEnd(entry);
  func::ReturnOp::create(b, loc);
  // Marks inside the band are served by the band.
  function.walk([](scf::ForOp inner) { inner->removeAttr(kParallelAttrName); });

  // The band becomes one call over all its iterations.
  b.setInsertionPoint(outer);
  SmallVector<Value> args{arith::ConstantIndexOp::create(b, loc, 0),
                          arith::ConstantIndexOp::create(b, loc, total)};
  args.append(captures.passed.begin(), captures.passed.end());
  func::CallOp::create(b, loc, function, args);
  outer.erase();
  return success();
}

namespace {
struct QOpsOutlineParallelLoopsPass
    : public qops::impl::QOpsOutlineParallelLoopsPassBase<
          QOpsOutlineParallelLoopsPass> {
  using Base::Base;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<func::FuncOp> functions(module.getOps<func::FuncOp>());
    for (func::FuncOp function : functions) {
      if (function.isExternal() || function->hasAttr(kParallelTaskAttrName))
        continue;
      markLinalgLoops(function);
      SmallVector<scf::ForOp> outermost;
      function.walk<WalkOrder::PreOrder>([&](scf::ForOp loop) {
        if (!loop->hasAttr(kParallelAttrName))
          return WalkResult::advance();
        outermost.push_back(loop);
        return WalkResult::skip();
      });
      int64_t index = 0;
      for (scf::ForOp loop : outermost) {
        SmallVector<BandLoop> band = getBand(loop);
        if (band.empty() ||
            failed(outlineBand(band, function, symbols, index, minWork)))
          loop.walk([](scf::ForOp inner) {
            inner->removeAttr(kParallelAttrName);
          });
        else
          ++index;
      }
    }
  }
};
} // namespace

//===----------------------------------------------------------------------===//
// Dispatch
//===----------------------------------------------------------------------===//

namespace {
/// Builds the LLVM-dialect code of the dispatch.
class DispatchBuilder {
public:
  explicit DispatchBuilder(ModuleOp module)
      : module(module), context(module.getContext()), b(context),
        ptrType(LLVM::LLVMPointerType::get(context)),
        i32Type(IntegerType::get(context, 32)),
        i64Type(IntegerType::get(context, 64)),
        parallelType(LLVM::LLVMStructType::getLiteral(
            context, {ptrType, ptrType, i32Type})) {}

  /// Rewrites `call` of the loop function `task` (N iterations) in
  /// `function`, whose last argument is the `quant_parallel *`.
  void rewriteCall(LLVM::LLVMFuncOp function, LLVM::CallOp call,
                   LLVM::LLVMFuncOp task, int64_t total);

private:
  Value constant(Location loc, Type type, int64_t value) {
    return LLVM::ConstantOp::create(b, loc, type,
                                    b.getIntegerAttr(type, value));
  }
  Value field(Location loc, Type structType, Value base, int32_t index) {
    return LLVM::GEPOp::create(b, loc, ptrType, structType, base,
                               ArrayRef<LLVM::GEPArg>{0, index});
  }
  /// `void <task>_run(void *context, int i)`: iterations
  /// [i * N / T, (i + 1) * N / T) of `task`, its arguments read from the
  /// context {i64 N, i64 T, arguments...}.
  LLVM::LLVMFuncOp getRunner(LLVM::LLVMFuncOp task,
                             LLVM::LLVMStructType contextType);

  ModuleOp module;
  MLIRContext *context;
  OpBuilder b;
  Type ptrType, i32Type, i64Type;
  LLVM::LLVMStructType parallelType;
  DenseMap<Operation *, LLVM::LLVMFuncOp> runners;
};
} // namespace

LLVM::LLVMFuncOp DispatchBuilder::getRunner(LLVM::LLVMFuncOp task,
                                            LLVM::LLVMStructType contextType) {
  if (LLVM::LLVMFuncOp existing = runners.lookup(task))
    return existing;
  Location loc = task.getLoc();
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointAfter(task);
  auto runner = LLVM::LLVMFuncOp::create(
      b, loc, (task.getName() + "_run").str(),
      LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(context),
                                  {ptrType, i32Type}),
      LLVM::Linkage::Internal);
  SymbolTable(module).insert(runner);
  Block *entry = runner.addEntryBlock(b);
  b.setInsertionPointToStart(entry);
  Value ctx = entry->getArgument(0);
  Value i = LLVM::SExtOp::create(b, loc, i64Type, entry->getArgument(1));
  Value total = LLVM::LoadOp::create(b, loc, i64Type,
                                     field(loc, contextType, ctx, 0));
  Value tasks = LLVM::LoadOp::create(b, loc, i64Type,
                                     field(loc, contextType, ctx, 1));
  auto bound = [&](Value k) {
    return LLVM::UDivOp::create(b, loc, LLVM::MulOp::create(b, loc, k, total),
                                tasks);
  };
  SmallVector<Value> args{
      bound(i), bound(LLVM::AddOp::create(b, loc, i, constant(loc, i64Type, 1)))};
  Type beginType = task.getFunctionType().getParamType(0);
  if (beginType != i64Type)
    for (Value &arg : args)
      arg = LLVM::TruncOp::create(b, loc, beginType, arg);
  for (auto [k, type] :
       llvm::enumerate(task.getFunctionType().getParams().drop_front(2)))
    args.push_back(LLVM::LoadOp::create(
        b, loc, type, field(loc, contextType, ctx, 2 + k)));
  LLVM::CallOp::create(b, loc, task, args);
  LLVM::ReturnOp::create(b, loc, ValueRange());
  runners[task] = runner;
  return runner;
}

void DispatchBuilder::rewriteCall(LLVM::LLVMFuncOp function, LLVM::CallOp call,
                                  LLVM::LLVMFuncOp task, int64_t total) {
  Location loc = call.getLoc();
  SmallVector<Type> fields{i64Type, i64Type};
  for (Value arg : call.getArgOperands().drop_front(2))
    fields.push_back(arg.getType());
  auto contextType = LLVM::LLVMStructType::getLiteral(context, fields);
  LLVM::LLVMFuncOp runner = getRunner(task, contextType);

  // The task context lives in the caller's frame.
  Block &entry = function.getBody().front();
  b.setInsertionPointToStart(&entry);
  Value taskContext = LLVM::AllocaOp::create(
      b, loc, ptrType, contextType, constant(loc, i64Type, 1),
      /*alignment=*/kWorkspaceAlignment);

  // before: ... call ...  ->  before: test; serial: call; parallel: ...;
  // after: ...
  Block *before = call->getBlock();
  Block *after = before->splitBlock(std::next(call->getIterator()));
  Block *serial = b.createBlock(after);
  Block *check = b.createBlock(after);
  Block *parallel = b.createBlock(after);
  call->moveBefore(serial, serial->end());
  b.setInsertionPointToEnd(serial);
  LLVM::BrOp::create(b, loc, after);

  b.setInsertionPointToEnd(before);
  Value par = function.getArguments().back();
  Value isNull = LLVM::ICmpOp::create(
      b, loc, LLVM::ICmpPredicate::eq, par,
      LLVM::ZeroOp::create(b, loc, ptrType));
  LLVM::CondBrOp::create(b, loc, isNull, serial, check);

  // T = min(max_tasks, N); one task or fewer runs on this thread.
  b.setInsertionPointToEnd(check);
  Value maxTasks = LLVM::SExtOp::create(
      b, loc, i64Type,
      LLVM::LoadOp::create(b, loc, i32Type, field(loc, parallelType, par, 2)));
  Value totalValue = constant(loc, i64Type, total);
  Value tasks = LLVM::SelectOp::create(
      b, loc,
      LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::slt, maxTasks,
                           totalValue),
      maxTasks, totalValue);
  Value several = LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::sgt, tasks,
                                       constant(loc, i64Type, 1));
  LLVM::CondBrOp::create(b, loc, several, parallel, serial);

  b.setInsertionPointToEnd(parallel);
  SmallVector<Value> values{totalValue, tasks};
  values.append(call.getArgOperands().begin() + 2,
                call.getArgOperands().end());
  for (auto [k, value] : llvm::enumerate(values))
    LLVM::StoreOp::create(b, loc, value,
                          field(loc, contextType, taskContext, k));
  Value parallelFor =
      LLVM::LoadOp::create(b, loc, ptrType, field(loc, parallelType, par, 0));
  Value callerContext =
      LLVM::LoadOp::create(b, loc, ptrType, field(loc, parallelType, par, 1));
  Value run = LLVM::AddressOfOp::create(b, loc, runner);
  auto parallelForType = LLVM::LLVMFunctionType::get(
      LLVM::LLVMVoidType::get(context), {ptrType, i32Type, ptrType, ptrType});
  LLVM::CallOp::create(
      b, loc, parallelForType,
      ValueRange{parallelFor, callerContext,
                 LLVM::TruncOp::create(b, loc, i32Type, tasks), run,
                 taskContext});
  LLVM::BrOp::create(b, loc, after);
}

/// A loop function of qops-outline-parallel-loops: `(begin, end, ...)`
/// with integer bounds of at most 64 bits, no result and a positive
/// iteration count (anything else, say a hand-written attribute, is left
/// alone).
static bool isLoopFunction(LLVM::LLVMFuncOp task) {
  auto total = task->getAttrOfType<IntegerAttr>(kParallelTaskAttrName);
  LLVM::LLVMFunctionType type = task.getFunctionType();
  if (!total || total.getValue().getSignificantBits() > 64 ||
      total.getInt() < 1 || type.getNumParams() < 2 || type.isVarArg() ||
      !isa<LLVM::LLVMVoidType>(type.getReturnType()))
    return false;
  auto begin = dyn_cast<IntegerType>(type.getParamType(0));
  return begin && begin == type.getParamType(1) && begin.getWidth() <= 64 &&
         begin.getWidth() >= 32;
}

namespace {
struct QOpsParallelDispatchPass
    : public qops::impl::QOpsParallelDispatchPassBase<QOpsParallelDispatchPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *context = module.getContext();
    DispatchBuilder builder(module);
    SmallVector<LLVM::LLVMFuncOp> functions(
        module.getOps<LLVM::LLVMFuncOp>());
    for (LLVM::LLVMFuncOp function : functions) {
      // Entry functions only, once (the pipeline may run again on its
      // own output).
      if (function.isExternal() || !function->hasAttr(kSignatureAttrName) ||
          function->hasAttr(kParallelAttrName))
        continue;
      SmallVector<std::pair<LLVM::CallOp, LLVM::LLVMFuncOp>> calls;
      function.walk([&](LLVM::CallOp call) {
        auto callee = call.getCallee();
        if (!callee)
          return;
        auto task = module.lookupSymbol<LLVM::LLVMFuncOp>(*callee);
        if (task && isLoopFunction(task) && call.getNumResults() == 0)
          calls.push_back({call, task});
      });
      if (calls.empty())
        continue;
      auto ptrType = LLVM::LLVMPointerType::get(context);
      LLVM::LLVMFunctionType type = function.getFunctionType();
      SmallVector<Type> params(type.getParams());
      params.push_back(ptrType);
      function.setFunctionType(LLVM::LLVMFunctionType::get(
          type.getReturnType(), params, type.isVarArg()));
      function.getBody().addArgument(ptrType, function.getLoc());
      if (ArrayAttr argAttrs = function.getArgAttrsAttr()) {
        SmallVector<Attribute> attrs(argAttrs.getValue());
        attrs.push_back(DictionaryAttr::get(context));
        function.setArgAttrsAttr(ArrayAttr::get(context, attrs));
      }
      function->setAttr(kParallelAttrName, UnitAttr::get(context));
      for (auto [call, task] : calls) {
        // An internal detail of the object.
        task.setLinkage(LLVM::Linkage::Internal);
        builder.rewriteCall(
            function, call, task,
            task->getAttrOfType<IntegerAttr>(kParallelTaskAttrName).getInt());
      }
    }
  }
};
} // namespace
