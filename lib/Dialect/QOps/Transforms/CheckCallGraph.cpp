//===- CheckCallGraph.cpp - reject call cycles ----------------------------===//
//
// --check-call-graph: a function that calls itself, directly or through
// other functions, is an error at the call closing the cycle.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Dialect/QOps/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringExtras.h"

namespace mlir::qops {
#define GEN_PASS_DEF_QOPSCHECKCALLGRAPHPASS
#include "quant-ops/Dialect/QOps/Transforms/Passes.h.inc"
} // namespace mlir::qops

using namespace mlir;

namespace {
/// One direct call: the call op and the function it calls.
struct CallEdge {
  Operation *call;
  Operation *callee;
};
} // namespace

LogicalResult mlir::qops::checkNoRecursion(ModuleOp module) {
  // The direct calls of every function of the module, in program order.
  SymbolTableCollection symbols;
  SmallVector<Operation *> functions;
  llvm::DenseMap<Operation *, SmallVector<CallEdge>> calls;
  for (Operation &op : module.getBody()->getOperations()) {
    auto function = dyn_cast<FunctionOpInterface>(op);
    if (!function)
      continue;
    functions.push_back(function);
    SmallVector<CallEdge> &edges = calls[function];
    function->walk([&](CallOpInterface call) {
      auto symbol =
          dyn_cast_if_present<SymbolRefAttr>(call.getCallableForCallee());
      if (!symbol)
        return; // An indirect call.
      Operation *callee = symbols.lookupNearestSymbolFrom(call, symbol);
      if (callee && isa<FunctionOpInterface>(callee))
        edges.push_back({call, callee});
    });
  }

  // Depth-first search without recursion (call chains may be long): a call
  // to a function still on the path closes a cycle.
  enum class State { New, OnPath, Done };
  llvm::DenseMap<Operation *, State> state;
  bool failed = false;
  struct Frame {
    Operation *function;
    unsigned next;
  };
  for (Operation *root : functions) {
    if (state.lookup(root) != State::New)
      continue;
    SmallVector<Frame> path = {{root, 0}};
    state[root] = State::OnPath;
    while (!path.empty()) {
      Frame &frame = path.back();
      SmallVector<CallEdge> &edges = calls[frame.function];
      if (frame.next == edges.size()) {
        state[frame.function] = State::Done;
        path.pop_back();
        continue;
      }
      CallEdge edge = edges[frame.next++];
      State calleeState = state.lookup(edge.callee);
      if (calleeState == State::Done)
        continue;
      if (calleeState == State::New) {
        state[edge.callee] = State::OnPath;
        path.push_back({edge.callee, 0});
        continue;
      }
      // The cycle: from the callee's frame on the path to this call.
      SmallVector<std::string> names;
      auto start = llvm::find_if(
          path, [&](const Frame &f) { return f.function == edge.callee; });
      for (const Frame &f : llvm::make_range(start, path.end()))
        names.push_back("@" +
                        cast<SymbolOpInterface>(f.function).getName().str());
      names.push_back(names.front());
      InFlightDiagnostic diag =
          edge.call->emitError()
          << "recursion is not supported: call cycle "
          << llvm::join(names, " -> ");
      if (names.size() == 2)
        diag << " (the function calls itself)";
      diag << "; the generated code would overflow the stack";
      failed = true;
    }
  }
  return failure(failed);
}

namespace {
struct QOpsCheckCallGraphPass
    : public qops::impl::QOpsCheckCallGraphPassBase<QOpsCheckCallGraphPass> {
  void runOnOperation() override {
    if (failed(qops::checkNoRecursion(getOperation())))
      signalPassFailure();
    markAllAnalysesPreserved();
  }
};
} // namespace
