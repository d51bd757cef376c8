//===- Runner.cpp - JIT execution of qops modules at any stage ------------===//
//
// Signature checks, the batch convention, lowering and JIT execution.
//
//===----------------------------------------------------------------------===//

#include "quant-ops/Runtime/Runner.h"
#include "quant-ops/Runtime/ParallelPool.h"
#include "quant-ops/Conversion/LoweringSupport/LoweringSupport.h"
#include "quant-ops/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/StandardInstrumentations.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Support/TargetSelect.h"

#ifdef __GLIBC__
#endif
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <unistd.h>

using namespace mlir;
using namespace mlir::qops;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

static std::string formatShape(ArrayRef<int64_t> shape) {
  return "[" +
         llvm::join(llvm::map_range(
                        shape, [](int64_t d) { return std::to_string(d); }),
                    ", ") +
         "]";
}

/// The .npy element type that carries a function argument of `type`.
static std::optional<NpyDType> getDType(Type type) {
  if (auto quantized = dyn_cast<quant::QuantizedType>(type)) {
    // Storage types are signless; the quantized type says the signedness.
    unsigned width = quantized.getStorageTypeIntegralWidth();
    if (width == 8)
      return quantized.isSigned() ? NpyDType::I8 : NpyDType::U8;
    if (width == 32 && quantized.isSigned())
      return NpyDType::I32;
    return std::nullopt;
  }
  if (type.isF32())
    return NpyDType::F32;
  if (type.isF64())
    return NpyDType::F64;
  if (auto integer = dyn_cast<IntegerType>(type)) {
    if (integer.getWidth() == 8)
      return integer.isUnsigned() ? NpyDType::U8 : NpyDType::I8;
    if (integer.getWidth() == 32 && !integer.isUnsigned())
      return NpyDType::I32;
    if (integer.getWidth() == 64 && !integer.isUnsigned())
      return NpyDType::I64;
  }
  return std::nullopt;
}

/// The tensor signature of the entry function at any stage.
static llvm::Expected<FunctionType> getSignature(ModuleOp module,
                                                 StringRef entry) {
  Operation *symbol = SymbolTable::lookupSymbolIn(module, entry);
  if (!symbol) {
    std::vector<std::string> names;
    for (Operation &op : module.getBody()->getOperations())
      if (auto function = dyn_cast<FunctionOpInterface>(op))
        if (!function.isExternal())
          names.push_back("@" + function.getName().str());
    return makeError("no function @" + entry + " in the module" +
                     (names.empty() ? std::string()
                                    : " (functions: " +
                                          llvm::join(names, ", ") + ")"));
  }
  if (auto attr = symbol->getAttrOfType<TypeAttr>(kSignatureAttrName))
    if (auto type = dyn_cast<FunctionType>(attr.getValue()))
      return type;
  auto func = dyn_cast<func::FuncOp>(symbol);
  if (!func)
    return makeError("@" + entry + " has no '" + kSignatureAttrName +
                     "' attribute: quant-run runs qops, linalg-on-tensors "
                     "modules, or LLVM-dialect modules produced by "
                     "`quant-opt --qops-to-llvm`");
  if (func.isExternal() || !func.isPublic())
    return makeError("@" + entry + " must be a public function with a body");
  return func.getFunctionType();
}

namespace {
/// How one function argument is fed across the runs of a batch.
struct Binding {
  RankedTensorType type;
  NpyDType dtype;
  size_t sampleBytes;
};
} // namespace

static llvm::Expected<Binding> bindArgument(Type type, StringRef what) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << type;
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.hasStaticShape())
    return makeError(what + " has type " + text +
                     "; quant-run needs statically shaped tensors");
  std::optional<NpyDType> dtype = getDType(tensor.getElementType());
  if (!dtype)
    return makeError(what + " has element type " + text +
                     ", which quant-run cannot exchange as .npy");
  return Binding{tensor, *dtype,
                 static_cast<size_t>(tensor.getNumElements()) *
                     getNpyItemSize(*dtype)};
}

/// Checks `array` against a function input and says whether it is a batch
/// [N, rest...] of it; sets `batch` to N for batches.
static llvm::Expected<bool> matchInput(const Binding &binding,
                                       const NpyArray &array, size_t index,
                                       int64_t &batch) {
  std::string where = "input #" + std::to_string(index);
  if (array.getDType() != binding.dtype)
    return makeError(where + ": expected " + getNpyDTypeName(binding.dtype) +
                     " (" + getNpyDescr(binding.dtype) + ") data, got " +
                     getNpyDTypeName(array.getDType()) + " (" +
                     getNpyDescr(array.getDType()) +
                     "); convert it, e.g. numpy.save(path, x.astype(" +
                     "numpy." + getNumpyTypeName(binding.dtype) + "))");
  ArrayRef<int64_t> want = binding.type.getShape(), have = array.getShape();
  bool exact = want == have;
  bool isBatch = !exact && !want.empty() && want[0] == 1 &&
                 have.size() == want.size() &&
                 have.drop_front() == want.drop_front();
  if (!exact && !isBatch) {
    std::string batchForm;
    if (!want.empty() && want[0] == 1) {
      SmallVector<std::string> dims = {"N"};
      for (int64_t d : want.drop_front())
        dims.push_back(std::to_string(d));
      batchForm = " or a batch [" + llvm::join(dims, ", ") + "] of it";
    }
    return makeError(where + ": shape " + formatShape(have) +
                     " does not match the function's " + formatShape(want) +
                     batchForm);
  }
  if (isBatch) {
    if (batch != 1 && batch != have[0])
      return makeError(where + ": batch of " + llvm::Twine(have[0]) +
                       " samples, but another input has " +
                       llvm::Twine(batch));
    batch = have[0];
  }
  return isBatch;
}

/// Functions with more basic blocks than this are JIT-compiled unoptimized
/// (MobileNetV2 lowers to about 1,300).
static constexpr size_t kMaxOptimizedBasicBlocks = 4000;

/// Runs LLVM's -O3 pipeline for `targetMachine` on `llvmModule`, skipping
/// the functions marked optnone (which the pipeline alone does not do).
static void optimizeModule(llvm::Module &llvmModule,
                           llvm::TargetMachine *targetMachine) {
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager sccs;
  llvm::ModuleAnalysisManager modules;
  llvm::PassInstrumentationCallbacks callbacks;
  llvm::OptNoneInstrumentation optNone(/*DebugLogging=*/false);
  optNone.registerCallbacks(callbacks);
  llvm::PipelineTuningOptions tuning;
  tuning.LoopUnrolling = true;
  tuning.LoopInterleaving = true;
  tuning.LoopVectorization = true;
  tuning.SLPVectorization = true;
  llvm::PassBuilder builder(targetMachine, tuning, std::nullopt, &callbacks);
  builder.registerModuleAnalyses(modules);
  builder.registerCGSCCAnalyses(sccs);
  builder.registerFunctionAnalyses(functions);
  builder.registerLoopAnalyses(loops);
  builder.crossRegisterProxies(loops, functions, sccs, modules);
  llvm::ModulePassManager pipeline =
      builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3);
  pipeline.run(llvmModule, modules);
}

struct JitFunction::Impl {
  std::string entry;
  FunctionType signature;
  SmallVector<Binding> inputs, outputs;
  std::unique_ptr<ExecutionEngine> engine;
  /// The entry's workspace (--qops-plan-memory), allocated once and passed
  /// as its last argument to every call; null when it has none.
  struct FreeWorkspace {
    void operator()(void *p) const { std::free(p); }
  };
  std::unique_ptr<void, FreeWorkspace> workspace;
  /// Whether the entry takes a trailing quant_parallel * (its parallel
  /// loops, qops-parallel-dispatch).
  bool parallel = false;
};

JitFunction::JitFunction(std::unique_ptr<Impl> impl) : impl(std::move(impl)) {}
JitFunction::~JitFunction() = default;

FunctionType JitFunction::getSignature() const { return impl->signature; }

llvm::Expected<std::unique_ptr<JitFunction>>
JitFunction::create(ModuleOp module, StringRef entry) {
  auto impl = std::make_unique<Impl>();
  impl->entry = entry.str();
  llvm::Expected<FunctionType> signature = ::getSignature(module, entry);
  if (!signature)
    return signature.takeError();
  impl->signature = *signature;
  for (auto [i, type] : llvm::enumerate(signature->getInputs())) {
    auto binding = bindArgument(type, "input #" + std::to_string(i));
    if (!binding)
      return binding.takeError();
    impl->inputs.push_back(*binding);
  }
  for (auto [i, type] : llvm::enumerate(signature->getResults())) {
    auto binding = bindArgument(type, "output #" + std::to_string(i));
    if (!binding)
      return binding.takeError();
    impl->outputs.push_back(*binding);
  }

  // Lower to the LLVM dialect (a no-op for modules already lowered). The
  // pipeline's diagnostics go to the context's handler (the caller's).
  MLIRContext *context = module.getContext();
  PassManager pm(context);
  buildQOpsToLLVMPipeline(pm, QOpsToLLVMOptions());
  if (failed(pm.run(module)))
    return makeError("lowering @" + entry +
                     "'s module to LLVM failed (diagnostics above)");

  // The workspace of the entry's static memory plan.
  auto function = dyn_cast_or_null<LLVM::LLVMFuncOp>(
      SymbolTable::lookupSymbolIn(module, entry));
  impl->parallel = function && function->hasAttr(kParallelAttrName);
  if (function)
    if (auto size =
            function->getAttrOfType<IntegerAttr>(kWorkspaceSizeAttrName)) {
      int64_t bytes = alignWorkspaceBytes(size.getInt());
      impl->workspace.reset(std::aligned_alloc(kWorkspaceAlignment, bytes));
      if (!impl->workspace)
        return makeError("cannot allocate the " + llvm::Twine(bytes) +
                         "-byte workspace of @" + entry);
    }

  // JIT-compile for the host CPU.
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  DialectRegistry registry;
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  context->appendDialectRegistry(registry);
  // Functions of very many basic blocks (a calibration clone of a model of
  // thousands of small ops returns every tensor: thousands of loops, which
  // LLVM fully unrolls into one block with thousands of stores) are
  // compiled without optimization: LLVM's loop passes, instruction
  // scheduler and register allocator take time quadratic in their size
  // there (minutes for 1,000 ops). Such modules get the fast code
  // generator; their other functions are still optimized.
  size_t largestFunction = 0;
  module.walk([&](LLVM::LLVMFuncOp function) {
    largestFunction =
        std::max(largestFunction, function.getBody().getBlocks().size());
  });
  bool huge = largestFunction > kMaxOptimizedBasicBlocks;
  auto machineBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!machineBuilder)
    return machineBuilder.takeError();
  llvm::CodeGenOptLevel codeGenLevel = huge
                                           ? llvm::CodeGenOptLevel::None
                                           : llvm::CodeGenOptLevel::Aggressive;
  machineBuilder->setCodeGenOptLevel(codeGenLevel);
  auto machine = machineBuilder->createTargetMachine();
  if (!machine)
    return machine.takeError();
  llvm::TargetMachine *targetMachine = machine->get();
  std::function<llvm::Error(llvm::Module *)> transformer =
      [targetMachine](llvm::Module *llvmModule) {
        for (llvm::Function &function : *llvmModule)
          if (!function.isDeclaration() &&
              function.size() > kMaxOptimizedBasicBlocks) {
            function.removeFnAttr(llvm::Attribute::AlwaysInline);
            function.addFnAttr(llvm::Attribute::NoInline);
            function.addFnAttr(llvm::Attribute::OptimizeNone);
          }
        optimizeModule(*llvmModule, targetMachine);
        return llvm::Error::success();
      };
  ExecutionEngineOptions engineOptions;
  engineOptions.transformer = transformer;
  engineOptions.jitCodeGenOptLevel = codeGenLevel;
  // The engine owns the target machine from here on.
  auto engine =
      ExecutionEngine::create(module, engineOptions, std::move(*machine));
  if (!engine)
    return engine.takeError();
  impl->engine = std::move(*engine);
  return std::unique_ptr<JitFunction>(new JitFunction(std::move(impl)));
}

namespace {
/// While alive, a crash of the calling thread (SIGSEGV, SIGBUS, SIGILL,
/// SIGFPE, SIGABRT, SIGTRAP) writes one line naming the function and the
/// signal to stderr and exits the process with status 1.
///
/// Why not LLVM's crash handler (InitLLVM installs it): it prints a stack
/// trace, which allocates memory. JIT-compiled code mallocs its
/// temporaries, so a stack overflow (deep or infinite recursion) usually
/// strikes inside malloc with the heap's lock held; the handler's first
/// allocation then waits for that lock forever and the process hangs. This
/// handler only calls write() and _exit(), which are async-signal-safe, and
/// runs on an alternate stack, so it also works when the stack is
/// exhausted.
class JitCrashGuard {
public:
  explicit JitCrashGuard(StringRef entry) {
    std::string text = "error: the JIT-compiled code of @" + entry.str() +
                       " crashed with ";
    size_t length = std::min(text.size(), sizeof(prefix) - 1);
    std::memcpy(prefix, text.data(), length);
    prefix[length] = 0;

    altStack = std::make_unique<char[]>(kAltStackSize);
    stack_t stack = {};
    stack.ss_sp = altStack.get();
    stack.ss_size = kAltStackSize;
    stack.ss_flags = 0;
    sigaltstack(&stack, &oldStack);

    struct sigaction action = {};
    action.sa_handler = handle;
    action.sa_flags = SA_ONSTACK | SA_RESETHAND | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    for (auto [i, signal] : llvm::enumerate(kSignals))
      sigaction(signal, &action, &oldActions[i]);
  }

  ~JitCrashGuard() {
    for (auto [i, signal] : llvm::enumerate(kSignals))
      sigaction(signal, &oldActions[i], nullptr);
    sigaltstack(&oldStack, nullptr);
  }

  JitCrashGuard(const JitCrashGuard &) = delete;
  JitCrashGuard &operator=(const JitCrashGuard &) = delete;

private:
  static constexpr int kSignals[] = {SIGSEGV, SIGBUS,  SIGILL,
                                     SIGFPE,  SIGABRT, SIGTRAP};
  static constexpr size_t kAltStackSize = 64 * 1024;

  static void writeString(const char *text) {
    size_t length = std::strlen(text);
    while (length > 0) {
      ssize_t written = ::write(STDERR_FILENO, text, length);
      if (written <= 0)
        return;
      text += written;
      length -= written;
    }
  }

  static void handle(int signal) {
    writeString(prefix);
    switch (signal) {
    case SIGSEGV:
      writeString("SIGSEGV (a stack overflow, e.g. from recursion through "
                  "function pointers, or an invalid memory access)\n");
      break;
    case SIGBUS:
      writeString("SIGBUS (an invalid memory access)\n");
      break;
    case SIGILL:
      writeString("SIGILL (an instruction this CPU does not support)\n");
      break;
    case SIGFPE:
      writeString("SIGFPE (an integer division by zero or overflow)\n");
      break;
    case SIGABRT:
      writeString("SIGABRT (the code called abort)\n");
      break;
    default:
      writeString("SIGTRAP (a trap instruction: unreachable code was "
                  "reached)\n");
      break;
    }
    ::_exit(1);
  }

  static char prefix[256];
  std::unique_ptr<char[]> altStack;
  stack_t oldStack = {};
  struct sigaction oldActions[std::size(kSignals)] = {};
};

char JitCrashGuard::prefix[256];
} // namespace

llvm::Expected<RunResult> JitFunction::run(ArrayRef<NpyArray> inputs,
                                           unsigned repeat, int threads) {
  const std::string &entry = impl->entry;
  if (threads < 1 || threads > kMaxRunThreads)
    return makeError("the number of threads must be between 1 and " +
                     llvm::Twine(kMaxRunThreads) + ", got " +
                     llvm::Twine(threads));
  if (inputs.size() != impl->inputs.size())
    return makeError("@" + entry + " takes " +
                     llvm::Twine(impl->inputs.size()) + " input(s), but " +
                     llvm::Twine(inputs.size()) + " were given (--input)");

  // Match the arrays to the argument types and find the batch size.
  SmallVector<bool> batched;
  int64_t batch = 1;
  for (auto [i, binding] : llvm::enumerate(impl->inputs)) {
    llvm::Expected<bool> isBatch = matchInput(binding, inputs[i], i, batch);
    if (!isBatch)
      return isBatch.takeError();
    batched.push_back(*isBatch);
  }
  for (auto [i, binding] : llvm::enumerate(impl->outputs))
    if (batch != 1 &&
        (binding.type.getRank() == 0 || binding.type.getDimSize(0) != 1))
      return makeError("output #" + llvm::Twine(i) + " has shape " +
                       formatShape(binding.type.getShape()) +
                       ", which cannot be stacked across a batch of " +
                       llvm::Twine(batch) + " (leading dimension must be 1)");

  // Outputs: one buffer per result, stacked over the batch.
  RunResult result;
  for (auto [i, binding] : llvm::enumerate(impl->outputs)) {
    SmallVector<int64_t> shape(binding.type.getShape());
    if (batch != 1)
      shape[0] = batch;
    llvm::Expected<NpyArray> output =
        NpyArray::allocate(binding.dtype, shape, "output #" + llvm::Twine(i));
    if (!output)
      return output.takeError();
    result.outputs.push_back(std::move(*output));
  }

  size_t numInputs = impl->inputs.size();
  SmallVector<void *> pointers(numInputs + impl->outputs.size() +
                               (impl->workspace ? 1 : 0) +
                               (impl->parallel ? 1 : 0));
  if (impl->workspace)
    pointers[numInputs + impl->outputs.size()] = impl->workspace.get();
  // The parallel loops run on a pool of `threads` threads (this one and
  // threads - 1 workers), made once for all the calls; null: this thread.
  struct DestroyPool {
    void operator()(quant_pool *pool) const { quant_pool_destroy(pool); }
  };
  std::unique_ptr<quant_pool, DestroyPool> pool;
  quant_parallel parallel = {};
  if (impl->parallel) {
    pointers.back() = nullptr;
    if (threads > 1) {
      pool.reset(quant_pool_create(threads));
      if (!pool)
        return makeError("cannot start " + llvm::Twine(threads - 1) +
                         " worker thread(s)");
      parallel = quant_pool_parallel(pool.get());
      pointers.back() = &parallel;
    }
  }
  SmallVector<void *> args;
  for (void *&pointer : pointers)
    args.push_back(&pointer);
  auto call = [&](int64_t sample) -> llvm::Error {
    for (auto [i, binding] : llvm::enumerate(impl->inputs))
      pointers[i] = const_cast<char *>(inputs[i].data()) +
                    (batched[i] ? sample * binding.sampleBytes : 0);
    for (auto [i, binding] : llvm::enumerate(impl->outputs))
      pointers[numInputs + i] =
          result.outputs[i].data() + sample * binding.sampleBytes;
    return impl->engine->invokePacked(entry, args);
  };
  // A crash in the compiled code ends the process with a message.
  JitCrashGuard crashGuard(entry);
  for (int64_t sample = 0; sample < batch; ++sample)
    if (llvm::Error err = call(sample))
      return std::move(err);

  // Timed calls run with the process's allocator as it is, as in a user's
  // program: planned entry functions (qops-plan-memory) use the workspace
  // allocated above and make no allocation per call.
  for (unsigned r = 0; r < repeat; ++r) {
    for (int64_t sample = 0; sample < batch; ++sample) {
      auto start = std::chrono::steady_clock::now();
      if (llvm::Error err = call(sample))
        return std::move(err);
      auto stop = std::chrono::steady_clock::now();
      result.callMilliseconds.push_back(
          std::chrono::duration<double, std::milli>(stop - start).count());
    }
  }
  return std::move(result);
}

llvm::Expected<RunResult>
mlir::qops::runFunction(ModuleOp module, const RunOptions &options,
                        ArrayRef<NpyArray> inputs) {
  auto function = JitFunction::create(module, options.entry);
  if (!function)
    return function.takeError();
  return (*function)->run(inputs, options.repeat, options.threads);
}
