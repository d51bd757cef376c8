//===- ObjectEmitter.cpp - LLVM dialect to objects and C headers ----------===//
//
// C entry points over the bare-pointer functions of the lowering, the C
// header that documents them, and object emission through LLVM's
// optimization pipeline and code generator for the target CPU.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Target/ObjectEmitter.h"
#include "quant-ops/Conversion/LoweringSupport/LoweringSupport.h"
#include "quant-ops/Dialect/QOps/IR/TensorSize.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;
using namespace mlir::qops;

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

/// The functions of the module that carry a tensor-level signature.
static SmallVector<std::pair<LLVM::LLVMFuncOp, FunctionType>>
getSignedFunctions(ModuleOp module) {
  SmallVector<std::pair<LLVM::LLVMFuncOp, FunctionType>> result;
  for (auto func : module.getOps<LLVM::LLVMFuncOp>())
    if (auto attr = func->getAttrOfType<TypeAttr>(kSignatureAttrName))
      if (auto type = dyn_cast<FunctionType>(attr.getValue()))
        result.push_back({func, type});
  return result;
}

/// Declares (once) the libc function `name` of type `type`.
static LLVM::LLVMFuncOp getOrDeclare(ModuleOp module, StringRef name,
                                     LLVM::LLVMFunctionType type) {
  if (auto existing = module.lookupSymbol<LLVM::LLVMFuncOp>(name))
    return existing;
  OpBuilder builder(module.getBodyRegion());
  return LLVM::LLVMFuncOp::create(builder, module.getLoc(), name, type);
}

/// Calls `impl` with `args`, then, when it takes the caller's parallel-for
/// (qops-parallel-dispatch), `parallel` (null: one thread).
static void callImpl(OpBuilder &builder, Location loc, LLVM::LLVMFuncOp impl,
                     ValueRange args, Value parallel = {}) {
  SmallVector<Value> operands(args);
  if (impl->hasAttr(kParallelAttrName))
    operands.push_back(parallel ? parallel
                                : LLVM::ZeroOp::create(
                                      builder, loc,
                                      LLVM::LLVMPointerType::get(
                                          builder.getContext())));
  LLVM::CallOp::create(builder, loc, impl, operands);
}

/// `int <name>_parallel(ptrs..., void *workspace, const quant_parallel
/// *par)` (the workspace unused when `impl` takes none): returns 1 for a
/// null or misaligned workspace, 2 for a null `par`,
/// a null `par->parallel_for` or `par->max_tasks` outside [1,
/// kMaxParallelTasks]; else runs `impl` with `par` (an `impl` without
/// parallel loops runs on the calling thread).
static LogicalResult addParallelEntryPoint(SymbolTable &symbols,
                                           LLVM::LLVMFuncOp impl,
                                           Operation *after, StringRef name,
                                           size_t numPointers,
                                           bool takesWorkspace) {
  MLIRContext *context = impl.getContext();
  Location loc = impl.getLoc();
  std::string entryName = (name + "_parallel").str();
  if (symbols.lookup(entryName))
    return impl.emitError() << "cannot export '" << entryName
                            << "': the module already defines that symbol";
  OpBuilder builder(context);
  auto ptrType = LLVM::LLVMPointerType::get(context);
  auto i32Type = IntegerType::get(context, 32);
  auto i64Type = IntegerType::get(context, 64);
  auto constant = [&](Type type, int64_t value) -> Value {
    return LLVM::ConstantOp::create(builder, loc, type,
                                    builder.getIntegerAttr(type, value));
  };
  builder.setInsertionPointAfter(after);
  // The workspace parameter is there in every case, so that one driver
  // calls every object's _parallel entry alike (unused without a plan).
  size_t numParams = numPointers + 2;
  auto entry = LLVM::LLVMFuncOp::create(
      builder, loc, entryName,
      LLVM::LLVMFunctionType::get(i32Type,
                                  SmallVector<Type>(numParams, ptrType)));
  entry->setAttr(kSignatureAttrName, impl->getAttr(kSignatureAttrName));
  entry->setAttr(kParallelAttrName, UnitAttr::get(context));
  if (auto size = impl->getAttrOfType<IntegerAttr>(kWorkspaceSizeAttrName);
      size && takesWorkspace)
    entry->setAttr(kWorkspaceSizeAttrName,
                   builder.getI64IntegerAttr(alignWorkspaceBytes(size.getInt())));
  Block *start = entry.addEntryBlock(builder);
  Block *checkParallel = &entry.getBody().emplaceBlock();
  Block *checkFields = &entry.getBody().emplaceBlock();
  Block *run = &entry.getBody().emplaceBlock();
  Block *badWorkspace = &entry.getBody().emplaceBlock();
  Block *badParallel = &entry.getBody().emplaceBlock();
  SmallVector<Value> args(
      start->getArguments().drop_back(takesWorkspace ? 1 : 2));
  Value par = start->getArguments().back();
  auto isNull = [&](Value pointer) {
    return LLVM::ICmpOp::create(builder, loc, LLVM::ICmpPredicate::eq, pointer,
                                LLVM::ZeroOp::create(builder, loc, ptrType));
  };

  builder.setInsertionPointToStart(start);
  if (takesWorkspace) {
    Value address =
        LLVM::PtrToIntOp::create(builder, loc, i64Type, args.back());
    Value misaligned = LLVM::AndOp::create(
        builder, loc, address, constant(i64Type, kWorkspaceAlignment - 1));
    Value bad = LLVM::OrOp::create(
        builder, loc,
        LLVM::ICmpOp::create(builder, loc, LLVM::ICmpPredicate::eq, address,
                             constant(i64Type, 0)),
        LLVM::ICmpOp::create(builder, loc, LLVM::ICmpPredicate::ne,
                             misaligned, constant(i64Type, 0)));
    LLVM::CondBrOp::create(builder, loc, bad, badWorkspace, checkParallel);
  } else {
    LLVM::BrOp::create(builder, loc, checkParallel);
  }

  // quant_parallel: {parallel_for, context, max_tasks}.
  auto parallelType =
      LLVM::LLVMStructType::getLiteral(context, {ptrType, ptrType, i32Type});
  builder.setInsertionPointToStart(checkParallel);
  LLVM::CondBrOp::create(builder, loc, isNull(par), badParallel, checkFields);
  builder.setInsertionPointToStart(checkFields);
  Value function = LLVM::LoadOp::create(
      builder, loc, ptrType,
      LLVM::GEPOp::create(builder, loc, ptrType, parallelType, par,
                          ArrayRef<LLVM::GEPArg>{0, 0}));
  Value maxTasks = LLVM::LoadOp::create(
      builder, loc, i32Type,
      LLVM::GEPOp::create(builder, loc, ptrType, parallelType, par,
                          ArrayRef<LLVM::GEPArg>{0, 2}));
  Value bad = LLVM::OrOp::create(
      builder, loc, isNull(function),
      LLVM::OrOp::create(
          builder, loc,
          LLVM::ICmpOp::create(builder, loc, LLVM::ICmpPredicate::slt,
                               maxTasks, constant(i32Type, 1)),
          LLVM::ICmpOp::create(builder, loc, LLVM::ICmpPredicate::sgt,
                               maxTasks,
                               constant(i32Type, kMaxParallelTasks))));
  LLVM::CondBrOp::create(builder, loc, bad, badParallel, run);

  builder.setInsertionPointToStart(run);
  callImpl(builder, loc, impl, args, par);
  LLVM::ReturnOp::create(builder, loc, constant(i32Type, 0));
  builder.setInsertionPointToStart(badWorkspace);
  LLVM::ReturnOp::create(builder, loc, constant(i32Type, 1));
  builder.setInsertionPointToStart(badParallel);
  LLVM::ReturnOp::create(builder, loc, constant(i32Type, 2));
  return success();
}

/// The C entry points of `impl`, a lowered function with `numPointers`
/// tensor pointers and a trailing workspace of `size` bytes:
/// * `int <name>_with_workspace(ptrs..., void *workspace)`: the caller's
///   workspace (`size` bytes, 64-byte aligned; 1 is returned for a null or
///   misaligned one);
/// * `size_t <name>_workspace_size(void)`;
/// * `int <name>(ptrs...)`: a static arena in the object's zero-initialized
///   data, taken with an atomic flag; a call that finds it taken (another
///   thread inside) runs in a workspace from aligned_alloc, freed before it
///   returns (1 is returned if that allocation fails). A single-threaded
///   caller never allocates.
static LogicalResult addWorkspaceEntryPoints(ModuleOp module,
                                             SymbolTable &symbols,
                                             LLVM::LLVMFuncOp impl,
                                             StringRef name,
                                             size_t numPointers,
                                             int64_t size) {
  MLIRContext *context = module.getContext();
  Location loc = impl.getLoc();
  OpBuilder builder(context);
  auto ptrType = LLVM::LLVMPointerType::get(context);
  auto i32Type = IntegerType::get(context, 32);
  auto i64Type = IntegerType::get(context, 64);
  Attribute signature = impl->getAttr(kSignatureAttrName);
  for (StringRef suffix : {"_with_workspace", "_workspace_size"})
    if (symbols.lookup((name + suffix).str()))
      return impl.emitError() << "cannot export '" << name << suffix
                              << "': the module already defines that symbol";
  int64_t arenaBytes = alignWorkspaceBytes(size);
  auto constant = [&](Type type, int64_t value) -> Value {
    return LLVM::ConstantOp::create(builder, loc, type,
                                    builder.getIntegerAttr(type, value));
  };

  // <name>_workspace_size
  builder.setInsertionPointAfter(impl);
  auto sizeFunc = LLVM::LLVMFuncOp::create(
      builder, loc, (name + "_workspace_size").str(),
      LLVM::LLVMFunctionType::get(i64Type, {}));
  builder.setInsertionPointToStart(sizeFunc.addEntryBlock(builder));
  LLVM::ReturnOp::create(builder, loc, constant(i64Type, arenaBytes));

  // <name>_with_workspace
  builder.setInsertionPointAfter(sizeFunc);
  auto withWorkspace = LLVM::LLVMFuncOp::create(
      builder, loc, (name + "_with_workspace").str(),
      LLVM::LLVMFunctionType::get(
          i32Type, SmallVector<Type>(numPointers + 1, ptrType)));
  withWorkspace->setAttr(kSignatureAttrName, signature);
  withWorkspace->setAttr(kWorkspaceSizeAttrName,
                         builder.getI64IntegerAttr(arenaBytes));
  {
    Block *entry = withWorkspace.addEntryBlock(builder);
    Block *run = &withWorkspace.getBody().emplaceBlock();
    Block *reject = &withWorkspace.getBody().emplaceBlock();
    builder.setInsertionPointToStart(entry);
    Value workspace = entry->getArguments().back();
    Value address = LLVM::PtrToIntOp::create(builder, loc, i64Type, workspace);
    Value misaligned = LLVM::AndOp::create(
        builder, loc, address, constant(i64Type, kWorkspaceAlignment - 1));
    Value bad = LLVM::OrOp::create(
        builder, loc,
        LLVM::ICmpOp::create(builder, loc, LLVM::ICmpPredicate::eq, address,
                             constant(i64Type, 0)),
        LLVM::ICmpOp::create(builder, loc, LLVM::ICmpPredicate::ne,
                             misaligned, constant(i64Type, 0)));
    LLVM::CondBrOp::create(builder, loc, bad, reject, run);
    builder.setInsertionPointToStart(reject);
    LLVM::ReturnOp::create(builder, loc, constant(i32Type, 1));
    builder.setInsertionPointToStart(run);
    callImpl(builder, loc, impl, entry->getArguments());
    LLVM::ReturnOp::create(builder, loc, constant(i32Type, 0));
  }

  // The static arena and its flag.
  builder.setInsertionPoint(impl);
  auto arenaType = LLVM::LLVMArrayType::get(IntegerType::get(context, 8),
                                            arenaBytes);
  std::string arenaName = ("__qops_arena_" + name).str();
  auto arena = LLVM::GlobalOp::create(
      builder, loc, arenaType, /*isConstant=*/false, LLVM::Linkage::Internal,
      arenaName, Attribute(), /*alignment=*/kWorkspaceAlignment);
  {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToStart(&arena.getInitializerRegion().emplaceBlock());
    LLVM::ReturnOp::create(builder, loc,
                           LLVM::ZeroOp::create(builder, loc, arenaType));
  }
  std::string flagName = ("__qops_arena_busy_" + name).str();
  LLVM::GlobalOp::create(builder, loc, i32Type, /*isConstant=*/false,
                         LLVM::Linkage::Internal, flagName,
                         builder.getI32IntegerAttr(0), /*alignment=*/4);

  // <name>
  auto allocFunc = getOrDeclare(
      module, "aligned_alloc",
      LLVM::LLVMFunctionType::get(ptrType, {i64Type, i64Type}));
  auto freeFunc = getOrDeclare(
      module, "free",
      LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(context), ptrType));
  builder.setInsertionPointAfter(withWorkspace);
  auto entryFunc = LLVM::LLVMFuncOp::create(
      builder, loc, name,
      LLVM::LLVMFunctionType::get(i32Type,
                                  SmallVector<Type>(numPointers, ptrType)));
  entryFunc->setAttr(kSignatureAttrName, signature);
  entryFunc->setAttr(kWorkspaceSizeAttrName,
                     builder.getI64IntegerAttr(arenaBytes));
  if (Attribute tensors = impl->getAttr(kWorkspaceTensorsAttrName))
    entryFunc->setAttr(kWorkspaceTensorsAttrName, tensors);
  Block *entry = entryFunc.addEntryBlock(builder);
  Block *useArena = &entryFunc.getBody().emplaceBlock();
  Block *useHeap = &entryFunc.getBody().emplaceBlock();
  Block *runHeap = &entryFunc.getBody().emplaceBlock();
  Block *fail = &entryFunc.getBody().emplaceBlock();
  SmallVector<Value> args(entry->getArguments());
  builder.setInsertionPointToStart(entry);
  Value flag = LLVM::AddressOfOp::create(builder, loc, ptrType, flagName);
  Value previous = LLVM::AtomicRMWOp::create(
      builder, loc, LLVM::AtomicBinOp::xchg, flag, constant(i32Type, 1),
      LLVM::AtomicOrdering::acquire);
  Value free = LLVM::ICmpOp::create(builder, loc, LLVM::ICmpPredicate::eq,
                                    previous, constant(i32Type, 0));
  LLVM::CondBrOp::create(builder, loc, free, useArena, useHeap);

  builder.setInsertionPointToStart(useArena);
  SmallVector<Value> arenaArgs = args;
  arenaArgs.push_back(
      LLVM::AddressOfOp::create(builder, loc, ptrType, arenaName));
  callImpl(builder, loc, impl, arenaArgs);
  LLVM::StoreOp::create(builder, loc, constant(i32Type, 0), flag,
                        /*alignment=*/4, /*isVolatile=*/false,
                        /*isNonTemporal=*/false, /*isInvariantGroup=*/false,
                        LLVM::AtomicOrdering::release);
  LLVM::ReturnOp::create(builder, loc, constant(i32Type, 0));

  builder.setInsertionPointToStart(useHeap);
  Value heap = LLVM::CallOp::create(
                   builder, loc, allocFunc,
                   ValueRange{constant(i64Type, kWorkspaceAlignment),
                              constant(i64Type, arenaBytes)})
                   .getResult();
  Value heapAddress = LLVM::PtrToIntOp::create(builder, loc, i64Type, heap);
  Value isNull = LLVM::ICmpOp::create(builder, loc, LLVM::ICmpPredicate::eq,
                                      heapAddress, constant(i64Type, 0));
  LLVM::CondBrOp::create(builder, loc, isNull, fail, runHeap);

  builder.setInsertionPointToStart(runHeap);
  SmallVector<Value> heapArgs = args;
  heapArgs.push_back(heap);
  callImpl(builder, loc, impl, heapArgs);
  LLVM::CallOp::create(builder, loc, freeFunc, ValueRange{heap});
  LLVM::ReturnOp::create(builder, loc, constant(i32Type, 0));

  builder.setInsertionPointToStart(fail);
  LLVM::ReturnOp::create(builder, loc, constant(i32Type, 1));
  // The header lists the plain entry first.
  withWorkspace->moveAfter(entryFunc);
  return addParallelEntryPoint(symbols, impl, withWorkspace, name, numPointers,
                               /*takesWorkspace=*/true);
}

LogicalResult mlir::qops::addCEntryPoints(ModuleOp module, StringRef prefix) {
  auto functions = getSignedFunctions(module);
  if (functions.empty())
    return module.emitError()
           << "no function to export: expected LLVM-dialect functions with a "
              "'"
           << kSignatureAttrName
           << "' attribute, as produced by `quant-opt --qops-to-llvm`";

  MLIRContext *context = module.getContext();
  SymbolTable symbols(module);
  OpBuilder builder(context);
  auto ptrType = LLVM::LLVMPointerType::get(context);
  auto i32Type = IntegerType::get(context, 32);
  for (auto [func, signature] : functions) {
    LLVM::LLVMFunctionType funcType = func.getFunctionType();
    size_t expected = signature.getNumInputs() + signature.getNumResults();
    auto workspaceAttr =
        func->getAttrOfType<IntegerAttr>(kWorkspaceSizeAttrName);
    bool parallel = func->hasAttr(kParallelAttrName);
    size_t params = expected + (workspaceAttr ? 1 : 0) + (parallel ? 1 : 0);
    if (funcType.getNumParams() != params ||
        !llvm::all_of(funcType.getParams(),
                      [](Type t) { return isa<LLVM::LLVMPointerType>(t); }) ||
        !isa<LLVM::LLVMVoidType>(funcType.getReturnType()))
      return func.emitError()
             << "expected " << params
             << " pointer arguments and no result (bare-pointer ABI of "
                "--qops-to-llvm"
             << (workspaceAttr ? ", then the workspace" : "")
             << (parallel ? ", then the quant_parallel" : "")
             << ") for signature " << signature << ", got " << funcType;

    std::string publicName = (prefix + "_" + func.getName()).str();
    if (symbols.lookup(publicName))
      return func.emitError() << "cannot export '" << func.getName()
                              << "' as '" << publicName
                              << "': the module already defines that symbol";

    // The lowered function becomes an internal detail of the object.
    std::string internalName = ("__qops_impl_" + publicName);
    if (failed(symbols.rename(func, internalName)))
      return func.emitError() << "cannot rename to " << internalName;
    func.setLinkage(LLVM::Linkage::Internal);

    builder.setInsertionPointAfter(func);
    Location loc = func.getLoc();
    if (workspaceAttr) {
      if (failed(addWorkspaceEntryPoints(module, symbols, func, publicName,
                                         expected, workspaceAttr.getInt())))
        return failure();
      func->removeAttr(kSignatureAttrName);
      continue;
    }
    auto entry = LLVM::LLVMFuncOp::create(
        builder, loc, publicName,
        LLVM::LLVMFunctionType::get(
            i32Type, SmallVector<Type>(expected, ptrType)));
    entry->setAttr(kSignatureAttrName, TypeAttr::get(signature));
    Block *body = entry.addEntryBlock(builder);
    builder.setInsertionPointToStart(body);
    callImpl(builder, loc, func, body->getArguments());
    Value zero = LLVM::ConstantOp::create(builder, loc, i32Type,
                                          builder.getI32IntegerAttr(0));
    LLVM::ReturnOp::create(builder, loc, zero);
    if (failed(addParallelEntryPoint(symbols, func, entry, publicName,
                                     expected, /*takesWorkspace=*/false)))
      return failure();
    func->removeAttr(kSignatureAttrName);
  }
  return success();
}

//===----------------------------------------------------------------------===//
// C header
//===----------------------------------------------------------------------===//

/// The C element type and the short dtype name of a tensor element type:
/// f32 -> (float, f32); quantized types use their storage type.
static std::optional<std::pair<std::string, std::string>>
describeElementType(Type type) {
  if (auto quantized = dyn_cast<quant::QuantizedType>(type)) {
    // Storage types are signless; the quantized type says the signedness.
    unsigned width = quantized.getStorageTypeIntegralWidth();
    if (width != 8 && width != 16 && width != 32)
      return std::nullopt;
    bool isSigned = quantized.isSigned();
    return std::make_pair(
        (isSigned ? "int" : "uint") + std::to_string(width) + "_t",
        (isSigned ? "i" : "u") + std::to_string(width));
  }
  if (type.isF32())
    return std::make_pair(std::string("float"), std::string("f32"));
  if (type.isF64())
    return std::make_pair(std::string("double"), std::string("f64"));
  if (auto integer = dyn_cast<IntegerType>(type)) {
    unsigned width = integer.getWidth();
    if (width != 8 && width != 16 && width != 32 && width != 64)
      return std::nullopt;
    bool isUnsigned = integer.isUnsigned();
    return std::make_pair(
        (isUnsigned ? "uint" : "int") + std::to_string(width) + "_t",
        (isUnsigned ? "u" : "i") + std::to_string(width));
  }
  return std::nullopt;
}

LogicalResult mlir::qops::emitCHeader(ModuleOp module, StringRef prefix,
                                      raw_ostream &os) {
  std::string guard = prefix.upper() + "_H";
  for (char &c : guard)
    if (!llvm::isAlnum(c))
      c = '_';

  std::string body;
  llvm::raw_string_ostream decls(body);
  bool any = false, anyParallel = false;
  for (auto [function, signature] : getSignedFunctions(module)) {
    LLVM::LLVMFuncOp func = function;
    if (func.getLinkage() == LLVM::Linkage::Internal)
      continue;
    any = true;
    anyParallel |= func->hasAttr(kParallelAttrName);
    struct Arg {
      std::string decl, comment;
    };
    SmallVector<Arg> args;
    auto addArg = [&](Type type, bool isInput, size_t index) -> LogicalResult {
      auto tensor = dyn_cast<RankedTensorType>(type);
      auto element =
          tensor ? describeElementType(tensor.getElementType()) : std::nullopt;
      if (!tensor || !tensor.hasStaticShape() || !element)
        return func.emitError()
               << "cannot describe " << type
               << " in C: expected a static tensor of f32 or integers";
      std::string shape = llvm::join(
          llvm::map_range(tensor.getShape(),
                          [](int64_t d) { return std::to_string(d); }),
          "x");
      if (shape.empty())
        shape = "scalar";
      args.push_back(
          {(isInput ? "const " : "") + element->first + " *" +
               (isInput ? "input" : "output") + std::to_string(index),
           shape + " " + element->second + ", row-major"});
      return success();
    };
    for (auto [i, type] : llvm::enumerate(signature.getInputs()))
      if (failed(addArg(type, /*isInput=*/true, i)))
        return failure();
    for (auto [i, type] : llvm::enumerate(signature.getResults()))
      if (failed(addArg(type, /*isInput=*/false, i)))
        return failure();
    auto workspace = func->getAttrOfType<IntegerAttr>(kWorkspaceSizeAttrName);
    bool isParallel = func->hasAttr(kParallelAttrName);
    bool takesWorkspace =
        workspace && func.getFunctionType().getNumParams() ==
                         args.size() + 1 + (isParallel ? 1 : 0);
    if (takesWorkspace)
      args.push_back({"void *workspace",
                      std::to_string(workspace.getInt()) +
                          " bytes, 64-byte aligned, one per concurrent call"});
    else if (isParallel)
      args.push_back({"void *workspace",
                      "unused (this function needs none): may be NULL"});
    if (isParallel)
      args.push_back({"const quant_parallel *par",
                      "the caller's parallel-for"});

    std::string head = "int " + func.getName().str() + "(";
    if (isParallel) {
      StringRef base = func.getName().drop_back(StringRef("_parallel").size());
      decls << "/* " << func.getName() << ": as " << base
            << (takesWorkspace ? "_with_workspace" : "")
            << ", with the independent iterations of its\n"
               " * layers (convolutions, matrix products, element-wise ops, "
               "copies) split into at most\n"
               " * par->max_tasks tasks run by par->parallel_for (see "
               "quant_parallel). The results\n"
               " * are bit-identical to "
            << base
            << "'s whatever the number of tasks, their order or\n"
               " * their threads. Returns 0 on success, "
            << (takesWorkspace ? "1 for a null or misaligned workspace, " : "")
            << "2 for a null par,\n * a null par->parallel_for or "
               "par->max_tasks outside 1.."
            << kMaxParallelTasks << ". */\n";
    } else if (takesWorkspace) {
      decls << "/* " << func.getName() << ": as "
            << func.getName().drop_back(StringRef("_with_workspace").size())
            << ", with the caller's workspace for every\n * intermediate tensor: "
               "no allocation at all. Returns 0 on success, 1 for a null "
               "or misaligned\n * workspace. */\n";
    } else if (workspace) {
      decls << "/* " << func.getName() << ": " << signature.getNumInputs()
            << " input(s), then " << signature.getNumResults()
            << " output buffer(s) to fill. Returns 0 on success.\n"
            << " * Intermediate tensors live in a static arena of "
            << workspace.getInt() << " bytes inside the object\n * (its static "
            << "memory plan";
      if (auto tensors = func->getAttrOfType<DenseI64ArrayAttr>(
              kWorkspaceTensorsAttrName);
          tensors && tensors.size() == 2)
        decls << ": " << tensors[0] << " tensors of " << tensors[1]
              << " bytes in all, sharing bytes\n * where their lifetimes do "
                 "not overlap";
      decls << "); a call made while another thread is\n * inside takes a "
               "heap workspace of that size for its duration (returns 1\n"
               " * if that fails). Threads that call concurrently should use\n"
               " * "
            << func.getName() << "_with_workspace. */\n";
      decls << "size_t " << func.getName() << "_workspace_size(void); /* "
            << workspace.getInt() << " */\n";
    } else {
      decls << "/* " << func.getName() << ": " << signature.getNumInputs()
            << " input(s), then " << signature.getNumResults()
            << " output buffer(s) to fill. Returns 0 on success. */\n";
    }
    decls << head;
    if (args.empty())
      decls << "void);\n\n";
    size_t width = 0;
    for (const Arg &arg : args)
      width = std::max(width, arg.decl.size() + 1);
    for (auto [i, arg] : llvm::enumerate(args)) {
      bool last = i + 1 == args.size();
      std::string text = arg.decl + (last ? ");" : ",");
      if (i != 0)
        decls << std::string(head.size(), ' ');
      decls << text << std::string(width + 2 - text.size() + 1, ' ') << "/* "
            << arg.comment << " */\n";
    }
    decls << "\n";
  }
  if (!any)
    return module.emitError()
           << "no entry point to describe: run the header emission on the "
              "output of `quant-opt --qops-to-llvm`";

  os << "/* " << prefix
     << ".h - generated by quant-translate --emit-header; do not edit.\n"
     << " *\n"
     << " * Buffers are contiguous, row-major and owned by the caller. The\n"
     << " * object needs nothing but libc and libm at link time.\n"
     << " */\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include <stddef.h>\n#include <stdint.h>\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  if (anyParallel)
    os << "#ifndef QUANT_PARALLEL_DEFINED\n#define QUANT_PARALLEL_DEFINED\n"
       << "/* The caller's parallel-for, for the _parallel entry points.\n"
       << " * parallel_for(context, n, task, task_context) must call\n"
       << " * task(task_context, i) once for every i in [0, n), on any "
          "threads, in any\n"
       << " * order, concurrently or not, and return when all have "
          "returned. Each\n"
       << " * parallel loop of the model is split into min(max_tasks, its "
          "iterations)\n"
       << " * tasks (typically max_tasks = the number of threads); a loop "
          "of one task\n"
       << " * runs on the calling thread. Shared by every object: the same "
          "struct in\n"
       << " * every generated header. */\n"
       << "typedef struct quant_parallel {\n"
       << "  void (*parallel_for)(void *context, int n,\n"
       << "                       void (*task)(void *task_context, int i),\n"
       << "                       void *task_context);\n"
       << "  void *context;\n"
       << "  int max_tasks;\n"
       << "} quant_parallel;\n#endif\n\n";
  os << body << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard
     << " */\n";
  return success();
}

//===----------------------------------------------------------------------===//
// Object emission
//===----------------------------------------------------------------------===//

/// The packed int8 kernels call `vpdpbusd` when lowered for a VNNI CPU, and
/// tables call `vpermi2b` when lowered for an AVX512-VBMI CPU
/// (`--qops-to-llvm=target-cpu=...`, the host by default); instruction
/// selection for a CPU without it would abort. Reports the first such call
/// the target machine cannot execute.
static LogicalResult checkIntrinsicsSupported(ModuleOp module,
                                              llvm::TargetMachine &machine) {
  const llvm::MCSubtargetInfo *subtarget = machine.getMCSubtargetInfo();
  auto has = [&](StringRef feature) {
    return subtarget->checkFeatures(("+" + feature).str());
  };
  WalkResult result = module.walk([&](LLVM::CallIntrinsicOp call) {
    StringRef name = call.getIntrin();
    bool supported = true;
    StringRef extension;
    if (name.starts_with("llvm.x86.avx512.vpdpbusd.")) {
      bool wide = name.ends_with(".512");
      supported = wide ? has("avx512vnni")
                       : has("avxvnni") ||
                             (has("avx512vnni") && has("avx512vl"));
      extension = wide ? "AVX512-VNNI" : "AVX-VNNI";
    } else if (name == "llvm.x86.avx512.vpermi2var.qi.512") {
      supported = has("avx512vbmi");
      extension = "AVX512-VBMI";
    }
    if (supported)
      return WalkResult::advance();
    call.emitError() << "the module uses `" << name << "` (" << extension
                     << "), which CPU '" << machine.getTargetCPU()
                     << "' lacks: lower it for that CPU with `quant-opt "
                        "--qops-to-llvm=target-cpu="
                     << machine.getTargetCPU() << "`";
    return WalkResult::interrupt();
  });
  return failure(result.wasInterrupted());
}

LogicalResult mlir::qops::emitModule(ModuleOp module,
                                     const ObjectEmitterOptions &options,
                                     EmitKind kind,
                                     llvm::raw_pwrite_stream &os) {
  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargets();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllAsmPrinters();

  DialectRegistry registry;
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  module.getContext()->appendDialectRegistry(registry);

  // Translation materializes every constant (a splat too) in LLVM IR.
  if (failed(verifyConstantAttributes(module, "cannot be emitted: ")))
    return failure();
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext, "model");
  if (!llvmModule)
    return module.emitError()
           << "cannot translate to LLVM IR: expected a module in the LLVM "
              "dialect (run `quant-opt --qops-to-llvm` first)";

  std::string hostTriple = llvm::sys::getDefaultTargetTriple();
  std::string tripleName = options.triple.empty() ? hostTriple : options.triple;
  llvm::Triple triple(tripleName);
  std::string error;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return module.emitError() << "unknown target triple '" << tripleName
                              << "': " << error;

  bool isHost = triple.normalize() == llvm::Triple(hostTriple).normalize();
  std::string cpu = options.cpu;
  SmallVector<std::string> features;
  if (cpu.empty() || cpu == "host" || cpu == "native") {
    if (isHost) {
      cpu = llvm::sys::getHostCPUName().str();
      for (const auto &feature : llvm::sys::getHostCPUFeatures())
        features.push_back((feature.second ? "+" : "-") +
                           feature.first().str());
    } else {
      cpu = "generic";
    }
  }
  if (!options.features.empty())
    features.push_back(options.features);

  llvm::TargetOptions targetOptions;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, cpu, llvm::join(features, ","), targetOptions, llvm::Reloc::PIC_,
      std::nullopt,
      options.optLevel >= 3   ? llvm::CodeGenOptLevel::Aggressive
      : options.optLevel == 0 ? llvm::CodeGenOptLevel::None
                              : llvm::CodeGenOptLevel::Default));
  if (!machine)
    return module.emitError() << "cannot create a target machine for '"
                              << tripleName << "' / cpu '" << cpu << "'";
  if (failed(checkIntrinsicsSupported(module, *machine)))
    return failure();
  llvmModule->setTargetTriple(triple);
  llvmModule->setDataLayout(machine->createDataLayout());
  for (llvm::Function &function : *llvmModule) {
    if (function.isDeclaration())
      continue;
    function.addFnAttr("target-cpu", cpu);
    if (!features.empty())
      function.addFnAttr("target-features", llvm::join(features, ","));
  }

  // LLVM's optimization pipeline for the target: instcombine and the
  // vectorizers need the target's cost model to form its vector code.
  auto optimize =
      makeOptimizingTransformer(options.optLevel, /*sizeLevel=*/0,
                                machine.get());
  if (llvm::Error err = optimize(llvmModule.get()))
    return module.emitError()
           << "LLVM optimization failed: " << llvm::toString(std::move(err));

  if (kind == EmitKind::LLVMIR) {
    llvmModule->print(os, nullptr);
    return success();
  }
  llvm::legacy::PassManager codegen;
  if (machine->addPassesToEmitFile(codegen, os, nullptr,
                                   kind == EmitKind::Object
                                       ? llvm::CodeGenFileType::ObjectFile
                                       : llvm::CodeGenFileType::AssemblyFile))
    return module.emitError() << "the target cannot emit this file type";
  codegen.run(*llvmModule);
  return success();
}
